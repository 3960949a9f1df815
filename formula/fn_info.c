/* fn_info.c - spreadsheet functions of the "info" category: the IS*
 * tests, N, NA, TYPE, ERROR.TYPE, SHEET, SHEETS, CELL, and the @ and #
 * operators as Excel stores them (SINGLE, ANCHORARRAY). */
#include <string.h>
#include <strings.h>
#include "formula_int.h"

static int set_bool(xc_value *out, int b)
{
    xc_value_clear(out);
    xc_value_set_bool(out, b);
    return XC_OK;
}

static int fn_isblank(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type == XC_EMPTY);
}

static int fn_iserr(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    return set_bool(out, v->type == XC_ERROR && v->err != XC_ERR_NA);
}

static int fn_iserror(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type == XC_ERROR);
}

static int fn_isna(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    return set_bool(out, v->type == XC_ERROR && v->err == XC_ERR_NA);
}

static int fn_islogical(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type == XC_BOOL);
}

static int fn_isnumber(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type == XC_NUMBER);
}

static int fn_istext(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type == XC_TEXT);
}

static int fn_isnontext(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type != XC_TEXT);
}

static int fn_isref(xc_fncall *c, xc_value *out)
{
    return set_bool(out, c->argv[0].type == XC_REF);
}

/* ISEVEN/ISODD: the number truncated toward zero.  Numeric text and
 * empty cells coerce, but a logical is #VALUE! (even from a cell). */
static int parity(xc_fncall *c, int want_odd, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    xc_value n = {0};
    xc_num t;
    mpq_t q;
    int odd, st;

    if (v->type == XC_ERROR)
        return xc_value_copy(out, v);
    if (v->type == XC_BOOL) {
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    }
    if ((st = xc_to_number(v, &n)) != XC_OK)
        return st;
    if (n.type != XC_NUMBER) {
        xc_value_clear(out);
        xc_value_move(out, &n);
        return XC_OK;
    }
    xc_num_init(&t);
    st = xc_num_round(&t, &n.u.num, 0, XC_ROUND_DOWN);
    xc_value_clear(&n);
    if (st != XC_OK) {
        xc_num_clear(&t);
        if (st == XC_ENOMEM)
            return st;
        xc_result_error(out, XC_ERR_NUM);
        return XC_OK;
    }
    mpq_init(q);
    xc_num_get_mpq(q, &t);
    odd = mpz_odd_p(mpq_numref(q)) != 0;
    mpq_clear(q);
    xc_num_clear(&t);
    return set_bool(out, odd == want_odd);
}

static int fn_iseven(xc_fncall *c, xc_value *out)
{
    return parity(c, 0, out);
}

static int fn_isodd(xc_fncall *c, xc_value *out)
{
    return parity(c, 1, out);
}

static int fn_isformula(xc_fncall *c, xc_value *out)
{
    const xc_area *a = &c->argv[0].u.ref->a[0];
    return set_bool(out, xc_book_formula(c->ev->book, a->sheet, a->r1, a->c1) !=
                             NULL);
}

/* N(value): numbers as they are, TRUE as 1, anything else 0; errors
 * propagate. */
static int fn_n(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    if (v->type == XC_NUMBER || v->type == XC_ERROR)
        return xc_value_copy(out, v);
    xc_value_clear(out);
    xc_value_set_int(out, v->type == XC_BOOL && v->u.b);
    return XC_OK;
}

static int fn_na(xc_fncall *c, xc_value *out)
{
    xc_result_error(out, XC_ERR_NA);
    return XC_OK;
}

/* TYPE(value): 1 number (and empty), 2 text, 4 logical, 16 error,
 * 64 array or multi-cell range. */
static int fn_type(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    xc_value t = {0};
    int code, st;

    if (v->type == XC_REF) {
        const xc_area *a = &v->u.ref->a[0];
        if (v->u.ref->n > 1 || a->r1 != a->r2 || a->c1 != a->c2 ||
            a->sheet != a->sheet2) {
            xc_value_clear(out);
            xc_value_set_int(out, 64);
            return XC_OK;
        }
        if ((st = xc_deref(c->ev, v, &t)) != XC_OK)
            return st;
        v = &t;
    }
    switch (v->type) {
    case XC_TEXT:
        code = 2;
        break;
    case XC_BOOL:
        code = 4;
        break;
    case XC_ERROR:
        code = 16;
        break;
    case XC_ARRAY:
        code = 64;
        break;
    case XC_LAMBDA:
        code = 128;
        break;
    default:
        code = 1;
        break;
    }
    xc_value_clear(&t);
    xc_value_clear(out);
    xc_value_set_int(out, code);
    return XC_OK;
}

