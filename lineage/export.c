/* export.c -- the lineage graph in other people's formats:
 * OpenLineage RunEvents (JSON lines), W3C PROV-JSON, Graphviz DOT and a
 * Mermaid flowchart.
 *
 * One read transaction; the whole export is built in memory and handed
 * back as a string.  Snapshot hashes travel as "sha256:<hex>" (the
 * OpenLineage `version` facet, PROV attributes); check results become
 * OpenLineage dataQualityAssertions on the checked snapshot. */
#include <stdlib.h>
#include <string.h>
#include "lineage.h"
#include "store.h"
#include "crypto.h"
#include "json.h"
#include "util.h"

#define PRODUCER_BASE "https://assay.invalid/assay/v"
#define OL_SPEC "https://openlineage.io/spec/"
#define OL_RUN_EVENT OL_SPEC "2-0-2/OpenLineage.json#/$defs/RunEvent"
#define OL_FACET(ver, name) OL_SPEC "facets/" ver "/" name ".json#/$defs/" name
#define ASSAY_FACET(name) \
    "https://assay.invalid/spec/facets/1-0-0/" name ".json#/$defs/" name

struct ex {
    struct store *st;
    const char *version;
    char *producer;
    struct buf out;
};

/* ---- shared lookups ---- */

/* Where a snapshot was last seen, and its dataset name. */
static int snapshot_where(struct ex *x, long long id, char **path,
                          char **dataset, char sha[65],
                          struct assay_err *err)
{
    struct store_stmt *q;
    int rc;

    q = store_query(x->st, err, "SELECT coalesce((SELECT p.path FROM "
                    "snapshot_paths p WHERE p.snapshot_id = s.id ORDER BY "
                    "p.id DESC LIMIT 1), s.path), d.name, s.sha256 "
                    "FROM snapshots s JOIN datasets d ON d.id = s.dataset_id "
                    "WHERE s.id = ?", "i", id);
    if (q == NULL)
        return -1;
    rc = store_step(q, err);
    if (rc == 1) {
        *path = store_text(q, 0) != NULL ? xstrdup(store_text(q, 0)) : NULL;
        *dataset = xstrdup(store_text(q, 1));
        snprintf(sha, 65, "%s", store_text(q, 2));
    } else if (rc == 0) {
        rc = seterr(err, ASSAY_EINTERNAL, "snapshot %lld vanished", id);
    }
    store_done(q);
    return rc < 0 ? -1 : 0;
}

/* ---- OpenLineage ---- */

static struct json_t *facet(struct ex *x, const char *schema_url)
{
    struct json_t *f = j_obj();

    j_set(f, "_producer", j_str(x->producer));
    j_set(f, "_schemaURL", j_str(schema_url));
    return f;
}

/* A deterministic UUID (version 8, RFC 9562) for things that have no
 * run id of their own: derivations, deployments, checks. */
