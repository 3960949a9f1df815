/* test_num.c - exact numbers: parsing (incl. the 15-digit recovery
 * rule), formats, rounding, arithmetic exactness and limits. */
#include <float.h>
#include <math.h>
#include <limits.h>
#include <stdlib.h>

#include "exacalc/num.h"
#include "xtest.h"

static char fmtbuf[4096];

/* Parse s (must succeed) into x. */
static void P(xc_num *x, const char *s)
{
    int st = xc_num_parse(x, s, strlen(s), 0, NULL);
    if (st != XC_OK)
        fprintf(stderr, "parse failed: %s\n", s);
}

static const char *F(const xc_num *x, xc_num_fmt f)
{
    xc_buf b;
    xc_buf_init(&b);
    if (xc_num_format(&b, x, f) != XC_OK) {
        xc_buf_clear(&b);
        return "(error)";
    }
    snprintf(fmtbuf, sizeof fmtbuf, "%s", b.p);
    xc_buf_clear(&b);
    return fmtbuf;
}

/* Format the text s (parsed exactly) in f. */
static const char *PF(const char *s, xc_num_fmt f)
{
    xc_num x;
    xc_num_init(&x);
    P(&x, s);
    F(&x, f);
    xc_num_clear(&x);
    return fmtbuf;
}

/* Parse with RECOVER15 and show the exact form. */
static const char *R15(const char *s)
{
    xc_num x;
    xc_num_init(&x);
    if (xc_num_parse(&x, s, strlen(s), XC_PARSE_RECOVER15, NULL) != XC_OK)
        snprintf(fmtbuf, sizeof fmtbuf, "(error)");
    else
        F(&x, XC_FMT_EXACT);
    xc_num_clear(&x);
    return fmtbuf;
}

static const char *FRAC(int64_t n, int64_t d, xc_num_fmt f)
{
    xc_num x;
    xc_num_init(&x);
    xc_num_set_frac(&x, n, d);
    F(&x, f);
    xc_num_clear(&x);
    return fmtbuf;
}

static void test_parse(void)
{
    static const char *good[] = {"1.",     ".5",    "-.5",      "+3",
                                 "1E-005", "1e-05", "1.2E+020", "0",
                                 "-0",     "00012", "0.000",    "12e0"};
    static const char *bad[] = {"",    ".",   "e5",  "1e",   "--1",   "1 ",
                                " 1",  "+",   "-",   "1e+",  "1.2.3", "0x10",
                                "1,5", "inf", "nan", "1e5.", "１"};
    size_t i, used;
    xc_num x;

    xc_num_init(&x);
    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(xc_num_parse(&x, good[i], strlen(good[i]), 0, NULL) == XC_OK);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(xc_num_parse(&x, bad[i], strlen(bad[i]), 0, NULL) == XC_EPARSE);
    CHECK_STR(PF("1E-005", XC_FMT_EXACT), "0.00001");
    CHECK_STR(PF("1.2E+020", XC_FMT_EXACT), "120000000000000000000");
    CHECK_STR(PF("-.5", XC_FMT_EXACT), "-0.5");
    CHECK_STR(PF("+3", XC_FMT_EXACT), "3");
    CHECK_STR(PF("1.", XC_FMT_EXACT), "1");
    CHECK_STR(PF("-0", XC_FMT_EXACT), "0");

    /* prefix mode */
    CHECK(xc_num_parse(&x, "12.5abc", 7, XC_PARSE_PREFIX, &used) == XC_OK);
    CHECK(used == 4);
    CHECK(xc_num_parse(&x, "1e", 2, XC_PARSE_PREFIX, &used) == XC_OK);
    CHECK(used == 1);
    CHECK(xc_num_parse(&x, "3e+4)", 5, XC_PARSE_PREFIX, &used) == XC_OK);
    CHECK(used == 4);
    CHECK(xc_num_cmp_int(&x, 30000) == 0);
    CHECK(xc_num_parse(&x, "x1", 2, XC_PARSE_PREFIX, &used) == XC_EPARSE);

    /* an unterminated buffer: only n bytes are read */
    CHECK(xc_num_parse(&x, "123456", 3, 0, NULL) == XC_OK);
    CHECK(xc_num_cmp_int(&x, 123) == 0);

    /* limits */
    CHECK(xc_num_parse(&x, "1e4001", 6, 0, NULL) == XC_ELIMIT);
    CHECK(xc_num_parse(&x, "1e-4001", 7, 0, NULL) == XC_ELIMIT);
    CHECK(xc_num_parse(&x, "1e99999999999999999999", 22, 0, NULL) == XC_ELIMIT);
    CHECK(xc_num_parse(&x, "0e99999999999999999999", 22, 0, NULL) == XC_OK);
    CHECK(xc_num_is_zero(&x));
    CHECK(xc_num_parse(&x, "1e4000", 6, 0, NULL) == XC_OK);
    CHECK(xc_num_exp10(&x) == 4000);
    xc_num_clear(&x);
}

