/* test_form_value.c - the indicator notation parser (FORMS.md s.4). */
#include <string.h>
#include "exacalc/form.h"
#include "xtest.h"

static xc_indicator ind;

static const xc_indicator *P(const char *s, const char *name)
{
    xc_indicator_parse(&ind, s, strlen(s), name);
    return &ind;
}

/* lo == n/d exactly */
static int LO(int64_t n, int64_t d)
{
    xc_num x;
    xc_num_init(&x);
    xc_num_set_frac(&x, n, d);
    int eq = xc_num_equal(&ind.lo, &x);
    xc_num_clear(&x);
    return eq;
}

static int HI(int64_t n, int64_t d)
{
    xc_num x;
    xc_num_init(&x);
    xc_num_set_frac(&x, n, d);
    int eq = xc_num_equal(&ind.hi, &x);
    xc_num_clear(&x);
    return eq;
}

static void operators(void)
{
    P("≥90%", NULL);
    CHECK(ind.op == XC_OP_GE && ind.dir == XC_DIR_POSITIVE && LO(9, 10));
    CHECK_STR(ind.unit, "%");
    CHECK(ind.flags & XC_IND_PERCENT);
    P("≧９０％", NULL); /* full-width */
    CHECK(ind.op == XC_OP_GE && LO(9, 10));
    CHECK_STR(ind.unit, "%");
    P(">= 60 %", NULL);
    CHECK(ind.op == XC_OP_GE && LO(3, 5));
    P("30人以上", NULL);
    CHECK(ind.op == XC_OP_GE && LO(30, 1));
    CHECK_STR(ind.unit, "人");
    P("5件以上", NULL);
    CHECK(ind.op == XC_OP_GE && LO(5, 1));
    CHECK_STR(ind.unit, "件");
    P("20人及以上", NULL);
    CHECK(ind.op == XC_OP_GE);
    P("不低于95%", NULL);
    CHECK(ind.op == XC_OP_GE && LO(19, 20));
    P("不少于1000家", NULL);
    CHECK(ind.op == XC_OP_GE && LO(1000, 1));
    CHECK_STR(ind.unit, "家");
    P("至少3项", NULL);
    CHECK(ind.op == XC_OP_GE && LO(3, 1));
    P("达到98%以上", NULL);
    CHECK(ind.op == XC_OP_GE && LO(49, 50));
    P("超过8%", NULL);
    CHECK(ind.op == XC_OP_GT && LO(2, 25));
    P("＞5", NULL);
    CHECK(ind.op == XC_OP_GT && LO(5, 1));
    P("≤1", NULL);
    CHECK(ind.op == XC_OP_LE && ind.dir == XC_DIR_REVERSE && LO(1, 1));
    P("≦15万元", NULL);
    CHECK(ind.op == XC_OP_LE && LO(15, 1));
    CHECK_STR(ind.unit, "万元");
    P("10%以下", NULL);
    CHECK(ind.op == XC_OP_LE && ind.dir == XC_DIR_REVERSE && LO(1, 10));
    P("下降至10%以下", NULL);
    CHECK(ind.op == XC_OP_LE && LO(1, 10));
    P("控制在5%以内", NULL);
    CHECK(ind.op == XC_OP_LE && LO(1, 20));
    P("不超过3天", NULL);
    CHECK(ind.op == XC_OP_LE && LO(3, 1));
    CHECK_STR(ind.unit, "天");
    P("不高于2%", NULL);
    CHECK(ind.op == XC_OP_LE);
    P("降低到3%", NULL);
    CHECK(ind.op == XC_OP_LE);
    P("低于5%", NULL);
    CHECK(ind.op == XC_OP_LT && ind.dir == XC_DIR_REVERSE);
    P("不满18周", NULL);
    CHECK(ind.op == XC_OP_LT);
    P("＜3", NULL);
    CHECK(ind.op == XC_OP_LT && LO(3, 1));
    P("=100%", NULL);
    CHECK(ind.op == XC_OP_EQ && LO(1, 1));
}

