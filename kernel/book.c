/* book.c - the workbook: sheets, sparse cell storage, stated values,
 * styles, defined names, user data and the error message.
 *
 * Each sheet keeps a vector of rows indexed by row number; a row is a
 * vector of cells sorted by column, so a lookup is a binary search and
 * loaders, which add cells in increasing order, append in O(1)
 * amortised time.  Formula cells and edited cells point at a node (see
 * book_int.h); the dependency graph and recalculation are in graph.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "book_int.h"

/* ---- small helpers ------------------------------------------------- */

int xb_u32_push(xu32vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 16;
        uint32_t *p = xc_realloc(v->v, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return XC_OK;
}

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Equality of two names ignoring ASCII case. */
static int name_eq(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
            return 0;
    return 1;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

static xsheet *sheet_at(const xc_book *b, int s)
{
    return s >= 0 && s < b->nsheets ? b->sheets[s] : NULL;
}

/* ---- nodes --------------------------------------------------------- */

/* A fresh node slot (zeroed but for its generation). */
static int node_new(xc_book *b, uint32_t *id)
{
    xnode *n;
    if (b->freelist) {
        *id = b->freelist - 1;
        n = xb_node(b, *id);
        b->freelist = n->anchor;
    } else {
        if (b->nnodes == UINT32_MAX - 1)
            return XC_ELIMIT;
        if (b->nnodes == b->nchunks * XN_CHUNK) {
            xnode **c = xc_realloc(b->chunks, (b->nchunks + 1) * sizeof *c);
            if (!c)
                return XC_ENOMEM;
            b->chunks = c;
            /* not zeroed: slots past nnodes are never read, and each
             * is cleared below when handed out */
            c[b->nchunks] = xc_malloc(XN_CHUNK * sizeof(xnode));
            if (!c[b->nchunks])
                return XC_ENOMEM;
            b->nchunks++;
        }
        *id = b->nnodes++;
        n = xb_node(b, *id);
        n->gen = 0; /* a slot never used */
    }
    uint32_t gen = n->gen;
    memset(n, 0, sizeof *n);
    n->gen = gen;
    n->flags = XN_USED;
    return XC_OK;
}

/* Drop a node's formula (its index entries become stale). */
static void node_drop_formula(xc_book *b, xnode *n)
{
    if (n->f) {
        if (b->eng && b->eng->release)
            b->eng->release(n->f);
        n->f = NULL;
    }
    xg_retire(b, n);
    xc_free(n->arr);
    n->arr = NULL;
    n->flags &= ~(XN_DIRTY | XN_ROOT | XN_VOLATILE | XN_DYNAMIC | XN_PENDING |
                  XN_CYCLE);
}

static void node_free(xc_book *b, uint32_t id)
{
    xnode *n = xb_node(b, id);
    node_drop_formula(b, n);
    xc_value_clear(&n->stated);
    uint32_t gen = n->gen;
    memset(n, 0, sizeof *n);
    n->gen = gen;
    n->anchor = b->freelist;
    b->freelist = id + 1;
}

/* ---- book ---------------------------------------------------------- */

xc_book *xc_book_new(void)
{
    xc_book *b = xc_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->all_dirty = 1;
    return b;
}

/* A block of one-cell rows.  Loading gives a row's first cell a slot
 * here instead of an allocation of its own (most rows of a long sheet
 * have one cell); the row's cap stays 0.  A second cell moves the row
 * to a block of its own, and when its slot was the last one handed out
 * (the loader fills rows in order) the slot is handed out again. */
typedef struct xslab {
    struct xslab *next;
    uint32_t n, cap;
    xc_cell c[];
} xslab;

#define XSLAB_FIRST 16u
#define XSLAB_MAX 4096u

/* A slot for a row's first cell, or NULL when no memory. */
static xc_cell *slab_take(xsheet *s)
{
    xslab *k = s->slab;
    if (!k || k->n == k->cap) {
        uint32_t cap =
            k ? (k->cap < XSLAB_MAX ? k->cap * 2 : XSLAB_MAX) : XSLAB_FIRST;
        xslab *nk = xc_malloc(sizeof *nk + (size_t)cap * sizeof(xc_cell));
        if (!nk)
            return NULL;
        nk->next = k;
        nk->n = 0;
        nk->cap = cap;
        s->slab = k = nk;
    }
    return &k->c[k->n++];
}

/* The row's slot is no longer used: hand it out again when it was the
 * last one handed out. */
static void slab_give(xsheet *s, const xc_cell *slot)
{
    xslab *k = s->slab;
    if (k && k->n && slot == &k->c[k->n - 1])
        k->n--;
}

static void sheet_free(xc_book *b, xsheet *s)
{
    for (uint32_t r = 0; r < s->nrows; r++) {
        xrow *w = &s->rows[r];
        for (uint32_t i = 0; i < w->n; i++)
            xc_value_clear(&w->c[i].v);
        if (w->cap)
            xc_free(w->c);
    }
    while (s->slab) {
        xslab *k = s->slab;
        s->slab = k->next;
        xc_free(k);
    }
    xc_free(s->rows);
    xc_free(s->rflags);
    xc_free(s->name);
    xc_free(s);
}

void xc_book_free(xc_book *b)
{
    if (!b)
        return;
    if (b->cache_ops)
        b->cache_ops->free(b->cache);
    xg_free(b);
    for (uint32_t id = 0; id < b->nnodes; id++) {
        xnode *n = xb_node(b, id);
        if (!(n->flags & XN_USED))
            continue;
        if (n->f && b->eng && b->eng->release)
            b->eng->release(n->f);
        xc_value_clear(&n->stated);
        xc_free(n->arr);
    }
    for (uint32_t i = 0; i < b->nchunks; i++)
        xc_free(b->chunks[i]);
    xc_free(b->chunks);
    for (int i = 0; i < b->nsheets; i++)
        sheet_free(b, b->sheets[i]);
    xc_free(b->sheets);
    for (uint32_t i = 0; i < b->nstyles; i++)
        xc_free(b->styles[i]);
    xc_free(b->styles);
    for (int i = 0; i < b->nnames; i++) {
        xc_free(b->names[i].name);
        xc_free(b->names[i].formula);
        if (b->names[i].parsed && b->eng && b->eng->release)
            b->eng->release(b->names[i].parsed);
    }
    xc_free(b->names);
    if (b->ud_free)
        b->ud_free(b->ud);
    xc_free(b);
}

void xc_book_set_engine(xc_book *b, const xc_engine *e, void *ctx)
{
    b->eng = e;
    b->eng_ctx = ctx;
}

const xc_engine *xc_book_engine(const xc_book *b)
{
    return b->eng;
}

void *xc_book_engine_ctx(const xc_book *b)
{
    return b->eng_ctx;
}

const char *xc_book_errmsg(const xc_book *b)
{
    return b->errmsg;
}

void xc_book_set_errmsg(xc_book *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->errmsg, sizeof b->errmsg, fmt, ap);
    va_end(ap);
}

void xc_book_set_date1904(xc_book *b, int on)
{
    b->date1904 = on != 0;
}

int xc_book_date1904(const xc_book *b)
{
    return b->date1904;
}

/* Give loaded rows back their spare capacity (a shrinking realloc that
 * fails just keeps the block). */
static void trim_rows(xc_book *b)
{
    for (int i = 0; i < b->nsheets; i++) {
        xsheet *s = b->sheets[i];
        for (uint32_t r = 0; r < s->nrows; r++) {
            xrow *w = &s->rows[r];
            if (!w->cap) { /* a slab slot or nothing */
                if (!w->n)
                    w->c = NULL;
                continue;
            }
            if (w->cap - w->n < 2)
                continue;
            xc_cell *p = w->n ? xc_realloc(w->c, w->n * sizeof *p) : NULL;
            if (!w->n) {
                xc_free(w->c);
                w->c = NULL;
                w->cap = 0;
            } else if (p) {
                w->c = p;
                w->cap = w->n;
            }
        }
    }
}

/* Loading on: the index is dropped (rebuilt in bulk by the next recalc).
 * Loading off: every formula is dirty. */
void xc_book_set_loading(xc_book *b, int on)
{
    if (b->cache_ops)
        b->cache_ops->reset(b->cache); /* loading is not reported */
    if (on) {
        b->loading = 1;
        xg_clear_index(b);
        b->graph_built = 0;
        b->all_dirty = 1;
        return;
    }
    b->loading = 0;
    xg_invalidate(b);
    trim_rows(b);
}

int xc_book_set_cache(xc_book *b, const xc_book_cache_ops *ops, void *cache)
{
    if (ops && b->cache_ops && b->cache_ops != ops)
        return XC_EINVAL; /* the slot belongs to another cache */
    if (b->cache_ops && b->cache != cache)
        b->cache_ops->free(b->cache);
    b->cache_ops = ops;
    b->cache = ops ? cache : NULL;
    return XC_OK;
}

void *xc_book_cache(const xc_book *b, const xc_book_cache_ops *ops)
{
    return ops && b->cache_ops == ops ? b->cache : NULL;
}

void xc_book_set_userdata(xc_book *b, void *data, void (*free_fn)(void *))
{
    if (b->ud_free && b->ud != data)
        b->ud_free(b->ud);
    b->ud = data;
    b->ud_free = free_fn;
}

void *xc_book_userdata(const xc_book *b)
{
    return b->ud;
}

/* ---- sheets -------------------------------------------------------- */

int xc_book_add_sheet(xc_book *b, const char *name, size_t n, int *index)
{
    size_t k = utf8_chars(name, n);
    if (k < 1 || k > 31)
        return XC_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '\0' || strchr(":\\/?*[]", name[i]))
            return XC_EINVAL;
    if (xc_book_find_sheet(b, name, n) >= 0)
        return XC_EINVAL;
    if (b->nsheets == b->sheetcap) {
        int cap = b->sheetcap ? b->sheetcap * 2 : 4;
        xsheet **p = xc_realloc(b->sheets, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        b->sheets = p;
        b->sheetcap = cap;
    }
    xsheet *s = xc_calloc(1, sizeof *s);
    if (!s)
        return XC_ENOMEM;
    s->name = xc_strndup(name, n);
    if (!s->name) {
        xc_free(s);
        return XC_ENOMEM;
    }
    s->ext_valid = 1;
    b->sheets[b->nsheets] = s;
    if (index)
        *index = b->nsheets;
    b->nsheets++;
    return XC_OK;
}

int xc_book_sheet_count(const xc_book *b)
{
    return b->nsheets;
}

const char *xc_book_sheet_name(const xc_book *b, int sheet)
{
    xsheet *s = sheet_at(b, sheet);
    return s ? s->name : NULL;
}

int xc_book_find_sheet(const xc_book *b, const char *name, size_t n)
{
    for (int i = 0; i < b->nsheets; i++)
        if (name_eq(b->sheets[i]->name, strlen(b->sheets[i]->name), name, n))
            return i;
    return -1;
}

void xc_book_sheet_extent(const xc_book *b, int sheet, uint32_t *rows,
                          uint32_t *cols)
{
    xsheet *s = sheet_at(b, sheet);
    *rows = *cols = 0;
    if (!s)
        return;
    if (!s->ext_valid) {
        xc_area a;
        int any = xc_book_sheet_bounds(b, sheet, &a);
        s->ext_rows = any ? a.r2 + 1 : 0;
        s->ext_cols = any ? a.c2 + 1 : 0;
        s->ext_valid = 1;
    }
    *rows = s->ext_rows;
    *cols = s->ext_cols;
}

int xc_book_sheet_bounds(const xc_book *b, int sheet, xc_area *a)
{
    xsheet *s = sheet_at(b, sheet);
    int any = 0;
    for (uint32_t r = 0; s && r < s->nrows; r++) {
        const xrow *w = &s->rows[r];
        if (!w->n)
            continue;
        if (!any) {
            *a = (xc_area){sheet, sheet, r, w->c[0].col, r, w->c[0].col};
            any = 1;
        }
        a->r2 = r;
        if (w->c[0].col < a->c1)
            a->c1 = w->c[0].col;
        if (w->c[w->n - 1].col > a->c2)
            a->c2 = w->c[w->n - 1].col;
    }
    return any;
}

int xc_book_any_cell_flag(const xc_book *b, uint32_t flags)
{
    for (int i = 0; i < b->nsheets; i++) {
        const xsheet *s = b->sheets[i];
        for (uint32_t r = 0; r < s->nrows; r++)
            for (uint32_t k = 0; k < s->rows[r].n; k++)
                if (s->rows[r].c[k].flags & flags)
                    return 1;
    }
    return 0;
}

size_t xc_book_cell_count(const xc_book *b, int sheet)
{
    const xsheet *s = sheet_at(b, sheet);
    size_t n = 0;
    for (uint32_t r = 0; s && r < s->nrows; r++)
        n += s->rows[r].n;
    return n;
}

/* ---- cell storage -------------------------------------------------- */

/* First position in w whose column is >= col. */
static uint32_t row_lower(const xrow *w, uint32_t col)
{
    uint32_t lo = 0, hi = w->n;
    if (hi && w->c[hi - 1].col < col)
        return hi;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->c[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* row_lower, trying position `hint` first: rows of a form share their
 * layout, so a column is usually where it was in the row above. */
static uint32_t row_lower_hint(const xrow *w, uint32_t col, uint32_t hint)
{
    if (hint < w->n && w->c[hint].col >= col &&
        (hint == 0 || w->c[hint - 1].col < col))
        return hint;
    return row_lower(w, col);
}

xc_cell *xb_find(const xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    xsheet *s = sheet_at(b, sheet);
    if (!s || row >= s->nrows)
        return NULL;
    xrow *w = &s->rows[row];
    uint32_t i = row_lower(w, col);
    return i < w->n && w->c[i].col == col ? &w->c[i] : NULL;
}

xc_cell *xc_book_cell(const xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    return xb_find(b, sheet, row, col);
}

/* The cell at (row,col), created empty when missing; *created says so. */
static int cell_add(xc_book *b, int sheet, uint32_t row, uint32_t col,
                    xc_cell **out, int *created)
{
    xsheet *s = sheet_at(b, sheet);
    if (!s)
        return XC_EINVAL;
    if (row >= XC_MAX_ROWS || col >= XC_MAX_COLS)
        return XC_EINVAL;
    if (row >= s->rcap) {
        uint32_t cap = s->rcap ? s->rcap : 64;
        while (cap <= row)
            cap *= 2;
        if (cap > XC_MAX_ROWS)
            cap = XC_MAX_ROWS;
        xrow *p = xc_realloc(s->rows, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        memset(p + s->rcap, 0, (size_t)(cap - s->rcap) * sizeof *p);
        s->rows = p;
        s->rcap = cap;
    }
    if (row >= s->nrows)
        s->nrows = row + 1;
    xrow *w = &s->rows[row];
    uint32_t i = row_lower(w, col);
    if (i < w->n && w->c[i].col == col) {
        *out = &w->c[i];
        *created = 0;
        return XC_OK;
    }
    if (w->n == w->cap || !w->cap) {
        /* a row's first cell gets a block of one (many rows have one,
           and loading would trim a larger block) or, while loading, a
           slab slot; its second room for eight (a form's row fits) */
        uint32_t have = w->cap ? w->cap : w->n;
        uint32_t cap = have == 0 ? 1 : have == 1 ? 8 : have + have / 2;
        xc_cell *p;
        if (!w->cap && !w->n && b->loading) {
            if (w->c)
                slab_give(s, w->c);
            if (!(p = slab_take(s)))
                return XC_ENOMEM;
            cap = 0;
        } else if (!w->cap && w->c) { /* leaving its slab slot */
            if (!(p = xc_malloc((size_t)cap * sizeof *p)))
                return XC_ENOMEM;
            if (w->n)
                memcpy(p, w->c, (size_t)w->n * sizeof *p);
            slab_give(s, w->c);
        } else if (!(p = xc_realloc(w->c, (size_t)cap * sizeof *p))) {
            return XC_ENOMEM;
        }
        w->c = p;
        w->cap = cap;
    }
    if (i < w->n)
        memmove(&w->c[i + 1], &w->c[i], (w->n - i) * sizeof *w->c);
    w->n++;
    memset(&w->c[i], 0, sizeof *w->c);
    w->c[i].col = col;
    s->ext_valid = 0;
    *out = &w->c[i];
    *created = 1;
    return XC_OK;
}

/* Remove a cell that has no node (its value is cleared). */
static void cell_remove(xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    xsheet *s = sheet_at(b, sheet);
    if (!s || row >= s->nrows)
        return;
    xrow *w = &s->rows[row];
    uint32_t i = row_lower(w, col);
    if (i >= w->n || w->c[i].col != col)
        return;
    xc_value_clear(&w->c[i].v);
    memmove(&w->c[i], &w->c[i + 1], (w->n - i - 1) * sizeof *w->c);
    w->n--;
    s->ext_valid = 0;
}

/* The value a loaded cell had, to keep as stated before an edit: only
 * for cells that came from the file and carry no node yet. */
static int needs_stated_node(const xc_book *b, const xc_cell *c)
{
    return !b->loading && c && !c->node && !(c->flags & XC_CELL_EDITED);
}

/* Give cell c (at sheet,row,col) a node holding its current value as
 * the stated one.  May fail; the cell is unchanged then. */
static int keep_stated(xc_book *b, int sheet, uint32_t row, uint32_t col,
                       xc_cell *c)
{
    uint32_t id;
    xc_value tmp = {0};
    int st = xc_value_copy(&tmp, &c->v);
    if (st)
        return st;
    st = node_new(b, &id);
    if (st) {
        xc_value_clear(&tmp);
        return st;
    }
    xnode *n = xb_node(b, id);
    n->sheet = sheet;
    n->row = row;
    n->col = col;
    xc_value_move(&n->stated, &tmp);
    n->flags |= XN_STATED;
    c->node = id + 1;
    return XC_OK;
}

/* Undo an array formula anchored at node `id`: its members become plain
 * empty cells (removed unless they keep a style or a stated value).
 * Never allocates. */
static void array_remove(xc_book *b, uint32_t id)
{
    xnode *a = xb_node(b, id);
    if (!a->arr)
        return;
    xc_area r = *a->arr;
    int sheet = a->sheet;
    uint32_t arow = a->row, acol = a->col;
    for (uint32_t i = r.r1; i <= r.r2; i++)
        for (uint32_t j = r.c1; j <= r.c2; j++) {
            if (i == arow && j == acol)
                continue;
            xc_cell *c = xb_find(b, sheet, i, j);
            if (!c || !(c->flags & XC_CELL_ARRAY_PART))
                continue;
            c->flags &= ~XC_CELL_ARRAY_PART;
            if (!b->loading)
                c->flags |= XC_CELL_EDITED;
            xb_note(b, sheet, i, j, 0);
            xc_value_clear(&c->v);
            xb_note(b, sheet, i, j, 1);
            if (c->node) {
                xnode *p = xb_node(b, c->node - 1);
                if (p->flags & XN_STATED) {
                    p->flags &= ~XN_PART;
                    p->anchor = 0;
                } else {
                    node_free(b, c->node - 1);
                    c->node = 0;
                }
            }
            if (!c->node && !c->style)
                cell_remove(b, sheet, i, j);
        }
    xc_free(a->arr);
    a->arr = NULL;
    xc_cell *c = xb_find(b, sheet, arow, acol);
    if (c)
        c->flags &= ~XC_CELL_ARRAY;
}

static int check_pos(const xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    if (!sheet_at(b, sheet) || row >= XC_MAX_ROWS || col >= XC_MAX_COLS)
        return XC_EINVAL;
    return XC_OK;
}

/* Edits outside loading mode mark dependents dirty. */
static int touched(xc_book *b, int sheet, uint32_t r1, uint32_t c1, uint32_t r2,
                   uint32_t c2)
{
    if (b->loading)
        return XC_OK;
    return xg_mark_area(b, sheet, r1, c1, r2, c2);
}

int xc_book_set_value(xc_book *b, int sheet, uint32_t row, uint32_t col,
                      const xc_value *v)
{
    int st = check_pos(b, sheet, row, col);
    if (st)
        return st;
    if (v->type == XC_REF)
        return XC_EINVAL;
    xc_cell *c = xb_find(b, sheet, row, col);
    if (c && (c->flags & (XC_CELL_ARRAY | XC_CELL_ARRAY_PART))) {
        if (b->loading) {
            /* the file's value of an array member: current and stated */
            xc_value t1 = {0}, t2 = {0};
            if ((st = xc_value_copy(&t1, v)) || (st = xc_value_copy(&t2, v))) {
                xc_value_clear(&t1);
                return st;
            }
            xnode *n = xb_node(b, c->node - 1);
            xc_value_move(&n->stated, &t2);
            n->flags |= XN_STATED;
            xc_value_move(&c->v, &t1);
            return XC_OK;
        }
        if (c->flags & XC_CELL_ARRAY_PART)
            return XC_EINVAL; /* can't change part of an array */
    }
    xc_area span = {sheet, sheet, row, col, row, col};
    if (c && c->node && xb_node(b, c->node - 1)->arr)
        span = *xb_node(b, c->node - 1)->arr;
    xc_value tmp = {0};
    if ((st = xc_value_copy(&tmp, v)))
        return st;
    if (!c && tmp.type == XC_EMPTY)
        return XC_OK;
    int created = 0;
    if (!c && (st = cell_add(b, sheet, row, col, &c, &created))) {
        xc_value_clear(&tmp);
        return st;
    }
    if (needs_stated_node(b, c) && !created &&
        (st = keep_stated(b, sheet, row, col, c))) {
        xc_value_clear(&tmp);
        return st;
    }
    if (c->node) {
        uint32_t id = c->node - 1;
        xnode *n = xb_node(b, id);
        if (n->arr) {
            array_remove(b, id);
            c = xb_find(b, sheet, row, col);
            n = xb_node(b, id);
        }
        node_drop_formula(b, n);
        if (b->loading || !(n->flags & XN_STATED)) {
            node_free(b, id);
            c->node = 0;
        }
    }
    if (!b->loading) /* an edited cell is no longer an unsupported formula */
        c->flags = (c->flags | XC_CELL_EDITED) & ~XC_CELL_UNSUPPORTED;
    xb_note(b, sheet, row, col, 0);
    xc_value_move(&c->v, &tmp);
    if (c->v.type == XC_EMPTY && !c->style && !c->node)
        cell_remove(b, sheet, row, col);
    xb_note(b, sheet, row, col, 1);
    return touched(b, sheet, span.r1, span.c1, span.r2, span.c2);
}

/* Make the cell at (sheet,row,col) a formula node for f with the given
 * stated value rules.  Shared by plain and array formulas. */
static int put_formula(xc_book *b, int sheet, uint32_t row, uint32_t col,
                       xc_formula *f, const xc_value *cached, uint32_t *idout)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (c && (c->flags & XC_CELL_ARRAY_PART))
        return XC_EINVAL;
    xc_value cv = {0}, sv = {0};
    int st;
    if (cached && cached->type == XC_REF)
        return XC_EINVAL;
    if (cached && ((st = xc_value_copy(&cv, cached)) ||
                   (st = xc_value_copy(&sv, cached))))
        goto fail;
    int created = 0;
    if (!c && (st = cell_add(b, sheet, row, col, &c, &created)))
        goto fail;
    if (!c->node) {
        if (needs_stated_node(b, c) && !created) {
            if ((st = keep_stated(b, sheet, row, col, c)))
                goto fail;
        } else {
            uint32_t id;
            if ((st = node_new(b, &id))) {
                if (created)
                    cell_remove(b, sheet, row, col);
                goto fail;
            }
            xnode *n = xb_node(b, id);
            n->sheet = sheet;
            n->row = row;
            n->col = col;
            c->node = id + 1;
        }
    }
    uint32_t id = c->node - 1;
    xnode *n = xb_node(b, id);
    if (n->arr) {
        array_remove(b, id);
        c = xb_find(b, sheet, row, col);
    }
    if (b->eng->retain)
        b->eng->retain(f);
    node_drop_formula(b, n);
    n->f = f;
    if (cached) {
        xc_value_move(&n->stated, &sv);
        n->flags |= XN_STATED;
        xb_note(b, sheet, row, col, 0);
        xc_value_move(&c->v, &cv);
        xb_note(b, sheet, row, col, 1);
    }
    if (!b->loading)
        c->flags |= XC_CELL_EDITED;
    c->flags &= ~XC_CELL_UNSUPPORTED;
    xg_set_dirty(b, id);
    if (b->graph_built)
        xg_queue(b, id);
    *idout = id;
    return XC_OK;
fail:
    xc_value_clear(&cv);
    xc_value_clear(&sv);
    return st;
}

int xc_book_set_formula(xc_book *b, int sheet, uint32_t row, uint32_t col,
                        xc_formula *f, const xc_value *cached)
{
    int st = check_pos(b, sheet, row, col);
    if (st)
        return st;
    if (!f || !b->eng)
        return XC_EINVAL;
    xc_area span = {sheet, sheet, row, col, row, col};
    xc_cell *c = xb_find(b, sheet, row, col);
    if (c && c->node && xb_node(b, c->node - 1)->arr)
        span = *xb_node(b, c->node - 1)->arr;
    uint32_t id;
    if ((st = put_formula(b, sheet, row, col, f, cached, &id)))
        return st;
    return touched(b, sheet, span.r1, span.c1, span.r2, span.c2);
}

int xc_book_set_array_formula(xc_book *b, int sheet, const xc_area *range,
                              xc_formula *f)
{
    xc_area r = *range;
    r.sheet = r.sheet2 = sheet;
    if (!f || !b->eng || !sheet_at(b, sheet) || r.r1 > r.r2 || r.c1 > r.c2 ||
        r.r2 >= XC_MAX_ROWS || r.c2 >= XC_MAX_COLS)
        return XC_EINVAL;
    if ((uint64_t)(r.r2 - r.r1 + 1) * (r.c2 - r.c1 + 1) > (1u << 20))
        return XC_ELIMIT;
    /* an existing array at the anchor is replaced; overlapping any
       other array is refused */
    xc_area span = r;
    xc_cell *c = xb_find(b, sheet, r.r1, r.c1);
    if (c && (c->flags & XC_CELL_ARRAY)) {
        xc_area *old = xb_node(b, c->node - 1)->arr;
        if (old) {
            span.r2 = old->r2 > span.r2 ? old->r2 : span.r2;
            span.c2 = old->c2 > span.c2 ? old->c2 : span.c2;
        }
        array_remove(b, c->node - 1);
    }
    for (uint32_t i = r.r1; i <= r.r2; i++)
        for (uint32_t j = r.c1; j <= r.c2; j++) {
            c = xb_find(b, sheet, i, j);
            if (c && (c->flags & (XC_CELL_ARRAY | XC_CELL_ARRAY_PART)))
                return XC_EINVAL;
        }
    xc_area *arr = xc_malloc(sizeof *arr);
    if (!arr)
        return XC_ENOMEM;
    *arr = r;
    /* members first: each gets an empty cell and a part node */
    int st = XC_OK;
    for (uint32_t i = r.r1; i <= r.r2 && !st; i++)
        for (uint32_t j = r.c1; j <= r.c2 && !st; j++) {
            if (i == r.r1 && j == r.c1)
                continue;
            int created;
            if ((st = cell_add(b, sheet, i, j, &c, &created)))
                break;
            if (c->node) {
                xnode *n = xb_node(b, c->node - 1);
                node_drop_formula(b, n);
            } else if (b->loading && !created) {
                st = keep_stated(b, sheet, i, j, c);
            } else if (needs_stated_node(b, c) && !created) {
                st = keep_stated(b, sheet, i, j, c);
            } else {
                uint32_t id;
                if (!(st = node_new(b, &id))) {
                    xnode *n = xb_node(b, id);
                    n->sheet = sheet;
                    n->row = i;
                    n->col = j;
                    c->node = id + 1;
                }
            }
        }
    uint32_t aid = 0;
    if (!st) {
        c = xb_find(b, sheet, r.r1, r.c1);
        const xc_value *cached = NULL;
        if (b->loading && c && !c->node && c->v.type != XC_EMPTY)
            cached = &c->v; /* the loader stored the anchor's value first */
        xc_value keep = {0};
        if (cached && (st = xc_value_copy(&keep, cached)))
            goto undo;
        st = put_formula(b, sheet, r.r1, r.c1, f, cached ? &keep : NULL, &aid);
        xc_value_clear(&keep);
    }
    if (st)
        goto undo;
    xnode *a = xb_node(b, aid);
    a->arr = arr;
    for (uint32_t i = r.r1; i <= r.r2; i++)
        for (uint32_t j = r.c1; j <= r.c2; j++) {
            c = xb_find(b, sheet, i, j);
            if (i == r.r1 && j == r.c1) {
                c->flags |= XC_CELL_ARRAY;
                continue;
            }
            xnode *n = xb_node(b, c->node - 1);
            n->flags |= XN_PART;
            n->anchor = aid;
            c->flags |= XC_CELL_ARRAY_PART;
            if (!b->loading)
                c->flags |= XC_CELL_EDITED;
        }
    return touched(b, sheet, span.r1, span.c1, span.r2, span.c2);
undo:
    /* member cells stay as they now are: empty cells with plain nodes */
    xc_free(arr);
    return st;
}

int xc_book_set_style(xc_book *b, int sheet, uint32_t row, uint32_t col,
                      uint32_t style)
{
    int st = check_pos(b, sheet, row, col);
    if (st)
        return st;
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c) {
        if (!style)
            return XC_OK;
        int created;
        if ((st = cell_add(b, sheet, row, col, &c, &created)))
            return st;
        if (!b->loading)
            c->flags |= XC_CELL_EDITED;
    }
    c->style = style;
    if (!style && c->v.type == XC_EMPTY && !c->node && !c->flags)
        cell_remove(b, sheet, row, col);
    return XC_OK;
}

int xc_book_clear_cell(xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    int st = check_pos(b, sheet, row, col);
    if (st)
        return st;
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c)
        return XC_OK;
    if ((c->flags & XC_CELL_ARRAY_PART) && !b->loading)
        return XC_EINVAL;
    xc_area span = {sheet, sheet, row, col, row, col};
    if (c->node) {
        uint32_t id = c->node - 1;
        xnode *n = xb_node(b, id);
        if (n->flags & XN_PART) {
            xnode *a = xb_node(b, n->anchor);
            if (a->arr)
                span = *a->arr;
            array_remove(b, n->anchor);
        } else if (n->arr) {
            span = *n->arr;
            array_remove(b, id);
        }
        c = xb_find(b, sheet, row, col);
        if (c && c->node) {
            node_free(b, c->node - 1);
            c->node = 0;
        }
    }
    if (c) {
        xb_note(b, sheet, row, col, 0);
        cell_remove(b, sheet, row, col);
        xb_note(b, sheet, row, col, 1);
    }
    return touched(b, sheet, span.r1, span.c1, span.r2, span.c2);
}

int xc_book_cell_flags_set(xc_book *b, int sheet, uint32_t row, uint32_t col,
                           uint32_t flags)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c)
        return XC_ENOTFOUND;
    c->flags |= flags;
    if (!b->loading && c->node && xb_node(b, c->node - 1)->f)
        xg_set_dirty(b, c->node - 1); /* e.g. now keeps its stated value */
    return XC_OK;
}

