/* test_double.c - numbers held as doubles (XC_NUM_DBL, Excel's view) and
 * the evaluator's double arithmetic: every xc_num operation gives the
 * same answer for a double as for the same value held as a fraction;
 * xc_num_to_double rounds correctly (ties, midpoints); Excel's view of
 * + - * / is IEEE double arithmetic, with #NUM! past the largest double,
 * subnormal results, ties to even and the 15-digit comparison. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "exacalc/book.h"
#include "exacalc/formula.h"
#include "exacalc/num.h"
#include "xtest.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd64(void)
{
    /* xorshift64*: reproducible, no libc rand() state */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* A random finite double from a mix of shapes: short decimals, small
 * and large integers, full-range binary values, subnormals. */
static double rnd_double(void)
{
    uint64_t k = rnd64();
    double v;
    switch (k % 7) {
    case 0: /* a two-place decimal as Excel holds it */
        v = (double)(int64_t)(rnd64() % 2000001 - 1000000) / 100.0;
        break;
    case 1: /* a small integer or a half */
        v = (double)(int64_t)(rnd64() % 2001 - 1000) / ((k >> 8) & 1 ? 2 : 1);
        break;
    case 2: /* a large integer past 2^53 */
        v = ldexp((double)(rnd64() >> 11), 10 + (int)(rnd64() % 40));
        break;
    case 3: /* a subnormal */
        v = ldexp((double)(rnd64() >> 12), -1074);
        break;
    default: { /* any exponent */
        int e = (int)(rnd64() % 600) - 300;
        v = ldexp((double)(rnd64() >> 11) + 1, e - 53);
        break;
    }
    }
    if ((k >> 20) & 1)
        v = -v;
    return v == 0 ? 1.5 : v;
}

/* x as a fraction (never held as a double): the reference. */
static void ref_of(xc_num *x, double v)
{
    mpq_t q;
    mpq_init(q);
    mpq_set_d(q, v);
    xc_num_set_mpq(x, q);
    mpq_clear(q);
}

static int same_value(const xc_num *a, const xc_num *b)
{
    mpq_t p, q;
    int eq;
    mpq_init(p);
    mpq_init(q);
    xc_num_get_mpq(p, a);
    xc_num_get_mpq(q, b);
    eq = mpq_equal(p, q) != 0;
    mpq_clear(p);
    mpq_clear(q);
    return eq;
}

static int same_text(const xc_num *a, const xc_num *b, xc_num_fmt f)
{
    xc_buf x, y;
    int sa, sb, eq;
    xc_buf_init(&x);
    xc_buf_init(&y);
    sa = xc_num_format(&x, a, f);
    sb = xc_num_format(&y, b, f);
    eq = sa == sb && (sa != XC_OK || strcmp(x.p, y.p) == 0);
    if (!eq)
        fprintf(stderr, "format %d: %s vs %s\n", (int)f, x.p ? x.p : "?",
                y.p ? y.p : "?");
    xc_buf_clear(&x);
    xc_buf_clear(&y);
    return eq;
}

/* Construction: zero, negative zero and small integers are fractions;
 * everything else finite is held as a double of the same value. */
static void test_set_double(void)
{
    xc_num x;
    double d;
    xc_num_init(&x);
    CHECK(xc_num_set_double(&x, -0.0) == XC_OK && xc_num_is_zero(&x));
    CHECK(xc_num_sign(&x) == 0);
    CHECK(xc_num_set_double(&x, 3.0) == XC_OK && x.d == 1 && x.u.n == 3);
    CHECK(xc_num_set_double(&x, -9007199254740991.0) == XC_OK && x.d == 1);
    CHECK(xc_num_set_double(&x, 9007199254740992.0) == XC_OK &&
          x.d == XC_NUM_DBL && xc_num_is_int(&x));
    CHECK(xc_num_set_double(&x, 0.1) == XC_OK && x.d == XC_NUM_DBL);
    CHECK(!xc_num_is_int(&x) && xc_num_sign(&x) == 1);
    CHECK(xc_num_set_double(&x, NAN) == XC_EINVAL);
    CHECK(xc_num_set_double(&x, -INFINITY) == XC_EINVAL);
    CHECK(x.d == XC_NUM_DBL && xc_num_to_double(&x) == 0.1); /* unchanged */
    /* is_double: held doubles, and fractions a double represents */
    CHECK(xc_num_is_double(&x, &d) && d == 0.1);
    xc_num_set_frac(&x, 3, 8);
    CHECK(xc_num_is_double(&x, &d) && d == 0.375);
    xc_num_set_frac(&x, 1, 10);
    CHECK(!xc_num_is_double(&x, &d));
    xc_num_set_frac(&x, (INT64_C(1) << 53) + 1, 2);
    CHECK(!xc_num_is_double(&x, &d)); /* needs 54 bits */
    /* an mpq-held value that was a double is a double again */
    CHECK(xc_num_set_double(&x, DBL_TRUE_MIN) == XC_OK);
    CHECK(xc_num_to_double(&x) == DBL_TRUE_MIN);
    CHECK(xc_num_set_double(&x, -DBL_MAX) == XC_OK &&
          xc_num_to_double(&x) == -DBL_MAX && xc_num_is_int(&x));
    xc_num_clear(&x);
}

