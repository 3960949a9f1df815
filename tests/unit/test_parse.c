/* test_parse.c - formula lexer, parser and printer: canonical text,
 * precedence, every reference form, errors with line:column, limits,
 * relative references (shared-formula translation) and the round-trip
 * property print(parse(x)) == print(parse(print(parse(x)))). */
#include <stdlib.h>
#include <strings.h>
#include "formula_int.h"
#include "xtest.h"

static xc_book *book;
static int s_sheet1, s_sheet2, s_cn, s_sheet3, s_a1, s_num, s_quote, s_dot;

static void make_book(void)
{
    book = xc_book_new();
    CHECK(book != NULL);
    xc_book_add_sheet(book, "Sheet1", 6, &s_sheet1);
    xc_book_add_sheet(book, "Sheet 2", 7, &s_sheet2);
    xc_book_add_sheet(book, "表11", strlen("表11"), &s_cn);
    xc_book_add_sheet(book, "Sheet3", 6, &s_sheet3);
    xc_book_add_sheet(book, "A1", 2, &s_a1);
    xc_book_add_sheet(book, "2024", 4, &s_num);
    xc_book_add_sheet(book, "It's", 4, &s_quote);
    xc_book_add_sheet(book, "a.b", 3, &s_dot);
    CHECK(xc_book_sheet_count(book) == 8);
}

static xc_formula *parse_at(const char *text, uint32_t row, uint32_t col,
                            unsigned flags, xc_parse_error *pe)
{
    xc_parse_opts o = {book, 0, row, col, flags};
    xc_formula *f = NULL;
    xc_parse_error tmp;
    if (flags & XC_FP_NOBOOK)
        o.book = NULL;
    if (xc_formula_parse(&f, text, strlen(text), &o, pe ? pe : &tmp) != XC_OK)
        return NULL;
    return f;
}

/* Canonical text of f at (row, col); static buffer per call site. */
static char *print_at(const xc_formula *f, uint32_t row, uint32_t col)
{
    xc_buf b;
    xc_buf_init(&b);
    if (xc_formula_print(&b, f, book, 0, row, col) != XC_OK) {
        xc_buf_clear(&b);
        return NULL;
    }
    return xc_buf_take(&b);
}

/* Structural equality, ignoring source positions and sheet quoting. */
static int same_tree(const xc_node *a, const xc_node *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case XN_NUM:
        return xc_num_equal(&a->u.num, &b->u.num);
    case XN_STR:
        return a->u.str->len == b->u.str->len &&
               memcmp(a->u.str->s, b->u.str->s, a->u.str->len) == 0;
    case XN_BOOL:
        return a->u.b == b->u.b;
    case XN_ERR:
        return a->u.err == b->u.err;
    case XN_ARRAY: {
        const xc_array *x = a->u.arr, *y = b->u.arr;
        if (x->rows != y->rows || x->cols != y->cols)
            return 0;
        for (size_t i = 0; i < (size_t)x->rows * x->cols; i++)
            if (!xc_value_identical(&x->v[i], &y->v[i]))
                return 0;
        return 1;
    }
    case XN_REF: {
        const xc_refnode *x = &a->u.ref, *y = &b->u.ref;
        return x->kind == y->kind && x->sheet == y->sheet &&
               x->sheet2 == y->sheet2 && x->a.row == y->a.row &&
               x->a.col == y->a.col && x->a.flags == y->a.flags &&
               x->b.row == y->b.row && x->b.col == y->b.col &&
               x->b.flags == y->b.flags;
    }
    case XN_NAME:
        return a->u.name.sheet == b->u.name.sheet &&
               strcmp(a->u.name.text, b->u.name.text) == 0;
    case XN_FUNC:
        if (a->u.fn.def != b->u.fn.def || a->u.fn.nargs != b->u.fn.nargs ||
            strcasecmp(a->u.fn.name, b->u.fn.name) != 0)
            return 0;
        for (int i = 0; i < a->u.fn.nargs; i++)
            if (!same_tree(a->u.fn.args[i], b->u.fn.args[i]))
                return 0;
        return 1;
    case XN_UNOP:
    case XN_BINOP:
    case XN_PAREN:
        return a->u.op.op == b->u.op.op && same_tree(a->u.op.a, b->u.op.a) &&
               same_tree(a->u.op.b, b->u.op.b);
    default:
        return 1;
    }
}

/* Parse at D5, print there, check the canonical text, then re-parse
 * the printed text: same tree, same text. */
