/* store.h -- the private door to SQLite for lineage/ (store.c is the
 * only file in assay that includes <sqlite3.h>).
 *
 * A struct store is one connection to a lineage database whose schema is
 * current (store_open() applies the forward migrations).  Statements are
 * always prepared with bound parameters: SQL text never holds data.
 *
 * Argument lists for binding are described by a format string, one
 * character per parameter:
 *     's'  const char *      (NULL binds SQL NULL)
 *     'i'  long long
 * e.g. store_query(st, err, "SELECT id FROM runs WHERE name = ?", "s", nm).
 * Pass long long for 'i': varargs do not convert an int. */
#ifndef ASSAY_LINEAGE_STORE_H
#define ASSAY_LINEAGE_STORE_H

#include <stdarg.h>
#include <stddef.h>
#include "status.h"

struct json_t;
struct store;
struct store_stmt;

enum { STORE_READ = 0, STORE_WRITE = 1 };

/* The schema version this build writes (PRAGMA user_version) and the
 * application id that marks a file as ours (PRAGMA application_id). */
int store_schema_version(void);
#define STORE_APPLICATION_ID 0x41535359   /* "ASSY" */

/* Open the database at path.  STORE_WRITE creates it (and its parent
 * directory) when missing; STORE_READ fails with ASSAY_EOPEN instead.
 * A foreign, newer or corrupt file fails with ASSAY_ECORRUPT.  Returns
 * a new store (caller frees with store_close()), or NULL with err. */
struct store *store_open(const char *path, int mode, struct assay_err *err);
void store_close(struct store *st);
const char *store_path(const struct store *st);       /* borrowed */

/* One transaction per command: BEGIN IMMEDIATE for a writer (so two
 * writers queue on the busy timeout instead of deadlocking), BEGIN for a
 * reader (a consistent view).  0 or -1 with err. */
int store_begin(struct store *st, struct assay_err *err);
int store_commit(struct store *st, struct assay_err *err);
void store_rollback(struct store *st);    /* no-op outside a transaction */

/* Prepare and bind.  Returns a statement (free with store_done()), or
 * NULL with err. */
struct store_stmt *store_query(struct store *st, struct assay_err *err,
                               const char *sql, const char *fmt, ...);
/* The same with a va_list, for wrappers. */
struct store_stmt *store_vquery(struct store *st, struct assay_err *err,
                                const char *sql, const char *fmt, va_list ap);
/* Reset a statement and bind new values; 0 or -1 with err. */
int store_rebind(struct store_stmt *q, struct assay_err *err,
                 const char *fmt, ...);
/* 1: a row is ready; 0: done; -1: error (err filled). */
int store_step(struct store_stmt *q, struct assay_err *err);
void store_done(struct store_stmt *q);    /* NULL is fine */

/* Columns of the current row.  store_text() is borrowed until the next
 * step/rebind/done and NULL for SQL NULL. */
long long store_int(struct store_stmt *q, int col);
const char *store_text(struct store_stmt *q, int col);
int store_isnull(struct store_stmt *q, int col);
/* The current row as a JSON object {column: value}, leaving out NULL
 * values and the column named skip (may be NULL).  New reference. */
struct json_t *store_row_json(struct store_stmt *q, const char *skip);

/* Run one statement that returns no rows; 0 or -1 with err. */
int store_exec(struct store *st, struct assay_err *err, const char *sql,
               const char *fmt, ...);
/* Run a query for one integer: 1 and *out set, 0 when there is no row
 * (or the value is NULL), -1 with err. */
int store_get_int(struct store *st, struct assay_err *err, long long *out,
                  const char *sql, const char *fmt, ...);
long long store_last_id(struct store *st);

/* PRAGMA quick_check: 0 when sound, 1 with the first complaint in msg,
 * -1 with err. */
int store_quick_check(struct store *st, char *msg, size_t n,
                      struct assay_err *err);

#endif
