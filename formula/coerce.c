/* coerce.c - Excel's coercion rules and the argument helpers that
 * function implementations use: text to number (with currency, percent,
 * thousands separators, dates and times), values to text and logicals,
 * visiting and collecting the numbers of an argument, uniform 2-D access
 * to arrays and ranges, and the result helpers. */
#include <string.h>
#include "formula_int.h"

void xc_result_error(xc_value *out, xc_error e)
{
    xc_value_clear(out);
    xc_value_set_error(out, e);
}

int xc_result_num(xc_value *out, xc_num *x, unsigned inexact)
{
    xc_value_clear(out);
    xc_value_take_num(out, x);
    if (inexact)
        out->flags |= XC_VAL_INEXACT;
    return XC_OK;
}

/* ---- Text to number ---------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a currency sign at s (dollar, yen U+00A5, euro U+20AC,
 * fullwidth yen U+FFE5), or 0.  Excel takes "€100" as 100. */
static size_t currency_len(const char *s, size_t n)
{
    if (n >= 1 && s[0] == '$')
        return 1;
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x82 &&
        (unsigned char)s[2] == 0xAC)
        return 3;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA5)
        return 2;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBF &&
        (unsigned char)s[2] == 0xA5)
        return 3;
    return 0;
}

/* A plain number with the decorations Excel accepts when it coerces
 * text: "(12)", "-$1,234.5", "100€", "50%", " 1e3 ".  s is already
 * trimmed.  One currency sign, before or after the digits. */
static int parse_plain(const char *s, size_t n, xc_num *x)
{
    size_t i = 0, k;
    int neg = 0, paren = 0, signed_ = 0, pct = 0, cur = 0, st;
    xc_buf b;

    if (i < n && s[i] == '(') {
        paren = 1;
        i++;
    }
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        signed_ = 1;
        i++;
    }
    if ((k = currency_len(s + i, n - i)) > 0) {
        cur = 1;
        i += k;
        while (i < n && is_space(s[i]))
            i++;
        if (!signed_ && i < n && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
    }
    if (i >= n || !(is_digit(s[i]) || s[i] == '.'))
        return XC_EPARSE;
    xc_buf_init(&b);
    /* integer part with optional thousands separators in groups of 3 */
    size_t run = 0;
    int grouped = 0;
    while (i < n) {
        if (is_digit(s[i])) {
            if (xc_buf_putc(&b, s[i]) != XC_OK)
                goto nomem;
            run++;
            i++;
        } else if (s[i] == ',' && run > 0 && (grouped ? run == 3 : run <= 3) &&
                   i + 1 < n && is_digit(s[i + 1])) {
            grouped = 1;
            run = 0;
            i++;
        } else {
            break;
        }
    }
    if (grouped && run != 3)
        goto bad;
    if (i < n && s[i] == '.') {
        if (xc_buf_putc(&b, '.') != XC_OK)
            goto nomem;
        i++;
        while (i < n && is_digit(s[i]))
            if (xc_buf_putc(&b, s[i++]) != XC_OK)
                goto nomem;
    }
    if (b.len == 0 || (b.len == 1 && b.p[0] == '.'))
        goto bad;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < n && is_digit(s[j])) {
            if (xc_buf_put(&b, s + i, j - i) != XC_OK)
                goto nomem;
            i = j;
            while (i < n && is_digit(s[i]))
                if (xc_buf_putc(&b, s[i++]) != XC_OK)
                    goto nomem;
        } else {
            goto bad;
        }
    }
    while (i < n && is_space(s[i]))
        i++;
    if (!cur && (k = currency_len(s + i, n - i)) > 0) { /* "100€" */
        i += k;
        while (i < n && is_space(s[i]))
            i++;
    }
    if (i < n && s[i] == '%') {
        pct = 1;
        i++;
        while (i < n && is_space(s[i]))
            i++;
    }
    if (paren) {
        if (i >= n || s[i] != ')' || signed_)
            goto bad;
        neg = 1;
        i++;
    }
    if (i != n)
        goto bad;
    st = xc_num_parse(x, b.p, b.len, 0, NULL);
    xc_buf_clear(&b);
    if (st != XC_OK)
        return st == XC_ENOMEM ? st : XC_EPARSE;
    if (pct && (st = xc_num_scale10(x, x, -2)) != XC_OK)
        return st == XC_ENOMEM ? st : XC_EPARSE;
    if (neg && (st = xc_num_neg(x, x)) != XC_OK)
        return st;
    return XC_OK;