xc_formula *xc_book_formula(const xc_book *b, int sheet, uint32_t row,
                            uint32_t col)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c || !c->node)
        return NULL;
    xnode *n = xb_node(b, c->node - 1);
    if (n->flags & XN_PART)
        n = xb_node(b, n->anchor);
    return n->f;
}

int xc_book_array_range(const xc_book *b, int sheet, uint32_t row, uint32_t col,
                        xc_area *range)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c || !c->node)
        return XC_ENOTFOUND;
    xnode *n = xb_node(b, c->node - 1);
    if (n->flags & XN_PART)
        n = xb_node(b, n->anchor);
    if (!n->arr)
        return XC_ENOTFOUND;
    *range = *n->arr;
    return XC_OK;
}

const xc_value *xc_book_stated(const xc_book *b, int sheet, uint32_t row,
                               uint32_t col)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c)
        return NULL;
    if (c->node) {
        xnode *n = xb_node(b, c->node - 1);
        return n->flags & XN_STATED ? &n->stated : NULL;
    }
    return c->flags & XC_CELL_EDITED ? NULL : &c->v;
}

int xc_book_set_stated(xc_book *b, int sheet, uint32_t row, uint32_t col,
                       const xc_value *v)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c)
        return XC_ENOTFOUND;
    if (v->type == XC_REF)
        return XC_EINVAL;
    xc_value tmp = {0};
    int st = xc_value_copy(&tmp, v);
    if (st)
        return st;
    if (!c->node) {
        uint32_t id;
        if ((st = node_new(b, &id))) {
            xc_value_clear(&tmp);
            return st;
        }
        xnode *n = xb_node(b, id);
        n->sheet = sheet;
        n->row = row;
        n->col = col;
        c->node = id + 1;
    }
    xnode *n = xb_node(b, c->node - 1);
    xc_value_move(&n->stated, &tmp);
    n->flags |= XN_STATED;
    return XC_OK;
}

