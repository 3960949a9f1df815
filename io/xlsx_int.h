/* xlsx_int.h - private interfaces of the xlsx reader and writer: the
 * package kept with a loaded book, streaming of zip parts through expat,
 * relationship parsing, cell references and string escapes. */
#ifndef XLSX_INT_H
#define XLSX_INT_H

#include <expat.h>
#include <zip.h>
#include "exacalc/xlsx.h"

#define XC_XLSX_CHUNK 65536
#define XC_NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define XC_NS_STRICT "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define XC_NS_REL                                                              \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* Sheet kinds as named by the relationship type suffix. */
enum { XC_SK_WORKSHEET, XC_SK_OTHER };

/* A shared-formula group as loaded: its master cell and parsed formula
 * (not owned: used only for identity comparison on save). */
typedef struct xc_sgroup {
    uint32_t si, row, col;
    const xc_formula *f;
} xc_sgroup;

/* Original text of a formula kept as its cached value only. */
typedef struct xc_utext {
    uint32_t row, col;
    char *text;
} xc_utext;

typedef struct xc_pkgsheet {
    char *part;    /* zip entry name of the sheet part, NULL if none */
    int kind;      /* XC_SK_* */
    size_t ncells; /* cells in the book right after loading */
    xc_area *merges;
    size_t nmerges;
    xc_sgroup *groups;
    size_t ngroups;
    xc_utext *utext;
    size_t nutext;
    /* Recorded while loading, for saving by splicing (xlsx_write.c):
     * the byte range of <sheetData>'s content in the inflated part
     * (after its start tag, up to its end tag), the prefix its elements
     * use ("" or "x:"), the prefix the writer gives new elements, and
     * the <dimension> as stated.  sd_ok is 0 when anything was odd (no
     * or several <sheetData>, self-closed, positions unknown). */
    uint64_t sd_begin, sd_end;
    int sd_ok, sd_seen, has_dim;
    /* A row start the load found well-formed in <sheetData>'s row
     * context, near the middle of a part it read in two (xc_split),
     * and its row number: saving by splicing can cut there. */
    uint64_t cut_at;
    uint32_t cut_row;
    int cut_ok;
    char sd_epfx[32], sd_pfx[72];
    xc_area dim;
} xc_pkgsheet;

/* A style added to a loaded book: a copy of cellXfs entry `base` with
 * a new solid fill of colour argb; `index` is its book style index. */
typedef struct xc_xstyle {
    uint32_t base, argb, index;
} xc_xstyle;

/* A cell note added to a loaded book (written as a legacy comment). */
typedef struct xc_xnote {
    int sheet;
    uint32_t row, col;
    char *author, *text;
} xc_xnote;

/* The original package attached to a loaded book (xc_book_userdata). */
typedef struct xc_pkg {
    uint32_t magic;
    char *path;
    zip_t *zip; /* kept open: saving reads untouched parts from it */
    char *wb_part;
    char *wb_rels;   /* rels part of the workbook */
    char *calc_part; /* calcChain part, NULL if none */
    int strict;      /* Strict OOXML namespaces */
    uint32_t max_sheet_id;
    int nsheets;
    xc_pkgsheet *sheets;
    /* styles.xml as loaded, for appending fills and cellXfs entries */
    char *styles_part;  /* NULL if the package has none */
    uint32_t nstyles;   /* book styles right after loading */
    int styles_scanned; /* sty_* below are valid */
    uint32_t sty_nfills;
    char **sty_xf; /* raw text of each cellXfs <xf> */
    uint32_t sty_nxf;
    char sty_pfx[32]; /* prefix of the main namespace, "" or "x:" */
    xc_xstyle *xstyles;
    size_t nxstyles;
    xc_xnote *notes;
    size_t nnotes;
} xc_pkg;
#define XC_PKG_MAGIC 0x786c7378u

void xc_pkg_free(void *p);
xc_pkg *xc_pkg_of(const xc_book *b);

/* ---- expat helpers (opc.c) ---- */

/* A namespace-split element or attribute name as expat reports it with
 * separator '\x01' and triplets: "uri\x01local\x01prefix" or "local". */
