/* form_import.c - recognise a budget-performance form on a sheet by its
 * labels (FORMS.md sections 1-2): the self-evaluation 自评表 (fund block,
 * indicator table, 总分), its 中央转移支付 variant, and the target table
 * 目标表 (项目总额, 年度资金总额, 本级/转移 blocks, indicators).
 *
 * Header cells are found by normalised text (spaces, line breaks and
 * full-width forms removed), never by position; data rows are read in
 * the columns of their headers.  A merged group label lives in its
 * top-left cell, so an empty label cell continues the group above. */
#include <stdio.h>
#include <string.h>
#include "form_int.h"

#define NOCOL UINT32_MAX

struct xc_form {
    xc_form_kind kind;
    int sheet;
    char *sheet_name;
    uint32_t start, end;
    char *title;
    xc_form_fund fund[8];
    size_t nfund;
    xc_form_item *items;
    size_t nitems, capitems;
    xc_form_section *sections;
    size_t nsec, capsec;
    xc_form_fig total_points, total_score, grade;
    xc_form_fig project_total, annual_total;
    xc_form_block blocks[4];
    size_t nblocks;
    int64_t unit_scale; /* money unit of the figures in 元: 10000 for 万元 */
    char **strs;        /* string pool: every const char * handed out */
    size_t nstr, capstr;
};

/* One text cell of the sheet, normalised. */
typedef struct tcell {
    uint32_t row, col;
    char *norm;
} tcell;

typedef struct ctx {
    xc_book *b;
    int sheet;
    tcell *t;
    size_t nt;
    xc_buf tmp;
    xc_form *f;
    int st; /* first failure */
} ctx;

/* ---------------------------------------------------------------- */
/* Strings and figures                                               */

static const char *pool(xc_form *f, const char *s, size_t n)
{
    if (f->nstr == f->capstr) {
        size_t cap = f->capstr ? f->capstr * 2 : 32;
        char **p = xc_realloc(f->strs, cap * sizeof *p);
        if (!p)
            return NULL;
        f->strs = p;
        f->capstr = cap;
    }
    char *d = xc_strndup(s, n);
    if (!d)
        return NULL;
    f->strs[f->nstr++] = d;
    return d;
}

static void fig_init(xc_form_fig *g)
{
    memset(g, 0, sizeof *g);
    xc_num_init(&g->v);
    g->text = "";
}

static void fig_clear(xc_form_fig *g)
{
    xc_num_clear(&g->v);
}

/* The value the form states for a cell.  A constant states its current
 * value (a user's edit is the new claim); a formula loaded from a file
 * states its cached value, unless it was saved without one (openpyxl
 * writes none) or edited, when it states what it computes. */
static const xc_value *cellval(ctx *c, uint32_t r, uint32_t col)
{
    const xc_cell *cl = xc_book_cell(c->b, c->sheet, r, col);
    if (cl && xc_book_formula(c->b, c->sheet, r, col) &&
        !(cl->flags & XC_CELL_EDITED)) {
        const xc_value *v = xc_book_stated(c->b, c->sheet, r, col);
        if (v && v->type != XC_EMPTY)
            return v;
    }
    return xc_book_get(c->b, c->sheet, r, col);
}

static const char *numfmt(ctx *c, uint32_t r, uint32_t col)
{
    xc_cell *cl = xc_book_cell(c->b, c->sheet, r, col);
    return cl ? xc_book_style_numfmt(c->b, cl->style) : NULL;
}

/* Read text as a number: "94", "94%", "1,291.61", "9.4分"? (only a
 * trailing % is accepted). */
static int text_number(ctx *c, const char *s, xc_num *v, int *pct)
{
    if (xc_fnorm(&c->tmp, s, strlen(s)) != XC_OK)
        return c->st = XC_ENOMEM, 0;
    char buf[80];
    size_t n = 0;
    const char *p = c->tmp.p ? c->tmp.p : "";
    *pct = 0;
    for (; *p && n < sizeof buf - 1; p++) {
        if (*p == ',')
            continue;
        if (*p == '%' && !p[1]) {
            *pct = 1;
            break;
        }
        buf[n++] = *p;
    }
    if (*p && !*pct)
        return 0;
    if (n == 0 || xc_num_parse(v, buf, n, 0, NULL) != XC_OK)
        return 0;
    if (*pct && xc_num_scale10(v, v, -2) != XC_OK)
        return 0;
    return 1;
}

