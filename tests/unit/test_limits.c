/* test_limits.c - every resource limit of the library, reached on
 * purpose: inflated bytes per part and per workbook (honest and lying
 * zip headers), cells per workbook, text length from a file, formula
 * length and nesting, rational size (powers, repeated squaring),
 * decimal exponents, array size, and the depth of recalculation and of
 * evaluation through chains of dirty cells.  Reaching a limit must give
 * a clear error (a status with a message, or an error value), never a
 * crash, an abort inside GMP, or unbounded time or memory. */
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include "exacalc/xlsx.h"
#include "xtest.h"

static char tmpdir[256];

static const char *tpath(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* Peak resident memory of this process in MiB. */
static long peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- building packages ---- */

#define NS "http://schemas.openxmlformats.org/"
static const char *CT =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"" NS
    "package/2006/content-types\"><Default Extension=\"rels\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/><Default "
    "Extension=\"xml\" ContentType=\"application/xml\"/><Override "
    "PartName=\"/xl/workbook.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet2.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
    "</Types>";
static const char *ROOT_RELS =
    "<Relationships xmlns=\"" NS "package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS
    "officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char *WB =
    "<workbook xmlns=\"" NS "spreadsheetml/2006/main\" xmlns:r=\"" NS
    "officeDocument/2006/relationships\"><sheets><sheet name=\"S1\" "
    "sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"S2\" sheetId=\"2\" "
    "r:id=\"rId2\"/></sheets></workbook>";
static const char *WB_RELS =
    "<Relationships xmlns=\"" NS "package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS
    "officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS
    "officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet2.xml\"/><Relationship Id=\"rId3\" Type=\"" NS
    "officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";
#define SHEET_HEAD                                                             \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"      \
    "2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"
static const char *EMPTY_SHEET = SHEET_HEAD SHEET_TAIL;
static const char *EMPTY_SST = "<sst xmlns=\"" NS "spreadsheetml/2006/main\"/>";

/* A two-sheet package with the given sheet and shared-string parts. */
static int make_book_zip(const char *path, const char *s1, const char *s2,
                         const char *sst)
{
    const char *parts[][2] = {
        {"[Content_Types].xml", CT},
        {"_rels/.rels", ROOT_RELS},
        {"xl/workbook.xml", WB},
        {"xl/_rels/workbook.xml.rels", WB_RELS},
        {"xl/sharedStrings.xml", sst ? sst : EMPTY_SST},
        {"xl/worksheets/sheet1.xml", s1},
        {"xl/worksheets/sheet2.xml", s2 ? s2 : EMPTY_SHEET}};
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return -1;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        zip_source_t *s =
            zip_source_buffer(z, parts[i][1], strlen(parts[i][1]), 0);
        if (!s || zip_file_add(z, parts[i][0], s, 0) < 0) {
            zip_discard(z);
            return -1;
        }
    }
    return zip_close(z);
}

/* A worksheet of n rows, each one number cell padded with spaces. */
static char *padded_sheet(size_t rows, size_t pad)
{
    xc_buf b;
    xc_buf_init(&b);
    xc_buf_puts(&b, SHEET_HEAD);
    for (size_t r = 1; r <= rows; r++) {
        xc_buf_printf(&b, "<row r=\"%zu\"><c r=\"A%zu\"><v>%zu</v></c></row>",
                      r, r, r);
        for (size_t i = 0; i < pad; i++)
            xc_buf_putc(&b, ' ');
    }
    xc_buf_puts(&b, SHEET_TAIL);
    return xc_buf_take(&b);
}

/* Overwrite the uncompressed size in both zip headers of `name`. */
static int lie_about_size(const char *path, const char *name, uint32_t size)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    unsigned char *d = malloc((size_t)n);
    fseek(f, 0, SEEK_SET);
    if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(d);
        return -1;
    }
    size_t nl = strlen(name);
    unsigned char le[4] = {size & 255, size >> 8 & 255, size >> 16 & 255,
                           size >> 24};
    int hits = 0;
    for (long i = 0; i + 46 + (long)nl <= n; i++) {
        if (!memcmp(d + i, "PK\3\4", 4) && d[i + 26] == nl &&
            !memcmp(d + i + 30, name, nl)) {
            memcpy(d + i + 22, le, 4);
            hits++;
        } else if (!memcmp(d + i, "PK\1\2", 4) && d[i + 28] == nl &&
                   !memcmp(d + i + 46, name, nl)) {
            memcpy(d + i + 24, le, 4);
            hits++;
        }
    }
    fseek(f, 0, SEEK_SET);
    size_t w = fwrite(d, 1, (size_t)n, f);
    fclose(f);
    free(d);
    return hits == 2 && w == (size_t)n ? 0 : -1;
}