typedef struct xc_qname {
    const char *uri;
    size_t urilen;
    const char *local;
    size_t locallen;
    const char *prefix;
    size_t prefixlen;
    int ns_main; /* set by xc_qname_split: uri is XC_NS_MAIN */
} xc_qname;
void xc_qname_split(const char *name, xc_qname *q);
/* Inline: with a literal `local` the length is a constant (these run
 * several times per element of every sheet). */
static inline int xc_qname_is(const xc_qname *q, const char *local)
{
    size_t n = __builtin_strlen(local);
    return q->locallen == n && __builtin_memcmp(q->local, local, n) == 0;
}
int xc_qname_main(const xc_qname *q); /* SpreadsheetML main namespace */
/* Value of an unprefixed attribute (or one with the given local name in
 * any namespace when any_ns is set), or NULL. */
const char *xc_attr(const char **atts, const char *local, int any_ns);

/* Every handler state given to xc_xml_new begins with an xc_xctx. */
typedef struct xc_reader xc_reader;
typedef struct xc_xctx {
    xc_reader *r;
    XML_Parser p;
} xc_xctx;
XML_Parser xc_xml_new(void *ud);

/* A part being read: a stored entry through libzip, a deflated one
 * inflated here by ISA-L from the raw bytes libzip hands over (three to
 * four times zlib's speed on sheet XML), its CRC-32 and size checked at
 * the end as libzip would. */
typedef struct xc_zin xc_zin;
/* Open entry idx of z; NULL with *st set and the reason in msg. */
xc_zin *xc_zin_open(zip_t *z, zip_uint64_t idx, int *st, const char **msg);
/* Up to len inflated bytes into buf; 0 at the end; -1 on an error, with
 * the reason in xc_zin_error. */
zip_int64_t xc_zin_read(xc_zin *f, void *buf, zip_uint64_t len);
const char *xc_zin_error(const xc_zin *f);
void xc_zin_close(xc_zin *f);

/* Streaming one part: inflate in 64 KiB chunks into parser p, enforcing
 * the declared size and the limits.  On failure err holds the full
 * one-line message. */
struct xc_reader {
    zip_t *zip;
    const char *file; /* for messages */
    uint64_t max_part, max_total, total;
    xc_buf *err;
    int failed; /* set by handlers that stopped the parser */
    char msg[300];
};
int xc_part_parse(xc_reader *r, const char *part, XML_Parser p);
/* Parsing one large part on two threads (a sheet's <sheetData> rows).
 * The worker inflates the part and hands the bytes before a cut S to
 * the caller's parser p; S is a "<row" at or after frac_pct of the part.
 * The worker's own parser `tail` reads the head [0,H) (H: the end of the
 * first <elem> start tag, e.g. sheetData) and then [S,end), so it sees
 * the rows after S in the same context; its handlers record what they
 * find and `take` hands that over, block by block, to `replay` on the
 * calling thread, in order, after p has read [0,S).  p's handlers check
 * the cut: fed the bytes at S with `probing` set, they must see a row
 * start there at row level and set probe_ok.
 *
 * xc_part_parse_split returns XC_OK (the part read, split or not: a part
 * with no cut point is read by p alone), an error with the message in
 * r->err from p's own part, or XC_SPLIT_RETRY when the split cannot
 * stand (the cut was not a row, the worker met anything it cannot
 * record, an error after the cut): the caller reads the part again
 * without splitting, from a clean state, for the exact message. */
#define XC_SPLIT_RETRY 1000
typedef struct xc_split {
    XML_Parser tail;
    const char *elem;  /* local name of the head's last element */
    unsigned frac_pct; /* where the cut may begin, in per cent */
    /* worker: hand over what the tail's handlers recorded, in a block
     * from xc_blk_new (*blk NULL: nothing); nonzero: fail */
    int (*take)(void *ud, void **blk, size_t *len);
    void *take_ud;
    /* calling thread: apply one block; nonzero: the split cannot stand */
    int (*replay)(void *ud, const void *blk, size_t len);
    void *replay_ud;
    /* set by xc_part_parse_split */
    uint64_t at, head; /* S and H */
    uint64_t size;     /* of the inflated part */
    int cut;           /* the part was read in two */
    int probing, probe_ok;
} xc_split;
int xc_part_parse_split(xc_reader *r, const char *part, XML_Parser p,
                        xc_split *sp);
