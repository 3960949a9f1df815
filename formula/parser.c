/* parser.c - Excel formula text to a position-independent syntax tree.
 *
 * Precedence climbing over the tokens of lexer.c, with a {left,right}
 * priority table (Lua's lparser.c shape).  Lowest to highest:
 * comparisons, &, + -, * /, ^, % (postfix), unary - +, then the
 * reference operators union ',', intersection ' ' and range ':'.
 * The first error is recorded in the parse state (with its byte offset,
 * turned into line:column at the end) and the parser unwinds by
 * returning NULL; partial trees are freed on the way out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "formula_int.h"

#define UNARY_PRIO 7
#define MAX_RECURSION 512 /* unary chains and nested operands */

/* clang-format off */
static const struct {
    uint8_t left, right;
} prio[] = {
    [XOP_ADD] = {3, 3},   [XOP_SUB] = {3, 3},
    [XOP_MUL] = {4, 4},   [XOP_DIV] = {4, 4},
    [XOP_POW] = {5, 5},   /* left-associative: 2^3^2 = 64 */
    [XOP_CAT] = {2, 2},
    [XOP_EQ] = {1, 1},    [XOP_NE] = {1, 1},
    [XOP_LT] = {1, 1},    [XOP_LE] = {1, 1},
    [XOP_GT] = {1, 1},    [XOP_GE] = {1, 1},
    [XOP_RANGE] = {10, 10},
    [XOP_UNION] = {8, 8},
    [XOP_ISECT] = {9, 9},
    [XOP_PERCENT] = {6, 0},
};
/* clang-format on */

typedef struct pstate {
    xc_lexer lx;
    const xc_parse_opts *o;
    xc_formula *f;
    int status;    /* first error: XC_EPARSE or XC_ENOMEM */
    uint32_t epos; /* its byte offset */
    char msg[200];
    int depth;  /* parentheses and calls */
    int rdepth; /* recursion guard */
    /* names bound by the LET and LAMBDA calls being parsed (pointers
     * into their name nodes): a call of one, f(2), is no unknown
     * function */
    const char **bound;
    int nbound, capbound;
} pstate;

static void fail(pstate *ps, uint32_t pos, const char *fmt, ...)
    XC_PRINTF(3, 4);

/* Record the first error only; later ones are consequences. */
static void fail(pstate *ps, uint32_t pos, const char *fmt, ...)
{
    va_list ap;
    if (ps->status)
        return;
    ps->status = XC_EPARSE;
    ps->epos = pos;
    va_start(ap, fmt);
    vsnprintf(ps->msg, sizeof ps->msg, fmt, ap);
    va_end(ap);
}

static void oom(pstate *ps)
{
    if (!ps->status) {
        ps->status = XC_ENOMEM;
        ps->epos = ps->lx.tok.pos;
        snprintf(ps->msg, sizeof ps->msg, "out of memory");
    }
}

static void next(pstate *ps)
{
    xc_lex_next(&ps->lx);
}

static xc_node *node_new(pstate *ps, int kind, uint32_t pos)
{
    xc_node *n = xc_calloc(1, sizeof *n);
    if (!n) {
        oom(ps);
        return NULL;
    }
    n->kind = (uint8_t)kind;
    n->pos = pos;
    return n;
}

static xc_node *op_node(pstate *ps, int kind, int op, uint32_t pos, xc_node *a,
                        xc_node *b)
{
    xc_node *n = node_new(ps, kind, pos);
    if (!n) {
        xc_node_free(a);
        xc_node_free(b);
        return NULL;
    }
    n->u.op.op = op;
    n->u.op.a = a;
    n->u.op.b = b;
    return n;
}

/* Can this operand denote a reference (for ':' ',' ' ')? Functions may
 * return references (INDEX, OFFSET, INDIRECT); names may hold ranges. */
static int refish(const xc_node *n)
{
    switch (n->kind) {
    case XN_REF:
    case XN_NAME:
    case XN_FUNC:
        return 1;
    case XN_ERR:
        return n->u.err == XC_ERR_REF;
    case XN_PAREN:
        return refish(n->u.op.a);
    case XN_BINOP:
        return n->u.op.op == XOP_RANGE || n->u.op.op == XOP_UNION ||
               n->u.op.op == XOP_ISECT;
    default:
        return 0;
    }
}

