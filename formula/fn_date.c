/* fn_date.c - spreadsheet functions of the "date" category, and the
 * conversion between Excel serial numbers and civil dates.
 *
 * A date is a serial day count: in the 1900 system serial 1 is
 * 1900-01-01 and serial 60 is the non-existent 1900-02-29 that Lotus
 * (and so Excel) believed in, so serials 1..59 are one day "early";
 * in the 1904 system serial 0 is 1904-01-01.  Times are fractions of
 * a day and stay exact rationals; clock parts are rounded to the
 * nearest second on the exact value, as Excel does. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "formula_int.h"

/* ---- Civil dates ------------------------------------------------------ */

/* Days from 1970-01-01 to the proleptic Gregorian date (y, m, d). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

#define MAX1900 2958465 /* 9999-12-31 */
#define MAX1904 2957003

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* Serial of (y, m, d) with m in 1..12 and any d (counted on from the
 * first of the month, as DATE does); range-checked. */
int xc_date_to_serial(int y, int m, int d, int date1904, int64_t *serial)
{
    int64_t s;
    if (m < 1 || m > 12)
        return XC_EINVAL;
    if (date1904) {
        s = days_from_civil(y, m, 1) - days_from_civil(1904, 1, 1) + d - 1;
        if (s < 0 || s > MAX1904)
            return XC_ELIMIT;
    } else {
        int64_t first =
            days_from_civil(y, m, 1) - days_from_civil(1899, 12, 31);
        /* from March 1900 on, count the phantom 1900-02-29 */
        if (first >= 60)
            first++;
        s = first + d - 1;
        if (s < 0 || s > MAX1900)
            return XC_ELIMIT;
    }
    *serial = s;
    return XC_OK;
}

int xc_serial_to_date(int64_t serial, int date1904, int *y, int *m, int *d)
{
    if (serial < 0 || serial > (date1904 ? MAX1904 : MAX1900))
        return XC_ELIMIT;
    if (date1904) {
        civil_from_days(days_from_civil(1904, 1, 1) + serial, y, m, d);
        return XC_OK;
    }
    if (serial == 0) {
        *y = 1900, *m = 1, *d = 0;
        return XC_OK;
    }
    if (serial == 60) {
        *y = 1900, *m = 2, *d = 29;
        return XC_OK;
    }
    if (serial > 60)
        serial--;
    civil_from_days(days_from_civil(1899, 12, 31) + serial, y, m, d);
    return XC_OK;
}

/* ---- Helpers ---------------------------------------------------------- */

static int d1904(xc_fncall *c)
{
    return c->ev->book ? xc_book_date1904(c->ev->book) : 0;
}

static int64_t maxserial(xc_fncall *c)
{
    return d1904(c) ? MAX1904 : MAX1900;
}

static int err_out(xc_value *out, xc_error e)
{
    xc_result_error(out, e);
    return XC_OK;
}

static int int_out(xc_value *out, int64_t v)
{
    xc_value_clear(out);
    xc_value_set_int(out, v);
    return XC_OK;
}

/* Argument i as a day serial: Excel rounds a serial to the nearest
 * second before taking its day, so 45000.999999 is day 45001; must be
 * within the calendar.  0 on success, else the error to return. */
static xc_error day_arg(xc_fncall *c, int i, int64_t *day)
{
    const xc_num *x = xc_arg_num(c, i);
    xc_num t;
    int st;
    if (xc_num_sign(x) < 0)
        return XC_ERR_NUM;
    if (xc_num_cmp_int(x, maxserial(c) + 1) >= 0)
        return XC_ERR_NUM;
    xc_num_init(&t);
    xc_num_set_int(&t, 86400);
    st = xc_num_mul(&t, &t, x);
    if (st == XC_OK)
        st = xc_num_round(&t, &t, 0, XC_ROUND_HALF_UP);
    if (st == XC_OK)
        st = xc_num_get_int64(&t, day);
    xc_num_clear(&t);
    if (st != XC_OK)
        return XC_ERR_NUM;
    *day /= 86400;
    if (*day > maxserial(c))
        return XC_ERR_NUM;
    return XC_ERR_NONE;
}

/* Argument i truncated to an int64 in [lo, hi]; 1 if it was clamped. */
static int iarg(xc_fncall *c, int i, int64_t def, int64_t lo, int64_t hi,
                int64_t *v)
{
    if (!xc_arg_given(c, i)) {
        *v = def;
        return 0;
    }
    return xc_num_trunc_clamp(xc_arg_num(c, i), lo, hi, v);
}

static void ymd(xc_fncall *c, int64_t day, int *y, int *m, int *d)
{
    xc_serial_to_date(day, d1904(c), y, m, d);
}

/* Day of week 0 = Sunday .. 6 = Saturday, as Excel counts it (the 1900
 * system takes serial 0 as a Saturday). */
static int wday(xc_fncall *c, int64_t day)
{
    return (int)((day + (d1904(c) ? 5 : 6)) % 7);
}

/* Serial of a civil date that may be out of range: #NUM! then. */
static int serial_out(xc_fncall *c, xc_value *out, int y, int m, int d)
{
    int64_t s;
    if (y < 0 || y > 9999 || xc_date_to_serial(y, m, d, d1904(c), &s) != XC_OK)
        return err_out(out, XC_ERR_NUM);
    return int_out(out, s);
}

