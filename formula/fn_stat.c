/* fn_stat.c - spreadsheet functions of the "stat" category: counting,
 * averages, extremes, order statistics, dispersion, regression, the
 * conditional aggregates (COUNTIF, AVERAGEIFS, MAXIFS...) and a few
 * distributions.
 *
 * Means, variances, percentiles and regression coefficients are exact
 * rationals; square roots are exact for perfect squares and otherwise
 * go through MPFR (marked inexact), as do the distributions. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"

/* ---- Number gathering ---------------------------------------------- */

int xc_nums_push(xc_numvec *nv, const xc_num *x, unsigned inx)
{
    if (nv->n == nv->cap) {
        size_t cap = nv->cap ? nv->cap * 2 : 16;
        xc_num *v = xc_realloc(nv->v, cap * sizeof *v);
        if (!v)
            return XC_ENOMEM;
        nv->v = v;
        nv->cap = cap;
    }
    xc_num_init(&nv->v[nv->n]);
    if (xc_num_set(&nv->v[nv->n], x) != XC_OK)
        return XC_ENOMEM;
    nv->n++;
    nv->inexact |= inx;
    return XC_OK;
}

void xc_nums_free(xc_numvec *nv)
{
    for (size_t k = 0; k < nv->n; k++)
        xc_num_clear(&nv->v[k]);
    xc_free(nv->v);
    memset(nv, 0, sizeof *nv);
}

/* A number consumer for streaming aggregates (AVERAGE, MIN, MAX). */
typedef int (*num_sink)(void *ctx, const xc_num *x, unsigned inx);

typedef struct gather {
    xc_numvec *nv; /* collect here, or */
    int amode;
    xc_error err;
    int st;
    num_sink sink; /* hand each number to sink */
    void *sctx;
} gather;

static int emit(gather *g, const xc_num *x, unsigned inx)
{
    g->st = g->sink ? g->sink(g->sctx, x, inx) : xc_nums_push(g->nv, x, inx);
    return g->st == XC_OK ? XC_OK : XC_ENOTFOUND;
}

static int push_int(gather *g, int64_t v)
{
    xc_num x;
    int st;
    xc_num_init(&x);
    xc_num_set_int(&x, v);
    st = emit(g, &x, 0);
    xc_num_clear(&x);
    return st;
}

static int gather_cb(void *ud, const xc_value *v, int from_ref)
{
    gather *g = ud;
    switch (v->type) {
    case XC_NUMBER:
        return emit(g, &v->u.num, v->flags & XC_VAL_INEXACT);
    case XC_ERROR:
        g->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    case XC_BOOL:
        if (from_ref && !g->amode)
            return XC_OK;
        return push_int(g, v->u.b != 0);
    case XC_TEXT:
        if (from_ref)
            return g->amode ? push_int(g, 0) : XC_OK;
        {
            xc_value t = {0};
            int st = xc_to_number(v, &t);
            if (st != XC_OK)
                return st;
            if (t.type != XC_NUMBER) {
                g->err = XC_ERR_VALUE;
                xc_value_clear(&t);
                return XC_ENOTFOUND;
            }
            st = emit(g, &t.u.num, 0);
            xc_value_clear(&t);
            return st;
        }
    case XC_EMPTY:
        return from_ref ? XC_OK : push_int(g, 0);
    default:
        return XC_OK;
    }
}

int xc_nums_gather(xc_eval *ev, const xc_value *arg, int amode, xc_numvec *nv,
                   xc_error *err)
{
    gather g = {nv, amode, XC_ERR_NONE, XC_OK, NULL, NULL};
    int st = xc_visit(ev, arg, 0, gather_cb, &g);
    if (st == XC_ENOTFOUND)
        st = XC_OK;
    if (g.err && !*err)
        *err = g.err;
    return st != XC_OK ? st : g.st;
}

/* ---- Helpers ------------------------------------------------------- */

static const xc_num zero_num = {1, {0}};

/* A logical argument (spec 'b'): TRUE, or a non-zero number. */
static int truth(xc_fncall *c, int i)
{
    if (i >= c->argc)
        return 0;
    if (c->argv[i].type == XC_BOOL)
        return c->argv[i].u.b != 0;
    return c->argv[i].type == XC_NUMBER && !xc_num_is_zero(&c->argv[i].u.num);
}

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

static int fail(xc_value *out, int st)
{
    switch (st) {
    case XC_ELIMIT:
    case XC_EINVAL:
        return err_out(out, XC_ERR_NUM);
    case XC_EDIVZERO:
        return err_out(out, XC_ERR_DIV0);
    default:
        return st;
    }
}

static int done(xc_value *out, xc_num *x, int st, unsigned inx)
{
    if (st == XC_OK)
        return xc_result_num(out, x, inx ? XC_VAL_INEXACT : 0);
    xc_num_clear(x);
    return fail(out, st);
}

/* Numbers of arguments [from, to) with SUM's rules (or amode's).
 * Returns a status; *e receives the first error value met. */
static int nums(xc_fncall *c, int from, int to, int amode, xc_numvec *nv,
                xc_error *e)
{
    int st = XC_OK;
    *e = XC_ERR_NONE;
    memset(nv, 0, sizeof *nv);
    for (int i = from; i < to && i < c->argc && st == XC_OK && !*e; i++)
        st = xc_nums_gather(c->ev, &c->argv[i], amode, nv, e);
    return st;
}

static int cmp_num(const void *a, const void *b)
{
    return xc_num_cmp(a, b);
}

static void sort_nums(xc_numvec *nv)
{
    if (nv->n > 1)
        qsort(nv->v, nv->n, sizeof *nv->v, cmp_num);
}

/* Sum of a vector into s (initialised). */
static int sum_into(xc_num *s, const xc_numvec *nv)
{
    int st = XC_OK;
    xc_num_set_int(s, 0);
    for (size_t k = 0; k < nv->n && st == XC_OK; k++)
        st = xc_num_add(s, s, &nv->v[k]);
    return st;
}

/* Sum of squared deviations from the mean. */
static int devsq_into(xc_num *r, const xc_numvec *nv)
{
    xc_num mean, t;
    int st;
    xc_num_init(&mean);
    xc_num_init(&t);
    st = sum_into(&mean, nv);
    if (st == XC_OK && nv->n) {
        xc_num cnt;
        xc_num_init(&cnt);
        xc_num_set_int(&cnt, (int64_t)nv->n);
        st = xc_num_div(&mean, &mean, &cnt);
    }
    xc_num_set_int(r, 0);
    for (size_t k = 0; k < nv->n && st == XC_OK; k++) {
        st = xc_num_sub(&t, &nv->v[k], &mean);
        if (st == XC_OK)
            st = xc_num_mul(&t, &t, &t);
        if (st == XC_OK)
            st = xc_num_add(r, r, &t);
    }
    xc_num_clear(&mean);
    xc_num_clear(&t);
    return st;
}

/* ---- Counting ------------------------------------------------------ */

typedef struct counter {
    int64_t n;
    int kind; /* 0 COUNT, 1 COUNTA, 2 COUNTBLANK's non-blank cells */
} counter;

static int count_cb(void *ud, const xc_value *v, int from_ref)
{
    counter *k = ud;
    if (k->kind == 1) {
        if (v->type != XC_EMPTY || !from_ref)
            k->n++;
    } else if (k->kind == 2) {
        if (v->type != XC_EMPTY && !(v->type == XC_TEXT && !v->u.str->len))
            k->n++;
    } else if (v->type == XC_NUMBER) {
        k->n++;
    } else if (!from_ref) {
        if (v->type == XC_BOOL || v->type == XC_EMPTY)
            k->n++;
        else if (v->type == XC_TEXT) {
            xc_num x;
            xc_num_init(&x);
            if (xc_text_to_num(v->u.str->s, v->u.str->len, 0, &x) == XC_OK)
                k->n++;
            xc_num_clear(&x);
        }
    }
    return XC_OK;
}

static int count_kind(xc_fncall *c, xc_value *out, int kind)
{
    counter k = {0, kind};
    for (int i = 0; i < c->argc; i++) {
        int st = xc_visit(c->ev, &c->argv[i], 0, count_cb, &k);
        if (st != XC_OK && st != XC_ENOTFOUND)
            return st;
    }
    xc_value_set_int(out, k.n);
    return XC_OK;
}

static int fn_count(xc_fncall *c, xc_value *out)
{
    return count_kind(c, out, 0);
}

static int fn_counta(xc_fncall *c, xc_value *out)
{
    return count_kind(c, out, 1);
}

static int fn_countblank(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    counter k = {0, 2};
    uint64_t total = 0;
    int st;
    if (v->type == XC_REF) {
        for (uint32_t i = 0; i < v->u.ref->n; i++) {
            const xc_area *a = &v->u.ref->a[i];
            total += (uint64_t)(a->r2 - a->r1 + 1) * (a->c2 - a->c1 + 1) *
                     (uint64_t)(a->sheet2 - a->sheet + 1);
        }
    } else if (v->type == XC_ARRAY) {
        total = (uint64_t)v->u.arr->rows * v->u.arr->cols;
    } else {
        total = 1;
    }
    st = xc_visit(c->ev, v, 0, count_cb, &k);
    if (st != XC_OK && st != XC_ENOTFOUND)
        return st;
    if (v->type != XC_REF && v->type != XC_ARRAY)
        k.n =
            v->type != XC_EMPTY && !(v->type == XC_TEXT && v->u.str->len == 0);
    xc_value_set_int(out, (int64_t)(total - (uint64_t)k.n));
    return XC_OK;
}

static int countif_cb(void *ud, const xc_value *v, uint64_t times)
{
    *(uint64_t *)ud += times;
    return XC_OK;
}

static int count_ifs(xc_fncall *c, xc_value *out, int npairs)
{
    uint64_t n = 0;
    xc_error e;
    int st = xc_ifs_args(c, 0, npairs, NULL, 0, countif_cb, &n, &e);
    if (st != XC_OK)
        return st;
    if (e)
        return err_out(out, e);
    xc_value_set_int(out, (int64_t)n);
    return XC_OK;
}

static int fn_countif(xc_fncall *c, xc_value *out)
{
    return count_ifs(c, out, 1);
}

static int fn_countifs(xc_fncall *c, xc_value *out)
{
    int lifted, st = xc_ifs_lift(c, 0, out, &lifted);
    if (st != XC_OK || lifted)
        return st;
    return count_ifs(c, out, -1);
}

/* ---- Averages and extremes ----------------------------------------- */

/* Feed the numbers of arguments [from, argc) to sink without storing
 * them (SUM's rules, or amode's); *e: the first error value met. */
static int stream(xc_fncall *c, int from, int amode, num_sink sink, void *ctx,
                  xc_error *e)
{
    int st = XC_OK;
    *e = XC_ERR_NONE;
    for (int i = from; i < c->argc && st == XC_OK && !*e; i++) {
        gather g = {NULL, amode, XC_ERR_NONE, XC_OK, sink, ctx};
        st = xc_visit(c->ev, &c->argv[i], 0, gather_cb, &g);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
        if (st == XC_OK)
            st = g.st;
        *e = g.err;
    }
    return st;
}

/* Running sum/count for AVERAGE, or the running extreme for MIN/MAX. */
typedef struct acc {
    xc_num v;
    uint64_t n;
    unsigned inexact;
    int max; /* extreme: 1 for MAX */
} acc;

static int sum_sink(void *ctx, const xc_num *x, unsigned inx)
{
    acc *a = ctx;
    a->n++;
    a->inexact |= inx;
    return xc_num_add(&a->v, &a->v, x);
}

static int extreme_sink(void *ctx, const xc_num *x, unsigned inx)
{
    acc *a = ctx;
    int d = a->n ? xc_num_cmp(x, &a->v) : 0;
    a->inexact |= inx;
    if (a->n++ == 0 || (a->max ? d > 0 : d < 0))
        return xc_num_set(&a->v, x);
    return XC_OK;
}

static int average(xc_fncall *c, xc_value *out, int amode)
{
    acc a = {.n = 0};
    xc_error e;
    xc_num n;
    int st;
    xc_num_init(&a.v);
    st = stream(c, 0, amode, sum_sink, &a, &e);
    if (st != XC_OK || e || a.n == 0) {
        xc_num_clear(&a.v);
        return st != XC_OK ? fail(out, st) : err_out(out, e ? e : XC_ERR_DIV0);
    }
    xc_num_init(&n);
    xc_num_set_int(&n, (int64_t)a.n);
    st = xc_num_div(&a.v, &a.v, &n);
    xc_num_clear(&n);
    return done(out, &a.v, st, a.inexact);
}

static int fn_average(xc_fncall *c, xc_value *out)
{
    return average(c, out, 0);
}

static int fn_averagea(xc_fncall *c, xc_value *out)
{
    return average(c, out, 1);
}

static int extreme(xc_fncall *c, xc_value *out, int amode, int max)
{
    acc a = {.n = 0, .max = max};
    xc_error e;
    int st;
    xc_num_init(&a.v);
    st = stream(c, 0, amode, extreme_sink, &a, &e);
    if (st != XC_OK || e) {
        xc_num_clear(&a.v);
        return st != XC_OK ? fail(out, st) : err_out(out, e);
    }
    return done(out, &a.v, XC_OK, a.inexact);
}

static int fn_max(xc_fncall *c, xc_value *out)
{
    return extreme(c, out, 0, 1);
}

static int fn_min(xc_fncall *c, xc_value *out)
{
    return extreme(c, out, 0, 0);
}

static int fn_maxa(xc_fncall *c, xc_value *out)
{
    return extreme(c, out, 1, 1);
}

static int fn_mina(xc_fncall *c, xc_value *out)
{
    return extreme(c, out, 1, 0);
}

static int fn_averageif(xc_fncall *c, xc_value *out)
{
    const xc_value *vals = xc_arg_given(c, 2) ? &c->argv[2] : &c->argv[0];
    return xc_ifs_aggregate(c, out, XC_IFAGG_AVERAGE, 0, 1, vals, 1);
}

static int fn_averageifs(xc_fncall *c, xc_value *out)
{
    int lifted, st = xc_ifs_lift(c, 1, out, &lifted);
    if (st != XC_OK || lifted)
        return st;
    return xc_ifs_aggregate(c, out, XC_IFAGG_AVERAGE, 1, -1, &c->argv[0], 0);
}

static int fn_maxifs(xc_fncall *c, xc_value *out)
{
    int lifted, st = xc_ifs_lift(c, 1, out, &lifted);
    if (st != XC_OK || lifted)
        return st;
    return xc_ifs_aggregate(c, out, XC_IFAGG_MAX, 1, -1, &c->argv[0], 0);
}

static int fn_minifs(xc_fncall *c, xc_value *out)
{
    int lifted, st = xc_ifs_lift(c, 1, out, &lifted);
    if (st != XC_OK || lifted)
        return st;
    return xc_ifs_aggregate(c, out, XC_IFAGG_MIN, 1, -1, &c->argv[0], 0);
}

/* ---- Order statistics ---------------------------------------------- */

/* Sorted numbers of argument 0, or an error result. */
static int sorted_arg(xc_fncall *c, xc_value *out, xc_numvec *nv, int *bad)
{
    xc_error e;
    int st = nums(c, 0, 1, 0, nv, &e);
    *bad = 1;
    if (st != XC_OK) {
        xc_nums_free(nv);
        return st;
    }
    if (e) {
        xc_nums_free(nv);
        return err_out(out, e);
    }
    sort_nums(nv);
    *bad = 0;
    return XC_OK;
}

static int fn_median(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    xc_num r, two;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n == 0) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    sort_nums(&nv);
    xc_num_init(&r);
    if (nv.n % 2)
        st = xc_num_set(&r, &nv.v[nv.n / 2]);
    else {
        xc_num_init(&two);
        xc_num_set_int(&two, 2);
        st = xc_num_add(&r, &nv.v[nv.n / 2 - 1], &nv.v[nv.n / 2]);
        if (st == XC_OK)
            st = xc_num_div(&r, &r, &two);
    }
    st = done(out, &r, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int large_small(xc_fncall *c, xc_value *out, int large)
{
    xc_numvec nv;
    xc_num k;
    int64_t i;
    int bad, st = sorted_arg(c, out, &nv, &bad);
    if (bad)
        return st;
    /* A fractional k is rounded up, as Excel does. */
    xc_num_init(&k);
    st = xc_num_round(&k, xc_arg_num(c, 1), 0, XC_ROUND_CEIL);
    if (st != XC_OK || xc_num_get_int64(&k, &i) != XC_OK || i < 1 ||
        (uint64_t)i > nv.n) {
        xc_num_clear(&k);
        xc_nums_free(&nv);
        return st == XC_OK || st == XC_ELIMIT ? err_out(out, XC_ERR_NUM) : st;
    }
    xc_num_clear(&k);
    xc_num_init(&k);
    st = xc_num_set(&k, &nv.v[large ? nv.n - (size_t)i : (size_t)i - 1]);
    st = done(out, &k, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int fn_large(xc_fncall *c, xc_value *out)
{
    return large_small(c, out, 1);
}

static int fn_small(xc_fncall *c, xc_value *out)
{
    return large_small(c, out, 0);
}

/* RANK(number, ref, [order]): 1 + the count of numbers beating it;
 * RANK.AVG averages the ranks of ties. */
static int rank(xc_fncall *c, xc_value *out, int avg)
{
    xc_numvec nv;
    xc_error e;
    int64_t better = 0, ties = 0;
    int asc = xc_arg_given(c, 2) && xc_num_sign(xc_arg_num(c, 2)) != 0;
    int st = nums(c, 1, 2, 0, &nv, &e);
    if (st != XC_OK || e) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e);
    }
    for (size_t k = 0; k < nv.n; k++) {
        int d = xc_num_cmp(&nv.v[k], xc_arg_num(c, 0));
        if (d == 0)
            ties++;
        else if (asc ? d < 0 : d > 0)
            better++;
    }
    xc_nums_free(&nv);
    if (!ties)
        return err_out(out, XC_ERR_NA);
    if (!avg) {
        xc_value_set_int(out, better + 1);
        return XC_OK;
    }
    xc_num r;
    xc_num_init(&r);
    /* mean of better+1 .. better+ties = better + (ties+1)/2 */
    return done(out, &r, xc_num_set_frac(&r, 2 * better + ties + 1, 2), 0);
}

static int fn_rank(xc_fncall *c, xc_value *out)
{
    return rank(c, out, 0);
}

static int fn_rank_avg(xc_fncall *c, xc_value *out)
{
    return rank(c, out, 1);
}

/* Value at 0-based fractional position pos (0 <= pos <= n-1) of a
 * sorted vector, interpolating linearly. */
static int interp(xc_num *r, const xc_numvec *nv, const xc_num *pos)
{
    xc_num f, d;
    int64_t i;
    int st;
    xc_num_init(&f);
    xc_num_init(&d);
    st = xc_num_round(&f, pos, 0, XC_ROUND_FLOOR);
    if (st == XC_OK)
        st = xc_num_get_int64(&f, &i);
    if (st == XC_OK)
        st = xc_num_sub(&f, pos, &f); /* fractional part */
    if (st == XC_OK)
        st = xc_num_set(r, &nv->v[i]);
    if (st == XC_OK && !xc_num_is_zero(&f) && (size_t)i + 1 < nv->n) {
        st = xc_num_sub(&d, &nv->v[i + 1], &nv->v[i]);
        if (st == XC_OK)
            st = xc_num_mul(&d, &d, &f);
        if (st == XC_OK)
            st = xc_num_add(r, r, &d);
    }
    xc_num_clear(&f);
    xc_num_clear(&d);
    return st;
}

/* Percentile p (a number) of argument 0: inclusive (pos = p*(n-1)) or
 * exclusive (pos = p*(n+1) - 1, which must fall inside the data). */
static int percentile(xc_fncall *c, xc_value *out, const xc_num *p, int exc)
{
    xc_numvec nv;
    xc_num pos, t;
    int bad, st = sorted_arg(c, out, &nv, &bad);
    if (bad)
        return st;
    if (nv.n == 0 || xc_num_sign(p) < 0 || xc_num_cmp_int(p, 1) > 0 ||
        (exc && (xc_num_sign(p) == 0 || xc_num_cmp_int(p, 1) == 0))) {
        xc_nums_free(&nv);
        return err_out(out, XC_ERR_NUM);
    }
    xc_num_init(&pos);
    xc_num_init(&t);
    xc_num_set_int(&t, exc ? (int64_t)nv.n + 1 : (int64_t)nv.n - 1);
    st = xc_num_mul(&pos, p, &t);
    if (exc && st == XC_OK) {
        xc_num_set_int(&t, 1);
        st = xc_num_sub(&pos, &pos, &t);
        if (st == XC_OK && (xc_num_sign(&pos) < 0 ||
                            xc_num_cmp_int(&pos, (int64_t)nv.n - 1) > 0)) {
            xc_num_clear(&pos);
            xc_num_clear(&t);
            xc_nums_free(&nv);
            return err_out(out, XC_ERR_NUM);
        }
    }
    if (st == XC_OK)
        st = interp(&t, &nv, &pos);
    xc_num_clear(&pos);
    st = done(out, &t, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int fn_percentile(xc_fncall *c, xc_value *out)
{
    return percentile(c, out, xc_arg_num(c, 1), 0);
}

static int fn_percentile_exc(xc_fncall *c, xc_value *out)
{
    return percentile(c, out, xc_arg_num(c, 1), 1);
}

static int quartile(xc_fncall *c, xc_value *out, int exc)
{
    xc_num p;
    int64_t q;
    int st;
    if (xc_num_sign(xc_arg_num(c, 1)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 1), 5) >= 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 4, &q);
    if (exc && (q < 1 || q > 3))
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&p);
    xc_num_set_frac(&p, q, 4);
    st = percentile(c, out, &p, exc);
    xc_num_clear(&p);
    return st;
}

static int fn_quartile(xc_fncall *c, xc_value *out)
{
    return quartile(c, out, 0);
}

static int fn_quartile_exc(xc_fncall *c, xc_value *out)
{
    return quartile(c, out, 1);
}

/* PERCENTRANK(array, x, [significance]): the fractional position of x,
 * truncated to `significance` digits (3 by default). */
static int percentrank(xc_fncall *c, xc_value *out, int exc)
{
    xc_numvec nv;
    xc_num r, t, d;
    const xc_num *x = xc_arg_num(c, 1);
    int64_t sig = 3, less = 0;
    int bad, st;
    if (xc_arg_given(c, 2)) {
        if (xc_num_cmp_int(xc_arg_num(c, 2), 1) < 0)
            return err_out(out, XC_ERR_NUM);
        xc_num_trunc_clamp(xc_arg_num(c, 2), 1, 1000, &sig);
    }
    st = sorted_arg(c, out, &nv, &bad);
    if (bad)
        return st;
    if (nv.n == 0 || xc_num_cmp(x, &nv.v[0]) < 0 ||
        xc_num_cmp(x, &nv.v[nv.n - 1]) > 0) {
        xc_error e = nv.n ? XC_ERR_NA : XC_ERR_NUM;
        xc_nums_free(&nv);
        return err_out(out, e);
    }
    while ((size_t)less < nv.n && xc_num_cmp(&nv.v[less], x) < 0)
        less++;
    xc_num_init(&r);
    xc_num_init(&t);
    xc_num_init(&d);
    /* pos: 0-based fractional position of x among the sorted data */
    if (xc_num_equal(&nv.v[less], x))
        xc_num_set_int(&r, less);
    else {
        st = xc_num_sub(&t, x, &nv.v[less - 1]);
        if (st == XC_OK)
            st = xc_num_sub(&d, &nv.v[less], &nv.v[less - 1]);
        if (st == XC_OK)
            st = xc_num_div(&r, &t, &d);
        xc_num_set_int(&t, less - 1);
        if (st == XC_OK)
            st = xc_num_add(&r, &r, &t);
    }
    if (exc) {
        xc_num_set_int(&t, 1);
        if (st == XC_OK)
            st = xc_num_add(&r, &r, &t);
        xc_num_set_int(&t, (int64_t)nv.n + 1);
    } else {
        xc_num_set_int(&t, nv.n > 1 ? (int64_t)nv.n - 1 : 1);
        if (nv.n == 1)
            xc_num_set_int(&r, 1);
    }
    if (st == XC_OK)
        st = xc_num_div(&r, &r, &t);
    if (st == XC_OK)
        st = xc_num_round(&r, &r, (int)sig, XC_ROUND_DOWN);
    xc_num_clear(&t);
    xc_num_clear(&d);
    st = done(out, &r, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int fn_percentrank(xc_fncall *c, xc_value *out)
{
    return percentrank(c, out, 0);
}

static int fn_percentrank_exc(xc_fncall *c, xc_value *out)
{
    return percentrank(c, out, 1);
}

/* MODE: the most frequent number, the first to reach that count in
 * argument order; #N/A when nothing repeats. */
static int fn_mode(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    size_t best = 0, bestn = 1;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e);
    }
    for (size_t i = 0; i < nv.n; i++) {
        size_t cnt = 0;
        for (size_t j = 0; j < nv.n; j++)
            cnt += xc_num_equal(&nv.v[i], &nv.v[j]);
        if (cnt > bestn) {
            bestn = cnt;
            best = i;
        }
    }
    if (bestn < 2) {
        xc_nums_free(&nv);
        return err_out(out, XC_ERR_NA);
    }
    xc_num r;
    xc_num_init(&r);
    st = done(out, &r, xc_num_set(&r, &nv.v[best]), nv.inexact);
    xc_nums_free(&nv);
    return st;
}

/* ---- Dispersion ---------------------------------------------------- */

/* Variance (sample when `sample`), optionally its square root. */
static int variance(xc_fncall *c, xc_value *out, int amode, int sample,
                    int root)
{
    xc_numvec nv;
    xc_error e;
    xc_num r, d;
    int st = nums(c, 0, c->argc, amode, &nv, &e);
    if (st != XC_OK || e || nv.n < (size_t)(sample ? 2 : 1)) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_DIV0);
    }
    xc_num_init(&r);
    xc_num_init(&d);
    st = devsq_into(&r, &nv);
    xc_num_set_int(&d, (int64_t)nv.n - (sample ? 1 : 0));
    if (st == XC_OK)
        st = xc_num_div(&r, &r, &d);
    xc_num_clear(&d);
    if (root && st == XC_OK) {
        st = xc_result_sqrt(out, &r, nv.inexact);
        xc_num_clear(&r);
    } else
        st = done(out, &r, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int fn_var_s(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 0, 1, 0);
}
static int fn_var_p(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 0, 0, 0);
}
static int fn_vara(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 1, 1, 0);
}
static int fn_varpa(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 1, 0, 0);
}
static int fn_stdev_s(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 0, 1, 1);
}
static int fn_stdev_p(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 0, 0, 1);
}
static int fn_stdeva(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 1, 1, 1);
}
static int fn_stdevpa(xc_fncall *c, xc_value *out)
{
    return variance(c, out, 1, 0, 1);
}

