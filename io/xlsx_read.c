/* xlsx_read.c - loading an .xlsx package into a book.
 *
 * Parts are found through relationships (root rels -> workbook ->
 * worksheets, shared strings, styles) and streamed through expat in
 * 64 KiB chunks; no part is held whole in memory.  The package stays
 * open and attached to the book (xc_pkg) so xc_xlsx_save can copy the
 * untouched parts raw and rewrite only changed sheets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xlsx_int.h"

#define MAX_TEXT_BYTES (4u * 32767u)
#define MAX_FORMULA_BYTES (4u * 8192u)

typedef struct loader {
    xc_reader r;
    xc_book *b;
    xc_pkg *pkg;
    uint64_t max_cells, ncells;
    xc_str **sst;
    size_t nsst;
    xc_formula_pool *pool; /* identical formulas share one tree */
    xc_str **itext;        /* interned inline text (open addressing) */
    size_t nitext, capitext;
    xc_error *vmerr; /* value metadata index -> rich error (Excel 365) */
    size_t nvmerr;
    struct fcache_ent *fc; /* formulas by shape (parse_at) */
    uint16_t fc_hint[256]; /* by column % 256: 1 + the slot last used */
    xc_buf fcprint;
    unsigned long fc_tries, fc_hits, fc_puts, fc_bad;
    int fc_off;
    int no_split; /* read every part in one thread (xc_split retry) */
} loader;

typedef struct fcache_ent {
    uint64_t key;
    xc_formula *f;
    char *text; /* f printed at (sheet, row, col) */
    size_t len;
    uint64_t rel; /* bit k: the k-th digit run of text is a relative row */
    int sheet;
    uint32_t row, col;
    /* the relative-row runs as text[rs[k]..re[k]) of value rv[k], when
     * there are at most FC_RUNS of them (nrel), else nrel = FC_MANY */
    unsigned char nrel;
    uint16_t rs[4], re[4];
    uint32_t rv[4];
} fcache_ent;

#define FC_RUNS 4
#define FC_MANY 255

int xc_xlsx_no_fcache;

/* ---- the package object ---- */

void xc_pkg_free(void *p)
{
    xc_pkg *k = p;
    if (!k)
        return;
    for (int i = 0; i < k->nsheets; i++) {
        xc_pkgsheet *s = &k->sheets[i];
        xc_free(s->part);
        xc_free(s->merges);
        xc_free(s->groups);
        for (size_t j = 0; j < s->nutext; j++)
            xc_free(s->utext[j].text);
        xc_free(s->utext);
    }
    xc_free(k->sheets);
    if (k->zip)
        zip_discard(k->zip);
    xc_free(k->path);
    xc_free(k->wb_part);
    xc_free(k->wb_rels);
    xc_free(k->calc_part);
    xc_free(k->styles_part);
    for (uint32_t i = 0; i < k->sty_nxf; i++)
        xc_free(k->sty_xf[i]);
    xc_free(k->sty_xf);
    xc_free(k->xstyles);
    for (size_t i = 0; i < k->nnotes; i++) {
        xc_free(k->notes[i].author);
        xc_free(k->notes[i].text);
    }
    xc_free(k->notes);
    xc_free(k);
}

xc_pkg *xc_pkg_of(const xc_book *b)
{
    xc_pkg *k = b ? xc_book_userdata(b) : NULL;
    return k && k->magic == XC_PKG_MAGIC ? k : NULL;
}

int xc_xlsx_merges(const xc_book *b, int sheet, const xc_area **areas,
                   size_t *n)
{
    xc_pkg *k = xc_pkg_of(b);
    *areas = NULL;
    *n = 0;
    if (!k || sheet < 0 || sheet >= k->nsheets)
        return k ? XC_EINVAL : XC_OK;
    *areas = k->sheets[sheet].merges;
    *n = k->sheets[sheet].nmerges;
    return XC_OK;
}

const char *xc_xlsx_orig_formula(const xc_book *b, int sheet, uint32_t row,
                                 uint32_t col)
{
    xc_pkg *k = xc_pkg_of(b);
    if (!k || sheet < 0 || sheet >= k->nsheets)
        return NULL;
    xc_pkgsheet *s = &k->sheets[sheet];
    for (size_t i = 0; i < s->nutext; i++)
        if (s->utext[i].row == row && s->utext[i].col == col)
            return s->utext[i].text;
    return NULL;
}

/* Grow a vector by one element; returns the new slot or NULL.  The
 * capacity is n rounded up to a power of two, so the vector is
 * reallocated only when n is one (a file with 57,893 merged ranges
 * made one realloc per range). */
static void *push(void *pv, size_t *n, size_t size)
{
    void **vp = pv;
    size_t k = *n;
    if (k == 0 || (k & (k - 1)) == 0) {
        size_t cap = k ? 2 * k : 1;
        if (cap > SIZE_MAX / size)
            return NULL;
        void *v = xc_realloc(*vp, cap * size);
        if (!v)
            return NULL;
        *vp = v;
    }
    memset((char *)*vp + k * size, 0, size);
    return (char *)*vp + (*n)++ * size;
}

/* ---- workbook.xml ---- */

typedef struct wbsheet {
    char *name, *rid;
} wbsheet;

typedef struct wbname {
    char *name, *text;
    int local, hidden;
} wbname;

typedef struct wb_ctx {
    xc_xctx x;
    loader *L;
    wbsheet *sheets;
    size_t nsheets;
    wbname *names;
    size_t nnames;
    int in_name;
    xc_buf text;
    int date1904;
} wb_ctx;

static int truthy(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static void oom(xc_xctx *x)
{
    xc_reader_fail(x->r, x->p, "out of memory");
    x->r->failed = XC_ENOMEM;
}

/* Text beyond Excel's 32,767 characters: a limit, not a crash. */
static void too_long(xc_xctx *x)
{
    xc_reader_fail(x->r, x->p, "text longer than %u characters", XC_TEXT_MAX);
    x->r->failed = XC_ELIMIT;
}

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (!xc_qname_main(&q))
        return;
    if (xc_qname_is(&q, "workbook")) {
        c->L->pkg->strict = q.urilen == strlen(XC_NS_STRICT) &&
                            memcmp(q.uri, XC_NS_STRICT, q.urilen) == 0;
    } else if (xc_qname_is(&q, "sheet")) {
        const char *n = xc_attr(atts, "name", 0), *id = xc_attr(atts, "id", 1);
        const char *sid = xc_attr(atts, "sheetId", 0);
        uint32_t v = sid ? (uint32_t)strtoul(sid, NULL, 10) : 0;
        if (v > c->L->pkg->max_sheet_id)
            c->L->pkg->max_sheet_id = v;
        if (!n || !id) {
            xc_reader_fail(c->x.r, c->x.p, "<sheet> without name or r:id");
            return;
        }
        wbsheet *s = push(&c->sheets, &c->nsheets, sizeof *s);
        if (!s || !(s->name = xc_strndup(n, strlen(n))) ||
            !(s->rid = xc_strndup(id, strlen(id))))
            oom(&c->x);
    } else if (xc_qname_is(&q, "workbookPr")) {
        c->date1904 = truthy(xc_attr(atts, "date1904", 0));
    } else if (xc_qname_is(&q, "definedName")) {
        const char *n = xc_attr(atts, "name", 0);
        const char *ls = xc_attr(atts, "localSheetId", 0);
        if (!n)
            return;
        wbname *d = push(&c->names, &c->nnames, sizeof *d);
        if (!d || !(d->name = xc_strndup(n, strlen(n)))) {
            oom(&c->x);
            return;
        }
        d->local = ls ? atoi(ls) : -1;
        d->hidden = truthy(xc_attr(atts, "hidden", 0));
        c->in_name = 1;
        xc_buf_reset(&c->text);
    }
}

static void wb_end(void *ud, const XML_Char *name)
{
    wb_ctx *c = ud;
    if (c->in_name) {
        c->in_name = 0;
        c->names[c->nnames - 1].text =
            xc_strndup(c->text.p ? c->text.p : "", c->text.len);
        if (!c->names[c->nnames - 1].text)
            oom(&c->x);
    }
}

static void wb_text(void *ud, const XML_Char *s, int len)
{
    wb_ctx *c = ud;
    if (c->in_name && c->text.len < MAX_FORMULA_BYTES &&
        xc_buf_put(&c->text, s, (size_t)len) != XC_OK)
        oom(&c->x);
}

/* Parse workbook.xml, create the sheets and defined names, and record
 * each sheet's part. */
static int load_workbook(loader *L, const xc_rels *wbrels)
{
    wb_ctx c;
    int st;
    memset(&c, 0, sizeof c);
    c.x.r = &L->r;
    c.L = L;
    xc_buf_init(&c.text);
    XML_Parser p = xc_xml_new(&c);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, wb_start, wb_end);
    XML_SetCharacterDataHandler(p, wb_text);
    st = xc_part_parse(&L->r, L->pkg->wb_part, p);
    XML_ParserFree(p);
    if (st == XC_OK) {
        xc_book_set_date1904(L->b, c.date1904);
        L->pkg->sheets =
            xc_calloc(c.nsheets ? c.nsheets : 1, sizeof *L->pkg->sheets);
        if (!L->pkg->sheets)
            st = XC_ENOMEM;
    }
    for (size_t i = 0; st == XC_OK && i < c.nsheets; i++) {
        int idx;
        const xc_rel *rel = xc_rels_by_id(wbrels, c.sheets[i].rid);
        st = xc_book_add_sheet(L->b, c.sheets[i].name, strlen(c.sheets[i].name),
                               &idx);
        if (st != XC_OK) {
            xc_buf_printf(L->r.err, "%s: %s: cannot add sheet '%s': %s",
                          L->r.file, L->pkg->wb_part, c.sheets[i].name,
                          xc_status_str(st));
            break;
        }
        xc_pkgsheet *ps = &L->pkg->sheets[L->pkg->nsheets++];
        ps->kind = XC_SK_OTHER;
        if (rel && !rel->external) {
            ps->kind = xc_type_is(rel->type, "worksheet") ? XC_SK_WORKSHEET
                                                          : XC_SK_OTHER;
            ps->part = xc_strndup(rel->target, strlen(rel->target));
            if (!ps->part)
                st = XC_ENOMEM;
        }
    }
    for (size_t i = 0; st == XC_OK && i < c.nnames; i++) {
        wbname *d = &c.names[i];
        int sh = d->local >= 0 && d->local < (int)c.nsheets ? d->local : -1;
        int s2 = xc_book_add_name(L->b, d->name, sh, d->text ? d->text : "",
                                  d->hidden);
        if (s2 == XC_ENOMEM)
            st = s2;
    }
    for (size_t i = 0; i < c.nsheets; i++) {
        xc_free(c.sheets[i].name);
        xc_free(c.sheets[i].rid);
    }
    for (size_t i = 0; i < c.nnames; i++) {
        xc_free(c.names[i].name);
        xc_free(c.names[i].text);
    }
    xc_free(c.sheets);
    xc_free(c.names);
    xc_buf_clear(&c.text);
    return st;
}

