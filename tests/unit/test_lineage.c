/* test_lineage.c -- the lineage store (lineage/): schema creation and
 * migrations, refusing foreign and corrupt files, the ledger chain, and
 * tamper detection when rows are edited, deleted or reordered behind
 * assay's back (a second SQLite handle opened here plays the attacker). */
#include "testutil.h"
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crypto.h"
#include "json.h"
#include "util.h"
#include "lineage/lineage.h"
#include "lineage/ledger.h"
#include "lineage/store.h"
#include "schema_sql.h"

struct fix {
    char dir[64];
    char db[128];
};

static int setup(void **state)
{
    struct fix *f = xcalloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/assay-lineage.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    /* a directory that does not exist yet: writers must create it */
    snprintf(f->db, sizeof(f->db), "%s/.assay/lineage.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    char *cmd = xasprintf("rm -rf '%s'", f->dir);

    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", f->dir);
    free(cmd);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static char *write_file(const struct fix *f, const char *name,
                        const char *text)
{
    char *path = xasprintf("%s/%s", f->dir, name);
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Run SQL on the database through our own handle; returns the SQLite
 * result code. */
static int sql(const char *db, const char *text)
{
    sqlite3 *h = NULL;
    int rc;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    rc = sqlite3_exec(h, text, NULL, NULL, NULL);
    sqlite3_close(h);
    return rc;
}

/* First column of the first row of a query, as an integer. */
static long long sql_int(const char *db, const char *text)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    long long v = -1;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, text, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

/* A check document as `assay check --format json` writes it. */
static struct json_t *check_doc(const char *path, const char *sha,
                                const char *verdict)
{
    struct json_t *doc = j_obj(), *ds = j_obj(), *tool = j_obj();
    struct json_t *rules = j_obj(), *res = j_arr(), *r = j_obj();

    j_set(tool, "name", j_str("assay"));
    j_set(tool, "version", j_str("0.1.0"));
    j_set(doc, "tool", tool);
    j_set(ds, "path", j_str(path));
    j_set(ds, "name", j_null());
    j_set(ds, "sha256", j_str(sha));
    j_set(ds, "bytes", j_int(10));
    j_set(ds, "rows", j_int(2));
    j_set(ds, "columns", j_int(3));
    j_set(doc, "dataset", ds);
    j_set(doc, "verdict", j_str(verdict));
    j_set(r, "id", j_str("age.range"));
    j_set(r, "kind", j_str("range"));
    j_set(r, "status", j_str(strcmp(verdict, "fail") == 0 ? "fail" : "pass"));
    j_push(res, r);
    j_set(doc, "results", res);
    j_set(rules, "path", j_str("rules.yml"));
    j_set(rules, "sha256", j_str("ab12ab12ab12ab12ab12ab12ab12ab12"
                                 "ab12ab12ab12ab12ab12ab12ab12ab12"));
    j_set(doc, "rules", rules);
    return doc;
}

static const char sha_a[] =
    "aaaaaaaa11111111111111111111111111111111111111111111111111111111";
static const char sha_b[] =
    "aaaaaaaa22222222222222222222222222222222222222222222222222222222";

/* The whole flow: raw -> train/test -> run -> model -> production. */
static void build_graph(const struct fix *f)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *raw = write_file(f, "raw.csv", "id,x\n1,a\n2,b\n3,c\n4,d\n");
    char *train = write_file(f, "train.csv", "id,x\n1,a\n2,b\n3,c\n");
    char *test = write_file(f, "test.csv", "id,x\n4,d\n");
    char *model = write_file(f, "model.bin", "weights");
    const char *in1[] = { raw };
    struct lineage_derivation d = { train, in1, 1, "split", "abc", NULL };
    struct lineage_input inputs[] = { { train, "train" }, { test, "test" } };
    struct lineage_run r = { "churn", inputs, 2, NULL, "abc" };
    const char *models[] = { model };
    struct lineage_finish fin = { NULL, models, 1, NULL, NULL };
    char id[40];

    assert_int_equal(lineage_add(f->db, (const char *const *)&raw, 1, NULL,
                                 NULL, NULL, &err), 0);
    assert_int_equal(lineage_derive(f->db, &d, NULL, NULL, &err), 0);
    d.output = test;
    assert_int_equal(lineage_derive(f->db, &d, NULL, NULL, &err), 0);
    assert_int_equal(lineage_run_start(f->db, &r, id, NULL, NULL, &err), 0);
    fin.run = id;
    assert_int_equal(lineage_run_finish(f->db, &fin, NULL, NULL, &err), 0);
    assert_int_equal(lineage_deploy(f->db, model, "production", NULL, NULL,
                                    &err), 0);
    free(raw);
    free(train);
    free(test);
    free(model);
}

/* Verify and return the ledger problem message ("" when all is well). */
static char *verify_problem(const struct fix *f, int *ok)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc = lineage_verify(f->db, 0, ok, &err), *p;
    char *msg;

    assert_non_null(doc);
    p = j_get(j_get(doc, "ledger"), "problem");
    msg = xstrdup(j_string(j_get(p, "message")) ? j_string(j_get(p,
                  "message")) : "");
    j_free(doc);
    return msg;
}

/* ---- schema ---- */

static void test_schema_created(void **state)
{
    struct fix *f = *state;

    build_graph(f);
    assert_int_equal(sql_int(f->db, "PRAGMA user_version"),
                     store_schema_version());
    assert_int_equal(sql_int(f->db, "PRAGMA application_id"),
                     STORE_APPLICATION_ID);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master "
                             "WHERE name = 'derivations_by_output'"), 1);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM snapshots"), 3);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM ledger"), 6);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM pragma_"
                             "journal_mode WHERE journal_mode = 'wal'"), 1);
}