/* Load must fail with a one-line message naming the file and containing
 * want (when not NULL). */
static void expect_reject(const char *file, const xc_load_opts *o,
                          const char *want)
{
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(tpath(file), o, &b, &err);
    CHECK(st != XC_OK && b == NULL);
    CHECK(err.p && strstr(err.p, file) != NULL);
    CHECK(err.p && !strchr(err.p, '\n'));
    if (want)
        CHECK(err.p && strstr(err.p, want) != NULL);
    if (st == XC_OK)
        xc_book_free(b);
    else
        printf("  %s rejected: %s\n", file, err.p ? err.p : "(no message)");
    xc_buf_clear(&err);
}

static xc_book *load_ok(const char *file, const xc_load_opts *o)
{
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(tpath(file), o, &b, &err);
    CHECK(st == XC_OK);
    if (st != XC_OK)
        printf("  %s: %s\n", file, err.p ? err.p : "(no message)");
    xc_buf_clear(&err);
    return st == XC_OK ? b : NULL;
}

/* ---- inflated bytes ---- */

static void test_part_and_total_bytes(void)
{
    char *s = padded_sheet(100, 1000); /* ~100 KB, compresses to ~1 KB */
    CHECK(make_book_zip(tpath("big.xlsx"), s, s, NULL) == 0);
    /* fits the defaults */
    xc_book *b = load_ok("big.xlsx", NULL);
    xc_book_free(b);
    /* per part: 50 KB */
    xc_load_opts op = {50000, 0, 0};
    expect_reject("big.xlsx", &op, "xl/worksheets/sheet");
    /* per workbook: each part fits, the two together do not */
    xc_load_opts ot = {200000, 150000, 0};
    expect_reject("big.xlsx", &ot, NULL);
    xc_load_opts ok = {200000, 400000, 0};
    b = load_ok("big.xlsx", &ok);
    xc_book_free(b);

    /* lying header: declared 1,000 bytes, inflates to ~100 KB; with a
     * 50 KB cap the reader must stop at the cap, not trust the header */
    CHECK(make_book_zip(tpath("liar.xlsx"), s, NULL, NULL) == 0);
    CHECK(lie_about_size(tpath("liar.xlsx"), "xl/worksheets/sheet1.xml",
                         1000) == 0);
    expect_reject("liar.xlsx", &op, "xl/worksheets/sheet1.xml");
    expect_reject("liar.xlsx", NULL, "xl/worksheets/sheet1.xml");
    /* lying the other way: declared ~4 GB, real ~100 KB: nothing may be
     * allocated by the declared size; loading or a clear refusal */
    CHECK(make_book_zip(tpath("liar2.xlsx"), s, NULL, NULL) == 0);
    CHECK(lie_about_size(tpath("liar2.xlsx"), "xl/worksheets/sheet1.xml",
                         0xFFFFFFF0u) == 0);
    long before = peak_mib();
    b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(tpath("liar2.xlsx"), NULL, &b, &err);
    CHECK(st == XC_OK || (err.p && strstr(err.p, "liar2.xlsx")));
    printf("  liar2.xlsx (declared 4 GB): %s\n",
           st == XC_OK ? "loaded" : err.p);
    CHECK(peak_mib() - before < 512);
    xc_book_free(b);
    xc_buf_clear(&err);
    xc_free(s);
}

static void test_max_cells(void)
{
    char *s = padded_sheet(1000, 0);
    CHECK(make_book_zip(tpath("cells.xlsx"), s, s, NULL) == 0);
    xc_load_opts o = {0, 0, 1999};
    expect_reject("cells.xlsx", &o, "cells");
    xc_load_opts o2 = {0, 0, 2000};
    xc_book *b = load_ok("cells.xlsx", &o2);
    xc_book_free(b);
    xc_free(s);
}

/* ---- values from files ---- */

static void check_text_cell(xc_book *b, uint32_t row, uint32_t col)
{
    const xc_value *v = xc_book_get(b, 0, row, col);
    /* truncated to the limit, or refused as an error value */
    CHECK(v->type == XC_ERROR || (v->type == XC_TEXT && v->u.str->len > 0 &&
                                  v->u.str->len <= XC_TEXT_MAX));
}

