/* formula_runner.c - runs one data-driven formula test file (format in
 * tests/formula/README.md): each record sets up cells in a fresh book,
 * recalculates, evaluates one formula and compares its canonical text
 * with the expected line.  Prints each failure as
 * "file:line: formula / expected / got" and a final "N passed, N
 * failed" line; exits 1 on any failure.
 *
 * Beyond the README: a number result that is marked inexact fails
 * unless the record says !approx, so exact-arithmetic probes pass only
 * for the right reason; "!excel" evaluates in Excel's view (IEEE
 * doubles, XC_EV_EXCEL); "@name [Sheet!]NAME FORMULA" defines a name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"

typedef struct rec_line {
    int no;
    char *s;
} rec_line;

static int passed, failed;
static const char *fname;

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == 0;
}

/* Parse "Sheet!A1", "'Data 2'!B3" or "A1".  On success fills the
 * sheet name span (NULL when absent) and 0-based row/col; returns the
 * number of bytes used, 0 on error. */
static size_t parse_cellref(const char *s, char *sheet, size_t cap,
                            int *has_sheet, uint32_t *row, uint32_t *col)
{
    const char *p = s;
    *has_sheet = 0;
    if (*p == '\'') {
        size_t k = 0;
        p++;
        for (;;) {
            if (!*p)
                return 0;
            if (*p == '\'') {
                if (p[1] == '\'') {
                    p += 2;
                    if (k + 1 < cap)
                        sheet[k++] = '\'';
                    continue;
                }
                p++;
                break;
            }
            if (k + 1 < cap)
                sheet[k++] = *p;
            p++;
        }
        sheet[k] = 0;
        if (*p != '!')
            return 0;
        p++;
        *has_sheet = 1;
    } else {
        const char *bang = strchr(p, '!');
        const char *sp = strpbrk(p, " \t");
        if (bang && (!sp || bang < sp)) {
            size_t k = (size_t)(bang - p);
            if (k + 1 > cap)
                return 0;
            memcpy(sheet, p, k);
            sheet[k] = 0;
            p = bang + 1;
            *has_sheet = 1;
        }
    }
    if (*p == '$')
        p++;
    uint32_t c = 0;
    int nc = 0;
    while (isalpha((unsigned char)*p)) {
        c = c * 26 + (uint32_t)(toupper((unsigned char)*p) - 'A' + 1);
        p++;
        if (++nc > 3)
            return 0;
    }
    if (*p == '$')
        p++;
    uint32_t r = 0;
    int nr = 0;
    while (isdigit((unsigned char)*p)) {
        r = r * 10 + (uint32_t)(*p - '0');
        p++;
        if (++nr > 7)
            return 0;
    }
    if (!nc || !nr || r == 0)
        return 0;
    *row = r - 1;
    *col = c - 1;
    return (size_t)(p - s);
}

static int sheet_index(xc_book *b, const char *name, int has_sheet)
{
    int idx;
    if (!has_sheet)
        return 0;
    idx = xc_book_find_sheet(b, name, strlen(name));
    if (idx < 0 && xc_book_add_sheet(b, name, strlen(name), &idx) != XC_OK)
        return -1;
    return idx;
}

/* Canonical text of a result, the way expected lines are written. */
static void show(xc_buf *out, const xc_value *v, int exact)
{
    xc_num_fmt fmt = exact ? XC_FMT_EXACT : XC_FMT_GENERAL;
    if (v->type == XC_EMPTY) {
        xc_buf_puts(out, "(empty)");
    } else if (v->type == XC_TEXT) {
        xc_buf_putc(out, '"');
        for (uint32_t i = 0; i < v->u.str->len; i++) {
            if (v->u.str->s[i] == '"')
                xc_buf_putc(out, '"');
            xc_buf_putc(out, v->u.str->s[i]);
        }
        xc_buf_putc(out, '"');
    } else if (v->type == XC_ARRAY) {
        const xc_array *a = v->u.arr;
        xc_buf_putc(out, '{');
        for (uint32_t r = 0; r < a->rows; r++) {
            if (r)
                xc_buf_putc(out, ';');
            for (uint32_t c = 0; c < a->cols; c++) {
                if (c)
                    xc_buf_putc(out, ',');
                const xc_value *e = &a->v[(size_t)r * a->cols + c];
                if (e->type == XC_EMPTY)
                    xc_buf_puts(out, "");
                else
                    show(out, e, exact);
            }
        }
        xc_buf_putc(out, '}');
    } else {
        xc_value_format(out, v, fmt);
    }
}

