/* kinds.c -- the arguments of each check kind (`range: {min: 18}` ...).
 *
 * One parser per kind, called by parse.c through the table in
 * rule_table.c.  Arguments are typed by the column they apply to (a range
 * on a date column has date bounds; allowed values on an integer column
 * are integers) and turned here into what evaluation needs: inclusive
 * bounds, sorted keys or a hashed string set, a compiled regex or
 * expression.  Also owns struct strset and check_release(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"
#include "hash.h"

/* ---- name index ---- */

int nidx_get(const struct nidx *x, const char *k)
{
    size_t slot;

    if (x->mask == 0)
        return -1;
    for (slot = hash64(k, strlen(k)) & x->mask; x->key[slot] != NULL;
         slot = (slot + 1) & x->mask)
        if (strcmp(x->key[slot], k) == 0)
            return x->val[slot];
    return -1;
}

void nidx_put(struct nidx *x, const char *k, int v)
{
    size_t slot, i;

    if (nidx_get(x, k) >= 0)
        return;
    if (2 * (x->n + 1) > x->mask + 1) {
        struct nidx g = NIDX_INIT;

        g.mask = x->mask ? 2 * x->mask + 1 : 15;
        g.key = xcalloc(g.mask + 1, sizeof(*g.key));
        g.val = xcalloc(g.mask + 1, sizeof(*g.val));
        for (i = 0; x->mask != 0 && i <= x->mask; i++) {
            if (x->key[i] == NULL)
                continue;
            slot = hash64(x->key[i], strlen(x->key[i])) & g.mask;
            while (g.key[slot] != NULL)
                slot = (slot + 1) & g.mask;
            g.key[slot] = x->key[i];
            g.val[slot] = x->val[i];
        }
        g.n = x->n;
        nidx_release(x);
        *x = g;
    }
    for (slot = hash64(k, strlen(k)) & x->mask; x->key[slot] != NULL;
         slot = (slot + 1) & x->mask)
        ;
    x->key[slot] = k;
    x->val[slot] = v;
    x->n++;
}

void nidx_release(struct nidx *x)
{
    free(x->key);
    free(x->val);
    memset(x, 0, sizeof(*x));
}

/* ---- string sets (allowed on string columns) ---- */

/* Up to STRSET_LINEAR values are compared one by one (length first):
 * cheaper than hashing for the usual handful of categories. */
enum { STRSET_LINEAR = 8 };

struct strset {
    size_t n;
    uint64_t *hash;
    uint32_t *idx;              /* 1-based index into vals; 0: empty */
    size_t mask;
    char *const *vals;          /* borrowed from the check */
    uint32_t *len;
};

struct strset *strset_new(char *const *vals, size_t n)
{
    struct strset *s = xcalloc(1, sizeof(*s));
    size_t size = 8, i;

    while (size < 2 * n)
        size *= 2;
    s->mask = size - 1;
    s->hash = xcalloc(size, sizeof(*s->hash));
    s->idx = xcalloc(size, sizeof(*s->idx));
    s->len = xcalloc(n + 1, sizeof(*s->len));
    s->vals = vals;
    s->n = (size_t)-1;                  /* hashed while building */
    for (i = 0; i < n; i++) {
        size_t len = strlen(vals[i]);
        uint64_t h = hash64(vals[i], len);
        size_t slot = h & s->mask;

        s->len[i] = (uint32_t)len;
        if (strset_has(s, vals[i], len))
            continue;
        while (s->idx[slot] != 0)
            slot = (slot + 1) & s->mask;
        s->hash[slot] = h;
        s->idx[slot] = (uint32_t)i + 1;
    }
    s->n = n;
    return s;
}