/* Every section the migration table names exists in schema.sql, and a
 * database left at version 1 is brought forward.  (A version 2 database
 * with data: tests/cli/0606-lineage-migrate.t.) */
static void test_migration_forward(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    const char *m1 = strstr(schema_sql, "-- migration 1:");
    const char *m2 = strstr(schema_sql, "-- migration 2:");
    struct json_t *log;
    char *v1, *init, marker[32];
    int v;

    assert_non_null(m1);
    assert_non_null(m2);
    for (v = 1; v <= store_schema_version(); v++) {
        snprintf(marker, sizeof(marker), "\n-- migration %d:", v);
        if (v > 1 && strstr(schema_sql, marker) == NULL)
            fail_msg("schema.sql has no section for migration %d", v);
    }
    mkdir(f->dir, 0777);
    snprintf(f->db, sizeof(f->db), "%s/old.db", f->dir);
    v1 = xstrndup(m1, (size_t)(m2 - m1));
    init = xasprintf("%s\nPRAGMA application_id = %d; "
                     "PRAGMA user_version = 1;", v1, STORE_APPLICATION_ID);
    assert_int_equal(sql(f->db, init), SQLITE_OK);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master "
                             "WHERE name = 'derivations_by_output'"), 0);
    log = lineage_log(f->db, &err);     /* a reader migrates too */
    assert_non_null(log);
    assert_int_equal(j_len(log), 0);
    j_free(log);
    assert_int_equal(sql_int(f->db, "PRAGMA user_version"),
                     store_schema_version());
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master "
                             "WHERE name = 'derivations_by_output'"), 1);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM "
                             "pragma_table_info('checks') "
                             "WHERE name = 'profile'"), 1);
    free(v1);
    free(init);
}

static void test_newer_schema_refused(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;

    build_graph(f);
    assert_int_equal(sql(f->db, "PRAGMA user_version = 99"), SQLITE_OK);
    assert_null(lineage_log(f->db, &err));
    assert_int_equal(err.status, ASSAY_ECORRUPT);
    assert_non_null(strstr(err.msg, "schema version 99"));
}

/* A foreign SQLite file, a file of garbage and a truncated database are
 * refused with ASSAY_ECORRUPT (exit 3), never a crash. */
static void test_foreign_and_corrupt(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    char *path, *junk;
    const char *paths[1];
    struct stat sb;

    mkdir(f->dir, 0777);
    path = xasprintf("%s/other.db", f->dir);
    assert_int_equal(sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1)"),
                     SQLITE_OK);
    junk = write_file(f, "junk.csv", "a,b\n1,2\n");
    paths[0] = junk;
    assert_int_equal(lineage_add(path, paths, 1, NULL, NULL, NULL, &err),
                     -1);
    assert_int_equal(err.status, ASSAY_ECORRUPT);
    assert_non_null(strstr(err.msg, "not an assay lineage database"));
    free(path);

    path = write_file(f, "garbage.db", "this is not an SQLite database, it is "
                      "just some text that is long enough to be a header.\n");
    err.status = ASSAY_OK;
    assert_null(lineage_log(path, &err));
    assert_int_equal(err.status, ASSAY_ECORRUPT);
    free(path);

    build_graph(f);
    assert_int_equal(sql(f->db, "PRAGMA wal_checkpoint(TRUNCATE)"),
                     SQLITE_OK);
    assert_int_equal(stat(f->db, &sb), 0);
    assert_int_equal(truncate(f->db, sb.st_size / 2), 0);
    err.status = ASSAY_OK;
    assert_null(lineage_upstream(f->db, "env:production", &err));
    assert_int_equal(assay_exit_code(err.status), 3);

    err.status = ASSAY_OK;
    path = xasprintf("%s/none/lineage.db", f->dir);
    assert_null(lineage_log(path, &err));
    assert_int_equal(err.status, ASSAY_EOPEN);
    free(path);
    free(junk);
}

