/* xcbench.c - in-process timings of exacalc's phases for bench/run.sh.
 *
 * usage: xcbench [--edits N] [--no-floor] [--excel-view]
 *                [--split-pct N | --no-split] [--no-half] IN.xlsx OUT.xlsx
 *
 * Prints one JSON line with, in milliseconds of wall-clock time:
 *   floor_ms   inflate + expat-parse every worksheet (and sharedStrings)
 *              part with no-op handlers: the least any xlsx reader can do
 *              (the fastest of three passes; floor_ms_slowest the slowest)
 *              (inflated by the reader's own inflater, io/opc.c xc_zin:
 *              ISA-L, so that a faster inflater lowers the floor too)
 *   load_ms    xc_xlsx_load (+ engine attach)
 *   recalc_ms  xc_book_recalc_all
 *   save_ms    xc_xlsx_save to OUT
 *   free_ms    xc_book_free
 *   index_ms   xc_book_index before the edits: the dependency index, which
 *              the full recalc of a book whose formulas read only cells
 *              before their own does not need (the REPL builds it after
 *              opening a book, so it is not part of any edit)
 *   edit_ms_*  one-cell edit + xc_book_recalc, N different edits (median,
 *              min, max), with xc_book_last_eval_count of each
 *   recalc_again_ms, recalc_excel_view_ms, exact_over_double
 *              (--excel-view) after the edits, a second exact full
 *              recalc, then one with every formula evaluated in Excel's
 *              view (XC_EV_EXCEL: the double mode, IEEE arithmetic on
 *              numbers held as doubles), and the ratio of the two
 * and the values the script checks for correctness (the exact texts of
 * 汇总!B1..B7 after the full recalc and again after every edit was
 * undone; the chain's last cell).  Peak RSS from getrusage.
 *
 * Edits: on a forms book, the 实际完成值 (column E) of indicator
 * (i mod 14) of form (i*7919 mod forms) is set to its target times
 * (0.50 + 0.02 (i mod 25)), so that every edit changes the indicator's score
 * and reaches the summary's SUMIF/COUNTIF; on the chain book, A1.  Each edit is
 * undone (untimed) before the next, so every sample starts from the same fully
 * calculated book. */
#define _POSIX_C_SOURCE 200809L
#include <expat.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zip.h>
#include "exacalc/book.h"
#include "exacalc/formula.h"
#include "exacalc/xlsx.h"
#include "xlsx_int.h" /* xc_xlsx_split_pct, _split_min, _no_half */
#include "xlsx_int.h" /* xc_zin: the reader's inflater */

#define FORM_ROWS 20
#define N_IND 14
#define MAX_EDITS 1000

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* ---- the floor: inflate + parse, nothing kept --------------------- */

static unsigned long floor_elems;

static void noop_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)ud;
    (void)name;
    (void)atts;
    floor_elems++;
}

static void noop_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void noop_text(void *ud, const XML_Char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}

static int is_sheet_part(const char *name)
{
    size_t n = strlen(name);
    if (strcmp(name, "xl/sharedStrings.xml") == 0)
        return 1;
    return strncmp(name, "xl/worksheets/", 14) == 0 &&
           strchr(name + 14, '/') == NULL && n > 18 &&
           strcmp(name + n - 4, ".xml") == 0;
}

/* Inflate and parse one part with a namespace-aware expat parser (as
 * the real reader uses); returns inflated bytes, or -1 on failure. */
static long long parse_part(zip_t *z, zip_uint64_t i)
{
    static char buf[1 << 16];
    int st;
    const char *why;
    xc_zin *f = xc_zin_open(z, i, &st, &why);
    XML_Parser p = XML_ParserCreateNS(NULL, ' ');
    long long total = 0;
    int ok = f && p;
    if (ok) {
        XML_SetElementHandler(p, noop_start, noop_end);
        XML_SetCharacterDataHandler(p, noop_text);
    }
    while (ok) {
        zip_int64_t got = xc_zin_read(f, buf, sizeof buf);
        if (got < 0) {
            ok = 0;
            break;
        }
        total += got;
        if (XML_Parse(p, buf, (int)got, got == 0) != XML_STATUS_OK)
            ok = 0;
        if (got == 0)
            break;
    }
    if (p)
        XML_ParserFree(p);
    xc_zin_close(f);
    return ok ? total : -1;
}

