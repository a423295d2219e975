/* store.c -- the lineage database connection (the only SQLite user).
 *
 * Opens a database, refuses foreign, newer and corrupt files, applies the
 * forward migrations of lineage/schema.sql (compiled in as schema_sql),
 * sets the connection pragmas (WAL, foreign keys, busy timeout,
 * synchronous=FULL), and wraps prepared statements for the rest of
 * lineage/ (store.h).  Owns every sqlite3 handle it creates. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "store.h"
#include "json.h"
#include "util.h"
#include "schema_sql.h"

/* Forward migrations: step N brings user_version N-1 to N by running the
 * section "-- migration N: ..." of lineage/schema.sql.
 * How to add a migration: append a section with the next number to
 * schema.sql and a row here.  Never edit a step that has shipped. */
static const struct migration {
    int version;
    const char *what;
} migrations[] = {
    { 1, "base schema" },
    { 2, "indexes and views for the audit queries" },
    { 3, "the profile of each check" },
};

#define BUSY_TIMEOUT_MS 10000
#define CACHE_SIZE 48       /* prepared statements kept per connection */

struct store_stmt {
    struct store *st;
    sqlite3_stmt *s;
    int cached;             /* owned by the cache: store_done() resets */
    int busy;               /* handed out and not yet done */
};

struct store {
    sqlite3 *db;
    char *path;
    int mode;
    int in_tx;
    struct store_stmt *cache[CACHE_SIZE];
    size_t ncache;
};

int store_schema_version(void)
{
    return (int)ARRAY_SIZE(migrations);
}

const char *store_path(const struct store *st)
{
    return st->path;
}

/* ---- errors ---- */

/* Map an SQLite result code to an assay status and fill err. */
static int db_error(struct store *st, int rc, struct assay_err *err,
                    const char *what)
{
    const char *msg = st != NULL && st->db != NULL ? sqlite3_errmsg(st->db) :
                      sqlite3_errstr(rc);
    const char *path = st != NULL ? st->path : "?";

    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return seterr(err, ASSAY_ECORRUPT, "'%s' is not an assay lineage "
                      "database (%s)", path, msg);
    case SQLITE_CORRUPT:
        return seterr(err, ASSAY_ECORRUPT, "lineage database '%s' is "
                      "corrupt (%s)", path, msg);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        return seterr(err, ASSAY_EOPEN, "cannot open lineage database "
                      "'%s': %s", path, msg);
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return seterr(err, ASSAY_EIO, "lineage database '%s': %s: %s", path,
                      what, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return seterr(err, ASSAY_EDB, "lineage database '%s' stayed busy "
                      "for %d s: %s", path, BUSY_TIMEOUT_MS / 1000, msg);
    default:
        return seterr(err, ASSAY_EDB, "lineage database '%s': %s: %s", path,
                      what, msg);
    }
}

/* ---- statements ---- */

static int bind_va(struct store_stmt *q, struct assay_err *err,
                   const char *fmt, va_list ap)
{
    int i, rc = SQLITE_OK;

    for (i = 0; fmt != NULL && fmt[i] != '\0' && rc == SQLITE_OK; i++) {
        if (fmt[i] == 's') {
            const char *s = va_arg(ap, const char *);

            rc = s == NULL ? sqlite3_bind_null(q->s, i + 1) :
                 sqlite3_bind_text(q->s, i + 1, s, -1, SQLITE_TRANSIENT);
        } else if (fmt[i] == 'i') {
            rc = sqlite3_bind_int64(q->s, i + 1,
                                    (sqlite3_int64)va_arg(ap, long long));
        } else {
            return seterr(err, ASSAY_EINTERNAL, "bad bind format '%c'",
                          fmt[i]);
        }
    }
    if (rc != SQLITE_OK)
        return db_error(q->st, rc, err, "bind");
    return 0;
}

/* A statement for sql: from the cache when one is idle (queries repeat
 * per node in graph walks), else newly prepared and cached if room. */
static struct store_stmt *prepare(struct store *st, const char *sql,
                                  struct assay_err *err)
{
    struct store_stmt *q;
    size_t i;
    int rc;

