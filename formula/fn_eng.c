/* fn_eng.c - spreadsheet functions of the "eng" category: base
 * conversions between binary, octal, decimal and hexadecimal (ten-digit
 * two's complement for negatives, as Excel), bitwise operations, DELTA,
 * GESTEP and CONVERT between units of measure.
 *
 * CONVERT uses exact rational factors: every unit is defined here by
 * its exact SI value where one exists (1 in = 0.0254 m, 1 lbm =
 * 0.45359237 kg...), so conversions are exact rationals. */
#include <string.h>
#include "formula_int.h"

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

static int text_out(xc_value *out, const char *s)
{
    xc_value t = {0};
    int st = xc_value_set_text(&t, s, strlen(s));
    if (st != XC_OK)
        return st;
    xc_value_clear(out);
    xc_value_move(out, &t);
    return XC_OK;
}

/* Arguments from..argc-1 as numbers: logicals are #VALUE!, text is
 * coerced (Excel's engineering functions refuse TRUE/FALSE). */
static xc_error strict_from(xc_fncall *c, int from)
{
    for (int i = from; i < c->argc; i++) {
        xc_value n = {0};
        if (c->argv[i].type == XC_BOOL)
            return XC_ERR_VALUE;
        if (c->argv[i].type != XC_TEXT)
            continue;
        if (xc_to_number(&c->argv[i], &n) != XC_OK || n.type != XC_NUMBER) {
            xc_value_clear(&n);
            return XC_ERR_VALUE;
        }
        xc_value_clear(&c->argv[i]);
        xc_value_move(&c->argv[i], &n);
    }
    return XC_ERR_NONE;
}

/* ---- Base conversions --------------------------------------------- */

/* Bits per digit of a base and the digit value of character ch. */
static int digit_of(int base, char ch)
{
    int d;
    if (ch >= '0' && ch <= '9')
        d = ch - '0';
    else if (ch >= 'a' && ch <= 'f')
        d = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F')
        d = ch - 'A' + 10;
    else
        return -1;
    return d < base ? d : -1;
}

/* Ten-digit two's complement modulus of a base: 2^10, 8^10, 16^10. */
static int64_t modulus(int base)
{
    int64_t m = 1;
    for (int i = 0; i < 10; i++)
        m *= base;
    return m;
}

/* Parse argument 0 as a number written in base; 0 or the error. */
static xc_error parse_base(xc_fncall *c, int base, int64_t *v)
{
    size_t n;
    const char *s;
    char nb[64];
    const xc_value *a = &c->argv[0];
    if (a->type == XC_BOOL)
        return XC_ERR_VALUE;
    if (a->type == XC_TEXT) {
        s = a->u.str->s;
        n = a->u.str->len;
    } else if (a->type == XC_NUMBER) {
        /* a number is read through its decimal digits */
        xc_buf b;
        xc_buf_init(&b);
        if (xc_num_format(&b, &a->u.num, XC_FMT_SOURCE) != XC_OK ||
            b.len >= sizeof nb) {
            xc_buf_clear(&b);
            return XC_ERR_NUM;
        }
        memcpy(nb, b.p, b.len + 1);
        n = b.len;
        s = nb;
        xc_buf_clear(&b);
    } else {
        s = "";
        n = 0;
    }
    if (n > 10)
        return XC_ERR_NUM;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digit_of(base, s[i]);
        if (d < 0)
            return XC_ERR_NUM;
        x = x * base + d;
    }
    int64_t m = modulus(base);
    if (n == 10 && x >= m / 2)
        x -= m;
    *v = x;
    return XC_ERR_NONE;
}

/* Write v in base: negatives as ten-digit two's complement; places pads
 * with zeros (argument pi of the call, ignored for negatives). */
static int format_base(xc_fncall *c, int pi, xc_value *out, int64_t v, int base)
{
    int64_t m = modulus(base);
    char b[16];
    int k = 0;
    if (v < -m / 2 || v >= m / 2)
        return err_out(out, XC_ERR_NUM);
    uint64_t u = v < 0 ? (uint64_t)(v + m) : (uint64_t)v;
    do {
        b[k++] = "0123456789ABCDEF"[u % (uint64_t)base];
        u /= (uint64_t)base;
    } while (u);
    int64_t places = 0;
    /* places given as a reference to an empty cell counts as 0 */
    if (pi < c->argc && c->argv[pi].type == XC_EMPTY && c->nodes &&
        c->nodes[pi]->kind != XN_MISSING)
        return err_out(out, XC_ERR_NUM);
    if (xc_arg_given(c, pi)) {
        if (c->argv[pi].type != XC_NUMBER)
            return err_out(out, XC_ERR_VALUE);
        xc_num_trunc_clamp(xc_arg_num(c, pi), -1, 11, &places);
        /* places must be 1..10 and, for non-negative numbers, fit */
        if (places < 1 || places > 10 || (v >= 0 && places < k))
            return err_out(out, XC_ERR_NUM);
        if (v < 0)
            places = 0;
    }
    char s[16];
    int j = 0;
    for (int64_t i = k; i < places; i++)
        s[j++] = '0';
    while (k > 0)
        s[j++] = b[--k];
    s[j] = 0;
    return text_out(out, s);
}

static int base2base(xc_fncall *c, xc_value *out, int from, int to)
{
    int64_t v;
    xc_error e = parse_base(c, from, &v);
    if (!e)
        e = strict_from(c, 1);
    if (e)
        return err_out(out, e);
    if (to == 10)
        return int_out(out, v);
    return format_base(c, 1, out, v, to);
}

static int dec2base(xc_fncall *c, xc_value *out, int to)
{
    int64_t v;
    xc_error e = strict_from(c, 0);
    if (e)
        return err_out(out, e);
    if (xc_num_trunc_clamp(xc_arg_num(c, 0), -(INT64_C(1) << 50),
                           INT64_C(1) << 50, &v))
        return err_out(out, XC_ERR_NUM);
    return format_base(c, 1, out, v, to);
}

static int fn_bin2dec(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 2, 10);
}
static int fn_bin2hex(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 2, 16);
}
static int fn_bin2oct(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 2, 8);
}
static int fn_oct2dec(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 8, 10);
}
static int fn_oct2bin(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 8, 2);
}
static int fn_oct2hex(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 8, 16);
}
static int fn_hex2dec(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 16, 10);
}
static int fn_hex2bin(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 16, 2);
}
static int fn_hex2oct(xc_fncall *c, xc_value *out)
{
    return base2base(c, out, 16, 8);
}
static int fn_dec2bin(xc_fncall *c, xc_value *out)
{
    return dec2base(c, out, 2);
}
static int fn_dec2oct(xc_fncall *c, xc_value *out)
{
    return dec2base(c, out, 8);
}
static int fn_dec2hex(xc_fncall *c, xc_value *out)
{
    return dec2base(c, out, 16);
}

/* ---- Bits ------------------------------------------------------------ */

#define BITMAX (INT64_C(1) << 48)

/* Argument i as a non-negative integer below 2^48; else #NUM!. */
static xc_error bit_arg(xc_fncall *c, int i, int64_t *v)
{
    const xc_num *x = xc_arg_num(c, i);
    if (!xc_num_is_int(x) || xc_num_sign(x) < 0 ||
        xc_num_get_int64(x, v) != XC_OK || *v >= BITMAX)
        return XC_ERR_NUM;
    return XC_ERR_NONE;
}

static int bitop(xc_fncall *c, xc_value *out, int op)
{
    int64_t a, b;
    xc_error e = bit_arg(c, 0, &a);
    if (!e)
        e = bit_arg(c, 1, &b);
    if (e)
        return err_out(out, e);
    return int_out(out, op == 0 ? (a & b) : op == 1 ? (a | b) : (a ^ b));
}

static int fn_bitand(xc_fncall *c, xc_value *out)
{
    return bitop(c, out, 0);
}
static int fn_bitor(xc_fncall *c, xc_value *out)
{
    return bitop(c, out, 1);
}
static int fn_bitxor(xc_fncall *c, xc_value *out)
{
    return bitop(c, out, 2);
}

static int shift(xc_fncall *c, xc_value *out, int left)
{
    int64_t a, k;
    xc_error e = bit_arg(c, 0, &a);
    if (e)
        return err_out(out, e);
    if (xc_num_trunc_clamp(xc_arg_num(c, 1), -54, 54, &k) || k > 53 || k < -53)
        return err_out(out, XC_ERR_NUM);
    if (!left)
        k = -k;
    if (k >= 0) {
        if (k >= 48 ? a != 0 : (a << k) >= BITMAX)
            return err_out(out, XC_ERR_NUM);
        return int_out(out, a << k);
    }
    return int_out(out, -k >= 63 ? 0 : a >> -k);
}

static int fn_bitlshift(xc_fncall *c, xc_value *out)
{
    return shift(c, out, 1);
}
static int fn_bitrshift(xc_fncall *c, xc_value *out)
{
    return shift(c, out, 0);
}

/* Arguments 0 and 1 compared as Excel sees them: as the nearest doubles
 * (3+1E-16 equals 3), exactly when both round to the same double. */
static int dcmp(xc_fncall *c)
{
    double a = xc_num_to_double(xc_arg_num(c, 0)),
           b = xc_num_to_double(xc_arg_num(c, 1));
    if (a == b)
        return 0;
    return a < b ? -1 : 1;
}

static int fn_delta(xc_fncall *c, xc_value *out)
{
    xc_error e = strict_from(c, 0);
    if (e)
        return err_out(out, e);
    return int_out(out, dcmp(c) == 0);
}

static int fn_gestep(xc_fncall *c, xc_value *out)
{
    xc_error e = strict_from(c, 0);
    if (e)
        return err_out(out, e);
    return int_out(out, dcmp(c) >= 0);
}

/* ---- CONVERT ----------------------------------------------------------- */

enum { U_PLAIN = 0, U_METRIC = 1, U_AREA = 2, U_VOL = 3, U_BINARY = 4 };