/* Seconds of the day in a serial x >= 0: x*86400 rounded half up. */
static int day_seconds(const xc_num *x, int64_t *days, int64_t *secs)
{
    xc_num t;
    int64_t n;
    int st;
    xc_num_init(&t);
    xc_num_set_int(&t, 86400);
    st = xc_num_mul(&t, &t, x);
    if (st == XC_OK)
        st = xc_num_round(&t, &t, 0, XC_ROUND_HALF_UP);
    if (st == XC_OK)
        st = xc_num_get_int64(&t, &n);
    xc_num_clear(&t);
    if (st != XC_OK)
        return st;
    *days = n / 86400;
    *secs = n % 86400;
    return XC_OK;
}

/* ---- Construction ----------------------------------------------------- */

/* DATE(year, month, day): years 0..1899 add 1900; months and days
 * overflow into the neighbouring months and years. */
static int fn_date(xc_fncall *c, xc_value *out)
{
    int64_t y, m, d, s;
    iarg(c, 0, 0, -1, 100000, &y);
    iarg(c, 1, 0, -2000000, 2000000, &m);
    iarg(c, 2, 0, -100000000, 100000000, &d);
    if (y < 0 || y >= 10000)
        return err_out(out, XC_ERR_NUM);
    if (y < 1900)
        y += 1900;
    m -= 1;
    y += m >= 0 ? m / 12 : -((-m + 11) / 12);
    m = m - (m >= 0 ? m / 12 : -((-m + 11) / 12)) * 12;
    if (y < 0 || y > 9999)
        return err_out(out, XC_ERR_NUM);
    if (d1904(c)) {
        s = days_from_civil(y, m + 1, 1) - days_from_civil(1904, 1, 1) + d - 1;
        if (s < 0 || s > MAX1904)
            return err_out(out, XC_ERR_NUM);
    } else {
        int64_t first =
            days_from_civil(y, m + 1, 1) - days_from_civil(1899, 12, 31);
        if (first >= 60)
            first++;
        s = first + d - 1;
        if (s < 0 || s > MAX1900)
            return err_out(out, XC_ERR_NUM);
    }
    return int_out(out, s);
}

static int part(xc_fncall *c, xc_value *out, int which)
{
    int64_t day;
    int y = 0, m = 0, d = 0;
    xc_error e = day_arg(c, 0, &day);
    if (e)
        return err_out(out, e);
    ymd(c, day, &y, &m, &d);
    return int_out(out, which == 0 ? y : which == 1 ? m : d);
}

static int fn_year(xc_fncall *c, xc_value *out)
{
    return part(c, out, 0);
}

static int fn_month(xc_fncall *c, xc_value *out)
{
    return part(c, out, 1);
}

static int fn_day(xc_fncall *c, xc_value *out)
{
    return part(c, out, 2);
}

/* Clock parts: the fraction of the day rounded to the nearest second. */
static int clock_part(xc_fncall *c, xc_value *out, int which)
{
    int64_t days, secs;
    if (xc_num_sign(xc_arg_num(c, 0)) < 0)
        return err_out(out, XC_ERR_NUM);
    if (day_seconds(xc_arg_num(c, 0), &days, &secs) != XC_OK)
        return err_out(out, XC_ERR_NUM);
    if (which == 0)
        return int_out(out, secs / 3600);
    if (which == 1)
        return int_out(out, secs / 60 % 60);
    return int_out(out, secs % 60);
}

static int fn_hour(xc_fncall *c, xc_value *out)
{
    return clock_part(c, out, 0);
}

static int fn_minute(xc_fncall *c, xc_value *out)
{
    return clock_part(c, out, 1);
}

static int fn_second(xc_fncall *c, xc_value *out)
{
    return clock_part(c, out, 2);
}

/* TIME(hour, minute, second): the total wrapped into one day. */
static int fn_time(xc_fncall *c, xc_value *out)
{
    int64_t h, m, s, tot;
    xc_num r;
    if (iarg(c, 0, 0, -1, 32768, &h) ||
        iarg(c, 1, 0, -10000000, 10000000, &m) ||
        iarg(c, 2, 0, -1000000000, 1000000000, &s) || h < 0 || h > 32767)
        return err_out(out, XC_ERR_NUM);
    tot = h * 3600 + m * 60 + s;
    if (tot < 0)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&r);
    xc_num_set_frac(&r, tot % 86400, 86400);
    return xc_result_num(out, &r, 0);
}

/* Parse a text argument as a date/time (DATEVALUE, TIMEVALUE). */
static int text_serial(xc_fncall *c, xc_num *x)
{
    const xc_value *v = &c->argv[0];
    if (v->type != XC_TEXT)
        return XC_EPARSE;
    return xc_text_to_num(v->u.str->s, v->u.str->len, d1904(c), x);
}

