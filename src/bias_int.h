/* bias_int.h -- bias.c internals shared with its unit tests: the
 * contingency counts of one facet specification, the metric results
 * computed from them, and a header-only constructor that needs no scan.
 * Not for other modules: they use bias.h. */
#ifndef ASSAY_BIAS_INT_H
#define ASSAY_BIAS_INT_H

#include <stdint.h>
#include "bias.h"

/* Metric indices, in output order (DESIGN.md). */
enum bias_pre {
    BP_CI, BP_DPL, BP_KL, BP_JS, BP_LP, BP_TVD, BP_KS, BP_CDDL, BIAS_NPRE
};
enum bias_post {
    BQ_DPPL, BQ_DI, BQ_DCA, BQ_DCR, BQ_RD, BQ_SD, BQ_DAR, BQ_DRR, BQ_AD,
    BQ_TE, BQ_CDDPL, BQ_FT, BQ_GE, BIAS_NPOST
};
/* The five distances, in the order of bias_distances()'s out[]. */
enum bias_dist { BD_KL, BD_JS, BD_LP, BD_TVD, BD_KS, BIAS_NDIST };

/* Model-performance extras (the reference's model_performance_report). */
enum bias_perf {
    BM_ACC, BM_PPL, BM_PNL, BM_RECALL, BM_SPEC, BM_PREC, BM_REJ,
    BM_CACC, BM_CREJ, BM_F1, BIAS_NPERF
};

#define BIAS_ERRLEN 200

/* One metric: a value (finite or +-inf) or an error message.  ci95 and
 * p are extras for CI, DPL, DPPL and DI (has_ci/has_p). */
struct bias_value {
    int ok;
    double v;
    char err[BIAS_ERRLEN];
    int has_ci, has_p;
    double lo, hi, p;
    const char *ci_method;
};

/* Contingency counts of one facet specification: everything the metrics
 * except FT need.  d = 1 is the selected (sensitive) facet, y the
 * observed positive, yh the predicted positive. */
struct bias_counts {
    uint64_t n;
    uint64_t c[2][2][2];        /* [d][y][yh] */
    int has_pred;
    int has_group;              /* a group column was given */
    size_t ngroups;             /* non-missing groups, np.unique order */
    uint64_t (*g)[2][2][2];     /* [group][d][y][yh] */
    uint64_t n_group_missing;   /* rows whose group is missing */
    size_t ncat;                /* raw label categories (0: none) */
    uint64_t (*cat)[2];         /* [category][d], sorted categories */
};

/* Feature rows for FlipTest: row-major x[nrows * nfeat]; d[i] = 1 when
 * row i is in d; yh[i] = 1 when it is predicted positive.  err: the
 * reason FT cannot run (non-numeric column, NaN, too many values) or
 * NULL. */
struct bias_ft {
    size_t nrows, nfeat;
    const double *x;
    const unsigned char *d;
    const unsigned char *yh;
    const char *err;
};

struct bias_result {
    struct bias_value pre[BIAS_NPRE];
    int post_ok;                /* 0: whole post-training report refused */
    char post_err[BIAS_ERRLEN];
    struct bias_value post[BIAS_NPOST];
    /* The reference's direct calls with the raw label column: multi-
     * category distributions with its common-support truncation (only
     * when c->ncat > 0). */
    struct bias_value full[BIAS_NDIST];
    /* basic_stats */
    double proportion, old[2];
    /* model performance (post_ok only) and [TP, FP, FN, TN] / n */
    double perf[BIAS_NPERF], conf[4], conf_d[4];
};

/* Compute every metric of one facet specification.  ft may be NULL (FT
 * then errors as without feature columns). */
void bias_compute(const struct bias_counts *c, enum bias_mode mode,
                  const struct bias_ft *ft, struct bias_result *r);

/* KL, JS, LP, TVD, KS between the label distributions of a (na[k]) and
 * d (nd[k]) over k categories in sorted order.  truncate = 1: the
 * reference's common-support rule (drop categories absent from either
 * group, no renormalisation); 0: full support (strict mode).  Returns 0,
 * or -1 with err filled (no common support, an empty group). */
int bias_distances(const uint64_t *na, const uint64_t *nd, size_t k,
                   int truncate, double out[BIAS_NDIST], char *err,
                   size_t errlen);

/* bias_new() without a scan: columns from a header. */
struct bias *bias_new_header(const struct bias_spec *spec, size_t ncols,
                             const char *const *names,
                             struct assay_err *err);

/* After the scan: the number of reports (1, or one per facet value) and
 * report i's counts, FT rows and results.  Borrowed until bias_free(). */
size_t bias_nreports(struct bias *b);
const struct bias_counts *bias_report_counts(struct bias *b, size_t i);
const struct bias_result *bias_report_result(struct bias *b, size_t i);
/* Report i's facet value text (one-vs-rest) or NULL. */
const char *bias_report_value(struct bias *b, size_t i);

/* The multi-class confusion matrix of the raw label and prediction
 * values (value-list labels with a prediction column only): *n values in
 * sorted order, names borrowed until bias_free(); m[i * n + j] counts
 * rows labelled names[i] and predicted names[j].  Rows with a missing
 * label or prediction are not counted (the reference raises TypeError).
 * Returns 0 with *m to free, or -1 when there is no such matrix. */
int bias_confusion(struct bias *b, size_t *n, const char ***names,
                   uint64_t **m);

#endif
