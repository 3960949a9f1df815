/* form_value.c - the indicator notation of budget-performance forms
 * (FORMS.md section 4): text normalisation and the parser that turns
 * "≥90%", "30人以上", "控制在5%以内", "3～5天", "2024年12月31日前" or
 * "明显提升" into an operator, exact numbers, a unit and a direction. */
#include <stdio.h>
#include <string.h>
#include "form_int.h"

/* ---------------------------------------------------------------- */
/* Normalisation                                                     */

static int is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f' || c == 0x3000 || c == 0xA0 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF || c == 0x202F;
}

int xc_fnorm(xc_buf *out, const char *s, size_t n)
{
    xc_buf_reset(out);
    if (xc_buf_reserve(out, n + 1) != XC_OK)
        return XC_ENOMEM;
    size_t i = 0;
    while (i < n) {
        uint32_t c;
        size_t k = xc_utf8_decode(s + i, n - i, &c);
        i += k;
        if (is_space_cp(c))
            continue;
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0;
        else if (c == 0x2267)
            c = 0x2265; /* ≧ -> ≥ */
        else if (c == 0x2266)
            c = 0x2264; /* ≦ -> ≤ */
        else if (c == 0x301C)
            c = '~';
        else if (c == 0x2014 || c == 0x2013 || c == 0x2212 || c == 0x2015 ||
                 c == 0x2010 || c == 0x2011 || c == 0xFE63)
            c = '-';
        else if (c == 0xFF05)
            c = '%';
        if (xc_utf8_encode(out, c) != XC_OK)
            return XC_ENOMEM;
    }
    return XC_OK;
}

int xc_fdash(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s != '-' && *s != '/' && *s != '\\')
            return 0;
    return 1;
}

void xc_fa1(char *out, size_t cap, uint32_t row, uint32_t col)
{
    char letters[8];
    int n = 0;
    uint32_t c = col + 1;
    while (c > 0 && n < 7) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    char rev[8];
    for (int i = 0; i < n; i++)
        rev[i] = letters[n - 1 - i];
    rev[n] = 0;
    snprintf(out, cap, "%s%u", rev, row + 1);
}

int64_t xc_fmoney_scale(const char *unit)
{
    if (!strcmp(unit, "元"))
        return 1;
    if (!strcmp(unit, "万元"))
        return 10000;
    if (!strcmp(unit, "亿元"))
        return 100000000;
    return 0;
}

/* ---------------------------------------------------------------- */
/* Word tables                                                       */

/* clang-format off */
static const char *const unmet_start[] = {"未", "否", "无", "没有", "尚未",
                                          NULL};
static const char *const unmet_words[] = {
    "不合格", "不及时", "不规范", "不满意", "不达标", "不符合", "未达",
    "未完成", "未实现", "未按", "滞后", NULL};
static const char *const partial_words[] = {"部分", "基本", NULL};
static const char *const met_words[] = {
    "是", "有", "达成", "完成", "达到", "达标", "及时", "按时", "按期",
    "规范", "合格", "符合", "提升", "提高", "优化", "增强", "加强", "显著",
    "明显", "满意", "良好", "实现", "改善", "有效", "持续", "积极", "支撑",
    "引领", "推动", "促进", "结合", "成效", "转化", "作用", "增长", "加大",
    "到位", "健全", "完善", "准确", "稳定", "发挥", "保障", "落实", "紧密",
    NULL};
static const char *const cost_names[] = {"成本", "费用", "单价", NULL};
static const char *const reverse_names[] = {
    "损失率", "发生率", "事故", "投诉", "差错",
    "误差", "失误", "返工率", "超支", "能耗", "排放量", "伤亡", "违规",
    "违纪", "不合格率", "故障率", "流失率", "空置率", "出错率", "逾期",
    "事件数", NULL};

/* Operators written before the number; the first entry found in the
 * text before the number wins, so negated and compound words come
 * first ("不低于" before "低于"). */
