/* formula.c - the xc_formula object: parsing entry point, reference
 * counting, flags, freeing syntax trees, and resolving a reference node
 * at a position into an area.
 */
#include <string.h>
#include "formula_int.h"

/* Parse text into a new formula (refs = 1).  The tree keeps relative
 * references as offsets from (o->row, o->col). */
int xc_formula_parse(xc_formula **out, const char *text, size_t n,
                     const xc_parse_opts *o, xc_parse_error *err)
{
    xc_formula *f;
    int st;

    *out = NULL;
    if (err) {
        err->line = err->col = 0;
        err->msg[0] = 0;
    }
    if (!o || (!text && n)) {
        if (err)
            strcpy(err->msg, "invalid arguments");
        return XC_EINVAL;
    }
    f = xc_calloc(1, sizeof *f);
    if (!f) {
        if (err)
            strcpy(err->msg, "out of memory");
        return XC_ENOMEM;
    }
    f->refs = 1;
    st = xc_parse_tree(f, text ? text : "", n, o, err);
    if (st != XC_OK) {
        xc_free(f);
        return st;
    }
    *out = f;
    return XC_OK;
}

void xc_formula_retain(xc_formula *f)
{
    if (f)
        f->refs++;
}

void xc_formula_release(xc_formula *f)
{
    if (!f || --f->refs > 0)
        return;
    xc_node_free(f->root);
    xc_free(f);
}

unsigned xc_formula_flags(const xc_formula *f)
{
    return f ? f->flags : 0;
}

const char *xc_formula_unknown_fn(const xc_formula *f)
{
    return f ? f->unknown_fn : NULL;
}

/* Free a node and everything below it.  NULL is a no-op. */
void xc_node_free(xc_node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case XN_NUM:
        xc_num_clear(&n->u.num);
        break;
    case XN_STR:
        xc_str_unref(n->u.str);
        break;
    case XN_ARRAY: {
        xc_value v = {0};
        v.type = XC_ARRAY;
        v.u.arr = n->u.arr;
        if (n->u.arr)
            xc_value_clear(&v); /* drops the node's reference */
        break;
    }
    case XN_NAME:
        xc_free(n->u.name.text);
        break;
    case XN_FUNC:
        for (int i = 0; i < n->u.fn.nargs; i++)
            xc_node_free(n->u.fn.args[i]);
        xc_free(n->u.fn.args);
        xc_free(n->u.fn.name);
        break;
    case XN_UNOP:
    case XN_BINOP:
    case XN_PAREN:
        xc_node_free(n->u.op.a);
        xc_node_free(n->u.op.b);
        break;
    default:
        break;
    }
    xc_free(n);
}

/* One coordinate at the origin: absolute as is, relative shifted.
 * Returns -1 when it falls off [0, max). */
static int64_t coord(int32_t v, int abs, uint32_t origin, uint32_t max)
{
    int64_t x = abs ? (int64_t)v : (int64_t)origin + v;
    return (x < 0 || x >= (int64_t)max) ? -1 : x;
}

