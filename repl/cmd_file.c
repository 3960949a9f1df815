/* cmd_file.c - commands on workbook files: show, recalc, verify,
 * convert; and the table renderer they share with the REPL. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"

/* ---- table rendering -------------------------------------------- */

#define MAX_COL_WIDTH 24

/* Display text of a cell: its number format when it has one. */
static int cell_text(xc_buf *out, xc_book *b, int sheet, uint32_t row,
                     uint32_t col, const cli_fmt *f)
{
    const xc_cell *c = xc_book_cell(b, sheet, row, col);
    if (!c)
        return XC_OK;
    if (f && (f->exact || f->digits))
        return cli_value_text(out, &c->v, f);
    const char *code = xc_book_style_numfmt(b, c->style);
    if (code && *code && strcmp(code, "General") != 0 &&
        xc_format_value(out, &c->v, code, xc_book_date1904(b)) == XC_OK)
        return XC_OK;
    xc_buf_reset(out);
    return cli_value_text(out, &c->v, f);
}

/* Append s to out cut to at most w display columns ("…" marks a cut). */
static void fit(xc_buf *out, const char *s, size_t w)
{
    size_t width = xc_utf8_width(s, strlen(s));
    if (width <= w) {
        xc_buf_puts(out, s);
        for (size_t i = width; i < w; i++)
            xc_buf_putc(out, ' ');
        return;
    }
    size_t used = 0, n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = xc_utf8_decode(s + i, n - i, &cp);
        int cw = xc_utf8_cpwidth(cp);
        if (used + (size_t)cw + 1 > w)
            break;
        xc_buf_put(out, s + i, k);
        used += (size_t)cw;
        i += k;
    }
    xc_buf_puts(out, "…");
    used++;
    for (; used < w; used++)
        xc_buf_putc(out, ' ');
}

int cli_show_area(FILE *out, xc_book *b, const xc_area *a, const cli_fmt *f)
{
    uint32_t ncols = a->c2 - a->c1 + 1, nrows = a->r2 - a->r1 + 1;
    size_t *width = calloc(ncols, sizeof *width);
    char name[32];
    xc_buf t, line;
    int st = XC_OK;
    if (!width)
        return XC_ENOMEM;
    xc_buf_init(&t);
    xc_buf_init(&line);
    /* pass 1: column widths */
    for (uint32_t c = 0; c < ncols; c++) {
        cli_cell_name(name, sizeof name, 0, a->c1 + c);
        width[c] = strlen(name) - 1; /* the letters */
    }
    for (uint32_t r = 0; r < nrows; r++)
        for (uint32_t c = 0; c < ncols; c++) {
            xc_buf_reset(&t);
            if ((st = cell_text(&t, b, a->sheet, a->r1 + r, a->c1 + c, f)))
                goto done;
            size_t w = xc_utf8_width(t.p ? t.p : "", t.len);
            if (w > MAX_COL_WIDTH)
                w = MAX_COL_WIDTH;
            if (w > width[c])
                width[c] = w;
        }
    cli_cell_name(name, sizeof name, a->r2, 0);
    size_t rw = strlen(name) - 1;
    /* header */
    xc_buf_reset(&line);
    for (size_t i = 0; i < rw; i++)
        xc_buf_putc(&line, ' ');
    for (uint32_t c = 0; c < ncols; c++) {
        cli_cell_name(name, sizeof name, 0, a->c1 + c);
        name[strlen(name) - 1] = 0;
        xc_buf_puts(&line, " | ");
        fit(&line, name, width[c]);
    }
    fprintf(out, "%s\n", line.p);
    for (uint32_t r = 0; r < nrows; r++) {
        xc_buf_reset(&line);
        xc_buf_printf(&line, "%*u", (int)rw, a->r1 + r + 1);
        for (uint32_t c = 0; c < ncols; c++) {
            xc_buf_reset(&t);
            if ((st = cell_text(&t, b, a->sheet, a->r1 + r, a->c1 + c, f)))
                goto done;
            xc_buf_puts(&line, " | ");
            /* numbers right-aligned, everything else left */
            const xc_cell *cell =
                xc_book_cell(b, a->sheet, a->r1 + r, a->c1 + c);
            size_t w = xc_utf8_width(t.p ? t.p : "", t.len);
            if (cell && cell->v.type == XC_NUMBER && w < width[c])
                for (size_t i = w; i < width[c]; i++)
                    xc_buf_putc(&line, ' ');
            fit(&line, t.p ? t.p : "",
                cell && cell->v.type == XC_NUMBER && w < width[c] ? w
                                                                  : width[c]);
        }
        /* no trailing blanks */
        while (line.len && line.p[line.len - 1] == ' ')
            line.p[--line.len] = 0;
        fprintf(out, "%s\n", line.p);
    }
done:
    free(width);
    xc_buf_clear(&t);
    xc_buf_clear(&line);
    return st;
}

