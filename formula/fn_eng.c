/* fn_eng.c - spreadsheet functions of the "eng" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_eng[] = {{0}};
const size_t xc_fns_eng_n = 0;
