/* export.c -- lineage_export(): the graph in other people's formats,
 * and the OpenLineage exporter (RunEvents as JSON lines).
 *
 * One read transaction; the whole export is built in memory and handed
 * back as a string.  Snapshot hashes travel as "sha256:<hex>" (the
 * OpenLineage `version` facet); check results become dataQualityAssertions
 * on the checked snapshot.  PROV-JSON lives in prov.c, DOT and Mermaid in
 * picture.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lineage.h"
#include "store.h"
#include "crypto.h"
#include "json.h"
#include "util.h"
#include "export.h"

#define PRODUCER_BASE "https://assay.invalid/assay/v"
#define OL_SPEC "https://openlineage.io/spec/"
#define OL_RUN_EVENT OL_SPEC "2-0-2/OpenLineage.json#/$defs/RunEvent"
#define OL_FACET(ver, name) OL_SPEC "facets/" ver "/" name ".json#/$defs/" name
#define ASSAY_FACET(name) \
    "https://assay.invalid/spec/facets/1-0-0/" name ".json#/$defs/" name

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

int export_openlineage(struct ex *x, struct assay_err *err)
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
