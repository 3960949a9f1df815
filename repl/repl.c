/* repl.c - the interactive session: readline with history and
 * completion, commands on an open workbook, undo/redo, explain.
 * When standard input is not a terminal, commands are read from it
 * without prompt or line editing, with the same output; the exit code
 * is 2 if any command failed. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>
#include "cli.h"
#include "exacalc/form.h"

/* One remembered cell content, for undo. */
typedef struct snap {
    int sheet;
    uint32_t row, col;
    xc_formula *f; /* retained; NULL for a constant */
    xc_value v;    /* the constant (or the cached value) */
    int existed;
} snap;

typedef struct edit {
    snap *cells;
    size_t n;
} edit;

typedef struct session {
    xc_book *book;
    char *path;
    int sheet;
    cli_fmt fmt;
    int dirty; /* unsaved edits */
    edit *undo, *redo;
    size_t nundo, nredo, capundo, capredo;
    int interactive;
    unsigned gen;    /* counts edits and opens */
    xc_book *xv;     /* Excel's view of book (see excel_view) */
    unsigned xv_gen; /* gen it was made at */
} session;

static session *S; /* for the completion callbacks */

/* ---- Excel's view of the open book ----------------------------------
 * A copy of the book recalculated entirely with IEEE doubles and Excel's
 * rules (XC_EV_EXCEL), so that binary noise propagates from cell to cell
 * as in Excel: the Excel value of =Z2-100.5 where Z2 is =Z1*100 and Z1
 * 1.005 is -1.4210854715202E-14, not the 0 that evaluating it in doubles
 * from Z2's exact 100.5 gives.  `verify --excel` does the same with the
 * file.  The copy is made by writing the book to a temporary .xlsx and
 * loading it again (the writer and reader are the tested way to copy a
 * book) and made again after an edit, when next asked for.  NULL when it
 * cannot be made: callers then evaluate from the exact inputs. */
static unsigned xv_flags = XC_EV_EXCEL;

static xc_book *excel_view(session *s)
{
    if (!s->book)
        return NULL;
    if (s->xv && s->xv_gen == s->gen)
        return s->xv;
    xc_book_free(s->xv);
    s->xv = NULL;
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/exacalc-xv-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return NULL;
    snprintf(path, sizeof path, "%s/view.xlsx", dir);
    xc_buf err;
    xc_buf_init(&err);
    xc_book *b = NULL;
    if (xc_xlsx_save(s->book, path, &err) == XC_OK &&
        xc_xlsx_load(path, NULL, &b, &err) == XC_OK) {
        xc_book_set_engine(b, xc_formula_engine(), &xv_flags);
        if (xc_book_recalc_all(b) != XC_OK) {
            xc_book_free(b);
            b = NULL;
        }
    }
    xc_buf_clear(&err);
    unlink(path);
    rmdir(dir);
    s->xv = b;
    s->xv_gen = s->gen;
    return b;
}

/* Excel's value of a cell of the open book into out (a copy); 0, or -1
 * when the view cannot be made. */
static int excel_cell(session *s, int sheet, uint32_t r, uint32_t c,
                      xc_value *out)
{
    xc_book *xb = excel_view(s);
    if (!xb)
        return -1;
    const xc_value *v = xc_book_get(xb, sheet, r, c);
    xc_value_clear(out);
    if (v && xc_value_copy(out, v) != XC_OK)
        return -1;
    return 0;
}

/* ---- helpers ----------------------------------------------------- */

static void edit_free(edit *e)
{
    for (size_t i = 0; i < e->n; i++) {
        xc_formula_release(e->cells[i].f);
        xc_value_clear(&e->cells[i].v);
    }
    free(e->cells);
    e->cells = NULL;
    e->n = 0;
}

static void stack_clear(edit *st, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        edit_free(&st[i]);
    *n = 0;
}

static int stack_push(edit **st, size_t *n, size_t *cap, edit *e)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        edit *p = realloc(*st, nc * sizeof *p);
        if (!p)
            return -1;
        *st = p;
        *cap = nc;
    }
    (*st)[(*n)++] = *e;
    return 0;
}

/* Capture the content of the cells of area a. */
static int capture(session *s, const xc_area *a, edit *e)
{
    size_t n = (size_t)(a->r2 - a->r1 + 1) * (a->c2 - a->c1 + 1);
    if (n > 1000000)
        return -1;
    e->cells = calloc(n ? n : 1, sizeof *e->cells);
    e->n = 0;
    if (!e->cells)
        return -1;
    for (uint32_t r = a->r1; r <= a->r2; r++)
        for (uint32_t c = a->c1; c <= a->c2; c++) {
            snap *p = &e->cells[e->n++];
            const xc_cell *cell = xc_book_cell(s->book, a->sheet, r, c);
            p->sheet = a->sheet;
            p->row = r;
            p->col = c;
            p->existed = cell != NULL;
            p->f = xc_book_formula(s->book, a->sheet, r, c);
            if (p->f)
                xc_formula_retain(p->f);
            if (cell)
                xc_value_copy(&p->v, &cell->v);
        }
    return 0;
}

/* Put captured content back. */
static int restore(session *s, edit *e)
{
    for (size_t i = 0; i < e->n; i++) {
        snap *p = &e->cells[i];
        int st;
        if (p->f)
            st = xc_book_set_formula(s->book, p->sheet, p->row, p->col, p->f,
                                     NULL);
        else if (!p->existed)
            st = xc_book_clear_cell(s->book, p->sheet, p->row, p->col);
        else
            st = xc_book_set_value(s->book, p->sheet, p->row, p->col, &p->v);
        if (st != XC_OK)
            return st;
    }
    return xc_book_recalc(s->book);
}

