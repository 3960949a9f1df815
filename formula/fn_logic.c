/* fn_logic.c - spreadsheet functions of the "logic" category: IF and
 * its relatives (lazy: only the branch taken is evaluated), AND, OR,
 * XOR, NOT, TRUE, FALSE, SWITCH, LET. */
#include <string.h>
#include "formula_int.h"

/* Largest array IF, IFERROR and IFNA build element-wise: the same two
 * whole columns as eval.c's lifted operators; beyond it #NUM!, so
 * IF(A:GA,...) cannot ask for 192 M elements (4.6 GB). */
#define MAX_CELLS xc_array_max(1u << 21)

/* A value as a grid for element-wise use: arrays, and in array context
 * multi-cell references; 0 when v is used as a scalar. */
static int as_grid(xc_eval *ev, const xc_value *v)
{
    if (v->type == XC_ARRAY)
        return 1;
    if (v->type == XC_REF && (ev->flags & XC_EV_ARRAY)) {
        const xc_area *a = &v->u.ref->a[0];
        return v->u.ref->n == 1 && (a->r1 != a->r2 || a->c1 != a->c2);
    }
    return 0;
}

static uint32_t bdim(uint32_t a, uint32_t b)
{
    if (a == 1)
        return b;
    if (b == 1)
        return a;
    return a > b ? a : b;
}

/* Element (r, c) of g broadcast; NULL beyond its shape. */
static const xc_value *bget(xc_grid *g, uint32_t r, uint32_t c)
{
    uint32_t rr = g->rows == 1 ? 0 : r, cc = g->cols == 1 ? 0 : c;
    if (rr >= g->rows || cc >= g->cols)
        return NULL;
    return xc_grid_get(g, rr, cc);
}

/* IF over an array condition: each element picks from the (broadcast)
 * branches. */
static __attribute__((noinline)) int
if_array(xc_fncall *c, const xc_value *cond, xc_value *out)
{
    xc_value br[2] = {{0}, {0}}, res = {0}, t = {0}, b = {0};
    xc_grid gc, gb[2];
    xc_array *arr;
    uint32_t rows, cols;
    int st = XC_OK;

    if ((st = xc_fn_arg(c, 1, 'a', &br[0])) != XC_OK)
        goto done;
    if (c->argc > 2) {
        if ((st = xc_fn_arg(c, 2, 'a', &br[1])) != XC_OK)
            goto done;
    } else {
        xc_value_set_bool(&br[1], 0);
    }
    for (int i = 0; i < 2; i++) {
        if (br[i].type == XC_EMPTY)
            xc_value_set_int(&br[i], 0);
        if (br[i].type == XC_REF && !as_grid(c->ev, &br[i]) &&
            (st = xc_deref(c->ev, &br[i], &br[i])) != XC_OK)
            goto done;
    }
    if (xc_grid_init(&gc, c->ev, cond) != XC_OK ||
        xc_grid_init(&gb[0], c->ev, &br[0]) != XC_OK ||
        xc_grid_init(&gb[1], c->ev, &br[1]) != XC_OK) {
        xc_result_error(out, XC_ERR_VALUE);
        goto done;
    }
    rows = bdim(gc.rows, bdim(gb[0].rows, gb[1].rows));
    cols = bdim(gc.cols, bdim(gb[0].cols, gb[1].cols));
    if ((uint64_t)rows * cols > MAX_CELLS) {
        xc_result_error(out, XC_ERR_NUM);
        goto done;
    }
    if ((st = xc_value_set_array(&res, rows, cols, &arr)) != XC_OK)
        goto done;
    for (uint32_t r = 0; r < rows && st == XC_OK; r++)
        for (uint32_t k = 0; k < cols && st == XC_OK; k++) {
            xc_value *dst = &arr->v[(size_t)r * cols + k];
            const xc_value *p = bget(&gc, r, k);
            if (!p) {
                xc_value_set_error(dst, XC_ERR_NA);
                continue;
            }
            if ((st = xc_value_copy(&t, p)) != XC_OK ||
                (st = xc_to_bool(&t, &b)) != XC_OK)
                break;
            if (b.type == XC_ERROR) {
                st = xc_value_copy(dst, &b);
                continue;
            }
            p = bget(&gb[b.u.b ? 0 : 1], r, k);
            if (!p)
                xc_value_set_error(dst, XC_ERR_NA);
            else if (p->type == XC_EMPTY)
                xc_value_set_int(dst, 0);
            else
                st = xc_value_copy(dst, p);
        }
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
done:
    xc_value_clear(&br[0]);
    xc_value_clear(&br[1]);
    xc_value_clear(&res);
    xc_value_clear(&t);
    xc_value_clear(&b);
    return st;
}