static int xml_floor(const char *path, double *ms, long long *bytes)
{
    double t = now_ms();
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z)
        return -1;
    *bytes = 0;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name || !is_sheet_part(name))
            continue;
        long long got = parse_part(z, (zip_uint64_t)i);
        if (got < 0) {
            zip_discard(z);
            return -1;
        }
        *bytes += got;
    }
    zip_discard(z);
    *ms = now_ms() - t;
    return 0;
}

/* ---- helpers ----------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Exact text of a cell's value, JSON-escaped enough for our values
 * (numbers and short texts without quotes). */
static void put_value(xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    const xc_value *v = sheet >= 0 ? xc_book_get(b, sheet, row, col) : NULL;
    xc_buf t;
    xc_buf_init(&t);
    if (!v)
        xc_buf_puts(&t, "null");
    else if (v->type == XC_NUMBER) {
        xc_buf_putc(&t, '"');
        xc_num_format(&t, &v->u.num, XC_FMT_EXACT);
        xc_buf_putc(&t, '"');
    } else {
        xc_buf_putc(&t, '"');
        xc_value_format(&t, v, XC_FMT_EXACT);
        xc_buf_putc(&t, '"');
    }
    fputs(t.p ? t.p : "null", stdout);
    xc_buf_clear(&t);
}

static void put_summary(xc_book *b, const char *key)
{
    int s = xc_book_find_sheet(b, "汇总", strlen("汇总"));
    printf(",\"%s\":{", key);
    for (uint32_t r = 0; r < 7; r++) {
        printf("%s\"B%u\":", r ? "," : "", r + 1);
        put_value(b, s, r, 1);
    }
    printf("}");
}

/* One edit: set (sheet,row,col) to the number text, recalc; returns the
 * time of set + recalc, stores the eval count. */
static int edit_once(xc_book *b, int sheet, uint32_t row, uint32_t col,
                     const xc_value *nv, double *ms, size_t *evals)
{
    double t = now_ms();
    int st = xc_book_set_value(b, sheet, row, col, nv);
    if (st == XC_OK)
        st = xc_book_recalc(b);
    *ms = now_ms() - t;
    *evals = xc_book_last_eval_count(b);
    return st;
}

