/* numfmt.c - Excel number-format codes, for cell display and TEXT().
 *
 * A code has up to four sections (positive;negative;zero;text), each
 * optionally led by a condition ([>=100]) and a colour ([Red], ignored).
 * A section is numeric (0 # ? placeholders, decimal point, thousands
 * separators and trailing scaling commas, %, per-mille, E+00
 * exponents, fractions "# ?/?"), a date/time pattern (y m d h s,
 * AM/PM, [h] elapsed, fractional seconds), "General", or text (@).
 * Chinese extras: CJK characters are literals, aaa/aaaa weekdays,
 * [DBNum1] (一百二十三), [DBNum2] (壹佰贰拾叁), [DBNum3] (full-width
 * digits), locale tags [$-804] and currency tags [$¥-804].
 *
 * Every number is rounded half away from zero on its exact rational
 * value; nothing passes through a double.  The code is parsed on each
 * call (codes are short and the parse is linear). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"

/* ---- Tokens ---------------------------------------------------------- */

enum {
    T_LIT,   /* literal text s[0..len) */
    T_DIG,   /* digit placeholder: c = '0', '#' or '?' */
    T_DOT,   /* decimal point */
    T_COMMA, /* thousands separator or scaling comma */
    T_PCT,   /* percent */
    T_PERMIL,
    T_EXP,   /* E+ / E-: c = '+' or '-', upper = 'E' or 'e' */
    T_SLASH, /* fraction bar; n = fixed denominator or 0 */
    T_AT,    /* text placeholder */
    T_GEN,   /* General */
    T_Y,     /* year, n letters */
    T_M,     /* month, n letters */
    T_MIN,   /* minutes (m/mm after h or before s) */
    T_D,     /* day / weekday */
    T_H,
    T_S,
    T_SUB,  /* fractional seconds, n digits */
    T_AMPM, /* c: 'A' AM/PM, 'a' am/pm, 'P' A/P, 'p' a/p, 'C' 上午/下午 */
    T_EH,   /* elapsed [h] [m] [s] */
    T_EM,
    T_ES,
    T_WCN /* Chinese weekday aaa (n=3) / aaaa (n=4) */
};

typedef struct tok {
    uint8_t kind, c;
    int64_t n;
    const char *s;
    size_t len;
} tok;

#define MAXTOK 200

typedef struct section {
    tok t[MAXTOK];
    int nt;
    int has_cond;
    int cond_op; /* XOP_EQ.. XOP_GE */
    xc_num cond;
    int dbnum; /* 0, 1, 2, 3 */
    int is_date, is_frac, has_at, has_gen, has_digit, has_ampm;
} section;

typedef struct fmt {
    section sec[4];
    int n;
} fmt;

static int ci_prefix(const char *p, const char *e, const char *w)
{
    size_t k = strlen(w);
    if ((size_t)(e - p) < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char a = p[i], b = w[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 32);
        if (b >= 'a' && b <= 'z')
            b = (char)(b - 32);
        if (a != b)
            return 0;
    }
    return 1;
}

static int push(section *s, int kind, int c, int64_t n, const char *p,
                size_t len)
{
    if (s->nt >= MAXTOK)
        return XC_EPARSE;
    tok *t = &s->t[s->nt++];
    t->kind = (uint8_t)kind;
    t->c = (uint8_t)c;
    t->n = n;
    t->s = p;
    t->len = len;
    return XC_OK;
}

static size_t run(const char *p, const char *e, char lower)
{
    size_t k = 0;
    while (p + k < e && (p[k] | 0x20) == lower)
        k++;
    return k;
}

/* A bracketed item [..] (p points after '[', q at ']'). */
static int parse_bracket(section *s, const char *p, const char *q)
{
    size_t n = (size_t)(q - p);
    if (n == 0)
        return XC_EPARSE;
    if (*p == '$') {
        const char *dash = memchr(p, '-', n);
        const char *end = dash ? dash : q;
        if (end > p + 1)
            return push(s, T_LIT, 0, 0, p + 1, (size_t)(end - p - 1));
        return XC_OK;
    }
    if (*p == '<' || *p == '>' || *p == '=') {
        int op;
        size_t k = 1;
        if (p[0] == '<' && n > 1 && p[1] == '=')
            op = XOP_LE, k = 2;
        else if (p[0] == '<' && n > 1 && p[1] == '>')
            op = XOP_NE, k = 2;
        else if (p[0] == '>' && n > 1 && p[1] == '=')
            op = XOP_GE, k = 2;
        else
            op = p[0] == '<' ? XOP_LT : p[0] == '>' ? XOP_GT : XOP_EQ;
        if (xc_num_parse(&s->cond, p + k, n - k, 0, NULL) != XC_OK)
            return XC_EPARSE;
        s->has_cond = 1;
        s->cond_op = op;
        return XC_OK;
    }
    if (run(p, q, 'h') == n)
        return push(s, T_EH, 0, (int64_t)n, NULL, 0);
    if (run(p, q, 'm') == n)
        return push(s, T_EM, 0, (int64_t)n, NULL, 0);
    if (run(p, q, 's') == n)
        return push(s, T_ES, 0, (int64_t)n, NULL, 0);
    if (n == 6 && ci_prefix(p, q, "DBNum") && p[5] >= '1' && p[5] <= '3') {
        s->dbnum = p[5] - '0';
        return XC_OK;
    }
    static const char *colors[] = {"BLACK",   "BLUE", "CYAN",  "GREEN",
                                   "MAGENTA", "RED",  "WHITE", "YELLOW"};
    for (size_t i = 0; i < sizeof colors / sizeof *colors; i++)
        if (n == strlen(colors[i]) && ci_prefix(p, q, colors[i]))
            return XC_OK;
    if (n > 5 && ci_prefix(p, q, "COLOR"))
        return XC_OK;
    /* colour names as Chinese Excel writes them: 黑色 蓝色 青色 绿色 洋红
     * 红色 白色 黄色, and 颜色N */
    static const char *cn_colors[] = {
        "\xe9\xbb\x91\xe8\x89\xb2", "\xe8\x93\x9d\xe8\x89\xb2",
        "\xe9\x9d\x92\xe8\x89\xb2", "\xe7\xbb\xbf\xe8\x89\xb2",
        "\xe6\xb4\x8b\xe7\xba\xa2", "\xe7\xba\xa2\xe8\x89\xb2",
        "\xe7\x99\xbd\xe8\x89\xb2", "\xe9\xbb\x84\xe8\x89\xb2"};
    for (size_t i = 0; i < sizeof cn_colors / sizeof *cn_colors; i++)
        if (n == strlen(cn_colors[i]) && memcmp(p, cn_colors[i], n) == 0)
            return XC_OK;
    if (n > 6 && memcmp(p, "\xe9\xa2\x9c\xe8\x89\xb2", 6) == 0)
        return XC_OK;
    return XC_EPARSE;
}

