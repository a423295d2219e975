/* node.c -- references to lineage nodes and their JSON summaries.
 *
 * Resolves what a user types (hash prefix, path, run id or name,
 * env:NAME) to one row, refusing ambiguity, and builds the summary
 * objects every query and export prints.  Read-only; runs inside the
 * caller's transaction. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "node.h"
#include "store.h"
#include "json.h"
#include "util.h"

#define MAX_MATCHES 8

static const char *const kind_names[] = {
    [NODE_SNAPSHOT] = "snapshot",
    [NODE_RUN] = "run",
    [NODE_MODEL] = "model",
    [NODE_DEPLOYMENT] = "deployment",
};

const char *node_kind_name(enum node_kind k)
{
    return (unsigned)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "?";
}

char *node_abs_path(const char *path)
{
    char *r = realpath(path, NULL), *dir, *slash, *out;
    const char *base;
    char cwd[PATH_MAX];

    if (r != NULL)
        return r;
    dir = xstrdup(path);
    slash = strrchr(dir, '/');
    if (slash != NULL) {
        *slash = '\0';
        base = path + (slash - dir) + 1;
        r = realpath(slash == dir ? "/" : dir, NULL);
    } else {
        base = path;
        r = realpath(".", NULL);
    }
    free(dir);
    if (r != NULL) {
        out = xasprintf("%s%s%s", r, strcmp(r, "/") == 0 ? "" : "/", base);
        free(r);
        return out;
    }
    if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
        return xstrdup(path);
    return xasprintf("%s/%s", cwd, path);
}

/* ---- resolving ---- */

struct matches {
    struct node n[MAX_MATCHES];
    size_t len;
};

static void add_match(struct matches *m, enum node_kind k, long long id)
{
    size_t i;

    for (i = 0; i < m->len; i++)
        if (m->n[i].kind == k && m->n[i].id == id)
            return;
    if (m->len < MAX_MATCHES) {
        m->n[m->len].kind = k;
        m->n[m->len].id = id;
        m->len++;
    }
}

/* Add the ids a query returns (bound by fmt/args) as nodes of kind k. */
static int collect(struct store *st, struct matches *m, enum node_kind k,
                   struct assay_err *err, const char *sql, const char *a,
                   const char *b)
{
    struct store_stmt *q;
    int rc;

    q = b != NULL ? store_query(st, err, sql, "ss", a, b) :
        store_query(st, err, sql, "s", a);
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1)
        add_match(m, k, store_int(q, 0));
    store_done(q);
    return rc;
}

static int all_of(const char *s, const char *set)
{
    return *s != '\0' && strspn(s, set) == strlen(s);
}

static int resolve_env(struct store *st, const char *env, struct node *out,
                       struct assay_err *err)
{
    long long id = 0;
    int rc = store_get_int(st, err, &id, "SELECT max(id) FROM deployments "
                           "WHERE env = ?", "s", env);

    if (rc < 0)
        return -1;
    if (rc == 0)
        return seterr(err, ASSAY_EREF, "unknown reference 'env:%s': no "
                      "model has been deployed to '%s'", env, env);
    out->kind = NODE_DEPLOYMENT;
    out->id = id;
    return 0;
}

/* One line per match, for the ambiguity message. */
static void describe(struct store *st, const struct node *n, char *out,
                     size_t len)
{
    struct assay_err e = ASSAY_ERR_INIT;
    struct json_t *j = node_json(st, n, &e);
    const char *key = n->kind == NODE_RUN ? "id" : "sha256";
    const char *what = n->kind == NODE_SNAPSHOT ? "dataset" :
                       n->kind == NODE_RUN ? "name" : "path";

    snprintf(out, len, "%s %s (%s)", node_kind_name(n->kind),
             j_string(j_get(j, key)) ? j_string(j_get(j, key)) : "?",
             j_string(j_get(j, what)) ? j_string(j_get(j, what)) : "?");
    j_free(j);
}

