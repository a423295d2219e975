/* ledger.c -- the append-only, hash-chained ledger of lineage writes.
 *
 * One command = one transaction = at most one entry.  The entry's body is
 * the canonical JSON (J_CANON) of every row the command inserted,
 * {"rows": {table: [row, ...]}}, read back from the tables so that what
 * is chained is exactly what is stored.  Each entry carries the hash of
 * the previous one; ledger_verify() re-walks the chain and the tables in
 * step, so editing, deleting, inserting or reordering rows (ledger or
 * tables) is named by the first entry that no longer matches. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ledger.h"
#include "store.h"
#include "crypto.h"
#include "json.h"
#include "util.h"

/* The tables the ledger covers, in the order verify walks them.
 * How to add a table: create it in schema.sql with `id INTEGER PRIMARY
 * KEY` and `seq ... REFERENCES ledger(seq)`, insert into it only through
 * ledger_insert(), and add a row here. */
#define COVERED(t) { t, "SELECT * FROM " t " WHERE id = ?", \
                     "SELECT seq, * FROM " t " ORDER BY id" }
static const struct covered {
    const char *table;
    const char *by_id;      /* the row just inserted */
    const char *walk;       /* every row, seq first, in insertion order */
} covered[] = {
    COVERED("datasets"),
    COVERED("snapshots"),
    COVERED("snapshot_paths"),
    COVERED("derivations"),
    COVERED("derivation_inputs"),
    COVERED("runs"),
    COVERED("run_inputs"),
    COVERED("run_finishes"),
    COVERED("models"),
    COVERED("run_models"),
    COVERED("deployments"),
    COVERED("checks"),
};

/* Columns the ledger holds by digest ("sha256:<hex>" of the text) rather
 * than by value: check results, bias and profile carry values from the
 * data (samples, top values, minima, maxima), which must not be copied
 * into an append-only chain, yet stay bound to it.
 * How to add one: name the column here. */
static const char *const by_digest[] = { "results", "bias", "profile" };

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const struct covered *find_covered(const char *table)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(covered); i++)
        if (strcmp(covered[i].table, table) == 0)
            return &covered[i];
    return NULL;
}

void ledger_hash(long long seq, const char *ts, const char *kind,
                 const char *prev, const char *body, char out[65])
{
    struct sha256 *h = sha256_new();
    unsigned char d[32];
    char head[64];
    int n = snprintf(head, sizeof(head), "assay-ledger-v1\n%lld\n", seq);

    sha256_update(h, head, (size_t)n);
    sha256_update(h, ts, strlen(ts));
    sha256_update(h, "\n", 1);
    sha256_update(h, kind, strlen(kind));
    sha256_update(h, "\n", 1);
    sha256_update(h, prev, strlen(prev));
    sha256_update(h, "\n", 1);
    sha256_update(h, body, strlen(body));
    sha256_final(h, d);
    hex_encode(d, sizeof(d), out);
}

/* A row as the ledger records it: every non-NULL column but seq, with
 * the by_digest columns replaced by their SHA-256.  New reference. */
static struct json_t *ledger_row(struct store_stmt *q)
{
    struct json_t *row = store_row_json(q, "seq");
    size_t i;

    for (i = 0; i < ARRAY_SIZE(by_digest); i++) {
        const char *t = j_string(j_get(row, by_digest[i]));
        char hex[65], *v;

        if (t == NULL)
            continue;
        sha256_hex(t, strlen(t), hex);
        v = xasprintf("sha256:%s", hex);
        j_set(row, by_digest[i], j_str(v));
        free(v);
    }
    return row;
}

/* ---- writing ---- */

int ledger_begin(struct ledger_tx *tx, struct store *st,
                 struct assay_err *err)
{
    long long last = 0;

    memset(tx, 0, sizeof(*tx));
    tx->st = st;
    if (store_begin(st, err) < 0)
        return -1;
    if (store_get_int(st, err, &last, "SELECT max(seq) FROM ledger",
                      "") < 0) {
        store_rollback(st);
        return -1;
    }
    tx->seq = last + 1;
    now_rfc3339(tx->ts, sizeof(tx->ts));
    tx->rows = j_obj();
    return 0;
}

