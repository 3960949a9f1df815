/* fn_fin.c - spreadsheet functions of the "fin" category: time value of
 * money (PV, FV, PMT, NPER, RATE...), cash-flow analysis (NPV, IRR,
 * XIRR, MIRR), depreciation (SLN, SYD, DB, DDB, VDB) and conversions.
 *
 * Arithmetic runs on GMP rationals: annuity formulas with a whole
 * number of periods are rational and so exact.  A power with a
 * fractional exponent, a logarithm or an iterative solution (RATE,
 * IRR, XIRR) goes through MPFR at XC_MPFR_PREC bits and marks the
 * result inexact.  The solvers use Newton's method and stop when a step
 * is below 2^-200 relative to the root (declared tolerance), or give
 * #NUM! after 200 iterations without converging. */
#include <string.h>
#include "formula_int.h"

/* ---- Helpers ------------------------------------------------------ */

static unsigned args_inexact(xc_fncall *c)
{
    unsigned f = 0;
    for (int i = 0; i < c->argc; i++)
        if (c->argv[i].type == XC_NUMBER)
            f |= c->argv[i].flags & XC_VAL_INEXACT;
    return f;
}

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

/* Argument i into q (0 when omitted). */
static void qarg(xc_fncall *c, int i, mpq_t q)
{
    xc_num_get_mpq(q, xc_arg_num(c, i));
}

/* Result from an mpq: limits become #NUM!. */
static int q_out(xc_value *out, const mpq_t q, unsigned inexact)
{
    xc_num x;
    int st;
    xc_num_init(&x);
    st = xc_num_set_mpq(&x, q);
    if (st != XC_OK) {
        xc_num_clear(&x);
        if (st == XC_ENOMEM)
            return st;
        return err_out(out, XC_ERR_NUM);
    }
    return xc_result_num(out, &x, inexact ? XC_VAL_INEXACT : 0);
}

/* Failure statuses of the helpers below as results. */
static int fail(xc_value *out, int st)
{
    switch (st) {
    case XC_EDIVZERO:
        return err_out(out, XC_ERR_DIV0);
    case XC_ELIMIT:
    case XC_EINVAL:
        return err_out(out, XC_ERR_NUM);
    default:
        return st;
    }
}

static size_t qbits(const mpq_t q)
{
    return mpz_sizeinbase(mpq_numref(q), 2) + mpz_sizeinbase(mpq_denref(q), 2);
}

/* out = base^e.  Exact for an integer exponent while the result stays
 * within the number limits; otherwise through MPFR (*inexact set).
 * XC_EDIVZERO for 0^negative, XC_EINVAL for a negative base with a
 * fractional exponent or a non-finite result. */
static int qpow(mpq_t out, const mpq_t base, const mpq_t e, unsigned *inexact)
{
    if (mpz_cmp_ui(mpq_denref(e), 1) == 0 && mpz_fits_slong_p(mpq_numref(e))) {
        long k = mpz_get_si(mpq_numref(e));
        unsigned long ak = k < 0 ? -(unsigned long)k : (unsigned long)k;
        if (mpq_sgn(base) == 0) {
            if (k < 0)
                return XC_EDIVZERO;
            mpq_set_ui(out, k == 0 ? 1 : 0, 1);
            return XC_OK;
        }
        if ((double)qbits(base) * (double)ak < XC_NUM_MAX_BITS / 4) {
            mpz_t n, d;
            mpz_inits(n, d, NULL);
            mpz_pow_ui(n, mpq_numref(base), ak);
            mpz_pow_ui(d, mpq_denref(base), ak);
            if (k < 0)
                mpz_swap(n, d);
            if (mpz_sgn(d) < 0) {
                mpz_neg(n, n);
                mpz_neg(d, d);
            }
            mpz_set(mpq_numref(out), n);
            mpz_set(mpq_denref(out), d);
            mpq_canonicalize(out);
            mpz_clears(n, d, NULL);
            return XC_OK;
        }
    }
    mpfr_t b, x, r;
    int st = XC_OK;
    mpfr_inits2(XC_MPFR_PREC, b, x, r, (mpfr_ptr)0);
    mpfr_set_q(b, base, MPFR_RNDN);
    mpfr_set_q(x, e, MPFR_RNDN);
    if (mpq_sgn(base) == 0 && mpq_sgn(e) < 0)
        st = XC_EDIVZERO;
    else {
        mpfr_pow(r, b, x, MPFR_RNDN);
        if (!mpfr_number_p(r))
            st = XC_EINVAL;
        else {
            mpfr_get_q(out, r);
            *inexact = 1;
        }
    }
    mpfr_clears(b, x, r, (mpfr_ptr)0);
    return st;
}

/* out = (1 + r)^n */
static int grow(mpq_t out, const mpq_t r, const mpq_t n, unsigned *inexact)
{
    mpq_t b;
    int st;
    mpq_init(b);
    mpq_set_ui(b, 1, 1);
    mpq_add(b, b, r);
    st = qpow(out, b, n, inexact);
    mpq_clear(b);
    return st;
}

/* An MPFR result as an mpq (NaN/inf: XC_EINVAL). */
static int from_mpfr(mpq_t out, const mpfr_t f, unsigned *inexact)
{
    if (!mpfr_number_p(f))
        return XC_EINVAL;
    mpfr_get_q(out, f);
    *inexact = 1;
    return XC_OK;
}

/* ---- Annuities ------------------------------------------------------
 * With g = (1+r)^n and a = (1+r*type)*(g-1)/r (a = n when r = 0):
 *     pv*g + pmt*a + fv = 0
 * Each of PV, FV, PMT solves this for one unknown. */

typedef struct annuity {
    mpq_t r, n, pmt, pv, fv, t, g, a;
    unsigned inexact;
} annuity;

static void ann_init(annuity *A)
{
    mpq_inits(A->r, A->n, A->pmt, A->pv, A->fv, A->t, A->g, A->a, NULL);
    A->inexact = 0;
}

static void ann_clear(annuity *A)
{
    mpq_clears(A->r, A->n, A->pmt, A->pv, A->fv, A->t, A->g, A->a, NULL);
}

/* Compute g and a from r, n, t. */
static int ann_ga(annuity *A)
{
    int st;
    if (mpq_sgn(A->r) == 0) {
        mpq_set_ui(A->g, 1, 1);
        mpq_set(A->a, A->n);
        return XC_OK;
    }
    st = grow(A->g, A->r, A->n, &A->inexact);
    if (st != XC_OK)
        return st;
    mpq_t one, k;
    mpq_inits(one, k, NULL);
    mpq_set_ui(one, 1, 1);
    mpq_sub(A->a, A->g, one);
    mpq_div(A->a, A->a, A->r);
    mpq_mul(k, A->r, A->t);
    mpq_add(k, k, one);
    mpq_mul(A->a, A->a, k);
    mpq_clears(one, k, NULL);
    return XC_OK;
}

/* Type argument: 0 unless non-zero. */
static void type_arg(xc_fncall *c, int i, mpq_t t)
{
    mpq_set_ui(
        t, xc_arg_given(c, i) && !xc_num_is_zero(xc_arg_num(c, i)) ? 1 : 0, 1);
}

/* PV(rate, nper, pmt, [fv], [type]) */
static int fn_pv(xc_fncall *c, xc_value *out)
{
    annuity A;
    int st;
    ann_init(&A);
    qarg(c, 0, A.r), qarg(c, 1, A.n), qarg(c, 2, A.pmt), qarg(c, 3, A.fv);
    type_arg(c, 4, A.t);
    st = ann_ga(&A);
    if (st == XC_OK) {
        if (mpq_sgn(A.g) == 0)
            st = XC_EDIVZERO;
        else {
            /* pv = -(fv + pmt*a) / g */
            mpq_mul(A.pv, A.pmt, A.a);
            mpq_add(A.pv, A.pv, A.fv);
            mpq_neg(A.pv, A.pv);
            mpq_div(A.pv, A.pv, A.g);
            st = q_out(out, A.pv, A.inexact || args_inexact(c));
        }
    }
    if (st != XC_OK)
        st = fail(out, st);
    ann_clear(&A);
    return st;
}

/* FV(rate, nper, pmt, [pv], [type]) */
static int fn_fv(xc_fncall *c, xc_value *out)
{
    annuity A;
    int st;
    ann_init(&A);
    qarg(c, 0, A.r), qarg(c, 1, A.n), qarg(c, 2, A.pmt), qarg(c, 3, A.pv);
    type_arg(c, 4, A.t);
    st = ann_ga(&A);
    if (st == XC_OK) {
        mpq_mul(A.fv, A.pv, A.g);
        mpq_t k;
        mpq_init(k);
        mpq_mul(k, A.pmt, A.a);
        mpq_add(A.fv, A.fv, k);
        mpq_neg(A.fv, A.fv);
        mpq_clear(k);
        st = q_out(out, A.fv, A.inexact || args_inexact(c));
    }
    if (st != XC_OK)
        st = fail(out, st);
    ann_clear(&A);
    return st;
}

/* pmt of an annuity already holding r, n, pv, fv, t (g, a computed). */
static int ann_pmt(annuity *A)
{
    if (mpq_sgn(A->a) == 0)
        return XC_EDIVZERO;
    mpq_mul(A->pmt, A->pv, A->g);
    mpq_add(A->pmt, A->pmt, A->fv);
    mpq_neg(A->pmt, A->pmt);
    mpq_div(A->pmt, A->pmt, A->a);
    return XC_OK;
}

/* PMT(rate, nper, pv, [fv], [type]) */
static int fn_pmt(xc_fncall *c, xc_value *out)
{
    annuity A;
    int st;
    ann_init(&A);
    qarg(c, 0, A.r), qarg(c, 1, A.n), qarg(c, 2, A.pv), qarg(c, 3, A.fv);
    type_arg(c, 4, A.t);
    /* Excel: PMT refuses a rate of -100% or below */
    if (mpq_sgn(A.n) == 0 || mpq_cmp_si(A.r, -1, 1) <= 0)
        st = XC_EINVAL;
    else
        st = ann_ga(&A);
    if (st == XC_OK)
        st = ann_pmt(&A);
    if (st == XC_OK)
        st = q_out(out, A.pmt, A.inexact || args_inexact(c));
    else
        st = fail(out, st);
    ann_clear(&A);
    return st;
}

/* Interest part of payment `per` (1-based) of an annuity with pmt known:
 * ipmt = FV(r, per-1, pmt, pv, t) * r, divided by (1+r) when t = 1;
 * zero in the first period when t = 1. */
static int ann_ipmt(const annuity *A, const mpq_t per, mpq_t ip,
                    unsigned *inexact)
{
    annuity B;
    int st;
    if (mpq_sgn(A->t) && mpq_cmp_ui(per, 1, 1) == 0) {
        mpq_set_ui(ip, 0, 1);
        return XC_OK;
    }
    ann_init(&B);
    mpq_set(B.r, A->r);
    mpq_set_ui(B.n, 1, 1);
    mpq_sub(B.n, per, B.n);
    mpq_set(B.t, A->t);
    st = ann_ga(&B);
    if (st == XC_OK) {
        mpq_t k;
        mpq_init(k);
        mpq_mul(ip, A->pv, B.g);
        mpq_mul(k, A->pmt, B.a);
        mpq_add(ip, ip, k);
        mpq_neg(ip, ip);
        mpq_mul(ip, ip, A->r);
        if (mpq_sgn(A->t)) {
            mpq_set_ui(k, 1, 1);
            mpq_add(k, k, A->r);
            if (mpq_sgn(k) == 0)
                st = XC_EDIVZERO;
            else
                mpq_div(ip, ip, k);
        }
        mpq_clear(k);
    }
    *inexact |= B.inexact;
    ann_clear(&B);
    return st;
}

/* IPMT/PPMT(rate, per, nper, pv, [fv], [type]) */
static int ipmt_ppmt(xc_fncall *c, xc_value *out, int principal)
{
    annuity A;
    mpq_t per, ip;
    int st;
    ann_init(&A);
    mpq_inits(per, ip, NULL);
    qarg(c, 0, A.r), qarg(c, 1, per), qarg(c, 2, A.n), qarg(c, 3, A.pv);
    qarg(c, 4, A.fv);
    type_arg(c, 5, A.t);
    mpq_t lim;
    mpq_init(lim);
    mpq_set_ui(lim, 1, 1);
    mpq_add(lim, lim, A.n);
    /* Excel accepts a fractional period up to (not including) nper+1 */
    if (mpq_cmp_ui(per, 1, 1) < 0 || mpq_cmp(per, lim) >= 0)
        st = XC_EINVAL;
    else
        st = ann_ga(&A);
    if (st == XC_OK)
        st = ann_pmt(&A);
    if (st == XC_OK)
        st = ann_ipmt(&A, per, ip, &A.inexact);
    if (st == XC_OK) {
        if (principal)
            mpq_sub(ip, A.pmt, ip);
        st = q_out(out, ip, A.inexact || args_inexact(c));
    } else {
        st = fail(out, st);
    }
    mpq_clears(per, ip, lim, NULL);
    ann_clear(&A);
    return st;
}

static int fn_ipmt(xc_fncall *c, xc_value *out)
{
    return ipmt_ppmt(c, out, 0);
}

static int fn_ppmt(xc_fncall *c, xc_value *out)
{
    return ipmt_ppmt(c, out, 1);
}

/* CUMIPMT/CUMPRINC(rate, nper, pv, start_period, end_period, type) */
static int cumulative(xc_fncall *c, xc_value *out, int principal)
{
    /* the period and type arguments refuse logicals */
    for (int i = 3; i < 6 && i < c->argc; i++) {
        xc_value n = {0};
        int st0;
        if (c->argv[i].type == XC_BOOL)
            return err_out(out, XC_ERR_VALUE);
        if ((st0 = xc_to_number(&c->argv[i], &n)) != XC_OK)
            return st0;
        if (n.type != XC_NUMBER) {
            xc_value_clear(&n);
            return err_out(out, XC_ERR_VALUE);
        }
        xc_value_clear(&c->argv[i]);
        xc_value_move(&c->argv[i], &n);
    }
    annuity A;
    mpq_t per, ip, sum;
    int64_t s, e;
    int st = XC_OK;
    ann_init(&A);
    mpq_inits(per, ip, sum, NULL);
    qarg(c, 0, A.r), qarg(c, 1, A.n), qarg(c, 2, A.pv);
    {
        /* Excel takes the first whole period from start on and the last
         * whole period up to end */
        xc_num k;
        xc_num_init(&k);
        xc_num_round(&k, xc_arg_num(c, 3), 0, XC_ROUND_CEIL);
        xc_num_trunc_clamp(&k, -1, INT32_MAX, &s);
        xc_num_round(&k, xc_arg_num(c, 4), 0, XC_ROUND_FLOOR);
        xc_num_trunc_clamp(&k, -1, INT32_MAX, &e);
        xc_num_clear(&k);
    }
    int tv = xc_num_cmp_int(xc_arg_num(c, 5), 0) == 0   ? 0
             : xc_num_cmp_int(xc_arg_num(c, 5), 1) == 0 ? 1
                                                        : -1;
    mpq_set_ui(A.t, tv > 0, 1);
    mpq_t ee;
    mpq_init(ee);
    mpq_set_si(ee, e, 1);
    if (mpq_sgn(A.r) <= 0 || mpq_sgn(A.n) <= 0 || mpq_sgn(A.pv) <= 0 || s < 1 ||
        e < s || mpq_cmp(ee, A.n) > 0 || tv < 0 || e - s > 100000)
        st = XC_EINVAL;
    mpq_clear(ee);
    if (st == XC_OK)
        st = ann_ga(&A);
    if (st == XC_OK)
        st = ann_pmt(&A);
    for (int64_t k = s; k <= e && st == XC_OK; k++) {
        mpq_set_si(per, k, 1);
        st = ann_ipmt(&A, per, ip, &A.inexact);
        if (st == XC_OK) {
            if (principal)
                mpq_sub(ip, A.pmt, ip);
            mpq_add(sum, sum, ip);
        }
        if (qbits(sum) > XC_NUM_MAX_BITS)
            st = XC_ELIMIT;
    }
    if (st == XC_OK)
        st = q_out(out, sum, A.inexact || args_inexact(c));
    else
        st = fail(out, st);
    mpq_clears(per, ip, sum, NULL);
    ann_clear(&A);
    return st;
}

static int fn_cumipmt(xc_fncall *c, xc_value *out)
{
    return cumulative(c, out, 0);
}

static int fn_cumprinc(xc_fncall *c, xc_value *out)
{
    return cumulative(c, out, 1);
}

