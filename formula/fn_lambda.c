/* fn_lambda.c - function values: LAMBDA makes a closure (its parameter
 * names, its body, and the LET/LAMBDA names visible where it was
 * written), xc_lambda_call/xc_lambda_apply call one, and the functions
 * that take one: MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY, plus
 * ISOMITTED.
 *
 * A closure points into the syntax tree of the formula it was written
 * in (a cell's or a defined name's).  Function values live only while a
 * formula is evaluated - a cell never stores one, its result is #CALC!
 * instead - and formulas are not freed during evaluation, so the tree
 * outlives every closure made from it.
 *
 * A call evaluates the body in a fresh evaluation context (a copy of the
 * caller's with its own address) in which only the captured names and
 * the parameters are bound: names are lexically scoped, as in Excel,
 * and the caller's LET names are invisible in the body.  The body's
 * nesting guard (xc_eval.depth) starts afresh - it bounds the nesting of
 * formula text and names - while recursion through LAMBDA calls has its
 * own limit, XC_LAMBDA_MAX_DEPTH, beyond which a call is #NUM!.  At about
 * 2 to 4 KB of C stack per level (Debug, Release and ASan builds), that
 * limit fits the default 8 MB stack; a guard on the stack address itself
 * (xc_stack_low) turns what is left - thread stacks smaller than the
 * default, recalculation chains entered from a call - into #NUM! too,
 * never into a stack overflow.
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "formula_int.h"

/* Excel's limit on LAMBDA parameters. */
#define LAMBDA_MAX_PARAMS 253
/* Largest array MAP, SCAN, BYROW, BYCOL or MAKEARRAY builds (as the
 * evaluator's lifted operators): beyond it #NUM!. */
#define LAMBDA_MAX_CELLS (1u << 21)
/* Calls one outermost LAMBDA call may make in all (itself included):
 * XC_LAMBDA_MAX_DEPTH bounds recursion's depth, this bounds its breadth,
 * so a function calling itself twice per level cannot run for hours.
 * Beyond it the call is #NUM!, as for recursion too deep. */
#define LAMBDA_MAX_CALLS (1u << 20)

uint32_t xc_lambda_calls_cap; /* formula_int.h: 0 in normal use */

/* Calls in progress on this thread, and the calls made since the
 * outermost of them began. */
static _Thread_local unsigned call_nest;
static _Thread_local uint32_t calls_made;

/* Stack kept in reserve below the guard: for the work one evaluation
 * step does without recursing (MPFR, sorting, formatting), with room for
 * sanitizer redzones. */
#define STACK_RESERVE (512u * 1024u)

/* The lowest stack address this thread may use while evaluating (0:
 * not known yet; the stack grows downwards on every target we build
 * for). */
static _Thread_local uintptr_t stack_floor;

/* Find this thread's stack bounds; when they cannot be had, allow 1 MB
 * below the current frame, a stack any thread we start has. */
static void stack_init(void)
{
    pthread_attr_t at;
    void *lo = NULL;
    size_t size = 0;
    char here;
    uintptr_t cur = (uintptr_t)&here;

    stack_floor = cur > (1u << 20) ? cur - (1u << 20) : 1;
    if (pthread_getattr_np(pthread_self(), &at) != 0)
        return;
    /* a stack smaller than twice the reserve keeps half of itself */
    if (pthread_attr_getstack(&at, &lo, &size) == 0 && (uintptr_t)lo < cur)
        stack_floor = (uintptr_t)lo +
                      (size > 2 * STACK_RESERVE ? STACK_RESERVE : size / 2);
    pthread_attr_destroy(&at);
}

int xc_stack_low(void)
{
    char here;
    if (!stack_floor)
        stack_init();
    return (uintptr_t)&here < stack_floor;
}

typedef struct capture {
    char *name;
    xc_value v;
    int omitted;
} capture;