static char *trim(char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        p[--n] = 0;
    return p;
}

static int need_book(session *s)
{
    if (!s->book) {
        cli_err("no workbook open (use: open FILE)");
        return -1;
    }
    return 0;
}

static int parse_area(session *s, const char *text, xc_area *a)
{
    if (cli_parse_range(s->book, text, s->sheet, a) != 0) {
        cli_err("not a cell or range: '%s'", text);
        return -1;
    }
    return 0;
}

/* ---- explain ----------------------------------------------------- */

typedef struct tnode {
    int depth;
    char *text, *value, *note;
    size_t first_child, nchild; /* children are a contiguous index list */
} tnode;

typedef struct trace {
    tnode *v;
    size_t n, cap;
    session *s;
} trace;

/* Exact text of a value for explain: a fraction whose repeating decimal
 * is long is shown as "n/d ≈ 15 digits" to stay readable. */
static void explain_value(xc_buf *o, const xc_value *v, const cli_fmt *f)
{
    size_t start = o->len;
    cli_value_text(o, v, f);
    if (v->type != XC_NUMBER || o->len - start <= 48)
        return;
    const char *eq = strstr(o->p + start, " = ");
    if (!eq)
        return;
    o->len = (size_t)(eq - o->p);
    o->p[o->len] = 0;
    xc_buf_puts(o, " ≈ ");
    xc_num_format(o, &v->u.num, XC_FMT_GENERAL);
}

static void value_for_trace(xc_buf *o, session *s, const xc_value *v)
{
    if (v->type == XC_REF && v->u.ref->n == 1) {
        const xc_area *a = &v->u.ref->a[0];
        if (a->r1 == a->r2 && a->c1 == a->c2) {
            char name[32];
            cli_cell_name(name, sizeof name, a->r1, a->c1);
            const xc_value *cv = xc_book_get(s->book, a->sheet, a->r1, a->c1);
            cli_fmt f = s->fmt;
            f.exact = 1;
            explain_value(o, cv, &f);
            if (cv->type == XC_TEXT) {
                /* quote text so blanks are visible */
                xc_buf q;
                xc_buf_init(&q);
                xc_buf_printf(&q, "\"%s\"", o->p ? o->p : "");
                xc_buf_reset(o);
                xc_buf_puts(o, q.p);
                xc_buf_clear(&q);
            }
            return;
        }
        char n1[32], n2[32];
        cli_cell_name(n1, sizeof n1, a->r1, a->c1);
        cli_cell_name(n2, sizeof n2, a->r2, a->c2);
        xc_buf_printf(o, "range %s:%s", n1, n2);
        return;
    }
    if (v->type == XC_REF) {
        xc_buf_puts(o, "(union of ranges)");
        return;
    }
    if (v->type == XC_TEXT) {
        xc_buf_printf(o, "\"%s\"", v->u.str->s);
        return;
    }
    cli_fmt f = s->fmt;
    f.exact = 1; /* explain always shows exact values */
    explain_value(o, v, &f);
}

static int on_trace(void *ud, int depth, const char *text, const xc_value *v,
                    const char *note)
{
    trace *t = ud;
    xc_buf o;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        tnode *p = realloc(t->v, nc * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        t->v = p;
        t->cap = nc;
    }
    xc_buf_init(&o);
    value_for_trace(&o, t->s, v);
    tnode *n = &t->v[t->n++];
    n->depth = depth;
    n->text = strdup(text ? text : "");
    n->value = xc_buf_take(&o);
    n->note = note && *note ? strdup(note) : NULL;
    n->nchild = 0;
    return XC_OK;
}

#define EXPLAIN_MAX_DEPTH 12
#define EXPLAIN_MAX_LINES 300

/* Nodes arrive in post-order with depths; print in pre-order. */
static void print_tree(trace *t, size_t root, int indent, size_t *lines)
{
    /* children of root: the maximal run of nodes of depth root+1 before it
     * (post-order), found by walking back over whole subtrees */
    size_t kids[256], nk = 0;
    size_t i = root;
    while (i > 0 && nk < 256) {
        size_t j = i - 1;
        if (t->v[j].depth <= t->v[root].depth)
            break;
        if (t->v[j].depth == t->v[root].depth + 1)
            kids[nk++] = j;
        i = j;
    }
    if (*lines >= EXPLAIN_MAX_LINES) {
        if (*lines == EXPLAIN_MAX_LINES)
            printf("%*s…\n", indent * 2, "");
        (*lines)++;
        return;
    }
    printf("%*s%s = %s%s%s%s\n", indent * 2, "", t->v[root].text,
           t->v[root].value, t->v[root].note ? "   [" : "",
           t->v[root].note ? t->v[root].note : "", t->v[root].note ? "]" : "");
    (*lines)++;
    if (!nk)
        return;
    if (indent + 1 > EXPLAIN_MAX_DEPTH) {
        printf("%*s…\n", (indent + 1) * 2, "");
        return;
    }
    for (size_t k = nk; k-- > 0;)
        print_tree(t, kids[k], indent + 1, lines);
}

