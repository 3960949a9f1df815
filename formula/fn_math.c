/* fn_math.c - spreadsheet functions of the "math" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_math[] = {{0}};
const size_t xc_fns_math_n = 0;
