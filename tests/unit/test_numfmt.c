/* test_numfmt.c - number-format codes: numeric sections, rounding on the
 * exact value, thousands and scaling commas, percent, scientific,
 * fractions, text sections, conditions, dates and times (1900 quirk,
 * 1904 system, elapsed hours, AM/PM), Chinese literals, weekdays and
 * [DBNum1..3] numerals, locale and currency tags, invalid codes. */
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"
#include "xtest.h"

static char buf[512];

/* Format the decimal text num under code (TEXT-style General when tg). */
static const char *fmt_num(const char *num, const char *code, int d1904, int tg)
{
    xc_value v = {0};
    xc_num x;
    xc_buf b;
    xc_num_init(&x);
    if (xc_num_parse(&x, num, strlen(num), 0, NULL) != XC_OK) {
        xc_num_clear(&x);
        return "(bad number)";
    }
    xc_value_take_num(&v, &x);
    xc_buf_init(&b);
    int st = xc_numfmt_format2(&b, &v, code, d1904, tg);
    if (st == XC_EPARSE)
        snprintf(buf, sizeof buf, "(parse)");
    else if (st != XC_OK)
        snprintf(buf, sizeof buf, "(status %d)", st);
    else
        snprintf(buf, sizeof buf, "%s", b.p ? b.p : "");
    xc_buf_clear(&b);
    xc_value_clear(&v);
    return buf;
}

static const char *F(const char *num, const char *code)
{
    return fmt_num(num, code, 0, 1);
}

static const char *FT(const char *text, const char *code)
{
    xc_value v = {0};
    xc_buf b;
    xc_value_set_text(&v, text, strlen(text));
    xc_buf_init(&b);
    int st = xc_numfmt_format(&b, &v, code, 0);
    snprintf(buf, sizeof buf, "%s", st == XC_OK ? (b.p ? b.p : "") : "(err)");
    xc_buf_clear(&b);
    xc_value_clear(&v);
    return buf;
}

static void numeric(void)
{
    CHECK_STR(F("12", "0"), "12");
    CHECK_STR(F("12345.6789", "0"), "12346");
    CHECK_STR(F("2.5", "0"), "3");
    CHECK_STR(F("-2.5", "0"), "-3");
    CHECK_STR(F("1.005", "0.00"), "1.01"); /* exact, not via double */
    CHECK_STR(F("-0.333", "0"), "0");      /* no "-0" */
    CHECK_STR(F("12345.6789", "#,##0.00"), "12,345.68");
    CHECK_STR(F("1234567", "#,##0"), "1,234,567");
    CHECK_STR(F("123", "#,##0"), "123");
    CHECK_STR(F("0", "#,##0"), "0");
    CHECK_STR(F("0.5", "#.##"), ".5");
    CHECK_STR(F("12", "#.#"), "12.");
    CHECK_STR(F("0", "#.#"), ".");
    CHECK_STR(F("5", "000"), "005");
    CHECK_STR(F("1.5", "0.0?"), "1.5 ");
    CHECK_STR(F("12", "00-00-00-00"), "00-00-00-12");
    CHECK_STR(F("-12", "00-00-00-00"), "-00-00-00-12");
    CHECK_STR(F("123456789012", "00-00-00-00"), "123456-78-90-12");
    CHECK_STR(F("0.12345", "0.00%"), "12.35%");
    CHECK_STR(F("12", "0.00%"), "1200.00%");
    CHECK_STR(F("0.5", "0%%"), "5000%%");
    CHECK_STR(F("1234567", "#,##0,"), "1,235");
    CHECK_STR(F("123456789012", "#,##,, \"Millions\""), "123,457 Millions");
    CHECK_STR(F("12345.678", "#,#.00 \"Millions!\""), "12,345.68 Millions!");
    CHECK_STR(F("1234", "$#,##0.00"), "$1,234.00");
    CHECK_STR(F("-1234", "$#,##0.00"), "-$1,234.00");
    CHECK_STR(F("5", "0\" units\""), "5 units");
    CHECK_STR(F("5", "0\\x"), "5x");
    CHECK_STR(F("5", "0_)"), "5 ");
    CHECK_STR(F("5", "**0"), "5");
    CHECK_STR(F("1234.5", "0.00\xE5\x85\x83"), "1234.50\xE5\x85\x83"); /* 元 */
}