/* ---- show -------------------------------------------------------- */

int cmd_show(int argc, char **argv)
{
    cli_fmt f = {0};
    const char *path = NULL, *range = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--exact") == 0)
            f.exact = 1;
        else if (!path)
            path = argv[i];
        else if (!range)
            range = argv[i];
        else {
            cli_err("show: unexpected argument '%s'", argv[i]);
            return EXIT_BAD;
        }
    }
    if (!path) {
        cli_err("show: usage: exacalc show FILE [RANGE]");
        return EXIT_BAD;
    }
    xc_book *b = cli_load(path);
    if (!b)
        return EXIT_BAD;
    int rc = EXIT_CLEAN;
    if (range) {
        xc_area a;
        if (cli_parse_range(b, range, 0, &a) != 0) {
            cli_err("show: %s: not a range of this workbook: '%s'", path,
                    range);
            rc = EXIT_BAD;
        } else {
            printf("%s\n", xc_book_sheet_name(b, a.sheet));
            cli_show_area(stdout, b, &a, &f);
        }
    } else {
        for (int s = 0; s < xc_book_sheet_count(b); s++) {
            uint32_t rows, cols;
            xc_book_sheet_extent(b, s, &rows, &cols);
            printf("%s%s\n", s ? "\n" : "", xc_book_sheet_name(b, s));
            if (!rows)
                continue;
            xc_area a = {s, s, 0, 0, rows - 1, cols - 1};
            cli_show_area(stdout, b, &a, &f);
        }
    }
    xc_book_free(b);
    return rc;
}

/* ---- recalc ------------------------------------------------------ */

static int report_cycles(xc_book *b)
{
    size_t nc = xc_book_cycle_count(b);
    for (size_t i = 0; i < nc; i++) {
        size_t n;
        const xc_cellpos *p = xc_book_cycle(b, i, &n);
        fprintf(stderr, "exacalc: circular reference:");
        for (size_t k = 0; k < n && k < 10; k++) {
            char name[32];
            cli_cell_name(name, sizeof name, p[k].row, p[k].col);
            fprintf(stderr, " %s!%s", xc_book_sheet_name(b, p[k].sheet), name);
        }
        fprintf(stderr, "%s\n", n > 10 ? " ..." : "");
    }
    return (int)nc;
}

int cmd_recalc(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (!in)
            in = argv[i];
        else {
            cli_err("recalc: unexpected argument '%s'", argv[i]);
            return EXIT_BAD;
        }
    }
    if (!in || !out) {
        cli_err("recalc: usage: exacalc recalc IN.xlsx -o OUT.xlsx");
        return EXIT_BAD;
    }
    xc_book *b = cli_load(in);
    if (!b)
        return EXIT_BAD;
    int st = xc_book_recalc_all(b), rc = EXIT_CLEAN;
    if (st != XC_OK) {
        cli_err("recalc: %s: %s", in, xc_status_str(st));
        rc = EXIT_BAD;
    } else {
        if (report_cycles(b))
            rc = EXIT_FINDINGS;
        if (cli_save(b, out, 0) != XC_OK)
            rc = EXIT_BAD;
    }
    /* freed although the process ends right after (7 ms on a
     * 100,000-cell chain): so valgrind and LeakSanitizer check the
     * book's own frees on this path too */
    xc_book_free(b);
    return rc;
}

/* ---- verify ------------------------------------------------------ */

enum {
    V_EQUAL,
    V_NOISE,
    V_DISPLAY,
    V_DIFFER,
    V_UNSUPPORTED,
    V_UNCACHED,
    V_NCLASS
};
static const char *vclass_name[V_NCLASS] = {
    "equal", "noise", "display", "differ", "unsupported", "uncached"};

/* Equal at Excel's 15 significant digits. */
static int equal15(const xc_num *a, const xc_num *b)
{
    xc_num x, y;
    int eq = 0;
    xc_num_init(&x);
    xc_num_init(&y);
    if (xc_num_round_sig(&x, a, 15, XC_ROUND_HALF_UP) == XC_OK &&
        xc_num_round_sig(&y, b, 15, XC_ROUND_HALF_UP) == XC_OK)
        eq = xc_num_equal(&x, &y);
    xc_num_clear(&x);
    xc_num_clear(&y);
    return eq;
}