/* Fill fig from cell (r, col). */
static void read_fig(ctx *c, xc_form_fig *g, uint32_t r, uint32_t col)
{
    g->kind = XC_FIG_NONE;
    g->text = "";
    g->percent = 0;
    xc_num_set_int(&g->v, 0);
    if (col == NOCOL)
        return;
    g->row = r;
    g->col = col;
    const xc_value *v = cellval(c, r, col);
    if (v->type == XC_NUMBER) {
        g->kind = XC_FIG_NUM;
        if (xc_num_set(&g->v, &v->u.num) != XC_OK)
            c->st = XC_ENOMEM;
        const char *fmt = numfmt(c, r, col);
        g->percent = fmt && strchr(fmt, '%') != NULL;
        return;
    }
    if (v->type != XC_TEXT) {
        g->kind = XC_FIG_BLANK;
        return;
    }
    const char *s = v->u.str->s;
    const char *t = pool(c->f, s, v->u.str->len);
    if (!t) {
        c->st = XC_ENOMEM;
        return;
    }
    g->text = t;
    if (xc_fnorm(&c->tmp, s, v->u.str->len) != XC_OK) {
        c->st = XC_ENOMEM;
        return;
    }
    const char *nn = c->tmp.p ? c->tmp.p : "";
    if (!*nn || xc_fdash(nn)) {
        g->kind = XC_FIG_BLANK;
        return;
    }
    int pct;
    if (text_number(c, s, &g->v, &pct)) {
        g->kind = XC_FIG_NUM;
        g->percent = pct;
        return;
    }
    g->kind = XC_FIG_TEXT;
}

/* ---------------------------------------------------------------- */
/* The sheet's text cells                                            */

static int load_texts(ctx *c)
{
    uint32_t rows, cols;
    xc_book_sheet_extent(c->b, c->sheet, &rows, &cols);
    if (rows == 0)
        return XC_OK;
    xc_area a = {c->sheet, c->sheet, 0, 0, rows - 1, cols - 1};
    xc_iter it;
    xc_iter_init(&it, c->b, &a);
    size_t cap = 0;
    uint32_t r, col;
    xc_cell *cl;
    while ((cl = xc_iter_next(&it, &r, &col)) != NULL) {
        const xc_value *v = cellval(c, r, col);
        if (v->type != XC_TEXT)
            continue;
        if (xc_fnorm(&c->tmp, v->u.str->s, v->u.str->len) != XC_OK)
            return XC_ENOMEM;
        if (!c->tmp.len)
            continue;
        if (c->nt == cap) {
            cap = cap ? cap * 2 : 256;
            tcell *p = xc_realloc(c->t, cap * sizeof *p);
            if (!p)
                return XC_ENOMEM;
            c->t = p;
        }
        char *d = xc_strndup(c->tmp.p, c->tmp.len);
        if (!d)
            return XC_ENOMEM;
        c->t[c->nt].row = r;
        c->t[c->nt].col = col;
        c->t[c->nt].norm = d;
        c->nt++;
    }
    return XC_OK;
}

/* Normalised text of (r, col), "" when none (texts are row-major). */
static size_t lower(const ctx *c, uint32_t r, uint32_t col);
static const char *T(const ctx *c, uint32_t r, uint32_t col)
{
    size_t i = lower(c, r, col);
    if (i < c->nt && c->t[i].row == r && c->t[i].col == col)
        return c->t[i].norm;
    return "";
}

/* Strip a leading "其中:" and trailing ':' into out. */
static const char *label_key(const char *s, char *out, size_t cap)
{
    if (fstarts(s, "其中:"))
        s += strlen("其中:");
    else if (fstarts(s, "其中"))
        s += strlen("其中");
    snprintf(out, cap, "%s", s);
    size_t n = strlen(out);
    while (n && (out[n - 1] == ':'))
        out[--n] = 0;
    return out;
}

