/* test_annotate.c - fills and notes added to a loaded workbook
 * (xc_xlsx_style_with_fill, xc_xlsx_add_comment) and the annotated copy
 * of an audited sample (xc_audit_annotate): the styles grow, number
 * formats and untouched parts stay as they were, comment parts exist
 * and reload. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include "exacalc/form.h"
#include "exacalc/xlsx.h"
#include "xtest.h"

/* Whole uncompressed part, or NULL (caller frees). */
static char *part(const char *path, const char *name, size_t *len)
{
    int e;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    zip_stat_t st;
    char *p = NULL;
    *len = 0;
    if (!z)
        return NULL;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        p = malloc(st.size + 1);
        if (f && p && zip_fread(f, p, st.size) == (zip_int64_t)st.size) {
            p[st.size] = 0;
            *len = st.size;
        } else {
            free(p);
            p = NULL;
        }
        if (f)
            zip_fclose(f);
    }
    zip_close(z);
    return p;
}

/* Count parts of a that b holds with identical content, and the parts
 * of a that differ (names not in `may_change` are reported). */
static void compare_parts(const char *a, const char *b,
                          const char *const *may_change, int *same, int *bad)
{
    int e;
    zip_t *z = zip_open(a, ZIP_RDONLY, &e);
    *same = *bad = 0;
    if (!z) {
        (*bad)++;
        return;
    }
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t la, lb;
        char *pa = part(a, name, &la), *pb = part(b, name, &lb);
        int allowed = 0;
        for (int k = 0; may_change[k]; k++)
            allowed |= strcmp(may_change[k], name) == 0 ||
                       (may_change[k][0] == '*' &&
                        strstr(name, may_change[k] + 1) != NULL);
        if (pa && pb && la == lb && memcmp(pa, pb, la) == 0) {
            (*same)++;
        } else if (!allowed) {
            (*bad)++;
            fprintf(stderr, "part changed: %s\n", name);
        }
        free(pa);
        free(pb);
    }
    zip_close(z);
}

static void num(xc_book *b, int s, uint32_t r, uint32_t c, long v)
{
    xc_value x = {0};
    xc_num n;
    xc_num_init(&n);
    xc_num_set_int(&n, v);
    xc_value_take_num(&x, &n);
    CHECK(xc_book_set_value(b, s, r, c, &x) == XC_OK);
    xc_value_clear(&x);
    xc_num_clear(&n);
}