/* IF(logical_test, [value_if_true], [value_if_false]) */
static int fn_if(xc_fncall *c, xc_value *out)
{
    xc_value v = {0}, b = {0};
    int st, pick;

    if ((st = xc_fn_arg(c, 0, 'a', &v)) != XC_OK)
        goto done;
    if (as_grid(c->ev, &v)) {
        st = if_array(c, &v, out);
        goto done;
    }
    if ((st = xc_deref(c->ev, &v, &v)) != XC_OK ||
        (st = xc_to_bool(&v, &b)) != XC_OK)
        goto done;
    if (b.type == XC_ERROR) {
        st = xc_value_copy(out, &b);
        goto done;
    }
    pick = b.u.b ? 1 : 2;
    if (pick >= c->argc) {
        xc_value_clear(out);
        xc_value_set_bool(out, 0);
        goto done;
    }
    st = xc_fn_arg(c, pick, 'a', out);
    if (st == XC_OK && out->type == XC_EMPTY &&
        c->nodes[pick]->kind == XN_MISSING)
        xc_value_set_int(out, 0);
done:
    xc_value_clear(&v);
    xc_value_clear(&b);
    return st;
}

/* IFS(test1, value1, [test2, value2], ...) */
static int fn_ifs(xc_fncall *c, xc_value *out)
{
    xc_value b = {0};
    int st = XC_OK;

    if (c->argc % 2)
        goto na;
    for (int i = 0; i + 1 < c->argc; i += 2) {
        if ((st = xc_fn_arg(c, i, 'b', &b)) != XC_OK)
            return st;
        if (b.type == XC_ERROR) {
            xc_value_move(out, &b);
            return XC_OK;
        }
        if (b.u.b) {
            xc_value_clear(&b);
            st = xc_fn_arg(c, i + 1, 'a', out);
            if (st == XC_OK && out->type == XC_EMPTY)
                xc_value_set_int(out, 0);
            return st;
        }
        xc_value_clear(&b);
    }
na:
    xc_result_error(out, XC_ERR_NA);
    return st;
}

/* IFERROR/IFNA over an array value: the fallback is lifted too, so
 * IFERROR({1;0}/0,{7,8}) broadcasts both to 2x2 and each failing element
 * takes the fallback's element at its position. */
static int if_err_array(xc_fncall *c, int only_na, const xc_value *v,
                        xc_value *out)
{
    xc_value alt = {0}, res = {0};
    xc_grid gv, ga;
    xc_array *arr;
    uint32_t rows, cols;
    int st;

    if ((st = xc_fn_arg(c, 1, 'a', &alt)) != XC_OK)
        goto done;
    if (alt.type == XC_EMPTY)
        xc_value_set_int(&alt, 0);
    if (alt.type == XC_REF && !as_grid(c->ev, &alt) &&
        (st = xc_deref(c->ev, &alt, &alt)) != XC_OK)
        goto done;
    if (xc_grid_init(&gv, c->ev, v) != XC_OK ||
        xc_grid_init(&ga, c->ev, &alt) != XC_OK) {
        xc_result_error(out, XC_ERR_VALUE);
        goto done;
    }
    rows = bdim(gv.rows, ga.rows);
    cols = bdim(gv.cols, ga.cols);
    if ((uint64_t)rows * cols > MAX_CELLS) {
        xc_result_error(out, XC_ERR_NUM);
        goto done;
    }
    if ((st = xc_value_set_array(&res, rows, cols, &arr)) != XC_OK)
        goto done;
    for (uint32_t r = 0; r < rows && st == XC_OK; r++)
        for (uint32_t k = 0; k < cols && st == XC_OK; k++) {
            xc_value *dst = &arr->v[(size_t)r * cols + k];
            const xc_value *p = bget(&gv, r, k);
            if (p && p->type == XC_ERROR && (!only_na || p->err == XC_ERR_NA)) {
                p = bget(&ga, r, k);
                if (p && p->type == XC_EMPTY) {
                    xc_value_set_int(dst, 0);
                    continue;
                }
            }
            if (!p)
                xc_value_set_error(dst, XC_ERR_NA);
            else
                st = xc_value_copy(dst, p);
        }
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
done:
    xc_value_clear(&alt);
    xc_value_clear(&res);
    return st;
}

