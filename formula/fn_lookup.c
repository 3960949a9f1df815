/* fn_lookup.c - spreadsheet functions of the "lookup" category: finding
 * values in tables (VLOOKUP, MATCH, XLOOKUP...), building references
 * (INDEX, OFFSET, INDIRECT, CHOOSE), describing them (ROW, COLUMNS,
 * AREAS, ADDRESS) and reshaping arrays (TRANSPOSE, FILTER, SORT,
 * UNIQUE).
 *
 * Functions that may return references carry XC_FN_REFRESULT; OFFSET
 * and INDIRECT, whose references are known only when evaluated, also
 * XC_FN_DYNREF so the scheduler re-evaluates them on every recalc. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "formula_int.h"

/* ---- Helpers ------------------------------------------------------- */

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

/* Argument i truncated to an integer (def when omitted or not a
 * number), clamped to a wide int range. */
static int64_t iarg(xc_fncall *c, int i, int64_t def)
{
    int64_t v;
    if (i >= c->argc || c->argv[i].type != XC_NUMBER)
        return def;
    xc_num_trunc_clamp(&c->argv[i].u.num, -((int64_t)1 << 40), (int64_t)1 << 40,
                       &v);
    return v;
}

/* A logical argument: TRUE or a non-zero number; def when omitted. */
static int truth(xc_fncall *c, int i, int def)
{
    if (i >= c->argc)
        return def;
    if (c->argv[i].type == XC_BOOL)
        return c->argv[i].u.b != 0;
    if (c->argv[i].type == XC_NUMBER)
        return !xc_num_is_zero(&c->argv[i].u.num);
    return def;
}

/* Argument omitted entirely, or written as an empty slot. */
static int omitted(xc_fncall *c, int i)
{
    if (i >= c->argc)
        return 1;
    if (!c->nodes)
        return c->argv[i].type == XC_EMPTY;
    return c->nodes[i]->kind == XN_MISSING;
}

/* A reference result for one area. */
static int area_out(xc_value *out, const xc_area *a)
{
    xc_value_clear(out);
    return xc_value_set_area(out, a);
}

/* The sub-rectangle [r0, r0+nr) x [c0, c0+nc) of a grid: an area for a
 * reference, a fresh array (or a scalar when 1x1) otherwise. */
static int sub_grid(xc_grid *g, uint32_t r0, uint32_t c0, uint32_t nr,
                    uint32_t nc, xc_value *out)
{
    xc_array *arr;
    int st;
    if (g->v->type == XC_REF) {
        xc_area a = g->area;
        a.r1 += r0;
        a.c1 += c0;
        a.r2 = a.r1 + nr - 1;
        a.c2 = a.c1 + nc - 1;
        return area_out(out, &a);
    }
    if (nr == 1 && nc == 1)
        return xc_value_copy(out, xc_grid_get(g, r0, c0));
    st = xc_value_set_array(out, nr, nc, &arr);
    for (uint32_t i = 0; i < nr && st == XC_OK; i++)
        for (uint32_t j = 0; j < nc && st == XC_OK; j++)
            st = xc_value_copy(&arr->v[(size_t)i * nc + j],
                               xc_grid_get(g, r0 + i, c0 + j));
    return st;
}

/* Rows of a grid that can hold anything (a reference beyond the sheet's
 * used extent is empty). */
static uint32_t used_rows(xc_grid *g)
{
    uint32_t er, ec;
    if (g->v->type != XC_REF)
        return g->rows;
    xc_book_sheet_extent(g->ev->book, g->area.sheet, &er, &ec);
    if (er <= g->area.r1)
        return 0;
    return er - g->area.r1 < g->rows ? er - g->area.r1 : g->rows;
}

static uint32_t used_cols(xc_grid *g)
{
    uint32_t er, ec;
    if (g->v->type != XC_REF)
        return g->cols;
    xc_book_sheet_extent(g->ev->book, g->area.sheet, &er, &ec);
    if (ec <= g->area.c1)
        return 0;
    return ec - g->area.c1 < g->cols ? ec - g->area.c1 : g->cols;
}

/* ---- Searching ----------------------------------------------------- */

/* A line of a grid: row `fixed` (horizontal) or column `fixed`. */
typedef struct line {
    xc_grid *g;
    int horiz;
    uint32_t fixed;
    uint32_t n;    /* length */
    uint32_t used; /* positions that may be non-empty */
} line;

static const xc_value *line_get(const line *l, uint32_t i)
{
    return l->horiz ? xc_grid_get(l->g, l->fixed, i)
                    : xc_grid_get(l->g, i, l->fixed);
}

static void line_init(line *l, xc_grid *g, int horiz, uint32_t fixed)
{
    l->g = g;
    l->horiz = horiz;
    l->fixed = fixed;
    l->n = horiz ? g->cols : g->rows;
    l->used = horiz ? used_cols(g) : used_rows(g);
}

static int type_class(const xc_value *v)
{
    switch (v->type) {
    case XC_NUMBER:
        return 1;
    case XC_TEXT:
        return 2;
    case XC_BOOL:
        return 3;
    default:
        return 0;
    }
}

/* Order of two values of the same class. */
static int cmp_same(const xc_value *a, const xc_value *b)
{
    switch (a->type) {
    case XC_NUMBER:
        return xc_num_cmp(&a->u.num, &b->u.num);
    case XC_TEXT:
        return xc_text_cmp_ci(a->u.str->s, a->u.str->len, b->u.str->s,
                              b->u.str->len);
    default:
        return (a->u.b != 0) - (b->u.b != 0);
    }
}

/* Exact equality for lookups: same class, text case-insensitive, with
 * wildcards when `wild`. */
static int lookup_eq(const xc_value *x, const xc_value *v, int wild)
{
    if (type_class(x) != type_class(v) || !type_class(x))
        return 0;
    if (x->type == XC_TEXT && wild)
        return xc_wild_match(x->u.str->s, x->u.str->len, v->u.str->s,
                             v->u.str->len);
    return cmp_same(x, v) == 0;
}

/* Linear exact search; returns the index or -1. */
static int64_t find_exact(const line *l, const xc_value *x, int wild,
                          int reverse)
{
    uint32_t n = type_class(x) ? l->used : l->n;
    wild =
        wild && x->type == XC_TEXT && xc_wild_has(x->u.str->s, x->u.str->len);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = reverse ? n - 1 - k : k;
        if (lookup_eq(x, line_get(l, i), wild))
            return i;
    }
    return -1;
}

/* Binary search over data sorted ascending (desc = 0) or descending:
 * the last position whose value is <= x (ascending) or >= x
 * (descending), considering only values of x's class.  -1 if none. */
static int64_t find_sorted(const line *l, const xc_value *x, int desc)
{
    int64_t lo = 0, hi = (int64_t)l->used - 1, ans = -1;
    int cls = type_class(x);
    if (!cls)
        return -1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2, m = mid;
        const xc_value *v = line_get(l, (uint32_t)m);
        while (m >= lo && type_class(v) != cls) {
            if (--m >= lo)
                v = line_get(l, (uint32_t)m);
        }
        if (m < lo) {
            lo = mid + 1;
            continue;
        }
        int d = cmp_same(v, x);
        if (desc ? d >= 0 : d <= 0) {
            ans = m;
            lo = mid + 1;
        } else {
            hi = m - 1;
        }
    }
    return ans;
}

/* Excel's order across types for XLOOKUP's approximate modes: numbers
 * < text < logicals. */
static int cmp_any(const xc_value *a, const xc_value *b)
{
    int ca = type_class(a), cb = type_class(b);
    if (ca != cb)
        return ca < cb ? -1 : 1;
    return cmp_same(a, b);
}

/* Binary-search order: as cmp_any, with empty cells after everything
 * (Excel finds sorted data above trailing blanks, and an empty lookup
 * value finds the first blank). */
static int bin_class(const xc_value *v)
{
    return v->type == XC_EMPTY ? 4 : type_class(v);
}

static int cmp_bin(const xc_value *a, const xc_value *b)
{
    int ca = bin_class(a), cb = bin_class(b);
    if (ca != cb)
        return ca < cb ? -1 : 1;
    return ca == 4 ? 0 : cmp_same(a, b);
}

/* XLOOKUP's binary search, ascending: the first position whose value is
 * >= x (strict: > x); descending: the first whose value is <= x
 * (strict: < x).  l->used when there is none. */
static int64_t xbound(const line *l, const xc_value *x, int desc, int strict)
{
    int64_t lo = 0, hi = (int64_t)l->used;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int d = cmp_bin(line_get(l, (uint32_t)mid), x);
        int past = desc ? (strict ? d < 0 : d <= 0) : (strict ? d > 0 : d >= 0);
        if (past)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* XLOOKUP/XMATCH: match_mode 0 exact, -1 exact or next smaller, 1 exact
 * or next larger, 2 wildcard; search_mode 1 first-to-last, -1
 * last-to-first, 2 binary ascending, -2 binary descending.  An empty
 * lookup value finds an empty cell; the approximate modes compare
 * across types (numbers < text < logicals); the binary search returns
 * the first of equal values.  Returns -2 for #VALUE! (wildcards with a
 * binary search). */