    for (i = 0; i < st->ncache; i++) {
        q = st->cache[i];
        if (!q->busy && strcmp(sqlite3_sql(q->s), sql) == 0) {
            sqlite3_reset(q->s);
            sqlite3_clear_bindings(q->s);
            q->busy = 1;
            return q;
        }
    }
    q = xcalloc(1, sizeof(*q));
    q->st = st;
    q->busy = 1;
    rc = sqlite3_prepare_v2(st->db, sql, -1, &q->s, NULL);
    if (rc != SQLITE_OK) {
        db_error(st, rc, err, "prepare");
        free(q);
        return NULL;
    }
    if (st->ncache < CACHE_SIZE) {
        q->cached = 1;
        st->cache[st->ncache++] = q;
    }
    return q;
}

static struct store_stmt *query_va(struct store *st, struct assay_err *err,
                                   const char *sql, const char *fmt,
                                   va_list ap)
{
    struct store_stmt *q = prepare(st, sql, err);

    if (q == NULL)
        return NULL;
    if (bind_va(q, err, fmt, ap) < 0) {
        store_done(q);
        return NULL;
    }
    return q;
}

struct store_stmt *store_vquery(struct store *st, struct assay_err *err,
                                const char *sql, const char *fmt, va_list ap)
{
    return query_va(st, err, sql, fmt, ap);
}

struct store_stmt *store_query(struct store *st, struct assay_err *err,
                               const char *sql, const char *fmt, ...)
{
    struct store_stmt *q;
    va_list ap;

    va_start(ap, fmt);
    q = query_va(st, err, sql, fmt, ap);
    va_end(ap);
    return q;
}

int store_rebind(struct store_stmt *q, struct assay_err *err,
                 const char *fmt, ...)
{
    va_list ap;
    int rc;

    sqlite3_reset(q->s);
    sqlite3_clear_bindings(q->s);
    va_start(ap, fmt);
    rc = bind_va(q, err, fmt, ap);
    va_end(ap);
    return rc;
}

int store_step(struct store_stmt *q, struct assay_err *err)
{
    int rc = sqlite3_step(q->s);

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_error(q->st, rc, err, "query");
}

void store_done(struct store_stmt *q)
{
    if (q == NULL)
        return;
    if (q->cached) {
        sqlite3_reset(q->s);
        sqlite3_clear_bindings(q->s);
        q->busy = 0;
        return;
    }
    sqlite3_finalize(q->s);
    free(q);
}

long long store_int(struct store_stmt *q, int col)
{
    return (long long)sqlite3_column_int64(q->s, col);
}

const char *store_text(struct store_stmt *q, int col)
{
    return (const char *)sqlite3_column_text(q->s, col);
}

int store_isnull(struct store_stmt *q, int col)
{
    return sqlite3_column_type(q->s, col) == SQLITE_NULL;
}

struct json_t *store_row_json(struct store_stmt *q, const char *skip)
{
    struct json_t *o = j_obj();
    int i, n = sqlite3_column_count(q->s);

    for (i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(q->s, i);
        int type = sqlite3_column_type(q->s, i);

        if (skip != NULL && strcmp(name, skip) == 0)
            continue;
        if (type == SQLITE_INTEGER) {
            j_set(o, name, j_int(sqlite3_column_int64(q->s, i)));
        } else if (type == SQLITE_FLOAT) {
            j_set(o, name, j_num(sqlite3_column_double(q->s, i)));
        } else if (type == SQLITE_TEXT) {
            j_set(o, name, j_strn((const char *)sqlite3_column_text(q->s, i),
                                  (size_t)sqlite3_column_bytes(q->s, i)));
        } else if (type == SQLITE_BLOB) {
            size_t len = (size_t)sqlite3_column_bytes(q->s, i);
            char *hex = xmalloc(2 * len + 1);

            hex_encode(sqlite3_column_blob(q->s, i), len, hex);
            j_set(o, name, j_str(hex));
            free(hex);
        }
    }
    return o;
}

int store_exec(struct store *st, struct assay_err *err, const char *sql,
               const char *fmt, ...)
{
    struct store_stmt *q;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    q = query_va(st, err, sql, fmt, ap);
    va_end(ap);
    if (q == NULL)
        return -1;
    do
        rc = store_step(q, err);
    while (rc == 1);
    store_done(q);
    return rc;
}