/* IFERROR and IFNA: value, with errors (only #N/A for IFNA) replaced by
 * the second argument; element-wise over arrays. */
static int if_err(xc_fncall *c, int only_na, xc_value *out)
{
    xc_value v = {0}, alt = {0};
    int st;

    if ((st = xc_fn_arg(c, 0, 'a', &v)) != XC_OK)
        goto done;
    if (as_grid(c->ev, &v) && v.type == XC_REF) {
        xc_value t = {0};
        xc_grid g;
        xc_array *arr;
        if (xc_grid_init(&g, c->ev, &v) != XC_OK) {
            xc_result_error(out, XC_ERR_VALUE);
            goto done;
        }
        if ((uint64_t)g.rows * g.cols > MAX_CELLS) {
            xc_result_error(out, XC_ERR_NUM);
            goto done;
        }
        if ((st = xc_value_set_array(&t, g.rows, g.cols, &arr)) != XC_OK)
            goto done;
        for (uint32_t r = 0; r < g.rows && st == XC_OK; r++)
            for (uint32_t k = 0; k < g.cols && st == XC_OK; k++)
                st = xc_value_copy(&arr->v[(size_t)r * g.cols + k],
                                   xc_grid_get(&g, r, k));
        xc_value_move(&v, &t);
        if (st != XC_OK)
            goto done;
    } else if (v.type == XC_REF) {
        if ((st = xc_deref(c->ev, &v, &v)) != XC_OK)
            goto done;
    }
    if (v.type == XC_ARRAY) {
        st = if_err_array(c, only_na, &v, out);
        goto done;
    }
    if (v.type == XC_ERROR && (!only_na || v.err == XC_ERR_NA)) {
        st = xc_fn_arg(c, 1, 'a', out);
        if (st == XC_OK && out->type == XC_EMPTY)
            xc_value_set_int(out, 0);
    } else {
        if (v.type == XC_EMPTY)
            xc_value_set_int(&v, 0);
        xc_value_move(out, &v);
    }
done:
    xc_value_clear(&v);
    xc_value_clear(&alt);
    return st;
}

static int fn_iferror(xc_fncall *c, xc_value *out)
{
    return if_err(c, 0, out);
}

static int fn_ifna(xc_fncall *c, xc_value *out)
{
    return if_err(c, 1, out);
}

/* AND, OR, XOR: logicals and numbers count; text and empty cells inside
 * references and arrays are skipped; direct text must read as
 * TRUE/FALSE, except "" which is skipped. */
typedef struct logic_acc {
    int n, ntrue;
    xc_error err;
} logic_acc;

static int logic_one(void *ud, const xc_value *v, int from_ref)
{
    logic_acc *a = ud;
    xc_value b = {0};
    int st;

    switch (v->type) {
    case XC_ERROR:
        a->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    case XC_BOOL:
        a->n++;
        a->ntrue += v->u.b != 0;
        return XC_OK;
    case XC_NUMBER:
        a->n++;
        a->ntrue += !xc_num_is_zero(&v->u.num);
        return XC_OK;
    case XC_TEXT:
        /* direct "" is skipped like an empty cell: OR("",TRUE) is TRUE */
        if (from_ref || v->u.str->len == 0)
            return XC_OK;
        if ((st = xc_to_bool(v, &b)) != XC_OK)
            return st;
        if (b.type == XC_ERROR) {
            a->err = (xc_error)b.err;
            return XC_ENOTFOUND;
        }
        a->n++;
        a->ntrue += b.u.b != 0;
        return XC_OK;
    case XC_EMPTY:
        if (!from_ref)
            a->n++; /* an omitted argument counts as FALSE */
        return XC_OK;
    default:
        return XC_OK;
    }
}

