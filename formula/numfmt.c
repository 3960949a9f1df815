/* numfmt.c - Excel number-format codes (cell display and TEXT).
 * Interim version: General, fixed decimals ("0", "0.00"), thousands
 * separators ("#,##0.00") and percent ("0%", "0.00%"); anything else
 * falls back to General.  To be replaced by the full formatter. */
#include <string.h>
#include "formula_int.h"

/* Count the decimals and flags of a simple numeric section. */
static int simple_code(const char *code, int *decimals, int *percent,
                       int *thousands)
{
    const char *p = code;
    int seen_digit = 0, after_point = 0;
    *decimals = *percent = *thousands = 0;
    for (; *p && *p != ';'; p++) {
        if (*p == '0' || *p == '#') {
            seen_digit = 1;
            if (after_point)
                (*decimals)++;
        } else if (*p == '.') {
            after_point = 1;
        } else if (*p == ',') {
            *thousands = 1;
        } else if (*p == '%') {
            *percent = 1;
        } else {
            return -1;
        }
    }
    return seen_digit ? 0 : -1;
}

static int group_thousands(xc_buf *out, const char *s)
{
    const char *dot = strchr(s, '.');
    size_t intlen = dot ? (size_t)(dot - s) : strlen(s);
    size_t start = (s[0] == '-') ? 1 : 0;
    if (start)
        xc_buf_putc(out, '-');
    for (size_t i = start; i < intlen; i++) {
        xc_buf_putc(out, s[i]);
        size_t left = intlen - i - 1;
        if (left && left % 3 == 0)
            xc_buf_putc(out, ',');
    }
    return xc_buf_puts(out, s + intlen);
}

int xc_numfmt_format(xc_buf *out, const xc_value *v, const char *code,
                     int date1904)
{
    int decimals, percent, thousands;
    (void)date1904;
    if (v->type != XC_NUMBER || !code || !*code ||
        strcmp(code, "General") == 0 ||
        simple_code(code, &decimals, &percent, &thousands) != 0)
        return xc_value_format(out, v, XC_FMT_GENERAL);
    xc_num x;
    xc_buf t;
    int st;
    xc_num_init(&x);
    xc_buf_init(&t);
    st = percent ? xc_num_scale10(&x, &v->u.num, 2) : xc_num_set(&x, &v->u.num);
    if (st == XC_OK)
        st = xc_num_format_fixed(&t, &x, decimals);
    if (st == XC_OK)
        st = thousands ? group_thousands(out, t.p) : xc_buf_puts(out, t.p);
    if (st == XC_OK && percent)
        st = xc_buf_putc(out, '%');
    xc_num_clear(&x);
    xc_buf_clear(&t);
    return st;
}

int xc_format_value(xc_buf *out, const xc_value *v, const char *code,
                    int date1904)
{
    return xc_numfmt_format(out, v, code, date1904);
}
