/* fn_db.c - spreadsheet functions of the "db" category: DSUM, DCOUNT,
 * DAVERAGE and the other database functions.
 *
 * A database is a range whose first row holds column labels; the
 * criteria range has labels in its first row and conditions below.  A
 * record is selected when some criteria row (OR) has all of its
 * non-empty conditions (AND) true for the record.  Conditions use the
 * SUMIF-style criteria; plain text matches entries that begin with it,
 * as Excel's database functions do ("=text" for an exact match).
 * Aggregates are exact rationals. */
#include <string.h>
#include "formula_int.h"

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

/* One condition of a criteria row: database column and criterion. */
typedef struct cond {
    uint32_t col;
    xc_criteria *cr;
    int bad; /* label not in the database: never true */
} cond;

typedef struct dbq {
    xc_grid db, cg;
    cond *conds; /* rows x cols of the criteria body */
    uint32_t crows, ccols;
} dbq;

static void dbq_free(dbq *q)
{
    if (q->conds)
        for (size_t i = 0; i < (size_t)q->crows * q->ccols; i++)
            xc_criteria_free(q->conds[i].cr);
    xc_free(q->conds);
}

/* Column of label v in the database header; -1 if none. */
static long find_label(xc_grid *db, const xc_value *v)
{
    xc_value t = {0};
    long found = -1;
    if (xc_to_text(v, &t) != XC_OK || t.type != XC_TEXT) {
        xc_value_clear(&t);
        return -1;
    }
    for (uint32_t k = 0; k < db->cols && found < 0; k++) {
        xc_value h = {0};
        const xc_value *p = xc_grid_get(db, 0, k);
        if (p->type == XC_EMPTY || xc_to_text(p, &h) != XC_OK ||
            h.type != XC_TEXT) {
            xc_value_clear(&h);
            continue;
        }
        if (xc_text_cmp_ci(h.u.str->s, h.u.str->len, t.u.str->s,
                           t.u.str->len) == 0)
            found = (long)k;
        xc_value_clear(&h);
    }
    xc_value_clear(&t);
    return found;
}

/* Compile a criteria cell: text without a comparison operator means
 * "begins with". */
static int compile(const xc_value *v, xc_criteria **cr)
{
    if (v->type == XC_TEXT) {
        const char *s = v->u.str->s;
        size_t n = v->u.str->len;
        if (n > 0 && s[0] != '<' && s[0] != '>' && s[0] != '=') {
            xc_value t = {0};
            char *b = xc_malloc(n + 2);
            int st;
            if (!b)
                return XC_ENOMEM;
            memcpy(b, s, n);
            b[n] = '*';
            st = xc_value_set_text(&t, b, n + 1);
            xc_free(b);
            if (st == XC_OK)
                st = xc_criteria_new(cr, &t);
            xc_value_clear(&t);
            return st;
        }
    }
    return xc_criteria_new(cr, v);
}

/* Set up database and criteria; *e receives a spreadsheet error. */
static int dbq_init(dbq *q, xc_fncall *c, xc_error *e)
{
    memset(q, 0, sizeof *q);
    *e = XC_ERR_NONE;
    if (xc_grid_init(&q->db, c->ev, &c->argv[0]) != XC_OK ||
        xc_grid_init(&q->cg, c->ev, &c->argv[2]) != XC_OK || q->db.rows < 2 ||
        q->cg.rows < 1) {
        *e = XC_ERR_VALUE;
        return XC_OK;
    }
    q->crows = q->cg.rows - 1;
    q->ccols = q->cg.cols;
    if (q->crows == 0) {
        *e = XC_ERR_VALUE;
        return XC_OK;
    }
    q->conds = xc_calloc((size_t)q->crows * q->ccols, sizeof *q->conds);
    if (!q->conds)
        return XC_ENOMEM;
    for (uint32_t k = 0; k < q->ccols; k++) {
        xc_value label = {0};
        int st = xc_value_copy(&label, xc_grid_get(&q->cg, 0, k));
        if (st != XC_OK)
            return st;
        long col = label.type == XC_EMPTY ? -1 : find_label(&q->db, &label);
        xc_value_clear(&label);
        for (uint32_t r = 0; r < q->crows; r++) {
            cond *cd = &q->conds[(size_t)r * q->ccols + k];
            const xc_value *v = xc_grid_get(&q->cg, r + 1, k);
            if (v->type == XC_EMPTY)
                continue;
            if (col < 0) {
                cd->bad = 1;
                continue;
            }
            cd->col = (uint32_t)col;
            xc_value cv = {0};
            st = xc_value_copy(&cv, v);
            if (st == XC_OK)
                st = compile(&cv, &cd->cr);
            xc_value_clear(&cv);
            if (st != XC_OK)
                return st;
        }
    }
    return XC_OK;
}

