/* fuzz_zip.c - libFuzzer target for the zip layer of the xlsx reader
 * (libzip through io/opc.c), without the workbook on top.
 *
 * The input bytes are opened as a zip archive from memory, the way
 * xc_xlsx_load opens a file.  Every entry (at most MAX_ENTRIES) is then
 * found by name, read whole with xc_part_read, streamed through expat
 * with xc_part_parse, and its relationships loaded with xc_rels_load,
 * all under small caps.  The checks: each call returns a known status;
 * a failure comes with a one-line message; a part that reads never
 * exceeds the per-part cap, and the running total passes the book cap
 * by at most the one chunk that detected the overrun; the same
 * part streams the same number of bytes as it reads; relationships
 * have an id, a type and a target.  Any crash, leak or failed check is
 * a bug. */
#include "fuzz_common.h"

#include <string.h>

#include "xlsx_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENTRIES 64
#define MAX_PART (64u << 10)
#define MAX_TOTAL (256u << 10)
/* the reader counts a chunk before refusing it */
#define MAX_SEEN (MAX_TOTAL + XC_XLSX_CHUNK)

/* Expat state for streaming a part: counts elements, attributes and
 * character data, splitting names as the reader's handlers do. */
typedef struct count_ctx {
    xc_xctx x;
    size_t elements, attrs;
    uint64_t text;
} count_ctx;

static void count_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    count_ctx *c = ud;
    xc_qname q;
    xc_qname_split(name, &q);
    REQUIRE(q.local != NULL);
    (void)xc_qname_main(&q);
    (void)xc_attr(atts, "Id", 0);
    (void)xc_attr(atts, "r", 1);
    for (size_t i = 0; atts[i]; i += 2)
        c->attrs++;
    c->elements++;
}

static void count_text(void *ud, const XML_Char *s, int len)
{
    count_ctx *c = ud;
    REQUIRE(len >= 0 && (len == 0 || s != NULL));
    c->text += (uint64_t)len;
}

static int known_status(int st)
{
    return st == XC_OK || st == XC_ENOMEM || st == XC_ELIMIT ||
           st == XC_EFORMAT || st == XC_EUNSUPPORTED || st == XC_ENOTFOUND;
}

/* The message left in err after a failed call: present, one line. */
static void check_message(int st, const xc_buf *err)
{
    if (st == XC_OK || st == XC_ENOMEM)
        return;
    REQUIRE(err->p && err->len > 0);
    REQUIRE(!memchr(err->p, '\n', err->len));
}

static void check_rels(xc_reader *r, const char *source)
{
    xc_rels rels;
    int st = xc_rels_load(r, source, &rels);
    REQUIRE(known_status(st));
    check_message(st, r->err);
    if (st != XC_OK) {
        REQUIRE(rels.n == 0 && rels.v == NULL);
        return;
    }
    for (size_t i = 0; i < rels.n; i++) {
        const xc_rel *l = &rels.v[i];
        REQUIRE(l->id && l->type && l->target);
        REQUIRE(xc_rels_by_id(&rels, l->id) != NULL);
        /* an internal target is a normalised entry name */
        REQUIRE(l->external || !strstr(l->target, "//"));
    }
    (void)xc_rels_by_type(&rels, "/officeDocument");
    xc_rels_free(&rels);
}

static void check_entry(xc_reader *r, const char *name)
{
    xc_buf body;
    count_ctx c;
    uint64_t before = r->total;
    int st;

    REQUIRE(xc_part_find(r->zip, name) >= 0);
    xc_buf_init(&body);
    st = xc_part_read(r, name, &body);
    REQUIRE(known_status(st));
    check_message(st, r->err);
    REQUIRE(r->total <= MAX_SEEN);
    if (st == XC_OK) {
        REQUIRE(body.len <= MAX_PART);
        REQUIRE(r->total - before == body.len);
    }
    memset(&c, 0, sizeof c);
    c.x.r = r;
    XML_Parser p = xc_xml_new(&c);
    if (p) {
        int st2;
        XML_SetElementHandler(p, count_start, NULL);
        XML_SetCharacterDataHandler(p, count_text);
        before = r->total;
        st2 = xc_part_parse(r, name, p);
        REQUIRE(known_status(st2));
        check_message(st2, r->err);
        REQUIRE(r->total <= MAX_SEEN);
        /* streaming inflates the same bytes as reading did */
        if (st == XC_OK && (st2 == XC_OK || st2 == XC_EFORMAT))
            REQUIRE(r->total - before <= body.len);
        if (st == XC_OK && st2 == XC_OK)
            REQUIRE(r->total - before == body.len);
        XML_ParserFree(p);
    }
    r->failed = 0;
    xc_buf_clear(&body);
    check_rels(r, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *z;
    xc_buf err;
    xc_reader r;

    zip_error_init(&zerr);
    src = zip_source_buffer_create(size ? data : (const void *)"", size, 0,
                                   &zerr);
    if (!src) {
        zip_error_fini(&zerr);
        return 0;
    }
    z = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!z) {
        zip_source_free(src);
        zip_error_fini(&zerr);
        return 0;
    }
    zip_error_fini(&zerr);
    xc_buf_init(&err);
    memset(&r, 0, sizeof r);
    r.zip = z;
    r.file = "fuzz.zip";
    r.max_part = MAX_PART;
    r.max_total = MAX_TOTAL;
    r.err = &err;
    check_rels(&r, "");
    zip_int64_t n = zip_get_num_entries(z, 0);
    REQUIRE(n >= 0);
    for (zip_int64_t i = 0; i < n && i < MAX_ENTRIES; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (name)
            check_entry(&r, name);
    }
    xc_buf_clear(&err);
    zip_discard(z);
    return 0;
}
