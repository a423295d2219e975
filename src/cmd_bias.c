/* cmd_bias.c -- `assay bias`: Clarify-style bias metrics of one dataset
 * for one facet specification (or one-vs-rest for every facet value).
 * Parses options into a struct bias_spec, runs one scan with the bias
 * sink, prints JSON (DESIGN.md contract) or a text table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bias.h"
#include "cmd.h"
#include "reports/report.h"
#include "json.h"
#include "scan.h"
#include "types.h"
#include "util.h"

/* How to add an option: add a row, read it in run(). */
static const struct opt opts[] = {
    { "facet", 0, OPT_ARG, "COL[,COL...]",
      "facet column; several columns give an intersectional facet" },
    { "facet-value", 0, OPT_ARG | OPT_MULTI, "V",
      "facet value selecting d (repeatable; 'v1,v2' for several columns)" },
    { "facet-threshold", 0, OPT_ARG, "T", "d = rows with facet > T" },
    { "label", 0, OPT_ARG, "COL", "label column" },
    { "label-value", 0, OPT_ARG | OPT_MULTI, "V",
      "positive label value (repeatable)" },
    { "label-threshold", 0, OPT_ARG, "T", "positive = label > T" },
    { "group", 0, OPT_ARG, "COL", "group column for CDDL/CDDPL" },
    { "predicted", 0, OPT_ARG, "COL",
      "predicted label column: post-training metrics" },
    { "mode", 0, OPT_ARG, "clarify|strict",
      "clarify: as the reference (default); strict: full-support "
      "distances" },
    { "format", 'f', OPT_ARG, "FMT",
      "what goes to stdout: text (default), json, or a report format "
      "(junit, sarif, github, markdown, codequality, html)" },
    { "report", 0, OPT_ARG | OPT_MULTI, "FMT=PATH",
      "also write FMT to PATH (repeatable; written atomically)" },
    { "null-value", 0, OPT_ARG | OPT_MULTI, "TOKEN",
      "also read TOKEN as missing (default: only empty fields)" },
};

static int parse_threshold(const struct command *c, const char *name,
                           const char *s, double *t)
{
    if (!parse_number(s, strlen(s), t))
        return usage_error(c, "--%s: '%s' is not a number", name, s);
    return 0;
}

static void fmt_value(struct json_t *v, char *out, size_t n)
{
    const char *s = j_string(v);

    if (s != NULL)
        snprintf(out, n, "%s", s);
    else if (j_is_number(v))
        snprintf(out, n, "%.6g", j_number(v));
    else
        snprintf(out, n, "-");
}

static void print_metrics(FILE *fp, struct json_t *sec)
{
    void *it;

    for (it = j_iter(sec); it != NULL; it = j_iter_next(sec, it)) {
        const char *name = j_iter_key(it), *desc = "", *meaning = "";
        struct json_t *m = j_iter_value(it), *ci = j_get(m, "ci95");
        char val[40], lo[40], hi[40], extra[120] = "";

        bias_metric_info(name, &desc, &meaning);
        if (j_is_null(j_get(m, "value"))) {
            fprintf(fp, "  %-6s %-12s %s\n", name, "error",
                    j_string(j_get(m, "error")));
            continue;
        }
        fmt_value(j_get(m, "value"), val, sizeof(val));
        if (j_is_array(ci)) {
            fmt_value(j_at(ci, 0), lo, sizeof(lo));
            fmt_value(j_at(ci, 1), hi, sizeof(hi));
            snprintf(extra, sizeof(extra), "[%s, %s]", lo, hi);
        }
        if (j_is_number(j_get(m, "p_value")))
            snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
                     " p=%.3g", j_number(j_get(m, "p_value")));
        fprintf(fp, "  %-6s %-12s %-30s %s: %s\n", name, val, extra, desc,
                meaning);
    }
}

static void print_spec(FILE *fp, const char *what, struct json_t *o)
{
    struct json_t *vals = j_get(o, "values");
    size_t i;

    fprintf(fp, "%s: %s", what, j_string(j_get(o, "column")));
    if (j_is_array(vals)) {
        fputs(" in {", fp);
        for (i = 0; i < j_len(vals); i++)
            fprintf(fp, "%s%s", i ? ", " : "", j_string(j_at(vals, i)));
        fputs("}", fp);
    } else {
        fprintf(fp, " > %.17g", j_number(j_get(o, "threshold")));
    }
}

