/* test_num.c - exact numbers: parsing (incl. the 15-digit recovery
 * rule), formats, rounding, arithmetic exactness and limits. */
#include <float.h>
#include <math.h>
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
    CHECK_STR(PF("0.1234567890123456789", XC_FMT_SOURCE),
              "0.1234567890123456789");
    CHECK_STR(FRAC(1, 3, XC_FMT_SOURCE), "0.33333333333333333");
    CHECK_STR(PF("1e30", XC_FMT_SOURCE), "1E+30");
    CHECK_STR(PF("-2.5e-9", XC_FMT_SOURCE), "-2.5E-9");
}

int main(void)
{
    test_parse();
    test_recover15();
    test_general();
    test_exact_fmt();
    test_file_fmt();
    return xtest_done();
}
