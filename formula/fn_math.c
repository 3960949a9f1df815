/* fn_math.c - spreadsheet functions of the "math" category: sums and
 * products, rounding, integer arithmetic, powers and roots, logarithms,
 * trigonometry, combinatorics, matrices and random numbers.
 *
 * Rational mathematics stays exact (GMP rationals through xc_num);
 * irrational results go through MPFR at XC_MPFR_PREC bits and are
 * marked inexact.  Argument arity and coercion are the engine's (see the
 * spec strings in the table at the end); implementations only compute. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "formula_int.h"

/* ---- Helpers ------------------------------------------------------- */

static const xc_num zero_num = {1, {0}};

/* Any scalar argument marked inexact. */
static unsigned inexact(xc_fncall *c)
{
    unsigned f = 0;
    for (int i = 0; i < c->argc; i++)
        if (c->argv[i].type == XC_NUMBER)
            f |= c->argv[i].flags & XC_VAL_INEXACT;
    return f;
}

/* Argument i truncated toward zero into [lo, hi]; def when omitted. */
static int64_t iarg(xc_fncall *c, int i, int64_t def, int64_t lo, int64_t hi)
{
    int64_t v;
    if (!xc_arg_given(c, i))
        return def;
    xc_num_trunc_clamp(xc_arg_num(c, i), lo, hi, &v);
    return v;
}

/* A number-layer status as a result: limits become #NUM!, division by
 * zero #DIV/0!; memory failure stays a C failure. */
static int fail(xc_value *out, int st)
{
    switch (st) {
    case XC_ELIMIT:
    case XC_EINVAL:
        xc_result_error(out, XC_ERR_NUM);
        return XC_OK;
    case XC_EDIVZERO:
        xc_result_error(out, XC_ERR_DIV0);
        return XC_OK;
    default:
        return st;
    }
}

/* Finish with x (taken) or with the error st stands for. */
static int done(xc_value *out, xc_num *x, int st, unsigned inx)
{
    if (st == XC_OK)
        return xc_result_num(out, x, inx ? XC_VAL_INEXACT : 0);
    xc_num_clear(x);
    return fail(out, st);
}

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

/* Excel's view (XC_EV_EXCEL): x rounded to the nearest double, as each
 * step of Excel's own arithmetic is. */
static int to_double(xc_num *x)
{
    double d = xc_num_to_double(x);
    if (!isfinite(d))
        return XC_ELIMIT;
    return xc_num_set_double(x, d);
}

static int excel_view(xc_fncall *c)
{
    return (c->ev->flags & XC_EV_EXCEL) != 0;
}

/* An MPFR value as a result: NaN or infinity is #NUM!. */
static int mp_done(xc_value *out, mpfr_t r, unsigned inx)
{
    xc_num x;
    if (!mpfr_number_p(r))
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&x);
    return done(out, &x, xc_num_set_mpfr(&x, r), inx);
}

typedef int (*mpfn1)(mpfr_t, const mpfr_t, mpfr_rnd_t);