/* NPER(rate, pmt, pv, [fv], [type]) */
static int fn_nper(xc_fncall *c, xc_value *out)
{
    mpq_t r, pmt, pv, fv, t, x, y;
    unsigned inx = args_inexact(c);
    int st = XC_OK;
    mpq_inits(r, pmt, pv, fv, t, x, y, NULL);
    qarg(c, 0, r), qarg(c, 1, pmt), qarg(c, 2, pv), qarg(c, 3, fv);
    type_arg(c, 4, t);
    if (mpq_sgn(r) == 0) {
        if (mpq_sgn(pmt) == 0)
            st = XC_EDIVZERO;
        else {
            mpq_add(x, pv, fv);
            mpq_neg(x, x);
            mpq_div(x, x, pmt);
        }
    } else {
        /* n = ln((pmt*(1+r*t) - fv*r) / (pmt*(1+r*t) + pv*r)) / ln(1+r) */
        mpq_t k;
        mpq_init(k);
        mpq_mul(k, r, t);
        mpq_set_ui(x, 1, 1);
        mpq_add(k, k, x);
        mpq_mul(k, k, pmt);
        mpq_mul(x, fv, r);
        mpq_sub(x, k, x);
        mpq_mul(y, pv, r);
        mpq_add(y, k, y);
        mpq_clear(k);
        if (mpq_sgn(y) == 0)
            st = XC_EINVAL;
        else {
            mpq_div(x, x, y);
            mpq_set_ui(y, 1, 1);
            mpq_add(y, y, r);
            if (mpq_sgn(x) <= 0 || mpq_sgn(y) <= 0 || mpq_cmp_ui(y, 1, 1) == 0)
                st = XC_EINVAL;
            else {
                mpfr_t a, b;
                mpfr_inits2(XC_MPFR_PREC, a, b, (mpfr_ptr)0);
                mpfr_set_q(a, x, MPFR_RNDN);
                mpfr_set_q(b, y, MPFR_RNDN);
                mpfr_log(a, a, MPFR_RNDN);
                mpfr_log(b, b, MPFR_RNDN);
                mpfr_div(a, a, b, MPFR_RNDN);
                st = from_mpfr(x, a, &inx);
                mpfr_clears(a, b, (mpfr_ptr)0);
            }
        }
    }
    st = st == XC_OK ? q_out(out, x, inx) : fail(out, st);
    mpq_clears(r, pmt, pv, fv, t, x, y, NULL);
    return st;
}

/* ---- Solvers ------------------------------------------------------------ */

typedef int (*mfn)(void *ud, const mpfr_t r, mpfr_t f);

/* Newton's method with a numeric derivative (central difference at
 * 2^-100) from r; XC_OK when a step falls below 2^-200 relative. */
static int newton(mfn f, void *ud, mpfr_t r)
{
    mpfr_t fx, f1, f2, h, x1, step, tol;
    int st = XC_EINVAL;
    mpfr_inits2(XC_MPFR_PREC, fx, f1, f2, h, x1, step, tol, (mpfr_ptr)0);
    for (int it = 0; it < 200; it++) {
        if (f(ud, r, fx) != XC_OK)
            break;
        if (mpfr_zero_p(fx)) {
            st = XC_OK;
            break;
        }
        mpfr_set_ui_2exp(h, 1, -100, MPFR_RNDN);
        mpfr_add(x1, r, h, MPFR_RNDN);
        if (f(ud, x1, f1) != XC_OK)
            break;
        mpfr_sub(x1, r, h, MPFR_RNDN);
        if (f(ud, x1, f2) != XC_OK)
            break;
        mpfr_sub(f1, f1, f2, MPFR_RNDN);
        mpfr_mul_2ui(h, h, 1, MPFR_RNDN);
        mpfr_div(f1, f1, h, MPFR_RNDN); /* derivative */
        if (mpfr_zero_p(f1) || !mpfr_number_p(f1))
            break;
        mpfr_div(step, fx, f1, MPFR_RNDN);
        mpfr_sub(r, r, step, MPFR_RNDN);
        if (!mpfr_number_p(r) || mpfr_cmp_si(r, -1) <= 0)
            break;
        mpfr_abs(tol, r, MPFR_RNDN);
        if (mpfr_cmp_ui(tol, 1) < 0)
            mpfr_set_ui(tol, 1, MPFR_RNDN);
        mpfr_mul_2si(tol, tol, -200, MPFR_RNDN);
        mpfr_abs(step, step, MPFR_RNDN);
        if (mpfr_cmp(step, tol) <= 0) {
            st = XC_OK;
            break;
        }
    }
    mpfr_clears(fx, f1, f2, h, x1, step, tol, (mpfr_ptr)0);
    return st;
}

/* Find a root of f in (-1, inf): Newton from the guess r; failing that,
 * the sign change on a grid of rates nearest the guess, narrowed by
 * bisection and finished by Newton (or by bisection to 2^-200). */
static int solve(mfn f, void *ud, mpfr_t r)
{
    static const double grid[] = {
        -0.9999, -0.999, -0.99, -0.95, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3,
        -0.2,    -0.1,   -0.05, 0,     0.05, 0.1,  0.2,  0.3,  0.5,  0.75, 1,
        1.5,     2,      3,     5,     10,   20,   50,   100,  1000};
    mpfr_t g, a, b, fa, fb, m, fm;
    int st;
    mpfr_inits2(XC_MPFR_PREC, g, a, b, fa, fb, m, fm, (mpfr_ptr)0);
    mpfr_set(g, r, MPFR_RNDN);
    st = mpfr_cmp_si(r, -1) > 0 ? newton(f, ud, r) : XC_EINVAL;
    if (st != XC_OK) {
        double best = -1, gd = mpfr_get_d(g, MPFR_RNDN);
        int bi = -1;
        size_t n = sizeof grid / sizeof *grid;
        for (size_t i = 0; i + 1 < n; i++) {
            mpfr_set_d(a, grid[i], MPFR_RNDN);
            mpfr_set_d(b, grid[i + 1], MPFR_RNDN);
            if (f(ud, a, fa) != XC_OK || f(ud, b, fb) != XC_OK)
                continue;
            if (mpfr_sgn(fa) * mpfr_sgn(fb) > 0)
                continue;
            double mid = (grid[i] + grid[i + 1]) / 2,
                   dist = mid > gd ? mid - gd : gd - mid;
            if (bi < 0 || dist < best)
                bi = (int)i, best = dist;
        }
        if (bi >= 0) {
            mpfr_set_d(a, grid[bi], MPFR_RNDN);
            mpfr_set_d(b, grid[bi + 1], MPFR_RNDN);
            f(ud, a, fa);
            for (int it = 0; it < 260; it++) {
                mpfr_add(m, a, b, MPFR_RNDN);
                mpfr_div_2ui(m, m, 1, MPFR_RNDN);
                if (f(ud, m, fm) != XC_OK)
                    break;
                if (mpfr_sgn(fm) * mpfr_sgn(fa) > 0) {
                    mpfr_set(a, m, MPFR_RNDN);
                    mpfr_set(fa, fm, MPFR_RNDN);
                } else {
                    mpfr_set(b, m, MPFR_RNDN);
                }
                if (it == 60) {
                    mpfr_set(r, m, MPFR_RNDN);
                    if (newton(f, ud, r) == XC_OK) {
                        st = XC_OK;
                        break;
                    }
                }
                mpfr_sub(fm, b, a, MPFR_RNDN);
                if (mpfr_cmp_ui_2exp(fm, 1, -200) <= 0) {
                    mpfr_set(r, m, MPFR_RNDN);
                    st = XC_OK;
                    break;
                }
            }
        }
    }
    if (st == XC_OK && mpfr_cmp_si(r, -1) <= 0)
        st = XC_EINVAL;
    mpfr_clears(g, a, b, fa, fb, m, fm, (mpfr_ptr)0);
    return st;
}

/* Σ v_i / (1+r)^e_i */
typedef struct flows {
    xc_num *v;
    mpq_t *e; /* exponents (NULL: 0, 1, 2...) */
    size_t n;
} flows;

static int flows_f(void *ud, const mpfr_t r, mpfr_t f)
{
    flows *fl = ud;
    mpfr_t b, t, x;
    mpfr_inits2(XC_MPFR_PREC, b, t, x, (mpfr_ptr)0);
    mpfr_add_ui(b, r, 1, MPFR_RNDN);
    mpfr_set_ui(f, 0, MPFR_RNDN);
    int st = mpfr_sgn(b) > 0 ? XC_OK : XC_EINVAL;
    for (size_t i = 0; i < fl->n && st == XC_OK; i++) {
        if (fl->e)
            mpfr_set_q(x, fl->e[i], MPFR_RNDN);
        else
            mpfr_set_ui(x, i, MPFR_RNDN);
        mpfr_pow(t, b, x, MPFR_RNDN);
        xc_num_get_mpfr(x, &fl->v[i], MPFR_RNDN);
        mpfr_div(t, x, t, MPFR_RNDN);
        mpfr_add(f, f, t, MPFR_RNDN);
    }
    if (!mpfr_number_p(f))
        st = XC_EINVAL;
    mpfr_clears(b, t, x, (mpfr_ptr)0);
    return st;
}

static int rate_out(xc_value *out, mpfr_t r, int st)
{
    mpq_t q;
    unsigned inx = 1;
    if (st != XC_OK)
        return err_out(out, XC_ERR_NUM);
    mpq_init(q);
    st = from_mpfr(q, r, &inx);
    st = st == XC_OK ? q_out(out, q, 1) : err_out(out, XC_ERR_NUM);
    mpq_clear(q);
    return st;
}

/* Values of an argument (numbers only inside references). */
static int gather(xc_fncall *c, int i, xc_numvec *nv, xc_error *err)
{
    xc_numvec_init(nv);
    *err = XC_ERR_NONE;
    return xc_nums_gather(c->ev, &c->argv[i], 0, nv, err);
}

/* IRR(values, [guess]) */
static int fn_irr(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error err;
    int st = gather(c, 0, &nv, &err);
    if (st != XC_OK || err) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, err);
    }
    int pos = 0, neg = 0;
    for (size_t i = 0; i < nv.n; i++) {
        pos |= xc_num_sign(&nv.v[i]) > 0;
        neg |= xc_num_sign(&nv.v[i]) < 0;
    }
    if (!pos || !neg) {
        xc_nums_free(&nv);
        return err_out(out, XC_ERR_NUM);
    }
    if (xc_arg_given(c, 1) && xc_num_cmp_int(xc_arg_num(c, 1), -1) <= 0) {
        xc_nums_free(&nv);
        return err_out(out, XC_ERR_VALUE);
    }
    flows fl = {nv.v, NULL, nv.n};
    mpfr_t r;
    mpfr_init2(r, XC_MPFR_PREC);
    if (xc_arg_given(c, 1))
        xc_num_get_mpfr(r, xc_arg_num(c, 1), MPFR_RNDN);
    else
        mpfr_set_d(r, 0.1, MPFR_RNDN);
    st = rate_out(out, r, solve(flows_f, &fl, r));
    mpfr_clear(r);
    xc_nums_free(&nv);
    return st;
}

typedef struct zctx {
    xc_numvec *nv;
    xc_error *err;
} zctx;

static int zero_visit(void *ud, const xc_value *v, int from_ref)
{
    zctx *z = ud;
    xc_num zero;
    (void)from_ref;
    switch (v->type) {
    case XC_NUMBER:
        return xc_nums_push(z->nv, &v->u.num, v->flags & XC_VAL_INEXACT);
    case XC_EMPTY:
        xc_num_init(&zero);
        return xc_nums_push(z->nv, &zero, 0);
    case XC_ERROR:
        *z->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    default:
        *z->err = XC_ERR_VALUE;
        return XC_ENOTFOUND;
    }
}

/* Values of XNPV/XIRR: blank cells count as 0, text or logicals are
 * #VALUE!. */
static int gather_values(xc_fncall *c, int i, xc_numvec *nv, xc_error *err)
{
    zctx z = {nv, err};
    int st;
    xc_numvec_init(nv);
    *err = XC_ERR_NONE;
    st = xc_visit(c->ev, &c->argv[i], 1, zero_visit, &z);
    return st == XC_ENOTFOUND ? XC_OK : st;
}

/* Cash flows and dates of XNPV/XIRR: exponents (d_i - d_0)/365. */
static int xflows(xc_fncall *c, int vi, int di, flows *fl, xc_numvec *nv,
                  xc_numvec *dv, xc_error *err)
{
    int st = gather_values(c, vi, nv, err);
    if (st == XC_OK && !*err)
        st = gather(c, di, dv, err);
    else
        xc_numvec_init(dv);
    fl->v = nv->v;
    fl->n = nv->n;
    fl->e = NULL;
    if (st != XC_OK || *err)
        return st;
    if (nv->n != dv->n || nv->n == 0) {
        *err = XC_ERR_NUM;
        return XC_OK;
    }
    fl->e = xc_malloc(nv->n * sizeof *fl->e);
    if (!fl->e)
        return XC_ENOMEM;
    mpq_t d0;
    mpq_init(d0);
    xc_num_get_mpq(d0, &dv->v[0]);
    mpz_fdiv_q(mpq_numref(d0), mpq_numref(d0), mpq_denref(d0));
    mpz_set_ui(mpq_denref(d0), 1);
    for (size_t i = 0; i < nv->n; i++) {
        mpq_init(fl->e[i]);
        xc_num_get_mpq(fl->e[i], &dv->v[i]);
        mpz_fdiv_q(mpq_numref(fl->e[i]), mpq_numref(fl->e[i]),
                   mpq_denref(fl->e[i]));
        mpz_set_ui(mpq_denref(fl->e[i]), 1);
        if (mpq_sgn(fl->e[i]) < 0 || mpq_cmp(fl->e[i], d0) < 0)
            *err = XC_ERR_NUM;
        mpq_sub(fl->e[i], fl->e[i], d0);
        mpz_mul_ui(mpq_denref(fl->e[i]), mpq_denref(fl->e[i]), 365);
        mpq_canonicalize(fl->e[i]);
    }
    mpq_clear(d0);
    return XC_OK;
}

static void xflows_free(flows *fl, xc_numvec *nv, xc_numvec *dv)
{
    if (fl->e) {
        for (size_t i = 0; i < fl->n; i++)
            mpq_clear(fl->e[i]);
        xc_free(fl->e);
    }
    xc_nums_free(nv);
    xc_nums_free(dv);
}

/* Sets *ud when a value is text or logical (and, visited with empty
 * cells, blank). */
static int nonnum_visit(void *ud, const xc_value *v, int from_ref)
{
    (void)from_ref;
    if (v->type == XC_TEXT || v->type == XC_BOOL || v->type == XC_EMPTY) {
        *(int *)ud = 1;
        return XC_ENOTFOUND;
    }
    return XC_OK;
}

/* XNPV(rate, values, dates): a blank, text or logical value is #NUM!. */
static int fn_xnpv(xc_fncall *c, xc_value *out)
{
    flows fl;
    xc_numvec nv, dv;
    xc_error err;
    int bad = 0;
    int st = xc_visit(c->ev, &c->argv[1], 1, nonnum_visit, &bad);
    if (st != XC_OK && st != XC_ENOTFOUND)
        return st;
    st = xflows(c, 1, 2, &fl, &nv, &dv, &err);
    if (st == XC_OK && err && !(bad && err == XC_ERR_VALUE))
        st = err_out(out, err);
    else if (st == XC_OK && bad)
        st = err_out(out, XC_ERR_NUM);
    else if (st == XC_OK && xc_num_sign(xc_arg_num(c, 0)) < 0)
        st = err_out(out, XC_ERR_NUM); /* Excel: no negative rates */
    else if (st == XC_OK) {
        mpq_t r, sum, g, v;
        unsigned inx = args_inexact(c);
        mpq_inits(r, sum, g, v, NULL);
        qarg(c, 0, r);
        for (size_t i = 0; i < fl.n && st == XC_OK; i++) {
            st = grow(g, r, fl.e[i], &inx);
            if (st == XC_OK && mpq_sgn(g) == 0)
                st = XC_EDIVZERO;
            if (st == XC_OK) {
                xc_num_get_mpq(v, &fl.v[i]);
                mpq_div(v, v, g);
                mpq_add(sum, sum, v);
            }
        }
        st = st == XC_OK ? q_out(out, sum, inx) : fail(out, st);
        mpq_clears(r, sum, g, v, NULL);
    }
    xflows_free(&fl, &nv, &dv);
    return st;
}

/* XIRR(values, dates, [guess]) */
static int fn_xirr(xc_fncall *c, xc_value *out)
{
    int bad = 0;
    int st0 = xc_visit(c->ev, &c->argv[0], 0, nonnum_visit, &bad);
    if (st0 != XC_OK && st0 != XC_ENOTFOUND)
        return st0;
    if (bad)
        return err_out(out, XC_ERR_VALUE);
    flows fl;
    xc_numvec nv, dv;
    xc_error err;
    int st = xflows(c, 0, 1, &fl, &nv, &dv, &err);
    if (st == XC_OK && err)
        st = err_out(out, err);
    else if (st == XC_OK) {
        int pos = 0, neg = 0;
        for (size_t i = 0; i < fl.n; i++) {
            pos |= xc_num_sign(&fl.v[i]) > 0;
            neg |= xc_num_sign(&fl.v[i]) < 0;
        }
        if (!pos || !neg)
            st = err_out(out, XC_ERR_NUM);
        else {
            mpfr_t r;
            mpfr_init2(r, XC_MPFR_PREC);
            if (xc_arg_given(c, 2))
                xc_num_get_mpfr(r, xc_arg_num(c, 2), MPFR_RNDN);
            else
                mpfr_set_d(r, 0.1, MPFR_RNDN);
            st = rate_out(out, r, solve(flows_f, &fl, r));
            mpfr_clear(r);
        }
    }
    xflows_free(&fl, &nv, &dv);
    return st;
}

/* RATE(nper, pmt, pv, [fv], [type], [guess]) */
typedef struct ratectx {
    mpfr_t n, pmt, pv, fv, t;
} ratectx;

