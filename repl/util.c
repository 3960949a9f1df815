/* util.c - helpers shared by the subcommands: messages, loading and
 * saving by file extension, value text, cell and range names. */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include "cli.h"

void cli_err(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout); /* keep the order of output and messages */
    fputs("exacalc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), k = strlen(ext);
    return n >= k && strcasecmp(path + n - k, ext) == 0;
}

xc_book *cli_load(const char *path)
{
    xc_book *b = NULL;
    xc_buf err;
    int st;
    xc_buf_init(&err);
    if (has_ext(path, ".csv"))
        st = xc_csv_load(path, &b, &err);
    else
        st = xc_xlsx_load(path, NULL, &b, &err);
    if (st != XC_OK) {
        if (err.len)
            cli_err("%s", err.p);
        else
            cli_err("%s: %s", path, xc_status_str(st));
        xc_buf_clear(&err);
        return NULL;
    }
    xc_buf_clear(&err);
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    return b;
}

int cli_save(xc_book *b, const char *path, int sheet)
{
    xc_buf err;
    int st;
    xc_buf_init(&err);
    if (has_ext(path, ".csv"))
        st = xc_csv_save(b, sheet, path, &err);
    else
        st = xc_xlsx_save(b, path, &err);
    if (st != XC_OK) {
        if (err.len)
            cli_err("%s", err.p);
        else
            cli_err("%s: %s", path, xc_status_str(st));
    }
    xc_buf_clear(&err);
    return st;
}

int cli_value_text(xc_buf *out, const xc_value *v, const cli_fmt *f)
{
    if (v->type == XC_NUMBER && f && f->digits > 0) {
        xc_num r;
        int st;
        xc_num_init(&r);
        st = xc_num_round_sig(&r, &v->u.num, f->digits, XC_ROUND_HALF_UP);
        if (st == XC_OK)
            st = xc_num_format(out, &r, XC_FMT_SOURCE);
        xc_num_clear(&r);
        return st;
    }
    if (v->type == XC_NUMBER && f && f->exact && (v->flags & XC_VAL_INEXACT)) {
        /* an MPFR result: show the digits we vouch for, and say so */
        xc_num r;
        int st;
        xc_num_init(&r);
        st = xc_num_round_sig(&r, &v->u.num, XC_INEXACT_DIGITS,
                              XC_ROUND_HALF_EVEN);
        if (st == XC_OK)
            st = xc_num_format(out, &r, XC_FMT_SOURCE);
        if (st == XC_OK)
            st = xc_buf_printf(out, " (approximate, %d digits)",
                               XC_INEXACT_DIGITS);
        xc_num_clear(&r);
        return st;
    }
    if (v->type == XC_NUMBER && f && f->exact)
        return xc_num_format(out, &v->u.num, XC_FMT_EXACT);
    return xc_value_format(out, v, XC_FMT_GENERAL);
}

void cli_cell_name(char *buf, size_t n, uint32_t row, uint32_t col)
{
    char letters[8];
    int k = 0;
    uint32_t c = col + 1;
    while (c > 0 && k < 7) {
        letters[k++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < k / 2; i++) {
        char t = letters[i];
        letters[i] = letters[k - 1 - i];
        letters[k - 1 - i] = t;
    }
    letters[k] = 0;
    snprintf(buf, n, "%s%u", letters, row + 1);
}

/* Parse "A1" / "$A$1" at *p; advances *p.  Returns 0 on success. */
static int parse_cell(const char **p, uint32_t *row, uint32_t *col)
{
    const char *s = *p;
    uint64_t c = 0, r = 0;
    int nl = 0, nd = 0;
    if (*s == '$')
        s++;
    while (isalpha((unsigned char)*s) && nl < 4) {
        c = c * 26 + (uint64_t)(toupper((unsigned char)*s) - 'A' + 1);
        s++;
        nl++;
    }
    if (*s == '$')
        s++;
    while (isdigit((unsigned char)*s) && nd < 8) {
        r = r * 10 + (uint64_t)(*s - '0');
        s++;
        nd++;
    }
    if (!nl || !nd || r < 1 || r > XC_MAX_ROWS || c > XC_MAX_COLS)
        return -1;
    *row = (uint32_t)(r - 1);
    *col = (uint32_t)(c - 1);
    *p = s;
    return 0;
}

int cli_parse_range(const xc_book *b, const char *text, int defsheet,
                    xc_area *a)
{
    const char *s = text, *bang = NULL;
    int sheet = defsheet;
    char name[256];
    if (*s == '\'') {
        /* quoted sheet name with '' escapes */
        size_t k = 0;
        s++;
        for (;;) {
            if (!*s)
                return -1;
            if (*s == '\'') {
                if (s[1] == '\'') {
                    s++;
                } else {
                    s++;
                    break;
                }
            }
            if (k + 1 >= sizeof name)
                return -1;
            name[k++] = *s++;
        }
        name[k] = 0;
        if (*s != '!')
            return -1;
        sheet = xc_book_find_sheet(b, name, k);
        if (sheet < 0)
            return -1;
        s++;
    } else if ((bang = strrchr(s, '!')) != NULL) {
        size_t k = (size_t)(bang - s);
        sheet = xc_book_find_sheet(b, s, k);
        if (sheet < 0)
            return -1;
        s = bang + 1;
    }
    if (sheet < 0 || sheet >= xc_book_sheet_count(b))
        return -1;
    a->sheet = a->sheet2 = sheet;
    if (parse_cell(&s, &a->r1, &a->c1) != 0)
        return -1;
    if (*s == ':') {
        s++;
        if (parse_cell(&s, &a->r2, &a->c2) != 0)
            return -1;
    } else {
        a->r2 = a->r1;
        a->c2 = a->c1;
    }
    if (*s)
        return -1;
    if (a->r1 > a->r2) {
        uint32_t t = a->r1;
        a->r1 = a->r2;
        a->r2 = t;
    }
    if (a->c1 > a->c2) {
        uint32_t t = a->c1;
        a->c1 = a->c2;
        a->c2 = t;
    }
    return 0;
}
