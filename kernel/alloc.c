/* alloc.c - the allocator family, status strings and the interrupt flag.
 *
 * All library allocations go through xc_malloc and friends so that tests
 * can make the Nth allocation fail (xc_alloc_fail_after) and check that
 * every failure path returns XC_ENOMEM and leaks nothing.
 *
 * GMP and MPFR keep their default allocators on purpose: GMP cannot
 * survive an allocation that returns NULL (nor may its allocator
 * longjmp), so routing it through the fail-after hook would turn an
 * injected failure into an abort.  The number layer instead bounds every
 * operand size (XC_NUM_MAX_BITS) before calling GMP.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "exacalc/base.h"

/* Allocations left before the hook starts failing; < 0: disabled. */
static long fail_after = -1;
static volatile sig_atomic_t interrupted;

/* Consume one allocation from the test budget; 1 when it must fail. */
static int should_fail(void)
{
    if (fail_after < 0)
        return 0;
    if (fail_after == 0)
        return 1;
    fail_after--;
    return 0;
}

void *xc_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *xc_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return calloc(n, size);
}

void *xc_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void xc_free(void *p)
{
    free(p);
}

char *xc_strndup(const char *s, size_t n)
{
    char *p = xc_malloc(n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void xc_alloc_fail_after(long n)
{
    fail_after = n < 0 ? -1 : n;
}

int xc_alloc_fail_armed(void)
{
    return fail_after >= 0;
}

void xc_interrupt_set(int on)
{
    interrupted = on ? 1 : 0;
}

int xc_interrupted(void)
{
    return interrupted != 0;
}

const char *xc_status_str(int status)
{
    switch (status) {
    case XC_OK:
        return "success";
    case XC_ENOMEM:
        return "out of memory";
    case XC_ELIMIT:
        return "size or precision limit reached";
    case XC_EDIVZERO:
        return "division by zero";
    case XC_EPARSE:
        return "malformed text";
    case XC_EINVAL:
        return "invalid argument";
    case XC_ENOTFOUND:
        return "not found";
    case XC_EIO:
        return "input/output error";
    case XC_EFORMAT:
        return "malformed file";
    case XC_EUNSUPPORTED:
        return "not supported";
    case XC_ECIRC:
        return "circular reference";
    case XC_EINTR:
        return "interrupted";
    }
    return "unknown status";
}