bad:
    xc_buf_clear(&b);
    return XC_EPARSE;
nomem:
    xc_buf_clear(&b);
    return XC_ENOMEM;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Excel serial of a civil date, with the 1900 system's fictitious
 * 1900-02-29 (serial 60).  Returns XC_EINVAL outside Excel's range. */
static int civil_serial(int y, int m, int d, int date1904, int64_t *serial)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || y > 9999)
        return XC_EINVAL;
    if (date1904) {
        if (y < 1904)
            return XC_EINVAL;
    } else if (y < 1900) {
        return XC_EINVAL;
    }
    if (!date1904 && y == 1900 && m == 2 && d == 29) {
        *serial = 60;
        return XC_OK;
    }
    if (d > mdays[m - 1] + (m == 2 && leap(y)))
        return XC_EINVAL;
    if (date1904) {
        *serial = days_civil(y, m, d) - days_civil(1904, 1, 1);
    } else {
        *serial = days_civil(y, m, d) - days_civil(1899, 12, 30);
        if (*serial < 61)
            (*serial)--;
    }
    return XC_OK;
}

/* Read 1..max digits at s[*i]; returns -1 when there are none. */
static long read_int(const char *s, size_t n, size_t *i, int max)
{
    long v = 0;
    int k = 0;
    while (*i < n && is_digit(s[*i]) && k < max) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k ? v : -1;
}

static int match_utf8(const char *s, size_t n, size_t *i, const char *lit)
{
    size_t k = strlen(lit);
    if (n - *i >= k && memcmp(s + *i, lit, k) == 0) {
        *i += k;
        return 1;
    }
    return 0;
}

/* A time "h:mm", "h:mm:ss", "h:mm:ss.fff", optionally with AM/PM, from
 * s[*i]; adds the fraction of a day to x. */