static void test_recover15(void)
{
    CHECK_STR(R15("0.56000000000000005"), "0.56");
    CHECK_STR(R15("34.700000000000003"), "34.7");
    CHECK_STR(R15("8.3000000000000001E-3"), "0.0083");
    CHECK_STR(R15("0.30000000000000004"), "0.30000000000000004");
    CHECK_STR(R15("7.1999999999999993"), "7.1999999999999993");
    CHECK_STR(R15("19.989999999999998"), "19.99");
    CHECK_STR(R15("0.57999999999999996"), "0.58");
    CHECK_STR(R15("68.400000000000006"), "68.4");
    CHECK_STR(R15("3.2400000000000005E-2"), "0.032400000000000005");
    CHECK_STR(R15("4.0000000000000007E-4"), "0.00040000000000000007");
    CHECK_STR(R15("-0.56000000000000005"), "-0.56");
    CHECK_STR(R15("0.5600000000000001"), "0.56");
    CHECK_STR(R15("0.56000000000000010002"), "0.56");
    /* 15 digits or fewer: always the text exactly */
    CHECK_STR(R15("0.123456789012345"), "0.123456789012345");
    /* the padded and lower-case exponent forms of other writers */
    CHECK_STR(R15("5.6000000000000005E-001"), "0.56");
    CHECK_STR(R15("5.6000000000000005e-01"), "0.56");
    /* the rule, not Excel's reader: 62408 reads back as another double */
    CHECK_STR(R15("62408.000000000007"), "62408.000000000007");
    CHECK_STR(R15("1.0000000000000002"), "1.0000000000000002");
    /* t would overflow to infinity: the text exactly */
    {
        xc_num x;
        xc_num_init(&x);
        CHECK(xc_num_parse(&x, "1.7976931348623157e308", 22, XC_PARSE_RECOVER15,
                           NULL) == XC_OK);
        CHECK_STR(F(&x, XC_FMT_FILE), "1.7976931348623157E+308");
        xc_num_clear(&x);
    }
    /* any number of digits: the double they denote decides */
    CHECK_STR(R15("0.560000000000000000000000000000000000000000000001"),
              "0.56");
    CHECK_STR(R15("0.300000000000000044408920985006261616945266723633"),
              "0.300000000000000044408920985006261616945266723633");
    /* with PREFIX */
    {
        xc_num x;
        size_t used = 0;
        xc_num_init(&x);
        CHECK(xc_num_parse(&x, "0.56000000000000005)", 20,
                           XC_PARSE_RECOVER15 | XC_PARSE_PREFIX,
                           &used) == XC_OK);
        CHECK(used == 19);
        CHECK_STR(F(&x, XC_FMT_EXACT), "0.56");
        xc_num_clear(&x);
    }
    /* without the flag: the text exactly */
    CHECK_STR(PF("0.56000000000000005", XC_FMT_EXACT), "0.56000000000000005");
}

static void test_general(void)
{
    xc_num a, b, r;

    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&r);
    P(&a, "0.1");
    P(&b, "0.2");
    xc_num_add(&r, &a, &b);
    CHECK_STR(F(&r, XC_FMT_GENERAL), "0.3");
    CHECK_STR(F(&r, XC_FMT_EXACT), "0.3");
    CHECK_STR(FRAC(1, 3, XC_FMT_GENERAL), "0.333333333333333");
    CHECK_STR(FRAC(2, 3, XC_FMT_GENERAL), "0.666666666666667");
    CHECK_STR(FRAC(28, 3, XC_FMT_GENERAL), "9.33333333333333");
    CHECK_STR(FRAC(-2, 3, XC_FMT_GENERAL), "-0.666666666666667");
    CHECK_STR(PF("123456789012345678", XC_FMT_GENERAL), "1.23456789012346E+17");
    CHECK_STR(PF("1E+15", XC_FMT_GENERAL), "1E+15");
    CHECK_STR(PF("1.5E+20", XC_FMT_GENERAL), "1.5E+20");
    CHECK_STR(PF("999999999999999", XC_FMT_GENERAL), "999999999999999");
    CHECK_STR(PF("999999999999999.5", XC_FMT_GENERAL), "1E+15");
    CHECK_STR(PF("0.000000001", XC_FMT_GENERAL), "0.000000001");
    CHECK_STR(PF("1E-10", XC_FMT_GENERAL), "1E-10");
    CHECK_STR(PF("-0.5", XC_FMT_GENERAL), "-0.5");
    CHECK_STR(PF("0", XC_FMT_GENERAL), "0");
    CHECK_STR(PF("-1234567890123456", XC_FMT_GENERAL), "-1.23456789012346E+15");
    CHECK_STR(PF("1291.61", XC_FMT_GENERAL), "1291.61");
    CHECK_STR(PF("1234567890123.45", XC_FMT_GENERAL), "1234567890123.45");
    CHECK_STR(PF("0.1234567890123456", XC_FMT_GENERAL), "0.123456789012346");
    CHECK_STR(PF("1e100", XC_FMT_GENERAL), "1E+100");
    CHECK_STR(PF("-1.5e-100", XC_FMT_GENERAL), "-1.5E-100");
    CHECK_STR(PF("100", XC_FMT_GENERAL), "100");
    CHECK_STR(PF("0.0000000000999999999999999", XC_FMT_GENERAL),
              "9.99999999999999E-11");
    CHECK_STR(PF("0.00000000009999999999999995", XC_FMT_GENERAL),
              "1E-10"); /* the exponent after rounding decides */
    CHECK_STR(PF("-0.000123456789012345678", XC_FMT_GENERAL),
              "-0.000123456789012346");
    CHECK_STR(PF("100000000000000", XC_FMT_GENERAL), "100000000000000");
    xc_num_clear(&a);
    xc_num_clear(&b);
    xc_num_clear(&r);
}

static void test_exact_fmt(void)
{
    CHECK_STR(FRAC(28, 3, XC_FMT_EXACT), "28/3 = 9.(3)");
    CHECK_STR(FRAC(1, 7, XC_FMT_EXACT), "1/7 = 0.(142857)");
    CHECK_STR(FRAC(-1, 6, XC_FMT_EXACT), "-1/6 = -0.1(6)");
    CHECK_STR(FRAC(1, 12, XC_FMT_EXACT), "1/12 = 0.08(3)");
    CHECK_STR(FRAC(129161, 100, XC_FMT_EXACT), "1291.61");
    CHECK_STR(FRAC(-7, 1, XC_FMT_EXACT), "-7");
    CHECK_STR(
        FRAC(1, 97, XC_FMT_EXACT),
        "1/97 = "
        "0.(010309278350515463917525773195876288659793814432989690721649...)");
    CHECK_STR(
        FRAC(1, 61, XC_FMT_EXACT),
        "1/61 = "
        "0.(016393442622950819672131147540983606557377049180327868852459)");
    CHECK_STR(PF("1e30", XC_FMT_EXACT), "1000000000000000000000000000000");
    /* digits beyond 2^64 in the inline fast path: (2^62 + 1) / 2^19 */
    CHECK_STR(FRAC((INT64_C(1) << 62) + 1, 1 << 19, XC_FMT_EXACT),
              "8796093022208.0000019073486328125");
    CHECK_STR(FRAC(-((INT64_C(1) << 62) + 1), 1 << 19, XC_FMT_FILE),
              "-8796093022208"); /* 17 significant digits */
}

