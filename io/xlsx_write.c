/* xlsx_write.c - saving a book as .xlsx.
 *
 * A book loaded from xlsx is written as a round trip of its package:
 * untouched parts are copied raw (compressed bytes kept), a sheet is
 * rewritten only when some cell differs from what the file states, by
 * splicing the original sheet XML (rows with a changed cell cut by a
 * small scanner at offsets recorded while loading; the expat pass over
 * the whole part when the scanner cannot), replacing only the changed
 * <c> elements and deflating on a second thread; calcChain is dropped
 * whenever a sheet changes.  Any other book is written through a
 * built-in minimal template with the same cell writer.  Every save goes
 * to a temporary file of ours in the target folder that is renamed over
 * the target. */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <errno.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h> /* crc32_combine */
#include "xlsx_int.h"

int xc_xlsx_no_splice;
int xc_xlsx_no_thread;
int xc_xlsx_splice_read;
long xc_xlsx_spliced;

/* A rewritten sheet goes to a temporary file in pieces of this size. */
#define SPILL_BYTES (1u << 18)

#define XML_DECL                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static int style_new(xc_book *b, const xc_cell *c);

/* "<" or "</", the namespace prefix, and the rest of a fixed tag:
 * without printf (several times per cell when a sheet is rewritten). */
static int put_tag(xc_buf *o, const char *open, const char *pfx,
                   const char *rest)
{
    int st = xc_buf_puts(o, open);
    if (st == XC_OK && *pfx)
        st = xc_buf_puts(o, pfx);
    if (st == XC_OK)
        st = xc_buf_puts(o, rest);
    return st;
}

/* Append s[0..n): xc_buf_put without the call when it fits (several
 * times per cell when a sheet is rewritten). */
static inline int out_put(xc_buf *o, const char *s, size_t n)
{
    if (n >= o->cap - o->len && xc_buf_reserve(o, n) != XC_OK)
        return XC_ENOMEM;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
    return XC_OK;
}

/* ` s="v"`: a style attribute, without printf. */
static int put_style_attr(xc_buf *o, uint32_t v)
{
    char t[24];
    size_t k = sizeof t;
    t[--k] = '"';
    do {
        t[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(t + k - 4, " s=\"", 4);
    k -= 4;
    return out_put(o, t + k, sizeof t - k);
}

/* ---- one cell ---- */

static int put_text_elem(xc_buf *o, const char *pfx, const char *name,
                         const char *s, size_t n)
{
    int sp = n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' ||
                   memchr(s, '\n', n));
    int st = put_tag(o, "<", pfx, name);
    if (st == XC_OK && sp)
        st = xc_buf_puts(o, " xml:space=\"preserve\"");
    if (st == XC_OK)
        st = xc_buf_putc(o, '>');
    if (st == XC_OK)
        st = xc_xml_escape(o, s, n, 0);
    if (st == XC_OK)
        st = put_tag(o, "</", pfx, name);
    if (st == XC_OK)
        st = xc_buf_putc(o, '>');
    return st;
}

/* The t attribute and the value element(s) for value v; `result` is set
 * for formula results and array parts (strings go in <v> with t="str"),
 * otherwise strings are inline. */
/* Numbers beyond what a file can hold (Excel's doubles): 1 when too
 * large (written as #NUM!), -1 when too small (written as 0). */
static int num_range(const xc_value *v)
{
    /* an inline fraction (both parts within 2^63) or a double fits */
    if (v->type != XC_NUMBER || v->u.num.d != 0)
        return 0;
    if (xc_num_is_zero(&v->u.num))
        return 0;
    long e = xc_num_exp10(&v->u.num);
    if (e > 310)
        return 1;
    if (e < -330)
        return -1;
    double d = xc_num_to_double(&v->u.num);
    return isinf(d) ? 1 : d == 0 ? -1 : 0;
}

/* nr: num_range(v), computed once per cell by the caller */
static const char *value_type(const xc_value *v, int result, int nr)
{
    if (nr > 0)
        return "e";
    switch (v->type) {
    case XC_TEXT:
        return result ? "str" : "inlineStr";
    case XC_BOOL:
        return "b";
    case XC_ERROR:
        return "e";
    default:
        return NULL;
    }
}

/* <v>text</v> with the element prefix. */
static int put_v(xc_buf *o, const char *pfx, const char *text)
{
    int st = put_tag(o, "<", pfx, "v>");
    if (st == XC_OK)
        st = xc_buf_puts(o, text);
    if (st == XC_OK)
        st = put_tag(o, "</", pfx, "v>");
    return st;
}

static int put_value(xc_buf *o, const char *pfx, const xc_value *v, int result,
                     int nr)
{
    int st = XC_OK;
    switch (v->type) {
    case XC_NUMBER:
        if (nr) {
            st = put_v(o, pfx, nr > 0 ? "#NUM!" : "0");
            break;
        }
        st = put_tag(o, "<", pfx, "v>");
        if (st == XC_OK)
            st = xc_num_format(o, &v->u.num, XC_FMT_FILE);
        if (st == XC_OK)
            st = put_tag(o, "</", pfx, "v>");
        break;
    case XC_TEXT:
        if (result)
            st = put_text_elem(o, pfx, "v", v->u.str->s, v->u.str->len);
        else if ((st = put_tag(o, "<", pfx, "is>")) == XC_OK &&
                 (st = put_text_elem(o, pfx, "t", v->u.str->s,
                                     v->u.str->len)) == XC_OK)
            st = put_tag(o, "</", pfx, "is>");
        break;
    case XC_BOOL:
        st = put_v(o, pfx, v->u.b ? "1" : "0");
        break;
    case XC_ERROR: {
        xc_error e = (xc_error)v->err;
        /* #CIRC! is exacalc's own mark; files only know Excel's codes */
        const char *name = xc_error_name(e == XC_ERR_CIRC ? XC_ERR_VALUE : e);
        st = put_v(o, pfx, name);
        break;
    }
    case XC_ARRAY:
        if (v->u.arr->rows && v->u.arr->cols)
            st = put_value(o, pfx, &v->u.arr->v[0], result,
                           num_range(&v->u.arr->v[0]));
        break;
    default:
        break;
    }
    return st;
}

static int put_formula(xc_buf *o, const char *pfx, xc_book *b, int sheet,
                       uint32_t row, const xc_cell *c)
{
    xc_formula *f = xc_book_formula(b, sheet, row, c->col);
    xc_buf txt;
    int st;
    if (!f)
        return XC_OK;
    xc_buf_init(&txt);
    st = xc_formula_print_file(&txt, f, b, sheet, row, c->col);
    if (st == XC_OK)
        st = put_tag(o, "<", pfx, "f");
    if (st == XC_OK && (c->flags & XC_CELL_ARRAY)) {
        xc_area a;
        if (xc_book_array_range(b, sheet, row, c->col, &a) == XC_OK) {
            xc_buf_puts(o, " t=\"array\" ref=\"");
            xc_ref_put(o, a.r1, a.c1);
            if (a.r2 != a.r1 || a.c2 != a.c1) {
                xc_buf_putc(o, ':');
                xc_ref_put(o, a.r2, a.c2);
            }
            st = xc_buf_putc(o, '"');
        }
    }
    if (st == XC_OK)
        st = xc_buf_putc(o, '>');
    if (st == XC_OK)
        st = xc_xml_escape(o, txt.p ? txt.p : "", txt.len, 0);
    if (st == XC_OK)
        st = put_tag(o, "</", pfx, "f>");
    xc_buf_clear(&txt);
    return st;
}

/* c is the book's cell at (row, c->col): a cell without a node (a
 * plain constant) has no formula, no lookup needed. */
static int has_formula(xc_book *b, int sheet, uint32_t row, const xc_cell *c)
{
    return !(c->flags & XC_CELL_ARRAY_PART) && c->node &&
           xc_book_formula(b, sheet, row, c->col) != NULL;
}

/* A complete <c> element for a cell, from the book alone. */
int xc_xlsx_cell_xml(xc_buf *o, const char *pfx, xc_book *b, int sheet,
                     uint32_t row, const xc_cell *c)
{
    xc_formula *f = (c->flags & XC_CELL_ARRAY_PART)
                        ? NULL
                        : xc_book_formula(b, sheet, row, c->col);
    int result = f || (c->flags & XC_CELL_ARRAY_PART);
    int nr = num_range(&c->v);
    const char *t = value_type(&c->v, result, nr);
    int st = put_tag(o, "<", pfx, "c r=\"");
    xc_ref_put(o, row, c->col);
    xc_buf_putc(o, '"');
    if (c->style)
        put_style_attr(o, c->style);
    if (t)
        put_tag(o, " t=\"", t, "\"");
    if (!f && c->v.type == XC_EMPTY)
        return xc_buf_puts(o, "/>");
    st = xc_buf_putc(o, '>');
    if (st == XC_OK && f)
        st = put_formula(o, pfx, b, sheet, row, c);
    if (st == XC_OK)
        st = put_value(o, pfx, &c->v, result, nr);
    if (st == XC_OK)
        st = put_tag(o, "</", pfx, "c>");
    return st;
}

/* ---- change detection ---- */

/* Whether a loaded cell's value or formula differs from what the file
 * states. */
/* hasf: has_formula(b, sheet, row, c) */
static int value_changed_f(xc_book *b, int sheet, uint32_t row,
                           const xc_cell *c, int hasf)
{
    if (c->flags & XC_CELL_EDITED)
        return 1;
    if (!hasf && !(c->flags & XC_CELL_ARRAY_PART))
        return 0; /* a constant not edited since loading */
    if (c->flags & XC_CELL_UNSUPPORTED)
        return 0;
    const xc_value *s = xc_book_stated(b, sheet, row, c->col);
    if (!s)
        return c->v.type != XC_EMPTY;
    return !xc_value_identical(s, &c->v);
}

static int value_changed(xc_book *b, int sheet, uint32_t row, const xc_cell *c)
{
    return (c->flags & XC_CELL_EDITED) ||
           value_changed_f(b, sheet, row, c, has_formula(b, sheet, row, c));
}

/* Whether a loaded cell differs from what the file states (value,
 * formula, or a style added since loading). */
static int cell_changed(xc_book *b, int sheet, uint32_t row, const xc_cell *c)
{
    return value_changed(b, sheet, row, c) || style_new(b, c);
}

static int sheet_changed(xc_book *b, const xc_pkgsheet *ps, int sheet)
{
    xc_iter it;
    xc_area a = {sheet, sheet, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
    uint32_t r, col;
    size_t n = 0;
    xc_cell *c;
    if (ps->kind != XC_SK_WORKSHEET || !ps->part)
        return 0;
    xc_iter_init(&it, b, &a);
    while ((c = xc_iter_next(&it, &r, &col))) {
        n++;
        if (cell_changed(b, sheet, r, c))
            return 1;
    }
    return n != ps->ncells;
}

/* ---- compressing a rewritten part on the second core ----
 * A rewritten sheet is handed over in pieces of SPILL_BYTES to a worker
 * thread that deflates it with ISA-L (level 1: zlib's level-1 ratio at
 * about four times its speed) while the next piece is produced, keeping
 * the CRC-32 and size.  libzip then stores the raw deflate stream as it
 * is: the source that serves it states method, sizes and CRC, so libzip
 * does not compress again.  Small parts (a single piece) never start
 * the thread.  The worker allocates with malloc, not xc_malloc: the
 * allocation-failure hook counts allocations of one thread. */

typedef struct zpipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, done, dead; /* thread running; no more input; it ended */
    int has;                 /* slot holds a piece */
    xc_buf slot;             /* handed over, not yet taken */
    xc_buf cur;              /* being deflated by the worker */
    pthread_t th;
    /* the worker's result, read once it has ended */
    unsigned char *z; /* raw deflate stream (malloc) */
    size_t zlen;
    uint64_t size; /* inflated bytes */
    uint32_t crc;
    int st; /* worker's status */
    char msg[200];
    /* a sheet saved in two halves (sp_half): the stream ends with a
     * full flush instead (cont), and the second half's own stream is
     * appended by add_pipe */
    int cont;
    unsigned char *z2;
    size_t z2len;
    uint64_t size2;
    uint32_t crc2;
} zpipe;

static zpipe *zpipe_new(void)
{
    zpipe *p = xc_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        xc_free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        xc_free(p);
        return NULL;
    }
    xc_buf_init(&p->slot);
    xc_buf_init(&p->cur);
    return p;
}

/* Deflate n bytes at d into the worker's output (last: 1 end the
 * stream, 2 end it on a byte boundary with a full flush, for another
 * stream to follow). */
static int zpipe_deflate(zpipe *p, struct isal_zstream *z, size_t *cap,
                         const char *d, size_t n, int last)
{
    p->crc = crc32_gzip_refl(p->crc, (const unsigned char *)d, (uint64_t)n);
    p->size += n;
    z->next_in = (uint8_t *)(uintptr_t)d;
    z->avail_in = (uint32_t)n;
    z->end_of_stream = (uint16_t)(last == 1);
    z->flush = last == 2 ? FULL_FLUSH : NO_FLUSH;
    for (;;) {
        /* room for the worst case of what is pending, at least 64 KiB */
        size_t need = z->avail_in + z->avail_in / 8 + 65536;
        if (*cap - p->zlen < need) {
            size_t nc = *cap ? *cap : 1u << 20;
            while (nc - p->zlen < need)
                nc *= 2;
            unsigned char *nz = realloc(p->z, nc);
            if (!nz) {
                snprintf(p->msg, sizeof p->msg, "out of memory");
                return XC_ENOMEM;
            }
            p->z = nz;
            *cap = nc;
        }
        size_t room = *cap - p->zlen;
        if (room > UINT32_MAX)
            room = UINT32_MAX;
        z->next_out = p->z + p->zlen;
        z->avail_out = (uint32_t)room;
        if (isal_deflate(z) != COMP_OK) {
            snprintf(p->msg, sizeof p->msg, "deflate failed");
            return XC_EIO;
        }
        p->zlen += room - z->avail_out;
        if (z->avail_in == 0 &&
            (!last || z->internal_state.state ==
                          (last == 1 ? ZSTATE_END : ZSTATE_NEW_HDR)))
            return XC_OK;
    }
}

static void *zpipe_main(void *ud)
{
    zpipe *p = ud;
    struct isal_zstream z;
    size_t cap = 0;
    uint8_t *lvl = malloc(ISAL_DEF_LVL1_DEFAULT);
    int st = XC_OK, last = 0;
    if (!lvl) {
        snprintf(p->msg, sizeof p->msg, "out of memory");
        st = XC_ENOMEM;
    } else {
        isal_deflate_init(&z);
        z.level = 1;
        z.level_buf = lvl;
        z.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    }
    while (st == XC_OK && !last) {
        pthread_mutex_lock(&p->mu);
        while (!p->has && !p->done)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->has) {
            xc_buf t = p->cur;
            p->cur = p->slot;
            p->slot = t;
            xc_buf_reset(&p->slot);
            p->has = 0;
            pthread_cond_broadcast(&p->cv);
        } else {
            last = 1; /* done, nothing left */
            xc_buf_reset(&p->cur);
        }
        pthread_mutex_unlock(&p->mu);
        st = zpipe_deflate(p, &z, &cap, p->cur.p ? p->cur.p : "", p->cur.len,
                           last && p->cont ? 2 : last);
        xc_buf_reset(&p->cur);
    }
    free(lvl);
    pthread_mutex_lock(&p->mu);
    p->st = st;
    p->dead = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Hand the piece in *doc to the worker (starting it the first time);
 * *doc comes back empty.  XC_OK with *doc untouched when the thread
 * cannot be started: the part is then built in memory. */
static int zpipe_put(zpipe *p, xc_buf *doc)
{
    int st = XC_OK;
    if (!p->started) {
        if (p->dead || pthread_create(&p->th, NULL, zpipe_main, p) != 0) {
            p->dead = 1; /* no thread: keep building in memory */
            return XC_OK;
        }
        p->started = 1;
    }
    pthread_mutex_lock(&p->mu);
    while (p->has && !p->dead)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->dead) {
        st = p->st != XC_OK ? p->st : XC_EIO;
    } else {
        xc_buf t = p->slot;
        p->slot = *doc;
        *doc = t;
        xc_buf_reset(doc);
        p->has = 1;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return st;
}

/* No more input: wait for the worker to finish the stream. */
static int zpipe_finish(zpipe *p)
{
    if (!p->started)
        return XC_OK;
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    p->started = 0;
    return p->st;
}

static void zpipe_free(zpipe *p)
{
    if (!p)
        return;
    if (p->started) { /* abandoned: end the input, wait for the thread */
        pthread_mutex_lock(&p->mu);
        p->done = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->th, NULL);
    }
    free(p->z);
    free(p->z2);
    xc_buf_clear(&p->slot);
    xc_buf_clear(&p->cur);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    xc_free(p);
}

/* A libzip source serving an already deflated stream: its stat states
 * the method, both sizes and the CRC, so libzip copies the bytes as they
 * are.  Owns the stream; libzip frees it with the source. */
typedef struct zraw {
    unsigned char *z;
    size_t zlen, off;
    uint64_t size;
    uint32_t crc;
} zraw;

