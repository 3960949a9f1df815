/* formula_int.h - private to formula/: the syntax tree, the evaluation
 * context, and the helpers function implementations use.
 *
 * Files: lexer.c parser.c printer.c (syntax), eval.c (evaluator, the
 * engine, coercion and argument helpers), registry.c (the function
 * table), fn_<category>.c (function implementations), numfmt.c (number
 * format codes: TEXT and display).
 */
#ifndef EXACALC_FORMULA_INT_H
#define EXACALC_FORMULA_INT_H

#include <regex.h>
#include "exacalc/formula.h"

/* ---- Syntax tree ------------------------------------------------- */

typedef enum xc_nkind {
    XN_NUM,     /* u.num */
    XN_STR,     /* u.str */
    XN_BOOL,    /* u.b */
    XN_ERR,     /* u.err: an error literal, or a reference that was
                   already #REF! in the source */
    XN_ARRAY,   /* u.arr: constant array {1,2;3,4}; elements are
                   numbers, text, logicals or errors */
    XN_REF,     /* u.ref: a cell, area, whole column(s) or row(s) */
    XN_NAME,    /* u.name: defined name, resolved at evaluation */
    XN_FUNC,    /* u.fn */
    XN_UNOP,    /* u.op: op is '-', '+', '%' (postfix) ; one arg */
    XN_BINOP,   /* u.op: two args */
    XN_MISSING, /* an omitted argument: ROUND(1,) */
    XN_PAREN    /* u.op with one arg: parentheses kept for printing
                   unions "(A1,B2)" and user grouping */
} xc_nkind;

/* Binary operators (xc_node.u.op.op) */
enum {
    XOP_ADD = 1,
    XOP_SUB,
    XOP_MUL,
    XOP_DIV,
    XOP_POW,
    XOP_CAT,
    XOP_EQ,
    XOP_NE,
    XOP_LT,
    XOP_LE,
    XOP_GT,
    XOP_GE,
    XOP_RANGE, /* ':' between reference expressions */
    XOP_UNION, /* ',' inside parentheses */
    XOP_ISECT, /* ' ' */
    XOP_NEG,
    XOP_PLUS,
    XOP_PERCENT /* unary */
};

/* One coordinate of a reference.  When the ABS flag is clear the value
 * is an offset from the formula's cell; when set it is the 0-based
 * index itself. */
#define XC_RF_ROW_ABS 1u
#define XC_RF_COL_ABS 2u
typedef struct xc_refpt {
    int32_t row, col;
    uint8_t flags;
} xc_refpt;

/* Reference kinds */
enum {
    XR_CELL, /* A1: only a is used */
    XR_AREA, /* A1:B2 (both ends written as cells) */
    XR_COLS, /* A:C - a.col..b.col, rows ignored */
    XR_ROWS  /* 1:3 - a.row..b.row, columns ignored */
};

typedef struct xc_refnode {
    uint8_t kind;   /* XR_* */
    uint8_t quoted; /* the sheet name was quoted in the source */
    int32_t sheet;  /* book sheet index; -1: the formula's own sheet */
    int32_t sheet2; /* last sheet of a 3-D reference, else == sheet */
    xc_refpt a, b;
} xc_refnode;

typedef struct xc_node xc_node;
struct xc_node {
    uint8_t kind; /* xc_nkind */
    uint32_t pos; /* byte offset in the source text (for messages) */
    union {
        xc_num num;
        xc_str *str;
        int b;
        xc_error err;
        xc_array *arr; /* owns one reference */
        xc_refnode ref;
        struct {
            char *text;    /* as written */
            int32_t sheet; /* Sheet1!Name scope, or -1 */
            uint8_t eta;   /* the name of a built-in function passed as a
                              function value (an eta-reduced LAMBDA,
                              _xleta.SUM in files), unless a LET name or
                              defined name of that name is visible */
        } name;
        struct {
            const xc_fn_def *def; /* NULL: unknown function, or a call
                                     of a name bound to a LAMBDA */
            char *name;           /* as written, e.g. "_xlfn.XLOOKUP";
                                     NULL: a call of the value of args[0],
                                     as in LAMBDA(x,x+1)(2), whose own
                                     arguments are args[1..] */
            int nargs;
            xc_node **args;
        } fn;
        struct {
            int op;
            xc_node *a, *b; /* b NULL for unary and XN_PAREN */
        } op;
    } u;
};

