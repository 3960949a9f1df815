/* xbook.h - cell helpers for unit tests that build a book by hand: put
 * a number or a formula (parsed at its cell) into sheet sh of book b,
 * and check a cell's General display.  Include after xtest.h. */
#ifndef XBOOK_H
#define XBOOK_H
#include <stdlib.h>
#include <string.h>
#include "exacalc/formula.h"

static inline void xb_set_num(xc_book *b, int sh, uint32_t row, uint32_t col,
                              int64_t x)
{
    xc_value v = {0};
    xc_value_set_int(&v, x);
    CHECK(xc_book_set_value(b, sh, row, col, &v) == XC_OK);
}

static inline void xb_set_formula(xc_book *b, int sh, uint32_t row,
                                  uint32_t col, const char *text)
{
    xc_parse_opts o = {b, sh, row, col, 0};
    xc_parse_error pe;
    xc_formula *f = NULL;
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    CHECK(st == XC_OK);
    if (st != XC_OK) {
        fprintf(stderr, "parse %s: %d:%d %s\n", text, pe.line, pe.col, pe.msg);
        return;
    }
    CHECK(xc_book_set_formula(b, sh, row, col, f, NULL) == XC_OK);
    xc_formula_release(f);
}

/* The cell's value as General shows it (the caller frees). */
static inline char *xb_cell_text(xc_book *b, int sh, uint32_t row, uint32_t col)
{
    xc_buf t;
    xc_buf_init(&t);
    xc_value_format(&t, xc_book_get(b, sh, row, col), XC_FMT_GENERAL);
    return xc_buf_take(&t);
}

#define XB_CHECK_CELL(b, sh, row, col, want)                                   \
    do {                                                                       \
        char *got_ = xb_cell_text(b, sh, row, col);                            \
        CHECK_STR(got_, want);                                                 \
        free(got_);                                                            \
    } while (0)
#endif
