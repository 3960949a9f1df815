/* test_xlsx_splice.c - saving a changed sheet by splicing the original
 * bytes gives exactly what the expat pass gives: on the samples and the
 * shared corpus after a recalculation, and on a hand-made sheet with
 * every kind of edit (changed, inserted, deleted cells and rows,
 * formulas, styles); the splice is really used where it can be and the
 * expat pass takes over where it cannot (a comment in <sheetData>, a
 * <dimension> that must grow); the scanner's window ending at every
 * position of a row; a part deflated by the second thread equals one
 * deflated by libzip, and a book whose parts were inflated on a second
 * thread equals one inflated in the parsing thread; empty unstyled <c r="X1"/>
 * cells of a rewritten sheet are kept (issue #8). */
#define _DEFAULT_SOURCE /* d_type */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>
#include "exacalc/xlsx.h"
#include "xlsx_int.h"
#include "xtest.h"
#include "xpkg.h"

static char tmpdir[256];

static const char *tpath(const char *name)
{
    return xtest_path(tmpdir, name);
}

static int part_text(const char *path, const char *part, xc_buf *out)
{
    int e;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    if (!z)
        return -1;
    zip_int64_t i = zip_name_locate(z, part, 0);
    int r = i < 0 ? -1 : read_entry(z, i, out);
    zip_discard(z);
    return r;
}

/* Save b twice, by splicing (where possible) and by the expat pass
 * only; returns the number of differing parts, and through *spliced
 * how many sheets the first save spliced. */
static int save_both(xc_book *b, const char *tag, long *spliced)
{
    xc_buf err, names;
    char a[600], e[600];
    int nd;
    xc_buf_init(&err);
    xc_buf_init(&names);
    snprintf(a, sizeof a, "%s", tpath("splice.xlsx"));
    snprintf(e, sizeof e, "%s", tpath("expat.xlsx"));
    long before = xc_xlsx_spliced;
    xc_xlsx_no_splice = 0;
    int s1 = xc_xlsx_save(b, a, &err);
    if (spliced)
        *spliced = xc_xlsx_spliced - before;
    xc_xlsx_no_splice = 1;
    int s2 = xc_xlsx_save(b, e, &err);
    xc_xlsx_no_splice = 0;
    if (s1 != XC_OK || s2 != XC_OK) {
        printf("  %s: save failed: %s\n", tag, err.p ? err.p : "");
        nd = -1;
    } else {
        nd = pkg_diff(a, e, &names);
        if (nd)
            printf("  %s: splice and expat pass differ: %s\n", tag,
                   names.p ? names.p : "");
    }
    xc_buf_clear(&err);
    xc_buf_clear(&names);
    return nd;
}

/* ---- every loadable file under a folder, after a recalculation ---- */

static void corpus_dir(const char *dir, int *files, int *same, long *spliced)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        char path[1024];
        xc_book *b = NULL;
        xc_buf err;
        long sp = 0;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (de->d_type == DT_DIR) {
            corpus_dir(path, files, same, spliced);
            continue;
        }
        if (n < 5 || strcmp(de->d_name + n - 5, ".xlsx") != 0)
            continue;
        xc_buf_init(&err);
        if (xc_xlsx_load(path, NULL, &b, &err) == XC_OK) {
            /* loaded again parsing every formula text (no cache of
             * formulas by shape): the same book */
            xc_book *b2 = NULL;
            xc_xlsx_no_fcache = 1;
            int st2 = xc_xlsx_load(path, NULL, &b2, &err);
            xc_xlsx_no_fcache = 0;
            xc_book_recalc_all(b);
            if (b2)
                xc_book_recalc_all(b2);
            (*files)++;
            int nd = save_both(b, de->d_name, &sp);
            *same += nd == 0 && st2 == XC_OK && books_same(b, b2, de->d_name);
            xc_book_free(b2);
            *spliced += sp;
            xc_book_free(b);
        }
        xc_buf_clear(&err);
    }
    closedir(d);
}

static void test_corpus(void)
{
    const char *src = getenv("XC_SRC");
    char dir[1024];
    int files = 0, same = 0;
    long spliced = 0;
    if (!src)
        src = ".";
    snprintf(dir, sizeof dir, "%s/samples", src);
    corpus_dir(dir, &files, &same, &spliced);
    snprintf(dir, sizeof dir, "%s/../shared/testdata/xlsx-corpus", src);
    corpus_dir(dir, &files, &same, &spliced);
    snprintf(dir, sizeof dir, "%s/../shared/testdata/ironcalc", src);
    corpus_dir(dir, &files, &same, &spliced);
    snprintf(dir, sizeof dir, "%s/../shared/testdata/libreoffice", src);
    corpus_dir(dir, &files, &same, &spliced);
    printf("corpus: %d files, %d identical both ways (splice or expat; "
           "formula cache or not), %ld sheets spliced\n",
           files, same, spliced);
    CHECK(files > 0);
    CHECK(same == files);
    CHECK(spliced > 0);
}

/* ---- a hand-made sheet and every kind of edit ---- */

/* Prefixed elements, rows and cells without r, whitespace between
 * them, a shared formula group, bare <c/> cells, a self-closed row,
 * stale cached values, entity references in text. */
