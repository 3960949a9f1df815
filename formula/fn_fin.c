/* fn_fin.c - spreadsheet functions of the "fin" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_fin[] = {{0}};
const size_t xc_fns_fin_n = 0;
