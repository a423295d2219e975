/* graph.c -- the audit queries: show, upstream, downstream, impact, log.
 *
 * Each query is one read transaction.  Walks through derivations are
 * recursive CTEs seeded with a JSON array of ids (ids.c), so the work is
 * proportional to the answer, not to the graph: every step is an index
 * search (schema.sql, migration 2).  Results are JSON documents;
 * src/cmd_lineage.c renders them as text. */
#include <stdlib.h>
#include <string.h>
#include "lineage.h"
#include "ids.h"
#include "node.h"
#include "store.h"
#include "json.h"
#include "util.h"

/* ---- opening ---- */

static struct store *open_read(const char *db_path, struct assay_err *err)
{
    struct store *st = store_open(db_path, STORE_READ, err);

    if (st != NULL && store_begin(st, err) < 0) {
        store_close(st);
        return NULL;
    }
    return st;
}

/* Open, resolve ref, and put its summary in doc["target"]. */
static struct store *open_ref(const char *db_path, const char *ref,
                              struct node *n, struct json_t *doc,
                              struct assay_err *err)
{
    struct store *st = open_read(db_path, err);
    struct json_t *t;

    if (st == NULL)
        return NULL;
    if (node_resolve(st, ref, n, err) < 0)
        goto fail;
    t = node_json(st, n, err);
    if (t == NULL)
        goto fail;
    j_set(doc, "ref", j_str(ref));
    j_set(doc, "target", t);
    return st;
fail:
    store_close(st);
    return NULL;
}

/* Summaries of every id in s as a JSON array. */
static struct json_t *summaries(struct store *st, enum node_kind k,
                                const struct ids *s, struct assay_err *err)
{
    struct json_t *arr = j_arr();
    size_t i;

    for (i = 0; i < s->n; i++) {
        struct node n = { k, s->v[i] };
        struct json_t *o = node_json(st, &n, err);

        if (o == NULL) {
            j_free(arr);
            return NULL;
        }
        j_push(arr, o);
    }
    return arr;
}

/* The inputs of a run, restricted to the snapshots in only (NULL: all):
 * [{sha256, dataset, path, role}]. */
static struct json_t *run_inputs(struct store *st, long long run_id,
                                 const struct ids *only,
                                 struct assay_err *err)
{
    struct store_stmt *q;
    struct json_t *arr = j_arr();
    int rc;

    q = store_query(st, err, "SELECT ri.snapshot_id, ri.role, s.sha256, "
                    "d.name FROM run_inputs ri "
                    "JOIN snapshots s ON s.id = ri.snapshot_id "
                    "JOIN datasets d ON d.id = s.dataset_id "
                    "WHERE ri.run_id = ? ORDER BY ri.id", "i", run_id);
    if (q == NULL)
        goto fail;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *o;

        if (only != NULL && !ids_has(only, store_int(q, 0)))
            continue;
        o = j_obj();
        j_set(o, "sha256", j_str(store_text(q, 2)));
        j_set(o, "dataset", j_str(store_text(q, 3)));
        j_set(o, "role", j_str(store_text(q, 1)));
        j_push(arr, o);
    }
    store_done(q);
    if (rc == 0)
        return arr;
fail:
    j_free(arr);
    return NULL;
}

static struct json_t *runs_json(struct store *st, const struct ids *runs,
                                const struct ids *only, const char *key,
                                struct assay_err *err)
{
    struct json_t *arr = summaries(st, NODE_RUN, runs, err), *in;
    size_t i;

    for (i = 0; arr != NULL && i < runs->n; i++) {
        in = run_inputs(st, runs->v[i], only, err);
        if (in == NULL) {
            j_free(arr);
            return NULL;
        }
        j_set(j_at(arr, i), key, in);
    }
    return arr;
}

/* ---- upstream ---- */

/* Snapshots behind the runs in runs (or the seed set, for a snapshot
 * ref), each with its roles, how it is reached and its checks. */
static struct json_t *up_snapshots(struct store *st, const struct ids *runs,
                                   const struct ids *seed, long long self,
                                   struct assay_err *err)
{
    struct ids direct = IDS_INIT, all = IDS_INIT;
    struct json_t *arr = NULL, *res = NULL;
    size_t i;