/* ERROR.TYPE(error_val): Excel's error numbers; #N/A for a non-error. */
static int fn_error_type(xc_fncall *c, xc_value *out)
{
    static const struct {
        xc_error e;
        int code;
    } codes[] = {
        {XC_ERR_NULL, 1},     {XC_ERR_DIV0, 2},         {XC_ERR_VALUE, 3},
        {XC_ERR_REF, 4},      {XC_ERR_NAME, 5},         {XC_ERR_NUM, 6},
        {XC_ERR_NA, 7},       {XC_ERR_GETTING_DATA, 8}, {XC_ERR_SPILL, 9},
        {XC_ERR_CONNECT, 10}, {XC_ERR_BLOCKED, 11},     {XC_ERR_UNKNOWN, 12},
        {XC_ERR_FIELD, 13},   {XC_ERR_CALC, 14}};
    const xc_value *v = &c->argv[0];
    if (v->type == XC_ERROR)
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
            if (codes[i].e == v->err) {
                xc_value_clear(out);
                xc_value_set_int(out, codes[i].code);
                return XC_OK;
            }
    xc_result_error(out, XC_ERR_NA);
    return XC_OK;
}

/* SHEET([value]): the 1-based number of the formula's sheet, of a
 * reference's (first) sheet, or of the sheet named by text; #N/A for a
 * name that is no sheet and for other values. */
static int fn_sheet(xc_fncall *c, xc_value *out)
{
    const xc_value *v = c->argc > 0 ? &c->argv[0] : NULL;
    int idx = -1;

    if (!v || (v->type == XC_EMPTY && c->nodes[0]->kind == XN_MISSING))
        idx = c->ev->sheet;
    else if (v->type == XC_ERROR)
        return xc_value_copy(out, v);
    else if (v->type == XC_REF && v->u.ref->n > 0)
        idx = v->u.ref->a[0].sheet;
    else if (v->type == XC_TEXT)
        idx = xc_book_find_sheet(c->ev->book, v->u.str->s, v->u.str->len);
    if (idx < 0) {
        xc_result_error(out, XC_ERR_NA);
        return XC_OK;
    }
    xc_value_clear(out);
    xc_value_set_int(out, idx + 1);
    return XC_OK;
}

/* SHEETS([reference]): how many sheets the reference spans (a 3-D
 * reference Sheet1:Sheet3!A1 spans 3), or the book's sheet count. */
static int fn_sheets(xc_fncall *c, xc_value *out)
{
    const xc_refs *r;
    int n = 0, count = xc_book_sheet_count(c->ev->book);

    if (c->argc == 0 || c->nodes[0]->kind == XN_MISSING) {
        xc_value_clear(out);
        xc_value_set_int(out, count);
        return XC_OK;
    }
    r = c->argv[0].u.ref;
    for (int s = 0; s < count; s++)
        for (uint32_t i = 0; i < r->n; i++)
            if (r->a[i].sheet <= s && s <= r->a[i].sheet2) {
                n++;
                break;
            }
    xc_value_clear(out);
    xc_value_set_int(out, n);
    return XC_OK;
}

/* "$AB$12", with the sheet name (quoted when needed) when the cell is
 * on another sheet than the formula's. */
static int put_address(xc_buf *b, const xc_book *book, int here, int sheet,
                       uint32_t row, uint32_t col)
{
    char letters[8];
    int n = 0, st;
    uint32_t c = col + 1;

    if (sheet != here) {
        const char *name = xc_book_sheet_name(book, sheet);
        size_t len = name ? strlen(name) : 0;
        if (!xc_lex_plain_sheet(name, len)) {
            if ((st = xc_buf_putc(b, '\'')) != XC_OK)
                return st;
            for (size_t i = 0; i < len; i++)
                if ((name[i] == '\'' && (st = xc_buf_putc(b, '\'')) != XC_OK) ||
                    (st = xc_buf_putc(b, name[i])) != XC_OK)
                    return st;
            if ((st = xc_buf_putc(b, '\'')) != XC_OK)
                return st;
        } else if ((st = xc_buf_printf(b, "%s", name)) != XC_OK) {
            return st;
        }
        if ((st = xc_buf_putc(b, '!')) != XC_OK)
            return st;
    }
    while (c > 0 && n < (int)sizeof letters) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    if ((st = xc_buf_putc(b, '$')) != XC_OK)
        return st;
    while (n > 0)
        if ((st = xc_buf_putc(b, letters[--n])) != XC_OK)
            return st;
    return xc_buf_printf(b, "$%u", (unsigned)row + 1);
}