/* Does the text look like a date or time (not a plain number)? */
static int has_date_sep(const xc_value *v)
{
    const char *s = v->u.str->s;
    if (strpbrk(s, "-/:") != NULL || strstr(s, "\xE5\xB9\xB4") != NULL ||
        strstr(s, "\xE6\x9C\x88") != NULL)
        return 1;
    /* an hour with AM/PM alone ("4PM") */
    for (const char *p = s; *p && p[1]; p++)
        if ((*p == 'A' || *p == 'a' || *p == 'P' || *p == 'p') &&
            (p[1] == 'M' || p[1] == 'm'))
            return 1;
    return 0;
}

static const char *mon3[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                               "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/* Month named at s (3 letters or the full English name); 0 if none.
 * *len receives the letters consumed. */
static int month_word(const char *s, size_t n, size_t *len)
{
    size_t k = 0;
    while (k < n && ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))
        k++;
    if (k < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if ((s[0] & ~0x20) == mon3[m][0] && (s[1] & ~0x20) == mon3[m][1] &&
            (s[2] & ~0x20) == mon3[m][2]) {
            *len = k;
            return m + 1;
        }
    return 0;
}

static size_t read_int(const char *s, size_t n, int64_t *v)
{
    size_t k = 0;
    *v = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9' && k < 9)
        *v = *v * 10 + (s[k++] - '0');
    return k;
}

/* Dates with an English month name: "29-Feb-1900", "1 Mar 2024",
 * "Mar 1, 2024", "1-Mar" (this year is not known here: 1900 rules
 * need a year, so a missing year is rejected). */
static int named_date(xc_fncall *c, const char *s, size_t n, int64_t *serial)
{
    int64_t d = 0, y = 0;
    int m = 0;
    size_t p = 0, k, ml = 0;
    while (p < n && s[p] == ' ')
        p++;
    if ((k = read_int(s + p, n - p, &d)) > 0) {
        p += k;
        while (p < n && (s[p] == '-' || s[p] == ' ' || s[p] == '/'))
            p++;
        if (!(m = month_word(s + p, n - p, &ml)))
            return XC_EPARSE;
        p += ml;
        while (p < n &&
               (s[p] == '-' || s[p] == ' ' || s[p] == '/' || s[p] == ','))
            p++;
        if ((k = read_int(s + p, n - p, &y)) == 0)
            return XC_EPARSE;
        p += k;
    } else if ((m = month_word(s + p, n - p, &ml)) != 0) {
        p += ml;
        while (p < n && (s[p] == ' ' || s[p] == '-'))
            p++;
        if ((k = read_int(s + p, n - p, &d)) == 0)
            return XC_EPARSE;
        p += k;
        while (p < n && (s[p] == ',' || s[p] == ' ' || s[p] == '-'))
            p++;
        if ((k = read_int(s + p, n - p, &y)) == 0)
            return XC_EPARSE;
        p += k;
    } else {
        return XC_EPARSE;
    }
    while (p < n && s[p] == ' ')
        p++;
    if (p != n)
        return XC_EPARSE;
    if (k <= 2)
        y += y < 30 ? 2000 : 1900;
    if (d < 1 || d > (m == 2 && y == 1900 ? 29 : month_days(y, m)))
        return XC_EPARSE;
    return xc_date_to_serial((int)y, m, (int)d, d1904(c), serial);
}

static int fn_datevalue(xc_fncall *c, xc_value *out)
{
    xc_num x;
    int st;
    int64_t ns;
    if (c->argv[0].type == XC_TEXT &&
        named_date(c, c->argv[0].u.str->s, c->argv[0].u.str->len, &ns) == XC_OK)
        return int_out(out, ns);
    xc_num_init(&x);
    if (text_serial(c, &x) != XC_OK || !has_date_sep(&c->argv[0]) ||
        xc_num_sign(&x) < 0) {
        xc_num_clear(&x);
        return err_out(out, XC_ERR_VALUE);
    }
    st = xc_num_round(&x, &x, 0, XC_ROUND_FLOOR);
    if (st != XC_OK) {
        xc_num_clear(&x);
        return err_out(out, XC_ERR_VALUE);
    }
    return xc_result_num(out, &x, 0);
}

static int fn_timevalue(xc_fncall *c, xc_value *out)
{
    xc_num x, f;
    int st;
    xc_num_init(&x);
    xc_num_init(&f);
    if (text_serial(c, &x) != XC_OK || !has_date_sep(&c->argv[0]) ||
        xc_num_sign(&x) < 0) {
        xc_num_clear(&x);
        xc_num_clear(&f);
        return err_out(out, XC_ERR_VALUE);
    }
    st = xc_num_round(&f, &x, 0, XC_ROUND_FLOOR);
    if (st == XC_OK)
        st = xc_num_sub(&x, &x, &f);
    xc_num_clear(&f);
    if (st != XC_OK) {
        xc_num_clear(&x);
        return err_out(out, XC_ERR_VALUE);
    }
    return xc_result_num(out, &x, 0);
}

/* Today's serial and the seconds into the day, from the local clock. */
static int now_parts(xc_fncall *c, int64_t *day, int64_t *secs)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return XC_EINVAL;
    if (xc_date_to_serial(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          d1904(c), day) != XC_OK)
        return XC_EINVAL;
    *secs = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return XC_OK;
}