static const char *SHEET =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\"><x:dimension ref=\"A1:H30\"/><x:sheetData>\n"
    " <x:row r=\"1\" spans=\"1:8\"><x:c r=\"A1\"><x:v>1.5</x:v></x:c>"
    "<x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>&#39033;&amp;&lt;</x:t>"
    "</x:is></x:c><x:c r=\"C1\"/><x:c r=\"D1\" s=\"0\"></x:c>"
    "<x:c r=\"E1\"><x:f>A1*2</x:f><x:v>0</x:v></x:c></x:row>\n"
    " <x:row r=\"2\" spans=\"1:8\"><x:c r=\"A2\"><x:v>2</x:v></x:c>"
    "<x:c r=\"B2\"><x:f t=\"shared\" ref=\"B2:B4\" si=\"0\">A2+1</x:f>"
    "<x:v>3</x:v></x:c><x:c r=\"H2\"/></x:row>\n"
    " <x:row r=\"3\"><x:c r=\"A3\"><x:v>5</x:v></x:c>"
    "<x:c r=\"B3\"><x:f t=\"shared\" si=\"0\"/><x:v>1</x:v></x:c></x:row>\n"
    " <x:row><x:c><x:v>7</x:v></x:c><x:c><x:f t='shared' si='0'/>"
    "<x:v>8</x:v></x:c><x:c/></x:row>\n"
    " <x:row r=\"6\" spans=\"1:2\"/>\n"
    " <x:row r=\"8\"><x:c r=\"A8\" t=\"str\"><x:f>\"a&gt;\"&amp;A1</x:f>"
    "<x:v>old</x:v></x:c><x:c r=\"C8\"><x:v>4</x:v></x:c></x:row>\n"
    " <x:row r=\"20\"><x:c r=\"A20\"><x:v>9</x:v></x:c></x:row>\n"
    "</x:sheetData><x:pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" "
    "bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></x:worksheet>";

static xc_formula *parse(xc_book *b, uint32_t r, uint32_t c, const char *text)
{
    xc_formula *f = NULL;
    xc_parse_opts o = {b, 0, r, c, 0};
    xc_parse_error pe;
    if (xc_formula_parse(&f, text, strlen(text), &o, &pe) != 0)
        return NULL;
    return f;
}

static xc_book *load(const char *path)
{
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    if (xc_xlsx_load(path, NULL, &b, &err) != XC_OK)
        printf("  load %s: %s\n", path, err.p ? err.p : "");
    xc_buf_clear(&err);
    return b;
}

static void test_edits(void)
{
    xc_book *b;
    xc_value v = {0};
    xc_buf s;
    long sp = 0;
    xc_buf_init(&s);
    CHECK(xpkg_book1(tpath("hand.xlsx"), SHEET) == 0);
    if (!(b = load(tpath("hand.xlsx"))))
        return;
    /* recalculation only: stale caches of E1, B3, B5, A8; the part
     * read a few bytes at a time too, so that the scanner's window ends
     * at every position of a row */
    xc_book_recalc_all(b);
    static const int reads[] = {1, 2, 3, 5, 7, 11, 64, 0};
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "recalc, reads of %d", reads[i]);
        xc_xlsx_splice_read = reads[i];
        CHECK(save_both(b, tag, &sp) == 0);
        CHECK(sp == 1);
    }
    part_text(tpath("splice.xlsx"), "xl/worksheets/sheet1.xml", &s);
    /* bare cells kept; changed cells with new values; the rest verbatim */
    CHECK(s.p && strstr(s.p, "<x:c r=\"C1\"/><x:c r=\"D1\" s=\"0\"></x:c>"
                             "<x:c r=\"E1\"><x:f>A1*2</x:f><x:v>3</x:v>"));
    CHECK(s.p && strstr(s.p, "<x:c r=\"H2\"/>"));
    CHECK(s.p && strstr(s.p, "<x:v>8</x:v></x:c><x:c/></x:row>"));
    CHECK(s.p && strstr(s.p, "<x:c r=\"B3\"><x:f t=\"shared\" si=\"0\"/>"
                             "<x:v>6</x:v></x:c>"));
    CHECK(s.p && strstr(s.p, "<x:row r=\"1\" spans=\"1:8\"><x:c r=\"A1\">"
                             "<x:v>1.5</x:v></x:c><x:c r=\"B1\" "
                             "t=\"inlineStr\"><x:is><x:t>&#39033;&amp;&lt;"));
    CHECK(s.p && strstr(s.p, "<x:c r=\"A8\" t=\"str\"><x:f>\"a&gt;\"&amp;A1"
                             "</x:f><x:v>a&gt;1.5</x:v></x:c>"));
    CHECK(s.p && strstr(s.p, "</x:sheetData><x:pageMargins left=\"0.7\""));
    CHECK(s.p && strstr(s.p, "<x:row r=\"6\" spans=\"1:2\"/>\n"));

    /* edits inside the used range: changed, inserted, deleted cells, a
     * new row between rows, a cell in a self-closed row, a formula */
    xc_value_set_int(&v, 10);
    CHECK(xc_book_set_value(b, 0, 0, 0, &v) == 0); /* A1 */
    xc_value_set_text(&v, "x<y", 3);
    CHECK(xc_book_set_value(b, 0, 1, 3, &v) == 0); /* D2: between */
    CHECK(xc_book_set_value(b, 0, 5, 1, &v) == 0); /* B6: self-closed row */
    xc_value_set_int(&v, 2);
    CHECK(xc_book_set_value(b, 0, 6, 6, &v) == 0); /* G7: new row */
    CHECK(xc_book_set_value(b, 0, 9, 0, &v) == 0); /* A10: new row */
    CHECK(xc_book_clear_cell(b, 0, 7, 2) == 0);    /* C8 */
    xc_formula *f = parse(b, 19, 1, "A20*A3");
    CHECK(f && xc_book_set_formula(b, 0, 19, 1, f, NULL) == 0); /* B20 */
    xc_formula_release(f);
    xc_book_recalc(b);
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "edits, reads of %d", reads[i]);
        xc_xlsx_splice_read = reads[i];
        CHECK(save_both(b, tag, &sp) == 0);
        CHECK(sp == 1);
    }
    xc_buf_reset(&s);
    part_text(tpath("splice.xlsx"), "xl/worksheets/sheet1.xml", &s);
    CHECK(s.p && strstr(s.p, "<x:c r=\"E1\"><x:f>A1*2</x:f><x:v>20</x:v>"));
    CHECK(s.p && strstr(s.p, "<x:row r=\"2\"><x:c r=\"A2\">"));
    CHECK(s.p && strstr(s.p, "<x:c r=\"D2\" t=\"inlineStr\"><x:is><x:t>"
                             "x&lt;y</x:t></x:is></x:c><x:c r=\"H2\"/>"));
    CHECK(s.p && strstr(s.p, "<x:row r=\"6\"><x:c r=\"B6\""));
    CHECK(s.p && strstr(s.p, "<x:row r=\"7\"><x:c r=\"G7\"><x:v>2</x:v>"));
    CHECK(s.p && !strstr(s.p, "r=\"C8\""));
    CHECK(s.p && strstr(s.p, "<x:row r=\"10\"><x:c r=\"A10\">"));
    CHECK(s.p && strstr(s.p, "<x:c r=\"B20\"><x:f>A20*A3</x:f><x:v>45</x:v>"));
    xc_book *b2 = load(tpath("splice.xlsx"));
    if (b2) {
        CHECK(xc_book_get(b2, 0, 19, 1)->type == XC_NUMBER);
        CHECK(xc_book_get(b2, 0, 5, 1)->type == XC_TEXT);
        xc_book_free(b2);
    }

    /* a cell beyond the stated dimension: the expat pass does it */
    CHECK(xc_book_set_value(b, 0, 40, 0, &v) == 0); /* A41 */
    CHECK(save_both(b, "dimension", &sp) == 0);
    CHECK(sp == 0);
    xc_value_clear(&v);
    xc_book_free(b);

    /* something the scanner does not read: a comment between rows */
    char *odd = xc_malloc(strlen(SHEET) + 32);
    const char *at = strstr(SHEET, " <x:row r=\"20\">");
    sprintf(odd, "%.*s<!-- note -->%s", (int)(at - SHEET), SHEET, at);
    CHECK(xpkg_book1(tpath("odd.xlsx"), odd) == 0);
    xc_free(odd);
    if ((b = load(tpath("odd.xlsx")))) {
        xc_book_recalc_all(b);
        CHECK(save_both(b, "comment", &sp) == 0);
        CHECK(sp == 0);
        xc_buf_reset(&s);
        part_text(tpath("splice.xlsx"), "xl/worksheets/sheet1.xml", &s);
        CHECK(s.p && strstr(s.p, "<!-- note -->"));
        CHECK(s.p && strstr(s.p, "<x:c r=\"C1\"/>"));
        xc_book_free(b);
    }
    xc_buf_clear(&s);
}