/* f(argument 0) through MPFR. */
static int mp1(xc_fncall *c, xc_value *out, mpfn1 f)
{
    mpfr_t x, r;
    int t, st;
    mpfr_inits2(XC_MPFR_PREC, x, r, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    t = f(r, x, MPFR_RNDN);
    /* beyond the largest double Excel reports #NUM!; below the smallest
     * representable number the result is an inexact 0 */
    if (mpfr_number_p(r) && mpfr_cmpabs_ui(r, 1) > 0 &&
        (mpfr_cmp_d(r, DBL_MAX) > 0 || mpfr_cmp_d(r, -DBL_MAX) < 0)) {
        mpfr_clears(x, r, (mpfr_ptr)0);
        return err_out(out, XC_ERR_NUM);
    }
    if (mpfr_regular_p(r) && mpfr_get_exp(r) < -(XC_NUM_MAX_BITS - 64))
        mpfr_set_ui(r, 0, MPFR_RNDN);
    st = mp_done(out, r, t != 0 || inexact(c));
    mpfr_clears(x, r, (mpfr_ptr)0);
    return st;
}

int xc_result_sqrt(xc_value *out, const xc_num *x, unsigned inx)
{
    mpq_t q;
    int st;
    if (xc_num_sign(x) < 0)
        return err_out(out, XC_ERR_NUM);
    mpq_init(q);
    xc_num_get_mpq(q, x);
    if (mpz_perfect_square_p(mpq_numref(q)) &&
        mpz_perfect_square_p(mpq_denref(q))) {
        xc_num r;
        mpz_sqrt(mpq_numref(q), mpq_numref(q));
        mpz_sqrt(mpq_denref(q), mpq_denref(q));
        xc_num_init(&r);
        st = done(out, &r, xc_num_set_mpq(&r, q), inx);
    } else {
        mpfr_t f;
        mpfr_init2(f, XC_MPFR_PREC);
        xc_num_get_mpfr(f, x, MPFR_RNDN);
        mpfr_sqrt(f, f, MPFR_RNDN);
        st = mp_done(out, f, 1);
        mpfr_clear(f);
    }
    mpq_clear(q);
    return st;
}

/* ---- Sums and products --------------------------------------------- */

enum { ACC_SUM, ACC_PRODUCT, ACC_SUMSQ };

typedef struct acc {
    int mode;
    int excel; /* Excel's view: doubles in, each step rounded */
    xc_num s;
    size_t n;
    unsigned inx;
    xc_error err;
    int st;
} acc;

static int acc_add(acc *a, const xc_num *x)
{
    int st;
    if (a->excel) {
        /* Excel's view: each input is a double (a cell's exact constant
         * rounded to one, as Excel holds it) and each step is rounded,
         * which IEEE arithmetic does; the same rule as SUMIF's */
        double s = xc_num_to_double(&a->s), y = xc_num_to_double(x);
        if (a->mode == ACC_SUM)
            s += y;
        else if (a->mode == ACC_PRODUCT)
            s = a->n ? s * y : y;
        else
            s += y * y;
        a->n++;
        return isfinite(s) && isfinite(y) ? xc_num_set_double(&a->s, s)
                                          : XC_ELIMIT;
    }
    if (a->mode == ACC_SUM)
        st = xc_num_add(&a->s, &a->s, x);
    else if (a->mode == ACC_PRODUCT)
        st = a->n ? xc_num_mul(&a->s, &a->s, x) : xc_num_set(&a->s, x);
    else {
        xc_num t;
        xc_num_init(&t);
        st = xc_num_mul(&t, x, x);
        if (st == XC_OK)
            st = xc_num_add(&a->s, &a->s, &t);
        xc_num_clear(&t);
    }
    a->n++;
    return st;
}

/* SUM's rules: scalars coerced, only numbers inside ranges/arrays. */
static int acc_visit(void *ud, const xc_value *v, int from_ref)
{
    acc *a = ud;
    if (v->type == XC_ERROR) {
        a->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if (v->type == XC_NUMBER) {
        a->inx |= v->flags & XC_VAL_INEXACT;
        a->st = acc_add(a, &v->u.num);
        return a->st == XC_OK ? XC_OK : XC_ENOTFOUND;
    }
    if (from_ref)
        return XC_OK;
    if (v->type == XC_EMPTY) {
        a->st = acc_add(a, &zero_num);
        return a->st == XC_OK ? XC_OK : XC_ENOTFOUND;
    }
    xc_value t = {0};
    int st = xc_to_number(v, &t);
    if (st != XC_OK)
        return st;
    if (t.type == XC_NUMBER) {
        a->st = acc_add(a, &t.u.num);
        xc_value_clear(&t);
        return a->st == XC_OK ? XC_OK : XC_ENOTFOUND;
    }
    a->err = t.type == XC_ERROR ? (xc_error)t.err : XC_ERR_VALUE;
    xc_value_clear(&t);
    return XC_ENOTFOUND;
}

static int accumulate(xc_fncall *c, xc_value *out, int mode)
{
    acc a = {mode, excel_view(c), {1, {0}}, 0, 0, XC_ERR_NONE, XC_OK};
    int st = XC_OK;
    for (int i = 0; i < c->argc && st == XC_OK; i++) {
        st = xc_visit(c->ev, &c->argv[i], 0, acc_visit, &a);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
        if (a.err || a.st)
            break;
    }
    if (st != XC_OK) {
        xc_num_clear(&a.s);
        return st;
    }
    if (a.err) {
        xc_num_clear(&a.s);
        return err_out(out, a.err);
    }
    return done(out, &a.s, a.st, a.inx);
}

static int fn_sum(xc_fncall *c, xc_value *out)
{
    return accumulate(c, out, ACC_SUM);
}

static int fn_product(xc_fncall *c, xc_value *out)
{
    return accumulate(c, out, ACC_PRODUCT);
}

static int fn_sumsq(xc_fncall *c, xc_value *out)
{
    return accumulate(c, out, ACC_SUMSQ);
}

static int fn_sumif(xc_fncall *c, xc_value *out)
{
    const xc_value *vals =
        c->argc > 2 && c->argv[2].type != XC_EMPTY ? &c->argv[2] : &c->argv[0];
    return xc_ifs_aggregate(c, out, XC_IFAGG_SUM, 0, 1, vals, 1);
}

static int fn_sumifs(xc_fncall *c, xc_value *out)
{
    int lifted, st = xc_ifs_lift(c, 1, out, &lifted);
    if (st != XC_OK || lifted)
        return st;
    return xc_ifs_aggregate(c, out, XC_IFAGG_SUM, 1, -1, &c->argv[0], 0);
}

/* SUMPRODUCT: element-wise products of equally shaped arrays; entries
 * that are not numbers count as 0, errors propagate. */
static int fn_sumproduct(xc_fncall *c, xc_value *out)
{
    xc_grid *g;
    xc_num s, p;
    unsigned inx = 0;
    xc_error e = XC_ERR_NONE;
    int st = XC_OK;
    if (c->argc == 1 && c->argv[0].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[0].err);
    g = xc_calloc((size_t)c->argc, sizeof *g);
    if (!g)
        return XC_ENOMEM;
    for (int k = 0; k < c->argc && !e; k++)
        if (xc_grid_init(&g[k], c->ev, &c->argv[k]) != XC_OK ||
            g[k].rows != g[0].rows || g[k].cols != g[0].cols)
            e = XC_ERR_VALUE;
    xc_num_init(&s);
    xc_num_init(&p);
    for (uint32_t i = 0; !e && i < g[0].rows && st == XC_OK; i++)
        for (uint32_t j = 0; !e && j < g[0].cols && st == XC_OK; j++) {
            int zero = 0;
            xc_num_set_int(&p, 1);
            for (int k = 0; k < c->argc && st == XC_OK && !e; k++) {
                const xc_value *v = xc_grid_get(&g[k], i, j);
                if (v->type == XC_ERROR)
                    e = (xc_error)v->err;
                else if (v->type != XC_NUMBER)
                    zero = 1; /* text and logicals count as 0 */
                else if (!zero) {
                    inx |= v->flags & XC_VAL_INEXACT;
                    st = xc_num_mul(&p, &p, &v->u.num);
                }
            }
            if (!zero && !e && st == XC_OK)
                st = xc_num_add(&s, &s, &p);
        }
    xc_num_clear(&p);
    xc_free(g);
    if (e) {
        xc_num_clear(&s);
        return err_out(out, e);
    }
    return done(out, &s, st, inx);
}

/* SUMX2MY2, SUMX2PY2, SUMXMY2: pairs where both entries are numbers. */
static int sumx(xc_fncall *c, xc_value *out, int kind)
{
    xc_grid a, b;
    xc_num s, t, u;
    unsigned inx = 0;
    int st = XC_OK;
    for (int k = 0; k < 2; k++)
        if (c->argv[k].type == XC_ERROR)
            return err_out(out, (xc_error)c->argv[k].err);
    if (xc_grid_init(&a, c->ev, &c->argv[0]) != XC_OK ||
        xc_grid_init(&b, c->ev, &c->argv[1]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    if ((uint64_t)a.rows * a.cols != (uint64_t)b.rows * b.cols)
        return err_out(out, XC_ERR_NA);
    xc_num_init(&s);
    xc_num_init(&t);
    xc_num_init(&u);
    for (uint64_t k = 0; k < (uint64_t)a.rows * a.cols && st == XC_OK; k++) {
        const xc_value *x = xc_grid_get(&a, k / a.cols, k % a.cols);
        xc_value xv = {0};
        if (x->type == XC_ERROR) {
            xc_num_clear(&s);
            xc_num_clear(&t);
            xc_num_clear(&u);
            return err_out(out, (xc_error)x->err);
        }
        if (x->type != XC_NUMBER)
            continue;
        xc_value_copy(&xv, x);
        const xc_value *y = xc_grid_get(&b, k / b.cols, k % b.cols);
        if (y->type == XC_ERROR) {
            xc_value_clear(&xv);
            xc_num_clear(&s);
            xc_num_clear(&t);
            xc_num_clear(&u);
            return err_out(out, (xc_error)y->err);
        }
        if (y->type == XC_NUMBER) {
            inx |= (xv.flags | y->flags) & XC_VAL_INEXACT;
            if (kind == 2) {
                st = xc_num_sub(&t, &xv.u.num, &y->u.num);
                if (st == XC_OK)
                    st = xc_num_mul(&t, &t, &t);
            } else {
                st = xc_num_mul(&t, &xv.u.num, &xv.u.num);
                if (st == XC_OK)
                    st = xc_num_mul(&u, &y->u.num, &y->u.num);
                if (st == XC_OK)
                    st = kind ? xc_num_add(&t, &t, &u) : xc_num_sub(&t, &t, &u);
            }
            if (st == XC_OK)
                st = xc_num_add(&s, &s, &t);
        }
        xc_value_clear(&xv);
    }
    xc_num_clear(&t);
    xc_num_clear(&u);
    return done(out, &s, st, inx);
}

static int fn_sumx2my2(xc_fncall *c, xc_value *out)
{
    return sumx(c, out, 0);
}

static int fn_sumx2py2(xc_fncall *c, xc_value *out)
{
    return sumx(c, out, 1);
}

static int fn_sumxmy2(xc_fncall *c, xc_value *out)
{
    return sumx(c, out, 2);
}

/* ---- Rounding ------------------------------------------------------ */

static int round_digits(xc_fncall *c, xc_value *out, xc_round_mode mode,
                        int64_t def)
{
    xc_num r;
    int d = (int)iarg(c, 1, def, -1000, 1000), st;
    xc_num_init(&r);
    if (!excel_view(c) || xc_num_is_zero(xc_arg_num(c, 0)))
        return done(out, &r, xc_num_round(&r, xc_arg_num(c, 0), d, mode),
                    inexact(c));
    /* Excel rounds the 15-significant-digit decimal its double shows
     * (ROUND(2.675,2) is 2.68 there too), and the result is a double. */
    st = xc_num_round_sig(&r, xc_arg_num(c, 0), 15, XC_ROUND_HALF_UP);
    if (st == XC_OK)
        st = xc_num_round(&r, &r, d, mode);
    if (st == XC_OK)
        st = to_double(&r);
    return done(out, &r, st, inexact(c));
}

static int fn_round(xc_fncall *c, xc_value *out)
{
    return round_digits(c, out, XC_ROUND_HALF_UP, 0);
}

static int fn_roundup(xc_fncall *c, xc_value *out)
{
    return round_digits(c, out, XC_ROUND_UP, 0);
}

static int fn_rounddown(xc_fncall *c, xc_value *out)
{
    return round_digits(c, out, XC_ROUND_DOWN, 0);
}

static int fn_trunc(xc_fncall *c, xc_value *out)
{
    xc_num r;
    int d = (int)iarg(c, 1, 0, -1000, 1000);
    xc_num_init(&r);
    return done(out, &r, xc_num_round(&r, xc_arg_num(c, 0), d, XC_ROUND_DOWN),
                inexact(c));
}

static int fn_int(xc_fncall *c, xc_value *out)
{
    xc_num r;
    xc_num_init(&r);
    return done(out, &r, xc_num_round(&r, xc_arg_num(c, 0), 0, XC_ROUND_FLOOR),
                inexact(c));
}

/* r = x rounded to a multiple of m (m != 0) with mode. */
static int to_multiple(xc_fncall *c, xc_value *out, const xc_num *x,
                       const xc_num *m, xc_round_mode mode)
{
    xc_num r;
    xc_num_init(&r);
    if (xc_num_is_zero(m))
        return done(out, &r, XC_OK, inexact(c));
    /* Excel: #NUM! when the number of multiples x/m passes the largest
     * double (CEILING(1000,1E-307)) */
    if (fabs(xc_num_to_double(x)) / fabs(xc_num_to_double(m)) > DBL_MAX)
        return err_out(out, XC_ERR_NUM);
    return done(out, &r, xc_num_round_multiple(&r, x, m, mode), inexact(c));
}

static int fn_ceiling(xc_fncall *c, xc_value *out)
{
    const xc_num *x = xc_arg_num(c, 0), *s = xc_arg_num(c, 1);
    if (xc_num_sign(x) > 0 && xc_num_sign(s) < 0)
        return err_out(out, XC_ERR_NUM);
    return to_multiple(c, out, x, s, XC_ROUND_CEIL);
}

static int fn_floor(xc_fncall *c, xc_value *out)
{
    const xc_num *x = xc_arg_num(c, 0), *s = xc_arg_num(c, 1);
    if (xc_num_sign(x) > 0 && xc_num_sign(s) < 0)
        return err_out(out, XC_ERR_NUM);
    if (xc_num_is_zero(s) && !xc_num_is_zero(x))
        return err_out(out, XC_ERR_DIV0);
    return to_multiple(c, out, x, s, XC_ROUND_FLOOR);
}

/* The .MATH/.PRECISE variants: significance's sign ignored, default 1;
 * `away` rounds negative numbers away from zero instead. */
static int ceil_floor(xc_fncall *c, xc_value *out, int ceil, int use_mode)
{
    xc_num s;
    int st, away = use_mode && xc_arg_given(c, 2) &&
                   !xc_num_is_zero(xc_arg_num(c, 2));
    xc_round_mode m;
    xc_num_init(&s);
    if (xc_arg_given(c, 1))
        st = xc_num_abs(&s, xc_arg_num(c, 1));
    else {
        xc_num_set_int(&s, 1);
        st = XC_OK;
    }
    if (st != XC_OK) {
        xc_num_clear(&s);
        return fail(out, st);
    }
    if (away && xc_num_sign(xc_arg_num(c, 0)) < 0)
        m = ceil ? XC_ROUND_FLOOR : XC_ROUND_CEIL;
    else
        m = ceil ? XC_ROUND_CEIL : XC_ROUND_FLOOR;
    st = to_multiple(c, out, xc_arg_num(c, 0), &s, m);
    xc_num_clear(&s);
    return st;
}

static int fn_ceiling_math(xc_fncall *c, xc_value *out)
{
    return ceil_floor(c, out, 1, 1);
}

static int fn_floor_math(xc_fncall *c, xc_value *out)
{
    return ceil_floor(c, out, 0, 1);
}

static int fn_ceiling_precise(xc_fncall *c, xc_value *out)
{
    return ceil_floor(c, out, 1, 0);
}

static int fn_floor_precise(xc_fncall *c, xc_value *out)
{
    return ceil_floor(c, out, 0, 0);
}

/* MROUND's arguments are numbers or numeric text; logicals are
 * #VALUE! (unlike ROUND's). */
static int mround_arg(xc_fncall *c, int i, xc_num *dst)
{
    const xc_value *v = &c->argv[i];
    xc_value t = {0};
    int st;
    if (v->type == XC_NUMBER)
        return xc_num_set(dst, &v->u.num) == XC_OK ? 0 : -1;
    if (v->type == XC_EMPTY)
        return 0;
    if (v->type != XC_TEXT)
        return -1;
    st = xc_to_number(v, &t);
    if (st != XC_OK || t.type != XC_NUMBER) {
        xc_value_clear(&t);
        return -1;
    }
    st = xc_num_set(dst, &t.u.num);
    xc_value_clear(&t);
    return st == XC_OK ? 0 : -1;
}

static int fn_mround(xc_fncall *c, xc_value *out)
{
    xc_num x, m;
    int st;
    /* an omitted argument, MROUND(5,), is #N/A in Excel */
    if (c->nodes && c->argc == 2 &&
        (c->nodes[0]->kind == XN_MISSING || c->nodes[1]->kind == XN_MISSING))
        return err_out(out, XC_ERR_NA);
    xc_num_init(&x);
    xc_num_init(&m);
    if (mround_arg(c, 0, &x) || mround_arg(c, 1, &m))
        st = err_out(out, XC_ERR_VALUE);
    else if (xc_num_sign(&x) * xc_num_sign(&m) < 0)
        st = err_out(out, XC_ERR_NUM);
    else
        st = to_multiple(c, out, &x, &m, XC_ROUND_HALF_UP);
    xc_num_clear(&x);
    xc_num_clear(&m);
    return st;
}

static int fn_even(xc_fncall *c, xc_value *out)
{
    xc_num two;
    xc_num_init(&two);
    xc_num_set_int(&two, 2);
    return to_multiple(c, out, xc_arg_num(c, 0), &two, XC_ROUND_UP);
}

static int fn_odd(xc_fncall *c, xc_value *out)
{
    xc_num r;
    int st, sign = xc_num_sign(xc_arg_num(c, 0));
    xc_num_init(&r);
    st = xc_num_abs(&r, xc_arg_num(c, 0));
    if (st == XC_OK)
        st = xc_num_round(&r, &r, 0, XC_ROUND_CEIL);
    if (st == XC_OK) {
        mpq_t q;
        mpq_init(q);
        xc_num_get_mpq(q, &r);
        if (mpz_even_p(mpq_numref(q)))
            mpz_add_ui(mpq_numref(q), mpq_numref(q), 1);
        if (sign < 0)
            mpq_neg(q, q);
        st = xc_num_set_mpq(&r, q);
        mpq_clear(q);
    }
    return done(out, &r, st, inexact(c));
}

/* ---- Integer arithmetic -------------------------------------------- */

static int fn_mod(xc_fncall *c, xc_value *out)
{
    xc_num r;
    if (xc_num_is_zero(xc_arg_num(c, 1)))
        return err_out(out, XC_ERR_DIV0);
    xc_num_init(&r);
    return done(out, &r, xc_num_mod(&r, xc_arg_num(c, 0), xc_arg_num(c, 1)),
                inexact(c));
}

/* QUOTIENT(numerator, denominator); logicals are #VALUE! (QUOTIENT(TRUE,
 * TRUE) in Excel), as in the other former Analysis ToolPak functions. */
static int fn_quotient(xc_fncall *c, xc_value *out)
{
    xc_num r;
    int st;
    xc_error e0 = xc_args_strict(c, 2, &st);
    if (st != XC_OK)
        return st;
    if (e0)
        return err_out(out, e0);
    if (xc_num_is_zero(xc_arg_num(c, 1)))
        return err_out(out, XC_ERR_DIV0);
    xc_num_init(&r);
    st = xc_num_div(&r, xc_arg_num(c, 0), xc_arg_num(c, 1));
    if (st == XC_OK)
        st = xc_num_round(&r, &r, 0, XC_ROUND_DOWN);
    return done(out, &r, st, inexact(c));
}

static int fn_abs(xc_fncall *c, xc_value *out)
{
    xc_num r;
    xc_num_init(&r);
    return done(out, &r, xc_num_abs(&r, xc_arg_num(c, 0)), inexact(c));
}

static int fn_sign(xc_fncall *c, xc_value *out)
{
    xc_num r;
    xc_num_init(&r);
    xc_num_set_int(&r, xc_num_sign(xc_arg_num(c, 0)));
    return done(out, &r, XC_OK, 0);
}

/* GCD/LCM's view of a value (Excel's, per its test sheets): text is
 * converted (#VALUE! when it is not a number, "" included), logicals are
 * #VALUE!, empty cells of a multi-cell range count as 0 and an empty
 * single cell is skipped. */
typedef struct gl_gather {
    xc_numvec *nv;
    xc_error err;
    int st, multi, zero;
} gl_gather;

static int gl_cb(void *ud, const xc_value *v, int from_ref)
{
    gl_gather *g = ud;
    xc_value t = {0};
    int st;
    switch (v->type) {
    case XC_NUMBER:
        g->st = xc_nums_push(g->nv, &v->u.num, v->flags & XC_VAL_INEXACT);
        return g->st == XC_OK ? XC_OK : XC_ENOTFOUND;
    case XC_ERROR:
        g->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    case XC_BOOL:
        g->err = XC_ERR_VALUE;
        return XC_ENOTFOUND;
    case XC_EMPTY:
        if (g->multi && !g->zero) {
            xc_num z; /* one 0 stands for them all */
            xc_num_init(&z);
            g->zero = 1;
            g->st = xc_nums_push(g->nv, &z, 0);
            return g->st == XC_OK ? XC_OK : XC_ENOTFOUND;
        }
        return XC_OK;
    case XC_TEXT:
        (void)from_ref;
        st = xc_to_number(v, &t);
        if (st != XC_OK)
            return st;
        if (t.type != XC_NUMBER) {
            g->err = XC_ERR_VALUE;
            xc_value_clear(&t);
            return XC_ENOTFOUND;
        }
        g->st = xc_nums_push(g->nv, &t.u.num, 0);
        xc_value_clear(&t);
        return g->st == XC_OK ? XC_OK : XC_ENOTFOUND;
    default:
        return XC_OK;
    }
}

/* Integers of all arguments for GCD/LCM: truncated, >= 0, below 2^53
 * (so is an LCM); an omitted argument is #N/A, no number at all #VALUE!. */
static int gcd_lcm(xc_fncall *c, xc_value *out, int lcm)
{
    xc_numvec nv = {0};
    xc_error e = XC_ERR_NONE;
    mpz_t r, z;
    int st = XC_OK;
    for (int i = 0; i < c->argc && !e && st == XC_OK; i++) {
        gl_gather g = {&nv, XC_ERR_NONE, XC_OK, 0, 0};
        xc_grid gr;
        if (c->nodes ? c->nodes[i]->kind == XN_MISSING
                     : c->argv[i].type == XC_EMPTY) {
            e = XC_ERR_NA;
            break;
        }
        if (xc_grid_init(&gr, c->ev, &c->argv[i]) == XC_OK &&
            (uint64_t)gr.rows * gr.cols > 1)
            g.multi = 1;
        st = xc_visit(c->ev, &c->argv[i], g.multi, gl_cb, &g);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
        if (st == XC_OK)
            st = g.st;
        e = g.err;
    }
    if (st == XC_OK && !e && nv.n == 0)
        e = XC_ERR_VALUE;
    if (st != XC_OK || e) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e);
    }
    mpz_inits(r, z, (mpz_ptr)0);
    mpz_set_ui(r, lcm ? 1 : 0);
    for (size_t k = 0; k < nv.n; k++) {
        mpq_t q;
        if (xc_num_sign(&nv.v[k]) < 0 ||
            xc_num_cmp_int(&nv.v[k], (int64_t)1 << 53) >= 0) {
            e = XC_ERR_NUM;
            break;
        }
        mpq_init(q);
        xc_num_get_mpq(q, &nv.v[k]);
        mpz_tdiv_q(z, mpq_numref(q), mpq_denref(q));
        mpq_clear(q);
        if (lcm) {
            if (mpz_sizeinbase(r, 2) > XC_NUM_MAX_BITS) {
                e = XC_ERR_NUM;
                break;
            }
            mpz_lcm(r, r, z);
            if (mpz_sizeinbase(r, 2) > 53) {
                e = XC_ERR_NUM;
                break;
            }
        } else
            mpz_gcd(r, r, z);
    }
    xc_nums_free(&nv);
    if (!e) {
        xc_num x;
        xc_num_init(&x);
        st = done(out, &x, xc_num_set_mpz(&x, r), 0);
    } else
        st = err_out(out, e);
    mpz_clears(r, z, (mpz_ptr)0);
    return st;
}

static int fn_gcd(xc_fncall *c, xc_value *out)
{
    return gcd_lcm(c, out, 0);
}

static int fn_lcm(xc_fncall *c, xc_value *out)
{
    return gcd_lcm(c, out, 1);
}

/* ---- Powers, roots, logarithms ------------------------------------- */

static int fn_sqrt(xc_fncall *c, xc_value *out)
{
    return xc_result_sqrt(out, xc_arg_num(c, 0), inexact(c));
}

static int fn_sqrtpi(xc_fncall *c, xc_value *out)
{
    mpfr_t x, p;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, x, p, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_const_pi(p, MPFR_RNDN);
    mpfr_mul(x, x, p, MPFR_RNDN);
    mpfr_sqrt(x, x, MPFR_RNDN);
    st = mp_done(out, x, !mpfr_zero_p(x) || inexact(c));
    mpfr_clears(x, p, (mpfr_ptr)0);
    return st;
}

/* x^(p/q) exactly when x (>0) is a perfect q-th power; returns 1 when
 * it stored the result in r. */
static int exact_root_pow(xc_num *r, const xc_num *x, const xc_num *y, int *st)
{
    mpq_t a, e;
    int ok = 0;
    mpq_inits(a, e, (mpq_ptr)0);
    xc_num_get_mpq(a, x);
    xc_num_get_mpq(e, y);
    if (mpz_fits_ulong_p(mpq_denref(e)) &&
        mpz_cmp_ui(mpq_denref(e), 1u << 16) <= 0 &&
        mpz_fits_slong_p(mpq_numref(e))) {
        unsigned long q = mpz_get_ui(mpq_denref(e));
        if (mpz_root(mpq_numref(a), mpq_numref(a), q) &&
            mpz_root(mpq_denref(a), mpq_denref(a), q)) {
            *st = xc_num_set_mpq(r, a);
            if (*st == XC_OK)
                *st = xc_num_pow_int(r, r, mpz_get_si(mpq_numref(e)));
            ok = 1;
        }
    }
    mpq_clears(a, e, (mpq_ptr)0);
    return ok;
}

static int power(xc_fncall *c, xc_value *out, const xc_num *x, const xc_num *y)
{
    xc_num r;
    int64_t e;
    int st;
    unsigned inx = inexact(c);
    if (xc_num_is_zero(x)) {
        int s = xc_num_sign(y);
        if (s == 0)
            return err_out(out, XC_ERR_NUM);
        if (s < 0)
            return err_out(out, XC_ERR_DIV0);
        xc_num_init(&r);
        return done(out, &r, XC_OK, inx);
    }
    xc_num_init(&r);
    if (xc_num_is_int(y)) {
        st = xc_num_get_int64(y, &e);
        if (st == XC_OK)
            st = xc_num_pow_int(&r, x, e);
        return done(out, &r, st == XC_EINVAL ? XC_ELIMIT : st, inx);
    }
    if (xc_num_sign(x) < 0) {
        xc_num_clear(&r);
        return err_out(out, XC_ERR_NUM);
    }
    if (exact_root_pow(&r, x, y, &st))
        return done(out, &r, st, inx);
    xc_num_clear(&r);
    mpfr_t a, b;
    mpfr_inits2(XC_MPFR_PREC, a, b, (mpfr_ptr)0);
    xc_num_get_mpfr(a, x, MPFR_RNDN);
    xc_num_get_mpfr(b, y, MPFR_RNDN);
    mpfr_pow(a, a, b, MPFR_RNDN);
    st = mp_done(out, a, 1);
    mpfr_clears(a, b, (mpfr_ptr)0);
    return st;
}

static int fn_power(xc_fncall *c, xc_value *out)
{
    return power(c, out, xc_arg_num(c, 0), xc_arg_num(c, 1));
}

static int fn_exp(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_exp);
}

static int fn_ln(xc_fncall *c, xc_value *out)
{
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0)
        return err_out(out, XC_ERR_NUM);
    return mp1(c, out, mpfr_log);
}