typedef struct lambda_fn {
    xc_lambda hdr;        /* must stay first */
    int nparams, nreq;    /* parameters; required ones (not _xlop.) */
    char **params;        /* names without their _xlpm./_xlop. prefix */
    const xc_node *body;  /* in the tree of the defining formula */
    const xc_fn_def *def; /* instead of params and body: a built-in
                             function passed by name (MAP(A1:A3,SUM)) */
    int ncap;
    capture *cap; /* bindings visible at the definition, oldest first */
} lambda_fn;

static void lambda_destroy(xc_lambda *self)
{
    lambda_fn *L = (lambda_fn *)self;
    for (int i = 0; L->params && i < L->nparams; i++)
        xc_free(L->params[i]);
    xc_free(L->params);
    for (int i = 0; i < L->ncap; i++) {
        xc_free(L->cap[i].name);
        xc_value_clear(&L->cap[i].v);
    }
    xc_free(L->cap);
    xc_free(L);
}

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

/* A parameter name without its file-format prefix; *optional is set for
 * Excel's optional parameters ([x] on screen, _xlop.x in files). */
static const char *param_name(const char *s, int *optional)
{
    *optional = 0;
    if (strncasecmp(s, "_xlpm.", 6) == 0)
        return s + 6;
    if (strncasecmp(s, "_xlop.", 6) == 0) {
        *optional = 1;
        return s + 6;
    }
    return s;
}

