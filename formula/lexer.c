/* lexer.c - tokens of Excel's A1-style formula language.
 *
 * The lexer switches on the first character of each token and never
 * allocates: a token is a span of the text plus what was recognised
 * (operator code, error code, reference coordinates, sheet-prefix spans).
 * The context-sensitive parts of the language are settled here, where the
 * characters are: "LOG10(" is a function but "LOG10" a cell, "A:C" and
 * "1:3" are whole columns and rows, "Sheet1!" and "'Sheet 2'!" prefix a
 * reference or a name, and "A1:B2" is one area token.
 */
#include <string.h>
#include "formula_int.h"

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Non-ASCII code points usable in names and sheet names: everything but
 * spaces, punctuation blocks and fullwidth operators, so that "（" or an
 * ideographic space is reported rather than swallowed into a name. */
static int name_cp(uint32_t cp)
{
    if (cp < 0xC0)
        return 0; /* C1 controls, NBSP, Latin-1 punctuation */
    if (cp >= 0x2000 && cp <= 0x206F)
        return 0; /* general punctuation */
    if (cp >= 0x3000 && cp <= 0x3003)
        return 0; /* ideographic space, 、 。 */
    if (cp >= 0x3008 && cp <= 0x3011)
        return 0; /* CJK brackets */
    if (cp >= 0xFF01 && cp <= 0xFF0F)
        return 0; /* fullwidth ! " # ... / */
    if (cp >= 0xFF1A && cp <= 0xFF20)
        return 0;
    if (cp >= 0xFF3B && cp <= 0xFF40)
        return 0;
    if (cp >= 0xFF5B && cp <= 0xFF65)
        return 0;
    return cp != 0xFEFF && cp != 0xFFFD;
}

/* Length in bytes of the name character at s[p], or 0.  `first` asks
 * for a character that may start a name (no digit, no '.'). */
static size_t namech(const char *s, size_t n, size_t p, int first)
{
    unsigned char c;
    uint32_t cp;
    size_t k;

    if (p >= n)
        return 0;
    c = (unsigned char)s[p];
    if (c < 0x80) {
        if (is_alpha(c) || c == '_' || c == '\\')
            return 1;
        return !first && (is_digit(c) || c == '.') ? 1 : 0;
    }
    k = xc_utf8_decode(s + p, n - p, &cp);
    return name_cp(cp) ? k : 0;
}

static size_t scan_name(const char *s, size_t n, size_t p)
{
    size_t k;
    if (!namech(s, n, p, 1))
        return p;
    while ((k = namech(s, n, p, 0)) > 0)
        p += k;
    return p;
}

static size_t skip_space(const char *s, size_t n, size_t p)
{
    while (p < n && is_space((unsigned char)s[p]))
        p++;
    return p;
}

/* Column letters at s[p]: 1 to 3 letters; returns the count (0 if not
 * 1..3) and the 0-based column, which may exceed the sheet. */
static size_t col_letters(const char *s, size_t n, size_t p, uint32_t *col)
{
    size_t k = 0;
    uint32_t v = 0;
    while (p + k < n && is_alpha((unsigned char)s[p + k])) {
        if (k < 4)
            v = v * 26 + (uint32_t)((s[p + k] | 0x20) - 'a' + 1);
        k++;
    }
    if (k < 1 || k > 3)
        return 0;
    *col = v - 1;
    return k;
}

/* Row digits at s[p]: returns the count and the 0-based row; a row
 * beyond the sheet (or 0) gives UINT32_MAX. */
static size_t row_digits(const char *s, size_t n, size_t p, uint32_t *row)
{
    size_t k = 0;
    uint64_t v = 0;
    while (p + k < n && is_digit((unsigned char)s[p + k])) {
        if (v <= XC_MAX_ROWS)
            v = v * 10 + (uint64_t)(s[p + k] - '0');
        k++;
    }
    *row = (v >= 1 && v <= XC_MAX_ROWS) ? (uint32_t)(v - 1) : UINT32_MAX;
    return k;
}

/* Is s[p..] ".:", the start of a trim-reference operator? */
static int trim_colon(const char *s, size_t n, size_t p)
{
    return p + 1 < n && s[p] == '.' && s[p + 1] == ':';
}

/* The ':' between the two ends of a range at s[p] (after optional
 * spaces), possibly a trim-reference operator ".:" ":." ".:.".  Returns
 * the offset after it (and after any spaces following a plain ':') and
 * sets *trim (XC_TRIM_*), or 0 when there is none. */
