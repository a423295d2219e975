/* lineage.h -- the lineage graph: record, query, verify, export.
 *
 * The public API of lineage/ for src/cmd_*.c.  Every function takes the
 * database path (assay_db_path()), opens it, does all its work in ONE
 * transaction (a writer appends at most one ledger entry) and closes it.
 * Writers create the database and its parent directory when missing;
 * readers fail with ASSAY_EOPEN.  A foreign or corrupt file fails with
 * ASSAY_ECORRUPT (exit 3); an unknown or ambiguous REF with ASSAY_EREF
 * (exit 3, the message says what matched).
 *
 * REF: a sha256 or a unique prefix of at least 8 hex digits ("sha256:"
 * may precede it), a path (what was recorded there last), a run id (or a
 * unique prefix) or name, a model path, or env:NAME (the model deployed
 * there now).
 *
 * Warnings (e.g. a file overwritten in place) are returned, never
 * printed: on success *warnings (when the pointer is not NULL) gets a
 * NULL-terminated array, empty when there is nothing to say; free it
 * with lineage_free_warnings().  On failure *warnings is NULL. */
#ifndef ASSAY_LINEAGE_H
#define ASSAY_LINEAGE_H

#include <stddef.h>
#include "status.h"

struct json_t;

void lineage_free_warnings(char **warnings);

/* ---- recording ----
 * *out (when not NULL) gets a new JSON object describing what was
 * recorded: {"snapshots": [{sha256, dataset, path, new, overwrite}],
 * ...}; "seq" is the ledger entry written (0: nothing new). */

/* Record files as snapshots (sha256, size, mtime; for .csv/.tsv[.gz]
 * also row digest, schema hash, rows, columns).  dataset: the logical
 * name (NULL: each file's name). */
int lineage_add(const char *db_path, const char *const *paths, size_t n,
                const char *dataset, struct json_t **out, char ***warnings,
                struct assay_err *err);

struct lineage_derivation {
    const char *output;             /* path of the derived file */
    const char *const *inputs;      /* paths it was made from */
    size_t ninputs;
    const char *transform;          /* free text; may be NULL */
    const char *code_rev;           /* may be NULL */
    const char *dataset;            /* output's dataset; NULL: file name */
};
/* Record output <- transform <- inputs (recording the inputs as
 * snapshots when they are new).  Recording the same derivation twice
 * adds nothing. */
int lineage_derive(const char *db_path, const struct lineage_derivation *d,
                   struct json_t **out, char ***warnings,
                   struct assay_err *err);

struct lineage_input {
    const char *path;
    const char *role;               /* train, validation, test ...; NULL:
                                       "input" */
};
struct lineage_run {
    const char *name;
    const struct lineage_input *inputs;
    size_t ninputs;
    const struct json_t *params;    /* an object; may be NULL */
    const char *code_rev;           /* may be NULL */
};
/* Start a training run; run_id gets its id (a UUIDv7). */
int lineage_run_start(const char *db_path, const struct lineage_run *r,
                      char run_id[40], struct json_t **out,
                      char ***warnings, struct assay_err *err);

struct lineage_finish {
    const char *run;                /* a REF naming the run */
    const char *const *models;      /* model artifact paths (hashed) */
    size_t nmodels;
    const struct json_t *metrics;   /* an object; may be NULL */
    const char *status;             /* "succeeded" (NULL) or "failed" */
};
int lineage_run_finish(const char *db_path, const struct lineage_finish *f,
                       struct json_t **out, char ***warnings,
                       struct assay_err *err);

/* Deploy a recorded model (a path to its file, or a REF) to env; it is
 * the live model of env until the next deployment there. */
int lineage_deploy(const char *db_path, const char *model, const char *env,
                   struct json_t **out, char ***warnings,
                   struct assay_err *err);

/* Record an `assay check` JSON document (DESIGN.md contract, plus
 * "rules": {"path", "sha256"} and "tool"): its snapshot (dataset name
 * from dataset.name, else the file name) and results.  A snapshot at a
 * path that held another one, with no derivation recorded producing it,
 * is flagged as an overwrite and named in a warning.  0 or -1. */
int lineage_record_check(const char *db_path,
                         const struct json_t *check_doc, char ***warnings,
                         struct assay_err *err);

/* ---- audit queries: a new JSON document, or NULL with err ---- */

/* Everything about one node: summary, paths, checks, edges. */
struct json_t *lineage_show(const char *db_path, const char *ref,
                            struct assay_err *err);
/* What REF rests on: {"target", "deployments", "models", "runs",
 * "snapshots": [{sha256, dataset, path, roles, via, verdict, checks}]}.
 * For env:NAME, the live model, the runs that made it and every snapshot
 * behind them (recursively through derivations). */
struct json_t *lineage_upstream(const char *db_path, const char *ref,
                                struct assay_err *err);