/* ---- sharedStrings.xml ---- */

typedef struct sst_ctx {
    xc_xctx x;
    loader *L;
    int in_si, rph, in_t;
    xc_buf text;
} sst_ctx;

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (!xc_qname_main(&q))
        return;
    if (xc_qname_is(&q, "si")) {
        c->in_si = 1;
        c->rph = 0;
        xc_buf_reset(&c->text);
    } else if (xc_qname_is(&q, "rPh")) {
        c->rph++;
    } else if (xc_qname_is(&q, "t") && c->in_si && !c->rph) {
        c->in_t = 1;
    }
}

static void sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *c = ud;
    loader *L = c->L;
    xc_qname q;
    xc_qname_split(name, &q);
    if (!xc_qname_main(&q))
        return;
    if (xc_qname_is(&q, "t")) {
        c->in_t = 0;
    } else if (xc_qname_is(&q, "rPh")) {
        c->rph--;
    } else if (xc_qname_is(&q, "si") && c->in_si) {
        c->in_si = 0;
        size_t n = c->text.p ? xc_xstr_decode(c->text.p, c->text.len) : 0;
        c->text.len = n;
        if (n > XC_TEXT_MAX &&
            xc_utf8_count(c->text.p ? c->text.p : "", n) > XC_TEXT_MAX) {
            too_long(&c->x);
            return;
        }
        xc_str **slot = push(&L->sst, &L->nsst, sizeof *slot);
        if (!slot || !(*slot = xc_str_new(c->text.p ? c->text.p : "", n)))
            oom(&c->x);
    }
}

static void sst_text(void *ud, const XML_Char *s, int len)
{
    sst_ctx *c = ud;
    if (!c->in_t)
        return;
    if (c->text.len + (size_t)len > MAX_TEXT_BYTES) {
        xc_reader_fail(c->x.r, c->x.p, "shared string longer than %u bytes",
                       MAX_TEXT_BYTES);
        c->x.r->failed = XC_ELIMIT;
        return;
    }
    if (xc_buf_put(&c->text, s, (size_t)len) != XC_OK)
        oom(&c->x);
}

static int load_sst(loader *L, const char *part)
{
    sst_ctx c;
    int st;
    memset(&c, 0, sizeof c);
    c.x.r = &L->r;
    c.L = L;
    xc_buf_init(&c.text);
    XML_Parser p = xc_xml_new(&c);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, sst_start, sst_end);
    XML_SetCharacterDataHandler(p, sst_text);
    st = xc_part_parse(&L->r, part, p);
    XML_ParserFree(p);
    xc_buf_clear(&c.text);
    return st;
}

/* ---- rich errors: metadata.xml + richData (Excel 365) ----
 * A cell <c t="e" vm="K"> holds "#VALUE!" as a placeholder; valueMetadata
 * block K-1 names an XLRICHVALUE future-metadata block whose rvb i
 * selects a rich value of structure "_error", whose errorType is
 * ERROR.TYPE - 1 (8 #SPILL!, 13 #CALC!...).  Anything missing or odd
 * leaves the placeholder as it is. */

typedef struct rich_ctx {
    xc_xctx x;
    int depth_fm_rich; /* inside <futureMetadata name="XLRICHVALUE"> */
    int in_vm, in_v;   /* inside <valueMetadata>, inside rv's <v> */
    long *types;       /* metadataType index (0-based) is XLRICHVALUE: 1 */
    size_t ntypes;
    long *fm; /* XLRICHVALUE block -> rich value index */
    size_t nfm;
    long *vmrv; /* valueMetadata block -> rich value index or -1 */
    size_t nvm;
    long *errpos; /* structure -> position of errorType key, or -1 */
    size_t nst;
    long cur_key; /* key counter inside <s> */
    long *rverr;  /* rich value -> errorType or -1 */
    size_t nrv;
    long cur_s, cur_v;
    xc_buf text;
} rich_ctx;

static int push_long(long **a, size_t *n, long v)
{
    long *p = xc_realloc(*a, (*n + 1) * sizeof **a);
    if (!p)
        return XC_ENOMEM;
    p[(*n)++] = v;
    *a = p;
    return XC_OK;
}

static void rich_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rich_ctx *c = ud;
    xc_qname q;
    int st = XC_OK;
    xc_qname_split(name, &q);
    if (xc_qname_is(&q, "metadataType")) {
        const char *n = xc_attr(atts, "name", 0);
        st = push_long(&c->types, &c->ntypes, n && !strcmp(n, "XLRICHVALUE"));
    } else if (xc_qname_is(&q, "futureMetadata")) {
        const char *n = xc_attr(atts, "name", 0);
        c->depth_fm_rich = n && !strcmp(n, "XLRICHVALUE");
    } else if (xc_qname_is(&q, "rvb") && c->depth_fm_rich) {
        const char *i = xc_attr(atts, "i", 0);
        st = push_long(&c->fm, &c->nfm, i ? strtol(i, NULL, 10) : -1);
    } else if (xc_qname_is(&q, "valueMetadata")) {
        c->in_vm = 1;
    } else if (xc_qname_is(&q, "bk") && c->in_vm) {
        st = push_long(&c->vmrv, &c->nvm, -1);
    } else if (xc_qname_is(&q, "rc") && c->in_vm && c->nvm &&
               c->vmrv[c->nvm - 1] < 0) {
        const char *t = xc_attr(atts, "t", 0), *v = xc_attr(atts, "v", 0);
        long ti = t ? strtol(t, NULL, 10) : 0,
             vi = v ? strtol(v, NULL, 10) : -1;
        if (ti >= 1 && (size_t)ti <= c->ntypes && c->types[ti - 1] && vi >= 0 &&
            (size_t)vi < c->nfm)
            c->vmrv[c->nvm - 1] = c->fm[vi];
    } else if (xc_qname_is(&q, "s") && !c->in_vm) {
        /* rdrichvaluestructure.xml */
        const char *t = xc_attr(atts, "t", 0);
        st =
            push_long(&c->errpos, &c->nst, t && !strcmp(t, "_error") ? -2 : -1);
        c->cur_key = 0;
    } else if (xc_qname_is(&q, "k") && c->nst) {
        const char *n = xc_attr(atts, "n", 0);
        if (c->errpos[c->nst - 1] == -2 && n && !strcmp(n, "errorType"))
            c->errpos[c->nst - 1] = c->cur_key;
        c->cur_key++;
    } else if (xc_qname_is(&q, "rv")) {
        const char *sa = xc_attr(atts, "s", 0);
        c->cur_s = sa ? strtol(sa, NULL, 10) : -1;
        c->cur_v = 0;
        st = push_long(&c->rverr, &c->nrv, -1);
    } else if (xc_qname_is(&q, "v") && c->nrv) {
        c->in_v = 1;
        xc_buf_reset(&c->text);
    }
    if (st != XC_OK)
        oom(&c->x);
}

static void rich_end(void *ud, const XML_Char *name)
{
    rich_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (xc_qname_is(&q, "futureMetadata"))
        c->depth_fm_rich = 0;
    else if (xc_qname_is(&q, "valueMetadata"))
        c->in_vm = 0;
    else if (xc_qname_is(&q, "v") && c->in_v) {
        c->in_v = 0;
        if (c->cur_s >= 0 && (size_t)c->cur_s < c->nst &&
            c->errpos[c->cur_s] == c->cur_v && c->text.p)
            c->rverr[c->nrv - 1] = strtol(c->text.p, NULL, 10);
        c->cur_v++;
    }
}

static void rich_text(void *ud, const XML_Char *s, int len)
{
    rich_ctx *c = ud;
    if (c->in_v && c->text.len < 32 && xc_buf_put(&c->text, s, (size_t)len))
        oom(&c->x);
}

/* Parse one of the three parts with the shared handlers. */
static int rich_part(loader *L, rich_ctx *c, const char *part)
{
    if (!part || xc_part_find(L->r.zip, part) < 0)
        return XC_ENOTFOUND;
    XML_Parser p = xc_xml_new(c);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, rich_start, rich_end);
    XML_SetCharacterDataHandler(p, rich_text);
    int st = xc_part_parse(&L->r, part, p);
    XML_ParserFree(p);
    return st;
}

static int load_rich_errors(loader *L, const xc_rels *wbrels)
{
    static const xc_error by_type[] = {
        XC_ERR_NONE,         XC_ERR_NULL,  XC_ERR_DIV0,    XC_ERR_VALUE,
        XC_ERR_REF,          XC_ERR_NAME,  XC_ERR_NUM,     XC_ERR_NA,
        XC_ERR_GETTING_DATA, XC_ERR_SPILL, XC_ERR_CONNECT, XC_ERR_BLOCKED,
        XC_ERR_UNKNOWN,      XC_ERR_FIELD, XC_ERR_CALC};
    const xc_rel *meta = xc_rels_by_type(wbrels, "sheetMetadata");
    const xc_rel *rv = xc_rels_by_type(wbrels, "rdRichValue");
    const xc_rel *rs = xc_rels_by_type(wbrels, "rdRichValueStructure");
    rich_ctx c;
    int st = XC_OK;
    if (!meta || !rv || !rs)
        return XC_OK;
    memset(&c, 0, sizeof c);
    c.x.r = &L->r;
    xc_buf_init(&c.text);
    if ((st = rich_part(L, &c, meta->target)) == XC_OK &&
        (st = rich_part(L, &c, rs->target)) == XC_OK &&
        (st = rich_part(L, &c, rv->target)) == XC_OK && c.nvm) {
        L->vmerr = xc_calloc(c.nvm, sizeof *L->vmerr);
        if (!L->vmerr) {
            st = XC_ENOMEM;
        } else {
            L->nvmerr = c.nvm;
            for (size_t k = 0; k < c.nvm; k++) {
                long r = c.vmrv[k];
                long et = r >= 0 && (size_t)r < c.nrv ? c.rverr[r] : -1;
                if (et >= 0 &&
                    (size_t)et + 1 < sizeof by_type / sizeof *by_type)
                    L->vmerr[k] = by_type[et + 1];
            }
        }
    }
    if (st == XC_ENOTFOUND)
        st = XC_OK;
    xc_free(c.types);
    xc_free(c.fm);
    xc_free(c.vmrv);
    xc_free(c.errpos);
    xc_free(c.rverr);
    xc_buf_clear(&c.text);
    return st;
}