static int rate_f(void *ud, const mpfr_t r, mpfr_t f)
{
    ratectx *R = ud;
    mpfr_t g, a, k;
    int st = XC_OK;
    mpfr_inits2(XC_MPFR_PREC, g, a, k, (mpfr_ptr)0);
    if (mpfr_zero_p(r)) {
        /* pv + pmt*n + fv */
        mpfr_mul(a, R->pmt, R->n, MPFR_RNDN);
        mpfr_add(f, R->pv, a, MPFR_RNDN);
        mpfr_add(f, f, R->fv, MPFR_RNDN);
    } else {
        mpfr_add_ui(g, r, 1, MPFR_RNDN);
        mpfr_pow(g, g, R->n, MPFR_RNDN);
        mpfr_sub_ui(a, g, 1, MPFR_RNDN);
        mpfr_div(a, a, r, MPFR_RNDN);
        mpfr_mul(k, r, R->t, MPFR_RNDN);
        mpfr_add_ui(k, k, 1, MPFR_RNDN);
        mpfr_mul(a, a, k, MPFR_RNDN);
        mpfr_mul(a, a, R->pmt, MPFR_RNDN);
        mpfr_mul(f, R->pv, g, MPFR_RNDN);
        mpfr_add(f, f, a, MPFR_RNDN);
        mpfr_add(f, f, R->fv, MPFR_RNDN);
    }
    if (!mpfr_number_p(f))
        st = XC_EINVAL;
    mpfr_clears(g, a, k, (mpfr_ptr)0);
    return st;
}

static int fn_rate(xc_fncall *c, xc_value *out)
{
    ratectx R;
    mpfr_t r;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, R.n, R.pmt, R.pv, R.fv, R.t, r, (mpfr_ptr)0);
    xc_num_get_mpfr(R.n, xc_arg_num(c, 0), MPFR_RNDN);
    xc_num_get_mpfr(R.pmt, xc_arg_num(c, 1), MPFR_RNDN);
    xc_num_get_mpfr(R.pv, xc_arg_num(c, 2), MPFR_RNDN);
    xc_num_get_mpfr(R.fv, xc_arg_num(c, 3), MPFR_RNDN);
    mpfr_set_ui(R.t, xc_arg_given(c, 4) && !xc_num_is_zero(xc_arg_num(c, 4)),
                MPFR_RNDN);
    if (xc_arg_given(c, 5))
        xc_num_get_mpfr(r, xc_arg_num(c, 5), MPFR_RNDN);
    else
        mpfr_set_d(r, 0.1, MPFR_RNDN);
    st = rate_out(out, r, solve(rate_f, &R, r));
    mpfr_clears(R.n, R.pmt, R.pv, R.fv, R.t, r, (mpfr_ptr)0);
    return st;
}

/* ---- Present values of flows -------------------------------------------- */

/* NPV(rate, value1, ...) */
static int fn_npv(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error err;
    int st;
    xc_numvec_init(&nv);
    st = xc_collect_nums(c, 1, &nv, &err);
    if (st != XC_OK || err) {
        xc_numvec_clear(&nv);
        return st != XC_OK ? st : err_out(out, err);
    }
    mpq_t r, b, d, sum, v;
    mpq_inits(r, b, d, sum, v, NULL);
    qarg(c, 0, r);
    mpq_set_ui(b, 1, 1);
    mpq_add(b, b, r);
    mpq_set(d, b);
    if (mpq_sgn(b) == 0)
        st = err_out(out, XC_ERR_DIV0);
    else {
        for (size_t i = 0; i < nv.n && st == XC_OK; i++) {
            xc_num_get_mpq(v, &nv.v[i]);
            mpq_div(v, v, d);
            mpq_add(sum, sum, v);
            mpq_mul(d, d, b);
            if (qbits(d) > XC_NUM_MAX_BITS)
                st = XC_ELIMIT;
        }
        st = st == XC_OK ? q_out(out, sum, nv.inexact || args_inexact(c))
                         : fail(out, st);
    }
    mpq_clears(r, b, d, sum, v, NULL);
    xc_numvec_clear(&nv);
    return st;
}

/* MIRR(values, finance_rate, reinvest_rate) */
static int fn_mirr(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error err;
    int st = gather(c, 0, &nv, &err);
    if (st != XC_OK || err) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, err);
    }
    mpq_t fr, rr, bf, br, df, dr, pos, neg, v;
    mpq_inits(fr, rr, bf, br, df, dr, pos, neg, v, NULL);
    qarg(c, 1, fr), qarg(c, 2, rr);
    mpq_set_ui(bf, 1, 1), mpq_add(bf, bf, fr);
    mpq_set_ui(br, 1, 1), mpq_add(br, br, rr);
    mpq_set_ui(df, 1, 1), mpq_set_ui(dr, 1, 1);
    if (nv.n < 2) {
        st = err_out(out, XC_ERR_DIV0);
        goto done;
    }
    for (size_t i = 0; i < nv.n; i++) {
        xc_num_get_mpq(v, &nv.v[i]);
        if (mpq_sgn(v) > 0) {
            if (mpq_sgn(dr) == 0) {
                st = err_out(out, XC_ERR_DIV0);
                goto done;
            }
            mpq_div(v, v, dr);
            mpq_add(pos, pos, v);
        } else if (mpq_sgn(v) < 0) {
            if (mpq_sgn(df) == 0) {
                st = err_out(out, XC_ERR_DIV0);
                goto done;
            }
            mpq_div(v, v, df);
            mpq_add(neg, neg, v);
        }
        mpq_mul(df, df, bf);
        mpq_mul(dr, dr, br);
        if (qbits(df) + qbits(dr) > XC_NUM_MAX_BITS) {
            st = err_out(out, XC_ERR_NUM);
            goto done;
        }
    }
    if (mpq_sgn(neg) == 0) {
        st = err_out(out, XC_ERR_DIV0);
        goto done;
    }
    if (mpq_sgn(pos) == 0) { /* nothing earned: -100% */
        mpq_set_si(v, -1, 1);
        st = q_out(out, v, 0);
        goto done;
    }
    /* ((-pos * (1+rr)^(n-1)) / neg)^(1/(n-1)) - 1 */
    {
        unsigned inx = args_inexact(c) || nv.inexact;
        mpq_t e, g;
        mpq_inits(e, g, NULL);
        mpq_set_ui(e, (unsigned long)(nv.n - 1), 1);
        st = grow(g, rr, e, &inx);
        if (st == XC_OK) {
            mpq_mul(pos, pos, g);
            mpq_neg(pos, pos);
            mpq_div(pos, pos, neg);
            mpq_set_ui(e, 1, (unsigned long)(nv.n - 1));
            st = qpow(g, pos, e, &inx);
        }
        if (st == XC_OK) {
            mpq_set_ui(e, 1, 1);
            mpq_sub(g, g, e);
            st = q_out(out, g, inx);
        } else {
            st = fail(out, st);
        }
        mpq_clears(e, g, NULL);
    }
done:
    mpq_clears(fr, rr, bf, br, df, dr, pos, neg, v, NULL);
    xc_nums_free(&nv);
    return st;
}

/* ---- Depreciation ----------------------------------------------------------
 */

static int fn_sln(xc_fncall *c, xc_value *out)
{
    mpq_t a, b, l;
    int st;
    mpq_inits(a, b, l, NULL);
    qarg(c, 0, a), qarg(c, 1, b), qarg(c, 2, l);
    if (mpq_sgn(l) == 0)
        st = err_out(out, XC_ERR_DIV0);
    else {
        mpq_sub(a, a, b);
        mpq_div(a, a, l);
        st = q_out(out, a, args_inexact(c));
    }
    mpq_clears(a, b, l, NULL);
    return st;
}

static int fn_syd(xc_fncall *c, xc_value *out)
{
    mpq_t a, b, l, p, k;
    int st;
    mpq_inits(a, b, l, p, k, NULL);
    qarg(c, 0, a), qarg(c, 1, b), qarg(c, 2, l), qarg(c, 3, p);
    if (mpq_sgn(l) <= 0 || mpq_sgn(p) <= 0 || mpq_cmp(p, l) > 0)
        st = err_out(out, XC_ERR_NUM);
    else {
        /* (cost-salvage)*(life-per+1)*2 / (life*(life+1)) */
        mpq_sub(a, a, b);
        mpq_sub(k, l, p);
        mpq_set_ui(b, 1, 1);
        mpq_add(k, k, b);
        mpq_mul(a, a, k);
        mpq_set_ui(b, 2, 1);
        mpq_mul(a, a, b);
        mpq_set_ui(b, 1, 1);
        mpq_add(k, l, b);
        mpq_mul(k, k, l);
        mpq_div(a, a, k);
        st = q_out(out, a, args_inexact(c));
    }
    mpq_clears(a, b, l, p, k, NULL);
    return st;
}

/* DB(cost, salvage, life, period, [month]): fixed-declining balance
 * with the rate rounded to three decimals (as Excel does). */
static int fn_db(xc_fncall *c, xc_value *out)
{
    int64_t per, month, life = -1;
    mpq_t cost, salv, rate, tot, dep, k, lq;
    unsigned inx = args_inexact(c);
    int st = XC_OK;
    /* the life may be fractional (it enters the rate as is); the
     * period is taken whole */
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_sign(xc_arg_num(c, 1)) < 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 3), -1, 100001, &per) || per <= 0)
        return err_out(out, XC_ERR_NUM);
    if (xc_num_is_int(xc_arg_num(c, 2)))
        xc_num_trunc_clamp(xc_arg_num(c, 2), 0, INT32_MAX, &life);
    if (xc_arg_given(c, 4))
        xc_num_trunc_clamp(xc_arg_num(c, 4), 0, 13, &month);
    else
        month = 12;
    if (month < 1 || month > 12 ||
        xc_num_cmp_int(xc_arg_num(c, 2), per - (month < 12)) < 0)
        return err_out(out, XC_ERR_NUM);
    mpq_inits(cost, salv, rate, tot, dep, k, lq, NULL);
    qarg(c, 0, cost), qarg(c, 1, salv), qarg(c, 2, lq);
    if (mpq_sgn(cost) == 0) {
        st = q_out(out, cost, inx);
        goto done;
    }
    /* rate = round(1 - (salvage/cost)^(1/life), 3) */
    mpq_div(k, salv, cost);
    mpq_inv(rate, lq);
    st = qpow(rate, k, rate, &inx);
    if (st != XC_OK) {
        st = fail(out, st);
        goto done;
    }
    {
        xc_num x;
        xc_num_init(&x);
        mpq_set_ui(k, 1, 1);
        mpq_sub(rate, k, rate);
        st = xc_num_set_mpq(&x, rate);
        if (st == XC_OK)
            st = xc_num_round(&x, &x, 3, XC_ROUND_HALF_UP);
        if (st == XC_OK)
            xc_num_get_mpq(rate, &x);
        xc_num_clear(&x);
        if (st != XC_OK) {
            st = fail(out, st);
            goto done;
        }
        /* the rounded rate is exact again unless it sat on a tie */
        inx = args_inexact(c);
    }
    for (int64_t p = 1; p <= per; p++) {
        mpq_sub(dep, cost, tot);
        mpq_mul(dep, dep, rate);
        if (p == 1) {
            mpq_set_si(k, month, 12);
            mpq_mul(dep, dep, k);
        } else if (p == life + 1) {
            mpq_set_si(k, 12 - month, 12);
            mpq_mul(dep, dep, k);
        }
        mpq_add(tot, tot, dep);
    }
    st = q_out(out, dep, inx);
done:
    mpq_clears(cost, salv, rate, tot, dep, k, lq, NULL);
    return st;
}

/* Double-declining depreciation in period p (Excel's DDB): the book
 * value falls by factor/life each period, never below salvage. */
static int ddb_period(const mpq_t cost, const mpq_t salv, const mpq_t life,
                      const mpq_t per, const mpq_t factor, mpq_t dep,
                      unsigned *inx)
{
    mpq_t rate, q, e, oldv, newv;
    int st = XC_OK;
    mpq_inits(rate, q, e, oldv, newv, NULL);
    mpq_div(rate, factor, life);
    if (mpq_cmp_ui(rate, 1, 1) >= 0) {
        mpq_set_ui(rate, 1, 1);
        if (mpq_cmp_ui(per, 1, 1) == 0)
            mpq_set(oldv, cost);
        else
            mpq_set_ui(oldv, 0, 1);
        mpq_set_ui(newv, 0, 1);
    } else {
        mpq_set_ui(q, 1, 1);
        mpq_sub(q, q, rate);
        mpq_set_ui(e, 1, 1);
        mpq_sub(e, per, e);
        st = qpow(oldv, q, e, inx);
        if (st == XC_OK)
            st = qpow(newv, q, per, inx);
        mpq_mul(oldv, oldv, cost);
        mpq_mul(newv, newv, cost);
    }
    if (st == XC_OK) {
        if (mpq_cmp(newv, salv) < 0)
            mpq_sub(dep, oldv, salv);
        else
            mpq_sub(dep, oldv, newv);
        if (mpq_sgn(dep) < 0)
            mpq_set_ui(dep, 0, 1);
    }
    mpq_clears(rate, q, e, oldv, newv, NULL);
    return st;
}

/* DDB(cost, salvage, life, period, [factor]) */
static int fn_ddb(xc_fncall *c, xc_value *out)
{
    mpq_t cost, salv, life, per, fac, dep;
    unsigned inx = args_inexact(c);
    int st;
    mpq_inits(cost, salv, life, per, fac, dep, NULL);
    qarg(c, 0, cost), qarg(c, 1, salv), qarg(c, 2, life), qarg(c, 3, per);
    if (xc_arg_given(c, 4))
        qarg(c, 4, fac);
    else
        mpq_set_ui(fac, 2, 1);
    if (mpq_sgn(cost) < 0 || mpq_sgn(salv) < 0 || mpq_sgn(life) <= 0 ||
        mpq_sgn(per) <= 0 || mpq_sgn(fac) <= 0 || mpq_cmp(per, life) > 0)
        st = err_out(out, XC_ERR_NUM);
    else {
        st = ddb_period(cost, salv, life, per, fac, dep, &inx);
        st = st == XC_OK ? q_out(out, dep, inx) : fail(out, st);
    }
    mpq_clears(cost, salv, life, per, fac, dep, NULL);
    return st;
}

/* Declining balance switching to straight line over the first `period`
 * periods (a fractional last period counts in part), from a remaining
 * life of life1. */
static int inter_vdb(const mpq_t cost, const mpq_t salv, const mpq_t life,
                     const mpq_t life1, const mpq_t period, const mpq_t fac,
                     mpq_t vdb, unsigned *inx)
{
    mpq_t rest, sln, ddb, term, per, k;
    int st = XC_OK, now_sln = 0;
    mpz_t end;
    mpz_init(end);
    mpz_cdiv_q(end, mpq_numref(period), mpq_denref(period));
    long nend = mpz_get_si(end);
    mpq_inits(rest, sln, ddb, term, per, k, NULL);
    mpq_sub(rest, cost, salv);
    mpq_set_ui(vdb, 0, 1);
    for (long i = 1; i <= nend && st == XC_OK; i++) {
        if (!now_sln) {
            mpq_set_si(per, i, 1);
            st = ddb_period(cost, salv, life, per, fac, ddb, inx);
            mpq_set_si(k, i - 1, 1);
            mpq_sub(k, life1, k);
            if (mpq_sgn(k) == 0)
                st = XC_EDIVZERO;
            else
                mpq_div(sln, rest, k);
            if (mpq_cmp(sln, ddb) > 0) {
                mpq_set(term, sln);
                now_sln = 1;
            } else {
                mpq_set(term, ddb);
                mpq_sub(rest, rest, ddb);
            }
        } else {
            mpq_set(term, sln);
        }
        if (i == nend) {
            /* term *= period + 1 - end */
            mpq_set_si(k, 1 - nend, 1);
            mpq_add(k, k, period);
            mpq_mul(term, term, k);
        }
        mpq_add(vdb, vdb, term);
    }
    mpq_clears(rest, sln, ddb, term, per, k, NULL);
    mpz_clear(end);
    return st;
}

/* VDB(cost, salvage, life, start_period, end_period, [factor],
 * [no_switch]) */