static int any_inexact(const xc_value *v)
{
    if (v->type == XC_NUMBER)
        return (v->flags & XC_VAL_INEXACT) != 0;
    if (v->type == XC_ARRAY)
        for (size_t i = 0; i < (size_t)v->u.arr->rows * v->u.arr->cols; i++)
            if (any_inexact(&v->u.arr->v[i]))
                return 1;
    return 0;
}

static void fail(int line, const char *formula, const char *want,
                 const char *got)
{
    failed++;
    printf("%s:%d: %s\n  expected: %s\n  got:      %s\n", fname, line, formula,
           want, got);
}

/* Set one setup cell from its content text. */
static int setup_cell(xc_book *b, int sheet, uint32_t row, uint32_t col,
                      const char *text, xc_buf *msg)
{
    xc_value v = {0};
    int st = XC_OK;
    size_t n = strlen(text);

    if (text[0] == '=') {
        xc_formula *f;
        xc_parse_error pe;
        xc_parse_opts o = {b, sheet, row, col, 0};
        st = xc_formula_parse(&f, text, n, &o, &pe);
        if (st != XC_OK) {
            xc_buf_printf(msg, "setup formula %s: %d:%d %s", text, pe.line,
                          pe.col, pe.msg);
            return st;
        }
        st = xc_book_set_formula(b, sheet, row, col, f, NULL);
        xc_formula_release(f);
        return st;
    }
    if (text[0] == '"' && n >= 2 && text[n - 1] == '"') {
        xc_buf t;
        xc_buf_init(&t);
        for (size_t i = 1; i + 1 < n; i++) {
            xc_buf_putc(&t, text[i]);
            if (text[i] == '"' && text[i + 1] == '"')
                i++;
        }
        st = xc_value_set_text(&v, t.p ? t.p : "", t.len);
        xc_buf_clear(&t);
    } else if (strcmp(text, "TRUE") == 0 || strcmp(text, "FALSE") == 0) {
        xc_value_set_bool(&v, text[0] == 'T');
    } else if (text[0] == '#' && xc_error_parse(text, n) != XC_ERR_NONE) {
        xc_value_set_error(&v, xc_error_parse(text, n));
    } else if (n == 0) {
        return XC_OK;
    } else {
        xc_num x;
        xc_num_init(&x);
        st = xc_num_parse(&x, text, n, 0, NULL);
        if (st != XC_OK) {
            xc_num_clear(&x);
            xc_buf_printf(msg, "setup value %s: not a number", text);
            return st;
        }
        xc_value_take_num(&v, &x);
        xc_num_clear(&x);
    }
    if (st == XC_OK)
        st = xc_book_set_value(b, sheet, row, col, &v);
    xc_value_clear(&v);
    return st;
}

/* "@name [Sheet!]NAME FORMULA": a defined name (workbook scope unless
 * a sheet is given). */
static int define_name(xc_book *b, const char *spec)
{
    char name[256], sheet[256];
    const char *sp = strpbrk(spec, " \t"), *bang;
    int scope = -1;
    size_t k;

    if (!sp || sp == spec || (size_t)(sp - spec) >= sizeof name)
        return XC_EINVAL;
    k = (size_t)(sp - spec);
    memcpy(name, spec, k);
    name[k] = 0;
    bang = strrchr(name, '!');
    if (bang) {
        size_t sl = (size_t)(bang - name);
        const char *nm = bang + 1;
        memcpy(sheet, name, sl);
        sheet[sl] = 0;
        if ((scope = sheet_index(b, sheet, 1)) < 0)
            return XC_EINVAL;
        memmove(name, nm, strlen(nm) + 1);
    }
    while (*sp == ' ' || *sp == '\t')
        sp++;
    if (*sp == '=')
        sp++;
    return xc_book_add_name(b, name, scope, sp, 0);
}