/* Tokens that may start the right operand of an intersection. */
static int starts_ref(const xc_token *t)
{
    return t->t == XT_REF || t->t == XT_NAME || t->t == XT_FUNC ||
           t->t == XT_LPAREN || (t->t == XT_ERR && t->err == XC_ERR_REF);
}

/* Sheet name span as written (quoted: '' undoubled) -> book index, or
 * -1.  `name` receives the undoubled text for messages. */
static int find_sheet(pstate *ps, uint32_t pos, uint32_t len, int quoted,
                      char *name, size_t cap)
{
    const char *s = ps->lx.s + pos;
    size_t k = 0;
    for (uint32_t i = 0; i < len && k + 1 < cap; i++) {
        name[k++] = s[i];
        if (quoted && s[i] == '\'' && i + 1 < len && s[i + 1] == '\'')
            i++;
    }
    name[k] = 0;
    if (!ps->o->book || k + 1 >= cap)
        return -1;
    return xc_book_find_sheet(ps->o->book, name, k);
}

/* Resolve a token's sheet prefix into sh[0..1].  Returns 1 when done,
 * 0 when the reference must become #REF! (unknown sheet in a file),
 * -1 on error. */
static int token_sheets(pstate *ps, const xc_token *t, int32_t sh[2])
{
    char name[256];
    sh[0] = sh[1] = -1;
    if (!t->sheets)
        return 1;
    if ((ps->o->flags & XC_FP_NOBOOK) || !ps->o->book) {
        fail(ps, t->pos, "sheet reference without a workbook");
        return -1;
    }
    sh[0] = find_sheet(ps, t->sh1, t->sh1len, t->quoted, name, sizeof name);
    if (sh[0] >= 0 && t->sheets == 2)
        sh[1] = find_sheet(ps, t->sh2, t->sh2len, t->quoted, name, sizeof name);
    else
        sh[1] = sh[0];
    if (sh[0] >= 0 && sh[1] >= 0)
        return 1;
    if (ps->o->flags & XC_FP_FILE)
        return 0;
    fail(ps, t->pos, "unknown sheet '%s'", name);
    return -1;
}

static xc_node *err_node(pstate *ps, uint32_t pos, xc_error e)
{
    xc_node *n = node_new(ps, XN_ERR, pos);
    if (n)
        n->u.err = e;
    return n;
}

/* Make a point relative to the origin unless it is absolute. */
static void relative(xc_refpt *pt, const xc_parse_opts *o)
{
    if (!(pt->flags & XC_RF_ROW_ABS))
        pt->row = (int32_t)((int64_t)pt->row - (int64_t)o->row);
    if (!(pt->flags & XC_RF_COL_ABS))
        pt->col = (int32_t)((int64_t)pt->col - (int64_t)o->col);
}

/* A reference written with a trim-reference operator (A1.:.C9) is the
 * call Excel stores in files, _xlfn._TRO_ALL(A1:C9) (_TRO_LEADING,
 * _TRO_TRAILING); the printer shows it with the operator again.  Takes
 * ref. */
static xc_node *trim_call(pstate *ps, xc_node *ref, unsigned trim)
{
    const char *name = trim == XC_TRIM_LEADING    ? "_xlfn._TRO_LEADING"
                       : trim == XC_TRIM_TRAILING ? "_xlfn._TRO_TRAILING"
                                                  : "_xlfn._TRO_ALL";
    xc_node *n = node_new(ps, XN_FUNC, ref->pos);
    if (n) {
        n->u.fn.name = xc_strndup(name, strlen(name));
        n->u.fn.args = xc_malloc(sizeof *n->u.fn.args);
    }
    if (!n || !n->u.fn.name || !n->u.fn.args) {
        if (n)
            oom(ps);
        xc_node_free(n);
        xc_node_free(ref);
        return NULL;
    }
    n->u.fn.def = xc_fn_find(name, strlen(name));
    n->u.fn.args[0] = ref;
    n->u.fn.nargs = 1;
    return n;
}