static zip_int64_t zraw_src(void *ud, void *data, zip_uint64_t len,
                            zip_source_cmd_t cmd)
{
    zraw *w = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        w->off = 0;
        return 0;
    case ZIP_SOURCE_READ:
        if (len > w->zlen - w->off)
            len = w->zlen - w->off;
        memcpy(data, w->z + w->off, (size_t)len);
        w->off += (size_t)len;
        return (zip_int64_t)len;
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_FREE:
        free(w->z);
        xc_free(w);
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        if (len < sizeof *st)
            return -1;
        zip_stat_init(st);
        st->size = w->size;
        st->comp_size = w->zlen;
        st->crc = w->crc;
        st->comp_method = ZIP_CM_DEFLATE;
        st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC |
                     ZIP_STAT_COMP_METHOD;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&(zip_error_t){0}, data, len);
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        return -1;
    }
}

/* ---- pass-through rewriting of a sheet ---- */

typedef struct rw {
    xc_xctx x;
    int has_cells; /* bounding box of the book's cells: */
    uint32_t r1, c1, r2, c2;
    xc_buf *out; /* where events currently go */
    xc_buf *doc;
    xc_book *b;
    int sheet, st;
    const xc_pkgsheet *ps;
    char pfx[72];
    /* book cells, row-major, one cell of lookahead */
    xc_iter it;
    xc_cell *bc;
    uint32_t br, bcol;
    /* file position */
    uint32_t next_row, row, next_col;
    int in_row, row_open, inserted, in_sd, skip_end;
    xc_buf rowtag, rowbuf;
    /* current file cell */
    int in_c, c_self, depth;
    uint32_t crow, ccol;
    xc_buf cbuf;
    size_t ftag_end, fstart, fend;
    int f_shared;
    long f_si;
    /* <legacyDrawing> for added notes, inserted in schema order */
    int xdepth, ld_want, ld_done, strict;
    char relpfx[64];
    int xstyles;      /* styles were added since loading, */
    uint32_t nstyles; /* from this index on (style_new) */
    FILE *spill;      /* when set, finished rows of doc are written here */
    zpipe *pipe;      /* when set, finished rows go to the compressing thread */
    int force_pipe;   /* hand even a small part to the pipe (sp_half) */
} rw;

/* Worksheet children that follow <legacyDrawing> in schema order. */
static int after_legacy(const xc_qname *q)
{
    static const char *names[] = {
        "legacyDrawingHF", "drawingHF",  "picture", "oleObjects", "controls",
        "webPublishItems", "tableParts", "extLst",  NULL};
    for (int i = 0; names[i]; i++)
        if (xc_qname_is(q, names[i]))
            return 1;
    return 0;
}

static void put_legacy(rw *w)
{
    if (!w->ld_want || w->ld_done)
        return;
    w->ld_done = 1;
    xc_buf_printf(w->out, "<%slegacyDrawing ", w->pfx);
    if (!w->relpfx[0])
        xc_buf_printf(w->out, "xmlns:r=\"%s\" ",
                      w->strict ? "http://purl.oclc.org/ooxml/"
                                  "officeDocument/relationships"
                                : XC_NS_REL);
    xc_buf_printf(w->out,
                  "%s:id=\""
                  "rIdXcVml"
                  "\"/>",
                  w->relpfx[0] ? w->relpfx : "r");
}

static void rw_nsdecl(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
    rw *w = ud;
    if (prefix && uri && w->xdepth == 0 && strlen(prefix) < sizeof w->relpfx &&
        (strcmp(uri, XC_NS_REL) == 0 ||
         strcmp(uri, "http://purl.oclc.org/ooxml/officeDocument/"
                     "relationships") == 0))
        snprintf(w->relpfx, sizeof w->relpfx, "%s", prefix);
}

static void rw_emit(rw *w, const char *s, size_t n)
{
    if (w->st == XC_OK && out_put(w->out, s, n) != XC_OK)
        w->st = XC_ENOMEM;
}

static void rw_default(void *ud, const XML_Char *s, int len)
{
    rw *w = ud;
    if (w->in_c)
        xc_buf_put(&w->cbuf, s, (size_t)len);
    else
        rw_emit(w, s, (size_t)len);
}

static void rw_current(rw *w)
{
    XML_DefaultCurrent(w->x.p);
}

static void advance(rw *w)
{
    w->bc = xc_iter_next(&w->it, &w->br, &w->bcol);
}

/* Write new book cells that come before (row, col) in the current row. */
static void flush_row_cells(rw *w, uint32_t row, uint32_t col_end)
{
    while (w->bc && w->br == row && w->bcol < col_end && w->st == XC_OK) {
        w->st = xc_xlsx_cell_xml(w->out, w->pfx, w->b, w->sheet, w->br, w->bc);
        w->inserted = 1;
        advance(w);
    }
}

/* Write whole new rows for book cells on rows before row_end. */
static void flush_rows(rw *w, uint32_t row_end)
{
    while (w->bc && w->br < row_end && w->st == XC_OK) {
        uint32_t r = w->br;
        xc_buf_printf(w->out, "<%srow r=\"%u\">", w->pfx, r + 1);
        flush_row_cells(w, r, XC_MAX_COLS);
        if (xc_buf_printf(w->out, "</%srow>", w->pfx) != XC_OK)
            w->st = XC_ENOMEM;
    }
}

static inline int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The bytes [*from, *to) of the raw start tag s[0..n) that stand for
 * attribute `name` (k bytes): from the white space before it through
 * its closing quote; 0 when there is none (or the tag is malformed). */
static inline int tag_attr_span(const char *s, size_t n, const char *name,
                                size_t k, size_t *from, size_t *to)
{
    size_t i = 1;
    /* attribute by attribute, so that a quoted value is never taken for
       an attribute (foo=" t='x'" holds no t) */
    while (i < n && !is_ws(s[i]) && s[i] != '>' && s[i] != '/')
        i++; /* the element name */
    for (;;) {
        size_t ws = i, ns, j;
        while (i < n && is_ws(s[i]))
            i++;
        if (i >= n || i == ws || s[i] == '>' || s[i] == '/')
            return 0;
        ns = i;
        while (i < n && !is_ws(s[i]) && s[i] != '=' && s[i] != '>')
            i++;
        j = i;
        while (j < n && is_ws(s[j]))
            j++;
        if (j >= n || s[j] != '=')
            return 0;
        j++;
        while (j < n && is_ws(s[j]))
            j++;
        if (j >= n || (s[j] != '"' && s[j] != '\''))
            return 0;
        char q = s[j++];
        while (j < n && s[j] != q)
            j++;
        if (j >= n)
            return 0;
        if (i - ns == k && memcmp(s + ns, name, k) == 0) {
            *from = ns - 1; /* with the one blank before it */
            *to = j + 1;
            return 1;
        }
        i = j + 1;
    }
}

/* Remove attribute `name` from a raw start tag held in s[0..*n). */
static void tag_drop_attr(char *s, size_t *n, const char *name)
{
    size_t from, to;
    if (!tag_attr_span(s, *n, name, strlen(name), &from, &to))
        return;
    memmove(s + from, s + to, *n - to);
    *n -= to - from;
    s[*n] = 0;
}

/* Self-closing start tag?  (raw text ends in "/>") */
static int tag_self(const char *s, size_t n)
{
    return n >= 2 && s[n - 1] == '>' && s[n - 2] == '/';
}

/* The tag without its closing "/>" or ">". */
static size_t tag_body(const char *s, size_t n)
{
    return tag_self(s, n) ? n - 2 : n - 1;
}

static void rw_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rw *w = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (w->in_c) {
        w->depth++;
        if (w->depth == 1 && xc_qname_main(&q) && xc_qname_is(&q, "f")) {
            const char *t = xc_attr(atts, "t", 0), *si = xc_attr(atts, "si", 0);
            w->fstart = w->cbuf.len;
            w->f_shared = t && strcmp(t, "shared") == 0;
            w->f_si = si ? strtol(si, NULL, 10) : -1;
            rw_current(w);
            w->fend = w->cbuf.len;
        } else {
            rw_current(w);
        }
        return;
    }
    w->xdepth++;
    if (w->xdepth == 2 && xc_qname_main(&q) && after_legacy(&q))
        put_legacy(w);
    if (!xc_qname_main(&q)) {
        rw_current(w);
        return;
    }
    if (xc_qname_is(&q, "dimension") && !w->in_sd) {
        const char *ref = xc_attr(atts, "ref", 0);
        xc_area a;
        if (!w->has_cells ||
            (ref && xc_range_parse(ref, &a) == 0 && a.r1 <= w->r1 &&
             a.c1 <= w->c1 && a.r2 >= w->r2 && a.c2 >= w->c2)) {
            rw_current(w);
            return;
        }
        /* the used range grew: state the new one */
        if (ref && xc_range_parse(ref, &a) == 0) {
            w->r1 = a.r1 < w->r1 ? a.r1 : w->r1;
            w->c1 = a.c1 < w->c1 ? a.c1 : w->c1;
            w->r2 = a.r2 > w->r2 ? a.r2 : w->r2;
            w->c2 = a.c2 > w->c2 ? a.c2 : w->c2;
        }
        xc_buf_printf(w->out, "<%sdimension ref=\"", w->pfx);
        xc_ref_put(w->out, w->r1, w->c1);
        xc_buf_putc(w->out, ':');
        xc_ref_put(w->out, w->r2, w->c2);
        xc_buf_puts(w->out, "\"/>");
        w->skip_end = 1;
        return;
    } else if (xc_qname_is(&q, "worksheet")) {
        if (q.prefix && q.prefixlen < sizeof w->pfx - 1)
            snprintf(w->pfx, sizeof w->pfx, "%.*s:", (int)q.prefixlen,
                     q.prefix);
        rw_current(w);
        return;
    }
    if (xc_qname_is(&q, "sheetData")) {
        size_t at = w->out->len;
        if (q.prefix && q.prefixlen < sizeof w->pfx - 1)
            snprintf(w->pfx, sizeof w->pfx, "%.*s:", (int)q.prefixlen,
                     q.prefix);
        rw_current(w);
        w->in_sd = 1;
        if (w->out->p && tag_self(w->out->p + at, w->out->len - at)) {
            w->out->len -= 2;
            xc_buf_putc(w->out, '>');
            flush_rows(w, XC_MAX_ROWS);
            xc_buf_printf(w->out, "</%ssheetData>", w->pfx);
            w->in_sd = 0;
        }
    } else if (xc_qname_is(&q, "row") && w->in_sd) {
        const char *r = xc_attr(atts, "r", 0);
        uint32_t n = r ? (uint32_t)strtoul(r, NULL, 10) - 1 : w->next_row;
        w->row = n;
        w->next_row = n + 1;
        w->next_col = 0;
        flush_rows(w, n);
        xc_buf_reset(&w->rowtag);
        xc_buf_reset(&w->rowbuf);
        w->out = &w->rowtag;
        rw_current(w);
        w->out = &w->rowbuf;
        w->inserted = 0;
        w->in_row = 1;
        if (tag_self(w->rowtag.p, w->rowtag.len)) {
            w->row_open = 0;
            /* end handler closes it */
        } else {
            w->row_open = 1;
        }
    } else if (xc_qname_is(&q, "c") && w->in_sd) {
        const char *r = xc_attr(atts, "r", 0);
        if (!w->in_row) {
            w->row = w->next_row;
            w->next_col = 0;
        }
        w->crow = w->row;
        w->ccol = w->next_col;
        if (r)
            xc_ref_parse(r, &w->crow, &w->ccol);
        w->next_col = w->ccol + 1;
        if (w->in_row)
            flush_row_cells(w, w->crow, w->ccol);
        xc_buf_reset(&w->cbuf);
        w->in_c = 1;
        w->depth = 0;
        w->fstart = w->fend = 0;
        w->f_shared = 0;
        rw_current(w);
        w->ftag_end = w->cbuf.len;
        w->c_self = tag_self(w->cbuf.p, w->cbuf.len);
    } else {
        rw_current(w);
    }
}

/* Whether the shared-formula group si (as loaded) is still intact: its
 * master holds the same formula and was not edited. */
static int group_intact(rw *w, long si)
{
    for (size_t i = 0; i < w->ps->ngroups; i++) {
        const xc_sgroup *g = &w->ps->groups[i];
        if ((long)g->si != si)
            continue;
        xc_cell *m = xc_book_cell(w->b, w->sheet, g->row, g->col);
        return m && !(m->flags & XC_CELL_EDITED) &&
               xc_book_formula(w->b, w->sheet, g->row, g->col) == g->f;
    }
    return 0;
}

/* Whether a file cell with no book cell is an empty, unstyled <c/>
 * (the loader keeps no cell for it): written back as it was, so that
 * a rewritten sheet stays byte-faithful outside its changed cells.
 * raw[0..len) is the whole element, its start tag raw[0..tag_end). */
static int cell_bare(const char *raw, size_t len, size_t tag_end)
{
    const char *lt;
    if (tag_end < len) { /* <c ...>...</c>: nothing but the end tag */
        lt = memchr(raw + tag_end, '<', len - tag_end);
        if (!lt || lt + 1 >= raw + len || lt[1] != '/')
            return 0;
    }
    /* no s attribute, or s="0" */
    size_t from, to;
    if (!tag_attr_span(raw, tag_end, "s", 1, &from, &to))
        return 1;
    return to - from >= 3 && raw[to - 2] == '0' && raw[to - 3] == raw[to - 1];
}

/* The book cell at the file cell's position (crow, ccol), taken from
 * the row-major walk; NULL when the book has none (deleted, or never
 * stored). */
static xc_cell *take_cell(rw *w)
{
    xc_cell *c = NULL;
    /* book cells before this one in the row were flushed at the start */
    if (w->bc && w->br == w->crow && w->bcol == w->ccol) {
        c = w->bc;
        advance(w);
    }
    return c;
}

/* What the writer knows of a file cell with book cell c (see
 * cell_check). */
typedef struct cell_chk {
    int edited;  /* regenerated whole */
    int broken;  /* its shared-formula group is no longer intact */
    int restyle; /* a style added since loading */
    int hasf;    /* has_formula */
    int changed; /* value_changed */
} cell_chk;

/* Fill *k for book cell c at the current file cell (w->crow, f_*);
 * each book lookup once. */
static void cell_check(rw *w, const xc_cell *c, cell_chk *k)
{
    memset(k, 0, sizeof *k);
    if ((k->edited = (c->flags & XC_CELL_EDITED) != 0))
        return;
    k->broken = w->f_shared && w->fend > w->fstart && !group_intact(w, w->f_si);
    k->restyle = w->xstyles && c->style >= w->nstyles; /* style_new */
    k->hasf = has_formula(w->b, w->sheet, w->crow, c);
    k->changed = value_changed_f(w->b, w->sheet, w->crow, c, k->hasf);
}

/* Whether the file cell is written back byte for byte: book cell c
 * unchanged (*k from cell_check), or no book cell for an empty unstyled
 * <c/>. */
static int cell_verbatim(rw *w, const xc_cell *c, const cell_chk *k,
                         const char *raw, size_t len)
{
    if (!c)
        return cell_bare(raw, len, w->ftag_end);
    return !k->edited && !k->broken && !k->restyle && !k->changed;
}

/* The start tag raw[0..n) without its bytes [from, to), up to (not
 * including) its closing "/>" or ">", as tag_body gives it once
 * tag_drop_attr has removed them. */
static void emit_tag_body(rw *w, const char *raw, size_t n, size_t from,
                          size_t to)
{
    size_t cut = to - from, m = n - cut;
#define TAG_AT(i) ((i) < from ? raw[(i)] : raw[(i) + cut])
    size_t body =
        m >= 2 && TAG_AT(m - 1) == '>' && TAG_AT(m - 2) == '/' ? m - 2 : m - 1;
#undef TAG_AT
    if (body <= from) {
        rw_emit(w, raw, body);
    } else {
        rw_emit(w, raw, from);
        rw_emit(w, raw + to, body - from);
    }
}

/* Emit the file's cell raw[0..len) for book cell c (*k from
 * cell_check): verbatim when unchanged, else with fresh type and cached
 * value (keeping its attributes and formula text), or fully regenerated
 * when edited; nothing when the book has no cell there (deleted),
 * except for an empty unstyled <c/>. */