int node_resolve(struct store *st, const char *ref, struct node *out,
                 struct assay_err *err)
{
    struct matches m = { .len = 0 };
    const char *h = ref;
    char *low = NULL, *hi = NULL, *abs = NULL;
    size_t i, n;
    int rc = -1;

    if (strncmp(ref, "env:", 4) == 0)
        return resolve_env(st, ref + 4, out, err);
    if (strncmp(h, "sha256:", 7) == 0)
        h += 7;
    low = xstrdup(h);
    for (i = 0; low[i] != '\0'; i++)
        low[i] = (char)tolower((unsigned char)low[i]);
    n = strlen(low);
    hi = xasprintf("%sg", low);     /* every hex continuation sorts below */
    if (n >= 8 && n <= 64 && all_of(low, "0123456789abcdef") &&
        (collect(st, &m, NODE_SNAPSHOT, err, "SELECT id FROM snapshots "
                 "WHERE sha256 >= ? AND sha256 < ? LIMIT 8", low, hi) < 0 ||
         collect(st, &m, NODE_MODEL, err, "SELECT id FROM models "
                 "WHERE sha256 >= ? AND sha256 < ? LIMIT 8", low, hi) < 0))
        goto out;
    if (n >= 8 && all_of(low, "0123456789abcdef-") &&
        collect(st, &m, NODE_RUN, err, "SELECT id FROM runs WHERE uuid >= ? "
                "AND uuid < ? LIMIT 8", low, hi) < 0)
        goto out;
    if (collect(st, &m, NODE_RUN, err, "SELECT id FROM runs WHERE name = ? "
                "LIMIT 8", ref, NULL) < 0)
        goto out;
    abs = node_abs_path(ref);
    if (collect(st, &m, NODE_SNAPSHOT, err, "SELECT snapshot_id FROM "
                "snapshot_paths WHERE path = ? ORDER BY id DESC LIMIT 1",
                abs, NULL) < 0 ||
        collect(st, &m, NODE_MODEL, err, "SELECT id FROM models WHERE "
                "path = ? ORDER BY id DESC LIMIT 1", abs, NULL) < 0)
        goto out;
    if (m.len == 1) {
        *out = m.n[0];
        rc = 0;
    } else if (m.len == 0) {
        seterr(err, ASSAY_EREF, "unknown reference '%s': no snapshot, "
               "model, run or recorded path matches%s", ref,
               n < 8 && all_of(low, "0123456789abcdef") ?
               " (a hash prefix needs at least 8 hex digits)" : "");
    } else {
        struct buf b = BUF_INIT;
        char line[256];

        for (i = 0; i < m.len; i++) {
            describe(st, &m.n[i], line, sizeof(line));
            buf_printf(&b, "%s%s", i > 0 ? "; " : "", line);
        }
        seterr(err, ASSAY_EREF, "ambiguous reference '%s' matches %s%s",
               ref, buf_cstr(&b), m.len == MAX_MATCHES ? "; ..." : "");
        buf_release(&b);
    }
out:
    free(low);
    free(hi);
    free(abs);
    return rc;
}

/* ---- summaries ---- */

struct json_t *node_col(struct store_stmt *q, int c, char type)
{
    const char *t;
    struct json_t *v;

    switch (type) {
    case 'i':
        return store_isnull(q, c) ? j_null() : j_int(store_int(q, c));
    case 'b':
        return j_bool(store_int(q, c) != 0);
    case 'j':
        t = store_text(q, c);
        if (t == NULL)
            return j_null();
        v = j_loads(t, strlen(t), "lineage", NULL);
        return v != NULL ? v : j_str(t);
    default:
        return store_isnull(q, c) ? j_null() : j_str(store_text(q, c));
    }
}

void node_cols(struct json_t *o, struct store_stmt *q, int first,
               const char *const *keys, const char *types)
{
    size_t i;

    for (i = 0; types[i] != '\0'; i++)
        j_set(o, keys[i], node_col(q, first + (int)i, types[i]));
}

