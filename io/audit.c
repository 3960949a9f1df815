/* audit.c - the rule catalogue of FORMS.md section 3 over imported
 * forms, and the text and JSON reports.  Every finding names its rule
 * id, the cell, the stated figure, the exact computed value, the
 * rounding policies that reproduce the stated value, and a message in
 * the form's own terms (Chinese, or English on request). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "form_int.h"

struct xc_audit {
    xc_finding *v;
    size_t n, cap;
    char **strs;
    size_t nstr, capstr;
    size_t forms, errors;
};

/* Per-form working state. */
typedef struct actx {
    xc_audit *a;
    const xc_form *f;
    const xc_form_settings *st;
    int status;
    /* policies needed by each non-trivial stated score */
    unsigned masks[256];
    uint32_t mrow[256], mcol[256];
    size_t nmask;
} actx;

/* ---------------------------------------------------------------- */
/* Storage                                                           */

xc_audit *xc_audit_new(void)
{
    xc_audit *a = xc_calloc(1, sizeof *a);
    return a;
}

void xc_audit_free(xc_audit *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nstr; i++)
        xc_free(a->strs[i]);
    xc_free(a->strs);
    xc_free(a->v);
    xc_free(a);
}

static const char *keep(xc_audit *a, const char *s)
{
    if (!s)
        s = "";
    if (a->nstr == a->capstr) {
        size_t cap = a->capstr ? a->capstr * 2 : 64;
        char **p = xc_realloc(a->strs, cap * sizeof *p);
        if (!p)
            return NULL;
        a->strs = p;
        a->capstr = cap;
    }
    char *d = xc_strndup(s, strlen(s));
    if (!d)
        return NULL;
    a->strs[a->nstr++] = d;
    return d;
}

/* Append a finding; msg is chosen by language and formatted. */
static void add(actx *c, const char *rule, xc_severity sev, uint32_t row,
                uint32_t col, const char *stated, const char *computed,
                unsigned policies, const char *zh, const char *en, ...)
    XC_PRINTF(9, 11);

static void add(actx *c, const char *rule, xc_severity sev, uint32_t row,
                uint32_t col, const char *stated, const char *computed,
                unsigned policies, const char *zh, const char *en, ...)
{
    xc_audit *a = c->a;
    if (c->status != XC_OK)
        return;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        xc_finding *p = xc_realloc(a->v, cap * sizeof *p);
        if (!p) {
            c->status = XC_ENOMEM;
            return;
        }
        a->v = p;
        a->cap = cap;
    }
    char msg[2048], cell[24];
    va_list ap;
    va_start(ap, en);
    vsnprintf(msg, sizeof msg, c->st->lang == XC_LANG_EN ? en : zh, ap);
    va_end(ap);
    xc_fa1(cell, sizeof cell, row, col);
    xc_buf pb;
    xc_buf_init(&pb);
    if (xc_policy_names(&pb, policies) != XC_OK) {
        xc_buf_clear(&pb); /* the names written before the failure */
        c->status = XC_ENOMEM;
        return;
    }
    xc_finding *fd = &a->v[a->n];
    fd->rule = rule;
    fd->severity = sev;
    fd->sheet = xc_form_sheet(c->f);
    fd->sheet_name = keep(a, xc_form_sheet_name(c->f));
    fd->row = row;
    fd->col = col;
    fd->cell = keep(a, cell);
    fd->stated = keep(a, stated);
    fd->computed = keep(a, computed);
    fd->policies = keep(a, pb.p ? pb.p : "");
    fd->message = keep(a, msg);
    xc_buf_clear(&pb);
    if (!fd->sheet_name || !fd->cell || !fd->stated || !fd->computed ||
        !fd->policies || !fd->message) {
        c->status = XC_ENOMEM;
        return;
    }
    a->n++;
    if (sev == XC_SEV_ERROR)
        a->errors++;
}

/* ---------------------------------------------------------------- */
/* Formatting figures                                                */

/* Exact text of x into buf (static-size; long values are cut). */
static const char *numtxt(char *buf, size_t cap, const xc_num *x)
{
    xc_buf b;
    xc_buf_init(&b);
    if (xc_num_format(&b, x, XC_FMT_EXACT) != XC_OK)
        snprintf(buf, cap, "?");
    else
        snprintf(buf, cap, "%s", b.p);
    xc_buf_clear(&b);
    return buf;
}

/* x as a percentage: "94.02...%" exact. */
static const char *pcttxt(char *buf, size_t cap, const xc_num *x)
{
    xc_num y;
    xc_num_init(&y);
    char t[400];
    if (xc_num_scale10(&y, x, 2) != XC_OK)
        snprintf(buf, cap, "?");
    else
        snprintf(buf, cap, "%s%%", numtxt(t, sizeof t, &y));
    xc_num_clear(&y);
    return buf;
}

/* What a figure says, as text. */
static const char *figtxt(char *buf, size_t cap, const xc_form_fig *g)
{
    switch (g->kind) {
    case XC_FIG_NUM:
        if (g->text[0])
            snprintf(buf, cap, "%s", g->text);
        else if (g->percent)
            pcttxt(buf, cap, &g->v);
        else
            numtxt(buf, cap, &g->v);
        return buf;
    case XC_FIG_TEXT:
        snprintf(buf, cap, "%s", g->text);
        return buf;
    default:
        buf[0] = 0;
        return buf;
    }
}

static int isnum(const xc_form_fig *g)
{
    return g->kind == XC_FIG_NUM;
}

/* Number of decimals of a terminating x (at most 6; 6 otherwise). */
static int decimals_of(const xc_num *x)
{
    xc_num y;
    xc_num_init(&y);
    int d = 0;
    for (; d < 6; d++) {
        if (xc_num_scale10(&y, x, d) == XC_OK && xc_num_is_int(&y))
            break;
    }
    xc_num_clear(&y);
    return d;
}

/* ---------------------------------------------------------------- */
/* Self-evaluation rules                                             */

/* Record the policies a stated score needs (for score.policy). */
static void note_mask(actx *c, unsigned m, uint32_t row, uint32_t col)
{
    unsigned all = c->st->policies;
    if (m == 0 || (m & all) == all || c->nmask >= 256)
        return;
    c->masks[c->nmask] = m;
    c->mrow[c->nmask] = row;
    c->mcol[c->nmask] = col;
    c->nmask++;
}

/* Does the stated percentage p (percent points) equal rate x 100 at
 * p's precision, rounded half up or truncated? */
static int rate_matches(const xc_num *p, const xc_num *rate)
{
    int d = decimals_of(p);
    xc_num r, q;
    xc_num_init(&r);
    xc_num_init(&q);
    int ok = 0;
    if (xc_num_scale10(&r, rate, 2) == XC_OK) {
        if (xc_num_round(&q, &r, d, XC_ROUND_HALF_UP) == XC_OK &&
            xc_num_equal(&q, p))
            ok = 1;
        if (xc_num_round(&q, &r, d, XC_ROUND_DOWN) == XC_OK &&
            xc_num_equal(&q, p))
            ok = 1;
    }
    xc_num_clear(&r);
    xc_num_clear(&q);
    return ok;
}

/* The stated 执行率 figure against rate: written as 94, 94%, 0.94 or a
 * percent-formatted 0.94. */
static int stated_rate_ok(const xc_form_fig *g, const xc_num *rate)
{
    xc_num p;
    xc_num_init(&p);
    /* a formula stating the rate exactly, as a fraction or in points */
    int ok = xc_num_equal(&g->v, rate) ||
             (xc_num_scale10(&p, rate, 2) == XC_OK && xc_num_equal(&g->v, &p));
    if (ok) {
    } else if (g->percent) {
        if (xc_num_scale10(&p, &g->v, 2) == XC_OK)
            ok = rate_matches(&p, rate);
    } else {
        ok = rate_matches(&g->v, rate);
        if (!ok && xc_num_cmp_int(&g->v, 2) < 0 &&
            xc_num_scale10(&p, &g->v, 2) == XC_OK)
            ok = rate_matches(&p, rate);
    }
    xc_num_clear(&p);
    return ok;
}

/* Sum the numeric figure `which` over fund rows 1..n-1 into s; returns
 * how many were numbers. */
typedef const xc_form_fig *(*figsel)(const xc_form_fund *r);
static const xc_form_fig *sel_initial(const xc_form_fund *r)
{
    return &r->initial;
}
static const xc_form_fig *sel_budget(const xc_form_fund *r)
{
    return &r->budget;
}
static const xc_form_fig *sel_exec(const xc_form_fund *r)
{
    return &r->exec;
}

static int sum_components(actx *c, figsel sel, xc_num *s)
{
    int n = 0;
    xc_num_set_int(s, 0);
    for (size_t i = 1; i < xc_form_fund_count(c->f); i++) {
        const xc_form_fig *g = sel(xc_form_fund_row(c->f, i));
        if (isnum(g)) {
            if (xc_num_add(s, s, &g->v) != XC_OK)
                c->status = XC_ENOMEM;
            n++;
        }
    }
    return n;
}