/* ---- the ledger ---- */

static void test_ledger_chain(void **state)
{
    struct fix *f = *state;
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    char prev[65], hash[65];
    long long want = 1;
    int ok = 0;
    char *msg;

    build_graph(f);
    memset(prev, '0', 64);
    prev[64] = '\0';
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT seq, ts, kind, body, "
                                        "prev, hash FROM ledger ORDER BY seq",
                                        -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        assert_int_equal(sqlite3_column_int64(s, 0), want++);
        assert_string_equal((const char *)sqlite3_column_text(s, 4), prev);
        ledger_hash(sqlite3_column_int64(s, 0),
                    (const char *)sqlite3_column_text(s, 1),
                    (const char *)sqlite3_column_text(s, 2),
                    (const char *)sqlite3_column_text(s, 4),
                    (const char *)sqlite3_column_text(s, 3), hash);
        assert_string_equal((const char *)sqlite3_column_text(s, 5), hash);
        memcpy(prev, hash, sizeof(prev));
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    assert_int_equal(want, 7);
    msg = verify_problem(f, &ok);
    assert_int_equal(ok, 1);
    assert_string_equal(msg, "");
    free(msg);
}

/* Triggers stop accidents (they do not make tampering impossible). */
static void test_triggers(void **state)
{
    struct fix *f = *state;

    build_graph(f);
    assert_int_not_equal(sql(f->db, "UPDATE ledger SET kind = 'x'"),
                         SQLITE_OK);
    assert_int_not_equal(sql(f->db, "DELETE FROM ledger"), SQLITE_OK);
    assert_int_not_equal(sql(f->db, "DELETE FROM snapshots"), SQLITE_OK);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM ledger"), 6);
}

/* Each tamper, done with the triggers dropped, and the words verify must
 * use to name it. */
static void test_tamper_detected(void **state)
{
    static const struct {
        const char *sql;
        const char *want;
    } cases[] = {
        { "DROP TRIGGER snapshots_no_update; "
          "UPDATE snapshots SET rows = 999 WHERE id = 2",
          "row 2 does not match ledger entry 2" },
        { "DROP TRIGGER run_inputs_no_delete; "
          "DELETE FROM run_inputs WHERE id = 1",
          "entry 4 (run.start) recorded table 'run_inputs' row 1" },
        { "DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE seq = 3",
          "entry 4 follows entry 2" },
        { "DROP TRIGGER ledger_no_update; "
          "UPDATE ledger SET seq = 102 WHERE seq = 2; "
          "UPDATE ledger SET seq = 2 WHERE seq = 3; "
          "UPDATE ledger SET seq = 3 WHERE seq = 102",
          "entry 2 (derive) does not link to entry 1" },
        { "DROP TRIGGER ledger_no_update; "
          "UPDATE ledger SET body = replace(body, 'train', 'trainX') "
          "WHERE seq = 4", "entry 4 (run.start) was altered" },
        { "DROP TRIGGER snapshots_no_update; "
          "UPDATE snapshots SET id = 10 WHERE id = 3",
          "recorded table 'snapshots' row 3, which is missing" },
        { "PRAGMA foreign_keys = OFF; INSERT INTO deployments(model_id, env, "
          "deployed, seq) VALUES (1, 'production', 'x', 6)",
          "row 2 is not in ledger entry 6" },
        { "DROP TRIGGER ledger_no_delete; DROP TRIGGER deployments_no_delete; "
          "DELETE FROM deployments; DELETE FROM ledger WHERE seq = 6",
          "entries removed from the end" },
        { "DROP TRIGGER deployments_no_update; "
          "UPDATE deployments SET seq = 5",
          "row 1 is not in ledger entry 5 (run.finish)" },
    };
    struct fix *f = *state;
    char *clean = xasprintf("%s/clean.db", f->dir), *cmd;
    size_t i;

    build_graph(f);
    assert_int_equal(sql(f->db, "PRAGMA wal_checkpoint(TRUNCATE)"),
                     SQLITE_OK);
    cmd = xasprintf("cp '%s' '%s'", f->db, clean);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        int ok = 1;
        char *msg;

        cmd = xasprintf("rm -f '%s-wal' '%s-shm' && cp '%s' '%s'", f->db,
                        f->db, clean, f->db);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        assert_int_equal(sql(f->db, cases[i].sql), SQLITE_OK);
        msg = verify_problem(f, &ok);
        if (ok != 0 || strstr(msg, cases[i].want) == NULL)
            fail_msg("case %zu: ok %d, got '%s', want '%s'", i, ok, msg,
                     cases[i].want);
        free(msg);
    }
    free(clean);
}