static int fn_vdb(xc_fncall *c, xc_value *out)
{
    mpq_t cost, salv, life, s, e, fac, vdb, is, ie, t, part, tv, l2, tmp;
    unsigned inx = args_inexact(c);
    int st = XC_OK, noswitch = 0;
    mpq_inits(cost, salv, life, s, e, fac, vdb, is, ie, t, part, tv, l2, tmp,
              NULL);
    qarg(c, 0, cost), qarg(c, 1, salv), qarg(c, 2, life), qarg(c, 3, s);
    qarg(c, 4, e);
    if (xc_arg_given(c, 5))
        qarg(c, 5, fac);
    else
        mpq_set_ui(fac, 2, 1);
    if (xc_arg_given(c, 6))
        noswitch = c->argv[6].type == XC_BOOL
                       ? c->argv[6].u.b
                       : !xc_num_is_zero(xc_arg_num(c, 6));
    if (mpq_sgn(cost) < 0 || mpq_sgn(salv) < 0 || mpq_sgn(life) <= 0 ||
        mpq_sgn(s) < 0 || mpq_cmp(e, s) < 0 || mpq_cmp(e, life) > 0 ||
        mpq_sgn(fac) < 0 || mpq_cmp_ui(life, 100000, 1) > 0) {
        st = err_out(out, XC_ERR_NUM);
        goto done;
    }
    mpz_fdiv_q(mpq_numref(is), mpq_numref(s), mpq_denref(s));
    mpz_set_ui(mpq_denref(is), 1);
    mpz_cdiv_q(mpq_numref(ie), mpq_numref(e), mpq_denref(e));
    mpz_set_ui(mpq_denref(ie), 1);
    if (noswitch) {
        long a = mpz_get_si(mpq_numref(is)), b = mpz_get_si(mpq_numref(ie));
        for (long i = a + 1; i <= b && st == XC_OK; i++) {
            mpq_set_si(t, i, 1);
            st = ddb_period(cost, salv, life, t, fac, tmp, &inx);
            if (i == a + 1) {
                /* (min(end, start_int+1) - start) */
                mpq_set_si(t, a + 1, 1);
                if (mpq_cmp(e, t) < 0)
                    mpq_set(t, e);
                mpq_sub(t, t, s);
                mpq_mul(tmp, tmp, t);
            } else if (i == b) {
                mpq_set_si(t, 1 - b, 1);
                mpq_add(t, t, e);
                mpq_mul(tmp, tmp, t);
            }
            mpq_add(vdb, vdb, tmp);
        }
    } else {
        if (!mpq_equal(s, is)) {
            /* part of the first period to take off */
            st = inter_vdb(cost, salv, life, life, is, fac, tmp, &inx);
            mpq_sub(tv, cost, tmp);
            mpq_sub(l2, life, is);
            mpq_set_ui(t, 1, 1);
            if (st == XC_OK)
                st = inter_vdb(tv, salv, life, l2, t, fac, tmp, &inx);
            mpq_sub(t, s, is);
            mpq_mul(tmp, tmp, t);
            mpq_add(part, part, tmp);
        }
        if (st == XC_OK && !mpq_equal(e, ie)) {
            mpq_t ts;
            mpq_init(ts);
            mpq_set_ui(ts, 1, 1);
            mpq_sub(ts, ie, ts);
            st = inter_vdb(cost, salv, life, life, ts, fac, tmp, &inx);
            mpq_sub(tv, cost, tmp);
            mpq_sub(l2, life, ts);
            mpq_set_ui(t, 1, 1);
            if (st == XC_OK)
                st = inter_vdb(tv, salv, life, l2, t, fac, tmp, &inx);
            mpq_sub(t, ie, e);
            mpq_mul(tmp, tmp, t);
            mpq_add(part, part, tmp);
            mpq_clear(ts);
        }
        if (st == XC_OK)
            st = inter_vdb(cost, salv, life, life, is, fac, tmp, &inx);
        mpq_sub(tv, cost, tmp);
        mpq_sub(l2, life, is);
        mpq_sub(t, ie, is);
        if (st == XC_OK)
            st = inter_vdb(tv, salv, life, l2, t, fac, vdb, &inx);
        mpq_sub(vdb, vdb, part);
    }
    st = st == XC_OK ? q_out(out, vdb, inx) : fail(out, st);
done:
    mpq_clears(cost, salv, life, s, e, fac, vdb, is, ie, t, part, tv, l2, tmp,
               NULL);
    return st;
}

/* ---- Rates and conversions ------------------------------------------------
 */

static int fn_effect(xc_fncall *c, xc_value *out)
{
    int st0;
    xc_error e0 = xc_args_strict(c, 2, &st0);
    if (st0 != XC_OK)
        return st0;
    if (e0)
        return err_out(out, e0);
    int64_t n;
    mpq_t r, g, e;
    unsigned inx = args_inexact(c);
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 1000000000, &n) || n < 1)
        return err_out(out, XC_ERR_NUM);
    mpq_inits(r, g, e, NULL);
    qarg(c, 0, r);
    mpq_set_si(e, n, 1);
    mpq_div(r, r, e);
    st = grow(g, r, e, &inx);
    if (st == XC_OK) {
        mpq_set_ui(e, 1, 1);
        mpq_sub(g, g, e);
        st = q_out(out, g, inx);
    } else {
        st = fail(out, st);
    }
    mpq_clears(r, g, e, NULL);
    return st;
}

static int fn_nominal(xc_fncall *c, xc_value *out)
{
    int st0;
    xc_error e0 = xc_args_strict(c, 2, &st0);
    if (st0 != XC_OK)
        return st0;
    if (e0)
        return err_out(out, e0);
    int64_t n;
    mpq_t r, g, e;
    unsigned inx = args_inexact(c);
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 1000000000, &n) || n < 1)
        return err_out(out, XC_ERR_NUM);
    mpq_inits(r, g, e, NULL);
    qarg(c, 0, r);
    mpq_set_si(e, 1, (unsigned long)n);
    st = grow(g, r, e, &inx);
    if (st == XC_OK) {
        mpq_set_ui(e, 1, 1);
        mpq_sub(g, g, e);
        mpq_set_si(e, n, 1);
        mpq_mul(g, g, e);
        st = q_out(out, g, inx);
    } else {
        st = fail(out, st);
    }
    mpq_clears(r, g, e, NULL);
    return st;
}

/* DOLLARDE / DOLLARFR: fraction f written as decimal digits. */
static int dollar_conv(xc_fncall *c, xc_value *out, int to_decimal)
{
    int64_t f;
    mpq_t x, ip, fp, k;
    int st;
    /* logicals are #VALUE!, numeric text counts */
    for (int i = 0; i < 2; i++) {
        xc_value n = {0};
        if (c->argv[i].type == XC_BOOL)
            return err_out(out, XC_ERR_VALUE);
        if ((st = xc_to_number(&c->argv[i], &n)) != XC_OK)
            return st;
        if (n.type != XC_NUMBER) {
            xc_value_clear(&n);
            return err_out(out, XC_ERR_VALUE);
        }
        xc_value_clear(&c->argv[i]);
        xc_value_move(&c->argv[i], &n);
    }
    if (xc_num_sign(xc_arg_num(c, 1)) < 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 1000000000, &f);
    if (f == 0)
        return err_out(out, XC_ERR_DIV0);
    mpq_inits(x, ip, fp, k, NULL);
    qarg(c, 0, x);
    int neg = mpq_sgn(x) < 0;
    mpq_abs(x, x);
    mpz_fdiv_q(mpq_numref(ip), mpq_numref(x), mpq_denref(x));
    mpq_sub(fp, x, ip);
    /* 10^digits(f) */
    int64_t p10 = 1; /* 10^ceil(log10(f)) */
    while (p10 < f)
        p10 *= 10;
    if (to_decimal)
        mpq_set_si(k, p10, (unsigned long)f);
    else
        mpq_set_si(k, f, (unsigned long)p10);
    mpq_mul(fp, fp, k);
    mpq_add(x, ip, fp);
    if (neg)
        mpq_neg(x, x);
    st = q_out(out, x, args_inexact(c));
    mpq_clears(x, ip, fp, k, NULL);
    return st;
}

static int fn_dollarde(xc_fncall *c, xc_value *out)
{
    return dollar_conv(c, out, 1);
}

static int fn_dollarfr(xc_fncall *c, xc_value *out)
{
    return dollar_conv(c, out, 0);
}

/* ISPMT(rate, per, nper, pv) = pv*rate*(per/nper - 1) */
static int fn_ispmt(xc_fncall *c, xc_value *out)
{
    mpq_t r, p, n, v, k;
    int st;
    mpq_inits(r, p, n, v, k, NULL);
    qarg(c, 0, r), qarg(c, 1, p), qarg(c, 2, n), qarg(c, 3, v);
    if (mpq_sgn(n) == 0)
        st = err_out(out, XC_ERR_DIV0);
    else {
        mpq_div(k, p, n);
        mpq_set_ui(p, 1, 1);
        mpq_sub(k, k, p);
        mpq_mul(k, k, r);
        mpq_mul(k, k, v);
        st = q_out(out, k, args_inexact(c));
    }
    mpq_clears(r, p, n, v, k, NULL);
    return st;
}

/* PDURATION(rate, pv, fv) = ln(fv/pv) / ln(1+rate) */
static int fn_pduration(xc_fncall *c, xc_value *out)
{
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_t r, a, b;
    mpq_t q;
    unsigned inx = 1;
    int st;
    mpfr_inits2(XC_MPFR_PREC, r, a, b, (mpfr_ptr)0);
    mpq_init(q);
    xc_num_get_mpfr(r, xc_arg_num(c, 0), MPFR_RNDN);
    xc_num_get_mpfr(a, xc_arg_num(c, 1), MPFR_RNDN);
    xc_num_get_mpfr(b, xc_arg_num(c, 2), MPFR_RNDN);
    mpfr_log(a, a, MPFR_RNDN);
    mpfr_log(b, b, MPFR_RNDN);
    mpfr_sub(b, b, a, MPFR_RNDN);
    mpfr_log1p(r, r, MPFR_RNDN);
    mpfr_div(b, b, r, MPFR_RNDN);
    st = from_mpfr(q, b, &inx);
    st = st == XC_OK ? q_out(out, q, 1) : fail(out, st);
    mpq_clear(q);
    mpfr_clears(r, a, b, (mpfr_ptr)0);
    return st;
}

/* RRI(nper, pv, fv) = (fv/pv)^(1/nper) - 1 */
static int fn_rri(xc_fncall *c, xc_value *out)
{
    mpq_t n, pv, fv, e, g;
    unsigned inx = args_inexact(c);
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 || xc_num_is_zero(xc_arg_num(c, 1)))
        return err_out(out, XC_ERR_NUM);
    mpq_inits(n, pv, fv, e, g, NULL);
    qarg(c, 0, n), qarg(c, 1, pv), qarg(c, 2, fv);
    mpq_div(fv, fv, pv);
    mpq_inv(e, n);
    st = qpow(g, fv, e, &inx);
    if (st == XC_OK) {
        mpq_set_ui(e, 1, 1);
        mpq_sub(g, g, e);
        st = q_out(out, g, inx);
    } else {
        st = fail(out, st);
    }
    mpq_clears(n, pv, fv, e, g, NULL);
    return st;
}

typedef struct sched {
    mpq_t acc;
    xc_error err;
} sched;

static int sched_visit(void *ud, const xc_value *v, int from_ref)
{
    sched *s = ud;
    mpq_t r;
    (void)from_ref;
    if (v->type == XC_ERROR) {
        s->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if (v->type == XC_EMPTY)
        return XC_OK;
    if (v->type != XC_NUMBER) {
        s->err = XC_ERR_VALUE;
        return XC_ENOTFOUND;
    }
    mpq_init(r);
    xc_num_get_mpq(r, &v->u.num);
    {
        mpq_t one;
        mpq_init(one);
        mpq_set_ui(one, 1, 1);
        mpq_add(r, r, one);
        mpq_clear(one);
    }
    mpq_mul(s->acc, s->acc, r);
    mpq_clear(r);
    if (qbits(s->acc) > XC_NUM_MAX_BITS) {
        s->err = XC_ERR_NUM;
        return XC_ENOTFOUND;
    }
    return XC_OK;
}

/* FVSCHEDULE(principal, schedule) */
static int fn_fvschedule(xc_fncall *c, xc_value *out)
{
    sched s;
    int st;
    mpq_init(s.acc);
    s.err = XC_ERR_NONE;
    qarg(c, 0, s.acc);
    st = xc_visit(c->ev, &c->argv[1], 0, sched_visit, &s);
    if (st == XC_ENOTFOUND)
        st = XC_OK;
    if (st == XC_OK)
        st = s.err ? err_out(out, s.err) : q_out(out, s.acc, args_inexact(c));
    mpq_clear(s.acc);
    return st;
}

/* ---- Discounted securities and Treasury bills ------------------------
 * Day counts come from YEARFRAC's bases (xc_date_yearfrac), so these
 * stay exact rationals (TBILLEQ over half a year needs a square root). */

static int d1904f(xc_fncall *c)
{
    return c->ev->book ? xc_book_date1904(c->ev->book) : 0;
}

/* Serials of arguments i and j truncated, i before j; basis from
 * argument bi (-1: none).  Fills yf with the year fraction.  0 or the
 * error to return. */
static xc_error sec_dates(xc_fncall *c, int i, int j, int bi, int64_t *a,
                          int64_t *b, mpq_t yf)
{
    int64_t basis = 0;
    xc_num r;
    if (xc_num_sign(xc_arg_num(c, i)) < 0 ||
        xc_num_sign(xc_arg_num(c, j)) < 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, i), 0, 3000000, a) ||
        xc_num_trunc_clamp(xc_arg_num(c, j), 0, 3000000, b) || *a >= *b)
        return XC_ERR_NUM;
    if (bi >= 0 && xc_arg_given(c, bi) &&
        (xc_num_trunc_clamp(xc_arg_num(c, bi), -1, 5, &basis) || basis < 0 ||
         basis > 4))
        return XC_ERR_NUM;
    xc_num_init(&r);
    if (xc_date_yearfrac(*a, *b, (int)basis, d1904f(c), &r) != XC_OK) {
        xc_num_clear(&r);
        return XC_ERR_NUM;
    }
    xc_num_get_mpq(yf, &r);
    xc_num_clear(&r);
    return mpq_sgn(yf) > 0 ? XC_ERR_NONE : XC_ERR_NUM;
}

enum { S_DISC, S_INTRATE, S_RECEIVED, S_PRICEDISC, S_YIELDDISC };

/* (settlement, maturity, x, y, [basis]) */
static int security(xc_fncall *c, xc_value *out, int kind)
{
    int64_t a, b;
    mpq_t yf, x, y, r, one;
    int st;
    mpq_inits(yf, x, y, r, one, NULL);
    xc_error e = sec_dates(c, 0, 1, 4, &a, &b, yf);
    qarg(c, 2, x), qarg(c, 3, y);
    mpq_set_ui(one, 1, 1);
    if (!e && (mpq_sgn(x) <= 0 || mpq_sgn(y) <= 0))
        e = XC_ERR_NUM;
    if (!e) {
        switch (kind) {
        case S_DISC: /* (redemption - pr) / redemption / yf */
            mpq_sub(r, y, x);
            mpq_div(r, r, y);
            mpq_div(r, r, yf);
            break;
        case S_INTRATE: /* (redemption - investment) / investment / yf */
            mpq_sub(r, y, x);
            mpq_div(r, r, x);
            mpq_div(r, r, yf);
            break;
        case S_RECEIVED: /* investment / (1 - discount * yf) */
            mpq_mul(r, y, yf);
            mpq_sub(r, one, r);
            if (mpq_sgn(r) <= 0)
                e = XC_ERR_NUM;
            else
                mpq_div(r, x, r);
            break;
        case S_PRICEDISC: /* redemption * (1 - discount * yf) */
            mpq_mul(r, x, yf);
            mpq_sub(r, one, r);
            mpq_mul(r, r, y);
            break;
        default: /* YIELDDISC: (redemption / pr - 1) / yf */
            mpq_div(r, y, x);
            mpq_sub(r, r, one);
            mpq_div(r, r, yf);
        }
    }
    st = e ? err_out(out, e) : q_out(out, r, args_inexact(c));
    mpq_clears(yf, x, y, r, one, NULL);
    return st;
}

static int fn_disc(xc_fncall *c, xc_value *out)
{
    return security(c, out, S_DISC);
}
static int fn_intrate(xc_fncall *c, xc_value *out)
{
    return security(c, out, S_INTRATE);
}
static int fn_received(xc_fncall *c, xc_value *out)
{
    return security(c, out, S_RECEIVED);
}
static int fn_pricedisc(xc_fncall *c, xc_value *out)
{
    return security(c, out, S_PRICEDISC);
}
static int fn_yielddisc(xc_fncall *c, xc_value *out)
{
    return security(c, out, S_YIELDDISC);
}

/* ACCRINTM(issue, settlement, rate, [par], [basis]) = par*rate*yf */
static int fn_accrintm(xc_fncall *c, xc_value *out)
{
    int64_t a, b;
    mpq_t yf, rate, par;
    int st;
    mpq_inits(yf, rate, par, NULL);
    xc_error e = sec_dates(c, 0, 1, 4, &a, &b, yf);
    qarg(c, 2, rate);
    if (xc_arg_given(c, 3))
        qarg(c, 3, par);
    else
        mpq_set_ui(par, 1000, 1);
    if (!e && (mpq_sgn(rate) <= 0 || mpq_sgn(par) <= 0))
        e = XC_ERR_NUM;
    mpq_mul(par, par, rate);
    mpq_mul(par, par, yf);
    st = e ? err_out(out, e) : q_out(out, par, args_inexact(c));
    mpq_clears(yf, rate, par, NULL);
    return st;
}

/* PRICEMAT / YIELDMAT(settlement, maturity, issue, rate, yld|pr, [basis])
 * with A = yf(issue, settlement), DIM = yf(issue, maturity), DSM =
 * yf(settlement, maturity). */
