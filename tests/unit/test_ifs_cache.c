/* test_ifs_cache.c - the criteria-match cache behind SUMIF, COUNTIF,
 * SUMIFS, COUNTIFS, AVERAGEIF(S), MAXIFS and MINIFS (formula/ifs_cache.c)
 * never answers from stale values.
 *
 * A book is edited at random - numbers, text, numeric text, logicals,
 * errors, empty cells, formulas whose results change, an array formula's
 * members, cycles through the aggregates, dynamic references - and
 * recalculated incrementally; after every step each value must be
 * identical (flags included) to that of a fresh book built from the same
 * content and recalculated with the cache disabled (another cache holds
 * the book's slot), so that it scans every range.  The edits must have
 * been answered from the cache, and the book must have told its cache of
 * every change in before/after pairs. */
#include <stdlib.h>

#include "exacalc/book.h"
#include "exacalc/formula.h"
#include "formula_int.h"
#include "xtest.h"

#define NR 400 /* data rows: ranges of 400 cells are cached */
#define NC 5   /* data columns A..E */

/* ---- a cache that only checks the notices ---------------------------- */

typedef struct watch {
    int open; /* a "before" is waiting for its "after" */
    int sheet;
    uint32_t row, col;
    long pairs, bad;
} watch;

static void w_change(void *ud, const xc_book *b, int sheet, uint32_t row,
                     uint32_t col, int after)
{
    watch *w = ud;
    (void)b;
    if (!after) {
        w->bad += w->open;
        w->open = 1;
        w->sheet = sheet;
        w->row = row;
        w->col = col;
        return;
    }
    if (!w->open || w->sheet != sheet || w->row != row || w->col != col)
        w->bad++;
    w->open = 0;
    w->pairs++;
}

static void w_reset(void *ud)
{
    ((watch *)ud)->open = 0;
}

static void w_free(void *ud)
{
    (void)ud;
}

static const xc_book_cache_ops watch_ops = {w_change, w_reset, w_free};

/* ---- books ------------------------------------------------------------ */

static xc_book *newbook(void)
{
    xc_book *b = xc_book_new();
    int s;
    CHECK(b != NULL);
    CHECK(xc_book_add_sheet(b, "data", 4, &s) == XC_OK && s == 0);
    CHECK(xc_book_add_sheet(b, "sum", 3, &s) == XC_OK && s == 1);
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    return b;
}

static xc_formula *parse_at(xc_book *b, int sheet, uint32_t row, uint32_t col,
                            const char *text)
{
    xc_parse_opts o = {b, sheet, row, col, 0};
    xc_parse_error pe;
    xc_formula *f = NULL;
    int st = xc_formula_parse(&f, text, strlen(text), &o, &pe);
    if (st != XC_OK)
        fprintf(stderr, "parse %s: %s\n", text, pe.msg);
    CHECK(st == XC_OK);
    return f;
}

static void put_formula(xc_book *b, int sheet, uint32_t row, uint32_t col,
                        const char *text)
{
    xc_formula *f = parse_at(b, sheet, row, col, text);
    if (!f)
        return;
    CHECK(xc_book_set_formula(b, sheet, row, col, f, NULL) == XC_OK);
    xc_formula_release(f);
}

/* ---- the random model of the data sheet ------------------------------- */

typedef struct mcell {
    int kind; /* 0 empty, 1 number, 2 text, 3 logical, 4 error, 5 formula,
                 6 set to an empty value (cell kept by set_value) */
    int64_t n, d;
    int k; /* text / error / formula template */
} mcell;

static const char *const texts[] = {"x", "X",  "y",  "x1",  "",
                                    "5", " x", "xy", "2.5", "TRUE"};
#define NTEXTS (int)(sizeof texts / sizeof *texts)
static const char *const ftempl[] = {
    "=C%u*2",       "=IF(C%u>2,\"x\",\"y\")",
    "=1/3",         "=SQRT(2)",
    "=NA()",        "=D%u&\"\"",
    "=\"\"",        "=C%u>1",
    "=C%u/(D%u-1)", "=sum!A1"}; /* the last one closes a cycle */
