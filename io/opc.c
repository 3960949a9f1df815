/* opc.c - the package layer shared by the xlsx reader and writer:
 * namespace-split XML names, streaming a zip part into expat with the
 * size limits (libzip does not enforce declared sizes, XLSX.md 1),
 * relationships with target resolution, A1 references, _xHHHH_ string
 * escapes and Excel's built-in number formats.  Large parts are inflated
 * on a second thread while expat parses. */
#include <ctype.h>
#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "xlsx_int.h"

/* ---- names ---- */

void xc_qname_split(const char *name, xc_qname *q)
{
    static const char m[] = XC_NS_MAIN "\x01";
    memset(q, 0, sizeof *q);
    /* Fast path: almost every element of a sheet is in the main
     * namespace; one comparison of the URI instead of two scans for the
     * separator, and the short local name scanned by hand. */
    if (name[0] == 'h' && strncmp(name, m, sizeof m - 1) == 0) {
        const char *l = name + sizeof m - 1;
        size_t i = 0;
        while (l[i] && l[i] != '\x01')
            i++;
        q->uri = name;
        q->urilen = sizeof m - 2;
        q->local = l;
        q->locallen = i;
        q->ns_main = 1;
        if (l[i]) {
            q->prefix = l + i + 1;
            q->prefixlen = strlen(q->prefix);
        }
        return;
    }
    const char *a = strchr(name, '\x01');
    if (!a) {
        q->local = name;
        q->locallen = strlen(name);
        return;
    }
    q->uri = name;
    q->urilen = (size_t)(a - name);
    q->local = a + 1;
    const char *b = strchr(q->local, '\x01');
    if (b) {
        q->locallen = (size_t)(b - q->local);
        q->prefix = b + 1;
        q->prefixlen = strlen(q->prefix);
    } else {
        q->locallen = strlen(q->local);
    }
}

int xc_qname_main(const xc_qname *q)
{
    static const char m[] = XC_NS_MAIN, s[] = XC_NS_STRICT;
    if (q->ns_main)
        return 1;
    return (q->urilen == sizeof m - 1 &&
            memcmp(q->uri, m, sizeof m - 1) == 0) ||
           (q->urilen == sizeof s - 1 && memcmp(q->uri, s, sizeof s - 1) == 0);
}

/* Attribute names without a namespace (the usual case) are compared
 * whole, without splitting. */
const char *xc_attr(const char **atts, const char *local, int any_ns)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[0] == local[0] && strcmp(a, local) == 0)
            return atts[i + 1];
        if (!any_ns || !strchr(a, '\x01'))
            continue;
        xc_qname q;
        xc_qname_split(a, &q);
        if (xc_qname_is(&q, local))
            return atts[i + 1];
    }
    return NULL;
}

/* OPC [M1.18]: a DTD is an error; stopping here also rules out entity
 * expansion of every kind. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                       const XML_Char *pub, int has_internal)
{
    xc_xctx *x = ud;
    xc_reader_fail(x->r, x->p, "DOCTYPE is not allowed");
}

XML_Parser xc_xml_new(void *ud)
{
    XML_Parser p = XML_ParserCreateNS(NULL, '\x01');
    if (!p)
        return NULL;
    XML_SetReturnNSTriplet(p, 1);
    XML_SetUserData(p, ud);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    ((xc_xctx *)ud)->p = p;
    return p;
}

void xc_reader_fail(xc_reader *r, XML_Parser p, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->msg, sizeof r->msg, fmt, ap);
        va_end(ap);
        r->failed = XC_EFORMAT;
    }
    XML_StopParser(p, XML_FALSE);
}

void xc_msg_one_line(xc_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if ((unsigned char)b->p[i] < 0x20 || b->p[i] == 0x7f)
            b->p[i] = '?';
}

zip_int64_t xc_part_find(zip_t *z, const char *part)
{
    return zip_name_locate(z, part, ZIP_FL_NOCASE);
}

/* ---- reading an entry: libzip for the container, ISA-L to inflate ---- */

#define ZIN_IN_BYTES 65536

struct xc_zin {
    zip_file_t *zf;
    int deflated; /* zf gives the raw deflate bytes; inflated here */
    int in_eof;   /* zf has no more raw bytes */
    int done;     /* the deflate stream ended and was checked */
    const char *err;
    uint64_t size, out; /* stated and produced inflated bytes */
    uint32_t crc;       /* stated CRC-32 */
    struct inflate_state st;
    unsigned char in[ZIN_IN_BYTES];
};

xc_zin *xc_zin_open(zip_t *z, zip_uint64_t idx, int *st, const char **msg)
{
    zip_stat_t s;
    zip_stat_init(&s);
    if (zip_stat_index(z, idx, 0, &s) != 0) {
        *st = XC_EFORMAT;
        *msg = zip_strerror(z);
        return NULL;
    }
    /* a deflated entry whose size and CRC the directory states (all do);
     * anything else goes through libzip whole */
    int deflated = (s.valid & ZIP_STAT_COMP_METHOD) &&
                   s.comp_method == ZIP_CM_DEFLATE &&
                   (s.valid & ZIP_STAT_SIZE) && (s.valid & ZIP_STAT_CRC);
    xc_zin *f = xc_malloc(sizeof *f);
    if (!f) {
        *st = XC_ENOMEM;
        *msg = "out of memory";
        return NULL;
    }
    f->zf = zip_fopen_index(z, idx, deflated ? ZIP_FL_COMPRESSED : 0);
    if (!f->zf) {
        xc_free(f);
        *st = XC_EFORMAT;
        *msg = zip_strerror(z);
        return NULL;
    }
    f->deflated = deflated;
    f->in_eof = f->done = 0;
    f->err = NULL;
    f->size = s.size;
    f->out = 0;
    f->crc = s.crc;
    if (deflated) {
        isal_inflate_init(&f->st);
        f->st.crc_flag = ISAL_GZIP_NO_HDR; /* CRC-32 of the output */
        f->st.next_in = f->in;
        f->st.avail_in = 0;
    }
    return f;
}