typedef struct unit {
    const char *name;
    char cat;           /* category letter */
    const char *factor; /* exact value in the category's base unit */
    int prefix;         /* U_* */
} unit;

/* Base units: g, m, s, Pa, N, J, W, T, K (temperature handled apart),
 * m2, m3, bit, m/s. */
static const unit units[] = {
    /* mass (g) */
    {"g", 'M', "1", U_METRIC},
    {"sg", 'M', "4448.2216152605/0.3048", U_PLAIN},
    {"lbm", 'M', "453.59237", U_PLAIN},
    {"u", 'M', "1.660538782e-24", U_METRIC}, /* Excel's constant */
    {"ozm", 'M', "28.349523125", U_PLAIN},
    {"grain", 'M', "0.06479891", U_PLAIN},
    {"cwt", 'M', "45359.237", U_PLAIN},
    {"shweight", 'M', "45359.237", U_PLAIN},
    {"uk_cwt", 'M', "50802.34544", U_PLAIN},
    {"lcwt", 'M', "50802.34544", U_PLAIN},
    {"hweight", 'M', "50802.34544", U_PLAIN},
    {"stone", 'M', "6350.29318", U_PLAIN},
    {"ton", 'M', "907184.74", U_PLAIN},
    {"uk_ton", 'M', "1016046.9088", U_PLAIN},
    {"LTON", 'M', "1016046.9088", U_PLAIN},
    {"brton", 'M', "1016046.9088", U_PLAIN},
    /* distance (m) */
    {"m", 'D', "1", U_METRIC},
    {"mi", 'D', "1609.344", U_PLAIN},
    {"Nmi", 'D', "1852", U_PLAIN},
    {"in", 'D', "0.0254", U_PLAIN},
    {"ft", 'D', "0.3048", U_PLAIN},
    {"yd", 'D', "0.9144", U_PLAIN},
    {"ang", 'D', "1e-10", U_METRIC},
    {"ell", 'D', "1.143", U_PLAIN},
    {"ly", 'D', "9460730472580800", U_METRIC},
    {"parsec", 'D', "30856775812815532", U_METRIC},
    {"pc", 'D', "30856775812815532", U_METRIC},
    {"Pica", 'D', "0.0254/72", U_PLAIN},
    {"Picapt", 'D', "0.0254/72", U_PLAIN},
    {"pica", 'D', "0.0254/6", U_PLAIN},
    {"survey_mi", 'D', "6336000/3937", U_PLAIN},
    /* time (s) */
    {"yr", 'T', "31557600", U_PLAIN},
    {"day", 'T', "86400", U_PLAIN},
    {"d", 'T', "86400", U_PLAIN},
    {"hr", 'T', "3600", U_PLAIN},
    {"mn", 'T', "60", U_PLAIN},
    {"min", 'T', "60", U_PLAIN},
    {"sec", 'T', "1", U_METRIC},
    {"s", 'T', "1", U_METRIC},
    /* pressure (Pa) */
    {"Pa", 'P', "1", U_METRIC},
    {"p", 'P', "1", U_METRIC},
    {"atm", 'P', "101325", U_METRIC},
    {"at", 'P', "101325", U_METRIC},
    {"mmHg", 'P', "133.322", U_METRIC}, /* Excel's constant */
    {"Torr", 'P', "101325/760", U_PLAIN},
    {"psi", 'P', "4.4482216152605/0.00064516", U_PLAIN},
    /* force (N) */
    {"N", 'F', "1", U_METRIC},
    {"dyn", 'F', "1e-5", U_METRIC},
    {"dy", 'F', "1e-5", U_METRIC},
    {"lbf", 'F', "4.4482216152605", U_PLAIN},
    {"pond", 'F', "0.00980665", U_METRIC},
    /* energy (J) */
    {"J", 'E', "1", U_METRIC},
    {"e", 'E', "1e-7", U_METRIC},
    {"c", 'E', "4.184", U_METRIC},
    {"cal", 'E', "4.1868", U_METRIC},
    {"eV", 'E', "1.602176487e-19", U_METRIC}, /* Excel's constant */
    {"ev", 'E', "1.602176487e-19", U_METRIC},
    {"Wh", 'E', "3600", U_METRIC},
    {"wh", 'E', "3600", U_METRIC},
    {"flb", 'E', "1.3558179483314004", U_PLAIN},
    {"BTU", 'E', "1055.05585262", U_PLAIN},
    {"btu", 'E', "1055.05585262", U_PLAIN},
    {"HPh", 'E', "2684519.537696172792", U_PLAIN},
    {"hh", 'E', "2684519.537696172792", U_PLAIN},
    /* power (W) */
    {"W", 'W', "1", U_METRIC},
    {"w", 'W', "1", U_METRIC},
    {"HP", 'W', "745.69987158227022", U_PLAIN},
    {"h", 'W', "745.69987158227022", U_PLAIN},
    {"PS", 'W', "735.49875", U_PLAIN},
    /* magnetism (T) */
    {"T", 'G', "1", U_METRIC},
    {"ga", 'G', "1e-4", U_METRIC},
    /* area (m2) */
    {"m2", 'A', "1", U_AREA},
    {"m^2", 'A', "1", U_AREA},
    {"ha", 'A', "10000", U_PLAIN},
    {"ar", 'A', "100", U_METRIC},
    {"in2", 'A', "0.00064516", U_PLAIN},
    {"in^2", 'A', "0.00064516", U_PLAIN},
    {"ft2", 'A', "0.09290304", U_PLAIN},
    {"ft^2", 'A', "0.09290304", U_PLAIN},
    {"yd2", 'A', "0.83612736", U_PLAIN},
    {"yd^2", 'A', "0.83612736", U_PLAIN},
    {"mi2", 'A', "2589988.110336", U_PLAIN},
    {"mi^2", 'A', "2589988.110336", U_PLAIN},
    {"uk_acre", 'A', "4046.8564224", U_PLAIN},
    {"us_acre", 'A', "0", U_PLAIN}, /* computed in find_unit */
    {"Morgen", 'A', "2500", U_PLAIN},
    /* volume (m3) */
    {"m3", 'V', "1", U_VOL},
    {"m^3", 'V', "1", U_VOL},
    {"l", 'V', "0.001", U_METRIC},
    {"L", 'V', "0.001", U_METRIC},
    {"lt", 'V', "0.001", U_METRIC},
    {"tsp", 'V', "0.00000492892159375", U_PLAIN},
    {"tspm", 'V', "0.000005", U_PLAIN},
    {"tbs", 'V', "0.00001478676478125", U_PLAIN},
    {"oz", 'V', "0.0000295735295625", U_PLAIN},
    {"cup", 'V', "0.0002365882365", U_PLAIN},
    {"pt", 'V', "0.000473176473", U_PLAIN},
    {"us_pt", 'V', "0.000473176473", U_PLAIN},
    {"uk_pt", 'V', "0.00056826125", U_METRIC},
    {"qt", 'V', "0.000946352946", U_PLAIN},
    {"uk_qt", 'V', "0.0011365225", U_PLAIN},
    {"gal", 'V', "0.003785411784", U_PLAIN},
    {"uk_gal", 'V', "0.00454609", U_PLAIN},
    {"in3", 'V', "0.000016387064", U_PLAIN},
    {"in^3", 'V', "0.000016387064", U_PLAIN},
    {"ft3", 'V', "0.028316846592", U_PLAIN},
    {"ft^3", 'V', "0.028316846592", U_PLAIN},
    {"yd3", 'V', "0.764554857984", U_PLAIN},
    {"yd^3", 'V', "0.764554857984", U_PLAIN},
    {"barrel", 'V', "0.158987294928", U_PLAIN},
    {"bushel", 'V', "0.03523907016688", U_PLAIN},
    {"MTON", 'V', "1.13267386368", U_PLAIN},
    {"GRT", 'V', "2.8316846592", U_PLAIN},
    {"regton", 'V', "2.8316846592", U_PLAIN},
    /* information (bit) */
    {"bit", 'I', "1", U_BINARY},
    {"byte", 'I', "8", U_BINARY},
    /* speed (m/s) */
    {"m/s", 'S', "1", U_METRIC},
    {"m/sec", 'S', "1", U_METRIC},
    {"m/h", 'S', "1/3600", U_METRIC},
    {"m/hr", 'S', "1/3600", U_METRIC},
    {"mph", 'S', "1609.344/3600", U_METRIC},
    {"kn", 'S', "1852/3600", U_PLAIN},
    {"admkn", 'S', "1853.184/3600", U_PLAIN},
};

static const struct {
    const char *p;
    int e10; /* decimal prefix exponent, or binary power with bin */
    int bin;
} prefixes[] = {
    {"Y", 24, 0},  {"Z", 21, 0},  {"E", 18, 0},  {"P", 15, 0},  {"T", 12, 0},
    {"G", 9, 0},   {"M", 6, 0},   {"k", 3, 0},   {"h", 2, 0},   {"da", 1, 0},
    {"e", 1, 0},   {"d", -1, 0},  {"c", -2, 0},  {"m", -3, 0},  {"u", -6, 0},
    {"n", -9, 0},  {"p", -12, 0}, {"f", -15, 0}, {"a", -18, 0}, {"z", -21, 0},
    {"y", -24, 0}, {"Yi", 80, 1}, {"Zi", 70, 1}, {"Ei", 60, 1}, {"Pi", 50, 1},
    {"Ti", 40, 1}, {"Gi", 30, 1}, {"Mi", 20, 1}, {"ki", 10, 1},
};

/* Parse "a", "a/b" or "a*b" (decimal a, b) into q exactly. */
static void parse_factor(const char *s, mpq_t q)
{
    const char *op = strpbrk(s, "/*");
    size_t n = op ? (size_t)(op - s) : strlen(s);
    xc_num a;
    xc_num_init(&a);
    xc_num_parse(&a, s, n, 0, NULL);
    xc_num_get_mpq(q, &a);
    if (op) {
        mpq_t b;
        mpq_init(b);
        xc_num_parse(&a, op + 1, strlen(op + 1), 0, NULL);
        xc_num_get_mpq(b, &a);
        if (*op == '/')
            mpq_div(q, q, b);
        else
            mpq_mul(q, q, b);
        mpq_clear(b);
    }
    xc_num_clear(&a);
}