static void emit_checked(rw *w, xc_cell *c, const cell_chk *k, const char *raw,
                         size_t len)
{
    int st = XC_OK;
    if (!c) {
        if (cell_bare(raw, len, w->ftag_end))
            rw_emit(w, raw, len);
        return;
    }
    if (k->edited) {
        w->st = xc_xlsx_cell_xml(w->out, w->pfx, w->b, w->sheet, w->crow, c);
        return;
    }
    if (!k->broken && !k->changed) {
        if (!k->restyle) {
            rw_emit(w, raw, len);
            return;
        }
        /* only the style changed: the cell as it was with a new s */
        size_t n = w->ftag_end;
        char *tag = xc_strndup(raw, n);
        if (!tag) {
            w->st = XC_ENOMEM;
            return;
        }
        tag_drop_attr(tag, &n, "s");
        size_t body = tag_body(tag, n);
        rw_emit(w, tag, body);
        put_style_attr(w->out, c->style);
        rw_emit(w, tag + body, n - body);
        xc_free(tag);
        rw_emit(w, raw + w->ftag_end, len - w->ftag_end);
        return;
    }
    int result = k->hasf || (c->flags & XC_CELL_ARRAY_PART);
    int nr = num_range(&c->v);
    const char *t = value_type(&c->v, result, nr);
    size_t n = w->ftag_end;
    if (!k->restyle) {
        /* the start tag without its t attribute, read in place */
        size_t from = n, to = n;
        if (n > 1 && memchr(raw + 1, 't', n - 1))
            tag_attr_span(raw, n, "t", 1, &from, &to);
        emit_tag_body(w, raw, n, from, to);
    } else {
        char small[256]; /* the usual start tag: no allocation */
        char *tag = n < sizeof small ? small : xc_malloc(n + 1);
        if (!tag) {
            w->st = XC_ENOMEM;
            return;
        }
        memcpy(tag, raw, n);
        tag[n] = 0;
        tag_drop_attr(tag, &n, "t");
        tag_drop_attr(tag, &n, "s");
        rw_emit(w, tag, tag_body(tag, n));
        if (tag != small)
            xc_free(tag);
        st = put_style_attr(w->out, c->style);
    }
    /* ` t="..."` and the end of the start tag in one piece */
    char tt[16];
    size_t tn = 0;
    if (t) {
        size_t tl = strlen(t); /* at most "inlineStr" */
        memcpy(tt, " t=\"", 4);
        memcpy(tt + 4, t, tl);
        tt[4 + tl] = '"';
        tn = 5 + tl;
    }
    tt[tn++] = '>';
    if (st == XC_OK)
        st = out_put(w->out, tt, tn);
    if (st == XC_OK && k->broken && k->hasf)
        st = put_formula(w->out, w->pfx, w->b, w->sheet, w->crow, c);
    else if (st == XC_OK && w->fend > w->fstart && k->hasf)
        st = out_put(w->out, raw + w->fstart, w->fend - w->fstart);
    size_t pl = strlen(w->pfx);
    if (st == XC_OK && c->v.type == XC_NUMBER && !nr && pl <= 32) {
        /* put_value's number and the end tag, the tags in one piece
         * each: "<v>", "</v></c>" with the element prefix */
        char vo[40], vc[80], *q = vc;
        vo[0] = '<';
        memcpy(vo + 1, w->pfx, pl);
        memcpy(vo + 1 + pl, "v>", 2);
        memcpy(q, "</", 2);
        memcpy(q += 2, w->pfx, pl);
        memcpy(q += pl, "v></", 4);
        memcpy(q += 4, w->pfx, pl);
        memcpy(q += pl, "c>", 2);
        q += 2;
        st = out_put(w->out, vo, pl + 3);
        if (st == XC_OK)
            st = xc_num_format(w->out, &c->v.u.num, XC_FMT_FILE);
        if (st == XC_OK)
            st = out_put(w->out, vc, (size_t)(q - vc));
    } else {
        if (st == XC_OK)
            st = put_value(w->out, w->pfx, &c->v, result, nr);
        if (st == XC_OK)
            st = put_tag(w->out, "</", w->pfx, "c>");
    }
    if (st != XC_OK && w->st == XC_OK)
        w->st = st;
}

/* emit_checked for a cell not checked yet. */
static void emit_cell(rw *w, xc_cell *c, const char *raw, size_t len)
{
    cell_chk k;
    if (c)
        cell_check(w, c, &k);
    emit_checked(w, c, &k, raw, len);
}

/* The expat pass's cell end: the file cell is in cbuf. */
static void finish_cell(rw *w)
{
    xc_cell *c = take_cell(w);
    emit_cell(w, c, w->cbuf.p ? w->cbuf.p : "", w->cbuf.len);
}

/* Move the finished part of the document to the spill file once it is
 * large (all = 1: whatever is left), so a rewritten sheet does not sit
 * whole in memory until zip_close. */
static void spill(rw *w, int all)
{
    if (w->out != w->doc || w->st != XC_OK ||
        (!all && w->doc->len < SPILL_BYTES) || !w->doc->len)
        return;
    if (w->pipe && !w->pipe->dead &&
        (w->pipe->started || !all || w->force_pipe)) {
        w->st = zpipe_put(w->pipe, w->doc);
        return;
    }
    if (!w->spill)
        return;
    if (fwrite(w->doc->p, 1, w->doc->len, w->spill) != w->doc->len)
        w->st = XC_EIO;
    xc_buf_reset(w->doc);
}

static void rw_end(void *ud, const XML_Char *name)
{
    rw *w = ud;
    xc_qname q;
    if (w->in_c) {
        if (w->depth > 0) {
            w->depth--;
            size_t before = w->cbuf.len;
            rw_current(w);
            xc_qname_split(name, &q);
            if (w->depth == 0 && xc_qname_main(&q) && xc_qname_is(&q, "f"))
                w->fend = w->cbuf.len;
            (void)before;
            return;
        }
        rw_current(w); /* "</c>" or nothing for <c/> */
        w->in_c = 0;
        finish_cell(w);
        w->xdepth--;
        return;
    }
    if (--w->xdepth == 0)
        put_legacy(w); /* before </worksheet> */
    xc_qname_split(name, &q);
    if (xc_qname_main(&q) && xc_qname_is(&q, "row") && w->in_row) {
        flush_row_cells(w, w->row, XC_MAX_COLS);
        w->in_row = 0;
        w->out = w->doc;
        if (w->inserted)
            tag_drop_attr(w->rowtag.p, &w->rowtag.len, "spans");
        if (!w->row_open && w->rowbuf.len) {
            rw_emit(w, w->rowtag.p, tag_body(w->rowtag.p, w->rowtag.len));
            rw_emit(w, ">", 1);
            rw_emit(w, w->rowbuf.p, w->rowbuf.len);
            put_tag(w->out, "</", w->pfx, "row>");
        } else {
            rw_emit(w, w->rowtag.p, w->rowtag.len);
            if (w->rowbuf.len)
                rw_emit(w, w->rowbuf.p, w->rowbuf.len);
            rw_current(w);
        }
        spill(w, 0);
        return;
    }
    if (w->skip_end) { /* end of a replaced <dimension> */
        w->skip_end = 0;
        return;
    }
    if (xc_qname_main(&q) && xc_qname_is(&q, "sheetData") && w->in_sd) {
        flush_rows(w, XC_MAX_ROWS);
        w->in_sd = 0;
    }
    rw_current(w);
}

static void rw_text(void *ud, const XML_Char *s, int len)
{
    rw_current(ud);
}

/* Set up a rewrite of a sheet: the book's bounding box (for
 * <dimension>) and the row-major walk of its cells. */
/* The writer's state with its walk of the book's cells starting at
 * row row1, writing into out through pipe zp (or none). */
static void rw_begin(rw *w, xc_reader *r, xc_book *b, const xc_pkgsheet *ps,
                     int sheet, uint32_t row1, xc_buf *out, zpipe *zp)
{
    xc_area a = {sheet, sheet, row1, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
    memset(w, 0, sizeof *w);
    const xc_pkg *k = xc_pkg_of(b);
    w->strict = k ? k->strict : 0;
    w->xstyles = k && k->nxstyles;
    w->nstyles = k ? k->nstyles : 0;
    w->x.r = r;
    w->out = w->doc = out;
    w->pipe = zp;
    w->b = b;
    w->sheet = sheet;
    w->ps = ps;
    w->next_row = row1;
    xc_buf_init(&w->rowtag);
    xc_buf_init(&w->rowbuf);
    xc_buf_init(&w->cbuf);
    xc_iter_init(&w->it, b, &a);
    advance(w);
}

static void rw_init(rw *w, xc_reader *r, xc_book *b, const xc_pkgsheet *ps,
                    int sheet, int notes, xc_buf *out, FILE *fp, zpipe *zp)
{
    xc_area a;
    rw_begin(w, r, b, ps, sheet, 0, out, zp);
    w->ld_want = notes;
    w->spill = fp;
    /* the bounding box of the book's cells */
    if ((w->has_cells = xc_book_sheet_bounds(b, sheet, &a))) {
        w->r1 = a.r1;
        w->c1 = a.c1;
        w->r2 = a.r2;
        w->c2 = a.c2;
    }
}

static void rw_fini(rw *w)
{
    xc_buf_clear(&w->rowtag);
    xc_buf_clear(&w->rowbuf);
    xc_buf_clear(&w->cbuf);
}

/* Stream the original sheet part through expat into out with the
 * book's changes applied. */
static int rewrite_sheet(xc_reader *r, xc_book *b, const xc_pkgsheet *ps,
                         int sheet, int notes, xc_buf *out, FILE *fp, zpipe *zp)
{
    rw w;
    int st;
    rw_init(&w, r, b, ps, sheet, notes, out, fp, zp);
    XML_Parser p = xc_xml_new(&w);
    if (!p) {
        rw_fini(&w);
        return XC_ENOMEM;
    }
    XML_SetElementHandler(p, rw_start, rw_end);
    XML_SetCharacterDataHandler(p, rw_text);
    XML_SetDefaultHandler(p, rw_default);
    XML_SetStartNamespaceDeclHandler(p, rw_nsdecl);
    st = xc_part_parse(r, ps->part, p);
    XML_ParserFree(p);
    w.out = w.doc;
    spill(&w, 1);
    if (st == XC_OK && w.st != XC_OK)
        st = w.st;
    if (st == XC_OK && fp && fflush(fp) != 0)
        st = XC_EIO;
    rw_fini(&w);
    return st;
}

/* ---- rewriting a sheet by splicing ----
 * The loader recorded where <sheetData>'s content lies in the inflated
 * part (xc_pkgsheet sd_*).  Saving inflates the part again and copies
 * it as it is, except for the rows that hold a changed, inserted or
 * deleted cell: those are cut at their cells with a small scanner
 * (the bytes were checked well-formed by expat when loading) and
 * written by the same code as the expat pass, so both give the same
 * bytes.  Anything the scanner does not expect (comments, processing
 * instructions, CDATA, namespace declarations or entity references in
 * the tags it reads, text between cells, a <dimension> that must grow,
 * notes to wire in) gives XC_EUNSUPPORTED and the caller falls back to
 * the expat pass.  Only the current row and one 64 KiB chunk are held
 * in memory. */

typedef struct sp_cell {
    size_t start, tag_end, end; /* in the window: '<', after '>', after */
    size_t fstart, fend;        /* <f> element relative to start; 0: none */
    int f_shared;
    int r_ok; /* the r attribute is a valid reference, in row, col */
    long f_si;
    uint32_t row, col;
} sp_cell;

typedef struct splice {
    rw *w;
    xc_zin *zf;
    char *buf; /* window on the inflated part: buf[0] is at part offset base */
    size_t len, cap;
    uint64_t base, lim; /* lim: part offset where </sheetData> starts */
    size_t copy_from;   /* window bytes before this are written */
    int eof;
    const char *epfx; /* element prefix, "" or "x:" */
    size_t epfxlen;
    sp_cell *cells;
    size_t ncells, capcells;
} splice;

enum { SP_OK, SP_MORE, SP_BAD };

static int sp_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Write window bytes [copy_from, upto) as they are. */
static void sp_sync(splice *s, size_t upto)
{
    rw *w = s->w;
    if (upto <= s->copy_from)
        return;
    rw_emit(w, s->buf + s->copy_from, upto - s->copy_from);
    s->copy_from = upto;
    spill(w, 0);
}

/* Read the next chunk of the part into the window, first dropping the
 * bytes before keep (written already).  Returns SP_OK, SP_BAD at the
 * end of the part, or sets w->st on a read error. */
static int sp_more(splice *s, size_t keep)
{
    rw *w = s->w;
    if (s->eof)
        return SP_BAD;
    if (keep > s->copy_from)
        keep = s->copy_from; /* never drop bytes not yet written */
    if (keep > 0) {
        memmove(s->buf, s->buf + keep, s->len - keep);
        s->len -= keep;
        s->copy_from -= keep;
        s->base += keep;
    }
    if (s->cap - s->len < XC_XLSX_CHUNK) {
        size_t cap = s->cap ? s->cap * 2 : 4 * XC_XLSX_CHUNK;
        while (cap - s->len < XC_XLSX_CHUNK)
            cap *= 2;
        char *nb = xc_realloc(s->buf, cap);
        if (!nb) {
            w->st = XC_ENOMEM;
            return SP_BAD;
        }
        s->buf = nb;
        s->cap = cap;
    }
    zip_uint64_t want =
        xc_xlsx_splice_read > 0 && xc_xlsx_splice_read < XC_XLSX_CHUNK
            ? (zip_uint64_t)xc_xlsx_splice_read
            : XC_XLSX_CHUNK;
    zip_int64_t n = xc_zin_read(s->zf, s->buf + s->len, want);
    if (n < 0) {
        w->st = XC_EFORMAT;
        return SP_BAD;
    }
    if (n == 0)
        s->eof = 1;
    s->len += (size_t)n;
    return SP_OK;
}

/* End of the tag starting at b[i] == '<' (index after its '>'), quotes
 * respected; 0 when the window ends first. */
static size_t sp_tag_end(const char *b, size_t i, size_t n)
{
    char q = 0;
    for (size_t j = i + 1; j < n; j++) {
        char c = b[j];
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '>') {
            return j + 1;
        }
    }
    return 0;
}

/* Whether the tag at b[i] ('<' or "</") names element pfx+name; -1
 * when the window ends too early to tell. */
static inline int sp_name(const splice *s, const char *b, size_t i, size_t n,
                          const char *name, size_t nlen)
{
    if (i + 1 >= n)
        return -1;
    size_t k = i + 1 + (b[i + 1] == '/');
    if (k + s->epfxlen + nlen >= n)
        return -1;
    /* names of one to three bytes: compared here, not by memcmp */
    for (size_t q = 0; q < s->epfxlen; q++)
        if (b[k + q] != s->epfx[q])
            return 0;
    k += s->epfxlen;
    for (size_t q = 0; q < nlen; q++)
        if (b[k + q] != name[q])
            return 0;
    char c = b[k + nlen];
    return sp_ws(c) || c == '>' || c == '/';
}

/* The values of a start tag's r, t and si attributes (NULL when
 * absent), read by sp_start_tag. */
typedef struct sp_attrs {
    const char *r, *t, *si;
    size_t rlen, tlen, silen;
} sp_attrs;

/* The start tag at window index i (b[i] == '<', window end n) in one
 * pass: the values of r, t and si, and *te, the index after its '>'
 * as sp_tag_end gives it (the bytes were checked well-formed when
 * loading).  SP_MORE when the window ends inside the tag; SP_BAD for a
 * namespace declaration or an entity reference in a value we read, or
 * anything malformed. */
static inline int sp_start_tag(const char *b, size_t i, size_t n, sp_attrs *a,
                               size_t *te)
{
    size_t j = i + 1;
    a->r = a->t = a->si = NULL;
    a->rlen = a->tlen = a->silen = 0;
    while (j < n && !sp_ws(b[j]) && b[j] != '>' && b[j] != '/')
        j++; /* the element name */
    for (;;) {
        while (j < n && sp_ws(b[j]))
            j++;
        if (j >= n)
            return SP_MORE;
        if (b[j] == '>') {
            *te = j + 1;
            return SP_OK;
        }
        if (b[j] == '/') {
            if (j + 1 >= n)
                return SP_MORE;
            if (b[j + 1] != '>')
                return SP_BAD;
            *te = j + 2;
            return SP_OK;
        }
        size_t ns = j;
        while (j < n && !sp_ws(b[j]) && b[j] != '=')
            j++;
        size_t nl = j - ns;
        while (j < n && sp_ws(b[j]))
            j++;
        if (j >= n)
            return SP_MORE;
        if (b[j] != '=')
            return SP_BAD;
        j++;
        while (j < n && sp_ws(b[j]))
            j++;
        if (j >= n)
            return SP_MORE;
        if (b[j] != '"' && b[j] != '\'')
            return SP_BAD;
        char q = b[j++];
        size_t vs = j;
        int amp = 0;
        while (j < n && b[j] != q)
            amp |= b[j++] == '&';
        if (j >= n)
            return SP_MORE;
        size_t vl = j - vs;
        j++;
        if (nl >= 5 && b[ns] == 'x' && memcmp(b + ns, "xmlns", 5) == 0)
            return SP_BAD;
        const char **slot = NULL;
        size_t *lslot = NULL;
        if (nl == 1 && b[ns] == 'r')
            slot = &a->r, lslot = &a->rlen;
        else if (nl == 1 && b[ns] == 't')
            slot = &a->t, lslot = &a->tlen;
        else if (nl == 2 && b[ns] == 's' && b[ns + 1] == 'i')
            slot = &a->si, lslot = &a->silen;
        if (slot) {
            if (amp)
                return SP_BAD;
            *slot = b + vs;
            *lslot = vl;
        }
    }
}