static zip_int64_t zin_fail(xc_zin *f, const char *why)
{
    f->err = why;
    return -1;
}

zip_int64_t xc_zin_read(xc_zin *f, void *buf, zip_uint64_t len)
{
    if (!f->deflated) {
        zip_int64_t n = zip_fread(f->zf, buf, len);
        if (n < 0)
            f->err = zip_error_strerror(zip_file_get_error(f->zf));
        return n;
    }
    if (f->err)
        return -1;
    if (f->done || len == 0)
        return 0;
    uint32_t want = len > (1u << 30) ? 1u << 30 : (uint32_t)len;
    f->st.next_out = buf;
    f->st.avail_out = want;
    for (;;) {
        if (f->st.avail_in == 0 && !f->in_eof) {
            zip_int64_t n = zip_fread(f->zf, f->in, sizeof f->in);
            if (n < 0)
                return zin_fail(f,
                                zip_error_strerror(zip_file_get_error(f->zf)));
            f->in_eof = n == 0;
            f->st.next_in = f->in;
            f->st.avail_in = (uint32_t)n;
        }
        uint32_t in0 = f->st.avail_in;
        if (isal_inflate(&f->st) != ISAL_DECOMP_OK)
            return zin_fail(f, "invalid compressed data");
        uint32_t got = want - f->st.avail_out;
        f->out += got;
        if (f->out > f->size)
            return (zip_int64_t)got; /* the caller reports the size */
        if (f->st.block_state == ISAL_BLOCK_FINISH) {
            f->done = 1;
            if (f->out != f->size)
                return zin_fail(f, "inflates to less than its declared size");
            if (f->st.crc != f->crc)
                return zin_fail(f, "CRC-32 mismatch: damaged data");
            return (zip_int64_t)got;
        }
        if (got > 0)
            return (zip_int64_t)got;
        /* nothing out: more input, unless there is none or none was used */
        if (f->in_eof && f->st.avail_in == 0)
            return zin_fail(f, "compressed data ends early");
        if (f->st.avail_in != 0 && f->st.avail_in == in0)
            return zin_fail(f, "invalid compressed data");
    }
}

const char *xc_zin_error(const xc_zin *f)
{
    return f->err ? f->err : "read error";
}

void xc_zin_close(xc_zin *f)
{
    if (f) {
        zip_fclose(f->zf);
        xc_free(f);
    }
}

/* Open a part for streaming after checking method, encryption and the
 * declared size against the limits. */