static int do_explain(session *s, const char *arg)
{
    xc_area a;
    if (need_book(s) || parse_area(s, arg, &a))
        return -1;
    xc_formula *f = xc_book_formula(s->book, a.sheet, a.r1, a.c1);
    char name[32];
    cli_cell_name(name, sizeof name, a.r1, a.c1);
    if (!f) {
        xc_buf o;
        xc_buf_init(&o);
        cli_value_text(&o, xc_book_get(s->book, a.sheet, a.r1, a.c1), &s->fmt);
        printf("%s is a constant: %s\n", name, o.p ? o.p : "");
        xc_buf_clear(&o);
        return 0;
    }
    trace t = {0};
    t.s = s;
    xc_value v = {0};
    int st = xc_formula_eval_traced(s->book, a.sheet, a.r1, a.c1, f, 0,
                                    on_trace, &t, &v);
    if (st != XC_OK) {
        cli_err("explain: %s", xc_status_str(st));
    } else if (t.n) {
        xc_buf ft;
        size_t lines = 0;
        xc_buf_init(&ft);
        xc_formula_print(&ft, f, s->book, a.sheet, a.r1, a.c1);
        printf("%s!%s = %s\n", xc_book_sheet_name(s->book, a.sheet), name,
               ft.p ? ft.p : "");
        xc_buf_clear(&ft);
        /* roots: nodes of the minimum depth, in order */
        int mind = t.v[t.n - 1].depth;
        for (size_t i = 0; i < t.n; i++)
            if (t.v[i].depth == mind)
                print_tree(&t, i, 1, &lines);
        /* Excel's view of the same formula (IEEE doubles, Excel's ROUND) */
        xc_value e = {0};
        if (excel_cell(s, a.sheet, a.r1, a.c1, &e) == 0 ||
            xc_formula_eval(s->book, a.sheet, a.r1, a.c1, f, XC_EV_EXCEL, &e) ==
                XC_OK) {
            xc_buf shown, exact, stored;
            xc_buf_init(&shown);
            xc_buf_init(&exact);
            xc_buf_init(&stored);
            xc_value_format(&shown, &e, XC_FMT_GENERAL);
            xc_value_format(&exact, &v, XC_FMT_GENERAL);
            printf("  Excel's view: %s", shown.p ? shown.p : "");
            if (!xc_value_identical(&e, &v) && e.type == XC_NUMBER) {
                xc_value_format(&stored, &e, XC_FMT_FILE);
                printf(" (stored as the double %s)", stored.p);
            }
            int same =
                strcmp(shown.p ? shown.p : "", exact.p ? exact.p : "") == 0;
            printf("%s\n", same ? "" : "   DIFFERS from the exact value");
            xc_buf_clear(&shown);
            xc_buf_clear(&exact);
            xc_buf_clear(&stored);
        }
        xc_value_clear(&e);
    }
    for (size_t i = 0; i < t.n; i++) {
        free(t.v[i].text);
        free(t.v[i].value);
        free(t.v[i].note);
    }
    free(t.v);
    xc_value_clear(&v);
    return st == XC_OK ? 0 : -1;
}

/* ---- commands ---------------------------------------------------- */

static int do_open(session *s, const char *path, int quiet)
{
    if (!*path) {
        cli_err("open: usage: open FILE");
        return -1;
    }
    xc_book *b = cli_load(path);
    if (!b)
        return -1;
    int st = xc_book_recalc(b);
    if (st == XC_OK) /* while the user reads: edits then stay quick */
        st = xc_book_index(b);
    if (st != XC_OK) {
        cli_err("open: %s: %s", path, xc_status_str(st));
        xc_book_free(b);
        return -1;
    }
    xc_book_free(s->book);
    free(s->path);
    s->book = b;
    s->path = strdup(path);
    s->sheet = 0;
    s->dirty = 0;
    s->gen++;
    stack_clear(s->undo, &s->nundo);
    stack_clear(s->redo, &s->nredo);
    if (!quiet)
        printf("%s: %d sheet%s\n", path, xc_book_sheet_count(b),
               xc_book_sheet_count(b) == 1 ? "" : "s");
    return 0;
}