/* A workbook of our own: saved, loaded, annotated, saved, reloaded. */
static void own_book(const char *dir)
{
    char a[512], b2[512];
    xc_buf err;
    xc_book *b = xc_book_new(), *l = NULL, *r = NULL;
    uint32_t pct, s1, s2, s3, n0;
    xc_buf_init(&err);
    snprintf(a, sizeof a, "%s/a.xlsx", dir);
    snprintf(b2, sizeof b2, "%s/b.xlsx", dir);
    xc_book_add_sheet(b, "S1", 2, NULL);
    xc_book_add_sheet(b, "S2", 2, NULL);
    CHECK(xc_book_add_style(b, "0.00%", &pct) == XC_OK);
    num(b, 0, 0, 0, 1);
    CHECK(xc_book_set_style(b, 0, 0, 0, pct) == XC_OK);
    num(b, 0, 1, 1, 42);
    num(b, 1, 2, 2, 7);
    /* not a loaded book: nothing to extend */
    CHECK(xc_xlsx_style_with_fill(b, pct, 0xFFFFC7CEu, &s1) == XC_EUNSUPPORTED);
    CHECK(xc_xlsx_add_comment(b, 0, 0, 0, NULL, "x") == XC_EUNSUPPORTED);
    CHECK(xc_xlsx_save(b, a, &err) == XC_OK);
    xc_book_free(b);

    CHECK(xc_xlsx_load(a, NULL, &l, &err) == XC_OK);
    if (!l)
        return;
    n0 = xc_book_style_count(l);
    CHECK(xc_book_cell(l, 0, 0, 0) && xc_book_cell(l, 0, 0, 0)->style == pct);
    CHECK(xc_xlsx_style_with_fill(l, pct, 0xFFFFC7CEu, &s1) == XC_OK);
    CHECK(s1 == n0);
    CHECK(xc_xlsx_style_with_fill(l, pct, 0xFFFFC7CEu, &s2) == XC_OK);
    CHECK(s2 == s1); /* same base and colour: same style */
    CHECK(xc_xlsx_style_with_fill(l, 0, 0xFFDDEBF7u, &s3) == XC_OK);
    CHECK(s3 == n0 + 1);
    CHECK(xc_xlsx_style_with_fill(l, n0 + 50, 0xFFDDEBF7u, &s2) == XC_EINVAL);
    CHECK_STR(xc_book_style_numfmt(l, s1), "0.00%");
    CHECK(xc_book_set_style(l, 0, 0, 0, s1) == XC_OK);
    CHECK(xc_book_set_style(l, 0, 4, 2, s3) == XC_OK); /* a blank cell */
    CHECK(xc_xlsx_add_comment(l, 0, 0, 0, "exacalc", "first") == XC_OK);
    CHECK(xc_xlsx_add_comment(l, 0, 0, 0, "exacalc",
                              "[error] total.sum <&> 合计") == XC_OK);
    CHECK(xc_xlsx_add_comment(l, 0, 4, 2, "someone", "on a blank") == XC_OK);
    CHECK(xc_xlsx_add_comment(l, 5, 0, 0, NULL, "x") == XC_EINVAL);
    CHECK(xc_xlsx_save(l, b2, &err) == XC_OK);
    xc_book_free(l);

    /* the other sheet and the package's other parts are untouched */
    static const char *const may[] = {"xl/styles.xml",
                                      "xl/worksheets/sheet1.xml",
                                      "[Content_Types].xml", NULL};
    int same, bad;
    compare_parts(a, b2, may, &same, &bad);
    CHECK(bad == 0);
    CHECK(same >= 3);

    size_t len, lo;
    char *sty = part(b2, "xl/styles.xml", &len);
    char *old = part(a, "xl/styles.xml", &lo);
    CHECK(sty && strstr(sty, "rgb=\"FFFFC7CE\"") && strstr(sty, "FFDDEBF7"));
    /* everything before <fills is as it was */
    if (sty && old) {
        const char *fo = strstr(old, "<fills"), *fn = strstr(sty, "<fills");
        CHECK(fo && fn && fo - old == fn - sty &&
              memcmp(old, sty, (size_t)(fo - old)) == 0);
    }
    free(sty);
    free(old);
    char *cm = part(b2, "xl/comments1.xml", &len);
    CHECK(cm && strstr(cm, "total.sum &lt;&amp;&gt; 合计") &&
          !strstr(cm, "first") && strstr(cm, "ref=\"C5\"") &&
          strstr(cm, "<author>someone</author>"));
    free(cm);
    char *vml = part(b2, "xl/drawings/vmlDrawing1.vml", &len);
    CHECK(vml && strstr(vml, "<x:Row>4</x:Row>"));
    free(vml);
    char *rels = part(b2, "xl/worksheets/_rels/sheet1.xml.rels", &len);
    CHECK(rels && strstr(rels, "/comments\"") && strstr(rels, "vmlDrawing"));
    free(rels);
    char *ct = part(b2, "[Content_Types].xml", &len);
    CHECK(ct && strstr(ct, "Extension=\"vml\"") &&
          strstr(ct, "/xl/comments1.xml"));
    free(ct);
    char *sh = part(b2, "xl/worksheets/sheet1.xml", &len);
    CHECK(sh && strstr(sh, "legacyDrawing") &&
          strstr(sh, "legacyDrawing") > strstr(sh, "</sheetData>"));
    free(sh);

    CHECK(xc_xlsx_load(b2, NULL, &r, &err) == XC_OK);
    if (r) {
        CHECK(xc_book_style_count(r) == n0 + 2);
        const xc_cell *c = xc_book_cell(r, 0, 0, 0);
        CHECK(c && c->style == s1);
        CHECK_STR(xc_book_style_numfmt(r, s1), "0.00%");
        c = xc_book_cell(r, 0, 1, 1);
        CHECK(c && c->v.type == XC_NUMBER);
        /* the sheet has comments now: left alone */
        CHECK(xc_xlsx_add_comment(r, 0, 1, 1, NULL, "x") == XC_EUNSUPPORTED);
        CHECK(xc_xlsx_add_comment(r, 1, 0, 0, NULL, "x") == XC_OK);
        xc_book_free(r);
    }
    xc_buf_clear(&err);
}