static void roundtrip(const char *in, const char *want, unsigned flags,
                      int line)
{
    xc_parse_error pe;
    xc_formula *f = parse_at(in, 4, 3, flags, &pe), *g;
    char *t1, *t2;

    if (!f) {
        xtest_fail++;
        fprintf(stderr, "line %d: parse of \"%s\" failed at %d:%d: %s\n", line,
                in, pe.line, pe.col, pe.msg);
        return;
    }
    t1 = print_at(f, 4, 3);
    if (!t1 || strcmp(t1, want) != 0) {
        xtest_fail++;
        fprintf(stderr, "line %d: \"%s\" printed \"%s\", want \"%s\"\n", line,
                in, t1 ? t1 : "(null)", want);
    } else {
        xtest_pass++;
    }
    g = t1 ? parse_at(t1, 4, 3, flags & ~XC_FP_FILE, &pe) : NULL;
    CHECK(g != NULL);
    if (g) {
        t2 = print_at(g, 4, 3);
        CHECK(same_tree(f->root, g->root));
        CHECK_STR(t2, t1);
        free(t2);
        xc_formula_release(g);
    }
    free(t1);
    xc_formula_release(f);
}

static const struct {
    const char *in, *out;
} canon[] = {
    /* precedence and operators */
    {"=1+2*3", "1+2*3"},
    {"=(1+2)*3", "(1+2)*3"},
    {"=-2^2", "-2^2"},
    {"=2^3^2", "2^3^2"},
    {"=10%^2", "10%^2"},
    {"=-A1%", "-A1%"},
    {"= 1 + 2 ", "1+2"},
    {"=1-(2-3)", "1-(2-3)"},
    {"=((1))", "((1))"},
    {"=+A1+B1", "+A1+B1"},
    {"=--A1", "--A1"},
    {"=2^-1", "2^-1"},
    {"=1--1", "1--1"},
    {"=1=1", "1=1"},
    {"=A1<>B1", "A1<>B1"},
    {"=A1<=1", "A1<=1"},
    {"=A1>=1", "A1>=1"},
    {"=A1<1", "A1<1"},
    {"=A1>1", "A1>1"},
    {"=\"a\"&\"b\"&1", "\"a\"&\"b\"&1"},
    {"=1&2=\"12\"", "1&2=\"12\""},
    {"=A1%%", "A1%%"},
    {"=SUM(1,\n2)", "SUM(1,2)"},
    {"=SUM(1,\r\n\t2)", "SUM(1,2)"},
    /* numbers */
    {"=1.50", "1.5"},
    {"=.5", "0.5"},
    {"=1E3", "1000"},
    {"=2.5e-3", "0.0025"},
    {"=0.1+0.2", "0.1+0.2"},
    {"=0.100000000000000000001", "0.100000000000000000001"},
    /* strings, booleans, errors */
    {"=\"a\"\"b\"", "\"a\"\"b\""},
    {"=\"\"", "\"\""},
    {"=\"\"\"\"", "\"\"\"\""},
    {"=\"得分\"", "\"得分\""},
    {"=true", "TRUE"},
    {"=FALSE", "FALSE"},
    {"=true()", "TRUE()"},
    {"=FALSE()", "FALSE()"},
    {"=#DIV/0!", "#DIV/0!"},
    {"=#n/a", "#N/A"},
    {"=#N/A/2", "#N/A/2"},
    {"=#NULL!", "#NULL!"},
    {"=#VALUE!", "#VALUE!"},
    {"=#REF!", "#REF!"},
    {"=#NAME?", "#NAME?"},
    {"=#NUM!", "#NUM!"},
    {"=#GETTING_DATA", "#GETTING_DATA"},
    {"=#SPILL!", "#SPILL!"},
    {"=#CALC!", "#CALC!"},
    /* arrays */
    {"={1,2;3,4}", "{1,2;3,4}"},
    {"={-1,\"x\"\"y\";TRUE,#N/A}", "{-1,\"x\"\"y\";TRUE,#N/A}"},
    {"={ 1 , -2.5 }", "{1,-2.5}"},
    {"={1;2;3}", "{1;2;3}"},
    {"=SUM({1,2},3)", "SUM({1,2},3)"},
    /* references */
    {"=A1", "A1"},
    {"=$A$1", "$A$1"},
    {"=A$1", "A$1"},
    {"=$A1", "$A1"},
    {"=a1", "A1"},
    {"=A1:B2", "A1:B2"},
    {"=$A$1:$B$2", "$A$1:$B$2"},
    {"=A1 : B2", "A1:B2"},
    {"=B2:A1", "B2:A1"},
    {"=A:C", "A:C"},
    {"=$A:$A", "$A:$A"},
    {"=1:3", "1:3"},
    {"=$1:$3", "$1:$3"},
    {"=XFD1048576", "XFD1048576"},
    {"=A:XFD", "A:XFD"},
    {"='Sheet 2'!A1", "'Sheet 2'!A1"},
    {"='Sheet1'!A1", "Sheet1!A1"},
    {"=sheet1!A1:B2", "Sheet1!A1:B2"},
    {"=Sheet1!A:A", "Sheet1!A:A"},
    {"=Sheet1!1:1", "Sheet1!1:1"},
    {"=表11!A1", "表11!A1"},
    {"='表11'!B2+表11!$C$3", "表11!B2+表11!$C$3"},
    {"='A1'!B2", "'A1'!B2"},
    {"='2024'!A1", "'2024'!A1"},
    {"='It''s'!A1", "'It''s'!A1"},
    {"=a.b!A1+'A.B'!B1", "'a.b'!A1+'a.b'!B1"},
    {"=Sheet1:Sheet3!A1", "Sheet1:Sheet3!A1"},
    {"=SUM(Sheet1:Sheet3!A1:B2)", "SUM(Sheet1:Sheet3!A1:B2)"},
    {"='Sheet 2:Sheet3'!A1", "'Sheet 2:Sheet3'!A1"},
    {"=A1:INDEX(B1:B5,2)", "A1:INDEX(B1:B5,2)"},
    {"=Sheet1!A1:Sheet1!B2", "Sheet1!A1:Sheet1!B2"},
    {"=LOG10", "LOG10"},
    {"=log10+1", "LOG10+1"},
    {"=LOG10(100)", "LOG10(100)"},
    {"=-A1:A3", "-A1:A3"},
    /* names */
    {"=MyName", "MyName"},
    {"=Sheet1!MyName", "Sheet1!MyName"},
    {"='Sheet 2'!Local", "'Sheet 2'!Local"},
    {"=my.name_1*2", "my.name_1*2"},
    {"=\\path", "\\path"},
    {"=税率*A1", "税率*A1"},
    {"=表11", "表11"},
    {"=ABCD1", "ABCD1"},
    {"=_xlnm.Print_Area", "_xlnm.Print_Area"},
    {"=Name1:B2", "Name1:B2"},
    {"=Name1 :Sheet1!B2", "Name1:'Sheet1'!B2"},
    {"=Name1:Sheet1:Sheet3!B2", "Name1:'Sheet1:Sheet3'!B2"},
    /* functions */
    {"=sum(1,2)", "SUM(1,2)"},
    {"=SUM()", "SUM()"},
    {"=SUM( )", "SUM()"},
    {"=ROUND(1,)", "ROUND(1,)"},
    {"=IF(A1,,1)", "IF(A1,,1)"},
    {"=IF(,,)", "IF(,,)"},
    {"=ceiling.math(2.5)", "CEILING.MATH(2.5)"},
    {"=_xlfn.xlookup(1,A1:A3,B1:B3)", "_xlfn.XLOOKUP(1,A1:A3,B1:B3)"},
    {"=_XLFN.XLOOKUP(1,A1:A3,B1:B3)", "_xlfn.XLOOKUP(1,A1:A3,B1:B3)"},
    {"=_xlws.sort(A1:A3)", "_xlws.SORT(A1:A3)"},
    {"=_xlfn._xlws.FILTER(A1:A3,B1:B3>0)", "_xlfn._xlws.FILTER(A1:A3,B1:B3>0)"},
    {"=ROUND(SUM(A1:A3)/3,2)", "ROUND(SUM(A1:A3)/3,2)"},
    {"=NoSuchFunction(1)", "NOSUCHFUNCTION(1)"},
    /* reference operators */
    {"=SUM((A1,B2))", "SUM((A1,B2))"},
    {"=SUM((A1:B2,C3),D4)", "SUM((A1:B2,C3),D4)"},
    {"=(A1,B2)", "(A1,B2)"},
    {"=A1,B2", "A1,B2"},
    {"=A1:C3 B2:D4", "A1:C3 B2:D4"},
    {"=SUM(A1:C3 B2:D4)", "SUM(A1:C3 B2:D4)"},
    {"=SUM(A:A 2:2)", "SUM(A:A 2:2)"},
    {"=MyRange B2", "MyRange B2"},
    {"=(A1:B2 B1:C2)*2", "(A1:B2 B1:C2)*2"},
    {"=Sheet1!#REF!", "#REF!"},
};