/* ---- recording checks ---- */

static void test_overwrite_detected(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    char **w = NULL;
    char *path = write_file(f, "data.csv", "a,b,c\n1,2,3\n");
    struct json_t *doc = check_doc(path, sha_a, "pass");

    assert_int_equal(lineage_record_check(f->db, doc, &w, &err), 0);
    assert_non_null(w);
    assert_null(w[0]);
    lineage_free_warnings(w);
    j_free(doc);
    /* the same path now holds other bytes, and nothing derived them */
    doc = check_doc(path, sha_b, "fail");
    assert_int_equal(lineage_record_check(f->db, doc, &w, &err), 0);
    assert_non_null(w);
    assert_non_null(w[0]);
    assert_non_null(strstr(w[0], "data.csv"));
    assert_non_null(strstr(w[0], sha_a));
    assert_non_null(strstr(w[0], sha_b));
    assert_null(w[1]);
    lineage_free_warnings(w);
    j_free(doc);
    assert_int_equal(sql_int(f->db, "SELECT overwrite FROM snapshot_paths "
                             "ORDER BY id DESC LIMIT 1"), 1);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM checks"), 2);
    free(path);
}

static void test_derived_is_not_overwrite(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    char *in = write_file(f, "in.csv", "a\n1\n2\n");
    char *out = write_file(f, "out.csv", "a\n1\n");
    const char *ins[] = { in };
    struct lineage_derivation d = { out, ins, 1, "head", NULL, NULL };
    char **w = NULL;
    FILE *fp;

    assert_int_equal(lineage_add(f->db, (const char *const *)&out, 1, NULL,
                                 NULL, NULL, &err), 0);
    fp = fopen(out, "w");
    fputs("a\n2\n", fp);
    fclose(fp);
    assert_int_equal(lineage_derive(f->db, &d, NULL, &w, &err), 0);
    assert_null(w[0]);
    lineage_free_warnings(w);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM snapshot_paths "
                             "WHERE overwrite = 1"), 0);
    free(in);
    free(out);
}

/* ---- references ---- */

static void test_refs(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc;
    char *p1 = write_file(f, "one.csv", "x\n1\n");
    char *p2 = write_file(f, "two.csv", "x\n2\n");

    doc = check_doc(p1, sha_a, "pass");
    assert_int_equal(lineage_record_check(f->db, doc, NULL, &err), 0);
    j_free(doc);
    doc = check_doc(p2, sha_b, "fail");
    assert_int_equal(lineage_record_check(f->db, doc, NULL, &err), 0);
    j_free(doc);

    assert_null(lineage_show(f->db, "aaaaaaaa", &err));
    assert_int_equal(err.status, ASSAY_EREF);
    assert_non_null(strstr(err.msg, "ambiguous"));
    assert_non_null(strstr(err.msg, "one.csv"));
    assert_non_null(strstr(err.msg, "two.csv"));

    err.status = ASSAY_OK;
    assert_null(lineage_show(f->db, "aaaa", &err));
    assert_int_equal(err.status, ASSAY_EREF);
    assert_non_null(strstr(err.msg, "at least 8 hex digits"));

    err.status = ASSAY_OK;
    assert_null(lineage_show(f->db, "env:production", &err));
    assert_int_equal(err.status, ASSAY_EREF);

    doc = lineage_show(f->db, "aaaaaaaa2", &err);
    assert_non_null(doc);
    assert_string_equal(j_string(j_get(doc, "sha256")), sha_b);
    assert_string_equal(j_string(j_get(doc, "verdict")), "fail");
    j_free(doc);
    doc = lineage_show(f->db, p1, &err);        /* by path */
    assert_non_null(doc);
    assert_string_equal(j_string(j_get(doc, "sha256")), sha_a);
    j_free(doc);
    free(p1);
    free(p2);
}