/* ---- styles.xml ---- */

typedef struct numfmt {
    unsigned id;
    char *code;
} numfmt;

typedef struct sty_ctx {
    xc_xctx x;
    numfmt *fmts;
    size_t nfmts;
    unsigned *xfs;
    size_t nxfs;
    int in_cellxfs;
} sty_ctx;

static void sty_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sty_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (!xc_qname_main(&q))
        return;
    if (xc_qname_is(&q, "numFmt")) {
        const char *id = xc_attr(atts, "numFmtId", 0);
        const char *code = xc_attr(atts, "formatCode", 0);
        if (!id || !code)
            return;
        numfmt *f = push(&c->fmts, &c->nfmts, sizeof *f);
        if (!f || !(f->code = xc_strndup(code, strlen(code)))) {
            oom(&c->x);
            return;
        }
        f->id = (unsigned)strtoul(id, NULL, 10);
    } else if (xc_qname_is(&q, "cellXfs")) {
        c->in_cellxfs = 1;
    } else if (xc_qname_is(&q, "xf") && c->in_cellxfs) {
        const char *id = xc_attr(atts, "numFmtId", 0);
        unsigned *x = push(&c->xfs, &c->nxfs, sizeof *x);
        if (!x)
            oom(&c->x);
        else
            *x = id ? (unsigned)strtoul(id, NULL, 10) : 0;
    }
}

static void sty_end(void *ud, const XML_Char *name)
{
    sty_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (xc_qname_main(&q) && xc_qname_is(&q, "cellXfs"))
        c->in_cellxfs = 0;
}

/* Register the number format of every cellXfs entry, in order, so that
 * a cell's s attribute is its style index in the book. */
static int load_styles(loader *L, const char *part)
{
    sty_ctx c;
    int st;
    memset(&c, 0, sizeof c);
    c.x.r = &L->r;
    XML_Parser p = xc_xml_new(&c);
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, sty_start, sty_end);
    st = xc_part_parse(&L->r, part, p);
    XML_ParserFree(p);
    uint32_t have = xc_book_style_count(L->b);
    for (size_t i = 0; st == XC_OK && i < c.nxfs; i++) {
        const char *code = NULL;
        uint32_t idx;
        for (size_t j = c.nfmts; j-- > 0;)
            if (c.fmts[j].id == c.xfs[i]) {
                code = c.fmts[j].code;
                break;
            }
        if (!code)
            code = xc_builtin_numfmt(c.xfs[i]);
        if (!code)
            code = "General";
        if (i < have)
            continue; /* the book's predefined General */
        st = xc_book_add_style(L->b, code, &idx);
    }
    for (size_t j = 0; j < c.nfmts; j++)
        xc_free(c.fmts[j].code);
    xc_free(c.fmts);
    xc_free(c.xfs);
    return st;
}

/* ---- worksheets ---- */

typedef struct sgroup {
    uint32_t si;
    xc_formula *f; /* NULL: master unparseable */
    int unknown;
    char *text;
} sgroup;

typedef struct sh_ctx {
    xc_xctx x;
    loader *L;
    int sheet;
    xc_pkgsheet *ps;
    uint32_t next_row, row, next_col;
    int in_row;
    /* current cell */
    int in_c, in_is, rph, collect;
    uint32_t crow, ccol, style, vm;
    unsigned char tc, ft; /* T_* of t, FT_* of <f t=> */
    int has_v, has_f, has_is;
    char *fref;
    long si;
    xc_buf v, f, is;
    sgroup *groups;
    size_t ngroups;
    /* kind (E_*) of each open element, recorded at its start so that its
     * end needs no name parsing; deeper levels parse the name again */
    size_t depth;
    unsigned char kind[64];
    /* a part read in two (xc_split): on the calling thread `split` is
     * set for the probe at the cut and the replay; the worker's context
     * records (rec) what the calling thread then stores */
    xc_split *split;
    const xc_split *rec_sp; /* the worker's: only at and head are read */
    int rec, rec_head, rec_rows;
    uint32_t rec_first_row; /* the row at the cut */
    /* the first row at or after the middle of the part, for the save */
    uint64_t mid_at;
    uint32_t mid_row;
    xc_buf rec_out;
} sh_ctx;

/* Elements whose end tag matters, in the main namespace. */
enum { E_OTHER, E_C, E_ROW, E_V, E_F, E_T, E_RPH, E_IS, E_SHEETDATA };

static unsigned char elem_kind(const xc_qname *q)
{
    if (!xc_qname_main(q))
        return E_OTHER;
    const char *l = q->local;
    switch (q->locallen) {
    case 1:
        return l[0] == 'c'   ? E_C
               : l[0] == 'v' ? E_V
               : l[0] == 'f' ? E_F
               : l[0] == 't' ? E_T
                             : E_OTHER;
    case 2:
        return xc_qname_is(q, "is") ? E_IS : E_OTHER;
    case 3:
        return xc_qname_is(q, "row")   ? E_ROW
               : xc_qname_is(q, "rPh") ? E_RPH
                                       : E_OTHER;
    case 9:
        return xc_qname_is(q, "sheetData") ? E_SHEETDATA : E_OTHER;
    default:
        return E_OTHER;
    }
}

enum { C_NONE, C_V, C_F, C_IS };

/* A cell's t attribute, read once at <c>: a type that is none of these
 * is read as a number, as "n" is. */
enum { T_N, T_S, T_STR, T_B, T_E, T_D, T_INLINE };

static unsigned char cell_type(const char *t)
{
    if (!t)
        return T_N;
    switch (t[0]) {
    case 's':
        return !t[1] ? T_S : t[1] == 't' && t[2] == 'r' && !t[3] ? T_STR : T_N;
    case 'b':
        return !t[1] ? T_B : T_N;
    case 'e':
        return !t[1] ? T_E : T_N;
    case 'd':
        return !t[1] ? T_D : T_N;
    case 'i':
        return strcmp(t, "inlineStr") == 0 ? T_INLINE : T_N;
    default:
        return T_N;
    }
}

/* <f>'s t attribute: any other value (or none) is a normal formula. */
enum { FT_NORMAL, FT_SHARED, FT_ARRAY, FT_DATATABLE };

static unsigned char formula_type(const char *t)
{
    if (!t)
        return FT_NORMAL;
    return strcmp(t, "shared") == 0      ? FT_SHARED
           : strcmp(t, "array") == 0     ? FT_ARRAY
           : strcmp(t, "dataTable") == 0 ? FT_DATATABLE
                                         : FT_NORMAL;
}

static void sh_fail(sh_ctx *c, const char *fmt, const char *arg)
{
    xc_reader_fail(c->x.r, c->x.p, fmt, arg);
}

/* ---- the worker's records (a part read in two) ----
 * Each record is a tag byte and its fields; the calling thread applies
 * them in order (sh_replay) with the same code the one-thread reading
 * runs.  Anything the worker cannot record stops it, and the part is
 * read again in one thread. */
enum {
    R_CELL = 'C',
    R_HIDDEN = 'H',
    R_FILTER = 'P',
    R_AUTOFILTER = 'A',
    R_MERGE = 'M',
    R_SDEND = 'D'
};

/* A cell record, compact since the worker's records of a large sheet
 * wait in memory until this thread has read its own part: a flags
 * byte, the type byte (T_* | FT_* << 4), then varints and texts: row,
 * column, [style], [vm], [si], <v>, [<f>], [<is> text], [ref]. */
enum {
    CF_V = 1,
    CF_F = 2,
    CF_IS = 4,
    CF_REF = 8,
    CF_STYLE = 16,
    CF_VM = 32,
    CF_SI = 64
};

/* Write v as a varint (7 bits a byte, low first) at o; returns the
 * end. */
static unsigned char *w_var(unsigned char *o, uint64_t v)
{
    do {
        *o++ = (unsigned char)((v & 127) | (v > 127 ? 128 : 0));
        v >>= 7;
    } while (v);
    return o;
}

/* A text as its length and bytes. */
static unsigned char *w_text(unsigned char *o, const char *s, size_t n)
{
    o = w_var(o, n);
    if (n)
        memcpy(o, s, n);
    return o + n;
}

static uint64_t get_var(const char **pp)
{
    const unsigned char *p = (const unsigned char *)*pp;
    uint64_t v = 0;
    for (unsigned sh = 0; sh < 64; sh += 7) {
        unsigned char k = *p++;
        v |= (uint64_t)(k & 127) << sh;
        if (!(k & 128))
            break;
    }
    *pp = (const char *)p;
    return v;
}

static void rec_fail(sh_ctx *c)
{
    xc_reader_fail(c->x.r, c->x.p, "%s", "cannot be read in two");
}

static void rec_put(sh_ctx *c, int tag, const void *p, size_t n)
{
    char t = (char)tag;
    if (xc_buf_put(&c->rec_out, &t, 1) != XC_OK ||
        xc_buf_put(&c->rec_out, p, n) != XC_OK)
        oom(&c->x);
}

