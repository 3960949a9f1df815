/* value.c - spreadsheet values (see exacalc/value.h): construction,
 * copying, Excel's comparison order, error literals and the canonical
 * text of a value.
 *
 * Text, arrays and reference lists are reference-counted and immutable
 * once built, so copying a value never copies its payload; only numbers
 * held in GMP are duplicated.
 */
#include <string.h>

#include "exacalc/value.h"

/* ---- error literals ----------------------------------------------- */

/* clang-format off */
static const char *const error_names[XC_ERR_COUNT_] = {
    [XC_ERR_NONE] = "",
    [XC_ERR_NULL] = "#NULL!",
    [XC_ERR_DIV0] = "#DIV/0!",
    [XC_ERR_VALUE] = "#VALUE!",
    [XC_ERR_REF] = "#REF!",
    [XC_ERR_NAME] = "#NAME?",
    [XC_ERR_NUM] = "#NUM!",
    [XC_ERR_NA] = "#N/A",
    [XC_ERR_GETTING_DATA] = "#GETTING_DATA",
    [XC_ERR_SPILL] = "#SPILL!",
    [XC_ERR_CALC] = "#CALC!",
    [XC_ERR_FIELD] = "#FIELD!",
    [XC_ERR_BLOCKED] = "#BLOCKED!",
    [XC_ERR_CONNECT] = "#CONNECT!",
    [XC_ERR_BUSY] = "#BUSY!",
    [XC_ERR_UNKNOWN] = "#UNKNOWN!",
    [XC_ERR_CIRC] = "#CIRC!",
};
/* clang-format on */

