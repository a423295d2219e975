/* profile.h -- per-column profile accumulated in the scan (profile.c,
 * with the sketches in sketch.c).
 *
 * Per column: count (values looked at), nulls, inferred type, distinct
 * (exact up to a cap, then HyperLogLog with its standard error stated),
 * min, max, mean, stddev (Welford, merged with Chan's formula), quantiles
 * from a KLL sketch (exact while small; rank error stated), top values
 * with counts (exact up to a cap, then Misra-Gries with its error bound),
 * and a histogram for reports.  Records whose field count differs from
 * the header's are not profiled (DESIGN.md). */
#ifndef ASSAY_PROFILE_H
#define ASSAY_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include "scan.h"
#include "types.h"

struct json_t;

struct profile_opts {
    const char *const *null_values;  /* tokens read as null; "" always is */
    size_t nnull_values;
    size_t top_k;                    /* top values reported (default 10) */
};

/* Summary numbers of one column, for `suggest` and reports. */
struct col_stats {
    const char *name;
    enum vtype type;            /* inferred: the narrowest type all non-null
                                   values parse as (VT_STRING otherwise) */
    uint64_t count, nulls;
    uint64_t distinct;
    int distinct_exact;
    int has_num;                /* numeric min/max/mean valid */
    double min, max, mean, stddev;
    int64_t tmin, tmax;         /* dates/timestamps (usec), when typed so */
    size_t min_len, max_len;    /* UTF-8 characters of non-null values */
    /* Distinct values with counts when distinct_exact and few
     * (<= 64), in order of first appearance; else NULL/0. */
    const char *const *values;
    const uint64_t *value_counts;
    size_t nvalues;
};

struct profile;

/* Returns a new profile for the scan's columns; caller frees. */
struct profile *profile_new(const struct scan *s,
                            const struct profile_opts *opts);
void profile_free(struct profile *p);
/* The sink to add to the scan; borrowed from p. */
const struct scan_sink *profile_sink(struct profile *p);

size_t profile_ncols(const struct profile *p);
/* Borrowed; valid until profile_free(). */
const struct col_stats *profile_col(struct profile *p, size_t i);
/* {"columns": [...]} as in DESIGN.md; caller frees (j_free). */
struct json_t *profile_json(struct profile *p);

#endif
