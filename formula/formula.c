/* formula.c - the xc_formula object: parsing entry point, reference
 * counting, flags, freeing syntax trees, and resolving a reference node
 * at a position into an area.
 */
#include <string.h>
#include "formula_int.h"

/* Parse text into a new formula (refs = 1).  The tree keeps relative
 * references as offsets from (o->row, o->col). */
int xc_formula_parse(xc_formula **out, const char *text, size_t n,
                     const xc_parse_opts *o, xc_parse_error *err)
{
    xc_formula *f;
    int st;

    *out = NULL;
    if (err) {
        err->line = err->col = 0;
        err->msg[0] = 0;
    }
    if (!o || (!text && n)) {
        if (err)
            strcpy(err->msg, "invalid arguments");
        return XC_EINVAL;
    }
    f = xc_calloc(1, sizeof *f);
    if (!f) {
        if (err)
            strcpy(err->msg, "out of memory");
        return XC_ENOMEM;
    }
    f->refs = 1;
    st = xc_parse_tree(f, text ? text : "", n, o, err);
    if (st != XC_OK) {
        xc_free(f);
        return st;
    }
    *out = f;
    return XC_OK;
}

void xc_formula_retain(xc_formula *f)
{
    if (f)
        f->refs++;
}

void xc_formula_release(xc_formula *f)
{
    if (!f || --f->refs > 0)
        return;
    xc_node_free(f->root);
    xc_free(f);
}

unsigned xc_formula_flags(const xc_formula *f)
{
    return f ? f->flags : 0;
}

const char *xc_formula_unknown_fn(const xc_formula *f)
{
    return f ? f->unknown_fn : NULL;
}

/* Free a node and everything below it.  NULL is a no-op. */
void xc_node_free(xc_node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case XN_NUM:
        xc_num_clear(&n->u.num);
        break;
    case XN_STR:
        xc_str_unref(n->u.str);
        break;
    case XN_ARRAY: {
        xc_value v = {0};
        v.type = XC_ARRAY;
        v.u.arr = n->u.arr;
        if (n->u.arr)
            xc_value_clear(&v); /* drops the node's reference */
        break;
    }
    case XN_NAME:
        xc_free(n->u.name.text);
        break;
    case XN_FUNC:
        for (int i = 0; i < n->u.fn.nargs; i++)
            xc_node_free(n->u.fn.args[i]);
        xc_free(n->u.fn.args);
        xc_free(n->u.fn.name);
        break;
    case XN_UNOP:
    case XN_BINOP:
    case XN_PAREN:
        xc_node_free(n->u.op.a);
        xc_node_free(n->u.op.b);
        break;
    default:
        break;
    }
    xc_free(n);
}

/* One coordinate at the origin: absolute as is, relative shifted.
 * Returns -1 when it falls off [0, max). */
static int64_t coord(int32_t v, int abs, uint32_t origin, uint32_t max)
{
    int64_t x = abs ? (int64_t)v : (int64_t)origin + v;
    return (x < 0 || x >= (int64_t)max) ? -1 : x;
}

/* Resolve a reference node at (sheet,row,col) into an ordered area. */
xc_error xc_ref_resolve(const xc_refnode *r, int sheet, uint32_t row,
                        uint32_t col, xc_area *a)
{
    int64_t r1 = 0, r2 = XC_MAX_ROWS - 1, c1 = 0, c2 = XC_MAX_COLS - 1, t;
    const xc_refpt *pa = &r->a, *pb = r->kind == XR_CELL ? &r->a : &r->b;

    if (r->kind != XR_COLS) {
        r1 = coord(pa->row, pa->flags & XC_RF_ROW_ABS, row, XC_MAX_ROWS);
        r2 = coord(pb->row, pb->flags & XC_RF_ROW_ABS, row, XC_MAX_ROWS);
    }
    if (r->kind != XR_ROWS) {
        c1 = coord(pa->col, pa->flags & XC_RF_COL_ABS, col, XC_MAX_COLS);
        c2 = coord(pb->col, pb->flags & XC_RF_COL_ABS, col, XC_MAX_COLS);
    }
    if (r1 < 0 || r2 < 0 || c1 < 0 || c2 < 0)
        return XC_ERR_REF;
    if (r1 > r2)
        t = r1, r1 = r2, r2 = t;
    if (c1 > c2)
        t = c1, c1 = c2, c2 = t;
    a->sheet = r->sheet < 0 ? sheet : r->sheet;
    a->sheet2 = r->sheet < 0 ? sheet : r->sheet2;
    if (a->sheet2 < a->sheet) {
        int32_t s = a->sheet;
        a->sheet = a->sheet2;
        a->sheet2 = s;
    }
    a->r1 = (uint32_t)r1;
    a->r2 = (uint32_t)r2;
    a->c1 = (uint32_t)c1;
    a->c2 = (uint32_t)c2;
    return XC_ERR_NONE;
}
