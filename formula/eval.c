/* eval.c - the formula evaluator: one central switch over the syntax
 * tree, Excel's operators on exact numbers (element-wise on arrays and,
 * in array context, on ranges), references and defined names, function
 * calls with argument coercion and lifting, the evaluation trace, and
 * the xc_engine the kernel uses to evaluate cells and find precedents.
 * Coercion and the argument helpers live in coerce.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "formula_int.h"

/* Nesting guard: formulas nest at most 64 deep, but defined names can
 * refer to names (or themselves). */
#define EV_MAX_DEPTH 200
/* Largest array an operator or lifted function may build: two whole
 * columns (SUMPRODUCT(A:A*B:B) works); beyond it #NUM!, so a hostile
 * =A:O=1 cannot take seconds and hundreds of megabytes. */
#define EV_MAX_CELLS xc_array_max(1u << 21)

uint64_t xc_array_cap; /* formula_int.h: 0 in normal use */

/* Function calls with at most this many arguments use stack buffers. */
#define SMALL_ARGS 8

static int is_array_ctx(const xc_eval *ev)
{
    return (ev->flags & XC_EV_ARRAY) != 0;
}

static int set_err(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

/* Map a status of the number layer to a spreadsheet error where the
 * status means one; C-level failures are returned. */
static int num_status(int st, xc_value *out)
{
    switch (st) {
    case XC_OK:
        return XC_OK;
    case XC_EDIVZERO:
        return set_err(out, XC_ERR_DIV0);
    case XC_ELIMIT:
    case XC_EINVAL:
        return set_err(out, XC_ERR_NUM);
    default:
        return st;
    }
}

static int is_single_cell(const xc_value *v)
{
    const xc_area *a;
    if (v->type != XC_REF || v->u.ref->n != 1)
        return 0;
    a = &v->u.ref->a[0];
    return a->sheet == a->sheet2 && a->r1 == a->r2 && a->c1 == a->c2;
}

/* ---- Dereferencing ------------------------------------------------ */

/* A reference in scalar context: a single cell, or the cell of a
 * one-column (one-row) range on the formula's row (column). */
static int ref_scalar(xc_eval *ev, const xc_value *ref, xc_value *out)
{
    const xc_area *a;
    uint32_t r, c;

    if (ref->u.ref->n != 1)
        return set_err(out, XC_ERR_VALUE);
    a = &ref->u.ref->a[0];
    if (a->sheet != a->sheet2 || a->sheet < 0 ||
        a->sheet >= xc_book_sheet_count(ev->book))
        return set_err(out, XC_ERR_VALUE);
    if (a->r1 == a->r2)
        r = a->r1;
    else if (a->c1 == a->c2 && ev->row >= a->r1 && ev->row <= a->r2)
        r = ev->row;
    else
        return set_err(out, XC_ERR_VALUE);
    if (a->c1 == a->c2)
        c = a->c1;
    else if (a->r1 == a->r2 && ev->col >= a->c1 && ev->col <= a->c2)
        c = ev->col;
    else
        return set_err(out, XC_ERR_VALUE);
    return xc_value_copy(out, xc_book_get(ev->book, a->sheet, r, c));
}

int xc_deref(xc_eval *ev, const xc_value *in, xc_value *out)
{
    if (in == out) {
        xc_value t = {0};
        int st;
        xc_value_move(&t, (xc_value *)in);
        st = xc_deref(ev, &t, out);
        xc_value_clear(&t);
        return st;
    }
    if (in->type == XC_REF)
        return ref_scalar(ev, in, out);
    if (in->type == XC_ARRAY) {
        if (in->u.arr->rows == 0 || in->u.arr->cols == 0)
            return set_err(out, XC_ERR_VALUE);
        return xc_value_copy(out, &in->u.arr->v[0]);
    }
    return xc_value_copy(out, in);
}

/* Fast path for the commonest operand, a single-cell reference read as
 * a scalar: no reference value is built.  Returns 0 (not handled) while
 * tracing, which reports every node, or for anything unusual. */
static int cell_direct(xc_eval *ev, const xc_node *n, xc_value *out, int *st)
{
    xc_area a;
    xc_error e;

    if (n->kind != XN_REF || n->u.ref.kind != XR_CELL || ev->trace || !ev->book)
        return 0;
    e = xc_ref_resolve(&n->u.ref, ev->sheet, ev->row, ev->col, &a);
    if (e != XC_ERR_NONE) {
        *st = set_err(out, e);
        return 1;
    }
    if (a.sheet != a.sheet2 || a.sheet < 0 ||
        a.sheet >= xc_book_sheet_count(ev->book))
        return 0;
    *st = xc_value_copy(out, xc_book_get(ev->book, a.sheet, a.r1, a.c1));
    return 1;
}

int xc_eval_scalar(xc_eval *ev, const xc_node *n, xc_value *out)
{
    xc_value t = {0};
    int st;
    if (cell_direct(ev, n, out, &st))
        return st;
    st = xc_eval_node(ev, n, &t);
    if (st == XC_OK)
        st = xc_deref(ev, &t, out);
    xc_value_clear(&t);
    return st;
}

/* A single-area reference as an array of its values (empty cells stay
 * empty unless zero_empty). */
static int ref_to_array(xc_eval *ev, const xc_value *ref, int zero_empty,
                        xc_value *out)
{
    xc_grid g;
    xc_array *arr;
    xc_value t = {0};
    int st;

    if (xc_grid_init(&g, ev, ref) != XC_OK)
        return set_err(out, XC_ERR_VALUE);
    if ((uint64_t)g.rows * g.cols > EV_MAX_CELLS)
        return set_err(out, XC_ERR_NUM);
    if ((st = xc_value_set_array(&t, g.rows, g.cols, &arr)) != XC_OK)
        return st;
    for (uint32_t r = 0; r < g.rows; r++)
        for (uint32_t c = 0; c < g.cols; c++) {
            xc_value *dst = &arr->v[(size_t)r * g.cols + c];
            const xc_value *src = xc_grid_get(&g, r, c);
            if (src->type == XC_EMPTY && zero_empty)
                xc_value_set_int(dst, 0);
            else if ((st = xc_value_copy(dst, src)) != XC_OK)
                goto fail;
        }
    xc_value_clear(out);
    xc_value_move(out, &t);
    return XC_OK;
fail:
    xc_value_clear(&t);
    return st;
}

/* ---- Scalar operators --------------------------------------------- */

/* Excel's view: a number as the nearest IEEE double (held as a double,
 * see xc_num_set_double). */
static int to_double_num(xc_num *x)
{
    double d = xc_num_to_double(x);
    if (!isfinite(d))
        return XC_ELIMIT;
    return xc_num_set_double(x, d);
}

/* x^e for a rational exponent that is not an integer: through MPFR,
 * exact only when MPFR says so and both inputs converted exactly. */
static int pow_frac(xc_num *r, const xc_num *x, const xc_num *e, int *inexact)
{
    mpfr_t fx, fe, fr;
    mpq_t q;
    int t1, t2, t3, st = XC_OK;

    if (xc_num_sign(x) < 0)
        return XC_EINVAL;
    if (xc_num_is_zero(x)) {
        if (xc_num_sign(e) < 0)
            return XC_EDIVZERO;
        xc_num_set_int(r, 0);
        return XC_OK;
    }
    mpfr_inits2(XC_MPFR_PREC, fx, fe, fr, (mpfr_ptr)0);
    mpq_init(q);
    xc_num_get_mpq(q, x);
    t1 = mpfr_set_q(fx, q, MPFR_RNDN);
    xc_num_get_mpq(q, e);
    t2 = mpfr_set_q(fe, q, MPFR_RNDN);
    t3 = mpfr_pow(fr, fx, fe, MPFR_RNDN);
    if (!mpfr_number_p(fr) || mpfr_zero_p(fr))
        st = XC_ELIMIT;
    else
        st = xc_num_set_mpfr(r, fr);
    *inexact = t1 || t2 || t3;
    mpq_clear(q);
    mpfr_clears(fx, fe, fr, (mpfr_ptr)0);
    return st;
}

static int do_pow(xc_num *r, const xc_num *a, const xc_num *b, int *inexact)
{
    int64_t e;
    if (xc_num_is_int(b)) {
        if (xc_num_is_zero(a) && xc_num_is_zero(b))
            return XC_EINVAL; /* 0^0: #NUM! */
        if (xc_num_get_int64(b, &e) != XC_OK) {
            /* huge integer exponent: only 0, 1, -1 stay representable */
            if (xc_num_cmp_int(a, 1) == 0) {
                xc_num_set_int(r, 1);
                return XC_OK;
            }
            if (xc_num_cmp_int(a, -1) == 0) {
                mpq_t q;
                mpq_init(q);
                xc_num_get_mpq(q, b);
                xc_num_set_int(r, mpz_odd_p(mpq_numref(q)) ? -1 : 1);
                mpq_clear(q);
                return XC_OK;
            }
            if (xc_num_is_zero(a))
                return xc_num_sign(b) < 0 ? XC_EDIVZERO
                                          : (xc_num_set_int(r, 0), XC_OK);
            return XC_ELIMIT;
        }
        return xc_num_pow_int(r, a, e);
    }
    return pow_frac(r, a, b, inexact);
}

/* xc_to_number, reading date text in the book's date system. */
static int to_number(xc_eval *ev, const xc_value *in, xc_value *out)
{
    if (in->type == XC_TEXT && ev->book && xc_book_date1904(ev->book)) {
        xc_num x;
        int st;
        xc_num_init(&x);
        st = xc_text_to_num(in->u.str->s, in->u.str->len, 1, &x);
        if (st == XC_OK)
            return xc_result_num(out, &x, 0);
        xc_num_clear(&x);
        if (st == XC_ENOMEM)
            return st;
        return set_err(out, XC_ERR_VALUE);
    }
    return xc_to_number(in, out);
}

/* Excel's view of + - * / ^: both operands rounded to doubles and the
 * result the double nearest to the exact one.  IEEE arithmetic gives
 * exactly that for + - * /, so they are computed natively; ^ takes the
 * exact path on the two doubles and is rounded after.  Past the largest
 * double: XC_ELIMIT (#NUM!). */
static int excel_arith(int op, const xc_num *a, const xc_num *b, xc_num *r,
                       int *inexact)
{
    double x = xc_num_to_double(a), y = xc_num_to_double(b), z;
    xc_num qa, qb;
    int st;

    if (!isfinite(x) || !isfinite(y))
        return XC_ELIMIT;
    switch (op) {
    case XOP_ADD:
        z = x + y;
        break;
    case XOP_SUB:
        z = x - y;
        break;
    case XOP_MUL:
        z = x * y;
        break;
    case XOP_DIV:
        if (y == 0)
            return XC_EDIVZERO;
        z = x / y;
        break;
    default:
        xc_num_init(&qa);
        xc_num_init(&qb);
        if ((st = xc_num_set_double(&qa, x)) == XC_OK &&
            (st = xc_num_set_double(&qb, y)) == XC_OK &&
            (st = do_pow(r, &qa, &qb, inexact)) == XC_OK)
            st = to_double_num(r);
        xc_num_clear(&qa);
        xc_num_clear(&qb);
        return st;
    }
    if (!isfinite(z))
        return XC_ELIMIT;
    return xc_num_set_double(r, z);
}

/* An operand of arithmetic as a number: a number is read where it is,
 * anything else is coerced into *tmp (an error stays one). */
static int num_operand(xc_eval *ev, const xc_value *v, xc_value *tmp,
                       const xc_value **p)
{
    *p = v;
    if (v->type == XC_NUMBER)
        return XC_OK;
    *p = tmp;
    return to_number(ev, v, tmp);
}

/* Arithmetic on two scalars (+ - * / ^). */
static int arith(xc_eval *ev, int op, const xc_value *a, const xc_value *b,
                 xc_value *out)
{
    xc_value na = {0}, nb = {0};
    const xc_value *pa, *pb = b;
    xc_num r;
    int st, inexact = 0;

    if ((st = num_operand(ev, a, &na, &pa)) != XC_OK ||
        (pa->type != XC_ERROR && (st = num_operand(ev, b, &nb, &pb)) != XC_OK))
        goto done;
    if (pa->type == XC_ERROR || pb->type == XC_ERROR) {
        xc_value_move(out, pa->type == XC_ERROR ? &na : &nb);
        goto done;
    }
    const xc_num *x = &pa->u.num, *y = &pb->u.num;
    xc_num_init(&r);
    if (ev->flags & XC_EV_EXCEL) {
        st = excel_arith(op, x, y, &r, &inexact);
        goto result;
    }
    switch (op) {
    case XOP_ADD:
        st = xc_num_add(&r, x, y);
        break;
    case XOP_SUB:
        st = xc_num_sub(&r, x, y);
        break;
    case XOP_MUL:
        st = xc_num_mul(&r, x, y);
        break;
    case XOP_DIV:
        st = xc_num_is_zero(y) ? XC_EDIVZERO : xc_num_div(&r, x, y);
        break;
    default:
        st = do_pow(&r, x, y, &inexact);
        break;
    }
result:
    if (st != XC_OK) {
        xc_num_clear(&r);
        st = num_status(st, out);
        goto done;
    }
    inexact |= ((pa->flags | pb->flags) & XC_VAL_INEXACT) != 0;
    st = xc_result_num(out, &r, inexact);
    xc_num_clear(&r);
done:
    xc_value_clear(&na);
    xc_value_clear(&nb);
    return st;
}

static int concat(const xc_value *a, const xc_value *b, xc_value *out)
{
    xc_value ta = {0}, tb = {0};
    xc_buf buf;
    int st;

    if ((st = xc_to_text(a, &ta)) != XC_OK)
        return st;
    if (ta.type == XC_ERROR) {
        xc_value_move(out, &ta);
        return XC_OK;
    }
    if ((st = xc_to_text(b, &tb)) != XC_OK)
        goto done;
    if (tb.type == XC_ERROR) {
        xc_value_clear(out);
        xc_value_move(out, &tb);
        goto done;
    }
    if ((size_t)ta.u.str->len + tb.u.str->len > XC_TEXT_MAX) {
        st = set_err(out, XC_ERR_VALUE);
        goto done;
    }
    xc_buf_init(&buf);
    if ((st = xc_buf_put(&buf, ta.u.str->s, ta.u.str->len)) == XC_OK &&
        (st = xc_buf_put(&buf, tb.u.str->s, tb.u.str->len)) == XC_OK) {
        xc_value_clear(out);
        st = xc_value_set_text(out, buf.p ? buf.p : "", buf.len);
    }
    xc_buf_clear(&buf);
done:
    xc_value_clear(&ta);
    xc_value_clear(&tb);
    return st;
}

/* Excel's view of number equality: the doubles agree to 15 significant
 * digits. */
static int excel_num_cmp(const xc_num *a, const xc_num *b)
{
    double x = xc_num_to_double(a), y = xc_num_to_double(b);
    double m = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
    char sx[40], sy[40];
    if (x == y)
        return 0;
    /* Two doubles that show the same 15 digits d.dd..d * 10^E lie within
     * 10^(E-14) <= 1e-14 |x| of each other; further apart, skip the
     * formatting. */
    if (fabs(x - y) > 1e-13 * m)
        return x < y ? -1 : 1;
    snprintf(sx, sizeof sx, "%.14e", x);
    snprintf(sy, sizeof sy, "%.14e", y);
    if (strcmp(sx, sy) == 0)
        return 0;
    return x < y ? -1 : 1;
}

/* Comparison when a number is inexact (computed through MPFR): the two
 * are equal when they agree to within 10^-50 relative - well inside the
 * XC_INEXACT_DIGITS we vouch for - so ACOS(-0.5)*180/PI()=120 is TRUE,
 * while exact values keep exact comparison. */
#define INEXACT_CMP_DIGITS 50
static int inexact_num_cmp(const xc_num *a, const xc_num *b)
{
    int c = xc_num_cmp(a, b), eq = 0;
    xc_num d, m, t;
    if (c == 0)
        return 0;
    xc_num_init(&d);
    xc_num_init(&m);
    xc_num_init(&t);
    if (xc_num_sub(&d, a, b) == XC_OK && xc_num_abs(&d, &d) == XC_OK &&
        xc_num_scale10(&d, &d, INEXACT_CMP_DIGITS) == XC_OK &&
        xc_num_abs(&m, a) == XC_OK && xc_num_abs(&t, b) == XC_OK) {
        if (xc_num_cmp(&t, &m) > 0)
            xc_num_set(&m, &t);
        eq = xc_num_cmp(&d, &m) <= 0;
    }
    xc_num_clear(&d);
    xc_num_clear(&m);
    xc_num_clear(&t);
    return eq ? 0 : c;
}

static int compare(xc_eval *ev, int op, const xc_value *a, const xc_value *b,
                   xc_value *out)
{
    int c, r;
    if (a->type == XC_ERROR)
        return xc_value_copy(out, a);
    if (b->type == XC_ERROR)
        return xc_value_copy(out, b);
    if ((ev->flags & XC_EV_EXCEL) && a->type == XC_NUMBER &&
        b->type == XC_NUMBER)
        c = excel_num_cmp(&a->u.num, &b->u.num);
    else if (a->type == XC_NUMBER && b->type == XC_NUMBER &&
             ((a->flags | b->flags) & XC_VAL_INEXACT))
        c = inexact_num_cmp(&a->u.num, &b->u.num);
    else
        c = xc_value_cmp(a, b);
    switch (op) {
    case XOP_EQ:
        r = c == 0;
        break;
    case XOP_NE:
        r = c != 0;
        break;
    case XOP_LT:
        r = c < 0;
        break;
    case XOP_LE:
        r = c <= 0;
        break;
    case XOP_GT:
        r = c > 0;
        break;
    default:
        r = c >= 0;
        break;
    }
    xc_value_clear(out);
    xc_value_set_bool(out, r);
    return XC_OK;
}

/* Unary minus and percent (unary plus never reaches here). */
static int unary(xc_eval *ev, int op, const xc_value *a, xc_value *out)
{
    xc_value na = {0};
    xc_num r;
    double x100;
    int st;

    if ((st = to_number(ev, a, &na)) != XC_OK)
        return st;
    if (na.type == XC_ERROR) {
        xc_value_clear(out);
        xc_value_move(out, &na);
        return XC_OK;
    }
    xc_num_init(&r);
    if ((ev->flags & XC_EV_EXCEL) && op == XOP_NEG) {
        /* rounding is symmetric: the double nearest -a is -(nearest a) */
        double x = xc_num_to_double(&na.u.num);
        st = isfinite(x) ? xc_num_set_double(&r, -x) : XC_ELIMIT;
    } else if ((ev->flags & XC_EV_EXCEL) &&
               xc_num_is_double(&na.u.num, &x100)) {
        /* a exactly a double: IEEE division rounds a/100 once */
        st = xc_num_set_double(&r, x100 / 100);
    } else {
        if (op == XOP_PERCENT)
            st = xc_num_scale10(&r, &na.u.num, -2);
        else
            st = xc_num_neg(&r, &na.u.num);
        if (st == XC_OK && (ev->flags & XC_EV_EXCEL))
            st = to_double_num(&r);
    }
    if (st == XC_OK)
        st = xc_result_num(out, &r, na.flags & XC_VAL_INEXACT);
    else
        st = num_status(st, out);
    xc_num_clear(&r);
    xc_value_clear(&na);
    return st;
}

/* One operator on scalars; b is NULL for unary operators. */
static int scalar_op(xc_eval *ev, int op, const xc_value *a, const xc_value *b,
                     xc_value *out)
{
    switch (op) {
    case XOP_ADD:
    case XOP_SUB:
    case XOP_MUL:
    case XOP_DIV:
    case XOP_POW:
        return arith(ev, op, a, b, out);
    case XOP_CAT:
        return concat(a, b, out);
    case XOP_NEG:
    case XOP_PERCENT:
        return unary(ev, op, a, out);
    default:
        return compare(ev, op, a, b, out);
    }
}

static int is_lifted(const xc_value *v)
{
    return v->type == XC_ARRAY || v->type == XC_REF;
}

/* Element (r, c) of a grid broadcast to a larger shape: a dimension of
 * 1 repeats; positions beyond the grid give NULL (#N/A). */
static const xc_value *bcast(xc_grid *g, uint32_t r, uint32_t c)
{
    uint32_t rr = g->rows == 1 ? 0 : r, cc = g->cols == 1 ? 0 : c;
    if (rr >= g->rows || cc >= g->cols)
        return NULL;
    return xc_grid_get(g, rr, cc);
}

static uint32_t bdim(uint32_t a, uint32_t b)
{
    if (a == 1)
        return b;
    if (b == 1)
        return a;
    return a > b ? a : b;
}

/* A key standing for an operand element's value for the whole of
 * lift_op: every empty value shares one key; an element of an array or
 * scalar operand is its own key; a cell of a reference has none (its
 * storage can move while dirty cells are evaluated on demand). */
static const void *elem_key(const xc_grid *g, const xc_value *p)
{
    static const char empty_key;
    if (p->type == XC_EMPTY && !p->flags)
        return &empty_key;
    return g->v->type == XC_REF ? NULL : (const void *)p;
}

/* An operator applied element-wise to arrays or ranges, broadcasting
 * like Excel.  Operators are pure, so an element whose operands have
 * the same keys (elem_key) as the previous one gets a copy of its
 * result: =A:B&"x" would otherwise format and allocate two million
 * equal strings for the unused cells. */
static int lift_op(xc_eval *ev, int op, const xc_value *a, const xc_value *b,
                   xc_value *out)
{
    xc_grid ga, gb;
    xc_array *arr;
    xc_value res = {0}, ea = {0};
    const void *last_ka = NULL, *last_kb = NULL;
    const xc_value *last = NULL;
    uint32_t rows, cols;
    int st;

    if (xc_grid_init(&ga, ev, a) != XC_OK)
        return set_err(out, XC_ERR_VALUE);
    if (b && xc_grid_init(&gb, ev, b) != XC_OK)
        return set_err(out, XC_ERR_VALUE);
    rows = b ? bdim(ga.rows, gb.rows) : ga.rows;
    cols = b ? bdim(ga.cols, gb.cols) : ga.cols;
    if ((uint64_t)rows * cols > EV_MAX_CELLS)
        return set_err(out, XC_ERR_NUM);
    if ((st = xc_value_set_array(&res, rows, cols, &arr)) != XC_OK)
        return st;
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < cols; c++) {
            xc_value *dst = &arr->v[(size_t)r * cols + c];
            const xc_value *pa = bcast(&ga, r, c), *pb;
            if (((r * cols + c) & 0xFFF) == 0xFFF && xc_interrupted()) {
                st = XC_EINTR;
                goto fail;
            }
            if (!pa) {
                xc_value_set_error(dst, XC_ERR_NA);
                continue;
            }
            const void *ka = elem_key(&ga, pa), *kb = &gb;
            if ((st = xc_value_copy(&ea, pa)) != XC_OK)
                goto fail;
            pb = b ? bcast(&gb, r, c) : NULL;
            if (pb)
                kb = elem_key(&gb, pb);
            if (b && !pb)
                xc_value_set_error(dst, XC_ERR_NA);
            else if (last && ka && kb && ka == last_ka && kb == last_kb)
                st = xc_value_copy(dst, last);
            else if ((st = scalar_op(ev, op, &ea, pb, dst)) == XC_OK) {
                last_ka = ka;
                last_kb = kb;
                last = dst;
            }
            if (st != XC_OK)
                goto fail;
            xc_value_clear(&ea);
        }
    xc_value_clear(out);
    xc_value_move(out, &res);
    return XC_OK;
fail:
    xc_value_clear(&ea);
    xc_value_clear(&res);
    return st;
}