typedef int (*op2)(xc_num *, const xc_num *, const xc_num *);

/* Every operation on doubles equals the operation on the fractions of
 * the same values, in every operand combination; queries agree. */
static void test_same_as_fractions(void)
{
    static const op2 ops[] = {xc_num_add, xc_num_sub, xc_num_mul, xc_num_div,
                              xc_num_mod};
    static const xc_num_fmt fmts[] = {XC_FMT_GENERAL, XC_FMT_EXACT, XC_FMT_FILE,
                                      XC_FMT_SOURCE};
    xc_num a, b, ra, rb, r1, r2;
    int bad_op = 0, bad_q = 0, bad_fmt = 0, bad_round = 0, n = 0;

    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&ra);
    xc_num_init(&rb);
    xc_num_init(&r1);
    xc_num_init(&r2);
    for (int i = 0; i < 3000; i++) {
        double x = rnd_double(), y = rnd_double();
        xc_num_set_double(&a, x);
        xc_num_set_double(&b, y);
        ref_of(&ra, x);
        ref_of(&rb, y);
        n += a.d == XC_NUM_DBL;
        for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
            for (int combo = 0; combo < 3; combo++) {
                const xc_num *p = combo == 1 ? &ra : &a;
                const xc_num *q = combo == 2 ? &rb : &b;
                int s1 = ops[k](&r1, p, q), s2 = ops[k](&r2, &ra, &rb);
                if (s1 != s2 || (s1 == XC_OK && !same_value(&r1, &r2)))
                    bad_op++;
                /* the destination may alias an operand */
                xc_num_set(&r1, p);
                s1 = ops[k](&r1, &r1, q);
                if (s1 != s2 || (s1 == XC_OK && !same_value(&r1, &r2)))
                    bad_op++;
            }
        /* queries */
        int64_t i1, i2;
        if (xc_num_cmp(&a, &b) != xc_num_cmp(&ra, &rb) ||
            xc_num_cmp(&a, &rb) != xc_num_cmp(&ra, &rb) ||
            xc_num_cmp(&ra, &b) != xc_num_cmp(&ra, &rb) ||
            xc_num_equal(&a, &ra) != 1 || xc_num_equal(&ra, &a) != 1 ||
            xc_num_equal(&a, &b) != xc_num_equal(&ra, &rb) ||
            xc_num_sign(&a) != xc_num_sign(&ra) ||
            xc_num_is_int(&a) != xc_num_is_int(&ra) ||
            xc_num_bits(&a) != xc_num_bits(&ra) ||
            xc_num_exp10(&a) != xc_num_exp10(&ra) ||
            xc_num_to_double(&a) != x || xc_num_to_double(&ra) != x)
            bad_q++;
        int64_t c = (int64_t)(rnd64() % 2000001) - 1000000;
        if (xc_num_cmp_int(&a, c) != xc_num_cmp_int(&ra, c) ||
            xc_num_cmp_int(&a, (int64_t)trunc(x)) !=
                xc_num_cmp_int(&ra, (int64_t)trunc(x)))
            bad_q++;
        if (xc_num_get_int64(&a, &i1) != xc_num_get_int64(&ra, &i2) ||
            (xc_num_get_int64(&a, &i1) == XC_OK && i1 != i2))
            bad_q++;
        if (xc_num_trunc_clamp(&a, -1000, 1000, &i1) !=
                xc_num_trunc_clamp(&ra, -1000, 1000, &i2) ||
            i1 != i2 ||
            xc_num_trunc_clamp(&a, INT64_MIN, INT64_MAX, &i1) !=
                xc_num_trunc_clamp(&ra, INT64_MIN, INT64_MAX, &i2) ||
            i1 != i2)
            bad_q++;
        /* formats */
        for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++)
            bad_fmt += !same_text(&a, &ra, fmts[k]);
        {
            xc_buf p, q;
            xc_buf_init(&p);
            xc_buf_init(&q);
            int s1 = xc_num_format_sci(&p, &a, 3),
                s2 = xc_num_format_sci(&q, &ra, 3);
            bad_fmt += s1 != s2 || (s1 == XC_OK && strcmp(p.p, q.p) != 0);
            xc_buf_reset(&p);
            xc_buf_reset(&q);
            s1 = xc_num_format_fixed(&p, &a, 2);
            s2 = xc_num_format_fixed(&q, &ra, 2);
            bad_fmt += s1 != s2 || (s1 == XC_OK && strcmp(p.p, q.p) != 0);
            xc_buf_clear(&p);
            xc_buf_clear(&q);
        }
        /* unary operations and rounding */
        {
            int d = (int)(rnd64() % 26) - 5;
            xc_round_mode m = (xc_round_mode)(rnd64() % 6);
            int64_t e = (int64_t)(rnd64() % 7) - 3;
            int s1, s2;
#define SAME1(call1, call2)                                                    \
    do {                                                                       \
        s1 = (call1);                                                          \
        s2 = (call2);                                                          \
        if (s1 != s2 || (s1 == XC_OK && !same_value(&r1, &r2)))                \
            bad_round++;                                                       \
    } while (0)
            SAME1(xc_num_round(&r1, &a, d, m), xc_num_round(&r2, &ra, d, m));
            SAME1(xc_num_round_sig(&r1, &a, 15, XC_ROUND_HALF_UP),
                  xc_num_round_sig(&r2, &ra, 15, XC_ROUND_HALF_UP));
            SAME1(xc_num_round_multiple(&r1, &a, &b, m),
                  xc_num_round_multiple(&r2, &ra, &rb, m));
            SAME1(xc_num_scale10(&r1, &a, -2), xc_num_scale10(&r2, &ra, -2));
            SAME1(xc_num_scale10(&r1, &a, 3), xc_num_scale10(&r2, &ra, 3));
            SAME1(xc_num_pow_int(&r1, &a, e), xc_num_pow_int(&r2, &ra, e));
            SAME1(xc_num_inv(&r1, &a), xc_num_inv(&r2, &ra));
            SAME1(xc_num_neg(&r1, &a), xc_num_neg(&r2, &ra));
            SAME1(xc_num_abs(&r1, &a), xc_num_abs(&r2, &ra));
            SAME1(xc_num_set(&r1, &a), xc_num_set(&r2, &ra));
#undef SAME1
        }
        /* GMP and MPFR views */
        {
            mpfr_t f1, f2;
            mpfr_inits2(64, f1, f2, (mpfr_ptr)0);
            if (xc_num_get_mpfr(f1, &a, MPFR_RNDN) !=
                    xc_num_get_mpfr(f2, &ra, MPFR_RNDN) ||
                mpfr_cmp(f1, f2) != 0)
                bad_q++;
            mpfr_clears(f1, f2, (mpfr_ptr)0);
        }
    }
    CHECK(n > 1500); /* most operands really were held as doubles */
    CHECK(bad_op == 0);
    CHECK(bad_q == 0);
    CHECK(bad_fmt == 0);
    CHECK(bad_round == 0);
    if (bad_op || bad_q || bad_fmt || bad_round)
        fprintf(stderr, "op %d query %d fmt %d round %d\n", bad_op, bad_q,
                bad_fmt, bad_round);
    xc_num_clear(&a);
    xc_num_clear(&b);
    xc_num_clear(&ra);
    xc_num_clear(&rb);
    xc_num_clear(&r1);
    xc_num_clear(&r2);
}