static xc_zin *part_open(xc_reader *r, const char *part, uint64_t *decl,
                         int *st)
{
    zip_int64_t i = xc_part_find(r->zip, part);
    zip_stat_t s;
    if (i < 0) {
        *st = XC_ENOTFOUND;
        xc_buf_printf(r->err, "%s: %s: part not found", r->file, part);
        return NULL;
    }
    zip_stat_init(&s);
    if (zip_stat_index(r->zip, (zip_uint64_t)i, 0, &s) != 0) {
        *st = XC_EFORMAT;
        xc_buf_printf(r->err, "%s: %s: %s", r->file, part,
                      zip_strerror(r->zip));
        return NULL;
    }
    if ((s.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        s.encryption_method != ZIP_EM_NONE) {
        *st = XC_EUNSUPPORTED;
        xc_buf_printf(r->err, "%s: %s: encrypted zip entry", r->file, part);
        return NULL;
    }
    if ((s.valid & ZIP_STAT_COMP_METHOD) && s.comp_method != ZIP_CM_STORE &&
        s.comp_method != ZIP_CM_DEFLATE) {
        *st = XC_EUNSUPPORTED;
        xc_buf_printf(r->err, "%s: %s: unsupported compression method %d",
                      r->file, part, (int)s.comp_method);
        return NULL;
    }
    *decl = (s.valid & ZIP_STAT_SIZE) ? s.size : r->max_part;
    if (*decl > r->max_part || r->total > r->max_total ||
        *decl > r->max_total - r->total) {
        *st = XC_ELIMIT;
        xc_buf_printf(r->err, "%s: %s: part of %llu bytes exceeds the limit",
                      r->file, part, (unsigned long long)*decl);
        return NULL;
    }
    const char *why = NULL;
    xc_zin *f = xc_zin_open(r->zip, (zip_uint64_t)i, st, &why);
    if (!f)
        xc_buf_printf(r->err, "%s: %s: %s", r->file, part, why);
    return f;
}

/* Parser p stopped on an error (its own or a handler's, r->failed):
 * the message at its line and column in r->err; returns the status. */
static int parse_fail(xc_reader *r, const char *part, XML_Parser p)
{
    enum XML_Error e = XML_GetErrorCode(p);
    unsigned long line = XML_GetCurrentLineNumber(p);
    unsigned long col = XML_GetCurrentColumnNumber(p) + 1;
    int st = r->failed ? r->failed : XC_EFORMAT;
    if (st == XC_ENOMEM || e == XML_ERROR_NO_MEMORY)
        st = XC_ENOMEM;
    xc_buf_printf(r->err, "%s: %s:%lu:%lu: %s", r->file, part, line, col,
                  r->failed ? r->msg : XML_ErrorString(e));
    return st;
}

/* Read the next chunk, counting bytes against the declared size and the
 * limits; returns bytes read, or -1 with the message in r->err. */
static zip_int64_t part_chunk(xc_reader *r, const char *part, xc_zin *f,
                              void *buf, uint64_t decl, uint64_t *got, int *st)
{
    zip_int64_t n = xc_zin_read(f, buf, XC_XLSX_CHUNK);
    if (n < 0) {
        *st = XC_EFORMAT;
        xc_buf_printf(r->err, "%s: %s: %s", r->file, part, xc_zin_error(f));
        return -1;
    }
    *got += (uint64_t)n;
    r->total += (uint64_t)n;
    if (*got > decl) {
        *st = XC_ELIMIT;
        xc_buf_printf(r->err,
                      "%s: %s: inflates beyond its declared size of %llu "
                      "bytes",
                      r->file, part, (unsigned long long)decl);
        return -1;
    }
    if (*got > r->max_part || r->total > r->max_total) {
        *st = XC_ELIMIT;
        xc_buf_printf(r->err, "%s: %s: inflated size exceeds the limit",
                      r->file, part);
        return -1;
    }
    return n;
}

/* ---- inflating on a second thread ----
 * A large part is inflated by a worker thread into a ring of buffers
 * while the calling thread parses the previous ones, so expat does not
 * wait for the inflater.  The worker only calls xc_zin_read; the size limits,
 * messages and interruption are checked by the caller as before. */

#define RING 4
#define RING_BYTES (4 * XC_XLSX_CHUNK)
/* Parts from this declared size on are inflated by a worker thread. */
#define THREAD_PART_BYTES (1u << 20)

int xc_xlsx_no_read_thread;

typedef struct ring {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    xc_zin *f;
    char *buf[RING];
    zip_int64_t n[RING]; /* bytes in a full slot; -1: read error */
    int full[RING];
    unsigned head, tail; /* next slot to fill / to parse */
    int stop, eof;
} ring;

static void *ring_main(void *ud)
{
    ring *g = ud;
    for (;;) {
        pthread_mutex_lock(&g->mu);
        while (g->full[g->head % RING] && !g->stop)
            pthread_cond_wait(&g->cv, &g->mu);
        int stop = g->stop;
        pthread_mutex_unlock(&g->mu);
        if (stop)
            return NULL;
        unsigned k = g->head % RING;
        zip_int64_t got = 0;
        while (got < RING_BYTES) { /* fill the slot, or to the end */
            zip_int64_t n = xc_zin_read(g->f, g->buf[k] + got,
                                        (zip_uint64_t)(RING_BYTES - got));
            if (n < 0) {
                got = -1;
                break;
            }
            if (n == 0)
                break;
            got += n;
        }
        pthread_mutex_lock(&g->mu);
        g->n[k] = got;
        g->full[k] = 1;
        g->head++;
        pthread_cond_broadcast(&g->cv);
        pthread_mutex_unlock(&g->mu);
        if (got <= 0)
            return NULL; /* the end, or an error */
    }
}

/* Parse part p from f through a worker thread; XC_EUNSUPPORTED when
 * the thread cannot be set up (the caller reads in this thread). */
static int parse_threaded(xc_reader *r, const char *part, xc_zin *f,
                          XML_Parser p, uint64_t decl, uint64_t *got)
{
    ring g;
    pthread_t th;
    int st = XC_OK, k;
    memset(&g, 0, sizeof g);
    g.f = f;
    for (k = 0; k < RING; k++)
        if (!(g.buf[k] = xc_malloc(RING_BYTES)))
            break;
    if (k < RING || pthread_mutex_init(&g.mu, NULL) != 0) {
        while (k-- > 0)
            xc_free(g.buf[k]);
        return XC_EUNSUPPORTED;
    }
    if (pthread_cond_init(&g.cv, NULL) != 0) {
        pthread_mutex_destroy(&g.mu);
        for (k = 0; k < RING; k++)
            xc_free(g.buf[k]);
        return XC_EUNSUPPORTED;
    }
    if (pthread_create(&th, NULL, ring_main, &g) != 0) {
        pthread_cond_destroy(&g.cv);
        pthread_mutex_destroy(&g.mu);
        for (k = 0; k < RING; k++)
            xc_free(g.buf[k]);
        return XC_EUNSUPPORTED;
    }
    for (;;) {
        unsigned s = g.tail % RING;
        pthread_mutex_lock(&g.mu);
        while (!g.full[s])
            pthread_cond_wait(&g.cv, &g.mu);
        zip_int64_t n = g.n[s];
        pthread_mutex_unlock(&g.mu);
        if (n < 0) {
            st = XC_EFORMAT;
            xc_buf_printf(r->err, "%s: %s: %s", r->file, part, xc_zin_error(f));
            break;
        }
        *got += (uint64_t)n;
        r->total += (uint64_t)n;
        if (*got > decl) {
            st = XC_ELIMIT;
            xc_buf_printf(r->err,
                          "%s: %s: inflates beyond its declared size of %llu "
                          "bytes",
                          r->file, part, (unsigned long long)decl);
            break;
        }
        if (*got > r->max_part || r->total > r->max_total) {
            st = XC_ELIMIT;
            xc_buf_printf(r->err, "%s: %s: inflated size exceeds the limit",
                          r->file, part);
            break;
        }
        if (xc_interrupted()) {
            st = XC_EINTR;
            xc_buf_printf(r->err, "%s: %s: interrupted", r->file, part);
            break;
        }
        if (XML_Parse(p, g.buf[s], (int)n, n == 0) != XML_STATUS_OK) {
            st = parse_fail(r, part, p);
            break;
        }
        pthread_mutex_lock(&g.mu);
        g.full[s] = 0;
        g.tail++;
        pthread_cond_broadcast(&g.cv);
        pthread_mutex_unlock(&g.mu);
        if (n == 0)
            break;
    }
    pthread_mutex_lock(&g.mu);
    g.stop = 1;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    pthread_join(th, NULL);
    pthread_cond_destroy(&g.cv);
    pthread_mutex_destroy(&g.mu);
    for (k = 0; k < RING; k++)
        xc_free(g.buf[k]);
    return st;
}

int xc_part_parse(xc_reader *r, const char *part, XML_Parser p)
{
    int st = XC_OK;
    uint64_t decl = 0, got = 0;
    xc_buf_reset(r->err);
    xc_zin *f = part_open(r, part, &decl, &st);
    if (!f) {
        xc_msg_one_line(r->err);
        return st;
    }
    if (decl >= THREAD_PART_BYTES && !xc_xlsx_no_read_thread) {
        st = parse_threaded(r, part, f, p, decl, &got);
        if (st != XC_EUNSUPPORTED) {
            xc_zin_close(f);
            if (st != XC_OK)
                xc_msg_one_line(r->err);
            return st;
        }
        st = XC_OK; /* no thread: read here */
    }
    for (;;) {
        void *buf = XML_GetBuffer(p, XC_XLSX_CHUNK);
        if (!buf) {
            st = XC_ENOMEM;
            xc_buf_printf(r->err, "%s: %s: out of memory", r->file, part);
            break;
        }
        zip_int64_t n = part_chunk(r, part, f, buf, decl, &got, &st);
        if (n < 0)
            break;
        if (xc_interrupted()) {
            st = XC_EINTR;
            xc_buf_printf(r->err, "%s: %s: interrupted", r->file, part);
            break;
        }
        if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            st = parse_fail(r, part, p);
            break;
        }
        if (n == 0)
            break;
    }
    xc_zin_close(f);
    if (st != XC_OK)
        xc_msg_one_line(r->err);
    return st;
}