static int logic_fold(xc_fncall *c, int kind, xc_value *out)
{
    logic_acc a = {0, 0, XC_ERR_NONE};
    int st = XC_OK, r;

    for (int i = 0; i < c->argc && st == XC_OK && !a.err; i++)
        st = xc_visit(c->ev, &c->argv[i], 0, logic_one, &a);
    if (st != XC_OK)
        return st;
    if (a.err) {
        xc_result_error(out, a.err);
        return XC_OK;
    }
    if (a.n == 0) {
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    }
    if (kind == 0)
        r = a.ntrue == a.n;
    else if (kind == 1)
        r = a.ntrue > 0;
    else
        r = a.ntrue % 2;
    xc_value_clear(out);
    xc_value_set_bool(out, r);
    return XC_OK;
}

static int fn_and(xc_fncall *c, xc_value *out)
{
    return logic_fold(c, 0, out);
}

static int fn_or(xc_fncall *c, xc_value *out)
{
    return logic_fold(c, 1, out);
}

static int fn_xor(xc_fncall *c, xc_value *out)
{
    return logic_fold(c, 2, out);
}

static int fn_not(xc_fncall *c, xc_value *out)
{
    xc_value_clear(out);
    xc_value_set_bool(out, !c->argv[0].u.b);
    return XC_OK;
}

static int fn_true(xc_fncall *c, xc_value *out)
{
    xc_value_clear(out);
    xc_value_set_bool(out, 1);
    return XC_OK;
}

static int fn_false(xc_fncall *c, xc_value *out)
{
    xc_value_clear(out);
    xc_value_set_bool(out, 0);
    return XC_OK;
}

/* SWITCH(expression, value1, result1, ..., [default]): the first value
 * equal to the expression (as = compares) picks its result. */
static int fn_switch(xc_fncall *c, xc_value *out)
{
    xc_value x = {0}, v = {0};
    int st, i;

    if ((st = xc_fn_arg(c, 0, 'v', &x)) != XC_OK)
        return st;
    if (x.type == XC_ERROR) {
        xc_value_move(out, &x);
        return XC_OK;
    }
    for (i = 1; i + 1 < c->argc; i += 2) {
        if ((st = xc_fn_arg(c, i, 'v', &v)) != XC_OK)
            goto done;
        if (v.type == XC_ERROR) {
            xc_value_move(out, &v);
            goto done;
        }
        if (xc_value_cmp(&x, &v) == 0) {
            st = xc_fn_arg(c, i + 1, 'a', out);
            goto result;
        }
        xc_value_clear(&v);
    }
    if (i < c->argc) {
        st = xc_fn_arg(c, i, 'a', out);
        goto result;
    }
    xc_result_error(out, XC_ERR_NA);
    goto done;
result:
    if (st == XC_OK && out->type == XC_EMPTY)
        xc_value_set_int(out, 0);
done:
    xc_value_clear(&x);
    xc_value_clear(&v);
    return st;
}

/* LET(name1, value1, [name2, value2, ...], calculation): each value is
 * evaluated once, in order, and bound to its name for the later values
 * and the calculation. */
static int fn_let(xc_fncall *c, xc_value *out)
{
    xc_value v = {0};
    int st = XC_OK, pushed = 0;

    if (c->argc % 2 == 0) {
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    }
    for (int i = 0; i + 1 < c->argc; i += 2) {
        const xc_node *n = c->nodes[i];
        if (n->kind != XN_NAME || n->u.name.sheet >= 0) {
            xc_result_error(out, XC_ERR_VALUE);
            goto done;
        }
        if ((st = xc_fn_arg(c, i + 1, 'a', &v)) != XC_OK)
            goto done;
        st = xc_let_push(c->ev, n->u.name.text, &v);
        xc_value_clear(&v);
        if (st != XC_OK)
            goto done;
        pushed++;
    }
    st = xc_fn_arg(c, c->argc - 1, 'a', out);
done:
    xc_let_pop(c->ev, pushed);
    return st;
}