/* Does database row r (1-based body row) satisfy the criteria? */
static int selected(dbq *q, uint32_t r)
{
    for (uint32_t cr = 0; cr < q->crows; cr++) {
        int ok = 1;
        for (uint32_t k = 0; k < q->ccols && ok; k++) {
            cond *cd = &q->conds[(size_t)cr * q->ccols + k];
            if (cd->bad)
                ok = 0;
            else if (cd->cr) {
                const xc_value *v = xc_grid_get(&q->db, r, cd->col);
                ok = v->type == XC_EMPTY ? xc_criteria_matches_empty(cd->cr)
                                         : xc_criteria_match(cd->cr, v);
            }
        }
        if (ok)
            return 1;
    }
    return 0;
}

/* Field argument: a label or a 1-based column number; -1 when omitted
 * (allowed for DCOUNT/DCOUNTA), else *e. */
static long field_col(xc_fncall *c, dbq *q, xc_error *e)
{
    const xc_value *f = &c->argv[1];
    *e = XC_ERR_NONE;
    if (f->type == XC_EMPTY)
        return -1;
    if (f->type == XC_ERROR) {
        *e = (xc_error)f->err;
        return -1;
    }
    if (f->type == XC_NUMBER) {
        int64_t k;
        xc_num_trunc_clamp(&f->u.num, 0, (int64_t)q->db.cols + 1, &k);
        if (k < 1 || k > (int64_t)q->db.cols) {
            *e = XC_ERR_VALUE;
            return -1;
        }
        return (long)k - 1;
    }
    long col = find_label(&q->db, f);
    if (col < 0)
        *e = XC_ERR_VALUE;
    return col;
}

enum {
    A_SUM,
    A_COUNT,
    A_COUNTA,
    A_AVG,
    A_MAX,
    A_MIN,
    A_GET,
    A_PROD,
    A_STDEV,
    A_STDEVP,
    A_VAR,
    A_VARP
};