/* ---- one part read by two parsers (xlsx_int.h, xc_split) ----
 * The worker inflates the part; the chunks before the cut go to the
 * calling thread through a queue, the rest the worker parses itself,
 * after the head, and queues what its handlers record.  Every item is
 * taken in order by the calling thread; nothing else is shared. */

uint64_t xc_xlsx_split_min = 1u << 20;
long xc_xlsx_splits, xc_xlsx_split_retries;

#define SPLIT_CHUNK RING_BYTES
#define SPLIT_HEAD_MAX (1u << 20)   /* a longer head: no cut */
#define SPLIT_QUEUE_MAX (64u << 20) /* queued bytes before the worker waits */
#define SPLIT_PROBE 512

enum { Q_CHUNK, Q_CUT, Q_REC, Q_END };

/* The queued bytes are mapped apart from the heap: the worker makes
 * them, this thread frees them, and memory a thread frees goes back
 * to the heap arena of the thread that made it, which this thread
 * would not use again: the pages stay resident for nothing. */
void *xc_blk_new(size_t n)
{
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void xc_blk_free(void *p, size_t n)
{
    if (p)
        munmap(p, n ? n : 1);
}

typedef struct qitem {
    struct qitem *next;
    int kind, fail;
    size_t n, cap; /* bytes used, and mapped */
    char *data;
} qitem;

typedef struct splitrun {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    qitem *first, *last;
    size_t queued;
    int abort;
    xc_zin *f;
    xc_split *sp;
    uint64_t decl, max_part;
    uint64_t got; /* inflated bytes: the worker's until it is joined */
} splitrun;

/* Queue an item (taking data, of cap mapped bytes); nonzero when the
 * worker must stop. */
static int q_push(splitrun *g, int kind, char *data, size_t n, size_t cap,
                  int fail)
{
    qitem *it = malloc(sizeof *it);
    if (!it) {
        xc_blk_free(data, cap);
        return -1;
    }
    it->next = NULL;
    it->kind = kind;
    it->fail = fail;
    it->n = n;
    it->cap = cap;
    it->data = data;
    pthread_mutex_lock(&g->mu);
    while (g->queued > SPLIT_QUEUE_MAX && !g->abort && kind != Q_END)
        pthread_cond_wait(&g->cv, &g->mu);
    if (g->last)
        g->last->next = it;
    else
        g->first = it;
    g->last = it;
    g->queued += n;
    int stop = g->abort;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    return stop;
}

static qitem *q_pop(splitrun *g)
{
    pthread_mutex_lock(&g->mu);
    while (!g->first)
        pthread_cond_wait(&g->cv, &g->mu);
    qitem *it = g->first;
    g->first = it->next;
    if (!g->first)
        g->last = NULL;
    g->queued -= it->n;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    return it;
}

/* The pre-scan: where the first <elem> start tag of the main namespace
 * ends. */
typedef struct prescan {
    xc_xctx x;
    xc_reader r;
    const char *elem;
    uint64_t h;
    char pfx[32];
    int found; /* 1 found, -1 unusable */
} prescan;

static void pre_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    prescan *c = ud;
    xc_qname q;
    (void)atts;
    xc_qname_split(name, &q);
    if (!xc_qname_main(&q) || q.locallen != strlen(c->elem) ||
        memcmp(q.local, c->elem, q.locallen) != 0)
        return;
    XML_Index at = XML_GetCurrentByteIndex(c->x.p);
    int n = XML_GetCurrentByteCount(c->x.p);
    c->found = -1;
    if (at >= 0 && n > 0 && q.prefixlen + 2 < sizeof c->pfx) {
        c->h = (uint64_t)at + (uint64_t)n;
        if (q.prefix)
            snprintf(c->pfx, sizeof c->pfx, "%.*s:", (int)q.prefixlen,
                     q.prefix);
        c->found = 1;
    }
    XML_StopParser(c->x.p, XML_FALSE);
}

