/* ifs_cache.c - the criteria-match cache behind SUMIF, COUNTIF, SUMIFS,
 * COUNTIFS, AVERAGEIF(S), MAXIFS and MINIFS over large ranges.
 *
 * An entry is keyed by its criteria ranges (single areas of one shape)
 * with their criterion values, and optionally the value range.  It holds
 * the set of matching positions (a bitmap over the shape, row-major, the
 * order the scan visits them in) and, with a value range, the exact sum,
 * count and inexact/error counts of the numbers at those positions.  The
 * book tells the cache of every change of a stored value (before and
 * after, xc_book_cache_ops): the positions the cell occupies in the
 * entry's ranges are taken out before the change and re-tested after
 * it, so an entry always describes the cells' stored values.  It is
 * consulted only when stored values are final for the formula being
 * evaluated (xc_book_settled), and built then.  An entry that would cost
 * more to maintain than to rebuild is dropped and rebuilt on its next
 * use; at most MAX_ENTRIES live, the least recently used goes first.
 *
 * The cached sum answers SUMIF/AVERAGEIF in exact mode only when it is
 * provably what a scan in order would compute: no error among the
 * values (the scan returns the first error), no huge inputs, and few
 * enough distinct denominators that no partial sum can exceed the
 * number size limit.  Otherwise the matches are replayed in order. */
#include <string.h>

#include "formula_int.h"

#define MAX_ENTRIES 64
#define MAX_BITS (1u << 25) /* bitmap size limit per entry (4 MB) */
#define DEN_CAP 1024        /* distinct-denominator table slots */
#define MIN_BUDGET 256      /* position updates before an entry is dropped */

enum { ST_VALID, ST_STALE, ST_NONE };

typedef struct icpair {
    xc_area a; /* sheet == sheet2, the range as given */
    xc_value cv;
    xc_criteria *cr;
} icpair;

typedef struct icent {
    int n;
    icpair *p;
    int has_val;
    xc_area val;         /* the value range's cells (clipped to the sheet) */
    uint32_t rows, cols; /* the criteria shape */
    xc_area box;         /* bounding box of every range (when one sheet) */
    int one_sheet;
    int state; /* ST_* */
    uint64_t *bits;
    size_t nwords;
    uint64_t nmatch;
    /* aggregate of the numbers at the matching positions */
    int agg_ok;
    xc_num sum;
    uint64_t nnum, ninx, nerr, nbig;
    int64_t *dk;      /* distinct denominators (0 = free slot) */
    uint32_t *dc;     /* their counts (0: kept for reuse) */
    uint32_t dused;   /* slots taken */
    uint64_t denbits; /* bits of the denominators with count > 0 */
    uint64_t touches, budget, tick;
} icent;

typedef struct xc_ifs_cache {
    icent *e[MAX_ENTRIES];
    int n;
    uint64_t tick;
    size_t hits, builds;
} xc_ifs_cache;

/* ---- entries ----------------------------------------------------------- */

static void ent_drop_data(icent *e)
{
    xc_free(e->bits);
    e->bits = NULL;
    e->nwords = 0;
    e->nmatch = 0;
    xc_num_clear(&e->sum);
    xc_num_init(&e->sum);
    e->nnum = e->ninx = e->nerr = e->nbig = 0;
    xc_free(e->dk);
    xc_free(e->dc);
    e->dk = NULL;
    e->dc = NULL;
    e->dused = 0;
    e->denbits = 0;
    e->agg_ok = 0;
    e->touches = 0;
}

static void ent_free(icent *e)
{
    if (!e)
        return;
    ent_drop_data(e);
    xc_num_clear(&e->sum);
    for (int k = 0; k < e->n; k++) {
        xc_value_clear(&e->p[k].cv);
        xc_criteria_free(e->p[k].cr);
    }
    xc_free(e->p);
    xc_free(e);
}

static void cache_reset(void *ud)
{
    xc_ifs_cache *c = ud;
    for (int i = 0; i < c->n; i++)
        ent_free(c->e[i]);
    c->n = 0;
}

static void cache_free(void *ud)
{
    if (!ud)
        return;
    cache_reset(ud);
    xc_free(ud);
}

static int in_area(const xc_area *a, int sheet, uint32_t row, uint32_t col)
{
    return a->sheet == sheet && row >= a->r1 && row <= a->r2 && col >= a->c1 &&
           col <= a->c2;
}

static const xc_value empty_value;