static void test_canonical(void)
{
    for (size_t i = 0; i < sizeof canon / sizeof *canon; i++)
        roundtrip(canon[i].in, canon[i].out, 0, (int)i);
}

/* Fully bracketed structure: (op a b), (NAME args), [paren], _ for a
 * missing argument; leaves in canonical text. */
static int sexpr(xc_buf *b, const xc_node *n)
{
    static const char *ops[] = {
        [XOP_ADD] = "+",   [XOP_SUB] = "-",       [XOP_MUL] = "*",
        [XOP_DIV] = "/",   [XOP_POW] = "^",       [XOP_CAT] = "&",
        [XOP_EQ] = "=",    [XOP_NE] = "<>",       [XOP_LT] = "<",
        [XOP_LE] = "<=",   [XOP_GT] = ">",        [XOP_GE] = ">=",
        [XOP_RANGE] = ":", [XOP_UNION] = "union", [XOP_ISECT] = "isect",
        [XOP_NEG] = "neg", [XOP_PLUS] = "pos",    [XOP_PERCENT] = "pct"};
    int st = XC_OK;
    switch (n->kind) {
    case XN_UNOP:
    case XN_BINOP:
        xc_buf_printf(b, "(%s ", ops[n->u.op.op]);
        st |= sexpr(b, n->u.op.a);
        if (n->u.op.b) {
            xc_buf_putc(b, ' ');
            st |= sexpr(b, n->u.op.b);
        }
        return st | xc_buf_putc(b, ')');
    case XN_PAREN:
        xc_buf_putc(b, '[');
        st |= sexpr(b, n->u.op.a);
        return st | xc_buf_putc(b, ']');
    case XN_FUNC:
        xc_buf_printf(b, "(%s", n->u.fn.name);
        for (int i = 0; i < n->u.fn.nargs; i++) {
            xc_buf_putc(b, ' ');
            st |= sexpr(b, n->u.fn.args[i]);
        }
        return st | xc_buf_putc(b, ')');
    case XN_MISSING:
        return xc_buf_putc(b, '_');
    default:
        return xc_node_print(b, n, book, 0, 4, 3);
    }
}

