/* exacalc/xlsx.h - reading and writing .xlsx packages (and CSV).
 *
 * Reading streams every worksheet straight from the zip into the book
 * (libzip + namespace-aware expat); the original package stays attached
 * to the book so that writing copies every untouched part raw and
 * rewrites only sheets whose cells changed (XLSX.md).
 *
 * Errors: a status and a one-line message in *err naming the file, the
 * part and, where known, the cell or line:column, e.g.
 *   "form.xlsx: xl/worksheets/sheet1.xml:12:40: invalid number 'x1'".
 *
 * Example:
 *     xc_book *b; xc_buf err; xc_buf_init(&err);
 *     if (xc_xlsx_load("in.xlsx", NULL, &b, &err) != XC_OK) {
 *         show(err.p); ...
 *     }
 *     xc_book_recalc_all(b);
 *     xc_xlsx_save(b, "out.xlsx", &err);
 *     xc_book_free(b);
 */
#ifndef EXACALC_XLSX_H
#define EXACALC_XLSX_H

#include "exacalc/formula.h"

typedef struct xc_load_opts {
    uint64_t max_part_bytes;  /* inflated bytes per part; 0: default 1 GiB */
    uint64_t max_total_bytes; /* per workbook; 0: default 4 GiB */
    uint64_t max_cells;       /* per workbook; 0: default 50 million */
} xc_load_opts;

/* Load an .xlsx/.xlsm/.xltx file.  The book gets the formula engine and
 * every cell's stated value; nothing is recalculated. */
XC_API int xc_xlsx_load(const char *path, const xc_load_opts *o, xc_book **out,
                        xc_buf *err);
/* Write the book to path atomically (temporary file ".~xc-NAME-PID.tmp"
 * in the same folder, then rename; such files left by a killed save of
 * the same target are removed first).  A book loaded from xlsx is
 * written as a round trip of its package; any other book through the
 * built-in minimal template. */
XC_API int xc_xlsx_save(xc_book *b, const char *path, xc_buf *err);

/* Merged ranges of a sheet as the file stated them (<mergeCells>; the
 * value lives in the top-left cell).  *areas is owned by the book and
 * valid until it is freed; *n = 0 for books not loaded from xlsx. */
XC_API int xc_xlsx_merges(const xc_book *b, int sheet, const xc_area **areas,
                          size_t *n);
/* Original formula text (without '=') of a loaded cell whose formula the
 * kernel does not evaluate and which is held as its cached value only
 * (unparseable formulas, dataTable); NULL for every other cell. */
XC_API const char *xc_xlsx_orig_formula(const xc_book *b, int sheet,
                                        uint32_t row, uint32_t col);

/* Annotating a loaded workbook (books not loaded from xlsx:
 * XC_EUNSUPPORTED).  A new cell style: a copy of cellXfs entry
 * base_style whose fill is a solid fill of colour argb (0xAARRGGBB);
 * the same (base, colour) gives the same style.  Saving appends the
 * fill and the xf to styles.xml, everything else of it kept byte for
 * byte; give the style to cells with xc_book_set_style.  XC_EUNSUPPORTED
 * when the package has no usable styles part. */
XC_API int xc_xlsx_style_with_fill(xc_book *b, uint32_t base_style,
                                   uint32_t argb, uint32_t *new_style);
/* A note (legacy comment) on a cell, written on save as a comments part
 * with its VML drawing.  A second call for the same cell replaces the
 * text.  XC_EUNSUPPORTED for a sheet that already has comments or a VML
 * drawing of its own (it is left as it is) and for chart sheets. */
XC_API int xc_xlsx_add_comment(xc_book *b, int sheet, uint32_t row,
                               uint32_t col, const char *author,
                               const char *text);

/* CSV: UTF-8 (with or without BOM) or GB18030 input; output UTF-8.
 * Cells are values (numbers recognised exactly, TRUE/FALSE, error
 * literals; quoted fields are text); nothing is a formula. */
XC_API int xc_csv_load(const char *path, xc_book **out, xc_buf *err);
XC_API int xc_csv_save(xc_book *b, int sheet, const char *path, xc_buf *err);
/* As xc_csv_save with flags: XC_CSV_GUARD prefixes text that starts
 * with = + - @ (or TAB/CR) with an apostrophe against formula
 * injection when the CSV is opened by a spreadsheet. */
#define XC_CSV_GUARD 1u
XC_API int xc_csv_save_ex(xc_book *b, int sheet, const char *path,
                          unsigned flags, xc_buf *err);

#endif
