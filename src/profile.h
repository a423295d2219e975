/* profile.h -- per-column profile accumulated in the scan (profile.c,
 * with the sketches in sketch.c).
 *
 * Per column: count (values looked at), nulls, inferred type, distinct
 * (exact up to a cap, then HyperLogLog with its standard error stated),
 * min, max, mean, stddev (compensated sums and Chan's merge of block
 * moments), quantiles from a KLL sketch (exact while small; rank error
 * stated), top values with counts (exact up to a cap, then Misra-Gries
 * with its error bound), and a histogram for reports.  Records whose
 * field count differs from the header's are not profiled (DESIGN.md).
 *
 * Definitions (so that `suggest`, reports and tests agree):
 *  - type: the first of integer, number, boolean, date, timestamp that
 *    every non-null value parses as (types.h), else string; a column with
 *    no non-null value is string.  Integers written with a leading zero
 *    ("007", zip codes) are identifiers: such a column is not numeric.
 *  - count: values looked at (nulls included); distinct: non-null ones.
 *  - min/max: numbers for integer/number, instants for date/timestamp
 *    (min_text/max_text: ISO 8601, UTC), bytewise lexicographic text for
 *    string and boolean.  Lengths are UTF-8 characters (utf8_chars()).
 *  - mean/stddev: numeric columns; stddev is the sample one (n - 1),
 *    NaN below 2 values.
 *  - quantiles: nearest rank, the smallest value v with at least
 *    ceil(p n) values <= v: always a value of the data.
 *  - Every number is exact while a column holds at most PROFILE_EXACT_MAX
 *    distinct values (and 1 MiB of their text): after that, distinct is
 *    an HLL estimate (relative standard error distinct_error), top
 *    counts come from Misra-Gries (each low by at most top_error), and
 *    quantiles from KLL (normalised rank error quantile_rank_error).
 *    Count, nulls, type, min, max and lengths are always exact. */
#ifndef ASSAY_PROFILE_H
#define ASSAY_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include "scan.h"
#include "types.h"

struct json_t;

#define PROFILE_EXACT_MAX 16384 /* distinct values kept exactly */
#define PROFILE_NQ 7            /* p1 p5 p25 p50 p75 p95 p99 */
#define PROFILE_BINS 20         /* histogram bins (at most) */
#define PROFILE_VALUES_MAX 64   /* col_stats.values: up to this many */

/* 0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99 and their names "p1"... */
extern const double profile_q[PROFILE_NQ];
extern const char *const profile_qname[PROFILE_NQ];

struct profile_opts {
    const char *const *null_values;  /* tokens read as null; "" always is */
    size_t nnull_values;
    size_t top_k;                    /* top values reported (default 10) */
};

/* Summary numbers of one column, for `suggest` and reports.  Every
 * pointer is borrowed from the profile (valid until profile_free()). */
struct col_stats {
    const char *name;
    enum vtype type;            /* inferred: the narrowest type all non-null
                                   values parse as (VT_STRING otherwise) */
    uint64_t count, nulls;
    uint64_t distinct;
    int distinct_exact;
    double distinct_error;      /* relative standard error; 0 if exact */
    int has_num;                /* numeric min/max/mean valid */
    double min, max, mean, stddev;
    int64_t imin, imax;         /* integer columns: exact min/max */
    int64_t tmin, tmax;         /* dates/timestamps (usec), when typed so */
    /* Text of min and max: ISO for date/timestamp, the values themselves
     * for string/boolean, shortest round-trip numbers for numeric; NULL
     * when there is no non-null value. */
    const char *min_text, *max_text;
    size_t min_len, max_len;    /* UTF-8 characters of non-null values */
    int invalid_utf8;           /* a non-null value is not well-formed
                                   UTF-8 (so not text) */
    /* Distinct values with counts when distinct_exact and few
     * (<= 64), in order of first appearance; else NULL/0. */
    const char *const *values;
    const size_t *value_lens;   /* bytes (values may hold NULs) */
    const uint64_t *value_counts;
    size_t nvalues;
    /* Numeric columns with values: quantiles at profile_q[]. */
    int has_quantiles;
    double quantiles[PROFILE_NQ];
    int quantiles_exact;
    double quantile_rank_error; /* normalised; 0 if exact */
    /* Most frequent values, by count (ties: first appearance). */
    const char *const *top_values;
    const size_t *top_lens;
    const uint64_t *top_counts;
    const unsigned char *top_cut;   /* 1: value cut to its first 1 KiB
                                       (long values past the exact
                                       phase) */
    size_t ntop;
    int top_exact;
    uint64_t top_error;         /* each count is low by at most this */
    /* Histogram of numeric columns: nbins bins [edge[i], edge[i+1]), the
     * last one closed; integer columns spanning <= 20 values get one bin
     * per value.  Exact or estimated from the quantile sketch. */
    size_t nbins;
    const double *hist_edges;   /* nbins + 1 */
    const uint64_t *hist_counts;
    int hist_exact;
};

struct profile;

/* Returns a new profile for the scan's columns; caller frees. */
struct profile *profile_new(const struct scan *s,
                            const struct profile_opts *opts);
/* The same for explicit column names (tests, other drivers). */
struct profile *profile_new_cols(const char *const *names, size_t ncols,
                                 const struct profile_opts *opts);
void profile_free(struct profile *p);
/* The sink to add to the scan; borrowed from p. */
const struct scan_sink *profile_sink(struct profile *p);

size_t profile_ncols(const struct profile *p);
/* Records profiled (right field count) and records left out. */
uint64_t profile_rows(const struct profile *p);
uint64_t profile_skipped(const struct profile *p);
/* Borrowed; valid until profile_free().  Call after the scan. */
const struct col_stats *profile_col(struct profile *p, size_t i);
/* The column's type for the schema hash (identity.h): inferred as if only
 * the empty field were null, whatever null_values the profile was given
 * (a null token met in the column counts as a value).  Equals
 * col_stats.type when there are no null tokens.  Call after the scan. */
enum vtype profile_schema_type(struct profile *p, size_t i);
/* {"columns": [...]} as in DESIGN.md; caller frees (j_free). */
struct json_t *profile_json(struct profile *p);

/* ISO 8601 text of microseconds since the epoch: "YYYY-MM-DD" when
 * date_only, else "YYYY-MM-DDTHH:MM:SS[.ffffff]Z".  out >= 40 bytes. */
void profile_fmt_time(int64_t usec, int date_only, char *out, size_t n);

#endif