int store_get_int(struct store *st, struct assay_err *err, long long *out,
                  const char *sql, const char *fmt, ...)
{
    struct store_stmt *q;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    q = query_va(st, err, sql, fmt, ap);
    va_end(ap);
    if (q == NULL)
        return -1;
    rc = store_step(q, err);
    if (rc == 1) {
        if (store_isnull(q, 0))
            rc = 0;
        else
            *out = store_int(q, 0);
    }
    store_done(q);
    return rc;
}

long long store_last_id(struct store *st)
{
    return (long long)sqlite3_last_insert_rowid(st->db);
}

int store_quick_check(struct store *st, char *msg, size_t n,
                      struct assay_err *err)
{
    struct store_stmt *q;
    int rc;

    q = store_query(st, err, "PRAGMA quick_check(1)", "");
    if (q == NULL)
        return -1;
    rc = store_step(q, err);
    if (rc == 1) {
        const char *t = store_text(q, 0);

        if (t != NULL && strcmp(t, "ok") == 0) {
            rc = 0;
        } else {
            snprintf(msg, n, "%s", t != NULL ? t : "?");
            rc = 1;
        }
    }
    store_done(q);
    return rc;
}

/* ---- transactions ---- */

int store_begin(struct store *st, struct assay_err *err)
{
    const char *sql = st->mode == STORE_WRITE ? "BEGIN IMMEDIATE" : "BEGIN";
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return db_error(st, rc, err, "begin");
    st->in_tx = 1;
    return 0;
}

int store_commit(struct store *st, struct assay_err *err)
{
    int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);

    if (rc != SQLITE_OK) {
        db_error(st, rc, err, "commit");
        store_rollback(st);
        return -1;
    }
    st->in_tx = 0;
    return 0;
}