/* Same text under the cell's number format (when it is not General). */
static int equal_display(xc_book *b, const xc_cell *c, const xc_value *x,
                         const xc_value *y)
{
    const char *code = xc_book_style_numfmt(b, c->style);
    xc_buf p, q;
    int eq = 0;
    if (!code || !*code || strcmp(code, "General") == 0)
        return 0;
    xc_buf_init(&p);
    xc_buf_init(&q);
    if (xc_format_value(&p, x, code, xc_book_date1904(b)) == XC_OK &&
        xc_format_value(&q, y, code, xc_book_date1904(b)) == XC_OK)
        eq = p.len == q.len &&
             memcmp(p.p ? p.p : "", q.p ? q.p : "", p.len) == 0;
    xc_buf_clear(&p);
    xc_buf_clear(&q);
    return eq;
}

static int classify(xc_book *b, const xc_cell *c, const xc_value *stated)
{
    const xc_value *v = &c->v;
    if (c->flags & XC_CELL_UNSUPPORTED)
        return V_UNSUPPORTED;
    /* a formula with no cached value (openpyxl writes none) */
    if (!stated || stated->type == XC_EMPTY)
        return V_UNCACHED;
    if (xc_value_identical(v, stated))
        return V_EQUAL;
    /* an empty cached text and an empty result are the same thing */
    if ((v->type == XC_EMPTY && stated->type == XC_TEXT &&
         stated->u.str->len == 0) ||
        (stated->type == XC_EMPTY && v->type == XC_TEXT && v->u.str->len == 0))
        return V_EQUAL;
    /* an error some writers cache as text (t="str" "#NUM!"): the same as
     * shown, not the same value */
    if (v->type == XC_ERROR && stated->type == XC_TEXT &&
        strcmp(stated->u.str->s, xc_error_name((xc_error)v->err)) == 0)
        return V_DISPLAY;
    if (v->type == XC_NUMBER && stated->type == XC_NUMBER) {
        if (equal15(&v->u.num, &stated->u.num))
            return V_NOISE;
        if (equal_display(b, c, v, stated))
            return V_DISPLAY;
    }
    return V_DIFFER;
}

/* Excel's view of a workbook: a second copy recalculated entirely with
 * IEEE doubles and Excel's rules (XC_EV_EXCEL), so binary noise
 * propagates from cell to cell as it does in Excel.  The formula engine
 * takes the extra flags through its context, so array formulas keep
 * their array evaluation there too. */
static unsigned excel_flags = XC_EV_EXCEL;

static xc_book *load_excel_view(const char *path)
{
    xc_book *b = cli_load(path);
    if (!b)
        return NULL;
    xc_book_set_engine(b, xc_formula_engine(), &excel_flags);
    if (xc_book_recalc_all(b) != XC_OK) {
        xc_book_free(b);
        return NULL;
    }
    return b;
}

/* 1 when Excel would show another value: a different General display
 * (15 digits), a flipped comparison or branch, or another type. */
static int excel_differs(const xc_value *exact, const xc_value *ex)
{
    xc_buf p, q;
    int differs;
    if (exact->type != XC_NUMBER || ex->type != XC_NUMBER)
        return !xc_value_identical(exact, ex);
    xc_buf_init(&p);
    xc_buf_init(&q);
    xc_value_format(&p, exact, XC_FMT_GENERAL);
    xc_value_format(&q, ex, XC_FMT_GENERAL);
    differs = strcmp(p.p ? p.p : "", q.p ? q.p : "") != 0;
    xc_buf_clear(&p);
    xc_buf_clear(&q);
    return differs;
}

static void json_str(xc_buf *o, const char *s)
{
    xc_buf_putc(o, '"');
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            xc_buf_printf(o, "\\%c", ch);
        else if (ch < 0x20)
            xc_buf_printf(o, "\\u%04x", ch);
        else
            xc_buf_putc(o, (char)ch);
    }
    xc_buf_putc(o, '"');
}

/* Text of a value for reports: numbers in FILE form (exact up to 17
 * digits), so the report shows what differs. */
static void value_report(xc_buf *o, const xc_value *v)
{
    if (!v) {
        xc_buf_puts(o, "");
        return;
    }
    xc_value_format(o, v, XC_FMT_FILE);
}

