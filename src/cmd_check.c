/* cmd_check.c -- `assay check DATA --rules RULES.yml`: the pre-training
 * gate.  One scan feeds identity, profile, the rules checker and the bias
 * tables; the results become the DESIGN.md JSON document, which every
 * output format is written from, and which is recorded in the lineage
 * database.  Exit code = verdict. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bias.h"
#include "cmd.h"
#include "crypto.h"
#include "identity.h"
#include "json.h"
#include "lineage/lineage.h"
#include "profile.h"
#include "reports/report.h"
#include "rules/rules.h"
#include "scan.h"
#include "util.h"

static const struct opt opts[] = {
    { "rules", 'r', OPT_ARG, "RULES.yml", "rules file (required)" },
    { "format", 'f', OPT_ARG, "FMT", "what goes to stdout: text (default), "
      "json, junit, sarif, github, markdown, codequality, html" },
    { "report", 0, OPT_ARG | OPT_MULTI, "FMT=PATH", "also write FMT to PATH "
      "(repeatable)" },
    { "fail-on", 0, OPT_ARG, "LEVEL", "fail (default): exit 1 on failures; "
      "warn: also on warnings" },
    { "no-record", 0, 0, NULL, "do not record the snapshot and results in "
      "the lineage database" },
    { "samples", 0, OPT_ARG, "N", "failing values kept per check "
      "(default 5)" },
    { "delimiter", 'd', OPT_ARG, "C", "field delimiter (default: ',' or tab "
      "for .tsv); 'tab' or '\\t' for tab" },
    { "threads", 0, OPT_ARG, "N", "worker threads (default: 2 on 2+ cores)" },
    { "max-field-size", 0, OPT_ARG, "BYTES", "largest field accepted "
      "(default 1048576)" },
    { "quiet", 'q', 0, NULL, "no progress or warnings on stderr" },
};

/* Severity ranks: 0 none, 1 info, 2 warn, 3 fail. */
static int severity_rank(const char *s)
{
    if (s == NULL)
        return 3;
    if (strcmp(s, "info") == 0)
        return 1;
    if (strcmp(s, "warn") == 0)
        return 2;
    return 3;
}

static const char *verdict_of(struct json_t *results, int bias_worst)
{
    int worst = bias_worst;
    size_t i;

    for (i = 0; i < j_len(results); i++) {
        struct json_t *r = j_at(results, i);
        const char *st = j_string(j_get(r, "status"));
        int rank;

        if (st == NULL || strcmp(st, "pass") == 0)
            continue;
        rank = severity_rank(j_string(j_get(r, "severity")));
        if (rank > worst)
            worst = rank;
    }
    return worst >= 3 ? "fail" : worst == 2 ? "warn" : "pass";
}

static char *dataset_name(const char *path, const char *declared)
{
    char *copy, *base, *dot;

    if (declared != NULL)
        return xstrdup(declared);
    if (strcmp(path, "-") == 0)
        return xstrdup("stdin");
    copy = xstrdup(path);
    base = xstrdup(basename(copy));
    free(copy);
    dot = strchr(base, '.');
    if (dot != NULL && dot != base)
        *dot = '\0';
    return base;
}

static int parse_delim(const char *s, char *out)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 ||
        strcmp(s, "\t") == 0) {
        *out = '\t';
        return 0;
    }
    if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
        return -1;
    *out = s[0];
    return 0;
}

/* Parse a non-negative integer option; -1 on error. */
static long parse_count(const char *s, long max)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0')
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < 0 || v > max)
        return -1;
    return v;
}

static struct json_t *dataset_json(struct scan *s, struct identity *id,
                                   struct profile *p, const char *name)
{
    const struct scan_info *info = scan_info(s);
    struct json_t *o = j_obj();
    size_t i, n = scan_ncols(s);
    const char **names = xcalloc(n + 1, sizeof(*names));
    const char **types = xcalloc(n + 1, sizeof(*types));
    char schema[65];