static void test_upstream_production(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *up, *imp;

    build_graph(f);
    up = lineage_upstream(f->db, "env:production", &err);
    assert_non_null(up);
    assert_int_equal(j_len(j_get(up, "snapshots")), 3);
    assert_int_equal(j_len(j_get(up, "models")), 1);
    assert_int_equal(j_len(j_get(up, "runs")), 1);
    assert_string_equal(j_string(j_at(j_get(j_at(j_get(up, "snapshots"), 0),
                                             "roles"), 0)), "train");
    assert_string_equal(j_string(j_get(j_at(j_get(up, "snapshots"), 2),
                                       "dataset")), "raw.csv");
    j_free(up);
    up = lineage_show(f->db, "churn", &err);   /* a run by name */
    assert_non_null(up);
    assert_string_equal(j_string(j_get(up, "status")), "succeeded");
    j_free(up);
    imp = lineage_upstream(f->db, "churn", &err);
    assert_non_null(imp);
    assert_int_equal(j_len(j_get(imp, "snapshots")), 3);
    j_free(imp);
}

/* ---- evidence ---- */

/* Record a check of f->dir/name as `assay check` would: its real sha256
 * and size, one result, and (when asked) a profile and a bias entry.
 * Fills sha (when not NULL) with the file's sha256. */
static void record_check(const struct fix *f, const char *name,
                         const char *verdict, int with_profile,
                         int with_bias, char *sha)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *path = xasprintf("%s/%s", f->dir, name), hex[65];
    unsigned long long bytes = 0;
    struct json_t *doc, *ds;

    assert_int_equal(sha256_file(path, hex, &bytes, &err), 0);
    doc = check_doc(path, hex, verdict);
    ds = j_get(doc, "dataset");
    j_set(ds, "bytes", j_int((long long)bytes));
    if (with_profile) {
        struct json_t *prof = j_obj(), *cols = j_arr(), *c;
        static const char *const names[] = { "id", "x" };
        size_t i;

        for (i = 0; i < ARRAY_SIZE(names); i++) {
            c = j_obj();
            j_set(c, "name", j_str(names[i]));
            j_set(c, "type", j_str(i == 0 ? "integer" : "string"));
            j_set(c, "count", j_int(3));
            j_push(cols, c);
        }
        j_set(prof, "columns", cols);
        j_set(doc, "profile", prof);
    }
    if (with_bias) {
        struct json_t *bias = j_arr(), *b = j_obj(), *facet = j_obj();

        j_set(facet, "column", j_str("x"));
        j_set(b, "facet", facet);
        j_set(b, "findings", j_arr());
        j_push(bias, b);
        j_set(doc, "bias", bias);
    }
    assert_int_equal(lineage_record_check(f->db, doc, NULL, &err), 0);
    j_free(doc);
    free(path);
    if (sha != NULL)
        memcpy(sha, hex, 65);
}

static char *file_sha(const struct fix *f, const char *name)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *path = xasprintf("%s/%s", f->dir, name), *hex = xmalloc(65);
    unsigned long long bytes = 0;

    assert_int_equal(sha256_file(path, hex, &bytes, &err), 0);
    free(path);
    return hex;
}

/* The graph of build_graph(), the model also deployed to staging, and
 * checks: raw.csv failed then passed (no profile, then a profile),
 * train.csv passed with a profile and bias, test.csv never checked. */
static void build_evidence(const struct fix *f, char *raw, char *train)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *model = xasprintf("%s/model.bin", f->dir);

    build_graph(f);
    assert_int_equal(lineage_deploy(f->db, model, "staging", NULL, NULL,
                                    &err), 0);
    record_check(f, "raw.csv", "fail", 0, 0, NULL);
    record_check(f, "raw.csv", "pass", 1, 0, raw);
    record_check(f, "train.csv", "pass", 1, 1, train);
    free(model);
}

static const struct json_t *by_sha(const struct json_t *arr, const char *sha)
{
    size_t i;

    for (i = 0; i < j_len(arr); i++)
        if (strcmp(j_string(j_get(j_at(arr, i), "sha256")), sha) == 0)
            return j_at(arr, i);
    fail_msg("no %s in the list", sha);
    return NULL;
}

/* The graph has n nodes and m edges, each edge between known nodes, and
 * a node with this id. */