static size_t range_colon(const char *s, size_t n, size_t p, uint8_t *trim)
{
    size_t q;
    *trim = 0;
    if (trim_colon(s, n, p)) {
        *trim |= XC_TRIM_LEADING;
        q = p + 1;
    } else {
        q = skip_space(s, n, p);
        if (q >= n || s[q] != ':')
            return 0;
    }
    q++;
    if (q < n && s[q] == '.') {
        *trim |= XC_TRIM_TRAILING;
        return q + 1;
    }
    return *trim ? q : skip_space(s, n, q);
}

/* A cell [$]COL[$]ROW at s[p] ending at a token boundary.  Returns 1 and
 * fills *pt and *end (with *bad set when it is off the sheet), else 0. */
static int try_cell(const char *s, size_t n, size_t p, xc_refpt *pt,
                    size_t *end, const char **bad)
{
    uint32_t col, row;
    size_t k;

    pt->flags = 0;
    if (p < n && s[p] == '$')
        pt->flags |= XC_RF_COL_ABS, p++;
    if (!(k = col_letters(s, n, p, &col)))
        return 0;
    p += k;
    if (p < n && s[p] == '$')
        pt->flags |= XC_RF_ROW_ABS, p++;
    if (!(k = row_digits(s, n, p, &row)))
        return 0;
    p += k;
    /* A1.:C9, the trim-reference operator, ends the cell at '.' */
    if ((namech(s, n, p, 0) && !trim_colon(s, n, p)) ||
        (p < n && (s[p] == '(' || s[p] == '$')))
        return 0;
    if (col >= XC_MAX_COLS)
        *bad = "column out of range (A to XFD)";
    else if (row == UINT32_MAX)
        *bad = "row out of range (1 to 1048576)";
    pt->row = (int32_t)row;
    pt->col = (int32_t)col;
    *end = p;
    return 1;
}

/* One end of a whole-column (rows = 0) or whole-row (rows = 1) range. */
static size_t line_end(const char *s, size_t n, size_t p, int rows,
                       xc_refpt *pt, const char **bad)
{
    uint32_t v;
    size_t k;
    uint8_t abs = 0;

    if (p < n && s[p] == '$')
        abs = 1, p++;
    k = rows ? row_digits(s, n, p, &v) : col_letters(s, n, p, &v);
    if (!k)
        return 0;
    if (rows && v == UINT32_MAX)
        *bad = "row out of range (1 to 1048576)";
    if (!rows && v >= XC_MAX_COLS)
        *bad = "column out of range (A to XFD)";
    pt->row = rows ? (int32_t)v : 0;
    pt->col = rows ? 0 : (int32_t)v;
    pt->flags = abs ? (rows ? XC_RF_ROW_ABS : XC_RF_COL_ABS) : 0;
    return p + k;
}

/* "A:C" / "$1:$3" (spaces allowed around ':'; A:.C trims) at a token
 * boundary. */
static int try_lines(const char *s, size_t n, size_t p, int rows, xc_refnode *r,
                     size_t *end, const char **bad, uint8_t *trim)
{
    size_t q = line_end(s, n, p, rows, &r->a, bad);
    if (!q)
        return 0;
    if (!(q = range_colon(s, n, q, trim)))
        return 0;
    q = line_end(s, n, q, rows, &r->b, bad);
    if (!q || namech(s, n, q, 0) || (q < n && (s[q] == '(' || s[q] == '$')))
        return 0;
    r->kind = rows ? XR_ROWS : XR_COLS;
    *end = q;
    return 1;
}

/* s[0..n) equals the ASCII word w, ignoring case. */
static int eq_ci(const char *s, size_t n, const char *w)
{
    size_t i;
    for (i = 0; i < n && w[i]; i++) {
        int a = (unsigned char)s[i], b = (unsigned char)w[i];
        if (a >= 'a' && a <= 'z')
            a -= 32;
        if (b >= 'a' && b <= 'z')
            b -= 32;
        if (a != b)
            return 0;
    }
    return i == n && !w[i];
}

static void set_bad(xc_lexer *lx, size_t p, const char *msg)
{
    lx->tok.t = XT_BAD;
    lx->tok.pos = (uint32_t)p;
    lx->tok.len = 1;
    lx->tok.msg = msg;
    lx->p = p < lx->n ? p + 1 : p;
}

