/* exacalc/form.h - budget-performance forms: the indicator notation, the
 * scoring rules, the form importer and the audit (FORMS.md).
 *
 * Four layers, each usable alone:
 *   1. xc_indicator_parse reads a target or an actual value ("≥90%",
 *      "30人以上", "控制在5%以内", "2024年12月31日前", "明显提升") into
 *      an operator, exact number(s), a unit and a scoring direction.
 *   2. xc_score_* compute exact scores (pure functions on xc_num) and
 *      xc_policy_match tells which rounding policies reproduce a stated
 *      score ("round1", "trunc1", "ratio%:round1"...).
 *   3. xc_form_import recognises a 自评表 (self-evaluation), a 中央转移
 *      支付 self-evaluation or a 目标表 (target table) on a sheet by its
 *      labels, never by fixed positions, and records the cell of every
 *      figure.
 *   4. xc_audit_* run the rule catalogue of FORMS.md section 3 over the
 *      imported forms and render findings as text or JSON.
 *
 * Ownership: xc_form and xc_audit are opaque handles freed with their
 * _free function (NULL is a no-op).  Every const pointer they return
 * (items, findings, strings) lives as long as the handle.  A form keeps
 * no pointer into the book: the book may be freed first.
 *
 * Example (what `exacalc audit FILE` does):
 *     xc_form_settings st;
 *     xc_form_settings_default(&st);
 *     xc_audit *a;
 *     if (xc_audit_book(book, &st, &a) != XC_OK) goto fail;
 *     xc_buf out; xc_buf_init(&out);
 *     xc_audit_json(&out, a, "form.xlsx", &st);   // or xc_audit_text
 *     fputs(out.p, stdout);
 *     int bad = xc_audit_errors(a) > 0;          // exit status
 *     xc_buf_clear(&out);
 *     xc_audit_free(a);
 */
#ifndef EXACALC_FORM_H
#define EXACALC_FORM_H

#include "exacalc/formula.h"

/* ---------------------------------------------------------------- */
/* Settings                                                          */

/* Rounding policies, as bit numbers of a mask.  "exact" is no rounding;
 * roundN / truncN round the score half up (Excel ROUND) or toward zero
 * (ROUNDDOWN) to N decimals; "ratio%:" and "ratio0.1%:" first round the
 * achievement ratio (actual/target, or the execution rate) to a whole
 * percent or to 0.1% with the same mode, then the score. */
enum {
    XC_POL_EXACT = 0,
    XC_POL_ROUND1,
    XC_POL_TRUNC1,
    XC_POL_ROUND2,
    XC_POL_TRUNC2,
    XC_POL_PCT_ROUND1,
    XC_POL_PCT_TRUNC1,
    XC_POL_PCT_ROUND2,
    XC_POL_PCT_TRUNC2,
    XC_POL_PML_ROUND1,
    XC_POL_PML_TRUNC1,
    XC_POL_PML_ROUND2,
    XC_POL_PML_TRUNC2,
    XC_POL_COUNT
};
#define XC_POL_ALL ((1u << XC_POL_COUNT) - 1u)
/* Policies that round half up, and those that truncate. */
#define XC_POL_ROUNDING                                                        \
    ((1u << XC_POL_ROUND1) | (1u << XC_POL_ROUND2) |                           \
     (1u << XC_POL_PCT_ROUND1) | (1u << XC_POL_PCT_ROUND2) |                   \
     (1u << XC_POL_PML_ROUND1) | (1u << XC_POL_PML_ROUND2))
#define XC_POL_TRUNCATING                                                      \
    ((1u << XC_POL_TRUNC1) | (1u << XC_POL_TRUNC2) |                           \
     (1u << XC_POL_PCT_TRUNC1) | (1u << XC_POL_PCT_TRUNC2) |                   \
     (1u << XC_POL_PML_TRUNC1) | (1u << XC_POL_PML_TRUNC2))

typedef enum xc_form_lang { XC_LANG_ZH = 0, XC_LANG_EN = 1 } xc_form_lang;

