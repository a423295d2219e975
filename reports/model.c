/* model.c -- the view of an `assay check` document that writers share.
 * Part of reports/: flattens check results and bias findings into one
 * list of struct ritem (classified worst first), resolves the options
 * (timestamp, data path, verdict), describes check kinds and bias
 * metrics, and formats values as plain text for the human formats.
 * Tolerant by design: any part of the document may be absent. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crypto.h"
#include "json.h"
#include "report_int.h"

/* ---- descriptions of check kinds and bias metrics ----
 * To add a row: the rule id as the "results[].kind" of DESIGN.md (or
 * "bias.METRIC"), a short description (<= 80 chars, no full stop) and a
 * full one (<= 1024 chars: SARIF fullDescription). */
static const struct {
    const char *rule, *short_desc, *full_desc;
} rules[] = {
    { "field_count", "Record has the wrong number of fields",
      "A record whose field count differs from the header's. Such records "
      "are excluded from every other check and from the profile." },
    { "row_count", "Row count out of bounds",
      "The number of data records (header excluded) is outside the "
      "bounds the rules file sets." },
    { "type", "Value does not parse as the column's type",
      "A non-null value that does not parse as the column's declared "
      "type (integer, number, string, boolean, date, timestamp)." },
    { "not_null", "Too many null values",
      "The column holds more null values (empty fields or null_values "
      "tokens) than allowed." },
    { "range", "Value out of range",
      "A value outside the inclusive (or exclusive) bounds of a range "
      "check." },
    { "allowed", "Value not in the allowed set",
      "A value that is not one of the values the rules file allows." },
    { "pattern", "Value does not match the pattern",
      "A value that does not match the check's regular expression." },
    { "length", "Value length out of bounds",
      "A value whose length in UTF-8 characters is outside the bounds." },
    { "unique", "Duplicate value",
      "A non-null value (or tuple of values) that repeats an earlier "
      "one in a column that must be unique." },
    { "duplicate_rows", "Duplicate record",
      "A record whose fields all equal those of an earlier record." },
    { "expression", "Cross-column rule violated",
      "A record for which the check's expression is false (a null "
      "result does not fail, as in an SQL CHECK constraint)." },
    { "bias.CI", "Class imbalance above limit",
      "Class imbalance CI = (n_a - n_d) / (n_a + n_d): the facet group d "
      "is under- or over-represented relative to the rest (a)." },
    { "bias.DPL", "Difference in label proportions above limit",
      "DPL = q_a - q_d, the difference in positive-label rates between "
      "the rest (a) and the facet group (d)." },
    { "bias.KL", "Kullback-Leibler divergence above limit",
      "KL divergence of the label distribution of d from that of a." },
    { "bias.JS", "Jensen-Shannon divergence above limit",
      "Jensen-Shannon divergence between the label distributions of a "
      "and d." },
    { "bias.LP", "Lp-norm label distance above limit",
      "L2 distance between the label distributions of a and d." },
    { "bias.TVD", "Total variation distance above limit",
      "Half the L1 distance between the label distributions of a and d." },
    { "bias.KS", "Kolmogorov-Smirnov distance above limit",
      "Largest difference between the label distributions of a and d." },
    { "bias.CDDL", "Conditional demographic disparity above limit",
      "Demographic disparity of d (share of rejections minus share of "
      "acceptances), averaged over the groups of the group column." },
    { "bias.DPPL", "Difference in predicted label proportions",
      "DPPL = difference in predicted positive rates between a and d." },
    { "bias.DI", "Disparate impact outside limit",
      "DI = ratio of predicted positive rates d / a; 1 is parity, below "
      "0.8 fails the four-fifths rule." },
    { "bias.DCA", "Difference in conditional acceptance",
      "Difference between a and d in observed over predicted positives." },
    { "bias.DCR", "Difference in conditional rejection",
      "Difference between d and a in observed over predicted negatives." },
    { "bias.RD", "Recall difference", "Recall of a minus recall of d." },
    { "bias.SD", "Specificity difference",
      "Specificity of d minus specificity of a." },
    { "bias.DAR", "Difference in acceptance rates",
      "Precision of a minus precision of d." },
    { "bias.DRR", "Difference in rejection rates",
      "Negative predictive value of d minus that of a." },
    { "bias.AD", "Accuracy difference", "Accuracy of a minus that of d." },
    { "bias.TE", "Treatment equality",
      "Ratio of false negatives to false positives, d minus a." },
    { "bias.CDDPL", "Conditional demographic disparity in predictions",
      "CDDL computed with predicted labels in place of observed ones." },
    { "bias.FT", "Flip test",
      "Share of d whose predicted outcome differs from that of their "
      "nearest neighbours in a." },
    { "bias.GE", "Generalized entropy",
      "Generalized entropy index (alpha 2) of the prediction benefits." },
};