static void uuid_for(const char *what, long long id, const char *salt,
                     char out[40])
{
    char *s = xasprintf("assay:%s:%lld:%s", what, id, salt), hex[65];
    unsigned char b[16];

    sha256_hex(s, strlen(s), hex);
    free(s);
    hex_decode(hex, b, sizeof(b));
    b[6] = (unsigned char)(0x80 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
             b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

/* assertions[] from the results of an assay check. */
static struct json_t *assertions(const char *results)
{
    struct json_t *res = j_loads(results, strlen(results), "check", NULL);
    struct json_t *arr = j_arr();
    size_t i;

    for (i = 0; i < j_len(res); i++) {
        struct json_t *r = j_at(res, i), *a = j_obj();
        const char *kind = j_string(j_get(r, "kind"));
        const char *id = j_string(j_get(r, "id"));
        const char *col = j_string(j_get(r, "column"));
        const char *sev = j_string(j_get(r, "severity"));
        const char *status = j_string(j_get(r, "status"));
        const char *msg = j_string(j_get(r, "message"));

        j_set(a, "assertion", j_str(kind != NULL ? kind :
                                    id != NULL ? id : "check"));
        if (id != NULL)
            j_set(a, "name", j_str(id));
        j_set(a, "success", j_bool(status != NULL &&
                                   strcmp(status, "pass") == 0));
        if (col != NULL)
            j_set(a, "column", j_str(col));
        if (sev != NULL)
            j_set(a, "severity", j_str(strcmp(sev, "fail") == 0 ? "error" :
                                       sev));
        if (j_is_number(j_get(r, "failures"))) {
            char n[32];

            snprintf(n, sizeof(n), "%lld", j_integer(j_get(r, "failures")));
            j_set(a, "actual", j_str(n));
        }
        if (msg != NULL)
            j_set(a, "description", j_str(msg));
        j_push(arr, a);
    }
    j_free(res);
    return arr;
}

/* An OpenLineage dataset for a snapshot: namespace "file" and its path
 * (or namespace "assay" and its dataset name), with the version facet
 * and, with checks, the assertions of its latest check. */
static struct json_t *ol_snapshot(struct ex *x, long long id,
                                  const char *role, long long check_id,
                                  struct assay_err *err)
{
    struct json_t *d = NULL, *facets, *f, *inf = NULL;
    struct store_stmt *q = NULL;
    char *path = NULL, *ds = NULL, sha[65], *v;
    int rc;

    if (snapshot_where(x, id, &path, &ds, sha, err) < 0)
        return NULL;
    d = j_obj();
    j_set(d, "namespace", j_str(path != NULL ? "file" : "assay"));
    j_set(d, "name", j_str(path != NULL ? path : ds));
    facets = j_obj();
    f = facet(x, OL_FACET("1-0-1", "DatasetVersionDatasetFacet"));
    v = xasprintf("sha256:%s", sha);
    j_set(f, "datasetVersion", j_str(v));
    free(v);
    j_set(facets, "version", f);
    j_set(d, "facets", facets);
    if (check_id == 0)
        q = store_query(x->st, err, "SELECT results FROM checks WHERE "
                        "snapshot_id = ? ORDER BY id DESC LIMIT 1", "i", id);
    else if (check_id > 0)
        q = store_query(x->st, err, "SELECT results FROM checks WHERE "
                        "id = ?", "i", check_id);
    if (check_id >= 0 && q == NULL)
        goto fail;
    rc = q != NULL ? store_step(q, err) : 0;
    if (rc < 0)
        goto fail;
    if (rc == 1) {
        inf = j_obj();
        f = facet(x, OL_FACET("1-1-0", "DataQualityAssertionsDatasetFacet"));
        j_set(f, "assertions", assertions(store_text(q, 0)));
        j_set(inf, "dataQualityAssertions", f);
    }
    if (role != NULL) {
        if (inf == NULL)
            inf = j_obj();
        f = facet(x, ASSAY_FACET("AssayInputFacet"));
        j_set(f, "role", j_str(role));
        j_set(inf, "assay_input", f);
    }
    if (inf != NULL)
        j_set(d, "inputFacets", inf);
    store_done(q);
    free(path);
    free(ds);
    return d;
fail:
    store_done(q);
    j_free(d);
    free(path);
    free(ds);
    return NULL;
}

/* A model as an OpenLineage dataset; as_output adds its size. */
static struct json_t *ol_model(struct ex *x, const char *sha,
                               const char *path, long long bytes,
                               int as_output)
{
    struct json_t *d = j_obj(), *facets = j_obj(), *f, *of;
    char *v = xasprintf("sha256:%s", sha);

    j_set(d, "namespace", j_str("file"));
    j_set(d, "name", j_str(path));
    f = facet(x, OL_FACET("1-0-1", "DatasetVersionDatasetFacet"));
    j_set(f, "datasetVersion", j_str(v));
    j_set(facets, "version", f);
    j_set(d, "facets", facets);
    free(v);
    if (!as_output)
        return d;
    of = j_obj();
    f = facet(x, OL_FACET("1-0-2", "OutputStatisticsOutputDatasetFacet"));
    j_set(f, "rowCount", j_int(0));
    j_set(f, "size", j_int(bytes));
    j_set(of, "outputStatistics", f);
    j_set(d, "outputFacets", of);
    return d;
}

/* One RunEvent; takes ownership of inputs, outputs, run_facets. */
static struct json_t *ol_event(struct ex *x, const char *type,
                               const char *time, const char *run_id,
                               const char *job, const char *job_type,
                               struct json_t *inputs, struct json_t *outputs,
                               struct json_t *run_facets)
{
    struct json_t *e = j_obj(), *run = j_obj(), *jb = j_obj(), *jf, *f;

    j_set(e, "eventType", j_str(type));
    j_set(e, "eventTime", j_str(time));
    j_set(e, "producer", j_str(x->producer));
    j_set(e, "schemaURL", j_str(OL_RUN_EVENT));
    j_set(run, "runId", j_str(run_id));
    if (run_facets != NULL)
        j_set(run, "facets", run_facets);
    j_set(e, "run", run);
    j_set(jb, "namespace", j_str("assay"));
    j_set(jb, "name", j_str(job));
    jf = j_obj();
    f = facet(x, OL_FACET("2-0-4", "JobTypeJobFacet"));
    j_set(f, "processingType", j_str("BATCH"));
    j_set(f, "integration", j_str("ASSAY"));
    j_set(f, "jobType", j_str(job_type));
    j_set(jf, "jobType", f);
    j_set(jb, "facets", jf);
    j_set(e, "job", jb);
    j_set(e, "inputs", inputs != NULL ? inputs : j_arr());
    j_set(e, "outputs", outputs != NULL ? outputs : j_arr());
    return e;
}

/* START and a terminal event sharing inputs/outputs. */
static void ol_pair(struct ex *x, struct json_t *events, const char *start,
                    const char *end, const char *terminal, const char *id,
                    const char *job, const char *job_type,
                    struct json_t *inputs, struct json_t *outputs,
                    struct json_t *run_facets)
{
    j_push(events, ol_event(x, "START", start, id, job, job_type,
                            j_copy(inputs), NULL, NULL));
    if (terminal != NULL)
        j_push(events, ol_event(x, terminal, end, id, job, job_type, inputs,
                                outputs, run_facets));
    else {
        j_free(inputs);
        j_free(outputs);
        j_free(run_facets);
    }
}

static int ol_derivations(struct ex *x, struct json_t *events,
                          struct assay_err *err)
{
    struct store_stmt *q, *qi = NULL;
    int rc;

    q = store_query(x->st, err, "SELECT d.id, d.output_id, d.transform, "
                    "d.code_rev, d.created, s.sha256, ds.name "
                    "FROM derivations d JOIN snapshots s ON s.id = d.output_id "
                    "JOIN datasets ds ON ds.id = s.dataset_id ORDER BY d.id",
                    "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *in = j_arr(), *out = j_arr(), *o, *rf, *f;
        char id[40], *job;
        int ri;

        uuid_for("derivation", store_int(q, 0), store_text(q, 5), id);
        qi = store_query(x->st, err, "SELECT snapshot_id FROM "
                         "derivation_inputs WHERE derivation_id = ? "
                         "ORDER BY id", "i", store_int(q, 0));
        if (qi == NULL)
            ri = -1;
        else
            while ((ri = store_step(qi, err)) == 1) {
                o = ol_snapshot(x, store_int(qi, 0), NULL, 0, err);
                if (o == NULL) {
                    ri = -1;
                    break;
                }
                j_push(in, o);
            }
        store_done(qi);
        o = ri == 0 ? ol_snapshot(x, store_int(q, 1), NULL, -1, err) : NULL;
        if (o == NULL) {
            j_free(in);
            j_free(out);
            rc = -1;
            break;
        }
        j_push(out, o);
        rf = j_obj();
        f = facet(x, ASSAY_FACET("AssayDerivationRunFacet"));
        j_set(f, "transform", store_isnull(q, 2) ? j_null() :
              j_str(store_text(q, 2)));
        j_set(f, "codeRevision", store_isnull(q, 3) ? j_null() :
              j_str(store_text(q, 3)));
        j_set(rf, "assay_derivation", f);
        job = xasprintf("derive:%s", store_text(q, 6));
        ol_pair(x, events, store_text(q, 4), store_text(q, 4), "COMPLETE", id,
                job, "TRANSFORM", in, out, rf);
        free(job);
    }
    store_done(q);
    return rc;
}

static int ol_runs(struct ex *x, struct json_t *events,
                   struct assay_err *err)
{
    struct store_stmt *q, *qi;
    int rc;

    q = store_query(x->st, err, "SELECT r.id, r.uuid, r.name, r.params, "
                    "r.code_rev, r.started, f.status, f.finished, f.metrics "
                    "FROM runs r LEFT JOIN run_finishes f ON f.run_id = r.id "
                    "ORDER BY r.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *in = j_arr(), *out = j_arr(), *rf, *f, *o;
        const char *status = store_text(q, 6), *t;
        int ri;

        qi = store_query(x->st, err, "SELECT snapshot_id, role FROM "
                         "run_inputs WHERE run_id = ? ORDER BY id", "i",
                         store_int(q, 0));
        ri = qi == NULL ? -1 : 0;
        while (qi != NULL && (ri = store_step(qi, err)) == 1) {
            o = ol_snapshot(x, store_int(qi, 0), store_text(qi, 1), 0, err);
            if (o == NULL) {
                ri = -1;
                break;
            }
            j_push(in, o);
        }
        store_done(qi);
        qi = ri < 0 ? NULL :
             store_query(x->st, err, "SELECT m.sha256, m.path, m.bytes "
                         "FROM run_models rm JOIN models m ON m.id = "
                         "rm.model_id WHERE rm.run_id = ? ORDER BY rm.id",
                         "i", store_int(q, 0));
        ri = qi == NULL ? -1 : 0;
        while (qi != NULL && (ri = store_step(qi, err)) == 1)
            j_push(out, ol_model(x, store_text(qi, 0), store_text(qi, 1),
                                 store_int(qi, 2), 1));
        store_done(qi);
        if (ri < 0) {
            j_free(in);
            j_free(out);
            rc = -1;
            break;
        }
        rf = j_obj();
        f = facet(x, ASSAY_FACET("AssayTrainingRunFacet"));
        j_set(f, "name", j_str(store_text(q, 2)));
        t = store_text(q, 3);
        j_set(f, "params", j_loads(t, strlen(t), "params", NULL));
        j_set(f, "codeRevision", store_isnull(q, 4) ? j_null() :
              j_str(store_text(q, 4)));
        if (!store_isnull(q, 8)) {
            t = store_text(q, 8);
            j_set(f, "metrics", j_loads(t, strlen(t), "metrics", NULL));
        }
        j_set(rf, "assay_training", f);
        ol_pair(x, events, store_text(q, 5), store_text(q, 7),
                status == NULL ? NULL : strcmp(status, "failed") == 0 ?
                "FAIL" : "COMPLETE", store_text(q, 1), store_text(q, 2),
                "TRAINING", in, out, rf);
    }
    store_done(q);
    return rc;
}

/* Deployments (job deploy:ENV reading the model) and checks (job
 * check:DATASET reading the snapshot, with its assertions). */
static int ol_others(struct ex *x, struct json_t *events,
                     struct assay_err *err)
{
    struct store_stmt *q;
    int rc;

    q = store_query(x->st, err, "SELECT d.id, d.env, d.deployed, m.sha256, "
                    "m.path, m.bytes FROM deployments d "
                    "JOIN models m ON m.id = d.model_id ORDER BY d.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *in = j_arr(), *o;
        char id[40], *job = xasprintf("deploy:%s", store_text(q, 1));

        uuid_for("deployment", store_int(q, 0), store_text(q, 3), id);
        o = ol_model(x, store_text(q, 3), store_text(q, 4), store_int(q, 5),
                     0);
        j_push(in, o);
        ol_pair(x, events, store_text(q, 2), store_text(q, 2), "COMPLETE", id,
                job, "DEPLOYMENT", in, NULL, NULL);
        free(job);
    }
    store_done(q);
    if (rc < 0)
        return -1;
    q = store_query(x->st, err, "SELECT c.id, c.snapshot_id, c.checked, "
                    "c.verdict, ds.name, s.sha256 FROM checks c "
                    "JOIN snapshots s ON s.id = c.snapshot_id "
                    "JOIN datasets ds ON ds.id = s.dataset_id ORDER BY c.id",
                    "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *in = j_arr(), *o;
        char id[40], *job = xasprintf("check:%s", store_text(q, 4));

        uuid_for("check", store_int(q, 0), store_text(q, 5), id);
        o = ol_snapshot(x, store_int(q, 1), NULL, store_int(q, 0), err);
        if (o == NULL) {
            free(job);
            j_free(in);
            rc = -1;
            break;
        }
        j_push(in, o);
        ol_pair(x, events, store_text(q, 2), store_text(q, 2),
                strcmp(store_text(q, 3), "fail") == 0 ? "FAIL" : "COMPLETE",
                id, job, "CHECK", in, NULL, NULL);
        free(job);
    }
    store_done(q);
    return rc;
}

/* Events in time order; ties keep emission order (START before its
 * end, runs in id order). */
struct timed {
    struct json_t *e;
    size_t pos;
};

static int by_time(const void *a, const void *b)
{
    const struct timed *x = a, *y = b;
    int c = strcmp(j_string(j_get(x->e, "eventTime")),
                   j_string(j_get(y->e, "eventTime")));

    if (c != 0)
        return c;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static int export_openlineage(struct ex *x, struct assay_err *err)
{
    struct json_t *events = j_arr();
    struct timed *v = NULL;
    size_t i, n;
    int rc = -1;

    if (ol_derivations(x, events, err) < 0 || ol_runs(x, events, err) < 0 ||
        ol_others(x, events, err) < 0)
        goto out;
    n = j_len(events);
    v = xcalloc(n + 1, sizeof(*v));
    for (i = 0; i < n; i++) {
        v[i].e = j_at(events, i);
        v[i].pos = i;
    }
    qsort(v, n, sizeof(*v), by_time);
    for (i = 0; i < n; i++) {
        char *line = j_dump(v[i].e, J_CANON);

        buf_adds(&x->out, line);
        buf_addc(&x->out, '\n');
        free(line);
    }
    rc = 0;
out:
    free(v);
    j_free(events);
    return rc;
}

/* ---- PROV-JSON (W3C Member Submission; see shared/prov-spec) ---- */

/* A PROV local name from free text: [A-Za-z0-9_.-] kept, the rest
 * percent-encoded.  Returns a new string. */
static char *local_name(const char *s)
{
    struct buf b = BUF_INIT;

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')
            buf_addc(&b, (char)c);
        else
            buf_printf(&b, "%%%02X", c);
    }
    if (b.len == 0)
        buf_adds(&b, "_");
    return buf_detach(&b);
}

static struct json_t *qname(const char *prefix, const char *local)
{
    struct json_t *o = j_obj();
    char *l = local_name(local), *v = xasprintf("%s:%s", prefix, l);

    j_set(o, "$", j_str(v));
    j_set(o, "type", j_str("prov:QUALIFIED_NAME"));
    free(l);
    free(v);
    return o;
}

static struct json_t *typed(const char *type, long long v)
{
    struct json_t *o = j_obj();
    char n[32];

    snprintf(n, sizeof(n), "%lld", v);
    j_set(o, "$", j_str(n));
    j_set(o, "type", j_str(type));
    return o;
}

/* Add a relation record {key: value...} under doc[rel]["_:xN"]. */
static struct json_t *relation(struct json_t *doc, const char *rel,
                               unsigned long *counter)
{
    struct json_t *map = j_get(doc, rel), *r = j_obj();
    char id[32];

    if (map == NULL) {
        map = j_obj();
        j_set(doc, rel, map);
    }
    snprintf(id, sizeof(id), "_:r%lu", ++*counter);
    j_set(map, id, r);
    return r;
}

static char *snap_id(const char *sha)
{
    return xasprintf("snap:%s", sha);
}

/* r[key] = "prefix:local" */
static void prov_set_id(struct json_t *r, const char *key,
                        const char *prefix, const char *local)
{
    char *v = xasprintf("%s:%s", prefix, local);

    j_set(r, key, j_str(v));
    free(v);
}

static int prov_entities(struct ex *x, struct json_t *doc,
                         unsigned long *nrel, struct assay_err *err)
{
    struct json_t *ent = j_get(doc, "entity");
    struct store_stmt *q;
    int rc;

    q = store_query(x->st, err, "SELECT s.sha256, d.name, coalesce((SELECT "
                    "p.path FROM snapshot_paths p WHERE p.snapshot_id = s.id "
                    "ORDER BY p.id DESC LIMIT 1), s.path), s.bytes, s.rows, "
                    "s.row_digest, (SELECT c.verdict FROM checks c WHERE "
                    "c.snapshot_id = s.id ORDER BY c.id DESC LIMIT 1) "
                    "FROM snapshots s JOIN datasets d ON d.id = s.dataset_id "
                    "ORDER BY s.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *e = j_obj(), *r;
        char *id = snap_id(store_text(q, 0)), *l = local_name(store_text(q, 1));
        char *ds = xasprintf("ds:%s", l), *h;

        if (j_get(ent, ds) == NULL) {
            struct json_t *de = j_obj();

            j_set(de, "prov:type", qname("assay", "Dataset"));
            j_set(de, "prov:label", j_str(store_text(q, 1)));
            j_set(ent, ds, de);
        }
        j_set(e, "prov:type", qname("assay", "DatasetSnapshot"));
        j_set(e, "prov:label", j_str(store_text(q, 1)));
        h = xasprintf("sha256:%s", store_text(q, 0));
        j_set(e, "assay:contentHash", j_str(h));
        free(h);
        if (!store_isnull(q, 2))
            j_set(e, "assay:path", j_str(store_text(q, 2)));
        j_set(e, "assay:bytes", typed("xsd:long", store_int(q, 3)));
        if (!store_isnull(q, 4))
            j_set(e, "assay:rows", typed("xsd:long", store_int(q, 4)));
        if (!store_isnull(q, 5))
            j_set(e, "assay:rowDigest", j_str(store_text(q, 5)));
        if (!store_isnull(q, 6))
            j_set(e, "assay:verdict", j_str(store_text(q, 6)));
        j_set(ent, id, e);
        r = relation(doc, "specializationOf", nrel);
        j_set(r, "prov:specificEntity", j_str(id));
        j_set(r, "prov:generalEntity", j_str(ds));
        free(id);
        free(l);
        free(ds);
    }
    store_done(q);
    if (rc < 0)
        return -1;
    q = store_query(x->st, err, "SELECT sha256, path, bytes FROM models "
                    "ORDER BY id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *e = j_obj();
        char *id = xasprintf("model:%s", store_text(q, 0));
        char *h = xasprintf("sha256:%s", store_text(q, 0));

        j_set(e, "prov:type", qname("assay", "Model"));
        j_set(e, "assay:contentHash", j_str(h));
        j_set(e, "assay:path", j_str(store_text(q, 1)));
        j_set(e, "assay:bytes", typed("xsd:long", store_int(q, 2)));
        j_set(ent, id, e);
        free(id);
        free(h);
    }
    store_done(q);
    return rc;
}

static struct json_t *activity(struct json_t *doc, const char *id,
                               const char *type, const char *start,
                               const char *end)
{
    struct json_t *a = j_obj();

    j_set(a, "prov:type", qname("assay", type));
    if (start != NULL)
        j_set(a, "prov:startTime", j_str(start));
    if (end != NULL)
        j_set(a, "prov:endTime", j_str(end));
    j_set(j_get(doc, "activity"), id, a);
    return a;
}

static int prov_derivations(struct ex *x, struct json_t *doc,
                            unsigned long *nrel, struct assay_err *err)
{
    struct store_stmt *q;
    int rc;

    q = store_query(x->st, err, "SELECT d.id, d.transform, d.code_rev, "
                    "d.created, o.sha256, i.sha256 FROM derivations d "
                    "JOIN snapshots o ON o.id = d.output_id "
                    "JOIN derivation_inputs di ON di.derivation_id = d.id "
                    "JOIN snapshots i ON i.id = di.snapshot_id "
                    "ORDER BY d.id, di.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        char *act = xasprintf("assay:derivation-%lld", store_int(q, 0));
        struct json_t *r;

        if (j_get(j_get(doc, "activity"), act) == NULL) {
            struct json_t *a = activity(doc, act, "Transform",
                                        store_text(q, 3), store_text(q, 3));

            if (!store_isnull(q, 1))
                j_set(a, "assay:transform", j_str(store_text(q, 1)));
            if (!store_isnull(q, 2))
                j_set(a, "assay:codeRevision", j_str(store_text(q, 2)));
            r = relation(doc, "wasGeneratedBy", nrel);
            prov_set_id(r, "prov:entity", "snap", store_text(q, 4));
            j_set(r, "prov:activity", j_str(act));
            j_set(r, "prov:time", j_str(store_text(q, 3)));
        }
        r = relation(doc, "used", nrel);
        j_set(r, "prov:activity", j_str(act));
        prov_set_id(r, "prov:entity", "snap", store_text(q, 5));
        r = relation(doc, "wasDerivedFrom", nrel);
        prov_set_id(r, "prov:generatedEntity", "snap", store_text(q, 4));
        prov_set_id(r, "prov:usedEntity", "snap", store_text(q, 5));
        j_set(r, "prov:activity", j_str(act));
        free(act);
    }
    store_done(q);
    return rc;
}

static int prov_runs(struct ex *x, struct json_t *doc, unsigned long *nrel,
                     struct assay_err *err)
{
    struct store_stmt *q;
    int rc;

    q = store_query(x->st, err, "SELECT r.uuid, r.name, r.code_rev, "
                    "r.started, f.finished, coalesce(f.status, 'running'), "
                    "r.params FROM runs r LEFT JOIN run_finishes f ON "
                    "f.run_id = r.id ORDER BY r.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        char *act = xasprintf("run:%s", store_text(q, 0));
        struct json_t *a = activity(doc, act, "TrainingRun", store_text(q, 3),
                                    store_text(q, 4));

        j_set(a, "prov:label", j_str(store_text(q, 1)));
        j_set(a, "assay:status", j_str(store_text(q, 5)));
        j_set(a, "assay:params", j_str(store_text(q, 6)));
        if (!store_isnull(q, 2))
            j_set(a, "assay:codeRevision", j_str(store_text(q, 2)));
        free(act);
    }
    store_done(q);
    if (rc < 0)
        return -1;
    q = store_query(x->st, err, "SELECT r.uuid, s.sha256, ri.role, r.started "
                    "FROM run_inputs ri JOIN runs r ON r.id = ri.run_id "
                    "JOIN snapshots s ON s.id = ri.snapshot_id "
                    "ORDER BY ri.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *r = relation(doc, "used", nrel);

        prov_set_id(r, "prov:activity", "run", store_text(q, 0));
        prov_set_id(r, "prov:entity", "snap", store_text(q, 1));
        j_set(r, "prov:role", qname("assay", store_text(q, 2)));
        j_set(r, "prov:time", j_str(store_text(q, 3)));
    }
    store_done(q);
    if (rc < 0)
        return -1;
    q = store_query(x->st, err, "SELECT r.uuid, m.sha256, f.finished, "
                    "s.sha256 FROM run_models rm "
                    "JOIN runs r ON r.id = rm.run_id "
                    "JOIN models m ON m.id = rm.model_id "
                    "LEFT JOIN run_finishes f ON f.run_id = r.id "
                    "LEFT JOIN run_inputs ri ON ri.run_id = r.id "
                    "LEFT JOIN snapshots s ON s.id = ri.snapshot_id "
                    "ORDER BY rm.id, ri.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        struct json_t *r = relation(doc, "wasGeneratedBy", nrel);

        prov_set_id(r, "prov:entity", "model", store_text(q, 1));
        prov_set_id(r, "prov:activity", "run", store_text(q, 0));
        if (!store_isnull(q, 2))
            j_set(r, "prov:time", j_str(store_text(q, 2)));
        if (store_isnull(q, 3))
            continue;
        r = relation(doc, "wasDerivedFrom", nrel);
        prov_set_id(r, "prov:generatedEntity", "model", store_text(q, 1));
        prov_set_id(r, "prov:usedEntity", "snap", store_text(q, 3));
        prov_set_id(r, "prov:activity", "run", store_text(q, 0));
    }
    store_done(q);
    return rc;
}

/* Deployments and checks: activities that used a model or snapshot. */
static int prov_others(struct ex *x, struct json_t *doc, unsigned long *nrel,
                       struct assay_err *err)
{
    struct store_stmt *q;
    int rc;

    q = store_query(x->st, err, "SELECT d.id, d.env, d.deployed, m.sha256 "
                    "FROM deployments d JOIN models m ON m.id = d.model_id "
                    "ORDER BY d.id", "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        char *act = xasprintf("assay:deployment-%lld", store_int(q, 0));
        struct json_t *a = activity(doc, act, "Deployment", store_text(q, 2),
                                    NULL), *r;

        j_set(a, "assay:environment", j_str(store_text(q, 1)));
        r = relation(doc, "used", nrel);
        j_set(r, "prov:activity", j_str(act));
        prov_set_id(r, "prov:entity", "model", store_text(q, 3));
        j_set(r, "prov:time", j_str(store_text(q, 2)));
        free(act);
    }
    store_done(q);
    if (rc < 0)
        return -1;
    q = store_query(x->st, err, "SELECT c.id, c.checked, c.verdict, "
                    "s.sha256, c.rules_sha256 FROM checks c "
                    "JOIN snapshots s ON s.id = c.snapshot_id ORDER BY c.id",
                    "");
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1) {
        char *act = xasprintf("assay:check-%lld", store_int(q, 0));
        struct json_t *a = activity(doc, act, "QualityCheck",
                                    store_text(q, 1), store_text(q, 1)), *r;

        j_set(a, "assay:verdict", j_str(store_text(q, 2)));
        if (!store_isnull(q, 4))
            j_set(a, "assay:rulesSha256", j_str(store_text(q, 4)));
        r = relation(doc, "used", nrel);
        j_set(r, "prov:activity", j_str(act));
        prov_set_id(r, "prov:entity", "snap", store_text(q, 3));
        r = relation(doc, "wasAssociatedWith", nrel);
        j_set(r, "prov:activity", j_str(act));
        j_set(r, "prov:agent", j_str("assay:tool"));
        free(act);
    }
    store_done(q);
    return rc;
}

static int export_prov(struct ex *x, struct assay_err *err)
{
    struct json_t *doc = j_obj(), *pre = j_obj(), *agent = j_obj(), *tool;
    unsigned long nrel = 0;
    char *text;
    int rc = -1;

    j_set(pre, "assay", j_str("urn:assay:"));
    j_set(pre, "ds", j_str("urn:assay:dataset:"));
    j_set(pre, "snap", j_str("urn:assay:snapshot:sha256:"));
    j_set(pre, "model", j_str("urn:assay:model:sha256:"));
    j_set(pre, "run", j_str("urn:assay:run:"));
    j_set(pre, "xsd", j_str("http://www.w3.org/2001/XMLSchema#"));
    j_set(doc, "prefix", pre);
    j_set(doc, "entity", j_obj());
    j_set(doc, "activity", j_obj());
    tool = j_obj();
    j_set(tool, "prov:type", qname("prov", "SoftwareAgent"));
    j_set(tool, "prov:label", j_str(x->producer));
    j_set(agent, "assay:tool", tool);
    j_set(doc, "agent", agent);
    if (prov_entities(x, doc, &nrel, err) < 0 ||
        prov_derivations(x, doc, &nrel, err) < 0 ||
        prov_runs(x, doc, &nrel, err) < 0 ||
        prov_others(x, doc, &nrel, err) < 0)
        goto out;
    text = j_dump(doc, J_PRETTY);
    buf_adds(&x->out, text);
    buf_addc(&x->out, '\n');
    free(text);
    rc = 0;
out:
    j_free(doc);
    return rc;
}

/* ---- pictures: DOT and Mermaid from one node/edge list ---- */

enum shape { SH_SNAPSHOT, SH_RUN, SH_MODEL, SH_ENV };

struct gnode {
    char id[40];
    enum shape shape;
    char *label;            /* lines separated by '\n' */
};

struct gedge {
    char from[40], to[40];
    char *label;            /* may be NULL */
    int dashed;
};

struct graph {
    struct gnode *n;
    size_t nn, capn;
    struct gedge *e;
    size_t ne, cape;
};

static void add_node(struct graph *g, enum shape sh, const char *id,
                     char *label)
{
    struct gnode *n;

    grow(&g->n, &g->capn, g->nn + 1, sizeof(*g->n));
    n = &g->n[g->nn++];
    snprintf(n->id, sizeof(n->id), "%s", id);
    n->shape = sh;
    n->label = label;
}

static void add_edge(struct graph *g, const char *from, const char *to,
                     const char *label, int dashed)
{
    struct gedge *e;

    grow(&g->e, &g->cape, g->ne + 1, sizeof(*g->e));
    e = &g->e[g->ne++];
    snprintf(e->from, sizeof(e->from), "%s", from);
    snprintf(e->to, sizeof(e->to), "%s", to);
    e->label = label != NULL ? xstrdup(label) : NULL;
    e->dashed = dashed;
}

static void graph_release(struct graph *g)
{
    size_t i;

    for (i = 0; i < g->nn; i++)
        free(g->n[i].label);
    for (i = 0; i < g->ne; i++)
        free(g->e[i].label);
    free(g->n);
    free(g->e);
}

static const char *base_of(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL ? s + 1 : path;
}

/* How to add a node or edge kind to the pictures: a query and a row
 * here.  Each query yields id, then label parts (nodes) or from-id,
 * to-id, label, dashed (edges); fmt builds the label from the parts. */
static const struct gquery {
    int is_edge;
    enum shape shape;
    const char *from_prefix, *to_prefix;
    const char *sql;
} gqueries[] = {
    { 0, SH_SNAPSHOT, "s", NULL,
      "SELECT s.id, d.name, substr(s.sha256, 1, 12), coalesce((SELECT "
      "'check: ' || c.verdict FROM checks c WHERE c.snapshot_id = s.id "
      "ORDER BY c.id DESC LIMIT 1), '') FROM snapshots s "
      "JOIN datasets d ON d.id = s.dataset_id ORDER BY s.id" },
    { 0, SH_RUN, "r", NULL,
      "SELECT r.id, 'run ' || r.name, coalesce(f.status, 'running'), '' "
      "FROM runs r LEFT JOIN run_finishes f ON f.run_id = r.id "
      "ORDER BY r.id" },
    { 0, SH_MODEL, "m", NULL,
      "SELECT id, path, substr(sha256, 1, 12), '' FROM models ORDER BY id" },
    { 0, SH_ENV, "e", NULL,
      "SELECT min(id), 'env ' || env, '', '' FROM deployments GROUP BY env "
      "ORDER BY env" },
    { 1, 0, "s", "s",
      "SELECT di.snapshot_id, d.output_id, coalesce(d.transform, 'derived'), "
      "0 FROM derivation_inputs di JOIN derivations d ON d.id = "
      "di.derivation_id ORDER BY di.id" },
    { 1, 0, "s", "r",
      "SELECT snapshot_id, run_id, role, 0 FROM run_inputs ORDER BY id" },
    { 1, 0, "r", "m",
      "SELECT run_id, model_id, NULL, 0 FROM run_models ORDER BY id" },
    { 1, 0, "m", "e",
      "SELECT d.model_id, (SELECT min(e.id) FROM deployments e WHERE "
      "e.env = d.env), CASE WHEN d.model_id = (SELECT l.model_id FROM "
      "deployments l WHERE l.env = d.env ORDER BY l.id DESC LIMIT 1) "
      "THEN 'live since ' || max(d.deployed) ELSE 'was deployed ' || "
      "max(d.deployed) END, d.model_id != (SELECT l.model_id FROM "
      "deployments l WHERE l.env = d.env ORDER BY l.id DESC LIMIT 1) "
      "FROM deployments d GROUP BY d.model_id, d.env ORDER BY min(d.id)" },
};

static int load_graph(struct ex *x, struct graph *g, struct assay_err *err)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < ARRAY_SIZE(gqueries) && rc == 0; i++) {
        const struct gquery *gq = &gqueries[i];
        struct store_stmt *q = store_query(x->st, err, gq->sql, "");

        if (q == NULL)
            return -1;
        while ((rc = store_step(q, err)) == 1) {
            char a[40], b[40];

            snprintf(a, sizeof(a), "%s%lld", gq->from_prefix,
                     store_int(q, 0));
            if (gq->is_edge) {
                snprintf(b, sizeof(b), "%s%lld", gq->to_prefix,
                         store_int(q, 1));
                add_edge(g, a, b, store_text(q, 2), store_int(q, 3) != 0);
            } else {
                const char *t1 = store_text(q, 1), *t2 = store_text(q, 2);
                const char *t3 = store_text(q, 3);

                if (gq->shape == SH_MODEL)
                    t1 = base_of(t1);
                add_node(g, gq->shape, a, xasprintf("%s%s%s%s%s", t1,
                                                    *t2 ? "\n" : "", t2,
                                                    *t3 ? "\n" : "", t3));
            }
        }
        store_done(q);
    }
    return rc;
}