/* clang-format off */
const xc_fn_def xc_fns_logic[] = {
    {"AND", "A|A*", fn_and, 0, "logic", "AND(logical1, [logical2], ...)",
     "TRUE when every argument is TRUE; text and empty cells in ranges are "
     "skipped.",
     "=AND(TRUE,1) -> TRUE\n=AND(TRUE,0) -> FALSE\n=AND(1>0,2>1) -> TRUE"},
    {"FALSE", "", fn_false, 0, "logic", "FALSE()",
     "The logical value FALSE.", "=FALSE() -> FALSE"},
    {"IF", "b|aa", fn_if, XC_FN_LAZY, "logic",
     "IF(logical_test, [value_if_true], [value_if_false])",
     "One of two values depending on a condition; only the chosen branch "
     "is evaluated.",
     "=IF(1>2,\"yes\",\"no\") -> no\n=IF(TRUE,5) -> 5\n=IF(FALSE,1/0) -> "
     "FALSE"},
    {"IFERROR", "aa", fn_iferror, XC_FN_LAZY, "logic",
     "IFERROR(value, value_if_error)",
     "The value, or the second argument when the value is an error.",
     "=IFERROR(1/0,\"none\") -> none\n=IFERROR(4/2,0) -> 2"},
    {"IFNA", "aa", fn_ifna, XC_FN_LAZY, "logic", "IFNA(value, value_if_na)",
     "The value, or the second argument when the value is #N/A.",
     "=IFNA(NA(),0) -> 0\n=IFNA(1/0,0) -> #DIV/0!"},
    {"IFS", "ba|a*", fn_ifs, XC_FN_LAZY, "logic",
     "IFS(logical_test1, value1, [logical_test2, value2], ...)",
     "The value paired with the first true condition; #N/A when none is "
     "true.",
     "=IFS(1>2,\"a\",2>1,\"b\") -> b\n=IFS(FALSE,1) -> #N/A"},
    {"LET", "aaa|a*", fn_let, XC_FN_LAZY, "logic",
     "LET(name1, value1, [name2, value2, ...], calculation)",
     "Binds names to values, then evaluates the calculation with them.",
     "=LET(x,2,y,x*3,x+y) -> 8\n=LET(r,0.1,r+0.2) -> 0.3"},
    {"NOT", "b", fn_not, 0, "logic", "NOT(logical)",
     "Reverses a logical value.", "=NOT(FALSE) -> TRUE\n=NOT(1) -> FALSE"},
    {"OR", "A|A*", fn_or, 0, "logic", "OR(logical1, [logical2], ...)",
     "TRUE when at least one argument is TRUE; text and empty cells in "
     "ranges are skipped.",
     "=OR(FALSE,0) -> FALSE\n=OR(FALSE,1>0) -> TRUE"},
    {"SWITCH", "vaa|a*", fn_switch, XC_FN_LAZY, "logic",
     "SWITCH(expression, value1, result1, [value2, result2], ..., "
     "[default])",
     "The result paired with the first value equal to the expression, "
     "else the default (or #N/A).",
     "=SWITCH(2,1,\"one\",2,\"two\") -> two\n=SWITCH(3,1,\"one\",\"other\") "
     "-> other\n=SWITCH(3,1,\"one\") -> #N/A"},
    {"TRUE", "", fn_true, 0, "logic", "TRUE()", "The logical value TRUE.",
     "=TRUE() -> TRUE"},
    {"XOR", "A|A*", fn_xor, 0, "logic", "XOR(logical1, [logical2], ...)",
     "TRUE when an odd number of the arguments are TRUE.",
     "=XOR(TRUE,FALSE) -> TRUE\n=XOR(TRUE,TRUE) -> FALSE"},
};
/* clang-format on */
const size_t xc_fns_logic_n = sizeof xc_fns_logic / sizeof *xc_fns_logic;
