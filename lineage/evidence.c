/* evidence.c -- lineage_evidence(): everything a compliance report
 * (assay report) or an attestation (assay attest) needs about one REF,
 * as one JSON document built in one read transaction (lineage.h has the
 * shape; it is a contract).
 *
 * Scope: a snapshot and what it was derived from; a run, its inputs and
 * their upstream, its models and their deployments; a model or env:NAME,
 * the runs that produced the model and all their upstream.  The graph
 * has stable node ids ("snapshot:<sha256>", "run:<uuid>",
 * "model:<sha256>", "env:<name>"), edges pointing downstream. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lineage.h"
#include "ids.h"
#include "node.h"
#include "store.h"
#include "json.h"
#include "util.h"

/* What is in scope, as row ids (sealed sets). */
struct ev {
    struct store *st;
    struct node target;
    struct ids direct;      /* the target snapshot, or the runs' inputs */
    struct ids snaps;       /* direct and everything upstream of them */
    struct ids runs, models, deps;
    struct json_t *nodes, *edges;
    struct json_t *seen;    /* graph node and edge keys already added */
};

static const char *base_of(const char *path)
{
    const char *s = path != NULL ? strrchr(path, '/') : NULL;

    return s != NULL ? s + 1 : path != NULL ? path : "?";
}

/* ---- the graph ---- */

/* Add a node once; label is printf-formatted.  Returns the node (borrowed)
 * or NULL when it was there already. */