static void check_fund_sum(actx *c)
{
    const xc_form *f = c->f;
    if (xc_form_fund_count(f) < 2)
        return;
    static const struct {
        figsel sel;
        const char *zh, *en;
    } cols[] = {{sel_initial, "年初预算数", "initial budget"},
                {sel_budget, "全年预算数", "annual budget"},
                {sel_exec, "全年执行数", "executed"}};
    /* were the components filled in at all? */
    int filled = 0;
    xc_num s;
    xc_num_init(&s);
    for (size_t k = 0; k < 3; k++)
        filled += sum_components(c, cols[k].sel, &s);
    if (!filled) {
        xc_num_clear(&s);
        return;
    }
    const xc_form_fund *tot = xc_form_fund_row(f, 0);
    char a[400], b[400];
    for (size_t k = 0; k < 3; k++) {
        const xc_form_fig *g = cols[k].sel(tot);
        if (g->kind == XC_FIG_NONE)
            continue;
        sum_components(c, cols[k].sel, &s);
        int blank = !isnum(g);
        if (blank && xc_num_is_zero(&s))
            continue;
        if (!blank && xc_num_equal(&g->v, &s))
            continue;
        numtxt(b, sizeof b, &s);
        figtxt(a, sizeof a, g);
        if (blank)
            add(c, "fund.sum", XC_SEV_ERROR, g->row, g->col, a, b, 0,
                "%s 的%s为空，而其分项合计为 %s",
                "%s %s is blank while its "
                "components sum to %s",
                tot->label, c->st->lang == XC_LANG_EN ? cols[k].en : cols[k].zh,
                b);
        else
            add(c, "fund.sum", XC_SEV_ERROR, g->row, g->col, a, b, 0,
                "%s 的%s %s 不等于分项合计 %s",
                "%s %s %s differs from the sum of its components %s",
                tot->label, c->st->lang == XC_LANG_EN ? cols[k].en : cols[k].zh,
                a, b);
    }
    xc_num_clear(&s);
}

/* fund.rate on every fund row, fund.over and fund.score on the total. */
static void check_fund_rate_score(actx *c)
{
    const xc_form *f = c->f;
    xc_num bud, ex, rate, ratio, score;
    xc_num_init(&bud);
    xc_num_init(&ex);
    xc_num_init(&rate);
    xc_num_init(&ratio);
    xc_num_init(&score);
    char a[400], b[400];
    for (size_t i = 0; i < xc_form_fund_count(f); i++) {
        const xc_form_fund *r = xc_form_fund_row(f, i);
        int hb = isnum(&r->budget), he = isnum(&r->exec);
        if (hb)
            xc_num_set(&bud, &r->budget.v);
        if (he)
            xc_num_set(&ex, &r->exec.v);
        if (i == 0 && !hb && sum_components(c, sel_budget, &bud) > 0)
            hb = 1;
        if (i == 0 && !he && sum_components(c, sel_exec, &ex) > 0)
            he = 1;
        if (!hb || !he)
            continue;
        if (xc_num_is_zero(&bud)) {
            /* no rate exists: a stated non-zero rate is wrong, and the
             * fund score cannot be computed (an error, not 0 points) */
            if (isnum(&r->rate) && !xc_num_is_zero(&r->rate.v))
                add(c, "fund.rate", XC_SEV_ERROR, r->rate.row, r->rate.col,
                    figtxt(a, sizeof a, &r->rate), "", 0,
                    "%s 全年预算数为 0，执行率无从计算，却填报 %s",
                    "%s annual budget is 0, so there is no rate, yet %s is "
                    "stated",
                    r->label, a);
            if (i == 0 && isnum(&r->points)) {
                const xc_form_fig *g =
                    isnum(&r->score) ? &r->score : &r->budget;
                add(c, "fund.score", XC_SEV_ERROR, g->row, g->col,
                    figtxt(a, sizeof a, g), "", 0,
                    "全年预算数为 0，无法计算执行率（不能按 0 分处理）",
                    "annual budget is 0: the execution rate is undefined "
                    "(an error, not 0 points)");
            }
            continue;
        }
        int cap = c->st->cap_rate;
        if (xc_score_fund(&rate, &ratio, isnum(&r->points) ? &score : NULL, &ex,
                          &bud, isnum(&r->points) ? &r->points.v : NULL,
                          cap) != XC_OK) {
            c->status = XC_ENOMEM;
            break;
        }
        pcttxt(b, sizeof b, &rate);
        if (isnum(&r->rate) && !stated_rate_ok(&r->rate, &rate))
            add(c, "fund.rate", XC_SEV_ERROR, r->rate.row, r->rate.col,
                figtxt(a, sizeof a, &r->rate), b, 0,
                "%s 执行率填报 %s，按全年执行数/全年预算数应为 %s",
                "%s execution rate stated %s; executed/annual budget is %s",
                r->label, a, b);
        if (i != 0)
            continue;
        if (xc_num_cmp_int(&rate, 1) > 0) {
            const xc_form_fig *g = isnum(&r->rate) ? &r->rate : &r->exec;
            add(c, "fund.over", XC_SEV_WARNING, g->row, g->col,
                figtxt(a, sizeof a, g), b, 0,
                "执行率 %s 超过 100%%，请核实全年执行数",
                "execution rate %s "
                "exceeds 100%%: check the executed amount",
                b);
        }
        if (isnum(&r->points) && isnum(&r->score)) {
            unsigned m = xc_policy_match(&r->score.v, &ratio, &score,
                                         &r->points.v, c->st->policies);
            numtxt(b, sizeof b, &score);
            if (!m)
                add(c, "fund.score", XC_SEV_ERROR, r->score.row, r->score.col,
                    figtxt(a, sizeof a, &r->score), b, 0,
                    "资金执行得分填报 %s，按 min(执行率,1)×分值 应为 %s，"
                    "任何取舍规则都得不到该值",
                    "fund score stated %s; min(rate,1) x points is %s and "
                    "no rounding policy gives the stated value",
                    a, b);
            else {
                note_mask(c, m, r->score.row, r->score.col);
                if (!xc_num_equal(&r->score.v, &score))
                    add(c, "fund.score", XC_SEV_INFO, r->score.row,
                        r->score.col, figtxt(a, sizeof a, &r->score), b, m,
                        "资金执行得分 %s 是 %s 取舍后的结果",
                        "fund score %s is %s rounded", a, b);
            }
        }
    }
    xc_num_clear(&bud);
    xc_num_clear(&ex);
    xc_num_clear(&rate);
    xc_num_clear(&ratio);
    xc_num_clear(&score);
}

/* Tier of an item's actual against a qualitative target. */
static xc_ind_tier qual_tier(const xc_form_item *it)
{
    if (it->actual.kind == XC_FIG_TEXT && it->target.kind == XC_FIG_TEXT) {
        xc_buf x, y;
        xc_buf_init(&x);
        xc_buf_init(&y);
        int same =
            xc_fnorm(&x, it->actual.text, strlen(it->actual.text)) == XC_OK &&
            xc_fnorm(&y, it->target.text, strlen(it->target.text)) == XC_OK &&
            x.p && y.p && !strcmp(x.p, y.p);
        xc_buf_clear(&x);
        xc_buf_clear(&y);
        if (same)
            return XC_TIER_MET;
    }
    /* a date against a deadline: on or before it is met */
    if (it->tgt.dir == XC_DIR_DEADLINE && it->act.dir == XC_DIR_DEADLINE &&
        it->tgt.year && it->act.year) {
        long t = it->tgt.year * 10000L +
                 (it->tgt.month ? it->tgt.month : 12) * 100 +
                 (it->tgt.day ? it->tgt.day : 31);
        long a = it->act.year * 10000L +
                 (it->act.month ? it->act.month : 12) * 100 +
                 (it->act.day ? it->act.day : 31);
        return a <= t ? XC_TIER_MET : XC_TIER_UNMET;
    }
    if (it->act.dir == XC_DIR_QUAL || it->act.dir == XC_DIR_DEADLINE)
        return it->act.tier;
    return XC_TIER_UNKNOWN;
}

static const char *tier_name(xc_ind_tier t, int en)
{
    switch (t) {
    case XC_TIER_MET:
        return en ? "achieved [80%, 100%]" : "达成 [80%, 100%]";
    case XC_TIER_PARTIAL:
        return en ? "partly achieved [60%, 80%)" : "部分达成 [60%, 80%)";
    case XC_TIER_UNMET:
        return en ? "not achieved [0, 60%)" : "未达成 [0, 60%)";
    default:
        return "[0, 100%]";
    }
}

/* Does name contain one of the comma-separated words of list? */
static int name_in_list(const char *name, const char *list)
{
    if (!list || !name)
        return 0;
    char w[128];
    while (*list) {
        const char *e = strchr(list, ',');
        size_t n = e ? (size_t)(e - list) : strlen(list);
        if (n > 0 && n < sizeof w) {
            memcpy(w, list, n);
            w[n] = 0;
            if (strstr(name, w))
                return 1;
        }
        if (!e)
            break;
        list = e + 1;
    }
    return 0;
}

/* The target as scored: a shallow copy of it->tgt whose direction the
 * settings may override when the text had no operator.  Read only. */
static xc_indicator effective_target(const xc_form_item *it,
                                     const xc_form_settings *st)
{
    xc_indicator t = it->tgt;
    int free_dir = t.op == XC_OP_NONE || t.op == XC_OP_EQ;
    if (free_dir && t.dir == XC_DIR_POSITIVE &&
        name_in_list(it->name, st->reverse_names))
        t.dir = XC_DIR_REVERSE;
    else if (free_dir && t.dir == XC_DIR_REVERSE &&
             name_in_list(it->name, st->positive_names))
        t.dir = XC_DIR_POSITIVE;
    return t;
}