/* Evaluate an operand: a scalar, or an array (or, in array context, a
 * multi-cell reference) kept whole for lifting. */
static int operand(xc_eval *ev, const xc_node *n, xc_value *out)
{
    xc_value t = {0};
    int st;
    if (cell_direct(ev, n, out, &st))
        return st;
    st = xc_eval_node(ev, n, &t);
    if (st != XC_OK) {
        xc_value_clear(&t);
        return st;
    }
    if (t.type == XC_REF && !(is_array_ctx(ev) && !is_single_cell(&t))) {
        st = xc_deref(ev, &t, out);
        xc_value_clear(&t);
        return st;
    }
    if (t.type == XC_LAMBDA) /* =LAMBDA(x,x)+1 */
        xc_result_error(&t, XC_ERR_CALC);
    xc_value_clear(out);
    xc_value_move(out, &t);
    return XC_OK;
}

/* ---- Reference operators ------------------------------------------ */

static int make_refs(xc_value *out, const xc_area *a, uint32_t n)
{
    xc_refs *r;
    if (n == 1) {
        xc_value_clear(out);
        return xc_value_set_area(out, a);
    }
    r = xc_malloc(sizeof *r + n * sizeof(xc_area));
    if (!r)
        return XC_ENOMEM;
    r->refs = 1;
    r->n = n;
    memcpy(r->a, a, n * sizeof(xc_area));
    xc_value_clear(out);
    out->type = XC_REF;
    out->u.ref = r;
    return XC_OK;
}

