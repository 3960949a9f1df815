/* test_oom.c - allocation failure everywhere: for n = 0, 1, 2, ... the
 * n-th allocation fails (xc_alloc_fail_after) while parsing and
 * evaluating formulas, loading an xlsx and a CSV file, saving a book
 * and auditing a form, until the operation succeeds.  Every failed run
 * must return XC_ENOMEM (nothing else, no half result passed off as
 * success) and leave no files behind; a run that succeeds must give the
 * right answer.  Leaks are not checked here: run this test in a
 * sanitizer build (XC_SANITIZE=ON or the XC_FUZZ build) or under
 * valgrind --leak-check=full to see them (docs/fuzzing.md).
 *
 * Large operations step n by a growing stride after the first 2,000
 * points so that the test stays fast; the first allocations of every
 * phase are covered one by one. */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include "exacalc/form.h"
#include "exacalc/xlsx.h"
#include "xtest.h"

static char tmpdir[256];
static const char *src_dir;

static const char *tpath(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static const char *spath(const char *rel)
{
    static char buf[8][1024];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", src_dir, rel);
    return buf[k];
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static long next_n(long n)
{
    return n < 2000 ? n + 1 : n + n / 100;
}

/* One operation under failure injection: returns a status; cleans up
 * after itself whatever the outcome. */
typedef int (*op_fn)(void *ud);

/* Run op for n = 0, 1, ... until it succeeds; each failure must be
 * XC_ENOMEM.  Returns the number of failing runs seen. */
static long sweep(const char *what, op_fn op, void *ud, long max_n)
{
    long n, fails = 0, bad = 0;
    int st = -1;
    for (n = 0; n <= max_n; n = next_n(n)) {
        xc_alloc_fail_after(n);
        st = op(ud);
        xc_alloc_fail_after(-1);
        if (st == XC_OK)
            break;
        fails++;
        if (st != XC_ENOMEM && bad++ < 5) {
            printf("  %s: n=%ld gave status %d (%s), want XC_ENOMEM\n", what, n,
                   st, xc_status_str(st));
        }
    }
    CHECK(bad == 0);
    CHECK(st == XC_OK); /* it eventually succeeds */
    printf("  %s: %ld failing runs, succeeded at n=%ld\n", what, fails, n);
    return fails;
}

/* ---- formulas ---- */

typedef struct formula_case {
    xc_book *b;
    const char *text;
    const char *want; /* General format of the result */
    int status;       /* of a successful run: result matched */
} formula_case;

static int op_formula(void *ud)
{
    formula_case *fc = ud;
    xc_parse_opts o = {fc->b, 0, 9, 9, 0};
    xc_parse_error pe;
    xc_formula *f;
    xc_value v = {0};
    xc_buf out;
    int st = xc_formula_parse(&f, fc->text, strlen(fc->text), &o, &pe);
    if (st != XC_OK)
        return st;
    st = xc_formula_eval(fc->b, 0, 9, 9, f, 0, &v);
    xc_formula_release(f);
    if (st != XC_OK) {
        xc_value_clear(&v);
        return st;
    }
    xc_buf_init(&out);
    st = xc_value_format(&out, &v, XC_FMT_GENERAL);
    xc_value_clear(&v);
    if (st == XC_OK && strcmp(out.p ? out.p : "", fc->want) != 0) {
        /* a wrong answer returned as success: an allocation failure was
         * swallowed somewhere and turned into a value */
        printf("  '%s' gave '%s', want '%s'\n", fc->text, out.p, fc->want);
        st = XC_EINVAL;
    }
    xc_buf_clear(&out);
    return st;
}

static void test_formulas(void)
{
    static const char *cases[][2] = {
        {"=1+2*3", "7"},
        {"=SUM(A1:A3)/3", "2"},
        {"=ROUND(SQRT(2)*1000000,0)", "1414214"},
        {"=\"a\"&TEXT(0.5,\"0.0%\")&UPPER(\"b\")", "a50.0%B"},
        {"=IF(A1>0,VLOOKUP(2,A1:B3,2,FALSE),0)", "y"},
        {"=SUM(SEQUENCE(3,3))", "45"},
        {"=TEXTJOIN(\",\",TRUE,B1:B3)", "x,y,z"},
        {"=SUMPRODUCT((A1:A3>1)*A1:A3)", "5"},
        {"=LET(x,1/3,x*3)", "1"},
        {"=DATE(2024,2,29)+1", "45352"},
    };
    xc_book *b = xc_book_new();
    int s;
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    xc_book_add_sheet(b, "S", 1, &s);
    const char *txt[] = {"x", "y", "z"};
    for (uint32_t r = 0; r < 3; r++) {
        xc_value v = {0};
        xc_value_set_int(&v, r + 1);
        xc_book_set_value(b, 0, r, 0, &v);
        xc_value_set_text(&v, txt[r], 1);
        xc_book_set_value(b, 0, r, 1, &v);
        xc_value_clear(&v);
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        formula_case fc = {b, cases[i][0], cases[i][1], 0};
        sweep(cases[i][0], op_formula, &fc, 100000);
    }
    xc_book_free(b);
}

/* Set cells and recalculate under failure (the book stays usable:
 * after success everything is right). */
static int op_book_edit(void *ud)
{
    xc_book *b = xc_book_new();
    int s, st;
    if (!b)
        return XC_ENOMEM;
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    st = xc_book_add_sheet(b, "S", 1, &s);
    for (uint32_t r = 0; st == XC_OK && r < 20; r++) {
        xc_value v = {0};
        xc_value_set_int(&v, r);
        st = xc_book_set_value(b, 0, r, 0, &v);
        xc_value_clear(&v);
    }
    if (st == XC_OK) {
        xc_parse_opts o = {b, 0, 0, 1, 0};
        xc_parse_error pe;
        xc_formula *f;
        st = xc_formula_parse(&f, "=SUM(A1:A20)", 12, &o, &pe);
        if (st == XC_OK) {
            st = xc_book_set_formula(b, 0, 0, 1, f, NULL);
            xc_formula_release(f);
        }
    }
    if (st == XC_OK)
        st = xc_book_recalc(b);
    if (st == XC_OK) {
        const xc_value *v = xc_book_get(b, 0, 0, 1);
        if (v->type != XC_NUMBER || xc_num_cmp_int(&v->u.num, 190) != 0)
            st = XC_EINVAL;
    }
    xc_book_free(b);
    return st;
}

/* ---- files ---- */

typedef struct file_case {
    const char *path;
    xc_book *book; /* for save / audit */
    const char *out;
} file_case;

static int op_load(void *ud)
{
    file_case *fc = ud;
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(fc->path, NULL, &b, &err);
    xc_alloc_fail_after(-1);
    if (st == XC_OK) {
        if (!b || xc_book_sheet_count(b) < 1)
            st = XC_EINVAL;
        xc_book_free(b);
    } else if (b != NULL) {
        st = XC_EINVAL; /* a failed load hands back no book */
    }
    xc_buf_clear(&err);
    return st;
}

static int op_load_recalc(void *ud)
{
    file_case *fc = ud;
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_load(fc->path, NULL, &b, &err);
    if (st == XC_OK)
        st = xc_book_recalc_all(b);
    xc_book_free(b);
    xc_buf_clear(&err);
    return st;
}

static int op_csv(void *ud)
{
    file_case *fc = ud;
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_csv_load(fc->path, &b, &err);
    xc_book_free(b);
    xc_buf_clear(&err);
    return st;
}

static int op_save(void *ud)
{
    file_case *fc = ud;
    xc_buf err;
    xc_buf_init(&err);
    int st = xc_xlsx_save(fc->book, fc->out, &err);
    if (st != XC_OK && st != XC_ENOMEM)
        printf("  save failed with status %d: %s\n", st,
               err.p ? err.p : "(no message)");
    xc_buf_clear(&err);
    /* a failed save leaves nothing: no target, no temporary file */
    if (st != XC_OK && count_entries(tmpdir) != 0) {
        printf("  failed save left files in %s\n", tmpdir);
        return XC_EINVAL;
    }
    if (st == XC_OK) {
        xc_book *b2 = NULL;
        xc_alloc_fail_after(-1); /* check the result with a working heap */
        xc_buf_init(&err);
        if (xc_xlsx_load(fc->out, NULL, &b2, &err) != XC_OK)
            st = XC_EINVAL;
        xc_book_free(b2);
        xc_buf_clear(&err);
    }
    return st;
}

static int op_audit(void *ud)
{
    file_case *fc = ud;
    xc_form_settings fs;
    xc_audit *a = NULL;
    xc_form_settings_default(&fs);
    int st = xc_audit_book(fc->book, &fs, &a);
    if (st == XC_OK) {
        xc_buf out;
        xc_buf_init(&out);
        st = xc_audit_json(&out, a, "form.xlsx", &fs);
        xc_buf_clear(&out);
        if (st == XC_OK && xc_audit_forms(a) < 1)
            st = XC_EINVAL;
    }
    xc_audit_free(a);
    return st;
}

static xc_book *load(const char *path)
{
    xc_book *b = NULL;
    xc_buf err;
    xc_buf_init(&err);
    if (xc_xlsx_load(path, NULL, &b, &err) != XC_OK)
        printf("  cannot load %s: %s\n", path, err.p);
    xc_buf_clear(&err);
    return b;
}

static void test_files(void)
{
    file_case small = {spath("fuzz/corpus/xlsx/poi__59021.xlsx"), NULL, NULL};
    sweep("load poi__59021.xlsx", op_load, &small, 1000000);
    file_case form = {spath("samples/seed000_targets_values.xlsx"), NULL, NULL};
    sweep("load seed000_targets_values.xlsx", op_load, &form, 1000000);
    file_case ff = {spath("samples/seed000_targets_formulas.xlsx"), NULL, NULL};
    sweep("load+recalc seed000_targets_formulas.xlsx", op_load_recalc, &ff,
          1000000);
    file_case csv = {spath("fuzz/corpus/csv/bom_quotes.csv"), NULL, NULL};
    sweep("load bom_quotes.csv", op_csv, &csv, 100000);

    /* save: an unchanged loaded book, then one with an edited cell */
    xc_book *b = load(form.path);
    CHECK(b != NULL);
    if (b) {
        file_case sv = {NULL, b, tpath("out.xlsx")};
        sweep("save unchanged", op_save, &sv, 1000000);
        unlink(sv.out);
        xc_value v = {0};
        xc_value_set_int(&v, 12345);
        CHECK(xc_book_set_value(b, 0, 40, 10, &v) == XC_OK);
        sweep("save edited", op_save, &sv, 1000000);
        unlink(sv.out);
        /* audit of the form */
        file_case au = {NULL, b, NULL};
        sweep("audit seed000_targets_values.xlsx", op_audit, &au, 1000000);
        xc_book_free(b);
    }
    /* a book built in memory, saved through the template */
    sweep("build + recalc", op_book_edit, NULL, 100000);
}

int main(void)
{
    src_dir = getenv("XC_SRC");
    if (!src_dir)
        src_dir = ".";
    if (xtest_mkdtemp(tmpdir, sizeof tmpdir, "test_oom"))
        return 1;
    test_formulas();
    test_files();
    if (xtest_rmtree(tmpdir))
        return 1;
    return xtest_done();
}
