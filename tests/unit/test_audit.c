/* test_audit.c - the rule catalogue over forms built like seed 004's
 * 自评表 (表1, 表2, 表6, 表7, 表11, 表12, 表13) and the target tables
 * of seeds 000 and 001, with the truths FORMS.md states about them; and
 * the real sample workbooks when they exist. */
#include <stdlib.h>
#include <string.h>
#include "exacalc/form.h"
#include "exacalc/xlsx.h"
#include "xtest.h"

static uint32_t pct_style;

/* Put a cell typed like the sample generator: decimals are numbers,
 * "NN%" a percent-formatted fraction, anything else text. */
static void put(xc_book *b, int s, uint32_t r, uint32_t c, const char *t,
                size_t n)
{
    if (n == 0)
        return;
    xc_value v = {0};
    xc_num x;
    xc_num_init(&x);
    int pct = 0;
    if (xc_num_parse(&x, t, n, 0, NULL) == XC_OK) {
        xc_value_take_num(&v, &x);
    } else if (n > 1 && t[n - 1] == '%' &&
               xc_num_parse(&x, t, n - 1, 0, NULL) == XC_OK) {
        xc_num_scale10(&x, &x, -2);
        xc_value_take_num(&v, &x);
        pct = 1;
    } else {
        xc_value_set_text(&v, t, n);
    }
    CHECK(xc_book_set_value(b, s, r, c, &v) == XC_OK);
    if (pct)
        xc_book_set_style(b, s, r, c, pct_style);
    xc_value_clear(&v);
    xc_num_clear(&x);
}

/* Cells separated by '|' from column c0. */
static void row(xc_book *b, int s, uint32_t r, uint32_t c0, const char *cells)
{
    const char *p = cells;
    uint32_t c = c0;
    for (;;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        put(b, s, r, c, p, n);
        if (!e)
            break;
        p = e + 1;
        c++;
    }
}

/* A 自评表 in the sample generator's layout (columns A-I).  fund: four
 * rows "label|年初|全年|执行|分值|执行率|得分"; items:
 * "一级|二级|三级|指标值|实际值|分值|得分|偏差" (empty = continues);
 * total "分值|得分".  perf: a leading 绩效指标 column.  Items start on
 * row 11 (index 10). */
static int selfeval(xc_book *b, const char *name, const char *const *fund,
                    const char *const *items, const char *total, int perf)
{
    int s;
    CHECK(xc_book_add_sheet(b, name, strlen(name), &s) == XC_OK);
    row(b, s, 0, 0, "项目名称||测试项目");
    row(b, s, 1, 0, "主管部门||石嘴山市科技局|||实施单位|某单位");
    row(b, s, 2, 0,
        "项目资金（万元）|||年初预算数|全年预算数|全年执行数|分值|执行率|"
        "得分");
    for (int k = 0; k < 4; k++)
        row(b, s, 3 + (uint32_t)k, 2, fund[k]);
    row(b, s, 7, 0, "年度总体目标|预期目标||||实际完成情况");
    row(b, s, 8, 1, "目标||||完成");
    if (perf)
        row(b, s, 9, 0,
            "绩效指标|一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|"
            "得分|偏差原因分析及改进措施");
    else
        row(b, s, 9, 0,
            "一级指标|二级指标|三级指标||年度指标值|实际完成值|分值|得分|"
            "偏差原因分析及改进措施");
    uint32_t r = 10;
    for (; *items; items++, r++) {
        if (perf) {
            if (r == 10)
                row(b, s, r, 0, "绩效指标");
            row(b, s, r, 1, *items);
        } else {
            /* 一级, 二级, 三级 in A, B, C; the figures from E */
            const char *p = *items;
            const char *e1 = strchr(p, '|');
            const char *e2 = strchr(e1 + 1, '|');
            const char *e3 = strchr(e2 + 1, '|');
            char head[600];
            size_t hn = (size_t)(e3 - p);
            memcpy(head, p, hn);
            head[hn] = 0;
            row(b, s, r, 0, head);
            row(b, s, r, 4, e3 + 1);
        }
    }
    row(b, s, r, 0, "总分");
    row(b, s, r, 6, total);
    return s;
}

static xc_form_settings st;

static void add_styles(xc_book *b)
{
    uint32_t general;
    xc_book_add_style(b, "General", &general);
    xc_book_add_style(b, "0%", &pct_style);
}

static xc_audit *audit(xc_book *b)
{
    xc_audit *a = NULL;
    CHECK(xc_audit_book(b, &st, &a) == XC_OK);
    return a;
}

/* The finding of rule at sheet!cell, or NULL. */
static const xc_finding *at(const xc_audit *a, const char *rule,
                            const char *sheet, const char *cell)
{
    for (size_t i = 0; i < xc_audit_count(a); i++) {
        const xc_finding *f = xc_audit_get(a, i);
        if (!strcmp(f->rule, rule) && !strcmp(f->sheet_name, sheet) &&
            !strcmp(f->cell, cell))
            return f;
    }
    return NULL;
}

/* The first finding of rule on sheet, or NULL. */
static const xc_finding *first(const xc_audit *a, const char *rule,
                               const char *sheet)
{
    for (size_t i = 0; i < xc_audit_count(a); i++) {
        const xc_finding *f = xc_audit_get(a, i);
        if (!strcmp(f->rule, rule) && !strcmp(f->sheet_name, sheet))
            return f;
    }
    return NULL;
}