long long ledger_insert(struct ledger_tx *tx, const char *table,
                        struct assay_err *err, const char *sql,
                        const char *fmt, ...)
{
    const struct covered *c = find_covered(table);
    struct store_stmt *q;
    struct json_t *list;
    long long id;
    va_list ap;
    int rc;

    if (c == NULL)
        return seterr(err, ASSAY_EINTERNAL, "table '%s' is not covered by "
                      "the ledger", table);
    va_start(ap, fmt);
    q = store_vquery(tx->st, err, sql, fmt, ap);
    va_end(ap);
    if (q == NULL)
        return -1;
    rc = store_step(q, err);
    store_done(q);
    if (rc < 0)
        return -1;
    id = store_last_id(tx->st);
    q = store_query(tx->st, err, c->by_id, "i", id);
    if (q == NULL)
        return -1;
    rc = store_step(q, err);
    if (rc == 0)
        rc = seterr(err, ASSAY_EINTERNAL, "row %lld of '%s' vanished", id,
                    table);
    if (rc < 0) {
        store_done(q);
        return -1;
    }
    list = j_get(tx->rows, table);
    if (list == NULL) {
        list = j_arr();
        j_set(tx->rows, table, list);
    }
    j_push(list, ledger_row(q));
    store_done(q);
    tx->nrows++;
    return id;
}

static void release(struct ledger_tx *tx)
{
    j_free(tx->rows);
    tx->rows = NULL;
}

void ledger_abort(struct ledger_tx *tx)
{
    if (tx->st != NULL)
        store_rollback(tx->st);
    release(tx);
}

int ledger_commit(struct ledger_tx *tx, const char *kind, long long *seq,
                  struct assay_err *err)
{
    struct store_stmt *q = NULL;
    struct json_t *doc = NULL;
    char *body = NULL, *prev = NULL, hash[65];
    int rc = -1;

    if (seq != NULL)
        *seq = 0;
    if (tx->nrows > 0) {
        q = store_query(tx->st, err, "SELECT hash FROM ledger WHERE seq = ?",
                        "i", tx->seq - 1);
        if (q == NULL)
            goto out;
        rc = store_step(q, err);
        if (rc < 0)
            goto out;
        prev = xstrdup(rc == 1 && store_text(q, 0) != NULL ?
                       store_text(q, 0) : zero_hash);
        rc = -1;
        doc = j_obj();
        j_set(doc, "rows", j_ref(tx->rows));
        body = j_dump(doc, J_CANON);
        ledger_hash(tx->seq, tx->ts, kind, prev, body, hash);
        if (store_exec(tx->st, err, "INSERT INTO ledger(seq, ts, kind, body, "
                       "prev, hash) VALUES (?, ?, ?, ?, ?, ?)", "isssss",
                       tx->seq, tx->ts, kind, body, prev, hash) < 0)
            goto out;
    }
    if (store_commit(tx->st, err) < 0)
        goto out;
    if (seq != NULL && tx->nrows > 0)
        *seq = tx->seq;
    rc = 0;
out:
    store_done(q);
    if (rc < 0)
        store_rollback(tx->st);
    release(tx);
    j_free(doc);
    free(body);
    free(prev);
    return rc;
}

/* ---- verifying ---- */

/* One cursor per covered table, walked in step with the ledger. */
struct cursor {
    const struct covered *c;
    struct store_stmt *q;
    int have;               /* a row is loaded */
    long long seq, id;
};

static int advance(struct cursor *cu, struct assay_err *err)
{
    int rc = store_step(cu->q, err);

    if (rc < 0)
        return -1;
    cu->have = rc;
    if (rc == 1) {
        cu->seq = store_int(cu->q, 0);
        cu->id = store_int(cu->q, 1);
    }
    return 0;
}

/* Describe how two row objects differ: the first column that does. */
static void row_diff(struct json_t *want, struct json_t *got, char *out,
                     size_t n)
{
    void *it;
    char *a, *b;

    for (it = j_iter(got); it != NULL; it = j_iter_next(got, it)) {
        const char *k = j_iter_key(it);
        struct json_t *w = j_get(want, k);

        b = j_dump(j_iter_value(it), J_CANON);
        a = w != NULL ? j_dump(w, J_CANON) : xstrdup("(absent)");
        if (strcmp(a, b) != 0) {
            snprintf(out, n, "%s is %.80s, recorded %.80s", k, b, a);
            free(a);
            free(b);
            return;
        }
        free(a);
        free(b);
    }
    for (it = j_iter(want); it != NULL; it = j_iter_next(want, it))
        if (j_get(got, j_iter_key(it)) == NULL) {
            snprintf(out, n, "%s is missing", j_iter_key(it));
            return;
        }
    snprintf(out, n, "content differs");
}

