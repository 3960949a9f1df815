/* form_score.c - the scoring rules of self-evaluation forms and the
 * rounding-policy set (FORMS.md section 2), as pure functions on exact
 * numbers: fund score, positive / reverse / zero-target indicators,
 * qualitative bands, grades, and which policies reproduce a stated
 * score. */
#include <stdio.h>
#include <string.h>
#include "form_int.h"

void xc_form_settings_default(xc_form_settings *s)
{
    memset(s, 0, sizeof *s);
    s->reverse_linear = 0;
    s->cap_rate = 1;
    s->grade_excellent = 90;
    s->grade_good = 80;
    s->grade_pass = 60;
    s->flag_over_pct = 130;
    s->policies = XC_POL_ALL;
    s->lang = XC_LANG_ZH;
}

/* ---------------------------------------------------------------- */
/* Policies                                                          */

/* clang-format off */
static const struct {
    const char *name;
    int ratio_digits; /* -1: none; 2: whole %; 3: 0.1% */
    int digits;       /* -1: exact */
    xc_round_mode mode;
} policies[XC_POL_COUNT] = {
    {"exact",            -1, -1, XC_ROUND_HALF_UP},
    {"round1",           -1,  1, XC_ROUND_HALF_UP},
    {"trunc1",           -1,  1, XC_ROUND_DOWN},
    {"round2",           -1,  2, XC_ROUND_HALF_UP},
    {"trunc2",           -1,  2, XC_ROUND_DOWN},
    {"ratio%:round1",     2,  1, XC_ROUND_HALF_UP},
    {"ratio%:trunc1",     2,  1, XC_ROUND_DOWN},
    {"ratio%:round2",     2,  2, XC_ROUND_HALF_UP},
    {"ratio%:trunc2",     2,  2, XC_ROUND_DOWN},
    {"ratio0.1%:round1",  3,  1, XC_ROUND_HALF_UP},
    {"ratio0.1%:trunc1",  3,  1, XC_ROUND_DOWN},
    {"ratio0.1%:round2",  3,  2, XC_ROUND_HALF_UP},
    {"ratio0.1%:trunc2",  3,  2, XC_ROUND_DOWN},
};
/* clang-format on */

const char *xc_policy_name(int p)
{
    return p >= 0 && p < XC_POL_COUNT ? policies[p].name : NULL;
}

int xc_policy_names(xc_buf *out, unsigned mask)
{
    int first = 1;
    for (int p = 0; p < XC_POL_COUNT; p++) {
        if (!(mask & (1u << p)))
            continue;
        int st =
            xc_buf_printf(out, "%s%s", first ? "" : ", ", policies[p].name);
        if (st != XC_OK)
            return st;
        first = 0;
    }
    return XC_OK;
}

/* Apply policy p.  The ratio is rounded first (same mode) when the
 * policy says so and a ratio is known; then the score is rounded. */
int xc_policy_apply(xc_num *r, int p, const xc_num *ratio, const xc_num *score,
                    const xc_num *pts)
{
    if (p < 0 || p >= XC_POL_COUNT || !score)
        return XC_EINVAL;
    xc_num s;
    xc_num_init(&s);
    int st;
    if (policies[p].ratio_digits > 0 && ratio && pts) {
        st =
            xc_num_round(&s, ratio, policies[p].ratio_digits, policies[p].mode);
        if (st == XC_OK)
            st = xc_num_mul(&s, &s, pts);
    } else {
        st = xc_num_set(&s, score);
    }
    if (st == XC_OK && policies[p].digits >= 0)
        st = xc_num_round(&s, &s, policies[p].digits, policies[p].mode);
    if (st == XC_OK)
        st = xc_num_set(r, &s);
    xc_num_clear(&s);
    return st;
}

unsigned xc_policy_match(const xc_num *stated, const xc_num *ratio,
                         const xc_num *score, const xc_num *pts,
                         unsigned allowed)
{
    unsigned m = 0;
    xc_num r;
    xc_num_init(&r);
    for (int p = 0; p < XC_POL_COUNT; p++) {
        if (!(allowed & (1u << p)))
            continue;
        if (xc_policy_apply(&r, p, ratio, score, pts) == XC_OK &&
            xc_num_equal(&r, stated))
            m |= 1u << p;
    }
    xc_num_clear(&r);
    return m;
}

/* ---------------------------------------------------------------- */
/* Scores                                                            */