int strset_has(const struct strset *s, const char *p, size_t n)
{
    uint64_t h;
    size_t slot, i;

    if (s->n <= STRSET_LINEAR) {
        for (i = 0; i < s->n; i++)
            if (s->len[i] == n && memcmp(s->vals[i], p, n) == 0)
                return 1;
        return 0;
    }
    h = hash64(p, n);
    slot = h & s->mask;

    while (s->idx[slot] != 0) {
        uint32_t k = s->idx[slot] - 1;

        if (s->hash[slot] == h && s->len[k] == n &&
            memcmp(s->vals[k], p, n) == 0)
            return 1;
        slot = (slot + 1) & s->mask;
    }
    return 0;
}

void strset_free(struct strset *s)
{
    if (s == NULL)
        return;
    free(s->hash);
    free(s->idx);
    free(s->len);
    free(s);
}

int64_t value_key(int type, const struct value *v)
{
    double d;
    int64_t k;

    if (type != VT_NUMBER)
        return v->i;
    d = v->d == 0 ? 0.0 : v->d;         /* -0 equals 0 */
    memcpy(&k, &d, sizeof(k));
    return k;
}

static int key_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

void check_release(struct check *c)
{
    size_t i;

    free(c->id);
    free(c->text);
    free(c->name);
    free(c->lo.text);
    free(c->hi.text);
    for (i = 0; i < c->nvals; i++)
        free(c->vals[i]);
    free(c->vals);
    strset_free(c->set);
    free(c->keys);
    rx_free(c->rx);
    expr_free(c->expr);
    for (i = 0; i < c->ncols; i++)
        free(c->cols[i]);
    free(c->cols);
    free(c->cols_line);
    free(c->cols_col);
}

/* ---- helpers ---- */

static const struct rcol *column_of(struct rparse *rp, const struct check *c)
{
    return c->col >= 0 ? &rp->r->col[c->col] : NULL;
}

/* Position in the file of byte off of scalar n's text. */
static void scalar_pos(const struct ynode *n, size_t off, unsigned *line,
                       unsigned *col)
{
    *line = n->line;
    *col = n->col;
    if (!n->verbatim)
        return;
    *col += (n->plain ? 0 : 1) + (unsigned)utf8_chars(n->str, MIN(off,
                                                                  n->len));
}

int kind_parse_none(struct rparse *rp, struct check *c,
                    const struct ynode *arg)
{
    return rp_no_args(rp, arg, c->kind->name);
}

/* ---- not_null ---- */