static void test_long_text(void)
{
    size_t n = 40000;
    char *t = malloc(n + 1);
    memset(t, 'x', n);
    t[n] = 0;
    xc_buf sh, sst;
    xc_buf_init(&sh);
    xc_buf_init(&sst);
    xc_buf_printf(&sh,
                  SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                             "%s</t></is></c><c r=\"B1\" t=\"s\"><v>0</v></c>"
                             "<c r=\"C1\" t=\"str\"><f>\"a\"</f><v>%s</v></c>"
                             "</row>" SHEET_TAIL,
                  t, t);
    xc_buf_printf(&sst,
                  "<sst xmlns=\"" NS "spreadsheetml/2006/main\"><si><t>"
                  "%s</t></si></sst>",
                  t);
    CHECK(make_book_zip(tpath("text.xlsx"), sh.p, NULL, sst.p) == 0);
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(tpath("text.xlsx"), NULL, &b, &err);
    if (st == XC_OK) {
        check_text_cell(b, 0, 0);
        check_text_cell(b, 0, 1);
        check_text_cell(b, 0, 2);
        xc_book_free(b);
    } else {
        /* a limit, not a failed allocation */
        CHECK(st != XC_ENOMEM);
        CHECK(err.p && strstr(err.p, "text.xlsx"));
        printf("  text.xlsx rejected: %s\n", err.p);
    }
    xc_buf_clear(&err);
    xc_buf_clear(&sh);
    xc_buf_clear(&sst);
    free(t);
}

static void test_huge_exponent_in_file(void)
{
    CHECK(make_book_zip(tpath("exp.xlsx"),
                        SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1E+999999</v>"
                                   "</c><c r=\"B1\"><v>1E-999999</v></c><c "
                                   "r=\"C1\"><f>A1*2</f><v>1E+999999</v></c>"
                                   "</row>" SHEET_TAIL,
                        NULL, NULL) == 0);
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(tpath("exp.xlsx"), NULL, &b, &err);
    if (st == XC_OK) {
        /* past the exponent limit: huge is #NUM!, tiny underflows to 0 */
        const xc_value *v = xc_book_get(b, 0, 0, 0);
        CHECK(v->type == XC_ERROR && v->err == XC_ERR_NUM);
        v = xc_book_get(b, 0, 0, 1);
        CHECK(v->type == XC_NUMBER && xc_num_is_zero(&v->u.num));
        v = xc_book_get(b, 0, 0, 2);
        CHECK(v->type == XC_ERROR);
        CHECK(xc_book_recalc_all(b) == XC_OK);
        v = xc_book_get(b, 0, 0, 2);
        CHECK(v->type == XC_ERROR);
        xc_book_free(b);
    } else {
        CHECK(err.p && strstr(err.p, "exp.xlsx") && strstr(err.p, "sheet1"));
        printf("  exp.xlsx rejected: %s\n", err.p);
    }
    xc_buf_clear(&err);
}

/* ---- formulas ---- */

static xc_book *small_book(void)
{
    xc_book *b = xc_book_new();
    int s;
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    xc_book_add_sheet(b, "S", 1, &s);
    return b;
}

static int parse_st(xc_book *b, const char *text, xc_parse_error *pe)
{
    xc_parse_opts o = {b, 0, 0, 0, 0};
    xc_formula *f = NULL;
    int st = xc_formula_parse(&f, text, strlen(text), &o, pe);
    xc_formula_release(f);
    return st;
}

