/* identity.h -- what exactly this data is (identity.c).
 *
 *  sha256      SHA-256 of the file's bytes (scan.c; equals sha256sum)
 *  row_digest  order-independent digest of the records: each record's
 *              fields are encoded canonically (field count, then each
 *              field as a 4-byte little-endian length and its bytes), the
 *              encoding is hashed to a 96-bit key (XXH3-128, truncated),
 *              the keys are sorted (a multiset: repeats kept), and
 *              row_digest = SHA-256("assay-rows-v1\0" || n (8 bytes LE) ||
 *              sorted keys).  Shuffling records keeps it; editing one cell
 *              changes it (unless two 96-bit keys collide: ~2^-96 per
 *              pair).  It is a content fingerprint, not a signature: the
 *              per-record hash is not cryptographic, so someone who wants
 *              to can craft a different record with the same key.  The
 *              file SHA-256 is the cryptographic identity.
 *  schema_hash SHA-256 of the canonical JSON list of {name, type} of the
 *              columns in order, type being the type inferred from the
 *              data (types.h: vtype_narrow) under a fixed null policy:
 *              only the empty field is null, whatever null_values a
 *              rules file declares.  So it is a function of the bytes
 *              alone and every command computes the same value: `assay
 *              hash` and lineage by identity_want_types(), `assay check`
 *              by profile_schema_type(), in the same pass.
 *
 * The same keys give duplicate_rows: a record whose key equals an
 * earlier record's (records with a wrong field count are left out). */
#ifndef ASSAY_IDENTITY_H
#define ASSAY_IDENTITY_H

#include <stdint.h>
#include "scan.h"
#include "sample.h"
#include "types.h"

struct identity;

struct identity *identity_new(const struct scan *s);
void identity_free(struct identity *id);
const struct scan_sink *identity_sink(struct identity *id);
/* Also infer column types in the pass (for the schema hash, when no
 * profile runs); call before scan_run(). */
void identity_want_types(struct identity *id);
/* After scan_run(): column i's inferred type (VT_STRING if not asked). */
enum vtype identity_col_type(const struct identity *id, size_t i);

/* After scan_run(): sort keys, compute the digest, count duplicate
 * records; with nsamples > 0 and duplicates found, re-read the file once
 * for the first nsamples duplicate records.  0 or -1 with err. */
int identity_finish(struct identity *id, struct scan *s, unsigned nsamples,
                    struct assay_err *err);
const char *identity_row_digest(const struct identity *id);   /* hex */
uint64_t identity_duplicates(const struct identity *id);
uint64_t identity_checked(const struct identity *id);  /* records compared */
const struct sample_list *identity_dup_samples(const struct identity *id);

/* Schema hash (hex) of names and types (type names from types.h). */
void identity_schema_hash(const char *const *names, const char *const *types,
                          size_t n, char out[65]);

#endif
