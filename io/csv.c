/* csv.c - CSV import and export (RFC 4180).
 *
 * Input is UTF-8 (with or without BOM) or, when it is not valid UTF-8,
 * GB18030 converted with iconv.  Cells are values only: numbers are
 * recognised exactly, TRUE/FALSE and error literals too; quoted fields
 * stay text.  Output is UTF-8 with numbers in the exact file format and
 * is written atomically (temporary file in the same folder + rename). */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xlsx_int.h"

#define CSV_MAX_BYTES (1ull << 30)

static int read_file(const char *path, xc_buf *out, xc_buf *err)
{
    FILE *f = fopen(path, "rb");
    char tmp[65536];
    size_t n;
    if (!f) {
        xc_buf_printf(err, "%s: %s", path, strerror(errno));
        return XC_EIO;
    }
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (out->len + n > CSV_MAX_BYTES) {
            fclose(f);
            xc_buf_printf(err, "%s: file larger than 1 GiB", path);
            return XC_ELIMIT;
        }
        if (xc_buf_put(out, tmp, n) != XC_OK) {
            fclose(f);
            return XC_ENOMEM;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        xc_buf_printf(err, "%s: read error", path);
        return XC_EIO;
    }
    return XC_OK;
}

static int valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = xc_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1) /* an invalid sequence */
            return 0;
        i += k;
    }
    return 1;
}

static int from_gb18030(const char *path, xc_buf *in, xc_buf *err)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    xc_buf out;
    int st = XC_OK;
    if (cd == (iconv_t)-1) {
        xc_buf_printf(err, "%s: not UTF-8, and GB18030 is not available", path);
        return XC_EUNSUPPORTED;
    }
    xc_buf_init(&out);
    char *ip = in->p;
    size_t il = in->len;
    while (il > 0 && st == XC_OK) {
        char tmp[65536], *op = tmp;
        size_t ol = sizeof tmp;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        if (xc_buf_put(&out, tmp, sizeof tmp - ol) != XC_OK)
            st = XC_ENOMEM;
        else if (r == (size_t)-1 && errno != E2BIG) {
            xc_buf_printf(err, "%s: byte %zu: neither UTF-8 nor GB18030 text",
                          path, (size_t)(ip - in->p));
            st = XC_EFORMAT;
        }
    }
    iconv_close(cd);
    if (st == XC_OK) {
        xc_buf_clear(in);
        *in = out;
    } else {
        xc_buf_clear(&out);
    }
    return st;
}

/* Value of an unquoted field: number, logical, error literal or text. */
static int field_value(const char *s, size_t n, int quoted, xc_value *v)
{
    xc_num x;
    if (n == 0 && !quoted)
        return XC_OK;
    if (!quoted) {
        xc_num_init(&x);
        if (xc_num_parse(&x, s, n, 0, NULL) == XC_OK) {
            xc_value_take_num(v, &x);
            xc_num_clear(&x);
            return XC_OK;
        }
        xc_num_clear(&x);
        if (n == 4 && strncasecmp(s, "TRUE", 4) == 0) {
            xc_value_set_bool(v, 1);
            return XC_OK;
        }
        if (n == 5 && strncasecmp(s, "FALSE", 5) == 0) {
            xc_value_set_bool(v, 0);
            return XC_OK;
        }
        xc_error e = xc_error_parse(s, n);
        if (e != XC_ERR_NONE && e != XC_ERR_CIRC) {
            xc_value_set_error(v, e);
            return XC_OK;
        }
    }
    return xc_value_set_text(v, s, n);
}

/* Sheet name from the file name: base name without extension, Excel's
 * forbidden characters replaced, at most 31 characters. */
static void sheet_name(const char *path, xc_buf *out)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    size_t chars = 0;
    for (size_t i = 0; i < n && chars < 31;) {
        uint32_t cp;
        size_t k = xc_utf8_decode(base + i, n - i, &cp);
        if (strchr("[]:*?/\\'", (int)cp) && cp < 128)
            xc_buf_putc(out, '_');
        else
            xc_buf_put(out, base + i, k);
        i += k;
        chars++;
    }
    if (out->len == 0)
        xc_buf_puts(out, "Sheet1");
}

