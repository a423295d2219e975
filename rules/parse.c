/* parse.c -- the rules document (DESIGN.md "Rules file"), validated
 * strictly.
 *
 * Walks the tree of rules/yaml.c: top-level keys, columns, each check
 * item (its kind found in rules/rule_table.c, its arguments parsed by
 * rules/kinds.c), check ids.  Every error is located at FILE:LINE:COL and
 * says what was expected; misspelt keys, kinds and types get the closest
 * known name.  Owns struct rules; rules_free() releases everything. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "rules_int.h"
#include "json.h"

/* ---- errors and suggestions ---- */

int rp_fail(struct rparse *rp, const struct ynode *at, const char *fmt, ...)
{
    va_list ap;
    char msg[900];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return seterr_at(rp->err, ASSAY_ERULES, rp->name, at->line, at->col,
                     "%s", msg);
}

int rp_fail_st(struct rparse *rp, enum assay_status st, unsigned line,
               unsigned col, const char *fmt, ...)
{
    va_list ap;
    char msg[900];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return seterr_at(rp->err, st, rp->name, line, col, "%s", msg);
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), case-insensitive; words longer than 63 bytes are not
 * compared. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t d[64][64];

    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            int ca = a[i - 1] | 0x20, cb = b[j - 1] | 0x20;
            size_t cost = ca != cb, v;

            v = MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
            v = MIN(v, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && ca == (b[j - 2] | 0x20) &&
                (a[i - 2] | 0x20) == cb)
                v = MIN(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *rules_suggest(const char *word, const char *const *cands,
                          size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1, i, len = strlen(word), limit;

    for (i = 0; i < n; i++) {
        size_t dd = edit_distance(word, cands[i]);
        size_t lc = strlen(cands[i]);

        /* "uniq" for unique, "warning" for warn: a prefix is close. */
        if (MIN(len, lc) >= 3 && strncasecmp(word, cands[i],
                                             MIN(len, lc)) == 0)
            dd = MIN(dd, (size_t)1);

        if (dd < bestd) {
            bestd = dd;
            best = cands[i];
        }
    }
    /* 1 edit for short words, up to a third of the length for long. */
    limit = MAX((size_t)1, MIN((size_t)3, (len + 1) / 3));
    if (best == NULL || bestd > limit || bestd >= len)
        return NULL;
    return best;
}

void rules_did_you_mean(char *out, size_t n, const char *word,
                        const char *const *cands, size_t ncands)
{
    const char *s = rules_suggest(word, cands, ncands);

    if (s != NULL)
        snprintf(out, n, " (did you mean '%s'?)", s);
    else if (n > 0)
        out[0] = '\0';
}

/* "a, b, c" into out. */
static void join_names(char *out, size_t n, const char *const *names,
                       size_t k)
{
    size_t i, used = 0;

    if (n > 0)
        out[0] = '\0';
    for (i = 0; i < k && used + 1 < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "",
                         names[i]);

        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int is_common(const char *k);

int rp_keys(struct rparse *rp, const struct ynode *map, const char *what,
            const char *const *keys, size_t nkeys)
{
    size_t i, j;
    char hint[160], list[400];

    if (map->kind != YN_MAP)
        return rp_fail(rp, map, "%s must be a mapping, not %s", what,
                       ynode_what(map));
    for (i = 0; i + 1 < map->n; i += 2) {
        const struct ynode *k = map->kid[i];

        for (j = 0; j < nkeys; j++)
            if (strcmp(k->str, keys[j]) == 0)
                break;
        if (j < nkeys)
            continue;
        if (is_common(k->str) &&
            check_kind_find(what, CK_COLUMN | CK_DATASET) != NULL)
            return rp_fail(rp, k, "'%s' belongs to the check, not to %s: "
                           "write it on its own line, under the check's "
                           "kind", k->str, what);
        rules_did_you_mean(hint, sizeof(hint), k->str, keys, nkeys);
        if (hint[0] != '\0')
            return rp_fail(rp, k, "unknown key '%s' in %s%s", k->str, what,
                           hint);
        join_names(list, sizeof(list), keys, nkeys);
        return rp_fail(rp, k, "unknown key '%s' in %s (expected %s)",
                       k->str, what, list);
    }
    return 0;
}

/* ---- scalars ---- */

static int need_scalar(struct rparse *rp, const struct ynode *n,
                       const char *want)
{
    if (n->kind != YN_SCALAR)
        return rp_fail(rp, n, "expected %s, not %s", want, ynode_what(n));
    return 0;
}

int rp_string(struct rparse *rp, const struct ynode *n, char **out)
{
    if (need_scalar(rp, n, "a string") < 0)
        return -1;
    if (memchr(n->str, '\0', n->len) != NULL)
        return rp_fail(rp, n, "a NUL character is not allowed here");
    free(*out);
    *out = xstrndup(n->str, n->len);
    return 0;
}

int rp_number(struct rparse *rp, const struct ynode *n, double *out)
{
    if (need_scalar(rp, n, "a number") < 0)
        return -1;
    if (!n->plain)
        return rp_fail(rp, n, "expected a number, not a quoted string "
                       "('%s')", n->str);
    if (!parse_number(n->str, n->len, out))
        return rp_fail(rp, n, "expected a number, not '%s'", n->str);
    return 0;
}

int rp_count(struct rparse *rp, const struct ynode *n, uint64_t *out)
{
    int64_t v;

    if (need_scalar(rp, n, "a count") < 0)
        return -1;
    if (!n->plain || !parse_int64(n->str, n->len, &v) || v < 0)
        return rp_fail(rp, n, "expected a count (an integer >= 0), not "
                       "'%s'", n->str);
    *out = (uint64_t)v;
    return 0;
}

int rp_bool(struct rparse *rp, const struct ynode *n, int *out)
{
    if (need_scalar(rp, n, "true or false") < 0)
        return -1;
    if (n->plain && strcmp(n->str, "true") == 0)
        *out = 1;
    else if (n->plain && strcmp(n->str, "false") == 0)
        *out = 0;
    else
        return rp_fail(rp, n, "expected true or false, not '%s'", n->str);
    return 0;
}

int rp_strings(struct rparse *rp, const struct ynode *n, char ***out,
               size_t *nout)
{
    size_t i;
    char **v;

    if (n->kind != YN_SEQ)
        return rp_fail(rp, n, "expected a list of values like [a, b], not "
                       "%s", ynode_what(n));
    v = xcalloc(n->n + 1, sizeof(*v));
    for (i = 0; i < n->n; i++) {
        if (rp_string(rp, n->kid[i], &v[i]) < 0) {
            while (i > 0)
                free(v[--i]);
            free(v);
            return -1;
        }
    }
    *out = v;
    *nout = n->n;
    return 0;
}

int rp_count_or_percent(struct rparse *rp, const struct ynode *n,
                        struct tolerance *t)
{
    double v;
    int64_t c;

    if (need_scalar(rp, n, "a count or a percentage") < 0)
        return -1;
    if (n->len > 1 && n->str[n->len - 1] == '%') {
        if (!parse_number(n->str, n->len - 1, &v) || v < 0 || v > 100)
            return rp_fail(rp, n, "expected a percentage between 0%% and "
                           "100%%, not '%s'", n->str);
        t->kind = TOL_PERCENT;
        t->v = v;
        return 0;
    }
    if (!n->plain || !parse_int64(n->str, n->len, &c) || c < 0)
        return rp_fail(rp, n, "expected a count (3) or a percentage "
                       "('1%%'), not '%s'", n->str);
    t->kind = TOL_COUNT;
    t->v = (double)c;
    return 0;
}

int rp_no_args(struct rparse *rp, const struct ynode *arg, const char *what)
{
    if (arg == NULL)
        return 0;
    if (arg->kind == YN_MAP && arg->n == 0)
        return 0;
    if (arg->kind == YN_SCALAR && arg->plain &&
        (arg->len == 0 || strcmp(arg->str, "null") == 0 ||
         strcmp(arg->str, "~") == 0))
        return 0;
    if (arg->kind == YN_MAP)
        return rp_fail(rp, arg->kid[0], "unknown key '%s': '%s' takes no "
                       "arguments (write '%s: {}')", arg->kid[0]->str, what,
                       what);
    return rp_fail(rp, arg, "'%s' takes no arguments (write '%s: {}'), not "
                   "%s", what, what, ynode_what(arg));
}

void *rules_own(struct rules *r, void *p)
{
    grow(&r->owned, &r->owned_cap, r->nowned + 1, sizeof(*r->owned));
    r->owned[r->nowned++] = p;
    return p;
}

/* ---- check items ---- */

/* Keys every check item may have besides its kind.  To add one: a row
 * here and its handling in common_keys(). */
static const char *const common[] = {
    "id", "severity", "max_failures", "mostly", "description"
};

static const char *const severities[] = { "info", "warn", "fail" };

static struct check *check_add(struct rules *r)
{
    struct check *c;

    grow(&r->check, &r->check_cap, r->ncheck + 1, sizeof(*r->check));
    c = &r->check[r->ncheck++];
    memset(c, 0, sizeof(*c));
    c->sev = SEV_FAIL;
    c->col = -1;
    return c;
}

static int is_common(const char *k)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(common); i++)
        if (strcmp(k, common[i]) == 0)
            return 1;
    return 0;
}

