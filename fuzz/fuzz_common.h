/* fuzz_common.h - helpers shared by the libFuzzer targets: the REQUIRE
 * check, an in-memory input file (memfd) and a scratch folder in memory
 * for the files a target saves and reloads.
 *
 * The scratch folder lives on tmpfs (/dev/shm) when there is one.  On a
 * disk file system a save that renames over the previous output makes
 * ext4 flush the data first (auto_da_alloc), and that wait was most of
 * the wall time of fuzz_csv and fuzz_xlsx. */
#ifndef XC_FUZZ_COMMON_H
#define XC_FUZZ_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Array-size cap for targets that evaluate formulas (xc_array_cap in
 * formula_int.h): arrays past it give #NUM! as past the library's own
 * caps, but a whole-column operation or SEQUENCE(1000,1000) costs
 * milliseconds instead of tens of seconds under ASan. */
#define FZ_ARRAY_CAP (1u << 12)
/* LAMBDA calls per outermost call (xc_lambda_calls_cap): 2^20 in normal
 * use took 136 s for the five evaluations of one input under ASan
 * (finding 20, docs/fuzzing.md); 2^12 reaches the #NUM! in 0.5 s. */
#define FZ_LAMBDA_CALLS (1u << 12)

/* A failed check is a crash libFuzzer records. */
#define REQUIRE(c)                                                             \
    do {                                                                       \
        if (!(c))                                                              \
            __builtin_trap();                                                  \
    } while (0)

static char fz_scratch[64];

/* Remove the scratch folder at exit (targets remove their files). */
static inline void fz_scratch_remove(void)
{
    if (fz_scratch[0])
        rmdir(fz_scratch);
}

/* The scratch folder, created on first use: /dev/shm/<tag>.XXXXXX, or
 * under /tmp when /dev/shm is not usable. */
static inline const char *fz_scratch_dir(const char *tag)
{
    if (!fz_scratch[0]) {
        struct stat st;
        const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
                                   access("/dev/shm", W_OK) == 0
                               ? "/dev/shm"
                               : "/tmp";
        snprintf(fz_scratch, sizeof fz_scratch, "%s/%s.XXXXXX", base, tag);
        if (!mkdtemp(fz_scratch))
            abort();
        atexit(fz_scratch_remove);
    }
    return fz_scratch;
}

/* A path naming a file that holds data: /proc/self/fd/N of a memfd.
 * Returns the descriptor (the caller closes it), or -1. */
static inline int fz_mem_file(const char *tag, const uint8_t *data, size_t size,
                              char *path, size_t n)
{
    int fd = memfd_create(tag, 0);
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

/* The longest formula (8,192 characters) can be a 4,096-term chain such
 * as 1+1+...+1, which the parser, printer and evaluator walk a few
 * thousand frames deep: well under 1 MiB of stack in a normal build,
 * but more than the default 8 MiB with ASan's enlarged frames.  Raise
 * the soft stack limit (the main thread's stack grows on demand up to
 * it), so such inputs are checked rather than reported as overflows
 * that only the sanitizer build has. */
static inline void fz_big_stack(void)
{
    struct rlimit rl;
    rlim_t want = (rlim_t)256 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur >= want)
        return;
    rl.rlim_cur =
        rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
    setrlimit(RLIMIT_STACK, &rl);
}

#endif
