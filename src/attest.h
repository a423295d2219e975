/* attest.h -- signed evidence: an in-toto Statement v1 built from a
 * lineage evidence document, wrapped in a DSSE envelope signed with
 * Ed25519 (crypto.h), and the checks that verify one.
 *
 * The statement is a pure function of the evidence (lineage.h,
 * lineage_evidence()) and the tool version: the same evidence gives the
 * same bytes, and Ed25519 is deterministic, so the same key gives the
 * same envelope.  The payload is the statement as canonical JSON (keys
 * sorted, compact).
 *
 * Statement:
 *   {"_type": "https://in-toto.io/Statement/v1",
 *    "subject": [{"name", "digest": {"sha256"},
 *                 "annotations": {"kind": "model"|"snapshot",
 *                                 "dataset"}}...],
 *       the models, then the target snapshot or the runs' inputs (by
 *       path; a repeated name gets "@sha256:" and 12 digits)
 *    "predicateType": ATTEST_PREDICATE_TYPE,
 *    "predicate": {"tool": {"name", "version"}, "generated", "target",
 *       "verdict": "pass"|"warn"|"unchecked"|"fail",
 *       "snapshots": [{"sha256", "dataset", "path", "bytes", "rows",
 *          "columns", "row_digest", "schema_hash", "roles", "overwrite",
 *          "via": "target"|"input"|"derivation",
 *          "verdict", "check": null | {"verdict", "time", "tool_version",
 *             "rules": {"path", "sha256"},
 *             "results": [{"id", "kind", "column", "severity", "status",
 *                          "failures", "checked", "observed", "limit",
 *                          "message"}],          (no samples)
 *             "bias": [...]}}],                  (as `assay check`)
 *       "models", "runs", "derivations", "deployments": as in the
 *       evidence, "ledger": {"entries", "head"}}}
 * The overall verdict is the worst verdict of the subject snapshots, in
 * the order pass < warn < unchecked < fail ("unchecked": one was never
 * checked, or there is none).  Upstream snapshots (via "derivation":
 * what the subjects were derived from) are in the predicate as context
 * but are neither subjects nor part of the verdict, as in assay report.
 *
 * Envelope (DSSE v1): {"payloadType": "application/vnd.in-toto+json",
 * "payload": base64(statement), "signatures": [{"keyid", "sig"}]}; sig
 * is base64 Ed25519 over PAE(payloadType, payload bytes); keyid is the
 * hex SHA-256 of the signer's DER SubjectPublicKeyInfo (sign_key_id()). */
#ifndef ASSAY_ATTEST_H
#define ASSAY_ATTEST_H

#include <stddef.h>
#include "crypto.h"
#include "status.h"

struct json_t;

#define ATTEST_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define ATTEST_PREDICATE_TYPE "https://assay.dev/attestation/data-check/v1"
#define ATTEST_PAYLOAD_TYPE   "application/vnd.in-toto+json"

/* DSSE v1 pre-authentication encoding:
 *   "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * with lengths in ASCII decimal.  Returns a new buffer (caller frees;
 * NUL-terminated for convenience); *len gets its length. */
unsigned char *attest_pae(const char *type, const void *body, size_t n,
                          size_t *len);

/* The statement for an evidence document (lineage.h contract).
 * Returns a new object; NULL with err (ASSAY_ECORRUPT) when the
 * evidence lacks what a statement needs (a digest that is not 64
 * lowercase hex digits, an unknown check verdict, nothing to attest). */
struct json_t *attest_statement(const struct json_t *evidence,
                                const char *tool_version,
                                struct assay_err *err);

/* Check a statement's shape: _type, a non-empty subject list whose
 * members have a name and a sha256 of 64 lowercase hex digits (other
 * digests lowercase hex), a predicateType URI, an object predicate (for
 * ATTEST_PREDICATE_TYPE: a known verdict and a snapshots array).
 * 0, or -1 with err (ASSAY_ECORRUPT) saying what is wrong. */
int attest_check_statement(const struct json_t *statement,
                           struct assay_err *err);

/* The DSSE envelope of statement signed with key (a private key).
 * Returns a new object; NULL with err (ASSAY_EKEY). */
struct json_t *attest_sign(const struct json_t *statement,
                           struct sign_key *key, struct assay_err *err);

/* Verify an envelope (text of n bytes; name is used in messages) with
 * key.  Returns:
 *    1  a signature by key verifies and the payload is a valid
 *       statement: *statement gets it (new; caller frees);
 *    0  no signature verifies with key (changed bytes, another key):
 *       err says why (status ASSAY_EKEY), *statement is NULL;
 *   -1  the envelope is malformed (not JSON, unknown members, not
 *       canonical base64, not an in-toto payload type, a signed payload
 *       that is not a valid statement): err (ASSAY_ECORRUPT).
 * Signatures whose keyid names another key are skipped; an empty keyid
 * is tried.  The payload is parsed only after its signature verifies. */
int attest_verify(const char *text, size_t n, const char *name,
                  struct sign_key *key, struct json_t **statement,
                  struct assay_err *err);

#endif
