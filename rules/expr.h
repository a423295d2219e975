/* expr.h -- private to rules/: the expression language of `expression`
 * checks (rules/expr.c).
 *
 * An expression is compiled once against the declared columns into a
 * small typed tree, then evaluated per record over a row of already
 * parsed values (struct colval, filled by the checker).  SQL three-valued
 * logic: a null or unparsable operand makes the result null, and a CHECK
 * passes on null. */
#ifndef ASSAY_RULES_EXPR_H
#define ASSAY_RULES_EXPR_H

#include <stddef.h>
#include <stdint.h>
#include "types.h"

/* One column's value in the current record. */
enum { CV_NULL = 0, CV_BAD, CV_OK };
struct colval {
    const char *p;              /* the field text (borrowed) */
    uint32_t n;
    unsigned char state;        /* CV_NULL, CV_BAD (does not parse), CV_OK */
    struct value v;             /* when CV_OK and typed */
};

struct expr;

struct expr_error {
    size_t off;                 /* byte offset in the text */
    char msg[256];
};

/* Compile text (n bytes) naming columns names[0..ncols) whose declared
 * types are types[] (enum vtype, -1: no type, which an expression may not
 * name).  Column i reads cols[i] at evaluation.  Returns a new expression
 * (caller frees), or NULL with *e filled. */
struct expr *expr_compile(const char *text, size_t n,
                          const char *const *names, const int *types,
                          size_t ncols, struct expr_error *e);
void expr_free(struct expr *x);

/* 1 true, 0 false, -1 null. */
int expr_eval(const struct expr *x, const struct colval *cols);

/* The columns the expression names, in order of first mention
 * (borrowed). */
size_t expr_columns(const struct expr *x, const int **cols);

#endif