static int fn_devsq(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    xc_num r;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n == 0) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    xc_num_init(&r);
    st = done(out, &r, devsq_into(&r, &nv), nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int fn_avedev(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    xc_num mean, t, r, n;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n == 0) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    xc_num_init(&mean);
    xc_num_init(&t);
    xc_num_init(&r);
    xc_num_init(&n);
    xc_num_set_int(&n, (int64_t)nv.n);
    st = sum_into(&mean, &nv);
    if (st == XC_OK)
        st = xc_num_div(&mean, &mean, &n);
    for (size_t k = 0; k < nv.n && st == XC_OK; k++) {
        st = xc_num_sub(&t, &nv.v[k], &mean);
        if (st == XC_OK)
            st = xc_num_abs(&t, &t);
        if (st == XC_OK)
            st = xc_num_add(&r, &r, &t);
    }
    if (st == XC_OK)
        st = xc_num_div(&r, &r, &n);
    xc_num_clear(&mean);
    xc_num_clear(&t);
    xc_num_clear(&n);
    st = done(out, &r, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

static int fn_harmean(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    xc_num r, t;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n == 0) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    xc_num_init(&r);
    xc_num_init(&t);
    for (size_t k = 0; k < nv.n && st == XC_OK; k++) {
        if (xc_num_sign(&nv.v[k]) <= 0)
            st = XC_ELIMIT;
        else
            st = xc_num_inv(&t, &nv.v[k]);
        if (st == XC_OK)
            st = xc_num_add(&r, &r, &t);
    }
    xc_num_set_int(&t, (int64_t)nv.n);
    if (st == XC_OK)
        st = xc_num_div(&r, &t, &r);
    xc_num_clear(&t);
    st = done(out, &r, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

/* GEOMEAN: the n-th root of the product, exact when it is rational. */
static int fn_geomean(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    mpq_t p, q;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n == 0) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    mpq_inits(p, q, (mpq_ptr)0);
    mpq_set_ui(p, 1, 1);
    for (size_t k = 0; k < nv.n; k++) {
        if (xc_num_sign(&nv.v[k]) <= 0 ||
            mpz_sizeinbase(mpq_numref(p), 2) +
                    mpz_sizeinbase(mpq_denref(p), 2) >
                XC_NUM_MAX_BITS) {
            mpq_clears(p, q, (mpq_ptr)0);
            xc_nums_free(&nv);
            return err_out(out, XC_ERR_NUM);
        }
        xc_num_get_mpq(q, &nv.v[k]);
        mpq_mul(p, p, q);
    }
    mpz_set(mpq_numref(q), mpq_numref(p));
    mpz_set(mpq_denref(q), mpq_denref(p));
    if (mpz_root(mpq_numref(q), mpq_numref(q), nv.n) &&
        mpz_root(mpq_denref(q), mpq_denref(q), nv.n)) {
        xc_num r;
        xc_num_init(&r);
        st = done(out, &r, xc_num_set_mpq(&r, q), nv.inexact);
    } else {
        mpfr_t f;
        xc_num r;
        mpfr_init2(f, XC_MPFR_PREC);
        mpfr_set_q(f, p, MPFR_RNDN);
        mpfr_rootn_ui(f, f, nv.n, MPFR_RNDN);
        xc_num_init(&r);
        st = done(out, &r, xc_num_set_mpfr(&r, f), 1);
        mpfr_clear(f);
    }
    mpq_clears(p, q, (mpq_ptr)0);
    xc_nums_free(&nv);
    return st;
}

/* ---- Pairs and regression ------------------------------------------ */

/* Numbers of two equally sized arguments, kept in pairs where both are
 * numbers.  *e: #N/A for different sizes, or the first error value. */
static int pairs(xc_fncall *c, int ia, int ib, xc_numvec *y, xc_numvec *x,
                 xc_error *e)
{
    xc_grid ga, gb;
    int st = XC_OK;
    memset(y, 0, sizeof *y);
    memset(x, 0, sizeof *x);
    *e = XC_ERR_NONE;
    if (c->argv[ia].type == XC_ERROR || c->argv[ib].type == XC_ERROR) {
        *e = (xc_error)(c->argv[ia].type == XC_ERROR ? c->argv[ia].err
                                                     : c->argv[ib].err);
        return XC_OK;
    }
    if (xc_grid_init(&ga, c->ev, &c->argv[ia]) != XC_OK ||
        xc_grid_init(&gb, c->ev, &c->argv[ib]) != XC_OK) {
        *e = XC_ERR_VALUE;
        return XC_OK;
    }
    uint64_t n = (uint64_t)ga.rows * ga.cols;
    if (n != (uint64_t)gb.rows * gb.cols) {
        *e = XC_ERR_NA;
        return XC_OK;
    }
    for (uint64_t k = 0; k < n && st == XC_OK && !*e; k++) {
        xc_value a = {0};
        const xc_value *b;
        xc_value_copy(&a, xc_grid_get(&ga, k / ga.cols, k % ga.cols));
        b = xc_grid_get(&gb, k / gb.cols, k % gb.cols);
        if (a.type == XC_ERROR)
            *e = (xc_error)a.err;
        else if (b->type == XC_ERROR)
            *e = (xc_error)b->err;
        else if (a.type == XC_NUMBER && b->type == XC_NUMBER) {
            st = xc_nums_push(y, &a.u.num, a.flags & XC_VAL_INEXACT);
            if (st == XC_OK)
                st = xc_nums_push(x, &b->u.num, b->flags & XC_VAL_INEXACT);
        }
        xc_value_clear(&a);
    }
    return st;
}

/* Sums about the means: sxx, syy, sxy; and the means. */
typedef struct moments {
    xc_num mx, my, sxx, syy, sxy;
} moments;

static void moments_clear(moments *m)
{
    xc_num_clear(&m->mx);
    xc_num_clear(&m->my);
    xc_num_clear(&m->sxx);
    xc_num_clear(&m->syy);
    xc_num_clear(&m->sxy);
}

static int moments_of(moments *m, const xc_numvec *y, const xc_numvec *x)
{
    xc_num n, dx, dy, t;
    int st;
    xc_num_init(&m->mx);
    xc_num_init(&m->my);
    xc_num_init(&m->sxx);
    xc_num_init(&m->syy);
    xc_num_init(&m->sxy);
    xc_num_init(&n);
    xc_num_init(&dx);
    xc_num_init(&dy);
    xc_num_init(&t);
    xc_num_set_int(&n, (int64_t)x->n);
    st = sum_into(&m->mx, x);
    if (st == XC_OK)
        st = sum_into(&m->my, y);
    if (st == XC_OK && x->n) {
        st = xc_num_div(&m->mx, &m->mx, &n);
        if (st == XC_OK)
            st = xc_num_div(&m->my, &m->my, &n);
    }
    for (size_t k = 0; k < x->n && st == XC_OK; k++) {
        st = xc_num_sub(&dx, &x->v[k], &m->mx);
        if (st == XC_OK)
            st = xc_num_sub(&dy, &y->v[k], &m->my);
        if (st == XC_OK)
            st = xc_num_mul(&t, &dx, &dx);
        if (st == XC_OK)
            st = xc_num_add(&m->sxx, &m->sxx, &t);
        if (st == XC_OK)
            st = xc_num_mul(&t, &dy, &dy);
        if (st == XC_OK)
            st = xc_num_add(&m->syy, &m->syy, &t);
        if (st == XC_OK)
            st = xc_num_mul(&t, &dx, &dy);
        if (st == XC_OK)
            st = xc_num_add(&m->sxy, &m->sxy, &t);
    }
    xc_num_clear(&n);
    xc_num_clear(&dx);
    xc_num_clear(&dy);
    xc_num_clear(&t);
    return st;
}

enum { R_COVAR_P, R_COVAR_S, R_SLOPE, R_INTERCEPT, R_CORREL, R_RSQ, R_FORE };

/* The two-variable statistics; y is the first array argument except in
 * COVAR/CORREL where the order does not matter. */
static int regress(xc_fncall *c, xc_value *out, int what)
{
    xc_numvec y, x;
    xc_error e;
    moments m;
    xc_num r, t;
    int ia = what == R_FORE ? 1 : 0, st;
    unsigned inx;
    st = pairs(c, ia, ia + 1, &y, &x, &e);
    if (st != XC_OK || e) {
        xc_nums_free(&y);
        xc_nums_free(&x);
        return st != XC_OK ? st : err_out(out, e);
    }
    inx = x.inexact | y.inexact;
    if (x.n < (size_t)(what == R_COVAR_S || what == R_CORREL || what == R_RSQ
                           ? 2
                           : 1)) {
        xc_nums_free(&y);
        xc_nums_free(&x);
        return err_out(out, XC_ERR_DIV0);
    }
    st = moments_of(&m, &y, &x);
    xc_num_init(&r);
    xc_num_init(&t);
    switch (what) {
    case R_COVAR_P:
    case R_COVAR_S:
        xc_num_set_int(&t, (int64_t)x.n - (what == R_COVAR_S));
        if (st == XC_OK)
            st = xc_num_div(&r, &m.sxy, &t);
        break;
    case R_SLOPE:
    case R_INTERCEPT:
    case R_FORE:
        if (st == XC_OK && xc_num_is_zero(&m.sxx))
            st = XC_EDIVZERO;
        if (st == XC_OK)
            st = xc_num_div(&r, &m.sxy, &m.sxx); /* slope */
        if (st == XC_OK && what != R_SLOPE) {
            /* intercept = my - slope*mx; forecast = intercept + slope*x */
            if (what == R_FORE)
                st = xc_num_sub(&t, xc_arg_num(c, 0), &m.mx);
            else
                st = xc_num_neg(&t, &m.mx);
            if (st == XC_OK)
                st = xc_num_mul(&r, &r, &t);
            if (st == XC_OK)
                st = xc_num_add(&r, &r, &m.my);
        }
        break;
    default: /* CORREL, RSQ */
        if (st == XC_OK && (xc_num_is_zero(&m.sxx) || xc_num_is_zero(&m.syy)))
            st = XC_EDIVZERO;
        if (st == XC_OK)
            st = xc_num_mul(&t, &m.sxx, &m.syy);
        if (st == XC_OK)
            st = xc_num_mul(&r, &m.sxy, &m.sxy);
        if (st == XC_OK)
            st = xc_num_div(&r, &r, &t); /* r squared */
        if (st == XC_OK && what == R_CORREL) {
            xc_value v = {0};
            int sign = xc_num_sign(&m.sxy);
            st = xc_result_sqrt(&v, &r, inx);
            if (st == XC_OK && sign < 0 && v.type == XC_NUMBER)
                st = xc_num_neg(&v.u.num, &v.u.num);
            xc_num_clear(&r);
            xc_num_clear(&t);
            moments_clear(&m);
            xc_nums_free(&y);
            xc_nums_free(&x);
            if (st != XC_OK) {
                xc_value_clear(&v);
                return fail(out, st);
            }
            xc_value_move(out, &v);
            return XC_OK;
        }
        break;
    }
    xc_num_clear(&t);
    moments_clear(&m);
    xc_nums_free(&y);
    xc_nums_free(&x);
    return done(out, &r, st, inx);
}

static int fn_covar(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_COVAR_P);
}
static int fn_covariance_s(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_COVAR_S);
}
static int fn_slope(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_SLOPE);
}
static int fn_intercept(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_INTERCEPT);
}
static int fn_correl(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_CORREL);
}
static int fn_rsq(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_RSQ);
}
static int fn_forecast(xc_fncall *c, xc_value *out)
{
    return regress(c, out, R_FORE);
}

/* ---- Distributions ------------------------------------------------- */

static int mp_done(xc_value *out, mpfr_t r, unsigned inx)
{
    xc_num x;
    if (!mpfr_number_p(r))
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&x);
    return done(out, &x, xc_num_set_mpfr(&x, r), inx);
}

/* Standard normal: cdf = (1 + erf(z/sqrt 2))/2, pdf = exp(-z^2/2)/sqrt(2pi) */
static void norm_s(mpfr_t r, const mpfr_t z, int cumulative)
{
    mpfr_t t;
    mpfr_init2(t, XC_MPFR_PREC);
    if (cumulative) {
        /* erfc keeps the lower tail precise: cdf = erfc(-z/sqrt2)/2 */
        mpfr_sqrt_ui(t, 2, MPFR_RNDN);
        mpfr_div(r, z, t, MPFR_RNDN);
        mpfr_neg(r, r, MPFR_RNDN);
        mpfr_erfc(r, r, MPFR_RNDN);
        mpfr_div_2ui(r, r, 1, MPFR_RNDN);
    } else {
        mpfr_sqr(r, z, MPFR_RNDN);
        mpfr_div_2ui(r, r, 1, MPFR_RNDN);
        mpfr_neg(r, r, MPFR_RNDN);
        mpfr_exp(r, r, MPFR_RNDN);
        mpfr_const_pi(t, MPFR_RNDN);
        mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
        mpfr_sqrt(t, t, MPFR_RNDN);
        mpfr_div(r, r, t, MPFR_RNDN);
    }
    mpfr_clear(t);
}

/* NORM.DIST(x, mean, sd, cumulative); NORM.S.DIST(z, cumulative). */
static int normdist(xc_fncall *c, xc_value *out, int standard)
{
    mpfr_t z, t;
    int cum = truth(c, standard ? 1 : 3);
    int st, exact;
    if (!standard && xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    xc_num_get_mpfr(z, xc_arg_num(c, 0), MPFR_RNDN);
    if (!standard) {
        xc_num_get_mpfr(t, xc_arg_num(c, 1), MPFR_RNDN);
        mpfr_sub(z, z, t, MPFR_RNDN);
        xc_num_get_mpfr(t, xc_arg_num(c, 2), MPFR_RNDN);
        mpfr_div(z, z, t, MPFR_RNDN);
    }
    /* the cdf at the mean is exactly 1/2 */
    exact = cum && mpfr_zero_p(z);
    norm_s(t, z, cum);
    if (!standard && !cum) {
        xc_num_get_mpfr(z, xc_arg_num(c, 2), MPFR_RNDN);
        mpfr_div(t, t, z, MPFR_RNDN);
    }
    st = mp_done(out, t, !exact);
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

static int fn_norm_dist(xc_fncall *c, xc_value *out)
{
    return normdist(c, out, 0);
}

static int fn_norm_s_dist(xc_fncall *c, xc_value *out)
{
    return normdist(c, out, 1);
}

static int fn_normsdist(xc_fncall *c, xc_value *out)
{
    mpfr_t z, t;
    int st;
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    xc_num_get_mpfr(z, xc_arg_num(c, 0), MPFR_RNDN);
    norm_s(t, z, 1);
    st = mp_done(out, t, !mpfr_zero_p(z));
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

/* Inverse standard normal: a starting point from the Abramowitz-Stegun
 * 26.2.23 approximation (error below 5e-4), then Newton's method on the
 * MPFR cdf, which converges quadratically from there. */
static int norm_s_inv(mpfr_t z, const xc_num *p)
{
    mpfr_t pp, f, d;
    double t, z0;
    int lower;
    if (xc_num_sign(p) <= 0 || xc_num_cmp_int(p, 1) >= 0)
        return -1;
    mpfr_inits2(XC_MPFR_PREC, pp, f, d, (mpfr_ptr)0);
    xc_num_get_mpfr(pp, p, MPFR_RNDN);
    /* t = sqrt(-2 ln q) with q the smaller tail */
    if (mpfr_cmp_d(pp, 0.5) == 0) {
        mpfr_set_ui(z, 0, MPFR_RNDN);
        mpfr_clears(pp, f, d, (mpfr_ptr)0);
        return 0;
    }
    lower = mpfr_cmp_d(pp, 0.5) < 0;
    if (lower)
        mpfr_log(f, pp, MPFR_RNDN);
    else {
        mpfr_ui_sub(f, 1, pp, MPFR_RNDN);
        mpfr_log(f, f, MPFR_RNDN);
    }
    t = sqrt(-2 * mpfr_get_d(f, MPFR_RNDN));
    z0 = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                 (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
    mpfr_set_d(z, lower ? -z0 : z0, MPFR_RNDN);
    for (int it = 0; it < 60; it++) {
        norm_s(f, z, 1);
        mpfr_sub(f, f, pp, MPFR_RNDN);
        norm_s(d, z, 0);
        if (mpfr_zero_p(d) || mpfr_zero_p(f))
            break;
        mpfr_div(f, f, d, MPFR_RNDN);
        mpfr_sub(z, z, f, MPFR_RNDN);
        if (!mpfr_number_p(z))
            break;
        long ez = mpfr_zero_p(z) ? 0 : (long)mpfr_get_exp(z);
        if ((long)mpfr_get_exp(f) < ez - (XC_MPFR_PREC - 8))
            break;
    }
    mpfr_clears(pp, f, d, (mpfr_ptr)0);
    return mpfr_number_p(z) ? 0 : -1;
}

static int norminv(xc_fncall *c, xc_value *out, int standard)
{
    mpfr_t z, t;
    xc_num half;
    int st;
    if (!standard && xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    xc_num_init(&half);
    xc_num_set_frac(&half, 1, 2);
    if (norm_s_inv(z, xc_arg_num(c, 0)) != 0) {
        xc_num_clear(&half);
        mpfr_clears(z, t, (mpfr_ptr)0);
        return err_out(out, XC_ERR_NUM);
    }
    if (!standard) {
        xc_num_get_mpfr(t, xc_arg_num(c, 2), MPFR_RNDN);
        mpfr_mul(z, z, t, MPFR_RNDN);
        xc_num_get_mpfr(t, xc_arg_num(c, 1), MPFR_RNDN);
        mpfr_add(z, z, t, MPFR_RNDN);
    }
    /* p = 1/2 gives the mean exactly */
    st = mp_done(out, z, xc_num_cmp(xc_arg_num(c, 0), &half) != 0);
    xc_num_clear(&half);
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

static int fn_norm_inv(xc_fncall *c, xc_value *out)
{
    return norminv(c, out, 0);
}

static int fn_norm_s_inv(xc_fncall *c, xc_value *out)
{
    return norminv(c, out, 1);
}

/* STANDARDIZE(x, mean, sd) = (x - mean)/sd, exact. */
static int fn_standardize(xc_fncall *c, xc_value *out)
{
    xc_num r;
    int st;
    if (xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&r);
    st = xc_num_sub(&r, xc_arg_num(c, 0), xc_arg_num(c, 1));
    if (st == XC_OK)
        st = xc_num_div(&r, &r, xc_arg_num(c, 2));
    return done(out, &r, st, 0);
}

/* BINOM.DIST(k, n, p, cumulative): exact rational.  With p = a/d and
 * b = d - a, P(X = i) = T(i) / d^n where T(i) = C(n,i) a^i b^(n-i), and
 * T(i+1) = T(i) (n-i) a / ((i+1) b) exactly, so the sum needs only
 * integer products and exact divisions. */
static int binom_big(xc_fncall *c, xc_value *out, int64_t k, int64_t n,
                     int cum);

static int fn_binom_dist(xc_fncall *c, xc_value *out)
{
    int64_t k, n;
    int cum = truth(c, 3), st = XC_OK;
    mpq_t p;
    mpz_t a, b, d, term, sum, t;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_sign(xc_arg_num(c, 1)) < 0 ||
        xc_num_sign(xc_arg_num(c, 2)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 2), 1) > 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 0), 0, INT64_MAX / 4, &k);
    xc_num_trunc_clamp(xc_arg_num(c, 1), 0, INT64_MAX / 4, &n);
    if (k > n)
        return err_out(out, XC_ERR_NUM);
    if (n > 10000)
        return binom_big(c, out, k, n, cum);
    mpq_init(p);
    mpz_inits(a, b, d, term, sum, t, (mpz_ptr)0);
    xc_num_get_mpq(p, xc_arg_num(c, 2));
    mpz_set(a, mpq_numref(p));
    mpz_set(d, mpq_denref(p));
    mpz_sub(b, d, a);
    /* the result's denominator is d^n: refuse it past the size limit
     * before computing anything */
    if ((double)n * (double)mpz_sizeinbase(d, 2) > XC_NUM_MAX_BITS) {
        mpq_clear(p);
        mpz_clears(a, b, d, term, sum, t, (mpz_ptr)0);
        return binom_big(c, out, k, n, cum);
    }
    if (mpz_sgn(b) == 0) {
        /* p = 1: all the mass at n */
        mpz_set_ui(sum, (k == n || (cum && k >= n)) ? 1 : 0);
        mpz_set_ui(d, 1);
        goto ratio;
    }
    /* T(i0) for the first term */
    int64_t i0 = cum ? 0 : k;
    mpz_bin_uiui(term, (unsigned long)n, (unsigned long)i0);
    mpz_pow_ui(t, a, (unsigned long)i0);
    mpz_mul(term, term, t);
    mpz_pow_ui(t, b, (unsigned long)(n - i0));
    mpz_mul(term, term, t);
    for (int64_t i = i0;; i++) {
        mpz_add(sum, sum, term);
        if (i == k || mpz_sgn(a) == 0)
            break;
        mpz_mul_ui(term, term, (unsigned long)(n - i));
        mpz_mul(term, term, a);
        mpz_mul_ui(t, b, (unsigned long)(i + 1));
        mpz_divexact(term, term, t);
        if ((i & 1023) == 0 && xc_interrupted()) {
            st = XC_EINTR;
            goto done;
        }
    }
    mpz_pow_ui(d, d, (unsigned long)n);
ratio:
    mpz_set(mpq_numref(p), sum);
    mpz_set(mpq_denref(p), d);
    mpq_canonicalize(p);
done:;
    xc_num r;
    xc_num_init(&r);
    if (st == XC_OK)
        st = xc_num_set_mpq(&r, p);
    mpq_clear(p);
    mpz_clears(a, b, d, term, sum, t, (mpz_ptr)0);
    return done(out, &r, st, 0);
}

/* EXPON.DIST(x, lambda, cumulative). */
static int fn_expon_dist(xc_fncall *c, xc_value *out)
{
    mpfr_t x, l;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 || xc_num_sign(xc_arg_num(c, 1)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, x, l, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    xc_num_get_mpfr(l, xc_arg_num(c, 1), MPFR_RNDN);
    mpfr_mul(x, x, l, MPFR_RNDN);
    mpfr_neg(x, x, MPFR_RNDN);
    if (truth(c, 2)) {
        mpfr_expm1(x, x, MPFR_RNDN);
        mpfr_neg(x, x, MPFR_RNDN);
    } else {
        mpfr_exp(x, x, MPFR_RNDN);
        mpfr_mul(x, x, l, MPFR_RNDN);
    }
    st = mp_done(out, x, !xc_num_is_zero(xc_arg_num(c, 0)));
    mpfr_clears(x, l, (mpfr_ptr)0);
    return st;
}

/* POISSON.DIST(x, mean, cumulative) = e^-m * sum m^k/k!. */
static int fn_poisson_dist(xc_fncall *c, xc_value *out)
{
    int64_t k;
    mpfr_t m, term, sum, e;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 || xc_num_sign(xc_arg_num(c, 1)) < 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 1000000, &k);
    mpfr_inits2(XC_MPFR_PREC, m, term, sum, e, (mpfr_ptr)0);
    xc_num_get_mpfr(m, xc_arg_num(c, 1), MPFR_RNDN);
    mpfr_set_ui(term, 1, MPFR_RNDN);
    mpfr_set_ui(sum, 0, MPFR_RNDN);
    for (int64_t i = 0; i <= k; i++) {
        if (i > 0) {
            mpfr_mul(term, term, m, MPFR_RNDN);
            mpfr_div_ui(term, term, (unsigned long)i, MPFR_RNDN);
        }
        if (truth(c, 2) || i == k)
            mpfr_add(sum, sum, term, MPFR_RNDN);
    }
    mpfr_neg(e, m, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul(sum, sum, e, MPFR_RNDN);
    st = mp_done(out, sum, !xc_num_is_zero(xc_arg_num(c, 1)));
    mpfr_clears(m, term, sum, e, (mpfr_ptr)0);
    return st;
}

static int fn_gammaln(xc_fncall *c, xc_value *out)
{
    mpfr_t x;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_lngamma(x, x, MPFR_RNDN);
    st = mp_done(out, x, 1);
    mpfr_clear(x);
    return st;
}

static int fn_gamma(xc_fncall *c, xc_value *out)
{
    mpfr_t x;
    int st, t;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 && xc_num_is_int(xc_arg_num(c, 0)))
        return err_out(out, XC_ERR_NUM);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    t = mpfr_gamma(x, x, MPFR_RNDN);
    /* past the largest double Excel reports #NUM! */
    if (mpfr_cmp_d(x, DBL_MAX) > 0 || mpfr_cmp_d(x, -DBL_MAX) < 0) {
        mpfr_clear(x);
        return err_out(out, XC_ERR_NUM);
    }
    st = mp_done(out, x, t != 0);
    mpfr_clear(x);
    return st;
}

/* ---- More descriptive statistics ----------------------------------- */

/* Central moments of the numbers of all arguments: mean, m2 = sum of
 * squared deviations, m3, m4 (sums of cubed and fourth powers). */
typedef struct central {
    xc_num mean, m2, m3, m4;
} central;

static void central_clear(central *m)
{
    xc_num_clear(&m->mean);
    xc_num_clear(&m->m2);
    xc_num_clear(&m->m3);
    xc_num_clear(&m->m4);
}

static int central_of(central *m, const xc_numvec *nv)
{
    xc_num d, p, n;
    int st;
    xc_num_init(&m->mean);
    xc_num_init(&m->m2);
    xc_num_init(&m->m3);
    xc_num_init(&m->m4);
    xc_num_init(&d);
    xc_num_init(&p);
    xc_num_init(&n);
    xc_num_set_int(&n, (int64_t)nv->n);
    st = sum_into(&m->mean, nv);
    if (st == XC_OK)
        st = xc_num_div(&m->mean, &m->mean, &n);
    for (size_t k = 0; k < nv->n && st == XC_OK; k++) {
        st = xc_num_sub(&d, &nv->v[k], &m->mean);
        if (st == XC_OK)
            st = xc_num_mul(&p, &d, &d);
        if (st == XC_OK)
            st = xc_num_add(&m->m2, &m->m2, &p);
        if (st == XC_OK)
            st = xc_num_mul(&p, &p, &d);
        if (st == XC_OK)
            st = xc_num_add(&m->m3, &m->m3, &p);
        if (st == XC_OK)
            st = xc_num_mul(&p, &p, &d);
        if (st == XC_OK)
            st = xc_num_add(&m->m4, &m->m4, &p);
    }
    xc_num_clear(&d);
    xc_num_clear(&p);
    xc_num_clear(&n);
    return st;
}

/* SKEW (sample) and SKEW.P: m3-based, divided by a variance to the
 * power 3/2 (irrational unless the variance is a perfect square). */
static int skew(xc_fncall *c, xc_value *out, int pop)
{
    xc_numvec nv;
    xc_error e;
    central m;
    int64_t n;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n < (size_t)(pop ? 1 : 3)) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_DIV0);
    }
    n = (int64_t)nv.n;
    st = central_of(&m, &nv);
    if (st == XC_OK && xc_num_is_zero(&m.m2))
        st = XC_EDIVZERO;
    if (st == XC_OK) {
        /* skew = A * m3 / m2^(3/2) with A = n^(1/2) (population) or
         * n (n-1)^(1/2) / (n-2) (sample) */
        mpfr_t a, b;
        mpfr_inits2(XC_MPFR_PREC, a, b, (mpfr_ptr)0);
        xc_num_get_mpfr(a, &m.m3, MPFR_RNDN);
        xc_num_get_mpfr(b, &m.m2, MPFR_RNDN);
        mpfr_sqrt(b, b, MPFR_RNDN);
        mpfr_div(a, a, b, MPFR_RNDN);
        xc_num_get_mpfr(b, &m.m2, MPFR_RNDN);
        mpfr_div(a, a, b, MPFR_RNDN);
        if (pop) {
            mpfr_sqrt_ui(b, (unsigned long)n, MPFR_RNDN);
            mpfr_mul(a, a, b, MPFR_RNDN);
        } else {
            mpfr_sqrt_ui(b, (unsigned long)(n - 1), MPFR_RNDN);
            mpfr_mul(a, a, b, MPFR_RNDN);
            mpfr_mul_ui(a, a, (unsigned long)n, MPFR_RNDN);
            mpfr_div_ui(a, a, (unsigned long)(n - 2), MPFR_RNDN);
        }
        st = mp_done(out, a, !xc_num_is_zero(&m.m3));
        mpfr_clears(a, b, (mpfr_ptr)0);
    } else {
        st = fail(out, st);
    }
    central_clear(&m);
    xc_nums_free(&nv);
    return st;
}