const char *xc_error_name(xc_error e)
{
    if ((unsigned)e >= XC_ERR_COUNT_ || e == XC_ERR_NONE)
        return error_names[XC_ERR_UNKNOWN];
    return error_names[e];
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

xc_error xc_error_parse(const char *s, size_t n)
{
    int e;
    size_t i;

    if (n < 2 || s[0] != '#')
        return XC_ERR_NONE;
    for (e = 1; e < XC_ERR_COUNT_; e++) {
        const char *name = error_names[e];
        if (strlen(name) != n)
            continue;
        for (i = 0; i < n; i++)
            if (ascii_lower((unsigned char)s[i]) !=
                ascii_lower((unsigned char)name[i]))
                break;
        if (i == n)
            return (xc_error)e;
    }
    return XC_ERR_NONE;
}

/* ---- reference-counted payloads ------------------------------------ */

xc_str *xc_str_new(const char *s, size_t n)
{
    xc_str *t;

    if (n > XC_TEXT_MAX_BYTES)
        return NULL;
    t = xc_malloc(sizeof *t + n + 1);
    if (!t)
        return NULL;
    t->refs = 1;
    t->len = (uint32_t)n;
    if (n)
        memcpy(t->s, s, n);
    t->s[n] = '\0';
    return t;
}

xc_str *xc_str_ref(xc_str *s)
{
    if (s)
        s->refs++;
    return s;
}

void xc_str_unref(xc_str *s)
{
    if (s && --s->refs == 0)
        xc_free(s);
}

static void array_unref(xc_array *a)
{
    size_t i, n;

    if (!a || --a->refs != 0)
        return;
    n = (size_t)a->rows * a->cols;
    for (i = 0; i < n; i++)
        xc_value_clear(&a->v[i]);
    xc_free(a->v);
    xc_free(a);
}

static void refs_unref(xc_refs *r)
{
    if (r && --r->refs == 0)
        xc_free(r);
}

static void lambda_unref(xc_lambda *f)
{
    if (f && --f->refs == 0 && f->destroy)
        f->destroy(f);
}

/* ---- life cycle ---------------------------------------------------- */

void xc_value_release(xc_value *v)
{
    switch (v->type) {
    case XC_NUMBER:
        xc_num_clear(&v->u.num);
        break;
    case XC_TEXT:
        xc_str_unref(v->u.str);
        break;
    case XC_ARRAY:
        array_unref(v->u.arr);
        break;
    case XC_REF:
        refs_unref(v->u.ref);
        break;
    case XC_LAMBDA:
        lambda_unref(v->u.fn);
        break;
    default:
        break;
    }
    memset(v, 0, sizeof *v);
}

/* Copy into a fresh value first, so dst may hold src (e.g. src is an
 * element of dst's array) and a failure leaves dst untouched. */
int xc_value_copy(xc_value *dst, const xc_value *src)
{
    xc_value t;

    if (dst == src)
        return XC_OK;
    t = *src;
    switch (src->type) {
    case XC_NUMBER:
        xc_num_init(&t.u.num);
        if (xc_num_set(&t.u.num, &src->u.num) != XC_OK)
            return XC_ENOMEM;
        break;
    case XC_TEXT:
        xc_str_ref(t.u.str);
        break;
    case XC_ARRAY:
        t.u.arr->refs++;
        break;
    case XC_REF:
        t.u.ref->refs++;
        break;
    case XC_LAMBDA:
        t.u.fn->refs++;
        break;
    default:
        break;
    }
    xc_value_clear(dst);
    *dst = t;
    return XC_OK;
}

void xc_value_move(xc_value *dst, xc_value *src)
{
    if (dst == src)
        return;
    xc_value_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

void xc_value_set_empty(xc_value *v)
{
    xc_value_clear(v);
}

void xc_value_set_bool(xc_value *v, int b)
{
    xc_value_clear(v);
    v->type = XC_BOOL;
    v->u.b = b != 0;
}

void xc_value_set_error(xc_value *v, xc_error e)
{
    xc_value_clear(v);
    v->type = XC_ERROR;
    v->err = (uint16_t)e;
}

void xc_value_set_int(xc_value *v, int64_t i)
{
    xc_value_clear(v);
    v->type = XC_NUMBER;
    xc_num_init(&v->u.num);
    xc_num_set_int(&v->u.num, i);
}

int xc_value_set_num(xc_value *v, const xc_num *x)
{
    xc_num t;

    xc_num_init(&t);
    if (xc_num_set(&t, x) != XC_OK)
        return XC_ENOMEM;
    xc_value_take_num(v, &t);
    return XC_OK;
}

void xc_value_take_num(xc_value *v, xc_num *x)
{
    xc_num t = *x;

    xc_num_init(x);
    xc_value_clear(v);
    v->type = XC_NUMBER;
    v->u.num = t;
}

int xc_value_set_text(xc_value *v, const char *s, size_t n)
{
    xc_str *t;

    if (n > XC_TEXT_MAX_BYTES)
        return XC_ELIMIT;
    t = xc_str_new(s, n);
    if (!t)
        return XC_ENOMEM;
    xc_value_set_str(v, t);
    return XC_OK;
}

/* v takes over the caller's reference to s. */
void xc_value_set_str(xc_value *v, xc_str *s)
{
    xc_value_clear(v);
    v->type = XC_TEXT;
    v->u.str = s;
}

int xc_value_set_array(xc_value *v, uint32_t rows, uint32_t cols,
                       xc_array **out)
{
    xc_array *a;
    size_t n;

    if (rows == 0 || cols == 0)
        return XC_EINVAL;
    if ((uint64_t)rows * cols > SIZE_MAX / sizeof(xc_value))
        return XC_ELIMIT;
    n = (size_t)rows * cols;
    a = xc_malloc(sizeof *a);
    if (!a)
        return XC_ENOMEM;
    a->v = xc_calloc(n, sizeof(xc_value));
    if (!a->v) {
        xc_free(a);
        return XC_ENOMEM;
    }
    a->refs = 1;
    a->rows = rows;
    a->cols = cols;
    xc_value_clear(v);
    v->type = XC_ARRAY;
    v->u.arr = a;
    if (out)
        *out = a;
    return XC_OK;
}

int xc_value_set_area(xc_value *v, const xc_area *area)
{
    xc_refs *r = xc_malloc(sizeof *r + sizeof r->a[0]);

    if (!r)
        return XC_ENOMEM;
    r->refs = 1;
    r->n = 1;
    r->a[0] = *area;
    xc_value_clear(v);
    v->type = XC_REF;
    v->u.ref = r;
    return XC_OK;
}

/* ---- comparison ---------------------------------------------------- */

/* Simple case folding for ASCII, Latin-1, Latin Extended-A, Greek,
 * Cyrillic and fullwidth Latin: enough for the text in Chinese forms,
 * where Han characters have no case. */
static uint32_t fold(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c < 0x100)
        return c;
    if (c <= 0x17F) {
        if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
            return (c & 1) ? c : c + 1;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c;
        if (c == 0x178)
            return 0xFF;
        return c;
    }
    if (c >= 0x370 && c <= 0x3FF) {
        if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
            return c + 32;
        if (c == 0x386)
            return 0x3AC;
        if (c >= 0x388 && c <= 0x38A)
            return c + 37;
        if (c == 0x38C)
            return 0x3CC;
        if (c == 0x38E || c == 0x38F)
            return c + 63;
        if (c == 0x3C2)
            return 0x3C3;
        return c;
    }
    if (c >= 0x400 && c <= 0x4FF) {
        if (c <= 0x40F)
            return c + 80;
        if (c <= 0x42F)
            return c + 32;
        if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF))
            return (c & 1) ? c : c + 1;
        return c;
    }
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;
    return c;
}

