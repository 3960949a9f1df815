/* exacalc/formula.h - Excel's formula language: parse, print, evaluate,
 * and the function registry.
 *
 * A formula is parsed once into a position-independent tree: relative
 * references are stored as offsets from the cell the text was written
 * for, so one parsed formula serves every cell of a shared-formula group
 * and printing it at another cell gives the shifted text.
 *
 * Example:
 *     xc_formula *f;
 *     xc_parse_error pe;
 *     xc_parse_opts o = {book, sheet, row, col, 0};
 *     if (xc_formula_parse(&f, "=ROUND(28/3,1)", 14, &o, &pe) != XC_OK)
 *         report(pe.line, pe.col, pe.msg);
 *     xc_value v = {0};
 *     xc_formula_eval(book, sheet, row, col, f, 0, &v);   // 9.3
 *     xc_value_clear(&v);
 *     xc_formula_release(f);
 */
#ifndef EXACALC_FORMULA_H
#define EXACALC_FORMULA_H

#include "exacalc/book.h"

/* Parse flags */
#define XC_FP_FILE                                                             \
    1u                  /* text from a file: no leading '=', numbers by the    \
                           15-digit recovery rule, unknown sheets -> #REF! */
#define XC_FP_NOBOOK 2u /* no book: sheet references are errors */

typedef struct xc_parse_opts {
    xc_book *book; /* resolves sheet names; NULL with XC_FP_NOBOOK */
    int sheet;     /* the cell the text is written for */
    uint32_t row, col;
    unsigned flags; /* XC_FP_* */
} xc_parse_opts;

typedef struct xc_parse_error {
    int line, col; /* 1-based; col counts characters, not bytes */
    char msg[200]; /* "expected an expression", "unknown sheet 'X'"... */
} xc_parse_error;

/* Limits (Excel's). */
#define XC_FORMULA_MAX_LEN 8192 /* characters */
#define XC_FORMULA_MAX_DEPTH 64 /* nesting of functions/parentheses */
#define XC_FORMULA_MAX_ARGS 255
/* LAMBDA calls in progress at once - the depth of a recursion through a
 * named LAMBDA; one more is #NUM!.  (Ours: Excel documents none.) */
#define XC_LAMBDA_MAX_DEPTH 1024

/* Parse text (with or without a leading '=' unless XC_FP_FILE, where
 * '=' is not expected).  On XC_EPARSE *err describes the first error. */
XC_API int xc_formula_parse(xc_formula **out, const char *text, size_t n,
                            const xc_parse_opts *o, xc_parse_error *err);
XC_API void xc_formula_retain(xc_formula *f);
XC_API void xc_formula_release(xc_formula *f); /* NULL is a no-op */

/* A pool of formulas shared by structure (loaders): formulas are
 * position-independent, so cells whose trees are identical can hold one
 * formula.  xc_formula_pool_share takes the caller's reference to f and
 * returns a reference to an identical pooled formula (f is released) or
 * to f itself, now pooled.  The pool keeps one reference to each formula
 * until xc_formula_pool_free.  NULL pool (out of memory): f is returned. */
typedef struct xc_formula_pool xc_formula_pool;
XC_API xc_formula_pool *xc_formula_pool_new(void);
XC_API xc_formula *xc_formula_pool_share(xc_formula_pool *p, xc_formula *f);
XC_API void xc_formula_pool_free(xc_formula_pool *p); /* NULL is a no-op */

/* Canonical text of f placed at (sheet,row,col), without '=':
 * upper-case function names (with their _xlfn. prefix when the source had
 * one), minimal parentheses, numbers in XC_FMT_SOURCE form, sheet names
 * quoted when needed.  Relative references shift with the position;
 * a reference that falls off the sheet prints as #REF!. */
XC_API int xc_formula_print(xc_buf *out, const xc_formula *f, const xc_book *b,
                            int sheet, uint32_t row, uint32_t col);

/* The same in the form Excel writes to files: functions of the LAMBDA
 * family and LET with their _xlfn. prefix, and the names LET and LAMBDA
 * bind with _xlpm., where the source text lacked them (for writers). */
XC_API int xc_formula_print_file(xc_buf *out, const xc_formula *f,
                                 const xc_book *b, int sheet, uint32_t row,
                                 uint32_t col);

