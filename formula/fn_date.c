/* fn_date.c - spreadsheet functions of the "date" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_date[] = {{0}};
const size_t xc_fns_date_n = 0;
