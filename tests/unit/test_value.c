/* test_value.c - values: life cycle and reference counting, Excel's
 * comparison order, case-insensitive text, error literals, canonical
 * text; plus the buffer and UTF-8 helpers of base.h. */
#include <stdlib.h>

#include "exacalc/value.h"
#include "xtest.h"

static char out[1024];

static const char *FMT(const xc_value *v, xc_num_fmt f)
{
    xc_buf b;
    xc_buf_init(&b);
    if (xc_value_format(&b, v, f) != XC_OK)
        snprintf(out, sizeof out, "(error)");
    else
        snprintf(out, sizeof out, "%s", b.p ? b.p : "");
    xc_buf_clear(&b);
    return out;
}

static void text(xc_value *v, const char *s)
{
    CHECK(xc_value_set_text(v, s, strlen(s)) == XC_OK);
}

static void num(xc_value *v, const char *s)
{
    xc_num x;
    xc_num_init(&x);
    CHECK(xc_num_parse(&x, s, strlen(s), 0, NULL) == XC_OK);
    xc_value_take_num(v, &x);
    xc_num_clear(&x);
}

static void test_errors(void)
{
    static const char *names[] = {
        "#NULL!",    "#DIV/0!", "#VALUE!",   "#REF!",
        "#NAME?",    "#NUM!",   "#N/A",      "#GETTING_DATA",
        "#SPILL!",   "#CALC!",  "#FIELD!",   "#BLOCKED!",
        "#CONNECT!", "#BUSY!",  "#UNKNOWN!", "#CIRC!"};
    int e;

    for (e = XC_ERR_NULL; e < XC_ERR_COUNT_; e++) {
        const char *n = xc_error_name((xc_error)e);
        CHECK_STR(n, names[e - 1]);
        CHECK(xc_error_parse(n, strlen(n)) == (xc_error)e);
    }
    CHECK(xc_error_parse("#div/0!", 7) == XC_ERR_DIV0);
    CHECK(xc_error_parse("#n/a", 4) == XC_ERR_NA);
    CHECK(xc_error_parse("#N/A ", 5) == XC_ERR_NONE);
    CHECK(xc_error_parse("#N/", 3) == XC_ERR_NONE);
    CHECK(xc_error_parse("DIV/0!", 6) == XC_ERR_NONE);
    CHECK(xc_error_parse("", 0) == XC_ERR_NONE);
    CHECK(xc_error_parse("#DIV/0!x", 7) == XC_ERR_DIV0); /* n bytes only */
}

static void test_lifecycle(void)
{
    xc_value a = {0}, b = {0}, c = {0};
    xc_array *arr;
    xc_area area = {0, 0, 1, 2, 3, 4};
    xc_num x;

    /* text is shared, not copied */
    text(&a, "得分");
    CHECK(xc_value_copy(&b, &a) == XC_OK);
    CHECK(b.type == XC_TEXT && b.u.str == a.u.str && a.u.str->refs == 2);
    CHECK(a.u.str->len == strlen("得分"));
    xc_value_clear(&a);
    CHECK(a.type == XC_EMPTY);
    CHECK(b.u.str->refs == 1);
    CHECK_STR(b.u.str->s, "得分");
    /* move */
    xc_value_move(&c, &b);
    CHECK(b.type == XC_EMPTY && c.type == XC_TEXT);
    /* copy onto itself */
    CHECK(xc_value_copy(&c, &c) == XC_OK && c.u.str->refs == 1);
    /* big numbers are duplicated */
    num(&a, "123456789012345678901234567890.5");
    CHECK(xc_value_copy(&b, &a) == XC_OK);
    CHECK(xc_value_identical(&a, &b));
    xc_value_clear(&a);
    CHECK_STR(FMT(&b, XC_FMT_EXACT), "123456789012345678901234567890.5");
    /* set_num copies, take_num moves */
    xc_num_init(&x);
    xc_num_set_frac(&x, 1, 3);
    CHECK(xc_value_set_num(&a, &x) == XC_OK);
    CHECK(xc_num_cmp_int(&x, 0) > 0);
    xc_value_take_num(&b, &x);
    CHECK(xc_num_is_zero(&x));
    CHECK(xc_value_identical(&a, &b));
    /* arrays: refcounted, elements freed with the last ref */
    CHECK(xc_value_set_array(&a, 2, 2, &arr) == XC_OK);
    xc_value_set_int(&arr->v[0], 1);
    text(&arr->v[1], "a\"b");
    xc_value_set_bool(&arr->v[2], 1);
    xc_value_set_error(&arr->v[3], XC_ERR_NA);
    CHECK_STR(FMT(&a, XC_FMT_GENERAL), "{1,\"a\"\"b\";TRUE,#N/A}");
    CHECK(xc_value_copy(&b, &a) == XC_OK && arr->refs == 2);
    xc_value_clear(&a);
    CHECK(arr->refs == 1);
    /* copying an element of dst's own array over dst */
    CHECK(xc_value_copy(&b, &b.u.arr->v[1]) == XC_OK);
    CHECK_STR(FMT(&b, XC_FMT_GENERAL), "a\"b");
    CHECK(xc_value_set_array(&a, 0, 3, NULL) == XC_EINVAL);
    /* references */
    CHECK(xc_value_set_area(&a, &area) == XC_OK);
    CHECK(a.type == XC_REF && a.u.ref->n == 1 && a.u.ref->a[0].c2 == 4);
    CHECK(xc_value_copy(&c, &a) == XC_OK && a.u.ref->refs == 2);
    CHECK(xc_value_identical(&a, &c));
    xc_value_clear(&a);
    xc_value_clear(&b);
    xc_value_clear(&c);
    /* limits */
    {
        /* storage is bounded in bytes at 4x Excel's character limit */
        char *big = malloc(XC_TEXT_MAX_BYTES + 1);
        memset(big, 'x', XC_TEXT_MAX_BYTES + 1);
        CHECK(xc_value_set_text(&a, big, XC_TEXT_MAX_BYTES) == XC_OK);
        CHECK(xc_value_set_text(&a, big, XC_TEXT_MAX_BYTES + 1) == XC_ELIMIT);
        CHECK(a.type == XC_TEXT); /* unchanged on failure */
        free(big);
    }
    xc_value_clear(&a);
    /* allocation failure is reported */
    xc_alloc_fail_after(0);
    CHECK(xc_value_set_text(&a, "x", 1) == XC_ENOMEM);
    CHECK(xc_value_set_array(&a, 2, 2, NULL) == XC_ENOMEM);
    xc_alloc_fail_after(1);
    CHECK(xc_value_set_array(&a, 2, 2, NULL) == XC_ENOMEM);
    xc_alloc_fail_after(-1);
    CHECK(a.type == XC_EMPTY);
}

