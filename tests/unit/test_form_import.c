/* test_form_import.c - recognising forms by their labels: messy header
 * text (spaces, line breaks, full-width brackets), a leading 绩效指标
 * column, group labels continued by empty (merged) cells, several
 * target tables on one sheet, and sheets that hold no form. */
#include <string.h>
#include "exacalc/form.h"
#include "xtest.h"

static void put(xc_book *b, int s, uint32_t r, uint32_t c, const char *t,
                size_t n)
{
    if (n == 0)
        return;
    xc_value v = {0};
    xc_num x;
    xc_num_init(&x);
    if (xc_num_parse(&x, t, n, 0, NULL) == XC_OK)
        xc_value_take_num(&v, &x);
    else
        xc_value_set_text(&v, t, n);
    CHECK(xc_book_set_value(b, s, r, c, &v) == XC_OK);
    xc_value_clear(&v);
    xc_num_clear(&x);
}

static void row(xc_book *b, int s, uint32_t r, uint32_t c0, const char *cells)
{
    const char *p = cells;
    for (uint32_t c = c0;; c++) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        put(b, s, r, c, p, n);
        if (!e)
            break;
        p = e + 1;
    }
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

/* A self-evaluation with the labels as PDFs and hand-made sheets spell
 * them, one column to the right of the generator's layout. */