    if (runs->n > 0 &&
        ids_query(st, &direct, "SELECT snapshot_id FROM run_inputs WHERE "
                  "run_id IN (SELECT value FROM json_each(?))", runs, 0,
                  err) < 0)
        goto out;
    for (i = 0; i < seed->n; i++)
        ids_add(&direct, seed->v[i]);
    ids_seal(&direct);
    if (ids_upstream(st, &all, &direct, err) < 0)
        goto out;
    arr = j_arr();
    /* direct inputs first, then what they were derived from */
    for (int pass = 0; pass < 2; pass++) {
        for (i = 0; i < all.n; i++) {
            long long id = all.v[i];
            int is_direct = ids_has(&direct, id) && runs->n > 0;
            struct node n = { NODE_SNAPSHOT, id };
            struct json_t *o, *roles, *checks;
            struct store_stmt *q;
            int rc;

            if (id == self || is_direct != (pass == 0))
                continue;
            o = node_json(st, &n, err);
            if (o == NULL)
                goto out;
            j_push(arr, o);
            roles = j_arr();
            j_set(o, "roles", roles);
            j_set(o, "via", j_str(is_direct ? "input" : "derivation"));
            if (is_direct) {
                char *rt = ids_text(runs);

                q = store_query(st, err, "SELECT DISTINCT role FROM "
                                "run_inputs WHERE snapshot_id = ? AND run_id "
                                "IN (SELECT value FROM json_each(?)) "
                                "ORDER BY role", "is", id, rt);
                free(rt);
                if (q == NULL)
                    goto out;
                while ((rc = store_step(q, err)) == 1)
                    j_push(roles, j_str(store_text(q, 0)));
                store_done(q);
                if (rc < 0)
                    goto out;
            }
            checks = node_checks(st, id, 0, err);
            if (checks == NULL)
                goto out;
            j_set(o, "checks", checks);
        }
    }
    res = arr;
    arr = NULL;
out:
    j_free(arr);
    ids_release(&direct);
    ids_release(&all);
    return res;
}

struct json_t *lineage_upstream(const char *db_path, const char *ref,
                                struct assay_err *err)
{
    struct json_t *doc = j_obj(), *v;
    struct ids models = IDS_INIT, runs = IDS_INIT, seed = IDS_INIT;
    struct ids deps = IDS_INIT;
    struct store *st;
    struct node n;
    long long self = 0, mid = 0;
    int ok = 0;

    st = open_ref(db_path, ref, &n, doc, err);
    if (st == NULL)
        goto out;
    switch (n.kind) {
    case NODE_DEPLOYMENT:
        ids_add(&deps, n.id);
        if (store_get_int(st, err, &mid, "SELECT model_id FROM deployments "
                          "WHERE id = ?", "i", n.id) < 0)
            goto out;
        ids_add(&models, mid);
        break;
    case NODE_MODEL:
        ids_add(&models, n.id);
        break;
    case NODE_RUN:
        ids_add(&runs, n.id);
        break;
    case NODE_SNAPSHOT:
        self = n.id;
        ids_add(&seed, n.id);
        break;
    }
    if (models.n > 0 &&
        ids_query(st, &runs, "SELECT run_id FROM run_models WHERE model_id "
                  "IN (SELECT value FROM json_each(?))", &models, 0, err) < 0)
        goto out;
    ids_seal(&runs);
    v = summaries(st, NODE_DEPLOYMENT, &deps, err);
    if (v == NULL)
        goto out;
    j_set(doc, "deployments", v);
    v = summaries(st, NODE_MODEL, &models, err);
    if (v == NULL)
        goto out;
    j_set(doc, "models", v);
    v = runs_json(st, &runs, NULL, "inputs", err);
    if (v == NULL)
        goto out;
    j_set(doc, "runs", v);
    v = up_snapshots(st, &runs, &seed, self, err);
    if (v == NULL)
        goto out;
    j_set(doc, "snapshots", v);
    ok = 1;
out:
    store_close(st);
    ids_release(&models);
    ids_release(&runs);
    ids_release(&seed);
    ids_release(&deps);
    if (!ok) {
        j_free(doc);
        return NULL;
    }
    return doc;
}

/* ---- downstream and impact ---- */

struct down {
    struct ids snaps, runs, models, deps;
};

static void down_release(struct down *d)
{
    ids_release(&d->snaps);
    ids_release(&d->runs);
    ids_release(&d->models);
    ids_release(&d->deps);
}

static int walk_down(struct store *st, const struct node *n, struct down *d,
                     struct assay_err *err)
{
    struct ids seed = IDS_INIT;
    int rc = -1;