/* Resolve a reference node at (sheet,row,col) into an ordered area. */
xc_error xc_ref_resolve(const xc_refnode *r, int sheet, uint32_t row,
                        uint32_t col, xc_area *a)
{
    int64_t r1 = 0, r2 = XC_MAX_ROWS - 1, c1 = 0, c2 = XC_MAX_COLS - 1, t;
    const xc_refpt *pa = &r->a, *pb = r->kind == XR_CELL ? &r->a : &r->b;

    if (r->kind == XR_CELL) { /* the commonest: one point */
        r1 = r2 = coord(pa->row, pa->flags & XC_RF_ROW_ABS, row, XC_MAX_ROWS);
        c1 = c2 = coord(pa->col, pa->flags & XC_RF_COL_ABS, col, XC_MAX_COLS);
    } else {
        if (r->kind != XR_COLS) {
            r1 = coord(pa->row, pa->flags & XC_RF_ROW_ABS, row, XC_MAX_ROWS);
            r2 = coord(pb->row, pb->flags & XC_RF_ROW_ABS, row, XC_MAX_ROWS);
        }
        if (r->kind != XR_ROWS) {
            c1 = coord(pa->col, pa->flags & XC_RF_COL_ABS, col, XC_MAX_COLS);
            c2 = coord(pb->col, pb->flags & XC_RF_COL_ABS, col, XC_MAX_COLS);
        }
    }
    if (r1 < 0 || r2 < 0 || c1 < 0 || c2 < 0)
        return XC_ERR_REF;
    if (r1 > r2)
        t = r1, r1 = r2, r2 = t;
    if (c1 > c2)
        t = c1, c1 = c2, c2 = t;
    a->sheet = r->sheet < 0 ? sheet : r->sheet;
    a->sheet2 = r->sheet < 0 ? sheet : r->sheet2;
    if (a->sheet2 < a->sheet) {
        int32_t s = a->sheet;
        a->sheet = a->sheet2;
        a->sheet2 = s;
    }
    a->r1 = (uint32_t)r1;
    a->r2 = (uint32_t)r2;
    a->c1 = (uint32_t)c1;
    a->c2 = (uint32_t)c2;
    return XC_ERR_NONE;
}

/* ---- sharing formulas by structure ---- */

struct xc_formula_pool {
    xc_formula **slot; /* open addressing; NULL: free */
    uint64_t *hash;
    size_t cap, n;
};

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t mix_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return mix(h, n);
}

static uint64_t mix_pt(uint64_t h, const xc_refpt *p)
{
    h = mix(h, (uint32_t)p->row);
    h = mix(h, (uint32_t)p->col);
    return mix(h, p->flags);
}

/* A hash of a tree that ignores source positions: equal trees (node_same)
 * hash alike. */
static uint64_t node_hash(const xc_node *n, uint64_t h)
{
    if (!n)
        return mix(h, 0xfff);
    h = mix(h, n->kind + 1u);
    switch (n->kind) {
    case XN_NUM: {
        double d = xc_num_to_double(&n->u.num);
        uint64_t u;
        memcpy(&u, &d, sizeof u);
        return mix(h, u);
    }
    case XN_STR:
        return mix_bytes(h, n->u.str->s, n->u.str->len);
    case XN_BOOL:
        return mix(h, (uint64_t)n->u.b);
    case XN_ERR:
        return mix(h, (uint64_t)n->u.err);
    case XN_ARRAY:
        return mix(h, (uint64_t)(uintptr_t)n->u.arr);
    case XN_REF:
        h = mix(h, n->u.ref.kind);
        h = mix(h, n->u.ref.quoted);
        h = mix(h, (uint32_t)n->u.ref.sheet);
        h = mix(h, (uint32_t)n->u.ref.sheet2);
        return mix_pt(mix_pt(h, &n->u.ref.a), &n->u.ref.b);
    case XN_NAME:
        h = mix(h, (uint32_t)n->u.name.sheet);
        h = mix(h, n->u.name.eta);
        return mix_bytes(h, n->u.name.text, strlen(n->u.name.text));
    case XN_FUNC:
        h = mix(h, (uint64_t)(uintptr_t)n->u.fn.def);
        if (n->u.fn.name)
            h = mix_bytes(h, n->u.fn.name, strlen(n->u.fn.name));
        h = mix(h, (uint64_t)n->u.fn.nargs);
        for (int i = 0; i < n->u.fn.nargs; i++)
            h = node_hash(n->u.fn.args[i], h);
        return h;
    case XN_UNOP:
    case XN_BINOP:
    case XN_PAREN:
        h = mix(h, (uint64_t)n->u.op.op);
        return node_hash(n->u.op.b, node_hash(n->u.op.a, h));
    default:
        return h;
    }
}

static int pt_same(const xc_refpt *a, const xc_refpt *b)
{
    return a->row == b->row && a->col == b->col && a->flags == b->flags;
}