static void messy_selfeval(void)
{
    xc_book *b = xc_book_new();
    int s;
    xc_book_add_sheet(b, "自评", strlen("自评"), &s);
    row(b, s, 0, 1, "自治区项目支出绩效自评表");
    row(b, s, 1, 1, "项目名称 ||某项目");
    row(b, s, 3, 1,
        "项目资金\n（万元）|||年初预\n算数|全年预算数|全年 执行数|分 "
        "值|执行\n率|"
        "得 分");
    row(b, s, 4, 3, "年度资金总额：|100|100|95|10|95%|9.5");
    row(b, s, 5, 3, "其中: 当年财\n政拨款|100|100|95|—|—|—");
    row(b, s, 6, 3, "上年结转资金||||—|—|—");
    row(b, s, 7, 3, "其他资金||||—|—|—");
    row(b, s, 8, 1, "年度总体目标|预期目标");
    row(b, s, 10, 1,
        "绩效指标|一级指标|二级 指标|三级指标|年度指标值|实际完成值|分值|得 分|"
        "偏差原因分析\n及改进措施");
    row(b, s, 11, 1,
        "绩效指标|产出指标（50分）|数量\n指标|服务企业数|≥60家|56家|"
        "50|46.6|企业停产");
    row(b, s, 12, 4, "服务企业满意度|≥90%|95%|0|0");
    row(b, s, 13, 2,
        "效益指标(40分)|社会效益指标|带动就业|明显提升|明显提升|"
        "40|40");
    row(b, s, 14, 1, "总 分||||||100|96.1");
    row(b, s, 16, 1, "注意事项:总分100=绩效指标90分+资金执行情况10");
    xc_form *f = NULL;
    CHECK(xc_form_import(b, s, 0, &f) == XC_OK);
    if (!f) {
        xc_book_free(b);
        return;
    }
    CHECK(xc_form_kind_of(f) == XC_FORM_SELFEVAL);
    CHECK(xc_form_sheet(f) == s);
    CHECK_STR(xc_form_sheet_name(f), "自评");
    CHECK_STR(xc_form_title(f), "某项目");
    CHECK(xc_form_fund_count(f) == 4);
    const xc_form_fund *fr = xc_form_fund_row(f, 0);
    CHECK_STR(fr->label, "年度资金总额");
    CHECK(fr->budget.kind == XC_FIG_NUM && fr->budget.row == 4 &&
          fr->budget.col == 5 && eqf(&fr->budget.v, 100, 1));
    CHECK(fr->exec.kind == XC_FIG_NUM && eqf(&fr->exec.v, 95, 1));
    CHECK(fr->initial.col == 4 && fr->points.col == 7 && fr->rate.col == 8 &&
          fr->score.col == 9);
    CHECK(fr->rate.kind == XC_FIG_NUM && fr->rate.percent &&
          eqf(&fr->rate.v, 19, 20));
    fr = xc_form_fund_row(f, 1);
    CHECK(fr && !strcmp(fr->label, "当年财政拨款"));
    CHECK(fr && fr->points.kind == XC_FIG_BLANK); /* "—" */
    CHECK(xc_form_item_count(f) == 3);
    const xc_form_item *it = xc_form_item_at(f, 0);
    CHECK_STR(it->level1, "产出指标");
    CHECK_STR(it->level2, "数量指标");
    CHECK_STR(it->name, "服务企业数");
    CHECK(it->row == 11 && it->name_col == 4);
    CHECK(it->target.col == 5 && it->actual.col == 6 && it->points.col == 7 &&
          it->score.col == 8 && it->deviation.col == 9);
    CHECK(it->tgt.op == XC_OP_GE && eqf(&it->tgt.lo, 60, 1));
    CHECK(it->act.has_num && eqf(&it->act.lo, 56, 1));
    CHECK(eqf(&it->score.v, 466, 10));
    CHECK(!strcmp(it->deviation.text, "企业停产"));
    it = xc_form_item_at(f, 1); /* continues 产出指标 / 数量指标 */
    CHECK_STR(it->level1, "产出指标");
    CHECK_STR(it->level2, "数量指标");
    CHECK(it->section == 0);
    CHECK(it->deviation.kind == XC_FIG_BLANK);
    it = xc_form_item_at(f, 2);
    CHECK_STR(it->level1, "效益指标");
    CHECK_STR(it->level2, "社会效益指标");
    CHECK(it->section == 1 && it->tgt.dir == XC_DIR_QUAL);
    CHECK(xc_form_section_count(f) == 2);
    const xc_form_section *sec = xc_form_section_at(f, 0);
    CHECK(sec->has_weight && eqf(&sec->weight, 50, 1) && sec->row == 11 &&
          sec->col == 2);
    CHECK_STR(sec->name, "产出指标");
    sec = xc_form_section_at(f, 1);
    CHECK(sec->has_weight && eqf(&sec->weight, 40, 1));
    const xc_form_fig *tp = xc_form_total_points(f);
    const xc_form_fig *ts = xc_form_total_score(f);
    CHECK(tp->kind == XC_FIG_NUM && tp->row == 14 && tp->col == 7 &&
          eqf(&tp->v, 100, 1));
    CHECK(ts->kind == XC_FIG_NUM && ts->col == 8 && eqf(&ts->v, 961, 10));
    CHECK(xc_form_grade(f)->kind == XC_FIG_NONE);
    /* nothing after it on this sheet */
    xc_form *g = NULL;
    CHECK(xc_form_import(b, s, xc_form_end_row(f) + 1, &g) == XC_ENOTFOUND);
    CHECK(g == NULL);
    xc_form_settings st;
    xc_form_settings_default(&st);
    xc_audit *a = xc_audit_new();
    CHECK(a && xc_audit_form(a, f, &st) == XC_OK);
    /* 95/100 x 10 = 9.5; 56/60 x 50 = 46.(6) -> 46.6 by truncation;
     * 产出 holds 50 of its declared 50, 效益 40; 总分 = 9.5 + 46.6 + 0 +
     * 40 = 96.1; the 分值 sum to 100 */
    CHECK(a && xc_audit_errors(a) == 0);
    CHECK(a &&
          xc_audit_count_rule(a, "deviation.missing", XC_SEV_WARNING) == 0);
    xc_audit_free(a);
    xc_form_free(f);
    xc_book_free(b);
}

static int count_form(void *ud, const xc_form *f)
{
    int *n = ud;
    (*n)++;
    CHECK(xc_form_kind_of(f) == XC_FORM_TARGET);
    return XC_OK;
}

static int stop_at_first(void *ud, const xc_form *f)
{
    (void)f;
    (*(int *)ud)++;
    return XC_ELIMIT;
}