static struct json_t *g_node(struct ev *e, const char *kind, const char *id,
                             const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static struct json_t *g_node(struct ev *e, const char *kind, const char *id,
                             const char *fmt, ...)
{
    struct json_t *o;
    char label[512];
    va_list ap;

    if (j_get(e->seen, id) != NULL)
        return NULL;
    j_set(e->seen, id, j_bool(1));
    va_start(ap, fmt);
    vsnprintf(label, sizeof(label), fmt, ap);
    va_end(ap);
    o = j_obj();
    j_set(o, "id", j_str(id));
    j_set(o, "kind", j_str(kind));
    j_set(o, "label", j_str(label));
    j_push(e->nodes, o);
    return o;
}

/* Add an edge once (the same from, to and label). */
static struct json_t *g_edge(struct ev *e, const char *from, const char *to,
                             const char *label)
{
    struct json_t *o;
    char *key = xasprintf("%s\n%s\n%s", from, to, label);

    if (j_get(e->seen, key) != NULL) {
        free(key);
        return NULL;
    }
    j_set(e->seen, key, j_bool(1));
    free(key);
    o = j_obj();
    j_set(o, "from", j_str(from));
    j_set(o, "to", j_str(to));
    j_set(o, "label", j_str(label));
    j_push(e->edges, o);
    return o;
}

/* ---- scope ---- */

static int scope(struct ev *e, struct assay_err *err)
{
    long long mid = 0;

    switch (e->target.kind) {
    case NODE_SNAPSHOT:
        ids_add(&e->direct, e->target.id);
        break;
    case NODE_RUN:
        ids_add(&e->runs, e->target.id);
        if (ids_query(e->st, &e->models, "SELECT model_id FROM run_models "
                      "WHERE run_id = ?", NULL, e->target.id, err) < 0)
            return -1;
        break;
    case NODE_DEPLOYMENT:
        ids_add(&e->deps, e->target.id);
        if (store_get_int(e->st, err, &mid, "SELECT model_id FROM "
                          "deployments WHERE id = ?", "i",
                          e->target.id) < 0)
            return -1;
        ids_add(&e->models, mid);
        break;
    case NODE_MODEL:
        ids_add(&e->models, e->target.id);
        break;
    }
    ids_seal(&e->models);
    ids_seal(&e->deps);
    if (e->target.kind == NODE_MODEL || e->target.kind == NODE_DEPLOYMENT) {
        if (ids_query(e->st, &e->runs, "SELECT run_id FROM run_models "
                      "WHERE model_id = ?", NULL, e->models.v[0], err) < 0)
            return -1;
    }
    ids_seal(&e->runs);
    if (e->target.kind != NODE_DEPLOYMENT && e->models.n > 0 &&
        ids_query(e->st, &e->deps, "SELECT id FROM deployments WHERE "
                  "model_id IN (SELECT value FROM json_each(?))", &e->models,
                  0, err) < 0)
        return -1;
    if (e->runs.n > 0 &&
        ids_query(e->st, &e->direct, "SELECT snapshot_id FROM run_inputs "
                  "WHERE run_id IN (SELECT value FROM json_each(?))",
                  &e->runs, 0, err) < 0)
        return -1;
    ids_seal(&e->direct);
    return ids_upstream(e->st, &e->snaps, &e->direct, err);
}

/* ---- snapshots ---- */

static const char snap_sql[] =
    "SELECT s.sha256, d.name, "
    " coalesce((SELECT p.path FROM snapshot_paths p WHERE p.snapshot_id = "
    "  s.id ORDER BY p.id DESC LIMIT 1), s.path), "
    " s.bytes, s.rows, s.columns, s.row_digest, s.schema_hash, "
    " coalesce((SELECT p.mtime_ns FROM snapshot_paths p WHERE "
    "  p.snapshot_id = s.id ORDER BY p.id DESC LIMIT 1), s.mtime_ns), "
    " s.created, "
    " EXISTS (SELECT 1 FROM snapshot_paths p WHERE p.snapshot_id = s.id "
    "  AND p.overwrite = 1) "
    "FROM snapshots s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = ?";

static const char check_sql[] =
    "SELECT verdict, checked, tool_version, rules_path, rules_sha256, "
    "results, bias, profile FROM checks WHERE snapshot_id = ? "
    "ORDER BY id DESC LIMIT 1";

/* The keys the columns of the queries here become, in column order
 * (node_cols(), node.h: a column added to a query needs its key in the
 * row and its type letter where the row is read). */
static const char *const snap_keys[] = {
    "sha256", "dataset", "path", "bytes", "rows", "columns", "row_digest",
    "schema_hash", "mtime_ns", "recorded", "overwrite",
};
static const char *const check_keys[] = {
    "verdict", "checked", "tool_version",
};
static const char *const rules_keys[] = { "path", "sha256" };
static const char *const derivation_keys[] = {
    "transform", "code_rev", "recorded",
};
static const char *const input_keys[] = { "sha256", "role", "dataset" };
static const char *const model_keys[] = {
    "sha256", "path", "bytes", "recorded", "run",
};
static const char *const deployment_keys[] = {
    "env", "model", "deployed",
};

/* Push the text of the first column of every row of a one-integer (or
 * integer + text) query onto arr. */
static int texts(struct store *st, struct json_t *arr, const char *sql,
                 long long id, const char *text, struct assay_err *err)
{
    struct store_stmt *q = text != NULL ?
                           store_query(st, err, sql, "is", id, text) :
                           store_query(st, err, sql, "i", id);
    int rc;

    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1)
        j_push(arr, node_col(q, 0, 't'));
    store_done(q);
    return rc;
}

/* The latest check of a snapshot, or null. */
static struct json_t *latest_check(struct store *st, long long sid,
                                   struct assay_err *err)
{
    struct store_stmt *q = store_query(st, err, check_sql, "i", sid);
    struct json_t *c, *rules, *bias;
    int rc;

    if (q == NULL)
        return NULL;
    rc = store_step(q, err);
    if (rc != 1) {
        store_done(q);
        return rc == 0 ? j_null() : NULL;
    }
    c = j_obj();
    node_cols(c, q, 0, check_keys, "ttt");
    rules = j_obj();
    node_cols(rules, q, 3, rules_keys, "tt");
    j_set(c, "rules", rules);
    j_set(c, "results", node_col(q, 5, 'j'));
    bias = node_col(q, 6, 'j');
    j_set(c, "bias", j_is_null(bias) ? j_arr() : bias);
    if (j_is_null(bias))
        j_free(bias);
    j_set(c, "profile", node_col(q, 7, 'j'));
    store_done(q);
    return c;
}