static int do_eval(session *s, const char *text)
{
    xc_book *b = s->book;
    xc_book *tmp = NULL;
    int sheet = s->sheet;
    if (!b) {
        tmp = b = xc_book_new();
        if (!b || xc_book_add_sheet(b, "Sheet1", 6, &sheet) != XC_OK) {
            xc_book_free(tmp);
            cli_err("out of memory");
            return -1;
        }
        xc_book_set_engine(b, xc_formula_engine(), NULL);
    }
    xc_formula *f = NULL;
    xc_parse_error pe;
    xc_parse_opts o = {b, sheet, 0, 0, 0};
    xc_value v = {0};
    xc_buf out;
    int rc = -1;
    xc_buf_init(&out);
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    if (st == XC_EPARSE) {
        cli_err("%d:%d: %s", pe.line, pe.col, pe.msg);
        goto done;
    } else if (st != XC_OK) {
        cli_err("%s", xc_status_str(st));
        goto done;
    }
    st = xc_formula_eval(b, sheet, 0, 0, f, 0, &v);
    if (st != XC_OK) {
        cli_err("%s", st == XC_EINTR ? "interrupted" : xc_status_str(st));
        goto done;
    }
    cli_value_text(&out, &v, &s->fmt);
    printf("%s\n", out.p ? out.p : "");
    if (s->fmt.excel) {
        /* evaluated in Excel's view of the book, which the same text
         * parsed against it reads (see excel_view) */
        xc_value e = {0};
        xc_book *xb = tmp ? NULL : excel_view(s);
        xc_formula *xf = NULL;
        xc_parse_opts xo = {xb, sheet, 0, 0, 0};
        int ok = xb &&
                 xc_formula_parse(&xf, text, strlen(text), &xo, &pe) == XC_OK &&
                 xc_formula_eval(xb, sheet, 0, 0, xf, XC_EV_EXCEL, &e) == XC_OK;
        if (!ok)
            ok = xc_formula_eval(b, sheet, 0, 0, f, XC_EV_EXCEL, &e) == XC_OK;
        xc_formula_release(xf);
        if (ok) {
            xc_buf_reset(&out);
            xc_value_format(&out, &e, XC_FMT_GENERAL);
            printf("Excel: %s", out.p ? out.p : "");
            if (!xc_value_identical(&e, &v) && e.type == XC_NUMBER &&
                v.type == XC_NUMBER) {
                /* General shows 15 digits: the double itself too */
                xc_buf_reset(&out);
                xc_value_format(&out, &e, XC_FMT_FILE);
                printf("   (the double %s; differs)", out.p ? out.p : "");
            } else if (!xc_value_identical(&e, &v)) {
                printf("   (differs)");
            }
            printf("\n");
        }
        xc_value_clear(&e);
    }
    rc = 0;
done:
    xc_value_clear(&v);
    xc_buf_clear(&out);
    xc_formula_release(f);
    xc_book_free(tmp);
    return rc;
}

static int do_get(session *s, const char *arg)
{
    xc_area a;
    if (need_book(s) || parse_area(s, arg, &a))
        return -1;
    const xc_cell *c = xc_book_cell(s->book, a.sheet, a.r1, a.c1);
    xc_formula *f = xc_book_formula(s->book, a.sheet, a.r1, a.c1);
    const xc_value *st = xc_book_stated(s->book, a.sheet, a.r1, a.c1);
    xc_buf o;
    char name[32];
    xc_buf_init(&o);
    cli_cell_name(name, sizeof name, a.r1, a.c1);
    printf("%s!%s\n", xc_book_sheet_name(s->book, a.sheet), name);
    if (!c) {
        printf("  (empty)\n");
        xc_buf_clear(&o);
        return 0;
    }
    cli_fmt ex = s->fmt;
    ex.exact = 1;
    cli_value_text(&o, &c->v, &ex);
    printf(
        "  value:    %s%s\n", o.p ? o.p : "",
        c->v.type == XC_NUMBER
            ? ((c->v.flags & XC_VAL_INEXACT) ? "  (approximate)" : "  (exact)")
            : "");
    xc_area ar;
    if (f && (c->flags & XC_CELL_ARRAY_PART) &&
        xc_book_array_range(s->book, a.sheet, a.r1, a.c1, &ar) == XC_OK) {
        /* a member of an array formula: the anchor's formula as written */
        char an[32], bn[32];
        cli_cell_name(an, sizeof an, ar.r1, ar.c1);
        cli_cell_name(bn, sizeof bn, ar.r2, ar.c2);
        xc_buf_reset(&o);
        xc_formula_print(&o, f, s->book, a.sheet, ar.r1, ar.c1);
        printf("  formula:  {=%s}   (array formula %s:%s)\n", o.p ? o.p : "",
               an, bn);
    } else if (f) {
        xc_buf_reset(&o);
        xc_formula_print(&o, f, s->book, a.sheet, a.r1, a.c1);
        printf("  formula:  %s=%s%s\n", (c->flags & XC_CELL_ARRAY) ? "{" : "",
               o.p ? o.p : "", (c->flags & XC_CELL_ARRAY) ? "}" : "");
    }
    if (st && st->type == XC_EMPTY && f) {
        printf("  stated:   (no cached value in the file)\n");
    } else if (st) {
        xc_buf_reset(&o);
        xc_value_format(&o, st, XC_FMT_FILE);
        printf("  stated:   %s%s\n", o.p ? o.p : "",
               xc_value_identical(st, &c->v) ? "" : "   (differs)");
    }
    const char *code = xc_book_style_numfmt(s->book, c->style);
    printf("  format:   %s\n", code && *code ? code : "General");
    if (code && *code && strcmp(code, "General") != 0) {
        xc_buf_reset(&o);
        if (xc_format_value(&o, &c->v, code, xc_book_date1904(s->book)) ==
            XC_OK)
            printf("  shown:    %s\n", o.p ? o.p : "");
    }
    if (f && c->v.type == XC_NUMBER) {
        xc_value e = {0};
        if (excel_cell(s, a.sheet, a.r1, a.c1, &e) == 0 ||
            xc_formula_eval(s->book, a.sheet, a.r1, a.c1, f, XC_EV_EXCEL, &e) ==
                XC_OK) {
            xc_buf_reset(&o);
            xc_value_format(&o, &e, XC_FMT_FILE);
            printf("  Excel:    %s%s\n", o.p ? o.p : "",
                   xc_value_identical(&e, &c->v) ? "" : "   (differs)");
        }
        xc_value_clear(&e);
    }
    xc_buf_clear(&o);
    return 0;
}

/* Parse a constant typed by the user: number, "text", TRUE/FALSE,
 * an error literal, or else the text itself. */