static int fn_today(xc_fncall *c, xc_value *out)
{
    int64_t day, secs;
    if (now_parts(c, &day, &secs) != XC_OK)
        return err_out(out, XC_ERR_NUM);
    return int_out(out, day);
}

static int fn_now(xc_fncall *c, xc_value *out)
{
    int64_t day, secs;
    xc_num r;
    if (now_parts(c, &day, &secs) != XC_OK)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&r);
    xc_num_set_frac(&r, day * 86400 + secs, 86400);
    return xc_result_num(out, &r, 0);
}

/* ---- Month arithmetic -------------------------------------------------- */

static int add_months(xc_fncall *c, xc_value *out, int eom)
{
    int64_t day, k;
    int y, m, d;
    xc_error e = day_arg(c, 0, &day);
    if (e)
        return err_out(out, e);
    /* months: a logical is #VALUE!, numeric text counts */
    const xc_value *mv = &c->argv[1];
    if (mv->type == XC_BOOL)
        return err_out(out, XC_ERR_VALUE);
    if (mv->type == XC_TEXT) {
        xc_value nv = {0};
        int st = xc_to_number(mv, &nv);
        if (st != XC_OK)
            return st;
        if (nv.type != XC_NUMBER) {
            xc_value_clear(&nv);
            return err_out(out, XC_ERR_VALUE);
        }
        xc_num_trunc_clamp(&nv.u.num, -200000, 200000, &k);
        xc_value_clear(&nv);
    } else {
        iarg(c, 1, 0, -200000, 200000, &k);
    }
    ymd(c, day, &y, &m, &d);
    int64_t mm = (int64_t)y * 12 + (m - 1) + k;
    if (mm < 0)
        return err_out(out, XC_ERR_NUM);
    int ny = (int)(mm / 12), nm = (int)(mm % 12) + 1;
    if (ny > 9999 || ny < (d1904(c) ? 1904 : 1900))
        return err_out(out, XC_ERR_NUM);
    int md = month_days(ny, nm);
    return serial_out(c, out, ny, nm, eom ? md : (d > md ? md : d));
}

static int fn_edate(xc_fncall *c, xc_value *out)
{
    return add_months(c, out, 0);
}

static int fn_eomonth(xc_fncall *c, xc_value *out)
{
    return add_months(c, out, 1);
}

/* DATEDIF(start, end, unit) */
static int fn_datedif(xc_fncall *c, xc_value *out)
{
    int64_t a, b;
    int y1, m1, d1, y2, m2, d2;
    xc_error e = day_arg(c, 0, &a);
    if (!e)
        e = day_arg(c, 1, &b);
    if (e)
        return err_out(out, e);
    if (a > b)
        return err_out(out, XC_ERR_NUM);
    const xc_value *u = &c->argv[2];
    char unit[3] = {0};
    if (u->type != XC_TEXT || u->u.str->len < 1 || u->u.str->len > 2)
        return err_out(out, XC_ERR_NUM);
    for (size_t i = 0; i < u->u.str->len; i++)
        unit[i] = (char)(u->u.str->s[i] & ~0x20);
    ymd(c, a, &y1, &m1, &d1);
    ymd(c, b, &y2, &m2, &d2);
    int64_t months = (int64_t)(y2 - y1) * 12 + (m2 - m1) - (d2 < d1);
    if (!strcmp(unit, "D"))
        return int_out(out, b - a);
    if (!strcmp(unit, "M"))
        return int_out(out, months);
    if (!strcmp(unit, "Y"))
        return int_out(out, months / 12);
    if (!strcmp(unit, "YM"))
        return int_out(out, months % 12);
    if (!strcmp(unit, "MD")) {
        if (d2 >= d1)
            return int_out(out, d2 - d1);
        int pm = m2 == 1 ? 12 : m2 - 1, py = m2 == 1 ? y2 - 1 : y2;
        return int_out(out, month_days(py, pm) - d1 + d2);
    }
    if (!strcmp(unit, "YD")) {
        int yy = y2;
        if (m1 > m2 || (m1 == m2 && d1 > d2))
            yy--;
        int mm = m1, dd = d1;
        if (m1 == 2 && d1 == 29 && !is_leap(yy))
            mm = 3, dd = 1; /* as DATE(yy,2,29) rolls over */
        int64_t s1 = days_from_civil(yy, mm, dd),
                s2 = days_from_civil(y2, m2, d2);
        return int_out(out, s2 - s1);
    }
    return err_out(out, XC_ERR_NUM);
}

/* ---- Weekdays and weeks ------------------------------------------------- */

/* First day of the week (0 = Sunday) for a WEEKDAY/WEEKNUM return type,
 * or -1. */
static int week_start(int64_t type)
{
    switch (type) {
    case 1:
    case 17:
        return 0;
    case 2:
    case 11:
        return 1;
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
        return (int)(type - 10);
    default:
        return -1;
    }
}

static int fn_weekday(xc_fncall *c, xc_value *out)
{
    int64_t day, type;
    xc_error e = day_arg(c, 0, &day);
    if (e)
        return err_out(out, e);
    iarg(c, 1, 1, -1, 100, &type);
    int w = wday(c, day);
    if (type == 3)
        return int_out(out, (w + 6) % 7);
    int s = week_start(type);
    if (s < 0)
        return err_out(out, XC_ERR_NUM);
    return int_out(out, (w - s + 7) % 7 + 1);
}

