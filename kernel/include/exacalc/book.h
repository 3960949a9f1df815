/* exacalc/book.h - workbook, sheets, cells, defined names, recalculation.
 *
 * A book owns sheets; a sheet stores cells sparsely by row, each row a
 * vector of cells sorted by column.  Rows and columns are 0-based
 * (A1 is row 0, column 0).  A cell holds its current value, a style
 * index, and - when it has a formula or was edited - a node with the
 * formula, the value the file stated when loaded, and dependency data.
 *
 * The kernel does not know the formula language.  Formulas are opaque
 * (struct xc_formula, defined by formula/) and evaluated through an
 * xc_engine, a table of function pointers that formula/ provides
 * (xc_formula_engine()).  Formulas are position-independent: relative
 * references are stored as offsets, so every member of a shared-formula
 * group points at the same xc_formula.
 *
 * Recalculation: an edit marks the dependents of the edited cell dirty;
 * xc_book_recalc evaluates exactly the dirty cells in topological order
 * (iteratively: no recursion over chains, so 10^6-long chains are fine).
 * Cells on a cycle get #CIRC! and are listed by xc_book_cycles.
 * Volatile formulas (TODAY, RAND...) and formulas with dynamic references
 * (INDIRECT, OFFSET) are re-evaluated on every recalc.
 *
 * Example:
 *     xc_book *b = xc_book_new();
 *     int s;
 *     xc_book_add_sheet(b, "表11", strlen("表11"), &s);
 *     xc_value v = {0}; xc_value_set_int(&v, 5);
 *     xc_book_set_value(b, s, 0, 0, &v);           // A1 = 5
 *     xc_value_clear(&v);
 *     xc_book_set_engine(b, xc_formula_engine(), NULL);
 *     ... xc_book_set_formula(b, s, 0, 1, f, NULL);  // B1 = formula f
 *     xc_book_recalc(b);
 *     const xc_value *r = xc_book_get(b, s, 0, 1);
 *     xc_book_free(b);
 */
#ifndef EXACALC_BOOK_H
#define EXACALC_BOOK_H

#include "exacalc/value.h"

typedef struct xc_book xc_book;
typedef struct xc_formula xc_formula; /* opaque; defined by formula/ */

/* Precedent flags reported by xc_engine.precedents. */
#define XC_DEP_VOLATILE 1u /* re-evaluate on every recalc */
#define XC_DEP_DYNAMIC 2u  /* references known only when evaluated */

/* How the kernel evaluates formulas.  ctx is the pointer given to
 * xc_book_set_engine. */
typedef struct xc_engine {
    /* Evaluate f placed at (sheet,row,col); store the result in *out
     * (empty on entry).  Spreadsheet errors are values: return XC_OK.
     * Return a status only for C-level failure (XC_ENOMEM, XC_ELIMIT,
     * XC_EINTR).  The result may be an array: for an array formula the
     * kernel spreads it over the formula's range. */
    int (*eval)(void *ctx, xc_book *b, int sheet, uint32_t row, uint32_t col,
                const xc_formula *f, xc_value *out);
    /* Report the static precedents of f placed at (sheet,row,col): call
     * add(ud, area) for each referenced area (defined names expanded).
     * Set *flags to XC_DEP_* bits. */
    int (*precedents)(void *ctx, xc_book *b, int sheet, uint32_t row,
                      uint32_t col, const xc_formula *f,
                      int (*add)(void *ud, const xc_area *a), void *ud,
                      unsigned *flags);
    void (*retain)(xc_formula *f);
    void (*release)(xc_formula *f);
    /* Optional (NULL: never known).  Nonzero when every cell f reads
     * lies before the cell it is placed in (an earlier row of its own
     * sheet, or to the left in the same row) wherever it is placed, and
     * f is neither volatile nor dynamic: a full recalculation in the
     * cells' order then need not ask for its precedents. */
    int (*before)(const xc_formula *f);
} xc_engine;

/* Cell flags */
#define XC_CELL_EDITED 1u     /* content changed since load */
#define XC_CELL_ARRAY 2u      /* anchor of an array formula (CSE) */
#define XC_CELL_ARRAY_PART 4u /* non-anchor cell of an array formula */
#define XC_CELL_UNSUPPORTED                                                    \
    8u /* formula the kernel cannot evaluate: the                              \
          stated value is kept as the value */