static int parse_csv(xc_book *b, int sheet, const char *path, const char *s,
                     size_t n, xc_buf *err)
{
    xc_buf field;
    uint32_t row = 0, col = 0;
    size_t i = 0;
    int st = XC_OK;
    xc_buf_init(&field);
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && st == XC_OK) {
        int quoted = 0;
        xc_buf_reset(&field);
        if (s[i] == '"') {
            quoted = 1;
            i++;
            for (;;) {
                if (i >= n) {
                    xc_buf_printf(err, "%s: row %u: unterminated quoted field",
                                  path, row + 1);
                    st = XC_EFORMAT;
                    break;
                }
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        xc_buf_putc(&field, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (xc_buf_putc(&field, s[i++]) != XC_OK)
                    st = XC_ENOMEM;
            }
            /* tolerate text after the closing quote */
            while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                xc_buf_putc(&field, s[i++]);
        } else {
            size_t j = i;
            while (j < n && s[j] != ',' && s[j] != '\n' && s[j] != '\r')
                j++;
            xc_buf_put(&field, s + i, j - i);
            i = j;
        }
        if (st != XC_OK)
            break;
        if (row >= XC_MAX_ROWS || col >= XC_MAX_COLS) {
            xc_buf_printf(err, "%s: row %u: beyond the sheet limits", path,
                          row + 1);
            st = XC_ELIMIT;
            break;
        }
        xc_value v = {0};
        st = field_value(field.p ? field.p : "", field.len, quoted, &v);
        if (st == XC_OK && v.type != XC_EMPTY)
            st = xc_book_set_value(b, sheet, row, col, &v);
        xc_value_clear(&v);
        if (i < n && s[i] == ',') {
            i++;
            col++;
            if (i == n) /* trailing comma: an empty last field */
                break;
        } else {
            if (i < n && s[i] == '\r')
                i++;
            if (i < n && s[i] == '\n')
                i++;
            row++;
            col = 0;
        }
    }
    xc_buf_clear(&field);
    if (st != XC_OK && err->len == 0)
        xc_buf_printf(err, "%s: %s", path, xc_status_str(st));
    return st;
}

int xc_csv_load(const char *path, xc_book **out, xc_buf *err)
{
    xc_buf data, name;
    xc_book *b;
    int st, sheet;
    *out = NULL;
    xc_buf_reset(err);
    xc_buf_init(&data);
    xc_buf_init(&name);
    st = read_file(path, &data, err);
    if (st == XC_OK && data.len && !valid_utf8(data.p, data.len))
        st = from_gb18030(path, &data, err);
    if (st != XC_OK) {
        xc_buf_clear(&data);
        return st;
    }
    b = xc_book_new();
    if (!b) {
        xc_buf_clear(&data);
        return XC_ENOMEM;
    }
    sheet_name(path, &name);
    st = xc_book_add_sheet(b, name.p, name.len, &sheet);
    if (st != XC_OK)
        st = xc_book_add_sheet(b, "Sheet1", 6, &sheet);
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    xc_book_set_loading(b, 1);
    if (st == XC_OK)
        st = parse_csv(b, sheet, path, data.p ? data.p : "", data.len, err);
    xc_book_set_loading(b, 0);
    xc_buf_clear(&data);
    xc_buf_clear(&name);
    if (st != XC_OK) {
        xc_book_free(b);
        return st;
    }
    *out = b;
    return XC_OK;
}

/* Write one field; force_quote keeps text that would read back as
 * something else ("007", "TRUE", "#N/A", "") quoted, so it stays text.
 * Text starting with U+FEFF is quoted too: as the first field of the
 * file it would read back as a byte order mark and vanish. */