/* log_b(x) exactly when x is an integer power of b or b of x. */
static int exact_log(const xc_num *x, const xc_num *b, double approx, xc_num *r)
{
    xc_num t;
    int found = 0;
    double k = nearbyint(approx);
    xc_num_init(&t);
    if (fabs(k) <= 4096 && k != 0 &&
        xc_num_pow_int(&t, b, (int64_t)k) == XC_OK && xc_num_equal(&t, x)) {
        xc_num_set_int(r, (int64_t)k);
        found = 1;
    } else if (approx != 0 && fabs(nearbyint(1 / approx)) <= 4096) {
        k = nearbyint(1 / approx);
        if (k != 0 && xc_num_pow_int(&t, x, (int64_t)k) == XC_OK &&
            xc_num_equal(&t, b)) {
            xc_num_set_frac(r, 1, (int64_t)k);
            found = 1;
        }
    }
    xc_num_clear(&t);
    return found;
}

static int log_base(xc_fncall *c, xc_value *out, const xc_num *x,
                    const xc_num *b)
{
    mpfr_t a, d;
    xc_num r;
    int st;
    if (xc_num_sign(x) <= 0 || xc_num_sign(b) <= 0)
        return err_out(out, XC_ERR_NUM);
    if (xc_num_cmp_int(b, 1) == 0)
        return err_out(out, XC_ERR_DIV0);
    mpfr_inits2(XC_MPFR_PREC, a, d, (mpfr_ptr)0);
    xc_num_get_mpfr(a, x, MPFR_RNDN);
    xc_num_get_mpfr(d, b, MPFR_RNDN);
    mpfr_log(a, a, MPFR_RNDN);
    mpfr_log(d, d, MPFR_RNDN);
    mpfr_div(a, a, d, MPFR_RNDN);
    xc_num_init(&r);
    if (exact_log(x, b, mpfr_get_d(a, MPFR_RNDN), &r))
        st = done(out, &r, XC_OK, inexact(c));
    else {
        xc_num_clear(&r);
        st = mp_done(out, a, 1);
    }
    mpfr_clears(a, d, (mpfr_ptr)0);
    return st;
}

static int fn_log(xc_fncall *c, xc_value *out)
{
    xc_num ten;
    xc_num_init(&ten);
    xc_num_set_int(&ten, 10);
    return log_base(c, out, xc_arg_num(c, 0),
                    xc_arg_given(c, 1) ? xc_arg_num(c, 1) : &ten);
}

static int fn_log10(xc_fncall *c, xc_value *out)
{
    xc_num ten;
    xc_num_init(&ten);
    xc_num_set_int(&ten, 10);
    return log_base(c, out, xc_arg_num(c, 0), &ten);
}

/* ---- Trigonometry -------------------------------------------------- */

static int fn_pi(xc_fncall *c, xc_value *out)
{
    mpfr_t p;
    int st;
    mpfr_init2(p, XC_MPFR_PREC);
    mpfr_const_pi(p, MPFR_RNDN);
    st = mp_done(out, p, 1);
    mpfr_clear(p);
    return st;
}

/* Excel's circular functions refuse arguments of magnitude 2^27 and
 * more with #NUM!. */
static int trig_range(xc_fncall *c)
{
    return fabs(xc_num_to_double(xc_arg_num(c, 0))) < 134217728.0;
}

static int fn_sin(xc_fncall *c, xc_value *out)
{
    if (!trig_range(c))
        return err_out(out, XC_ERR_NUM);
    return mp1(c, out, mpfr_sin);
}
static int fn_cos(xc_fncall *c, xc_value *out)
{
    if (!trig_range(c))
        return err_out(out, XC_ERR_NUM);
    return mp1(c, out, mpfr_cos);
}
static int fn_tan(xc_fncall *c, xc_value *out)
{
    if (!trig_range(c))
        return err_out(out, XC_ERR_NUM);
    return mp1(c, out, mpfr_tan);
}
static int fn_asin(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_asin);
}
static int fn_acos(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_acos);
}
static int fn_atan(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_atan);
}
static int fn_sinh(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_sinh);
}
static int fn_cosh(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_cosh);
}
static int fn_tanh(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_tanh);
}
static int fn_asinh(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_asinh);
}
static int fn_acosh(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_acosh);
}
static int fn_atanh(xc_fncall *c, xc_value *out)
{
    if (xc_num_cmp_int(xc_arg_num(c, 0), 1) >= 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), -1) <= 0)
        return err_out(out, XC_ERR_NUM);
    return mp1(c, out, mpfr_atanh);
}
static int fn_sec(xc_fncall *c, xc_value *out)
{
    if (!trig_range(c))
        return err_out(out, XC_ERR_NUM);
    return mp1(c, out, mpfr_sec);
}
static int fn_sech(xc_fncall *c, xc_value *out)
{
    return mp1(c, out, mpfr_sech);
}

/* Reciprocal functions with a pole at 0: Excel says #DIV/0!. */
static int pole(xc_fncall *c, xc_value *out, mpfn1 f)
{
    if (xc_num_is_zero(xc_arg_num(c, 0)))
        return err_out(out, XC_ERR_DIV0);
    return mp1(c, out, f);
}
static int fn_cot(xc_fncall *c, xc_value *out)
{
    if (!trig_range(c))
        return err_out(out, XC_ERR_NUM);
    return pole(c, out, mpfr_cot);
}
static int fn_csc(xc_fncall *c, xc_value *out)
{
    if (!trig_range(c))
        return err_out(out, XC_ERR_NUM);
    return pole(c, out, mpfr_csc);
}
static int fn_coth(xc_fncall *c, xc_value *out)
{
    return pole(c, out, mpfr_coth);
}
static int fn_csch(xc_fncall *c, xc_value *out)
{
    return pole(c, out, mpfr_csch);
}

