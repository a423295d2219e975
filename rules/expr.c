/* expr.c -- evaluation of compiled expressions (expr.h), per record.
 *
 * Walks the typed tree that expr_compile.c built, over values the
 * checker already parsed (no parsing here except a string column
 * compared with a number, time or boolean).  SQL three-valued logic: a
 * null or unparsable operand makes a comparison null; false AND null is
 * false, true OR null is true. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "expr_int.h"
#include "util.h"

const char *const expr_ty_name[] = {
    "null", "a boolean", "a number", "a string", "a date/time"
};

static void ev(const struct expr *x, int k, const struct colval *cols,
               struct xv *out);

static void col_value(const struct xnode *nd, const struct colval *cols,
                      struct xv *out)
{
    const struct colval *cv = &cols[nd->col];

    if (cv->state != CV_OK) {
        out->t = TY_NULL;
        return;
    }
    out->t = nd->ty;
    out->is_int = 0;
    switch (nd->ctype) {
    case VT_INTEGER:
        out->is_int = 1;
        out->i = cv->v.i;
        out->d = cv->v.d;
        break;
    case VT_NUMBER:
        out->d = cv->v.d;
        break;
    case VT_BOOLEAN:
    case VT_DATE:
    case VT_TIMESTAMP:
        out->i = cv->v.i;
        break;
    default:
        out->p = cv->p;
        out->n = cv->n;
        break;
    }
}

/* -1, 0, 1; both operands non-null and of the same static type. */
static int compare(const struct xv *a, const struct xv *b)
{
    size_t n;
    int c;

    switch (a->t) {
    case TY_NUM:
        if (a->is_int && b->is_int)
            return (a->i > b->i) - (a->i < b->i);
        return (a->d > b->d) - (a->d < b->d);
    case TY_STR:
        n = MIN(a->n, b->n);
        c = n > 0 ? memcmp(a->p, b->p, n) : 0;
        if (c != 0)
            return c < 0 ? -1 : 1;
        return (a->n > b->n) - (a->n < b->n);
    default:
        return (a->i > b->i) - (a->i < b->i);
    }
}

static void arith(int op, const struct xv *a, const struct xv *b,
                  struct xv *out)
{
    int64_t r;

    if (a->is_int && b->is_int) {
        switch (op) {
        case X_ADD:
            if (!__builtin_add_overflow(a->i, b->i, &r)) {
                xv_int(out, r);
                return;
            }
            break;
        case X_SUB:
            if (!__builtin_sub_overflow(a->i, b->i, &r)) {
                xv_int(out, r);
                return;
            }
            break;
        case X_MUL:
            if (!__builtin_mul_overflow(a->i, b->i, &r)) {
                xv_int(out, r);
                return;
            }
            break;
        case X_MOD:
            if (b->i == 0) {
                out->t = TY_NULL;
                return;
            }
            xv_int(out, b->i == -1 ? 0 : a->i % b->i);
            return;
        default:
            break;
        }
    }
    switch (op) {
    case X_ADD:
        xv_num(out, a->d + b->d);
        break;
    case X_SUB:
        xv_num(out, a->d - b->d);
        break;
    case X_MUL:
        xv_num(out, a->d * b->d);
        break;
    case X_DIV:
        if (b->d == 0) {
            out->t = TY_NULL;
            return;
        }
        xv_num(out, a->d / b->d);
        break;
    default:                    /* X_MOD */
        if (b->d == 0) {
            out->t = TY_NULL;
            return;
        }
        xv_num(out, fmod(a->d, b->d));
        break;
    }
    if (!isfinite(out->d))
        out->t = TY_NULL;       /* overflow: not a value */
}

static void ev(const struct expr *x, int k, const struct colval *cols,
               struct xv *out)
{
    const struct xnode *nd = &x->node[k];
    struct xv a, b;
    int c;