/* Scan the <c> element at window index i (end limit n); fills *cell. */
static int sp_cell_scan(splice *s, size_t i, size_t n, sp_cell *cell)
{
    const char *b = s->buf;
    sp_attrs a;
    size_t te;
    int st = sp_start_tag(b, i, n, &a, &te);
    if (st != SP_OK)
        return st;
    cell->start = i;
    cell->tag_end = te;
    cell->fstart = cell->fend = 0;
    cell->f_shared = 0;
    cell->f_si = -1;
    cell->r_ok = 0;
    if (a.r) {
        if (a.rlen >= 16)
            return SP_BAD; /* as long as the copy it was read from */
        cell->r_ok = xc_ref_parse_n(a.r, a.rlen, &cell->row, &cell->col) == 0;
    }
    if (b[te - 2] == '/') {
        cell->end = te;
        return SP_OK;
    }
    int depth = 1, in_f = 0;
    size_t j = te;
    for (;;) {
        const char *lt = j < n && b[j] == '<' ? b + j
                         : j < n              ? memchr(b + j, '<', n - j)
                                              : NULL;
        if (!lt)
            return SP_MORE;
        size_t m = (size_t)(lt - b);
        if (m + 1 >= n)
            return SP_MORE;
        char c1 = b[m + 1];
        if (c1 == '!' || c1 == '?')
            return SP_BAD;
        size_t e;
        if (c1 == '/') {
            /* an end tag: no quotes in it */
            e = m + 2;
            while (e < n && b[e] != '>')
                e++;
            if (e >= n)
                return SP_MORE;
            e++;
            depth--;
            if (in_f && depth == 1) {
                cell->fend = e - i;
                in_f = 0;
            }
            if (depth == 0) {
                cell->end = e;
                return SP_OK;
            }
        } else {
            int isf = 0;
            /* -1 (the window ends before the name does): not <f> if
             * the tag is complete, else SP_MORE below */
            if (depth == 1 && !cell->fstart)
                isf = sp_name(s, b, m, n, "f", 1) > 0;
            if (isf) {
                sp_attrs fa;
                if ((st = sp_start_tag(b, m, n, &fa, &e)) != SP_OK)
                    return st;
                if (e - m > 3 && memmem(b + m, e - m, "xmlns", 5))
                    return SP_BAD;
                cell->fstart = m - i;
                cell->f_shared =
                    fa.t && fa.tlen == 6 && memcmp(fa.t, "shared", 6) == 0;
                if (fa.si) {
                    char tmp[24];
                    size_t k =
                        fa.silen < sizeof tmp - 1 ? fa.silen : sizeof tmp - 1;
                    memcpy(tmp, fa.si, k);
                    tmp[k] = 0;
                    cell->f_si = strtol(tmp, NULL, 10);
                }
                if (b[e - 2] == '/')
                    cell->fend = e - i;
                else
                    in_f = 1;
            } else {
                if (!(e = sp_tag_end(b, m, n)))
                    return SP_MORE;
                if (e - m > 3 && memmem(b + m, e - m, "xmlns", 5))
                    return SP_BAD;
            }
            if (b[e - 2] != '/')
                depth++;
        }
        j = e;
    }
}

/* Load the scanner's record of a cell into the rewrite state, as the
 * expat pass's start handler would have. */
static void sp_cell_state(rw *w, const sp_cell *cell)
{
    if (!w->in_row) {
        w->row = w->next_row;
        w->next_col = 0;
    }
    w->crow = w->row;
    w->ccol = w->next_col;
    if (cell->r_ok) {
        w->crow = cell->row;
        w->ccol = cell->col;
    }
    w->next_col = w->ccol + 1;
    w->ftag_end = cell->tag_end - cell->start;
    w->fstart = cell->fstart;
    w->fend = cell->fend;
    w->f_shared = cell->f_shared;
    w->f_si = cell->f_si;
}

/* The row at window index i: scanned whole first (SP_MORE when the
 * window ends inside it), then written through unless something in it
 * changed. *next receives the index after the row. */
static int sp_row(splice *s, size_t i, size_t n, size_t *next)
{
    rw *w = s->w;
    const char *b = s->buf;
    sp_attrs a;
    size_t te, j, rend, cend;
    int st = sp_start_tag(b, i, n, &a, &te);
    if (st != SP_OK)
        return st;
    int self = b[te - 2] == '/';
    s->ncells = 0;
    j = te;
    if (self) {
        rend = cend = te;
    } else {
        for (;;) {
            while (j < n && sp_ws(b[j]))
                j++;
            if (j + 1 >= n)
                return SP_MORE;
            if (b[j] != '<')
                return SP_BAD;
            if (b[j + 1] == '/') {
                int is = sp_name(s, b, j, n, "row", 3);
                if (is <= 0)
                    return is < 0 ? SP_MORE : SP_BAD;
                cend = j;
                rend = sp_tag_end(b, j, n);
                if (!rend)
                    return SP_MORE;
                break;
            }
            int is = sp_name(s, b, j, n, "c", 1);
            if (is <= 0)
                return is < 0 ? SP_MORE : SP_BAD;
            if (s->ncells == s->capcells) {
                size_t cap = s->capcells ? s->capcells * 2 : 64;
                sp_cell *v = xc_realloc(s->cells, cap * sizeof *v);
                if (!v) {
                    w->st = XC_ENOMEM;
                    return SP_BAD;
                }
                s->cells = v;
                s->capcells = cap;
            }
            if ((st = sp_cell_scan(s, j, n, &s->cells[s->ncells])) != SP_OK)
                return st;
            j = s->cells[s->ncells++].end;
        }
    }
    /* the whole row is in the window: as rw_start/rw_end would */
    uint32_t row = w->next_row;
    if (a.r) {
        /* one to nine plain digits, the usual r: what strtoul gives */
        uint32_t v = 0;
        size_t k = 0;
        while (k < a.rlen && k < 9 && a.r[k] >= '0' && a.r[k] <= '9')
            v = v * 10 + (uint32_t)(a.r[k++] - '0');
        if (k >= 1 && k == a.rlen) {
            row = v - 1;
        } else {
            char tmp[24];
            k = a.rlen < sizeof tmp - 1 ? a.rlen : sizeof tmp - 1;
            memcpy(tmp, a.r, k);
            tmp[k] = 0;
            row = (uint32_t)strtoul(tmp, NULL, 10) - 1;
        }
    }
    w->row = row;
    w->next_row = row + 1;
    w->next_col = 0;
    if (w->bc && w->br < row) { /* new rows before this one */
        sp_sync(s, i);
        flush_rows(w, row);
    }
    w->in_row = 1;
    w->inserted = 0;
    int dirty = 0;
    size_t rawpos = te, tagpos = 0;
    for (size_t k = 0; k <= s->ncells && w->st == XC_OK; k++) {
        const sp_cell *cell = k < s->ncells ? &s->cells[k] : NULL;
        size_t at = cell ? cell->start : cend;
        uint32_t crow = w->row, ccol = XC_MAX_COLS;
        if (cell) {
            sp_cell_state(w, cell);
            crow = w->crow;
            ccol = w->ccol;
        }
        int ins = w->bc && w->br == crow && w->bcol < ccol;
        xc_cell *c = NULL;
        cell_chk chk;
        int keep = 1;
        if (cell && !ins) {
            /* peek: the book cell at this position, if any */
            c = w->bc && w->br == crow && w->bcol == ccol ? w->bc : NULL;
            if (c)
                cell_check(w, c, &chk);
            keep = cell_verbatim(w, c, &chk, b + cell->start,
                                 cell->end - cell->start);
        }
        if (!dirty && (ins || !keep)) { /* the row must be written out */
            sp_sync(s, i);
            if (self) { /* it may become <row ...>cells</row> */
                xc_buf_reset(&w->rowtag);
                xc_buf_reset(&w->rowbuf);
                if (xc_buf_put(&w->rowtag, b + i, te - i) != XC_OK)
                    w->st = XC_ENOMEM;
                w->out = &w->rowbuf;
            } else { /* straight into the document, its spans dropped
                        there if cells are inserted */
                tagpos = w->doc->len;
                rw_emit(w, b + i, te - i);
            }
            rawpos = te; /* the cells so far go through as they are */
            dirty = 1;
        }
        if (dirty && at > rawpos)
            rw_emit(w, b + rawpos, at - rawpos);
        if (ins)
            flush_row_cells(w, crow, ccol);
        if (cell) {
            xc_cell *tc = take_cell(w);
            if (dirty && tc && (ins || tc != c))
                emit_cell(w, tc, b + cell->start, cell->end - cell->start);
            else if (dirty)
                emit_checked(w, tc, &chk, b + cell->start,
                             cell->end - cell->start);
            rawpos = cell->end;
        }
    }
    w->in_row = 0;
    w->out = w->doc;
    if (dirty && !self) {
        xc_buf *d = w->doc;
        size_t from, to;
        if (w->inserted && w->st == XC_OK &&
            tag_attr_span(d->p + tagpos, te - i, "spans", 5, &from, &to)) {
            /* as tag_drop_attr on the start tag written at tagpos */
            memmove(d->p + tagpos + from, d->p + tagpos + to,
                    d->len - tagpos - to);
            d->len -= to - from;
            d->p[d->len] = '\0';
        }
        rw_emit(w, b + cend, rend - cend);
    } else if (dirty) {
        if (w->inserted)
            tag_drop_attr(w->rowtag.p, &w->rowtag.len, "spans");
        if (w->rowbuf.len) {
            rw_emit(w, w->rowtag.p, tag_body(w->rowtag.p, w->rowtag.len));
            rw_emit(w, ">", 1);
            rw_emit(w, w->rowbuf.p, w->rowbuf.len);
            put_tag(w->out, "</", w->pfx, "row>");
        } else {
            rw_emit(w, w->rowtag.p, w->rowtag.len);
            rw_emit(w, w->rowbuf.p ? w->rowbuf.p : "", w->rowbuf.len);
            rw_emit(w, b + cend, rend - cend);
        }
    }
    if (dirty) {
        s->copy_from = rend;
        spill(w, 0);
    }
    *next = rend;
    return SP_OK;
}

/* Whether the part's XML declaration names an encoding other than
 * UTF-8 (the scanner reads bytes as ASCII-compatible UTF-8). */
static int sp_foreign_encoding(const char *b, size_t n)
{
    if (n >= 2 && ((unsigned char)b[0] == 0xFE || (unsigned char)b[0] == 0xFF ||
                   b[0] == 0 || b[1] == 0))
        return 1;
    if (n < 5 || memcmp(b, "<?xml", 5) != 0)
        return 0;
    const char *end = memmem(b, n, "?>", 2);
    const char *e = memmem(b, end ? (size_t)(end - b) : n, "encoding", 8);
    if (!e)
        return 0;
    e += 8;
    while (*e && *e != '"' && *e != '\'')
        e++;
    if (!*e)
        return 1;
    return !(strncasecmp(e + 1, "utf-8", 5) == 0 && e[6] == e[0]);
}

/* The rows of <sheetData> from window index *ppos on, until the end
 * of <sheetData> or part offset stop (a cut), whichever comes first. */
static int sp_rows(splice *s, size_t *ppos, uint64_t stop)
{
    rw *w = s->w;
    size_t pos = *ppos;
    int rc = SP_OK;
    while (rc == SP_OK && w->st == XC_OK) {
        size_t n =
            s->base + s->len < s->lim ? s->len : (size_t)(s->lim - s->base);
        while (pos < n && sp_ws(s->buf[pos]))
            pos++;
        if (s->base + pos == s->lim || s->base + pos == stop)
            break;
        if (s->base + pos > stop) {
            rc = SP_BAD; /* the cut is not where a row starts */
            break;
        }
        int k = SP_MORE;
        int is = sp_name(s, s->buf, pos, n, "row", 3);
        size_t next = pos;
        if (is >= 0) {
            if (s->buf[pos] != '<' || !is)
                k = SP_BAD;
            else
                k = sp_row(s, pos, n, &next);
        }
        if (k == SP_MORE) {
            if (s->base + s->len >= s->lim) {
                rc = SP_BAD; /* cannot happen in a well-formed part */
                break;
            }
            sp_sync(s, pos); /* then the window can start at pos */
            rc = sp_more(s, pos);
            pos = 0;
            continue;
        }
        if (k == SP_BAD) {
            rc = SP_BAD;
            break;
        }
        pos = next;
    }
    *ppos = pos;
    return rc;
}

/* After the last row: new rows below it, then the rest of the part as
 * it is. */
static void sp_tail(splice *s)
{
    rw *w = s->w;
    size_t pos = (size_t)(s->lim - s->base);
    if (w->bc) {
        sp_sync(s, pos);
        flush_rows(w, XC_MAX_ROWS);
    }
    for (;;) {
        sp_sync(s, s->len);
        if (w->st != XC_OK || s->eof)
            break;
        if (sp_more(s, s->len) != SP_OK)
            break;
    }
}

/* ---- saving a large sheet in two halves ----
 * Where the load read the part in two (xc_pkgsheet cut_*: a row start
 * and its number), the splice can cut there too: this thread writes
 * the rows before the cut through the pipe as usual, and a worker the
 * rows from it on and the rest of the part, through a pipe of its own
 * into a stream of their own.  The pipe's stream then ends with a full
 * flush (byte-aligned, not final) and the worker's is appended, with
 * the CRC-32s combined (zlib's crc32_combine).  The worker reads the
 * package through its own handle (libzip handles are not shared
 * between threads), checked to be the same entry by size and CRC, and
 * only reads the book.  If it cannot stand, the sheet is saved by the
 * expat pass like any splice that gives up. */
int xc_xlsx_no_half;
long xc_xlsx_halves;

typedef struct sp_half {
    pthread_t th;
    xc_book *b;
    const xc_pkgsheet *ps;
    int sheet;
    const char *path;
    uint64_t size;
    uint32_t crc;
    zpipe *out; /* the worker's pipe and stream */
    int st;
} sp_half;

static void *half_main(void *ud)
{
    sp_half *h = ud;
    const xc_pkgsheet *ps = h->ps;
    int zerr = 0, ost, rc = SP_BAD;
    const char *why;
    rw w;
    splice s;
    xc_buf doc;
    xc_reader r;
    zip_stat_t zs;
    xc_zin *zf = NULL;
    zip_t *zip = zip_open(h->path, ZIP_RDONLY, &zerr);
    zip_int64_t idx = zip ? xc_part_find(zip, ps->part) : -1;
    h->st = XC_EUNSUPPORTED;
    zip_stat_init(&zs);
    if (idx >= 0 && zip_stat_index(zip, (zip_uint64_t)idx, 0, &zs) == 0 &&
        (zs.valid & ZIP_STAT_CRC) && (zs.valid & ZIP_STAT_SIZE) &&
        zs.crc == h->crc && zs.size == h->size)
        zf = xc_zin_open(zip, (zip_uint64_t)idx, &ost, &why);
    if (!zf) {
        if (zip)
            zip_discard(zip);
        return NULL;
    }
    memset(&r, 0, sizeof r);
    r.zip = zip;
    r.file = h->path;
    xc_buf_init(&doc);
    rw_begin(&w, &r, h->b, ps, h->sheet, ps->cut_row, &doc, h->out);
    snprintf(w.pfx, sizeof w.pfx, "%s", ps->sd_pfx);
    w.force_pipe = 1;
    memset(&s, 0, sizeof s);
    s.w = &w;
    s.zf = zf;
    s.epfx = ps->sd_epfx;
    s.epfxlen = strlen(ps->sd_epfx);
    s.lim = ps->sd_end;
    /* the bytes before the cut: inflated again, not written */
    rc = SP_OK;
    while (rc == SP_OK && w.st == XC_OK && s.base + s.len <= ps->cut_at) {
        s.copy_from = s.len;
        rc = sp_more(&s, s.len);
    }
    size_t pos = 0;
    if (rc == SP_OK && w.st == XC_OK) {
        pos = (size_t)(ps->cut_at - s.base);
        s.copy_from = pos;
        rc = sp_rows(&s, &pos, UINT64_MAX);
    }
    if (rc == SP_OK && w.st == XC_OK)
        sp_tail(&s);
    if (rc == SP_OK && w.st == XC_OK) {
        w.out = w.doc;
        spill(&w, 1);
    }
    if (rc == SP_OK && w.st == XC_OK && !h->out->started)
        rc = SP_BAD; /* no pipe thread */
    if (rc == SP_OK && w.st == XC_OK && zpipe_finish(h->out) != XC_OK)
        rc = SP_BAD;
    if (rc == SP_OK && w.st == XC_OK)
        h->st = XC_OK;
    else if (w.st == XC_ENOMEM)
        h->st = XC_ENOMEM;
    xc_zin_close(zf);
    xc_free(s.buf);
    xc_free(s.cells);
    rw_fini(&w);
    xc_buf_clear(&doc);
    zip_discard(zip);
    return NULL;
}

/* Start the worker for the rows from the cut on; 0 when the sheet is
 * saved in one piece. */