static void print_text(FILE *fp, const char *path, struct json_t *r)
{
    struct json_t *c = j_get(r, "counts"), *f = j_get(r, "findings");
    size_t i;

    fprintf(fp, "assay bias: %s (mode: %s)\n", path,
            j_string(j_get(r, "mode")));
    print_spec(fp, "facet d", j_get(r, "facet"));
    fputs("; a = all other rows\n", fp);
    print_spec(fp, "label positive", j_get(r, "label"));
    fprintf(fp, "; group: %s; predicted: %s\n",
            j_string(j_get(r, "group")) ? j_string(j_get(r, "group")) : "-",
            j_string(j_get(r, "predicted")) ?
            j_string(j_get(r, "predicted")) : "-");
    fprintf(fp, "rows: n %lld, d %lld (%lld positive), a %lld (%lld "
            "positive)\n\n", j_integer(j_get(c, "n")),
            j_integer(j_get(c, "n_d")), j_integer(j_get(c, "n_d_pos")),
            j_integer(j_get(c, "n_a")), j_integer(j_get(c, "n_a_pos")));
    fprintf(fp, "pre-training   %-12s %-30s %s\n", "value",
            "95% CI / p-value", "meaning");
    print_metrics(fp, j_get(r, "pretraining"));
    if (j_get(r, "posttraining_error") != NULL) {
        fprintf(fp, "\npost-training: %s\n",
                j_string(j_get(r, "posttraining_error")));
    } else if (j_is_object(j_get(r, "posttraining"))) {
        fputs("\npost-training\n", fp);
        print_metrics(fp, j_get(r, "posttraining"));
    }
    for (i = 0; i < j_len(f); i++) {
        struct json_t *x = j_at(f, i);

        fprintf(fp, "%s%s %s: %s\n", i == 0 ? "\nfindings\n" : "",
                j_string(j_get(x, "status")),
                j_string(j_get(x, "severity")),
                j_string(j_get(x, "message")));
    }
}

