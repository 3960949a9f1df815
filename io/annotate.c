/* annotate.c - the annotated copy of an audited workbook (`exacalc audit
 * -o`): each finding's cell gets a fill in the colour of its severity
 * and a note stating the rule, the figures and the message; then a
 * review sheet (复核) is added for every form.  The xlsx writer keeps
 * every other part of the package as it was. */
#include <string.h>
#include "exacalc/form.h"
#include "exacalc/xlsx.h"

/* Fill colours: light red, light yellow, light blue. */
static uint32_t sev_argb(xc_severity s)
{
    return s == XC_SEV_ERROR     ? 0xFFFFC7CEu
           : s == XC_SEV_WARNING ? 0xFFFFEB9Cu
                                 : 0xFFDDEBF7u;
}

static const char *sev_label(xc_severity s, int en)
{
    if (en)
        return xc_severity_name(s);
    return s == XC_SEV_ERROR ? "错误" : s == XC_SEV_WARNING ? "警告" : "提示";
}

/* One finding as note text: rule and severity, then the figures. */
static int put_finding(xc_buf *o, const xc_finding *f, int en)
{
    int st = xc_buf_printf(o, "[%s] %s\n", sev_label(f->severity, en),
                           f->rule ? f->rule : "");
    if (st == XC_OK && f->stated && *f->stated)
        st =
            xc_buf_printf(o, "%s%s\n", en ? "stated: " : "填报值：", f->stated);
    if (st == XC_OK && f->computed && *f->computed)
        st = xc_buf_printf(o, "%s%s\n", en ? "computed: " : "计算值：",
                           f->computed);
    if (st == XC_OK && f->policies && *f->policies)
        st = xc_buf_printf(o, "%s%s\n", en ? "policies: " : "取舍口径：",
                           f->policies);
    if (st == XC_OK && f->message && *f->message)
        st = xc_buf_printf(o, "%s\n", f->message);
    return st;
}

/* Highlight and note one cell with every finding that names it
 * (findings [from, n) are scanned; done[] marks those used). */
static int annotate_cell(xc_book *b, const xc_audit *a, size_t from, char *done,
                         const xc_form_settings *st, size_t *unnoted)
{
    const xc_finding *f0 = xc_audit_get(a, from);
    size_t n = xc_audit_count(a);
    xc_severity top = f0->severity;
    xc_buf text;
    int rc = XC_OK, en = st && st->lang == XC_LANG_EN;
    xc_buf_init(&text);
    for (size_t i = from; i < n && rc == XC_OK; i++) {
        const xc_finding *f = xc_audit_get(a, i);
        if (done[i] || f->sheet != f0->sheet || f->row != f0->row ||
            f->col != f0->col)
            continue;
        done[i] = 1;
        if (f->severity > top)
            top = f->severity;
        if (text.len)
            rc = xc_buf_putc(&text, '\n');
        if (rc == XC_OK)
            rc = put_finding(&text, f, en);
    }
    while (rc == XC_OK && text.len && text.p[text.len - 1] == '\n')
        text.p[--text.len] = 0;
    const xc_cell *c = xc_book_cell(b, f0->sheet, f0->row, f0->col);
    uint32_t style;
    if (rc == XC_OK) {
        rc =
            xc_xlsx_style_with_fill(b, c ? c->style : 0, sev_argb(top), &style);
        if (rc == XC_OK)
            rc = xc_book_set_style(b, f0->sheet, f0->row, f0->col, style);
        else if (rc == XC_EUNSUPPORTED || rc == XC_EINVAL)
            rc = XC_OK; /* no styles to extend: the note alone */
    }
    if (rc == XC_OK) {
        rc = xc_xlsx_add_comment(b, f0->sheet, f0->row, f0->col, "exacalc",
                                 text.p ? text.p : "");
        if (rc == XC_EUNSUPPORTED) {
            rc = XC_OK; /* the sheet keeps its own comments */
            (*unnoted)++;
        }
    }
    xc_buf_clear(&text);
    return rc;
}

/* A review sheet for every form of the book. */
static int add_reviews(xc_book *b, const xc_form_settings *st)
{
    int nsheets = xc_book_sheet_count(b);
    for (int s = 0; s < nsheets; s++) {
        uint32_t from = 0;
        for (;;) {
            xc_form *f = NULL;
            int rc = xc_form_import(b, s, from, &f);
            if (rc == XC_ENOTFOUND)
                break;
            if (rc != XC_OK)
                return rc;
            from = xc_form_end_row(f) + 1;
            rc = xc_form_add_review_sheet(b, f, st, NULL);
            xc_form_free(f);
            if (rc != XC_OK)
                return rc;
        }
    }
    return XC_OK;
}

int xc_audit_annotate(xc_book *b, const xc_audit *a, const xc_form_settings *st)
{
    return xc_audit_annotate_ex(b, a, st, NULL);
}

int xc_audit_annotate_ex(xc_book *b, const xc_audit *a,
                         const xc_form_settings *st, size_t *unnoted)
{
    size_t skip = 0;
    size_t n = a ? xc_audit_count(a) : 0;
    char *done = xc_calloc(n + 1, 1);
    int rc = done ? XC_OK : XC_ENOMEM;
    int nsheets = xc_book_sheet_count(b);
    for (size_t i = 0; i < n && rc == XC_OK; i++) {
        const xc_finding *f = xc_audit_get(a, i);
        if (done[i])
            continue;
        if (f->sheet < 0 || f->sheet >= nsheets) {
            done[i] = 1;
            continue;
        }
        rc = annotate_cell(b, a, i, done, st, &skip);
    }
    xc_free(done);
    if (unnoted)
        *unnoted = skip;
    if (rc == XC_OK)
        rc = add_reviews(b, st);
    if (rc == XC_OK)
        rc = xc_book_recalc(b);
    return rc;
}
