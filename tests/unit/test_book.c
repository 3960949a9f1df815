/* test_book.c - workbook storage: sheets, cells, iteration, extent,
 * styles, defined names, stated values, flags, user data.  Formulas are
 * a stand-in struct with a counting engine defined here. */
#include <stdlib.h>

#include "exacalc/book.h"
#include "xtest.h"

struct xc_formula {
    int refs;
    int64_t k; /* evaluates to k */
};

static int alive;

static xc_formula *fnew(int64_t k)
{
    xc_formula *f = calloc(1, sizeof *f);
    f->refs = 1;
    f->k = k;
    alive++;
    return f;
}

static void f_retain(xc_formula *f)
{
    f->refs++;
}

static void f_release(xc_formula *f)
{
    if (f && --f->refs == 0) {
        free(f);
        alive--;
    }
}

static int fk_eval(void *ctx, xc_book *b, int sheet, uint32_t row, uint32_t col,
                   const xc_formula *f, xc_value *out)
{
    xc_value_set_int(out, f->k);
    return XC_OK;
}

static int fk_prec(void *ctx, xc_book *b, int sheet, uint32_t row, uint32_t col,
                   const xc_formula *f, int (*add)(void *ud, const xc_area *a),
                   void *ud, unsigned *flags)
{
    *flags = 0;
    return XC_OK;
}

static const xc_engine fake = {fk_eval, fk_prec, f_retain, f_release, NULL};

static int64_t as_int(const xc_value *v)
{
    int64_t i = -999999;
    if (v && v->type == XC_NUMBER)
        xc_num_get_int64(&v->u.num, &i);
    return i;
}

static int setn(xc_book *b, int s, uint32_t r, uint32_t c, int64_t n)
{
    xc_value v = {0};
    xc_value_set_int(&v, n);
    int st = xc_book_set_value(b, s, r, c, &v);
    xc_value_clear(&v);
    return st;
}

static int64_t geti(xc_book *b, int s, uint32_t r, uint32_t c)
{
    return as_int(xc_book_get(b, s, r, c));
}

static void test_sheets(void)
{
    xc_book *b = xc_book_new();
    int i = -1;
    CHECK(xc_book_add_sheet(b, "表11", strlen("表11"), &i) == XC_OK);
    CHECK(i == 0);
    CHECK(xc_book_add_sheet(b, "Data", 4, &i) == XC_OK && i == 1);
    CHECK(xc_book_add_sheet(b, "DATA", 4, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "", 0, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "a:b", 3, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "a[1]", 4, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "a/b", 3, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "a?", 2, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "a*", 2, &i) == XC_EINVAL);
    CHECK(xc_book_add_sheet(b, "a\\b", 3, &i) == XC_EINVAL);
    const char *l31 = "abcdefghijklmnopqrstuvwxyz01234";
    CHECK(xc_book_add_sheet(b, l31, 31, &i) == XC_OK);
    CHECK(xc_book_add_sheet(b, "abcdefghijklmnopqrstuvwxyz012345", 32, &i) ==
          XC_EINVAL);
    /* 31 CJK characters (93 bytes) are fine, 32 are not */
    char cjk[200] = "";
    for (int k = 0; k < 31; k++)
        strcat(cjk, "表");
    CHECK(xc_book_add_sheet(b, cjk, strlen(cjk), &i) == XC_OK);
    strcat(cjk, "表");
    CHECK(xc_book_add_sheet(b, cjk, strlen(cjk), &i) == XC_EINVAL);
    CHECK(xc_book_sheet_count(b) == 4);
    CHECK_STR(xc_book_sheet_name(b, 1), "Data");
    CHECK(xc_book_sheet_name(b, 9) == NULL);
    CHECK(xc_book_find_sheet(b, "data", 4) == 1);
    CHECK(xc_book_find_sheet(b, "表11", strlen("表11")) == 0);
    CHECK(xc_book_find_sheet(b, "nope", 4) == -1);
    /* set on a missing sheet */
    CHECK(setn(b, 7, 0, 0, 1) == XC_EINVAL);
    CHECK(setn(b, 0, XC_MAX_ROWS, 0, 1) == XC_EINVAL);
    CHECK(setn(b, 0, 0, XC_MAX_COLS, 1) == XC_EINVAL);
    xc_book_free(b);
    xc_book_free(NULL);
}

