/* expr_int.h -- private to rules/expr*.c: the compiled form of an
 * expression, shared by the compiler (expr_compile.c) and the evaluator
 * (expr.c). */
#ifndef ASSAY_RULES_EXPR_INT_H
#define ASSAY_RULES_EXPR_INT_H

#include <stdint.h>
#include <stddef.h>
#include "expr.h"

/* Parser recursion (about two per parenthesis or 'not') and the height
 * of the tree: bound the C stack at compile and evaluation time (the
 * evaluator recurses, in the scan's worker threads).  Chains of and, or
 * and in-lists are built as balanced trees, so long ones stay low. */
enum { EXPR_MAX_DEPTH = 256, EXPR_MAX_HEIGHT = 512 };

enum ty { TY_NULL = 0, TY_BOOL, TY_NUM, TY_STR, TY_TIME };

enum op {
    X_COL, X_LIT, X_AND, X_OR, X_NOT, X_ISNULL, X_NOTNULL,
    X_EQ, X_NE, X_LT, X_LE, X_GT, X_GE,
    X_ADD, X_SUB, X_MUL, X_DIV, X_MOD, X_NEG, X_ABS, X_LEN,
    X_TONUM, X_TOTIME, X_TOBOOL
};

/* A runtime value; t is an enum ty (TY_NULL: null). */
struct xv {
    unsigned char t;
    unsigned char is_int;
    int64_t i;
    double d;
    const char *p;
    size_t n;
};

struct xnode {
    unsigned char op;
    unsigned char ty;           /* static type of the result */
    int a, b;                   /* children (node indexes) */
    int col;                    /* X_COL */
    int ctype;                  /* X_COL: the column's enum vtype */
    struct xv lit;              /* X_LIT */
    size_t off;                 /* where it was written */
    int height;                 /* 1 for a leaf */
};

struct expr {
    struct xnode *node;
    size_t nnode, cap;
    int root;
    char **pool;                /* unescaped string literals */
    size_t npool, poolcap;
    int *cols;                  /* columns named, first mention order */
    size_t ncols, colcap;
};

/* "a number" ... for messages, by enum ty. */
extern const char *const expr_ty_name[];

static inline void xv_bool(struct xv *out, int v)
{
    out->t = TY_BOOL;
    out->i = v != 0;
}

static inline void xv_num(struct xv *out, double d)
{
    out->t = TY_NUM;
    out->is_int = 0;
    out->d = d;
}

static inline void xv_int(struct xv *out, int64_t i)
{
    out->t = TY_NUM;
    out->is_int = 1;
    out->i = i;
    out->d = (double)i;
}

/* Convert a string value v in place for X_TONUM, X_TOTIME or X_TOBOOL;
 * null when it does not parse. */
void expr_convert(int op, struct xv *v);

#endif