    for (i = 0; i < n; i++) {
        names[i] = scan_colname(s, i);
        types[i] = vtype_name(profile_schema_type(p, i));
    }
    identity_schema_hash(names, types, n, schema);
    j_set(o, "path", j_str(scan_path(s)));
    j_set(o, "name", j_str(name));
    j_set(o, "sha256", j_str(info->sha256));
    j_set(o, "bytes", j_int((long long)info->bytes));
    j_set(o, "rows", j_int((long long)info->rows));
    j_set(o, "columns", j_int((long long)n));
    j_set(o, "row_digest", j_str(identity_row_digest(id)));
    j_set(o, "schema_hash", j_str(schema));
    if (info->mtime_ns != 0)
        j_set(o, "mtime_ns", j_int((long long)info->mtime_ns));
    free(names);
    free(types);
    return o;
}

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    struct assay_err err = ASSAY_ERR_INIT;
    struct scan_opts so = SCAN_OPTS_INIT;
    struct rules *rules = NULL;
    struct scan *s = NULL;
    struct identity *id = NULL;
    struct profile *prof = NULL;
    struct checker *chk = NULL;
    struct bias **biases = NULL;
    struct json_t *doc = NULL, *results = NULL, *biasarr = NULL, *o;
    struct profile_opts po;
    const char *fmt, *rules_path, *fail_on, *v;
    const char *const *nulls;
    char rules_sha[65], now[40], *name = NULL;
    size_t nb = 0, nnulls = 0, i;
    long nsamples = 5;
    int rc, quiet, bias_worst = 0;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    rc = EXIT_USAGE;
    quiet = opt_has(&os, "quiet");
    rules_path = opt_get(&os, "rules");
    fmt = opt_get(&os, "format");
    fail_on = opt_get(&os, "fail-on");
    if (fmt == NULL)
        fmt = "text";
    if (os.npos != 1) {
        rc = usage_error(self, os.npos == 0 ? "no data file given" :
                         "one data file at a time");
        goto out;
    }
    if (rules_path == NULL) {
        rc = usage_error(self, "--rules RULES.yml is required "
                         "(try 'assay suggest %s > rules.yml')", os.pos[0]);
        goto out;
    }
    if (!report_known(fmt)) {
        rc = usage_error(self, "unknown format '%s' (%s)", fmt,
                         report_format_list());
        goto out;
    }
    if (fail_on != NULL && strcmp(fail_on, "fail") != 0 &&
        strcmp(fail_on, "warn") != 0) {
        rc = usage_error(self, "--fail-on takes 'fail' or 'warn', not '%s'",
                         fail_on);
        goto out;
    }
    if ((rc = cmd_report_specs_ok(self, &os)) != 0)
        goto out;
    rc = EXIT_USAGE;
    if ((v = opt_get(&os, "samples")) != NULL &&
        (nsamples = parse_count(v, 10000)) < 0) {
        rc = usage_error(self, "--samples takes a number 0..10000");
        goto out;
    }
    if ((v = opt_get(&os, "delimiter")) != NULL &&
        parse_delim(v, &so.delim) < 0) {
        rc = usage_error(self, "--delimiter takes one character or 'tab'");
        goto out;
    }
    if ((v = opt_get(&os, "threads")) != NULL) {
        long t = parse_count(v, 64);

        if (t < 1) {
            rc = usage_error(self, "--threads takes a number 1..64");
            goto out;
        }
        so.threads = (unsigned)t;
    }
    if ((v = opt_get(&os, "max-field-size")) != NULL) {
        long m = parse_count(v, 1L << 30);

        if (m < 1) {
            rc = usage_error(self, "--max-field-size takes a byte count");
            goto out;
        }
        so.max_field = (size_t)m;
    }
    so.progress = !quiet && use_progress();

    /* ---- load, bind ---- */
    rc = EXIT_INPUT;
    rules = rules_load(rules_path, &err);
    if (rules == NULL)
        goto fail;
    if (sha256_file(rules_path, rules_sha, NULL, &err) < 0)
        goto fail;
    s = scan_open(os.pos[0], &so, &err);
    if (s == NULL)
        goto fail;
    nulls = rules_null_values(rules, &nnulls);
    memset(&po, 0, sizeof(po));
    po.null_values = nulls;
    po.nnull_values = nnulls;
    id = identity_new(s);
    prof = profile_new(s, &po);
    chk = checker_new(rules, s, id, (unsigned)nsamples, &err);
    if (chk == NULL)
        goto fail;
    nb = rules_nbias(rules);
    biases = xcalloc(nb + 1, sizeof(*biases));
    for (i = 0; i < nb; i++) {
        biases[i] = bias_new(rules_bias(rules, i), s, &err);
        if (biases[i] == NULL)
            goto fail;
    }
    scan_add_sink(s, identity_sink(id));
    scan_add_sink(s, profile_sink(prof));
    scan_add_sink(s, checker_sink(chk));
    /* one sink for every spec: shared columns are read once a record */
    if (nb > 0 && bias_share(biases, nb) == 0)
        scan_add_sink(s, bias_sink(biases[0]));
    else
        for (i = 0; i < nb; i++)
            scan_add_sink(s, bias_sink(biases[i]));

    /* ---- the pass ---- */
    if (scan_run(s, &err) < 0)
        goto fail;
    if (identity_finish(id, s, (unsigned)nsamples, &err) < 0)
        goto fail;
    if (checker_finish(chk, s, &err) < 0)
        goto fail;

    /* ---- the document ---- */
    name = dataset_name(os.pos[0], rules_dataset(rules));
    doc = j_obj();
    o = j_obj();
    j_set(o, "name", j_str("assay"));
    j_set(o, "version", j_str(ASSAY_VERSION));
    j_set(doc, "tool", o);
    j_set(doc, "dataset", dataset_json(s, id, prof, name));
    o = j_obj();
    j_set(o, "path", j_str(rules_path));
    j_set(o, "sha256", j_str(rules_sha));
    j_set(doc, "rules", o);
    now_rfc3339(now, sizeof(now));
    j_set(doc, "time", j_str(now));
    results = checker_results(chk);
    biasarr = j_arr();
    for (i = 0; i < nb; i++) {
        int worst = 0;
        struct json_t *b = bias_json(biases[i], &worst);
        const char *const *warn = bias_warnings(biases[i]);

        if (worst > bias_worst)
            bias_worst = worst;
        j_push(biasarr, b);
        for (; !quiet && warn != NULL && *warn != NULL; warn++)
            warnx("%s", *warn);
    }
    j_set(doc, "verdict", j_str(verdict_of(results, bias_worst)));
    j_set(doc, "results", j_ref(results));
    j_set(doc, "profile", profile_json(prof));
    j_set(doc, "bias", j_ref(biasarr));

    /* ---- record, then write ---- */
    if (!opt_has(&os, "no-record")) {
        char **warnings = NULL, **w;

        if (lineage_record_check(assay_db_path(), doc, &warnings, &err) < 0)
            goto fail;
        for (w = warnings; !quiet && w != NULL && *w != NULL; w++)
            warnx("%s", *w);
        lineage_free_warnings(warnings);
    }
    if (cmd_write_stdout(fmt, doc, os.pos[0], &err) < 0)
        goto fail;
    rc = cmd_write_reports(&os, doc, os.pos[0], NULL, NULL);
    if (rc != 0)
        goto out;
    v = j_string(j_get(doc, "verdict"));
    rc = strcmp(v, "fail") == 0 ? EXIT_GATE :
         (strcmp(v, "warn") == 0 && fail_on != NULL &&
          strcmp(fail_on, "warn") == 0) ? EXIT_GATE : EXIT_PASS;
    goto out;