int xc_score_fund(xc_num *rate, xc_num *ratio, xc_num *score,
                  const xc_num *exec, const xc_num *budget, const xc_num *pts,
                  int cap)
{
    if (xc_num_is_zero(budget))
        return XC_EDIVZERO;
    xc_num q, one;
    xc_num_init(&q);
    xc_num_init(&one);
    xc_num_set_int(&one, 1);
    int st = xc_num_div(&q, exec, budget);
    if (st == XC_OK && rate)
        st = xc_num_set(rate, &q);
    if (st == XC_OK && cap && xc_num_cmp(&q, &one) > 0)
        st = xc_num_set(&q, &one);
    if (st == XC_OK && ratio)
        st = xc_num_set(ratio, &q);
    if (st == XC_OK && score && pts)
        st = xc_num_mul(score, &q, pts);
    xc_num_clear(&q);
    xc_num_clear(&one);
    return st;
}

/* x = x * num / den (den != 0). */
static int mul_frac(xc_num *x, int64_t num, int64_t den)
{
    xc_num f;
    xc_num_init(&f);
    int st = xc_num_set_frac(&f, num, den);
    if (st == XC_OK)
        st = xc_num_mul(x, x, &f);
    xc_num_clear(&f);
    return st;
}

/* The unit before a '/' ("万元/家" -> "万元") into buf. */
static const char *head_unit(const char *u, char *buf, size_t cap)
{
    const char *sl = strchr(u, '/');
    size_t n = sl ? (size_t)(sl - u) : strlen(u);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, u, n);
    buf[n] = 0;
    return buf;
}

/* Bring target (lo, hi) and actual a to the same unit. */
static int reconcile(xc_num *lo, xc_num *hi, xc_num *a, const xc_indicator *t,
                     const xc_indicator *ac)
{
    int tp = (t->flags & XC_IND_PERCENT) != 0;
    int ap = (ac->flags & XC_IND_PERCENT) != 0;
    int st = XC_OK;
    if (tp && !ap && !ac->unit[0] && xc_num_cmp_int(a, 1) > 0)
        st = mul_frac(a, 1, 100);
    if (ap && !tp && !t->unit[0] && xc_num_cmp_int(lo, 1) > 0) {
        st = mul_frac(lo, 1, 100);
        if (st == XC_OK)
            st = mul_frac(hi, 1, 100);
    }
    char b1[24], b2[24];
    int64_t ts = xc_fmoney_scale(head_unit(t->unit, b1, sizeof b1));
    int64_t as = xc_fmoney_scale(head_unit(ac->unit, b2, sizeof b2));
    if (st == XC_OK && ts && as && ts != as)
        st = mul_frac(a, as, ts);
    return st;
}

/* r = max(0, min(1, r)). */
static void clamp01(xc_num *r)
{
    if (xc_num_sign(r) < 0)
        xc_num_set_int(r, 0);
    else if (xc_num_cmp_int(r, 1) > 0)
        xc_num_set_int(r, 1);
}

