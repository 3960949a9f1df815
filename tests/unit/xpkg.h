/* xpkg.h - comparing packages and books in unit tests: the parts of
 * two xlsx files, inflated, and the cells of two books.  Include after
 * xtest.h. */
#ifndef XPKG_H
#define XPKG_H
#include <string.h>
#include <zip.h>
#include "exacalc/book.h"
#include "exacalc/formula.h"

static inline int read_entry(zip_t *z, zip_int64_t i, xc_buf *out)
{
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
    char tmp[8192];
    zip_int64_t n;
    if (!f)
        return -1;
    while ((n = zip_fread(f, tmp, sizeof tmp)) > 0)
        xc_buf_put(out, tmp, (size_t)n);
    zip_fclose(f);
    return n < 0 ? -1 : 0;
}

/* Number of parts whose inflated bytes differ between a and b (names
 * and order included); -1 when either cannot be opened. */
static inline int pkg_diff(const char *a, const char *b, xc_buf *names)
{
    int e, nd = 0;
    zip_t *za = zip_open(a, ZIP_RDONLY, &e), *zb = zip_open(b, ZIP_RDONLY, &e);
    if (!za || !zb) {
        if (za)
            zip_discard(za);
        if (zb)
            zip_discard(zb);
        return -1;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (zip_get_num_entries(zb, 0) != n)
        nd++;
    for (zip_int64_t i = 0; i < n && i < zip_get_num_entries(zb, 0); i++) {
        xc_buf x, y;
        xc_buf_init(&x);
        xc_buf_init(&y);
        read_entry(za, i, &x);
        read_entry(zb, i, &y);
        if (strcmp(zip_get_name(za, (zip_uint64_t)i, 0),
                   zip_get_name(zb, (zip_uint64_t)i, 0)) != 0 ||
            x.len != y.len || (x.len && memcmp(x.p, y.p, x.len) != 0)) {
            xc_buf_printf(names, "%s ", zip_get_name(za, (zip_uint64_t)i, 0));
            nd++;
        }
        xc_buf_clear(&x);
        xc_buf_clear(&y);
    }
    zip_discard(za);
    zip_discard(zb);
    return nd;
}

/* Whether two books hold the same cells: formulas printing the same
 * text, values identical.  The first difference is printed. */
static inline int books_same(xc_book *a, xc_book *b, const char *tag)
{
    int ns = xc_book_sheet_count(a), same = 1;
    xc_buf x, y;
    if (ns != xc_book_sheet_count(b))
        return 0;
    xc_buf_init(&x);
    xc_buf_init(&y);
    for (int s = 0; s < ns && same; s++) {
        xc_iter it, jt;
        xc_area ar = {s, s, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
        uint32_t r1, c1, r2, c2;
        xc_cell *p, *q;
        xc_iter_init(&it, a, &ar);
        xc_iter_init(&jt, b, &ar);
        for (;;) {
            p = xc_iter_next(&it, &r1, &c1);
            q = xc_iter_next(&jt, &r2, &c2);
            if (!p || !q) {
                same = !p && !q;
                break;
            }
            xc_formula *f = xc_book_formula(a, s, r1, c1);
            xc_formula *g = xc_book_formula(b, s, r2, c2);
            xc_buf_reset(&x);
            xc_buf_reset(&y);
            if (f)
                xc_formula_print(&x, f, a, s, r1, c1);
            if (g)
                xc_formula_print(&y, g, b, s, r2, c2);
            if (r1 != r2 || c1 != c2 || !f != !g || x.len != y.len ||
                (x.len && memcmp(x.p, y.p, x.len) != 0) ||
                !xc_value_identical(&p->v, &q->v) || p->flags != q->flags) {
                printf("  %s: sheet %d cell %u,%u differs\n", tag, s, r1, c1);
                same = 0;
                break;
            }
        }
    }
    xc_buf_clear(&x);
    xc_buf_clear(&y);
    return same;
}

/* Write an xlsx of stored parts: parts is name, text, name, text...,
 * NULL.  0 on success. */
static inline int xpkg_write(const char *path, const char *const *parts)
{
    int e;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
    if (!z)
        return -1;
    for (int i = 0; parts[i]; i += 2) {
        zip_source_t *s =
            zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        if (!s || zip_file_add(z, parts[i], s, 0) < 0) {
            zip_discard(z);
            return -1;
        }
    }
    return zip_close(z);
}
/* [Content_Types].xml up to its end tag: the workbook and one sheet */
#define XPKG_CT_HEAD                                                           \
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"           \
    "content-types\"><Default Extension=\"rels\" "                             \
    "ContentType=\"application/"                                               \
    "vnd.openxmlformats-package.relationships+xml\"/><Default "                \
    "Extension=\"xml\" ContentType=\"application/xml\"/><Override "            \
    "PartName=\"/xl/workbook.xml\" ContentType=\"application/"                 \
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"       \
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "                        \
    "ContentType=\"application/"                                               \
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
#define XPKG_CT XPKG_CT_HEAD "</Types>"
#define XPKG_RELS                                                              \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"   \
    "relationships\"><Relationship Id=\"rId1\" "                               \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"            \
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"              \
    "</Relationships>"
#define XPKG_WB                                                                \
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"       \
    "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"                 \
    "officeDocument/2006/relationships\"><sheets><sheet name=\"S\" "           \
    "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define XPKG_WB_RELS                                                           \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"   \
    "relationships\"><Relationship Id=\"rId1\" "                               \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"            \
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"             \
    "</Relationships>"

/* A one-sheet package (sheet "S") with the given sheet XML. */
static inline int xpkg_book1(const char *path, const char *sheet)
{
    const char *parts[] = {"[Content_Types].xml",
                           XPKG_CT,
                           "_rels/.rels",
                           XPKG_RELS,
                           "xl/workbook.xml",
                           XPKG_WB,
                           "xl/_rels/workbook.xml.rels",
                           XPKG_WB_RELS,
                           "xl/worksheets/sheet1.xml",
                           sheet,
                           NULL};
    return xpkg_write(path, parts);
}
#endif