/* Run n edits; print their timings.  Returns a status. */
static int run_edits(xc_book *b, int n)
{
    int forms = xc_book_find_sheet(b, "自评表", strlen("自评表"));
    int chain = xc_book_find_sheet(b, "chain", strlen("chain"));
    static double ms[MAX_EDITS];
    static size_t ev[MAX_EDITS];
    uint32_t nforms = 0;
    if (forms >= 0) {
        uint32_t rows, cols;
        xc_book_sheet_extent(b, forms, &rows, &cols);
        nforms = rows / FORM_ROWS;
    } else if (chain < 0)
        return XC_OK;
    if (forms >= 0 && nforms == 0)
        return XC_OK;
    for (int i = 0; i < n; i++) {
        int sheet = forms >= 0 ? forms : chain;
        uint32_t row = 0, col = 0;
        if (forms >= 0) {
            uint32_t k = (uint32_t)(((uint64_t)i * 7919u) % nforms);
            row = k * FORM_ROWS + 4 + (uint32_t)(i % N_IND);
            col = 4; /* E: 实际完成值 */
        }
        xc_value old = {0}, nv = {0};
        const xc_value *cur = xc_book_get(b, sheet, row, col);
        if (cur && xc_value_copy(&old, cur) != XC_OK)
            return XC_ENOMEM;
        /* the new number: on a form, the indicator's target (column D)
         * times (0.50 + 0.02 (i mod 25)), below the target so that the score,
         * the form's total and the summary sums all change; on the chain, 0.37
         * (i + 2) */
        xc_num x, f;
        xc_num_init(&x);
        xc_num_init(&f);
        int st = xc_num_set_frac(
            &f, forms >= 0 ? 50 + 2 * (i % 25) : 37 * (i + 2), 100);
        const xc_value *d = forms >= 0 ? xc_book_get(b, sheet, row, 3) : NULL;
        if (st == XC_OK && d && d->type == XC_NUMBER)
            st = xc_num_mul(&x, &d->u.num, &f);
        else if (st == XC_OK)
            st = xc_num_set(&x, &f);
        xc_num_clear(&f);
        if (st == XC_OK)
            xc_value_take_num(&nv, &x);
        else
            xc_num_clear(&x);
        if (st == XC_OK)
            st = edit_once(b, sheet, row, col, &nv, &ms[i], &ev[i]);
        /* undo, untimed */
        if (st == XC_OK)
            st = xc_book_set_value(b, sheet, row, col, &old);
        if (st == XC_OK)
            st = xc_book_recalc(b);
        xc_value_clear(&old);
        xc_value_clear(&nv);
        if (st != XC_OK)
            return st;
    }
    double sorted[MAX_EDITS];
    memcpy(sorted, ms, (size_t)n * sizeof *ms);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
    double med =
        n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    printf(",\"edits\":%d,\"edit_ms_median\":%.4f,\"edit_ms_min\":%.4f,"
           "\"edit_ms_max\":%.4f,\"edit_evals\":[",
           n, med, sorted[0], sorted[n - 1]);
    for (int i = 0; i < n; i++)
        printf("%s%zu", i ? "," : "", ev[i]);
    printf("]");
    return XC_OK;
}

/* The formula engine with every evaluation in Excel's view
 * (XC_EV_EXCEL): operators and sums in IEEE doubles, numbers held as
 * doubles (XC_NUM_DBL) - the engine's double mode. */
static int excel_eval(void *ctx, xc_book *b, int sheet, uint32_t row,
                      uint32_t col, const xc_formula *f, xc_value *out)
{
    (void)ctx;
    return xc_formula_eval(b, sheet, row, col, f, XC_EV_EXCEL, out);
}