/* xc_let_each callback: copy one visible binding into the closure. */
static int capture_one(void *ud, const char *name, const xc_value *v,
                       int omitted)
{
    lambda_fn *L = ud;
    capture *c;
    int st;
    if (L->ncap % 8 == 0) {
        capture *p = xc_realloc(L->cap, (size_t)(L->ncap + 8) * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        L->cap = p;
    }
    c = &L->cap[L->ncap];
    memset(c, 0, sizeof *c);
    if (!(c->name = xc_strndup(name, strlen(name))))
        return XC_ENOMEM;
    if ((st = xc_value_copy(&c->v, v)) != XC_OK) {
        xc_free(c->name);
        return st;
    }
    c->omitted = omitted;
    L->ncap++;
    return XC_OK;
}

/* LAMBDA([parameter1, ...,] calculation): a function value.  Each
 * parameter must be a plain name, used once; the calculation is kept
 * unevaluated. */
static int fn_lambda(xc_fncall *c, xc_value *out)
{
    int np = c->argc - 1, st;
    lambda_fn *L;

    if (np > LAMBDA_MAX_PARAMS || c->nodes[np]->kind == XN_MISSING)
        return err_out(out, XC_ERR_VALUE);
    for (int i = 0; i < np; i++) {
        const xc_node *n = c->nodes[i];
        int opt, opt2;
        if (n->kind != XN_NAME || n->u.name.sheet >= 0)
            return err_out(out, XC_ERR_VALUE);
        const char *a = param_name(n->u.name.text, &opt);
        for (int j = 0; j < i; j++) {
            const char *b = param_name(c->nodes[j]->u.name.text, &opt2);
            if (xc_text_cmp_ci(a, strlen(a), b, strlen(b)) == 0)
                return err_out(out, XC_ERR_VALUE);
        }
    }
    L = xc_calloc(1, sizeof *L);
    if (!L)
        return XC_ENOMEM;
    L->hdr.refs = 1;
    L->hdr.destroy = lambda_destroy;
    L->body = c->nodes[np];
    if (np > 0 && !(L->params = xc_calloc((size_t)np, sizeof *L->params))) {
        xc_free(L);
        return XC_ENOMEM;
    }
    for (int i = 0; i < np; i++) {
        int opt;
        const char *a = param_name(c->nodes[i]->u.name.text, &opt);
        if (!(L->params[i] = xc_strndup(a, strlen(a)))) {
            lambda_destroy(&L->hdr);
            return XC_ENOMEM;
        }
        L->nparams++;
        if (!opt)
            L->nreq = L->nparams;
    }
    if ((st = xc_let_each(c->ev, capture_one, L)) != XC_OK) {
        lambda_destroy(&L->hdr);
        return st;
    }
    xc_value_clear(out);
    out->type = XC_LAMBDA;
    out->u.fn = &L->hdr;
    return XC_OK;
}

const xc_fn_def *xc_eta_def(const char *name)
{
    if (strncasecmp(name, "_xleta.", 7) == 0)
        name += 7;
    return xc_fn_find(name, strlen(name));
}

int xc_lambda_builtin(const xc_fn_def *def, xc_value *out)
{
    lambda_fn *L;
    int min, max;
    if (!def || xc_fn_arity(def->args, &min, &max) != 0) {
        xc_result_error(out, XC_ERR_NAME);
        return XC_OK;
    }
    if (!(L = xc_calloc(1, sizeof *L)))
        return XC_ENOMEM;
    L->hdr.refs = 1;
    L->hdr.destroy = lambda_destroy;
    L->def = def;
    L->nreq = min;
    L->nparams = max > XC_FORMULA_MAX_ARGS ? XC_FORMULA_MAX_ARGS : max;
    xc_value_clear(out);
    out->type = XC_LAMBDA;
    out->u.fn = &L->hdr;
    return XC_OK;
}

/* A built-in function called as a function value with argc values: the
 * call def(p1, ..., pn) evaluated in sub, where the names p1... are
 * bound to the values, so the function sees them as it sees any
 * argument (references stay references, an omitted one is missing). */
static int invoke_builtin(xc_eval *sub, const lambda_fn *L, int argc,
                          const xc_value *argv, const unsigned char *omitted,
                          xc_value *out)
{
    xc_node call, *args, **argp;
    char(*names)[12];
    int pushed = 0, st = XC_OK;

    args = xc_calloc((size_t)argc + 1, sizeof *args);
    argp = xc_calloc((size_t)argc + 1, sizeof *argp);
    names = xc_calloc((size_t)argc + 1, sizeof *names);
    if (!args || !argp || !names) {
        st = XC_ENOMEM;
        goto done;
    }
    memset(&call, 0, sizeof call);
    call.kind = XN_FUNC;
    call.u.fn.def = L->def;
    call.u.fn.name = (char *)L->def->name;
    call.u.fn.nargs = argc;
    call.u.fn.args = argp;
    for (int i = 0; i < argc && st == XC_OK; i++) {
        argp[i] = &args[i];
        if (omitted && omitted[i]) {
            args[i].kind = XN_MISSING;
            continue;
        }
        snprintf(names[i], sizeof names[i], "\x01%d", i + 1);
        args[i].kind = XN_NAME;
        args[i].u.name.text = names[i];
        args[i].u.name.sheet = -1;
        if ((st = xc_let_bind(sub, names[i], &argv[i], 0)) == XC_OK)
            pushed++;
    }
    if (st == XC_OK)
        st = xc_eval_node(sub, &call, out);
    xc_let_pop(sub, pushed);
done:
    xc_free(args);
    xc_free(argp);
    xc_free(names);
    return st;
}

/* Call L with argc values; omitted[i] marks an argument left out
 * (NULL: none).  Parameters beyond argc are omitted too. */
static int invoke(xc_eval *ev, const lambda_fn *L, int argc,
                  const xc_value *argv, const unsigned char *omitted,
                  xc_value *out)
{
    static const xc_value empty = {0};
    xc_eval sub = *ev; /* its own address: its own scope of names */
    int pushed = 0, st = XC_OK;

    if (argc < L->nreq || argc > L->nparams)
        return err_out(out, XC_ERR_VALUE);
    if (call_nest == 0)
        calls_made = 0;
    uint32_t max_calls =
        xc_lambda_calls_cap && xc_lambda_calls_cap < LAMBDA_MAX_CALLS
            ? xc_lambda_calls_cap
            : LAMBDA_MAX_CALLS;
    if (++calls_made > max_calls || call_nest >= XC_LAMBDA_MAX_DEPTH)
        return err_out(out, XC_ERR_NUM);
    sub.depth = 0;
    if (L->def) {
        call_nest++;
        st = invoke_builtin(&sub, L, argc, argv, omitted, out);
        call_nest--;
        return st;
    }
    for (int i = 0; i < L->ncap && st == XC_OK; i++)
        if ((st = xc_let_bind(&sub, L->cap[i].name, &L->cap[i].v,
                              L->cap[i].omitted)) == XC_OK)
            pushed++;
    for (int i = 0; i < L->nparams && st == XC_OK; i++) {
        int om = i >= argc || (omitted && omitted[i]);
        const xc_value *v = om ? &empty : &argv[i];
        if ((st = xc_let_bind(&sub, L->params[i], v, om)) == XC_OK)
            pushed++;
        /* explain: each parameter's value, next to the body */
        if (st == XC_OK && ev->trace)
            st = ev->trace(ev->trace_ud, ev->trace_depth, L->params[i], v,
                           om ? "parameter, omitted" : "parameter");
    }
    if (st == XC_OK) {
        call_nest++;
        st = xc_eval_node(&sub, L->body, out);
        call_nest--;
    }
    xc_let_pop(&sub, pushed);
    return st;
}

/* The function value in fn, or NULL after putting the result for a
 * value that is not one (its error, else #VALUE!) into out. */
static const lambda_fn *as_lambda(const xc_value *fn, xc_value *out)
{
    if (fn->type == XC_LAMBDA)
        return (const lambda_fn *)fn->u.fn;
    if (fn->type == XC_ERROR)
        xc_result_error(out, (xc_error)fn->err);
    else
        xc_result_error(out, XC_ERR_VALUE);
    return NULL;
}

int xc_lambda_apply(xc_eval *ev, const xc_value *fn, int argc,
                    const xc_value *argv, xc_value *out)
{
    const lambda_fn *L = as_lambda(fn, out);
    return L ? invoke(ev, L, argc, argv, NULL, out) : XC_OK;
}

int xc_lambda_call(xc_eval *ev, const xc_value *fn, int argc,
                   xc_node *const *args, xc_value *out)
{
    const lambda_fn *L;
    xc_value *argv = NULL;
    unsigned char *om = NULL;
    xc_value keep = {0};
    int st = XC_OK;

    /* fn may live in a binding that the arguments' evaluation pops or
     * moves: hold a reference of our own */
    if ((st = xc_value_copy(&keep, fn)) != XC_OK)
        return st;
    if (!(L = as_lambda(&keep, out)))
        goto done;
    if (argc < L->nreq || argc > L->nparams) {
        st = err_out(out, XC_ERR_VALUE);
        goto done;
    }
    if (argc > 0) {
        argv = xc_calloc((size_t)argc, sizeof *argv);
        om = xc_calloc((size_t)argc, 1);
        if (!argv || !om) {
            st = XC_ENOMEM;
            goto done;
        }
    }
    for (int i = 0; i < argc && st == XC_OK; i++) {
        if (args[i]->kind == XN_MISSING)
            om[i] = 1;
        else
            st = xc_eval_node(ev, args[i], &argv[i]);
    }
    if (st == XC_OK)
        st = invoke(ev, L, argc, argv, om, out);
done:
    for (int i = 0; argv && i < argc; i++)
        xc_value_clear(&argv[i]);
    xc_free(argv);
    xc_free(om);
    xc_value_clear(&keep);
    return st;
}

/* ---- Helpers for the functions that take a LAMBDA ------------------ */

/* The last argument as a function taking between n and n parameters
 * (Excel's helpers pass a fixed count).  NULL with the error in out when
 * it is not one or its parameters do not fit. */
static const xc_value *fn_arg(xc_fncall *c, int i, int n, xc_value *out)
{
    const xc_value *f = &c->argv[i];
    if (!as_lambda(f, out))
        return NULL;
    const lambda_fn *L = (const lambda_fn *)f->u.fn;
    if (n < L->nreq || n > L->nparams) {
        xc_result_error(out, XC_ERR_VALUE);
        return NULL;
    }
    return f;
}

/* One result of a LAMBDA as an array element: a single cell's value, a
 * 1x1 array's element; any bigger array or a function is #CALC! (Excel
 * has no nested arrays). */
static int element(xc_eval *ev, xc_value *v)
{
    if (v->type == XC_REF) {
        const xc_area *a = &v->u.ref->a[0];
        if (v->u.ref->n == 1 && a->sheet == a->sheet2 && a->r1 == a->r2 &&
            a->c1 == a->c2)
            return xc_deref(ev, v, v);
        xc_value_set_error(v, XC_ERR_CALC);
    } else if (v->type == XC_ARRAY) {
        if (v->u.arr->rows == 1 && v->u.arr->cols == 1)
            return xc_deref(ev, v, v);
        xc_value_set_error(v, XC_ERR_CALC);
    } else if (v->type == XC_LAMBDA) {
        xc_value_set_error(v, XC_ERR_CALC);
    }
    return XC_OK;
}

/* Element (r, c) of g as a LAMBDA argument: of a reference, a
 * reference to that cell (so ISFORMULA, CELL or ISREF work on it, as in
 * Excel); of an array or a single value, the value. */
static int grid_arg(xc_grid *g, uint32_t r, uint32_t c, xc_value *out)
{
    if (g->v->type == XC_REF) {
        xc_area a = g->area;
        a.r1 = a.r2 = a.r1 + r;
        a.c1 = a.c2 = a.c1 + c;
        xc_value_clear(out);
        return xc_value_set_area(out, &a);
    }
    return xc_value_copy(out, xc_grid_get(g, r, c));
}

/* A grid over an array argument; a multi-area reference is #VALUE!. */
static int grid_of(xc_fncall *c, int i, xc_grid *g, xc_value *out)
{
    if (xc_grid_init(g, c->ev, &c->argv[i]) != XC_OK) {
        xc_result_error(out, XC_ERR_VALUE);
        return 0;
    }
    return 1;
}

static int too_big(uint32_t rows, uint32_t cols)
{
    /* xc_array_max: the fuzz targets' lower cap applies here too */
    return (uint64_t)rows * cols > xc_array_max(LAMBDA_MAX_CELLS);
}

/* MAP(array1, [array2, ...], lambda): the LAMBDA applied to the
 * elements at each position of the arrays (of one shape; a single value
 * or a one-row/one-column array repeats, positions beyond an array are
 * #N/A). */
static int fn_map(xc_fncall *c, xc_value *out)
{
    int n = c->argc - 1, st = XC_OK;
    const xc_value *f = fn_arg(c, n, n, out);
    xc_grid *g = NULL;
    xc_value *el = NULL, res = {0};
    xc_array *arr;
    uint32_t rows = 1, cols = 1;

    if (!f)
        return XC_OK;
    g = xc_calloc((size_t)n, sizeof *g);
    el = xc_calloc((size_t)n, sizeof *el);
    if (!g || !el) {
        st = XC_ENOMEM;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        if (!grid_of(c, i, &g[i], out))
            goto done;
        if (g[i].rows > rows)
            rows = g[i].rows;
        if (g[i].cols > cols)
            cols = g[i].cols;
    }
    if (too_big(rows, cols)) {
        st = err_out(out, XC_ERR_NUM);
        goto done;
    }
    if ((st = xc_value_set_array(&res, rows, cols, &arr)) != XC_OK)
        goto done;
    for (uint32_t r = 0; r < rows && st == XC_OK; r++)
        for (uint32_t k = 0; k < cols && st == XC_OK; k++) {
            xc_value *dst = &arr->v[(size_t)r * cols + k];
            int beyond = 0;
            for (int i = 0; i < n && st == XC_OK; i++) {
                uint32_t rr = g[i].rows == 1 ? 0 : r,
                         cc = g[i].cols == 1 ? 0 : k;
                if (rr >= g[i].rows || cc >= g[i].cols)
                    beyond = 1;
                else
                    st = grid_arg(&g[i], rr, cc, &el[i]);
            }
            if (st != XC_OK)
                break;
            if (beyond)
                xc_value_set_error(dst, XC_ERR_NA);
            else if ((st = xc_lambda_apply(c->ev, f, n, el, dst)) == XC_OK)
                st = element(c->ev, dst);
        }
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
done:
    for (int i = 0; el && i < n; i++)
        xc_value_clear(&el[i]);
    xc_free(el);
    xc_free(g);
    xc_value_clear(&res);
    return st;
}

/* REDUCE and SCAN: the accumulator starts as the initial value (empty
 * when omitted) and becomes LAMBDA(accumulator, value) for each element
 * of the array, row by row.  SCAN keeps every intermediate value in an
 * array of the array's shape. */
static int accumulate(xc_fncall *c, xc_value *out, int scan)
{
    const xc_value *f = fn_arg(c, 2, 2, out);
    xc_value acc = {0}, pair[2] = {{0}, {0}}, res = {0};
    xc_array *arr = NULL;
    xc_grid g;
    int st = XC_OK;

    if (!f || !grid_of(c, 1, &g, out))
        return XC_OK;
    if (too_big(g.rows, g.cols))
        return err_out(out, XC_ERR_NUM);
    if (scan && (st = xc_value_set_array(&res, g.rows, g.cols, &arr)) != XC_OK)
        return st;
    if ((st = xc_value_copy(&acc, &c->argv[0])) != XC_OK)
        goto done;
    for (uint32_t r = 0; r < g.rows && st == XC_OK; r++)
        for (uint32_t k = 0; k < g.cols && st == XC_OK; k++) {
            xc_value_move(&pair[0], &acc);
            if ((st = grid_arg(&g, r, k, &pair[1])) != XC_OK)
                break;
            st = xc_lambda_apply(c->ev, f, 2, pair, &acc);
            xc_value_clear(&pair[0]);
            xc_value_clear(&pair[1]);
            if (st == XC_OK && scan) {
                xc_value *dst = &arr->v[(size_t)r * g.cols + k];
                if ((st = xc_value_copy(dst, &acc)) == XC_OK)
                    st = element(c->ev, dst);
            }
        }
    if (st == XC_OK) {
        xc_value_clear(out);
        if (scan)
            xc_value_move(out, &res);
        else
            xc_value_move(out, &acc);
    }
done:
    xc_value_clear(&acc);
    xc_value_clear(&pair[0]);
    xc_value_clear(&pair[1]);
    xc_value_clear(&res);
    return st;
}

static int fn_reduce(xc_fncall *c, xc_value *out)
{
    return accumulate(c, out, 0);
}

static int fn_scan(xc_fncall *c, xc_value *out)
{
    return accumulate(c, out, 1);
}

/* Row (bycol = 0) or column i of the array argument as a value: a
 * reference to it when the argument is a reference, else an array. */
static int slice(xc_grid *g, int bycol, uint32_t i, xc_value *v)
{
    uint32_t n = bycol ? g->rows : g->cols;
    xc_array *arr;
    int st;

    xc_value_clear(v);
    if (g->v->type == XC_REF) {
        xc_area a = g->area;
        if (bycol)
            a.c1 = a.c2 = a.c1 + i;
        else
            a.r1 = a.r2 = a.r1 + i;
        return xc_value_set_area(v, &a);
    }
    if ((st = xc_value_set_array(v, bycol ? n : 1, bycol ? 1 : n, &arr)) !=
        XC_OK)
        return st;
    for (uint32_t j = 0; j < n; j++) {
        const xc_value *e = bycol ? xc_grid_get(g, j, i) : xc_grid_get(g, i, j);
        if ((st = xc_value_copy(&arr->v[j], e)) != XC_OK)
            return st;
    }
    return XC_OK;
}

/* BYROW / BYCOL: the LAMBDA applied to each row (a column of results)
 * or each column (a row of results); each result must be one value. */
static int by_line(xc_fncall *c, xc_value *out, int bycol)
{
    const xc_value *f = fn_arg(c, 1, 1, out);
    xc_value line = {0}, res = {0};
    xc_array *arr;
    xc_grid g;
    uint32_t n;
    int st;

    if (!f || !grid_of(c, 0, &g, out))
        return XC_OK;
    n = bycol ? g.cols : g.rows;
    if (too_big(n, 1))
        return err_out(out, XC_ERR_NUM);
    if ((st = xc_value_set_array(&res, bycol ? 1 : n, bycol ? n : 1, &arr)) !=
        XC_OK)
        return st;
    for (uint32_t i = 0; i < n && st == XC_OK; i++) {
        if ((st = slice(&g, bycol, i, &line)) == XC_OK &&
            (st = xc_lambda_apply(c->ev, f, 1, &line, &arr->v[i])) == XC_OK)
            st = element(c->ev, &arr->v[i]);
    }
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
    xc_value_clear(&line);
    xc_value_clear(&res);
    return st;
}

static int fn_byrow(xc_fncall *c, xc_value *out)
{
    return by_line(c, out, 0);
}

static int fn_bycol(xc_fncall *c, xc_value *out)
{
    return by_line(c, out, 1);
}

/* MAKEARRAY(rows, cols, lambda): an array whose element (r, c) is
 * LAMBDA(r, c), counting from 1.  Counts are truncated; below 1 is
 * #VALUE!, an array past the size limit #NUM!. */
static int fn_makearray(xc_fncall *c, xc_value *out)
{
    const xc_value *f = fn_arg(c, 2, 2, out);
    xc_value rc[2] = {{0}, {0}}, res = {0};
    xc_array *arr;
    int64_t rows, cols;
    int st = XC_OK;

    if (!f)
        return XC_OK;
    xc_num_trunc_clamp(xc_arg_num(c, 0), 0, INT32_MAX, &rows);
    xc_num_trunc_clamp(xc_arg_num(c, 1), 0, INT32_MAX, &cols);
    if (rows < 1 || cols < 1)
        return err_out(out, XC_ERR_VALUE);
    if (too_big((uint32_t)rows, (uint32_t)cols))
        return err_out(out, XC_ERR_NUM);
    if ((st = xc_value_set_array(&res, (uint32_t)rows, (uint32_t)cols, &arr)) !=
        XC_OK)
        return st;
    for (int64_t r = 0; r < rows && st == XC_OK; r++)
        for (int64_t k = 0; k < cols && st == XC_OK; k++) {
            xc_value *dst = &arr->v[(size_t)(r * cols + k)];
            xc_value_set_int(&rc[0], r + 1);
            xc_value_set_int(&rc[1], k + 1);
            if ((st = xc_lambda_apply(c->ev, f, 2, rc, dst)) == XC_OK)
                st = element(c->ev, dst);
        }
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
    xc_value_clear(&res);
    return st;
}

/* ISOMITTED(argument): TRUE when the argument is a LAMBDA parameter
 * whose value the call left out. */
static int fn_isomitted(xc_fncall *c, xc_value *out)
{
    const xc_node *n = c->nodes[0];
    while (n->kind == XN_PAREN)
        n = n->u.op.a;
    xc_value_clear(out);
    xc_value_set_bool(out, n->kind == XN_MISSING ||
                               (n->kind == XN_NAME && n->u.name.sheet < 0 &&
                                xc_let_omitted(c->ev, n->u.name.text)));
    return XC_OK;
}

/* clang-format off */
const xc_fn_def xc_fns_lambda[] = {
    {"BYCOL", "aa", fn_bycol, XC_FN_FNARGS, "logic",
     "BYCOL(array, lambda(column))",
     "Applies a LAMBDA to each column of an array and returns a row of "
     "the results.",
     "=BYCOL({1,2;3,4},LAMBDA(c,SUM(c))) -> {4,6}\n"
     "=BYCOL({1,5;3,4},LAMBDA(c,MAX(c))) -> {3,5}\n"
     "=BYCOL({1,5;3,4},MAX) -> {3,5}"},
    {"BYROW", "aa", fn_byrow, XC_FN_FNARGS, "logic",
     "BYROW(array, lambda(row))",
     "Applies a LAMBDA to each row of an array and returns a column of "
     "the results.",
     "=BYROW({1,2;3,4},LAMBDA(r,SUM(r))) -> {3;7}\n"
     "=BYROW({1,2;3,4},LAMBDA(r,MAX(r))) -> {2;4}\n"
     "=BYROW({1,2;3,4},SUM) -> {3;7}"},
    {"ISOMITTED", "a", fn_isomitted, XC_FN_LAZY, "logic",
     "ISOMITTED(argument)",
     "TRUE when a LAMBDA parameter was left out of the call.",
     "=LAMBDA(x,y,IF(ISOMITTED(y),\"no y\",x+y))(1,) -> no y\n"
     "=LAMBDA(x,y,ISOMITTED(y))(1,2) -> FALSE"},
    {"LAMBDA", "a|a*", fn_lambda, XC_FN_LAZY, "logic",
     "LAMBDA([parameter1, parameter2, ...,] calculation)",
     "A function of the named parameters; call it directly, "
     "LAMBDA(x,x+1)(2), or through a LET or defined name.",
     "=LAMBDA(x,x+1)(2) -> 3\n=LAMBDA(x,y,x*y)(0.1,3) -> 0.3\n"
     "=LET(f,LAMBDA(x,x^2),f(4)+f(3)) -> 25\n=LAMBDA(x,x)(1,2) -> #VALUE!\n"
     "=LAMBDA(x,x) -> #CALC!"},
    {"MAKEARRAY", "nna", fn_makearray, XC_FN_FNARGS, "logic",
     "MAKEARRAY(rows, cols, lambda(row, col))",
     "An array of the given size whose elements a LAMBDA of the row and "
     "column numbers computes.",
     "=MAKEARRAY(2,3,LAMBDA(r,c,r*c)) -> {1,2,3;2,4,6}\n"
     "=MAKEARRAY(0,1,LAMBDA(r,c,1)) -> #VALUE!"},
    {"MAP", "aa|a*", fn_map, XC_FN_FNARGS, "logic",
     "MAP(array1, [array2, ...,] lambda)",
     "Applies a LAMBDA to the elements at each position of the arrays; "
     "a built-in function may be passed by name (MAP(A1:A3,ABS)).",
     "=MAP({1,2,3},LAMBDA(x,x*10)) -> {10,20,30}\n"
     "=MAP({-1,2},ABS) -> {1,2}\n"
     "=MAP({1,2},{3,4},LAMBDA(a,b,a+b)) -> {4,6}"},
    {"REDUCE", "aaa", fn_reduce, XC_FN_FNARGS, "logic",
     "REDUCE([initial_value], array, lambda(accumulator, value))",
     "Folds an array into one value: the LAMBDA combines the accumulator "
     "with each element in turn.",
     "=REDUCE(0,{1,2,3,4},LAMBDA(a,v,a+v)) -> 10\n"
     "=REDUCE(1,{0.1,0.2},LAMBDA(a,v,a+v)) -> 1.3\n"
     "=REDUCE(0,{1,2,3},SUM) -> 6"},
    {"SCAN", "aaa", fn_scan, XC_FN_FNARGS, "logic",
     "SCAN([initial_value], array, lambda(accumulator, value))",
     "Like REDUCE, but returns every intermediate accumulator value.",
     "=SCAN(0,{1,2,3},LAMBDA(a,v,a+v)) -> {1,3,6}\n"
     "=SCAN(\"\",{\"a\",\"b\"},LAMBDA(a,v,a&v)) -> {\"a\",\"ab\"}"},
};
/* clang-format on */
const size_t xc_fns_lambda_n = sizeof xc_fns_lambda / sizeof *xc_fns_lambda;
