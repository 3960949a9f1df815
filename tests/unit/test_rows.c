/* test_rows.c - hidden rows and filters: the book's row-flag API, what
 * SUBTOTAL (1-11 against 101-111) and AGGREGATE (options 0-7) leave out,
 * recalculation when a flag or the filter changes, and the xlsx reader
 * (row hidden, sheetPr filterMode, autoFilter) with a save/reload round
 * trip that keeps the rows. */
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include "exacalc/formula.h"
#include "exacalc/xlsx.h"
#include "xtest.h"

static xc_book *B;
static int S, T;

static void put_num(int s, uint32_t r, uint32_t c, int64_t n)
{
    xc_value v = {0};
    xc_value_set_int(&v, n);
    CHECK(xc_book_set_value(B, s, r, c, &v) == XC_OK);
    xc_value_clear(&v);
}

static void put_text(int s, uint32_t r, uint32_t c, const char *t)
{
    xc_value v = {0};
    xc_value_set_text(&v, t, strlen(t));
    CHECK(xc_book_set_value(B, s, r, c, &v) == XC_OK);
    xc_value_clear(&v);
}

static void put_formula(int s, uint32_t r, uint32_t c, const char *text)
{
    xc_formula *f = NULL;
    xc_parse_opts o = {B, s, r, c, 0};
    xc_parse_error pe;
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    CHECK(st == XC_OK);
    if (st != XC_OK) {
        fprintf(stderr, "cannot parse %s\n", text);
        return;
    }
    CHECK(xc_book_set_formula(B, s, r, c, f, NULL) == XC_OK);
    xc_formula_release(f);
}

/* The value of a cell as canonical text (static buffer). */
static const char *get(int s, uint32_t r, uint32_t c)
{
    static char out[256];
    xc_buf b;
    xc_buf_init(&b);
    xc_value_format(&b, xc_book_get(B, s, r, c), XC_FMT_GENERAL);
    snprintf(out, sizeof out, "%s", b.p ? b.p : "");
    xc_buf_clear(&b);
    return out;
}