static size_t count_in(const xc_audit *a, const char *sheet, const char *rule,
                       xc_severity min)
{
    size_t n = 0;
    for (size_t i = 0; i < xc_audit_count(a); i++) {
        const xc_finding *f = xc_audit_get(a, i);
        if (!strcmp(f->sheet_name, sheet) && f->severity >= min &&
            (!rule || !strcmp(f->rule, rule)))
            n++;
    }
    return n;
}

static int review_agrees(xc_book *b, const xc_audit *a, int verbose);

static void dump(const xc_audit *a)
{
    xc_buf b;
    xc_buf_init(&b);
    xc_audit_text(&b, a, NULL, &st);
    fputs(b.p ? b.p : "", stderr);
    xc_buf_clear(&b);
}

/* ---------------------------------------------------------------- */

static const char *const t1_fund[] = {
    "年度资金总额:|500|500|500|10|100|10", "其中:当年财政拨款|0|0|0|—|0|—",
    "上年结转资金|500|500|500|—|100|—", "其他资金|0|0|0|—|0|—"};
static const char *const t1_items[] = {
    "产出指标 (50分)|数量指标|指标1:立项项目个数|10|13|10|10|",
    "||指标1:项目实施进度(%)|≥60%|56%|10|9.3|",
    "|时效指标|指标1:资金拨付及时率(%)|≥90%|100%|10|10|",
    "||指标2:资金支出及时率(%)|≥60%|52%|10|8.7|",
    "|成本指标|指标1:项目立项管理成本(万元)|≤1|0.85|10|10|",
    "效益指标 (30分)|经济效益指标|指标1:项目实施完成后,可带动实施主体增加收入"
    "。|是|是|5|4|",
    "|社会效益指标|指标1:项目实施可带动就业作用明显|提升|明显提升|5|5|",
    "||指标2:项目实施可完善园区研发检测服务功能|提升|显著提升|5|4|",
    "|生态效益指标|指标1:专项实施改善生态环境|显著|显著改善|10|10|",
    "|可持续影响指标|指标1:项目实施完善园区科研公共服务功能|是|是|5|4|",
    "满意度指标 (10分)|服务对象满意度指标|指标1:对科技管理部门的满意度(%)|"
    "≥90%|100%|5|5|",
    "||指标2:对园区检验检测服务平台满意度(%)|≥90%|88%|5|4.9|"
    "服务项目偏少;引导服务机构持续完善服务项目",
    NULL};

static const char *const t7_fund[] = {
    "年度资金总额:|1406.8|1406.8|1406.8|10|100%|10",
    "其中:当年财政拨款|1406.8|1406.8|1406.8|—|—|—", "上年结转资金||||—|—|—",
    "其他资金||||—|—|—"};
static const char *const t7_items[] = {
    "产出指标 (50分)|数量指标|实施项目13项|21项|21项|10|10|",
    "||项目完成后引进培养创新人才|30人以上|29人|10|9.6|",
    "||项目完成后形成科技成果和产品|20件以上|20|10|10|",
    "|质量指标|项目预计按期验收率|100%|100%|5|5|",
    "|时效指标|资金拨付及时率|100%|100%|5|5|",
    "|成本指标|引导科技创新投入|1500万元以上|1520万元|10|10|",
    "效益指标 (30分)|经济效益指标|降低资源成本|成效显著|成效显著|5|5|",
    "|社会效益指标|创新环境改善|持续优化|持续优化|5|5|",
    "||吸引产业领域优秀人才|成效明显|成效明显|5|5|",
    "|生态效益指标|符合双碳目标要求|符合要求|符合要求|5|5|",
    "|可持续影响指标|带动产业转型升级|作用积极|作用积极|5|5|",
    "||改善生态环境|成效明显|成效明显|5|5|",
    "满意度指标 (10分)|服务对象满意度指标|满意度达到一定要求|95%以上|99%|10|"
    "10|",
    NULL};

static const char *const t11_fund[] = {
    "年度资金总额:|1373.69|1373.69|1291.61|10|94%|9.4",
    "其中:当年财政拨款|1373.69|1373.69|1291.61|—|—|—", "上年结转资金||||—|—|—",
    "其他资金||||—|—|—"};
static const char *const t11_items[] = {
    "产出指标 (50分)|数量指标|年度研发费用补助支持企业数|150|142|10|9.4|"
    "宁夏锦华化工有限公司等因欠税、罚款未缴纳、停产等",
    "|数量指标|规上工业企业新增研发费用奖励企业数|30|28|10|9.3|"
    "因欠税、停产,督促企业尽快缴清税款",
    "|质量指标|补助企业中科技型企业占比|50%以上|75%|10|10|",
    "|时效指标|资金按时下拨付率|90%以上|94%|10|10|",
    "|成本指标|企业年度研发费用补助|1373.6万元|1291.61万元|10|10|",
    "效益指标 (30分)|经济效益指标|带动企业先行投入研发资金|达到预期目标|"
    "达到预期目标|5|5|",
    "|社会效益指标|促进创新发展,降低能耗,减轻碳排放,不断增强企业效益|"
    "达到预期目标|达到预期目标|5|5|",
    "|生态效益指标|符合双碳目标要求|不断增强|不断增强|5|5|",
    "|可持续影响指标|对产业的支持作用|推动提升竞争力|推动提升竞争力|5|5|",
    "满意度指标 (10分)|服务对象满意度指标|相关企业满意度|90%以上|95%|10|10|",
    NULL};