static int rule_row(const char *rule)
{
    size_t i;

    for (i = 0; rule != NULL && i < ARRAY_SIZE(rules); i++)
        if (strcmp(rules[i].rule, rule) == 0)
            return (int)i;
    return -1;
}

const char *rule_short(const char *rule)
{
    int i = rule_row(rule);

    if (i >= 0)
        return rules[i].short_desc;
    if (rule != NULL && strncmp(rule, "bias.", 5) == 0)
        return "Bias metric outside limit";
    return "Data quality check failed";
}

const char *rule_full(const char *rule)
{
    int i = rule_row(rule);

    if (i >= 0)
        return rules[i].full_desc;
    if (rule != NULL && strncmp(rule, "bias.", 5) == 0)
        return "A bias metric is outside the limit set in the rules file.";
    return "A data quality check declared in the rules file failed.";
}

/* ---- words ---- */

const char *class_word(enum item_class c)
{
    static const char *const words[IC_COUNT] = {
        [IC_ERROR] = "ERROR", [IC_FAIL] = "FAIL", [IC_WARN] = "WARN",
        [IC_INFO] = "INFO", [IC_PASS] = "PASS",
    };

    return (unsigned)c < IC_COUNT ? words[c] : "?";
}

const char *verdict_word(const char *verdict)
{
    if (verdict != NULL && strcmp(verdict, "fail") == 0)
        return "FAIL";
    if (verdict != NULL && strcmp(verdict, "warn") == 0)
        return "WARN";
    return "PASS";
}

/* ---- values as plain text ---- */

static void fmt_num(struct buf *b, double v)
{
    char tmp[64];

    if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
        snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    else
        snprintf(tmp, sizeof tmp, "%.6g", v);
    buf_adds(b, tmp);
}

void fmt_value(struct buf *b, const struct json_t *v)
{
    struct json_t *o = (struct json_t *)v;
    void *it;
    size_t i;

    if (v == NULL || j_is_null(v)) {
        buf_adds(b, "null");
    } else if (j_string(v) != NULL) {
        buf_adds(b, j_string(v));
    } else if (j_is_number(v)) {
        fmt_num(b, j_number(v));
    } else if (j_is_array(v)) {
        buf_addc(b, '[');
        for (i = 0; i < j_len(v); i++) {
            if (i > 0)
                buf_adds(b, ", ");
            fmt_value(b, j_at(v, i));
        }
        buf_addc(b, ']');
    } else if (j_is_object(v)) {
        for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
            if (it != j_iter(o))
                buf_adds(b, ", ");
            buf_adds(b, j_iter_key(it));
            buf_addc(b, ' ');
            fmt_value(b, j_iter_value(it));
        }
    } else {
        buf_adds(b, j_is_true(v) ? "true" : "false");
    }
}

/* ---- limits ----
 * To add a row: the key a rules file writes in a limit object and what
 * is written before its number. */
static const struct {
    const char *key, *prefix;
} limit_words[] = {
    { "max_abs", "|v| <= " },
    { "min", ">= " },
    { "max", "<= " },
    { "min_exclusive", "> " },
    { "max_exclusive", "< " },
};