/* Exact operations on two doubles stay doubles when the result is a
 * double, and are exact fractions otherwise. */
static void test_exact_results(void)
{
    xc_num a, b, r;
    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&r);
    xc_num_set_double(&a, 0.5 + 0x1p-30);
    xc_num_set_double(&b, 0.25);
    CHECK(xc_num_add(&r, &a, &b) == XC_OK && r.d == XC_NUM_DBL &&
          xc_num_to_double(&r) == 0.75 + 0x1p-30);
    CHECK(xc_num_mul(&r, &a, &b) == XC_OK && r.d == XC_NUM_DBL);
    xc_num_set_double(&a, 0.1);
    xc_num_set_double(&b, 0.2);
    /* 0.1 + 0.2 as doubles is not a double: exactly their sum */
    CHECK(xc_num_add(&r, &a, &b) == XC_OK && r.d != XC_NUM_DBL);
    CHECK(xc_num_to_double(&r) == 0.30000000000000004);
    CHECK(xc_num_sub(&r, &r, &a) == XC_OK && xc_num_equal(&r, &b));
    /* a tiny product: the fma check must not trust an underflow */
    xc_num_set_double(&a, 0x1.8p-600);
    xc_num_set_double(&b, 0x1.8p-600);
    CHECK(xc_num_mul(&r, &a, &b) == XC_OK && xc_num_exp10(&r) == -361);
    CHECK(xc_num_to_double(&r) == 0.0); /* 2.25 * 2^-1200 */
    CHECK(!xc_num_is_zero(&r));
    /* huge: DBL_MAX + DBL_MAX is exact, just not a double */
    xc_num_set_double(&a, DBL_MAX);
    CHECK(xc_num_add(&r, &a, &a) == XC_OK && xc_num_exp10(&r) == 308);
    CHECK(xc_num_to_double(&r) == HUGE_VAL);
    xc_num_clear(&a);
    xc_num_clear(&b);
    xc_num_clear(&r);
}

