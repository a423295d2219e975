/* parse_bias.c -- the label: and bias: sections of a rules file.
 *
 * Builds one struct bias_spec (src/bias.h) per bias: entry, with the
 * label, the null_values and the limits on metrics; bias.c does the
 * rest.  Every string and array behind a spec is owned by the rules
 * (rules_own) and lives until rules_free(). */
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"

/* Metric names a limit may name.  To add one: a row here (post: 1 when
 * it needs predicted:), and the metric in bias.c. */
static const struct {
    const char *name;
    int post;
} metrics[] = {
    { "CI", 0 }, { "DPL", 0 }, { "KL", 0 }, { "JS", 0 }, { "LP", 0 },
    { "TVD", 0 }, { "KS", 0 }, { "CDDL", 0 },
    { "DPPL", 1 }, { "DI", 1 }, { "DCA", 1 }, { "DCR", 1 }, { "RD", 1 },
    { "SD", 1 }, { "DAR", 1 }, { "DRR", 1 }, { "AD", 1 }, { "TE", 1 },
    { "CDDPL", 1 }, { "FT", 1 }, { "GE", 1 },
};

struct label {
    const char *col;
    const char *const *values;
    size_t nvalues;
    int has_threshold;
    double threshold;
};

static char *own_str(struct rparse *rp, const struct ynode *n)
{
    char *s = NULL;

    if (rp_string(rp, n, &s) < 0)
        return NULL;
    return rules_own(rp->r, s);
}

static int own_strings(struct rparse *rp, const struct ynode *n,
                       const char *const **out, size_t *nout)
{
    char **v = NULL;
    size_t i;

    if (rp_strings(rp, n, &v, nout) < 0)
        return -1;
    rules_own(rp->r, v);
    for (i = 0; i < *nout; i++)
        rules_own(rp->r, v[i]);
    *out = (const char *const *)v;
    return 0;
}

/* values: [...] or threshold: N (at most one; need says whether one of
 * them is required). */
static int values_or_threshold(struct rparse *rp, const struct ynode *m,
                               const char *what, int need,
                               const char *const **vals, size_t *nvals,
                               int *has_t, double *t)
{
    const struct ynode *v = ymap_get(m, "values"),
                       *th = ymap_get(m, "threshold");

    if (v != NULL && th != NULL)
        return rp_fail(rp, th, "%s: give values or threshold, not both",
                       what);
    if (v == NULL && th == NULL && need)
        return rp_fail(rp, m, "%s needs values: [...] or threshold: N",
                       what);
    if (v != NULL) {
        if (own_strings(rp, v, vals, nvals) < 0)
            return -1;
        if (*nvals == 0)
            return rp_fail(rp, v, "%s values: needs at least one value",
                           what);
    }
    if (th != NULL) {
        if (rp_number(rp, th, t) < 0)
            return -1;
        *has_t = 1;
    }
    return 0;
}

static int parse_label(struct rparse *rp, const struct ynode *m,
                       struct label *lb)
{
    static const char *const keys[] = { "column", "values", "threshold" };
    const struct ynode *v;