/* Length of the error literal at s[p] ('#'), 0 if none: the longest
 * prefix of "#[A-Za-z0-9_/]*[!?]" that names a known error. */
static size_t error_len(const char *s, size_t n, size_t p, xc_error *e)
{
    size_t q = p + 1;
    while (q < n &&
           (is_alpha((unsigned char)s[q]) || is_digit((unsigned char)s[q]) ||
            s[q] == '_' || s[q] == '/'))
        q++;
    if (q < n && (s[q] == '!' || s[q] == '?'))
        q++;
    for (size_t len = q - p; len >= 2; len--) {
        xc_error x = xc_error_parse(s + p, len);
        if (x != XC_ERR_NONE &&
            (x != XC_ERR_UNKNOWN || eq_ci(s + p, len, "#UNKNOWN!"))) {
            *e = x;
            return len;
        }
    }
    return 0;
}

/* A number: digits [. digits] [e [+-] digits], or . digits. */
static void lex_number(xc_lexer *lx, size_t p)
{
    const char *s = lx->s;
    size_t n = lx->n, q = p, digits = 0;

    while (q < n && is_digit((unsigned char)s[q]))
        q++, digits++;
    if (q < n && s[q] == '.') {
        q++;
        while (q < n && is_digit((unsigned char)s[q]))
            q++, digits++;
    }
    if (digits && q < n && (s[q] == 'e' || s[q] == 'E')) {
        size_t r = q + 1;
        if (r < n && (s[r] == '+' || s[r] == '-'))
            r++;
        if (r < n && is_digit((unsigned char)s[r])) {
            while (r < n && is_digit((unsigned char)s[r]))
                r++;
            q = r;
        }
    }
    if (!digits || namech(s, n, q, 0)) {
        set_bad(lx, p, "malformed number");
        return;
    }
    lx->tok.t = XT_NUM;
    lx->tok.len = (uint32_t)(q - p);
    lx->p = q;
}

/* What follows a sheet prefix (prefixed = 1) or starts a word: an error
 * #REF!, whole columns/rows, a cell or area, a number, a function name,
 * TRUE/FALSE, or a defined name. */
static void lex_target(xc_lexer *lx, size_t q, int prefixed)
{
    const char *s = lx->s, *bad = NULL;
    size_t n = lx->n, end;
    xc_token *t = &lx->tok;

    if (prefixed && q < n && s[q] == '#') {
        if (q + 5 <= n && eq_ci(s + q, 5, "#REF!")) {
            t->t = XT_ERR;
            t->err = XC_ERR_REF;
            lx->p = q + 5;
            t->len = (uint32_t)(lx->p - t->pos);
            return;
        }
        set_bad(lx, q, "expected a reference after '!'");
        return;
    }
    memset(&t->ref, 0, sizeof t->ref);
    if (try_lines(s, n, q, 0, &t->ref, &end, &bad, &t->trim) ||
        try_lines(s, n, q, 1, &t->ref, &end, &bad, &t->trim)) {
        goto ref;
    }
    t->trim = 0;
    if (try_cell(s, n, q, &t->ref.a, &end, &bad)) {
        size_t r = range_colon(s, n, end, &t->trim), e2;
        t->ref.kind = XR_CELL;
        t->ref.b = t->ref.a;
        if (r && try_cell(s, n, r, &t->ref.b, &e2, &bad)) {
            t->ref.kind = XR_AREA;
            end = e2;
        } else if (t->trim) {
            set_bad(lx, r ? r : end, "expected a cell after the trim operator");
            return;
        }
        goto ref;
    }
    if (!prefixed && q < n && (is_digit((unsigned char)s[q]) || s[q] == '.')) {
        lex_number(lx, q);
        return;
    }
    if (namech(s, n, q, 1)) {
        end = scan_name(s, n, q);
        t->npos = (uint32_t)q;
        t->nlen = (uint32_t)(end - q);
        lx->p = end;
        t->len = (uint32_t)(end - t->pos);
        if (end < n && s[end] == '(') {
            if (prefixed) {
                set_bad(lx, q, "a function cannot follow a sheet name");
                return;
            }
            t->t = XT_FUNC;
        } else if (!prefixed && (eq_ci(s + q, end - q, "TRUE") ||
                                 eq_ci(s + q, end - q, "FALSE"))) {
            t->t = XT_BOOL;
            t->b = (s[q] | 0x20) == 't';
        } else {
            t->t = XT_NAME;
        }
        return;
    }
    set_bad(lx, q,
            prefixed ? "expected a reference after '!'"
                     : (q < n && s[q] == '$' ? "malformed reference"
                                             : "unexpected character"));
    return;
ref:
    if (bad) {
        set_bad(lx, q, bad);
        return;
    }
    t->t = XT_REF;
    lx->p = end;
    t->len = (uint32_t)(end - t->pos);
}