static xc_node *ref_node(pstate *ps)
{
    const xc_token *t = &ps->lx.tok;
    int32_t sh[2];
    int r = token_sheets(ps, t, sh);
    unsigned trim = t->trim;
    xc_node *n;

    if (r < 0)
        return NULL;
    if (r == 0) {
        n = err_node(ps, t->pos, XC_ERR_REF);
        next(ps);
        return n;
    }
    if (!(n = node_new(ps, XN_REF, t->pos)))
        return NULL;
    n->u.ref = t->ref;
    n->u.ref.quoted = t->quoted;
    n->u.ref.sheet = sh[0];
    n->u.ref.sheet2 = sh[1];
    relative(&n->u.ref.a, ps->o);
    relative(&n->u.ref.b, ps->o);
    /* Whole columns ignore rows and whole rows ignore columns. */
    if (n->u.ref.kind == XR_COLS) {
        n->u.ref.a.row = n->u.ref.b.row = 0;
        n->u.ref.a.flags &= (uint8_t)~XC_RF_ROW_ABS;
        n->u.ref.b.flags &= (uint8_t)~XC_RF_ROW_ABS;
    } else if (n->u.ref.kind == XR_ROWS) {
        n->u.ref.a.col = n->u.ref.b.col = 0;
        n->u.ref.a.flags &= (uint8_t)~XC_RF_COL_ABS;
        n->u.ref.b.flags &= (uint8_t)~XC_RF_COL_ABS;
    }
    next(ps);
    return trim ? trim_call(ps, n, trim) : n;
}

static xc_node *name_node(pstate *ps)
{
    const xc_token *t = &ps->lx.tok;
    int32_t sh[2];
    int r = token_sheets(ps, t, sh);
    xc_node *n;

    if (r < 0)
        return NULL;
    if (r == 0) {
        n = err_node(ps, t->pos, XC_ERR_REF);
        next(ps);
        return n;
    }
    if (!(n = node_new(ps, XN_NAME, t->pos)))
        return NULL;
    n->u.name.sheet = sh[0];
    if (t->optional) { /* [b] is stored as in files: _xlop.b */
        n->u.name.text = xc_malloc(t->nlen + 7);
        if (n->u.name.text) {
            memcpy(n->u.name.text, "_xlop.", 6);
            memcpy(n->u.name.text + 6, ps->lx.s + t->npos, t->nlen);
            n->u.name.text[t->nlen + 6] = 0;
        }
    } else {
        n->u.name.text = xc_strndup(ps->lx.s + t->npos, t->nlen);
    }
    if (!n->u.name.text) {
        xc_node_free(n);
        oom(ps);
        return NULL;
    }
    /* _xleta.SUM: a built-in function as a value, wherever it stands */
    if (sh[0] < 0 && strncasecmp(n->u.name.text, "_xleta.", 7) == 0)
        n->u.name.eta = xc_eta_def(n->u.name.text) != NULL;
    next(ps);
    return n;
}

static int parse_num(pstate *ps, xc_num *x)
{
    const xc_token *t = &ps->lx.tok;
    unsigned fl = (ps->o->flags & XC_FP_FILE) ? XC_PARSE_RECOVER15 : 0;
    int st;

    xc_num_init(x);
    st = xc_num_parse(x, ps->lx.s + t->pos, t->len, fl, NULL);
    if (st == XC_OK)
        return 0;
    if (st == XC_ENOMEM)
        oom(ps);
    else if (st == XC_ELIMIT)
        fail(ps, t->pos, "number out of range");
    else
        fail(ps, t->pos, "malformed number");
    return -1;
}

/* The text of a "..." token with "" undoubled, as a new xc_str. */
static xc_str *parse_str(pstate *ps)
{
    const xc_token *t = &ps->lx.tok;
    const char *s = ps->lx.s + t->pos + 1;
    size_t n = t->len - 2, k = 0;
    char *tmp = xc_malloc(n + 1);
    xc_str *r;

    if (!tmp) {
        oom(ps);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        tmp[k++] = s[i];
        if (s[i] == '"')
            i++;
    }
    if (k > XC_TEXT_MAX) {
        xc_free(tmp);
        fail(ps, t->pos, "text longer than %u bytes", XC_TEXT_MAX);
        return NULL;
    }
    r = xc_str_new(tmp, k);
    xc_free(tmp);
    if (!r)
        oom(ps);
    return r;
}