static int parse_constant(const char *t, xc_value *v)
{
    xc_num x;
    size_t n = strlen(t);
    xc_num_init(&x);
    if (n && xc_num_parse(&x, t, n, 0, NULL) == XC_OK) {
        xc_value_take_num(v, &x);
        return 0;
    }
    if (n > 1 && t[n - 1] == '%' &&
        xc_num_parse(&x, t, n - 1, 0, NULL) == XC_OK) {
        xc_num h;
        xc_num_init(&h);
        xc_num_set_int(&h, 100);
        xc_num_div(&x, &x, &h);
        xc_num_clear(&h);
        xc_value_take_num(v, &x);
        return 0;
    }
    xc_num_clear(&x);
    if (strcasecmp(t, "TRUE") == 0 || strcasecmp(t, "FALSE") == 0) {
        xc_value_set_bool(v, toupper((unsigned char)t[0]) == 'T');
        return 0;
    }
    xc_error e = xc_error_parse(t, n);
    if (e != XC_ERR_NONE) {
        xc_value_set_error(v, e);
        return 0;
    }
    if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
        /* "" inside is one quote */
        xc_buf b;
        xc_buf_init(&b);
        for (size_t i = 1; i + 1 < n; i++) {
            if (t[i] == '"' && t[i + 1] == '"')
                i++;
            xc_buf_putc(&b, t[i]);
        }
        xc_value_set_text(v, b.p ? b.p : "", b.len);
        xc_buf_clear(&b);
        return 0;
    }
    return xc_value_set_text(v, t, n) == XC_OK ? 0 : -1;
}

static int push_undo(session *s, edit *e)
{
    stack_clear(s->redo, &s->nredo);
    if (stack_push(&s->undo, &s->nundo, &s->capundo, e) != 0) {
        edit_free(e);
        return -1;
    }
    s->dirty = 1;
    s->gen++;
    return 0;
}

static int do_set(session *s, char *arg)
{
    char *sp = arg;
    while (*sp && !isspace((unsigned char)*sp))
        sp++;
    if (!*sp) {
        cli_err("set: usage: set CELL VALUE|=FORMULA");
        return -1;
    }
    *sp++ = 0;
    char *content = trim(sp);
    xc_area a;
    if (need_book(s) || parse_area(s, arg, &a))
        return -1;
    if (a.r1 != a.r2 || a.c1 != a.c2) {
        cli_err("set: one cell expected, got a range");
        return -1;
    }
    edit e;
    if (capture(s, &a, &e) != 0) {
        cli_err("set: out of memory");
        return -1;
    }
    int st;
    if (content[0] == '=') {
        xc_formula *f;
        xc_parse_error pe;
        xc_parse_opts o = {s->book, a.sheet, a.r1, a.c1, 0};
        st = xc_formula_parse(&f, content, strlen(content), &o, &pe);
        if (st != XC_OK) {
            if (st == XC_EPARSE)
                cli_err("set: %d:%d: %s", pe.line, pe.col, pe.msg);
            else
                cli_err("set: %s", xc_status_str(st));
            edit_free(&e);
            return -1;
        }
        st = xc_book_set_formula(s->book, a.sheet, a.r1, a.c1, f, NULL);
        xc_formula_release(f);
    } else {
        xc_value v = {0};
        if (parse_constant(content, &v) != 0) {
            cli_err("set: out of memory");
            edit_free(&e);
            return -1;
        }
        st = xc_book_set_value(s->book, a.sheet, a.r1, a.c1, &v);
        xc_value_clear(&v);
    }
    if (st == XC_OK)
        st = xc_book_recalc(s->book);
    if (st != XC_OK) {
        cli_err("set: %s", xc_status_str(st));
        edit_free(&e);
        return -1;
    }
    push_undo(s, &e);
    xc_buf o;
    xc_buf_init(&o);
    cli_value_text(&o, xc_book_get(s->book, a.sheet, a.r1, a.c1), &s->fmt);
    printf("%s\n", o.p ? o.p : "");
    xc_buf_clear(&o);
    return 0;
}

static int do_clear(session *s, const char *arg)
{
    xc_area a;
    if (need_book(s) || parse_area(s, arg, &a))
        return -1;
    edit e;
    if (capture(s, &a, &e) != 0) {
        cli_err("clear: range too large");
        return -1;
    }
    for (uint32_t r = a.r1; r <= a.r2; r++)
        for (uint32_t c = a.c1; c <= a.c2; c++)
            if (xc_book_cell(s->book, a.sheet, r, c) &&
                xc_book_clear_cell(s->book, a.sheet, r, c) != XC_OK) {
                cli_err("clear: out of memory");
                restore(s, &e);
                edit_free(&e);
                return -1;
            }
    xc_book_recalc(s->book);
    push_undo(s, &e);
    return 0;
}

