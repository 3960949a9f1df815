/* exacalc/value.h - spreadsheet values.
 *
 * A value is empty, a number (exact rational, possibly marked inexact),
 * text (UTF-8), a logical, an error (#DIV/0! ...), an array, or - during
 * evaluation only - a reference or a function value (LAMBDA).  Cells
 * never store references or function values.
 *
 * Ownership: an xc_value owns what it points to.  Text, arrays and
 * reference lists are reference-counted and immutable once built, so
 * xc_value_copy is cheap.  Always xc_value_clear a value you own; a
 * zero-filled xc_value is a valid empty value (XC_EMPTY == 0).
 *
 * Example:
 *     xc_value v = {0};
 *     xc_value_set_text(&v, "得分", strlen("得分"));
 *     ...
 *     xc_value_clear(&v);
 */
#ifndef EXACALC_VALUE_H
#define EXACALC_VALUE_H

#include "exacalc/num.h"

typedef enum xc_type {
    XC_EMPTY = 0,
    XC_NUMBER,
    XC_TEXT,
    XC_BOOL,
    XC_ERROR,
    XC_ARRAY,
    XC_REF,   /* evaluation only: one or more areas */
    XC_LAMBDA /* evaluation only: a function value made by LAMBDA */
} xc_type;

typedef enum xc_error {
    XC_ERR_NONE = 0,
    XC_ERR_NULL,  /* #NULL! */
    XC_ERR_DIV0,  /* #DIV/0! */
    XC_ERR_VALUE, /* #VALUE! */
    XC_ERR_REF,   /* #REF! */
    XC_ERR_NAME,  /* #NAME? */
    XC_ERR_NUM,   /* #NUM! */
    XC_ERR_NA,    /* #N/A */
    XC_ERR_GETTING_DATA,
    XC_ERR_SPILL, /* #SPILL! */
    XC_ERR_CALC,  /* #CALC! */
    XC_ERR_FIELD,
    XC_ERR_BLOCKED,
    XC_ERR_CONNECT,
    XC_ERR_BUSY,
    XC_ERR_UNKNOWN, /* #UNKNOWN! and any unrecognised code */
    XC_ERR_CIRC,    /* #CIRC!: exacalc's mark for cells in a cycle */
    XC_ERR_COUNT_
} xc_error;

/* Literal text of an error ("#DIV/0!"); and the reverse (case-insensitive;
 * returns XC_ERR_NONE when s is not an error literal). */
XC_API const char *xc_error_name(xc_error e);
XC_API xc_error xc_error_parse(const char *s, size_t n);

/* Immutable, reference-counted UTF-8 text, NUL-terminated. */
typedef struct xc_str {
    uint32_t refs;
    uint32_t len; /* bytes; at most XC_TEXT_MAX_BYTES */
    char s[];
} xc_str;
/* Excel's limit on a cell's text is 32,767 characters.  Storage is
 * bounded in bytes at four times that (UTF-8 needs at most 4 bytes a
 * character); functions that build text may compare byte lengths with
 * XC_TEXT_MAX, which is stricter than Excel for non-ASCII text. */
#define XC_TEXT_MAX 32767u
#define XC_TEXT_MAX_BYTES (4u * XC_TEXT_MAX)

XC_API xc_str *xc_str_new(const char *s, size_t n); /* refs = 1; NULL: OOM */
XC_API xc_str *xc_str_ref(xc_str *s);
XC_API void xc_str_unref(xc_str *s);

/* An area: a rectangle on one sheet (or a run of sheets for 3-D
 * references).  Rows and columns are 0-based; r1 <= r2, c1 <= c2. */
typedef struct xc_area {
    int32_t sheet;  /* index in the book */
    int32_t sheet2; /* last sheet of a 3-D reference; == sheet otherwise */
    uint32_t r1, c1, r2, c2;
} xc_area;

#define XC_MAX_ROWS 1048576u
#define XC_MAX_COLS 16384u

typedef struct xc_value xc_value;

typedef struct xc_array {
    uint32_t refs;
    uint32_t rows, cols;
    xc_value *v; /* rows*cols values, row-major */
} xc_array;

typedef struct xc_refs {
    uint32_t refs;
    uint32_t n;
    xc_area a[]; /* n areas: a union when n > 1 */
} xc_refs;

/* A function value (XC_LAMBDA): reference-counted like text and arrays.
 * The formula layer owns what follows this header (parameters, body,
 * captured names) and frees the whole object through destroy when the
 * last reference goes. */
typedef struct xc_lambda xc_lambda;
struct xc_lambda {
    uint32_t refs;
    void (*destroy)(xc_lambda *self);
};

#define XC_VAL_INEXACT 1u /* number computed through MPFR: approximate */

struct xc_value {
    uint8_t type;  /* xc_type */
    uint8_t flags; /* XC_VAL_* */
    uint16_t err;  /* xc_error when type == XC_ERROR */
    uint32_t aux;  /* free for the owner (e.g. evaluation hints) */
    union {
        xc_num num;
        xc_str *str;
        xc_array *arr;
        xc_refs *ref;
        xc_lambda *fn;
        int b;
    } u;
};

/* Releases what v owns; v becomes empty.  Inline for the values that
 * own nothing (empty, small or double numbers): evaluation clears many. */
XC_API void xc_value_release(xc_value *v);
static inline void xc_value_clear(xc_value *v)
{
    if (v->type > XC_NUMBER || (v->type == XC_NUMBER && v->u.num.d == 0))
        xc_value_release(v);
    else
        *v = (xc_value){0};
}
/* dst = src (dst is cleared first; dst may equal src). */
XC_API int xc_value_copy(xc_value *dst, const xc_value *src);
/* Move: dst takes src's content; src becomes empty. */
XC_API void xc_value_move(xc_value *dst, xc_value *src);

XC_API void xc_value_set_empty(xc_value *v);
XC_API void xc_value_set_bool(xc_value *v, int b);
XC_API void xc_value_set_error(xc_value *v, xc_error e);
XC_API void xc_value_set_int(xc_value *v, int64_t i);
XC_API int xc_value_set_num(xc_value *v, const xc_num *x); /* copies x */
/* Takes x's content (x is left as 0). */
XC_API void xc_value_take_num(xc_value *v, xc_num *x);
XC_API int xc_value_set_text(xc_value *v, const char *s, size_t n);
XC_API void xc_value_set_str(xc_value *v, xc_str *s); /* takes a ref */
/* New array of rows x cols empty values; *out is owned by v. */
XC_API int xc_value_set_array(xc_value *v, uint32_t rows, uint32_t cols,
                              xc_array **out);
XC_API int xc_value_set_area(xc_value *v, const xc_area *a);

/* Excel's total order for sorting and comparison operators:
 * numbers < text < logicals; text case-insensitive (Unicode simple
 * case folding of ASCII and common letters); errors compare as their
 * code after logicals; empty compares as 0 against numbers, "" against
 * text, FALSE against logicals.  Returns -1, 0, 1. */
XC_API int xc_value_cmp(const xc_value *a, const xc_value *b);
/* Case-insensitive UTF-8 text comparison used by the above. */
XC_API int xc_text_cmp_ci(const char *a, size_t an, const char *b, size_t bn);
/* Same value and type exactly (text case-sensitive): for tests. */
XC_API int xc_value_identical(const xc_value *a, const xc_value *b);

/* Canonical text of a scalar value: numbers per fmt, text as is,
 * TRUE/FALSE, error literal, "" for empty; arrays as {1,2;3,4} with
 * strings quoted. */
XC_API int xc_value_format(xc_buf *out, const xc_value *v, xc_num_fmt fmt);

#endif