#define XC_F_VOLATILE 1u   /* uses TODAY, NOW, RAND... */
#define XC_F_DYNAMIC 2u    /* uses INDIRECT, OFFSET... */
#define XC_F_UNKNOWN_FN 4u /* calls a function the registry lacks */
/* Every cell the formula may read lies before its own cell, wherever it
 * is placed: each reference is to its own sheet, relative in every
 * coordinate, and ends in a row above or to the left in the same row;
 * no defined names, no volatile or reference-building functions. */
#define XC_F_BEFORE 8u
XC_API unsigned xc_formula_flags(const xc_formula *f);
/* Name of the first unknown function as written, or NULL. */
XC_API const char *xc_formula_unknown_fn(const xc_formula *f);

/* Evaluation flags */
#define XC_EV_ARRAY 1u /* evaluate as an array formula (CSE) */
#define XC_EV_EXCEL                                                            \
    2u /* Excel's view: every arithmetic result rounded to                     \
          the nearest IEEE double, Excel's 15-digit rules */

/* Evaluate f as if in (sheet,row,col) without storing it. */
XC_API int xc_formula_eval(xc_book *b, int sheet, uint32_t row, uint32_t col,
                           const xc_formula *f, unsigned flags, xc_value *out);

/* The engine to give xc_book_set_engine (ctx may be NULL). */
XC_API const xc_engine *xc_formula_engine(void);

/* Evaluation trace for `explain`: called after each node of the tree is
 * evaluated, with its depth, canonical text and value.  Set per thread
 * with xc_formula_eval_traced. */
typedef int (*xc_trace_fn)(void *ud, int depth, const char *text,
                           const xc_value *v, const char *note);
XC_API int xc_formula_eval_traced(xc_book *b, int sheet, uint32_t row,
                                  uint32_t col, const xc_formula *f,
                                  unsigned flags, xc_trace_fn fn, void *ud,
                                  xc_value *out);

/* Display text of a value under an Excel number-format code, as a cell
 * shows it: "0.00%", "#,##0.00", "yyyy\"年\"m\"月\"d\"日\"", "[DBNum1]",
 * "General" (NULL means General).  Implemented in numfmt.c; same as
 * TEXT(value, code).  XC_EPARSE for an invalid code. */
XC_API int xc_format_value(xc_buf *out, const xc_value *v, const char *code,
                           int date1904);

/* ---- Function registry ------------------------------------------- */

typedef struct xc_fncall xc_fncall; /* private: see formula_int.h */
typedef int (*xc_fn_impl)(xc_fncall *c, xc_value *out);

#define XC_FN_VOLATILE 1u  /* TODAY, NOW, RAND */
#define XC_FN_LAZY 2u      /* gets unevaluated arguments (IF, CHOOSE...) */
#define XC_FN_DYNREF 4u    /* builds references at evaluation (OFFSET...) */
#define XC_FN_REFRESULT 8u /* may return a reference (INDEX, OFFSET...) */

/* One function.  The argument spec has one letter per parameter:
 *   n number   s text   b logical   v any scalar   (coerced; errors
 *                                                  short-circuit)
 *   e any scalar, errors passed to the implementation
 *   r reference (anything else gives #VALUE!)
 *   a array, reference or scalar passed as is (errors too)
 *   A like a, but the argument is evaluated as an array expression
 * Letters before '|' are required, those after are optional; a final
 * '*' lets the last letter repeat up to 255 arguments in all.
 * A scalar parameter given an array (or a range, in array context) is
 * applied element-wise by the engine ("lifting"); a range in scalar
 * context is reduced by implicit intersection. */
typedef struct xc_fn_def {
    const char *name; /* upper case, no prefix: "CEILING.MATH" */
    const char *args; /* spec, as above */
    xc_fn_impl impl;
    unsigned flags;       /* XC_FN_* */
    const char *category; /* "math", "stat", "text", "logic", "lookup",
                             "date", "info", "fin", "eng", "db", "form" */
    const char *syntax;   /* "ROUND(number, num_digits)" */
    const char *help;     /* one sentence */
    /* Examples, one per line: "=ROUND(2.675,2) -> 2.68".  The registry
     * self-test evaluates each formula and compares its canonical text
     * (General format; text unquoted) with the right-hand side. */
    const char *examples;
} xc_fn_def;

XC_API size_t xc_fn_count(void);
XC_API const xc_fn_def *xc_fn_at(size_t i); /* sorted by name */
/* Case-insensitive lookup; accepts and ignores _xlfn./_xlws. prefixes. */
XC_API const xc_fn_def *xc_fn_find(const char *name, size_t n);

#endif