int xc_text_cmp_ci(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    while (i < an && j < bn) {
        uint32_t ca, cb;
        i += xc_utf8_decode(a + i, an - i, &ca);
        j += xc_utf8_decode(b + j, bn - j, &cb);
        ca = fold(ca);
        cb = fold(cb);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    if (i < an)
        return 1;
    if (j < bn)
        return -1;
    return 0;
}

/* Position in Excel's order: numbers < text < logicals < errors. */
static int rank(int type)
{
    switch (type) {
    case XC_NUMBER:
        return 1;
    case XC_TEXT:
        return 2;
    case XC_BOOL:
        return 3;
    case XC_ERROR:
        return 4;
    case XC_ARRAY:
        return 5;
    case XC_REF:
        return 6;
    case XC_LAMBDA:
        return 7;
    }
    return 0;
}

static int cmp_int(long long a, long long b)
{
    return (a > b) - (a < b);
}

/* An empty value against a value of the given type: 0, "" or FALSE. */
static int cmp_empty(const xc_value *b)
{
    switch (b->type) {
    case XC_EMPTY:
        return 0;
    case XC_NUMBER:
        return -xc_num_sign(&b->u.num);
    case XC_TEXT:
        return b->u.str->len ? -1 : 0;
    case XC_BOOL:
        return b->u.b ? -1 : 0;
    default:
        return -1; /* as the number 0: below every other type */
    }
}

int xc_value_cmp(const xc_value *a, const xc_value *b)
{
    size_t i, n;
    int c;

    if (a->type == XC_EMPTY)
        return cmp_empty(b);
    if (b->type == XC_EMPTY)
        return -cmp_empty(a);
    if (a->type != b->type)
        return cmp_int(rank(a->type), rank(b->type));
    switch (a->type) {
    case XC_NUMBER:
        return xc_num_cmp(&a->u.num, &b->u.num);
    case XC_TEXT:
        return xc_text_cmp_ci(a->u.str->s, a->u.str->len, b->u.str->s,
                              b->u.str->len);
    case XC_BOOL:
        return cmp_int(a->u.b != 0, b->u.b != 0);
    case XC_ERROR:
        return cmp_int(a->err, b->err);
    case XC_ARRAY:
        if (a->u.arr->rows != b->u.arr->rows)
            return cmp_int(a->u.arr->rows, b->u.arr->rows);
        if (a->u.arr->cols != b->u.arr->cols)
            return cmp_int(a->u.arr->cols, b->u.arr->cols);
        n = (size_t)a->u.arr->rows * a->u.arr->cols;
        for (i = 0; i < n; i++)
            if ((c = xc_value_cmp(&a->u.arr->v[i], &b->u.arr->v[i])) != 0)
                return c;
        return 0;
    case XC_REF:
        if (a->u.ref->n != b->u.ref->n)
            return cmp_int(a->u.ref->n, b->u.ref->n);
        c = memcmp(a->u.ref->a, b->u.ref->a, a->u.ref->n * sizeof(xc_area));
        return (c > 0) - (c < 0);
    case XC_LAMBDA:
        /* function values have no order: only identity */
        return a->u.fn == b->u.fn ? 0 : (a->u.fn < b->u.fn ? -1 : 1);
    }
    return 0;
}

int xc_value_identical(const xc_value *a, const xc_value *b)
{
    size_t i, n;

    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case XC_EMPTY:
        return 1;
    case XC_NUMBER:
        return xc_num_equal(&a->u.num, &b->u.num);
    case XC_TEXT:
        return a->u.str->len == b->u.str->len &&
               memcmp(a->u.str->s, b->u.str->s, a->u.str->len) == 0;
    case XC_BOOL:
        return (a->u.b != 0) == (b->u.b != 0);
    case XC_ERROR:
        return a->err == b->err;
    case XC_ARRAY:
        if (a->u.arr->rows != b->u.arr->rows ||
            a->u.arr->cols != b->u.arr->cols)
            return 0;
        n = (size_t)a->u.arr->rows * a->u.arr->cols;
        for (i = 0; i < n; i++)
            if (!xc_value_identical(&a->u.arr->v[i], &b->u.arr->v[i]))
                return 0;
        return 1;
    case XC_REF:
    case XC_LAMBDA:
        return xc_value_cmp(a, b) == 0;
    }
    return 0;
}