/* Split "a,b" into columns unless the whole text names a column. */
static char **facet_columns(const struct scan *s, const char *arg,
                            size_t *n)
{
    char **cols = xcalloc(strlen(arg) + 2, sizeof(char *));
    const char *p = arg, *comma;

    *n = 0;
    if (scan_col(s, arg) >= 0 || strchr(arg, ',') == NULL) {
        cols[(*n)++] = xstrdup(arg);
        return cols;
    }
    for (;;) {
        comma = strchr(p, ',');
        cols[(*n)++] = comma ? xstrndup(p, (size_t)(comma - p)) :
            xstrdup(p);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return cols;
}

static const char **opt_all(const struct optset *os, const char *name)
{
    size_t i, n = opt_count(os, name);
    const char **v = xcalloc(n + 1, sizeof(char *));

    for (i = 0; i < n; i++)
        v[i] = opt_nth(os, name, i);
    return v;
}

/* ---- output: bias's own text and JSON; other formats go through the
 * report writers, fed a check-shaped document with no check results ---- */

struct out_ctx {
    struct json_t *bias;        /* an object, or an array of them */
    const char *path;
};

static int write_json(FILE *fp, void *ctx, struct assay_err *err)
{
    struct out_ctx *c = ctx;

    if (j_write(c->bias, fp, J_PRETTY) < 0 || ferror(fp))
        return seterr(err, ASSAY_EIO, "cannot write JSON output");
    return 0;
}

static int write_text(FILE *fp, void *ctx, struct assay_err *err)
{
    struct out_ctx *c = ctx;
    size_t i;

    if (j_is_array(c->bias)) {
        for (i = 0; i < j_len(c->bias); i++) {
            if (i > 0)
                fputs("\n", fp);
            print_text(fp, c->path, j_at(c->bias, i));
        }
    } else {
        print_text(fp, c->path, c->bias);
    }
    if (ferror(fp))
        return seterr(err, ASSAY_EIO, "cannot write text output");
    return 0;
}

static cmd_writer_fn own_writer(const char *fmt)
{
    if (strcmp(fmt, "json") == 0)
        return write_json;
    if (strcmp(fmt, "text") == 0)
        return write_text;
    return NULL;
}

/* The `assay check` document shape (reports/report.h) for a bias run. */
static struct json_t *report_doc(struct scan *s, struct json_t *bias,
                                 int worst)
{
    const struct scan_info *info = scan_info(s);
    struct json_t *doc = j_obj(), *tool = j_obj(), *ds = j_obj();
    struct json_t *arr = j_arr();
    char now[40];
    size_t i;

    j_set(tool, "name", j_str("assay"));
    j_set(tool, "version", j_str(ASSAY_VERSION));
    j_set(doc, "tool", tool);
    j_set(ds, "path", j_str(scan_path(s)));
    j_set(ds, "rows", j_int((long long)info->rows));
    j_set(ds, "columns", j_int((long long)scan_ncols(s)));
    j_set(doc, "dataset", ds);
    now_rfc3339(now, sizeof(now));
    j_set(doc, "time", j_str(now));
    j_set(doc, "verdict", j_str(worst >= 3 ? "fail" : worst == 2 ? "warn"
                                                               : "pass"));
    j_set(doc, "results", j_arr());
    if (j_is_array(bias)) {
        for (i = 0; i < j_len(bias); i++)
            j_push(arr, j_copy(j_at(bias, i)));
    } else {
        j_push(arr, j_copy(bias));
    }
    j_set(doc, "bias", arr);
    return doc;
}

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    struct assay_err err = ASSAY_ERR_INIT;
    struct scan_opts so = SCAN_OPTS_INIT;
    struct bias_spec spec;
    struct scan *s = NULL;
    struct bias *b = NULL;
    struct json_t *j = NULL, *doc = NULL;
    struct out_ctx out_ctx = { NULL, NULL };
    const char **fvals = NULL, **lvals = NULL, **nulls = NULL;
    const char *mode, *format, *const *w;
    char **fcols = NULL;
    size_t nfcols = 0, i;
    int rc, worst = 0;

    if (cmd_begin(self, &os, argc, argv, &rc)) {
        opt_release(&os);       /* cmd_begin() leaves it allocated */
        return rc;
    }
    memset(&spec, 0, sizeof(spec));
    mode = opt_get(&os, "mode") ? opt_get(&os, "mode") : "clarify";
    format = opt_get(&os, "format") ? opt_get(&os, "format") : "text";
    rc = EXIT_USAGE;
    if (os.npos != 1) {
        usage_error(self, os.npos ? "one dataset, please" :
                    "no dataset given");
        goto out;
    }
    if (!opt_has(&os, "facet") || !opt_has(&os, "label")) {
        usage_error(self, "--facet and --label are required");
        goto out;
    }
    if (strcmp(mode, "clarify") != 0 && strcmp(mode, "strict") != 0) {
        usage_error(self, "--mode: '%s' is not clarify or strict", mode);
        goto out;
    }
    if (!report_known(format)) {
        usage_error(self, "unknown format '%s' (%s)", format,
                    report_format_list());
        goto out;
    }
    if (cmd_report_specs_ok(self, &os) != 0)
        goto out;
    if (opt_has(&os, "facet-value") && opt_has(&os, "facet-threshold")) {
        usage_error(self, "give --facet-value or --facet-threshold, "
                    "not both");
        goto out;
    }
    if (opt_has(&os, "label-value") == opt_has(&os, "label-threshold")) {
        usage_error(self, "give --label-value or --label-threshold "
                    "(exactly one)");
        goto out;
    }
    spec.facet_has_threshold = opt_has(&os, "facet-threshold");
    if (spec.facet_has_threshold &&
        parse_threshold(self, "facet-threshold",
                        opt_get(&os, "facet-threshold"),
                        &spec.facet_threshold) != 0)
        goto out;
    spec.label_has_threshold = opt_has(&os, "label-threshold");
    if (spec.label_has_threshold &&
        parse_threshold(self, "label-threshold",
                        opt_get(&os, "label-threshold"),
                        &spec.label_threshold) != 0)
        goto out;
    fvals = opt_all(&os, "facet-value");
    lvals = opt_all(&os, "label-value");
    nulls = opt_all(&os, "null-value");
    spec.facet_values = fvals;
    spec.nfacet_values = opt_count(&os, "facet-value");
    spec.label_col = opt_get(&os, "label");
    spec.label_values = lvals;
    spec.nlabel_values = opt_count(&os, "label-value");
    spec.group_col = opt_get(&os, "group");
    spec.predicted_col = opt_get(&os, "predicted");
    spec.mode = strcmp(mode, "strict") == 0 ? BIAS_STRICT : BIAS_CLARIFY;
    spec.null_values = nulls;
    spec.nnull_values = opt_count(&os, "null-value");

    so.progress = use_progress();
    s = scan_open(os.pos[0], &so, &err);
    if (s == NULL)
        goto fail;
    fcols = facet_columns(s, opt_get(&os, "facet"), &nfcols);
    spec.facet_cols = (const char *const *)fcols;
    spec.nfacet_cols = nfcols;
    b = bias_new(&spec, s, &err);
    if (b == NULL)
        goto fail;
    scan_add_sink(s, bias_sink(b));
    if (scan_run(s, &err) < 0)
        goto fail;
    for (w = bias_warnings(b); *w != NULL; w++)
        warnx("%s", *w);
    j = bias_json(b, &worst);
    out_ctx.bias = j;
    out_ctx.path = os.pos[0];
    doc = report_doc(s, j, worst);
    if (strcmp(format, "text") == 0 || strcmp(format, "json") == 0) {
        if (own_writer(format)(stdout, &out_ctx, &err) < 0)
            goto fail;
    } else if (cmd_write_stdout(format, doc, os.pos[0], &err) < 0) {
        goto fail;
    }
    rc = cmd_write_reports(&os, doc, os.pos[0], own_writer, &out_ctx);
    if (rc != 0)
        goto out;
    rc = worst >= 3 ? EXIT_GATE : EXIT_PASS;
    goto out;
fail:
    rc = report_error(&err);
out:
    j_free(j);
    j_free(doc);
    bias_free(b);
    scan_free(s);
    for (i = 0; i < nfcols; i++)
        free(fcols[i]);
    free(fcols);
    free(fvals);
    free(lvals);
    free(nulls);
    opt_release(&os);
    return rc;
}

