/* fn_text.c - spreadsheet functions of the "text" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_text[] = {{0}};
const size_t xc_fns_text_n = 0;
