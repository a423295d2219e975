/* record.c -- writing the lineage graph: snapshots, derivations, runs,
 * models, deployments and check results (lineage.h).
 *
 * Files are identified (hashed) before the write transaction starts, so
 * the write lock is held only for the inserts.  Each public function is
 * one transaction and at most one ledger entry; every insert goes through
 * ledger_insert().  Overwrite detection lives in put_path(). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "lineage.h"
#include "ledger.h"
#include "node.h"
#include "store.h"
#include "crypto.h"
#include "identify.h"
#include "json.h"
#include "util.h"

/* One write command in progress. */
struct rec {
    struct store *st;
    struct ledger_tx tx;
    int in_tx;
    char **warn;            /* NULL-terminated */
    size_t nwarn;
    struct json_t *out;
};

/* What we know of a file about to become a snapshot. */
struct snap {
    char sha256[65];
    char row_digest[65];    /* "" when not tabular */
    char schema_hash[65];
    long long bytes, rows, columns;     /* rows/columns -1: not tabular */
    long long mtime_ns;                 /* -1: unknown */
    char *path;                         /* absolute, or NULL (stdin) */
    const char *dataset;                /* NULL: from the path */
    int explicit_dataset;
};

void lineage_free_warnings(char **warnings)
{
    size_t i;

    if (warnings == NULL)
        return;
    for (i = 0; warnings[i] != NULL; i++)
        free(warnings[i]);
    free(warnings);
}