/* Evaluate both sides of a reference operator; 1 when both are
 * references, 0 when *out holds the error to return. */
static int ref_sides(xc_eval *ev, const xc_node *n, xc_value *a, xc_value *b,
                     xc_value *out, int *st)
{
    if ((*st = xc_eval_node(ev, n->u.op.a, a)) != XC_OK)
        return 0;
    if (a->type == XC_ERROR) {
        *st = xc_value_copy(out, a);
        return 0;
    }
    if ((*st = xc_eval_node(ev, n->u.op.b, b)) != XC_OK)
        return 0;
    if (b->type == XC_ERROR) {
        *st = xc_value_copy(out, b);
        return 0;
    }
    if (a->type != XC_REF || b->type != XC_REF) {
        *st = set_err(out, XC_ERR_VALUE);
        return 0;
    }
    return 1;
}

static int ref_op(xc_eval *ev, const xc_node *n, xc_value *out)
{
    xc_value a = {0}, b = {0};
    xc_area *list = NULL;
    int st = XC_OK;
    int op = n->u.op.op;

    if (!ref_sides(ev, n, &a, &b, out, &st))
        goto done;
    const xc_refs *ra = a.u.ref, *rb = b.u.ref;
    if (op == XOP_UNION) {
        list = xc_malloc((ra->n + rb->n) * sizeof *list);
        if (!list) {
            st = XC_ENOMEM;
            goto done;
        }
        memcpy(list, ra->a, ra->n * sizeof *list);
        memcpy(list + ra->n, rb->a, rb->n * sizeof *list);
        st = make_refs(out, list, ra->n + rb->n);
    } else if (op == XOP_RANGE) {
        /* bounding area of every area on both sides (one sheet run) */
        xc_area u = ra->a[0];
        for (uint32_t i = 0; i < ra->n + rb->n; i++) {
            const xc_area *x = i < ra->n ? &ra->a[i] : &rb->a[i - ra->n];
            if (x->sheet != u.sheet || x->sheet2 != u.sheet2) {
                st = set_err(out, XC_ERR_VALUE);
                goto done;
            }
            u.r1 = x->r1 < u.r1 ? x->r1 : u.r1;
            u.c1 = x->c1 < u.c1 ? x->c1 : u.c1;
            u.r2 = x->r2 > u.r2 ? x->r2 : u.r2;
            u.c2 = x->c2 > u.c2 ? x->c2 : u.c2;
        }
        st = make_refs(out, &u, 1);
    } else {
        uint32_t k = 0;
        list = xc_malloc((size_t)ra->n * rb->n * sizeof *list + 1);
        if (!list) {
            st = XC_ENOMEM;
            goto done;
        }
        for (uint32_t i = 0; i < ra->n; i++)
            for (uint32_t j = 0; j < rb->n; j++) {
                const xc_area *x = &ra->a[i], *y = &rb->a[j];
                xc_area z = *x;
                if (x->sheet != y->sheet || x->sheet2 != y->sheet2)
                    continue;
                z.r1 = x->r1 > y->r1 ? x->r1 : y->r1;
                z.c1 = x->c1 > y->c1 ? x->c1 : y->c1;
                z.r2 = x->r2 < y->r2 ? x->r2 : y->r2;
                z.c2 = x->c2 < y->c2 ? x->c2 : y->c2;
                if (z.r1 <= z.r2 && z.c1 <= z.c2)
                    list[k++] = z;
            }
        st = k ? make_refs(out, list, k) : set_err(out, XC_ERR_NULL);
    }
done:
    xc_free(list);
    xc_value_clear(&a);
    xc_value_clear(&b);
    return st;
}