static void plain_and_units(void)
{
    P("150", NULL);
    CHECK(ind.op == XC_OP_NONE && ind.dir == XC_DIR_POSITIVE && LO(150, 1));
    CHECK_STR(ind.unit, "");
    P("14 家", NULL);
    CHECK(LO(14, 1));
    CHECK_STR(ind.unit, "家");
    P("0.5 万元/家", NULL);
    CHECK(LO(1, 2));
    CHECK_STR(ind.unit, "万元/家");
    P("2 元/人次", NULL);
    CHECK(LO(2, 1));
    CHECK_STR(ind.unit, "元/人次");
    P("3万/次", NULL);
    CHECK(LO(3, 1));
    CHECK_STR(ind.unit, "万元/次");
    P("50000元", NULL);
    CHECK(LO(50000, 1));
    CHECK_STR(ind.unit, "元");
    P("1000万", NULL); /* a lone 万 is money */
    CHECK(LO(1000, 1));
    CHECK_STR(ind.unit, "万元");
    P("2万家次", NULL);
    CHECK(LO(20000, 1));
    CHECK_STR(ind.unit, "家次");
    P("90百分比", NULL);
    CHECK(LO(9, 10));
    CHECK_STR(ind.unit, "%");
    P("5‰", NULL);
    CHECK(LO(1, 200));
    CHECK_STR(ind.unit, "‰");
    P("100㎡", NULL);
    CHECK_STR(ind.unit, "㎡");
    P("12公里", NULL);
    CHECK_STR(ind.unit, "公里");
    P("100 亩", NULL);
    CHECK_STR(ind.unit, "亩");
    P("1,000人", NULL);
    CHECK(LO(1000, 1));
    P("100家左右", NULL);
    CHECK(ind.flags & XC_IND_APPROX);
    P("１２０人次", NULL);
    CHECK(LO(120, 1));
    CHECK_STR(ind.unit, "人次");
}

static void ranges(void)
{
    P("90%-95%", NULL);
    CHECK(ind.op == XC_OP_RANGE && LO(9, 10) && HI(19, 20));
    CHECK_STR(ind.unit, "%");
    P("3~5天", NULL);
    CHECK(ind.op == XC_OP_RANGE && LO(3, 1) && HI(5, 1));
    CHECK_STR(ind.unit, "天");
    P("3～5天", NULL);
    CHECK(ind.op == XC_OP_RANGE && LO(3, 1) && HI(5, 1));
    P("90-95%", NULL);
    CHECK(ind.op == XC_OP_RANGE && LO(9, 10) && HI(19, 20));
    P("1-2 项", NULL);
    CHECK(ind.op == XC_OP_RANGE && LO(1, 1) && HI(2, 1));
}

static void directions(void)
{
    P("0起", NULL);
    CHECK(ind.dir == XC_DIR_ZERO && LO(0, 1));
    P("零事故", NULL);
    CHECK(ind.dir == XC_DIR_ZERO);
    P("=0", NULL);
    CHECK(ind.dir == XC_DIR_ZERO);
    P("2307.59", "企业年度研发费用补助");
    CHECK(ind.dir == XC_DIR_REVERSE && LO(230759, 100));
    P("5%", "项目损失率");
    CHECK(ind.dir == XC_DIR_REVERSE);
    P("2", "安全事故次数");
    CHECK(ind.dir == XC_DIR_REVERSE);
    P("3", "群众投诉");
    CHECK(ind.dir == XC_DIR_REVERSE);
    P("3", "服务企业数");
    CHECK(ind.dir == XC_DIR_POSITIVE);
    /* an explicit operator beats the name */
    P("800万元以上", "成本指标 引导科技创新投入");
    CHECK(ind.dir == XC_DIR_POSITIVE);
}