static int64_t iso_week(xc_fncall *c, int64_t day)
{
    int y, m, d;
    ymd(c, day, &y, &m, &d);
    int64_t doy = days_from_civil(y, m, d) - days_from_civil(y, 1, 1) + 1;
    int wd = (int)((days_from_civil(y, m, d) % 7 + 7 + 4) % 7); /* 0=Sun */
    int iso = wd == 0 ? 7 : wd;
    int64_t w = (doy - iso + 10) / 7;
    if (w < 1) {
        /* last week of the previous year */
        int64_t jan1 = days_from_civil(y - 1, 1, 1);
        int j = (int)((jan1 % 7 + 7 + 4) % 7);
        return (j == 4 || (j == 3 && is_leap(y - 1))) ? 53 : 52;
    }
    if (w == 53) {
        int j = (int)((days_from_civil(y, 1, 1) % 7 + 7 + 4) % 7);
        if (!(j == 4 || (j == 3 && is_leap(y))))
            return 1;
    }
    return w;
}

static int fn_isoweeknum(xc_fncall *c, xc_value *out)
{
    int64_t day;
    xc_error e = day_arg(c, 0, &day);
    if (e)
        return err_out(out, e);
    return int_out(out, iso_week(c, day));
}

static int fn_weeknum(xc_fncall *c, xc_value *out)
{
    int64_t day, type;
    int y, m, d;
    xc_error e = day_arg(c, 0, &day);
    if (e)
        return err_out(out, e);
    iarg(c, 1, 1, -1, 100, &type);
    if (type == 21)
        return int_out(out, iso_week(c, day));
    int s = week_start(type);
    if (s < 0 || type == 3)
        return err_out(out, XC_ERR_NUM);
    ymd(c, day, &y, &m, &d);
    int64_t jan1;
    if (xc_date_to_serial(y, 1, 1, d1904(c), &jan1) != XC_OK)
        jan1 = 0;
    int off = (wday(c, jan1) - s + 7) % 7;
    return int_out(out, (day - jan1 + off) / 7 + 1);
}

/* ---- Day counts -------------------------------------------------------- */

/* DAYS truncates its serials (no rounding to the second). */
static int fn_days(xc_fncall *c, xc_value *out)
{
    int64_t a, b;
    const xc_num *x = xc_arg_num(c, 0), *y = xc_arg_num(c, 1);
    if (xc_num_sign(x) < 0 || xc_num_sign(y) < 0 ||
        xc_num_trunc_clamp(x, 0, maxserial(c), &b) ||
        xc_num_trunc_clamp(y, 0, maxserial(c), &a))
        return err_out(out, XC_ERR_NUM);
    return int_out(out, b - a);
}

/* 30/360 day count: US (NASD) or European. */
static int64_t d360(int y1, int m1, int d1, int y2, int m2, int d2, int euro,
                    int yearfrac)
{
    if (euro) {
        if (d1 == 31)
            d1 = 30;
        if (d2 == 31)
            d2 = 30;
    } else {
        int feb1 = m1 == 2 && d1 == month_days(y1, 2);
        int feb2 = m2 == 2 && d2 == month_days(y2, 2);
        if (yearfrac && feb1 && feb2)
            d2 = 30;
        if (d1 == 31 || feb1)
            d1 = 30;
        if (d2 == 31) {
            if (d1 >= 30 || yearfrac)
                d2 = d1 >= 30 ? 30 : d2;
            else {
                d2 = 1;
                if (++m2 > 12)
                    m2 = 1, y2++;
            }
        }
    }
    return (int64_t)(y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1);
}

static int fn_days360(xc_fncall *c, xc_value *out)
{
    int64_t a, b;
    int y1, m1, d1, y2, m2, d2;
    xc_error e = day_arg(c, 0, &a);
    if (!e)
        e = day_arg(c, 1, &b);
    if (e)
        return err_out(out, e);
    int euro = xc_arg_given(c, 2) && c->argv[2].type == XC_BOOL ? c->argv[2].u.b
               : xc_arg_given(c, 2) ? !xc_num_is_zero(xc_arg_num(c, 2))
                                    : 0;
    ymd(c, a, &y1, &m1, &d1);
    ymd(c, b, &y2, &m2, &d2);
    return int_out(out, d360(y1, m1, d1, y2, m2, d2, euro, 0));
}

/* YEARFRAC's day count between serials a and b (any order) under basis
 * 0..4, exactly; r must be initialised.  XC_EINVAL for a bad basis. */