/* ---- Names -------------------------------------------------------- */

/* The parsed formula of a defined name visible from the evaluation,
 * parsed on first use and cached in the book; NULL when unknown or
 * unparsable. */
static const xc_formula *named_formula(xc_book *b, const char *name, int scope,
                                       int *status);

static const xc_formula *name_formula(xc_book *b, const xc_node *n, int sheet,
                                      int *status)
{
    return named_formula(b, n->u.name.text,
                         n->u.name.sheet >= 0 ? n->u.name.sheet : sheet,
                         status);
}

/* The same for a name given as text, visible from sheet `scope`. */
static const xc_formula *named_formula(xc_book *b, const char *name, int scope,
                                       int *status)
{
    int i;
    xc_formula *f;
    const char *text;
    xc_parse_opts o;
    xc_parse_error pe;

    *status = XC_OK;
    if (!b)
        return NULL;
    i = xc_book_find_name(b, name, strlen(name), scope);
    if (i < 0)
        return NULL;
    if ((f = xc_book_name_parsed(b, i)) != NULL)
        return f;
    text = xc_book_name_formula(b, i);
    if (!text)
        return NULL;
    o.book = b;
    o.sheet = xc_book_name_sheet(b, i) >= 0 ? xc_book_name_sheet(b, i) : 0;
    o.row = 0;
    o.col = 0;
    o.flags = XC_FP_FILE;
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    if (st != XC_OK) {
        if (st == XC_ENOMEM)
            *status = st;
        return NULL;
    }
    xc_book_name_set_parsed(b, i, f); /* the book takes our reference */
    return xc_book_name_parsed(b, i);
}

/* ---- Function calls ----------------------------------------------- */

static int is_scalar_kind(char k)
{
    return k == 'n' || k == 's' || k == 'b' || k == 'v' || k == 'e';
}

/* Coerce a scalar per a spec letter; date text reads in the book's date
 * system. */
static int coerce_kind(xc_eval *ev, char kind, const xc_value *in,
                       xc_value *out)
{
    switch (kind) {
    case 'n':
        return to_number(ev, in, out);
    case 's':
        return xc_to_text(in, out);
    case 'b':
        return xc_to_bool(in, out);
    default:
        return xc_value_copy(out, in);
    }
}

/* Evaluate argument node per its spec letter.  For scalar letters an
 * array (or a multi-cell range in array context) is returned whole with
 * *lift set; otherwise the value is reduced and coerced. */
static int eval_arg(xc_eval *ev, const xc_node *n, char kind, xc_value *out,
                    int *lift)
{
    xc_value t = {0};
    unsigned saved = ev->flags;
    int st;

    *lift = 0;
    if (n->kind == XN_MISSING) {
        xc_value_clear(out);
        return is_scalar_kind(kind) ? coerce_kind(ev, kind, &t, out) : XC_OK;
    }
    if (is_scalar_kind(kind) && cell_direct(ev, n, &t, &st)) {
        if (st == XC_OK) {
            xc_value_clear(out);
            st = coerce_kind(ev, kind, &t, out);
        }
        goto done;
    }
    if (kind == 'A')
        ev->flags |= XC_EV_ARRAY;
    st = xc_eval_node(ev, n, &t);
    ev->flags = saved;
    if (st != XC_OK)
        goto done;
    if (kind == 'r') {
        if (t.type != XC_REF && t.type != XC_ERROR)
            xc_result_error(&t, XC_ERR_VALUE);
        xc_value_clear(out);
        xc_value_move(out, &t);
        goto done;
    }
    if (!is_scalar_kind(kind)) {
        xc_value_clear(out);
        xc_value_move(out, &t);
        goto done;
    }
    if (t.type == XC_ARRAY ||
        (t.type == XC_REF && is_array_ctx(ev) && !is_single_cell(&t))) {
        *lift = 1;
        xc_value_clear(out);
        xc_value_move(out, &t);
        goto done;
    }
    if (t.type == XC_REF && (st = xc_deref(ev, &t, &t)) != XC_OK)
        goto done;
    if (t.type == XC_LAMBDA) /* a function where a value belongs */
        xc_result_error(&t, XC_ERR_CALC);
    xc_value_clear(out);
    st = coerce_kind(ev, kind, &t, out);
done:
    xc_value_clear(&t);
    return st;
}

int xc_fn_arg(xc_fncall *c, int i, char kind, xc_value *out)
{
    int lift, st;
    xc_value_clear(out);
    if (i < 0 || i >= c->argc || c->nodes[i]->kind == XN_MISSING)
        return XC_OK;
    if (c->argv && !is_scalar_kind(kind))
        return xc_value_copy(out, &c->argv[i]);
    st = eval_arg(c->ev, c->nodes[i], kind, out, &lift);
    if (st == XC_OK && lift) {
        xc_value t = {0};
        xc_value_move(&t, out);
        if ((st = xc_deref(c->ev, &t, &t)) == XC_OK)
            st = coerce_kind(c->ev, kind, &t, out);
        xc_value_clear(&t);
    }
    return st;
}

/* Mark a number result inexact when a scalar argument was. */
static void propagate_inexact(const xc_value *argv, int argc, xc_value *out)
{
    if (out->type != XC_NUMBER)
        return;
    for (int i = 0; i < argc; i++)
        if (argv[i].type == XC_NUMBER && (argv[i].flags & XC_VAL_INEXACT))
            out->flags |= XC_VAL_INEXACT;
}

/* Call a function element-wise over its lifted arguments. */
static int call_lifted(xc_fncall *c, const int *lifted, xc_value *out)
{
    int argc = c->argc, st = XC_OK;
    xc_grid *g = xc_calloc((size_t)argc, sizeof *g);
    xc_value *el = xc_calloc((size_t)argc, sizeof *el);
    xc_value res = {0}, raw = {0};
    xc_array *arr;
    uint32_t rows = 1, cols = 1;
    xc_value *argv = c->argv;

    if (!g || !el) {
        st = XC_ENOMEM;
        goto done;
    }
    for (int i = 0; i < argc; i++)
        if (lifted[i]) {
            if (xc_grid_init(&g[i], c->ev, &argv[i]) != XC_OK) {
                st = set_err(out, XC_ERR_VALUE);
                goto done;
            }
            rows = bdim(rows, g[i].rows);
            cols = bdim(cols, g[i].cols);
        }
    if ((uint64_t)rows * cols > EV_MAX_CELLS) {
        st = set_err(out, XC_ERR_NUM);
        goto done;
    }
    if ((st = xc_value_set_array(&res, rows, cols, &arr)) != XC_OK)
        goto done;
    c->argv = el;
    for (uint32_t r = 0; r < rows && st == XC_OK; r++)
        for (uint32_t col = 0; col < cols && st == XC_OK; col++) {
            xc_value *dst = &arr->v[(size_t)r * cols + col];
            int bad = 0;
            for (int i = 0; i < argc && st == XC_OK && !bad; i++) {
                char kind = xc_fn_argkind(c->def->args, i);
                xc_value_clear(&el[i]);
                if (!lifted[i]) {
                    st = xc_value_copy(&el[i], &argv[i]);
                    continue;
                }
                const xc_value *p = bcast(&g[i], r, col);
                if (!p) {
                    xc_value_set_error(dst, XC_ERR_NA);
                    bad = 1;
                    break;
                }
                if ((st = xc_value_copy(&raw, p)) != XC_OK)
                    break;
                st = coerce_kind(c->ev, kind, &raw, &el[i]);
                xc_value_clear(&raw);
                if (st == XC_OK && kind != 'e' && el[i].type == XC_ERROR) {
                    st = xc_value_copy(dst, &el[i]);
                    bad = 1;
                }
            }
            if (st != XC_OK || bad)
                continue;
            xc_value one = {0};
            st = c->def->impl(c, &one);
            if (st == XC_OK && (one.type == XC_REF || one.type == XC_ARRAY))
                st = xc_deref(c->ev, &one, &one);
            if (st == XC_OK) {
                propagate_inexact(el, argc, &one);
                xc_value_move(dst, &one);
            }
            xc_value_clear(&one);
            if (st == XC_OK && xc_interrupted())
                st = XC_EINTR;
        }
    c->argv = argv;
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
done:
    if (el)
        for (int i = 0; i < argc; i++)
            xc_value_clear(&el[i]);
    xc_free(el);
    xc_free(g);
    xc_value_clear(&res);
    return st;
}