static int fn_skew(xc_fncall *c, xc_value *out)
{
    return skew(c, out, 0);
}

static int fn_skew_p(xc_fncall *c, xc_value *out)
{
    return skew(c, out, 1);
}

/* KURT: n(n+1)(n-1) m4 / ((n-2)(n-3) m2^2) - 3(n-1)^2/((n-2)(n-3)),
 * exact. */
static int fn_kurt(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    central m;
    xc_num r, t;
    int64_t n;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n < 4) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_DIV0);
    }
    n = (int64_t)nv.n;
    st = central_of(&m, &nv);
    xc_num_init(&r);
    xc_num_init(&t);
    if (st == XC_OK && xc_num_is_zero(&m.m2))
        st = XC_EDIVZERO;
    if (st == XC_OK)
        st = xc_num_mul(&t, &m.m2, &m.m2);
    if (st == XC_OK)
        st = xc_num_div(&r, &m.m4, &t);
    if (st == XC_OK) {
        xc_num_set_frac(&t, n * (n + 1) * (n - 1), (n - 2) * (n - 3));
        st = xc_num_mul(&r, &r, &t);
    }
    if (st == XC_OK) {
        xc_num_set_frac(&t, 3 * (n - 1) * (n - 1), (n - 2) * (n - 3));
        st = xc_num_sub(&r, &r, &t);
    }
    xc_num_clear(&t);
    central_clear(&m);
    st = done(out, &r, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

/* TRIMMEAN(array, percent): the mean without floor(n*percent/2) points
 * at each end. */
static int fn_trimmean(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_num t, s;
    int64_t k = 0;
    int bad, st;
    if (xc_num_sign(xc_arg_num(c, 1)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 1), 1) >= 0)
        return err_out(out, XC_ERR_NUM);
    st = sorted_arg(c, out, &nv, &bad);
    if (bad)
        return st;
    if (nv.n == 0) {
        xc_nums_free(&nv);
        return err_out(out, XC_ERR_NUM);
    }
    xc_num_init(&t);
    xc_num_init(&s);
    xc_num_set_int(&t, (int64_t)nv.n);
    st = xc_num_mul(&t, &t, xc_arg_num(c, 1));
    if (st == XC_OK) {
        xc_num two;
        xc_num_init(&two);
        xc_num_set_int(&two, 2);
        st = xc_num_div(&t, &t, &two);
        xc_num_clear(&two);
    }
    if (st == XC_OK)
        st = xc_num_round(&t, &t, 0, XC_ROUND_FLOOR);
    if (st == XC_OK)
        st = xc_num_get_int64(&t, &k);
    for (size_t i = (size_t)k; st == XC_OK && i < nv.n - (size_t)k; i++)
        st = xc_num_add(&s, &s, &nv.v[i]);
    xc_num_set_int(&t, (int64_t)nv.n - 2 * k);
    if (st == XC_OK)
        st = xc_num_div(&s, &s, &t);
    xc_num_clear(&t);
    st = done(out, &s, st, nv.inexact);
    xc_nums_free(&nv);
    return st;
}

/* A vertical array of integers. */
static int int_column(xc_value *out, const int64_t *v, size_t n)
{
    xc_array *arr;
    int st = xc_value_set_array(out, (uint32_t)n, 1, &arr);
    for (size_t k = 0; k < n && st == XC_OK; k++)
        xc_value_set_int(&arr->v[k], v[k]);
    return st;
}

/* FREQUENCY(data_array, bins_array): counts of data <= each bin (and
 * above the previous one), plus the count above the largest bin. */
static int fn_frequency(xc_fncall *c, xc_value *out)
{
    xc_numvec data, bins;
    xc_error e = XC_ERR_NONE;
    int64_t *cnt;
    int st;
    memset(&data, 0, sizeof data);
    memset(&bins, 0, sizeof bins);
    st = xc_nums_gather(c->ev, &c->argv[0], 0, &data, &e);
    if (st == XC_OK && !e)
        st = xc_nums_gather(c->ev, &c->argv[1], 0, &bins, &e);
    if (st != XC_OK || e || bins.n + 1 > 1000000) {
        xc_nums_free(&data);
        xc_nums_free(&bins);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    cnt = xc_calloc(bins.n + 1, sizeof *cnt);
    if (!cnt) {
        xc_nums_free(&data);
        xc_nums_free(&bins);
        return XC_ENOMEM;
    }
    for (size_t i = 0; i < data.n; i++) {
        size_t best = bins.n;
        for (size_t j = 0; j < bins.n; j++)
            if (xc_num_cmp(&data.v[i], &bins.v[j]) <= 0 &&
                (best == bins.n || xc_num_cmp(&bins.v[j], &bins.v[best]) < 0))
                best = j;
        cnt[best]++;
    }
    st = int_column(out, cnt, bins.n + 1);
    xc_free(cnt);
    xc_nums_free(&data);
    xc_nums_free(&bins);
    return st;
}

/* MODE.MULT: every most frequent number, in order of first appearance,
 * as a vertical array. */
static int fn_mode_mult(xc_fncall *c, xc_value *out)
{
    xc_numvec nv;
    xc_error e;
    size_t bestn = 1, nres = 0;
    size_t *cnt;
    xc_array *arr;
    int st = nums(c, 0, c->argc, 0, &nv, &e);
    if (st != XC_OK || e || nv.n > 100000) {
        xc_nums_free(&nv);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NUM);
    }
    cnt = xc_calloc(nv.n ? nv.n : 1, sizeof *cnt);
    if (!cnt) {
        xc_nums_free(&nv);
        return XC_ENOMEM;
    }
    for (size_t i = 0; i < nv.n; i++) {
        int first = 1;
        for (size_t j = 0; j < i && first; j++)
            first = !xc_num_equal(&nv.v[i], &nv.v[j]);
        if (!first)
            continue;
        for (size_t j = i; j < nv.n; j++)
            cnt[i] += xc_num_equal(&nv.v[i], &nv.v[j]);
        if (cnt[i] > bestn)
            bestn = cnt[i];
    }
    for (size_t i = 0; i < nv.n; i++)
        nres += cnt[i] == bestn && bestn > 1;
    if (nres == 0) {
        xc_free(cnt);
        xc_nums_free(&nv);
        return err_out(out, XC_ERR_NA);
    }
    st = xc_value_set_array(out, (uint32_t)nres, 1, &arr);
    for (size_t i = 0, k = 0; i < nv.n && st == XC_OK; i++)
        if (cnt[i] == bestn)
            st = xc_value_set_num(&arr->v[k++], &nv.v[i]);
    xc_free(cnt);
    xc_nums_free(&nv);
    return st;
}

/* STEYX(known_y's, known_x's): standard error of the regression. */
static int fn_steyx(xc_fncall *c, xc_value *out)
{
    xc_numvec y, x;
    xc_error e;
    moments m;
    xc_num r, t;
    int st = pairs(c, 0, 1, &y, &x, &e);
    if (st != XC_OK || e || x.n < 3) {
        xc_nums_free(&y);
        xc_nums_free(&x);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_DIV0);
    }
    st = moments_of(&m, &y, &x);
    xc_num_init(&r);
    xc_num_init(&t);
    if (st == XC_OK && xc_num_is_zero(&m.sxx))
        st = XC_EDIVZERO;
    /* (syy - sxy^2/sxx) / (n-2) */
    if (st == XC_OK)
        st = xc_num_mul(&r, &m.sxy, &m.sxy);
    if (st == XC_OK)
        st = xc_num_div(&r, &r, &m.sxx);
    if (st == XC_OK)
        st = xc_num_sub(&r, &m.syy, &r);
    xc_num_set_int(&t, (int64_t)x.n - 2);
    if (st == XC_OK)
        st = xc_num_div(&r, &r, &t);
    if (st == XC_OK)
        st = xc_result_sqrt(out, &r, x.inexact | y.inexact);
    else
        st = fail(out, st);
    xc_num_clear(&r);
    xc_num_clear(&t);
    moments_clear(&m);
    xc_nums_free(&y);
    xc_nums_free(&x);
    return st;
}

/* ---- More distributions -------------------------------------------- */

static int fn_phi(xc_fncall *c, xc_value *out)
{
    mpfr_t z, t;
    int st;
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    xc_num_get_mpfr(z, xc_arg_num(c, 0), MPFR_RNDN);
    norm_s(t, z, 0);
    st = mp_done(out, t, 1);
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

/* GAUSS(z) = NORM.S.DIST(z, TRUE) - 1/2, computed as erf(z/sqrt 2)/2. */
static int fn_gauss(xc_fncall *c, xc_value *out)
{
    mpfr_t z, t;
    int st;
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    xc_num_get_mpfr(z, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_sqrt_ui(t, 2, MPFR_RNDN);
    mpfr_div(z, z, t, MPFR_RNDN);
    mpfr_erf(z, z, MPFR_RNDN);
    mpfr_div_2ui(z, z, 1, MPFR_RNDN);
    st = mp_done(out, z, !mpfr_zero_p(z));
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

static int fn_fisher(xc_fncall *c, xc_value *out)
{
    mpfr_t x;
    int st;
    if (xc_num_cmp_int(xc_arg_num(c, 0), 1) >= 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), -1) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    st = mp_done(out, x, mpfr_atanh(x, x, MPFR_RNDN) != 0);
    mpfr_clear(x);
    return st;
}

static int fn_fisherinv(xc_fncall *c, xc_value *out)
{
    mpfr_t x;
    int st;
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    st = mp_done(out, x, mpfr_tanh(x, x, MPFR_RNDN) != 0);
    mpfr_clear(x);
    return st;
}

/* CONFIDENCE.NORM(alpha, standard_dev, size). */
static int fn_confidence(xc_fncall *c, xc_value *out)
{
    mpfr_t z, t;
    xc_num p;
    int64_t n;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), 1) >= 0 ||
        xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_cmp_int(xc_arg_num(c, 2), 1) < 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 2), 1, (int64_t)1 << 52, &n);
    xc_num_init(&p);
    xc_num_set_frac(&p, 1, 2);
    st = xc_num_mul(&p, &p, xc_arg_num(c, 0));
    if (st == XC_OK) {
        xc_num one;
        xc_num_init(&one);
        xc_num_set_int(&one, 1);
        st = xc_num_sub(&p, &one, &p);
    }
    if (st != XC_OK) {
        xc_num_clear(&p);
        return fail(out, st);
    }
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    norm_s_inv(z, &p);
    xc_num_get_mpfr(t, xc_arg_num(c, 1), MPFR_RNDN);
    mpfr_mul(z, z, t, MPFR_RNDN);
    mpfr_sqrt_ui(t, (unsigned long)n, MPFR_RNDN);
    mpfr_div(z, z, t, MPFR_RNDN);
    st = mp_done(out, z, 1);
    mpfr_clears(z, t, (mpfr_ptr)0);
    xc_num_clear(&p);
    return st;
}