int xc_date_yearfrac(int64_t a, int64_t b, int basis, int date1904, xc_num *r)
{
    int y1, m1, d1, y2, m2, d2;
    if (basis < 0 || basis > 4)
        return XC_EINVAL;
    if (a > b) {
        int64_t t = a;
        a = b, b = t;
    }
    if (xc_serial_to_date(a, date1904, &y1, &m1, &d1) != XC_OK ||
        xc_serial_to_date(b, date1904, &y2, &m2, &d2) != XC_OK)
        return XC_EINVAL;
    switch (basis) {
    case 0:
        return xc_num_set_frac(r, d360(y1, m1, d1, y2, m2, d2, 0, 1), 360);
    case 4:
        return xc_num_set_frac(r, d360(y1, m1, d1, y2, m2, d2, 1, 1), 360);
    case 2:
        return xc_num_set_frac(r, b - a, 360);
    case 3:
        return xc_num_set_frac(r, b - a, 365);
    default: {
        int within =
            y1 == y2 || (y2 == y1 + 1 && (m1 > m2 || (m1 == m2 && d1 >= d2)));
        if (within) {
            int den = 365;
            if (y1 == y2 && is_leap(y1))
                den = 366;
            else if (y1 != y2) {
                /* a Feb 29 inside the span */
                if ((is_leap(y1) && (m1 < 3)) ||
                    (is_leap(y2) && (m2 > 2 || (m2 == 2 && d2 == 29))))
                    den = 366;
            }
            return xc_num_set_frac(r, b - a, den);
        }
        /* over several years: the average length of the years spanned */
        int64_t tot = days_from_civil(y2 + 1, 1, 1) - days_from_civil(y1, 1, 1);
        int64_t ny = y2 - y1 + 1;
        xc_num t;
        int st;
        xc_num_init(&t);
        xc_num_set_frac(r, b - a, 1);
        st = xc_num_set_frac(&t, ny, tot);
        if (st == XC_OK)
            st = xc_num_mul(r, r, &t);
        xc_num_clear(&t);
        return st;
    }
    }
}

static int fn_yearfrac(xc_fncall *c, xc_value *out)
{
    int64_t a, b, basis;
    xc_num r;
    xc_error e = day_arg(c, 0, &a);
    if (!e)
        e = day_arg(c, 1, &b);
    if (e)
        return err_out(out, e);
    iarg(c, 2, 0, -1, 5, &basis);
    if (basis < 0 || basis > 4)
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&r);
    if (xc_date_yearfrac(a, b, (int)basis, d1904(c), &r) != XC_OK) {
        xc_num_clear(&r);
        return err_out(out, XC_ERR_NUM);
    }
    return xc_result_num(out, &r, 0);
}

/* ---- Working days -------------------------------------------------------- */

typedef struct workcal {
    int weekend[7]; /* by 0 = Sunday */
    int all_week;   /* every day is a weekend day ("1111111") */
    int64_t *hol;
    size_t nhol, cap;
    xc_error err;
} workcal;

/* Weekend argument of the .INTL functions: a code 1..7, 11..17, or a
 * seven-character mask from Monday ("0000011"). */
static xc_error weekend_arg(workcal *w, const xc_value *v)
{
    memset(w->weekend, 0, sizeof w->weekend);
    if (v == NULL || v->type == XC_EMPTY) {
        w->weekend[0] = w->weekend[6] = 1;
        return XC_ERR_NONE;
    }
    if (v->type == XC_TEXT) {
        const char *s = v->u.str->s;
        int all = 1;
        if (v->u.str->len != 7)
            return XC_ERR_VALUE;
        for (int i = 0; i < 7; i++) {
            if (s[i] != '0' && s[i] != '1')
                return XC_ERR_VALUE;
            w->weekend[(i + 1) % 7] = s[i] == '1';
            all &= s[i] == '1';
        }
        w->all_week = all;
        return XC_ERR_NONE;
    }
    if (v->type == XC_ERROR)
        return (xc_error)v->err;
    int64_t k;
    if (v->type != XC_NUMBER)
        return XC_ERR_VALUE;
    xc_num_trunc_clamp(&v->u.num, -1, 100, &k);
    if (k >= 1 && k <= 7) {
        /* 1 Sat+Sun, 2 Sun+Mon, ... 7 Fri+Sat */
        int first = (int)((k + 5) % 7); /* Saturday for 1 */
        w->weekend[first] = w->weekend[(first + 1) % 7] = 1;
    } else if (k >= 11 && k <= 17) {
        w->weekend[(k - 11 + 0) % 7] = 1; /* 11 Sunday only */
    } else {
        return XC_ERR_NUM;
    }
    return XC_ERR_NONE;
}

