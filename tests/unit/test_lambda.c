/* test_lambda.c - LAMBDA function values: the value kind's reference
 * counting, closures and what they capture, calls through LET names and
 * defined names (with their _xlfn./_xlpm. file prefixes), recursion
 * to XC_LAMBDA_MAX_DEPTH levels and #NUM! beyond it (or where a small
 * thread stack runs out) rather than a stack overflow, the
 * dependency graph seeing the cells a named LAMBDA reads, the #CALC! of a
 * cell whose result is a function, parsing and printing of calls of
 * expressions, and the unknown-function flag. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"
#include "xtest.h"
#include "xbook.h"

static xc_book *book;
static int sh;

static void new_book(void)
{
    book = xc_book_new();
    CHECK(book != NULL);
    xc_book_set_engine(book, xc_formula_engine(), NULL);
    CHECK(xc_book_add_sheet(book, "Sheet1", 6, &sh) == XC_OK);
}

static xc_formula *parse(const char *text)
{
    xc_parse_opts o = {book, sh, 0, 0, 0};
    xc_parse_error pe;
    xc_formula *f = NULL;
    if (xc_formula_parse(&f, text, strlen(text), &o, &pe) != XC_OK) {
        fprintf(stderr, "parse %s: %d:%d %s\n", text, pe.line, pe.col, pe.msg);
        return NULL;
    }
    return f;
}

/* Canonical text of the value of text evaluated at Z100 (malloc'd). */
static char *eval_text(const char *text)
{
    xc_formula *f = parse(text);
    xc_value v = {0};
    xc_buf b;
    if (!f)
        return NULL;
    xc_buf_init(&b);
    if (xc_formula_eval(book, sh, 99, 25, f, 0, &v) == XC_OK)
        xc_value_format(&b, &v, XC_FMT_GENERAL);
    else
        xc_buf_puts(&b, "(failed)");
    xc_value_clear(&v);
    xc_formula_release(f);
    return xc_buf_take(&b);
}

#define CHECK_EVAL(text, want)                                                 \
    do {                                                                       \
        char *got_ = eval_text(text);                                          \
        CHECK_STR(got_, want);                                                 \
        free(got_);                                                            \
    } while (0)

/* the book and sheet every cell helper works on (xbook.h) */
#define set_num(row, col, x) xb_set_num(book, sh, row, col, x)
#define set_formula(row, col, text) xb_set_formula(book, sh, row, col, text)
#define CHECK_CELL(row, col, want) XB_CHECK_CELL(book, sh, row, col, want)

/* The value kind itself: copies share the closure, the last clear frees
 * it (ASan would report a leak or a double free). */
static int destroyed;
static void count_destroy(xc_lambda *self)
{
    destroyed++;
    free(self);
}

static void test_value_kind(void)
{
    xc_lambda *fn = calloc(1, sizeof *fn);
    xc_value a = {0}, b = {0}, n = {0};
    xc_buf buf;

    fn->refs = 1;
    fn->destroy = count_destroy;
    a.type = XC_LAMBDA;
    a.u.fn = fn;
    CHECK(xc_value_copy(&b, &a) == XC_OK);
    CHECK(fn->refs == 2);
    CHECK(xc_value_identical(&a, &b));
    CHECK(xc_value_cmp(&a, &b) == 0);
    xc_value_set_int(&n, 1);
    CHECK(xc_value_cmp(&n, &a) < 0); /* after every scalar kind */
    xc_buf_init(&buf);
    CHECK(xc_value_format(&buf, &a, XC_FMT_GENERAL) == XC_OK);
    CHECK_STR(buf.p, "(lambda)");
    xc_buf_clear(&buf);
    xc_value_clear(&a);
    CHECK(destroyed == 0);
    xc_value_clear(&b);
    CHECK(destroyed == 1);
}

