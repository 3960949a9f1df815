/* main.c - the exacalc program: subcommand dispatch, `eval`,
 * `functions` and `help`. */
#include <locale.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"

static const char usage[] =
    "usage: exacalc COMMAND [ARGS]\n"
    "\n"
    "  eval [--exact|--excel|--digits N] '=FORMULA'\n"
    "                             evaluate a formula exactly\n"
    "  show FILE [RANGE]          print sheets (or 'Sheet!A1:D9') as tables\n"
    "  recalc FILE -o OUT         recompute every formula, write OUT\n"
    "  verify [--json] FILE       recompute and compare with the cached "
    "values\n"
    "  convert IN OUT [--guard]   xlsx <-> csv (--guard: quote formula-like\n"
    "                             text in CSV output)\n"
    "  audit [--json] [--lang en] [-o OUT.xlsx] FILE|DIR...\n"
    "                             check budget-performance forms\n"
    "  repl [FILE] [-c 'CMD; CMD']  interactive session (also: exacalc "
    "FILE)\n"
    "  functions [CATEGORY]       list functions\n"
    "  help [NAME]                this text, or one function's help\n"
    "\n"
    "Exit codes: 0 clean, 1 differences or findings, 2 bad input.\n";

int cmd_eval(int argc, char **argv)
{
    cli_fmt f = {0};
    const char *text = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--exact") == 0) {
            f.exact = 1;
        } else if (strcmp(argv[i], "--excel") == 0) {
            f.excel = 1;
        } else if (strcmp(argv[i], "--digits") == 0 && i + 1 < argc) {
            f.digits = atoi(argv[++i]);
            if (f.digits < 1 || f.digits > 1000) {
                cli_err("eval: --digits takes 1..1000");
                return EXIT_BAD;
            }
        } else if (!text) {
            text = argv[i];
        } else {
            cli_err("eval: one formula expected; got also '%s'", argv[i]);
            return EXIT_BAD;
        }
    }
    if (!text) {
        cli_err("eval: no formula given (e.g. exacalc eval '=0.1+0.2')");
        return EXIT_BAD;
    }
    xc_book *b = xc_book_new();
    int sheet, rc = EXIT_BAD;
    xc_formula *fo = NULL;
    xc_value v = {0}, ve = {0};
    xc_buf out;
    xc_parse_error pe;
    xc_buf_init(&out);
    if (!b || xc_book_add_sheet(b, "Sheet1", 6, &sheet) != XC_OK) {
        cli_err("eval: out of memory");
        goto done;
    }
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    xc_parse_opts o = {b, sheet, 0, 0, 0};
    int st = xc_formula_parse(&fo, text, strlen(text), &o, &pe);
    if (st != XC_OK) {
        if (st == XC_EPARSE)
            cli_err("eval: %d:%d: %s", pe.line, pe.col, pe.msg);
        else
            cli_err("eval: %s", xc_status_str(st));
        goto done;
    }
    st = xc_formula_eval(b, sheet, 0, 0, fo, 0, &v);
    if (st != XC_OK) {
        cli_err("eval: %s", xc_status_str(st));
        goto done;
    }
    if (cli_value_text(&out, &v, &f) != XC_OK) {
        cli_err("eval: out of memory");
        goto done;
    }
    printf("%s\n", out.p);
    if (f.excel) {
        st = xc_formula_eval(b, sheet, 0, 0, fo, XC_EV_EXCEL, &ve);
        xc_buf_reset(&out);
        if (st == XC_OK && cli_value_text(&out, &ve, NULL) == XC_OK)
            printf("Excel: %s%s\n", out.p,
                   xc_value_identical(&v, &ve) ? "" : "  (differs)");
    }
    rc = EXIT_CLEAN;
done:
    xc_value_clear(&v);
    xc_value_clear(&ve);
    xc_buf_clear(&out);
    xc_formula_release(fo);
    xc_book_free(b);
    return rc;
}

int cmd_functions(int argc, char **argv)
{
    const char *cat = argc > 1 ? argv[1] : NULL;
    size_t n = xc_fn_count(), shown = 0;
    for (size_t i = 0; i < n; i++) {
        const xc_fn_def *d = xc_fn_at(i);
        if (cat && strcasecmp(cat, d->category) != 0)
            continue;
        printf("%-20s %-7s %s\n", d->name, d->category, d->help);
        shown++;
    }
    if (cat && !shown) {
        cli_err("functions: no category '%s' (math stat text logic lookup "
                "date info fin eng db)",
                cat);
        return EXIT_BAD;
    }
    return EXIT_CLEAN;
}

int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stdout);
        return EXIT_CLEAN;
    }
    const xc_fn_def *d = xc_fn_find(argv[1], strlen(argv[1]));
    if (!d) {
        cli_err("help: no function '%s'", argv[1]);
        return EXIT_BAD;
    }
    printf("%s\n  %s\n  category: %s\n", d->syntax, d->help, d->category);
    if (d->examples && *d->examples) {
        printf("  examples:\n");
        const char *p = d->examples;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t k = e ? (size_t)(e - p) : strlen(p);
            printf("    %.*s\n", (int)k, p);
            p += k;
            if (*p == '\n')
                p++;
        }
    }
    return EXIT_CLEAN;
}

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"eval", cmd_eval},       {"show", cmd_show},
    {"recalc", cmd_recalc},   {"verify", cmd_verify},
    {"convert", cmd_convert}, {"audit", cmd_audit},
    {"repl", cmd_repl},       {"functions", cmd_functions},
    {"help", cmd_help},
};

int main(int argc, char **argv)
{
    /* Messages and terminal widths need the user's locale for readline;
     * number formatting never depends on it (the library is locale-free). */
    setlocale(LC_CTYPE, "");
    /* Grow the heap 64 MiB at a time: loading a large sheet on two
     * threads otherwise spends much of its time in brk calls, which
     * stop the other thread's page faults (docs/performance.md).
     * Untouched pages cost no memory. */
    mallopt(M_TOP_PAD, 64 << 20);
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_BAD;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, stdout);
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    /* `exacalc FILE` opens the REPL on FILE. */
    if (strchr(argv[1], '.') && argv[1][0] != '-') {
        char *rargv[] = {"repl", argv[1], NULL};
        return cmd_repl(2, rargv);
    }
    cli_err("unknown command '%s'", argv[1]);
    fputs(usage, stderr);
    return EXIT_BAD;
}
