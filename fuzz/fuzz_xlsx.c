/* fuzz_xlsx.c - libFuzzer target for the xlsx reader and writer (zip,
 * OPC, XML, worksheet streaming, then the round-trip writer).
 *
 * The input bytes are written to an in-memory file (memfd) and loaded
 * under small caps, so a zip bomb stops at the cap rather than at the
 * machine's memory.  A package that loads is recalculated, saved to a
 * temporary file and loaded again: the saved file must load.  Every
 * failure must come with a message.  Any crash, leak or failed check
 * is a bug. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exacalc/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c)                                                             \
    do {                                                                       \
        if (!(c))                                                              \
            __builtin_trap();                                                  \
    } while (0)

static char outdir[64];

/* Remove the scratch folder at exit (its files are removed per run). */
static void remove_outdir(void)
{
    if (outdir[0])
        rmdir(outdir);
}

/* A path naming a file that holds data: /proc/self/fd/N of a memfd. */
static int mem_file(const uint8_t *data, size_t size, char *path, size_t n)
{
    int fd = memfd_create("fuzz_xlsx", 0);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    snprintf(path, n, "/proc/self/fd/%d", fd);
    return fd;
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

    if (!outdir[0]) {
        snprintf(outdir, sizeof outdir, "/tmp/fuzz_xlsx.XXXXXX");
        if (!mkdtemp(outdir))
            abort();
        atexit(remove_outdir);
    }
    fd = mem_file(data, size, path, sizeof path);
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