static const struct { const char *w; xc_ind_op op; } pre_ops[] = {
    {"≥", XC_OP_GE}, {">=", XC_OP_GE}, {"≤", XC_OP_LE}, {"<=", XC_OP_LE},
    {"大于等于", XC_OP_GE}, {"大于或等于", XC_OP_GE},
    {"小于等于", XC_OP_LE}, {"小于或等于", XC_OP_LE},
    {"不低于", XC_OP_GE}, {"不少于", XC_OP_GE}, {"不小于", XC_OP_GE},
    {"至少", XC_OP_GE},
    {"不超过", XC_OP_LE}, {"不高于", XC_OP_LE}, {"不多于", XC_OP_LE},
    {"不大于", XC_OP_LE}, {"控制在", XC_OP_LE}, {"下降至", XC_OP_LE},
    {"下降到", XC_OP_LE}, {"降低到", XC_OP_LE}, {"降低至", XC_OP_LE},
    {"降至", XC_OP_LE}, {"降到", XC_OP_LE}, {"最多", XC_OP_LE},
    {"不满", XC_OP_LT}, {"不足", XC_OP_LT},
    {">", XC_OP_GT}, {"<", XC_OP_LT}, {"=", XC_OP_EQ},
    {"超过", XC_OP_GT}, {"大于", XC_OP_GT}, {"高于", XC_OP_GT},
    {"多于", XC_OP_GT}, {"低于", XC_OP_LT}, {"小于", XC_OP_LT},
    {"少于", XC_OP_LT},
    {NULL, XC_OP_NONE}};

/* Units read after a number, longest first. */
static const char *const units[] = {
    "百分比", "人次", "家次", "户次", "场次", "公里", "平方米", "万元", "亿元",
    "小时", "分钟", "学时", "课时", "%", "‰", "㎡", "人", "个", "家", "户",
    "次", "项", "件", "场", "期", "站", "台", "套", "篇", "天", "日", "月",
    "年", "亩", "元", "名", "枚", "头", "所", "批", "册", "份", "本", "株",
    "棵", "吨", "座", "辆", "条", "处", "间", "周", "只", "部", "张", "类",
    "轮", "起", "例", "组", "支", "门", "课", "号", "笔", "米", "km",
    NULL};
/* clang-format on */

static int any_start(const char *s, const char *const *t)
{
    for (; *t; t++)
        if (fstarts(s, *t))
            return 1;
    return 0;
}

static int any_in(const char *s, const char *const *t)
{
    for (; *t; t++)
        if (fcontains(s, *t))
            return 1;
    return 0;
}

xc_ind_tier xc_ftier(const char *s)
{
    if (!*s)
        return XC_TIER_UNKNOWN;
    if (any_start(s, unmet_start) || any_in(s, unmet_words))
        return XC_TIER_UNMET;
    if (any_in(s, partial_words))
        return XC_TIER_PARTIAL;
    if (any_in(s, met_words))
        return XC_TIER_MET;
    return XC_TIER_UNKNOWN;
}

/* ---------------------------------------------------------------- */
/* Parser                                                            */

void xc_indicator_init(xc_indicator *ind)
{
    memset(ind, 0, sizeof *ind);
    xc_num_init(&ind->lo);
    xc_num_init(&ind->hi);
    ind->dir = XC_DIR_EMPTY;
}

void xc_indicator_clear(xc_indicator *ind)
{
    xc_num_clear(&ind->lo);
    xc_num_clear(&ind->hi);
    xc_indicator_init(ind);
}

/* Reset to the empty state keeping the numbers initialised. */
static void reset(xc_indicator *ind)
{
    xc_num_set_int(&ind->lo, 0);
    xc_num_set_int(&ind->hi, 0);
    ind->op = XC_OP_NONE;
    ind->dir = XC_DIR_EMPTY;
    ind->tier = XC_TIER_UNKNOWN;
    ind->flags = 0;
    ind->has_num = 0;
    ind->unit[0] = 0;
    ind->year = ind->month = ind->day = 0;
}

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

/* Position of the first number in s ("12", "0.5", ".5"), or -1. */
static long first_number(const char *s)
{
    for (long i = 0; s[i]; i++) {
        if (isdig(s[i]))
            return i;
        if (s[i] == '.' && isdig(s[i + 1]))
            return i;
    }
    return -1;
}

/* Read a decimal number at s (thousands separators "1,000" allowed);
 * *len receives the bytes consumed.  XC_EPARSE if none. */