/* Tokenize one section s of code[p..e). */
static int parse_section(section *s, const char *p, const char *e)
{
    int st = XC_OK;
    while (p < e && st == XC_OK) {
        char c = *p;
        size_t k;
        if (c == '"') {
            const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));
            if (!q)
                return XC_EPARSE;
            st = push(s, T_LIT, 0, 0, p + 1, (size_t)(q - p - 1));
            p = q + 1;
        } else if (c == '\\' || c == '_' || c == '*') {
            uint32_t cp;
            if (p + 1 >= e)
                return XC_EPARSE;
            k = xc_utf8_decode(p + 1, (size_t)(e - p - 1), &cp);
            if (c == '\\')
                st = push(s, T_LIT, 0, 0, p + 1, k);
            else if (c == '_')
                st = push(s, T_LIT, 0, 0, " ", 1);
            p += 1 + k;
        } else if (c == '[') {
            const char *q = memchr(p, ']', (size_t)(e - p));
            if (!q)
                return XC_EPARSE;
            st = parse_bracket(s, p + 1, q);
            p = q + 1;
        } else if (c == '0' || c == '#' || c == '?') {
            st = push(s, T_DIG, c, 0, NULL, 0);
            p++;
        } else if (c == '.') {
            st = push(s, T_DOT, 0, 0, ".", 1);
            p++;
        } else if (c == ',') {
            st = push(s, T_COMMA, 0, 0, ",", 1);
            p++;
        } else if (c == '%') {
            st = push(s, T_PCT, 0, 0, "%", 1);
            p++;
        } else if ((c == 'E' || c == 'e') && p + 1 < e &&
                   (p[1] == '+' || p[1] == '-')) {
            st = push(s, T_EXP, p[1], c, NULL, 0);
            p += 2;
        } else if (c == '/') {
            int64_t d = 0;
            p++;
            if (p < e && *p >= '1' && *p <= '9') {
                while (p < e && *p >= '0' && *p <= '9' && d < 100000000)
                    d = d * 10 + (*p++ - '0');
            }
            st = push(s, T_SLASH, 0, d, "/", 1);
        } else if (c == '@') {
            st = push(s, T_AT, 0, 0, NULL, 0);
            p++;
        } else if (ci_prefix(p, e, "GENERAL")) {
            st = push(s, T_GEN, 0, 0, NULL, 0);
            p += 7;
        } else if (ci_prefix(p, e,
                             "G/\xe9\x80\x9a\xe7\x94\xa8\xe6\xa0\xbc"
                             "\xe5\xbc\x8f")) { /* G/通用格式 */
            st = push(s, T_GEN, 0, 0, NULL, 0);
            p += 14;
        } else if (ci_prefix(p, e, "AM/PM")) {
            st = push(s, T_AMPM, p[0] == 'a' ? 'a' : 'A', 0, NULL, 0);
            p += 5;
        } else if (ci_prefix(p, e, "A/P")) {
            st = push(s, T_AMPM, p[0] == 'a' ? 'p' : 'P', 0, NULL, 0);
            p += 3;
        } else if (ci_prefix(p, e,
                             "\xe4\xb8\x8a\xe5\x8d\x88/\xe4\xb8\x8b"
                             "\xe5\x8d\x88")) { /* 上午/下午 */
            st = push(s, T_AMPM, 'C', 0, NULL, 0);
            p += 13;
        } else if ((c | 0x20) == 'y' || (c | 0x20) == 'm' ||
                   (c | 0x20) == 'd' || (c | 0x20) == 'h' ||
                   (c | 0x20) == 's') {
            static const char kinds[] = "ymdhs";
            static const int tk[] = {T_Y, T_M, T_D, T_H, T_S};
            k = run(p, e, (char)(c | 0x20));
            st = push(s, tk[strchr(kinds, c | 0x20) - kinds], 0, (int64_t)k,
                      NULL, 0);
            p += k;
        } else if (c == 'e') {
            st = push(s, T_Y, 0, 4, NULL, 0);
            p++;
        } else if ((c | 0x20) == 'a' && run(p, e, 'a') >= 3) {
            k = run(p, e, 'a');
            st = push(s, T_WCN, 0, k >= 4 ? 4 : 3, NULL, 0);
            p += k;
        } else if ((unsigned char)c == 0xe2 && p + 2 < e &&
                   (unsigned char)p[1] == 0x80 &&
                   (unsigned char)p[2] == 0xb0) { /* ‰ */
            st = push(s, T_PERMIL, 0, 0, "\xe2\x80\xb0", 3);
            p += 3;
        } else {
            uint32_t cp;
            k = xc_utf8_decode(p, (size_t)(e - p), &cp);
            st = push(s, T_LIT, 0, 0, p, k);
            p += k;
        }
    }
    return st;
}

static int is_datetok(int k)
{
    return k == T_Y || k == T_M || k == T_MIN || k == T_D || k == T_H ||
           k == T_S || k == T_AMPM || k == T_EH || k == T_EM || k == T_ES ||
           k == T_WCN || k == T_SUB;
}

/* Classify a tokenized section and resolve its ambiguities: m as
 * minutes, '.0' after seconds, commas and slashes in dates. */
static int finish_section(section *s)
{
    for (int i = 0; i < s->nt; i++) {
        int k = s->t[i].kind;
        if (is_datetok(k))
            s->is_date = 1;
        if (k == T_AT)
            s->has_at = 1;
        if (k == T_GEN)
            s->has_gen = 1;
        if (k == T_AMPM)
            s->has_ampm = 1;
    }
    if (s->is_date) {
        for (int i = 0; i < s->nt; i++) {
            tok *t = &s->t[i];
            if (t->kind == T_DOT && i + 1 < s->nt &&
                s->t[i + 1].kind == T_DIG && s->t[i + 1].c == '0') {
                int j = i + 1, n = 0;
                while (j < s->nt && s->t[j].kind == T_DIG && s->t[j].c == '0' &&
                       n < 3)
                    j++, n++;
                t->kind = T_SUB;
                t->n = n;
                memmove(&s->t[i + 1], &s->t[j],
                        (size_t)(s->nt - j) * sizeof *t);
                s->nt -= j - i - 1;
            } else if (t->kind == T_COMMA || t->kind == T_DOT ||
                       t->kind == T_SLASH) {
                if (t->kind == T_SLASH && t->n)
                    return XC_EPARSE;
                t->kind = T_LIT;
            } else if (t->kind == T_DIG || t->kind == T_PCT ||
                       t->kind == T_EXP || t->kind == T_PERMIL ||
                       t->kind == T_GEN || t->kind == T_AT) {
                return XC_EPARSE;
            }
        }
        for (int i = 0; i < s->nt; i++) {
            if (s->t[i].kind != T_M || s->t[i].n > 2)
                continue;
            int minute = 0;
            for (int j = i - 1; j >= 0; j--) {
                int k = s->t[j].kind;
                if (k == T_LIT)
                    continue;
                minute = k == T_H || k == T_EH;
                break;
            }
            for (int j = i + 1; j < s->nt && !minute; j++) {
                int k = s->t[j].kind;
                if (k == T_LIT)
                    continue;
                minute = k == T_S || k == T_ES;
                break;
            }
            if (minute)
                s->t[i].kind = T_MIN;
        }
        return XC_OK;
    }
    /* Numeric: letters that only dates use are literal here (Excel
     * rejects most; accepting them keeps foreign codes displayable). */
    int ndig = 0;
    for (int i = 0; i < s->nt; i++)
        if (s->t[i].kind == T_DIG)
            ndig++;
    s->has_digit = ndig > 0;
    for (int i = 0; i < s->nt; i++)
        if (s->t[i].kind == T_SLASH) {
            if (i > 0 && s->t[i - 1].kind == T_DIG &&
                (s->t[i].n || (i + 1 < s->nt && s->t[i + 1].kind == T_DIG)))
                s->is_frac = 1;
            else
                s->t[i].kind = T_LIT;
        }
    if (s->is_frac) {
        int seen = 0;
        for (int i = 0; i < s->nt; i++) {
            if (s->t[i].kind == T_SLASH) {
                if (seen)
                    s->t[i].kind = T_LIT;
                seen = 1;
            } else if (s->t[i].kind == T_EXP || s->t[i].kind == T_DOT) {
                return XC_EPARSE;
            }
        }
    }
    return XC_OK;
}