static void sections(void)
{
    CHECK_STR(F("12", "#,##0_);(#,##0)"), "12 ");
    CHECK_STR(F("-12", "#,##0_);(#,##0)"), "(12)");
    CHECK_STR(F("-0.3", "#,##0_);(#,##0)"), "(0)");
    CHECK_STR(F("0", "0;-0;\"zero\""), "zero");
    CHECK_STR(F("-5", "0;0"), "5");
    CHECK_STR(F("-5", "0;"), "");
    CHECK_STR(F("150", "[>=100]\"big\";[<0]\"neg\";0"), "big");
    CHECK_STR(F("-3", "[>=100]\"big\";[<0]\"neg\";0"), "neg");
    CHECK_STR(F("50", "[>=100]\"big\";[<0]\"neg\";0"), "50");
    CHECK_STR(F("-5", "[Red]0;[Blue]-0"), "-5");
    CHECK_STR(F("5", "[Red]0.0"), "5.0");
    CHECK_STR(FT("abc", "0;0;0;\"<\"@\">\""), "<abc>");
    CHECK_STR(FT("abc", "@\" ok\""), "abc ok");
    CHECK_STR(FT("abc", "0.00"), "abc");
}

static void scientific(void)
{
    CHECK_STR(F("12", "0.00E+0"), "1.20E+1");
    CHECK_STR(F("0.333333333333333", "0.00E+0"), "3.33E-1");
    CHECK_STR(F("-2.7e-18", "0.00E+0"), "-2.70E-18");
    CHECK_STR(F("0", "0.00E+00"), "0.00E+00");
    CHECK_STR(F("123456", "0.00E+00"), "1.23E+05");
    CHECK_STR(F("9.999", "0.00E+00"), "1.00E+01");
    CHECK_STR(F("12345", "##0.0E+0"), "12.3E+3");
    CHECK_STR(F("0.00012", "0.0E-00"), "1.2E-04");
    CHECK_STR(F("1200", "0.0E-00"), "1.2E03");
}

static void fractions(void)
{
    CHECK_STR(F("1.5", "# ?/?"), "1 1/2");
    CHECK_STR(F("0.5", "# ?/?"), " 1/2");
    CHECK_STR(F("3.14159", "# ?"
                           "?/?"
                           "?"),
              "3 14/99");
    CHECK_STR(F("0.333", "?/?"), "1/3");
    CHECK_STR(F("1.75", "?/?"), "7/4");
    CHECK_STR(F("1.3", "# ?/8"), "1 2/8");
    CHECK_STR(F("-1.25", "# ?/?"), "-1 1/4");
    CHECK_STR(F("0.1", "# ?\?\?/?\?\?"), "   1/10 ");
    CHECK_STR(F("2", "# ?/?"), "2    ");
}

static void general(void)
{
    CHECK_STR(F("0.333333333333333", "General"), "0.333333333");
    CHECK_STR(F("12345.6789", "General"), "12345.6789");
    CHECK_STR(F("123456789012", "General"), "1.23457E+11");
    CHECK_STR(F("25000000000", "General"), "25000000000");
    CHECK_STR(F("250000000000", "General"), "2.5E+11");
    CHECK_STR(F("-0.00000001", "General"), "-0.00000001");
    CHECK_STR(F("-2.5e-9", "General"), "-2.5E-09");
    CHECK_STR(F("1.2e-16", "General"), "1.2E-16");
    CHECK_STR(F("0", "General"), "0");
    CHECK_STR(F("5", "General\" pcs\""), "5 pcs");
    CHECK_STR(F("1234.5", "G/\xE9\x80\x9A\xE7\x94\xA8\xE6\xA0\xBC\xE5\xBC\x8F"),
              "1234.5");
    /* cell display General keeps 15 significant digits */
    CHECK_STR(fmt_num("123456789012", "General", 0, 0), "123456789012");
    CHECK_STR(fmt_num("0.1", NULL, 0, 0), "0.1");
}