struct xc_formula {
    uint32_t refs;
    unsigned flags;         /* XC_F_* */
    const char *unknown_fn; /* points into the tree; NULL if none */
    xc_node *root;
};

XC_API void xc_node_free(xc_node *n);
/* Print one node (a subexpression) placed at (sheet,row,col). */
int xc_node_print(xc_buf *out, const xc_node *n, const xc_book *b, int sheet,
                  uint32_t row, uint32_t col);
/* The same, but text past max bytes is cut at a character boundary and
 * ends in an ellipsis; printing stops there, so the cost is bounded by
 * max, not by the size of the subexpression. */
int xc_node_print_max(xc_buf *out, const xc_node *n, const xc_book *b,
                      int sheet, uint32_t row, uint32_t col, size_t max);
/* Resolve a reference node at (sheet,row,col) into an area; returns 0
 * and fills *a, or returns an error code (XC_ERR_REF) when it falls off
 * the sheet. */
xc_error xc_ref_resolve(const xc_refnode *r, int sheet, uint32_t row,
                        uint32_t col, xc_area *a);
/* Whether call n reads cells its arguments do not name (SUMIF's sum
 * range at the criteria range's size, LOOKUP past a short result
 * vector) or a referenced cell's formula (FORMULATEXT): the precedents
 * walk (eval.c) knows them; XC_F_BEFORE is not given to such calls. */
int xc_call_reads_beyond(const xc_node *n);

/* ---- Lexer (lexer.c) ---------------------------------------------- */

typedef enum xc_tok {
    XT_END,
    XT_NUM,
    XT_STR,
    XT_BOOL,
    XT_ERR,
    XT_REF,
    XT_NAME,
    XT_FUNC,
    XT_OP,
    XT_LPAREN,
    XT_RPAREN,
    XT_LBRACE,
    XT_RBRACE,
    XT_COMMA,
    XT_SEMI,
    XT_SPACE,
    XT_BAD
} xc_tok;

/* One token.  Spans are byte offsets into the text; the lexer never
 * allocates: the parser converts spans (numbers, strings, names). */
typedef struct xc_token {
    xc_tok t;
    uint32_t pos, len; /* the whole token */
    uint8_t space;     /* whitespace preceded it (intersection) */
    int op;            /* XT_OP: XOP_* (binary; '-' '+' as XOP_SUB/ADD) */
    xc_error err;      /* XT_ERR */
    int b;             /* XT_BOOL */
    /* Sheet prefix of XT_REF/XT_NAME/XT_ERR: sheets = 0 none, 1, 2 (3-D);
     * spans of the raw names (quotes excluded, '' not yet undoubled). */
    uint8_t sheets, quoted;
    uint32_t sh1, sh1len, sh2, sh2len;
    uint32_t npos, nlen; /* XT_NAME/XT_FUNC: the name after any prefix */
    uint8_t optional;    /* XT_NAME written [name]: an optional LAMBDA
                            parameter (_xlop.name in files) */
    xc_refnode ref;      /* XT_REF: kind, absolute 0-based coordinates and
                            XC_RF_* flags (sheet fields unset) */
    uint8_t trim;        /* XT_REF written with a trim-reference operator:
                            XC_TRIM_LEADING (A1.:C9), XC_TRIM_TRAILING
                            (A1:.C9) or both (A1.:.C9) */
    const char *msg;     /* XT_BAD: what is wrong */
} xc_token;

#define XC_TRIM_LEADING 1u
#define XC_TRIM_TRAILING 2u

typedef struct xc_lexer {
    const char *s;
    size_t n, p; /* text, length, current offset */
    xc_token tok;
} xc_lexer;

/* Start lexing s[start..n) and read the first token into lx->tok. */
void xc_lex_init(xc_lexer *lx, const char *s, size_t n, size_t start);
void xc_lex_next(xc_lexer *lx);
/* Is s[0..n) usable unquoted as a sheet name in a reference? */
int xc_lex_plain_sheet(const char *s, size_t n);

/* Parser (parser.c): fill f->root, f->flags, f->unknown_fn. */
int xc_parse_tree(xc_formula *f, const char *text, size_t n,
                  const xc_parse_opts *o, xc_parse_error *err);

/* ---- Evaluation ---------------------------------------------------- */

