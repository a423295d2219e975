/* cmd_attest.c -- `assay attest REF --key KEY.pem [--output FILE]` signs
 * the evidence the lineage database holds for REF (lineage_evidence())
 * as an in-toto Statement in a DSSE envelope (attest.c);
 * `assay attest --verify FILE --key PUB.pem` checks one.  The front end
 * only: options, reading and writing files, messages, exit codes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "attest.h"
#include "cmd.h"
#include "crypto.h"
#include "json.h"
#include "util.h"
#include "lineage/lineage.h"

enum { ENVELOPE_MAX = 256 << 20 };      /* bytes read by --verify */

static const struct opt opts[] = {
    { "key", 'k', OPT_ARG, "KEY.pem", "Ed25519 PEM key: private to sign, "
      "public (or private) to verify" },
    { "output", 'o', OPT_ARG, "FILE", "write the envelope to FILE "
      "atomically (default: stdout)" },
    { "verify", 0, OPT_ARG, "FILE", "verify the envelope in FILE "
      "('-': stdin)" },
    { "format", 'f', OPT_ARG, "FMT", "--verify prints text (default) or "
      "json (the statement)" },
};

static int write_text(FILE *fp, void *ctx, struct assay_err *err)
{
    const char *s = ctx;

    if (fputs(s, fp) < 0 || fputc('\n', fp) == EOF)
        return seterr(err, ASSAY_EIO, "cannot write the envelope: %s",
                      strerror(errno));
    return 0;
}

/* ---- signing ---- */

static int sign(const char *ref, const char *keypath, const char *output)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *key = NULL;
    struct json_t *ev = NULL, *st = NULL, *env = NULL;
    char *text = NULL;
    int rc;

    key = sign_key_load_private(keypath, &err);
    if (key == NULL)
        goto fail;
    ev = lineage_evidence(assay_db_path(), ref, &err);
    if (ev == NULL)
        goto fail;
    st = attest_statement(ev, ASSAY_VERSION, &err);
    if (st == NULL)
        goto fail;
    env = attest_sign(st, key, &err);
    if (env == NULL)
        goto fail;
    text = j_dump(env, J_CANON);
    if (cmd_write_file(output != NULL ? output : "-", write_text, text,
                       &err) < 0)
        goto fail;
    if (output != NULL && strcmp(output, "-") != 0) {
        struct json_t *p = j_get(st, "predicate");
        char keyid[65];

        sign_key_id(key, keyid);
        fprintf(stderr, "assay: attested %zu subject%s of %s '%s' (verdict "
                "%s) in '%s', keyid %.16s\n", j_len(j_get(st, "subject")),
                j_len(j_get(st, "subject")) == 1 ? "" : "s",
                j_string(j_get(j_get(p, "target"), "kind")) ?
                j_string(j_get(j_get(p, "target"), "kind")) : "target", ref,
                j_string(j_get(p, "verdict")), output, keyid);
    }
    rc = EXIT_PASS;
    goto out;
fail:
    rc = report_error(&err);
out:
    free(text);
    j_free(env);
    j_free(st);
    j_free(ev);
    sign_key_free(key);
    return rc;
}

/* ---- verifying ---- */

/* Read a whole file ("-": stdin).  Returns a new buffer (caller frees)
 * or NULL with err. */
static char *read_all(const char *path, size_t *n, struct assay_err *err)
{
    int std = strcmp(path, "-") == 0;
    FILE *fp = std ? stdin : fopen(path, "rb");
    struct buf b = BUF_INIT;
    char chunk[65536];
    size_t k;

    if (fp == NULL) {
        seterr(err, ASSAY_EOPEN, "cannot open '%s': %s", path,
               strerror(errno));
        return NULL;
    }
    while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (b.len + k > ENVELOPE_MAX) {
            seterr(err, ASSAY_ETOOBIG, "'%s' is over %d MiB: not an "
                   "envelope assay wrote", path, ENVELOPE_MAX >> 20);
            goto fail;
        }
        buf_add(&b, chunk, k);
    }
    if (ferror(fp)) {
        seterr(err, ASSAY_EOPEN, "cannot read '%s': %s", path,
               strerror(errno));
        goto fail;
    }
    if (!std)
        fclose(fp);
    *n = b.len;
    buf_cstr(&b);
    return b.data != NULL ? buf_detach(&b) : xstrdup("");
fail:
    if (!std)
        fclose(fp);
    buf_release(&b);
    return NULL;
}

static void print_verified(const struct json_t *st, const char *file,
                           const char *keypath, const char *keyid)
{
    struct json_t *p = j_get(st, "predicate"), *subjects;
    struct json_t *target = j_get(p, "target");
    const char *verdict = j_string(j_get(p, "verdict"));
    size_t i;

    printf("verified: '%s' is signed by '%s' (keyid %s)\n", file, keypath,
           keyid);
    printf("predicate: %s\n", j_string(j_get(st, "predicateType")));
    if (j_string(j_get(target, "kind")) != NULL)
        printf("target: %s %s\n", j_string(j_get(target, "kind")),
               j_string(j_get(target, "id")) ?
               j_string(j_get(target, "id")) : "?");
    if (j_string(j_get(p, "generated")) != NULL)
        printf("generated: %s\n", j_string(j_get(p, "generated")));
    if (verdict != NULL)
        printf("verdict: %s\n", verdict);
    subjects = j_get(st, "subject");
    printf("subjects: %zu\n", j_len(subjects));
    for (i = 0; i < j_len(subjects); i++) {
        struct json_t *s = j_at(subjects, i);

        printf("  sha256:%s  %s\n",
               j_string(j_get(j_get(s, "digest"), "sha256")),
               j_string(j_get(s, "name")));
    }
}