static int fn_acot(xc_fncall *c, xc_value *out)
{
    mpfr_t x, p;
    int st;
    mpfr_inits2(XC_MPFR_PREC, x, p, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_atan(x, x, MPFR_RNDN);
    mpfr_const_pi(p, MPFR_RNDN);
    mpfr_div_2ui(p, p, 1, MPFR_RNDN);
    mpfr_sub(x, p, x, MPFR_RNDN);
    st = mp_done(out, x, 1);
    mpfr_clears(x, p, (mpfr_ptr)0);
    return st;
}

static int fn_acoth(xc_fncall *c, xc_value *out)
{
    mpfr_t x;
    int st;
    if (xc_num_cmp_int(xc_arg_num(c, 0), 1) <= 0 &&
        xc_num_cmp_int(xc_arg_num(c, 0), -1) >= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_ui_div(x, 1, x, MPFR_RNDN);
    mpfr_atanh(x, x, MPFR_RNDN);
    st = mp_done(out, x, 1);
    mpfr_clear(x);
    return st;
}

/* ATAN2(x_num, y_num): the angle of the point (x, y). */
static int fn_atan2(xc_fncall *c, xc_value *out)
{
    mpfr_t x, y;
    int st, t;
    if (xc_num_is_zero(xc_arg_num(c, 0)) && xc_num_is_zero(xc_arg_num(c, 1)))
        return err_out(out, XC_ERR_DIV0);
    mpfr_inits2(XC_MPFR_PREC, x, y, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    xc_num_get_mpfr(y, xc_arg_num(c, 1), MPFR_RNDN);
    t = mpfr_atan2(y, y, x, MPFR_RNDN);
    st = mp_done(out, y, t != 0 || inexact(c));
    mpfr_clears(x, y, (mpfr_ptr)0);
    return st;
}

static int angle(xc_fncall *c, xc_value *out, int to_deg)
{
    mpfr_t x, p;
    int st;
    if (xc_num_is_zero(xc_arg_num(c, 0))) {
        xc_num r;
        xc_num_init(&r);
        return done(out, &r, XC_OK, inexact(c));
    }
    mpfr_inits2(XC_MPFR_PREC, x, p, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_const_pi(p, MPFR_RNDN);
    if (to_deg) {
        mpfr_mul_ui(x, x, 180, MPFR_RNDN);
        mpfr_div(x, x, p, MPFR_RNDN);
    } else {
        mpfr_mul(x, x, p, MPFR_RNDN);
        mpfr_div_ui(x, x, 180, MPFR_RNDN);
    }
    st = mp_done(out, x, 1);
    mpfr_clears(x, p, (mpfr_ptr)0);
    return st;
}

static int fn_degrees(xc_fncall *c, xc_value *out)
{
    return angle(c, out, 1);
}

static int fn_radians(xc_fncall *c, xc_value *out)
{
    return angle(c, out, 0);
}

/* ---- Combinatorics ------------------------------------------------- */

/* Result from an mpz, refusing sizes past the number limit. */
static int mpz_done(xc_value *out, const mpz_t z)
{
    xc_num r;
    if (mpz_sizeinbase(z, 2) > XC_NUM_MAX_BITS)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&r);
    return done(out, &r, xc_num_set_mpz(&r, z), 0);
}

static int fn_fact(xc_fncall *c, xc_value *out)
{
    mpz_t z;
    int64_t n;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), 171) >= 0)
        return err_out(out, XC_ERR_NUM);
    n = iarg(c, 0, 0, 0, 170);
    mpz_init(z);
    mpz_fac_ui(z, (unsigned long)n);
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

static int fn_factdouble(xc_fncall *c, xc_value *out)
{
    mpz_t z;
    int64_t n;
    int st;
    if (xc_num_cmp_int(xc_arg_num(c, 0), -1) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), 301) >= 0)
        return err_out(out, XC_ERR_NUM);
    n = iarg(c, 0, 0, -1, 300);
    mpz_init(z);
    if (n <= 0)
        mpz_set_ui(z, 1);
    else
        mpz_2fac_ui(z, (unsigned long)n);
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

/* n and k of COMBIN-like functions: truncated, 0 <= k <= n unless
 * allow_k_gt_n, and small enough for an exact result. */
static int nk(xc_fncall *c, int64_t *n, int64_t *k)
{
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 || xc_num_sign(xc_arg_num(c, 1)) < 0)
        return 0;
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 1 << 24, n) ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 1 << 24, k))
        return 0;
    return 1;
}