static void words_dates(void)
{
    P("2024年12月31日前", NULL);
    CHECK(ind.dir == XC_DIR_DEADLINE && ind.year == 2024 && ind.month == 12 &&
          ind.day == 31);
    P("2024 年 12 月 30 日前", NULL);
    CHECK(ind.dir == XC_DIR_DEADLINE && ind.day == 30);
    P("年底前", NULL);
    CHECK(ind.dir == XC_DIR_DEADLINE && ind.month == 12);
    P("2024年底", NULL);
    CHECK(ind.dir == XC_DIR_DEADLINE && ind.year == 2024 && ind.month == 12);
    P("每年6月30日前完成100%", NULL);
    CHECK(ind.dir == XC_DIR_DEADLINE && ind.month == 6 && ind.day == 30);
    P("2024年1月-2024年12月", NULL);
    CHECK(ind.dir == XC_DIR_DEADLINE && ind.month == 12);
    P("及时", NULL);
    CHECK(ind.dir == XC_DIR_QUAL && ind.tier == XC_TIER_MET);
    P("明显提升", NULL);
    CHECK(ind.dir == XC_DIR_QUAL && ind.tier == XC_TIER_MET);
    P("达到预期目标", NULL);
    CHECK(ind.dir == XC_DIR_QUAL && ind.tier == XC_TIER_MET);
    P("是", NULL);
    CHECK(ind.tier == XC_TIER_MET);
    P("部分达成", NULL);
    CHECK(ind.tier == XC_TIER_PARTIAL);
    P("未达成", NULL);
    CHECK(ind.tier == XC_TIER_UNMET);
    P("否", NULL);
    CHECK(ind.tier == XC_TIER_UNMET);
    P("不断增强", NULL); /* 不断 is not a negation */
    CHECK(ind.tier == XC_TIER_MET);
    P("**人", NULL);
    CHECK(ind.dir == XC_DIR_UNPARSED && (ind.flags & XC_IND_PLACEHOLDER));
    P("＊＊家", NULL);
    CHECK(ind.dir == XC_DIR_UNPARSED && (ind.flags & XC_IND_PLACEHOLDER));
    P("培训合格率达到100%,创新方法实践项目完成率90%", NULL);
    CHECK(ind.dir == XC_DIR_UNPARSED && (ind.flags & XC_IND_MULTI));
    P("", NULL);
    CHECK(ind.dir == XC_DIR_EMPTY);
    P("—", NULL);
    CHECK(ind.dir == XC_DIR_EMPTY);
}

static void actual_values(void)
{
    xc_value v = {0};
    xc_value_set_int(&v, 94);
    xc_indicator_from_value(&ind, &v, NULL, NULL);
    CHECK(ind.has_num && LO(94, 1) && !(ind.flags & XC_IND_PERCENT));
    xc_num x;
    xc_num_init(&x);
    xc_num_set_frac(&x, 94, 100);
    xc_value_set_num(&v, &x);
    xc_indicator_from_value(&ind, &v, "0%", NULL);
    CHECK(ind.has_num && LO(47, 50) && (ind.flags & XC_IND_PERCENT));
    CHECK_STR(ind.unit, "%");
    xc_value_set_text(&v, "94%", strlen("94%"));
    xc_indicator_from_value(&ind, &v, NULL, NULL);
    CHECK(ind.has_num && LO(47, 50) && (ind.flags & XC_IND_PERCENT));
    xc_value_set_text(&v, "0.94", 4);
    xc_indicator_from_value(&ind, &v, NULL, NULL);
    CHECK(ind.has_num && LO(47, 50) && !(ind.flags & XC_IND_PERCENT));
    xc_value_set_text(&v, "≤14.3万元", strlen("≤14.3万元"));
    xc_indicator_from_value(&ind, &v, NULL, NULL);
    CHECK(ind.has_num && LO(143, 10));
    xc_value_clear(&v);
    xc_indicator_from_value(&ind, &v, NULL, NULL);
    CHECK(ind.dir == XC_DIR_EMPTY);
    xc_num_clear(&x);
}

int main(void)
{
    xc_indicator_init(&ind);
    operators();
    plain_and_units();
    ranges();
    directions();
    words_dates();
    actual_values();
    CHECK_STR(xc_ind_op_name(XC_OP_GE), "≥");
    CHECK_STR(xc_ind_dir_name(XC_DIR_REVERSE), "reverse");
    xc_indicator_clear(&ind);
    return xtest_done();
}