const struct command cmd_bias_def = {
    "bias", run,
    "assay bias DATA --facet COL (--facet-value V... | --facet-threshold T)\n"
    "                --label COL (--label-value V... | --label-threshold T)\n"
    "                [--group COL] [--predicted COL] [--mode clarify|strict]"
    "\n                [--format FMT] [--report FMT=PATH]...",
    "bias metrics (SageMaker Clarify): CI, DPL, KL, JS, LP, TVD, KS, CDDL, "
    "post-training",
    "d is the facet selected by the values (any of them) or by facet > T;\n"
    "a is every other row, including rows whose facet is missing.  Without\n"
    "--facet-value/--facet-threshold there is one report per facet value\n"
    "(one-vs-rest).  A missing label or prediction is negative; rows with a\n"
    "missing group drop out of CDDL/CDDPL.  Definitions: BIAS-METRICS.md.\n"
    "clarify mode reproduces smclarify; strict mode computes KL/JS/LP/TVD/KS\n"
    "on the full support (KL may be Infinity) over the raw label values.\n"
    "FT: Euclidean 5-NN (1-NN when a has at most 9 rows) over the numeric\n"
    "columns other than facet, label and prediction; distance ties go to\n"
    "the row earlier in the file.  Intervals: 95% (Wilson for CI,\n"
    "Newcombe for DPL/DPPL, Katz log for DI); p-values: two-proportion\n"
    "z-test.\n\n"
    "Example:\n"
    "  assay bias adult.csv --facet sex --facet-value Female \\\n"
    "      --label income --label-value '>50K' --group education\n",
    opts, ARRAY_SIZE(opts),
};
