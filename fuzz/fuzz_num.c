/* fuzz_num.c - libFuzzer target for the number reader and printers.
 *
 * The input is split at the first '\n' (or ' ') into two texts a and b.
 * Each is parsed with and without XC_PARSE_RECOVER15 (and in prefix
 * mode); every value read is printed in all four formats, and the
 * exact forms are read back: SOURCE must give the same value, FILE the
 * value rounded half-even to 17 significant digits.  When both parse,
 * the arithmetic is checked against plain GMP (the fast path and the
 * big path must agree) and against identities such as (a+b)-b == a.
 * A failed check traps, so libFuzzer and the corpus replay report it.
 */
#include <stdint.h>
#include <string.h>

#include "exacalc/num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c)                                                             \
    do {                                                                       \
        if (!(c))                                                              \
            __builtin_trap();                                                  \
    } while (0)

/* Print x in fmt and read it back into y (exactly, no recovery). */
static int reparse(const xc_num *x, xc_num_fmt fmt, xc_num *y)
{
    xc_buf b;
    int st;

    xc_buf_init(&b);
    st = xc_num_format(&b, x, fmt);
    if (st == XC_OK)
        st = xc_num_parse(y, b.p, b.len, 0, NULL);
    xc_buf_clear(&b);
    return st;
}

static void check_formats(const xc_num *x)
{
    xc_num y, z;
    xc_buf b;
    int st;

    xc_num_init(&y);
    xc_num_init(&z);
    /* SOURCE is exact for every terminating decimal, which all parsed
     * values are; it may only fail on the exponent limit. */
    st = reparse(x, XC_FMT_SOURCE, &y);
    REQUIRE(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK)
        REQUIRE(xc_num_equal(x, &y));
    st = reparse(x, XC_FMT_FILE, &y);
    REQUIRE(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK && xc_num_round_sig(&z, x, 17, XC_ROUND_HALF_EVEN) == XC_OK)
        REQUIRE(xc_num_equal(&z, &y));
    /* GENERAL reads back as the 15-digit rounding (half away) */
    st = reparse(x, XC_FMT_GENERAL, &y);
    REQUIRE(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK && xc_num_round_sig(&z, x, 15, XC_ROUND_HALF_UP) == XC_OK)
        REQUIRE(xc_num_equal(&z, &y));
    /* EXACT of a parsed (terminating) value is plain and exact */
    st = reparse(x, XC_FMT_EXACT, &y);
    REQUIRE(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK)
        REQUIRE(xc_num_equal(x, &y));
    xc_buf_init(&b);
    st = xc_num_format_fixed(&b, x, 2);
    REQUIRE(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK) {
        REQUIRE(strcmp(b.p, "-0.00") != 0);
        REQUIRE(xc_num_parse(&y, b.p, b.len, 0, NULL) == XC_OK);
        REQUIRE(xc_num_round(&z, x, 2, XC_ROUND_HALF_UP) == XC_OK);
        REQUIRE(xc_num_equal(&z, &y));
    }
    xc_buf_reset(&b);
    st = xc_num_format_sci(&b, x, 3);
    REQUIRE(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK && !xc_num_is_zero(x)) {
        REQUIRE(xc_num_parse(&y, b.p, b.len, 0, NULL) == XC_OK);
        REQUIRE(xc_num_round_sig(&z, x, 4, XC_ROUND_HALF_UP) == XC_OK);
        REQUIRE(xc_num_equal(&z, &y));
    }
    xc_buf_clear(&b);
    xc_num_clear(&y);
    xc_num_clear(&z);
}

typedef int (*num_op)(xc_num *, const xc_num *, const xc_num *);
typedef void (*gmp_op)(mpq_ptr, mpq_srcptr, mpq_srcptr);

/* r = op(a, b) must equal GMP's answer (when within the limits). */
static void check_op(const xc_num *a, const xc_num *b, num_op op, gmp_op g)
{
    xc_num r;
    mpq_t qa, qb, qr, got;
    int st;

    xc_num_init(&r);
    mpq_init(qa);
    mpq_init(qb);
    mpq_init(qr);
    mpq_init(got);
    xc_num_get_mpq(qa, a);
    xc_num_get_mpq(qb, b);
    st = op(&r, a, b);
    if (g == mpq_div && mpq_sgn(qb) == 0) {
        REQUIRE(st == XC_EDIVZERO);
    } else {
        REQUIRE(st == XC_OK || st == XC_ELIMIT);
        if (st == XC_OK) {
            g(qr, qa, qb);
            xc_num_get_mpq(got, &r);
            REQUIRE(mpq_equal(qr, got));
        }
    }
    mpq_clear(qa);
    mpq_clear(qb);
    mpq_clear(qr);
    mpq_clear(got);
    xc_num_clear(&r);
}