static void test_file_fmt(void)
{
    CHECK_STR(PF("0.1", XC_FMT_FILE), "0.1");
    CHECK_STR(FRAC(1, 3, XC_FMT_FILE), "0.33333333333333333");
    CHECK_STR(FRAC(2, 3, XC_FMT_FILE), "0.66666666666666667");
    CHECK_STR(PF("0.12345678901234567", XC_FMT_FILE), "0.12345678901234567");
    CHECK_STR(PF("0.123456789012345675", XC_FMT_FILE), "0.12345678901234568");
    CHECK_STR(PF("0.123456789012345665", XC_FMT_FILE), "0.12345678901234566");
    CHECK_STR(PF("1e20", XC_FMT_FILE), "100000000000000000000");
    CHECK_STR(PF("1e21", XC_FMT_FILE), "1E+21");
    CHECK_STR(PF("1.2345e-7", XC_FMT_FILE), "1.2345E-7");
    CHECK_STR(PF("1.2345e-6", XC_FMT_FILE), "0.0000012345");
    CHECK_STR(PF("-42", XC_FMT_FILE), "-42");
    CHECK_STR(PF("123456789012345678901", XC_FMT_FILE),
              "123456789012345680000");
    /* the 64-bit paths and their edges: integers below 10^17, decimals
     * with at most 17 digits and an exponent of at least -6 */
    CHECK_STR(FRAC(INT64_MIN, 1, XC_FMT_FILE), "-9223372036854775800");
    CHECK_STR(FRAC(99999999999999999, 1, XC_FMT_FILE), "99999999999999999");
    CHECK_STR(FRAC(-100000000000000001, 1, XC_FMT_FILE), "-100000000000000000");
    CHECK_STR(FRAC(1000000001, 10, XC_FMT_FILE), "100000000.1");
    CHECK_STR(FRAC(-7, 8, XC_FMT_FILE), "-0.875");
    CHECK_STR(FRAC(1, 1000000, XC_FMT_FILE), "0.000001");
    CHECK_STR(FRAC(1, 10000000, XC_FMT_FILE), "1E-7");
    CHECK_STR(FRAC(11, 10000000, XC_FMT_FILE), "0.0000011");
    CHECK_STR(FRAC(12345678901234567, 100, XC_FMT_FILE), "123456789012345.67");
    CHECK_STR(FRAC(123456789012345679, 1000, XC_FMT_FILE),
              "123456789012345.68");
    CHECK_STR(FRAC(1, INT64_C(1) << 19, XC_FMT_FILE), "0.0000019073486328125");
    CHECK_STR(FRAC(3, INT64_C(1) << 40, XC_FMT_FILE), "2.7284841053187847E-12");
    CHECK_STR(FRAC(INT64_MAX, 1000, XC_FMT_FILE), "9223372036854775.8");
    CHECK_STR(PF("0.1234567890123456789", XC_FMT_SOURCE),
              "0.1234567890123456789");
    CHECK_STR(FRAC(1, 3, XC_FMT_SOURCE), "0.33333333333333333");
    CHECK_STR(PF("1e30", XC_FMT_SOURCE), "1E+30");
    CHECK_STR(PF("-2.5e-9", XC_FMT_SOURCE), "-2.5E-9");
}

/* ---- rounding --------------------------------------------------- */

static const char *RND(const char *s, int digits, xc_round_mode m)
{
    xc_num x;
    xc_num_init(&x);
    P(&x, s);
    if (xc_num_round(&x, &x, digits, m) != XC_OK)
        snprintf(fmtbuf, sizeof fmtbuf, "(error)");
    else
        F(&x, XC_FMT_EXACT);
    xc_num_clear(&x);
    return fmtbuf;
}