int cmd_verify(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, excel = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--excel") == 0)
            excel = 1;
        else if (!path)
            path = argv[i];
        else {
            cli_err("verify: unexpected argument '%s'", argv[i]);
            return EXIT_BAD;
        }
    }
    if (!path) {
        cli_err("verify: usage: exacalc verify [--json] [--excel] FILE");
        return EXIT_BAD;
    }
    xc_book *b = cli_load(path);
    if (!b)
        return EXIT_BAD;
    int st = xc_book_recalc_all(b);
    if (st != XC_OK) {
        cli_err("verify: %s: %s", path, xc_status_str(st));
        xc_book_free(b);
        return EXIT_BAD;
    }
    size_t count[V_NCLASS] = {0}, total = 0, nexcel = 0;
    xc_book *xb = NULL;
    if (excel && !(xb = load_excel_view(path))) {
        xc_book_free(b);
        return EXIT_BAD;
    }
    xc_buf cells, tmp, ftext;
    xc_buf_init(&cells);
    xc_buf_init(&tmp);
    xc_buf_init(&ftext);
    int first = 1;
    for (int s = 0; s < xc_book_sheet_count(b); s++) {
        uint32_t rows, cols, r, c;
        xc_book_sheet_extent(b, s, &rows, &cols);
        if (!rows)
            continue;
        xc_area a = {s, s, 0, 0, rows - 1, cols - 1};
        xc_iter it;
        xc_cell *cell;
        xc_iter_init(&it, b, &a);
        while ((cell = xc_iter_next(&it, &r, &c)) != NULL) {
            xc_formula *f = xc_book_formula(b, s, r, c);
            if (!f && !(cell->flags & XC_CELL_ARRAY_PART))
                continue;
            const xc_value *stated = xc_book_stated(b, s, r, c);
            int k = classify(b, cell, stated);
            count[k]++;
            total++;
            xc_value ex = {0};
            int exd = 0;
            if (xb && k != V_UNSUPPORTED) {
                xc_value_copy(&ex, xc_book_get(xb, s, r, c));
                exd = excel_differs(&cell->v, &ex);
            }
            nexcel += (size_t)exd;
            if (k == V_EQUAL && !exd) {
                xc_value_clear(&ex);
                continue;
            }
            char name[32];
            cli_cell_name(name, sizeof name, r, c);
            xc_buf_reset(&ftext);
            xc_area ar;
            if (f && (cell->flags & XC_CELL_ARRAY_PART) &&
                xc_book_array_range(b, s, r, c, &ar) == XC_OK)
                xc_formula_print(&ftext, f, b, s, ar.r1, ar.c1);
            else if (f)
                xc_formula_print(&ftext, f, b, s, r, c);
            if (json) {
                xc_buf_puts(&cells, first ? "\n  " : ",\n  ");
                first = 0;
                xc_buf_puts(&cells, "{\"sheet\":");
                json_str(&cells, xc_book_sheet_name(b, s));
                xc_buf_puts(&cells, ",\"cell\":");
                json_str(&cells, name);
                xc_buf_puts(&cells, ",\"formula\":");
                xc_buf_reset(&tmp);
                xc_buf_putc(&tmp, '=');
                xc_buf_put(&tmp, ftext.p ? ftext.p : "", ftext.len);
                json_str(&cells, tmp.p);
                xc_buf_puts(&cells, ",\"cached\":");
                xc_buf_reset(&tmp);
                value_report(&tmp, stated);
                if (stated && stated->type != XC_EMPTY)
                    json_str(&cells, tmp.p ? tmp.p : "");
                else
                    xc_buf_puts(&cells, "null");
                xc_buf_puts(&cells, ",\"computed\":");
                xc_buf_reset(&tmp);
                value_report(&tmp, &cell->v);
                json_str(&cells, tmp.p);
                xc_buf_puts(&cells, ",\"class\":");
                json_str(&cells, vclass_name[k]);
                if (k == V_UNSUPPORTED && f && xc_formula_unknown_fn(f)) {
                    xc_buf_puts(&cells, ",\"function\":");
                    json_str(&cells, xc_formula_unknown_fn(f));
                }
                if (exd) {
                    xc_buf_puts(&cells, ",\"excel\":");
                    xc_buf_reset(&tmp);
                    xc_value_format(&tmp, &ex, XC_FMT_GENERAL);
                    json_str(&cells, tmp.p);
                }
                xc_buf_putc(&cells, '}');
            } else {
                xc_buf_reset(&tmp);
                value_report(&tmp, stated);
                xc_buf_printf(&cells, "%s!%s\t%s\t=%s\tcached %s",
                              xc_book_sheet_name(b, s), name, vclass_name[k],
                              ftext.p ? ftext.p : "",
                              stated && stated->type != XC_EMPTY
                                  ? (tmp.p ? tmp.p : "")
                                  : "(none)");
                xc_buf_reset(&tmp);
                value_report(&tmp, &cell->v);
                xc_buf_printf(&cells, "\tcomputed %s", tmp.p);
                if (k == V_UNSUPPORTED && f && xc_formula_unknown_fn(f))
                    xc_buf_printf(&cells, "\t(%s)", xc_formula_unknown_fn(f));
                if (exd) {
                    xc_buf_reset(&tmp);
                    xc_value_format(&tmp, &ex, XC_FMT_GENERAL);
                    xc_buf_printf(&cells, "\tExcel shows %s", tmp.p);
                }
                xc_buf_putc(&cells, '\n');
            }
            xc_value_clear(&ex);
        }
    }
    if (json) {
        xc_buf o;
        xc_buf_init(&o);
        xc_buf_puts(&o, "{\"file\":");
        json_str(&o, path);
        xc_buf_printf(&o, ",\"formulas\":%zu,", total);
        if (excel)
            xc_buf_printf(&o, "\"excel_differs\":%zu,", nexcel);
        xc_buf_puts(&o, "\"counts\":{");
        for (int k = 0; k < V_NCLASS; k++)
            xc_buf_printf(&o, "%s\"%s\":%zu", k ? "," : "", vclass_name[k],
                          count[k]);
        xc_buf_puts(&o, "},\"cells\":[");
        xc_buf_put(&o, cells.p ? cells.p : "", cells.len);
        xc_buf_puts(&o, first ? "]}\n" : "\n]}\n");
        fputs(o.p, stdout);
        xc_buf_clear(&o);
    } else {
        if (cells.len)
            fputs(cells.p, stdout);
        printf("%zu formulas: %zu equal, %zu noise, %zu display, %zu differ, "
               "%zu unsupported",
               total, count[V_EQUAL], count[V_NOISE], count[V_DISPLAY],
               count[V_DIFFER], count[V_UNSUPPORTED]);
        if (count[V_UNCACHED])
            printf(", %zu uncached", count[V_UNCACHED]);
        if (excel)
            printf("; Excel would show %zu differently", nexcel);
        printf("\n");
    }
    report_cycles(b);
    xc_book_free(xb);
    xc_buf_clear(&cells);
    xc_buf_clear(&tmp);
    xc_buf_clear(&ftext);
    xc_book_free(b);
    return count[V_DIFFER] ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---- convert ----------------------------------------------------- */