static const struct {
    const char *in, *tree;
} shapes[] = {
    {"=-2^2", "(^ (neg 2) 2)"},
    {"=2^3^2", "(^ (^ 2 3) 2)"},
    {"=1+2*3", "(+ 1 (* 2 3))"},
    {"=(1+2)*3", "(* [(+ 1 2)] 3)"},
    {"=10%^2", "(^ (pct 10) 2)"},
    {"=-A1%", "(pct (neg A1))"},
    {"=1-2-3", "(- (- 1 2) 3)"},
    {"=8/4/2", "(/ (/ 8 4) 2)"},
    {"=1&2=3", "(= (& 1 2) 3)"},
    {"=1=2<3", "(< (= 1 2) 3)"},
    {"=\"a\"&1+2", "(& \"a\" (+ 1 2))"},
    {"=2*-3^2", "(* 2 (^ (neg 3) 2))"},
    {"=1+-2%", "(+ 1 (pct (neg 2)))"},
    {"=-A1:INDEX(B1:B2,1)", "(neg (: A1 (INDEX B1:B2 1)))"},
    {"=-A1 B1", "(neg (isect A1 B1))"},
    {"=(A1:B2 B1:C3,D4)", "[(union (isect A1:B2 B1:C3) D4)]"},
    {"=A1:B2:C3", "(: A1:B2 C3)"},
    {"=ROUND(1,)", "(ROUND 1 _)"},
    {"=IF(A1,,1)", "(IF A1 _ 1)"},
    {"=SUM()", "(SUM)"},
    {"=SUM(,)", "(SUM _ _)"},
    {"=+A1", "(pos A1)"},
    {"=A1=-1", "(= A1 (neg 1))"},
};

static void test_shapes(void)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        xc_formula *f = parse_at(shapes[i].in, 4, 3, 0, NULL);
        xc_buf b;
        xc_buf_init(&b);
        CHECK(f != NULL);
        if (f && sexpr(&b, f->root) == XC_OK)
            CHECK_STR(b.p, shapes[i].tree);
        xc_buf_clear(&b);
        xc_formula_release(f);
    }
}

