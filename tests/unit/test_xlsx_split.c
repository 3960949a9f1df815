/* test_xlsx_split.c - a large sheet read on two threads (xc_split: this
 * thread parses the rows before a cut, a worker those after it and
 * this thread stores what the worker recorded) gives the same book as
 * reading it in one thread, and saves to the same package: on a
 * generated sheet with every kind of cell (numbers, inline and formula
 * text, booleans, errors, a shared formula whose master is before the
 * cut, array formulas, hidden rows, a filter and merged cells after
 * <sheetData>), with and without a namespace prefix, and on every file
 * of the samples and the shared corpora cut at several places.  A book
 * read in two is saved in two halves at the same cut (the rows after it
 * by a second thread, deflated apart and appended): after a
 * recalculation the package is byte for byte the one-piece save.  Where
 * the cut cannot stand (a "<row" inside a comment or CDATA, rows without
 * numbers after the cut) the sheet is read again in one thread: the
 * same book.  Bad input before or after the cut gives the message the
 * one-thread reading gives, at the same line and column. */
#define _DEFAULT_SOURCE /* d_type */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include "exacalc/xlsx.h"
#include "xlsx_int.h"
#include "xtest.h"
#include "xpkg.h"

static char tmpdir[256];

static const char *tpath(const char *name)
{
    return xtest_path(tmpdir, name);
}

/* Load path in one thread, or split at pct per cent from min_bytes on. */
static int load(const char *path, int split, unsigned pct, xc_book **b,
                xc_buf *err)
{
    uint64_t min0 = xc_xlsx_split_min;
    unsigned pct0 = xc_xlsx_split_pct;
    xc_xlsx_split_min = split ? 0 : UINT64_MAX;
    xc_xlsx_split_pct = pct;
    int st = xc_xlsx_load(path, NULL, b, err);
    xc_xlsx_split_min = min0;
    xc_xlsx_split_pct = pct0;
    return st;
}

/* Recalculate and save both books; 1 when the packages are the same. */
static int saves_same(xc_book *a, xc_book *b, const char *tag)
{
    xc_buf err, names;
    int same;
    xc_buf_init(&err);
    xc_buf_init(&names);
    xc_book_recalc_all(a);
    xc_book_recalc_all(b);
    same = xc_xlsx_save(a, tpath("one.xlsx"), &err) == XC_OK &&
           xc_xlsx_save(b, tpath("two.xlsx"), &err) == XC_OK &&
           pkg_diff(tpath("one.xlsx"), tpath("two.xlsx"), &names) == 0;
    if (!same)
        printf("  %s: saved packages differ: %s %s\n", tag, err.p ? err.p : "",
               names.p ? names.p : "");
    xc_buf_clear(&err);
    xc_buf_clear(&names);
    return same;
}

/* ---- every file of the samples and the corpora ---- */

typedef struct tally {
    int files, same, splits, halves;
} tally;

static void corpus_file(const char *path, const char *tag, tally *t)
{
    /* the last one also saves, after a recalculation */
    static const unsigned pcts[] = {1, 95, 50};
    xc_book *a = NULL;
    xc_buf ea, eb;
    xc_buf_init(&ea);
    xc_buf_init(&eb);
    int sa = load(path, 0, 50, &a, &ea), ok = 1, split = 0;
    for (size_t i = 0; i < sizeof pcts / sizeof *pcts; i++) {
        xc_book *b = NULL;
        long before = xc_xlsx_splits;
        int sb = load(path, 1, pcts[i], &b, &eb);
        split |= xc_xlsx_splits > before;
        if (sa != sb || (sa != XC_OK && strcmp(ea.p, eb.p) != 0)) {
            printf("  %s at %u%%: status %d / %d: %s | %s\n", tag, pcts[i], sa,
                   sb, ea.p ? ea.p : "", eb.p ? eb.p : "");
            ok = 0;
        } else if (sa == XC_OK) {
            ok &= books_same(a, b, tag);
            long h0 = xc_xlsx_halves;
            if (ok && pcts[i] == 50)
                ok = saves_same(a, b, tag);
            t->halves += xc_xlsx_halves > h0;
        }
        xc_book_free(b);
    }
    t->files++;
    t->same += ok;
    t->splits += split;
    xc_book_free(a);
    xc_buf_clear(&ea);
    xc_buf_clear(&eb);
}