/* Memory mapped apart from the heap, for blocks one thread makes and
 * another frees (NULL when none). */
void *xc_blk_new(size_t n);
void xc_blk_free(void *p, size_t n);
/* Parts smaller than this are not split (tests lower it). */
extern uint64_t xc_xlsx_split_min;
/* Parts read in two, and splits given up for a reading in one thread
 * (tests count them). */
extern long xc_xlsx_splits, xc_xlsx_split_retries;
/* Per cent of a split part read before the cut (xlsx_read.c). */
extern unsigned xc_xlsx_split_pct;

/* Read a whole part into memory (limits apply). */
int xc_part_read(xc_reader *r, const char *part, xc_buf *out);
/* Entry index of a part, case-insensitively; -1 when absent. */
zip_int64_t xc_part_find(zip_t *z, const char *part);
/* Replace control characters in a message (a part name from the zip
 * can hold a line break) so it stays one line. */
void xc_msg_one_line(xc_buf *b);
/* Record a handler error at the parser's position and stop it. */
void xc_reader_fail(xc_reader *r, XML_Parser p, const char *fmt, ...)
    XC_PRINTF(3, 4);

/* Relationships of a part. */
typedef struct xc_rel {
    char *id, *type, *target; /* target resolved to a zip entry name */
    int external;
} xc_rel;
typedef struct xc_rels {
    xc_rel *v;
    size_t n;
} xc_rels;
/* Parse the rels of `source` (the empty string for the package root).
 * A missing rels part gives an empty list. */
int xc_rels_load(xc_reader *r, const char *source, xc_rels *out);
void xc_rels_free(xc_rels *rs);
const xc_rel *xc_rels_by_type(const xc_rels *rs, const char *suffix);
const xc_rel *xc_rels_by_id(const xc_rels *rs, const char *id);
int xc_type_is(const char *type, const char *suffix);
/* Name of the rels part for a part: "xl/_rels/workbook.xml.rels". */
char *xc_rels_name(const char *part);

/* ---- cell references and text ---- */
/* Parse "B12" (no $) into 0-based row/col; returns 0 on success. */
int xc_ref_parse(const char *s, uint32_t *row, uint32_t *col);
/* The same for the text s[0..n) (no NUL needed). */
int xc_ref_parse_n(const char *s, size_t n, uint32_t *row, uint32_t *col);
void xc_ref_put(xc_buf *b, uint32_t row, uint32_t col);
int xc_range_parse(const char *s, xc_area *a);
/* Decode _xHHHH_ escapes in place; returns the new length. */
size_t xc_xstr_decode(char *s, size_t n);
/* XML-escape text for element content or attributes, with control
 * characters as _xHHHH_ and literal _xHHHH_ protected. */
int xc_xml_escape(xc_buf *b, const char *s, size_t n, int attr);

/* Writer entry used by xlsx_read for nothing; defined in xlsx_write.c. */
int xc_xlsx_cell_xml(xc_buf *out, const char *pfx, xc_book *b, int sheet,
                     uint32_t row, const xc_cell *c);

/* Set to parse every formula text of a sheet, without the cache of
 * formulas by shape (tests compare). */
extern int xc_xlsx_no_fcache;
/* Set to inflate every part in the parsing thread (tests compare). */
extern int xc_xlsx_no_read_thread;
/* Set to make xc_xlsx_save rewrite changed sheets by the expat pass
 * only, never by splicing (tests compare the two). */
extern int xc_xlsx_no_splice;
/* Set to deflate rewritten sheets in the saving thread (libzip at
 * zip_close) instead of a second thread. */
extern int xc_xlsx_no_thread;
/* Set to save a sheet the load cut in two in one piece all the same;
 * xc_xlsx_halves counts the sheets saved in two halves (tests). */
extern int xc_xlsx_no_half;
extern long xc_xlsx_halves;
/* Bytes the splice reads at a time (0: 64 KiB); tests make it small
 * so that rows are cut at every position. */
extern int xc_xlsx_splice_read;
/* Sheets rewritten by splicing so far (tests check it is used). */
extern long xc_xlsx_spliced;

/* Built-in number format code for an id, or NULL. */
const char *xc_builtin_numfmt(unsigned id);

#endif