static int aggregate(xc_fncall *c, xc_value *out, int kind)
{
    dbq q;
    xc_error e;
    int st = dbq_init(&q, c, &e);
    long col = -1;
    if (st == XC_OK && !e && c->argv[1].type == XC_BOOL) {
        /* a logical names no column: DCOUNT gives 0, DCOUNTA counts the
         * matching records, the others #VALUE! */
        if (kind != A_COUNT && kind != A_COUNTA) {
            dbq_free(&q);
            return err_out(out, XC_ERR_VALUE);
        }
        if (kind == A_COUNT) {
            dbq_free(&q);
            xc_value_clear(out);
            xc_value_set_int(out, 0);
            return XC_OK;
        }
        /* DCOUNTA(db, TRUE, crit) counts the matching records */
    } else if (st == XC_OK && !e)
        col = field_col(c, &q, &e);
    if (st == XC_OK && !e && col < 0 && kind != A_COUNT && kind != A_COUNTA)
        e = XC_ERR_VALUE;
    if (st != XC_OK || e) {
        dbq_free(&q);
        return st != XC_OK ? st : err_out(out, e);
    }
    mpq_t sum, sq, x, best;
    unsigned long n = 0, hits = 0;
    unsigned inexact = 0;
    int have_best = 0;
    xc_value got = {0};
    mpq_inits(sum, sq, x, best, NULL);
    if (kind == A_PROD)
        mpq_set_ui(sum, 1, 1);
    for (uint32_t r = 1; r < q.db.rows && st == XC_OK; r++) {
        if (!selected(&q, r))
            continue;
        hits++;
        if (col < 0) {
            n++; /* DCOUNT/DCOUNTA without a field: records */
            continue;
        }
        const xc_value *v = xc_grid_get(&q.db, r, (uint32_t)col);
        if (kind == A_GET) {
            st = xc_value_copy(&got, v);
            continue;
        }
        if (kind == A_COUNTA) {
            n += v->type != XC_EMPTY;
            continue;
        }
        if (v->type != XC_NUMBER)
            continue;
        n++;
        inexact |= v->flags & XC_VAL_INEXACT;
        xc_num_get_mpq(x, &v->u.num);
        switch (kind) {
        case A_PROD:
            mpq_mul(sum, sum, x);
            break;
        case A_MAX:
        case A_MIN:
            if (!have_best ||
                (kind == A_MAX ? mpq_cmp(x, best) > 0 : mpq_cmp(x, best) < 0))
                mpq_set(best, x);
            have_best = 1;
            break;
        default:
            mpq_add(sum, sum, x);
            mpq_mul(x, x, x);
            mpq_add(sq, sq, x);
        }
    }
    if (st != XC_OK)
        goto done;
    xc_value_clear(out);
    switch (kind) {
    case A_COUNT:
    case A_COUNTA:
        xc_value_set_int(out, (int64_t)n);
        break;
    case A_GET:
        if (hits == 0)
            xc_result_error(out, XC_ERR_VALUE);
        else if (hits > 1)
            xc_result_error(out, XC_ERR_NUM);
        else if (got.type == XC_EMPTY)
            xc_value_set_int(out, 0);
        else
            st = xc_value_copy(out, &got);
        break;
    case A_MAX:
    case A_MIN:
        if (!have_best)
            mpq_set_ui(best, 0, 1);
        mpq_set(sum, best);
        /* fall through */
    case A_SUM:
    case A_PROD: {
        xc_num r;
        xc_num_init(&r);
        if (kind == A_PROD && n == 0)
            mpq_set_ui(sum, 0, 1);
        st = xc_num_set_mpq(&r, sum);
        if (st == XC_OK)
            st = xc_result_num(out, &r, inexact);
        else {
            xc_num_clear(&r);
            if (st == XC_ELIMIT)
                st = err_out(out, XC_ERR_NUM);
        }
        break;
    }
    case A_AVG: {
        xc_num r;
        if (n == 0) {
            xc_result_error(out, XC_ERR_DIV0);
            break;
        }
        mpq_set_ui(x, n, 1);
        mpq_div(sum, sum, x);
        xc_num_init(&r);
        st = xc_num_set_mpq(&r, sum);
        st = st == XC_OK ? xc_result_num(out, &r, inexact)
                         : (xc_num_clear(&r), err_out(out, XC_ERR_NUM));
        break;
    }
    default: { /* variances */
        int pop = kind == A_STDEVP || kind == A_VARP;
        if (n == 0 || (!pop && n < 2)) {
            xc_result_error(out, XC_ERR_DIV0);
            break;
        }
        /* (Σx² - (Σx)²/n) / (n or n-1) */
        mpq_mul(x, sum, sum);
        mpq_set_ui(best, n, 1);
        mpq_div(x, x, best);
        mpq_sub(sq, sq, x);
        mpq_set_ui(best, pop ? n : n - 1, 1);
        mpq_div(sq, sq, best);
        xc_num r;
        xc_num_init(&r);
        st = xc_num_set_mpq(&r, sq);
        if (st != XC_OK) {
            xc_num_clear(&r);
            st = err_out(out, XC_ERR_NUM);
        } else if (kind == A_VAR || kind == A_VARP) {
            st = xc_result_num(out, &r, inexact);
        } else {
            st = xc_result_sqrt(out, &r, inexact);
            xc_num_clear(&r);
        }
    }
    }
done:
    xc_value_clear(&got);
    mpq_clears(sum, sq, x, best, NULL);
    dbq_free(&q);
    return st;
}