static void corpus_dir(const char *dir, tally *t)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        char path[1024];
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (de->d_type == DT_DIR)
            corpus_dir(path, t);
        else if (n >= 5 && strcmp(de->d_name + n - 5, ".xlsx") == 0)
            corpus_file(path, de->d_name, t);
    }
    closedir(d);
}

static void test_corpus(void)
{
    static const char *const dirs[] = {
        "samples", "../shared/testdata/xlsx-corpus",
        "../shared/testdata/ironcalc", "../shared/testdata/libreoffice"};
    const char *src = getenv("XC_SRC");
    tally t = {0, 0, 0, 0};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", src ? src : ".", dirs[i]);
        corpus_dir(dir, &t);
    }
    printf("corpus: %d files, %d the same read in two at 1%%, 50%% and 95%% "
           "as in one; %d read in two at least once; %d saved in two halves "
           "(after a cut at 50%%) to the same package as in one piece\n",
           t.files, t.same, t.splits, t.halves);
    CHECK(t.files > 500);
    CHECK(t.halves > 100);
    CHECK(t.same == t.files);
    CHECK(t.splits > t.files / 2);
}

/* ---- a generated sheet ---- */

enum { G_PREFIX = 1, G_COMMENTS = 2, G_CDATA = 4, G_NO_R = 8 };

#define ROWS 20000

/* A sheet of ROWS rows; bad_row (1-based, 0: none) holds a cell whose
 * reference is invalid, xml_row one whose end tag is wrong. */
static void gen_sheet(xc_buf *x, unsigned flags, int bad_row, int xml_row)
{
    const char *p = flags & G_PREFIX ? "x:" : "";
    xc_buf_reset(x);
    xc_buf_printf(x,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%sworksheet "
                  "xmlns%s=\"http://schemas.openxmlformats.org/spreadsheetml/"
                  "2006/main\"><%ssheetPr filterMode=\"1\"/><%sdimension "
                  "ref=\"A1:H%d\"/><%ssheetData>",
                  p, flags & G_PREFIX ? ":x" : "", p, p, ROWS, p);
    for (int r = 1; r <= ROWS; r++) {
        if (flags & G_COMMENTS)
            xc_buf_printf(x, "<!-- <%srow r=\"%d\"> -->", p, r);
        if ((flags & G_NO_R) && r > 10)
            xc_buf_printf(x, "<%srow%s>", p, r % 97 ? "" : " hidden=\"1\"");
        else
            xc_buf_printf(x, "<%srow r=\"%d\"%s>", p, r,
                          r % 97 ? "" : " hidden=\"1\"");
        xc_buf_printf(x, "<%sc r=\"%s%d\"><%sv>%d.5</%sv></%sc>", p,
                      r == bad_row ? "A0x" : "A", r, p, r, p, p);
        xc_buf_printf(x,
                      "<%sc r=\"B%d\" t=\"inlineStr\"><%sis><%st>%s%d&amp;"
                      "</%st></%sis></%sc>",
                      p, r, p, p,
                      flags & G_CDATA ? "<![CDATA[<row r=\"7\">]]>" : "t", r, p,
                      p, r == xml_row ? "x" : p);
        if (r == 1)
            xc_buf_printf(x,
                          "<%sc r=\"C1\"><%sf t=\"shared\" ref=\"C1:C%d\" "
                          "si=\"0\">A1*2</%sf><%sv>0</%sv></%sc>",
                          p, p, ROWS, p, p, p, p);
        else
            xc_buf_printf(x,
                          "<%sc r=\"C%d\"><%sf t=\"shared\" si=\"0\"/><%sv>0"
                          "</%sv></%sc>",
                          p, r, p, p, p, p);
        if (r % 2)
            xc_buf_printf(x, "<%sc r=\"D%d\" t=\"b\"><%sv>1</%sv></%sc>", p, r,
                          p, p, p);
        else
            xc_buf_printf(x, "<%sc r=\"D%d\" t=\"e\"><%sv>#N/A</%sv></%sc>", p,
                          r, p, p, p);
        xc_buf_printf(x,
                      "<%sc r=\"E%d\"><%sf>A%d*3-1</%sf><%sv>1</%sv></%sc>"
                      "<%sc r=\"F%d\" t=\"str\"><%sf>\"x\"&amp;A%d</%sf><%sv>"
                      "x</%sv></%sc>",
                      p, r, p, r, p, p, p, p, p, r, p, r, p, p, p, p);
        if (r % 1000 == 1)
            xc_buf_printf(x,
                          "<%sc r=\"H%d\"><%sf t=\"array\" ref=\"H%d:H%d\">"
                          "A%d:A%d*2</%sf><%sv>1</%sv></%sc>",
                          p, r, p, r, r + 1, r, r + 1, p, p, p, p);
        else if (r % 1000 == 2)
            xc_buf_printf(x, "<%sc r=\"H%d\"><%sv>2</%sv></%sc>", p, r, p, p,
                          p);
        xc_buf_printf(x, "</%srow>", p);
    }
    xc_buf_printf(x,
                  "</%ssheetData><%sautoFilter ref=\"A1:H500\"/><%smergeCells "
                  "count=\"2\"><%smergeCell ref=\"J1:K2\"/><%smergeCell "
                  "ref=\"J15000:K15001\"/></%smergeCells></%sworksheet>",
                  p, p, p, p, p, p, p);
}

