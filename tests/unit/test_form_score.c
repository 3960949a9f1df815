/* test_form_score.c - scoring rules and rounding policies, with the
 * worked examples of FORMS.md (seed 004) as exact checks. */
#include <string.h>
#include "exacalc/form.h"
#include "xtest.h"

static xc_form_settings st;

static void num(xc_num *x, const char *s)
{
    xc_num_parse(x, s, strlen(s), 0, NULL);
}

static int eqf(const xc_num *x, int64_t n, int64_t d)
{
    xc_num y;
    xc_num_init(&y);
    xc_num_set_frac(&y, n, d);
    int eq = xc_num_equal(x, &y);
    xc_num_clear(&y);
    return eq;
}

/* Score target text / actual text on pts points; returns the mask of
 * policies reproducing `stated` and stores the exact score. */
static unsigned case_(const char *target, const char *name, const char *actual,
                      const char *pts_s, const char *stated_s, xc_num *score,
                      unsigned *flags)
{
    xc_indicator t, a;
    xc_indicator_init(&t);
    xc_indicator_init(&a);
    xc_indicator_parse(&t, target, strlen(target), name);
    xc_indicator_parse(&a, actual, strlen(actual), NULL);
    xc_num pts, ratio, stated;
    xc_num_init(&pts);
    xc_num_init(&ratio);
    xc_num_init(&stated);
    num(&pts, pts_s);
    num(&stated, stated_s);
    int rc = xc_score_indicator(&ratio, score, flags, &t, &a, &pts, &st);
    CHECK(rc == XC_OK);
    unsigned m =
        (*flags & XC_SCORE_NOSCORE)
            ? 0
            : xc_policy_match(&stated, &ratio, score, &pts, st.policies);
    xc_num_clear(&pts);
    xc_num_clear(&ratio);
    xc_num_clear(&stated);
    xc_indicator_clear(&t);
    xc_indicator_clear(&a);
    return m;
}

#define B(p) (1u << (p))