static xc_node *parse_expr(pstate *ps, int limit, int unions);

/* One element of an array constant into *v: [-]number, text, logical
 * or error. */
static int array_elem(pstate *ps, xc_value *v)
{
    const xc_token *t = &ps->lx.tok;
    int neg = 0;
    xc_num x;

    if (t->t == XT_OP && (t->op == XOP_SUB || t->op == XOP_ADD)) {
        neg = t->op == XOP_SUB;
        next(ps);
        if (t->t != XT_NUM) {
            fail(ps, t->pos, "expected a number in the array");
            return -1;
        }
    }
    switch (t->t) {
    case XT_NUM:
        if (parse_num(ps, &x) < 0)
            return -1;
        if (neg && xc_num_neg(&x, &x) != XC_OK) {
            xc_num_clear(&x);
            oom(ps);
            return -1;
        }
        xc_value_take_num(v, &x);
        xc_num_clear(&x);
        break;
    case XT_STR: {
        xc_str *s = parse_str(ps);
        if (!s)
            return -1;
        xc_value_set_str(v, s);
        break;
    }
    case XT_BOOL:
        xc_value_set_bool(v, t->b);
        break;
    case XT_ERR:
        if (t->sheets)
            goto bad;
        xc_value_set_error(v, t->err);
        break;
    case XT_BAD:
        fail(ps, t->pos, "%s", t->msg);
        return -1;
    default:
        goto bad;
    }
    next(ps);
    return 0;
bad:
    fail(ps, t->pos, "expected a constant in the array");
    return -1;
}

static void values_free(xc_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xc_value_clear(&v[i]);
    xc_free(v);
}

/* {1,2;3,4}: rows separated by ';', elements by ','. */
static xc_node *parse_array(pstate *ps)
{
    uint32_t pos = ps->lx.tok.pos;
    xc_value *vals = NULL, tmp = {0};
    size_t n = 0, cap = 0, cols = 0, rows = 0, count;
    xc_array *arr;
    xc_node *node;

    next(ps);
    for (;;) {
        count = 0;
        for (;;) {
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 8;
                xc_value *nv = xc_realloc(vals, nc * sizeof *nv);
                if (!nv) {
                    oom(ps);
                    goto fail;
                }
                memset(nv + cap, 0, (nc - cap) * sizeof *nv);
                vals = nv, cap = nc;
            }
            if (array_elem(ps, &vals[n]) < 0)
                goto fail;
            n++, count++;
            if (ps->lx.tok.t != XT_COMMA)
                break;
            next(ps);
        }
        if (rows == 0)
            cols = count;
        else if (count != cols) {
            fail(ps, ps->lx.tok.pos, "array rows differ in length");
            goto fail;
        }
        rows++;
        if (ps->lx.tok.t == XT_SEMI) {
            next(ps);
            continue;
        }
        if (ps->lx.tok.t == XT_RBRACE) {
            next(ps);
            break;
        }
        fail(ps, ps->lx.tok.pos, "expected ',', ';' or '}'");
        goto fail;
    }
    if (xc_value_set_array(&tmp, (uint32_t)rows, (uint32_t)cols, &arr) !=
        XC_OK) {
        oom(ps);
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        xc_value_move(&arr->v[i], &vals[i]);
    xc_free(vals);
    node = node_new(ps, XN_ARRAY, pos);
    if (!node) {
        xc_value_clear(&tmp);
        return NULL;
    }
    node->u.arr = arr; /* the node takes tmp's reference */
    return node;
fail:
    values_free(vals, n);
    return NULL;
}

static int enter(pstate *ps, uint32_t pos)
{
    if (++ps->depth > XC_FORMULA_MAX_DEPTH) {
        fail(ps, pos, "nested deeper than %d levels", XC_FORMULA_MAX_DEPTH);
        return -1;
    }
    return 0;
}