/* Read the generated sheet in one thread and in two, cut at pct per
 * cent (default size limit: the part is over 1 MiB): the same book, or
 * the same message; *ds and *dr: the change in splits and retries. */
static void gen_same(unsigned flags, int bad_row, int xml_row, unsigned pct,
                     long *ds_out, long *dr_out)
{
    xc_buf x, ea, eb;
    xc_book *a = NULL, *b = NULL;
    char tag[64];
    snprintf(tag, sizeof tag, "gen %u/%d/%d", flags, bad_row, xml_row);
    xc_buf_init(&x);
    xc_buf_init(&ea);
    xc_buf_init(&eb);
    gen_sheet(&x, flags, bad_row, xml_row);
    CHECK(x.len > xc_xlsx_split_min);
    CHECK(xpkg_book1(tpath("gen.xlsx"), x.p) == 0);
    unsigned pct0 = xc_xlsx_split_pct;
    xc_xlsx_split_pct = pct;
    long s0 = xc_xlsx_splits, r0 = xc_xlsx_split_retries;
    int sb = xc_xlsx_load(tpath("gen.xlsx"), NULL, &b, &eb);
    *ds_out = xc_xlsx_splits - s0;
    *dr_out = xc_xlsx_split_retries - r0;
    xc_xlsx_split_pct = pct0;
    int sa = load(tpath("gen.xlsx"), 0, pct, &a, &ea);
    CHECK(sa == sb);
    if (sa == XC_OK && sb == XC_OK) {
        long h0 = xc_xlsx_halves;
        CHECK(books_same(a, b, tag));
        CHECK(saves_same(a, b, tag));
        /* the book read in two is saved in two halves, unless the splice
         * gives up (comments or CDATA in <sheetData>: the expat pass) */
        long want = flags & (G_COMMENTS | G_CDATA) ? 0 : *ds_out;
        CHECK(xc_xlsx_halves - h0 == want);
        if (xc_xlsx_halves - h0 != want)
            printf("  %s: %ld halves\n", tag, xc_xlsx_halves - h0);
        CHECK(xc_book_row_flags(b, 0, 96) & XC_ROW_HIDDEN);
        CHECK(xc_book_row_flags(b, 0, 19399) & XC_ROW_HIDDEN);
        const xc_area *m = NULL;
        size_t nm = 0;
        CHECK(xc_xlsx_merges(b, 0, &m, &nm) == XC_OK && nm == 2 && m &&
              m[1].r1 == 14999);
    } else {
        CHECK(sa != XC_OK && sb != XC_OK);
        CHECK_STR(eb.p, ea.p);
    }
    xc_book_free(a);
    xc_book_free(b);
    xc_buf_clear(&x);
    xc_buf_clear(&ea);
    xc_buf_clear(&eb);
}

