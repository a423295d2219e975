/* rules.h -- rules files (YAML, strict) and the checks they declare.
 *
 * rules_load() parses and validates a rules file (DESIGN.md "Rules
 * file"): unknown keys, wrong value types and unknown check kinds are
 * errors with FILE:LINE:COL.  checker_new() binds the rules to a dataset
 * header (a required column that is absent is an error naming the rules
 * file position and listing the data's columns) and gives a scan sink
 * that evaluates every row-level check in the one pass.  After the scan,
 * checker_finish() completes the sort-based checks (unique,
 * duplicate_rows) and checker_results() gives the results array of the
 * `assay check` JSON contract.
 *
 * Layer: rules/ may use src/ core headers, never lineage/ or reports/. */
#ifndef ASSAY_RULES_H
#define ASSAY_RULES_H

#include <stddef.h>
#include "scan.h"
#include "bias.h"
#include "types.h"

struct json_t;
struct identity;

struct rules;
struct checker;

/* Returns new rules; NULL with err (ASSAY_ERULES/ASSAY_EREGEX, located at
 * FILE:LINE:COL) on any error.  Caller frees. */
struct rules *rules_load(const char *path, struct assay_err *err);
/* The same from a string (tests); name is used in messages. */
struct rules *rules_parse(const char *text, size_t n, const char *name,
                          struct assay_err *err);
void rules_free(struct rules *r);

const char *rules_path(const struct rules *r);
const char *rules_dataset(const struct rules *r);        /* NULL if unset */
/* null_values tokens (borrowed). */
const char *const *rules_null_values(const struct rules *r, size_t *n);
/* Declared type of a column, or -1 if the column is not declared or has
 * no type. */
int rules_column_type(const struct rules *r, const char *column);
/* Bias specifications from the label: and bias: sections (borrowed). */
size_t rules_nbias(const struct rules *r);
const struct bias_spec *rules_bias(const struct rules *r, size_t i);

/* Bind rules to the scan's header.  nsamples: samples kept per check.
 * id: the identity sink (row hashes for duplicate_rows); may be NULL
 * when there is no duplicate_rows check (a duplicate_rows check then
 * reports status "error").  A required column missing from the data is
 * ASSAY_ECOLUMN at the rules-file position of its name, listing the
 * data's columns.  A `required: false` column that is absent: its checks
 * (and expressions or unique tuples naming it) are reported with status
 * "pass", checked 0 and the message "column absent (required: false)". */
struct checker *checker_new(const struct rules *r, struct scan *s,
                            struct identity *id, unsigned nsamples,
                            struct assay_err *err);
void checker_free(struct checker *c);
const struct scan_sink *checker_sink(struct checker *c);
/* After scan_run() (and identity_finish(), whose duplicates it reports):
 * sort-based checks, samples by a second look (scan_rescan(), only when
 * a unique check found repeats). */
int checker_finish(struct checker *c, struct scan *s, struct assay_err *err);
/* The "results" array (DESIGN.md), one object per check: the built-in
 * field_count first, then each column's checks in file order (its
 * implied type check first), then the dataset-level checks in file
 * order.  Each object: id, kind, column (null for dataset checks),
 * severity, status (pass | fail | error), failures, checked, observed,
 * limit (bounds and tolerance), message, samples.  Caller frees. */
struct json_t *checker_results(struct checker *c);

#endif