static void test_flags_api(void)
{
    uint32_t r1 = 0, r2 = 0;
    xc_book *b = xc_book_new();
    int s;
    CHECK(xc_book_add_sheet(b, "S", 1, &s) == XC_OK);
    CHECK(xc_book_row_flags(b, s, 5) == 0);
    CHECK(xc_book_set_row_flags(b, s, 9, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_set_row_flags(b, s, 3, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_set_row_flags(b, s, 1000000, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_row_flags(b, s, 3) == XC_ROW_HIDDEN);
    CHECK(xc_book_row_flags(b, s, 9) == XC_ROW_HIDDEN);
    CHECK(xc_book_row_flags(b, s, 4) == 0);
    CHECK(xc_book_rows_flagged(b, s, 4, 8, XC_ROW_HIDDEN) == 0);
    CHECK(xc_book_rows_flagged(b, s, 4, 9, XC_ROW_HIDDEN) == 1);
    CHECK(xc_book_rows_flagged(b, s, 0, 3, XC_ROW_HIDDEN) == 1);
    CHECK(xc_book_rows_flagged(b, s, 10, 999999, XC_ROW_HIDDEN) == 0);
    CHECK(xc_book_rows_flagged(b, s, 10, XC_MAX_ROWS - 1, XC_ROW_HIDDEN));
    CHECK(xc_book_set_row_flags(b, s, 3, 0) == XC_OK);
    CHECK(xc_book_row_flags(b, s, 3) == 0);
    CHECK(xc_book_rows_flagged(b, s, 0, 8, XC_ROW_HIDDEN) == 0);
    CHECK(xc_book_set_row_flags(b, s, XC_MAX_ROWS, XC_ROW_HIDDEN) == XC_EINVAL);
    CHECK(xc_book_set_row_flags(b, 7, 1, XC_ROW_HIDDEN) == XC_EINVAL);
    CHECK(xc_book_row_flags(b, 7, 1) == 0);
    CHECK(xc_book_sheet_filter(b, s, &r1, &r2) == 0);
    CHECK(xc_book_set_sheet_filter(b, s, 2, 20) == XC_OK);
    CHECK(xc_book_sheet_filter(b, s, &r1, &r2) == 1 && r1 == 2 && r2 == 20);
    CHECK(xc_book_set_sheet_filter(b, s, 1, 0) == XC_OK);
    CHECK(xc_book_sheet_filter(b, s, &r1, &r2) == 0);
    xc_book_free(b);
}

/* A1:A6 = 1,2,4,8,16,32 (a sum names its rows), A7 a nested subtotal,
 * A8 #DIV/0!, A9 text. */
static void build(void)
{
    B = xc_book_new();
    xc_book_set_engine(B, xc_formula_engine(), NULL);
    CHECK(xc_book_add_sheet(B, "S", 1, &S) == XC_OK);
    CHECK(xc_book_add_sheet(B, "T", 1, &T) == XC_OK);
    for (int i = 0; i < 6; i++)
        put_num(S, (uint32_t)i, 0, (int64_t)1 << i);
    put_formula(S, 6, 0, "=SUBTOTAL(9,A1:A6)");
    put_formula(S, 7, 0, "=1/0");
    put_text(S, 8, 0, "x");
    put_num(T, 0, 0, 5);
}

static void test_subtotal(void)
{
    build();
    put_formula(S, 0, 1, "=SUBTOTAL(9,A1:A7)");   /* B1 */
    put_formula(S, 1, 1, "=SUBTOTAL(109,A1:A7)"); /* B2 */
    put_formula(S, 2, 1, "=SUBTOTAL(102,A1:A9)"); /* B3 */
    put_formula(S, 3, 1, "=SUBTOTAL(3,A1:A9)");   /* B4 */
    put_formula(S, 4, 1, "=SUBTOTAL(104,A1:A6)"); /* B5 */
    put_formula(S, 5, 1, "=SUBTOTAL(109,A1:A2,A4:A5)");
    put_formula(S, 6, 1, "=SUBTOTAL(9,S:T!A1)");   /* B7 */
    put_formula(S, 7, 1, "=SUBTOTAL(109,A1:C1)");  /* B8 horizontal */
    put_formula(S, 8, 1, "=SUM(A1:A6)");           /* B9 unaffected */
    put_formula(S, 9, 1, "=SUBTOTAL(101,A1:A6)");  /* B10 */
    put_formula(S, 10, 1, "=SUBTOTAL(9,A20:A30)"); /* B11 other rows */
    put_formula(T, 0, 1, "=AGGREGATE(9,7,S!A:A)"); /* whole column */
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 0, 1), "63");
    CHECK_STR(get(S, 1, 1), "63");
    CHECK_STR(get(S, 2, 1), "6"); /* A7 nested, A8 error, A9 text */
    CHECK_STR(get(S, 3, 1), "8"); /* COUNTA: all but the subtotal */
    CHECK_STR(get(S, 6, 1), "#VALUE!");
    CHECK_STR(get(S, 7, 1), "1");
    CHECK_STR(get(T, 0, 1), "126"); /* 63 + A7, A8's error left out */

    /* hide rows 2 and 4 (values 2 and 8): only 101-111 drop them */
    CHECK(xc_book_set_row_flags(B, S, 1, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_set_row_flags(B, S, 3, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK(xc_book_last_eval_count(B) > 0);
    CHECK_STR(get(S, 0, 1), "63");
    CHECK_STR(get(S, 1, 1), "53");
    CHECK_STR(get(S, 2, 1), "4");
    CHECK_STR(get(S, 3, 1), "8");
    CHECK_STR(get(S, 4, 1), "32");
    CHECK_STR(get(S, 5, 1), "17"); /* 1 + 16 of the union */
    CHECK_STR(get(S, 9, 1), "13.25");
    CHECK_STR(get(S, 8, 1), "63");  /* SUM ignores hidden rows */
    CHECK_STR(get(S, 6, 0), "63");  /* A7 itself: 1-11, no filter */
    CHECK_STR(get(T, 0, 1), "116"); /* 53 + A7 */

    /* hiding row 1 hides the whole horizontal range */
    CHECK(xc_book_set_row_flags(B, S, 0, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 7, 1), "0");
    CHECK_STR(get(S, 1, 1), "52");
    CHECK(xc_book_set_row_flags(B, S, 0, 0) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 7, 1), "1");
    CHECK_STR(get(S, 1, 1), "53");

    /* a filter over rows 1-3 makes its hidden row (2) filtered out for
     * 1-11; row 4 stays merely hidden */
    CHECK(xc_book_set_sheet_filter(B, S, 0, 2) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 0, 1), "61");
    CHECK_STR(get(S, 1, 1), "53");
    CHECK_STR(get(S, 6, 0), "61");
    /* widen it to row 4: both hidden rows are filtered out */
    CHECK(xc_book_set_sheet_filter(B, S, 0, 5) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 0, 1), "53");
    CHECK_STR(get(S, 3, 1), "6"); /* COUNTA less rows 2 and 4 */
    /* remove the filter: 1-11 count every row again */
    CHECK(xc_book_set_sheet_filter(B, S, 1, 0) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 0, 1), "63");

    /* unhiding row 2 re-evaluates only formulas reading it: B11 reads
     * other rows and is left alone */
    CHECK(xc_book_set_row_flags(B, S, 1, 0) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 1, 1), "55");
    CHECK_STR(get(T, 0, 1), "118");
    {
        size_t n = xc_book_last_eval_count(B);
        /* A7, B1-B6, B9, B10, T!B1 and perhaps B8 (it reads B1) */
        CHECK(n >= 10 && n <= 11);
    }
    xc_book_free(B);
}