static void test_round(void)
{
    xc_num x, m, r;

    /* Excel probes: exact decimal arithmetic rounds "the right way" */
    CHECK_STR(RND("2.675", 2, XC_ROUND_HALF_UP), "2.68");
    CHECK_STR(RND("1.005", 2, XC_ROUND_HALF_UP), "1.01");
    CHECK_STR(RND("0.285", 2, XC_ROUND_HALF_UP), "0.29");
    CHECK_STR(RND("109.5", 0, XC_ROUND_HALF_UP), "110");
    CHECK_STR(RND("-2.5", 0, XC_ROUND_HALF_UP), "-3");
    CHECK_STR(RND("-2.5", 0, XC_ROUND_FLOOR), "-3"); /* INT(-2.5) */
    CHECK_STR(RND("2.5", 0, XC_ROUND_FLOOR), "2");
    CHECK_STR(RND("-2.5", 0, XC_ROUND_CEIL), "-2");
    CHECK_STR(RND("2.5", 0, XC_ROUND_HALF_EVEN), "2");
    CHECK_STR(RND("3.5", 0, XC_ROUND_HALF_EVEN), "4");
    CHECK_STR(RND("-3.5", 0, XC_ROUND_HALF_EVEN), "-4");
    CHECK_STR(RND("-2.5", 0, XC_ROUND_HALF_EVEN), "-2");
    CHECK_STR(RND("2.51", 0, XC_ROUND_HALF_EVEN), "3");
    CHECK_STR(RND("-2.9", 0, XC_ROUND_DOWN), "-2");
    CHECK_STR(RND("-2.1", 0, XC_ROUND_UP), "-3");
    CHECK_STR(RND("2.1", 0, XC_ROUND_UP), "3");
    CHECK_STR(RND("2", 0, XC_ROUND_UP), "2");
    CHECK_STR(RND("1234.5678", -2, XC_ROUND_HALF_UP), "1200");
    CHECK_STR(RND("1250", -2, XC_ROUND_HALF_UP), "1300");
    CHECK_STR(RND("-1250", -2, XC_ROUND_HALF_UP), "-1300");
    CHECK_STR(RND("1250", -2, XC_ROUND_HALF_EVEN), "1200");
    CHECK_STR(RND("1234.5678", -2, XC_ROUND_UP), "1300");
    CHECK_STR(RND("49", -2, XC_ROUND_HALF_UP), "0");
    CHECK_STR(RND("1234.5678", -30, XC_ROUND_UP),
              "1000000000000000000000000000000");
    CHECK_STR(RND("1234.5678", -30, XC_ROUND_HALF_UP), "0");
    CHECK_STR(RND("0.123456789012345678901234567890123", 30, XC_ROUND_HALF_UP),
              "0.12345678901234567890123456789");
    CHECK_STR(RND("0.5", 40, XC_ROUND_HALF_UP), "0.5");
    CHECK_STR(RND("21.9", 0, XC_ROUND_HALF_UP), "22");
    /* ROUND(21.9/0.2, 0) = 110 exactly */
    xc_num_init(&x);
    xc_num_init(&m);
    xc_num_init(&r);
    P(&x, "21.9");
    P(&m, "0.2");
    CHECK(xc_num_div(&r, &x, &m) == XC_OK);
    CHECK(xc_num_round(&r, &r, 0, XC_ROUND_HALF_UP) == XC_OK);
    CHECK(xc_num_cmp_int(&r, 110) == 0);
    /* big values take the GMP path */
    P(&x, "123456789012345678901234567.5");
    CHECK(xc_num_round(&r, &x, 0, XC_ROUND_HALF_UP) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "123456789012345678901234568");
    CHECK(xc_num_round(&r, &x, -20, XC_ROUND_FLOOR) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "123456700000000000000000000");
    /* huge digit counts */
    xc_num_set_frac(&x, 1, 3);
    CHECK(xc_num_round(&r, &x, 1000000, XC_ROUND_HALF_UP) == XC_ELIMIT);
    P(&x, "0.25");
    CHECK(xc_num_round(&r, &x, 1000000, XC_ROUND_HALF_UP) == XC_OK);
    CHECK(xc_num_equal(&r, &x));
    CHECK(xc_num_round(&r, &x, -1000000, XC_ROUND_HALF_UP) == XC_OK);
    CHECK(xc_num_is_zero(&r));
    CHECK(xc_num_round(&r, &x, -1000000, XC_ROUND_UP) == XC_ELIMIT);

    /* multiples: FLOOR/CEILING building block */
    P(&x, "7.3");
    P(&m, "0.5");
    CHECK(xc_num_round_multiple(&r, &x, &m, XC_ROUND_FLOOR) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "7");
    CHECK(xc_num_round_multiple(&r, &x, &m, XC_ROUND_CEIL) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "7.5");
    P(&x, "-7.25");
    CHECK(xc_num_round_multiple(&r, &x, &m, XC_ROUND_HALF_UP) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "-7.5");
    xc_num_set_int(&m, 0);
    CHECK(xc_num_round_multiple(&r, &x, &m, XC_ROUND_FLOOR) == XC_EDIVZERO);

    /* significant digits */
    P(&x, "123456.789");
    CHECK(xc_num_round_sig(&r, &x, 3, XC_ROUND_HALF_UP) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "123000");
    P(&x, "0.00099951");
    CHECK(xc_num_round_sig(&r, &x, 3, XC_ROUND_HALF_UP) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "0.001");
    CHECK(xc_num_round_sig(&r, &x, 0, XC_ROUND_HALF_UP) == XC_EINVAL);

    /* exp10 */
    P(&x, "999.99");
    CHECK(xc_num_exp10(&x) == 2);
    P(&x, "1000");
    CHECK(xc_num_exp10(&x) == 3);
    P(&x, "-0.001");
    CHECK(xc_num_exp10(&x) == -3);
    P(&x, "0.00099999");
    CHECK(xc_num_exp10(&x) == -4);
    P(&x, "1e300");
    CHECK(xc_num_exp10(&x) == 300);
    P(&x, "9.99999999999999999999999e-300");
    CHECK(xc_num_exp10(&x) == -300);
    xc_num_set_frac(&x, 1, INT64_MAX);
    CHECK(xc_num_exp10(&x) == -19);
    xc_num_set_int(&x, INT64_MAX);
    CHECK(xc_num_exp10(&x) == 18);
    xc_num_clear(&x);
    xc_num_clear(&m);
    xc_num_clear(&r);
}

static const char *FIX(const char *s, int dec)
{
    xc_num x;
    xc_buf b;
    xc_num_init(&x);
    xc_buf_init(&b);
    P(&x, s);
    if (xc_num_format_fixed(&b, &x, dec) == XC_OK)
        snprintf(fmtbuf, sizeof fmtbuf, "%s", b.p);
    else
        snprintf(fmtbuf, sizeof fmtbuf, "(error)");
    xc_buf_clear(&b);
    xc_num_clear(&x);
    return fmtbuf;
}

static const char *SCI(const char *s, int dec)
{
    xc_num x;
    xc_buf b;
    xc_num_init(&x);
    xc_buf_init(&b);
    P(&x, s);
    if (xc_num_format_sci(&b, &x, dec) == XC_OK)
        snprintf(fmtbuf, sizeof fmtbuf, "%s", b.p);
    else
        snprintf(fmtbuf, sizeof fmtbuf, "(error)");
    xc_buf_clear(&b);
    xc_num_clear(&x);
    return fmtbuf;
}

static void test_fixed_sci(void)
{
    CHECK_STR(FIX("2.675", 2), "2.68");
    CHECK_STR(FIX("-0.001", 2), "0.00");
    CHECK_STR(FIX("-0.005", 2), "-0.01");
    CHECK_STR(FIX("0", 3), "0.000");
    CHECK_STR(FIX("12", 0), "12");
    CHECK_STR(FIX("12.5", 0), "13");
    CHECK_STR(FIX("-12.5", 0), "-13");
    CHECK_STR(FIX("300", 2), "300.00");
    CHECK_STR(FIX("0.5", 3), "0.500");
    CHECK_STR(FIX("1234567.891", 1), "1234567.9");
    CHECK_STR(FIX("0.0001", 6), "0.000100");
    CHECK_STR(FIX("-0.4", 0), "0");
    CHECK_STR(FIX("123456789012345678901234.5", 0), "123456789012345678901235");
    CHECK_STR(SCI("12345", 2), "1.23E+04");
    CHECK_STR(SCI("12355", 2), "1.24E+04");
    CHECK_STR(SCI("-0.00012345", 3), "-1.235E-04");
    CHECK_STR(SCI("0", 2), "0.00E+00");
    CHECK_STR(SCI("9.999", 2), "1.00E+01");
    CHECK_STR(SCI("1e100", 0), "1E+100");
    CHECK_STR(SCI("5", 1), "5.0E+00");
}