/* Exactly the same value, flags included. */
static int same(const xc_value *a, const xc_value *b)
{
    return a->flags == b->flags && xc_value_identical(a, b);
}

/* Store an evaluation result in the node's cell (array formulas: over
 * the whole range, broadcasting a single row or column and padding
 * with #N/A as Excel does).  Takes v.  Returns 1 when a cell's value
 * changed. */
int xb_store_result(xc_book *b, xnode *n, xc_value *v)
{
    xc_cell *c;
    int changed = 0;
    if (v->type == XC_REF) {
        xc_value_clear(v);
        xc_value_set_error(v, XC_ERR_VALUE);
    }
    if (!n->arr) {
        if (v->type == XC_ARRAY) {
            xc_value e = {0};
            xc_array *a = v->u.arr;
            if (!a->rows || !a->cols || a->v[0].type == XC_ARRAY ||
                a->v[0].type == XC_REF || xc_value_copy(&e, &a->v[0]))
                xc_value_set_error(&e, XC_ERR_VALUE);
            xc_value_move(v, &e);
        }
        c = xb_find(b, n->sheet, n->row, n->col);
        if (c && !same(&c->v, v)) {
            xb_note(b, n->sheet, n->row, n->col, 0);
            xc_value_move(&c->v, v);
            xb_note(b, n->sheet, n->row, n->col, 1);
            changed = 1;
        }
        xc_value_clear(v);
        return changed;
    }
    xc_area r = *n->arr;
    xc_array *a = v->type == XC_ARRAY ? v->u.arr : NULL;
    for (uint32_t i = r.r1; i <= r.r2; i++)
        for (uint32_t j = r.c1; j <= r.c2; j++) {
            c = xb_find(b, n->sheet, i, j);
            if (!c)
                continue;
            const xc_value *src = v;
            if (a) {
                uint32_t ai = a->rows == 1 ? 0 : i - r.r1;
                uint32_t aj = a->cols == 1 ? 0 : j - r.c1;
                src = ai < a->rows && aj < a->cols ? &a->v[ai * a->cols + aj]
                                                   : NULL;
            }
            xc_value t = {0};
            if (!src || src->type == XC_ARRAY || src->type == XC_REF ||
                xc_value_copy(&t, src) != XC_OK)
                xc_value_set_error(&t, src ? XC_ERR_VALUE : XC_ERR_NA);
            if (!same(&c->v, &t)) {
                xb_note(b, n->sheet, i, j, 0);
                xc_value_move(&c->v, &t);
                xb_note(b, n->sheet, i, j, 1);
                changed = 1;
            }
            xc_value_clear(&t);
        }
    xc_value_clear(v);
    return changed;
}

