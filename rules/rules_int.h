/* rules_int.h -- private to rules/: the parsed rules, the check-kind
 * table and the checker's per-worker state.
 *
 * Shared by parse.c (the document), parse_bias.c, kinds.c (per-kind
 * arguments), rule_table.c (the table), checks.c (per-kind evaluation and
 * result text) and checker.c (binding, the scan sink, results).  Nothing
 * here is visible outside rules/. */
#ifndef ASSAY_RULES_INT_H
#define ASSAY_RULES_INT_H

#include <stdint.h>
#include <stddef.h>
#include "rules.h"
#include "yaml.h"
#include "expr.h"
#include "regex.h"
#include "sample.h"
#include "dedup.h"
#include "util.h"

struct json_t;

enum severity { SEV_INFO = 1, SEV_WARN, SEV_FAIL };

/* How many failures a check may have and still pass. */
enum tol_kind { TOL_NONE = 0, TOL_COUNT, TOL_PERCENT, TOL_MOSTLY };
struct tolerance {
    enum tol_kind kind;
    double v;                   /* a count, a percentage (0..100), or the
                                 * fraction that must pass (mostly) */
};

/* One bound of a range, length or row_count.  For integer, date and
 * timestamp columns i is exact (usec for dates); d is the same as a
 * double.  text is the literal as written (messages, "limit"). */
struct bound {
    int set;
    int excl;
    int is_int;
    int64_t i;
    double d;
    char *text;
};

/* Name -> index map (kinds.c), for columns and ids: keys are borrowed
 * NUL-terminated strings; the first put of a key wins. */
struct nidx {
    const char **key;
    int *val;
    size_t mask, n;
};
#define NIDX_INIT { NULL, NULL, 0, 0 }
int nidx_get(const struct nidx *x, const char *k);     /* -1: absent */
void nidx_put(struct nidx *x, const char *k, int v);
void nidx_release(struct nidx *x);

/* A declared column. */
struct rcol {
    char *name;
    int type;                   /* enum vtype, or -1 without type: */
    int required;
    unsigned line, col;         /* where its name is written */
};

struct check_kind;

/* One check, as written in the rules file (plus the implied ones). */
struct check {
    const struct check_kind *kind;
    char *id;
    int col;                    /* index in rules->col, -1: dataset */
    enum severity sev;
    struct tolerance tol;
    unsigned line, pos;         /* where its kind is written */
    int explicit_id;
    /* Kind arguments: only the ones of its kind are set. */
    struct bound lo, hi;        /* range (bounds made inclusive: see
                                 * kinds.c), length, row_count */
    double dlo, dhi;            /* range on a number column, inclusive */
    char **vals;                /* allowed: the values as written */
    size_t nvals;
    struct strset *set;         /* allowed on string columns */
    int64_t *keys;              /* allowed on typed columns: sorted keys */
    size_t nkeys;
    struct rx *rx;              /* pattern */
    char *text;                 /* pattern source, expression text */
    char *name;                 /* expression name */
    struct expr *expr;
    char **cols;                /* dataset unique: column names */
    unsigned *cols_line, *cols_col;
    size_t ncols;
};

struct rules {
    char *path;
    char *dataset;
    char **null_values;
    size_t nnull;
    struct rcol *col;
    size_t ncol, col_cap;
    struct nidx colidx;         /* column name -> index in col */
    /* check[0] is the built-in field_count; then each column's checks in
     * file order (its implied type check first), then the dataset-level
     * checks in file order. */
    struct check *check;
    size_t ncheck, check_cap;
    struct bias_spec *bias;
    size_t nbias;
    void **owned;               /* strings and arrays behind bias specs */
    size_t nowned, owned_cap;
};

/* ---- parsing helpers (parse.c), for kinds.c and parse_bias.c ---- */

struct rparse {
    struct rules *r;
    const char *name;           /* the file name in messages */
    struct assay_err *err;
};