/* Two target tables one below the other; a sheet without a form. */
static void stacked_targets(void)
{
    xc_book *b = xc_book_new();
    int s, e;
    xc_book_add_sheet(b, "目标", strlen("目标"), &s);
    xc_book_add_sheet(b, "说明", strlen("说明"), &e);
    row(b, e, 0, 0, "本工作簿包含目标表");
    for (int k = 0; k < 2; k++) {
        uint32_t r0 = (uint32_t)k * 20;
        row(b, s, r0, 0, "2024 年自治区本级部门项目支出预算绩效目标表");
        row(b, s, r0 + 1, 0, "项目名称||项目甲|");
        row(b, s, r0 + 2, 0,
            k ? "项目总额||13.45|其中：年度资金总额|13.45"
              : "项目总额||19.51|其中：年度资金总额|19.51");
        row(b, s, r0 + 3, 0,
            k ? "其中：本级资金|资金总额|13.45|其中：转移市县（区）资金|"
                "资金总额|0"
              : "其中：本级资金|资金总额|19.51|其中：转移市县（区）资金|"
                "资金总额|"
                "0");
        row(b, s, r0 + 4, 1,
            k ? "其中：财政拨款|0||其中：中央资金|0"
              : "其中：财政拨款|19.51||其中：中央资金|0");
        row(b, s, r0 + 5, 1, "其他资金|0||自治区资金|0");
        row(b, s, r0 + 6, 1, k ? "结余结转资金|13.45" : "结余结转资金|0");
        row(b, s, r0 + 7, 0, "年度总体绩效目标|...");
        row(b, s, r0 + 8, 0, "一级指标|二级指标|三级指标||绩效值");
        row(b, s, r0 + 9, 0, "1-产出指标|11-数量指标|指标 1: 培训班||2 场");
        row(b, s, r0 + 10, 1, "14-成本指标|指标 1: 培训班||5.5 万元/场");
        row(b, s, r0 + 11, 2, "指标 2: 巡讲||2.45 万元");
        row(b, s, r0 + 12, 0,
            "3-满意度指标|31-服务对象满意度|企业服务满意度||"
            "达 90%以上");
    }
    xc_form *f = NULL, *g = NULL;
    CHECK(xc_form_import(b, s, 0, &f) == XC_OK);
    if (f) {
        CHECK(xc_form_kind_of(f) == XC_FORM_TARGET);
        CHECK(xc_form_start_row(f) == 1 && xc_form_end_row(f) < 21);
        CHECK(xc_form_item_count(f) == 4);
        const xc_form_item *it = xc_form_item_at(f, 1);
        CHECK_STR(it->level1, "产出指标");
        CHECK_STR(it->level2, "成本指标");
        CHECK_STR(it->tgt.unit, "万元/场");
        it = xc_form_item_at(f, 2);
        CHECK_STR(it->level2, "成本指标"); /* continued */
        CHECK(xc_form_block_count(f) == 2);
        const xc_form_block *bl = xc_form_block_at(f, 0);
        CHECK_STR(bl->label, "本级资金");
        CHECK(bl->total.kind == XC_FIG_NUM && bl->total.row == 3 &&
              bl->total.col == 2 && eqf(&bl->total.v, 1951, 100));
        CHECK(bl->ncomp == 3);
        CHECK_STR(bl->comp_label[0], "财政拨款");
        CHECK_STR(bl->comp_label[2], "结余结转资金");
        bl = xc_form_block_at(f, 1);
        CHECK(bl->label && strstr(bl->label, "转移市县") == bl->label);
        CHECK(bl->ncomp == 2 && bl->total.col == 5);
        CHECK(eqf(&xc_form_project_total(f)->v, 1951, 100));
        CHECK(xc_form_annual_total(f)->row == 2 &&
              xc_form_annual_total(f)->col == 4);
        CHECK(xc_form_import(b, s, xc_form_end_row(f) + 1, &g) == XC_OK);
    }
    if (g) {
        CHECK(xc_form_start_row(g) == 21);
        CHECK(eqf(&xc_form_annual_total(g)->v, 1345, 100));
        xc_form *h = NULL;
        CHECK(xc_form_import(b, s, xc_form_end_row(g) + 1, &h) == XC_ENOTFOUND);
    }
    int n = 0;
    CHECK(xc_form_import_each(b, s, count_form, &n) == XC_OK && n == 2);
    n = 0;
    CHECK(xc_form_import_each(b, s, stop_at_first, &n) == XC_ELIMIT && n == 1);
    n = 0;
    CHECK(xc_form_import_each(b, e, count_form, &n) == XC_OK && n == 0);
    xc_form *h = NULL;
    CHECK(xc_form_import(b, e, 0, &h) == XC_ENOTFOUND && !h);
    CHECK(xc_form_import(b, 7, 0, &h) == XC_EINVAL);
    /* the second table balances (5.5 x 2 + 2.45 = 13.45, the 巡讲 line
     * as a total); the first does not (19.51) */
    xc_form_settings st;
    xc_form_settings_default(&st);
    xc_audit *a = NULL;
    CHECK(xc_audit_book(b, &st, &a) == XC_OK);
    if (a) {
        CHECK(xc_audit_forms(a) == 2);
        CHECK(xc_audit_count_rule(a, "cost.qty", XC_SEV_WARNING) == 1);
        if (xtest_fail) {
            xc_buf o;
            xc_buf_init(&o);
            xc_audit_text(&o, a, NULL, &st);
            fputs(o.p, stderr);
            xc_buf_clear(&o);
        }
        const xc_finding *fd = xc_audit_find(a, "cost.qty");
        CHECK(fd && !strcmp(fd->cell, "E3"));
        CHECK(xc_audit_errors(a) == 0);
    }
    xc_audit_free(a);
    xc_form_free(f);
    xc_form_free(g);
    xc_book_free(b);
}