typedef struct xc_eval {
    xc_book *book;
    int sheet; /* the formula's cell */
    uint32_t row, col;
    unsigned flags;    /* XC_EV_* */
    int depth;         /* nesting guard */
    xc_trace_fn trace; /* optional explain hook */
    void *trace_ud;
    int trace_depth;
} xc_eval;

/* Evaluate a node.  The result may be a reference (XC_REF) - callers
 * that need a value use xc_eval_scalar or xc_deref. */
int xc_eval_node(xc_eval *ev, const xc_node *n, xc_value *out);
/* Evaluate and reduce to one scalar (implicit intersection for ranges;
 * top-left element for arrays outside array context). */
int xc_eval_scalar(xc_eval *ev, const xc_node *n, xc_value *out);
/* Reduce a value (possibly a reference or array) to a scalar. */
int xc_deref(xc_eval *ev, const xc_value *in, xc_value *out);

/* A function call as the implementation sees it. */
struct xc_fncall {
    xc_eval *ev;
    const xc_fn_def *def;
    int argc;
    xc_value *argv;        /* evaluated per spec; NULL when LAZY */
    xc_node *const *nodes; /* argument nodes (XN_MISSING allowed) */
};

/* For lazy functions: evaluate argument i (0-based) as the spec letter
 * `kind` would (see xc_fn_def).  A missing argument yields empty. */
int xc_fn_arg(xc_fncall *c, int i, char kind, xc_value *out);
/* LET bindings (eval.c): bind name (an "_xlpm." prefix is ignored) to a
 * copy of v for the evaluation ev until popped; names bound this way are
 * looked up before defined names.  Pop the n most recent bindings. */
int xc_let_push(xc_eval *ev, const char *name, const xc_value *v);
void xc_let_pop(xc_eval *ev, int n);
/* The same for a LAMBDA parameter whose argument was omitted: it reads
 * as empty and ISOMITTED sees it (omitted = 1). */
int xc_let_bind(xc_eval *ev, const char *name, const xc_value *v, int omitted);
/* Is name bound for ev to an omitted LAMBDA argument? */
int xc_let_omitted(const xc_eval *ev, const char *name);
/* Visit the bindings visible to ev, oldest first (a closure captures
 * them); fn returns XC_OK to go on. */
typedef int (*xc_let_fn)(void *ud, const char *name, const xc_value *v,
                         int omitted);
int xc_let_each(const xc_eval *ev, xc_let_fn fn, void *ud);

/* ---- Function values (fn_lambda.c) --------------------------------- */

/* Registry flag (private): the function takes LAMBDA values as
 * arguments (MAP, REDUCE...).  Any other function given one sees
 * #CALC! instead. */
#define XC_FN_FNARGS 0x100u
/* Call the function value fn with the argument nodes args[0..argc),
 * evaluated in ev (references stay references; XN_MISSING is an omitted
 * argument).  An error fn is the result; anything else not a LAMBDA is
 * #VALUE!, and so is a wrong argument count. */
int xc_lambda_call(xc_eval *ev, const xc_value *fn, int argc,
                   xc_node *const *args, xc_value *out);
/* Is this thread's stack nearly used up?  The evaluator then gives
 * #NUM! instead of recursing further (a guard under the LAMBDA depth
 * limit, for smaller thread stacks and sanitizer builds). */
int xc_stack_low(void);
/* The function value of a built-in function passed by name, as in
 * MAP(A1:A3, SUM): called with n arguments it is SUM(a1, ..., an). */
int xc_lambda_builtin(const xc_fn_def *def, xc_value *out);
/* The built-in function an eta name stands for ("SUM", "_xleta.SUM"),
 * or NULL. */
const xc_fn_def *xc_eta_def(const char *name);
/* The same with argument values already evaluated. */
int xc_lambda_apply(xc_eval *ev, const xc_value *fn, int argc,
                    const xc_value *argv, xc_value *out);

/* Argument i of an evaluated call as a number (0 when omitted or not a
 * number), and whether it was given (present and not empty). */
extern const xc_num xc_num_zero;
static inline const xc_num *xc_arg_num(const xc_fncall *c, int i)
{
    if (i < c->argc && c->argv[i].type == XC_NUMBER)
        return &c->argv[i].u.num;
    return &xc_num_zero;
}
static inline int xc_arg_given(const xc_fncall *c, int i)
{
    return i < c->argc && c->argv[i].type != XC_EMPTY;
}