static int fn_combin(xc_fncall *c, xc_value *out)
{
    int64_t n, k;
    mpz_t z;
    int st;
    if (!nk(c, &n, &k) || k > n)
        return err_out(out, XC_ERR_NUM);
    if (k > n - k)
        k = n - k;
    if ((double)k * log2((double)n + 1) > XC_NUM_MAX_BITS)
        return err_out(out, XC_ERR_NUM);
    mpz_init(z);
    mpz_bin_uiui(z, (unsigned long)n, (unsigned long)k);
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

static int fn_combina(xc_fncall *c, xc_value *out)
{
    int64_t n, k;
    mpz_t z;
    int st;
    if (!nk(c, &n, &k) || (n == 0 && k > 0))
        return err_out(out, XC_ERR_NUM);
    if (n == 0)
        n = 1; /* COMBINA(0,0) = 1 */
    n = n + k - 1;
    if (k > n - k)
        k = n - k;
    if ((double)k * log2((double)n + 1) > XC_NUM_MAX_BITS)
        return err_out(out, XC_ERR_NUM);
    mpz_init(z);
    mpz_bin_uiui(z, (unsigned long)n, (unsigned long)k);
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

static int fn_permut(xc_fncall *c, xc_value *out)
{
    int64_t n, k;
    mpz_t z;
    int st;
    if (!nk(c, &n, &k) || k > n)
        return err_out(out, XC_ERR_NUM);
    if ((double)k * log2((double)n + 1) > XC_NUM_MAX_BITS)
        return err_out(out, XC_ERR_NUM);
    mpz_init_set_ui(z, 1);
    for (int64_t i = n - k + 1; i <= n; i++)
        mpz_mul_ui(z, z, (unsigned long)i);
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

static int fn_permutationa(xc_fncall *c, xc_value *out)
{
    int64_t n, k;
    mpz_t z;
    int st;
    if (!nk(c, &n, &k))
        return err_out(out, XC_ERR_NUM);
    if ((double)k * log2((double)n + 1) > XC_NUM_MAX_BITS)
        return err_out(out, XC_ERR_NUM);
    mpz_init(z);
    mpz_ui_pow_ui(z, (unsigned long)n, (unsigned long)k);
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

static int cmp_num_desc(const void *a, const void *b)
{
    return xc_num_cmp((const xc_num *)b, (const xc_num *)a);
}

static int fn_multinomial(xc_fncall *c, xc_value *out)
{
    xc_numvec nv = {0};
    xc_error e = XC_ERR_NONE;
    mpz_t num_, den, f;
    unsigned long total = 0;
    int st = XC_OK;
    /* GCD's argument rules: text converted, logicals #VALUE! */
    for (int i = 0; i < c->argc && !e && st == XC_OK; i++) {
        gl_gather g = {&nv, XC_ERR_NONE, XC_OK, 0, 0};
        st = xc_visit(c->ev, &c->argv[i], 0, gl_cb, &g);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
        if (st == XC_OK)
            st = g.st;
        e = g.err;
    }
    if (st != XC_OK || e) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e);
    }
    /* the product of C(s_1 + ... + s_i, s_i), largest part first so the
     * binomials stay small: (2^30+3)!/(2^30! 2! 1!) needs no factorial */
    mpz_inits(num_, den, f, (mpz_ptr)0);
    mpz_set_ui(num_, 1);
    if (nv.n > 1) /* nv.v is NULL when no number was given */
        qsort(nv.v, nv.n, sizeof *nv.v, cmp_num_desc);
    {
        double bits = 0;
        for (size_t k = 0; k < nv.n && !e; k++) {
            int64_t v;
            if (xc_num_sign(&nv.v[k]) < 0 ||
                xc_num_trunc_clamp(&nv.v[k], 0, (int64_t)1 << 53, &v) ||
                (double)total + (double)v > 9007199254740992.0) {
                e = XC_ERR_NUM;
                break;
            }
            total += (unsigned long)v;
            if (k == 0 || v == 0)
                continue;
            /* C(total, v) < total^v */
            bits += (double)v * log2((double)total + 1);
            if (v > 1000000 || bits > XC_NUM_MAX_BITS) {
                e = XC_ERR_NUM;
                break;
            }
            mpz_bin_uiui(f, total, (unsigned long)v);
            mpz_mul(num_, num_, f);
        }
    }
    xc_nums_free(&nv);
    /* past the largest double Excel says #NUM! */
    if (!e && mpz_sizeinbase(num_, 2) > 1024)
        e = XC_ERR_NUM;
    st = e ? err_out(out, XC_ERR_NUM) : mpz_done(out, num_);
    mpz_clears(num_, den, f, (mpz_ptr)0);
    return st;
}

/* SERIESSUM(x, n, m, coefficients): sum of a_i * x^(n + i*m). */
static int fn_seriessum(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    xc_num s, e, t, step;
    int st = XC_OK;
    unsigned inx = inexact(c);
    xc_error e0 = xc_args_strict(c, 3, &st);
    if (st != XC_OK)
        return st;
    if (e0)
        return err_out(out, e0);
    if (c->argv[3].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[3].err);
    if (xc_grid_init(&g, c->ev, &c->argv[3]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    xc_num_init(&s);
    xc_num_init(&e);
    xc_num_init(&t);
    xc_num_init(&step);
    st = xc_num_set(&e, xc_arg_num(c, 1));
    for (uint64_t k = 0; k < (uint64_t)g.rows * g.cols && st == XC_OK; k++) {
        const xc_value *a = xc_grid_get(&g, k / g.cols, k % g.cols);
        xc_value av = {0}, pv = {0};
        if (a->type != XC_NUMBER) {
            st = XC_EINVAL;
            break;
        }
        xc_value_copy(&av, a);
        st = power(c, &pv, xc_arg_num(c, 0), &e);
        if (st == XC_OK && pv.type == XC_ERROR) {
            xc_num_clear(&s);
            xc_num_clear(&e);
            xc_num_clear(&t);
            xc_num_clear(&step);
            xc_value_clear(&av);
            xc_value_move(out, &pv);
            return XC_OK;
        }
        if (st == XC_OK) {
            inx |= pv.flags & XC_VAL_INEXACT;
            st = xc_num_mul(&t, &av.u.num, &pv.u.num);
        }
        if (st == XC_OK)
            st = xc_num_add(&s, &s, &t);
        if (st == XC_OK)
            st = xc_num_add(&e, &e, xc_arg_num(c, 2));
        xc_value_clear(&av);
        xc_value_clear(&pv);
    }
    xc_num_clear(&e);
    xc_num_clear(&t);
    xc_num_clear(&step);
    if (st == XC_EINVAL) {
        xc_num_clear(&s);
        return err_out(out, XC_ERR_VALUE);
    }
    return done(out, &s, st, inx);
}

/* ---- Random numbers ------------------------------------------------ */

static uint64_t rng_state;

/* splitmix64: a small, well-mixed generator; seeded from the clock. */
static uint64_t rng_next(void)
{
    uint64_t z;
    if (!rng_state)
        rng_state = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull + 1;
    z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform rational in [0, 1) with 53 random bits. */
static int rand_unit(xc_num *r)
{
    return xc_num_set_frac(r, (int64_t)(rng_next() >> 11), (int64_t)1 << 53);
}

static int fn_rand(xc_fncall *c, xc_value *out)
{
    xc_num r;
    xc_num_init(&r);
    return done(out, &r, rand_unit(&r), 0);
}

/* An integer uniformly drawn from [lo, hi]. */
static int64_t rand_between(int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return span ? lo + (int64_t)(rng_next() % span) : lo;
}

static int fn_randbetween(xc_fncall *c, xc_value *out)
{
    xc_num lo, hi, r;
    int64_t a, b;
    int st;
    xc_num_init(&lo);
    xc_num_init(&hi);
    st = xc_num_round(&lo, xc_arg_num(c, 0), 0, XC_ROUND_CEIL);
    if (st == XC_OK)
        st = xc_num_round(&hi, xc_arg_num(c, 1), 0, XC_ROUND_FLOOR);
    if (st == XC_OK && (xc_num_get_int64(&lo, &a) != XC_OK ||
                        xc_num_get_int64(&hi, &b) != XC_OK || a > b ||
                        b - a > ((int64_t)1 << 53)))
        st = XC_ELIMIT;
    xc_num_clear(&lo);
    xc_num_clear(&hi);
    if (st != XC_OK)
        return fail(out, st);
    xc_num_init(&r);
    xc_num_set_int(&r, rand_between(a, b));
    return done(out, &r, XC_OK, 0);
}

/* ---- Arrays and matrices ------------------------------------------- */

#define MAX_CELLS xc_array_max(1000000u)

/* A numeric matrix from an argument: every element must be a number. */
static int matrix(xc_fncall *c, int i, xc_num **m, uint32_t *rows,
                  uint32_t *cols, unsigned *inx, xc_error *e)
{
    xc_grid g;
    const xc_value *a = &c->argv[i];
    *m = NULL;
    if (a->type == XC_ERROR) {
        *e = (xc_error)a->err;
        return XC_OK;
    }
    if (xc_grid_init(&g, c->ev, a) != XC_OK ||
        (uint64_t)g.rows * g.cols > MAX_CELLS) {
        *e = XC_ERR_VALUE;
        return XC_OK;
    }
    *rows = g.rows;
    *cols = g.cols;
    *m = xc_calloc((size_t)g.rows * g.cols, sizeof **m);
    if (!*m)
        return XC_ENOMEM;
    for (size_t k = 0; k < (size_t)g.rows * g.cols; k++) {
        const xc_value *v = xc_grid_get(&g, k / g.cols, k % g.cols);
        xc_num_init(&(*m)[k]);
        if (v->type == XC_ERROR && !*e)
            *e = (xc_error)v->err;
        else if (v->type != XC_NUMBER && !*e)
            *e = XC_ERR_VALUE;
        else if (v->type == XC_NUMBER) {
            *inx |= v->flags & XC_VAL_INEXACT;
            if (xc_num_set(&(*m)[k], &v->u.num) != XC_OK)
                *e = XC_ERR_NUM;
        }
    }
    return XC_OK;
}

static void matrix_free(xc_num *m, size_t n)
{
    if (!m)
        return;
    for (size_t k = 0; k < n; k++)
        xc_num_clear(&m[k]);
    xc_free(m);
}

/* Array result from a matrix of numbers (the numbers are taken). */
static int matrix_out(xc_value *out, xc_num *m, uint32_t rows, uint32_t cols,
                      unsigned inx)
{
    xc_array *arr;
    int st = xc_value_set_array(out, rows, cols, &arr);
    if (st != XC_OK)
        return st;
    for (size_t k = 0; k < (size_t)rows * cols; k++) {
        xc_value_take_num(&arr->v[k], &m[k]);
        arr->v[k].flags = inx ? XC_VAL_INEXACT : 0;
    }
    return XC_OK;
}

/* Work budgets of the matrix functions, so no argument makes one call
 * take more than a few seconds: MMULT's multiply-adds weighted by the
 * size of the entries (a product of two 110-bit fractions costs several
 * times one of small integers), and the bits of the entries Gaussian
 * elimination writes (exact entries grow as elimination proceeds, so
 * the element count alone does not bound the time; entries past 256
 * bits weigh more, gauss_cost).  Beyond a budget the result is #NUM!.
 * Measured (Release): 300x300 integer MMULT or a 300x300 MINVERSE
 * (1.4 s) within, 100x100 MMULT of RAND() values and a 45x45 MDETERM of
 * RANDARRAY within; MINVERSE(MUNIT(400)+1) and MDETERM(RANDARRAY(60,60))
 * #NUM! after 3.3 s and 0.6 s, MDETERM(SEQUENCE(50,50)^100) after
 * 0.25 s (6.6 s before entries were weighted). */
#define MMULT_MAX_WORK (UINT64_C(1) << 25)
#define GAUSS_MAX_WORK (UINT64_C(1) << 30)

/* The largest entry of an n-entry matrix, in 64-bit words (at least 1). */
static uint64_t max_words(const xc_num *m, size_t n)
{
    size_t bits = 0;
    for (size_t i = 0; i < n; i++) {
        size_t b = xc_num_bits(&m[i]);
        if (b > bits)
            bits = b;
    }
    return bits / 64 + 1;
}

/* What writing an entry of b bits costs the budget: its bits, weighted
 * by its size past 256 bits, since each step's multiplications and the
 * gcd that keeps the fraction in lowest terms cost more than linear
 * time in the operands (fuzz finding 24: MDETERM(SEQUENCE(50,50)^100),
 * entries of about 1,100 bits, ran 6.6 s in Release before its #NUM!). */
static uint64_t gauss_cost(size_t b)
{
    return (uint64_t)(b + 1) * ((uint64_t)b / 256 + 1);
}

/* Gaussian elimination with exact pivots: determinant of a (n x n,
 * destroyed) into det; the inverse into inv when not NULL (n x n,
 * initialised to anything).  Returns a number-layer status; XC_ELIMIT
 * past GAUSS_MAX_WORK. */
static int gauss(xc_num *a, uint32_t n, xc_num *det, xc_num *inv)
{
    xc_num t, f;
    uint64_t work = 0;
    int st = XC_OK;
    xc_num_init(&t);
    xc_num_init(&f);
    xc_num_set_int(det, 1);
    if (inv)
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t j = 0; j < n; j++)
                xc_num_set_int(&inv[i * n + j], i == j);
    for (uint32_t col = 0; col < n && st == XC_OK; col++) {
        uint32_t p = col;
        while (p < n && xc_num_is_zero(&a[p * n + col]))
            p++;
        if (p == n) {
            xc_num_set_int(det, 0);
            break;
        }
        if (p != col) {
            for (uint32_t j = 0; j < n; j++) {
                xc_num tmp = a[p * n + j];
                a[p * n + j] = a[col * n + j];
                a[col * n + j] = tmp;
                if (inv) {
                    tmp = inv[p * n + j];
                    inv[p * n + j] = inv[col * n + j];
                    inv[col * n + j] = tmp;
                }
            }
            st = xc_num_neg(det, det);
        }
        if (st == XC_OK)
            st = xc_num_mul(det, det, &a[col * n + col]);
        for (uint32_t r = 0; r < n && st == XC_OK; r++) {
            if (r == col || (!inv && r < col) ||
                xc_num_is_zero(&a[r * n + col]))
                continue;
            st = xc_num_div(&f, &a[r * n + col], &a[col * n + col]);
            for (uint32_t j = 0; j < n && st == XC_OK; j++) {
                st = xc_num_mul(&t, &f, &a[col * n + j]);
                if (st == XC_OK)
                    st = xc_num_sub(&a[r * n + j], &a[r * n + j], &t);
                if (st == XC_OK && inv) {
                    st = xc_num_mul(&t, &f, &inv[col * n + j]);
                    if (st == XC_OK)
                        st = xc_num_sub(&inv[r * n + j], &inv[r * n + j], &t);
                    work += gauss_cost(xc_num_bits(&inv[r * n + j]));
                }
                work += gauss_cost(xc_num_bits(&a[r * n + j]));
                if (st == XC_OK && work > GAUSS_MAX_WORK)
                    st = XC_ELIMIT;
            }
        }
    }
    if (inv && st == XC_OK && !xc_num_is_zero(det))
        for (uint32_t r = 0; r < n && st == XC_OK; r++)
            for (uint32_t j = 0; j < n && st == XC_OK; j++)
                st =
                    xc_num_div(&inv[r * n + j], &inv[r * n + j], &a[r * n + r]);
    xc_num_clear(&t);
    xc_num_clear(&f);
    return st;
}

static int square(xc_fncall *c, xc_value *out, int inverse)
{
    xc_num *m, *inv = NULL, det;
    uint32_t rows = 0, cols = 0;
    unsigned inx = 0;
    xc_error e = XC_ERR_NONE;
    int st = matrix(c, 0, &m, &rows, &cols, &inx, &e);
    if (st != XC_OK)
        return st;
    if (!e && (rows != cols || rows > 500))
        e = XC_ERR_VALUE;
    if (e) {
        matrix_free(m, (size_t)rows * cols);
        return err_out(out, e);
    }
    xc_num_init(&det);
    if (inverse) {
        inv = xc_calloc((size_t)rows * rows, sizeof *inv);
        if (!inv) {
            matrix_free(m, (size_t)rows * cols);
            return XC_ENOMEM;
        }
        for (size_t k = 0; k < (size_t)rows * rows; k++)
            xc_num_init(&inv[k]);
    }
    st = gauss(m, rows, &det, inv);
    matrix_free(m, (size_t)rows * cols);
    if (!inverse) {
        return done(out, &det, st, inx);
    }
    if (st == XC_OK && xc_num_is_zero(&det))
        st = XC_ELIMIT;
    xc_num_clear(&det);
    if (st == XC_OK)
        st = matrix_out(out, inv, rows, rows, inx);
    else
        st = fail(out, st);
    matrix_free(inv, (size_t)rows * rows);
    return st;
}

static int fn_mdeterm(xc_fncall *c, xc_value *out)
{
    return square(c, out, 0);
}

static int fn_minverse(xc_fncall *c, xc_value *out)
{
    return square(c, out, 1);
}

static int fn_mmult(xc_fncall *c, xc_value *out)
{
    xc_num *a = NULL, *b = NULL, *r = NULL, t;
    uint32_t ar = 0, ac = 0, br = 0, bc = 0;
    unsigned inx = 0;
    xc_error e = XC_ERR_NONE;
    int st = matrix(c, 0, &a, &ar, &ac, &inx, &e);
    if (st == XC_OK && !e)
        st = matrix(c, 1, &b, &br, &bc, &inx, &e);
    if (st == XC_OK && !e && (ac != br || (uint64_t)ar * bc > MAX_CELLS))
        e = XC_ERR_VALUE;
    if (st == XC_OK && !e &&
        (uint64_t)ar * ac * bc *
                (max_words(a, (size_t)ar * ac) +
                 max_words(b, (size_t)br * bc)) >
            2 * MMULT_MAX_WORK)
        e = XC_ERR_NUM;
    if (st != XC_OK || e)
        goto out;
    r = xc_calloc((size_t)ar * bc, sizeof *r);
    if (!r) {
        st = XC_ENOMEM;
        goto out;
    }
    xc_num_init(&t);
    for (size_t k = 0; k < (size_t)ar * bc; k++)
        xc_num_init(&r[k]);
    for (uint32_t i = 0; i < ar && st == XC_OK; i++)
        for (uint32_t j = 0; j < bc && st == XC_OK; j++)
            for (uint32_t k = 0; k < ac && st == XC_OK; k++) {
                st = xc_num_mul(&t, &a[i * ac + k], &b[k * bc + j]);
                if (st == XC_OK)
                    st = xc_num_add(&r[i * bc + j], &r[i * bc + j], &t);
            }
    xc_num_clear(&t);
    if (st == XC_OK)
        st = matrix_out(out, r, ar, bc, inx);
    else
        st = fail(out, st);
out:
    matrix_free(a, (size_t)ar * ac);
    matrix_free(b, (size_t)br * bc);
    matrix_free(r, (size_t)ar * bc);
    if (st == XC_OK && e)
        return err_out(out, e);
    return st;
}

static int fn_munit(xc_fncall *c, xc_value *out)
{
    xc_array *arr;
    int64_t n = iarg(c, 0, 0, 0, 1001);
    int st;
    if (n < 1 || n > 1000)
        return err_out(out, XC_ERR_VALUE);
    st = xc_value_set_array(out, (uint32_t)n, (uint32_t)n, &arr);
    if (st != XC_OK)
        return st;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++)
            xc_value_set_int(&arr->v[i * n + j], i == j);
    return XC_OK;
}

/* SEQUENCE(rows, [columns], [start], [step]). */
/* Was argument i left out (SEQUENCE(3,,10))?  Such an argument reaches
 * a number parameter as 0, but SEQUENCE gives it its default. */
static int missing(xc_fncall *c, int i)
{
    return i >= c->argc || (c->nodes && c->nodes[i]->kind == XN_MISSING);
}

static int fn_sequence(xc_fncall *c, xc_value *out)
{
    int64_t rows = missing(c, 0) ? 1 : iarg(c, 0, 1, -1, XC_MAX_ROWS + 1);
    int64_t cols = missing(c, 1) ? 1 : iarg(c, 1, 1, -1, XC_MAX_COLS + 1);
    xc_num v, step;
    xc_array *arr;
    int st;
    if (rows < 0 || cols < 0 || rows > (int64_t)XC_MAX_ROWS ||
        cols > (int64_t)XC_MAX_COLS)
        return err_out(out, XC_ERR_VALUE);
    if (rows == 0 || cols == 0)
        return err_out(out, XC_ERR_CALC);
    if ((uint64_t)rows * cols > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&v);
    xc_num_init(&step);
    xc_num_set_int(&v, 1);
    xc_num_set_int(&step, 1);
    if (xc_arg_given(c, 2) && !missing(c, 2))
        xc_num_set(&v, xc_arg_num(c, 2));
    if (xc_arg_given(c, 3) && !missing(c, 3))
        xc_num_set(&step, xc_arg_num(c, 3));
    st = xc_value_set_array(out, (uint32_t)rows, (uint32_t)cols, &arr);
    for (int64_t k = 0; k < rows * cols && st == XC_OK; k++) {
        st = xc_value_set_num(&arr->v[k], &v);
        if (st == XC_OK)
            st = xc_num_add(&v, &v, &step);
    }
    xc_num_clear(&v);
    xc_num_clear(&step);
    if (st != XC_OK && st != XC_ENOMEM) {
        xc_value_clear(out);
        return fail(out, st);
    }
    return st;
}

/* RANDARRAY([rows], [columns], [min], [max], [integer]). */
static int fn_randarray(xc_fncall *c, xc_value *out)
{
    int64_t rows = iarg(c, 0, 1, -1, XC_MAX_ROWS + 1);
    int64_t cols = iarg(c, 1, 1, -1, XC_MAX_COLS + 1);
    int integer = xc_arg_given(c, 4) && !xc_num_is_zero(xc_arg_num(c, 4));
    xc_num lo, hi, w, t;
    xc_array *arr;
    int st;
    if (rows < 1 || cols < 1 || (uint64_t)rows * cols > MAX_CELLS)
        return err_out(out,
                       rows == 0 || cols == 0 ? XC_ERR_CALC : XC_ERR_VALUE);
    xc_num_init(&lo);
    xc_num_init(&hi);
    xc_num_init(&w);
    xc_num_init(&t);
    xc_num_set_int(&hi, 1);
    if (xc_arg_given(c, 2))
        xc_num_set(&lo, xc_arg_num(c, 2));
    if (xc_arg_given(c, 3))
        xc_num_set(&hi, xc_arg_num(c, 3));
    if (xc_num_cmp(&lo, &hi) > 0 ||
        (integer && (!xc_num_is_int(&lo) || !xc_num_is_int(&hi)))) {
        st = err_out(out, XC_ERR_VALUE);
        goto out;
    }
    st = xc_value_set_array(out, (uint32_t)rows, (uint32_t)cols, &arr);
    if (st == XC_OK)
        st = xc_num_sub(&w, &hi, &lo);
    for (int64_t k = 0; k < rows * cols && st == XC_OK; k++) {
        if (integer) {
            int64_t a, b;
            xc_num_get_int64(&lo, &a);
            xc_num_get_int64(&hi, &b);
            xc_value_set_int(&arr->v[k], rand_between(a, b));
            continue;
        }
        st = rand_unit(&t);
        if (st == XC_OK)
            st = xc_num_mul(&t, &t, &w);
        if (st == XC_OK)
            st = xc_num_add(&t, &t, &lo);
        if (st == XC_OK)
            st = xc_value_set_num(&arr->v[k], &t);
    }
out:
    xc_num_clear(&lo);
    xc_num_clear(&hi);
    xc_num_clear(&w);
    xc_num_clear(&t);
    return st;
}

/* ---- Number systems ------------------------------------------------ */

/* ROMAN(number, [form]): form 0 (or TRUE) is classic; forms 1-4 (4 or
 * FALSE being the most concise) let a subtractive pair reach further
 * down: 499 is CDXCIX, LDVLIV, XDIX, VDIV or ID. */
static int fn_roman(xc_fncall *c, xc_value *out)
{
    static const char sym[] = "MDCLXVI";
    static const int val[] = {1000, 500, 100, 50, 10, 5, 1};
    char buf[64];
    size_t k = 0;
    int64_t n, form = 0;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), 4000) >= 0)
        return err_out(out, XC_ERR_VALUE);
    n = iarg(c, 0, 0, 0, 3999);
    if (c->argc > 1) {
        const xc_num *f = xc_arg_num(c, 1);
        xc_value t = {0};
        if (c->argv[1].type == XC_TEXT) {
            /* a form given as text must read as a number ("2") */
            int st = xc_to_number(&c->argv[1], &t);
            if (st != XC_OK)
                return st;
            if (t.type != XC_NUMBER) {
                xc_value_clear(&t);
                return err_out(out, XC_ERR_VALUE);
            }
            f = &t.u.num;
        }
        if (c->argv[1].type == XC_BOOL)
            form = c->argv[1].u.b ? 0 : 4;
        else if (xc_num_sign(f) < 0 || xc_num_cmp_int(f, 5) >= 0) {
            xc_value_clear(&t);
            return err_out(out, XC_ERR_VALUE);
        } else
            xc_num_trunc_clamp(f, 0, 4, &form);
        xc_value_clear(&t);
    }
    /* one decimal position at a time: M, C, X, I */
    for (int pos = 0; pos <= 6; pos += 2) {
        int digit = (int)(n / val[pos]);
        if (digit % 5 == 4) {
            /* a subtractive pair: small symbol before the large one */
            int big = digit == 4 ? pos - 1 : pos - 2, small = pos;
            for (int step = 0; step < form && small < 6; step++) {
                if (val[big] - val[small + 1] > n)
                    break;
                small++;
            }
            buf[k++] = sym[small];
            buf[k++] = sym[big];
            n -= val[big] - val[small];
        } else {
            if (digit >= 5)
                buf[k++] = sym[pos - 1];
            for (int r = 0; r < digit % 5; r++)
                buf[k++] = sym[pos];
            n %= val[pos];
        }
    }
    return xc_value_set_text(out, buf, k);
}

