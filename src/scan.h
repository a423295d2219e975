/* scan.h -- the one streaming pass (pipeline driver).
 *
 *   bytes --> reader --> rows --> sinks (profile, rules, bias, identity)
 *      \--> SHA-256 (own thread)
 *
 * scan_open() reads the header so that callers can resolve column names
 * (and fail on unknown ones) before any data is read; scan_run() reads
 * the data once and feeds every row to every sink.
 *
 * Parallelism: a large regular file is cut into record-aligned parts,
 * each time a free worker takes over half of what another has left (at
 * the start, half the file); each sink gets one state per part, from
 * worker_new()
 * (called on any thread, one call at a time, maybe while other parts'
 * rows run), fed rows in order, then
 * merged into the sink in file order (so "first N samples" stay the
 * first N).  Record numbers seen by a part's state are relative to the
 * part: merge() receives the offset to add.
 *
 * How to add a sink: fill a struct scan_sink with its functions and call
 * scan_add_sink() between scan_open() and scan_run(). */
#ifndef ASSAY_SCAN_H
#define ASSAY_SCAN_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include "row.h"
#include "status.h"
#include "types.h"

/* A record's parsed values, shared by the sinks of one worker: parse
 * each typed field once per record.  A sink that parsed field i as a
 * type (successfully) publishes the value with typed_put(); a later sink
 * wanting field i as the same type takes it with typed_get() instead of
 * parsing again.  The scan owns one per worker and bumps seq per record,
 * which invalidates every cell.  Only exact-type hits are shared: the
 * value is the one parse_as() gives for that type. */
struct typed_cell {
    uint64_t seq;               /* the record it belongs to */
    struct value v;             /* v.type: the type it parsed as */
};

struct typed_row {
    uint64_t seq;
    size_t n;
    struct typed_cell *cell;
};

/* 1 and *out if an earlier sink parsed field i of this record as t. */
static inline int typed_get(const struct row *row, size_t i, enum vtype t,
                            struct value *out)
{
    const struct typed_row *tr = row->typed;

    if (tr == NULL || i >= tr->n || tr->cell[i].seq != tr->seq ||
        tr->cell[i].v.type != t)
        return 0;
    *out = tr->cell[i].v;
    return 1;
}

/* Publish field i of this record, parsed as v->type (parse_as()). */
static inline void typed_put(const struct row *row, size_t i,
                             const struct value *v)
{
    struct typed_row *tr = row->typed;

    if (tr == NULL || i >= tr->n)
        return;
    tr->cell[i].seq = tr->seq;
    tr->cell[i].v = *v;
}

struct scan_sink {
    const char *name;
    void *self;
    /* A new per-worker state; the sink owns it. */
    void *(*worker_new)(void *self, unsigned worker);
    /* One record.  Return 0, or -1 with err filled to stop the scan. */
    int (*row)(void *ws, const struct row *row, struct assay_err *err);
    /* Fold a worker state into self (called in part order, worker 0
     * first) and free it.  rec_off/line_off: add to the worker's record
     * and line numbers to make them absolute. */
    void (*merge)(void *self, void *ws, uint64_t rec_off, uint64_t line_off);
    /* Optional (NULL: none): called on the worker's own thread after its
     * last record, before any merge, for work that can run in parallel
     * (sorting keys). */
    void (*done)(void *ws);
};

/* Line numbers: every worker's rows carry absolute line numbers (the scan
 * counts the lines before each part first), so line_off is always 0;
 * record numbers are relative to the part (rec_off is needed). */

struct scan_opts {
    char delim;                 /* 0: from the file name (.tsv: tab) */
    unsigned threads;           /* 0: automatic (number of cores, max 2) */
    int progress;               /* 1: progress on stderr (a terminal) */
    size_t max_field;           /* 0: default */
    /* For tests of the parallel mode on small files (0: the defaults):
     * the smallest file read in parallel (64 MiB), the parts it is cut
     * into up front (1, which the second worker splits at once; at most
     * 16), the fewest unread bytes a free worker takes half of (8 MiB),
     * and the bytes a worker reads at a time (1 MiB). */
    uint64_t parallel_min;
    unsigned parts;
    uint64_t steal_min;
    size_t chunk;
};
#define SCAN_OPTS_INIT { 0, 0, 0, 0, 0, 0, 0, 0 }

struct scan_info {
    char sha256[65];            /* hex of the raw (compressed) bytes */
    uint64_t bytes;
    uint64_t rows;              /* data records, header excluded */
    uint64_t lines;             /* physical lines */
    int64_t mtime_ns;           /* 0 for stdin */
    int regular;                /* 1: a regular file (can be re-read) */
    int compressed;             /* 1: gzip input */
};

struct scan;

/* Open a dataset ("-" is stdin; *.gz is decompressed) and read its
 * header.  Returns NULL with err filled. */
struct scan *scan_open(const char *path, const struct scan_opts *opts,
                       struct assay_err *err);
void scan_free(struct scan *s);

/* Header: borrowed, valid until scan_free(). */
size_t scan_ncols(const struct scan *s);
const char *scan_colname(const struct scan *s, size_t i);
/* Index of a column by name (the first one wins on duplicate names), or
 * -1.  */
long scan_col(const struct scan *s, const char *name);
const char *scan_path(const struct scan *s);

void scan_add_sink(struct scan *s, const struct scan_sink *sink);

/* Read all data records; 0 or -1 with err. */
int scan_run(struct scan *s, struct assay_err *err);
const struct scan_info *scan_info(const struct scan *s);

/* Second look: re-read a regular file from the start, calling fn for
 * every data record (one thread).  Used only when a sort-based check
 * (unique, duplicate_rows) found failures and needs their samples.
 * Returns 0, -1 with err, or ASSAY_EINPUT-free 1 when the input cannot
 * be re-read (stdin, a pipe). */
int scan_rescan(struct scan *s, int (*fn)(void *ctx, const struct row *row),
                void *ctx, struct assay_err *err);

#endif