static void rec_cell(sh_ctx *c)
{
    xc_buf *b = &c->rec_out;
    unsigned char fl = 0, tc = (unsigned char)(c->tc | c->ft << 4);
    c->in_c = 0;
    fl |= c->has_v ? CF_V : 0;
    fl |= c->has_f ? CF_F : 0;
    fl |= c->has_is ? CF_IS : 0;
    fl |= c->fref ? CF_REF : 0;
    fl |= c->style ? CF_STYLE : 0;
    fl |= c->vm ? CF_VM : 0;
    fl |= c->si >= 0 ? CF_SI : 0;
    size_t nref = c->fref ? strlen(c->fref) : 0;
    /* one reservation for the whole record: 3 bytes of head, at most 10
     * for each of its 9 varints */
    size_t need = 3 + 9 * 10 + c->v.len + c->f.len + c->is.len + nref;
    if (xc_buf_reserve(b, need) != XC_OK) {
        oom(&c->x);
        return;
    }
    unsigned char *o0 = (unsigned char *)b->p + b->len, *o = o0;
    *o++ = R_CELL;
    *o++ = fl;
    *o++ = tc;
    o = w_var(o, c->crow);
    o = w_var(o, c->ccol);
    if (fl & CF_STYLE)
        o = w_var(o, c->style);
    if (fl & CF_VM)
        o = w_var(o, c->vm);
    if (fl & CF_SI)
        o = w_var(o, (uint64_t)c->si);
    o = w_text(o, c->v.p, c->v.len);
    if (fl & CF_F)
        o = w_text(o, c->f.p, c->f.len);
    if (fl & CF_IS)
        o = w_text(o, c->is.p, c->is.len);
    if (fl & CF_REF)
        o = w_text(o, c->fref, nref);
    b->len += (size_t)(o - o0);
    b->p[b->len] = 0;
}

/* Read back one text of a cell record into buf. */
static int get_text(const char **pp, xc_buf *buf)
{
    size_t n = (size_t)get_var(pp);
    xc_buf_reset(buf);
    int st = xc_buf_put(buf, *pp, n);
    *pp += n;
    return st;
}

/* Decode a cell record into the cell state of c. */
static int unrec_cell(sh_ctx *c, const char **pp)
{
    const char *p = *pp;
    unsigned char fl = (unsigned char)p[0], tc = (unsigned char)p[1];
    int st = XC_OK;
    p += 2;
    c->tc = tc & 15;
    c->ft = (unsigned char)(tc >> 4);
    c->crow = (uint32_t)get_var(&p);
    c->ccol = (uint32_t)get_var(&p);
    c->style = fl & CF_STYLE ? (uint32_t)get_var(&p) : 0;
    c->vm = fl & CF_VM ? (uint32_t)get_var(&p) : 0;
    c->si = fl & CF_SI ? (long)get_var(&p) : -1;
    c->has_v = !!(fl & CF_V);
    c->has_f = !!(fl & CF_F);
    c->has_is = !!(fl & CF_IS);
    st = get_text(&p, &c->v);
    xc_buf_reset(&c->f);
    xc_buf_reset(&c->is);
    if (st == XC_OK && (fl & CF_F))
        st = get_text(&p, &c->f);
    if (st == XC_OK && (fl & CF_IS))
        st = get_text(&p, &c->is);
    xc_free(c->fref);
    c->fref = NULL;
    if (st == XC_OK && (fl & CF_REF)) {
        size_t n = (size_t)get_var(&p);
        if (!(c->fref = xc_strndup(p, n)))
            st = XC_ENOMEM;
        p += n;
    }
    *pp = p;
    return st;
}

/* The end of <sheetData> in the part (R_SDEND). */
typedef struct rec_sdend {
    int64_t at;
    int n;
} rec_sdend;

/* xc_split take: hand over the records so far. */
static int sh_take(void *ud, void **blk, size_t *len)
{
    sh_ctx *c = ud;
    if (c->x.r->failed)
        return -1;
    *blk = NULL;
    *len = 0;
    if (c->rec_out.len) {
        if (!(*blk = xc_blk_new(c->rec_out.len)))
            return -1;
        memcpy(*blk, c->rec_out.p, c->rec_out.len);
        *len = c->rec_out.len;
        xc_buf_reset(&c->rec_out);
    }
    return 0;
}

/* What the handlers below do to the book and the package for a row,
 * a filter, a merge and the end of <sheetData>: directly in one
 * thread, on replay for the worker's part. */
static void set_hidden(sh_ctx *c, uint32_t row)
{
    if (xc_book_set_row_flags(c->L->b, c->sheet, row, XC_ROW_HIDDEN))
        oom(&c->x);
}

static void set_filter_mode(sh_ctx *c)
{
    if (xc_book_set_sheet_filter(c->L->b, c->sheet, 0, XC_MAX_ROWS - 1))
        oom(&c->x);
}

/* the sheet's own autoFilter comes first; those of custom sheet views,
 * later, find the filter narrowed already */
static void set_autofilter(sh_ctx *c, const xc_area *a)
{
    uint32_t r1, r2;
    if (xc_book_sheet_filter(c->L->b, c->sheet, &r1, &r2) && r1 == 0 &&
        r2 == XC_MAX_ROWS - 1 &&
        xc_book_set_sheet_filter(c->L->b, c->sheet, a->r1, a->r2))
        oom(&c->x);
}

static void add_merge(sh_ctx *c, const xc_area *a)
{
    xc_area *m = push(&c->ps->merges, &c->ps->nmerges, sizeof *m);
    if (!m)
        oom(&c->x);
    else
        *m = *a;
}

static void cell_begin(sh_ctx *c, const XML_Char **atts)
{
    /* One pass over the attributes (what xc_attr(atts, NAME, 0) gives
     * for each: unprefixed names compared whole; expat rejects
     * duplicates). */
    const char *r = NULL, *t = NULL, *s = NULL, *vm = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[0] && !a[1]) {
            if (a[0] == 'r')
                r = atts[i + 1];
            else if (a[0] == 't')
                t = atts[i + 1];
            else if (a[0] == 's')
                s = atts[i + 1];
        } else if (a[0] == 'v' && a[1] == 'm' && !a[2]) {
            vm = atts[i + 1];
        }
    }
    if (!c->in_row) {
        c->row = c->next_row;
        c->next_col = 0;
    }
    c->crow = c->row;
    c->ccol = c->next_col;
    if (r) {
        int e = xc_ref_parse(r, &c->crow, &c->ccol);
        if (e) {
            sh_fail(c,
                    e == 2 ? "cell reference '%s' beyond the sheet limits"
                           : "invalid cell reference '%s'",
                    r);
            return;
        }
    }
    if (c->ccol >= XC_MAX_COLS) {
        sh_fail(c, "column beyond XFD%s", "");
        return;
    }
    c->next_col = c->ccol + 1;
    c->in_c = 1;
    c->tc = cell_type(t);
    c->style = s ? (uint32_t)strtoul(s, NULL, 10) : 0;
    c->vm = vm ? (uint32_t)strtoul(vm, NULL, 10) : 0;
    c->has_v = c->has_f = c->has_is = 0;
    c->ft = FT_NORMAL;
    xc_free(c->fref);
    c->fref = NULL;
    c->si = -1;
    xc_buf_reset(&c->v);
    xc_buf_reset(&c->f);
    xc_buf_reset(&c->is);
}

/* Record what saving by splicing needs (xc_pkgsheet sd_*, dim): the
 * element prefixes, the stated <dimension> and where <sheetData>'s
 * content starts in the inflated part.  Once per sheet, not per cell. */
static void note_layout(sh_ctx *c, const xc_qname *q, const XML_Char **atts)
{
    xc_pkgsheet *ps = c->ps;
    if (xc_qname_is(q, "worksheet") || xc_qname_is(q, "sheetData")) {
        if (q->prefix && q->prefixlen < sizeof ps->sd_pfx - 1)
            snprintf(ps->sd_pfx, sizeof ps->sd_pfx, "%.*s:", (int)q->prefixlen,
                     q->prefix);
    }
    if (xc_qname_is(q, "dimension")) {
        const char *ref = xc_attr(atts, "ref", 0);
        ps->has_dim =
            ps->has_dim == 0 && ref && xc_range_parse(ref, &ps->dim) == 0 ? 1
                                                                          : 2;
    } else if (xc_qname_is(q, "sheetData")) {
        XML_Index at = XML_GetCurrentByteIndex(c->x.p);
        int n = XML_GetCurrentByteCount(c->x.p);
        ps->sd_seen++;
        ps->sd_begin = at >= 0 && n > 0 ? (uint64_t)at + (uint64_t)n : 0;
        ps->sd_epfx[0] = 0;
        if (q->prefix && q->prefixlen < sizeof ps->sd_epfx - 1)
            snprintf(ps->sd_epfx, sizeof ps->sd_epfx,
                     "%.*s:", (int)q->prefixlen, q->prefix);
        else if (q->prefix)
            ps->sd_seen++; /* a prefix too long to keep: no splicing */
    }
}

/* End of <sheetData>: where its content ends (n: bytes of the end tag,
 * 0 for <sheetData/>). */
static void note_layout_end(sh_ctx *c, XML_Index at, int n)
{
    xc_pkgsheet *ps = c->ps;
    ps->sd_end = at >= 0 ? (uint64_t)at : 0;
    ps->sd_ok =
        ps->sd_seen == 1 && n > 0 && ps->sd_begin && ps->sd_end >= ps->sd_begin;
}

/* The calling thread, fed the bytes at the cut: the first event must
 * be a row's start there, at row level of the one <sheetData> whose
 * start tag ends where the worker's head does. */