static int half_start(sp_half *h, xc_reader *r, xc_book *b,
                      const xc_pkgsheet *ps, int sheet, zpipe *zp)
{
    const xc_pkg *k = xc_pkg_of(b);
    zip_stat_t zs;
    zip_int64_t idx = xc_part_find(r->zip, ps->part);
    memset(h, 0, sizeof *h);
    zip_stat_init(&zs);
    if (!zp || !k || !k->path || !ps->cut_ok || xc_xlsx_no_half ||
        xc_alloc_fail_armed() || ps->cut_at <= ps->sd_begin ||
        ps->cut_at >= ps->sd_end || idx < 0 ||
        zip_stat_index(r->zip, (zip_uint64_t)idx, 0, &zs) != 0 ||
        !(zs.valid & ZIP_STAT_CRC) || !(zs.valid & ZIP_STAT_SIZE))
        return 0;
    h->b = b;
    h->ps = ps;
    h->sheet = sheet;
    h->path = k->path;
    h->size = zs.size;
    h->crc = zs.crc;
    if (!(h->out = zpipe_new()))
        return 0;
    if (pthread_create(&h->th, NULL, half_main, h) != 0) {
        zpipe_free(h->out);
        return 0;
    }
    return 1;
}

/* Wait for the worker; on success its stream goes to follow zp's. */
static int half_join(sp_half *h, zpipe *zp)
{
    int st;
    pthread_join(h->th, NULL);
    st = h->st;
    if (st == XC_OK) {
        zp->z2 = h->out->z;
        zp->z2len = h->out->zlen;
        zp->size2 = h->out->size;
        zp->crc2 = h->out->crc;
        zp->cont = 1;
        h->out->z = NULL;
        xc_xlsx_halves++;
    }
    zpipe_free(h->out);
    return st;
}

/* Rewrite a changed sheet by splicing (see above); XC_EUNSUPPORTED:
 * use the expat pass instead (nothing useful was written). */
static int splice_sheet(xc_reader *r, xc_book *b, const xc_pkgsheet *ps,
                        int sheet, int notes, xc_buf *out, FILE *fp, zpipe *zp)
{
    rw w;
    splice s;
    sp_half h;
    int st = XC_OK, half = 0;
    if (!ps->sd_ok || notes || xc_xlsx_no_splice || ps->has_dim == 2)
        return XC_EUNSUPPORTED;
    rw_init(&w, r, b, ps, sheet, notes, out, fp, zp);
    if (w.has_cells && ps->has_dim == 1 &&
        !(ps->dim.r1 <= w.r1 && ps->dim.c1 <= w.c1 && ps->dim.r2 >= w.r2 &&
          ps->dim.c2 >= w.c2)) {
        rw_fini(&w);
        return XC_EUNSUPPORTED; /* <dimension> must grow */
    }
    memset(&s, 0, sizeof s);
    s.w = &w;
    s.epfx = ps->sd_epfx;
    s.epfxlen = strlen(ps->sd_epfx);
    snprintf(w.pfx, sizeof w.pfx, "%s", ps->sd_pfx);
    zip_int64_t idx = xc_part_find(r->zip, ps->part);
    int ost;
    const char *why;
    s.zf = idx >= 0 ? xc_zin_open(r->zip, (zip_uint64_t)idx, &ost, &why) : NULL;
    if (!s.zf) {
        rw_fini(&w);
        return XC_EUNSUPPORTED;
    }
    half = half_start(&h, r, b, ps, sheet, zp);
    w.force_pipe = half;
    /* everything before the content of <sheetData> as it is */
    size_t pos = 0;
    int rc = SP_OK;
    while (rc == SP_OK && w.st == XC_OK && s.base + s.len < ps->sd_begin)
        rc = sp_more(&s, 0); /* the head of a sheet is small */
    if (rc == SP_OK && w.st == XC_OK && sp_foreign_encoding(s.buf, s.len))
        rc = SP_BAD;
    if (rc == SP_OK && w.st == XC_OK)
        pos = (size_t)(ps->sd_begin - s.base);
    s.lim = ps->sd_end;
    if (rc == SP_OK && w.st == XC_OK)
        rc = sp_rows(&s, &pos, half ? ps->cut_at : UINT64_MAX);
    if (rc == SP_OK && w.st == XC_OK && half) {
        /* this half ends at the cut, after the new rows before it */
        if (s.base + pos != ps->cut_at) {
            rc = SP_BAD;
        } else {
            sp_sync(&s, pos);
            flush_rows(&w, ps->cut_row);
        }
    } else if (rc == SP_OK && w.st == XC_OK) {
        sp_tail(&s);
    }
    xc_zin_close(s.zf);
    xc_free(s.buf);
    xc_free(s.cells);
    if (w.st == XC_OK && rc == SP_OK) {
        w.out = w.doc;
        spill(&w, 1);
        if (half && w.st == XC_OK && !zp->started)
            rc = SP_BAD; /* no pipe thread: nothing to append to */
    }
    if (half) {
        int hs = half_join(&h, zp);
        if (hs == XC_ENOMEM && w.st == XC_OK)
            w.st = XC_ENOMEM;
        else if (hs != XC_OK)
            rc = SP_BAD;
    }
    if (w.st != XC_OK && w.st != XC_EFORMAT)
        st = w.st;
    else if (w.st != XC_OK || rc != SP_OK)
        st = XC_EUNSUPPORTED;
    if (st == XC_OK && fp && fflush(fp) != 0)
        st = XC_EIO;
    if (st == XC_OK)
        xc_xlsx_spliced++;
    rw_fini(&w);
    return st;
}

/* ---- filtering rels and content types ---- */

/* Sheets added to a loaded book: written as new parts and wired into
 * workbook.xml, its rels and [Content_Types].xml. */
typedef struct newsheets {
    xc_book *b;
    int first, n; /* book sheet indexes first .. first+n-1 */
    char (*part)[64];
    uint32_t sheet_id;
    int strict;
    const char *wb_part; /* targets are written relative to its folder */
} newsheets;

struct newsheets;

typedef struct flt {
    xc_xctx x;
    xc_buf *out;
    int skip;
    int full_calc; /* workbook.xml: set calcPr fullCalcOnLoad="1" */
    int calc_done, depth;
    char pfx[72];
    /* new sheets: appended at the end of this element */
    const char *append_in;
    int appended;
    void (*append)(struct flt *f);
    const struct newsheets *ns;
    char relpfx[64];        /* in-scope prefix of the relationships namespace */
    const char *drop_part;  /* "/xl/calcChain.xml" for Override PartName */
    const char *drop_type;  /* rel type suffix for Relationship */
    const char *extra;      /* raw text also appended in append_in */
    int want_vml, vml_seen; /* [Content_Types]: Default for .vml */
} flt;

static void flt_default(void *ud, const XML_Char *s, int len)
{
    flt *f = ud;
    if (!f->skip)
        xc_buf_put(f->out, s, (size_t)len);
}

/* workbook.xml: force a full recalculation on open, for formulas the
 * kernel could not evaluate; calcPr is patched or inserted in schema
 * order (before the elements that follow it). */
static void calc_start(flt *f, const xc_qname *q)
{
    static const char *after[] = {"oleSize",        "customWorkbookViews",
                                  "pivotCaches",    "smartTagPr",
                                  "smartTagTypes",  "webPublishing",
                                  "fileRecoveryPr", "webPublishObjects",
                                  "extLst",         NULL};
    if (f->depth == 1 && q->prefix && q->prefixlen < sizeof f->pfx - 1)
        snprintf(f->pfx, sizeof f->pfx, "%.*s:", (int)q->prefixlen, q->prefix);
    if (f->depth == 2 && xc_qname_is(q, "calcPr") && !f->calc_done) {
        xc_buf tag, *keep = f->out;
        xc_buf_init(&tag);
        f->out = &tag;
        XML_DefaultCurrent(f->x.p);
        f->out = keep;
        if (tag.p) {
            tag_drop_attr(tag.p, &tag.len, "fullCalcOnLoad");
            size_t body = tag_body(tag.p, tag.len);
            xc_buf_put(f->out, tag.p, body);
            xc_buf_puts(f->out, " fullCalcOnLoad=\"1\"");
            xc_buf_put(f->out, tag.p + body, tag.len - body);
        }
        xc_buf_clear(&tag);
        f->calc_done = 1;
        return;
    }
    for (int i = 0; f->depth == 2 && !f->calc_done && after[i]; i++)
        if (xc_qname_is(q, after[i])) {
            xc_buf_printf(f->out, "<%scalcPr fullCalcOnLoad=\"1\"/>", f->pfx);
            f->calc_done = 1;
        }
    XML_DefaultCurrent(f->x.p);
}

static void flt_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    flt *f = ud;
    xc_qname q;
    if (f->skip) {
        f->skip++;
        return;
    }
    xc_qname_split(name, &q);
    if (f->want_vml && xc_qname_is(&q, "Default")) {
        const char *e = xc_attr(atts, "Extension", 0);
        if (e && strcasecmp(e, "vml") == 0)
            f->vml_seen = 1;
    }
    if (f->drop_type && xc_qname_is(&q, "Relationship")) {
        const char *t = xc_attr(atts, "Type", 0);
        if (t && xc_type_is(t, f->drop_type)) {
            f->skip = 1;
            return;
        }
    }
    if (f->drop_part && xc_qname_is(&q, "Override")) {
        const char *pn = xc_attr(atts, "PartName", 0);
        if (pn && strcasecmp(pn, f->drop_part) == 0) {
            f->skip = 1;
            return;
        }
    }
    f->depth++;
    if (f->depth == 1 && q.prefix && q.prefixlen < sizeof f->pfx - 1)
        snprintf(f->pfx, sizeof f->pfx, "%.*s:", (int)q.prefixlen, q.prefix);
    if (f->full_calc && xc_qname_main(&q))
        calc_start(f, &q);
    else
        XML_DefaultCurrent(f->x.p);
}

static void flt_end(void *ud, const XML_Char *name)
{
    flt *f = ud;
    if (f->skip) {
        f->skip--;
        return;
    }
    f->depth--;
    if (f->append_in && !f->appended) {
        xc_qname q;
        xc_qname_split(name, &q);
        if (xc_qname_is(&q, f->append_in)) {
            if (f->ns && f->ns->n)
                f->append(f);
            if (f->want_vml && !f->vml_seen)
                xc_buf_printf(f->out,
                              "<%sDefault Extension=\"vml\" "
                              "ContentType=\"application/"
                              "vnd.openxmlformats-officedocument."
                              "vmlDrawing\"/>",
                              f->pfx);
            if (f->extra)
                xc_buf_puts(f->out, f->extra);
            f->appended = 1;
        }
    }
    if (f->full_calc && f->depth == 0 && !f->calc_done) {
        xc_buf_printf(f->out, "<%scalcPr fullCalcOnLoad=\"1\"/>", f->pfx);
        f->calc_done = 1;
    }
    XML_DefaultCurrent(f->x.p);
}

static void flt_text(void *ud, const XML_Char *s, int len)
{
    flt *f = ud;
    if (!f->skip)
        XML_DefaultCurrent(f->x.p);
}

#define NS_STRICT_REL "http://purl.oclc.org/ooxml/officeDocument/relationships"

static void append_ct(flt *f)
{
    for (int i = 0; i < f->ns->n; i++)
        xc_buf_printf(f->out,
                      "<%sOverride PartName=\"/%s\" ContentType=\"application/"
                      "vnd.openxmlformats-officedocument.spreadsheetml."
                      "worksheet+xml\"/>",
                      f->pfx, f->ns->part[i]);
}

static void append_rels(flt *f)
{
    const char *slash = strrchr(f->ns->wb_part, '/');
    size_t dir = slash ? (size_t)(slash - f->ns->wb_part + 1) : 0;
    for (int i = 0; i < f->ns->n; i++) {
        const char *t = f->ns->part[i];
        int rel = strncmp(t, f->ns->wb_part, dir) == 0;
        xc_buf_printf(f->out,
                      "<%sRelationship Id=\"rIdXc%d\" Type=\"%s/worksheet\" "
                      "Target=\"%s%s\"/>",
                      f->pfx, i + 1, f->ns->strict ? NS_STRICT_REL : XC_NS_REL,
                      rel ? "" : "/", rel ? t + dir : t);
    }
}

static void append_sheets(flt *f)
{
    for (int i = 0; i < f->ns->n; i++) {
        const char *name = xc_book_sheet_name(f->ns->b, f->ns->first + i);
        xc_buf_printf(f->out, "<%ssheet ", f->pfx);
        if (!f->relpfx[0]) /* no prefix in scope: declare one here */
            xc_buf_printf(f->out, "xmlns:xcr=\"%s\" ",
                          f->ns->strict ? NS_STRICT_REL : XC_NS_REL);
        xc_buf_puts(f->out, "name=\"");
        xc_xml_escape(f->out, name, strlen(name), 1);
        xc_buf_printf(f->out, "\" sheetId=\"%u\" %s:id=\"rIdXc%d\"/>",
                      f->ns->sheet_id + (uint32_t)i + 1,
                      f->relpfx[0] ? f->relpfx : "xcr", i + 1);
    }
}

static void flt_nsdecl(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
    flt *f = ud;
    if (prefix && uri && f->depth <= 1 && strlen(prefix) < sizeof f->relpfx &&
        (strcmp(uri, XC_NS_REL) == 0 || strcmp(uri, NS_STRICT_REL) == 0))
        snprintf(f->relpfx, sizeof f->relpfx, "%s", prefix);
}

static int filter_part(xc_reader *r, const char *part, const char *drop_part,
                       const char *drop_type, int full_calc,
                       const struct newsheets *ns, const char *append_in,
                       void (*append)(flt *f), const char *extra, int want_vml,
                       xc_buf *out)
{
    flt f;
    int st;
    memset(&f, 0, sizeof f);
    f.full_calc = full_calc;
    f.ns = ns;
    f.extra = extra && *extra ? extra : NULL;
    f.want_vml = want_vml;
    f.append_in = (ns && ns->n) || f.extra || f.want_vml ? append_in : NULL;
    f.append = append;
    f.x.r = r;
    f.out = out;
    f.drop_part = drop_part;
    f.drop_type = drop_type;
    XML_Parser p = xc_xml_new(&f);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, flt_start, flt_end);
    XML_SetStartNamespaceDeclHandler(p, flt_nsdecl);
    XML_SetCharacterDataHandler(p, flt_text);
    XML_SetDefaultHandler(p, flt_default);
    st = xc_part_parse(r, part, p);
    XML_ParserFree(p);
    return st;
}

/* ---- the zip being written ---- */

/* The archive being written goes straight into our temporary file
 * through a source of our own: zip_open on a path would have libzip
 * write a second temporary file of its own, named with random bytes
 * from OpenSSL, whose initialisation alone cost about a millisecond per
 * save (and a second rename). */
typedef struct out_file {
    const char *path; /* the temporary file */
    FILE *fp;         /* open between BEGIN_WRITE and COMMIT/ROLLBACK */
    char *iobuf;      /* its buffer: fewer, larger writes */
    zip_error_t error;
} out_file;

typedef struct out_zip {
    zip_t *z;
    xc_buf *bufs; /* part contents, alive until zip_close */
    size_t nbufs;
    const char *path;
    char *tmp; /* what libzip writes, renamed to path when complete */
    xc_buf *err;
    out_file file;
} out_zip;

#define OUT_IOBUF (1u << 16)

static zip_int64_t out_fail(out_file *f, int ze)
{
    zip_error_set(&f->error, ze, errno);
    return -1;
}

static void out_drop(out_file *f)
{
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
        unlink(f->path);
    }
}

