/* fn_text.c - spreadsheet functions of the "text" category.
 *
 * Text is UTF-8 and every position or length counts code points, as
 * Excel counts characters (one per BMP character).  The ...B variants
 * (LENB, LEFTB...) count double-byte characters as Chinese-locale Excel
 * does: two for wide (CJK, full-width) characters, one otherwise.
 * TEXT, FIXED, DOLLAR and RMB go through the number formatter
 * (numfmt.c); NUMBERSTRING shares its Chinese numerals. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"

/* ---- Helpers -------------------------------------------------------- */

/* Text of argument i ("" when omitted or empty). */
static const char *S(xc_fncall *c, int i, size_t *n)
{
    if (i < c->argc && c->argv[i].type == XC_TEXT) {
        *n = c->argv[i].u.str->len;
        return c->argv[i].u.str->s;
    }
    *n = 0;
    return "";
}

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

static int text_out(xc_value *out, const char *s, size_t n)
{
    xc_value t = {0};
    int st = xc_value_set_text(&t, s, n);
    if (st == XC_ELIMIT)
        return err_out(out, XC_ERR_VALUE);
    if (st != XC_OK)
        return st;
    xc_value_clear(out);
    xc_value_move(out, &t);
    return XC_OK;
}

static int buf_out(xc_value *out, xc_buf *b, int st)
{
    if (st == XC_OK)
        st = text_out(out, b->p ? b->p : "", b->len);
    xc_buf_clear(b);
    return st;
}

static int int_out(xc_value *out, int64_t v)
{
    xc_value_clear(out);
    xc_value_set_int(out, v);
    return XC_OK;
}

/* Argument i truncated into [lo, hi]; def when omitted; returns 1 when
 * the value was outside the range. */
static int iarg(xc_fncall *c, int i, int64_t def, int64_t lo, int64_t hi,
                int64_t *v)
{
    if (!xc_arg_given(c, i)) {
        *v = def;
        return 0;
    }
    return xc_num_trunc_clamp(xc_arg_num(c, i), lo, hi, v);
}

static int truthy(xc_fncall *c, int i)
{
    if (!xc_arg_given(c, i))
        return 0;
    if (c->argv[i].type == XC_BOOL)
        return c->argv[i].u.b;
    return c->argv[i].type == XC_NUMBER && !xc_num_is_zero(xc_arg_num(c, i));
}

/* Byte offset of code point k (clamped to the end). */
static size_t cp_off(const char *s, size_t n, int64_t k)
{
    size_t p = 0;
    uint32_t cp;
    while (k > 0 && p < n) {
        p += xc_utf8_decode(s + p, n - p, &cp);
        k--;
    }
    return p;
}

static size_t cp_count(const char *s, size_t n)
{
    return xc_utf8_count(s, n);
}

/* Alternating case pairs: in [lo, hi], upper case letters have the
 * parity `up` (0 even, 1 odd) and the lower case one follows. */
typedef struct case_run {
    uint32_t lo, hi;
    int up;
} case_run;

static const case_run case_runs[] = {
    {0x100, 0x12F, 0}, {0x132, 0x137, 0},   {0x139, 0x148, 1},
    {0x14A, 0x177, 0}, {0x179, 0x17E, 1},   {0x3D8, 0x3EF, 0},
    {0x460, 0x481, 0}, {0x48A, 0x4BF, 0},   {0x4C1, 0x4CE, 1},
    {0x4D0, 0x52F, 0}, {0x1E00, 0x1E95, 0}, {0x1EA0, 0x1EFF, 0},
};

/* Pairs outside the runs and the fixed-offset blocks: {upper, lower}. */
static const uint32_t case_pairs[][2] = {
    {0x130, 0x69},  {0x49, 0x131},  {0x178, 0xFF},  {0x386, 0x3AC},
    {0x388, 0x3AD}, {0x389, 0x3AE}, {0x38A, 0x3AF}, {0x38C, 0x3CC},
    {0x38E, 0x3CD}, {0x38F, 0x3CE}, {0x3AA, 0x3CA}, {0x3AB, 0x3CB},
    {0x4C0, 0x4CF}, {0x3A3, 0x3C2},
};

/* Case mapping within the runs (to upper when up is set). */
static uint32_t run_map(uint32_t c, int up)
{
    for (size_t i = 0; i < sizeof case_runs / sizeof *case_runs; i++) {
        const case_run *r = &case_runs[i];
        if (c < r->lo || c > r->hi)
            continue;
        int is_up = (int)(c & 1) == r->up;
        if (up && !is_up)
            return c - 1;
        if (!up && is_up && c + 1 <= r->hi)
            return c + 1;
        return c;
    }
    return c;
}

/* Simple (one-to-one) case mapping for ASCII, Latin-1, Latin
 * Extended-A, Greek, Cyrillic, Latin Extended Additional and
 * full-width Latin letters. */
static uint32_t to_upper(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
        (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    if (c >= 0xFF41 && c <= 0xFF5A)
        return c - 32;
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][1] == c && c != 0x69)
            return case_pairs[i][0];
    return run_map(c, 1);
}

static uint32_t to_lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][0] == c && c != 0x49 && c != 0x3A3)
            return case_pairs[i][1];
    return run_map(c, 0);
}

static int is_letter(uint32_t c)
{
    return to_upper(c) != c || to_lower(c) != c || c == 0xDF;
}

/* ---- Length and pieces ------------------------------------------------- */

static int fn_len(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    return int_out(out, (int64_t)cp_count(s, n));
}