/* The first "<PFXrow" in s[0,n) followed by the end of the name. */
static const char *find_row(const char *s, size_t n, const char *pfx)
{
    size_t pl = strlen(pfx);
    const char *e = s + n;
    while ((s = memchr(s, '<', (size_t)(e - s)))) {
        const char *t = s + 1;
        if ((size_t)(e - t) > pl + 3 && memcmp(t, pfx, pl) == 0 &&
            memcmp(t + pl, "row", 3) == 0 &&
            (t[pl + 3] == ' ' || t[pl + 3] == '>' || t[pl + 3] == '/' ||
             t[pl + 3] == '\t' || t[pl + 3] == '\n' || t[pl + 3] == '\r'))
            return s;
        s = t;
    }
    return NULL;
}

/* Feed the tail parser and queue what its handlers recorded. */
static int tail_feed(splitrun *g, const char *s, size_t n, int final)
{
    xc_split *sp = g->sp;
    void *blk = NULL;
    size_t len = 0;
    if (XML_Parse(sp->tail, s, (int)n, final) != XML_STATUS_OK)
        return -1;
    if (sp->take(sp->take_ud, &blk, &len))
        return -1;
    return blk ? q_push(g, Q_REC, blk, len, len, 0) : 0;
}

static void *split_main(void *ud)
{
    splitrun *g = ud;
    xc_split *sp = g->sp;
    enum { PRE, CUT, PASS, TAIL } phase = PRE;
    prescan pre;
    memset(&pre, 0, sizeof pre);
    pre.x.r = &pre.r;
    pre.elem = sp->elem;
    XML_Parser pp = xc_xml_new(&pre);
    char *head = NULL;
    size_t hlen = 0;
    uint64_t pos = 0, target = g->decl / 100 * sp->frac_pct;
    int fail = 0;
    char *spare = NULL; /* after the cut, one chunk read into again and
                           again: fresh mappings cost page faults */
    if (pp)
        XML_SetStartElementHandler(pp, pre_start);
    else
        phase = PASS;
    for (;;) {
        char *buf = spare ? spare : xc_blk_new(SPLIT_CHUNK);
        zip_int64_t got = buf ? 0 : -1;
        spare = NULL;
        while (got >= 0 && got < SPLIT_CHUNK) {
            zip_int64_t k =
                xc_zin_read(g->f, buf + got, (zip_uint64_t)(SPLIT_CHUNK - got));
            if (k <= 0) {
                got = k < 0 ? -1 : got;
                break;
            }
            got += k;
        }
        if (got < 0 || pos + (uint64_t)got > g->decl ||
            pos + (uint64_t)got > g->max_part) {
            xc_blk_free(buf, SPLIT_CHUNK);
            fail = 1;
            break;
        }
        size_t n = (size_t)got;
        g->got = pos + n;
        if (phase == PRE) {
            char *h =
                hlen + n <= SPLIT_HEAD_MAX ? realloc(head, hlen + n + 1) : NULL;
            if (!h) {
                phase = PASS;
            } else {
                head = h;
                memcpy(head + hlen, buf, n);
                hlen += n;
                int ok = XML_Parse(pp, buf, (int)n, n == 0) == XML_STATUS_OK;
                phase = pre.found == 1 ? CUT : !ok || n == 0 ? PASS : PRE;
            }
            if (phase == PASS) {
                free(head);
                head = NULL;
            }
        }
        if (phase == CUT && n > 0 && pos + n > target) {
            uint64_t from = target > pos ? target - pos : 0;
            if (pos + from <= pre.h)
                from = pre.h - pos < n ? pre.h - pos : n;
            const char *s = find_row(buf + from, n - from, pre.pfx);
            if (s) {
                size_t o = (size_t)(s - buf), pn = n - o;
                size_t kn = pn < SPLIT_PROBE ? pn : SPLIT_PROBE;
                char *probe = xc_blk_new(kn);
                char *rest = malloc(pn);
                if (!probe || !rest) {
                    xc_blk_free(probe, kn);
                    free(rest);
                    xc_blk_free(buf, SPLIT_CHUNK);
                    fail = 1;
                    break;
                }
                memcpy(probe, s, kn);
                memcpy(rest, s, pn);
                sp->at = pos + o;
                sp->head = pre.h;
                phase = TAIL;
                if (q_push(g, Q_CHUNK, buf, o, SPLIT_CHUNK, 0) ||
                    q_push(g, Q_CUT, probe, kn, kn, 0) ||
                    tail_feed(g, head, (size_t)pre.h, 0) ||
                    tail_feed(g, rest, pn, 0)) {
                    free(rest);
                    fail = 1;
                    break;
                }
                free(rest);
                free(head);
                head = NULL;
                pos += n;
                continue;
            }
        }
        if (phase == TAIL) {
            int bad = tail_feed(g, buf, n, n == 0);
            spare = buf;
            if (bad) {
                fail = 1;
                break;
            }
        } else if (q_push(g, Q_CHUNK, buf, n, SPLIT_CHUNK, 0)) {
            break;
        }
        pos += n;
        if (n == 0)
            break;
    }
    xc_blk_free(spare, SPLIT_CHUNK);
    free(head);
    if (pp)
        XML_ParserFree(pp);
    q_push(g, Q_END, NULL, 0, 0, fail);
    return NULL;
}