static int strip_prefix(const char **s)
{
    if (strncasecmp(*s, "_xlpm.", 6) == 0 ||
        strncasecmp(*s, "_xlop.", 6) == 0) {
        *s += 6;
        return 1;
    }
    return 0;
}

/* Is a call of this name one of a LAMBDA value rather than of an
 * unknown function: a parameter or LET name in scope (or one written
 * with its file prefix, _xlpm.f), or a defined name of the book? */
static int callable_name(pstate *ps, const char *name)
{
    if (strip_prefix(&name))
        return 1;
    for (int i = ps->nbound; i-- > 0;) {
        const char *b = ps->bound[i];
        strip_prefix(&b);
        if (xc_text_cmp_ci(b, strlen(b), name, strlen(name)) == 0)
            return 1;
    }
    return ps->o->book && xc_book_find_name(ps->o->book, name, strlen(name),
                                            ps->o->sheet) >= 0;
}

/* An argument of a function that takes function values (MAP, REDUCE...)
 * or of a call of a LAMBDA value that names a built-in function - not a
 * LET/LAMBDA name in scope or a defined name - is that function passed
 * as a value, an eta-reduced LAMBDA: MAP(A1:A3, SUM).  Files write it
 * _xleta.SUM, which name_node marks wherever it appears. */
static void note_eta(pstate *ps, const xc_node *call, xc_node *arg)
{
    const xc_fn_def *d = call->u.fn.def;
    const char *name;
    if (arg->kind != XN_NAME || arg->u.name.sheet >= 0)
        return;
    name = arg->u.name.text;
    if (arg->u.name.eta || (d && !(d->flags & XC_FN_FNARGS)))
        return;
    if (!xc_eta_def(name) || callable_name(ps, name))
        return;
    arg->u.name.eta = 1;
}

/* Record a name a LET or LAMBDA argument binds. */
static void bind_name(pstate *ps, const xc_node *arg)
{
    if (arg->kind != XN_NAME || arg->u.name.sheet >= 0)
        return;
    if (ps->nbound == ps->capbound) {
        int cap = ps->capbound ? 2 * ps->capbound : 8;
        const char **p = xc_realloc(ps->bound, (size_t)cap * sizeof *p);
        if (!p) {
            oom(ps);
            return;
        }
        ps->bound = p;
        ps->capbound = cap;
    }
    ps->bound[ps->nbound++] = arg->u.name.text;
}

static void note_function(pstate *ps, xc_node *n)
{
    const xc_fn_def *d = n->u.fn.def;
    if (!d && (!n->u.fn.name || callable_name(ps, n->u.fn.name)))
        return;
    if (!d) {
        ps->f->flags |= XC_F_UNKNOWN_FN;
        if (!ps->f->unknown_fn)
            ps->f->unknown_fn = n->u.fn.name;
        return;
    }
    if (d->flags & XC_FN_VOLATILE)
        ps->f->flags |= XC_F_VOLATILE;
    if (d->flags & XC_FN_DYNREF)
        ps->f->flags |= XC_F_DYNAMIC;
}

/* The arguments of a call, from the current token '(' to its ')',
 * appended to n's.  A LET or LAMBDA call binds its name arguments for
 * the rest of its arguments.  Returns -1 on error (n is not freed). */