/* Undo and redo swap the content of the recorded cells. */
static int undo_redo(session *s, int redo)
{
    edit *from = redo ? s->redo : s->undo;
    size_t *nfrom = redo ? &s->nredo : &s->nundo;
    if (need_book(s))
        return -1;
    if (!*nfrom) {
        cli_err("nothing to %s", redo ? "redo" : "undo");
        return -1;
    }
    edit e = from[--*nfrom], now;
    /* capture the current state of the same cells */
    now.n = 0;
    now.cells = calloc(e.n ? e.n : 1, sizeof *now.cells);
    if (!now.cells) {
        from[(*nfrom)++] = e;
        cli_err("out of memory");
        return -1;
    }
    for (size_t i = 0; i < e.n; i++) {
        xc_area a = {e.cells[i].sheet, e.cells[i].sheet, e.cells[i].row,
                     e.cells[i].col,   e.cells[i].row,   e.cells[i].col};
        edit one;
        if (capture(s, &a, &one) == 0) {
            now.cells[now.n++] = one.cells[0];
            free(one.cells);
        }
    }
    int st = restore(s, &e);
    edit_free(&e);
    if (redo)
        stack_push(&s->undo, &s->nundo, &s->capundo, &now);
    else
        stack_push(&s->redo, &s->nredo, &s->capredo, &now);
    s->dirty = 1;
    s->gen++;
    if (st != XC_OK) {
        cli_err("%s", xc_status_str(st));
        return -1;
    }
    return 0;
}

static int print_dep(void *ud, const xc_cellpos *p)
{
    session *s = ud;
    char name[32];
    cli_cell_name(name, sizeof name, p->row, p->col);
    printf("  %s!%s\n", xc_book_sheet_name(s->book, p->sheet), name);
    return 0;
}

static int print_prec(void *ud, const xc_area *a)
{
    session *s = ud;
    char n1[32], n2[32];
    cli_cell_name(n1, sizeof n1, a->r1, a->c1);
    if (a->r1 == a->r2 && a->c1 == a->c2) {
        printf("  %s!%s\n", xc_book_sheet_name(s->book, a->sheet), n1);
    } else {
        cli_cell_name(n2, sizeof n2, a->r2, a->c2);
        printf("  %s!%s:%s\n", xc_book_sheet_name(s->book, a->sheet), n1, n2);
    }
    return XC_OK;
}

static int do_graph(session *s, const char *arg, int dependents)
{
    xc_area a;
    if (need_book(s) || parse_area(s, arg, &a))
        return -1;
    if (dependents)
        return xc_book_dependents(s->book, a.sheet, a.r1, a.c1, print_dep, s) ==
                       XC_OK
                   ? 0
                   : -1;
    xc_formula *f = xc_book_formula(s->book, a.sheet, a.r1, a.c1);
    if (!f)
        return 0; /* a constant has no precedents */
    unsigned flags = 0;
    const xc_engine *e = xc_book_engine(s->book);
    int st = e->precedents(xc_book_engine_ctx(s->book), s->book, a.sheet, a.r1,
                           a.c1, f, print_prec, s, &flags);
    if (flags & XC_DEP_DYNAMIC)
        printf("  (plus references computed at evaluation)\n");
    return st == XC_OK ? 0 : -1;
}

static int do_save(session *s, const char *arg)
{
    const char *path = *arg ? arg : s->path;
    if (need_book(s))
        return -1;
    if (!path) {
        cli_err("save: usage: save FILE");
        return -1;
    }
    if (cli_save(s->book, path, s->sheet) != XC_OK)
        return -1;
    s->dirty = 0;
    printf("saved %s\n", path);
    return 0;
}

static int do_format(session *s, const char *arg)
{
    if (strcmp(arg, "general") == 0) {
        s->fmt.exact = 0;
        s->fmt.digits = 0;
    } else if (strcmp(arg, "exact") == 0) {
        s->fmt.exact = 1;
        s->fmt.digits = 0;
    } else if (strncmp(arg, "digits", 6) == 0) {
        int n = atoi(arg + 6);
        if (n < 1 || n > 1000) {
            cli_err("format digits N: N in 1..1000");
            return -1;
        }
        s->fmt.digits = n;
        s->fmt.exact = 0;
    } else {
        cli_err("format: general | exact | digits N");
        return -1;
    }
    return 0;
}

/* Audit the open workbook as it is now (edits included). */
static int do_audit(session *s, const char *arg)
{
    xc_form_settings st;
    xc_audit *a = NULL;
    xc_buf out;
    if (need_book(s))
        return -1;
    xc_form_settings_default(&st);
    if (strcmp(arg, "en") == 0 || strcmp(arg, "--lang en") == 0)
        st.lang = XC_LANG_EN;
    else if (*arg && strcmp(arg, "zh") != 0) {
        cli_err("audit: usage: audit [en]");
        return -1;
    }
    int rc = xc_audit_book(s->book, &st, &a);
    if (rc != XC_OK) {
        cli_err("audit: %s", xc_status_str(rc));
        return -1;
    }
    xc_buf_init(&out);
    rc = xc_audit_text(&out, a, s->path, &st);
    if (rc == XC_OK)
        fputs(out.p ? out.p : "", stdout);
    xc_buf_clear(&out);
    xc_audit_free(a);
    return rc == XC_OK ? 0 : -1;
}

static const char *const command_names[] = {
    "open",  "save",  "sheets",  "use",        "show",       "get",
    "set",   "clear", "explain", "precedents", "dependents", "recalc",
    "undo",  "redo",  "names",   "functions",  "help",       "format",
    "excel", "audit", "quit",    "exit",       NULL};

static const char repl_help[] =
    "commands:\n"
    "  open FILE            save [FILE]          sheets\n"
    "  use SHEET            show [RANGE]         get CELL\n"
    "  set CELL VALUE|=FORMULA                   clear RANGE\n"
    "  =FORMULA             (evaluated in the current sheet, not stored)\n"
    "  explain CELL         precedents CELL      dependents CELL\n"
    "  recalc               undo                 redo\n"
    "  names                functions [CATEGORY] help [COMMAND|FUNCTION]\n"
    "  format general|exact|digits N             excel on|off\n"
    "  audit [en]           quit\n";

