/* ledger.h -- the append-only, hash-chained ledger (ledger.c).
 *
 * Every write to the lineage tables goes through a struct ledger_tx: the
 * rows it inserts are collected into one entry whose canonical JSON body
 * holds them, chained to the previous entry by SHA-256, and appended in
 * the same transaction.  ledger_verify() re-walks the chain and the
 * tables together. */
#ifndef ASSAY_LINEAGE_LEDGER_H
#define ASSAY_LINEAGE_LEDGER_H

#include "status.h"

struct json_t;
struct store;

struct ledger_tx {
    struct store *st;
    long long seq;          /* the entry being written */
    char ts[32];            /* its time (RFC 3339 UTC) */
    struct json_t *rows;    /* {table: [row, ...]} */
    size_t nrows;
};

/* BEGIN IMMEDIATE and reserve the next entry.  0 or -1 with err. */
int ledger_begin(struct ledger_tx *tx, struct store *st,
                 struct assay_err *err);
/* Run an INSERT into table (one of the covered tables) and add the new
 * row to the entry.  The statement binds the arguments described by fmt
 * (store.h); its last column should be seq = tx->seq.  Returns the new
 * row id, or -1 with err. */
long long ledger_insert(struct ledger_tx *tx, const char *table,
                        struct assay_err *err, const char *sql,
                        const char *fmt, ...);
/* Append the entry (when rows were inserted) and COMMIT.  *seq (may be
 * NULL) gets the entry's seq, or 0 when there was nothing to record.
 * Releases tx either way.  0 or -1 with err. */
int ledger_commit(struct ledger_tx *tx, const char *kind, long long *seq,
                  struct assay_err *err);
/* ROLLBACK and release. */
void ledger_abort(struct ledger_tx *tx);

/* The entry hash (hex): SHA-256 of
 *   "assay-ledger-v1\n" seq "\n" ts "\n" kind "\n" prev "\n" body */
void ledger_hash(long long seq, const char *ts, const char *kind,
                 const char *prev, const char *body, char out[65]);

/* Walk the ledger and the tables it covers inside the caller's read
 * transaction.  Fills *result with {"entries": n, "head": {seq, hash},
 * "ok": bool, "problem": {"seq", "kind", "message"} (the first one only)}.
 * Returns 0 (whatever was found) or -1 with err. */
int ledger_verify(struct store *st, struct json_t **result,
                  struct assay_err *err);

#endif