static void fmt_clear(fmt *f)
{
    for (int i = 0; i < 4; i++)
        xc_num_clear(&f->sec[i].cond);
}

static int fmt_parse(fmt *f, const char *code)
{
    const char *p = code, *e = code + strlen(code), *start = code;
    memset(f, 0, sizeof *f);
    for (int i = 0; i < 4; i++)
        xc_num_init(&f->sec[i].cond);
    f->n = 0;
    for (;;) {
        /* find the section end: ';' outside quotes, brackets, escapes */
        while (p < e && *p != ';') {
            if (*p == '"') {
                const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));
                if (!q)
                    return XC_EPARSE;
                p = q + 1;
            } else if (*p == '\\' || *p == '_' || *p == '*') {
                p += p + 1 < e ? 2 : 1;
            } else if (*p == '[') {
                const char *q = memchr(p, ']', (size_t)(e - p));
                if (!q)
                    return XC_EPARSE;
                p = q + 1;
            } else {
                p++;
            }
        }
        if (f->n >= 4)
            return XC_EPARSE;
        section *s = &f->sec[f->n++];
        int st = parse_section(s, start, p);
        if (st == XC_OK)
            st = finish_section(s);
        if (st != XC_OK)
            return st;
        if (p >= e)
            break;
        start = ++p;
    }
    return XC_OK;
}

/* ---- Chinese numerals -------------------------------------------------- */

static const char *cn_digit[2][10] = {
    {"\xe9\x9b\xb6", "\xe4\xb8\x80", "\xe4\xba\x8c", "\xe4\xb8\x89",
     "\xe5\x9b\x9b", "\xe4\xba\x94", "\xe5\x85\xad", "\xe4\xb8\x83",
     "\xe5\x85\xab", "\xe4\xb9\x9d"}, /* 零一二三四五六七八九 */
    {"\xe9\x9b\xb6", "\xe5\xa3\xb9", "\xe8\xb4\xb0", "\xe5\x8f\x81",
     "\xe8\x82\x86", "\xe4\xbc\x8d", "\xe9\x99\x86", "\xe6\x9f\x92",
     "\xe6\x8d\x8c", "\xe7\x8e\x96"}}; /* 零壹贰叁肆伍陆柒捌玖 */
static const char *cn_unit[2][4] = {
    {"", "\xe5\x8d\x81", "\xe7\x99\xbe", "\xe5\x8d\x83"},  /* 十百千 */
    {"", "\xe6\x8b\xbe", "\xe4\xbd\xb0", "\xe4\xbb\x9f"}}; /* 拾佰仟 */
static const char *cn_big[] = {"", "\xe4\xb8\x87", "\xe4\xba\xbf",
                               "\xe4\xb8\x87\xe4\xba\xbf",
                               "\xe4\xba\xbf\xe4\xba\xbf"}; /* 万 亿 */
#define CN_LING "\xe3\x80\x87"                              /* 〇 */

/* Read a string of decimal digits (no sign) as a Chinese number: upper
 * selects the financial digits; short_teen writes 10..19 as 十.. rather
 * than 一十... */
int xc_numfmt_chinese(xc_buf *out, const char *d, size_t n, int upper,
                      int short_teen)
{
    int u = upper ? 1 : 0, st = XC_OK, any = 0, zero = 0;
    while (n > 1 && *d == '0')
        d++, n--;
    if (n == 1 && *d == '0')
        return xc_buf_puts(out, cn_digit[u][0]);
    if (n > 20) { /* beyond the named units: digit by digit */
        for (size_t i = 0; i < n && st == XC_OK; i++)
            st = xc_buf_puts(out, cn_digit[u][d[i] - '0']);
        return st;
    }
    size_t groups = (n + 3) / 4;
    for (size_t g = groups; g-- > 0 && st == XC_OK;) {
        /* digits of group g: positions [n-4g-4, n-4g) */
        int dig[4] = {0, 0, 0, 0}, gv = 0;
        for (int k = 0; k < 4; k++) {
            long pos = (long)n - 1 - (long)(4 * g) - k;
            dig[k] = pos >= 0 ? d[pos] - '0' : 0;
            gv += dig[k];
        }
        if (gv == 0) {
            if (any)
                zero = 1;
            continue;
        }
        if (any && (zero || dig[3] == 0))
            st = xc_buf_puts(out, cn_digit[u][0]);
        zero = 0;
        int started = 0, inner = 0;
        for (int k = 3; k >= 0 && st == XC_OK; k--) {
            if (dig[k] == 0) {
                if (started)
                    inner = 1;
                continue;
            }
            if (inner)
                st = xc_buf_puts(out, cn_digit[u][0]);
            inner = 0;
            if (!(short_teen && !any && !started && k == 1 && dig[1] == 1))
                st = xc_buf_puts(out, cn_digit[u][dig[k]]);
            if (st == XC_OK)
                st = xc_buf_puts(out, cn_unit[u][k]);
            started = 1;
        }
        if (st == XC_OK)
            st = xc_buf_puts(out, cn_big[g]);
        any = 1;
    }
    return st;
}

