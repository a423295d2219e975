/* show.c -- `assay lineage show REF` and `assay lineage log`.
 *
 * show gathers everything recorded about one node (its summary, path
 * history, checks, and the edges touching it); log lists the ledger.
 * Both are one read transaction and return JSON for cmd_lineage.c. */
#include <stdlib.h>
#include <string.h>
#include "lineage.h"
#include "node.h"
#include "store.h"
#include "json.h"
#include "util.h"

static struct json_t *text_or_null(struct store_stmt *q, int c)
{
    return store_isnull(q, c) ? j_null() : j_str(store_text(q, c));
}

/* Run a query and turn each row into an object with the given keys
 * (column i -> keys[i]; 'i' integer, 't' text, 'b' boolean).  The query
 * takes one integer parameter. */
static struct json_t *rows(struct store *st, const char *sql, long long id,
                           const char *const *keys, const char *types,
                           struct assay_err *err)
{
    struct store_stmt *q = store_query(st, err, sql, "i", id);
    struct json_t *arr = j_arr();
    int rc;

    if (q == NULL) {
        j_free(arr);
        return NULL;
    }
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *o = j_obj();
        size_t i;

        for (i = 0; types[i] != '\0'; i++) {
            int c = (int)i;

            if (store_isnull(q, c))
                j_set(o, keys[i], j_null());
            else if (types[i] == 'i')
                j_set(o, keys[i], j_int(store_int(q, c)));
            else if (types[i] == 'b')
                j_set(o, keys[i], j_bool(store_int(q, c) != 0));
            else
                j_set(o, keys[i], text_or_null(q, c));
        }
        j_push(arr, o);
    }
    store_done(q);
    if (rc < 0) {
        j_free(arr);
        return NULL;
    }
    return arr;
}

/* Attach rows(...) to doc[key]; 0 or -1. */
static int attach(struct json_t *doc, const char *key, struct store *st,
                  const char *sql, long long id, const char *const *keys,
                  const char *types, struct assay_err *err)
{
    struct json_t *v = rows(st, sql, id, keys, types, err);

    if (v == NULL)
        return -1;
    j_set(doc, key, v);
    return 0;
}

/* The sha256 list of a derivation's inputs, per produced_by entry. */
static int add_inputs(struct store *st, struct json_t *derivs,
                      struct assay_err *err)
{
    static const char *const k[] = { "sha256" };
    size_t i;

    for (i = 0; i < j_len(derivs); i++) {
        struct json_t *d = j_at(derivs, i), *in, *flat;
        size_t x;

        in = rows(st, "SELECT s.sha256 FROM derivation_inputs di "
                  "JOIN snapshots s ON s.id = di.snapshot_id "
                  "WHERE di.derivation_id = ? ORDER BY di.id",
                  j_integer(j_get(d, "derivation")), k, "t", err);
        if (in == NULL)
            return -1;
        flat = j_arr();
        for (x = 0; x < j_len(in); x++)
            j_push(flat, j_ref(j_get(j_at(in, x), "sha256")));
        j_free(in);
        j_set(d, "inputs", flat);
    }
    return 0;
}

static int show_snapshot(struct store *st, long long id, struct json_t *doc,
                         struct assay_err *err)
{
    static const char *const kp[] = { "path", "bytes", "mtime_ns", "seen",
                                      "previous", "overwrite" };
    static const char *const kd[] = { "derivation", "transform", "code_rev",
                                      "recorded" };
    static const char *const ku[] = { "output", "transform", "code_rev",
                                      "recorded" };
    static const char *const kr[] = { "id", "name", "role" };
    struct json_t *checks, *used;

    if (attach(doc, "paths", st, "SELECT p.path, p.bytes, p.mtime_ns, "
               "p.seen, s.sha256, p.overwrite FROM snapshot_paths p "
               "LEFT JOIN snapshots s ON s.id = p.previous_id "
               "WHERE p.snapshot_id = ? ORDER BY p.id", id, kp, "tiittb",
               err) < 0)
        return -1;
    checks = node_checks(st, id, 1, err);
    if (checks == NULL)
        return -1;
    j_set(doc, "checks", checks);
    if (attach(doc, "produced_by", st, "SELECT id, transform, code_rev, "
               "created FROM derivations WHERE output_id = ? ORDER BY id",
               id, kd, "ittt", err) < 0 ||
        add_inputs(st, j_get(doc, "produced_by"), err) < 0)
        return -1;
    used = j_obj();
    j_set(doc, "used_by", used);
    if (attach(used, "derivations", st, "SELECT s.sha256, d.transform, "
               "d.code_rev, d.created FROM derivation_inputs di "
               "JOIN derivations d ON d.id = di.derivation_id "
               "JOIN snapshots s ON s.id = d.output_id "
               "WHERE di.snapshot_id = ? ORDER BY d.id", id, ku, "tttt",
               err) < 0 ||
        attach(used, "runs", st, "SELECT r.uuid, r.name, ri.role "
               "FROM run_inputs ri JOIN runs r ON r.id = ri.run_id "
               "WHERE ri.snapshot_id = ? ORDER BY ri.id", id, kr, "ttt",
               err) < 0)
        return -1;
    return 0;
}

static int show_run(struct store *st, long long id, struct json_t *doc,
                    struct assay_err *err)
{
    static const char *const ki[] = { "sha256", "dataset", "path", "role" };
    static const char *const km[] = { "sha256", "path", "bytes" };