/* ---- iteration ----------------------------------------------------- */

void xc_iter_init(xc_iter *it, const xc_book *b, const xc_area *a)
{
    memset(it, 0, sizeof *it);
    it->b = b;
    it->sheet = a->sheet;
    it->r1 = a->r1;
    it->c1 = a->c1;
    it->r2 = a->r2;
    it->c2 = a->c2;
}

xc_cell *xc_iter_next(xc_iter *it, uint32_t *row, uint32_t *col)
{
    xsheet *s = sheet_at(it->b, it->sheet);
    if (!s || it->r1 > it->r2 || it->c1 > it->c2)
        return NULL;
    if (!it->started) {
        it->started = 1;
        it->row = it->r1;
        it->pos = it->row < s->nrows ? row_lower(&s->rows[it->row], it->c1) : 0;
    }
    while (it->row <= it->r2 && it->row < s->nrows) {
        xrow *w = &s->rows[it->row];
        if (it->pos < w->n && w->c[it->pos].col <= it->c2) {
            xc_cell *c = &w->c[it->pos++];
            if (row)
                *row = it->row;
            if (col)
                *col = c->col;
            return c;
        }
        if (it->row == it->r2)
            break;
        it->row++;
        /* the previous row's first cell in the area, if any, was at
           pos - 1 when the area is one column wide */
        it->pos = it->row < s->nrows ? row_lower_hint(&s->rows[it->row], it->c1,
                                                      it->pos ? it->pos - 1 : 0)
                                     : 0;
    }
    it->row = it->r2;
    it->pos = UINT32_MAX;
    return NULL;
}