static int empty_section(const struct ynode *n);

/* Names of the kinds allowed at a level, for suggestions. */
static size_t kind_names(unsigned level, const char **out)
{
    size_t i, n = 0;

    for (i = 0; i < ncheck_kinds; i++)
        if (check_kinds[i].level & level)
            out[n++] = check_kinds[i].name;
    return n;
}

static int unknown_kind(struct rparse *rp, const struct ynode *k,
                        unsigned level, int have_kind)
{
    const char *names[64 + ARRAY_SIZE(common)];
    size_t n = kind_names(level, names), i;
    const struct check_kind *other;
    char hint[160];

    other = check_kind_find(k->str, level == CK_COLUMN ? CK_DATASET
                                                        : CK_COLUMN);
    if (other != NULL && !have_kind)
        return rp_fail(rp, k, level == CK_COLUMN ?
                       "'%s' is a dataset-level check: put it under the "
                       "top-level checks:" :
                       "'%s' is a column check: put it under a column's "
                       "checks:", k->str);
    if (have_kind) {
        rules_did_you_mean(hint, sizeof(hint), k->str, common,
                           ARRAY_SIZE(common));
        return rp_fail(rp, k, "unknown key '%s' in check%s", k->str,
                       hint[0] ? hint : " (expected id, severity, "
                       "max_failures, mostly)");
    }
    for (i = 0; i < ARRAY_SIZE(common); i++)
        names[n + i] = common[i];
    rules_did_you_mean(hint, sizeof(hint), k->str, names,
                       n + ARRAY_SIZE(common));
    if (rules_suggest(k->str, names, n) == NULL &&
        rules_suggest(k->str, common, ARRAY_SIZE(common)) != NULL)
        return rp_fail(rp, k, "unknown key '%s' in check%s", k->str, hint);
    return rp_fail(rp, k, "unknown check kind '%s'%s", k->str, hint);
}

