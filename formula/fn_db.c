/* fn_db.c - spreadsheet functions of the "db" category. */
#include "formula_int.h"

const xc_fn_def xc_fns_db[] = {{0}};
const size_t xc_fns_db_n = 0;