/* ---- start tags of every shape around changed cached values ---- */

/* A package with a styles part (two cellXfs) and a shared string. */
#define TAGS_CT                                                                \
    XPKG_CT_HEAD                                                               \
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"         \
    "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"           \
    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/"  \
    "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"    \
    "</Types>"
#define TAGS_WB_RELS                                                           \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"   \
    "relationships\"><Relationship Id=\"rId1\" "                               \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"            \
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"             \
    "<Relationship Id=\"rId2\" "                                               \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"            \
    "relationships/styles\" Target=\"styles.xml\"/>"                           \
    "<Relationship Id=\"rId3\" "                                               \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"            \
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"             \
    "</Relationships>"
#define TAGS_STYLES                                                            \
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"     \
    "2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name "              \
    "val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill "   \
    "patternType=\"none\"/></fill><fill><patternFill "                         \
    "patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border>"    \
    "<left/><right/><top/><bottom/><diagonal/></border></borders>"             \
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "  \
    "borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" "  \
    "fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf "                \
    "numFmtId=\"2\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "      \
    "applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
#define TAGS_SST                                                               \
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"       \
    "main\" count=\"1\" uniqueCount=\"1\"><si><t>shared</t></si></sst>"

/* Cells whose start tags put t before or after r and s, in single
 * quotes, with white space around '=' and between attributes, self
 * closed; results of every type (numbers in every layout, text with
 * and without spaces to keep, booleans, errors, too large numbers);
 * t="s" constants; a shared group whose master is edited; cells given
 * a new style, with and without a new cached value.  "<P" and "</P"
 * stand for the element prefix. */