static void check_item(actx *c, const xc_form_item *it)
{
    char a[600], b[400], tt[600], at[600];
    int en = c->st->lang == XC_LANG_EN;
    figtxt(tt, sizeof tt, &it->target);
    figtxt(at, sizeof at, &it->actual);
    /* value.unparsed */
    if (it->tgt.flags & XC_IND_PLACEHOLDER)
        add(c, "value.unparsed", XC_SEV_WARNING, it->target.row, it->target.col,
            it->target.text, "", 0, "“%s”的指标值“%s”是未填写的占位符",
            "indicator '%s' has a placeholder value '%s'", it->name,
            it->target.text);
    else if (it->tgt.dir == XC_DIR_UNPARSED)
        add(c, "value.unparsed", XC_SEV_INFO, it->target.row, it->target.col,
            figtxt(a, sizeof a, &it->target), "", 0,
            "“%s”的指标值“%s”无法识别为单一目标（%s）",
            "indicator '%s': value '%s' is not a single readable target (%s)",
            it->name, a,
            (it->tgt.flags & XC_IND_MULTI)
                ? (en ? "several figures" : "含多个数值")
                : (en ? "unreadable" : "无法解析"));
    else if (it->tgt.dir == XC_DIR_EMPTY && isnum(&it->points))
        add(c, "value.unparsed", XC_SEV_WARNING, it->target.row, it->target.col,
            "", "", 0, "“%s”有分值但指标值为空",
            "indicator '%s' has points but no target value", it->name);
    if (it->act.flags & XC_IND_PLACEHOLDER)
        add(c, "value.unparsed", XC_SEV_WARNING, it->actual.row, it->actual.col,
            it->actual.text, "", 0, "“%s”的实际完成值“%s”是未填写的占位符",
            "indicator '%s' has a placeholder actual value '%s'", it->name,
            it->actual.text);
    if (!isnum(&it->points) || !isnum(&it->score))
        return;
    const xc_num *pts = &it->points.v, *sc = &it->score.v;
    figtxt(a, sizeof a, &it->score);
    if (xc_num_sign(sc) < 0 || xc_num_cmp(sc, pts) > 0) {
        add(c, "score.range", XC_SEV_ERROR, it->score.row, it->score.col, a,
            numtxt(b, sizeof b, pts), 0, "“%s”得分 %s 超出 [0, 分值 %s]",
            "indicator '%s': score %s is outside [0, points %s]", it->name, a,
            b);
    }
    xc_num ratio, score;
    xc_num_init(&ratio);
    xc_num_init(&score);
    unsigned fl = 0;
    xc_indicator tgt = effective_target(it, c->st);
    if (xc_score_indicator(&ratio, &score, &fl, &tgt, &it->act, pts, c->st) !=
        XC_OK) {
        c->status = XC_ENOMEM;
        goto done;
    }
    if (!(fl & XC_SCORE_NOSCORE)) {
        unsigned m = xc_policy_match(sc, &ratio, &score, pts, c->st->policies);
        numtxt(b, sizeof b, &score);
        if (!m) {
            const char *why_zh =
                (fl & XC_SCORE_MET) ? "目标已完成，应得满分" : "按完成比例计分";
            const char *why_en = (fl & XC_SCORE_MET) ? "target met: full points"
                                                     : "scored in proportion";
            add(c, "score.quant", XC_SEV_ERROR, it->score.row, it->score.col, a,
                b, 0,
                "“%s”（%s → %s，%s）得分填报 %s，计算值 %s，"
                "任何取舍规则都得不到该值（%s）",
                "indicator '%s' (%s -> %s, %s): stated score %s, computed "
                "%s; no rounding policy gives the stated value (%s)",
                it->name, tt, at, xc_ind_dir_name(tgt.dir), a, b,
                en ? why_en : why_zh);
        } else {
            note_mask(c, m, it->score.row, it->score.col);
            if (!xc_num_equal(sc, &score))
                add(c, "score.quant", XC_SEV_INFO, it->score.row, it->score.col,
                    a, b, m, "“%s”得分 %s 是 %s 取舍后的结果",
                    "indicator '%s': score %s is %s rounded", it->name, a, b);
        }
        if (fl & XC_SCORE_OVER)
            add(c, "score.quant", XC_SEV_INFO, it->actual.row, it->actual.col,
                figtxt(a, sizeof a, &it->actual), "", 0,
                "“%s”实际完成值超过目标的 %d%%，需说明原因",
                "indicator '%s': actual exceeds %d%% of the target; an "
                "explanation is expected",
                it->name, c->st->flag_over_pct);
    } else if (it->tgt.dir == XC_DIR_QUAL || it->tgt.dir == XC_DIR_DEADLINE ||
               it->act.dir == XC_DIR_QUAL) {
        xc_ind_tier t = qual_tier(it);
        if (t != XC_TIER_UNKNOWN && !xc_score_in_band(sc, pts, t))
            add(c, "score.qual", XC_SEV_WARNING, it->score.row, it->score.col,
                a, tier_name(t, en), 0,
                "“%s”实际完成“%s”属于%s，得分 %s 不在该档（分值 %s）",
                "indicator '%s': actual '%s' is %s of the points but the "
                "score is %s (points %s)",
                it->name, it->actual.text, tier_name(t, en), a,
                numtxt(b, sizeof b, pts));
    }
    /* deviation.missing */
    if (xc_num_cmp(sc, pts) < 0 && it->deviation.kind == XC_FIG_BLANK)
        add(c, "deviation.missing", XC_SEV_WARNING, it->deviation.row,
            it->deviation.col, "", "", 0,
            "“%s”失分（%s/%s）但未填写偏差原因分析及改进措施",
            "indicator '%s' lost points (%s of %s) but gives no reason",
            it->name, a, numtxt(b, sizeof b, pts));
done:
    xc_num_clear(&ratio);
    xc_num_clear(&score);
}

static void check_totals(actx *c)
{
    const xc_form *f = c->f;
    char a[400], b[400];
    xc_num sp, ss;
    xc_num_init(&sp);
    xc_num_init(&ss);
    /* section weights */
    for (size_t s = 0; s < xc_form_section_count(f); s++) {
        const xc_form_section *sec = xc_form_section_at(f, s);
        if (!sec->has_weight)
            continue;
        xc_num_set_int(&sp, 0);
        for (size_t i = 0; i < xc_form_item_count(f); i++) {
            const xc_form_item *it = xc_form_item_at(f, i);
            if (it->section == (int)s && isnum(&it->points))
                xc_num_add(&sp, &sp, &it->points.v);
        }
        if (!xc_num_equal(&sp, &sec->weight))
            add(c, "points.section", XC_SEV_ERROR, sec->row, sec->col,
                numtxt(a, sizeof a, &sec->weight), numtxt(b, sizeof b, &sp), 0,
                "%s 标明 %s 分，其三级指标分值合计为 %s",
                "%s declares %s points; its indicators' points sum to %s",
                sec->name, a, b);
    }
    /* Σ 分值 and Σ 得分 with the fund row */
    xc_num_set_int(&sp, 0);
    xc_num_set_int(&ss, 0);
    int nscores = 0;
    if (xc_form_fund_count(f) > 0) {
        const xc_form_fund *r = xc_form_fund_row(f, 0);
        if (isnum(&r->points))
            xc_num_add(&sp, &sp, &r->points.v);
        if (isnum(&r->score))
            xc_num_add(&ss, &ss, &r->score.v), nscores++;
    }
    for (size_t i = 0; i < xc_form_item_count(f); i++) {
        const xc_form_item *it = xc_form_item_at(f, i);
        if (isnum(&it->points))
            xc_num_add(&sp, &sp, &it->points.v);
        if (isnum(&it->score))
            xc_num_add(&ss, &ss, &it->score.v), nscores++;
    }
    const xc_form_fig *tp = xc_form_total_points(f);
    const xc_form_fig *ts = xc_form_total_score(f);
    int off100 = xc_num_cmp_int(&sp, 100) != 0;
    int offstated = isnum(tp) && !xc_num_equal(&tp->v, &sp);
    if ((off100 || offstated) && (isnum(tp) || xc_form_item_count(f) > 0)) {
        uint32_t row = tp->kind != XC_FIG_NONE ? tp->row : 0;
        uint32_t col = tp->kind != XC_FIG_NONE ? tp->col : 0;
        numtxt(b, sizeof b, &sp);
        add(c, "points.total", XC_SEV_ERROR, row, col, figtxt(a, sizeof a, tp),
            b, 0, "分值合计（含资金执行 %s）为 %s，%s",
            "points (with the fund's %s) sum to %s; %s",
            xc_form_fund_count(f) && isnum(&xc_form_fund_row(f, 0)->points)
                ? xc_form_fund_row(f, 0)->points.text[0]
                      ? xc_form_fund_row(f, 0)->points.text
                      : "10"
                : "0",
            b,
            c->st->lang == XC_LANG_EN
                ? (offstated ? "the 总分 row states another total"
                             : "they should be 100")
                : (offstated ? "与总分行所填分值不符" : "应为 100"));
    }
    if (isnum(ts) && nscores > 0 && !xc_num_equal(&ts->v, &ss)) {
        numtxt(b, sizeof b, &ss);
        add(c, "total.sum", XC_SEV_ERROR, ts->row, ts->col,
            figtxt(a, sizeof a, ts), b, 0,
            "总分填报 %s，各项所填得分（含资金执行得分）合计为 %s",
            "total stated %s; the stated scores (with the fund score) sum "
            "to %s",
            a, b);
    }
    /* grade */
    const xc_form_fig *g = xc_form_grade(f);
    if (g->kind == XC_FIG_TEXT && (isnum(ts) || nscores > 0)) {
        const xc_num *tot = isnum(ts) ? &ts->v : &ss;
        xc_form_settings zh = *c->st;
        zh.lang = XC_LANG_ZH;
        const char *want = xc_grade_of(tot, &zh);
        if (!strstr(g->text, want))
            add(c, "grade", XC_SEV_ERROR, g->row, g->col, g->text, want, 0,
                "评价等级填报“%s”，总分 %s 对应“%s”",
                "grade stated '%s'; a total of %s gives '%s'", g->text,
                numtxt(b, sizeof b, tot), want);
    }
    xc_num_clear(&sp);
    xc_num_clear(&ss);
}