static int read_number(xc_num *r, const char *s, size_t *len)
{
    char tmp[64];
    size_t i = 0, k = 0;
    int dot = 0;
    while (s[i] && k < sizeof tmp - 1) {
        if (isdig(s[i])) {
            tmp[k++] = s[i++];
        } else if (s[i] == '.' && !dot && isdig(s[i + 1])) {
            dot = 1;
            tmp[k++] = s[i++];
        } else if (s[i] == ',' && !dot && k > 0 && isdig(s[i + 1]) &&
                   isdig(s[i + 2]) && isdig(s[i + 3]) && !isdig(s[i + 4])) {
            i++;
        } else {
            break;
        }
    }
    if (k == 0 || k >= sizeof tmp - 1)
        return XC_EPARSE;
    tmp[k] = 0;
    *len = i;
    return xc_num_parse(r, tmp, k, 0, NULL);
}

/* Match a unit at s; copies the canonical unit to out and returns the
 * bytes consumed, with *scale set to a power-of-ten factor code:
 * 0 none, -2 percent, -3 per mille, 4 for a 万 multiplier. */
static size_t read_unit(const char *s, char *out, size_t cap, int *scale,
                        unsigned *flags)
{
    *scale = 0;
    out[0] = 0;
    /* compound money per thing: 万元/家, 元/人, 万/次 */
    const char *money = NULL;
    size_t mlen = 0;
    if (fstarts(s, "万元/"))
        money = "万元", mlen = strlen("万元/");
    else if (fstarts(s, "元/"))
        money = "元", mlen = strlen("元/");
    else if (fstarts(s, "万/"))
        money = "万元", mlen = strlen("万/");
    if (money) {
        for (const char *const *u = units; *u; u++) {
            if (fstarts(s + mlen, *u) && strcmp(*u, "%") && strcmp(*u, "‰")) {
                snprintf(out, cap, "%s/%s", money, *u);
                return mlen + strlen(*u);
            }
        }
        snprintf(out, cap, "%s", money);
        return mlen - 1;
    }
    if (fstarts(s, "万") && !fstarts(s, "万元")) {
        size_t w = strlen("万");
        if (fstarts(s + w, "余") || fstarts(s + w, "多")) {
            *scale = 4;
            *flags |= XC_IND_APPROX;
            return w + strlen("余");
        }
        for (const char *const *u = units; *u; u++) {
            if (fstarts(s + w, *u) && strcmp(*u, "元") && strcmp(*u, "%")) {
                *scale = 4;
                snprintf(out, cap, "%s", *u);
                return w + strlen(*u);
            }
        }
        snprintf(out, cap, "万元");
        return w;
    }
    for (const char *const *u = units; *u; u++) {
        if (fstarts(s, *u)) {
            if (!strcmp(*u, "%") || !strcmp(*u, "百分比")) {
                *scale = -2;
                snprintf(out, cap, "%%");
            } else if (!strcmp(*u, "‰")) {
                *scale = -3;
                snprintf(out, cap, "‰");
            } else if (!strcmp(*u, "平方米")) {
                snprintf(out, cap, "㎡");
            } else {
                snprintf(out, cap, "%s", *u);
            }
            return strlen(*u);
        }
    }
    return 0;
}

/* Deadline text: a 4-digit year followed by 年, or 年底/月底/日前...
 * Records the last year, month and day named. */
static int read_deadline(xc_indicator *ind, const char *s)
{
    int found = 0;
    const char *p = s;
    while (*p) {
        if (isdig(*p)) {
            long v = 0;
            int nd = 0;
            const char *q = p;
            while (isdig(*q) && nd < 9) {
                v = v * 10 + (*q - '0');
                q++, nd++;
            }
            while (isdig(*q))
                q++;
            if (fstarts(q, "年") && nd == 4) {
                ind->year = (int)v;
                ind->month = ind->day = 0;
                found = 1;
            } else if (fstarts(q, "月") && v >= 1 && v <= 12 && found) {
                ind->month = (int)v;
                ind->day = 0;
            } else if (fstarts(q, "日") && v >= 1 && v <= 31 && ind->month) {
                ind->day = (int)v;
            } else if (fstarts(q, "月") && v >= 1 && v <= 12 &&
                       (fcontains(q, "日前") || fcontains(q, "底"))) {
                ind->month = (int)v;
                found = 1;
            }
            p = q;
        } else {
            p++;
        }
    }
    if (fcontains(s, "年底") || fcontains(s, "年末")) {
        ind->month = 12;
        ind->day = 31;
        found = 1;
    }
    if (fcontains(s, "月底") || fcontains(s, "日前") || fcontains(s, "年内") ||
        fcontains(s, "之前"))
        found = 1;
    return found;
}

