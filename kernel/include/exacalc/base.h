/* exacalc/base.h - status codes, the growable byte buffer, allocation.
 *
 * Every exacalc library function that can fail for a C-level reason
 * (memory, a limit, malformed input) returns an xc_status; XC_OK is 0.
 * Spreadsheet errors such as #DIV/0! are values (see value.h), never
 * statuses.  Library code never prints, exits or aborts.
 *
 * Example:
 *     xc_buf b;
 *     xc_buf_init(&b);
 *     if (xc_buf_printf(&b, "%d cells", 3) != XC_OK) goto fail;
 *     use(b.p, b.len);          // b.p is NUL-terminated
 *     xc_buf_clear(&b);
 */
#ifndef EXACALC_BASE_H
#define EXACALC_BASE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define XC_API __attribute__((visibility("default")))
#define XC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define XC_API
#define XC_PRINTF(a, b)
#endif

typedef enum xc_status {
    XC_OK = 0,
    XC_ENOMEM,       /* allocation failed */
    XC_ELIMIT,       /* a size/precision/nesting limit was reached */
    XC_EDIVZERO,     /* division by zero requested of the number layer */
    XC_EPARSE,       /* malformed text: number, formula, command */
    XC_EINVAL,       /* bad argument from the caller */
    XC_ENOTFOUND,    /* no such sheet, name, part, file */
    XC_EIO,          /* operating-system I/O failure */
    XC_EFORMAT,      /* malformed file (zip, xml, ooxml, csv) */
    XC_EUNSUPPORTED, /* valid input that exacalc does not handle */
    XC_ECIRC,        /* circular reference (reported, values are #CIRC!) */
    XC_EINTR         /* interrupted by the user (Ctrl-C) */
} xc_status;

/* A static English description of a status; never NULL. */
XC_API const char *xc_status_str(int status);

/* Allocation: one family for the whole library; GMP is pointed at it.
 * A test hook can make the Nth call fail (see xc_alloc_fail_after). */
XC_API void *xc_malloc(size_t n);
XC_API void *xc_calloc(size_t n, size_t size);
XC_API void *xc_realloc(void *p, size_t n);
XC_API void xc_free(void *p);
XC_API char *xc_strndup(const char *s, size_t n);
/* Test hook: after n more successful allocations, fail every one until
 * called again with n < 0 (disable).  Not thread-safe; tests only. */
XC_API void xc_alloc_fail_after(long n);
/* Nonzero while the hook counts: code that would allocate on a second
 * thread stays on one instead. */
XC_API int xc_alloc_fail_armed(void);

/* Interruption: the REPL's SIGINT handler sets this flag; long loops in
 * the library poll xc_interrupted() and return XC_EINTR. */
XC_API void xc_interrupt_set(int on);
XC_API int xc_interrupted(void);

/* A growable byte buffer.  p is always NUL-terminated when non-NULL;
 * len excludes the NUL.  A failed append leaves the content unchanged
 * and returns XC_ENOMEM. */
typedef struct xc_buf {
    char *p;
    size_t len;
    size_t cap;
} xc_buf;

XC_API void xc_buf_init(xc_buf *b);
XC_API void xc_buf_clear(xc_buf *b); /* frees; b is reusable after init */
XC_API void xc_buf_reset(xc_buf *b); /* len = 0, keeps capacity */
XC_API int xc_buf_reserve(xc_buf *b, size_t extra);
XC_API int xc_buf_put(xc_buf *b, const void *s, size_t n);
XC_API int xc_buf_puts(xc_buf *b, const char *s);
XC_API int xc_buf_putc(xc_buf *b, int c);
XC_API int xc_buf_printf(xc_buf *b, const char *fmt, ...) XC_PRINTF(2, 3);
/* Take ownership of the bytes (NUL-terminated; "" when empty); b is
 * left empty.  Returns NULL only on allocation failure. */
XC_API char *xc_buf_take(xc_buf *b);

/* UTF-8 helpers.  Decode one code point at s[0..n); returns its length
 * in bytes (>= 1) and stores the code point, or U+FFFD for an invalid
 * sequence (length 1). */
XC_API size_t xc_utf8_decode(const char *s, size_t n, uint32_t *cp);
XC_API int xc_utf8_encode(xc_buf *b, uint32_t cp);
XC_API size_t xc_utf8_count(const char *s, size_t n); /* code points */
/* Display width in terminal columns: 2 for East Asian wide/fullwidth
 * characters (CJK, fullwidth forms), 0 for combining marks, else 1. */
XC_API int xc_utf8_cpwidth(uint32_t cp);
XC_API size_t xc_utf8_width(const char *s, size_t n);

#endif