/* Fill err at node's position; returns -1. */
int rp_fail(struct rparse *rp, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rp_fail_st(struct rparse *rp, enum assay_status st, unsigned line,
               unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* node must be a mapping whose keys are all in keys[] (else the error
 * names the key and suggests the closest one).  what: "range" etc. */
int rp_keys(struct rparse *rp, const struct ynode *map, const char *what,
            const char *const *keys, size_t nkeys);
/* Scalars.  Each returns 0, or -1 with the error at the node. */
int rp_string(struct rparse *rp, const struct ynode *n, char **out);
int rp_number(struct rparse *rp, const struct ynode *n, double *out);
int rp_count(struct rparse *rp, const struct ynode *n, uint64_t *out);
int rp_bool(struct rparse *rp, const struct ynode *n, int *out);
/* A list of scalars (strings as written); *out NULL-terminated. */
int rp_strings(struct rparse *rp, const struct ynode *n, char ***out,
               size_t *nout);
/* "3" (a count) or "1.5%" (a percentage) into a tolerance. */
int rp_count_or_percent(struct rparse *rp, const struct ynode *n,
                        struct tolerance *t);
/* An empty argument: `kind:`, `kind: {}` or the bare `- kind`. */
int rp_no_args(struct rparse *rp, const struct ynode *arg, const char *what);
/* Remember p, freed with the rules. Returns p. */
void *rules_own(struct rules *r, void *p);

/* The closest of cands[] to word (edit distance, case-insensitive), or
 * NULL when none is close enough to be a likely typo. */
const char *rules_suggest(const char *word, const char *const *cands,
                          size_t n);
/* ", did you mean 'x'?" style suffix: " (did you mean 'x'?)" or "". */
void rules_did_you_mean(char *out, size_t n, const char *word,
                        const char *const *cands, size_t ncands);

/* bias: and label: sections (parse_bias.c).  label may be NULL. */
int rules_parse_bias(struct rparse *rp, const struct ynode *label,
                     const struct ynode *bias);

/* ---- the check-kind table (rule_table.c) ---- */

enum { CK_COLUMN = 1, CK_DATASET = 2 };

struct worker;
struct wcheck;
struct checker;

struct check_kind {
    const char *name;
    unsigned level;             /* CK_COLUMN or CK_DATASET */
    /* Arguments of `kind: ARG` into c (c->col, c->tol already set). */
    int (*parse)(struct rparse *rp, struct check *c, const struct ynode *arg);
    /* Column checks: one non-null value that parses (w->cell).  Dataset
     * checks: one record with the right field count.  NULL: counted by
     * the checker itself or after the scan. */
    void (*eval)(const struct check *c, struct wcheck *wc, struct worker *w);
    /* Result fields: observed, limit, message (checks.c). */
    void (*report)(const struct checker *ck, size_t i, struct json_t *res);
    unsigned flags;
};

enum {
    KF_TOLERANCE = 1,           /* accepts max_failures / mostly */
    KF_IMPLIED = 2,             /* type, field_count: one per column/file,
                                 * a listed one configures it */
    KF_TYPED = 4                /* needs the column's type: */
};

extern const struct check_kind check_kinds[];
extern const size_t ncheck_kinds;
/* Kind by name and level, or NULL. */
const struct check_kind *check_kind_find(const char *name, unsigned level);
extern const struct check_kind *const kind_field_count, *const kind_type;

/* ---- per-kind argument parsers (kinds.c) ---- */

int kind_parse_none(struct rparse *rp, struct check *c,
                    const struct ynode *arg);
int kind_parse_not_null(struct rparse *rp, struct check *c,
                        const struct ynode *arg);
int kind_parse_range(struct rparse *rp, struct check *c,
                     const struct ynode *arg);
int kind_parse_allowed(struct rparse *rp, struct check *c,
                       const struct ynode *arg);
int kind_parse_pattern(struct rparse *rp, struct check *c,
                       const struct ynode *arg);
int kind_parse_length(struct rparse *rp, struct check *c,
                      const struct ynode *arg);
int kind_parse_unique_cols(struct rparse *rp, struct check *c,
                           const struct ynode *arg);
int kind_parse_duplicate_rows(struct rparse *rp, struct check *c,
                              const struct ynode *arg);
int kind_parse_row_count(struct rparse *rp, struct check *c,
                         const struct ynode *arg);
int kind_parse_expression(struct rparse *rp, struct check *c,
                          const struct ynode *arg);
void check_release(struct check *c);

/* String set for allowed values (kinds.c): exact bytes, hashed. */
struct strset;
struct strset *strset_new(char *const *vals, size_t n);
int strset_has(const struct strset *s, const char *p, size_t n);
void strset_free(struct strset *s);
/* Key of a parsed value for allowed on typed columns. */
int64_t value_key(int type, const struct value *v);

/* ---- the checker (checker.c) and evaluation (checks.c) ---- */

/* Per check, per worker; merged into the checker's totals. */
struct wcheck {
    uint64_t failures, checked, errors;
    uint64_t nulls;             /* expression: null results */
    int have_obs;               /* range, length: seen min/max */
    int64_t imin, imax;
    double dmin, dmax;
    struct sample_list samples;
    struct dedup_part part;     /* unique */
    int gave_up;                /* pattern: too many match-limit hits */
};

/* The checker's plans resolved for one worker: direct pointers into the
 * worker's own state, so the per-value path does no index arithmetic. */
struct wstep {
    void (*eval)(const struct check *c, struct wcheck *wc, struct worker *w);
    const struct check *c;
    struct wcheck *wc;
};

struct wplan {
    uint32_t field;
    int type;                   /* VT_STRING: nothing to parse */
    struct colval *cv;
    struct wcheck *type_wc;     /* NULL: no type check */
    struct wcheck **nn;         /* not_null checks */
    size_t nnn;
    struct wstep *vc;
    size_t nvc;
};

struct worker {
    struct checker *ck;
    const struct row *row;      /* the current record */
    struct colval *cell;        /* the current value (column checks) */
    struct colval *cache;       /* per slot: this record's values */
    struct wcheck *wc;          /* per check */
    struct rx_scratch **rxs;    /* per check (pattern), else NULL */
    struct wplan *plan;         /* ck->plan, resolved */
    size_t nplan;
    struct wstep *rowc;         /* ck->rowc, resolved */
    size_t nrowc;
    struct buf key;             /* unique tuples: canonical bytes */
    uint64_t rows, ok_rows;
    int min_fields, max_fields;
};

/* A present column the checker reads (a slot in the value cache). */
/* One evaluation in the hot path, resolved once: no table lookups per
 * value. */
struct step {
    void (*eval)(const struct check *c, struct wcheck *wc, struct worker *w);
    const struct check *c;
    size_t wi;                  /* check index (worker state) */
};

struct plan {
    uint32_t field;             /* index in the record */
    int slot;
    int type;                   /* enum vtype; VT_STRING when untyped */
    int type_check;             /* check index, or -1 */
    size_t *nn, nnn, nn_cap;    /* not_null checks */
    struct step *vc;            /* checks on values that parse */
    size_t nvc, vc_cap;
};

struct checker {
    const struct rules *r;
    size_t nfields;             /* the header's */
    char **header;              /* the data's column names (messages) */
    unsigned nsamples;
    struct identity *id;
    struct plan *plan;
    size_t nplan, plan_cap;
    size_t nslot;               /* rules columns, then extra columns of
                                 * dataset unique checks */
    int *slot_plan;             /* per slot: index in plan, or -1 */
    struct nidx fields;         /* the header: name -> field index */
    int *slot_field;            /* per slot: field index, -1 absent */
    struct step *rowc;          /* dataset checks evaluated per record */
    size_t nrowc, rowc_cap;
    int **tuple;                /* per check: slots of a unique tuple */
    int *absent;                /* per check: names an absent column */
    /* Null tokens, quick to test: lengths bounded by [nmin, nmax]. */
    const char *const *nullv;
    uint32_t *nulll;
    size_t nnull;
    uint32_t nmin, nmax;
    struct scan_sink sink;
    /* Totals (merged). */
    struct wcheck *tot;
    struct dedup *dd;           /* per check (unique), else unused */
    uint64_t rows, ok_rows;
    int min_fields, max_fields;
    int finished;
    unsigned nworkers, nmerged; /* sink workers made and merged */
    int rescan_failed;          /* samples of unique unavailable */
};

/* For tests and checker_new(): bind to a header given as names. */
struct checker *checker_bind(const struct rules *r, const char *const *names,
                             size_t n, const char *data_name,
                             struct identity *id, unsigned nsamples,
                             struct assay_err *err);
/* For tests and checker_finish(): a second look over the records. */
typedef int (*rescan_fn)(void *src,
                         int (*fn)(void *ctx, const struct row *row),
                         void *ctx, struct assay_err *err);
int checker_finish_with(struct checker *c, rescan_fn rescan, void *src,
                        struct assay_err *err);

/* Did check i pass?  (failures within tolerance) */
int check_within(const struct check *c, uint64_t failures, uint64_t checked);

/* Evaluation (checks.c). */
void eval_range(const struct check *c, struct wcheck *wc, struct worker *w);
void eval_allowed(const struct check *c, struct wcheck *wc, struct worker *w);
void eval_pattern(const struct check *c, struct wcheck *wc, struct worker *w);
void eval_length(const struct check *c, struct wcheck *wc, struct worker *w);
void eval_unique(const struct check *c, struct wcheck *wc, struct worker *w);
void eval_unique_tuple(const struct check *c, struct wcheck *wc,
                       struct worker *w);
void eval_expression(const struct check *c, struct wcheck *wc,
                     struct worker *w);

/* Result text (checks.c). */
void report_field_count(const struct checker *ck, size_t i,
                        struct json_t *res);
void report_type(const struct checker *ck, size_t i, struct json_t *res);
void report_not_null(const struct checker *ck, size_t i, struct json_t *res);
void report_range(const struct checker *ck, size_t i, struct json_t *res);
void report_allowed(const struct checker *ck, size_t i, struct json_t *res);
void report_pattern(const struct checker *ck, size_t i, struct json_t *res);
void report_length(const struct checker *ck, size_t i, struct json_t *res);
void report_unique(const struct checker *ck, size_t i, struct json_t *res);
void report_duplicate_rows(const struct checker *ck, size_t i,
                           struct json_t *res);
void report_row_count(const struct checker *ck, size_t i,
                      struct json_t *res);
void report_expression(const struct checker *ck, size_t i,
                       struct json_t *res);

/* "31,000" into out (>= 32 bytes). */
void fmt_count(uint64_t v, char *out, size_t n);

#endif