/* ---- arithmetic ---------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random int64 in [-INT64_MAX, INT64_MAX], often near the edges. */
static int64_t rnd_int(void)
{
    int64_t v;
    switch (rnd64() % 6) {
    case 0:
        v = INT64_MAX - (int64_t)(rnd64() % 1000);
        break;
    case 1:
        v = (int64_t)(rnd64() % 1000);
        break;
    case 2:
        v = (int64_t)(rnd64() >> 1);
        break;
    case 3:
        v = (int64_t)(rnd64() >> (rnd64() % 63 + 1));
        break;
    case 4:
        v = ((int64_t)1 << (rnd64() % 63)) - (int64_t)(rnd64() % 3);
        break;
    default:
        v = (int64_t)(rnd64() % 100000);
        break;
    }
    if (v < 0)
        v = INT64_MAX;
    return rnd64() & 1 ? -v : v;
}

/* A random value: small fraction, integer, or big (from mpz). */
static void rnd_num(xc_num *x)
{
    int64_t n = rnd_int(), d = rnd_int();
    mpq_t q;
    unsigned i;

    switch (rnd64() % 5) {
    case 0:
        xc_num_set_int(x, n);
        return;
    case 1: { /* decimal with a power-of-ten denominator */
        static const int64_t p10[] = {1, 10, 100, 1000, 10000, 100000};
        xc_num_set_frac(x, n % 100000000, p10[rnd64() % 6]);
        return;
    }
    case 2:
        mpq_init(q);
        for (i = 0; i < 1 + rnd64() % 4; i++) {
            mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 64);
            mpz_add_ui(mpq_numref(q), mpq_numref(q), rnd64());
            mpz_mul_2exp(mpq_denref(q), mpq_denref(q), 60);
            mpz_add_ui(mpq_denref(q), mpq_denref(q), rnd64() >> 3);
        }
        mpz_add_ui(mpq_denref(q), mpq_denref(q), 1);
        if (rnd64() & 1)
            mpq_neg(q, q);
        mpq_canonicalize(q);
        xc_num_set_mpq(x, q);
        mpq_clear(q);
        return;
    default:
        if (d == 0)
            d = 1;
        xc_num_set_frac(x, n, d);
        return;
    }
}

/* x is canonical: inline exactly when it fits. */
static int is_canonical(const xc_num *x)
{
    mpq_t q;
    int fits, ok;
    mpq_init(q);
    xc_num_get_mpq(q, x);
    fits = mpz_fits_slong_p(mpq_numref(q)) &&
           mpz_cmp_si(mpq_numref(q), LONG_MIN) != 0 &&
           mpz_fits_slong_p(mpq_denref(q));
    ok = fits == (x->d > 0);
    if (x->d > 0)
        ok = ok && x->d >= 1;
    mpq_clear(q);
    return ok;
}
typedef int (*num_op)(xc_num *, const xc_num *, const xc_num *);
typedef void (*gmp_op)(mpq_ptr, mpq_srcptr, mpq_srcptr);

/* The fast path and GMP agree on random operands, including values at
 * the int64 overflow boundary; results are canonical. */
static void test_random_ops(void)
{
    static const num_op ops[] = {xc_num_add, xc_num_sub, xc_num_mul,
                                 xc_num_div};
    static const gmp_op gops[] = {mpq_add, mpq_sub, mpq_mul, mpq_div};
    xc_num a, b, r, t;
    mpq_t qa, qb, qr, got;
    int i, k, bad_op = 0, bad_id = 0, bad_canon = 0, bad_cmp = 0;
    int bad_mod = 0, bad_round = 0;

    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&r);
    xc_num_init(&t);
    mpq_init(qa);
    mpq_init(qb);
    mpq_init(qr);
    mpq_init(got);
    for (i = 0; i < 20000; i++) {
        int c;
        rnd_num(&a);
        rnd_num(&b);
        xc_num_get_mpq(qa, &a);
        xc_num_get_mpq(qb, &b);
        for (k = 0; k < 4; k++) {
            int st = ops[k](&r, &a, &b);
            if (k == 3 && mpq_sgn(qb) == 0) {
                bad_op += st != XC_EDIVZERO;
                continue;
            }
            if (st != XC_OK) {
                bad_op++;
                continue;
            }
            gops[k](qr, qa, qb);
            xc_num_get_mpq(got, &r);
            bad_op += !mpq_equal(qr, got);
            bad_canon += !is_canonical(&r);
        }
        /* aliasing: r = a; r = r op b */
        xc_num_set(&r, &a);
        xc_num_add(&r, &r, &b);
        mpq_add(qr, qa, qb);
        xc_num_get_mpq(got, &r);
        bad_op += !mpq_equal(qr, got);
        /* identities */
        xc_num_add(&r, &a, &b);
        xc_num_sub(&t, &r, &b);
        bad_id += !xc_num_equal(&t, &a);
        if (!xc_num_is_zero(&b)) {
            xc_num_div(&r, &a, &b);
            xc_num_mul(&t, &r, &b);
            bad_id += !xc_num_equal(&t, &a);
            /* mod: sign of b, |mod| < |b|, (a - mod)/b integral */
            if (xc_num_mod(&r, &a, &b) != XC_OK) {
                bad_mod++;
            } else {
                xc_num_abs(&t, &r);
                xc_num_get_mpq(got, &t);
                mpq_abs(qr, qb);
                bad_mod += mpq_cmp(got, qr) >= 0;
                bad_mod +=
                    xc_num_sign(&r) != 0 && xc_num_sign(&r) != xc_num_sign(&b);
                xc_num_sub(&t, &a, &r);
                xc_num_div(&t, &t, &b);
                bad_mod += !xc_num_is_int(&t);
                bad_canon += !is_canonical(&r);
            }
        }
        c = mpq_cmp(qa, qb);
        bad_cmp += xc_num_cmp(&a, &b) != (c > 0) - (c < 0);
        bad_cmp += xc_num_equal(&a, &b) != (c == 0);
        /* round(a, 2) lies within half a cent and has <= 2 places */
        if (xc_num_round(&r, &a, 2, XC_ROUND_HALF_UP) == XC_OK) {
            xc_num_sub(&t, &r, &a);
            xc_num_abs(&t, &t);
            bad_round += xc_num_cmp(&t, &(xc_num){200, {1}}) > 0;
            xc_num_scale10(&t, &r, 2);
            bad_round += !xc_num_is_int(&t);
            bad_canon += !is_canonical(&r);
        } else {
            bad_round++;
        }
        /* floor agrees with GMP */
        if (xc_num_round(&r, &a, 0, XC_ROUND_FLOOR) == XC_OK) {
            mpz_fdiv_q(mpq_numref(qr), mpq_numref(qa), mpq_denref(qa));
            mpz_set_ui(mpq_denref(qr), 1);
            xc_num_get_mpq(got, &r);
            bad_round += !mpq_equal(qr, got);
        }
    }
    CHECK(bad_op == 0);
    CHECK(bad_id == 0);
    CHECK(bad_canon == 0);
    CHECK(bad_cmp == 0);
    CHECK(bad_mod == 0);
    CHECK(bad_round == 0);
    mpq_clear(qa);
    mpq_clear(qb);
    mpq_clear(qr);
    mpq_clear(got);
    xc_num_clear(&a);
    xc_num_clear(&b);
    xc_num_clear(&r);
    xc_num_clear(&t);
}