static void check_gen(unsigned flags, int bad_row, int xml_row,
                      long want_splits, long want_retries)
{
    long ds = 0, dr = 0;
    gen_same(flags, bad_row, xml_row, 38, &ds, &dr);
    CHECK(ds == want_splits);
    CHECK(dr == want_retries);
    if (ds != want_splits || dr != want_retries)
        printf("  gen %u/%d/%d: %ld splits, %ld retries\n", flags, bad_row,
               xml_row, ds, dr);
}

/* A "<row" in a comment or CDATA: where the first one after the target
 * is such, the cut is refused and the part read in one thread; the
 * book is the same either way. */
static void check_false_rows(unsigned flags)
{
    long splits = 0, retries = 0;
    for (unsigned pct = 30; pct < 40; pct++) {
        long ds = 0, dr = 0;
        gen_same(flags, 0, 0, pct, &ds, &dr);
        splits += ds;
        retries += dr;
    }
    printf("flags %u: 10 cuts, %ld read in two, %ld read again\n", flags,
           splits, retries);
    CHECK(retries >= 1); /* the one-thread reading was taken */
    CHECK(splits + retries == 10);
}

static void test_generated(void)
{
    check_gen(0, 0, 0, 1, 0);
    check_gen(G_PREFIX, 0, 0, 1, 0);
    /* a "<row" the cut cannot start at: read again in one thread */
    check_false_rows(G_COMMENTS);
    check_false_rows(G_CDATA);
    /* rows without r after the cut: the worker cannot number them */
    check_gen(G_NO_R, 0, 0, 0, 1);
    /* bad input before the cut is this thread's own error */
    check_gen(0, 100, 0, 0, 0);
    check_gen(0, 0, 200, 0, 0);
    /* after it, the part is read again for the exact place */
    check_gen(0, 18000, 0, 0, 1);
    check_gen(G_PREFIX, 0, 19000, 0, 1);
}

/* The file replaced between loading and saving: the second half would
 * read the new one, so it checks the entry against the book's (size,
 * CRC) and leaves the sheet to the one-piece save, which reads the
 * package the book holds open. */
static void test_replaced(void)
{
    xc_buf x, ea, eb;
    xc_book *a = NULL, *b = NULL;
    xc_buf_init(&x);
    xc_buf_init(&ea);
    xc_buf_init(&eb);
    gen_sheet(&x, 0, 0, 0);
    CHECK(xpkg_book1(tpath("repl.xlsx"), x.p) == 0);
    CHECK(load(tpath("repl.xlsx"), 0, 38, &a, &ea) == XC_OK);
    long s0 = xc_xlsx_splits;
    CHECK(xc_xlsx_load(tpath("repl.xlsx"), NULL, &b, &eb) == XC_OK);
    CHECK(xc_xlsx_splits == s0 + 1);
    gen_sheet(&x, G_PREFIX, 0, 0);
    CHECK(xpkg_book1(tpath("repl.xlsx"), x.p) == 0);
    long h0 = xc_xlsx_halves;
    if (a && b)
        CHECK(saves_same(a, b, "replaced"));
    CHECK(xc_xlsx_halves == h0);
    xc_book_free(a);
    xc_book_free(b);
    xc_buf_clear(&x);
    xc_buf_clear(&ea);
    xc_buf_clear(&eb);
}

int main(void)
{
    if (xtest_mkdtemp(tmpdir, sizeof tmpdir, "xc_split"))
        return 1;
    test_generated();
    test_replaced();
    test_corpus();
    xtest_rmtree(tmpdir);
    return xtest_done();
}