int xc_part_parse_split(xc_reader *r, const char *part, XML_Parser p,
                        xc_split *sp)
{
    int st = XC_OK, retry = 0, done = 0, cut = 0;
    uint64_t decl = 0;
    splitrun g;
    pthread_t th;
    xc_buf_reset(r->err);
    xc_zin *f = part_open(r, part, &decl, &st);
    if (!f) {
        xc_msg_one_line(r->err);
        return st;
    }
    if (decl < xc_xlsx_split_min || decl == 0 || xc_alloc_fail_armed() ||
        xc_xlsx_no_read_thread) {
        xc_zin_close(f);
        return xc_part_parse(r, part, p);
    }
    memset(&g, 0, sizeof g);
    g.f = f;
    g.sp = sp;
    g.decl = decl;
    g.max_part = r->max_part;
    sp->at = sp->head = 0;
    sp->size = decl;
    sp->cut = 0;
    sp->probing = sp->probe_ok = 0;
    if (pthread_mutex_init(&g.mu, NULL) != 0) {
        xc_zin_close(f);
        return xc_part_parse(r, part, p);
    }
    if (pthread_cond_init(&g.cv, NULL) != 0) {
        pthread_mutex_destroy(&g.mu);
        xc_zin_close(f);
        return xc_part_parse(r, part, p);
    }
    if (pthread_create(&th, NULL, split_main, &g) != 0) {
        pthread_cond_destroy(&g.cv);
        pthread_mutex_destroy(&g.mu);
        xc_zin_close(f);
        return xc_part_parse(r, part, p);
    }
    while (!done) {
        qitem *it = q_pop(&g);
        if (it->kind == Q_CHUNK) {
            if (xc_interrupted()) {
                st = XC_EINTR;
                xc_buf_printf(r->err, "%s: %s: interrupted", r->file, part);
                done = 1;
            } else if (XML_Parse(p, it->data, (int)it->n, it->n == 0) !=
                       XML_STATUS_OK) {
                st = parse_fail(r, part, p);
                done = 1;
            }
        } else if (it->kind == Q_CUT) {
            sp->probing = 1;
            XML_Parse(p, it->data, (int)it->n, 0);
            sp->probing = 0;
            cut = 1;
            retry = !sp->probe_ok || r->failed;
            done = retry;
        } else if (it->kind == Q_REC) {
            if (xc_interrupted()) {
                st = XC_EINTR;
                xc_buf_printf(r->err, "%s: %s: interrupted", r->file, part);
                done = 1;
            } else if (sp->replay(sp->replay_ud, it->data, it->n)) {
                retry = done = 1;
            }
        } else {
            retry = it->fail;
            done = 1;
        }
        xc_blk_free(it->data, it->cap);
        free(it);
    }
    pthread_mutex_lock(&g.mu);
    g.abort = 1;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    pthread_join(th, NULL);
    while (g.first) {
        qitem *it = g.first;
        g.first = it->next;
        xc_blk_free(it->data, it->cap);
        free(it);
    }
    pthread_cond_destroy(&g.cv);
    pthread_mutex_destroy(&g.mu);
    xc_zin_close(f);
    r->total += g.got;
    if (retry && st == XC_OK) {
        xc_buf_reset(r->err);
        xc_xlsx_split_retries++;
        return XC_SPLIT_RETRY;
    }
    xc_xlsx_splits += cut && st == XC_OK;
    sp->cut = cut && st == XC_OK;
    if (st != XC_OK)
        xc_msg_one_line(r->err);
    return st;
}

int xc_part_read(xc_reader *r, const char *part, xc_buf *out)
{
    int st = XC_OK;
    uint64_t decl = 0, got = 0;
    char *buf;
    xc_buf_reset(r->err);
    xc_zin *f = part_open(r, part, &decl, &st);
    if (!f) {
        xc_msg_one_line(r->err);
        return st;
    }
    buf = xc_malloc(XC_XLSX_CHUNK);
    if (!buf) {
        xc_zin_close(f);
        return XC_ENOMEM;
    }
    for (;;) {
        zip_int64_t n = part_chunk(r, part, f, buf, decl, &got, &st);
        if (n <= 0)
            break;
        if (xc_buf_put(out, buf, (size_t)n) != XC_OK) {
            st = XC_ENOMEM;
            break;
        }
    }
    xc_free(buf);
    xc_zin_close(f);
    if (st != XC_OK)
        xc_msg_one_line(r->err);
    return st;
}

/* ---- relationships ---- */

typedef struct rels_ctx {
    xc_xctx x;
    const char *source;
    xc_rels *out;
    int st;
} rels_ctx;

static int unhex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Resolve a relationship target against the source part's folder:
 * percent-decoding, absolute targets from the root, '.' and '..'. */
static char *resolve(const char *source, const char *target)
{
    xc_buf raw, out;
    xc_buf_init(&raw);
    xc_buf_init(&out);
    for (const char *t = target; *t; t++) {
        if (*t == '%' && unhex(t[1]) >= 0 && unhex(t[2]) >= 0) {
            xc_buf_putc(&raw, unhex(t[1]) * 16 + unhex(t[2]));
            t += 2;
        } else if (*t == '\\') {
            xc_buf_putc(&raw, '/');
        } else {
            xc_buf_putc(&raw, *t);
        }
    }
    if (!raw.p || raw.p[0] != '/') {
        const char *slash = strrchr(source, '/');
        if (slash)
            xc_buf_put(&out, source, (size_t)(slash - source + 1));
    }
    if (raw.p)
        xc_buf_puts(&out, raw.p);
    xc_buf_clear(&raw);
    if (!out.p)
        return xc_strndup("", 0);
    /* normalise segments in place */
    char *s = out.p, *w = out.p;
    while (*s) {
        char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (w > out.p && w[-1] == '/')
                w--;
            while (w > out.p && w[-1] != '/')
                w--;
        } else {
            memmove(w, s, n);
            w += n;
            if (e)
                *w++ = '/';
        }
        s += n + (e ? 1 : 0);
    }
    *w = 0;
    return xc_buf_take(&out);
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (!xc_qname_is(&q, "Relationship"))
        return;
    const char *id = xc_attr(atts, "Id", 0), *type = xc_attr(atts, "Type", 0);
    const char *target = xc_attr(atts, "Target", 0);
    const char *mode = xc_attr(atts, "TargetMode", 0);
    if (!id || !type || !target)
        return;
    xc_rel *v = xc_realloc(c->out->v, (c->out->n + 1) * sizeof *v);
    if (!v) {
        c->st = XC_ENOMEM;
        XML_StopParser(c->x.p, XML_FALSE);
        return;
    }
    c->out->v = v;
    xc_rel *r = &v[c->out->n];
    r->external = mode && strcmp(mode, "External") == 0;
    r->id = xc_strndup(id, strlen(id));
    r->type = xc_strndup(type, strlen(type));
    r->target = r->external ? xc_strndup(target, strlen(target))
                            : resolve(c->source, target);
    c->out->n++;
    if (!r->id || !r->type || !r->target) {
        c->st = XC_ENOMEM;
        XML_StopParser(c->x.p, XML_FALSE);
    }
}