static int find_unit1(const char *s, size_t n, char *cat, mpq_t f);

/* Look a unit up: a unit with an optional prefix, or a distance unit
 * squared or cubed ("ly2", "Nmi^3"): category and factor. */
static int find_unit(const char *s, size_t n, char *cat, mpq_t f)
{
    if (find_unit1(s, n, cat, f))
        return 1;
    if (n >= 2 && (s[n - 1] == '2' || s[n - 1] == '3')) {
        int pw = s[n - 1] - '0';
        size_t k = n - 1;
        if (k > 1 && s[k - 1] == '^')
            k--;
        /* Excel has no prefixed light-year areas or volumes */
        if (k > 2 && memcmp(s + k - 2, "ly", 2) == 0)
            return 0;
        if (find_unit1(s, k, cat, f) && *cat == 'D') {
            mpq_t b;
            mpq_init(b);
            mpq_set(b, f);
            for (int i = 1; i < pw; i++)
                mpq_mul(f, f, b);
            mpq_clear(b);
            *cat = pw == 2 ? 'A' : 'V';
            return 1;
        }
    }
    return 0;
}

static int find_unit1(const char *s, size_t n, char *cat, mpq_t f)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i].name) == n && memcmp(units[i].name, s, n) == 0) {
            *cat = units[i].cat;
            parse_factor(units[i].factor, f);
            if (strcmp(units[i].name, "us_acre") == 0) {
                /* US survey acre: 43560 survey ft^2, 1 ft = 1200/3937 m */
                mpq_set_ui(f, 1200, 3937);
                mpq_mul(f, f, f);
                mpq_t k;
                mpq_init(k);
                mpq_set_ui(k, 43560, 1);
                mpq_mul(f, f, k);
                mpq_clear(k);
            }
            return 1;
        }
    for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
        size_t pl = strlen(prefixes[p].p);
        if (n <= pl || memcmp(s, prefixes[p].p, pl) != 0)
            continue;
        for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
            const unit *u = &units[i];
            if (strlen(u->name) != n - pl ||
                memcmp(u->name, s + pl, n - pl) != 0 || u->prefix == U_PLAIN)
                continue;
            if (prefixes[p].bin && u->prefix != U_BINARY)
                continue;
            *cat = u->cat;
            parse_factor(u->factor, f);
            mpz_t z;
            mpq_t k;
            mpz_init(z);
            mpq_init(k);
            int e = prefixes[p].e10;
            if (prefixes[p].bin) {
                mpz_ui_pow_ui(z, 2, (unsigned long)e);
                mpq_set_z(k, z);
            } else {
                int pw = u->prefix == U_AREA ? 2 : u->prefix == U_VOL ? 3 : 1;
                e *= pw;
                mpz_ui_pow_ui(z, 10, (unsigned long)(e < 0 ? -e : e));
                mpq_set_z(k, z);
                if (e < 0)
                    mpq_inv(k, k);
            }
            mpq_mul(f, f, k);
            mpz_clear(z);
            mpq_clear(k);
            return 1;
        }
    }
    return 0;
}

/* Temperatures: K = x*a + b for each scale. */
static int temp_unit(const char *s, size_t n, mpq_t a, mpq_t b)
{
    static const struct {
        const char *name, *a, *b;
    } t[] = {
        {"C", "1", "273.15"},      {"cel", "1", "273.15"},
        {"F", "5/9", "45967/180"}, {"fah", "5/9", "45967/180"},
        {"K", "1", "0"},           {"kel", "1", "0"},
        {"Rank", "5/9", "0"},      {"Reau", "5/4", "273.15"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strlen(t[i].name) == n && memcmp(t[i].name, s, n) == 0) {
            parse_factor(t[i].a, a);
            parse_factor(t[i].b, b);
            return 1;
        }
    /* kelvin takes metric prefixes (mK, kK...) */
    for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
        size_t pl = strlen(prefixes[p].p);
        if (prefixes[p].bin || n <= pl || memcmp(s, prefixes[p].p, pl) ||
            !((n - pl == 1 && s[pl] == 'K') ||
              (n - pl == 3 && memcmp(s + pl, "kel", 3) == 0)))
            continue;
        mpz_t z;
        int e = prefixes[p].e10;
        mpz_init(z);
        mpz_ui_pow_ui(z, 10, (unsigned long)(e < 0 ? -e : e));
        mpq_set_z(a, z);
        if (e < 0)
            mpq_inv(a, a);
        mpq_set_ui(b, 0, 1);
        mpz_clear(z);
        return 1;
    }
    return 0;
}

/* CONVERT(number, from_unit, to_unit) */
static int fn_convert(xc_fncall *c, xc_value *out)
{
    const xc_value *fu = &c->argv[1], *tu = &c->argv[2];
    mpq_t x, fa, fb, ta, tb;
    char fc = 0, tc = 0;
    int st;
    if (fu->type != XC_TEXT || tu->type != XC_TEXT)
        return err_out(out, XC_ERR_NA);
    mpq_inits(x, fa, fb, ta, tb, NULL);
    xc_num_get_mpq(x, xc_arg_num(c, 0));
    if (temp_unit(fu->u.str->s, fu->u.str->len, fa, fb) &&
        temp_unit(tu->u.str->s, tu->u.str->len, ta, tb)) {
        /* to kelvin, then back */
        mpq_mul(x, x, fa);
        mpq_add(x, x, fb);
        mpq_sub(x, x, tb);
        mpq_div(x, x, ta);
    } else if (find_unit(fu->u.str->s, fu->u.str->len, &fc, fa) &&
               find_unit(tu->u.str->s, tu->u.str->len, &tc, ta) && fc == tc) {
        mpq_mul(x, x, fa);
        mpq_div(x, x, ta);
    } else {
        mpq_clears(x, fa, fb, ta, tb, NULL);
        return err_out(out, XC_ERR_NA);
    }
    xc_num r;
    xc_num_init(&r);
    st = xc_num_set_mpq(&r, x);
    if (st == XC_OK)
        st = xc_result_num(out, &r, c->argv[0].flags & XC_VAL_INEXACT);
    else {
        xc_num_clear(&r);
        st = st == XC_ENOMEM ? st : err_out(out, XC_ERR_NUM);
    }
    mpq_clears(x, fa, fb, ta, tb, NULL);
    return st;
}

/* ---- Error function and Bessel functions -----------------------------
 * Irrational: evaluated through MPFR (XC_MPFR_PREC bits, or more where
 * a series cancels) and marked inexact unless MPFR reports exact. */

static int mp_out(xc_value *out, mpfr_t r, int exact)
{
    xc_num x;
    int st;
    if (!mpfr_number_p(r))
        return err_out(out, XC_ERR_NUM);
    xc_num_init(&x);
    st = xc_num_set_mpfr(&x, r);
    if (st != XC_OK) {
        xc_num_clear(&x);
        return st == XC_ENOMEM ? st : err_out(out, XC_ERR_NUM);
    }
    return xc_result_num(out, &x, exact ? 0 : XC_VAL_INEXACT);
}

/* ERF(lower, [upper]), ERF.PRECISE(x), ERFC(x), ERFC.PRECISE(x) */
static int erf_common(xc_fncall *c, xc_value *out, int comp)
{
    mpfr_t a, b;
    int t, st;
    xc_error e = strict_from(c, 0);
    if (e)
        return err_out(out, e);
    mpfr_inits2(XC_MPFR_PREC, a, b, (mpfr_ptr)0);
    xc_num_get_mpfr(a, xc_arg_num(c, 0), MPFR_RNDN);
    if (comp) {
        t = mpfr_erfc(a, a, MPFR_RNDN);
    } else {
        t = mpfr_erf(a, a, MPFR_RNDN);
        /* an upper limit given as an empty cell counts as 0 */
        if (c->argc > 1 && (xc_arg_given(c, 1) ||
                            (c->nodes && c->nodes[1]->kind != XN_MISSING))) {
            xc_num_get_mpfr(b, xc_arg_num(c, 1), MPFR_RNDN);
            t |= mpfr_erf(b, b, MPFR_RNDN);
            t |= mpfr_sub(a, b, a, MPFR_RNDN);
        }
    }
    st = mp_out(out, a, t == 0);
    mpfr_clears(a, b, (mpfr_ptr)0);
    return st;
}

static int fn_erf(xc_fncall *c, xc_value *out)
{
    return erf_common(c, out, 0);
}

static int fn_erfc(xc_fncall *c, xc_value *out)
{
    return erf_common(c, out, 1);
}

/* Order argument of the Bessel functions: truncated, >= 0. */
static xc_error bessel_args(xc_fncall *c, long *n)
{
    int64_t k;
    xc_error e = strict_from(c, 0);
    if (e)
        return e;
    if (xc_num_sign(xc_arg_num(c, 1)) < 0 ||
        xc_num_trunc_clamp(xc_arg_num(c, 1), 0, 100000, &k) || k > 10000)
        return XC_ERR_NUM;
    *n = (long)k;
    return XC_ERR_NONE;
}

static int fn_besselj(xc_fncall *c, xc_value *out)
{
    long n;
    mpfr_t x;
    int st;
    xc_error e = bessel_args(c, &n);
    if (e)
        return err_out(out, e);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    st = mp_out(out, x, mpfr_jn(x, n, x, MPFR_RNDN) == 0);
    mpfr_clear(x);
    return st;
}

static int fn_bessely(xc_fncall *c, xc_value *out)
{
    long n;
    mpfr_t x;
    int st;
    xc_error e = bessel_args(c, &n);
    if (e)
        return err_out(out, e);
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    st = mp_out(out, x, mpfr_yn(x, n, x, MPFR_RNDN) == 0);
    mpfr_clear(x);
    return st;
}

/* Working precision for the I/K series: the terms grow like e^|x|
 * before the sum settles, so add bits for the cancellation. */
