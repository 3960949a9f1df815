/* test_corpus.c - the xlsx reader against workbooks other programs made:
 * every file of ../shared/testdata/xlsx-corpus/MANIFEST.tsv (expect
 * "open": must load; "reject-or-recover": must return, error or not,
 * without crashing) and every IronCalc calc_tests workbook (must load).
 * Prints one line per failure and the totals. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "exacalc/xlsx.h"
#include "xtest.h"

static char root[1024];

static int corpus_open_ok, corpus_open_fail, corpus_rej_err, corpus_rej_ok;

/* Load one file; 1 when it loaded. */
static int try_load(const char *path, xc_buf *err)
{
    xc_book *b = NULL;
    int st = xc_xlsx_load(path, NULL, &b, err);
    if (st == 0) {
        /* touch every sheet so the book is really usable */
        for (int i = 0; i < xc_book_sheet_count(b); i++) {
            uint32_t r, c;
            xc_book_sheet_extent(b, i, &r, &c);
        }
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
    run_manifest();
    char dir[1200];
    xc_buf err;
    xc_buf_init(&err);
    snprintf(dir, sizeof dir, "%s/ironcalc/calc_tests", root);
    walk(dir, &err);
    xc_buf_clear(&err);
    printf("ironcalc: %d loaded, %d failed\n", ic_ok, ic_fail);
    return xtest_done();
}