char *xc_rels_name(const char *part)
{
    xc_buf b;
    const char *slash = strrchr(part, '/');
    xc_buf_init(&b);
    if (slash)
        xc_buf_put(&b, part, (size_t)(slash - part + 1));
    xc_buf_puts(&b, "_rels/");
    xc_buf_puts(&b, slash ? slash + 1 : part);
    xc_buf_puts(&b, ".rels");
    return xc_buf_take(&b);
}

int xc_rels_load(xc_reader *r, const char *source, xc_rels *out)
{
    rels_ctx c = {{r, NULL}, source, out, XC_OK};
    char *name = xc_rels_name(source);
    int st;
    out->v = NULL;
    out->n = 0;
    if (!name)
        return XC_ENOMEM;
    if (xc_part_find(r->zip, name) < 0) {
        xc_free(name);
        return XC_OK;
    }
    XML_Parser p = xc_xml_new(&c);
    if (!p) {
        xc_free(name);
        return XC_ENOMEM;
    }
    XML_SetStartElementHandler(p, rels_start);
    st = xc_part_parse(r, name, p);
    if (c.st != XC_OK)
        st = c.st;
    XML_ParserFree(p);
    xc_free(name);
    if (st != XC_OK)
        xc_rels_free(out);
    return st;
}

void xc_rels_free(xc_rels *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        xc_free(rs->v[i].id);
        xc_free(rs->v[i].type);
        xc_free(rs->v[i].target);
    }
    xc_free(rs->v);
    rs->v = NULL;
    rs->n = 0;
}

int xc_type_is(const char *type, const char *suffix)
{
    const char *s = strrchr(type, '/');
    return s && strcmp(s + 1, suffix) == 0;
}

const xc_rel *xc_rels_by_type(const xc_rels *rs, const char *suffix)
{
    for (size_t i = 0; i < rs->n; i++)
        if (!rs->v[i].external && xc_type_is(rs->v[i].type, suffix))
            return &rs->v[i];
    return NULL;
}

const xc_rel *xc_rels_by_id(const xc_rels *rs, const char *id)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].id, id) == 0)
            return &rs->v[i];
    return NULL;
}

/* ---- references ---- */

/* ASCII only, whatever the locale (the CLI sets LC_CTYPE): once per
 * cell of every sheet loaded. */
int xc_ref_parse_n(const char *s, size_t n, uint32_t *row, uint32_t *col)
{
    uint64_t c = 0, r = 0;
    size_t i = 0;
    for (; i < 4 && i < n; i++) {
        unsigned ch = (unsigned char)s[i] | 0x20u; /* lower case */
        if (ch < 'a' || ch > 'z' || ((unsigned char)s[i] & 0x80u))
            break;
        c = c * 26 + (ch - 'a' + 1);
    }
    if (i == 0 || i >= n || s[i] < '0' || s[i] > '9')
        return 1;
    while (i < n && s[i] >= '0' && s[i] <= '9' && r <= XC_MAX_ROWS)
        r = r * 10 + (uint64_t)(s[i++] - '0');
    if (i < n)
        return 1;
    if (c > XC_MAX_COLS || r < 1 || r > XC_MAX_ROWS)
        return 2;
    *row = (uint32_t)(r - 1);
    *col = (uint32_t)(c - 1);
    return 0;
}

int xc_ref_parse(const char *s, uint32_t *row, uint32_t *col)
{
    return xc_ref_parse_n(s, strlen(s), row, col);
}

void xc_ref_put(xc_buf *b, uint32_t row, uint32_t col)
{
    char tmp[24];
    int n = 0, k = sizeof tmp;
    uint32_t c = col + 1;
    uint64_t r = (uint64_t)row + 1;
    while (c) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    while (n)
        xc_buf_putc(b, tmp[--n]);
    /* the row's digits, without printf */
    do {
        tmp[--k] = (char)('0' + r % 10);
        r /= 10;
    } while (r);
    xc_buf_put(b, tmp + k, sizeof tmp - (size_t)k);
}

int xc_range_parse(const char *s, xc_area *a)
{
    char tmp[32];
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    if (n >= sizeof tmp)
        return 1;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    if (xc_ref_parse(tmp, &a->r1, &a->c1))
        return 1;
    a->r2 = a->r1;
    a->c2 = a->c1;
    if (colon && xc_ref_parse(colon + 1, &a->r2, &a->c2))
        return 1;
    if (a->r2 < a->r1 || a->c2 < a->c1)
        return 1;
    a->sheet = a->sheet2 = 0;
    return 0;
}

/* ---- strings ---- */