#define NTEMPL (int)(sizeof ftempl / sizeof *ftempl)

static uint32_t rng_state = 2026;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

static int cycles_allowed; /* the cycle template may be drawn */

static void random_cell(mcell *m)
{
    static const int64_t dens[] = {1, 1, 2, 3, 4, 5, 10, 7};
    memset(m, 0, sizeof *m);
    m->kind = (int)rnd(7);
    m->n = (int64_t)rnd(13) - 3;
    m->d = dens[rnd(8)];
    m->k = (int)rnd(NTEXTS);
    if (m->kind == 5) {
        m->k = (int)rnd(NTEMPL);
        if (m->k == NTEMPL - 1 && (!cycles_allowed || rnd(2)))
            m->k = 0;
    }
}

/* Cells no edit touches: the array formula B10:B14 and the unsupported
 * formula B20. */
static int reserved(uint32_t r, uint32_t c)
{
    return c == 1 && ((r >= 9 && r <= 13) || r == 19);
}

static void model_put(xc_book *b, const mcell *m, uint32_t r, uint32_t c)
{
    xc_value v = {0};
    char buf[64];
    switch (m->kind) {
    case 0:
        CHECK(xc_book_clear_cell(b, 0, r, c) == XC_OK);
        return;
    case 1: {
        xc_num x;
        xc_num_init(&x);
        CHECK(xc_num_set_frac(&x, m->n, m->d) == XC_OK);
        xc_value_take_num(&v, &x);
        break;
    }
    case 2:
        CHECK(xc_value_set_text(&v, texts[m->k], strlen(texts[m->k])) == XC_OK);
        break;
    case 3:
        xc_value_set_bool(&v, m->n & 1);
        break;
    case 4:
        xc_value_set_error(&v, m->n & 1 ? XC_ERR_NA : XC_ERR_DIV0);
        break;
    case 5:
        /* the next row's cells: no cycle but through the summary */
        snprintf(buf, sizeof buf, ftempl[m->k], (r + 1) % NR + 1,
                 (r + 1) % NR + 1);
        put_formula(b, 0, r, c, buf);
        return;
    default:
        break; /* an empty value */
    }
    CHECK(xc_book_set_value(b, 0, r, c, &v) == XC_OK);
    xc_value_clear(&v);
}

/* The summary formulas (sheet "sum", column A), and those on the data
 * sheet (column F, outside every range). */
static const char *const sums[] = {
    "=SUMIF(data!A1:A400,\"x\",data!B1:B400)",
    "=COUNTIF(data!A1:A400,\"x\")",
    "=COUNTIF(data!B1:B400,\">1\")",
    "=SUMIFS(data!B1:B400,data!A1:A400,\"x*\",data!D1:D400,\">=1\")",
    "=COUNTIFS(data!A1:A400,\"<>x\",data!D1:D400,\">1\")",
    "=AVERAGEIF(data!A1:A400,\"x\",data!B1:B400)",
    "=MAXIFS(data!B1:B400,data!A1:A400,\"y\")",
    "=MINIFS(data!B1:B400,data!A1:A400,\"<>y\",data!C1:C400,\">0\")",
    "=SUMIF(data!A1:A400,\"x\",data!B2)",
    "=SUMIF(data!B1:B400,\">0\")",
    "=SUMIF(data!A1:A400,data!E1,data!B1:B400)",
    "=SUMIF(data!A:A,\"x\",data!B:B)",
    "=COUNTIF(data!A1:B400,\"x\")",
    "=SUMIF(data!A1:A400,5,data!C1:C400)",
    "=COUNTIF(data!C1:C400,\"<>5\")",
    "=AVERAGEIFS(data!C1:C400,data!A1:A400,\"x\",data!B1:B400,\"<>0\")",
    "=COUNTIFS(data!A1:A400,\"x\",data!A1:A400,\"x\")",
    "=SUMIF(data!C1:C400,\">=0\",data!C1:C400)",
    "=COUNTIF(data!B1:B400,TRUE)+COUNTIF(data!B1:B400,\"#N/A\")",
    "=SUMIFS(data!C1:C400,data!B1:B400,\"<3\",data!A1:A400,\"?\")",
    "=A1+A2",
};
#define NSUMS (int)(sizeof sums / sizeof *sums)
/* Phase 2 (no cycles): dynamic references too. */
static const char *const dyn_sums[] = {
    "=INDIRECT(\"sum!A1\")+INDIRECT(\"sum!A4\")",
    "=SUMIF(INDIRECT(\"data!A1:A400\"),\"x\",data!B1:B400)",
    "=COUNTIF(OFFSET(data!A1,0,0,400,1),\"x\")",
};
#define NDYN (int)(sizeof dyn_sums / sizeof *dyn_sums)