/* score.policy: the stated scores need more than one policy. */
static void check_policy_mix(actx *c)
{
    if (c->nmask < 1)
        return;
    unsigned all = c->st->policies, inter = all;
    size_t k;
    for (k = 0; k < c->nmask; k++) {
        if ((inter & c->masks[k]) == 0)
            break;
        inter &= c->masks[k];
    }
    if (k == c->nmask) {
        /* consistent: say which policies the form's scores follow */
        xc_buf p;
        xc_buf_init(&p);
        xc_policy_names(&p, inter);
        add(c, "score.policy", XC_SEV_INFO, c->mrow[0], c->mcol[0], "", "",
            inter, "本表得分可由以下取舍规则一致重现：%s",
            "the form's scores are reproduced consistently by: %s",
            p.p ? p.p : "");
        xc_buf_clear(&p);
        return;
    }
    /* name the two cells that disagree */
    size_t j = 0;
    for (; j < k; j++)
        if ((c->masks[j] & c->masks[k]) == 0)
            break;
    if (j == k)
        j = 0;
    char c1[24], c2[24];
    xc_fa1(c1, sizeof c1, c->mrow[j], c->mcol[j]);
    xc_fa1(c2, sizeof c2, c->mrow[k], c->mcol[k]);
    xc_buf p1, p2;
    xc_buf_init(&p1);
    xc_buf_init(&p2);
    xc_policy_names(&p1, c->masks[j]);
    xc_policy_names(&p2, c->masks[k]);
    add(c, "score.policy", XC_SEV_WARNING, c->mrow[k], c->mcol[k], "", "",
        c->masks[k], "本表得分混用取舍规则：%s 需 %s，%s 需 %s",
        "the form mixes rounding policies: %s needs %s, %s needs %s", c1,
        p1.p ? p1.p : "", c2, p2.p ? p2.p : "");
    xc_buf_clear(&p1);
    xc_buf_clear(&p2);
}

/* ---------------------------------------------------------------- */
/* Target-table rules                                                */

static void check_blocks(actx *c)
{
    const xc_form *f = c->f;
    char a[400], b[400];
    xc_num s, split;
    xc_num_init(&s);
    xc_num_init(&split);
    int nsplit = 0;
    for (size_t i = 0; i < xc_form_block_count(f); i++) {
        const xc_form_block *bl = xc_form_block_at(f, i);
        if (fstarts(bl->label, "本级") || fstarts(bl->label, "转移")) {
            if (isnum(&bl->total)) {
                xc_num_add(&split, &split, &bl->total.v);
                nsplit++;
            }
        }
        if (bl->total.kind == XC_FIG_NONE || bl->ncomp == 0)
            continue;
        xc_num_set_int(&s, 0);
        int n = 0;
        for (size_t k = 0; k < bl->ncomp; k++)
            if (isnum(&bl->comp[k])) {
                xc_num_add(&s, &s, &bl->comp[k].v);
                n++;
            }
        if (!n && !isnum(&bl->total))
            continue;
        if (isnum(&bl->total) && xc_num_equal(&bl->total.v, &s))
            continue;
        if (!isnum(&bl->total) && xc_num_is_zero(&s))
            continue;
        add(c, "fund.sum", XC_SEV_ERROR, bl->total.row, bl->total.col,
            figtxt(a, sizeof a, &bl->total), numtxt(b, sizeof b, &s), 0,
            "%s 资金总额 %s 不等于其分项合计 %s",
            "%s total %s differs from the sum of its components %s", bl->label,
            a, b);
    }
    const xc_form_fig *an = xc_form_annual_total(f);
    const xc_form_fig *pt = xc_form_project_total(f);
    if (nsplit == 2 && isnum(an) && !xc_num_equal(&an->v, &split))
        add(c, "fund.split", XC_SEV_ERROR, an->row, an->col,
            figtxt(a, sizeof a, an), numtxt(b, sizeof b, &split), 0,
            "年度资金总额 %s 不等于本级资金 + 转移市县资金 = %s",
            "annual total %s differs from own-level + transferred = %s", a, b);
    if (isnum(an) && isnum(pt) && xc_num_cmp(&pt->v, &an->v) < 0)
        add(c, "fund.split", XC_SEV_ERROR, pt->row, pt->col,
            figtxt(a, sizeof a, pt), numtxt(b, sizeof b, &an->v), 0,
            "项目总额 %s 小于年度资金总额 %s",
            "project total %s is below the annual total %s", a, b);
    xc_num_clear(&s);
    xc_num_clear(&split);
}

/* Longest common run of code points of x and y (names are short; the
 * first 128 code points are compared). */
static size_t common_run(const char *x, const char *y)
{
    uint32_t a[128], b[128];
    size_t na = 0, nb = 0, lx = strlen(x), ly = strlen(y);
    for (size_t i = 0; i < lx && na < 128;)
        i += xc_utf8_decode(x + i, lx - i, &a[na++]);
    for (size_t i = 0; i < ly && nb < 128;)
        i += xc_utf8_decode(y + i, ly - i, &b[nb++]);
    uint16_t prev[129] = {0}, cur[129];
    size_t best = 0;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = 0;
        for (size_t j = 1; j <= nb; j++) {
            cur[j] = a[i - 1] == b[j - 1] ? (uint16_t)(prev[j - 1] + 1) : 0;
            if (cur[j] > best)
                best = cur[j];
        }
        memcpy(prev, cur, sizeof prev);
    }
    return best;
}

/* Usable figure of a cost or quantity line: a number that is not a
 * percentage; of a line with several figures, the first. */
static int usable(const xc_form_item *it)
{
    if (!it->tgt.has_num || (it->tgt.flags & XC_IND_PERCENT) ||
        (it->tgt.flags & XC_IND_PLACEHOLDER))
        return 0;
    return it->tgt.dir != XC_DIR_UNPARSED || (it->tgt.flags & XC_IND_MULTI);
}

/* The quantity item matching cost item ci: among quantities with the
 * cost's per-unit (万元/家 -> 家) the most similar name, else the most
 * similar name sharing at least 4 characters.  -1 when none. */
static long match_qty(const xc_form *f, const xc_form_item *ci, const char *per)
{
    long best = -1;
    size_t bests = 0, bestd = 0;
    int best_exact = 0, best_unit = 0;
    for (size_t i = 0; i < xc_form_item_count(f); i++) {
        const xc_form_item *q = xc_form_item_at(f, i);
        if (!fcontains(q->level2, "数量") || !usable(q))
            continue;
        int unit = per && !strcmp(q->tgt.unit, per);
        size_t sim = common_run(q->name, ci->name);
        int exact = !strcmp(q->name, ci->name);
        size_t lq = strlen(q->name), lc = strlen(ci->name);
        size_t d = lq > lc ? lq - lc : lc - lq;
        size_t cq = xc_utf8_count(q->name, lq);
        size_t need = cq < 4 ? cq : 4;
        if (!unit && (sim < need || sim < 2))
            continue;
        int better;
        if (best < 0)
            better = 1;
        else if (unit != best_unit)
            better = unit > best_unit;
        else if (exact != best_exact)
            better = exact > best_exact;
        else if (sim != bests)
            better = sim > bests;
        else
            better = d < bestd;
        if (better) {
            best = (long)i;
            bests = sim;
            bestd = d;
            best_exact = exact;
            best_unit = unit;
        }
    }
    return best;
}

/* Cost value of item in the form's money unit (万元 unless the form
 * says 单位：元). */
static int cost_wan(xc_num *r, const xc_form_item *it, int64_t unit)
{
    char hu[24];
    const char *sl = strchr(it->tgt.unit, '/');
    size_t n = sl ? (size_t)(sl - it->tgt.unit) : strlen(it->tgt.unit);
    if (n >= sizeof hu)
        n = sizeof hu - 1;
    memcpy(hu, it->tgt.unit, n);
    hu[n] = 0;
    int64_t sc = xc_fmoney_scale(hu);
    int st = xc_num_set(r, &it->tgt.lo);
    if (st == XC_OK && sc && sc != unit) {
        xc_num k;
        xc_num_init(&k);
        st = xc_num_set_frac(&k, sc, unit);
        if (st == XC_OK)
            st = xc_num_mul(r, r, &k);
        xc_num_clear(&k);
    }
    return st;
}