typedef struct xc_cell {
    uint32_t col;
    uint32_t style; /* index into the book's style table (cellXfs) */
    uint32_t node;  /* 0: plain constant; else 1 + index of its node */
    uint32_t flags; /* XC_CELL_* */
    xc_value v;     /* current value */
} xc_cell;

XC_API xc_book *xc_book_new(void);    /* NULL on OOM */
XC_API void xc_book_free(xc_book *b); /* NULL is a no-op */

XC_API void xc_book_set_engine(xc_book *b, const xc_engine *e, void *ctx);
XC_API const xc_engine *xc_book_engine(const xc_book *b);
XC_API void *xc_book_engine_ctx(const xc_book *b);

/* The last C-level error message recorded on the book (file, part,
 * cell, line:column where known); "" when none. */
XC_API const char *xc_book_errmsg(const xc_book *b);
XC_API void xc_book_set_errmsg(xc_book *b, const char *fmt, ...)
    XC_PRINTF(2, 3);

/* Date system: 0 = 1900 (with the fictitious 1900-02-29), 1 = 1904. */
XC_API void xc_book_set_date1904(xc_book *b, int on);

/* Loading mode: while on, xc_book_set_value/set_formula neither mark
 * cells XC_CELL_EDITED nor propagate dirtiness (loaders fill the book
 * this way; the stated value of a constant is then its value).  Turning
 * it off leaves every formula cell dirty. */
XC_API void xc_book_set_loading(xc_book *b, int on);
XC_API int xc_book_date1904(const xc_book *b);

/* Sheets.  Names are UTF-8, 1..31 characters, unique ignoring case. */
XC_API int xc_book_add_sheet(xc_book *b, const char *name, size_t n,
                             int *index);
XC_API int xc_book_sheet_count(const xc_book *b);
XC_API const char *xc_book_sheet_name(const xc_book *b, int sheet);
/* Index of the sheet named name (case-insensitive), or -1. */
XC_API int xc_book_find_sheet(const xc_book *b, const char *name, size_t n);
/* Used extent: *rows = 1 + last row holding a cell, *cols likewise;
 * 0, 0 for an empty sheet. */
XC_API void xc_book_sheet_extent(const xc_book *b, int sheet, uint32_t *rows,
                                 uint32_t *cols);
/* The smallest area holding every cell of the sheet into *a (0-based,
 * sheet set); 0 for an empty sheet, else 1. */
XC_API int xc_book_sheet_bounds(const xc_book *b, int sheet, xc_area *a);
/* 1 when some cell of the book has one of the XC_CELL_* flags, else 0. */
XC_API int xc_book_any_cell_flag(const xc_book *b, uint32_t flags);
/* Number of cells the sheet holds (what iterating it whole yields); 0
 * for an invalid sheet. */
XC_API size_t xc_book_cell_count(const xc_book *b, int sheet);

/* Cells.  xc_book_cell returns NULL when there is no cell; the pointer
 * is valid until the next call that adds or removes cells on that
 * sheet. */
XC_API xc_cell *xc_book_cell(const xc_book *b, int sheet, uint32_t row,
                             uint32_t col);
/* Current value; a static empty value when there is no cell.  Reading
 * a dirty formula cell during a recalculation evaluates it first (this
 * is how dynamic references stay correct). */
XC_API const xc_value *xc_book_get(xc_book *b, int sheet, uint32_t row,
                                   uint32_t col);

/* Set a constant (removes any formula).  Copies v.  Marks dependents
 * dirty.  An empty v with style 0 removes the cell.  Outside loading
 * mode a member of an array formula cannot be set (XC_EINVAL); in
 * loading mode setting an array cell records the file's value (current
 * and stated) and keeps the array formula. */
XC_API int xc_book_set_value(xc_book *b, int sheet, uint32_t row, uint32_t col,
                             const xc_value *v);
/* Set a formula: the cell takes one reference to f (the caller keeps
 * its own).  cached, when not NULL, is the value the file stated and
 * becomes the current value until recalculated.  The cell is dirty. */
XC_API int xc_book_set_formula(xc_book *b, int sheet, uint32_t row,
                               uint32_t col, xc_formula *f,
                               const xc_value *cached);
/* An array formula over `range` anchored at its top-left cell.  In
 * loading mode a value already set at the anchor is its cached value.
 * Overlapping another array is XC_EINVAL. */
XC_API int xc_book_set_array_formula(xc_book *b, int sheet,
                                     const xc_area *range, xc_formula *f);