static int parse_severity(struct rparse *rp, const struct ynode *v,
                          enum severity *out)
{
    size_t i;
    char hint[160];

    if (need_scalar(rp, v, "info, warn or fail") < 0)
        return -1;
    for (i = 0; i < ARRAY_SIZE(severities); i++) {
        if (strcmp(v->str, severities[i]) == 0) {
            *out = (enum severity)(SEV_INFO + i);
            return 0;
        }
    }
    rules_did_you_mean(hint, sizeof(hint), v->str, severities,
                       ARRAY_SIZE(severities));
    return rp_fail(rp, v, "unknown severity '%s'%s", v->str, hint[0] ? hint
                   : " (expected info, warn or fail)");
}

static int common_keys(struct rparse *rp, const struct ynode *item,
                       struct check *c)
{
    const struct ynode *v, *mf = ymap_get(item, "max_failures"),
                       *mo = ymap_get(item, "mostly");

    v = ymap_get(item, "id");
    if (v != NULL) {
        if (rp_string(rp, v, &c->id) < 0)
            return -1;
        if (c->id[0] == '\0')
            return rp_fail(rp, v, "an id must not be empty");
        c->explicit_id = 1;
    }
    v = ymap_get(item, "severity");
    if (v != NULL && parse_severity(rp, v, &c->sev) < 0)
        return -1;
    v = ymap_get(item, "description");
    if (v != NULL && need_scalar(rp, v, "a string") < 0)
        return -1;
    if ((mf != NULL || mo != NULL) && !(c->kind->flags & KF_TOLERANCE))
        return rp_fail(rp, mf != NULL ? mf : mo, "'%s' takes no "
                       "max_failures or mostly", c->kind->name);
    if (mf != NULL && mo != NULL)
        return rp_fail(rp, mo, "give max_failures or mostly, not both");
    if (mf != NULL && rp_count_or_percent(rp, mf, &c->tol) < 0)
        return -1;
    if (mo != NULL) {
        if (rp_number(rp, mo, &c->tol.v) < 0)
            return -1;
        if (c->tol.v < 0 || c->tol.v > 1)
            return rp_fail(rp, mo, "mostly is a fraction between 0 and 1, "
                           "not '%s'", mo->str);
        c->tol.kind = TOL_MOSTLY;
    }
    return 0;
}

