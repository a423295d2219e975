/* bias.h -- SageMaker-Clarify bias metrics from one contingency table
 * filled in the scan (bias.c; statistics through stats.c/GSL).
 *
 * Definitions: ../shared/BIAS-METRICS.md.  clarify mode reproduces the
 * reference (smclarify) to 1e-12; strict mode gives the full-support
 * variants.  Facets: categorical values (d = rows equal to any value;
 * several columns give an intersectional facet, values then name one
 * tuple "v1,v2") or a threshold (d = x > t).  Labels likewise; missing
 * labels and predictions are negative; missing facet values are in a;
 * rows with a missing group value drop out of CDDL/CDDPL (both modes).
 * Strict mode with label values compares the raw label values, a missing
 * label being a category of its own. */
#ifndef ASSAY_BIAS_H
#define ASSAY_BIAS_H

#include <stddef.h>
#include "scan.h"

struct json_t;

enum bias_mode { BIAS_CLARIFY = 0, BIAS_STRICT };

/* A limit on one metric, from a rules file: |v| <= max_abs, v <= max,
 * v >= min; significance: only fail when the two-proportion p-value is
 * below it (0 = not required). */
struct bias_limit {
    const char *metric;         /* "CI", "DPL", ... */
    int has_max_abs, has_max, has_min;
    double max_abs, max, min;
    double significance;
    const char *severity;       /* "fail" (default), "warn", "info" */
};

struct bias_spec {
    const char *const *facet_cols;   /* 1 column, or several (intersection) */
    size_t nfacet_cols;
    const char *const *facet_values; /* may be empty: one-vs-rest per value */
    size_t nfacet_values;
    int facet_has_threshold;
    double facet_threshold;
    const char *label_col;
    const char *const *label_values;
    size_t nlabel_values;
    int label_has_threshold;
    double label_threshold;
    const char *group_col;           /* NULL: none (CDDL errors) */
    const char *predicted_col;       /* NULL: no post-training metrics */
    enum bias_mode mode;
    const struct bias_limit *limits; /* from rules files; may be empty */
    size_t nlimits;
    const char *const *null_values;  /* tokens read as missing */
    size_t nnull_values;
};

struct bias;

/* Resolve columns against the scan's header.  Returns NULL with err
 * (ASSAY_ECOLUMN naming the column and listing the columns) on an unknown
 * facet, label, group or prediction column. */
struct bias *bias_new(const struct bias_spec *spec, const struct scan *s,
                      struct assay_err *err);
void bias_free(struct bias *b);
const struct scan_sink *bias_sink(struct bias *b);
/* Make n specs (fresh from bias_new, not yet added to a scan) one scan
 * sink, bias_sink() of any of them, that reads each column once per
 * record for all: `assay check` adds its rules file's specs this way.
 * Returns -1 (nothing changed) unless they share their null values and
 * header. */
int bias_share(struct bias *const *b, size_t n);

/* After scan_run().  The DESIGN.md object (or, without facet values or
 * threshold, an array of objects, one per facet value in order of first
 * appearance); with limits, each object carries "findings".  Caller frees.
 * *worst gets the worst finding severity: 0 none, 1 info, 2 warn, 3 fail. */
struct json_t *bias_json(struct bias *b, int *worst);
/* 1 if name is a metric (for rules files: "CI", "DPL", ...). */
int bias_metric_known(const char *name);
/* A metric's one-line description and how to read its value (static
 * strings); -1 if unknown. */
int bias_metric_info(const char *name, const char **description,
                     const char **meaning);

/* Warnings to show the user (e.g. a label value that never occurs);
 * borrowed, NULL-terminated. */
const char *const *bias_warnings(struct bias *b);

#endif
