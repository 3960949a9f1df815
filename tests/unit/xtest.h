/* xtest.h - minimal unit-test helpers: CHECK records a failure with
 * file:line and goes on; main returns xtest_done() (0 when all passed).
 * Prints a closing line "N passed, N failed". */
#ifndef XTEST_H
#define XTEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int xtest_pass, xtest_fail;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            xtest_pass++;                                                      \
        } else {                                                               \
            xtest_fail++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                   \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                 \
            xtest_pass++;                                                      \
        } else {                                                               \
            xtest_fail++;                                                      \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__,      \
                    __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");         \
        }                                                                      \
    } while (0)

/* A fresh directory /tmp/NAME.XXXXXX in buf (n bytes); 0 on success. */
static inline int xtest_mkdtemp(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "/tmp/%s.XXXXXX", name);
    return mkdtemp(buf) ? 0 : -1;
}

/* dir/name in one of four rotating buffers, so that a call can take
 * up to four such paths at once. */
static inline const char *xtest_path(const char *dir, const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Remove a directory made by xtest_mkdtemp, unless XC_KEEP_TMP is set
 * (then say where the files are).  0 on success. */
static inline int xtest_rmtree(const char *dir)
{
    char cmd[1200];
    if (getenv("XC_KEEP_TMP")) {
        printf("files kept in %s\n", dir);
        return 0;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        printf("could not remove %s\n", dir);
        return -1;
    }
    return 0;
}

static inline int xtest_done(void)
{
    printf("%d passed, %d failed\n", xtest_pass, xtest_fail);
    return xtest_fail ? 1 : 0;
}
#endif