static zip_int64_t out_cb(void *ud, void *data, zip_uint64_t len,
                          zip_source_cmd_t cmd)
{
    out_file *f = ud;
    switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
            ZIP_SOURCE_SUPPORTS, ZIP_SOURCE_BEGIN_WRITE,
            ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
            ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE,
            ZIP_SOURCE_REMOVE, -1);
    case ZIP_SOURCE_STAT:
        /* nothing there yet: libzip starts a new archive */
        errno = ENOENT;
        return out_fail(f, ZIP_ER_READ);
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&f->error, data, len);
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_READ:
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_SEEK:
    case ZIP_SOURCE_TELL:
    case ZIP_SOURCE_FREE:
        return 0; /* an empty archive is never read; FREE: see close_out */
    case ZIP_SOURCE_BEGIN_WRITE: {
        out_drop(f);
        unlink(f->path); /* ours by name: a leftover of a killed save of
                            a process with the same PID */
        /* "x": created exclusively (O_EXCL), "e": close on exec */
        if (!(f->fp = fopen(f->path, "wbxe")))
            return out_fail(f, ZIP_ER_TMPOPEN);
        if (!f->iobuf)
            f->iobuf = xc_malloc(OUT_IOBUF);
        if (f->iobuf)
            setvbuf(f->fp, f->iobuf, _IOFBF, OUT_IOBUF);
        return 0;
    }
    case ZIP_SOURCE_WRITE:
        if (!f->fp || fwrite(data, 1, len, f->fp) != len)
            return out_fail(f, ZIP_ER_WRITE);
        return (zip_int64_t)len;
    case ZIP_SOURCE_SEEK_WRITE: {
        zip_source_args_seek_t *a =
            ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len, &f->error);
        if (!a)
            return -1;
        if (!f->fp || fseeko(f->fp, (off_t)a->offset, a->whence) != 0)
            return out_fail(f, ZIP_ER_SEEK);
        return 0;
    }
    case ZIP_SOURCE_TELL_WRITE: {
        off_t at = f->fp ? ftello(f->fp) : -1;
        if (at < 0)
            return out_fail(f, ZIP_ER_TELL);
        return (zip_int64_t)at;
    }
    case ZIP_SOURCE_COMMIT_WRITE: {
        int bad = !f->fp || fflush(f->fp) != 0;
        if (f->fp && fclose(f->fp) != 0)
            bad = 1;
        f->fp = NULL;
        if (bad) {
            int e = errno;
            unlink(f->path);
            errno = e;
            return out_fail(f, ZIP_ER_WRITE);
        }
        return 0;
    }
    case ZIP_SOURCE_ROLLBACK_WRITE:
        out_drop(f);
        return 0;
    case ZIP_SOURCE_REMOVE:
        out_drop(f);
        unlink(f->path);
        return 0;
    default:
        zip_error_set(&f->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* Parts from this size on are deflated at level 1: zlib's level 6 costs
 * about 3.4 times as much on sheet XML for files some 16 % smaller. */
#define FAST_DEFLATE_BYTES (1u << 20)

/* Add a part from a buffer (taken over); deflate level 6 (level 1 for
 * large parts) and a known size, so libzip writes no ZIP64 records.
 * Large buffers are trimmed to their length: they live until zip_close. */
static int add_buf(out_zip *o, const char *name, xc_buf *data)
{
    xc_buf *v = xc_realloc(o->bufs, (o->nbufs + 1) * sizeof *v);
    if (!v)
        return XC_ENOMEM;
    o->bufs = v;
    if (data->p && data->len >= 65536 &&
        data->cap > data->len + data->len / 16) {
        char *p = xc_realloc(data->p, data->len + 1);
        if (p) {
            data->p = p;
            data->cap = data->len + 1;
        }
    }
    int level = data->len >= FAST_DEFLATE_BYTES ? 1 : 6;
    v[o->nbufs] = *data;
    xc_buf_init(data);
    xc_buf *d = &v[o->nbufs++];
    zip_source_t *s = zip_source_buffer(o->z, d->p ? d->p : "", d->len, 0);
    if (!s)
        goto fail;
    zip_int64_t i = zip_file_add(o->z, name, s, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(s);
        goto fail;
    }
    if (zip_set_file_compression(o->z, (zip_uint64_t)i, ZIP_CM_DEFLATE,
                                 (zip_uint32_t)level) < 0)
        goto fail;
    return XC_OK;
fail:
    xc_buf_printf(o->err, "%s: %s: %s", o->path, name, zip_strerror(o->z));
    return XC_EIO;
}

/* Add a part from a temporary file (taken over: libzip closes it, which
 * removes it); its size is known, as for add_buf. */
static int add_file(out_zip *o, const char *name, FILE *fp)
{
    long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    /* libzip reads a FILE source from where it stands */
    if (size < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        xc_buf_printf(o->err, "%s: %s: cannot read back the rewritten part",
                      o->path, name);
        return XC_EIO;
    }
    zip_source_t *s = zip_source_filep(o->z, fp, 0, (zip_int64_t)size);
    if (!s) {
        fclose(fp);
        goto fail;
    }
    zip_int64_t i = zip_file_add(o->z, name, s, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(s);
        goto fail;
    }
    if (zip_set_file_compression(o->z, (zip_uint64_t)i, ZIP_CM_DEFLATE,
                                 size >= (long)FAST_DEFLATE_BYTES ? 1 : 6) < 0)
        goto fail;
    return XC_OK;
fail:
    xc_buf_printf(o->err, "%s: %s: %s", o->path, name, zip_strerror(o->z));
    return XC_EIO;
}

/* Add the part a compressing thread made (zp, started): its deflate
 * stream, taken over, is stored as it is. */
static int add_pipe(out_zip *o, const char *name, zpipe *zp)
{
    int st = zpipe_finish(zp);
    if (st != XC_OK) {
        xc_buf_printf(o->err, "%s: %s: cannot compress: %s", o->path, name,
                      zp->msg);
        return st;
    }
    if (zp->z2) { /* the second half's stream after the first */
        unsigned char *nz = realloc(zp->z, zp->zlen + zp->z2len);
        if (!nz)
            return XC_ENOMEM;
        memcpy(nz + zp->zlen, zp->z2, zp->z2len);
        zp->z = nz;
        zp->zlen += zp->z2len;
        zp->crc =
            (uint32_t)crc32_combine(zp->crc, zp->crc2, (z_off_t)zp->size2);
        zp->size += zp->size2;
        free(zp->z2);
        zp->z2 = NULL;
    }
    zraw *w = xc_malloc(sizeof *w);
    if (!w)
        return XC_ENOMEM;
    w->z = zp->z;
    w->zlen = zp->zlen;
    w->off = 0;
    w->size = zp->size;
    w->crc = zp->crc;
    zip_source_t *s = zip_source_function(o->z, zraw_src, w);
    if (!s) {
        xc_free(w);
        goto fail;
    }
    zp->z = NULL; /* the source's now */
    zip_int64_t i = zip_file_add(o->z, name, s, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(s);
        goto fail;
    }
    if (zip_set_file_compression(o->z, (zip_uint64_t)i, ZIP_CM_DEFLATE, 1) < 0)
        goto fail;
    return XC_OK;
fail:
    xc_buf_printf(o->err, "%s: %s: %s", o->path, name, zip_strerror(o->z));
    return XC_EIO;
}

static int add_str(out_zip *o, const char *name, const char *s)
{
    xc_buf b;
    xc_buf_init(&b);
    if (xc_buf_puts(&b, s) != XC_OK)
        return XC_ENOMEM;
    return add_buf(o, name, &b);
}

/* ---- where the archive is written ----
 * libzip writes an archive to "NAME.XXXXXX" beside NAME and renames it
 * at zip_close; a process killed in between leaves that file behind,
 * under a name nothing marks as ours.  So libzip is given our own
 * temporary name instead, ".~xc-BASE-PID.tmp" in the target's folder
 * (its own file is then ".~xc-BASE-PID.tmp.XXXXXX"), which we rename
 * over the target.  Every save first removes what an earlier save of
 * the same target left: files of that pattern whose process is gone. */

#define TMP_PREFIX ".~xc-"
#define TMP_SUFFIX ".tmp"
/* Bytes of the target's name kept in ours, so that ours (plus PID,
 * suffix and libzip's ".XXXXXX") stays within NAME_MAX (255). */
#define TMP_BASE_MAX 200u

static size_t tmp_base_len(const char *base)
{
    size_t n = strlen(base);
    return n < TMP_BASE_MAX ? n : TMP_BASE_MAX;
}

/* The folder ("." when none) and base name of path (caller frees). */
static int split_path(const char *path, char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    *dir = slash ? xc_strndup(path, slash == path ? 1 : (size_t)(slash - path))
                 : xc_strndup(".", 1);
    return *dir ? XC_OK : XC_ENOMEM;
}

/* Whether name is a temporary file of ours for base: TMP_PREFIX base
 * "-" PID TMP_SUFFIX, or that followed by libzip's "." and six
 * characters; *pid receives the PID. */
static int stale_name(const char *name, const char *base, long *pid)
{
    size_t pl = strlen(TMP_PREFIX), bl = tmp_base_len(base);
    const char *p = name;
    if (strncmp(p, TMP_PREFIX, pl) != 0 || strncmp(p + pl, base, bl) != 0 ||
        p[pl + bl] != '-')
        return 0;
    p += pl + bl + 1;
    if (*p < '1' || *p > '9')
        return 0;
    *pid = 0;
    while (*p >= '0' && *p <= '9' && *pid < 100000000)
        *pid = *pid * 10 + (*p++ - '0');
    if (strncmp(p, TMP_SUFFIX, strlen(TMP_SUFFIX)) != 0)
        return 0;
    p += strlen(TMP_SUFFIX);
    if (!*p)
        return 1;
    if (*p++ != '.' || strlen(p) != 6)
        return 0;
    for (; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            return 0;
    return 1;
}

/* Remove the temporary files earlier saves of base into dir left when
 * they were killed (their process no longer exists).  Best effort. */
static void remove_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        long pid;
        if (!stale_name(de->d_name, base, &pid) || pid == (long)getpid() ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        size_t n = strlen(dir) + strlen(de->d_name) + 2;
        char *full = xc_malloc(n);
        if (full) {
            snprintf(full, n, "%s/%s", dir, de->d_name);
            unlink(full);
            xc_free(full);
        }
    }
    closedir(d);
}

static int open_out(out_zip *o, const char *path, xc_buf *err)
{
    char *dir;
    const char *base;
    struct stat sb;
    memset(o, 0, sizeof *o);
    o->path = path;
    o->err = err;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        xc_buf_printf(err, "%s: cannot create: not a regular file", path);
        return XC_EIO;
    }
    if (split_path(path, &dir, &base) != XC_OK)
        return XC_ENOMEM;
    remove_stale(dir, base);
    size_t n = strlen(dir) + strlen(base) + 64;
    o->tmp = xc_malloc(n);
    if (!o->tmp) {
        xc_free(dir);
        return XC_ENOMEM;
    }
    /* one name per save, also between threads saving the same target:
       the suffix counts this process's saves (what a killed save
       leaves is still known by its PID, see stale_name) */
    static atomic_ulong saves;
    unsigned long k = atomic_fetch_add(&saves, 1);
    char sfx[7];
    for (int i = 5; i >= 0; i--, k /= 36)
        sfx[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[k % 36];
    sfx[6] = '\0';
    snprintf(o->tmp, n, "%s/" TMP_PREFIX "%.*s-%ld" TMP_SUFFIX ".%s", dir,
             (int)tmp_base_len(base), base, (long)getpid(), sfx);
    xc_free(dir);
    o->file.path = o->tmp;
    zip_error_init(&o->file.error);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_function_create(out_cb, &o->file, &ze);
    if (src && !(o->z = zip_open_from_source(src, ZIP_CREATE, &ze)))
        zip_source_free(src);
    if (!o->z) {
        xc_buf_printf(err, "%s: cannot create: %s", path,
                      zip_error_strerror(&ze));
        zip_error_fini(&ze);
        zip_error_fini(&o->file.error);
        xc_free(o->tmp);
        o->tmp = NULL;
        return XC_EIO;
    }
    zip_error_fini(&ze);
    return XC_OK;
}

/* Finish (st == XC_OK: write the temporary file, then rename it over
 * the target, which keeps its permissions) or abandon the archive. */
static int close_out(out_zip *o, int st)
{
    struct stat sb;
    int had = stat(o->path, &sb) == 0;
    if (st == XC_OK && zip_close(o->z) != 0) {
        xc_buf_printf(o->err, "%s: cannot write: %s", o->path,
                      zip_strerror(o->z));
        st = XC_EIO;
    } else if (st == XC_OK) {
        if (had)
            chmod(o->tmp, sb.st_mode & 07777);
        if (rename(o->tmp, o->path) != 0) {
            xc_buf_printf(o->err, "%s: cannot write: %s", o->path,
                          strerror(errno));
            unlink(o->tmp);
            st = XC_EIO;
        }
        o->z = NULL;
    }
    if (st != XC_OK && o->z)
        zip_discard(o->z);
    out_drop(&o->file); /* a write libzip began and did not finish */
    zip_error_fini(&o->file.error);
    xc_free(o->file.iobuf);
    for (size_t i = 0; i < o->nbufs; i++)
        xc_buf_clear(&o->bufs[i]);
    xc_free(o->bufs);
    xc_free(o->tmp);
    return st;
}

static int gen_sheet(xc_book *b, int sheet, int strict, xc_buf *o);

/* ---- fills and notes added to a loaded book ---- */

/* Collects from styles.xml what appending needs: the number of <fill>
 * entries and the raw text of every cellXfs <xf>. */
typedef struct sscan {
    xc_xctx x;
    xc_pkg *k;
    int depth, in_fills, in_xfs, capturing, has_fills, st;
    xc_buf cur;
} sscan;

static void ss_default(void *ud, const XML_Char *s, int len)
{
    sscan *c = ud;
    if (c->capturing && xc_buf_put(&c->cur, s, (size_t)len) != XC_OK)
        c->st = XC_ENOMEM;
}

static void ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sscan *c = ud;
    xc_qname q;
    (void)atts;
    xc_qname_split(name, &q);
    c->depth++;
    if (c->depth == 1 && q.prefix && q.prefixlen < sizeof c->k->sty_pfx - 1)
        snprintf(c->k->sty_pfx, sizeof c->k->sty_pfx, "%.*s:", (int)q.prefixlen,
                 q.prefix);
    if (c->depth == 2 && xc_qname_main(&q)) {
        c->in_fills = xc_qname_is(&q, "fills");
        c->has_fills |= c->in_fills;
        c->in_xfs = xc_qname_is(&q, "cellXfs");
    } else if (c->depth == 3 && c->in_fills && xc_qname_is(&q, "fill")) {
        c->k->sty_nfills++;
    } else if (c->depth == 3 && c->in_xfs && xc_qname_is(&q, "xf")) {
        xc_buf_reset(&c->cur);
        c->capturing = 1;
    }
    if (c->capturing)
        XML_DefaultCurrent(c->x.p);
}

static void ss_end(void *ud, const XML_Char *name)
{
    sscan *c = ud;
    (void)name;
    if (c->capturing)
        XML_DefaultCurrent(c->x.p);
    if (c->capturing && c->depth == 3) {
        xc_pkg *k = c->k;
        char **v = xc_realloc(k->sty_xf, (k->sty_nxf + 1) * sizeof *v);
        char *t = xc_strndup(c->cur.p ? c->cur.p : "", c->cur.len);
        if (v)
            k->sty_xf = v;
        if (!v || !t) {
            xc_free(t);
            c->st = XC_ENOMEM;
        } else {
            v[k->sty_nxf++] = t;
        }
        c->capturing = 0;
    }
    if (--c->depth == 1)
        c->in_fills = c->in_xfs = 0;
}

static void ss_text(void *ud, const XML_Char *s, int len)
{
    sscan *c = ud;
    (void)s;
    (void)len;
    if (c->capturing)
        XML_DefaultCurrent(c->x.p);
}

static void pkg_reader(xc_reader *r, xc_pkg *k, xc_buf *err)
{
    memset(r, 0, sizeof *r);
    r->zip = k->zip;
    r->file = k->path;
    r->err = err;
    r->max_part = r->max_total = UINT64_MAX;
}

/* Read styles.xml once for xc_xlsx_style_with_fill. */
static int styles_scan(xc_pkg *k)
{
    xc_reader r;
    xc_buf err;
    sscan c;
    int st;
    if (k->styles_scanned)
        return XC_OK;
    if (!k->styles_part)
        return XC_EUNSUPPORTED;
    xc_buf_init(&err);
    pkg_reader(&r, k, &err);
    memset(&c, 0, sizeof c);
    c.x.r = &r;
    c.k = k;
    xc_buf_init(&c.cur);
    XML_Parser p = xc_xml_new(&c);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, ss_start, ss_end);
    XML_SetCharacterDataHandler(p, ss_text);
    XML_SetDefaultHandler(p, ss_default);
    st = xc_part_parse(&r, k->styles_part, p);
    XML_ParserFree(p);
    xc_buf_clear(&c.cur);
    xc_buf_clear(&err);
    if (st == XC_OK)
        st = c.st;
    if (st == XC_OK &&
        (!c.has_fills || k->sty_nxf == 0 || k->sty_nxf != k->nstyles))
        st = XC_EUNSUPPORTED; /* nothing sound to append to */
    k->styles_scanned = st == XC_OK ? 1 : -1;
    return st;
}

int xc_xlsx_style_with_fill(xc_book *b, uint32_t base_style, uint32_t argb,
                            uint32_t *new_style)
{
    xc_pkg *k = xc_pkg_of(b);
    uint32_t idx;
    if (!k || k->styles_scanned < 0)
        return XC_EUNSUPPORTED;
    int st = styles_scan(k);
    if (st != XC_OK)
        return st;
    if (base_style >= k->sty_nxf)
        return XC_EINVAL;
    for (size_t i = 0; i < k->nxstyles; i++)
        if (k->xstyles[i].base == base_style && k->xstyles[i].argb == argb) {
            *new_style = k->xstyles[i].index;
            return XC_OK;
        }
    xc_xstyle *v = xc_realloc(k->xstyles, (k->nxstyles + 1) * sizeof *v);
    if (!v)
        return XC_ENOMEM;
    k->xstyles = v;
    st = xc_book_add_style(b, xc_book_style_numfmt(b, base_style), &idx);
    if (st != XC_OK)
        return st;
    v[k->nxstyles].base = base_style;
    v[k->nxstyles].argb = argb;
    v[k->nxstyles++].index = idx;
    *new_style = idx;
    return XC_OK;
}