static void assert_graph(const struct json_t *doc, size_t n, size_t m,
                         const char *has)
{
    const struct json_t *g = j_get(doc, "graph");
    const struct json_t *nodes = j_get(g, "nodes"), *edges = j_get(g,
                                                                   "edges");
    struct json_t *ids = j_obj();
    size_t i;

    assert_int_equal(j_len(nodes), n);
    assert_int_equal(j_len(edges), m);
    for (i = 0; i < n; i++) {
        const struct json_t *nd = j_at(nodes, i);

        assert_non_null(j_string(j_get(nd, "kind")));
        assert_non_null(j_string(j_get(nd, "label")));
        j_set(ids, j_string(j_get(nd, "id")), j_bool(1));
    }
    assert_non_null(j_get(ids, has));
    for (i = 0; i < m; i++) {
        const struct json_t *e = j_at(edges, i);

        if (j_get(ids, j_string(j_get(e, "from"))) == NULL ||
            j_get(ids, j_string(j_get(e, "to"))) == NULL)
            fail_msg("edge %zu %s -> %s: unknown node", i,
                     j_string(j_get(e, "from")), j_string(j_get(e, "to")));
        assert_non_null(j_string(j_get(e, "label")));
    }
    j_free(ids);
}

static void test_evidence_run(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    char raw[65], train[65], *test = NULL, *model = NULL, *node;
    const struct json_t *s, *c, *r, *d;
    struct json_t *doc;
    const char *run_id;
    size_t i;

    build_evidence(f, raw, train);
    test = file_sha(f, "test.csv");
    model = file_sha(f, "model.bin");
    setenv("SOURCE_DATE_EPOCH", "1000000000", 1);
    doc = lineage_evidence(f->db, "churn", &err);
    unsetenv("SOURCE_DATE_EPOCH");
    if (doc == NULL)
        fail_msg("evidence: %s", err.msg);
    assert_string_equal(j_string(j_get(doc, "generated")),
                        "2001-09-09T01:46:40Z");
    /* target */
    c = j_get(doc, "target");
    assert_string_equal(j_string(j_get(c, "kind")), "run");
    assert_string_equal(j_string(j_get(c, "ref")), "churn");
    assert_string_equal(j_string(j_get(c, "name")), "churn");
    run_id = j_string(j_get(c, "id"));
    assert_int_equal(strlen(run_id), 36);
    /* snapshots: the two inputs, then raw.csv they were derived from */
    s = j_get(doc, "snapshots");
    assert_int_equal(j_len(s), 3);
    assert_string_equal(j_string(j_get(j_at(s, 0), "sha256")), train);
    assert_string_equal(j_string(j_get(j_at(s, 1), "sha256")), test);
    assert_string_equal(j_string(j_get(j_at(s, 2), "sha256")), raw);
    assert_string_equal(j_string(j_at(j_get(j_at(s, 0), "roles"), 0)),
                        "train");
    assert_string_equal(j_string(j_at(j_get(j_at(s, 1), "roles"), 0)),
                        "test");
    assert_int_equal(j_len(j_get(j_at(s, 2), "roles")), 0);
    assert_string_equal(j_string(j_get(j_at(s, 2), "via")), "derivation");
    for (i = 0; i < 3; i++) {
        const struct json_t *o = j_at(s, i);
        static const char *const keys[] = {
            "sha256", "dataset", "path", "paths", "bytes", "rows",
            "columns", "row_digest", "schema_hash", "mtime_ns", "recorded",
            "roles", "overwrite", "check",
        };
        size_t k;

        for (k = 0; k < ARRAY_SIZE(keys); k++)
            if (j_get(o, keys[k]) == NULL)
                fail_msg("snapshot %zu has no '%s'", i, keys[k]);
        assert_int_equal(j_len(j_get(o, "paths")), 1);
        assert_false(j_is_true(j_get(o, "overwrite")));
        assert_int_equal(j_integer(j_get(o, "columns")), 2);
        assert_int_equal(strlen(j_string(j_get(o, "row_digest"))), 64);
    }
    assert_string_equal(j_string(j_get(j_at(s, 2), "dataset")), "raw.csv");
    assert_int_equal(j_integer(j_get(j_at(s, 2), "rows")), 4);
    /* checks: the latest of each, profile and bias as recorded */
    c = j_get(j_at(s, 0), "check");
    assert_string_equal(j_string(j_get(c, "verdict")), "pass");
    assert_string_equal(j_string(j_get(c, "tool_version")), "0.1.0");
    assert_string_equal(j_string(j_get(j_get(c, "rules"), "path")),
                        "rules.yml");
    assert_int_equal(strlen(j_string(j_get(j_get(c, "rules"), "sha256"))),
                     64);
    assert_non_null(j_string(j_get(c, "checked")));
    assert_string_equal(j_string(j_get(j_at(j_get(c, "results"), 0), "id")),
                        "age.range");
    assert_int_equal(j_len(j_get(j_get(c, "profile"), "columns")), 2);
    assert_string_equal(j_string(j_get(j_at(j_get(j_get(c, "profile"),
                                                  "columns"), 1), "name")),
                        "x");
    assert_int_equal(j_len(j_get(c, "bias")), 1);
    assert_string_equal(j_string(j_get(j_get(j_at(j_get(c, "bias"), 0),
                                             "facet"), "column")), "x");
    assert_true(j_is_null(j_get(j_at(s, 1), "check")));     /* never */
    c = j_get(j_at(s, 2), "check");
    assert_string_equal(j_string(j_get(c, "verdict")), "pass");   /* latest */
    assert_true(j_is_array(j_get(c, "bias")));
    assert_int_equal(j_len(j_get(c, "bias")), 0);
    assert_int_equal(j_len(j_get(j_get(c, "profile"), "columns")), 2);
    /* derivations */
    d = j_get(doc, "derivations");
    assert_int_equal(j_len(d), 2);
    for (i = 0; i < 2; i++) {
        assert_string_equal(j_string(j_get(j_at(d, i), "output")),
                            i == 0 ? train : test);
        assert_int_equal(j_len(j_get(j_at(d, i), "inputs")), 1);
        assert_string_equal(j_string(j_at(j_get(j_at(d, i), "inputs"), 0)),
                            raw);
        assert_string_equal(j_string(j_get(j_at(d, i), "transform")),
                            "split");
        assert_string_equal(j_string(j_get(j_at(d, i), "code_rev")), "abc");
        assert_non_null(j_string(j_get(j_at(d, i), "recorded")));
    }
    /* the run, its model, its deployments */
    r = j_get(doc, "runs");
    assert_int_equal(j_len(r), 1);
    r = j_at(r, 0);
    assert_string_equal(j_string(j_get(r, "id")), run_id);
    assert_string_equal(j_string(j_get(r, "status")), "succeeded");
    assert_string_equal(j_string(j_get(r, "code_rev")), "abc");
    assert_true(j_is_object(j_get(r, "params")));
    assert_true(j_is_object(j_get(r, "metrics")));
    assert_non_null(j_string(j_get(r, "started")));
    assert_non_null(j_string(j_get(r, "finished")));
    assert_int_equal(j_len(j_get(r, "inputs")), 2);
    assert_string_equal(j_string(j_get(by_sha(j_get(r, "inputs"), test),
                                       "role")), "test");
    assert_string_equal(j_string(j_at(j_get(r, "models"), 0)), model);
    assert_int_equal(j_len(j_get(doc, "models")), 1);
    c = j_at(j_get(doc, "models"), 0);
    assert_string_equal(j_string(j_get(c, "sha256")), model);
    assert_string_equal(j_string(j_get(c, "run")), run_id);
    assert_int_equal(j_integer(j_get(c, "bytes")), 7);
    assert_non_null(strstr(j_string(j_get(c, "path")), "/model.bin"));
    d = j_get(doc, "deployments");
    assert_int_equal(j_len(d), 2);
    assert_string_equal(j_string(j_get(j_at(d, 0), "env")), "production");
    assert_string_equal(j_string(j_get(j_at(d, 1), "env")), "staging");
    assert_string_equal(j_string(j_get(j_at(d, 0), "model")), model);
    assert_true(j_is_true(j_get(j_at(d, 0), "live")));
    assert_true(j_is_true(j_get(j_at(d, 1), "live")));
    /* 3 snapshots, run, model, 2 environments; 2 derivation edges, 2
     * inputs, produced, 2 deployments */
    node = xasprintf("run:%s", run_id);
    assert_graph(doc, 7, 7, node);
    free(node);
    node = xasprintf("snapshot:%s", raw);
    assert_graph(doc, 7, 7, node);
    free(node);
    assert_graph(doc, 7, 7, "env:staging");
    /* the ledger: 6 entries of build_graph, a deployment, 3 checks */
    c = j_get(doc, "ledger");
    assert_int_equal(j_integer(j_get(c, "entries")), 10);
    assert_int_equal(strlen(j_string(j_get(c, "head"))), 64);
    free(test);
    free(model);
    j_free(doc);
}