void store_rollback(struct store *st)
{
    if (st->in_tx && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
}

/* ---- opening and migrating ---- */

/* mkdir -p of the directory holding path (".assay/" by default). */
static int make_parent(const char *path, struct assay_err *err)
{
    char *dir = xstrdup(path), *p;
    int rc = 0;

    p = strrchr(dir, '/');
    if (p == NULL || p == dir)
        goto out;
    *p = '\0';
    for (p = dir + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;

            *p = '\0';
            if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
                rc = seterr(err, ASSAY_EOPEN, "cannot create directory "
                            "'%s': %s", dir, strerror(errno));
                goto out;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
out:
    free(dir);
    return rc;
}

/* The SQL of migration step v: from its marker line to the next one. */
static char *migration_sql(int v)
{
    char marker[32];
    const char *start, *end;
    size_t n = (size_t)snprintf(marker, sizeof(marker), "-- migration %d:",
                                v);

    for (start = schema_sql; (start = strstr(start, marker)) != NULL;
         start += n)
        if (start == schema_sql || start[-1] == '\n')
            break;
    if (start == NULL)
        return NULL;
    end = strstr(start + n, "\n-- migration ");
    if (end == NULL)
        end = start + strlen(start);
    return xstrndup(start, (size_t)(end - start));
}

static int pragma_int(struct store *st, const char *sql, long long *out,
                      struct assay_err *err)
{
    *out = 0;
    return store_get_int(st, err, out, sql, "") < 0 ? -1 : 0;
}

/* Is this file ours?  Sets *version to its user_version (0: new). */
static int check_identity(struct store *st, long long *version,
                          struct assay_err *err)
{
    long long app = 0, objects = 0;

    if (pragma_int(st, "PRAGMA application_id", &app, err) < 0 ||
        pragma_int(st, "PRAGMA user_version", version, err) < 0 ||
        pragma_int(st, "SELECT count(*) FROM sqlite_master", &objects,
                   err) < 0)
        return -1;
    if (app == 0 && objects == 0 && *version == 0)
        return 0;
    if (app != STORE_APPLICATION_ID)
        return seterr(err, ASSAY_ECORRUPT, "'%s' is not an assay lineage "
                      "database (an SQLite database with application_id "
                      "%#llx)", st->path, (unsigned long long)app);
    if (*version > store_schema_version())
        return seterr(err, ASSAY_ECORRUPT, "lineage database '%s' has "
                      "schema version %lld; this assay knows up to %d "
                      "(upgrade assay)", st->path, *version,
                      store_schema_version());
    return 0;
}

/* WAL is a property of the file: set once, when the database is new.
 * Switching needs a moment alone with the file, so retry while another
 * process holds it (the busy handler does not cover this pragma). */
static int set_wal(struct store *st, struct assay_err *err)
{
    int tries, rc = SQLITE_OK;

    for (tries = 0; tries < 200; tries++) {
        rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL,
                          NULL);
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            break;
        {
            struct timespec ts = { 0, 50 * 1000 * 1000 };

            nanosleep(&ts, NULL);
        }
    }
    if (rc != SQLITE_OK)
        return db_error(st, rc, err, "set WAL mode");
    return 0;
}

static int migrate(struct store *st, struct assay_err *err)
{
    long long version = 0;
    size_t i;
    char *sql = NULL, *set = NULL;
    int rc = -1, erc;

    if (set_wal(st, err) < 0)
        return -1;
    /* Writers queue here; whoever comes second sees the new version. */
    erc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (erc != SQLITE_OK)
        return db_error(st, erc, err, "begin migration");
    st->in_tx = 1;
    if (check_identity(st, &version, err) < 0)
        goto out;
    for (i = 0; i < ARRAY_SIZE(migrations); i++) {
        if (migrations[i].version <= version)
            continue;
        sql = migration_sql(migrations[i].version);
        if (sql == NULL) {
            seterr(err, ASSAY_EINTERNAL, "schema.sql has no section for "
                   "migration %d", migrations[i].version);
            goto out;
        }
        erc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
        if (erc != SQLITE_OK) {
            db_error(st, erc, err, migrations[i].what);
            goto out;
        }
        free(sql);
        sql = NULL;
    }
    /* PRAGMAs take no parameters; both values are ours, not data. */
    set = xasprintf("PRAGMA application_id = %d; PRAGMA user_version = %d",
                    STORE_APPLICATION_ID, store_schema_version());
    erc = sqlite3_exec(st->db, set, NULL, NULL, NULL);
    if (erc != SQLITE_OK) {
        db_error(st, erc, err, "set schema version");
        goto out;
    }
    rc = store_commit(st, err);
out:
    if (rc < 0)
        store_rollback(st);
    free(sql);
    free(set);
    return rc;
}

struct store *store_open(const char *path, int mode, struct assay_err *err)
{
    struct store *st = xcalloc(1, sizeof(*st));
    long long version = 0;
    int flags = SQLITE_OPEN_READWRITE, rc;

    st->path = xstrdup(path);
    st->mode = mode;
    if (mode == STORE_WRITE) {
        flags |= SQLITE_OPEN_CREATE;
        if (make_parent(path, err) < 0)
            goto fail;
    } else if (access(path, F_OK) != 0) {
        seterr(err, ASSAY_EOPEN, "no lineage database at '%s' (record "
               "something first: assay lineage add PATH)", path);
        goto fail;
    }
    rc = sqlite3_open_v2(path, &st->db, flags, NULL);
    if (rc != SQLITE_OK) {
        db_error(st, rc, err, "open");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    rc = sqlite3_exec(st->db, "PRAGMA foreign_keys = ON; "
                      "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        db_error(st, rc, err, "set pragmas");
        goto fail;
    }
    /* One read transaction, so that the three values come from the same
     * state even while another process is creating the schema. */
    rc = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        db_error(st, rc, err, "begin");
        goto fail;
    }
    st->in_tx = 1;
    if (check_identity(st, &version, err) < 0)
        goto fail;
    store_rollback(st);
    if (version < store_schema_version() && migrate(st, err) < 0)
        goto fail;
    return st;
fail:
    store_close(st);
    return NULL;
}

void store_close(struct store *st)
{
    size_t i;

    if (st == NULL)
        return;
    store_rollback(st);
    for (i = 0; i < st->ncache; i++) {
        sqlite3_finalize(st->cache[i]->s);
        free(st->cache[i]);
    }
    if (st->db != NULL)
        sqlite3_close_v2(st->db);
    free(st->path);
    free(st);
}