static struct json_t *snapshot(struct ev *e, long long sid, const char *via,
                               const char *runs, struct assay_err *err)
{
    struct store_stmt *q = store_query(e->st, err, snap_sql, "i", sid);
    struct json_t *o = NULL, *paths, *roles, *check, *n;
    char id[80];
    int rc;

    if (q == NULL)
        return NULL;
    rc = store_step(q, err);
    if (rc == 0)
        seterr(err, ASSAY_EINTERNAL, "snapshot %lld vanished", sid);
    if (rc != 1) {
        store_done(q);
        return NULL;
    }
    o = j_obj();
    node_cols(o, q, 0, snap_keys, "tttiiittitb");
    j_set(o, "via", j_str(via));
    store_done(q);
    paths = j_arr();
    roles = j_arr();
    j_set(o, "paths", paths);
    j_set(o, "roles", roles);
    if (texts(e->st, paths, "SELECT path FROM snapshot_paths WHERE "
              "snapshot_id = ? GROUP BY path ORDER BY min(id)", sid, NULL,
              err) < 0 ||
        (runs != NULL &&
         texts(e->st, roles, "SELECT DISTINCT role FROM run_inputs WHERE "
               "snapshot_id = ? AND run_id IN (SELECT value FROM "
               "json_each(?)) ORDER BY role", sid, runs, err) < 0))
        goto fail;
    check = latest_check(e->st, sid, err);
    if (check == NULL)
        goto fail;
    j_set(o, "check", check);
    snprintf(id, sizeof(id), "snapshot:%s", j_string(j_get(o, "sha256")));
    n = g_node(e, "snapshot", id, "%s (%.12s)",
               j_string(j_get(o, "dataset")), j_string(j_get(o, "sha256")));
    if (n != NULL) {
        j_set(n, "sha256", j_ref(j_get(o, "sha256")));
        j_set(n, "verdict", j_is_null(check) ? j_null() :
              j_ref(j_get(check, "verdict")));
    }
    return o;
fail:
    j_free(o);
    return NULL;
}

/* Direct ones first (the target snapshot, or the runs' inputs), then
 * what they were derived from; each group in recording order. */
static struct json_t *snapshots(struct ev *e, struct assay_err *err)
{
    struct json_t *arr = j_arr(), *o;
    char *runs = e->runs.n > 0 ? ids_text(&e->runs) : NULL;
    const char *direct_via = e->target.kind == NODE_SNAPSHOT ? "target" :
                             "input";
    size_t i;
    int pass;

    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < e->snaps.n; i++) {
            int is_direct = ids_has(&e->direct, e->snaps.v[i]);

            if (is_direct != (pass == 0))
                continue;
            o = snapshot(e, e->snaps.v[i], is_direct ? direct_via :
                         "derivation", runs, err);
            if (o == NULL) {
                j_free(arr);
                arr = NULL;
                goto out;
            }
            j_push(arr, o);
        }
out:
    free(runs);
    return arr;
}

/* ---- derivations ---- */

static struct json_t *derivations(struct ev *e, struct assay_err *err)
{
    struct json_t *arr = j_arr();
    struct store_stmt *q, *qi = NULL;
    char *snaps = ids_text(&e->snaps);
    int rc, ri = 0;

    q = store_query(e->st, err, "SELECT d.id, s.sha256, d.transform, "
                    "d.code_rev, d.created FROM derivations d "
                    "JOIN snapshots s ON s.id = d.output_id "
                    "WHERE d.output_id IN (SELECT value FROM json_each(?)) "
                    "ORDER BY d.id", "s", snaps);
    free(snaps);
    if (q == NULL)
        goto fail;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *o = j_obj(), *in = j_arr();
        const char *label = store_isnull(q, 2) ? "derived" :
                            store_text(q, 2);
        char to[80];