static const char snapshot_sql[] =
    "SELECT s.sha256, d.name, coalesce((SELECT p.path FROM snapshot_paths p "
    "WHERE p.snapshot_id = s.id ORDER BY p.id DESC LIMIT 1), s.path), "
    "s.bytes, s.rows, s.columns, s.row_digest, s.schema_hash, s.created, "
    "(SELECT c.verdict FROM checks c WHERE c.snapshot_id = s.id "
    "ORDER BY c.id DESC LIMIT 1) "
    "FROM snapshots s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = ?";

static const char run_sql[] =
    "SELECT r.uuid, r.name, coalesce(f.status, 'running'), r.started, "
    "f.finished, r.code_rev, r.params, f.metrics "
    "FROM runs r LEFT JOIN run_finishes f ON f.run_id = r.id WHERE r.id = ?";

static const char model_sql[] =
    "SELECT sha256, path, bytes, created FROM models WHERE id = ?";

static const char deployment_sql[] =
    "SELECT d.env, d.deployed, d.id = (SELECT max(e.id) FROM deployments e "
    "WHERE e.env = d.env), m.sha256, m.path "
    "FROM deployments d JOIN models m ON m.id = d.model_id WHERE d.id = ?";

/* How to add a node kind: a summary query above, a row here (column i
 * of the query becomes key i; 't' text, 'i' integer, 'j' JSON text,
 * 'b' boolean), and a table in the resolver. */
static const struct summary {
    const char *sql;
    const char *keys[10];
    const char *types;
} summaries[] = {
    [NODE_SNAPSHOT] = { snapshot_sql,
        { "sha256", "dataset", "path", "bytes", "rows", "columns",
          "row_digest", "schema_hash", "recorded", "verdict" },
        "tttiiitttt" },
    [NODE_RUN] = { run_sql,
        { "id", "name", "status", "started", "finished", "code_rev",
          "params", "metrics" },
        "ttttttjj" },
    [NODE_MODEL] = { model_sql,
        { "sha256", "path", "bytes", "recorded" }, "ttit" },
    [NODE_DEPLOYMENT] = { deployment_sql,
        { "env", "deployed", "live", "model", "model_path" }, "ttbtt" },
};

struct json_t *node_json(struct store *st, const struct node *n,
                         struct assay_err *err)
{
    const struct summary *s = &summaries[n->kind];
    struct store_stmt *q;
    struct json_t *o = NULL;
    int rc;

    q = store_query(st, err, s->sql, "i", n->id);
    if (q == NULL)
        return NULL;
    rc = store_step(q, err);
    if (rc == 0)
        seterr(err, ASSAY_EREF, "%s %lld is not in the lineage database",
               node_kind_name(n->kind), n->id);
    if (rc != 1)
        goto out;
    o = j_obj();
    j_set(o, "kind", j_str(node_kind_name(n->kind)));
    node_cols(o, q, 0, s->keys, s->types);
out:
    store_done(q);
    return o;
}

struct json_t *node_checks(struct store *st, long long snapshot_id,
                           int full, struct assay_err *err)
{
    static const char *const check_keys[] = {
        "verdict", "checked", "rules_path", "rules_sha256", "tool_version",
        "results", "bias", "profile",
    };
    struct store_stmt *q;
    struct json_t *list = j_arr();
    int rc;

    q = store_query(st, err, "SELECT verdict, checked, rules_path, "
                    "rules_sha256, tool_version, results, bias, profile "
                    "FROM checks "
                    "WHERE snapshot_id = ? ORDER BY id", "i", snapshot_id);
    if (q == NULL)
        goto fail;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *c = j_obj();

        node_cols(c, q, 0, check_keys, full ? "tttttjjj" : "ttttt");
        j_push(list, c);
    }
    store_done(q);
    if (rc == 0)
        return list;
fail:
    j_free(list);
    return NULL;
}