static void dates(void)
{
    CHECK_STR(F("41181", "m/d/y"), "9/29/12");
    CHECK_STR(F("41181", "dd/mm--yy"), "29/09--12");
    CHECK_STR(F("41181", "ddd--/--mmm--/++yyy"), "Sat--/--Sep--/++2012");
    CHECK_STR(F("41181", "dddd/mmmm/yyyyy"), "Saturday/September/2012");
    CHECK_STR(F("41181", "ddddd/mmmmm/yyyyy"), "Saturday/S/2012");
    CHECK_STR(F("45351", "yyyy-mm-dd"), "2024-02-29");
    CHECK_STR(F("60", "yyyy-mm-dd"), "1900-02-29");
    CHECK_STR(F("59", "yyyy-mm-dd"), "1900-02-28");
    CHECK_STR(F("61", "yyyy-mm-dd"), "1900-03-01");
    CHECK_STR(F("1", "yyyy-mm-dd dddd"), "1900-01-01 Sunday");
    CHECK_STR(F("0", "yyyy-mm-dd"), "1900-01-00");
    CHECK_STR(F("2958465", "yyyy-mm-dd"), "9999-12-31");
    CHECK_STR(F("2958466", "yyyy-mm-dd"), "(status 2)");
    CHECK_STR(F("-1", "yyyy-mm-dd"), "(status 2)");
    CHECK_STR(fmt_num("0", "yyyy-mm-dd", 1, 1), "1904-01-01");
    CHECK_STR(fmt_num("45351", "yyyy-mm-dd", 1, 1), "2028-03-01");
    CHECK_STR(F("0.75", "h:mm"), "18:00");
    CHECK_STR(F("0.75", "h:mm AM/PM"), "6:00 PM");
    CHECK_STR(F("0.25", "hh:mm a/p"), "06:00 a");
    CHECK_STR(F("0.5", "h AM/PM"), "12 PM");
    CHECK_STR(F("0", "h AM/PM"), "12 AM");
    CHECK_STR(F("45351.5", "yyyy-mm-dd hh:mm:ss"), "2024-02-29 12:00:00");
    CHECK_STR(F("0.99999999", "hh:mm:ss"), "00:00:00"); /* rounds to 24h */
    CHECK_STR(F("0.99999999", "yyyy-mm-dd hh:mm:ss"), "1900-01-01 00:00:00");
    CHECK_STR(F("0.000011574", "ss.00"), "01.00");
    CHECK_STR(F("1.5", "[h]:mm"), "36:00");
    CHECK_STR(F("1.5", "[mm]"), "2160");
    CHECK_STR(F("0.0006944444444444444", "[ss]"), "60");
    CHECK_STR(F("0.5104166666666666", "mm:ss"), "15:00");
    CHECK_STR(F("45351", "mmm d, yyyy"), "Feb 29, 2024");
    CHECK_STR(F("5", "mm###"), "(parse)");
}

static void chinese(void)
{
    /* 2024年2月29日 */
    CHECK_STR(
        F("45351", "yyyy\"\xE5\xB9\xB4\"m\"\xE6\x9C\x88\"d\"\xE6\x97\xA5\""),
        "2024\xE5\xB9\xB4"
        "2\xE6\x9C\x88"
        "29\xE6\x97\xA5");
    CHECK_STR(F("45351", "yyyy\xE5\xB9\xB4m\xE6\x9C\x88"
                         "d\xE6\x97\xA5"),
              "2024\xE5\xB9\xB4"
              "2\xE6\x9C\x88"
              "29\xE6\x97\xA5");
    /* 星期四 / 四 */
    CHECK_STR(F("45351", "aaaa"), "\xE6\x98\x9F\xE6\x9C\x9F\xE5\x9B\x9B");
    CHECK_STR(F("45351", "aaa"), "\xE5\x9B\x9B");
    /* 一百二十三 */
    CHECK_STR(F("123", "[DBNum1]"),
              "\xE4\xB8\x80\xE7\x99\xBE\xE4\xBA\x8C\xE5\x8D\x81\xE4\xB8\x89");
    CHECK_STR(F("123", "[DBNum1]General"),
              "\xE4\xB8\x80\xE7\x99\xBE\xE4\xBA\x8C\xE5\x8D\x81\xE4\xB8\x89");
    /* 一万二千三百四十五 */
    CHECK_STR(F("12345", "[DBNum1][$-804]General"),
              "\xE4\xB8\x80\xE4\xB8\x87\xE4\xBA\x8C\xE5\x8D\x83\xE4\xB8\x89"
              "\xE7\x99\xBE\xE5\x9B\x9B\xE5\x8D\x81\xE4\xBA\x94");
    /* 壹佰贰拾叁 */
    CHECK_STR(F("123", "[DBNum2]"),
              "\xE5\xA3\xB9\xE4\xBD\xB0\xE8\xB4\xB0\xE6\x8B\xBE\xE5\x8F\x81");
    /* 壹万贰仟叁佰肆拾伍 */
    CHECK_STR(F("12345", "[DBNum2]0"),
              "\xE5\xA3\xB9\xE4\xB8\x87\xE8\xB4\xB0\xE4\xBB\x9F\xE5\x8F\x81"
              "\xE4\xBD\xB0\xE8\x82\x86\xE6\x8B\xBE\xE4\xBC\x8D");
    /* zeros: 1005 一千零五, 10010 一万零一十, 100000 一十万 */
    CHECK_STR(F("1005", "[DBNum1]"),
              "\xE4\xB8\x80\xE5\x8D\x83\xE9\x9B\xB6\xE4\xBA\x94");
    CHECK_STR(F("10010", "[DBNum1]"),
              "\xE4\xB8\x80\xE4\xB8\x87\xE9\x9B\xB6\xE4\xB8\x80\xE5\x8D\x81");
    CHECK_STR(F("100000", "[DBNum1]"), "\xE4\xB8\x80\xE5\x8D\x81\xE4\xB8\x87");
    /* 100000001 一亿零一 */
    CHECK_STR(F("100000001", "[DBNum1]"),
              "\xE4\xB8\x80\xE4\xBA\xBF\xE9\x9B\xB6\xE4\xB8\x80");
    /* 0 零 */
    CHECK_STR(F("0", "[DBNum2]"), "\xE9\x9B\xB6");
    /* full width １２３ */
    CHECK_STR(F("123", "[DBNum3]0"), "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93");
    /* [DBNum1] date: 二〇二四年二月二十九日 */
    CHECK_STR(F("45351", "[DBNum1]yyyy\"\xE5\xB9\xB4\"m\"\xE6\x9C\x88\"d"
                         "\"\xE6\x97\xA5\""),
              "\xE4\xBA\x8C\xE3\x80\x87\xE4\xBA\x8C\xE5\x9B\x9B\xE5\xB9\xB4"
              "\xE4\xBA\x8C\xE6\x9C\x88\xE4\xBA\x8C\xE5\x8D\x81\xE4\xB9\x9D"
              "\xE6\x97\xA5");
    /* currency tag: ¥1,234.50 */
    CHECK_STR(F("1234.5", "[$\xC2\xA5-804]#,##0.00"), "\xC2\xA5"
                                                      "1,234.50");
    CHECK_STR(F("1234.5", "[$-804]#,##0.00"), "1,234.50");
    /* Chinese colour names: [红色], [颜色10] */
    CHECK_STR(F("-5", "0;[\xE7\xBA\xA2\xE8\x89\xB2]-0"), "-5");
    CHECK_STR(F("5", "[\xE9\xA2\x9C\xE8\x89\xB2"
                     "10]0.0"),
              "5.0");
    /* 上午/下午 */
    CHECK_STR(F("0.75", "\xE4\xB8\x8A\xE5\x8D\x88/\xE4\xB8\x8B\xE5\x8D\x88h"
                        "\"\xE6\x97\xB6\"mm\"\xE5\x88\x86\""),
              "\xE4\xB8\x8B\xE5\x8D\x88"
              "6\xE6\x97\xB6"
              "00\xE5\x88\x86");
}