/* Digits one by one in the DBNum style (〇 for zero in DBNum1). */
static int cn_digits(xc_buf *out, const char *d, size_t n, int dbnum)
{
    int st = XC_OK;
    for (size_t i = 0; i < n && st == XC_OK; i++) {
        int k = d[i] - '0';
        if (dbnum == 3)
            st = xc_utf8_encode(out, 0xFF10u + (uint32_t)k);
        else if (dbnum == 1 && k == 0)
            st = xc_buf_puts(out, CN_LING);
        else
            st = xc_buf_puts(out, cn_digit[dbnum == 2][k]);
    }
    return st;
}

/* Rewrite the digit runs of formatted text under [DBNumN]: a run after
 * a decimal point digit by digit, other runs (thousands separators
 * dropped) as Chinese numbers; DBNum3 makes every digit full-width. */
static int dbnum_rewrite(xc_buf *out, const char *s, size_t n, int dbnum,
                         int short_teen)
{
    int st = XC_OK;
    size_t i = 0;
    while (i < n && st == XC_OK) {
        if (s[i] < '0' || s[i] > '9') {
            st = xc_buf_putc(out, s[i++]);
            continue;
        }
        char tmp[400];
        size_t k = 0, j = i;
        int after_dot = i > 0 && s[i - 1] == '.';
        while (j < n && ((s[j] >= '0' && s[j] <= '9') ||
                         (s[j] == ',' && !after_dot && j + 1 < n &&
                          s[j + 1] >= '0' && s[j + 1] <= '9'))) {
            if (s[j] != ',' && k < sizeof tmp)
                tmp[k++] = s[j];
            j++;
        }
        if (dbnum == 3 || after_dot)
            st = cn_digits(out, tmp, k, dbnum);
        else
            st = xc_numfmt_chinese(out, tmp, k, dbnum == 2, short_teen);
        i = j;
    }
    return st;
}

/* ---- General ------------------------------------------------------------ */

/* Excel's General as TEXT() and a standard-width cell show it: at most
 * 11 characters (sign excluded), else scientific with up to 6
 * significant digits. */
static int general11(xc_buf *out, const xc_num *x)
{
    xc_num a, r;
    int st = XC_OK;
    long e;
    xc_buf t;
    if (xc_num_is_zero(x))
        return xc_buf_putc(out, '0');
    xc_num_init(&a);
    xc_num_init(&r);
    xc_buf_init(&t);
    xc_num_abs(&a, x);
    e = xc_num_exp10(&a);
    if (xc_num_sign(x) < 0)
        st = xc_buf_putc(out, '-');
    int decimal = 0, places = 0;
    if (e >= 0 && e <= 10) {
        decimal = 1;
        places = (int)(e >= 9 ? 0 : 9 - e);
    } else if (e < 0 && e >= -9) {
        places = 9;
        if (st == XC_OK)
            st = xc_num_round(&r, &a, places, XC_ROUND_HALF_UP);
        decimal = st == XC_OK && (e >= -4 || xc_num_equal(&r, &a));
    }
    if (st == XC_OK && decimal) {
        st = xc_num_round(&r, &a, places, XC_ROUND_HALF_UP);
        if (st == XC_OK && xc_num_exp10(&r) > 10)
            decimal = 0;
        if (st == XC_OK && decimal) {
            st = xc_num_format_fixed(&t, &r, places);
            if (st == XC_OK && places > 0) {
                while (t.len > 0 && t.p[t.len - 1] == '0')
                    t.p[--t.len] = 0;
                if (t.len > 0 && t.p[t.len - 1] == '.')
                    t.p[--t.len] = 0;
            }
            if (st == XC_OK)
                st = xc_buf_puts(out, t.p);
        }
    }
    if (st == XC_OK && !decimal) {
        st = xc_num_format_sci(&t, &a, 5);
        if (st == XC_OK) {
            /* trim zeros of the mantissa: 1.20000E+11 -> 1.2E+11 */
            char *E = strchr(t.p, 'E');
            char *m = E;
            while (m > t.p && m[-1] == '0')
                m--;
            if (m > t.p && m[-1] == '.')
                m--;
            st = xc_buf_put(out, t.p, (size_t)(m - t.p));
            if (st == XC_OK)
                st = xc_buf_puts(out, E);
        }
    }
    xc_num_clear(&a);
    xc_num_clear(&r);
    xc_buf_clear(&t);
    return st;
}

/* ---- Output context ------------------------------------------------------ */

typedef struct ctx {
    xc_buf *out;
    int date1904;
    int text_general; /* TEXT(): 11-character General */
} ctx;

static int put_lit(xc_buf *o, const tok *t)
{
    return xc_buf_put(o, t->s, t->len);
}

/* ---- Numeric sections ---------------------------------------------------- */

/* Emit the integer digits I (len n) through the placeholders kinds[0..k)
 * interleaved with the section's literals; called per placeholder. */
typedef struct numstate {
    const char *I;
    size_t ni;
    int k;     /* integer placeholders */
    int idx;   /* next integer placeholder */
    int group; /* thousands separators */
    const char *F;
    int nf; /* decimal placeholders */
    int fidx;
    int ftrim; /* decimals from this index on are trimmed */
} numstate;

static int put_intdigit(xc_buf *o, numstate *ns, char c, long posr)
{
    int st = xc_buf_putc(o, c);
    if (st == XC_OK && ns->group && posr > 0 && posr % 3 == 0)
        st = xc_buf_putc(o, ',');
    return st;
}

static int int_placeholder(xc_buf *o, numstate *ns, char kind)
{
    int st = XC_OK;
    long j = ns->k - 1 - ns->idx; /* position from the right */
    if (ns->idx == 0)
        for (long t = 0; t + ns->k < (long)ns->ni && st == XC_OK; t++)
            st = put_intdigit(o, ns, ns->I[t], (long)ns->ni - 1 - t);
    ns->idx++;
    if (st != XC_OK)
        return st;
    if (j < (long)ns->ni)
        return put_intdigit(o, ns, ns->I[ns->ni - 1 - j], j);
    if (kind == '0')
        return put_intdigit(o, ns, '0', j);
    if (kind == '?')
        return xc_buf_putc(o, ' ');
    return XC_OK;
}

static int dec_placeholder(xc_buf *o, numstate *ns, char kind)
{
    int i = ns->fidx++;
    if (i >= ns->ftrim)
        return kind == '?' ? xc_buf_putc(o, ' ') : XC_OK;
    return xc_buf_putc(o, ns->F[i]);
}

/* Split fixed text "123.45" into integer digits (none for 0) and
 * decimals. */
static void split_fixed(const char *s, const char **I, size_t *ni,
                        const char **F)
{
    const char *dot = strchr(s, '.');
    size_t n = dot ? (size_t)(dot - s) : strlen(s);
    *I = s;
    *ni = n;
    if (n == 1 && s[0] == '0')
        *ni = 0;
    *F = dot ? dot + 1 : "";
}