/* Whether the cell carries a style added since loading. */
static int style_new(xc_book *b, const xc_cell *c)
{
    xc_pkg *k = xc_pkg_of(b);
    return k && k->nxstyles && c->style >= k->nstyles;
}

/* Position among the distinct new fill colours (their fill id is
 * sty_nfills + that position); n receives the number of colours. */
static uint32_t fill_slot(const xc_pkg *k, uint32_t argb, uint32_t *n)
{
    uint32_t cnt = 0, at = UINT32_MAX;
    for (size_t i = 0; i < k->nxstyles; i++) {
        size_t j;
        for (j = 0; j < i; j++)
            if (k->xstyles[j].argb == k->xstyles[i].argb)
                break;
        if (j < i)
            continue;
        if (k->xstyles[i].argb == argb)
            at = cnt;
        cnt++;
    }
    if (n)
        *n = cnt;
    return at;
}

/* Append cellXfs entry idx: a copy of its base xf with the new fill, or
 * the default xf for a book style with no fill of its own. */
static int put_new_xf(xc_buf *o, const xc_pkg *k, uint32_t idx)
{
    const xc_xstyle *x = NULL;
    for (size_t i = 0; i < k->nxstyles; i++)
        if (k->xstyles[i].index == idx)
            x = &k->xstyles[i];
    const char *raw = k->sty_xf[x ? x->base : 0];
    size_t len = strlen(raw), end = 0;
    char q = 0;
    for (; end < len; end++) { /* end of the start tag */
        if (q) {
            if (raw[end] == q)
                q = 0;
        } else if (raw[end] == '"' || raw[end] == '\'') {
            q = raw[end];
        } else if (raw[end] == '>') {
            break;
        }
    }
    if (!x || end == len)
        return xc_buf_put(o, raw, len);
    size_t n = end + 1;
    char *tag = xc_strndup(raw, n);
    if (!tag)
        return XC_ENOMEM;
    tag_drop_attr(tag, &n, "fillId");
    tag_drop_attr(tag, &n, "applyFill");
    size_t body = tag_body(tag, n);
    xc_buf_put(o, tag, body);
    xc_buf_printf(o, " fillId=\"%u\" applyFill=\"1\"",
                  k->sty_nfills + fill_slot(k, x->argb, NULL));
    xc_buf_put(o, tag + body, n - body);
    xc_free(tag);
    return xc_buf_put(o, raw + end + 1, len - end - 1);
}

/* styles.xml rewritten by pass-through: new <fill>s at the end of
 * <fills>, new <xf>s at the end of <cellXfs>, both counts updated. */
typedef struct srw {
    xc_xctx x;
    xc_buf *out;
    xc_pkg *k;
    uint32_t nbook, nfill;
    int depth;
} srw;

static void srw_default(void *ud, const XML_Char *s, int len)
{
    srw *w = ud;
    xc_buf_put(w->out, s, (size_t)len);
}

static void srw_fills(srw *w)
{
    const char *p = w->k->sty_pfx;
    for (size_t i = 0; i < w->k->nxstyles; i++) {
        uint32_t a = w->k->xstyles[i].argb;
        size_t j;
        for (j = 0; j < i; j++)
            if (w->k->xstyles[j].argb == a)
                break;
        if (j < i)
            continue; /* colour written already */
        xc_buf_printf(w->out,
                      "<%sfill><%spatternFill patternType=\"solid\">"
                      "<%sfgColor rgb=\"%08X\"/><%sbgColor "
                      "indexed=\"64\"/></%spatternFill></%sfill>",
                      p, p, p, a, p, p, p);
    }
}

static void srw_xfs(srw *w)
{
    for (uint32_t i = w->k->sty_nxf; i < w->nbook; i++)
        put_new_xf(w->out, w->k, i);
}

static void srw_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    srw *w = ud;
    xc_qname q;
    (void)atts;
    xc_qname_split(name, &q);
    w->depth++;
    int fills = w->depth == 2 && xc_qname_main(&q) && xc_qname_is(&q, "fills");
    int xfs = w->depth == 2 && xc_qname_main(&q) && xc_qname_is(&q, "cellXfs");
    if (!fills && !xfs) {
        XML_DefaultCurrent(w->x.p);
        return;
    }
    xc_buf tag, *keep = w->out;
    xc_buf_init(&tag);
    w->out = &tag;
    XML_DefaultCurrent(w->x.p);
    w->out = keep;
    if (!tag.p)
        return;
    tag_drop_attr(tag.p, &tag.len, "count");
    xc_buf_put(w->out, tag.p, tag_body(tag.p, tag.len));
    xc_buf_printf(w->out, " count=\"%u\">",
                  fills ? w->k->sty_nfills + w->nfill : w->nbook);
    if (tag_self(tag.p, tag.len)) { /* <fills/>: close it here */
        if (fills)
            srw_fills(w);
        else
            srw_xfs(w);
        xc_buf_printf(w->out, "</%s%s>", w->k->sty_pfx,
                      fills ? "fills" : "cellXfs");
    }
    xc_buf_clear(&tag);
}

static void srw_end(void *ud, const XML_Char *name)
{
    srw *w = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (w->depth == 2 && xc_qname_main(&q)) {
        size_t at = w->out->len;
        XML_DefaultCurrent(w->x.p);
        if (w->out->len > at) { /* not the end of a self-closed tag */
            xc_buf end;
            xc_buf_init(&end);
            xc_buf_put(&end, w->out->p + at, w->out->len - at);
            w->out->len = at;
            if (xc_qname_is(&q, "fills"))
                srw_fills(w);
            else if (xc_qname_is(&q, "cellXfs"))
                srw_xfs(w);
            xc_buf_put(w->out, end.p, end.len);
            xc_buf_clear(&end);
        }
    } else {
        XML_DefaultCurrent(w->x.p);
    }
    w->depth--;
}

static void srw_text(void *ud, const XML_Char *s, int len)
{
    srw *w = ud;
    (void)s;
    (void)len;
    XML_DefaultCurrent(w->x.p);
}

static int rewrite_styles(xc_reader *r, xc_book *b, xc_pkg *k, xc_buf *out)
{
    srw w;
    memset(&w, 0, sizeof w);
    w.x.r = r;
    w.out = out;
    w.k = k;
    w.nbook = xc_book_style_count(b);
    fill_slot(k, 0, &w.nfill);
    XML_Parser p = xc_xml_new(&w);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, srw_start, srw_end);
    XML_SetCharacterDataHandler(p, srw_text);
    XML_SetDefaultHandler(p, srw_default);
    int st = xc_part_parse(r, k->styles_part, p);
    XML_ParserFree(p);
    return st;
}

#define XC_RID_NOTE "rIdXcNote"
#define XC_RID_VML "rIdXcVml"

int xc_xlsx_add_comment(xc_book *b, int sheet, uint32_t row, uint32_t col,
                        const char *author, const char *text)
{
    xc_pkg *k = xc_pkg_of(b);
    xc_reader r;
    xc_rels rels;
    xc_buf err;
    if (!k)
        return XC_EUNSUPPORTED;
    if (sheet < 0 || sheet >= k->nsheets || row >= XC_MAX_ROWS ||
        col >= XC_MAX_COLS || !text)
        return XC_EINVAL;
    if (k->sheets[sheet].kind != XC_SK_WORKSHEET || !k->sheets[sheet].part)
        return XC_EUNSUPPORTED;
    for (size_t i = 0; i < k->nnotes; i++) {
        xc_xnote *n = &k->notes[i];
        if (n->sheet == sheet && n->row == row && n->col == col) {
            char *t = xc_strndup(text, strlen(text));
            if (!t)
                return XC_ENOMEM;
            xc_free(n->text);
            n->text = t;
            return XC_OK;
        }
    }
    /* a sheet with comments or a VML drawing of its own is left alone */
    xc_buf_init(&err);
    pkg_reader(&r, k, &err);
    int st = xc_rels_load(&r, k->sheets[sheet].part, &rels);
    xc_buf_clear(&err);
    if (st != XC_OK)
        return st;
    int taken = xc_rels_by_type(&rels, "comments") ||
                xc_rels_by_type(&rels, "vmlDrawing") ||
                xc_rels_by_id(&rels, XC_RID_NOTE) ||
                xc_rels_by_id(&rels, XC_RID_VML);
    xc_rels_free(&rels);
    if (taken)
        return XC_EUNSUPPORTED;
    xc_xnote *v = xc_realloc(k->notes, (k->nnotes + 1) * sizeof *v);
    if (!v)
        return XC_ENOMEM;
    k->notes = v;
    if (!author)
        author = "exacalc";
    v[k->nnotes].sheet = sheet;
    v[k->nnotes].row = row;
    v[k->nnotes].col = col;
    v[k->nnotes].author = xc_strndup(author, strlen(author));
    v[k->nnotes].text = xc_strndup(text, strlen(text));
    if (!v[k->nnotes].author || !v[k->nnotes].text) {
        xc_free(v[k->nnotes].author);
        xc_free(v[k->nnotes].text);
        return XC_ENOMEM;
    }
    k->nnotes++;
    return XC_OK;
}

/* Parts written for the notes of one sheet. */
typedef struct sheetnotes {
    char comments[64], vml[80];
    int on;        /* the sheet has notes */
    int rels_seen; /* its rels part exists and was filtered */
} sheetnotes;