static const xc_value *stored(const xc_book *b, int sheet, uint32_t row,
                              uint32_t col)
{
    const xc_cell *c = xc_book_cell(b, sheet, row, col);
    return c ? &c->v : &empty_value;
}

/* Stored value of the value range at position (i,j). */
static const xc_value *val_at(const xc_book *b, const icent *e, uint32_t i,
                              uint32_t j)
{
    uint64_t r = (uint64_t)e->val.r1 + i, c = (uint64_t)e->val.c1 + j;
    if (r > e->val.r2 || c > e->val.c2)
        return &empty_value;
    return stored(b, e->val.sheet, (uint32_t)r, (uint32_t)c);
}

/* Do all criteria hold at position (i,j), on stored values? */
static int match_at(const xc_book *b, const icent *e, uint32_t i, uint32_t j)
{
    for (int k = 0; k < e->n; k++) {
        const xc_area *a = &e->p[k].a;
        if (!xc_criteria_match(e->p[k].cr,
                               stored(b, a->sheet, a->r1 + i, a->c1 + j)))
            return 0;
    }
    return 1;
}

/* ---- the aggregate ------------------------------------------------------ */

static uint32_t den_slot(int64_t d)
{
    return (uint32_t)(((uint64_t)d * 0x9E3779B97F4A7C15ull) >> 40) &
           (DEN_CAP - 1);
}

static unsigned bitlen(uint64_t x)
{
    unsigned k = 0;
    while (x) {
        k++;
        x >>= 1;
    }
    return k;
}

/* Count denominator d in (dir = 1) or out (dir = -1). */
static int den_count(icent *e, int64_t d, int dir)
{
    if (!e->dk) {
        e->dk = xc_calloc(DEN_CAP, sizeof *e->dk);
        e->dc = xc_calloc(DEN_CAP, sizeof *e->dc);
        if (!e->dk || !e->dc)
            return XC_ENOMEM;
    }
    uint32_t i = den_slot(d);
    for (uint32_t probes = 0; probes < DEN_CAP;
         probes++, i = (i + 1) & (DEN_CAP - 1)) {
        if (e->dk[i] == d) {
            if (dir > 0) {
                if (e->dc[i]++ == 0)
                    e->denbits += bitlen((uint64_t)d);
            } else {
                if (e->dc[i] == 0)
                    return XC_EINVAL; /* cannot happen: counted in first */
                if (--e->dc[i] == 0)
                    e->denbits -= bitlen((uint64_t)d);
            }
            return XC_OK;
        }
        if (!e->dk[i]) {
            if (dir < 0 || e->dused + 1 > DEN_CAP / 2)
                return XC_ELIMIT;
            e->dk[i] = d;
            e->dc[i] = 1;
            e->dused++;
            e->denbits += bitlen((uint64_t)d);
            return XC_OK;
        }
    }
    return XC_ELIMIT;
}

/* Add (dir = 1) or remove (dir = -1) the value v of a matching position
 * to the aggregate.  A failure leaves the aggregate unusable. */
static void agg_apply(icent *e, const xc_value *v, int dir)
{
    if (!e->has_val || !e->agg_ok)
        return;
    if (v->type == XC_ERROR) {
        e->nerr += (uint64_t)dir;
        return;
    }
    if (v->type != XC_NUMBER)
        return;
    const xc_num *x = &v->u.num;
    int st = dir > 0 ? xc_num_add(&e->sum, &e->sum, x)
                     : xc_num_sub(&e->sum, &e->sum, x);
    e->nnum += (uint64_t)dir;
    if (v->flags & XC_VAL_INEXACT)
        e->ninx += (uint64_t)dir;
    if (x->d > 0) {
        if (st == XC_OK)
            st = den_count(e, x->d, dir);
    } else {
        e->nbig += (uint64_t)dir;
    }
    if (st != XC_OK)
        e->agg_ok = 0;
}

/* ---- the bitmap --------------------------------------------------------- */

static int bit_get(const icent *e, uint64_t pos)
{
    return pos / 64 < e->nwords && (e->bits[pos / 64] >> (pos % 64) & 1);
}