static void test_closures(void)
{
    /* lexical scope: the definition's y, not the caller's */
    CHECK_EVAL("=LET(y,1,f,LAMBDA(x,x+y),LET(y,100,f(1)))", "2");
    /* the caller's names are invisible in the body */
    CHECK_EVAL("=LET(f,LAMBDA(x,x+z),LET(z,5,f(1)))", "#NAME?");
    /* a closure outlives the LET that made its captured names */
    CHECK_EVAL("=LET(add,LAMBDA(a,LAMBDA(b,a+b)),inc,add(1),dec,add(-1),"
               "inc(10)*dec(10))",
               "99");
    /* parameters shadow captured names */
    CHECK_EVAL("=LET(x,1,LAMBDA(x,x*2)(21))", "42");
    /* currying through several calls of expressions */
    CHECK_EVAL("=LAMBDA(a,LAMBDA(b,LAMBDA(c,a*100+b*10+c)))(1)(2)(3)", "123");
    /* closures made in a loop keep their own values */
    CHECK_EVAL("=LET(mk,LAMBDA(k,LAMBDA(x,x*k)),"
               "SUM(MAP({1,2,3},LAMBDA(k,mk(k)(10)))))",
               "60");
    /* IF choosing between functions */
    CHECK_EVAL("=IF(TRUE,LAMBDA(x,x+1),LAMBDA(x,x-1))(5)", "6");
    /* exact arithmetic inside: a third times three is one */
    CHECK_EVAL("=LAMBDA(x,(x/3)*3=x)(1)", "TRUE");
    /* omitted arguments: empty, and marked for ISOMITTED */
    CHECK_EVAL("=LAMBDA(a,b,ISOMITTED(b))(1,)", "TRUE");
    CHECK_EVAL("=LAMBDA(a,b,ISOMITTED(a))(1,)", "FALSE");
    CHECK_EVAL("=ISOMITTED(5)", "FALSE");
    /* an optional parameter from a file (_xlop.) may be left out */
    CHECK_EVAL("=_xlfn.LAMBDA(_xlpm.a,_xlop.b,IF(ISOMITTED(_xlpm.b),-1,_xlpm."
               "a+_xlpm.b))(1)",
               "-1");
    CHECK_EVAL("=_xlfn.LAMBDA(_xlpm.a,_xlop.b,_xlpm.a+_xlop.b)(1,2)", "3");
    CHECK_EVAL("=LAMBDA(a,_xlop.b,a)()", "#VALUE!");
    /* duplicate parameter names are refused */
    CHECK_EVAL("=LAMBDA(x,X,x)(1,2)", "#VALUE!");
    /* a function value as an element is #CALC! */
    CHECK_EVAL("=MAP({1,2},LAMBDA(x,LAMBDA(y,y)))", "{#CALC!,#CALC!}");
    CHECK_EVAL("=BYROW({1,2;3,4},LAMBDA(r,r))", "{#CALC!;#CALC!}");
    CHECK_EVAL("=ISERROR(LAMBDA(x,x))", "TRUE");
}

/* Named LAMBDAs: calls by name, recursion, the depth limit, and the
 * dependency graph. */
