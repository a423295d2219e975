/* prov.c -- the lineage graph as W3C PROV-JSON (Member Submission; see
 * shared/prov-spec): snapshots, datasets and models are entities;
 * derivations, training runs, checks and deployments are activities;
 * used / wasGeneratedBy / wasDerivedFrom / specializationOf link them.
 * Read by python3-prov (tests/cli/0603-lineage-export.t). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "store.h"
#include "json.h"
#include "util.h"

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

int export_prov(struct ex *x, struct assay_err *err)
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