static void invalid(void)
{
    CHECK_STR(F("1", "0\"abc"), "(parse)");
    CHECK_STR(F("1", "[Redd]0"), "(parse)");
    CHECK_STR(F("1", "0;0;0;@;0"), "(parse)");
    CHECK_STR(F("1", "0\\"), "(parse)");
    CHECK_STR(F("1", "[>=x]0"), "(parse)");
}

/* Serial <-> civil date conversions behind the date formats. */
static void serials(void)
{
    int64_t s;
    int y, m, d, ok = 1;
    CHECK(xc_date_to_serial(1900, 1, 1, 0, &s) == XC_OK && s == 1);
    CHECK(xc_date_to_serial(1900, 2, 28, 0, &s) == XC_OK && s == 59);
    CHECK(xc_date_to_serial(1900, 2, 29, 0, &s) == XC_OK && s == 60);
    CHECK(xc_date_to_serial(1900, 3, 1, 0, &s) == XC_OK && s == 61);
    CHECK(xc_date_to_serial(2024, 2, 29, 0, &s) == XC_OK && s == 45351);
    CHECK(xc_date_to_serial(1904, 1, 1, 1, &s) == XC_OK && s == 0);
    CHECK(xc_date_to_serial(2024, 2, 29, 1, &s) == XC_OK && s == 43889);
    CHECK(xc_date_to_serial(1899, 12, 30, 0, &s) == XC_ELIMIT);
    CHECK(xc_date_to_serial(10000, 1, 1, 0, &s) == XC_ELIMIT);
    CHECK(xc_serial_to_date(60, 0, &y, &m, &d) == XC_OK && y == 1900 &&
          m == 2 && d == 29);
    CHECK(xc_serial_to_date(0, 0, &y, &m, &d) == XC_OK && y == 1900 && m == 1 &&
          d == 0);
    CHECK(xc_serial_to_date(2958466, 0, &y, &m, &d) == XC_ELIMIT);
    CHECK(xc_serial_to_date(-1, 1, &y, &m, &d) == XC_ELIMIT);
    /* round trips over the whole calendar of both systems */
    for (int sys = 0; sys < 2; sys++)
        for (int64_t k = sys ? 0 : 1; k <= (sys ? 2957003 : 2958465);
             k += 997) {
            int64_t back;
            if (xc_serial_to_date(k, sys, &y, &m, &d) != XC_OK ||
                xc_date_to_serial(y, m, d, sys, &back) != XC_OK || back != k)
                ok = 0;
        }
    CHECK(ok);
    /* 1904 books: the same day is 1462 lower */
    CHECK_STR(fmt_num("43889", "yyyy-mm-dd", 1, 1), "2024-02-29");
}

int main(void)
{
    serials();
    numeric();
    sections();
    scientific();
    fractions();
    general();
    dates();
    chinese();
    invalid();
    return xtest_done();
}