static int at_maturity(xc_fncall *c, xc_value *out, int yield)
{
    int64_t s, m, is, t;
    mpq_t dsm, dim, a, rate, x, r, k, one;
    int st;
    mpq_inits(dsm, dim, a, rate, x, r, k, one, NULL);
    mpq_set_ui(one, 1, 1);
    xc_error e = sec_dates(c, 0, 1, 5, &s, &m, dsm);
    if (!e)
        e = sec_dates(c, 2, 1, 5, &is, &t, dim);
    if (!e && is >= s)
        e = XC_ERR_NUM;
    if (!e)
        e = sec_dates(c, 2, 0, 5, &is, &t, a);
    qarg(c, 3, rate), qarg(c, 4, x);
    if (!e &&
        (mpq_sgn(rate) < 0 || mpq_sgn(x) < 0 || (yield && mpq_sgn(x) == 0)))
        e = XC_ERR_NUM;
    if (!e && !yield) {
        /* (1 + DIM*rate)*100 / (1 + DSM*yld) - A*rate*100 */
        mpq_mul(r, dim, rate);
        mpq_add(r, r, one);
        mpq_mul(k, dsm, x);
        mpq_add(k, k, one);
        if (mpq_sgn(k) == 0)
            e = XC_ERR_DIV0;
        else {
            mpq_div(r, r, k);
            mpq_mul(k, a, rate);
            mpq_sub(r, r, k);
            mpq_set_ui(k, 100, 1);
            mpq_mul(r, r, k);
        }
    } else if (!e) {
        /* ((1 + DIM*rate) / (pr/100 + A*rate) - 1) / DSM */
        mpq_mul(r, dim, rate);
        mpq_add(r, r, one);
        mpq_set_ui(k, 100, 1);
        mpq_div(k, x, k);
        mpq_mul(a, a, rate);
        mpq_add(k, k, a);
        mpq_div(r, r, k);
        mpq_sub(r, r, one);
        mpq_div(r, r, dsm);
    }
    st = e ? err_out(out, e) : q_out(out, r, args_inexact(c));
    mpq_clears(dsm, dim, a, rate, x, r, k, one, NULL);
    return st;
}

static int fn_pricemat(xc_fncall *c, xc_value *out)
{
    return at_maturity(c, out, 0);
}
static int fn_yieldmat(xc_fncall *c, xc_value *out)
{
    return at_maturity(c, out, 1);
}

/* Treasury bills: DSM actual days, at most one year. */
static xc_error tbill_days(xc_fncall *c, int64_t *dsm)
{
    int64_t a, b;
    int y, m, d;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 3000000, &a) ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 3000000, &b) || a >= b)
        return XC_ERR_NUM;
    /* maturity no later than one year after settlement */
    if (xc_serial_to_date(a, d1904f(c), &y, &m, &d) != XC_OK)
        return XC_ERR_NUM;
    int64_t lim;
    if (xc_date_to_serial(y + 1, m, d, d1904f(c), &lim) != XC_OK)
        lim = a + 366;
    if (b > lim)
        return XC_ERR_NUM;
    *dsm = b - a;
    return XC_ERR_NONE;
}

static int tbill(xc_fncall *c, xc_value *out, int kind)
{
    int64_t dsm;
    mpq_t x, r, k;
    int st;
    xc_error e = xc_args_strict(c, 3, &st);
    if (st != XC_OK)
        return st;
    if (e)
        return err_out(out, e);
    e = tbill_days(c, &dsm);
    mpq_inits(x, r, k, NULL);
    qarg(c, 2, x);
    if (!e && mpq_sgn(x) <= 0)
        e = XC_ERR_NUM;
    if (!e && kind == 0) { /* TBILLPRICE = 100*(1 - discount*DSM/360) */
        mpq_set_si(k, dsm, 360);
        mpq_mul(r, x, k);
        mpq_set_ui(k, 1, 1);
        mpq_sub(r, k, r);
        mpq_set_ui(k, 100, 1);
        mpq_mul(r, r, k);
        if (mpq_sgn(r) <= 0)
            e = XC_ERR_NUM;
    } else if (!e && kind == 1) { /* TBILLYIELD = (100-pr)/pr * 360/DSM */
        mpq_set_ui(k, 100, 1);
        mpq_sub(r, k, x);
        mpq_div(r, r, x);
        mpq_set_si(k, 360, (unsigned long)dsm);
        mpq_mul(r, r, k);
    } else if (!e) { /* TBILLEQ */
        if (dsm <= 182) {
            /* 365*discount / (360 - discount*DSM) */
            mpq_set_si(k, dsm, 1);
            mpq_mul(k, k, x);
            mpq_set_ui(r, 360, 1);
            mpq_sub(k, r, k);
            if (mpq_sgn(k) <= 0)
                e = XC_ERR_NUM;
            else {
                mpq_set_ui(r, 365, 1);
                mpq_mul(r, r, x);
                mpq_div(r, r, k);
            }
        } else {
            /* price p = 100*(1 - d*DSM/360); with t = DSM/365:
             * (-2t + 2 sqrt(t^2 - (2t-1)(1 - 100/p))) / (2t - 1) */
            mpq_t p, t, q;
            mpq_inits(p, t, q, NULL);
            mpq_set_si(k, dsm, 360);
            mpq_mul(p, x, k);
            mpq_set_ui(k, 1, 1);
            mpq_sub(p, k, p);
            mpq_set_ui(k, 100, 1);
            mpq_mul(p, p, k);
            /* Excel takes the year as 366 days for a 366-day bill */
            mpq_set_si(t, dsm, dsm > 365 ? 366 : 365);
            if (mpq_sgn(p) <= 0)
                e = XC_ERR_NUM;
            else {
                mpq_div(q, k, p); /* 100/p */
                mpq_set_ui(k, 1, 1);
                mpq_sub(q, k, q); /* 1 - 100/p */
                mpq_mul_2exp(k, t, 1);
                mpq_set_ui(r, 1, 1);
                mpq_sub(k, k, r); /* 2t - 1 */
                mpq_mul(q, q, k);
                mpq_mul(r, t, t);
                mpq_sub(q, r, q); /* discriminant */
                if (mpq_sgn(q) < 0 || mpq_sgn(k) == 0)
                    e = XC_ERR_NUM;
                else {
                    mpfr_t f, g;
                    unsigned inx = 1;
                    mpfr_inits2(XC_MPFR_PREC, f, g, (mpfr_ptr)0);
                    mpfr_set_q(f, q, MPFR_RNDN);
                    mpfr_sqrt(f, f, MPFR_RNDN);
                    mpfr_mul_2ui(f, f, 1, MPFR_RNDN);
                    mpfr_set_q(g, t, MPFR_RNDN);
                    mpfr_mul_2ui(g, g, 1, MPFR_RNDN);
                    mpfr_sub(f, f, g, MPFR_RNDN);
                    mpfr_set_q(g, k, MPFR_RNDN);
                    mpfr_div(f, f, g, MPFR_RNDN);
                    if (from_mpfr(r, f, &inx) != XC_OK)
                        e = XC_ERR_NUM;
                    mpfr_clears(f, g, (mpfr_ptr)0);
                    if (!e) {
                        st = q_out(out, r, 1);
                        mpq_clears(p, t, q, NULL);
                        mpq_clears(x, r, k, NULL);
                        return st;
                    }
                }
            }
            mpq_clears(p, t, q, NULL);
        }
    }
    st = e ? err_out(out, e) : q_out(out, r, args_inexact(c));
    mpq_clears(x, r, k, NULL);
    return st;
}

static int fn_tbillprice(xc_fncall *c, xc_value *out)
{
    return tbill(c, out, 0);
}
static int fn_tbillyield(xc_fncall *c, xc_value *out)
{
    return tbill(c, out, 1);
}
static int fn_tbilleq(xc_fncall *c, xc_value *out)
{
    return tbill(c, out, 2);
}

/* ---- Coupon securities ---------------------------------------------
 * Coupon dates step back from maturity in whole periods of 12/frequency
 * months, each keeping maturity's day of month (clamped to the month's
 * length), or the month's last day when maturity falls on one.  Day
 * counts: basis 0 counts 30/360 US, basis 4 30/360 European, bases 1-3
 * actual days; the coupon period E is the actual days between coupon
 * dates (basis 1), 365/frequency (basis 3) or 360/frequency. */

typedef struct coup {
    int64_t settle, mat, pcd, ncd;
    long n; /* coupons from settlement to maturity */
    int freq, basis, d1904;
} coup;