static int64_t xfind(const line *l, const xc_value *x, int mode, int search)
{
    int64_t best = -1;
    int cls = type_class(x);
    if (search == 2 || search == -2) {
        /* ascending: the first of equal values; descending: the last */
        int64_t i, used = (int64_t)l->used;
        int desc = search < 0;
        if (mode == 2)
            return -2;
        i = xbound(l, x, desc, desc);
        if (desc) {
            /* i - 1 is the last value >= x (in descending order) */
            if (i > 0 && cmp_bin(line_get(l, (uint32_t)(i - 1)), x) == 0)
                return i - 1;
            if (mode == 0)
                return -1;
            return mode == 1 ? i - 1 : (i < used ? i : -1);
        }
        if (i < used && cmp_bin(line_get(l, (uint32_t)i), x) == 0)
            return i;
        if (mode == 0)
            return -1;
        if (mode == 1)
            return i < used ? i : -1;
        return i - 1;
    }
    uint32_t n = cls ? l->used : l->n;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = search < 0 ? n - 1 - k : k;
        const xc_value *v = line_get(l, i);
        if (!cls) {
            if (v->type == XC_EMPTY)
                return i;
            continue;
        }
        if (lookup_eq(x, v, mode == 2))
            return i;
        if ((mode == -1 || mode == 1) && type_class(v)) {
            int d = cmp_any(v, x);
            if ((mode == -1 && d < 0) || (mode == 1 && d > 0)) {
                if (best < 0) {
                    best = i;
                } else {
                    int e = cmp_any(v, line_get(l, (uint32_t)best));
                    if ((mode == -1 && e > 0) || (mode == 1 && e < 0))
                        best = i;
                }
            }
        }
    }
    return best;
}

/* ---- VLOOKUP, HLOOKUP, LOOKUP, MATCH ------------------------------- */

static int vh_lookup(xc_fncall *c, xc_value *out, int horiz)
{
    xc_grid g;
    line l;
    int64_t idx = iarg(c, 2, 0), pos;
    int approx = truth(c, 3, 1);
    const xc_value *x = &c->argv[0];
    if (c->argv[1].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[1].err);
    /* a text in place of the table: #VALUE! (Excel) */
    if (c->argv[1].type == XC_TEXT)
        return err_out(out, XC_ERR_VALUE);
    if (xc_grid_init(&g, c->ev, &c->argv[1]) != XC_OK)
        return err_out(out, XC_ERR_REF);
    if (idx < 1)
        return err_out(out, XC_ERR_VALUE);
    if (idx > (int64_t)(horiz ? g.rows : g.cols))
        return err_out(out, XC_ERR_REF);
    if (x->type == XC_EMPTY)
        return err_out(out, XC_ERR_NA);
    line_init(&l, &g, horiz, 0);
    pos = approx ? find_sorted(&l, x, 0) : find_exact(&l, x, 1, 0);
    if (pos < 0)
        return err_out(out, XC_ERR_NA);
    return xc_value_copy(
        out, horiz ? xc_grid_get(&g, (uint32_t)idx - 1, (uint32_t)pos)
                   : xc_grid_get(&g, (uint32_t)pos, (uint32_t)idx - 1));
}

static int fn_vlookup(xc_fncall *c, xc_value *out)
{
    return vh_lookup(c, out, 0);
}

static int fn_hlookup(xc_fncall *c, xc_value *out)
{
    return vh_lookup(c, out, 1);
}