static void test_named(void)
{
    /* A1 5; B1 =ADDA1(10) where ADDA1 reads A1 */
    CHECK(xc_book_add_name(book, "ADDA1", -1,
                           "_xlfn.LAMBDA(_xlpm.v,_xlpm.v+Sheet1!$A$1)",
                           0) == XC_OK);
    CHECK(xc_book_add_name(book, "FACT2", -1,
                           "_xlfn.LAMBDA(_xlpm.n,IF(_xlpm.n<=1,1,_xlpm.n*"
                           "FACT2(_xlpm.n-1)))",
                           0) == XC_OK);
    CHECK(xc_book_add_name(book, "SUMTO", -1,
                           "LAMBDA(n,IF(n<=0,0,n+SUMTO(n-1)))", 0) == XC_OK);
    CHECK(xc_book_add_name(book, "FIB", -1,
                           "LAMBDA(n,IF(n<2,n,FIB(n-1)+FIB(n-2)))",
                           0) == XC_OK);
    CHECK(xc_book_add_name(book, "LOOP", -1, "LAMBDA(n,LOOP(n+1))", 0) ==
          XC_OK);
    CHECK(xc_book_add_name(book, "MYEVEN", -1,
                           "LAMBDA(n,IF(n=0,TRUE,MYODD(n-1)))", 0) == XC_OK);
    CHECK(xc_book_add_name(book, "MYODD", -1,
                           "LAMBDA(n,IF(n=0,FALSE,MYEVEN(n-1)))", 0) == XC_OK);
    CHECK(xc_book_add_name(book, "TWICE", -1, "LAMBDA(f,x,f(f(x)))", 0) ==
          XC_OK);
    CHECK(xc_book_add_name(book, "K", -1, "Sheet1!$A$1*2", 0) == XC_OK);
    CHECK(xc_book_add_name(book, "USESX", -1, "x+1", 0) == XC_OK);

    set_num(0, 0, 5);
    set_formula(0, 1, "=ADDA1(10)");
    set_formula(0, 2, "=B1+ADDA1(0)");
    set_formula(0, 3, "=LAMBDA(x,x)");
    set_formula(0, 4, "=MAP(A1:A1,LAMBDA(x,ADDA1(x)))");
    CHECK(xc_book_recalc(book) == XC_OK);
    CHECK_CELL(0, 1, "15");
    CHECK_CELL(0, 2, "20");
    CHECK_CELL(0, 3, "#CALC!"); /* a cell never holds a function */
    CHECK_CELL(0, 4, "10");
    /* the graph knows B1 and C1 read A1 through ADDA1's body */
    set_num(0, 0, 7);
    CHECK(xc_book_recalc(book) == XC_OK);
    CHECK_CELL(0, 1, "17");
    CHECK_CELL(0, 2, "24");
    CHECK_CELL(0, 4, "14");

    CHECK_EVAL("=FACT2(10)", "3628800");
    CHECK_EVAL("=FACT2(20)=FACT(20)", "TRUE");
    CHECK_EVAL("=FIB(15)", "610");
    CHECK_EVAL("=MYEVEN(10)", "TRUE");
    CHECK_EVAL("=MYODD(7)", "TRUE");
    /* recursion has its own depth limit, not the 64 levels of formula
     * text: a sum to 1000 is 1001 nested calls; SUMTO(n) makes n+1 */
    CHECK_EVAL("=SUMTO(1000)", "500500");
    CHECK_EVAL("=FACT2(67)=FACT(67)", "TRUE");
    {
        char f[64], want[64], *got;
        int m = XC_LAMBDA_MAX_DEPTH;
        snprintf(f, sizeof f, "=SUMTO(%d)", m - 1); /* m calls: allowed */
        snprintf(want, sizeof want, "%lld", (long long)m * (m - 1) / 2);
        got = eval_text(f);
        CHECK_STR(got, want);
        free(got);
        snprintf(f, sizeof f, "=SUMTO(%d)", m); /* one call more */
        got = eval_text(f);
        CHECK_STR(got, "#NUM!");
        free(got);
    }
    /* too deep: #NUM!, never a stack overflow */
    CHECK_EVAL("=FACT2(100000)", "#NUM!");
    CHECK_EVAL("=LOOP(1)", "#NUM!");
    CHECK_EVAL("=MYEVEN(100001)", "#NUM!");
    CHECK_EVAL("=IFERROR(LOOP(1),\"deep\")", "deep");
    CHECK_EVAL("=SUM(MAP({1,2,3},LAMBDA(x,LOOP(x))))", "#NUM!");
    /* a function calling itself twice per level: the call budget ends
     * it (#NUM!) long before 2^30 calls */
    CHECK_EVAL("=LET(f,LAMBDA(g,n,IF(n=0,0,g(g,n-1)+g(g,n-1))),f(f,30))",
               "#NUM!");
    CHECK_EVAL("=LET(f,LAMBDA(g,n,IF(n<2,n,g(g,n-1)+g(g,n-2))),f(f,20))",
               "6765");
    /* a fixed-point recursion inside one formula hits the same limit */
    CHECK_EVAL("=LET(f,LAMBDA(g,n,g(g,n+1)),f(f,0))", "#NUM!");
    /* higher-order named functions */
    CHECK_EVAL("=TWICE(LAMBDA(x,x*3),2)", "18");
    CHECK_EVAL("=TWICE(FACT2,3)", "720");
    CHECK_EVAL("=TWICE(ABS,-2)", "2"); /* a built-in passed by name */
    CHECK_EVAL("=MAP({3,4},FACT2)", "{6,24}");
    /* a defined name's formula sees no LET name of the formula using it */
    CHECK_EVAL("=LET(x,5,USESX)", "#NAME?");
    CHECK_EVAL("=LET(x,5,ADDA1(x))", "12");
    /* a name that is no LAMBDA cannot be called */
    CHECK_EVAL("=K(1)", "#VALUE!");
    /* the wrong number of arguments */
    CHECK_EVAL("=FACT2(1,2)", "#VALUE!");
    CHECK_EVAL("=FACT2()", "#VALUE!");
}

/* On a thread whose stack is too small for the depth limit, deep
 * recursion ends in #NUM! at the stack guard, not in a crash, and
 * shallow recursion still works. */
static void *small_stack_run(void *arg)
{
    char **res = arg;
    res[0] = eval_text("=SUMTO(20)");
    res[1] = eval_text("=SUMTO(1000)");
    return NULL;
}

static void test_small_stack(void)
{
    pthread_attr_t at;
    pthread_t th;
    char *res[2] = {NULL, NULL};
    CHECK(pthread_attr_init(&at) == 0);
    CHECK(pthread_attr_setstacksize(&at, 1u << 20) == 0);
    CHECK(pthread_create(&th, &at, small_stack_run, res) == 0);
    CHECK(pthread_join(th, NULL) == 0);
    pthread_attr_destroy(&at);
    CHECK_STR(res[0], "210");
    CHECK_STR(res[1], "#NUM!");
    free(res[0]);
    free(res[1]);
}