static int parse_args(pstate *ps, xc_node *n)
{
    const xc_token *t = &ps->lx.tok;
    xc_node *arg, **na;
    int cap = n->u.fn.nargs, saved = ps->nbound, binds = 0, r = -1;
    const xc_fn_def *d = n->u.fn.def;

    if (d && (strcmp(d->name, "LET") == 0 || strcmp(d->name, "LAMBDA") == 0))
        binds = d->name[1] == 'E' ? 2 : 1;
    if (enter(ps, t->pos) < 0)
        return -1;
    next(ps); /* '(' */
    if (t->t == XT_RPAREN) {
        next(ps);
        ps->depth--;
        return 0;
    }
    for (;;) {
        if (t->t == XT_COMMA || t->t == XT_RPAREN)
            arg = node_new(ps, XN_MISSING, t->pos);
        else
            arg = parse_expr(ps, 0, 0);
        if (!arg)
            goto done;
        if (n->u.fn.nargs == XC_FORMULA_MAX_ARGS) {
            fail(ps, arg->pos, "more than %d arguments", XC_FORMULA_MAX_ARGS);
            xc_node_free(arg);
            goto done;
        }
        if (n->u.fn.nargs == cap) {
            cap = cap ? 2 * cap : 4;
            na = xc_realloc(n->u.fn.args, (size_t)cap * sizeof *na);
            if (!na) {
                xc_node_free(arg);
                oom(ps);
                goto done;
            }
            n->u.fn.args = na;
        }
        n->u.fn.args[n->u.fn.nargs++] = arg;
        note_eta(ps, n, arg);
        if (binds == 1 || (binds == 2 && (n->u.fn.nargs - 1) % 2 == 0))
            bind_name(ps, arg);
        if (t->t == XT_COMMA) {
            next(ps);
            continue;
        }
        if (t->t == XT_RPAREN) {
            next(ps);
            r = 0;
            break;
        }
        if (t->t == XT_BAD)
            fail(ps, t->pos, "%s", t->msg);
        else
            fail(ps, t->pos, "expected ',' or ')'");
        goto done;
    }
done:
    ps->nbound = saved;
    if (r == 0)
        ps->depth--;
    return ps->status ? -1 : r;
}

/* NAME( args ): omitted arguments become XN_MISSING; NAME() has none. */
static xc_node *parse_call(pstate *ps)
{
    const xc_token *t = &ps->lx.tok;
    xc_node *n = node_new(ps, XN_FUNC, t->pos);

    if (!n)
        return NULL;
    n->u.fn.name = xc_strndup(ps->lx.s + t->npos, t->nlen);
    if (!n->u.fn.name) {
        oom(ps);
        goto fail;
    }
    n->u.fn.def = xc_fn_find(ps->lx.s + t->npos, t->nlen);
    next(ps); /* the name; '(' follows it directly */
    if (parse_args(ps, n) < 0)
        goto fail;
    note_function(ps, n);
    return n;
fail:
    xc_node_free(n);
    return NULL;
}

/* expr(args): a call of the value of an expression - a LAMBDA called
 * where it is written, LAMBDA(x,x+1)(2), or what a call returns,
 * MAKEADDER(1)(2).  The callee becomes argument 0 of a nameless call
 * node; '(' must follow it directly. */
static xc_node *parse_postfix_calls(pstate *ps, xc_node *callee)
{
    const xc_token *t = &ps->lx.tok;
    while (callee && t->t == XT_LPAREN && !t->space) {
        xc_node *n = node_new(ps, XN_FUNC, callee->pos);
        if (!n) {
            xc_node_free(callee);
            return NULL;
        }
        n->u.fn.args = xc_malloc(4 * sizeof *n->u.fn.args);
        if (!n->u.fn.args) {
            xc_node_free(callee);
            xc_free(n);
            oom(ps);
            return NULL;
        }
        n->u.fn.args[0] = callee;
        n->u.fn.nargs = 1;
        if (parse_args(ps, n) < 0) {
            xc_node_free(n);
            return NULL;
        }
        callee = n;
    }
    return callee;
}