/* LOGNORM.DIST(x, mean, standard_dev, cumulative). */
static int fn_lognorm_dist(xc_fncall *c, xc_value *out)
{
    mpfr_t z, t;
    int cum = c->argc > 3 ? truth(c, 3) : 1, st;
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    xc_num_get_mpfr(z, xc_arg_num(c, 0), MPFR_RNDN);
    mpfr_log(z, z, MPFR_RNDN);
    xc_num_get_mpfr(t, xc_arg_num(c, 1), MPFR_RNDN);
    mpfr_sub(z, z, t, MPFR_RNDN);
    xc_num_get_mpfr(t, xc_arg_num(c, 2), MPFR_RNDN);
    mpfr_div(z, z, t, MPFR_RNDN);
    norm_s(t, z, cum);
    if (!cum) {
        xc_num_get_mpfr(z, xc_arg_num(c, 0), MPFR_RNDN);
        mpfr_div(t, t, z, MPFR_RNDN);
        xc_num_get_mpfr(z, xc_arg_num(c, 2), MPFR_RNDN);
        mpfr_div(t, t, z, MPFR_RNDN);
    }
    st = mp_done(out, t, 1);
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

/* LOGNORM.INV(probability, mean, standard_dev). */
static int fn_lognorm_inv(xc_fncall *c, xc_value *out)
{
    mpfr_t z, t;
    int st;
    if (xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, z, t, (mpfr_ptr)0);
    if (norm_s_inv(z, xc_arg_num(c, 0)) != 0) {
        mpfr_clears(z, t, (mpfr_ptr)0);
        return err_out(out, XC_ERR_NUM);
    }
    xc_num_get_mpfr(t, xc_arg_num(c, 2), MPFR_RNDN);
    mpfr_mul(z, z, t, MPFR_RNDN);
    xc_num_get_mpfr(t, xc_arg_num(c, 1), MPFR_RNDN);
    mpfr_add(z, z, t, MPFR_RNDN);
    mpfr_exp(z, z, MPFR_RNDN);
    st = mp_done(out, z, 1);
    mpfr_clears(z, t, (mpfr_ptr)0);
    return st;
}

/* WEIBULL.DIST(x, alpha, beta, cumulative). */
static int fn_weibull_dist(xc_fncall *c, xc_value *out)
{
    mpfr_t x, a, b, p;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(XC_MPFR_PREC, x, a, b, p, (mpfr_ptr)0);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    xc_num_get_mpfr(a, xc_arg_num(c, 1), MPFR_RNDN);
    xc_num_get_mpfr(b, xc_arg_num(c, 2), MPFR_RNDN);
    mpfr_div(p, x, b, MPFR_RNDN);
    mpfr_pow(p, p, a, MPFR_RNDN); /* (x/beta)^alpha */
    if (truth(c, 3)) {
        mpfr_neg(p, p, MPFR_RNDN);
        mpfr_expm1(p, p, MPFR_RNDN);
        mpfr_neg(p, p, MPFR_RNDN);
    } else {
        /* alpha/x * (x/beta)^alpha * e^-(x/beta)^alpha */
        mpfr_t e;
        mpfr_init2(e, XC_MPFR_PREC);
        mpfr_neg(e, p, MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_mul(p, p, e, MPFR_RNDN);
        mpfr_mul(p, p, a, MPFR_RNDN);
        mpfr_div(p, p, x, MPFR_RNDN);
        mpfr_clear(e);
    }
    st = mp_done(out, p, !mpfr_zero_p(p));
    mpfr_clears(x, a, b, p, (mpfr_ptr)0);
    return st;
}

/* ---- Gamma, beta, chi-squared, t and F distributions ---------------- */

/* These go through the regularised incomplete gamma and beta functions,
 * evaluated with MPFR at a working precision above XC_MPFR_PREC (the
 * series and continued fractions lose a few bits to cancellation); the
 * results are marked inexact.  Inverses bracket the root and refine it
 * by bisection interleaved with Newton steps. */

#define DIST_WP (XC_MPFR_PREC + 64)
#define DIST_MAXIT 200000

/* ln Gamma(a) for a > 0 */
static void lgam(mpfr_t r, const mpfr_t a)
{
    int s;
    mpfr_lgamma(r, &s, a, MPFR_RNDN);
}

/* Is |t| below 2^-DIST_WP relative to |s|? */
static int negligible(const mpfr_t t, const mpfr_t s)
{
    if (mpfr_zero_p(t))
        return 1;
    if (mpfr_zero_p(s))
        return 0;
    return mpfr_get_exp(t) < mpfr_get_exp(s) - DIST_WP;
}

/* Regularised incomplete gamma: P(a, x) (upper = 0) or Q(a, x) = 1 - P,
 * a > 0, x >= 0.  The series for P when x < a + 1, otherwise Legendre's
 * continued fraction for Q (modified Lentz). */
static int gamma_reg(mpfr_t r, const mpfr_t a, const mpfr_t x, int upper)
{
    mpfr_t pre, t, s, ap, b, cc, d, an, del;
    int st = 0;
    if (mpfr_zero_p(x)) {
        mpfr_set_ui(r, upper ? 1 : 0, MPFR_RNDN);
        return 0;
    }
    mpfr_inits2(DIST_WP, pre, t, s, ap, b, cc, d, an, del, (mpfr_ptr)0);
    /* pre = exp(a ln x - x - lnGamma(a)) */
    mpfr_log(pre, x, MPFR_RNDN);
    mpfr_mul(pre, pre, a, MPFR_RNDN);
    mpfr_sub(pre, pre, x, MPFR_RNDN);
    lgam(t, a);
    mpfr_sub(pre, pre, t, MPFR_RNDN);
    mpfr_exp(pre, pre, MPFR_RNDN);
    mpfr_add_ui(t, a, 1, MPFR_RNDN);
    if (mpfr_cmp(x, t) < 0) {
        /* P = pre/a * sum x^n / ((a+1)...(a+n)) */
        mpfr_set(ap, a, MPFR_RNDN);
        mpfr_set_ui(s, 1, MPFR_RNDN);
        mpfr_set_ui(t, 1, MPFR_RNDN);
        for (long n = 1; n < DIST_MAXIT; n++) {
            mpfr_add_ui(ap, ap, 1, MPFR_RNDN);
            mpfr_mul(t, t, x, MPFR_RNDN);
            mpfr_div(t, t, ap, MPFR_RNDN);
            mpfr_add(s, s, t, MPFR_RNDN);
            if (negligible(t, s))
                break;
            if ((n & 4095) == 0 && xc_interrupted()) {
                st = XC_EINTR;
                break;
            }
        }
        mpfr_mul(s, s, pre, MPFR_RNDN);
        mpfr_div(s, s, a, MPFR_RNDN);
        if (upper)
            mpfr_ui_sub(s, 1, s, MPFR_RNDN);
    } else {
        /* Q = pre * 1/(x+1-a - 1(1-a)/(x+3-a - 2(2-a)/(x+5-a - ...))) */
        mpfr_add_ui(b, x, 1, MPFR_RNDN);
        mpfr_sub(b, b, a, MPFR_RNDN);
        mpfr_set_ui(t, 1, MPFR_RNDN);
        mpfr_set_ui_2exp(cc, 1, 2 * DIST_WP, MPFR_RNDN); /* 1/tiny */
        mpfr_ui_div(d, 1, b, MPFR_RNDN);
        mpfr_set(s, d, MPFR_RNDN);
        for (long i = 1; i < DIST_MAXIT; i++) {
            /* an = -i (i - a) */
            mpfr_sub_si(an, a, i, MPFR_RNDN);
            mpfr_mul_si(an, an, i, MPFR_RNDN);
            mpfr_add_ui(b, b, 2, MPFR_RNDN);
            mpfr_mul(d, d, an, MPFR_RNDN);
            mpfr_add(d, d, b, MPFR_RNDN);
            if (mpfr_zero_p(d))
                mpfr_set_ui_2exp(d, 1, -2 * DIST_WP, MPFR_RNDN);
            mpfr_div(cc, an, cc, MPFR_RNDN);
            mpfr_add(cc, cc, b, MPFR_RNDN);
            if (mpfr_zero_p(cc))
                mpfr_set_ui_2exp(cc, 1, -2 * DIST_WP, MPFR_RNDN);
            mpfr_ui_div(d, 1, d, MPFR_RNDN);
            mpfr_mul(del, d, cc, MPFR_RNDN);
            mpfr_mul(s, s, del, MPFR_RNDN);
            mpfr_sub_ui(del, del, 1, MPFR_RNDN);
            if (negligible(del, t))
                break;
            if ((i & 4095) == 0 && xc_interrupted()) {
                st = XC_EINTR;
                break;
            }
        }
        mpfr_mul(s, s, pre, MPFR_RNDN);
        if (!upper)
            mpfr_ui_sub(s, 1, s, MPFR_RNDN);
    }
    mpfr_set(r, s, MPFR_RNDN);
    mpfr_clears(pre, t, s, ap, b, cc, d, an, del, (mpfr_ptr)0);
    return st;
}

/* Continued fraction of the incomplete beta (modified Lentz). */
static int beta_cf(mpfr_t r, const mpfr_t a, const mpfr_t b, const mpfr_t x)
{
    mpfr_t cc, d, h, an, t, one, del;
    int st = 0;
    mpfr_inits2(DIST_WP, cc, d, h, an, t, one, del, (mpfr_ptr)0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_set_ui(cc, 1, MPFR_RNDN);
    /* d = 1/(1 - (a+b) x/(a+1)) */
    mpfr_add(t, a, b, MPFR_RNDN);
    mpfr_mul(t, t, x, MPFR_RNDN);
    mpfr_add_ui(d, a, 1, MPFR_RNDN);
    mpfr_div(t, t, d, MPFR_RNDN);
    mpfr_ui_sub(d, 1, t, MPFR_RNDN);
    if (mpfr_zero_p(d))
        mpfr_set_ui_2exp(d, 1, -2 * DIST_WP, MPFR_RNDN);
    mpfr_ui_div(d, 1, d, MPFR_RNDN);
    mpfr_set(h, d, MPFR_RNDN);
    for (long m = 1; m < DIST_MAXIT; m++) {
        for (int half = 0; half < 2; half++) {
            if (!half) {
                /* m (b - m) x / ((a + 2m - 1)(a + 2m)) */
                mpfr_sub_si(an, b, m, MPFR_RNDN);
                mpfr_mul_si(an, an, m, MPFR_RNDN);
                mpfr_mul(an, an, x, MPFR_RNDN);
                mpfr_add_si(t, a, 2 * m - 1, MPFR_RNDN);
                mpfr_div(an, an, t, MPFR_RNDN);
                mpfr_add_si(t, a, 2 * m, MPFR_RNDN);
                mpfr_div(an, an, t, MPFR_RNDN);
            } else {
                /* -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
                mpfr_add_si(an, a, m, MPFR_RNDN);
                mpfr_add(t, a, b, MPFR_RNDN);
                mpfr_add_si(t, t, m, MPFR_RNDN);
                mpfr_mul(an, an, t, MPFR_RNDN);
                mpfr_mul(an, an, x, MPFR_RNDN);
                mpfr_neg(an, an, MPFR_RNDN);
                mpfr_add_si(t, a, 2 * m, MPFR_RNDN);
                mpfr_div(an, an, t, MPFR_RNDN);
                mpfr_add_si(t, a, 2 * m + 1, MPFR_RNDN);
                mpfr_div(an, an, t, MPFR_RNDN);
            }
            mpfr_mul(d, d, an, MPFR_RNDN);
            mpfr_add_ui(d, d, 1, MPFR_RNDN);
            if (mpfr_zero_p(d))
                mpfr_set_ui_2exp(d, 1, -2 * DIST_WP, MPFR_RNDN);
            mpfr_div(cc, an, cc, MPFR_RNDN);
            mpfr_add_ui(cc, cc, 1, MPFR_RNDN);
            if (mpfr_zero_p(cc))
                mpfr_set_ui_2exp(cc, 1, -2 * DIST_WP, MPFR_RNDN);
            mpfr_ui_div(d, 1, d, MPFR_RNDN);
            mpfr_mul(del, d, cc, MPFR_RNDN);
            mpfr_mul(h, h, del, MPFR_RNDN);
        }
        mpfr_sub_ui(del, del, 1, MPFR_RNDN);
        if (negligible(del, one))
            break;
        if ((m & 4095) == 0 && xc_interrupted()) {
            st = XC_EINTR;
            break;
        }
    }
    mpfr_set(r, h, MPFR_RNDN);
    mpfr_clears(cc, d, h, an, t, one, del, (mpfr_ptr)0);
    return st;
}

/* ln B(a, b) */
static void lbeta(mpfr_t r, const mpfr_t a, const mpfr_t b)
{
    mpfr_t t, s; /* r may alias a or b */
    mpfr_inits2(DIST_WP, t, s, (mpfr_ptr)0);
    mpfr_add(s, a, b, MPFR_RNDN);
    lgam(s, s);
    lgam(t, b);
    lgam(r, a);
    mpfr_add(r, r, t, MPFR_RNDN);
    mpfr_sub(r, r, s, MPFR_RNDN);
    mpfr_clears(t, s, (mpfr_ptr)0);
}

/* Regularised incomplete beta I_x(a, b) (upper = 0) or 1 - I_x(a, b),
 * a, b > 0, 0 <= x <= 1. */
static int beta_reg(mpfr_t r, const mpfr_t a, const mpfr_t b, const mpfr_t x,
                    int upper)
{
    mpfr_t pre, t, y;
    int st, swap;
    if (mpfr_zero_p(x) || mpfr_cmp_ui(x, 1) == 0) {
        int one = mpfr_zero_p(x) ? upper : !upper;
        mpfr_set_ui(r, one, MPFR_RNDN);
        return 0;
    }
    mpfr_inits2(DIST_WP, pre, t, y, (mpfr_ptr)0);
    mpfr_ui_sub(y, 1, x, MPFR_RNDN);
    /* pre = x^a (1-x)^b / B(a, b) */
    mpfr_log(pre, x, MPFR_RNDN);
    mpfr_mul(pre, pre, a, MPFR_RNDN);
    mpfr_log(t, y, MPFR_RNDN);
    mpfr_mul(t, t, b, MPFR_RNDN);
    mpfr_add(pre, pre, t, MPFR_RNDN);
    lbeta(t, a, b);
    mpfr_sub(pre, pre, t, MPFR_RNDN);
    mpfr_exp(pre, pre, MPFR_RNDN);
    /* the fraction converges fast for x < (a+1)/(a+b+2) */
    mpfr_add(t, a, b, MPFR_RNDN);
    mpfr_add_ui(t, t, 2, MPFR_RNDN);
    mpfr_mul(t, t, x, MPFR_RNDN);
    mpfr_sub(t, t, a, MPFR_RNDN);
    swap = mpfr_cmp_ui(t, 1) > 0;
    if (!swap) {
        st = beta_cf(t, a, b, x);
        mpfr_mul(t, t, pre, MPFR_RNDN);
        mpfr_div(t, t, a, MPFR_RNDN);
    } else {
        st = beta_cf(t, b, a, y);
        mpfr_mul(t, t, pre, MPFR_RNDN);
        mpfr_div(t, t, b, MPFR_RNDN);
    }
    /* t is I_x(a,b) when !swap, else 1 - I_x(a,b) */
    if (swap != upper)
        mpfr_ui_sub(t, 1, t, MPFR_RNDN);
    mpfr_set(r, t, MPFR_RNDN);
    mpfr_clears(pre, t, y, (mpfr_ptr)0);
    return st;
}

/* A distribution with parameters p[0..2]: its cdf (or upper tail) and
 * pdf at x, for the inverse search. */
enum { D_GAMMA, D_BETA, D_T, D_F };
typedef struct dist {
    int kind;
    mpfr_t p0, p1; /* gamma: shape, scale; beta: a, b; t: df; F: d1, d2 */
} dist;

static void dist_init(dist *D, int kind)
{
    D->kind = kind;
    mpfr_inits2(DIST_WP, D->p0, D->p1, (mpfr_ptr)0);
}

static void dist_clear(dist *D)
{
    mpfr_clears(D->p0, D->p1, (mpfr_ptr)0);
}

/* cdf (upper = 0) or survival function (upper = 1) at x */
static int dist_cdf(mpfr_t r, const dist *D, const mpfr_t x, int upper)
{
    mpfr_t a, b, y;
    int st = 0;
    mpfr_inits2(DIST_WP, a, b, y, (mpfr_ptr)0);
    switch (D->kind) {
    case D_GAMMA:
        if (mpfr_sgn(x) <= 0) {
            mpfr_set_ui(r, upper, MPFR_RNDN);
            break;
        }
        mpfr_div(y, x, D->p1, MPFR_RNDN);
        st = gamma_reg(r, D->p0, y, upper);
        break;
    case D_BETA:
        if (mpfr_sgn(x) <= 0 || mpfr_cmp_ui(x, 1) >= 0) {
            mpfr_set_ui(r, (mpfr_sgn(x) <= 0) == !!upper, MPFR_RNDN);
            break;
        }
        st = beta_reg(r, D->p0, D->p1, x, upper);
        break;
    case D_T: {
        /* tail = I_{v/(v+t^2)}(v/2, 1/2) / 2 = P(T > |t|) */
        int neg = mpfr_sgn(x) < 0;
        mpfr_sqr(y, x, MPFR_RNDN);
        mpfr_add(y, y, D->p0, MPFR_RNDN);
        mpfr_div(y, D->p0, y, MPFR_RNDN);
        mpfr_div_2ui(a, D->p0, 1, MPFR_RNDN);
        mpfr_set_d(b, 0.5, MPFR_RNDN);
        st = beta_reg(r, a, b, y, 0);
        mpfr_div_2ui(r, r, 1, MPFR_RNDN);
        /* r = P(T > |x|) */
        if (neg == !upper) /* lower tail at negative x, upper at positive */
            ;
        else
            mpfr_ui_sub(r, 1, r, MPFR_RNDN);
        break;
    }
    case D_F:
        if (mpfr_sgn(x) <= 0) {
            mpfr_set_ui(r, upper, MPFR_RNDN);
            break;
        }
        /* I_{d1 x/(d1 x + d2)}(d1/2, d2/2) */
        mpfr_mul(y, D->p0, x, MPFR_RNDN);
        mpfr_add(a, y, D->p1, MPFR_RNDN);
        mpfr_div(y, y, a, MPFR_RNDN);
        mpfr_div_2ui(a, D->p0, 1, MPFR_RNDN);
        mpfr_div_2ui(b, D->p1, 1, MPFR_RNDN);
        st = beta_reg(r, a, b, y, upper);
        break;
    }
    mpfr_clears(a, b, y, (mpfr_ptr)0);
    return st;
}

/* density at x */
static void dist_pdf(mpfr_t r, const dist *D, const mpfr_t x)
{
    mpfr_t t, u, v;
    mpfr_inits2(DIST_WP, t, u, v, (mpfr_ptr)0);
    switch (D->kind) {
    case D_GAMMA:
        /* x^(a-1) e^(-x/b) / (b^a Gamma(a)) */
        if (mpfr_sgn(x) < 0) {
            mpfr_set_ui(r, 0, MPFR_RNDN);
            break;
        }
        if (mpfr_zero_p(x)) {
            int c = mpfr_cmp_ui(D->p0, 1);
            if (c > 0)
                mpfr_set_ui(r, 0, MPFR_RNDN);
            else if (c == 0)
                mpfr_ui_div(r, 1, D->p1, MPFR_RNDN);
            else
                mpfr_set_inf(r, 1);
            break;
        }
        mpfr_log(t, x, MPFR_RNDN);
        mpfr_sub_ui(u, D->p0, 1, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_div(u, x, D->p1, MPFR_RNDN);
        mpfr_sub(t, t, u, MPFR_RNDN);
        mpfr_log(u, D->p1, MPFR_RNDN);
        mpfr_mul(u, u, D->p0, MPFR_RNDN);
        mpfr_sub(t, t, u, MPFR_RNDN);
        lgam(u, D->p0);
        mpfr_sub(t, t, u, MPFR_RNDN);
        mpfr_exp(r, t, MPFR_RNDN);
        break;
    case D_BETA:
        /* x^(a-1) (1-x)^(b-1) / B(a,b) */
        if (mpfr_sgn(x) <= 0 || mpfr_cmp_ui(x, 1) >= 0) {
            mpfr_set_ui(r, 0, MPFR_RNDN);
            break;
        }
        mpfr_log(t, x, MPFR_RNDN);
        mpfr_sub_ui(u, D->p0, 1, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_ui_sub(v, 1, x, MPFR_RNDN);
        mpfr_log(v, v, MPFR_RNDN);
        mpfr_sub_ui(u, D->p1, 1, MPFR_RNDN);
        mpfr_mul(v, v, u, MPFR_RNDN);
        mpfr_add(t, t, v, MPFR_RNDN);
        lbeta(u, D->p0, D->p1);
        mpfr_sub(t, t, u, MPFR_RNDN);
        mpfr_exp(r, t, MPFR_RNDN);
        break;
    case D_T:
        /* (1 + x^2/v)^(-(v+1)/2) / (sqrt(v) B(v/2, 1/2)) */
        mpfr_sqr(t, x, MPFR_RNDN);
        mpfr_div(t, t, D->p0, MPFR_RNDN);
        mpfr_log1p(t, t, MPFR_RNDN);
        mpfr_add_ui(u, D->p0, 1, MPFR_RNDN);
        mpfr_div_2ui(u, u, 1, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_neg(t, t, MPFR_RNDN);
        mpfr_div_2ui(u, D->p0, 1, MPFR_RNDN);
        mpfr_set_d(v, 0.5, MPFR_RNDN);
        lbeta(v, u, v);
        mpfr_sub(t, t, v, MPFR_RNDN);
        mpfr_log(v, D->p0, MPFR_RNDN);
        mpfr_div_2ui(v, v, 1, MPFR_RNDN);
        mpfr_sub(t, t, v, MPFR_RNDN);
        mpfr_exp(r, t, MPFR_RNDN);
        break;
    case D_F:
        /* sqrt((d1 x)^d1 d2^d2 / (d1 x + d2)^(d1+d2)) / (x B(d1/2, d2/2)) */
        if (mpfr_sgn(x) <= 0) {
            mpfr_set_ui(r, 0, MPFR_RNDN);
            if (mpfr_zero_p(x) && mpfr_cmp_ui(D->p0, 2) <= 0) {
                if (mpfr_cmp_ui(D->p0, 2) == 0)
                    mpfr_set_ui(r, 1, MPFR_RNDN);
                else
                    mpfr_set_inf(r, 1);
            }
            break;
        }
        mpfr_mul(u, D->p0, x, MPFR_RNDN);
        mpfr_add(v, u, D->p1, MPFR_RNDN);
        mpfr_log(u, u, MPFR_RNDN);
        mpfr_mul(t, u, D->p0, MPFR_RNDN);
        mpfr_log(u, D->p1, MPFR_RNDN);
        mpfr_mul(u, u, D->p1, MPFR_RNDN);
        mpfr_add(t, t, u, MPFR_RNDN);
        mpfr_log(v, v, MPFR_RNDN);
        mpfr_add(u, D->p0, D->p1, MPFR_RNDN);
        mpfr_mul(v, v, u, MPFR_RNDN);
        mpfr_sub(t, t, v, MPFR_RNDN);
        mpfr_div_2ui(t, t, 1, MPFR_RNDN);
        mpfr_log(v, x, MPFR_RNDN);
        mpfr_sub(t, t, v, MPFR_RNDN);
        mpfr_div_2ui(u, D->p0, 1, MPFR_RNDN);
        mpfr_div_2ui(v, D->p1, 1, MPFR_RNDN);
        lbeta(u, u, v);
        mpfr_sub(t, t, u, MPFR_RNDN);
        mpfr_exp(r, t, MPFR_RNDN);
        break;
    }
    mpfr_clears(t, u, v, (mpfr_ptr)0);
}

/* x with cdf(x) = p (upper = 0) or sf(x) = p (upper = 1), 0 < p < 1:
 * bracket [lo, hi] (hi doubled until it encloses the root), then Newton
 * steps that stay inside the bracket, bisection otherwise. */
static int dist_inv(mpfr_t x, const dist *D, const mpfr_t p, int upper)
{
    mpfr_t lo, hi, f, d, nx;
    int st = 0, it;
    mpfr_inits2(DIST_WP, lo, hi, f, d, nx, (mpfr_ptr)0);
    if (D->kind == D_T)
        mpfr_set_si(lo, -1, MPFR_RNDN);
    else
        mpfr_set_ui(lo, 0, MPFR_RNDN);
    mpfr_set_ui(hi, 1, MPFR_RNDN);
    if (D->kind == D_BETA) {
        /* root in (0, 1) */
    } else {
        for (it = 0; it < 2000 && st == 0; it++) {
            /* grow hi until cdf(hi) >= p (lower) / sf(hi) <= p */
            st = dist_cdf(f, D, hi, upper);
            if (mpfr_equal_p(f, p)) {
                /* hi is the root itself (F.INV(0.5, d, d) = 1) */
                mpfr_set(x, hi, MPFR_RNDN);
                mpfr_clears(lo, hi, f, d, nx, (mpfr_ptr)0);
                return st;
            }
            if (upper ? mpfr_cmp(f, p) <= 0 : mpfr_cmp(f, p) >= 0)
                break;
            mpfr_set(lo, hi, MPFR_RNDN);
            mpfr_mul_2ui(hi, hi, 1, MPFR_RNDN);
        }
        if (D->kind == D_T) {
            for (it = 0; it < 2000 && st == 0; it++) {
                st = dist_cdf(f, D, lo, upper);
                if (upper ? mpfr_cmp(f, p) >= 0 : mpfr_cmp(f, p) <= 0)
                    break;
                mpfr_set(hi, lo, MPFR_RNDN);
                mpfr_mul_2ui(lo, lo, 1, MPFR_RNDN);
            }
        }
    }
    mpfr_add(x, lo, hi, MPFR_RNDN);
    mpfr_div_2ui(x, x, 1, MPFR_RNDN);
    for (it = 0; it < 4 * DIST_WP && st == 0; it++) {
        int below;
        st = dist_cdf(f, D, x, upper);
        mpfr_sub(f, f, p, MPFR_RNDN);
        /* done when the residual is below what the cdf resolves (more
         * steps would only chase its rounding noise) */
        if (mpfr_zero_p(f) ||
            (mpfr_regular_p(p) &&
             mpfr_get_exp(f) < mpfr_get_exp(p) - (XC_MPFR_PREC + 16)))
            break;
        /* below: x is left of the root */
        below = upper ? mpfr_sgn(f) > 0 : mpfr_sgn(f) < 0;
        mpfr_set(below ? lo : hi, x, MPFR_RNDN);
        dist_pdf(d, D, x);
        mpfr_div(nx, f, d, MPFR_RNDN);
        if (upper)
            mpfr_add(nx, x, nx, MPFR_RNDN);
        else
            mpfr_sub(nx, x, nx, MPFR_RNDN);
        if (!mpfr_number_p(nx) || mpfr_cmp(nx, lo) <= 0 ||
            mpfr_cmp(nx, hi) >= 0) {
            mpfr_add(nx, lo, hi, MPFR_RNDN);
            mpfr_div_2ui(nx, nx, 1, MPFR_RNDN);
        }
        mpfr_sub(d, nx, x, MPFR_RNDN);
        mpfr_set(x, nx, MPFR_RNDN);
        if (negligible(d, x) || mpfr_equal_p(lo, hi))
            break;
        /* the bracket itself has closed in */
        mpfr_sub(d, hi, lo, MPFR_RNDN);
        if (negligible(d, x))
            break;
        if ((it & 63) == 0 && xc_interrupted())
            st = XC_EINTR;
    }
    mpfr_clears(lo, hi, f, d, nx, (mpfr_ptr)0);
    return st;
}

/* Round a working-precision result to XC_MPFR_PREC and return it. */
static int dist_out(xc_value *out, const mpfr_t r, int st)
{
    mpfr_t o;
    int rs;
    if (st != 0)
        return st == XC_EINTR ? st : err_out(out, XC_ERR_NUM);
    mpfr_init2(o, XC_MPFR_PREC);
    mpfr_set(o, r, MPFR_RNDN);
    /* below the smallest representable number: an inexact zero */
    if (mpfr_regular_p(o) && mpfr_get_exp(o) < -(XC_NUM_MAX_BITS - 64))
        mpfr_set_ui(o, 0, MPFR_RNDN);
    rs = mp_done(out, o, 1);
    mpfr_clear(o);
    return rs;
}

static void mp_arg(mpfr_t r, xc_fncall *c, int i)
{
    xc_num_get_mpfr(r, xc_arg_num(c, i), MPFR_RNDN);
}

/* Degrees of freedom: truncated, at least lo, at most 10^10. */
static int dof(xc_fncall *c, int i, int64_t lo, mpfr_t r)
{
    int64_t v;
    if (xc_num_trunc_clamp(xc_arg_num(c, i), INT64_MIN / 2, INT64_MAX / 2,
                           &v) != XC_OK ||
        v < lo || v > 10000000000LL)
        return -1;
    mpfr_set_si(r, (long)v, MPFR_RNDN);
    return 0;
}

/* Probability argument i: 0 < p < 1, or 0 < p <= 1 when one_ok. */
static int prob_arg(xc_fncall *c, int i, int zero_ok, int one_ok)
{
    const xc_num *p = xc_arg_num(c, i);
    int s = xc_num_sign(p), o = xc_num_cmp_int(p, 1);
    return s < 0 || (s == 0 && !zero_ok) || o > 0 || (o == 0 && !one_ok);
}

/* Evaluate the cdf/sf/pdf of D at x and return it. */
static int dist_value(xc_value *out, dist *D, const mpfr_t x, int what)
{
    mpfr_t r;
    int st = 0;
    mpfr_init2(r, DIST_WP);
    if (what == 2)
        dist_pdf(r, D, x);
    else
        st = dist_cdf(r, D, x, what);
    st = dist_out(out, r, st);
    mpfr_clear(r);
    return st;
}

/* Invert D at probability argument ip and return scale*x + shift. */
static int dist_inverse(xc_fncall *c, xc_value *out, dist *D, int ip, int upper)
{
    mpfr_t p, x;
    int st;
    mpfr_inits2(DIST_WP, p, x, (mpfr_ptr)0);
    mp_arg(p, c, ip);
    st = dist_inv(x, D, p, upper);
    st = dist_out(out, x, st);
    mpfr_clears(p, x, (mpfr_ptr)0);
    return st;
}

/* GAMMA.DIST(x, alpha, beta, cumulative) */
static int fn_gamma_dist(xc_fncall *c, xc_value *out)
{
    dist D;
    mpfr_t x;
    int st;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    dist_init(&D, D_GAMMA);
    mpfr_init2(x, DIST_WP);
    mp_arg(D.p0, c, 1);
    mp_arg(D.p1, c, 2);
    mp_arg(x, c, 0);
    st = dist_value(out, &D, x, truth(c, 3) ? 0 : 2);
    mpfr_clear(x);
    dist_clear(&D);
    return st;
}

/* GAMMA.INV(probability, alpha, beta) */
static int fn_gamma_inv(xc_fncall *c, xc_value *out)
{
    dist D;
    int st;
    if (prob_arg(c, 0, 1, 0) || xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    if (xc_num_sign(xc_arg_num(c, 0)) == 0) {
        xc_num z;
        xc_num_init(&z);
        return xc_result_num(out, &z, 0);
    }
    dist_init(&D, D_GAMMA);
    mp_arg(D.p0, c, 1);
    mp_arg(D.p1, c, 2);
    st = dist_inverse(c, out, &D, 0, 0);
    dist_clear(&D);
    return st;
}

/* CHISQ.DIST(x, df, cumulative); CHISQ.DIST.RT / CHIDIST (x, df) */
static int chisq_dist(xc_fncall *c, xc_value *out, int rt)
{
    dist D;
    mpfr_t x;
    int st;
    dist_init(&D, D_GAMMA);
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 || dof(c, 1, 1, D.p0)) {
        dist_clear(&D);
        return err_out(out, XC_ERR_NUM);
    }
    mpfr_div_2ui(D.p0, D.p0, 1, MPFR_RNDN);
    mpfr_set_ui(D.p1, 2, MPFR_RNDN);
    mpfr_init2(x, DIST_WP);
    mp_arg(x, c, 0);
    st = dist_value(out, &D, x, rt ? 1 : truth(c, 2) ? 0 : 2);
    mpfr_clear(x);
    dist_clear(&D);
    return st;
}

static int fn_chisq_dist(xc_fncall *c, xc_value *out)
{
    return chisq_dist(c, out, 0);
}

static int fn_chisq_dist_rt(xc_fncall *c, xc_value *out)
{
    return chisq_dist(c, out, 1);
}

/* CHISQ.INV(p, df) left tail; CHISQ.INV.RT / CHIINV right tail */
static int chisq_inv(xc_fncall *c, xc_value *out, int rt)
{
    dist D;
    int st;
    dist_init(&D, D_GAMMA);
    if (prob_arg(c, 0, !rt, rt) || dof(c, 1, 1, D.p0)) {
        dist_clear(&D);
        return err_out(out, XC_ERR_NUM);
    }
    if (xc_num_sign(xc_arg_num(c, 0)) == 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), 1) == 0) {
        xc_num z;
        dist_clear(&D);
        xc_num_init(&z);
        return xc_result_num(out, &z, 0);
    }
    mpfr_div_2ui(D.p0, D.p0, 1, MPFR_RNDN);
    mpfr_set_ui(D.p1, 2, MPFR_RNDN);
    st = dist_inverse(c, out, &D, 0, rt);
    dist_clear(&D);
    return st;
}

static int fn_chisq_inv(xc_fncall *c, xc_value *out)
{
    return chisq_inv(c, out, 0);
}

static int fn_chisq_inv_rt(xc_fncall *c, xc_value *out)
{
    return chisq_inv(c, out, 1);
}

/* Scale x to [0, 1] for BETA.DIST's bounds A, B (args ia, ib). */
static int beta_bounds(xc_fncall *c, int ix, int ia, int ib, mpfr_t x,
                       mpfr_t width)
{
    xc_num one;
    const xc_num *A = xc_arg_given(c, ia) ? xc_arg_num(c, ia) : &zero_num;
    const xc_num *B;
    xc_num_init(&one);
    xc_num_set_int(&one, 1);
    B = xc_arg_given(c, ib) ? xc_arg_num(c, ib) : &one;
    if (xc_num_cmp(A, B) >= 0 || xc_num_cmp(xc_arg_num(c, ix), A) < 0 ||
        xc_num_cmp(xc_arg_num(c, ix), B) > 0) {
        xc_num_clear(&one);
        return -1;
    }
    mpfr_t a;
    mpfr_init2(a, DIST_WP);
    xc_num_get_mpfr(a, A, MPFR_RNDN);
    xc_num_get_mpfr(width, B, MPFR_RNDN);
    mpfr_sub(width, width, a, MPFR_RNDN);
    mp_arg(x, c, ix);
    mpfr_sub(x, x, a, MPFR_RNDN);
    mpfr_div(x, x, width, MPFR_RNDN);
    mpfr_clear(a);
    xc_num_clear(&one);
    return 0;
}

/* BETA.DIST(x, alpha, beta, cumulative, [A], [B]); BETADIST(x, alpha,
 * beta, [A], [B]) is the cumulative one. */
static int beta_dist(xc_fncall *c, xc_value *out, int legacy)
{
    dist D;
    mpfr_t x, w, r;
    int st, cum = legacy || truth(c, 3), ia = legacy ? 3 : 4;
    if (xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    dist_init(&D, D_BETA);
    mpfr_inits2(DIST_WP, x, w, r, (mpfr_ptr)0);
    if (beta_bounds(c, 0, ia, ia + 1, x, w)) {
        st = err_out(out, XC_ERR_NUM);
        goto end;
    }
    mp_arg(D.p0, c, 1);
    mp_arg(D.p1, c, 2);
    st = 0;
    if (cum)
        st = dist_cdf(r, &D, x, 0);
    else {
        dist_pdf(r, &D, x);
        mpfr_div(r, r, w, MPFR_RNDN);
    }
    st = dist_out(out, r, st);
end:
    mpfr_clears(x, w, r, (mpfr_ptr)0);
    dist_clear(&D);
    return st;
}

static int fn_beta_dist(xc_fncall *c, xc_value *out)
{
    return beta_dist(c, out, 0);
}

static int fn_betadist(xc_fncall *c, xc_value *out)
{
    return beta_dist(c, out, 1);
}

/* BETA.INV(probability, alpha, beta, [A], [B]) */
static int fn_beta_inv(xc_fncall *c, xc_value *out)
{
    dist D;
    mpfr_t p, x, a, w;
    xc_num one;
    const xc_num *A, *B;
    int st;
    if (prob_arg(c, 0, 0, 0) || xc_num_sign(xc_arg_num(c, 1)) <= 0 ||
        xc_num_sign(xc_arg_num(c, 2)) <= 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&one);
    xc_num_set_int(&one, 1);
    A = xc_arg_given(c, 3) ? xc_arg_num(c, 3) : &zero_num;
    B = xc_arg_given(c, 4) ? xc_arg_num(c, 4) : &one;
    if (xc_num_cmp(A, B) >= 0) {
        xc_num_clear(&one);
        return err_out(out, XC_ERR_NUM);
    }
    dist_init(&D, D_BETA);
    mpfr_inits2(DIST_WP, p, x, a, w, (mpfr_ptr)0);
    mp_arg(D.p0, c, 1);
    mp_arg(D.p1, c, 2);
    mp_arg(p, c, 0);
    if (mpfr_cmp_ui(p, 1) == 0) {
        mpfr_set_ui(x, 1, MPFR_RNDN);
        st = 0;
    } else
        st = dist_inv(x, &D, p, 0);
    xc_num_get_mpfr(a, A, MPFR_RNDN);
    xc_num_get_mpfr(w, B, MPFR_RNDN);
    mpfr_sub(w, w, a, MPFR_RNDN);
    mpfr_mul(x, x, w, MPFR_RNDN);
    mpfr_add(x, x, a, MPFR_RNDN);
    st = dist_out(out, x, st);
    mpfr_clears(p, x, a, w, (mpfr_ptr)0);
    dist_clear(&D);
    xc_num_clear(&one);
    return st;
}

/* T.DIST(x, df, cumulative) / T.DIST.RT(x, df) / T.DIST.2T(x, df) /
 * TDIST(x, df, tails) */
enum { T_LEFT, T_RT, T_2T, T_LEGACY };
static int t_dist(xc_fncall *c, xc_value *out, int mode)
{
    dist D;
    mpfr_t x, r;
    int st = 0, what;
    dist_init(&D, D_T);
    if (dof(c, 1, 1, D.p0)) {
        dist_clear(&D);
        return err_out(out, XC_ERR_NUM);
    }
    if (mode == T_LEGACY) {
        int64_t tails;
        xc_num_trunc_clamp(xc_arg_num(c, 2), -10, 10, &tails);
        if (xc_num_sign(xc_arg_num(c, 0)) < 0 || (tails != 1 && tails != 2)) {
            dist_clear(&D);
            return err_out(out, XC_ERR_NUM);
        }
        mode = tails == 1 ? T_RT : T_2T;
    }
    if (mode == T_2T && xc_num_sign(xc_arg_num(c, 0)) < 0) {
        dist_clear(&D);
        return err_out(out, XC_ERR_NUM);
    }
    mpfr_inits2(DIST_WP, x, r, (mpfr_ptr)0);
    mp_arg(x, c, 0);
    what = mode == T_RT ? 1 : mode == T_2T ? 1 : truth(c, 2) ? 0 : 2;
    if (what == 2)
        dist_pdf(r, &D, x);
    else
        st = dist_cdf(r, &D, x, what);
    if (mode == T_2T)
        mpfr_mul_2ui(r, r, 1, MPFR_RNDN);
    st = dist_out(out, r, st);
    mpfr_clears(x, r, (mpfr_ptr)0);
    dist_clear(&D);
    return st;
}

static int fn_t_dist(xc_fncall *c, xc_value *out)
{
    return t_dist(c, out, T_LEFT);
}

static int fn_t_dist_rt(xc_fncall *c, xc_value *out)
{
    return t_dist(c, out, T_RT);
}

static int fn_t_dist_2t(xc_fncall *c, xc_value *out)
{
    return t_dist(c, out, T_2T);
}

static int fn_tdist(xc_fncall *c, xc_value *out)
{
    return t_dist(c, out, T_LEGACY);
}

/* t quantile: T.INV (left tail, two_tail = 0) or T.INV.2T / TINV. */
static int t_inv_into(mpfr_t x, const xc_num *pn, const mpfr_t df, int two_tail)
{
    dist D;
    mpfr_t p;
    int st;
    dist_init(&D, D_T);
    mpfr_set(D.p0, df, MPFR_RNDN);
    mpfr_init2(p, DIST_WP);
    xc_num_get_mpfr(p, pn, MPFR_RNDN);
    if (two_tail) {
        /* upper tail p/2 */
        mpfr_div_2ui(p, p, 1, MPFR_RNDN);
        if (mpfr_cmp_d(p, 0.5) == 0) {
            mpfr_set_ui(x, 0, MPFR_RNDN);
            st = 0;
        } else
            st = dist_inv(x, &D, p, 1);
    } else if (mpfr_cmp_d(p, 0.5) == 0) {
        mpfr_set_ui(x, 0, MPFR_RNDN);
        st = 0;
    } else
        st = dist_inv(x, &D, p, 0);
    mpfr_clear(p);
    dist_clear(&D);
    return st;
}

static int t_inv(xc_fncall *c, xc_value *out, int two_tail)
{
    mpfr_t df, x;
    int st;
    mpfr_inits2(DIST_WP, df, x, (mpfr_ptr)0);
    if (prob_arg(c, 0, 0, two_tail) || dof(c, 1, 1, df)) {
        mpfr_clears(df, x, (mpfr_ptr)0);
        return err_out(out, XC_ERR_NUM);
    }
    st = t_inv_into(x, xc_arg_num(c, 0), df, two_tail);
    if (st == 0 && mpfr_zero_p(x)) {
        xc_num z;
        mpfr_clears(df, x, (mpfr_ptr)0);
        xc_num_init(&z);
        return xc_result_num(out, &z, 0);
    }
    st = dist_out(out, x, st);
    mpfr_clears(df, x, (mpfr_ptr)0);
    return st;
}

static int fn_t_inv(xc_fncall *c, xc_value *out)
{
    return t_inv(c, out, 0);
}

static int fn_t_inv_2t(xc_fncall *c, xc_value *out)
{
    return t_inv(c, out, 1);
}

/* CONFIDENCE.T(alpha, standard_dev, size) = t(alpha, n-1) sd / sqrt(n) */
static int fn_confidence_t(xc_fncall *c, xc_value *out)
{
    mpfr_t df, x, t;
    int64_t n;
    int st;
    if (prob_arg(c, 0, 0, 0) || xc_num_sign(xc_arg_num(c, 1)) <= 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 2), -1, INT64_MAX / 2, &n);
    if (n < 1)
        return err_out(out, XC_ERR_NUM);
    if (n == 1)
        return err_out(out, XC_ERR_DIV0);
    mpfr_inits2(DIST_WP, df, x, t, (mpfr_ptr)0);
    mpfr_set_si(df, (long)(n - 1), MPFR_RNDN);
    st = t_inv_into(x, xc_arg_num(c, 0), df, 1);
    mp_arg(t, c, 1);
    mpfr_mul(x, x, t, MPFR_RNDN);
    mpfr_sqrt_ui(t, (unsigned long)n, MPFR_RNDN);
    mpfr_div(x, x, t, MPFR_RNDN);
    st = dist_out(out, x, st);
    mpfr_clears(df, x, t, (mpfr_ptr)0);
    return st;
}

/* F.DIST(x, d1, d2, cumulative); F.DIST.RT / FDIST(x, d1, d2) */
static int f_dist(xc_fncall *c, xc_value *out, int rt)
{
    dist D;
    mpfr_t x;
    int st;
    dist_init(&D, D_F);
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 || dof(c, 1, 1, D.p0) ||
        dof(c, 2, 1, D.p1)) {
        dist_clear(&D);
        return err_out(out, XC_ERR_NUM);
    }
    mpfr_init2(x, DIST_WP);
    mp_arg(x, c, 0);
    st = dist_value(out, &D, x, rt ? 1 : truth(c, 3) ? 0 : 2);
    mpfr_clear(x);
    dist_clear(&D);
    return st;
}

static int fn_f_dist(xc_fncall *c, xc_value *out)
{
    return f_dist(c, out, 0);
}

static int fn_f_dist_rt(xc_fncall *c, xc_value *out)
{
    return f_dist(c, out, 1);
}

/* F.INV(p, d1, d2) left tail; F.INV.RT / FINV right tail */
static int f_inv(xc_fncall *c, xc_value *out, int rt)
{
    dist D;
    int st;
    dist_init(&D, D_F);
    if (prob_arg(c, 0, !rt, rt) || dof(c, 1, 1, D.p0) || dof(c, 2, 1, D.p1)) {
        dist_clear(&D);
        return err_out(out, XC_ERR_NUM);
    }
    if (xc_num_sign(xc_arg_num(c, 0)) == 0 ||
        xc_num_cmp_int(xc_arg_num(c, 0), 1) == 0) {
        xc_num z;
        dist_clear(&D);
        xc_num_init(&z);
        return xc_result_num(out, &z, 0);
    }
    st = dist_inverse(c, out, &D, 0, rt);
    dist_clear(&D);
    return st;
}

static int fn_f_inv(xc_fncall *c, xc_value *out)
{
    return f_inv(c, out, 0);
}

static int fn_f_inv_rt(xc_fncall *c, xc_value *out)
{
    return f_inv(c, out, 1);
}

/* ---- Hypothesis tests ----------------------------------------------- */

/* Mean and sum of squared deviations of nv (exact, then to MPFR). */
static int mean_ss(const xc_numvec *nv, mpfr_t mean, mpfr_t ss)
{
    xc_num s, d, n;
    int st;
    xc_num_init(&s);
    xc_num_init(&d);
    xc_num_init(&n);
    xc_num_set_int(&n, (int64_t)nv->n);
    st = sum_into(&s, nv);
    if (st == XC_OK && nv->n)
        st = xc_num_div(&s, &s, &n);
    if (st == XC_OK)
        st = devsq_into(&d, nv);
    if (st == XC_OK) {
        xc_num_get_mpfr(mean, &s, MPFR_RNDN);
        xc_num_get_mpfr(ss, &d, MPFR_RNDN);
    }
    xc_num_clear(&s);
    xc_num_clear(&d);
    xc_num_clear(&n);
    return st;
}

/* Numbers of one array argument (text and logicals ignored). */
static int arg_nums(xc_fncall *c, int i, xc_numvec *nv, xc_error *e)
{
    return nums(c, i, i + 1, 0, nv, e);
}

/* tails * P(T > |t|) for t^2 = t2 and df degrees of freedom */
static int t_tail(xc_value *out, const mpfr_t t2, const mpfr_t df, int tails)
{
    dist D;
    mpfr_t t, r;
    int st;
    dist_init(&D, D_T);
    mpfr_inits2(DIST_WP, t, r, (mpfr_ptr)0);
    mpfr_set(D.p0, df, MPFR_RNDN);
    mpfr_sqrt(t, t2, MPFR_RNDN);
    st = dist_cdf(r, &D, t, 1);
    mpfr_mul_ui(r, r, (unsigned long)tails, MPFR_RNDN);
    st = dist_out(out, r, st);
    mpfr_clears(t, r, (mpfr_ptr)0);
    dist_clear(&D);
    return st;
}

/* T.TEST(array1, array2, tails, type): paired (1), equal variances
 * (2) or Welch's unequal variances (3, fractional degrees of freedom). */
static int fn_t_test(xc_fncall *c, xc_value *out)
{
    xc_numvec a, b;
    xc_error e = XC_ERR_NONE;
    int64_t tails, type;
    mpfr_t m1, s1, m2, s2, t2, df, u, v;
    int st;
    xc_num_trunc_clamp(xc_arg_num(c, 2), -10, 10, &tails);
    xc_num_trunc_clamp(xc_arg_num(c, 3), -10, 10, &type);
    if ((tails != 1 && tails != 2) || type < 1 || type > 3)
        return err_out(out, XC_ERR_NUM);
    if (type == 1)
        st = pairs(c, 0, 1, &a, &b, &e);
    else {
        memset(&b, 0, sizeof b);
        st = arg_nums(c, 0, &a, &e);
        if (st == XC_OK && !e)
            st = arg_nums(c, 1, &b, &e);
    }
    if (st != XC_OK || e) {
        xc_nums_free(&a);
        xc_nums_free(&b);
        return st != XC_OK ? st : err_out(out, e);
    }
    if (a.n < 2 || b.n < 2) {
        xc_nums_free(&a);
        xc_nums_free(&b);
        return err_out(out, XC_ERR_DIV0);
    }
    mpfr_inits2(DIST_WP, m1, s1, m2, s2, t2, df, u, v, (mpfr_ptr)0);
    if (type == 1) {
        /* differences */
        for (size_t k = 0; k < a.n && st == XC_OK; k++)
            st = xc_num_sub(&a.v[k], &a.v[k], &b.v[k]);
        if (st == XC_OK)
            st = mean_ss(&a, m1, s1);
        /* t^2 = mean^2 n (n-1) / ss */
        mpfr_sqr(t2, m1, MPFR_RNDN);
        mpfr_mul_ui(t2, t2, (unsigned long)a.n, MPFR_RNDN);
        mpfr_mul_ui(t2, t2, (unsigned long)(a.n - 1), MPFR_RNDN);
        mpfr_div(t2, t2, s1, MPFR_RNDN);
        mpfr_set_ui(df, (unsigned long)(a.n - 1), MPFR_RNDN);
    } else {
        st = mean_ss(&a, m1, s1);
        if (st == XC_OK)
            st = mean_ss(&b, m2, s2);
        mpfr_sub(t2, m1, m2, MPFR_RNDN);
        mpfr_sqr(t2, t2, MPFR_RNDN);
        if (type == 2) {
            /* pooled variance times (1/n1 + 1/n2) */
            mpfr_add(u, s1, s2, MPFR_RNDN);
            mpfr_div_ui(u, u, (unsigned long)(a.n + b.n - 2), MPFR_RNDN);
            mpfr_set_ui(v, 1, MPFR_RNDN);
            mpfr_div_ui(v, v, (unsigned long)a.n, MPFR_RNDN);
            mpfr_set_ui(df, 1, MPFR_RNDN);
            mpfr_div_ui(df, df, (unsigned long)b.n, MPFR_RNDN);
            mpfr_add(v, v, df, MPFR_RNDN);
            mpfr_mul(u, u, v, MPFR_RNDN);
            mpfr_div(t2, t2, u, MPFR_RNDN);
            mpfr_set_ui(df, (unsigned long)(a.n + b.n - 2), MPFR_RNDN);
        } else {
            /* u = v1/n1, v = v2/n2; df by Welch-Satterthwaite */
            mpfr_div_ui(u, s1, (unsigned long)(a.n - 1), MPFR_RNDN);
            mpfr_div_ui(u, u, (unsigned long)a.n, MPFR_RNDN);
            mpfr_div_ui(v, s2, (unsigned long)(b.n - 1), MPFR_RNDN);
            mpfr_div_ui(v, v, (unsigned long)b.n, MPFR_RNDN);
            mpfr_add(s1, u, v, MPFR_RNDN);
            mpfr_div(t2, t2, s1, MPFR_RNDN);
            mpfr_sqr(df, s1, MPFR_RNDN);
            mpfr_sqr(u, u, MPFR_RNDN);
            mpfr_div_ui(u, u, (unsigned long)(a.n - 1), MPFR_RNDN);
            mpfr_sqr(v, v, MPFR_RNDN);
            mpfr_div_ui(v, v, (unsigned long)(b.n - 1), MPFR_RNDN);
            mpfr_add(u, u, v, MPFR_RNDN);
            mpfr_div(df, df, u, MPFR_RNDN);
        }
    }
    if (st != XC_OK)
        st = fail(out, st);
    else if (!mpfr_number_p(t2) || !mpfr_number_p(df))
        st = err_out(out, XC_ERR_DIV0);
    else
        st = t_tail(out, t2, df, (int)tails);
    mpfr_clears(m1, s1, m2, s2, t2, df, u, v, (mpfr_ptr)0);
    xc_nums_free(&a);
    xc_nums_free(&b);
    return st;
}

/* F.TEST(array1, array2): two-tailed probability that the variances
 * do not differ. */
static int fn_f_test(xc_fncall *c, xc_value *out)
{
    xc_numvec a, b;
    xc_error e = XC_ERR_NONE;
    dist D;
    mpfr_t m1, s1, m2, s2, r1, r2;
    int st;
    memset(&b, 0, sizeof b);
    st = arg_nums(c, 0, &a, &e);
    if (st == XC_OK && !e)
        st = arg_nums(c, 1, &b, &e);
    if (st != XC_OK || e || a.n < 2 || b.n < 2) {
        xc_nums_free(&a);
        xc_nums_free(&b);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_DIV0);
    }
    dist_init(&D, D_F);
    mpfr_inits2(DIST_WP, m1, s1, m2, s2, r1, r2, (mpfr_ptr)0);
    st = mean_ss(&a, m1, s1);
    if (st == XC_OK)
        st = mean_ss(&b, m2, s2);
    if (st != XC_OK)
        st = fail(out, st);
    else if (mpfr_zero_p(s1) || mpfr_zero_p(s2))
        st = err_out(out, XC_ERR_DIV0);
    else {
        /* f = (s1/(n1-1)) / (s2/(n2-1)) */
        mpfr_div_ui(s1, s1, (unsigned long)(a.n - 1), MPFR_RNDN);
        mpfr_div_ui(s2, s2, (unsigned long)(b.n - 1), MPFR_RNDN);
        mpfr_div(m1, s1, s2, MPFR_RNDN);
        mpfr_set_ui(D.p0, (unsigned long)(a.n - 1), MPFR_RNDN);
        mpfr_set_ui(D.p1, (unsigned long)(b.n - 1), MPFR_RNDN);
        st = dist_cdf(r1, &D, m1, 0);
        if (st == 0)
            st = dist_cdf(r2, &D, m1, 1);
        if (mpfr_cmp(r2, r1) < 0)
            mpfr_set(r1, r2, MPFR_RNDN);
        mpfr_mul_2ui(r1, r1, 1, MPFR_RNDN);
        st = dist_out(out, r1, st);
    }
    mpfr_clears(m1, s1, m2, s2, r1, r2, (mpfr_ptr)0);
    dist_clear(&D);
    xc_nums_free(&a);
    xc_nums_free(&b);
    return st;
}

/* Z.TEST(array, x, [sigma]) = 1 - NORM.S.DIST((mean - x) / (sigma /
 * sqrt(n))); sigma defaults to the sample standard deviation. */
static int fn_z_test(xc_fncall *c, xc_value *out)
{
    xc_numvec a;
    xc_error e = XC_ERR_NONE;
    mpfr_t m, ss, z, t;
    int st;
    st = arg_nums(c, 0, &a, &e);
    if (st != XC_OK || e || a.n == 0) {
        xc_nums_free(&a);
        return st != XC_OK ? st : err_out(out, e ? e : XC_ERR_NA);
    }
    if (xc_arg_given(c, 2) && xc_num_sign(xc_arg_num(c, 2)) <= 0) {
        xc_nums_free(&a);
        return err_out(out, XC_ERR_NUM);
    }
    if (!xc_arg_given(c, 2) && a.n < 2) {
        xc_nums_free(&a);
        return err_out(out, XC_ERR_DIV0);
    }
    mpfr_inits2(DIST_WP, m, ss, z, t, (mpfr_ptr)0);
    st = mean_ss(&a, m, ss);
    if (xc_arg_given(c, 2))
        mp_arg(t, c, 2);
    else {
        mpfr_div_ui(t, ss, (unsigned long)(a.n - 1), MPFR_RNDN);
        mpfr_sqrt(t, t, MPFR_RNDN);
    }
    if (st != XC_OK)
        st = fail(out, st);
    else if (mpfr_zero_p(t))
        st = err_out(out, XC_ERR_DIV0);
    else {
        /* p = Phi(-z) with z = (mean - x) sqrt(n) / sigma */
        mp_arg(z, c, 1);
        mpfr_sub(z, z, m, MPFR_RNDN);
        mpfr_sqrt_ui(m, (unsigned long)a.n, MPFR_RNDN);
        mpfr_mul(z, z, m, MPFR_RNDN);
        mpfr_div(z, z, t, MPFR_RNDN);
        norm_s(t, z, 1);
        st = dist_out(out, t, 0);
    }
    mpfr_clears(m, ss, z, t, (mpfr_ptr)0);
    xc_nums_free(&a);
    return st;
}

/* CHISQ.TEST(actual_range, expected_range): the chi-squared statistic
 * sum (A - E)^2 / E (exact) and its right tail with (r-1)(c-1) degrees
 * of freedom, or n - 1 for a single row or column. */
static int fn_chisq_test(xc_fncall *c, xc_value *out)
{
    xc_numvec a, b;
    xc_error e = XC_ERR_NONE;
    xc_grid g;
    xc_num x, t;
    int64_t df;
    int st;
    st = pairs(c, 0, 1, &a, &b, &e);
    if (st != XC_OK || e) {
        xc_nums_free(&a);
        xc_nums_free(&b);
        return st != XC_OK ? st : err_out(out, e);
    }
    if (xc_grid_init(&g, c->ev, &c->argv[0]) != XC_OK) {
        xc_nums_free(&a);
        xc_nums_free(&b);
        return err_out(out, XC_ERR_VALUE);
    }
    if (g.rows == 1 || g.cols == 1)
        df = (int64_t)g.rows * g.cols - 1;
    else
        df = ((int64_t)g.rows - 1) * ((int64_t)g.cols - 1);
    xc_num_init(&x);
    xc_num_init(&t);
    for (size_t k = 0; k < a.n && st == XC_OK && !e; k++) {
        if (xc_num_is_zero(&b.v[k])) {
            e = XC_ERR_DIV0;
            break;
        }
        st = xc_num_sub(&t, &a.v[k], &b.v[k]);
        if (st == XC_OK)
            st = xc_num_mul(&t, &t, &t);
        if (st == XC_OK)
            st = xc_num_div(&t, &t, &b.v[k]);
        if (st == XC_OK)
            st = xc_num_add(&x, &x, &t);
    }
    if (st == XC_OK && !e && df < 1)
        e = XC_ERR_NA;
    if (st != XC_OK || e)
        st = st != XC_OK ? fail(out, st) : err_out(out, e);
    else {
        dist D;
        mpfr_t v;
        dist_init(&D, D_GAMMA);
        mpfr_init2(v, DIST_WP);
        mpfr_set_si(D.p0, (long)df, MPFR_RNDN);
        mpfr_div_2ui(D.p0, D.p0, 1, MPFR_RNDN);
        mpfr_set_ui(D.p1, 2, MPFR_RNDN);
        xc_num_get_mpfr(v, &x, MPFR_RNDN);
        st = dist_value(out, &D, v, 1);
        mpfr_clear(v);
        dist_clear(&D);
    }
    xc_num_clear(&x);
    xc_num_clear(&t);
    xc_nums_free(&a);
    xc_nums_free(&b);
    return st;
}

/* ---- Least squares: LINEST, LOGEST, TREND, GROWTH ------------------- */

/* Put MPFR value f into array cell v (#NUM! when not a number). */
static int set_mp(xc_value *v, const mpfr_t f, int nan_na)
{
    xc_num x;
    mpfr_t o;
    int st;
    if (!mpfr_number_p(f)) {
        xc_result_error(v, nan_na ? XC_ERR_NA : XC_ERR_NUM);
        return XC_OK;
    }
    mpfr_init2(o, XC_MPFR_PREC);
    mpfr_set(o, f, MPFR_RNDN);
    xc_num_init(&x);
    st = xc_num_set_mpfr(&x, o);
    mpfr_clear(o);
    if (st == XC_OK)
        st = xc_result_num(v, &x, XC_VAL_INEXACT);
    else {
        xc_num_clear(&x);
        if (st == XC_ENOMEM)
            return st;
        xc_result_error(v, XC_ERR_NUM);
        st = XC_OK;
    }
    return st;
}

/* A least-squares problem and its solution.  Inputs are rationals, so
 * the fit is exact: the normal equations (about the means when there
 * is an intercept) are solved with exact fractions.  Collinear x
 * variables are found exactly (a zero pivot), taken out of the model
 * and reported with coefficient 0 and standard error 0, as Excel does;
 * columns are taken in order, so a column that depends on earlier ones
 * is the one dropped.  For LOGEST and GROWTH y holds ln y (MPFR,
 * rounded to a rational), and everything derived is inexact. */
typedef struct lsq {
    size_t n;        /* observations */
    int k;           /* x variables */
    int konst;       /* fit an intercept */
    int byrow;       /* variables are rows of known_x's (known_y's a row) */
    uint32_t yr, yc; /* shape of known_y's */
    uint32_t xr, xc; /* shape of known_x's (of y when defaulted) */
    xc_num *y;       /* n values */
    xc_num *x;       /* n * k values, observation by observation */
    unsigned inx;    /* some input (or ln) inexact */
    /* the fit */
    xc_num *beta; /* k coefficients, 0 for dropped columns */
    xc_num b;     /* intercept (0 without konst) */
    xc_num *mx;   /* k means (0 without konst) */
    xc_num my;
    int *idx;    /* used columns, in order */
    int used;    /* how many */
    xc_num *inv; /* used x used: inverse of the normal matrix */
    xc_num ssresid, sstotal;
} lsq;

static xc_num *nums_new(size_t n)
{
    xc_num *v = xc_calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        xc_num_init(&v[i]);
    return v;
}

static void nums_del(xc_num *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xc_num_clear(&v[i]);
    xc_free(v);
}

static void lsq_free(lsq *L)
{
    nums_del(L->y, L->n);
    nums_del(L->x, L->n * (size_t)L->k);
    nums_del(L->beta, (size_t)L->k);
    nums_del(L->mx, (size_t)L->k);
    nums_del(L->inv, (size_t)L->used * (size_t)L->used);
    xc_free(L->idx);
    xc_num_clear(&L->b);
    xc_num_clear(&L->my);
    xc_num_clear(&L->ssresid);
    xc_num_clear(&L->sstotal);
    memset(L, 0, sizeof *L);
}

/* A grid element as a number into *x: *e gets the element's error, or
 * #VALUE! for anything but a number (blank cells included). */
static int grid_num(xc_grid *g, uint32_t r, uint32_t cc, xc_num *x,
                    unsigned *inx, xc_error *e)
{
    const xc_value *v = xc_grid_get(g, r, cc);
    if (v->type == XC_ERROR) {
        *e = (xc_error)v->err;
        return XC_OK;
    }
    if (v->type != XC_NUMBER) {
        *e = XC_ERR_VALUE;
        return XC_OK;
    }
    *inx |= v->flags & XC_VAL_INEXACT;
    return xc_num_set(x, &v->u.num);
}

/* ln of a positive rational, as a rational (inexact). */
static int ln_num(xc_num *r, const xc_num *x)
{
    mpfr_t f;
    int st;
    mpfr_init2(f, DIST_WP);
    xc_num_get_mpfr(f, x, MPFR_RNDN);
    mpfr_log(f, f, MPFR_RNDN);
    st = xc_num_set_mpfr(r, f);
    mpfr_clear(f);
    return st;
}

/* Read known_y's (argument 0) and known_x's (argument ix, may be absent
 * or empty: 1, 2, 3...).  Several x variables when known_y's is one
 * column (each column of known_x's a variable) or one row (each row);
 * one variable when both hold as many values, in any shapes.  *e:
 * #REF! for sizes that fit none of these, #VALUE! for non-numbers,
 * #NUM! for y <= 0 with logy, or an error value met. */
static int lsq_load(xc_fncall *c, int ix, int logy, lsq *L, xc_error *e)
{
    xc_grid gy, gx;
    int hasx = ix < c->argc && c->argv[ix].type != XC_EMPTY &&
               !(c->nodes && c->nodes[ix]->kind == XN_MISSING);
    int st = XC_OK;
    *e = XC_ERR_NONE;
    memset(L, 0, sizeof *L);
    xc_num_init(&L->b);
    xc_num_init(&L->my);
    xc_num_init(&L->ssresid);
    xc_num_init(&L->sstotal);
    if (c->argv[0].type == XC_ERROR || (hasx && c->argv[ix].type == XC_ERROR)) {
        *e = (xc_error)(c->argv[0].type == XC_ERROR ? c->argv[0].err
                                                    : c->argv[ix].err);
        return XC_OK;
    }
    if (xc_grid_init(&gy, c->ev, &c->argv[0]) != XC_OK ||
        (hasx && xc_grid_init(&gx, c->ev, &c->argv[ix]) != XC_OK)) {
        *e = XC_ERR_VALUE;
        return XC_OK;
    }
    L->yr = gy.rows;
    L->yc = gy.cols;
    L->n = (size_t)gy.rows * gy.cols;
    L->k = 1;
    L->xr = hasx ? gx.rows : gy.rows;
    L->xc = hasx ? gx.cols : gy.cols;
    if (hasx && (uint64_t)gx.rows * gx.cols != L->n) {
        if (gy.cols == 1 && gx.rows == gy.rows)
            L->k = (int)gx.cols;
        else if (gy.rows == 1 && gx.cols == gy.cols) {
            L->k = (int)gx.rows;
            L->byrow = 1;
        } else {
            *e = XC_ERR_REF;
            return XC_OK;
        }
        if (L->k > 255) { /* bounds the exact O(k^3) work, like other
                             size limits: #NUM! */
            *e = XC_ERR_NUM;
            return XC_OK;
        }
    }
    L->y = nums_new(L->n);
    L->x = nums_new(L->n * (size_t)L->k);
    if (!L->y || !L->x)
        return XC_ENOMEM;
    for (size_t i = 0; i < L->n && st == XC_OK && !*e; i++) {
        uint32_t r = (uint32_t)(i / gy.cols), cc = (uint32_t)(i % gy.cols);
        st = grid_num(&gy, r, cc, &L->y[i], &L->inx, e);
        if (st == XC_OK && !*e && logy) {
            if (xc_num_sign(&L->y[i]) <= 0)
                *e = XC_ERR_NUM;
            else
                st = ln_num(&L->y[i], &L->y[i]);
        }
        for (int j = 0; j < L->k && st == XC_OK && !*e; j++) {
            xc_num *x = &L->x[i * (size_t)L->k + (size_t)j];
            if (!hasx)
                xc_num_set_int(x, (int64_t)i + 1);
            else if (L->k == 1)
                st = grid_num(&gx, (uint32_t)(i / gx.cols),
                              (uint32_t)(i % gx.cols), x, &L->inx, e);
            else if (L->byrow)
                st = grid_num(&gx, (uint32_t)j, (uint32_t)i, x, &L->inx, e);
            else
                st = grid_num(&gx, (uint32_t)i, (uint32_t)j, x, &L->inx, e);
        }
    }
    if (logy)
        L->inx = 1;
    if (st == XC_OK && !*e && L->n == 0)
        *e = XC_ERR_NA;
    return st;
}

/* Solve the problem loaded in L (see lsq).  A C status, or a number
 * status (size limits) that the caller turns into #NUM!. */
static int lsq_fit(lsq *L, int konst)
{
    size_t n = L->n, k = (size_t)L->k;
    xc_num *dev = NULL, *A = NULL, *cv = NULL, *M = NULL, t, u;
    xc_num nn;
    int st = XC_OK;
    L->konst = konst;
    L->beta = nums_new(k);
    L->mx = nums_new(k);
    L->idx = xc_calloc(k, sizeof *L->idx);
    dev = nums_new(n * k);
    A = nums_new(k * k);
    M = nums_new(k * k);
    cv = nums_new(k);
    xc_num_init(&t);
    xc_num_init(&u);
    xc_num_init(&nn);
    if (!L->beta || !L->mx || !L->idx || !dev || !A || !M || !cv) {
        st = XC_ENOMEM;
        goto out;
    }
    xc_num_set_int(&nn, (int64_t)n);
    /* means, and deviations from them (the values themselves without
     * an intercept) */
    if (konst) {
        for (size_t i = 0; i < n && st == XC_OK; i++) {
            st = xc_num_add(&L->my, &L->my, &L->y[i]);
            for (size_t j = 0; j < k && st == XC_OK; j++)
                st = xc_num_add(&L->mx[j], &L->mx[j], &L->x[i * k + j]);
        }
        if (st == XC_OK)
            st = xc_num_div(&L->my, &L->my, &nn);
        for (size_t j = 0; j < k && st == XC_OK; j++)
            st = xc_num_div(&L->mx[j], &L->mx[j], &nn);
    }
    for (size_t i = 0; i < n * k && st == XC_OK; i++)
        st = xc_num_sub(&dev[i], &L->x[i], &L->mx[i % k]);
    /* normal equations A beta = cv */
    for (size_t i = 0; i < n && st == XC_OK; i++) {
        st = xc_num_sub(&u, &L->y[i], &L->my);
        for (size_t j = 0; j < k && st == XC_OK; j++) {
            const xc_num *dj = &dev[i * k + j];
            st = xc_num_mul(&t, dj, &u);
            if (st == XC_OK)
                st = xc_num_add(&cv[j], &cv[j], &t);
            for (size_t l = j; l < k && st == XC_OK; l++) {
                st = xc_num_mul(&t, dj, &dev[i * k + l]);
                if (st == XC_OK)
                    st = xc_num_add(&A[j * k + l], &A[j * k + l], &t);
            }
        }
    }
    for (size_t j = 0; j < k && st == XC_OK; j++)
        for (size_t l = 0; l < j && st == XC_OK; l++)
            st = xc_num_set(&A[j * k + l], &A[l * k + j]);
    /* which columns are independent: eliminate in order; A is positive
     * semi-definite, so a zero pivot means a zero row (a column that
     * depends on the earlier ones) */
    for (size_t i = 0; i < k * k && st == XC_OK; i++)
        st = xc_num_set(&M[i], &A[i]);
    L->used = 0;
    for (size_t j = 0; j < k && st == XC_OK; j++) {
        if (xc_num_is_zero(&M[j * k + j]))
            continue;
        L->idx[L->used++] = (int)j;
        for (size_t i = j + 1; i < k && st == XC_OK; i++) {
            if (xc_num_is_zero(&M[i * k + j]))
                continue;
            st = xc_num_div(&u, &M[i * k + j], &M[j * k + j]);
            for (size_t l = j; l < k && st == XC_OK; l++) {
                st = xc_num_mul(&t, &u, &M[j * k + l]);
                if (st == XC_OK)
                    st = xc_num_sub(&M[i * k + l], &M[i * k + l], &t);
            }
        }
    }
    /* inverse of the used part (positive definite: Gauss-Jordan with
     * diagonal pivots) */
    if (st == XC_OK) {
        size_t p = (size_t)L->used;
        xc_num *W = nums_new(p * p);
        L->inv = nums_new(p * p);
        if (!W || !L->inv)
            st = XC_ENOMEM;
        for (size_t a = 0; a < p && st == XC_OK; a++) {
            xc_num_set_int(&L->inv[a * p + a], 1);
            for (size_t d = 0; d < p && st == XC_OK; d++)
                st = xc_num_set(&W[a * p + d],
                                &A[(size_t)L->idx[a] * k + (size_t)L->idx[d]]);
        }
        for (size_t j = 0; j < p && st == XC_OK; j++) {
            xc_num piv;
            xc_num_init(&piv);
            st = xc_num_set(&piv, &W[j * p + j]);
            for (size_t l = 0; l < p && st == XC_OK; l++) {
                st = xc_num_div(&W[j * p + l], &W[j * p + l], &piv);
                if (st == XC_OK)
                    st = xc_num_div(&L->inv[j * p + l], &L->inv[j * p + l],
                                    &piv);
            }
            xc_num_clear(&piv);
            for (size_t i = 0; i < p && st == XC_OK; i++) {
                if (i == j || xc_num_is_zero(&W[i * p + j]))
                    continue;
                st = xc_num_set(&u, &W[i * p + j]);
                for (size_t l = 0; l < p && st == XC_OK; l++) {
                    st = xc_num_mul(&t, &u, &W[j * p + l]);
                    if (st == XC_OK)
                        st = xc_num_sub(&W[i * p + l], &W[i * p + l], &t);
                    if (st == XC_OK)
                        st = xc_num_mul(&t, &u, &L->inv[j * p + l]);
                    if (st == XC_OK)
                        st = xc_num_sub(&L->inv[i * p + l], &L->inv[i * p + l],
                                        &t);
                }
            }
        }
        nums_del(W, p * p);
        /* beta = inv cv; b = my - sum beta mx */
        for (size_t a = 0; a < p && st == XC_OK; a++) {
            xc_num *ba = &L->beta[L->idx[a]];
            for (size_t d = 0; d < p && st == XC_OK; d++) {
                st = xc_num_mul(&t, &L->inv[a * p + d], &cv[L->idx[d]]);
                if (st == XC_OK)
                    st = xc_num_add(ba, ba, &t);
            }
        }
    }
    if (st == XC_OK)
        st = xc_num_set(&L->b, &L->my);
    for (size_t j = 0; j < k && st == XC_OK && konst; j++) {
        st = xc_num_mul(&t, &L->beta[j], &L->mx[j]);
        if (st == XC_OK)
            st = xc_num_sub(&L->b, &L->b, &t);
    }
    /* sums of squares: residual, and total (about the mean, or about 0
     * without an intercept) */
    for (size_t i = 0; i < n && st == XC_OK; i++) {
        st = xc_num_sub(&u, &L->y[i], &L->b);
        for (size_t j = 0; j < k && st == XC_OK; j++) {
            st = xc_num_mul(&t, &L->beta[j], &L->x[i * k + j]);
            if (st == XC_OK)
                st = xc_num_sub(&u, &u, &t);
        }
        if (st == XC_OK)
            st = xc_num_mul(&t, &u, &u);
        if (st == XC_OK)
            st = xc_num_add(&L->ssresid, &L->ssresid, &t);
        if (st == XC_OK)
            st = xc_num_sub(&u, &L->y[i], &L->my);
        if (st == XC_OK)
            st = xc_num_mul(&t, &u, &u);
        if (st == XC_OK)
            st = xc_num_add(&L->sstotal, &L->sstotal, &t);
    }
out:
    nums_del(dev, n * k);
    nums_del(A, k * k);
    nums_del(M, k * k);
    nums_del(cv, k);
    xc_num_clear(&t);
    xc_num_clear(&u);
    xc_num_clear(&nn);
    return st;
}

/* Put x (copied) into v, exp(x) with expo. */
static int put_num(xc_value *v, const xc_num *x, unsigned inx, int expo)
{
    xc_num r;
    int st;
    xc_num_init(&r);
    if (!expo) {
        st = xc_num_set(&r, x);
        if (st != XC_OK) {
            xc_num_clear(&r);
            return st;
        }
        return xc_result_num(v, &r, inx ? XC_VAL_INEXACT : 0);
    }
    mpfr_t f;
    mpfr_init2(f, DIST_WP);
    xc_num_get_mpfr(f, x, MPFR_RNDN);
    mpfr_exp(f, f, MPFR_RNDN);
    st = set_mp(v, f, 0);
    mpfr_clear(f);
    xc_num_clear(&r);
    return st;
}

/* v = sqrt(a * b) (a standard error from a variance and a factor). */
static int put_sqrt(xc_value *v, const xc_num *a, const xc_num *b, unsigned inx)
{
    xc_num r;
    int st;
    xc_num_init(&r);
    st = xc_num_mul(&r, a, b);
    if (st == XC_OK)
        st = xc_result_sqrt(v, &r, inx ? XC_VAL_INEXACT : 0);
    else if (st != XC_ENOMEM) {
        xc_result_error(v, XC_ERR_NUM);
        st = XC_OK;
    }
    xc_num_clear(&r);
    return st;
}

/* LINEST / LOGEST output: {m_k..m_1, b} and with stats four more rows:
 * standard errors; r2, sey; F, df; ssreg, ssresid (#N/A elsewhere). */
static int lsq_output(lsq *L, int stats, int logy, xc_value *out)
{
    int k = L->k, st;
    uint32_t w = (uint32_t)k + 1;
    unsigned inx = L->inx;
    xc_array *arr;
    xc_num one, df, ssreg, v, t, z;
    int64_t dfi = (int64_t)L->n - L->used - (L->konst ? 1 : 0);
    st = xc_value_set_array(out, stats ? 5 : 1, w, &arr);
    if (st != XC_OK)
        return st;
    xc_num_init(&one);
    xc_num_init(&df);
    xc_num_init(&ssreg);
    xc_num_init(&v);
    xc_num_init(&t);
    xc_num_init(&z);
    xc_num_set_int(&one, 1);
    for (int j = 0; j < k && st == XC_OK; j++)
        st = put_num(&arr->v[k - 1 - j], &L->beta[j], inx, logy);
    if (st == XC_OK)
        st = put_num(&arr->v[k], L->konst ? &L->b : &z, inx, logy);
    if (!stats || st != XC_OK)
        goto done;
    for (uint32_t i = 2 * w; i < 5 * w; i++)
        xc_result_error(&arr->v[i], XC_ERR_NA);
    xc_num_set_int(&df, dfi);
    st = xc_num_sub(&ssreg, &L->sstotal, &L->ssresid);
    /* v = ssresid / df, the residual variance; an exact fit (df = 0
     * included) has every standard error 0 and no F */
    if (st == XC_OK && dfi > 0)
        st = xc_num_div(&v, &L->ssresid, &df);
    if (st != XC_OK)
        goto done;
    for (int a = 0; a < L->used && st == XC_OK; a++)
        st = put_sqrt(&arr->v[w + (uint32_t)(k - 1 - L->idx[a])], &v,
                      &L->inv[(size_t)a * (size_t)L->used + (size_t)a], inx);
    for (int j = 0; j < k && st == XC_OK; j++)
        if (arr->v[w + (uint32_t)(k - 1 - j)].type == XC_EMPTY)
            st = put_num(&arr->v[w + (uint32_t)(k - 1 - j)], &z, 0, 0);
    if (!L->konst)
        xc_result_error(&arr->v[w + (uint32_t)k], XC_ERR_NA);
    if (st == XC_OK && L->konst) {
        /* se(b)^2 = v (1/n + mx' inv mx) over the used columns */
        xc_num q, nn;
        xc_num_init(&q);
        xc_num_init(&nn);
        xc_num_set_int(&nn, (int64_t)L->n);
        st = xc_num_div(&q, &one, &nn);
        for (int a = 0; a < L->used && st == XC_OK; a++)
            for (int d = 0; d < L->used && st == XC_OK; d++) {
                st = xc_num_mul(
                    &t, &L->mx[L->idx[a]],
                    &L->inv[(size_t)a * (size_t)L->used + (size_t)d]);
                if (st == XC_OK)
                    st = xc_num_mul(&t, &t, &L->mx[L->idx[d]]);
                if (st == XC_OK)
                    st = xc_num_add(&q, &q, &t);
            }
        if (st == XC_OK)
            st = put_sqrt(&arr->v[w + (uint32_t)k], &v, &q, inx);
        xc_num_clear(&q);
        xc_num_clear(&nn);
    }
    if (st != XC_OK)
        goto done;
    /* r2 = ssreg / sstotal (1 for an exact fit) and sey */
    if (xc_num_is_zero(&L->ssresid))
        st = put_num(&arr->v[2 * w], &one, inx, 0);
    else {
        st = xc_num_div(&t, &ssreg, &L->sstotal);
        if (st == XC_OK)
            st = put_num(&arr->v[2 * w], &t, inx, 0);
    }
    if (st == XC_OK)
        st = put_sqrt(&arr->v[2 * w + 1], &v, &one, inx);
    /* F = (ssreg / used) / v, none for an exact fit or no variable */
    if (st == XC_OK && !xc_num_is_zero(&L->ssresid) && L->used > 0) {
        xc_num_set_int(&t, L->used);
        st = xc_num_div(&t, &ssreg, &t);
        if (st == XC_OK)
            st = xc_num_div(&t, &t, &v);
        if (st == XC_OK)
            st = put_num(&arr->v[3 * w], &t, inx, 0);
    }
    if (st == XC_OK)
        st = put_num(&arr->v[3 * w + 1], &df, 0, 0);
    if (st == XC_OK)
        st = put_num(&arr->v[4 * w], &ssreg, inx, 0);
    if (st == XC_OK)
        st = put_num(&arr->v[4 * w + 1], &L->ssresid, inx, 0);
done:
    xc_num_clear(&one);
    xc_num_clear(&df);
    xc_num_clear(&ssreg);
    xc_num_clear(&v);
    xc_num_clear(&t);
    xc_num_clear(&z);
    return st;
}

/* Is argument i a const flag that says FALSE?  (missing/empty: TRUE) */
static int konst_arg(xc_fncall *c, int i)
{
    return i >= c->argc || (c->nodes && c->nodes[i]->kind == XN_MISSING) ||
           c->argv[i].type == XC_EMPTY || truth(c, i);
}

/* The end of a fit: frees L and turns a number status from the exact
 * fit (other than ENOMEM) or the spreadsheet error e into the result. */
static int lsq_finish(lsq *L, int st, xc_error e, xc_value *out)
{
    lsq_free(L);
    if (st != XC_OK && st != XC_ENOMEM) {
        xc_value_clear(out);
        return fail(out, st);
    }
    if (st == XC_OK && e) {
        xc_value_clear(out);
        return err_out(out, e);
    }
    return st;
}

/* LINEST (logy 0) and LOGEST (1). */
static int regress_fit(xc_fncall *c, xc_value *out, int logy)
{
    lsq L;
    xc_error e;
    int st = lsq_load(c, 1, logy, &L, &e);
    if (st == XC_OK && !e)
        st = lsq_fit(&L, konst_arg(c, 2));
    if (st == XC_OK && !e)
        st = lsq_output(&L, truth(c, 3), logy, out);
    return lsq_finish(&L, st, e, out);
}

static int fn_linest(xc_fncall *c, xc_value *out)
{
    return regress_fit(c, out, 0);
}

static int fn_logest(xc_fncall *c, xc_value *out)
{
    return regress_fit(c, out, 1);
}

/* TREND (logy 0) and GROWTH (1): the fitted values at new_x's.  One
 * variable: new_x's of any shape, the result in that shape.  Several:
 * new_x's has a column (or row) per variable, and the result one value
 * per row (or column).  Default new_x's: the known x's. */
static int predict(xc_fncall *c, xc_value *out, int logy)
{
    lsq L;
    xc_error e;
    xc_grid g;
    xc_array *arr;
    xc_num t, s;
    uint32_t rows, cols;
    int given = c->argc > 2 && c->argv[2].type != XC_EMPTY &&
                !(c->nodes && c->nodes[2]->kind == XN_MISSING);
    int st = lsq_load(c, 1, logy, &L, &e);
    xc_num_init(&t);
    xc_num_init(&s);
    if (st == XC_OK && !e)
        st = lsq_fit(&L, konst_arg(c, 3));
    if (st != XC_OK || e)
        goto out;
    if (given) {
        if (c->argv[2].type == XC_ERROR) {
            e = (xc_error)c->argv[2].err;
            goto out;
        }
        if (xc_grid_init(&g, c->ev, &c->argv[2]) != XC_OK) {
            e = XC_ERR_VALUE;
            goto out;
        }
        rows = g.rows;
        cols = g.cols;
        if (L.k > 1) {
            if (L.byrow ? g.rows != (uint32_t)L.k : g.cols != (uint32_t)L.k) {
                e = XC_ERR_REF;
                goto out;
            }
            if (L.byrow)
                rows = 1;
            else
                cols = 1;
        }
    } else {
        rows = L.k > 1 ? L.yr : L.xr;
        cols = L.k > 1 ? L.yc : L.xc;
    }
    st = xc_value_set_array(out, rows, cols, &arr);
    for (uint32_t p = 0;
         (uint64_t)p < (uint64_t)rows * cols && st == XC_OK && !e; p++) {
        unsigned inx = L.inx;
        st = xc_num_set(&s, &L.b);
        for (int j = 0; j < L.k && st == XC_OK && !e; j++) {
            if (!given)
                st = xc_num_set(&t, &L.x[(size_t)p * (size_t)L.k + (size_t)j]);
            else if (L.k == 1)
                st = grid_num(&g, p / cols, p % cols, &t, &inx, &e);
            else if (L.byrow)
                st = grid_num(&g, (uint32_t)j, p, &t, &inx, &e);
            else
                st = grid_num(&g, p, (uint32_t)j, &t, &inx, &e);
            if (st == XC_OK && !e)
                st = xc_num_mul(&t, &t, &L.beta[j]);
            if (st == XC_OK && !e)
                st = xc_num_add(&s, &s, &t);
        }
        if (st == XC_OK && !e)
            st = put_num(&arr->v[p], &s, inx, logy);
    }
out:
    xc_num_clear(&t);
    xc_num_clear(&s);
    return lsq_finish(&L, st, e, out);
}

static int fn_trend(xc_fncall *c, xc_value *out)
{
    return predict(c, out, 0);
}

static int fn_growth(xc_fncall *c, xc_value *out)
{
    return predict(c, out, 1);
}

/* ---- Exact discrete distributions ----------------------------------- */

/* A probability argument as a/d with b = d - a; #NUM! unless 0<=p<=1. */
static int prob_parts(const xc_num *p, mpz_t a, mpz_t b, mpz_t d)
{
    mpq_t q;
    if (xc_num_sign(p) < 0 || xc_num_cmp_int(p, 1) > 0)
        return -1;
    mpq_init(q);
    xc_num_get_mpq(q, p);
    mpz_set(a, mpq_numref(q));
    mpz_set(d, mpq_denref(q));
    mpz_sub(b, d, a);
    mpq_clear(q);
    return 0;
}

/* Return num/den (canonicalised) as an exact number. */
static int ratio_out(xc_value *out, const mpz_t n, const mpz_t d)
{
    mpq_t q;
    xc_num r;
    int st;
    mpq_init(q);
    mpz_set(mpq_numref(q), n);
    mpz_set(mpq_denref(q), d);
    mpq_canonicalize(q);
    xc_num_init(&r);
    st = xc_num_set_mpq(&r, q);
    mpq_clear(q);
    return done(out, &r, st, 0);
}

/* Sum of the binomial numerators T(i) = C(n,i) a^i b^(n-i) for i in
 * [lo, hi], over the common denominator d^n; when target is given,
 * stop at the first i whose running sum reaches target (*at = i, else
 * n + 1). */
static int binom_terms(int64_t n, const mpz_t a, const mpz_t b, int64_t lo,
                       int64_t hi, mpz_t sum, const mpz_t target, int64_t *at)
{
    mpz_t term, t;
    int st = XC_OK;
    mpz_inits(term, t, (mpz_ptr)0);
    mpz_set_ui(sum, 0);
    if (at)
        *at = n + 1;
    for (int64_t i = lo; i <= hi; i++) {
        if (i == lo) {
            mpz_bin_uiui(term, (unsigned long)n, (unsigned long)i);
            mpz_pow_ui(t, a, (unsigned long)i);
            mpz_mul(term, term, t);
            mpz_pow_ui(t, b, (unsigned long)(n - i));
            mpz_mul(term, term, t);
        } else if (mpz_sgn(b) == 0) {
            mpz_set_ui(term, i == n);
            if (i == n)
                mpz_pow_ui(term, a, (unsigned long)n);
        } else {
            /* T(i) = T(i-1) (n-i+1) a / (i b) */
            mpz_mul_ui(term, term, (unsigned long)(n - i + 1));
            mpz_mul(term, term, a);
            mpz_mul_ui(t, b, (unsigned long)i);
            mpz_divexact(term, term, t);
        }
        mpz_add(sum, sum, term);
        if (target && mpz_cmp(sum, target) >= 0) {
            *at = i;
            break;
        }
        if ((i & 1023) == 0 && xc_interrupted()) {
            st = XC_EINTR;
            break;
        }
    }
    mpz_clears(term, t, (mpz_ptr)0);
    return st;
}

/* Refuse d^n past the number size limit. */
static int pow_too_big(const mpz_t d, int64_t n)
{
    return (double)n * (double)mpz_sizeinbase(d, 2) > XC_NUM_MAX_BITS;
}

/* MPFR fallbacks for the discrete distributions whose exact value would
 * pass the number size limit (huge trial counts): the cumulative sums
 * are regularised incomplete betas, the point probabilities come from
 * ln Gamma.  Results are inexact. */

/* ln C(n, k) for real n >= k >= 0 */
static void lchoose(mpfr_t r, const mpfr_t n, const mpfr_t k)
{
    mpfr_t t, u;
    mpfr_inits2(DIST_WP, t, u, (mpfr_ptr)0);
    mpfr_add_ui(t, n, 1, MPFR_RNDN);
    lgam(r, t);
    mpfr_add_ui(t, k, 1, MPFR_RNDN);
    lgam(u, t);
    mpfr_sub(r, r, u, MPFR_RNDN);
    mpfr_sub(t, n, k, MPFR_RNDN);
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    lgam(u, t);
    mpfr_sub(r, r, u, MPFR_RNDN);
    mpfr_clears(t, u, (mpfr_ptr)0);
}

/* x^e as exp(e ln x), with 0^0 = 1 and 0^e = 0 */
static void mp_powlog(mpfr_t r, const mpfr_t x, const mpfr_t e)
{
    if (mpfr_zero_p(e))
        mpfr_set_ui(r, 0, MPFR_RNDN);
    else if (mpfr_zero_p(x))
        mpfr_set_inf(r, -1);
    else {
        mpfr_log(r, x, MPFR_RNDN);
        mpfr_mul(r, r, e, MPFR_RNDN);
    }
}

/* Binomial P(X = k) (cum = 0) or P(X <= k) (cum = 1), n trials, p. */
static int binom_mp(mpfr_t r, int64_t n, int64_t k, const mpfr_t p, int cum)
{
    mpfr_t q, a, b, t;
    int st = 0;
    if (k < 0) {
        mpfr_set_ui(r, 0, MPFR_RNDN);
        return 0;
    }
    if (cum && k >= n) {
        mpfr_set_ui(r, 1, MPFR_RNDN);
        return 0;
    }
    mpfr_inits2(DIST_WP, q, a, b, t, (mpfr_ptr)0);
    mpfr_ui_sub(q, 1, p, MPFR_RNDN);
    if (cum) {
        /* P(X <= k) = I_q(n - k, k + 1) */
        mpfr_set_si(a, (long)(n - k), MPFR_RNDN);
        mpfr_set_si(b, (long)(k + 1), MPFR_RNDN);
        st = beta_reg(r, a, b, q, 0);
    } else {
        mpfr_set_si(a, (long)n, MPFR_RNDN);
        mpfr_set_si(b, (long)k, MPFR_RNDN);
        lchoose(r, a, b);
        mp_powlog(t, p, b);
        mpfr_add(r, r, t, MPFR_RNDN);
        mpfr_set_si(b, (long)(n - k), MPFR_RNDN);
        mp_powlog(t, q, b);
        mpfr_add(r, r, t, MPFR_RNDN);
        mpfr_exp(r, r, MPFR_RNDN);
    }
    mpfr_clears(q, a, b, t, (mpfr_ptr)0);
    return st;
}

/* BINOM.DIST past the exact size limit: MPFR, inexact. */
static int binom_big(xc_fncall *c, xc_value *out, int64_t k, int64_t n, int cum)
{
    mpfr_t p, r;
    int st;
    if (n > 100000000)
        return err_out(out, XC_ERR_NUM);
    mpfr_inits2(DIST_WP, p, r, (mpfr_ptr)0);
    mp_arg(p, c, 2);
    st = dist_out(out, r, binom_mp(r, n, k, p, cum));
    mpfr_clears(p, r, (mpfr_ptr)0);
    return st;
}

/* BINOM.DIST.RANGE(trials, probability_s, number_s, [number_s2]) */
static int fn_binom_dist_range(xc_fncall *c, xc_value *out)
{
    int64_t n, s, s2;
    mpz_t a, b, d, sum;
    int st;
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), -1, 1000000, &n) != XC_OK ||
        n < 0 || xc_num_trunc_clamp(xc_arg_num(c, 2), -1, 1000001, &s) != XC_OK)
        return err_out(out, XC_ERR_NUM);
    s2 = s;
    if (xc_arg_given(c, 3))
        xc_num_trunc_clamp(xc_arg_num(c, 3), -1, 1000001, &s2);
    if (s < 0 || s > n || s2 < s || s2 > n)
        return err_out(out, XC_ERR_NUM);
    mpz_inits(a, b, d, sum, (mpz_ptr)0);
    if (prob_parts(xc_arg_num(c, 1), a, b, d))
        st = err_out(out, XC_ERR_NUM);
    else if (pow_too_big(d, n)) {
        mpfr_t p, r1, r2;
        mpfr_inits2(DIST_WP, p, r1, r2, (mpfr_ptr)0);
        mp_arg(p, c, 1);
        if (s == s2)
            st = binom_mp(r1, n, s, p, 0);
        else {
            st = binom_mp(r1, n, s2, p, 1);
            if (st == 0)
                st = binom_mp(r2, n, s - 1, p, 1);
            mpfr_sub(r1, r1, r2, MPFR_RNDN);
        }
        st = dist_out(out, r1, st);
        mpfr_clears(p, r1, r2, (mpfr_ptr)0);
    } else {
        st = binom_terms(n, a, b, s, s2, sum, NULL, NULL);
        mpz_pow_ui(d, d, (unsigned long)n);
        if (st == XC_OK)
            st = ratio_out(out, sum, d);
    }
    mpz_clears(a, b, d, sum, (mpz_ptr)0);
    return st;
}

/* BINOM.INV(trials, probability_s, alpha) / CRITBINOM: the smallest k
 * whose cumulative binomial probability reaches alpha (exact). */
static int fn_binom_inv(xc_fncall *c, xc_value *out)
{
    int64_t n, k;
    mpz_t a, b, d, sum, target;
    mpq_t al;
    int st;
    /* 0 < alpha < 1, 0 <= p < 1 */
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), -1, 100000000, &n) != XC_OK ||
        n < 0 || prob_arg(c, 2, 0, 0) || prob_arg(c, 1, 1, 0))
        return err_out(out, XC_ERR_NUM);
    mpz_inits(a, b, d, sum, target, (mpz_ptr)0);
    mpq_init(al);
    prob_parts(xc_arg_num(c, 1), a, b, d);
    if (pow_too_big(d, n)) {
        /* bisect on k with the incomplete-beta cdf */
        mpfr_t p, al2, r;
        int64_t lo = 0, hi = n;
        mpfr_inits2(DIST_WP, p, al2, r, (mpfr_ptr)0);
        mp_arg(p, c, 1);
        mp_arg(al2, c, 2);
        st = 0;
        while (lo < hi && st == 0) {
            int64_t mid = lo + (hi - lo) / 2;
            st = binom_mp(r, n, mid, p, 1);
            if (mpfr_cmp(r, al2) >= 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        mpfr_clears(p, al2, r, (mpfr_ptr)0);
        if (st == 0) {
            xc_num rr;
            xc_num_init(&rr);
            xc_num_set_int(&rr, lo);
            st = xc_result_num(out, &rr, 0);
        } else
            st = st == XC_EINTR ? st : err_out(out, XC_ERR_NUM);
        goto end;
    }
    /* sum/d^n >= an/ad  <=>  sum*ad >= an*d^n: scale T by ad instead */
    xc_num_get_mpq(al, xc_arg_num(c, 2));
    mpz_pow_ui(target, d, (unsigned long)n);
    mpz_mul(target, target, mpq_numref(al));
    /* the sum is an integer: sum >= ceil(an d^n / ad) */
    mpz_cdiv_q(target, target, mpq_denref(al));
    st = binom_terms(n, a, b, 0, n, sum, target, &k);
    if (st == XC_OK) {
        xc_num r;
        xc_num_init(&r);
        xc_num_set_int(&r, k > n ? n : k);
        st = xc_result_num(out, &r, 0);
    }
end:
    mpq_clear(al);
    mpz_clears(a, b, d, sum, target, (mpz_ptr)0);
    return st;
}

/* NEGBINOM.DIST(number_f, number_s, probability_s, cumulative): exact.
 * With p = a/d, b = d - a: P(X = i) = C(i+s-1, i) a^s b^i / d^(s+i); over
 * the common denominator d^(s+f) the numerators are a^s U(i) with
 * U(i) = C(i+s-1, i) b^i d^(f-i), U(i+1) = U(i) (i+s) b / ((i+1) d). */
static int negbinom(xc_fncall *c, xc_value *out, int cum)
{
    int64_t f, s;
    mpz_t a, b, d, u, sum, t;
    int st = XC_OK;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0 ||
        xc_num_cmp_int(xc_arg_num(c, 1), 1) < 0 || prob_arg(c, 2, 0, 0))
        return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 0), 0, INT64_MAX / 4, &f);
    xc_num_trunc_clamp(xc_arg_num(c, 1), 0, INT64_MAX / 4, &s);
    if (s < 1)
        return err_out(out, XC_ERR_NUM);
    mpz_inits(a, b, d, u, sum, t, (mpz_ptr)0);
    prob_parts(xc_arg_num(c, 2), a, b, d);
    if (f > 100000000 || s > 100000000 || pow_too_big(d, f + s)) {
        /* cdf = I_p(s, f + 1); pmf = C(f+s-1, f) p^s q^f */
        mpfr_t p, x, y, r, e;
        mpfr_inits2(DIST_WP, p, x, y, r, e, (mpfr_ptr)0);
        mp_arg(p, c, 2);
        mpfr_set_si(x, (long)s, MPFR_RNDN);
        mpfr_set_si(y, (long)f, MPFR_RNDN);
        if (cum) {
            mpfr_add_ui(y, y, 1, MPFR_RNDN);
            st = beta_reg(r, x, y, p, 0);
        } else {
            mpfr_add(r, x, y, MPFR_RNDN);
            mpfr_sub_ui(r, r, 1, MPFR_RNDN);
            lchoose(r, r, y);
            mp_powlog(e, p, x);
            mpfr_add(r, r, e, MPFR_RNDN);
            mpfr_ui_sub(p, 1, p, MPFR_RNDN);
            mp_powlog(e, p, y);
            mpfr_add(r, r, e, MPFR_RNDN);
            mpfr_exp(r, r, MPFR_RNDN);
            st = 0;
        }
        st = dist_out(out, r, st);
        mpfr_clears(p, x, y, r, e, (mpfr_ptr)0);
        goto end;
    }
    if (!cum) {
        mpz_bin_uiui(sum, (unsigned long)(f + s - 1), (unsigned long)f);
        mpz_pow_ui(t, b, (unsigned long)f);
        mpz_mul(sum, sum, t);
    } else {
        mpz_pow_ui(u, d, (unsigned long)f);
        for (int64_t i = 0;; i++) {
            mpz_add(sum, sum, u);
            if (i == f || mpz_sgn(b) == 0)
                break;
            mpz_mul_ui(u, u, (unsigned long)(i + s));
            mpz_mul(u, u, b);
            mpz_mul_ui(t, d, (unsigned long)(i + 1));
            mpz_divexact(u, u, t);
            if ((i & 1023) == 0 && xc_interrupted()) {
                st = XC_EINTR;
                goto end;
            }
        }
    }
    mpz_pow_ui(t, a, (unsigned long)s);
    mpz_mul(sum, sum, t);
    mpz_pow_ui(d, d, (unsigned long)(f + s));
    st = ratio_out(out, sum, d);