static const xc_value *let_find(const xc_eval *ev, const char *name);

/* A defined name's formula, evaluated where no LET or LAMBDA name is
 * visible (a context of its own address): its text stands outside
 * every formula, and a LAMBDA it holds captures nothing - else each
 * level of a recursion would capture the caller's names again and
 * recursion would cost time and memory quadratic in its depth. */
static int eval_defined(xc_eval *ev, const xc_formula *f, xc_value *out)
{
    xc_eval top = *ev;
    return xc_eval_node(&top, f->root, out);
}

/* A call that is not of a registry function: of a name bound by LET or
 * LAMBDA, of a defined name (both holding a LAMBDA), or of the value of
 * an expression: LAMBDA(x,x+1)(2).  An unknown name is #NAME?. */
static int eval_fn_value_call(xc_eval *ev, const xc_node *n, xc_value *out)
{
    xc_value fn = {0};
    const xc_value *bound;
    const xc_formula *f;
    int st = XC_OK;

    if (!n->u.fn.name) {
        if (n->u.fn.nargs < 1)
            return set_err(out, XC_ERR_VALUE);
        if ((st = xc_eval_node(ev, n->u.fn.args[0], &fn)) == XC_OK)
            st = xc_lambda_call(ev, &fn, n->u.fn.nargs - 1, n->u.fn.args + 1,
                                out);
        xc_value_clear(&fn);
        return st;
    }
    if ((bound = let_find(ev, n->u.fn.name)) != NULL)
        return xc_lambda_call(ev, bound, n->u.fn.nargs, n->u.fn.args, out);
    f = named_formula(ev->book, n->u.fn.name, ev->sheet, &st);
    if (st != XC_OK)
        return st;
    if (!f || !f->root)
        return set_err(out, XC_ERR_NAME);
    if ((st = eval_defined(ev, f, &fn)) == XC_OK)
        st = xc_lambda_call(ev, &fn, n->u.fn.nargs, n->u.fn.args, out);
    xc_value_clear(&fn);
    return st;
}

/* A call of a registry function whose arguments are evaluated first.
 * Kept out of line: its argument buffers would otherwise enlarge the
 * frames of the evaluator's recursion (IF, LAMBDA calls), which bound
 * how deep a recursive LAMBDA can go on a given stack. */
static __attribute__((noinline)) int call_eager(xc_eval *ev, const xc_node *n,
                                                xc_value *out)
{
    const xc_fn_def *d = n->u.fn.def;
    int argc = n->u.fn.nargs, st = XC_OK, any_lift = 0;
    xc_fncall c;
    xc_value *argv = NULL, argv_small[SMALL_ARGS];
    int *lifted = NULL, lifted_small[SMALL_ARGS];

    c.ev = ev;
    c.def = d;
    c.argc = argc;
    c.argv = NULL;
    c.nodes = n->u.fn.args;
    if (argc <= SMALL_ARGS) {
        memset(argv_small, 0, sizeof argv_small);
        memset(lifted_small, 0, sizeof lifted_small);
        argv = argv_small;
        lifted = lifted_small;
    } else {
        argv = xc_calloc((size_t)argc, sizeof *argv);
        lifted = xc_calloc((size_t)argc, sizeof *lifted);
    }
    if (!argv || !lifted) {
        st = XC_ENOMEM;
        goto done;
    }
    for (int i = 0; i < argc; i++) {
        char kind = xc_fn_argkind(d->args, i);
        if ((st = eval_arg(ev, n->u.fn.args[i], kind, &argv[i], &lifted[i])) !=
            XC_OK)
            goto done;
        any_lift |= lifted[i];
        if (lifted[i])
            continue;
        if (argv[i].type == XC_LAMBDA && !(d->flags & XC_FN_FNARGS))
            xc_result_error(&argv[i], XC_ERR_CALC);
        if (argv[i].type == XC_ERROR &&
            (kind == 'r' || (is_scalar_kind(kind) && kind != 'e'))) {
            st = xc_value_copy(out, &argv[i]);
            goto done;
        }
    }
    c.argv = argv;
    if (any_lift) {
        st = call_lifted(&c, lifted, out);
    } else {
        st = d->impl(&c, out);
        if (st == XC_OK)
            propagate_inexact(argv, argc, out);
    }
done:
    if (argv)
        for (int i = 0; i < argc; i++)
            xc_value_clear(&argv[i]);
    if (argv != argv_small) {
        xc_free(argv);
        xc_free(lifted);
    }
    return st;
}

static int eval_call(xc_eval *ev, const xc_node *n, xc_value *out)
{
    const xc_fn_def *d = n->u.fn.def;
    int min, max;
    xc_fncall c;

    if (!d)
        return eval_fn_value_call(ev, n, out);
    if (xc_fn_arity(d->args, &min, &max) != 0 || n->u.fn.nargs < min ||
        n->u.fn.nargs > max)
        return set_err(out, XC_ERR_VALUE);
    if (!(d->flags & XC_FN_LAZY))
        return call_eager(ev, n, out);
    c.ev = ev;
    c.def = d;
    c.argc = n->u.fn.nargs;
    c.argv = NULL;
    c.nodes = n->u.fn.args;
    return d->impl(&c, out);
}

/* ---- The central switch ------------------------------------------- */

static int eval_ref(xc_eval *ev, const xc_node *n, xc_value *out)
{
    xc_area a;
    xc_error e = xc_ref_resolve(&n->u.ref, ev->sheet, ev->row, ev->col, &a);
    if (e != XC_ERR_NONE)
        return set_err(out, e);
    if (n->u.ref.sheet < 0) {
        a.sheet = ev->sheet;
        a.sheet2 = ev->sheet;
    }
    xc_value_clear(out);
    return xc_value_set_area(out, &a);
}

/* LET bindings: a per-thread stack; each binding belongs to one
 * evaluation context, so cells evaluated meanwhile (through xc_book_get)
 * never see another formula's names. */
typedef struct let_bind {
    const xc_eval *ev;
    char *name;
    xc_value v;
    int omitted; /* a LAMBDA parameter whose argument was omitted */
} let_bind;

static _Thread_local let_bind *lets;
static _Thread_local size_t nlets, caplets;

/* A LET/LAMBDA name without its file prefix (_xlpm.x; _xlop.x for an
 * optional LAMBDA parameter). */
static const char *strip_xlpm(const char *s)
{
    return strncasecmp(s, "_xlpm.", 6) == 0 || strncasecmp(s, "_xlop.", 6) == 0
               ? s + 6
               : s;
}

int xc_let_push(xc_eval *ev, const char *name, const xc_value *v)
{
    return xc_let_bind(ev, name, v, 0);
}