static const char *TAGS =
    "<Pworksheet xmlns@><Pdimension ref=\"A1:H7\"/><PsheetData>"
    "<Prow r=\"1\"><Pc r=\"A1\"><Pv>2</Pv></Pc>"
    "<Pc r=\"B1\" t=\"n\"><Pf>A1*3</Pf><Pv>1</Pv></Pc>"
    "<Pc t=\"str\" r=\"C1\"><Pf>\"q\"&amp;A1</Pf><Pv>x</Pv></Pc>"
    "<Pc r=\"D1\" s=\"1\" t='b'><Pf>A1&gt;1</Pf><Pv>0</Pv></Pc>"
    "<Pc r=\"E1\"\n t = \"e\"  s=\"1\"><Pf>1/0</Pf><Pv>#N/A</Pv></Pc>"
    "<Pc r=\"F1\" ta=\"2\" t=\"n\" ><Pf>A1/3</Pf><Pv>0</Pv></Pc>"
    "<Pc r=\"G1\" t=\"s\"><Pv>0</Pv></Pc>"
    "<Pc r=\"H1\" t=\"s\" s=\"1\"><Pv>0</Pv></Pc></Prow>"
    "<Prow r=\"2\" spans=\"1:8\"><Pc r=\"A2\"><Pf>1/3</Pf><Pv>0</Pv></Pc>"
    "<Pc r=\"B2\"><Pf>-A1/8000000</Pf><Pv/></Pc>"
    "<Pc r=\"C2\"><Pf>-7/8</Pf><Pv></Pv></Pc>"
    "<Pc r=\"D2\"><Pf>2^70</Pf><Pv>1</Pv></Pc>"
    "<Pc r=\"E2\"><Pf>1/2^40</Pf></Pc>"
    "<Pc r=\"F2\" t=\"str\"><Pf>1=1</Pf><Pv>x</Pv></Pc>"
    "<Pc r=\"G2\"><Pf>NA()</Pf></Pc>"
    "<Pc r=\"H2\"><Pf>\"a b \"</Pf></Pc></Prow>"
    "<Prow r=\"3\"><Pc r=\"A3\" s=\"1\"/><Pc r=\"B3\" s=\"1\"><Pv>5</Pv></Pc>"
    "<Pc r=\"C3\" s=\"1\" t=\"n\"><Pf>B3+1</Pf><Pv>0</Pv></Pc>"
    "<Pc r=\"D3\"><Pf>B3*2</Pf><Pv>10</Pv></Pc>"
    "<Pc r=\"E3\" t=\"str\"><Pf>\"x\"</Pf><Pv>x</Pv></Pc>"
    "<Pc r=\"F3\"><Pf>1E+300*1E+300</Pf><Pv>0</Pv></Pc>"
    "<Pc r=\"G3\"><Pf>10^-400</Pf><Pv>1</Pv></Pc></Prow>"
    "<Prow r=\"4\"><Pc r=\"A4\"><Pf t=\"shared\" ref=\"A4:C4\" si=\"0\">"
    "A1+1</Pf><Pv>0</Pv></Pc><Pc r=\"B4\"><Pf t=\"shared\" si=\"0\"/>"
    "<Pv>0</Pv></Pc><Pc r=\"C4\" t=\"n\"><Pf t=\"shared\" si=\"0\"/></Pc>"
    "</Prow>"
    "<Prow r=\"5\"><Pc r=\"A5\" t=\"n\"><Pf>0.5+0.25</Pf><Pv>0.75</Pv></Pc>"
    "<Pc r=\"B5\"><Pf>123456789.123</Pf><Pv>1</Pv></Pc>"
    "<Pc r=\"C5\"><Pf>A5=0.75</Pf><Pv>1</Pv></Pc></Prow>"
    "<Prow r=\"6\"><Pc r=\"A6\"><Pf>SUM(A1:A5)</Pf><Pv>1</Pv></Pc>"
    "<Pc r=\"B6\"><Pv>1</Pv></Pc>"
    "<Pc r=\"C6\"><Pf>B6&amp;\"\"</Pf><Pv>1</Pv></Pc></Prow>"
    "<Prow r=\"7\"><Pc r=\"A7\"><Pf t=\"array\" ref=\"A7:C7\">{1,2,3}*A1</Pf>"
    "<Pv>0</Pv></Pc><Pc r=\"B7\" t=\"n\"/><Pc r=\"C7\" t=\"n\" /></Prow>"
    "</PsheetData></Pworksheet>";

/* What the writer gave for TAGS before its fast paths (and the expat
 * pass gives). */
#define TAGS_WANT                                                              \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2"     \
    "006/main\"><dimension ref=\"A1:H7\"/><sheetData><row r=\"1\"><c r=\""     \
    "A1\"><v>2</v></c><c r=\"B1\"><f>A1*3</f><v>6</v></c><c r=\"C1\" t=\""     \
    "str\"><f>\"q\"&amp;A1</f><v>q2</v></c><c r=\"D1\" s=\"1\" t=\"b\"><f"     \
    ">A1&gt;1</f><v>1</v></c><c r=\"E1\"\n  s=\"2\" t=\"e\"><f>1/0</f><v>"     \
    "#DIV/0!</v></c><c r=\"F1\" ta=\"2\" ><f>A1/3</f><v>0.666666666666666"     \
    "67</v></c><c r=\"G1\" t=\"s\"><v>0</v></c><c r=\"H1\" t=\"s\" s=\"2\""    \
    "><v>0</v></c></row><row r=\"2\" spans=\"1:8\"><c r=\"A2\"><f>1/3</f>"     \
    "<v>0.33333333333333333</v></c><c r=\"B2\"><f>-A1/8000000</f><v>-2.5E"     \
    "-7</v></c><c r=\"C2\"><f>-7/8</f><v>-0.875</v></c><c r=\"D2\"><f>2^7"     \
    "0</f><v>1.1805916207174113E+21</v></c><c r=\"E2\"><f>1/2^40</f><v>9."     \
    "0949470177292824E-13</v></c><c r=\"F2\" t=\"b\"><f>1=1</f><v>1</v></"     \
    "c><c r=\"G2\" t=\"e\"><f>NA()</f><v>#N/A</v></c><c r=\"H2\" t=\"str\""    \
    "><f>\"a b \"</f><v xml:space=\"preserve\">a b </v></c></row><row r=\""    \
    "3\"><c r=\"A3\" s=\"2\"/><c r=\"B3\" s=\"2\"><v>5</v></c><c r=\"C3\""     \
    " s=\"2\"><f>B3+1</f><v>6</v></c><c r=\"D3\"><f>B3*2</f><v>10</v></c>"     \
    "<c r=\"E3\" t=\"str\"><f>\"x\"</f><v>x</v></c><c r=\"F3\" t=\"e\"><f"     \
    ">1E+300*1E+300</f><v>#NUM!</v></c><c r=\"G3\"><f>10^-400</f><v>0</v>"     \
    "</c></row><row r=\"4\"><c r=\"A4\"><f>A1+2</f><v>4</v></c><c r=\"B4\""    \
    "><f>B1+1</f><v>7</v></c><c r=\"C4\" t=\"e\"><f>C1+1</f><v>#VALUE!</v"     \
    "></c></row><row r=\"5\"><c r=\"A5\" t=\"n\"><f>0.5+0.25</f><v>0.75</"     \
    "v></c><c r=\"B5\"><f>123456789.123</f><v>123456789.123</v></c><c r=\""    \
    "C5\" t=\"b\"><f>A5=0.75</f><v>1</v></c></row><row r=\"6\"><c r=\"A6\""    \
    "><f>SUM(A1:A5)</f><v>7.0833333333333333</v></c><c r=\"B6\"><v>3</v><"     \
    "/c><c r=\"C6\" t=\"str\"><f>B6&amp;\"\"</f><v>3</v></c></row><row r="     \
    "\"7\"><c r=\"A7\"><f t=\"array\" ref=\"A7:C7\">{1,2,3}*A1</f><v>2</v"     \
    "></c><c r=\"B7\"><v>4</v></c><c r=\"C7\" ><v>6</v></c></row></sheetD"     \
    "ata></worksheet>"