static void put_fixed(xc_book *b, int dyn)
{
    for (int i = 0; i < NSUMS; i++)
        put_formula(b, 1, (uint32_t)i, 0, sums[i]);
    for (int i = 0; dyn && i < NDYN; i++)
        put_formula(b, 1, (uint32_t)(NSUMS + i), 0, dyn_sums[i]);
    put_formula(b, 0, 0, 5, "=SUMIF(A1:A400,\"y\",B1:B400)");
    put_formula(b, 0, 1, 5, "=F1*2+COUNTIF(A1:A400,\"y\")");
    /* an array formula whose members sit in the sum range */
    xc_area arr = {0, 0, 9, 1, 13, 1};
    xc_formula *f = parse_at(b, 0, 9, 1, "=C10:C14*3");
    if (f) {
        CHECK(xc_book_set_array_formula(b, 0, &arr, f) == XC_OK);
        xc_formula_release(f);
    }
    /* a formula kept at its stated value (unsupported) */
    xc_value seven = {0};
    xc_value_set_int(&seven, 7);
    f = parse_at(b, 0, 19, 1, "=C20+1");
    if (f) {
        CHECK(xc_book_set_formula(b, 0, 19, 1, f, &seven) == XC_OK);
        xc_formula_release(f);
    }
    CHECK(xc_book_cell_flags_set(b, 0, 19, 1, XC_CELL_UNSUPPORTED) == XC_OK);
}

static mcell model[NR][NC];

static void put_crit(xc_book *b, int k)
{
    static const char *const crits[] = {"x", ">1", "<>y", "x*", "=", "", "y"};
    xc_value v = {0};
    if (k == 7)
        xc_value_set_int(&v, 2);
    else
        CHECK(xc_value_set_text(&v, crits[k], strlen(crits[k])) == XC_OK);
    CHECK(xc_book_set_value(b, 0, 0, 4, &v) == XC_OK);
    xc_value_clear(&v);
}

static int same_value(const xc_value *a, const xc_value *b)
{
    return a->type == b->type && a->flags == b->flags &&
           xc_value_identical(a, b);
}

static int compare(xc_book *b, xc_book *f, int step)
{
    for (int s = 0; s < 2; s++)
        for (uint32_t r = 0; r < NR + 1; r++)
            for (uint32_t c = 0; c < 6; c++) {
                const xc_value *x = xc_book_get(b, s, r, c);
                const xc_value *y = xc_book_get(f, s, r, c);
                if (!same_value(x, y)) {
                    xc_buf bx, by;
                    xc_buf_init(&bx);
                    xc_buf_init(&by);
                    xc_value_format(&bx, x, XC_FMT_SOURCE);
                    xc_value_format(&by, y, XC_FMT_SOURCE);
                    fprintf(stderr,
                            "step %d: sheet %d r%u c%u: cached %s, fresh "
                            "%s\n",
                            step, s, r + 1, c + 1, bx.p ? bx.p : "",
                            by.p ? by.p : "");
                    xc_buf_clear(&bx);
                    xc_buf_clear(&by);
                    return 0;
                }
            }
    return 1;
}