static int left_right(xc_fncall *c, xc_value *out, int right)
{
    size_t n;
    int64_t k;
    const char *s = S(c, 0, &n);
    if (xc_arg_given(c, 1) && xc_num_sign(xc_arg_num(c, 1)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 1, 0, INT32_MAX, &k);
    if (!right)
        return text_out(out, s, cp_off(s, n, k));
    int64_t len = (int64_t)cp_count(s, n);
    size_t p = k >= len ? 0 : cp_off(s, n, len - k);
    return text_out(out, s + p, n - p);
}

static int fn_left(xc_fncall *c, xc_value *out)
{
    return left_right(c, out, 0);
}

static int fn_right(xc_fncall *c, xc_value *out)
{
    return left_right(c, out, 1);
}

static int fn_mid(xc_fncall *c, xc_value *out)
{
    size_t n;
    int64_t st, k;
    const char *s = S(c, 0, &n);
    if (xc_num_cmp_int(xc_arg_num(c, 1), 1) < 0 ||
        xc_num_sign(xc_arg_num(c, 2)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 1, 1, INT32_MAX, &st);
    iarg(c, 2, 0, 0, INT32_MAX, &k);
    size_t a = cp_off(s, n, st - 1);
    size_t b = a + cp_off(s + a, n - a, k);
    return text_out(out, s + a, b - a);
}

/* Byte width of a code point in the ...B functions. */
static int bwidth(uint32_t cp)
{
    if (cp >= 0x1100 && cp <= 0x115F) /* Hangul leading jamo are wide */
        return 2;
    return xc_utf8_cpwidth(cp) == 2 ? 2 : 1;
}

static int64_t lenb(const char *s, size_t n)
{
    int64_t w = 0;
    uint32_t cp;
    for (size_t p = 0; p < n;) {
        p += xc_utf8_decode(s + p, n - p, &cp);
        w += bwidth(cp);
    }
    return w;
}

/* Byte offset after the characters fitting in `bytes` from offset p. */
static size_t b_off(const char *s, size_t n, size_t p, int64_t bytes)
{
    uint32_t cp;
    while (p < n) {
        size_t k = xc_utf8_decode(s + p, n - p, &cp);
        if (bwidth(cp) > bytes)
            break;
        bytes -= bwidth(cp);
        p += k;
    }
    return p;
}

static int fn_lenb(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    return int_out(out, lenb(s, n));
}

static int fn_leftb(xc_fncall *c, xc_value *out)
{
    size_t n;
    int64_t k;
    const char *s = S(c, 0, &n);
    if (xc_arg_given(c, 1) && xc_num_sign(xc_arg_num(c, 1)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 1, 0, INT32_MAX, &k);
    return text_out(out, s, b_off(s, n, 0, k));
}

static int fn_rightb(xc_fncall *c, xc_value *out)
{
    size_t n;
    int64_t k;
    const char *s = S(c, 0, &n);
    if (xc_arg_given(c, 1) && xc_num_sign(xc_arg_num(c, 1)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 1, 0, INT32_MAX, &k);
    int64_t total = lenb(s, n);
    if (k >= total)
        return text_out(out, s, n);
    /* skip characters until the remaining width fits */
    size_t p = 0;
    uint32_t cp;
    while (p < n && total > k) {
        p += xc_utf8_decode(s + p, n - p, &cp);
        total -= bwidth(cp);
    }
    return text_out(out, s + p, n - p);
}

static int fn_midb(xc_fncall *c, xc_value *out)
{
    size_t n;
    int64_t st, k;
    const char *s = S(c, 0, &n);
    if (xc_num_cmp_int(xc_arg_num(c, 1), 1) < 0 ||
        xc_num_sign(xc_arg_num(c, 2)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 1, 1, INT32_MAX, &st);
    iarg(c, 2, 0, 0, INT32_MAX, &k);
    size_t a = b_off(s, n, 0, st - 1);
    size_t b = b_off(s, n, a, k);
    return text_out(out, s + a, b - a);
}

/* ---- Searching --------------------------------------------------------- */

/* SEARCH patterns: literal code points (case-folded), ? (one
 * character) and * (any run); ~ makes the next character literal and
 * a trailing ~ is dropped, as in Excel. */
typedef struct wtok {
    uint32_t cp; /* folded literal; 0 with kind */
    char kind;   /* 'l' literal, '?', '*' */
} wtok;

static uint32_t fold(uint32_t c)
{
    return to_lower(c);
}

static size_t wild_compile(const char *p, size_t n, wtok *t)
{
    size_t k = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        i += xc_utf8_decode(p + i, n - i, &cp);
        if (cp == '~') {
            if (i >= n)
                break;
            i += xc_utf8_decode(p + i, n - i, &cp);
            t[k].kind = 'l', t[k++].cp = fold(cp);
        } else if (cp == '?' || cp == '*') {
            t[k].kind = (char)cp, t[k++].cp = 0;
        } else {
            t[k].kind = 'l', t[k++].cp = fold(cp);
        }
    }
    return k;
}

/* Does the pattern match a prefix of the code points s[0..n)? */
static int wild_prefix(const wtok *t, size_t nt, const uint32_t *s, size_t n)
{
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    for (;;) {
        if (i == nt)
            return 1; /* pattern used up: a prefix matched */
        if (t[i].kind == '*') {
            star = i++;
            mark = j;
            continue;
        }
        if (j < n && (t[i].kind == '?' || t[i].cp == s[j])) {
            i++, j++;
            continue;
        }
        if (star == (size_t)-1 || mark >= n)
            return 0;
        i = star + 1;
        j = ++mark;
    }
}

/* FIND/SEARCH: 1-based position of needle in hay from start. */
static int find_search(xc_fncall *c, xc_value *out, int search)
{
    size_t nn, hn;
    const char *nd = S(c, 0, &nn), *hs = S(c, 1, &hn);
    int64_t start;
    int64_t len = (int64_t)cp_count(hs, hn);
    if (xc_arg_given(c, 2) && xc_num_cmp_int(xc_arg_num(c, 2), 1) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 2, 1, 1, INT32_MAX, &start);
    if (start > len + (nn == 0))
        return err_out(out, XC_ERR_VALUE);
    if (nn == 0)
        return int_out(out, start);
    if (!search) {
        size_t p = cp_off(hs, hn, start - 1);
        int64_t pos = start;
        uint32_t cp;
        while (p < hn) {
            if (hn - p >= nn && memcmp(hs + p, nd, nn) == 0)
                return int_out(out, pos);
            p += xc_utf8_decode(hs + p, hn - p, &cp);
            pos++;
        }
        return err_out(out, XC_ERR_VALUE);
    }
    wtok *t = xc_malloc((nn + 1) * sizeof *t);
    uint32_t *h = xc_malloc(((size_t)len + 1) * sizeof *h);
    if (!t || !h) {
        xc_free(t);
        xc_free(h);
        return XC_ENOMEM;
    }
    size_t nt = wild_compile(nd, nn, t), k = 0;
    for (size_t p = 0; p < hn; k++) {
        uint32_t cp;
        p += xc_utf8_decode(hs + p, hn - p, &cp);
        h[k] = fold(cp);
    }
    int64_t found = 0;
    for (size_t i = (size_t)start - 1; i <= k && !found; i++)
        if (wild_prefix(t, nt, h + i, k - i) && (nt > 0 || i <= k))
            found = (int64_t)i + 1;
    xc_free(t);
    xc_free(h);
    if (!found || found > len + (nt == 0))
        return err_out(out, XC_ERR_VALUE);
    return int_out(out, found);
}

static int fn_find(xc_fncall *c, xc_value *out)
{
    return find_search(c, out, 0);
}

static int fn_search(xc_fncall *c, xc_value *out)
{
    return find_search(c, out, 1);
}

static int fn_findb(xc_fncall *c, xc_value *out)
{
    /* start_num counts bytes: start at the first character beginning at
     * or after that byte (the second byte of a wide one skips it) */
    if (xc_arg_given(c, 2) && c->argv[2].type == XC_NUMBER &&
        xc_num_cmp_int(xc_arg_num(c, 2), 1) >= 0) {
        size_t hn, p = 0;
        const char *hs = S(c, 1, &hn);
        int64_t sb, bytes = 0, ch = 1;
        uint32_t cp;
        iarg(c, 2, 1, 1, INT32_MAX, &sb);
        while (p < hn) {
            size_t k = xc_utf8_decode(hs + p, hn - p, &cp);
            if (bytes + 1 >= sb)
                break;
            bytes += bwidth(cp), p += k, ch++;
        }
        if (p >= hn && bytes + 1 < sb)
            ch += sb - bytes - 1; /* past the end: FIND gives #VALUE! */
        xc_value_clear(&c->argv[2]);
        xc_value_set_int(&c->argv[2], ch);
    }
    int st = find_search(c, out, 0);
    if (st == XC_OK && out->type == XC_NUMBER) {
        size_t hn;
        const char *hs = S(c, 1, &hn);
        int64_t k;
        xc_num_get_int64(&out->u.num, &k);
        return int_out(out, lenb(hs, cp_off(hs, hn, k - 1)) + 1);
    }
    return st;
}

/* ---- Replacing ---------------------------------------------------------- */

static int fn_substitute(xc_fncall *c, xc_value *out)
{
    size_t tn, on, nn;
    const char *t = S(c, 0, &tn), *o = S(c, 1, &on), *nw = S(c, 2, &nn);
    int64_t inst = 0;
    xc_buf b;
    int st = XC_OK;
    if (xc_arg_given(c, 3)) {
        if (xc_num_cmp_int(xc_arg_num(c, 3), 1) < 0)
            return err_out(out, XC_ERR_VALUE);
        iarg(c, 3, 1, 1, INT32_MAX, &inst);
    }
    if (on == 0)
        return text_out(out, t, tn);
    xc_buf_init(&b);
    int64_t k = 0;
    size_t p = 0;
    while (p < tn && st == XC_OK) {
        if (tn - p >= on && memcmp(t + p, o, on) == 0) {
            k++;
            if (inst == 0 || k == inst) {
                st = xc_buf_put(&b, nw, nn);
                p += on;
                if (inst) {
                    st = st == XC_OK ? xc_buf_put(&b, t + p, tn - p) : st;
                    p = tn;
                }
                continue;
            }
        }
        st = xc_buf_putc(&b, t[p++]);
    }
    if (st == XC_OK && b.len > XC_TEXT_MAX) {
        xc_buf_clear(&b);
        return err_out(out, XC_ERR_VALUE);
    }
    return buf_out(out, &b, st);
}

static int fn_replace(xc_fncall *c, xc_value *out)
{
    size_t tn, nn;
    const char *t = S(c, 0, &tn), *nw = S(c, 3, &nn);
    int64_t start, k;
    xc_buf b;
    if (xc_num_cmp_int(xc_arg_num(c, 1), 1) < 0 ||
        xc_num_sign(xc_arg_num(c, 2)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 1, 1, INT32_MAX, &start);
    iarg(c, 2, 0, 0, INT32_MAX, &k);
    size_t a = cp_off(t, tn, start - 1);
    size_t e = a + cp_off(t + a, tn - a, k);
    xc_buf_init(&b);
    int st = xc_buf_put(&b, t, a);
    if (st == XC_OK)
        st = xc_buf_put(&b, nw, nn);
    if (st == XC_OK)
        st = xc_buf_put(&b, t + e, tn - e);
    return buf_out(out, &b, st);
}

/* ---- Cleaning and case ------------------------------------------------- */

static int fn_trim(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    xc_buf b;
    int st = XC_OK, pend = 0;
    xc_buf_init(&b);
    for (size_t i = 0; i < n && st == XC_OK; i++) {
        if (s[i] == ' ') {
            pend = b.len > 0;
            continue;
        }
        if (pend)
            st = xc_buf_putc(&b, ' ');
        pend = 0;
        if (st == XC_OK)
            st = xc_buf_putc(&b, s[i]);
    }
    return buf_out(out, &b, st);
}

static int fn_clean(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    xc_buf b;
    int st = XC_OK;
    xc_buf_init(&b);
    for (size_t i = 0; i < n && st == XC_OK; i++)
        if ((unsigned char)s[i] >= 32)
            st = xc_buf_putc(&b, s[i]);
    return buf_out(out, &b, st);
}

/* mode 0 upper, 1 lower, 2 proper */
static int recase(xc_fncall *c, xc_value *out, int mode)
{
    size_t n;
    const char *s = S(c, 0, &n);
    xc_buf b;
    int st = XC_OK, prev_letter = 0;
    uint32_t cp;
    xc_buf_init(&b);
    for (size_t p = 0; p < n && st == XC_OK;) {
        p += xc_utf8_decode(s + p, n - p, &cp);
        uint32_t r;
        if (mode == 0)
            r = to_upper(cp);
        else if (mode == 1)
            r = to_lower(cp);
        else
            r = prev_letter ? to_lower(cp) : to_upper(cp);
        prev_letter =
            is_letter(cp) || (cp >= 0x80 && xc_utf8_cpwidth(cp) == 1 &&
                              cp != 0xA0 && cp < 0x2000);
        st = xc_utf8_encode(&b, r);
    }
    return buf_out(out, &b, st);
}

static int fn_upper(xc_fncall *c, xc_value *out)
{
    return recase(c, out, 0);
}

static int fn_lower(xc_fncall *c, xc_value *out)
{
    return recase(c, out, 1);
}

static int fn_proper(xc_fncall *c, xc_value *out)
{
    return recase(c, out, 2);
}

static int fn_rept(xc_fncall *c, xc_value *out)
{
    size_t n;
    int64_t k;
    const char *s = S(c, 0, &n);
    if (xc_num_sign(xc_arg_num(c, 1)) < 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 1, 0, 0, INT32_MAX, &k);
    if (n && (uint64_t)k * n > XC_TEXT_MAX)
        return err_out(out, XC_ERR_VALUE);
    xc_buf b;
    int st = XC_OK;
    xc_buf_init(&b);
    for (int64_t i = 0; i < k && n && st == XC_OK; i++)
        st = xc_buf_put(&b, s, n);
    return buf_out(out, &b, st);
}

/* ---- Joining ------------------------------------------------------------ */

static int fn_concatenate(xc_fncall *c, xc_value *out)
{
    xc_buf b;
    int st = XC_OK;
    xc_buf_init(&b);
    for (int i = 0; i < c->argc && st == XC_OK; i++) {
        size_t n;
        const char *s = S(c, i, &n);
        st = xc_buf_put(&b, s, n);
    }
    if (st == XC_OK && b.len > XC_TEXT_MAX) {
        xc_buf_clear(&b);
        return err_out(out, XC_ERR_VALUE);
    }
    return buf_out(out, &b, st);
}

typedef struct joiner {
    xc_buf b;
    xc_error err;
    int ignore_empty;
    size_t items;
    /* delimiters (TEXTJOIN), cycled */
    xc_str **delims;
    size_t ndelim;
} joiner;

static int join_visit(void *ud, const xc_value *v, int from_ref)
{
    joiner *j = ud;
    xc_value t = {0};
    int st;
    (void)from_ref;
    if (v->type == XC_ERROR) {
        j->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if (v->type == XC_EMPTY && j->ignore_empty)
        return XC_OK;
    if ((st = xc_to_text(v, &t)) != XC_OK)
        return st;
    if (t.type != XC_TEXT) {
        xc_value_clear(&t);
        return XC_OK;
    }
    if (t.u.str->len == 0 && j->ignore_empty) {
        xc_value_clear(&t);
        return XC_OK;
    }
    if (j->items > 0 && j->ndelim) {
        xc_str *d = j->delims[(j->items - 1) % j->ndelim];
        st = xc_buf_put(&j->b, d->s, d->len);
    }
    j->items++;
    if (st == XC_OK)
        st = xc_buf_put(&j->b, t.u.str->s, t.u.str->len);
    xc_value_clear(&t);
    if (st == XC_OK && j->b.len > XC_TEXT_MAX) {
        j->err = XC_ERR_VALUE;
        return XC_ENOTFOUND;
    }
    return st;
}

static int delim_visit(void *ud, const xc_value *v, int from_ref)
{
    joiner *j = ud;
    xc_value t = {0};
    int st;
    (void)from_ref;
    if (v->type == XC_ERROR) {
        j->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if ((st = xc_to_text(v, &t)) != XC_OK)
        return st;
    if (t.type != XC_TEXT) {
        xc_value_clear(&t);
        return XC_OK;
    }
    xc_str **p = xc_realloc(j->delims, (j->ndelim + 1) * sizeof *p);
    if (!p) {
        xc_value_clear(&t);
        return XC_ENOMEM;
    }
    j->delims = p;
    j->delims[j->ndelim++] = xc_str_ref(t.u.str);
    xc_value_clear(&t);
    return XC_OK;
}

static int join(xc_fncall *c, xc_value *out, int textjoin)
{
    joiner j;
    int st = XC_OK, first = 0;
    memset(&j, 0, sizeof j);
    xc_buf_init(&j.b);
    if (textjoin) {
        st = xc_visit(c->ev, &c->argv[0], 1, delim_visit, &j);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
        if (c->argv[1].type == XC_ERROR && !j.err)
            j.err = (xc_error)c->argv[1].err;
        j.ignore_empty = truthy(c, 1);
        first = 2;
    }
    for (int i = first; i < c->argc && st == XC_OK && !j.err; i++) {
        st = xc_visit(c->ev, &c->argv[i], textjoin && !j.ignore_empty,
                      join_visit, &j);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
    }
    for (size_t i = 0; i < j.ndelim; i++)
        xc_str_unref(j.delims[i]);
    xc_free(j.delims);
    if (st == XC_OK && j.err) {
        xc_buf_clear(&j.b);
        return err_out(out, j.err);
    }
    return buf_out(out, &j.b, st);
}

static int fn_concat(xc_fncall *c, xc_value *out)
{
    return join(c, out, 0);
}

static int fn_textjoin(xc_fncall *c, xc_value *out)
{
    return join(c, out, 1);
}

static int fn_exact(xc_fncall *c, xc_value *out)
{
    size_t an, bn;
    const char *a = S(c, 0, &an), *b = S(c, 1, &bn);
    xc_value_clear(out);
    xc_value_set_bool(out, an == bn && memcmp(a, b, an) == 0);
    return XC_OK;
}

/* ---- Numbers and text ---------------------------------------------------- */

static int d1904(xc_fncall *c)
{
    return c->ev->book ? xc_book_date1904(c->ev->book) : 0;
}

/* TEXT(value, format_text) */
static int fn_text(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    xc_value n = {0};
    xc_buf b;
    size_t fn;
    const char *f = S(c, 1, &fn);
    int st;
    if (v->type == XC_TEXT) {
        xc_num x;
        xc_num_init(&x);
        if (xc_text_to_num(v->u.str->s, v->u.str->len, d1904(c), &x) == XC_OK)
            xc_value_take_num(&n, &x);
        else
            xc_value_copy(&n, v);
        xc_num_clear(&x);
    } else if (v->type == XC_EMPTY) {
        xc_value_set_int(&n, 0);
    } else {
        xc_value_copy(&n, v);
    }
    if (fn == 0) {
        xc_value_clear(&n);
        return text_out(out, "", 0);
    }
    char *code = xc_malloc(fn + 1);
    if (!code) {
        xc_value_clear(&n);
        return XC_ENOMEM;
    }
    memcpy(code, f, fn);
    code[fn] = 0;
    xc_buf_init(&b);
    st = xc_numfmt_format2(&b, &n, code, d1904(c), 1);
    xc_free(code);
    xc_value_clear(&n);
    if (st == XC_EPARSE || st == XC_ELIMIT || st == XC_EINVAL) {
        xc_buf_clear(&b);
        return err_out(out, XC_ERR_VALUE);
    }
    return buf_out(out, &b, st);
}

static int fn_value(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    xc_num x;
    if (v->type == XC_NUMBER)
        return xc_value_copy(out, v);
    if (v->type == XC_EMPTY)
        return int_out(out, 0);
    if (v->type != XC_TEXT)
        return err_out(out, XC_ERR_VALUE);
    xc_num_init(&x);
    if (xc_text_to_num(v->u.str->s, v->u.str->len, d1904(c), &x) != XC_OK) {
        xc_num_clear(&x);
        return err_out(out, XC_ERR_VALUE);
    }
    return xc_result_num(out, &x, 0);
}

/* NUMBERVALUE(text, [decimal_separator], [group_separator]) */
static int fn_numbervalue(xc_fncall *c, xc_value *out)
{
    size_t n, dn, gn;
    const char *s = S(c, 0, &n);
    const char *ds = xc_arg_given(c, 1) ? S(c, 1, &dn) : (dn = 1, ".");
    const char *gs = xc_arg_given(c, 2) ? S(c, 2, &gn) : (gn = 1, ",");
    uint32_t dc, gc;
    if (dn == 0 || gn == 0)
        return err_out(out, XC_ERR_VALUE);
    xc_utf8_decode(ds, dn, &dc);
    xc_utf8_decode(gs, gn, &gc);
    if (dc == gc)
        return err_out(out, XC_ERR_VALUE);
    xc_buf b;
    int st = XC_OK, seen_dec = 0, pct = 0;
    uint32_t cp;
    xc_buf_init(&b);
    for (size_t p = 0; p < n && st == XC_OK;) {
        p += xc_utf8_decode(s + p, n - p, &cp);
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
            continue;
        if (cp == dc) {
            if (seen_dec++)
                break;
            st = xc_buf_putc(&b, '.');
        } else if (cp == gc) {
            if (seen_dec)
                seen_dec = 99;
        } else if (cp == '%') {
            pct++;
        } else if (pct) {
            seen_dec = 99;
        } else {
            st = xc_utf8_encode(&b, cp);
        }
    }
    if (st != XC_OK) {
        xc_buf_clear(&b);
        return st;
    }
    xc_num x;
    xc_num_init(&x);
    int ok = seen_dec < 2 &&
             (b.len == 0 ? (xc_num_set_int(&x, 0), 1)
                         : xc_num_parse(&x, b.p, b.len, 0, NULL) == XC_OK);
    xc_buf_clear(&b);
    if (ok && pct)
        ok = xc_num_scale10(&x, &x, -2 * pct) == XC_OK;
    if (!ok) {
        xc_num_clear(&x);
        return err_out(out, XC_ERR_VALUE);
    }
    return xc_result_num(out, &x, 0);
}

/* Format number rounded to `dec` places (negative: to tens...) with
 * the pattern prefix/suffix: FIXED, DOLLAR, RMB. */
static int money(xc_fncall *c, xc_value *out, const char *pos, const char *neg,
                 int commas)
{
    int64_t dec;
    xc_num r;
    xc_buf b, t;
    int st;
    iarg(c, 1, 2, -400, 400, &dec);
    if (dec > 127)
        return err_out(out, XC_ERR_VALUE);
    xc_num_init(&r);
    st = xc_num_round(&r, xc_arg_num(c, 0), (int)dec, XC_ROUND_HALF_UP);
    if (st != XC_OK) {
        xc_num_clear(&r);
        return err_out(out, XC_ERR_NUM);
    }
    xc_buf_init(&b);
    xc_buf_init(&t);
    /* digits: abs value fixed with max(dec,0) places, grouped */
    int sign = xc_num_sign(&r);
    xc_num_abs(&r, &r);
    st = xc_num_format_fixed(&t, &r, dec > 0 ? (int)dec : 0);
    const char *pat = sign < 0 ? neg : pos;
    for (const char *p = pat; *p && st == XC_OK; p++) {
        if (*p != '#') {
            st = xc_buf_putc(&b, *p);
            continue;
        }
        const char *dot = strchr(t.p, '.');
        size_t il = dot ? (size_t)(dot - t.p) : t.len;
        for (size_t i = 0; i < il && st == XC_OK; i++) {
            st = xc_buf_putc(&b, t.p[i]);
            size_t left = il - i - 1;
            if (st == XC_OK && commas && left && left % 3 == 0)
                st = xc_buf_putc(&b, ',');
        }
        if (st == XC_OK && dot)
            st = xc_buf_puts(&b, dot);
    }
    xc_num_clear(&r);
    xc_buf_clear(&t);
    return buf_out(out, &b, st);
}

static int fn_fixed(xc_fncall *c, xc_value *out)
{
    return money(c, out, "#", "-#", !truthy(c, 2));
}

static int fn_dollar(xc_fncall *c, xc_value *out)
{
    return money(c, out, "$#", "($#)", 1);
}

static int fn_rmb(xc_fncall *c, xc_value *out)
{
    return money(c, out, "\xC2\xA5#", "\xC2\xA5-#", 1);
}

/* Windows-1252 code points of bytes 0x80..0x9F (0: unassigned). */
static const uint16_t cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static int fn_char(xc_fncall *c, xc_value *out)
{
    int64_t k;
    xc_buf b;
    if (iarg(c, 0, 0, 0, 256, &k) || k < 1 || k > 255)
        return err_out(out, XC_ERR_VALUE);
    uint32_t cp = (uint32_t)k;
    if (k >= 0x80 && k <= 0x9F)
        cp = cp1252[k - 0x80] ? cp1252[k - 0x80] : (uint32_t)k;
    xc_buf_init(&b);
    return buf_out(out, &b, xc_utf8_encode(&b, cp));
}

static int fn_code(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    uint32_t cp;
    if (n == 0)
        return err_out(out, XC_ERR_VALUE);
    xc_utf8_decode(s, n, &cp);
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
        return int_out(out, cp);
    for (int i = 0; i < 32; i++)
        if (cp1252[i] == cp)
            return int_out(out, 0x80 + i);
    return int_out(out, '?');
}

static int fn_unichar(xc_fncall *c, xc_value *out)
{
    int64_t k;
    xc_buf b;
    if (iarg(c, 0, 0, 0, 0x110000, &k) || k < 1 || k > 0x10FFFF)
        return err_out(out, XC_ERR_VALUE);
    if (k >= 0xD800 && k <= 0xDFFF)
        return err_out(out, XC_ERR_NA);
    xc_buf_init(&b);
    return buf_out(out, &b, xc_utf8_encode(&b, (uint32_t)k));
}

static int fn_unicode(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    uint32_t cp;
    if (n == 0)
        return err_out(out, XC_ERR_VALUE);
    xc_utf8_decode(s, n, &cp);
    return int_out(out, cp);
}

static int fn_t(xc_fncall *c, xc_value *out)
{
    if (c->argv[0].type == XC_TEXT)
        return xc_value_copy(out, &c->argv[0]);
    if (c->argv[0].type == XC_ERROR)
        return xc_value_copy(out, &c->argv[0]);
    return text_out(out, "", 0);
}

/* ---- Width conversion ------------------------------------------------------
 */

/* Full-width katakana and punctuation for the half-width forms
 * U+FF61..U+FF9F, in order. */
static const uint16_t kana_full[] = {
    0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, 0x30A5,
    0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC, 0x30A2, 0x30A4,
    0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3, 0x30B5,
    0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8,
    0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8,
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8,
    0x30E9, 0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C};

/* ASC of one character beyond the full-width ASCII block: katakana to
 * half-width (a voiced one becomes two: ガ -> ｶﾞ), Japanese quotes and
 * the yen sign to ASCII.  0 when there is no half-width form. */
static int narrow_kana(uint32_t cp, uint32_t *a, uint32_t *b)
{
    static const uint32_t quotes[][2] = {{0x201D, '"'},
                                         {0x2019, '\''},
                                         {0x2018, '`'},
                                         {0xFFE5, '\\'},
                                         {0x2015, 0xFF70}};
    *b = 0;
    for (size_t i = 0; i < sizeof quotes / sizeof *quotes; i++)
        if (quotes[i][0] == cp) {
            *a = quotes[i][1];
            return 1;
        }
    for (uint32_t i = 0; i < sizeof kana_full / sizeof *kana_full; i++) {
        uint32_t f = kana_full[i];
        int voiced = cp == f + 1, semi = cp == f + 2;
        int kstch = (f >= 0x30AB && f <= 0x30C8 && f != 0x30C3) ||
                    (f >= 0x30CF && f <= 0x30DB);
        int h = f >= 0x30CF && f <= 0x30DB;
        if (cp == f || (kstch && voiced) || (h && semi)) {
            *a = 0xFF61 + i;
            *b = cp == f ? 0 : voiced ? 0xFF9E : 0xFF9F;
            return 1;
        }
    }
    if (cp == 0x30F4 || cp == 0x30F7 || cp == 0x30FA) { /* ヴ ヷ ヺ */
        *a = cp == 0x30F4 ? 0xFF73 : cp == 0x30F7 ? 0xFF9C : 0xFF66;
        *b = 0xFF9E;
        return 1;
    }
    return 0;
}

static int widen(xc_fncall *c, xc_value *out, int wide)
{
    size_t n;
    const char *s = S(c, 0, &n);
    xc_buf b;
    int st = XC_OK;
    uint32_t cp;
    xc_buf_init(&b);
    for (size_t p = 0; p < n && st == XC_OK;) {
        p += xc_utf8_decode(s + p, n - p, &cp);
        if (wide) {
            if (cp == ' ')
                cp = 0x3000;
            else if (cp > 0x20 && cp < 0x7F)
                cp += 0xFF01 - 0x21;
        } else {
            if (cp == 0x3000)
                cp = ' ';
            else if (cp >= 0xFF01 && cp <= 0xFF5E)
                cp -= 0xFF01 - 0x21;
            else {
                uint32_t a, b2;
                if (narrow_kana(cp, &a, &b2)) {
                    cp = a;
                    if (b2 && (st = xc_utf8_encode(&b, a)) == XC_OK)
                        cp = b2;
                }
            }
        }
        st = xc_utf8_encode(&b, cp);
    }
    return buf_out(out, &b, st);
}

static int fn_asc(xc_fncall *c, xc_value *out)
{
    return widen(c, out, 0);
}

static int fn_widechar(xc_fncall *c, xc_value *out)
{
    return widen(c, out, 1);
}

/* NUMBERSTRING(number, type): Chinese numerals of the rounded number. */
static int fn_numberstring(xc_fncall *c, xc_value *out)
{
    int64_t type;
    xc_num r;
    xc_buf b, t;
    int st;
    iarg(c, 1, 1, 0, 4, &type);
    if (type < 1 || type > 3)
        return err_out(out, XC_ERR_VALUE);
    xc_num_init(&r);
    st = xc_num_round(&r, xc_arg_num(c, 0), 0, XC_ROUND_HALF_UP);
    xc_buf_init(&b);
    xc_buf_init(&t);
    if (st == XC_OK && xc_num_sign(&r) < 0)
        st = xc_buf_puts(&b, "\xE8\xB4\x9F"); /* 负 */
    if (st == XC_OK)
        st = xc_num_abs(&r, &r);
    if (st == XC_OK)
        st = xc_num_format_fixed(&t, &r, 0);
    if (st == XC_OK && type == 3) {
        for (size_t i = 0; i < t.len && st == XC_OK; i++) {
            static const char *d[10] = {
                "\xE3\x80\x87", "\xE4\xB8\x80", "\xE4\xBA\x8C", "\xE4\xB8\x89",
                "\xE5\x9B\x9B", "\xE4\xBA\x94", "\xE5\x85\xAD", "\xE4\xB8\x83",
                "\xE5\x85\xAB", "\xE4\xB9\x9D"};
            st = xc_buf_puts(&b, d[t.p[i] - '0']);
        }
    } else if (st == XC_OK) {
        st = xc_numfmt_chinese(&b, t.p, t.len, type == 2, 0);
    }
    xc_num_clear(&r);
    xc_buf_clear(&t);
    if (st == XC_ELIMIT) {
        xc_buf_clear(&b);
        return err_out(out, XC_ERR_NUM);
    }
    return buf_out(out, &b, st);
}

/* ---- TEXTBEFORE / TEXTAFTER / TEXTSPLIT ---------------------------------- */

/* Case-insensitive (ci) or exact comparison of s[0..n) at p with d. */
static int match_at(const char *s, size_t n, size_t p, const char *d, size_t dn,
                    int ci)
{
    if (n - p < dn)
        return 0;
    if (!ci)
        return memcmp(s + p, d, dn) == 0;
    return xc_text_cmp_ci(s + p, dn, d, dn) == 0;
}

/* Delimiter texts of argument i (a text or an array of texts); hold
 * keeps converted values alive until delims_free. */
typedef struct delims {
    const char *s[64];
    size_t n[64];
    int count;
    xc_value hold;
} delims;

static void delims_free(delims *d)
{
    xc_value_clear(&d->hold);
}

static xc_error get_delims(xc_fncall *c, int i, delims *d)
{
    const xc_value *v = &c->argv[i];
    memset(d, 0, sizeof *d);
    if (v->type == XC_REF) {
        xc_grid g;
        if (xc_grid_init(&g, c->ev, v) != XC_OK)
            return XC_ERR_VALUE;
        if (g.rows * (uint64_t)g.cols == 1) {
            if (xc_value_copy(&d->hold, xc_grid_get(&g, 0, 0)) != XC_OK)
                return XC_ERR_VALUE;
        } else {
            xc_array *a;
            /* as eval.c's lifted arrays: two whole columns at most */
            if (g.rows * (uint64_t)g.cols > xc_array_max(1u << 21))
                return XC_ERR_NUM;
            if (xc_value_set_array(&d->hold, g.rows, g.cols, &a) != XC_OK)
                return XC_ERR_VALUE;
            for (uint32_t r = 0; r < g.rows; r++)
                for (uint32_t k = 0; k < g.cols; k++)
                    if (xc_value_copy(&a->v[(size_t)r * g.cols + k],
                                      xc_grid_get(&g, r, k)) != XC_OK)
                        return XC_ERR_VALUE;
        }
        v = &d->hold;
    }
    if (v->type == XC_NUMBER || v->type == XC_BOOL) {
        xc_value t = {0};
        if (xc_to_text(v, &t) != XC_OK)
            return XC_ERR_VALUE;
        xc_value_clear(&d->hold);
        xc_value_move(&d->hold, &t);
        v = &d->hold;
    }
    if (v->type == XC_ARRAY) {
        size_t total = (size_t)v->u.arr->rows * v->u.arr->cols;
        for (size_t k = 0; k < total && d->count < 64; k++) {
            const xc_value *e = &v->u.arr->v[k];
            if (e->type == XC_ERROR)
                return (xc_error)e->err;
            if (e->type != XC_TEXT)
                continue;
            d->s[d->count] = e->u.str->s;
            d->n[d->count++] = e->u.str->len;
        }
        return XC_ERR_NONE;
    }
    if (v->type == XC_ERROR)
        return (xc_error)v->err;
    if (v->type == XC_TEXT) {
        d->s[0] = v->u.str->s;
        d->n[0] = v->u.str->len;
        d->count = 1;
        return XC_ERR_NONE;
    }
    d->s[0] = "";
    d->n[0] = 0;
    d->count = 1;
    return XC_ERR_NONE;
}

/* Longest delimiter at p; returns its length + 1, or 0. */
static size_t delim_at(const char *s, size_t n, size_t p, const delims *d,
                       int ci)
{
    size_t best = 0;
    for (int k = 0; k < d->count; k++)
        if (d->n[k] > 0 && match_at(s, n, p, d->s[k], d->n[k], ci) &&
            d->n[k] + 1 > best)
            best = d->n[k] + 1;
    return best;
}

static int before_after2(xc_fncall *c, xc_value *out, int after, delims *d);

static int before_after(xc_fncall *c, xc_value *out, int after)
{
    delims d;
    int st = before_after2(c, out, after, &d);
    delims_free(&d);
    return st;
}

static int before_after2(xc_fncall *c, xc_value *out, int after, delims *dp)
{
    size_t n;
    const char *s = S(c, 0, &n);
    int64_t inst, mode, mend;
    xc_error e = get_delims(c, 1, dp);
    delims d = *dp;
    if (e)
        return err_out(out, e);
    if (xc_arg_given(c, 2)) {
        xc_num fl;
        xc_num_init(&fl);
        xc_num_round(&fl, xc_arg_num(c, 2), 0, XC_ROUND_FLOOR);
        int big = xc_num_trunc_clamp(&fl, -INT32_MAX, INT32_MAX, &inst);
        xc_num_clear(&fl);
        if (big)
            return err_out(out, XC_ERR_VALUE);
    } else {
        inst = 1;
    }
    if (inst == 0)
        return err_out(out, XC_ERR_VALUE);
    iarg(c, 3, 0, -1, 2, &mode);
    iarg(c, 4, 0, -1, 2, &mend);
    if (mode < 0 || mode > 1 || mend < 0 || mend > 1)
        return err_out(out, XC_ERR_VALUE);
    if ((int64_t)n < (inst < 0 ? -inst : inst))
        return err_out(out, XC_ERR_VALUE);
    int empty_delim = 0, fits = 0;
    size_t tlen = cp_count(s, n);
    for (int k = 0; k < d.count; k++) {
        empty_delim |= d.n[k] == 0;
        fits |= cp_count(d.s[k], d.n[k]) <= tlen;
    }
    /* Excel: a delimiter longer than the text is #VALUE! once an
     * instance is given explicitly (else simply not found) */
    if (!fits && xc_arg_given(c, 2))
        return err_out(out, XC_ERR_VALUE);
    /* collect match positions (start, length) */
    size_t ms[256], ml[256];
    int nm = 0;
    if (empty_delim) {
        /* the empty delimiter matches at the very start (or end) */
        ms[nm] = inst > 0 ? 0 : n, ml[nm++] = 0;
    } else {
        if (mend && inst < 0)
            ms[nm] = 0, ml[nm++] = 0;
        for (size_t p = 0; p < n && nm < 255;) {
            size_t k = delim_at(s, n, p, &d, (int)mode);
            if (k) {
                ms[nm] = p, ml[nm++] = k - 1;
                p += k - 1;
            } else {
                p++;
            }
        }
        if (mend && inst > 0 && nm < 256)
            ms[nm] = n, ml[nm++] = 0;
    }
    int64_t idx = inst > 0 ? inst - 1 : nm + inst;
    if (idx < 0 || idx >= nm) {
        if (c->argc > 5 && c->argv[5].type == XC_EMPTY)
            return text_out(out, "", 0);
        if (c->argc > 5)
            return xc_value_copy(out, &c->argv[5]);
        return err_out(out, XC_ERR_NA);
    }
    if (after)
        return text_out(out, s + ms[idx] + ml[idx], n - ms[idx] - ml[idx]);
    return text_out(out, s, ms[idx]);
}

static int fn_textbefore(xc_fncall *c, xc_value *out)
{
    return before_after(c, out, 0);
}

static int fn_textafter(xc_fncall *c, xc_value *out)
{
    return before_after(c, out, 1);
}

static xc_error textsplit_delims_ok(const delims *cd, const delims *rd)
{
    int has = 0;
    for (int k = 0; k < cd->count; k++)
        has |= cd->n[k] > 0;
    for (int k = 0; k < rd->count; k++)
        has |= rd->n[k] > 0;
    return has ? XC_ERR_NONE : XC_ERR_VALUE;
}

static int textsplit2(xc_fncall *c, xc_value *out, const char *s, size_t n,
                      const delims *cdp, const delims *rdp);

/* TEXTSPLIT(text, col_delimiter, [row_delimiter], [ignore_empty],
 * [match_mode], [pad_with]) */
static int fn_textsplit(xc_fncall *c, xc_value *out)
{
    size_t n;
    const char *s = S(c, 0, &n);
    delims cd, rd;
    memset(&rd, 0, sizeof rd);
    xc_error e = get_delims(c, 1, &cd);
    if (!e && xc_arg_given(c, 2))
        e = get_delims(c, 2, &rd);
    if (!e)
        e = textsplit_delims_ok(&cd, &rd);
    if (e) {
        delims_free(&cd);
        delims_free(&rd);
        return err_out(out, e);
    }
    int st0 = textsplit2(c, out, s, n, &cd, &rd);
    delims_free(&cd);
    delims_free(&rd);
    return st0;
}

static int textsplit2(xc_fncall *c, xc_value *out, const char *s, size_t n,
                      const delims *cdp, const delims *rdp)
{
    int64_t mode;
    const delims cd = *cdp, rd = *rdp;
    int ign = truthy(c, 3);
    iarg(c, 4, 0, -1, 2, &mode);
    if (mode < 0 || mode > 1)
        return err_out(out, XC_ERR_VALUE);
    int hascd = 0;
    for (int k = 0; k < cd.count; k++)
        hascd |= cd.n[k] > 0;
    for (int k = 0; k < rd.count; k++)
        hascd |= rd.n[k] > 0;
    if (!hascd)
        return err_out(out, XC_ERR_VALUE);
    /* pieces: (start, len, row) */
    size_t cap = 16, np = 0;
    struct piece {
        size_t a, len;
        uint32_t row;
    } *pc = xc_malloc(cap * sizeof *pc);
    if (!pc)
        return XC_ENOMEM;
    uint32_t row = 0, rows = 0, cols = 0, col = 0;
    size_t start = 0;
    int st = XC_OK;
    for (size_t p = 0; p <= n && st == XC_OK;) {
        size_t kr = p < n ? delim_at(s, n, p, &rd, (int)mode) : 0;
        size_t kc = p < n && !kr ? delim_at(s, n, p, &cd, (int)mode) : 0;
        if (p == n || kr || kc) {
            size_t len = p - start;
            if (!(ign && len == 0)) {
                if (np == cap) {
                    void *q = xc_realloc(pc, 2 * cap * sizeof *pc);
                    if (!q) {
                        st = XC_ENOMEM;
                        break;
                    }
                    pc = q, cap *= 2;
                }
                pc[np].a = start, pc[np].len = len, pc[np].row = row;
                np++;
                col++;
                if (col > cols)
                    cols = col;
            }
            if (p == n)
                break;
            if (kr) {
                if (col > 0 || !ign)
                    row++;
                col = 0;
                p += kr - 1;
            } else {
                p += kc - 1;
            }
            start = p;
            continue;
        }
        p++;
    }
    if (st != XC_OK) {
        xc_free(pc);
        return st;
    }
    rows = np ? pc[np - 1].row + 1 : 1;
    if (cols == 0)
        cols = 1;
    if ((uint64_t)rows * cols > 10000000u) {
        xc_free(pc);
        return err_out(out, XC_ERR_VALUE);
    }
    xc_value res = {0};
    xc_array *arr;
    st = xc_value_set_array(&res, rows, cols, &arr);
    if (st == XC_OK) {
        for (size_t i = 0; i < (size_t)rows * cols && st == XC_OK; i++) {
            if (c->argc > 5)
                st = xc_value_copy(&arr->v[i], &c->argv[5]);
            else
                xc_value_set_error(&arr->v[i], XC_ERR_NA);
        }
        uint32_t r = UINT32_MAX, k = 0;
        for (size_t i = 0; i < np && st == XC_OK; i++) {
            if (pc[i].row != r)
                r = pc[i].row, k = 0;
            if (r < rows && k < cols)
                st = xc_value_set_text(&arr->v[(size_t)r * cols + k],
                                       s + pc[i].a, pc[i].len);
            k++;
        }
    }
    xc_free(pc);
    if (st == XC_OK) {
        xc_value_clear(out);
        xc_value_move(out, &res);
    }
    xc_value_clear(&res);
    return st;
}

/* VALUETOTEXT(value, [format]) */
/* A value as VALUETOTEXT writes it (format 1 quotes text). */
static int value_text(xc_buf *b, const xc_value *v, int64_t f)
{
    int st = XC_OK;
    if (v->type == XC_TEXT && f == 1) {
        st = xc_buf_putc(b, '"');
        for (size_t i = 0; i < v->u.str->len && st == XC_OK; i++) {
            if (v->u.str->s[i] == '"')
                st = xc_buf_putc(b, '"');
            if (st == XC_OK)
                st = xc_buf_putc(b, v->u.str->s[i]);
        }
        if (st == XC_OK)
            st = xc_buf_putc(b, '"');
    } else if (v->type != XC_EMPTY) {
        st = xc_value_format(b, v, XC_FMT_GENERAL);
    }
    return st;
}

/* ARRAYTOTEXT(array, [format]): format 0 joins the values with ", ";
 * format 1 writes an array constant {a,b;c,d} with text quoted. */
static int fn_arraytotext(xc_fncall *c, xc_value *out)
{
    xc_grid g;
    xc_buf b;
    int st = XC_OK;
    int64_t f;
    iarg(c, 1, 0, -1, 2, &f);
    if (f < 0 || f > 1)
        return err_out(out, XC_ERR_VALUE);
    if (xc_grid_init(&g, c->ev, &c->argv[0]) != XC_OK)
        return err_out(out, XC_ERR_VALUE);
    xc_buf_init(&b);
    if (f == 1)
        st = xc_buf_putc(&b, '{');
    for (uint32_t r = 0; r < g.rows && st == XC_OK; r++)
        for (uint32_t k = 0; k < g.cols && st == XC_OK; k++) {
            if (r || k)
                st = f == 0  ? xc_buf_puts(&b, ", ")
                     : k > 0 ? xc_buf_putc(&b, ',')
                             : xc_buf_putc(&b, ';');
            if (st == XC_OK)
                st = value_text(&b, xc_grid_get(&g, r, k), f);
        }
    if (st == XC_OK && f == 1)
        st = xc_buf_putc(&b, '}');
    return buf_out(out, &b, st);
}

static int fn_valuetotext(xc_fncall *c, xc_value *out)
{
    const xc_value *v = &c->argv[0];
    xc_buf b;
    int st = XC_OK;
    int64_t f;
    iarg(c, 1, 0, -1, 2, &f);
    if (f < 0 || f > 1)
        return err_out(out, XC_ERR_VALUE);
    xc_buf_init(&b);
    if (v->type == XC_TEXT && f == 1) {
        st = xc_buf_putc(&b, '"');
        for (size_t i = 0; i < v->u.str->len && st == XC_OK; i++) {
            if (v->u.str->s[i] == '"')
                st = xc_buf_putc(&b, '"');
            if (st == XC_OK)
                st = xc_buf_putc(&b, v->u.str->s[i]);
        }
        if (st == XC_OK)
            st = xc_buf_putc(&b, '"');
    } else {
        st = xc_value_format(&b, v, XC_FMT_GENERAL);
    }
    return buf_out(out, &b, st);
}

/* ---- Regular expressions ---------------------------------------------------
 * REGEXTEST, REGEXEXTRACT and REGEXREPLACE run on the C library's POSIX
 * extended expressions (leftmost-longest matching, bytes in UTF-8).
 * Excel's patterns are PCRE2; the shorthands \d \w \s (and \D \W \S)
 * are translated, other PCRE-only syntax is not supported. */

/* The C library's regcomp expands a repetition by copying what it
 * repeats (x+ is x then x*, x{2,5} five copies) and computes closures
 * over the copies, so stacked or nested repetitions cost exponential
 * memory: "R" with 20 '+' took 720 MB, 25 of them or "a{1,100}"
 * repeated five times 3 GB (finding 21).  Before compiling, the
 * pattern's expanded size is estimated (each element 1, a group the sum
 * of its branches, a repetition multiplying what it repeats by its
 * upper bound + 1, * + ? by 2) and a pattern past RE_MAX_WEIGHT is
 * #VALUE!.  (a?){1,1000}, at 2,002, takes 146 MB; 1,000 keeps it near
 * 70 MB at most. */
#define RE_MAX_WEIGHT 1000u

static int re_too_big(const char *p)
{
    enum { DEPTH = 64 };
    uint64_t cur[DEPTH], last = 0;
    int d = 0, after_q = 0;
    cur[0] = 0;
    for (size_t i = 0; p[i]; i++) {
        char ch = p[i];
        uint64_t f = 0;
        if (ch == '*' || ch == '+' || ch == '?') {
            f = 2;
        } else if (ch == '{' && (p[i + 1] >= '0' && p[i + 1] <= '9')) {
            uint64_t m = 0, n = 0;
            size_t j = i + 1;
            while (p[j] >= '0' && p[j] <= '9' && m < 100000)
                m = m * 10 + (uint64_t)(p[j++] - '0');
            n = m;
            if (p[j] == ',') {
                j++;
                if (p[j] >= '0' && p[j] <= '9') {
                    n = 0;
                    while (p[j] >= '0' && p[j] <= '9' && n < 100000)
                        n = n * 10 + (uint64_t)(p[j++] - '0');
                }
            }
            while (p[j] && p[j] != '}')
                j++;
            if (!p[j])
                return 0; /* regcomp reports it */
            f = (n > m ? n : m) + 1;
            i = j;
        }
        if (f) {
            if (after_q)
                return 1; /* a repetition of a repetition */
            cur[d] += last * (f - 1);
            last *= f;
            after_q = 1;
        } else if (ch == '(') {
            if (++d >= DEPTH)
                return 1;
            cur[d] = 0;
            after_q = 0;
            continue;
        } else if (ch == ')' && d > 0) {
            uint64_t g = cur[d]; /* all branches: regcomp keeps them all */
            d--;
            last = g ? g : 1;
            cur[d] += last;
            after_q = 0;
        } else if (ch == '|') {
            last = 0;
            after_q = 0;
            continue;
        } else {
            if (ch == '\\' && p[i + 1])
                i++;
            else if (ch == '[') { /* a bracket expression is one element */
                size_t j = i + 1;
                if (p[j] == '^')
                    j++;
                if (p[j] == ']')
                    j++;
                while (p[j] && p[j] != ']') {
                    if (p[j] == '[' && (p[j + 1] == ':' || p[j + 1] == '=' ||
                                        p[j + 1] == '.')) {
                        char k = p[j + 1];
                        j += 2;
                        while (p[j] && !(p[j] == k && p[j + 1] == ']'))
                            j++;
                        if (p[j])
                            j += 2;
                        continue;
                    }
                    j++;
                }
                i = p[j] ? j : i;
            }
            last = 1;
            cur[d] += 1;
            after_q = 0;
        }
        if (cur[d] > RE_MAX_WEIGHT || last > RE_MAX_WEIGHT)
            return 1;
    }
    return 0;
}

xc_error xc_regex_compile(regex_t *re, const char *p, size_t n, int icase)
{
    xc_buf b;
    int st = XC_OK, inb = 0;
    xc_buf_init(&b);
    for (size_t i = 0; i < n && st == XC_OK; i++) {
        char ch = p[i];
        if (ch == '\\' && i + 1 < n) {
            static const char *cls[][2] = {
                {"d", "0-9"}, {"w", "[:alnum:]_"}, {"s", "[:space:]"}};
            char x = p[i + 1];
            int k = -1;
            for (int j = 0; j < 3; j++)
                if ((x | 0x20) == cls[j][0][0] && ((x >= 'a') || !inb))
                    k = j;
            if (k >= 0) {
                if (inb)
                    st = xc_buf_puts(&b, cls[k][1]);
                else {
                    st = xc_buf_puts(&b, x >= 'a' ? "[" : "[^");
                    if (st == XC_OK)
                        st = xc_buf_puts(&b, cls[k][1]);
                    if (st == XC_OK)
                        st = xc_buf_putc(&b, ']');
                }
                i++;
                continue;
            }
            st = xc_buf_put(&b, p + i, 2);
            i++;
            continue;
        }
        if (ch == '[' && !inb)
            inb = 1;
        else if (ch == ']' && inb && i > 0 && p[i - 1] != '[' &&
                 !(p[i - 1] == '^' && i > 1 && p[i - 2] == '['))
            inb = 0;
        st = xc_buf_putc(&b, ch);
        /* PCRE's lazy and possessive forms (x*? x++ x{2,}?): POSIX
         * matching is leftmost-longest anyway, so the mark is dropped
         * rather than read as a repetition of the repetition */
        if (!inb && (ch == '*' || ch == '+' || ch == '?' || ch == '}') &&
            i + 1 < n && (p[i + 1] == '?' || p[i + 1] == '+') &&
            !(ch == '}' && !b.len) && !(i > 0 && p[i - 1] == '\\'))
            i++;
    }
    if (st == XC_OK)
        st = xc_buf_putc(&b, 0);
    if (st != XC_OK || re_too_big(b.p)) {
        xc_buf_clear(&b);
        return XC_ERR_VALUE;
    }
    int rc = regcomp(re, b.p, REG_EXTENDED | (icase ? REG_ICASE : 0));
    xc_buf_clear(&b);
    return rc == 0 ? XC_ERR_NONE : XC_ERR_VALUE;
}

/* Pattern argument pi compiled into re; 0 or the error to return.
 * Case sensitivity argument ci: 0 (default) or 1. */
static xc_error re_compile(xc_fncall *c, int pi, int ci, regex_t *re)
{
    size_t n;
    const char *p = S(c, pi, &n);
    int64_t cs;
    if (iarg(c, ci, 0, -1, 2, &cs) || cs < 0 || cs > 1)
        return XC_ERR_VALUE;
    return xc_regex_compile(re, p, n, (int)cs);
}

/* Argument i as a NUL-terminated copy (the caller frees). */
static char *re_subject(xc_fncall *c, int i, size_t *n)
{
    const char *s = S(c, i, n);
    char *t = xc_malloc(*n + 1);
    if (t) {
        memcpy(t, s, *n);
        t[*n] = 0;
    }
    return t;
}

/* Next match at or after offset *at; advances *at past it (by one
 * character at least). */
static int re_next(const regex_t *re, const char *s, size_t n, size_t *at,
                   regmatch_t *m, size_t nm)
{
    if (*at > n || regexec(re, s + *at, nm, m, *at > 0 ? REG_NOTBOL : 0) != 0)
        return 0;
    for (size_t k = 0; k < nm; k++)
        if (m[k].rm_so >= 0) {
            m[k].rm_so += (regoff_t)*at;
            m[k].rm_eo += (regoff_t)*at;
        }
    size_t e = (size_t)m[0].rm_eo;
    if (m[0].rm_eo == m[0].rm_so) { /* empty match: step a character */
        uint32_t cp;
        e += e < n ? xc_utf8_decode(s + e, n - e, &cp) : 1;
    }
    *at = e;
    return 1;
}

/* REGEXTEST(text, pattern, [case_sensitivity]) */
static int fn_regextest(xc_fncall *c, xc_value *out)
{
    regex_t re;
    size_t n, at = 0;
    regmatch_t m;
    xc_error e = re_compile(c, 1, 2, &re);
    if (e)
        return err_out(out, e);
    char *s = re_subject(c, 0, &n);
    if (!s) {
        regfree(&re);
        return XC_ENOMEM;
    }
    int hit = re_next(&re, s, n, &at, &m, 1);
    regfree(&re);
    xc_free(s);
    xc_value_clear(out);
    xc_value_set_bool(out, hit);
    return XC_OK;
}

/* REGEXEXTRACT(text, pattern, [return_mode], [case_sensitivity]): 0 the
 * first match, 1 every match (a row), 2 the first match's groups. */
static int fn_regexextract(xc_fncall *c, xc_value *out)
{
    regex_t re;
    size_t n, at = 0, cnt = 0;
    regmatch_t m[10];
    int64_t mode;
    int st = XC_OK;
    if (iarg(c, 2, 0, -1, 3, &mode) || mode < 0 || mode > 2)
        return err_out(out, XC_ERR_VALUE);
    xc_error e = re_compile(c, 1, 3, &re);
    if (e)
        return err_out(out, e);
    char *s = re_subject(c, 0, &n);
    if (!s) {
        regfree(&re);
        return XC_ENOMEM;
    }
    if (!re_next(&re, s, n, &at, m, 10)) {
        st = err_out(out, XC_ERR_NA);
    } else if (mode == 0) {
        st = text_out(out, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
    } else {
        /* count first, then fill a 1 x cnt row */
        size_t groups = re.re_nsub < 9 ? re.re_nsub : 9;
        if (mode == 1) {
            size_t a2 = 0;
            regmatch_t m2;
            while (re_next(&re, s, n, &a2, &m2, 1))
                cnt++;
        } else
            cnt = groups;
        xc_value v = {0};
        xc_array *arr;
        if (cnt == 0)
            st = err_out(out, XC_ERR_NA);
        else if ((st = xc_value_set_array(&v, 1, (uint32_t)cnt, &arr)) ==
                 XC_OK) {
            size_t a2 = 0;
            regmatch_t m2;
            for (size_t k = 0; k < cnt && st == XC_OK; k++) {
                const regmatch_t *g = &m[k + 1];
                if (mode == 1) {
                    re_next(&re, s, n, &a2, &m2, 1);
                    g = &m2;
                }
                st = g->rm_so < 0 ? text_out(&arr->v[k], "", 0)
                                  : text_out(&arr->v[k], s + g->rm_so,
                                             (size_t)(g->rm_eo - g->rm_so));
            }
            if (st == XC_OK) {
                xc_value_clear(out);
                xc_value_move(out, &v);
            } else
                xc_value_clear(&v);
        }
    }
    regfree(&re);
    xc_free(s);
    return st;
}

/* Replacement text with $n / ${n} group references, $& and $$. */
static int re_expand(xc_buf *b, const char *r, size_t rn, const char *s,
                     const regmatch_t *m, size_t nsub)
{
    int st = XC_OK;
    for (size_t i = 0; i < rn && st == XC_OK; i++) {
        if (r[i] != '$' || i + 1 >= rn) {
            st = xc_buf_putc(b, r[i]);
            continue;
        }
        size_t j = i + 1, g = 0;
        int br = r[j] == '{', ok = 0;
        if (r[j] == '$') {
            st = xc_buf_putc(b, '$');
            i = j;
            continue;
        }
        if (r[j] == '&') {
            ok = 1, j++;
        } else {
            j += br;
            while (j < rn && r[j] >= '0' && r[j] <= '9' && g < 100)
                g = g * 10 + (size_t)(r[j] - '0'), j++, ok = 1;
            if (br && (j >= rn || r[j] != '}'))
                ok = 0;
            j += br && ok;
        }
        if (!ok) {
            st = xc_buf_putc(b, '$');
            continue;
        }
        if (g <= nsub && g < 10 && m[g].rm_so >= 0)
            st = xc_buf_put(b, s + m[g].rm_so,
                            (size_t)(m[g].rm_eo - m[g].rm_so));
        i = j - 1;
    }
    return st;
}

/* REGEXREPLACE(text, pattern, replacement, [occurrence],
 * [case_sensitivity]): occurrence 0 replaces every match, n > 0 the nth,
 * n < 0 the nth from the end. */
static int fn_regexreplace(xc_fncall *c, xc_value *out)
{
    regex_t re;
    size_t n, rn, at = 0, total = 0, k = 0, last = 0;
    regmatch_t m[10];
    int64_t occ;
    int st = XC_OK;
    const char *r = S(c, 2, &rn);
    if (iarg(c, 3, 0, -1000000000, 1000000000, &occ))
        return err_out(out, XC_ERR_VALUE);
    xc_error e = re_compile(c, 1, 4, &re);
    if (e)
        return err_out(out, e);
    char *s = re_subject(c, 0, &n);
    if (!s) {
        regfree(&re);
        return XC_ENOMEM;
    }
    if (occ < 0) {
        while (re_next(&re, s, n, &at, m, 1))
            total++;
        occ = (int64_t)total + occ + 1;
        if (occ < 1)
            occ = -1; /* none */
        at = 0;
    }
    xc_buf b;
    xc_buf_init(&b);
    while (st == XC_OK && re_next(&re, s, n, &at, m, 10)) {
        k++;
        if (occ != 0 && (int64_t)k != occ)
            continue;
        st = xc_buf_put(&b, s + last, (size_t)m[0].rm_so - last);
        if (st == XC_OK)
            st = re_expand(&b, r, rn, s, m, re.re_nsub);
        last = (size_t)m[0].rm_eo;
    }
    if (st == XC_OK)
        st = xc_buf_put(&b, s + last, n - last);
    regfree(&re);
    xc_free(s);
    return buf_out(out, &b, st);
}

/* ---- Table ----------------------------------------------------------------
 */

#define T(name, args, impl, flags, syntax, help, ex)                           \
    {                                                                          \
        name, args, impl, flags, "text", syntax, help, ex                      \
    }

const xc_fn_def xc_fns_text[] = {
    T("ARRAYTOTEXT", "A|n", fn_arraytotext, 0, "ARRAYTOTEXT(array, [format])",
      "Text of an array's values; format 1 writes an array constant.",
      "=ARRAYTOTEXT({1,\"a\";TRUE,2}) -> 1, a, TRUE, 2\n"
      "=ARRAYTOTEXT({1,\"a\";TRUE,2},1) -> {1,\"a\";TRUE,2}"),
    T("ASC", "s", fn_asc, 0, "ASC(text)",
      "Converts full-width (double-byte) characters to half-width.",
      "=ASC(\"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\x91\") -> AB1"),
    T("CHAR", "n", fn_char, 0, "CHAR(number)",
      "The character with a code (1-255, Windows-1252).",
      "=CHAR(65) -> A\n=CHAR(0) -> #VALUE!"),
    T("CLEAN", "s", fn_clean, 0, "CLEAN(text)",
      "Removes non-printable control characters.",
      "=LEN(CLEAN(\"a\"&CHAR(9)&\"b\")) -> 2"),
    T("CODE", "s", fn_code, 0, "CODE(text)",
      "Code (Windows-1252) of the first character.", "=CODE(\"A\") -> 65"),
    T("CONCAT", "a*", fn_concat, 0, "CONCAT(text1, ...)",
      "Joins texts and the cells of ranges.",
      "=CONCAT({\"a\",\"b\"},\"c\") -> abc"),
    T("CONCATENATE", "s*", fn_concatenate, 0, "CONCATENATE(text1, ...)",
      "Joins several texts into one.", "=CONCATENATE(\"a\",1,TRUE) -> a1TRUE"),
    T("DOLLAR", "n|n", fn_dollar, 0, "DOLLAR(number, [decimals])",
      "Number as currency text with a dollar sign.",
      "=DOLLAR(1234.567) -> $1,234.57\n=DOLLAR(-2.5,0) -> ($3)"),
    T("EXACT", "ss", fn_exact, 0, "EXACT(text1, text2)",
      "Whether two texts are identical (case-sensitive).",
      "=EXACT(\"a\",\"A\") -> FALSE"),
    T("FIND", "ss|n", fn_find, 0, "FIND(find_text, within_text, [start_num])",
      "Position of one text in another (case-sensitive).",
      "=FIND(\"b\",\"abcb\",3) -> 4\n=FIND(\"B\",\"abc\") -> #VALUE!"),
    T("FINDB", "ss|n", fn_findb, 0,
      "FINDB(find_text, within_text, [start_num])",
      "FIND counting double-byte characters as two.",
      "=FINDB(\"b\",\"\xE4\xB8\xAD"
      "b\") -> 3"),
    T("FIXED", "n|nb", fn_fixed, 0, "FIXED(number, [decimals], [no_commas])",
      "Number rounded and written as text with thousands separators.",
      "=FIXED(1234.567,1) -> 1,234.6\n=FIXED(1234.567,-2,TRUE) -> 1200"),
    T("LEFT", "s|n", fn_left, 0, "LEFT(text, [num_chars])",
      "The first characters of a text.", "=LEFT(\"abc\",2) -> ab"),
    T("LEFTB", "s|n", fn_leftb, 0, "LEFTB(text, [num_bytes])",
      "The first bytes of a text (double-byte characters count two).",
      "=LEFTB(\"\xE4\xB8\xAD\xE6\x96\x87\",2) -> \xE4\xB8\xAD"),
    T("LEN", "s", fn_len, 0, "LEN(text)", "Number of characters in a text.",
      "=LEN(\"\xE9\xA2\x84\xE7\xAE\x97\") -> 2\n=LEN(123) -> 3"),
    T("LENB", "s", fn_lenb, 0, "LENB(text)",
      "Length in bytes, double-byte characters counting two.",
      "=LENB(\"\xE9\xA2\x84\xE7\xAE\x97"
      "a\") -> 5"),
    T("LOWER", "s", fn_lower, 0, "LOWER(text)", "Text in lower case.",
      "=LOWER(\"AbC\") -> abc"),
    T("MID", "snn", fn_mid, 0, "MID(text, start_num, num_chars)",
      "Characters from the middle of a text.",
      "=MID(\"abcdef\",2,3) -> bcd\n=MID(\"abc\",0,1) -> #VALUE!"),
    T("MIDB", "snn", fn_midb, 0, "MIDB(text, start_num, num_bytes)",
      "MID counting double-byte characters as two.",
      "=MIDB(\"a\xE4\xB8\xAD\xE6\x96\x87\",2,2) -> \xE4\xB8\xAD"),
    T("NUMBERSTRING", "nn", fn_numberstring, 0, "NUMBERSTRING(number, type)",
      "Number in Chinese numerals: 1 lower case, 2 financial, 3 digit by "
      "digit.",
      "=NUMBERSTRING(123,1) -> \xE4\xB8\x80\xE7\x99\xBE\xE4\xBA\x8C\xE5\x8D\x81"
      "\xE4\xB8\x89\n=NUMBERSTRING(123,2) -> "
      "\xE5\xA3\xB9\xE4\xBD\xB0\xE8\xB4\xB0"
      "\xE6\x8B\xBE\xE5\x8F\x81\n=NUMBERSTRING(123,3) -> "
      "\xE4\xB8\x80\xE4\xBA\x8C"
      "\xE4\xB8\x89"),
    T("NUMBERVALUE", "s|ss", fn_numbervalue, 0,
      "NUMBERVALUE(text, [decimal_separator], [group_separator])",
      "Number from text with given separators.",
      "=NUMBERVALUE(\"1.234,5\",\",\",\".\") -> 1234.5\n"
      "=NUMBERVALUE(\"12%\") -> 0.12"),
    T("PROPER", "s", fn_proper, 0, "PROPER(text)",
      "Capitalizes the first letter of each word.",
      "=PROPER(\"hello wORLD 2-way\") -> Hello World 2-Way"),
    T("REGEXEXTRACT", "ss|nn", fn_regexextract, 0,
      "REGEXEXTRACT(text, pattern, [return_mode], [case_sensitivity])",
      "Text matching a regular expression (mode 1: all matches, 2: groups).",
      "=REGEXEXTRACT(\"LonelyPlanet\",\"[A-Z][a-z]+\") -> Lonely\n"
      "=REGEXEXTRACT(\"LonelyPlanet\",\"[A-Z][a-z]+\",1) -> "
      "{\"Lonely\",\"Planet\"}"),
    T("REGEXREPLACE", "sss|nn", fn_regexreplace, 0,
      "REGEXREPLACE(text, pattern, replacement, [occurrence], "
      "[case_sensitivity])",
      "Replaces matches of a regular expression ($1 for a group).",
      "=REGEXREPLACE(\"JamesBond\",\"([A-Z][a-z]+)([A-Z][a-z]+)\",\"$2, $1 "
      "$2\") -> Bond, James Bond"),
    T("REGEXTEST", "ss|n", fn_regextest, 0,
      "REGEXTEST(text, pattern, [case_sensitivity])",
      "Whether text matches a regular expression.",
      "=REGEXTEST(\"abc\",\"\\d\") -> FALSE\n=REGEXTEST(\"ABC\",\"b\",1) -> "
      "TRUE"),
    T("REPLACE", "snns", fn_replace, 0,
      "REPLACE(old_text, start_num, num_chars, new_text)",
      "Replaces characters at a position.",
      "=REPLACE(\"abcdef\",2,3,\"X\") -> aXef"),
    T("REPT", "sn", fn_rept, 0, "REPT(text, number_times)", "Repeats a text.",
      "=REPT(\"ab\",3) -> ababab"),
    T("RIGHT", "s|n", fn_right, 0, "RIGHT(text, [num_chars])",
      "The last characters of a text.", "=RIGHT(\"abc\",2) -> bc"),
    T("RIGHTB", "s|n", fn_rightb, 0, "RIGHTB(text, [num_bytes])",
      "The last bytes of a text (double-byte characters count two).",
      "=RIGHTB(\"a\xE4\xB8\xAD\",2) -> \xE4\xB8\xAD"),
    T("RMB", "n|n", fn_rmb, 0, "RMB(number, [decimals])",
      "Number as currency text with the yuan sign.",
      "=RMB(1234.5) -> \xC2\xA5"
      "1,234.50\n=RMB(-1234.5,0) -> \xC2\xA5-1,235"),
    T("SEARCH", "ss|n", fn_search, 0,
      "SEARCH(find_text, within_text, [start_num])",
      "Position of one text in another (case-insensitive, wildcards).",
      "=SEARCH(\"B?\",\"abcd\") -> 2\n=SEARCH(\"~*\",\"a*b\") -> 2"),
    T("SUBSTITUTE", "sss|n", fn_substitute, 0,
      "SUBSTITUTE(text, old_text, new_text, [instance_num])",
      "Replaces occurrences of a text.",
      "=SUBSTITUTE(\"a-b-c\",\"-\",\"+\") -> a+b+c\n"
      "=SUBSTITUTE(\"a-b-c\",\"-\",\"+\",2) -> a-b+c"),
    T("T", "v", fn_t, 0, "T(value)",
      "The value if it is text, else empty text.",
      "=T(\"a\") -> a\n=LEN(T(1)) -> 0"),
    T("TEXT", "vs", fn_text, 0, "TEXT(value, format_text)",
      "Formats a number with an Excel number-format code.",
      "=TEXT(1234.567,\"#,##0.00\") -> 1,234.57\n"
      "=TEXT(45351,\"yyyy\xE5\xB9\xB4m\xE6\x9C\x88"
      "d\xE6\x97\xA5\") -> "
      "2024\xE5\xB9\xB4"
      "2\xE6\x9C\x88"
      "29\xE6\x97\xA5\n"
      "=TEXT(0.125,\"0.0%\") -> 12.5%"),
    T("TEXTAFTER", "sa|nnne", fn_textafter, 0,
      "TEXTAFTER(text, delimiter, [instance_num], [match_mode], [match_end], "
      "[if_not_found])",
      "Text after a delimiter.",
      "=TEXTAFTER(\"a-b-c\",\"-\") -> b-c\n=TEXTAFTER(\"a-b-c\",\"-\",-1) -> "
      "c"),
    T("TEXTBEFORE", "sa|nnne", fn_textbefore, 0,
      "TEXTBEFORE(text, delimiter, [instance_num], [match_mode], [match_end], "
      "[if_not_found])",
      "Text before a delimiter.",
      "=TEXTBEFORE(\"a-b-c\",\"-\",2) -> a-b\n=TEXTBEFORE(\"abc\",\"x\") -> "
      "#N/A"),
    T("TEXTJOIN", "aba*", fn_textjoin, 0,
      "TEXTJOIN(delimiter, ignore_empty, text1, ...)",
      "Joins texts with a delimiter, optionally skipping empty ones.",
      "=TEXTJOIN(\",\",TRUE,\"a\",\"\",\"b\") -> a,b\n"
      "=TEXTJOIN(\",\",FALSE,\"a\",\"\",\"b\") -> a,,b"),
    T("TEXTSPLIT", "sa|abne", fn_textsplit, 0,
      "TEXTSPLIT(text, col_delimiter, [row_delimiter], [ignore_empty], "
      "[match_mode], [pad_with])",
      "Splits text into an array by column and row delimiters.",
      "=TEXTSPLIT(\"a,b;c\",\",\",\";\") -> {\"a\",\"b\";\"c\",#N/A}"),
    T("TRIM", "s", fn_trim, 0, "TRIM(text)",
      "Removes leading and trailing spaces and collapses inner runs.",
      "=TRIM(\"  a   b  \") -> a b"),
    T("UNICHAR", "n", fn_unichar, 0, "UNICHAR(number)",
      "The Unicode character with a code point.",
      "=UNICHAR(20013) -> \xE4\xB8\xAD"),
    T("UNICODE", "s", fn_unicode, 0, "UNICODE(text)",
      "Code point of the first character.",
      "=UNICODE(\"\xE4\xB8\xAD\") -> 20013"),
    T("UPPER", "s", fn_upper, 0, "UPPER(text)", "Text in upper case.",
      "=UPPER(\"abc\xC3\xA9\") -> ABC\xC3\x89"),
    T("VALUE", "v", fn_value, 0, "VALUE(text)", "Number from text.",
      "=VALUE(\"1,234.5\") -> 1234.5\n=VALUE(\"50%\") -> 0.5\n"
      "=VALUE(\"abc\") -> #VALUE!"),
    T("VALUETOTEXT", "e|n", fn_valuetotext, 0, "VALUETOTEXT(value, [format])",
      "Text of a value; format 1 quotes text.",
      "=VALUETOTEXT(\"a\",1) -> \"a\""),
    T("WIDECHAR", "s", fn_widechar, 0, "WIDECHAR(text)",
      "Converts half-width characters to full-width.",
      "=WIDECHAR(\"A1\") -> \xEF\xBC\xA1\xEF\xBC\x91"),
};
const size_t xc_fns_text_n = sizeof xc_fns_text / sizeof *xc_fns_text;