end:
    mpz_clears(a, b, d, u, sum, t, (mpz_ptr)0);
    return st;
}

static int fn_negbinom_dist(xc_fncall *c, xc_value *out)
{
    return negbinom(c, out, truth(c, 3));
}

static int fn_negbinomdist(xc_fncall *c, xc_value *out)
{
    return negbinom(c, out, 0);
}

/* Hypergeometric probabilities too large for exact numbers: the first
 * term from ln Gamma, the others by the ratio
 * P(i+1)/P(i) = (M-i)(n-i) / ((i+1)(N-M-n+i+1)); inexact. */
static int hypgeom_mp(xc_value *out, int64_t s, int64_t n, int64_t m, int64_t N,
                      int64_t lo, int cum)
{
    mpfr_t t, u, v, term, sum;
    int64_t i0 = cum ? lo : s;
    int st = 0;
    mpfr_inits2(DIST_WP, t, u, v, term, sum, (mpfr_ptr)0);
    /* ln P(i0) = lnC(M,i0) + lnC(N-M,n-i0) - lnC(N,n) */
    mpfr_set_si(t, (long)m, MPFR_RNDN);
    mpfr_set_si(u, (long)i0, MPFR_RNDN);
    lchoose(term, t, u);
    mpfr_set_si(t, (long)(N - m), MPFR_RNDN);
    mpfr_set_si(u, (long)(n - i0), MPFR_RNDN);
    lchoose(v, t, u);
    mpfr_add(term, term, v, MPFR_RNDN);
    mpfr_set_si(t, (long)N, MPFR_RNDN);
    mpfr_set_si(u, (long)n, MPFR_RNDN);
    lchoose(v, t, u);
    mpfr_sub(term, term, v, MPFR_RNDN);
    mpfr_exp(term, term, MPFR_RNDN);
    mpfr_set(sum, term, MPFR_RNDN);
    for (int64_t i = i0; i < s && st == 0; i++) {
        mpfr_mul_si(term, term, (long)(m - i), MPFR_RNDN);
        mpfr_mul_si(term, term, (long)(n - i), MPFR_RNDN);
        mpfr_div_si(term, term, (long)(i + 1), MPFR_RNDN);
        mpfr_div_si(term, term, (long)(N - m - n + i + 1), MPFR_RNDN);
        mpfr_add(sum, sum, term, MPFR_RNDN);
        if ((i & 4095) == 0 && xc_interrupted())
            st = XC_EINTR;
    }
    st = dist_out(out, sum, st);
    mpfr_clears(t, u, v, term, sum, (mpfr_ptr)0);
    return st;
}