static void check_costs(actx *c)
{
    const xc_form *f = c->f;
    const xc_form_fig *bud = xc_form_annual_total(f);
    if (!isnum(bud))
        bud = xc_form_project_total(f);
    if (!isnum(bud))
        return;
    xc_num sum[3], v, q;
    for (int k = 0; k < 3; k++) {
        xc_num_init(&sum[k]);
    }
    xc_num_init(&v);
    xc_num_init(&q);
    size_t ncost = 0;
    for (size_t i = 0; i < xc_form_item_count(f); i++) {
        const xc_form_item *it = xc_form_item_at(f, i);
        if (!fcontains(it->level2, "成本") || !usable(it))
            continue;
        if (cost_wan(&v, it, xc_form_unit_scale(f)) != XC_OK)
            continue;
        ncost++;
        const char *sl = strchr(it->tgt.unit, '/');
        long m = match_qty(f, it, sl ? sl + 1 : NULL);
        const xc_num *qty = NULL;
        if (m >= 0)
            qty = &xc_form_item_at(f, (size_t)m)->tgt.lo;
        /* reading 1: every line a total */
        xc_num_add(&sum[0], &sum[0], &v);
        /* reading 2: per-unit lines x quantity */
        if (sl && qty) {
            xc_num_mul(&q, &v, qty);
            xc_num_add(&sum[1], &sum[1], &q);
        } else {
            xc_num_add(&sum[1], &sum[1], &v);
        }
        /* reading 3: every line with a matching quantity x quantity */
        if (qty) {
            xc_num_mul(&q, &v, qty);
            xc_num_add(&sum[2], &sum[2], &q);
        } else {
            xc_num_add(&sum[2], &sum[2], &v);
        }
    }
    int ok = 0;
    for (int k = 0; k < 3; k++)
        ok |= xc_num_equal(&sum[k], &bud->v);
    if (ncost > 0 && !ok) {
        char a[400], s0[200], s1[200], s2[200], all[700];
        snprintf(all, sizeof all, "%s; %s; %s", numtxt(s0, sizeof s0, &sum[0]),
                 numtxt(s1, sizeof s1, &sum[1]),
                 numtxt(s2, sizeof s2, &sum[2]));
        add(c, "cost.qty", XC_SEV_WARNING, bud->row, bud->col,
            figtxt(a, sizeof a, bud), all, 0,
            "成本指标与预算不平衡：按总额相加 %s；单价×数量 %s；"
            "各项×对应数量 %s；均不等于 %s",
            "cost indicators do not balance the budget: as totals "
            "%s; unit cost x quantity %s; every line x its quantity %s; "
            "none equals %s",
            s0, s1, s2, a);
    }
    for (int k = 0; k < 3; k++)
        xc_num_clear(&sum[k]);
    xc_num_clear(&v);
    xc_num_clear(&q);
}

static void check_target_values(actx *c)
{
    const xc_form *f = c->f;
    char a[600];
    for (size_t i = 0; i < xc_form_item_count(f); i++) {
        const xc_form_item *it = xc_form_item_at(f, i);
        if (it->tgt.flags & XC_IND_PLACEHOLDER)
            add(c, "value.unparsed", XC_SEV_WARNING, it->target.row,
                it->target.col, it->target.text, "", 0,
                "“%s”的绩效值“%s”是未填写的占位符",
                "indicator '%s' has a placeholder value '%s'", it->name,
                it->target.text);
        else if (it->tgt.dir == XC_DIR_UNPARSED)
            add(c, "value.unparsed", XC_SEV_INFO, it->target.row,
                it->target.col, figtxt(a, sizeof a, &it->target), "", 0,
                "“%s”的绩效值“%s”无法识别为单一目标",
                "indicator '%s': value '%s' is not a single readable target",
                it->name, a);
    }
}

/* ---------------------------------------------------------------- */
/* Entry points                                                      */

int xc_audit_form(xc_audit *a, const xc_form *f, const xc_form_settings *st)
{
    xc_form_settings def;
    if (!st) {
        xc_form_settings_default(&def);
        st = &def;
    }
    actx *c = xc_calloc(1, sizeof *c);
    if (!c)
        return XC_ENOMEM;
    c->a = a;
    c->f = f;
    c->st = st;
    a->forms++;
    switch (xc_form_kind_of(f)) {
    case XC_FORM_SELFEVAL:
        check_fund_sum(c);
        check_fund_rate_score(c);
        for (size_t i = 0; i < xc_form_item_count(f); i++)
            check_item(c, xc_form_item_at(f, i));
        check_totals(c);
        check_policy_mix(c);
        break;
    case XC_FORM_CENTRAL:
        check_fund_sum(c);
        check_fund_rate_score(c);
        for (size_t i = 0; i < xc_form_item_count(f); i++)
            check_item(c, xc_form_item_at(f, i));
        break;
    case XC_FORM_TARGET:
        check_blocks(c);
        check_costs(c);
        check_target_values(c);
        break;
    }
    int status = c->status;
    xc_free(c);
    return status;
}

typedef struct audit_walk {
    xc_audit *a;
    const xc_form_settings *st;
} audit_walk;

static int audit_one(void *ud, const xc_form *f)
{
    audit_walk *w = ud;
    return xc_audit_form(w->a, f, w->st);
}

int xc_audit_book(xc_book *b, const xc_form_settings *st, xc_audit **out)
{
    *out = NULL;
    /* formulas saved without cached values state what they compute */
    if (xc_book_engine(b)) {
        int rc = xc_book_recalc(b);
        if (rc != XC_OK && rc != XC_ECIRC)
            return rc;
    }
    xc_audit *a = xc_audit_new();
    if (!a)
        return XC_ENOMEM;
    audit_walk w = {a, st};
    for (int s = 0; s < xc_book_sheet_count(b); s++) {
        int rc = xc_form_import_each(b, s, audit_one, &w);
        if (rc != XC_OK) {
            xc_audit_free(a);
            return rc;
        }
    }
    *out = a;
    return XC_OK;
}

size_t xc_audit_count(const xc_audit *a)
{
    return a->n;
}
const xc_finding *xc_audit_get(const xc_audit *a, size_t i)
{
    return i < a->n ? &a->v[i] : NULL;
}
size_t xc_audit_forms(const xc_audit *a)
{
    return a->forms;
}
size_t xc_audit_errors(const xc_audit *a)
{
    return a->errors;
}

size_t xc_audit_count_rule(const xc_audit *a, const char *rule, xc_severity min)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].rule, rule) && a->v[i].severity >= min)
            n++;
    return n;
}

const xc_finding *xc_audit_find(const xc_audit *a, const char *rule)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].rule, rule))
            return &a->v[i];
    return NULL;
}

const char *xc_severity_name(xc_severity s)
{
    switch (s) {
    case XC_SEV_ERROR:
        return "error";
    case XC_SEV_WARNING:
        return "warning";
    default:
        return "info";
    }
}

/* ---------------------------------------------------------------- */
/* Reports                                                           */

int xc_audit_text(xc_buf *out, const xc_audit *a, const char *file,
                  const xc_form_settings *st)
{
    int en = st && st->lang == XC_LANG_EN;
    int rc = XC_OK;
    for (size_t i = 0; i < a->n && rc == XC_OK; i++) {
        const xc_finding *fd = &a->v[i];
        rc = xc_buf_printf(out, "%s%s%s!%s: %s %s", file ? file : "",
                           file ? ": " : "", fd->sheet_name, fd->cell,
                           xc_severity_name(fd->severity), fd->rule);
        if (rc == XC_OK && fd->stated[0])
            rc = xc_buf_printf(out, en ? " stated %s" : " 填报 %s", fd->stated);
        if (rc == XC_OK && fd->computed[0])
            rc = xc_buf_printf(out, en ? " computed %s" : " 计算 %s",
                               fd->computed);
        if (rc == XC_OK && fd->policies[0])
            rc = xc_buf_printf(out, " [%s]", fd->policies);
        if (rc == XC_OK)
            rc = xc_buf_printf(out, ": %s\n", fd->message);
    }
    if (rc == XC_OK) {
        size_t w = 0;
        for (size_t i = 0; i < a->n; i++)
            w += a->v[i].severity == XC_SEV_WARNING;
        rc = xc_buf_printf(out,
                           en ? "%s%s%zu form(s), %zu error(s), %zu "
                                "warning(s)\n"
                              : "%s%s%zu 张表，%zu 个错误，%zu 个警告\n",
                           file ? file : "", file ? ": " : "", a->forms,
                           a->errors, w);
    }
    return rc;
}

/* JSON string literal of s. */
static int jstr(xc_buf *out, const char *s)
{
    int rc = xc_buf_putc(out, '"');
    for (; rc == XC_OK && s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            rc = xc_buf_printf(out, "\\%c", ch);
        else if (ch == '\n')
            rc = xc_buf_puts(out, "\\n");
        else if (ch < 0x20)
            rc = xc_buf_printf(out, "\\u%04x", ch);
        else
            rc = xc_buf_putc(out, ch);
    }
    if (rc == XC_OK)
        rc = xc_buf_putc(out, '"');
    return rc;
}

int xc_audit_json(xc_buf *out, const xc_audit *a, const char *file,
                  const xc_form_settings *st)
{
    (void)st;
    int rc = xc_buf_puts(out, "{\"file\":");
    if (rc == XC_OK)
        rc = file ? jstr(out, file) : xc_buf_puts(out, "null");
    if (rc == XC_OK)
        rc = xc_buf_printf(out, ",\"forms\":%zu,\"errors\":%zu,\"findings\":[",
                           a->forms, a->errors);
    for (size_t i = 0; i < a->n && rc == XC_OK; i++) {
        const xc_finding *fd = &a->v[i];
        rc = xc_buf_puts(out, i ? ",{\"rule\":" : "{\"rule\":");
        if (rc == XC_OK)
            rc = jstr(out, fd->rule);
        if (rc == XC_OK)
            rc = xc_buf_printf(out, ",\"severity\":\"%s\",\"sheet\":",
                               xc_severity_name(fd->severity));
        if (rc == XC_OK)
            rc = jstr(out, fd->sheet_name);
        if (rc == XC_OK)
            rc = xc_buf_puts(out, ",\"cell\":");
        if (rc == XC_OK)
            rc = jstr(out, fd->cell);
        if (rc == XC_OK)
            rc = xc_buf_puts(out, ",\"stated\":");
        if (rc == XC_OK)
            rc = jstr(out, fd->stated);
        if (rc == XC_OK)
            rc = xc_buf_puts(out, ",\"computed\":");
        if (rc == XC_OK)
            rc = jstr(out, fd->computed);
        if (rc == XC_OK)
            rc = xc_buf_puts(out, ",\"policies\":");
        if (rc == XC_OK)
            rc = jstr(out, fd->policies);
        if (rc == XC_OK)
            rc = xc_buf_puts(out, ",\"message\":");
        if (rc == XC_OK)
            rc = jstr(out, fd->message);
        if (rc == XC_OK)
            rc = xc_buf_putc(out, '}');
    }
    if (rc == XC_OK)
        rc = xc_buf_puts(out, "]}\n");
    return rc;
}

