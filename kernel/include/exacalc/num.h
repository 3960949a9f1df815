/* exacalc/num.h - exact rational numbers.
 *
 * An xc_num is an exact rational.  Small values (numerator and
 * denominator fitting int64, the common case: short decimals) are held
 * inline; larger ones are promoted to a GMP mpq_t on the heap.  Callers
 * never see the difference: use only the functions below (or
 * xc_num_get_mpq / xc_num_set_mpq to reach GMP directly).
 *
 * Embedded values: xc_num_init() before use, xc_num_clear() after.
 * Arithmetic takes the destination first, like GMP; the destination may
 * alias an operand.  Operations that can exceed a limit or divide by
 * zero return an xc_status and leave the destination unchanged on error;
 * the checks happen before GMP is called, so GMP never aborts.
 *
 * Example:
 *     xc_num a, b, r;
 *     xc_num_init(&a); xc_num_init(&b); xc_num_init(&r);
 *     xc_num_parse(&a, "0.1", 3, 0, NULL);
 *     xc_num_parse(&b, "0.2", 3, 0, NULL);
 *     xc_num_add(&r, &a, &b);                    // exactly 3/10
 *     xc_buf out; xc_buf_init(&out);
 *     xc_num_format(&out, &r, XC_FMT_GENERAL);   // "0.3"
 */
#ifndef EXACALC_NUM_H
#define EXACALC_NUM_H

#include <gmp.h>
#include <mpfr.h>
#include "exacalc/base.h"

typedef struct xc_bigq xc_bigq; /* private: heap mpq_t */

typedef struct xc_num {
    int64_t d; /* > 0: value is u.n / d in lowest terms; 0: value is *u.big;
                  XC_NUM_DBL: value is exactly the double u.f */
    union {
        int64_t n;
        xc_bigq *big;
        double f;
    } u;
} xc_num;

/* The double representation (Excel's view).  xc_num_set_double stores a
 * double as itself: finite, never zero, never an integer below 2^53
 * (those are held as fractions).  Its value is the exact binary value of
 * the double and every function below treats it so: the representation
 * changes speed, never results.  Only Excel's-view evaluation produces
 * it (through xc_num_set_double); exact evaluation never does. */
#define XC_NUM_DBL (-1)

/* Limits: results whose numerator or denominator would exceed
 * XC_NUM_MAX_BITS bits, and decimal exponents beyond
 * +-XC_NUM_MAX_EXP10, are refused with XC_ELIMIT. */
#define XC_NUM_MAX_BITS 100000
#define XC_NUM_MAX_EXP10 4000
/* Binary precision of MPFR evaluation for irrational functions. */
#define XC_MPFR_PREC 256
/* Decimal digits we claim for an inexact (MPFR) result. */
#define XC_INEXACT_DIGITS 60

XC_API void xc_num_init(xc_num *x);  /* x = 0 */
XC_API void xc_num_clear(xc_num *x); /* frees; x must be init'ed again */
XC_API int xc_num_set(xc_num *r, const xc_num *x);
XC_API void xc_num_set_int(xc_num *r, int64_t v);
/* r = n/d; d != 0 (else XC_EDIVZERO).  Reduced to lowest terms. */
XC_API int xc_num_set_frac(xc_num *r, int64_t n, int64_t d);
XC_API int xc_num_set_mpq(xc_num *r, mpq_srcptr q);     /* q canonical */
XC_API void xc_num_get_mpq(mpq_t dst, const xc_num *x); /* dst init'ed */
XC_API int xc_num_set_mpz(xc_num *r, const mpz_t z);
/* The exact binary value of a finite double (NaN/inf: XC_EINVAL); held
 * as a double (XC_NUM_DBL) unless it is 0 or a small integer. */
XC_API int xc_num_set_double(xc_num *r, double v);
/* 1 when x's value is exactly a double (held as one, or a fraction with
 * a power-of-two denominator that a double represents), stored in *out;
 * else 0.  Cheap: for the double fast paths of Excel's view. */