int xc_score_indicator(xc_num *ratio, xc_num *score, unsigned *flags,
                       const xc_indicator *t, const xc_indicator *ac,
                       const xc_num *pts, const xc_form_settings *st_)
{
    xc_form_settings def;
    if (!st_) {
        xc_form_settings_default(&def);
        st_ = &def;
    }
    *flags = 0;
    if (!t->has_num || !ac->has_num ||
        (t->dir != XC_DIR_POSITIVE && t->dir != XC_DIR_REVERSE &&
         t->dir != XC_DIR_ZERO)) {
        *flags = XC_SCORE_NOSCORE;
        return XC_OK;
    }
    xc_num lo, hi, a, r;
    xc_num_init(&lo);
    xc_num_init(&hi);
    xc_num_init(&a);
    xc_num_init(&r);
    int st = xc_num_set(&lo, &t->lo);
    if (st == XC_OK)
        st = xc_num_set(&hi, &t->hi);
    if (st == XC_OK)
        st = xc_num_set(&a, &ac->lo);
    if (st == XC_OK)
        st = reconcile(&lo, &hi, &a, t, ac);
    if (st != XC_OK)
        goto done;
    int met = 0;
    if (t->dir == XC_DIR_ZERO) {
        met = xc_num_sign(&a) <= 0;
        xc_num_set_int(&r, met ? 1 : 0);
    } else if (t->op == XC_OP_RANGE) {
        if (xc_num_cmp(&a, &lo) < 0) {
            if (xc_num_is_zero(&lo))
                xc_num_set_int(&r, 1);
            else
                st = xc_num_div(&r, &a, &lo);
        } else if (xc_num_cmp(&a, &hi) > 0) {
            st = xc_num_div(&r, &hi, &a);
        } else {
            met = 1;
            xc_num_set_int(&r, 1);
        }
    } else if (t->dir == XC_DIR_POSITIVE) {
        int c = xc_num_cmp(&a, &lo);
        met = t->op == XC_OP_GT ? c > 0 : c >= 0;
        if (met || xc_num_sign(&lo) <= 0)
            xc_num_set_int(&r, met ? 1 : (xc_num_sign(&lo) <= 0));
        else
            st = xc_num_div(&r, &a, &lo);
        if (st == XC_OK && xc_num_sign(&lo) > 0) {
            /* a * 100 >= lo * flag_over_pct */
            xc_num x, y;
            xc_num_init(&x);
            xc_num_init(&y);
            xc_num_set_int(&x, 100);
            xc_num_set_int(&y, st_->flag_over_pct);
            st = xc_num_mul(&x, &x, &a);
            if (st == XC_OK)
                st = xc_num_mul(&y, &y, &lo);
            if (st == XC_OK && xc_num_cmp(&x, &y) >= 0)
                *flags |= XC_SCORE_OVER;
            xc_num_clear(&x);
            xc_num_clear(&y);
        }
    } else { /* reverse */
        int c = xc_num_cmp(&a, &lo);
        met = t->op == XC_OP_LT ? c < 0 : c <= 0;
        if (met) {
            xc_num_set_int(&r, 1);
        } else if (xc_num_sign(&lo) <= 0) {
            xc_num_set_int(&r, 0);
        } else if (st_->reverse_linear) {
            /* 2 - a/lo: full at the target, 0 at twice the target */
            st = xc_num_div(&r, &a, &lo);
            if (st == XC_OK) {
                xc_num two;
                xc_num_init(&two);
                xc_num_set_int(&two, 2);
                st = xc_num_sub(&r, &two, &r);
                xc_num_clear(&two);
            }
        } else {
            st = xc_num_div(&r, &lo, &a);
        }
    }
    if (st != XC_OK)
        goto done;
    clamp01(&r);
    if (met)
        *flags |= XC_SCORE_MET;
    if (ratio)
        st = xc_num_set(ratio, &r);
    if (st == XC_OK && score && pts)
        st = xc_num_mul(score, &r, pts);
done:
    if (st == XC_EDIVZERO) {
        *flags = XC_SCORE_NOSCORE;
        st = XC_OK;
    }
    xc_num_clear(&lo);
    xc_num_clear(&hi);
    xc_num_clear(&a);
    xc_num_clear(&r);
    return st;
}

int xc_score_in_band(const xc_num *score, const xc_num *pts, xc_ind_tier tier)
{
    if (xc_num_sign(pts) <= 0)
        return xc_num_is_zero(score);
    xc_num f;
    xc_num_init(&f);
    if (xc_num_div(&f, score, pts) != XC_OK) {
        xc_num_clear(&f);
        return 0;
    }
    int ok;
    xc_num lo, hi;
    xc_num_init(&lo);
    xc_num_init(&hi);
    switch (tier) {
    case XC_TIER_MET:
        xc_num_set_frac(&lo, 4, 5);
        ok = xc_num_cmp(&f, &lo) >= 0 && xc_num_cmp_int(&f, 1) <= 0;
        break;
    case XC_TIER_PARTIAL:
        xc_num_set_frac(&lo, 3, 5);
        xc_num_set_frac(&hi, 4, 5);
        ok = xc_num_cmp(&f, &lo) >= 0 && xc_num_cmp(&f, &hi) < 0;
        break;
    case XC_TIER_UNMET:
        xc_num_set_frac(&hi, 3, 5);
        ok = xc_num_sign(&f) >= 0 && xc_num_cmp(&f, &hi) < 0;
        break;
    default:
        ok = xc_num_sign(&f) >= 0 && xc_num_cmp_int(&f, 1) <= 0;
    }
    xc_num_clear(&f);
    xc_num_clear(&lo);
    xc_num_clear(&hi);
    return ok;
}

const char *xc_grade_of(const xc_num *total, const xc_form_settings *st)
{
    xc_form_settings def;
    if (!st) {
        xc_form_settings_default(&def);
        st = &def;
    }
    int en = st->lang == XC_LANG_EN;
    if (xc_num_cmp_int(total, st->grade_excellent) >= 0)
        return en ? "excellent" : "优";
    if (xc_num_cmp_int(total, st->grade_good) >= 0)
        return en ? "good" : "良";
    if (xc_num_cmp_int(total, st->grade_pass) >= 0)
        return en ? "fair" : "中";
    return en ? "poor" : "差";
}