void fmt_limit(struct buf *b, const struct json_t *lim)
{
    struct json_t *o = (struct json_t *)lim;
    size_t i;
    void *it;

    if (!j_is_object(lim)) {
        fmt_value(b, lim);
        return;
    }
    /* Known bounds as comparisons, other keys as "key value". */
    for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
        if (it != j_iter(o))
            buf_adds(b, ", ");
        for (i = 0; i < ARRAY_SIZE(limit_words); i++)
            if (strcmp(j_iter_key(it), limit_words[i].key) == 0)
                break;
        if (i < ARRAY_SIZE(limit_words))
            buf_adds(b, limit_words[i].prefix);
        else
            buf_printf(b, "%s ", j_iter_key(it));
        fmt_value(b, j_iter_value(it));
    }
}

void fmt_metric(struct buf *b, const struct json_t *m)
{
    const struct json_t *v = j_is_object(m) ? j_get(m, "value") : m;
    const struct json_t *ci = j_get(m, "ci95");

    if ((v == NULL || j_is_null(v)) && j_string(j_get(m, "error"))) {
        buf_adds(b, "error: ");
        buf_adds(b, j_string(j_get(m, "error")));
        return;
    }
    fmt_value(b, v);
    if (j_len(ci) == 2) {
        buf_adds(b, " [");
        fmt_value(b, j_at(ci, 0));
        buf_adds(b, ", ");
        fmt_value(b, j_at(ci, 1));
        buf_addc(b, ']');
    }
}

/* "sex", or "sex,race" for an intersectional facet ("columns"). */
static void facet_columns(struct buf *b, const struct json_t *f,
                          const char *dflt)
{
    const struct json_t *cols = j_get(f, "columns");
    size_t i;

    if (j_string(j_get(f, "column")) != NULL) {
        buf_adds(b, j_string(j_get(f, "column")));
        return;
    }
    for (i = 0; i < j_len(cols); i++) {
        if (i > 0)
            buf_addc(b, ',');
        fmt_value(b, j_at(cols, i));
    }
    if (j_len(cols) == 0)
        buf_adds(b, dflt);
}

void fmt_facet(struct buf *b, const struct json_t *f)
{
    const struct json_t *vals = j_get(f, "values");
    size_t i;

    if (j_string(f) != NULL) {
        buf_adds(b, j_string(f));
        return;
    }
    facet_columns(b, f, "?");
    if (j_is_number(j_get(f, "threshold"))) {
        buf_adds(b, " > ");
        fmt_value(b, j_get(f, "threshold"));
    } else if (j_len(vals) > 0) {
        buf_adds(b, " = ");
        for (i = 0; i < j_len(vals); i++) {
            if (i > 0)
                buf_adds(b, " | ");
            fmt_value(b, j_at(vals, i));
        }
    }
}

void fmt_counts(struct buf *b, const struct ritem *it)
{
    const struct json_t *f = j_get(it->obj, "failures");
    const struct json_t *c = j_get(it->obj, "checked");

    if (!j_is_number(f))
        return;
    fmt_value(b, f);
    if (j_is_number(c)) {
        buf_adds(b, " of ");
        fmt_value(b, c);
    }
    buf_adds(b, " failed");
}