/* Find the kind of a check item (a map or a bare kind name). */
static int item_kind(struct rparse *rp, const struct ynode *item,
                     unsigned level, const struct ynode **key,
                     const struct ynode **arg)
{
    size_t i;
    const struct check_kind *k;

    *key = NULL;
    *arg = NULL;
    if (item->kind == YN_SCALAR) {
        if (check_kind_find(item->str, level) == NULL)
            return unknown_kind(rp, item, level, 0);
        *key = item;
        return 0;
    }
    if (item->kind != YN_MAP)
        return rp_fail(rp, item, "a check must be a mapping like "
                       "'- range: {min: 0}', not %s", ynode_what(item));
    for (i = 0; i + 1 < item->n; i += 2) {
        const struct ynode *kn = item->kid[i];

        if (is_common(kn->str))
            continue;
        k = check_kind_find(kn->str, level);
        if (k != NULL && *key != NULL)
            return rp_fail(rp, kn, "one kind per check: '%s' and '%s' are "
                           "two checks (start another with '- ')",
                           (*key)->str, kn->str);
        if (k != NULL) {
            *key = kn;
            *arg = item->kid[i + 1];
        }
    }
    for (i = 0; i + 1 < item->n; i += 2) {
        const struct ynode *kn = item->kid[i];

        if (!is_common(kn->str) && kn != *key)
            return unknown_kind(rp, kn, level, *key != NULL);
    }
    if (*key == NULL)
        return rp_fail(rp, item, "check has no kind (such as not_null, "
                       "range, allowed, ...)");
    return 0;
}

/* The implied check (type or field_count) a listed one configures. */
static struct check *find_implied(struct rules *r, int col,
                                  const struct check_kind *kind)
{
    size_t i;

    for (i = 0; i < r->ncheck; i++)
        if (r->check[i].kind == kind && r->check[i].col == col)
            return &r->check[i];
    return NULL;
}