/* Replace (or add) a part of a package. */
static int put_part(const char *path, const char *name, const char *text)
{
    int e;
    zip_t *z = zip_open(path, 0, &e);
    if (!z)
        return -1;
    zip_source_t *src = zip_source_buffer(z, text, strlen(text), 0);
    int ok = src && zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0;
    if (!ok && src)
        zip_source_free(src);
    return zip_close(z) == 0 && ok ? 0 : -1;
}

/* A package written with an "x:" prefix for the main namespace, the
 * relationships namespace bound at the root, and worksheet children
 * that follow <legacyDrawing> in schema order. */
static void prefixed(const char *dir)
{
    char a[512], o[512];
    xc_buf err;
    xc_book *b = xc_book_new(), *l = NULL;
    uint32_t s1;
    xc_buf_init(&err);
    snprintf(a, sizeof a, "%s/p.xlsx", dir);
    snprintf(o, sizeof o, "%s/p_out.xlsx", dir);
    xc_book_add_sheet(b, "P", 1, NULL);
    num(b, 0, 0, 0, 5);
    CHECK(xc_xlsx_save(b, a, &err) == XC_OK);
    xc_book_free(b);
    const char *M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    char sheet[1024], sty[1024];
    snprintf(sheet, sizeof sheet,
             "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"%s\" "
             "xmlns:rr=\"http://schemas.openxmlformats.org/officeDocument/"
             "2006/relationships\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" "
             "s=\"1\"><x:v>5</x:v></x:c></x:row></x:sheetData>"
             "<x:pageMargins left=\"1\" right=\"1\" top=\"1\" bottom=\"1\" "
             "header=\"0\" footer=\"0\"/><x:extLst/></x:worksheet>",
             M);
    snprintf(sty, sizeof sty,
             "<?xml version=\"1.0\"?><x:styleSheet xmlns:x=\"%s\">"
             "<x:numFmts count=\"1\"><x:numFmt numFmtId=\"164\" "
             "formatCode=\"0.000\"/></x:numFmts>"
             "<x:fonts count=\"1\"><x:font/></x:fonts><x:fills count=\"2\">"
             "<x:fill><x:patternFill patternType=\"none\"/></x:fill><x:fill>"
             "<x:patternFill patternType=\"gray125\"/></x:fill></x:fills>"
             "<x:borders count=\"1\"><x:border/></x:borders>"
             "<x:cellXfs count=\"2\"><x:xf numFmtId=\"0\"/><x:xf "
             "numFmtId=\"164\" fontId=\"0\" fillId=\"0\" applyNumberFormat="
             "\"1\"><x:alignment wrapText=\"1\"/></x:xf></x:cellXfs>"
             "</x:styleSheet>",
             M);
    CHECK(put_part(a, "xl/worksheets/sheet1.xml", sheet) == 0);
    CHECK(put_part(a, "xl/styles.xml", sty) == 0);
    CHECK(xc_xlsx_load(a, NULL, &l, &err) == XC_OK);
    if (!l)
        return;
    CHECK_STR(xc_book_style_numfmt(l, 1), "0.000");
    CHECK(xc_xlsx_style_with_fill(l, 1, 0xFFFFEB9Cu, &s1) == XC_OK);
    CHECK(s1 == 2);
    CHECK(xc_book_set_style(l, 0, 0, 0, s1) == XC_OK);
    CHECK(xc_xlsx_add_comment(l, 0, 0, 0, NULL, "note") == XC_OK);
    CHECK(xc_xlsx_save(l, o, &err) == XC_OK);
    xc_book_free(l);
    size_t len;
    char *sh = part(o, "xl/worksheets/sheet1.xml", &len);
    CHECK(sh && strstr(sh, "<x:c r=\"A1\" s=\"2\"><x:v>5</x:v></x:c>"));
    CHECK(sh && strstr(sh, "<x:legacyDrawing rr:id=\"rIdXcVml\"/><x:extLst/>"));
    free(sh);
    char *st = part(o, "xl/styles.xml", &len);
    CHECK(st && strstr(st, "<x:fills count=\"3\">"));
    CHECK(st && strstr(st, "<x:fill><x:patternFill patternType=\"solid\">"
                           "<x:fgColor rgb=\"FFFFEB9C\"/>"));
    CHECK(st && strstr(st, "<x:cellXfs count=\"3\">"));
    /* the copy keeps the number format and alignment, only the fill
     * is new */
    CHECK(st && strstr(st, "<x:xf numFmtId=\"164\" fontId=\"0\" "
                           "applyNumberFormat=\"1\" fillId=\"2\" "
                           "applyFill=\"1\"><x:alignment wrapText=\"1\"/>"
                           "</x:xf></x:cellXfs>"));
    free(st);
    xc_book *r = NULL;
    CHECK(xc_xlsx_load(o, NULL, &r, &err) == XC_OK);
    if (r) {
        CHECK(xc_book_style_count(r) == 3);
        CHECK_STR(xc_book_style_numfmt(r, 2), "0.000");
        xc_book_free(r);
    }
    xc_buf_clear(&err);
}