/* The aggregates evaluated outside a recalculation, in Excel's view
 * (the cache replays its matches in order) and exactly. */
static int compare_eval(xc_book *b, xc_book *f)
{
    for (int i = 0; i < NSUMS - 1; i++)
        for (unsigned fl = 0; fl <= XC_EV_EXCEL; fl += XC_EV_EXCEL) {
            xc_formula *fb = parse_at(b, 1, 40, 1, sums[i]);
            xc_formula *ff = parse_at(f, 1, 40, 1, sums[i]);
            xc_value x = {0}, y = {0};
            int ok = fb && ff &&
                     xc_formula_eval(b, 1, 40, 1, fb, fl, &x) == XC_OK &&
                     xc_formula_eval(f, 1, 40, 1, ff, fl, &y) == XC_OK &&
                     same_value(&x, &y);
            xc_value_clear(&x);
            xc_value_clear(&y);
            xc_formula_release(fb);
            xc_formula_release(ff);
            if (!ok) {
                fprintf(stderr, "eval of %s (flags %u) differs\n", sums[i], fl);
                return 0;
            }
        }
    return 1;
}

static void run_random(int dyn, int steps)
{
    size_t hits0, builds0, hits, builds;
    int crit = 0, bad = 0;
    cycles_allowed = 0;
    memset(model, 0, sizeof model);
    xc_book *b = newbook();
    put_fixed(b, dyn);
    for (uint32_t r = 0; r < NR; r++)
        for (uint32_t c = 0; c < 4; c++)
            if (!reserved(r, c)) {
                random_cell(&model[r][c]);
                model_put(b, &model[r][c], r, c);
            }
    put_crit(b, crit);
    CHECK(xc_book_recalc(b) == XC_OK);
    cycles_allowed = !dyn;
    xc_ifs_cache_stats(b, &hits0, &builds0);
    CHECK(builds0 > 0);
    watch w = {0};
    long cyc = 0;
    for (int step = 0; step < steps && !bad; step++) {
        int edits = 1 + (int)rnd(3);
        if (step % 60 == 59) {
            /* break every cycle: they come and go */
            for (uint32_t r = 0; r < NR; r++)
                for (uint32_t c = 0; c < 4; c++)
                    if (model[r][c].kind == 5 && model[r][c].k == NTEMPL - 1) {
                        model[r][c].k = 1;
                        model_put(b, &model[r][c], r, c);
                    }
        }
        for (int e = 0; e < edits; e++) {
            if (rnd(12) == 0) {
                crit = (int)rnd(8);
                put_crit(b, crit);
                continue;
            }
            uint32_t r = rnd(NR), c = rnd(4);
            if (reserved(r, c))
                continue;
            random_cell(&model[r][c]);
            model_put(b, &model[r][c], r, c);
        }
        CHECK(xc_book_recalc(b) == XC_OK);
        xc_book *f = newbook();
        memset(&w, 0, sizeof w);
        CHECK(xc_book_set_cache(f, &watch_ops, &w) == XC_OK);
        put_fixed(f, dyn);
        for (uint32_t r = 0; r < NR; r++)
            for (uint32_t c = 0; c < 4; c++)
                if (!reserved(r, c) && model[r][c].kind)
                    model_put(f, &model[r][c], r, c);
        put_crit(f, crit);
        CHECK(xc_book_recalc(f) == XC_OK);
        cyc += xc_book_cycle_count(f) > 0;
        CHECK(w.pairs > 0 && w.bad == 0 && !w.open);
        size_t fh, fb;
        xc_ifs_cache_stats(f, &fh, &fb);
        CHECK(fh == 0 && fb == 0); /* the reference scanned */
        if (!compare(b, f, step) || (step % 16 == 0 && !compare_eval(b, f)))
            bad = 1;
        xc_book_free(f);
    }
    CHECK(!bad);
    xc_ifs_cache_stats(b, &hits, &builds);
    /* most recalculations were answered from the cache, not rebuilt */
    CHECK(hits > (size_t)steps * 4);
    CHECK(builds - builds0 < hits - hits0);
    if (!dyn)
        CHECK(cyc > 0 && cyc < steps);
    xc_book_free(b);
}