XC_API int xc_num_is_double(const xc_num *x, double *out);
/* The double nearest to x (round to nearest even; overflow gives
 * +-HUGE_VAL).  Never via mpq_get_d, which truncates. */
XC_API double xc_num_to_double(const xc_num *x);
/* Exact value of a finite MPFR number; and x rounded into an MPFR
 * variable (already init'ed with its precision) using rnd. */
XC_API int xc_num_set_mpfr(xc_num *r, const mpfr_t f);
XC_API int xc_num_get_mpfr(mpfr_t dst, const xc_num *x, mpfr_rnd_t rnd);

/* Parsing decimal text.  Grammar (nothing else, no spaces, no locale):
 *     [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
 * Flags:
 *   XC_PARSE_RECOVER15  numbers written by spreadsheet files: with more
 *       than 15 significant digits, take d = the double the text denotes
 *       (correctly rounded) and t = d rounded to 15 significant digits;
 *       if t converts back to the same double, the value is t exactly,
 *       else the text exactly (XLSX.md section 5).  So
 *       "0.56000000000000005" -> 0.56 but "0.30000000000000004" stays.
 *   XC_PARSE_PREFIX     accept a valid number followed by other text;
 *       *used receives the number of bytes consumed.  Without it the
 *       whole of s[0..n) must be the number.
 * Returns XC_EPARSE for malformed text (r unchanged), XC_ELIMIT for an
 * exponent beyond XC_NUM_MAX_EXP10. */
#define XC_PARSE_RECOVER15 1u
#define XC_PARSE_PREFIX 2u
XC_API int xc_num_parse(xc_num *r, const char *s, size_t n, unsigned flags,
                        size_t *used);

/* Queries. */
XC_API int xc_num_sign(const xc_num *x); /* -1, 0, 1 */
XC_API int xc_num_is_zero(const xc_num *x);
XC_API int xc_num_is_int(const xc_num *x);
XC_API int xc_num_cmp(const xc_num *a, const xc_num *b); /* -1, 0, 1 */
XC_API int xc_num_cmp_int(const xc_num *a, int64_t b);
XC_API int xc_num_equal(const xc_num *a, const xc_num *b);
/* If x is an integer in int64 range store it and return XC_OK; else
 * XC_ELIMIT (too large) or XC_EINVAL (not an integer). */
XC_API int xc_num_get_int64(const xc_num *x, int64_t *out);
/* Truncate toward zero into int64, clamped to [lo, hi]; returns 1 when
 * clamping happened, 0 otherwise.  For argument coercion (Excel
 * truncates fractional "count" arguments). */
XC_API int xc_num_trunc_clamp(const xc_num *x, int64_t lo, int64_t hi,
                              int64_t *out);
/* Bits in numerator + denominator: the size measure limits use. */
XC_API size_t xc_num_bits(const xc_num *x);

/* Arithmetic.  r may alias a or b. */
XC_API int xc_num_add(xc_num *r, const xc_num *a, const xc_num *b);
XC_API int xc_num_sub(xc_num *r, const xc_num *a, const xc_num *b);
XC_API int xc_num_mul(xc_num *r, const xc_num *a, const xc_num *b);
XC_API int xc_num_div(xc_num *r, const xc_num *a, const xc_num *b);
XC_API int xc_num_neg(xc_num *r, const xc_num *a);
XC_API int xc_num_abs(xc_num *r, const xc_num *a);
XC_API int xc_num_inv(xc_num *r, const xc_num *a); /* 1/a */
/* r = a^e for an integer exponent; 0^negative is XC_EDIVZERO; results
 * past XC_NUM_MAX_BITS are XC_ELIMIT (checked before computing). */
