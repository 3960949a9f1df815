/* test_csv.c - CSV import and export: RFC 4180 quoting (embedded
 * commas, quotes and line breaks), CRLF/LF, exact numbers, logicals and
 * error literals, GB18030 input, BOM, the formula-injection guard, and a
 * save/load round trip; malformed input is reported, not crashed on. */
#include <stdlib.h>
#include <unistd.h>
#include "exacalc/xlsx.h"
#include "xtest.h"

static char dir[256];

static const char *path(const char *name)
{
    static char buf[2][512];
    static int k;
    k ^= 1;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void put(const char *name, const char *text, size_t n)
{
    FILE *f = fopen(path(name), "wb");
    fwrite(text, 1, n, f);
    fclose(f);
}

static int num_is(const xc_value *v, const char *text)
{
    xc_num x;
    xc_num_init(&x);
    int r = v->type == XC_NUMBER &&
            xc_num_parse(&x, text, strlen(text), 0, NULL) == 0 &&
            xc_num_equal(&x, &v->u.num);
    xc_num_clear(&x);
    return r;
}

static int text_is(const xc_value *v, const char *s)
{
    return v->type == XC_TEXT && strcmp(v->u.str->s, s) == 0;
}

static void slurp(const char *name, char *buf, size_t cap)
{
    FILE *f = fopen(path(name), "rb");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
}

static void test_parse(void)
{
    static const char csv[] = "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
                              "0.1,1e3,-007,12345678901234567890.123456789\r\n"
                              "TRUE,false,#DIV/0!,#N/A\n"
                              ",,x,\n"
                              "\"0012\", 1 ,1.,.5";
    xc_book *b;
    xc_buf err;
    xc_buf_init(&err);
    put("p.csv", csv, sizeof csv - 1);
    CHECK(xc_csv_load(path("p.csv"), &b, &err) == 0);
    if (!b)
        return;
    CHECK_STR(xc_book_sheet_name(b, 0), "p");
    CHECK(text_is(xc_book_get(b, 0, 0, 0), "a"));
    CHECK(text_is(xc_book_get(b, 0, 0, 1), "b,c"));
    CHECK(text_is(xc_book_get(b, 0, 0, 2), "say \"hi\""));
    CHECK(text_is(xc_book_get(b, 0, 0, 3), "two\nlines"));
    CHECK(num_is(xc_book_get(b, 0, 1, 0), "0.1"));
    CHECK(num_is(xc_book_get(b, 0, 1, 1), "1000"));
    CHECK(num_is(xc_book_get(b, 0, 1, 2), "-7"));
    CHECK(num_is(xc_book_get(b, 0, 1, 3), "12345678901234567890.123456789"));
    CHECK(xc_book_get(b, 0, 2, 0)->type == XC_BOOL &&
          xc_book_get(b, 0, 2, 0)->u.b);
    CHECK(xc_book_get(b, 0, 2, 1)->type == XC_BOOL &&
          !xc_book_get(b, 0, 2, 1)->u.b);
    CHECK(xc_book_get(b, 0, 2, 2)->err == XC_ERR_DIV0);
    CHECK(xc_book_get(b, 0, 2, 3)->err == XC_ERR_NA);
    CHECK(xc_book_get(b, 0, 3, 0)->type == XC_EMPTY);
    CHECK(text_is(xc_book_get(b, 0, 3, 2), "x"));
    CHECK(text_is(xc_book_get(b, 0, 4, 0), "0012")); /* quoted: text */
    CHECK(text_is(xc_book_get(b, 0, 4, 1), " 1 "));  /* spaces: text */
    CHECK(num_is(xc_book_get(b, 0, 4, 2), "1"));
    CHECK(num_is(xc_book_get(b, 0, 4, 3), "0.5"));
    uint32_t rows, cols;
    xc_book_sheet_extent(b, 0, &rows, &cols);
    CHECK(rows == 5 && cols == 4);
    /* save and read again: identical values */
    CHECK(xc_csv_save(b, 0, path("p2.csv"), &err) == 0);
    xc_book *b2;
    CHECK(xc_csv_load(path("p2.csv"), &b2, &err) == 0);
    if (b2) {
        for (uint32_t r = 0; r < rows; r++)
            for (uint32_t c = 0; c < cols; c++) {
                const xc_value *x = xc_book_get(b, 0, r, c);
                const xc_value *y = xc_book_get(b2, 0, r, c);
                /* "0012" and " 1 " were quoted text; they stay text
                   because the writer quotes text that would read back
                   as a number, logical or error */
                if (r == 1 && c == 3) /* 17 significant digits */
                    CHECK(num_is(y, "12345678901234568000"));
                else
                    CHECK(xc_value_identical(x, y));
            }
        xc_book_free(b2);
    }
    char out[1024];
    slurp("p2.csv", out, sizeof out);
    const char *l1 = "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n";
    CHECK(strncmp(out, l1, strlen(l1)) == 0);
    CHECK(strstr(out, "\r\n0.1,1000,-7,12345678901234568000\r\n"));
    CHECK(strstr(out, "TRUE,FALSE,#DIV/0!,#N/A\r\n,,x,\r\n"));
    xc_book_free(b);
    xc_buf_clear(&err);
}

static void test_encodings_and_errors(void)
{
    xc_book *b;
    xc_buf err;
    xc_buf_init(&err);
    /* GB18030: "预算,100" and a four-byte sequence (U+20000) */
    static const char gb[] = "\xd4\xa4\xcb\xe3,100\n\x95\x32\x82\x36\n";
    put("gb.csv", gb, sizeof gb - 1);
    CHECK(xc_csv_load(path("gb.csv"), &b, &err) == 0);
    if (b) {
        CHECK(text_is(xc_book_get(b, 0, 0, 0), "预算"));
        CHECK(num_is(xc_book_get(b, 0, 0, 1), "100"));
        CHECK(text_is(xc_book_get(b, 0, 1, 0), "\xf0\xa0\x80\x80"));
        xc_book_free(b);
    }
    /* an unterminated quote is an error naming the file and row */
    put("bad.csv", "a\n\"open,1\n", 10);
    CHECK(xc_csv_load(path("bad.csv"), &b, &err) != 0 && b == NULL);
    CHECK(err.p && strstr(err.p, "bad.csv: row 2: unterminated"));
    CHECK(xc_csv_load(path("missing.csv"), &b, &err) == XC_EIO);
    /* empty file: a book with one empty sheet */
    put("empty.csv", "", 0);
    CHECK(xc_csv_load(path("empty.csv"), &b, &err) == 0);
    if (b) {
        uint32_t r, c;
        xc_book_sheet_extent(b, 0, &r, &c);
        CHECK(r == 0 && c == 0);
        xc_book_free(b);
    }
    xc_buf_clear(&err);
}

static void test_guard(void)
{
    xc_book *b = xc_book_new();
    int s;
    xc_value v = {0};
    xc_buf err;
    char out[512];
    xc_buf_init(&err);
    xc_book_add_sheet(b, "S", 1, &s);
    const char *t[] = {"=HYPERLINK(\"x\")", "+1", "-2",
                       "@SUM(A1)",          "ok", "a=b"};
    for (uint32_t i = 0; i < 6; i++) {
        xc_value_set_text(&v, t[i], strlen(t[i]));
        xc_book_set_value(b, s, 0, i, &v);
    }
    xc_value_set_int(&v, -5); /* a negative number is not text */
    xc_book_set_value(b, s, 1, 0, &v);
    CHECK(xc_csv_save_ex(b, s, path("g.csv"), XC_CSV_GUARD, &err) == 0);
    slurp("g.csv", out, sizeof out);
    CHECK_STR(out, "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),ok,a=b\r\n"
                   "-5,,,,,\r\n");
    CHECK(xc_csv_save(b, s, path("n.csv"), &err) == 0);
    slurp("n.csv", out, sizeof out);
    /* text "+1" and "-2" are quoted so they stay text */
    CHECK_STR(out, "\"=HYPERLINK(\"\"x\"\")\",\"+1\",\"-2\",@SUM(A1),ok,a=b\r\n"
                   "-5,,,,,\r\n");
    CHECK(xc_csv_save(b, 3, path("n.csv"), &err) == XC_EINVAL);
    CHECK(xc_csv_save(b, s, "/nonexistent-dir/x.csv", &err) == XC_EIO);
    xc_value_clear(&v);
    xc_book_free(b);
    xc_buf_clear(&err);
}

/* Text starting with U+FEFF in the first cell must not be written bare:
 * it would read back as a byte order mark and be dropped (fuzz_csv). */
static void test_bom_text(void)
{
    xc_book *b = xc_book_new(), *b2 = NULL;
    int s;
    xc_value v = {0};
    xc_buf err;
    xc_buf_init(&err);
    xc_book_add_sheet(b, "S", 1, &s);
    xc_value_set_text(&v, "\xEF\xBB\xBFx", 4);
    xc_book_set_value(b, s, 0, 0, &v);
    CHECK(xc_csv_save(b, s, path("bom.csv"), &err) == 0);
    CHECK(xc_csv_load(path("bom.csv"), &b2, &err) == 0);
    CHECK(b2 && text_is(xc_book_get(b2, 0, 0, 0), "\xEF\xBB\xBFx"));
    xc_value_clear(&v);
    xc_book_free(b);
    xc_book_free(b2);
    xc_buf_clear(&err);
}

int main(void)
{
    if (xtest_mkdtemp(dir, sizeof dir, "xc_test_csv"))
        return 1;
    test_parse();
    test_encodings_and_errors();
    test_guard();
    test_bom_text();
    xtest_rmtree(dir);
    return xtest_done();
}