/* Reverse by name: incident words always; cost words unless the name
 * counts something ("研发费用补助支持企业数" is a quantity) or sits
 * under another 二级指标. */
static int name_is_reverse(const char *name)
{
    if (!name)
        return 0;
    if (any_in(name, reverse_names))
        return 1;
    if (!any_in(name, cost_names))
        return 0;
    static const char *const counted[] = {"数", "数量", "率", "占比", NULL};
    for (const char *const *c = counted; *c; c++)
        if (fends(name, *c))
            return 0;
    return !fcontains(name, "数量指标") && !fcontains(name, "质量指标") &&
           !fcontains(name, "时效指标") && !fcontains(name, "效益");
}

/* Direction from the operator, the number and the name. */
static void decide_dir(xc_indicator *ind, const char *name)
{
    int zero = ind->has_num && xc_num_is_zero(&ind->lo);
    switch (ind->op) {
    case XC_OP_GE:
    case XC_OP_GT:
        ind->dir = XC_DIR_POSITIVE;
        break;
    case XC_OP_LE:
    case XC_OP_LT:
        ind->dir = zero ? XC_DIR_ZERO : XC_DIR_REVERSE;
        break;
    case XC_OP_RANGE:
        ind->dir = XC_DIR_POSITIVE;
        break;
    default:
        if (zero)
            ind->dir = XC_DIR_ZERO;
        else if (name_is_reverse(name))
            ind->dir = XC_DIR_REVERSE;
        else
            ind->dir = XC_DIR_POSITIVE;
    }
}

static int scale_num(xc_num *x, int scale)
{
    if (scale == 0)
        return XC_OK;
    return xc_num_scale10(x, x, scale);
}

/* Parse normalised text t. */
static int parse_norm(xc_indicator *ind, const char *t, const char *name)
{
    if (!*t || xc_fdash(t)) {
        ind->dir = XC_DIR_EMPTY;
        return XC_OK;
    }
    if (fcontains(t, "*") || fcontains(t, "××") || fcontains(t, "XX") ||
        fcontains(t, "xx")) {
        ind->dir = XC_DIR_UNPARSED;
        ind->flags |= XC_IND_PLACEHOLDER;
        return XC_OK;
    }
    if (read_deadline(ind, t)) {
        ind->dir = XC_DIR_DEADLINE;
        ind->tier = xc_ftier(t);
        return XC_OK;
    }
    long at = first_number(t);
    if (at < 0) {
        /* qualitative, or a zero target written in words (零事故) */
        if (fstarts(t, "零")) {
            ind->has_num = 1;
            ind->dir = XC_DIR_ZERO;
            return XC_OK;
        }
        ind->tier = xc_ftier(t);
        ind->dir = XC_DIR_QUAL;
        return XC_OK;
    }
    size_t len;
    int st = read_number(&ind->lo, t + at, &len);
    if (st == XC_ENOMEM)
        return st;
    if (st != XC_OK) {
        ind->dir = XC_DIR_UNPARSED;
        return XC_OK;
    }
    ind->has_num = 1;
    const char *p = t + at + len;
    /* range: 90%-95%, 3~5天, 1-2项, 3至5 */
    int scale1 = 0;
    const char *q = p;
    if (fstarts(q, "%"))
        q += 1, scale1 = -2;
    const char *seps[] = {"-", "~", "至", "到", NULL};
    int ranged = 0;
    for (const char *const *sp = seps; *sp; sp++) {
        size_t sl = strlen(*sp);
        if (fstarts(q, *sp) && (isdig(q[sl]) || q[sl] == '.')) {
            size_t len2;
            st = read_number(&ind->hi, q + sl, &len2);
            if (st == XC_ENOMEM)
                return st;
            if (st == XC_OK) {
                ranged = 1;
                p = q + sl + len2;
            }
            break;
        }
    }
    if (!ranged && (st = xc_num_set(&ind->hi, &ind->lo)) != XC_OK)
        return st;
    int scale;
    size_t ul = read_unit(p, ind->unit, sizeof ind->unit, &scale, &ind->flags);
    if (ranged && scale == 0 && scale1 != 0) {
        scale = scale1;
        snprintf(ind->unit, sizeof ind->unit, "%%");
    }
    if ((st = scale_num(&ind->lo, scale)) != XC_OK ||
        (st = scale_num(&ind->hi, scale)) != XC_OK) {
        ind->dir = XC_DIR_UNPARSED;
        return st == XC_ENOMEM ? st : XC_OK;
    }
    if (scale < 0)
        ind->flags |= XC_IND_PERCENT;
    p += ul;
    /* operators: before the number, else words after it */
    xc_ind_op op = XC_OP_NONE;
    char pre[256];
    size_t pl = (size_t)at < sizeof pre - 1 ? (size_t)at : sizeof pre - 1;
    memcpy(pre, t, pl);
    pre[pl] = 0;
    for (int i = 0; pre_ops[i].w; i++) {
        if (fcontains(pre, pre_ops[i].w)) {
            op = pre_ops[i].op;
            break;
        }
    }
    if (op == XC_OP_NONE) {
        if (fcontains(p, "以上") || fcontains(p, "之上"))
            op = XC_OP_GE;
        else if (fcontains(p, "以下") || fcontains(p, "以内") ||
                 fcontains(p, "之内"))
            op = XC_OP_LE;
    }
    if (fcontains(p, "左右") || fcontains(pre, "约") || fstarts(p, "余") ||
        fstarts(p, "多"))
        ind->flags |= XC_IND_APPROX;
    if (ranged)
        op = XC_OP_RANGE;
    ind->op = op;
    /* a second figure that is not a range: several targets in one cell */
    if (first_number(p) >= 0) {
        ind->flags |= XC_IND_MULTI;
        ind->dir = XC_DIR_UNPARSED;
        return XC_OK;
    }
    if (ranged && xc_num_cmp(&ind->lo, &ind->hi) > 0) {
        xc_num tmp = ind->lo;
        ind->lo = ind->hi;
        ind->hi = tmp;
    }
    decide_dir(ind, name);
    return XC_OK;
}