void item_detail(struct buf *b, const struct ritem *it, size_t max_samples,
                 const char *indent)
{
    const struct json_t *samples = j_get(it->obj, "samples");
    const struct json_t *lim = j_get(it->obj, "limit");
    const struct json_t *s, *obs;
    struct buf t = BUF_INIT;
    size_t i, n = j_len(samples);

    esc_display(b, it->id, ESC_ALL);
    buf_adds(b, " (");
    if (it->bias != NULL) {
        fmt_facet(&t, j_get(it->bias, "facet"));
        buf_adds(b, "bias metric ");
        esc_display(b, it->metric, VALUE_CAP);
        buf_adds(b, ", facet ");
        esc_display(b, buf_cstr(&t), VALUE_CAP);
        buf_reset(&t);
    } else {
        esc_display(b, it->kind, ESC_ALL);
    }
    if (it->column != NULL && it->bias == NULL) {
        buf_adds(b, ", column ");
        esc_display(b, it->column, VALUE_CAP);
    }
    /* The outcome: counts when there are any, else a word. */
    buf_adds(b, "): ");
    if (it->cls != IC_ERROR)
        fmt_counts(&t, it);
    if (t.len > 0)
        buf_adds(b, buf_cstr(&t));
    else
        buf_adds(b, it->cls == IC_ERROR ? "could not be evaluated" :
                 it->cls == IC_PASS ? "passed" : "failed");
    buf_reset(&t);
    if (it->message != NULL) {
        buf_printf(b, "\n%s", indent);
        esc_display(b, it->message, 4 * VALUE_CAP);
    }
    obs = j_get(it->obj, it->bias != NULL ? "value" : "observed");
    if (obs != NULL && !j_is_null(obs)) {
        fmt_value(&t, obs);
        buf_printf(b, "\n%s%s: ", indent, it->bias != NULL ? "value" :
                   "observed");
        esc_display(b, buf_cstr(&t), VALUE_CAP);
        buf_reset(&t);
    }
    if (lim != NULL && !j_is_null(lim)) {
        fmt_limit(&t, lim);
        buf_printf(b, "\n%slimit: ", indent);
        esc_display(b, buf_cstr(&t), VALUE_CAP);
        buf_reset(&t);
    }
    for (i = 0; i < n && i < max_samples; i++) {
        s = j_at(samples, i);
        buf_printf(b, "\n%sline %lld (record %lld)", indent,
                   j_integer(j_get(s, "line")),
                   j_integer(j_get(s, "record")));
        if (j_string(j_get(s, "value")) != NULL) {
            buf_adds(b, ": \"");
            esc_display(b, j_string(j_get(s, "value")), VALUE_CAP);
            buf_addc(b, '"');
        }
    }
    if (n > max_samples)
        buf_printf(b, "\n%s(%zu more samples)", indent, n - max_samples);
    buf_release(&t);
}

size_t doc_nbias(const struct json_t *doc)
{
    const struct json_t *b = j_get(doc, "bias");

    return j_is_array(b) ? j_len(b) : j_is_object(b) ? 1 : 0;
}

const struct json_t *doc_bias(const struct json_t *doc, size_t i)
{
    const struct json_t *b = j_get(doc, "bias");

    return j_is_array(b) ? j_at(b, i) : b;
}

/* ---- the item list ---- */

static const char *norm(const char *s, const char *const *allowed,
                        const char *dflt)
{
    size_t i;

    for (i = 0; s != NULL && allowed[i] != NULL; i++)
        if (strcmp(s, allowed[i]) == 0)
            return allowed[i];
    return dflt;
}

static const char *const severities[] = { "fail", "warn", "info", NULL };
static const char *const statuses[] = { "pass", "fail", "error", NULL };

static enum item_class classify(const char *status, const char *severity)
{
    if (strcmp(status, "error") == 0)
        return IC_ERROR;
    if (strcmp(status, "pass") == 0)
        return IC_PASS;
    if (strcmp(severity, "warn") == 0)
        return IC_WARN;
    if (strcmp(severity, "info") == 0)
        return IC_INFO;
    return IC_FAIL;
}

static struct ritem *push_item(struct report_ctx *ctx, size_t *cap)
{
    struct ritem *it;

    grow(&ctx->items, cap, ctx->nitems + 1, sizeof *ctx->items);
    it = &ctx->items[ctx->nitems++];
    memset(it, 0, sizeof *it);
    return it;
}

/* A status from the object, else from its failure count. */
static const char *status_of(const struct json_t *o)
{
    const char *st = norm(j_string(j_get(o, "status")), statuses, NULL);

    if (st != NULL)
        return st;
    return j_number(j_get(o, "failures")) > 0 ? "fail" : "pass";
}