        j_set(o, "output", node_col(q, 1, 't'));
        j_set(o, "inputs", in);
        node_cols(o, q, 2, derivation_keys, "ttt");
        j_push(arr, o);
        snprintf(to, sizeof(to), "snapshot:%s", store_text(q, 1));
        qi = store_query(e->st, err, "SELECT s.sha256 FROM "
                         "derivation_inputs di JOIN snapshots s ON "
                         "s.id = di.snapshot_id WHERE di.derivation_id = ? "
                         "ORDER BY di.id", "i", store_int(q, 0));
        if (qi == NULL) {
            rc = -1;
            break;
        }
        while ((ri = store_step(qi, err)) == 1) {
            char from[80];

            j_push(in, j_str(store_text(qi, 0)));
            snprintf(from, sizeof(from), "snapshot:%s", store_text(qi, 0));
            g_edge(e, from, to, label);
        }
        store_done(qi);
        if (ri < 0) {
            rc = -1;
            break;
        }
    }
    store_done(q);
    if (rc == 0)
        return arr;
fail:
    j_free(arr);
    return NULL;
}

/* ---- runs, models, deployments ---- */

static struct json_t *run(struct ev *e, long long rid, struct assay_err *err)
{
    struct node n = { NODE_RUN, rid };
    struct json_t *o = node_json(e->st, &n, err), *in, *models, *gn;
    struct store_stmt *q;
    char id[80];
    int rc;

    if (o == NULL)
        return NULL;
    snprintf(id, sizeof(id), "run:%s", j_string(j_get(o, "id")));
    gn = g_node(e, "run", id, "%s (%s)", j_string(j_get(o, "name")),
                j_string(j_get(o, "status")));
    if (gn != NULL)
        j_set(gn, "status", j_ref(j_get(o, "status")));
    in = j_arr();
    j_set(o, "inputs", in);
    q = store_query(e->st, err, "SELECT s.sha256, ri.role, d.name "
                    "FROM run_inputs ri JOIN snapshots s ON "
                    "s.id = ri.snapshot_id JOIN datasets d ON "
                    "d.id = s.dataset_id WHERE ri.run_id = ? ORDER BY ri.id",
                    "i", rid);
    if (q == NULL)
        goto fail;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *i = j_obj();
        char from[80];

        node_cols(i, q, 0, input_keys, "ttt");
        j_push(in, i);
        snprintf(from, sizeof(from), "snapshot:%s", store_text(q, 0));
        g_edge(e, from, id, store_text(q, 1));
    }
    store_done(q);
    if (rc < 0)
        goto fail;
    models = j_arr();
    j_set(o, "models", models);
    q = store_query(e->st, err, "SELECT m.sha256, m.id FROM run_models rm "
                    "JOIN models m ON m.id = rm.model_id WHERE rm.run_id = ? "
                    "ORDER BY rm.id", "i", rid);
    if (q == NULL)
        goto fail;
    while ((rc = store_step(q, err)) == 1) {
        char to[80];

        j_push(models, node_col(q, 0, 't'));
        if (!ids_has(&e->models, store_int(q, 1)))
            continue;
        snprintf(to, sizeof(to), "model:%s", store_text(q, 0));
        g_edge(e, id, to, "produced");
    }
    store_done(q);
    if (rc < 0)
        goto fail;
    return o;
fail:
    j_free(o);
    return NULL;
}

static const char model_sql[] =
    "SELECT m.sha256, m.path, m.bytes, m.created, "
    " (SELECT r.uuid FROM run_models rm JOIN runs r ON r.id = rm.run_id "
    "  WHERE rm.model_id = m.id ORDER BY rm.id LIMIT 1) "
    "FROM models m WHERE m.id = ?";