#define TAGS_WANT_X                                                            \
    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheet"     \
    "ml/2006/main\"><x:dimension ref=\"A1:H7\"/><x:sheetData><x:row r=\"1"     \
    "\"><x:c r=\"A1\"><x:v>2</x:v></x:c><x:c r=\"B1\"><x:f>A1*3</x:f><x:v"     \
    ">6</x:v></x:c><x:c r=\"C1\" t=\"str\"><x:f>\"q\"&amp;A1</x:f><x:v>q2"     \
    "</x:v></x:c><x:c r=\"D1\" s=\"1\" t=\"b\"><x:f>A1&gt;1</x:f><x:v>1</"     \
    "x:v></x:c><x:c r=\"E1\"\n  s=\"2\" t=\"e\"><x:f>1/0</x:f><x:v>#DIV/0"     \
    "!</x:v></x:c><x:c r=\"F1\" ta=\"2\" ><x:f>A1/3</x:f><x:v>0.666666666"     \
    "66666667</x:v></x:c><x:c r=\"G1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\""    \
    "H1\" t=\"s\" s=\"2\"><x:v>0</x:v></x:c></x:row><x:row r=\"2\" spans="     \
    "\"1:8\"><x:c r=\"A2\"><x:f>1/3</x:f><x:v>0.33333333333333333</x:v></"     \
    "x:c><x:c r=\"B2\"><x:f>-A1/8000000</x:f><x:v>-2.5E-7</x:v></x:c><x:c"     \
    " r=\"C2\"><x:f>-7/8</x:f><x:v>-0.875</x:v></x:c><x:c r=\"D2\"><x:f>2"     \
    "^70</x:f><x:v>1.1805916207174113E+21</x:v></x:c><x:c r=\"E2\"><x:f>1"     \
    "/2^40</x:f><x:v>9.0949470177292824E-13</x:v></x:c><x:c r=\"F2\" t=\""     \
    "b\"><x:f>1=1</x:f><x:v>1</x:v></x:c><x:c r=\"G2\" t=\"e\"><x:f>NA()<"     \
    "/x:f><x:v>#N/A</x:v></x:c><x:c r=\"H2\" t=\"str\"><x:f>\"a b \"</x:f"     \
    "><x:v xml:space=\"preserve\">a b </x:v></x:c></x:row><x:row r=\"3\">"     \
    "<x:c r=\"A3\" s=\"2\"/><x:c r=\"B3\" s=\"2\"><x:v>5</x:v></x:c><x:c "     \
    "r=\"C3\" s=\"2\"><x:f>B3+1</x:f><x:v>6</x:v></x:c><x:c r=\"D3\"><x:f"     \
    ">B3*2</x:f><x:v>10</x:v></x:c><x:c r=\"E3\" t=\"str\"><x:f>\"x\"</x:"     \
    "f><x:v>x</x:v></x:c><x:c r=\"F3\" t=\"e\"><x:f>1E+300*1E+300</x:f><x"     \
    ":v>#NUM!</x:v></x:c><x:c r=\"G3\"><x:f>10^-400</x:f><x:v>0</x:v></x:"     \
    "c></x:row><x:row r=\"4\"><x:c r=\"A4\"><x:f>A1+2</x:f><x:v>4</x:v></"     \
    "x:c><x:c r=\"B4\"><x:f>B1+1</x:f><x:v>7</x:v></x:c><x:c r=\"C4\" t=\""    \
    "e\"><x:f>C1+1</x:f><x:v>#VALUE!</x:v></x:c></x:row><x:row r=\"5\"><x"     \
    ":c r=\"A5\" t=\"n\"><x:f>0.5+0.25</x:f><x:v>0.75</x:v></x:c><x:c r=\""    \
    "B5\"><x:f>123456789.123</x:f><x:v>123456789.123</x:v></x:c><x:c r=\""     \
    "C5\" t=\"b\"><x:f>A5=0.75</x:f><x:v>1</x:v></x:c></x:row><x:row r=\""     \
    "6\"><x:c r=\"A6\"><x:f>SUM(A1:A5)</x:f><x:v>7.0833333333333333</x:v>"     \
    "</x:c><x:c r=\"B6\"><x:v>3</x:v></x:c><x:c r=\"C6\" t=\"str\"><x:f>B"     \
    "6&amp;\"\"</x:f><x:v>3</x:v></x:c></x:row><x:row r=\"7\"><x:c r=\"A7"     \
    "\"><x:f t=\"array\" ref=\"A7:C7\">{1,2,3}*A1</x:f><x:v>2</x:v></x:c>"     \
    "<x:c r=\"B7\"><x:v>4</x:v></x:c><x:c r=\"C7\" ><x:v>6</x:v></x:c></x"     \
    ":row></x:sheetData></x:worksheet>"