static mpfr_prec_t series_prec(const mpfr_t x)
{
    double ax = mpfr_get_d(x, MPFR_RNDN);
    if (ax < 0)
        ax = -ax;
    if (ax > 20000)
        ax = 20000;
    return XC_MPFR_PREC + 64 + (mpfr_prec_t)(3 * ax);
}

/* I_n(x) = sum_k (x/2)^(2k+n) / (k! (n+k)!) */
static void bessel_i(mpfr_t r, long n, const mpfr_t x)
{
    mpfr_prec_t p = mpfr_get_prec(r);
    mpfr_t h, q, term, tol;
    mpfr_inits2(p, h, q, term, tol, (mpfr_ptr)0);
    mpfr_div_2ui(h, x, 1, MPFR_RNDN);
    mpfr_sqr(q, h, MPFR_RNDN);
    /* first term (x/2)^n / n! */
    mpfr_pow_ui(term, h, (unsigned long)n, MPFR_RNDN);
    for (long i = 2; i <= n; i++)
        mpfr_div_ui(term, term, (unsigned long)i, MPFR_RNDN);
    mpfr_set(r, term, MPFR_RNDN);
    for (long k = 1; k < 1000000; k++) {
        mpfr_mul(term, term, q, MPFR_RNDN);
        mpfr_div_ui(term, term, (unsigned long)k, MPFR_RNDN);
        mpfr_div_ui(term, term, (unsigned long)(n + k), MPFR_RNDN);
        mpfr_add(r, r, term, MPFR_RNDN);
        mpfr_abs(tol, r, MPFR_RNDN);
        mpfr_mul_2si(tol, tol, -(long)p, MPFR_RNDN);
        if (mpfr_cmpabs(term, tol) <= 0)
            break;
    }
    mpfr_clears(h, q, term, tol, (mpfr_ptr)0);
}

static int fn_besseli(xc_fncall *c, xc_value *out)
{
    long n;
    mpfr_t x, r, y;
    int st;
    xc_error e = bessel_args(c, &n);
    if (e)
        return err_out(out, e);
    mpfr_init2(x, XC_MPFR_PREC);
    xc_num_get_mpfr(x, xc_arg_num(c, 0), MPFR_RNDN);
    /* the series has terms of one sign: no cancellation */
    mpfr_inits2(XC_MPFR_PREC + 32, r, y, (mpfr_ptr)0);
    mpfr_set(y, x, MPFR_RNDN);
    bessel_i(r, n, y);
    mpfr_set(x, r, MPFR_RNDN);
    st = mp_out(out, x, mpfr_zero_p(x) && n > 0);
    mpfr_clears(x, r, y, (mpfr_ptr)0);
    return st;
}

/* K_nu(x) for nu = 0 or 1 and x >= 30 by the asymptotic expansion
 * sqrt(pi/(2x)) e^-x sum_k t_k, t_k = t_{k-1} (4nu^2 - (2k-1)^2) / (8kx),
 * summed until the terms stop shrinking (relative error about e^-2x). */
static void bessel_k_asym(mpfr_t r, int nu, const mpfr_t x)
{
    mpfr_t t, sum, f, prev;
    mpfr_inits2(XC_MPFR_PREC, t, sum, f, prev, (mpfr_ptr)0);
    mpfr_set_ui(t, 1, MPFR_RNDN);
    mpfr_set_ui(sum, 1, MPFR_RNDN);
    mpfr_set_inf(prev, 1);
    for (long k = 1; k < 100000; k++) {
        long num = 4L * nu * nu - (2 * k - 1) * (2 * k - 1);
        mpfr_mul_si(t, t, num, MPFR_RNDN);
        mpfr_div_ui(t, t, (unsigned long)(8 * k), MPFR_RNDN);
        mpfr_div(t, t, x, MPFR_RNDN);
        mpfr_abs(f, t, MPFR_RNDN);
        if (mpfr_cmp(f, prev) >= 0 || mpfr_zero_p(t))
            break;
        mpfr_set(prev, f, MPFR_RNDN);
        mpfr_add(sum, sum, t, MPFR_RNDN);
        mpfr_mul_2si(f, sum, -XC_MPFR_PREC, MPFR_RNDN);
        if (mpfr_cmpabs(t, f) <= 0)
            break;
    }
    /* sqrt(pi / (2x)) * e^-x */
    mpfr_const_pi(f, MPFR_RNDN);
    mpfr_div(f, f, x, MPFR_RNDN);
    mpfr_div_2ui(f, f, 1, MPFR_RNDN);
    mpfr_sqrt(f, f, MPFR_RNDN);
    mpfr_neg(prev, x, MPFR_RNDN);
    mpfr_exp(prev, prev, MPFR_RNDN);
    mpfr_mul(f, f, prev, MPFR_RNDN);
    mpfr_mul(r, sum, f, MPFR_RNDN);
    mpfr_clears(t, sum, f, prev, (mpfr_ptr)0);
}

/* K_0 and K_1 from their series (asymptotic expansion for x >= 30),
 * then K_{n+1} = K_{n-1} + (2n/x) K_n. */
static int fn_besselk(xc_fncall *c, xc_value *out)
{
    long n;
    mpfr_t x0;
    int st;
    xc_error e = bessel_args(c, &n);
    if (e)
        return err_out(out, e);
    if (xc_num_sign(xc_arg_num(c, 0)) <= 0)
        return err_out(out, XC_ERR_NUM);
    mpfr_init2(x0, XC_MPFR_PREC);
    xc_num_get_mpfr(x0, xc_arg_num(c, 0), MPFR_RNDN);
    if (mpfr_cmp_ui(x0, 30) >= 0) {
        mpfr_t a0, a1, tt;
        mpfr_inits2(XC_MPFR_PREC, a0, a1, tt, (mpfr_ptr)0);
        bessel_k_asym(a0, 0, x0);
        bessel_k_asym(a1, 1, x0);
        if (n == 0)
            mpfr_set(a1, a0, MPFR_RNDN);
        for (long m = 1; m < n; m++) {
            mpfr_mul_ui(tt, a1, (unsigned long)(2 * m), MPFR_RNDN);
            mpfr_div(tt, tt, x0, MPFR_RNDN);
            mpfr_add(tt, tt, a0, MPFR_RNDN);
            mpfr_set(a0, a1, MPFR_RNDN);
            mpfr_set(a1, tt, MPFR_RNDN);
        }
        st = mp_out(out, a1, 0);
        mpfr_clears(a0, a1, tt, x0, (mpfr_ptr)0);
        return st;
    }
    mpfr_prec_t p = series_prec(x0);
    mpfr_t x, lg, g, q, term, sum, hk, k0, k1, i0, i1, t, tol;
    mpfr_inits2(p, x, lg, g, q, term, sum, hk, k0, k1, i0, i1, t, tol,
                (mpfr_ptr)0);
    mpfr_set(x, x0, MPFR_RNDN);
    mpfr_div_2ui(lg, x, 1, MPFR_RNDN);
    mpfr_sqr(q, lg, MPFR_RNDN);  /* x^2/4 */
    mpfr_log(lg, lg, MPFR_RNDN); /* ln(x/2) */
    mpfr_const_euler(g, MPFR_RNDN);
    bessel_i(i0, 0, x);
    bessel_i(i1, 1, x);
    /* K0 = -(ln(x/2)+g) I0 + sum_{k>=1} q^k/(k!)^2 H_k */
    mpfr_set_ui(term, 1, MPFR_RNDN);
    mpfr_set_ui(sum, 0, MPFR_RNDN);
    mpfr_set_ui(hk, 0, MPFR_RNDN);
    for (long k = 1; k < 1000000; k++) {
        mpfr_mul(term, term, q, MPFR_RNDN);
        mpfr_div_ui(term, term, (unsigned long)k, MPFR_RNDN);
        mpfr_div_ui(term, term, (unsigned long)k, MPFR_RNDN);
        mpfr_set_ui(t, 1, MPFR_RNDN);
        mpfr_div_ui(t, t, (unsigned long)k, MPFR_RNDN);
        mpfr_add(hk, hk, t, MPFR_RNDN);
        mpfr_mul(t, term, hk, MPFR_RNDN);
        mpfr_add(sum, sum, t, MPFR_RNDN);
        mpfr_abs(tol, sum, MPFR_RNDN);
        mpfr_mul_2si(tol, tol, -(long)p, MPFR_RNDN);
        if (mpfr_cmpabs(t, tol) <= 0)
            break;
    }
    mpfr_add(k0, lg, g, MPFR_RNDN);
    mpfr_mul(k0, k0, i0, MPFR_RNDN);
    mpfr_sub(k0, sum, k0, MPFR_RNDN);
    /* K1 = 1/x + ln(x/2) I1 - (x/4) sum_{k>=0} (psi(k+1)+psi(k+2))
     *      q^k / (k!(k+1)!),  psi(m+1) = H_m - g */
    mpfr_set_ui(term, 1, MPFR_RNDN);
    mpfr_set_ui(hk, 0, MPFR_RNDN); /* H_k */
    mpfr_set_ui(sum, 0, MPFR_RNDN);
    for (long k = 0; k < 1000000; k++) {
        if (k > 0) {
            mpfr_mul(term, term, q, MPFR_RNDN);
            mpfr_div_ui(term, term, (unsigned long)k, MPFR_RNDN);
            mpfr_div_ui(term, term, (unsigned long)(k + 1), MPFR_RNDN);
            mpfr_set_ui(t, 1, MPFR_RNDN);
            mpfr_div_ui(t, t, (unsigned long)k, MPFR_RNDN);
            mpfr_add(hk, hk, t, MPFR_RNDN);
        } else {
            mpfr_set_ui(term, 1, MPFR_RNDN); /* q^0/(0!1!) */
        }
        /* psi(k+1)+psi(k+2) = 2 H_k + 1/(k+1) - 2g */
        mpfr_mul_2ui(t, hk, 1, MPFR_RNDN);
        mpfr_set_ui(tol, 1, MPFR_RNDN);
        mpfr_div_ui(tol, tol, (unsigned long)(k + 1), MPFR_RNDN);
        mpfr_add(t, t, tol, MPFR_RNDN);
        mpfr_mul_2ui(tol, g, 1, MPFR_RNDN);
        mpfr_sub(t, t, tol, MPFR_RNDN);
        mpfr_mul(t, t, term, MPFR_RNDN);
        mpfr_add(sum, sum, t, MPFR_RNDN);
        mpfr_abs(tol, sum, MPFR_RNDN);
        mpfr_mul_2si(tol, tol, -(long)p, MPFR_RNDN);
        if (k > 0 && mpfr_cmpabs(t, tol) <= 0)
            break;
    }
    mpfr_mul(sum, sum, x, MPFR_RNDN);
    mpfr_div_2ui(sum, sum, 2, MPFR_RNDN);
    mpfr_ui_div(k1, 1, x, MPFR_RNDN);
    mpfr_mul(t, lg, i1, MPFR_RNDN);
    mpfr_add(k1, k1, t, MPFR_RNDN);
    mpfr_sub(k1, k1, sum, MPFR_RNDN);
    if (n == 0)
        mpfr_set(k1, k0, MPFR_RNDN);
    for (long m = 1; m < n; m++) {
        /* K_{m+1} = K_{m-1} + (2m/x) K_m */
        mpfr_mul_ui(t, k1, (unsigned long)(2 * m), MPFR_RNDN);
        mpfr_div(t, t, x, MPFR_RNDN);
        mpfr_add(t, t, k0, MPFR_RNDN);
        mpfr_set(k0, k1, MPFR_RNDN);
        mpfr_set(k1, t, MPFR_RNDN);
    }
    mpfr_set(x0, k1, MPFR_RNDN);
    st = mp_out(out, x0, 0);
    mpfr_clears(x0, x, lg, g, q, term, sum, hk, k0, k1, i0, i1, t, tol,
                (mpfr_ptr)0);
    return st;
}