static int str_same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two trees mean and print the same (source positions aside). */
static int node_same(const xc_node *a, const xc_node *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case XN_NUM:
        return xc_num_equal(&a->u.num, &b->u.num);
    case XN_STR:
        return a->u.str->len == b->u.str->len &&
               memcmp(a->u.str->s, b->u.str->s, a->u.str->len) == 0;
    case XN_BOOL:
        return a->u.b == b->u.b;
    case XN_ERR:
        return a->u.err == b->u.err;
    case XN_ARRAY:
        return a->u.arr == b->u.arr;
    case XN_REF:
        return a->u.ref.kind == b->u.ref.kind &&
               a->u.ref.quoted == b->u.ref.quoted &&
               a->u.ref.sheet == b->u.ref.sheet &&
               a->u.ref.sheet2 == b->u.ref.sheet2 &&
               pt_same(&a->u.ref.a, &b->u.ref.a) &&
               pt_same(&a->u.ref.b, &b->u.ref.b);
    case XN_NAME:
        return a->u.name.sheet == b->u.name.sheet &&
               a->u.name.eta == b->u.name.eta &&
               str_same(a->u.name.text, b->u.name.text);
    case XN_FUNC:
        if (a->u.fn.def != b->u.fn.def || a->u.fn.nargs != b->u.fn.nargs ||
            !str_same(a->u.fn.name, b->u.fn.name))
            return 0;
        for (int i = 0; i < a->u.fn.nargs; i++)
            if (!node_same(a->u.fn.args[i], b->u.fn.args[i]))
                return 0;
        return 1;
    case XN_UNOP:
    case XN_BINOP:
    case XN_PAREN:
        return a->u.op.op == b->u.op.op && node_same(a->u.op.a, b->u.op.a) &&
               node_same(a->u.op.b, b->u.op.b);
    default:
        return 1;
    }
}

xc_formula_pool *xc_formula_pool_new(void)
{
    return xc_calloc(1, sizeof(xc_formula_pool));
}

/* Double the table (or make the first one). */
static int pool_grow(xc_formula_pool *p)
{
    size_t cap = p->cap ? p->cap * 2 : 64;
    xc_formula **slot = xc_calloc(cap, sizeof *slot);
    uint64_t *hash = xc_calloc(cap, sizeof *hash);
    if (!slot || !hash) {
        xc_free(slot);
        xc_free(hash);
        return XC_ENOMEM;
    }
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->slot[i])
            continue;
        size_t j = (size_t)p->hash[i] & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = p->slot[i];
        hash[j] = p->hash[i];
    }
    xc_free(p->slot);
    xc_free(p->hash);
    p->slot = slot;
    p->hash = hash;
    p->cap = cap;
    return XC_OK;
}

/* Loaders' dedup of parsed formulas: a book of 220,000 formulas in a
 * few dozen shapes keeps a few dozen trees (memory, freeing, caches). */
xc_formula *xc_formula_pool_share(xc_formula_pool *p, xc_formula *f)
{
    if (!p || !f)
        return f;
    if ((p->n + 1) * 4 > p->cap * 3 && pool_grow(p) != XC_OK)
        return f;
    uint64_t h = mix(node_hash(f->root, 0), f->flags);
    size_t j = (size_t)h & (p->cap - 1);
    for (; p->slot[j]; j = (j + 1) & (p->cap - 1)) {
        xc_formula *g = p->slot[j];
        if (p->hash[j] == h && g->flags == f->flags &&
            node_same(g->root, f->root)) {
            xc_formula_retain(g);
            xc_formula_release(f);
            return g;
        }
    }
    p->slot[j] = f;
    p->hash[j] = h;
    p->n++;
    xc_formula_retain(f); /* the pool's reference */
    return f;
}

void xc_formula_pool_free(xc_formula_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->cap; i++)
        xc_formula_release(p->slot[i]);
    xc_free(p->slot);
    xc_free(p->hash);
    xc_free(p);
}