/* What rests on REF: {"target", "snapshots" (derived), "runs", "models",
 * "deployments": [{env, deployed, live, model}]}. */
struct json_t *lineage_downstream(const char *db_path, const char *ref,
                                  struct assay_err *err);
/* For a snapshot: its downstream, the live deployments resting on it, and
 * whether its checks passed: {"target", "checks", "checks_passed"
 * (true/false/null: never checked), "live": [...], "downstream"}. */
struct json_t *lineage_impact(const char *db_path, const char *ref,
                              struct assay_err *err);
/* The ledger: [{seq, ts, kind, hash, prev, summary, body}]. */
struct json_t *lineage_log(const char *db_path, struct assay_err *err);

/* ---- evidence: everything a compliance report or an attestation needs ----
 * For a snapshot, run, model or env:NAME REF, one JSON document built in
 * one read transaction (the shape is a contract for reports/ and attest):
 * {
 *   "target":   {"kind": "snapshot"|"run"|"model"|"deployment", "ref",
 *                "id" (sha256 or run id), "name"},
 *   "generated": RFC 3339 time (SOURCE_DATE_EPOCH when set),
 *   "snapshots": [ every snapshot in scope: the snapshot itself, or each
 *      input of the run(s) and what they were derived from; each:
 *      {"sha256", "dataset", "path", "paths": [...], "bytes", "rows",
 *       "columns", "row_digest", "schema_hash", "mtime_ns", "recorded",
 *       "roles": [...], "overwrite": bool,
 *       "check": null (never checked) | the latest check: {"verdict",
 *          "checked", "tool_version", "rules": {"path", "sha256"},
 *          "results": [...], "bias": [...], "profile": {"columns": [...]}
 *          (the `assay check` JSON contract's members, as recorded)}} ],
 *   "derivations": [{"output", "inputs": [sha256...], "transform",
 *                    "code_rev", "recorded"}],
 *   "runs":   [{"id", "name", "status", "code_rev", "params", "metrics",
 *               "started", "finished", "inputs": [{"sha256", "role"}],
 *               "models": [sha256...]}],
 *   "models": [{"sha256", "path", "bytes", "run"}],
 *   "deployments": [{"env", "model", "deployed", "live"}],
 *   "graph":  {"nodes": [{"id", "kind", "label"}],
 *              "edges": [{"from", "to", "label"}]}   (upstream, drawable),
 *   "ledger": {"entries", "head" (sha256 of the last entry)}
 * }
 * Also present (additions, lineage/evidence.c): target "node" (its graph
 * id) and "path" (snapshot, model, deployment's model) and "env"
 * (deployment); each snapshot's "via": "target" | "input" |
 * "derivation"; runs carry "kind" and "dataset" in their inputs; models
 * "recorded"; graph nodes "sha256" (snapshot, model), "verdict"
 * (snapshot: its latest check's, or null), "status" (run); deployment
 * edges "live".  A check's "bias" is [] when none was recorded, its
 * "profile" null when the check predates stored profiles (schema 3).
 * Order: the target snapshot or the runs' inputs first, then what they
 * were derived from, each group in recording order; runs, models and
 * deployments in recording order.  Graph ids: "snapshot:<sha256>",
 * "run:<uuid>", "model:<sha256>", "env:<name>"; edges point downstream
 * (input -> output: derivations labelled with the transform or
 * "derived", run inputs with the role, "produced", "deployed" or
 * "deployed (live)").  A model or env:NAME REF: deployments of that
 * model (env:NAME: that deployment only).
 * NULL with err (ASSAY_EREF for an unknown or ambiguous REF). */
struct json_t *lineage_evidence(const char *db_path, const char *ref,
                                struct assay_err *err);

/* ---- verification ----
 * Every registered path (the latest snapshot or model recorded there)
 * is compared with the file: size and mtime first, re-hashed when they
 * differ; full re-hashes everything.  Then the ledger chain and the
 * tables it covers are re-walked together.  *ok = 1 when all is well.
 * {"ok", "paths": {"checked", "changed": [...], "missing": [...]},
 *  "ledger": {"ok", "entries", "head", "problem"}, "database": "ok"|msg} */
struct json_t *lineage_verify(const char *db_path, int full, int *ok,
                              struct assay_err *err);

/* ---- exports ----
 * format: "openlineage" (RunEvents, JSON lines), "prov" (PROV-JSON),
 * "dot" (Graphviz), "mermaid" (flowchart).  tool_version goes into the
 * producer URI.  Returns a new string; caller frees.  NULL with err
 * (ASSAY_EUSAGE for an unknown format). */
char *lineage_export(const char *db_path, const char *format,
                     const char *tool_version, struct assay_err *err);
/* The export format names, NULL-terminated (for help and validation). */
extern const char *const lineage_export_formats[];

#endif