static void set_trim(numstate *ns, const section *s, int from, int to)
{
    /* placeholder kinds of the decimals, left to right */
    char kinds[MAXTOK];
    int n = 0;
    for (int i = from; i < to; i++)
        if (s->t[i].kind == T_DIG)
            kinds[n++] = (char)s->t[i].c;
    ns->ftrim = n;
    while (ns->ftrim > 0 && kinds[ns->ftrim - 1] != '0' &&
           ns->F[ns->ftrim - 1] == '0')
        ns->ftrim--;
}

/* Format |x| (sign decided by the caller) under a numeric section. */
static int fmt_number(ctx *cx, const section *s, const xc_num *ax, int *nonzero,
                      xc_buf *o)
{
    int st = XC_OK, nt = s->nt;
    int iexp = -1, idot = -1, kint = 0, ndec = 0, pct = 0, permil = 0;
    int scale_commas = 0, group = 0, expdigits = 0, int_hash = 0;
    for (int i = 0; i < nt; i++) {
        int k = s->t[i].kind;
        if (k == T_EXP && iexp < 0)
            iexp = i;
        else if (k == T_DOT && idot < 0 && iexp < 0)
            idot = i;
        else if (k == T_DIG && iexp < 0) {
            if (idot < 0) {
                kint++;
                if (s->t[i].c == '#')
                    int_hash = 1;
            } else
                ndec++;
        } else if (k == T_DIG)
            expdigits++;
        else if (k == T_PCT)
            pct++;
        else if (k == T_PERMIL)
            permil++;
    }
    /* commas: grouping when between integer placeholders, scaling when
     * no placeholder follows before the point */
    int end = iexp >= 0 ? iexp : nt;
    int lastdig = -1;
    for (int i = 0; i < (idot >= 0 ? idot : end); i++)
        if (s->t[i].kind == T_DIG)
            lastdig = i;
    for (int i = 0; i < (idot >= 0 ? idot : end); i++) {
        if (s->t[i].kind != T_COMMA)
            continue;
        int before = 0;
        for (int j = 0; j < i; j++)
            before |= s->t[j].kind == T_DIG;
        if (!before)
            continue;
        if (i < lastdig)
            group = 1;
        else
            scale_commas++;
    }
    /* a comma straight after the point's placeholders also scales */
    for (int i = (idot >= 0 ? idot : end); i < end; i++)
        if (s->t[i].kind == T_COMMA) {
            int after = 0;
            for (int j = i + 1; j < end; j++)
                after |= s->t[j].kind == T_DIG;
            if (!after)
                scale_commas++;
        }

    xc_num v, m;
    xc_buf fx;
    long e10 = 0;
    xc_num_init(&v);
    xc_num_init(&m);
    xc_buf_init(&fx);
    st = xc_num_set(&v, ax);
    if (st == XC_OK && (2 * pct + 3 * permil - 3 * scale_commas) != 0)
        st = xc_num_scale10(&v, &v, 2 * pct + 3 * permil - 3 * scale_commas);
    if (st == XC_OK && iexp >= 0) {
        int k = kint > 0 ? kint : 1;
        if (!xc_num_is_zero(&v)) {
            long e = xc_num_exp10(&v);
            if (int_hash && k > 1)
                e10 = e >= 0 ? e / k * k : -((-e + k - 1) / k) * k;
            else
                e10 = e - (k - 1);
            for (int pass = 0; pass < 2 && st == XC_OK; pass++) {
                st = xc_num_scale10(&m, &v, (int)-e10);
                if (st == XC_OK)
                    st = xc_num_round(&m, &m, ndec, XC_ROUND_HALF_UP);
                if (st == XC_OK && xc_num_exp10(&m) >= k) {
                    e10 += (int_hash && k > 1) ? k : 1;
                    continue;
                }
                break;
            }
        }
        if (st == XC_OK)
            st = xc_num_format_fixed(&fx, &m, ndec);
    } else if (st == XC_OK) {
        st = xc_num_format_fixed(&fx, &v, ndec);
    }
    if (st != XC_OK)
        goto done;
    numstate ns = {0};
    split_fixed(fx.p, &ns.I, &ns.ni, &ns.F);
    *nonzero = 0;
    for (const char *p = fx.p; *p; p++)
        if (*p >= '1' && *p <= '9')
            *nonzero = 1;
    ns.k = kint;
    ns.group = group;
    ns.nf = ndec;
    set_trim(&ns, s, idot >= 0 ? idot : end, end);
    if (kint == 0 && ns.ni > 0) {
        /* no integer placeholder: the digits still show before the point */
        st = xc_buf_put(o, ns.I, ns.ni);
    }
    int seen_exp = 0, edone = 0;
    for (int i = 0; i < nt && st == XC_OK; i++) {
        const tok *t = &s->t[i];
        switch (t->kind) {
        case T_DIG:
            if (seen_exp) {
                if (!edone) {
                    char eb[32];
                    long ae = e10 < 0 ? -e10 : e10;
                    int w = expdigits < 1 ? 1 : expdigits > 20 ? 20 : expdigits;
                    snprintf(eb, sizeof eb, "%0*ld", w, ae);
                    st = xc_buf_puts(o, eb);
                    edone = 1;
                }
            } else if (i < (idot >= 0 ? idot : end)) {
                st = int_placeholder(o, &ns, (char)t->c);
            } else {
                st = dec_placeholder(o, &ns, (char)t->c);
            }
            break;
        case T_DOT:
            st = i == idot ? xc_buf_putc(o, '.') : put_lit(o, t);
            break;
        case T_COMMA:
            /* separators and scaling commas print nothing; a leading
             * comma is literal */
            {
                int before = 0;
                for (int j = 0; j < i; j++)
                    before |= s->t[j].kind == T_DIG;
                if (!before)
                    st = put_lit(o, t);
            }
            break;
        case T_EXP:
            seen_exp = 1;
            st = xc_buf_putc(o, t->n == 'e' ? 'e' : 'E');
            if (st == XC_OK && e10 < 0)
                st = xc_buf_putc(o, '-');
            else if (st == XC_OK && t->c == '+')
                st = xc_buf_putc(o, '+');
            if (expdigits == 0 && st == XC_OK) {
                char eb[32];
                snprintf(eb, sizeof eb, "%ld", e10 < 0 ? -e10 : e10);
                st = xc_buf_puts(o, eb);
            }
            break;
        case T_GEN:
            break;
        default:
            st = put_lit(o, t);
        }
    }
done:
    (void)cx;
    xc_num_clear(&v);
    xc_num_clear(&m);
    xc_buf_clear(&fx);
    return st;
}

/* Best rational approximation p/q of f (0 <= f) with q <= maxd, by the
 * continued fraction expansion and its semiconvergents. */