static int roman_digit(char ch)
{
    switch (ch | 0x20) {
    case 'i':
        return 1;
    case 'v':
        return 5;
    case 'x':
        return 10;
    case 'l':
        return 50;
    case 'c':
        return 100;
    case 'd':
        return 500;
    case 'm':
        return 1000;
    default:
        return 0;
    }
}

static int fn_arabic(xc_fncall *c, xc_value *out)
{
    const char *s = c->argv[0].type == XC_TEXT ? c->argv[0].u.str->s : "";
    size_t n = c->argv[0].type == XC_TEXT ? c->argv[0].u.str->len : 0;
    int64_t total = 0;
    int neg = 0;
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n && *s == '-')
        neg = 1, s++, n--;
    if (n > 255)
        return err_out(out, XC_ERR_VALUE);
    for (size_t i = 0; i < n; i++) {
        int d = roman_digit(s[i]);
        int nx = i + 1 < n ? roman_digit(s[i + 1]) : 0;
        if (!d || (i + 1 < n && !nx))
            return err_out(out, XC_ERR_VALUE);
        total += d < nx ? -d : d;
    }
    xc_value_set_int(out, neg ? -total : total);
    return XC_OK;
}

static int fn_base(xc_fncall *c, xc_value *out)
{
    int64_t radix = iarg(c, 1, 10, 0, 37), len = iarg(c, 2, 0, -1, 256);
    char buf[256 + 80]; /* padding, then up to 54 digits at buf+256 */
    mpz_t z;
    mpq_t q;
    size_t k;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), (int64_t)1 << 53) >= 0 || radix < 2 ||
        radix > 36 || len < 0 || len > 255)
        return err_out(out, XC_ERR_NUM);
    mpq_init(q);
    mpz_init(z);
    xc_num_get_mpq(q, xc_arg_num(c, 0));
    mpz_tdiv_q(z, mpq_numref(q), mpq_denref(q));
    mpz_get_str(buf + 256, (int)-radix, z); /* upper-case digits */
    k = strlen(buf + 256);
    mpq_clear(q);
    mpz_clear(z);
    if ((int64_t)k < len) {
        size_t pad = (size_t)len - k;
        memset(buf, '0', pad);
        memmove(buf + pad, buf + 256, k);
        k += pad;
        return xc_value_set_text(out, buf, k);
    }
    return xc_value_set_text(out, buf + 256, k);
}

static int fn_decimal(xc_fncall *c, xc_value *out)
{
    const char *s = c->argv[0].type == XC_TEXT ? c->argv[0].u.str->s : "";
    size_t n = c->argv[0].type == XC_TEXT ? c->argv[0].u.str->len : 0;
    int64_t radix = iarg(c, 1, 10, 0, 37);
    mpz_t z;
    int st;
    if (radix < 2 || radix > 36 || n > 255)
        return err_out(out, XC_ERR_NUM);
    mpz_init(z);
    for (size_t i = 0; i < n; i++) {
        int ch = s[i], d;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
            d = (ch | 0x20) - 'a' + 10;
        else
            d = 99;
        if (d >= radix) {
            mpz_clear(z);
            return err_out(out, XC_ERR_NUM);
        }
        mpz_mul_ui(z, z, (unsigned long)radix);
        mpz_add_ui(z, z, (unsigned long)d);
    }
    st = mpz_done(out, z);
    mpz_clear(z);
    return st;
}

/* ---- SUBTOTAL and AGGREGATE ---------------------------------------- */

/* Call the named function with argv[0..argc). */
static int call_named(xc_fncall *c, xc_value *out, const char *name,
                      xc_value *argv, int argc)
{
    const xc_fn_def *def = xc_fn_find(name, strlen(name));
    xc_fncall sub;
    if (!def)
        return err_out(out, XC_ERR_NAME);
    sub.ev = c->ev;
    sub.def = def;
    sub.argc = argc;
    sub.argv = argv;
    sub.nodes = NULL;
    return def->impl(&sub, out);
}

/* Does a formula tree call SUBTOTAL or AGGREGATE?  Such cells are left
 * out of an enclosing SUBTOTAL, so nested subtotals are not counted
 * twice. */
static int has_subtotal(const xc_node *n)
{
    if (!n)
        return 0;
    switch (n->kind) {
    case XN_FUNC:
        if (n->u.fn.def && (strcmp(n->u.fn.def->name, "SUBTOTAL") == 0 ||
                            strcmp(n->u.fn.def->name, "AGGREGATE") == 0))
            return 1;
        for (int i = 0; i < n->u.fn.nargs; i++)
            if (has_subtotal(n->u.fn.args[i]))
                return 1;
        return 0;
    case XN_UNOP:
    case XN_BINOP:
    case XN_PAREN:
        return has_subtotal(n->u.op.a) || has_subtotal(n->u.op.b);
    default:
        return 0;
    }
}

/* What SUBTOTAL and AGGREGATE leave out of a reference. */
typedef struct skipper {
    int hidden; /* SKIP_* : rows to leave out */
    int nested; /* cells whose formula calls SUBTOTAL or AGGREGATE */
    int errors; /* error values */
} skipper;

#define SKIP_NONE 0
#define SKIP_FILTERED 1 /* hidden rows, when the sheet's filter is active */
#define SKIP_HIDDEN 2   /* every hidden row */

/* A growing list of kept values. */
typedef struct keptvec {
    xc_value *v;
    size_t n, cap;
} keptvec;

static int kept_push(keptvec *k, const xc_value *v)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        xc_value *p = xc_realloc(k->v, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        k->v = p;
        k->cap = cap;
    }
    memset(&k->v[k->n], 0, sizeof *k->v);
    int st = xc_value_copy(&k->v[k->n], v);
    if (st == XC_OK)
        k->n++;
    return st;
}

static void kept_free(keptvec *k)
{
    for (size_t i = 0; i < k->n; i++)
        xc_value_clear(&k->v[i]);
    xc_free(k->v);
}

/* The kept values as a 1 x N array (one empty element when none: empty
 * array elements count for none of the aggregates). */
static int kept_array(keptvec *k, xc_value *out)
{
    xc_array *arr;
    int st = xc_value_set_array(out, 1, k->n ? (uint32_t)k->n : 1, &arr);
    if (st != XC_OK)
        return st;
    for (size_t i = 0; i < k->n; i++)
        xc_value_move(&arr->v[i], &k->v[i]);
    k->n = 0;
    return XC_OK;
}

/* Does row r of the sheet count as left out? */
static int row_skipped(xc_eval *ev, int sheet, uint32_t r, int hidden)
{
    uint32_t f1, f2;
    if (hidden == SKIP_NONE ||
        (hidden == SKIP_FILTERED &&
         !(xc_book_sheet_filter(ev->book, sheet, &f1, &f2) && r >= f1 &&
           r <= f2)))
        return 0;
    return (xc_book_row_flags(ev->book, sheet, r) & XC_ROW_HIDDEN) != 0;
}

/* Does one area need filtering under sk (some hidden row, nested
 * subtotal or, when errors are skipped, error value inside)? */
static int area_needs(xc_eval *ev, const xc_area *a, const skipper *sk)
{
    xc_iter it;
    xc_cell *cell;
    const xc_formula *last = NULL;
    uint32_t r, col;
    uint32_t f1 = a->r1, f2 = a->r2;
    if (sk->hidden == SKIP_HIDDEN ||
        (sk->hidden == SKIP_FILTERED &&
         xc_book_sheet_filter(ev->book, a->sheet, &f1, &f2))) {
        f1 = f1 > a->r1 ? f1 : a->r1; /* the rows both cover */
        f2 = f2 < a->r2 ? f2 : a->r2;
        if (xc_book_rows_flagged(ev->book, a->sheet, f1, f2, XC_ROW_HIDDEN))
            return 1;
    }
    if (!sk->nested && !sk->errors)
        return 0;
    xc_iter_init(&it, ev->book, a);
    while ((cell = xc_iter_next(&it, &r, &col)) != NULL) {
        if (sk->errors && cell->v.type == XC_ERROR)
            return 1;
        if (sk->nested && cell->node) {
            const xc_formula *f = xc_book_formula(ev->book, a->sheet, r, col);
            if (f && f != last && has_subtotal(f->root))
                return 1;
            last = f;
        }
        if (sk->errors && cell->node &&
            xc_book_get(ev->book, a->sheet, r, col)->type == XC_ERROR)
            return 1;
    }
    return 0;
}