static int xesc_at(const char *s, size_t n, uint32_t *cp)
{
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return 0;
    uint32_t v = 0;
    for (int i = 2; i < 6; i++) {
        int h = unhex((unsigned char)s[i]);
        if (h < 0)
            return 0;
        v = v * 16 + (uint32_t)h;
    }
    *cp = v;
    return 1;
}

size_t xc_xstr_decode(char *s, size_t n)
{
    size_t r = 0, w = 0;
    if (!memchr(s, '_', n))
        return n;
    while (r < n) {
        uint32_t cp;
        if (xesc_at(s + r, n - r, &cp)) {
            r += 7;
            uint32_t lo;
            if (cp >= 0xD800 && cp < 0xDC00 && xesc_at(s + r, n - r, &lo) &&
                lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                r += 7;
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            char u[4];
            int k;
            if (cp < 0x80) {
                u[0] = (char)cp;
                k = 1;
            } else if (cp < 0x800) {
                u[0] = (char)(0xC0 | cp >> 6);
                u[1] = (char)(0x80 | (cp & 63));
                k = 2;
            } else if (cp < 0x10000) {
                u[0] = (char)(0xE0 | cp >> 12);
                u[1] = (char)(0x80 | ((cp >> 6) & 63));
                u[2] = (char)(0x80 | (cp & 63));
                k = 3;
            } else {
                u[0] = (char)(0xF0 | cp >> 18);
                u[1] = (char)(0x80 | ((cp >> 12) & 63));
                u[2] = (char)(0x80 | ((cp >> 6) & 63));
                u[3] = (char)(0x80 | (cp & 63));
                k = 4;
            }
            memcpy(s + w, u, (size_t)k); /* k <= 7 bytes consumed */
            w += (size_t)k;
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = 0;
    return w;
}

int xc_xml_escape(xc_buf *b, const char *s, size_t n, int attr)
{
    int st = XC_OK;
    for (size_t i = 0; i < n && st == XC_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        if (c == '&')
            st = xc_buf_puts(b, "&amp;");
        else if (c == '<')
            st = xc_buf_puts(b, "&lt;");
        else if (c == '>')
            st = xc_buf_puts(b, "&gt;");
        else if (c == '"' && attr)
            st = xc_buf_puts(b, "&quot;");
        else if (attr && (c == '\t' || c == '\n'))
            st = xc_buf_printf(b, "&#%d;", c);
        else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            st = xc_buf_printf(b, "_x%04X_", c);
        else if (c == '_' && xesc_at(s + i, n - i, &cp))
            st = xc_buf_puts(b, "_x005F_");
        else
            st = xc_buf_putc(b, c);
    }
    return st;
}

/* ---- built-in number formats (ECMA-376 18.8.30; 27-58 as in Excel's
 * Simplified Chinese locale, where 14 shows as yyyy/m/d) ---- */

const char *xc_builtin_numfmt(unsigned id)
{
    /* clang-format off */
    static const char *const t[] = {
        [0] = "General", [1] = "0", [2] = "0.00", [3] = "#,##0",
        [4] = "#,##0.00",
        [5] = "\"\xC2\xA5\"#,##0;\"\xC2\xA5\"\\-#,##0",
        [6] = "\"\xC2\xA5\"#,##0;[Red]\"\xC2\xA5\"\\-#,##0",
        [7] = "\"\xC2\xA5\"#,##0.00;\"\xC2\xA5\"\\-#,##0.00",
        [8] = "\"\xC2\xA5\"#,##0.00;[Red]\"\xC2\xA5\"\\-#,##0.00",
        [9] = "0%", [10] = "0.00%", [11] = "0.00E+00", [12] = "# ?/?",
        [13] = "# ?\?/?\?", [14] = "yyyy/m/d", [15] = "d-mmm-yy",
        [16] = "d-mmm", [17] = "mmm-yy", [18] = "h:mm AM/PM",
        [19] = "h:mm:ss AM/PM", [20] = "h:mm", [21] = "h:mm:ss",
        [22] = "yyyy/m/d h:mm",
        [27] = "yyyy\"年\"m\"月\"", [28] = "m\"月\"d\"日\"",
        [29] = "m\"月\"d\"日\"", [30] = "m-d-yy",
        [31] = "yyyy\"年\"m\"月\"d\"日\"", [32] = "h\"时\"mm\"分\"",
        [33] = "h\"时\"mm\"分\"ss\"秒\"",
        [34] = "上午/下午h\"时\"mm\"分\"",
        [35] = "上午/下午h\"时\"mm\"分\"ss\"秒\"",
        [36] = "yyyy\"年\"m\"月\"",
        [37] = "#,##0 ;(#,##0)", [38] = "#,##0 ;[Red](#,##0)",
        [39] = "#,##0.00;(#,##0.00)", [40] = "#,##0.00;[Red](#,##0.00)",
        [41] = "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
        [42] = "_(\"$\"* #,##0_);_(\"$\"* \\(#,##0\\);_(\"$\"* \"-\"_);_(@_)",
        [43] = "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"?\?_);_(@_)",
        [44] = "_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"?\?_);_(@_)",
        [45] = "mm:ss", [46] = "[h]:mm:ss", [47] = "mm:ss.0",
        [48] = "##0.0E+0", [49] = "@",
        [50] = "yyyy\"年\"m\"月\"", [51] = "m\"月\"d\"日\"",
        [52] = "yyyy\"年\"m\"月\"", [53] = "m\"月\"d\"日\"",
        [54] = "m\"月\"d\"日\"", [55] = "上午/下午h\"时\"mm\"分\"",
        [56] = "上午/下午h\"时\"mm\"分\"ss\"秒\"",
        [57] = "yyyy\"年\"m\"月\"", [58] = "m\"月\"d\"日\"",
    };
    /* clang-format on */
    return id < sizeof t / sizeof t[0] ? t[id] : NULL;
}
