/* attest.c -- in-toto Statements from lineage evidence, DSSE envelopes.
 * Core layer: takes the evidence as a JSON document (it never includes
 * lineage/; src/cmd_attest.c fetches the evidence) and signs through
 * crypto.c.  Owns the statement format (attest.h), the PAE encoding and
 * the strict envelope reader used by `assay attest --verify`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attest.h"
#include "crypto.h"
#include "json.h"
#include "util.h"

/* ---- small checks ---- */

/* s is lowercase hex of want digits (any non-zero count when want is 0). */
static int is_hex(const char *s, size_t want)
{
    size_t i;

    if (s == NULL || (want > 0 && strlen(s) != want) || *s == '\0')
        return 0;
    for (i = 0; s[i] != '\0'; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* An absolute URI: a scheme, a colon, no white space. */
static int is_uri(const char *s)
{
    size_t i;

    if (s == NULL || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    for (i = 1; s[i] != ':'; i++)
        if (s[i] == '\0' || !((s[i] >= 'a' && s[i] <= 'z') ||
                              (s[i] >= 'A' && s[i] <= 'Z') ||
                              (s[i] >= '0' && s[i] <= '9') ||
                              s[i] == '+' || s[i] == '-' || s[i] == '.'))
            return 0;
    for (; s[i] != '\0'; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
            return 0;
    return 1;
}

/* Hex digests of a known length in an in-toto DigestSet (the lengths
 * validate_attestation.py checks).  To add an algorithm, add a row. */
static const struct {
    const char *alg;
    size_t hexlen;
} digest_lens[] = {
    { "sha256", 64 }, { "sha384", 96 }, { "sha512", 128 }, { "sha224", 56 },
    { "sha1", 40 }, { "sha3_256", 64 }, { "sha3_512", 128 },
    { "gitCommit", 40 },
};

/* 0: an algorithm of no fixed form (any non-empty string). */
static size_t digest_len(const char *alg)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(digest_lens); i++)
        if (strcmp(digest_lens[i].alg, alg) == 0)
            return digest_lens[i].hexlen;
    return 0;
}

/* Verdicts from best to worst; the overall verdict is the worst one in
 * scope.  To add a verdict, insert it at its rank. */
static const char *const verdicts[] = { "pass", "warn", "unchecked", "fail" };

static int verdict_rank(const char *v)
{
    size_t i;

    for (i = 0; v != NULL && i < ARRAY_SIZE(verdicts); i++)
        if (strcmp(verdicts[i], v) == 0)
            return (int)i;
    return -1;
}

/* A deep copy of v, or null when v is absent. */
static struct json_t *copy_or_null(struct json_t *v)
{
    return v != NULL ? j_copy(v) : j_null();
}

/* Copy the members named in keys that obj has (deep copies). */
static void copy_members(struct json_t *to, const struct json_t *obj,
                         const char *const *keys, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct json_t *v = j_get(obj, keys[i]);

        if (v != NULL)
            j_set(to, keys[i], j_copy(v));
    }
}

/* A member copied as is, or an empty array when absent. */
static struct json_t *copy_array(const struct json_t *obj, const char *key)
{
    struct json_t *v = j_get(obj, key);

    return j_is_array(v) ? j_copy(v) : j_arr();
}

/* ---- PAE ---- */

unsigned char *attest_pae(const char *type, const void *body, size_t n,
                          size_t *len)
{
    struct buf b = BUF_INIT;

    buf_printf(&b, "DSSEv1 %zu %s %zu ", strlen(type), type, n);
    buf_add(&b, body, n);
    *len = b.len;
    if (b.len == 0)
        return (unsigned char *)xstrdup("");
    return (unsigned char *)buf_detach(&b);
}

/* ---- the statement ---- */

/* What a result keeps (samples are left out: they repeat data values and
 * can be large).  To keep one more member, add it here and to attest.h. */
static const char *const result_keys[] = {
    "id", "kind", "column", "severity", "status", "failures", "checked",
    "observed", "limit", "message",
};

/* What a snapshot keeps from the evidence (paths, mtime and the profile
 * are left out: they describe where and when, not what). */
static const char *const snapshot_keys[] = {
    "sha256", "dataset", "path", "bytes", "rows", "columns", "row_digest",
    "schema_hash", "roles", "overwrite", "via",
};

/* An upstream snapshot (what the target or the inputs were derived
 * from) is context: in the predicate, but neither a subject nor part of
 * the verdict -- a raw file that failed is why a clean one was derived.
 * Evidence without "via" makes every snapshot a subject. */
static int is_upstream(const struct json_t *snap)
{
    const char *via = j_string(j_get(snap, "via"));

    return via != NULL && strcmp(via, "derivation") == 0;
}

static struct json_t *predicate_check(const struct json_t *check)
{
    struct json_t *c = j_obj(), *results = j_arr(), *rules;
    struct json_t *rs = j_get(check, "results");
    size_t i;

    j_set(c, "verdict", copy_or_null(j_get(check, "verdict")));
    j_set(c, "time", copy_or_null(j_get(check, "checked")));
    j_set(c, "tool_version", copy_or_null(j_get(check, "tool_version")));
    rules = j_obj();
    j_set(rules, "path", copy_or_null(j_get(j_get(check, "rules"), "path")));
    j_set(rules, "sha256", copy_or_null(j_get(j_get(check, "rules"), "sha256")));
    j_set(c, "rules", rules);
    for (i = 0; i < j_len(rs); i++) {
        struct json_t *r = j_obj();

        copy_members(r, j_at(rs, i), result_keys, ARRAY_SIZE(result_keys));
        j_push(results, r);
    }
    j_set(c, "results", results);
    j_set(c, "bias", copy_array(check, "bias"));
    return c;
}

/* Append a subject unless its digest is already there; a name already
 * taken gets "@sha256:" and 12 digits of its digest. */
static void add_subject(struct json_t *subjects, const char *kind,
                        const char *sha, const char *path,
                        const char *dataset)
{
    struct json_t *s, *d, *a;
    char *name;
    size_t i;
    int taken = 0;

    for (i = 0; i < j_len(subjects); i++) {
        struct json_t *o = j_at(subjects, i);

        if (strcmp(j_string(j_get(j_get(o, "digest"), "sha256")), sha) == 0)
            return;
    }
    if (path != NULL && *path != '\0')
        name = xstrdup(path);
    else if (dataset != NULL && *dataset != '\0')
        name = xstrdup(dataset);
    else
        name = xasprintf("sha256:%s", sha);
    for (i = 0; i < j_len(subjects); i++)
        if (strcmp(j_string(j_get(j_at(subjects, i), "name")), name) == 0)
            taken = 1;
    if (taken) {
        char *n2 = xasprintf("%s@sha256:%.12s", name, sha);

        free(name);
        name = n2;
    }
    s = j_obj();
    j_set(s, "name", j_str(name));
    d = j_obj();
    j_set(d, "sha256", j_str(sha));
    j_set(s, "digest", d);
    a = j_obj();
    j_set(a, "kind", j_str(kind));
    if (dataset != NULL)
        j_set(a, "dataset", j_str(dataset));
    j_set(s, "annotations", a);
    j_push(subjects, s);
    free(name);
}

struct json_t *attest_statement(const struct json_t *evidence,
                                const char *tool_version,
                                struct assay_err *err)
{
    struct json_t *st = NULL, *subjects = j_arr(), *pred = j_obj();
    struct json_t *snaps = j_arr(), *tool, *ledger;
    struct json_t *es = j_get(evidence, "snapshots");
    struct json_t *em = j_get(evidence, "models");
    int worst = verdict_rank("unchecked");
    size_t i;

    if (!j_is_object(evidence) || !j_is_array(es)) {
        seterr(err, ASSAY_ECORRUPT, "evidence has no snapshots array");
        goto out;
    }
    for (i = 0; i < j_len(es); i++)
        if (!is_upstream(j_at(es, i)))
            worst = verdict_rank("pass");
    for (i = 0; i < j_len(em); i++) {
        struct json_t *m = j_at(em, i);
        const char *sha = j_string(j_get(m, "sha256"));

        if (!is_hex(sha, 64)) {
            seterr(err, ASSAY_ECORRUPT, "evidence: model %zu has no valid "
                   "sha256", i + 1);
            goto out;
        }
        add_subject(subjects, "model", sha, j_string(j_get(m, "path")),
                    NULL);
    }
    for (i = 0; i < j_len(es); i++) {
        struct json_t *e = j_at(es, i), *s = j_obj();
        struct json_t *check = j_get(e, "check");
        const char *sha = j_string(j_get(e, "sha256")), *v = "unchecked";
        int rank;

        j_push(snaps, s);
        if (!is_hex(sha, 64)) {
            seterr(err, ASSAY_ECORRUPT, "evidence: snapshot %zu has no "
                   "valid sha256", i + 1);
            goto out;
        }
        if (!is_upstream(e))
            add_subject(subjects, "snapshot", sha,
                        j_string(j_get(e, "path")),
                        j_string(j_get(e, "dataset")));
        copy_members(s, e, snapshot_keys, ARRAY_SIZE(snapshot_keys));
        if (j_is_object(check)) {
            v = j_string(j_get(check, "verdict"));
            /* never sign "no results" for results the store could not
             * read back */
            if (!j_is_array(j_get(check, "results")) ||
                (j_get(check, "bias") != NULL &&
                 !j_is_null(j_get(check, "bias")) &&
                 !j_is_array(j_get(check, "bias")))) {
                seterr(err, ASSAY_ECORRUPT, "evidence: the check results "
                       "of snapshot %.12s are not readable", sha);
                goto out;
            }
        }
        rank = verdict_rank(v);
        if (rank < 0 || (j_is_object(check) && strcmp(v, "unchecked") == 0)) {
            seterr(err, ASSAY_ECORRUPT, "evidence: snapshot %.12s has an "
                   "unknown check verdict '%s'", sha, v ? v : "(none)");
            goto out;
        }
        if (!is_upstream(e))
            worst = MAX(worst, rank);
        j_set(s, "verdict", j_str(v));
        j_set(s, "check", j_is_object(check) ? predicate_check(check) :
              j_null());
    }
    if (j_len(subjects) == 0) {
        seterr(err, ASSAY_ECORRUPT, "nothing to attest: no snapshot or "
               "model in scope");
        goto out;
    }
    tool = j_obj();
    j_set(tool, "name", j_str("assay"));
    j_set(tool, "version", j_str(tool_version));
    j_set(pred, "tool", tool);
    j_set(pred, "generated", copy_or_null(j_get(evidence, "generated")));
    j_set(pred, "target", copy_or_null(j_get(evidence, "target")));
    j_set(pred, "verdict", j_str(verdicts[worst]));
    j_set(pred, "snapshots", j_ref(snaps));
    j_set(pred, "models", copy_array(evidence, "models"));
    j_set(pred, "runs", copy_array(evidence, "runs"));
    j_set(pred, "derivations", copy_array(evidence, "derivations"));
    j_set(pred, "deployments", copy_array(evidence, "deployments"));
    ledger = j_obj();
    j_set(ledger, "entries",
          copy_or_null(j_get(j_get(evidence, "ledger"), "entries")));
    j_set(ledger, "head", copy_or_null(j_get(j_get(evidence, "ledger"), "head")));
    j_set(pred, "ledger", ledger);

    st = j_obj();
    j_set(st, "_type", j_str(ATTEST_STATEMENT_TYPE));
    j_set(st, "subject", j_ref(subjects));
    j_set(st, "predicateType", j_str(ATTEST_PREDICATE_TYPE));
    j_set(st, "predicate", j_ref(pred));
out:
    j_free(subjects);
    j_free(pred);
    j_free(snaps);
    return st;
}

/* ---- checking a statement ---- */

int attest_check_statement(const struct json_t *st, struct assay_err *err)
{
    static const char what[] = "not an in-toto Statement v1";
    struct json_t *subjects = j_get(st, "subject"), *pred;
    const char *type = j_string(j_get(st, "_type"));
    const char *ptype = j_string(j_get(st, "predicateType"));
    size_t i;

    if (!j_is_object(st))
        return seterr(err, ASSAY_ECORRUPT, "%s: not an object", what);
    if (type == NULL || strcmp(type, ATTEST_STATEMENT_TYPE) != 0)
        return seterr(err, ASSAY_ECORRUPT, "%s: _type is not '%s'", what,
                      ATTEST_STATEMENT_TYPE);
    if (!j_is_array(subjects) || j_len(subjects) == 0)
        return seterr(err, ASSAY_ECORRUPT, "%s: subject is not a non-empty "
                      "array", what);
    for (i = 0; i < j_len(subjects); i++) {
        struct json_t *s = j_at(subjects, i), *d = j_get(s, "digest");
        void *it;

        if (j_string(j_get(s, "name")) == NULL)
            return seterr(err, ASSAY_ECORRUPT, "%s: subject[%zu] has no "
                          "name", what, i);
        if (!is_hex(j_string(j_get(d, "sha256")), 64))
            return seterr(err, ASSAY_ECORRUPT, "%s: subject[%zu].digest."
                          "sha256 is not 64 lowercase hex digits", what, i);
        for (it = j_iter(d); it != NULL; it = j_iter_next(d, it)) {
            const char *v = j_string(j_iter_value(it));
            size_t want = digest_len(j_iter_key(it));

            if (want > 0 && !is_hex(v, want))
                return seterr(err, ASSAY_ECORRUPT, "%s: subject[%zu].digest."
                              "%s is not %zu lowercase hex digits", what, i,
                              j_iter_key(it), want);
            if (v == NULL || *v == '\0')
                return seterr(err, ASSAY_ECORRUPT, "%s: subject[%zu].digest."
                              "%s is not a non-empty string", what, i,
                              j_iter_key(it));
        }
    }
    if (!is_uri(ptype))
        return seterr(err, ASSAY_ECORRUPT, "%s: predicateType is not a URI",
                      what);
    pred = j_get(st, "predicate");
    if (!j_is_object(pred))
        return seterr(err, ASSAY_ECORRUPT, "%s: predicate is not an object",
                      what);
    if (strcmp(ptype, ATTEST_PREDICATE_TYPE) != 0)
        return 0;
    if (verdict_rank(j_string(j_get(pred, "verdict"))) < 0)
        return seterr(err, ASSAY_ECORRUPT, "not an assay data-check "
                      "predicate: unknown verdict");
    if (!j_is_array(j_get(pred, "snapshots")))
        return seterr(err, ASSAY_ECORRUPT, "not an assay data-check "
                      "predicate: snapshots is not an array");
    return 0;
}

/* ---- signing ---- */

struct json_t *attest_sign(const struct json_t *statement,
                           struct sign_key *key, struct assay_err *err)
{
    struct json_t *env = NULL, *sigs, *sig;
    char *body = j_dump(statement, J_CANON), *b64 = NULL;
    unsigned char *pae = NULL, raw[64];
    char keyid[65];
    size_t n;

    pae = attest_pae(ATTEST_PAYLOAD_TYPE, body, strlen(body), &n);
    if (sign_ed25519(key, pae, n, raw, err) < 0)
        goto out;
    sign_key_id(key, keyid);
    env = j_obj();
    j_set(env, "payloadType", j_str(ATTEST_PAYLOAD_TYPE));
    b64 = base64_encode(body, strlen(body));
    j_set(env, "payload", j_str(b64));
    free(b64);
    sig = j_obj();
    j_set(sig, "keyid", j_str(keyid));
    b64 = base64_encode(raw, sizeof(raw));
    j_set(sig, "sig", j_str(b64));
    sigs = j_arr();
    j_push(sigs, sig);
    j_set(env, "signatures", sigs);
out:
    free(b64);
    free(pae);
    free(body);
    return env;
}

/* ---- verifying ---- */

/* 0 when every member of obj is named in keys; else -1 with err. */
static int only_members(const struct json_t *obj, const char *const *keys,
                        size_t n, const char *where, const char *name,
                        struct assay_err *err)
{
    void *it;

    for (it = j_iter((struct json_t *)obj); it != NULL;
         it = j_iter_next((struct json_t *)obj, it)) {
        const char *k = j_iter_key(it);
        size_t i;

        for (i = 0; i < n && strcmp(keys[i], k) != 0; i++)
            ;
        if (i == n)
            return seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': "
                          "unknown member '%s' in %s", name, k, where);
    }
    return 0;
}

