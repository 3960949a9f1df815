/* fuzz_csv.c - libFuzzer target for the CSV reader and writer.
 *
 * The input is a CSV file (UTF-8, BOM or GB18030 as the reader
 * detects).  What loads is written back with and without the formula
 * guard and read again: the reread sheet must have the same extent
 * and, without the guard, the same values (CSV keeps values only;
 * numbers survive as their nearest double, see same_csv_value).
 * Any crash, leak or failed check is a bug. */
#include "fuzz_common.h"

#include <string.h>

#include "exacalc/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *outdir;

/* Equal as a CSV keeps them: numbers are written as the shortest text
 * of their nearest double (XC_FMT_FILE), so two numbers are the same
 * when that text is; everything else must be identical. */
static int same_csv_value(const xc_value *a, const xc_value *b)
{
    if (a->type == XC_NUMBER && b->type == XC_NUMBER) {
        xc_buf x, y;
        int same;
        xc_buf_init(&x);
        xc_buf_init(&y);
        xc_value_format(&x, a, XC_FMT_FILE);
        xc_value_format(&y, b, XC_FMT_FILE);
        same = x.len == y.len && (!x.len || !memcmp(x.p, y.p, x.len));
        xc_buf_clear(&x);
        xc_buf_clear(&y);
        return same;
    }
    return xc_value_identical(a, b);
}

/* Save sheet 0 of b with flags, reload; the copy must load. */
static void round_trip(xc_book *b, unsigned flags)
{
    char out[128];
    xc_buf err;
    xc_book *b2 = NULL;
    int st;

    snprintf(out, sizeof out, "%s/out.csv", outdir);
    xc_buf_init(&err);
    st = xc_csv_save_ex(b, 0, out, flags, &err);
    if (st != XC_OK) {
        REQUIRE(err.p && err.len > 0);
        xc_buf_clear(&err);
        return;
    }
    xc_buf_reset(&err);
    st = xc_csv_load(out, &b2, &err);
    if (st != XC_OK) {
        fprintf(stderr, "fuzz_csv: reload failed: %s\n",
                err.p ? err.p : "(none)");
        __builtin_trap();
    }
    if (!flags) {
        uint32_t r1, c1, r2, c2;
        xc_book_sheet_extent(b, 0, &r1, &c1);
        xc_book_sheet_extent(b2, 0, &r2, &c2);
        REQUIRE(r1 == r2);
        for (uint32_t r = 0; r < r1 && r < 64; r++)
            for (uint32_t c = 0; c < c1 && c < 64; c++) {
                const xc_value *v1 = xc_book_get(b, 0, r, c);
                const xc_value *v2 = xc_book_get(b2, 0, r, c);
                int e1 = !v1 || v1->type == XC_EMPTY;
                int e2 = !v2 || v2->type == XC_EMPTY;
                if (e1 || e2)
                    continue; /* "" and empty may legitimately merge */
                if (!same_csv_value(v1, v2)) {
                    fprintf(stderr, "fuzz_csv: cell %u,%u changed\n", r, c);
                    __builtin_trap();
                }
            }
    }
    xc_book_free(b2);
    xc_buf_clear(&err);
    unlink(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    xc_book *b = NULL;
    xc_buf err;
    int fd, st;

    if (!outdir)
        outdir = fz_scratch_dir("fuzz_csv");
    fd = fz_mem_file("fuzz_csv", data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    xc_buf_init(&err);
    st = xc_csv_load(path, &b, &err);
    if (st == XC_OK) {
        REQUIRE(b != NULL);
        round_trip(b, 0);
        round_trip(b, XC_CSV_GUARD);
        xc_book_free(b);
    } else {
        REQUIRE(st == XC_ENOMEM || (err.p && err.len > 0));
    }
    xc_buf_clear(&err);
    close(fd);
    return 0;
}