/* HYPGEOM.DIST(sample_s, number_sample, population_s, number_pop,
 * cumulative): C(M,i) C(N-M,n-i) / C(N,n), exact. */
static int hypgeom(xc_fncall *c, xc_value *out, int cum)
{
    int64_t s, n, m, N, lo;
    mpz_t sum, t, u, den;
    int st;
    for (int i = 0; i < 4; i++)
        if (xc_num_sign(xc_arg_num(c, i)) < 0)
            return err_out(out, XC_ERR_NUM);
    xc_num_trunc_clamp(xc_arg_num(c, 0), 0, 100000000, &s);
    xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 100000000, &n);
    xc_num_trunc_clamp(xc_arg_num(c, 2), 0, 100000000, &m);
    xc_num_trunc_clamp(xc_arg_num(c, 3), 0, 100000000, &N);
    lo = n - (N - m) > 0 ? n - (N - m) : 0;
    if (n <= 0 || m <= 0 || N <= 0 || n > N || m > N || s > n || s > m ||
        s < lo)
        return err_out(out, XC_ERR_NUM);
    /* C(N, n) has about n log2(N) bits: past the size limit, MPFR */
    if ((double)(n < N - n ? n : N - n) * log2((double)N + 1) > XC_NUM_MAX_BITS)
        return hypgeom_mp(out, s, n, m, N, lo, cum);
    mpz_inits(sum, t, u, den, (mpz_ptr)0);
    for (int64_t i = cum ? lo : s; i <= s; i++) {
        mpz_bin_uiui(t, (unsigned long)m, (unsigned long)i);
        mpz_bin_uiui(u, (unsigned long)(N - m), (unsigned long)(n - i));
        mpz_addmul(sum, t, u);
    }
    mpz_bin_uiui(den, (unsigned long)N, (unsigned long)n);
    st = ratio_out(out, sum, den);
    mpz_clears(sum, t, u, den, (mpz_ptr)0);
    return st;
}