static const char *const t12_fund[] = {
    "年度资金总额:|2307.59|2307.59|2180.1|10|94|9.4",
    "其中:当年财政拨款|2307.59|2307.59|2180.1|—|94|—", "上年结转资金||||—||—",
    "其他资金||||—||—"};
static const char *const t12_items[] = {
    "产出指标 (50分)|数量指标|年度研发费用补助支持企业数|184|175|15|14.2|"
    "恒达纺织等因企业生产经营异常不予拨付",
    "|质量指标|补助企业中科技型企业占比|50|50|10|10|",
    "|时效指标|资金按时下达率|90%|90%|10|10|",
    "|成本指标|企业年度研发费用补助|2307.59|2180.1|15|14.9|"
    "恒达纺织等9家企业生产经营异常",
    "效益指标 (30分)|经济效益指标|带动企业先行投入研发资金|达到预期目标|"
    "达到预期目标|8|8|",
    "|社会效益指标|提升企业研发积极性|不断增强|不断增强|8|8|",
    "|生态效益指标|促进创新发展,降低能耗,减轻碳排放,不断增强企业效益|"
    "达到预期目标|达到预期目标|7|7|",
    "|可持续影响指标|对产业的支持作用|推动提升竞争力|推动提升竞争力|7|7|",
    "满意度指标 (10分)|服务对象满意度指标|相关企业满意度|90%以上|90%以上|10|"
    "10|",
    NULL};

static const char *const t13_fund[] = {
    "年度资金总额:||||10|100|10", "其中:当年财政拨款|394.8|394.8|394.8|—|100|—",
    "上年结转资金||||—||—", "其他资金||||—||—"};
static const char *const t13_items[] = {
    "产出指标 (50分)|数量指标|支持企业数量|12|12|10|10|",
    "|时效指标|资金按时下达率|及时拨付|及时拨付|20|20|",
    "|成本指标|自治区科技金融补助资金|394.8|394.8|20|20|",
    "效益指标 (30分)|经济效益指标|切实降低企业融资成本|达到预期目标|"
    "达到预期目标|7|7|",
    "|社会效益指标|提升企业研发及成果转化积极性|不断增强|不断增强|8|8|",
    "|生态效益指标|企业研发投入持续增长|达到预期目标|达到预期目标|7|7|",
    "|可持续影响指标|补充企业研发资金|提升新产品产出|提升新产品产出|8|8|",
    "满意度指标 (10分)|服务对象满意度指标|相关企业满意度|90%以上|90%以上|10|"
    "10|",
    NULL};

static const char *const t6_fund[] = {
    "年度资金总额:|370|370|370|10|100%|10", "其中:当年财政拨款|370|370||—||—",
    "上年结转资金||||—||—", "其他资金||||—||—"};
static const char *const t6_items[] = {
    "产出指标 (50分)|数量指标|促进科技企业数量质量双提升|11|11家|6|6|",
    "||引进培养创新人才|20人以上|23人|8|8|",
    "||申请知识产权|11件以上|12件|6|6|",
    "|质量指标|奖补资金用于开展科研活动|符合要求|符合要求|10|10|",
    "|时效指标|资金拨付及时率|100%|100%|10|10|",
    "|成本指标|引导科技创新投入|500万以上|510万元|10|10|",
    "效益指标 (30分)|经济效益指标|降低资源成本|成效显著|成效显著|5|5|",
    "|社会效益指标|创新环境改善|持续优化|持续优化|5|5|",
    "||吸引产业领域优秀人才|成效明显|成效明显|5|5|",
    "|生态效益指标|符合双碳目标要求|符合要求|符合要求|5|5|",
    "|可持续影响指标|带动产业转型升级|支撑引领|支撑引领|5|5|",
    "||改善生态环境|持续优化|持续优化|5|5|",
    "满意度指标 (10分)|服务对象满意度指标|满意度达到一定要求|95%以上|99%|10|"
    "10|",
    NULL};

