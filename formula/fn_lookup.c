/* fn_lookup.c - spreadsheet functions of the "lookup" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_lookup[] = {{0}};
const size_t xc_fns_lookup_n = 0;