static void test_arith(void)
{
    xc_num a, b, r;
    int64_t v;

    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&r);
    /* overflow at the int64 boundary promotes and comes back */
    xc_num_set_int(&a, INT64_MAX);
    xc_num_set_int(&b, 1);
    CHECK(xc_num_add(&r, &a, &b) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "9223372036854775808");
    CHECK(r.d == 0);
    CHECK(xc_num_sub(&r, &r, &b) == XC_OK);
    CHECK(r.d > 0 && xc_num_equal(&r, &a));
    xc_num_set_int(&a, INT64_MIN);
    CHECK_STR(F(&a, XC_FMT_EXACT), "-9223372036854775808");
    CHECK(xc_num_get_int64(&a, &v) == XC_OK && v == INT64_MIN);
    CHECK(xc_num_neg(&r, &a) == XC_OK);
    CHECK(xc_num_get_int64(&r, &v) == XC_ELIMIT);
    CHECK(xc_num_set_frac(&a, INT64_MIN, -1) == XC_OK);
    CHECK_STR(F(&a, XC_FMT_EXACT), "9223372036854775808");
    CHECK(xc_num_set_frac(&a, 6, -4) == XC_OK);
    CHECK_STR(F(&a, XC_FMT_EXACT), "-1.5");
    CHECK(xc_num_set_frac(&a, 1, 0) == XC_EDIVZERO);
    /* division by zero */
    xc_num_set_int(&a, 5);
    xc_num_set_int(&b, 0);
    xc_num_set_int(&r, 7);
    CHECK(xc_num_div(&r, &a, &b) == XC_EDIVZERO);
    CHECK(xc_num_cmp_int(&r, 7) == 0); /* unchanged */
    CHECK(xc_num_inv(&r, &b) == XC_EDIVZERO);
    CHECK(xc_num_mod(&r, &a, &b) == XC_EDIVZERO);
    CHECK(xc_num_pow_int(&r, &b, -1) == XC_EDIVZERO);
    /* MOD takes the sign of the divisor */
    xc_num_set_int(&a, -3);
    xc_num_set_int(&b, 2);
    CHECK(xc_num_mod(&r, &a, &b) == XC_OK && xc_num_cmp_int(&r, 1) == 0);
    xc_num_set_int(&a, 3);
    xc_num_set_int(&b, -2);
    CHECK(xc_num_mod(&r, &a, &b) == XC_OK && xc_num_cmp_int(&r, -1) == 0);
    P(&a, "5.5");
    P(&b, "1.2");
    CHECK(xc_num_mod(&r, &a, &b) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "0.7");
    /* powers */
    xc_num_set_int(&a, 10);
    CHECK(xc_num_pow_int(&r, &a, 1000000000) == XC_ELIMIT);
    CHECK(xc_num_pow_int(&r, &a, INT64_MAX) == XC_ELIMIT);
    CHECK(xc_num_pow_int(&r, &a, INT64_MIN) == XC_ELIMIT);
    CHECK(xc_num_pow_int(&r, &a, 30000) == XC_OK);
    CHECK(xc_num_exp10(&r) == 30000);
    CHECK(xc_num_pow_int(&r, &a, 40000) == XC_ELIMIT);
    CHECK(xc_num_pow_int(&r, &a, -3) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "0.001");
    P(&a, "-1.5");
    CHECK(xc_num_pow_int(&r, &a, 3) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "-3.375");
    CHECK(xc_num_pow_int(&r, &a, -2) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "4/9 = 0.(4)");
    CHECK(xc_num_pow_int(&r, &a, 0) == XC_OK && xc_num_cmp_int(&r, 1) == 0);
    xc_num_set_int(&a, -1);
    CHECK(xc_num_pow_int(&r, &a, INT64_MAX) == XC_OK);
    CHECK(xc_num_cmp_int(&r, -1) == 0);
    CHECK(xc_num_pow_int(&r, &a, INT64_MIN) == XC_OK);
    CHECK(xc_num_cmp_int(&r, 1) == 0);
    xc_num_set_int(&a, 3);
    CHECK(xc_num_pow_int(&r, &a, 41) == XC_OK); /* overflows int64 */
    CHECK_STR(F(&r, XC_FMT_EXACT), "36472996377170786403");
    CHECK(xc_num_pow_int(&r, &a, 39) == XC_OK);
    CHECK(r.d > 0);
    CHECK_STR(F(&r, XC_FMT_EXACT), "4052555153018976267");
    /* repeated squaring of a big value hits the limit, not an abort */
    xc_num_set_int(&a, 3);
    {
        int i, st = XC_OK;
        for (i = 0; i < 40 && st == XC_OK; i++)
            st = xc_num_mul(&a, &a, &a);
        CHECK(st == XC_ELIMIT);
        CHECK(xc_num_bits(&a) <= 2 * XC_NUM_MAX_BITS);
    }
    /* values past the size limit are refused, never built */
    {
        mpz_t z;
        mpz_init(z);
        mpz_setbit(z, XC_NUM_MAX_BITS);
        CHECK(xc_num_set_mpz(&r, z) == XC_ELIMIT);
        mpz_clrbit(z, XC_NUM_MAX_BITS);
        mpz_setbit(z, XC_NUM_MAX_BITS - 1);
        CHECK(xc_num_set_mpz(&r, z) == XC_OK);
        CHECK(xc_num_bits(&r) == XC_NUM_MAX_BITS + 1);
        CHECK(xc_num_add(&r, &r, &r) == XC_ELIMIT);
        mpz_clear(z);
    }
    /* scale10 */
    P(&a, "1.5");
    CHECK(xc_num_scale10(&r, &a, 2) == XC_OK && xc_num_cmp_int(&r, 150) == 0);
    CHECK(xc_num_scale10(&r, &a, -2) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "0.015");
    CHECK(xc_num_scale10(&r, &a, 40) == XC_OK);
    CHECK(xc_num_exp10(&r) == 40);
    CHECK(xc_num_scale10(&r, &a, -40) == XC_OK);
    CHECK(xc_num_exp10(&r) == -40);
    CHECK(xc_num_scale10(&r, &a, 1000000000) == XC_ELIMIT);
    CHECK(xc_num_scale10(&r, &a, -1000000000) == XC_ELIMIT);
    /* inverse, neg, abs */
    P(&a, "-0.25");
    CHECK(xc_num_inv(&r, &a) == XC_OK && xc_num_cmp_int(&r, -4) == 0);
    CHECK(xc_num_abs(&r, &a) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "0.25");
    P(&a, "-123456789012345678901234567890.5");
    CHECK(xc_num_inv(&r, &a) == XC_OK && xc_num_inv(&r, &r) == XC_OK);
    CHECK(xc_num_equal(&r, &a));
    CHECK(xc_num_neg(&r, &a) == XC_OK && xc_num_sign(&r) == 1);
    CHECK(xc_num_abs(&a, &a) == XC_OK && xc_num_equal(&a, &r));
    /* integer queries */
    P(&a, "-7.9");
    CHECK(xc_num_get_int64(&a, &v) == XC_EINVAL);
    CHECK(xc_num_trunc_clamp(&a, -100, 100, &v) == 0 && v == -7);
    CHECK(xc_num_trunc_clamp(&a, 0, 100, &v) == 1 && v == 0);
    P(&a, "1e30");
    CHECK(xc_num_get_int64(&a, &v) == XC_ELIMIT);
    CHECK(xc_num_trunc_clamp(&a, 1, 255, &v) == 1 && v == 255);
    P(&a, "-1e30");
    CHECK(xc_num_trunc_clamp(&a, 1, 255, &v) == 1 && v == 1);
    CHECK(xc_num_cmp_int(&a, INT64_MIN) < 0);
    CHECK(xc_num_cmp_int(&a, 0) < 0);
    P(&a, "2.5");
    CHECK(xc_num_cmp_int(&a, 2) > 0 && xc_num_cmp_int(&a, 3) < 0);
    CHECK(xc_num_bits(&a) == 3 + 2);
    CHECK(!xc_num_is_int(&a) && xc_num_sign(&a) == 1);
    xc_num_clear(&a);
    xc_num_clear(&b);
    xc_num_clear(&r);
}