static void seed004(void)
{
    xc_book *b = xc_book_new();
    add_styles(b);
    selfeval(b, "表1", t1_fund, t1_items, "100|94.9", 0);
    selfeval(b, "表7", t7_fund, t7_items, "100|99.6", 0);
    selfeval(b, "表11", t11_fund, t11_items, "100|98.1", 1);
    selfeval(b, "表12", t12_fund, t12_items, "100|98.5", 0);
    selfeval(b, "表13", t13_fund, t13_items, "100|100", 0);
    selfeval(b, "表6", t6_fund, t6_items, "100|100", 0);
    xc_audit *a = audit(b);
    if (!a) {
        xc_book_free(b);
        return;
    }
    CHECK(xc_audit_forms(a) == 6);
    const xc_finding *f;

    /* 表1: clean; its scores reproduced by rounding half up only */
    CHECK(count_in(a, "表1", NULL, XC_SEV_ERROR) == 0);
    CHECK(count_in(a, "表1", "score.policy", XC_SEV_WARNING) == 0);
    f = first(a, "score.policy", "表1");
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f) {
        CHECK(strstr(f->policies, "round1") && !strstr(f->policies, "trunc"));
    }
    /* each rounded score says which policies reproduce it */
    f = at(a, "score.quant", "表1", "H14"); /* 8.7 = ROUND(26/3, 1) */
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f) {
        CHECK_STR(f->stated, "8.7");
        CHECK_STR(f->computed, "26/3 = 8.(6)");
        CHECK(strstr(f->policies, "round1") && !strstr(f->policies, "trunc"));
    }
    f = at(a, "score.quant", "表12", "H11"); /* 14.2 from 2625/184 */
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f)
        CHECK(strstr(f->policies, "trunc1") && !strstr(f->policies, "round"));
    f = at(a, "fund.score", "表11", "I4"); /* 9.4 from 9.4024... */
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f)
        CHECK(strstr(f->policies, "round1") && strstr(f->policies, "trunc1"));
    /* 9.3 and 8.7 lost points without a reason: warnings */
    CHECK(at(a, "deviation.missing", "表1", "I12") != NULL);
    CHECK(at(a, "deviation.missing", "表1", "I22") == NULL); /* has one */
    /* 13 against 10 is over 130% of the target */
    CHECK(at(a, "score.quant", "表1", "F11") != NULL);

    /* 表7: clean; truncation only */
    CHECK(count_in(a, "表7", NULL, XC_SEV_ERROR) == 0);
    f = first(a, "score.policy", "表7");
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f) {
        CHECK(strstr(f->policies, "trunc1") && !strstr(f->policies, "round"));
    }

    /* 表11: 总分 98.1 against 88.1, 分值 100 against 90, 效益 (30分)
     * holding 20; 9.4 reproduced by truncation only */
    f = at(a, "total.sum", "表11", "H21");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f) {
        CHECK_STR(f->stated, "98.1");
        CHECK_STR(f->computed, "88.1");
    }
    f = at(a, "points.total", "表11", "G21");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f) {
        CHECK_STR(f->stated, "100");
        CHECK_STR(f->computed, "90");
    }
    f = at(a, "points.section", "表11", "B16");
    CHECK(f != NULL);
    if (f) {
        CHECK_STR(f->stated, "30");
        CHECK_STR(f->computed, "20");
    }
    CHECK(count_in(a, "表11", "points.section", XC_SEV_ERROR) == 1);
    CHECK(count_in(a, "表11", "score.quant", XC_SEV_ERROR) == 0);
    CHECK(count_in(a, "表11", "fund.score", XC_SEV_ERROR) == 0);
    CHECK(count_in(a, "表11", "fund.rate", XC_SEV_ERROR) == 0);
    f = first(a, "score.policy", "表11");
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f) {
        CHECK(strstr(f->policies, "trunc1") && !strstr(f->policies, "round"));
    }
    CHECK(count_in(a, "表11", NULL, XC_SEV_ERROR) == 3);

    /* 表12: the cost score 14.9 is reproduced by no rule (met -> 15);
     * 14.2 by truncation only */
    f = at(a, "score.quant", "表12", "H14");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f) {
        CHECK_STR(f->stated, "14.9");
        CHECK_STR(f->computed, "15");
        CHECK_STR(f->policies, "");
    }
    CHECK(count_in(a, "表12", NULL, XC_SEV_ERROR) == 1);
    f = first(a, "score.policy", "表12");
    CHECK(f && f->severity == XC_SEV_INFO);
    if (f) {
        CHECK(strstr(f->policies, "trunc1") && !strstr(f->policies, "round"));
    }

    /* 表13: 年度资金总额 blank against 394.8 in each column */
    f = at(a, "fund.sum", "表13", "E4");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f) {
        CHECK_STR(f->stated, "");
        CHECK_STR(f->computed, "394.8");
    }
    CHECK(at(a, "fund.sum", "表13", "D4") && at(a, "fund.sum", "表13", "F4"));
    CHECK(count_in(a, "表13", NULL, XC_SEV_ERROR) == 3);

    /* 表6: 财政拨款 全年执行数 blank against the total 370 */
    f = at(a, "fund.sum", "表6", "F4");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f) {
        CHECK_STR(f->stated, "370");
        CHECK_STR(f->computed, "0");
    }
    CHECK(count_in(a, "表6", NULL, XC_SEV_ERROR) == 1);
    if (xtest_fail)
        dump(a);

    /* reports */
    xc_buf out;
    xc_buf_init(&out);
    CHECK(xc_audit_json(&out, a, "seed004.xlsx", &st) == XC_OK);
    CHECK(out.p && strstr(out.p, "\"file\":\"seed004.xlsx\""));
    CHECK(out.p && strstr(out.p, "{\"rule\":\"total.sum\",\"severity\":"
                                 "\"error\",\"sheet\":\"表11\",\"cell\":"
                                 "\"H21\",\"stated\":\"98.1\",\"computed\":"
                                 "\"88.1\""));
    xc_buf_reset(&out);
    CHECK(xc_audit_text(&out, a, "f.xlsx", &st) == XC_OK);
    CHECK(out.p && strstr(out.p, "f.xlsx: 表11!H21: error total.sum"));
    xc_buf_clear(&out);
    xc_audit_free(a);

    /* English messages */
    st.lang = XC_LANG_EN;
    a = audit(b);
    f = a ? at(a, "total.sum", "表11", "H21") : NULL;
    CHECK(f && strstr(f->message, "total stated 98.1"));
    xc_audit_free(a);
    st.lang = XC_LANG_ZH;
    /* the review sheets reach the audit's verdicts */
    a = audit(b);
    CHECK(a && review_agrees(b, a, 0) == 0);
    if (a) {
        /* 表1's 8.7 is reproduced by ROUND only */
        int rs = xc_book_find_sheet(b, "复核-表1", strlen("复核-表1"));
        int seen = 0;
        uint32_t nr, nc;
        xc_book_sheet_extent(b, rs, &nr, &nc);
        for (uint32_t r = 2; r < nr; r++) {
            const xc_value *cell = xc_book_get(b, rs, r, 2);
            const xc_value *m = xc_book_get(b, rs, r, 11);
            if (cell->type == XC_TEXT && !strcmp(cell->u.str->s, "H14") &&
                m->type == XC_TEXT) {
                seen = 1;
                CHECK(strstr(m->u.str->s, "round1") &&
                      !strstr(m->u.str->s, "trunc"));
            }
        }
        CHECK(seen);
    }
    xc_audit_free(a);
    xc_book_free(b);
}