static xc_node *parse_primary(pstate *ps)
{
    const xc_token *t = &ps->lx.tok;
    xc_node *n, *in;
    uint32_t pos = t->pos;

    switch (t->t) {
    case XT_NUM:
        if (!(n = node_new(ps, XN_NUM, pos)))
            return NULL;
        if (parse_num(ps, &n->u.num) < 0) {
            xc_free(n);
            return NULL;
        }
        next(ps);
        return n;
    case XT_STR:
        if (!(n = node_new(ps, XN_STR, pos)))
            return NULL;
        if (!(n->u.str = parse_str(ps))) {
            xc_free(n);
            return NULL;
        }
        next(ps);
        return n;
    case XT_BOOL:
        if ((n = node_new(ps, XN_BOOL, pos)))
            n->u.b = t->b;
        next(ps);
        return n;
    case XT_ERR: {
        int32_t sh[2];
        if (token_sheets(ps, t, sh) < 0)
            return NULL;
        n = err_node(ps, pos, t->err);
        next(ps);
        return n;
    }
    case XT_REF:
        return ref_node(ps);
    case XT_NAME:
        return name_node(ps);
    case XT_FUNC:
        return parse_postfix_calls(ps, parse_call(ps));
    case XT_LBRACE:
        return parse_array(ps);
    case XT_LPAREN:
        if (enter(ps, pos) < 0)
            return NULL;
        next(ps);
        if (!(in = parse_expr(ps, 0, 1)))
            return NULL;
        if (t->t != XT_RPAREN) {
            if (t->t == XT_BAD)
                fail(ps, t->pos, "%s", t->msg);
            else
                fail(ps, t->pos, "expected ')'");
            xc_node_free(in);
            return NULL;
        }
        ps->depth--;
        next(ps);
        return parse_postfix_calls(ps, op_node(ps, XN_PAREN, 0, pos, in, NULL));
    case XT_BAD:
        fail(ps, pos, "%s", t->msg);
        return NULL;
    default:
        fail(ps, pos, "expected an expression");
        return NULL;
    }
}

/* Prefix - and + bind tighter than ^ (so -2^2 = 4) but looser than the
 * reference operators (-A1:A3 negates the range). */
static xc_node *parse_unary(pstate *ps, int unions)
{
    const xc_token *t = &ps->lx.tok;
    if (t->t == XT_OP && (t->op == XOP_SUB || t->op == XOP_ADD)) {
        uint32_t pos = t->pos;
        int op = t->op == XOP_SUB ? XOP_NEG : XOP_PLUS;
        xc_node *a;
        next(ps);
        if (!(a = parse_expr(ps, UNARY_PRIO, unions)))
            return NULL;
        return op_node(ps, XN_UNOP, op, pos, a, NULL);
    }
    return parse_primary(ps);
}

/* Parse operators whose left priority exceeds `limit`.  `unions`: ','
 * is the union operator here (parentheses, top level), not an argument
 * separator. */
static xc_node *parse_expr(pstate *ps, int limit, int unions)
{
    const xc_token *t = &ps->lx.tok;
    xc_node *left, *right;

    if (++ps->rdepth > MAX_RECURSION) {
        fail(ps, t->pos, "expression too complex");
        return NULL;
    }
    left = parse_unary(ps, unions);
    while (left) {
        int op = 0;
        uint32_t pos = t->pos;
        if (t->t == XT_OP)
            op = t->op;
        else if (t->t == XT_COMMA && unions)
            op = XOP_UNION;
        else if (t->space && starts_ref(t))
            op = XOP_ISECT;
        if (!op || prio[op].left <= limit)
            break;
        if (op == XOP_PERCENT) {
            next(ps);
            left = op_node(ps, XN_UNOP, XOP_PERCENT, pos, left, NULL);
            continue;
        }
        if (op != XOP_ISECT)
            next(ps);
        right = parse_expr(ps, prio[op].right, unions);
        if (!right) {
            xc_node_free(left);
            left = NULL;
            break;
        }
        if ((op == XOP_RANGE || op == XOP_UNION || op == XOP_ISECT) &&
            (!refish(left) || !refish(right))) {
            fail(ps, pos, "expected references around '%s'",
                 op == XOP_RANGE   ? ":"
                 : op == XOP_UNION ? ","
                                   : " ");
            xc_node_free(left);
            xc_node_free(right);
            left = NULL;
            break;
        }
        left = op_node(ps, XN_BINOP, op, pos, left, right);
    }
    ps->rdepth--;
    return left;
}

/* Byte offset -> 1-based line and column (columns count characters). */
static void locate(const char *s, uint32_t pos, xc_parse_error *err)
{
    uint32_t ls = 0;
    err->line = 1;
    for (uint32_t i = 0; i < pos; i++)
        if (s[i] == '\n')
            err->line++, ls = i + 1;
    err->col = 1 + (int)xc_utf8_count(s + ls, pos - ls);
}