static void tags_variant(const char *pfx)
{
    char ns[128], path[64];
    xc_buf x, s;
    xc_book *b;
    long sp = 0;
    xc_buf_init(&x);
    xc_buf_init(&s);
    snprintf(ns, sizeof ns,
             "%s%s=\"http://schemas.openxmlformats.org/spreadsheetml/"
             "2006/main\"",
             *pfx ? ":" : "", *pfx ? "x" : "");
    for (const char *t = TAGS; *t; t++) {
        if (*t == '@')
            xc_buf_puts(&x, ns);
        else if (*t == 'P' && t > TAGS && (t[-1] == '<' || t[-1] == '/'))
            xc_buf_puts(&x, pfx);
        else
            xc_buf_putc(&x, *t);
    }
    const char *parts[] = {"[Content_Types].xml",
                           TAGS_CT,
                           "_rels/.rels",
                           XPKG_RELS,
                           "xl/workbook.xml",
                           XPKG_WB,
                           "xl/_rels/workbook.xml.rels",
                           TAGS_WB_RELS,
                           "xl/styles.xml",
                           TAGS_STYLES,
                           "xl/sharedStrings.xml",
                           TAGS_SST,
                           "xl/worksheets/sheet1.xml",
                           x.p,
                           NULL};
    snprintf(path, sizeof path, "tags%s.xlsx", *pfx ? "_x" : "");
    CHECK(xpkg_write(tpath(path), parts) == 0);
    if (!(b = load(tpath(path)))) {
        xc_buf_clear(&x);
        return;
    }
    uint32_t fill;
    CHECK(xc_xlsx_style_with_fill(b, 1, 0xFFFFC7CEu, &fill) == XC_OK);
    CHECK(xc_book_set_style(b, 0, 2, 0, fill) == XC_OK); /* A3 */
    CHECK(xc_book_set_style(b, 0, 2, 1, fill) == XC_OK); /* B3 */
    CHECK(xc_book_set_style(b, 0, 2, 2, fill) == XC_OK); /* C3 */
    CHECK(xc_book_set_style(b, 0, 0, 7, fill) == XC_OK); /* H1 */
    CHECK(xc_book_set_style(b, 0, 0, 4, fill) == XC_OK); /* E1 */
    xc_formula *f = parse(b, 3, 0, "A1+2");
    CHECK(f && xc_book_set_formula(b, 0, 3, 0, f, NULL) == 0); /* A4 */
    xc_formula_release(f);
    xc_value v = {0};
    xc_value_set_int(&v, 3);
    CHECK(xc_book_set_value(b, 0, 5, 1, &v) == 0); /* B6 */
    xc_value_clear(&v);
    xc_book_recalc_all(b);
    static const int reads[] = {1, 3, 7, 64, 0};
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        char tag[48];
        snprintf(tag, sizeof tag, "tags%s, reads of %d", pfx, reads[i]);
        xc_xlsx_splice_read = reads[i];
        CHECK(save_both(b, tag, &sp) == 0);
        CHECK(sp == 1);
    }
    part_text(tpath("splice.xlsx"), "xl/worksheets/sheet1.xml", &s);
    if (getenv("XC_TAGS_DUMP"))
        printf("%s\n", s.p ? s.p : "");
    /* the bytes the writer gave before its fast paths */
    const char *want = *pfx ? TAGS_WANT_X : TAGS_WANT;
    CHECK(s.p && strcmp(s.p, want) == 0);
    xc_book_free(b);
    xc_buf_clear(&x);
    xc_buf_clear(&s);
}

static void test_tags(void)
{
    tags_variant("");
    tags_variant("x:");
}