/* A quoted sheet prefix 'Sheet name'! or 'First:Last'! ('' is a quote). */
static void lex_quoted(xc_lexer *lx, size_t p)
{
    const char *s = lx->s;
    size_t n = lx->n, q = p + 1, colon = 0;
    xc_token *t = &lx->tok;

    for (;;) {
        if (q >= n) {
            set_bad(lx, p, "unterminated quoted sheet name");
            return;
        }
        if (s[q] == '\'') {
            if (q + 1 < n && s[q + 1] == '\'') {
                q += 2;
                continue;
            }
            break;
        }
        if (s[q] == ':' && !colon)
            colon = q;
        q++;
    }
    if (q + 1 >= n || s[q + 1] != '!') {
        set_bad(lx, q + 1 < n ? q + 1 : n, "expected '!' after a sheet name");
        return;
    }
    t->quoted = 1;
    t->sh1 = (uint32_t)(p + 1);
    t->sheets = 1;
    if (colon) {
        t->sh1len = (uint32_t)(colon - p - 1);
        t->sh2 = (uint32_t)(colon + 1);
        t->sh2len = (uint32_t)(q - colon - 1);
        t->sheets = 2;
    } else {
        t->sh1len = (uint32_t)(q - p - 1);
    }
    if (!t->sh1len || (colon && !t->sh2len)) {
        set_bad(lx, p, "empty sheet name");
        return;
    }
    lex_target(lx, q + 2, 1);
}

/* A word: a name, function, boolean or reference, possibly after an
 * unquoted sheet prefix "Sheet1!" or "Sheet1:Sheet3!". */
static void lex_word(xc_lexer *lx, size_t p)
{
    const char *s = lx->s, *bad = NULL;
    size_t n = lx->n, e = scan_name(s, n, p), e2, tmp;
    xc_token *t = &lx->tok;
    xc_refpt pt;

    if (e > p && e < n && s[e] == '!') {
        t->sheets = 1;
        t->sh1 = (uint32_t)p;
        t->sh1len = (uint32_t)(e - p);
        lex_target(lx, e + 1, 1);
        return;
    }
    if (e > p && e < n && s[e] == ':' && !try_cell(s, n, p, &pt, &tmp, &bad)) {
        e2 = scan_name(s, n, e + 1);
        if (e2 > e + 1 && e2 < n && s[e2] == '!') {
            t->sheets = 2;
            t->sh1 = (uint32_t)p;
            t->sh1len = (uint32_t)(e - p);
            t->sh2 = (uint32_t)(e + 1);
            t->sh2len = (uint32_t)(e2 - e - 1);
            lex_target(lx, e2 + 1, 1);
            return;
        }
    }
    lex_target(lx, p, 0);
}

static void lex_string(xc_lexer *lx, size_t p)
{
    const char *s = lx->s;
    size_t n = lx->n, q = p + 1;
    for (;;) {
        if (q >= n) {
            set_bad(lx, p, "unterminated string");
            return;
        }
        if (s[q] == '"') {
            if (q + 1 < n && s[q + 1] == '"') {
                q += 2;
                continue;
            }
            break;
        }
        q++;
    }
    lx->tok.t = XT_STR;
    lx->tok.len = (uint32_t)(q + 1 - p);
    lx->p = q + 1;
}

static void op1(xc_lexer *lx, xc_tok t, int op, size_t len)
{
    lx->tok.t = t;
    lx->tok.op = op;
    lx->tok.len = (uint32_t)len;
    lx->p += len;
}