/* ---- Complex numbers ---------------------------------------------------
 * Excel writes complex numbers as text: "3+4i", "-2.5j", "i", "7".
 * Sums, differences, products, quotients, conjugates and integer powers
 * stay exact rationals; the transcendental functions go through MPFR
 * (real and imaginary parts by the usual identities) and come back as
 * rationals.  Each part prints in General format (15 digits). */

typedef struct cplx {
    mpq_t re, im;
    char sfx; /* 'i', 'j', or 0 when the text had no imaginary unit */
} cplx;

static void cx_init(cplx *z)
{
    mpq_inits(z->re, z->im, NULL);
    z->sfx = 0;
}

static void cx_clear(cplx *z)
{
    mpq_clears(z->re, z->im, NULL);
}

static int parse_part(const char *s, size_t n, mpq_t q)
{
    xc_num x;
    int st;
    xc_num_init(&x);
    st = xc_num_parse(&x, s, n, 0, NULL);
    if (st == XC_OK)
        xc_num_get_mpq(q, &x);
    xc_num_clear(&x);
    return st;
}

/* Parse a value as a complex number; 0 or the error. */
static xc_error cx_parse(const xc_value *v, cplx *z)
{
    mpq_set_ui(z->re, 0, 1);
    mpq_set_ui(z->im, 0, 1);
    z->sfx = 0;
    if (v->type == XC_NUMBER) {
        xc_num_get_mpq(z->re, &v->u.num);
        return XC_ERR_NONE;
    }
    if (v->type == XC_ERROR)
        return (xc_error)v->err;
    if (v->type == XC_EMPTY)
        return XC_ERR_NONE;
    if (v->type != XC_TEXT)
        return XC_ERR_VALUE;
    const char *s = v->u.str->s;
    size_t n = v->u.str->len;
    if (n == 0)
        return XC_ERR_NONE;
    if (s[n - 1] != 'i' && s[n - 1] != 'j')
        return parse_part(s, n, z->re) == XC_OK ? XC_ERR_NONE : XC_ERR_NUM;
    z->sfx = s[n - 1];
    n--;
    /* split at the last sign that is not leading or after an exponent */
    size_t k = 0;
    for (size_t i = n; i-- > 1;)
        if ((s[i] == '+' || s[i] == '-') && s[i - 1] != 'e' &&
            s[i - 1] != 'E') {
            k = i;
            break;
        }
    if (k > 0 && parse_part(s, k, z->re) != XC_OK)
        return XC_ERR_NUM;
    const char *b = s + k;
    size_t bn = n - k;
    if (bn == 0 || (bn == 1 && (b[0] == '+' || b[0] == '-')))
        mpq_set_si(z->im, bn && b[0] == '-' ? -1 : 1, 1);
    else if (parse_part(b, bn, z->im) != XC_OK)
        return XC_ERR_NUM;
    return XC_ERR_NONE;
}

static int put_part(xc_buf *b, mpq_srcptr q)
{
    xc_num x;
    int st;
    xc_num_init(&x);
    st = xc_num_set_mpq(&x, q);
    long e = st == XC_OK && mpq_sgn(q) != 0 ? xc_num_exp10(&x) : 0;
    if (st == XC_OK && e >= -18 && e <= -10) {
        /* Excel writes small parts in plain notation down to 1E-18
         * ("0.0000000000000001"), 15 significant digits */
        size_t n0 = b->len;
        st = xc_num_format_fixed(b, &x, (int)(14 - e));
        while (st == XC_OK && b->len > n0 && b->p[b->len - 1] == '0')
            b->len--;
        if (st == XC_OK && b->len > n0 && b->p[b->len - 1] == '.')
            b->len--;
        if (st == XC_OK)
            b->p[b->len] = 0;
    } else if (st == XC_OK)
        st = xc_num_format(b, &x, XC_FMT_GENERAL);
    xc_num_clear(&x);
    return st;
}

/* Text of z with suffix sfx ("3+4i", "i", "-2j", "0"). */
static int cx_out(xc_value *out, const cplx *z, char sfx)
{
    xc_buf b;
    int st = XC_OK;
    xc_buf_init(&b);
    int re = mpq_sgn(z->re) != 0, im = mpq_sgn(z->im) != 0;
    if (re || !im)
        st = put_part(&b, z->re);
    if (st == XC_OK && im) {
        if (mpq_cmp_si(z->im, 1, 1) == 0)
            st = re ? xc_buf_putc(&b, '+') : XC_OK;
        else if (mpq_cmp_si(z->im, -1, 1) == 0)
            st = xc_buf_putc(&b, '-');
        else {
            if (re && mpq_sgn(z->im) > 0)
                st = xc_buf_putc(&b, '+');
            if (st == XC_OK)
                st = put_part(&b, z->im);
        }
        if (st == XC_OK)
            st = xc_buf_putc(&b, sfx ? sfx : 'i');
    }
    if (st == XC_OK)
        st = text_out(out, b.p ? b.p : "0");
    xc_buf_clear(&b);
    return st == XC_ELIMIT ? err_out(out, XC_ERR_NUM) : st;
}

/* Suffix agreement: mixing i and j is #VALUE!. */
static int sfx_merge(char *acc, char s)
{
    if (!s)
        return 1;
    if (*acc && *acc != s)
        return 0;
    *acc = s;
    return 1;
}

/* COMPLEX(real_num, i_num, [suffix]) */
static int fn_complex(xc_fncall *c, xc_value *out)
{
    cplx z;
    char sfx = 'i';
    int st;
    for (int i = 0; i < 2; i++) {
        xc_value n = {0};
        if (c->argv[i].type == XC_BOOL)
            return err_out(out, XC_ERR_VALUE);
        if ((st = xc_to_number(&c->argv[i], &n)) != XC_OK)
            return st;
        if (n.type != XC_NUMBER) {
            xc_value_clear(&n);
            return err_out(out, XC_ERR_VALUE);
        }
        xc_value_clear(&c->argv[i]);
        xc_value_move(&c->argv[i], &n);
    }
    if (c->argc > 2 && c->argv[2].type == XC_TEXT) {
        const xc_str *t = c->argv[2].u.str;
        if (t->len == 1 && (t->s[0] == 'i' || t->s[0] == 'j'))
            sfx = t->s[0];
        else if (t->len != 0)
            return err_out(out, XC_ERR_VALUE);
    } else if (c->argc > 2 && c->argv[2].type != XC_EMPTY) {
        return err_out(out, XC_ERR_VALUE);
    }
    cx_init(&z);
    xc_num_get_mpq(z.re, xc_arg_num(c, 0));
    xc_num_get_mpq(z.im, xc_arg_num(c, 1));
    st = cx_out(out, &z, sfx);
    cx_clear(&z);
    return st;
}

static int q_result(xc_value *out, const mpq_t q)
{
    xc_num x;
    int st;
    xc_num_init(&x);
    st = xc_num_set_mpq(&x, q);
    if (st != XC_OK) {
        xc_num_clear(&x);
        return st == XC_ENOMEM ? st : err_out(out, XC_ERR_NUM);
    }
    return xc_result_num(out, &x, 0);
}

/* One-argument exact functions: 0 real, 1 imaginary, 2 conjugate,
 * 3 absolute value. */
static int cx_simple(xc_fncall *c, xc_value *out, int what)
{
    cplx z;
    int st;
    cx_init(&z);
    xc_error e = cx_parse(&c->argv[0], &z);
    if (e)
        st = err_out(out, e);
    else if (what == 0)
        st = q_result(out, z.re);
    else if (what == 1)
        st = q_result(out, z.im);
    else if (what == 2) {
        mpq_neg(z.im, z.im);
        st = cx_out(out, &z, z.sfx);
    } else {
        mpq_t a;
        xc_num x;
        mpq_init(a);
        mpq_mul(a, z.re, z.re);
        mpq_mul(z.im, z.im, z.im);
        mpq_add(a, a, z.im);
        xc_num_init(&x);
        st = xc_num_set_mpq(&x, a);
        if (st == XC_OK)
            st = xc_result_sqrt(out, &x, 0);
        else
            st = err_out(out, XC_ERR_NUM);
        xc_num_clear(&x);
        mpq_clear(a);
    }
    cx_clear(&z);
    return st;
}