/* Compile an Excel (PCRE-style) pattern as a POSIX extended regex:
 * the shorthands \d \w \s (and \D \W \S) are translated.  Returns 0,
 * or XC_ERR_VALUE for a pattern that cannot be compiled; on 0 the caller
 * regfree()s re.  (fn_text.c: REGEX*, and XMATCH/XLOOKUP mode 3.) */
xc_error xc_regex_compile(regex_t *re, const char *p, size_t n, int icase);

/* Coercion (Excel's rules).  Each returns XC_OK and leaves an error
 * value in *out when the input cannot be coerced (#VALUE!) or is
 * itself an error. */
int xc_to_number(const xc_value *in, xc_value *out); /* text "1.5", "50%",
                                  " 12 ", "1,234", dates -> number */
int xc_to_text(const xc_value *in, xc_value *out);   /* 1.5 -> "1.5" */
int xc_to_bool(const xc_value *in, xc_value *out);
/* Arguments 0..n-1 to numbers in place, a logical being #VALUE! and
 * numeric text read (Analysis ToolPak style); 0 or the error, *st a C
 * failure.  In coerce.c. */
xc_error xc_args_strict(xc_fncall *c, int n, int *st);
/* Parse text the way Excel coerces it to a number (VALUE, arithmetic
 * on text): optional spaces, sign, thousands separators, %, exponent,
 * currency sign, and date/time forms like 2024-02-29 or 2024/2/29 12:00.
 * Returns XC_OK and sets *x, or XC_EPARSE. */
int xc_text_to_num(const char *s, size_t n, int date1904, xc_num *x);

/* Visit every scalar in an argument value: a scalar itself (from_ref
 * = 0), each cell of each area of a reference (from_ref = 1; empty
 * cells are skipped unless with_empty), each array element (from_ref =
 * 2).  The callback returns XC_OK to go on, another status to stop
 * (e.g. a C failure), or XC_ENOTFOUND to stop quietly. */
typedef int (*xc_visit_fn)(void *ud, const xc_value *v, int from_ref);
int xc_visit(xc_eval *ev, const xc_value *arg, int with_empty, xc_visit_fn fn,
             void *ud);

/* Uniform 2-D access to an array, a single-area reference or a scalar
 * (1x1).  xc_grid_get returns a pointer valid until the next call; empty
 * cells give an empty value. */
typedef struct xc_grid {
    xc_eval *ev;
    const xc_value *v;
    xc_area area; /* for references */
    uint32_t rows, cols;
} xc_grid;
int xc_grid_init(xc_grid *g, xc_eval *ev, const xc_value *v); /* XC_EINVAL
                                  for multi-area references */
const xc_value *xc_grid_get(xc_grid *g, uint32_t r, uint32_t c);

/* Numbers from a value for statistics (SUM, AVERAGE, MIN...): Excel's
 * rule - direct arguments are coerced (text "3" counts, bad text is
 * #VALUE!), while text and logicals inside references/arrays are
 * skipped.  Collects into a growable vector.  *err receives the first
 * error met (propagated by the caller). */
typedef struct xc_numvec {
    xc_num *v;
    size_t n, cap;
    unsigned inexact; /* any inexact input */
} xc_numvec;
void xc_numvec_init(xc_numvec *nv);
void xc_numvec_clear(xc_numvec *nv);
int xc_collect_nums(xc_fncall *c, int from_arg, xc_numvec *nv, xc_error *err);

/* Numbers of one argument value (fn_stat.c), for functions that must
 * treat arguments one by one (LARGE's array, SUMPRODUCT...): a scalar
 * argument is coerced (logical -> 0/1, numeric text, else *err =
 * XC_ERR_VALUE; an omitted argument counts as 0), while inside
 * references and arrays only numbers count - or, with amode (AVERAGEA,
 * MAXA...), text counts as 0 and logicals as 0/1.  Errors stop the walk
 * and land in *err.  The vector may already hold numbers (appends);
 * free it with xc_nums_free, not xc_numvec_clear. */
int xc_nums_gather(xc_eval *ev, const xc_value *arg, int amode, xc_numvec *nv,
                   xc_error *err);
int xc_nums_push(xc_numvec *nv, const xc_num *x, unsigned inexact);
void xc_nums_free(xc_numvec *nv);

/* Result helpers */
int xc_result_num(xc_value *out, xc_num *x, unsigned inexact); /* takes x */
void xc_result_error(xc_value *out, xc_error e);