/* A DOT string literal body: backslash, quote and newline escaped. */
static void dot_str(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            buf_addc(b, '\\');
        if (*s == '\n')
            buf_adds(b, "\\n");
        else if ((unsigned char)*s >= 0x20)
            buf_addc(b, *s);
    }
    buf_addc(b, '"');
}

static int export_dot(struct ex *x, struct assay_err *err)
{
    static const char *const shapes[] = {
        [SH_SNAPSHOT] = "box", [SH_RUN] = "ellipse", [SH_MODEL] = "box3d",
        [SH_ENV] = "house",
    };
    struct graph g;
    size_t i;
    int rc;

    memset(&g, 0, sizeof(g));
    rc = load_graph(x, &g, err);
    if (rc == 0) {
        buf_adds(&x->out, "digraph lineage {\n    rankdir=LR;\n"
                 "    node [fontname=\"Helvetica\", fontsize=10];\n"
                 "    edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (i = 0; i < g.nn; i++) {
            buf_printf(&x->out, "    %s [shape=%s, label=", g.n[i].id,
                       shapes[g.n[i].shape]);
            dot_str(&x->out, g.n[i].label);
            buf_adds(&x->out, "];\n");
        }
        for (i = 0; i < g.ne; i++) {
            buf_printf(&x->out, "    %s -> %s", g.e[i].from, g.e[i].to);
            if (g.e[i].label != NULL || g.e[i].dashed) {
                buf_adds(&x->out, " [");
                if (g.e[i].label != NULL) {
                    buf_adds(&x->out, "label=");
                    dot_str(&x->out, g.e[i].label);
                }
                if (g.e[i].dashed)
                    buf_printf(&x->out, "%sstyle=dashed",
                               g.e[i].label != NULL ? ", " : "");
                buf_addc(&x->out, ']');
            }
            buf_adds(&x->out, ";\n");
        }
        buf_adds(&x->out, "}\n");
    }
    graph_release(&g);
    return rc;
}