static void best_fraction(const mpq_t f, long maxd, mpz_t p, mpz_t q)
{
    mpz_t h0, h1, k0, k1, a, num, den, t, h2, k2;
    mpz_inits(h0, h1, k0, k1, a, num, den, t, h2, k2, NULL);
    mpz_set(num, mpq_numref(f));
    mpz_set(den, mpq_denref(f));
    mpz_set_ui(h0, 0), mpz_set_ui(h1, 1); /* h(-2), h(-1) */
    mpz_set_ui(k0, 1), mpz_set_ui(k1, 0);
    for (;;) {
        if (mpz_sgn(den) == 0)
            break;
        mpz_fdiv_qr(a, t, num, den);
        /* next convergent */
        mpz_mul(h2, a, h1), mpz_add(h2, h2, h0);
        mpz_mul(k2, a, k1), mpz_add(k2, k2, k0);
        if (mpz_cmp_si(k2, maxd) > 0) {
            /* semiconvergent with the largest allowed coefficient */
            mpz_t am, hs, ks;
            mpz_inits(am, hs, ks, NULL);
            mpz_sub(am, k2, k2); /* 0 */
            mpz_set_si(am, maxd);
            mpz_sub(am, am, k0);
            mpz_fdiv_q(am, am, k1);
            mpz_mul(hs, am, h1), mpz_add(hs, hs, h0);
            mpz_mul(ks, am, k1), mpz_add(ks, ks, k0);
            /* choose the closer of hs/ks and h1/k1 */
            mpq_t d1, d2, c;
            mpq_inits(d1, d2, c, NULL);
            mpz_set(mpq_numref(c), hs), mpz_set(mpq_denref(c), ks);
            mpq_canonicalize(c);
            mpq_sub(d1, c, f), mpq_abs(d1, d1);
            mpz_set(mpq_numref(c), h1), mpz_set(mpq_denref(c), k1);
            mpq_canonicalize(c);
            mpq_sub(d2, c, f), mpq_abs(d2, d2);
            if (mpz_sgn(ks) > 0 && mpq_cmp(d1, d2) < 0) {
                mpz_set(h1, hs);
                mpz_set(k1, ks);
            }
            mpq_clears(d1, d2, c, NULL);
            mpz_clears(am, hs, ks, NULL);
            break;
        }
        mpz_set(h0, h1), mpz_set(h1, h2);
        mpz_set(k0, k1), mpz_set(k1, k2);
        mpz_set(num, den);
        mpz_set(den, t);
    }
    mpz_set(p, h1);
    mpz_set(q, k1);
    mpz_clears(h0, h1, k0, k1, a, num, den, t, h2, k2, NULL);
}

static int put_aligned(xc_buf *o, const char *digits, const section *s,
                       int from, int to, int right)
{
    char kinds[MAXTOK];
    int n = 0, st = XC_OK;
    size_t nd = strlen(digits);
    for (int i = from; i < to; i++)
        if (s->t[i].kind == T_DIG)
            kinds[n++] = (char)s->t[i].c;
    if (right) {
        for (long i = 0; i + n < (long)nd && st == XC_OK; i++)
            st = xc_buf_putc(o, digits[i]);
        for (int i = 0; i < n && st == XC_OK; i++) {
            long j = n - 1 - i;
            if (j < (long)nd)
                st = xc_buf_putc(o, digits[nd - 1 - j]);
            else if (kinds[i] == '0')
                st = xc_buf_putc(o, '0');
            else if (kinds[i] == '?')
                st = xc_buf_putc(o, ' ');
        }
    } else {
        st = xc_buf_puts(o, digits);
        for (int i = (int)nd; i < n && st == XC_OK; i++)
            if (kinds[i] == '?')
                st = xc_buf_putc(o, ' ');
            else if (kinds[i] == '0')
                st = xc_buf_putc(o, '0');
    }
    return st;
}

/* Fractions: "# ?/?", "?/8", "# ??/100". */
static int fmt_fraction(const section *s, const xc_num *ax, int *nonzero,
                        xc_buf *o)
{
    int nt = s->nt, islash = -1, numstart, st = XC_OK;
    for (int i = 0; i < nt; i++)
        if (s->t[i].kind == T_SLASH) {
            islash = i;
            break;
        }
    numstart = islash;
    while (numstart > 0 && s->t[numstart - 1].kind == T_DIG)
        numstart--;
    int has_int = 0;
    for (int i = 0; i < numstart; i++)
        has_int |= s->t[i].kind == T_DIG;
    int nden = 0;
    int denend = islash + 1;
    while (denend < nt && s->t[denend].kind == T_DIG)
        denend++, nden++;
    mpq_t a, f;
    mpz_t w, p, q;
    mpq_inits(a, f, NULL);
    mpz_inits(w, p, q, NULL);
    xc_num_get_mpq(a, ax);
    if (has_int) {
        mpz_fdiv_q(w, mpq_numref(a), mpq_denref(a));
        mpq_set_z(f, w);
        mpq_sub(f, a, f);
    } else {
        mpq_set(f, a);
    }
    if (s->t[islash].n) {
        /* fixed denominator: numerator rounded half up */
        mpz_set_si(q, (long)s->t[islash].n);
        mpz_mul(p, mpq_numref(f), q);
        mpz_mul_ui(p, p, 2);
        mpz_add(p, p, mpq_denref(f));
        mpz_fdiv_q(p, p, mpq_denref(f));
        mpz_fdiv_q_ui(p, p, 2);
    } else {
        long maxd = 1;
        for (int i = 0; i < (nden ? nden : 1) && maxd < 100000000; i++)
            maxd *= 10;
        best_fraction(f, maxd - 1, p, q);
    }
    if (has_int && mpz_cmp(p, q) >= 0 && !s->t[islash].n) {
        mpz_add_ui(w, w, 1);
        mpz_set_ui(p, 0);
    }
    *nonzero = mpz_sgn(w) != 0 || mpz_sgn(p) != 0;
    char *ws = mpz_get_str(NULL, 10, w);
    char *ps = mpz_get_str(NULL, 10, p);
    char *qs = mpz_get_str(NULL, 10, q);
    int zero_frac = mpz_sgn(p) == 0 && has_int;
    for (int i = 0; i < nt && st == XC_OK; i++) {
        const tok *t = &s->t[i];
        if (i < numstart) {
            if (t->kind == T_DIG) {
                int first = 1;
                for (int j = 0; j < i; j++)
                    first &= s->t[j].kind != T_DIG;
                if (first) {
                    const char *digs = ws;
                    if (mpz_sgn(w) == 0 && !zero_frac)
                        digs = "";
                    int last = i;
                    while (last < numstart && s->t[last].kind == T_DIG)
                        last++;
                    st = put_aligned(o, digs, s, i, last, 1);
                    i = last - 1;
                }
            } else if (t->kind != T_COMMA || 1) {
                st = put_lit(o, t);
            }
        } else if (i < islash) {
            if (zero_frac) {
                st = xc_buf_putc(o, ' ');
            } else if (i == numstart) {
                st = put_aligned(o, ps, s, numstart, islash, 1);
                i = islash - 1;
            }
        } else if (i == islash) {
            st = xc_buf_putc(o, zero_frac ? ' ' : '/');
            if (st == XC_OK && t->n) {
                if (zero_frac)
                    for (size_t j = 0; j < strlen(qs) && st == XC_OK; j++)
                        st = xc_buf_putc(o, ' ');
                else
                    st = xc_buf_puts(o, qs);
            }
        } else if (i < denend) {
            if (zero_frac) {
                st = xc_buf_putc(o, ' ');
            } else if (i == islash + 1) {
                st = put_aligned(o, qs, s, islash + 1, denend, 0);
                i = denend - 1;
            }
        } else if (t->kind == T_DIG) {
            continue;
        } else {
            st = put_lit(o, t);
        }
    }
    free(ws), free(ps), free(qs);
    mpq_clears(a, f, NULL);
    mpz_clears(w, p, q, NULL);
    return st;
}