/* Run one command line.  Returns 0 ok, -1 failed, 1 quit. */
static int run_line(session *s, char *line)
{
    char *p = trim(line), *arg;
    if (!*p || *p == '#')
        return 0;
    if (*p == '=')
        return do_eval(s, p);
    arg = p;
    while (*arg && !isspace((unsigned char)*arg))
        arg++;
    if (*arg)
        *arg++ = 0;
    arg = trim(arg);
    if (strcmp(p, "quit") == 0 || strcmp(p, "exit") == 0)
        return 1;
    if (strcmp(p, "open") == 0)
        return do_open(s, arg, 0);
    if (strcmp(p, "save") == 0)
        return do_save(s, arg);
    if (strcmp(p, "sheets") == 0) {
        if (need_book(s))
            return -1;
        for (int i = 0; i < xc_book_sheet_count(s->book); i++)
            printf("%c %s\n", i == s->sheet ? '*' : ' ',
                   xc_book_sheet_name(s->book, i));
        return 0;
    }
    if (strcmp(p, "use") == 0) {
        if (need_book(s))
            return -1;
        int i = xc_book_find_sheet(s->book, arg, strlen(arg));
        if (i < 0) {
            cli_err("use: no sheet '%s'", arg);
            return -1;
        }
        s->sheet = i;
        return 0;
    }
    if (strcmp(p, "show") == 0) {
        xc_area a;
        if (need_book(s))
            return -1;
        if (*arg) {
            if (parse_area(s, arg, &a))
                return -1;
        } else {
            uint32_t rows, cols;
            xc_book_sheet_extent(s->book, s->sheet, &rows, &cols);
            if (!rows)
                return 0;
            a = (xc_area){s->sheet, s->sheet, 0, 0, rows - 1, cols - 1};
        }
        return cli_show_area(stdout, s->book, &a, &s->fmt) == XC_OK ? 0 : -1;
    }
    if (strcmp(p, "get") == 0)
        return do_get(s, arg);
    if (strcmp(p, "set") == 0)
        return do_set(s, arg);
    if (strcmp(p, "clear") == 0)
        return do_clear(s, arg);
    if (strcmp(p, "explain") == 0)
        return do_explain(s, arg);
    if (strcmp(p, "precedents") == 0)
        return do_graph(s, arg, 0);
    if (strcmp(p, "dependents") == 0)
        return do_graph(s, arg, 1);
    if (strcmp(p, "recalc") == 0) {
        if (need_book(s))
            return -1;
        int st = xc_book_recalc_all(s->book);
        if (st != XC_OK) {
            cli_err("recalc: %s", xc_status_str(st));
            return -1;
        }
        printf("%zu formulas evaluated\n", xc_book_last_eval_count(s->book));
        return 0;
    }
    if (strcmp(p, "undo") == 0)
        return undo_redo(s, 0);
    if (strcmp(p, "redo") == 0)
        return undo_redo(s, 1);
    if (strcmp(p, "names") == 0) {
        if (need_book(s))
            return -1;
        for (int i = 0; i < xc_book_name_count(s->book); i++) {
            int sh = xc_book_name_sheet(s->book, i);
            printf("%s%s%s = %s\n",
                   sh >= 0 ? xc_book_sheet_name(s->book, sh) : "",
                   sh >= 0 ? "!" : "", xc_book_name_text(s->book, i),
                   xc_book_name_formula(s->book, i));
        }
        return 0;
    }
    if (strcmp(p, "functions") == 0) {
        char *av[] = {"functions", arg, NULL};
        return cmd_functions(*arg ? 2 : 1, av) == EXIT_CLEAN ? 0 : -1;
    }
    if (strcmp(p, "help") == 0) {
        if (!*arg) {
            fputs(repl_help, stdout);
            return 0;
        }
        for (int i = 0; command_names[i]; i++)
            if (strcmp(arg, command_names[i]) == 0) {
                fputs(repl_help, stdout);
                return 0;
            }
        char *av[] = {"help", arg, NULL};
        return cmd_help(2, av) == EXIT_CLEAN ? 0 : -1;
    }
    if (strcmp(p, "format") == 0)
        return do_format(s, arg);
    if (strcmp(p, "excel") == 0) {
        if (strcmp(arg, "on") == 0)
            s->fmt.excel = 1;
        else if (strcmp(arg, "off") == 0)
            s->fmt.excel = 0;
        else {
            cli_err("excel on|off");
            return -1;
        }
        return 0;
    }
    if (strcmp(p, "audit") == 0)
        return do_audit(s, arg);
    cli_err("unknown command '%s' (try: help)", p);
    return -1;
}

/* ---- readline: completion, signals ------------------------------- */

static char *dup_match(const char *prefix, const char *cand, size_t plen)
{
    size_t n = strlen(cand);
    char *m = malloc(plen + n + 1);
    if (m) {
        memcpy(m, prefix, plen);
        memcpy(m + plen, cand, n + 1);
    }
    return m;
}

/* The generator walks commands, functions, sheets and names; `state`
 * is 0 on the first call for a word. */