/* A whole column of numbers with a SUMIF and a COUNTIF over it: single
 * edits are answered from the maintained entries, never rebuilt, and the
 * exact sum matches one kept by the test. */
static void test_incremental(void)
{
    xc_book *b = newbook();
    xc_num want;
    xc_num_init(&want);
    for (uint32_t r = 0; r < 3000; r++) {
        xc_value v = {0};
        CHECK(xc_value_set_text(&v, r % 3 ? "a" : "b", 1) == XC_OK);
        CHECK(xc_book_set_value(b, 0, r, 0, &v) == XC_OK);
        xc_value_clear(&v);
        xc_num x;
        xc_num_init(&x);
        CHECK(xc_num_set_frac(&x, (int64_t)r, 10) == XC_OK);
        if (r % 3 == 0)
            CHECK(xc_num_add(&want, &want, &x) == XC_OK);
        xc_value_take_num(&v, &x);
        CHECK(xc_book_set_value(b, 0, r, 1, &v) == XC_OK);
        xc_value_clear(&v);
    }
    put_formula(b, 1, 0, 0, "=SUMIF(data!A:A,\"b\",data!B:B)");
    put_formula(b, 1, 1, 0, "=COUNTIF(data!A:A,\"b\")");
    CHECK(xc_book_recalc(b) == XC_OK);
    const xc_value *s = xc_book_get(b, 1, 0, 0);
    CHECK(s->type == XC_NUMBER && xc_num_equal(&s->u.num, &want));
    CHECK(xc_book_get(b, 1, 1, 0)->type == XC_NUMBER);
    size_t hits0, builds0, hits, builds;
    xc_ifs_cache_stats(b, &hits0, &builds0);
    CHECK(builds0 == 2 && hits0 == 0);
    int64_t count = 1000;
    for (int i = 0; i < 50; i++) {
        uint32_t r = (uint32_t)(i * 61 % 3000);
        xc_value v = {0};
        /* move row r into or out of group b, or change its number */
        if (i % 2) {
            const xc_value *old = xc_book_get(b, 0, r, 1);
            int in_b = (xc_book_get(b, 0, r, 0)->u.str->s[0] | 0x20) == 'b';
            xc_num x;
            xc_num_init(&x);
            CHECK(xc_num_set_frac(&x, i, 7) == XC_OK);
            if (in_b) {
                CHECK(xc_num_sub(&want, &want, &old->u.num) == XC_OK);
                CHECK(xc_num_add(&want, &want, &x) == XC_OK);
            }
            xc_value_take_num(&v, &x);
            CHECK(xc_book_set_value(b, 0, r, 1, &v) == XC_OK);
        } else {
            int in_b = (xc_book_get(b, 0, r, 0)->u.str->s[0] | 0x20) == 'b';
            const xc_value *num = xc_book_get(b, 0, r, 1);
            CHECK(xc_value_set_text(&v, in_b ? "a" : "B", 1) == XC_OK);
            if (in_b)
                CHECK(xc_num_sub(&want, &want, &num->u.num) == XC_OK);
            else
                CHECK(xc_num_add(&want, &want, &num->u.num) == XC_OK);
            count += in_b ? -1 : 1;
            CHECK(xc_book_set_value(b, 0, r, 0, &v) == XC_OK);
        }
        xc_value_clear(&v);
        CHECK(xc_book_recalc(b) == XC_OK);
        s = xc_book_get(b, 1, 0, 0);
        CHECK(s->type == XC_NUMBER && xc_num_equal(&s->u.num, &want));
        int64_t got = -1;
        s = xc_book_get(b, 1, 1, 0);
        CHECK(s->type == XC_NUMBER &&
              xc_num_get_int64(&s->u.num, &got) == XC_OK && got == count);
    }
    xc_ifs_cache_stats(b, &hits, &builds);
    CHECK(builds == builds0);
    CHECK(hits - hits0 >= 50);
    xc_num_clear(&want);
    xc_book_free(b);
}