static int cmp(const xc_value *a, const xc_value *b)
{
    int c = xc_value_cmp(a, b);
    /* antisymmetry always */
    CHECK(xc_value_cmp(b, a) == -c);
    return c;
}

static void test_cmp(void)
{
    xc_value e = {0}, n1 = {0}, n2 = {0}, z = {0}, t1 = {0}, t2 = {0};
    xc_value t3 = {0}, tf = {0}, tt = {0}, er = {0}, er2 = {0}, s0 = {0};

    num(&n1, "0.1");
    num(&n2, "1e30");
    num(&z, "0");
    text(&t1, "abc");
    text(&t2, "ABD");
    text(&t3, "ABC");
    text(&s0, "");
    xc_value_set_bool(&tf, 0);
    xc_value_set_bool(&tt, 1);
    xc_value_set_error(&er, XC_ERR_DIV0);
    xc_value_set_error(&er2, XC_ERR_NA);
    /* numbers < text < logicals */
    CHECK(cmp(&n1, &n2) < 0);
    CHECK(cmp(&n2, &t1) < 0);
    CHECK(cmp(&t1, &tf) < 0);
    CHECK(cmp(&tf, &tt) < 0);
    CHECK(cmp(&tt, &er) < 0);
    CHECK(cmp(&er, &er2) < 0);
    /* text case-insensitive */
    CHECK(cmp(&t1, &t3) == 0);
    CHECK(cmp(&t1, &t2) < 0);
    CHECK(!xc_value_identical(&t1, &t3));
    /* empty as 0, "", FALSE */
    CHECK(cmp(&e, &z) == 0);
    CHECK(cmp(&e, &n1) < 0);
    CHECK(cmp(&e, &s0) == 0);
    CHECK(cmp(&e, &t1) < 0);
    CHECK(cmp(&e, &tf) == 0);
    CHECK(cmp(&e, &tt) < 0);
    CHECK(cmp(&e, &e) == 0);
    num(&n1, "-5");
    CHECK(cmp(&e, &n1) > 0);
    /* Unicode folding */
    CHECK(xc_text_cmp_ci("ÄÖÜ", strlen("ÄÖÜ"), "äöü", strlen("äöü")) == 0);
    CHECK(xc_text_cmp_ci("ΑΒΓ", strlen("ΑΒΓ"), "αβγ", strlen("αβγ")) == 0);
    CHECK(xc_text_cmp_ci("ДОМ", strlen("ДОМ"), "дом", strlen("дом")) == 0);
    CHECK(xc_text_cmp_ci("Ёж", strlen("Ёж"), "ёЖ", strlen("ёЖ")) == 0);
    CHECK(xc_text_cmp_ci("ＡＢ", strlen("ＡＢ"), "ａｂ", strlen("ａｂ")) == 0);
    CHECK(xc_text_cmp_ci("a", 1, "ab", 2) < 0);
    CHECK(xc_text_cmp_ci("得分", strlen("得分"), "得分率", strlen("得分率")) <
          0);
    CHECK(xc_text_cmp_ci("Z", 1, "a", 1) > 0);
    xc_value_clear(&n1);
    xc_value_clear(&n2);
    xc_value_clear(&z);
    xc_value_clear(&t1);
    xc_value_clear(&t2);
    xc_value_clear(&t3);
    xc_value_clear(&s0);
}

