/* num.c - exact rational numbers (see exacalc/num.h).
 *
 * Representation: a value whose numerator and denominator both fit in
 * [-INT64_MAX, INT64_MAX] (denominator >= 1) is held inline (x->d > 0);
 * anything larger lives in a heap mpq_t (x->d == 0).  The form is
 * canonical: a value that fits inline is never held in an mpq, so two
 * equal numbers always have the same representation.
 *
 * Small operands take a fast path computed in __int128, which cannot
 * overflow for products of two int64 values; the result is reduced and
 * stored inline when it fits, else promoted to GMP.  Operations on big
 * operands go through GMP temporaries and are normalised back.
 *
 * Doubles (Excel's view): x->d == XC_NUM_DBL holds a finite, nonzero
 * double that is not a small integer, standing for its exact binary
 * value.  Every operation gives the same result as for that value held
 * as a fraction: hot paths convert the double to a fraction (usually
 * inline, a power-of-two denominator) and go on, and view() reads it as
 * an mpq; add, sub and mul of two doubles stay doubles when the double
 * result is exact.  So the form is canonical only among fractions:
 * equality across forms compares values.
 *
 * Limits: every stored value has numerator and denominator of at most
 * XC_NUM_MAX_BITS bits, so operands handed to GMP are bounded; operations
 * whose result size can explode (integer powers, scaling by 10^e, decimal
 * exponents in text) are checked before GMP is called.  GMP therefore
 * never aborts on our account.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exacalc/num.h"

struct xc_bigq {
    mpq_t q;
};

typedef __int128 i128;
typedef unsigned __int128 u128;

/* Most decimal digits a number may have: XC_NUM_MAX_BITS * log10(2). */
#define MAX_DIGITS 30103L
/* A repetend longer than this is cut short in XC_FMT_EXACT. */
#define MAX_REPETEND 60