/* Synthetic cases: budget 100 -> executed 105; budget 0; a form mixing
 * policies; a qualitative score outside its band; a wrong grade. */
static void synthetic(void)
{
    static const char *const fund_over[] = {
        "年度资金总额:|100|100|105|10|105%|10",
        "其中:当年财政拨款|100|100|105|—|—|—", "上年结转资金||||—|—|—",
        "其他资金||||—|—|—"};
    static const char *const fund_zero[] = {
        "年度资金总额:|0|0|5|10||10", "其中:当年财政拨款|0|0|5|—|—|—",
        "上年结转资金||||—|—|—", "其他资金||||—|—|—"};
    static const char *const mixed[] = {
        "产出指标 (50分)|数量指标|引进人才|30人以上|29人|10|9.6|原因",
        "||资金支出及时率|≥60%|52%|10|8.7|原因",
        "||项目数|10|10|30|30|",
        "效益指标 (30分)|社会效益指标|带动就业|是|部分达成|30|29|",
        "满意度指标 (10分)|服务对象满意度指标|满意度|≥90%|95%|10|10|",
        "||安全事故|0起|1起|0|0|",
        "||完成时限|2024年6月30日前|2024年9月|0|0|",
        NULL};
    xc_book *b = xc_book_new();
    add_styles(b);
    int s = selfeval(b, "超支", fund_over, mixed, "100|97.3", 0);
    selfeval(b, "零预算", fund_zero, mixed, "100|97.3", 0);
    row(b, s, 18, 0, "自评等级|良");
    xc_audit *a = audit(b);
    if (!a) {
        xc_book_free(b);
        return;
    }
    const xc_finding *f = at(a, "fund.over", "超支", "H4");
    CHECK(f && f->severity == XC_SEV_WARNING);
    CHECK(count_in(a, "超支", "fund.score", XC_SEV_ERROR) == 0);
    CHECK(count_in(a, "超支", "fund.rate", XC_SEV_ERROR) == 0);
    f = at(a, "fund.score", "零预算", "I4");
    CHECK(f && f->severity == XC_SEV_ERROR);
    /* 9.6 needs truncation, 8.7 rounding */
    f = at(a, "score.policy", "超支", "H12");
    CHECK(f && f->severity == XC_SEV_WARNING);
    /* 部分达成 is [60%, 80%): 29 of 30 is outside */
    f = at(a, "score.qual", "超支", "H14");
    CHECK(f && f->severity == XC_SEV_WARNING);
    /* 97.3 is 优, not 良 */
    f = at(a, "grade", "超支", "B19");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f)
        CHECK_STR(f->computed, "优");
    /* a zero target missed: 0 points is right, no score.quant */
    CHECK(at(a, "score.quant", "超支", "H16") == NULL);
    /* a deadline missed by three months: 未达成 band, 0 is fine */
    CHECK(at(a, "score.qual", "超支", "H17") == NULL);
    CHECK(review_agrees(b, a, 0) == 0);
    if (xtest_fail)
        dump(a);
    xc_audit_free(a);
    xc_book_free(b);
}

/* Direction overrides: 表12's cost line read as positive no longer
 * gets full points, and a plain count read as reverse is met. */
static void overrides(void)
{
    xc_book *b = xc_book_new();
    add_styles(b);
    selfeval(b, "表12", t12_fund, t12_items, "100|98.5", 0);
    st.positive_names = "研发费用补助,其他";
    xc_audit *a = audit(b);
    const xc_finding *f = a ? at(a, "score.quant", "表12", "H14") : NULL;
    /* 2180.1/2307.59 x 15 = 14.17...: still not 14.9 */
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f)
        CHECK(strncmp(f->computed, "3270150/230759 = 14.(17", 23) == 0);
    CHECK(a && review_agrees(b, a, 0) == 0);
    xc_audit_free(a);
    st.positive_names = NULL;
    st.reverse_names = "支持企业数";
    a = audit(b);
    /* 175 against 184 as a ceiling is met: 15, not 14.2 */
    f = a ? at(a, "score.quant", "表12", "H11") : NULL;
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f)
        CHECK_STR(f->computed, "15");
    xc_audit_free(a);
    st.reverse_names = NULL;
    xc_book_free(b);
}