static void test_formula_length_and_depth(void)
{
    xc_book *b = small_book();
    xc_parse_error pe;
    xc_buf t;
    xc_buf_init(&t);
    /* exactly XC_FORMULA_MAX_LEN characters after '=' parses */
    xc_buf_putc(&t, '=');
    for (int i = 0; i < XC_FORMULA_MAX_LEN / 2 - 1; i++)
        xc_buf_puts(&t, "1+");
    xc_buf_puts(&t, "11");
    CHECK(t.len - 1 == XC_FORMULA_MAX_LEN);
    CHECK(parse_st(b, t.p, &pe) == XC_OK);
    xc_buf_puts(&t, "+1");
    CHECK(parse_st(b, t.p, &pe) == XC_EPARSE);
    CHECK(pe.line >= 1 && pe.col >= 1 && pe.msg[0]);
    /* in characters, not bytes: 8,000 CJK characters in a string fit */
    xc_buf_reset(&t);
    xc_buf_puts(&t, "=LEN(\"");
    for (int i = 0; i < 8000; i++)
        xc_buf_puts(&t, "表");
    xc_buf_puts(&t, "\")");
    CHECK(parse_st(b, t.p, &pe) == XC_OK);

    /* nesting: 64 levels parse, 65 do not; 100,000 levels are refused
     * without exhausting the stack */
    for (int depth = 63; depth <= 66; depth++) {
        xc_buf_reset(&t);
        xc_buf_putc(&t, '=');
        for (int i = 0; i < depth; i++)
            xc_buf_puts(&t, "ABS(");
        xc_buf_putc(&t, '1');
        for (int i = 0; i < depth; i++)
            xc_buf_putc(&t, ')');
        int st = parse_st(b, t.p, &pe);
        CHECK(depth <= XC_FORMULA_MAX_DEPTH ? st == XC_OK : st == XC_EPARSE);
    }
    xc_buf_reset(&t);
    xc_buf_putc(&t, '=');
    for (int i = 0; i < 4000; i++)
        xc_buf_putc(&t, '(');
    CHECK(parse_st(b, t.p, &pe) == XC_EPARSE);
    xc_buf_reset(&t);
    xc_buf_putc(&t, '=');
    for (int i = 0; i < 4000; i++)
        xc_buf_putc(&t, '-');
    xc_buf_putc(&t, '1');
    int st = parse_st(b, t.p, &pe);
    CHECK(st == XC_OK || st == XC_EPARSE);
    xc_buf_clear(&t);
    xc_book_free(b);
}

/* Evaluate text at S!Z1 of b into v (cleared first). */
static int eval_text(xc_book *b, const char *text, xc_value *v)
{
    xc_parse_opts o = {b, 0, 0, 25, 0};
    xc_parse_error pe;
    xc_formula *f;
    xc_value_clear(v);
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    if (st != XC_OK)
        return st;
    st = xc_formula_eval(b, 0, 0, 25, f, 0, v);
    xc_formula_release(f);
    return st;
}

static int is_err(const xc_value *v, xc_error e)
{
    return v->type == XC_ERROR && v->err == e;
}

static void set_formula(xc_book *b, uint32_t row, uint32_t col,
                        const char *text)
{
    xc_parse_opts o = {b, 0, row, col, 0};
    xc_parse_error pe;
    xc_formula *f;
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    CHECK(st == XC_OK);
    if (st == XC_OK) {
        CHECK(xc_book_set_formula(b, 0, row, col, f, NULL) == XC_OK);
        xc_formula_release(f);
    }
}