static void test_evidence_snapshot(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    char raw[65], train[65], prefix[16], *node;
    const struct json_t *s;
    struct json_t *doc;

    build_evidence(f, raw, train);
    snprintf(prefix, sizeof(prefix), "sha256:%.8s", train);
    doc = lineage_evidence(f->db, prefix, &err);
    if (doc == NULL)
        fail_msg("evidence: %s", err.msg);
    assert_string_equal(j_string(j_get(j_get(doc, "target"), "kind")),
                        "snapshot");
    assert_string_equal(j_string(j_get(j_get(doc, "target"), "id")), train);
    assert_string_equal(j_string(j_get(j_get(doc, "target"), "name")),
                        "train.csv");
    s = j_get(doc, "snapshots");
    assert_int_equal(j_len(s), 2);
    assert_string_equal(j_string(j_get(j_at(s, 0), "sha256")), train);
    assert_string_equal(j_string(j_get(j_at(s, 0), "via")), "target");
    assert_int_equal(j_len(j_get(j_at(s, 0), "roles")), 0);
    assert_non_null(j_get(j_get(j_get(j_at(s, 0), "check"), "profile"),
                          "columns"));
    assert_string_equal(j_string(j_get(j_at(s, 1), "sha256")), raw);
    assert_int_equal(j_len(j_get(doc, "derivations")), 1);
    assert_int_equal(j_len(j_get(doc, "runs")), 0);
    assert_int_equal(j_len(j_get(doc, "models")), 0);
    assert_int_equal(j_len(j_get(doc, "deployments")), 0);
    node = xasprintf("snapshot:%s", train);
    assert_graph(doc, 2, 1, node);
    free(node);
    assert_string_equal(j_string(j_get(j_at(j_get(j_get(doc, "graph"),
                                                  "edges"), 0), "label")),
                        "split");
    j_free(doc);
}

