/* cli.h - shared pieces of the exacalc program (repl/): the only layer
 * that prints, exits, or touches readline. */
#ifndef EXACALC_CLI_H
#define EXACALC_CLI_H

#include <stdio.h>
#include "exacalc/xlsx.h"

/* Exit codes for every command. */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_BAD = 2 };

/* Display options shared by eval, show, get and the REPL. */
typedef struct cli_fmt {
    int exact;  /* exact form: fractions and repeating decimals */
    int digits; /* > 0: fixed number of significant digits */
    int excel;  /* show Excel's (double) view beside the exact value */
} cli_fmt;

/* Print a message "exacalc: ..." to stderr. */
void cli_err(const char *fmt, ...) XC_PRINTF(1, 2);

/* Load a workbook by extension (.xlsx/.xlsm/.xltx or .csv); on failure
 * prints the message and returns NULL.  The book gets the engine. */
xc_book *cli_load(const char *path);
/* Save by extension; prints the message on failure. */
int cli_save(xc_book *b, const char *path, int sheet);

/* Text of a value for display (General, or as fmt says). */
int cli_value_text(xc_buf *out, const xc_value *v, const cli_fmt *f);
/* Parse "A1", "$B$3", "表11!A1:I25", "'Sheet 2'!C3" against a book;
 * sheet defaults to *sheet.  Returns 0 on success. */
int cli_parse_range(const xc_book *b, const char *text, int defsheet,
                    xc_area *a);
/* Cell name "A1" for 0-based (row, col). */
void cli_cell_name(char *buf, size_t n, uint32_t row, uint32_t col);

/* Draw a sheet area as an aligned table (CJK characters two columns
 * wide, long text truncated with an ellipsis). */
int cli_show_area(FILE *out, xc_book *b, const xc_area *a, const cli_fmt *f);

/* Subcommands; argv[0] is the subcommand name. */
int cmd_eval(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_recalc(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_functions(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_repl(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