/* Criteria for SUMIF/COUNTIF/... (">=90", "<>", "a*", 5, TRUE) */
typedef struct xc_criteria xc_criteria;
int xc_criteria_new(xc_criteria **out, const xc_value *crit);
int xc_criteria_match(const xc_criteria *cr, const xc_value *v);
void xc_criteria_free(xc_criteria *cr);
/* Does the criterion accept an empty cell ("", "=", "<>5"...)? */
int xc_criteria_matches_empty(const xc_criteria *cr);
/* Wildcard equality (* ? and ~ escapes, case-insensitive) used by the
 * criteria and by MATCH/VLOOKUP/XLOOKUP; xc_wild_has says whether text
 * contains a wildcard or escape character. */
int xc_wild_match(const char *pat, size_t pn, const char *s, size_t sn);
int xc_wild_has(const char *s, size_t n);
/* Conditional scan for the SUMIF/SUMIFS-style functions (criteria.c): visit
 * each position of the criteria ranges (n pairs of range and compiled
 * criterion, all of one shape, else *err = XC_ERR_VALUE) where every
 * criterion holds, calling fn with the value at that position of vals
 * (NULL when vals is NULL; resized to the criteria shape when resize).
 * Only cells that exist are visited when some criterion rejects empty
 * cells; runs of matching empty positions arrive as one call with
 * times > 1, and so may all matches when vals is NULL.  fn returns
 * XC_OK, XC_ENOTFOUND to stop, or a failure.  (xc_ifs_args also uses
 * the criteria-match cache when the ranges are literal references whose
 * values are final.) */
typedef int (*xc_ifs_fn)(void *ud, const xc_value *v, uint64_t times);
int xc_ifs_scan(xc_eval *ev, int n, const xc_value *const *ranges,
                xc_criteria *const *crits, const xc_value *vals, int resize,
                xc_ifs_fn fn, void *ud, xc_error *err);
/* The same over a call's arguments: npairs (range, criterion) pairs
 * from argument `first` (-1: all remaining arguments, which must pair
 * up, else *err = XC_ERR_VALUE). */
int xc_ifs_args(xc_fncall *c, int first, int npairs, const xc_value *vals,
                int resize, xc_ifs_fn fn, void *ud, xc_error *err);
/* Criteria-match cache (ifs_cache.c), kept per book and told of every
 * change of a stored value (xc_book_set_cache).  A key is n criteria
 * ranges of one shape (rows x cols, each a single area of one sheet)
 * with their criterion values, and optionally the cells of the value
 * range (clipped to the sheet; position (i,j) is val->r1+i, val->c1+j).
 * xc_ifs_cache_get finds or builds the entry from the stored values -
 * call it only when they are final (xc_book_settled) - walking the cells
 * of range `driver`, whose criterion must reject empty cells.  hit->found
 * is 0 when the key cannot be cached (the caller scans).  Otherwise
 * hit->bits marks the matching positions (bit i*cols+j; valid until the
 * book changes) and, when hit->sum is set, the numbers of the value
 * range at those positions add up to *sum (nnum of them, inexact if any
 * is), exactly what a scan in order would have summed: no error among
 * them and no partial sum near the number size limit. */
typedef struct xc_ifs_key {
    int n;
    const xc_area *areas;
    const xc_value *const *critv;
    const xc_area *val;
    uint32_t rows, cols;
} xc_ifs_key;
typedef struct xc_ifs_hit {
    int found;
    const uint64_t *bits;
    size_t nwords;
    uint64_t nmatch;
    uint32_t cols;
    const xc_num *sum;
    uint64_t nnum;
    int inexact;
} xc_ifs_hit;
int xc_ifs_cache_get(xc_book *b, const xc_ifs_key *k, int driver,
                     xc_ifs_hit *hit);
/* Entries answered from the cache, and entries (re)built, so far. */
void xc_ifs_cache_stats(const xc_book *b, size_t *hits, size_t *builds);
/* The conditional aggregates SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS:
 * the numbers of vals at the positions xc_ifs_args selects (text,
 * logicals and empty cells skipped, the first error returned), summed,
 * averaged (#DIV/0! when none), or their maximum/minimum (0 when none).
 * In Excel's view each partial sum is rounded to a double, as Excel
 * adds. */