/* Keep the cells of area a that sk does not leave out. */
static int area_keep(xc_eval *ev, const xc_area *a, const skipper *sk,
                     keptvec *k)
{
    xc_iter it;
    xc_cell *cell;
    uint32_t r, col, skiprow = UINT32_MAX, seenrow = UINT32_MAX;
    int st = XC_OK;
    xc_iter_init(&it, ev->book, a);
    while (st == XC_OK && (cell = xc_iter_next(&it, &r, &col)) != NULL) {
        const xc_value *v;
        if (r != seenrow) {
            seenrow = r;
            skiprow = row_skipped(ev, a->sheet, r, sk->hidden) ? r : UINT32_MAX;
        }
        if (r == skiprow)
            continue;
        if (sk->nested && cell->node) {
            const xc_formula *f = xc_book_formula(ev->book, a->sheet, r, col);
            if (f && has_subtotal(f->root))
                continue;
        }
        v = xc_book_get(ev->book, a->sheet, r, col);
        if (v->type == XC_EMPTY || (sk->errors && v->type == XC_ERROR))
            continue;
        st = kept_push(k, v);
    }
    return st;
}

/* One reference (or array) argument of SUBTOTAL/AGGREGATE with what sk
 * leaves out removed: the value itself when nothing is to be removed,
 * else a 1 x N array of the values kept.  *bad: #VALUE! for a 3-D
 * reference, which both functions refuse. */
static int filter_arg(xc_eval *ev, const xc_value *v, const skipper *sk,
                      xc_value *out, int *bad)
{
    keptvec k = {0};
    int st = XC_OK, need = 0;
    if (v->type == XC_REF) {
        const xc_refs *ref = v->u.ref;
        for (uint32_t i = 0; i < ref->n; i++)
            if (ref->a[i].sheet != ref->a[i].sheet2) {
                *bad = 1;
                return XC_OK;
            }
        for (uint32_t i = 0; i < ref->n && !need; i++)
            need = area_needs(ev, &ref->a[i], sk);
        if (!need)
            return xc_value_copy(out, v);
        for (uint32_t i = 0; i < ref->n && st == XC_OK; i++)
            st = area_keep(ev, &ref->a[i], sk, &k);
    } else if (v->type == XC_ARRAY && sk->errors) {
        const xc_array *a = v->u.arr;
        for (size_t i = 0; i < (size_t)a->rows * a->cols && st == XC_OK; i++)
            if (a->v[i].type != XC_ERROR)
                st = kept_push(&k, &a->v[i]);
    } else if (v->type == XC_ERROR && sk->errors) {
        /* a scalar error argument left out */
    } else {
        return xc_value_copy(out, v);
    }
    if (st == XC_OK)
        st = kept_array(&k, out);
    kept_free(&k);
    return st;
}

/* Arguments [from, to) filtered by sk into a new vector of argc - from
 * values (freed with free_args); the rest are copied as they are. */
static int filtered_args(xc_fncall *c, int from, int to, const skipper *sk,
                         xc_value **argv, int *bad)
{
    int n = c->argc - from, st = XC_OK;
    *argv = xc_calloc(n > 0 ? (size_t)n : 1, sizeof **argv);
    if (!*argv)
        return XC_ENOMEM;
    for (int i = 0; i < n && st == XC_OK && !*bad; i++)
        st = from + i < to
                 ? filter_arg(c->ev, &c->argv[from + i], sk, &(*argv)[i], bad)
                 : xc_value_copy(&(*argv)[i], &c->argv[from + i]);
    return st;
}

static void free_args(xc_value *argv, int n)
{
    if (!argv)
        return;
    for (int i = 0; i < n; i++)
        xc_value_clear(&argv[i]);
    xc_free(argv);
}

static const char *const subtotal_fns[] = {
    "AVERAGE", "COUNT",  "COUNTA", "MAX", "MIN", "PRODUCT",
    "STDEV",   "STDEVP", "SUM",    "VAR", "VARP"};

/* SUBTOTAL(function_num, ref1, ...): an aggregate of references that
 * leaves out cells which are themselves subtotals, and rows: 1-11 the
 * rows a filter hides (every hidden row of a sheet whose filter is
 * active), 101-111 every hidden row.  Columns never count: hiding a
 * column changes nothing, as in Excel. */
static int fn_subtotal(xc_fncall *c, xc_value *out)
{
    int64_t f = iarg(c, 0, 0, 0, 1000);
    skipper sk = {SKIP_FILTERED, 1, 0};
    xc_value *argv;
    int st, bad = 0;
    if (f > 100) {
        f -= 100;
        sk.hidden = SKIP_HIDDEN;
    }
    if (f < 1 || f > 11)
        return err_out(out, XC_ERR_VALUE);
    for (int i = 1; i < c->argc; i++)
        if (c->argv[i].type != XC_REF)
            return err_out(out, c->argv[i].type == XC_ERROR
                                    ? (xc_error)c->argv[i].err
                                    : XC_ERR_VALUE);
    st = filtered_args(c, 1, c->argc, &sk, &argv, &bad);
    if (st == XC_OK && bad)
        st = err_out(out, XC_ERR_VALUE);
    else if (st == XC_OK)
        st = call_named(c, out, subtotal_fns[f - 1], argv, c->argc - 1);
    free_args(argv, c->argc - 1);
    return st;
}

/* AGGREGATE(function_num, options, ref1, [ref2 | k]): functions 1-19
 * (1-13 over every ref, 14-19 over the array ref1 with k).  Options
 * 0-3 leave out nested SUBTOTAL/AGGREGATE cells; 1, 3, 5 and 7 hidden
 * rows; 2, 3, 6 and 7 error values (also inside computed arrays, the
 * AGGREGATE(14,6,range/condition,1) idiom). */
static int fn_aggregate(xc_fncall *c, xc_value *out)
{
    static const char *const more[] = {
        "MEDIAN",         "MODE.SNGL",    "LARGE",          "SMALL",
        "PERCENTILE.INC", "QUARTILE.INC", "PERCENTILE.EXC", "QUARTILE.EXC"};
    int64_t f = iarg(c, 0, 0, 0, 100), opt = iarg(c, 1, 0, -1, 100);
    skipper sk;
    int n = c->argc - 2, st, bad = 0;
    xc_value *argv = NULL;
    const char *name;
    if (f < 1 || f > 19 || opt < 0 || opt > 7)
        return err_out(out, XC_ERR_VALUE);
    if (f >= 14 && c->argc != 4)
        return err_out(out, XC_ERR_VALUE);
    name = f <= 11 ? subtotal_fns[f - 1] : more[f - 12];
    sk.nested = opt <= 3;
    sk.hidden = (opt & 1) ? SKIP_HIDDEN : SKIP_NONE;
    sk.errors = opt == 2 || opt == 3 || opt == 6 || opt == 7;
    st = filtered_args(c, 2, f >= 14 ? 3 : c->argc, &sk, &argv, &bad);
    if (st == XC_OK && bad)
        st = err_out(out, XC_ERR_VALUE);
    else if (st == XC_OK)
        st = call_named(c, out, name, argv, n);
    free_args(argv, n);
    return st;
}

/* ---- Table ------------------------------------------------------------ */

/* clang-format off */
#define M(name, args, impl, flags, syntax, help, ex) \
    {name, args, impl, flags, "math", syntax, help, ex}