XC_API int xc_num_pow_int(xc_num *r, const xc_num *a, int64_t e);
/* r = a mod b with the sign of b (Excel MOD); b == 0 is XC_EDIVZERO. */
XC_API int xc_num_mod(xc_num *r, const xc_num *a, const xc_num *b);
/* Multiply by 10^e exactly (e may be negative). */
XC_API int xc_num_scale10(xc_num *r, const xc_num *a, int e);

/* Rounding to `digits` decimal places (negative: to tens, hundreds...). */
typedef enum xc_round_mode {
    XC_ROUND_HALF_UP,   /* half away from zero: Excel ROUND */
    XC_ROUND_HALF_EVEN, /* banker's */
    XC_ROUND_DOWN,      /* toward zero: ROUNDDOWN, TRUNC */
    XC_ROUND_UP,        /* away from zero: ROUNDUP */
    XC_ROUND_FLOOR,     /* toward -infinity: INT */
    XC_ROUND_CEIL       /* toward +infinity */
} xc_round_mode;
XC_API int xc_num_round(xc_num *r, const xc_num *x, int digits,
                        xc_round_mode mode);
/* Round to a multiple of m (m != 0) with the given mode: FLOOR/CEILING
 * family building block.  r = q*m where q = round(x/m, mode). */
XC_API int xc_num_round_multiple(xc_num *r, const xc_num *x, const xc_num *m,
                                 xc_round_mode mode);
/* Round to `sig` significant digits (sig >= 1), mode as above. */
XC_API int xc_num_round_sig(xc_num *r, const xc_num *x, int sig,
                            xc_round_mode mode);
/* The decimal exponent e with 10^e <= |x| < 10^(e+1); x != 0. */
XC_API long xc_num_exp10(const xc_num *x);

/* Formatting; appends to out. */
typedef enum xc_num_fmt {
    /* Excel's General: at most 15 significant digits (rounded half away
     * from zero), no trailing zeros, scientific notation ("1.5E+20",
     * "1E-10") when the decimal exponent is >= 15 or <= -10. */
    XC_FMT_GENERAL,
    /* Exact: integers and terminating decimals as they are ("0.3",
     * "1291.61"); other rationals as "n/d = decimal" with the repeating
     * part in parentheses ("28/3 = 9.(3)", "1/7 = 0.(142857)").  A
     * repetend longer than 60 digits is shown as its first 60 followed by
     * "..." inside the parentheses. */
    XC_FMT_EXACT,
    /* For files (xlsx <v>, CSV): the exact decimal if it terminates
     * within 17 significant digits, else rounded half-even to 17
     * significant digits; plain notation for decimal exponents in
     * [-6, 20], otherwise "1.2345E-7" / "1E+21" style.  Never
     * locale-dependent. */
    XC_FMT_FILE,
    /* Shortest text that denotes the same value in a formula: exact
     * decimal if terminating (any length), else as XC_FMT_FILE. */
    XC_FMT_SOURCE
} xc_num_fmt;
XC_API int xc_num_format(xc_buf *out, const xc_num *x, xc_num_fmt fmt);
/* Fixed notation with exactly `decimals` places (>= 0), rounded half
 * away from zero, with '-' for negatives (and never "-0.00"). */
XC_API int xc_num_format_fixed(xc_buf *out, const xc_num *x, int decimals);
/* Scientific with `decimals` mantissa places: "1.23E+05" style
 * (exponent at least two digits), rounded half away from zero. */
XC_API int xc_num_format_sci(xc_buf *out, const xc_num *x, int decimals);

/* Evaluate f(x) for an irrational function through MPFR at
 * XC_MPFR_PREC bits; *exact is set to 1 when MPFR reports the result
 * exact.  Used by the function library (SQRT, LN, EXP, trig...). */
typedef int (*xc_mpfr_fn1)(mpfr_t r, const mpfr_t x, mpfr_rnd_t rnd);
XC_API int xc_num_mpfr1(xc_num *r, const xc_num *x, xc_mpfr_fn1 f, int *exact);

#endif