typedef struct xc_form_settings {
    int reverse_linear;  /* 0: reverse indicators score target/actual
                            (central template); 1: linear, 0 at twice
                            the target */
    int cap_rate;        /* 1 (default): fund score = min(rate,1) x 分值 */
    int grade_excellent; /* 优 at or above (default 90) */
    int grade_good;      /* 良 at or above (default 80) */
    int grade_pass;      /* 中 at or above (default 60); below: 差 */
    int flag_over_pct;   /* flag actual >= this % of target (default 130) */
    unsigned policies;   /* XC_POL_* bit mask tried (default XC_POL_ALL) */
    xc_form_lang lang;   /* language of messages (default Chinese) */
    /* Direction overrides for targets written without an operator:
     * comma-separated words; an indicator whose name contains one of
     * reverse_names is scored as reverse, one of positive_names as
     * positive (NULL: the built-in name rules only). */
    const char *reverse_names;
    const char *positive_names;
} xc_form_settings;

XC_API void xc_form_settings_default(xc_form_settings *s);

/* ---------------------------------------------------------------- */
/* 1. Indicator notation                                             */

typedef enum xc_ind_op {
    XC_OP_NONE = 0, /* no operator: equal, scored as positive */
    XC_OP_GE, /* ≥ 不低于 不少于 至少 以上 及以上 达到…以上 */
    XC_OP_GT, /* > 超过 */
    XC_OP_LE, /* ≤ 以下 以内 不超过 不高于 控制在 下降至 降低到 */
    XC_OP_LT,   /* < 低于 不满 */
    XC_OP_EQ,   /* = */
    XC_OP_RANGE /* lo-hi: 90%-95%, 3~5天 */
} xc_ind_op;

typedef enum xc_ind_dir {
    XC_DIR_POSITIVE = 0, /* more is better */
    XC_DIR_REVERSE,      /* less is better (cost, 损失率, 投诉...) */
    XC_DIR_ZERO,         /* zero target: all or nothing */
    XC_DIR_QUAL,         /* qualitative words */
    XC_DIR_DEADLINE,     /* a date or period */
    XC_DIR_UNPARSED,     /* unreadable, several figures, or a placeholder */
    XC_DIR_EMPTY         /* blank cell */
} xc_ind_dir;

/* Tier of a qualitative word (for actual values mostly). */
typedef enum xc_ind_tier {
    XC_TIER_UNKNOWN = 0,
    XC_TIER_MET, /* 是 有 及时 规范 合格 达成 明显提升 达到预期目标... */
    XC_TIER_PARTIAL, /* 部分达成 基本完成... */
    XC_TIER_UNMET    /* 未达成 否 无 不合格... */
} xc_ind_tier;

/* Flags of a parsed indicator. */
#define XC_IND_PLACEHOLDER 1u /* "**人": unfilled */
#define XC_IND_APPROX 2u      /* 左右, 约, 余 */
#define XC_IND_MULTI 4u       /* several figures in one text */
#define XC_IND_PERCENT 8u     /* unit % or ‰: numbers are fractions */

typedef struct xc_indicator {
    xc_ind_op op;
    xc_ind_dir dir;
    xc_ind_tier tier;
    unsigned flags; /* XC_IND_* */
    int has_num;    /* lo holds a number */
    xc_num lo;      /* the number (90% -> 9/10); range: the low end */
    xc_num hi;      /* range: the high end; else equal to lo */
    char unit[24];  /* canonical unit: "%", "人", "万元", "万元/家"; "" */
    int year, month, day; /* deadline: last date named (0 when absent) */
} xc_indicator;

XC_API void xc_indicator_init(xc_indicator *ind);
XC_API void xc_indicator_clear(xc_indicator *ind);
/* Parse indicator text s[0..n) (UTF-8, any mix of full- and half-width
 * forms).  name (may be NULL) is the indicator's name, used to decide
 * the direction when the text has no operator: 成本 费用 单价 损失率
 * 发生率 事故 投诉 差错... make it reverse.  Unreadable text is not an
 * error: it gives dir XC_DIR_UNPARSED.  Returns XC_OK or XC_ENOMEM. */
XC_API int xc_indicator_parse(xc_indicator *ind, const char *s, size_t n,
                              const char *name);
/* Read a cell as an actual value: a number (numfmt containing '%' makes
 * it a percent), or text parsed as above.  numfmt may be NULL. */
XC_API int xc_indicator_from_value(xc_indicator *ind, const xc_value *v,
                                   const char *numfmt, const char *name);
/* Short English name of a direction / operator ("positive", "≥"). */
XC_API const char *xc_ind_dir_name(xc_ind_dir d);
XC_API const char *xc_ind_op_name(xc_ind_op op);

/* ---------------------------------------------------------------- */
/* 2. Scoring                                                        */

/* Result flags of xc_score_indicator. */
#define XC_SCORE_MET 1u     /* target met: full points */
#define XC_SCORE_OVER 2u    /* actual >= flag_over_pct % of target */
#define XC_SCORE_NOSCORE 4u /* cannot be scored quantitatively */

