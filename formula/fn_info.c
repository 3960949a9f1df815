/* fn_info.c - spreadsheet functions of the "info" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_info[] = {{0}};
const size_t xc_fns_info_n = 0;
