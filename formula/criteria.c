/* criteria.c - Excel's criteria language for SUMIF, COUNTIF, AVERAGEIF,
 * the *IFS family and MAXIFS/MINIFS, the wildcard matcher that MATCH,
 * VLOOKUP and XLOOKUP share, and the conditional scan that walks only
 * the cells a sheet actually holds.
 *
 * A criterion is a value: a number, logical or error matches equal
 * cells; text may start with an operator (= <> < > <= >=) followed by an
 * operand that is read as a number (">=90%"), a logical, an error
 * literal or text (with * ? ~ wildcards for = and <>).  "" matches
 * empty cells and empty text, "=" only empty cells, "<>" anything that
 * is not empty; "<", ">=" etc. with no operand match nothing.  "=5"
 * also accepts numeric text, "<>5" does not exclude it. */
#include <math.h>
#include <string.h>
#include "formula_int.h"

enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum { K_NUM, K_TEXT, K_BOOL, K_ERR, K_EMPTY };

/* Pattern tokens: code points (case-folded) or these two. */
#define W_STAR 0xFFFFFFFFu
#define W_ONE 0xFFFFFFFEu

struct xc_criteria {
    int op;       /* OP_* */
    int kind;     /* K_* */
    int bare;     /* no operator was written ("" vs "=") */
    int wild;     /* text pattern contains wildcards */
    int b;        /* K_BOOL */
    xc_error err; /* K_ERR */
    xc_num num;   /* K_NUM */
    char *text;   /* K_TEXT operand (escapes kept) */
    size_t tn;
    int caseless;  /* no character of text has another case: equality is
                      byte equality */
    uint32_t *pat; /* compiled wildcard pattern */
    size_t pn;
};

/* Simple case folding to upper case for the scripts budget forms use
 * besides CJK (which has no case). */
static uint32_t fold(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0x80)
        return c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
        (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    if (c >= 0xFF41 && c <= 0xFF5A)
        return c - 32;
    return c;
}

/* Compile a wildcard pattern into tokens; *wild says whether it used
 * any wildcard.  out must hold n entries. */
static size_t compile_pat(const char *s, size_t n, uint32_t *out, int *wild)
{
    size_t k = 0, i = 0;
    *wild = 0;
    while (i < n) {
        uint32_t cp;
        i += xc_utf8_decode(s + i, n - i, &cp);
        if (cp == '*' || cp == '?') {
            out[k++] = cp == '*' ? W_STAR : W_ONE;
            *wild = 1;
        } else if (cp == '~' && i < n &&
                   (s[i] == '*' || s[i] == '?' || s[i] == '~')) {
            out[k++] = (uint32_t)s[i++];
            *wild = 1;
        } else {
            out[k++] = fold(cp);
        }
    }
    return k;
}

/* Match the compiled pattern p[0..pn) against the whole of s[0..sn):
 * greedy with one backtrack point per star, linear in practice. */
static int match_pat(const uint32_t *p, size_t pn, const char *s, size_t sn)
{
    size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
    while (si < sn) {
        uint32_t cp;
        size_t len = xc_utf8_decode(s + si, sn - si, &cp);
        if (pi < pn && p[pi] == W_STAR) {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        if (pi < pn && (p[pi] == W_ONE || p[pi] == fold(cp))) {
            pi++;
            si += len;
            continue;
        }
        if (star_p == (size_t)-1)
            return 0;
        /* Let the last star absorb one more character. */
        pi = star_p;
        star_s += xc_utf8_decode(s + star_s, sn - star_s, &cp);
        si = star_s;
    }
    while (pi < pn && p[pi] == W_STAR)
        pi++;
    return pi == pn;
}

int xc_wild_match(const char *pat, size_t pn, const char *s, size_t sn)
{
    uint32_t stackbuf[64], *p = stackbuf;
    int wild, r;
    if (pn > 64) {
        p = xc_malloc(pn * sizeof *p);
        if (!p)
            return xc_text_cmp_ci(pat, pn, s, sn) == 0;
    }
    size_t k = compile_pat(pat, pn, p, &wild);
    r = match_pat(p, k, s, sn);
    if (p != stackbuf)
        xc_free(p);
    return r;
}

int xc_wild_has(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '~')
            return 1;
    return 0;
}