static void probe(sh_ctx *c, const xc_qname *q)
{
    xc_split *sp = c->split;
    XML_Index at = XML_GetCurrentByteIndex(c->x.p);
    sp->probe_ok = q && at >= 0 && (uint64_t)at == sp->at && xc_qname_main(q) &&
                   xc_qname_is(q, "row") && c->depth == 2 &&
                   c->kind[1] == E_SHEETDATA && !c->in_row && !c->in_c &&
                   c->ps->sd_seen == 1 && c->ps->sd_begin == sp->head;
    XML_StopParser(c->x.p, XML_FALSE);
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sh_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    if (c->split && c->split->probing) {
        probe(c, &q);
        return;
    }
    unsigned char k = elem_kind(&q);
    if (c->depth < sizeof c->kind)
        c->kind[c->depth] = k;
    c->depth++;
    if (!xc_qname_main(&q))
        return;
    if (c->rec_head) { /* the worker, in the head: up to <sheetData> */
        if (k == E_SHEETDATA)
            c->rec_head = 0;
        return;
    }
    if (k == E_ROW) {
        const char *r = NULL, *hidden = NULL;
        for (size_t i = 0; atts[i]; i += 2) { /* as xc_attr(atts, N, 0) */
            const char *a = atts[i];
            if (a[0] == 'r' && !a[1])
                r = atts[i + 1];
            else if (a[0] == 'h' && strcmp(a, "hidden") == 0)
                hidden = atts[i + 1];
        }
        uint64_t n = c->next_row;
        if (r) {
            unsigned long long v = 0;
            size_t i = 0;
            /* the usual all-digit number by hand, anything else (signs,
             * spaces, overflow) as strtoull reads it */
            while (i < 8 && r[i] >= '0' && r[i] <= '9')
                v = v * 10 + (unsigned)(r[i++] - '0');
            if (r[i] || i == 0 || i == 8) {
                char *e;
                v = strtoull(r, &e, 10);
                if (*e)
                    v = 0;
            }
            if (v < 1 || v > XC_MAX_ROWS) {
                sh_fail(c, "row number '%s' beyond the sheet limits", r);
                return;
            }
            n = v - 1;
        } else if (c->rec && !c->rec_rows) {
            rec_fail(c); /* numbered after rows the worker did not see */
            return;
        }
        if (n >= XC_MAX_ROWS) {
            sh_fail(c, "row beyond %s", "1048576");
            return;
        }
        c->row = (uint32_t)n;
        c->next_row = c->row + 1;
        c->next_col = 0;
        c->in_row = 1;
        if (!c->rec_rows)
            c->rec_first_row = c->row;
        c->rec_rows = 1;
        if (c->rec && !c->mid_at && c->depth == 3 &&
            c->kind[1] == E_SHEETDATA) { /* a row of <sheetData> */
            XML_Index at = XML_GetCurrentByteIndex(c->x.p);
            uint64_t pos =
                at >= 0 ? (uint64_t)at - c->rec_sp->head + c->rec_sp->at : 0;
            if (at >= 0 && pos >= c->rec_sp->size / 2) {
                c->mid_at = pos;
                c->mid_row = c->row;
            }
        }
        if (truthy(hidden)) {
            if (c->rec)
                rec_put(c, R_HIDDEN, &c->row, sizeof c->row);
            else
                set_hidden(c, c->row);
        }
    } else if (xc_qname_is(&q, "sheetPr") && !c->in_row) {
        /* an active filter (rows narrowed by autoFilter below): Excel's
         * SUBTOTAL 1-11 leave its hidden rows out */
        if (truthy(xc_attr(atts, "filterMode", 0))) {
            if (c->rec)
                rec_put(c, R_FILTER, "", 0);
            else
                set_filter_mode(c);
        }
    } else if (xc_qname_is(&q, "autoFilter") && !c->in_row) {
        const char *ref = xc_attr(atts, "ref", 0);
        xc_area a;
        if (ref && xc_range_parse(ref, &a) == 0) {
            if (c->rec)
                rec_put(c, R_AUTOFILTER, &a, sizeof a);
            else
                set_autofilter(c, &a);
        }
    } else if (k == E_C) {
        if (c->rec && !c->in_row && !c->rec_rows)
            rec_fail(c);
        else
            cell_begin(c, atts);
    } else if (!c->in_c) {
        if (xc_qname_is(&q, "mergeCell")) {
            const char *ref = xc_attr(atts, "ref", 0);
            xc_area a;
            if (ref && xc_range_parse(ref, &a) == 0) {
                a.sheet = a.sheet2 = c->sheet;
                if (c->rec)
                    rec_put(c, R_MERGE, &a, sizeof a);
                else
                    add_merge(c, &a);
            }
        } else if (!c->rec) {
            note_layout(c, &q, atts);
        } else if (xc_qname_is(&q, "worksheet") ||
                   xc_qname_is(&q, "sheetData") ||
                   xc_qname_is(&q, "dimension")) {
            rec_fail(c);
        }
    } else if (k == E_V && !c->in_is) {
        c->has_v = 1;
        c->collect = C_V;
    } else if (k == E_F) {
        const char *t = NULL, *ref = NULL, *si = NULL;
        for (size_t i = 0; atts[i]; i += 2) { /* as xc_attr(atts, N, 0) */
            const char *a = atts[i];
            if (a[0] == 't' && !a[1])
                t = atts[i + 1];
            else if (a[0] == 'r' && a[1] == 'e' && a[2] == 'f' && !a[3])
                ref = atts[i + 1];
            else if (a[0] == 's' && a[1] == 'i' && !a[2])
                si = atts[i + 1];
        }
        c->has_f = 1;
        c->collect = C_F;
        c->ft = formula_type(t);
        if (ref && !(c->fref = xc_strndup(ref, strlen(ref))))
            oom(&c->x);
        c->si = si ? strtol(si, NULL, 10) : -1;
    } else if (k == E_IS) {
        c->in_is = 1;
        c->has_is = 1;
    } else if (k == E_RPH) {
        c->rph++;
    } else if (k == E_T && c->in_is && !c->rph) {
        c->collect = C_IS;
    }
}

static void sh_text(void *ud, const XML_Char *s, int len)
{
    sh_ctx *c = ud;
    if (c->split && c->split->probing)
        return;
    xc_buf *b = c->collect == C_V    ? &c->v
                : c->collect == C_F  ? &c->f
                : c->collect == C_IS ? &c->is
                                     : NULL;
    if (!b)
        return;
    if (b->len + (size_t)len > MAX_TEXT_BYTES) {
        xc_reader_fail(c->x.r, c->x.p, "cell text longer than %u bytes",
                       MAX_TEXT_BYTES);
        c->x.r->failed = XC_ELIMIT;
        return;
    }
    if (xc_buf_put(b, s, (size_t)len) != XC_OK)
        oom(&c->x);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* ISO 8601 date, datetime or time (t="d") to a serial number in the
 * book's date system; 0 on success. */
static int iso_serial(const char *s, int date1904, xc_num *out)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, n = 0;
    double sec = 0;
    int64_t days = 0;
    const char *p = s;
    if (sscanf(p, "%d-%d-%d%n", &y, &mo, &d, &n) == 3) {
        if (mo < 1 || mo > 12 || d < 1 || d > 31)
            return 1;
        int64_t dc = days_civil(y, (unsigned)mo, (unsigned)d);
        if (date1904) {
            days = dc - days_civil(1904, 1, 1);
        } else {
            days = dc - days_civil(1899, 12, 31);
            if (dc >= days_civil(1900, 3, 1))
                days++; /* Excel's fictitious 1900-02-29 */
        }
        p += n;
        if (*p == 'T' || *p == ' ')
            p++;
    }
    /* time part: hh:mm[:ss[.fff]] as an exact fraction of a day */
    int64_t ms = 0;
    if (*p && sscanf(p, "%d:%d%n", &h, &mi, &n) == 2) {
        p += n;
        int64_t whole = 0, frac = 0, scale = 1;
        if (*p == ':') {
            p++;
            while (*p >= '0' && *p <= '9')
                whole = whole * 10 + (*p++ - '0');
            if (*p == '.') {
                p++;
                while (*p >= '0' && *p <= '9') {
                    if (scale < 1000) {
                        frac = frac * 10 + (*p - '0');
                        scale *= 10;
                    }
                    p++;
                }
            }
        }
        (void)sec;
        ms = ((int64_t)h * 3600 + mi * 60 + whole) * 1000 +
             frac * (1000 / scale);
    }
    if (*p == 'Z')
        p++;
    if (*p)
        return 1;
    xc_num day, fr;
    xc_num_init(&day);
    xc_num_init(&fr);
    xc_num_set_int(&day, days);
    int st = xc_num_set_frac(&fr, ms, 86400000);
    if (st == XC_OK)
        st = xc_num_add(out, &day, &fr);
    xc_num_clear(&day);
    xc_num_clear(&fr);
    return st != XC_OK;
}

/* Inline text up to this size is interned while loading: forms repeat
 * their labels (产出指标 ...) on every form, one xc_str serves them all. */
#define INTERN_MAX_BYTES 256u

static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h ^ n;
}

static int intern_grow(loader *L)
{
    size_t cap = L->capitext ? L->capitext * 2 : 1024;
    xc_str **t = xc_calloc(cap, sizeof *t);
    if (!t)
        return XC_ENOMEM;
    for (size_t i = 0; i < L->capitext; i++) {
        xc_str *x = L->itext[i];
        if (!x)
            continue;
        size_t j = (size_t)text_hash(x->s, x->len) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = x;
    }
    xc_free(L->itext);
    L->itext = t;
    L->capitext = cap;
    return XC_OK;
}

/* Set v to text s[0..n), sharing one xc_str among equal short texts. */
static int set_text(loader *L, xc_value *v, const char *s, size_t n)
{
    if (n > INTERN_MAX_BYTES ||
        ((L->nitext + 1) * 2 > L->capitext && intern_grow(L) != XC_OK))
        return xc_value_set_text(v, s, n);
    size_t j = (size_t)text_hash(s, n) & (L->capitext - 1);
    for (; L->itext[j]; j = (j + 1) & (L->capitext - 1)) {
        xc_str *x = L->itext[j];
        if (x->len == n && memcmp(x->s, s, n) == 0) {
            xc_value_set_str(v, xc_str_ref(x));
            return XC_OK;
        }
    }
    xc_str *x = xc_str_new(s, n);
    if (!x)
        return XC_ENOMEM;
    L->itext[j] = x;
    L->nitext++;
    xc_value_set_str(v, xc_str_ref(x));
    return XC_OK;
}

static void intern_free(loader *L)
{
    for (size_t i = 0; i < L->capitext; i++)
        xc_str_unref(L->itext[i]);
    xc_free(L->itext);
}

/* The value the cell's t and <v>/<is> state; v stays empty when there
 * is none. */