static void worked_examples(void)
{
    xc_num s;
    xc_num_init(&s);
    unsigned f, m;
    /* 表1 项目实施进度: ≥60% -> 56%, 10 points: 28/3, 9.3 by any policy */
    m = case_("≥60%", "项目实施进度(%)", "56%", "10", "9.3", &s, &f);
    CHECK(eqf(&s, 28, 3) && !(f & XC_SCORE_MET));
    CHECK((m & B(XC_POL_ROUND1)) && (m & B(XC_POL_TRUNC1)));
    CHECK((m & B(XC_POL_PCT_ROUND1)) && (m & B(XC_POL_PCT_TRUNC1)));
    CHECK(!(m & B(XC_POL_EXACT)));
    /* 表1 资金支出及时率: ≥60% -> 52%: 26/3, 8.7 round half up only */
    m = case_("≥60%", NULL, "52%", "10", "8.7", &s, &f);
    CHECK(eqf(&s, 26, 3));
    CHECK(m && (m & XC_POL_TRUNCATING) == 0 && (m & B(XC_POL_ROUND1)));
    /* 表1 满意度: ≥90% -> 88%, 5: 44/9, 4.9 round only */
    m = case_("≥90%", NULL, "88%", "5", "4.9", &s, &f);
    CHECK(eqf(&s, 44, 9));
    CHECK(m && (m & XC_POL_TRUNCATING) == 0 && (m & B(XC_POL_ROUND1)));
    /* 表7 引进培养创新人才: 30人以上 -> 29人, 10: 29/3, 9.6 truncation */
    m = case_("30人以上", NULL, "29人", "10", "9.6", &s, &f);
    CHECK(eqf(&s, 29, 3));
    CHECK(m && (m & XC_POL_ROUNDING) == 0 && (m & B(XC_POL_TRUNC1)));
    /* 表11: 150 -> 142, 10: 142/15, 9.4 truncation only */
    m = case_("150", "年度研发费用补助支持企业数", "142", "10", "9.4", &s, &f);
    CHECK(eqf(&s, 142, 15));
    CHECK(m && (m & XC_POL_ROUNDING) == 0 && (m & B(XC_POL_TRUNC1)));
    /* 表12 支持企业数: 184 -> 175, 15: 2625/184, 14.2 truncation only */
    m = case_("184", "年度研发费用补助支持企业数", "175", "15", "14.2", &s, &f);
    CHECK(eqf(&s, 2625, 184));
    CHECK(m && (m & XC_POL_ROUNDING) == 0 && (m & B(XC_POL_TRUNC1)));
    /* 表12 cost: 2307.59 -> 2180.1 on 15: met (reverse) -> 15; 14.9 by
     * no policy */
    m = case_("2307.59", "企业年度研发费用补助", "2180.1", "15", "14.9", &s,
              &f);
    CHECK(eqf(&s, 15, 1) && (f & XC_SCORE_MET));
    CHECK(m == 0);
    /* and the positive reading of the same figures does not give it
     * either */
    m = case_("2307.59", "企业数", "2180.1", "15", "14.9", &s, &f);
    CHECK(m == 0 && !(f & XC_SCORE_MET));
    /* ≤5% -> 6% on 10: template 25/3, linear 8 */
    m = case_("≤5%", NULL, "6%", "10", "8.3", &s, &f);
    CHECK(eqf(&s, 25, 3) && (m & B(XC_POL_ROUND1)));
    st.reverse_linear = 1;
    m = case_("≤5%", NULL, "6%", "10", "8", &s, &f);
    CHECK(eqf(&s, 8, 1) && (m & B(XC_POL_EXACT)));
    st.reverse_linear = 0;
    /* 安全事故 0起 -> 1: 0 */
    m = case_("0起", "安全事故", "1起", "10", "0", &s, &f);
    CHECK(eqf(&s, 0, 1) && (m & B(XC_POL_EXACT)));
    m = case_("0起", "安全事故", "0", "10", "10", &s, &f);
    CHECK(eqf(&s, 10, 1) && (f & XC_SCORE_MET));
    /* percentages written as 94, 94% or 0.94 agree */
    m = case_("≥95%", NULL, "94", "10", "9.9", &s, &f);
    CHECK(eqf(&s, 188, 19));
    m = case_("≥95%", NULL, "0.94", "10", "9.9", &s, &f);
    CHECK(eqf(&s, 188, 19));
    /* met, and over 130% flagged */
    m = case_("10人", NULL, "13人", "8", "8", &s, &f);
    CHECK(eqf(&s, 8, 1) && (f & XC_SCORE_MET) && (f & XC_SCORE_OVER));
    m = case_("10人", NULL, "12人", "8", "8", &s, &f);
    CHECK((f & XC_SCORE_MET) && !(f & XC_SCORE_OVER));
    /* 万 vs 万元 vs 元 */
    m = case_("800万元以上", NULL, "1000万", "6", "6", &s, &f);
    CHECK(eqf(&s, 6, 1) && (f & XC_SCORE_MET));
    m = case_("≤15万元", NULL, "143000元", "10", "10", &s, &f);
    CHECK(eqf(&s, 10, 1) && (f & XC_SCORE_MET));
    /* range */
    m = case_("90%-95%", NULL, "80%", "10", "8.9", &s, &f);
    CHECK(eqf(&s, 80, 9));
    m = case_("90%-95%", NULL, "92%", "10", "10", &s, &f);
    CHECK((f & XC_SCORE_MET));
    /* qualitative: no quantitative score */
    m = case_("明显提升", NULL, "明显提升", "5", "5", &s, &f);
    CHECK(f & XC_SCORE_NOSCORE);
    xc_num_clear(&s);
}