static void test_cells(void)
{
    xc_book *b = xc_book_new();
    CHECK(xc_book_add_sheet(b, "S", 1, NULL) == XC_OK);
    uint32_t rows, cols;
    xc_book_sheet_extent(b, 0, &rows, &cols);
    CHECK(rows == 0 && cols == 0);
    xc_area box;
    CHECK(xc_book_sheet_bounds(b, 0, &box) == 0);
    CHECK(xc_book_sheet_bounds(b, 1, &box) == 0); /* no such sheet */
    CHECK(xc_book_get(b, 0, 3, 3)->type == XC_EMPTY);
    CHECK(xc_book_cell(b, 0, 3, 3) == NULL);
    /* appended in order, then inserted out of order */
    for (uint32_t c = 0; c < 1000; c++)
        CHECK(setn(b, 0, 5, c, c) == XC_OK);
    CHECK(setn(b, 0, 2, 7, 70) == XC_OK);
    CHECK(setn(b, 0, 2, 3, 30) == XC_OK);
    CHECK(setn(b, 0, 2, 5, 50) == XC_OK);
    xc_value t = {0};
    CHECK(xc_value_set_text(&t, "得分", strlen("得分")) == XC_OK);
    CHECK(xc_book_set_value(b, 0, 9, 1, &t) == XC_OK);
    xc_value_clear(&t);
    int ok = 1;
    for (uint32_t c = 0; c < 1000; c++)
        ok &= geti(b, 0, 5, c) == (int64_t)c;
    CHECK(ok);
    CHECK(geti(b, 0, 2, 3) == 30 && geti(b, 0, 2, 5) == 50 &&
          geti(b, 0, 2, 7) == 70);
    const xc_value *v = xc_book_get(b, 0, 9, 1);
    CHECK(v->type == XC_TEXT && strcmp(v->u.str->s, "得分") == 0);
    xc_book_sheet_extent(b, 0, &rows, &cols);
    CHECK(rows == 10 && cols == 1000);
    /* rows 2, 5 and 9; columns 0 (row 5) to 999 (row 5) */
    CHECK(xc_book_sheet_bounds(b, 0, &box) == 1);
    CHECK(box.sheet == 0 && box.sheet2 == 0 && box.r1 == 2 && box.r2 == 9 &&
          box.c1 == 0 && box.c2 == 999);
    CHECK(xc_book_any_cell_flag(b, XC_CELL_UNSUPPORTED) == 0);
    CHECK(xc_book_cell_flags_set(b, 0, 9, 1, XC_CELL_UNSUPPORTED) == XC_OK);
    CHECK(xc_book_any_cell_flag(b, XC_CELL_UNSUPPORTED) == 1);
    /* overwrite keeps one cell */
    CHECK(setn(b, 0, 2, 5, 51) == XC_OK);
    CHECK(geti(b, 0, 2, 5) == 51);
    /* iterate an area in row-major order */
    xc_area a = {0, 0, 2, 4, 5, 6};
    xc_iter it;
    xc_iter_init(&it, b, &a);
    uint32_t r, c, seen[16][2];
    int n = 0;
    xc_cell *cell;
    while ((cell = xc_iter_next(&it, &r, &c)) && n < 16) {
        seen[n][0] = r;
        seen[n][1] = c;
        n++;
    }
    CHECK(n == 4);
    CHECK(n == 4 && seen[0][0] == 2 && seen[0][1] == 5 && seen[1][0] == 5 &&
          seen[1][1] == 4 && seen[2][0] == 5 && seen[2][1] == 5 &&
          seen[3][1] == 6);
    CHECK(xc_iter_next(&it, &r, &c) == NULL);
    /* iteration far beyond the used rows ends */
    xc_area all = {0, 0, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
    xc_iter_init(&it, b, &all);
    n = 0;
    while (xc_iter_next(&it, NULL, NULL))
        n++;
    CHECK(n == 1004);
    /* removal: an empty value removes the cell; extent shrinks */
    xc_value e = {0};
    CHECK(xc_book_set_value(b, 0, 9, 1, &e) == XC_OK);
    CHECK(xc_book_cell(b, 0, 9, 1) == NULL);
    CHECK(setn(b, 0, 5, 999, 1) == XC_OK);
    CHECK(xc_book_clear_cell(b, 0, 5, 999) == XC_OK);
    xc_book_sheet_extent(b, 0, &rows, &cols);
    CHECK(rows == 6 && cols == 999);
    /* a styled empty cell stays */
    CHECK(xc_book_set_style(b, 0, 20, 20, 3) == XC_OK);
    cell = xc_book_cell(b, 0, 20, 20);
    CHECK(cell && cell->style == 3 && cell->v.type == XC_EMPTY);
    CHECK(setn(b, 0, 20, 20, 4) == XC_OK);
    cell = xc_book_cell(b, 0, 20, 20);
    CHECK(cell && cell->style == 3);
    CHECK(xc_book_set_value(b, 0, 20, 20, &e) == XC_OK);
    CHECK(xc_book_cell(b, 0, 20, 20) != NULL);
    xc_book_sheet_extent(b, 0, &rows, &cols);
    CHECK(rows == 21 && cols == 999);
    CHECK(xc_book_sheet_bounds(b, 0, &box) == 1);
    CHECK(box.r1 == 2 && box.r2 == 20 && box.c1 == 0 && box.c2 == 998);
    /* the flagged cell went with its value */
    CHECK(xc_book_any_cell_flag(b, XC_CELL_UNSUPPORTED) == 0);
    /* references cannot be stored */
    xc_value ref = {0};
    xc_area ra = {0, 0, 0, 0, 0, 0};
    CHECK(xc_value_set_area(&ref, &ra) == XC_OK);
    CHECK(xc_book_set_value(b, 0, 0, 0, &ref) == XC_EINVAL);
    xc_value_clear(&ref);
    xc_book_free(b);
}

static void test_styles_names(void)
{
    xc_book *b = xc_book_new();
    CHECK(xc_book_add_sheet(b, "S1", 2, NULL) == XC_OK);
    CHECK(xc_book_add_sheet(b, "S2", 2, NULL) == XC_OK);
    uint32_t i;
    CHECK(xc_book_style_count(b) == 0);
    CHECK_STR(xc_book_style_numfmt(b, 0), "General");
    CHECK(xc_book_add_style(b, "General", &i) == XC_OK && i == 0);
    CHECK(xc_book_add_style(b, "0.00%", &i) == XC_OK && i == 1);
    CHECK(xc_book_add_style(b, NULL, &i) == XC_OK && i == 2);
    CHECK(xc_book_style_count(b) == 3);
    CHECK_STR(xc_book_style_numfmt(b, 1), "0.00%");
    CHECK_STR(xc_book_style_numfmt(b, 2), "General");
    CHECK_STR(xc_book_style_numfmt(b, 77), "General");

    CHECK(xc_book_add_name(b, "Rate", -1, "S1!$A$1", 0) == XC_OK);
    CHECK(xc_book_add_name(b, "rate", 1, "S2!$B$2", 1) == XC_OK);
    CHECK(xc_book_add_name(b, "总分", -1, "SUM(S1!A:A)", 0) == XC_OK);
    CHECK(xc_book_add_name(b, "x", 5, "1", 0) == XC_EINVAL);
    CHECK(xc_book_name_count(b) == 3);
    int g = xc_book_find_name(b, "RATE", 4, -1);
    int l = xc_book_find_name(b, "RATE", 4, 1);
    int g0 = xc_book_find_name(b, "rate", 4, 0);
    CHECK(g == 0 && l == 1 && g0 == 0);
    CHECK_STR(xc_book_name_formula(b, l), "S2!$B$2");
    CHECK_STR(xc_book_name_text(b, g), "Rate");
    CHECK(xc_book_name_sheet(b, l) == 1 && xc_book_name_sheet(b, g) == -1);
    CHECK(xc_book_name_hidden(b, l) == 1 && xc_book_name_hidden(b, g) == 0);
    CHECK(xc_book_find_name(b, "总分", strlen("总分"), 1) == 2);
    CHECK(xc_book_find_name(b, "none", 4, -1) == -1);
    /* a sheet-local name is invisible elsewhere without a global one */
    CHECK(xc_book_add_name(b, "OnlyHere", 0, "1", 0) == XC_OK);
    CHECK(xc_book_find_name(b, "onlyhere", 8, 0) == 3);
    CHECK(xc_book_find_name(b, "onlyhere", 8, 1) == -1);
    CHECK(xc_book_find_name(b, "onlyhere", 8, -1) == -1);
    /* redefinition in the same scope replaces */
    CHECK(xc_book_add_name(b, "RATE", -1, "S1!$C$3", 0) == XC_OK);
    CHECK(xc_book_name_count(b) == 4);
    CHECK_STR(xc_book_name_formula(b, 0), "S1!$C$3");
    /* parsed cache: the book owns one reference */
    xc_book_set_engine(b, &fake, NULL);
    xc_formula *f = fnew(1);
    xc_book_name_set_parsed(b, 0, f);
    CHECK(xc_book_name_parsed(b, 0) == f);
    xc_formula *f2 = fnew(2);
    xc_book_name_set_parsed(b, 0, f2);
    CHECK(alive == 1 && xc_book_name_parsed(b, 0) == f2);
    xc_book_free(b);
    CHECK(alive == 0);
}

static int freed;
static void ud_free(void *p)
{
    freed += *(int *)p;
}

static void test_misc(void)
{
    xc_book *b = xc_book_new();
    CHECK_STR(xc_book_errmsg(b), "");
    xc_book_set_errmsg(b, "%s: cell %s: %d", "x.xlsx", "B2", 7);
    CHECK_STR(xc_book_errmsg(b), "x.xlsx: cell B2: 7");
    CHECK(xc_book_date1904(b) == 0);
    xc_book_set_date1904(b, 1);
    CHECK(xc_book_date1904(b) == 1);
    CHECK(xc_book_engine(b) == NULL);
    int x = 1, y = 10;
    xc_book_set_userdata(b, &x, ud_free);
    CHECK(xc_book_userdata(b) == &x);
    xc_book_set_userdata(b, &y, ud_free); /* the old one is freed */
    CHECK(freed == 1);
    CHECK(xc_book_add_sheet(b, "S", 1, NULL) == XC_OK);
    /* formulas need an engine */
    xc_formula *f = fnew(1);
    CHECK(xc_book_set_formula(b, 0, 0, 0, f, NULL) == XC_EINVAL);
    int ctx;
    xc_book_set_engine(b, &fake, &ctx);
    CHECK(xc_book_engine(b) == &fake && xc_book_engine_ctx(b) == &ctx);
    CHECK(xc_book_set_formula(b, 0, 0, 0, f, NULL) == XC_OK);
    CHECK(xc_book_formula(b, 0, 0, 0) == f);
    CHECK(f->refs == 2);
    f_release(f);
    xc_book_free(b);
    CHECK(freed == 11);
    CHECK(alive == 0);
}

static void test_stated(void)
{
    xc_book *b = xc_book_new();
    xc_book_set_engine(b, &fake, NULL);
    CHECK(xc_book_add_sheet(b, "S", 1, NULL) == XC_OK);
    xc_book_set_loading(b, 1);
    CHECK(setn(b, 0, 0, 0, 1) == XC_OK);
    CHECK(setn(b, 0, 1, 0, 2) == XC_OK);
    xc_value cached = {0};
    xc_value_set_int(&cached, 99);
    xc_formula *f = fnew(5);
    CHECK(xc_book_set_formula(b, 0, 2, 0, f, &cached) == XC_OK);
    /* unsupported formula: the stated value is kept */
    CHECK(xc_book_set_formula(b, 0, 3, 0, f, &cached) == XC_OK);
    CHECK(xc_book_cell_flags_set(b, 0, 3, 0, XC_CELL_UNSUPPORTED) == XC_OK);
    CHECK(xc_book_cell_flags_set(b, 0, 30, 0, 1) == XC_ENOTFOUND);
    /* an explicit stated value for a constant */
    CHECK(setn(b, 0, 4, 0, 7) == XC_OK);
    xc_value s8 = {0};
    xc_value_set_int(&s8, 8);
    CHECK(xc_book_set_stated(b, 0, 4, 0, &s8) == XC_OK);
    CHECK(xc_book_set_stated(b, 0, 40, 0, &s8) == XC_ENOTFOUND);
    xc_book_set_loading(b, 0);
    xc_cell *c = xc_book_cell(b, 0, 0, 0);
    CHECK(c && c->flags == 0 && c->node == 0);
    CHECK(as_int(xc_book_stated(b, 0, 0, 0)) == 1);
    CHECK(as_int(xc_book_stated(b, 0, 2, 0)) == 99);
    CHECK(as_int(xc_book_stated(b, 0, 4, 0)) == 8);
    CHECK(geti(b, 0, 4, 0) == 7);
    CHECK(xc_book_recalc(b) == XC_OK);
    CHECK(xc_book_last_eval_count(b) == 1);
    CHECK(geti(b, 0, 2, 0) == 5 && geti(b, 0, 3, 0) == 99);
    CHECK(as_int(xc_book_stated(b, 0, 2, 0)) == 99);
    /* edits: stated values survive */
    CHECK(setn(b, 0, 0, 0, 10) == XC_OK);
    CHECK(setn(b, 0, 2, 0, 11) == XC_OK); /* formula -> constant */
    CHECK(xc_book_formula(b, 0, 2, 0) == NULL);
    CHECK(as_int(xc_book_stated(b, 0, 0, 0)) == 1);
    CHECK(as_int(xc_book_stated(b, 0, 2, 0)) == 99);
    c = xc_book_cell(b, 0, 2, 0);
    CHECK(c && (c->flags & XC_CELL_EDITED));
    CHECK(xc_book_set_formula(b, 0, 1, 0, f, NULL) == XC_OK);
    CHECK(as_int(xc_book_stated(b, 0, 1, 0)) == 2);
    CHECK(geti(b, 0, 1, 0) == 2); /* until recalculated */
    CHECK(xc_book_recalc(b) == XC_OK);
    CHECK(geti(b, 0, 1, 0) == 5);
    /* replacing the unsupported formula by a constant clears the flag */
    CHECK(setn(b, 0, 3, 0, 4) == XC_OK);
    c = xc_book_cell(b, 0, 3, 0);
    CHECK(c && c->flags == XC_CELL_EDITED && geti(b, 0, 3, 0) == 4);
    CHECK(as_int(xc_book_stated(b, 0, 3, 0)) == 99);
    /* new cells have no stated value */
    CHECK(setn(b, 0, 9, 9, 1) == XC_OK);
    CHECK(xc_book_stated(b, 0, 9, 9) == NULL);
    CHECK(xc_book_set_formula(b, 0, 9, 8, f, NULL) == XC_OK);
    CHECK(xc_book_stated(b, 0, 9, 8) == NULL);
    CHECK(xc_book_stated(b, 0, 50, 50) == NULL);
    f_release(f);
    xc_value_clear(&cached);
    xc_value_clear(&s8);
    xc_book_free(b);
    CHECK(alive == 0);
}

/* Allocation failures leave the book usable and leak nothing. */
static void test_oom(void)
{
    for (long k = 0; k < 60; k++) {
        xc_book *b = xc_book_new();
        if (!b)
            continue;
        xc_book_set_engine(b, &fake, NULL);
        xc_alloc_fail_after(k);
        int st = xc_book_add_sheet(b, "S", 1, NULL);
        for (uint32_t r = 0; r < 20 && !st; r++) {
            st = setn(b, 0, r, 0, r);
            xc_formula *f = fnew(r);
            if (!st)
                st = xc_book_set_formula(b, 0, r, 1, f, NULL);
            f_release(f);
        }
        if (!st)
            st = xc_book_recalc(b);
        xc_alloc_fail_after(-1);
        CHECK(st == XC_OK || st == XC_ENOMEM);
        if (xc_book_sheet_count(b) == 1) {
            /* whatever got in is consistent: a full recalc works */
            CHECK(xc_book_recalc_all(b) == XC_OK);
            int ok = 1;
            for (uint32_t r = 0; r < 20; r++)
                if (xc_book_formula(b, 0, r, 1))
                    ok &= geti(b, 0, r, 1) == (int64_t)r;
            if (!ok)
                fprintf(stderr, "oom k=%ld\n", k);
            CHECK(ok);
        }
        xc_book_free(b);
    }
    CHECK(alive == 0);
}

/* Rows whose first cell was stored while loading (a slot in a block of
 * one-cell rows): second cells in order and out of order, cells
 * removed and added again, edits after loading, formulas, freeing, and
 * allocation failures on the way. */
static void test_slab_rows(void)
{
    const uint32_t nr = 5000;
    xc_book *b = xc_book_new();
    xc_book_set_engine(b, &fake, NULL);
    CHECK(xc_book_add_sheet(b, "S", 1, NULL) == XC_OK);
    xc_book_set_loading(b, 1);
    for (uint32_t r = 0; r < nr; r++) {
        if (r % 50 == 7) {
            xc_formula *f = fnew(r);
            CHECK(xc_book_set_formula(b, 0, r, 3, f, NULL) == XC_OK);
            f_release(f);
        } else {
            CHECK(setn(b, 0, r, 3, r) == XC_OK);
        }
        if (r % 10 == 1) /* a second cell right away */
            CHECK(setn(b, 0, r, 5, r + 1) == XC_OK);
        if (r % 100 == 30) /* removed, then stored again */
            CHECK(xc_book_clear_cell(b, 0, r, 3) == XC_OK);
        if (r % 100 == 31)
            CHECK(setn(b, 0, r - 1, 4, 7) == XC_OK);
        if (r > 0 && r % 100 == 40) /* an earlier row grows */
            CHECK(setn(b, 0, r - 38, 1, -1) == XC_OK);
    }
    xc_book_set_loading(b, 0);
    /* edits after loading */
    CHECK(setn(b, 0, 60, 0, 600) == XC_OK);
    CHECK(setn(b, 0, 61, 9, 610) == XC_OK);
    CHECK(xc_book_clear_cell(b, 0, 62, 3) == XC_OK);
    CHECK(setn(b, 0, 62, 4, 620) == XC_OK);
    CHECK(xc_book_clear_cell(b, 0, 63, 3) == XC_OK);
    CHECK(xc_book_recalc_all(b) == XC_OK);
    int ok = 1;
    size_t n = 0, want = 0;
    for (uint32_t r = 0; r < nr; r++) {
        int64_t w3 = r % 100 == 30 || r == 62 || r == 63 ? -999999 : (int64_t)r;
        ok &= geti(b, 0, r, 3) == w3;
        want += w3 != -999999;
        ok &= geti(b, 0, r, 5) == (r % 10 == 1 ? (int64_t)r + 1 : -999999);
        want += r % 10 == 1;
        ok &= geti(b, 0, r, 4) == (r % 100 == 30 ? 7 : r == 62 ? 620 : -999999);
        want += r % 100 == 30 || r == 62;
        ok &= geti(b, 0, r, 1) == (r % 100 == 2 && r + 38 < nr ? -1 : -999999);
        want += r % 100 == 2 && r + 38 < nr;
        if (!ok) {
            fprintf(stderr, "slab rows: row %u\n", r);
            break;
        }
    }
    ok &= geti(b, 0, 60, 0) == 600 && geti(b, 0, 61, 9) == 610;
    want += 2;
    xc_iter it;
    xc_area a = {0, 0, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
    uint32_t rr, cc;
    xc_iter_init(&it, b, &a);
    while (xc_iter_next(&it, &rr, &cc))
        n++;
    CHECK(ok);
    CHECK(n == want);
    CHECK(xc_book_cell_count(b, 0) == n);
    CHECK(xc_book_cell_count(b, 1) == 0);
    xc_book_free(b);
    CHECK(alive == 0);
    /* failures while loading leave a book that frees cleanly */
    for (long k = 0; k < 40; k++) {
        b = xc_book_new();
        if (!b)
            continue;
        xc_book_set_engine(b, &fake, NULL);
        int st = xc_book_add_sheet(b, "S", 1, NULL);
        xc_book_set_loading(b, 1);
        xc_alloc_fail_after(k);
        for (uint32_t r = 0; r < 200 && !st; r++) {
            st = setn(b, 0, r, 0, r);
            if (!st && r % 3 == 0)
                st = setn(b, 0, r, 2, r);
        }
        xc_alloc_fail_after(-1);
        CHECK(st == XC_OK || st == XC_ENOMEM);
        xc_book_set_loading(b, 0);
        xc_book_free(b);
    }
}

int main(void)
{
    test_sheets();
    test_cells();
    test_styles_names();
    test_misc();
    test_stated();
    test_oom();
    test_slab_rows();
    return xtest_done();
}