static int fn_hypgeom_dist(xc_fncall *c, xc_value *out)
{
    return hypgeom(c, out, truth(c, 4));
}

static int fn_hypgeomdist(xc_fncall *c, xc_value *out)
{
    return hypgeom(c, out, 0);
}

/* PROB(x_range, prob_range, lower_limit, [upper_limit]): exact. */
static int fn_prob(xc_fncall *c, xc_value *out)
{
    xc_numvec xv, pv;
    xc_error e;
    xc_num sum, tot, one;
    int st;
    const xc_num *lo = xc_arg_num(c, 2),
                 *hi = xc_arg_given(c, 3) ? xc_arg_num(c, 3) : lo;
    st = pairs(c, 0, 1, &xv, &pv, &e);
    if (st == XC_OK && !e && pv.n == 0)
        e = XC_ERR_DIV0; /* no numeric pair at all (Excel: #DIV/0!) */
    if (st != XC_OK || e) {
        xc_nums_free(&xv);
        xc_nums_free(&pv);
        return st != XC_OK ? st : err_out(out, e);
    }
    xc_num_init(&sum);
    xc_num_init(&tot);
    xc_num_init(&one);
    xc_num_set_int(&one, 1);
    for (size_t k = 0; k < pv.n && st == XC_OK; k++) {
        if (xc_num_sign(&pv.v[k]) < 0 || xc_num_cmp(&pv.v[k], &one) > 0) {
            e = XC_ERR_NUM;
            break;
        }
        st = xc_num_add(&tot, &tot, &pv.v[k]);
        if (st == XC_OK && xc_num_cmp(&xv.v[k], lo) >= 0 &&
            xc_num_cmp(&xv.v[k], hi) <= 0)
            st = xc_num_add(&sum, &sum, &pv.v[k]);
    }
    if (st == XC_OK && !e && xc_num_cmp(&tot, &one) != 0)
        e = XC_ERR_NUM;
    xc_num_clear(&tot);
    xc_num_clear(&one);
    xc_nums_free(&xv);
    xc_nums_free(&pv);
    if (st != XC_OK || e) {
        xc_num_clear(&sum);
        return st != XC_OK ? st : err_out(out, e);
    }
    return done(out, &sum, XC_OK, 0);
}

/* ---- Table ------------------------------------------------------------ */

#define S(name, args, impl, flags, syntax, help, ex)                           \
    {                                                                          \
        name, args, impl, flags, "stat", syntax, help, ex                      \
    }

