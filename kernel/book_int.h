/* book_int.h - private layout of the workbook shared by book.c (cells,
 * sheets, names, styles) and graph.c (dependency index, recalculation).
 *
 * Cells live in per-sheet row vectors.  Formula cells and edited cells
 * have a node: a slot in a chunked, book-wide table whose addresses never
 * move.  The dependency index maps a cell (or a block of rows, or a whole
 * sheet for very large ranges) to the nodes whose formulas read it.
 * Index entries carry the generation of the node they were made for; a
 * node whose formula changes bumps its generation, which retires its old
 * entries without searching for them (they are compacted by a rebuild
 * when they pile up).
 */
#ifndef XC_BOOK_INT_H
#define XC_BOOK_INT_H

#include "exacalc/book.h"

/* Node flags */
#define XN_USED 1u        /* slot in use */
#define XN_DIRTY 2u       /* must be evaluated by the next recalc */
#define XN_ONSTACK 4u     /* on the Tarjan stack */
#define XN_VOLATILE 8u    /* engine said XC_DEP_VOLATILE */
#define XN_DYNAMIC 16u    /* engine said XC_DEP_DYNAMIC */
#define XN_STATED 32u     /* `stated` holds the file's value */
#define XN_EVALUATING 64u /* engine->eval running for it */
#define XN_PENDING 128u   /* precedents not yet registered in the index */
#define XN_INVOL 256u     /* listed in the volatile list */
#define XN_CYCLE 512u     /* found on a cycle by the running recalc */
#define XN_MARK 1024u     /* scratch mark (dependents query) */
#define XN_PART 2048u     /* member of an array formula, not the anchor */
#define XN_RETRY 4096u    /* on the deep-evaluation retry stack */
#define XN_ROOT                                                                \
    8192u /* dirty with a reason to evaluate: its formula                      \
             or a precedent changed (else it is dirty                          \
             only because something upstream may change) */

/* read while its own evaluation ran: the cycle is real (graph.c) */
#define XN_REENTERED 16384u
/* registered with a precedent not wholly before its own cell in the
 * book's order (sheet, row, column): see graph.c, in_sheet_order */
#define XN_BACK 32768u

typedef struct xnode {
    xc_formula *f;   /* owned reference, or NULL */
    xc_value stated; /* valid when XN_STATED */
    xc_area *arr;    /* array-formula range of an anchor, else NULL */
    int32_t sheet;
    uint32_t row, col;
    uint32_t flags;  /* XN_* */
    uint32_t gen;    /* generation of its index entries */
    uint32_t nedges; /* index entries made under the current gen */
    uint32_t anchor; /* XN_PART: node id of the anchor; free: next free */
} xnode;

#define XN_CHUNK_BITS 12
#define XN_CHUNK (1u << XN_CHUNK_BITS)

/* cap 0 with c set: c is a slot in the sheet's slab (book.c), not a
 * block of its own (n is 0 or 1) */
typedef struct xrow {
    xc_cell *c;
    uint32_t n, cap;
} xrow;

typedef struct xu32vec {
    uint32_t *v;
    uint32_t n, cap;
} xu32vec;

/* An index entry: the dependents of one cell, or of column intervals
 * of one row, form a linked list in the book-wide edge pool. */
typedef struct xedge {
    uint32_t node, gen, next;
    uint16_t c1, c2; /* columns read (a cell entry: its column) */
} xedge;

/* A range precedent registered in row buckets or in the wide list.
 * Wide ranges with the same rectangle (SUMIF(A:A,...) down a column)
 * form one group: the list holds the first, `next` chains the rest. */
typedef struct xrange {
    uint32_t r1, c1, r2, c2;
    uint32_t node, gen;
    uint32_t next; /* wide groups only */
} xrange;

#define XG_BLOCK_BITS 10 /* 1024-row buckets */
#define XG_MAX_BLOCKS 64 /* ranges over more buckets go to the wide list */
#define XG_ROWS 16       /* ranges of at most this many rows: per row */

typedef struct xsheet {
    char *name;
    xrow *rows;
    uint32_t nrows, rcap; /* rows[0..nrows) valid */
    uint32_t ext_rows, ext_cols;
    int ext_valid;
    /* dependency index */
    uint64_t *hkeys; /* cell or row key (graph.c); 0 = empty slot */
    uint32_t *hvals; /* head edge index */
    uint32_t hcap, hn;
    xrange *rng;
    uint32_t nrng, rngcap;
    xu32vec *buckets; /* per 1024-row block: indices into rng */
    uint32_t nbuckets;
    xu32vec wide;    /* group heads: indices into rng */
    uint32_t *whash; /* rectangle -> 1 + index into wide; 0 = empty */
    uint32_t whcap;
    /* row flags: rows with non-zero flags, sorted (book.c) */
    struct xrowflag *rflags;
    uint32_t nrflags, rfcap;
    int filtered;              /* a filter is active over rows: */
    uint32_t filt_r1, filt_r2; /* its hidden rows are filtered out */
    struct xslab *slab;        /* one-cell rows made while loading (book.c) */
} xsheet;