    if (attach(doc, "inputs", st, "SELECT s.sha256, d.name, coalesce("
               "(SELECT p.path FROM snapshot_paths p WHERE p.snapshot_id = "
               "s.id ORDER BY p.id DESC LIMIT 1), s.path), ri.role "
               "FROM run_inputs ri JOIN snapshots s ON s.id = ri.snapshot_id "
               "JOIN datasets d ON d.id = s.dataset_id "
               "WHERE ri.run_id = ? ORDER BY ri.id", id, ki, "tttt",
               err) < 0 ||
        attach(doc, "models", st, "SELECT m.sha256, m.path, m.bytes "
               "FROM run_models rm JOIN models m ON m.id = rm.model_id "
               "WHERE rm.run_id = ? ORDER BY rm.id", id, km, "tti", err) < 0)
        return -1;
    return 0;
}

static int show_model(struct store *st, long long id, struct json_t *doc,
                      struct assay_err *err)
{
    static const char *const kr[] = { "id", "name", "status" };
    static const char *const kd[] = { "env", "deployed", "live" };

    if (attach(doc, "runs", st, "SELECT r.uuid, r.name, "
               "coalesce(f.status, 'running') FROM run_models rm "
               "JOIN runs r ON r.id = rm.run_id "
               "LEFT JOIN run_finishes f ON f.run_id = r.id "
               "WHERE rm.model_id = ? ORDER BY rm.id", id, kr, "ttt",
               err) < 0 ||
        attach(doc, "deployments", st, "SELECT d.env, d.deployed, d.id = "
               "(SELECT max(e.id) FROM deployments e WHERE e.env = d.env) "
               "FROM deployments d WHERE d.model_id = ? ORDER BY d.id", id,
               kd, "ttb", err) < 0)
        return -1;
    return 0;
}

static int show_deployment(struct store *st, long long id,
                           struct json_t *doc, struct assay_err *err)
{
    static const char *const kh[] = { "model", "path", "deployed" };
    long long mid = 0;
    struct node m;
    struct json_t *o;

    if (store_get_int(st, err, &mid, "SELECT model_id FROM deployments "
                      "WHERE id = ?", "i", id) < 0)
        return -1;
    m.kind = NODE_MODEL;
    m.id = mid;
    o = node_json(st, &m, err);
    if (o == NULL)
        return -1;
    j_set(doc, "model", o);
    return attach(doc, "history", st, "SELECT m.sha256, m.path, d.deployed "
                  "FROM deployments d JOIN models m ON m.id = d.model_id "
                  "WHERE d.env = (SELECT env FROM deployments WHERE id = ?) "
                  "ORDER BY d.id", id, kh, "ttt", err);
}

/* How to add a node kind to show: a function above and a row here. */
static int (*const shows[])(struct store *, long long, struct json_t *,
                            struct assay_err *) = {
    [NODE_SNAPSHOT] = show_snapshot,
    [NODE_RUN] = show_run,
    [NODE_MODEL] = show_model,
    [NODE_DEPLOYMENT] = show_deployment,
};

struct json_t *lineage_show(const char *db_path, const char *ref,
                            struct assay_err *err)
{
    struct store *st = store_open(db_path, STORE_READ, err);
    struct json_t *doc = NULL;
    struct node n;

    if (st == NULL || store_begin(st, err) < 0 ||
        node_resolve(st, ref, &n, err) < 0)
        goto fail;
    doc = node_json(st, &n, err);
    if (doc == NULL || shows[n.kind](st, n.id, doc, err) < 0)
        goto fail;
    store_close(st);
    return doc;
fail:
    j_free(doc);
    store_close(st);
    return NULL;
}

/* "snapshots 1, snapshot_paths 1" from an entry's rows. */
static char *summary(struct json_t *body)
{
    struct json_t *r = j_get(body, "rows");
    struct buf b = BUF_INIT;
    void *it;

    for (it = j_iter(r); it != NULL; it = j_iter_next(r, it))
        buf_printf(&b, "%s%s %zu", b.len > 0 ? ", " : "", j_iter_key(it),
                   j_len(j_iter_value(it)));
    return buf_detach(&b);
}

struct json_t *lineage_log(const char *db_path, struct assay_err *err)
{
    struct store *st = store_open(db_path, STORE_READ, err);
    struct store_stmt *q = NULL;
    struct json_t *arr = j_arr();
    int rc = -1;

    if (st == NULL || store_begin(st, err) < 0)
        goto out;
    q = store_query(st, err, "SELECT seq, ts, kind, hash, prev, body "
                    "FROM ledger ORDER BY seq", "");
    if (q == NULL)
        goto out;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *o = j_obj(), *body;
        const char *t = store_text(q, 5);
        char *sum;

        body = j_loads(t, strlen(t), "ledger", NULL);
        sum = summary(body);
        j_set(o, "seq", j_int(store_int(q, 0)));
        j_set(o, "ts", j_str(store_text(q, 1)));
        j_set(o, "kind", j_str(store_text(q, 2)));
        j_set(o, "hash", j_str(store_text(q, 3)));
        j_set(o, "prev", j_str(store_text(q, 4)));
        j_set(o, "summary", j_str(sum));
        j_set(o, "body", body != NULL ? body : j_str(t));
        free(sum);
        j_push(arr, o);
    }
out:
    store_done(q);
    store_close(st);
    if (rc != 0) {
        j_free(arr);
        return NULL;
    }
    return arr;
}