const xc_fn_def xc_fns_math[] = {
M("ABS", "n", fn_abs, 0, "ABS(number)", "Absolute value of a number.",
  "=ABS(-2.5) -> 2.5"),
M("ACOS", "n", fn_acos, 0, "ACOS(number)", "Arccosine in radians.",
  "=ACOS(1) -> 0"),
M("ACOSH", "n", fn_acosh, 0, "ACOSH(number)", "Inverse hyperbolic cosine.",
  "=ACOSH(1) -> 0"),
M("ACOT", "n", fn_acot, 0, "ACOT(number)", "Arccotangent in radians.",
  "=ROUND(ACOT(1),6) -> 0.785398"),
M("ACOTH", "n", fn_acoth, 0, "ACOTH(number)",
  "Inverse hyperbolic cotangent.", "=ROUND(ACOTH(2),6) -> 0.549306"),
M("AGGREGATE", "nnA|A*", fn_aggregate, 0,
  "AGGREGATE(function_num, options, ref1, [k])",
  "A SUBTOTAL-like aggregate that can ignore hidden rows, error values and nested subtotals (options 0-7).",
  "=AGGREGATE(9,6,{1,2,3}) -> 6\n=AGGREGATE(14,6,{1,5,3},1) -> 5"),
M("ARABIC", "s", fn_arabic, 0, "ARABIC(text)",
  "Converts a Roman numeral to a number.", "=ARABIC(\"MCMXII\") -> 1912"),
M("ASIN", "n", fn_asin, 0, "ASIN(number)", "Arcsine in radians.",
  "=ASIN(0) -> 0\n=ASIN(2) -> #NUM!"),
M("ASINH", "n", fn_asinh, 0, "ASINH(number)", "Inverse hyperbolic sine.",
  "=ASINH(0) -> 0"),
M("ATAN", "n", fn_atan, 0, "ATAN(number)", "Arctangent in radians.",
  "=ROUND(ATAN(1),6) -> 0.785398"),
M("ATAN2", "nn", fn_atan2, 0, "ATAN2(x_num, y_num)",
  "Angle of the point (x, y) from the x-axis, in radians.",
  "=ROUND(ATAN2(1,1),6) -> 0.785398\n=ATAN2(0,0) -> #DIV/0!"),
M("ATANH", "n", fn_atanh, 0, "ATANH(number)",
  "Inverse hyperbolic tangent.", "=ATANH(0) -> 0\n=ATANH(1) -> #NUM!"),
M("BASE", "nn|n", fn_base, 0, "BASE(number, radix, [min_length])",
  "Text of a number in another base.",
  "=BASE(255,16) -> FF\n=BASE(5,2,8) -> 00000101"),
M("CEILING", "nn", fn_ceiling, 0, "CEILING(number, significance)",
  "Rounds up (away from zero for negative significance) to a multiple.",
  "=CEILING(2.5,1) -> 3\n=CEILING(-2.5,2) -> -2\n=CEILING(2.5,-1) -> #NUM!"),
M("CEILING.MATH", "n|nn", fn_ceiling_math, 0,
  "CEILING.MATH(number, [significance], [mode])",
  "Rounds up to a multiple; mode rounds negatives away from zero.",
  "=CEILING.MATH(-5.5,2) -> -4\n=CEILING.MATH(-5.5,2,1) -> -6"),
M("CEILING.PRECISE", "n|n", fn_ceiling_precise, 0,
  "CEILING.PRECISE(number, [significance])",
  "Rounds up to a multiple whatever the signs.",
  "=CEILING.PRECISE(-4.3,2) -> -4"),
M("COMBIN", "nn", fn_combin, 0, "COMBIN(number, number_chosen)",
  "Number of combinations without repetition.",
  "=COMBIN(8,2) -> 28\n=COMBIN(2,3) -> #NUM!"),
M("COMBINA", "nn", fn_combina, 0, "COMBINA(number, number_chosen)",
  "Number of combinations with repetition.", "=COMBINA(4,3) -> 20"),
M("COS", "n", fn_cos, 0, "COS(number)", "Cosine of an angle in radians.",
  "=COS(0) -> 1"),
M("COSH", "n", fn_cosh, 0, "COSH(number)", "Hyperbolic cosine.",
  "=COSH(0) -> 1"),
M("COT", "n", fn_cot, 0, "COT(number)", "Cotangent of an angle.",
  "=ROUND(COT(1),6) -> 0.642093\n=COT(0) -> #DIV/0!"),
M("COTH", "n", fn_coth, 0, "COTH(number)", "Hyperbolic cotangent.",
  "=ROUND(COTH(1),6) -> 1.313035"),
M("CSC", "n", fn_csc, 0, "CSC(number)", "Cosecant of an angle.",
  "=ROUND(CSC(1),6) -> 1.188395"),
M("CSCH", "n", fn_csch, 0, "CSCH(number)", "Hyperbolic cosecant.",
  "=ROUND(CSCH(1),6) -> 0.850918"),
M("DECIMAL", "sn", fn_decimal, 0, "DECIMAL(text, radix)",
  "Converts text in a given base to a number.",
  "=DECIMAL(\"FF\",16) -> 255"),
M("DEGREES", "n", fn_degrees, 0, "DEGREES(angle)",
  "Converts radians to degrees.", "=DEGREES(PI()) -> 180"),
M("EVEN", "n", fn_even, 0, "EVEN(number)",
  "Rounds away from zero to an even integer.",
  "=EVEN(1.5) -> 2\n=EVEN(-1) -> -2"),
M("EXP", "n", fn_exp, 0, "EXP(number)", "e raised to a power.",
  "=EXP(0) -> 1\n=ROUND(EXP(1),9) -> 2.718281828"),
M("FACT", "n", fn_fact, 0, "FACT(number)", "Factorial of a number.",
  "=FACT(5) -> 120\n=FACT(-1) -> #NUM!"),
M("FACTDOUBLE", "n", fn_factdouble, 0, "FACTDOUBLE(number)",
  "Double factorial of a number.", "=FACTDOUBLE(7) -> 105"),
M("FLOOR", "nn", fn_floor, 0, "FLOOR(number, significance)",
  "Rounds down (toward zero for negative significance) to a multiple.",
  "=FLOOR(7.1,0.1) -> 7.1\n=FLOOR(-2.5,2) -> -4\n=FLOOR(2.5,-2) -> #NUM!"),
M("FLOOR.MATH", "n|nn", fn_floor_math, 0,
  "FLOOR.MATH(number, [significance], [mode])",
  "Rounds down to a multiple; mode rounds negatives toward zero.",
  "=FLOOR.MATH(-5.5,2) -> -6\n=FLOOR.MATH(-5.5,2,1) -> -4"),
M("FLOOR.PRECISE", "n|n", fn_floor_precise, 0,
  "FLOOR.PRECISE(number, [significance])",
  "Rounds down to a multiple whatever the signs.",
  "=FLOOR.PRECISE(-3.2,-1) -> -4"),
M("GCD", "a*", fn_gcd, 0, "GCD(number1, [number2], ...)",
  "Greatest common divisor.", "=GCD(24,36) -> 12\n=GCD(5,-1) -> #NUM!"),
M("INT", "n", fn_int, 0, "INT(number)",
  "Rounds down to the nearest integer.", "=INT(-2.5) -> -3\n=INT(2.9) -> 2"),
M("ISO.CEILING", "n|n", fn_ceiling_precise, 0,
  "ISO.CEILING(number, [significance])",
  "Rounds up to a multiple whatever the signs.",
  "=ISO.CEILING(4.3) -> 5"),
M("LCM", "a*", fn_lcm, 0, "LCM(number1, [number2], ...)",
  "Least common multiple.", "=LCM(4,6) -> 12"),
M("LN", "n", fn_ln, 0, "LN(number)", "Natural logarithm.",
  "=LN(1) -> 0\n=LN(0) -> #NUM!"),
M("LOG", "n|n", fn_log, 0, "LOG(number, [base])",
  "Logarithm in a base (10 by default).",
  "=LOG(1000) -> 3\n=LOG(8,2) -> 3\n=LOG(1,1) -> #DIV/0!"),
M("LOG10", "n", fn_log10, 0, "LOG10(number)", "Base-10 logarithm.",
  "=LOG10(0.01) -> -2"),
M("MDETERM", "A", fn_mdeterm, 0, "MDETERM(array)",
  "Determinant of a square matrix.", "=MDETERM({1,2;3,4}) -> -2"),
M("MINVERSE", "A", fn_minverse, 0, "MINVERSE(array)",
  "Inverse of a square matrix.",
  "=INDEX(MINVERSE({2,0;0,4}),2,2) -> 0.25\n=MINVERSE({1,2;2,4}) -> #NUM!"),
M("MMULT", "AA", fn_mmult, 0, "MMULT(array1, array2)",
  "Matrix product of two arrays.", "=SUM(MMULT({1,2},{3;4})) -> 11"),
M("MOD", "nn", fn_mod, 0, "MOD(number, divisor)",
  "Remainder with the sign of the divisor.",
  "=MOD(-3,2) -> 1\n=MOD(3,-2) -> -1\n=MOD(1,0) -> #DIV/0!"),
M("MROUND", "vv", fn_mround, 0, "MROUND(number, multiple)",
  "Rounds to the nearest multiple.",
  "=MROUND(10,3) -> 9\n=MROUND(5,-2) -> #NUM!"),
M("MULTINOMIAL", "a*", fn_multinomial, 0,
  "MULTINOMIAL(number1, [number2], ...)",
  "Factorial of the sum over the product of factorials.",
  "=MULTINOMIAL(2,3,4) -> 1260"),
M("MUNIT", "n", fn_munit, 0, "MUNIT(dimension)", "Identity matrix.",
  "=SUM(MUNIT(3)) -> 3"),
M("ODD", "n", fn_odd, 0, "ODD(number)",
  "Rounds away from zero to an odd integer.",
  "=ODD(1.5) -> 3\n=ODD(0) -> 1\n=ODD(-2) -> -3"),
M("PERMUT", "nn", fn_permut, 0, "PERMUT(number, number_chosen)",
  "Number of permutations.", "=PERMUT(100,3) -> 970200"),
M("PERMUTATIONA", "nn", fn_permutationa, 0,
  "PERMUTATIONA(number, number_chosen)",
  "Number of permutations with repetition.", "=PERMUTATIONA(3,2) -> 9"),
M("PI", "", fn_pi, 0, "PI()", "The number pi.",
  "=ROUND(PI(),9) -> 3.141592654"),
M("POWER", "nn", fn_power, 0, "POWER(number, power)",
  "A number raised to a power.",
  "=POWER(2,10) -> 1024\n=POWER(4,0.5) -> 2\n=POWER(0,0) -> #NUM!"),
M("PRODUCT", "a*", fn_product, 0, "PRODUCT(number1, [number2], ...)",
  "Product of the numbers.", "=PRODUCT(2,3,0.5) -> 3"),
M("QUOTIENT", "vv", fn_quotient, 0, "QUOTIENT(numerator, denominator)",
  "Integer part of a division.",
  "=QUOTIENT(-7,2) -> -3\n=QUOTIENT(1,0) -> #DIV/0!"),
M("RADIANS", "n", fn_radians, 0, "RADIANS(angle)",
  "Converts degrees to radians.", "=ROUND(RADIANS(180),9) -> 3.141592654"),
M("RAND", "", fn_rand, XC_FN_VOLATILE, "RAND()",
  "A random number in [0, 1).", "=RAND()<1 -> TRUE"),
M("RANDARRAY", "|nnnnn", fn_randarray, XC_FN_VOLATILE,
  "RANDARRAY([rows], [columns], [min], [max], [integer])",
  "An array of random numbers.", "=ROWS(RANDARRAY(3,2)) -> 3"),
M("RANDBETWEEN", "nn", fn_randbetween, XC_FN_VOLATILE,
  "RANDBETWEEN(bottom, top)", "A random integer between two bounds.",
  "=RANDBETWEEN(4,4) -> 4\n=RANDBETWEEN(5,1) -> #NUM!"),
M("ROMAN", "n|v", fn_roman, 0, "ROMAN(number, [form])",
  "A number as a Roman numeral, classic or more concise.",
  "=ROMAN(1912) -> MCMXII\n=ROMAN(499,4) -> ID"),
M("ROUND", "nn", fn_round, 0, "ROUND(number, num_digits)",
  "Rounds half away from zero to a number of digits.",
  "=ROUND(2.675,2) -> 2.68\n=ROUND(-1.5,0) -> -2\n=ROUND(1234,-2) -> 1200"),
M("ROUNDDOWN", "nn", fn_rounddown, 0, "ROUNDDOWN(number, num_digits)",
  "Rounds toward zero.", "=ROUNDDOWN(-3.14159,2) -> -3.14"),
M("ROUNDUP", "nn", fn_roundup, 0, "ROUNDUP(number, num_digits)",
  "Rounds away from zero.", "=ROUNDUP(7.123,1) -> 7.2"),
M("SEC", "n", fn_sec, 0, "SEC(number)", "Secant of an angle.",
  "=SEC(0) -> 1"),
M("SECH", "n", fn_sech, 0, "SECH(number)", "Hyperbolic secant.",
  "=SECH(0) -> 1"),
M("SEQUENCE", "n|nnn", fn_sequence, 0,
  "SEQUENCE(rows, [columns], [start], [step])",
  "An array of evenly spaced numbers.",
  "=SUM(SEQUENCE(4)) -> 10\n=SUM(SEQUENCE(2,2,0,0.5)) -> 3"),
M("SERIESSUM", "vvvA", fn_seriessum, 0,
  "SERIESSUM(x, n, m, coefficients)", "Sum of a power series.",
  "=SERIESSUM(2,0,1,{1,1,1}) -> 7"),
M("SIGN", "n", fn_sign, 0, "SIGN(number)", "-1, 0 or 1 by sign.",
  "=SIGN(-0.5) -> -1\n=SIGN(0) -> 0"),
M("SIN", "n", fn_sin, 0, "SIN(number)", "Sine of an angle in radians.",
  "=SIN(0) -> 0\n=ROUND(SIN(PI()/2),9) -> 1"),
M("SINH", "n", fn_sinh, 0, "SINH(number)", "Hyperbolic sine.",
  "=SINH(0) -> 0"),
M("SQRT", "n", fn_sqrt, 0, "SQRT(number)", "Square root.",
  "=SQRT(16) -> 4\n=SQRT(2) -> 1.4142135623731\n=SQRT(-1) -> #NUM!"),
M("SQRTPI", "n", fn_sqrtpi, 0, "SQRTPI(number)",
  "Square root of a number times pi.", "=ROUND(SQRTPI(1),6) -> 1.772454"),
M("SUBTOTAL", "na*", fn_subtotal, 0,
  "SUBTOTAL(function_num, ref1, [ref2], ...)",
  "An aggregate (SUM, AVERAGE, COUNT...) of references without nested subtotals, filtered rows (1-11) or any hidden row (101-111).",
  "=SUBTOTAL(9,A1:A3) -> 0"),
M("SUM", "a*", fn_sum, 0, "SUM(number1, [number2], ...)",
  "Sum of the numbers; text and logicals in ranges are ignored.",
  "=SUM(0.1,0.2) -> 0.3\n=SUM(1,\"2\",TRUE) -> 4\n=SUM({1,\"x\",2}) -> 3"),
M("SUMIF", "ae|a", fn_sumif, 0, "SUMIF(range, criteria, [sum_range])",
  "Sum of the cells that meet a criterion.",
  "=SUMIF({1,5,10},\">4\") -> 15"),
M("SUMIFS", "aae|a*", fn_sumifs, 0,
  "SUMIFS(sum_range, criteria_range1, criteria1, ...)",
  "Sum of the cells that meet every criterion.",
  "=SUMIFS({1,2,3},{\"a\",\"b\",\"a\"},\"a\") -> 4"),
M("SUMPRODUCT", "A*", fn_sumproduct, 0,
  "SUMPRODUCT(array1, [array2], ...)",
  "Sum of the products of corresponding entries.",
  "=SUMPRODUCT({1,2,3},{4,5,6}) -> 32"),
M("SUMSQ", "a*", fn_sumsq, 0, "SUMSQ(number1, [number2], ...)",
  "Sum of the squares.", "=SUMSQ(3,4) -> 25"),
M("SUMX2MY2", "AA", fn_sumx2my2, 0, "SUMX2MY2(array_x, array_y)",
  "Sum of the differences of squares.", "=SUMX2MY2({2,3},{1,1}) -> 11"),
M("SUMX2PY2", "AA", fn_sumx2py2, 0, "SUMX2PY2(array_x, array_y)",
  "Sum of the sums of squares.", "=SUMX2PY2({2,3},{1,1}) -> 15"),
M("SUMXMY2", "AA", fn_sumxmy2, 0, "SUMXMY2(array_x, array_y)",
  "Sum of the squared differences.", "=SUMXMY2({2,3},{1,1}) -> 5"),
M("TAN", "n", fn_tan, 0, "TAN(number)", "Tangent of an angle.",
  "=TAN(0) -> 0"),
M("TANH", "n", fn_tanh, 0, "TANH(number)", "Hyperbolic tangent.",
  "=TANH(0) -> 0"),
M("TRUNC", "n|n", fn_trunc, 0, "TRUNC(number, [num_digits])",
  "Truncates toward zero.", "=TRUNC(-2.5) -> -2\n=TRUNC(3.14159,3) -> 3.141"),
};
/* clang-format on */
const size_t xc_fns_math_n = sizeof xc_fns_math / sizeof *xc_fns_math;
