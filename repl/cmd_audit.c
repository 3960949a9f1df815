/* cmd_audit.c - `exacalc audit FILE|DIR...`: import every form of each
 * workbook, run the rule catalogue (docs/FORMS.md section 3), and report
 * findings as text or JSON.  Many files are audited in parallel
 * (--jobs N) into one report in the order given; a progress line goes
 * to stderr when the run takes longer than a second. */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "exacalc/form.h"

typedef struct job {
    char *path;
    xc_buf out; /* the report for this file */
    int errors; /* error-level findings */
    int bad;    /* the file could not be read */
} job;

typedef struct pool {
    job *jobs;
    size_t n, next, done;
    int json;
    xc_form_settings st;
    const char *annotate; /* -o path (single file only) */
    pthread_mutex_t mu;
} pool;

static int is_workbook(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot &&
           (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xlsm") == 0 ||
            strcasecmp(dot, ".csv") == 0) &&
           name[0] != '~' && name[0] != '.';
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expand a folder into its workbooks (sorted, not recursive). */
static int add_path(job **jobs, size_t *n, size_t *cap, const char *p)
{
    struct stat sb;
    char **names = NULL;
    size_t nn = 0, cn = 0;
    if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(p);
        struct dirent *e;
        if (!d) {
            cli_err("audit: %s: cannot read the folder", p);
            return -1;
        }
        while ((e = readdir(d)) != NULL) {
            if (!is_workbook(e->d_name))
                continue;
            if (nn == cn) {
                cn = cn ? cn * 2 : 64;
                char **q = realloc(names, cn * sizeof *q);
                if (!q)
                    break;
                names = q;
            }
            size_t len = strlen(p) + strlen(e->d_name) + 2;
            names[nn] = malloc(len);
            if (names[nn])
                snprintf(names[nn++], len, "%s/%s", p, e->d_name);
        }
        closedir(d);
        qsort(names, nn, sizeof *names, by_str);
    } else {
        names = malloc(sizeof *names);
        if (!names)
            return -1;
        names[nn++] = strdup(p);
    }
    for (size_t i = 0; i < nn; i++) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            job *q = realloc(*jobs, *cap * sizeof *q);
            if (!q)
                return -1;
            *jobs = q;
        }
        memset(&(*jobs)[*n], 0, sizeof **jobs);
        (*jobs)[*n].path = names[i];
        xc_buf_init(&(*jobs)[(*n)++].out);
    }
    free(names);
    return 0;
}

/* Audit one file into j->out.  Messages about bad input go into the
 * report as well as the status, so parallel output stays ordered. */
static void audit_one(pool *pl, job *j)
{
    xc_book *b = NULL;
    xc_audit *a = NULL;
    xc_buf err;
    int st;
    xc_buf_init(&err);
    size_t n = strlen(j->path);
    if (n >= 4 && strcasecmp(j->path + n - 4, ".csv") == 0)
        st = xc_csv_load(j->path, &b, &err);
    else
        st = xc_xlsx_load(j->path, NULL, &b, &err);
    if (st != XC_OK) {
        xc_buf_printf(&j->out, "exacalc: %s\n",
                      err.len ? err.p : xc_status_str(st));
        j->bad = 1;
        goto done;
    }
    xc_book_set_engine(b, xc_formula_engine(), NULL);
    st = xc_audit_book(b, &pl->st, &a);
    if (st != XC_OK) {
        xc_buf_printf(&j->out, "exacalc: %s: %s\n", j->path, xc_status_str(st));
        j->bad = 1;
        goto done;
    }
    if (pl->json)
        st = xc_audit_json(&j->out, a, j->path, &pl->st);
    else
        st = xc_audit_text(&j->out, a, j->path, &pl->st);
    if (st != XC_OK) {
        j->bad = 1;
        goto done;
    }
    j->errors = (int)xc_audit_errors(a);
    if (pl->annotate) {
        xc_buf_reset(&err);
        size_t unnoted = 0;
        st = xc_audit_annotate_ex(b, a, &pl->st, &unnoted);
        if (st == XC_OK && unnoted)
            cli_err("audit: %s: %zu finding cell(s) without a note (a sheet "
                    "with comments of its own, or not an xlsx workbook)",
                    pl->annotate, unnoted);
        if (st == XC_OK)
            st = xc_xlsx_save(b, pl->annotate, &err);
        if (st != XC_OK) {
            xc_buf_printf(&j->out, "exacalc: %s\n",
                          err.len ? err.p : xc_status_str(st));
            j->bad = 1;
        }
    }
done:
    xc_audit_free(a);
    xc_book_free(b);
    xc_buf_clear(&err);
}