static int leap(int y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int mlen(int y, int m)
{
    static const int t[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : t[m - 1];
}

/* The date `back` months before anchor (after, when negative) with the
 * coupon day-of-month rule above. */
static int step_date(int64_t anchor, long back, int d1904, int64_t *out)
{
    int y, m, d;
    if (xc_serial_to_date(anchor, d1904, &y, &m, &d) != XC_OK)
        return XC_EINVAL;
    int eom = d == mlen(y, m);
    long t = (long)y * 12 + (m - 1) - back;
    if (t < 0 || t > 12L * 10000)
        return XC_EINVAL;
    y = (int)(t / 12), m = (int)(t % 12) + 1;
    if (eom || d > mlen(y, m))
        d = mlen(y, m);
    return xc_date_to_serial(y, m, d, d1904, out);
}

/* Days from a to b under the basis (a <= b expected). */
static int64_t coup_days(int64_t a, int64_t b, int basis, int d1904)
{
    int y1, m1, d1, y2, m2, d2;
    if (basis != 0 && basis != 4)
        return b - a;
    if (xc_serial_to_date(a, d1904, &y1, &m1, &d1) != XC_OK ||
        xc_serial_to_date(b, d1904, &y2, &m2, &d2) != XC_OK)
        return b - a;
    if (basis == 4) {
        if (d1 == 31)
            d1 = 30;
        if (d2 == 31)
            d2 = 30;
    } else {
        int feb1 = m1 == 2 && d1 == mlen(y1, 2);
        int feb2 = m2 == 2 && d2 == mlen(y2, 2);
        if (feb1 && feb2)
            d2 = 30;
        if (d1 == 31 || feb1)
            d1 = 30;
        if (d2 == 31 && d1 >= 30)
            d2 = 30;
    }
    return (int64_t)(y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1);
}

/* The number of periods k with date(anchor, k periods back) <= x <
 * date(k-1) and that date; XC_EINVAL off the calendar. */
static int coup_find(int64_t anchor, int64_t x, int freq, int d1904, long *k,
                     int64_t *at)
{
    int ya, ma, da, yx, mx, dx;
    long p = 12 / freq;
    int64_t s;
    if (xc_serial_to_date(anchor, d1904, &ya, &ma, &da) != XC_OK ||
        xc_serial_to_date(x, d1904, &yx, &mx, &dx) != XC_OK)
        return XC_EINVAL;
    long kk = (((long)ya * 12 + ma) - ((long)yx * 12 + mx)) / p;
    if (step_date(anchor, kk * p, d1904, &s) != XC_OK)
        return XC_EINVAL;
    while (s > x) {
        kk++;
        if (step_date(anchor, kk * p, d1904, &s) != XC_OK)
            return XC_EINVAL;
    }
    for (;;) {
        int64_t t;
        if (step_date(anchor, (kk - 1) * p, d1904, &t) != XC_OK)
            return XC_EINVAL;
        if (t > x)
            break;
        kk--, s = t;
    }
    *k = kk, *at = s;
    return XC_OK;
}

/* Dates of a coupon security from settlement (argument si), maturity
 * (si+1), frequency (fi) and basis (bi); 0 or the error. */
static xc_error coup_init(xc_fncall *c, int si, int fi, int bi, coup *B)
{
    int64_t f = 0, basis = 0;
    xc_error e;
    mpq_t yf;
    mpq_init(yf);
    e = sec_dates(c, si, si + 1, -1, &B->settle, &B->mat, yf);
    mpq_clear(yf);
    if (e)
        return e;
    if (xc_num_trunc_clamp(xc_arg_num(c, fi), -1, 13, &f) ||
        (f != 1 && f != 2 && f != 4))
        return XC_ERR_NUM;
    if (xc_arg_given(c, bi) &&
        (xc_num_trunc_clamp(xc_arg_num(c, bi), -1, 5, &basis) || basis < 0 ||
         basis > 4))
        return XC_ERR_NUM;
    B->freq = (int)f, B->basis = (int)basis, B->d1904 = d1904f(c);
    if (coup_find(B->mat, B->settle, B->freq, B->d1904, &B->n, &B->pcd) !=
            XC_OK ||
        step_date(B->mat, (B->n - 1) * (12 / B->freq), B->d1904, &B->ncd) !=
            XC_OK)
        return XC_ERR_NUM;
    return XC_ERR_NONE;
}

/* Length of the coupon period [p, q] under the basis. */
static void coup_e(int64_t p, int64_t q, int basis, int freq, mpq_t e)
{
    if (basis == 1)
        mpq_set_si(e, q - p, 1);
    else
        mpq_set_ui(e, basis == 3 ? 365 : 360, (unsigned long)freq);
    mpq_canonicalize(e);
}

/* E, A (days before settlement) and DSC (days to the next coupon). */
static void coup_eads(const coup *B, mpq_t e, mpq_t a, mpq_t dsc)
{
    coup_e(B->pcd, B->ncd, B->basis, B->freq, e);
    mpq_set_si(a, coup_days(B->pcd, B->settle, B->basis, B->d1904), 1);
    if (B->basis == 0 || B->basis == 4)
        mpq_sub(dsc, e, a);
    else
        mpq_set_si(dsc, B->ncd - B->settle, 1);
}

enum { C_DAYBS, C_DAYS, C_DAYSNC, C_NCD, C_NUM, C_PCD };

/* COUPxxx(settlement, maturity, frequency, [basis]) */
static int coupon(xc_fncall *c, xc_value *out, int kind)
{
    coup B;
    mpq_t e, a, dsc;
    int st;
    xc_error err = coup_init(c, 0, 2, 3, &B);
    if (err)
        return err_out(out, err);
    mpq_inits(e, a, dsc, NULL);
    coup_eads(&B, e, a, dsc);
    switch (kind) {
    case C_DAYBS:
        st = q_out(out, a, 0);
        break;
    case C_DAYS:
        st = q_out(out, e, 0);
        break;
    case C_DAYSNC:
        st = q_out(out, dsc, 0);
        break;
    case C_NCD:
        mpq_set_si(e, B.ncd, 1);
        st = q_out(out, e, 0);
        break;
    case C_PCD:
        mpq_set_si(e, B.pcd, 1);
        st = q_out(out, e, 0);
        break;
    default:
        mpq_set_si(e, B.n, 1);
        st = q_out(out, e, 0);
        break;
    }
    mpq_clears(e, a, dsc, NULL);
    return st;
}

static int fn_coupdaybs(xc_fncall *c, xc_value *out)
{
    return coupon(c, out, C_DAYBS);
}
static int fn_coupdays(xc_fncall *c, xc_value *out)
{
    return coupon(c, out, C_DAYS);
}
static int fn_coupdaysnc(xc_fncall *c, xc_value *out)
{
    return coupon(c, out, C_DAYSNC);
}
static int fn_coupncd(xc_fncall *c, xc_value *out)
{
    return coupon(c, out, C_NCD);
}
static int fn_coupnum(xc_fncall *c, xc_value *out)
{
    return coupon(c, out, C_NUM);
}
static int fn_couppcd(xc_fncall *c, xc_value *out)
{
    return coupon(c, out, C_PCD);
}

/* PRICE per 100 face value with r = rate/f, y = yld/f, x = DSC/E, N
 * coupons, DSC = E - A and v = 1/(1+y):
 *   N = 1:  (red + 100r) / (1 + x*y) - 100r*A/E
 *   N > 1:  v^x * (red*v^(N-1) + 100r*(1-v^N)/(1-v)) - 100r*A/E
 * Exact unless v^x is irrational (x not an integer). */
static int bond_price(const coup *B, const mpq_t rate, const mpq_t yld,
                      const mpq_t red, mpq_t p, unsigned *inx)
{
    mpq_t e, a, dsc, r, y, x, v, w, t, k;
    int st = XC_OK;
    mpq_inits(e, a, dsc, r, y, x, v, w, t, k, NULL);
    coup_eads(B, e, a, dsc);
    mpq_sub(dsc, e, a); /* Excel prices with DSC = E - A in every basis */
    mpq_set_ui(k, 100, (unsigned long)B->freq);
    mpq_canonicalize(k);
    mpq_mul(r, rate, k); /* 100r */
    mpq_set_ui(k, (unsigned long)B->freq, 1);
    mpq_div(y, yld, k);
    mpq_div(x, dsc, e);
    if (B->n == 1) {
        mpq_mul(t, x, y);
        mpq_set_ui(k, 1, 1);
        mpq_add(t, t, k);
        if (mpq_sgn(t) == 0)
            st = XC_EDIVZERO;
        else {
            mpq_add(p, red, r);
            mpq_div(p, p, t);
        }
    } else {
        mpq_set_ui(k, 1, 1);
        mpq_add(v, y, k);
        if (mpq_sgn(v) <= 0)
            st = XC_EINVAL;
        else {
            mpq_inv(v, v);
            mpq_set_si(k, B->n - 1, 1);
            st = qpow(w, v, k, inx); /* v^(N-1) */
            if (st == XC_OK) {
                mpq_mul(p, red, w);
                if (mpq_sgn(y) == 0) {
                    mpq_set_si(t, B->n, 1);
                } else {
                    mpq_mul(t, w, v); /* v^N */
                    mpq_set_ui(k, 1, 1);
                    mpq_sub(t, k, t);
                    mpq_sub(k, k, v);
                    mpq_div(t, t, k);
                }
                mpq_mul(t, t, r);
                mpq_add(p, p, t);
                st = qpow(w, v, x, inx);
                mpq_mul(p, p, w);
            }
        }
    }
    if (st == XC_OK) {
        mpq_mul(t, r, a);
        mpq_div(t, t, e);
        mpq_sub(p, p, t);
    }
    mpq_clears(e, a, dsc, r, y, x, v, w, t, k, NULL);
    return st;
}

/* PRICE(settlement, maturity, rate, yld, redemption, frequency, [basis]) */
static int fn_price(xc_fncall *c, xc_value *out)
{
    coup B;
    mpq_t rate, yld, red, p;
    unsigned inx = args_inexact(c);
    int st;
    xc_error e = coup_init(c, 0, 5, 6, &B);
    if (e)
        return err_out(out, e);
    mpq_inits(rate, yld, red, p, NULL);
    qarg(c, 2, rate), qarg(c, 3, yld), qarg(c, 4, red);
    if (mpq_sgn(rate) < 0 || mpq_sgn(yld) < 0 || mpq_sgn(red) <= 0)
        st = err_out(out, XC_ERR_NUM);
    else {
        st = bond_price(&B, rate, yld, red, p, &inx);
        st = st == XC_OK ? q_out(out, p, inx) : fail(out, st);
    }
    mpq_clears(rate, yld, red, p, NULL);
    return st;
}

typedef struct yieldctx {
    const coup *B;
    mpq_t rate, red, pr;
} yieldctx;

/* price(y) - pr through MPFR, for the solver */
static int yield_f(void *ud, const mpfr_t r, mpfr_t f)
{
    yieldctx *Y = ud;
    mpq_t y, p;
    unsigned inx = 0;
    int st;
    if (!mpfr_number_p(r) || mpfr_cmp_si(r, -Y->B->freq) <= 0)
        return XC_EINVAL;
    mpq_inits(y, p, NULL);
    mpfr_get_q(y, r);
    /* keep the rationals small: round y to 2^-300 */
    {
        mpfr_t t;
        mpfr_init2(t, 320);
        mpfr_set(t, r, MPFR_RNDN);
        mpfr_get_q(y, t);
        mpfr_clear(t);
    }
    st = bond_price(Y->B, Y->rate, y, Y->red, p, &inx);
    if (st == XC_OK) {
        mpq_sub(p, p, Y->pr);
        mpfr_set_q(f, p, MPFR_RNDN);
    }
    mpq_clears(y, p, NULL);
    return st;
}

/* YIELD(settlement, maturity, rate, pr, redemption, frequency, [basis]):
 * closed form with one coupon left, else Newton on PRICE. */
static int fn_yield(xc_fncall *c, xc_value *out)
{
    coup B;
    yieldctx Y;
    int st;
    xc_error e = coup_init(c, 0, 5, 6, &B);
    if (e)
        return err_out(out, e);
    Y.B = &B;
    mpq_inits(Y.rate, Y.red, Y.pr, NULL);
    qarg(c, 2, Y.rate), qarg(c, 3, Y.pr), qarg(c, 4, Y.red);
    if (mpq_sgn(Y.rate) < 0 || mpq_sgn(Y.pr) <= 0 || mpq_sgn(Y.red) <= 0)
        st = err_out(out, XC_ERR_NUM);
    else if (B.n == 1) {
        /* ((red/100 + r) - (pr/100 + A/E*r)) / (pr/100 + A/E*r) * f*E/DSC */
        mpq_t ee, a, dsc, r, k, t, u;
        mpq_inits(ee, a, dsc, r, k, t, u, NULL);
        coup_eads(&B, ee, a, dsc);
        mpq_set_ui(k, (unsigned long)B.freq, 1);
        mpq_div(r, Y.rate, k);
        mpq_set_ui(k, 100, 1);
        mpq_div(t, Y.red, k);
        mpq_add(t, t, r);
        mpq_div(u, Y.pr, k);
        mpq_mul(k, a, r);
        mpq_div(k, k, ee);
        mpq_add(u, u, k);
        mpq_sub(t, t, u);
        mpq_div(t, t, u);
        mpq_set_ui(k, (unsigned long)B.freq, 1);
        mpq_mul(t, t, k);
        mpq_mul(t, t, ee);
        if (mpq_sgn(dsc) == 0)
            st = err_out(out, XC_ERR_DIV0);
        else {
            mpq_div(t, t, dsc);
            st = q_out(out, t, args_inexact(c));
        }
        mpq_clears(ee, a, dsc, r, k, t, u, NULL);
    } else {
        mpfr_t r;
        mpfr_init2(r, XC_MPFR_PREC);
        mpfr_set_q(r, Y.rate, MPFR_RNDN);
        if (mpfr_zero_p(r))
            mpfr_set_d(r, 0.05, MPFR_RNDN);
        st = rate_out(out, r, solve(yield_f, &Y, r));
        mpfr_clear(r);
    }
    mpq_clears(Y.rate, Y.red, Y.pr, NULL);
    return st;
}

/* DURATION / MDURATION(settlement, maturity, coupon, yld, frequency,
 * [basis]): Macaulay duration in years; the common factor v^(DSC/E)
 * cancels, so with t_k = k-1+DSC/E, w = v^(k-1), cash flows c_k:
 *   D = Σ t_k c_k w / Σ c_k w / f, MDURATION = D/(1+yld/f); the sums
 * have closed forms, exact unless v^(N-1) is too large. */
static int duration(xc_fncall *c, xc_value *out, int modified)
{
    coup B;
    mpq_t cpn, yld, e, a, dsc, x, v, w, cf, num_, den, t, k, s0, s1;
    unsigned inx = args_inexact(c);
    int st;
    xc_error err = coup_init(c, 0, 4, 5, &B);
    if (err)
        return err_out(out, err);
    mpq_inits(cpn, yld, e, a, dsc, x, v, w, cf, num_, den, t, k, s0, s1, NULL);
    qarg(c, 2, cpn), qarg(c, 3, yld);
    if (mpq_sgn(cpn) < 0 || mpq_sgn(yld) < 0) {
        st = err_out(out, XC_ERR_NUM);
        goto done;
    }
    coup_eads(&B, e, a, dsc);
    mpq_sub(dsc, e, a);
    mpq_div(x, dsc, e);
    mpq_set_ui(k, 100, (unsigned long)B.freq);
    mpq_canonicalize(k);
    mpq_mul(cf, cpn, k);
    mpq_set_ui(k, (unsigned long)B.freq, 1);
    mpq_div(v, yld, k);
    mpq_set_ui(k, 1, 1);
    mpq_add(v, v, k);
    mpq_inv(v, v);
    /* with S0 = Σ_{j<N} v^j and S1 = Σ_{j<N} j v^j (closed forms):
     *   den = cf*S0 + 100 v^(N-1), num = cf*(S1 + x*S0) + 100 (N-1+x) v^(N-1)
     * w = v^(N-1) exact while small enough, else through MPFR */
    mpq_set_si(k, B.n - 1, 1);
    st = qpow(w, v, k, &inx);
    if (st != XC_OK) {
        st = fail(out, st);
        goto done;
    }
    if (mpq_cmp_ui(v, 1, 1) == 0) {
        mpq_set_si(s0, B.n, 1);
        mpq_set_si(s1, B.n, 1);
        mpq_set_si(k, B.n - 1, 2);
        mpq_canonicalize(k);
        mpq_mul(s1, s1, k);
    } else {
        mpq_t one, d, vn;
        mpq_inits(one, d, vn, NULL);
        mpq_set_ui(one, 1, 1);
        mpq_sub(d, one, v);   /* 1 - v */
        mpq_mul(vn, w, v);    /* v^N */
        mpq_sub(s0, one, vn); /* (1 - v^N) / (1 - v) */
        mpq_div(s0, s0, d);
        /* S1 = v (1 - N v^(N-1) + (N-1) v^N) / (1-v)^2 */
        mpq_set_si(k, B.n, 1);
        mpq_mul(t, k, w);
        mpq_sub(s1, one, t);
        mpq_set_si(k, B.n - 1, 1);
        mpq_mul(t, k, vn);
        mpq_add(s1, s1, t);
        mpq_mul(s1, s1, v);
        mpq_div(s1, s1, d);
        mpq_div(s1, s1, d);
        mpq_clears(one, d, vn, NULL);
    }
    mpq_set_ui(k, 100, 1);
    mpq_mul(k, k, w); /* 100 v^(N-1) */
    mpq_mul(den, cf, s0);
    mpq_add(den, den, k);
    mpq_mul(t, x, s0);
    mpq_add(t, t, s1);
    mpq_mul(num_, cf, t);
    mpq_set_si(t, B.n - 1, 1);
    mpq_add(t, t, x);
    mpq_mul(t, t, k);
    mpq_add(num_, num_, t);
    if (mpq_sgn(den) == 0) {
        st = err_out(out, XC_ERR_DIV0);
        goto done;
    }
    mpq_div(num_, num_, den);
    mpq_set_ui(k, (unsigned long)B.freq, 1);
    mpq_div(num_, num_, k);
    if (modified)
        mpq_mul(num_, num_, v);
    st = q_out(out, num_, inx);
done:
    mpq_clears(cpn, yld, e, a, dsc, x, v, w, cf, num_, den, t, k, s0, s1, NULL);
    return st;
}

static int fn_duration(xc_fncall *c, xc_value *out)
{
    return duration(c, out, 0);
}
static int fn_mduration(xc_fncall *c, xc_value *out)
{
    return duration(c, out, 1);
}

/* ---- ACCRINT ----------------------------------------------------------
 * Excel sums, over the quasi-coupon periods the accrual spans, the days
 * accrued in each period over the period's normal length, times
 * par*rate/f.  The schedule steps from first_interest by 12/f months
 * (on month ends when first_interest is one).  Its day counts are not
 * quite those of the COUP* functions: the issue stub's length under
 * 30/360 adjusts both dates, actual/360 and actual/365 count actual
 * days over a 30/360 or 365-day-year length.  The rule reproduces the
 * Excel-computed ACCRINT cells of the IronCalc suite to 15 digits, except
 * where Excel's own double noise reaches the 15th. */

typedef struct acc_date {
    int y, m, d;
} acc_date;

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t acc_day(acc_date a)
{
    int64_t y = a.y - (a.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (a.m + (a.m > 2 ? -3 : 9)) + 2) / 5 + a.d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int acc_cmp(acc_date a, acc_date b)
{
    int64_t x = acc_day(a), y = acc_day(b);
    return (x > y) - (x < y);
}

static int acc_eom(acc_date a)
{
    return a.d == mlen(a.y, a.m);
}

/* a moved by n months, the day clamped to the month (to its last day
 * when eom). */
static acc_date acc_shift(acc_date a, long n, int eom)
{
    long t = (long)a.y * 12 + (a.m - 1) + n;
    acc_date r;
    r.y = (int)(t >= 0 ? t / 12 : -((-t + 11) / 12));
    r.m = (int)(t - (long)r.y * 12) + 1;
    r.d = a.d;
    if (eom || r.d > mlen(r.y, r.m))
        r.d = mlen(r.y, r.m);
    return r;
}

/* US 30/360 from a to b; `both` adjusts the end date whatever the
 * start (the stub's length). */
static int64_t acc_us360(acc_date a, acc_date b, int both)
{
    int sd = a.d, ed = b.d;
    int feba = a.m == 2 && acc_eom(a), febb = b.m == 2 && acc_eom(b);
    if (febb && (feba || both))
        ed = 30;
    if (ed == 31 && (sd >= 30 || both))
        ed = 30;
    if (sd == 31 || feba)
        sd = 30;
    return (int64_t)(b.y - a.y) * 360 + (b.m - a.m) * 30 + (ed - sd);
}

/* Days from a to b under basis; `len` selects the convention for a
 * period's length rather than for the days accrued (they differ under
 * actual/360).  Actual/365 lengths are 365/f, never counted. */
static int64_t acc_days(acc_date a, acc_date b, int basis, int len)
{
    switch (basis) {
    case 0:
        return acc_us360(a, b, 0);
    case 2:
        return len ? acc_us360(a, b, 0) : acc_day(b) - acc_day(a);
    case 4: {
        int sd = a.d == 31 ? 30 : a.d, ed = b.d == 31 ? 30 : b.d;
        return (int64_t)(b.y - a.y) * 360 + (b.m - a.m) * 30 + (ed - sd);
    }
    default:
        return acc_day(b) - acc_day(a);
    }
}

/* t += num/den; den must not be 0. */
static void acc_add(mpq_t t, int64_t num, int64_t den)
{
    mpq_t q;
    mpq_init(q);
    mpz_set_si(mpq_numref(q), (long)num);
    mpz_set_si(mpq_denref(q), (long)den);
    mpq_canonicalize(q);
    mpq_add(t, t, q);
    mpq_clear(q);
}

/* ACCRINT(issue, first_interest, settlement, rate, par, frequency,
 * [basis], [calc_method]) */
static int fn_accrint(xc_fncall *c, xc_value *out)
{
    int64_t is, fi, se, f = 0, basis = 0;
    int d1904 = d1904f(c), st = XC_OK;
    acc_date di, dfi, dse;
    mpq_t rate, par, sum;
    for (int i = 0; i < 3; i++)
        if (xc_num_sign(xc_arg_num(c, i)) < 0)
            return err_out(out, XC_ERR_NUM);
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 3000000, &is) ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 3000000, &fi) ||
        xc_num_trunc_clamp(xc_arg_num(c, 2), 0, 3000000, &se) || is >= se)
        return err_out(out, XC_ERR_NUM);
    if (xc_num_trunc_clamp(xc_arg_num(c, 5), -1, 13, &f) ||
        (f != 1 && f != 2 && f != 4))
        return err_out(out, XC_ERR_NUM);
    if (xc_arg_given(c, 6) &&
        (xc_num_trunc_clamp(xc_arg_num(c, 6), -1, 5, &basis) || basis < 0 ||
         basis > 4))
        return err_out(out, XC_ERR_NUM);
    if (xc_serial_to_date(is, d1904, &di.y, &di.m, &di.d) != XC_OK ||
        xc_serial_to_date(fi, d1904, &dfi.y, &dfi.m, &dfi.d) != XC_OK ||
        xc_serial_to_date(se, d1904, &dse.y, &dse.m, &dse.d) != XC_OK)
        return err_out(out, XC_ERR_NUM);
    int calc = !xc_arg_given(c, 7) ||
               (c->argv[7].type == XC_BOOL ? c->argv[7].u.b
                                           : !xc_num_is_zero(xc_arg_num(c, 7)));
    mpq_inits(rate, par, sum, NULL);
    qarg(c, 3, rate);
    if (xc_arg_given(c, 4))
        qarg(c, 4, par);
    else
        mpq_set_ui(par, 1000, 1);
    if (mpq_sgn(rate) <= 0 || mpq_sgn(par) <= 0) {
        st = err_out(out, XC_ERR_NUM);
        goto done;
    }
    {
        long mo = 12 / (long)f;
        int eom = acc_eom(dfi);
        /* the regular period ending at first_interest sets the length
           of the settlement's slice */
        acc_date reg = acc_shift(dfi, -mo, eom), pcd = reg, front;
        int64_t len, lf = 1; /* a period's length is len/lf days */
        if (acc_cmp(dse, dfi) > 0 && calc) {
            /* settlement past first_interest: the coupon date before it */
            pcd = dfi;
            for (front = acc_shift(dfi, mo, eom); acc_cmp(front, dse) < 0;
                 front = acc_shift(front, mo, eom))
                pcd = front;
        }
        if (basis == 0 || basis == 2 || basis == 4)
            len = 360 / f;
        else if (basis == 3)
            len = 365, lf = f;
        else
            len = acc_day(dfi) - acc_day(reg);
        acc_date from = acc_cmp(di, pcd) > 0 ? di : pcd;
        if (len <= 0) {
            st = err_out(out, XC_ERR_NUM);
            goto done;
        }
        acc_add(sum, acc_days(from, dse, (int)basis, 0) * lf, len);
        /* whole periods back to the issue (each 1, or 0 when accruing
           from first_interest), then the issue's stub */
        front = pcd;
        while (acc_cmp(front, di) > 0) {
            acc_date end = front;
            front = acc_shift(front, -mo, eom);
            if (acc_cmp(di, front) <= 0) {
                if (calc)
                    acc_add(sum, 1, 1);
                continue;
            }
            int64_t num = acc_days(di, end, (int)basis, 0);
            int64_t den = basis == 0   ? acc_us360(front, end, 1)
                          : basis == 3 ? 365
                                       : acc_days(front, end, (int)basis, 1);
            if (basis == 3)
                num *= f;
            if (den <= 0) {
                st = err_out(out, XC_ERR_NUM);
                goto done;
            }
            acc_add(sum, num, den);
        }
    }
    mpq_mul(sum, sum, par);
    mpq_mul(sum, sum, rate);
    {
        mpq_t t;
        mpq_init(t);
        mpq_set_si(t, f, 1);
        mpq_div(sum, sum, t);
        mpq_clear(t);
    }
    st = q_out(out, sum, args_inexact(c));
done:
    mpq_clears(rate, par, sum, NULL);
    return st;
}

/* ODDLPRICE / ODDLYIELD(settlement, maturity, last_interest, rate,
 * yld|pr, redemption, frequency, [basis]): an odd last period split into
 * quasi-coupon periods stepping forward from last_interest.  With
 * NL_i each period's normal length (actual days, 360/f under 30/360), DC_i its
 * days up to maturity, A_i its days before settlement and DSC_i its days from
 * settlement to maturity, and c = 100*rate/f: P = (red + c*ΣDC/NL) / (1 +
 * ΣDSC/NL * yld/f) - c*ΣA/NL and YIELD solves this for yld in closed form; both
 * exact. */