static const struct {
    const char *in;
    int line, col;
    const char *word;
} errs[] = {
    {"=SUM(1,", 1, 8, "expected an expression"},
    {"=SUM(1", 1, 7, "expected ',' or ')'"},
    {"=(1+2", 1, 6, "expected ')'"},
    {"=1+2)", 1, 5, "unbalanced"},
    {"=1+", 1, 4, "expected an expression"},
    {"=", 1, 2, "expected an expression"},
    {"", 1, 1, "expected an expression"},
    {"=\"abc", 1, 2, "unterminated"},
    {"=1~2", 1, 3, "unexpected character"},
    {"=1 2", 1, 4, "expected an operator"},
    {"=A1048577", 1, 2, "row out of range"},
    {"=XFE1", 1, 2, "column out of range"},
    {"=A:XFE", 1, 2, "column out of range"},
    {"=A0", 1, 2, "row out of range"},
    {"=Nope!A1", 1, 2, "unknown sheet 'Nope'"},
    {"='No pe'!A1", 1, 2, "unknown sheet 'No pe'"},
    {"=Sheet1!", 1, 9, "expected a reference"},
    {"='Sheet 2'A1", 1, 11, "expected '!'"},
    {"=''!A1", 1, 2, "empty sheet name"},
    {"={1,2;3}", 1, 8, "differ"},
    {"={1,A1}", 1, 5, "constant"},
    {"={}", 1, 3, "constant"},
    {"=#FOO!", 1, 2, "unknown error literal"},
    {"=1.2.3", 1, 2, "malformed number"},
    {"=1A", 1, 2, "malformed number"},
    {"=$A", 1, 2, "malformed reference"},
    {"=1,2", 1, 3, "expected references"},
    {"=A1:1", 1, 4, "expected references"},
    {"=SUM(1,\n  2", 2, 4, "expected ',' or ')'"},
    {"=表11!A1+", 1, 9, "expected an expression"},
    {"=\"表\"+（1）", 1, 6, "unexpected character"},
    {"=1e99999", 1, 2, "number out of range"},
    {"=Sheet1!SUM(1)", 1, 9, "function"},
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
        xc_parse_error pe;
        xc_formula *f = parse_at(errs[i].in, 0, 0, 0, &pe);
        if (f) {
            xtest_fail++;
            fprintf(stderr, "\"%s\" parsed but should fail\n", errs[i].in);
            xc_formula_release(f);
            continue;
        }
        if (pe.line != errs[i].line || pe.col != errs[i].col ||
            !strstr(pe.msg, errs[i].word)) {
            xtest_fail++;
            fprintf(stderr, "\"%s\": got %d:%d %s, want %d:%d %s\n", errs[i].in,
                    pe.line, pe.col, pe.msg, errs[i].line, errs[i].col,
                    errs[i].word);
        } else {
            xtest_pass++;
        }
    }
}

/* Shared formulas: one parse, printed at another cell, is the
 * translation (shift relative parts, keep $ parts). */
static void test_relative(void)
{
    xc_formula *f = parse_at("=A1+$B$1+B$2+SUM(C1:C3)", 9, 0, 0, NULL);
    char *t;
    CHECK(f != NULL);
    if (!f)
        return;
    t = print_at(f, 11, 2); /* C12 */
    CHECK_STR(t, "C3+$B$1+D$2+SUM(E3:E5)");
    free(t);
    t = print_at(f, 9, 0);
    CHECK_STR(t, "A1+$B$1+B$2+SUM(C1:C3)");
    free(t);
    /* relative parts are stored as offsets, $ parts as indexes */
    xc_formula_release(f);

    /* relative parts are offsets from the origin, $ parts indexes */
    f = parse_at("=B1:$C3+$A$1", 4, 3, 0, NULL); /* at D5 */
    CHECK(f != NULL);
    if (f) {
        const xc_refnode *r = &f->root->u.op.a->u.ref, *r2;
        CHECK(r->kind == XR_AREA && r->sheet == -1);
        CHECK(r->a.row == -4 && r->a.col == -2 && r->a.flags == 0);
        CHECK(r->b.row == -2 && r->b.col == 2 && r->b.flags == XC_RF_COL_ABS);
        r2 = &f->root->u.op.b->u.ref;
        CHECK(r2->kind == XR_CELL && r2->a.row == 0 && r2->a.col == 0 &&
              r2->a.flags == (XC_RF_ROW_ABS | XC_RF_COL_ABS));
    }
    xc_formula_release(f);

    f = parse_at("=A:A+1:1+Sheet1!B2", 1, 1, 0, NULL); /* at B2 */
    t = f ? print_at(f, 2, 3) : NULL;                  /* at D3 */
    CHECK_STR(t, "C:C+2:2+Sheet1!D3");
    free(t);
    xc_formula_release(f);

    /* off the sheet: #REF!, with the sheet prefix when written */
    f = parse_at("=A1+Sheet1!A1+$A1+A$1+A:A+1:1+SUM(A1:B2)", 1, 1, 0, NULL);
    t = f ? print_at(f, 0, 0) : NULL;
    CHECK_STR(t, "#REF!+Sheet1!#REF!+#REF!+#REF!+#REF!+#REF!+SUM(#REF!)");
    free(t);
    t = f ? print_at(f, 1, 1) : NULL;
    CHECK_STR(t, "A1+Sheet1!A1+$A1+A$1+A:A+1:1+SUM(A1:B2)");
    free(t);
    xc_formula_release(f);

    f = parse_at("=A1048576+XFD1", 0, 0, 0, NULL);
    t = f ? print_at(f, 1, 0) : NULL;
    CHECK_STR(t, "#REF!+XFD2");
    free(t);
    t = f ? print_at(f, 0, 1) : NULL;
    CHECK_STR(t, "B1048576+#REF!");
    free(t);
    xc_formula_release(f);
}