    if (rp_keys(rp, m, "label", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(m, "column");
    if (v == NULL)
        return rp_fail(rp, m, "label needs column: (the label column)");
    lb->col = own_str(rp, v);
    if (lb->col == NULL)
        return -1;
    return values_or_threshold(rp, m, "label", 1, &lb->values,
                               &lb->nvalues, &lb->has_threshold,
                               &lb->threshold);
}

static int parse_limit(struct rparse *rp, const struct ynode *key,
                       const struct ynode *m, int has_predicted,
                       struct bias_limit *l)
{
    static const char *const keys[] = {
        "max_abs", "max", "min", "significance", "severity"
    };
    static const char *const sevs[] = { "info", "warn", "fail" };
    const char *names[ARRAY_SIZE(metrics)];
    const struct ynode *v;
    size_t i;
    char hint[160];

    for (i = 0; i < ARRAY_SIZE(metrics); i++) {
        names[i] = metrics[i].name;
        if (strcmp(key->str, metrics[i].name) == 0)
            break;
    }
    if (i == ARRAY_SIZE(metrics)) {
        rules_did_you_mean(hint, sizeof(hint), key->str, names,
                           ARRAY_SIZE(metrics));
        return rp_fail(rp, key, "unknown bias metric '%s'%s", key->str,
                       hint);
    }
    if (metrics[i].post && !has_predicted)
        return rp_fail(rp, key, "a limit on %s (a post-training metric) "
                       "needs predicted: (the prediction column)",
                       key->str);
    l->metric = metrics[i].name;
    l->severity = "fail";
    if (rp_keys(rp, m, "a bias limit", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(m, "max_abs");
    if (v != NULL && rp_number(rp, v, &l->max_abs) < 0)
        return -1;
    l->has_max_abs = v != NULL;
    v = ymap_get(m, "max");
    if (v != NULL && rp_number(rp, v, &l->max) < 0)
        return -1;
    l->has_max = v != NULL;
    v = ymap_get(m, "min");
    if (v != NULL && rp_number(rp, v, &l->min) < 0)
        return -1;
    l->has_min = v != NULL;
    if (!l->has_max_abs && !l->has_max && !l->has_min)
        return rp_fail(rp, m, "a limit on %s needs max_abs, max or min",
                       l->metric);
    v = ymap_get(m, "significance");
    if (v != NULL) {
        if (rp_number(rp, v, &l->significance) < 0)
            return -1;
        if (l->significance <= 0 || l->significance >= 1)
            return rp_fail(rp, v, "significance is a p-value threshold "
                           "between 0 and 1, such as 0.05");
    }
    v = ymap_get(m, "severity");
    if (v != NULL) {
        if (v->kind != YN_SCALAR)
            return rp_fail(rp, v, "expected info, warn or fail");
        for (i = 0; i < ARRAY_SIZE(sevs); i++)
            if (strcmp(v->str, sevs[i]) == 0)
                l->severity = sevs[i];
        if (strcmp(v->str, l->severity) != 0) {
            rules_did_you_mean(hint, sizeof(hint), v->str, sevs,
                               ARRAY_SIZE(sevs));
            return rp_fail(rp, v, "unknown severity '%s'%s", v->str,
                           hint[0] ? hint : " (expected info, warn or "
                           "fail)");
        }
    }
    return 0;
}

static int parse_limits(struct rparse *rp, const struct ynode *m,
                        struct bias_spec *b)
{
    struct bias_limit *l;
    size_t i;

    if (m->kind != YN_MAP)
        return rp_fail(rp, m, "limits must be a mapping like {CI: "
                       "{max_abs: 0.5}}, not %s", ynode_what(m));
    l = rules_own(rp->r, xcalloc(ymap_len(m) + 1, sizeof(*l)));
    for (i = 0; i + 1 < m->n; i += 2) {
        if (m->kid[i + 1]->kind != YN_MAP)
            return rp_fail(rp, m->kid[i + 1], "a limit must be a mapping "
                           "like {max_abs: 0.1}, not %s",
                           ynode_what(m->kid[i + 1]));
        if (parse_limit(rp, m->kid[i], m->kid[i + 1],
                        b->predicted_col != NULL, &l[i / 2]) < 0)
            return -1;
    }
    b->limits = l;
    b->nlimits = ymap_len(m);
    return 0;
}

static int parse_facet(struct rparse *rp, const struct ynode *v,
                       struct bias_spec *b)
{
    if (v->kind == YN_SEQ) {
        if (own_strings(rp, v, &b->facet_cols, &b->nfacet_cols) < 0)
            return -1;
        if (b->nfacet_cols == 0)
            return rp_fail(rp, v, "facet needs at least one column");
        return 0;
    }
    b->facet_cols = rules_own(rp->r, xcalloc(2, sizeof(char *)));
    ((const char **)b->facet_cols)[0] = own_str(rp, v);
    if (b->facet_cols[0] == NULL)
        return -1;
    b->nfacet_cols = 1;
    return 0;
}

static int parse_bias_entry(struct rparse *rp, const struct ynode *m,
                            const struct label *lb, struct bias_spec *b)
{
    static const char *const keys[] = {
        "facet", "values", "threshold", "group", "predicted", "limits",
        "mode"
    };
    const struct ynode *v;

    if (m->kind != YN_MAP)
        return rp_fail(rp, m, "a bias entry must be a mapping ('- facet: "
                       "sex'), not %s", ynode_what(m));
    if (rp_keys(rp, m, "a bias entry", keys, ARRAY_SIZE(keys)) < 0)
        return -1;
    v = ymap_get(m, "facet");
    if (v == NULL)
        return rp_fail(rp, m, "a bias entry needs facet: (a column, or a "
                       "list of columns)");
    if (parse_facet(rp, v, b) < 0)
        return -1;
    if (values_or_threshold(rp, m, "facet", 0, &b->facet_values,
                            &b->nfacet_values, &b->facet_has_threshold,
                            &b->facet_threshold) < 0)
        return -1;
    if (b->facet_has_threshold && b->nfacet_cols > 1)
        return rp_fail(rp, ymap_get(m, "threshold"), "a threshold needs a "
                       "single facet column");
    v = ymap_get(m, "group");
    if (v != NULL) {
        b->group_col = own_str(rp, v);
        if (b->group_col == NULL)
            return -1;
    }
    v = ymap_get(m, "predicted");
    if (v != NULL) {
        b->predicted_col = own_str(rp, v);
        if (b->predicted_col == NULL)
            return -1;
    }
    v = ymap_get(m, "mode");
    if (v != NULL) {
        if (v->kind != YN_SCALAR || (strcmp(v->str, "clarify") != 0 &&
                                     strcmp(v->str, "strict") != 0))
            return rp_fail(rp, v, "mode is clarify or strict");
        b->mode = v->str[0] == 's' ? BIAS_STRICT : BIAS_CLARIFY;
    }
    v = ymap_get(m, "limits");
    if (v != NULL && parse_limits(rp, v, b) < 0)
        return -1;
    b->label_col = lb->col;
    b->label_values = lb->values;
    b->nlabel_values = lb->nvalues;
    b->label_has_threshold = lb->has_threshold;
    b->label_threshold = lb->threshold;
    b->null_values = (const char *const *)rp->r->null_values;
    b->nnull_values = rp->r->nnull;
    return 0;
}

int rules_parse_bias(struct rparse *rp, const struct ynode *label,
                     const struct ynode *bias)
{
    struct rules *r = rp->r;
    struct label lb;
    size_t i;

    memset(&lb, 0, sizeof(lb));
    if (label != NULL && parse_label(rp, label, &lb) < 0)
        return -1;
    if (bias == NULL || (bias->kind == YN_SCALAR && bias->plain &&
                         bias->len == 0))
        return 0;
    if (bias->kind != YN_SEQ)
        return rp_fail(rp, bias, "bias must be a list ('- facet: sex'), "
                       "not %s", ynode_what(bias));
    if (label == NULL && bias->n > 0)
        return rp_fail(rp, bias, "bias needs a label: section ({column: "
                       "y, values: [\"1\"]})");
    r->bias = xcalloc(bias->n + 1, sizeof(*r->bias));
    for (i = 0; i < bias->n; i++) {
        if (parse_bias_entry(rp, bias->kid[i], &lb, &r->bias[i]) < 0)
            return -1;
        r->nbias++;
    }
    return 0;
}