/* clang-format off */
const xc_fn_def xc_fns_stat[] = {
S("BETA.DIST", "nnnb|nn", fn_beta_dist, 0,
  "BETA.DIST(x, alpha, beta, cumulative, [A], [B])",
  "Beta distribution (incomplete beta by continued fraction).",
  "=BETA.DIST(0.5,2,2,TRUE) -> 0.5\n=ROUND(BETA.DIST(2,8,10,TRUE,1,3),6) -> 0.685471"),
S("BETA.INV", "nnn|nn", fn_beta_inv, 0,
  "BETA.INV(probability, alpha, beta, [A], [B])",
  "Inverse of the cumulative beta distribution.",
  "=ROUND(BETA.INV(0.685471,8,10,1,3),5) -> 2"),
S("BETADIST", "nnn|nn", fn_betadist, 0, "BETADIST(x, alpha, beta, [A], [B])",
  "Cumulative beta distribution.", "=BETADIST(0.5,3,3) -> 0.5"),
S("BETAINV", "nnn|nn", fn_beta_inv, 0,
  "BETAINV(probability, alpha, beta, [A], [B])",
  "Inverse of the cumulative beta distribution.",
  "=ROUND(BETAINV(0.5,3,3),9) -> 0.5"),
S("BINOM.DIST.RANGE", "nnn|n", fn_binom_dist_range, 0,
  "BINOM.DIST.RANGE(trials, probability_s, number_s, [number_s2])",
  "Probability of a number of successes in a range (exact).",
  "=BINOM.DIST.RANGE(2,0.5,1) -> 0.5\n=BINOM.DIST.RANGE(3,0.5,1,2) -> 0.75"),
S("BINOM.INV", "nnn", fn_binom_inv, 0, "BINOM.INV(trials, probability_s, alpha)",
  "Smallest number of successes whose cumulative probability reaches alpha.",
  "=BINOM.INV(6,0.5,0.75) -> 4"),
S("CHIDIST", "nn", fn_chisq_dist_rt, 0, "CHIDIST(x, deg_freedom)",
  "Right-tailed chi-squared probability.", "=ROUND(CHIDIST(3.84,1),4) -> 0.05"),
S("CHIINV", "nn", fn_chisq_inv_rt, 0, "CHIINV(probability, deg_freedom)",
  "Inverse of the right-tailed chi-squared distribution.",
  "=ROUND(CHIINV(0.05,1),4) -> 3.8415"),
S("CHISQ.DIST", "nnb", fn_chisq_dist, 0, "CHISQ.DIST(x, deg_freedom, cumulative)",
  "Chi-squared distribution.", "=ROUND(CHISQ.DIST(2,2,TRUE),6) -> 0.632121"),
S("CHISQ.DIST.RT", "nn", fn_chisq_dist_rt, 0, "CHISQ.DIST.RT(x, deg_freedom)",
  "Right-tailed chi-squared probability.", "=ROUND(CHISQ.DIST.RT(2,2),6) -> 0.367879"),
S("CHISQ.INV", "nn", fn_chisq_inv, 0, "CHISQ.INV(probability, deg_freedom)",
  "Inverse of the left-tailed chi-squared distribution.",
  "=ROUND(CHISQ.INV(0.632121,2),5) -> 2"),
S("CHISQ.INV.RT", "nn", fn_chisq_inv_rt, 0, "CHISQ.INV.RT(probability, deg_freedom)",
  "Inverse of the right-tailed chi-squared distribution.",
  "=ROUND(CHISQ.INV.RT(0.05,1),4) -> 3.8415"),
S("CONFIDENCE.T", "nnn", fn_confidence_t, 0, "CONFIDENCE.T(alpha, standard_dev, size)",
  "Half-width of a Student t confidence interval for a mean.",
  "=ROUND(CONFIDENCE.T(0.05,1,50),6) -> 0.284197"),
S("CRITBINOM", "nnn", fn_binom_inv, 0, "CRITBINOM(trials, probability_s, alpha)",
  "Smallest number of successes whose cumulative probability reaches alpha.",
  "=CRITBINOM(6,0.5,0.75) -> 4"),
S("F.DIST", "nnnb", fn_f_dist, 0, "F.DIST(x, deg_freedom1, deg_freedom2, cumulative)",
  "F distribution.", "=ROUND(F.DIST(15.2069,6,4,TRUE),4) -> 0.99"),
S("F.DIST.RT", "nnn", fn_f_dist_rt, 0, "F.DIST.RT(x, deg_freedom1, deg_freedom2)",
  "Right-tailed F probability.", "=ROUND(F.DIST.RT(15.2069,6,4),4) -> 0.01"),
S("F.INV", "nnn", fn_f_inv, 0, "F.INV(probability, deg_freedom1, deg_freedom2)",
  "Inverse of the left-tailed F distribution.", "=ROUND(F.INV(0.01,6,4),6) -> 0.10931"),
S("F.INV.RT", "nnn", fn_f_inv_rt, 0, "F.INV.RT(probability, deg_freedom1, deg_freedom2)",
  "Inverse of the right-tailed F distribution.", "=ROUND(F.INV.RT(0.01,6,4),4) -> 15.2069"),
S("FDIST", "nnn", fn_f_dist_rt, 0, "FDIST(x, deg_freedom1, deg_freedom2)",
  "Right-tailed F probability.", "=ROUND(FDIST(15.2069,6,4),4) -> 0.01"),
S("FINV", "nnn", fn_f_inv_rt, 0, "FINV(probability, deg_freedom1, deg_freedom2)",
  "Inverse of the right-tailed F distribution.", "=ROUND(FINV(0.01,6,4),4) -> 15.2069"),
S("GAMMA.DIST", "nnnb", fn_gamma_dist, 0, "GAMMA.DIST(x, alpha, beta, cumulative)",
  "Gamma distribution (incomplete gamma by series or continued fraction).",
  "=ROUND(GAMMA.DIST(10,9,2,TRUE),6) -> 0.068094\n=GAMMA.DIST(1,1,1,FALSE) -> 0.367879441171442"),
S("GAMMA.INV", "nnn", fn_gamma_inv, 0, "GAMMA.INV(probability, alpha, beta)",
  "Inverse of the cumulative gamma distribution.",
  "=ROUND(GAMMA.INV(0.068094,9,2),4) -> 10"),
S("GAMMADIST", "nnnb", fn_gamma_dist, 0, "GAMMADIST(x, alpha, beta, cumulative)",
  "Gamma distribution.", "=ROUND(GAMMADIST(10,9,2,TRUE),6) -> 0.068094"),
S("GAMMAINV", "nnn", fn_gamma_inv, 0, "GAMMAINV(probability, alpha, beta)",
  "Inverse of the cumulative gamma distribution.",
  "=ROUND(GAMMAINV(0.068094,9,2),4) -> 10"),
S("HYPGEOM.DIST", "nnnnb", fn_hypgeom_dist, 0,
  "HYPGEOM.DIST(sample_s, number_sample, population_s, number_pop, cumulative)",
  "Hypergeometric distribution (exact).",
  "=HYPGEOM.DIST(1,4,8,20,FALSE) -> 0.363261093911249"),
S("HYPGEOMDIST", "nnnn", fn_hypgeomdist, 0,
  "HYPGEOMDIST(sample_s, number_sample, population_s, number_pop)",
  "Hypergeometric probability (exact).", "=HYPGEOMDIST(1,1,1,2) -> 0.5"),
S("NEGBINOM.DIST", "nnnb", fn_negbinom_dist, 0,
  "NEGBINOM.DIST(number_f, number_s, probability_s, cumulative)",
  "Negative binomial distribution (exact).",
  "=NEGBINOM.DIST(1,1,0.5,FALSE) -> 0.25\n=NEGBINOM.DIST(1,1,0.5,TRUE) -> 0.75"),
S("NEGBINOMDIST", "nnn", fn_negbinomdist, 0,
  "NEGBINOMDIST(number_f, number_s, probability_s)",
  "Negative binomial probability (exact).", "=NEGBINOMDIST(0,2,0.5) -> 0.25"),
S("PROB", "AAn|n", fn_prob, 0, "PROB(x_range, prob_range, lower_limit, [upper_limit])",
  "Probability that values lie between two limits (exact).",
  "=PROB({0,1,2},{0.2,0.3,0.5},1,2) -> 0.8\n=PROB({0,1},{0.5,0.5},1) -> 0.5"),
S("T.DIST", "nnb", fn_t_dist, 0, "T.DIST(x, deg_freedom, cumulative)",
  "Student's t distribution.", "=T.DIST(0,5,TRUE) -> 0.5\n=ROUND(T.DIST(1,1,TRUE),6) -> 0.75"),
S("T.DIST.2T", "nn", fn_t_dist_2t, 0, "T.DIST.2T(x, deg_freedom)",
  "Two-tailed Student's t probability.", "=ROUND(T.DIST.2T(1,1),6) -> 0.5"),
S("T.DIST.RT", "nn", fn_t_dist_rt, 0, "T.DIST.RT(x, deg_freedom)",
  "Right-tailed Student's t probability.", "=ROUND(T.DIST.RT(1,1),6) -> 0.25"),
S("T.INV", "nn", fn_t_inv, 0, "T.INV(probability, deg_freedom)",
  "Left-tailed inverse of Student's t distribution.", "=ROUND(T.INV(0.75,1),9) -> 1"),
S("T.INV.2T", "nn", fn_t_inv_2t, 0, "T.INV.2T(probability, deg_freedom)",
  "Two-tailed inverse of Student's t distribution.", "=ROUND(T.INV.2T(0.5,1),9) -> 1"),
S("TDIST", "nnn", fn_tdist, 0, "TDIST(x, deg_freedom, tails)",
  "Student's t probability, one or two tails.", "=ROUND(TDIST(1,1,2),6) -> 0.5"),
S("TINV", "nn", fn_t_inv_2t, 0, "TINV(probability, deg_freedom)",
  "Two-tailed inverse of Student's t distribution.", "=ROUND(TINV(0.5,1),9) -> 1"),
S("CHISQ.TEST", "AA", fn_chisq_test, 0, "CHISQ.TEST(actual_range, expected_range)",
  "Chi-squared test of independence.", "=ROUND(CHISQ.TEST({58,35},{45.35,47.65}),6) -> 0.008683"),
S("CHITEST", "AA", fn_chisq_test, 0, "CHITEST(actual_range, expected_range)",
  "Chi-squared test of independence.", "=ROUND(CHITEST({58,35},{45.35,47.65}),6) -> 0.008683"),
S("F.TEST", "AA", fn_f_test, 0, "F.TEST(array1, array2)",
  "Two-tailed probability that two variances do not differ.",
  "=ROUND(F.TEST({6,7,9,15,21},{20,28,31,38,40}),6) -> 0.648318"),
S("FTEST", "AA", fn_f_test, 0, "FTEST(array1, array2)",
  "Two-tailed probability that two variances do not differ.",
  "=ROUND(FTEST({6,7,9,15,21},{20,28,31,38,40}),6) -> 0.648318"),
S("T.TEST", "AAnn", fn_t_test, 0, "T.TEST(array1, array2, tails, type)",
  "Student's t-test probability (paired, equal or unequal variances).",
  "=ROUND(T.TEST({3,4,5,8,9,1,2,4,5},{6,19,3,2,14,4,5,17,1},2,1),6) -> 0.196016"),
S("TTEST", "AAnn", fn_t_test, 0, "TTEST(array1, array2, tails, type)",
  "Student's t-test probability.",
  "=ROUND(TTEST({3,4,5,8,9,1,2,4,5},{6,19,3,2,14,4,5,17,1},2,1),6) -> 0.196016"),
S("Z.TEST", "An|n", fn_z_test, 0, "Z.TEST(array, x, [sigma])",
  "One-tailed probability of a z-test.",
  "=ROUND(Z.TEST({3,6,7,8,6,5,4,2,1,9},4),6) -> 0.090574"),
S("ZTEST", "An|n", fn_z_test, 0, "ZTEST(array, x, [sigma])",
  "One-tailed probability of a z-test.",
  "=ROUND(ZTEST({3,6,7,8,6,5,4,2,1,9},4),6) -> 0.090574"),
S("GROWTH", "A|AAb", fn_growth, 0,
  "GROWTH(known_y's, [known_x's], [new_x's], [const])",
  "Values on the least-squares exponential curve (one or more x variables).",
  "=ROUND(INDEX(GROWTH({2,4,8},{1,2,3},{4}),1),9) -> 16"),
S("LINEST", "A|Abb", fn_linest, 0,
  "LINEST(known_y's, [known_x's], [const], [stats])",
  "Least-squares fit {m_n..m_1, b} of one or more x variables and, with stats, its statistics; exact for rational data.",
  "=INDEX(LINEST({3,5,7},{1,2,3}),1) -> 2\n=INDEX(LINEST({3,5,7},{1,2,3}),2) -> 1\n=INDEX(LINEST({9;8;19;18;29},{1,2;2,1;3,4;4,3;5,6}),1) -> 3"),
S("LOGEST", "A|Abb", fn_logest, 0,
  "LOGEST(known_y's, [known_x's], [const], [stats])",
  "Least-squares exponential curve {m_n..m_1, b} for y = b*m1^x1*...*mn^xn.",
  "=ROUND(INDEX(LOGEST({2,4,8},{1,2,3}),1),9) -> 2"),
S("AVEDEV", "a*", fn_avedev, 0, "AVEDEV(number1, [number2], ...)",
  "Mean absolute deviation from the mean.", "=AVEDEV(2,4,6) -> 1.33333333333333"),
S("AVERAGE", "a*", fn_average, 0, "AVERAGE(number1, [number2], ...)",
  "Arithmetic mean; text and logicals in ranges are ignored.",
  "=AVERAGE(1,2) -> 1.5\n=AVERAGE({1,\"x\",3}) -> 2"),
S("AVERAGEA", "a*", fn_averagea, 0, "AVERAGEA(value1, [value2], ...)",
  "Mean counting text as 0 and logicals as 0 or 1.",
  "=AVERAGEA({1,\"x\",TRUE}) -> 0.666666666666667"),
S("AVERAGEIF", "ae|a", fn_averageif, 0,
  "AVERAGEIF(range, criteria, [average_range])",
  "Mean of the cells that meet a criterion.",
  "=AVERAGEIF({1,5,10},\">4\") -> 7.5"),
S("AVERAGEIFS", "aae|a*", fn_averageifs, 0,
  "AVERAGEIFS(average_range, criteria_range1, criteria1, ...)",
  "Mean of the cells that meet every criterion.",
  "=AVERAGEIFS({1,2,3},{\"a\",\"b\",\"a\"},\"a\") -> 2"),
S("BINOM.DIST", "nnnb", fn_binom_dist, 0,
  "BINOM.DIST(number_s, trials, probability_s, cumulative)",
  "Binomial distribution probability (exact).",
  "=BINOM.DIST(1,2,0.5,FALSE) -> 0.5\n=BINOM.DIST(1,2,0.5,TRUE) -> 0.75"),
S("BINOMDIST", "nnnb", fn_binom_dist, 0,
  "BINOMDIST(number_s, trials, probability_s, cumulative)",
  "Binomial distribution probability (exact).",
  "=BINOMDIST(2,2,0.5,FALSE) -> 0.25"),
S("CONFIDENCE", "nnn", fn_confidence, 0,
  "CONFIDENCE(alpha, standard_dev, size)",
  "Half-width of a normal confidence interval for a mean.",
  "=ROUND(CONFIDENCE(0.05,2.5,50),6) -> 0.692952"),
S("CONFIDENCE.NORM", "nnn", fn_confidence, 0,
  "CONFIDENCE.NORM(alpha, standard_dev, size)",
  "Half-width of a normal confidence interval for a mean.",
  "=ROUND(CONFIDENCE.NORM(0.05,2.5,50),6) -> 0.692952"),
S("CORREL", "AA", fn_correl, 0, "CORREL(array1, array2)",
  "Correlation coefficient of two data sets.",
  "=CORREL({1,2,3},{2,4,6}) -> 1\n=CORREL({1,2,3},{3,2,1}) -> -1"),
S("COUNT", "a*", fn_count, 0, "COUNT(value1, [value2], ...)",
  "Number of numbers.", "=COUNT(1,\"x\",{2,\"3\"}) -> 2"),
S("COUNTA", "a*", fn_counta, 0, "COUNTA(value1, [value2], ...)",
  "Number of non-empty values.", "=COUNTA(1,\"x\",{2,\"3\"}) -> 4"),
S("COUNTBLANK", "a", fn_countblank, 0, "COUNTBLANK(range)",
  "Number of empty cells (and empty texts) in a range.",
  "=COUNTBLANK(A1:B2) -> 4"),
S("COUNTIF", "ae", fn_countif, 0, "COUNTIF(range, criteria)",
  "Number of cells that meet a criterion.",
  "=COUNTIF({1,5,10},\">=5\") -> 2\n=COUNTIF({\"ab\",\"b\",\"AC\"},\"a*\") -> 2"),
S("COUNTIFS", "ae|a*", fn_countifs, 0,
  "COUNTIFS(criteria_range1, criteria1, ...)",
  "Number of positions that meet every criterion.",
  "=COUNTIFS({1,2,3},\">1\",{\"a\",\"b\",\"a\"},\"a\") -> 1"),
S("COVAR", "AA", fn_covar, 0, "COVAR(array1, array2)",
  "Population covariance.", "=COVAR({1,2,3},{1,2,3}) -> 0.666666666666667"),
S("COVARIANCE.P", "AA", fn_covar, 0, "COVARIANCE.P(array1, array2)",
  "Population covariance.", "=COVARIANCE.P({1,3},{1,3}) -> 1"),
S("COVARIANCE.S", "AA", fn_covariance_s, 0, "COVARIANCE.S(array1, array2)",
  "Sample covariance.", "=COVARIANCE.S({1,2,3},{1,2,3}) -> 1"),
S("DEVSQ", "a*", fn_devsq, 0, "DEVSQ(number1, [number2], ...)",
  "Sum of squared deviations from the mean.", "=DEVSQ(1,2,3) -> 2"),
S("EXPON.DIST", "nnb", fn_expon_dist, 0,
  "EXPON.DIST(x, lambda, cumulative)", "Exponential distribution.",
  "=EXPON.DIST(0,1,TRUE) -> 0\n=ROUND(EXPON.DIST(1,1,TRUE),6) -> 0.632121"),
S("EXPONDIST", "nnb", fn_expon_dist, 0, "EXPONDIST(x, lambda, cumulative)",
  "Exponential distribution.", "=EXPONDIST(0,2,FALSE) -> 2"),
S("FISHER", "n", fn_fisher, 0, "FISHER(x)", "Fisher transformation.",
  "=FISHER(0) -> 0\n=ROUND(FISHER(0.75),6) -> 0.972955"),
S("FISHERINV", "n", fn_fisherinv, 0, "FISHERINV(y)",
  "Inverse of the Fisher transformation.",
  "=ROUND(FISHERINV(0.972955),4) -> 0.75"),
S("FORECAST", "nAA", fn_forecast, 0, "FORECAST(x, known_y's, known_x's)",
  "Value on the least-squares line at x.",
  "=FORECAST(4,{2,4,6},{1,2,3}) -> 8"),
S("FORECAST.LINEAR", "nAA", fn_forecast, 0,
  "FORECAST.LINEAR(x, known_y's, known_x's)",
  "Value on the least-squares line at x.",
  "=FORECAST.LINEAR(0,{3,5},{1,2}) -> 1"),
S("FREQUENCY", "AA", fn_frequency, 0, "FREQUENCY(data_array, bins_array)",
  "Counts of values in each bin, as a vertical array.",
  "=INDEX(FREQUENCY({1,2,3,4,5},{2,4}),2) -> 2"),
S("GAMMA", "n", fn_gamma, 0, "GAMMA(number)", "The gamma function.",
  "=GAMMA(5) -> 24\n=GAMMA(0) -> #NUM!"),
S("GAMMALN", "n", fn_gammaln, 0, "GAMMALN(x)",
  "Natural logarithm of the gamma function.",
  "=ROUND(GAMMALN(4),6) -> 1.791759"),
S("GAMMALN.PRECISE", "n", fn_gammaln, 0, "GAMMALN.PRECISE(x)",
  "Natural logarithm of the gamma function.",
  "=ROUND(GAMMALN.PRECISE(4),6) -> 1.791759"),
S("GAUSS", "n", fn_gauss, 0, "GAUSS(z)",
  "Probability that a standard normal value lies between the mean and z.",
  "=GAUSS(0) -> 0\n=ROUND(GAUSS(2),6) -> 0.47725"),
S("GEOMEAN", "a*", fn_geomean, 0, "GEOMEAN(number1, [number2], ...)",
  "Geometric mean.", "=GEOMEAN(2,8) -> 4\n=GEOMEAN(1,-1) -> #NUM!"),
S("HARMEAN", "a*", fn_harmean, 0, "HARMEAN(number1, [number2], ...)",
  "Harmonic mean.", "=HARMEAN(1,2,4) -> 1.71428571428571"),
S("INTERCEPT", "AA", fn_intercept, 0, "INTERCEPT(known_y's, known_x's)",
  "Intercept of the least-squares line.",
  "=INTERCEPT({3,5,7},{1,2,3}) -> 1"),
S("KURT", "a*", fn_kurt, 0, "KURT(number1, [number2], ...)",
  "Kurtosis of a data set.", "=KURT(1,2,3,4) -> -1.2"),
S("LARGE", "an", fn_large, 0, "LARGE(array, k)", "The k-th largest number.",
  "=LARGE({3,1,5},1) -> 5\n=LARGE({3,1,5},4) -> #NUM!"),
S("LOGNORM.DIST", "nnnb", fn_lognorm_dist, 0,
  "LOGNORM.DIST(x, mean, standard_dev, cumulative)",
  "Lognormal distribution.", "=ROUND(LOGNORM.DIST(4,3.5,1.2,TRUE),6) -> 0.039084"),
S("LOGNORM.INV", "nnn", fn_lognorm_inv, 0,
  "LOGNORM.INV(probability, mean, standard_dev)",
  "Inverse of the lognormal cumulative distribution.",
  "=ROUND(LOGNORM.INV(0.039084,3.5,1.2),3) -> 4"),
S("LOGNORMDIST", "nnn", fn_lognorm_dist, 0,
  "LOGNORMDIST(x, mean, standard_dev)",
  "Lognormal cumulative distribution.", "=ROUND(LOGNORMDIST(4,3.5,1.2),6) -> 0.039084"),
S("MAX", "a*", fn_max, 0, "MAX(number1, [number2], ...)",
  "Largest number (0 when there is none).",
  "=MAX(1,5,-2) -> 5\n=MAX({\"a\"}) -> 0"),
S("MAXA", "a*", fn_maxa, 0, "MAXA(value1, [value2], ...)",
  "Largest value counting text as 0 and logicals as 0 or 1.",
  "=MAXA({-1,TRUE}) -> 1"),
S("MAXIFS", "aae|a*", fn_maxifs, 0,
  "MAXIFS(max_range, criteria_range1, criteria1, ...)",
  "Largest number among the cells that meet every criterion.",
  "=MAXIFS({1,2,3},{\"a\",\"a\",\"b\"},\"a\") -> 2"),
S("MEDIAN", "a*", fn_median, 0, "MEDIAN(number1, [number2], ...)",
  "Median of the numbers.", "=MEDIAN(1,2,3,4) -> 2.5\n=MEDIAN(3,1,2) -> 2"),
S("MIN", "a*", fn_min, 0, "MIN(number1, [number2], ...)",
  "Smallest number (0 when there is none).", "=MIN(1,5,-2) -> -2"),
S("MINA", "a*", fn_mina, 0, "MINA(value1, [value2], ...)",
  "Smallest value counting text as 0 and logicals as 0 or 1.",
  "=MINA({1,\"x\"}) -> 0"),
S("MINIFS", "aae|a*", fn_minifs, 0,
  "MINIFS(min_range, criteria_range1, criteria1, ...)",
  "Smallest number among the cells that meet every criterion.",
  "=MINIFS({1,2,3},{\"a\",\"b\",\"b\"},\"b\") -> 2"),
S("MODE", "a*", fn_mode, 0, "MODE(number1, [number2], ...)",
  "Most frequent number.", "=MODE(1,2,2,3) -> 2\n=MODE(1,2) -> #N/A"),
S("MODE.MULT", "a*", fn_mode_mult, 0, "MODE.MULT(number1, [number2], ...)",
  "Every most frequent number, as a vertical array.",
  "=ROWS(MODE.MULT(1,1,2,2,3)) -> 2"),
S("MODE.SNGL", "a*", fn_mode, 0, "MODE.SNGL(number1, [number2], ...)",
  "Most frequent number.", "=MODE.SNGL(4,4,1,1) -> 4"),
S("NORM.DIST", "nnnb", fn_norm_dist, 0,
  "NORM.DIST(x, mean, standard_dev, cumulative)", "Normal distribution.",
  "=NORM.DIST(5,5,2,TRUE) -> 0.5"),
S("NORM.INV", "nnn", fn_norm_inv, 0,
  "NORM.INV(probability, mean, standard_dev)",
  "Inverse of the normal cumulative distribution.",
  "=NORM.INV(0.5,3,2) -> 3"),
S("NORM.S.DIST", "nb", fn_norm_s_dist, 0, "NORM.S.DIST(z, cumulative)",
  "Standard normal distribution.",
  "=NORM.S.DIST(0,TRUE) -> 0.5\n=ROUND(NORM.S.DIST(1,TRUE),6) -> 0.841345"),
S("NORM.S.INV", "n", fn_norm_s_inv, 0, "NORM.S.INV(probability)",
  "Inverse of the standard normal cumulative distribution.",
  "=ROUND(NORM.S.INV(0.975),6) -> 1.959964"),
S("NORMDIST", "nnnb", fn_norm_dist, 0,
  "NORMDIST(x, mean, standard_dev, cumulative)", "Normal distribution.",
  "=NORMDIST(1,1,1,TRUE) -> 0.5"),
S("NORMINV", "nnn", fn_norm_inv, 0,
  "NORMINV(probability, mean, standard_dev)",
  "Inverse of the normal cumulative distribution.",
  "=NORMINV(0.5,1,1) -> 1"),
S("NORMSDIST", "n", fn_normsdist, 0, "NORMSDIST(z)",
  "Standard normal cumulative distribution.", "=NORMSDIST(0) -> 0.5"),
S("NORMSINV", "n", fn_norm_s_inv, 0, "NORMSINV(probability)",
  "Inverse of the standard normal cumulative distribution.",
  "=NORMSINV(0.5) -> 0"),
S("PEARSON", "AA", fn_correl, 0, "PEARSON(array1, array2)",
  "Pearson correlation coefficient.", "=PEARSON({1,2,3},{1,2,3}) -> 1"),
S("PERCENTILE", "An", fn_percentile, 0, "PERCENTILE(array, k)",
  "k-th percentile, inclusive.", "=PERCENTILE({1,2,3,4},0.5) -> 2.5"),
S("PERCENTILE.EXC", "An", fn_percentile_exc, 0, "PERCENTILE.EXC(array, k)",
  "k-th percentile, exclusive.",
  "=PERCENTILE.EXC({1,2,3,4},0.5) -> 2.5\n=PERCENTILE.EXC({1,2,3},0.1) -> #NUM!"),
S("PERCENTILE.INC", "An", fn_percentile, 0, "PERCENTILE.INC(array, k)",
  "k-th percentile, inclusive.", "=PERCENTILE.INC({1,2,3,4},0.25) -> 1.75"),
S("PERCENTRANK", "An|n", fn_percentrank, 0,
  "PERCENTRANK(array, x, [significance])",
  "Rank of a value as a fraction of the data set, inclusive.",
  "=PERCENTRANK({1,2,3,4,5},4) -> 0.75"),
S("PERCENTRANK.EXC", "An|n", fn_percentrank_exc, 0,
  "PERCENTRANK.EXC(array, x, [significance])",
  "Rank of a value as a fraction of the data set, exclusive.",
  "=PERCENTRANK.EXC({1,2,3},2) -> 0.5"),
S("PERCENTRANK.INC", "An|n", fn_percentrank, 0,
  "PERCENTRANK.INC(array, x, [significance])",
  "Rank of a value as a fraction of the data set, inclusive.",
  "=PERCENTRANK.INC({1,2,3},2.5) -> 0.75"),
S("PHI", "n", fn_phi, 0, "PHI(x)", "Standard normal density.",
  "=ROUND(PHI(0.75),6) -> 0.301137"),
S("POISSON.DIST", "nnb", fn_poisson_dist, 0,
  "POISSON.DIST(x, mean, cumulative)", "Poisson distribution.",
  "=POISSON.DIST(0,0,TRUE) -> 1\n=ROUND(POISSON.DIST(2,5,FALSE),6) -> 0.084224"),
S("QUARTILE", "An", fn_quartile, 0, "QUARTILE(array, quart)",
  "Quartile of a data set, inclusive.", "=QUARTILE({1,2,3,4,5},1) -> 2"),
S("QUARTILE.EXC", "An", fn_quartile_exc, 0, "QUARTILE.EXC(array, quart)",
  "Quartile of a data set, exclusive.",
  "=QUARTILE.EXC({1,2,3,4,5,6,7},1) -> 2"),
S("QUARTILE.INC", "An", fn_quartile, 0, "QUARTILE.INC(array, quart)",
  "Quartile of a data set, inclusive.", "=QUARTILE.INC({1,2,3,4},3) -> 3.25"),
S("RANK", "na|n", fn_rank, 0, "RANK(number, ref, [order])",
  "Rank of a number in a list (ties share the best rank).",
  "=RANK(3,{1,3,5}) -> 2\n=RANK(3,{1,3,5},1) -> 2\n=RANK(4,{1,3,5}) -> #N/A"),
S("RANK.AVG", "na|n", fn_rank_avg, 0, "RANK.AVG(number, ref, [order])",
  "Rank of a number; ties get their average rank.",
  "=RANK.AVG(3,{1,3,3,5}) -> 2.5"),
S("RANK.EQ", "na|n", fn_rank, 0, "RANK.EQ(number, ref, [order])",
  "Rank of a number in a list (ties share the best rank).",
  "=RANK.EQ(5,{1,3,5}) -> 1"),
S("RSQ", "AA", fn_rsq, 0, "RSQ(known_y's, known_x's)",
  "Square of the correlation coefficient.", "=RSQ({1,2,3},{1,2,4}) -> 0.964285714285714"),
S("SKEW", "a*", fn_skew, 0, "SKEW(number1, [number2], ...)",
  "Sample skewness.", "=SKEW(1,2,3) -> 0\n=ROUND(SKEW(1,2,10),6) -> 1.652317"),
S("SKEW.P", "a*", fn_skew_p, 0, "SKEW.P(number1, [number2], ...)",
  "Population skewness.", "=ROUND(SKEW.P(1,2,10),6) -> 0.674555"),
S("SLOPE", "AA", fn_slope, 0, "SLOPE(known_y's, known_x's)",
  "Slope of the least-squares line.", "=SLOPE({3,5,7},{1,2,3}) -> 2"),
S("SMALL", "an", fn_small, 0, "SMALL(array, k)", "The k-th smallest number.",
  "=SMALL({3,1,5},2) -> 3"),
S("STANDARDIZE", "nnn", fn_standardize, 0,
  "STANDARDIZE(x, mean, standard_dev)", "Normalised value (x-mean)/sd.",
  "=STANDARDIZE(7,5,2) -> 1"),
S("STDEV", "a*", fn_stdev_s, 0, "STDEV(number1, [number2], ...)",
  "Sample standard deviation.", "=STDEV(2,4,4,4,5,5,7,9) -> 2.1380899352994"),
S("STDEV.P", "a*", fn_stdev_p, 0, "STDEV.P(number1, [number2], ...)",
  "Population standard deviation.", "=STDEV.P(2,4,4,4,5,5,7,9) -> 2"),
S("STDEV.S", "a*", fn_stdev_s, 0, "STDEV.S(number1, [number2], ...)",
  "Sample standard deviation.", "=STDEV.S(1,3) -> 1.4142135623731\n=STDEV.S(1) -> #DIV/0!"),
S("STDEVA", "a*", fn_stdeva, 0, "STDEVA(value1, [value2], ...)",
  "Sample standard deviation counting text and logicals.",
  "=STDEVA({1,TRUE,\"x\",2}) -> 0.816496580927726"),
S("STDEVP", "a*", fn_stdev_p, 0, "STDEVP(number1, [number2], ...)",
  "Population standard deviation.", "=STDEVP(1,3) -> 1"),
S("STDEVPA", "a*", fn_stdevpa, 0, "STDEVPA(value1, [value2], ...)",
  "Population standard deviation counting text and logicals.",
  "=STDEVPA({3,\"x\"}) -> 1.5"),
S("STEYX", "AA", fn_steyx, 0, "STEYX(known_y's, known_x's)",
  "Standard error of the predicted y in a regression.",
  "=STEYX({1,2,3,5},{1,2,3,4}) -> 0.387298334620742"),
S("TREND", "A|AAb", fn_trend, 0,
  "TREND(known_y's, [known_x's], [new_x's], [const])",
  "Values on the least-squares line or plane (one or more x variables).",
  "=INDEX(TREND({2,4,6},{1,2,3},{4,5}),2) -> 10\n=SUM(TREND({3,5,7},,4)) -> 9\n=SUM(TREND({9;8;19;18;29},{1,2;2,1;3,4;4,3;5,6},{6,7})) -> 34"),
S("TRIMMEAN", "An", fn_trimmean, 0, "TRIMMEAN(array, percent)",
  "Mean without a fraction of the smallest and largest values.",
  "=TRIMMEAN({1,2,3,4,100},0.4) -> 3"),
S("VAR", "a*", fn_var_s, 0, "VAR(number1, [number2], ...)",
  "Sample variance.", "=VAR(1,2,3,4) -> 1.66666666666667"),
S("VAR.P", "a*", fn_var_p, 0, "VAR.P(number1, [number2], ...)",
  "Population variance.", "=VAR.P(1,2,3,4) -> 1.25"),
S("VAR.S", "a*", fn_var_s, 0, "VAR.S(number1, [number2], ...)",
  "Sample variance.", "=VAR.S(1,3) -> 2"),
S("VARA", "a*", fn_vara, 0, "VARA(value1, [value2], ...)",
  "Sample variance counting text and logicals.", "=VARA({1,TRUE,\"x\"}) -> 0.333333333333333"),
S("VARP", "a*", fn_var_p, 0, "VARP(number1, [number2], ...)",
  "Population variance.", "=VARP(1,3) -> 1"),
S("VARPA", "a*", fn_varpa, 0, "VARPA(value1, [value2], ...)",
  "Population variance counting text and logicals.", "=VARPA({2,\"x\"}) -> 1"),
S("WEIBULL.DIST", "nnnb", fn_weibull_dist, 0,
  "WEIBULL.DIST(x, alpha, beta, cumulative)", "Weibull distribution.",
  "=ROUND(WEIBULL.DIST(105,20,100,TRUE),6) -> 0.929581"),
};
/* clang-format on */
const size_t xc_fns_stat_n = sizeof xc_fns_stat / sizeof *xc_fns_stat;