/* ---- doubles and MPFR ---------------------------------------------- */

static void test_double(void)
{
    xc_num x;
    int i, bad = 0, bad_rt = 0;
    char s[64];
    mpq_t q;
    double d;

    xc_num_init(&x);
    P(&x, "0.1");
    CHECK(xc_num_to_double(&x) == 0.1);
    xc_num_set_frac(&x, 1, 3);
    CHECK(xc_num_to_double(&x) == 1.0 / 3.0);
    P(&x, "0.30000000000000004");
    CHECK(xc_num_to_double(&x) == 0.1 + 0.2);
    P(&x, "1e400");
    CHECK(xc_num_to_double(&x) == HUGE_VAL);
    P(&x, "-1e400");
    CHECK(xc_num_to_double(&x) == -HUGE_VAL);
    P(&x, "1e-400");
    CHECK(xc_num_to_double(&x) == 0);
    P(&x, "4.9406564584124654e-324");
    CHECK(xc_num_to_double(&x) == 4.9406564584124654e-324);
    P(&x, "2.4703282292062327e-324"); /* just below half: 0 */
    CHECK(xc_num_to_double(&x) == 0);
    P(&x, "2.4703282292062328e-324"); /* just above half */
    CHECK(xc_num_to_double(&x) == 4.9406564584124654e-324);
    P(&x, "-2.4703282292062328e-324");
    CHECK(xc_num_to_double(&x) == -4.9406564584124654e-324);
    P(&x, "2.4703282292062327208829e-324"); /* just above the tie */
    CHECK(xc_num_to_double(&x) == 4.9406564584124654e-324);
    P(&x, "2.4703282292062327208828e-324"); /* just below */
    CHECK(xc_num_to_double(&x) == 0);
    {
        mpq_t t; /* exactly the tie 2^-1075: to even, 0 */
        mpq_init(t);
        mpq_set_ui(t, 1, 1);
        mpq_div_2exp(t, t, 1075);
        CHECK(xc_num_set_mpq(&x, t) == XC_OK);
        CHECK(xc_num_to_double(&x) == 0);
        /* 1.5 * 2^-1074: tie, to even 2^-1073 */
        mpq_set_ui(t, 3, 1);
        mpq_div_2exp(t, t, 1075);
        CHECK(xc_num_set_mpq(&x, t) == XC_OK);
        CHECK(xc_num_to_double(&x) == 2 * 4.9406564584124654e-324);
        mpq_clear(t);
    }
    P(&x, "2.2250738585072011e-308");
    CHECK(xc_num_to_double(&x) == 2.2250738585072011e-308);
    /* a tie: 2^53 + 1 rounds to even 2^53; via mpq_get_d (truncation)
     * 2^53 + 3 would give 2^53 + 2 instead of 2^53 + 4 */
    xc_num_set_int(&x, 9007199254740993LL);
    CHECK(xc_num_to_double(&x) == 9007199254740992.0);
    xc_num_set_int(&x, 9007199254740995LL);
    CHECK(xc_num_to_double(&x) == 9007199254740996.0);
    /* random decimals against glibc's correctly rounded strtod */
    for (i = 0; i < 20000; i++) {
        int e = (int)(rnd64() % 640) - 330, nd = 1 + (int)(rnd64() % 25);
        int k;
        for (k = 0; k < nd; k++)
            s[k] = (char)('0' + rnd64() % 10);
        s[0] = (char)('1' + rnd64() % 9);
        snprintf(s + nd, sizeof s - (size_t)nd, "e%d", e);
        if (xc_num_parse(&x, s, strlen(s), 0, NULL) != XC_OK) {
            bad++;
            continue;
        }
        bad += xc_num_to_double(&x) != strtod(s, NULL);
        /* and doubles convert exactly and back */
        d = strtod(s, NULL);
        if (isfinite(d) && xc_num_set_double(&x, d) == XC_OK)
            bad_rt += xc_num_to_double(&x) != d;
        else if (isfinite(d))
            bad_rt++;
    }
    CHECK(bad == 0);
    CHECK(bad_rt == 0);
    CHECK(xc_num_set_double(&x, NAN) == XC_EINVAL);
    CHECK(xc_num_set_double(&x, INFINITY) == XC_EINVAL);
    CHECK(xc_num_set_double(&x, 0.1) == XC_OK);
    CHECK_STR(F(&x, XC_FMT_EXACT),
              "0.1000000000000000055511151231257827021181583404541015625");
    CHECK(xc_num_set_double(&x, -3.0) == XC_OK && xc_num_cmp_int(&x, -3) == 0);
    CHECK(xc_num_set_double(&x, 1e300) == XC_OK && xc_num_exp10(&x) == 300);
    CHECK(xc_num_set_double(&x, DBL_TRUE_MIN) == XC_OK);
    CHECK(xc_num_to_double(&x) == DBL_TRUE_MIN);
    mpq_init(q);
    xc_num_get_mpq(q, &x);
    CHECK(mpz_sizeinbase(mpq_denref(q), 2) == 1075);
    mpq_clear(q);
    xc_num_clear(&x);
}