/* Fund score: *rate = exec/budget; *ratio = min(rate,1) (or rate when
 * !cap); *score = ratio x pts.  budget 0 is XC_EDIVZERO (an error in the
 * form, not 0 points).  ratio and score may be NULL. */
XC_API int xc_score_fund(xc_num *rate, xc_num *ratio, xc_num *score,
                         const xc_num *exec, const xc_num *budget,
                         const xc_num *pts, int cap);
/* Score a quantitative indicator: target parsed, actual parsed (units
 * reconciled: % vs bare 94, 元 vs 万元).  *ratio in [0,1] is the share
 * of points earned, *score = ratio x pts.  Sets XC_SCORE_NOSCORE (and
 * returns XC_OK) when the pair cannot be scored (qualitative, deadline,
 * unparsed, zero divisor). */
XC_API int xc_score_indicator(xc_num *ratio, xc_num *score, unsigned *flags,
                              const xc_indicator *target,
                              const xc_indicator *actual, const xc_num *pts,
                              const xc_form_settings *st);
/* The band a qualitative score must fall in, as fractions of the
 * points: 达成 [0.8,1], 部分达成 [0.6,0.8), 未达成 [0,0.6).  Returns 1
 * when score lies in the band of tier (XC_TIER_UNKNOWN: [0,1]). */
XC_API int xc_score_in_band(const xc_num *score, const xc_num *pts,
                            xc_ind_tier tier);
/* Apply policy p: from the exact ratio (may be NULL when only the score
 * is known; ratio policies then fall back to the score) and points. */
XC_API int xc_policy_apply(xc_num *r, int p, const xc_num *ratio,
                           const xc_num *score, const xc_num *pts);
/* Mask of the policies in `allowed` whose result equals stated. */
XC_API unsigned xc_policy_match(const xc_num *stated, const xc_num *ratio,
                                const xc_num *score, const xc_num *pts,
                                unsigned allowed);
XC_API const char *xc_policy_name(int p); /* "round1"...; NULL if bad */
/* Append policy names of mask joined by ", " ("" for 0). */
XC_API int xc_policy_names(xc_buf *out, unsigned mask);
/* Grade of a total: "优", "良", "中", "差" (English: "excellent",
 * "good", "fair", "poor" when lang is XC_LANG_EN). */
XC_API const char *xc_grade_of(const xc_num *total, const xc_form_settings *st);

/* ---------------------------------------------------------------- */
/* 3. Importing a form                                               */

typedef enum xc_form_kind {
    XC_FORM_SELFEVAL = 1, /* 项目支出绩效自评表 */
    XC_FORM_CENTRAL,      /* 中央转移支付 自评表: no 分值/得分 */
    XC_FORM_TARGET        /* 项目支出预算绩效目标表 */
} xc_form_kind;

typedef enum xc_fig_kind {
    XC_FIG_NONE = 0, /* the form has no such cell */
    XC_FIG_BLANK,    /* located, empty (or a dash "—") */
    XC_FIG_NUM,      /* a number (text holding a number included) */
    XC_FIG_TEXT      /* other text */
} xc_fig_kind;

/* One figure of the form: where it is and what it says. */
typedef struct xc_form_fig {
    xc_fig_kind kind;
    uint32_t row, col; /* valid unless kind == XC_FIG_NONE */
    xc_num v;          /* XC_FIG_NUM: the value ("94%" -> 47/50) */
    int percent;       /* the value was written or formatted as % */
    const char *text;  /* the cell as text ("" for numbers/blank) */
} xc_form_fig;

/* A row of the fund block (self-evaluation): row 0 is 年度资金总额, the
 * others its components (当年财政拨款, 上年结转资金, 其他资金...). */
typedef struct xc_form_fund {
    const char *label;   /* normalised label text */
    uint32_t row, col;   /* the label cell */
    xc_form_fig initial; /* 年初预算数 */
    xc_form_fig budget;  /* 全年预算数 */
    xc_form_fig exec;    /* 全年执行数 */
    xc_form_fig points;  /* 分值 */
    xc_form_fig rate;    /* 执行率 */
    xc_form_fig score;   /* 得分 */
} xc_form_fund;