static void test_evidence_model_and_env(void **state)
{
    struct fix *f = *state;
    struct assay_err err = ASSAY_ERR_INIT;
    char raw[65], train[65], *path, *model;
    struct json_t *doc;
    const struct json_t *t;

    build_evidence(f, raw, train);
    model = file_sha(f, "model.bin");
    path = xasprintf("%s/model.bin", f->dir);
    doc = lineage_evidence(f->db, path, &err);      /* a model path */
    if (doc == NULL)
        fail_msg("evidence: %s", err.msg);
    t = j_get(doc, "target");
    assert_string_equal(j_string(j_get(t, "kind")), "model");
    assert_string_equal(j_string(j_get(t, "id")), model);
    assert_string_equal(j_string(j_get(t, "name")), "model.bin");
    assert_int_equal(j_len(j_get(doc, "snapshots")), 3);
    assert_int_equal(j_len(j_get(doc, "runs")), 1);
    assert_int_equal(j_len(j_get(doc, "models")), 1);
    assert_int_equal(j_len(j_get(doc, "deployments")), 2);
    assert_graph(doc, 7, 7, "env:production");
    j_free(doc);

    doc = lineage_evidence(f->db, "env:production", &err);
    if (doc == NULL)
        fail_msg("evidence: %s", err.msg);
    t = j_get(doc, "target");
    assert_string_equal(j_string(j_get(t, "kind")), "deployment");
    assert_string_equal(j_string(j_get(t, "name")), "production");
    assert_string_equal(j_string(j_get(t, "id")), model);
    assert_string_equal(j_string(j_get(t, "node")), "env:production");
    assert_int_equal(j_len(j_get(doc, "snapshots")), 3);
    assert_string_equal(j_string(j_get(j_at(j_get(doc, "snapshots"), 2),
                                       "sha256")), raw);
    assert_int_equal(j_len(j_get(doc, "runs")), 1);
    assert_string_equal(j_string(j_get(j_at(j_get(doc, "models"), 0),
                                       "sha256")), model);
    assert_int_equal(j_len(j_get(doc, "deployments")), 1);
    assert_string_equal(j_string(j_get(j_at(j_get(doc, "deployments"), 0),
                                       "env")), "production");
    /* 3 snapshots, run, model, production */
    assert_graph(doc, 6, 6, "env:production");
    j_free(doc);

    /* unknown references */
    assert_null(lineage_evidence(f->db, "no-such-thing", &err));
    assert_int_equal(err.status, ASSAY_EREF);
    assert_non_null(strstr(err.msg, "unknown reference 'no-such-thing'"));
    err.status = ASSAY_OK;
    assert_null(lineage_evidence(f->db, "env:qa", &err));
    assert_int_equal(err.status, ASSAY_EREF);
    assert_non_null(strstr(err.msg, "'qa'"));
    err.status = ASSAY_OK;
    free(path);
    path = xasprintf("%s/none.db", f->dir);
    assert_null(lineage_evidence(path, "churn", &err));
    assert_int_equal(err.status, ASSAY_EOPEN);
    free(path);
    free(model);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_created, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_forward, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_foreign_and_corrupt, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ledger_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_detected, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_detected, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_derived_is_not_overwrite, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upstream_production, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_evidence_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence_snapshot, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_evidence_model_and_env, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