static int fn_imreal(xc_fncall *c, xc_value *out)
{
    return cx_simple(c, out, 0);
}
static int fn_imaginary(xc_fncall *c, xc_value *out)
{
    return cx_simple(c, out, 1);
}
static int fn_imconjugate(xc_fncall *c, xc_value *out)
{
    return cx_simple(c, out, 2);
}
static int fn_imabs(xc_fncall *c, xc_value *out)
{
    return cx_simple(c, out, 3);
}

static void cx_mul(cplx *r, const cplx *a, const cplx *b)
{
    mpq_t re, im, t;
    mpq_inits(re, im, t, NULL);
    mpq_mul(re, a->re, b->re);
    mpq_mul(t, a->im, b->im);
    mpq_sub(re, re, t);
    mpq_mul(t, a->re, b->im);
    mpq_mul(im, a->im, b->re);
    mpq_add(im, im, t);
    mpq_set(r->re, re);
    mpq_set(r->im, im);
    mpq_clears(re, im, t, NULL);
}

/* r = a / b, b != 0 */
static void cx_div(cplx *r, const cplx *a, const cplx *b)
{
    mpq_t d, re, im, t;
    mpq_inits(d, re, im, t, NULL);
    mpq_mul(d, b->re, b->re);
    mpq_mul(t, b->im, b->im);
    mpq_add(d, d, t);
    mpq_mul(re, a->re, b->re);
    mpq_mul(t, a->im, b->im);
    mpq_add(re, re, t);
    mpq_mul(im, a->im, b->re);
    mpq_mul(t, a->re, b->im);
    mpq_sub(im, im, t);
    mpq_div(r->re, re, d);
    mpq_div(r->im, im, d);
    mpq_clears(d, re, im, t, NULL);
}

static size_t cx_bits(const cplx *z)
{
    return mpz_sizeinbase(mpq_numref(z->re), 2) +
           mpz_sizeinbase(mpq_denref(z->re), 2) +
           mpz_sizeinbase(mpq_numref(z->im), 2) +
           mpz_sizeinbase(mpq_denref(z->im), 2);
}

typedef struct cxacc {
    cplx acc;
    char sfx;
    int mul;
    xc_error err;
    uint64_t seen; /* stored cells and array elements visited */
} cxacc;

static int cx_visit(void *ud, const xc_value *v, int from_ref)
{
    cxacc *a = ud;
    cplx z;
    if (from_ref)
        a->seen++;
    cx_init(&z);
    a->err = cx_parse(v, &z);
    if (!a->err && !sfx_merge(&a->sfx, z.sfx))
        a->err = XC_ERR_VALUE;
    if (!a->err) {
        if (a->mul)
            cx_mul(&a->acc, &a->acc, &z);
        else {
            mpq_add(a->acc.re, a->acc.re, z.re);
            mpq_add(a->acc.im, a->acc.im, z.im);
        }
        if (cx_bits(&a->acc) > XC_NUM_MAX_BITS)
            a->err = XC_ERR_NUM;
    }
    cx_clear(&z);
    return a->err ? XC_ENOTFOUND : XC_OK;
}

static int cx_fold(xc_fncall *c, xc_value *out, int mul)
{
    cxacc a;
    int st = XC_OK;
    cx_init(&a.acc);
    if (mul)
        mpq_set_ui(a.acc.re, 1, 1);
    a.sfx = 0;
    a.mul = mul;
    a.err = XC_ERR_NONE;
    a.seen = 0;
    /* Only stored cells are visited: a blank counts as 0, which leaves a
     * sum as it is and makes a product 0, so what the blanks do follows
     * from how many positions the ranges hold.  Visiting every position
     * made IMSUM(111:11120) walk 164 million empty cells (fuzz finding
     * 25). */
    uint64_t cells = 0;
    int nsheets = xc_book_sheet_count(c->ev->book);
    for (int i = 0; i < c->argc && st == XC_OK && !a.err; i++) {
        const xc_value *v = &c->argv[i];
        if (v->type == XC_REF) {
            for (uint32_t k = 0; k < v->u.ref->n; k++) {
                const xc_area *ar = &v->u.ref->a[k];
                for (int sh = ar->sheet; sh <= ar->sheet2; sh++)
                    if (sh >= 0 && sh < nsheets)
                        cells += (uint64_t)(ar->r2 - ar->r1 + 1) *
                                 (uint64_t)(ar->c2 - ar->c1 + 1);
            }
        } else if (v->type == XC_ARRAY) {
            cells += (uint64_t)v->u.arr->rows * v->u.arr->cols;
        }
        st = xc_visit(c->ev, v, 0, cx_visit, &a);
        if (st == XC_ENOTFOUND)
            st = XC_OK;
    }
    if (st == XC_OK && mul && !a.err && a.seen < cells) {
        mpq_set_ui(a.acc.re, 0, 1); /* a blank among the factors */
        mpq_set_ui(a.acc.im, 0, 1);
    }
    if (st == XC_OK)
        st = a.err ? err_out(out, a.err) : cx_out(out, &a.acc, a.sfx);
    cx_clear(&a.acc);
    return st;
}

static int fn_imsum(xc_fncall *c, xc_value *out)
{
    return cx_fold(c, out, 0);
}
static int fn_improduct(xc_fncall *c, xc_value *out)
{
    return cx_fold(c, out, 1);
}

/* IMSUB / IMDIV */
static int cx_binary(xc_fncall *c, xc_value *out, int div)
{
    cplx a, b;
    char sfx = 0;
    int st;
    cx_init(&a);
    cx_init(&b);
    xc_error e = cx_parse(&c->argv[0], &a);
    if (!e)
        e = cx_parse(&c->argv[1], &b);
    if (!e && (!sfx_merge(&sfx, a.sfx) || !sfx_merge(&sfx, b.sfx)))
        e = XC_ERR_VALUE;
    if (!e && div && mpq_sgn(b.re) == 0 && mpq_sgn(b.im) == 0)
        e = XC_ERR_NUM;
    if (e)
        st = err_out(out, e);
    else {
        if (div)
            cx_div(&a, &a, &b);
        else {
            mpq_sub(a.re, a.re, b.re);
            mpq_sub(a.im, a.im, b.im);
        }
        st = cx_out(out, &a, sfx);
    }
    cx_clear(&a);
    cx_clear(&b);
    return st;
}

static int fn_imsub(xc_fncall *c, xc_value *out)
{
    return cx_binary(c, out, 0);
}
static int fn_imdiv(xc_fncall *c, xc_value *out)
{
    return cx_binary(c, out, 1);
}

/* ---- Transcendental complex functions (MPFR) */

typedef struct mcx {
    mpfr_t re, im;
} mcx;

static void mcx_init(mcx *z)
{
    mpfr_inits2(XC_MPFR_PREC, z->re, z->im, (mpfr_ptr)0);
}

static void mcx_clear(mcx *z)
{
    mpfr_clears(z->re, z->im, (mpfr_ptr)0);
}

/* r = a / b in MPFR; b must be non-zero. */
static void mcx_div(mcx *r, const mcx *a, const mcx *b)
{
    mpfr_t d, t, re, im;
    mpfr_inits2(XC_MPFR_PREC, d, t, re, im, (mpfr_ptr)0);
    mpfr_sqr(d, b->re, MPFR_RNDN);
    mpfr_sqr(t, b->im, MPFR_RNDN);
    mpfr_add(d, d, t, MPFR_RNDN);
    mpfr_mul(re, a->re, b->re, MPFR_RNDN);
    mpfr_mul(t, a->im, b->im, MPFR_RNDN);
    mpfr_add(re, re, t, MPFR_RNDN);
    mpfr_mul(im, a->im, b->re, MPFR_RNDN);
    mpfr_mul(t, a->re, b->im, MPFR_RNDN);
    mpfr_sub(im, im, t, MPFR_RNDN);
    mpfr_div(r->re, re, d, MPFR_RNDN);
    mpfr_div(r->im, im, d, MPFR_RNDN);
    mpfr_clears(d, t, re, im, (mpfr_ptr)0);
}

enum {
    F_EXP,
    F_LN,
    F_LOG10,
    F_LOG2,
    F_SIN,
    F_COS,
    F_TAN,
    F_SEC,
    F_CSC,
    F_COT,
    F_SINH,
    F_COSH,
    F_SECH,
    F_CSCH,
    F_SQRT,
    F_ARG
};

/* sin/cos (hyp = 0) or sinh/cosh (hyp = 1) of a + bi. */
static void trig(mcx *s, mcx *co, const mpfr_t a, const mpfr_t b, int hyp)
{
    mpfr_t sa, ca, sb, cb;
    mpfr_inits2(XC_MPFR_PREC, sa, ca, sb, cb, (mpfr_ptr)0);
    if (!hyp) {
        /* sin = sin a cosh b + i cos a sinh b
         * cos = cos a cosh b - i sin a sinh b */
        mpfr_sin_cos(sa, ca, a, MPFR_RNDN);
        mpfr_sinh_cosh(sb, cb, b, MPFR_RNDN);
        mpfr_mul(s->re, sa, cb, MPFR_RNDN);
        mpfr_mul(s->im, ca, sb, MPFR_RNDN);
        mpfr_mul(co->re, ca, cb, MPFR_RNDN);
        mpfr_mul(co->im, sa, sb, MPFR_RNDN);
        mpfr_neg(co->im, co->im, MPFR_RNDN);
    } else {
        /* sinh = sinh a cos b + i cosh a sin b
         * cosh = cosh a cos b + i sinh a sin b */
        mpfr_sinh_cosh(sa, ca, a, MPFR_RNDN);
        mpfr_sin_cos(sb, cb, b, MPFR_RNDN);
        mpfr_mul(s->re, sa, cb, MPFR_RNDN);
        mpfr_mul(s->im, ca, sb, MPFR_RNDN);
        mpfr_mul(co->re, ca, cb, MPFR_RNDN);
        mpfr_mul(co->im, sa, sb, MPFR_RNDN);
    }
    mpfr_clears(sa, ca, sb, cb, (mpfr_ptr)0);
}