static int verify(const char *file, const char *keypath, int json)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *key = NULL;
    struct json_t *st = NULL;
    char *text = NULL, keyid[65];
    size_t n = 0;
    int rc, v;

    key = sign_key_load_public(keypath, &err);
    if (key == NULL)
        goto fail;
    text = read_all(file, &n, &err);
    if (text == NULL)
        goto fail;
    v = attest_verify(text, n, file, key, &st, &err);
    if (v < 0)
        goto fail;
    if (v == 0) {
        fprintf(stderr, "assay: verification failed: %s\n", err.msg);
        rc = EXIT_GATE;
        goto out;
    }
    sign_key_id(key, keyid);
    if (json)
        j_write(st, stdout, J_PRETTY);
    else
        print_verified(st, file, keypath, keyid);
    rc = EXIT_PASS;
    goto out;
fail:
    rc = report_error(&err);
out:
    j_free(st);
    free(text);
    sign_key_free(key);
    return rc;
}

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    const char *key, *vfile, *fmt;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    key = opt_get(&os, "key");
    vfile = opt_get(&os, "verify");
    fmt = opt_get(&os, "format");
    if (key == NULL) {
        rc = usage_error(self, "--key is required");
    } else if (vfile != NULL) {
        if (os.npos > 0)
            rc = usage_error(self, "--verify takes no REF");
        else if (opt_has(&os, "output"))
            rc = usage_error(self, "--output is for signing, not --verify");
        else if (fmt != NULL && strcmp(fmt, "text") != 0 &&
                 strcmp(fmt, "json") != 0)
            rc = usage_error(self, "unknown format '%s' (text, json)", fmt);
        else
            rc = verify(vfile, key, fmt != NULL && strcmp(fmt, "json") == 0);
    } else if (fmt != NULL) {
        rc = usage_error(self, "--format is for --verify (the envelope is "
                         "JSON)");
    } else if (os.npos != 1) {
        rc = usage_error(self, os.npos == 0 ? "no REF to attest" :
                         "one REF at a time");
    } else {
        rc = sign(os.pos[0], key, opt_get(&os, "output"));
    }
    opt_release(&os);
    return rc;
}

const struct command cmd_attest_def = {
    "attest", run,
    "assay attest REF --key KEY.pem [--output FILE]\n"
    "       assay attest --verify FILE --key PUB.pem [--format text|json]",
    "signed evidence: an in-toto attestation of REF's data checks",
    "Signs what the lineage database knows about REF -- a snapshot (sha256,\n"
    "prefix or path), a run (id or name), a model or env:NAME -- as an\n"
    "in-toto Statement v1 in a DSSE envelope, signed with Ed25519:\n"
    "  subject        the models and the target snapshot or the run's input\n"
    "                 snapshots, by sha256\n"
    "  predicateType  " ATTEST_PREDICATE_TYPE "\n"
    "  predicate      the overall verdict; per snapshot its check verdict,\n"
    "                 time, tool version, rules file (path, sha256), results\n"
    "                 (without samples), bias results, row digest, schema\n"
    "                 hash; the runs, models, derivations, deployments and\n"
    "                 the lineage ledger head\n"
    "The verdict is the worst of the subject snapshots': fail > unchecked\n"
    "(one was never checked, or there is none) > warn > pass.  What they\n"
    "were derived from is in the predicate as context (\"via\":\n"
    "\"derivation\"), not in the verdict.  Signing exits 0 whatever the\n"
    "verdict: the envelope records it.\n"
    "\n"
    "The signature is pure Ed25519 over the DSSE PAE\n"
    "  \"DSSEv1\" SP len(payloadType) SP payloadType SP len(payload) SP "
    "payload\n"
    "and keyid is the hex SHA-256 of the DER public key (SubjectPublicKey-\n"
    "Info): openssl pkey -pubin -in pub.pem -outform DER | sha256sum\n"
    "The payload is canonical JSON (sorted keys, compact): the same\n"
    "evidence and key give the same bytes.  The predicate's \"generated\"\n"
    "time is now, or SOURCE_DATE_EPOCH when set.\n"
    "\n"
    "--verify checks the signature against the key, then the statement's\n"
    "shape, and prints the target, verdict and subjects.  The envelope must\n"
    "be exact: unknown members, non-canonical base64 and signatures of\n"
    "other keys (by keyid) are not accepted.\n"
    "\n"
    "Exit status: 0 signed / verified; 1 verification failed (no signature\n"
    "verifies with the key: the envelope was changed or signed by another\n"
    "key); 2 usage; 3 bad input (unknown REF, unreadable key, a key that is\n"
    "not Ed25519, a corrupt envelope); 4 internal or I/O error.\n"
    "\n"
    "Examples:\n"
    "  openssl genpkey -algorithm ed25519 -out key.pem\n"
    "  openssl pkey -in key.pem -pubout -out pub.pem\n"
    "  assay attest env:production --key key.pem --output prod.att.json\n"
    "  assay attest --verify prod.att.json --key pub.pem\n",
    opts, ARRAY_SIZE(opts),
};