/* Time a full recalculation in Excel's view; 0 on success. */
static int excel_view_recalc(xc_book *b, double *ms)
{
    static xc_engine e;
    e = *xc_formula_engine();
    e.eval = excel_eval;
    xc_book_set_engine(b, &e, NULL);
    double t = now_ms();
    int st = xc_book_recalc_all(b);
    *ms = now_ms() - t;
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    return st;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    int edits = 20, do_floor = 1, excel_view = 0;
    mallopt(M_TOP_PAD, 64 << 20); /* as the exacalc program does */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--edits") == 0 && i + 1 < argc)
            edits = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-floor") == 0)
            do_floor = 0;
        else if (strcmp(argv[i], "--excel-view") == 0)
            excel_view = 1;
        else if (strcmp(argv[i], "--split-pct") == 0 && i + 1 < argc)
            xc_xlsx_split_pct = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-split") == 0)
            xc_xlsx_split_min = UINT64_MAX;
        else if (strcmp(argv[i], "--no-half") == 0)
            xc_xlsx_no_half = 1;
        else if (!in)
            in = argv[i];
        else if (!out)
            out = argv[i];
        else {
            fprintf(stderr, "xcbench: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!in || !out || edits < 0 || edits > MAX_EDITS) {
        fprintf(stderr,
                "usage: xcbench [--edits N] [--no-floor] [--excel-view] "
                "[--split-pct N | --no-split] [--no-half] IN.xlsx "
                "OUT.xlsx\n");
        return 2;
    }
    const char *base = strrchr(in, '/');
    printf("{\"file\":\"%s\"", base ? base + 1 : in);

    if (do_floor) {
        /* the fastest of three passes: on a shared machine one pass
         * varies by a factor of two, and a slow floor would flatter the
         * total/floor ratio */
        double fms = 0, best = 0, worst = 0;
        long long bytes = 0;
        for (int pass = 0; pass < 3; pass++) {
            floor_elems = 0;
            if (xml_floor(in, &fms, &bytes) != 0) {
                fprintf(stderr, "xcbench: %s: floor parse failed\n", in);
                return 1;
            }
            if (pass == 0 || fms < best)
                best = fms;
            if (fms > worst)
                worst = fms;
        }
        printf(",\"floor_ms\":%.3f,\"floor_ms_slowest\":%.3f,"
               "\"floor_xml_mb\":%.2f,\"floor_elems\":%lu",
               best, worst, (double)bytes / 1048576.0, floor_elems);
    }

    xc_buf err;
    xc_buf_init(&err);
    xc_book *b = NULL;
    double t0 = now_ms();
    int st = xc_xlsx_load(in, NULL, &b, &err);
    if (st != XC_OK) {
        fprintf(stderr, "xcbench: load: %s\n", err.p ? err.p : "?");
        return 1;
    }
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    double t1 = now_ms();
    st = xc_book_recalc_all(b);
    double t2 = now_ms();
    if (st != XC_OK) {
        fprintf(stderr, "xcbench: recalc: %s\n", xc_status_str(st));
        return 1;
    }
    size_t evals = xc_book_last_eval_count(b);
    st = xc_xlsx_save(b, out, &err);
    double t3 = now_ms();
    if (st != XC_OK) {
        fprintf(stderr, "xcbench: save: %s\n", err.p ? err.p : "?");
        return 1;
    }
    double rss_main = peak_rss_mb();
    printf(",\"load_ms\":%.3f,\"recalc_ms\":%.3f,\"save_ms\":%.3f,"
           "\"evals\":%zu,\"rss_mb_after_save\":%.1f",
           t1 - t0, t2 - t1, t3 - t2, evals, rss_main);
    put_summary(b, "values");
    int chain = xc_book_find_sheet(b, "chain", strlen("chain"));
    if (chain >= 0) {
        uint32_t rows, cols;
        xc_book_sheet_extent(b, chain, &rows, &cols);
        printf(",\"chain_last\":");
        put_value(b, chain, rows - 1, 0);
    }

    if (edits > 0) {
        double ti = now_ms();
        st = xc_book_index(b);
        printf(",\"index_ms\":%.3f", now_ms() - ti);
        if (st == XC_OK)
            st = run_edits(b, edits);
        if (st != XC_OK) {
            fprintf(stderr, "xcbench: edits: %s\n", xc_status_str(st));
            return 1;
        }
        put_summary(b, "values_after_edits");
        if (chain >= 0) {
            uint32_t rows, cols;
            xc_book_sheet_extent(b, chain, &rows, &cols);
            printf(",\"chain_last_after_edits\":");
            put_value(b, chain, rows - 1, 0);
        }
    }

    if (excel_view) {
        /* a second exact full recalc (graph already built) to compare
         * with, then the Excel-view one */
        double ems = 0, t6 = now_ms();
        st = xc_book_recalc_all(b);
        double again = now_ms() - t6;
        printf(",\"recalc_again_ms\":%.3f", again);
        if (st == XC_OK)
            st = excel_view_recalc(b, &ems);
        if (st != XC_OK) {
            fprintf(stderr, "xcbench: excel view: %s\n", xc_status_str(st));
            return 1;
        }
        printf(",\"recalc_excel_view_ms\":%.3f,\"exact_over_double\":%.2f", ems,
               ems > 0 ? again / ems : 0.0);
    }

    double t4 = now_ms();
    xc_book_free(b);
    double t5 = now_ms();
    xc_buf_clear(&err);
    printf(",\"free_ms\":%.3f,\"total_ms\":%.3f,\"rss_mb\":%.1f}\n", t5 - t4,
           (t3 - t0) + (t5 - t4), peak_rss_mb());
    return 0;
}