int cmd_convert(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *sheetname = NULL;
    int guard = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc)
            sheetname = argv[++i];
        else if (strcmp(argv[i], "--guard") == 0)
            guard = 1; /* CSV: text starting with = + - @ gets a ' */
        else if (!in)
            in = argv[i];
        else if (!out)
            out = argv[i];
        else {
            cli_err("convert: unexpected argument '%s'", argv[i]);
            return EXIT_BAD;
        }
    }
    if (!in || !out) {
        cli_err(
            "convert: usage: exacalc convert IN OUT [--sheet NAME] [--guard]");
        return EXIT_BAD;
    }
    xc_book *b = cli_load(in);
    if (!b)
        return EXIT_BAD;
    int sheet = 0, rc = EXIT_CLEAN;
    if (sheetname) {
        sheet = xc_book_find_sheet(b, sheetname, strlen(sheetname));
        if (sheet < 0) {
            cli_err("convert: %s: no sheet '%s'", in, sheetname);
            xc_book_free(b);
            return EXIT_BAD;
        }
    }
    int st = xc_book_recalc(b);
    if (st != XC_OK) {
        cli_err("convert: %s: %s", in, xc_status_str(st));
        rc = EXIT_BAD;
    } else if (guard) {
        xc_buf err;
        xc_buf_init(&err);
        size_t n = strlen(out);
        if (n < 4 || strcasecmp(out + n - 4, ".csv") != 0) {
            cli_err("convert: --guard applies to CSV output only");
            rc = EXIT_BAD;
        } else if (xc_csv_save_ex(b, sheet, out, XC_CSV_GUARD, &err) != XC_OK) {
            cli_err("%s", err.len ? err.p : "convert: cannot write");
            rc = EXIT_BAD;
        }
        xc_buf_clear(&err);
    } else if (cli_save(b, out, sheet) != XC_OK) {
        rc = EXIT_BAD;
    }
    xc_book_free(b);
    return rc;
}