static const char deployment_sql[] =
    "SELECT d.env, m.sha256, d.deployed, "
    " d.id = (SELECT max(e.id) FROM deployments e WHERE e.env = d.env) "
    "FROM deployments d JOIN models m ON m.id = d.model_id WHERE d.id = ?";

static struct json_t *model(struct ev *e, long long mid,
                            struct assay_err *err)
{
    struct store_stmt *q = store_query(e->st, err, model_sql, "i", mid);
    struct json_t *o, *n;
    char id[80];
    int rc;

    if (q == NULL)
        return NULL;
    rc = store_step(q, err);
    if (rc != 1) {
        if (rc == 0)
            seterr(err, ASSAY_EINTERNAL, "model %lld vanished", mid);
        store_done(q);
        return NULL;
    }
    o = j_obj();
    node_cols(o, q, 0, model_keys, "ttitt");
    snprintf(id, sizeof(id), "model:%s", store_text(q, 0));
    n = g_node(e, "model", id, "%s (%.12s)", base_of(store_text(q, 1)),
               store_text(q, 0));
    if (n != NULL)
        j_set(n, "sha256", node_col(q, 0, 't'));
    store_done(q);
    return o;
}

static struct json_t *deployment(struct ev *e, long long did,
                                 struct assay_err *err)
{
    struct store_stmt *q = store_query(e->st, err, deployment_sql, "i", did);
    struct json_t *o, *edge;
    char from[80], *to;
    int rc, live;

    if (q == NULL)
        return NULL;
    rc = store_step(q, err);
    if (rc != 1) {
        if (rc == 0)
            seterr(err, ASSAY_EINTERNAL, "deployment %lld vanished", did);
        store_done(q);
        return NULL;
    }
    live = store_int(q, 3) != 0;
    o = j_obj();
    node_cols(o, q, 0, deployment_keys, "ttt");
    j_set(o, "live", j_bool(live));
    to = xasprintf("env:%s", store_text(q, 0));
    snprintf(from, sizeof(from), "model:%s", store_text(q, 1));
    g_node(e, "env", to, "%s", store_text(q, 0));
    edge = g_edge(e, from, to, live ? "deployed (live)" : "deployed");
    if (edge != NULL)
        j_set(edge, "live", j_bool(live));
    free(to);
    store_done(q);
    return o;
}

/* Build one array from the ids in s with fn. */
static struct json_t *list(struct ev *e, const struct ids *s,
                           struct json_t *(*fn)(struct ev *, long long,
                                                struct assay_err *),
                           struct assay_err *err)
{
    struct json_t *arr = j_arr(), *o;
    size_t i;

    for (i = 0; i < s->n; i++) {
        o = fn(e, s->v[i], err);
        if (o == NULL) {
            j_free(arr);
            return NULL;
        }
        j_push(arr, o);
    }
    return arr;
}

/* ---- the document ---- */

static struct json_t *target(struct ev *e, const char *ref,
                             struct assay_err *err)
{
    struct json_t *s = node_json(e->st, &e->target, err), *t;
    const char *kind = node_kind_name(e->target.kind);
    char *nid = NULL;