/* seed 004 表2: the 中央转移支付 variant has no 分值/得分. */
static void central(void)
{
    xc_book *b = xc_book_new();
    int s;
    xc_book_add_sheet(b, "表2", strlen("表2"), &s);
    row(b, s, 0, 0, "转移支付（项目）名称||2023年中央引导地方科技发展资金项目");
    row(b, s, 1, 0, "中央主管部门");
    row(b, s, 2, 0, "地方主管部门||宁夏科技厅||资金使用单位|宁夏天地奔牛");
    row(b, s, 3, 0,
        "资金投入情况（万元）|||全年预算数（A）|全年执行数（B）|"
        "预算执行率（B/A×100%）");
    row(b, s, 4, 2, "年度资金总额：|380|380|100");
    row(b, s, 5, 2, "其中：中央财政资金|380|380|100");
    row(b, s, 6, 2, "地方资金");
    row(b, s, 7, 2, "其他资金");
    row(b, s, 8, 0, "资金管理情况|||情况说明||存在问题和改进措施");
    row(b, s, 9, 0,
        "|一级指标|二级指标|三级指标|指标值|全年实际完成值|"
        "未完成原因和改进措施");
    row(b, s, 10, 0,
        "绩效指标|产出指标|数量指标|支持科研项目数量|5|4|"
        "企业正在积极申报2025年项目");
    row(b, s, 11, 3, "授权专利|5|10");
    row(b, s, 12, 3, "流产、早产等损失率|下降至10%以下|下降至10%以下");
    row(b, s, 13, 2, "成本指标|争取资金|265万元|265万元");
    row(b, s, 14, 0, "说明");
    xc_audit *a = audit(b);
    CHECK(a && xc_audit_forms(a) == 1);
    CHECK(a && xc_audit_errors(a) == 0);
    xc_form *fm;
    CHECK(xc_form_import(b, s, 0, &fm) == XC_OK);
    if (fm) {
        CHECK(xc_form_kind_of(fm) == XC_FORM_CENTRAL);
        CHECK(xc_form_fund_count(fm) == 4);
        CHECK(xc_form_item_count(fm) == 4);
        const xc_form_item *it = xc_form_item_at(fm, 2);
        CHECK(it && it->tgt.dir == XC_DIR_REVERSE && it->tgt.op == XC_OP_LE);
        xc_form_free(fm);
    }
    /* a wrong rate is caught */
    row(b, s, 4, 5, "95");
    xc_audit_free(a);
    a = audit(b);
    CHECK(a && at(a, "fund.rate", "表2", "F5") != NULL);
    xc_audit_free(a);
    xc_book_free(b);
}

/* A target table in the sample generator's layout (columns A-F). */
static int target(xc_book *b, const char *name, const char *total,
                  const char *annual, const char *const *blocks,
                  const char *const *inds)
{
    int s;
    xc_book_add_sheet(b, name, strlen(name), &s);
    row(b, s, 0, 5, "单位: 万元");
    row(b, s, 1, 0, "项目名称||测试");
    row(b, s, 2, 0, "主管部门||自治区科学技术协会|实施单位|某中心");
    row(b, s, 3, 0, "项目属性||02-经常性项目|项目期|99 年");
    char buf[200];
    snprintf(buf, sizeof buf, "项目总额||%s|其中：年度资金总额|%s", total,
             annual);
    row(b, s, 4, 0, buf);
    for (int k = 0; k < 4; k++)
        row(b, s, 5 + (uint32_t)k, 0, blocks[k]);
    row(b, s, 9, 0, "年度总体绩效目标|目标");
    row(b, s, 10, 0, "一级指标|二级指标|三级指标||绩效值");
    uint32_t r = 11;
    for (; *inds; inds++, r++) {
        const char *p = *inds;
        const char *e1 = strchr(p, '|');
        const char *e2 = strchr(e1 + 1, '|');
        char head[600];
        size_t hn = (size_t)(e2 - p) + 1;
        memcpy(head, p, hn);
        head[hn] = 0;
        row(b, s, r, 0, head); /* 一级|二级|三级 */
        const char *e3 = strrchr(p, '|');
        row(b, s, r, 2, "");
        size_t nn = (size_t)(e3 - e2 - 1);
        char nm[600];
        memcpy(nm, e2 + 1, nn);
        nm[nn] = 0;
        row(b, s, r, 2, nm);
        row(b, s, r, 4, e3 + 1);
    }
    return s;
}