typedef struct xname {
    char *name;
    char *formula;
    int sheet;
    int hidden;
    xc_formula *parsed;
} xname;

typedef struct xcycle {
    size_t off, n; /* into cyccells */
} xcycle;

typedef struct xframe {
    uint32_t node;
    uint32_t start, pos, end; /* successors succ[start..end), next pos */
} xframe;

struct xc_book {
    const xc_engine *eng;
    void *eng_ctx;
    char errmsg[512];
    int date1904;
    int loading;
    void *ud;
    void (*ud_free)(void *);

    xsheet **sheets;
    int nsheets, sheetcap;

    char **styles;
    uint32_t nstyles, stylecap;

    xname *names;
    int nnames, namecap;

    /* nodes */
    xnode **chunks;
    uint32_t nchunks;
    uint32_t nnodes;   /* slots handed out (high-water mark) */
    uint32_t freelist; /* 1 + id of the first free slot, 0 = none */

    /* dependency graph state */
    int graph_built; /* index holds every formula node (not pending) */
    int all_dirty;   /* every XN_DIRTY node counts as a root */
    int all_roots;   /* every XN_DIRTY node has XN_ROOT too */
    xu32vec dirty;   /* roots marked since the last recalc */
    xu32vec pending; /* nodes to register in the index */
    xu32vec vol;     /* volatile / dynamic nodes */
    xedge *edges;
    uint32_t nedges, edgecap;
    xc_area *regbuf; /* precedents of the node being registered */
    uint32_t nreg, regcap;
    size_t live, stale; /* index entries current / retired */
    uint32_t nback;     /* registered nodes with XN_BACK */

    /* the engine's value cache (xc_book_set_cache) */
    const xc_book_cache_ops *cache_ops;
    void *cache;

    /* recalculation */
    int in_recalc;
    uint32_t loop_node; /* 1 + the node the recalc loop is at, 0 = none */
    int in_order;       /* the loop's own evaluation of loop_node runs */
    int depth;          /* on-demand evaluation nesting */
    int eval_error;     /* first C-level failure of an on-demand evaluation */
    size_t taint;       /* reads cut by the depth limit so far */
    uint32_t deep;      /* 1 + the node such a read wanted, 0 = none */
    xu32vec retry;      /* nodes waiting for deeper ones (graph.c) */
    size_t eval_count;
    uint32_t *tidx, *tlow; /* Tarjan numbering, per node (0: unvisited) */
    uint32_t tcap;
    xu32vec stack, succ, order, work;
    xframe *frames;
    uint32_t nframes, framecap;
    xcycle *cycles;
    size_t ncycles, cyccap;
    xc_cellpos *cyccells;
    size_t ncyccells, cyccellcap;
};

/* book.c */
static inline xnode *xb_node(const xc_book *b, uint32_t id)
{
    return &b->chunks[id >> XN_CHUNK_BITS][id & (XN_CHUNK - 1)];
}
xc_cell *xb_find(const xc_book *b, int sheet, uint32_t row, uint32_t col);
int xb_u32_push(xu32vec *v, uint32_t x);
/* Store v (moved) as the value of the cell at the node's position and,
 * for an array anchor, spread it over the range.  1 when a value
 * changed. */
int xb_store_result(xc_book *b, xnode *n, xc_value *v);

/* The value stored in (sheet,row,col) is about to change (after = 0)
 * or has changed (after = 1): tell the engine's cache. */
static inline void xb_note(xc_book *b, int sheet, uint32_t row, uint32_t col,
                           int after)
{
    if (b->cache_ops && !b->loading)
        b->cache_ops->change(b->cache, b, sheet, row, col, after);
}

/* graph.c */
void xg_clear_index(xc_book *b);
void xg_free(xc_book *b);
/* A node's index entries become stale (formula changed or removed). */
void xg_retire(xc_book *b, xnode *n);
/* Mark node id dirty, with a reason to evaluate (XN_ROOT). */
int xg_set_dirty(xc_book *b, uint32_t id);
/* The area's values changed: its direct dependents become roots, their
 * transitive dependents dirty. */
int xg_mark_area(xc_book *b, int sheet, uint32_t r1, uint32_t c1, uint32_t r2,
                 uint32_t c2);
/* Queue a node for registration of its precedents. */
int xg_queue(xc_book *b, uint32_t id);
/* A defined name changed: every formula's precedents may change. */
void xg_invalidate(xc_book *b);
/* Recalculations ordered by walking the cells (graph.c in_sheet_order):
 * for tests. */
extern size_t xg_sheet_orders;

#endif