int xc_let_bind(xc_eval *ev, const char *name, const xc_value *v, int omitted)
{
    int st;
    name = strip_xlpm(name);
    if (nlets == caplets) {
        size_t cap = caplets ? caplets * 2 : 8;
        let_bind *p = xc_realloc(lets, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        lets = p;
        caplets = cap;
    }
    let_bind *b = &lets[nlets];
    memset(b, 0, sizeof *b);
    b->ev = ev;
    if (!(b->name = xc_strndup(name, strlen(name))))
        return XC_ENOMEM;
    if ((st = xc_value_copy(&b->v, v)) != XC_OK) {
        xc_free(b->name);
        return st;
    }
    b->omitted = omitted != 0;
    nlets++;
    return XC_OK;
}

void xc_let_pop(xc_eval *ev, int n)
{
    while (n-- > 0 && nlets > 0 && lets[nlets - 1].ev == ev) {
        nlets--;
        xc_free(lets[nlets].name);
        xc_value_clear(&lets[nlets].v);
    }
    if (nlets == 0) {
        xc_free(lets);
        lets = NULL;
        caplets = 0;
    }
}

static const let_bind *let_lookup(const xc_eval *ev, const char *name)
{
    name = strip_xlpm(name);
    for (size_t i = nlets; i-- > 0;)
        if (lets[i].ev == ev &&
            xc_text_cmp_ci(lets[i].name, strlen(lets[i].name), name,
                           strlen(name)) == 0)
            return &lets[i];
    return NULL;
}

static const xc_value *let_find(const xc_eval *ev, const char *name)
{
    const let_bind *b = let_lookup(ev, name);
    return b ? &b->v : NULL;
}

int xc_let_omitted(const xc_eval *ev, const char *name)
{
    const let_bind *b = nlets ? let_lookup(ev, name) : NULL;
    return b && b->omitted;
}

int xc_let_each(const xc_eval *ev, xc_let_fn fn, void *ud)
{
    int st;
    for (size_t i = 0; i < nlets; i++)
        if (lets[i].ev == ev &&
            (st = fn(ud, lets[i].name, &lets[i].v, lets[i].omitted)) != XC_OK)
            return st;
    return XC_OK;
}

static int eval_name(xc_eval *ev, const xc_node *n, xc_value *out)
{
    int st;
    const xc_value *bound;
    if (n->u.name.sheet < 0 && nlets &&
        (bound = let_find(ev, n->u.name.text)) != NULL)
        return xc_value_copy(out, bound);
    const xc_formula *f = name_formula(ev->book, n, ev->sheet, &st);
    if (st != XC_OK)
        return st;
    if ((!f || !f->root) && n->u.name.eta) /* MAP(A1:A3, SUM) */
        return xc_lambda_builtin(xc_eta_def(n->u.name.text), out);
    if (!f || !f->root)
        return set_err(out, XC_ERR_NAME);
    return eval_defined(ev, f, out);
}

static int trace_node(xc_eval *ev, const xc_node *n, const xc_value *v);

static int is_ref_op(const xc_node *n)
{
    return n->u.op.op == XOP_RANGE || n->u.op.op == XOP_UNION ||
           n->u.op.op == XOP_ISECT;
}

/* An operand read where it is, without a copy: a number literal, or
 * the scalar in a single cell.  NULL when it needs the general path
 * (tracing, which reports every node; a literal in Excel's view, which
 * becomes a double; a reference that is not one cell of the book; an
 * array).  A cell's value stays valid only until the book is read
 * again: evaluating a dirty cell on demand can move cell storage. */
static const xc_value *peek(xc_eval *ev, const xc_node *n, xc_value *tmp)
{
    xc_area a;
    const xc_value *v;

    if (ev->trace)
        return NULL;
    if (n->kind == XN_NUM) {
        /* xc_eval_node's nesting guard, which the literal would meet */
        if ((ev->flags & XC_EV_EXCEL) || ev->depth >= EV_MAX_DEPTH)
            return NULL;
        memset(tmp, 0, sizeof *tmp);
        tmp->type = XC_NUMBER;
        tmp->u.num = n->u.num; /* borrowed: never cleared */
        return tmp;
    }
    if (n->kind != XN_REF || n->u.ref.kind != XR_CELL || !ev->book)
        return NULL;
    if (xc_ref_resolve(&n->u.ref, ev->sheet, ev->row, ev->col, &a) !=
            XC_ERR_NONE ||
        a.sheet != a.sheet2 || a.sheet < 0 ||
        a.sheet >= xc_book_sheet_count(ev->book))
        return NULL;
    v = xc_book_get(ev->book, a.sheet, a.r1, a.c1);
    return is_lifted(v) ? NULL : v;
}

/* A binary operator whose left operand is itself one, as in the long
 * sums forms write (=B5+B6+...+B300, parsed left-associatively): the
 * left spine is walked with a loop, so a chain's length costs neither C
 * stack nor nesting depth (the guard stays for nesting of parentheses
 * and function calls).  Each operator still evaluates its operands in
 * order and the trace shows the same steps at the same depths as if
 * every node had been entered recursively. */
static int eval_chain(xc_eval *ev, const xc_node *n, xc_value *out)
{
    enum { SMALL = 32 };
    const xc_node *small[SMALL], **spine = small;
    size_t len = 0, cap = SMALL;
    int st = XC_OK, depth0 = ev->trace_depth; /* n's operands' depth */
    xc_value acc = {0}, b = {0}, r = {0};

    /* spine[0] = n, spine[len-1] the innermost operator */
    for (const xc_node *x = n; x->kind == XN_BINOP && !is_ref_op(x);
         x = x->u.op.a) {
        if (len == cap) {
            const xc_node **v = xc_malloc(2 * cap * sizeof *v);
            if (!v) {
                st = XC_ENOMEM;
                goto done;
            }
            memcpy(v, spine, len * sizeof *v);
            if (spine != small)
                xc_free(spine);
            spine = v;
            cap *= 2;
        }
        spine[len++] = x;
    }
    for (size_t i = len; i-- > 0;) {
        const xc_node *x = spine[i];
        const xc_value *va = NULL, *vb = NULL;
        xc_value ta, tb;
        /* x's operands at the depth its own entry would have given */
        ev->trace_depth = depth0 + (int)i;
        if (i == len - 1) {
            /* a literal and a cell (A1+0.1) are both read in place; two
               cells are not, as reading the second may move the first */
            if (x->u.op.a->kind == XN_NUM || x->u.op.b->kind == XN_NUM)
                va = peek(ev, x->u.op.a, &ta);
            if (va)
                vb = peek(ev, x->u.op.b, &tb);
            if (!vb) {
                st =
                    va ? xc_value_copy(&acc, va) : operand(ev, x->u.op.a, &acc);
                if (st != XC_OK)
                    break;
                va = NULL;
            }
        } else {
            vb = peek(ev, x->u.op.b, &tb);
        }
        if (!vb) {
            if ((st = operand(ev, x->u.op.b, &b)) != XC_OK)
                break;
            vb = &b;
        }
        if (!va)
            va = &acc;
        if (is_lifted(va) || is_lifted(vb))
            st = lift_op(ev, x->u.op.op, va, vb, &r);
        else
            st = scalar_op(ev, x->u.op.op, va, vb, &r);
        xc_value_clear(&b);
        if (st != XC_OK)
            break;
        xc_value_clear(&acc);
        xc_value_move(&acc, &r);
        if (i > 0) {
            if (xc_interrupted()) {
                st = XC_EINTR;
                break;
            }
            /* what xc_eval_node would report for the inner operator */
            ev->trace_depth = depth0 + (int)i - 1;
            if (ev->trace && (st = trace_node(ev, x, &acc)) != XC_OK)
                break;
        }
    }
    ev->trace_depth = depth0;
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &acc);
    }
done:
    xc_value_clear(&acc);
    xc_value_clear(&b);
    xc_value_clear(&r);
    if (spine != small)
        xc_free(spine);
    return st;
}

static int eval_inner(xc_eval *ev, const xc_node *n, xc_value *out)
{
    xc_value a = {0};
    int st;

    switch (n->kind) {
    case XN_NUM:
        xc_value_clear(out);
        if (ev->flags & XC_EV_EXCEL) {
            double d = xc_num_to_double(&n->u.num);
            if (!isfinite(d))
                return set_err(out, XC_ERR_NUM);
            xc_value_set_int(out, 0);
            return num_status(xc_num_set_double(&out->u.num, d), out);
        }
        return xc_value_set_num(out, &n->u.num);
    case XN_STR:
        xc_value_clear(out);
        xc_value_set_str(out, xc_str_ref(n->u.str));
        return XC_OK;
    case XN_BOOL:
        xc_value_clear(out);
        xc_value_set_bool(out, n->u.b);
        return XC_OK;
    case XN_ERR:
        return set_err(out, n->u.err);
    case XN_ARRAY: {
        xc_value t = {0};
        t.type = XC_ARRAY;
        t.u.arr = n->u.arr;
        return xc_value_copy(out, &t);
    }
    case XN_REF:
        return eval_ref(ev, n, out);
    case XN_NAME:
        return eval_name(ev, n, out);
    case XN_FUNC:
        return eval_call(ev, n, out);
    case XN_MISSING:
        xc_value_clear(out);
        return XC_OK;
    case XN_PAREN:
        return xc_eval_node(ev, n->u.op.a, out);
    case XN_UNOP:
        if (n->u.op.op == XOP_PLUS || n->u.op.op == '+')
            return xc_eval_node(ev, n->u.op.a, out);
        if ((st = operand(ev, n->u.op.a, &a)) == XC_OK) {
            int op = (n->u.op.op == XOP_PERCENT || n->u.op.op == '%')
                         ? XOP_PERCENT
                         : XOP_NEG;
            st = is_lifted(&a) ? lift_op(ev, op, &a, NULL, out)
                               : scalar_op(ev, op, &a, NULL, out);
        }
        xc_value_clear(&a);
        return st;
    case XN_BINOP:
        if (is_ref_op(n))
            return ref_op(ev, n, out);
        return eval_chain(ev, n, out);
    default:
        return set_err(out, XC_ERR_VALUE);
    }
}

/* A short note on the rounding a ROUND-family call performs, for the
 * trace. */
static void round_note(const xc_node *n, char *buf, size_t cap)
{
    static const struct {
        const char *name, *how;
    } fams[] = {{"ROUND", "half away from zero"},
                {"ROUNDUP", "away from zero"},
                {"ROUNDDOWN", "toward zero"},
                {"TRUNC", "toward zero"},
                {"INT", "toward -infinity"}};
    buf[0] = 0;
    if (n->kind != XN_FUNC || !n->u.fn.def)
        return;
    for (size_t i = 0; i < sizeof fams / sizeof *fams; i++) {
        if (strcmp(n->u.fn.def->name, fams[i].name) != 0)
            continue;
        if (n->u.fn.nargs >= 2 && n->u.fn.args[1]->kind == XN_NUM) {
            xc_buf b;
            xc_buf_init(&b);
            if (xc_num_format(&b, &n->u.fn.args[1]->u.num, XC_FMT_GENERAL) ==
                XC_OK)
                snprintf(buf, cap, "%s %s to %s place(s)", fams[i].name,
                         fams[i].how, b.p);
            xc_buf_clear(&b);
        } else {
            snprintf(buf, cap, "%s %s to %s", fams[i].name, fams[i].how,
                     n->u.fn.nargs >= 2 ? "the given places" : "an integer");
        }
        return;
    }
}

