/* fn_stat.c - spreadsheet functions of the "stat" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_stat[] = {{0}};
const size_t xc_fns_stat_n = 0;