static int mcx_zero(const mcx *z)
{
    return mpfr_zero_p(z->re) && mpfr_zero_p(z->im);
}

static int mpfr_to_q(mpq_t q, const mpfr_t f)
{
    if (!mpfr_number_p(f))
        return 0;
    mpfr_get_q(q, f);
    return 1;
}

static int cx_func(xc_fncall *c, xc_value *out, int f)
{
    cplx z;
    mcx a, r, t;
    int st = XC_OK, ok = 1;
    cx_init(&z);
    xc_error e = cx_parse(&c->argv[0], &z);
    if (e) {
        cx_clear(&z);
        return err_out(out, e);
    }
    mcx_init(&a);
    mcx_init(&r);
    mcx_init(&t);
    mpfr_set_q(a.re, z.re, MPFR_RNDN);
    mpfr_set_q(a.im, z.im, MPFR_RNDN);
    switch (f) {
    case F_EXP:
        mpfr_exp(r.re, a.re, MPFR_RNDN);
        mpfr_sin_cos(t.im, t.re, a.im, MPFR_RNDN);
        mpfr_mul(r.im, r.re, t.im, MPFR_RNDN);
        mpfr_mul(r.re, r.re, t.re, MPFR_RNDN);
        break;
    case F_LN:
    case F_LOG10:
    case F_LOG2:
    case F_ARG:
        if (mcx_zero(&a)) {
            ok = 0;
            break;
        }
        mpfr_hypot(r.re, a.re, a.im, MPFR_RNDN);
        mpfr_log(r.re, r.re, MPFR_RNDN);
        mpfr_atan2(r.im, a.im, a.re, MPFR_RNDN);
        if (f == F_LOG10 || f == F_LOG2) {
            mpfr_set_ui(t.re, f == F_LOG10 ? 10 : 2, MPFR_RNDN);
            mpfr_log(t.re, t.re, MPFR_RNDN);
            mpfr_div(r.re, r.re, t.re, MPFR_RNDN);
            mpfr_div(r.im, r.im, t.re, MPFR_RNDN);
        }
        break;
    case F_SQRT:
        /* sqrt(a+bi) = sqrt((|z|+a)/2) + i sign(b) sqrt((|z|-a)/2) */
        mpfr_hypot(t.re, a.re, a.im, MPFR_RNDN);
        mpfr_add(r.re, t.re, a.re, MPFR_RNDN);
        mpfr_div_2ui(r.re, r.re, 1, MPFR_RNDN);
        mpfr_sqrt(r.re, r.re, MPFR_RNDN);
        mpfr_sub(r.im, t.re, a.re, MPFR_RNDN);
        mpfr_div_2ui(r.im, r.im, 1, MPFR_RNDN);
        mpfr_sqrt(r.im, r.im, MPFR_RNDN);
        if (mpfr_sgn(a.im) < 0)
            mpfr_neg(r.im, r.im, MPFR_RNDN);
        break;
    default: {
        int hyp = f == F_SINH || f == F_COSH || f == F_SECH || f == F_CSCH;
        mcx s, co;
        mcx_init(&s);
        mcx_init(&co);
        trig(&s, &co, a.re, a.im, hyp);
        mpfr_set_ui(t.re, 1, MPFR_RNDN);
        mpfr_set_ui(t.im, 0, MPFR_RNDN);
        switch (f) {
        case F_SIN:
        case F_SINH:
            mpfr_set(r.re, s.re, MPFR_RNDN);
            mpfr_set(r.im, s.im, MPFR_RNDN);
            break;
        case F_COS:
        case F_COSH:
            mpfr_set(r.re, co.re, MPFR_RNDN);
            mpfr_set(r.im, co.im, MPFR_RNDN);
            break;
        case F_TAN:
            if ((ok = !mcx_zero(&co)))
                mcx_div(&r, &s, &co);
            break;
        case F_COT:
            if ((ok = !mcx_zero(&s)))
                mcx_div(&r, &co, &s);
            break;
        case F_SEC:
        case F_SECH:
            if ((ok = !mcx_zero(&co)))
                mcx_div(&r, &t, &co);
            break;
        default: /* csc, csch */
            if ((ok = !mcx_zero(&s)))
                mcx_div(&r, &t, &s);
        }
        mcx_clear(&s);
        mcx_clear(&co);
    }
    }
    if (!ok) {
        /* Excel: IMARGUMENT(0) is #DIV/0!, the other functions #NUM! */
        st = err_out(out, f == F_ARG ? XC_ERR_DIV0 : XC_ERR_NUM);
    } else if (f == F_ARG) {
        xc_num x;
        xc_num_init(&x);
        st = xc_num_set_mpfr(&x, r.im);
        if (st == XC_OK)
            st = xc_result_num(out, &x, XC_VAL_INEXACT);
        else {
            xc_num_clear(&x);
            st = err_out(out, XC_ERR_NUM);
        }
    } else if (!mpfr_to_q(z.re, r.re) || !mpfr_to_q(z.im, r.im)) {
        st = err_out(out, XC_ERR_NUM);
    } else {
        st = cx_out(out, &z, z.sfx);
    }
    mcx_clear(&a);
    mcx_clear(&r);
    mcx_clear(&t);
    cx_clear(&z);
    return st;
}

#define CXF(fn, code)                                                          \
    static int fn(xc_fncall *c, xc_value *out)                                 \
    {                                                                          \
        return cx_func(c, out, code);                                          \
    }
CXF(fn_imexp, F_EXP)
CXF(fn_imln, F_LN)
CXF(fn_imlog10, F_LOG10)
CXF(fn_imlog2, F_LOG2)
CXF(fn_imsin, F_SIN)
CXF(fn_imcos, F_COS)
CXF(fn_imtan, F_TAN)
CXF(fn_imsec, F_SEC)
CXF(fn_imcsc, F_CSC)
CXF(fn_imcot, F_COT)
CXF(fn_imsinh, F_SINH)
CXF(fn_imcosh, F_COSH)
CXF(fn_imsech, F_SECH)
CXF(fn_imcsch, F_CSCH)
CXF(fn_imsqrt, F_SQRT)
CXF(fn_imargument, F_ARG)

/* IMPOWER(inumber, number): exact for integer powers up to 1024 in size,
 * else in polar form through MPFR. */
static int fn_impower(xc_fncall *c, xc_value *out)
{
    cplx z, r;
    int st;
    int64_t k;
    xc_error e = strict_from(c, 1);
    cx_init(&z);
    cx_init(&r);
    if (!e)
        e = cx_parse(&c->argv[0], &z);
    int zero = mpq_sgn(z.re) == 0 && mpq_sgn(z.im) == 0;
    if (!e && zero && xc_num_sign(xc_arg_num(c, 1)) <= 0)
        e = XC_ERR_NUM;
    if (e) {
        st = err_out(out, e);
    } else if (xc_num_is_int(xc_arg_num(c, 1)) &&
               xc_num_get_int64(xc_arg_num(c, 1), &k) == XC_OK && k >= -1024 &&
               k <= 1024 &&
               cx_bits(&z) * (size_t)(k < 0 ? -k : k) < XC_NUM_MAX_BITS / 2) {
        /* square and multiply */
        cplx b;
        cx_init(&b);
        mpq_set(b.re, z.re);
        mpq_set(b.im, z.im);
        mpq_set_ui(r.re, 1, 1);
        for (int64_t m = k < 0 ? -k : k; m > 0; m >>= 1) {
            if (m & 1)
                cx_mul(&r, &r, &b);
            if (m > 1)
                cx_mul(&b, &b, &b);
        }
        if (k < 0) {
            cplx one;
            cx_init(&one);
            mpq_set_ui(one.re, 1, 1);
            cx_div(&r, &one, &r);
            cx_clear(&one);
        }
        cx_clear(&b);
        st = cx_out(out, &r, z.sfx);
    } else {
        mpfr_t m, th, p, s, co;
        mpfr_inits2(XC_MPFR_PREC, m, th, p, s, co, (mpfr_ptr)0);
        mpfr_set_q(s, z.re, MPFR_RNDN);
        mpfr_set_q(co, z.im, MPFR_RNDN);
        mpfr_hypot(m, s, co, MPFR_RNDN);
        mpfr_atan2(th, co, s, MPFR_RNDN);
        xc_num_get_mpfr(p, xc_arg_num(c, 1), MPFR_RNDN);
        mpfr_pow(m, m, p, MPFR_RNDN);
        mpfr_mul(th, th, p, MPFR_RNDN);
        mpfr_sin_cos(s, co, th, MPFR_RNDN);
        mpfr_mul(co, co, m, MPFR_RNDN);
        mpfr_mul(s, s, m, MPFR_RNDN);
        if (mpfr_to_q(r.re, co) && mpfr_to_q(r.im, s))
            st = cx_out(out, &r, z.sfx);
        else
            st = err_out(out, XC_ERR_NUM);
        mpfr_clears(m, th, p, s, co, (mpfr_ptr)0);
    }
    cx_clear(&z);
    cx_clear(&r);
    return st;
}

/* ---- Table ----------------------------------------------------------------
 */

#define E(name, args, impl, syntax, help, ex)                                  \
    {                                                                          \
        name, args, impl, 0, "eng", syntax, help, ex                           \
    }