static int parse_time(const char *s, size_t n, size_t *i, xc_num *x)
{
    long h, mi, sec = 0;
    int64_t num, den = 86400;
    xc_num t;
    int st;

    if ((h = read_int(s, n, i, 4)) < 0 || *i >= n || s[*i] != ':')
        return XC_EPARSE;
    (*i)++;
    if ((mi = read_int(s, n, i, 2)) < 0 || mi > 59)
        return XC_EPARSE;
    num = 0;
    if (*i < n && s[*i] == ':') {
        (*i)++;
        if ((sec = read_int(s, n, i, 2)) < 0 || sec > 59)
            return XC_EPARSE;
        if (*i < n && s[*i] == '.') {
            (*i)++;
            long frac = 0, scale = 1;
            int k = 0;
            while (*i < n && is_digit(s[*i])) {
                if (k < 6) {
                    frac = frac * 10 + (s[*i] - '0');
                    scale *= 10;
                }
                k++;
                (*i)++;
            }
            num = frac;
            den *= scale;
            h *= scale;
            mi *= scale;
            sec *= scale;
        }
    }
    while (*i < n && is_space(s[*i]))
        (*i)++;
    if (n - *i >= 2 &&
        (s[*i] == 'A' || s[*i] == 'a' || s[*i] == 'P' || s[*i] == 'p') &&
        (s[*i + 1] == 'M' || s[*i + 1] == 'm')) {
        int pm = s[*i] == 'P' || s[*i] == 'p';
        long unit = den / 86400; /* the fractional-second scale */
        long hh = h / unit;
        if (hh < 1 || hh > 12)
            return XC_EPARSE;
        if (hh == 12)
            h -= 12 * unit;
        if (pm)
            h += 12 * unit;
        *i += 2;
    }
    num += (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
    xc_num_init(&t);
    st = xc_num_set_frac(&t, num, den);
    if (st == XC_OK)
        st = xc_num_add(x, x, &t);
    xc_num_clear(&t);
    return st;
}

/* An English month name or its three-letter abbreviation at s[*i]
 * ("Feb", "february", any case): 1..12, or 0. */
static int read_month(const char *s, size_t n, size_t *i)
{
    static const char *const names[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    size_t k = 0;
    char w[10];

    while (*i + k < n && k < sizeof w &&
           ((s[*i + k] | 0x20) >= 'a' && (s[*i + k] | 0x20) <= 'z')) {
        w[k] = (char)(s[*i + k] | 0x20);
        k++;
    }
    if (k < 3 || k == sizeof w)
        return 0;
    for (int m = 0; m < 12; m++)
        if ((k == 3 || k == strlen(names[m])) && !strncmp(names[m], w, k)) {
            *i += k;
            return m + 1;
        }
    return 0;
}

/* "4PM", "12 am": an hour (1..12, digits ending at s[i]) and AM/PM
 * only, as a fraction of a day in x. */
static int hour_ampm(const char *s, size_t n, size_t i, xc_num *x)
{
    long h = 0;
    for (size_t k = 0; k < i; k++)
        h = h * 10 + (s[k] - '0');
    while (i < n && is_space(s[i]))
        i++;
    if (n - i != 2 || !((s[i] | 0x20) == 'a' || (s[i] | 0x20) == 'p') ||
        (s[i + 1] | 0x20) != 'm')
        return XC_EPARSE;
    h %= 12;
    if ((s[i] | 0x20) == 'p')
        h += 12;
    return xc_num_set_frac(x, h, 24);
}

/* Dates "2024-02-29", "2024/2/29", "2024年2月29日", "29-Feb-2024",
 * "29 February 2024", "29/2/2024", each optionally followed by a time;
 * or a time alone. */
static int parse_datetime(const char *s, size_t n, int date1904, xc_num *x)
{
    size_t i = 0;
    long y, m, d;
    int64_t serial;
    int st;

    xc_num_set_int(x, 0);
    y = read_int(s, n, &i, 4);
    if (y >= 0 && i < n && s[i] == ':') {
        i = 0;
        if ((st = parse_time(s, n, &i, x)) != XC_OK)
            return st;
        return i == n ? XC_OK : XC_EPARSE;
    }
    if (y >= 1 && y <= 12 && i <= 2 && hour_ampm(s, n, i, x) == XC_OK)
        return XC_OK;
    if (y >= 1 && y <= 31 && i <= 2 && i + 1 < n &&
        (s[i] == '/' || s[i] == '-') && is_digit(s[i + 1])) {
        /* day first, "2/3/2023" = 2 March, "10-12-1999" = 10 December:
         * how the Excel that computed the IronCalc suite read them (its
         * cached 44987 and 36504).  The order is a locale setting in
         * Excel; forms write dates year first (2024年12月31日).  Two-digit
         * years 00-29 are 2000-2029, 30-99 are 1930-1999. */
        char sep = s[i++];
        d = y;
        if ((m = read_int(s, n, &i, 2)) < 0 || m < 1 || m > 12 || i >= n ||
            s[i] != sep)
            return XC_EPARSE;
        i++;
        size_t y0 = i;
        if ((y = read_int(s, n, &i, 4)) < 0)
            return XC_EPARSE;
        if (i - y0 == 2)
            y += y < 30 ? 2000 : 1900;
        else if (i - y0 != 4)
            return XC_EPARSE;
    } else if (y >= 1 && i <= 2 && i < n && (s[i] == '-' || s[i] == ' ')) {
        char sep = s[i++];
        d = y;
        if ((m = read_month(s, n, &i)) == 0 || i >= n || s[i] != sep)
            return XC_EPARSE;
        i++;
        size_t y0 = i;
        if ((y = read_int(s, n, &i, 4)) < 0 || i - y0 != 4)
            return XC_EPARSE;
    } else if (y < 0 || i != 4) {
        return XC_EPARSE;
    } else if (i < n && (s[i] == '-' || s[i] == '/')) {
        char sep = s[i++];
        if ((m = read_int(s, n, &i, 2)) < 0 || i >= n || s[i] != sep)
            return XC_EPARSE;
        i++;
        if ((d = read_int(s, n, &i, 2)) < 0)
            return XC_EPARSE;
    } else if (match_utf8(s, n, &i, "\xE5\xB9\xB4")) { /* 年 */
        if ((m = read_int(s, n, &i, 2)) < 0 ||
            !match_utf8(s, n, &i, "\xE6\x9C\x88")) /* 月 */
            return XC_EPARSE;
        if ((d = read_int(s, n, &i, 2)) < 0 ||
            !match_utf8(s, n, &i, "\xE6\x97\xA5")) /* 日 */
            return XC_EPARSE;
    } else {
        return XC_EPARSE;
    }
    if (civil_serial((int)y, (int)m, (int)d, date1904, &serial) != XC_OK)
        return XC_EPARSE;
    xc_num_set_int(x, serial);
    if (i < n && (is_space(s[i]) || s[i] == 'T')) {
        while (i < n && (is_space(s[i]) || s[i] == 'T'))
            i++;
        if (i < n && (st = parse_time(s, n, &i, x)) != XC_OK)
            return st;
    }
    return i == n ? XC_OK : XC_EPARSE;
}

/* Does s start with a time (digits then ':') rather than a date? */
static int is_time_only(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    return i > 0 && i < n && s[i] == ':';
}

/* Spaces around a number are fine (" 12 " is 12), but Excel reads no
 * date with a space before or after it: " 2024-01-10 " is #VALUE!.  A
 * time alone keeps the trimming. */
int xc_text_to_num(const char *s, size_t n, int date1904, xc_num *x)
{
    xc_num t;
    size_t n0 = n;
    int st;

    while (n > 0 && is_space(s[0])) {
        s++;
        n--;
    }
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0)
        return XC_EPARSE;
    xc_num_init(&t);
    st = parse_plain(s, n, &t);
    if (st == XC_EPARSE) {
        st = parse_datetime(s, n, date1904, &t);
        if (st == XC_OK && n != n0 && !is_time_only(s, n))
            st = XC_EPARSE;
    }
    if (st == XC_OK)
        st = xc_num_set(x, &t);
    xc_num_clear(&t);
    return st;
}

/* ---- Coercion ----------------------------------------------------- */

int xc_to_number(const xc_value *in, xc_value *out)
{
    xc_num x;
    int st;

    switch (in->type) {
    case XC_NUMBER:
    case XC_ERROR:
        return xc_value_copy(out, in);
    case XC_EMPTY:
        xc_value_clear(out);
        xc_value_set_int(out, 0);
        return XC_OK;
    case XC_BOOL:
        xc_value_clear(out);
        xc_value_set_int(out, in->u.b ? 1 : 0);
        return XC_OK;
    case XC_TEXT:
        xc_num_init(&x);
        st = xc_text_to_num(in->u.str->s, in->u.str->len, 0, &x);
        if (st == XC_OK)
            return xc_result_num(out, &x, 0);
        xc_num_clear(&x);
        if (st == XC_ENOMEM)
            return st;
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    default:
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    }
}

int xc_to_text(const xc_value *in, xc_value *out)
{
    xc_buf b;
    int st;

    switch (in->type) {
    case XC_TEXT:
    case XC_ERROR:
        return xc_value_copy(out, in);
    case XC_EMPTY:
        xc_value_clear(out);
        return xc_value_set_text(out, "", 0);
    case XC_BOOL:
        xc_value_clear(out);
        return xc_value_set_text(out, in->u.b ? "TRUE" : "FALSE",
                                 in->u.b ? 4 : 5);
    case XC_NUMBER:
        xc_buf_init(&b);
        st = xc_num_format(&b, &in->u.num, XC_FMT_GENERAL);
        xc_value_clear(out);
        if (st == XC_OK)
            st = xc_value_set_text(out, b.p ? b.p : "", b.len);
        xc_buf_clear(&b);
        return st;
    default:
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    }
}

int xc_to_bool(const xc_value *in, xc_value *out)
{
    switch (in->type) {
    case XC_BOOL:
    case XC_ERROR:
        return xc_value_copy(out, in);
    case XC_EMPTY:
        xc_value_clear(out);
        xc_value_set_bool(out, 0);
        return XC_OK;
    case XC_NUMBER:
        xc_value_clear(out);
        xc_value_set_bool(out, !xc_num_is_zero(&in->u.num));
        return XC_OK;
    case XC_TEXT:
        if (xc_text_cmp_ci(in->u.str->s, in->u.str->len, "TRUE", 4) == 0) {
            xc_value_clear(out);
            xc_value_set_bool(out, 1);
            return XC_OK;
        }
        if (xc_text_cmp_ci(in->u.str->s, in->u.str->len, "FALSE", 5) == 0) {
            xc_value_clear(out);
            xc_value_set_bool(out, 0);
            return XC_OK;
        }
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    default:
        xc_result_error(out, XC_ERR_VALUE);
        return XC_OK;
    }
}

/* Arguments 0..n-1 converted in place to numbers the way Excel's former
 * Analysis ToolPak functions (and a few strict financial ones) take
 * them: a logical, direct or from a cell, is #VALUE! (SERIESSUM(TRUE,...),
 * QUOTIENT(TRUE,1)), numeric text is read, an empty argument stays empty.
 * Returns 0 or the spreadsheet error; *st is a C failure. */
xc_error xc_args_strict(xc_fncall *c, int n, int *st)
{
    *st = XC_OK;
    for (int i = 0; i < n && i < c->argc; i++) {
        xc_value v = {0};
        if (c->argv[i].type == XC_BOOL)
            return XC_ERR_VALUE;
        if (c->argv[i].type == XC_NUMBER || c->argv[i].type == XC_EMPTY)
            continue;
        if ((*st = xc_to_number(&c->argv[i], &v)) != XC_OK)
            return XC_ERR_VALUE;
        if (v.type != XC_NUMBER) {
            xc_value_clear(&v);
            return XC_ERR_VALUE;
        }
        xc_value_clear(&c->argv[i]);
        xc_value_move(&c->argv[i], &v);
    }
    return XC_ERR_NONE;
}

/* ---- Grids -------------------------------------------------------- */

static const xc_value empty_value;

int xc_grid_init(xc_grid *g, xc_eval *ev, const xc_value *v)
{
    memset(g, 0, sizeof *g);
    g->ev = ev;
    g->v = v;
    if (v->type == XC_REF) {
        if (v->u.ref->n != 1 || v->u.ref->a[0].sheet != v->u.ref->a[0].sheet2)
            return XC_EINVAL;
        g->area = v->u.ref->a[0];
        g->rows = g->area.r2 - g->area.r1 + 1;
        g->cols = g->area.c2 - g->area.c1 + 1;
    } else if (v->type == XC_ARRAY) {
        g->rows = v->u.arr->rows;
        g->cols = v->u.arr->cols;
    } else {
        g->rows = g->cols = 1;
    }
    return XC_OK;
}

const xc_value *xc_grid_get(xc_grid *g, uint32_t r, uint32_t c)
{
    if (r >= g->rows || c >= g->cols)
        return &empty_value;
    if (g->v->type == XC_REF)
        return xc_book_get(g->ev->book, g->area.sheet, g->area.r1 + r,
                           g->area.c1 + c);
    if (g->v->type == XC_ARRAY)
        return &g->v->u.arr->v[(size_t)r * g->cols + c];
    return g->v;
}

/* ---- Visiting ----------------------------------------------------- */

/* Every cell of one sheet's rectangle: all positions when with_empty,
 * else only the stored cells. */
static int visit_area(xc_eval *ev, int sheet, const xc_area *a, int with_empty,
                      xc_visit_fn fn, void *ud)
{
    size_t k = 0;
    int st;

    if (with_empty) {
        for (uint32_t r = a->r1; r <= a->r2; r++)
            for (uint32_t c = a->c1; c <= a->c2; c++) {
                if ((++k & 0xFFFF) == 0 && xc_interrupted())
                    return XC_EINTR;
                st = fn(ud, xc_book_get(ev->book, sheet, r, c), 1);
                if (st != XC_OK)
                    return st;
                if (c == UINT32_MAX)
                    break;
            }
        return XC_OK;
    }
    xc_area one = *a;
    xc_iter it;
    uint32_t r, c;
    one.sheet = one.sheet2 = sheet;
    xc_iter_init(&it, ev->book, &one);
    while (xc_iter_next(&it, &r, &c)) {
        if ((++k & 0xFFFF) == 0 && xc_interrupted())
            return XC_EINTR;
        const xc_value *v = xc_book_get(ev->book, sheet, r, c);
        if (v->type == XC_EMPTY)
            continue;
        st = fn(ud, v, 1);
        if (st != XC_OK)
            return st;
    }
    return XC_OK;
}

int xc_visit(xc_eval *ev, const xc_value *arg, int with_empty, xc_visit_fn fn,
             void *ud)
{
    int st = XC_OK;

    if (arg->type == XC_REF) {
        int nsheets = xc_book_sheet_count(ev->book);
        for (uint32_t i = 0; i < arg->u.ref->n && st == XC_OK; i++) {
            const xc_area *a = &arg->u.ref->a[i];
            for (int s = a->sheet; s <= a->sheet2 && st == XC_OK; s++)
                if (s >= 0 && s < nsheets)
                    st = visit_area(ev, s, a, with_empty, fn, ud);
        }
    } else if (arg->type == XC_ARRAY) {
        const xc_array *ar = arg->u.arr;
        size_t cnt = (size_t)ar->rows * ar->cols;
        for (size_t i = 0; i < cnt && st == XC_OK; i++)
            if (with_empty || ar->v[i].type != XC_EMPTY)
                st = fn(ud, &ar->v[i], 2);
    } else {
        st = fn(ud, arg, 0);
    }
    return st == XC_ENOTFOUND ? XC_OK : st;
}

/* ---- Number vectors ----------------------------------------------- */

void xc_numvec_init(xc_numvec *nv)
{
    memset(nv, 0, sizeof *nv);
}

void xc_numvec_clear(xc_numvec *nv)
{
    for (size_t i = 0; i < nv->n; i++)
        xc_num_clear(&nv->v[i]);
    xc_free(nv->v);
    memset(nv, 0, sizeof *nv);
}

static int numvec_push(xc_numvec *nv, const xc_num *x)
{
    if (nv->n == nv->cap) {
        size_t cap = nv->cap ? nv->cap * 2 : 16;
        xc_num *p = xc_realloc(nv->v, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        nv->v = p;
        nv->cap = cap;
    }
    xc_num_init(&nv->v[nv->n]);
    int st = xc_num_set(&nv->v[nv->n], x);
    if (st != XC_OK) {
        xc_num_clear(&nv->v[nv->n]);
        return st;
    }
    nv->n++;
    return XC_OK;
}

typedef struct collect_ctx {
    xc_numvec *nv;
    xc_error *err;
} collect_ctx;

/* Direct arguments are coerced; inside references and arrays only
 * numbers count (errors still propagate). */
static int collect_one(void *ud, const xc_value *v, int from_ref)
{
    collect_ctx *cc = ud;
    xc_value t = {0};
    int st;

    if (v->type == XC_ERROR) {
        *cc->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if (v->type == XC_NUMBER) {
        if (v->flags & XC_VAL_INEXACT)
            cc->nv->inexact = 1;
        return numvec_push(cc->nv, &v->u.num);
    }
    if (from_ref)
        return XC_OK;
    if ((st = xc_to_number(v, &t)) != XC_OK)
        return st;
    if (t.type == XC_ERROR) {
        *cc->err = (xc_error)t.err;
        xc_value_clear(&t);
        return XC_ENOTFOUND;
    }
    st = numvec_push(cc->nv, &t.u.num);
    xc_value_clear(&t);
    return st;
}

int xc_collect_nums(xc_fncall *c, int from_arg, xc_numvec *nv, xc_error *err)
{
    collect_ctx cc = {nv, err};
    int st = XC_OK;

    *err = XC_ERR_NONE;
    for (int i = from_arg; i < c->argc && st == XC_OK; i++) {
        if (c->argv) {
            st = xc_visit(c->ev, &c->argv[i], 0, collect_one, &cc);
        } else {
            xc_value v = {0};
            st = xc_fn_arg(c, i, 'a', &v);
            if (st == XC_OK)
                st = xc_visit(c->ev, &v, 0, collect_one, &cc);
            xc_value_clear(&v);
        }
        if (*err != XC_ERR_NONE)
            break;
    }
    return st;
}
