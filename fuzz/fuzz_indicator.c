/* fuzz_indicator.c - libFuzzer target for the indicator notation parser
 * (io/form_value.c) and the indicator scoring built on it.
 *
 * The input is split at the first '\n' into a target text and an actual
 * text (the name of the indicator is the target text's tail after a
 * second '\n', if any).  Both are parsed; the parse must be consistent
 * (a range has lo <= hi, a percentage carries the % or ‰ unit), and
 * scoring the pair on 10 points must give a ratio in [0, 1] and a score
 * in [0, 10] whose policies can all be applied.  A failed check traps,
 * so libFuzzer and the corpus replay report it. */
#include <stdint.h>
#include <string.h>

#include "exacalc/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c)                                                             \
    do {                                                                       \
        if (!(c))                                                              \
            __builtin_trap();                                                  \
    } while (0)

static void check_parse(const xc_indicator *ind)
{
    if (ind->op == XC_OP_RANGE && ind->dir != XC_DIR_UNPARSED)
        REQUIRE(xc_num_cmp(&ind->lo, &ind->hi) <= 0);
    if (ind->flags & XC_IND_PERCENT)
        REQUIRE(!strcmp(ind->unit, "%") || !strcmp(ind->unit, "‰"));
    REQUIRE(memchr(ind->unit, 0, sizeof ind->unit) != NULL);
    if (ind->dir == XC_DIR_POSITIVE || ind->dir == XC_DIR_REVERSE ||
        ind->dir == XC_DIR_ZERO)
        REQUIRE(ind->has_num);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t tn = nl ? (size_t)(nl - s) : size;
    const char *act = nl ? nl + 1 : "";
    size_t an = nl ? size - tn - 1 : 0;
    const char *nl2 = memchr(act, '\n', an);
    char name[256] = "";
    if (nl2) {
        size_t nn = an - (size_t)(nl2 - act) - 1;
        if (nn >= sizeof name)
            nn = sizeof name - 1;
        memcpy(name, nl2 + 1, nn);
        name[nn] = 0;
        an = (size_t)(nl2 - act);
    }
    xc_indicator t, a;
    xc_indicator_init(&t);
    xc_indicator_init(&a);
    if (xc_indicator_parse(&t, s, tn, name) == XC_OK &&
        xc_indicator_parse(&a, act, an, NULL) == XC_OK) {
        check_parse(&t);
        check_parse(&a);
        xc_form_settings st;
        xc_form_settings_default(&st);
        xc_num pts, ratio, score, r;
        xc_num_init(&pts);
        xc_num_init(&ratio);
        xc_num_init(&score);
        xc_num_init(&r);
        xc_num_set_int(&pts, 10);
        for (int lin = 0; lin < 2; lin++) {
            st.reverse_linear = lin;
            unsigned fl = 0;
            int rc = xc_score_indicator(&ratio, &score, &fl, &t, &a, &pts, &st);
            REQUIRE(rc == XC_OK || rc == XC_ENOMEM || rc == XC_ELIMIT);
            if (rc != XC_OK || (fl & XC_SCORE_NOSCORE))
                continue;
            REQUIRE(xc_num_sign(&ratio) >= 0 && xc_num_cmp_int(&ratio, 1) <= 0);
            REQUIRE(xc_num_sign(&score) >= 0 && xc_num_cmp(&score, &pts) <= 0);
            if (fl & XC_SCORE_MET)
                REQUIRE(xc_num_equal(&score, &pts));
            for (int p = 0; p < XC_POL_COUNT; p++) {
                rc = xc_policy_apply(&r, p, &ratio, &score, &pts);
                REQUIRE(rc == XC_OK || rc == XC_ENOMEM || rc == XC_ELIMIT);
                if (rc == XC_OK)
                    REQUIRE(xc_num_sign(&r) >= 0 && xc_num_cmp(&r, &pts) <= 0);
            }
            unsigned m =
                xc_policy_match(&score, &ratio, &score, &pts, XC_POL_ALL);
            REQUIRE(m & 1u); /* "exact" reproduces the exact score */
        }
        xc_num_clear(&pts);
        xc_num_clear(&ratio);
        xc_num_clear(&score);
        xc_num_clear(&r);
    }
    /* a value cell of the same text */
    xc_value v = {0};
    if (xc_value_set_text(&v, s, tn < XC_TEXT_MAX ? tn : XC_TEXT_MAX) ==
        XC_OK) {
        if (xc_indicator_from_value(&t, &v, "0%", name) == XC_OK)
            check_parse(&t);
    }
    xc_value_clear(&v);
    xc_indicator_clear(&t);
    xc_indicator_clear(&a);
    return 0;
}