/* Bytes of a subexpression's text a trace step shows: a step of a long
 * chain would otherwise print the whole chain below it, and the trace
 * of an n-term chain would cost n^2 (finding 16, docs/fuzzing.md). */
#define TRACE_TEXT_MAX 1000

static int trace_node(xc_eval *ev, const xc_node *n, const xc_value *v)
{
    xc_buf b;
    char note[120];
    int st;

    if (n->kind == XN_PAREN)
        return XC_OK;
    xc_buf_init(&b);
    if ((st = xc_node_print_max(&b, n, ev->book, ev->sheet, ev->row, ev->col,
                                TRACE_TEXT_MAX)) != XC_OK) {
        xc_buf_clear(&b);
        return st;
    }
    round_note(n, note, sizeof note);
    /* a single cell is shown by its value */
    xc_value cell = {0};
    if (is_single_cell(v) && (st = ref_scalar(ev, v, &cell)) != XC_OK) {
        xc_buf_clear(&b);
        return st;
    }
    st = ev->trace(ev->trace_ud, ev->trace_depth, b.p ? b.p : "",
                   is_single_cell(v) ? &cell : v, note[0] ? note : NULL);
    xc_value_clear(&cell);
    xc_buf_clear(&b);
    return st;
}

int xc_eval_node(xc_eval *ev, const xc_node *n, xc_value *out)
{
    int st;
    if (xc_interrupted())
        return XC_EINTR;
    if (ev->depth >= EV_MAX_DEPTH || xc_stack_low())
        return set_err(out, XC_ERR_NUM);
    ev->depth++;
    ev->trace_depth++;
    st = eval_inner(ev, n, out);
    ev->depth--;
    ev->trace_depth--;
    if (st == XC_OK && ev->trace)
        st = trace_node(ev, n, out);
    return st;
}

/* ---- Entry points and the engine ---------------------------------- */

/* The final value of a formula: references dereferenced (array
 * formulas get the whole area), and empty shown as 0 like Excel. */
static int finish(xc_eval *ev, xc_value *v)
{
    int st = XC_OK;
    if (v->type == XC_REF) {
        if (is_array_ctx(ev) && !is_single_cell(v))
            st = ref_to_array(ev, v, 1, v);
        else
            st = xc_deref(ev, v, v);
    }
    if (st == XC_OK && v->type == XC_EMPTY)
        xc_value_set_int(v, 0);
    /* a LAMBDA not called: Excel's #CALC! (a cell holds no function) */
    if (st == XC_OK && v->type == XC_LAMBDA)
        xc_value_set_error(v, XC_ERR_CALC);
    if (st == XC_OK && v->type == XC_ARRAY) {
        xc_array *a = v->u.arr;
        for (size_t i = 0; i < (size_t)a->rows * a->cols; i++)
            if (a->v[i].type == XC_EMPTY || a->v[i].type == XC_LAMBDA) {
                /* arrays are immutable once shared: copy on write */
                if (a->refs > 1) {
                    xc_value t = {0};
                    xc_array *na;
                    if ((st = xc_value_set_array(&t, a->rows, a->cols, &na)) !=
                        XC_OK)
                        return st;
                    for (size_t j = 0; j < (size_t)a->rows * a->cols; j++)
                        if ((st = xc_value_copy(&na->v[j], &a->v[j])) !=
                            XC_OK) {
                            xc_value_clear(&t);
                            return st;
                        }
                    xc_value_clear(v);
                    xc_value_move(v, &t);
                    a = na;
                }
                if (a->v[i].type == XC_LAMBDA)
                    xc_value_set_error(&a->v[i], XC_ERR_CALC);
                else
                    xc_value_set_int(&a->v[i], 0);
            }
    }
    return st;
}

static int eval_top(xc_book *b, int sheet, uint32_t row, uint32_t col,
                    const xc_formula *f, unsigned flags, xc_trace_fn fn,
                    void *ud, xc_value *out)
{
    xc_eval ev;
    int st;

    memset(&ev, 0, sizeof ev);
    ev.book = b;
    ev.sheet = sheet;
    ev.row = row;
    ev.col = col;
    ev.flags = flags;
    ev.trace = fn;
    ev.trace_ud = ud;
    xc_value_clear(out);
    if (!f || !f->root)
        return XC_EINVAL;
    st = xc_eval_node(&ev, f->root, out);
    if (st == XC_OK)
        st = finish(&ev, out);
    if (st != XC_OK)
        xc_value_clear(out);
    return st;
}

int xc_formula_eval(xc_book *b, int sheet, uint32_t row, uint32_t col,
                    const xc_formula *f, unsigned flags, xc_value *out)
{
    return eval_top(b, sheet, row, col, f, flags, NULL, NULL, out);
}

int xc_formula_eval_traced(xc_book *b, int sheet, uint32_t row, uint32_t col,
                           const xc_formula *f, unsigned flags, xc_trace_fn fn,
                           void *ud, xc_value *out)
{
    return eval_top(b, sheet, row, col, f, flags, fn, ud, out);
}

/* The engine's eval.  ctx, when not NULL, points to an unsigned of
 * extra XC_EV_* flags (XC_EV_EXCEL for an Excel-view recalculation).
 * Array formula anchors evaluate in array context; an ordinary cell
 * keeps only the top-left element of an array result. */
static int engine_eval(void *ctx, xc_book *b, int sheet, uint32_t row,
                       uint32_t col, const xc_formula *f, xc_value *out)
{
    unsigned flags = ctx ? *(const unsigned *)ctx : 0;
    const xc_cell *cell = xc_book_cell(b, sheet, row, col);
    int array = cell && (cell->flags & XC_CELL_ARRAY);
    int st;

    if (array)
        flags |= XC_EV_ARRAY;
    st = eval_top(b, sheet, row, col, f, flags, NULL, NULL, out);
    if (st == XC_OK && !array && out->type == XC_ARRAY) {
        xc_value t = {0};
        xc_value_move(&t, out);
        if (t.u.arr->rows && t.u.arr->cols)
            st = xc_value_copy(out, &t.u.arr->v[0]);
        else
            xc_value_set_error(out, XC_ERR_VALUE);
        xc_value_clear(&t);
    }
    return st;
}

typedef struct prec_ctx {
    xc_book *book;
    int sheet;
    uint32_t row, col;
    int (*add)(void *ud, const xc_area *a);
    void *ud;
    unsigned *flags;
    int depth;
    /* defined names already expanded for this formula: each is walked
     * once, so a recursive LAMBDA (FIB calling FIB twice) stays linear */
    const xc_formula **seen;
    size_t nseen, capseen;
} prec_ctx;

/* Walk a defined name's formula into p unless already done. */
static int prec_walk(prec_ctx *p, const xc_node *n);
static int prec_name(prec_ctx *p, const xc_formula *f)
{
    int st;
    for (size_t i = 0; i < p->nseen; i++)
        if (p->seen[i] == f)
            return XC_OK;
    if (p->nseen == p->capseen) {
        size_t cap = p->capseen ? 2 * p->capseen : 8;
        const xc_formula **q = xc_realloc(p->seen, cap * sizeof *q);
        if (!q)
            return XC_ENOMEM;
        p->seen = q;
        p->capseen = cap;
    }
    p->seen[p->nseen++] = f;
    if (f->flags & XC_F_VOLATILE)
        *p->flags |= XC_DEP_VOLATILE;
    if (f->flags & XC_F_DYNAMIC)
        *p->flags |= XC_DEP_DYNAMIC;
    p->depth++;
    st = prec_walk(p, f->root);
    p->depth--;
    return st;
}

/* Is argument i of call n a reference whose cells' values the function
 * never reads?  ROW(A1), COLUMNS(A:C), ISREF(B2) only look at where the
 * reference points (1), and so does CELL("row", A1); FORMULATEXT(A1) and
 * ISFORMULA(A1) look at the cell's formula, not its value (2).  Such an
 * argument is no value precedent, so B1 =FORMULATEXT(A1) next to A1 =B1 is no
 * cycle, as in Excel; for kind 2 the formula is made volatile instead, so an
 * edit of the referenced formula is still seen.  0: an ordinary argument. */
static int ref_use(const xc_node *n, int i)
{
    static const struct {
        const char *name;
        int how;
    } fns[] = {{"COLUMN", 1}, {"COLUMNS", 1},     {"ROW", 1},
               {"ROWS", 1},   {"ISREF", 1},       {"SHEET", 1},
               {"SHEETS", 1}, {"FORMULATEXT", 2}, {"ISFORMULA", 2}};
    const xc_node *a = n->u.fn.args[i];
    const char *name = n->u.fn.def ? n->u.fn.def->name : n->u.fn.name;

    while (a->kind == XN_PAREN)
        a = a->u.op.a;
    if (a->kind != XN_REF || !name)
        return 0;
    if (!strncmp(name, "_xlfn.", 6))
        name += 6;
    if (i == 1 && !strcasecmp(name, "CELL")) {
        /* CELL("row", A1): only where A1 is */
        const xc_node *k = n->u.fn.args[0];
        if (k->kind != XN_STR)
            return 0;
        return !strcasecmp(k->u.str->s, "address") ||
               !strcasecmp(k->u.str->s, "col") ||
               !strcasecmp(k->u.str->s, "row");
    }
    if (i != 0)
        return 0;
    for (size_t k = 0; k < sizeof fns / sizeof *fns; k++)
        if (!strcasecmp(name, fns[k].name))
            return fns[k].how;
    return 0;
}