static void *worker(void *arg)
{
    pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        size_t i = pl->next < pl->n ? pl->next++ : pl->n;
        pthread_mutex_unlock(&pl->mu);
        if (i >= pl->n)
            break;
        audit_one(pl, &pl->jobs[i]);
        pthread_mutex_lock(&pl->mu);
        pl->done++;
        pthread_mutex_unlock(&pl->mu);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const char audit_usage[] =
    "usage: exacalc audit [options] FILE|DIR...\n"
    "  --json               one JSON object per file\n"
    "  --lang zh|en         language of messages (default zh)\n"
    "  -o OUT.xlsx          annotated copy: the workbook with findings\n"
    "                       highlighted and commented, plus review sheets\n"
    "  --jobs N             files audited in parallel (default: CPUs)\n"
    "  --reverse template|linear   reverse-indicator rule (default "
    "template)\n"
    "  --no-cap             do not cap the execution rate at 100%\n"
    "  --grades A,B,C       thresholds of 优,良,中 (default 90,80,60)\n";

int cmd_audit(int argc, char **argv)
{
    pool pl;
    size_t cap = 0;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    memset(&pl, 0, sizeof pl);
    xc_form_settings_default(&pl.st);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            pl.json = 1;
        } else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
            const char *l = argv[++i];
            if (strcmp(l, "en") == 0)
                pl.st.lang = XC_LANG_EN;
            else if (strcmp(l, "zh") == 0)
                pl.st.lang = XC_LANG_ZH;
            else {
                cli_err("audit: --lang takes zh or en, not '%s'", l);
                return EXIT_BAD;
            }
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            pl.annotate = argv[++i];
        } else if (strcmp(a, "--jobs") == 0 && i + 1 < argc) {
            jobs = atol(argv[++i]);
            if (jobs < 1 || jobs > 256) {
                cli_err("audit: --jobs takes 1..256");
                return EXIT_BAD;
            }
        } else if (strcmp(a, "--reverse") == 0 && i + 1 < argc) {
            const char *r = argv[++i];
            if (strcmp(r, "linear") == 0)
                pl.st.reverse_linear = 1;
            else if (strcmp(r, "template") == 0)
                pl.st.reverse_linear = 0;
            else {
                cli_err("audit: --reverse takes template or linear");
                return EXIT_BAD;
            }
        } else if (strcmp(a, "--no-cap") == 0) {
            pl.st.cap_rate = 0;
        } else if (strcmp(a, "--grades") == 0 && i + 1 < argc) {
            int g1, g2, g3;
            if (sscanf(argv[++i], "%d,%d,%d", &g1, &g2, &g3) != 3 ||
                !(g1 > g2 && g2 > g3 && g3 >= 0 && g1 <= 100)) {
                cli_err("audit: --grades takes three falling numbers, e.g. "
                        "90,80,60");
                return EXIT_BAD;
            }
            pl.st.grade_excellent = g1;
            pl.st.grade_good = g2;
            pl.st.grade_pass = g3;
        } else if (a[0] == '-' && a[1]) {
            cli_err("audit: unknown option '%s'", a);
            fputs(audit_usage, stderr);
            return EXIT_BAD;
        } else if (add_path(&pl.jobs, &pl.n, &cap, a) != 0) {
            return EXIT_BAD;
        }
    }
    if (!pl.n) {
        cli_err("audit: no workbook given");
        fputs(audit_usage, stderr);
        return EXIT_BAD;
    }
    if (pl.annotate && pl.n != 1) {
        cli_err("audit: -o needs exactly one input workbook");
        return EXIT_BAD;
    }
    /* One-time initialisation before threads start (registry, locale). */
    (void)xc_fn_count();
    {
        xc_num x;
        xc_num_init(&x);
        xc_num_parse(&x, "0.56000000000000005", 19, XC_PARSE_RECOVER15, NULL);
        xc_num_clear(&x);
    }
    pthread_mutex_init(&pl.mu, NULL);
    size_t nthreads = (size_t)jobs < pl.n ? (size_t)jobs : pl.n;
    pthread_t *th = calloc(nthreads, sizeof *th);
    size_t started = 0;
    double t0 = now_s();
    if (th)
        for (; started < nthreads; started++)
            if (pthread_create(&th[started], NULL, worker, &pl) != 0)
                break;
    if (!started)
        worker(&pl); /* no threads: do it here */
    int progress = 0;
    while (started) {
        pthread_mutex_lock(&pl.mu);
        size_t done = pl.done;
        pthread_mutex_unlock(&pl.mu);
        if (done >= pl.n)
            break;
        if (now_s() - t0 > 1.0 && isatty(STDERR_FILENO)) {
            fprintf(stderr, "\raudit: %zu/%zu files", done, pl.n);
            progress = 1;
        } else if (now_s() - t0 > 1.0 && !progress) {
            fprintf(stderr, "audit: %zu files...\n", pl.n);
            progress = 2;
        }
        usleep(100000);
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (progress == 1)
        fprintf(stderr, "\raudit: %zu/%zu files\n", pl.n, pl.n);
    free(th);
    pthread_mutex_destroy(&pl.mu);

    int rc = EXIT_CLEAN;
    size_t files_err = 0, total_err = 0;
    for (size_t i = 0; i < pl.n; i++) {
        job *j = &pl.jobs[i];
        if (j->bad) {
            fputs(j->out.p ? j->out.p : "", stderr);
            rc = EXIT_BAD;
        } else {
            fputs(j->out.p ? j->out.p : "", stdout);
            if (pl.json && j->out.len && j->out.p[j->out.len - 1] != '\n')
                fputc('\n', stdout);
            if (j->errors) {
                files_err++;
                total_err += (size_t)j->errors;
            }
        }
        xc_buf_clear(&j->out);
        free(j->path);
    }
    free(pl.jobs);
    if (rc == EXIT_CLEAN && files_err)
        rc = EXIT_FINDINGS;
    if (!pl.json && pl.n > 1)
        printf("%zu files audited, %zu with errors (%zu error findings)\n",
               pl.n, files_err, total_err);
    return rc;
}