/* ---------------------------------------------------------------- */
/* Review sheet                                                      */

/* Writing context: the review sheet, its next row, the form. */
typedef struct rv {
    xc_book *b;
    int s;
    uint32_t r;
    const xc_form *f;
    const xc_form_settings *st;
    char q[160]; /* 'sheet'! prefix of the form's sheet */
    int status;
} rv;

static void rv_put_text(rv *v, uint32_t c, const char *t)
{
    if (v->status != XC_OK)
        return;
    xc_value x = {0};
    v->status = xc_value_set_text(&x, t, strlen(t));
    if (v->status == XC_OK)
        v->status = xc_book_set_value(v->b, v->s, v->r, c, &x);
    xc_value_clear(&x);
}

/* Put a formula (text without '=') at (v->r, c). */
static void rv_put_formula(rv *v, uint32_t c, const char *fmt, ...)
    XC_PRINTF(3, 4);
static void rv_put_formula(rv *v, uint32_t c, const char *fmt, ...)
{
    if (v->status != XC_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[8192];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        v->status = XC_ELIMIT;
        return;
    }
    xc_parse_opts o = {v->b, v->s, v->r, c, 0};
    xc_parse_error pe;
    xc_formula *fm = NULL;
    int st = xc_formula_parse(&fm, tmp, (size_t)n, &o, &pe);
    if (st == XC_OK) {
        st = xc_book_set_formula(v->b, v->s, v->r, c, fm, NULL);
        xc_formula_release(fm);
    }
    if (st != XC_OK)
        v->status = st;
}

/* Reference to a cell of the form: 'sheet'!H21. */
static const char *rv_ref(const rv *v, char *buf, size_t cap, uint32_t row,
                          uint32_t col)
{
    char a1[24];
    xc_fa1(a1, sizeof a1, row, col);
    snprintf(buf, cap, "%s%s", v->q, a1);
    return buf;
}

static const char *rv_fig(const rv *v, char *buf, size_t cap,
                          const xc_form_fig *g)
{
    return rv_ref(v, buf, cap, g->row, g->col);
}

/* A number literal for a formula. */
static const char *rv_lit(char *buf, size_t cap, const xc_num *x)
{
    xc_buf b;
    xc_buf_init(&b);
    if (xc_num_format(&b, x, XC_FMT_SOURCE) != XC_OK)
        snprintf(buf, cap, "0");
    else
        snprintf(buf, cap, "%s", b.p);
    xc_buf_clear(&b);
    return buf;
}

/* Start a row: check text, rule id, the cell named, the stated value. */
static void rv_begin(rv *v, const char *check, const char *rule,
                     const xc_form_fig *cell)
{
    char a1[24];
    rv_put_text(v, 0, check);
    rv_put_text(v, 1, rule);
    if (cell && cell->kind != XC_FIG_NONE) {
        xc_fa1(a1, sizeof a1, cell->row, cell->col);
        rv_put_text(v, 2, a1);
    }
}

/* Verdict comparing D and E. */
static void rv_equal(rv *v)
{
    uint32_t n = v->r + 1;
    rv_put_formula(
        v, 12, "IF(ISERROR(E%u),\"不一致\",IF(D%u=E%u,\"一致\",\"不一致\"))", n,
        n, n);
}

/* Policy columns F-K for a score row with points at pts (a formula
 * operand), the policies reproducing D in L, and the verdict in M.
 * The verdict comes last so that no formula of a row reads a cell on
 * both sides of another formula of the row. */
static void rv_policies(rv *v, const char *pts)
{
    uint32_t n = v->r + 1;
    rv_put_formula(v, 12, "IF(ISERROR(E%u),\"\",ROUND(E%u,1))", n, n);
    rv_put_formula(v, 6, "IF(ISERROR(E%u),\"\",ROUNDDOWN(E%u,1))", n, n);
    rv_put_formula(v, 7, "IF(ISERROR(E%u),\"\",ROUND(E%u,2))", n, n);
    rv_put_formula(v, 8, "IF(ISERROR(E%u),\"\",ROUNDDOWN(E%u,2))", n, n);
    rv_put_formula(v, 9, "IF(%s=0,0,ROUND(ROUND(E%u/%s,2)*%s,1))", pts, n, pts,
                   pts);
    rv_put_formula(v, 10, "IF(%s=0,0,ROUNDDOWN(ROUNDDOWN(E%u/%s,2)*%s,1))", pts,
                   n, pts, pts);
    rv_put_formula(v, 11,
                   "IF(ISERROR(E%u),\"\",IF(D%u=E%u,\"exact "
                   "\",\"\")&IF(D%u=F%u,\"round1 \",\"\")&"
                   "IF(D%u=G%u,\"trunc1 \",\"\")&IF(D%u=H%u,\"round2 \",\"\")&"
                   "IF(D%u=I%u,\"trunc2 \",\"\")&"
                   "IF(D%u=J%u,\"ratio%%:round1 \",\"\")&"
                   "IF(D%u=K%u,\"ratio%%:trunc1 \",\"\"))",
                   n, n, n, n, n, n, n, n, n, n, n, n, n, n, n);
    rv_put_formula(
        v, 12, "IF(ISERROR(E%u),\"不一致\",IF(L%u=\"\",\"不一致\",\"一致\"))",
        n, n);
}

/* "SUM(a,b,c)" of the numeric figures sel() over fund rows 1.. */
static void rv_sum_comp(const rv *v, char *out, size_t cap, figsel sel)
{
    size_t len = (size_t)snprintf(out, cap, "SUM(");
    int first = 1;
    char r[200];
    for (size_t i = 1; i < xc_form_fund_count(v->f) && len < cap; i++) {
        const xc_form_fig *g = sel(xc_form_fund_row(v->f, i));
        if (g->kind == XC_FIG_NONE)
            continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", first ? "" : ",",
                                rv_fig(v, r, sizeof r, g));
        first = 0;
    }
    if (len < cap)
        snprintf(out + len, cap - len, first ? "0)" : ")");
}

static void rv_fund(rv *v)
{
    const xc_form *f = v->f;
    if (xc_form_fund_count(f) == 0)
        return;
    static const struct {
        figsel sel;
        const char *zh;
    } cols[] = {{sel_initial, "年初预算数"},
                {sel_budget, "全年预算数"},
                {sel_exec, "全年执行数"}};
    const xc_form_fund *tot = xc_form_fund_row(f, 0);
    char r1[200], r2[200], sum[2048], chk[300];
    if (xc_form_fund_count(f) > 1) {
        for (size_t k = 0; k < 3; k++) {
            const xc_form_fig *g = cols[k].sel(tot);
            if (g->kind == XC_FIG_NONE)
                continue;
            snprintf(chk, sizeof chk, "%s %s = 分项合计", tot->label,
                     cols[k].zh);
            rv_begin(v, chk, "fund.sum", g);
            rv_put_formula(v, 3, "%s", rv_fig(v, r1, sizeof r1, g));
            rv_sum_comp(v, sum, sizeof sum, cols[k].sel);
            rv_put_formula(v, 4, "%s", sum);
            rv_equal(v);
            v->r++;
        }
    }
    char bud[2100], ex[2100];
    for (size_t i = 0; i < xc_form_fund_count(f); i++) {
        const xc_form_fund *r = xc_form_fund_row(f, i);
        if (r->budget.kind == XC_FIG_NONE || r->exec.kind == XC_FIG_NONE)
            continue;
        if (i == 0 && !isnum(&r->budget))
            rv_sum_comp(v, bud, sizeof bud, sel_budget);
        else
            rv_fig(v, bud, sizeof bud, &r->budget);
        if (i == 0 && !isnum(&r->exec))
            rv_sum_comp(v, ex, sizeof ex, sel_exec);
        else
            rv_fig(v, ex, sizeof ex, &r->exec);
        if (isnum(&r->rate) && (i == 0 || isnum(&r->budget))) {
            int d = r->rate.percent ? 0 : decimals_of(&r->rate.v);
            xc_num p;
            xc_num_init(&p);
            if (r->rate.percent || r->rate.text[0] ||
                xc_num_cmp_int(&r->rate.v, 2) < 0) {
                if (xc_num_scale10(&p, &r->rate.v, 2) == XC_OK)
                    d = decimals_of(&p);
            }
            xc_num_clear(&p);
            snprintf(chk, sizeof chk, "%s 执行率 = 全年执行数/全年预算数",
                     r->label);
            rv_begin(v, chk, "fund.rate", &r->rate);
            rv_fig(v, r1, sizeof r1, &r->rate);
            /* stated, in percentage points */
            if (r->rate.percent || r->rate.text[0])
                rv_put_formula(v, 3, "%s*100", r1);
            else
                rv_put_formula(v, 3, "IF(%s<2,%s*100,%s)", r1, r1, r1);
            rv_put_formula(v, 4, "IF(%s=0,0,%s/%s*100)", bud, ex, bud);
            uint32_t n = v->r + 1;
            rv_put_formula(v, 12,
                           "IF(OR(ABS(D%u-E%u)<1E-9,ROUND(E%u,%d)=D%u,"
                           "ROUNDDOWN(E%u,%d)=D%u),\"一致\",\"不一致\")",
                           n, n, n, d, n, n, d, n);
            v->r++;
        }
        if (i == 0 && isnum(&r->points) && isnum(&r->score)) {
            rv_begin(v, "资金执行得分 = MIN(执行率,1)×分值", "fund.score",
                     &r->score);
            rv_put_formula(v, 3, "%s", rv_fig(v, r1, sizeof r1, &r->score));
            rv_fig(v, r2, sizeof r2, &r->points);
            if (v->st->cap_rate)
                rv_put_formula(v, 4, "IF(%s=0,NA(),MIN(%s/%s,1)*%s)", bud, ex,
                               bud, r2);
            else
                rv_put_formula(v, 4, "IF(%s=0,NA(),%s/%s*%s)", bud, ex, bud,
                               r2);
            rv_policies(v, r2);
            v->r++;
        }
    }
}

