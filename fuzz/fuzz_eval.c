/* fuzz_eval.c - libFuzzer target for the evaluator and the function
 * library.
 *
 * The input is formula text.  It is parsed against a small fixed book
 * (numbers, text, logicals, errors, a few formulas, a defined name and
 * a second sheet), evaluated as an ordinary and as an array formula, in
 * exact and in Excel mode, traced as `explain` does, and its result
 * printed; then stored in a cell and recalculated with the book.  The
 * library limits (number size, array size, text length, nesting) must
 * keep every run bounded: an input that runs long or grows memory
 * without bound is a bug, as is any crash or leak. */
#include "fuzz_common.h"

#include <string.h>

#include "exacalc/formula.h"
#include "formula_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xc_book *book;

/* Set sheet!A1-style cell (row, col) to the formula text t. */
static void put_formula(int sheet, uint32_t r, uint32_t c, const char *t)
{
    xc_parse_opts o = {book, sheet, r, c, 0};
    xc_parse_error pe;
    xc_formula *f;
    if (xc_formula_parse(&f, t, strlen(t), &o, &pe) != XC_OK)
        abort();
    if (xc_book_set_formula(book, sheet, r, c, f, NULL) != XC_OK)
        abort();
    xc_formula_release(f);
}

static void put_num(int sheet, uint32_t r, uint32_t c, const char *t)
{
    xc_value v = {0};
    xc_num n;
    xc_num_init(&n);
    if (xc_num_parse(&n, t, strlen(t), 0, NULL) != XC_OK)
        abort();
    xc_value_take_num(&v, &n);
    xc_book_set_value(book, sheet, r, c, &v);
    xc_value_clear(&v);
    xc_num_clear(&n);
}

static void put_text(int sheet, uint32_t r, uint32_t c, const char *t)
{
    xc_value v = {0};
    xc_value_set_text(&v, t, strlen(t));
    xc_book_set_value(book, sheet, r, c, &v);
    xc_value_clear(&v);
}

static void make_book(void)
{
    int s1, s2;
    xc_value v = {0};
    book = xc_book_new();
    if (!book)
        abort();
    xc_book_set_engine(book, xc_formula_engine(), NULL);
    xc_book_add_sheet(book, "Sheet1", 6, &s1);
    xc_book_add_sheet(book, "表2", strlen("表2"), &s2);
    static const char *nums[] = {"1",     "2.5", "-3", "0.1",     "1E+15",
                                 "0.333", "100", "0",  "1291.61", "-0.5"};
    for (uint32_t r = 0; r < 10; r++) {
        put_num(s1, r, 0, nums[r]);
        put_num(s2, r, 0, nums[9 - r]);
    }
    static const char *texts[] = {"abc",  "",      "12",         "优秀",
                                  "a*b?", "TRUE",  "2024-01-31", " x ",
                                  "#N/A", "完成率"};
    for (uint32_t r = 0; r < 10; r++)
        put_text(s1, r, 1, texts[r]);
    xc_value_set_bool(&v, 1);
    xc_book_set_value(book, s1, 0, 2, &v);
    xc_value_set_error(&v, XC_ERR_DIV0);
    xc_book_set_value(book, s1, 1, 2, &v);
    put_formula(s1, 2, 2, "SUM(A1:A10)");
    put_formula(s1, 3, 2, "A2*B3");
    put_formula(s1, 4, 2, "IF(A1>0,\"yes\",1/0)");
    put_formula(s1, 5, 2, "SEQUENCE(3,2)");
    xc_book_add_name(book, "rate", -1, "0.98", 0);
    xc_book_recalc_all(book);
}

static int trace_cb(void *ud, int depth, const char *text, const xc_value *v,
                    const char *note)
{
    size_t *n = ud;
    REQUIRE(depth >= 0 && text != NULL && v != NULL);
    (*n)++;
    return XC_OK;
}

static void eval_print(const xc_formula *f, unsigned flags)
{
    xc_value v = {0};
    xc_buf out;
    int st = xc_formula_eval(book, 0, 19, 5, f, flags, &v);
    REQUIRE(st == XC_OK || st == XC_ENOMEM || st == XC_ELIMIT);
    if (st == XC_OK) {
        xc_buf_init(&out);
        st = xc_value_format(&out, &v, XC_FMT_GENERAL);
        REQUIRE(st == XC_OK || st == XC_ELIMIT || st == XC_ENOMEM);
        xc_buf_reset(&out);
        st = xc_value_format(&out, &v, XC_FMT_EXACT);
        REQUIRE(st == XC_OK || st == XC_ELIMIT || st == XC_ENOMEM);
        xc_buf_clear(&out);
    }
    xc_value_clear(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xc_parse_opts o = {0, 0, 19, 5, 0};
    xc_parse_error pe;
    xc_formula *f;
    xc_value v = {0};
    size_t steps = 0;

    if (!book) {
        fz_big_stack();
        xc_array_cap = FZ_ARRAY_CAP;
        xc_lambda_calls_cap = FZ_LAMBDA_CALLS;
        make_book();
    }
    o.book = book;
    if (xc_formula_parse(&f, (const char *)data, size, &o, &pe) != XC_OK)
        return 0;
    eval_print(f, 0);
    eval_print(f, XC_EV_ARRAY);
    eval_print(f, XC_EV_EXCEL);
    int st = xc_formula_eval_traced(book, 0, 19, 5, f, 0, trace_cb, &steps, &v);
    REQUIRE(st == XC_OK || st == XC_ENOMEM || st == XC_ELIMIT);
    xc_value_clear(&v);
    /* as a cell of the book: dependencies, cycles, recalculation */
    if (xc_book_set_formula(book, 0, 19, 5, f, NULL) == XC_OK) {
        st = xc_book_recalc(book);
        REQUIRE(st == XC_OK || st == XC_ENOMEM || st == XC_ELIMIT);
        xc_book_get(book, 0, 19, 5);
        xc_book_clear_cell(book, 0, 19, 5);
        xc_book_recalc(book);
    }
    xc_formula_release(f);
    return 0;
}