static void targets(void)
{
    static const char *const blocks000[] = {
        "其中：本级资金|资金总额|19.51|其中：转移市县（区）资金|资金总额|0",
        "|其中：财政拨款|19.51||其中：中央资金|0", "|其他资金|0||自治区资金|0",
        "|结余结转资金|0"};
    static const char *const inds000[] = {
        "1-产出指标|11-数量指标|指标 1: 企业科协组织建设|14 家",
        "||指标 2: 园区科协组织建设|3 家",
        "||指标 3: 举办中国创新方法大赛宁夏赛区比赛|1 场",
        "||指标 4: 开展一线创新工程师培训班|2 期",
        "|12-质量指标|指标 1: 企业科协组织建设|成立企业科协组织达成率 100%",
        "||指标 4: 开展一线创新工程师培训班|培训合格率达到 100%, "
        "创新方法实践项目完成率 90%",
        "|13-时效指标|项目实施周期|2024 年 1-12 月",
        "|14-成本指标|指标 1: 企业科协组织建设|0.5 万元/家",
        "||指标 2: 园区科协组织建设|1 万元/家",
        "||指标 3: 举办中国创新方法大赛宁夏赛区|2.51 万元/场",
        "||指标 4: 开展一线创新工程师培训|3.5 万元/期",
        "2-效益指标|21-经济效益|0|0",
        "|22-社会效益|企业科技创新能力和企业科技工作者创新意识|有效提升",
        "3-满意度指标|31-服务对象满意度|企业服务满意度|达 90%以上",
        NULL};
    static const char *const blocks001[] = {
        "其中：本级资金|资金总额|10.4|其中：转移市县（区）资金|资金总额|0",
        "|其中：财政拨款|10.4||其中：中央资金|0", "|其他资金|0||自治区资金|0",
        "|结余结转资金|0"};
    static const char *const inds001[] = {
        "1-产出指标|11-数量指标|流动科技馆常规巡展|2站",
        "||流动科技馆常规巡展调研督导|2站",
        "|12-质量指标|全年巡展周期站点数|≥2站",
        "|13-时效指标|项目实施期|2024年1月-2024年12月",
        "|14-成本指标|流动科技馆常规巡展|50000元",
        "||流动科技馆常规巡展调研督导|2000元",
        "2-效益指标|21-经济效益|科普资源共享率|≥20%",
        "3-满意度指标|31-服务对象满意度|提高流动科技馆科普服务满意度|≥90%",
        NULL};
    static const char *const blocks_bad[] = {
        "其中：本级资金|资金总额|19.51|其中：转移市县（区）资金|资金总额|2",
        "|其中：财政拨款|19.5||其中：中央资金|1", "|其他资金|0||自治区资金|1",
        "|结余结转资金|0"};
    static const char *const inds_bad[] = {
        "1-产出指标|11-数量指标|指标 1: 企业科协组织建设|**家",
        "|14-成本指标|指标 1: 企业科协组织建设|0.6 万元/家", NULL};
    xc_book *b = xc_book_new();
    target(b, "目标表1", "19.51", "19.51", blocks000, inds000);
    target(b, "流动科技馆", "10.4", "10.4", blocks001, inds001);
    target(b, "坏表", "19", "19.51", blocks_bad, inds_bad);
    xc_audit *a = audit(b);
    if (!a) {
        xc_book_free(b);
        return;
    }
    CHECK(xc_audit_forms(a) == 3);
    /* the seed tables balance: 14x0.5 + 3x1 + 1x2.51 + 2x3.5 = 19.51
     * and 50000 + 2000 元 per 站 x 2 站 = 10.4 万元 */
    CHECK(count_in(a, "目标表1", NULL, XC_SEV_WARNING) == 0);
    CHECK(count_in(a, "流动科技馆", NULL, XC_SEV_WARNING) == 0);
    /* the multi-figure quality text is reported as info only */
    CHECK(count_in(a, "目标表1", "value.unparsed", XC_SEV_INFO) == 1);
    /* the broken one */
    const xc_finding *f = at(a, "fund.sum", "坏表", "C6");
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f) {
        CHECK_STR(f->stated, "19.51");
        CHECK_STR(f->computed, "19.5");
    }
    CHECK(at(a, "fund.sum", "坏表", "F6") == NULL); /* 2 = 1 + 1 */
    f = at(a, "fund.split", "坏表", "E5");          /* 19.51 != 19.51 + 2 */
    CHECK(f && f->severity == XC_SEV_ERROR);
    if (f)
        CHECK_STR(f->computed, "21.51");
    f = at(a, "fund.split", "坏表", "C5"); /* 项目总额 19 < 19.51 */
    CHECK(f && f->severity == XC_SEV_ERROR);
    f = at(a, "cost.qty", "坏表", "E5");
    CHECK(f && f->severity == XC_SEV_WARNING);
    f = at(a, "value.unparsed", "坏表", "E12");
    CHECK(f && f->severity == XC_SEV_WARNING);
    CHECK(review_agrees(b, a, 0) == 0);
    if (xtest_fail)
        dump(a);
    xc_audit_free(a);
    xc_book_free(b);
}

/* Every verdict of the review sheets agrees with the audit: a row says
 * 不一致 exactly when the audit reports that rule at that cell. */
