/* cmd_audit.c - `exacalc audit`: placeholder until the form library
 * (io/form*.c, io/audit.c) lands; it reports that it cannot audit yet. */
#include "cli.h"

int cmd_audit(int argc, char **argv)
{
    cli_err("audit: not available in this build");
    return EXIT_BAD;
}