/* Parsing and printing: calls of expressions print back as written and
 * re-parse to the same text; bound names are not unknown functions. */
static void test_syntax(void)
{
    static const char *const texts[] = {
        "LAMBDA(x,x+1)(2)",
        "LAMBDA(x,LAMBDA(y,x*y))(3)(4)",
        "(LAMBDA(x,x))(1)",
        "_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(5)",
        "_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,_xlpm.x),_xlpm.f(1))",
        "MAP(A1:B2,LAMBDA(v,v*2))",
        "LAMBDA(x,x)(,2)",
        "LAMBDA(a,[b],IF(ISOMITTED(b),a,a+b))(1)",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        xc_formula *f = parse(texts[i]), *g;
        xc_buf b, c;
        CHECK(f != NULL);
        if (!f)
            continue;
        xc_buf_init(&b);
        xc_buf_init(&c);
        CHECK(xc_formula_print(&b, f, book, sh, 0, 0) == XC_OK);
        CHECK_STR(b.p, texts[i]);
        g = parse(b.p ? b.p : "");
        CHECK(g != NULL);
        if (g) {
            CHECK(xc_formula_print(&c, g, book, sh, 0, 0) == XC_OK);
            CHECK_STR(c.p, b.p);
        }
        CHECK(!(xc_formula_flags(f) & XC_F_UNKNOWN_FN));
        xc_buf_clear(&b);
        xc_buf_clear(&c);
        xc_formula_release(f);
        xc_formula_release(g);
    }
    /* unknown stays unknown; defined names and bound names do not */
    xc_formula *f = parse("=NOSUCH(1)");
    CHECK(f && (xc_formula_flags(f) & XC_F_UNKNOWN_FN));
    CHECK(f && xc_formula_unknown_fn(f) &&
          strcmp(xc_formula_unknown_fn(f), "NOSUCH") == 0);
    xc_formula_release(f);
    f = parse("=FACT2(3)+LET(g,LAMBDA(x,x),g(1))");
    CHECK(f && !(xc_formula_flags(f) & XC_F_UNKNOWN_FN));
    xc_formula_release(f);
    /* a LET name is in scope only inside its LET */
    f = parse("=LET(g,LAMBDA(x,x),g(1))+g(2)");
    CHECK(f && (xc_formula_flags(f) & XC_F_UNKNOWN_FN));
    xc_formula_release(f);
    /* a space before '(' is no call */
    xc_parse_opts o = {book, sh, 0, 0, 0};
    xc_parse_error pe;
    f = NULL;
    CHECK(xc_formula_parse(&f, "=LAMBDA(x,x) (1)", 16, &o, &pe) == XC_EPARSE);
    xc_formula_release(f);
}

/* The file form adds Excel's _xlfn. and _xlpm. prefixes where the text
 * lacked them, keeps them where it had them, and reads back to the same
 * display text. */