static int fn_dsum(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_SUM);
}
static int fn_dcount(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_COUNT);
}
static int fn_dcounta(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_COUNTA);
}
static int fn_daverage(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_AVG);
}
static int fn_dmax(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_MAX);
}
static int fn_dmin(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_MIN);
}
static int fn_dget(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_GET);
}
static int fn_dproduct(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_PROD);
}
static int fn_dstdev(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_STDEV);
}
static int fn_dstdevp(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_STDEVP);
}
static int fn_dvar(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_VAR);
}
static int fn_dvarp(xc_fncall *c, xc_value *out)
{
    return aggregate(c, out, A_VARP);
}

#define DBF(name, impl, help, ex)                                              \
    {                                                                          \
        name, "aea", impl, 0, "db", name "(database, field, criteria)", help,  \
            ex                                                                 \
    }

/* The examples share one small database: names a, b, ab. */
#define EXDB "{\"name\",\"amt\";\"a\",10;\"b\",20;\"ab\",30}"

const xc_fn_def xc_fns_db[] = {
    DBF("DAVERAGE", fn_daverage, "Average of a field over matching records.",
        "=DAVERAGE(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 20"),
    DBF("DCOUNT", fn_dcount,
        "Count of numbers in a field over matching records.",
        "=DCOUNT(" EXDB ",2,{\"amt\";\">15\"}) -> 2"),
    DBF("DCOUNTA", fn_dcounta,
        "Count of non-empty cells in a field over matching records.",
        "=DCOUNTA(" EXDB ",\"name\",{\"name\";\"=a\"}) -> 1"),
    DBF("DGET", fn_dget, "The single value of a field in the matching record.",
        "=DGET(" EXDB ",\"amt\",{\"name\";\"b\"}) -> 20\n"
        "=DGET(" EXDB ",\"amt\",{\"name\";\"a\"}) -> #NUM!"),
    DBF("DMAX", fn_dmax, "Largest number in a field over matching records.",
        "=DMAX(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 30"),
    DBF("DMIN", fn_dmin, "Smallest number in a field over matching records.",
        "=DMIN(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 10"),
    DBF("DPRODUCT", fn_dproduct, "Product of a field over matching records.",
        "=DPRODUCT(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 300"),
    DBF("DSTDEV", fn_dstdev,
        "Sample standard deviation of a field over matching records.",
        "=DSTDEV(" EXDB ",\"amt\",{\"amt\";\">0\"}) -> 10"),
    DBF("DSTDEVP", fn_dstdevp,
        "Population standard deviation of a field over matching records.",
        "=DSTDEVP(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 10"),
    DBF("DSUM", fn_dsum, "Sum of a field over matching records.",
        "=DSUM(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 40\n"
        "=DSUM(" EXDB ",\"amt\",{\"name\",\"amt\";\"a\",\">15\"}) -> 30"),
    DBF("DVAR", fn_dvar, "Sample variance of a field over matching records.",
        "=DVAR(" EXDB ",\"amt\",{\"amt\";\">0\"}) -> 100"),
    DBF("DVARP", fn_dvarp,
        "Population variance of a field over matching records.",
        "=DVARP(" EXDB ",\"amt\",{\"name\";\"a\"}) -> 100"),
};
const size_t xc_fns_db_n = sizeof xc_fns_db / sizeof *xc_fns_db;