/* Operand of an indicator figure: the cell when it holds a number, else
 * the parsed value as a literal; adjusted to the other side's unit the
 * way xc_score_indicator reconciles them. */
static void rv_operands(const rv *v, const xc_form_item *it, char *t,
                        size_t tcap, char *a, size_t acap)
{
    char b1[200], b2[200];
    if (isnum(&it->target) && !it->target.text[0])
        rv_fig(v, b1, sizeof b1, &it->target);
    else
        rv_lit(b1, sizeof b1, &it->tgt.lo);
    if (isnum(&it->actual) && !it->actual.text[0])
        rv_fig(v, b2, sizeof b2, &it->actual);
    else
        rv_lit(b2, sizeof b2, &it->act.lo);
    int tp = (it->tgt.flags & XC_IND_PERCENT) != 0;
    int ap = (it->act.flags & XC_IND_PERCENT) != 0;
    snprintf(t, tcap, "%s", b1);
    snprintf(a, acap, "%s", b2);
    if (tp && !ap && !it->act.unit[0] && xc_num_cmp_int(&it->act.lo, 1) > 0)
        snprintf(a, acap, "(%s/100)", b2);
    if (ap && !tp && !it->tgt.unit[0] && xc_num_cmp_int(&it->tgt.lo, 1) > 0)
        snprintf(t, tcap, "(%s/100)", b1);
    char hu[24], hv[24];
    const char *sl = strchr(it->tgt.unit, '/');
    size_t n = sl ? (size_t)(sl - it->tgt.unit) : strlen(it->tgt.unit);
    snprintf(hu, sizeof hu, "%.*s", (int)n, it->tgt.unit);
    sl = strchr(it->act.unit, '/');
    n = sl ? (size_t)(sl - it->act.unit) : strlen(it->act.unit);
    snprintf(hv, sizeof hv, "%.*s", (int)n, it->act.unit);
    int64_t ts = xc_fmoney_scale(hu), as = xc_fmoney_scale(hv);
    if (ts && as && ts != as) {
        char tmp[260];
        snprintf(tmp, sizeof tmp, "%s", a);
        snprintf(a, acap, "(%s*%lld/%lld)", tmp, (long long)as, (long long)ts);
    }
}

static void rv_items(rv *v)
{
    const xc_form *f = v->f;
    char t[300], a[300], p[200], d[200], chk[600];
    for (size_t i = 0; i < xc_form_item_count(f); i++) {
        const xc_form_item *it = xc_form_item_at(f, i);
        if (!isnum(&it->points) || !isnum(&it->score))
            continue;
        xc_num ratio, score;
        xc_num_init(&ratio);
        xc_num_init(&score);
        unsigned fl = 0;
        xc_indicator tgt = effective_target(it, v->st);
        int rc = xc_score_indicator(&ratio, &score, &fl, &tgt, &it->act,
                                    &it->points.v, v->st);
        xc_num_clear(&ratio);
        xc_num_clear(&score);
        if (rc != XC_OK) {
            v->status = rc;
            return;
        }
        rv_fig(v, p, sizeof p, &it->points);
        rv_fig(v, d, sizeof d, &it->score);
        if (!(fl & XC_SCORE_NOSCORE)) {
            rv_operands(v, it, t, sizeof t, a, sizeof a);
            snprintf(chk, sizeof chk, "%s 得分", it->name);
            rv_begin(v, chk, "score.quant", &it->score);
            rv_put_formula(v, 3, "%s", d);
            const char *ge = it->tgt.op == XC_OP_GT ? ">" : ">=";
            const char *le = it->tgt.op == XC_OP_LT ? "<" : "<=";
            char lo[200], hi[200];
            if (tgt.dir == XC_DIR_ZERO) {
                rv_put_formula(v, 4, "IF(%s<=0,%s,0)", a, p);
            } else if (it->tgt.op == XC_OP_RANGE) {
                rv_lit(lo, sizeof lo, &it->tgt.lo);
                rv_lit(hi, sizeof hi, &it->tgt.hi);
                if (xc_num_sign(&it->tgt.lo) > 0)
                    rv_put_formula(
                        v, 4, "IF(%s<%s,MAX(0,%s/%s),IF(%s>%s,%s/%s,1))*%s", a,
                        lo, a, lo, a, hi, hi, a, p);
                else
                    rv_put_formula(v, 4, "IF(%s>%s,%s/%s,1)*%s", a, hi, hi, a,
                                   p);
            } else if (tgt.dir == XC_DIR_POSITIVE) {
                if (xc_num_sign(&it->tgt.lo) > 0)
                    rv_put_formula(v, 4, "IF(%s%s%s,%s,MAX(0,MIN(%s/%s,1))*%s)",
                                   a, ge, t, p, a, t, p);
                else
                    rv_put_formula(v, 4, "IF(%s%s%s,%s,%s)", a, ge, t, p, p);
            } else if (v->st->reverse_linear) {
                rv_put_formula(v, 4, "IF(%s%s%s,%s,MAX(0,2-%s/%s)*%s)", a, le,
                               t, p, a, t, p);
            } else {
                rv_put_formula(v, 4, "IF(%s%s%s,%s,MIN(%s/%s,1)*%s)", a, le, t,
                               p, t, a, p);
            }
            rv_policies(v, p);
            v->r++;
        } else {
            xc_ind_tier tier = qual_tier(it);
            if (tier == XC_TIER_UNKNOWN)
                continue;
            static const char *const lo[] = {"0", "0.8", "0.6", "0"};
            static const char *const hi[] = {"1", "1", "0.8", "0.6"};
            snprintf(chk, sizeof chk, "%s 得分档次（%s）", it->name,
                     tier_name(tier, 0));
            rv_begin(v, chk, "score.qual", &it->score);
            rv_put_formula(v, 3, "%s", d);
            rv_put_formula(v, 4, "%s*%s", lo[tier], p);
            uint32_t n = v->r + 1;
            if (tier == XC_TIER_MET)
                rv_put_formula(v, 12,
                               "IF(%s<=0,IF(D%u=0,\"一致\",\"不一致\"),"
                               "IF(AND(D%u>=E%u,D%u<=%s),\"一致\",\"不一致\"))",
                               p, n, n, n, n, p);
            else
                rv_put_formula(v, 12,
                               "IF(%s<=0,IF(D%u=0,\"一致\",\"不一致\"),"
                               "IF(AND(D%u>=E%u,D%u<%s*%s),\"一致\","
                               "\"不一致\"))",
                               p, n, n, n, n, hi[tier], p);
            v->r++;
        }
    }
}

/* Append ",ref" of fig to buf (when it is located). */
static void rv_append(const rv *v, char *buf, size_t cap, size_t *len,
                      const xc_form_fig *g, int *first)
{
    if (g->kind == XC_FIG_NONE || *len >= cap)
        return;
    char r[200];
    *len += (size_t)snprintf(buf + *len, cap - *len, "%s%s", *first ? "" : ",",
                             rv_fig(v, r, sizeof r, g));
    *first = 0;
}

static void rv_totals(rv *v)
{
    const xc_form *f = v->f;
    char pts[8000], sc[8000], r[200], chk[300];
    /* section weights */
    for (size_t s = 0; s < xc_form_section_count(f); s++) {
        const xc_form_section *sec = xc_form_section_at(f, s);
        if (!sec->has_weight)
            continue;
        size_t len = (size_t)snprintf(pts, sizeof pts, "SUM(");
        int first = 1;
        for (size_t i = 0; i < xc_form_item_count(f); i++) {
            const xc_form_item *it = xc_form_item_at(f, i);
            if (it->section == (int)s)
                rv_append(v, pts, sizeof pts, &len, &it->points, &first);
        }
        if (len + 3 >= sizeof pts)
            continue;
        snprintf(pts + len, sizeof pts - len, first ? "0)" : ")");
        xc_form_fig cell;
        memset(&cell, 0, sizeof cell);
        cell.kind = XC_FIG_TEXT;
        cell.row = sec->row;
        cell.col = sec->col;
        snprintf(chk, sizeof chk, "%s 分值小计 = 标明分值", sec->name);
        rv_begin(v, chk, "points.section", &cell);
        rv_put_formula(v, 3, "%s", rv_lit(r, sizeof r, &sec->weight));
        rv_put_formula(v, 4, "%s", pts);
        rv_equal(v);
        v->r++;
    }
    size_t lp = (size_t)snprintf(pts, sizeof pts, "SUM(");
    size_t ls = (size_t)snprintf(sc, sizeof sc, "SUM(");
    int fp = 1, fs = 1;
    if (xc_form_fund_count(f) > 0) {
        const xc_form_fund *fr = xc_form_fund_row(f, 0);
        if (isnum(&fr->points))
            rv_append(v, pts, sizeof pts, &lp, &fr->points, &fp);
        if (isnum(&fr->score))
            rv_append(v, sc, sizeof sc, &ls, &fr->score, &fs);
    }
    for (size_t i = 0; i < xc_form_item_count(f); i++) {
        const xc_form_item *it = xc_form_item_at(f, i);
        if (isnum(&it->points))
            rv_append(v, pts, sizeof pts, &lp, &it->points, &fp);
        if (isnum(&it->score))
            rv_append(v, sc, sizeof sc, &ls, &it->score, &fs);
    }
    if (lp + 3 >= sizeof pts || ls + 3 >= sizeof sc)
        return;
    snprintf(pts + lp, sizeof pts - lp, fp ? "0)" : ")");
    snprintf(sc + ls, sizeof sc - ls, fs ? "0)" : ")");
    const xc_form_fig *tp = xc_form_total_points(f);
    const xc_form_fig *ts = xc_form_total_score(f);
    if (!fp) {
        rv_begin(v, "总分分值 = 分值合计 = 100", "points.total", tp);
        if (tp->kind != XC_FIG_NONE)
            rv_put_formula(v, 3, "%s", rv_fig(v, r, sizeof r, tp));
        else
            rv_put_formula(v, 3, "100");
        rv_put_formula(v, 4, "%s", pts);
        uint32_t n = v->r + 1;
        rv_put_formula(v, 12, "IF(AND(D%u=E%u,E%u=100),\"一致\",\"不一致\")", n,
                       n, n);
        v->r++;
    }
    if (!fs && ts->kind != XC_FIG_NONE) {
        rv_begin(v, "总分 = 各项得分合计", "total.sum", ts);
        rv_put_formula(v, 3, "%s", rv_fig(v, r, sizeof r, ts));
        rv_put_formula(v, 4, "%s", sc);
        rv_equal(v);
        v->r++;
    }
}