static void test_resolve(void)
{
    xc_formula *f = parse_at("=B3:A1+C:D+$2:5+Sheet3!A1", 4, 4, 0, NULL);
    const xc_node *r;
    xc_area a;
    CHECK(f != NULL);
    if (!f)
        return;
    /* ((B3:A1 + C:D) + $2:5) + Sheet3!A1 */
    r = f->root->u.op.a->u.op.a->u.op.a;
    CHECK(r->kind == XN_REF && r->u.ref.kind == XR_AREA);
    CHECK(xc_ref_resolve(&r->u.ref, 2, 4, 4, &a) == XC_ERR_NONE);
    CHECK(a.sheet == 2 && a.sheet2 == 2 && a.r1 == 0 && a.r2 == 2 &&
          a.c1 == 0 && a.c2 == 1);
    CHECK(xc_ref_resolve(&r->u.ref, 2, 5, 6, &a) == XC_ERR_NONE);
    CHECK(a.r1 == 1 && a.r2 == 3 && a.c1 == 2 && a.c2 == 3);
    CHECK(xc_ref_resolve(&r->u.ref, 2, 3, 4, &a) == XC_ERR_REF);
    r = f->root->u.op.a->u.op.a->u.op.b;
    CHECK(r->kind == XN_REF && r->u.ref.kind == XR_COLS);
    CHECK(xc_ref_resolve(&r->u.ref, 0, 4, 4, &a) == XC_ERR_NONE);
    CHECK(a.c1 == 2 && a.c2 == 3 && a.r1 == 0 && a.r2 == XC_MAX_ROWS - 1);
    r = f->root->u.op.a->u.op.b;
    CHECK(r->kind == XN_REF && r->u.ref.kind == XR_ROWS);
    CHECK(xc_ref_resolve(&r->u.ref, 0, 100, 100, &a) == XC_ERR_NONE);
    CHECK(a.r1 == 1 && a.r2 == 100 && a.c1 == 0 && a.c2 == XC_MAX_COLS - 1);
    r = f->root->u.op.b;
    CHECK(r->kind == XN_REF && r->u.ref.sheet == s_sheet3);
    CHECK(xc_ref_resolve(&r->u.ref, 0, 4, 4, &a) == XC_ERR_NONE);
    CHECK(a.sheet == s_sheet3 && a.r1 == 0 && a.c1 == 0);
    xc_formula_release(f);

    f = parse_at("=Sheet3:Sheet1!A1", 0, 0, 0, NULL);
    CHECK(f && f->root->u.ref.sheet == s_sheet3 &&
          f->root->u.ref.sheet2 == s_sheet1);
    if (f) {
        CHECK(xc_ref_resolve(&f->root->u.ref, 0, 0, 0, &a) == XC_ERR_NONE);
        CHECK(a.sheet == s_sheet1 && a.sheet2 == s_sheet3);
    }
    xc_formula_release(f);
}

static void test_modes(void)
{
    xc_parse_error pe;
    xc_formula *f;
    char *t;

    /* files: 15-digit recovery, no leading '=', unknown sheets -> #REF! */
    roundtrip("0.100000000000000000001+0.200000000000000000003", "0.1+0.2",
              XC_FP_FILE, __LINE__);
    roundtrip("0.30000000000000004", "0.30000000000000004", XC_FP_FILE,
              __LINE__);
    roundtrip("SUM(Gone!A1,'Gone 2'!B2:C3,Gone!Name)+1",
              "SUM(#REF!,#REF!,#REF!)+1", XC_FP_FILE, __LINE__);
    /* a name ending in '.' before ':' keeps a space: "Sme2.:A1" would
       read back as the trim-reference operator (found by fuzz_parse) */
    roundtrip("=Sme2. :A1", "Sme2. :A1", 0, __LINE__);
    roundtrip("=Sme2 :A1", "SME2:A1", 0, __LINE__);
    f = parse_at("=1", 0, 0, XC_FP_FILE, &pe);
    CHECK(f == NULL && pe.line == 1 && pe.col == 1);
    xc_formula_release(f);

    /* no book: sheet references are errors, plain ones are fine */
    f = parse_at("=Sheet1!A1", 0, 0, XC_FP_NOBOOK, &pe);
    CHECK(f == NULL && strstr(pe.msg, "without a workbook"));
    f = parse_at("=A1+1", 0, 0, XC_FP_NOBOOK, &pe);
    CHECK(f != NULL);
    if (f) {
        xc_buf b;
        xc_buf_init(&b);
        CHECK(xc_formula_print(&b, f, NULL, 0, 1, 1) == XC_OK);
        CHECK_STR(b.p, "B2+1");
        xc_buf_clear(&b);
    }
    xc_formula_release(f);

    /* refcounting */
    f = parse_at("=1", 0, 0, 0, NULL);
    xc_formula_retain(f);
    xc_formula_release(f);
    t = f ? print_at(f, 0, 0) : NULL;
    CHECK_STR(t, "1");
    free(t);
    xc_formula_release(f);
    xc_formula_release(NULL);
}