/* A sheet larger than the scanner's window: rows cut across chunks. */
static void test_big(void)
{
    xc_buf x;
    xc_book *b;
    long sp = 0;
    xc_buf_init(&x);
    xc_buf_puts(&x, "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
                    "spreadsheetml/2006/main\"><sheetData>");
    for (int r = 1; r <= 30000; r++)
        xc_buf_printf(&x,
                      "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c><c r=\"B%d\">"
                      "<f>A%d/4</f><v>%s</v></c><c r=\"C%d\"/></row>",
                      r, r, r, r, r, r % 3 ? "0" : "", r);
    xc_buf_puts(&x, "</sheetData></worksheet>");
    /* malformed near the end of a part inflated on the second thread:
     * the error names the line and column, the thread is ended */
    x.p[x.len - 3] = '!';
    CHECK(xpkg_book1(tpath("bad.xlsx"), x.p) == 0);
    x.p[x.len - 3] = 'e';
    xc_buf err0;
    xc_buf_init(&err0);
    b = NULL;
    CHECK(xc_xlsx_load(tpath("bad.xlsx"), NULL, &b, &err0) == XC_EFORMAT);
    CHECK(!b && err0.p && strstr(err0.p, "xl/worksheets/sheet1.xml:1:"));
    xc_buf_clear(&err0);
    CHECK(xpkg_book1(tpath("big.xlsx"), x.p) == 0);
    if ((b = load(tpath("big.xlsx")))) {
        xc_book_recalc_all(b);
        CHECK(save_both(b, "big", &sp) == 0);
        CHECK(sp == 1);
        /* deflated by the second thread or by libzip at zip_close: the
         * same part */
        xc_buf err, names;
        xc_buf_init(&err);
        xc_buf_init(&names);
        xc_xlsx_no_thread = 1;
        CHECK(xc_xlsx_save(b, tpath("nothread.xlsx"), &err) == XC_OK);
        xc_xlsx_no_thread = 0;
        CHECK(pkg_diff(tpath("nothread.xlsx"), tpath("splice.xlsx"), &names) ==
              0);
        /* loaded with the part inflated in the parsing thread: the same
         * book, so the same file */
        xc_book *b1 = NULL;
        xc_xlsx_no_read_thread = 1;
        CHECK(xc_xlsx_load(tpath("big.xlsx"), NULL, &b1, &err) == XC_OK);
        xc_xlsx_no_read_thread = 0;
        if (b1) {
            xc_book_recalc_all(b1);
            CHECK(xc_xlsx_save(b1, tpath("onethread.xlsx"), &err) == XC_OK);
            CHECK(pkg_diff(tpath("onethread.xlsx"), tpath("splice.xlsx"),
                           &names) == 0);
            xc_book_free(b1);
        }
        xc_buf_clear(&err);
        xc_buf_clear(&names);
        xc_buf_reset(&x);
        part_text(tpath("splice.xlsx"), "xl/worksheets/sheet1.xml", &x);
        CHECK(x.p && strstr(x.p, "<row r=\"29999\"><c r=\"A29999\"><v>29999"
                                 "</v></c><c r=\"B29999\"><f>A29999/4</f>"
                                 "<v>7499.75</v></c><c r=\"C29999\"/></row>"));
        xc_book_free(b);
    }
    xc_buf_clear(&x);
}

/* Attributes are found by walking the tag, not by searching its text:
 * a value holding " t='str'" or " s='1'" is another attribute's value.
 * B1's value changes, so its t is rewritten; C1 is an empty cell whose
 * s is 0 (written back as it was). */
static void test_attr_values(void)
{
    const char *xml =
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
        "spreadsheetml/2006/main\"><sheetData><row r=\"1\">"
        "<c r=\"A1\"><v>2</v></c>"
        "<c r=\"B1\" foo=\" t='str'\" t=\"str\"><f>A1*2</f><v>x</v></c>"
        "<c r=\"C1\" bar=\" s='1'\" s=\"0\"/>"
        "</row></sheetData></worksheet>";
    xc_buf x, err;
    xc_buf_init(&x);
    xc_buf_init(&err);
    CHECK(xpkg_book1(tpath("attrs.xlsx"), xml) == 0);
    xc_book *b = load(tpath("attrs.xlsx")), *b2 = NULL;
    if (b) {
        CHECK(xc_book_recalc_all(b) == XC_OK);
        CHECK(save_both(b, "attrs", NULL) == 0);
        CHECK(part_text(tpath("splice.xlsx"), "xl/worksheets/sheet1.xml", &x) ==
              0);
        CHECK(x.p && strstr(x.p, "<c r=\"B1\" foo=\" t='str'\"><f>A1*2</f>"
                                 "<v>4</v></c>"));
        CHECK(x.p && strstr(x.p, "<c r=\"C1\" bar=\" s='1'\" s=\"0\"/>"));
        CHECK(xc_xlsx_load(tpath("splice.xlsx"), NULL, &b2, &err) == XC_OK);
        if (b2) {
            const xc_value *v = xc_book_get(b2, 0, 0, 1);
            CHECK(v->type == XC_NUMBER);
        }
    }
    xc_book_free(b);
    xc_book_free(b2);
    xc_buf_clear(&x);
    xc_buf_clear(&err);
}

/* Whether the formula of sheet 0's cell (r, c) prints as want. */
static int formula_is(xc_book *b, uint32_t r, uint32_t c, const char *want)
{
    xc_buf x;
    xc_buf_init(&x);
    xc_formula_print(&x, xc_book_formula(b, 0, r, c), b, 0, r, c);
    int ok = x.p && strcmp(x.p, want) == 0;
    if (!ok)
        fprintf(stderr, "formula at (%u,%u): %s, not %s\n", r, c,
                x.p ? x.p : "(none)", want);
    xc_buf_clear(&x);
    return ok;
}

/* Sheet xml as book <name>.xlsx, loaded with and without the cache of
 * formulas by shape and recalculated: 1 when both loaded and agree. */
static int load_both(const char *xml, const char *name, xc_book **b,
                     xc_book **b2)
{
    char file[64];
    xc_buf err;
    xc_buf_init(&err);
    snprintf(file, sizeof file, "%s.xlsx", name);
    *b2 = NULL;
    CHECK(xpkg_book1(tpath(file), xml) == 0);
    *b = load(tpath(file));
    xc_xlsx_no_fcache = 1;
    CHECK(xc_xlsx_load(tpath(file), NULL, b2, &err) == XC_OK);
    xc_xlsx_no_fcache = 0;
    xc_buf_clear(&err);
    if (!*b || !*b2)
        return 0;
    xc_book_recalc_all(*b);
    xc_book_recalc_all(*b2);
    CHECK(books_same(*b, *b2, name));
    return 1;
}