    switch (nd->op) {
    case X_COL:
        col_value(nd, cols, out);
        return;
    case X_LIT:
        *out = nd->lit;
        return;
    case X_AND:
    case X_OR:
        /* false AND x = false, true OR x = true, else null wins. */
        ev(x, nd->a, cols, &a);
        if (a.t != TY_NULL && a.i == (nd->op == X_OR)) {
            xv_bool(out, a.i);
            return;
        }
        ev(x, nd->b, cols, &b);
        if (b.t != TY_NULL && b.i == (nd->op == X_OR)) {
            xv_bool(out, b.i);
            return;
        }
        if (a.t == TY_NULL || b.t == TY_NULL)
            out->t = TY_NULL;
        else
            xv_bool(out, nd->op == X_OR ? 0 : 1);
        return;
    case X_NOT:
        ev(x, nd->a, cols, &a);
        if (a.t == TY_NULL)
            out->t = TY_NULL;
        else
            xv_bool(out, !a.i);
        return;
    case X_ISNULL:
    case X_NOTNULL:
        ev(x, nd->a, cols, &a);
        xv_bool(out, (a.t == TY_NULL) == (nd->op == X_ISNULL));
        return;
    case X_NEG:
    case X_ABS:
        ev(x, nd->a, cols, &a);
        if (a.t == TY_NULL) {
            out->t = TY_NULL;
        } else if (a.is_int && a.i != INT64_MIN) {
            xv_int(out, nd->op == X_NEG || a.i < 0 ? -a.i : a.i);
        } else {
            xv_num(out, nd->op == X_NEG ? -a.d : fabs(a.d));
        }
        return;
    case X_LEN:
        ev(x, nd->a, cols, &a);
        if (a.t == TY_NULL)
            out->t = TY_NULL;
        else
            xv_int(out, (int64_t)utf8_chars(a.p, a.n));
        return;
    case X_TONUM:
    case X_TOTIME:
    case X_TOBOOL:
        ev(x, nd->a, cols, out);
        if (out->t != TY_NULL)
            expr_convert(nd->op, out);
        return;
    default:
        break;
    }
    ev(x, nd->a, cols, &a);
    if (a.t == TY_NULL) {
        out->t = TY_NULL;
        return;
    }
    ev(x, nd->b, cols, &b);
    if (b.t == TY_NULL) {
        out->t = TY_NULL;
        return;
    }
    if (nd->op >= X_ADD) {
        arith(nd->op, &a, &b, out);
        return;
    }
    c = compare(&a, &b);
    switch (nd->op) {
    case X_EQ:
        xv_bool(out, c == 0);
        break;
    case X_NE:
        xv_bool(out, c != 0);
        break;
    case X_LT:
        xv_bool(out, c < 0);
        break;
    case X_LE:
        xv_bool(out, c <= 0);
        break;
    case X_GT:
        xv_bool(out, c > 0);
        break;
    default:
        xv_bool(out, c >= 0);
        break;
    }
}

int expr_eval(const struct expr *x, const struct colval *cols)
{
    struct xv v;

    ev(x, x->root, cols, &v);
    if (v.t == TY_NULL)
        return -1;
    return v.i != 0;
}

size_t expr_columns(const struct expr *x, const int **cols)
{
    *cols = x->cols;
    return x->ncols;
}

void expr_free(struct expr *x)
{
    size_t i;

    if (x == NULL)
        return;
    for (i = 0; i < x->npool; i++)
        free(x->pool[i]);
    free(x->pool);
    free(x->node);
    free(x->cols);
    free(x);
}

void expr_convert(int op, struct xv *v)
{
    struct xv r = { 0 };
    int b;

    switch (op) {
    case X_TONUM:
        if (parse_int64(v->p, v->n, &r.i)) {
            xv_int(&r, r.i);
        } else if (parse_number(v->p, v->n, &r.d)) {
            xv_num(&r, r.d);
        } else {
            r.t = TY_NULL;
        }
        break;
    case X_TOTIME:
        r.t = (parse_date(v->p, v->n, &r.i) ||
               parse_timestamp(v->p, v->n, &r.i)) ? TY_TIME : TY_NULL;
        break;
    default:                    /* X_TOBOOL */
        if (parse_bool(v->p, v->n, &b))
            xv_bool(&r, b);
        else
            r.t = TY_NULL;
        break;
    }
    *v = r;
}
