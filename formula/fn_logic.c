/* fn_logic.c - spreadsheet functions of the "logic" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_logic[] = {{0}};
const size_t xc_fns_logic_n = 0;