static int note_order(const void *pa, const void *pb)
{
    const xc_xnote *a = *(xc_xnote *const *)pa, *b = *(xc_xnote *const *)pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* The notes of a sheet in row-major order (caller frees). */
static xc_xnote **sheet_notes(const xc_pkg *k, int sheet, size_t *n)
{
    xc_xnote **v = xc_calloc(k->nnotes + 1, sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < k->nnotes; i++)
        if (k->notes[i].sheet == sheet)
            v[(*n)++] = &k->notes[i];
    qsort(v, *n, sizeof *v, note_order);
    return v;
}

/* Index of the note's author among the distinct authors, in order of
 * first appearance. */
static int author_id(xc_xnote **v, size_t n, size_t i)
{
    int id = 0;
    for (size_t j = 0; j < n; j++) {
        size_t m;
        for (m = 0; m < j; m++)
            if (strcmp(v[m]->author, v[j]->author) == 0)
                break;
        if (m < j)
            continue; /* not a first appearance */
        if (strcmp(v[j]->author, v[i]->author) == 0)
            return id;
        id++;
    }
    return 0;
}

static int gen_comments(const xc_pkg *k, int sheet, xc_buf *o)
{
    size_t n;
    xc_xnote **v = sheet_notes(k, sheet, &n);
    if (!v)
        return XC_ENOMEM;
    xc_buf_printf(o, XML_DECL "<comments xmlns=\"%s\"><authors>",
                  k->strict ? XC_NS_STRICT : XC_NS_MAIN);
    for (size_t i = 0; i < n; i++) {
        size_t m;
        for (m = 0; m < i; m++)
            if (strcmp(v[m]->author, v[i]->author) == 0)
                break;
        if (m < i)
            continue;
        xc_buf_puts(o, "<author>");
        xc_xml_escape(o, v[i]->author, strlen(v[i]->author), 0);
        xc_buf_puts(o, "</author>");
    }
    xc_buf_puts(o, "</authors><commentList>");
    for (size_t i = 0; i < n; i++) {
        xc_buf_puts(o, "<comment ref=\"");
        xc_ref_put(o, v[i]->row, v[i]->col);
        xc_buf_printf(o,
                      "\" authorId=\"%d\"><text><r><t xml:space=\"preserve\">",
                      author_id(v, n, i));
        xc_xml_escape(o, v[i]->text, strlen(v[i]->text), 0);
        xc_buf_puts(o, "</t></r></text></comment>");
    }
    xc_free(v);
    return xc_buf_puts(o, "</commentList></comments>");
}

/* The legacy VML drawing Excel needs to show the notes. */
static int gen_vml(const xc_pkg *k, int sheet, int idmap, xc_buf *o)
{
    size_t n;
    xc_xnote **v = sheet_notes(k, sheet, &n);
    if (!v)
        return XC_ENOMEM;
    xc_buf_printf(o,
                  "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" "
                  "xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
                  "xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\n"
                  "<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" "
                  "data=\"%d\"/></o:shapelayout>\n"
                  "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" "
                  "o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke "
                  "joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" "
                  "o:connecttype=\"rect\"/></v:shapetype>\n",
                  idmap);
    for (size_t i = 0; i < n; i++) {
        uint32_t r = v[i]->row, c = v[i]->col;
        xc_buf_printf(
            o,
            "<v:shape id=\"_x0000_s%d\" type=\"#_x0000_t202\" "
            "style=\"position:absolute;margin-left:59.25pt;margin-top:1.5pt;"
            "width:180pt;height:90pt;z-index:%zu;visibility:hidden\" "
            "fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill "
            "color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" "
            "obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox "
            "style=\"mso-direction-alt:auto\"><div "
            "style=\"text-align:left\"></div></v:textbox><x:ClientData "
            "ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>"
            "<x:Anchor>%u, 15, %u, 2, %u, 15, %u, 16</x:Anchor>"
            "<x:AutoFill>False</x:AutoFill><x:Row>%u</x:Row>"
            "<x:Column>%u</x:Column></x:ClientData></v:shape>\n",
            idmap * 1024 + (int)i + 1, i + 1, c + 1, r ? r - 1 : 0, c + 4,
            r + 5, r, c);
    }
    xc_free(v);
    return xc_buf_puts(o, "</xml>\n");
}

static const char *rel_base(int strict)
{
    return strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships"
                  : XC_NS_REL;
}

/* The two relationships of a sheet's notes. */
static int note_rels(xc_buf *o, const char *pfx, const sheetnotes *sn,
                     int strict)
{
    xc_buf_printf(o,
                  "<%sRelationship Id=\"" XC_RID_NOTE
                  "\" Type=\"%s/comments\" Target=\"/%s\"/>",
                  pfx, rel_base(strict), sn->comments);
    return xc_buf_printf(o,
                         "<%sRelationship Id=\"" XC_RID_VML
                         "\" Type=\"%s/vmlDrawing\" Target=\"/%s\"/>",
                         pfx, rel_base(strict), sn->vml);
}

/* A part name "fmt" % num not in the package and not yet chosen. */
static void free_name(zip_t *z, char *out, size_t cap, const char *fmt,
                      const sheetnotes *sn, int nsn, int vml)
{
    for (int num = 1;; num++) {
        int used = 0;
        snprintf(out, cap, fmt, num);
        for (int i = 0; i < nsn && !used; i++) {
            const char *o = vml ? sn[i].vml : sn[i].comments;
            used = o != out && strcasecmp(o, out) == 0;
        }
        if (!used && xc_part_find(z, out) < 0)
            return;
    }
}

/* ---- round trip of a loaded package ---- */

/* Whether name is the rels part of part. */
static int rels_of(const char *name, const char *part)
{
    char *rn = part ? xc_rels_name(part) : NULL;
    int is = rn && strcasecmp(name, rn) == 0;
    xc_free(rn);
    return is;
}

static int save_pkg(xc_book *b, xc_pkg *k, const char *path, xc_buf *err)
{
    xc_reader r;
    out_zip o;
    int st, any = 0;
    char *changed = xc_calloc((size_t)k->nsheets + 1, 1);
    char drop_part[1100];
    sheetnotes *sn = xc_calloc((size_t)k->nsheets + 1, sizeof *sn);
    xc_buf ctx; /* content-type overrides of new comment parts */
    int nnoted = 0;
    if (!changed || !sn) {
        xc_free(changed);
        xc_free(sn);
        return XC_ENOMEM;
    }
    xc_buf_init(&ctx);
    for (size_t i = 0; i < k->nnotes; i++) {
        int s = k->notes[i].sheet;
        if (s < 0 || s >= k->nsheets || sn[s].on)
            continue;
        sn[s].on = 1;
        free_name(k->zip, sn[s].comments, sizeof sn[s].comments,
                  "xl/comments%d.xml", sn, k->nsheets, 0);
        free_name(k->zip, sn[s].vml, sizeof sn[s].vml,
                  "xl/drawings/vmlDrawing%d.vml", sn, k->nsheets, 1);
        xc_buf_printf(&ctx,
                      "<Override PartName=\"/%s\" ContentType=\"application/"
                      "vnd.openxmlformats-officedocument.spreadsheetml."
                      "comments+xml\"/>",
                      sn[s].comments);
        nnoted++;
    }
    for (int i = 0; i < k->nsheets && i < xc_book_sheet_count(b); i++) {
        changed[i] = (char)(sheet_changed(b, &k->sheets[i], i) || sn[i].on);
        any |= changed[i];
    }
    memset(&r, 0, sizeof r);
    r.zip = k->zip;
    r.file = k->path;
    r.err = err;
    r.max_part = r.max_total = UINT64_MAX;
    newsheets ns = {
        b,         k->nsheets,      xc_book_sheet_count(b) - k->nsheets,
        NULL,      k->max_sheet_id, k->strict,
        k->wb_part};
    if (ns.n < 0)
        ns.n = 0;
    any |= ns.n > 0;
    int dropcalc = any && k->calc_part;
    /* some formula held as its cached value only: that cache may be
       stale once other cells change */
    int full = any && xc_book_any_cell_flag(b, XC_CELL_UNSUPPORTED);
    snprintf(drop_part, sizeof drop_part, "/%s",
             k->calc_part ? k->calc_part : "");
    if (ns.n && !(ns.part = xc_calloc((size_t)ns.n, sizeof *ns.part))) {
        xc_free(changed);
        xc_free(sn);
        xc_buf_clear(&ctx);
        return XC_ENOMEM;
    }
    for (int i = 0, num = k->nsheets + 1; i < ns.n; i++) {
        for (;; num++) { /* a part name the package does not use */
            snprintf(ns.part[i], sizeof ns.part[i], "xl/worksheets/sheet%d.xml",
                     num);
            if (xc_part_find(k->zip, ns.part[i]) < 0)
                break;
        }
        num++;
    }
    st = open_out(&o, path, err);
    if (st != XC_OK) {
        xc_free(changed);
        xc_free(ns.part);
        xc_free(sn);
        xc_buf_clear(&ctx);
        return st;
    }
    zip_int64_t n = zip_get_num_entries(k->zip, 0);
    for (zip_int64_t i = 0; i < n && st == XC_OK; i++) {
        const char *name = zip_get_name(k->zip, (zip_uint64_t)i, 0);
        xc_buf data;
        int sheet = -1, relsof = -1;
        if (!name)
            continue;
        xc_buf_init(&data);
        for (int s = 0; s < k->nsheets; s++) {
            if (changed[s] && strcasecmp(name, k->sheets[s].part) == 0)
                sheet = s;
            if (sn[s].on && rels_of(name, k->sheets[s].part))
                relsof = s;
        }
        if (dropcalc && strcasecmp(name, k->calc_part) == 0)
            continue;
        if (sheet >= 0) {
            /* deflated by a second thread; else spilled to a temporary
             * file; else built in memory */
            zpipe *zp = xc_xlsx_no_thread ? NULL : zpipe_new();
            FILE *fp = zp ? NULL : tmpfile();
            st = splice_sheet(&r, b, &k->sheets[sheet], sheet, sn[sheet].on,
                              &data, fp, zp);
            if (st == XC_EUNSUPPORTED) { /* start again with expat */
                xc_buf_reset(&data);
                if (fp)
                    fclose(fp);
                fp = NULL;
                zpipe_free(zp);
                zp = xc_xlsx_no_thread ? NULL : zpipe_new();
                if (!zp)
                    fp = tmpfile();
                st = rewrite_sheet(&r, b, &k->sheets[sheet], sheet,
                                   sn[sheet].on, &data, fp, zp);
            }
            if (st == XC_OK && zp && zp->started) {
                st = add_pipe(&o, name, zp);
            } else if (st == XC_OK && fp) {
                st = add_file(&o, name, fp);
                fp = NULL;
            } else if (st == XC_OK) {
                st = add_buf(&o, name, &data);
            }
            if (fp)
                fclose(fp);
            zpipe_free(zp);
            xc_buf_clear(&data);
        } else if (relsof >= 0) {
            xc_buf x;
            xc_buf_init(&x);
            st = note_rels(&x, "", &sn[relsof], k->strict);
            if (st == XC_OK)
                st = filter_part(&r, name, NULL, NULL, 0, NULL, "Relationships",
                                 NULL, x.p, 0, &data);
            xc_buf_clear(&x);
            sn[relsof].rels_seen = 1;
            if (st == XC_OK)
                st = add_buf(&o, name, &data);
        } else if (k->nxstyles && k->styles_part &&
                   strcasecmp(name, k->styles_part) == 0) {
            st = rewrite_styles(&r, b, k, &data);
            if (st == XC_OK)
                st = add_buf(&o, name, &data);
        } else if ((full || ns.n) && strcasecmp(name, k->wb_part) == 0) {
            st = filter_part(&r, name, NULL, NULL, full, &ns, "sheets",
                             append_sheets, NULL, 0, &data);
            if (st == XC_OK)
                st = add_buf(&o, name, &data);
        } else if ((dropcalc || ns.n) && strcasecmp(name, k->wb_rels) == 0) {
            st = filter_part(&r, name, NULL, dropcalc ? "calcChain" : NULL, 0,
                             &ns, "Relationships", append_rels, NULL, 0, &data);
            if (st == XC_OK)
                st = add_buf(&o, name, &data);
        } else if ((dropcalc || ns.n || nnoted) &&
                   strcasecmp(name, "[Content_Types].xml") == 0) {
            st = filter_part(&r, name, dropcalc ? drop_part : NULL, NULL, 0,
                             &ns, "Types", append_ct, ctx.p, nnoted > 0, &data);
            if (st == XC_OK)
                st = add_buf(&o, name, &data);
        } else {
            /* raw copy: the compressed bytes are kept as they are */
            zip_stat_t zs;
            zip_source_t *s =
                zip_source_zip(o.z, k->zip, (zip_uint64_t)i, 0, 0, -1);
            zip_int64_t j =
                s ? zip_file_add(o.z, name, s, ZIP_FL_ENC_UTF_8) : -1;
            if (s && j < 0)
                zip_source_free(s);
            /* a stored entry stays stored (libzip would deflate it) */
            if (j >= 0 &&
                zip_stat_index(k->zip, (zip_uint64_t)i, 0, &zs) == 0 &&
                (zs.valid & ZIP_STAT_COMP_METHOD) &&
                zs.comp_method == ZIP_CM_STORE &&
                zip_set_file_compression(o.z, (zip_uint64_t)j, ZIP_CM_STORE,
                                         0) < 0)
                j = -1;
            if (j < 0) {
                xc_buf_printf(err, "%s: %s: %s", path, name, zip_strerror(o.z));
                st = XC_EIO;
            }
        }
        xc_buf_clear(&data);
    }
    for (int i = 0; i < ns.n && st == XC_OK; i++) {
        xc_buf data;
        xc_buf_init(&data);
        st = gen_sheet(b, ns.first + i, ns.strict, &data);
        if (st == XC_OK)
            st = add_buf(&o, ns.part[i], &data);
        xc_buf_clear(&data);
    }
    for (int s = 0; s < k->nsheets && st == XC_OK; s++) {
        xc_buf data;
        if (!sn[s].on)
            continue;
        xc_buf_init(&data);
        if (!sn[s].rels_seen) { /* the sheet had no rels part */
            char *rn = xc_rels_name(k->sheets[s].part);
            st = rn ? XC_OK : XC_ENOMEM;
            if (st == XC_OK)
                st = xc_buf_puts(&data,
                                 XML_DECL "<Relationships xmlns=\"http://"
                                          "schemas.openxmlformats.org/package/"
                                          "2006/relationships\">");
            if (st == XC_OK)
                st = note_rels(&data, "", &sn[s], k->strict);
            if (st == XC_OK)
                st = xc_buf_puts(&data, "</Relationships>");
            if (st == XC_OK)
                st = add_buf(&o, rn, &data);
            xc_free(rn);
        }
        if (st == XC_OK)
            st = gen_comments(k, s, &data);
        if (st == XC_OK)
            st = add_buf(&o, sn[s].comments, &data);
        if (st == XC_OK)
            st = gen_vml(k, s, 50 + s, &data);
        if (st == XC_OK)
            st = add_buf(&o, sn[s].vml, &data);
        xc_buf_clear(&data);
    }
    xc_free(changed);
    xc_free(ns.part);
    xc_free(sn);
    xc_buf_clear(&ctx);
    return close_out(&o, st);
}

/* ---- a new package from the minimal template ---- */

static int numfmt_id(const char *code, const char **custom, size_t *ncustom)
{
    for (unsigned id = 0; id < 59; id++) {
        const char *bi = xc_builtin_numfmt(id);
        if (bi && strcmp(bi, code) == 0)
            return (int)id;
    }
    for (size_t i = 0; i < *ncustom; i++)
        if (strcmp(custom[i], code) == 0)
            return 164 + (int)i;
    custom[*ncustom] = code;
    return 164 + (int)(*ncustom)++;
}

static int gen_styles(xc_book *b, xc_buf *o)
{
    uint32_t n = xc_book_style_count(b), i;
    const char **custom = xc_calloc(n + 1, sizeof *custom);
    int *ids = xc_calloc(n + 1, sizeof *ids);
    size_t nc = 0;
    int st;
    if (!custom || !ids) {
        xc_free(custom);
        xc_free(ids);
        return XC_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        const char *code = xc_book_style_numfmt(b, i);
        ids[i] = numfmt_id(code ? code : "General", custom, &nc);
    }
    xc_buf_puts(o, XML_DECL "<styleSheet xmlns=\"" XC_NS_MAIN "\">");
    if (nc) {
        xc_buf_printf(o, "<numFmts count=\"%zu\">", nc);
        for (size_t j = 0; j < nc; j++) {
            xc_buf_printf(o, "<numFmt numFmtId=\"%zu\" formatCode=\"", 164 + j);
            xc_xml_escape(o, custom[j], strlen(custom[j]), 1);
            xc_buf_puts(o, "\"/>");
        }
        xc_buf_puts(o, "</numFmts>");
    }
    xc_buf_puts(o, "<fonts count=\"1\"><font><sz val=\"11\"/><name "
                   "val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
                   "<fills count=\"2\"><fill><patternFill "
                   "patternType=\"none\"/></fill><fill><patternFill "
                   "patternType=\"gray125\"/></fill></fills>"
                   "<borders count=\"1\"><border><left/><right/><top/>"
                   "<bottom/><diagonal/></border></borders>"
                   "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" "
                   "fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>");
    xc_buf_printf(o, "<cellXfs count=\"%u\">", n ? n : 1);
    for (i = 0; i < (n ? n : 1); i++)
        xc_buf_printf(o,
                      "<xf numFmtId=\"%d\" fontId=\"0\" fillId=\"0\" "
                      "borderId=\"0\" xfId=\"0\"%s/>",
                      n ? ids[i] : 0,
                      n && ids[i] ? " applyNumberFormat=\"1\"" : "");
    st = xc_buf_puts(o, "</cellXfs><cellStyles count=\"1\"><cellStyle "
                        "name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
                        "</cellStyles></styleSheet>");
    xc_free(custom);
    xc_free(ids);
    return st;
}

static int gen_sheet(xc_book *b, int sheet, int strict, xc_buf *o)
{
    xc_iter it;
    xc_area a = {sheet, sheet, 0, 0, XC_MAX_ROWS - 1, XC_MAX_COLS - 1};
    uint32_t r, col, rows, cols, cur = UINT32_MAX;
    xc_cell *c;
    int st = XC_OK;
    xc_buf_printf(o, XML_DECL "<worksheet xmlns=\"%s\" xmlns:r=\"%s\">",
                  strict ? XC_NS_STRICT : XC_NS_MAIN,
                  strict ? NS_STRICT_REL : XC_NS_REL);
    xc_book_sheet_extent(b, sheet, &rows, &cols);
    if (rows && cols) {
        xc_buf_puts(o, "<dimension ref=\"A1:");
        xc_ref_put(o, rows - 1, cols - 1);
        xc_buf_puts(o, "\"/>");
    }
    xc_buf_puts(o, "<sheetData>");
    xc_iter_init(&it, b, &a);
    while (st == XC_OK && (c = xc_iter_next(&it, &r, &col))) {
        if (r != cur) {
            if (cur != UINT32_MAX)
                xc_buf_puts(o, "</row>");
            xc_buf_printf(o, "<row r=\"%u\">", r + 1);
            cur = r;
        }
        st = xc_xlsx_cell_xml(o, "", b, sheet, r, c);
    }
    if (cur != UINT32_MAX)
        xc_buf_puts(o, "</row>");
    if (st == XC_OK)
        st = xc_buf_puts(o, "</sheetData></worksheet>");
    return st;
}

static int save_new(xc_book *b, const char *path, xc_buf *err)
{
    out_zip o;
    xc_buf ct, rels, wb, wbr, tmp;
    int n = xc_book_sheet_count(b), st;
    char name[64];
    if (n <= 0) {
        xc_buf_printf(err, "%s: the book has no sheets", path);
        return XC_EINVAL;
    }
    xc_buf_init(&ct);
    xc_buf_init(&rels);
    xc_buf_init(&wb);
    xc_buf_init(&wbr);
    xc_buf_init(&tmp);
    st = open_out(&o, path, err);
    if (st != XC_OK)
        return st;
    xc_buf_puts(
        &ct, XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/content-types\"><Default Extension=\"rels\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-package.relationships+xml\"/><Default "
        "Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/xl/workbook.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+"
        "xml\"/><Override PartName=\"/xl/styles.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
    xc_buf_puts(&wb, XML_DECL "<workbook xmlns=\"" XC_NS_MAIN
                              "\" xmlns:r=\"" XC_NS_REL "\">");
    if (xc_book_date1904(b))
        xc_buf_puts(&wb, "<workbookPr date1904=\"1\"/>");
    xc_buf_puts(&wb, "<sheets>");
    xc_buf_puts(&wbr,
                XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats."
                         "org/package/2006/relationships\">");
    for (int i = 0; i < n; i++) {
        const char *sn = xc_book_sheet_name(b, i);
        xc_buf_printf(&ct,
                      "<Override PartName=\"/xl/worksheets/sheet%d.xml\" "
                      "ContentType=\"application/"
                      "vnd.openxmlformats-officedocument.spreadsheetml."
                      "worksheet+xml\"/>",
                      i + 1);
        xc_buf_puts(&wb, "<sheet name=\"");
        xc_xml_escape(&wb, sn, strlen(sn), 1);
        xc_buf_printf(&wb, "\" sheetId=\"%d\" r:id=\"rId%d\"/>", i + 1, i + 1);
        xc_buf_printf(&wbr,
                      "<Relationship Id=\"rId%d\" Type=\"" XC_NS_REL
                      "/worksheet\" Target=\"worksheets/sheet%d.xml\"/>",
                      i + 1, i + 1);
    }
    xc_buf_puts(&ct, "</Types>");
    xc_buf_puts(&wb, "</sheets>");
    if (xc_book_name_count(b) > 0) {
        xc_buf_puts(&wb, "<definedNames>");
        for (int i = 0; i < xc_book_name_count(b); i++) {
            const char *nm = xc_book_name_text(b, i);
            const char *fx = xc_book_name_formula(b, i);
            xc_buf_puts(&wb, "<definedName name=\"");
            xc_xml_escape(&wb, nm, strlen(nm), 1);
            xc_buf_putc(&wb, '"');
            if (xc_book_name_sheet(b, i) >= 0)
                xc_buf_printf(&wb, " localSheetId=\"%d\"",
                              xc_book_name_sheet(b, i));
            if (xc_book_name_hidden(b, i))
                xc_buf_puts(&wb, " hidden=\"1\"");
            xc_buf_putc(&wb, '>');
            xc_xml_escape(&wb, fx ? fx : "", fx ? strlen(fx) : 0, 0);
            xc_buf_puts(&wb, "</definedName>");
        }
        xc_buf_puts(&wb, "</definedNames>");
    }
    xc_buf_puts(&wb, "<calcPr calcId=\"191029\"/></workbook>");
    xc_buf_printf(&wbr,
                  "<Relationship Id=\"rId%d\" Type=\"" XC_NS_REL
                  "/styles\" Target=\"styles.xml\"/></Relationships>",
                  n + 1);
    st = xc_buf_puts(&rels, XML_DECL
                     "<Relationships xmlns=\"http://schemas.openxmlformats."
                     "org/package/2006/relationships\"><Relationship "
                     "Id=\"rId1\" Type=\"" XC_NS_REL
                     "/officeDocument\" Target=\"xl/workbook.xml\"/>"
                     "</Relationships>");
    if (st == XC_OK)
        st = add_buf(&o, "[Content_Types].xml", &ct);
    if (st == XC_OK)
        st = add_buf(&o, "_rels/.rels", &rels);
    if (st == XC_OK)
        st = add_buf(&o, "xl/workbook.xml", &wb);
    if (st == XC_OK)
        st = add_buf(&o, "xl/_rels/workbook.xml.rels", &wbr);
    if (st == XC_OK && (st = gen_styles(b, &tmp)) == XC_OK)
        st = add_buf(&o, "xl/styles.xml", &tmp);
    for (int i = 0; i < n && st == XC_OK; i++) {
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i + 1);
        st = gen_sheet(b, i, 0, &tmp);
        if (st == XC_OK)
            st = add_buf(&o, name, &tmp);
    }
    xc_buf_clear(&ct);
    xc_buf_clear(&rels);
    xc_buf_clear(&wb);
    xc_buf_clear(&wbr);
    xc_buf_clear(&tmp);
    (void)add_str;
    return close_out(&o, st);
}

int xc_xlsx_save(xc_book *b, const char *path, xc_buf *err)
{
    xc_pkg *k = xc_pkg_of(b);
    int st;
    xc_buf_reset(err);
    st = k ? save_pkg(b, k, path, err) : save_new(b, path, err);
    if (st != XC_OK && err->len == 0)
        xc_buf_printf(err, "%s: %s", path, xc_status_str(st));
    return st;
}