/* One indicator row. */
typedef struct xc_form_item {
    int section;            /* index into the sections, -1 if none */
    const char *level1;     /* 一级指标 ("产出指标") */
    const char *level2;     /* 二级指标 ("数量指标") */
    const char *name;       /* 三级指标 */
    uint32_t row, name_col; /* the row and the 三级指标 cell */
    xc_form_fig target;     /* 年度指标值 / 绩效值 */
    xc_form_fig actual;     /* 实际完成值 */
    xc_form_fig points;     /* 分值 */
    xc_form_fig score;      /* 得分 */
    xc_form_fig deviation;  /* 偏差原因分析及改进措施 */
    xc_indicator tgt;       /* target parsed */
    xc_indicator act;       /* actual parsed */
} xc_form_item;

/* A 一级指标 group with its declared weight, e.g. 产出指标 (50分). */
typedef struct xc_form_section {
    const char *name;  /* "产出指标" */
    uint32_t row, col; /* the label cell */
    int has_weight;
    xc_num weight; /* 50 */
} xc_form_section;

/* A funding block of a target table: 本级资金 or 转移市县(区)资金 (or
 * the project block of older tables: 项目总金额 / 财政拨款 / 其他资金). */
typedef struct xc_form_block {
    const char *label;
    uint32_t row, col;
    xc_form_fig total; /* 资金总额 */
    size_t ncomp;
    const char *comp_label[6];
    xc_form_fig comp[6]; /* 财政拨款, 其他资金, 结余结转资金 / 中央资金... */
} xc_form_block;

typedef struct xc_form xc_form;

/* Recognise the form starting at or after row `from` on `sheet`.
 * Figures are the cells' stated values (xc_book_stated), or the current
 * value for formulas without one (recalculate first).
 * Returns XC_ENOTFOUND when there is none; XC_ENOMEM.  A sheet can hold
 * several forms one below the other: call again from
 * xc_form_end_row(f) + 1. */
XC_API int xc_form_import(xc_book *b, int sheet, uint32_t from, xc_form **out);
XC_API void xc_form_free(xc_form *f);
/* Every form of a sheet, in order, reading the sheet once: fn is called
 * with each (valid during the call only); a non-zero return from fn
 * stops the walk and is returned.  XC_OK when the walk completed. */
XC_API int xc_form_import_each(xc_book *b, int sheet,
                               int (*fn)(void *ud, const xc_form *f), void *ud);

XC_API xc_form_kind xc_form_kind_of(const xc_form *f);
XC_API int xc_form_sheet(const xc_form *f);
XC_API const char *xc_form_sheet_name(const xc_form *f);
XC_API uint32_t xc_form_start_row(const xc_form *f);
XC_API uint32_t xc_form_end_row(const xc_form *f);
XC_API const char *xc_form_title(const xc_form *f); /* 项目名称 or "" */

/* Self-evaluation parts. */
XC_API size_t xc_form_fund_count(const xc_form *f);
XC_API const xc_form_fund *xc_form_fund_row(const xc_form *f, size_t i);
XC_API size_t xc_form_item_count(const xc_form *f);
XC_API const xc_form_item *xc_form_item_at(const xc_form *f, size_t i);
XC_API size_t xc_form_section_count(const xc_form *f);
XC_API const xc_form_section *xc_form_section_at(const xc_form *f, size_t i);
/* The 总分 row's 分值 and 得分; the stated grade (评价等级). */
XC_API const xc_form_fig *xc_form_total_points(const xc_form *f);
XC_API const xc_form_fig *xc_form_total_score(const xc_form *f);
XC_API const xc_form_fig *xc_form_grade(const xc_form *f);

/* Target-table parts: 项目总额, 年度资金总额 and the funding blocks. */
XC_API const xc_form_fig *xc_form_project_total(const xc_form *f);
XC_API const xc_form_fig *xc_form_annual_total(const xc_form *f);
/* The money unit of the form's figures in 元: 10000 (万元, the default)
 * or 1 when the form says 单位：元. */
XC_API int64_t xc_form_unit_scale(const xc_form *f);
XC_API size_t xc_form_block_count(const xc_form *f);
XC_API const xc_form_block *xc_form_block_at(const xc_form *f, size_t i);

/* ---------------------------------------------------------------- */
/* 4. Audit                                                          */

typedef enum xc_severity {
    XC_SEV_INFO = 0,
    XC_SEV_WARNING,
    XC_SEV_ERROR
} xc_severity;