/* seed 004: audit -o in the library. */
static void sample(const char *dir)
{
    const char *src = getenv("XC_SRC");
    char in[512], out[512];
    xc_buf err;
    xc_book *b = NULL, *r = NULL;
    xc_audit *a = NULL;
    xc_form_settings st;
    snprintf(in, sizeof in, "%s/samples/seed004_selfeval_values.xlsx",
             src ? src : ".");
    snprintf(out, sizeof out, "%s/annot.xlsx", dir);
    if (access(in, R_OK) != 0) {
        printf("skip: %s missing\n", in);
        return;
    }
    xc_buf_init(&err);
    xc_form_settings_default(&st);
    CHECK(xc_xlsx_load(in, NULL, &b, &err) == XC_OK);
    if (!b)
        return;
    uint32_t n0 = xc_book_style_count(b);
    int sheets0 = xc_book_sheet_count(b);
    CHECK(xc_audit_book(b, &st, &a) == XC_OK);
    CHECK(a && xc_audit_errors(a) > 0);
    const xc_finding *tot = a ? xc_audit_find(a, "total.sum") : NULL;
    CHECK(tot != NULL);
    uint32_t old_style = 0;
    if (tot) {
        const xc_cell *c = xc_book_cell(b, tot->sheet, tot->row, tot->col);
        old_style = c ? c->style : 0;
    }
    CHECK(xc_audit_annotate(b, a, &st) == XC_OK);
    CHECK(xc_book_sheet_count(b) > sheets0);
    CHECK(xc_xlsx_save(b, out, &err) == XC_OK);
    CHECK(xc_xlsx_load(out, NULL, &r, &err) == XC_OK);
    if (r && tot) {
        uint32_t n1 = xc_book_style_count(r);
        CHECK(n1 > n0);
        for (uint32_t i = 0; i < n0; i++)
            CHECK_STR(xc_book_style_numfmt(r, i), xc_book_style_numfmt(b, i));
        const xc_cell *c = xc_book_cell(r, tot->sheet, tot->row, tot->col);
        CHECK(c && c->style >= n0 && c->style < n1);
        if (c)
            CHECK_STR(xc_book_style_numfmt(r, c->style),
                      xc_book_style_numfmt(r, old_style));
        CHECK(xc_book_sheet_count(r) == xc_book_sheet_count(b));
    }
    size_t len;
    char *cm = part(out, "xl/comments1.xml", &len);
    CHECK(cm != NULL);
    free(cm);
    /* theme, docProps and every sheet without findings stay identical */
    static const char *const may[] = {
        "xl/styles.xml",       "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml", "*worksheets/",    NULL};
    int same, bad;
    compare_parts(in, out, may, &same, &bad);
    CHECK(bad == 0);
    CHECK(same >= 4);
    xc_book_free(r);
    xc_audit_free(a);
    xc_book_free(b);
    xc_buf_clear(&err);
}

int main(void)
{
    char dir[64];
    if (xtest_mkdtemp(dir, sizeof dir, "xc_annot")) {
        CHECK(0);
        return xtest_done();
    }
    own_book(dir);
    prefixed(dir);
    sample(dir);
    xtest_rmtree(dir);
    return xtest_done();
}
