/* compliance_int.h -- private to reports/compliance*.c: the view of an
 * evidence document (lineage/lineage.h) that the three compliance
 * formats share.
 *
 * compliance.c builds struct cmodel once (per-snapshot check views,
 * gaps, verdict) and owns the mapping tables; compliance_graph.c lays
 * the upstream graph out; compliance_html.c and compliance_md.c render.
 * Included by tests/unit/test_compliance.c. */
#ifndef ASSAY_COMPLIANCE_INT_H
#define ASSAY_COMPLIANCE_INT_H

#include <stddef.h>
#include "report_int.h"

struct json_t;

/* Bounds that keep a report readable at scale (200 columns, 50 failing
 * checks stay well under 5 MB). */
#define CR_SAMPLES 5            /* samples shown per check */
#define CR_TOP 3                /* top values shown per column */
#define CR_BINS 24              /* histogram bins drawn (merged down) */
#define CR_GAPS 1000            /* gap rows rendered (JSON has all) */
#define CR_NODES 80             /* graph nodes drawn (tables have all) */
#define CR_SHORT 48             /* cap for values in dense tables */

/* One snapshot in scope. */
struct csnap {
    const struct json_t *obj;       /* the snapshot object */
    const struct json_t *check;     /* its latest check; NULL: never */
    struct report_ctx ctx;          /* the check's items (when check) */
    const char *dataset;            /* never NULL */
    const char *sha256;             /* never NULL ("" when absent) */
    const char *verdict;            /* pass | warn | fail | unchecked */
    size_t nbias;                   /* bias objects in the check */
    int upstream;                   /* 1: context only (what the subject
                                       was derived from), 0: a subject:
                                       the target snapshot or an input
                                       of the target run(s) */
};

enum gap_sev { GAP_FAIL = 0, GAP_WARN, GAP_INFO, GAP_COUNT };

/* One gap: a failing or warning check or metric, a snapshot never
 * checked, an overwrite, a missing examination.  Upstream snapshots
 * give one "upstream" info gap instead: the derivation that followed is
 * what addressed their findings. */
struct cgap {
    enum gap_sev sev;
    const char *kind;       /* static: "check", "bias", "bias_error",
                               "unchecked", "overwrite", "no_bias",
                               "run", "upstream" */
    size_t snap;            /* index into snaps + 1; 0: none */
    char *subject;          /* owned: check id, metric ... */
    char *detail;           /* owned: plain text */
    const char *clause;     /* static: the EU AI Act item it bears on */
};

struct cmodel {
    const struct json_t *ev;
    const char *tool_version;       /* never NULL */
    char generated[40];
    const char *kind, *ref, *id, *name;     /* target; never NULL */
    struct csnap *snaps;
    size_t nsnaps;
    struct cgap *gaps;
    size_t ngaps;
    size_t gap_count[GAP_COUNT];
    size_t nchecked;                /* snapshots with a check */
    size_t item_count[IC_COUNT];    /* over the subject snapshots */
    const char *verdict;            /* pass | warn | fail */
};

/* Build m from ev (borrowed; must outlive m).  Returns 0, or -1 with err
 * (ASSAY_EINPUT) when ev has no "target" object. */
int cmodel_init(struct cmodel *m, const struct json_t *ev,
                const struct compliance_opts *o, struct assay_err *err);
void cmodel_release(struct cmodel *m);

const char *gap_word(enum gap_sev s);           /* "fail", "warn", "info" */
/* "error", "fail", "warn", "info", "pass". */
const char *citem_word(enum item_class c);
/* Index of the section with anchor id in csections[] (0 when none). */
size_t csection_index(const char *id);
/* The label of the graph node with this id; id itself when none. */
const char *cgraph_label(const struct json_t *graph, const char *id);
/* Snapshot i's role in scope: "target", "upstream", or NULL (a subject
 * with the roles it has as a run input). */
const char *csnap_role(const struct cmodel *m, size_t i);
/* The checks of s (not the bias findings), worst first: indices into
 * s->ctx.items, *n of them.  Returns a new array; caller frees. */
size_t *csnap_checks(const struct csnap *s, size_t *n);
/* The finding of s for metric of bias object bo; NULL: no limit. */
const struct ritem *csnap_finding(const struct csnap *s,
                                  const struct json_t *bo,
                                  const char *metric);

/* One row of the evidence index: a hash the report rests on. */
struct cevrow {
    const struct csnap *file;   /* the "file sha256" row: its snapshot
                                   (artifact is its dataset); else NULL */
    const char *artifact;       /* borrowed; NULL: a run without a name */
    size_t max;                 /* display cap for artifact */
    const char *kind;           /* static: "file sha256", "row digest" ... */
    const char *value;          /* borrowed; never NULL or empty */
};
/* The evidence index in order: per snapshot its file sha256, row digest,
 * schema hash and rules sha256, then run ids, model sha256s, the ledger
 * head; hashes not recorded are left out.  Returns a new array of *n
 * rows; caller frees. */
struct cevrow *cevidence_rows(const struct cmodel *m, size_t *n);

/* ---- the mapping tables (compliance.c) ----
 * Report sections and the questions and clauses each answers. */
struct csection {
    const char *id;             /* anchor: "identification" */
    const char *title;          /* "Identification" */
    const char *datasheet;      /* Datasheets for Datasets questions */
    const char *euai;           /* EU AI Act Art. 10 items */
    const char *nist;           /* NIST AI RMF 1.0 */
    const char *iso;            /* ISO/IEC 42001:2023 Annex A */
};
extern const struct csection csections[];
extern const size_t ncsections;

/* EU AI Act Art. 10 items, what they ask, where the report answers and
 * how fully ("evidenced", "partial", "reviewer"). */
struct cclause {
    const char *item;           /* "10(2)(f)" */
    const char *asks;
    const char *sections;       /* "5 Bias, 6 Gaps" */
    const char *coverage;
    const char *note;           /* what assay does or cannot evidence */
};
extern const struct cclause cclauses[];
extern const size_t ncclauses;

/* ---- the upstream graph, laid out (compliance_graph.c) ---- */
struct gnode {
    const char *id, *kind, *label;  /* borrowed; never NULL */
    int rank;                       /* column, 0 = sources */
    int row;
    double x, y;                    /* top-left corner */
};
struct gedge {
    size_t from, to;                /* node indices */
    const char *label;              /* borrowed; may be NULL */
};
struct glayout {
    struct gnode *nodes;
    size_t n;                       /* nodes laid out (<= CR_NODES) */
    size_t total;                   /* nodes in the document */
    struct gedge *edges;
    size_t nedges;
    double width, height;
};
#define GNODE_W 176.0
#define GNODE_H 46.0

/* Lay graph ({"nodes", "edges"}) out in ranks from left to right:
 * rank = longest path from a source (cycles broken), rows ordered by
 * the mean row of their predecessors.  g_release() frees. */
void g_layout(struct glayout *g, const struct json_t *graph);
void g_release(struct glayout *g);

/* ---- renderers: append the whole document to out ---- */
void compliance_html(struct buf *out, const struct cmodel *m);
void compliance_md(struct buf *out, const struct cmodel *m);
/* The JSON document: the evidence plus verdict, gaps and mapping.
 * Returns a new value; caller frees. */
struct json_t *compliance_json(const struct cmodel *m);

#endif