    if (s == NULL)
        return NULL;
    t = j_obj();
    j_set(t, "kind", j_str(kind));
    j_set(t, "ref", j_str(ref));
    switch (e->target.kind) {
    case NODE_SNAPSHOT:
        j_set(t, "id", j_ref(j_get(s, "sha256")));
        j_set(t, "name", j_ref(j_get(s, "dataset")));
        j_set(t, "path", j_ref(j_get(s, "path")));
        nid = xasprintf("snapshot:%s", j_string(j_get(s, "sha256")));
        break;
    case NODE_RUN:
        j_set(t, "id", j_ref(j_get(s, "id")));
        j_set(t, "name", j_ref(j_get(s, "name")));
        nid = xasprintf("run:%s", j_string(j_get(s, "id")));
        break;
    case NODE_MODEL:
        j_set(t, "id", j_ref(j_get(s, "sha256")));
        j_set(t, "name", j_str(base_of(j_string(j_get(s, "path")))));
        j_set(t, "path", j_ref(j_get(s, "path")));
        nid = xasprintf("model:%s", j_string(j_get(s, "sha256")));
        break;
    case NODE_DEPLOYMENT:
        j_set(t, "id", j_ref(j_get(s, "model")));
        j_set(t, "name", j_ref(j_get(s, "env")));
        j_set(t, "env", j_ref(j_get(s, "env")));
        j_set(t, "path", j_ref(j_get(s, "model_path")));
        nid = xasprintf("env:%s", j_string(j_get(s, "env")));
        break;
    }
    j_set(t, "node", j_str(nid));
    free(nid);
    j_free(s);
    return t;
}

static struct json_t *ledger_head(struct store *st, struct assay_err *err)
{
    struct store_stmt *q = store_query(st, err, "SELECT seq, hash FROM "
                                       "ledger ORDER BY seq DESC LIMIT 1",
                                       "");
    struct json_t *o;
    int rc;

    if (q == NULL)
        return NULL;
    rc = store_step(q, err);
    if (rc < 0) {
        store_done(q);
        return NULL;
    }
    o = j_obj();
    j_set(o, "entries", rc == 1 ? j_int(store_int(q, 0)) : j_int(0));
    j_set(o, "head", rc == 1 ? node_col(q, 1, 't') : j_null());
    store_done(q);
    return o;
}

/* Set doc[key] = v; 0, or -1 when v is NULL (err already set). */
static int put(struct json_t *doc, const char *key, struct json_t *v)
{
    if (v == NULL)
        return -1;
    j_set(doc, key, v);
    return 0;
}

struct json_t *lineage_evidence(const char *db_path, const char *ref,
                                struct assay_err *err)
{
    struct json_t *doc = j_obj(), *graph;
    struct ev e;
    char now[32];
    int ok = 0;

    memset(&e, 0, sizeof(e));
    e.nodes = j_arr();
    e.edges = j_arr();
    e.seen = j_obj();
    e.st = store_open(db_path, STORE_READ, err);
    if (e.st == NULL || store_begin(e.st, err) < 0 ||
        node_resolve(e.st, ref, &e.target, err) < 0 || scope(&e, err) < 0)
        goto out;
    now_rfc3339(now, sizeof(now));
    if (put(doc, "target", target(&e, ref, err)) < 0)
        goto out;
    j_set(doc, "generated", j_str(now));
    /* Nodes are added to the graph as they are listed: snapshots, runs
     * (edges from their inputs, to their models), models, environments. */
    if (put(doc, "snapshots", snapshots(&e, err)) < 0 ||
        put(doc, "derivations", derivations(&e, err)) < 0 ||
        put(doc, "runs", list(&e, &e.runs, run, err)) < 0 ||
        put(doc, "models", list(&e, &e.models, model, err)) < 0 ||
        put(doc, "deployments", list(&e, &e.deps, deployment, err)) < 0)
        goto out;
    graph = j_obj();
    j_set(graph, "nodes", e.nodes);
    j_set(graph, "edges", e.edges);
    e.nodes = e.edges = NULL;
    j_set(doc, "graph", graph);
    if (put(doc, "ledger", ledger_head(e.st, err)) < 0)
        goto out;
    ok = 1;
out:
    store_close(e.st);
    ids_release(&e.direct);
    ids_release(&e.snaps);
    ids_release(&e.runs);
    ids_release(&e.models);
    ids_release(&e.deps);
    j_free(e.nodes);
    j_free(e.edges);
    j_free(e.seen);
    if (!ok) {
        j_free(doc);
        return NULL;
    }
    return doc;
}