static void test_flags(void)
{
    xc_formula *f = parse_at("=1+noSuch.Fn(2)+Other(3)", 0, 0, 0, NULL);
    const xc_fn_def *now = xc_fn_find("NOW", 3), *off = xc_fn_find("OFFSET", 6);
    CHECK(f != NULL);
    if (f) {
        CHECK(xc_formula_flags(f) & XC_F_UNKNOWN_FN);
        CHECK_STR(xc_formula_unknown_fn(f), "noSuch.Fn");
        CHECK(f->root->u.op.a->u.op.b->u.fn.def == NULL);
    }
    xc_formula_release(f);
    f = parse_at("=1+2", 0, 0, 0, NULL);
    /* reads no cell: trivially only cells before its own */
    CHECK(f && xc_formula_flags(f) == XC_F_BEFORE && !xc_formula_unknown_fn(f));
    xc_formula_release(f);
    /* flags follow the registry's definitions, anywhere in the tree */
    f = parse_at("=1+IF(1,ROUND(NOW(),0),OFFSET(A1,1,1))", 0, 0, 0, NULL);
    CHECK(f != NULL);
    if (f && now)
        CHECK(!!(xc_formula_flags(f) & XC_F_VOLATILE) ==
              !!(now->flags & XC_FN_VOLATILE));
    if (f && off)
        CHECK(!!(xc_formula_flags(f) & XC_F_DYNAMIC) ==
              !!(off->flags & XC_FN_DYNREF));
    xc_formula_release(f);
}

/* XC_F_BEFORE: every cell read lies before the formula's own cell (rows
 * above, or left in the same row), wherever it is placed. */
static void test_before(void)
{
    static const struct {
        const char *text;
        uint32_t row, col; /* where it is parsed: C5 is (4, 2) */
        int before;
    } t[] = {
        {"=C4+0.1", 4, 2, 1},     /* the row above */
        {"=B5*2", 4, 2, 1},       /* left in the same row */
        {"=SUM(A1:B5)", 4, 2, 1}, /* last cell B5: left of C5 */
        {"=SUM(A1:C4)", 4, 2, 1}, /* last cell C4: above */
        {"=SUM(B5:A1)", 4, 2, 1}, /* written backwards */
        {"=IF(A5=0,0,ROUND(B5/A5,1))", 4, 2, 1},
        {"=(A1,B2)+A1 B5", 4, 2, 1}, /* union and intersection */
        {"=C5", 4, 2, 0},            /* itself */
        {"=D5", 4, 2, 0},            /* right in the same row */
        {"=A6", 4, 2, 0},            /* the row below */
        {"=SUM(A1:C5)", 4, 2, 0},    /* the area ends at itself */
        {"=SUM(A1:A9)", 4, 2, 0},    /* ends below */
        {"=$A$1", 4, 2, 0},          /* absolute: depends on place */
        {"=A$1", 4, 2, 0},
        {"=$A1", 4, 2, 0},
        {"=Sheet3!A1", 4, 2, 0},              /* another sheet */
        {"=SUM(A:A)", 4, 2, 0},               /* whole column */
        {"=SUM(1:4)", 4, 2, 0},               /* whole rows */
        {"=A1:B2", 4, 2, 1},                  /* one area token */
        {"=SUM(A1:INDEX(A1:A3,2))", 4, 2, 0}, /* ':' between expressions */
        {"=OFFSET(A1,1,1)", 4, 2, 0},         /* builds references */
        {"=A1+RAND()", 4, 2, 0},              /* volatile */
        {"=FORMULATEXT(A1)", 4, 2, 0}, /* reads the formula, made volatile */
        {"=ISFORMULA(A1)", 4, 2, 0},
        {"=LET(x,A1,x+1)", 4, 2, 0}, /* a bound name */
        {"=noSuch(A1)", 4, 2, 0},    /* unknown function */
        {"=A1+#REF!", 4, 2, 1},
        {"=SUMIF(A1:A4,\">0\",B1)", 4, 2, 0}, /* reads B1:B4 */
        {"=SUMIF(A1:A4,\">0\")", 4, 2, 1},
        {"=AVERAGEIF(A1:A4,\">0\",B1)", 4, 2, 0},
        {"=LOOKUP(1,A1:A4,B1)", 4, 2, 0}, /* may read B1:B4 */
        {"=LOOKUP(1,A1:A4)", 4, 2, 1},
        {"=\"x\"&TRUE", 0, 0, 1}, /* reads nothing */
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        xc_formula *f = parse_at(t[i].text, t[i].row, t[i].col, 0, NULL);
        CHECK(f != NULL);
        if (!f)
            continue;
        int got = !!(xc_formula_flags(f) & XC_F_BEFORE);
        if (got != t[i].before)
            fprintf(stderr, "before: %s at (%u,%u): got %d\n", t[i].text,
                    t[i].row, t[i].col, got);
        CHECK(got == t[i].before);
        xc_formula_release(f);
    }
}