static int bit_set(icent *e, uint64_t pos)
{
    if (pos >= MAX_BITS)
        return XC_ELIMIT;
    size_t w = (size_t)(pos / 64);
    if (w >= e->nwords) {
        size_t nw = e->nwords ? e->nwords : 16;
        while (nw <= w)
            nw *= 2;
        uint64_t *p = xc_realloc(e->bits, nw * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        memset(p + e->nwords, 0, (nw - e->nwords) * sizeof *p);
        e->bits = p;
        e->nwords = nw;
    }
    e->bits[w] |= 1ull << (pos % 64);
    return XC_OK;
}

/* ---- building ----------------------------------------------------------- */

/* Fill an entry from the stored values: walk the cells the driving
 * range (criterion k, which rejects empty cells) holds, as the scan
 * does.  *cost receives the number of cells walked. */
static int ent_build(const xc_book *b, icent *e, int k, uint64_t *cost)
{
    xc_iter it;
    xc_cell *cell;
    uint32_t r, c;
    const xc_area *d = &e->p[k].a;
    int st = XC_OK;
    ent_drop_data(e);
    e->agg_ok = 1;
    *cost = 0;
    xc_iter_init(&it, b, d);
    while ((cell = xc_iter_next(&it, &r, &c)) != NULL) {
        ++*cost;
        if (!xc_criteria_match(e->p[k].cr, &cell->v))
            continue;
        uint32_t i = r - d->r1, j = c - d->c1;
        if (!match_at(b, e, i, j))
            continue;
        if ((st = bit_set(e, (uint64_t)i * e->cols + j)))
            break;
        e->nmatch++;
        agg_apply(e, val_at(b, e, i, j), 1);
    }
    if (st) {
        ent_drop_data(e);
        return st;
    }
    e->budget = MIN_BUDGET + *cost / 4;
    return XC_OK;
}

/* ---- change notices ----------------------------------------------------- */

/* Positions (row-major, in the criteria shape) that cell (sheet,row,col)
 * occupies in the entry's ranges, without repeats. */
static int positions(const icent *e, int sheet, uint32_t row, uint32_t col,
                     uint64_t *pos)
{
    int np = 0;
    for (int k = -1; k < e->n; k++) {
        const xc_area *a = k < 0 ? &e->val : &e->p[k].a;
        if ((k < 0 && !e->has_val) || !in_area(a, sheet, row, col))
            continue;
        uint64_t p = (uint64_t)(row - a->r1) * e->cols + (col - a->c1);
        int seen = 0;
        for (int q = 0; q < np && !seen; q++)
            seen = pos[q] == p;
        if (!seen)
            pos[np++] = p;
    }
    return np;
}

static void cache_change(void *ud, const xc_book *b, int sheet, uint32_t row,
                         uint32_t col, int after)
{
    xc_ifs_cache *c = ud;
    uint64_t pos[XC_FORMULA_MAX_ARGS + 1];
    for (int x = 0; x < c->n; x++) {
        icent *e = c->e[x];
        if (e->state != ST_VALID ||
            (e->one_sheet && !in_area(&e->box, sheet, row, col)))
            continue;
        int np = positions(e, sheet, row, col, pos);
        if (!np)
            continue;
        if (++e->touches > e->budget) {
            /* cheaper to rebuild when next used */
            ent_drop_data(e);
            e->state = ST_STALE;
            continue;
        }
        for (int q = 0; q < np; q++) {
            uint32_t i = (uint32_t)(pos[q] / e->cols);
            uint32_t j = (uint32_t)(pos[q] % e->cols);
            if (!after) {
                if (!bit_get(e, pos[q]))
                    continue;
                e->bits[pos[q] / 64] &= ~(1ull << (pos[q] % 64));
                e->nmatch--;
                agg_apply(e, val_at(b, e, i, j), -1);
            } else if (match_at(b, e, i, j)) {
                if (bit_set(e, pos[q]) != XC_OK) {
                    ent_drop_data(e);
                    e->state = ST_STALE;
                    break;
                }
                e->nmatch++;
                agg_apply(e, val_at(b, e, i, j), 1);
            }
        }
    }
}

static const xc_book_cache_ops cache_ops = {cache_change, cache_reset,
                                            cache_free};

/* ---- lookup ------------------------------------------------------------- */

static int same_area(const xc_area *a, const xc_area *b)
{
    return a->sheet == b->sheet && a->r1 == b->r1 && a->c1 == b->c1 &&
           a->r2 == b->r2 && a->c2 == b->c2;
}

static int ent_matches(const icent *e, const xc_ifs_key *k)
{
    if (e->n != k->n || e->has_val != (k->val != NULL) ||
        (k->val && !same_area(&e->val, k->val)))
        return 0;
    for (int i = 0; i < k->n; i++)
        if (!same_area(&e->p[i].a, &k->areas[i]) ||
            !xc_value_identical(&e->p[i].cv, k->critv[i]))
            return 0;
    return 1;
}

/* A new entry for key k (no data yet), or NULL when out of memory. */
static icent *ent_new(const xc_ifs_key *k)
{
    icent *e = xc_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    xc_num_init(&e->sum);
    e->p = xc_calloc((size_t)k->n, sizeof *e->p);
    if (!e->p) {
        ent_free(e);
        return NULL;
    }
    e->rows = k->rows;
    e->cols = k->cols;
    e->has_val = k->val != NULL;
    if (k->val)
        e->val = *k->val;
    e->box = k->areas[0];
    e->one_sheet = 1;
    for (int i = -1; i < k->n; i++) {
        const xc_area *a = i < 0 ? k->val : &k->areas[i];
        if (!a)
            continue;
        if (a->sheet != e->box.sheet)
            e->one_sheet = 0;
        if (a->r1 < e->box.r1)
            e->box.r1 = a->r1;
        if (a->c1 < e->box.c1)
            e->box.c1 = a->c1;
        if (a->r2 > e->box.r2)
            e->box.r2 = a->r2;
        if (a->c2 > e->box.c2)
            e->box.c2 = a->c2;
    }
    for (int i = 0; i < k->n; i++) {
        e->n = i + 1;
        e->p[i].a = k->areas[i];
        if (xc_value_copy(&e->p[i].cv, k->critv[i]) != XC_OK ||
            xc_criteria_new(&e->p[i].cr, k->critv[i]) != XC_OK) {
            ent_free(e);
            return NULL;
        }
    }
    e->state = ST_STALE;
    return e;
}

static xc_ifs_cache *book_cache(xc_book *b)
{
    xc_ifs_cache *c = xc_book_cache(b, &cache_ops);
    if (c)
        return c;
    c = xc_calloc(1, sizeof *c);
    if (c && xc_book_set_cache(b, &cache_ops, c) != XC_OK) {
        xc_free(c); /* the book holds another cache: scan */
        c = NULL;
    }
    return c;
}

int xc_ifs_cache_get(xc_book *b, const xc_ifs_key *k, int driver,
                     xc_ifs_hit *hit)
{
    memset(hit, 0, sizeof *hit);
    xc_ifs_cache *c = book_cache(b);
    if (!c)
        return XC_OK; /* no cache (out of memory, or the slot is taken) */
    icent *e = NULL;
    int at = -1;
    for (int i = 0; i < c->n && !e; i++)
        if (ent_matches(c->e[i], k)) {
            e = c->e[i];
            at = i;
        }
    if (!e) {
        if (!(e = ent_new(k)))
            return XC_ENOMEM;
        if (c->n == MAX_ENTRIES) {
            int lru = 0;
            for (int i = 1; i < c->n; i++)
                if (c->e[i]->tick < c->e[lru]->tick)
                    lru = i;
            ent_free(c->e[lru]);
            c->e[lru] = c->e[--c->n];
        }
        at = c->n;
        c->e[c->n++] = e;
    }
    e->tick = ++c->tick;
    if (e->state == ST_NONE)
        return XC_OK; /* too large to cache: scan */
    if (e->state == ST_STALE) {
        uint64_t cost;
        int st = ent_build(b, e, driver, &cost);
        if (st == XC_ELIMIT) {
            e->state = ST_NONE;
            return XC_OK;
        }
        if (st) {
            /* out of memory: forget the entry */
            ent_free(e);
            c->e[at] = c->e[--c->n];
            return st;
        }
        e->state = ST_VALID;
        c->builds++;
    } else {
        c->hits++;
    }
    e->touches = 0;
    hit->found = 1;
    hit->bits = e->bits;
    hit->nwords = e->nwords;
    hit->nmatch = e->nmatch;
    hit->cols = e->cols;
    if (e->has_val && e->agg_ok && !e->nerr && !e->nbig &&
        97 + 2 * e->denbits + 2 <= XC_NUM_MAX_BITS) {
        /* every partial sum of these numbers, in any order, has a
           denominator dividing the product of the distinct ones and a
           numerator below 2^(63+34) times it: no addition of the scan
           could have hit the size limit */
        hit->sum = &e->sum;
        hit->nnum = e->nnum;
        hit->inexact = e->ninx != 0;
    }
    return XC_OK;
}

void xc_ifs_cache_stats(const xc_book *b, size_t *hits, size_t *builds)
{
    const xc_ifs_cache *c = xc_book_cache(b, &cache_ops);
    *hits = c ? c->hits : 0;
    *builds = c ? c->builds : 0;
}