/* ---- Dates ----------------------------------------------------------------
 */

static const char *month_name[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
static const char *day_name[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                  "Thursday", "Friday", "Saturday"};
static const char *cn_week[7] = {"\xe6\x97\xa5", "\xe4\xb8\x80", "\xe4\xba\x8c",
                                 "\xe4\xb8\x89", "\xe5\x9b\x9b", "\xe4\xba\x94",
                                 "\xe5\x85\xad"}; /* 日一二三四五六 */

/* Write integer v with at least w digits, in the section's numerals. */
static int put_num(xc_buf *o, int64_t v, int w, int dbnum, int digitwise)
{
    char b[32];
    snprintf(b, sizeof b, "%0*lld", w, (long long)v);
    if (!dbnum)
        return xc_buf_puts(o, b);
    if (dbnum == 3 || digitwise)
        return cn_digits(o, b, strlen(b), dbnum);
    return xc_numfmt_chinese(o, b, strlen(b), dbnum == 2, 1);
}

static int fmt_date(ctx *cx, const section *s, const xc_num *x, xc_buf *o)
{
    int sub = 0, st = XC_OK;
    for (int i = 0; i < s->nt; i++)
        if (s->t[i].kind == T_SUB && s->t[i].n > sub)
            sub = (int)s->t[i].n;
    int64_t unit10 = 1;
    for (int i = 0; i < sub; i++)
        unit10 *= 10;
    int64_t U = 86400 * unit10;
    /* N = x * U rounded half up (x >= 0) */
    xc_num t;
    int64_t N;
    xc_num_init(&t);
    xc_num_set_int(&t, U);
    st = xc_num_mul(&t, &t, x);
    if (st == XC_OK)
        st = xc_num_round(&t, &t, 0, XC_ROUND_HALF_UP);
    if (st == XC_OK && xc_num_get_int64(&t, &N) != XC_OK)
        st = XC_ELIMIT;
    xc_num_clear(&t);
    if (st != XC_OK)
        return st;
    int64_t day = N / U, r = N % U;
    int y, mo, d;
    if (xc_serial_to_date(day, cx->date1904, &y, &mo, &d) != XC_OK)
        return XC_ELIMIT;
    int wd = (int)((day + (cx->date1904 ? 5 : 6)) % 7);
    int64_t hh = r / (3600 * unit10), mi = r / (60 * unit10) % 60,
            ss = r / unit10 % 60, frac = r % unit10;
    for (int i = 0; i < s->nt && st == XC_OK; i++) {
        const tok *tk = &s->t[i];
        int n = (int)tk->n;
        switch (tk->kind) {
        case T_Y:
            if (n <= 2)
                st = put_num(o, y % 100, 2, s->dbnum, 1);
            else
                st = put_num(o, y, 4, s->dbnum, 1);
            break;
        case T_M:
            if (n <= 2)
                st = put_num(o, mo, n, s->dbnum, 0);
            else if (n == 3)
                st = xc_buf_put(o, month_name[mo - 1], 3);
            else if (n == 4)
                st = xc_buf_puts(o, month_name[mo - 1]);
            else
                st = xc_buf_put(o, month_name[mo - 1], 1);
            break;
        case T_D:
            if (n <= 2)
                st = put_num(o, d, n, s->dbnum, 0);
            else if (n == 3)
                st = xc_buf_put(o, day_name[wd], 3);
            else
                st = xc_buf_puts(o, day_name[wd]);
            break;
        case T_WCN:
            if (n == 4)
                st = xc_buf_puts(o, "\xe6\x98\x9f\xe6\x9c\x9f"); /* 星期 */
            if (st == XC_OK)
                st = xc_buf_puts(o, cn_week[wd]);
            break;
        case T_H: {
            int64_t h = hh;
            if (s->has_ampm) {
                h %= 12;
                if (h == 0)
                    h = 12;
            }
            st = put_num(o, h, n >= 2 ? 2 : 1, s->dbnum, 0);
            break;
        }
        case T_MIN:
            st = put_num(o, mi, n >= 2 ? 2 : 1, s->dbnum, 0);
            break;
        case T_S:
            st = put_num(o, ss, n >= 2 ? 2 : 1, s->dbnum, 0);
            break;
        case T_SUB: {
            int64_t f = frac;
            for (int k = n; k < sub; k++)
                f /= 10;
            st = xc_buf_putc(o, '.');
            if (st == XC_OK)
                st = put_num(o, f, n, s->dbnum, 1);
            break;
        }
        case T_EH:
            st = put_num(o, N / (3600 * unit10), n, s->dbnum, 0);
            break;
        case T_EM:
            st = put_num(o, N / (60 * unit10), n, s->dbnum, 0);
            break;
        case T_ES:
            st = put_num(o, N / unit10, n, s->dbnum, 0);
            break;
        case T_AMPM: {
            int pm = hh >= 12;
            switch (tk->c) {
            case 'A':
                st = xc_buf_puts(o, pm ? "PM" : "AM");
                break;
            case 'a':
                st = xc_buf_puts(o, pm ? "pm" : "am");
                break;
            case 'P':
                st = xc_buf_putc(o, pm ? 'P' : 'A');
                break;
            case 'p':
                st = xc_buf_putc(o, pm ? 'p' : 'a');
                break;
            default:
                st = xc_buf_puts(o, pm ? "\xe4\xb8\x8b\xe5\x8d\x88"
                                       : "\xe4\xb8\x8a\xe5\x8d\x88");
            }
            break;
        }
        default:
            st = put_lit(o, tk);
        }
    }
    return st;
}

/* ---- Sections -------------------------------------------------------------
 */

static int cond_holds(const section *s, const xc_num *x)
{
    int c = xc_num_cmp(x, &s->cond);
    switch (s->cond_op) {
    case XOP_LT:
        return c < 0;
    case XOP_LE:
        return c <= 0;
    case XOP_GT:
        return c > 0;
    case XOP_GE:
        return c >= 0;
    case XOP_NE:
        return c != 0;
    default:
        return c == 0;
    }
}

/* Format text under the code's text section. */
static int fmt_text(const fmt *f, const char *s, size_t n, xc_buf *o)
{
    const section *sec = NULL;
    if (f->n == 4)
        sec = &f->sec[3];
    else
        for (int i = 0; i < f->n; i++)
            if (f->sec[i].has_at && !f->sec[i].has_digit &&
                !f->sec[i].is_date) {
                sec = &f->sec[i];
                break;
            }
    if (!sec)
        return xc_buf_put(o, s, n);
    int st = XC_OK;
    for (int i = 0; i < sec->nt && st == XC_OK; i++) {
        const tok *t = &sec->t[i];
        if (t->kind == T_AT)
            st = xc_buf_put(o, s, n);
        else if (t->s)
            st = put_lit(o, t);
    }
    return st;
}

/* A section with nothing but literals (or nothing at all). */
static int only_literals(const section *s)
{
    for (int i = 0; i < s->nt; i++) {
        int k = s->t[i].kind;
        if (k == T_DIG || k == T_GEN || k == T_AT || s->is_date)
            return 0;
    }
    return 1;
}

static int fmt_num_value(ctx *cx, const fmt *f, const xc_num *x)
{
    const section *s;
    int sign = xc_num_sign(x), show_minus = 0, st = XC_OK;
    int conds =
        f->n >= 1 && (f->sec[0].has_cond || (f->n >= 2 && f->sec[1].has_cond));
    if (conds) {
        if (f->sec[0].has_cond ? cond_holds(&f->sec[0], x) : sign >= 0)
            s = &f->sec[0];
        else if (f->n >= 2 &&
                 (f->sec[1].has_cond ? cond_holds(&f->sec[1], x)
                                     : (f->sec[0].has_cond || sign < 0)))
            s = &f->sec[1];
        else if (f->n >= 3)
            s = &f->sec[2];
        else if (f->n >= 2)
            s = &f->sec[1];
        else
            s = &f->sec[0];
        /* Excel shows a minus sign in a conditional section unless the
         * format's own second section is the plain negative one */
        show_minus = sign < 0 && !(s == &f->sec[1] && !f->sec[1].has_cond);
        if (s == &f->sec[1] && f->sec[1].has_cond && sign < 0 &&
            xc_num_cmp_int(&f->sec[1].cond, 0) <= 0 &&
            (f->sec[1].cond_op == XOP_LT || f->sec[1].cond_op == XOP_LE))
            show_minus = 0;
    } else if (f->n == 1 || sign > 0) {
        s = &f->sec[0];
        show_minus = sign < 0;
    } else if (sign < 0) {
        s = f->n >= 2 ? &f->sec[1] : &f->sec[0];
        show_minus = f->n < 2;
    } else {
        s = f->n >= 3 ? &f->sec[2] : &f->sec[0];
    }
    /* a text-only section (e.g. "@") shows numbers in General */
    if (s->has_at && !s->has_digit && !s->is_date && !s->has_gen) {
        xc_buf t;
        xc_buf_init(&t);
        st = cx->text_general ? general11(&t, x)
                              : xc_num_format(&t, x, XC_FMT_GENERAL);
        if (st == XC_OK)
            st = fmt_text(f, t.p, t.len, cx->out);
        xc_buf_clear(&t);
        return st;
    }
    xc_num ax;
    xc_buf body;
    int nonzero = 1;
    xc_num_init(&ax);
    xc_buf_init(&body);
    xc_num_abs(&ax, x);
    if (s->is_date) {
        int64_t maxd = cx->date1904 ? 2957004 : 2958466;
        if (sign < 0 || xc_num_cmp_int(&ax, maxd) >= 0)
            st = XC_ELIMIT;
        else
            st = fmt_date(cx, s, &ax, &body);
        show_minus = 0;
    } else if (s->is_frac) {
        st = fmt_fraction(s, &ax, &nonzero, &body);
    } else if (s->has_gen || (s->nt == 0 && s->dbnum) ||
               (s->nt == 0 && f->n == 1)) {
        xc_buf t;
        xc_buf_init(&t);
        st = cx->text_general ? general11(&t, &ax)
                              : xc_num_format(&t, &ax, XC_FMT_GENERAL);
        for (int i = 0; i < s->nt && st == XC_OK; i++) {
            if (s->t[i].kind == T_GEN)
                st = xc_buf_put(&body, t.p, t.len);
            else if (s->t[i].s)
                st = put_lit(&body, &s->t[i]);
        }
        if (st == XC_OK && !s->has_gen)
            st = xc_buf_put(&body, t.p, t.len);
        xc_buf_clear(&t);
        nonzero = !xc_num_is_zero(&ax);
    } else if (only_literals(s)) {
        for (int i = 0; i < s->nt && st == XC_OK; i++)
            if (s->t[i].s)
                st = put_lit(&body, &s->t[i]);
    } else {
        st = fmt_number(cx, s, &ax, &nonzero, &body);
    }
    if (st == XC_OK && show_minus && nonzero)
        st = xc_buf_putc(cx->out, '-');
    if (st == XC_OK) {
        if (s->dbnum && !s->is_date)
            st = dbnum_rewrite(cx->out, body.p ? body.p : "", body.len,
                               s->dbnum, 0);
        else
            st = xc_buf_put(cx->out, body.p ? body.p : "", body.len);
    }
    xc_num_clear(&ax);
    xc_buf_clear(&body);
    return st;
}

/* The formatter behind xc_numfmt_format and TEXT: text_general selects
 * the 11-character General that TEXT() produces. */
int xc_numfmt_format2(xc_buf *out, const xc_value *v, const char *code,
                      int date1904, int text_general)
{
    fmt f;
    ctx cx = {out, date1904, text_general};
    int st;
    if (!code || !*code ||
        (ci_prefix(code, code + strlen(code), "GENERAL") && code[7] == 0)) {
        if (v->type == XC_NUMBER && text_general)
            return general11(out, &v->u.num);
        if (!code || !*code || v->type != XC_NUMBER)
            return xc_value_format(out, v, XC_FMT_GENERAL);
    }
    st = fmt_parse(&f, code);
    if (st == XC_OK) {
        switch (v->type) {
        case XC_NUMBER:
            st = fmt_num_value(&cx, &f, &v->u.num);
            break;
        case XC_TEXT:
            st = fmt_text(&f, v->u.str->s, v->u.str->len, out);
            break;
        default:
            st = xc_value_format(out, v, XC_FMT_GENERAL);
        }
    }
    fmt_clear(&f);
    return st;
}

int xc_numfmt_format(xc_buf *out, const xc_value *v, const char *code,
                     int date1904)
{
    return xc_numfmt_format2(out, v, code, date1904, 0);
}

int xc_format_value(xc_buf *out, const xc_value *v, const char *code,
                    int date1904)
{
    return xc_numfmt_format(out, v, code, date1904);
}
