/* test_trim.c - TRIMRANGE and the trim-reference operators A1.:C9,
 * A1:.C9, A1.:.C9: they parse, print back as typed, are written in
 * files as Excel's _xlfn._TRO_LEADING/_TRO_TRAILING/_TRO_ALL calls (and
 * TRIMRANGE with _xlfn.), read back from that form, and the dependency
 * graph sees the whole range written, so a cell entering the trimmed
 * part from outside it is seen. */
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"
#include "xtest.h"
#include "xbook.h"

static xc_book *book;
static int sh, sh2;

static xc_formula *parse_at(const char *text, unsigned flags, uint32_t row,
                            uint32_t col)
{
    xc_parse_opts o = {book, sh, row, col, flags};
    xc_parse_error pe;
    xc_formula *f = NULL;
    if (xc_formula_parse(&f, text, strlen(text), &o, &pe) != XC_OK) {
        fprintf(stderr, "parse %s: %d:%d %s\n", text, pe.line, pe.col, pe.msg);
        return NULL;
    }
    return f;
}

/* typed text -> display text, file text; the file text reads back to
 * the same file text (and _xlfn._TRO_ALL(A1:C9) read from a file shows
 * as A1.:.C9). */
static void test_forms(void)
{
    static const char *const cases[][3] = {
        {"=A1:.C9", "A1:.C9", "_xlfn._TRO_TRAILING(A1:C9)"},
        {"=A1.:C9", "A1.:C9", "_xlfn._TRO_LEADING(A1:C9)"},
        {"=$A$1.:.C$9", "$A$1.:.C$9", "_xlfn._TRO_ALL($A$1:C$9)"},
        {"=SUM(A:.A)", "SUM(A:.A)", "SUM(_xlfn._TRO_TRAILING(A:A))"},
        {"=COUNTA(2.:.$3)", "COUNTA(2.:.$3)", "COUNTA(_xlfn._TRO_ALL(2:$3))"},
        {"=SUM('Data 2'!B1:.B9)*2", "SUM('Data 2'!B1:.B9)*2",
         "SUM(_xlfn._TRO_TRAILING('Data 2'!B1:B9))*2"},
        {"=TRIMRANGE(A1:C9,2,0)", "TRIMRANGE(A1:C9,2,0)",
         "_xlfn.TRIMRANGE(A1:C9,2,0)"},
        {"=_xlfn._TRO_ALL(A1:C9)", "A1.:.C9", "_xlfn._TRO_ALL(A1:C9)"},
        /* a call the operator cannot show stays a call */
        {"=_xlfn._TRO_ALL(OFFSET(A1,0,0,3))",
         "_xlfn._TRO_ALL(OFFSET(A1,0,0,3))",
         "_xlfn._TRO_ALL(OFFSET(A1,0,0,3))"},
        /* spaces around a plain ':' still work */
        {"=SUM(A1 : B2)", "SUM(A1:B2)", "SUM(A1:B2)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        xc_formula *f = parse_at(cases[i][0], 0, 0, 0), *g;
        xc_buf d, fl, back;
        CHECK(f != NULL);
        if (!f)
            continue;
        xc_buf_init(&d);
        xc_buf_init(&fl);
        xc_buf_init(&back);
        CHECK(xc_formula_print(&d, f, book, sh, 0, 0) == XC_OK);
        CHECK_STR(d.p, cases[i][1]);
        CHECK(xc_formula_print_file(&fl, f, book, sh, 0, 0) == XC_OK);
        CHECK_STR(fl.p, cases[i][2]);
        CHECK(!(xc_formula_flags(f) & XC_F_UNKNOWN_FN));
        g = parse_at(fl.p ? fl.p : "", XC_FP_FILE, 0, 0);
        CHECK(g != NULL);
        if (g) {
            CHECK(xc_formula_print_file(&back, g, book, sh, 0, 0) == XC_OK);
            CHECK_STR(back.p, fl.p);
        }
        xc_buf_clear(&d);
        xc_buf_clear(&fl);
        xc_buf_clear(&back);
        xc_formula_release(f);
        xc_formula_release(g);
    }
    /* relative ends move with the cell, the operator stays */
    xc_formula *f = parse_at("=B2:.C3", 0, 0, 0);
    xc_buf b;
    xc_buf_init(&b);
    CHECK(f && xc_formula_print(&b, f, book, sh, 2, 1) == XC_OK);
    CHECK_STR(b.p, "C4:.D5");
    xc_buf_clear(&b);
    xc_formula_release(f);
    /* malformed operators are parse errors */
    static const char *const bad[] = {"=A1.:", "=A1:.", "=A1.:.5", "=A.:1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        xc_parse_opts o = {book, sh, 0, 0, 0};
        xc_parse_error pe;
        f = NULL;
        CHECK(xc_formula_parse(&f, bad[i], strlen(bad[i]), &o, &pe) ==
              XC_EPARSE);
        xc_formula_release(f);
    }
}

/* the book and sheet every cell helper works on (xbook.h) */
#define set_num(row, col, x) xb_set_num(book, sh, row, col, x)
#define set_formula(row, col, text) xb_set_formula(book, sh, row, col, text)
#define CHECK_CELL(row, col, want) XB_CHECK_CELL(book, sh, row, col, want)

/* The graph: C1 =ROWS(A1:.A20) and D1 =SUM(A.:.A) depend on every cell
 * of the range written, not only on the part the last evaluation kept;
 * a formula cell inside the range is computed before the trim reads it. */
static void test_graph(void)
{
    set_num(1, 0, 5);           /* A2 */
    set_formula(2, 0, "=A2*2"); /* A3 = 10 */
    set_formula(0, 2, "=ROWS(A1:.A20)");
    set_formula(0, 3, "=SUM(A.:.A)");
    set_formula(0, 4, "=ROWS(TRIMRANGE(A1:A20,1))");
    CHECK(xc_book_recalc(book) == XC_OK);
    CHECK_CELL(0, 2, "3");
    CHECK_CELL(0, 3, "15");
    CHECK_CELL(0, 4, "19");
    set_num(9, 0, 1); /* A10, outside the trimmed A1:A3 */
    CHECK(xc_book_recalc(book) == XC_OK);
    CHECK_CELL(0, 2, "10");
    CHECK_CELL(0, 3, "16");
    set_num(1, 0, 7); /* A2 through the formula in A3 */
    CHECK(xc_book_recalc(book) == XC_OK);
    CHECK_CELL(0, 3, "22");
    set_num(0, 0, 1); /* A1: nothing leading to trim any more */
    CHECK(xc_book_recalc(book) == XC_OK);
    CHECK_CELL(0, 4, "20");
}

int main(void)
{
    book = xc_book_new();
    CHECK(book != NULL);
    xc_book_set_engine(book, xc_formula_engine(), NULL);
    CHECK(xc_book_add_sheet(book, "Sheet1", 6, &sh) == XC_OK);
    CHECK(xc_book_add_sheet(book, "Data 2", 6, &sh2) == XC_OK);
    test_forms();
    test_graph();
    xc_book_free(book);
    return xtest_done();
}
