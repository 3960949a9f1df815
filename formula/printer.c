/* printer.c - canonical formula text from a syntax tree, placed at a
 * cell.
 *
 * Relative references are shifted to the print position, which is how
 * shared formulas are translated (ECMA-376 18.3.1.40); coordinates that
 * fall off the sheet print as #REF!.  Parentheses appear where the
 * source had them (XN_PAREN) and where precedence requires them, so
 * printing a parsed tree gives text that parses back to the same tree.
 */
#include <string.h>
#include <strings.h>
#include "formula_int.h"

typedef struct pctx {
    xc_buf *out;
    const xc_book *b;
    uint32_t row, col;
    /* file form (xc_formula_print_file); the LET/LAMBDA names in scope
     * (calls of them keep their case; in file form they get Excel's
     * _xlpm. prefix) */
    int file;
    const char **scope;
    int nscope, capscope;
    size_t limit; /* stop once out holds more than this (0: never) */
} pctx;

#define TRY(x)                                                                 \
    do {                                                                       \
        int st_ = (x);                                                         \
        if (st_ != XC_OK)                                                      \
            return st_;                                                        \
    } while (0)

/* Binding strength of a node as an operand (higher binds tighter);
 * matches the parser's priority table. */
static int strength(const xc_node *n)
{
    switch (n->kind) {
    case XN_BINOP:
        switch (n->u.op.op) {
        case XOP_RANGE:
            return 10;
        case XOP_ISECT:
            return 9;
        case XOP_UNION:
            return 8;
        case XOP_POW:
            return 5;
        case XOP_MUL:
        case XOP_DIV:
            return 4;
        case XOP_ADD:
        case XOP_SUB:
            return 3;
        case XOP_CAT:
            return 2;
        default:
            return 1;
        }
    case XN_UNOP:
        return n->u.op.op == XOP_PERCENT ? 6 : 7;
    case XN_NUM:
        return xc_num_sign(&n->u.num) < 0 ? 7 : 100;
    default:
        return 100;
    }
}

static int pr(pctx *c, const xc_node *n, int inargs, int quote);

static int pr_wrapped(pctx *c, const xc_node *n, int wrap, int inargs,
                      int quote)
{
    if (!wrap)
        return pr(c, n, inargs, quote);
    TRY(xc_buf_putc(c->out, '('));
    TRY(pr(c, n, 0, 0));
    return xc_buf_putc(c->out, ')');
}

static int put_quoted(xc_buf *out, const char *s, size_t n, char q)
{
    TRY(xc_buf_putc(out, q));
    for (size_t i = 0; i < n; i++) {
        if (s[i] == q)
            TRY(xc_buf_putc(out, q));
        TRY(xc_buf_putc(out, s[i]));
    }
    return xc_buf_putc(out, q);
}

/* "Sheet1!", "'Sheet 2'!", "Sheet1:Sheet3!" for a sheet index (-1:
 * none).  Returns 1 when the sheet no longer exists. */
static int pr_sheet(pctx *c, int32_t s1, int32_t s2, int force, int *gone)
{
    const char *a, *b = NULL;
    int n = c->b ? xc_book_sheet_count(c->b) : 0;

    *gone = 0;
    if (s1 < 0)
        return XC_OK;
    if (s1 >= n || s2 < 0 || s2 >= n) {
        *gone = 1;
        return XC_OK;
    }
    a = xc_book_sheet_name(c->b, s1);
    if (s2 != s1)
        b = xc_book_sheet_name(c->b, s2);
    if (!a || (s2 != s1 && !b)) {
        *gone = 1;
        return XC_OK;
    }
    if (force || !xc_lex_plain_sheet(a, strlen(a)) ||
        (b && !xc_lex_plain_sheet(b, strlen(b)))) {
        TRY(xc_buf_putc(c->out, '\''));
        for (const char *p = a; *p; p++) {
            if (*p == '\'')
                TRY(xc_buf_putc(c->out, '\''));
            TRY(xc_buf_putc(c->out, *p));
        }
        if (b) {
            TRY(xc_buf_putc(c->out, ':'));
            for (const char *p = b; *p; p++) {
                if (*p == '\'')
                    TRY(xc_buf_putc(c->out, '\''));
                TRY(xc_buf_putc(c->out, *p));
            }
        }
        TRY(xc_buf_putc(c->out, '\''));
    } else {
        TRY(xc_buf_puts(c->out, a));
        if (b) {
            TRY(xc_buf_putc(c->out, ':'));
            TRY(xc_buf_puts(c->out, b));
        }
    }
    return xc_buf_putc(c->out, '!');
}