const xc_fn_def xc_fns_eng[] = {
    E("BESSELI", "vn", fn_besseli, "BESSELI(x, n)",
      "Modified Bessel function I_n(x).",
      "=ROUND(BESSELI(1.5,1),9) -> 0.981666429"),
    E("BESSELJ", "vn", fn_besselj, "BESSELJ(x, n)", "Bessel function J_n(x).",
      "=ROUND(BESSELJ(1.9,2),9) -> 0.329925728"),
    E("BESSELK", "vn", fn_besselk, "BESSELK(x, n)",
      "Modified Bessel function K_n(x).",
      "=ROUND(BESSELK(1.5,1),9) -> 0.2773878\n=BESSELK(0,1) -> #NUM!"),
    E("BESSELY", "vn", fn_bessely, "BESSELY(x, n)", "Bessel function Y_n(x).",
      "=ROUND(BESSELY(2.5,1),9) -> 0.145918138"),
    E("BIN2DEC", "v", fn_bin2dec, "BIN2DEC(number)",
      "Binary to decimal (ten bits, two's complement).",
      "=BIN2DEC(1100100) -> 100\n=BIN2DEC(1111111111) -> -1"),
    E("BIN2HEX", "v|v", fn_bin2hex, "BIN2HEX(number, [places])",
      "Binary to hexadecimal.", "=BIN2HEX(11111011,4) -> 00FB"),
    E("BIN2OCT", "v|v", fn_bin2oct, "BIN2OCT(number, [places])",
      "Binary to octal.", "=BIN2OCT(1001,3) -> 011"),
    E("BITAND", "nn", fn_bitand, "BITAND(number1, number2)", "Bitwise AND.",
      "=BITAND(13,25) -> 9"),
    E("BITLSHIFT", "nn", fn_bitlshift, "BITLSHIFT(number, shift_amount)",
      "Shifts bits left (right for a negative amount).",
      "=BITLSHIFT(4,2) -> 16"),
    E("BITOR", "nn", fn_bitor, "BITOR(number1, number2)", "Bitwise OR.",
      "=BITOR(23,10) -> 31"),
    E("BITRSHIFT", "nn", fn_bitrshift, "BITRSHIFT(number, shift_amount)",
      "Shifts bits right (left for a negative amount).",
      "=BITRSHIFT(13,2) -> 3"),
    E("BITXOR", "nn", fn_bitxor, "BITXOR(number1, number2)", "Bitwise XOR.",
      "=BITXOR(5,3) -> 6"),
    E("COMPLEX", "vv|v", fn_complex, "COMPLEX(real_num, i_num, [suffix])",
      "Complex number text from real and imaginary parts.",
      "=COMPLEX(3,4) -> 3+4i\n=COMPLEX(0,-1,\"j\") -> -j"),
    E("CONVERT", "nss", fn_convert, "CONVERT(number, from_unit, to_unit)",
      "Converts between units of measure (exact factors).",
      "=CONVERT(1,\"in\",\"cm\") -> 2.54\n=CONVERT(68,\"F\",\"C\") -> 20\n"
      "=CONVERT(1,\"m\",\"kg\") -> #N/A"),
    E("DEC2BIN", "v|v", fn_dec2bin, "DEC2BIN(number, [places])",
      "Decimal to binary (negatives as ten-bit two's complement).",
      "=DEC2BIN(9,4) -> 1001\n=DEC2BIN(-100) -> 1110011100"),
    E("DEC2HEX", "v|v", fn_dec2hex, "DEC2HEX(number, [places])",
      "Decimal to hexadecimal.",
      "=DEC2HEX(100,4) -> 0064\n"
      "=DEC2HEX(-54) -> FFFFFFFFCA"),
    E("DEC2OCT", "v|v", fn_dec2oct, "DEC2OCT(number, [places])",
      "Decimal to octal.", "=DEC2OCT(58,3) -> 072"),
    E("DELTA", "v|v", fn_delta, "DELTA(number1, [number2])",
      "1 if two numbers are equal, else 0.", "=DELTA(5,5) -> 1"),
    E("ERF", "v|v", fn_erf, "ERF(lower_limit, [upper_limit])",
      "Error function (between two limits when both are given).",
      "=ROUND(ERF(1),9) -> 0.842700793\n=ERF(0) -> 0"),
    E("ERF.PRECISE", "v", fn_erf, "ERF.PRECISE(x)", "Error function.",
      "=ROUND(ERF.PRECISE(0.5),9) -> 0.520499878"),
    E("ERFC", "v", fn_erfc, "ERFC(x)", "Complementary error function.",
      "=ROUND(ERFC(1),9) -> 0.157299207"),
    E("ERFC.PRECISE", "v", fn_erfc, "ERFC.PRECISE(x)",
      "Complementary error function.", "=ERFC.PRECISE(0) -> 1"),
    E("GESTEP", "v|v", fn_gestep, "GESTEP(number, [step])",
      "1 if number >= step, else 0.", "=GESTEP(-1) -> 0"),
    E("HEX2BIN", "v|v", fn_hex2bin, "HEX2BIN(number, [places])",
      "Hexadecimal to binary.", "=HEX2BIN(\"F\",8) -> 00001111"),
    E("HEX2DEC", "v", fn_hex2dec, "HEX2DEC(number)", "Hexadecimal to decimal.",
      "=HEX2DEC(\"FFFFFFFF5B\") -> -165"),
    E("HEX2OCT", "v|v", fn_hex2oct, "HEX2OCT(number, [places])",
      "Hexadecimal to octal.", "=HEX2OCT(\"F\",3) -> 017"),
    E("IMABS", "v", fn_imabs, "IMABS(inumber)",
      "Absolute value of a complex number.", "=IMABS(\"3+4i\") -> 5"),
    E("IMAGINARY", "v", fn_imaginary, "IMAGINARY(inumber)", "Imaginary part.",
      "=IMAGINARY(\"3-4j\") -> -4"),
    E("IMARGUMENT", "v", fn_imargument, "IMARGUMENT(inumber)",
      "Argument (angle) in radians.",
      "=ROUND(IMARGUMENT(\"i\"),9) -> 1.570796327"),
    E("IMCONJUGATE", "v", fn_imconjugate, "IMCONJUGATE(inumber)",
      "Complex conjugate.", "=IMCONJUGATE(\"3+4i\") -> 3-4i"),
    E("IMCOS", "v", fn_imcos, "IMCOS(inumber)", "Cosine of a complex number.",
      "=IMCOS(\"0\") -> 1"),
    E("IMCOSH", "v", fn_imcosh, "IMCOSH(inumber)", "Hyperbolic cosine.",
      "=IMCOSH(0) -> 1"),
    E("IMCOT", "v", fn_imcot, "IMCOT(inumber)", "Cotangent.",
      "=IMCOT(0) -> #NUM!"),
    E("IMCSC", "v", fn_imcsc, "IMCSC(inumber)", "Cosecant.",
      "=IMCSC(0) -> #NUM!"),
    E("IMCSCH", "v", fn_imcsch, "IMCSCH(inumber)", "Hyperbolic cosecant.",
      "=IMCSCH(0) -> #NUM!"),
    E("IMDIV", "vv", fn_imdiv, "IMDIV(inumber1, inumber2)",
      "Quotient of two complex numbers.",
      "=IMDIV(\"-238+240i\",\"10+24i\") -> 5+12i\n=IMDIV(1,0) -> #NUM!"),
    E("IMEXP", "v", fn_imexp, "IMEXP(inumber)", "Exponential.",
      "=IMEXP(0) -> 1"),
    E("IMLN", "v", fn_imln, "IMLN(inumber)", "Natural logarithm.",
      "=IMLN(1) -> 0"),
    E("IMLOG10", "v", fn_imlog10, "IMLOG10(inumber)", "Base-10 logarithm.",
      "=IMLOG10(1) -> 0"),
    E("IMLOG2", "v", fn_imlog2, "IMLOG2(inumber)", "Base-2 logarithm.",
      "=IMLOG2(1) -> 0"),
    E("IMPOWER", "vv", fn_impower, "IMPOWER(inumber, number)",
      "Complex number raised to a power.", "=IMPOWER(\"2+3i\",3) -> -46+9i"),
    E("IMPRODUCT", "a*", fn_improduct, "IMPRODUCT(inumber1, ...)",
      "Product of complex numbers.", "=IMPRODUCT(\"3+4i\",\"5-3i\") -> 27+11i"),
    E("IMREAL", "v", fn_imreal, "IMREAL(inumber)", "Real part.",
      "=IMREAL(\"6-9i\") -> 6"),
    E("IMSEC", "v", fn_imsec, "IMSEC(inumber)", "Secant.", "=IMSEC(0) -> 1"),
    E("IMSECH", "v", fn_imsech, "IMSECH(inumber)", "Hyperbolic secant.",
      "=IMSECH(0) -> 1"),
    E("IMSIN", "v", fn_imsin, "IMSIN(inumber)", "Sine.", "=IMSIN(0) -> 0"),
    E("IMSINH", "v", fn_imsinh, "IMSINH(inumber)", "Hyperbolic sine.",
      "=IMSINH(0) -> 0"),
    E("IMSQRT", "v", fn_imsqrt, "IMSQRT(inumber)", "Square root.",
      "=IMSQRT(\"-4\") -> 2i\n=IMSQRT(\"3+4i\") -> 2+i"),
    E("IMSUB", "vv", fn_imsub, "IMSUB(inumber1, inumber2)",
      "Difference of two complex numbers.",
      "=IMSUB(\"13+4i\",\"5+3i\") -> 8+i"),
    E("IMSUM", "a*", fn_imsum, "IMSUM(inumber1, ...)",
      "Sum of complex numbers.", "=IMSUM(\"3+4i\",\"5-3i\") -> 8+i"),
    E("IMTAN", "v", fn_imtan, "IMTAN(inumber)", "Tangent.", "=IMTAN(0) -> 0"),
    E("OCT2BIN", "v|v", fn_oct2bin, "OCT2BIN(number, [places])",
      "Octal to binary.", "=OCT2BIN(3,3) -> 011"),
    E("OCT2DEC", "v", fn_oct2dec, "OCT2DEC(number)", "Octal to decimal.",
      "=OCT2DEC(54) -> 44"),
    E("OCT2HEX", "v|v", fn_oct2hex, "OCT2HEX(number, [places])",
      "Octal to hexadecimal.", "=OCT2HEX(100,4) -> 0040"),
};
const size_t xc_fns_eng_n = sizeof xc_fns_eng / sizeof *xc_fns_eng;
