/* node.h -- the nodes of the lineage graph: references and summaries
 * (node.c).
 *
 * A REF on the command line names one node: a sha256 or a unique prefix
 * of at least 8 hex digits (snapshot or model), a path (the snapshot or
 * model recorded there last), a run id (or unique prefix) or run name, or
 * env:NAME (the deployment live there now). */
#ifndef ASSAY_LINEAGE_NODE_H
#define ASSAY_LINEAGE_NODE_H

#include "status.h"

struct json_t;
struct store;
struct store_stmt;

enum node_kind { NODE_SNAPSHOT, NODE_RUN, NODE_MODEL, NODE_DEPLOYMENT };

struct node {
    enum node_kind kind;
    long long id;           /* row id in its table */
};

/* "snapshot", "run", "model", "deployment". */
const char *node_kind_name(enum node_kind k);

/* An absolute form of path: realpath() when it exists, else its
 * directory's realpath plus the last component, else joined to the
 * working directory.  Returns a new string; caller frees. */
char *node_abs_path(const char *path);

/* Resolve ref.  0 with *out set, or -1 with err: ASSAY_EREF for unknown
 * or ambiguous references (the message lists what matched). */
int node_resolve(struct store *st, const char *ref, struct node *out,
                 struct assay_err *err);

/* Summaries as JSON objects with "kind" first; new references, or NULL
 * with err.
 *   snapshot:   sha256 dataset path bytes rows columns row_digest
 *               schema_hash recorded verdict
 *   run:        id name status started finished code_rev params metrics
 *   model:      sha256 path bytes recorded
 *   deployment: env deployed live model model_path */
struct json_t *node_json(struct store *st, const struct node *n,
                         struct assay_err *err);

/* The checks recorded for a snapshot, oldest first: [{verdict, checked,
 * rules_path, rules_sha256, tool_version}], with "results", "bias" and
 * "profile" (parsed; null when not recorded) when full.  New reference, or NULL with err. */
struct json_t *node_checks(struct store *st, long long snapshot_id,
                           int full, struct assay_err *err);

/* Column c of q's current row as JSON, by type: 't' text, 'i' integer
 * (SQL NULL: null), 'j' JSON text we wrote, parsed (NULL: null; text
 * that does not parse: a string), 'b' boolean (nonzero).  New
 * reference. */
struct json_t *node_col(struct store_stmt *q, int c, char type);
/* o[keys[i]] = node_col(q, first + i, types[i]) for each of types. */
void node_cols(struct json_t *o, struct store_stmt *q, int first,
               const char *const *keys, const char *types);

#endif