    memset(d, 0, sizeof(*d));
    if (n->kind == NODE_SNAPSHOT) {
        ids_add(&seed, n->id);
        if (ids_downstream(st, &d->snaps, &seed, err) < 0)
            goto out;
        if (ids_query(st, &d->runs, "SELECT DISTINCT run_id FROM run_inputs "
                      "WHERE snapshot_id IN (SELECT value FROM json_each(?))",
                      &d->snaps, 0, err) < 0)
            goto out;
    } else if (n->kind == NODE_RUN) {
        ids_add(&d->runs, n->id);
    } else if (n->kind == NODE_MODEL) {
        ids_add(&d->models, n->id);
    } else {
        ids_add(&d->deps, n->id);
    }
    if (d->runs.n > 0 &&
        ids_query(st, &d->models, "SELECT DISTINCT model_id FROM run_models "
                  "WHERE run_id IN (SELECT value FROM json_each(?))",
                  &d->runs, 0, err) < 0)
        goto out;
    if (d->models.n > 0 &&
        ids_query(st, &d->deps, "SELECT id FROM deployments WHERE model_id "
                  "IN (SELECT value FROM json_each(?))", &d->models, 0,
                  err) < 0)
        goto out;
    rc = 0;
out:
    ids_release(&seed);
    return rc;
}

/* Fill doc with the downstream lists (without the target itself). */
static int down_json(struct store *st, const struct node *n,
                     const struct down *d, struct json_t *doc,
                     struct assay_err *err)
{
    struct ids derived = IDS_INIT;
    struct json_t *v;
    size_t i;
    int rc = -1;

    for (i = 0; i < d->snaps.n; i++)
        if (!(n->kind == NODE_SNAPSHOT && d->snaps.v[i] == n->id))
            ids_add(&derived, d->snaps.v[i]);
    v = summaries(st, NODE_SNAPSHOT, &derived, err);
    if (v == NULL)
        goto out;
    j_set(doc, "snapshots", v);
    v = runs_json(st, &d->runs, n->kind == NODE_SNAPSHOT ? &d->snaps : NULL,
                  "uses", err);
    if (v == NULL)
        goto out;
    j_set(doc, "runs", v);
    v = summaries(st, NODE_MODEL, &d->models, err);
    if (v == NULL)
        goto out;
    j_set(doc, "models", v);
    v = summaries(st, NODE_DEPLOYMENT, &d->deps, err);
    if (v == NULL)
        goto out;
    j_set(doc, "deployments", v);
    rc = 0;
out:
    ids_release(&derived);
    return rc;
}

struct json_t *lineage_downstream(const char *db_path, const char *ref,
                                  struct assay_err *err)
{
    struct json_t *doc = j_obj();
    struct down d;
    struct store *st;
    struct node n;
    int ok = 0;

    memset(&d, 0, sizeof(d));
    st = open_ref(db_path, ref, &n, doc, err);
    if (st == NULL)
        goto out;
    if (walk_down(st, &n, &d, err) < 0 || down_json(st, &n, &d, doc,
                                                    err) < 0)
        goto out;
    ok = 1;
out:
    store_close(st);
    down_release(&d);
    if (!ok) {
        j_free(doc);
        return NULL;
    }
    return doc;
}

struct json_t *lineage_impact(const char *db_path, const char *ref,
                              struct assay_err *err)
{
    struct json_t *doc = j_obj(), *checks, *live, *deps, *last, *down;
    const char *verdict;
    struct down d;
    struct store *st;
    struct node n;
    size_t i;
    int ok = 0;

    memset(&d, 0, sizeof(d));
    st = open_ref(db_path, ref, &n, doc, err);
    if (st == NULL)
        goto out;
    if (n.kind != NODE_SNAPSHOT) {
        seterr(err, ASSAY_EREF, "'%s' is a %s: impact takes a snapshot",
               ref, node_kind_name(n.kind));
        goto out;
    }
    checks = node_checks(st, n.id, 0, err);
    if (checks == NULL)
        goto out;
    j_set(doc, "checks", checks);
    last = j_len(checks) > 0 ? j_at(checks, j_len(checks) - 1) : NULL;
    verdict = last != NULL ? j_string(j_get(last, "verdict")) : NULL;
    j_set(doc, "checks_passed", verdict == NULL ? j_null() :
          j_bool(strcmp(verdict, "fail") != 0));
    down = j_obj();
    if (walk_down(st, &n, &d, err) < 0 || down_json(st, &n, &d, down,
                                                    err) < 0) {
        j_free(down);
        goto out;
    }
    live = j_arr();
    deps = j_get(down, "deployments");
    for (i = 0; i < j_len(deps); i++)
        if (j_is_true(j_get(j_at(deps, i), "live")))
            j_push(live, j_ref(j_at(deps, i)));
    j_set(doc, "live", live);
    j_set(doc, "downstream", down);
    ok = 1;
out:
    store_close(st);
    down_release(&d);
    if (!ok) {
        j_free(doc);
        return NULL;
    }
    return doc;
}