int kind_parse_not_null(struct rparse *rp, struct check *c,
                        const struct ynode *arg)
{
    static const char *const keys[] = { "max_missing" };
    const struct ynode *v;

    if (arg == NULL || arg->kind != YN_MAP)
        return rp_no_args(rp, arg, "not_null");
    if (rp_keys(rp, arg, "not_null", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(arg, "max_missing");
    if (v == NULL)
        return 0;
    if (c->tol.kind != TOL_NONE)
        return rp_fail(rp, v, "give max_missing or max_failures/mostly, "
                       "not both");
    return rp_count_or_percent(rp, v, &c->tol);
}

/* ---- range ---- */

/* A bound's literal for column type t into b (b->i exact for integer,
 * date and timestamp, b->d for numbers). */
static int range_bound(struct rparse *rp, const struct ynode *v, int t,
                       struct bound *b)
{
    if (t == VT_DATE || t == VT_TIMESTAMP) {
        int ok;

        if (v->kind != YN_SCALAR)
            return rp_fail(rp, v, "expected a %s, not %s", vtype_name(t),
                           ynode_what(v));
        ok = t == VT_DATE ? parse_date(v->str, v->len, &b->i) ||
                            parse_timestamp(v->str, v->len, &b->i)
                          : parse_timestamp(v->str, v->len, &b->i) ||
                            parse_date(v->str, v->len, &b->i);
        if (!ok)
            return rp_fail(rp, v, "expected a %s like '%s', not '%s'",
                           vtype_name(t), t == VT_DATE ? "2020-01-31" :
                           "2020-01-31T12:00:00Z", v->str);
        b->is_int = 1;
        b->d = (double)b->i;
    } else {
        if (rp_number(rp, v, &b->d) < 0)
            return -1;
        b->is_int = parse_int64(v->str, v->len, &b->i);
    }
    b->set = 1;
    b->text = xstrndup(v->str, v->len);
    return 0;
}

/* min_exclusive / max_exclusive: true/false modifies min/max; a value is
 * itself an exclusive bound (as JSON Schema's exclusiveMinimum). */
static int range_side(struct rparse *rp, const struct ynode *arg,
                      const char *incl, const char *excl, int t,
                      struct bound *b)
{
    const struct ynode *vi = ymap_get(arg, incl), *ve = ymap_get(arg, excl);

    if (vi != NULL && range_bound(rp, vi, t, b) < 0)
        return -1;
    if (ve == NULL)
        return 0;
    if (ve->kind == YN_SCALAR && ve->plain &&
        (strcmp(ve->str, "true") == 0 || strcmp(ve->str, "false") == 0)) {
        if (vi == NULL)
            return rp_fail(rp, ve, "%s: %s needs a %s: bound", excl,
                           ve->str, incl);
        b->excl = ve->str[0] == 't';
        return 0;
    }
    if (vi != NULL)
        return rp_fail(rp, ve, "give %s or %s, not both", incl, excl);
    if (range_bound(rp, ve, t, b) < 0)
        return -1;
    b->excl = 1;
    return 0;
}

/* Inclusive integer bounds: x > 2.5 is x >= 3, x < 2 is x <= 1. */
static int64_t int_bound(const struct bound *b, int upper)
{
    double d;

    if (!b->set)
        return upper ? INT64_MAX : INT64_MIN;
    if (b->is_int) {
        if (!b->excl)
            return b->i;
        if (upper)
            return b->i == INT64_MIN ? INT64_MIN : b->i - 1;
        return b->i == INT64_MAX ? INT64_MAX : b->i + 1;
    }
    d = upper ? floor(b->d) : ceil(b->d);
    if (b->excl && d == b->d)
        d += upper ? -1 : 1;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

int kind_parse_range(struct rparse *rp, struct check *c,
                     const struct ynode *arg)
{
    static const char *const keys[] = {
        "min", "max", "min_exclusive", "max_exclusive"
    };
    const struct rcol *col = column_of(rp, c);
    int t = col->type;

    if (t != VT_INTEGER && t != VT_NUMBER && t != VT_DATE &&
        t != VT_TIMESTAMP)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "range needs a column of type integer, number, "
                          "date or timestamp; '%s' is %s (use length or "
                          "allowed)", col->name, t < 0 ? "untyped" :
                          vtype_name(t));
    if (arg == NULL || arg->kind != YN_MAP)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "range needs bounds like {min: 0, max: 120}");
    if (rp_keys(rp, arg, "range", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    if (range_side(rp, arg, "min", "min_exclusive", t, &c->lo) < 0 ||
        range_side(rp, arg, "max", "max_exclusive", t, &c->hi) < 0)
        return -1;
    if (!c->lo.set && !c->hi.set)
        return rp_fail(rp, arg, "range needs min, max or both");
    if (c->lo.set && c->hi.set && c->lo.d > c->hi.d)
        return rp_fail(rp, arg, "range min %s is above max %s", c->lo.text,
                       c->hi.text);
    if (t == VT_NUMBER) {
        c->dlo = !c->lo.set ? -INFINITY :
                 c->lo.excl ? nextafter(c->lo.d, INFINITY) : c->lo.d;
        c->dhi = !c->hi.set ? INFINITY :
                 c->hi.excl ? nextafter(c->hi.d, -INFINITY) : c->hi.d;
    } else {
        /* c->lo.i / c->hi.i become the inclusive bounds used per value;
         * lo.d / hi.d keep the values as written. */
        int64_t lo = int_bound(&c->lo, 0), hi = int_bound(&c->hi, 1);

        c->lo.i = lo;
        c->hi.i = hi;
    }
    return 0;
}

/* ---- allowed ---- */

int kind_parse_allowed(struct rparse *rp, struct check *c,
                       const struct ynode *arg)
{
    const struct rcol *col = column_of(rp, c);
    int t = col->type;
    size_t i, k = 0;

    if (arg == NULL || arg->kind != YN_SEQ)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "allowed needs a list of values like [a, b]");
    if (arg->n == 0)
        return rp_fail(rp, arg, "allowed needs at least one value");
    if (rp_strings(rp, arg, &c->vals, &c->nvals) < 0)
        return -1;
    if (t < 0 || t == VT_STRING) {
        c->set = strset_new(c->vals, c->nvals);
        return 0;
    }
    c->keys = xcalloc(c->nvals, sizeof(*c->keys));
    for (i = 0; i < c->nvals; i++) {
        struct value v;

        if (!parse_as((enum vtype)t, c->vals[i], strlen(c->vals[i]), &v))
            return rp_fail(rp, arg->kid[i], "'%s' is not a valid %s (column "
                           "'%s' has type %s)", c->vals[i], vtype_name(t),
                           col->name, vtype_name(t));
        c->keys[i] = value_key(t, &v);
    }
    qsort(c->keys, c->nvals, sizeof(*c->keys), key_cmp);
    for (i = 0; i < c->nvals; i++)
        if (k == 0 || c->keys[k - 1] != c->keys[i])
            c->keys[k++] = c->keys[i];
    c->nkeys = k;
    return 0;
}

/* ---- pattern ---- */

int kind_parse_pattern(struct rparse *rp, struct check *c,
                       const struct ynode *arg)
{
    char msg[256];
    size_t off = 0;
    unsigned line, col;

    if (arg == NULL || arg->kind != YN_SCALAR)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "pattern needs a regular expression like "
                          "'^[0-9]{5}$'");
    if (rp_string(rp, arg, &c->text) < 0)
        return -1;
    c->rx = rx_compile(arg->str, arg->len, 0, msg, sizeof(msg), &off);
    if (c->rx == NULL) {
        scalar_pos(arg, off, &line, &col);
        return rp_fail_st(rp, ASSAY_EREGEX, line, col, "bad regular "
                          "expression '%s': %s (at offset %zu)", arg->str,
                          msg, off);
    }
    return 0;
}

/* ---- length ---- */

static int min_max_counts(struct rparse *rp, struct check *c,
                          const struct ynode *arg, const char *what)
{
    static const char *const keys[] = { "min", "max" };
    const struct ynode *v;
    uint64_t n;

    if (arg == NULL || arg->kind != YN_MAP)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "%s needs bounds like {min: 1, max: 10}", what);
    if (rp_keys(rp, arg, what, keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(arg, "min");
    if (v != NULL) {
        if (rp_count(rp, v, &n) < 0)
            return -1;
        c->lo.set = 1;
        c->lo.i = (int64_t)n;
        c->lo.d = (double)n;
        c->lo.is_int = 1;
    }
    v = ymap_get(arg, "max");
    if (v != NULL) {
        if (rp_count(rp, v, &n) < 0)
            return -1;
        c->hi.set = 1;
        c->hi.i = (int64_t)n;
        c->hi.d = (double)n;
        c->hi.is_int = 1;
    }
    if (!c->lo.set && !c->hi.set)
        return rp_fail(rp, arg, "%s needs min, max or both", what);
    if (c->lo.set && c->hi.set && c->lo.i > c->hi.i)
        return rp_fail(rp, arg, "%s min %lld is above max %lld", what,
                       (long long)c->lo.i, (long long)c->hi.i);
    if (!c->lo.set)
        c->lo.i = 0;
    if (!c->hi.set)
        c->hi.i = INT64_MAX;
    return 0;
}

int kind_parse_length(struct rparse *rp, struct check *c,
                      const struct ynode *arg)
{
    return min_max_counts(rp, c, arg, "length");
}

int kind_parse_row_count(struct rparse *rp, struct check *c,
                         const struct ynode *arg)
{
    return min_max_counts(rp, c, arg, "row_count");
}

/* ---- unique {columns: [...]} (dataset level) ---- */

int kind_parse_unique_cols(struct rparse *rp, struct check *c,
                           const struct ynode *arg)
{
    static const char *const keys[] = { "columns" };
    const struct ynode *v;
    size_t i, j;

    if (arg == NULL || arg->kind != YN_MAP)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "dataset-level unique needs {columns: [a, b]}");
    if (rp_keys(rp, arg, "unique", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(arg, "columns");
    if (v == NULL)
        return rp_fail(rp, arg, "unique needs columns: [a, b]");
    if (rp_strings(rp, v, &c->cols, &c->ncols) < 0)
        return -1;
    if (c->ncols == 0)
        return rp_fail(rp, v, "unique needs at least one column");
    c->cols_line = xcalloc(c->ncols, sizeof(*c->cols_line));
    c->cols_col = xcalloc(c->ncols, sizeof(*c->cols_col));
    for (i = 0; i < c->ncols; i++) {
        c->cols_line[i] = v->kid[i]->line;
        c->cols_col[i] = v->kid[i]->col;
        for (j = 0; j < i; j++)
            if (strcmp(c->cols[i], c->cols[j]) == 0)
                return rp_fail(rp, v->kid[i], "column '%s' is listed twice",
                               c->cols[i]);
    }
    return 0;
}

/* ---- duplicate_rows {max: N} ---- */

int kind_parse_duplicate_rows(struct rparse *rp, struct check *c,
                              const struct ynode *arg)
{
    static const char *const keys[] = { "max" };
    const struct ynode *v;

    if (arg == NULL || arg->kind != YN_MAP)
        return rp_no_args(rp, arg, "duplicate_rows");
    if (rp_keys(rp, arg, "duplicate_rows", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(arg, "max");
    if (v == NULL)
        return 0;
    if (c->tol.kind != TOL_NONE)
        return rp_fail(rp, v, "give max or max_failures/mostly, not both");
    return rp_count_or_percent(rp, v, &c->tol);
}

/* ---- expression {name, expr} ---- */

int kind_parse_expression(struct rparse *rp, struct check *c,
                          const struct ynode *arg)
{
    static const char *const keys[] = { "name", "expr" };
    const struct ynode *v;
    struct rules *r = rp->r;
    const char **names = NULL;
    int *types = NULL;
    struct expr_error e;
    size_t i;
    unsigned line, col;
    int rc = -1;

    if (arg == NULL || arg->kind != YN_MAP)
        return rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos,
                          "expression needs {name: ..., expr: \"a < b\"}");
    if (rp_keys(rp, arg, "expression", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(arg, "name");
    if (v != NULL) {
        if (rp_string(rp, v, &c->name) < 0)
            return -1;
        if (c->name[0] == '\0')
            return rp_fail(rp, v, "an expression name must not be empty");
    }
    v = ymap_get(arg, "expr");
    if (v == NULL)
        return rp_fail(rp, arg, "expression needs expr: (a condition such "
                       "as \"end >= start\")");
    if (rp_string(rp, v, &c->text) < 0)
        return -1;
    names = xcalloc(r->ncol + 1, sizeof(*names));
    types = xcalloc(r->ncol + 1, sizeof(*types));
    for (i = 0; i < r->ncol; i++) {
        names[i] = r->col[i].name;
        types[i] = r->col[i].type;
    }
    c->expr = expr_compile(v->str, v->len, names, types, r->ncol, &e);
    if (c->expr == NULL) {
        scalar_pos(v, e.off, &line, &col);
        rp_fail_st(rp, ASSAY_ERULES, line, col, "%s", e.msg);
        goto out;
    }
    rc = 0;
out:
    free(names);
    free(types);
    return rc;
}