fail:
    rc = report_error(&err);
out:
    j_free(results);
    j_free(biasarr);
    j_free(doc);
    free(name);
    for (i = 0; biases != NULL && i < nb; i++)
        bias_free(biases[i]);
    free(biases);
    checker_free(chk);
    profile_free(prof);
    identity_free(id);
    scan_free(s);
    rules_free(rules);
    opt_release(&os);
    return rc;
}

const struct command cmd_check_def = {
    "check", run,
    "assay check DATA --rules RULES.yml [--format FMT] [--report FMT=PATH]..."
    " [--fail-on fail|warn] [--no-record]",
    "run the rules on a dataset: the pre-training gate (exit 1 on failure)",
    "Reads DATA once (CSV or TSV, optionally .gz; '-' for stdin) and runs\n"
    "every check in the rules file, profiles every column, computes the\n"
    "bias metrics the rules ask for, and records the snapshot (SHA-256 of\n"
    "the bytes) with its results in the lineage database.\n"
    "\n"
    "The verdict is the worst failing check's severity: 'fail' exits 1,\n"
    "'warn' exits 0 (1 with --fail-on warn).  Each result carries the\n"
    "failing count, what was checked, the observed value, the limit and\n"
    "samples with their line and record numbers.\n"
    "\n"
    "Examples:\n"
    "  assay check train.csv --rules rules.yml\n"
    "  assay check train.csv --rules rules.yml --format json > result.json\n"
    "  assay check train.csv --rules rules.yml --report junit=junit.xml \\\n"
    "      --report html=report.html --format github\n"
    "  assay suggest train.csv > rules.yml    # a starting point\n",
    opts, ARRAY_SIZE(opts),
};