/* ---- small helpers ------------------------------------------------ */

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static u128 gcd128(u128 a, u128 b)
{
    while (b) {
        u128 t;
        if ((a >> 64) == 0 && (b >> 64) == 0)
            return gcd64((uint64_t)a, (uint64_t)b);
        t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static u128 uabs128(i128 v)
{
    return v < 0 ? -(u128)v : (u128)v;
}

static uint64_t uabs64(int64_t v)
{
    return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

static int bitlen64(uint64_t v)
{
    return v ? 64 - __builtin_clzll(v) : 0;
}

/* 10^k for 0 <= k <= 38 (fits unsigned __int128). */
static u128 pow10_128(int k)
{
    u128 p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

static int is_small(const xc_num *x)
{
    return x->d > 0;
}

static int is_big(const xc_num *x)
{
    return x->d == 0;
}

static int is_dbl(const xc_num *x)
{
    return x->d == XC_NUM_DBL;
}

static mpz_srcptr bnum(const xc_num *x)
{
    return mpq_numref(x->u.big->q);
}

static mpz_srcptr bden(const xc_num *x)
{
    return mpq_denref(x->u.big->q);
}

static void mpz_set_u128(mpz_t z, u128 v)
{
    uint64_t w[2];
    w[0] = (uint64_t)v;
    w[1] = (uint64_t)(v >> 64);
    mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
}

static void free_big(xc_num *x)
{
    if (is_big(x)) {
        mpq_clear(x->u.big->q);
        xc_free(x->u.big);
    }
}

static void put_small(xc_num *r, int64_t n, int64_t d)
{
    free_big(r);
    r->u.n = n;
    r->d = d;
}

static int too_big(mpz_srcptr num, mpz_srcptr den)
{
    return mpz_sizeinbase(num, 2) > XC_NUM_MAX_BITS ||
           mpz_sizeinbase(den, 2) > XC_NUM_MAX_BITS;
}

/* Store the canonical q into r: inline when it fits, else swapped into
 * r's heap mpq (q then holds the old content; the caller clears q).
 * On error r is unchanged. */
static int store_q(xc_num *r, mpq_t q)
{
    mpz_srcptr n = mpq_numref(q), d = mpq_denref(q);
    xc_bigq *b;

    if (mpz_fits_slong_p(n) && mpz_cmp_si(n, LONG_MIN) != 0 &&
        mpz_fits_slong_p(d)) {
        put_small(r, mpz_get_si(n), mpz_get_si(d));
        return XC_OK;
    }
    if (too_big(n, d))
        return XC_ELIMIT;
    if (is_big(r)) {
        mpq_swap(r->u.big->q, q);
        return XC_OK;
    }
    b = xc_malloc(sizeof *b);
    if (!b)
        return XC_ENOMEM;
    mpq_init(b->q);
    mpq_swap(b->q, q);
    r->d = 0;
    r->u.big = b;
    return XC_OK;
}

/* r = n/d for 128-bit n and d > 0, reduced; promoted when needed. */
static int set_i128(xc_num *r, i128 n, u128 d)
{
    u128 an = uabs128(n), g;
    mpq_t q;
    int st;

    if (an == 0) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    g = gcd128(an, d);
    if (g != 1 && (an >> 64) == 0 && (d >> 64) == 0) {
        an = (uint64_t)an / (uint64_t)g; /* no 128-bit division call */
        d = (uint64_t)d / (uint64_t)g;
    } else if (g != 1) {
        an /= g;
        d /= g;
    }
    if (an <= INT64_MAX && d <= INT64_MAX) {
        put_small(r, n < 0 ? -(int64_t)an : (int64_t)an, (int64_t)d);
        return XC_OK;
    }
    mpq_init(q);
    mpz_set_u128(mpq_numref(q), an);
    if (n < 0)
        mpz_neg(mpq_numref(q), mpq_numref(q));
    mpz_set_u128(mpq_denref(q), d);
    st = store_q(r, q);
    mpq_clear(q);
    return st;
}

/* A read-only mpq view of x: the big value itself, or tmp filled from
 * the inline value (tmp must be init'ed by the caller). */
static mpq_srcptr view(const xc_num *x, mpq_t tmp)
{
    if (is_dbl(x)) {
        mpq_set_d(tmp, x->u.f); /* exact for a finite double */
        return tmp;
    }
    if (is_big(x))
        return x->u.big->q;
    mpz_set_si(mpq_numref(tmp), x->u.n);
    mpz_set_si(mpq_denref(tmp), x->d);
    return tmp;
}

/* ---- construction ------------------------------------------------- */

void xc_num_init(xc_num *x)
{
    x->d = 1;
    x->u.n = 0;
}

void xc_num_clear(xc_num *x)
{
    free_big(x);
    xc_num_init(x);
}

int xc_num_set(xc_num *r, const xc_num *x)
{
    mpq_t q;
    int st;

    if (r == x)
        return XC_OK;
    if (!is_big(x)) {
        free_big(r);
        *r = *x; /* inline fraction or double */
        return XC_OK;
    }
    if (is_big(r)) {
        mpq_set(r->u.big->q, x->u.big->q);
        return XC_OK;
    }
    mpq_init(q);
    mpq_set(q, x->u.big->q);
    st = store_q(r, q);
    mpq_clear(q);
    return st;
}

void xc_num_set_int(xc_num *r, int64_t v)
{
    if (v != INT64_MIN) {
        put_small(r, v, 1);
        return;
    }
    if (set_i128(r, v, 1) != XC_OK)
        put_small(r, -INT64_MAX, 1); /* only on out-of-memory */
}

int xc_num_set_frac(xc_num *r, int64_t n, int64_t d)
{
    if (d == 0)
        return XC_EDIVZERO;
    if (d < 0)
        return set_i128(r, -(i128)n, uabs128(d));
    return set_i128(r, n, (u128)d);
}

int xc_num_set_mpq(xc_num *r, mpq_srcptr q)
{
    mpq_t t;
    int st;

    if (too_big(mpq_numref(q), mpq_denref(q)))
        return XC_ELIMIT;
    mpq_init(t);
    mpq_set(t, q);
    st = store_q(r, t);
    mpq_clear(t);
    return st;
}

void xc_num_get_mpq(mpq_t dst, const xc_num *x)
{
    if (is_dbl(x)) {
        mpq_set_d(dst, x->u.f);
    } else if (is_small(x)) {
        mpz_set_si(mpq_numref(dst), x->u.n);
        mpz_set_si(mpq_denref(dst), x->d);
    } else {
        mpq_set(dst, x->u.big->q);
    }
}

int xc_num_set_mpz(xc_num *r, const mpz_t z)
{
    mpq_t t;
    int st;

    if (mpz_sizeinbase(z, 2) > XC_NUM_MAX_BITS)
        return XC_ELIMIT;
    mpq_init(t);
    mpq_set_z(t, z);
    st = store_q(r, t);
    mpq_clear(t);
    return st;
}

/* m * 2^e for an integer m (odd or zero) and any e: exact; refuses
 * results past the size limit before building them. */
static int set_mul_2exp(xc_num *r, mpz_t m, long e)
{
    mpq_t q;
    int st;
    size_t mb = mpz_sizeinbase(m, 2);

    if (mpz_sgn(m) == 0) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    if ((e > 0 && (unsigned long)e + mb > XC_NUM_MAX_BITS) ||
        (e < 0 && (unsigned long)-(e + 1) + 1 > XC_NUM_MAX_BITS))
        return XC_ELIMIT;
    mpq_init(q);
    mpq_set_z(q, m);
    if (e > 0)
        mpq_mul_2exp(q, q, (mp_bitcnt_t)e);
    else if (e < 0)
        mpq_div_2exp(q, q, (mp_bitcnt_t)-e);
    st = store_q(r, q);
    mpq_clear(q);
    return st;
}

/* The exact value of a finite double as a fraction (inline when it
 * fits): how a double-held number reaches the rational code. */
static int set_double_q(xc_num *r, double v)
{
    int e, tz;
    int64_t m;
    mpz_t z;
    int st;

    if (!isfinite(v))
        return XC_EINVAL;
    if (v == 0) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    m = (int64_t)ldexp(frexp(v, &e), 53); /* v = m * 2^(e-53) exactly */
    e -= 53;
    tz = __builtin_ctzll(uabs64(m));
    m >>= tz;
    e += tz;
    if (e >= 0 && e + bitlen64(uabs64(m)) <= 62) {
        put_small(r, m * ((int64_t)1 << e), 1);
        return XC_OK;
    }
    if (e < 0 && -e <= 62) {
        put_small(r, m, (int64_t)1 << -e);
        return XC_OK;
    }
    mpz_init_set_si(z, m);
    st = set_mul_2exp(r, z, e);
    mpz_clear(z);
    return st;
}

/* Largest integer below which every integer is a double: 2^53. */
#define DBL_INT_LIM 9007199254740992.0

int xc_num_set_double(xc_num *r, double v)
{
    if (!isfinite(v))
        return XC_EINVAL;
    if (fabs(v) < DBL_INT_LIM && v == (double)(int64_t)v) {
        put_small(r, (int64_t)v, 1); /* also turns -0 into 0 */
        return XC_OK;
    }
    free_big(r);
    r->d = XC_NUM_DBL;
    r->u.f = v;
    return XC_OK;
}

int xc_num_is_double(const xc_num *x, double *out)
{
    if (is_dbl(x)) {
        *out = x->u.f;
        return 1;
    }
    if (is_small(x) && (x->d & (x->d - 1)) == 0) {
        uint64_t an = uabs64(x->u.n);
        if (an != 0 && (an >> __builtin_ctzll(an)) > ((uint64_t)1 << 53))
            return 0;
        /* exact: n is an odd part of at most 53 bits times 2^k, d = 2^j */
        *out = (double)x->u.n / (double)x->d;
        return 1;
    }
    return 0;
}

/* x held as a double, as the fraction of the same value in *tmp
 * (init'ed by the caller, who clears it): the entry to the rational
 * fast paths.  Returns x itself when it is no double. */
static const xc_num *as_q(const xc_num *x, xc_num *tmp, int *st)
{
    *st = XC_OK;
    if (!is_dbl(x))
        return x;
    *st = set_double_q(tmp, x->u.f);
    return tmp;
}

/* Re-run the calling function (`call`, naming x) with x held as a
 * double replaced by its fraction; used at the top of the operations
 * that have no double path of their own. */
#define VIA_Q(x, call)                                                         \
    do {                                                                       \
        if (is_dbl(x)) {                                                       \
            xc_num q_;                                                         \
            int st_;                                                           \
            const xc_num *orig_ = (x);                                         \
            xc_num_init(&q_);                                                  \
            st_ = set_double_q(&q_, orig_->u.f);                               \
            if (st_ == XC_OK) {                                                \
                (x) = &q_;                                                     \
                st_ = (call);                                                  \
            }                                                                  \
            xc_num_clear(&q_);                                                 \
            return st_;                                                        \
        }                                                                      \
    } while (0)

/* Nearest double to n/d (d > 0), rounding to nearest even, including
 * the subnormal range (where MPFR's own exponent range would otherwise
 * round twice). */
static double q_to_double(mpq_srcptr q)
{
    mpfr_t f;
    long e;
    double v;
    int sgn = mpq_sgn(q);

    if (sgn == 0)
        return 0.0;
    /* Exponent estimate: |q| in [2^(e-1), 2^e) with e from bit lengths,
     * exact up to one; a 64-bit truncated value gives it exactly. */
    mpfr_init2(f, 64);
    mpfr_set_q(f, q, MPFR_RNDZ);
    e = mpfr_get_exp(f);
    if (e > 1024) {
        mpfr_clear(f);
        return sgn * HUGE_VAL;
    }
    if (e >= -1021) {
        mpfr_set_prec(f, 53);
        mpfr_set_q(f, q, MPFR_RNDN);
        v = mpfr_get_d(f, MPFR_RNDN); /* exact or overflow to inf */
    } else if (e <= -1075) {
        v = sgn * 0.0;
    } else if (e == -1074) {
        /* |q| in [2^-1075, 2^-1074): rounds to 2^-1074 unless it is
         * exactly the tie 2^-1075 (compared exactly, not after
         * rounding to 53 bits). */
        mpq_t h;
        mpq_init(h);
        mpq_abs(h, q);
        mpq_mul_2exp(h, h, 1075);
        v = mpq_cmp_ui(h, 1, 1) == 0 ? 0.0 : ldexp(1.0, -1074);
        v *= sgn;
        mpq_clear(h);
    } else {
        mpfr_set_prec(f, (mpfr_prec_t)(e + 1074));
        mpfr_set_q(f, q, MPFR_RNDN);
        v = mpfr_get_d(f, MPFR_RNDN); /* representable as a subnormal */
    }
    mpfr_clear(f);
    return v;
}

double xc_num_to_double(const xc_num *x)
{
    mpq_t t;
    double v;

    if (is_dbl(x))
        return x->u.f;
    if (is_small(x)) {
        uint64_t an = uabs64(x->u.n);
        if (an <= ((uint64_t)1 << 53) && (uint64_t)x->d <= ((uint64_t)1 << 53))
            return (double)x->u.n / (double)x->d; /* one correct rounding */
#if LDBL_MANT_DIG >= 64
        {
            /* n and d are exact in a 64-bit significand and n/d is
             * rounded once to it; rounding that again to 53 bits is
             * correct unless it landed on a midpoint between two doubles
             * (which are representable there), since rounding is
             * monotonic.  |n/d| >= 2^-63: no subnormals. */
            long double q = (long double)x->u.n / (long double)x->d;
            double d1 = (double)q, d2;
            if ((long double)d1 == q)
                return d1;
            d2 = nextafter(d1, q > d1 ? HUGE_VAL : -HUGE_VAL);
            if (q - (long double)d1 != (long double)d2 - q)
                return d1;
        }
#endif
    }
    mpq_init(t);
    v = q_to_double(view(x, t));
    mpq_clear(t);
    return v;
}

int xc_num_set_mpfr(xc_num *r, const mpfr_t f)
{
    mpz_t z;
    mpfr_exp_t e;
    mp_bitcnt_t tz;
    int st;

    if (!mpfr_number_p(f))
        return XC_EINVAL;
    if (mpfr_zero_p(f)) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    /* Reject before building: |f| >= 2^(EXP-1) needs EXP bits. */
    e = mpfr_get_exp(f);
    if (e > XC_NUM_MAX_BITS + 1 || e < -(mpfr_exp_t)XC_NUM_MAX_BITS)
        return XC_ELIMIT;
    mpz_init(z);
    e = mpfr_get_z_2exp(z, f);
    tz = mpz_scan1(z, 0);
    mpz_tdiv_q_2exp(z, z, tz);
    e += (mpfr_exp_t)tz;
    st = set_mul_2exp(r, z, (long)e);
    mpz_clear(z);
    return st;
}

int xc_num_get_mpfr(mpfr_t dst, const xc_num *x, mpfr_rnd_t rnd)
{
    mpq_t t;
    int tern;

    if (is_small(x) && x->d == 1)
        return mpfr_set_si(dst, x->u.n, rnd);
    if (is_dbl(x))
        return mpfr_set_d(dst, x->u.f, rnd);
    mpq_init(t);
    tern = mpfr_set_q(dst, view(x, t), rnd);
    mpq_clear(t);
    return tern;
}

/* ---- queries ------------------------------------------------------ */

int xc_num_sign(const xc_num *x)
{
    if (is_small(x))
        return (x->u.n > 0) - (x->u.n < 0);
    if (is_dbl(x))
        return x->u.f > 0 ? 1 : -1; /* never zero */
    return mpq_sgn(x->u.big->q);
}

int xc_num_is_zero(const xc_num *x)
{
    return is_small(x) && x->u.n == 0;
}

int xc_num_is_int(const xc_num *x)
{
    if (is_small(x))
        return x->d == 1;
    if (is_dbl(x))
        return x->u.f == trunc(x->u.f);
    return mpz_cmp_ui(bden(x), 1) == 0;
}

int xc_num_cmp(const xc_num *a, const xc_num *b)
{
    mpq_t ta, tb;
    int c;

    if (is_small(a) && is_small(b)) {
        i128 l = (i128)a->u.n * b->d, r = (i128)b->u.n * a->d;
        return (l > r) - (l < r);
    }
    if (is_dbl(a) || is_dbl(b)) {
        /* with x a double, x > round(y) implies x > y (rounding is
         * monotonic and leaves x alone); only a tie needs the exact
         * comparison */
        double x = xc_num_to_double(a), y = xc_num_to_double(b);
        if (x != y)
            return x > y ? 1 : -1;
        if (is_dbl(a) && is_dbl(b))
            return 0;
    }
    mpq_init(ta);
    mpq_init(tb);
    c = mpq_cmp(view(a, ta), view(b, tb));
    mpq_clear(ta);
    mpq_clear(tb);
    return (c > 0) - (c < 0);
}

int xc_num_cmp_int(const xc_num *a, int64_t b)
{
    mpq_t t;
    int c;

    if (is_small(a)) {
        i128 r = (i128)b * a->d;
        return ((i128)a->u.n > r) - ((i128)a->u.n < r);
    }
    if (is_dbl(a)) {
        /* b rounded to a double can tie with a only when exact */
        double bd = (double)b;
        if (a->u.f != bd)
            return a->u.f > bd ? 1 : -1;
    }
    mpq_init(t);
    if (is_dbl(a)) {
        mpq_set_d(t, a->u.f);
        c = mpq_cmp_si(t, b, 1);
    } else {
        mpz_set_si(mpq_numref(t), b);
        c = mpq_cmp(a->u.big->q, t);
    }
    mpq_clear(t);
    return (c > 0) - (c < 0);
}

int xc_num_equal(const xc_num *a, const xc_num *b)
{
    if (is_dbl(a) || is_dbl(b)) {
        /* fractions alone are canonical: a double equals a number only
         * when that number is exactly a double too */
        double x, y;
        if (xc_num_is_double(a, &x) && xc_num_is_double(b, &y))
            return x == y;
        return (is_small(a) || is_small(b)) ? 0 /* not a double */
                                            : xc_num_cmp(a, b) == 0;
    }
    if (is_small(a) != is_small(b))
        return 0; /* canonical form */
    if (is_small(a))
        return a->u.n == b->u.n && a->d == b->d;
    return mpq_equal(a->u.big->q, b->u.big->q) != 0;
}

int xc_num_get_int64(const xc_num *x, int64_t *out)
{
    if (!xc_num_is_int(x))
        return XC_EINVAL;
    if (is_small(x)) {
        *out = x->u.n;
        return XC_OK;
    }
    if (is_dbl(x)) {
        if (x->u.f < -0x1p63 || x->u.f >= 0x1p63)
            return XC_ELIMIT;
        *out = (int64_t)x->u.f;
        return XC_OK;
    }
    if (mpz_fits_slong_p(bnum(x))) {
        *out = mpz_get_si(bnum(x)); /* INT64_MIN is held big */
        return XC_OK;
    }
    return XC_ELIMIT;
}

int xc_num_trunc_clamp(const xc_num *x, int64_t lo, int64_t hi, int64_t *out)
{
    int64_t v;
    mpz_t z;

    if (is_small(x)) {
        v = x->u.n / x->d; /* C division truncates toward zero */
    } else if (is_dbl(x)) {
        double t = trunc(x->u.f);
        if (t < -0x1p63 || t >= 0x1p63) {
            v = t < 0 ? INT64_MIN : INT64_MAX;
            *out = v < lo ? lo : hi;
            return 1;
        }
        v = (int64_t)t;
    } else {
        mpz_init(z);
        mpz_tdiv_q(z, bnum(x), bden(x));
        if (mpz_fits_slong_p(z)) {
            v = mpz_get_si(z);
        } else {
            v = mpz_sgn(z) < 0 ? INT64_MIN : INT64_MAX;
            mpz_clear(z);
            *out = v < lo ? lo : hi;
            return 1;
        }
        mpz_clear(z);
    }
    if (v < lo) {
        *out = lo;
        return 1;
    }
    if (v > hi) {
        *out = hi;
        return 1;
    }
    *out = v;
    return 0;
}

size_t xc_num_bits(const xc_num *x)
{
    if (is_small(x))
        return (size_t)bitlen64(uabs64(x->u.n)) +
               (size_t)bitlen64((uint64_t)x->d);
    if (is_dbl(x)) {
        mpq_t t;
        size_t n;
        mpq_init(t);
        mpq_set_d(t, x->u.f);
        n = mpz_sizeinbase(mpq_numref(t), 2) + mpz_sizeinbase(mpq_denref(t), 2);
        mpq_clear(t);
        return n;
    }
    return mpz_sizeinbase(bnum(x), 2) + mpz_sizeinbase(bden(x), 2);
}

/* ---- arithmetic --------------------------------------------------- */

typedef void (*mpq_op)(mpq_ptr, mpq_srcptr, mpq_srcptr);
typedef int (*num_op2)(xc_num *, const xc_num *, const xc_num *);

enum { DOP_ADD, DOP_SUB, DOP_MUL };

/* x op y in doubles when the double result is the exact one: a two-sum
 * error of zero for + and -, an fma residual of zero for * (operands
 * kept within 2^+-400 so that the residual cannot underflow). */
static int exact_dbl(int op, double x, double y, double *out)
{
    double t, bb, err;

    if (op == DOP_MUL) {
        double ax = fabs(x), ay = fabs(y);
        if (ax < 0x1p-400 || ax > 0x1p400 || ay < 0x1p-400 || ay > 0x1p400)
            return 0;
        t = x * y;
        if (fma(x, y, -t) != 0)
            return 0;
        *out = t;
        return 1;
    }
    if (op == DOP_SUB)
        y = -y;
    t = x + y;
    if (!isfinite(t))
        return 0;
    bb = t - x;
    err = (x - (t - bb)) + (y - bb);
    if (err != 0)
        return 0;
    *out = t;
    return 1;
}

/* r = fn(a, b) when an operand is held as a double: the double result
 * when it is exact, else fn on the operands as fractions. */
static int dbl_op(xc_num *r, const xc_num *a, const xc_num *b, num_op2 fn,
                  int op)
{
    xc_num ta, tb;
    const xc_num *qa, *qb;
    double x, y, t;
    int st, st2;

    if (op >= 0 && xc_num_is_double(a, &x) && xc_num_is_double(b, &y) &&
        exact_dbl(op, x, y, &t))
        return xc_num_set_double(r, t);
    xc_num_init(&ta);
    xc_num_init(&tb);
    qa = as_q(a, &ta, &st);
    qb = as_q(b, &tb, &st2);
    if (st == XC_OK)
        st = st2;
    if (st == XC_OK)
        st = fn(r, qa, qb);
    xc_num_clear(&ta);
    xc_num_clear(&tb);
    return st;
}

/* The general path: r = op(a, b) through GMP, size-checked on store. */
static int big_op(xc_num *r, const xc_num *a, const xc_num *b, mpq_op op)
{
    mpq_t ta, tb, q;
    int st;

    mpq_init(ta);
    mpq_init(tb);
    mpq_init(q);
    op(q, view(a, ta), view(b, tb));
    st = store_q(r, q);
    mpq_clear(q);
    mpq_clear(ta);
    mpq_clear(tb);
    return st;
}

int xc_num_add(xc_num *r, const xc_num *a, const xc_num *b)
{
    if (is_small(a) && is_small(b)) {
        if (a->d == 1 && b->d == 1)
            return set_i128(r, (i128)a->u.n + b->u.n, 1);
        if (a->d == b->d)
            return set_i128(r, (i128)a->u.n + b->u.n, (u128)a->d);
        return set_i128(r, (i128)a->u.n * b->d + (i128)b->u.n * a->d,
                        (u128)a->d * (u128)b->d);
    }
    if (is_dbl(a) || is_dbl(b))
        return dbl_op(r, a, b, xc_num_add, DOP_ADD);
    return big_op(r, a, b, mpq_add);
}

int xc_num_sub(xc_num *r, const xc_num *a, const xc_num *b)
{
    if (is_small(a) && is_small(b)) {
        if (a->d == 1 && b->d == 1)
            return set_i128(r, (i128)a->u.n - b->u.n, 1);
        if (a->d == b->d)
            return set_i128(r, (i128)a->u.n - b->u.n, (u128)a->d);
        return set_i128(r, (i128)a->u.n * b->d - (i128)b->u.n * a->d,
                        (u128)a->d * (u128)b->d);
    }
    if (is_dbl(a) || is_dbl(b))
        return dbl_op(r, a, b, xc_num_sub, DOP_SUB);
    return big_op(r, a, b, mpq_sub);
}

/* r = (an/ad) * (bn/bd) for small, canonical operands: cross-reduce so
 * the product is already in lowest terms. */
static int mul_small(xc_num *r, int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
    uint64_t g1, g2;

    if (an == 0 || bn == 0) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    g1 = gcd64(uabs64(an), (uint64_t)bd);
    g2 = gcd64(uabs64(bn), (uint64_t)ad);
    an /= (int64_t)g1;
    bd /= (int64_t)g1;
    bn /= (int64_t)g2;
    ad /= (int64_t)g2;
    return set_i128(r, (i128)an * bn, (u128)ad * (u128)bd);
}

int xc_num_mul(xc_num *r, const xc_num *a, const xc_num *b)
{
    if (is_small(a) && is_small(b))
        return mul_small(r, a->u.n, a->d, b->u.n, b->d);
    if (xc_num_is_zero(a) || xc_num_is_zero(b)) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    if (is_dbl(a) || is_dbl(b))
        return dbl_op(r, a, b, xc_num_mul, DOP_MUL);
    return big_op(r, a, b, mpq_mul);
}

int xc_num_div(xc_num *r, const xc_num *a, const xc_num *b)
{
    if (xc_num_is_zero(b))
        return XC_EDIVZERO;
    if (is_small(a) && is_small(b)) {
        /* b = bn/bd with |bn| <= INT64_MAX: 1/b = bd/bn, sign moved up */
        if (b->u.n < 0)
            return mul_small(r, -a->u.n, a->d, b->d, -b->u.n);
        return mul_small(r, a->u.n, a->d, b->d, b->u.n);
    }
    if (is_dbl(a) || is_dbl(b))
        return dbl_op(r, a, b, xc_num_div, -1);
    return big_op(r, a, b, mpq_div);
}

int xc_num_neg(xc_num *r, const xc_num *a)
{
    int st;

    if (is_small(a)) {
        put_small(r, -a->u.n, a->d);
        return XC_OK;
    }
    if (is_dbl(a)) {
        double f = -a->u.f;
        free_big(r);
        r->d = XC_NUM_DBL;
        r->u.f = f;
        return XC_OK;
    }
    st = xc_num_set(r, a);
    if (st == XC_OK)
        mpq_neg(r->u.big->q, r->u.big->q);
    return st;
}

int xc_num_abs(xc_num *r, const xc_num *a)
{
    return xc_num_sign(a) < 0 ? xc_num_neg(r, a) : xc_num_set(r, a);
}

int xc_num_inv(xc_num *r, const xc_num *a)
{
    int st;

    if (xc_num_is_zero(a))
        return XC_EDIVZERO;
    if (is_small(a)) {
        if (a->u.n < 0)
            put_small(r, -a->d, -a->u.n);
        else
            put_small(r, a->d, a->u.n);
        return XC_OK;
    }
    if (is_dbl(a)) {
        xc_num t;
        xc_num_init(&t);
        if ((st = set_double_q(&t, a->u.f)) == XC_OK)
            st = xc_num_inv(r, &t);
        xc_num_clear(&t);
        return st;
    }
    st = xc_num_set(r, a);
    if (st == XC_OK) {
        mpq_t q;
        mpq_init(q);
        mpq_inv(q, r->u.big->q);
        st = store_q(r, q); /* 1/x of a big x may fit inline */
        mpq_clear(q);
    }
    return st;
}

/* Integer power of small int64 parts with overflow detection. */
static int pow_small(int64_t b, uint64_t e, int64_t *out)
{
    int64_t acc = 1;

    while (e) {
        if (e & 1) {
            if (__builtin_mul_overflow(acc, b, &acc))
                return 0;
        }
        e >>= 1;
        if (e && __builtin_mul_overflow(b, b, &b))
            return 0;
    }
    *out = acc;
    return acc != INT64_MIN;
}

int xc_num_pow_int(xc_num *r, const xc_num *a, int64_t e)
{
    uint64_t ue = uabs64(e);
    mpq_t t, q;
    mpq_srcptr v;
    size_t bn, bd, bmax;
    int st;

    VIA_Q(a, xc_num_pow_int(r, a, e));
    if (e == 0) {
        put_small(r, 1, 1);
        return XC_OK;
    }
    if (xc_num_is_zero(a)) {
        if (e < 0)
            return XC_EDIVZERO;
        put_small(r, 0, 1);
        return XC_OK;
    }
    if (is_small(a)) {
        int64_t n = a->u.n, d = a->d, pn, pd;
        if (e < 0) {
            n = a->u.n < 0 ? -a->d : a->d;
            d = a->u.n < 0 ? -a->u.n : a->u.n;
        }
        if (pow_small(n, ue, &pn) && pow_small(d, ue, &pd)) {
            put_small(r, pn, pd); /* powers of coprime parts stay coprime */
            return XC_OK;
        }
    }
    /* Size check before GMP: |m|^ue has at least (bits(m)-1)*ue + 1
     * bits; refuse when that already passes the limit. */
    mpq_init(t);
    v = view(a, t);
    bn = mpz_sizeinbase(mpq_numref(v), 2);
    bd = mpz_sizeinbase(mpq_denref(v), 2);
    bmax = bn > bd ? bn : bd;
    if (bmax > 1 && (ue > XC_NUM_MAX_BITS ||
                     (bmax - 1) * (size_t)ue + 1 > XC_NUM_MAX_BITS)) {
        mpq_clear(t);
        return XC_ELIMIT;
    }
    if (ue > ULONG_MAX) /* |a| == 1 here */
        ue = 2 + (ue & 1);
    mpq_init(q);
    mpz_pow_ui(mpq_numref(q), mpq_numref(v), (unsigned long)ue);
    mpz_pow_ui(mpq_denref(q), mpq_denref(v), (unsigned long)ue);
    if (e < 0)
        mpq_inv(q, q);
    st = store_q(r, q);
    mpq_clear(q);
    mpq_clear(t);
    return st;
}

int xc_num_mod(xc_num *r, const xc_num *a, const xc_num *b)
{
    mpq_t ta, tb;
    mpz_t n, m, d;
    mpq_srcptr va, vb;
    mpq_t q;
    int st;

    if (xc_num_is_zero(b))
        return XC_EDIVZERO;
    if (is_dbl(a) || is_dbl(b))
        return dbl_op(r, a, b, xc_num_mod, -1);
    if (is_small(a) && is_small(b)) {
        /* a mod b = (an*bd mod bn*ad) / (ad*bd), remainder signed as b */
        i128 N = (i128)a->u.n * b->d, M = (i128)b->u.n * a->d, R;
        R = N % M;
        if (R != 0 && ((R < 0) != (M < 0)))
            R += M;
        return set_i128(r, R, (u128)a->d * (u128)b->d);
    }
    mpq_init(ta);
    mpq_init(tb);
    va = view(a, ta);
    vb = view(b, tb);
    mpz_init(n);
    mpz_init(m);
    mpz_init(d);
    mpz_mul(n, mpq_numref(va), mpq_denref(vb));
    mpz_mul(m, mpq_numref(vb), mpq_denref(va));
    mpz_mul(d, mpq_denref(va), mpq_denref(vb));
    mpq_init(q);
    mpz_fdiv_r(mpq_numref(q), n, m); /* sign of m, i.e. of b */
    mpz_set(mpq_denref(q), d);
    mpq_canonicalize(q);
    st = store_q(r, q);
    mpq_clear(q);
    mpz_clear(n);
    mpz_clear(m);
    mpz_clear(d);
    mpq_clear(ta);
    mpq_clear(tb);
    return st;
}

int xc_num_scale10(xc_num *r, const xc_num *a, int e)
{
    mpq_t t, q;
    mpz_t p;
    int st;

    if (e == 0 || xc_num_is_zero(a))
        return xc_num_set(r, a);
    VIA_Q(a, xc_num_scale10(r, a, e));
    if (is_small(a) && e >= -18 && e <= 18) {
        if (e > 0)
            return set_i128(r, (i128)a->u.n * (i128)pow10_128(e), (u128)a->d);
        return set_i128(r, a->u.n, (u128)a->d * pow10_128(-e));
    }
    /* 5^|e| alone has 2.32*|e| bits, of which at most XC_NUM_MAX_BITS
     * can cancel against a's other part. */
    if (e > XC_NUM_MAX_BITS || e < -XC_NUM_MAX_BITS)
        return XC_ELIMIT;
    mpq_init(t);
    mpq_init(q);
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)(e < 0 ? -e : e));
    mpq_set(q, view(a, t));
    if (e > 0)
        mpz_mul(mpq_numref(q), mpq_numref(q), p);
    else
        mpz_mul(mpq_denref(q), mpq_denref(q), p);
    mpq_canonicalize(q);
    st = store_q(r, q);
    mpz_clear(p);
    mpq_clear(q);
    mpq_clear(t);
    return st;
}

/* ---- rounding ----------------------------------------------------- */

/* Decide whether to step a floor quotient up by one: the fraction
 * dropped is rem/den (0 <= rem < den); neg says the value is negative. */
static int step_up(int cmp_half, int rem_zero, int neg, int q_odd,
                   xc_round_mode mode)
{
    if (rem_zero)
        return 0;
    switch (mode) {
    case XC_ROUND_FLOOR:
        return 0;
    case XC_ROUND_CEIL:
        return 1;
    case XC_ROUND_DOWN:
        return neg;
    case XC_ROUND_UP:
        return !neg;
    case XC_ROUND_HALF_UP:
        return cmp_half > 0 || (cmp_half == 0 && !neg);
    case XC_ROUND_HALF_EVEN:
        return cmp_half > 0 || (cmp_half == 0 && q_odd);
    }
    return 0;
}

/* Round N/D (D > 0) to an integer in 128 bits. */
static i128 round128(i128 N, u128 D, xc_round_mode mode)
{
    i128 q = N / (i128)D, rem = N % (i128)D;
    u128 r2;
    int c;

    if (rem < 0) { /* make it a floor division */
        q -= 1;
        rem += (i128)D;
    }
    r2 = (u128)rem * 2;
    c = r2 > D ? 1 : r2 < D ? -1 : 0;
    if (step_up(c, rem == 0, N < 0, (int)(q & 1), mode))
        q += 1;
    return q;
}

/* q = round(n/d) (d > 0) to an integer with mode, via GMP; returns 1
 * when the division was exact. */
static int round_mpz(mpz_t q, mpz_srcptr n, mpz_srcptr d, xc_round_mode mode)
{
    mpz_t rem;
    int c, exact;

    mpz_init(rem);
    mpz_fdiv_qr(q, rem, n, d);
    exact = mpz_sgn(rem) == 0;
    mpz_mul_2exp(rem, rem, 1);
    c = mpz_cmp(rem, d);
    if (step_up((c > 0) - (c < 0), exact, mpz_sgn(n) < 0, mpz_odd_p(q), mode))
        mpz_add_ui(q, q, 1);
    mpz_clear(rem);
    return exact;
}

/* 1 when x = n/d terminates within `places` decimal places. */
static int terminates_within(mpz_srcptr den, long places)
{
    mpz_t t;
    mp_bitcnt_t twos;
    long fives = 0;
    int ok;

    mpz_init_set(t, den);
    twos = mpz_scan1(t, 0);
    mpz_tdiv_q_2exp(t, t, twos);
    while (mpz_divisible_ui_p(t, 5) && fives <= places) {
        mpz_divexact_ui(t, t, 5);
        fives++;
    }
    ok = mpz_cmp_ui(t, 1) == 0 && (long)twos <= places && fives <= places;
    mpz_clear(t);
    return ok;
}

int xc_num_round(xc_num *r, const xc_num *x, int digits, xc_round_mode mode)
{
    mpq_t t, q;
    mpq_srcptr v;
    mpz_t n, d, p;
    int st;

    VIA_Q(x, xc_num_round(r, x, digits, mode));
    if (is_small(x) && x->d == 1 && digits >= 0)
        return xc_num_set(r, x);
    if (is_small(x) && digits >= -18 && digits <= 18) {
        if (digits >= 0) {
            u128 p10 = pow10_128(digits);
            i128 Q = round128((i128)x->u.n * (i128)p10, (u128)x->d, mode);
            return set_i128(r, Q, p10);
        } else {
            u128 p10 = pow10_128(-digits);
            i128 Q = round128(x->u.n, (u128)x->d * p10, mode);
            return set_i128(r, Q * (i128)p10, 1);
        }
    }
    mpq_init(t);
    v = view(x, t);
    if (digits > 0 && digits > MAX_DIGITS + XC_NUM_MAX_EXP10) {
        /* A value with a longer expansion than the limits allow. */
        st = terminates_within(mpq_denref(v), digits) ? xc_num_set(r, x)
                                                      : XC_ELIMIT;
        mpq_clear(t);
        return st;
    }
    if (digits < 0 && -(long)digits > MAX_DIGITS + 1) {
        /* |x| < 10^MAX_DIGITS <= unit/10: the result is 0 or +-unit */
        int sg = mpq_sgn(v);
        mpq_clear(t);
        if (sg == 0 || mode == XC_ROUND_DOWN || mode == XC_ROUND_HALF_UP ||
            mode == XC_ROUND_HALF_EVEN || (mode == XC_ROUND_FLOOR && sg > 0) ||
            (mode == XC_ROUND_CEIL && sg < 0)) {
            put_small(r, 0, 1);
            return XC_OK;
        }
        return XC_ELIMIT;
    }
    mpz_init(n);
    mpz_init(d);
    mpz_init(p);
    mpq_init(q);
    mpz_ui_pow_ui(p, 10, (unsigned long)(digits < 0 ? -(long)digits : digits));
    if (digits >= 0) {
        mpz_mul(n, mpq_numref(v), p);
        mpz_set(d, mpq_denref(v));
        round_mpz(mpq_numref(q), n, d, mode);
        mpz_set(mpq_denref(q), p);
        mpq_canonicalize(q);
    } else {
        mpz_mul(d, mpq_denref(v), p);
        round_mpz(mpq_numref(q), mpq_numref(v), d, mode);
        mpz_mul(mpq_numref(q), mpq_numref(q), p);
    }
    st = store_q(r, q);
    mpq_clear(q);
    mpz_clear(n);
    mpz_clear(d);
    mpz_clear(p);
    mpq_clear(t);
    return st;
}

int xc_num_round_multiple(xc_num *r, const xc_num *x, const xc_num *m,
                          xc_round_mode mode)
{
    xc_num q;
    int st;

    if (xc_num_is_zero(m))
        return XC_EDIVZERO;
    xc_num_init(&q);
    st = xc_num_div(&q, x, m);
    if (st == XC_OK)
        st = xc_num_round(&q, &q, 0, mode);
    if (st == XC_OK)
        st = xc_num_mul(r, &q, m);
    xc_num_clear(&q);
    return st;
}

long xc_num_exp10(const xc_num *x)
{
    mpq_t t;
    mpq_srcptr v;
    mpz_t a, b;
    long e;

    if (xc_num_is_zero(x))
        return 0;
    if (is_small(x)) {
        u128 an = uabs64(x->u.n), d = (u128)x->d;
        e = 0;
        /* |x| < 2^63 and |x| > 2^-63: e in [-19, 18] */
        if (an >= d) {
            while (an >= d * pow10_128((int)e + 1))
                e++;
        } else {
            while (an * pow10_128((int)-e) < d)
                e--;
        }
        return e;
    }
    mpq_init(t);
    v = view(x, t);
    mpz_init(a);
    mpz_init(b);
    mpz_abs(a, mpq_numref(v));
    e = (long)floor(((double)mpz_sizeinbase(a, 2) -
                     (double)mpz_sizeinbase(mpq_denref(v), 2)) *
                    0.30102999566398120);
    /* e is within one or two of the answer; fix it exactly. */
    for (;;) {
        int c;
        /* compare |x| with 10^e */
        mpz_ui_pow_ui(b, 10, (unsigned long)(e < 0 ? -e : e));
        if (e >= 0) {
            mpz_mul(b, b, mpq_denref(v));
            c = mpz_cmp(a, b);
        } else {
            mpz_mul(b, b, a);
            c = mpz_cmp(b, mpq_denref(v));
        }
        if (c < 0) {
            e--;
            continue;
        }
        /* compare |x| with 10^(e+1) */
        mpz_ui_pow_ui(b, 10, (unsigned long)(e + 1 < 0 ? -(e + 1) : e + 1));
        if (e + 1 >= 0) {
            mpz_mul(b, b, mpq_denref(v));
            c = mpz_cmp(a, b);
        } else {
            mpz_mul(b, b, a);
            c = mpz_cmp(b, mpq_denref(v));
        }
        if (c >= 0) {
            e++;
            continue;
        }
        break;
    }
    mpz_clear(a);
    mpz_clear(b);
    mpq_clear(t);
    return e;
}

int xc_num_round_sig(xc_num *r, const xc_num *x, int sig, xc_round_mode mode)
{
    long e, digits;

    if (sig < 1)
        return XC_EINVAL;
    if (xc_num_is_zero(x))
        return xc_num_set(r, x);
    VIA_Q(x, xc_num_round_sig(r, x, sig, mode));
    e = xc_num_exp10(x);
    digits = (long)sig - 1 - e;
    if (digits > INT_MAX || digits < INT_MIN)
        return XC_ELIMIT;
    return xc_num_round(r, x, (int)digits, mode);
}

/* ---- parsing ------------------------------------------------------ */

/* Parse the text's syntax only.  On success *len is the length of the
 * number; the significant digits are the digits between first and last
 * (indexes into s, skipping any '.'), and the value is
 *     digits * 10^scale,  with 10^exp10 <= |value| < 10^(exp10+1). */
typedef struct scan {
    size_t len;
    int neg;
    int zero;
    size_t first, last; /* positions in s of the first/last nonzero digit */
    long ndig;          /* significant digits, first..last */
    long scale;
    long exp10;
} scan;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int scan_number(const char *s, size_t n, scan *sc)
{
    size_t i = 0, int_start, int_end, frac_start = 0, frac_end = 0;
    size_t k;
    long ndig_int = 0, expv = 0, pos, first_pos = 0, last_pos = 0;
    int have_first = 0;

    memset(sc, 0, sizeof *sc);
    if (i < n && (s[i] == '+' || s[i] == '-'))
        sc->neg = s[i++] == '-';
    int_start = i;
    while (i < n && is_digit(s[i]))
        i++;
    int_end = i;
    if (i < n && s[i] == '.') {
        frac_start = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        frac_end = i;
    }
    if (int_end == int_start && frac_end == frac_start)
        return XC_EPARSE;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        int eneg = 0;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            eneg = s[j++] == '-';
        if (j < n && is_digit(s[j])) {
            while (j < n && is_digit(s[j])) {
                if (expv < 1000000000L)
                    expv = expv * 10 + (s[j] - '0');
                j++;
            }
            if (eneg)
                expv = -expv;
            i = j;
        }
    }
    sc->len = i;
    /* Digit positions: integer digits 0..ndig_int-1, then fraction. */
    ndig_int = (long)(int_end - int_start);
    pos = 0;
    for (k = int_start; k < int_end; k++, pos++) {
        if (s[k] != '0') {
            if (!have_first) {
                have_first = 1;
                first_pos = pos;
                sc->first = k;
            }
            last_pos = pos;
            sc->last = k;
        }
    }
    for (k = frac_start; k < frac_end; k++, pos++) {
        if (s[k] != '0') {
            if (!have_first) {
                have_first = 1;
                first_pos = pos;
                sc->first = k;
            }
            last_pos = pos;
            sc->last = k;
        }
    }
    if (!have_first) {
        sc->zero = 1;
        return XC_OK;
    }
    sc->ndig = last_pos - first_pos + 1;
    sc->scale = ndig_int - 1 - last_pos + expv;
    sc->exp10 = ndig_int - 1 - first_pos + expv;
    return XC_OK;
}

/* Build the exact value of a scanned number. */
static int build_exact(xc_num *r, const char *s, const scan *sc)
{
    char *dig;
    size_t k, m = 0;
    mpq_t q;
    mpz_t p;
    int st;

    if (sc->zero) {
        put_small(r, 0, 1);
        return XC_OK;
    }
    if (sc->exp10 > XC_NUM_MAX_EXP10 || sc->exp10 < -XC_NUM_MAX_EXP10 ||
        sc->ndig > MAX_DIGITS)
        return XC_ELIMIT;
    if (sc->ndig <= 18 && sc->scale >= -38 && sc->scale <= 18) {
        int64_t D = 0;
        for (k = sc->first; k <= sc->last; k++)
            if (s[k] != '.')
                D = D * 10 + (s[k] - '0');
        if (sc->neg)
            D = -D;
        if (sc->scale >= 0)
            return set_i128(r, (i128)D * (i128)pow10_128((int)sc->scale), 1);
        return set_i128(r, D, pow10_128((int)-sc->scale));
    }
    dig = xc_malloc((size_t)sc->ndig + 2);
    if (!dig)
        return XC_ENOMEM;
    if (sc->neg)
        dig[m++] = '-';
    for (k = sc->first; k <= sc->last; k++)
        if (s[k] != '.')
            dig[m++] = s[k];
    dig[m] = '\0';
    mpq_init(q);
    mpz_init(p);
    mpz_set_str(mpq_numref(q), dig, 10);
    xc_free(dig);
    mpz_ui_pow_ui(p, 10,
                  (unsigned long)(sc->scale < 0 ? -sc->scale : sc->scale));
    if (sc->scale >= 0)
        mpz_mul(mpq_numref(q), mpq_numref(q), p);
    else
        mpz_set(mpq_denref(q), p);
    mpq_canonicalize(q);
    st = store_q(r, q);
    mpz_clear(p);
    mpq_clear(q);
    return st;
}

/* The correctly rounded double of a scanned number.  Up to 40 digits:
 * write "DIGITSeSCALE" (no decimal point, so no locale can change how
 * strtod reads it) and let glibc's strtod round; longer text goes
 * through the exact value and MPFR. */
static double scan_to_double(const char *s, const scan *sc)
{
    char tmp[64];
    size_t k, m = 0;

    if (sc->ndig > 40) {
        xc_num x;
        double d = NAN;
        xc_num_init(&x);
        if (build_exact(&x, s, sc) == XC_OK)
            d = xc_num_to_double(&x);
        xc_num_clear(&x);
        return d;
    }
    for (k = sc->first; k <= sc->last; k++)
        if (s[k] != '.')
            tmp[m++] = s[k];
    snprintf(tmp + m, sizeof tmp - m, "e%ld", sc->scale);
    return strtod(tmp, NULL);
}

/* The XLSX.md section 5 rule for text with more than 15 significant
 * digits: r gets t = the 15-digit rounding of the double the text
 * denotes, when t reads back as that same double.  Returns 1 when it
 * applied (r set), 0 when the caller should keep the exact text. */
static int recover15(xc_num *r, const char *s, const scan *sc)
{
    char tmp[64], dig[40];
    double d, back;
    int i, m = 0, e10;
    const char *ep;
    scan t;

    d = scan_to_double(s, sc);
    if (!isfinite(d) || d == 0)
        return 0;
    /* %.14e rounds the exact binary value half-even: 15 digits. */
    snprintf(tmp, sizeof tmp, "%.14e", d);
    for (i = 0; tmp[i] && tmp[i] != 'e'; i++)
        if (is_digit(tmp[i]) && m < 15)
            dig[m++] = tmp[i];
    if (tmp[i] != 'e' || m != 15)
        return 0;
    e10 = atoi(tmp + i + 1);
    /* t = dig * 10^(e10 - 14) */
    snprintf(dig + m, sizeof dig - (size_t)m, "e%d", e10 - 14);
    back = strtod(dig, NULL);
    if (back != fabs(d))
        return 0;
    if (sc->neg) {
        memmove(dig + 1, dig, strlen(dig) + 1);
        dig[0] = '-';
    }
    ep = dig;
    if (scan_number(ep, strlen(ep), &t) != XC_OK || t.len != strlen(ep))
        return 0;
    return build_exact(r, ep, &t) == XC_OK;
}

int xc_num_parse(xc_num *r, const char *s, size_t n, unsigned flags,
                 size_t *used)
{
    scan sc;
    int st;

    if (scan_number(s, n, &sc) != XC_OK)
        return XC_EPARSE;
    if (!(flags & XC_PARSE_PREFIX) && sc.len != n)
        return XC_EPARSE;
    if ((flags & XC_PARSE_RECOVER15) && !sc.zero && sc.ndig > 15 &&
        sc.exp10 <= 400 && sc.exp10 >= -400 && recover15(r, s, &sc)) {
        st = XC_OK;
    } else {
        st = build_exact(r, s, &sc);
    }
    if (st == XC_OK && used)
        *used = sc.len;
    return st;
}

/* ---- formatting --------------------------------------------------- */

/* 10^k for 0 <= k <= 19 (fits uint64_t). */
static const uint64_t pow10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

/* "00" "01" ... "99": two decimal digits per division. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536"
    "37383940414243444546474849505152535455565758596061626364656667686970717273"
    "7475767778798081828384858687888990919293949596979899";

/* The decimal digits of v written backwards from end (exclusive), at
 * least `width` of them (leading zeros); returns where they start. */
static char *u64_digits(char *end, uint64_t v, int width)
{
    char *p = end;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    while (end - p < width)
        *--p = '0';
    return p;
}

/* Decimal digits of |x| rounded to `sig` significant digits (mode), as
 * a NUL-terminated string in *dig (sig characters, owned by the caller,
 * xc_free) with 10^e <= rounded |x| < 10^(e+1).  *exact is 1 when no
 * rounding happened.  x != 0. */
static int sig_digits(const xc_num *x, long sig, xc_round_mode mode, char **dig,
                      long *e, int *exact)
{
    long e0 = xc_num_exp10(x), k = sig - 1 - e0;
    char *out;

    if (is_small(x) && sig <= 19 && k <= 18 && k >= -19) {
        u128 an = uabs64(x->u.n), d = (u128)x->d, N, D, Q, rem, lim;
        int c;
        if (k >= 0) {
            N = an * pow10_128((int)k);
            D = d;
        } else {
            N = an;
            D = d * pow10_128((int)-k);
        }
        Q = N / D;
        rem = N % D;
        c = rem * 2 > D ? 1 : rem * 2 < D ? -1 : 0;
        if (step_up(c, rem == 0, 0, (int)(Q & 1), mode))
            Q++;
        *exact = rem == 0;
        lim = pow10_128((int)sig);
        if (Q >= lim) {
            Q /= 10;
            e0++;
        }
        out = xc_malloc((size_t)sig + 1);
        if (!out)
            return XC_ENOMEM;
        /* Q < 10^sig <= 10^19: its sig digits with leading zeros, as
         * "%0*llu" would give them */
        u64_digits(out + sig, (uint64_t)Q, (int)sig);
        out[sig] = '\0';
        *dig = out;
        *e = e0;
        return XC_OK;
    } else {
        mpq_t t;
        mpq_srcptr v;
        mpz_t N, D, Q, p;
        size_t len;

        if (k > 4 * MAX_DIGITS || k < -4 * MAX_DIGITS)
            return XC_ELIMIT;
        mpq_init(t);
        v = view(x, t);
        mpz_init(N);
        mpz_init(D);
        mpz_init(Q);
        mpz_init(p);
        mpz_abs(N, mpq_numref(v));
        mpz_set(D, mpq_denref(v));
        mpz_ui_pow_ui(p, 10, (unsigned long)(k < 0 ? -k : k));
        if (k >= 0)
            mpz_mul(N, N, p);
        else
            mpz_mul(D, D, p);
        *exact = round_mpz(Q, N, D, mode);
        mpz_ui_pow_ui(p, 10, (unsigned long)sig);
        if (mpz_cmp(Q, p) >= 0) {
            mpz_tdiv_q_ui(Q, Q, 10);
            e0++;
        }
        len = mpz_sizeinbase(Q, 10);
        out = xc_malloc(len + 2);
        if (out)
            mpz_get_str(out, 10, Q);
        mpz_clear(N);
        mpz_clear(D);
        mpz_clear(Q);
        mpz_clear(p);
        mpq_clear(t);
        if (!out)
            return XC_ENOMEM;
        *dig = out;
        *e = e0;
        return XC_OK;
    }
}

/* Number of significant digits once trailing zeros are dropped. */
static size_t strip_zeros(const char *dig)
{
    size_t n = strlen(dig);
    while (n > 1 && dig[n - 1] == '0')
        n--;
    return n;
}

/* Append d1.d2d3... x 10^e in plain notation. */
static int put_plain(xc_buf *out, int neg, const char *dig, size_t nd, long e)
{
    /* sign, digits, point and the zeros between them: reserved once,
     * written in place (a file of 100,000 new values calls this for
     * each) */
    size_t ze = e >= 0 ? ((size_t)e + 1 > nd ? (size_t)e + 1 - nd : 0)
                       : (size_t)(-e - 1);
    if (xc_buf_reserve(out, nd + ze + 3) != XC_OK)
        return XC_ENOMEM;
    char *p = out->p + out->len;
    if (neg)
        *p++ = '-';
    if (e >= 0) {
        size_t ni = (size_t)e + 1;
        size_t k = nd < ni ? nd : ni;
        memcpy(p, dig, k);
        p += k;
        memset(p, '0', ze);
        p += ze;
        if (nd > ni) {
            *p++ = '.';
            memcpy(p, dig + ni, nd - ni);
            p += nd - ni;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        memset(p, '0', ze);
        p += ze;
        memcpy(p, dig, nd);
        p += nd;
    }
    out->len = (size_t)(p - out->p);
    out->p[out->len] = '\0';
    return XC_OK;
}

/* Append d1[.d2...]E+-xx with at least `minexp` exponent digits. */
static int put_sci(xc_buf *out, int neg, const char *dig, size_t nd, long e,
                   int minexp)
{
    xc_buf b;
    int st = XC_OK;

    xc_buf_init(&b);
    if (neg)
        st |= xc_buf_putc(&b, '-');
    st |= xc_buf_putc(&b, dig[0]);
    if (nd > 1) {
        st |= xc_buf_putc(&b, '.');
        st |= xc_buf_put(&b, dig + 1, nd - 1);
    }
    st |= xc_buf_printf(&b, "E%c%0*ld", e < 0 ? '-' : '+', minexp,
                        e < 0 ? -e : e);
    if (st == XC_OK)
        st = xc_buf_put(out, b.p, b.len);
    xc_buf_clear(&b);
    return st ? XC_ENOMEM : XC_OK;
}

/* Integers in int64 print directly: the same text as "%lld". */
static int put_int64(xc_buf *out, int64_t v)
{
    char t[24];
    char *p = u64_digits(t + sizeof t, uabs64(v), 1);
    if (v < 0)
        *--p = '-';
    return xc_buf_put(out, p, (size_t)(t + sizeof t - p));
}

/* Decimal text of an unsigned 128-bit integer into buf (>= 40 bytes). */
static void u128_str(char *buf, u128 v)
{
    char t[40];
    int n = 0, i;
    uint64_t w;

    while (v > UINT64_MAX) {
        t[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    }
    w = (uint64_t)v; /* the rest in 64-bit arithmetic, much cheaper */
    do {
        t[n++] = (char)('0' + (int)(w % 10));
        w /= 10;
    } while (w);
    for (i = 0; i < n; i++)
        buf[i] = t[n - 1 - i];
    buf[n] = '\0';
}

/* The number of decimal places of 1/d for d = 2^a 5^b, max(a, b), when
 * it is at most 19; -1 for any other denominator. */
static int dec_places(uint64_t d)
{
    int tw = __builtin_ctzll(d), fv = 0;
    d >>= tw;
    while (d % 5 == 0) {
        d /= 5;
        fv++;
    }
    int k = tw > fv ? tw : fv;
    return d == 1 && k <= 19 ? k : -1;
}

/* The fast path of the formats: for an inline x whose decimal expansion
 * ends within 19 places, its digits without trailing zeros into buf
 * (>= 48 bytes) and its decimal exponent into *e; returns the number of
 * digits, or 0 when x is zero or does not qualify. */
static size_t small_digits(const xc_num *x, char *buf, long *e)
{
    int k;
    size_t n;

    if (!is_small(x) || x->u.n == 0 || (k = dec_places((uint64_t)x->d)) < 0)
        return 0;
    u128_str(buf, (u128)uabs64(x->u.n) * (pow10_128(k) / (u128)x->d));
    n = strlen(buf);
    *e = (long)n - 1 - k;
    while (n > 1 && buf[n - 1] == '0')
        n--;
    buf[n] = '\0';
    return n;
}

static int fmt_general(xc_buf *out, const xc_num *x)
{
    char *dig;
    long e;
    int exact, st;
    size_t nd;

    char sd[48];

    if (is_small(x) && x->d == 1 && uabs64(x->u.n) < 1000000000000000ULL)
        return put_int64(out, x->u.n);
    nd = small_digits(x, sd, &e);
    if (nd > 0 && nd <= 15 && e < 15 && e > -10)
        return put_plain(out, x->u.n < 0, sd, nd, e);
    st = sig_digits(x, 15, XC_ROUND_HALF_UP, &dig, &e, &exact);
    if (st != XC_OK)
        return st;
    nd = strip_zeros(dig);
    if (e >= 15 || e <= -10)
        st = put_sci(out, xc_num_sign(x) < 0, dig, nd, e, 1);
    else
        st = put_plain(out, xc_num_sign(x) < 0, dig, nd, e);
    xc_free(dig);
    return st;
}

/* Plain for exponents in [-6, 20], else E notation: the file layout. */
static int put_file_layout(xc_buf *out, int neg, const char *dig, size_t nd,
                           long e)
{
    if (e >= -6 && e <= 20)
        return put_plain(out, neg, dig, nd, e);
    return put_sci(out, neg, dig, nd, e, 1);
}

/* fmt_file's text of an inline x = n/d, d > 1, in 64-bit arithmetic:
 * 1 when written, 0 when x does not qualify (the general path then
 * decides), -1 when out of memory.  It qualifies when d = 2^a 5^b with k =
 * max(a, b) <= 19 and N = |n| 10^k / d fits 64 bits with at most 17
 * digits and a decimal exponent of at least -6: the plain layout with
 * exactly k places, N's last digit not zero (n/d is in lowest terms, so
 * N is odd or not a multiple of 5) - the text small_digits and
 * put_file_layout give. */
static int file_decimal(xc_buf *out, const xc_num *x)
{
    uint64_t p, N;
    int k;
    char t[48], *q, *end = t + sizeof t;

    if ((k = dec_places((uint64_t)x->d)) < 0)
        return 0;
    p = pow10_64[k];
    if (__builtin_mul_overflow(uabs64(x->u.n), p / (uint64_t)x->d, &N) ||
        N >= pow10_64[17] || N % 10 == 0 || (k > 6 && N < pow10_64[k - 6]))
        return 0;
    q = u64_digits(end, N % p, k);
    *--q = '.';
    q = u64_digits(q, N / p, 1);
    if (x->u.n < 0)
        *--q = '-';
    return xc_buf_put(out, q, (size_t)(end - q)) == XC_OK ? 1 : -1;
}

static int fmt_file(xc_buf *out, const xc_num *x)
{
    char *dig;
    long e;
    int exact, st;

    char sd[48];
    size_t nd;

    if (is_small(x) && x->d == 1 && uabs64(x->u.n) < 100000000000000000ULL)
        return put_int64(out, x->u.n);
    if (is_small(x) && x->d > 1 && (st = file_decimal(out, x)) != 0)
        return st > 0 ? XC_OK : XC_ENOMEM;
    nd = small_digits(x, sd, &e);
    if (nd > 0 && nd <= 17)
        return put_file_layout(out, x->u.n < 0, sd, nd, e);
    st = sig_digits(x, 17, XC_ROUND_HALF_EVEN, &dig, &e, &exact);
    if (st != XC_OK)
        return st;
    st = put_file_layout(out, xc_num_sign(x) < 0, dig, strip_zeros(dig), e);
    xc_free(dig);
    return st;
}

/* Split den = 2^twos * 5^fives * rest; returns rest == 1. */
static int split25(mpz_srcptr den, unsigned long *twos, unsigned long *fives,
                   mpz_t rest)
{
    mpz_t five;

    mpz_set(rest, den);
    *twos = (unsigned long)mpz_scan1(rest, 0);
    mpz_tdiv_q_2exp(rest, rest, *twos);
    mpz_init_set_ui(five, 5);
    *fives = (unsigned long)mpz_remove(rest, rest, five);
    mpz_clear(five);
    return mpz_cmp_ui(rest, 1) == 0;
}

/* For a terminating x (denominator 2^a 5^b), the exact decimal digits
 * of |x| in *dig (xc_free) with its decimal exponent in *e, trailing
 * zeros included; XC_EINVAL when x does not terminate. */
static int exact_digits(const xc_num *x, char **dig, long *e)
{
    mpq_t t;
    mpq_srcptr v;
    mpz_t rest, N;
    unsigned long twos, fives, k;
    char *out;
    size_t len;

    if (is_small(x)) {
        uint64_t d = (uint64_t)x->d;
        int tw = __builtin_ctzll(d), fv = 0;
        d >>= tw;
        while (d % 5 == 0) {
            d /= 5;
            fv++;
        }
        if (d != 1)
            return XC_EINVAL;
        k = (unsigned long)(tw > fv ? tw : fv);
        if (k <= 19) {
            u128 N128 = (u128)uabs64(x->u.n) *
                        (pow10_128((int)k) / (u128)(uint64_t)x->d);
            out = xc_malloc(41);
            if (!out)
                return XC_ENOMEM;
            u128_str(out, N128);
            *dig = out;
            *e = (long)strlen(out) - 1 - (long)k;
            return XC_OK;
        }
    }
    mpq_init(t);
    v = view(x, t);
    mpz_init(rest);
    mpz_init(N);
    if (!split25(mpq_denref(v), &twos, &fives, rest)) {
        mpz_clear(rest);
        mpz_clear(N);
        mpq_clear(t);
        return XC_EINVAL;
    }
    k = twos > fives ? twos : fives;
    mpz_abs(N, mpq_numref(v));
    mpz_mul_2exp(N, N, k - twos);
    mpz_ui_pow_ui(rest, 5, k - fives);
    mpz_mul(N, N, rest);
    len = mpz_sizeinbase(N, 10);
    out = xc_malloc(len + 2);
    if (out) {
        mpz_get_str(out, 10, N);
        *dig = out;
        *e = (long)strlen(out) - 1 - (long)k;
    }
    mpz_clear(rest);
    mpz_clear(N);
    mpq_clear(t);
    return out ? XC_OK : XC_ENOMEM;
}

static int fmt_source(xc_buf *out, const xc_num *x)
{
    char *dig;
    long e;
    int st;

    char sd[48];
    size_t nd;

    if (xc_num_is_zero(x))
        return xc_buf_putc(out, '0');
    if ((nd = small_digits(x, sd, &e)) > 0)
        return put_file_layout(out, x->u.n < 0, sd, nd, e);
    st = exact_digits(x, &dig, &e);
    if (st == XC_EINVAL)
        return fmt_file(out, x);
    if (st != XC_OK)
        return st;
    st = put_file_layout(out, xc_num_sign(x) < 0, dig, strip_zeros(dig), e);
    xc_free(dig);
    return st;
}

/* Integer part and the digits after the point of |n|/d by long
 * division: `pre` digits of preperiod, then the repetend (at most
 * MAX_REPETEND digits, then "..."), the whole in parentheses. */
static int put_repeating(xc_buf *b, const xc_num *x)
{
    mpq_t t;
    mpq_srcptr v;
    mpz_t I, R, R0, D, rest;
    unsigned long twos, fives, pre, i;
    char *s;
    int st = XC_OK;

    mpq_init(t);
    v = view(x, t);
    mpz_init(I);
    mpz_init(R);
    mpz_init(R0);
    mpz_init(rest);
    mpz_init_set(D, mpq_denref(v));
    mpz_abs(R, mpq_numref(v));
    mpz_fdiv_qr(I, R, R, D);
    split25(D, &twos, &fives, rest);
    pre = twos > fives ? twos : fives;
    s = xc_malloc(mpz_sizeinbase(I, 10) + 2);
    if (!s) {
        st = XC_ENOMEM;
        goto done;
    }
    mpz_get_str(s, 10, I);
    st |= xc_buf_puts(b, s);
    xc_free(s);
    st |= xc_buf_putc(b, '.');
    for (i = 0; i < pre && st == XC_OK; i++) {
        mpz_mul_ui(R, R, 10);
        mpz_fdiv_qr(I, R, R, D);
        st |= xc_buf_putc(b, (int)('0' + mpz_get_ui(I)));
    }
    st |= xc_buf_putc(b, '(');
    mpz_set(R0, R);
    for (i = 0; st == XC_OK; i++) {
        if (i == MAX_REPETEND) {
            st |= xc_buf_puts(b, "...");
            break;
        }
        mpz_mul_ui(R, R, 10);
        mpz_fdiv_qr(I, R, R, D);
        st |= xc_buf_putc(b, (int)('0' + mpz_get_ui(I)));
        if (mpz_cmp(R, R0) == 0)
            break;
    }
    st |= xc_buf_putc(b, ')');
done:
    mpz_clear(I);
    mpz_clear(R);
    mpz_clear(R0);
    mpz_clear(D);
    mpz_clear(rest);
    mpq_clear(t);
    return st ? XC_ENOMEM : XC_OK;
}

static int fmt_exact(xc_buf *out, const xc_num *x)
{
    char *dig, *s;
    long e;
    int st;
    mpq_t t;
    xc_buf b;

    char sd[48];
    size_t nd;

    if (is_small(x) && x->d == 1)
        return put_int64(out, x->u.n);
    if ((nd = small_digits(x, sd, &e)) > 0)
        return put_plain(out, x->u.n < 0, sd, nd, e);
    st = exact_digits(x, &dig, &e);
    if (st == XC_OK) {
        st = put_plain(out, xc_num_sign(x) < 0, dig, strip_zeros(dig), e);
        xc_free(dig);
        return st;
    }
    if (st != XC_EINVAL)
        return st;
    /* "n/d = [-]I.pre(repetend)" */
    xc_buf_init(&b);
    mpq_init(t);
    xc_num_get_mpq(t, x);
    s = xc_malloc(mpz_sizeinbase(mpq_numref(t), 10) +
                  mpz_sizeinbase(mpq_denref(t), 10) + 3);
    if (!s) {
        mpq_clear(t);
        return XC_ENOMEM;
    }
    mpq_get_str(s, 10, t);
    st = xc_buf_puts(&b, s);
    xc_free(s);
    mpq_clear(t);
    if (st == XC_OK)
        st = xc_buf_puts(&b, xc_num_sign(x) < 0 ? " = -" : " = ");
    if (st == XC_OK)
        st = put_repeating(&b, x);
    if (st == XC_OK)
        st = xc_buf_put(out, b.p, b.len);
    xc_buf_clear(&b);
    return st;
}

int xc_num_format(xc_buf *out, const xc_num *x, xc_num_fmt fmt)
{
    if (xc_num_is_zero(x))
        return xc_buf_putc(out, '0');
    VIA_Q(x, xc_num_format(out, x, fmt));
    switch (fmt) {
    case XC_FMT_GENERAL:
        return fmt_general(out, x);
    case XC_FMT_EXACT:
        return fmt_exact(out, x);
    case XC_FMT_FILE:
        return fmt_file(out, x);
    case XC_FMT_SOURCE:
        return fmt_source(out, x);
    }
    return XC_EINVAL;
}

int xc_num_format_fixed(xc_buf *out, const xc_num *x, int decimals)
{
    xc_num r;
    char *dig = NULL;
    long e;
    int st;
    size_t nd, i;
    xc_buf b;

    if (decimals < 0)
        return XC_EINVAL;
    if (decimals > MAX_DIGITS)
        return XC_ELIMIT;
    xc_num_init(&r);
    st = xc_num_round(&r, x, decimals, XC_ROUND_HALF_UP);
    if (st != XC_OK)
        return st;
    xc_buf_init(&b);
    if (xc_num_is_zero(&r)) {
        st = xc_buf_putc(&b, '0');
        if (decimals > 0)
            st |= xc_buf_putc(&b, '.');
        for (i = 0; i < (size_t)decimals && st == XC_OK; i++)
            st |= xc_buf_putc(&b, '0');
    } else {
        st = exact_digits(&r, &dig, &e);
        if (st == XC_OK) {
            /* dig has no more than `decimals` places: pad with zeros */
            nd = strip_zeros(dig);
            if (xc_num_sign(&r) < 0)
                st |= xc_buf_putc(&b, '-');
            st |= put_plain(&b, 0, dig, nd, e);
            if (st == XC_OK && decimals > 0) {
                long have = (long)nd - 1 - e; /* places written */
                if (have <= 0) {
                    st |= xc_buf_putc(&b, '.');
                    have = 0;
                }
                for (; have < decimals && st == XC_OK; have++)
                    st |= xc_buf_putc(&b, '0');
            }
        }
    }
    if (st == XC_OK)
        st = xc_buf_put(out, b.p, b.len);
    else if (st != XC_ENOMEM && st != XC_ELIMIT)
        st = XC_ENOMEM;
    xc_buf_clear(&b);
    xc_free(dig);
    xc_num_clear(&r);
    return st;
}

int xc_num_format_sci(xc_buf *out, const xc_num *x, int decimals)
{
    char *dig;
    long e;
    int exact, st;
    xc_buf b;

    if (decimals < 0)
        return XC_EINVAL;
    if (decimals > MAX_DIGITS)
        return XC_ELIMIT;
    VIA_Q(x, xc_num_format_sci(out, x, decimals));
    xc_buf_init(&b);
    if (xc_num_is_zero(x)) {
        int i;
        st = xc_buf_putc(&b, '0');
        if (decimals > 0)
            st |= xc_buf_putc(&b, '.');
        for (i = 0; i < decimals && st == XC_OK; i++)
            st |= xc_buf_putc(&b, '0');
        st |= xc_buf_puts(&b, "E+00");
    } else {
        st = sig_digits(x, (long)decimals + 1, XC_ROUND_HALF_UP, &dig, &e,
                        &exact);
        if (st == XC_OK) {
            st = put_sci(&b, xc_num_sign(x) < 0, dig, strlen(dig), e, 2);
            xc_free(dig);
        }
    }
    if (st == XC_OK)
        st = xc_buf_put(out, b.p, b.len);
    else if (st != XC_ELIMIT)
        st = XC_ENOMEM;
    xc_buf_clear(&b);
    return st;
}

/* ---- MPFR bridge -------------------------------------------------- */

int xc_num_mpfr1(xc_num *r, const xc_num *x, xc_mpfr_fn1 f, int *exact)
{
    mpfr_t a, b;
    int t1, t2, st;

    mpfr_init2(a, XC_MPFR_PREC);
    mpfr_init2(b, XC_MPFR_PREC);
    t1 = xc_num_get_mpfr(a, x, MPFR_RNDN);
    t2 = f(b, a, MPFR_RNDN);
    if (!mpfr_number_p(b))
        st = XC_EINVAL;
    else
        st = xc_num_set_mpfr(r, b);
    if (exact)
        *exact = st == XC_OK && t1 == 0 && t2 == 0;
    mpfr_clear(a);
    mpfr_clear(b);
    return st;
}