static void test_mpfr(void)
{
    xc_num x, r;
    int exact = -1;
    mpfr_t f;

    xc_num_init(&x);
    xc_num_init(&r);
    xc_num_set_int(&x, 4);
    CHECK(xc_num_mpfr1(&r, &x, mpfr_sqrt, &exact) == XC_OK);
    CHECK(exact == 1 && xc_num_cmp_int(&r, 2) == 0);
    P(&x, "2.25");
    CHECK(xc_num_mpfr1(&r, &x, mpfr_sqrt, &exact) == XC_OK);
    CHECK(exact == 1);
    CHECK_STR(F(&r, XC_FMT_EXACT), "1.5");
    xc_num_set_int(&x, 2);
    CHECK(xc_num_mpfr1(&r, &x, mpfr_sqrt, &exact) == XC_OK);
    CHECK(exact == 0);
    CHECK_STR(F(&r, XC_FMT_GENERAL), "1.4142135623731");
    P(&x, "0.1"); /* not exact in binary: never exact */
    CHECK(xc_num_mpfr1(&r, &x, mpfr_sqrt, &exact) == XC_OK);
    CHECK(exact == 0);
    xc_num_set_int(&x, -1);
    CHECK(xc_num_mpfr1(&r, &x, mpfr_sqrt, &exact) == XC_EINVAL);
    xc_num_set_int(&x, 100000);
    CHECK(xc_num_mpfr1(&r, &x, mpfr_exp, &exact) == XC_ELIMIT);
    xc_num_set_int(&x, -100000);
    CHECK(xc_num_mpfr1(&r, &x, mpfr_exp, &exact) == XC_ELIMIT);
    xc_num_set_int(&x, 0);
    CHECK(xc_num_mpfr1(&r, &x, mpfr_exp, &exact) == XC_OK);
    CHECK(exact == 1 && xc_num_cmp_int(&r, 1) == 0);
    /* get_mpfr rounds as asked */
    mpfr_init2(f, 10);
    xc_num_set_frac(&x, 1, 3);
    xc_num_get_mpfr(f, &x, MPFR_RNDU);
    CHECK(mpfr_cmp_d(f, 1.0 / 3.0) > 0);
    xc_num_get_mpfr(f, &x, MPFR_RNDD);
    CHECK(mpfr_cmp_d(f, 1.0 / 3.0) < 0);
    mpfr_set_inf(f, 1);
    CHECK(xc_num_set_mpfr(&r, f) == XC_EINVAL);
    mpfr_set_d(f, -0.375, MPFR_RNDN);
    CHECK(xc_num_set_mpfr(&r, f) == XC_OK);
    CHECK_STR(F(&r, XC_FMT_EXACT), "-0.375");
    mpfr_clear(f);
    xc_num_clear(&x);
    xc_num_clear(&r);
}

/* Every allocation failure is reported and leaks nothing (run under
 * ASan or valgrind to see the leaks). */
static void test_alloc_failure(void)
{
    xc_num a, b, r;
    xc_buf out;
    long n;
    int st, failures = 0, wrong = 0;

    xc_num_init(&a);
    xc_num_init(&b);
    xc_num_init(&r);
    P(&a, "123456789012345678901234567890.123");
    xc_num_set_frac(&b, 1, 7);
    for (n = 0; n < 20; n++) {
        xc_buf_init(&out);
        xc_alloc_fail_after(n);
        st = xc_num_mul(&r, &a, &b);
        if (st == XC_OK)
            st = xc_num_format(&out, &r, XC_FMT_EXACT);
        if (st == XC_OK)
            st = xc_num_format(&out, &r, XC_FMT_GENERAL);
        if (st == XC_OK)
            st = xc_num_parse(&r, "1234567890123456789012345.5", 27, 0, NULL);
        xc_alloc_fail_after(-1);
        if (st != XC_OK) {
            failures++;
            wrong += st != XC_ENOMEM;
        }
        xc_buf_clear(&out);
        xc_num_clear(&r);
    }
    CHECK(failures > 0);
    CHECK(wrong == 0);
    xc_num_clear(&a);
    xc_num_clear(&b);
}

int main(void)
{
    test_parse();
    test_recover15();
    test_general();
    test_exact_fmt();
    test_file_fmt();
    test_round();
    test_fixed_sci();
    test_random_ops();
    test_arith();
    test_double();
    test_mpfr();
    test_alloc_failure();
    return xtest_done();
}