/* Formulas whose texts differ in more than their row numbers: the
 * cache of formulas by shape must not take one for another. */
static void test_shapes(void)
{
    xc_buf x;
    xc_book *b, *b2 = NULL;
    xc_buf_init(&x);
    xc_buf_puts(&x, "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
                    "spreadsheetml/2006/main\"><sheetData>");
    for (int r = 1; r <= 40; r++)
        xc_buf_printf(&x,
                      "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c>"
                      "<c r=\"B%d\" t=\"str\"><f>\"A%d\"&amp;A%d</f></c>"
                      "<c r=\"C%d\"><f>SUM(A$1:A%d)+%d</f></c>"
                      "<c r=\"D%d\"><f>LOG10(A%d)*%d</f></c>"
                      "<c r=\"E%d\"><f>A%d+A%d</f></c></row>",
                      r, r, r, r, r % 7, r, r, r, r % 3, r, r, r % 5 + 1, r, r,
                      r % 2 ? r : 1);
    xc_buf_puts(&x, "</sheetData></worksheet>");
    if (load_both(x.p, "shapes", &b, &b2)) {
        /* B10 = "A3"&A10, E10 = A10+A1 */
        const xc_value *v = xc_book_get(b, 0, 9, 1);
        CHECK(v && v->type == XC_TEXT && strcmp(v->u.str->s, "A310") == 0);
        v = xc_book_get(b, 0, 9, 4);
        CHECK(v && v->type == XC_NUMBER);
        CHECK(formula_is(b, 9, 4, "A10+A1"));
    }
    xc_book_free(b);
    xc_book_free(b2);
    xc_buf_clear(&x);
}

/* More shapes for the cache's shortcuts (the entry a column used last,
 * relative runs compared by value): many relative runs, two shapes
 * alternating in one column, columns 256 apart, rel runs at both ends,
 * leading zeros, constants that look like row numbers, absolute rows
 * and references two rows up. */
static void test_shapes_more(void)
{
    xc_buf x;
    xc_book *b, *b2 = NULL;
    xc_buf_init(&x);
    xc_buf_puts(&x, "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
                    "spreadsheetml/2006/main\"><sheetData>");
    for (int r = 1; r <= 300; r++) {
        xc_buf_printf(&x, "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c>", r, r,
                      r % 11);
        /* six relative runs, the last at the end of the text */
        xc_buf_printf(&x, "<c r=\"B%d\"><f>A%d+A%d*2+A%d-A%d+A%d/3+A%d</f></c>",
                      r, r, r, r, r, r, r);
        /* two shapes in turn, and every seventh row a third */
        if (r % 7 == 0)
            xc_buf_printf(&x, "<c r=\"C%d\"><f>SUM(A1:A%d)</f></c>", r, r);
        else if (r % 2)
            xc_buf_printf(&x, "<c r=\"C%d\"><f>A%d*2+B%d</f></c>", r, r, r);
        else
            xc_buf_printf(&x, "<c r=\"C%d\"><f>A%d-3</f></c>", r, r);
        /* a constant equal to the row (not relative), and one that is
         * the row only sometimes */
        xc_buf_printf(&x, "<c r=\"D%d\"><f>A%d+%d</f></c>", r, r, r);
        xc_buf_printf(&x, "<c r=\"E%d\"><f>A%d+%d</f></c>", r, r,
                      r % 3 ? r : 5);
        /* a leading zero now and then (not the canonical text) */
        xc_buf_printf(&x, "<c r=\"F%d\"><f>A%s%d+1</f></c>", r,
                      r % 5 == 0 ? "0" : "", r);
        /* an absolute row beside a relative one, the relative first */
        xc_buf_printf(&x, "<c r=\"G%d\"><f>A%d+$A$%d</f></c>", r, r,
                      r % 4 ? 2 : 3);
        /* a relative run at the start of a name-less text */
        xc_buf_printf(&x, "<c r=\"H%d\"><f>%d+A%d</f></c>", r, r % 9 + 1, r);
        /* columns 256 apart share the hint slot of B and C */
        xc_buf_printf(&x, "<c r=\"IW%d\"><f>A%d+B%d</f></c>", r, r, r);
        xc_buf_printf(&x, "<c r=\"IX%d\"><f>A%d*2+B%d</f></c>", r, r, r);
        /* rows further away: the previous row but one */
        if (r > 2)
            xc_buf_printf(&x, "<c r=\"J%d\"><f>A%d+A%d</f></c>", r, r - 2,
                          r % 2 ? r - 1 : r);
        xc_buf_puts(&x, "</row>");
    }
    xc_buf_puts(&x, "</sheetData></worksheet>");
    if (load_both(x.p, "shapes2", &b, &b2)) {
        CHECK(formula_is(b, 199, 1, "A200+A200*2+A200-A200+A200/3+A200"));
        CHECK(formula_is(b, 199, 3, "A200+200"));
        CHECK(formula_is(b, 199, 4, "A200+200"));
        CHECK(formula_is(b, 197, 4, "A198+5"));
    }
    xc_book_free(b);
    xc_book_free(b2);
    xc_buf_clear(&x);
}

int main(void)
{
    if (xtest_mkdtemp(tmpdir, sizeof tmpdir, "xc_splice"))
        return 1;
    test_edits();
    test_tags();
    test_attr_values();
    test_big();
    test_shapes();
    test_shapes_more();
    test_corpus();
    xtest_rmtree(tmpdir);
    return xtest_done();
}