static void test_aggregate(void)
{
    static const char *const want[8] = {"#DIV/0!", "#DIV/0!", "63",  "53",
                                        "#DIV/0!", "#DIV/0!", "126", "116"};
    char f[64];
    build();
    CHECK(xc_book_set_row_flags(B, S, 1, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_set_row_flags(B, S, 3, XC_ROW_HIDDEN) == XC_OK);
    for (int o = 0; o < 8; o++) {
        snprintf(f, sizeof f, "=AGGREGATE(9,%d,A1:A8)", o);
        put_formula(S, (uint32_t)o, 2, f); /* C1:C8 */
    }
    put_formula(S, 0, 3, "=AGGREGATE(3,6,A1:A9)");    /* D1 */
    put_formula(S, 1, 3, "=AGGREGATE(2,6,A1:A9)");    /* D2 */
    put_formula(S, 2, 3, "=AGGREGATE(3,3,A1:A9)");    /* D3 */
    put_formula(S, 3, 3, "=AGGREGATE(14,6,A1:A8,2)"); /* D4 */
    put_formula(S, 4, 3, "=AGGREGATE(14,5,A1:A8,1)"); /* D5 */
    put_formula(S, 5, 3, "=AGGREGATE(14,7,A1:A8,1)"); /* D6 */
    put_formula(S, 6, 3, "=AGGREGATE(14,3,A1:A8,1)"); /* D7 */
    put_formula(S, 7, 3, "=AGGREGATE(15,6,A1:A6/(A1:A6>4),1)");
    put_formula(S, 8, 3, "=AGGREGATE(12,1,A1:A6)");      /* D9 median */
    put_formula(S, 9, 3, "=AGGREGATE(9,4,S:T!A1)");      /* D10 3-D */
    put_formula(S, 10, 3, "=AGGREGATE(16,7,A1:A8,0.5)"); /* D11 */
    put_formula(S, 11, 3, "=AGGREGATE(4,1,A1:A7)");      /* D12 */
    put_formula(S, 12, 3, "=AGGREGATE(4,4,A1:A7)");      /* D13 */
    put_formula(S, 13, 3, "=AGGREGATE(9,8,A1:A7)");      /* D14 */
    put_formula(S, 14, 3, "=AGGREGATE(9,3,A1:A8,A6)");   /* D15 */
    CHECK(xc_book_recalc(B) == XC_OK);
    for (int o = 0; o < 8; o++)
        CHECK_STR(get(S, (uint32_t)o, 2), want[o]);
    CHECK_STR(get(S, 0, 3), "8"); /* COUNTA keeps the text */
    CHECK_STR(get(S, 1, 3), "7");
    CHECK_STR(get(S, 2, 3), "5"); /* 1, 4, 16, 32, "x" */
    CHECK_STR(get(S, 3, 3), "32");
    CHECK_STR(get(S, 4, 3), "#DIV/0!");
    CHECK_STR(get(S, 5, 3), "63");
    CHECK_STR(get(S, 6, 3), "32");
    CHECK_STR(get(S, 7, 3), "8");
    CHECK_STR(get(S, 8, 3), "10"); /* median of 1, 4, 16, 32 */
    CHECK_STR(get(S, 9, 3), "#VALUE!");
    CHECK_STR(get(S, 10, 3), "16"); /* median of 1,4,16,32,63 */
    CHECK_STR(get(S, 11, 3), "32");
    CHECK_STR(get(S, 12, 3), "63");
    CHECK_STR(get(S, 13, 3), "#VALUE!");
    CHECK_STR(get(S, 14, 3), "85"); /* 53 + 32 */
    /* unhide: options with hidden rows follow */
    CHECK(xc_book_set_row_flags(B, S, 3, 0) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    CHECK_STR(get(S, 3, 2), "61");
    CHECK_STR(get(S, 7, 2), "124");
    CHECK_STR(get(S, 8, 3), "8");
    xc_book_free(B);
}

/* ---- allocation failure ---- */

/* Evaluate text at J10 of sheet S of B: XC_ENOMEM or the right answer
 * (a failure turned into a value would give a wrong one). */
static int eval_is(const char *text, const char *want)
{
    xc_parse_opts o = {B, S, 9, 9, 0};
    xc_parse_error pe;
    xc_formula *f;
    xc_value v = {0};
    xc_buf out;
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    if (st != XC_OK)
        return st;
    st = xc_formula_eval(B, S, 9, 9, f, 0, &v);
    xc_formula_release(f);
    if (st == XC_OK) {
        xc_buf_init(&out);
        st = xc_value_format(&out, &v, XC_FMT_GENERAL);
        if (st == XC_OK && strcmp(out.p ? out.p : "", want) != 0) {
            fprintf(stderr, "%s gave %s, want %s\n", text, out.p, want);
            st = XC_EINVAL;
        }
        xc_buf_clear(&out);
    }
    xc_value_clear(&v);
    return st;
}

static void test_oom(void)
{
    static const char *const cases[][2] = {
        {"=SUBTOTAL(109,A1:A7)", "53"},
        {"=AGGREGATE(9,7,A1:A8)", "116"},
        {"=AGGREGATE(14,6,A1:A6/(A1:A6>4),1)", "32"},
        {"=INDEX(LINEST({9;8;19;18;29},{1,2;2,1;3,4;4,3;5,6},TRUE,TRUE),5,1)",
         "293.2"},
        {"=ROUND(INDEX(LINEST({1;3;4;8;6},{1,0;2,1;3,0;4,1;5,1},TRUE,TRUE),"
         "2,2)^2,12)",
         "0.4425"},
        {"=SUM(TREND({9;8;19;18;29},{1,2;2,1;3,4;4,3;5,6},{6,7;0,0}))", "35"},
        {"=ROUND(INDEX(LOGEST({6;90;54;4050},{1,0;2,1;3,0;4,2}),1),9)", "5"},
        {"=ROUND(SUM(GROWTH({6;90;54;4050},{1,0;2,1;3,0;4,2},{5,1})),6)",
         "2430"},
    };
    build();
    CHECK(xc_book_set_row_flags(B, S, 1, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_set_row_flags(B, S, 3, XC_ROW_HIDDEN) == XC_OK);
    CHECK(xc_book_recalc(B) == XC_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long n, bad = 0;
        int st = -1;
        for (n = 0; n < 200000; n += n < 3000 ? 1 : n / 50) {
            xc_alloc_fail_after(n);
            st = eval_is(cases[i][0], cases[i][1]);
            xc_alloc_fail_after(-1);
            if (st == XC_OK)
                break;
            if (st != XC_ENOMEM && bad++ < 3)
                fprintf(stderr, "%s: n=%ld status %d\n", cases[i][0], n, st);
        }
        CHECK(bad == 0);
        CHECK(st == XC_OK);
        CHECK(n > 3); /* the sweep did meet allocations */
    }
    xc_book_free(B);
}

/* ---- xlsx ---- */

static int make_zip(const char *path, const char *const *parts)
{
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return -1;
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *s =
            zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        if (zip_file_add(z, parts[i], s, 0) < 0)
            return -1;
    }
    return zip_close(z);
}

#define NS "http://schemas.openxmlformats.org/"
static const char *CT =
    "<Types xmlns=\"" NS "package/2006/content-types\"><Default "
    "Extension=\"rels\" ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/><Default "
    "Extension=\"xml\" ContentType=\"application/xml\"/><Override "
    "PartName=\"/xl/workbook.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "</Types>";
static const char *RELS =
    "<Relationships xmlns=\"" NS "package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS "officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char *WB =
    "<workbook xmlns=\"" NS "spreadsheetml/2006/main\" xmlns:r=\"" NS
    "officeDocument/2006/relationships\"><sheets><sheet name=\"S\" "
    "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *WB_RELS =
    "<Relationships xmlns=\"" NS "package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS "officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>";
/* A1:A6 = 1, 2, 4, -, 16, 32 with a filter over A1:A4; rows 2, 4 and
 * 5 hidden (2 and 4 by the filter, 5 by hand).  Stated values as Excel
 * has them: B1 SUBTOTAL(9) = 55 - 2, B2 SUBTOTAL(109) = 55 - 2 - 16. */
static const char *SHEET =
    "<worksheet xmlns=\"" NS "spreadsheetml/2006/main\"><sheetPr "
    "filterMode=\"1\"/><sheetData>"
    "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><f>SUBTOTAL(9,A1:A6)"
    "</f><v>53</v></c></row>"
    "<row r=\"2\" hidden=\"1\"><c r=\"A2\"><v>2</v></c><c r=\"B2\"><f>"
    "SUBTOTAL(109,A1:A6)</f><v>37</v></c></row>"
    "<row r=\"3\"><c r=\"A3\"><v>4</v></c></row>"
    "<row r=\"4\" hidden=\"true\" customHeight=\"1\" ht=\"0\"/>"
    "<row r=\"5\" hidden=\"1\"><c r=\"A5\"><v>16</v></c></row>"
    "<row r=\"6\" hidden=\"0\"><c r=\"A6\"><v>32</v></c></row>"
    "</sheetData><autoFilter ref=\"A1:A4\"/><customSheetViews>"
    "<customSheetView guid=\"{00000000-0000-0000-0000-000000000001}\">"
    "<autoFilter ref=\"A1:A6\"/></customSheetView></customSheetViews>"
    "</worksheet>";

static void test_xlsx(void)
{
    char dir[] = "/tmp/xc_rows_XXXXXX", in[128], out[128];
    const char *parts[] = {"[Content_Types].xml",
                           CT,
                           "_rels/.rels",
                           RELS,
                           "xl/workbook.xml",
                           WB,
                           "xl/_rels/workbook.xml.rels",
                           WB_RELS,
                           "xl/worksheets/sheet1.xml",
                           SHEET,
                           NULL};
    xc_book *b = NULL, *b2 = NULL;
    xc_buf err;
    uint32_t r1 = 9, r2 = 9;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(in, sizeof in, "%s/in.xlsx", dir);
    snprintf(out, sizeof out, "%s/out.xlsx", dir);
    CHECK(make_zip(in, parts) == 0);
    xc_buf_init(&err);
    CHECK(xc_xlsx_load(in, NULL, &b, &err) == XC_OK);
    if (!b) {
        fprintf(stderr, "%s\n", err.p ? err.p : "");
        xc_buf_clear(&err);
        return;
    }
    CHECK(xc_book_row_flags(b, 0, 0) == 0);
    CHECK(xc_book_row_flags(b, 0, 1) == XC_ROW_HIDDEN);
    CHECK(xc_book_row_flags(b, 0, 2) == 0);
    CHECK(xc_book_row_flags(b, 0, 3) == XC_ROW_HIDDEN);
    CHECK(xc_book_row_flags(b, 0, 4) == XC_ROW_HIDDEN);
    CHECK(xc_book_row_flags(b, 0, 5) == 0);
    CHECK(xc_book_sheet_filter(b, 0, &r1, &r2) == 1 && r1 == 0 && r2 == 3);
    B = b;
    CHECK(xc_book_recalc_all(b) == XC_OK);
    CHECK_STR(get(0, 0, 1), "53");
    CHECK_STR(get(0, 1, 1), "37");
    CHECK(xc_xlsx_save(b, out, &err) == XC_OK);
    CHECK(xc_xlsx_load(out, NULL, &b2, &err) == XC_OK);
    if (b2) {
        for (uint32_t r = 0; r < 8; r++)
            CHECK(xc_book_row_flags(b2, 0, r) == xc_book_row_flags(b, 0, r));
        CHECK(xc_book_sheet_filter(b2, 0, &r1, &r2) == 1 && r1 == 0 && r2 == 3);
    }
    xc_book_free(b);
    xc_book_free(b2);
    xc_buf_clear(&err);
    unlink(in);
    unlink(out);
    rmdir(dir);
}

int main(void)
{
    test_flags_api();
    test_subtotal();
    test_aggregate();
    test_oom();
    test_xlsx();
    return xtest_done();
}
