/* test_registry.c - the function registry self-test: every entry has a
 * valid argument spec, a known category, syntax, help and examples;
 * names are sorted and unique; and every example "=FORMULA -> RESULT"
 * evaluates (in an empty book, General format, text unquoted) to its
 * stated result. */
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"
#include "xtest.h"

static const char *categories[] = {"math",   "stat", "text", "logic",
                                   "lookup", "date", "info", "fin",
                                   "eng",    "db",   "form"};

static int known_category(const char *c)
{
    if (!c)
        return 0;
    for (size_t i = 0; i < sizeof categories / sizeof *categories; i++)
        if (strcmp(c, categories[i]) == 0)
            return 1;
    return 0;
}

/* Canonical text of an example's result: General format, text
 * unquoted, arrays as {..} with text quoted. */
static void show(xc_buf *out, const xc_value *v)
{
    if (v->type == XC_TEXT)
        xc_buf_put(out, v->u.str->s, v->u.str->len);
    else
        xc_value_format(out, v, XC_FMT_GENERAL);
}

/* Evaluate one example line; returns 1 when it matches. */
static int check_example(const xc_fn_def *d, const char *line, size_t n)
{
    const char *arrow = NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(line + i, " -> ", 4) == 0)
            arrow = line + i;
    if (!arrow) {
        fprintf(stderr, "%s: example without ' -> ': %.*s\n", d->name, (int)n,
                line);
        return 0;
    }
    size_t fl = (size_t)(arrow - line);
    const char *want = arrow + 4;
    size_t wl = n - fl - 4;
    xc_book *b = xc_book_new();
    int s, ok = 0;
    xc_formula *f = NULL;
    xc_parse_error pe;
    xc_value v = {0};
    xc_buf got;

    xc_buf_init(&got);
    if (!b || xc_book_add_sheet(b, "Sheet1", 6, &s) != XC_OK)
        goto done;
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    xc_parse_opts o = {b, s, 9, 9, 0}; /* J10, away from A1 */
    if (xc_formula_parse(&f, line, fl, &o, &pe) != XC_OK) {
        fprintf(stderr, "%s: example %.*s: parse error %d:%d %s\n", d->name,
                (int)fl, line, pe.line, pe.col, pe.msg);
        goto done;
    }
    if (xc_formula_eval(b, s, 9, 9, f, 0, &v) != XC_OK) {
        fprintf(stderr, "%s: example %.*s: evaluation failed\n", d->name,
                (int)fl, line);
        goto done;
    }
    show(&got, &v);
    ok = got.len == wl && memcmp(got.p, want, wl) == 0;
    if (!ok)
        fprintf(stderr, "%s: example %.*s: got \"%s\", want \"%.*s\"\n",
                d->name, (int)fl, line, got.p ? got.p : "", (int)wl, want);
done:
    xc_value_clear(&v);
    xc_formula_release(f);
    xc_buf_clear(&got);
    xc_book_free(b);
    return ok;
}

int main(void)
{
    size_t n = xc_fn_count();
    const xc_fn_def *prev = NULL;

    CHECK(n > 0);
    for (size_t i = 0; i < n; i++) {
        const xc_fn_def *d = xc_fn_at(i);
        int min, max;
        CHECK(d != NULL && d->name != NULL);
        if (!d || !d->name)
            continue;
        if (prev && strcmp(prev->name, d->name) >= 0) {
            fprintf(stderr, "names out of order or duplicated: %s, %s\n",
                    prev->name, d->name);
            CHECK(strcmp(prev->name, d->name) < 0);
        }
        prev = d;
        if (!d->args || xc_fn_arity(d->args, &min, &max) != 0) {
            fprintf(stderr, "%s: bad argument spec \"%s\"\n", d->name,
                    d->args ? d->args : "(null)");
            CHECK(!"valid argument spec");
        }
        CHECK(d->impl != NULL);
        if (!known_category(d->category)) {
            fprintf(stderr, "%s: unknown category\n", d->name);
            CHECK(!"known category");
        }
        if (!d->syntax || strncmp(d->syntax, d->name, strlen(d->name)) != 0) {
            fprintf(stderr,
                    "%s: syntax missing or not starting with the "
                    "name\n",
                    d->name);
            CHECK(!"syntax");
        }
        if (!d->help || !d->help[0]) {
            fprintf(stderr, "%s: no help\n", d->name);
            CHECK(!"help");
        }
        if (!d->examples || !d->examples[0]) {
            fprintf(stderr, "%s: no examples\n", d->name);
            CHECK(!"examples");
            continue;
        }
        CHECK(xc_fn_find(d->name, strlen(d->name)) == d);
        const char *p = d->examples;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len > 0)
                CHECK(check_example(d, p, len));
            p += len + (e ? 1 : 0);
        }
    }
    return xtest_done();
}