static void rec_warn(struct rec *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void rec_warn(struct rec *r, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    buf_adds(&b, line);
    r->warn = xrealloc(r->warn, (r->nwarn + 2) * sizeof(char *));
    r->warn[r->nwarn++] = buf_detach(&b);
    r->warn[r->nwarn] = NULL;
}

/* ---- identifying files (before the transaction) ---- */

static long long mtime_of(const struct stat *sb)
{
    return (long long)sb->st_mtim.tv_sec * 1000000000LL +
           (long long)sb->st_mtim.tv_nsec;
}

/* The mtime verify will compare with: stat now, trusted only when the
 * size still matches the bytes that were hashed. */
static long long file_mtime(const char *path, long long bytes)
{
    struct stat sb;

    if (stat(path, &sb) < 0 || (long long)sb.st_size != bytes)
        return -1;
    return mtime_of(&sb);
}

static void snap_release(struct snap *s)
{
    free(s->path);
    s->path = NULL;
}

static int identify_file(const char *path, struct snap *s,
                         struct assay_err *err)
{
    struct data_ident id;

    memset(s, 0, sizeof(*s));
    if (strcmp(path, "-") == 0)
        return seterr(err, ASSAY_EUSAGE, "cannot record standard input: "
                      "give the path of a file");
    memset(&id, 0, sizeof(id));
    if (data_identify(path, &id, err) < 0)
        return -1;
    memcpy(s->sha256, id.sha256, sizeof(s->sha256));
    s->bytes = (long long)id.bytes;
    s->rows = s->columns = -1;
    if (id.tabular) {
        memcpy(s->row_digest, id.row_digest, sizeof(s->row_digest));
        memcpy(s->schema_hash, id.schema_hash, sizeof(s->schema_hash));
        s->rows = (long long)id.rows;
        s->columns = (long long)id.columns;
    }
    s->mtime_ns = file_mtime(path, s->bytes);
    s->path = node_abs_path(path);
    return 0;
}

/* The default dataset name: the file name. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL ? s + 1 : path;
}

/* ---- transactions ---- */

/* r must be zeroed before anything can fail, so that rec_end() works
 * whatever happened. */
static int rec_begin(struct rec *r, const char *db_path,
                     struct assay_err *err)
{
    r->out = j_obj();
    r->st = store_open(db_path, STORE_WRITE, err);
    if (r->st == NULL)
        return -1;
    if (ledger_begin(&r->tx, r->st, err) < 0)
        return -1;
    r->in_tx = 1;
    return 0;
}

/* Commit (when ok) or roll back, close, and hand out the results. */
static int rec_end(struct rec *r, int ok, const char *kind,
                   struct json_t **out, char ***warnings,
                   struct assay_err *err)
{
    long long seq = 0;
    int rc = -1;

    if (r->in_tx) {
        if (ok)
            rc = ledger_commit(&r->tx, kind, &seq, err);
        else
            ledger_abort(&r->tx);
    }
    store_close(r->st);
    if (rc == 0) {
        if (r->out == NULL)
            r->out = j_obj();
        j_set(r->out, "seq", j_int(seq));
        if (out != NULL) {
            *out = r->out;
            r->out = NULL;
        }
        if (warnings != NULL) {
            if (r->warn == NULL)
                r->warn = xcalloc(1, sizeof(char *));
            *warnings = r->warn;
            r->warn = NULL;
        }
    } else if (warnings != NULL) {
        *warnings = NULL;
    }
    if (rc < 0 && out != NULL)
        *out = NULL;
    lineage_free_warnings(r->warn);
    j_free(r->out);
    return rc;
}

static struct json_t *out_list(struct rec *r, const char *key)
{
    struct json_t *l = j_get(r->out, key);

    if (l == NULL) {
        l = j_arr();
        j_set(r->out, key, l);
    }
    return l;
}

/* ---- snapshots and paths ---- */

static long long put_dataset(struct rec *r, const char *name,
                             struct assay_err *err)
{
    long long id = 0;
    int rc = store_get_int(r->st, err, &id, "SELECT id FROM datasets "
                           "WHERE name = ?", "s", name);

    if (rc != 0)
        return rc < 0 ? -1 : id;
    return ledger_insert(&r->tx, "datasets", err, "INSERT INTO "
                         "datasets(name, created, seq) VALUES (?, ?, ?)",
                         "ssi", name, r->tx.ts, r->tx.seq);
}

static const char *or_null(const char *s)
{
    return s != NULL && *s != '\0' ? s : NULL;
}

/* Insert a snapshot_paths row unless the path's latest row already says
 * the same.  A path that held another snapshot, with no derivation
 * recorded producing the new one, was overwritten in place. */
static int put_path(struct rec *r, long long sid, const struct snap *s,
                    int produced, int *overwrite, struct assay_err *err)
{
    struct store_stmt *q;
    long long prev = 0, pbytes = 0, pmtime = -1, derived = 0;
    char prev_sha[65] = "";
    int rc, have;

    *overwrite = 0;
    q = store_query(r->st, err, "SELECT p.snapshot_id, p.bytes, "
                    "coalesce(p.mtime_ns, -1), s.sha256 FROM snapshot_paths p "
                    "JOIN snapshots s ON s.id = p.snapshot_id "
                    "WHERE p.path = ? ORDER BY p.id DESC LIMIT 1", "s",
                    s->path);
    if (q == NULL)
        return -1;
    have = store_step(q, err);
    if (have == 1) {
        prev = store_int(q, 0);
        pbytes = store_int(q, 1);
        pmtime = store_int(q, 2);
        snprintf(prev_sha, sizeof(prev_sha), "%s", store_text(q, 3));
    }
    store_done(q);
    if (have < 0)
        return -1;
    if (have && prev == sid && pbytes == s->bytes && pmtime == s->mtime_ns)
        return 0;
    if (have && prev != sid) {
        rc = store_get_int(r->st, err, &derived, "SELECT count(*) FROM "
                           "derivations WHERE output_id = ?", "i", sid);
        if (rc < 0)
            return -1;
        *overwrite = !produced && derived == 0;
    }
    if (ledger_insert(&r->tx, "snapshot_paths", err, "INSERT INTO "
                      "snapshot_paths(path, snapshot_id, bytes, mtime_ns, "
                      "seen, previous_id, overwrite, seq) "
                      "VALUES (?, ?, ?, nullif(?, -1), ?, nullif(?, 0), ?, ?)",
                      "siiisiii", s->path, sid, s->bytes, s->mtime_ns,
                      r->tx.ts, have && prev != sid ? prev : 0LL,
                      (long long)*overwrite, r->tx.seq) < 0)
        return -1;
    if (*overwrite)
        rec_warn(r, "'%s' was overwritten in place: it held %s and now "
                 "holds %s, and no derivation producing the new content is "
                 "recorded", s->path, prev_sha, s->sha256);
    return 0;
}

/* Record a snapshot (and where it was seen); returns its id or -1. */
static long long put_snapshot(struct rec *r, const struct snap *s,
                              int produced, struct assay_err *err)
{
    struct store_stmt *q;
    struct json_t *o;
    const char *dataset = s->dataset;
    char known_ds[256] = "";
    long long sid = 0, did;
    int rc, overwrite = 0, isnew = 0;

    if (dataset == NULL)
        dataset = s->path != NULL ? base_name(s->path) : "stdin";
    q = store_query(r->st, err, "SELECT s.id, d.name FROM snapshots s "
                    "JOIN datasets d ON d.id = s.dataset_id "
                    "WHERE s.sha256 = ?", "s", s->sha256);
    if (q == NULL)
        return -1;
    rc = store_step(q, err);
    if (rc == 1) {
        sid = store_int(q, 0);
        snprintf(known_ds, sizeof(known_ds), "%s", store_text(q, 1));
    }
    store_done(q);
    if (rc < 0)
        return -1;
    if (rc == 1 && s->explicit_dataset && strcmp(known_ds, dataset) != 0)
        rec_warn(r, "snapshot %s is already recorded in dataset '%s'; it "
                 "stays there (not '%s')", s->sha256, known_ds, dataset);
    if (rc == 0) {
        did = put_dataset(r, dataset, err);
        if (did < 0)
            return -1;
        sid = ledger_insert(&r->tx, "snapshots", err, "INSERT INTO "
                            "snapshots(dataset_id, sha256, bytes, mtime_ns, "
                            "path, row_digest, schema_hash, rows, columns, "
                            "created, seq) VALUES (?, ?, ?, nullif(?, -1), ?, "
                            "?, ?, nullif(?, -1), nullif(?, -1), ?, ?)",
                            "isiisssiisi", did, s->sha256, s->bytes,
                            s->mtime_ns, s->path, or_null(s->row_digest),
                            or_null(s->schema_hash), s->rows, s->columns,
                            r->tx.ts, r->tx.seq);
        if (sid < 0)
            return -1;
        isnew = 1;
    }
    if (s->path != NULL && put_path(r, sid, s, produced, &overwrite,
                                    err) < 0)
        return -1;
    o = j_obj();
    j_set(o, "sha256", j_str(s->sha256));
    j_set(o, "dataset", j_str(rc == 1 ? known_ds : dataset));
    j_set(o, "path", j_str(s->path));
    j_set(o, "new", j_bool(isnew));
    j_set(o, "overwrite", j_bool(overwrite));
    j_push(out_list(r, "snapshots"), o);
    return sid;
}

/* ---- lineage add ---- */

int lineage_add(const char *db_path, const char *const *paths, size_t n,
                const char *dataset, struct json_t **out, char ***warnings,
                struct assay_err *err)
{
    struct snap *s = xcalloc(n + 1, sizeof(*s));
    struct rec r;
    size_t i;
    int ok = 0, rc;

    memset(&r, 0, sizeof(r));
    for (i = 0; i < n; i++) {
        if (identify_file(paths[i], &s[i], err) < 0)
            goto out;
        s[i].dataset = dataset;
        s[i].explicit_dataset = dataset != NULL;
    }
    if (rec_begin(&r, db_path, err) < 0)
        goto out;
    for (i = 0; i < n; i++)
        if (put_snapshot(&r, &s[i], 0, err) < 0)
            goto out;
    ok = 1;
out:
    rc = rec_end(&r, ok, "snapshot.add", out, warnings, err);
    for (i = 0; i < n; i++)
        snap_release(&s[i]);
    free(s);
    return rc;
}

/* ---- lineage derive ---- */

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

/* Sort and drop repeats; returns the new count. */
static size_t uniq_ids(long long *ids, size_t n)
{
    size_t i, k = 0;

    qsort(ids, n, sizeof(*ids), cmp_ll);
    for (i = 0; i < n; i++)
        if (k == 0 || ids[k - 1] != ids[i])
            ids[k++] = ids[i];
    return k;
}

/* 1 when output_id already has a derivation with this transform, code
 * and exactly these (sorted, unique) inputs. */
static int same_derivation(struct rec *r, long long output_id,
                           const struct lineage_derivation *d,
                           const long long *in, size_t nin,
                           struct assay_err *err)
{
    struct store_stmt *q, *qi = NULL;
    int rc, found = 0;

    q = store_query(r->st, err, "SELECT id FROM derivations WHERE "
                    "output_id = ? AND transform IS ? AND code_rev IS ?",
                    "iss", output_id, d->transform, d->code_rev);
    if (q == NULL)
        return -1;
    while (!found && (rc = store_step(q, err)) == 1) {
        size_t k = 0;
        int ri;

        qi = store_query(r->st, err, "SELECT snapshot_id FROM "
                         "derivation_inputs WHERE derivation_id = ? "
                         "ORDER BY snapshot_id", "i", store_int(q, 0));
        if (qi == NULL) {
            rc = -1;
            break;
        }
        found = 1;
        while ((ri = store_step(qi, err)) == 1)
            if (k >= nin || store_int(qi, 0) != in[k++])
                found = 0;
        store_done(qi);
        if (ri < 0) {
            rc = -1;
            break;
        }
        if (k != nin)
            found = 0;
    }
    store_done(q);
    return rc < 0 ? -1 : found;
}

int lineage_derive(const char *db_path, const struct lineage_derivation *d,
                   struct json_t **out, char ***warnings,
                   struct assay_err *err)
{
    struct snap *s = xcalloc(d->ninputs + 1, sizeof(*s));
    long long *in = xcalloc(d->ninputs + 1, sizeof(*in)), oid, did;
    struct rec r;
    size_t i, nin;
    int ok = 0, rc;

    memset(&r, 0, sizeof(r));
    if (d->ninputs == 0) {
        seterr(err, ASSAY_EUSAGE, "a derivation needs at least one input");
        goto out;
    }
    for (i = 0; i < d->ninputs; i++)
        if (identify_file(d->inputs[i], &s[i], err) < 0)
            goto out;
    if (identify_file(d->output, &s[d->ninputs], err) < 0)
        goto out;
    s[d->ninputs].dataset = d->dataset;
    s[d->ninputs].explicit_dataset = d->dataset != NULL;
    for (i = 0; i < d->ninputs; i++)
        if (strcmp(s[i].sha256, s[d->ninputs].sha256) == 0) {
            seterr(err, ASSAY_EINPUT, "'%s' has the same content as its "
                   "input '%s': a copy is not a derivation", d->output,
                   d->inputs[i]);
            goto out;
        }
    if (rec_begin(&r, db_path, err) < 0)
        goto out;
    for (i = 0; i < d->ninputs; i++) {
        in[i] = put_snapshot(&r, &s[i], 0, err);
        if (in[i] < 0)
            goto out;
    }
    oid = put_snapshot(&r, &s[d->ninputs], 1, err);
    if (oid < 0)
        goto out;
    nin = uniq_ids(in, d->ninputs);
    rc = same_derivation(&r, oid, d, in, nin, err);
    if (rc < 0)
        goto out;
    if (rc == 0) {
        did = ledger_insert(&r.tx, "derivations", err, "INSERT INTO "
                            "derivations(output_id, transform, code_rev, "
                            "created, seq) VALUES (?, ?, ?, ?, ?)", "isssi",
                            oid, d->transform, d->code_rev, r.tx.ts,
                            r.tx.seq);
        if (did < 0)
            goto out;
        for (i = 0; i < nin; i++)
            if (ledger_insert(&r.tx, "derivation_inputs", err, "INSERT INTO "
                              "derivation_inputs(derivation_id, snapshot_id, "
                              "seq) VALUES (?, ?, ?)", "iii", did, in[i],
                              r.tx.seq) < 0)
                goto out;
    }
    j_set(r.out, "derivation", j_bool(rc == 0));
    ok = 1;
out:
    rc = rec_end(&r, ok, "derive", out, warnings, err);
    for (i = 0; i <= d->ninputs; i++)
        snap_release(&s[i]);
    free(s);
    free(in);
    return rc;
}

/* ---- runs ---- */

/* A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits,
 * so run ids sort by start time. */
static int uuid7(char out[40], struct assay_err *err)
{
    unsigned char b[16];
    struct timespec ts;
    unsigned long long ms;
    FILE *f = fopen("/dev/urandom", "rb");
    int i;

    if (f == NULL || fread(b, 1, sizeof(b), f) != sizeof(b)) {
        if (f != NULL)
            fclose(f);
        return seterr(err, ASSAY_EIO, "cannot read /dev/urandom: %s",
                      strerror(errno));
    }
    fclose(f);
    clock_gettime(CLOCK_REALTIME, &ts);
    ms = (unsigned long long)ts.tv_sec * 1000ULL +
         (unsigned long long)ts.tv_nsec / 1000000ULL;
    for (i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
             b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return 0;
}

/* Canonical JSON of an object argument ("{}" for NULL); caller frees. */
static char *canon_object(const struct json_t *v, const char *what,
                          struct assay_err *err)
{
    if (v == NULL)
        return xstrdup("{}");
    if (!j_is_object(v)) {
        seterr(err, ASSAY_EUSAGE, "%s must be a JSON object", what);
        return NULL;
    }
    return j_dump(v, J_CANON);
}

int lineage_run_start(const char *db_path, const struct lineage_run *run,
                      char run_id[40], struct json_t **out,
                      char ***warnings, struct assay_err *err)
{
    struct snap *s = xcalloc(run->ninputs + 1, sizeof(*s));
    long long *sid = xcalloc(run->ninputs + 1, sizeof(*sid)), rid;
    char *params = NULL;
    struct rec r;
    struct json_t *o;
    size_t i, k;
    int ok = 0, rc;

    memset(&r, 0, sizeof(r));
    run_id[0] = '\0';
    if (run->name == NULL || *run->name == '\0') {
        seterr(err, ASSAY_EUSAGE, "a run needs a name");
        goto out;
    }
    params = canon_object(run->params, "run parameters", err);
    if (params == NULL || uuid7(run_id, err) < 0)
        goto out;
    for (i = 0; i < run->ninputs; i++)
        if (identify_file(run->inputs[i].path, &s[i], err) < 0)
            goto out;
    if (rec_begin(&r, db_path, err) < 0)
        goto out;
    for (i = 0; i < run->ninputs; i++) {
        sid[i] = put_snapshot(&r, &s[i], 0, err);
        if (sid[i] < 0)
            goto out;
    }
    rid = ledger_insert(&r.tx, "runs", err, "INSERT INTO runs(uuid, name, "
                        "params, code_rev, started, seq) "
                        "VALUES (?, ?, ?, ?, ?, ?)", "sssssi", run_id,
                        run->name, params, run->code_rev, r.tx.ts, r.tx.seq);
    if (rid < 0)
        goto out;
    for (i = 0; i < run->ninputs; i++) {
        const char *role = run->inputs[i].role != NULL ?
                           run->inputs[i].role : "input";

        for (k = 0; k < i; k++) {
            const char *rk = run->inputs[k].role != NULL ?
                             run->inputs[k].role : "input";

            if (sid[k] == sid[i] && strcmp(rk, role) == 0)
                break;
        }
        if (k < i)
            continue;       /* the same input twice in the same role */
        if (ledger_insert(&r.tx, "run_inputs", err, "INSERT INTO "
                          "run_inputs(run_id, snapshot_id, role, seq) "
                          "VALUES (?, ?, ?, ?)", "iisi", rid, sid[i], role,
                          r.tx.seq) < 0)
            goto out;
    }
    o = j_obj();
    j_set(o, "id", j_str(run_id));
    j_set(o, "name", j_str(run->name));
    j_set(r.out, "run", o);
    ok = 1;
out:
    rc = rec_end(&r, ok, "run.start", out, warnings, err);
    if (rc < 0)
        run_id[0] = '\0';
    for (i = 0; i < run->ninputs; i++)
        snap_release(&s[i]);
    free(s);
    free(sid);
    free(params);
    return rc;
}

/* A model artifact: hashed, not parsed. */
struct artifact {
    char sha256[65];
    long long bytes, mtime_ns;
    char *path;
};

static int hash_artifact(const char *path, struct artifact *a,
                         struct assay_err *err)
{
    unsigned long long bytes = 0;

    memset(a, 0, sizeof(*a));
    if (sha256_file(path, a->sha256, &bytes, err) < 0)
        return -1;
    a->bytes = (long long)bytes;
    a->mtime_ns = file_mtime(path, a->bytes);
    a->path = node_abs_path(path);
    return 0;
}

/* The model row for an artifact, inserted when new; returns its id. */
static long long put_model(struct rec *r, const struct artifact *a,
                           struct assay_err *err)
{
    long long id = 0;
    int rc = store_get_int(r->st, err, &id, "SELECT id FROM models WHERE "
                           "sha256 = ?", "s", a->sha256);

    if (rc != 0)
        return rc < 0 ? -1 : id;
    return ledger_insert(&r->tx, "models", err, "INSERT INTO models(sha256, "
                         "bytes, mtime_ns, path, created, seq) "
                         "VALUES (?, ?, nullif(?, -1), ?, ?, ?)", "siissi",
                         a->sha256, a->bytes, a->mtime_ns, a->path, r->tx.ts,
                         r->tx.seq);
}

static int resolve_kind(struct store *st, const char *ref,
                        enum node_kind want, struct node *n,
                        struct assay_err *err)
{
    if (node_resolve(st, ref, n, err) < 0)
        return -1;
    if (n->kind != want)
        return seterr(err, ASSAY_EREF, "'%s' is a %s, not a %s", ref,
                      node_kind_name(n->kind), node_kind_name(want));
    return 0;
}

int lineage_run_finish(const char *db_path, const struct lineage_finish *f,
                       struct json_t **out, char ***warnings,
                       struct assay_err *err)
{
    struct artifact *a = xcalloc(f->nmodels + 1, sizeof(*a));
    const char *status = f->status != NULL ? f->status : "succeeded";
    char *metrics = NULL;
    struct node run;
    struct rec r;
    long long done = 0, mid, linked;
    size_t i;
    int ok = 0, rc;

    memset(&r, 0, sizeof(r));
    if (strcmp(status, "succeeded") != 0 && strcmp(status, "failed") != 0) {
        seterr(err, ASSAY_EUSAGE, "unknown run status '%s' (succeeded or "
               "failed)", status);
        goto out;
    }
    metrics = canon_object(f->metrics, "run metrics", err);
    if (metrics == NULL)
        goto out;
    for (i = 0; i < f->nmodels; i++)
        if (hash_artifact(f->models[i], &a[i], err) < 0)
            goto out;
    if (rec_begin(&r, db_path, err) < 0 ||
        resolve_kind(r.st, f->run, NODE_RUN, &run, err) < 0)
        goto out;
    if (store_get_int(r.st, err, &done, "SELECT count(*) FROM run_finishes "
                      "WHERE run_id = ?", "i", run.id) < 0)
        goto out;
    if (done > 0) {
        seterr(err, ASSAY_EINPUT, "run '%s' has already finished", f->run);
        goto out;
    }
    if (ledger_insert(&r.tx, "run_finishes", err, "INSERT INTO "
                      "run_finishes(run_id, status, finished, metrics, seq) "
                      "VALUES (?, ?, ?, ?, ?)", "isssi", run.id, status,
                      r.tx.ts, metrics, r.tx.seq) < 0)
        goto out;
    for (i = 0; i < f->nmodels; i++) {
        struct json_t *o;

        mid = put_model(&r, &a[i], err);
        if (mid < 0)
            goto out;
        linked = 0;
        if (store_get_int(r.st, err, &linked, "SELECT count(*) FROM "
                          "run_models WHERE run_id = ? AND model_id = ?",
                          "ii", run.id, mid) < 0)
            goto out;
        if (linked == 0 &&
            ledger_insert(&r.tx, "run_models", err, "INSERT INTO "
                          "run_models(run_id, model_id, seq) "
                          "VALUES (?, ?, ?)", "iii", run.id, mid,
                          r.tx.seq) < 0)
            goto out;
        o = j_obj();
        j_set(o, "sha256", j_str(a[i].sha256));
        j_set(o, "path", j_str(a[i].path));
        j_push(out_list(&r, "models"), o);
    }
    j_set(r.out, "status", j_str(status));
    ok = 1;
out:
    rc = rec_end(&r, ok, "run.finish", out, warnings, err);
    for (i = 0; i < f->nmodels; i++)
        free(a[i].path);
    free(a);
    free(metrics);
    return rc;
}

/* ---- deployments ---- */

/* The model a deploy argument names: the recorded model whose bytes are
 * in that file, or else a REF to a model. */
static int find_model(struct rec *r, const char *model, struct node *n,
                      struct assay_err *err)
{
    struct artifact a;
    struct stat sb;
    long long id = 0, at = 0;
    char recorded[65] = "";
    int rc;

    if (stat(model, &sb) < 0 || !S_ISREG(sb.st_mode))
        return resolve_kind(r->st, model, NODE_MODEL, n, err);
    if (hash_artifact(model, &a, err) < 0)
        return -1;
    rc = store_get_int(r->st, err, &id, "SELECT id FROM models WHERE "
                       "sha256 = ?", "s", a.sha256);
    if (rc == 0) {
        rc = store_get_int(r->st, err, &at, "SELECT max(id) FROM models "
                           "WHERE path = ?", "s", a.path);
        if (rc == 1) {
            struct store_stmt *q = store_query(r->st, err, "SELECT sha256 "
                                               "FROM models WHERE id = ?",
                                               "i", at);

            if (q != NULL && store_step(q, err) == 1)
                snprintf(recorded, sizeof(recorded), "%s", store_text(q, 0));
            store_done(q);
            seterr(err, ASSAY_EINPUT, "'%s' has changed since it was "
                   "recorded (recorded %s, now %s)", model, recorded,
                   a.sha256);
        } else if (rc == 0) {
            seterr(err, ASSAY_EREF, "'%s' (sha256 %s) is not a recorded "
                   "model: record it first with 'assay lineage run finish "
                   "RUN --model %s'", model, a.sha256, model);
        }
        rc = -1;
    }
    free(a.path);
    if (rc < 0)
        return -1;
    n->kind = NODE_MODEL;
    n->id = id;
    return 0;
}

int lineage_deploy(const char *db_path, const char *model, const char *env,
                   struct json_t **out, char ***warnings,
                   struct assay_err *err)
{
    struct node m;
    struct rec r;
    struct json_t *o;
    long long live = 0;
    int ok = 0, rc;

    memset(&r, 0, sizeof(r));
    if (env == NULL || *env == '\0') {
        seterr(err, ASSAY_EUSAGE, "a deployment needs an environment");
        goto out;
    }
    if (rec_begin(&r, db_path, err) < 0 || find_model(&r, model, &m,
                                                      err) < 0)
        goto out;
    rc = store_get_int(r.st, err, &live, "SELECT model_id FROM deployments "
                       "WHERE env = ? ORDER BY id DESC LIMIT 1", "s", env);
    if (rc < 0)
        goto out;
    if (rc == 0 || live != m.id) {
        if (ledger_insert(&r.tx, "deployments", err, "INSERT INTO "
                          "deployments(model_id, env, deployed, seq) "
                          "VALUES (?, ?, ?, ?)", "issi", m.id, env,
                          r.tx.ts, r.tx.seq) < 0)
            goto out;
    }
    o = node_json(r.st, &m, err);
    if (o == NULL)
        goto out;
    j_set(o, "env", j_str(env));
    j_set(o, "already_live", j_bool(rc == 1 && live == m.id));
    j_set(r.out, "deployment", o);
    ok = 1;
out:
    return rec_end(&r, ok, "deploy", out, warnings, err);
}

/* ---- assay check results ---- */

/* Copy a hex digest field of the check document (or "" when absent). */
static void hex_field(const struct json_t *ds, const char *key, char out[65])
{
    const char *v = j_string(j_get(ds, key));

    snprintf(out, 65, "%s", v != NULL ? v : "");
}

static int is_sha256(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* A JSON member as canonical text, or NULL when absent or null. */
static char *canon_member(const struct json_t *o, const char *key)
{
    struct json_t *v = j_get(o, key);

    return v == NULL || j_is_null(v) ? NULL : j_dump(v, J_CANON);
}

int lineage_record_check(const char *db_path,
                         const struct json_t *check_doc, char ***warnings,
                         struct assay_err *err)
{
    const struct json_t *ds = j_get(check_doc, "dataset");
    const struct json_t *rules = j_get(check_doc, "rules");
    const char *path = j_string(j_get(ds, "path"));
    const char *verdict = j_string(j_get(check_doc, "verdict"));
    char *results = NULL, *bias = NULL, *profile = NULL;
    struct snap s;
    struct rec r;
    long long sid;
    int ok = 0;

    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    hex_field(ds, "sha256", s.sha256);
    if (!is_sha256(s.sha256)) {
        seterr(err, ASSAY_EINPUT, "check result has no dataset.sha256");
        goto out;
    }
    if (verdict == NULL || (strcmp(verdict, "pass") != 0 &&
                            strcmp(verdict, "warn") != 0 &&
                            strcmp(verdict, "fail") != 0)) {
        seterr(err, ASSAY_EINPUT, "check result has no verdict");
        goto out;
    }
    hex_field(ds, "row_digest", s.row_digest);
    hex_field(ds, "schema_hash", s.schema_hash);
    s.bytes = j_integer(j_get(ds, "bytes"));
    s.rows = j_is_number(j_get(ds, "rows")) ?
             j_integer(j_get(ds, "rows")) : -1;
    s.columns = j_is_number(j_get(ds, "columns")) ?
                j_integer(j_get(ds, "columns")) : -1;
    s.mtime_ns = -1;
    if (path != NULL && strcmp(path, "-") != 0) {
        s.mtime_ns = file_mtime(path, s.bytes);
        s.path = node_abs_path(path);
    }
    s.dataset = j_string(j_get(ds, "name"));
    s.explicit_dataset = s.dataset != NULL;
    results = canon_member(check_doc, "results");
    bias = canon_member(check_doc, "bias");
    profile = canon_member(check_doc, "profile");
    if (rec_begin(&r, db_path, err) < 0)
        goto out;
    sid = put_snapshot(&r, &s, 0, err);
    if (sid < 0)
        goto out;
    if (ledger_insert(&r.tx, "checks", err, "INSERT INTO checks(snapshot_id, "
                      "verdict, results, bias, profile, rules_path, "
                      "rules_sha256, tool_version, checked, seq) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "issssssssi",
                      sid, verdict, results != NULL ? results : "[]", bias,
                      profile,
                      j_string(j_get(rules, "path")),
                      j_string(j_get(rules, "sha256")),
                      j_string(j_get(j_get(check_doc, "tool"), "version")),
                      r.tx.ts, r.tx.seq) < 0)
        goto out;
    ok = 1;
out:
    free(results);
    free(bias);
    free(profile);
    snap_release(&s);
    return rec_end(&r, ok, "check", NULL, warnings, err);
}