static int put_field(xc_buf *o, const char *s, size_t n, int guard,
                     int force_quote)
{
    int quote = force_quote || (n && (s[0] == ' ' || s[n - 1] == ' ')) ||
                (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0);
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (guard && n && strchr("=+-@\t\r", s[0])) {
        guard = 1;
        /* the apostrophe already keeps it text when read back */
        quote = quote && !force_quote ? quote : 0;
        for (size_t i = 0; i < n && !quote; i++)
            quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    } else {
        guard = 0;
    }
    if (quote)
        xc_buf_putc(o, '"');
    if (guard)
        xc_buf_putc(o, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            xc_buf_putc(o, '"');
        xc_buf_putc(o, s[i]);
    }
    return quote ? xc_buf_putc(o, '"') : XC_OK;
}

static int csv_text(xc_book *b, int sheet, unsigned flags, xc_buf *o)
{
    uint32_t rows, cols;
    xc_buf t;
    int st = XC_OK;
    xc_book_sheet_extent(b, sheet, &rows, &cols);
    xc_buf_init(&t);
    for (uint32_t r = 0; r < rows && st == XC_OK; r++) {
        for (uint32_t c = 0; c < cols && st == XC_OK; c++) {
            const xc_value *v = xc_book_get(b, sheet, r, c);
            if (c)
                xc_buf_putc(o, ',');
            xc_buf_reset(&t);
            if (v->type == XC_TEXT) {
                xc_value probe = {0};
                int other = v->u.str->len == 0;
                if (!other &&
                    field_value(v->u.str->s, v->u.str->len, 0, &probe) == XC_OK)
                    other = probe.type != XC_TEXT;
                xc_value_clear(&probe);
                st = put_field(o, v->u.str->s, v->u.str->len,
                               (flags & XC_CSV_GUARD) != 0, other);
                continue;
            }
            if (v->type == XC_ARRAY || v->type == XC_REF)
                continue;
            st = xc_value_format(&t, v, XC_FMT_FILE);
            if (st == XC_OK)
                st = put_field(o, t.p ? t.p : "", t.len, 0, 0);
        }
        if (st == XC_OK)
            st = xc_buf_puts(o, "\r\n");
    }
    xc_buf_clear(&t);
    return st;
}

int xc_csv_save_ex(xc_book *b, int sheet, const char *path, unsigned flags,
                   xc_buf *err)
{
    xc_buf o, tmp;
    int st, fd;
    xc_buf_reset(err);
    if (sheet < 0 || sheet >= xc_book_sheet_count(b)) {
        xc_buf_printf(err, "%s: no sheet %d", path, sheet);
        return XC_EINVAL;
    }
    xc_buf_init(&o);
    xc_buf_init(&tmp);
    st = csv_text(b, sheet, flags, &o);
    if (st == XC_OK)
        st = xc_buf_printf(&tmp, "%s.XXXXXX", path);
    if (st != XC_OK) {
        xc_buf_clear(&o);
        xc_buf_clear(&tmp);
        return st;
    }
    fd = mkstemp(tmp.p);
    if (fd < 0) {
        xc_buf_printf(err, "%s: cannot create a temporary file: %s", path,
                      strerror(errno));
        st = XC_EIO;
    } else {
        size_t off = 0;
        while (off < o.len) {
            ssize_t w = write(fd, o.p + off, o.len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        mode_t m = umask(022);
        umask(m);
        int bad = off < o.len;
        (void)fchmod(fd, 0666 & ~m); /* mkstemp made it 0600 */
        bad |= close(fd) != 0;
        if (bad || rename(tmp.p, path) != 0) {
            xc_buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
            unlink(tmp.p);
            st = XC_EIO;
        }
    }
    xc_buf_clear(&o);
    xc_buf_clear(&tmp);
    return st;
}

int xc_csv_save(xc_book *b, int sheet, const char *path, xc_buf *err)
{
    return xc_csv_save_ex(b, sheet, path, 0, err);
}