static void test_file_form(void)
{
    static const char *const cases[][3] = {
        /* typed, display, file */
        {"=LAMBDA(x,x+1)(2)", "LAMBDA(x,x+1)(2)",
         "_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(2)"},
        {"=LET(f,LAMBDA(x,y,x*y),g,5,f(g,2))",
         "LET(f,LAMBDA(x,y,x*y),g,5,f(g,2))",
         "_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x*_xlpm.y),_"
         "xlpm.g,5,_xlpm.f(_xlpm.g,2))"},
        /* a LET name is not in scope in its own value: K is the defined
         * name there */
        {"=LET(K,K+1,K)", "LET(K,K+1,K)", "_xlfn.LET(_xlpm.K,K+1,_xlpm.K)"},
        {"=MAP(A1:A3,LAMBDA(v,ISOMITTED(v)))",
         "MAP(A1:A3,LAMBDA(v,ISOMITTED(v)))",
         "_xlfn.MAP(A1:A3,_xlfn.LAMBDA(_xlpm.v,_xlfn.ISOMITTED(_xlpm.v)))"},
        {"=_xlfn.LAMBDA(_xlpm.x,_xlpm.x)(1)",
         "_xlfn.LAMBDA(_xlpm.x,_xlpm.x)(1)",
         "_xlfn.LAMBDA(_xlpm.x,_xlpm.x)(1)"},
        {"=SUM(A1:A3)+FACT2(3)", "SUM(A1:A3)+FACT2(3)", "SUM(A1:A3)+FACT2(3)"},
        /* a built-in function passed by name: _xleta. in files */
        {"=BYROW(A1:C3,sum)", "BYROW(A1:C3,SUM)",
         "_xlfn.BYROW(A1:C3,_xleta.SUM)"},
        {"=_xlfn.REDUCE(0,A1:A3,_xleta.SUM)",
         "_xlfn.REDUCE(0,A1:A3,_xleta.SUM)",
         "_xlfn.REDUCE(0,A1:A3,_xleta.SUM)"},
        {"=LAMBDA(f,f(-2))(ABS)", "LAMBDA(f,f(-2))(ABS)",
         "_xlfn.LAMBDA(_xlpm.f,_xlpm.f(-2))(_xleta.ABS)"},
        /* a defined name or LET name of that name is no eta */
        {"=MAP(A1:A3,FACT2)", "MAP(A1:A3,FACT2)", "_xlfn.MAP(A1:A3,FACT2)"},
        {"=LET(ABS,LAMBDA(x,x),MAP(A1:A3,ABS))",
         "LET(ABS,LAMBDA(x,x),MAP(A1:A3,ABS))",
         "_xlfn.LET(_xlpm.ABS,_xlfn.LAMBDA(_xlpm.x,_xlpm.x),_xlfn.MAP(A1:A3,_"
         "xlpm.ABS))"},
        /* an optional parameter: [b] on screen, _xlop.b in files */
        {"=LAMBDA(a,[b],IF(ISOMITTED(b),a,a+b))(1)",
         "LAMBDA(a,[b],IF(ISOMITTED(b),a,a+b))(1)",
         "_xlfn.LAMBDA(_xlpm.a,_xlop.b,IF(_xlfn.ISOMITTED(_xlpm.b),_xlpm.a,_"
         "xlpm.a+_xlpm.b))(1)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        xc_formula *f = parse(cases[i][0]), *g;
        xc_buf d, fl, back;
        CHECK(f != NULL);
        if (!f)
            continue;
        xc_buf_init(&d);
        xc_buf_init(&fl);
        xc_buf_init(&back);
        CHECK(xc_formula_print(&d, f, book, sh, 0, 0) == XC_OK);
        CHECK_STR(d.p, cases[i][1]);
        CHECK(xc_formula_print_file(&fl, f, book, sh, 0, 0) == XC_OK);
        CHECK_STR(fl.p, cases[i][2]);
        /* the file text evaluates like the typed one */
        g = parse(fl.p ? fl.p : "");
        CHECK(g != NULL);
        if (g) {
            CHECK(xc_formula_print_file(&back, g, book, sh, 0, 0) == XC_OK);
            CHECK_STR(back.p, fl.p);
            char *a = eval_text(cases[i][0]), *b = eval_text(fl.p);
            CHECK_STR(a, b);
            free(a);
            free(b);
        }
        xc_buf_clear(&d);
        xc_buf_clear(&fl);
        xc_buf_clear(&back);
        xc_formula_release(f);
        xc_formula_release(g);
    }
}

/* explain's trace sees the parameters and the body of a called LAMBDA
 * under the call. */
static int ntrace, body_seen, lambda_seen, param_seen;
static int on_trace(void *ud, int depth, const char *text, const xc_value *v,
                    const char *note)
{
    (void)ud;
    (void)depth;
    ntrace++;
    if (note && strcmp(note, "parameter") == 0 && strcmp(text, "x") == 0 &&
        v->type == XC_NUMBER && xc_num_cmp_int(&v->u.num, 21) == 0)
        param_seen++;
    if (strcmp(text, "x*2") == 0 && v->type == XC_NUMBER)
        body_seen++;
    if (v->type == XC_LAMBDA)
        lambda_seen++;
    return XC_OK;
}

static void test_trace(void)
{
    xc_formula *f = parse("=LAMBDA(x,x*2)(21)+FACT2(3)");
    xc_value v = {0};
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(xc_formula_eval_traced(book, sh, 99, 25, f, 0, on_trace, NULL, &v) ==
          XC_OK);
    CHECK(v.type == XC_NUMBER && xc_num_cmp_int(&v.u.num, 48) == 0);
    CHECK(body_seen == 1);
    CHECK(param_seen == 1);
    CHECK(lambda_seen >= 2);
    CHECK(ntrace > 5);
    xc_value_clear(&v);
    xc_formula_release(f);
}

int main(void)
{
    test_value_kind();
    new_book();
    test_closures();
    test_named();
    test_small_stack();
    test_syntax();
    test_file_form();
    test_trace();
    xc_book_free(book);
    return xtest_done();
}