static char *gen_word(const char *text, int state)
{
    static size_t i, phase;
    static size_t len;
    if (!state) {
        i = 0;
        phase = 0;
        len = strlen(text);
    }
    /* phase 0: commands (only at line start), 1: functions, 2: sheets,
     * 3: names */
    int at_start =
        rl_point - (int)len == 0 ||
        (rl_line_buffer && rl_point >= (int)len &&
         strspn(rl_line_buffer, " ") == (size_t)(rl_point - (int)len));
    for (;;) {
        if (phase == 0) {
            if (at_start)
                while (command_names[i]) {
                    const char *c = command_names[i++];
                    if (strncmp(c, text, len) == 0)
                        return strdup(c);
                }
            phase = 1;
            i = 0;
        } else if (phase == 1) {
            size_t n = xc_fn_count();
            while (i < n) {
                const xc_fn_def *d = xc_fn_at(i++);
                if (len && strncasecmp(d->name, text, len) == 0)
                    return dup_match(d->name, "(", strlen(d->name));
            }
            phase = 2;
            i = 0;
        } else if (phase == 2) {
            int n = S && S->book ? xc_book_sheet_count(S->book) : 0;
            while ((int)i < n) {
                const char *nm = xc_book_sheet_name(S->book, (int)i++);
                if (strncmp(nm, text, len) == 0)
                    return strdup(nm);
            }
            phase = 3;
            i = 0;
        } else if (phase == 3) {
            int n = S && S->book ? xc_book_name_count(S->book) : 0;
            while ((int)i < n) {
                const char *nm = xc_book_name_text(S->book, (int)i++);
                if (len && strncasecmp(nm, text, len) == 0)
                    return strdup(nm);
            }
            return NULL;
        }
    }
}

static char **complete(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1;
    /* a function name ending in "(" is complete: no trailing space */
    rl_completion_append_character = '\0';
    return rl_completion_matches(text, gen_word);
}

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
    got_sigint = 1;
    xc_interrupt_set(1);
    if (S && S->interactive) {
        /* abandon the line being edited */
        write(STDOUT_FILENO, "\n", 1);
        rl_on_new_line();
        rl_replace_line("", 0);
        rl_redisplay();
    }
}

static char *history_path(void)
{
    const char *h = getenv("EXACALC_HISTORY");
    if (h)
        return strdup(h);
    const char *home = getenv("HOME");
    if (!home)
        return NULL;
    size_t n = strlen(home) + 32;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/.exacalc_history", home);
    return p;
}

/* Split "a; b; c" into commands (semicolons inside quotes are kept). */
static int run_list(session *s, const char *list, int *failed)
{
    char *copy = strdup(list), *p = copy, *start = copy;
    int inq = 0, rc = 0;
    if (!copy)
        return -1;
    for (;; p++) {
        if (*p == '"')
            inq = !inq;
        if ((*p == ';' && !inq) || !*p) {
            int end = !*p;
            *p = 0;
            int r = run_line(s, start);
            fflush(stdout);
            if (r < 0)
                *failed = 1;
            if (r == 1 || end) {
                rc = r == 1;
                break;
            }
            start = p + 1;
        }
    }
    free(copy);
    return rc;
}

int cmd_repl(int argc, char **argv)
{
    session s = {0};
    const char *file = NULL, *cmds = NULL;
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            cmds = argv[++i];
        else if (!file)
            file = argv[i];
        else {
            cli_err("repl: unexpected argument '%s'", argv[i]);
            return EXIT_BAD;
        }
    }
    S = &s;
    s.interactive = isatty(STDIN_FILENO) && !cmds;
    if (file && do_open(&s, file, !s.interactive) != 0) {
        if (!s.interactive)
            return EXIT_BAD;
        failed = 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);

    if (cmds) {
        run_list(&s, cmds, &failed);
    } else if (!s.interactive) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            xc_interrupt_set(0);
            int r = run_line(&s, line);
            fflush(stdout);
            if (r < 0)
                failed = 1;
            if (r == 1)
                break;
        }
        free(line);
    } else {
        char *hist = history_path();
        rl_readline_name = "exacalc";
        rl_attempted_completion_function = complete;
        rl_basic_word_break_characters = " \t\n=(,;:+-*/^&<>!\"";
        rl_catch_signals = 0;
        using_history();
        if (hist)
            read_history(hist);
        for (;;) {
            got_sigint = 0;
            xc_interrupt_set(0);
            char *line = readline("exacalc> ");
            if (!line) {
                if (s.dirty) {
                    char *ans = readline("\nunsaved edits: quit anyway? "
                                         "(y/n) ");
                    int yes = ans && (ans[0] == 'y' || ans[0] == 'Y');
                    free(ans);
                    if (!yes)
                        continue;
                } else {
                    putchar('\n');
                }
                break;
            }
            if (*trim(line))
                add_history(line);
            int r = run_line(&s, line);
            free(line);
            if (got_sigint && r < 0)
                printf("interrupted\n");
            if (r == 1)
                break;
        }
        if (hist) {
            write_history(hist);
            history_truncate_file(hist, 1000);
            free(hist);
        }
    }
    stack_clear(s.undo, &s.nundo);
    stack_clear(s.redo, &s.nredo);
    free(s.undo);
    free(s.redo);
    xc_book_free(s.book);
    xc_book_free(s.xv);
    free(s.path);
    S = NULL;
    return failed ? EXIT_BAD : EXIT_CLEAN;
}