/* Reject invalid UTF-8 and over-long text before lexing. */
static void check_text(pstate *ps, const char *s, size_t n, size_t start)
{
    size_t i = start, chars = 0;
    uint32_t cp;
    while (i < n) {
        size_t k = xc_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1) {
            fail(ps, (uint32_t)i, "invalid UTF-8");
            return;
        }
        if (++chars > XC_FORMULA_MAX_LEN) {
            fail(ps, (uint32_t)i, "formula longer than %d characters",
                 XC_FORMULA_MAX_LEN);
            return;
        }
        i += k;
    }
}

/* Whether every cell tree n can read lies before the formula's own cell
 * wherever the formula is placed (XC_F_BEFORE).  Conservative: anything
 * it does not know gives 0.  A relative reference that falls off the
 * sheet resolves to #REF! and reads nothing, so it cannot break this. */
static int reads_before(const xc_node *n)
{
    if (!n)
        return 1;
    switch (n->kind) {
    case XN_NUM:
    case XN_STR:
    case XN_BOOL:
    case XN_ERR:
    case XN_MISSING:
        return 1;
    case XN_REF: {
        const xc_refnode *r = &n->u.ref;
        const xc_refpt *a = &r->a, *b = r->kind == XR_CELL ? &r->a : &r->b;
        if (r->sheet >= 0 || (r->kind != XR_CELL && r->kind != XR_AREA) ||
            ((a->flags | b->flags) & (XC_RF_ROW_ABS | XC_RF_COL_ABS)))
            return 0;
        /* the area's last cell: the larger offsets */
        int32_t dr = a->row > b->row ? a->row : b->row;
        int32_t dc = a->col > b->col ? a->col : b->col;
        return dr < 0 || (dr == 0 && dc < 0);
    }
    case XN_UNOP:
    case XN_PAREN:
        return reads_before(n->u.op.a);
    case XN_BINOP:
        return n->u.op.op != XOP_RANGE && reads_before(n->u.op.a) &&
               reads_before(n->u.op.b);
    case XN_FUNC: {
        const xc_fn_def *d = n->u.fn.def;
        if (!d || (d->flags & (XC_FN_VOLATILE | XC_FN_DYNREF)) ||
            xc_call_reads_beyond(n))
            return 0;
        for (int i = 0; i < n->u.fn.nargs; i++)
            if (!reads_before(n->u.fn.args[i]))
                return 0;
        return 1;
    }
    default:
        return 0;
    }
}

int xc_parse_tree(xc_formula *f, const char *text, size_t n,
                  const xc_parse_opts *o, xc_parse_error *err)
{
    pstate ps;
    size_t start = 0;

    memset(&ps, 0, sizeof ps);
    ps.o = o;
    ps.f = f;
    if (n > UINT32_MAX / 2) {
        n = UINT32_MAX / 2; /* reported as too long below */
    }
    if (!(o->flags & XC_FP_FILE) && n > 0 && text[0] == '=')
        start = 1;
    check_text(&ps, text, n, start);
    if (!ps.status) {
        xc_lex_init(&ps.lx, text, n, start);
        f->root = parse_expr(&ps, 0, 1);
        if (f->root && ps.lx.tok.t != XT_END) {
            const xc_token *t = &ps.lx.tok;
            if (t->t == XT_BAD)
                fail(&ps, t->pos, "%s", t->msg);
            else if (t->t == XT_RPAREN)
                fail(&ps, t->pos, "unbalanced ')'");
            else
                fail(&ps, t->pos, "expected an operator");
        }
    }
    xc_free(ps.bound);
    if (ps.status) {
        xc_node_free(f->root);
        f->root = NULL;
        f->flags = 0;
        f->unknown_fn = NULL;
        if (err) {
            locate(text, ps.epos, err);
            memcpy(err->msg, ps.msg, sizeof err->msg);
        }
        return ps.status;
    }
    if (!(f->flags & (XC_F_VOLATILE | XC_F_DYNAMIC)) && reads_before(f->root))
        f->flags |= XC_F_BEFORE;
    return XC_OK;
}