typedef struct xc_finding {
    const char *rule; /* "fund.sum", "score.quant"... (FORMS.md s.3) */
    xc_severity severity;
    int sheet;
    const char *sheet_name;
    uint32_t row, col;    /* the cell the finding names */
    const char *cell;     /* its A1 text: "H12" */
    const char *stated;   /* the form's figure as text ("" if blank) */
    const char *computed; /* exact value ("28/3 = 9.(3)") or "" */
    const char *policies; /* policies reproducing stated: "round1, ..." */
    const char *message;  /* in the settings' language */
} xc_finding;

typedef struct xc_audit xc_audit;

/* Import every form on every sheet of b and audit each.  *out is
 * created even when no form is found (then it has zero forms).  When
 * the book has a formula engine, dirty cells are recalculated first
 * (xc_book_recalc): a formula saved without a cached value states
 * what it computes, while cached values stay the stated figures. */
XC_API int xc_audit_book(xc_book *b, const xc_form_settings *st,
                         xc_audit **out);
/* Audit one imported form, appending to a (created by xc_audit_new). */
XC_API xc_audit *xc_audit_new(void);
XC_API int xc_audit_form(xc_audit *a, const xc_form *f,
                         const xc_form_settings *st);
XC_API void xc_audit_free(xc_audit *a);

XC_API size_t xc_audit_count(const xc_audit *a);
XC_API const xc_finding *xc_audit_get(const xc_audit *a, size_t i);
XC_API size_t xc_audit_forms(const xc_audit *a);  /* forms audited */
XC_API size_t xc_audit_errors(const xc_audit *a); /* error findings */
/* Number of findings with this rule id (and at least this severity). */
XC_API size_t xc_audit_count_rule(const xc_audit *a, const char *rule,
                                  xc_severity min);
/* First finding with this rule id, or NULL. */
XC_API const xc_finding *xc_audit_find(const xc_audit *a, const char *rule);

/* Reports.  Text: one line per finding
 *   "表11!J30 error total.sum stated 98.1 computed 88.1: ...".
 * JSON: {"file":…,"forms":N,"findings":[{"rule","severity","sheet",
 * "cell","stated","computed","policies","message"}…]}.  file may be
 * NULL. */
XC_API int xc_audit_text(xc_buf *out, const xc_audit *a, const char *file,
                         const xc_form_settings *st);
XC_API int xc_audit_json(xc_buf *out, const xc_audit *a, const char *file,
                         const xc_form_settings *st);
XC_API const char *xc_severity_name(xc_severity s); /* "error"... */

/* ---------------------------------------------------------------- */
/* 5. Review sheet                                                   */

/* Add a sheet "复核-<sheet>" to b whose formulas recompute, from the
 * form's own cells and with standard Excel functions only (ROUND,
 * ROUNDDOWN, MIN, MAX, IF, AND, OR, SUM, ABS), every execution rate,
 * fund and indicator score under the rounding policies, section sums,
 * totals and funding cross-checks, each with a verdict cell (一致 /
 * 不一致), so Excel and LibreOffice reach the same verdicts as the audit.
 * Columns: A check, B rule id, C cell, D stated (=cell), E computed,
 * F-I ROUND/ROUNDDOWN to 1 and 2 decimals, J-K the ratio rounded to a
 * whole percent first, L the policies reproducing D, M the verdict.
 * The book gets the formula engine if it has none; formulas are left
 * dirty (call xc_book_recalc).  *sheet (may be NULL) receives the new
 * sheet's index. */
XC_API int xc_form_add_review_sheet(xc_book *b, const xc_form *f,
                                    const xc_form_settings *st, int *sheet);

/* ---------------------------------------------------------------- */
/* 6. Annotated copy                                                 */

/* Mark the findings of a (from xc_audit_book on b) in b itself: each
 * named cell gets a solid fill in the colour of its highest severity
 * (light red error, light yellow warning, light blue info; its other
 * formatting kept) and one note listing every finding on it (rule,
 * severity, stated, computed, policies, message in the settings'
 * language); then a review sheet per form (xc_form_add_review_sheet)
 * and a recalculation.  Books not loaded from xlsx, and sheets that
 * already carry comments, get the review sheets without fills or
 * notes.  Save with xc_xlsx_save. */
XC_API int xc_audit_annotate(xc_book *b, const xc_audit *a,
                             const xc_form_settings *st);
/* As xc_audit_annotate; *unnoted (may be NULL) receives the number of
 * finding cells highlighted without a note because their sheet (or the
 * book) cannot take one. */
XC_API int xc_audit_annotate_ex(xc_book *b, const xc_audit *a,
                                const xc_form_settings *st, size_t *unnoted);

#endif