/* Read the next token into lx->tok. */
void xc_lex_next(xc_lexer *lx)
{
    const char *s = lx->s;
    size_t n = lx->n, p = skip_space(s, n, lx->p);
    xc_token *t = &lx->tok;
    xc_error e;
    size_t k;
    char c, d;

    memset(t, 0, sizeof *t);
    t->space = p > lx->p;
    t->pos = (uint32_t)p;
    lx->p = p;
    if (p >= n) {
        t->t = XT_END;
        return;
    }
    c = s[p];
    d = p + 1 < n ? s[p + 1] : 0;
    switch (c) {
    case '"':
        lex_string(lx, p);
        return;
    case '#':
        if ((k = error_len(s, n, p, &e)) > 0) {
            t->t = XT_ERR;
            t->err = e;
            t->len = (uint32_t)k;
            lx->p = p + k;
        } else {
            set_bad(lx, p, "unknown error literal");
        }
        return;
    case '\'':
        lex_quoted(lx, p);
        return;
    case '[': {
        /* [name]: an optional LAMBDA parameter */
        size_t end = scan_name(s, n, p + 1);
        if (end == p + 1 || end >= n || s[end] != ']') {
            set_bad(lx, p, "expected [name]");
            return;
        }
        t->t = XT_NAME;
        t->optional = 1;
        t->npos = (uint32_t)(p + 1);
        t->nlen = (uint32_t)(end - p - 1);
        t->len = (uint32_t)(end + 1 - p);
        lx->p = end + 1;
        return;
    }
    case '(':
        op1(lx, XT_LPAREN, 0, 1);
        return;
    case ')':
        op1(lx, XT_RPAREN, 0, 1);
        return;
    case '{':
        op1(lx, XT_LBRACE, 0, 1);
        return;
    case '}':
        op1(lx, XT_RBRACE, 0, 1);
        return;
    case ',':
        op1(lx, XT_COMMA, 0, 1);
        return;
    case ';':
        op1(lx, XT_SEMI, 0, 1);
        return;
    case '+':
        op1(lx, XT_OP, XOP_ADD, 1);
        return;
    case '-':
        op1(lx, XT_OP, XOP_SUB, 1);
        return;
    case '*':
        op1(lx, XT_OP, XOP_MUL, 1);
        return;
    case '/':
        op1(lx, XT_OP, XOP_DIV, 1);
        return;
    case '^':
        op1(lx, XT_OP, XOP_POW, 1);
        return;
    case '&':
        op1(lx, XT_OP, XOP_CAT, 1);
        return;
    case '%':
        op1(lx, XT_OP, XOP_PERCENT, 1);
        return;
    case '=':
        op1(lx, XT_OP, XOP_EQ, 1);
        return;
    case ':':
        op1(lx, XT_OP, XOP_RANGE, 1);
        return;
    case '<':
        if (d == '=')
            op1(lx, XT_OP, XOP_LE, 2);
        else if (d == '>')
            op1(lx, XT_OP, XOP_NE, 2);
        else
            op1(lx, XT_OP, XOP_LT, 1);
        return;
    case '>':
        if (d == '=')
            op1(lx, XT_OP, XOP_GE, 2);
        else
            op1(lx, XT_OP, XOP_GT, 1);
        return;
    case '.':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
    case '$':
        lex_target(lx, p, 0);
        return;
    default:
        if (namech(s, n, p, 1))
            lex_word(lx, p);
        else
            set_bad(lx, p, "unexpected character");
        return;
    }
}

void xc_lex_init(xc_lexer *lx, const char *s, size_t n, size_t start)
{
    lx->s = s;
    lx->n = n;
    lx->p = start;
    xc_lex_next(lx);
}

/* A sheet name can be written unquoted when it lexes back as itself: a
 * word of letters, digits and '_' (any script) that does not start with
 * a digit and does not look like a cell (A1, R1C1). */
int xc_lex_plain_sheet(const char *s, size_t n)
{
    xc_refpt pt;
    size_t end, i = 0;
    const char *bad = NULL;

    if (n == 0 || scan_name(s, n, 0) != n)
        return 0;
    /* Excel quotes these although they lex; quoting is always safe */
    if (memchr(s, '.', n) || memchr(s, '\\', n))
        return 0;
    if (try_cell(s, n, 0, &pt, &end, &bad))
        return 0;
    /* R1C1-looking words: R, C, R1, C1, R1C1 */
    if ((s[0] | 0x20) == 'r')
        for (i = 1; i < n && is_digit((unsigned char)s[i]); i++)
            ;
    if (i < n && (s[i] | 0x20) == 'c')
        for (i++; i < n && is_digit((unsigned char)s[i]); i++)
            ;
    return i != n;
}