/* Index of the first text cell at or after (r, col). */
static size_t lower(const ctx *c, uint32_t r, uint32_t col)
{
    size_t lo = 0, hi = c->nt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const tcell *t = &c->t[mid];
        if (t->row < r || (t->row == r && t->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the first text cell in rows [r1, r2] matching pred, or -1. */
typedef int (*pred_fn)(const char *norm);
static long find_first(const ctx *c, uint32_t r1, uint32_t r2, pred_fn p)
{
    for (size_t i = lower(c, r1, 0); i < c->nt && c->t[i].row <= r2; i++)
        if (p(c->t[i].norm))
            return (long)i;
    return -1;
}

/* Column of the first cell in row r matching pred. */
static uint32_t col_in_row(const ctx *c, uint32_t r, pred_fn p)
{
    for (size_t i = lower(c, r, 0); i < c->nt && c->t[i].row == r; i++)
        if (p(c->t[i].norm))
            return c->t[i].col;
    return NOCOL;
}

/* The first non-empty cell right of (r, col) up to col `limit`. */
static uint32_t next_right(ctx *c, uint32_t r, uint32_t col, uint32_t limit)
{
    uint32_t rows, cols;
    xc_book_sheet_extent(c->b, c->sheet, &rows, &cols);
    if (limit > cols)
        limit = cols;
    for (uint32_t k = col + 1; k < limit; k++) {
        const xc_value *v = cellval(c, r, k);
        if (v->type != XC_EMPTY)
            return k;
    }
    return NOCOL;
}

/* ---------------------------------------------------------------- */
/* Label predicates                                                  */

static int p_anchor(const char *s)
{
    return !strcmp(s, "项目名称") || !strcmp(s, "项目名称:") ||
           (fstarts(s, "转移支付") && fends(s, "名称"));
}
static int p_budget_hdr(const char *s)
{
    return fstarts(s, "全年预算数");
}
static int p_initial(const char *s)
{
    return fstarts(s, "年初预算数");
}
static int p_exec_hdr(const char *s)
{
    return fstarts(s, "全年执行数");
}
static int p_points(const char *s)
{
    return !strcmp(s, "分值");
}
static int p_score(const char *s)
{
    return !strcmp(s, "得分") || !strcmp(s, "自评得分");
}
static int p_rate(const char *s)
{
    return fcontains(s, "执行率");
}
static int p_fund_total(const char *s)
{
    return fstarts(s, "年度资金总额");
}
static int p_l3(const char *s)
{
    return !strcmp(s, "三级指标");
}
static int p_l1(const char *s)
{
    return !strcmp(s, "一级指标");
}
static int p_l2(const char *s)
{
    return !strcmp(s, "二级指标");
}
static int p_target(const char *s)
{
    return !strcmp(s, "年度指标值") || !strcmp(s, "指标值") ||
           !strcmp(s, "绩效值") || !strcmp(s, "年度目标值") ||
           !strcmp(s, "目标值") || !strcmp(s, "绩效指标值") ||
           fstarts(s, "年度指标值");
}
static int p_actual(const char *s)
{
    return fcontains(s, "实际完成值") || !strcmp(s, "实际值") ||
           !strcmp(s, "完成值") || !strcmp(s, "实际完成");
}
static int p_deviation(const char *s)
{
    return fcontains(s, "偏差") || fcontains(s, "原因");
}
static int p_total_row(const char *s)
{
    return !strcmp(s, "总分") || !strcmp(s, "合计") || !strcmp(s, "总计");
}
static int p_grade(const char *s)
{
    return fends(s, "等级") && strlen(s) <= 18;
}

/* ---------------------------------------------------------------- */
/* Self-evaluation: fund block                                       */

static int fund_component(const char *k)
{
    if (!*k || !strcmp(k, "资金管理情况") || fstarts(k, "年度总体目标") ||
        fstarts(k, "年度资金总额"))
        return 0;
    return fcontains(k, "资金") || fcontains(k, "拨款") ||
           fcontains(k, "结转") || fcontains(k, "结余");
}

/* Read the fund block whose header row is hr; returns 1 if found. */
static int import_fund(ctx *c, uint32_t hr, uint32_t end)
{
    xc_form *f = c->f;
    uint32_t cb = col_in_row(c, hr, p_budget_hdr);
    uint32_t ce = col_in_row(c, hr, p_exec_hdr);
    if (cb == NOCOL || ce == NOCOL)
        return 0;
    uint32_t ci = col_in_row(c, hr, p_initial);
    uint32_t cp = col_in_row(c, hr, p_points);
    uint32_t cr = col_in_row(c, hr, p_rate);
    uint32_t cs = col_in_row(c, hr, p_score);
    f->kind = (cp != NOCOL && cs != NOCOL) ? XC_FORM_SELFEVAL : XC_FORM_CENTRAL;
    long ti = find_first(c, hr + 1, hr + 8 < end ? hr + 8 : end, p_fund_total);
    if (ti < 0)
        return 1;
    uint32_t r = c->t[ti].row, lc = c->t[ti].col;
    char key[200];
    for (; r <= end && f->nfund < sizeof f->fund / sizeof f->fund[0]; r++) {
        /* the label: the last text cell left of the first figure column */
        uint32_t first = ci != NOCOL && ci < cb ? ci : cb;
        const char *lab = NULL;
        uint32_t labcol = lc;
        for (uint32_t k = 0; k < first; k++) {
            const char *t = T(c, r, k);
            if (*t) {
                lab = t;
                labcol = k;
            }
        }
        if (!lab)
            break;
        label_key(lab, key, sizeof key);
        if (f->nfund > 0 && !fund_component(key))
            break;
        xc_form_fund *fr = &f->fund[f->nfund++];
        fig_init(&fr->initial);
        fig_init(&fr->budget);
        fig_init(&fr->exec);
        fig_init(&fr->points);
        fig_init(&fr->rate);
        fig_init(&fr->score);
        fr->label = pool(f, key, strlen(key));
        if (!fr->label)
            return c->st = XC_ENOMEM, 1;
        fr->row = r;
        fr->col = labcol;
        read_fig(c, &fr->initial, r, ci);
        read_fig(c, &fr->budget, r, cb);
        read_fig(c, &fr->exec, r, ce);
        read_fig(c, &fr->points, r, cp);
        read_fig(c, &fr->rate, r, cr);
        read_fig(c, &fr->score, r, cs);
    }
    return 1;
}

/* ---------------------------------------------------------------- */
/* Indicator table                                                   */

/* "1-产出指标" -> "产出指标"; also drops a "(50分)" weight into *w. */
static const char *strip_l(const char *s, char *out, size_t cap, xc_num *w,
                           int *has_w)
{
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p != s && (*p == '-' || *p == '.' || *p == ')'))
        s = p + 1;
    snprintf(out, cap, "%s", s);
    if (has_w)
        *has_w = 0;
    char *o = strchr(out, '(');
    if (o) {
        char *e = strstr(o, "分)");
        if (e) {
            if (w && has_w) {
                const char *d = o + 1;
                size_t n = (size_t)(e - d);
                if (n > 0 && xc_num_parse(w, d, n, 0, NULL) == XC_OK)
                    *has_w = 1;
            }
            *o = 0;
        }
    } else if (fends(out, "分")) {
        /* "产出指标50分" */
        size_t n = strlen(out) - strlen("分"), k = n;
        while (k > 0 && out[k - 1] >= '0' && out[k - 1] <= '9')
            k--;
        if (k < n && k > 0) {
            if (w && has_w && xc_num_parse(w, out + k, n - k, 0, NULL) == XC_OK)
                *has_w = 1;
            out[k] = 0;
        }
    }
    return out;
}

static int is_l1_name(const char *k)
{
    return !strcmp(k, "产出指标") || !strcmp(k, "效益指标") ||
           !strcmp(k, "满意度指标") || !strcmp(k, "产出") ||
           !strcmp(k, "效益") || !strcmp(k, "满意度");
}

static int is_l2_name(const char *k)
{
    static const char *const w[] = {
        "数量指标", "质量指标", "时效指标",   "成本指标",       "经济效益",
        "社会效益", "生态效益", "可持续影响", "服务对象满意度", NULL};
    for (const char *const *p = w; *p; p++)
        if (fstarts(k, *p))
            return 1;
    return 0;
}

static int item_push(xc_form *f, xc_form_item **out)
{
    if (f->nitems == f->capitems) {
        size_t cap = f->capitems ? f->capitems * 2 : 16;
        xc_form_item *p = xc_realloc(f->items, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        f->items = p;
        f->capitems = cap;
    }
    xc_form_item *it = &f->items[f->nitems++];
    memset(it, 0, sizeof *it);
    fig_init(&it->target);
    fig_init(&it->actual);
    fig_init(&it->points);
    fig_init(&it->score);
    fig_init(&it->deviation);
    xc_indicator_init(&it->tgt);
    xc_indicator_init(&it->act);
    *out = it;
    return XC_OK;
}

static int section_push(xc_form *f, const char *name, uint32_t r, uint32_t col,
                        const xc_num *w, int has_w)
{
    if (f->nsec == f->capsec) {
        size_t cap = f->capsec ? f->capsec * 2 : 8;
        xc_form_section *p = xc_realloc(f->sections, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        f->sections = p;
        f->capsec = cap;
    }
    xc_form_section *s = &f->sections[f->nsec];
    memset(s, 0, sizeof *s);
    xc_num_init(&s->weight);
    f->nsec++;
    s->name = pool(f, name, strlen(name));
    s->row = r;
    s->col = col;
    s->has_weight = has_w;
    if (!s->name || (has_w && xc_num_set(&s->weight, w) != XC_OK))
        return XC_ENOMEM;
    return XC_OK;
}

static int end_of_items(const char *s)
{
    return p_total_row(s) || fstarts(s, "说明") || fstarts(s, "注意事项") ||
           fstarts(s, "注:") || fstarts(s, "注1") || fstarts(s, "核对") ||
           fstarts(s, "填报说明");
}

static void import_items(ctx *c, uint32_t hr, uint32_t end)
{
    xc_form *f = c->f;
    uint32_t c1 = col_in_row(c, hr, p_l1), c2 = col_in_row(c, hr, p_l2);
    uint32_t c3 = col_in_row(c, hr, p_l3), ct = col_in_row(c, hr, p_target);
    uint32_t ca = col_in_row(c, hr, p_actual);
    uint32_t cp = col_in_row(c, hr, p_points);
    uint32_t cs = col_in_row(c, hr, p_score);
    uint32_t cd = col_in_row(c, hr, p_deviation);
    if (ct == NOCOL)
        ct = c3 != NOCOL ? c3 + 1 : NOCOL;
    if (ct == NOCOL)
        return;
    const char *l1 = "", *l2 = "";
    int sec = -1;
    char key[512], nm[1200];
    xc_num w;
    xc_num_init(&w);
    for (uint32_t r = hr + 1; r <= end && c->st == XC_OK; r++) {
        /* stop at 总分, notes, or the formula version's check block */
        int stop = 0;
        for (uint32_t k = 0; k <= ct; k++) {
            const char *t = T(c, r, k);
            if (!*t)
                continue;
            if (end_of_items(t)) {
                stop = 1;
                if (p_total_row(t)) {
                    read_fig(c, &f->total_points, r, cp);
                    read_fig(c, &f->total_score, r, cs);
                }
            }
            break;
        }
        if (stop)
            break;
        /* labels left of the target column */
        const char *name = NULL;
        uint32_t name_col = NOCOL;
        for (uint32_t k = 0; k < ct && c->st == XC_OK; k++) {
            const char *t = T(c, r, k);
            if (!*t || !strcmp(t, "绩效指标"))
                continue;
            int has_w;
            strip_l(t, key, sizeof key, &w, &has_w);
            if (c3 != NOCOL && k >= c3) {
                name = t;
                name_col = k;
            } else if (has_w || is_l1_name(key) ||
                       (k == c1 && !is_l2_name(key))) {
                l1 = pool(f, key, strlen(key));
                l2 = "";
                if (!l1 || section_push(f, key, r, k, &w, has_w) != XC_OK)
                    c->st = XC_ENOMEM;
                sec = (int)f->nsec - 1;
            } else if (is_l2_name(key) || k == c2) {
                l2 = pool(f, key, strlen(key));
                if (!l2)
                    c->st = XC_ENOMEM;
            } else {
                name = t;
                name_col = k;
            }
        }
        if (c->st != XC_OK)
            break;
        const xc_value *tv = cellval(c, r, ct);
        if (!name && tv->type == XC_EMPTY)
            continue;
        xc_form_item *it;
        if (item_push(f, &it) != XC_OK) {
            c->st = XC_ENOMEM;
            break;
        }
        it->section = sec;
        it->level1 = l1;
        it->level2 = l2;
        it->name = pool(f, name ? name : "", name ? strlen(name) : 0);
        if (!it->name) {
            c->st = XC_ENOMEM;
            break;
        }
        it->row = r;
        it->name_col = name_col == NOCOL ? ct : name_col;
        read_fig(c, &it->target, r, ct);
        read_fig(c, &it->actual, r, ca);
        read_fig(c, &it->points, r, cp);
        read_fig(c, &it->score, r, cs);
        read_fig(c, &it->deviation, r, cd);
        snprintf(nm, sizeof nm, "%s %s", l2, it->name);
        if (xc_indicator_from_value(&it->tgt, tv, numfmt(c, r, ct), nm) !=
            XC_OK)
            c->st = XC_ENOMEM;
        if (ca != NOCOL &&
            xc_indicator_from_value(&it->act, cellval(c, r, ca),
                                    numfmt(c, r, ca), NULL) != XC_OK)
            c->st = XC_ENOMEM;
    }
    xc_num_clear(&w);
}

/* ---------------------------------------------------------------- */
/* Target table: funding                                             */

static int p_project_total(const char *s)
{
    return !strcmp(s, "项目总额") || !strcmp(s, "项目总金额") ||
           !strcmp(s, "项目总额:") || !strcmp(s, "项目总金额:");
}
static int p_annual(const char *s)
{
    char k[64];
    label_key(s, k, sizeof k);
    return !strcmp(k, "年度资金总额") || !strcmp(k, "项目年度金额") ||
           !strcmp(k, "年度金额");
}
static int p_block(const char *s)
{
    char k[128];
    label_key(s, k, sizeof k);
    return !strcmp(k, "本级资金") || fstarts(k, "转移市县") ||
           fstarts(k, "转移资金");
}

/* A block labelled at (r, col): sub-labels in the following columns of
 * rows r.. until the label column holds other text. */
static void read_block(ctx *c, uint32_t r0, uint32_t col, uint32_t limit,
                       uint32_t end, const char *label)
{
    xc_form *f = c->f;
    if (f->nblocks >= sizeof f->blocks / sizeof f->blocks[0])
        return;
    xc_form_block *bl = &f->blocks[f->nblocks++];
    memset(bl, 0, sizeof *bl);
    fig_init(&bl->total);
    for (size_t i = 0; i < 6; i++)
        fig_init(&bl->comp[i]);
    bl->label = pool(f, label, strlen(label));
    bl->row = r0;
    bl->col = col;
    if (!bl->label) {
        c->st = XC_ENOMEM;
        return;
    }
    char key[128];
    for (uint32_t r = r0; r <= end && r < r0 + 6; r++) {
        if (r > r0 && *T(c, r, col))
            break;
        for (uint32_t k = col + 1; k < limit; k++) {
            const char *t = T(c, r, k);
            if (!*t)
                continue;
            label_key(t, key, sizeof key);
            if (!fcontains(key, "资金") && !fcontains(key, "拨款") &&
                !fcontains(key, "结转"))
                continue;
            uint32_t vc = next_right(c, r, k, limit);
            if (!strcmp(key, "资金总额")) {
                read_fig(c, &bl->total, r, vc == NOCOL ? k + 1 : vc);
            } else if (bl->ncomp < 6) {
                bl->comp_label[bl->ncomp] = pool(f, key, strlen(key));
                read_fig(c, &bl->comp[bl->ncomp], r, vc == NOCOL ? k + 1 : vc);
                bl->ncomp++;
            }
            break;
        }
    }
}

static void import_target_funding(ctx *c, uint32_t start, uint32_t end)
{
    xc_form *f = c->f;
    uint32_t rows, cols;
    xc_book_sheet_extent(c->b, c->sheet, &rows, &cols);
    long i = find_first(c, start, end, p_project_total);
    uint32_t ptr = 0, ptc = 0;
    if (i >= 0) {
        ptr = c->t[i].row;
        ptc = c->t[i].col;
        uint32_t vc = next_right(c, ptr, ptc, cols);
        read_fig(c, &f->project_total, ptr, vc == NOCOL ? ptc + 1 : vc);
    }
    i = find_first(c, start, end, p_annual);
    if (i >= 0) {
        uint32_t vc = next_right(c, c->t[i].row, c->t[i].col, cols);
        read_fig(c, &f->annual_total, c->t[i].row,
                 vc == NOCOL ? c->t[i].col + 1 : vc);
    }
    /* 本级 / 转移 blocks: columns up to the next block label */
    for (size_t k = 0; k < c->nt && c->st == XC_OK; k++) {
        const tcell *t = &c->t[k];
        if (t->row < start || t->row > end || !p_block(t->norm))
            continue;
        uint32_t limit = cols;
        for (size_t j = k + 1; j < c->nt && c->t[j].row == t->row; j++)
            if (p_block(c->t[j].norm)) {
                limit = c->t[j].col;
                break;
            }
        char key[128];
        label_key(t->norm, key, sizeof key);
        read_block(c, t->row, t->col, limit, end, key);
    }
    /* older tables: 项目总金额 with 其中:财政拨款 / 其他资金 below */
    if (f->nblocks == 0 && i < 0 && f->project_total.kind != XC_FIG_NONE) {
        xc_form_block *bl = &f->blocks[f->nblocks++];
        memset(bl, 0, sizeof *bl);
        fig_init(&bl->total);
        for (size_t j = 0; j < 6; j++)
            fig_init(&bl->comp[j]);
        bl->label = "项目资金";
        bl->row = ptr;
        bl->col = ptc;
        read_fig(c, &bl->total, f->project_total.row, f->project_total.col);
        char key[128];
        for (uint32_t r = ptr + 1; r <= end && r < ptr + 5; r++) {
            const char *t = T(c, r, ptc);
            label_key(t, key, sizeof key);
            if (!fcontains(key, "拨款") && !fcontains(key, "资金") &&
                !fcontains(key, "结转"))
                break;
            uint32_t vc = next_right(c, r, ptc, cols);
            bl->comp_label[bl->ncomp] = pool(f, key, strlen(key));
            read_fig(c, &bl->comp[bl->ncomp], r, vc == NOCOL ? ptc + 1 : vc);
            if (++bl->ncomp == 6)
                break;
        }
        if (bl->ncomp == 0)
            f->nblocks = 0;
    }
}

/* ---------------------------------------------------------------- */
/* Entry point                                                       */

static void form_init(xc_form *f)
{
    memset(f, 0, sizeof *f);
    f->unit_scale = 10000;
    fig_init(&f->total_points);
    fig_init(&f->total_score);
    fig_init(&f->grade);
    fig_init(&f->project_total);
    fig_init(&f->annual_total);
}

void xc_form_free(xc_form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nfund; i++) {
        fig_clear(&f->fund[i].initial);
        fig_clear(&f->fund[i].budget);
        fig_clear(&f->fund[i].exec);
        fig_clear(&f->fund[i].points);
        fig_clear(&f->fund[i].rate);
        fig_clear(&f->fund[i].score);
    }
    for (size_t i = 0; i < f->nitems; i++) {
        xc_form_item *it = &f->items[i];
        fig_clear(&it->target);
        fig_clear(&it->actual);
        fig_clear(&it->points);
        fig_clear(&it->score);
        fig_clear(&it->deviation);
        xc_indicator_clear(&it->tgt);
        xc_indicator_clear(&it->act);
    }
    for (size_t i = 0; i < f->nsec; i++)
        xc_num_clear(&f->sections[i].weight);
    for (size_t i = 0; i < f->nblocks; i++) {
        fig_clear(&f->blocks[i].total);
        for (size_t j = 0; j < 6; j++)
            fig_clear(&f->blocks[i].comp[j]);
    }
    fig_clear(&f->total_points);
    fig_clear(&f->total_score);
    fig_clear(&f->grade);
    fig_clear(&f->project_total);
    fig_clear(&f->annual_total);
    for (size_t i = 0; i < f->nstr; i++)
        xc_free(f->strs[i]);
    xc_free(f->strs);
    xc_free(f->items);
    xc_free(f->sections);
    xc_free(f->sheet_name);
    xc_free(f->title);
    xc_free(f);
}

static void ctx_clear(ctx *c)
{
    for (size_t i = 0; i < c->nt; i++)
        xc_free(c->t[i].norm);
    xc_free(c->t);
    xc_buf_clear(&c->tmp);
}

/* Recognise the form in rows [start, end]; 1 when one was found. */
static int recognise(ctx *c, uint32_t start, uint32_t end)
{
    xc_form *f = c->f;
    uint32_t rows, cols;
    xc_book_sheet_extent(c->b, c->sheet, &rows, &cols);
    long a = find_first(c, start, end, p_anchor);
    if (a >= 0) {
        uint32_t vc = next_right(c, c->t[a].row, c->t[a].col, cols);
        if (vc != NOCOL) {
            const xc_value *v = cellval(c, c->t[a].row, vc);
            if (v->type == XC_TEXT) {
                f->title = xc_strndup(v->u.str->s, v->u.str->len);
                if (!f->title)
                    c->st = XC_ENOMEM;
            }
        }
    }
    long fh = find_first(c, start, end, p_budget_hdr);
    int found = 0;
    if (fh >= 0)
        found = import_fund(c, c->t[fh].row, end);
    long ih = find_first(c, fh >= 0 ? c->t[fh].row : start, end, p_l3);
    if (ih >= 0) {
        uint32_t hr = c->t[ih].row;
        if (!found) {
            int has_actual = col_in_row(c, hr, p_actual) != NOCOL;
            int has_points = col_in_row(c, hr, p_points) != NOCOL;
            if (has_actual)
                f->kind = has_points ? XC_FORM_SELFEVAL : XC_FORM_CENTRAL;
            else
                f->kind = XC_FORM_TARGET;
            found = 1;
        }
        import_items(c, hr, end);
    }
    if (!found)
        return 0;
    if (f->kind == XC_FORM_TARGET)
        import_target_funding(c, start, end);
    /* the money unit: "单位：元" above the table, or "项目资金（元）" */
    uint32_t ustart = start > 4 ? start - 4 : 0;
    for (size_t k = 0; k < c->nt; k++) {
        const tcell *t = &c->t[k];
        if (t->row < ustart || t->row > end)
            continue;
        if (!strcmp(t->norm, "单位:元") || !strcmp(t->norm, "项目资金(元)") ||
            !strcmp(t->norm, "资金投入情况(元)") || !strcmp(t->norm, "(元)")) {
            f->unit_scale = 1;
            break;
        }
    }
    long g = find_first(c, start, end, p_grade);
    if (g >= 0) {
        uint32_t vc = next_right(c, c->t[g].row, c->t[g].col, cols);
        if (vc != NOCOL)
            read_fig(c, &f->grade, c->t[g].row, vc);
    }
    return 1;
}

/* Import the first form at or after row `from` of the sheet whose texts
 * c holds: each anchor (项目名称) opens a region that ends before the
 * next one; a region without a form is skipped. */
static int import_from(ctx *c, uint32_t from, uint32_t rows, xc_form **out)
{
    *out = NULL;
    for (;;) {
        if (from >= rows)
            return XC_ENOTFOUND;
        uint32_t start = from, end = rows - 1;
        long a = find_first(c, from, rows - 1, p_anchor);
        if (a >= 0) {
            start = c->t[a].row;
            for (size_t i = (size_t)a + 1; i < c->nt; i++)
                if (c->t[i].row > start && p_anchor(c->t[i].norm)) {
                    end = c->t[i].row - 1;
                    break;
                }
        } else if (from > 0) {
            return XC_ENOTFOUND;
        }
        xc_form *f = xc_malloc(sizeof *f);
        if (!f)
            return XC_ENOMEM;
        form_init(f);
        c->f = f;
        c->st = XC_OK;
        f->sheet = c->sheet;
        f->start = start;
        f->end = end;
        const char *sn = xc_book_sheet_name(c->b, c->sheet);
        f->sheet_name = xc_strndup(sn ? sn : "", sn ? strlen(sn) : 0);
        int found = f->sheet_name ? recognise(c, start, end) : 0;
        int st = f->sheet_name ? c->st : XC_ENOMEM;
        c->f = NULL;
        if (st != XC_OK) {
            xc_form_free(f);
            return st;
        }
        if (found) {
            *out = f;
            return XC_OK;
        }
        xc_form_free(f);
        if (a < 0)
            return XC_ENOTFOUND;
        from = end + 1; /* nothing here: try the next anchor */
    }
}

/* Set up c for sheet of b and read its texts. */
static int ctx_open(ctx *c, xc_book *b, int sheet, uint32_t *rows)
{
    memset(c, 0, sizeof *c);
    c->b = b;
    c->sheet = sheet;
    xc_buf_init(&c->tmp);
    uint32_t cols;
    xc_book_sheet_extent(b, sheet, rows, &cols);
    return load_texts(c);
}

int xc_form_import(xc_book *b, int sheet, uint32_t from, xc_form **out)
{
    *out = NULL;
    if (!b || sheet < 0 || sheet >= xc_book_sheet_count(b))
        return XC_EINVAL;
    uint32_t rows;
    ctx c;
    int st = ctx_open(&c, b, sheet, &rows);
    if (st == XC_OK)
        st = import_from(&c, from, rows, out);
    ctx_clear(&c);
    return st;
}

int xc_form_import_each(xc_book *b, int sheet,
                        int (*fn)(void *ud, const xc_form *f), void *ud)
{
    if (!b || sheet < 0 || sheet >= xc_book_sheet_count(b) || !fn)
        return XC_EINVAL;
    uint32_t rows;
    ctx c;
    int st = ctx_open(&c, b, sheet, &rows);
    uint32_t from = 0;
    while (st == XC_OK) {
        xc_form *f;
        st = import_from(&c, from, rows, &f);
        if (st != XC_OK)
            break;
        from = f->end + 1;
        st = fn(ud, f);
        xc_form_free(f);
    }
    ctx_clear(&c);
    return st == XC_ENOTFOUND ? XC_OK : st;
}

/* ---------------------------------------------------------------- */
/* Accessors                                                         */

xc_form_kind xc_form_kind_of(const xc_form *f)
{
    return f->kind;
}
int xc_form_sheet(const xc_form *f)
{
    return f->sheet;
}
const char *xc_form_sheet_name(const xc_form *f)
{
    return f->sheet_name;
}
uint32_t xc_form_start_row(const xc_form *f)
{
    return f->start;
}
uint32_t xc_form_end_row(const xc_form *f)
{
    return f->end;
}
const char *xc_form_title(const xc_form *f)
{
    return f->title ? f->title : "";
}
size_t xc_form_fund_count(const xc_form *f)
{
    return f->nfund;
}
const xc_form_fund *xc_form_fund_row(const xc_form *f, size_t i)
{
    return i < f->nfund ? &f->fund[i] : NULL;
}
size_t xc_form_item_count(const xc_form *f)
{
    return f->nitems;
}
const xc_form_item *xc_form_item_at(const xc_form *f, size_t i)
{
    return i < f->nitems ? &f->items[i] : NULL;
}
size_t xc_form_section_count(const xc_form *f)
{
    return f->nsec;
}
const xc_form_section *xc_form_section_at(const xc_form *f, size_t i)
{
    return i < f->nsec ? &f->sections[i] : NULL;
}
const xc_form_fig *xc_form_total_points(const xc_form *f)
{
    return &f->total_points;
}
const xc_form_fig *xc_form_total_score(const xc_form *f)
{
    return &f->total_score;
}
const xc_form_fig *xc_form_grade(const xc_form *f)
{
    return &f->grade;
}
const xc_form_fig *xc_form_project_total(const xc_form *f)
{
    return &f->project_total;
}
const xc_form_fig *xc_form_annual_total(const xc_form *f)
{
    return &f->annual_total;
}
int64_t xc_form_unit_scale(const xc_form *f)
{
    return f->unit_scale;
}
size_t xc_form_block_count(const xc_form *f)
{
    return f->nblocks;
}
const xc_form_block *xc_form_block_at(const xc_form *f, size_t i)
{
    return i < f->nblocks ? &f->blocks[i] : NULL;
}