/* Does no other code point fold to one of s[0..n)'s (so that text equals
 * s ignoring case only when it is the same bytes)?  ASCII without
 * letters, and characters from U+3000 up (CJK, kana, Hangul...) outside
 * the fullwidth Latin letters; anything else (and invalid UTF-8) no. */
static int caseless(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        unsigned char u = (unsigned char)s[i];
        if (u < 0x80) {
            if ((u | 0x20) >= 'a' && (u | 0x20) <= 'z')
                return 0;
            i++;
            continue;
        }
        size_t k = xc_utf8_decode(s + i, n - i, &cp);
        if (cp < 0x3000 || cp == 0xFFFD || (cp >= 0xFF21 && cp <= 0xFF5A) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

/* Split the operator off a criteria text. */
static size_t parse_op(const char *s, size_t n, int *op)
{
    if (n >= 2 && s[0] == '<' && s[1] == '=')
        return *op = OP_LE, 2;
    if (n >= 2 && s[0] == '>' && s[1] == '=')
        return *op = OP_GE, 2;
    if (n >= 2 && s[0] == '<' && s[1] == '>')
        return *op = OP_NE, 2;
    if (n >= 1 && s[0] == '<')
        return *op = OP_LT, 1;
    if (n >= 1 && s[0] == '>')
        return *op = OP_GT, 1;
    if (n >= 1 && s[0] == '=')
        return *op = OP_EQ, 1;
    *op = OP_EQ;
    return 0;
}

static int eq_ci(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    return an == bn && xc_text_cmp_ci(a, an, b, bn) == 0;
}

/* Read the operand of a text criterion. */
static int text_operand(xc_criteria *cr, const char *s, size_t n)
{
    xc_error e;
    if (n == 0) {
        cr->kind = K_EMPTY;
        return XC_OK;
    }
    if (xc_text_to_num(s, n, 0, &cr->num) == XC_OK) {
        cr->kind = K_NUM;
        return XC_OK;
    }
    if (eq_ci(s, n, "TRUE") || eq_ci(s, n, "FALSE")) {
        cr->kind = K_BOOL;
        cr->b = eq_ci(s, n, "TRUE");
        return XC_OK;
    }
    if ((e = xc_error_parse(s, n)) != XC_ERR_NONE) {
        cr->kind = K_ERR;
        cr->err = e;
        return XC_OK;
    }
    cr->kind = K_TEXT;
    cr->text = xc_strndup(s, n);
    if (!cr->text)
        return XC_ENOMEM;
    cr->tn = n;
    if (xc_wild_has(s, n) && (cr->op == OP_EQ || cr->op == OP_NE)) {
        cr->pat = xc_malloc(n * sizeof *cr->pat);
        if (!cr->pat)
            return XC_ENOMEM;
        cr->pn = compile_pat(s, n, cr->pat, &cr->wild);
    }
    cr->caseless = !cr->pat && caseless(s, n);
    return XC_OK;
}

int xc_criteria_new(xc_criteria **out, const xc_value *crit)
{
    xc_criteria *cr = xc_calloc(1, sizeof *cr);
    int st = XC_OK;
    *out = NULL;
    if (!cr)
        return XC_ENOMEM;
    xc_num_init(&cr->num);
    cr->op = OP_EQ;
    switch (crit->type) {
    case XC_NUMBER:
        cr->kind = K_NUM;
        st = xc_num_set(&cr->num, &crit->u.num);
        break;
    case XC_BOOL:
        cr->kind = K_BOOL;
        cr->b = crit->u.b != 0;
        break;
    case XC_ERROR:
        cr->kind = K_ERR;
        cr->err = (xc_error)crit->err;
        break;
    case XC_TEXT: {
        const char *s = crit->u.str->s;
        size_t n = crit->u.str->len;
        size_t k = parse_op(s, n, &cr->op);
        cr->bare = k == 0;
        st = text_operand(cr, s + k, n - k);
        break;
    }
    default: /* an empty criteria cell means 0 */
        cr->kind = K_NUM;
        break;
    }
    if (st != XC_OK) {
        xc_criteria_free(cr);
        return st;
    }
    *out = cr;
    return XC_OK;
}

void xc_criteria_free(xc_criteria *cr)
{
    if (!cr)
        return;
    xc_num_clear(&cr->num);
    xc_free(cr->text);
    xc_free(cr->pat);
    xc_free(cr);
}

static int order(int c, int op)
{
    switch (op) {
    case OP_EQ:
        return c == 0;
    case OP_NE:
        return c != 0;
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

/* Equality part of a criterion (used for = and, negated, for <>). */
static int equal(const xc_criteria *cr, const xc_value *v)
{
    switch (cr->kind) {
    case K_NUM:
        if (v->type == XC_NUMBER)
            return xc_num_equal(&v->u.num, &cr->num);
        if (v->type == XC_TEXT && v->u.str->len) {
            xc_num x;
            int r = 0;
            xc_num_init(&x);
            if (xc_text_to_num(v->u.str->s, v->u.str->len, 0, &x) == XC_OK)
                r = xc_num_equal(&x, &cr->num);
            xc_num_clear(&x);
            return r;
        }
        return 0;
    case K_TEXT:
        if (v->type != XC_TEXT)
            return 0;
        if (cr->pat)
            return match_pat(cr->pat, cr->pn, v->u.str->s, v->u.str->len);
        if (v->u.str->len == cr->tn && !memcmp(cr->text, v->u.str->s, cr->tn))
            return 1;
        if (cr->caseless)
            return 0; /* only the same bytes are equal ignoring case */
        return xc_text_cmp_ci(cr->text, cr->tn, v->u.str->s, v->u.str->len) ==
               0;
    case K_BOOL:
        return v->type == XC_BOOL && (v->u.b != 0) == cr->b;
    case K_ERR:
        return v->type == XC_ERROR && v->err == cr->err;
    default: /* K_EMPTY */
        if (v->type == XC_EMPTY)
            return 1;
        /* "" also matches empty text; "=" only truly empty cells */
        return cr->bare && v->type == XC_TEXT && v->u.str->len == 0;
    }
}

int xc_criteria_match(const xc_criteria *cr, const xc_value *v)
{
    if (cr->op == OP_EQ)
        return equal(cr, v);
    if (cr->op == OP_NE) {
        /* "<>5" keeps numeric text ("5" is not the number 5), though
         * "=5" matches it */
        if (cr->kind == K_NUM)
            return !(v->type == XC_NUMBER && xc_num_equal(&v->u.num, &cr->num));
        return !equal(cr, v);
    }
    switch (cr->kind) {
    case K_NUM:
        return v->type == XC_NUMBER &&
               order(xc_num_cmp(&v->u.num, &cr->num), cr->op);
    case K_TEXT:
        return v->type == XC_TEXT &&
               order(
                   xc_text_cmp_ci(v->u.str->s, v->u.str->len, cr->text, cr->tn),
                   cr->op);
    case K_BOOL:
        return v->type == XC_BOOL && order((v->u.b != 0) - cr->b, cr->op);
    case K_EMPTY: /* "<", ">=" ... with no operand match nothing */
    default:
        return 0;
    }
}

int xc_criteria_matches_empty(const xc_criteria *cr)
{
    static const xc_value empty;
    return xc_criteria_match(cr, &empty);
}

/* ---- Conditional scan ------------------------------------------------ */

/* A range operand seen as a grid: a single-area reference, an array or
 * a scalar. */
typedef struct span {
    const xc_value *v;
    int is_ref;
    int sheet;
    uint32_t r0, c0;
    uint32_t rows, cols;
} span;

static int span_init(span *s, const xc_value *v)
{
    memset(s, 0, sizeof *s);
    s->v = v;
    if (v->type == XC_REF) {
        const xc_area *a = &v->u.ref->a[0];
        if (v->u.ref->n != 1 || a->sheet != a->sheet2)
            return -1;
        s->is_ref = 1;
        s->sheet = a->sheet;
        s->r0 = a->r1;
        s->c0 = a->c1;
        s->rows = a->r2 - a->r1 + 1;
        s->cols = a->c2 - a->c1 + 1;
    } else if (v->type == XC_ARRAY) {
        s->rows = v->u.arr->rows;
        s->cols = v->u.arr->cols;
    } else {
        s->rows = s->cols = 1;
    }
    return 0;
}

static const xc_value empty_value;

static const xc_value *span_get(xc_eval *ev, const span *s, uint32_t i,
                                uint32_t j)
{
    if (s->is_ref) {
        if ((uint64_t)s->r0 + i >= XC_MAX_ROWS ||
            (uint64_t)s->c0 + j >= XC_MAX_COLS)
            return &empty_value;
        return xc_book_get(ev->book, s->sheet, s->r0 + i, s->c0 + j);
    }
    if (s->v->type == XC_ARRAY) {
        /* the array's own shape: a resized value range may be larger */
        const xc_array *arr = s->v->u.arr;
        if (i >= arr->rows || j >= arr->cols)
            return &empty_value;
        return &arr->v[(size_t)i * arr->cols + j];
    }
    return i == 0 && j == 0 ? s->v : &empty_value;
}

/* Rows (or columns) of a span that may hold anything: beyond the used
 * extent of its sheet every cell is empty. */
static void span_used(xc_eval *ev, const span *s, uint32_t *ur, uint32_t *uc)
{
    uint32_t er, ec;
    if (!s->is_ref) {
        *ur = s->rows;
        *uc = s->cols;
        return;
    }
    xc_book_sheet_extent(ev->book, s->sheet, &er, &ec);
    *ur = er > s->r0 ? er - s->r0 : 0;
    *uc = ec > s->c0 ? ec - s->c0 : 0;
}

typedef struct scan {
    xc_eval *ev;
    int n;
    span sp[XC_FORMULA_MAX_ARGS];
    xc_criteria *const *crits;
    span val;
    int has_val;
    xc_ifs_fn fn;
    void *ud;
} scan;

/* Test every criterion except `skip` at offset (i,j) and report. */
static int visit_at(scan *S, uint32_t i, uint32_t j, int skip)
{
    for (int k = 0; k < S->n; k++)
        if (k != skip &&
            !xc_criteria_match(S->crits[k], span_get(S->ev, &S->sp[k], i, j)))
            return XC_OK;
    return S->fn(S->ud, S->has_val ? span_get(S->ev, &S->val, i, j) : NULL, 1);
}

/* What the aggregates may take from the cache instead of a replay: the
 * sum and count of the numbers at the matching positions. */
typedef struct ifs_sum {
    int served;
    const xc_num *sum;
    uint64_t nnum;
    int inexact;
} ifs_sum;

/* Smallest criteria range worth caching (cells). */
#define CACHE_MIN_CELLS 256

/* Answer the scan from the criteria-match cache: 1 when it did (status
 * in *st), 0 when the scan must run. */
static int scan_cached(scan *S, const xc_value *const *critv, int driver,
                       uint32_t rows, uint32_t cols, ifs_sum *want, int *st)
{
    xc_area areas[XC_FORMULA_MAX_ARGS], val;
    xc_ifs_key k = {S->n, areas, critv, NULL, rows, cols};
    xc_ifs_hit hit;
    for (int i = 0; i < S->n; i++) {
        const span *p = &S->sp[i];
        xc_area a = {p->sheet, p->sheet,         p->r0,
                     p->c0,    p->r0 + rows - 1, p->c0 + cols - 1};
        areas[i] = a;
    }
    if (S->has_val) {
        const span *v = &S->val;
        uint64_t r2 = (uint64_t)v->r0 + rows - 1,
                 c2 = (uint64_t)v->c0 + cols - 1;
        val.sheet = val.sheet2 = v->sheet;
        val.r1 = v->r0;
        val.c1 = v->c0;
        val.r2 = r2 < XC_MAX_ROWS ? (uint32_t)r2 : XC_MAX_ROWS - 1;
        val.c2 = c2 < XC_MAX_COLS ? (uint32_t)c2 : XC_MAX_COLS - 1;
        k.val = &val;
    }
    if (xc_ifs_cache_get(S->ev->book, &k, driver, &hit) != XC_OK || !hit.found)
        return 0; /* out of memory or not cacheable: scan */
    *st = XC_OK;
    if (want && hit.sum) {
        want->served = 1;
        want->sum = hit.sum;
        want->nnum = hit.nnum;
        want->inexact = hit.inexact;
        return 1;
    }
    if (!S->has_val) {
        if (hit.nmatch)
            *st = S->fn(S->ud, NULL, hit.nmatch);
        return 1;
    }
    /* replay the matches in the scan's order */
    for (size_t w = 0; w < hit.nwords && *st == XC_OK; w++) {
        uint64_t m = hit.bits[w];
        while (m && *st == XC_OK) {
            uint64_t pos = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(m);
            m &= m - 1;
            *st = S->fn(S->ud,
                        span_get(S->ev, &S->val, (uint32_t)(pos / cols),
                                 (uint32_t)(pos % cols)),
                        1);
        }
    }
    return 1;
}

/* The scan; with critv (the criterion values) it may be answered from
 * the cache, and with want the aggregate too. */
static int scan_run(xc_eval *ev, int n, const xc_value *const *ranges,
                    xc_criteria *const *crits, const xc_value *const *critv,
                    const xc_value *vals, int resize, xc_ifs_fn fn, void *ud,
                    xc_error *err, ifs_sum *want)
{
    scan *S;
    int st = XC_OK, driver = -1;
    uint32_t rows, cols;
    *err = XC_ERR_NONE;
    if (n < 1 || n > XC_FORMULA_MAX_ARGS)
        return XC_EINVAL;
    S = xc_malloc(sizeof *S);
    if (!S)
        return XC_ENOMEM;
    S->ev = ev;
    S->n = n;
    S->crits = crits;
    S->fn = fn;
    S->ud = ud;
    S->has_val = vals != NULL;
    for (int k = 0; k < n; k++) {
        if (span_init(&S->sp[k], ranges[k]) != 0) {
            *err = XC_ERR_VALUE;
            goto done;
        }
        if (k > 0 && (S->sp[k].rows != S->sp[0].rows ||
                      S->sp[k].cols != S->sp[0].cols)) {
            *err = XC_ERR_VALUE;
            goto done;
        }
    }
    rows = S->sp[0].rows;
    cols = S->sp[0].cols;
    if (vals) {
        if (span_init(&S->val, vals) != 0) {
            *err = XC_ERR_VALUE;
            goto done;
        }
        if (!resize && (S->val.rows != rows || S->val.cols != cols)) {
            *err = XC_ERR_VALUE;
            goto done;
        }
        S->val.rows = rows;
        S->val.cols = cols;
    }
    for (int k = 0; k < n && driver < 0; k++)
        if (S->sp[k].is_ref && !xc_criteria_matches_empty(crits[k]))
            driver = k;
    if (critv && driver >= 0 && (uint64_t)rows * cols >= CACHE_MIN_CELLS &&
        (!vals || S->val.is_ref)) {
        int all_refs = 1;
        for (int k = 0; k < n; k++)
            all_refs &= S->sp[k].is_ref;
        if (all_refs && scan_cached(S, critv, driver, rows, cols, want, &st))
            goto out;
    }
    if (driver >= 0) {
        /* Walk only the cells the driving range holds. */
        span *d = &S->sp[driver];
        xc_area a = {d->sheet, d->sheet,         d->r0,
                     d->c0,    d->r0 + rows - 1, d->c0 + cols - 1};
        xc_iter it;
        xc_cell *cell;
        uint32_t r, c;
        xc_iter_init(&it, ev->book, &a);
        while ((cell = xc_iter_next(&it, &r, &c)) != NULL) {
            const xc_value *v =
                cell->node ? xc_book_get(ev->book, d->sheet, r, c) : &cell->v;
            if (!xc_criteria_match(crits[driver], v))
                continue;
            st = visit_at(S, r - d->r0, c - d->c0, driver);
            if (st != XC_OK)
                break;
        }
    } else {
        /* Every criterion accepts empty cells (or no range is a
         * reference): visit the used part, count the rest at once. */
        uint32_t ur = 0, uc = 0;
        for (int k = -1; k < n; k++) {
            const span *s = k < 0 ? &S->val : &S->sp[k];
            uint32_t a, b;
            if (k < 0 && !S->has_val)
                continue;
            span_used(ev, s, &a, &b);
            if (a > ur)
                ur = a;
            if (b > uc)
                uc = b;
        }
        if (ur > rows)
            ur = rows;
        if (uc > cols)
            uc = cols;
        for (uint32_t i = 0; i < ur && st == XC_OK; i++)
            for (uint32_t j = 0; j < uc && st == XC_OK; j++)
                st = visit_at(S, i, j, -1);
        uint64_t rest = (uint64_t)rows * cols - (uint64_t)ur * uc;
        if (st == XC_OK && rest)
            st = fn(ud, S->has_val ? &empty_value : NULL, rest);
    }
out:
    if (st == XC_ENOTFOUND)
        st = XC_OK;
done:
    xc_free(S);
    return st;
}

int xc_ifs_scan(xc_eval *ev, int n, const xc_value *const *ranges,
                xc_criteria *const *crits, const xc_value *vals, int resize,
                xc_ifs_fn fn, void *ud, xc_error *err)
{
    return scan_run(ev, n, ranges, crits, NULL, vals, resize, fn, ud, err,
                    NULL);
}

/* Is argument i of the call written as a reference (A1:B9, possibly in
 * parentheses)?  Such a range is a static precedent of the formula. */
static int literal_ref(const xc_fncall *c, int i)
{
    if (!c->nodes || i < 0 || i >= c->argc)
        return 0;
    const xc_node *n = c->nodes[i];
    while (n && n->kind == XN_PAREN)
        n = n->u.op.a;
    return n && n->kind == XN_REF;
}

/* May the scan be answered from stored values: outside a recalculation,
 * or in its in-order evaluation when every range is a literal
 * reference (see xc_book_settled)? */
static int may_cache(const xc_fncall *c, int first, int n, const xc_value *vals)
{
    if (!c->ev->book)
        return 0;
    unsigned s = xc_book_settled(c->ev->book);
    if (s & XC_SETTLED_ALL)
        return 1;
    if (!(s & XC_SETTLED_STATIC))
        return 0;
    for (int k = 0; k < n; k++)
        if (!literal_ref(c, first + 2 * k))
            return 0;
    if (!vals)
        return 1;
    if (!c->argv || vals < c->argv || vals >= c->argv + c->argc)
        return 0;
    return literal_ref(c, (int)(vals - c->argv));
}

/* Criteria arguments of a call: pairs (range, criterion) from argument
 * `first`, npairs of them (-1: to the last argument).  A criterion
 * given as a reference is reduced to one value first. */
static int ifs_run(xc_fncall *c, int first, int npairs, const xc_value *vals,
                   int resize, xc_ifs_fn fn, void *ud, xc_error *err,
                   ifs_sum *want)
{
    int n = npairs >= 0 ? npairs : (c->argc - first) / 2, st = XC_OK, k;
    const xc_value **ranges = NULL;
    xc_criteria **crits = NULL;
    xc_value *cvals = NULL;
    const xc_value **cptrs = NULL;
    *err = XC_ERR_NONE;
    if (n < 1 || (npairs < 0 && (c->argc - first) % 2) ||
        first + 2 * n > c->argc) {
        *err = XC_ERR_VALUE;
        return XC_OK;
    }
    ranges = xc_calloc((size_t)n, sizeof *ranges);
    crits = xc_calloc((size_t)n, sizeof *crits);
    cvals = xc_calloc((size_t)n, sizeof *cvals);
    cptrs = xc_calloc((size_t)n, sizeof *cptrs);
    if (!ranges || !crits || !cvals || !cptrs) {
        st = XC_ENOMEM;
        goto done;
    }
    for (k = 0; k < n; k++) {
        const xc_value *cv = &c->argv[first + 2 * k + 1];
        ranges[k] = &c->argv[first + 2 * k];
        cptrs[k] = &cvals[k];
        if (cv->type == XC_REF || cv->type == XC_ARRAY)
            st = xc_deref(c->ev, cv, &cvals[k]);
        else
            st = xc_value_copy(&cvals[k], cv);
        if (st == XC_OK)
            st = xc_criteria_new(&crits[k], &cvals[k]);
        if (st != XC_OK)
            goto done;
    }
    st = scan_run(c->ev, n, ranges, crits,
                  may_cache(c, first, n, vals) ? cptrs : NULL, vals, resize, fn,
                  ud, err, want);
done:
    if (crits)
        for (k = 0; k < n; k++)
            xc_criteria_free(crits[k]);
    if (cvals)
        for (k = 0; k < n; k++)
            xc_value_clear(&cvals[k]);
    xc_free(crits);
    xc_free(cvals);
    xc_free((void *)cptrs);
    xc_free((void *)ranges);
    return st;
}

int xc_ifs_args(xc_fncall *c, int first, int npairs, const xc_value *vals,
                int resize, xc_ifs_fn fn, void *ud, xc_error *err)
{
    return ifs_run(c, first, npairs, vals, resize, fn, ud, err, NULL);
}

/* Is criterion argument v applied element-wise: an array, or a range of
 * several cells in an array formula? */
static int liftable(const xc_eval *ev, const xc_value *v)
{
    if (v->type == XC_ARRAY)
        return 1;
    if (v->type != XC_REF || !(ev->flags & XC_EV_ARRAY) || v->u.ref->n != 1)
        return 0;
    const xc_area *a = &v->u.ref->a[0];
    return a->r1 != a->r2 || a->c1 != a->c2;
}

/* Broadcast size: equal sizes, or 1 against anything. */
static uint32_t bcast_dim(uint32_t a, uint32_t b)
{
    return a == 1 ? b : (b == 1 || a == b) ? a : 0;
}

int xc_ifs_lift(xc_fncall *c, int first, xc_value *out, int *lifted)
{
    xc_grid *g = NULL;
    int *which = NULL, nl = 0, st = XC_OK;
    uint32_t rows = 1, cols = 1;
    xc_value *argv = NULL;
    xc_array *arr;
    *lifted = 0;
    for (int i = first + 1; i < c->argc && !g; i += 2)
        if (liftable(c->ev, &c->argv[i])) {
            g = xc_calloc((size_t)c->argc, sizeof *g);
            which = xc_calloc((size_t)c->argc, sizeof *which);
            if (!g || !which) {
                xc_free(g);
                xc_free(which);
                return XC_ENOMEM;
            }
        }
    for (int i = first + 1; g && i < c->argc; i += 2) {
        if (!liftable(c->ev, &c->argv[i]))
            continue;
        if (xc_grid_init(&g[nl], c->ev, &c->argv[i]) != XC_OK)
            continue;
        rows = bcast_dim(rows, g[nl].rows);
        cols = bcast_dim(cols, g[nl].cols);
        which[nl++] = i;
    }
    if (nl == 0)
        goto done;
    *lifted = 1;
    if (rows == 0 || cols == 0 || (uint64_t)rows * cols > 1000000u) {
        xc_result_error(out, XC_ERR_VALUE);
        goto done;
    }
    argv = xc_calloc((size_t)c->argc, sizeof *argv);
    if (!argv) {
        st = XC_ENOMEM;
        goto done;
    }
    for (int i = 0; i < c->argc && st == XC_OK; i++)
        st = xc_value_copy(&argv[i], &c->argv[i]);
    if (st == XC_OK)
        st = xc_value_set_array(out, rows, cols, &arr);
    for (uint32_t r = 0; r < rows && st == XC_OK; r++)
        for (uint32_t k = 0; k < cols && st == XC_OK; k++) {
            xc_fncall sub = *c;
            for (int j = 0; j < nl && st == XC_OK; j++)
                st = xc_value_copy(&argv[which[j]],
                                   xc_grid_get(&g[j], g[j].rows == 1 ? 0 : r,
                                               g[j].cols == 1 ? 0 : k));
            sub.argv = argv;
            if (st == XC_OK)
                st = c->def->impl(&sub, &arr->v[(size_t)r * cols + k]);
        }
    for (int i = 0; i < c->argc; i++)
        xc_value_clear(&argv[i]);
    xc_free(argv);
done:
    xc_free(g);
    xc_free(which);
    return st;
}

/* ---- Conditional aggregates ------------------------------------------ */

typedef struct ifagg {
    int mode, excel;
    xc_num acc;
    int64_t n;
    unsigned inx;
    xc_error err;
    int st;
} ifagg;

static int ifagg_cb(void *ud, const xc_value *v, uint64_t times)
{
    ifagg *a = ud;
    (void)times; /* runs of matching empty cells hold no number */
    if (!v)
        return XC_OK;
    if (v->type == XC_ERROR) {
        a->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if (v->type != XC_NUMBER)
        return XC_OK;
    a->inx |= v->flags & XC_VAL_INEXACT;
    if (a->excel && a->mode == XC_IFAGG_SUM) {
        /* Excel adds doubles: each input and each partial sum rounded */
        double x = xc_num_to_double(&v->u.num);
        double d = xc_num_to_double(&a->acc) + x;
        a->st = isfinite(d) ? xc_num_set_double(&a->acc, d) : XC_ELIMIT;
    } else if (a->mode == XC_IFAGG_SUM || a->mode == XC_IFAGG_AVERAGE) {
        a->st = xc_num_add(&a->acc, &a->acc, &v->u.num);
    } else if (a->n == 0 || xc_num_cmp(&v->u.num, &a->acc) ==
                                (a->mode == XC_IFAGG_MAX ? 1 : -1)) {
        a->st = xc_num_set(&a->acc, &v->u.num);
    }
    a->n++;
    return a->st == XC_OK ? XC_OK : XC_ENOTFOUND;
}

int xc_ifs_aggregate(xc_fncall *c, xc_value *out, int mode, int first,
                     int npairs, const xc_value *vals, int resize)
{
    ifagg a = {
        mode, (c->ev->flags & XC_EV_EXCEL) != 0, {1, {0}}, 0, 0, XC_ERR_NONE,
        XC_OK};
    xc_error e;
    ifs_sum want = {0};
    int st = ifs_run(
        c, first, npairs, vals, resize, ifagg_cb, &a, &e,
        a.excel || mode == XC_IFAGG_MAX || mode == XC_IFAGG_MIN ? NULL : &want);
    if (st == XC_OK && want.served) {
        /* the cache's exact sum of the same numbers */
        a.st = xc_num_set(&a.acc, want.sum);
        a.n = (int64_t)want.nnum;
        a.inx = want.inexact ? XC_VAL_INEXACT : 0;
    }
    if (st == XC_OK && !e && !a.err && a.st == XC_OK &&
        mode == XC_IFAGG_AVERAGE) {
        if (a.n == 0) {
            e = XC_ERR_DIV0;
        } else {
            xc_num n;
            xc_num_init(&n);
            xc_num_set_int(&n, a.n);
            a.st = xc_num_div(&a.acc, &a.acc, &n);
            xc_num_clear(&n);
        }
    }
    if (st != XC_OK || e || a.err || a.st != XC_OK) {
        xc_num_clear(&a.acc);
        if (st != XC_OK)
            return st;
        if (!e && !a.err && a.st != XC_ELIMIT && a.st != XC_EDIVZERO)
            return a.st; /* a C failure (out of memory) */
        xc_result_error(out, e                     ? e
                             : a.err               ? a.err
                             : a.st == XC_EDIVZERO ? XC_ERR_DIV0
                                                   : XC_ERR_NUM);
        return XC_OK;
    }
    return xc_result_num(out, &a.acc, a.inx ? XC_VAL_INEXACT : 0);
}