enum { XC_IFAGG_SUM, XC_IFAGG_AVERAGE, XC_IFAGG_MAX, XC_IFAGG_MIN };
int xc_ifs_aggregate(xc_fncall *c, xc_value *out, int mode, int first,
                     int npairs, const xc_value *vals, int resize);
/* Criteria given as arrays (SUM(COUNTIFS(A:A,{"x","y"}))) or, in an
 * array formula, as multi-cell ranges: when some criterion argument
 * (first+1, first+3, ...) is one, call c's implementation once per
 * element into an array result and set *lifted; else *lifted = 0. */
int xc_ifs_lift(xc_fncall *c, int first, xc_value *out, int *lifted);
/* Square root of x >= 0 as a result (fn_math.c): exact when x is the
 * square of a rational, else through MPFR and marked inexact. */
int xc_result_sqrt(xc_value *out, const xc_num *x, unsigned inexact);

/* Number formats (numfmt.c): format a value with an Excel format code
 * ("0.00%", "#,##0.00", "yyyy\"年\"m\"月\"d\"日\"", "[DBNum1]",
 * "General").  Returns XC_EPARSE for an invalid code. */
int xc_numfmt_format(xc_buf *out, const xc_value *v, const char *code,
                     int date1904);
/* The same with text_general set: General as TEXT() shows it (at most
 * 11 characters, like a standard-width cell).  A date code given a
 * number outside the calendar gives XC_ELIMIT (TEXT: #VALUE!). */
int xc_numfmt_format2(xc_buf *out, const xc_value *v, const char *code,
                      int date1904, int text_general);
/* Decimal digits d[0..n) read as a Chinese number (一万二千三百四十五;
 * upper: 壹万贰仟叁佰肆拾伍); short_teen writes 10..19 as 十... */
int xc_numfmt_chinese(xc_buf *out, const char *d, size_t n, int upper,
                      int short_teen);

/* Dates (fn_date.c): Excel serial <-> civil date, honouring the 1900
 * leap-year quirk (serial 60 = 1900-02-29) and the 1904 system. */
int xc_date_to_serial(int y, int m, int d, int date1904, int64_t *serial);
int xc_serial_to_date(int64_t serial, int date1904, int *y, int *m, int *d);
/* YEARFRAC's fraction of a year between serials a and b under day-count
 * basis 0..4 (exact); XC_EINVAL for a bad basis or date.  For the
 * financial functions. */
int xc_date_yearfrac(int64_t a, int64_t b, int basis, int date1904, xc_num *r);

/* ---- Array-size caps --------------------------------------------- */

/* Each builder of arrays caps their size (eval.c, fn_math.c,
 * fn_lookup.c).  A nonzero xc_array_cap lowers every such cap to it:
 * the fuzz targets set it so an execution stays short under the
 * sanitizers, while the cap checks themselves stay in the path.  It is
 * 0 (no change) in normal use. */
extern uint64_t xc_array_cap;
static inline uint64_t xc_array_max(uint64_t cap)
{
    return xc_array_cap && xc_array_cap < cap ? xc_array_cap : cap;
}

/* The same for the calls one outermost LAMBDA call may make
 * (LAMBDA_MAX_CALLS in fn_lambda.c): a nonzero xc_lambda_calls_cap
 * lowers it, for the fuzz targets (a function calling itself twice per
 * level makes its 2^20 calls in about 1 s in a Release build, 30 s
 * under ASan); 0 in normal use. */
extern uint32_t xc_lambda_calls_cap;

/* ---- Registry (registry.c) ---------------------------------------- */

/* Each category file defines its table, sorted by name. */
extern const xc_fn_def xc_fns_math[], xc_fns_stat[], xc_fns_text[],
    xc_fns_logic[], xc_fns_lookup[], xc_fns_date[], xc_fns_info[], xc_fns_fin[],
    xc_fns_eng[], xc_fns_db[], xc_fns_lambda[];
extern const size_t xc_fns_math_n, xc_fns_stat_n, xc_fns_text_n, xc_fns_logic_n,
    xc_fns_lookup_n, xc_fns_date_n, xc_fns_info_n, xc_fns_fin_n, xc_fns_eng_n,
    xc_fns_db_n, xc_fns_lambda_n;
/* Parse an argument spec: min/max argument counts; -1 if malformed. */
int xc_fn_arity(const char *spec, int *min, int *max);
/* The spec letter of argument i (handles '|' and '*'); 0 if none. */
char xc_fn_argkind(const char *spec, int i);

#endif