static void add_check(struct report_ctx *ctx, size_t *cap,
                      const struct json_t *r, size_t idx)
{
    struct ritem *it = push_item(ctx, cap);
    const struct json_t *s0 = j_at(j_get(r, "samples"), 0);
    const char *id = j_string(j_get(r, "id"));

    it->obj = r;
    it->kind = j_string(j_get(r, "kind")) ? j_string(j_get(r, "kind"))
               : "check";
    it->id = id != NULL && *id != '\0' ? xstrdup(id)
             : xasprintf("%s#%zu", it->kind, idx + 1);
    it->rule = xstrdup(it->kind);
    it->column = j_string(j_get(r, "column"));
    it->severity = norm(j_string(j_get(r, "severity")), severities, "fail");
    it->status = status_of(r);
    it->message = j_string(j_get(r, "message"));
    it->cls = classify(it->status, it->severity);
    if (j_integer(j_get(s0, "line")) > 0)
        it->line = (unsigned long long)j_integer(j_get(s0, "line"));
}

/* "bias.sex=Female.CI", "bias.age>40.DPL": unique per facet and metric
 * within one document (the caller adds #2 for repeats). */
static char *bias_id(const struct json_t *bias, const char *metric)
{
    const struct json_t *f = j_get(bias, "facet");
    const struct json_t *vals = j_get(f, "values");
    struct buf b = BUF_INIT;
    size_t i;

    buf_adds(&b, "bias.");
    if (j_string(f) != NULL)
        buf_adds(&b, j_string(f));
    else
        facet_columns(&b, f, "facet");
    if (j_is_number(j_get(f, "threshold"))) {
        buf_addc(&b, '>');
        fmt_value(&b, j_get(f, "threshold"));
    } else if (j_len(vals) > 0) {
        buf_addc(&b, '=');
        for (i = 0; i < j_len(vals); i++) {
            if (i > 0)
                buf_addc(&b, ',');
            fmt_value(&b, j_at(vals, i));
        }
    }
    buf_printf(&b, ".%s", metric);
    return buf_detach(&b);
}

static int id_taken(const struct report_ctx *ctx, const char *id)
{
    size_t i;

    for (i = 0; i < ctx->nitems; i++)
        if (ctx->items[i].id != NULL && strcmp(ctx->items[i].id, id) == 0)
            return 1;
    return 0;
}

static void add_finding(struct report_ctx *ctx, size_t *cap,
                        const struct json_t *bias, const struct json_t *f)
{
    const char *metric = j_string(j_get(f, "metric"));
    const struct json_t *col = j_get(j_get(bias, "facet"), "column");
    struct ritem *it;
    char *id;
    int k;

    if (metric == NULL)
        metric = "metric";
    id = bias_id(bias, metric);
    for (k = 2; id_taken(ctx, id); k++) {
        char *base = bias_id(bias, metric);

        free(id);
        id = xasprintf("%s#%d", base, k);
        free(base);
    }
    it = push_item(ctx, cap);
    it->id = id;
    it->obj = f;
    it->bias = bias;
    it->metric = metric;
    it->kind = "bias";
    it->rule = xasprintf("bias.%s", metric);
    it->column = j_string(col);
    if (it->column == NULL)
        it->column = j_string(j_get(bias, "facet"));
    it->severity = norm(j_string(j_get(f, "severity")), severities, "fail");
    it->status = status_of(f);
    it->message = j_string(j_get(f, "message"));
    it->cls = classify(it->status, it->severity);
}

/* "bias" may be one object or an array of them. */
static void add_bias(struct report_ctx *ctx, size_t *cap,
                     const struct json_t *bias)
{
    const struct json_t *fs = j_get(bias, "findings");
    size_t i;

    if (j_is_array(bias)) {
        for (i = 0; i < j_len(bias); i++)
            add_bias(ctx, cap, j_at(bias, i));
        return;
    }
    for (i = 0; i < j_len(fs); i++)
        add_finding(ctx, cap, bias, j_at(fs, i));
}