/* ---- styles -------------------------------------------------------- */

int xc_book_add_style(xc_book *b, const char *numfmt, uint32_t *index)
{
    if (b->nstyles == b->stylecap) {
        uint32_t cap = b->stylecap ? b->stylecap * 2 : 16;
        char **p = xc_realloc(b->styles, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        b->styles = p;
        b->stylecap = cap;
    }
    if (!numfmt)
        numfmt = "General";
    char *s = xc_strndup(numfmt, strlen(numfmt));
    if (!s)
        return XC_ENOMEM;
    b->styles[b->nstyles] = s;
    if (index)
        *index = b->nstyles;
    b->nstyles++;
    return XC_OK;
}

const char *xc_book_style_numfmt(const xc_book *b, uint32_t style)
{
    return style < b->nstyles ? b->styles[style] : "General";
}

uint32_t xc_book_style_count(const xc_book *b)
{
    return b->nstyles;
}

/* ---- defined names ------------------------------------------------- */

int xc_book_add_name(xc_book *b, const char *name, int sheet,
                     const char *formula, int hidden)
{
    if (!name || !*name || !formula || (sheet != -1 && !sheet_at(b, sheet)))
        return XC_EINVAL;
    size_t n = strlen(name);
    char *ft = xc_strndup(formula, strlen(formula));
    if (!ft)
        return XC_ENOMEM;
    for (int i = 0; i < b->nnames; i++) {
        xname *x = &b->names[i];
        if (x->sheet == sheet && name_eq(x->name, strlen(x->name), name, n)) {
            /* redefinition in the same scope */
            xc_free(x->formula);
            x->formula = ft;
            x->hidden = hidden;
            if (x->parsed && b->eng && b->eng->release)
                b->eng->release(x->parsed);
            x->parsed = NULL;
            if (!b->loading)
                xg_invalidate(b);
            return XC_OK;
        }
    }
    if (b->nnames == b->namecap) {
        int cap = b->namecap ? b->namecap * 2 : 8;
        xname *p = xc_realloc(b->names, (size_t)cap * sizeof *p);
        if (!p) {
            xc_free(ft);
            return XC_ENOMEM;
        }
        b->names = p;
        b->namecap = cap;
    }
    char *nm = xc_strndup(name, n);
    if (!nm) {
        xc_free(ft);
        return XC_ENOMEM;
    }
    xname *x = &b->names[b->nnames++];
    x->name = nm;
    x->formula = ft;
    x->sheet = sheet;
    x->hidden = hidden != 0;
    x->parsed = NULL;
    if (!b->loading)
        xg_invalidate(b);
    return XC_OK;
}

int xc_book_name_count(const xc_book *b)
{
    return b->nnames;
}

int xc_book_find_name(const xc_book *b, const char *name, size_t n, int sheet)
{
    int global = -1;
    for (int i = 0; i < b->nnames; i++) {
        const xname *x = &b->names[i];
        if (!name_eq(x->name, strlen(x->name), name, n))
            continue;
        if (x->sheet == sheet && sheet >= 0)
            return i;
        if (x->sheet == -1)
            global = i;
    }
    return global;
}

static const xname *name_at(const xc_book *b, int i)
{
    return i >= 0 && i < b->nnames ? &b->names[i] : NULL;
}

const char *xc_book_name_text(const xc_book *b, int i)
{
    const xname *x = name_at(b, i);
    return x ? x->name : NULL;
}

const char *xc_book_name_formula(const xc_book *b, int i)
{
    const xname *x = name_at(b, i);
    return x ? x->formula : NULL;
}

int xc_book_name_sheet(const xc_book *b, int i)
{
    const xname *x = name_at(b, i);
    return x ? x->sheet : -1;
}

int xc_book_name_hidden(const xc_book *b, int i)
{
    const xname *x = name_at(b, i);
    return x ? x->hidden : 0;
}

xc_formula *xc_book_name_parsed(const xc_book *b, int i)
{
    const xname *x = name_at(b, i);
    return x ? x->parsed : NULL;
}

void xc_book_name_set_parsed(xc_book *b, int i, xc_formula *f)
{
    if (i < 0 || i >= b->nnames)
        return;
    xname *x = &b->names[i];
    if (x->parsed && b->eng && b->eng->release)
        b->eng->release(x->parsed); /* drop the old reference */
    x->parsed = f;
}

/* ---- row flags ------------------------------------------------------ */

/* One row with non-zero flags; a sheet keeps them sorted by row, so a
 * loader that goes down the sheet only appends. */
struct xrowflag {
    uint32_t row, flags;
};

/* Index of the first entry whose row is >= row. */
static uint32_t rflag_lower(const xsheet *s, uint32_t row)
{
    uint32_t lo = 0, hi = s->nrflags;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->rflags[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int xc_book_set_row_flags(xc_book *b, int sheet, uint32_t row, uint32_t flags)
{
    xsheet *s = sheet_at(b, sheet);
    uint32_t i;
    if (!s || row >= XC_MAX_ROWS)
        return XC_EINVAL;
    i = rflag_lower(s, row);
    if (i < s->nrflags && s->rflags[i].row == row) {
        if (s->rflags[i].flags == flags)
            return XC_OK;
        if (flags)
            s->rflags[i].flags = flags;
        else {
            memmove(&s->rflags[i], &s->rflags[i + 1],
                    (s->nrflags - i - 1) * sizeof *s->rflags);
            s->nrflags--;
        }
    } else {
        if (!flags)
            return XC_OK;
        if (s->nrflags == s->rfcap) {
            uint32_t cap = s->rfcap ? s->rfcap * 2 : 16;
            struct xrowflag *p = xc_realloc(s->rflags, (size_t)cap * sizeof *p);
            if (!p)
                return XC_ENOMEM;
            s->rflags = p;
            s->rfcap = cap;
        }
        memmove(&s->rflags[i + 1], &s->rflags[i],
                (s->nrflags - i) * sizeof *s->rflags);
        s->rflags[i].row = row;
        s->rflags[i].flags = flags;
        s->nrflags++;
    }
    /* SUBTOTAL and AGGREGATE over this row may change */
    return touched(b, sheet, row, 0, row, XC_MAX_COLS - 1);
}

uint32_t xc_book_row_flags(const xc_book *b, int sheet, uint32_t row)
{
    xsheet *s = sheet_at(b, sheet);
    uint32_t i;
    if (!s)
        return 0;
    i = rflag_lower(s, row);
    return i < s->nrflags && s->rflags[i].row == row ? s->rflags[i].flags : 0;
}

int xc_book_rows_flagged(const xc_book *b, int sheet, uint32_t r1, uint32_t r2,
                         uint32_t mask)
{
    xsheet *s = sheet_at(b, sheet);
    if (!s || r1 > r2)
        return 0;
    for (uint32_t i = rflag_lower(s, r1); i < s->nrflags; i++) {
        if (s->rflags[i].row > r2)
            break;
        if (s->rflags[i].flags & mask)
            return 1;
    }
    return 0;
}

/* Mark the dependents of the hidden rows of [r1, r2]. */
static int touch_hidden(xc_book *b, int sheet, xsheet *s, uint32_t r1,
                        uint32_t r2)
{
    int st = XC_OK;
    for (uint32_t i = rflag_lower(s, r1);
         i < s->nrflags && s->rflags[i].row <= r2 && st == XC_OK; i++)
        if (s->rflags[i].flags & XC_ROW_HIDDEN)
            st = touched(b, sheet, s->rflags[i].row, 0, s->rflags[i].row,
                         XC_MAX_COLS - 1);
    return st;
}

int xc_book_set_sheet_filter(xc_book *b, int sheet, uint32_t r1, uint32_t r2)
{
    xsheet *s = sheet_at(b, sheet);
    int st;
    if (!s)
        return XC_EINVAL;
    if (r2 >= XC_MAX_ROWS)
        r2 = XC_MAX_ROWS - 1;
    /* hidden rows of the old and the new filter change meaning */
    st =
        s->filtered ? touch_hidden(b, sheet, s, s->filt_r1, s->filt_r2) : XC_OK;
    s->filtered = r1 <= r2;
    s->filt_r1 = r1;
    s->filt_r2 = r2;
    if (st == XC_OK && s->filtered)
        st = touch_hidden(b, sheet, s, r1, r2);
    return st;
}

int xc_book_sheet_filter(const xc_book *b, int sheet, uint32_t *r1,
                         uint32_t *r2)
{
    xsheet *s = sheet_at(b, sheet);
    if (!s || !s->filtered)
        return 0;
    *r1 = s->filt_r1;
    *r2 = s->filt_r2;
    return 1;
}