/* ---- text form ----------------------------------------------------- */

static int put_quoted(xc_buf *out, const char *s, size_t n)
{
    size_t i;
    int st = xc_buf_putc(out, '"');

    for (i = 0; i < n && st == XC_OK; i++) {
        if (s[i] == '"')
            st = xc_buf_putc(out, '"');
        if (st == XC_OK)
            st = xc_buf_putc(out, s[i]);
    }
    if (st == XC_OK)
        st = xc_buf_putc(out, '"');
    return st;
}

/* A1-style column letters for a 0-based column. */
static int put_col(xc_buf *out, uint32_t c)
{
    char t[8];
    int n = 0;

    c++;
    while (c > 0 && n < 7) {
        t[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    while (n > 0)
        if (xc_buf_putc(out, t[--n]) != XC_OK)
            return XC_ENOMEM;
    return XC_OK;
}

/* References have no sheet names at this layer: "[sheet]A1:B2". */
static int put_area(xc_buf *out, const xc_area *a)
{
    int st = xc_buf_printf(out, "[%ld]", (long)a->sheet);

    if (st == XC_OK)
        st = put_col(out, a->c1);
    if (st == XC_OK)
        st = xc_buf_printf(out, "%lu", (unsigned long)a->r1 + 1);
    if (st == XC_OK && (a->r1 != a->r2 || a->c1 != a->c2)) {
        st = xc_buf_putc(out, ':');
        if (st == XC_OK)
            st = put_col(out, a->c2);
        if (st == XC_OK)
            st = xc_buf_printf(out, "%lu", (unsigned long)a->r2 + 1);
    }
    return st;
}

static int format_into(xc_buf *out, const xc_value *v, xc_num_fmt fmt,
                       int in_array)
{
    uint32_t r, c, i;
    int st = XC_OK;

    switch (v->type) {
    case XC_EMPTY:
        return XC_OK;
    case XC_NUMBER:
        return xc_num_format(out, &v->u.num, fmt);
    case XC_TEXT:
        if (in_array)
            return put_quoted(out, v->u.str->s, v->u.str->len);
        return xc_buf_put(out, v->u.str->s, v->u.str->len);
    case XC_BOOL:
        return xc_buf_puts(out, v->u.b ? "TRUE" : "FALSE");
    case XC_ERROR:
        return xc_buf_puts(out, xc_error_name((xc_error)v->err));
    case XC_ARRAY:
        st = xc_buf_putc(out, '{');
        for (r = 0; r < v->u.arr->rows && st == XC_OK; r++) {
            if (r > 0)
                st = xc_buf_putc(out, ';');
            for (c = 0; c < v->u.arr->cols && st == XC_OK; c++) {
                if (c > 0)
                    st = xc_buf_putc(out, ',');
                if (st == XC_OK)
                    st = format_into(
                        out, &v->u.arr->v[(size_t)r * v->u.arr->cols + c], fmt,
                        1);
            }
        }
        if (st == XC_OK)
            st = xc_buf_putc(out, '}');
        return st;
    case XC_REF:
        for (i = 0; i < v->u.ref->n && st == XC_OK; i++) {
            if (i > 0)
                st = xc_buf_putc(out, ',');
            if (st == XC_OK)
                st = put_area(out, &v->u.ref->a[i]);
        }
        return st;
    case XC_LAMBDA:
        return xc_buf_puts(out, "(lambda)");
    }
    return XC_EINVAL;
}

/* On failure out is restored to its previous length. */
int xc_value_format(xc_buf *out, const xc_value *v, xc_num_fmt fmt)
{
    size_t len0 = out->len;
    int st = format_into(out, v, fmt, 0);

    if (st != XC_OK && out->p) {
        out->len = len0;
        out->p[len0] = '\0';
    }
    return st;
}