/* Is argument i of call n a branch that is never evaluated because the
 * selector is a constant: CHOOSE(2, A1, B1) never reads A1, IF(TRUE, A1,
 * B1) never reads B1.  So B40 =CHOOSE(2,B40,"x") is no cycle (Excel
 * gives "x"). */
static int never_taken(const xc_node *n, int i)
{
    const xc_node *k = n->u.fn.args[0];
    const char *name = n->u.fn.def ? n->u.fn.def->name : NULL;

    if (i == 0 || !name)
        return 0;
    if (!strcmp(name, "CHOOSE") && k->kind == XN_NUM) {
        double d = xc_num_to_double(&k->u.num);
        return d >= 1 && d < 255 && (int)d != i;
    }
    if (!strcmp(name, "IF") && (k->kind == XN_BOOL || k->kind == XN_NUM)) {
        int t = k->kind == XN_BOOL ? k->u.b != 0 : !xc_num_is_zero(&k->u.num);
        return i == (t ? 2 : 1);
    }
    return 0;
}

/* The area reference node n (parentheses skipped) gives at p's cell;
 * 0 when it is none or falls off the sheet. */
static int prec_area(const prec_ctx *p, const xc_node *n, xc_area *a)
{
    while (n && n->kind == XN_PAREN)
        n = n->u.op.a;
    if (!n || n->kind != XN_REF ||
        xc_ref_resolve(&n->u.ref, p->sheet, p->row, p->col, a) != XC_ERR_NONE)
        return 0;
    if (n->u.ref.sheet < 0)
        a->sheet = a->sheet2 = p->sheet;
    return a->sheet == a->sheet2;
}

/* Cells a call reads beyond the areas its arguments name: SUMIF and
 * AVERAGEIF take their sum range at the criteria range's size from its
 * first cell, and LOOKUP reads a result vector shorter than the lookup
 * vector on past its end (criteria.c scan_run, fn_lookup.c fn_lookup). */
enum { STRETCH_NONE, STRETCH_SUMIF, STRETCH_LOOKUP };

static int stretch_kind(const xc_node *n)
{
    const char *name = n->u.fn.def ? n->u.fn.def->name : NULL;
    if (!name || n->u.fn.nargs != 3)
        return STRETCH_NONE;
    if (!strcmp(name, "SUMIF") || !strcmp(name, "AVERAGEIF"))
        return STRETCH_SUMIF;
    return !strcmp(name, "LOOKUP") ? STRETCH_LOOKUP : STRETCH_NONE;
}

int xc_call_reads_beyond(const xc_node *n)
{
    if (stretch_kind(n) != STRETCH_NONE)
        return 1;
    for (int i = 0; i < n->u.fn.nargs; i++)
        if (ref_use(n, i) == 2)
            return 1;
    return 0;
}

static int prec_stretch(prec_ctx *p, const xc_node *n)
{
    xc_area a, b;
    int kind = stretch_kind(n);
    if (kind == STRETCH_SUMIF) {
        if (!prec_area(p, n->u.fn.args[0], &a) ||
            !prec_area(p, n->u.fn.args[2], &b))
            return XC_OK;
        b.r2 = b.r1 + (a.r2 - a.r1);
        b.c2 = b.c1 + (a.c2 - a.c1);
    } else if (kind == STRETCH_LOOKUP) {
        if (!prec_area(p, n->u.fn.args[1], &a) ||
            !prec_area(p, n->u.fn.args[2], &b))
            return XC_OK;
        int horiz = a.c2 - a.c1 > a.r2 - a.r1; /* the lookup line */
        uint32_t len = horiz ? a.c2 - a.c1 + 1 : a.r2 - a.r1 + 1;
        if (b.r1 == b.r2 && b.c1 == b.c2)
            ; /* one cell: it goes the lookup line's way */
        else
            horiz = b.r1 == b.r2;
        if (horiz)
            b.c2 = b.c1 + len - 1 > b.c2 ? b.c1 + len - 1 : b.c2;
        else
            b.r2 = b.r1 + len - 1 > b.r2 ? b.r1 + len - 1 : b.r2;
    } else {
        return XC_OK;
    }
    if (b.r2 >= XC_MAX_ROWS)
        b.r2 = XC_MAX_ROWS - 1;
    if (b.c2 >= XC_MAX_COLS)
        b.c2 = XC_MAX_COLS - 1;
    return p->add(p->ud, &b);
}

static int prec_walk(prec_ctx *p, const xc_node *n)
{
    int st = XC_OK;
    if (!n)
        return XC_OK;
    switch (n->kind) {
    case XN_REF: {
        xc_area a;
        if (xc_ref_resolve(&n->u.ref, p->sheet, p->row, p->col, &a) !=
            XC_ERR_NONE)
            return XC_OK;
        if (n->u.ref.sheet < 0)
            a.sheet = a.sheet2 = p->sheet;
        return p->add(p->ud, &a);
    }
    case XN_NAME: {
        const xc_formula *f = name_formula(p->book, n, p->sheet, &st);
        if (st != XC_OK || !f || p->depth >= EV_MAX_DEPTH)
            return st;
        return prec_name(p, f);
    }
    case XN_FUNC:
        if (!n->u.fn.def && n->u.fn.name &&
            strncasecmp(n->u.fn.name, "_xlpm.", 6) != 0) {
            /* MYFN(3): the cells the named LAMBDA's body reads */
            const xc_formula *f =
                named_formula(p->book, n->u.fn.name, p->sheet, &st);
            if (st == XC_OK && f && p->depth < EV_MAX_DEPTH)
                st = prec_name(p, f);
            if (st != XC_OK)
                return st;
        }
        if (n->u.fn.def && (n->u.fn.def->flags & XC_FN_VOLATILE))
            *p->flags |= XC_DEP_VOLATILE;
        if (n->u.fn.def && (n->u.fn.def->flags & XC_FN_DYNREF))
            *p->flags |= XC_DEP_DYNAMIC;
        for (int i = 0; i < n->u.fn.nargs && st == XC_OK; i++) {
            int how = ref_use(n, i);
            if (never_taken(n, i))
                continue;
            if (how == 2)
                *p->flags |= XC_DEP_VOLATILE;
            if (!how)
                st = prec_walk(p, n->u.fn.args[i]);
        }
        if (st == XC_OK)
            st = prec_stretch(p, n);
        return st;
    case XN_UNOP:
    case XN_PAREN:
        return prec_walk(p, n->u.op.a);
    case XN_BINOP:
        if (n->u.op.op == XOP_RANGE) {
            /* A1:B2 written as two references: the whole box */
            xc_eval ev;
            xc_value v = {0};
            memset(&ev, 0, sizeof ev);
            ev.book = p->book;
            ev.sheet = p->sheet;
            ev.row = p->row;
            ev.col = p->col;
            ev.trace_depth = -1;
            const xc_node *x = n->u.op.a, *y = n->u.op.b;
            while (x->kind == XN_PAREN)
                x = x->u.op.a;
            while (y->kind == XN_PAREN)
                y = y->u.op.a;
            if (x->kind == XN_REF && y->kind == XN_REF &&
                ref_op(&ev, n, &v) == XC_OK && v.type == XC_REF) {
                for (uint32_t i = 0; i < v.u.ref->n && st == XC_OK; i++)
                    st = p->add(p->ud, &v.u.ref->a[i]);
                xc_value_clear(&v);
                return st;
            }
            xc_value_clear(&v);
        }
        if ((st = prec_walk(p, n->u.op.a)) == XC_OK)
            st = prec_walk(p, n->u.op.b);
        return st;
    default:
        return XC_OK;
    }
}

static int engine_precedents(void *ctx, xc_book *b, int sheet, uint32_t row,
                             uint32_t col, const xc_formula *f,
                             int (*add)(void *ud, const xc_area *a), void *ud,
                             unsigned *flags)
{
    prec_ctx p = {b, sheet, row, col, add, ud, flags, 0, NULL, 0, 0};
    int st;
    *flags = 0;
    if (!f)
        return XC_EINVAL;
    if (f->flags & XC_F_VOLATILE)
        *flags |= XC_DEP_VOLATILE;
    if (f->flags & XC_F_DYNAMIC)
        *flags |= XC_DEP_DYNAMIC;
    st = prec_walk(&p, f->root);
    xc_free(p.seen);
    return st;
}

static void engine_retain(xc_formula *f)
{
    xc_formula_retain(f);
}

static void engine_release(xc_formula *f)
{
    xc_formula_release(f);
}

static int engine_before(const xc_formula *f)
{
    return f && (f->flags & XC_F_BEFORE);
}

static const xc_engine engine = {engine_eval, engine_precedents, engine_retain,
                                 engine_release, engine_before};

const xc_engine *xc_formula_engine(void)
{
    return &engine;
}