/* LOOKUP(value, lookup_vector, [result_vector]) and the array form. */
static int fn_lookup(xc_fncall *c, xc_value *out)
{
    xc_grid g, r;
    line l;
    int64_t pos;
    int horiz;
    for (int i = 1; i < c->argc; i++)
        if (c->argv[i].type == XC_ERROR)
            return err_out(out, (xc_error)c->argv[i].err);
    if (xc_grid_init(&g, c->ev, &c->argv[1]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    if (c->argv[0].type == XC_EMPTY)
        return err_out(out, XC_ERR_NA);
    horiz = g.cols > g.rows;
    line_init(&l, &g, horiz, 0);
    pos = find_sorted(&l, &c->argv[0], 0);
    if (pos < 0)
        return err_out(out, XC_ERR_NA);
    if (c->argc < 3) {
        /* array form: the last row (or column) */
        return xc_value_copy(
            out, horiz ? xc_grid_get(&g, g.rows - 1, (uint32_t)pos)
                       : xc_grid_get(&g, (uint32_t)pos, g.cols - 1));
    }
    if (xc_grid_init(&r, c->ev, &c->argv[2]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    /* the result must be a vector (the lookup range may be 2-D: its
     * first row or column is searched) */
    if (r.rows > 1 && r.cols > 1)
        return err_out(out, XC_ERR_VALUE);
    {
        int rh = r.rows == 1 && r.cols > 1;
        uint32_t len = rh ? r.cols : r.rows;
        xc_value ref = {0};
        int st;
        if ((uint32_t)pos < len)
            return xc_value_copy(out, rh ? xc_grid_get(&r, 0, (uint32_t)pos)
                                         : xc_grid_get(&r, (uint32_t)pos, 0));
        /* a shorter result range reads on past its end (an array
         * cannot) */
        if (r.v->type != XC_REF)
            return err_out(out, XC_ERR_NA);
        if (r.rows == 1 && r.cols == 1)
            rh = horiz;
        st = sub_grid(&r, rh ? 0 : (uint32_t)pos, rh ? (uint32_t)pos : 0, 1, 1,
                      &ref);
        if (st == XC_OK)
            st = xc_deref(c->ev, &ref, out);
        xc_value_clear(&ref);
        return st;
    }
}

/* The line of a one-dimensional lookup array; 0 when it is 2-D. */
static int one_line(line *l, xc_grid *g)
{
    if (g->rows != 1 && g->cols != 1)
        return 0;
    line_init(l, g, g->rows == 1 && g->cols > 1, 0);
    return 1;
}

static int fn_match(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    line l;
    int64_t type = c->argc > 2 ? iarg(c, 2, 0) : 1, pos;
    if (c->argv[1].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[1].err);
    if (xc_grid_init(&g, c->ev, &c->argv[1]) != XC_OK || !one_line(&l, &g))
        return err_out(out, XC_ERR_NA);
    if (c->argv[0].type == XC_EMPTY)
        return err_out(out, XC_ERR_NA);
    if (type == 0)
        pos = find_exact(&l, &c->argv[0], 1, 0);
    else
        pos = find_sorted(&l, &c->argv[0], type < 0);
    if (pos < 0)
        return err_out(out, XC_ERR_NA);
    xc_value_set_int(out, pos + 1);
    return XC_OK;
}

/* Match mode 3 (regular expression): the first (or, searching from
 * the end, last) text value the pattern matches; numbers and logicals
 * never match.  -2 for #VALUE! (a bad pattern, or a binary search). */
static int64_t xfind_regex(const line *l, const xc_value *x, int search)
{
    xc_value t = {0};
    regex_t re;
    int64_t found = -1;
    if (search == 2 || search == -2)
        return -2;
    if (xc_to_text(x, &t) != XC_OK || t.type != XC_TEXT) {
        xc_value_clear(&t);
        return -2;
    }
    xc_error e = xc_regex_compile(&re, t.u.str->s, t.u.str->len, 0);
    xc_value_clear(&t);
    if (e)
        return -2;
    for (uint32_t k = 0; k < l->n && found < 0; k++) {
        uint32_t i = search < 0 ? l->n - 1 - k : k;
        const xc_value *v = line_get(l, i);
        if (v->type == XC_TEXT && regexec(&re, v->u.str->s, 0, NULL, 0) == 0)
            found = i;
    }
    regfree(&re);
    return found;
}

static int fn_xmatch(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    line l;
    int64_t mode = iarg(c, 2, 0), search = iarg(c, 3, 1), pos;
    if (c->argv[1].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[1].err);
    if (mode < -1 || mode > 3 ||
        (search != 1 && search != -1 && search != 2 && search != -2))
        return err_out(out, XC_ERR_VALUE);
    if (xc_grid_init(&g, c->ev, &c->argv[1]) != XC_OK || !one_line(&l, &g))
        return err_out(out, XC_ERR_VALUE);
    pos = mode == 3 ? xfind_regex(&l, &c->argv[0], (int)search)
                    : xfind(&l, &c->argv[0], (int)mode, (int)search);
    if (pos == -2)
        return err_out(out, XC_ERR_VALUE);
    if (pos < 0)
        return err_out(out, XC_ERR_NA);
    xc_value_set_int(out, pos + 1);
    return XC_OK;
}

/* XLOOKUP(value, lookup_array, return_array, [if_not_found],
 * [match_mode], [search_mode]). */
static int fn_xlookup(xc_fncall *c, xc_value *out)
{
    xc_grid g, r;
    line l;
    int64_t mode = iarg(c, 4, 0), search = iarg(c, 5, 1), pos;
    for (int i = 1; i < 3; i++)
        if (c->argv[i].type == XC_ERROR)
            return err_out(out, (xc_error)c->argv[i].err);
    if (mode < -1 || mode > 3 ||
        (search != 1 && search != -1 && search != 2 && search != -2))
        return err_out(out, XC_ERR_VALUE);
    if (xc_grid_init(&g, c->ev, &c->argv[1]) != XC_OK || !one_line(&l, &g) ||
        xc_grid_init(&r, c->ev, &c->argv[2]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    if ((l.horiz && r.cols != g.cols) || (!l.horiz && r.rows != g.rows))
        return err_out(out, XC_ERR_VALUE);
    pos = mode == 3 ? xfind_regex(&l, &c->argv[0], (int)search)
                    : xfind(&l, &c->argv[0], (int)mode, (int)search);
    if (pos == -2)
        return err_out(out, XC_ERR_VALUE);
    if (pos < 0) {
        if (!omitted(c, 3))
            return xc_value_copy(out, &c->argv[3]);
        return err_out(out, XC_ERR_NA);
    }
    if (l.horiz)
        return sub_grid(&r, 0, (uint32_t)pos, r.rows, 1, out);
    return sub_grid(&r, (uint32_t)pos, 0, 1, r.cols, out);
}

/* ---- INDEX, CHOOSE, OFFSET, INDIRECT ------------------------------- */

/* INDEX(array, row_num, [column_num], [area_num]); 0 selects a whole
 * row or column. */
static int fn_index(xc_fncall *c, xc_value *out)
{
    const xc_value *a = &c->argv[0];
    xc_value one = {0};
    xc_grid g;
    int64_t row = iarg(c, 1, 0), col = iarg(c, 2, 0), area = iarg(c, 3, 1);
    int st;
    if (a->type == XC_ERROR)
        return err_out(out, (xc_error)a->err);
    if (row < 0 || col < 0 || area < 1)
        return err_out(out, XC_ERR_VALUE);
    if (a->type == XC_REF) {
        if ((uint64_t)area > a->u.ref->n)
            return err_out(out, XC_ERR_REF);
        st = xc_value_set_area(&one, &a->u.ref->a[area - 1]);
        if (st != XC_OK)
            return st;
        a = &one;
    } else if (area != 1) {
        return err_out(out, XC_ERR_REF);
    }
    if (xc_grid_init(&g, c->ev, a) != XC_OK) {
        xc_value_clear(&one);
        return err_out(out, XC_ERR_REF);
    }
    /* a single row (or column) indexed by one number */
    if (omitted(c, 2) && g.rows == 1 && g.cols > 1) {
        col = row;
        row = 1;
    } else if (omitted(c, 2) && g.cols == 1) {
        col = 1;
    }
    if ((uint64_t)row > g.rows || (uint64_t)col > g.cols) {
        xc_value_clear(&one);
        return err_out(out, XC_ERR_REF);
    }
    st = sub_grid(&g, row ? (uint32_t)row - 1 : 0, col ? (uint32_t)col - 1 : 0,
                  row ? 1 : g.rows, col ? 1 : g.cols, out);
    xc_value_clear(&one);
    return st;
}

/* CHOOSE(index, value1, ...): only the chosen argument is evaluated,
 * and a reference stays a reference. */
static int fn_choose(xc_fncall *c, xc_value *out)
{
    xc_value k = {0};
    int64_t i;
    int st = xc_fn_arg(c, 0, 'n', &k);
    if (st != XC_OK)
        return st;
    if (k.type == XC_ERROR) {
        xc_value_move(out, &k);
        return XC_OK;
    }
    if (k.type != XC_NUMBER) {
        xc_value_clear(&k);
        return err_out(out, XC_ERR_VALUE);
    }
    xc_num_trunc_clamp(&k.u.num, 0, XC_FORMULA_MAX_ARGS + 1, &i);
    xc_value_clear(&k);
    if (i < 1 || i >= c->argc)
        return err_out(out, XC_ERR_VALUE);
    st = xc_fn_arg(c, (int)i, 'a', out);
    if (st == XC_OK && c->nodes[i]->kind == XN_MISSING)
        xc_value_set_int(out, 0);
    return st;
}

/* OFFSET(reference, rows, cols, [height], [width]). */
static int fn_offset(xc_fncall *c, xc_value *out)
{
    const xc_value *r = &c->argv[0];
    xc_area a;
    int64_t dr = iarg(c, 1, 0), dc = iarg(c, 2, 0), h, w, r1, c1;
    if (r->type != XC_REF || r->u.ref->n != 1)
        return err_out(out, XC_ERR_VALUE);
    a = r->u.ref->a[0];
    h = omitted(c, 3) ? (int64_t)(a.r2 - a.r1 + 1) : iarg(c, 3, 0);
    w = omitted(c, 4) ? (int64_t)(a.c2 - a.c1 + 1) : iarg(c, 4, 0);
    /* sizes truncate (3.99 is 3), but a positive fraction below 1 is one
       row or column: Excel's SUM(OFFSET(W39,2,2,3,0.9)) sums one column */
    if (h == 0 && !omitted(c, 3) && c->argv[3].type == XC_NUMBER &&
        xc_num_sign(&c->argv[3].u.num) > 0)
        h = 1;
    if (w == 0 && !omitted(c, 4) && c->argv[4].type == XC_NUMBER &&
        xc_num_sign(&c->argv[4].u.num) > 0)
        w = 1;
    if (h == 0 || w == 0)
        return err_out(out, XC_ERR_REF);
    r1 = (int64_t)a.r1 + dr;
    c1 = (int64_t)a.c1 + dc;
    /* a negative height or width extends up or left from the corner */
    if (h < 0) {
        r1 += h + 1;
        h = -h;
    }
    if (w < 0) {
        c1 += w + 1;
        w = -w;
    }
    if (r1 < 0 || c1 < 0 || r1 + h > (int64_t)XC_MAX_ROWS ||
        c1 + w > (int64_t)XC_MAX_COLS)
        return err_out(out, XC_ERR_REF);
    a.r1 = (uint32_t)r1;
    a.c1 = (uint32_t)c1;
    a.r2 = (uint32_t)(r1 + h - 1);
    a.c2 = (uint32_t)(c1 + w - 1);
    return area_out(out, &a);
}

/* Read an R1C1 coordinate part: 'R' or 'C' then an absolute number or
 * [offset]; a bare letter is offset 0. */
static int r1c1_part(const char **p, const char *e, char letter, uint32_t base,
                     uint32_t max, uint32_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    int neg = 0, bracket = 0, rel;
    if (s >= e || (*s | 0x20) != (letter | 0x20))
        return -1;
    s++;
    rel = s >= e || *s < '0' || *s > '9';
    if (s < e && *s == '[') {
        bracket = 1;
        s++;
        if (s < e && (*s == '-' || *s == '+'))
            neg = *s++ == '-';
    }
    while (s < e && *s >= '0' && *s <= '9' && v < 10000000)
        v = v * 10 + (*s++ - '0');
    if (bracket) {
        if (s >= e || *s != ']')
            return -1;
        s++;
    }
    v = rel ? (int64_t)base + (neg ? -v : v) : v - 1;
    if (v < 0 || v >= (int64_t)max)
        return -1;
    *p = s;
    *out = (uint32_t)v;
    return 0;
}

/* An R1C1 reference: [sheet!]RnCn[:RnCn]. */
static int parse_r1c1(xc_eval *ev, const char *s, size_t n, xc_area *a)
{
    const char *e = s + n, *bang = NULL;
    for (const char *q = s; q < e; q++)
        if (*q == '!')
            bang = q;
    a->sheet = a->sheet2 = ev->sheet;
    if (bang) {
        const char *ns = s, *ne = bang;
        if (ne - ns >= 2 && *ns == '\'' && ne[-1] == '\'')
            ns++, ne--;
        a->sheet = a->sheet2 = xc_book_find_sheet(ev->book, ns, ne - ns);
        if (a->sheet < 0)
            return -1;
        s = bang + 1;
    }
    if (r1c1_part(&s, e, 'R', ev->row, XC_MAX_ROWS, &a->r1) ||
        r1c1_part(&s, e, 'C', ev->col, XC_MAX_COLS, &a->c1))
        return -1;
    a->r2 = a->r1;
    a->c2 = a->c1;
    if (s < e && *s == ':') {
        s++;
        if (r1c1_part(&s, e, 'R', ev->row, XC_MAX_ROWS, &a->r2) ||
            r1c1_part(&s, e, 'C', ev->col, XC_MAX_COLS, &a->c2))
            return -1;
    }
    if (s != e)
        return -1;
    if (a->r1 > a->r2) {
        uint32_t t = a->r1;
        a->r1 = a->r2;
        a->r2 = t;
    }
    if (a->c1 > a->c2) {
        uint32_t t = a->c1;
        a->c1 = a->c2;
        a->c2 = t;
    }
    return 0;
}

/* INDIRECT(ref_text, [a1]): the text is parsed as a formula at the
 * calling cell and must evaluate to a reference (a cell, range, whole
 * rows/columns or a defined name). */
static int fn_indirect(xc_fncall *c, xc_value *out)
{
    const xc_value *t = &c->argv[0];
    xc_formula *f = NULL;
    xc_parse_error pe;
    xc_parse_opts o;
    xc_value v = {0};
    int st;
    if (t->type != XC_TEXT || t->u.str->len == 0 ||
        t->u.str->len > XC_FORMULA_MAX_LEN)
        return err_out(out, XC_ERR_REF);
    if (!truth(c, 1, 1)) {
        xc_area a;
        if (parse_r1c1(c->ev, t->u.str->s, t->u.str->len, &a) != 0)
            return err_out(out, XC_ERR_REF);
        return area_out(out, &a);
    }
    if (t->u.str->s[0] == '=')
        return err_out(out, XC_ERR_REF);
    o.book = c->ev->book;
    o.sheet = c->ev->sheet;
    o.row = c->ev->row;
    o.col = c->ev->col;
    o.flags = 0;
    st = xc_formula_parse(&f, t->u.str->s, t->u.str->len, &o, &pe);
    if (st == XC_EPARSE)
        return err_out(out, XC_ERR_REF);
    if (st != XC_OK)
        return st;
    switch (f->root->kind) {
    case XN_REF:
    case XN_NAME:
        st = xc_eval_node(c->ev, f->root, &v);
        break;
    case XN_BINOP:
        if (f->root->u.op.op == XOP_RANGE) {
            st = xc_eval_node(c->ev, f->root, &v);
            break;
        }
        /* fall through */
    default:
        xc_result_error(&v, XC_ERR_REF);
    }
    xc_formula_release(f);
    if (st != XC_OK) {
        xc_value_clear(&v);
        return st;
    }
    /* anything but a reference, an undefined name included, is #REF! */
    if (v.type != XC_REF && (v.type != XC_ERROR || v.err == XC_ERR_NAME))
        xc_result_error(&v, XC_ERR_REF);
    xc_value_clear(out);
    xc_value_move(out, &v);
    return XC_OK;
}

/* ---- ROW, COLUMN, ROWS, COLUMNS, AREAS, ADDRESS -------------------- */

static int row_col(xc_fncall *c, xc_value *out, int col)
{
    const xc_area *a;
    xc_array *arr;
    uint32_t n;
    int st;
    if (omitted(c, 0)) {
        xc_value_set_int(out, (col ? c->ev->col : c->ev->row) + 1);
        return XC_OK;
    }
    if (c->argv[0].type != XC_REF)
        return err_out(out, XC_ERR_VALUE);
    if (c->argv[0].u.ref->n != 1)
        return err_out(out, XC_ERR_REF);
    a = &c->argv[0].u.ref->a[0];
    n = col ? a->c2 - a->c1 + 1 : a->r2 - a->r1 + 1;
    if (n == 1 || !(c->ev->flags & XC_EV_ARRAY) || n > 1000000) {
        xc_value_set_int(out, (col ? a->c1 : a->r1) + 1);
        return XC_OK;
    }
    st = xc_value_set_array(out, col ? 1 : n, col ? n : 1, &arr);
    for (uint32_t i = 0; i < n && st == XC_OK; i++)
        xc_value_set_int(&arr->v[i], (col ? a->c1 : a->r1) + i + 1);
    return st;
}

static int fn_row(xc_fncall *c, xc_value *out)
{
    return row_col(c, out, 0);
}

static int fn_column(xc_fncall *c, xc_value *out)
{
    return row_col(c, out, 1);
}

static int dims(xc_fncall *c, xc_value *out, int col)
{
    const xc_value *v = &c->argv[0];
    if (v->type == XC_ERROR)
        return err_out(out, (xc_error)v->err);
    if (v->type == XC_REF) {
        const xc_area *a = &v->u.ref->a[0];
        if (v->u.ref->n != 1)
            return err_out(out, XC_ERR_REF);
        xc_value_set_int(out, col ? a->c2 - a->c1 + 1 : a->r2 - a->r1 + 1);
    } else if (v->type == XC_ARRAY) {
        xc_value_set_int(out, col ? v->u.arr->cols : v->u.arr->rows);
    } else {
        xc_value_set_int(out, 1);
    }
    return XC_OK;
}

static int fn_rows(xc_fncall *c, xc_value *out)
{
    return dims(c, out, 0);
}

static int fn_columns(xc_fncall *c, xc_value *out)
{
    return dims(c, out, 1);
}

static int fn_areas(xc_fncall *c, xc_value *out)
{
    if (c->argv[0].type != XC_REF)
        return err_out(out, XC_ERR_VALUE);
    xc_value_set_int(out, c->argv[0].u.ref->n);
    return XC_OK;
}

/* Column letters of a 0-based column index. */
static void col_letters(xc_buf *b, uint32_t col, int *st)
{
    char tmp[8];
    int k = 0;
    col++;
    while (col) {
        tmp[k++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    while (k && *st == XC_OK)
        *st = xc_buf_putc(b, tmp[--k]);
}

/* Does a sheet name need quotes in a reference? */
static int needs_quotes(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(ch >= 0x80 || ch == '_' || ch == '.' ||
              (ch >= '0' && ch <= '9') ||
              ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')))
            return 1;
    }
    return 0;
}

/* ADDRESS(row, column, [abs_num], [a1], [sheet_text]). */
static int fn_address(xc_fncall *c, xc_value *out)
{
    int64_t row = iarg(c, 0, 0), col = iarg(c, 1, 0);
    int64_t abs = omitted(c, 2) ? 1 : iarg(c, 2, 1);
    int a1 = truth(c, 3, 1), st = XC_OK;
    int rabs = abs == 1 || abs == 2, cabs = abs == 1 || abs == 3;
    xc_buf b;
    if (row < 1 || col < 1 || row > XC_MAX_ROWS || col > XC_MAX_COLS ||
        abs < 1 || abs > 4)
        return err_out(out, XC_ERR_VALUE);
    xc_buf_init(&b);
    if (xc_arg_given(c, 4)) {
        xc_value t = {0};
        st = xc_to_text(&c->argv[4], &t);
        if (st == XC_OK && t.type == XC_TEXT) {
            const char *s = t.u.str->s;
            size_t n = t.u.str->len;
            if (needs_quotes(s, n)) {
                st = xc_buf_putc(&b, '\'');
                for (size_t i = 0; i < n && st == XC_OK; i++)
                    st = s[i] == '\'' ? xc_buf_puts(&b, "''")
                                      : xc_buf_putc(&b, s[i]);
                if (st == XC_OK)
                    st = xc_buf_putc(&b, '\'');
            } else {
                st = xc_buf_put(&b, s, n);
            }
            if (st == XC_OK)
                st = xc_buf_putc(&b, '!');
        }
        xc_value_clear(&t);
    }
    if (st == XC_OK && a1) {
        if (cabs)
            st = xc_buf_putc(&b, '$');
        col_letters(&b, (uint32_t)col - 1, &st);
        if (st == XC_OK)
            st = xc_buf_printf(&b, "%s%lld", rabs ? "$" : "", (long long)row);
    } else if (st == XC_OK) {
        st = xc_buf_printf(&b, rabs ? "R%lld" : "R[%lld]", (long long)row);
        if (st == XC_OK)
            st = xc_buf_printf(&b, cabs ? "C%lld" : "C[%lld]", (long long)col);
    }
    if (st == XC_OK)
        st = xc_value_set_text(out, b.p ? b.p : "", b.len);
    xc_buf_clear(&b);
    return st;
}

/* HYPERLINK(link_location, [friendly_name]): the cell shows the
 * friendly name (or the link); following links is not modelled. */
static int fn_hyperlink(xc_fncall *c, xc_value *out)
{
    return xc_value_copy(out, xc_arg_given(c, 1) ? &c->argv[1] : &c->argv[0]);
}

/* ---- Array reshaping ----------------------------------------------- */

#define MAX_CELLS xc_array_max(4000000u)

static int fn_transpose(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    xc_array *arr;
    int st;
    if (c->argv[0].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[0].err);
    if (xc_grid_init(&g, c->ev, &c->argv[0]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    if ((uint64_t)g.rows * g.cols > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    st = xc_value_set_array(out, g.cols, g.rows, &arr);
    for (uint32_t i = 0; i < g.rows && st == XC_OK; i++)
        for (uint32_t j = 0; j < g.cols && st == XC_OK; j++) {
            const xc_value *v = xc_grid_get(&g, i, j);
            xc_value *d = &arr->v[(size_t)j * g.rows + i];
            if (v->type == XC_EMPTY)
                xc_value_set_int(d, 0);
            else
                st = xc_value_copy(d, v);
        }
    return st;
}

/* Copy the rows (or columns, by_col) of g listed in keep[0..n) into a
 * new array. */
static int pick(xc_grid *g, const uint32_t *keep, uint32_t n, int by_col,
                xc_value *out)
{
    xc_array *arr;
    uint32_t rows = by_col ? g->rows : n, cols = by_col ? n : g->cols;
    int st = xc_value_set_array(out, rows, cols, &arr);
    for (uint32_t i = 0; i < rows && st == XC_OK; i++)
        for (uint32_t j = 0; j < cols && st == XC_OK; j++) {
            const xc_value *v = by_col ? xc_grid_get(g, i, keep[j])
                                       : xc_grid_get(g, keep[i], j);
            xc_value *d = &arr->v[(size_t)i * cols + j];
            if (v->type == XC_EMPTY)
                xc_value_set_int(d, 0);
            else
                st = xc_value_copy(d, v);
        }
    return st;
}

/* FILTER(array, include, [if_empty]). */
static int fn_filter(xc_fncall *c, xc_value *out)
{
    xc_grid g, inc;
    uint32_t *keep, n = 0, len;
    int by_col, st = XC_OK;
    for (int i = 0; i < 2; i++)
        if (c->argv[i].type == XC_ERROR)
            return err_out(out, (xc_error)c->argv[i].err);
    if (xc_grid_init(&g, c->ev, &c->argv[0]) != XC_OK ||
        xc_grid_init(&inc, c->ev, &c->argv[1]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    if (inc.cols == 1 && inc.rows == g.rows)
        by_col = 0;
    else if (inc.rows == 1 && inc.cols == g.cols)
        by_col = 1;
    else
        return err_out(out, XC_ERR_VALUE);
    if ((uint64_t)g.rows * g.cols > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    len = by_col ? g.cols : g.rows;
    keep = xc_malloc((len ? len : 1) * sizeof *keep);
    if (!keep)
        return XC_ENOMEM;
    for (uint32_t i = 0; i < len; i++) {
        const xc_value *v =
            by_col ? xc_grid_get(&inc, 0, i) : xc_grid_get(&inc, i, 0);
        xc_value b = {0};
        if (v->type == XC_ERROR) {
            xc_free(keep);
            return err_out(out, (xc_error)v->err);
        }
        if (v->type == XC_EMPTY)
            continue;
        st = xc_to_bool(v, &b);
        if (st != XC_OK) {
            xc_free(keep);
            return st;
        }
        if (b.type == XC_ERROR) {
            xc_free(keep);
            return err_out(out, XC_ERR_VALUE);
        }
        if (b.u.b)
            keep[n++] = i;
    }
    if (n == 0) {
        xc_free(keep);
        if (!omitted(c, 2))
            return xc_deref(c->ev, &c->argv[2], out);
        return err_out(out, XC_ERR_CALC);
    }
    st = pick(&g, keep, n, by_col, out);
    xc_free(keep);
    return st;
}

/* Sorting rows (or columns) of a grid by one key line. */
typedef struct sorter {
    xc_grid *g;
    uint32_t key;
    int by_col, desc;
} sorter;

static _Thread_local sorter *cur_sort;

/* Excel's sort order: numbers < text < logicals < errors < blanks, with
 * blanks last whatever the direction; ties keep their order. */
static int sort_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    sorter *s = cur_sort;
    const xc_value *va =
        s->by_col ? xc_grid_get(s->g, s->key, a) : xc_grid_get(s->g, a, s->key);
    xc_value ca = {0};
    const xc_value *vb;
    int d, ea, eb;
    xc_value_copy(&ca, va);
    vb =
        s->by_col ? xc_grid_get(s->g, s->key, b) : xc_grid_get(s->g, b, s->key);
    ea = ca.type == XC_EMPTY;
    eb = vb->type == XC_EMPTY;
    if (ea || eb)
        d = ea - eb;
    else {
        d = xc_value_cmp(&ca, vb);
        if (s->desc)
            d = -d;
    }
    xc_value_clear(&ca);
    if (d == 0)
        d = a < b ? -1 : a > b;
    return d;
}

/* SORT(array, [sort_index], [sort_order], [by_col]). */
static int fn_sort(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    sorter s;
    uint32_t *idx, len;
    int64_t key = omitted(c, 1) ? 1 : iarg(c, 1, 1);
    int64_t order = omitted(c, 2) ? 1 : iarg(c, 2, 1);
    int st;
    if (c->argv[0].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[0].err);
    if (xc_grid_init(&g, c->ev, &c->argv[0]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    s.g = &g;
    s.by_col = truth(c, 3, 0);
    s.desc = order == -1;
    if ((order != 1 && order != -1) || key < 1 ||
        (uint64_t)key > (s.by_col ? g.rows : g.cols))
        return err_out(out, XC_ERR_VALUE);
    if ((uint64_t)g.rows * g.cols > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    s.key = (uint32_t)key - 1;
    len = s.by_col ? g.cols : g.rows;
    idx = xc_malloc((len ? len : 1) * sizeof *idx);
    if (!idx)
        return XC_ENOMEM;
    for (uint32_t i = 0; i < len; i++)
        idx[i] = i;
    cur_sort = &s;
    qsort(idx, len, sizeof *idx, sort_cmp);
    cur_sort = NULL;
    st = pick(&g, idx, len, s.by_col, out);
    xc_free(idx);
    return st;
}

/* Rows (columns) i and j of g equal, case-insensitively. */
static int same_line(xc_grid *g, uint32_t i, uint32_t j, int by_col)
{
    uint32_t n = by_col ? g->rows : g->cols;
    for (uint32_t k = 0; k < n; k++) {
        xc_value a = {0};
        int d;
        xc_value_copy(&a, by_col ? xc_grid_get(g, k, i) : xc_grid_get(g, i, k));
        const xc_value *b =
            by_col ? xc_grid_get(g, k, j) : xc_grid_get(g, j, k);
        d = a.type != b->type ? 1 : xc_value_cmp(&a, b);
        xc_value_clear(&a);
        if (d)
            return 0;
    }
    return 1;
}

/* UNIQUE(array, [by_col], [exactly_once]). */
static int fn_unique(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    uint32_t *keep, n = 0, len;
    int by_col = truth(c, 1, 0), once = truth(c, 2, 0), st;
    if (c->argv[0].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[0].err);
    if (xc_grid_init(&g, c->ev, &c->argv[0]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    len = by_col ? g.cols : g.rows;
    if ((uint64_t)g.rows * g.cols > 100000)
        return err_out(out, XC_ERR_NUM);
    keep = xc_malloc((len ? len : 1) * sizeof *keep);
    if (!keep)
        return XC_ENOMEM;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t seen = 0, before = 0;
        for (uint32_t j = 0; j < len; j++)
            if (j != i && same_line(&g, i, j, by_col)) {
                seen++;
                if (j < i)
                    before = 1;
            }
        if (once ? seen == 0 : !before)
            keep[n++] = i;
    }
    if (n == 0) {
        xc_free(keep);
        return err_out(out, XC_ERR_CALC);
    }
    st = pick(&g, keep, n, by_col, out);
    xc_free(keep);
    return st;
}

/* ---- Dynamic-array helpers (Excel 365) ----------------------------- */

/* The grid of argument i, or an error result. */
static int grid_arg(xc_fncall *c, int i, xc_grid *g, xc_value *out, int *bad)
{
    *bad = 1;
    if (c->argv[i].type == XC_ERROR)
        return err_out(out, (xc_error)c->argv[i].err);
    if (xc_grid_init(g, c->ev, &c->argv[i]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    if ((uint64_t)g->rows * g->cols > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    *bad = 0;
    return XC_OK;
}

/* Copy rows rs[0..nr) x columns cs[0..nc) of g into a new array. */
static int pick2(xc_grid *g, const uint32_t *rs, uint32_t nr,
                 const uint32_t *cs, uint32_t nc, xc_value *out)
{
    xc_array *arr;
    int st = xc_value_set_array(out, nr, nc, &arr);
    for (uint32_t i = 0; i < nr && st == XC_OK; i++)
        for (uint32_t j = 0; j < nc && st == XC_OK; j++) {
            const xc_value *v = xc_grid_get(g, rs[i], cs[j]);
            xc_value *d = &arr->v[(size_t)i * nc + j];
            if (v->type == XC_EMPTY)
                xc_value_set_int(d, 0);
            else
                st = xc_value_copy(d, v);
        }
    return st;
}

/* Identity index list [from, from+n). */
static uint32_t *span_idx(uint32_t from, uint32_t n)
{
    uint32_t *p = xc_malloc((n ? n : 1) * sizeof *p);
    if (p)
        for (uint32_t i = 0; i < n; i++)
            p[i] = from + i;
    return p;
}

/* TAKE (keep) and DROP: rows/columns counted from the start, or from
 * the end when negative. */
static int take_drop(xc_fncall *c, xc_value *out, int take)
{
    xc_grid g;
    int bad, st = grid_arg(c, 0, &g, out, &bad);
    uint32_t r0, nr, c0, nc, *rs, *cs;
    int64_t want[2];
    if (bad)
        return st;
    want[0] = omitted(c, 1) ? (take ? g.rows : 0) : iarg(c, 1, 0);
    want[1] = omitted(c, 2) ? (take ? g.cols : 0) : iarg(c, 2, 0);
    if (take && (want[0] == 0 || want[1] == 0))
        return err_out(out, XC_ERR_CALC);
    for (int k = 0; k < 2; k++) {
        int64_t len = k ? g.cols : g.rows, w = want[k], a, n;
        if (w > len)
            w = len;
        if (w < -len)
            w = -len;
        if (take) {
            a = w >= 0 ? 0 : len + w;
            n = w >= 0 ? w : -w;
        } else {
            a = w >= 0 ? w : 0;
            n = len - (w >= 0 ? w : -w);
        }
        if (n <= 0)
            return err_out(out, XC_ERR_CALC);
        if (k) {
            c0 = (uint32_t)a;
            nc = (uint32_t)n;
        } else {
            r0 = (uint32_t)a;
            nr = (uint32_t)n;
        }
    }
    rs = span_idx(r0, nr);
    cs = span_idx(c0, nc);
    st = rs && cs ? pick2(&g, rs, nr, cs, nc, out) : XC_ENOMEM;
    xc_free(rs);
    xc_free(cs);
    return st;
}

static int fn_take(xc_fncall *c, xc_value *out)
{
    return take_drop(c, out, 1);
}

static int fn_drop(xc_fncall *c, xc_value *out)
{
    return take_drop(c, out, 0);
}

/* CHOOSECOLS / CHOOSEROWS(array, n1, ...): negative counts from the
 * end. */
static int choose_lines(xc_fncall *c, xc_value *out, int cols)
{
    xc_grid g;
    int bad, st = grid_arg(c, 0, &g, out, &bad);
    uint32_t n = (uint32_t)(c->argc - 1), len, *sel, *all;
    if (bad)
        return st;
    len = cols ? g.cols : g.rows;
    sel = xc_malloc(n * sizeof *sel);
    if (!sel)
        return XC_ENOMEM;
    for (uint32_t k = 0; k < n; k++) {
        int64_t v = iarg(c, (int)k + 1, 0);
        if (v == 0 || v > (int64_t)len || v < -(int64_t)len) {
            xc_free(sel);
            return err_out(out, XC_ERR_VALUE);
        }
        sel[k] = (uint32_t)(v > 0 ? v - 1 : (int64_t)len + v);
    }
    all = span_idx(0, cols ? g.rows : g.cols);
    if (!all)
        st = XC_ENOMEM;
    else if (cols)
        st = pick2(&g, all, g.rows, sel, n, out);
    else
        st = pick2(&g, sel, n, all, g.cols, out);
    xc_free(all);
    xc_free(sel);
    return st;
}

static int fn_choosecols(xc_fncall *c, xc_value *out)
{
    return choose_lines(c, out, 1);
}

static int fn_chooserows(xc_fncall *c, xc_value *out)
{
    return choose_lines(c, out, 0);
}

/* VSTACK / HSTACK: arrays appended; short ones padded with #N/A. */
static int stack(xc_fncall *c, xc_value *out, int horiz)
{
    xc_grid *g = xc_calloc((size_t)c->argc, sizeof *g);
    uint64_t along = 0, across = 0;
    xc_array *arr;
    int st = XC_OK;
    if (!g)
        return XC_ENOMEM;
    for (int i = 0; i < c->argc; i++) {
        if (c->argv[i].type == XC_ERROR) {
            xc_free(g);
            return err_out(out, (xc_error)c->argv[i].err);
        }
        if (xc_grid_init(&g[i], c->ev, &c->argv[i]) != XC_OK) {
            xc_free(g);
            return err_out(out, XC_ERR_VALUE);
        }
        along += horiz ? g[i].cols : g[i].rows;
        if ((horiz ? g[i].rows : g[i].cols) > across)
            across = horiz ? g[i].rows : g[i].cols;
    }
    if (along * across > MAX_CELLS) {
        xc_free(g);
        return err_out(out, XC_ERR_NUM);
    }
    st = xc_value_set_array(out, (uint32_t)(horiz ? across : along),
                            (uint32_t)(horiz ? along : across), &arr);
    uint32_t at = 0, ocols = horiz ? (uint32_t)along : (uint32_t)across;
    for (int i = 0; i < c->argc && st == XC_OK; i++) {
        uint32_t len = horiz ? g[i].cols : g[i].rows;
        for (uint32_t p = 0; p < len && st == XC_OK; p++)
            for (uint32_t q = 0; q < across && st == XC_OK; q++) {
                uint32_t r = horiz ? q : at + p, col = horiz ? at + p : q;
                xc_value *d = &arr->v[(size_t)r * ocols + col];
                if (q >= (horiz ? g[i].rows : g[i].cols)) {
                    xc_value_set_error(d, XC_ERR_NA);
                    continue;
                }
                const xc_value *v =
                    horiz ? xc_grid_get(&g[i], q, p) : xc_grid_get(&g[i], p, q);
                if (v->type == XC_EMPTY)
                    xc_value_set_int(d, 0);
                else
                    st = xc_value_copy(d, v);
            }
        at += len;
    }
    xc_free(g);
    return st;
}

static int fn_vstack(xc_fncall *c, xc_value *out)
{
    return stack(c, out, 0);
}

static int fn_hstack(xc_fncall *c, xc_value *out)
{
    return stack(c, out, 1);
}

/* TOCOL / TOROW(array, [ignore], [scan_by_column]): ignore 1 skips
 * blanks, 2 errors, 3 both. */
static int flatten(xc_fncall *c, xc_value *out, int to_col)
{
    xc_grid g;
    int bad, st = grid_arg(c, 0, &g, out, &bad);
    int64_t ignore = iarg(c, 1, 0);
    int by_col = truth(c, 2, 0);
    uint64_t total, n = 0;
    xc_array *arr;
    if (bad)
        return st;
    if (ignore < 0 || ignore > 3)
        return err_out(out, XC_ERR_VALUE);
    total = (uint64_t)g.rows * g.cols;
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            if (n == 0)
                return err_out(out, XC_ERR_CALC);
            st = xc_value_set_array(out, to_col ? (uint32_t)n : 1,
                                    to_col ? 1 : (uint32_t)n, &arr);
            if (st != XC_OK)
                return st;
            n = 0;
        }
        for (uint64_t k = 0; k < total && st == XC_OK; k++) {
            uint32_t r = (uint32_t)(by_col ? k % g.rows : k / g.cols);
            uint32_t col = (uint32_t)(by_col ? k / g.rows : k % g.cols);
            const xc_value *v = xc_grid_get(&g, r, col);
            if ((v->type == XC_EMPTY && (ignore & 1)) ||
                (v->type == XC_ERROR && (ignore & 2)))
                continue;
            if (pass) {
                if (v->type == XC_EMPTY)
                    xc_value_set_int(&arr->v[n], 0);
                else
                    st = xc_value_copy(&arr->v[n], v);
            }
            n++;
        }
    }
    return st;
}

static int fn_tocol(xc_fncall *c, xc_value *out)
{
    return flatten(c, out, 1);
}

static int fn_torow(xc_fncall *c, xc_value *out)
{
    return flatten(c, out, 0);
}

/* SORTBY(array, by_array1, [order1], by_array2, ...): rows (or columns,
 * when the keys are rows) in the order of the key arrays. */
typedef struct sortby {
    xc_grid *keys;
    int *desc;
    int nkeys;
} sortby;

static _Thread_local sortby *cur_sortby;

static int sortby_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    sortby *s = cur_sortby;
    for (int k = 0; k < s->nkeys; k++) {
        xc_grid *g = &s->keys[k];
        int horiz = g->rows == 1 && g->cols > 1;
        xc_value ca = {0};
        const xc_value *vb;
        int d, ea, eb;
        xc_value_copy(&ca, horiz ? xc_grid_get(g, 0, a) : xc_grid_get(g, a, 0));
        vb = horiz ? xc_grid_get(g, 0, b) : xc_grid_get(g, b, 0);
        ea = ca.type == XC_EMPTY;
        eb = vb->type == XC_EMPTY;
        if (ea || eb)
            d = ea - eb;
        else {
            d = xc_value_cmp(&ca, vb);
            if (s->desc[k])
                d = -d;
        }
        xc_value_clear(&ca);
        if (d)
            return d;
    }
    return a < b ? -1 : a > b;
}

static int fn_sortby(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    sortby s;
    uint32_t *idx, len;
    int bad, st = grid_arg(c, 0, &g, out, &bad), by_col = -1;
    if (bad)
        return st;
    s.nkeys = c->argc / 2;
    s.keys = xc_calloc((size_t)s.nkeys, sizeof *s.keys);
    s.desc = xc_calloc((size_t)s.nkeys, sizeof *s.desc);
    if (!s.keys || !s.desc) {
        xc_free(s.keys);
        xc_free(s.desc);
        return XC_ENOMEM;
    }
    for (int k = 0; k < s.nkeys; k++) {
        int i = 1 + 2 * k, kb;
        int64_t order = i + 1 < c->argc ? iarg(c, i + 1, 1) : 1;
        xc_grid *kg = &s.keys[k];
        if (c->argv[i].type == XC_ERROR ||
            xc_grid_init(kg, c->ev, &c->argv[i]) != XC_OK ||
            (order != 1 && order != -1))
            goto bad;
        if (kg->cols == 1 && kg->rows == g.rows)
            kb = 0;
        else if (kg->rows == 1 && kg->cols == g.cols)
            kb = 1;
        else
            goto bad;
        if (by_col >= 0 && kb != by_col)
            goto bad;
        by_col = kb;
        s.desc[k] = order == -1;
    }
    len = by_col ? g.cols : g.rows;
    idx = span_idx(0, len);
    if (!idx) {
        st = XC_ENOMEM;
    } else {
        cur_sortby = &s;
        qsort(idx, len, sizeof *idx, sortby_cmp);
        cur_sortby = NULL;
        st = pick(&g, idx, len, by_col, out);
    }
    xc_free(idx);
    xc_free(s.keys);
    xc_free(s.desc);
    return st;
bad:
    xc_free(s.keys);
    xc_free(s.desc);
    return err_out(out, XC_ERR_VALUE);
}

/* Drop the file-format prefixes (_xlfn. _xlws. _xlpm.) that Excel
 * stores but never shows, outside string literals, in place. */
static size_t strip_prefixes(char *s, size_t n)
{
    static const char *pre[] = {"_xlfn.", "_xlws.", "_xlpm."};
    size_t i = 0, o = 0;
    int inq = 0;
    while (i < n) {
        if (s[i] == '"')
            inq = !inq;
        if (!inq) {
            size_t k = 0;
            for (; k < sizeof pre / sizeof *pre; k++)
                if (n - i >= 6 && strncasecmp(s + i, pre[k], 6) == 0)
                    break;
            if (k < sizeof pre / sizeof *pre) {
                i += 6;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    s[o] = 0;
    return o;
}

/* FORMULATEXT(reference): the formula of the top-left cell as text.  A
 * member of an array formula shows the anchor's formula as written
 * (every cell of the array holds the same formula), not one shifted to
 * the member's position. */
static int fn_formulatext(xc_fncall *c, xc_value *out)
{
    const xc_area *a = &c->argv[0].u.ref->a[0];
    const xc_formula *f = xc_book_formula(c->ev->book, a->sheet, a->r1, a->c1);
    const xc_cell *cell = xc_book_cell(c->ev->book, a->sheet, a->r1, a->c1);
    uint32_t row = a->r1, col = a->c1;
    xc_area arr;
    xc_buf b;
    int st;
    if (!f)
        return err_out(out, XC_ERR_NA);
    if (cell && (cell->flags & XC_CELL_ARRAY_PART) &&
        xc_book_array_range(c->ev->book, a->sheet, a->r1, a->c1, &arr) ==
            XC_OK) {
        row = arr.r1;
        col = arr.c1;
    }
    xc_buf_init(&b);
    st = xc_buf_putc(&b, '=');
    if (st == XC_OK)
        st = xc_formula_print(&b, f, c->ev->book, a->sheet, row, col);
    if (st == XC_OK) {
        b.len = strip_prefixes(b.p, b.len);
        st = xc_value_set_text(out, b.p, b.len);
    }
    xc_buf_clear(&b);
    return st;
}

/* ---- WRAPROWS, WRAPCOLS, EXPAND ------------------------------------ */

/* The pad value of argument i: #N/A when omitted. */
static int pad_value(xc_fncall *c, int i, xc_value *pad)
{
    if (omitted(c, i)) {
        xc_result_error(pad, XC_ERR_NA);
        return XC_OK;
    }
    return xc_value_copy(pad, &c->argv[i]);
}

/* WRAPROWS(vector, wrap_count, [pad_with]) / WRAPCOLS: a row or column
 * cut into rows (columns) of wrap_count values, the last one padded. */
static int wrap(xc_fncall *c, xc_value *out, int cols)
{
    xc_grid g;
    xc_value pad = {0};
    xc_array *arr;
    int bad, st = grid_arg(c, 0, &g, out, &bad);
    int64_t w = iarg(c, 1, 0);
    uint64_t n, lines;
    if (bad)
        return st;
    if (g.rows > 1 && g.cols > 1)
        return err_out(out, XC_ERR_VALUE);
    if (w < 1)
        return err_out(out, XC_ERR_NUM);
    n = (uint64_t)g.rows * g.cols;
    lines = (n + (uint64_t)w - 1) / (uint64_t)w;
    if ((uint64_t)w > n)
        w = (int64_t)n;
    if (lines * (uint64_t)w > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    st = pad_value(c, 2, &pad);
    if (st == XC_OK)
        st = cols ? xc_value_set_array(out, (uint32_t)w, (uint32_t)lines, &arr)
                  : xc_value_set_array(out, (uint32_t)lines, (uint32_t)w, &arr);
    for (uint64_t k = 0; st == XC_OK && k < lines * (uint64_t)w; k++) {
        /* k runs along the result's lines: line k / w, place k % w */
        uint64_t ln = k / (uint64_t)w, at = k % (uint64_t)w;
        size_t idx = cols ? (size_t)(at * lines + ln) : (size_t)k;
        const xc_value *v = k < n
                                ? xc_grid_get(&g, g.rows > 1 ? (uint32_t)k : 0,
                                              g.rows > 1 ? 0 : (uint32_t)k)
                                : &pad;
        st = xc_value_copy(&arr->v[idx], v);
    }
    xc_value_clear(&pad);
    return st;
}

static int fn_wraprows(xc_fncall *c, xc_value *out)
{
    return wrap(c, out, 0);
}

static int fn_wrapcols(xc_fncall *c, xc_value *out)
{
    return wrap(c, out, 1);
}

/* EXPAND(array, rows, [columns], [pad_with]): the array grown to rows x
 * columns (omitted: unchanged), padded; smaller sizes are #VALUE!. */
static int fn_expand(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    xc_value pad = {0};
    xc_array *arr;
    int bad, st = grid_arg(c, 0, &g, out, &bad);
    int64_t nr, nc;
    if (bad)
        return st;
    nr = omitted(c, 1) ? g.rows : iarg(c, 1, 0);
    nc = omitted(c, 2) ? g.cols : iarg(c, 2, 0);
    if (nr < (int64_t)g.rows || nc < (int64_t)g.cols)
        return err_out(out, XC_ERR_VALUE);
    /* each side first: their product can pass 2^64 (fuzz finding 23) */
    if (nr > (int64_t)MAX_CELLS || nc > (int64_t)MAX_CELLS ||
        (uint64_t)nr * (uint64_t)nc > MAX_CELLS)
        return err_out(out, XC_ERR_NUM);
    st = pad_value(c, 3, &pad);
    if (st == XC_OK)
        st = xc_value_set_array(out, (uint32_t)nr, (uint32_t)nc, &arr);
    for (int64_t i = 0; st == XC_OK && i < nr; i++)
        for (int64_t j = 0; st == XC_OK && j < nc; j++)
            st = xc_value_copy(&arr->v[(size_t)(i * nc + j)],
                               i < g.rows && j < g.cols
                                   ? xc_grid_get(&g, (uint32_t)i, (uint32_t)j)
                                   : &pad);
    xc_value_clear(&pad);
    return st;
}

/* ---- Table ------------------------------------------------------------ */

/* ---- TRIMRANGE and the trim-reference operators ------------------- */

/* How a trim treats each of the two dimensions: Excel's trim_rows and
 * trim_cols codes, 0 none, 1 leading blanks, 2 trailing, 3 both. */
enum { TRIM_NONE = 0, TRIM_LEADING = 1, TRIM_TRAILING = 2, TRIM_ALL = 3 };

/* The bounding box of the non-blank cells of one sheet's area: returns 0
 * when every cell is blank (empty; a formula giving "" is not blank). */
/* Grow box (empty while *any is 0) to hold cell (r, col). */
static void box_add(xc_area *box, int *any, uint32_t r, uint32_t col)
{
    if (!*any) {
        box->r1 = box->r2 = r;
        box->c1 = box->c2 = col;
        *any = 1;
        return;
    }
    box->r1 = r < box->r1 ? r : box->r1;
    box->r2 = r > box->r2 ? r : box->r2;
    box->c1 = col < box->c1 ? col : box->c1;
    box->c2 = col > box->c2 ? col : box->c2;
}

static int area_used(xc_eval *ev, const xc_area *a, xc_area *box)
{
    xc_iter it;
    xc_area one = *a;
    uint32_t r, col;
    int any = 0;

    xc_iter_init(&it, ev->book, &one);
    while (xc_iter_next(&it, &r, &col))
        /* through xc_book_get, so a formula not yet computed is */
        if (xc_book_get(ev->book, a->sheet, r, col)->type != XC_EMPTY)
            box_add(box, &any, r, col);
    return any;
}

/* The same for a grid of values (an array argument), 0-based. */
static int grid_used(xc_grid *g, xc_area *box)
{
    int any = 0;
    for (uint32_t r = 0; r < g->rows; r++)
        for (uint32_t col = 0; col < g->cols; col++)
            if (xc_grid_get(g, r, col)->type != XC_EMPTY)
                box_add(box, &any, r, col);
    return any;
}

/* Trim value v (a single-area reference of one sheet, or an array) by
 * the row and column modes: a reference stays a reference (to the part
 * kept), an array becomes the sub-array.  Blank throughout: #REF!, as
 * nothing is left to refer to. */
static int trim_value(xc_eval *ev, const xc_value *v, int rows, int cols,
                      xc_value *out)
{
    xc_area keep, box;
    xc_grid g;
    int used;

    if (v->type == XC_ERROR)
        return xc_value_copy(out, v);
    if (v->type == XC_REF) {
        const xc_refs *rf = v->u.ref;
        if (rf->n != 1 || rf->a[0].sheet != rf->a[0].sheet2 ||
            rf->a[0].sheet < 0 ||
            rf->a[0].sheet >= xc_book_sheet_count(ev->book))
            return err_out(out, XC_ERR_VALUE);
        keep = rf->a[0];
        used = area_used(ev, &keep, &box);
    } else {
        if (xc_grid_init(&g, ev, v) != XC_OK)
            return err_out(out, XC_ERR_VALUE);
        keep.r1 = keep.c1 = 0;
        keep.r2 = g.rows - 1;
        keep.c2 = g.cols - 1;
        used = grid_used(&g, &box);
    }
    if (!used)
        return err_out(out, XC_ERR_REF);
    if (rows & TRIM_LEADING)
        keep.r1 = box.r1;
    if (rows & TRIM_TRAILING)
        keep.r2 = box.r2;
    if (cols & TRIM_LEADING)
        keep.c1 = box.c1;
    if (cols & TRIM_TRAILING)
        keep.c2 = box.c2;
    if (v->type == XC_REF) {
        xc_value_clear(out);
        return xc_value_set_area(out, &keep);
    }
    {
        xc_value t = {0};
        xc_array *arr;
        uint32_t nr = keep.r2 - keep.r1 + 1, nc = keep.c2 - keep.c1 + 1;
        int st = xc_value_set_array(&t, nr, nc, &arr);
        if (st != XC_OK)
            return st;
        for (uint32_t r = 0; r < nr && st == XC_OK; r++)
            for (uint32_t col = 0; col < nc && st == XC_OK; col++)
                st = xc_value_copy(&arr->v[(size_t)r * nc + col],
                                   xc_grid_get(&g, keep.r1 + r, keep.c1 + col));
        if (st != XC_OK) {
            xc_value_clear(&t);
            return st;
        }
        xc_value_clear(out);
        xc_value_move(out, &t);
        return XC_OK;
    }
}

/* A trim mode argument: omitted is both (3); 0..3 after truncation,
 * anything else -1 (#VALUE!). */
static int trim_mode(const xc_fncall *c, int i)
{
    int64_t m;
    if (!xc_arg_given(c, i))
        return TRIM_ALL;
    xc_num_trunc_clamp(xc_arg_num(c, i), -1, 4, &m);
    return m >= 0 && m <= 3 ? (int)m : -1;
}

/* TRIMRANGE(range, [trim_rows], [trim_cols]) */
static int fn_trimrange(xc_fncall *c, xc_value *out)
{
    int rows = trim_mode(c, 1), cols = trim_mode(c, 2);
    if (rows < 0 || cols < 0)
        return err_out(out, XC_ERR_VALUE);
    return trim_value(c->ev, &c->argv[0], rows, cols, out);
}

/* The trim-reference operators, as Excel stores them in files:
 * A1.:.C9 is _xlfn._TRO_ALL(A1:C9), A1.:C9 _TRO_LEADING, A1:.C9
 * _TRO_TRAILING; each trims rows and columns alike. */
static int fn_tro_all(xc_fncall *c, xc_value *out)
{
    return trim_value(c->ev, &c->argv[0], TRIM_ALL, TRIM_ALL, out);
}

static int fn_tro_leading(xc_fncall *c, xc_value *out)
{
    return trim_value(c->ev, &c->argv[0], TRIM_LEADING, TRIM_LEADING, out);
}

static int fn_tro_trailing(xc_fncall *c, xc_value *out)
{
    return trim_value(c->ev, &c->argv[0], TRIM_TRAILING, TRIM_TRAILING, out);
}

#define L(name, args, impl, flags, syntax, help, ex)                           \
    {                                                                          \
        name, args, impl, flags, "lookup", syntax, help, ex                    \
    }

/* clang-format off */
const xc_fn_def xc_fns_lookup[] = {
L("ADDRESS", "nn|nbv", fn_address, 0,
  "ADDRESS(row_num, column_num, [abs_num], [a1], [sheet_text])",
  "Text of a cell reference.",
  "=ADDRESS(2,3) -> $C$2\n=ADDRESS(2,3,4) -> C2\n=ADDRESS(2,3,1,FALSE) -> R2C3"),
L("AREAS", "r", fn_areas, 0, "AREAS(reference)",
  "Number of areas in a reference.", "=AREAS((A1:B2,C3)) -> 2"),
L("CHOOSE", "na|a*", fn_choose, XC_FN_LAZY | XC_FN_REFRESULT,
  "CHOOSE(index_num, value1, [value2], ...)",
  "The value at a position in the argument list.",
  "=CHOOSE(2,\"a\",\"b\",\"c\") -> b\n=CHOOSE(4,1,2,3) -> #VALUE!"),
L("CHOOSECOLS", "An|n*", fn_choosecols, 0,
  "CHOOSECOLS(array, col_num1, [col_num2], ...)",
  "The given columns of an array.",
  "=SUM(CHOOSECOLS({1,2,3;4,5,6},-1)) -> 9"),
L("CHOOSEROWS", "An|n*", fn_chooserows, 0,
  "CHOOSEROWS(array, row_num1, [row_num2], ...)",
  "The given rows of an array.",
  "=SUM(CHOOSEROWS({1,2;3,4},2)) -> 7"),
L("COLUMN", "|r", fn_column, 0, "COLUMN([reference])",
  "Column number of a reference (or of the formula's cell).",
  "=COLUMN(C5) -> 3"),
L("COLUMNS", "a", fn_columns, 0, "COLUMNS(array)",
  "Number of columns of a reference or array.",
  "=COLUMNS(A1:D2) -> 4\n=COLUMNS({1,2,3}) -> 3"),
L("DROP", "An|n", fn_drop, 0, "DROP(array, rows, [columns])",
  "An array without its first (or last, when negative) rows or columns.",
  "=SUM(DROP({1;2;3},1)) -> 5"),
L("EXPAND", "A|nne", fn_expand, 0, "EXPAND(array, rows, [columns], [pad_with])",
  "An array grown to the given size, padded (#N/A by default).",
  "=ROWS(EXPAND({1,2},3)) -> 3\n=INDEX(EXPAND({1,2},2,3,0),2,3) -> 0"),
L("FILTER", "AA|a", fn_filter, 0, "FILTER(array, include, [if_empty])",
  "The rows (or columns) of an array whose include entry is true.",
  "=SUM(FILTER({1,2,3},{TRUE,FALSE,TRUE})) -> 4"),
L("FORMULATEXT", "r", fn_formulatext, 0, "FORMULATEXT(reference)",
  "The formula of a cell as text.", "=FORMULATEXT(A1) -> #N/A"),
L("HLOOKUP", "vA|nb", fn_hlookup, 0,
  "HLOOKUP(lookup_value, table_array, row_index_num, [range_lookup])",
  "Looks a value up in the first row and returns a value below it.",
  "=HLOOKUP(2,{1,2,3;\"a\",\"b\",\"c\"},2,FALSE) -> b"),
L("HSTACK", "A|A*", fn_hstack, 0, "HSTACK(array1, [array2], ...)",
  "Arrays placed side by side.", "=COLUMNS(HSTACK({1,2},{3})) -> 3"),
L("HYPERLINK", "v|v", fn_hyperlink, 0, "HYPERLINK(link_location, [friendly_name])",
  "A link; the cell shows the friendly name.",
  "=HYPERLINK(\"http://example.com\",\"site\") -> site"),
L("INDEX", "an|nn", fn_index, XC_FN_REFRESULT,
  "INDEX(array, row_num, [column_num], [area_num])",
  "The value (or reference) at a row and column of an array or range.",
  "=INDEX({1,2;3,4},2,1) -> 3\n=INDEX({1,2,3},3) -> 3\n=INDEX({1,2},3) -> #REF!"),
L("INDIRECT", "s|b", fn_indirect, XC_FN_DYNREF | XC_FN_REFRESULT,
  "INDIRECT(ref_text, [a1])", "The reference named by a text.",
  "=ROWS(INDIRECT(\"A1:A5\")) -> 5\n=INDIRECT(\"1+\") -> #REF!"),
L("LOOKUP", "vA|A", fn_lookup, 0,
  "LOOKUP(lookup_value, lookup_vector, [result_vector])",
  "Approximate lookup in a sorted vector.",
  "=LOOKUP(2.5,{1,2,3},{\"a\",\"b\",\"c\"}) -> b"),
L("MATCH", "vA|n", fn_match, 0,
  "MATCH(lookup_value, lookup_array, [match_type])",
  "Position of a value in a row or column.",
  "=MATCH(\"b\",{\"a\",\"b\",\"c\"},0) -> 2\n=MATCH(2.5,{1,2,3}) -> 2\n=MATCH(9,{1,2,3},0) -> #N/A"),
L("OFFSET", "rnn|nn", fn_offset, XC_FN_DYNREF | XC_FN_REFRESULT,
  "OFFSET(reference, rows, cols, [height], [width])",
  "A reference shifted and resized from a starting reference.",
  "=ROWS(OFFSET(A1,1,1,3,2)) -> 3\n=COLUMN(OFFSET(A1,0,2)) -> 3"),
L("ROW", "|r", fn_row, 0, "ROW([reference])",
  "Row number of a reference (or of the formula's cell).",
  "=ROW(C5) -> 5"),
L("ROWS", "a", fn_rows, 0, "ROWS(array)",
  "Number of rows of a reference or array.",
  "=ROWS(A1:D2) -> 2\n=ROWS({1;2;3}) -> 3"),
L("SORT", "A|nnb", fn_sort, 0,
  "SORT(array, [sort_index], [sort_order], [by_col])",
  "The array sorted by one of its columns (or rows).",
  "=INDEX(SORT({3;1;2}),1) -> 1\n=INDEX(SORT({3;1;2},1,-1),1) -> 3"),
L("SORTBY", "AA|nA*", fn_sortby, 0,
  "SORTBY(array, by_array1, [sort_order1], ...)",
  "An array sorted by other arrays.",
  "=INDEX(SORTBY({\"a\";\"b\"},{2;1}),1) -> b"),
L("TAKE", "An|n", fn_take, 0, "TAKE(array, rows, [columns])",
  "The first (or last, when negative) rows or columns of an array.",
  "=SUM(TAKE({1;2;3},-2)) -> 5"),
L("TOCOL", "A|nb", fn_tocol, 0, "TOCOL(array, [ignore], [scan_by_column])",
  "An array as one column.", "=ROWS(TOCOL({1,2;3,4})) -> 4"),
L("TOROW", "A|nb", fn_torow, 0, "TOROW(array, [ignore], [scan_by_column])",
  "An array as one row.", "=COLUMNS(TOROW({1,2;3,4})) -> 4"),
L("TRANSPOSE", "A", fn_transpose, 0, "TRANSPOSE(array)",
  "Rows become columns.", "=ROWS(TRANSPOSE({1,2,3})) -> 3"),
L("TRIMRANGE", "a|nn", fn_trimrange, XC_FN_REFRESULT,
  "TRIMRANGE(range, [trim_rows], [trim_cols])",
  "The range without its blank outer rows and columns; trim_rows and "
  "trim_cols: 0 none, 1 leading, 2 trailing, 3 both (the default).",
  "=TRIMRANGE(MAP({1;2;3},LAMBDA(x,IF(x=1,Z1,x)))) -> {2;3}\n"
  "=TRIMRANGE(MAP({1;2;3},LAMBDA(x,IF(x=1,Z1,x))),2) -> {0;2;3}\n"
  "=TRIMRANGE(A1:C9) -> #REF!\n=TRIMRANGE({1,2},4) -> #VALUE!"),
L("UNIQUE", "A|bb", fn_unique, 0, "UNIQUE(array, [by_col], [exactly_once])",
  "The distinct rows (or columns) of an array.",
  "=ROWS(UNIQUE({1;2;1;3})) -> 3\n=ROWS(UNIQUE({1;2;1;3},FALSE,TRUE)) -> 2"),
L("VLOOKUP", "vA|nb", fn_vlookup, 0,
  "VLOOKUP(lookup_value, table_array, col_index_num, [range_lookup])",
  "Looks a value up in the first column and returns a value beside it.",
  "=VLOOKUP(2,{1,\"a\";2,\"b\"},2,FALSE) -> b\n=VLOOKUP(1.5,{1,\"a\";2,\"b\"},2) -> a"),
L("VSTACK", "A|A*", fn_vstack, 0, "VSTACK(array1, [array2], ...)",
  "Arrays placed one below another.", "=ROWS(VSTACK({1,2},{3,4})) -> 2"),
L("WRAPCOLS", "An|e", fn_wrapcols, 0, "WRAPCOLS(vector, wrap_count, [pad_with])",
  "A row or column wrapped into columns of wrap_count values.",
  "=ROWS(WRAPCOLS({1,2,3,4,5},2)) -> 2\n=INDEX(WRAPCOLS({1,2,3},2,0),2,2) -> 0"),
L("WRAPROWS", "An|e", fn_wraprows, 0, "WRAPROWS(vector, wrap_count, [pad_with])",
  "A row or column wrapped into rows of wrap_count values.",
  "=COLUMNS(WRAPROWS({1,2,3,4,5},2)) -> 2\n=INDEX(WRAPROWS({1,2,3},2),2,1) -> 3"),
L("XLOOKUP", "vAA|ann", fn_xlookup, XC_FN_REFRESULT,
  "XLOOKUP(lookup_value, lookup_array, return_array, [if_not_found], "
  "[match_mode], [search_mode])",
  "Finds a value and returns the matching entry of another array.",
  "=XLOOKUP(2,{1,2,3},{\"a\",\"b\",\"c\"}) -> b\n=XLOOKUP(9,{1,2},{1,2},\"none\") -> none"),
L("XMATCH", "vA|nn", fn_xmatch, 0,
  "XMATCH(lookup_value, lookup_array, [match_mode], [search_mode])",
  "Position of a value, with exact, next-smaller/larger or wildcard matching.",
  "=XMATCH(2.5,{1,2,3},1) -> 3\n=XMATCH(\"b*\",{\"a\",\"bc\"},2) -> 2"),
L("_TRO_ALL", "r", fn_tro_all, XC_FN_REFRESULT, "_TRO_ALL(range)",
  "A1.:.C9, the range trimmed of blank leading and trailing rows and "
  "columns (Excel's file form of the trim-reference operator).",
  "=_xlfn._TRO_ALL(A1:C9) -> #REF!\n=ROWS(A1.:.C9) -> #REF!"),
L("_TRO_LEADING", "r", fn_tro_leading, XC_FN_REFRESULT,
  "_TRO_LEADING(range)",
  "A1.:C9, the range trimmed of blank leading rows and columns.",
  "=_xlfn._TRO_LEADING(A1:C9) -> #REF!\n=_xlfn._TRO_LEADING(5) -> #VALUE!"),
L("_TRO_TRAILING", "r", fn_tro_trailing, XC_FN_REFRESULT,
  "_TRO_TRAILING(range)",
  "A1:.C9, the range trimmed of blank trailing rows and columns.",
  "=_xlfn._TRO_TRAILING(A1:C9) -> #REF!\n=A1:.C9 -> #REF!"),
};
/* clang-format on */
const size_t xc_fns_lookup_n = sizeof xc_fns_lookup / sizeof *xc_fns_lookup;