static void cell_value(sh_ctx *c, xc_value *v)
{
    loader *L = c->L;
    unsigned t = c->tc;
    char *txt = c->v.p ? c->v.p : (char *)"";
    size_t n = c->v.len;
    if (t == T_INLINE) {
        if (c->has_is) {
            size_t k = c->is.p ? xc_xstr_decode(c->is.p, c->is.len) : 0;
            if (k > XC_TEXT_MAX &&
                xc_utf8_count(c->is.p ? c->is.p : "", k) > XC_TEXT_MAX)
                too_long(&c->x);
            else if (set_text(L, v, c->is.p ? c->is.p : "", k) != XC_OK)
                oom(&c->x);
            return;
        }
        t = T_STR; /* some writers put inline text in <v> */
    }
    if (!c->has_v || (n == 0 && t != T_STR))
        return;
    if (t == T_S) {
        char *e;
        unsigned long i = strtoul(txt, &e, 10);
        if (*e || n == 0 || i >= L->nsst)
            xc_value_set_error(v, XC_ERR_REF);
        else
            xc_value_set_str(v, xc_str_ref(L->sst[i]));
    } else if (t == T_STR) {
        n = xc_xstr_decode(txt, n);
        if (n > XC_TEXT_MAX && xc_utf8_count(txt, n) > XC_TEXT_MAX)
            too_long(&c->x);
        else if (set_text(L, v, txt, n) != XC_OK)
            oom(&c->x);
    } else if (t == T_B) {
        xc_value_set_bool(v, strcmp(txt, "1") == 0 || strcmp(txt, "true") == 0);
    } else if (t == T_E) {
        xc_error e = xc_error_parse(txt, n);
        /* Excel 365 stores #SPILL!, #CALC!... as a #VALUE! placeholder
         * whose vm points at the real error in richData */
        if (c->vm && c->vm <= L->nvmerr && L->vmerr[c->vm - 1])
            e = L->vmerr[c->vm - 1];
        xc_value_set_error(v, e == XC_ERR_NONE ? XC_ERR_UNKNOWN : e);
    } else if (t == T_D) {
        xc_num x;
        xc_num_init(&x);
        if (iso_serial(txt, xc_book_date1904(L->b), &x) == 0)
            xc_value_take_num(v, &x);
        else
            xc_value_set_error(v, XC_ERR_VALUE);
        xc_num_clear(&x);
    } else {
        xc_num x;
        xc_num_init(&x);
        /* trim the whitespace some writers leave */
        while (n && (txt[n - 1] == ' ' || txt[n - 1] == '\n'))
            n--;
        while (n && (*txt == ' ' || *txt == '\n'))
            txt++, n--;
        int st = xc_num_parse(&x, txt, n, XC_PARSE_RECOVER15, NULL);
        if (st == XC_OK) {
            xc_value_take_num(v, &x);
        } else if (st == XC_ELIMIT) {
            /* an exponent past the limit: a tiny magnitude underflows to
             * 0 as in a double; a huge one is #NUM! */
            const char *e = memchr(txt, 'e', n);
            if (!e)
                e = memchr(txt, 'E', n);
            if (e && (size_t)(e - txt) + 1 < n && e[1] == '-')
                xc_value_set_int(v, 0);
            else
                xc_value_set_error(v, XC_ERR_NUM);
        } else {
            xc_value_set_error(v, XC_ERR_VALUE);
        }
        xc_num_clear(&x);
    }
}

static int keep_text(sh_ctx *c, const char *text)
{
    xc_utext *u = push(&c->ps->utext, &c->ps->nutext, sizeof *u);
    if (!u)
        return XC_ENOMEM;
    u->row = c->crow;
    u->col = c->ccol;
    u->text = xc_strndup(text, strlen(text));
    return u->text ? XC_OK : XC_ENOMEM;
}

/* A constant (or a formula kept as its cached value) with its style. */
static int put_const(sh_ctx *c, const xc_value *v, unsigned flags)
{
    xc_book *b = c->L->b;
    int st = XC_OK;
    if (v->type == XC_EMPTY && c->style == 0 && !flags)
        return XC_OK;
    if (v->type != XC_EMPTY)
        st = xc_book_set_value(b, c->sheet, c->crow, c->ccol, v);
    if (st == XC_OK && (c->style || v->type == XC_EMPTY))
        st = xc_book_set_style(b, c->sheet, c->crow, c->ccol, c->style);
    if (st == XC_OK && flags)
        st = xc_book_cell_flags_set(b, c->sheet, c->crow, c->ccol, flags);
    if (st == XC_OK)
        c->L->ncells++;
    return st;
}

/* Formulas copied down a column differ only in their row numbers:
 * "IF(E5>=D5,F5,...)", "IF(E6>=D6,F6,...)".  A small cache maps the
 * text with every digit run collapsed to the last formula parsed with
 * that shape, with its canonical text P as files have it, printed at
 * its cell, and which digit runs of P are relative rows (those that
 * change when it is printed one row lower).  A cell of the same sheet
 * and column takes the cached formula when its text is P with exactly
 * those runs moved by the row difference: then it is the text the
 * formula prints at the cell, and parsing it gives back the tree (which
 * saving relies on too).  Anything else is parsed.  When few texts
 * match (texts not in the printer's canonical form), the cache turns
 * itself off. */
#define FCACHE_SLOTS 4096u
#define FCACHE_MAX_TEXT 512u

static uint64_t shape_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= '0' && ch <= '9') {
            while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
                i++;
            ch = '#';
        }
        h = (h ^ ch) * 0x100000001b3ull;
    }
    return h; /* not the length: A9 and A10 have one shape */
}

static void fcache_free(loader *L)
{
    for (size_t i = 0; L->fc && i < FCACHE_SLOTS; i++) {
        xc_formula_release(L->fc[i].f);
        xc_free(L->fc[i].text);
    }
    xc_free(L->fc);
    xc_buf_clear(&L->fcprint);
}

static int is_dig(char c)
{
    return c >= '0' && c <= '9';
}

/* The digit run at s[*i..n) as a number (capped), advancing *i. */
static uint64_t digit_run(const char *s, size_t n, size_t *i)
{
    uint64_t v = 0;
    for (; *i < n && is_dig(s[*i]); (*i)++)
        if (v < 100000000000ull)
            v = v * 10 + (uint64_t)(s[*i] - '0');
    return v;
}

/* Whether text t[0..n) is the entry's text with its relative-row runs
 * moved by delta rows (each staying on the sheet, no leading zeros). */
static int fcache_match(const fcache_ent *e, const char *t, size_t n,
                        int64_t delta)
{
    const char *p = e->text;
    size_t m = e->len, i = 0, j = 0;
    unsigned k = 0;
    if (e->nrel != FC_MANY) {
        /* the text between relative runs byte for byte (its digit runs
         * and the non-digits that bound them), each relative run by
         * value */
        for (k = 0; k < e->nrel; k++) {
            size_t lit = e->rs[k] - i;
            if (n - j < lit || memcmp(p + i, t + j, lit) != 0)
                return 0;
            i = e->re[k];
            j += lit;
            if (j >= n || !is_dig(t[j]) || t[j] == '0')
                return 0;
            int64_t want = (int64_t)e->rv[k] + delta;
            if (want < 1 || want > XC_MAX_ROWS ||
                digit_run(t, n, &j) != (uint64_t)want)
                return 0;
        }
        return n - j == m - i && memcmp(p + i, t + j, m - i) == 0;
    }
    while (i < m && j < n) {
        if (!is_dig(p[i])) {
            if (p[i++] != t[j++])
                return 0;
            continue;
        }
        if (!is_dig(t[j]))
            return 0;
        size_t i0 = i, j0 = j;
        uint64_t v0 = digit_run(p, m, &i), v = digit_run(t, n, &j);
        if (k < 64 && (e->rel >> k & 1)) {
            int64_t want = (int64_t)v0 + delta;
            if (want < 1 || want > XC_MAX_ROWS || (uint64_t)want != v ||
                t[j0] == '0')
                return 0;
        } else if (i - i0 != j - j0 || memcmp(p + i0, t + j0, i - i0) != 0) {
            return 0;
        }
        k++;
    }
    return i == m && j == n;
}

/* The cached formula for text at the current cell, as a new reference,
 * or NULL. */
static xc_formula *fcache_get(sh_ctx *c, const char *text, size_t n, uint64_t h)
{
    loader *L = c->L;
    fcache_ent *e = &L->fc[h & (FCACHE_SLOTS - 1)];
    if (!e->f || e->key != h || e->sheet != c->sheet || e->col != c->ccol)
        return NULL;
    L->fc_tries++;
    if (!fcache_match(e, text, n, (int64_t)c->crow - (int64_t)e->row)) {
        if (L->fc_tries >= 1024 && L->fc_hits * 2 < L->fc_tries)
            L->fc_off = 1; /* texts are not in canonical form */
        return NULL;
    }
    L->fc_hits++;
    L->fc_hint[c->ccol & 255] = (uint16_t)(e - L->fc + 1);
    xc_formula_retain(e->f);
    return e->f;
}

/* fcache_get without the hash: try the entry the column used last.
 * An entry that matches text has text's shape, so it is the entry the
 * hash finds, and it is counted as fcache_get counts a hit; on a miss
 * nothing is counted (fcache_get follows). */
static xc_formula *fcache_hint(sh_ctx *c, const char *text, size_t n)
{
    loader *L = c->L;
    unsigned k = L->fc_hint[c->ccol & 255];
    if (!k)
        return NULL;
    fcache_ent *e = &L->fc[k - 1];
    if (!e->f || e->sheet != c->sheet || e->col != c->ccol ||
        !fcache_match(e, text, n, (int64_t)c->crow - (int64_t)e->row))
        return NULL;
    L->fc_tries++;
    L->fc_hits++;
    xc_formula_retain(e->f);
    return e->f;
}

/* Cache f, just parsed from text at the current cell, when the text is
 * its canonical print and the relative rows can be told apart. */