static void problem(struct json_t **res, long long seq, const char *kind,
                    const char *table, long long row, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void problem(struct json_t **res, long long seq, const char *kind,
                    const char *table, long long row, const char *fmt, ...)
{
    struct json_t *p = j_obj();
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    j_set(p, "seq", j_int(seq));
    j_set(p, "kind", kind != NULL ? j_str(kind) : j_null());
    j_set(p, "table", table != NULL ? j_str(table) : j_null());
    j_set(p, "row", row > 0 ? j_int(row) : j_null());
    j_set(p, "message", j_str(msg));
    *res = p;
}

/* Compare the rows entry seq claims for one table with the rows that
 * carry its seq.  Sets *bad (a problem object) on the first mismatch. */
static int match_table(struct cursor *cu, long long seq, const char *kind,
                       struct json_t *want, struct json_t **bad,
                       struct assay_err *err)
{
    const char *t = cu->c->table;
    size_t k, n = j_len(want);

    if (cu->have && cu->seq < seq) {
        problem(bad, seq, kind, t, cu->id, "table '%s' row %lld claims "
                "ledger entry %lld, which does not hold it (row edited, "
                "inserted or reordered)", t, cu->id, cu->seq);
        return 0;
    }
    for (k = 0; k < n; k++) {
        struct json_t *w = j_at(want, k), *got;
        long long wid = j_integer(j_get(w, "id"));
        char *a, *b, diff[256];
        int same;

        if (!cu->have || cu->seq != seq || cu->id > wid) {
            problem(bad, seq, kind, t, wid, "ledger entry %lld (%s) "
                    "recorded table '%s' row %lld, which is missing "
                    "(deleted, renumbered or moved)", seq, kind, t, wid);
            return 0;
        }
        got = ledger_row(cu->q);
        a = j_dump(w, J_CANON);
        b = j_dump(got, J_CANON);
        same = strcmp(a, b) == 0;
        if (!same && cu->id == wid) {
            row_diff(w, got, diff, sizeof(diff));
            problem(bad, seq, kind, t, wid, "table '%s' row %lld does not "
                    "match ledger entry %lld (%s): %s", t, wid, seq, kind,
                    diff);
        } else if (!same) {
            problem(bad, seq, kind, t, cu->id, "table '%s' row %lld is not "
                    "in ledger entry %lld (%s) that it claims", t, cu->id,
                    seq, kind);
        }
        j_free(got);
        free(a);
        free(b);
        if (!same)
            return 0;
        if (advance(cu, err) < 0)
            return -1;
    }
    if (cu->have && cu->seq == seq)
        problem(bad, seq, kind, t, cu->id, "table '%s' row %lld is not in "
                "ledger entry %lld (%s) that it claims", t, cu->id, seq,
                kind);
    return 0;
}

/* Check one ledger entry against the chain; *bad on mismatch. */
static void check_entry(struct store_stmt *q, long long want_seq,
                        const char *prev, struct json_t **bad)
{
    long long seq = store_int(q, 0);
    const char *ts = store_text(q, 1), *kind = store_text(q, 2);
    const char *body = store_text(q, 3), *eprev = store_text(q, 4);
    const char *hash = store_text(q, 5);
    char h[65];

    if (ts == NULL || kind == NULL || body == NULL || eprev == NULL ||
        hash == NULL) {
        problem(bad, seq, kind, "ledger", seq, "ledger entry %lld has "
                "empty fields", seq);
        return;
    }
    if (seq != want_seq) {
        problem(bad, seq, kind, "ledger", seq, "ledger entry %lld follows "
                "entry %lld (entries removed or renumbered)", seq,
                want_seq - 1);
        return;
    }
    if (strcmp(eprev, prev) != 0) {
        problem(bad, seq, kind, "ledger", seq, "ledger entry %lld (%s) does "
                "not link to entry %lld (entries reordered or replaced)",
                seq, kind, seq - 1);
        return;
    }
    ledger_hash(seq, ts, kind, eprev, body, h);
    if (strcmp(h, hash) != 0)
        problem(bad, seq, kind, "ledger", seq, "ledger entry %lld (%s) was "
                "altered: its hash does not match its content", seq, kind);
}

static int walk(struct store *st, struct cursor *cu, long long *entries,
                char *head, struct json_t **bad, struct assay_err *err)
{
    struct store_stmt *q;
    char prev[65];
    long long want = 1;
    size_t i;
    int rc = 0;

    memcpy(prev, zero_hash, sizeof(prev));
    q = store_query(st, err, "SELECT seq, ts, kind, body, prev, hash "
                    "FROM ledger ORDER BY seq", "");
    if (q == NULL)
        return -1;
    while (*bad == NULL && (rc = store_step(q, err)) == 1) {
        struct json_t *body, *rows;
        const char *kind;
        long long seq = store_int(q, 0);

        check_entry(q, want, prev, bad);
        if (*bad != NULL)
            break;
        kind = store_text(q, 2);
        body = j_loads(store_text(q, 3), strlen(store_text(q, 3)), "ledger",
                       NULL);
        rows = j_get(body, "rows");
        if (body == NULL || !j_is_object(rows)) {
            problem(bad, seq, kind, "ledger", seq, "ledger entry %lld has "
                    "no rows", seq);
            j_free(body);
            break;
        }
        for (i = 0; i < ARRAY_SIZE(covered) && *bad == NULL; i++)
            if (match_table(&cu[i], seq, kind, j_get(rows, cu[i].c->table),
                            bad, err) < 0) {
                j_free(body);
                store_done(q);
                return -1;
            }
        j_free(body);
        snprintf(prev, sizeof(prev), "%s", store_text(q, 5));
        snprintf(head, 65, "%s", prev);
        *entries = seq;
        want = seq + 1;
    }
    store_done(q);
    if (rc < 0 && *bad == NULL)
        return -1;
    for (i = 0; i < ARRAY_SIZE(covered) && *bad == NULL; i++)
        if (cu[i].have)
            problem(bad, cu[i].seq, NULL, cu[i].c->table, cu[i].id,
                    "table '%s' row %lld is not recorded in the ledger "
                    "(it claims entry %lld)", cu[i].c->table, cu[i].id,
                    cu[i].seq);
    return 0;
}

int ledger_verify(struct store *st, struct json_t **result,
                  struct assay_err *err)
{
    struct cursor cu[ARRAY_SIZE(covered)];
    struct json_t *bad = NULL, *res, *h;
    long long entries = 0, written = 0;
    char head[65] = "";
    size_t i;
    int rc = -1;

    *result = NULL;
    memset(cu, 0, sizeof(cu));
    for (i = 0; i < ARRAY_SIZE(covered); i++) {
        cu[i].c = &covered[i];
        cu[i].q = store_query(st, err, covered[i].walk, "");
        if (cu[i].q == NULL || advance(&cu[i], err) < 0)
            goto out;
    }
    if (walk(st, cu, &entries, head, &bad, err) < 0)
        goto out;
    /* AUTOINCREMENT remembers the largest seq ever written: entries cut
     * from the end of the chain leave it ahead of the last entry. */
    if (bad == NULL &&
        store_get_int(st, err, &written, "SELECT seq FROM sqlite_sequence "
                      "WHERE name = 'ledger'", "") < 0)
        goto out;
    if (bad == NULL && written != entries)
        problem(&bad, entries + 1, NULL, "ledger", 0, "the ledger ends at "
                "entry %lld but entries up to %lld were written (entries "
                "removed from the end)", entries, written);
    res = j_obj();
    j_set(res, "ok", j_bool(bad == NULL));
    j_set(res, "entries", j_int(entries));
    h = j_obj();
    j_set(h, "seq", j_int(entries));
    j_set(h, "hash", entries > 0 ? j_str(head) : j_null());
    j_set(res, "head", h);
    j_set(res, "problem", bad != NULL ? bad : j_null());
    bad = NULL;
    *result = res;
    rc = 0;
out:
    for (i = 0; i < ARRAY_SIZE(covered); i++)
        store_done(cu[i].q);
    j_free(bad);
    return rc;
}
