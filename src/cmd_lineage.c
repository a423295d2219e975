/* cmd_lineage.c -- `assay lineage SUBCOMMAND`: record and query the
 * lineage graph (lineage/lineage.h does the work).
 *
 * Subcommands are rows of subs[] with their own option tables; this file
 * parses arguments, calls one lineage_*() function (one transaction),
 * prints the JSON it returns (--format json) or renders it as text, and
 * maps errors to exit codes (unknown or ambiguous REF: 3). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "json.h"
#include "util.h"
#include "lineage/lineage.h"

struct sub {
    const char *name;           /* "add", "run start" */
    int (*run)(const struct sub *s, struct optset *os);
    const char *synopsis;
    const char *summary;
    const struct opt *opts;
    size_t nopts;
    size_t min_pos, max_pos;    /* positional arguments allowed */
};

/* ---- helpers ---- */

static int sub_usage(const struct sub *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int sub_usage(const struct sub *s, const char *fmt, ...)
{
    va_list ap;

    fputs("assay: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\nTry 'assay lineage %s --help' for more.\n",
            s->synopsis, s->name);
    return EXIT_USAGE;
}

/* --format text|json; *json set.  Returns 0, or the usage exit code. */
static int output_format(const struct sub *s, const struct optset *os,
                         int *json)
{
    const char *f = opt_get(os, "format");

    *json = 0;
    if (f == NULL || strcmp(f, "text") == 0)
        return 0;
    if (strcmp(f, "json") == 0) {
        *json = 1;
        return 0;
    }
    return sub_usage(s, "unknown format '%s' (text or json)", f);
}

static void print_warnings(char **w)
{
    for (; w != NULL && *w != NULL; w++)
        warnx("%s", *w);
}

static const char *str(const struct json_t *o, const char *key)
{
    const char *v = j_string(j_get(o, key));

    return v != NULL ? v : "-";
}

static void print_json(const struct json_t *doc)
{
    j_write(doc, stdout, J_PRETTY);
}

/* K=V arguments of a repeatable option as a JSON object; numbers become
 * numbers when numeric is set.  NULL after a usage error (printed). */
static struct json_t *pairs(const struct sub *s, const struct optset *os,
                            const char *name, int numeric, int *rc)
{
    struct json_t *o = j_obj();
    size_t i;

    for (i = 0; i < opt_count(os, name); i++) {
        const char *kv = opt_nth(os, name, i), *eq = strchr(kv, '=');
        char *key, *end;
        double d;

        if (eq == NULL || eq == kv) {
            *rc = sub_usage(s, "--%s wants KEY=VALUE, not '%s'", name, kv);
            j_free(o);
            return NULL;
        }
        key = xstrndup(kv, (size_t)(eq - kv));
        d = strtod(eq + 1, &end);
        if (numeric && eq[1] != '\0' && *end == '\0') {
            long long n = strtoll(eq + 1, &end, 10);

            j_set(o, key, *end == '\0' ? j_int(n) : j_num(d));
        } else {
            j_set(o, key, j_str(eq + 1));
        }
        free(key);
    }
    return o;
}

/* Print a recording result: the snapshots it touched. */
static void print_snapshots(const struct json_t *out)
{
    struct json_t *l = j_get(out, "snapshots");
    size_t i;

    for (i = 0; i < j_len(l); i++) {
        struct json_t *s = j_at(l, i);

        printf("%s  %-9s %s  %s\n", j_is_true(j_get(s, "new")) ?
               "recorded" : "known   ",
               j_is_true(j_get(s, "overwrite")) ? "overwrite" : "snapshot",
               str(s, "sha256"), str(s, "path"));
    }
}

/* Finish a recording subcommand: warnings, output, exit code. */
static int recorded(int rc, struct json_t *out, char **warnings, int json,
                    const struct assay_err *err)
{
    print_warnings(warnings);
    lineage_free_warnings(warnings);
    if (rc < 0)
        return report_error(err);
    if (json)
        print_json(out);
    else
        print_snapshots(out);
    j_free(out);
    return EXIT_PASS;
}

/* ---- recording ---- */

static int do_add(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *out = NULL;
    char **warnings = NULL;
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    rc = lineage_add(assay_db_path(), (const char *const *)os->pos, os->npos,
                     opt_get(os, "dataset"), &out, &warnings, &err);
    return recorded(rc, out, warnings, json, &err);
}

static int do_derive(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct lineage_derivation d;
    struct json_t *out = NULL;
    const char **inputs;
    char **warnings = NULL;
    size_t i, n = 0;
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    if (opt_count(os, "from") == 0)
        return sub_usage(s, "no input: give --from INPUT");
    /* --from A B C: the words after the output are inputs too */
    inputs = xcalloc(opt_count(os, "from") + os->npos, sizeof(*inputs));
    for (i = 0; i < opt_count(os, "from"); i++)
        inputs[n++] = opt_nth(os, "from", i);
    for (i = 1; i < os->npos; i++)
        inputs[n++] = os->pos[i];
    memset(&d, 0, sizeof(d));
    d.output = os->pos[0];
    d.inputs = inputs;
    d.ninputs = n;
    d.transform = opt_get(os, "transform");
    d.code_rev = opt_get(os, "code");
    d.dataset = opt_get(os, "dataset");
    rc = lineage_derive(assay_db_path(), &d, &out, &warnings, &err);
    free(inputs);
    return recorded(rc, out, warnings, json, &err);
}

/* PATH[:ROLE]: an existing file wins over a role suffix. */
static void split_role(const char *arg, char **path, const char **role)
{
    const char *c = strrchr(arg, ':');

    *role = NULL;
    if (c != NULL && access(arg, F_OK) != 0 && c[1] != '\0' &&
        strspn(c + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
               "0123456789_-.") == strlen(c + 1)) {
        *path = xstrndup(arg, (size_t)(c - arg));
        *role = c + 1;
    } else {
        *path = xstrdup(arg);
    }
}

static int do_run_start(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct lineage_input *in;
    struct lineage_run r;
    struct json_t *out = NULL, *params;
    char **warnings = NULL, **paths, id[40];
    size_t i, n = opt_count(os, "input");
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    if (opt_get(os, "name") == NULL)
        return sub_usage(s, "a run needs --name NAME");
    if (n == 0)
        return sub_usage(s, "a run needs at least one --input PATH[:ROLE]");
    params = pairs(s, os, "param", 0, &rc);
    if (params == NULL)
        return rc;
    in = xcalloc(n + 1, sizeof(*in));
    paths = xcalloc(n + 1, sizeof(*paths));
    for (i = 0; i < n; i++) {
        split_role(opt_nth(os, "input", i), &paths[i], &in[i].role);
        in[i].path = paths[i];
    }
    memset(&r, 0, sizeof(r));
    r.name = opt_get(os, "name");
    r.inputs = in;
    r.ninputs = n;
    r.params = params;
    r.code_rev = opt_get(os, "code");
    rc = lineage_run_start(assay_db_path(), &r, id, &out, &warnings, &err);
    print_warnings(warnings);
    lineage_free_warnings(warnings);
    for (i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(in);
    j_free(params);
    if (rc < 0)
        return report_error(&err);
    if (json)
        print_json(out);
    else
        printf("%s\n", id);
    j_free(out);
    return EXIT_PASS;
}

static int do_run_finish(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct lineage_finish f;
    struct json_t *out = NULL, *metrics, *models;
    const char **paths;
    char **warnings = NULL;
    size_t i, n = opt_count(os, "model");
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    metrics = pairs(s, os, "metric", 1, &rc);
    if (metrics == NULL)
        return rc;
    paths = xcalloc(n + 1, sizeof(*paths));
    for (i = 0; i < n; i++)
        paths[i] = opt_nth(os, "model", i);
    memset(&f, 0, sizeof(f));
    f.run = os->pos[0];
    f.models = paths;
    f.nmodels = n;
    f.metrics = metrics;
    f.status = opt_get(os, "status");
    rc = lineage_run_finish(assay_db_path(), &f, &out, &warnings, &err);
    print_warnings(warnings);
    lineage_free_warnings(warnings);
    free(paths);
    j_free(metrics);
    if (rc < 0)
        return report_error(&err);
    if (json) {
        print_json(out);
    } else {
        printf("run %s %s\n", os->pos[0], str(out, "status"));
        models = j_get(out, "models");
        for (i = 0; i < j_len(models); i++)
            printf("model  %s  %s\n", str(j_at(models, i), "sha256"),
                   str(j_at(models, i), "path"));
    }
    j_free(out);
    return EXIT_PASS;
}

static int do_deploy(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *out = NULL, *d;
    char **warnings = NULL;
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    if (opt_get(os, "env") == NULL)
        return sub_usage(s, "a deployment needs --env ENV");
    rc = lineage_deploy(assay_db_path(), os->pos[0], opt_get(os, "env"), &out,
                        &warnings, &err);
    print_warnings(warnings);
    lineage_free_warnings(warnings);
    if (rc < 0)
        return report_error(&err);
    d = j_get(out, "deployment");
    if (json)
        print_json(out);
    else
        printf("%s model %s (%s) in %s\n",
               j_is_true(j_get(d, "already_live")) ? "already live:" :
               "deployed", str(d, "sha256"), str(d, "path"), str(d, "env"));
    j_free(out);
    return EXIT_PASS;
}

/* ---- rendering query results as text ---- */

static const char *verdict_of(const struct json_t *o)
{
    const char *v = j_string(j_get(o, "verdict"));

    return v != NULL ? v : "unchecked";
}

static void text_snapshot_line(const struct json_t *s, const char *extra)
{
    printf("  %s  %-16s %-14s %-9s %s\n", str(s, "sha256"),
           str(s, "dataset"), extra, verdict_of(s), str(s, "path"));
}

static void join_strings(const struct json_t *arr, char *out, size_t n)
{
    size_t i, len = 0;

    out[0] = '\0';
    for (i = 0; i < j_len(arr) && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i > 0 ? "," : "",
                                j_string(j_at(arr, i)) ?
                                j_string(j_at(arr, i)) : "");
}

static void text_deployments(const struct json_t *deps)
{
    size_t i;

    for (i = 0; i < j_len(deps); i++) {
        const struct json_t *d = j_at(deps, i);

        printf("  %-12s model %s  deployed %s%s\n", str(d, "env"),
               str(d, "model"), str(d, "deployed"),
               j_is_true(j_get(d, "live")) ? "  (live)" : "");
    }
}

static void text_models(const struct json_t *models)
{
    size_t i;

    for (i = 0; i < j_len(models); i++)
        printf("  %s  %s\n", str(j_at(models, i), "sha256"),
               str(j_at(models, i), "path"));
}

static void text_runs(const struct json_t *runs, const char *key)
{
    size_t i, k;

    for (i = 0; i < j_len(runs); i++) {
        const struct json_t *r = j_at(runs, i), *in = j_get(r, key);

        printf("  %s  %-16s %s", str(r, "id"), str(r, "name"),
               str(r, "status"));
        for (k = 0; k < j_len(in); k++)
            printf("%s%s as %s", k == 0 ? "  uses " : ", ",
                   str(j_at(in, k), "dataset"), str(j_at(in, k), "role"));
        putchar('\n');
    }
}

static void text_target(const char *what, const struct json_t *doc)
{
    const struct json_t *t = j_get(doc, "target");
    const char *kind = str(t, "kind");

    if (strcmp(kind, "run") == 0)
        printf("%s run %s (%s)\n", what, str(t, "id"), str(t, "name"));
    else if (strcmp(kind, "deployment") == 0)
        printf("%s %s: model %s\n", what, str(t, "env"), str(t, "model"));
    else
        printf("%s %s %s (%s)\n", what, kind, str(t, "sha256"),
               strcmp(kind, "snapshot") == 0 ? str(t, "dataset") :
               str(t, "path"));
}

static void text_upstream(const struct json_t *doc)
{
    const struct json_t *snaps = j_get(doc, "snapshots");
    size_t i;

    text_target("upstream of", doc);
    if (j_len(j_get(doc, "deployments")) > 0) {
        printf("deployment:\n");
        text_deployments(j_get(doc, "deployments"));
    }
    if (j_len(j_get(doc, "models")) > 0) {
        printf("models (%zu):\n", j_len(j_get(doc, "models")));
        text_models(j_get(doc, "models"));
    }
    if (j_len(j_get(doc, "runs")) > 0) {
        printf("runs (%zu):\n", j_len(j_get(doc, "runs")));
        text_runs(j_get(doc, "runs"), "inputs");
    }
    printf("snapshots (%zu):\n", j_len(snaps));
    for (i = 0; i < j_len(snaps); i++) {
        const struct json_t *s = j_at(snaps, i);
        char roles[128];

        join_strings(j_get(s, "roles"), roles, sizeof(roles));
        text_snapshot_line(s, *roles ? roles : "(derivation)");
    }
}

static void text_downstream_lists(const struct json_t *doc)
{
    const struct json_t *snaps = j_get(doc, "snapshots");
    size_t i;

    printf("derived snapshots (%zu):\n", j_len(snaps));
    for (i = 0; i < j_len(snaps); i++)
        text_snapshot_line(j_at(snaps, i), "");
    printf("runs (%zu):\n", j_len(j_get(doc, "runs")));
    text_runs(j_get(doc, "runs"), "uses");
    printf("models (%zu):\n", j_len(j_get(doc, "models")));
    text_models(j_get(doc, "models"));
    printf("deployments (%zu):\n", j_len(j_get(doc, "deployments")));
    text_deployments(j_get(doc, "deployments"));
}

static void text_downstream(const struct json_t *doc)
{
    text_target("downstream of", doc);
    text_downstream_lists(doc);
}

static void text_impact(const struct json_t *doc)
{
    const struct json_t *checks = j_get(doc, "checks"), *last;
    const struct json_t *live = j_get(doc, "live");
    const struct json_t *down = j_get(doc, "downstream");

    text_target("impact of", doc);
    if (j_len(checks) == 0) {
        printf("checks: never checked\n");
    } else {
        last = j_at(checks, j_len(checks) - 1);
        printf("checks: %s (latest of %zu, %s, rules sha256 %s): %s\n",
               str(last, "verdict"), j_len(checks), str(last, "checked"),
               str(last, "rules_sha256"),
               j_is_true(j_get(doc, "checks_passed")) ? "passed" :
               "FAILED");
    }
    if (j_len(live) == 0) {
        printf("no live deployment rests on it\n");
    } else {
        printf("live deployments resting on it (%zu):\n", j_len(live));
        text_deployments(live);
    }
    printf("downstream: %zu derived snapshots, %zu runs, %zu models, "
           "%zu deployments\n", j_len(j_get(down, "snapshots")),
           j_len(j_get(down, "runs")), j_len(j_get(down, "models")),
           j_len(j_get(down, "deployments")));
}

/* How show prints its lists: one line per element, these fields in
 * order (text as is, true booleans as the field name, arrays joined).
 * How to add a list: a row here. */
static const struct list_fmt {
    const char *key;
    const char *fields[5];
} list_fmts[] = {
    { "paths", { "seen", "path", "overwrite", "previous" } },
    { "checks", { "checked", "verdict", "rules_path", "rules_sha256" } },
    { "produced_by", { "recorded", "transform", "code_rev", "inputs" } },
    { "derivations", { "recorded", "output", "transform", "code_rev" } },
    { "inputs", { "role", "sha256", "dataset", "path" } },
    { "models", { "sha256", "path" } },
    { "runs", { "id", "name", "status", "role" } },
    { "deployments", { "env", "deployed", "live" } },
    { "history", { "deployed", "model", "path" } },
};

static void text_field(const char *name, struct json_t *v)
{
    char joined[512];

    if (v == NULL || j_is_null(v))
        return;
    if (j_string(v) != NULL) {
        printf("  %s", j_string(v));
    } else if (j_is_array(v)) {
        join_strings(v, joined, sizeof(joined));
        printf("  %s", joined);
    } else if (j_is_number(v)) {
        printf("  %lld", j_integer(v));
    } else if (j_is_true(v)) {
        printf("  %s", name);
    }
}

static void text_list(const char *title, const struct json_t *arr)
{
    size_t i, k, f;

    for (f = 0; f < ARRAY_SIZE(list_fmts); f++)
        if (strcmp(list_fmts[f].key, title) == 0)
            break;
    printf("%s (%zu):\n", title, j_len(arr));
    for (i = 0; i < j_len(arr) && f < ARRAY_SIZE(list_fmts); i++) {
        for (k = 0; k < 5 && list_fmts[f].fields[k] != NULL; k++)
            text_field(list_fmts[f].fields[k],
                       j_get(j_at(arr, i), list_fmts[f].fields[k]));
        putchar('\n');
    }
}

/* show: the summary as "key value" lines, then the lists. */
static void text_show(const struct json_t *doc)
{
    struct json_t *d = (struct json_t *)doc, *model = j_get(doc, "model");
    struct json_t *used = j_get(doc, "used_by");
    void *it;

    for (it = j_iter(d); it != NULL; it = j_iter_next(d, it)) {
        struct json_t *v = j_iter_value(it);
        char *t;

        if (j_is_null(v) || j_is_array(v) || j_is_object(v))
            continue;
        t = j_string(v) != NULL ? xstrdup(j_string(v)) : j_dump(v, J_CANON);
        printf("%-12s %s\n", j_iter_key(it), t);
        free(t);
    }
    for (it = j_iter(d); it != NULL; it = j_iter_next(d, it))
        if (j_is_object(j_iter_value(it)) &&
            strcmp(j_iter_key(it), "used_by") != 0 &&
            strcmp(j_iter_key(it), "model") != 0) {
            char *t = j_dump(j_iter_value(it), J_CANON);

            printf("%-12s %s\n", j_iter_key(it), t);
            free(t);
        }
    if (model != NULL)
        printf("%-12s %s  %s\n", "model", str(model, "sha256"),
               str(model, "path"));
    for (it = j_iter(d); it != NULL; it = j_iter_next(d, it))
        if (j_is_array(j_iter_value(it)))
            text_list(j_iter_key(it), j_iter_value(it));
    if (used != NULL) {
        printf("used by:\n");
        text_list("derivations", j_get(used, "derivations"));
        text_list("runs", j_get(used, "runs"));
    }
}

/* ---- queries ---- */

/* How to add a REF query: a lineage_*() returning JSON, a text renderer,
 * a row here and a row in subs[]. */
static const struct query {
    const char *name;
    struct json_t *(*fn)(const char *db, const char *ref,
                         struct assay_err *err);
    void (*text)(const struct json_t *doc);
} queries[] = {
    { "show", lineage_show, text_show },
    { "upstream", lineage_upstream, text_upstream },
    { "downstream", lineage_downstream, text_downstream },
    { "impact", lineage_impact, text_impact },
    { "evidence", lineage_evidence, print_json },
};

static int do_query(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc;
    size_t i;
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    for (i = 0; i < ARRAY_SIZE(queries); i++)
        if (strcmp(queries[i].name, s->name) == 0)
            break;
    if (i == ARRAY_SIZE(queries))
        return EXIT_INTERNAL;
    doc = queries[i].fn(assay_db_path(), os->pos[0], &err);
    if (doc == NULL)
        return report_error(&err);
    if (json)
        print_json(doc);
    else
        queries[i].text(doc);
    j_free(doc);
    return EXIT_PASS;
}

static int do_log(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *log;
    size_t i;
    int json, rc;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    log = lineage_log(assay_db_path(), &err);
    if (log == NULL)
        return report_error(&err);
    if (json) {
        print_json(log);
    } else {
        for (i = 0; i < j_len(log); i++) {
            const struct json_t *e = j_at(log, i);

            printf("%4lld  %s  %-12s %.16s  %s\n",
                   j_integer(j_get(e, "seq")), str(e, "ts"), str(e, "kind"),
                   str(e, "hash"), str(e, "summary"));
        }
    }
    j_free(log);
    return EXIT_PASS;
}

static void text_verify(const struct json_t *doc)
{
    const struct json_t *paths = j_get(doc, "paths");
    const struct json_t *ledger = j_get(doc, "ledger");
    const struct json_t *l, *p = j_get(ledger, "problem");
    const char *db = str(doc, "database");
    size_t i;

    l = j_get(paths, "changed");
    for (i = 0; i < j_len(l); i++)
        printf("changed  %s  (%s recorded %s, now %s)\n",
               str(j_at(l, i), "path"), str(j_at(l, i), "kind"),
               str(j_at(l, i), "recorded"), str(j_at(l, i), "now"));
    l = j_get(paths, "missing");
    for (i = 0; i < j_len(l); i++)
        printf("missing  %s  (%s recorded %s: %s)\n",
               str(j_at(l, i), "path"), str(j_at(l, i), "kind"),
               str(j_at(l, i), "recorded"), str(j_at(l, i), "error"));
    if (strcmp(db, "ok") != 0)
        printf("database  %s\n", db);
    if (p != NULL && !j_is_null(p))
        printf("ledger   %s\n", str(p, "message"));
    if (j_is_true(j_get(doc, "ok")))
        printf("ok: %lld ledger entries (head %s), %lld paths checked%s\n",
               j_integer(j_get(ledger, "entries")),
               str(j_get(ledger, "head"), "hash"),
               j_integer(j_get(paths, "checked")),
               j_is_true(j_get(paths, "full")) ? " (full re-hash)" : "");
    else
        printf("FAILED: %zu changed and %zu missing of %lld paths; "
               "ledger %s\n", j_len(j_get(paths, "changed")),
               j_len(j_get(paths, "missing")),
               j_integer(j_get(paths, "checked")),
               j_is_true(j_get(ledger, "ok")) ? "intact" :
               "does not match (see above)");
}

static int do_verify(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc;
    int json, rc, ok = 0;

    rc = output_format(s, os, &json);
    if (rc != 0)
        return rc;
    doc = lineage_verify(assay_db_path(), opt_has(os, "full"), &ok, &err);
    if (doc == NULL)
        return report_error(&err);
    if (json)
        print_json(doc);
    else
        text_verify(doc);
    j_free(doc);
    return ok ? EXIT_PASS : EXIT_GATE;
}

static int do_export(const struct sub *s, struct optset *os)
{
    struct assay_err err = ASSAY_ERR_INIT;
    const char *f = opt_get(os, "format");
    char *text;

    if (f == NULL)
        return sub_usage(s, "which format? --format openlineage, prov, dot "
                         "or mermaid");
    text = lineage_export(assay_db_path(), f, ASSAY_VERSION, &err);
    if (text == NULL)
        return err.status == ASSAY_EUSAGE ? sub_usage(s, "%s", err.msg) :
               report_error(&err);
    fputs(text, stdout);
    free(text);
    return EXIT_PASS;
}

/* ---- the table ---- */

#define FORMAT_OPT { "format", 'f', OPT_ARG, "FMT", "text (default) or json" }

static const struct opt add_opts[] = {
    { "dataset", 'd', OPT_ARG, "NAME", "dataset name (default: file name)" },
    FORMAT_OPT,
};
static const struct opt derive_opts[] = {
    { "from", 0, OPT_ARG | OPT_MULTI, "INPUT", "an input (repeatable; more "
      "inputs may follow)" },
    { "transform", 't', OPT_ARG, "TEXT", "what was done (free text)" },
    { "code", 0, OPT_ARG, "REV", "code revision (e.g. git commit)" },
    { "dataset", 'd', OPT_ARG, "NAME", "output dataset name" },
    FORMAT_OPT,
};
static const struct opt start_opts[] = {
    { "name", 'n', OPT_ARG, "NAME", "run name (required)" },
    { "input", 'i', OPT_ARG | OPT_MULTI, "PATH[:ROLE]", "an input and its "
      "role: train, validation, test ... (repeatable)" },
    { "param", 'p', OPT_ARG | OPT_MULTI, "K=V", "a parameter (repeatable)" },
    { "code", 0, OPT_ARG, "REV", "code revision" },
    FORMAT_OPT,
};
static const struct opt finish_opts[] = {
    { "model", 'm', OPT_ARG | OPT_MULTI, "PATH", "a model artifact the run "
      "produced (hashed; repeatable)" },
    { "metric", 0, OPT_ARG | OPT_MULTI, "K=V", "a metric (repeatable)" },
    { "status", 0, OPT_ARG, "S", "succeeded (default) or failed" },
    FORMAT_OPT,
};
static const struct opt deploy_opts[] = {
    { "env", 'e', OPT_ARG, "ENV", "environment (required)" },
    FORMAT_OPT,
};
static const struct opt query_opts[] = { FORMAT_OPT };
static const struct opt verify_opts[] = {
    { "full", 0, 0, NULL, "re-hash every file (default: size and mtime "
      "first)" },
    FORMAT_OPT,
};
static const struct opt export_opts[] = {
    { "format", 'f', OPT_ARG, "FMT", "openlineage (JSON lines), prov "
      "(PROV-JSON), dot or mermaid" },
};

#define OPTS(a) a, ARRAY_SIZE(a)
#define MANY ((size_t)-1)

/* How to add a subcommand: a do_NAME() above, a row here (and a line in
 * the description below). */
static const struct sub subs[] = {
    { "add", do_add, "assay lineage add PATH... [--dataset NAME]",
      "record files as snapshots", OPTS(add_opts), 1, MANY },
    { "derive", do_derive, "assay lineage derive OUTPUT --from INPUT... "
      "[--transform TEXT] [--code REV]", "record OUTPUT as derived from "
      "INPUTs", OPTS(derive_opts), 1, MANY },
    { "run start", do_run_start, "assay lineage run start --name NAME "
      "--input PATH[:ROLE]... [--param K=V]... [--code REV]",
      "start a training run; prints its id", OPTS(start_opts), 0, 0 },
    { "run finish", do_run_finish, "assay lineage run finish RUN "
      "[--model PATH]... [--metric K=V]... [--status succeeded|failed]",
      "finish a run and record its models", OPTS(finish_opts), 1, 1 },
    { "deploy", do_deploy, "assay lineage deploy MODEL_PATH --env ENV",
      "record a model deployed to an environment", OPTS(deploy_opts), 1, 1 },
    { "show", do_query, "assay lineage show REF [--format text|json]",
      "everything recorded about REF", OPTS(query_opts), 1, 1 },
    { "upstream", do_query, "assay lineage upstream REF [--format F]",
      "every snapshot, run and model REF rests on", OPTS(query_opts), 1, 1 },
    { "downstream", do_query, "assay lineage downstream REF [--format F]",
      "derived snapshots, runs, models, deployments", OPTS(query_opts), 1,
      1 },
    { "impact", do_query, "assay lineage impact SNAPSHOT [--format F]",
      "live deployments resting on a snapshot, and its checks",
      OPTS(query_opts), 1, 1 },
    { "evidence", do_query, "assay lineage evidence REF",
      "everything `assay report` and `assay attest` use about REF (JSON)",
      OPTS(query_opts), 1, 1 },
    { "log", do_log, "assay lineage log [--format text|json]",
      "the ledger, oldest first", OPTS(query_opts), 0, 0 },
    { "verify", do_verify, "assay lineage verify [--full] [--format F]",
      "files still match; ledger and tables intact (exit 1 if not)",
      OPTS(verify_opts), 0, 0 },
    { "export", do_export, "assay lineage export --format "
      "openlineage|prov|dot|mermaid", "the graph in a standard format",
      OPTS(export_opts), 0, 0 },
};

static void sub_help(const struct sub *s)
{
    printf("usage: %s\n\n%s\n\nOptions:\n", s->synopsis, s->summary);
    opt_print_help(stdout, s->opts, s->nopts);
}

static int run(const struct command *self, int argc, char **argv)
{
    struct assay_err err = ASSAY_ERR_INIT;
    const struct sub *current;
    struct optset os;
    char name[32];
    size_t i;
    int words = 1, rc;

    if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        cmd_print_help(self, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_PASS;
    }
    snprintf(name, sizeof(name), "%s", argv[1]);
    if (strcmp(argv[1], "run") == 0 && argc > 2 && argv[2][0] != '-') {
        snprintf(name, sizeof(name), "run %s", argv[2]);
        words = 2;
    }
    for (i = 0; i < ARRAY_SIZE(subs); i++)
        if (strcmp(subs[i].name, name) == 0)
            break;
    if (i == ARRAY_SIZE(subs))
        return usage_error(self, "unknown lineage subcommand '%s'", name);
    current = &subs[i];
    if (opt_parse(&os, current->opts, current->nopts, argc, argv, 1 + words,
                  &err) < 0) {
        opt_release(&os);
        return sub_usage(current, "%s", err.msg);
    }
    if (os.help) {
        sub_help(current);
        rc = EXIT_PASS;
    } else if (os.npos < current->min_pos) {
        rc = sub_usage(current, "missing argument");
    } else if (os.npos > current->max_pos) {
        rc = sub_usage(current, "unexpected argument '%s'",
                       os.pos[current->max_pos]);
    } else {
        rc = current->run(current, &os);
    }
    opt_release(&os);
    return rc;
}

const struct command cmd_lineage_def = {
    "lineage", run, "assay lineage SUBCOMMAND [ARGS]",
    "record and query the lineage graph (data -> runs -> models)",
    "Subcommands:\n"
    "  add PATH... [--dataset NAME]        record files as snapshots\n"
    "  derive OUTPUT --from INPUT... [--transform TEXT] [--code REV]\n"
    "  run start --name NAME --input PATH[:ROLE]... [--param K=V]... "
    "[--code REV]\n"
    "                                      prints the run id\n"
    "  run finish RUN [--model PATH]... [--metric K=V]... "
    "[--status succeeded|failed]\n"
    "  deploy MODEL_PATH --env ENV\n"
    "  show REF | upstream REF | downstream REF | impact SNAPSHOT\n"
    "  evidence REF                        what report and attest use (JSON)\n"
    "  log | verify [--full] | export --format openlineage|prov|dot|mermaid\n"
    "\n"
    "REF: a sha256 or a unique prefix of at least 8 hex digits, a path, a\n"
    "run id or name, a model path, or env:NAME (the model live there).\n"
    "Queries take --format text|json.  An unknown or ambiguous REF exits 3;\n"
    "verify exits 1 when a file or the record does not match.\n"
    "\n"
    "Examples:\n"
    "  assay lineage add raw.csv\n"
    "  assay lineage derive train.csv --from raw.csv --transform 'split 80%'\n"
    "  RUN=$(assay lineage run start --name churn --input train.csv:train)\n"
    "  assay lineage run finish \"$RUN\" --model model.bin --metric auc=0.91\n"
    "  assay lineage deploy model.bin --env production\n"
    "  assay lineage upstream env:production\n"
    "  assay lineage verify --full\n",
    NULL, 0,
};