/* The correctly rounded double of a fraction, by MPFR (normal range). */
static double mpfr_nearest(int64_t n, int64_t d)
{
    mpq_t q;
    mpfr_t f;
    double v;
    mpq_init(q);
    mpq_set_si(q, n, (unsigned long)d);
    mpq_canonicalize(q);
    mpfr_init2(f, 53);
    mpfr_set_q(f, q, MPFR_RNDN);
    v = mpfr_get_d(f, MPFR_RNDN);
    mpfr_clear(f);
    mpq_clear(q);
    return v;
}

/* xc_num_to_double of inline fractions: random operands of every size,
 * exact ties (to even) and values a hair off a tie between two doubles,
 * where rounding twice would go wrong. */
static void test_to_double(void)
{
    xc_num x;
    int bad = 0;
    int64_t big = INT64_C(300) << 53;
    xc_num_init(&x);
    for (int i = 0; i < 20000; i++) {
        int64_t n = (int64_t)(rnd64() >> (rnd64() % 63 + 1));
        int64_t d = (int64_t)(rnd64() >> (rnd64() % 63 + 1));
        if (d <= 0)
            d = 1;
        if (rnd64() & 1)
            n = -n;
        xc_num_set_frac(&x, n, d);
        mpq_t q;
        mpq_init(q);
        xc_num_get_mpq(q, &x);
        if (mpz_fits_slong_p(mpq_numref(q)) && mpz_fits_slong_p(mpq_denref(q)))
            bad +=
                xc_num_to_double(&x) != mpfr_nearest(mpz_get_si(mpq_numref(q)),
                                                     mpz_get_si(mpq_denref(q)));
        mpq_clear(q);
    }
    CHECK(bad == 0);
    /* (2^53+1)/2 = 2^52 + 1/2: a tie, to even */
    xc_num_set_frac(&x, (INT64_C(1) << 53) + 1, 2);
    CHECK(xc_num_to_double(&x) == 0x1p52);
    xc_num_set_frac(&x, (INT64_C(1) << 53) + 3, 2);
    CHECK(xc_num_to_double(&x) == 0x1p52 + 2);
    /* 1 + 3*2^-53 is a tie between 1+2^-52 and 1+2^-51; a hair below it
     * rounds down, a hair above up (900/d, d = 300*2^53 -+ 1) */
    xc_num_set_frac(&x, big + 1 + 900, big + 1);
    CHECK(xc_num_to_double(&x) == 1 + 0x1p-52);
    xc_num_set_frac(&x, big - 1 + 900, big - 1);
    CHECK(xc_num_to_double(&x) == 1 + 0x1p-51);
    xc_num_set_frac(&x, -(big - 1 + 900), big - 1);
    CHECK(xc_num_to_double(&x) == -(1 + 0x1p-51));
    /* INT64 extremes */
    xc_num_set_frac(&x, INT64_MAX, 1);
    CHECK(xc_num_to_double(&x) == 0x1p63);
    xc_num_set_frac(&x, 1, INT64_MAX);
    CHECK(xc_num_to_double(&x) == 0x1p-63);
    xc_num_clear(&x);
}