/* a^e for a small e taken from b, against GMP. */
static void check_pow(const xc_num *a, const xc_num *b)
{
    int64_t e;
    xc_num r;
    mpq_t q, got;
    int st;

    xc_num_trunc_clamp(b, -60, 60, &e);
    xc_num_init(&r);
    st = xc_num_pow_int(&r, a, e);
    if (xc_num_is_zero(a) && e < 0) {
        REQUIRE(st == XC_EDIVZERO);
    } else {
        REQUIRE(st == XC_OK || st == XC_ELIMIT);
        if (st == XC_OK) {
            mpq_init(q);
            mpq_init(got);
            xc_num_get_mpq(q, a);
            mpz_pow_ui(mpq_numref(q), mpq_numref(q),
                       (unsigned long)(e < 0 ? -e : e));
            mpz_pow_ui(mpq_denref(q), mpq_denref(q),
                       (unsigned long)(e < 0 ? -e : e));
            if (e < 0)
                mpq_inv(q, q);
            xc_num_get_mpq(got, &r);
            REQUIRE(mpq_equal(q, got));
            mpq_clear(q);
            mpq_clear(got);
        }
    }
    xc_num_clear(&r);
}

static void check_pair(const xc_num *a, const xc_num *b)
{
    xc_num s, t;
    mpq_t qa, qb;
    int c;

    check_op(a, b, xc_num_add, mpq_add);
    check_op(a, b, xc_num_sub, mpq_sub);
    check_op(a, b, xc_num_mul, mpq_mul);
    check_op(a, b, xc_num_div, mpq_div);
    check_pow(a, b);
    mpq_init(qa);
    mpq_init(qb);
    xc_num_get_mpq(qa, a);
    xc_num_get_mpq(qb, b);
    c = mpq_cmp(qa, qb);
    REQUIRE(xc_num_cmp(a, b) == (c > 0) - (c < 0));
    REQUIRE(xc_num_equal(a, b) == (c == 0));
    mpq_clear(qa);
    mpq_clear(qb);
    xc_num_init(&s);
    xc_num_init(&t);
    if (xc_num_add(&s, a, b) == XC_OK && xc_num_sub(&t, &s, b) == XC_OK)
        REQUIRE(xc_num_equal(&t, a));
    if (!xc_num_is_zero(b) && xc_num_div(&s, a, b) == XC_OK &&
        xc_num_mul(&t, &s, b) == XC_OK)
        REQUIRE(xc_num_equal(&t, a));
    if (!xc_num_is_zero(b)) {
        /* 0 <= mod < |b| with the sign of b, and a - mod is a multiple */
        REQUIRE(xc_num_mod(&s, a, b) == XC_OK);
        REQUIRE(xc_num_sign(&s) == 0 || xc_num_sign(&s) == xc_num_sign(b));
        REQUIRE(xc_num_sub(&t, a, &s) == XC_OK);
        if (xc_num_div(&t, &t, b) == XC_OK)
            REQUIRE(xc_num_is_int(&t));
    } else {
        REQUIRE(xc_num_mod(&s, a, b) == XC_EDIVZERO);
    }
    xc_num_clear(&s);
    xc_num_clear(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t cut = 0, used;
    xc_num a, b, c;
    int sa, sb;

    if (size > 4096)
        return 0;
    while (cut < size && s[cut] != '\n' && s[cut] != ' ')
        cut++;
    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&c);
    sa = xc_num_parse(&a, s, cut, 0, NULL);
    REQUIRE(sa == XC_OK || sa == XC_EPARSE || sa == XC_ELIMIT);
    if (sa == XC_OK)
        check_formats(&a);
    sb = xc_num_parse(&c, s, cut, XC_PARSE_RECOVER15, NULL);
    REQUIRE(sb == sa);
    if (sb == XC_OK) {
        check_formats(&c);
        /* the recovered value never differs from the text by more than
         * the 17-digit rounding: both give the same double */
        REQUIRE(xc_num_to_double(&a) == xc_num_to_double(&c));
    }
    if (xc_num_parse(&c, s, size, XC_PARSE_PREFIX, &used) == XC_OK)
        REQUIRE(used > 0 && used <= size);
    if (cut < size) {
        sb = xc_num_parse(&b, s + cut + 1, size - cut - 1, 0, NULL);
        if (sa == XC_OK && sb == XC_OK)
            check_pair(&a, &b);
    }
    xc_num_clear(&a);
    xc_num_clear(&b);
    xc_num_clear(&c);
    return 0;
}