static int64_t at(int32_t v, int abs, uint32_t origin, uint32_t max)
{
    int64_t x = abs ? (int64_t)v : (int64_t)origin + v;
    return (x < 0 || x >= (int64_t)max) ? -1 : x;
}

static int pr_col(xc_buf *out, int abs, int64_t col)
{
    char t[8];
    int k = (int)sizeof t;
    col++;
    while (col > 0) {
        t[--k] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    if (abs)
        TRY(xc_buf_putc(out, '$'));
    return xc_buf_put(out, t + k, sizeof t - (size_t)k);
}

static int pr_row(xc_buf *out, int abs, int64_t row)
{
    return xc_buf_printf(out, "%s%lld", abs ? "$" : "", (long long)row + 1);
}

/* trim: XC_TRIM_* flags, printed as the trim-reference operator. */
static int pr_ref(pctx *c, const xc_refnode *r, int quote, unsigned trim)
{
    const xc_refpt *p[2] = {&r->a, &r->b};
    int64_t rows[2] = {0, 0}, cols[2] = {0, 0};
    int ends = r->kind == XR_CELL ? 1 : 2, gone, off = 0;
    size_t mark = c->out->len;

    for (int i = 0; i < ends; i++) {
        if (r->kind != XR_COLS)
            rows[i] =
                at(p[i]->row, p[i]->flags & XC_RF_ROW_ABS, c->row, XC_MAX_ROWS);
        if (r->kind != XR_ROWS)
            cols[i] =
                at(p[i]->col, p[i]->flags & XC_RF_COL_ABS, c->col, XC_MAX_COLS);
        off |= rows[i] < 0 || cols[i] < 0;
    }
    TRY(pr_sheet(c, r->sheet, r->sheet2, quote, &gone));
    if (gone) {
        c->out->len = mark;
        c->out->p[mark] = 0;
        return xc_buf_puts(c->out, "#REF!");
    }
    if (off)
        return xc_buf_puts(c->out, "#REF!");
    for (int i = 0; i < ends; i++) {
        if (i && (trim & XC_TRIM_LEADING))
            TRY(xc_buf_putc(c->out, '.'));
        if (i)
            TRY(xc_buf_putc(c->out, ':'));
        if (i && (trim & XC_TRIM_TRAILING))
            TRY(xc_buf_putc(c->out, '.'));
        if (r->kind != XR_ROWS)
            TRY(pr_col(c->out, p[i]->flags & XC_RF_COL_ABS, cols[i]));
        if (r->kind != XR_COLS)
            TRY(pr_row(c->out, p[i]->flags & XC_RF_ROW_ABS, rows[i]));
    }
    return XC_OK;
}

/* Function name as written, upper-cased, with prefixes such as _xlfn.
 * and _xlws. kept in their usual lower case. */
static int pr_fname(xc_buf *out, const char *s)
{
    /* a LET or LAMBDA name called: _xlpm.f(2) keeps the name's case */
    if (strncasecmp(s, "_xlpm.", 6) == 0) {
        TRY(xc_buf_puts(out, "_xlpm."));
        return xc_buf_puts(out, s + 6);
    }
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t k;
        int pre = dot && dot - s > 3 && s[0] == '_' && (s[1] | 0x20) == 'x' &&
                  (s[2] | 0x20) == 'l';
        for (k = 1; pre && s + k < dot; k++)
            if (!((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))
                pre = 0;
        if (!pre)
            break;
        for (; s <= dot; s++) {
            char ch = *s;
            TRY(xc_buf_putc(out, ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
        }
    }
    for (; *s; s++) {
        char ch = *s;
        TRY(xc_buf_putc(out, ch >= 'a' && ch <= 'z' ? ch - 32 : ch));
    }
    return XC_OK;
}

static int pr_value(xc_buf *out, const xc_value *v)
{
    switch (v->type) {
    case XC_NUMBER:
        return xc_num_format(out, &v->u.num, XC_FMT_SOURCE);
    case XC_TEXT:
        return put_quoted(out, v->u.str->s, v->u.str->len, '"');
    case XC_BOOL:
        return xc_buf_puts(out, v->u.b ? "TRUE" : "FALSE");
    case XC_ERROR:
        return xc_buf_puts(out, xc_error_name((xc_error)v->err));
    default:
        return XC_OK;
    }
}

static int pr_array(xc_buf *out, const xc_array *a)
{
    TRY(xc_buf_putc(out, '{'));
    for (uint32_t i = 0; i < a->rows; i++) {
        if (i)
            TRY(xc_buf_putc(out, ';'));
        for (uint32_t j = 0; j < a->cols; j++) {
            if (j)
                TRY(xc_buf_putc(out, ','));
            TRY(pr_value(out, &a->v[(size_t)i * a->cols + j]));
        }
    }
    return xc_buf_putc(out, '}');
}

static const char *op_text(int op)
{
    switch (op) {
    case XOP_ADD:
        return "+";
    case XOP_SUB:
        return "-";
    case XOP_MUL:
        return "*";
    case XOP_DIV:
        return "/";
    case XOP_POW:
        return "^";
    case XOP_CAT:
        return "&";
    case XOP_EQ:
        return "=";
    case XOP_NE:
        return "<>";
    case XOP_LT:
        return "<";
    case XOP_LE:
        return "<=";
    case XOP_GT:
        return ">";
    case XOP_GE:
        return ">=";
    case XOP_RANGE:
        return ":";
    case XOP_UNION:
        return ",";
    case XOP_ISECT:
        return " ";
    default:
        return "?";
    }
}

/* Does n print ending in an unprefixed name?  Then "X:Sheet2!A1"
 * would read as a 3-D prefix X:Sheet2, so the right side of ':' gets
 * its sheet quoted. */
static int ends_with_name(const xc_node *n)
{
    if (n->kind == XN_NAME)
        return n->u.name.sheet < 0;
    if (n->kind == XN_BINOP)
        return ends_with_name(n->u.op.b);
    if (n->kind == XN_UNOP && n->u.op.op != XOP_PERCENT)
        return ends_with_name(n->u.op.a);
    return 0;
}

/* File form: functions Excel writes with the _xlfn. prefix that this
 * printer adds when the source lacked it (the LAMBDA family and LET). */
static int needs_xlfn(const xc_node *n)
{
    static const char *const names[] = {
        "BYCOL",     "BYROW",        "ISOMITTED",    "LAMBDA", "LET",
        "MAKEARRAY", "MAP",          "REDUCE",       "SCAN",   "TRIMRANGE",
        "_TRO_ALL",  "_TRO_LEADING", "_TRO_TRAILING"};
    if (!n->u.fn.def || strncasecmp(n->u.fn.name, "_xl", 3) == 0)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(n->u.fn.def->name, names[i]) == 0)
            return 1;
    return 0;
}

/* Does a name _xlop.b print as [b] that reads back as the same name?
 * (Not when b is no name by itself, as in _xlop.1.) */
static int bracket_name(const char *name)
{
    char tmp[260];
    size_t n = strlen(name);
    xc_lexer lx;
    if (strncasecmp(name, "_xlop.", 6) != 0 || n - 6 + 2 >= sizeof tmp)
        return 0;
    tmp[0] = '[';
    memcpy(tmp + 1, name + 6, n - 6);
    tmp[n - 5] = ']';
    xc_lex_init(&lx, tmp, n - 4, 0);
    return lx.tok.t == XT_NAME && lx.tok.optional && lx.tok.len == n - 4;
}

/* The trim-reference operator a call stands for (XC_TRIM_* flags), or
 * 0: _TRO_ALL(A1:C9) shows as A1.:.C9 when its argument is a range
 * written as one. */
static unsigned trim_op(const xc_node *n)
{
    const char *name = n->u.fn.def ? n->u.fn.def->name : "";
    const xc_node *a = n->u.fn.nargs == 1 ? n->u.fn.args[0] : NULL;
    if (!a || a->kind != XN_REF || a->u.ref.kind == XR_CELL)
        return 0;
    if (!strcmp(name, "_TRO_ALL"))
        return XC_TRIM_LEADING | XC_TRIM_TRAILING;
    if (!strcmp(name, "_TRO_LEADING"))
        return XC_TRIM_LEADING;
    if (!strcmp(name, "_TRO_TRAILING"))
        return XC_TRIM_TRAILING;
    return 0;
}

/* Is this unprefixed name bound by an enclosing LET/LAMBDA? */
static int in_scope(const pctx *c, const char *name)
{
    if (strncasecmp(name, "_xl", 3) == 0)
        return 0;
    for (int i = c->nscope; i-- > 0;) {
        const char *b = c->scope[i];
        if (strncasecmp(b, "_xlpm.", 6) == 0 ||
            strncasecmp(b, "_xlop.", 6) == 0)
            b += 6;
        if (xc_text_cmp_ci(b, strlen(b), name, strlen(name)) == 0)
            return 1;
    }
    return 0;
}

static int scope_push(pctx *c, const xc_node *arg)
{
    if (arg->kind != XN_NAME || arg->u.name.sheet >= 0)
        return XC_OK;
    if (c->nscope == c->capscope) {
        int cap = c->capscope ? 2 * c->capscope : 8;
        const char **p = xc_realloc(c->scope, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        c->scope = p;
        c->capscope = cap;
    }
    c->scope[c->nscope++] = arg->u.name.text;
    return XC_OK;
}

/* Print n.  inargs: n is (part of) a function argument, where a bare
 * ',' would separate arguments, so unions get parentheses.  quote: the
 * node is the right side of ':' and its sheet name must be quoted
 * (else "X:Sheet2!A1" would read as a 3-D prefix). */
static int pr(pctx *c, const xc_node *n, int inargs, int quote)
{
    xc_buf *out = c->out;
    int gone, p;

    if (c->limit && out->len > c->limit)
        return XC_ELIMIT; /* xc_node_print_max cuts the text here */

    switch (n->kind) {
    case XN_NUM:
        return xc_num_format(out, &n->u.num, XC_FMT_SOURCE);
    case XN_STR:
        return put_quoted(out, n->u.str->s, n->u.str->len, '"');
    case XN_BOOL:
        return xc_buf_puts(out, n->u.b ? "TRUE" : "FALSE");
    case XN_ERR:
        return xc_buf_puts(out, xc_error_name(n->u.err));
    case XN_ARRAY:
        return pr_array(out, n->u.arr);
    case XN_REF:
        return pr_ref(c, &n->u.ref, quote, 0);
    case XN_NAME: {
        size_t mark = out->len;
        TRY(pr_sheet(c, n->u.name.sheet, n->u.name.sheet, quote, &gone));
        if (gone) {
            out->len = mark;
            out->p[mark] = 0;
            return xc_buf_puts(out, "#REF!");
        }
        if (n->u.name.eta && xc_eta_def(n->u.name.text)) {
            /* a built-in function passed by name: SUM, _xleta.SUM in
             * files */
            if (c->file || strncasecmp(n->u.name.text, "_xleta.", 7) == 0)
                TRY(xc_buf_puts(out, "_xleta."));
            return xc_buf_puts(out, xc_eta_def(n->u.name.text)->name);
        }
        if (c->file && n->u.name.sheet < 0 && in_scope(c, n->u.name.text))
            TRY(xc_buf_puts(out, "_xlpm."));
        /* an optional LAMBDA parameter shows as [b], is _xlop.b in files */
        if (!c->file && n->u.name.sheet < 0 && bracket_name(n->u.name.text)) {
            TRY(xc_buf_putc(out, '['));
            TRY(xc_buf_puts(out, n->u.name.text + 6));
            return xc_buf_putc(out, ']');
        }
        return xc_buf_puts(out, n->u.name.text);
    }
    case XN_FUNC: {
        int first = 0, saved = c->nscope, binds = 0;
        if (!c->file && trim_op(n))
            return pr_ref(c, &n->u.fn.args[0]->u.ref, quote, trim_op(n));
        if (n->u.fn.name) {
            if (c->file && needs_xlfn(n))
                TRY(xc_buf_puts(out, "_xlfn."));
            /* a call of a LET/LAMBDA name keeps the name's case */
            if (!n->u.fn.def && in_scope(c, n->u.fn.name)) {
                if (c->file)
                    TRY(xc_buf_puts(out, "_xlpm."));
                TRY(xc_buf_puts(out, n->u.fn.name));
            } else {
                TRY(pr_fname(out, n->u.fn.name));
            }
            if (n->u.fn.def && !strcmp(n->u.fn.def->name, "LET"))
                binds = 2;
            if (n->u.fn.def && !strcmp(n->u.fn.def->name, "LAMBDA"))
                for (int i = 0; i + 1 < n->u.fn.nargs; i++)
                    TRY(scope_push(c, n->u.fn.args[i]));
        } else if (n->u.fn.nargs > 0) {
            /* a call of an expression's value: LAMBDA(x,x+1)(2) */
            const xc_node *callee = n->u.fn.args[0];
            TRY(pr_wrapped(c, callee,
                           callee->kind != XN_FUNC && callee->kind != XN_PAREN,
                           0, 0));
            first = 1;
        }
        TRY(xc_buf_putc(out, '('));
        for (int i = first; i < n->u.fn.nargs; i++) {
            if (i > first)
                TRY(xc_buf_putc(out, ','));
            /* a LET name is in scope after its value; scope_push skips
             * what is not a name (LET(,1,x)), so undo only a real push */
            int name = binds && i % 2 == 0 && i + 1 < n->u.fn.nargs;
            int pushed = c->nscope;
            if (name)
                TRY(scope_push(c, n->u.fn.args[i]));
            pushed = c->nscope > pushed;
            TRY(pr(c, n->u.fn.args[i], 1, 0));
            if (pushed)
                c->nscope--;
            if (binds && i % 2 == 1)
                TRY(scope_push(c, n->u.fn.args[i - 1]));
        }
        c->nscope = saved;
        return xc_buf_putc(out, ')');
    }
    case XN_MISSING:
        return XC_OK;
    case XN_PAREN:
        return pr_wrapped(c, n->u.op.a, 1, 0, 0);
    case XN_UNOP:
        p = strength(n);
        if (n->u.op.op == XOP_PERCENT) {
            TRY(pr_wrapped(c, n->u.op.a, strength(n->u.op.a) < p, inargs, 0));
            return xc_buf_putc(out, '%');
        }
        TRY(xc_buf_putc(out, n->u.op.op == XOP_NEG ? '-' : '+'));
        return pr_wrapped(c, n->u.op.a, strength(n->u.op.a) < p, inargs, 0);
    case XN_BINOP:
        p = strength(n);
        if (n->u.op.op == XOP_UNION && inargs)
            return pr_wrapped(c, n, 1, 0, 0);
        TRY(pr_wrapped(c, n->u.op.a, strength(n->u.op.a) < p, inargs, 0));
        /* a name ending in '.' before ':' would read back as the
           trim-reference operator ".:" (Sme2. :A1 is not Sme2.:A1) */
        if (n->u.op.op == XOP_RANGE && out->len && out->p[out->len - 1] == '.')
            TRY(xc_buf_putc(out, ' '));
        TRY(xc_buf_puts(out, op_text(n->u.op.op)));
        return pr_wrapped(c, n->u.op.b, strength(n->u.op.b) <= p, inargs,
                          n->u.op.op == XOP_RANGE && ends_with_name(n->u.op.a));
    default:
        return XC_EINVAL;
    }
}

static int node_print(xc_buf *out, const xc_node *n, const xc_book *b,
                      uint32_t row, uint32_t col, int file)
{
    pctx c = {out, b, row, col, file, NULL, 0, 0, 0};
    size_t mark = out->len;
    int st;

    if (!n)
        return XC_EINVAL;
    if (xc_buf_reserve(out, 0) != XC_OK)
        return XC_ENOMEM;
    st = pr(&c, n, 0, 0);
    xc_free(c.scope);
    if (st != XC_OK && out->p) {
        out->len = mark;
        out->p[mark] = 0;
    }
    return st;
}

/* Print one node at (sheet,row,col); on failure out is unchanged. */
int xc_node_print(xc_buf *out, const xc_node *n, const xc_book *b, int sheet,
                  uint32_t row, uint32_t col)
{
    (void)sheet;
    return node_print(out, n, b, row, col, 0);
}

int xc_node_print_max(xc_buf *out, const xc_node *n, const xc_book *b,
                      int sheet, uint32_t row, uint32_t col, size_t max)
{
    pctx c = {out, b, row, col, 0, NULL, 0, 0, 0};
    size_t mark = out->len;
    int st;

    (void)sheet;
    if (!n)
        return XC_EINVAL;
    if (xc_buf_reserve(out, 0) != XC_OK)
        return XC_ENOMEM;
    c.limit = mark + (max ? max : 1);
    st = pr(&c, n, 0, 0);
    xc_free(c.scope);
    if (st == XC_ELIMIT && out->len > c.limit) {
        size_t k = c.limit; /* back to the start of a character */
        while (k > mark && ((unsigned char)out->p[k] & 0xC0) == 0x80)
            k--;
        out->len = k;
        out->p[k] = 0;
        st = xc_buf_puts(out, "\xe2\x80\xa6"); /* … */
    }
    if (st != XC_OK && out->p) {
        out->len = mark;
        out->p[mark] = 0;
    }
    return st;
}

int xc_formula_print(xc_buf *out, const xc_formula *f, const xc_book *b,
                     int sheet, uint32_t row, uint32_t col)
{
    if (!f)
        return XC_EINVAL;
    return xc_node_print(out, f->root, b, sheet, row, col);
}

/* The form Excel stores in files: as xc_formula_print, and the LAMBDA
 * family (and LET) get their _xlfn. prefix and the names they bind
 * _xlpm., where the source text lacked them. */
int xc_formula_print_file(xc_buf *out, const xc_formula *f, const xc_book *b,
                          int sheet, uint32_t row, uint32_t col)
{
    (void)sheet;
    if (!f)
        return XC_EINVAL;
    return node_print(out, f->root, b, row, col, 1);
}
