/* fuzz_xlsx.c - libFuzzer target for the xlsx reader and writer (zip,
 * OPC, XML, worksheet streaming, then the round-trip writer).
 *
 * The input bytes are written to an in-memory file (memfd) and loaded
 * under small caps, so a zip bomb stops at the cap rather than at the
 * machine's memory.  A package that loads is recalculated, saved to a
 * file in a tmpfs scratch folder and loaded again: the saved file must
 * load.  Every failure must come with a message.  Any crash, leak or
 * failed check is a bug. */
#include "fuzz_common.h"

#include <string.h>

#include "exacalc/xlsx.h"
#include "formula_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *outdir;

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
    }
    fd = fz_mem_file("fuzz_xlsx", data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    xc_buf_init(&err);
    st = xc_xlsx_load(path, &o, &b, &err);
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