XC_API int xc_book_set_style(xc_book *b, int sheet, uint32_t row, uint32_t col,
                             uint32_t style);
XC_API int xc_book_clear_cell(xc_book *b, int sheet, uint32_t row,
                              uint32_t col);
/* Mark a loaded cell's flags (e.g. XC_CELL_UNSUPPORTED). */
XC_API int xc_book_cell_flags_set(xc_book *b, int sheet, uint32_t row,
                                  uint32_t col, uint32_t flags);

/* Row flags.  XC_ROW_HIDDEN: the row is hidden (by the user, or by a
 * filter: xlsx keeps no difference).  A sheet may have an active filter
 * over rows [r1, r2] (xlsx: sheetPr filterMode with the autoFilter's
 * rows); its hidden rows there count as filtered out, as Excel treats
 * them: SUBTOTAL 1-11 leave out filtered rows, 101-111 every hidden
 * row.  Changing a flag or the filter outside loading mode makes the
 * formulas reading the rows concerned dirty.  The xlsx writer copies
 * the file's <row> elements as they were. */
#define XC_ROW_HIDDEN 1u
XC_API int xc_book_set_row_flags(xc_book *b, int sheet, uint32_t row,
                                 uint32_t flags);
XC_API uint32_t xc_book_row_flags(const xc_book *b, int sheet, uint32_t row);
/* Does any row of [r1, r2] carry a flag of `mask`?  (O(log n)) */
XC_API int xc_book_rows_flagged(const xc_book *b, int sheet, uint32_t r1,
                                uint32_t r2, uint32_t mask);
/* The sheet's active filter covers rows [r1, r2]; r1 > r2: no filter. */
XC_API int xc_book_set_sheet_filter(xc_book *b, int sheet, uint32_t r1,
                                    uint32_t r2);
/* 1 and the rows when the sheet has an active filter, else 0. */
XC_API int xc_book_sheet_filter(const xc_book *b, int sheet, uint32_t *r1,
                                uint32_t *r2);

/* The formula of a cell (NULL if none), and for array parts the anchor. */
XC_API xc_formula *xc_book_formula(const xc_book *b, int sheet, uint32_t row,
                                   uint32_t col);
XC_API int xc_book_array_range(const xc_book *b, int sheet, uint32_t row,
                               uint32_t col, xc_area *range);
/* The value the file stated for this cell when it was loaded (for a
 * formula: its cached value; for a constant: its original value).
 * NULL when the cell did not exist in the file or had no cached value. */
XC_API const xc_value *xc_book_stated(const xc_book *b, int sheet, uint32_t row,
                                      uint32_t col);
/* Record the stated value explicitly (loaders call this for constants
 * only when they want it kept separately; formulas get it from
 * xc_book_set_formula's cached argument). */
XC_API int xc_book_set_stated(xc_book *b, int sheet, uint32_t row, uint32_t col,
                              const xc_value *v);

/* Iterate the cells of an area of one sheet in row-major order.
 * The cell pointer is valid until the sheet's cells change. */
typedef struct xc_iter {
    const xc_book *b;
    int sheet;
    uint32_t r1, c1, r2, c2;
    uint32_t row; /* current row */
    uint32_t pos; /* position inside the current row vector */
    int started;
} xc_iter;
XC_API void xc_iter_init(xc_iter *it, const xc_book *b, const xc_area *a);
/* Next existing cell or NULL; *row, *col receive its position. */
XC_API xc_cell *xc_iter_next(xc_iter *it, uint32_t *row, uint32_t *col);

/* Styles: the loader registers the number-format code of each cellXfs
 * entry in order; index 0 is General.  Display and `verify` use it. */
XC_API int xc_book_add_style(xc_book *b, const char *numfmt, uint32_t *index);
XC_API const char *xc_book_style_numfmt(const xc_book *b, uint32_t style);
XC_API uint32_t xc_book_style_count(const xc_book *b);

/* Defined names.  sheet = -1 for workbook scope, else the sheet index
 * the name is local to.  The formula is kept as text (without '=') and
 * parsed by formula/ on first use; the kernel stores the parsed form.
 * Names compare case-insensitively; a sheet-local name shadows a
 * workbook name. */
XC_API int xc_book_add_name(xc_book *b, const char *name, int sheet,
                            const char *formula, int hidden);
XC_API int xc_book_name_count(const xc_book *b);
/* Index of the name visible from `sheet` (-1 for a workbook context),
 * or -1 when there is none. */