/* CELL(info_type, [reference]) for the top-left cell of the reference
 * (the formula's own cell when omitted): "address", "col", "row",
 * "contents" (its value; empty as 0), "type" (b blank, l text, v
 * anything else).  Types that depend on formatting or the file
 * ("format", "width", "filename"...) are #N/A; others #VALUE!. */
static int fn_cell(xc_fncall *c, xc_value *out)
{
    static const char *const other[] = {"color",       "filename", "format",
                                        "parentheses", "prefix",   "protect",
                                        "width"};
    const xc_value *t = &c->argv[0];
    int sheet = c->ev->sheet, st;
    uint32_t row = c->ev->row, col = c->ev->col;
    const xc_value *v;
    const char *k;
    size_t n;

    if (t->type == XC_ERROR)
        return xc_value_copy(out, t);
    if (c->argc > 1 && c->nodes[1]->kind != XN_MISSING) {
        if (c->argv[1].type == XC_ERROR)
            return xc_value_copy(out, &c->argv[1]);
        sheet = c->argv[1].u.ref->a[0].sheet;
        row = c->argv[1].u.ref->a[0].r1;
        col = c->argv[1].u.ref->a[0].c1;
    }
    k = t->u.str->s;
    n = t->u.str->len;
    xc_value_clear(out);
    if (n == 7 && !strncasecmp(k, "address", n)) {
        xc_buf b;
        xc_buf_init(&b);
        st = put_address(&b, c->ev->book, c->ev->sheet, sheet, row, col);
        if (st == XC_OK)
            st = xc_value_set_text(out, b.p, b.len);
        xc_buf_clear(&b);
        return st;
    }
    if (n == 3 && !strncasecmp(k, "col", n)) {
        xc_value_set_int(out, (int64_t)col + 1);
        return XC_OK;
    }
    if (n == 3 && !strncasecmp(k, "row", n)) {
        xc_value_set_int(out, (int64_t)row + 1);
        return XC_OK;
    }
    if ((n == 8 && !strncasecmp(k, "contents", n)) ||
        (n == 4 && !strncasecmp(k, "type", n))) {
        v = xc_book_get(c->ev->book, sheet, row, col);
        if (n == 8) {
            if (!v || v->type == XC_EMPTY) {
                xc_value_set_int(out, 0);
                return XC_OK;
            }
            return xc_value_copy(out, v);
        }
        k = !v || v->type == XC_EMPTY ? "b" : v->type == XC_TEXT ? "l" : "v";
        return xc_value_set_text(out, k, 1);
    }
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (n == strlen(other[i]) && !strncasecmp(k, other[i], n)) {
            xc_value_set_error(out, XC_ERR_NA);
            return XC_OK;
        }
    xc_value_set_error(out, XC_ERR_VALUE);
    return XC_OK;
}

/* SINGLE(value), the @ operator: implicit intersection of a range with
 * the formula's row or column, the first element of an array. */
static int fn_single(xc_fncall *c, xc_value *out)
{
    return xc_deref(c->ev, &c->argv[0], out);
}

/* ANCHORARRAY(reference), the spill operator A2#: the whole range of
 * the array formula anchored at the referenced cell; #REF! when that
 * cell anchors none. */
static int fn_anchorarray(xc_fncall *c, xc_value *out)
{
    const xc_area *a = &c->argv[0].u.ref->a[0];
    const xc_cell *cell = xc_book_cell(c->ev->book, a->sheet, a->r1, a->c1);
    xc_area r;

    if (!cell || !(cell->flags & XC_CELL_ARRAY) ||
        xc_book_array_range(c->ev->book, a->sheet, a->r1, a->c1, &r) != XC_OK) {
        xc_result_error(out, XC_ERR_REF);
        return XC_OK;
    }
    xc_value_clear(out);
    return xc_value_set_area(out, &r);
}