/* Mermaid label text inside "...": quotes and angle brackets as entity
 * codes, newlines as <br/>. */
static void mermaid_str(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            buf_adds(b, "#quot;");
        else if (*s == '<')
            buf_adds(b, "#lt;");
        else if (*s == '>')
            buf_adds(b, "#gt;");
        else if (*s == '\n')
            buf_adds(b, "<br/>");
        else if ((unsigned char)*s >= 0x20)
            buf_addc(b, *s);
    }
    buf_addc(b, '"');
}

static int export_mermaid(struct ex *x, struct assay_err *err)
{
    static const char *const open[] = {
        [SH_SNAPSHOT] = "[", [SH_RUN] = "([", [SH_MODEL] = "[[",
        [SH_ENV] = "{{",
    };
    static const char *const close[] = {
        [SH_SNAPSHOT] = "]", [SH_RUN] = "])", [SH_MODEL] = "]]",
        [SH_ENV] = "}}",
    };
    struct graph g;
    size_t i;
    int rc;

    memset(&g, 0, sizeof(g));
    rc = load_graph(x, &g, err);
    if (rc == 0) {
        buf_adds(&x->out, "flowchart LR\n");
        for (i = 0; i < g.nn; i++) {
            buf_printf(&x->out, "    %s%s", g.n[i].id, open[g.n[i].shape]);
            mermaid_str(&x->out, g.n[i].label);
            buf_printf(&x->out, "%s\n", close[g.n[i].shape]);
        }
        for (i = 0; i < g.ne; i++) {
            buf_printf(&x->out, "    %s %s", g.e[i].from,
                       g.e[i].dashed ? "-.->" : "-->");
            if (g.e[i].label != NULL) {
                buf_addc(&x->out, '|');
                mermaid_str(&x->out, g.e[i].label);
                buf_addc(&x->out, '|');
            }
            buf_printf(&x->out, " %s\n", g.e[i].to);
        }
    }
    graph_release(&g);
    return rc;
}

