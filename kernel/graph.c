/* graph.c - the dependency graph and incremental recalculation.
 *
 * Index (per sheet): an open-addressing hash map from a cell - or, for
 * ranges of at most 16 rows, from each of their rows - to a list of
 * dependent nodes (row entries carry the column interval read; touching
 * cells of one row read by one formula share an entry).  Taller ranges
 * go to 1024-row buckets, or - when they span more than 64 buckets, like
 * whole columns - to a "wide" list of distinct rectangles checked for
 * every change on the sheet.  The index is built in bulk at the first
 * recalc after loading - or, when every formula reads only cells before
 * its own (that recalc then walks the cells in order and needs none), at
 * the first edit after it; later formula edits are queued and
 * registered at the next recalc.
 *
 * An edit marks the direct dependents of what changed as roots and
 * their transitive dependents dirty (explicit stack).  A recalc orders
 * the dirty nodes with an iterative Tarjan SCC search over dependent
 * edges; SCCs come out in reverse topological order.  An SCC larger
 * than one node, or one node reading itself, is only a possible cycle:
 * a reference can be static without being followed (INDEX(A1:B6,1,1)
 * in B2, an IF branch not taken), and Excel reports a cycle only when
 * evaluation depends on itself.  Its members are therefore all
 * evaluated, reading each other on demand; a cell read while its own
 * evaluation runs gives #CIRC!, and the SCC is listed as a cycle only
 * when that happened.  A dirty node that is
 * not a root by the time it is reached (nothing it reads changed value)
 * keeps its value without evaluation.  Cells read only through dynamic
 * references are evaluated on demand by xc_book_get.
 */
#include <stdlib.h>
#include <string.h>

#include "book_int.h"

#define NO_EDGE UINT32_MAX
#define MAX_DEPTH 1000  /* on-demand evaluation nesting */
#define POLL_EVERY 4096 /* evaluations between interrupt checks */
#define SMALL_LOOKUP 64 /* areas up to this many cells: probe per cell */

static const xc_value empty_value = {0};
static const xc_value circ_value = {.type = XC_ERROR, .err = XC_ERR_CIRC};

/* ---- index --------------------------------------------------------- */

/* Hash keys: a cell, or a row (for ranges of a few rows). */
#define ROW_KEY_BIT (1ull << 40)

static uint64_t cell_key(uint32_t row, uint32_t col)
{
    return ((uint64_t)row << 14 | col) + 1;
}

static uint64_t row_key(uint32_t row)
{
    return (ROW_KEY_BIT | row) + 1;
}

/* Slot of a key: runs of 8 consecutive rows of one column (or 8 row
 * keys) share a hashed base and land in neighbouring slots, so walking
 * down a sheet stays in cache. */
static uint32_t hash_slot(uint64_t key, uint32_t cap)
{
    uint64_t k = key - 1;
    unsigned shift = (k & ROW_KEY_BIT) ? 0 : 14;
    uint32_t low = (uint32_t)(k >> shift) & 7;
    uint64_t base = k & ~((uint64_t)7 << shift);
    uint32_t h = (uint32_t)((base * 0x9E3779B97F4A7C15ull) >> 32);
    return ((h << 3) | low) & (cap - 1);
}

/* Head of the dependents list of a key, or NO_EDGE. */
static uint32_t hash_get(const xsheet *s, uint64_t k)
{
    if (!s->hcap)
        return NO_EDGE;
    for (uint32_t i = hash_slot(k, s->hcap);; i = (i + 1) & (s->hcap - 1)) {
        if (s->hkeys[i] == k)
            return s->hvals[i];
        if (!s->hkeys[i])
            return NO_EDGE;
    }
}

static int hash_grow(xsheet *s)
{
    uint32_t cap = s->hcap ? s->hcap * 2 : 1024;
    uint64_t *k = xc_calloc(cap, sizeof *k);
    uint32_t *v = xc_malloc((size_t)cap * sizeof *v);
    if (!k || !v) {
        xc_free(k);
        xc_free(v);
        return XC_ENOMEM;
    }
    for (uint32_t i = 0; i < s->hcap; i++) {
        if (!s->hkeys[i])
            continue;
        uint32_t j = hash_slot(s->hkeys[i], cap);
        while (k[j])
            j = (j + 1) & (cap - 1);
        k[j] = s->hkeys[i];
        v[j] = s->hvals[i];
    }
    xc_free(s->hkeys);
    xc_free(s->hvals);
    s->hkeys = k;
    s->hvals = v;
    s->hcap = cap;
    return XC_OK;
}

/* The slot for key k, inserted (head NO_EDGE) when missing. */
static int hash_put(xsheet *s, uint64_t k, uint32_t *slot)
{
    if ((uint64_t)(s->hn + 1) * 4 > (uint64_t)s->hcap * 3) {
        int st = hash_grow(s);
        if (st)
            return st;
    }
    uint32_t i = hash_slot(k, s->hcap);
    for (;; i = (i + 1) & (s->hcap - 1)) {
        if (s->hkeys[i] == k)
            break;
        if (!s->hkeys[i]) {
            s->hkeys[i] = k;
            s->hvals[i] = NO_EDGE;
            s->hn++;
            break;
        }
    }
    *slot = i;
    return XC_OK;
}