static void fund(void)
{
    xc_num e, b, p, rate, ratio, score, stated;
    xc_num_init(&e);
    xc_num_init(&b);
    xc_num_init(&p);
    xc_num_init(&rate);
    xc_num_init(&ratio);
    xc_num_init(&score);
    xc_num_init(&stated);
    /* 表11: 1373.69 -> 1291.61, 10: 9.4024..., 9.4 by any policy */
    num(&b, "1373.69");
    num(&e, "1291.61");
    num(&p, "10");
    CHECK(xc_score_fund(&rate, &ratio, &score, &e, &b, &p, 1) == XC_OK);
    CHECK(eqf(&rate, 129161, 137369) && eqf(&ratio, 129161, 137369));
    CHECK(eqf(&score, 1291610, 137369));
    num(&stated, "9.4");
    unsigned m = xc_policy_match(&stated, &ratio, &score, &p, XC_POL_ALL);
    CHECK((m & B(XC_POL_ROUND1)) && (m & B(XC_POL_TRUNC1)) &&
          (m & B(XC_POL_PCT_ROUND1)) && (m & B(XC_POL_PCT_TRUNC1)));
    /* budget 100 -> executed 105: 10 points (capped), rate 21/20 */
    num(&b, "100");
    num(&e, "105");
    CHECK(xc_score_fund(&rate, &ratio, &score, &e, &b, &p, 1) == XC_OK);
    CHECK(eqf(&score, 10, 1) && eqf(&rate, 21, 20) && eqf(&ratio, 1, 1));
    CHECK(xc_score_fund(&rate, &ratio, &score, &e, &b, &p, 0) == XC_OK);
    CHECK(eqf(&score, 21, 2));
    /* budget 0 is an error, not 0 points */
    num(&b, "0");
    CHECK(xc_score_fund(&rate, &ratio, &score, &e, &b, &p, 1) == XC_EDIVZERO);
    xc_num_clear(&e);
    xc_num_clear(&b);
    xc_num_clear(&p);
    xc_num_clear(&rate);
    xc_num_clear(&ratio);
    xc_num_clear(&score);
    xc_num_clear(&stated);
}

static void bands_grades_names(void)
{
    xc_num s, p;
    xc_num_init(&s);
    xc_num_init(&p);
    xc_num_set_int(&p, 5);
    xc_num_set_int(&s, 4); /* 80%: 达成 */
    CHECK(xc_score_in_band(&s, &p, XC_TIER_MET));
    CHECK(!xc_score_in_band(&s, &p, XC_TIER_PARTIAL));
    xc_num_set_frac(&s, 39, 10); /* 78% */
    CHECK(!xc_score_in_band(&s, &p, XC_TIER_MET));
    CHECK(xc_score_in_band(&s, &p, XC_TIER_PARTIAL));
    xc_num_set_int(&s, 3); /* 60% */
    CHECK(xc_score_in_band(&s, &p, XC_TIER_PARTIAL));
    CHECK(!xc_score_in_band(&s, &p, XC_TIER_UNMET));
    xc_num_set_frac(&s, 29, 10);
    CHECK(xc_score_in_band(&s, &p, XC_TIER_UNMET));
    xc_num_set_int(&s, 6);
    CHECK(!xc_score_in_band(&s, &p, XC_TIER_UNKNOWN));
    xc_num_set_int(&s, 90);
    CHECK_STR(xc_grade_of(&s, &st), "优");
    xc_num_set_frac(&s, 899, 10);
    CHECK_STR(xc_grade_of(&s, &st), "良");
    xc_num_set_int(&s, 60);
    CHECK_STR(xc_grade_of(&s, &st), "中");
    xc_num_set_frac(&s, 599, 10);
    CHECK_STR(xc_grade_of(&s, &st), "差");
    st.grade_excellent = 95;
    xc_num_set_int(&s, 94);
    CHECK_STR(xc_grade_of(&s, &st), "良");
    st.grade_excellent = 90;
    CHECK_STR(xc_policy_name(XC_POL_ROUND1), "round1");
    CHECK_STR(xc_policy_name(XC_POL_TRUNC2), "trunc2");
    CHECK_STR(xc_policy_name(XC_POL_PCT_ROUND1), "ratio%:round1");
    CHECK_STR(xc_policy_name(XC_POL_PML_TRUNC1), "ratio0.1%:trunc1");
    CHECK(xc_policy_name(XC_POL_COUNT) == NULL);
    xc_buf b;
    xc_buf_init(&b);
    xc_policy_names(&b, B(XC_POL_EXACT) | B(XC_POL_TRUNC1));
    CHECK_STR(b.p, "exact, trunc1");
    xc_buf_clear(&b);
    xc_num_clear(&s);
    xc_num_clear(&p);
}

int main(void)
{
    xc_form_settings_default(&st);
    worked_examples();
    fund();
    bands_grades_names();
    return xtest_done();
}