static void run_record(rec_line *ls, int n)
{
    xc_book *b = xc_book_new();
    int sheet1, k = 0, exact = 0, approx = 0, array = 0, excel = 0;
    int at_sheet = 0;
    uint32_t at_row = 999, at_col = 99;
    xc_buf msg, got;
    const char *formula = NULL, *want = NULL;
    int fline = 0;

    xc_buf_init(&msg);
    xc_buf_init(&got);
    if (!b || xc_book_add_sheet(b, "Sheet1", 6, &sheet1) != XC_OK) {
        fail(ls[0].no, "(setup)", "a book", "out of memory");
        xc_book_free(b);
        return;
    }
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    /* create every sheet a setup line names before any formula is
     * parsed, so formulas may refer to sheets set up later */
    for (int i = 0; i < n && ls[i].s[0] == '@'; i++) {
        char sh[256];
        int has;
        uint32_t r, c;
        if (strncmp(ls[i].s, "@name ", 6) != 0 &&
            parse_cellref(ls[i].s + 1, sh, sizeof sh, &has, &r, &c) && has)
            sheet_index(b, sh, has);
    }
    for (; k < n && ls[k].s[0] == '@'; k++) {
        char sh[256];
        int has, s;
        uint32_t r, c;
        if (strncmp(ls[k].s, "@name ", 6) == 0) {
            if (define_name(b, ls[k].s + 6) != XC_OK) {
                fail(ls[k].no, ls[k].s, "'@name [Sheet!]NAME FORMULA'",
                     "cannot define the name");
                goto done;
            }
            continue;
        }
        size_t used = parse_cellref(ls[k].s + 1, sh, sizeof sh, &has, &r, &c);
        const char *content = ls[k].s + 1 + used;
        if (!used || (*content != ' ' && *content != '\t')) {
            fail(ls[k].no, ls[k].s, "a setup line '@REF content'",
                 "unreadable");
            goto done;
        }
        while (*content == ' ' || *content == '\t')
            content++;
        if ((s = sheet_index(b, sh, has)) < 0) {
            fail(ls[k].no, ls[k].s, "a sheet", "cannot add sheet");
            goto done;
        }
        xc_buf_reset(&msg);
        if (setup_cell(b, s, r, c, content, &msg) != XC_OK) {
            fail(ls[k].no, ls[k].s, "setup to succeed",
                 msg.len ? msg.p : "failed");
            goto done;
        }
    }
    for (; k < n && ls[k].s[0] == '!'; k++) {
        const char *d = ls[k].s + 1;
        if (strcmp(d, "exact") == 0) {
            exact = 1;
        } else if (strcmp(d, "approx") == 0) {
            approx = 1;
        } else if (strcmp(d, "array") == 0) {
            array = 1;
        } else if (strcmp(d, "excel") == 0) {
            excel = 1;
        } else if (strncmp(d, "at ", 3) == 0) {
            char sh[256];
            int has;
            if (!parse_cellref(d + 3, sh, sizeof sh, &has, &at_row, &at_col) ||
                (at_sheet = sheet_index(b, sh, has)) < 0) {
                fail(ls[k].no, ls[k].s, "!at REF", "bad reference");
                goto done;
            }
        } else {
            fail(ls[k].no, ls[k].s, "a directive", "unknown directive");
            goto done;
        }
    }
    if (n - k != 2) {
        fail(ls[k < n ? k : n - 1].no, ls[k < n ? k : n - 1].s,
             "one formula line and one expected line",
             n - k < 2 ? "too few lines" : "too many lines");
        goto done;
    }
    formula = ls[k].s;
    fline = ls[k].no;
    want = ls[k + 1].s;
    int rst = xc_book_recalc(b);
    if (rst != XC_OK && rst != XC_ECIRC) { /* cycles are values */
        fail(fline, formula, want, xc_status_str(rst));
        goto done;
    }

    xc_formula *f = NULL;
    xc_parse_error pe;
    xc_parse_opts o = {b, at_sheet, at_row, at_col, 0};
    memset(&pe, 0, sizeof pe);
    int st = xc_formula_parse(&f, formula, strlen(formula), &o, &pe);
    if (strncmp(want, "%%ERROR", 7) == 0) {
        int wl = 0, wc = 0, used = 0;
        char word[128] = "";
        if (sscanf(want + 7, " %d:%d%n", &wl, &wc, &used) < 2) {
            fail(fline, formula, want, "(malformed %%ERROR line)");
        } else {
            sscanf(want + 7 + used, " %127s", word);
            if (st == XC_OK) {
                xc_value v = {0};
                xc_formula_eval(
                    b, at_sheet, at_row, at_col, f,
                    (array ? XC_EV_ARRAY : 0) | (excel ? XC_EV_EXCEL : 0), &v);
                show(&got, &v, exact);
                xc_value_clear(&v);
                fail(fline, formula, want, got.p);
            } else if (pe.line != wl || pe.col != wc ||
                       (word[0] && !strstr(pe.msg, word))) {
                xc_buf_printf(&got, "%%%%ERROR %d:%d %s", pe.line, pe.col,
                              pe.msg);
                fail(fline, formula, want, got.p);
            } else {
                passed++;
            }
        }
        xc_formula_release(f);
        goto done;
    }
    if (st != XC_OK) {
        xc_buf_printf(&got, "%%%%ERROR %d:%d %s", pe.line, pe.col, pe.msg);
        fail(fline, formula, want, got.p);
        goto done;
    }
    xc_value v = {0};
    st = xc_formula_eval(b, at_sheet, at_row, at_col, f,
                         (array ? XC_EV_ARRAY : 0) | (excel ? XC_EV_EXCEL : 0),
                         &v);
    xc_formula_release(f);
    if (st != XC_OK) {
        xc_buf_printf(&got, "(status %s)", xc_status_str(st));
        fail(fline, formula, want, got.p);
        goto done;
    }
    show(&got, &v, exact);
    int inexact = any_inexact(&v);
    xc_value_clear(&v);
    if (strcmp(got.p, want) != 0) {
        if (inexact)
            xc_buf_puts(&got, " (inexact)");
        fail(fline, formula, want, got.p);
    } else if (approx && !inexact) {
        xc_buf_puts(&got, " (exact, but !approx expects inexact)");
        fail(fline, formula, want, got.p);
    } else if (!approx && inexact) {
        xc_buf_puts(&got, " (inexact; mark the record !approx)");
        fail(fline, formula, want, got.p);
    } else {
        passed++;
    }
done:
    xc_buf_clear(&msg);
    xc_buf_clear(&got);
    xc_book_free(b);
}

int main(int argc, char **argv)
{
    FILE *fp;
    char line[16384];
    rec_line rec[256];
    int n = 0, no = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: formula_runner FILE.txt\n");
        return 2;
    }
    fname = argv[1];
    if (!(fp = fopen(fname, "r"))) {
        perror(fname);
        return 2;
    }
    for (;;) {
        char *got = fgets(line, sizeof line, fp);
        if (got) {
            no++;
            chomp(line);
            /* '#' starts a comment, except an error literal
             * ("#DIV/0!") on an expected or setup line */
            if (line[0] == '#' &&
                xc_error_parse(line, strlen(line)) == XC_ERR_NONE)
                continue;
        }
        if (!got || blank(line)) {
            if (n > 0)
                run_record(rec, n);
            for (int i = 0; i < n; i++)
                free(rec[i].s);
            n = 0;
            if (!got)
                break;
            continue;
        }
        if (n < (int)(sizeof rec / sizeof *rec)) {
            rec[n].no = no;
            rec[n].s = strdup(line);
            n++;
        }
    }
    fclose(fp);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
