/* registry.c - the function registry: every category's table merged
 * into one name-sorted index, lookup by name, and argument-spec parsing.
 * The tables themselves live in fn_<category>.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "formula_int.h"

const xc_num xc_num_zero = {1, {0}};

static const struct {
    const xc_fn_def *t;
    const size_t *n;
} tables[] = {
    {xc_fns_math, &xc_fns_math_n},     {xc_fns_stat, &xc_fns_stat_n},
    {xc_fns_text, &xc_fns_text_n},     {xc_fns_logic, &xc_fns_logic_n},
    {xc_fns_lookup, &xc_fns_lookup_n}, {xc_fns_date, &xc_fns_date_n},
    {xc_fns_info, &xc_fns_info_n},     {xc_fns_fin, &xc_fns_fin_n},
    {xc_fns_eng, &xc_fns_eng_n},       {xc_fns_db, &xc_fns_db_n},
    {xc_fns_lambda, &xc_fns_lambda_n},
};

static const xc_fn_def **index_;
static size_t count_;
static int built_; /* 1 built, -1 failed */

static int by_name(const void *a, const void *b)
{
    const xc_fn_def *x = *(const xc_fn_def *const *)a;
    const xc_fn_def *y = *(const xc_fn_def *const *)b;
    return strcmp(x->name, y->name);
}

/* Built once on first use.  The tables are constant, so a failed
 * allocation simply leaves the registry empty and is retried. */
static void build(void)
{
    size_t total = 0, k = 0;
    if (built_ == 1)
        return;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        total += *tables[i].n;
    index_ = xc_malloc((total ? total : 1) * sizeof *index_);
    if (!index_)
        return;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        for (size_t j = 0; j < *tables[i].n; j++)
            index_[k++] = &tables[i].t[j];
    qsort(index_, total, sizeof *index_, by_name);
    count_ = total;
    built_ = 1;
}

size_t xc_fn_count(void)
{
    build();
    return count_;
}

const xc_fn_def *xc_fn_at(size_t i)
{
    build();
    return i < count_ ? index_[i] : NULL;
}

static int has_prefix_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (toupper((unsigned char)s[i]) != toupper((unsigned char)p[i]))
            return 0;
    return 1;
}

const xc_fn_def *xc_fn_find(const char *name, size_t n)
{
    char key[64];
    static const char *prefixes[] = {"_xlfn.", "_xlws.", "_xludf."};
    build();
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (has_prefix_ci(name, n, prefixes[i])) {
            name += strlen(prefixes[i]);
            n -= strlen(prefixes[i]);
        }
    if (n == 0 || n >= sizeof key)
        return NULL;
    for (size_t i = 0; i < n; i++)
        key[i] = (char)toupper((unsigned char)name[i]);
    key[n] = 0;
    size_t lo = 0, hi = count_;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(index_[mid]->name, key);
        if (c == 0)
            return index_[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int xc_fn_arity(const char *spec, int *min, int *max)
{
    int letters = 0, req = -1, star = 0;
    for (const char *p = spec; *p; p++) {
        if (*p == '|') {
            if (req >= 0)
                return -1;
            req = letters;
        } else if (*p == '*') {
            if (p[1] || letters == 0)
                return -1;
            star = 1;
        } else if (strchr("nsbvera A", *p) && *p != ' ') {
            letters++;
        } else {
            return -1;
        }
    }
    *min = req >= 0 ? req : letters;
    *max = star ? XC_FORMULA_MAX_ARGS : letters;
    return 0;
}

char xc_fn_argkind(const char *spec, int i)
{
    char last = 0;
    int k = 0;
    for (const char *p = spec; *p; p++) {
        if (*p == '|')
            continue;
        if (*p == '*')
            return last;
        if (k == i)
            return *p;
        last = *p;
        k++;
    }
    return 0;
}