/* Days from a to b over the normal length nl of a quasi-coupon period. */
static void odd_frac(mpq_t t, int64_t a, int64_t b, const mpq_t nl, int basis,
                     int d1904)
{
    mpq_set_si(t, coup_days(a, b, basis, d1904), 1);
    mpq_div(t, t, nl);
}

static int odd_last(xc_fncall *c, xc_value *out, int yield)
{
    int64_t se, mat, last, f = 0, basis = 0, q0, q1;
    int d1904 = d1904f(c), st;
    mpq_t rate, x, red, dc, a, dsc, nl, t, k;
    for (int i = 0; i < 3; i++)
        if (xc_num_sign(xc_arg_num(c, i)) < 0)
            return err_out(out, XC_ERR_NUM);
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 3000000, &se) ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 3000000, &mat) ||
        xc_num_trunc_clamp(xc_arg_num(c, 2), 0, 3000000, &last) || se >= mat ||
        last >= se)
        return err_out(out, XC_ERR_NUM);
    if (xc_num_trunc_clamp(xc_arg_num(c, 6), -1, 13, &f) ||
        (f != 1 && f != 2 && f != 4))
        return err_out(out, XC_ERR_NUM);
    if (xc_arg_given(c, 7) &&
        (xc_num_trunc_clamp(xc_arg_num(c, 7), -1, 5, &basis) || basis < 0 ||
         basis > 4))
        return err_out(out, XC_ERR_NUM);
    mpq_inits(rate, x, red, dc, a, dsc, nl, t, k, NULL);
    qarg(c, 3, rate), qarg(c, 4, x), qarg(c, 5, red);
    if (mpq_sgn(rate) < 0 || mpq_sgn(x) < 0 || (yield && mpq_sgn(x) == 0) ||
        mpq_sgn(red) <= 0) {
        st = err_out(out, XC_ERR_NUM);
        goto done;
    }
    q0 = last;
    for (long i = 1; q0 < mat; i++, q0 = q1) {
        if (i > 100000 || step_date(last, -i * (12 / f), d1904, &q1) != XC_OK) {
            st = err_out(out, XC_ERR_NUM);
            goto done;
        }
        int64_t e1 = q1 < mat ? q1 : mat;
        /* the normal length: actual days except under 30/360 */
        coup_e(q0, q1, basis == 0 || basis == 4 ? (int)basis : 1, (int)f, nl);
        odd_frac(t, q0, e1, nl, (int)basis, d1904);
        mpq_add(dc, dc, t);
        if (se > q0) {
            odd_frac(t, q0, se < e1 ? se : e1, nl, (int)basis, d1904);
            mpq_add(a, a, t);
        }
        if (se < e1) {
            odd_frac(t, se > q0 ? se : q0, e1, nl, (int)basis, d1904);
            mpq_add(dsc, dsc, t);
        }
    }
    mpq_set_ui(k, 100, (unsigned long)f);
    mpq_canonicalize(k);
    mpq_mul(k, k, rate); /* c */
    mpq_mul(dc, dc, k);
    mpq_add(dc, dc, red); /* red + c*ΣDC/NL */
    mpq_mul(a, a, k);     /* c*ΣA/NL */
    mpq_set_si(k, f, 1);
    if (!yield) {
        mpq_div(t, x, k);
        mpq_mul(t, t, dsc);
        mpq_set_ui(k, 1, 1);
        mpq_add(t, t, k);
        mpq_div(t, dc, t);
        mpq_sub(t, t, a);
    } else {
        mpq_add(a, a, x); /* pr + c*ΣA/NL */
        mpq_sub(t, dc, a);
        mpq_div(t, t, a);
        mpq_mul(t, t, k);
        if (mpq_sgn(dsc) == 0) {
            st = err_out(out, XC_ERR_NUM);
            goto done;
        }
        mpq_div(t, t, dsc);
    }
    st = q_out(out, t, args_inexact(c));
done:
    mpq_clears(rate, x, red, dc, a, dsc, nl, t, k, NULL);
    return st;
}

static int fn_oddlprice(xc_fncall *c, xc_value *out)
{
    return odd_last(c, out, 0);
}
static int fn_oddlyield(xc_fncall *c, xc_value *out)
{
    return odd_last(c, out, 1);
}

/* ODDFPRICE / ODDFYIELD(settlement, maturity, issue, first_coupon, rate,
 * yld|pr, redemption, frequency, [basis]): an odd first period split
 * into quasi-coupon periods stepping back from first_coupon.  With
 * c = 100*rate/f, v = 1/(1+yld/f), the first coupon C1 = c*ΣDC_i/NL_i
 * (DC_i: days of period i after issue), AI = c*ΣA_i/NL_i (A_i: days of
 * period i between issue and settlement), N regular coupons after
 * first_coupon and τ = Nq + DSC/E periods from settlement to
 * first_coupon (Nq whole quasi-periods, DSC days to the next
 * quasi-coupon date, E that period's length):
 *   P = v^τ * (C1 + c*v*(1-v^N)/(1-v) + red*v^N) - AI
 * exact unless v^τ is irrational; ODDFYIELD solves it by Newton. */
typedef struct oddf {
    mpq_t c, c1, ai, tau, red, x;
    long n;
    int freq;
} oddf;

static xc_error oddf_init(xc_fncall *c, oddf *O, int yield)
{
    int64_t se, mat, is, fc, f = 0, basis = 0, q0, q1, dummy;
    int d1904 = d1904f(c);
    long k;
    mpq_t rate, nl, t;
    for (int i = 0; i < 4; i++)
        if (xc_num_sign(xc_arg_num(c, i)) < 0)
            return XC_ERR_NUM;
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 3000000, &se) ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 3000000, &mat) ||
        xc_num_trunc_clamp(xc_arg_num(c, 2), 0, 3000000, &is) ||
        xc_num_trunc_clamp(xc_arg_num(c, 3), 0, 3000000, &fc) || !(is < se) ||
        !(se < fc) || !(fc < mat))
        return XC_ERR_NUM;
    if (xc_num_trunc_clamp(xc_arg_num(c, 7), -1, 13, &f) ||
        (f != 1 && f != 2 && f != 4))
        return XC_ERR_NUM;
    if (xc_arg_given(c, 8) &&
        (xc_num_trunc_clamp(xc_arg_num(c, 8), -1, 5, &basis) || basis < 0 ||
         basis > 4))
        return XC_ERR_NUM;
    qarg(c, 4, O->c), qarg(c, 5, O->x), qarg(c, 6, O->red);
    if (mpq_sgn(O->c) < 0 || mpq_sgn(O->x) < 0 ||
        (yield && mpq_sgn(O->x) == 0) || mpq_sgn(O->red) <= 0)
        return XC_ERR_NUM;
    O->freq = (int)f;
    mpq_inits(rate, nl, t, NULL);
    mpq_set_ui(t, 100, (unsigned long)f);
    mpq_canonicalize(t);
    mpq_mul(O->c, O->c, t);
    /* regular coupons after first_coupon */
    xc_error e = XC_ERR_NONE;
    if (coup_find(mat, fc, (int)f, d1904, &O->n, &dummy) != XC_OK)
        e = XC_ERR_NUM;
    /* quasi-periods back from first_coupon until issue */
    q1 = fc;
    for (k = 1; !e && q1 > is; k++, q1 = q0) {
        if (k > 100000 || step_date(fc, k * (12 / f), d1904, &q0) != XC_OK) {
            e = XC_ERR_NUM;
            break;
        }
        coup_e(q0, q1, (int)basis, (int)f, nl);
        int64_t a = q0 > is ? q0 : is;
        /* a whole quasi-period earns a whole coupon (bases 2 and 3 too) */
        if (a == q0)
            mpq_set_ui(t, 1, 1);
        else {
            mpq_set_si(t, coup_days(a, q1, (int)basis, d1904), 1);
            mpq_div(t, t, nl);
        }
        mpq_add(O->c1, O->c1, t);
        if (se > a) {
            mpq_set_si(t, coup_days(a, se < q1 ? se : q1, (int)basis, d1904),
                       1);
            mpq_div(t, t, nl);
            mpq_add(O->ai, O->ai, t);
        }
        if (se >= q0 && se < q1) { /* τ = Nq + DSC/E */
            mpq_set_si(t, coup_days(se, q1, (int)basis, d1904), 1);
            mpq_div(t, t, nl);
            mpq_set_si(O->tau, k - 1, 1);
            mpq_add(O->tau, O->tau, t);
        }
    }
    mpq_mul(O->c1, O->c1, O->c);
    mpq_mul(O->ai, O->ai, O->c);
    mpq_clears(rate, nl, t, NULL);
    return e;
}

/* The price at yield y (per year) into p. */
static int oddf_price(const oddf *O, const mpq_t y, mpq_t p, unsigned *inx)
{
    mpq_t v, w, t, k;
    int st = XC_OK;
    mpq_inits(v, w, t, k, NULL);
    mpq_set_si(k, O->freq, 1);
    mpq_div(v, y, k);
    mpq_set_ui(k, 1, 1);
    mpq_add(v, v, k);
    if (mpq_sgn(v) <= 0) {
        st = XC_EINVAL;
        goto done;
    }
    mpq_inv(v, v);
    mpq_set_si(k, O->n, 1);
    st = qpow(w, v, k, inx); /* v^N */
    if (st != XC_OK)
        goto done;
    mpq_mul(p, O->red, w);
    if (mpq_cmp_ui(v, 1, 1) == 0)
        mpq_set_si(t, O->n, 1);
    else {
        mpq_set_ui(k, 1, 1);
        mpq_sub(t, k, w);
        mpq_mul(t, t, v);
        mpq_sub(k, k, v);
        mpq_div(t, t, k);
    }
    mpq_mul(t, t, O->c);
    mpq_add(p, p, t);
    mpq_add(p, p, O->c1);
    st = qpow(w, v, O->tau, inx);
    if (st != XC_OK)
        goto done;
    mpq_mul(p, p, w);
    mpq_sub(p, p, O->ai);
done:
    mpq_clears(v, w, t, k, NULL);
    return st;
}

static int oddf_f(void *ud, const mpfr_t r, mpfr_t f)
{
    const oddf *O = ud;
    mpq_t y, p;
    unsigned inx = 0;
    int st;
    mpfr_t t;
    if (!mpfr_number_p(r) || mpfr_cmp_si(r, -O->freq) <= 0)
        return XC_EINVAL;
    mpq_inits(y, p, NULL);
    mpfr_init2(t, 320);
    mpfr_set(t, r, MPFR_RNDN);
    mpfr_get_q(y, t);
    mpfr_clear(t);
    st = oddf_price(O, y, p, &inx);
    if (st == XC_OK) {
        mpq_sub(p, p, O->x);
        mpfr_set_q(f, p, MPFR_RNDN);
    }
    mpq_clears(y, p, NULL);
    return st;
}

static int odd_first(xc_fncall *c, xc_value *out, int yield)
{
    oddf O;
    int st;
    unsigned inx = args_inexact(c);
    mpq_inits(O.c, O.c1, O.ai, O.tau, O.red, O.x, NULL);
    O.n = 0;
    xc_error e = oddf_init(c, &O, yield);
    if (e)
        st = err_out(out, e);
    else if (!yield) {
        mpq_t p;
        mpq_init(p);
        st = oddf_price(&O, O.x, p, &inx);
        st = st == XC_OK ? q_out(out, p, inx) : fail(out, st);
        mpq_clear(p);
    } else {
        mpfr_t r;
        mpfr_init2(r, XC_MPFR_PREC);
        mpfr_set_q(r, O.c, MPFR_RNDN); /* coupon yield as the guess */
        mpfr_div_ui(r, r, 100, MPFR_RNDN);
        mpfr_mul_ui(r, r, (unsigned long)O.freq, MPFR_RNDN);
        if (mpfr_zero_p(r))
            mpfr_set_d(r, 0.05, MPFR_RNDN);
        st = rate_out(out, r, solve(oddf_f, &O, r));
        mpfr_clear(r);
    }
    mpq_clears(O.c, O.c1, O.ai, O.tau, O.red, O.x, NULL);
    return st;
}

static int fn_oddfprice(xc_fncall *c, xc_value *out)
{
    return odd_first(c, out, 0);
}
static int fn_oddfyield(xc_fncall *c, xc_value *out)
{
    return odd_first(c, out, 1);
}

/* ---- French depreciation (AMORLINC, AMORDEGRC) ---------------------------
 * (cost, date_purchased, first_period, salvage, period, rate, [basis]);
 * the first, prorated period is YEARFRAC(date_purchased, first_period,
 * basis) of a year.  Exact rationals. */

typedef struct amor {
    mpq_t cost, salv, rate, yf;
    int64_t per;
} amor;

static xc_error amor_init(xc_fncall *c, amor *A)
{
    int64_t d0, d1, basis = 0;
    xc_num r;
    if (xc_num_sign(xc_arg_num(c, 1)) < 0 ||
        xc_num_sign(xc_arg_num(c, 2)) < 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 3000000, &d0) ||
        xc_num_trunc_clamp(xc_arg_num(c, 2), 0, 3000000, &d1) || d0 > d1)
        return XC_ERR_NUM;
    if (xc_arg_given(c, 6) &&
        (xc_num_trunc_clamp(xc_arg_num(c, 6), -1, 5, &basis) || basis < 0 ||
         basis > 4 || basis == 2))
        return XC_ERR_NUM;
    if (xc_num_sign(xc_arg_num(c, 4)) < 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 4), 0, 100000000, &A->per))
        return XC_ERR_NUM;
    qarg(c, 0, A->cost), qarg(c, 3, A->salv), qarg(c, 5, A->rate);
    if (mpq_sgn(A->cost) <= 0 || mpq_sgn(A->salv) < 0 ||
        mpq_cmp(A->salv, A->cost) > 0 || mpq_sgn(A->rate) <= 0)
        return XC_ERR_NUM;
    xc_num_init(&r);
    if (xc_date_yearfrac(d0, d1, (int)basis, d1904f(c), &r) != XC_OK) {
        xc_num_clear(&r);
        return XC_ERR_NUM;
    }
    xc_num_get_mpq(A->yf, &r);
    xc_num_clear(&r);
    return XC_ERR_NONE;
}

/* q rounded to an integer, halves away from zero */
static void qround(mpq_t q)
{
    mpz_t t;
    mpz_init(t);
    mpz_mul_2exp(t, mpq_numref(q), 1);
    if (mpq_sgn(q) >= 0)
        mpz_add(t, t, mpq_denref(q));
    else
        mpz_sub(t, t, mpq_denref(q));
    mpz_mul_2exp(mpq_denref(q), mpq_denref(q), 1);
    mpz_tdiv_q(t, t, mpq_denref(q));
    mpq_set_z(q, t);
    mpz_clear(t);
}

/* AMORLINC: straight line at cost*rate a year after the prorated first
 * period, the remainder in the period after the last full one. */
static int fn_amorlinc(xc_fncall *c, xc_value *out)
{
    amor A;
    mpq_t one, r0, full, t;
    int st;
    mpq_inits(A.cost, A.salv, A.rate, A.yf, one, r0, full, t, NULL);
    xc_error e = amor_init(c, &A);
    if (e) {
        st = err_out(out, e);
        goto done;
    }
    mpq_mul(one, A.cost, A.rate);  /* a full year */
    mpq_mul(r0, A.yf, one);        /* the first period */
    mpq_sub(full, A.cost, A.salv); /* number of full years: */
    mpq_sub(full, full, r0);       /* trunc((cost-salv-r0)/one) */
    mpq_div(full, full, one);
    mpz_tdiv_q(mpq_numref(full), mpq_numref(full), mpq_denref(full));
    mpz_set_ui(mpq_denref(full), 1);
    if (mpq_sgn(full) < 0)
        mpq_set_ui(full, 0, 1);
    mpq_set_si(t, A.per, 1);
    if (A.per == 0)
        mpq_set(t, r0);
    else if (mpq_cmp(t, full) <= 0)
        mpq_set(t, one);
    else if (mpz_cmp_si(mpq_numref(full), A.per - 1) == 0) {
        mpq_sub(t, A.cost, A.salv);
        mpq_sub(t, t, r0);
        mpq_mul(full, full, one);
        mpq_sub(t, t, full);
        if (mpq_sgn(t) < 0)
            mpq_set_ui(t, 0, 1);
    } else
        mpq_set_ui(t, 0, 1);
    st = q_out(out, t, args_inexact(c));
done:
    mpq_clears(A.cost, A.salv, A.rate, A.yf, one, r0, full, t, NULL);
    return st;
}

/* AMORDEGRC: declining balance at rate times a coefficient for the
 * asset life 1/rate (1.5 for 3-4 years, 2 for 5-6, 2.5 beyond), each
 * period's amount rounded to a whole number; half the remaining value
 * in the period where the depreciation would pass cost - salvage, then
 * 0.  Lives in (0,1), (1,2), (2,3) or (4,5) years are #NUM! as in
 * Excel. */