static void test_number_size(void)
{
    xc_book *b = small_book();
    xc_value v = {0};
    double t0 = now_s();
    CHECK(eval_text(b, "=2^1000000", &v) == XC_OK && is_err(&v, XC_ERR_NUM));
    CHECK(eval_text(b, "=2^99999", &v) == XC_OK && v.type == XC_NUMBER);
    CHECK(eval_text(b, "=(2^99999)*(2^99999)", &v) == XC_OK &&
          is_err(&v, XC_ERR_NUM));
    CHECK(eval_text(b, "=1/(3^99999)/(3^99999)", &v) == XC_OK &&
          is_err(&v, XC_ERR_NUM));
    CHECK(eval_text(b, "=FACT(1000000)", &v) == XC_OK && v.type == XC_ERROR);
    CHECK(eval_text(b, "=10^20000*10^20000", &v) == XC_OK &&
          v.type == XC_ERROR);
    CHECK(eval_text(b, "=(1+1E-300)^1000000000", &v) == XC_OK);
    /* a decimal exponent beyond XC_NUM_MAX_EXP10 in a formula: refused
     * by the parser or #NUM!, never a 10^999999 computation */
    int st = eval_text(b, "=1E+999999", &v);
    CHECK(st == XC_EPARSE || (st == XC_OK && is_err(&v, XC_ERR_NUM)));
    st = eval_text(b, "=VALUE(\"1E+999999\")", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=\"1E+999999\"+0", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    /* repeated squaring through cells: A1=3, An=A(n-1)*A(n-1) and
     * Bn=B(n-1)^2; from some row on every value is #NUM! */
    xc_value three = {0};
    xc_value_set_int(&three, 3);
    xc_book_set_value(b, 0, 0, 0, &three);
    xc_book_set_value(b, 0, 0, 1, &three);
    char f[64];
    for (uint32_t r = 1; r < 40; r++) {
        snprintf(f, sizeof f, "=A%u*A%u", r, r);
        set_formula(b, r, 0, f);
        snprintf(f, sizeof f, "=B%u^2", r);
        set_formula(b, r, 1, f);
    }
    CHECK(xc_book_recalc(b) == XC_OK);
    CHECK(is_err(xc_book_get(b, 0, 39, 0), XC_ERR_NUM));
    CHECK(is_err(xc_book_get(b, 0, 39, 1), XC_ERR_NUM));
    CHECK(xc_book_get(b, 0, 10, 0)->type == XC_NUMBER); /* 3^1024 */
    printf("  number-size checks took %.2f s\n", now_s() - t0);
    CHECK(now_s() - t0 < 30);
    xc_value_clear(&v);
    xc_book_free(b);
}

static void test_array_size(void)
{
    xc_book *b = small_book();
    xc_value v = {0};
    long before = peak_mib();
    double t0 = now_s();
    int st = eval_text(b, "=SEQUENCE(10000000)", &v);
    printf("  SEQUENCE(1e7): status %d, type %d, %.2f s, +%ld MiB\n", st,
           v.type, now_s() - t0, peak_mib() - before);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=SEQUENCE(1048576,16384)", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=SUM(SEQUENCE(100000,100000))", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=ROWS(A:XFD*1)", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=LEN(REPT(\"ab\",100000))", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=LEN(REPT(REPT(\"x\",30000),30000))", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    st = eval_text(b, "=LEN(TEXTJOIN(\",\",1,SEQUENCE(100000)))", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    /* a moderate array is fine */
    st = eval_text(b, "=SUM(SEQUENCE(1000))", &v);
    CHECK(st == XC_OK && v.type == XC_NUMBER);
    printf("  array checks: %.2f s, peak +%ld MiB\n", now_s() - t0,
           peak_mib() - before);
    CHECK(peak_mib() - before < 1024);
    CHECK(now_s() - t0 < 60);
    xc_value_clear(&v);
    xc_book_free(b);
}

/* ---- depth ---- */

static int count_steps(void *ud, int depth, const char *text, const xc_value *v,
                       const char *note)
{
    ++*(size_t *)ud;
    return XC_OK;
}

static void test_long_chains(void)
{
    enum { N = 100000 };
    char f[64];
    xc_book *b = small_book();
    xc_value one = {0}, v = {0};
    double t0 = now_s();
    xc_value_set_int(&one, 1);
    /* A1 = 1, A(n) = A(n-1)+1, entered bottom-up so the order of entry
     * is the reverse of the order of evaluation */
    xc_book_set_value(b, 0, 0, 0, &one);
    for (uint32_t r = N - 1; r >= 1; r--) {
        snprintf(f, sizeof f, "=A%u+1", r);
        set_formula(b, r, 0, f);
    }
    CHECK(xc_book_recalc(b) == XC_OK);
    const xc_value *last = xc_book_get(b, 0, N - 1, 0);
    CHECK(last->type == XC_NUMBER && xc_num_cmp_int(&last->u.num, N) == 0);
    /* evaluating a formula that reads the end of a dirty chain: the
     * dirty cells are evaluated on demand (deep, but must not overflow
     * the stack) */
    xc_book_set_value(b, 0, 0, 0, &one); /* everything dirty again */
    CHECK(eval_text(b, "=A100000*2", &v) == XC_OK);
    CHECK(v.type == XC_NUMBER && xc_num_cmp_int(&v.u.num, 2 * N) == 0);
    /* the same through a trace (`explain`) */
    xc_book_set_value(b, 0, 0, 0, &one);
    {
        xc_parse_opts o = {b, 0, 0, 25, 0};
        xc_parse_error pe;
        xc_formula *fx;
        size_t steps = 0;
        CHECK(xc_formula_parse(&fx, "=A100000+0", 10, &o, &pe) == XC_OK);
        xc_value_clear(&v);
        CHECK(xc_formula_eval_traced(b, 0, 0, 25, fx, 0, count_steps, &steps,
                                     &v) == XC_OK);
        CHECK(v.type == XC_NUMBER && xc_num_cmp_int(&v.u.num, N) == 0);
        CHECK(steps >= 1);
        xc_formula_release(fx);
    }
    CHECK(xc_book_recalc(b) == XC_OK);
    /* a long cycle is reported, not followed forever */
    set_formula(b, 0, 0, "=A100000");
    CHECK(xc_book_recalc(b) == XC_OK);
    CHECK(xc_book_cycle_count(b) >= 1);
    CHECK(is_err(xc_book_get(b, 0, 500, 0), XC_ERR_CIRC));
    printf("  chain of %d: %.2f s\n", N, now_s() - t0);
    xc_value_clear(&v);
    xc_book_free(b);

    /* names referring to names: deep and circular */
    b = small_book();
    char nm[32], def[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(nm, sizeof nm, "chain_%d", i);
        snprintf(def, sizeof def, i == 999 ? "7" : "chain_%d+1", i + 1);
        CHECK(xc_book_add_name(b, nm, -1, def, 0) == XC_OK);
    }
    int st = eval_text(b, "=chain_0", &v);
    printf("  chain of 1000 names: status %d, type %d\n", st, v.type);
    CHECK(st == XC_OK || st == XC_ELIMIT);
    if (st == XC_OK)
        CHECK((v.type == XC_NUMBER && xc_num_cmp_int(&v.u.num, 1006) == 0) ||
              v.type == XC_ERROR);
    CHECK(xc_book_add_name(b, "loop1", -1, "loop2", 0) == XC_OK);
    CHECK(xc_book_add_name(b, "loop2", -1, "loop1+1", 0) == XC_OK);
    st = eval_text(b, "=loop1", &v);
    CHECK(st == XC_OK && v.type == XC_ERROR);
    xc_value_clear(&v);
    xc_book_free(b);
}

/* explain's depth: a step of a 4,096-term chain shows at most about
 * 1,000 bytes of its subexpression, cut with an ellipsis, so that the
 * trace is linear in the chain, not quadratic (finding 16). */
typedef struct trace_stat {
    size_t steps, longest, cut;
} trace_stat;

static int trace_len(void *ud, int depth, const char *text, const xc_value *v,
                     const char *note)
{
    trace_stat *t = ud;
    size_t n = strlen(text);
    t->steps++;
    if (n > t->longest)
        t->longest = n;
    if (n >= 3 && strcmp(text + n - 3, "\xe2\x80\xa6") == 0)
        t->cut++;
    return XC_OK;
}

static void test_trace_of_long_chain(void)
{
    enum { TERMS = 4096 };
    xc_book *b = small_book();
    xc_buf f;
    xc_buf_init(&f);
    CHECK(xc_buf_puts(&f, "=1") == XC_OK);
    for (int i = 1; i < TERMS; i++)
        CHECK(xc_buf_puts(&f, "+1") == XC_OK);
    xc_parse_opts o = {b, 0, 0, 25, 0};
    xc_parse_error pe;
    xc_formula *fx = NULL;
    xc_value v = {0};
    trace_stat t = {0};
    CHECK(xc_formula_parse(&fx, f.p, f.len, &o, &pe) == XC_OK);
    if (fx) {
        CHECK(xc_formula_eval_traced(b, 0, 0, 25, fx, 0, trace_len, &t, &v) ==
              XC_OK);
        CHECK(v.type == XC_NUMBER && xc_num_cmp_int(&v.u.num, TERMS) == 0);
        /* every node is a step: 4,096 numbers and 4,095 additions */
        CHECK(t.steps == 2 * TERMS - 1);
        CHECK(t.longest <= 1000 + 3);
        /* the additions over more than 500 terms (2 bytes each) are cut */
        CHECK(t.cut >= TERMS - 501 && t.cut <= TERMS - 499);
        printf("  trace of a %d-term chain: %zu steps, longest %zu bytes, "
               "%zu cut\n",
               TERMS, t.steps, t.longest, t.cut);
        xc_formula_release(fx);
    }
    /* a short formula's steps are whole */
    t = (trace_stat){0};
    xc_value_clear(&v);
    CHECK(eval_text(b, "=1+2", &v) == XC_OK);
    CHECK(xc_formula_parse(&fx, "=1+2*3", 6, &o, &pe) == XC_OK);
    CHECK(xc_formula_eval_traced(b, 0, 0, 25, fx, 0, trace_len, &t, &v) ==
          XC_OK);
    CHECK(t.steps == 5 && t.cut == 0 && t.longest == 5);
    xc_formula_release(fx);
    xc_value_clear(&v);
    xc_buf_clear(&f);
    xc_book_free(b);
}

int main(void)
{
    if (xtest_mkdtemp(tmpdir, sizeof tmpdir, "test_limits"))
        return 1;
    test_part_and_total_bytes();
    test_max_cells();
    test_long_text();
    test_huge_exponent_in_file();
    test_formula_length_and_depth();
    test_number_size();
    test_array_size();
    test_long_chains();
    test_trace_of_long_chain();
    if (xtest_rmtree(tmpdir))
        return 1;
    return xtest_done();
}