static const char *computed_verdict(const struct report_ctx *ctx)
{
    if (ctx->count[IC_ERROR] + ctx->count[IC_FAIL] > 0)
        return "fail";
    if (ctx->count[IC_WARN] > 0)
        return "warn";
    return "pass";
}

void ctx_init(struct report_ctx *ctx, const struct json_t *doc,
              const struct report_opts *o)
{
    static const struct report_opts defaults = REPORT_OPTS_INIT;
    static const char *const verdicts[] = { "pass", "warn", "fail", NULL };
    const struct json_t *ds = j_get(doc, "dataset");
    const struct json_t *results = j_get(doc, "results");
    const char *ts;
    size_t i, cap = 0;

    memset(ctx, 0, sizeof *ctx);
    ctx->opts = o != NULL ? o : &defaults;
    ctx->doc = doc;
    /* The caller's time, else the document's ("time"), else now. */
    ts = ctx->opts->timestamp;
    if (ts == NULL || *ts == '\0')
        ts = j_string(j_get(doc, "time"));
    if (ts != NULL && *ts != '\0')
        snprintf(ctx->timestamp, sizeof ctx->timestamp, "%s", ts);
    else
        now_rfc3339(ctx->timestamp, sizeof ctx->timestamp);
    ctx->data_path = ctx->opts->data_path;
    if (ctx->data_path == NULL || *ctx->data_path == '\0')
        ctx->data_path = j_string(j_get(ds, "path"));
    if (ctx->data_path == NULL || *ctx->data_path == '\0')
        ctx->data_path = "dataset";
    ctx->name = j_string(j_get(ds, "name"));
    if (ctx->name == NULL || *ctx->name == '\0')
        ctx->name = ctx->data_path;
    for (i = 0; i < j_len(results); i++)
        add_check(ctx, &cap, j_at(results, i), i);
    add_bias(ctx, &cap, j_get(doc, "bias"));
    for (i = 0; i < ctx->nitems; i++)
        ctx->count[ctx->items[i].cls]++;
    ctx->verdict = norm(j_string(j_get(doc, "verdict")), verdicts, NULL);
    if (ctx->verdict == NULL)
        ctx->verdict = computed_verdict(ctx);
}

void ctx_release(struct report_ctx *ctx)
{
    size_t i;

    for (i = 0; i < ctx->nitems; i++) {
        free(ctx->items[i].id);
        free(ctx->items[i].rule);
    }
    free(ctx->items);
    ctx->items = NULL;
    ctx->nitems = 0;
}

size_t *ctx_order(const struct report_ctx *ctx)
{
    size_t *ord = xcalloc(ctx->nitems + 1, sizeof *ord);
    size_t i, k = 0;
    int c;

    for (c = 0; c < IC_COUNT; c++)
        for (i = 0; i < ctx->nitems; i++)
            if ((int)ctx->items[i].cls == c)
                ord[k++] = i;
    return ord;
}

void item_fingerprint(const struct report_ctx *ctx, const struct ritem *it,
                      char out[65])
{
    struct buf b = BUF_INIT;

    /* NUL separators: no two (id, path, column) triples collide. */
    buf_adds(&b, "assay/v1");
    buf_addc(&b, '\0');
    buf_adds(&b, it->id);
    buf_addc(&b, '\0');
    buf_adds(&b, ctx->data_path);
    buf_addc(&b, '\0');
    if (it->column != NULL)
        buf_adds(&b, it->column);
    sha256_hex(b.data, b.len, out);
    buf_release(&b);
}

char *relative_path(const char *path, int keep_abs)
{
    char cwd[PATH_MAX];
    size_t n;

    if (path[0] == '/' && getcwd(cwd, sizeof cwd) != NULL) {
        n = strlen(cwd);
        if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
            path += n + 1;
        else if (keep_abs)
            return xstrdup(path);
    }
    for (;;) {
        if (path[0] == '/')
            path++;
        else if (path[0] == '.' && path[1] == '/')
            path += 2;
        else
            break;
    }
    return xstrdup(*path != '\0' ? path : "dataset");
}