XC_API int xc_book_find_name(const xc_book *b, const char *name, size_t n,
                             int sheet);
XC_API const char *xc_book_name_text(const xc_book *b, int i);
XC_API const char *xc_book_name_formula(const xc_book *b, int i);
XC_API int xc_book_name_sheet(const xc_book *b, int i);
XC_API int xc_book_name_hidden(const xc_book *b, int i);
/* Cached parse of the name's formula (owned by the book; the setter
 * takes one reference). */
XC_API xc_formula *xc_book_name_parsed(const xc_book *b, int i);
XC_API void xc_book_name_set_parsed(xc_book *b, int i, xc_formula *f);

/* Recalculation.  Cycles do not make it fail: their cells get #CIRC!,
 * the status is XC_OK and xc_book_cycle_count tells.  XC_EINTR (the
 * interrupt flag was set) leaves the cells not reached dirty. */
XC_API int xc_book_recalc(xc_book *b);     /* dirty cells only */
XC_API int xc_book_recalc_all(xc_book *b); /* every formula cell */
/* Build the dependency index now.  A full recalculation in which every
 * formula reads only cells before its own needs none, and the first
 * edit after it builds it; an interactive session calls this after
 * opening a book so that its first edit is as quick as the others. */
XC_API int xc_book_index(xc_book *b);
/* Number of formula evaluations the last recalc performed (tests and
 * the benchmark use it to prove incremental recalculation). */
XC_API size_t xc_book_last_eval_count(const xc_book *b);
/* Cycles found by the last recalc: count, and the cells of cycle i
 * (sheet/row/col triples in *cells, *n of them; owned by the book). */
XC_API size_t xc_book_cycle_count(const xc_book *b);
typedef struct xc_cellpos {
    int32_t sheet;
    uint32_t row, col;
} xc_cellpos;
XC_API const xc_cellpos *xc_book_cycle(const xc_book *b, size_t i, size_t *n);

/* Graph queries for the REPL: direct precedents (areas, from the
 * engine) and direct dependents (formula cells) of a cell.  The
 * callback returns non-zero to stop early. */
XC_API int xc_book_dependents(xc_book *b, int sheet, uint32_t row, uint32_t col,
                              int (*fn)(void *ud, const xc_cellpos *p),
                              void *ud);

/* A cache an engine keeps beside a book (formula/ keeps the criteria
 * matches of SUMIF, COUNTIF... over large ranges), told of every change
 * of a stored cell value so that it never answers from stale values.
 * change is called just before (after = 0) and just after (after = 1)
 * each change of the value stored in (sheet,row,col), in pairs, never
 * while loading (the book resets the cache when loading starts and
 * ends); it reads the book but must not change it, and cannot fail (a
 * cache that cannot keep up drops what it holds).  A book holds one
 * cache: xc_book_set_cache attaches it (XC_EINVAL when a cache with other
 * ops is attached; the same ops replace it) and ops NULL detaches it;
 * free is called on the one detached or replaced, and by xc_book_free. */
typedef struct xc_book_cache_ops {
    void (*change)(void *cache, const xc_book *b, int sheet, uint32_t row,
                   uint32_t col, int after);
    void (*reset)(void *cache);
    void (*free)(void *cache);
} xc_book_cache_ops;
XC_API int xc_book_set_cache(xc_book *b, const xc_book_cache_ops *ops,
                             void *cache);
/* The cache attached with these ops, or NULL. */
XC_API void *xc_book_cache(const xc_book *b, const xc_book_cache_ops *ops);

/* Whether the formula being evaluated may trust stored values instead
 * of reading cells through xc_book_get: XC_SETTLED_ALL |
 * XC_SETTLED_STATIC outside a recalculation (every read returns the
 * stored value anyway); XC_SETTLED_STATIC alone while the recalculation
 * evaluates a cell in dependency order that is not on a possible cycle
 * (every cell inside a reference the formula states literally - a static
 * precedent - already holds its final value); 0 for on-demand
 * evaluations (dynamic references, members of a possible cycle) and
 * while loading. */
#define XC_SETTLED_STATIC 1u
#define XC_SETTLED_ALL 2u
XC_API unsigned xc_book_settled(const xc_book *b);

/* Attach loader data to the book (io/ keeps the original package for
 * round trips); free_fn is called by xc_book_free. */
XC_API void xc_book_set_userdata(xc_book *b, void *data,
                                 void (*free_fn)(void *));
XC_API void *xc_book_userdata(const xc_book *b);

#endif