static int hol_visit(void *ud, const xc_value *v, int from_ref)
{
    workcal *w = ud;
    (void)from_ref;
    if (v->type == XC_ERROR) {
        w->err = (xc_error)v->err;
        return XC_ENOTFOUND;
    }
    if (v->type == XC_EMPTY)
        return XC_OK;
    xc_value n = {0};
    int st = xc_to_number(v, &n);
    if (st != XC_OK)
        return st;
    if (n.type != XC_NUMBER) {
        w->err = XC_ERR_VALUE;
        xc_value_clear(&n);
        return XC_ENOTFOUND;
    }
    int64_t d;
    if (xc_num_sign(&n.u.num) < 0) {
        w->err = XC_ERR_NUM;
        xc_value_clear(&n);
        return XC_ENOTFOUND;
    }
    xc_num_trunc_clamp(&n.u.num, 0, INT64_MAX / 2, &d);
    xc_value_clear(&n);
    if (w->nhol == w->cap) {
        size_t nc = w->cap ? 2 * w->cap : 16;
        int64_t *p = xc_realloc(w->hol, nc * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        w->hol = p, w->cap = nc;
    }
    w->hol[w->nhol++] = d;
    return XC_OK;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int is_holiday(const workcal *w, int64_t d)
{
    return w->nhol &&
           bsearch(&d, w->hol, w->nhol, sizeof *w->hol, cmp64) != NULL;
}

static int load_holidays(xc_fncall *c, int i, workcal *w)
{
    int st = XC_OK;
    if (i < c->argc && c->argv[i].type != XC_EMPTY) {
        st = xc_visit(c->ev, &c->argv[i], 0, hol_visit, w);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
    }
    if (w->nhol)
        qsort(w->hol, w->nhol, sizeof *w->hol, cmp64);
    return st;
}

static int networkdays(xc_fncall *c, xc_value *out, int intl)
{
    int64_t a, b;
    workcal w;
    memset(&w, 0, sizeof w);
    int st;
    xc_error e = day_arg(c, 0, &a);
    if (!e)
        e = day_arg(c, 1, &b);
    if (!e)
        e = weekend_arg(&w, intl && c->argc > 2 ? &c->argv[2] : NULL);
    if (e)
        return err_out(out, e);
    st = load_holidays(c, intl ? 3 : 2, &w);
    if (st == XC_OK && w.err)
        st = err_out(out, w.err);
    else if (st == XC_OK) {
        int sign = 1;
        if (a > b) {
            int64_t t = a;
            a = b, b = t, sign = -1;
        }
        int nwork = 0;
        for (int k = 0; k < 7; k++)
            nwork += !w.weekend[k];
        int64_t span = b - a + 1, count = span / 7 * nwork;
        for (int64_t d = a + span / 7 * 7; d <= b; d++)
            count += !w.weekend[wday(c, d)];
        for (size_t i = 0; i < w.nhol; i++)
            if (w.hol[i] >= a && w.hol[i] <= b &&
                !w.weekend[wday(c, w.hol[i])] &&
                (i == 0 || w.hol[i] != w.hol[i - 1]))
                count--;
        st = int_out(out, sign * count);
    }
    xc_free(w.hol);
    return st;
}

static int fn_networkdays(xc_fncall *c, xc_value *out)
{
    return networkdays(c, out, 0);
}

static int fn_networkdays_intl(xc_fncall *c, xc_value *out)
{
    return networkdays(c, out, 1);
}

static int workday(xc_fncall *c, xc_value *out, int intl)
{
    int64_t a, k;
    workcal w;
    memset(&w, 0, sizeof w);
    int st;
    xc_error e = day_arg(c, 0, &a);
    if (!e)
        e = weekend_arg(&w, intl && c->argc > 2 ? &c->argv[2] : NULL);
    if (!e && w.all_week) /* no working day to count to */
        e = XC_ERR_VALUE;
    if (e)
        return err_out(out, e);
    iarg(c, 1, 0, -10000000, 10000000, &k);
    st = load_holidays(c, intl ? 3 : 2, &w);
    if (st == XC_OK && w.err) {
        st = err_out(out, w.err);
    } else if (st == XC_OK) {
        int step = k < 0 ? -1 : 1;
        int64_t d = a, left = k < 0 ? -k : k, max = maxserial(c);
        while (left > 0) {
            d += step;
            if (d < 0 || d > max)
                break;
            if (!w.weekend[wday(c, d)] && !is_holiday(&w, d))
                left--;
        }
        st = left > 0 ? err_out(out, XC_ERR_NUM) : int_out(out, d);
    }
    xc_free(w.hol);
    return st;
}

static int fn_workday(xc_fncall *c, xc_value *out)
{
    return workday(c, out, 0);
}

static int fn_workday_intl(xc_fncall *c, xc_value *out)
{
    return workday(c, out, 1);
}

/* ---- Table --------------------------------------------------------------- */

#define D(name, args, impl, flags, syntax, help, ex)                           \
    {                                                                          \
        name, args, impl, flags, "date", syntax, help, ex                      \
    }

const xc_fn_def xc_fns_date[] = {
    D("DATE", "nnn", fn_date, 0, "DATE(year, month, day)",
      "Serial number of a date; months and days overflow into the next.",
      "=DATE(2024,2,29) -> 45351\n=DATE(2024,14,1) -> 45689\n"
      "=DATE(24,1,1) -> 8767"),
    D("DATEDIF", "nns", fn_datedif, 0, "DATEDIF(start_date, end_date, unit)",
      "Whole years (Y), months (M) or days (D, MD, YM, YD) between dates.",
      "=DATEDIF(DATE(2020,2,29),DATE(2024,2,28),\"Y\") -> 3\n"
      "=DATEDIF(DATE(2024,1,31),DATE(2024,3,1),\"MD\") -> -1"),
    D("DATEVALUE", "s", fn_datevalue, 0, "DATEVALUE(date_text)",
      "Serial number of a date written as text.",
      "=DATEVALUE(\"2024-02-29\") -> 45351\n"
      "=DATEVALUE(\"2024\xE5\xB9\xB4"
      "2\xE6\x9C\x88"
      "29\xE6\x97\xA5\") -> 45351"),
    D("DAY", "n", fn_day, 0, "DAY(serial_number)", "Day of the month (1-31).",
      "=DAY(45351) -> 29\n=DAY(60) -> 29"),
    D("DAYS", "nn", fn_days, 0, "DAYS(end_date, start_date)",
      "Number of days between two dates.",
      "=DAYS(\"2024-03-01\",\"2024-02-01\") -> 29"),
    D("DAYS360", "nn|b", fn_days360, 0,
      "DAYS360(start_date, end_date, [method])",
      "Days between dates on a 360-day year (US or European method).",
      "=DAYS360(DATE(2024,1,31),DATE(2024,3,31)) -> 60"),
    D("EDATE", "nv", fn_edate, 0, "EDATE(start_date, months)",
      "The same day some months before or after (clamped to the month's end).",
      "=EDATE(DATE(2024,1,31),1) -> 45351"),
    D("EOMONTH", "nv", fn_eomonth, 0, "EOMONTH(start_date, months)",
      "Last day of the month some months before or after.",
      "=EOMONTH(DATE(2024,1,15),1) -> 45351"),
    D("HOUR", "n", fn_hour, 0, "HOUR(serial_number)",
      "Hour (0-23) of a time, rounded to the second.",
      "=HOUR(0.75) -> 18\n=HOUR(0.9999999) -> 0"),
    D("ISOWEEKNUM", "n", fn_isoweeknum, 0, "ISOWEEKNUM(date)",
      "ISO 8601 week number of the year.", "=ISOWEEKNUM(DATE(2021,1,3)) -> 53"),
    D("MINUTE", "n", fn_minute, 0, "MINUTE(serial_number)",
      "Minute (0-59) of a time.", "=MINUTE(TIME(10,45,0)) -> 45"),
    D("MONTH", "n", fn_month, 0, "MONTH(serial_number)",
      "Month (1-12) of a date.", "=MONTH(45351) -> 2"),
    D("NETWORKDAYS", "nn|a", fn_networkdays, 0,
      "NETWORKDAYS(start_date, end_date, [holidays])",
      "Working days (Monday to Friday) between two dates, inclusive.",
      "=NETWORKDAYS(DATE(2024,1,1),DATE(2024,1,31)) -> 23"),
    D("NETWORKDAYS.INTL", "nn|va", fn_networkdays_intl, 0,
      "NETWORKDAYS.INTL(start_date, end_date, [weekend], [holidays])",
      "Working days between two dates with a chosen weekend.",
      "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),11) -> 27"),
    D("NOW", "", fn_now, XC_FN_VOLATILE, "NOW()",
      "The current date and time as a serial number.", "=NOW()>45000 -> TRUE"),
    D("SECOND", "n", fn_second, 0, "SECOND(serial_number)",
      "Second (0-59) of a time.", "=SECOND(TIME(1,2,3)) -> 3"),
    D("TIME", "nnn", fn_time, 0, "TIME(hour, minute, second)",
      "A time of day as a fraction of a day.",
      "=TIME(18,0,0) -> 0.75\n=TIME(25,0,0)*24 -> 1"),
    D("TIMEVALUE", "s", fn_timevalue, 0, "TIMEVALUE(time_text)",
      "Fraction of a day of a time written as text.",
      "=TIMEVALUE(\"18:00\") -> 0.75"),
    D("TODAY", "", fn_today, XC_FN_VOLATILE, "TODAY()",
      "The current date as a serial number.", "=TODAY()=INT(NOW()) -> TRUE"),
    D("WEEKDAY", "n|n", fn_weekday, 0, "WEEKDAY(serial_number, [return_type])",
      "Day of the week as a number.",
      "=WEEKDAY(DATE(2024,2,29)) -> 5\n=WEEKDAY(DATE(2024,2,29),2) -> 4"),
    D("WEEKNUM", "n|n", fn_weeknum, 0, "WEEKNUM(serial_number, [return_type])",
      "Week number of the year (week 1 contains January 1).",
      "=WEEKNUM(DATE(2024,3,1)) -> 9"),
    D("WORKDAY", "nn|a", fn_workday, 0, "WORKDAY(start_date, days, [holidays])",
      "The date a number of working days before or after a date.",
      "=WORKDAY(DATE(2024,2,29),1) -> 45352"),
    D("WORKDAY.INTL", "nn|va", fn_workday_intl, 0,
      "WORKDAY.INTL(start_date, days, [weekend], [holidays])",
      "WORKDAY with a chosen weekend.",
      "=WORKDAY.INTL(DATE(2024,3,1),1,7) -> 45354"),
    D("YEAR", "n", fn_year, 0, "YEAR(serial_number)", "Year of a date.",
      "=YEAR(45351) -> 2024"),
    D("YEARFRAC", "nn|n", fn_yearfrac, 0,
      "YEARFRAC(start_date, end_date, [basis])",
      "Fraction of a year between two dates under a day-count basis.",
      "=YEARFRAC(DATE(2024,1,1),DATE(2024,7,1),3) -> 0.498630136986301\n"
      "=YEARFRAC(DATE(2024,1,1),DATE(2024,7,1)) -> 0.5"),
};
const size_t xc_fns_date_n = sizeof xc_fns_date / sizeof *xc_fns_date;