static void fcache_put(sh_ctx *c, uint64_t h, xc_formula *f, const char *text,
                       size_t n)
{
    loader *L = c->L;
    fcache_ent *e = &L->fc[h & (FCACHE_SLOTS - 1)];
    xc_buf *pb = &L->fcprint;
    uint64_t rel = 0;
    unsigned k = 0;
    if (c->crow + 1 >= XC_MAX_ROWS)
        return;
    xc_buf_reset(pb);
    L->fc_puts++;
    if (xc_formula_print_file(pb, f, L->b, c->sheet, c->crow, c->ccol) !=
            XC_OK ||
        pb->len != n || memcmp(pb->p, text, n) != 0) {
        if (++L->fc_bad >= 256 && L->fc_bad * 2 > L->fc_puts)
            L->fc_off = 1; /* texts are not in canonical form */
        return;
    }
    /* the same formula one row lower: its relative rows are one more */
    xc_buf_reset(pb);
    if (xc_formula_print_file(pb, f, L->b, c->sheet, c->crow + 1, c->ccol) !=
        XC_OK)
        return;
    const char *q = pb->p ? pb->p : "";
    size_t i = 0, j = 0, m = pb->len;
    unsigned char nrel = 0;
    uint16_t rs[FC_RUNS], re[FC_RUNS];
    uint32_t rv[FC_RUNS];
    while (i < n && j < m) {
        if (!is_dig(text[i])) {
            if (text[i++] != q[j++])
                return;
            continue;
        }
        if (!is_dig(q[j]) || k >= 64)
            return;
        size_t i0 = i, j0 = j;
        uint64_t v0 = digit_run(text, n, &i), v1 = digit_run(q, m, &j);
        if (v1 == v0 + 1) {
            rel |= 1ull << k;
            if (nrel < FC_RUNS) {
                rs[nrel] = (uint16_t)i0;
                re[nrel] = (uint16_t)i;
                rv[nrel] = (uint32_t)v0;
                nrel++;
            } else {
                nrel = FC_MANY;
            }
        } else if (i - i0 != j - j0 || memcmp(text + i0, q + j0, i - i0) != 0)
            return;
        k++;
    }
    if (i != n || j != m)
        return;
    char *t = xc_strndup(text, n);
    if (!t)
        return; /* no cache entry: still correct */
    xc_formula_retain(f);
    xc_formula_release(e->f);
    xc_free(e->text);
    e->f = f;
    e->key = h;
    e->text = t;
    e->len = n;
    e->rel = rel;
    e->sheet = c->sheet;
    e->row = c->crow;
    e->col = c->ccol;
    e->nrel = nrel;
    if (nrel != FC_MANY) {
        memcpy(e->rs, rs, nrel * sizeof *rs);
        memcpy(e->re, re, nrel * sizeof *re);
        memcpy(e->rv, rv, nrel * sizeof *rv);
    }
    L->fc_hint[c->ccol & 255] = (uint16_t)(e - L->fc + 1);
}

/* Parse formula text written for the current cell; *f NULL when the
 * kernel cannot parse it. */
static int parse_at(sh_ctx *c, const char *text, size_t n, xc_formula **f)
{
    xc_parse_opts o = {c->L->b, c->sheet, c->crow, c->ccol, XC_FP_FILE};
    xc_parse_error pe;
    loader *L = c->L;
    uint64_t h = 0;
    int cache = !L->fc_off && n <= FCACHE_MAX_TEXT && !xc_xlsx_no_fcache;
    if (cache && !L->fc && !(L->fc = xc_calloc(FCACHE_SLOTS, sizeof *L->fc)))
        cache = 0;
    if (cache) {
        if ((*f = fcache_hint(c, text, n)))
            return XC_OK;
        h = shape_hash(text, n);
        if ((*f = fcache_get(c, text, n, h)))
            return XC_OK;
    }
    int st = xc_formula_parse(f, text, n, &o, &pe);
    if (st == XC_ENOMEM)
        return st;
    if (st != XC_OK) {
        *f = NULL;
        return XC_OK;
    }
    *f = xc_formula_pool_share(L->pool, *f);
    if (cache && *f)
        fcache_put(c, h, *f, text, n);
    return XC_OK;
}

/* The file's value of an array-formula member: in loading mode the
 * kernel keeps it as both current and stated value. */
static int put_array_value(sh_ctx *c, const xc_value *v)
{
    xc_book *b = c->L->b;
    int st = XC_OK;
    if (v->type != XC_EMPTY)
        st = xc_book_set_value(b, c->sheet, c->crow, c->ccol, v);
    if (st == XC_OK && c->style)
        st = xc_book_set_style(b, c->sheet, c->crow, c->ccol, c->style);
    return st;
}

static int cell_formula(sh_ctx *c, const xc_value *v)
{
    xc_book *b = c->L->b;
    const char *text = c->f.p ? c->f.p : "";
    const xc_value *cached = c->has_v || c->has_is ? v : NULL;
    xc_formula *f = NULL;
    int st, unknown = 0, own = 0;
    if (c->ft == FT_DATATABLE)
        return put_const(c, v, XC_CELL_UNSUPPORTED);
    if (c->ft == FT_SHARED && c->f.len == 0) {
        for (size_t i = 0; i < c->ngroups; i++)
            if (c->si >= 0 && c->groups[i].si == (uint32_t)c->si) {
                f = c->groups[i].f;
                unknown = c->groups[i].unknown;
                text = c->groups[i].text;
                break;
            }
    } else if (c->f.len == 0) {
        return put_const(c, v, 0);
    } else {
        st = parse_at(c, c->f.p, c->f.len, &f);
        if (st != XC_OK)
            return st;
        own = 1;
        unknown = f && (xc_formula_flags(f) & XC_F_UNKNOWN_FN);
        if (c->ft == FT_SHARED && c->si >= 0) {
            sgroup *g = push(&c->groups, &c->ngroups, sizeof *g);
            xc_sgroup *pg = push(&c->ps->groups, &c->ps->ngroups, sizeof *pg);
            if (!g || !pg || !(g->text = xc_strndup(c->f.p, c->f.len))) {
                xc_formula_release(f);
                return XC_ENOMEM;
            }
            g->si = (uint32_t)c->si;
            g->f = f;
            g->unknown = unknown;
            if (f)
                xc_formula_retain(f);
            pg->si = g->si;
            pg->row = c->crow;
            pg->col = c->ccol;
            pg->f = f;
        }
    }
    if (!f) {
        st = put_const(c, v, XC_CELL_UNSUPPORTED);
        if (st == XC_OK && text)
            st = keep_text(c, text);
        return st;
    }
    if (c->ft == FT_ARRAY) {
        xc_area a;
        if (!c->fref || xc_range_parse(c->fref, &a) != 0) {
            a.r1 = a.r2 = c->crow;
            a.c1 = a.c2 = c->ccol;
        }
        a.sheet = a.sheet2 = c->sheet;
        a.r1 = c->crow;
        a.c1 = c->ccol;
        if (a.r2 < a.r1)
            a.r2 = a.r1;
        if (a.c2 < a.c1)
            a.c2 = a.c1;
        /* the anchor's value first: the kernel takes it as cached */
        st = put_array_value(c, v);
        if (st == XC_OK)
            st = xc_book_set_array_formula(b, c->sheet, &a, f);
    } else {
        st = xc_book_set_formula(b, c->sheet, c->crow, c->ccol, f, cached);
        if (st == XC_OK && c->style)
            st = xc_book_set_style(b, c->sheet, c->crow, c->ccol, c->style);
    }
    if (st == XC_EINVAL || st == XC_ELIMIT) {
        /* e.g. overlapping arrays in a damaged file: keep the value */
        st = put_const(c, v, XC_CELL_UNSUPPORTED);
        if (st == XC_OK)
            st = keep_text(c, text);
        if (own)
            xc_formula_release(f);
        return st;
    }
    if (st == XC_OK && unknown)
        st = xc_book_cell_flags_set(b, c->sheet, c->crow, c->ccol,
                                    XC_CELL_UNSUPPORTED);
    if (st == XC_OK)
        c->L->ncells++;
    if (own)
        xc_formula_release(f);
    return st;
}

static void cell_end(sh_ctx *c)
{
    xc_value v = {0};
    int st;
    c->in_c = 0;
    cell_value(c, &v);
    if (c->x.r->failed)
        goto done;
    if (c->has_f) {
        st = cell_formula(c, &v);
    } else {
        xc_cell *cell = xc_book_cell(c->L->b, c->sheet, c->crow, c->ccol);
        if (cell && (cell->flags & (XC_CELL_ARRAY | XC_CELL_ARRAY_PART)))
            st = put_array_value(c, &v);
        else
            st = put_const(c, &v, 0);
    }
    if (st == XC_ENOMEM) {
        oom(&c->x);
    } else if (st != XC_OK) {
        xc_reader_fail(c->x.r, c->x.p, "cannot store cell: %s",
                       xc_status_str(st));
        c->x.r->failed = st;
    } else if (c->L->ncells > c->L->max_cells) {
        xc_reader_fail(c->x.r, c->x.p, "more than %llu cells",
                       (unsigned long long)c->L->max_cells);
        c->x.r->failed = XC_ELIMIT;
    }
done:
    xc_value_clear(&v);
}

static void sh_end(void *ud, const XML_Char *name)
{
    sh_ctx *c = ud;
    unsigned char k;
    if (c->split && c->split->probing) {
        probe(c, NULL);
        return;
    }
    if (c->depth)
        c->depth--;
    if (c->depth < sizeof c->kind) {
        k = c->kind[c->depth];
    } else {
        xc_qname q;
        xc_qname_split(name, &q);
        k = elem_kind(&q);
    }
    switch (k) {
    case E_C:
        if (c->in_c && c->rec)
            rec_cell(c);
        else if (c->in_c)
            cell_end(c);
        break;
    case E_ROW:
        c->in_row = 0;
        break;
    case E_V:
    case E_F:
        c->collect = C_NONE;
        break;
    case E_T:
        if (c->collect == C_IS)
            c->collect = C_NONE;
        break;
    case E_RPH:
        c->rph--;
        break;
    case E_IS:
        c->in_is = 0;
        break;
    case E_SHEETDATA:
        if (!c->in_c) {
            XML_Index at = XML_GetCurrentByteIndex(c->x.p);
            int n = XML_GetCurrentByteCount(c->x.p);
            if (c->rec) { /* where the end tag is in the part */
                rec_sdend e = {at - (XML_Index)c->rec_sp->head +
                                   (XML_Index)c->rec_sp->at,
                               n};
                rec_put(c, R_SDEND, &e, sizeof e);
            } else {
                note_layout_end(c, at, n);
            }
        }
        break;
    default:
        break;
    }
}

/* xc_split replay: store the worker's records in this thread.  A
 * failure here (a limit, memory) makes the part be read again in one
 * thread, for the message at its exact place. */