static int review_agrees(xc_book *b, const xc_audit *a, int verbose)
{
    int nform = xc_book_sheet_count(b), bad = 0, rows = 0;
    xc_form *forms[32];
    int nf = 0;
    for (int s = 0; s < nform && nf < 32; s++) {
        uint32_t from = 0;
        xc_form *f;
        while (nf < 32 && xc_form_import(b, s, from, &f) == XC_OK) {
            forms[nf++] = f;
            from = xc_form_end_row(f) + 1;
        }
    }
    for (int i = 0; i < nf; i++) {
        int rs = -1;
        CHECK(xc_form_add_review_sheet(b, forms[i], &st, &rs) == XC_OK);
        CHECK(rs >= 0);
    }
    CHECK(xc_book_recalc(b) == XC_OK);
    for (int i = 0; i < nf; i++) {
        const char *sheet = xc_form_sheet_name(forms[i]);
        char rname[200];
        snprintf(rname, sizeof rname, "复核-%s", sheet);
        int rs = xc_book_find_sheet(b, rname, strlen(rname));
        CHECK(rs >= 0);
        uint32_t nr, nc;
        xc_book_sheet_extent(b, rs, &nr, &nc);
        for (uint32_t r = 2; r < nr; r++) {
            const xc_value *rule = xc_book_get(b, rs, r, 1);
            const xc_value *cell = xc_book_get(b, rs, r, 2);
            const xc_value *verdict = xc_book_get(b, rs, r, 12);
            if (rule->type != XC_TEXT || strchr(rule->u.str->s, ':'))
                continue;
            rows++;
            int differs = verdict->type == XC_TEXT &&
                          !strcmp(verdict->u.str->s, "不一致");
            const char *c = cell->type == XC_TEXT ? cell->u.str->s : "";
            CHECK(verdict->type == XC_TEXT);
            if (verdict->type != XC_TEXT)
                fprintf(stderr, "review %s!%s %s: verdict of type %d\n", sheet,
                        c, rule->u.str->s, verdict->type);
            const xc_finding *fd = at(a, rule->u.str->s, sheet, c);
            int flagged = fd && fd->severity >= XC_SEV_WARNING;
            if (differs != flagged) {
                bad++;
                fprintf(stderr, "review %s!%s %s: sheet %s, audit %s\n", sheet,
                        c, rule->u.str->s, differs ? "不一致" : "一致",
                        flagged ? "flags it" : "does not");
            } else if (verbose) {
                fprintf(stderr, "review %s!%s %s ok\n", sheet, c,
                        rule->u.str->s);
            }
        }
    }
    for (int i = 0; i < nf; i++)
        xc_form_free(forms[i]);
    CHECK(rows > 0);
    return bad;
}

/* Allocation failure anywhere in import, audit, reports and the
 * review sheet gives XC_ENOMEM (or a smaller result), never a crash or
 * a leak (the sanitizer build checks the leaks). */
static void out_of_memory(void)
{
    int ok_runs = 0;
    for (long n = 0; n < 4000; n += 7) {
        xc_book *b = xc_book_new();
        if (!b)
            continue;
        add_styles(b);
        selfeval(b, "表11", t11_fund, t11_items, "100|98.1", 1);
        xc_alloc_fail_after(n);
        xc_audit *a = NULL;
        int rc = xc_audit_book(b, &st, &a);
        xc_buf out;
        xc_buf_init(&out);
        if (rc == XC_OK) {
            int r2 = xc_audit_json(&out, a, "x", &st);
            CHECK(r2 == XC_OK || r2 == XC_ENOMEM);
            xc_form *f = NULL;
            int r3 = xc_form_import(b, 0, 0, &f);
            CHECK(r3 == XC_OK || r3 == XC_ENOMEM);
            if (f) {
                int r4 = xc_form_add_review_sheet(b, f, &st, NULL);
                CHECK(r4 == XC_OK || r4 == XC_ENOMEM);
            }
            xc_form_free(f);
        } else {
            CHECK(rc == XC_ENOMEM && a == NULL);
        }
        xc_alloc_fail_after(-1);
        if (rc == XC_OK && a && xc_audit_errors(a) == 3)
            ok_runs++;
        xc_buf_clear(&out);
        xc_audit_free(a);
        xc_book_free(b);
    }
    CHECK(ok_runs > 0);
}

/* The bundled sample workbooks, when present. */
static void samples(void)
{
    const char *src = getenv("XC_SRC");
    char path[1024];
    static const char *const books[] = {"seed000_targets_values.xlsx",
                                        "seed001_targets_values.xlsx",
                                        "seed004_selfeval_values.xlsx"};
    for (size_t i = 0; i < sizeof books / sizeof books[0]; i++) {
        snprintf(path, sizeof path, "%s/samples/%s", src ? src : ".", books[i]);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        fclose(fp);
        xc_book *b = NULL;
        xc_buf err;
        xc_buf_init(&err);
        int rc = xc_xlsx_load(path, NULL, &b, &err);
        CHECK(rc == XC_OK);
        xc_buf_clear(&err);
        if (rc != XC_OK)
            continue;
        xc_audit *a = audit(b);
        if (a) {
            CHECK(xc_audit_forms(a) >= 1);
            if (i == 0) {
                /* seed 000: both tables balance */
                CHECK(xc_audit_count_rule(a, "cost.qty", XC_SEV_WARNING) == 0);
                CHECK(xc_audit_errors(a) == 0);
            } else if (i == 2) {
                const xc_finding *f = xc_audit_find(a, "total.sum");
                CHECK(f && !strcmp(f->stated, "98.1") &&
                      !strcmp(f->computed, "88.1"));
                CHECK(xc_audit_count_rule(a, "points.section", XC_SEV_ERROR) >=
                      1);
                int found149 = 0;
                for (size_t k = 0; k < xc_audit_count(a); k++) {
                    const xc_finding *g = xc_audit_get(a, k);
                    if (!strcmp(g->rule, "score.quant") &&
                        !strcmp(g->stated, "14.9") &&
                        !strcmp(g->computed, "15"))
                        found149 = 1;
                }
                CHECK(found149);
            }
            /* the review sheets reach the same verdicts */
            CHECK(review_agrees(b, a, 0) == 0);
            if (getenv("XC_AUDIT_DUMP"))
                dump(a);
            xc_audit_free(a);
        }
        xc_book_free(b);
    }
}

int main(void)
{
    xc_form_settings_default(&st);
    seed004();
    synthetic();
    overrides();
    central();
    targets();
    out_of_memory();
    samples();
    return xtest_done();
}