static const char *const envelope_keys[] = {
    "payloadType", "payload", "signatures",
};
static const char *const signature_keys[] = { "keyid", "sig" };

int attest_verify(const char *text, size_t n, const char *name,
                  struct sign_key *key, struct json_t **statement,
                  struct assay_err *err)
{
    struct assay_err jerr = ASSAY_ERR_INIT;
    struct json_t *env = NULL, *sigs, *st = NULL;
    unsigned char *body = NULL, *pae = NULL, *sig = NULL;
    const char *type, *payload;
    char keyid[65];
    size_t nbody = 0, npae = 0, nsig, i, tried = 0;
    int rc = -1;

    *statement = NULL;
    env = j_loads(text, n, name, &jerr);
    if (env == NULL) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': not JSON (%s)",
               name, jerr.msg);
        goto out;
    }
    if (!j_is_object(env)) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': not a JSON "
               "object", name);
        goto out;
    }
    if (only_members(env, envelope_keys, ARRAY_SIZE(envelope_keys),
                     "the envelope", name, err) < 0)
        goto out;
    type = j_string(j_get(env, "payloadType"));
    payload = j_string(j_get(env, "payload"));
    sigs = j_get(env, "signatures");
    if (type == NULL || payload == NULL || !j_is_array(sigs) ||
        j_len(sigs) == 0) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': a DSSE envelope "
               "needs payloadType, payload and signatures", name);
        goto out;
    }
    if (strcmp(type, ATTEST_PAYLOAD_TYPE) != 0) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': payloadType is "
               "'%s', not '%s'", name, type, ATTEST_PAYLOAD_TYPE);
        goto out;
    }
    body = base64_decode(payload, &nbody);
    if (body == NULL) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': payload is not "
               "canonical base64", name);
        goto out;
    }
    /* Shape first, so that a corrupt later signature is not hidden by a
     * good earlier one. */
    for (i = 0; i < j_len(sigs); i++) {
        struct json_t *s = j_at(sigs, i);
        struct json_t *kid = j_get(s, "keyid");
        const char *b64 = j_string(j_get(s, "sig"));

        if (!j_is_object(s) || b64 == NULL ||
            (kid != NULL && j_string(kid) == NULL)) {
            seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': signature "
                   "%zu needs a string sig (and keyid)", name, i + 1);
            goto out;
        }
        if (only_members(s, signature_keys, ARRAY_SIZE(signature_keys),
                         "a signature", name, err) < 0)
            goto out;
        free(sig);
        sig = base64_decode(b64, &nsig);
        if (sig == NULL || nsig != 64) {
            seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': signature "
                   "%zu is not a base64 Ed25519 signature", name, i + 1);
            goto out;
        }
    }
    sign_key_id(key, keyid);
    pae = attest_pae(type, body, nbody, &npae);
    rc = 0;
    for (i = 0; i < j_len(sigs) && rc == 0; i++) {
        struct json_t *s = j_at(sigs, i);
        const char *kid = j_string(j_get(s, "keyid"));

        if (kid != NULL && *kid != '\0' && strcmp(kid, keyid) != 0)
            continue;
        tried++;
        free(sig);
        sig = base64_decode(j_string(j_get(s, "sig")), &nsig);
        if (verify_ed25519(key, pae, npae, sig, nsig))
            rc = 1;
    }
    if (rc == 0) {
        if (tried == 0)
            seterr(err, ASSAY_EKEY, "'%s' is not signed by this key (keyid "
                   "%s); its signatures name other keys", name, keyid);
        else
            seterr(err, ASSAY_EKEY, "the signature in '%s' does not verify "
                   "with this key (keyid %s): the envelope was changed or "
                   "signed by another key", name, keyid);
        goto out;
    }
    st = j_loads((const char *)body, nbody, "payload", &jerr);
    if (st == NULL) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': the signed "
               "payload is not JSON (%s)", name, jerr.msg);
        rc = -1;
        goto out;
    }
    if (attest_check_statement(st, &jerr) < 0) {
        seterr(err, ASSAY_ECORRUPT, "corrupt envelope '%s': the signed "
               "payload is %s", name, jerr.msg);
        rc = -1;
        goto out;
    }
    /* The same key may sign other statements: only ours verify here. */
    if (strcmp(j_string(j_get(st, "predicateType")),
               ATTEST_PREDICATE_TYPE) != 0) {
        seterr(err, ASSAY_ECORRUPT, "'%s' is not an assay data-check "
               "attestation (predicateType '%s')", name,
               j_string(j_get(st, "predicateType")));
        rc = -1;
        goto out;
    }
    *statement = st;
    st = NULL;
out:
    j_free(st);
    j_free(env);
    free(sig);
    free(pae);
    free(body);
    return rc;
}