static int parse_check(struct rparse *rp, const struct ynode *item, int col,
                       unsigned level, int *listed_implied)
{
    const struct ynode *key, *arg;
    const struct check_kind *kind;
    struct check *c;

    if (item_kind(rp, item, level, &key, &arg) < 0)
        return -1;
    kind = check_kind_find(key->str, level);
    if (kind->flags & KF_IMPLIED) {
        if (*listed_implied)
            return rp_fail(rp, key, "'%s' is listed twice", kind->name);
        *listed_implied = 1;
        c = find_implied(rp->r, col, kind);
        if (c == NULL)
            return rp_fail(rp, key, "'type' checks come from the column's "
                           "type: (add one, e.g. 'type: integer')");
    } else {
        c = check_add(rp->r);
        c->kind = kind;
        c->col = col;
    }
    c->line = key->line;
    c->pos = key->col;
    if (item->kind == YN_MAP && common_keys(rp, item, c) < 0)
        return -1;
    return kind->parse(rp, c, arg);
}

static int parse_checks(struct rparse *rp, const struct ynode *seq, int col,
                        unsigned level)
{
    size_t i;
    int listed = 0;

    if (empty_section(seq))
        return 0;
    if (seq->kind != YN_SEQ)
        return rp_fail(rp, seq, "checks must be a list ('- not_null: {}' "
                       "...), not %s", ynode_what(seq));
    for (i = 0; i < seq->n; i++)
        if (parse_check(rp, seq->kid[i], col, level, &listed) < 0)
            return -1;
    return 0;
}

/* ---- columns ---- */

static const char *const column_keys[] = {
    "name", "type", "required", "checks", "description"
};

static int parse_type(struct rparse *rp, const struct ynode *v, int *type)
{
    const char *names[VT_COUNT];
    char hint[160];
    size_t i;

    if (need_scalar(rp, v, "a type") < 0)
        return -1;
    *type = vtype_from_name(v->str);
    if (*type >= 0)
        return 0;
    for (i = 0; i < VT_COUNT; i++)
        names[i] = vtype_name((enum vtype)i);
    rules_did_you_mean(hint, sizeof(hint), v->str, names, VT_COUNT);
    return rp_fail(rp, v, "unknown type '%s'%s", v->str, hint[0] ? hint :
                   " (expected integer, number, string, boolean, date or "
                   "timestamp)");
}

static int parse_column(struct rparse *rp, const struct ynode *m)
{
    struct rules *r = rp->r;
    const struct ynode *v;
    struct rcol *col;
    struct check *c;
    size_t i;

    if (rp_keys(rp, m, "a column", column_keys, ARRAY_SIZE(column_keys)) < 0)
        return -1;
    v = ymap_get(m, "name");
    if (v == NULL)
        return rp_fail(rp, m, "a column needs a name: ('- name: age')");
    grow(&r->col, &r->col_cap, r->ncol + 1, sizeof(*r->col));
    col = &r->col[r->ncol];
    memset(col, 0, sizeof(*col));
    col->type = -1;
    col->required = 1;
    if (rp_string(rp, v, &col->name) < 0)
        return -1;
    r->ncol++;
    col->line = v->line;
    col->col = v->col;
    if (col->name[0] == '\0')
        return rp_fail(rp, v, "a column name must not be empty");
    i = (size_t)nidx_get(&r->colidx, col->name);
    if (i != (size_t)-1)
        return rp_fail(rp, v, "column '%s' is declared twice (first at "
                       "%u:%u)", col->name, r->col[i].line, r->col[i].col);
    nidx_put(&r->colidx, col->name, (int)(r->ncol - 1));
    v = ymap_get(m, "type");
    if (v != NULL && parse_type(rp, v, &col->type) < 0)
        return -1;
    v = ymap_get(m, "required");
    if (v != NULL && rp_bool(rp, v, &col->required) < 0)
        return -1;
    if (col->type >= 0) {
        /* The implied type check comes first among the column's. */
        c = check_add(r);
        c->kind = kind_type;
        c->col = (int)(r->ncol - 1);
        v = ymap_get(m, "type");
        c->line = v->line;
        c->pos = v->col;
    }
    v = ymap_get(m, "checks");
    if (v != NULL && parse_checks(rp, v, (int)(r->ncol - 1), CK_COLUMN) < 0)
        return -1;
    return 0;
}