/* A dynamic reference evaluates the summary on demand, before the
 * formulas inside its ranges were recalculated: it must not trust the
 * stored values then. */
static void test_on_demand(void)
{
    xc_book *b = newbook();
    char buf[64];
    for (uint32_t r = 0; r < 300; r++) {
        xc_value v = {0};
        CHECK(xc_value_set_text(&v, "x", 1) == XC_OK);
        CHECK(xc_book_set_value(b, 0, r, 0, &v) == XC_OK);
        xc_value_clear(&v);
        xc_value_set_int(&v, (int64_t)r);
        CHECK(xc_book_set_value(b, 0, r, 2, &v) == XC_OK);
        snprintf(buf, sizeof buf, "=C%u*2", r + 1);
        put_formula(b, 0, r, 1, buf);
    }
    put_formula(b, 1, 0, 0, "=SUMIF(data!A1:A300,\"x\",data!B1:B300)");
    put_formula(b, 1, 0, 1, "=INDIRECT(\"sum!A1\")+0");
    put_formula(b, 1, 0, 2, "=COUNTIF(data!B1:B300,\">100\")");
    put_formula(b, 1, 0, 3, "=INDIRECT(\"sum!C1\")+0");
    CHECK(xc_book_recalc(b) == XC_OK);
    int64_t sum = 299 * 300, cnt = 300 - 51;
    for (int i = 0; i < 20; i++) {
        xc_value v = {0};
        uint32_t r = (uint32_t)(i * 37 % 300);
        int64_t old = 0;
        CHECK(xc_num_get_int64(&xc_book_get(b, 0, r, 2)->u.num, &old) == XC_OK);
        xc_value_set_int(&v, 1000 + i);
        CHECK(xc_book_set_value(b, 0, r, 2, &v) == XC_OK);
        sum += 2 * (1000 + i - old);
        cnt += 2 * old <= 100;
        CHECK(xc_book_recalc(b) == XC_OK);
        for (int c = 0; c < 4; c++) {
            int64_t got = -1;
            const xc_value *x = xc_book_get(b, 1, 0, (uint32_t)c);
            CHECK(x->type == XC_NUMBER &&
                  xc_num_get_int64(&x->u.num, &got) == XC_OK &&
                  got == (c < 2 ? sum : cnt));
        }
    }
    xc_book_free(b);
}

/* The cache slot: the formula engine leaves a foreign cache in place,
 * detaching frees, and loading resets. */
static void setint(xc_book *b, int sheet, uint32_t r, uint32_t c, int64_t n)
{
    xc_value v = {0};
    xc_value_set_int(&v, n);
    CHECK(xc_book_set_value(b, sheet, r, c, &v) == XC_OK);
    xc_value_clear(&v);
}

static int64_t getint(xc_book *b, int sheet, uint32_t r, uint32_t c)
{
    const xc_value *v = xc_book_get(b, sheet, r, c);
    int64_t n = -999;
    if (v->type != XC_NUMBER || xc_num_get_int64(&v->u.num, &n) != XC_OK)
        return -999;
    return n;
}

/* Cells a call reads beyond the areas it names are its precedents too:
 * SUMIF's sum range taken at the criteria range's size (C11 below reads
 * B5:B14 though it names B5), LOOKUP's result vector read past its end
 * (D1 reads C5 though it names C1). An edit of such a cell recalculates
 * the formula, and such a formula is not taken for one that reads only
 * cells before its own. */