static int sh_replay(void *ud, const void *blk, size_t len)
{
    sh_ctx *c = ud;
    const char *p = blk, *e = p + len;
    while (p < e && !c->x.r->failed) {
        int tag = *p++;
        if (tag == R_CELL) {
            if (unrec_cell(c, &p) != XC_OK)
                return -1;
            c->in_c = 1;
            cell_end(c);
        } else if (tag == R_HIDDEN) {
            uint32_t row;
            memcpy(&row, p, sizeof row);
            p += sizeof row;
            set_hidden(c, row);
        } else if (tag == R_FILTER) {
            set_filter_mode(c);
        } else if (tag == R_AUTOFILTER || tag == R_MERGE) {
            xc_area a;
            memcpy(&a, p, sizeof a);
            p += sizeof a;
            if (tag == R_MERGE)
                add_merge(c, &a);
            else
                set_autofilter(c, &a);
        } else if (tag == R_SDEND) {
            rec_sdend d;
            memcpy(&d, p, sizeof d);
            p += sizeof d;
            note_layout_end(c, (XML_Index)d.at, d.n);
        } else {
            return -1;
        }
    }
    return c->x.r->failed ? -1 : 0;
}

static void sh_init(sh_ctx *c, loader *L, int sheet)
{
    memset(c, 0, sizeof *c);
    c->x.r = &L->r;
    c->L = L;
    c->sheet = sheet;
    c->ps = &L->pkg->sheets[sheet];
    xc_buf_init(&c->v);
    xc_buf_init(&c->f);
    xc_buf_init(&c->is);
    xc_buf_init(&c->rec_out);
}

static void sh_fini(sh_ctx *c)
{
    for (size_t i = 0; i < c->ngroups; i++) {
        xc_formula_release(c->groups[i].f);
        xc_free(c->groups[i].text);
    }
    xc_free(c->groups);
    xc_free(c->fref);
    xc_buf_clear(&c->v);
    xc_buf_clear(&c->f);
    xc_buf_clear(&c->is);
    xc_buf_clear(&c->rec_out);
}

/* Per cent of a large sheet read by this thread before the cut; the
 * rest is parsed by the worker and stored here afterwards.  Chosen so
 * that the two threads execute about as many instructions (callgrind:
 * at 44 %, chain_100k 525 M here and 554 M on the worker, forms_1k
 * 633 M and 639 M). */
unsigned xc_xlsx_split_pct = 44;

static int load_sheet(loader *L, int sheet)
{
    sh_ctx c, w;
    xc_reader wr;
    xc_split sp;
    int st;
    sh_init(&c, L, sheet);
    XML_Parser p = xc_xml_new(&c), tp = NULL;
    if (!p)
        return XC_ENOMEM;
    XML_SetElementHandler(p, sh_start, sh_end);
    XML_SetCharacterDataHandler(p, sh_text);
    if (!L->no_split) {
        sh_init(&w, L, sheet);
        memset(&wr, 0, sizeof wr);
        wr.file = L->r.file;
        w.x.r = &wr;
        w.ps = NULL; /* the worker touches neither package nor book */
        w.rec = w.rec_head = 1;
        w.rec_sp = &sp;
        tp = xc_xml_new(&w);
    }
    if (tp) {
        XML_SetElementHandler(tp, sh_start, sh_end);
        XML_SetCharacterDataHandler(tp, sh_text);
        memset(&sp, 0, sizeof sp);
        sp.tail = tp;
        sp.elem = "sheetData";
        sp.frac_pct = xc_xlsx_split_pct;
        sp.take = sh_take;
        sp.take_ud = &w;
        sp.replay = sh_replay;
        sp.replay_ud = &c;
        c.split = &sp;
        st = xc_part_parse_split(&L->r, c.ps->part, p, &sp);
        if (st == XC_OK && sp.cut) {
            c.ps->cut_at = w.mid_at ? w.mid_at : sp.at;
            c.ps->cut_row = w.mid_at ? w.mid_row : w.rec_first_row;
            c.ps->cut_ok = 1;
        }
        XML_ParserFree(tp);
    } else {
        st = xc_part_parse(&L->r, c.ps->part, p);
    }
    if (!L->no_split)
        sh_fini(&w);
    XML_ParserFree(p);
    sh_fini(&c);
    return st;
}

/* ---- the whole package ---- */

static int cmp_ci(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* OPC: part names are case-insensitive, so two entries differing only
 * in case make the package ambiguous. */
static int check_entries(loader *L)
{
    zip_int64_t n = zip_get_num_entries(L->r.zip, 0);
    const char **names;
    int st = XC_OK;
    if (n <= 0) {
        xc_buf_printf(L->r.err, "%s: empty zip archive", L->r.file);
        return XC_EFORMAT;
    }
    names = xc_calloc((size_t)n, sizeof *names);
    if (!names)
        return XC_ENOMEM;
    for (zip_int64_t i = 0; i < n; i++) {
        names[i] = zip_get_name(L->r.zip, (zip_uint64_t)i, 0);
        if (!names[i])
            names[i] = "";
    }
    qsort(names, (size_t)n, sizeof *names, cmp_ci);
    for (zip_int64_t i = 1; i < n; i++)
        if (names[i][0] && strcasecmp(names[i], names[i - 1]) == 0) {
            xc_buf_printf(L->r.err, "%s: duplicate part name '%s'", L->r.file,
                          names[i]);
            st = XC_EFORMAT;
            break;
        }
    xc_free(names);
    return st;
}

static int load_parts(loader *L)
{
    xc_rels root, wbrels;
    int st;
    const xc_rel *rel;
    st = check_entries(L);
    if (st != XC_OK)
        return st;
    st = xc_rels_load(&L->r, "", &root);
    if (st != XC_OK)
        return st;
    rel = xc_rels_by_type(&root, "officeDocument");
    L->pkg->wb_part = rel ? xc_strndup(rel->target, strlen(rel->target))
                          : xc_strndup("xl/workbook.xml", 15);
    xc_rels_free(&root);
    if (!L->pkg->wb_part)
        return XC_ENOMEM;
    if (xc_part_find(L->r.zip, L->pkg->wb_part) < 0) {
        xc_buf_printf(L->r.err, "%s: no workbook part (not a spreadsheet?)",
                      L->r.file);
        return XC_EFORMAT;
    }
    L->pkg->wb_rels = xc_rels_name(L->pkg->wb_part);
    if (!L->pkg->wb_rels)
        return XC_ENOMEM;
    st = xc_rels_load(&L->r, L->pkg->wb_part, &wbrels);
    if (st != XC_OK)
        return st;
    st = load_workbook(L, &wbrels);
    if (st == XC_OK && (rel = xc_rels_by_type(&wbrels, "calcChain")) &&
        !(L->pkg->calc_part = xc_strndup(rel->target, strlen(rel->target))))
        st = XC_ENOMEM;
    if (st == XC_OK && (rel = xc_rels_by_type(&wbrels, "styles")) &&
        xc_part_find(L->r.zip, rel->target) >= 0) {
        st = load_styles(L, rel->target);
        if (st == XC_OK && !(L->pkg->styles_part =
                                 xc_strndup(rel->target, strlen(rel->target))))
            st = XC_ENOMEM;
    }
    L->pkg->nstyles = xc_book_style_count(L->b);
    if (st == XC_OK && (rel = xc_rels_by_type(&wbrels, "sharedStrings")) &&
        xc_part_find(L->r.zip, rel->target) >= 0)
        st = load_sst(L, rel->target);
    if (st == XC_OK)
        st = load_rich_errors(L, &wbrels);
    xc_rels_free(&wbrels);
    for (int i = 0; st == XC_OK && i < L->pkg->nsheets; i++) {
        xc_pkgsheet *ps = &L->pkg->sheets[i];
        if (ps->kind == XC_SK_WORKSHEET && ps->part)
            st = load_sheet(L, i);
        ps->ncells = xc_book_cell_count(L->b, i);
    }
    return st;
}

static int load_once(const char *path, const xc_load_opts *o, xc_book **out,
                     xc_buf *err, int no_split)
{
    loader L;
    int zerr = 0, st;
    memset(&L, 0, sizeof L);
    L.no_split = no_split;
    *out = NULL;
    xc_buf_reset(err);
    L.r.file = path;
    L.r.err = err;
    L.r.max_part = o && o->max_part_bytes ? o->max_part_bytes : 1ull << 30;
    L.r.max_total = o && o->max_total_bytes ? o->max_total_bytes : 4ull << 30;
    L.max_cells = o && o->max_cells ? o->max_cells : 50000000ull;
    L.r.zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!L.r.zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        xc_buf_printf(err, "%s: %s", path,
                      zerr == ZIP_ER_NOZIP ? "not a zip archive (an xlsx "
                                             "file is one)"
                                           : zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT ? XC_EIO
                                                           : XC_EFORMAT;
    }
    L.b = xc_book_new();
    L.pkg = xc_calloc(1, sizeof *L.pkg);
    if (!L.b || !L.pkg || !(L.pkg->path = xc_strndup(path, strlen(path)))) {
        zip_discard(L.r.zip);
        xc_free(L.pkg);
        xc_book_free(L.b);
        return XC_ENOMEM;
    }
    L.pkg->magic = XC_PKG_MAGIC;
    L.pkg->zip = L.r.zip;
    xc_book_set_userdata(L.b, L.pkg, xc_pkg_free);
    xc_book_set_engine(L.b, xc_formula_engine(), NULL);
    xc_book_set_loading(L.b, 1);
    L.pool = xc_formula_pool_new(); /* NULL: no sharing */
    st = load_parts(&L);
    fcache_free(&L);
    xc_formula_pool_free(L.pool);
    intern_free(&L);
    xc_book_set_loading(L.b, 0);
    for (size_t i = 0; i < L.nsst; i++)
        xc_str_unref(L.sst[i]);
    xc_free(L.sst);
    xc_free(L.vmerr);
    if (st == XC_SPLIT_RETRY) {
        xc_book_free(L.b);
        return st;
    }
    if (st != XC_OK) {
        if (err->len == 0)
            xc_buf_printf(err, "%s: %s", path, xc_status_str(st));
        xc_msg_one_line(err);
        xc_book_set_errmsg(L.b, "%s", err->p);
        xc_book_free(L.b);
        return st;
    }
    *out = L.b;
    return XC_OK;
}

int xc_xlsx_load(const char *path, const xc_load_opts *o, xc_book **out,
                 xc_buf *err)
{
    int st = load_once(path, o, out, err, 0);
    if (st == XC_SPLIT_RETRY) /* a sheet could not be read in two */
        st = load_once(path, o, out, err, 1);
    return st;
}