static void test_limits(void)
{
    xc_parse_error pe;
    xc_formula *f;
    char *s = malloc(20000);
    size_t n;

    /* 8192 characters of content are fine, 8193 are not */
    strcpy(s, "=11");
    for (n = 3; n < 8193; n += 2)
        memcpy(s + n, "+1", 3);
    CHECK(xc_utf8_count(s + 1, strlen(s + 1)) == 8192);
    f = parse_at(s, 0, 0, 0, &pe);
    CHECK(f != NULL);
    xc_formula_release(f);
    memmove(s + 2, s + 1, strlen(s + 1) + 1);
    s[1] = '1';
    f = parse_at(s, 0, 0, 0, &pe);
    CHECK(f == NULL && pe.col == 8194 && strstr(pe.msg, "8192"));

    /* 64 nested levels are fine, 65 are not */
    for (int depth = 64; depth <= 65; depth++) {
        n = 0;
        s[n++] = '=';
        for (int i = 0; i < depth; i++)
            s[n++] = '(';
        s[n++] = '1';
        for (int i = 0; i < depth; i++)
            s[n++] = ')';
        s[n] = 0;
        f = parse_at(s, 0, 0, 0, &pe);
        CHECK((f != NULL) == (depth == 64));
        if (!f)
            CHECK(pe.col == 66 && strstr(pe.msg, "nested"));
        xc_formula_release(f);
        n = 0;
        s[n++] = '=';
        for (int i = 0; i < depth; i++)
            n += (size_t)sprintf(s + n, "ABS(");
        s[n++] = '1';
        for (int i = 0; i < depth; i++)
            s[n++] = ')';
        s[n] = 0;
        f = parse_at(s, 0, 0, 0, &pe);
        CHECK((f != NULL) == (depth == 64));
        xc_formula_release(f);
    }

    /* 255 arguments are fine, 256 are not */
    for (int args = 255; args <= 256; args++) {
        n = (size_t)sprintf(s, "=SUM(1");
        for (int i = 1; i < args; i++)
            n += (size_t)sprintf(s + n, ",1");
        sprintf(s + n, ")");
        f = parse_at(s, 0, 0, 0, &pe);
        CHECK((f != NULL) == (args == 255));
        if (f)
            CHECK(f->root->u.fn.nargs == 255);
        else
            CHECK(strstr(pe.msg, "255") != NULL);
        xc_formula_release(f);
    }

    /* long unary chains are refused, not a stack overflow */
    n = 0;
    s[n++] = '=';
    for (int i = 0; i < 5000; i++)
        s[n++] = '-';
    s[n++] = '1';
    s[n] = 0;
    f = parse_at(s, 0, 0, 0, &pe);
    CHECK(f == NULL && pe.line == 1);
    free(s);
}

/* Allocation failures anywhere in parsing fail cleanly. */
static void test_oom(void)
{
    const char *in = "=SUM({1,\"a\";2,TRUE},'Sheet 2'!A1:B2,Name,\"x\")";
    int ok = 0;
    for (long k = 0; k < 200 && !ok; k++) {
        xc_parse_error pe;
        xc_formula *f;
        xc_alloc_fail_after(k);
        f = parse_at(in, 0, 0, 0, &pe);
        xc_alloc_fail_after(-1);
        if (f) {
            ok = 1;
            xc_formula_release(f);
        }
    }
    CHECK(ok);
}

int main(void)
{
    make_book();
    test_canonical();
    test_shapes();
    test_errors();
    test_relative();
    test_resolve();
    test_modes();
    test_flags();
    test_before();
    test_limits();
    test_oom();
    xc_book_free(book);
    return xtest_done();
}