/* Register node id as reading columns c1..c2 under key k. */
static int add_edge(xc_book *b, xsheet *s, uint64_t k, uint32_t c1, uint32_t c2,
                    xnode *n, uint32_t id)
{
    uint32_t slot;
    int st;
    if (b->nedges == b->edgecap) {
        if (b->edgecap >= UINT32_MAX / 2)
            return XC_ELIMIT;
        uint32_t cap = b->edgecap ? b->edgecap * 2 : 1024;
        xedge *p = xc_realloc(b->edges, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        b->edges = p;
        b->edgecap = cap;
    }
    if ((st = hash_put(s, k, &slot)))
        return st;
    xedge *e = &b->edges[b->nedges];
    e->node = id;
    e->gen = n->gen;
    e->c1 = (uint16_t)c1;
    e->c2 = (uint16_t)c2;
    e->next = s->hvals[slot];
    s->hvals[slot] = b->nedges++;
    n->nedges++;
    b->live++;
    return XC_OK;
}

static uint32_t rect_hash(const xrange *g, uint32_t cap)
{
    uint64_t k = ((uint64_t)g->r1 << 34) ^ ((uint64_t)g->r2 << 14) ^ g->c1 ^
                 ((uint64_t)g->c2 << 50);
    return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static int same_rect(const xrange *a, const xrange *b)
{
    return a->r1 == b->r1 && a->c1 == b->c1 && a->r2 == b->r2 && a->c2 == b->c2;
}

static int whash_grow(xsheet *s)
{
    uint32_t cap = s->whcap ? s->whcap * 2 : 64;
    uint32_t *h = xc_calloc(cap, sizeof *h);
    if (!h)
        return XC_ENOMEM;
    for (uint32_t i = 0; i < s->wide.n; i++) {
        uint32_t j = rect_hash(&s->rng[s->wide.v[i]], cap);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = i + 1;
    }
    xc_free(s->whash);
    s->whash = h;
    s->whcap = cap;
    return XC_OK;
}

/* File the new entry rng[ri] (not yet counted in nrng) under its wide
 * group, starting one when its rectangle is new. */
static int add_wide(xsheet *s, uint32_t ri)
{
    xrange *g = &s->rng[ri];
    int st;
    if ((uint64_t)(s->wide.n + 1) * 2 > s->whcap && (st = whash_grow(s)))
        return st;
    uint32_t j = rect_hash(g, s->whcap);
    for (; s->whash[j]; j = (j + 1) & (s->whcap - 1)) {
        xrange *h = &s->rng[s->wide.v[s->whash[j] - 1]];
        if (same_rect(h, g)) {
            g->next = h->next;
            h->next = ri;
            return XC_OK;
        }
    }
    if ((st = xb_u32_push(&s->wide, ri)))
        return st;
    g->next = NO_EDGE;
    s->whash[j] = s->wide.n;
    return XC_OK;
}

static int add_range(xc_book *b, xsheet *s, uint32_t r1, uint32_t c1,
                     uint32_t r2, uint32_t c2, xnode *n, uint32_t id)
{
    if (s->nrng == s->rngcap) {
        uint32_t cap = s->rngcap ? s->rngcap * 2 : 64;
        xrange *p = xc_realloc(s->rng, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        s->rng = p;
        s->rngcap = cap;
    }
    uint32_t b1 = r1 >> XG_BLOCK_BITS, b2 = r2 >> XG_BLOCK_BITS;
    uint32_t ri = s->nrng;
    xrange *g = &s->rng[ri];
    int st;
    g->r1 = r1;
    g->c1 = c1;
    g->r2 = r2;
    g->c2 = c2;
    g->node = id;
    g->gen = n->gen;
    g->next = NO_EDGE;
    if (b2 - b1 + 1 > XG_MAX_BLOCKS) {
        if ((st = add_wide(s, ri)))
            return st;
    } else {
        if (b2 >= s->nbuckets) {
            xu32vec *p = xc_realloc(s->buckets, (b2 + 1) * sizeof *p);
            if (!p)
                return XC_ENOMEM;
            memset(p + s->nbuckets, 0, (b2 + 1 - s->nbuckets) * sizeof *p);
            s->buckets = p;
            s->nbuckets = b2 + 1;
        }
        for (uint32_t k = b1; k <= b2; k++)
            if ((st = xb_u32_push(&s->buckets[k], ri)))
                return st; /* entries already pushed point at ri: the
                              range is stored below regardless */
    }
    s->nrng++;
    n->nedges++;
    b->live++;
    return XC_OK;
}

/* engine->precedents callback: collect one area (per sheet, clamped). */
static int reg_add(void *ud, const xc_area *a)
{
    xc_book *b = ud;
    int s1 = a->sheet, s2 = a->sheet2;
    if (s2 < s1) {
        int t = s1;
        s1 = s2;
        s2 = t;
    }
    if (s1 < 0)
        s1 = 0;
    if (s2 >= b->nsheets)
        s2 = b->nsheets - 1;
    xc_area c = *a;
    if (c.r2 >= XC_MAX_ROWS)
        c.r2 = XC_MAX_ROWS - 1;
    if (c.c2 >= XC_MAX_COLS)
        c.c2 = XC_MAX_COLS - 1;
    if (c.r1 > c.r2 || c.c1 > c.c2)
        return XC_OK;
    for (int si = s1; si <= s2; si++) {
        if (b->nreg == b->regcap) {
            uint32_t cap = b->regcap ? b->regcap * 2 : 64;
            xc_area *p = xc_realloc(b->regbuf, (size_t)cap * sizeof *p);
            if (!p)
                return XC_ENOMEM;
            b->regbuf = p;
            b->regcap = cap;
        }
        c.sheet = c.sheet2 = si;
        b->regbuf[b->nreg++] = c;
    }
    return XC_OK;
}

/* Order: one-row areas first, by sheet, row, first column. */
static int reg_cmp(const void *pa, const void *pb)
{
    const xc_area *a = pa, *b = pb;
    int ma = a->r1 != a->r2, mb = b->r1 != b->r2;
    if (ma != mb)
        return ma - mb;
    if (a->sheet != b->sheet)
        return a->sheet < b->sheet ? -1 : 1;
    if (a->r1 != b->r1)
        return a->r1 < b->r1 ? -1 : 1;
    return a->c1 < b->c1 ? -1 : a->c1 > b->c1;
}

/* Index the collected areas for node id.  Areas of one row that touch
 * or overlap (B1*C1+D1) become one entry covering exactly their union:
 * covering more would invent dependencies, and so cycles. */
static int reg_flush(xc_book *b, uint32_t id, int index)
{
    xnode *n = xb_node(b, id);
    xc_area *v = b->regbuf;
    uint32_t k = 0, m = b->nreg;
    int st;
    if (m > 16) {
        qsort(v, m, sizeof *v, reg_cmp);
    } else {
        /* the usual handful: insertion sort, no calls into libc */
        for (uint32_t i = 1; i < m; i++) {
            xc_area t = v[i];
            uint32_t j = i;
            for (; j > 0 && reg_cmp(&v[j - 1], &t) > 0; j--)
                v[j] = v[j - 1];
            v[j] = t;
        }
    }
    for (uint32_t i = 0; i < m; i++) {
        if (k && v[i].r1 == v[i].r2 && v[k - 1].r1 == v[k - 1].r2 &&
            v[i].sheet == v[k - 1].sheet && v[i].r1 == v[k - 1].r1 &&
            v[i].c1 <= v[k - 1].c2 + 1) {
            if (v[i].c2 > v[k - 1].c2)
                v[k - 1].c2 = v[i].c2;
            continue;
        }
        v[k++] = v[i];
    }
    b->nreg = 0;
    for (uint32_t i = 0; i < k; i++) {
        xsheet *s = b->sheets[v[i].sheet];
        uint32_t r1 = v[i].r1, c1 = v[i].c1, r2 = v[i].r2, c2 = v[i].c2;
        /* the area's last cell in the book's order lies before n's */
        if (!(v[i].sheet < n->sheet ||
              (v[i].sheet == n->sheet &&
               (r2 < n->row || (r2 == n->row && c2 < n->col)))))
            n->flags |= XN_BACK;
        if (!index)
            continue;
        if (r1 == r2 && c1 == c2) {
            if ((st = add_edge(b, s, cell_key(r1, c1), c1, c1, n, id)))
                return st;
        } else if (r2 - r1 < XG_ROWS) {
            for (uint32_t r = r1; r <= r2; r++)
                if ((st = add_edge(b, s, row_key(r), c1, c2, n, id)))
                    return st;
        } else if ((st = add_range(b, s, r1, c1, r2, c2, n, id))) {
            return st;
        }
    }
    return XC_OK;
}

/* Ask the engine for the node's precedents and index them (unless
 * !index: only its flags, XN_BACK among them). */
static int register_node(xc_book *b, uint32_t id, int index)
{
    xnode *n = xb_node(b, id);
    unsigned fl = 0;
    if (n->flags & XN_BACK)
        b->nback--;
    n->flags &= ~(XN_PENDING | XN_VOLATILE | XN_DYNAMIC | XN_BACK);
    if (!index && b->eng->before && b->eng->before(n->f))
        return XC_OK; /* no precedent to index, none after it, no flag */
    b->nreg = 0;
    int st = b->eng->precedents(b->eng_ctx, b, n->sheet, n->row, n->col, n->f,
                                reg_add, b, &fl);
    if (!st)
        st = reg_flush(b, id, index);
    b->nreg = 0;
    n = xb_node(b, id);
    if (n->flags & XN_BACK)
        b->nback++;
    if (fl & XC_DEP_VOLATILE)
        n->flags |= XN_VOLATILE;
    if (fl & XC_DEP_DYNAMIC)
        n->flags |= XN_DYNAMIC;
    if (!st && (fl & (XC_DEP_VOLATILE | XC_DEP_DYNAMIC)) &&
        !(n->flags & XN_INVOL)) {
        if (!(st = xb_u32_push(&b->vol, id)))
            n->flags |= XN_INVOL;
    }
    return st;
}

static void sheet_clear_index(xsheet *s)
{
    xc_free(s->hkeys);
    xc_free(s->hvals);
    s->hkeys = NULL;
    s->hvals = NULL;
    s->hcap = s->hn = 0;
    xc_free(s->rng);
    s->rng = NULL;
    s->nrng = s->rngcap = 0;
    for (uint32_t i = 0; i < s->nbuckets; i++)
        xc_free(s->buckets[i].v);
    xc_free(s->buckets);
    s->buckets = NULL;
    s->nbuckets = 0;
    xc_free(s->wide.v);
    memset(&s->wide, 0, sizeof s->wide);
    xc_free(s->whash);
    s->whash = NULL;
    s->whcap = 0;
}

void xg_clear_index(xc_book *b)
{
    for (int i = 0; i < b->nsheets; i++)
        sheet_clear_index(b->sheets[i]);
    xc_free(b->edges);
    b->edges = NULL;
    b->nedges = b->edgecap = 0;
    b->live = b->stale = 0;
    for (uint32_t id = 0; b->nback && id < b->nnodes; id++)
        xb_node(b, id)->flags &= ~XN_BACK;
    b->nback = 0;
    b->pending.n = 0;
    b->vol.n = 0;
}

static void vec_free(xu32vec *v)
{
    xc_free(v->v);
    memset(v, 0, sizeof *v);
}

void xg_free(xc_book *b)
{
    xg_clear_index(b);
    vec_free(&b->dirty);
    vec_free(&b->pending);
    vec_free(&b->vol);
    vec_free(&b->stack);
    vec_free(&b->succ);
    vec_free(&b->order);
    vec_free(&b->work);
    vec_free(&b->retry);
    xc_free(b->tidx);
    xc_free(b->tlow);
    xc_free(b->frames);
    xc_free(b->regbuf);
    xc_free(b->cycles);
    xc_free(b->cyccells);
}

void xg_retire(xc_book *b, xnode *n)
{
    if (n->flags & XN_BACK) {
        n->flags &= ~XN_BACK;
        b->nback--;
    }
    b->stale += n->nedges;
    b->live -= n->nedges < b->live ? n->nedges : b->live;
    n->nedges = 0;
    n->gen++;
}

/* Every formula node dirty; the index is dropped. */
void xg_invalidate(xc_book *b)
{
    xg_clear_index(b);
    b->graph_built = 0;
    b->all_dirty = 1;
    b->all_roots = 1;
    for (uint32_t id = 0; id < b->nnodes; id++) {
        xnode *n = xb_node(b, id);
        n->flags &= ~(XN_PENDING | XN_INVOL);
        if ((n->flags & XN_USED) && n->f)
            n->flags |= XN_DIRTY | XN_ROOT;
    }
}

/* Node id dirty (listed as a root of the next ordering). */
static void set_dirty(xc_book *b, uint32_t id)
{
    xnode *n = xb_node(b, id);
    if (n->flags & XN_DIRTY)
        return;
    n->flags |= XN_DIRTY;
    if (!(n->flags & XN_ROOT))
        b->all_roots = 0;
    if (!b->all_dirty && xb_u32_push(&b->dirty, id))
        b->all_dirty = 1; /* fall back to scanning every node */
}

int xg_set_dirty(xc_book *b, uint32_t id)
{
    xb_node(b, id)->flags |= XN_ROOT;
    set_dirty(b, id);
    return XC_OK;
}

int xg_queue(xc_book *b, uint32_t id)
{
    xnode *n = xb_node(b, id);
    if (n->flags & XN_PENDING)
        return XC_OK;
    if (xb_u32_push(&b->pending, id)) {
        xg_invalidate(b);
        return XC_OK;
    }
    n->flags |= XN_PENDING;
    return XC_OK;
}

/* Register every formula node afresh: into the index, or (!index) only
 * for its flags, stopping at the first that reads a cell not before its
 * own.  On failure everything is dirty. */
static int register_all(xc_book *b, int index)
{
    xg_clear_index(b);
    for (uint32_t id = 0; id < b->nnodes; id++) {
        xnode *n = xb_node(b, id);
        n->nedges = 0;
        n->flags &= ~(XN_PENDING | XN_INVOL);
    }
    for (uint32_t id = 0; id < b->nnodes && (index || !b->nback); id++) {
        xnode *n = xb_node(b, id);
        if (!(n->flags & XN_USED) || !n->f)
            continue;
        int st = register_node(b, id, index);
        if (st) {
            xg_invalidate(b);
            return st;
        }
    }
    return XC_OK;
}

/* Build the index in bulk from every formula node. */
static int build_all(xc_book *b)
{
    int st = register_all(b, 1);
    if (!st)
        b->graph_built = 1;
    return st;
}

/* A full recalculation of a book without an index may need none (see
 * in_sheet_order).  *fwd = 1 when no formula reads a cell not before its
 * own; the index stays unbuilt (xg_mark_area builds it when an edit
 * needs it). */
static int scan_forward(xc_book *b, int *fwd)
{
    int st = register_all(b, 0);
    *fwd = !st && !b->nback;
    return st;
}

/* Make the index current: bulk build, compaction, or queued nodes. */
static int ensure_graph(xc_book *b)
{
    if (!b->graph_built || b->stale > 2 * b->live + 65536)
        return build_all(b);
    for (uint32_t i = 0; i < b->pending.n; i++) {
        uint32_t id = b->pending.v[i];
        xnode *n = xb_node(b, id);
        if (!(n->flags & XN_PENDING))
            continue;
        if (!n->f) {
            n->flags &= ~XN_PENDING;
            continue;
        }
        int st = register_node(b, id, 1);
        if (st) {
            xg_invalidate(b);
            return st;
        }
    }
    b->pending.n = 0;
    return XC_OK;
}

/* ---- dependents lookup --------------------------------------------- */

typedef int (*dep_fn)(xc_book *b, void *ud, uint32_t id);

static int live(const xc_book *b, uint32_t id, uint32_t gen)
{
    if (id >= b->nnodes)
        return 0;
    const xnode *n = xb_node(b, id);
    return n->gen == gen && (n->flags & XN_USED) && n->f;
}

/* Dependents on list e reading a column in c1..c2. */
static int walk_list(xc_book *b, uint32_t e, uint32_t c1, uint32_t c2,
                     dep_fn fn, void *ud)
{
    for (; e != NO_EDGE; e = b->edges[e].next) {
        const xedge *x = &b->edges[e];
        if (x->c1 <= c2 && x->c2 >= c1 && live(b, x->node, x->gen)) {
            int st = fn(b, ud, x->node);
            if (st)
                return st;
        }
    }
    return XC_OK;
}

static int check_ranges(xc_book *b, const xsheet *s, const xu32vec *v,
                        uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
                        dep_fn fn, void *ud)
{
    for (uint32_t i = 0; i < v->n; i++) {
        const xrange *g = &s->rng[v->v[i]];
        if (g->r1 > r2 || g->r2 < r1 || g->c1 > c2 || g->c2 < c1)
            continue;
        if (live(b, g->node, g->gen)) {
            int st = fn(b, ud, g->node);
            if (st)
                return st;
        }
    }
    return XC_OK;
}

/* Call fn for every node whose precedents intersect the area (duplicates
 * possible).  A non-zero return from fn stops the walk. */
static int deps_area(xc_book *b, int sheet, uint32_t r1, uint32_t c1,
                     uint32_t r2, uint32_t c2, dep_fn fn, void *ud)
{
    if (sheet < 0 || sheet >= b->nsheets)
        return XC_OK;
    xsheet *s = b->sheets[sheet];
    int st;
    if (s->hn) {
        uint64_t cells = (uint64_t)(r2 - r1 + 1) * (c2 - c1 + 1);
        int scan_cells = cells > SMALL_LOOKUP;
        int scan_rows = r2 - r1 >= SMALL_LOOKUP;
        if (!scan_cells)
            for (uint32_t r = r1; r <= r2; r++)
                for (uint32_t c = c1; c <= c2; c++)
                    if ((st = walk_list(b, hash_get(s, cell_key(r, c)), c, c,
                                        fn, ud)))
                        return st;
        if (!scan_rows)
            for (uint32_t r = r1; r <= r2; r++)
                if ((st =
                         walk_list(b, hash_get(s, row_key(r)), c1, c2, fn, ud)))
                    return st;
        for (uint32_t i = 0; (scan_cells || scan_rows) && i < s->hcap; i++) {
            uint64_t k = s->hkeys[i];
            if (!k)
                continue;
            k--;
            int isrow = (k & ROW_KEY_BIT) != 0;
            uint32_t r =
                isrow ? (uint32_t)(k & ~ROW_KEY_BIT) : (uint32_t)(k >> 14);
            uint32_t c = (uint32_t)(k & (XC_MAX_COLS - 1));
            if (r < r1 || r > r2)
                continue;
            if (isrow ? scan_rows : scan_cells && c >= c1 && c <= c2)
                if ((st = walk_list(b, s->hvals[i], c1, c2, fn, ud)))
                    return st;
        }
    }
    if (s->nbuckets) {
        uint32_t b1 = r1 >> XG_BLOCK_BITS, b2 = r2 >> XG_BLOCK_BITS;
        if (b2 >= s->nbuckets)
            b2 = s->nbuckets - 1;
        for (uint32_t k = b1; k <= b2; k++)
            if ((st = check_ranges(b, s, &s->buckets[k], r1, c1, r2, c2, fn,
                                   ud)))
                return st;
    }
    for (uint32_t i = 0; i < s->wide.n; i++) {
        const xrange *g = &s->rng[s->wide.v[i]];
        if (g->r1 > r2 || g->r2 < r1 || g->c1 > c2 || g->c2 < c1)
            continue;
        for (uint32_t e = s->wide.v[i]; e != NO_EDGE; e = s->rng[e].next)
            if (live(b, s->rng[e].node, s->rng[e].gen) &&
                (st = fn(b, ud, s->rng[e].node)))
                return st;
    }
    return XC_OK;
}

/* Dependents of what node n's evaluation writes (its cell or range). */
static int deps_node(xc_book *b, const xnode *n, dep_fn fn, void *ud)
{
    if (n->arr)
        return deps_area(b, n->sheet, n->arr->r1, n->arr->c1, n->arr->r2,
                         n->arr->c2, fn, ud);
    return deps_area(b, n->sheet, n->row, n->col, n->row, n->col, fn, ud);
}

/* ---- dirty propagation --------------------------------------------- */

static int mark_cb(xc_book *b, void *ud, uint32_t id)
{
    xnode *n = xb_node(b, id);
    if (ud)
        n->flags |= XN_ROOT; /* reads what changed */
    if (n->flags & XN_DIRTY)
        return XC_OK;
    set_dirty(b, id);
    return xb_u32_push(&b->work, id);
}

/* Propagate from the nodes on b->work. */
static int mark_drain(xc_book *b)
{
    while (b->work.n) {
        uint32_t id = b->work.v[--b->work.n];
        int st = deps_node(b, xb_node(b, id), mark_cb, NULL);
        if (st)
            return st;
    }
    return XC_OK;
}

int xg_mark_area(xc_book *b, int sheet, uint32_t r1, uint32_t c1, uint32_t r2,
                 uint32_t c2)
{
    if (!b->graph_built) {
        if (b->all_dirty)
            return XC_OK; /* every formula is dirty already */
        /* recalculated without one (scan_forward): index it now */
        if (build_all(b))
            return XC_OK; /* out of memory: everything is dirty */
    }
    b->work.n = 0;
    int st = deps_area(b, sheet, r1, c1, r2, c2, mark_cb, b);
    if (!st)
        st = mark_drain(b);
    if (st) {
        b->work.n = 0;
        xg_invalidate(b); /* out of memory: recompute everything */
    }
    return XC_OK;
}

/* Node id and all its dependents dirty (volatile nodes). */
static int mark_node(xc_book *b, uint32_t id)
{
    xg_set_dirty(b, id);
    b->work.n = 0;
    int st = xb_u32_push(&b->work, id);
    if (!st)
        st = mark_drain(b);
    b->work.n = 0;
    return st;
}

/* ---- ordering: iterative Tarjan ------------------------------------ */

typedef struct succctx {
    uint32_t self;
    int selfloop;
} succctx;

static int succ_cb(xc_book *b, void *ud, uint32_t id)
{
    succctx *sc = ud;
    if (id == sc->self) {
        sc->selfloop = 1;
        return XC_OK;
    }
    if (!(xb_node(b, id)->flags & XN_DIRTY))
        return XC_OK;
    return xb_u32_push(&b->succ, id);
}

static int frame_push(xc_book *b, uint32_t id, uint32_t *counter)
{
    if (b->nframes == b->framecap) {
        uint32_t cap = b->framecap ? b->framecap * 2 : 256;
        xframe *p = xc_realloc(b->frames, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        b->frames = p;
        b->framecap = cap;
    }
    int st = xb_u32_push(&b->stack, id);
    if (st)
        return st;
    xnode *n = xb_node(b, id);
    ++*counter;
    b->tidx[id] = b->tlow[id] = *counter;
    n->flags |= XN_ONSTACK;
    xframe *f = &b->frames[b->nframes++];
    f->node = id;
    f->start = f->pos = b->succ.n;
    succctx sc = {id, 0};
    st = deps_node(b, n, succ_cb, &sc);
    f->end = b->succ.n;
    if (sc.selfloop)
        n->flags |= XN_CYCLE;
    else
        n->flags &= ~XN_CYCLE;
    return st;
}

static int pos_cmp(const void *pa, const void *pb)
{
    const xc_cellpos *a = pa, *b = pb;
    if (a->sheet != b->sheet)
        return a->sheet < b->sheet ? -1 : 1;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* Record the SCC order[from..order.n) as a cycle. */
static int record_cycle(xc_book *b, uint32_t from)
{
    size_t k = b->order.n - from;
    if (b->ncycles == b->cyccap) {
        size_t cap = b->cyccap ? b->cyccap * 2 : 8;
        xcycle *p = xc_realloc(b->cycles, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        b->cycles = p;
        b->cyccap = cap;
    }
    if (b->ncyccells + k > b->cyccellcap) {
        size_t cap = b->cyccellcap ? b->cyccellcap : 16;
        while (cap < b->ncyccells + k)
            cap *= 2;
        xc_cellpos *p = xc_realloc(b->cyccells, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        b->cyccells = p;
        b->cyccellcap = cap;
    }
    xc_cellpos *out = b->cyccells + b->ncyccells;
    for (size_t i = 0; i < k; i++) {
        xnode *n = xb_node(b, b->order.v[from + i]);
        out[i].sheet = n->sheet;
        out[i].row = n->row;
        out[i].col = n->col;
    }
    qsort(out, k, sizeof *out, pos_cmp);
    b->cycles[b->ncycles].off = b->ncyccells;
    b->cycles[b->ncycles].n = k;
    b->ncycles++;
    b->ncyccells += k;
    return XC_OK;
}

/* A frame is finished: pop its SCC when it is a root. */
static int frame_pop(xc_book *b)
{
    xframe *f = &b->frames[--b->nframes];
    uint32_t v = f->node;
    b->succ.n = f->start;
    if (b->nframes) {
        uint32_t p = b->frames[b->nframes - 1].node;
        if (b->tlow[v] < b->tlow[p])
            b->tlow[p] = b->tlow[v];
    }
    if (b->tlow[v] != b->tidx[v])
        return XC_OK;
    uint32_t from = b->order.n, w;
    do {
        w = b->stack.v[b->stack.n - 1];
        int st = xb_u32_push(&b->order, w);
        if (st)
            return st; /* w stays on the stack: its numbering is reset */
        b->stack.n--;
        xb_node(b, w)->flags &= ~XN_ONSTACK;
    } while (w != v);
    if (b->order.n - from > 1 || (xb_node(b, v)->flags & XN_CYCLE)) {
        /* evaluate every member: what the others read may change */
        for (uint32_t i = from; i < b->order.n; i++)
            xb_node(b, b->order.v[i])->flags |= XN_CYCLE | XN_ROOT;
        return record_cycle(b, from); /* tentative: see keep_real_cycles */
    }
    return XC_OK;
}

static int dfs(xc_book *b, uint32_t root, uint32_t *counter)
{
    int st = frame_push(b, root, counter);
    while (!st && b->nframes) {
        xframe *f = &b->frames[b->nframes - 1];
        if (f->pos < f->end) {
            uint32_t w = b->succ.v[f->pos++];
            if (!b->tidx[w])
                st = frame_push(b, w, counter);
            else if ((xb_node(b, w)->flags & XN_ONSTACK) &&
                     b->tidx[w] < b->tlow[f->node])
                b->tlow[f->node] = b->tidx[w];
        } else {
            st = frame_pop(b);
        }
    }
    return st;
}

static int grow_tarjan(xc_book *b)
{
    if (b->tcap >= b->nnodes)
        return XC_OK;
    uint32_t cap = b->nnodes + b->nnodes / 4 + 64;
    uint32_t *i = xc_realloc(b->tidx, (size_t)cap * sizeof *i);
    if (!i)
        return XC_ENOMEM;
    b->tidx = i;
    uint32_t *l = xc_realloc(b->tlow, (size_t)cap * sizeof *l);
    if (!l)
        return XC_ENOMEM;
    b->tlow = l;
    memset(b->tidx + b->tcap, 0, (size_t)(cap - b->tcap) * sizeof *i);
    b->tcap = cap;
    return XC_OK;
}

/* Order all dirty nodes into b->order (reverse topological order). */
static int order_dirty(xc_book *b)
{
    int st = grow_tarjan(b);
    if (st)
        return st;
    uint32_t counter = 0;
    b->order.n = b->stack.n = b->succ.n = 0;
    b->nframes = 0;
    uint32_t nroots = b->all_dirty ? b->nnodes : b->dirty.n;
    for (uint32_t i = 0; i < nroots && !st; i++) {
        uint32_t id = b->all_dirty ? i : b->dirty.v[i];
        xnode *n = xb_node(b, id);
        if ((n->flags & XN_USED) && n->f && (n->flags & XN_DIRTY) &&
            !b->tidx[id])
            st = dfs(b, id, &counter);
    }
    /* reset the numbering of everything visited */
    for (uint32_t i = 0; i < b->order.n; i++)
        b->tidx[b->order.v[i]] = 0;
    for (uint32_t i = 0; i < b->stack.n; i++) {
        b->tidx[b->stack.v[i]] = 0;
        xb_node(b, b->stack.v[i])->flags &= ~XN_ONSTACK;
    }
    b->stack.n = b->nframes = b->succ.n = 0;
    return st;
}

/* Every formula dirty and each reading only cells before its own in
 * the book's order (sheets in turn, rows, columns), as a form or a
 * chain filled downwards does: that order is a topological one, found
 * by walking the cells instead of searching the index, and no cycle
 * can exist.  Into b->order, reversed like order_dirty's.  0 when it
 * does not apply (or a dirty node is not where its cell says). */
size_t xg_sheet_orders;

static int in_sheet_order(xc_book *b)
{
    uint32_t want = 0;
    if (!b->all_dirty || b->nback || b->pending.n)
        return 0;
    for (uint32_t id = 0; id < b->nnodes; id++) {
        const xnode *n = xb_node(b, id);
        if (!(n->flags & XN_USED) || !n->f || !(n->flags & XN_DIRTY))
            continue;
        /* without the index, no dependent can be made a root */
        if (!b->graph_built && !(n->flags & XN_ROOT))
            return 0;
        want++;
    }
    if (want > b->order.cap) {
        uint32_t *p = xc_realloc(b->order.v, (size_t)want * sizeof *p);
        if (!p)
            return 0;
        b->order.v = p;
        b->order.cap = want;
    }
    uint32_t k = 0;
    for (int si = 0; si < b->nsheets; si++) {
        const xsheet *s = b->sheets[si];
        for (uint32_t r = 0; r < s->nrows; r++) {
            const xrow *w = &s->rows[r];
            for (uint32_t i = 0; i < w->n; i++) {
                if (!w->c[i].node)
                    continue;
                uint32_t id = w->c[i].node - 1;
                const xnode *n = xb_node(b, id);
                if (!(n->flags & XN_USED) || !n->f || !(n->flags & XN_DIRTY))
                    continue;
                if (k == want || n->sheet != si || n->row != r ||
                    n->col != w->c[i].col)
                    return 0;
                b->order.v[want - ++k] = id; /* filled from the end */
            }
        }
    }
    if (k != want)
        return 0;
    b->order.n = k;
    xg_sheet_orders++;
    return 1;
}

/* ---- evaluation ---------------------------------------------------- */

static int root_cb(xc_book *b, void *ud, uint32_t id)
{
    xnode *n = xb_node(b, id);
    if (n->flags & XN_DIRTY)
        n->flags |= XN_ROOT;
    return XC_OK;
}

/* Node n is evaluated: its dirty dependents must be evaluated too when
 * its value changed (else they may keep theirs). */
static void done(xc_book *b, xnode *n, int changed)
{
    n->flags &= ~(XN_DIRTY | XN_ROOT | XN_CYCLE);
    if (changed && !b->all_roots) /* else they are roots already */
        deps_node(b, n, root_cb, NULL);
}

static void set_circ(xc_book *b, xnode *n)
{
    xc_value v = {0};
    xc_value_set_error(&v, XC_ERR_CIRC);
    done(b, n, xb_store_result(b, n, &v));
}

/* A formula the kernel cannot evaluate keeps what the file said (for an
 * array, each member its own value). */
static int restore_stated(xc_book *b, xnode *n)
{
    xc_area r = {0, 0, n->row, n->col, n->row, n->col};
    if (n->arr)
        r = *n->arr;
    for (uint32_t i = r.r1; i <= r.r2; i++)
        for (uint32_t j = r.c1; j <= r.c2; j++) {
            xc_cell *c = xb_find(b, n->sheet, i, j);
            if (!c || !c->node)
                continue;
            xnode *m = xb_node(b, c->node - 1);
            if (!(m->flags & XN_STATED))
                continue;
            xb_note(b, n->sheet, i, j, 0);
            int st = xc_value_copy(&c->v, &m->stated);
            xb_note(b, n->sheet, i, j, 1);
            if (st)
                return st;
        }
    return XC_OK;
}

/* Evaluate one dirty node and store its value. */
static int eval_node(xc_book *b, uint32_t id)
{
    xnode *n = xb_node(b, id);
    xc_cell *c = xb_find(b, n->sheet, n->row, n->col);
    if (c && (c->flags & XC_CELL_UNSUPPORTED)) {
        int st = restore_stated(b, n);
        if (!st)
            done(b, n, 1);
        return st;
    }
    xc_value out = {0};
    size_t taint = b->taint;
    int in_order = b->in_order;
    /* the loop's own evaluation of its node: every static precedent is
       final (xc_book_settled) - unless the node is on a possible cycle,
       whose members read each other on demand; nested on-demand
       evaluations are not either */
    b->in_order =
        b->depth == 0 && id + 1 == b->loop_node && !(n->flags & XN_CYCLE);
    n->flags = (n->flags & ~XN_REENTERED) | XN_EVALUATING;
    b->depth++;
    int st = b->eng->eval(b->eng_ctx, b, n->sheet, n->row, n->col, n->f, &out);
    b->depth--;
    b->in_order = in_order;
    b->eval_count++;
    n = xb_node(b, id);
    n->flags &= ~XN_EVALUATING;
    if (st || b->taint != taint) {
        /* failed, or it read a cell the depth limit left unevaluated:
           it stays dirty (eval_deep retries it) */
        xc_value_clear(&out);
        return st;
    }
    done(b, n, xb_store_result(b, n, &out));
    return XC_OK;
}

const xc_value *xc_book_get(xc_book *b, int sheet, uint32_t row, uint32_t col)
{
    xc_cell *c = xb_find(b, sheet, row, col);
    if (!c)
        return &empty_value;
    if (b->in_recalc && c->node) {
        uint32_t id = c->node - 1;
        xnode *n = xb_node(b, id);
        if (n->flags & XN_PART) {
            id = n->anchor;
            n = xb_node(b, id);
        }
        if (n->f && (n->flags & XN_DIRTY)) {
            if (n->flags & XN_EVALUATING) {
                n->flags |= XN_REENTERED;
                return &circ_value; /* evaluation depends on itself */
            }
            if (b->depth >= MAX_DEPTH) {
                /* too deep: the reader is retried once id is done */
                b->taint++;
                if (!b->deep)
                    b->deep = id + 1;
                return &circ_value;
            }
            int st = eval_node(b, id);
            if (st && !b->eval_error)
                b->eval_error = st;
            c = xb_find(b, sheet, row, col);
            if (!c)
                return &empty_value;
        }
    }
    return &c->v;
}

/* Evaluate node id from the recalc loop.  When on-demand evaluation
 * (dynamic references) nests past MAX_DEPTH, the innermost cell wanted
 * is evaluated first from here and the readers are retried: long
 * dynamic chains cost about twice their length instead of the stack.
 * A cell wanted again while it waits is on a cycle: #CIRC!. */
static int eval_deep(xc_book *b, uint32_t id)
{
    int st = XC_OK;
    b->retry.n = 0;
    if ((st = xb_u32_push(&b->retry, id)))
        return st;
    xb_node(b, id)->flags |= XN_RETRY;
    while (b->retry.n) {
        uint32_t x = b->retry.v[b->retry.n - 1];
        xnode *n = xb_node(b, x);
        if (!(n->flags & XN_DIRTY) || !n->f) {
            n->flags &= ~XN_RETRY;
            b->retry.n--;
            continue;
        }
        b->deep = 0;
        if ((st = eval_node(b, x)) || (st = b->eval_error))
            break;
        if (!(n->flags & XN_DIRTY))
            continue;
        uint32_t y = b->deep ? b->deep - 1 : x;
        xnode *m = xb_node(b, y);
        if (!(m->flags & XN_DIRTY))
            continue; /* done meanwhile: retry x */
        if (y == x || (m->flags & XN_RETRY)) {
            n->flags |= XN_REENTERED;
            set_circ(b, n); /* x waits for itself */
            continue;
        }
        if ((st = xb_u32_push(&b->retry, y)))
            break;
        m->flags |= XN_RETRY;
    }
    for (uint32_t i = 0; i < b->retry.n; i++)
        xb_node(b, b->retry.v[i])->flags &= ~XN_RETRY;
    b->retry.n = 0;
    return st;
}

/* Drop volatile-list entries that no longer apply, and mark the others
 * with their dependents dirty. */
static int mark_volatile(xc_book *b)
{
    uint32_t k = 0;
    int st = XC_OK;
    for (uint32_t i = 0; i < b->vol.n; i++) {
        uint32_t id = b->vol.v[i];
        xnode *n = xb_node(b, id);
        if (!(n->flags & XN_USED) || !n->f || (n->flags & XN_MARK) ||
            !(n->flags & (XN_VOLATILE | XN_DYNAMIC))) {
            if (!(n->flags & XN_MARK))
                n->flags &= ~XN_INVOL;
            continue;
        }
        n->flags |= XN_MARK | XN_INVOL;
        b->vol.v[k++] = id;
    }
    b->vol.n = k;
    for (uint32_t i = 0; i < k; i++) {
        xb_node(b, b->vol.v[i])->flags &= ~XN_MARK;
        if (!st)
            st = mark_node(b, b->vol.v[i]);
    }
    if (st)
        xg_invalidate(b); /* dirtiness may be incomplete */
    return st;
}

/* Of the SCCs recorded as possible cycles, keep those where a member
 * was read during its own evaluation (and clear that mark). */
static void keep_real_cycles(xc_book *b)
{
    size_t k = 0, off = 0;
    for (size_t i = 0; i < b->ncycles; i++) {
        xcycle cy = b->cycles[i];
        int real = 0;
        for (size_t j = 0; j < cy.n; j++) {
            const xc_cellpos *p = &b->cyccells[cy.off + j];
            xc_cell *c = xb_find(b, p->sheet, p->row, p->col);
            if (!c || !c->node)
                continue;
            xnode *n = xb_node(b, c->node - 1);
            if (n->flags & XN_REENTERED) {
                n->flags &= ~XN_REENTERED;
                real = 1;
            }
        }
        if (!real)
            continue;
        memmove(b->cyccells + off, b->cyccells + cy.off,
                cy.n * sizeof *b->cyccells);
        b->cycles[k].off = off;
        b->cycles[k].n = cy.n;
        off += cy.n;
        k++;
    }
    b->ncycles = k;
    b->ncyccells = off;
}

int xc_book_index(xc_book *b)
{
    if (!b->eng || b->in_recalc)
        return XC_OK;
    return ensure_graph(b);
}

int xc_book_recalc(xc_book *b)
{
    if (b->in_recalc)
        return XC_EINVAL;
    b->eval_count = 0;
    b->ncycles = b->ncyccells = 0;
    b->eval_error = 0;
    if (!b->eng)
        return XC_OK; /* no formula can exist without an engine */
    int st = XC_OK, scanned = 0;
    if (!b->graph_built && b->all_dirty)
        st = scan_forward(b, &scanned);
    if (!st && !scanned)
        st = ensure_graph(b);
    if (!st)
        st = mark_volatile(b);
    if (!st && !in_sheet_order(b)) {
        if (scanned)
            st = ensure_graph(b);
        if (!st)
            st = order_dirty(b);
    }
    if (st) {
        for (uint32_t i = 0; i < b->order.n; i++)
            xb_node(b, b->order.v[i])->flags &= ~XN_CYCLE;
        b->order.n = 0;
        b->ncycles = b->ncyccells = 0;
        return st;
    }
    b->all_dirty = 0;
    b->dirty.n = 0;
    b->in_recalc = 1;
    uint32_t k = b->order.n;
    size_t polled = 0;
    while (k > 0) {
        uint32_t id = b->order.v[k - 1];
        xnode *n = xb_node(b, id);
        if (!(n->flags & XN_DIRTY) || !n->f) {
            k--;
            continue;
        }
        if (!(n->flags & XN_ROOT)) {
            /* nothing it reads changed: its value stands */
            n->flags &= ~XN_DIRTY;
            k--;
            continue;
        }
        b->loop_node = id + 1;
        st = eval_deep(b, id);
        b->loop_node = 0;
        if (st)
            break;
        k--;
        if (b->eval_count - polled >= POLL_EVERY) {
            polled = b->eval_count;
            if (xc_interrupted()) {
                st = XC_EINTR;
                break;
            }
        }
    }
    b->in_recalc = 0;
    keep_real_cycles(b);
    b->all_roots = 0;
    /* cells not reached stay dirty for the next recalc */
    for (uint32_t i = 0; i < k; i++) {
        xnode *n = xb_node(b, b->order.v[i]);
        n->flags &= ~XN_CYCLE;
        if ((n->flags & XN_DIRTY) && !b->all_dirty &&
            xb_u32_push(&b->dirty, b->order.v[i]))
            b->all_dirty = 1;
    }
    b->order.n = 0;
    return st; /* cycles are values (#CIRC!), listed by xc_book_cycle */
}

int xc_book_recalc_all(xc_book *b)
{
    for (uint32_t id = 0; id < b->nnodes; id++) {
        xnode *n = xb_node(b, id);
        if ((n->flags & XN_USED) && n->f)
            n->flags |= XN_DIRTY | XN_ROOT;
    }
    b->all_dirty = 1;
    b->all_roots = 1;
    b->dirty.n = 0;
    return xc_book_recalc(b);
}

unsigned xc_book_settled(const xc_book *b)
{
    if (b->loading)
        return 0;
    if (!b->in_recalc)
        return XC_SETTLED_ALL | XC_SETTLED_STATIC;
    return b->in_order && b->depth == 1 ? XC_SETTLED_STATIC : 0;
}

size_t xc_book_last_eval_count(const xc_book *b)
{
    return b->eval_count;
}

size_t xc_book_cycle_count(const xc_book *b)
{
    return b->ncycles;
}

const xc_cellpos *xc_book_cycle(const xc_book *b, size_t i, size_t *n)
{
    if (i >= b->ncycles) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = b->cycles[i].n;
    return b->cyccells + b->cycles[i].off;
}

static int collect_cb(xc_book *b, void *ud, uint32_t id)
{
    xnode *n = xb_node(b, id);
    if (n->flags & XN_MARK)
        return XC_OK;
    n->flags |= XN_MARK;
    return xb_u32_push(&b->work, id);
}

int xc_book_dependents(xc_book *b, int sheet, uint32_t row, uint32_t col,
                       int (*fn)(void *ud, const xc_cellpos *p), void *ud)
{
    if (sheet < 0 || sheet >= b->nsheets)
        return XC_EINVAL;
    if (!b->eng || b->in_recalc)
        return XC_OK;
    int st = ensure_graph(b);
    if (st)
        return st;
    b->work.n = 0;
    st = deps_area(b, sheet, row, col, row, col, collect_cb, NULL);
    for (uint32_t i = 0; i < b->work.n; i++)
        xb_node(b, b->work.v[i])->flags &= ~XN_MARK;
    if (st) {
        b->work.n = 0;
        return st;
    }
    /* copy out: fn may edit the book */
    uint32_t n = b->work.n;
    xc_cellpos *ps = xc_malloc((n ? n : 1) * sizeof *ps);
    if (!ps) {
        b->work.n = 0;
        return XC_ENOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        xnode *x = xb_node(b, b->work.v[i]);
        ps[i].sheet = x->sheet;
        ps[i].row = x->row;
        ps[i].col = x->col;
    }
    b->work.n = 0;
    qsort(ps, n, sizeof *ps, pos_cmp);
    for (uint32_t i = 0; i < n; i++)
        if (fn(ud, &ps[i]))
            break;
    xc_free(ps);
    return XC_OK;
}