/* `columns:`, `checks:` or `bias:` with nothing after it. */
static int empty_section(const struct ynode *n)
{
    return n->kind == YN_SCALAR && n->plain && n->len == 0;
}

static int parse_columns(struct rparse *rp, const struct ynode *seq)
{
    size_t i;

    if (empty_section(seq))
        return 0;
    if (seq->kind != YN_SEQ)
        return rp_fail(rp, seq, "columns must be a list ('- name: age'), "
                       "not %s", ynode_what(seq));
    for (i = 0; i < seq->n; i++) {
        if (seq->kid[i]->kind != YN_MAP)
            return rp_fail(rp, seq->kid[i], "a column must be a mapping "
                           "('- name: age'), not %s",
                           ynode_what(seq->kid[i]));
        if (parse_column(rp, seq->kid[i]) < 0)
            return -1;
    }
    return 0;
}

/* ---- ids ---- */

/* Explicit ids must be unique; a default id (COLUMN.KIND, KIND, or an
 * expression's name) that repeats gets "#2", "#3". */
static int assign_ids(struct rparse *rp)
{
    struct rules *r = rp->r;
    struct nidx ids = NIDX_INIT;
    size_t i;
    int rc = -1, o;

    for (i = 0; i < r->ncheck; i++) {
        struct check *c = &r->check[i];
        char *base;
        unsigned k;

        if (c->explicit_id) {
            o = nidx_get(&ids, c->id);
            if (o >= 0) {
                rp_fail_st(rp, ASSAY_ERULES, c->line, c->pos, "duplicate "
                           "check id '%s' (also at %u:%u)", c->id,
                           r->check[o].line, r->check[o].pos);
                goto out;
            }
            nidx_put(&ids, c->id, (int)i);
            continue;
        }
        if (c->name != NULL)
            base = xstrdup(c->name);
        else if (c->col >= 0)
            base = xasprintf("%s.%s", r->col[c->col].name, c->kind->name);
        else
            base = xstrdup(c->kind->name);
        c->id = xstrdup(base);
        for (k = 2; nidx_get(&ids, c->id) >= 0; k++) {
            free(c->id);
            c->id = xasprintf("%s#%u", base, k);
        }
        nidx_put(&ids, c->id, (int)i);
        free(base);
    }
    rc = 0;
out:
    nidx_release(&ids);
    return rc;
}

/* ---- the document ---- */

static const char *const top_keys[] = {
    "version", "dataset", "null_values", "columns", "checks", "label",
    "bias", "description"
};

static int parse_version(struct rparse *rp, const struct ynode *v)
{
    if (need_scalar(rp, v, "version 1") < 0)
        return -1;
    if (strcmp(v->str, "1") != 0)
        return rp_fail(rp, v, "unsupported rules version '%s' (expected 1)",
                       v->str);
    return 0;
}

static int parse_doc(struct rparse *rp, const struct ynode *root)
{
    struct rules *r = rp->r;
    const struct ynode *v;
    struct check *fc;

    if (root->kind != YN_MAP)
        return rp_fail(rp, root, "a rules file is a mapping (version:, "
                       "columns:, checks: ...), not %s", ynode_what(root));
    if (rp_keys(rp, root, "the rules file", top_keys,
                ARRAY_SIZE(top_keys)) < 0)
        return -1;
    v = ymap_get(root, "version");
    if (v != NULL && parse_version(rp, v) < 0)
        return -1;
    v = ymap_get(root, "dataset");
    if (v != NULL && rp_string(rp, v, &r->dataset) < 0)
        return -1;
    if (v != NULL && r->dataset[0] == '\0')
        return rp_fail(rp, v, "dataset needs a name (or leave it out)");
    v = ymap_get(root, "description");
    if (v != NULL && need_scalar(rp, v, "a string") < 0)
        return -1;
    v = ymap_get(root, "null_values");
    if (v != NULL && rp_strings(rp, v, &r->null_values, &r->nnull) < 0)
        return -1;
    fc = check_add(r);
    fc->kind = kind_field_count;
    fc->line = 1;
    fc->pos = 1;
    v = ymap_get(root, "columns");
    if (v != NULL && parse_columns(rp, v) < 0)
        return -1;
    v = ymap_get(root, "checks");
    if (v != NULL && parse_checks(rp, v, -1, CK_DATASET) < 0)
        return -1;
    if (rules_parse_bias(rp, ymap_get(root, "label"),
                         ymap_get(root, "bias")) < 0)
        return -1;
    return assign_ids(rp);
}

