/* fuzz_parse.c - libFuzzer target for the formula lexer, parser and
 * printer.  Arbitrary bytes are parsed against a small book (in normal
 * and file mode); whatever parses must print, the printed text must
 * parse again, and printing that gives the same text.  Any crash, leak
 * or mismatch is a bug. */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#include "formula_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xc_book *book;

static void make_book(void)
{
    static const char *names[] = {"Sheet1", "Sheet 2", "表11",
                                  "Sheet3", "A1",      "It's"};
    int ix;
    book = xc_book_new();
    for (size_t i = 0; book && i < sizeof names / sizeof *names; i++)
        xc_book_add_sheet(book, names[i], strlen(names[i]), &ix);
}

/* Parse text, print it at the same cell into *out; 0 when it parsed. */
static int parse_print(const char *text, size_t n, unsigned flags, xc_buf *out)
{
    xc_parse_opts o = {book, 0, 7, 3, flags};
    xc_parse_error pe;
    xc_formula *f;
    int st = xc_formula_parse(&f, text, n, &o, &pe);

    if (st != XC_OK) {
        if (pe.line < 1 || pe.col < 1 || !memchr(pe.msg, 0, sizeof pe.msg))
            abort(); /* every failure says where */
        return -1;
    }
    if (xc_formula_print(out, f, book, 0, 7, 3) != XC_OK)
        abort();
    xc_formula_release(f);
    return 0;
}

static void check(const uint8_t *data, size_t size, unsigned flags)
{
    xc_buf t1, t2;
    xc_buf_init(&t1);
    xc_buf_init(&t2);
    if (parse_print((const char *)data, size, flags, &t1) == 0 &&
        xc_utf8_count(t1.p, t1.len) <= XC_FORMULA_MAX_LEN) {
        /* the printed text carries exact numbers: re-read it exactly */
        if (parse_print(t1.p, t1.len, flags & ~XC_FP_FILE, &t2) != 0)
            abort();
        if (t1.len != t2.len || memcmp(t1.p, t2.p, t1.len) != 0)
            abort();
    }
    xc_buf_clear(&t1);
    xc_buf_clear(&t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!book) {
        fz_big_stack();
        make_book();
    }
    if (!book)
        return 0;
    check(data, size, 0);
    check(data, size, XC_FP_FILE);
    return 0;
}