/* A table in 元 ("单位：元"); a section weight written "产出指标50分". */
static void yuan_and_weights(void)
{
    xc_book *b = xc_book_new();
    int s;
    xc_book_add_sheet(b, "元", strlen("元"), &s);
    row(b, s, 0, 5, "单位：元");
    row(b, s, 1, 0, "项目名称||流动科技馆");
    row(b, s, 2, 0, "项目总额||104000|其中：年度资金总额|104000");
    row(b, s, 3, 0, "一级指标|二级指标|三级指标||绩效值");
    row(b, s, 4, 0, "产出指标50分|数量指标|流动科技馆常规巡展||2站");
    row(b, s, 5, 2, "流动科技馆常规巡展调研督导||2站");
    row(b, s, 6, 1, "成本指标|流动科技馆常规巡展||5万元");
    row(b, s, 7, 2, "流动科技馆常规巡展调研督导||2000元");
    xc_form *f = NULL;
    CHECK(xc_form_import(b, s, 0, &f) == XC_OK);
    if (f) {
        CHECK(xc_form_unit_scale(f) == 1);
        CHECK(xc_form_section_count(f) == 1);
        const xc_form_section *sec = xc_form_section_at(f, 0);
        CHECK(sec && sec->has_weight && eqf(&sec->weight, 50, 1));
        CHECK(sec && !strcmp(sec->name, "产出指标"));
        xc_form_settings st;
        xc_form_settings_default(&st);
        xc_audit *a = xc_audit_new();
        CHECK(xc_audit_form(a, f, &st) == XC_OK);
        /* 50000 x 2 + 2000 x 2 = 104000 元 */
        CHECK(xc_audit_count_rule(a, "cost.qty", XC_SEV_INFO) == 0);
        xc_audit_free(a);
        xc_form_free(f);
    }
    /* the same figures read as 万元 do not balance */
    xc_value v = {0};
    xc_value_set_text(&v, "单位：万元", strlen("单位：万元"));
    xc_book_set_value(b, s, 0, 5, &v);
    xc_value_clear(&v);
    CHECK(xc_form_import(b, s, 0, &f) == XC_OK);
    if (f) {
        CHECK(xc_form_unit_scale(f) == 10000);
        xc_form_settings st;
        xc_form_settings_default(&st);
        xc_audit *a = xc_audit_new();
        CHECK(xc_audit_form(a, f, &st) == XC_OK);
        CHECK(xc_audit_count_rule(a, "cost.qty", XC_SEV_WARNING) == 1);
        xc_audit_free(a);
        xc_form_free(f);
    }
    xc_book_free(b);
}

int main(void)
{
    messy_selfeval();
    stacked_targets();
    yuan_and_weights();
    return xtest_done();
}