struct rules *rules_parse(const char *text, size_t n, const char *name,
                          struct assay_err *err)
{
    struct rules *r = xcalloc(1, sizeof(*r));
    struct ynode *root;
    struct rparse rp;

    r->path = xstrdup(name);
    rp.r = r;
    rp.name = r->path;
    rp.err = err;
    root = ydoc_parse(text, n, name, err);
    if (root == NULL || parse_doc(&rp, root) < 0) {
        ynode_free(root);
        rules_free(r);
        return NULL;
    }
    ynode_free(root);
    return r;
}

struct rules *rules_load(const char *path, struct assay_err *err)
{
    FILE *f = NULL;
    char *text = NULL;
    size_t n = 0;
    struct rules *r = NULL;
    struct stat st;

    f = fopen(path, "rb");
    if (f == NULL) {
        seterr(err, ASSAY_EOPEN, "cannot open '%s': %s", path,
               strerror(errno));
        goto out;
    }
    /* A directory opens, then fails to read: bad input, not an I/O
     * error. */
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        seterr(err, ASSAY_EOPEN, "cannot read '%s': %s", path,
               strerror(EISDIR));
        goto out;
    }
    text = xmalloc((size_t)YDOC_MAX_BYTES + 1);
    n = fread(text, 1, (size_t)YDOC_MAX_BYTES + 1, f);
    if (ferror(f)) {
        seterr(err, ASSAY_EIO, "cannot read '%s': %s", path,
               strerror(errno));
        goto out;
    }
    if (n > YDOC_MAX_BYTES) {
        seterr(err, ASSAY_ERULES, "%s: rules file is larger than %d bytes",
               path, YDOC_MAX_BYTES);
        goto out;
    }
    r = rules_parse(text, n, path, err);
out:
    free(text);
    if (f != NULL)
        fclose(f);
    return r;
}

void rules_free(struct rules *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->ncheck; i++)
        check_release(&r->check[i]);
    free(r->check);
    for (i = 0; i < r->ncol; i++)
        free(r->col[i].name);
    free(r->col);
    nidx_release(&r->colidx);
    for (i = 0; i < r->nnull; i++)
        free(r->null_values[i]);
    free(r->null_values);
    for (i = 0; i < r->nowned; i++)
        free(r->owned[i]);
    free(r->owned);
    free(r->bias);
    free(r->dataset);
    free(r->path);
    free(r);
}

const char *rules_path(const struct rules *r)
{
    return r->path;
}

const char *rules_dataset(const struct rules *r)
{
    return r->dataset;
}

const char *const *rules_null_values(const struct rules *r, size_t *n)
{
    *n = r->nnull;
    return (const char *const *)r->null_values;
}

int rules_column_type(const struct rules *r, const char *column)
{
    int i = nidx_get(&r->colidx, column);

    return i >= 0 ? r->col[i].type : -1;
}

size_t rules_nbias(const struct rules *r)
{
    return r->nbias;
}

const struct bias_spec *rules_bias(const struct rules *r, size_t i)
{
    return i < r->nbias ? &r->bias[i] : NULL;
}