static void test_format(void)
{
    xc_value v = {0};

    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "");
    xc_value_set_bool(&v, 1);
    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "TRUE");
    xc_value_set_bool(&v, 0);
    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "FALSE");
    xc_value_set_error(&v, XC_ERR_VALUE);
    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "#VALUE!");
    text(&v, "a\"b");
    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "a\"b");
    xc_value_set_int(&v, -42);
    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "-42");
    num(&v, "1.5e20");
    CHECK_STR(FMT(&v, XC_FMT_GENERAL), "1.5E+20");
    CHECK_STR(FMT(&v, XC_FMT_EXACT), "150000000000000000000");
    {
        xc_array *a;
        xc_num x;
        CHECK(xc_value_set_array(&v, 2, 3, &a) == XC_OK);
        xc_num_init(&x);
        xc_num_set_frac(&x, 1, 3);
        xc_value_set_num(&a->v[0], &x);
        xc_num_clear(&x);
        xc_value_set_int(&a->v[1], 2);
        text(&a->v[3], "x");
        CHECK_STR(FMT(&v, XC_FMT_GENERAL), "{0.333333333333333,2,;\"x\",,}");
        CHECK_STR(FMT(&v, XC_FMT_EXACT), "{1/3 = 0.(3),2,;\"x\",,}");
    }
    xc_value_clear(&v);
}

static void test_buf_utf8(void)
{
    xc_buf b;
    uint32_t cp;
    char *s;
    int i;

    xc_buf_init(&b);
    CHECK(xc_buf_printf(&b, "%d cells", 3) == XC_OK);
    CHECK_STR(b.p, "3 cells");
    for (i = 0; i < 1000; i++)
        CHECK(xc_buf_putc(&b, 'x') == XC_OK || 0);
    CHECK(b.len == 1007 && b.p[b.len] == '\0');
    xc_buf_reset(&b);
    CHECK(b.len == 0 && b.p[0] == '\0');
    xc_buf_puts(&b, "abc");
    xc_alloc_fail_after(0);
    CHECK(xc_buf_reserve(&b, 1000000) == XC_ENOMEM);
    xc_alloc_fail_after(-1);
    CHECK_STR(b.p, "abc");
    s = xc_buf_take(&b);
    CHECK_STR(s, "abc");
    CHECK(b.p == NULL && b.len == 0);
    xc_free(s);
    s = xc_buf_take(&b);
    CHECK_STR(s, "");
    xc_free(s);
    xc_buf_clear(&b);

    /* UTF-8 */
    CHECK(xc_utf8_decode("\xe5\xbe\x97", 3, &cp) == 3 && cp == 0x5F97);
    CHECK(xc_utf8_decode("\xf0\x9f\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
    CHECK(xc_utf8_decode("\xc0\x80", 2, &cp) == 1 && cp == 0xFFFD);
    CHECK(xc_utf8_decode("\xed\xa0\x80", 3, &cp) == 1 && cp == 0xFFFD);
    CHECK(xc_utf8_decode("\xe5\xbe", 2, &cp) == 1 && cp == 0xFFFD);
    CHECK(xc_utf8_decode("\xf4\x90\x80\x80", 4, &cp) == 1 && cp == 0xFFFD);
    CHECK(xc_utf8_count("得分a", strlen("得分a")) == 3);
    CHECK(xc_utf8_width("得分a", strlen("得分a")) == 5);
    CHECK(xc_utf8_width("ＡＢ", strlen("ＡＢ")) == 4);
    CHECK(xc_utf8_width("e\xcc\x81", 3) == 1); /* e + combining acute */
    CHECK(xc_utf8_cpwidth(0xAC00) == 2);       /* Hangul */
    CHECK(xc_utf8_cpwidth(0x3002) == 2);       /* 。 */
    CHECK(xc_utf8_cpwidth(0xFF0C) == 2);       /* ， */
    CHECK(xc_utf8_cpwidth('a') == 1);
    CHECK(xc_utf8_cpwidth(0x20000) == 2);
    xc_buf_init(&b);
    CHECK(xc_utf8_encode(&b, 0x5F97) == XC_OK);
    CHECK(xc_utf8_encode(&b, 0x1F600) == XC_OK);
    CHECK(xc_utf8_encode(&b, 0xD800) == XC_OK); /* becomes U+FFFD */
    CHECK_STR(b.p, "得\xf0\x9f\x98\x80\xef\xbf\xbd");
    xc_buf_clear(&b);
    /* status strings and the interrupt flag */
    CHECK_STR(xc_status_str(XC_ENOMEM), "out of memory");
    CHECK(xc_status_str(999) != NULL);
    CHECK(!xc_interrupted());
    xc_interrupt_set(1);
    CHECK(xc_interrupted());
    xc_interrupt_set(0);
    CHECK(!xc_interrupted());
    s = xc_strndup("abcdef", 3);
    CHECK_STR(s, "abc");
    xc_free(s);
}

int main(void)
{
    test_errors();
    test_lifecycle();
    test_cmp();
    test_format();
    test_buf_utf8();
    return xtest_done();
}