static int fn_amordegrc(xc_fncall *c, xc_value *out)
{
    amor A;
    mpq_t life, k, nr, rest, t;
    int st;
    mpq_inits(A.cost, A.salv, A.rate, A.yf, life, k, nr, rest, t, NULL);
    xc_error e = amor_init(c, &A);
    if (e) {
        st = err_out(out, e);
        goto done;
    }
    mpq_inv(life, A.rate);
    int bad = 0;
    for (int lo = 0; lo < 5; lo++) {
        if (lo == 3)
            continue;
        mpq_set_si(t, lo, 1);
        if (mpq_cmp(life, t) > 0 && mpq_cmp_si(life, lo + 1, 1) < 0)
            bad = 1;
    }
    if (bad) {
        st = err_out(out, XC_ERR_NUM);
        goto done;
    }
    if (mpq_cmp_si(life, 3, 1) < 0)
        mpq_set_ui(k, 1, 1);
    else if (mpq_cmp_si(life, 5, 1) < 0)
        mpq_set_ui(k, 3, 2);
    else if (mpq_cmp_si(life, 6, 1) <= 0)
        mpq_set_ui(k, 2, 1);
    else
        mpq_set_ui(k, 5, 2);
    mpq_mul(A.rate, A.rate, k);
    mpq_mul(nr, A.yf, A.rate);
    mpq_mul(nr, nr, A.cost);
    qround(nr);
    mpq_sub(A.cost, A.cost, nr);
    mpq_sub(rest, A.cost, A.salv);
    for (int64_t n = 0; n < A.per; n++) {
        mpq_mul(nr, A.rate, A.cost);
        qround(nr);
        mpq_sub(rest, rest, nr);
        if (mpq_sgn(rest) < 0) {
            if (A.per - n <= 1) {
                mpq_set_ui(t, 1, 2);
                mpq_mul(nr, A.cost, t);
                qround(nr);
            } else
                mpq_set_ui(nr, 0, 1);
            break;
        }
        mpq_sub(A.cost, A.cost, nr);
    }
    st = q_out(out, nr, args_inexact(c));
done:
    mpq_clears(A.cost, A.salv, A.rate, A.yf, life, k, nr, rest, t, NULL);
    return st;
}

/* ---- Table ------------------------------------------------------------------
 */

#define F(name, args, impl, syntax, help, ex)                                  \
    {                                                                          \
        name, args, impl, 0, "fin", syntax, help, ex                           \
    }

const xc_fn_def xc_fns_fin[] = {
    F("ACCRINT", "nnnnn|nnb", fn_accrint,
      "ACCRINT(issue, first_interest, settlement, rate, par, frequency, "
      "[basis], [calc_method])",
      "Accrued interest of a security paying periodic interest.",
      "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0) "
      "-> 16.6666666666667"),
    F("ACCRINTM", "nnn|nn", fn_accrintm,
      "ACCRINTM(issue, settlement, rate, [par], [basis])",
      "Accrued interest of a security paying at maturity.",
      "=ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1,1000,3) -> "
      "20.5479452054795"),
    F("AMORDEGRC", "nnnnnn|n", fn_amordegrc,
      "AMORDEGRC(cost, date_purchased, first_period, salvage, period, rate, "
      "[basis])",
      "French declining-balance depreciation for a period.",
      "=AMORDEGRC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.15,1) -> 776"),
    F("AMORLINC", "nnnnnn|n", fn_amorlinc,
      "AMORLINC(cost, date_purchased, first_period, salvage, period, rate, "
      "[basis])",
      "French straight-line depreciation for a period.",
      "=AMORLINC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.15,1) -> 360"),
    F("COUPDAYBS", "nnn|n", fn_coupdaybs,
      "COUPDAYBS(settlement, maturity, frequency, [basis])",
      "Days from the start of the coupon period to settlement.",
      "=COUPDAYBS(DATE(2011,1,25),DATE(2011,11,15),2,1) -> 71"),
    F("COUPDAYS", "nnn|n", fn_coupdays,
      "COUPDAYS(settlement, maturity, frequency, [basis])",
      "Days in the coupon period containing settlement.",
      "=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),2,1) -> 181"),
    F("COUPDAYSNC", "nnn|n", fn_coupdaysnc,
      "COUPDAYSNC(settlement, maturity, frequency, [basis])",
      "Days from settlement to the next coupon date.",
      "=COUPDAYSNC(DATE(2011,1,25),DATE(2011,11,15),2,1) -> 110"),
    F("COUPNCD", "nnn|n", fn_coupncd,
      "COUPNCD(settlement, maturity, frequency, [basis])",
      "Next coupon date after settlement.",
      "=COUPNCD(DATE(2011,1,25),DATE(2011,11,15),2,1) -> 40678"),
    F("COUPNUM", "nnn|n", fn_coupnum,
      "COUPNUM(settlement, maturity, frequency, [basis])",
      "Number of coupons payable between settlement and maturity.",
      "=COUPNUM(DATE(2007,1,25),DATE(2008,11,15),2,1) -> 4"),
    F("COUPPCD", "nnn|n", fn_couppcd,
      "COUPPCD(settlement, maturity, frequency, [basis])",
      "Previous coupon date before settlement.",
      "=COUPPCD(DATE(2011,1,25),DATE(2011,11,15),2,1) -> 40497"),
    F("CUMIPMT", "nnnvvv", fn_cumipmt,
      "CUMIPMT(rate, nper, pv, start_period, end_period, type)",
      "Interest paid on a loan between two periods.",
      "=ROUND(CUMIPMT(0.09/12,360,125000,13,24,0),6) -> -11135.232131"),
    F("CUMPRINC", "nnnvvv", fn_cumprinc,
      "CUMPRINC(rate, nper, pv, start_period, end_period, type)",
      "Principal repaid on a loan between two periods.",
      "=ROUND(CUMPRINC(0.09/12,360,125000,13,24,0),6) -> -934.107123"),
    F("DB", "nnnn|n", fn_db, "DB(cost, salvage, life, period, [month])",
      "Fixed-declining balance depreciation for a period.",
      "=DB(1000000,100000,6,1,7) -> 186083.333333333"),
    F("DDB", "nnnn|n", fn_ddb, "DDB(cost, salvage, life, period, [factor])",
      "Double-declining balance depreciation for a period.",
      "=DDB(2400,300,10,1) -> 480\n=DDB(2400,300,10,10) -> 22.1225472"),
    F("DISC", "nnnn|n", fn_disc,
      "DISC(settlement, maturity, pr, redemption, [basis])",
      "Discount rate of a security.",
      "=DISC(DATE(2018,7,1),DATE(2048,1,1),97.975,100,1) -> "
      "0.000686384169121345"),
    F("DOLLARDE", "vv", fn_dollarde, "DOLLARDE(fractional_dollar, fraction)",
      "Converts a price written as a fraction to a decimal.",
      "=DOLLARDE(1.02,16) -> 1.125"),
    F("DOLLARFR", "vv", fn_dollarfr, "DOLLARFR(decimal_dollar, fraction)",
      "Converts a decimal price to fractional notation.",
      "=DOLLARFR(1.125,16) -> 1.02"),
    F("DURATION", "nnnnn|n", fn_duration,
      "DURATION(settlement, maturity, coupon, yld, frequency, [basis])",
      "Macaulay duration of a security with periodic interest.",
      "=ROUND(DURATION(DATE(2018,7,1),DATE(2048,1,1),0.08,0.09,2,1),7) -> "
      "10.9191453"),
    F("EFFECT", "vv", fn_effect, "EFFECT(nominal_rate, npery)",
      "Effective annual interest rate.",
      "=EFFECT(0.12,12) -> 0.12682503013197"),
    F("FV", "nnn|nn", fn_fv, "FV(rate, nper, pmt, [pv], [type])",
      "Future value of an investment with constant payments.",
      "=FV(0.1,2,-100) -> 210\n=FV(0,10,-100,-1000) -> 2000"),
    F("FVSCHEDULE", "na", fn_fvschedule, "FVSCHEDULE(principal, schedule)",
      "Future value after a series of interest rates.",
      "=FVSCHEDULE(1,{0.09,0.11,0.1}) -> 1.33089"),
    F("INTRATE", "nnnn|n", fn_intrate,
      "INTRATE(settlement, maturity, investment, redemption, [basis])",
      "Interest rate of a fully invested security.",
      "=INTRATE(DATE(2008,2,15),DATE(2008,5,15),1000000,1014420,2) -> "
      "0.05768"),
    F("IPMT", "nnnn|nn", fn_ipmt, "IPMT(rate, per, nper, pv, [fv], [type])",
      "Interest part of a payment.", "=IPMT(0.1,1,2,1000) -> -100"),
    F("IRR", "a|n", fn_irr, "IRR(values, [guess])",
      "Internal rate of return of periodic cash flows.",
      "=ROUND(IRR({-100,60,60}),6) -> 0.130662"),
    F("ISPMT", "nnnn", fn_ispmt, "ISPMT(rate, per, nper, pv)",
      "Interest paid in a period of a straight-line loan.",
      "=ISPMT(0.1,1,3,1000) -> -66.6666666666667"),
    F("MDURATION", "nnnnn|n", fn_mduration,
      "MDURATION(settlement, maturity, coupon, yld, frequency, [basis])",
      "Modified duration of a security with periodic interest.",
      "=ROUND(MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,2,1),9) -> "
      "5.735669814"),
    F("MIRR", "ann", fn_mirr, "MIRR(values, finance_rate, reinvest_rate)",
      "Modified internal rate of return.",
      "=ROUND(MIRR({-120000,39000,30000,21000,37000,46000},0.1,0.12),6) -> "
      "0.126094"),
    F("NOMINAL", "vv", fn_nominal, "NOMINAL(effect_rate, npery)",
      "Nominal annual interest rate from an effective rate.",
      "=ROUND(NOMINAL(0.053543,4),6) -> 0.0525"),
    F("NPER", "nnn|nn", fn_nper, "NPER(rate, pmt, pv, [fv], [type])",
      "Number of periods of an investment.",
      "=NPER(0,-100,1000) -> 10\n=ROUND(NPER(0.01,-100,1000),6) -> 10.588644"),
    F("NPV", "na*", fn_npv, "NPV(rate, value1, ...)",
      "Net present value of periodic cash flows.", "=NPV(0.1,110,121) -> 200"),
    F("ODDFPRICE", "nnnnnnnn|n", fn_oddfprice,
      "ODDFPRICE(settlement, maturity, issue, first_coupon, rate, yld, "
      "redemption, frequency, [basis])",
      "Price per 100 face value of a security with an odd first period.",
      "=ROUND(ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),"
      "DATE(2009,3,1),0.0785,0.0625,100,2,1),6) -> 113.597717"),
    F("ODDFYIELD", "nnnnnnnn|n", fn_oddfyield,
      "ODDFYIELD(settlement, maturity, issue, first_coupon, rate, pr, "
      "redemption, frequency, [basis])",
      "Yield of a security with an odd first period (solved numerically).",
      "=ROUND(ODDFYIELD(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),"
      "DATE(2009,3,1),0.0575,84.5,100,2,0),4) -> 0.0772"),
    F("ODDLPRICE", "nnnnnnn|n", fn_oddlprice,
      "ODDLPRICE(settlement, maturity, last_interest, rate, yld, redemption, "
      "frequency, [basis])",
      "Price per 100 face value of a security with an odd last period.",
      "=ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,"
      "0.0405,100,2,0) -> 99.8782860147213"),
    F("ODDLYIELD", "nnnnnnn|n", fn_oddlyield,
      "ODDLYIELD(settlement, maturity, last_interest, rate, pr, redemption, "
      "frequency, [basis])",
      "Yield of a security with an odd last period.",
      "=ROUND(ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0."
      "0375,"
      "99.875,100,2,0),6) -> 0.045192"),
    F("PDURATION", "nnn", fn_pduration, "PDURATION(rate, pv, fv)",
      "Periods needed for an investment to reach a value.",
      "=ROUND(PDURATION(0.025,2000,2200),6) -> 3.859866"),
    F("PMT", "nnn|nn", fn_pmt, "PMT(rate, nper, pv, [fv], [type])",
      "Payment of a loan with constant payments and rate.",
      "=PMT(0.1,2,-210) -> 121\n=PMT(0,10,1000) -> -100"),
    F("PPMT", "nnnn|nn", fn_ppmt, "PPMT(rate, per, nper, pv, [fv], [type])",
      "Principal part of a payment.", "=PPMT(0.1,2,2,-210) -> 110"),
    F("PRICE", "nnnnnn|n", fn_price,
      "PRICE(settlement, maturity, rate, yld, redemption, frequency, "
      "[basis])",
      "Price per 100 face value of a security paying periodic interest.",
      "=ROUND(PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0),"
      "9) -> 94.634361621"),
    F("PRICEDISC", "nnnn|n", fn_pricedisc,
      "PRICEDISC(settlement, maturity, discount, redemption, [basis])",
      "Price per 100 face value of a discounted security.",
      "=PRICEDISC(DATE(2008,2,16),DATE(2008,3,1),0.0525,100,2) -> "
      "99.7958333333333"),
    F("PRICEMAT", "nnnnn|n", fn_pricemat,
      "PRICEMAT(settlement, maturity, issue, rate, yld, [basis])",
      "Price per 100 face value of a security paying interest at maturity.",
      "=PRICEMAT(DATE(2008,2,15),DATE(2008,4,13),DATE(2007,11,11),0.061,"
      "0.061,0) -> 99.9844988755569"),
    F("PV", "nnn|nn", fn_pv, "PV(rate, nper, pmt, [fv], [type])",
      "Present value of an investment with constant payments.",
      "=PV(0.1,2,-121,0,0) -> 210\n=PV(0.1,1,0,-110) -> 100"),
    F("RATE", "nnn|nnn", fn_rate, "RATE(nper, pmt, pv, [fv], [type], [guess])",
      "Interest rate per period of an annuity (solved numerically).",
      "=ROUND(RATE(2,-121,210),9) -> 0.1"),
    F("RECEIVED", "nnnn|n", fn_received,
      "RECEIVED(settlement, maturity, investment, discount, [basis])",
      "Amount received at maturity for a fully invested security.",
      "=RECEIVED(DATE(2008,2,15),DATE(2008,5,15),1000000,0.0575,2) -> "
      "1014584.6544071"),
    F("RRI", "nnn", fn_rri, "RRI(nper, pv, fv)",
      "Equivalent interest rate for the growth of an investment.",
      "=RRI(2,100,121) -> 0.1"),
    F("SLN", "nnn", fn_sln, "SLN(cost, salvage, life)",
      "Straight-line depreciation for one period.",
      "=SLN(30000,7500,10) -> 2250"),
    F("SYD", "nnnn", fn_syd, "SYD(cost, salvage, life, per)",
      "Sum-of-years' digits depreciation for a period.",
      "=SYD(30000,7500,10,1) -> 4090.90909090909"),
    F("TBILLEQ", "vvv", fn_tbilleq, "TBILLEQ(settlement, maturity, discount)",
      "Bond-equivalent yield of a Treasury bill.",
      "=TBILLEQ(DATE(2008,3,31),DATE(2008,6,1),0.0914) -> 0.094151493565943"),
    F("TBILLPRICE", "vvv", fn_tbillprice,
      "TBILLPRICE(settlement, maturity, discount)",
      "Price per 100 face value of a Treasury bill.",
      "=TBILLPRICE(DATE(2008,3,31),DATE(2008,6,1),0.09) -> 98.45"),
    F("TBILLYIELD", "vvv", fn_tbillyield,
      "TBILLYIELD(settlement, maturity, pr)", "Yield of a Treasury bill.",
      "=TBILLYIELD(DATE(2008,3,31),DATE(2008,6,1),98.45) -> "
      "0.0914169629253428"),
    F("VDB", "nnnnn|nb", fn_vdb,
      "VDB(cost, salvage, life, start_period, end_period, [factor], "
      "[no_switch])",
      "Declining balance depreciation over any span, switching to straight "
      "line.",
      "=VDB(2400,300,10,0,1) -> 480\n=VDB(2400,300,10,0,0.875,1.5) -> 315"),
    F("XIRR", "aa|n", fn_xirr, "XIRR(values, dates, [guess])",
      "Internal rate of return of dated cash flows.",
      "=ROUND(XIRR({-100,110},{43831,44197}),9) -> 0.099713586"),
    F("XNPV", "naa", fn_xnpv, "XNPV(rate, values, dates)",
      "Net present value of dated cash flows.",
      "=XNPV(0.1,{-100,110},{43831,44196}) -> 0"),
    F("YIELD", "nnnnnn|n", fn_yield,
      "YIELD(settlement, maturity, rate, pr, redemption, frequency, [basis])",
      "Yield of a security paying periodic interest (solved numerically).",
      "=ROUND(YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,"
      "0),6) -> 0.065"),
    F("YIELDDISC", "nnnn|n", fn_yielddisc,
      "YIELDDISC(settlement, maturity, pr, redemption, [basis])",
      "Annual yield of a discounted security.",
      "=YIELDDISC(DATE(2008,2,16),DATE(2008,3,1),99.795,100,2) -> "
      "0.0528225719868588"),
    F("YIELDMAT", "nnnnn|n", fn_yieldmat,
      "YIELDMAT(settlement, maturity, issue, rate, pr, [basis])",
      "Annual yield of a security paying interest at maturity.",
      "=YIELDMAT(DATE(2008,3,15),DATE(2008,11,3),DATE(2007,11,8),0.0625,"
      "100.0123,0) -> 0.0609543336915385"),
};
const size_t xc_fns_fin_n = sizeof xc_fns_fin / sizeof *xc_fns_fin;
