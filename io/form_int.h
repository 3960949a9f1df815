/* form_int.h - helpers shared by the form files (form_value.c,
 * form_score.c, form_import.c, audit.c): text normalisation and
 * matching on normalised UTF-8. */
#ifndef XC_FORM_INT_H
#define XC_FORM_INT_H

#include <string.h>
#include "exacalc/form.h"

/* Normalise s[0..n) into out (reset first): drop white space (ASCII,
 * U+3000, NBSP, zero-width), full-width ASCII forms to ASCII, ≧≦ to
 * ≥≤, 〜 to ~, dashes (— – − ―) to '-'.  So "得 分", "执行\n率",
 * "（50分）" and "(50分)" compare equal after it. */
int xc_fnorm(xc_buf *out, const char *s, size_t n);

/* Does s contain w / start with w / end with w (byte strings)? */
static inline int fcontains(const char *s, const char *w)
{
    return strstr(s, w) != NULL;
}
static inline int fstarts(const char *s, const char *w)
{
    return strncmp(s, w, strlen(w)) == 0;
}
static inline int fends(const char *s, const char *w)
{
    size_t a = strlen(s), b = strlen(w);
    return a >= b && memcmp(s + a - b, w, b) == 0;
}

/* Is the normalised text only dashes/slashes ("—", "-", "/")?  Such
 * cells mean "not applicable" and count as blank. */
int xc_fdash(const char *s);

/* Qualitative tier of normalised text. */
xc_ind_tier xc_ftier(const char *s);

/* Money unit scale relative to 元 (元 1, 万元 10^4, 亿元 10^8); 0 if
 * the unit is not money. */
int64_t xc_fmoney_scale(const char *unit);

/* A1 text of a cell ("H12"). */
void xc_fa1(char *out, size_t cap, uint32_t row, uint32_t col);

#endif