/* ---- Excel's view through the evaluator --------------------------- */

static xc_book *book;

/* Evaluate text in Excel's view (excel = 1) or exactly, in Sheet1!Z99. */
static int eval(const char *text, int excel, xc_value *v)
{
    xc_formula *f;
    xc_parse_error pe;
    xc_parse_opts o = {book, 0, 98, 25, 0};
    int st;
    xc_value_clear(v);
    if ((st = xc_formula_parse(&f, text, strlen(text), &o, &pe)) != XC_OK)
        return st;
    st = xc_formula_eval(book, 0, 98, 25, f, excel ? XC_EV_EXCEL : 0, v);
    xc_formula_release(f);
    return st;
}

static char shown[256];

/* The value of text in Excel's view, as exact-form text. */
static const char *X(const char *text)
{
    xc_value v = {0};
    xc_buf b;
    xc_buf_init(&b);
    if (eval(text, 1, &v) != XC_OK ||
        xc_value_format(&b, &v, XC_FMT_EXACT) != XC_OK)
        snprintf(shown, sizeof shown, "(failed)");
    else
        snprintf(shown, sizeof shown, "%s", b.p);
    xc_buf_clear(&b);
    xc_value_clear(&v);
    return shown;
}

/* The double an Excel-view evaluation gives (NAN for a non-number). */
static double XD(const char *text)
{
    xc_value v = {0};
    double d = NAN;
    if (eval(text, 1, &v) == XC_OK && v.type == XC_NUMBER)
        d = xc_num_to_double(&v.u.num);
    xc_value_clear(&v);
    return d;
}

static void set_cell(uint32_t row, uint32_t col, const char *num)
{
    xc_value v = {0};
    xc_num x;
    xc_num_init(&x);
    xc_num_parse(&x, num, strlen(num), 0, NULL);
    xc_value_take_num(&v, &x);
    xc_book_set_value(book, 0, row, col, &v);
    xc_value_clear(&v);
}