/* ---- dispatch ---- */

/* How to add a format: an export_NAME() above, a row here, and the name
 * in lineage_export_formats[]. */
static const struct exporter {
    const char *name;
    int (*fn)(struct ex *x, struct assay_err *err);
} exporters[] = {
    { "openlineage", export_openlineage },
    { "prov", export_prov },
    { "dot", export_dot },
    { "mermaid", export_mermaid },
};

const char *const lineage_export_formats[] = {
    "openlineage", "prov", "dot", "mermaid", NULL,
};

char *lineage_export(const char *db_path, const char *format,
                     const char *tool_version, struct assay_err *err)
{
    const struct exporter *e = NULL;
    struct ex x;
    size_t i;
    char *res = NULL;

    for (i = 0; i < ARRAY_SIZE(exporters); i++)
        if (format != NULL && strcmp(exporters[i].name, format) == 0)
            e = &exporters[i];
    if (e == NULL) {
        seterr(err, ASSAY_EUSAGE, "unknown export format '%s' (openlineage, "
               "prov, dot or mermaid)", format != NULL ? format : "");
        return NULL;
    }
    memset(&x, 0, sizeof(x));
    x.version = tool_version != NULL ? tool_version : "0";
    x.producer = xasprintf(PRODUCER_BASE "%s", x.version);
    x.st = store_open(db_path, STORE_READ, err);
    if (x.st != NULL && store_begin(x.st, err) == 0 && e->fn(&x, err) == 0) {
        if (x.out.len == 0)
            buf_adds(&x.out, "");
        res = buf_detach(&x.out);
        if (res == NULL)
            res = xstrdup("");
    }
    store_close(x.st);
    buf_release(&x.out);
    free(x.producer);
    return res;
}
