/* verify.c -- `assay lineage verify [--full]`: are the files still the
 * bytes we recorded, and is the record itself intact?
 *
 * Files: the latest snapshot (or model) recorded at each path.  Fast
 * path: size and mtime equal to what was recorded means unchanged; any
 * difference (or --full) re-hashes with sha256_file().  Record: SQLite's
 * quick_check, then ledger_verify() re-walks the chain and the tables.
 * The list of paths is read in a read transaction that ends before any
 * hashing, so verify never holds the database while reading big files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lineage.h"
#include "ledger.h"
#include "store.h"
#include "crypto.h"
#include "json.h"
#include "util.h"

struct recorded {
    char *path;
    char sha256[65];
    const char *kind;       /* "snapshot" or "model" */
    long long bytes, mtime_ns;      /* mtime -1: unknown */
};

static int load_paths(struct store *st, struct recorded **out, size_t *n,
                      struct assay_err *err)
{
    static const struct {
        const char *kind, *sql;
    } lists[] = {
        { "snapshot", "SELECT p.path, s.sha256, p.bytes, "
          "coalesce(p.mtime_ns, -1) FROM snapshot_paths p "
          "JOIN snapshots s ON s.id = p.snapshot_id "
          "WHERE p.id IN (SELECT max(id) FROM snapshot_paths GROUP BY path) "
          "ORDER BY p.path" },
        { "model", "SELECT path, sha256, bytes, coalesce(mtime_ns, -1) "
          "FROM models WHERE id IN (SELECT max(id) FROM models "
          "GROUP BY path) ORDER BY path" },
    };
    size_t cap = 0, i;
    int rc = 0;

    for (i = 0; i < ARRAY_SIZE(lists) && rc == 0; i++) {
        struct store_stmt *q = store_query(st, err, lists[i].sql, "");

        if (q == NULL)
            return -1;
        while ((rc = store_step(q, err)) == 1) {
            struct recorded *r;

            grow(out, &cap, *n + 1, sizeof(**out));
            r = &(*out)[(*n)++];
            r->path = xstrdup(store_text(q, 0));
            snprintf(r->sha256, sizeof(r->sha256), "%s", store_text(q, 1));
            r->kind = lists[i].kind;
            r->bytes = store_int(q, 2);
            r->mtime_ns = store_int(q, 3);
        }
        store_done(q);
    }
    return rc;
}

/* Compare one recorded path with the file; adds to changed/missing. */
static int check_path(const struct recorded *r, int full,
                      struct json_t *changed, struct json_t *missing,
                      struct assay_err *err)
{
    struct stat sb;
    struct json_t *o;
    char now[65];
    unsigned long long bytes = 0;
    long long mtime;
    struct assay_err e = ASSAY_ERR_INIT;

    if (stat(r->path, &sb) < 0) {
        o = j_obj();
        j_set(o, "path", j_str(r->path));
        j_set(o, "kind", j_str(r->kind));
        j_set(o, "recorded", j_str(r->sha256));
        j_set(o, "error", j_str(strerror(errno)));
        j_push(missing, o);
        return 0;
    }
    mtime = (long long)sb.st_mtim.tv_sec * 1000000000LL +
            (long long)sb.st_mtim.tv_nsec;
    if (!full && (long long)sb.st_size == r->bytes && r->mtime_ns >= 0 &&
        mtime == r->mtime_ns)
        return 0;
    if (sha256_file(r->path, now, &bytes, &e) < 0) {
        o = j_obj();
        j_set(o, "path", j_str(r->path));
        j_set(o, "kind", j_str(r->kind));
        j_set(o, "recorded", j_str(r->sha256));
        j_set(o, "error", j_str(e.msg));
        j_push(missing, o);
        return 0;
    }
    if (strcmp(now, r->sha256) == 0)
        return 0;
    o = j_obj();
    j_set(o, "path", j_str(r->path));
    j_set(o, "kind", j_str(r->kind));
    j_set(o, "recorded", j_str(r->sha256));
    j_set(o, "now", j_str(now));
    j_set(o, "recorded_bytes", j_int(r->bytes));
    j_set(o, "bytes", j_int((long long)bytes));
    j_push(changed, o);
    (void)err;
    return 0;
}

struct json_t *lineage_verify(const char *db_path, int full, int *ok,
                              struct assay_err *err)
{
    struct store *st = store_open(db_path, STORE_READ, err);
    struct recorded *rec = NULL;
    struct json_t *doc = NULL, *ledger = NULL, *paths, *changed, *missing;
    char msg[512] = "";
    size_t n = 0, i;
    int sound = 0, good;

    *ok = 0;
    if (st == NULL || store_begin(st, err) < 0)
        goto fail;
    sound = store_quick_check(st, msg, sizeof(msg), err);
    if (sound < 0 || ledger_verify(st, &ledger, err) < 0 ||
        load_paths(st, &rec, &n, err) < 0)
        goto fail;
    store_close(st);
    st = NULL;
    changed = j_arr();
    missing = j_arr();
    for (i = 0; i < n; i++)
        check_path(&rec[i], full, changed, missing, err);
    paths = j_obj();
    j_set(paths, "checked", j_int((long long)n));
    j_set(paths, "full", j_bool(full));
    j_set(paths, "changed", changed);
    j_set(paths, "missing", missing);
    good = sound == 0 && j_is_true(j_get(ledger, "ok")) &&
           j_len(changed) == 0 && j_len(missing) == 0;
    doc = j_obj();
    j_set(doc, "ok", j_bool(good));
    j_set(doc, "database", j_str(sound == 0 ? "ok" : msg));
    j_set(doc, "paths", paths);
    j_set(doc, "ledger", ledger);
    ledger = NULL;
    *ok = good;
fail:
    store_close(st);
    for (i = 0; i < n; i++)
        free(rec[i].path);
    free(rec);
    j_free(ledger);
    return doc;
}