static void test_excel_view(void)
{
    xc_value v = {0};
    /* binary noise, as Excel has it */
    CHECK_STR(X("=0.1+0.2"), "0.3000000000000000444089209850062616169452667236"
                             "328125");
    CHECK(XD("=0.1+0.2") == 0.1 + 0.2);
    CHECK(XD("=1*(0.5-0.4-0.1)") == 1 * (0.5 - 0.4 - 0.1));
    CHECK(XD("=(0.1*3)/7-1E-3") == (0.1 * 3) / 7 - 1e-3);
    CHECK(XD("=SUM(0.1,0.2,0.3)") == (0.1 + 0.2) + 0.3);
    CHECK(XD("=PRODUCT(0.1,0.2,3)") == (0.1 * 0.2) * 3);
    /* overflow is #NUM!, underflow gives subnormals and zero */
    CHECK_STR(X("=1E308*10"), "#NUM!");
    CHECK_STR(X("=-1E308-1E308"), "#NUM!");
    CHECK_STR(X("=SUM(1E308,1E308)"), "#NUM!");
    CHECK_STR(X("=1/0"), "#DIV/0!");
    CHECK_STR(X("=1/1E-400"), "#DIV/0!"); /* 1E-400 is 0 as a double */
    CHECK(XD("=1E-308/1E10") == 1e-308 / 1e10);
    CHECK(XD("=2^-1074") == DBL_TRUE_MIN);
    /* ties to even, in the subnormal range and at 2^53 */
    CHECK(XD("=2^-1074*0.5") == 0.0);
    CHECK(XD("=2^-1074*1.5") == 2 * DBL_TRUE_MIN);
    CHECK(XD("=2^-1074*2.5") == 2 * DBL_TRUE_MIN);
    CHECK_STR(X("=2^53+1"), "9007199254740992");
    CHECK_STR(X("=2^53+3"), "9007199254740996");
    CHECK_STR(X("=9007199254740993"), "9007199254740992");
    /* no negative zero */
    CHECK_STR(X("=-0*1"), "0");
    CHECK_STR(X("=0*-1"), "0");
    CHECK_STR(X("=-(1-1)"), "0");
    /* the 15-digit comparison, near and far from its threshold */
    CHECK_STR(X("=0.1+0.2=0.3"), "TRUE");
    CHECK_STR(X("=1+4E-15=1"), "TRUE");
    CHECK_STR(X("=1+6E-15=1"), "FALSE");
    CHECK_STR(X("=1+1E-12>1"), "TRUE");
    CHECK_STR(X("=-1E-300<0"), "TRUE");
    /* percent and negation */
    CHECK(XD("=12.345%") == 12.345 / 100);
    CHECK(XD("=-0.1") == -0.1);
    /* cells: constants are exact fractions, rounded when used */
    set_cell(0, 0, "0.1");
    set_cell(0, 1, "12.345");
    set_cell(0, 2, "1E-400");
    CHECK(XD("=A1+A1+A1") == 0.1 + 0.1 + 0.1);
    CHECK(XD("=B1%") == 0.12345); /* B1/100 exactly, then rounded */
    CHECK(XD("=-B1") == -12.345);
    CHECK_STR(X("=1/C1"), "#DIV/0!");
    /* the same formulas exactly: no noise */
    CHECK(eval("=A1+A1+A1", 0, &v) == XC_OK && v.type == XC_NUMBER &&
          xc_num_cmp_int(&v.u.num, 0) > 0);
    {
        xc_num t;
        xc_num_init(&t);
        xc_num_set_frac(&t, 3, 10);
        CHECK(xc_num_equal(&v.u.num, &t));
        xc_num_clear(&t);
    }
    xc_value_clear(&v);
}

/* Random + - * / on random doubles: Excel's view is IEEE arithmetic,
 * and a result past DBL_MAX is #NUM!. */
static void test_excel_random(void)
{
    static const char ops[] = "+-*/";
    int bad = 0;
    for (int i = 0; i < 4000; i++) {
        double x = rnd_double(), y = rnd_double(), want;
        int op = (int)(rnd64() % 4);
        char text[128];
        xc_value v = {0};
        snprintf(text, sizeof text, "=(%.17g)%c(%.17g)", x, ops[op], y);
        want = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
        if (eval(text, 1, &v) != XC_OK) {
            bad++;
            continue;
        }
        if (!isfinite(want))
            bad += !(v.type == XC_ERROR && v.err == XC_ERR_NUM);
        else
            bad += !(v.type == XC_NUMBER &&
                     xc_num_to_double(&v.u.num) == (want == 0 ? 0 : want));
        xc_value_clear(&v);
    }
    CHECK(bad == 0);
}

/* The 15-digit comparison agrees with comparing the two doubles'
 * %.14e texts, for pairs at every distance around the threshold. */
static void test_excel_compare(void)
{
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        double x = rnd_double();
        double rel = ldexp(1.0, -(int)(rnd64() % 24) - 30); /* 2^-30..2^-53 */
        double y = x * (1 + ((rnd64() & 1) ? rel : -rel));
        char text[128], sx[40], sy[40];
        xc_value v = {0};
        int want;
        if (!isfinite(y))
            continue;
        snprintf(sx, sizeof sx, "%.14e", x);
        snprintf(sy, sizeof sy, "%.14e", y);
        want = x == y || strcmp(sx, sy) == 0;
        snprintf(text, sizeof text, "=(%.17g)=(%.17g)", x, y);
        if (eval(text, 1, &v) != XC_OK || v.type != XC_BOOL)
            bad++;
        else
            bad += (v.u.b != 0) != want;
        xc_value_clear(&v);
    }
    CHECK(bad == 0);
}

int main(void)
{
    test_set_double();
    test_same_as_fractions();
    test_exact_results();
    test_to_double();
    book = xc_book_new();
    xc_book_add_sheet(book, "Sheet1", 6, NULL);
    xc_book_set_engine(book, xc_formula_engine(), NULL);
    test_excel_view();
    test_excel_random();
    test_excel_compare();
    xc_book_free(book);
    return xtest_done();
}