static void test_stretch(void)
{
    xc_book *b = newbook();
    for (uint32_t r = 0; r < 20; r++) {
        setint(b, 0, r, 0, (int64_t)r + 1);   /* A = 1..20 */
        setint(b, 0, r, 1, 100 + (int64_t)r); /* B = 100..119 */
    }
    put_formula(b, 0, 10, 2, "=SUMIF(A1:A10,\">0\",B5)");     /* C11 */
    put_formula(b, 0, 10, 3, "=AVERAGEIF(A1:A2,\">0\",B12)"); /* D11 */
    for (uint32_t r = 0; r < 5; r++)
        setint(b, 0, r, 2, 1000 + (int64_t)r);      /* C1:C5 */
    put_formula(b, 0, 0, 3, "=LOOKUP(5,A1:A5,C1)"); /* D1 */
    CHECK(xc_book_recalc_all(b) == XC_OK);
    /* B5:B14 = 104..113 */
    CHECK(getint(b, 0, 10, 2) == (104 + 113) * 10 / 2);
    CHECK(getint(b, 0, 0, 3) == 1004);
    xc_num half;
    xc_num_init(&half);
    const xc_value *v = xc_book_get(b, 0, 10, 3); /* (111 + 112) / 2 */
    CHECK(v->type == XC_NUMBER && xc_num_set_frac(&half, 223, 2) == XC_OK &&
          xc_num_equal(&v->u.num, &half));
    setint(b, 0, 12, 1, 0); /* B13: inside the stretched sum range */
    setint(b, 0, 4, 2, 7);  /* C5: read by LOOKUP past C1 */
    setint(b, 0, 11, 1, 1); /* B12: D11's stretched range B12:B13 */
    CHECK(xc_book_recalc(b) == XC_OK);
    CHECK(getint(b, 0, 10, 2) == (104 + 113) * 10 / 2 - 112 - 111 + 1);
    CHECK(getint(b, 0, 0, 3) == 7);
    v = xc_book_get(b, 0, 10, 3); /* (1 + 0) / 2 */
    CHECK(v->type == XC_NUMBER && xc_num_set_frac(&half, 1, 2) == XC_OK &&
          xc_num_equal(&v->u.num, &half));
    xc_num_clear(&half);
    xc_book_free(b);
}

static void test_slot(void)
{
    xc_book *b = newbook();
    watch w = {0};
    CHECK(xc_book_set_cache(b, &watch_ops, &w) == XC_OK);
    CHECK(xc_book_cache(b, &watch_ops) == &w);
    static const xc_book_cache_ops other = {w_change, w_reset, w_free};
    CHECK(xc_book_set_cache(b, &other, NULL) == XC_EINVAL);
    CHECK(xc_book_cache(b, &other) == NULL);
    xc_value v = {0};
    xc_value_set_int(&v, 3);
    CHECK(xc_book_set_value(b, 0, 2, 2, &v) == XC_OK);
    CHECK(w.pairs == 1 && w.bad == 0);
    xc_book_set_loading(b, 1);
    CHECK(xc_book_set_value(b, 0, 3, 2, &v) == XC_OK); /* not reported */
    xc_book_set_loading(b, 0);
    CHECK(w.pairs == 1);
    CHECK(xc_book_settled(b) == (XC_SETTLED_ALL | XC_SETTLED_STATIC));
    CHECK(xc_book_set_cache(b, NULL, NULL) == XC_OK);
    CHECK(xc_book_cache(b, &watch_ops) == NULL);
    xc_value_clear(&v);
    xc_book_free(b);
}

int main(void)
{
    test_slot();
    test_stretch();
    test_incremental();
    test_on_demand();
    run_random(0, 300);
    run_random(1, 300);
    return xtest_done();
}
