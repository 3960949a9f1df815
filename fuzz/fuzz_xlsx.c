/* fuzz_xlsx.c - libFuzzer target for the xlsx reader and writer (zip,
 * OPC, XML, worksheet streaming, then the round-trip writer).
 *
 * The input bytes are written to an in-memory file (memfd) and loaded
 * under small caps, so a zip bomb stops at the cap rather than at the
 * machine's memory.  A package that loads is recalculated, saved to a
 * file in a tmpfs scratch folder and loaded again: the saved file must
 * load.  Every failure must come with a message.  The input is also
 * read with its sheets cut in two (xc_split, at a place the input
 * chooses): the same status, the same message, the same number of
 * cells.  Any crash, leak or failed check is a bug. */
#include "fuzz_common.h"

#include <string.h>

#include "exacalc/xlsx.h"
#include "formula_int.h"
#include "xlsx_int.h" /* xc_xlsx_split_min, xc_xlsx_split_pct */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *outdir;

static size_t book_cells(xc_book *b)
{
    size_t n = 0;
    for (int s = 0; s < xc_book_sheet_count(b); s++) {
        xc_iter it;
        xc_area a = {s, s, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
        uint32_t r, c;
        xc_iter_init(&it, b, &a);
        while (xc_iter_next(&it, &r, &c))
            n++;
    }
    return n;
}

/* Load path with every sheet part read in two at pct per cent; compare
 * with the one-thread result (st, err, b). */
static void split_same(const char *path, const xc_load_opts *o, unsigned pct,
                       int st, const xc_buf *err, xc_book *b)
{
    xc_book *b2 = NULL;
    xc_buf e2;
    xc_buf_init(&e2);
    xc_xlsx_split_min = 0;
    xc_xlsx_split_pct = pct;
    int st2 = xc_xlsx_load(path, o, &b2, &e2);
    xc_xlsx_split_min = UINT64_MAX;
    if (st2 != XC_ENOMEM && st != XC_ENOMEM) {
        REQUIRE(st2 == st);
        if (st != XC_OK)
            REQUIRE(e2.p && err->p && strcmp(e2.p, err->p) == 0);
        else
            REQUIRE(b2 && book_cells(b2) == book_cells(b));
    }
    xc_book_free(b2);
    xc_buf_clear(&e2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* caps small enough to keep each run fast, large enough for real
     * small packages */
    xc_load_opts o = {4u << 20, 16u << 20, 200000};
    char path[64], out[128];
    xc_book *b = NULL;
    xc_buf err;
    int fd, st;

    if (!outdir) {
        outdir = fz_scratch_dir("fuzz_xlsx");
        fz_big_stack();
        xc_array_cap = FZ_ARRAY_CAP;
        xc_lambda_calls_cap = FZ_LAMBDA_CALLS;
        xc_xlsx_split_min = UINT64_MAX; /* one thread unless split_same */
    }
    fd = fz_mem_file("fuzz_xlsx", data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    xc_buf_init(&err);
    st = xc_xlsx_load(path, &o, &b, &err);
    split_same(path, &o, size ? 1u + data[size - 1] % 98u : 50u, st, &err, b);
    if (st != XC_OK) {
        REQUIRE(b == NULL || 1);
        REQUIRE(st == XC_ENOMEM || (err.p && err.len > 0));
        REQUIRE(!err.p || !memchr(err.p, '\n', err.len));
        xc_buf_clear(&err);
        close(fd);
        return 0;
    }
    REQUIRE(b != NULL);
    st = xc_book_recalc_all(b);
    REQUIRE(st == XC_OK || st == XC_ENOMEM || st == XC_ELIMIT);
    snprintf(out, sizeof out, "%s/out.xlsx", outdir);
    xc_buf_reset(&err);
    st = xc_xlsx_save(b, out, &err);
    xc_book_free(b);
    b = NULL;
    if (st == XC_OK) {
        xc_book *b2 = NULL;
        xc_buf_reset(&err);
        st = xc_xlsx_load(out, &o, &b2, &err);
        /* what we wrote we must read back (the caps are the same) */
        if (st != XC_OK && st != XC_ENOMEM && st != XC_ELIMIT) {
            fprintf(stderr, "fuzz_xlsx: reload failed: %s\n",
                    err.p ? err.p : "(no message)");
            __builtin_trap();
        }
        xc_book_free(b2);
    } else {
        REQUIRE(err.p && err.len > 0);
    }
    unlink(out);
    xc_buf_clear(&err);
    close(fd);
    return 0;
}
