/* test_corpus.c - the xlsx reader against workbooks other programs made:
 * every file of ../shared/testdata/xlsx-corpus/MANIFEST.tsv (expect
 * "open": must load; "reject-or-recover": must return, error or not,
 * without crashing) and every IronCalc calc_tests workbook (must load).
 * Prints one line per failure and the totals. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include "exacalc/xlsx.h"
#include "xtest.h"

static char root[1024];
static char tmpdir[256];
static int rt_same, rt_diff, rt_recalc_ok, rt_recalc_fail;

/* Whether two packages hold the same entries with identical compressed
 * bytes (what a raw copy must give). */
static int same_package(const char *a, const char *b)
{
    int e, same = 1;
    zip_t *za = zip_open(a, ZIP_RDONLY, &e), *zb = zip_open(b, ZIP_RDONLY, &e);
    if (!za || !zb) {
        if (za)
            zip_discard(za);
        if (zb)
            zip_discard(zb);
        return 0;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (zip_get_num_entries(zb, 0) != n)
        same = 0;
    for (zip_int64_t i = 0; same && i < n; i++) {
        zip_stat_t sa, sb;
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        zip_int64_t j = name ? zip_name_locate(zb, name, 0) : -1;
        if (j < 0 || zip_stat_index(za, (zip_uint64_t)i, 0, &sa) ||
            zip_stat_index(zb, (zip_uint64_t)j, 0, &sb) || sa.crc != sb.crc ||
            sa.size != sb.size || sa.comp_size != sb.comp_size ||
            sa.comp_method != sb.comp_method)
            same = 0;
    }
    zip_discard(za);
    zip_discard(zb);
    return same;
}

static long cmp_cells, cmp_bad;

/* The reloaded book states exactly the recalculated values (as the file
 * format writes them) and keeps every formula. */
static void compare_books(xc_book *a, xc_book *b, const char *path)
{
    xc_buf x, y;
    int bad = 0;
    xc_buf_init(&x);
    xc_buf_init(&y);
    for (int s = 0; s < xc_book_sheet_count(a); s++) {
        xc_iter it;
        xc_area ar = {s, s, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
        uint32_t r, c;
        xc_cell *cell;
        xc_iter_init(&it, a, &ar);
        while ((cell = xc_iter_next(&it, &r, &c))) {
            const xc_value *v2 = xc_book_get(b, s, r, c);
            cmp_cells++;
            if (cell->v.type == XC_ERROR && cell->v.err == XC_ERR_CIRC)
                continue;
            xc_buf_reset(&x);
            xc_buf_reset(&y);
            xc_value_format(&x, &cell->v, XC_FMT_FILE);
            xc_value_format(&y, v2, XC_FMT_FILE);
            int type = cell->v.type;
            if (type == XC_NUMBER) {
                /* what reading the written text gives: the 15-digit
                   recovery rule, and Excel's double range */
                xc_num n;
                xc_num_init(&n);
                double d = xc_num_to_double(&cell->v.u.num);
                int zero = xc_num_is_zero(&cell->v.u.num);
                if (isinf(d)) {
                    type = XC_ERROR;
                    xc_buf_reset(&x);
                    xc_buf_puts(&x, "#NUM!");
                } else if (!zero && d == 0) {
                    xc_buf_reset(&x);
                    xc_buf_puts(&x, "0");
                } else if (xc_num_parse(&n, x.p, x.len, XC_PARSE_RECOVER15,
                                        NULL) == 0) {
                    xc_buf_reset(&x);
                    xc_num_format(&x, &n, XC_FMT_FILE);
                }
                xc_num_clear(&n);
            }
            int same = type == v2->type &&
                       strcmp(x.p ? x.p : "", y.p ? y.p : "") == 0 &&
                       (xc_book_formula(a, s, r, c) != NULL) ==
                           (xc_book_formula(b, s, r, c) != NULL);
            if (!same) {
                cmp_bad++;
                if (bad++ < 3)
                    printf("FAIL reload %s sheet %d r%u c%u: wrote %s, "
                           "read %s\n",
                           path, s, r, c, x.p ? x.p : "", y.p ? y.p : "");
            }
        }
    }
    CHECK(bad == 0);
    xc_buf_clear(&x);
    xc_buf_clear(&y);
}

/* Save unchanged (must be identical), then recalculate, save and load
 * the result again (must load). */
static void round_trip(xc_book *b, const char *path)
{
    char out[512];
    xc_buf err;
    xc_buf_init(&err);
    snprintf(out, sizeof out, "%s/rt.xlsx", tmpdir);
    if (xc_xlsx_save(b, out, &err) == 0 && same_package(path, out)) {
        rt_same++;
    } else {
        rt_diff++;
        printf("FAIL unchanged save differs: %s %s\n", path,
               err.p ? err.p : "");
        CHECK(0);
    }
    xc_book_recalc_all(b);
    xc_book *b2 = NULL;
    if (xc_xlsx_save(b, out, &err) == 0 &&
        xc_xlsx_load(out, NULL, &b2, &err) == 0) {
        rt_recalc_ok++;
        compare_books(b, b2, path);
    } else {
        rt_recalc_fail++;
        printf("FAIL recalculated save: %s: %s\n", path, err.p);
        CHECK(0);
    }
    xc_book_free(b2);
    xc_buf_clear(&err);
}

static int corpus_open_ok, corpus_open_fail, corpus_rej_err, corpus_rej_ok;

/* Load one file; 1 when it loaded. */
static int try_load(const char *path, xc_buf *err)
{
    xc_book *b = NULL;
    int st = xc_xlsx_load(path, NULL, &b, err);
    if (st == 0) {
        if (!getenv("XC_CORPUS_NO_RT"))
            round_trip(b, path);
        xc_book_free(b);
        return 1;
    }
    CHECK(b == NULL);
    CHECK(err->len > 0);
    return 0;
}

static void run_manifest(void)
{
    char path[2048], line[8192];
    snprintf(path, sizeof path, "%s/xlsx-corpus/MANIFEST.tsv", root);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("corpus: %s missing, skipped\n", path);
        return;
    }
    xc_buf err;
    xc_buf_init(&err);
    while (fgets(line, sizeof line, f)) {
        char *cols[10] = {0};
        int n = 0;
        for (char *p = line, *tok; n < 10 && (tok = strsep(&p, "\t"));)
            cols[n++] = tok;
        if (n < 9 || strcmp(cols[0], "file") == 0)
            continue;
        snprintf(path, sizeof path, "%s/xlsx-corpus/%s", root, cols[0]);
        int ok = try_load(path, &err);
        if (strcmp(cols[8], "open") == 0) {
            if (ok) {
                corpus_open_ok++;
            } else {
                corpus_open_fail++;
                printf("FAIL open: %s\n", err.p);
            }
            CHECK(ok);
        } else {
            if (ok)
                corpus_rej_ok++;
            else
                corpus_rej_err++;
            printf("%s %s: %s\n", ok ? "recovered" : "rejected", cols[0],
                   ok ? "" : err.p);
        }
    }
    fclose(f);
    xc_buf_clear(&err);
    printf("corpus: open %d loaded, %d failed; reject-or-recover %d "
           "rejected, %d loaded\n",
           corpus_open_ok, corpus_open_fail, corpus_rej_err, corpus_rej_ok);
}

static int ic_ok, ic_fail;

static void walk(const char *dir, xc_buf *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[2048];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(path, err);
        } else {
            size_t n = strlen(e->d_name);
            if (n > 5 && strcmp(e->d_name + n - 5, ".xlsx") == 0) {
                int ok = try_load(path, err);
                if (ok)
                    ic_ok++;
                else {
                    ic_fail++;
                    printf("FAIL ironcalc: %s\n", err->p);
                }
                CHECK(ok);
            }
        }
    }
    closedir(d);
}

int main(void)
{
    const char *src = getenv("XC_SRC");
    snprintf(root, sizeof root, "%s/../shared/testdata", src ? src : ".");
    if (xtest_mkdtemp(tmpdir, sizeof tmpdir, "xc_test_corpus"))
        return 1;
    run_manifest();
    char dir[1200];
    xc_buf err;
    xc_buf_init(&err);
    snprintf(dir, sizeof dir, "%s/ironcalc/calc_tests", root);
    walk(dir, &err);
    xc_buf_clear(&err);
    printf("ironcalc: %d loaded, %d failed\n", ic_ok, ic_fail);
    printf("round trips: %d identical unchanged saves, %d differing; %d "
           "recalculated saves reloaded, %d failed\n",
           rt_same, rt_diff, rt_recalc_ok, rt_recalc_fail);
    printf("recalculated cells compared after reload: %ld, %ld differ\n",
           cmp_cells, cmp_bad);
    xtest_rmtree(tmpdir);
    return xtest_done();
}