/* clang-format off */
const xc_fn_def xc_fns_info[] = {
    {"ANCHORARRAY", "r", fn_anchorarray, XC_FN_REFRESULT | XC_FN_DYNREF,
     "info", "ANCHORARRAY(reference)",
     "The spill operator A1#: the whole range of the array formula "
     "anchored at the cell; #REF! when there is none.",
     "=ANCHORARRAY(A1) -> #REF!"},
    {"CELL", "s|r", fn_cell, 0, "info", "CELL(info_type, [reference])",
     "Information on a cell: \"address\", \"col\", \"row\", "
     "\"contents\" or \"type\" (b blank, l text, v other).",
     "=CELL(\"row\",B7) -> 7\n=CELL(\"address\",B7) -> $B$7"},
    {"ERROR.TYPE", "e", fn_error_type, 0, "info", "ERROR.TYPE(error_val)",
     "The number of an error value (1 #NULL!, 2 #DIV/0!, 3 #VALUE!, "
     "4 #REF!, 5 #NAME?, 6 #NUM!, 7 #N/A); #N/A for a non-error.",
     "=ERROR.TYPE(1/0) -> 2\n=ERROR.TYPE(NA()) -> 7\n=ERROR.TYPE(1) -> #N/A"},
    {"ISBLANK", "e", fn_isblank, 0, "info", "ISBLANK(value)",
     "TRUE when the value refers to an empty cell.",
     "=ISBLANK(A1) -> TRUE\n=ISBLANK(\"\") -> FALSE"},
    {"ISERR", "e", fn_iserr, 0, "info", "ISERR(value)",
     "TRUE for any error value except #N/A.",
     "=ISERR(1/0) -> TRUE\n=ISERR(NA()) -> FALSE"},
    {"ISERROR", "e", fn_iserror, 0, "info", "ISERROR(value)",
     "TRUE for any error value.",
     "=ISERROR(NA()) -> TRUE\n=ISERROR(1) -> FALSE"},
    {"ISEVEN", "e", fn_iseven, 0, "info", "ISEVEN(number)",
     "TRUE when the number, truncated to an integer, is even.",
     "=ISEVEN(4) -> TRUE\n=ISEVEN(-3.5) -> FALSE"},
    {"ISFORMULA", "r", fn_isformula, 0, "info", "ISFORMULA(reference)",
     "TRUE when the referenced cell holds a formula.",
     "=ISFORMULA(A1) -> FALSE"},
    {"ISLOGICAL", "e", fn_islogical, 0, "info", "ISLOGICAL(value)",
     "TRUE for a logical value.",
     "=ISLOGICAL(TRUE) -> TRUE\n=ISLOGICAL(1) -> FALSE"},
    {"ISNA", "e", fn_isna, 0, "info", "ISNA(value)",
     "TRUE for the #N/A error.", "=ISNA(NA()) -> TRUE\n=ISNA(1/0) -> FALSE"},
    {"ISNONTEXT", "e", fn_isnontext, 0, "info", "ISNONTEXT(value)",
     "TRUE for anything but text (empty cells included).",
     "=ISNONTEXT(1) -> TRUE\n=ISNONTEXT(\"a\") -> FALSE"},
    {"ISNUMBER", "e", fn_isnumber, 0, "info", "ISNUMBER(value)",
     "TRUE for a number (numeric text is not a number).",
     "=ISNUMBER(1.5) -> TRUE\n=ISNUMBER(\"1\") -> FALSE"},
    {"ISODD", "e", fn_isodd, 0, "info", "ISODD(number)",
     "TRUE when the number, truncated to an integer, is odd.",
     "=ISODD(3) -> TRUE\n=ISODD(2.9) -> FALSE"},
    {"ISREF", "a", fn_isref, 0, "info", "ISREF(value)",
     "TRUE when the argument is a reference.",
     "=ISREF(A1) -> TRUE\n=ISREF(1) -> FALSE"},
    {"ISTEXT", "e", fn_istext, 0, "info", "ISTEXT(value)",
     "TRUE for text.", "=ISTEXT(\"a\") -> TRUE\n=ISTEXT(1) -> FALSE"},
    {"N", "e", fn_n, 0, "info", "N(value)",
     "A number as is, TRUE as 1, other values as 0; errors propagate.",
     "=N(7) -> 7\n=N(TRUE) -> 1\n=N(\"a\") -> 0"},
    {"NA", "", fn_na, 0, "info", "NA()", "The #N/A error value.",
     "=NA() -> #N/A"},
    {"SHEET", "|a", fn_sheet, 0, "info", "SHEET([value])",
     "The number of the formula's sheet, or of a reference's sheet or a "
     "sheet named by text.",
     "=SHEET() -> 1\n=SHEET(\"no such sheet\") -> #N/A"},
    {"SHEETS", "|r", fn_sheets, 0, "info", "SHEETS([reference])",
     "How many sheets a reference spans, or the workbook's sheet count.",
     "=SHEETS(A1) -> 1"},
    {"SINGLE", "a", fn_single, 0, "info", "SINGLE(value)",
     "The @ operator: a range reduced to the cell on the formula's row "
     "or column, an array to its first element.",
     "=SINGLE({5,6}) -> 5"},
    {"TYPE", "a", fn_type, XC_FN_FNARGS, "info", "TYPE(value)",
     "The type of a value: 1 number, 2 text, 4 logical, 16 error, 64 "
     "array, 128 a LAMBDA.",
     "=TYPE(1) -> 1\n=TYPE(\"a\") -> 2\n=TYPE({1,2}) -> 64"},
};
/* clang-format on */
const size_t xc_fns_info_n = sizeof xc_fns_info / sizeof *xc_fns_info;