static void rv_target(rv *v)
{
    const xc_form *f = v->f;
    char r1[200], r2[200], sum[2048];
    const char *own = NULL, *tr = NULL;
    char ownb[200], trb[200];
    for (size_t i = 0; i < xc_form_block_count(f); i++) {
        const xc_form_block *bl = xc_form_block_at(f, i);
        if (isnum(&bl->total) && fstarts(bl->label, "本级"))
            own = rv_fig(v, ownb, sizeof ownb, &bl->total);
        if (isnum(&bl->total) && fstarts(bl->label, "转移"))
            tr = rv_fig(v, trb, sizeof trb, &bl->total);
        if (bl->total.kind == XC_FIG_NONE || bl->ncomp == 0)
            continue;
        size_t len = (size_t)snprintf(sum, sizeof sum, "SUM(");
        int first = 1;
        for (size_t k = 0; k < bl->ncomp; k++)
            rv_append(v, sum, sizeof sum, &len, &bl->comp[k], &first);
        if (len + 3 >= sizeof sum)
            continue;
        snprintf(sum + len, sizeof sum - len, first ? "0)" : ")");
        char chk[300];
        snprintf(chk, sizeof chk, "%s 资金总额 = 分项合计", bl->label);
        rv_begin(v, chk, "fund.sum", &bl->total);
        rv_put_formula(v, 3, "%s", rv_fig(v, r1, sizeof r1, &bl->total));
        rv_put_formula(v, 4, "%s", sum);
        rv_equal(v);
        v->r++;
    }
    const xc_form_fig *an = xc_form_annual_total(f);
    const xc_form_fig *pt = xc_form_project_total(f);
    if (own && tr && isnum(an)) {
        rv_begin(v, "年度资金总额 = 本级 + 转移市县", "fund.split", an);
        rv_put_formula(v, 3, "%s", rv_fig(v, r1, sizeof r1, an));
        rv_put_formula(v, 4, "%s+%s", own, tr);
        rv_equal(v);
        v->r++;
    }
    if (isnum(an) && isnum(pt)) {
        rv_begin(v, "项目总额 ≥ 年度资金总额", "fund.split", pt);
        rv_put_formula(v, 3, "%s", rv_fig(v, r1, sizeof r1, pt));
        rv_put_formula(v, 4, "%s", rv_fig(v, r2, sizeof r2, an));
        uint32_t n = v->r + 1;
        rv_put_formula(v, 12, "IF(D%u>=E%u,\"一致\",\"不一致\")", n, n);
        v->r++;
    }
    /* cost readings, as literals from the indicator texts (万元) */
    const xc_form_fig *bud = isnum(an) ? an : pt;
    if (!isnum(bud))
        return;
    uint32_t first_reading = 0;
    static const char *const names[] = {"成本指标按总额相加 = 预算",
                                        "成本指标 单价×数量 = 预算",
                                        "成本指标 各项×对应数量 = 预算"};
    for (int k = 0; k < 3; k++) {
        size_t len = 0;
        int n = 0;
        char lit[200], ql[200];
        xc_num w;
        xc_num_init(&w);
        for (size_t i = 0; i < xc_form_item_count(f) && len < sizeof sum; i++) {
            const xc_form_item *it = xc_form_item_at(f, i);
            if (!fcontains(it->level2, "成本") || !usable(it) ||
                cost_wan(&w, it, xc_form_unit_scale(f)) != XC_OK)
                continue;
            const char *sl = strchr(it->tgt.unit, '/');
            long m = match_qty(f, it, sl ? sl + 1 : NULL);
            int mul = m >= 0 && (k == 2 || (k == 1 && sl));
            rv_lit(lit, sizeof lit, &w);
            if (mul) {
                rv_lit(ql, sizeof ql, &xc_form_item_at(f, (size_t)m)->tgt.lo);
                len += (size_t)snprintf(sum + len, sizeof sum - len, "%s%s*%s",
                                        n ? "+" : "", lit, ql);
            } else {
                len += (size_t)snprintf(sum + len, sizeof sum - len, "%s%s",
                                        n ? "+" : "", lit);
            }
            n++;
        }
        xc_num_clear(&w);
        if (!n || len >= sizeof sum)
            return;
        static const char *const ids[] = {"cost.qty:1", "cost.qty:2",
                                          "cost.qty:3"};
        rv_begin(v, names[k], ids[k], bud);
        rv_put_formula(v, 3, "%s", rv_fig(v, r1, sizeof r1, bud));
        rv_put_formula(v, 4, "%s", sum);
        uint32_t rn = v->r + 1;
        rv_put_formula(v, 12, "IF(ABS(D%u-E%u)<1E-9,\"一致\",\"不一致\")", rn,
                       rn);
        if (k == 0)
            first_reading = rn;
        v->r++;
    }
    if (first_reading) {
        uint32_t last = v->r; /* 1-based number of the last reading row */
        rv_begin(v, "成本指标与预算平衡（任一读法）", "cost.qty", bud);
        rv_put_formula(v, 12,
                       "IF(COUNTIF(M%u:M%u,\"一致\")>0,\"一致\",\"不一致\")",
                       first_reading, last);
        v->r++;
    }
}

int xc_form_add_review_sheet(xc_book *b, const xc_form *f,
                             const xc_form_settings *st, int *sheet)
{
    xc_form_settings def;
    if (!st) {
        xc_form_settings_default(&def);
        st = &def;
    }
    if (!xc_book_engine(b))
        xc_book_set_engine(b, xc_formula_engine(), NULL);
    const char *src = xc_form_sheet_name(f);
    /* name: 复核-<sheet>, at most 31 characters, unique */
    char name[200];
    snprintf(name, sizeof name, "复核-%s", src);
    while (xc_utf8_count(name, strlen(name)) > 28) {
        size_t n = strlen(name);
        while (n > 0 && ((unsigned char)name[n - 1] & 0xC0) == 0x80)
            n--;
        name[n - 1] = 0;
    }
    char uniq[220];
    snprintf(uniq, sizeof uniq, "%s", name);
    for (int k = 2; xc_book_find_sheet(b, uniq, strlen(uniq)) >= 0 && k < 100;
         k++)
        snprintf(uniq, sizeof uniq, "%s%d", name, k);
    rv v;
    memset(&v, 0, sizeof v);
    v.b = b;
    v.f = f;
    v.st = st;
    int st2 = xc_book_add_sheet(b, uniq, strlen(uniq), &v.s);
    if (st2 != XC_OK)
        return st2;
    /* 'sheet'! with quotes doubled */
    size_t q = 0;
    v.q[q++] = '\'';
    for (const char *p = src; *p && q < sizeof v.q - 4; p++) {
        if (*p == '\'')
            v.q[q++] = '\'';
        v.q[q++] = *p;
    }
    v.q[q++] = '\'';
    v.q[q++] = '!';
    v.q[q] = 0;
    char title[300];
    snprintf(
        title, sizeof title,
        "复核：%s（exacalc 生成；公式只用标准 Excel 函数，引用原表单元格）",
        src);
    rv_put_text(&v, 0, title);
    v.r = 1;
    static const char *const hdr[] = {"检查",
                                      "规则",
                                      "单元格",
                                      "填报值",
                                      "计算值",
                                      "ROUND 1位",
                                      "ROUNDDOWN 1位",
                                      "ROUND 2位",
                                      "ROUNDDOWN 2位",
                                      "比率取整到1%后ROUND 1位",
                                      "比率截到1%后ROUNDDOWN 1位",
                                      "可重现的取舍规则",
                                      "结论"};
    for (uint32_t c = 0; c < sizeof hdr / sizeof hdr[0]; c++)
        rv_put_text(&v, c, hdr[c]);
    v.r = 2;
    if (xc_form_kind_of(f) == XC_FORM_TARGET) {
        rv_target(&v);
    } else {
        rv_fund(&v);
        if (xc_form_kind_of(f) == XC_FORM_SELFEVAL) {
            rv_items(&v);
            rv_totals(&v);
        }
    }
    if (sheet)
        *sheet = v.s;
    return v.status;
}