int xc_indicator_parse(xc_indicator *ind, const char *s, size_t n,
                       const char *name)
{
    reset(ind);
    xc_buf b, nb;
    xc_buf_init(&b);
    xc_buf_init(&nb);
    int st = xc_fnorm(&b, s ? s : "", s ? n : 0);
    if (st == XC_OK && name)
        st = xc_fnorm(&nb, name, strlen(name));
    if (st == XC_OK)
        st = parse_norm(ind, b.p ? b.p : "", name ? (nb.p ? nb.p : "") : NULL);
    xc_buf_clear(&b);
    xc_buf_clear(&nb);
    return st;
}

int xc_indicator_from_value(xc_indicator *ind, const xc_value *v,
                            const char *numfmt, const char *name)
{
    reset(ind);
    switch (v ? v->type : XC_EMPTY) {
    case XC_EMPTY:
        return XC_OK;
    case XC_NUMBER: {
        int st = xc_num_set(&ind->lo, &v->u.num);
        if (st == XC_OK)
            st = xc_num_set(&ind->hi, &v->u.num);
        if (st != XC_OK)
            return st;
        ind->has_num = 1;
        if (numfmt && strchr(numfmt, '%')) {
            ind->flags |= XC_IND_PERCENT;
            snprintf(ind->unit, sizeof ind->unit, "%%");
        }
        decide_dir(ind, name);
        return XC_OK;
    }
    case XC_TEXT:
        return xc_indicator_parse(ind, v->u.str->s, v->u.str->len, name);
    default:
        ind->dir = XC_DIR_UNPARSED;
        return XC_OK;
    }
}

const char *xc_ind_dir_name(xc_ind_dir d)
{
    static const char *const n[] = {"positive",    "reverse",  "zero",
                                    "qualitative", "deadline", "unparsed",
                                    "empty"};
    return (unsigned)d < sizeof n / sizeof n[0] ? n[d] : "?";
}

const char *xc_ind_op_name(xc_ind_op op)
{
    static const char *const n[] = {"", "≥", ">", "≤", "<", "=", "range"};
    return (unsigned)op < sizeof n / sizeof n[0] ? n[op] : "?";
}
