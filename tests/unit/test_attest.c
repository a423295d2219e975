/* test_attest.c -- statements from evidence fixtures, the DSSE PAE, Ed25519
 * signing and the envelope verifier (attest.c, the key loading of
 * crypto.c).  Fixtures: tests/data/attest/ (README.md there). */
#include <unistd.h>
#include "testutil.h"
#include "attest.h"
#include "crypto.h"
#include "json.h"
#include "util.h"

#define ADIR TEST_DATA "/attest/"

/* A fresh key; a libcrypto failure fails the test. */
static struct sign_key *gen_key(void)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = sign_key_generate(&err);

    if (k == NULL)
        print_error("sign_key_generate: %s\n", err.msg);
    assert_non_null(k);
    return k;
}

static struct json_t *load(const char *name)
{
    return load_json(ADIR, name);
}

static struct json_t *statement_of(const char *fixture)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *ev = load(fixture);
    struct json_t *st = attest_statement(ev, "0.1.0", &err);

    if (st == NULL)
        print_error("%s\n", err.msg);
    assert_non_null(st);
    j_free(ev);
    return st;
}

/* Write s to a fresh temporary file; returns its path (caller frees and
 * unlinks). */
static char *temp_file(const char *s)
{
    char *path = xstrdup("/tmp/assay-test-attest.XXXXXX");
    int fd = mkstemp(path);
    size_t n = strlen(s);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, n), (ssize_t)n);
    close(fd);
    return path;
}

/* A signed envelope (canonical JSON text, no newline); caller frees. */
static char *envelope_text(const struct json_t *st, struct sign_key *k)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *env = attest_sign(st, k, &err);
    char *s;

    assert_non_null(env);
    s = j_dump(env, J_CANON);
    j_free(env);
    return s;
}

static int verify(const char *text, size_t n, struct sign_key *k,
                  struct assay_err *err)
{
    struct json_t *st = NULL;
    int rc = attest_verify(text, n, "env.json", k, &st, err);

    if (rc == 1)
        assert_non_null(st);
    else
        assert_null(st);
    j_free(st);
    return rc;
}

/* ---- PAE and Ed25519 known answers ---- */

static void test_pae(void **state)
{
    /* The DSSE protocol's test vector. */
    static const char want[] =
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
    unsigned char *p;
    size_t n;

    (void)state;
    p = attest_pae("http://example.com/HelloWorld", "hello world", 11, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(p, want, n);
    free(p);
    p = attest_pae(ATTEST_PAYLOAD_TYPE, "", 0, &n);
    assert_string_equal((char *)p, "DSSEv1 28 application/vnd.in-toto+json "
                        "0 ");
    free(p);
    /* Bytes after a NUL count: the body is binary. */
    p = attest_pae("t", "a\0b", 3, &n);
    assert_int_equal(n, 16);
    assert_memory_equal(p, "DSSEv1 1 t 3 a\0b", 16);
    free(p);
}

static void test_ed25519_rfc8032(void **state)
{
    /* RFC 8032 section 7.1, TEST 1: pure Ed25519 of the empty message. */
    static const char want_sig[] =
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = sign_key_load_private(ADIR "rfc8032-1.pem", &err);
    struct sign_key *pub = sign_key_load_public(ADIR "rfc8032-1.pub.pem",
                                                &err);
    unsigned char sig[64];
    char hex[129], id[65];

    (void)state;
    assert_non_null(k);
    assert_non_null(pub);
    assert_int_equal(sign_ed25519(k, "", 0, sig, &err), 0);
    hex_encode(sig, 64, hex);
    assert_string_equal(hex, want_sig);
    assert_true(verify_ed25519(pub, "", 0, sig, 64));
    /* keyid = sha256 of the SubjectPublicKeyInfo DER, as openssl pkey
     * -pubin -outform DER | sha256sum prints it. */
    sign_key_id(pub, id);
    assert_string_equal(id, "06e3fd8fda29bb60ab59557de61edb0a"
                        "ecdb231134be30e75b455f8e1b792fa9");
    sign_key_id(k, id);
    assert_string_equal(id, "06e3fd8fda29bb60ab59557de61edb0a"
                        "ecdb231134be30e75b455f8e1b792fa9");
    sign_key_free(k);
    sign_key_free(pub);
}

static void test_base64_canonical(void **state)
{
    static const struct {
        const char *in;
        const char *want;       /* NULL: rejected */
    } cases[] = {
        { "", "" }, { "QQ==", "A" }, { "QUI=", "AB" }, { "QUJD", "ABC" },
        { "QR==", NULL },       /* non-zero pad bits */
        { "QUJ=", NULL }, { "QQ=", NULL }, { "Q===", NULL },
        { "QQ==QQ==", NULL }, { "QU I=", NULL }, { "QUJD\n", NULL },
        { "QU=D", NULL }, { "QUJ-", NULL },
    };
    size_t i, n;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        unsigned char *p = base64_decode(cases[i].in, &n);

        if (cases[i].want == NULL) {
            if (p != NULL)
                print_error("'%s' decoded\n", cases[i].in);
            assert_null(p);
            continue;
        }
        assert_non_null(p);
        assert_int_equal(n, strlen(cases[i].want));
        assert_memory_equal(p, cases[i].want, n);
        free(p);
    }
}

/* ---- keys ---- */

static void test_key_errors(void **state)
{
    static const struct {
        const char *file;
        int private;
        const char *want;       /* in the message */
    } cases[] = {
        { "missing.pem", 1, "cannot open key '" ADIR "missing.pem': No such "
          "file or directory" },
        { "", 1, "cannot read key '" ADIR "': Is a directory" },
        { "rsa.pem", 1, "'" ADIR "rsa.pem' is an RSA key; attestations need "
          "an Ed25519 key" },
        { "rsa.pem", 0, "is an RSA key" },
        { "ec.pem", 1, "'" ADIR "ec.pem' is an EC key" },
        { "encrypted.pem", 1, "is an encrypted private key" },
        { "rfc8032-1.pub.pem", 1, "'" ADIR "rfc8032-1.pub.pem' is a public "
          "key; signing needs the private key" },
        { "run.json", 1, "'" ADIR "run.json' is not a PEM private key" },
        { "run.json", 0, "is not a PEM public or private key" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        char *path = xasprintf(ADIR "%s", cases[i].file);
        struct sign_key *k = cases[i].private ?
            sign_key_load_private(path, &err) :
            sign_key_load_public(path, &err);

        assert_null(k);
        assert_int_equal(err.status, ASSAY_EKEY);
        if (strstr(err.msg, cases[i].want) == NULL)
            print_error("%s: got '%s'\n", cases[i].file, err.msg);
        assert_non_null(strstr(err.msg, cases[i].want));
        free(path);
    }
}

static void test_key_pem_round_trip(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = gen_key(), *priv, *pub, *pub2;
    char *spem = sign_key_pem(k, 1), *ppem = sign_key_pem(k, 0);
    char *spath = temp_file(spem), *ppath = temp_file(ppem);
    char a[65], b[65], c[65], d[65];

    (void)state;
    priv = sign_key_load_private(spath, &err);
    pub = sign_key_load_public(ppath, &err);
    pub2 = sign_key_load_public(spath, &err);   /* derived from private */
    assert_non_null(priv);
    assert_non_null(pub);
    assert_non_null(pub2);
    sign_key_id(k, a);
    sign_key_id(priv, b);
    sign_key_id(pub, c);
    sign_key_id(pub2, d);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    assert_string_equal(a, d);
    assert_null(sign_key_pem(pub, 1));
    unlink(spath);
    unlink(ppath);
    free(spath);
    free(ppath);
    free(spem);
    free(ppem);
    sign_key_free(k);
    sign_key_free(priv);
    sign_key_free(pub);
    sign_key_free(pub2);
}

/* ---- statements ---- */

static void test_statement_run(void **state)
{
    struct json_t *st = statement_of("run.json"), *want, *p, *s, *r;
    char *a, *b;

    (void)state;
    /* The whole statement, byte for byte (regenerate the golden file with
     * care: it pins the format). */
    want = load("run-statement.json");
    a = j_dump(st, J_CANON);
    b = j_dump(want, J_CANON);
    assert_string_equal(a, b);
    free(a);
    free(b);
    j_free(want);

    assert_string_equal(j_string(j_get(st, "_type")),
                        "https://in-toto.io/Statement/v1");
    assert_string_equal(j_string(j_get(st, "predicateType")),
                        ATTEST_PREDICATE_TYPE);
    /* The model first, then the run's inputs; raw.csv, upstream, is no
     * subject. */
    assert_int_equal(j_len(j_get(st, "subject")), 4);
    s = j_at(j_get(st, "subject"), 0);
    assert_string_equal(j_string(j_get(s, "name")), "/srv/ml/models/churn.bin");
    assert_string_equal(j_string(j_get(j_get(s, "annotations"), "kind")),
                        "model");
    assert_string_equal(j_string(j_get(j_get(s, "digest"), "sha256")),
                        "9999999999999999999999999999999999999999999999999999"
                        "999999999999");
    s = j_at(j_get(st, "subject"), 3);
    assert_string_equal(j_string(j_get(s, "name")), "/srv/ml/data/test.csv");
    assert_string_equal(j_string(j_get(j_get(s, "annotations"), "dataset")),
                        "churn_test");
    p = j_get(st, "predicate");
    assert_string_equal(j_string(j_get(p, "verdict")), "fail");
    assert_string_equal(j_string(j_get(p, "generated")),
                        "2026-01-15T09:30:00Z");
    assert_string_equal(j_string(j_get(j_get(p, "ledger"), "head")),
                        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                        "bbbbbbbbbbbb");
    assert_string_equal(j_string(j_get(j_get(p, "tool"), "version")),
                        "0.1.0");
    assert_int_equal(j_len(j_get(p, "snapshots")), 4);
    s = j_at(j_get(p, "snapshots"), 3);
    assert_string_equal(j_string(j_get(s, "via")), "derivation");
    assert_string_equal(j_string(j_get(s, "verdict")), "warn");
    s = j_at(j_get(p, "snapshots"), 2);
    assert_string_equal(j_string(j_get(s, "via")), "input");
    assert_string_equal(j_string(j_get(s, "verdict")), "unchecked");
    assert_true(j_is_null(j_get(s, "check")));
    assert_true(j_is_true(j_get(s, "overwrite")));
    s = j_at(j_get(p, "snapshots"), 1);
    assert_string_equal(j_string(j_get(s, "verdict")), "fail");
    assert_string_equal(j_string(j_get(j_get(j_get(s, "check"), "rules"),
                                       "sha256")),
                        "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
                        "eeeeeeeeeeee");
    r = j_at(j_get(j_get(s, "check"), "results"), 0);
    assert_string_equal(j_string(j_get(r, "id")), "customer_id.unique");
    assert_int_equal(j_integer(j_get(r, "failures")), 2);
    assert_null(j_get(r, "samples"));
    assert_null(j_get(s, "paths"));
    assert_null(j_get(j_get(s, "check"), "profile"));
    assert_int_equal(attest_check_statement(st, NULL), 0);
    j_free(st);
}

static void test_statement_snapshot(void **state)
{
    struct json_t *st = statement_of("snapshot.json"), *p, *c;

    (void)state;
    assert_int_equal(j_len(j_get(st, "subject")), 1);
    p = j_get(st, "predicate");
    assert_string_equal(j_string(j_get(p, "verdict")), "warn");
    c = j_get(j_at(j_get(p, "snapshots"), 0), "check");
    assert_string_equal(j_string(j_get(c, "time")), "2026-01-15T09:10:00Z");
    assert_string_equal(j_string(j_get(j_get(c, "rules"), "path")),
                        "/srv/ml/rules.yml");
    assert_int_equal(j_len(j_get(c, "bias")), 1);
    assert_string_equal(j_string(j_get(j_at(j_get(j_at(j_get(c, "bias"), 0),
                                                  "findings"), 0), "metric")),
                        "DPL");
    assert_int_equal(j_len(j_get(p, "models")), 0);
    j_free(st);
}

/* Build evidence with one snapshot per verdict ("-": never checked; a
 * leading "^": upstream, via "derivation"). */
static struct json_t *evidence_of(const char *const *v, size_t n, int model)
{
    struct json_t *ev = j_obj(), *snaps = j_arr(), *models = j_arr();
    size_t i;

    for (i = 0; i < n; i++) {
        struct json_t *s = j_obj(), *c;
        const char *verdict = v[i];
        char sha[65];

        memset(sha, (int)('a' + i), 64);
        sha[64] = '\0';
        j_set(s, "sha256", j_str(sha));
        j_set(s, "path", j_str("/d.csv"));     /* the same path each time */
        if (*verdict == '^') {
            j_set(s, "via", j_str("derivation"));
            verdict++;
        } else {
            j_set(s, "via", j_str("input"));
        }
        if (strcmp(verdict, "-") == 0) {
            j_set(s, "check", j_null());
        } else {
            c = j_obj();
            j_set(c, "verdict", j_str(verdict));
            j_set(c, "results", j_arr());
            j_set(s, "check", c);
        }
        j_push(snaps, s);
    }
    if (model) {
        struct json_t *m = j_obj();

        j_set(m, "sha256", j_str("0123456789abcdef0123456789abcdef"
                                 "0123456789abcdef0123456789abcdef"));
        j_push(models, m);
    }
    j_set(ev, "snapshots", snaps);
    j_set(ev, "models", models);
    return ev;
}

/* Check results the store could not read back are never signed as
 * "no results". */
static void test_unreadable_results(void **state)
{
    static const char *const v[] = { "pass" };
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *ev = evidence_of(v, 1, 0), *st;
    struct json_t *c = j_get(j_at(j_get(ev, "snapshots"), 0), "check");

    (void)state;
    j_set(c, "results", j_str("[{not json"));
    st = attest_statement(ev, "0.1.0", &err);
    assert_null(st);
    assert_int_equal(err.status, ASSAY_ECORRUPT);
    assert_non_null(strstr(err.msg, "not readable"));
    j_free(ev);
}

static void test_verdicts(void **state)
{
    static const struct {
        const char *v[4];
        size_t n;
        int model;
        const char *want;       /* NULL: an error */
        size_t nsubjects;
    } cases[] = {
        { { "pass" }, 1, 0, "pass", 1 },
        { { "pass", "warn" }, 2, 0, "warn", 2 },
        { { "warn", "-", "pass" }, 3, 0, "unchecked", 3 },
        { { "-", "fail", "warn" }, 3, 0, "fail", 3 },
        { { "fail", "pass" }, 2, 1, "fail", 3 },
        { { NULL }, 0, 1, "unchecked", 1 },     /* a model, no data */
        { { "pass", "^fail", "^-" }, 3, 0, "pass", 1 },   /* context */
        { { "^pass" }, 1, 1, "unchecked", 1 },  /* no subject snapshot */
        { { NULL }, 0, 0, NULL, 0 },            /* nothing to attest */
        { { "^pass" }, 1, 0, NULL, 0 },         /* ... upstream only */
        { { "pass", "bogus" }, 2, 0, NULL, 0 },
        { { "unchecked" }, 1, 0, NULL, 0 },     /* not a check verdict */
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        struct json_t *ev = evidence_of(cases[i].v, cases[i].n,
                                        cases[i].model);
        struct json_t *st = attest_statement(ev, "0.1.0", &err);

        if (cases[i].want == NULL) {
            assert_null(st);
            assert_int_equal(err.status, ASSAY_ECORRUPT);
        } else {
            assert_non_null(st);
            assert_string_equal(j_string(j_get(j_get(st, "predicate"),
                                               "verdict")), cases[i].want);
            assert_int_equal(j_len(j_get(st, "subject")),
                             cases[i].nsubjects);
            assert_int_equal(j_len(j_get(j_get(st, "predicate"),
                                         "snapshots")), cases[i].n);
        }
        if (cases[i].nsubjects == 3 && !cases[i].model) {
            /* Names stay unique: the repeated path gets its digest. */
            struct json_t *sub = j_get(st, "subject");

            assert_string_equal(j_string(j_get(j_at(sub, 0), "name")),
                                "/d.csv");
            assert_string_equal(j_string(j_get(j_at(sub, 1), "name")),
                                "/d.csv@sha256:bbbbbbbbbbbb");
        }
        j_free(st);
        j_free(ev);
    }
}

static void test_statement_bad_evidence(void **state)
{
    static const char *const docs[] = {
        "[]",
        "{}",
        "{\"snapshots\": [{\"sha256\": \"ABCD\"}]}",
        "{\"snapshots\": [{\"sha256\": \"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA\"}]}",
        "{\"snapshots\": [], \"models\": [{\"path\": \"m\"}]}",
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(docs); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        struct json_t *ev = j_loads(docs[i], strlen(docs[i]), "t", &err);
        struct json_t *st;

        assert_non_null(ev);
        st = attest_statement(ev, "0.1.0", &err);
        assert_null(st);
        assert_int_equal(err.status, ASSAY_ECORRUPT);
        j_free(ev);
    }
}

#define SHA "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""

static void test_check_statement(void **state)
{
    static const struct {
        const char *doc;
        int ok;
    } cases[] = {
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"https://example.com/p\", \"predicate\": {}}",
          1 },
        { "{\"_type\": \"https://in-toto.io/Statement/v0.1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"https://example.com/p\", \"predicate\": {}}",
          0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": [], "
          "\"predicateType\": \"https://example.com/p\", \"predicate\": {}}",
          0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"https://example.com/p\", \"predicate\": {}}",
          0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha1\": " SHA "}}], "
          "\"predicateType\": \"https://example.com/p\", \"predicate\": {}}",
          0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA ", "
          "\"uri\": \"Any Thing\"}}], \"predicateType\": "
          "\"https://example.com/p\", \"predicate\": {}}", 1 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA ", "
          "\"uri\": \"\"}}], \"predicateType\": "
          "\"https://example.com/p\", \"predicate\": {}}", 0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA ", "
          "\"sha1\": \"ab\"}}], \"predicateType\": \"https://example.com/p\", \"predicate\": {}}",
          0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"not a uri\", \"predicate\": {}}", 0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"https://example.com/p\", \"predicate\": []}",
          0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"" ATTEST_PREDICATE_TYPE "\", \"predicate\": "
          "{\"verdict\": \"ok\", \"snapshots\": []}}", 0 },
        { "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
          "[{\"name\": \"x\", \"digest\": {\"sha256\": " SHA "}}], "
          "\"predicateType\": \"" ATTEST_PREDICATE_TYPE "\", \"predicate\": "
          "{\"verdict\": \"warn\", \"snapshots\": []}}", 1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        struct json_t *st = j_loads(cases[i].doc, strlen(cases[i].doc), "t",
                                    &err);

        assert_non_null(st);
        if (cases[i].ok) {
            assert_int_equal(attest_check_statement(st, &err), 0);
        } else {
            assert_int_equal(attest_check_statement(st, &err), -1);
            assert_int_equal(err.status, ASSAY_ECORRUPT);
        }
        j_free(st);
    }
}

/* ---- signing and verifying ---- */

static void test_round_trip(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = gen_key();
    struct json_t *st = statement_of("run.json"), *env, *got = NULL;
    char *text = envelope_text(st, k), *a, *b, *again, *body;
    char keyid[65];
    size_t n;

    (void)state;
    assert_int_equal(attest_verify(text, strlen(text), "env.json", k, &got,
                                   &err), 1);
    a = j_dump(st, J_CANON);
    b = j_dump(got, J_CANON);
    assert_string_equal(a, b);
    /* The payload is the canonical statement; the keyid is the key's. */
    env = j_loads(text, strlen(text), "env", &err);
    body = (char *)base64_decode(j_string(j_get(env, "payload")), &n);
    assert_string_equal(body, a);
    sign_key_id(k, keyid);
    assert_string_equal(j_string(j_get(j_at(j_get(env, "signatures"), 0),
                                       "keyid")), keyid);
    assert_string_equal(j_string(j_get(env, "payloadType")),
                        "application/vnd.in-toto+json");
    /* Deterministic: the same statement and key give the same bytes. */
    again = envelope_text(st, k);
    assert_string_equal(again, text);
    free(again);
    free(body);
    free(a);
    free(b);
    j_free(env);
    j_free(got);
    j_free(st);
    free(text);
    sign_key_free(k);
}

/* Any one changed byte of the envelope text fails (never verifies). */
static void test_flip_any_byte(void **state)
{
    static const unsigned char masks[] = { 0x01, 0x20, 0x80 };
    struct sign_key *k = gen_key();
    struct json_t *st = statement_of("snapshot.json");
    char *text = envelope_text(st, k);
    size_t n = strlen(text), i, m, bad_sig = 0, corrupt = 0;

    (void)state;
    for (i = 0; i < n; i++) {
        for (m = 0; m < ARRAY_SIZE(masks); m++) {
            struct assay_err err = ASSAY_ERR_INIT;
            int rc;

            text[i] ^= (char)masks[m];
            rc = verify(text, n, k, &err);
            text[i] ^= (char)masks[m];
            if (rc == 1)
                print_error("byte %zu ^ 0x%02x still verifies\n", i,
                            masks[m]);
            assert_int_not_equal(rc, 1);
            if (rc == 0)
                bad_sig++;
            else
                corrupt++;
        }
    }
    assert_true(bad_sig > 0);
    assert_true(corrupt > 0);
    j_free(st);
    free(text);
    sign_key_free(k);
}

/* Rebuild an envelope from raw payload and signature bytes. */
static char *envelope_raw(const unsigned char *body, size_t nbody,
                          const unsigned char *sig, const char *keyid)
{
    char *pb = base64_encode(body, nbody), *sb = base64_encode(sig, 64);
    char *s = xasprintf("{\"payloadType\":\"" ATTEST_PAYLOAD_TYPE "\","
                        "\"payload\":\"%s\",\"signatures\":[{\"keyid\":"
                        "\"%s\",\"sig\":\"%s\"}]}", pb, keyid, sb);

    free(pb);
    free(sb);
    return s;
}

/* Every bit position of the signed bytes matters: flip one byte of the
 * decoded payload or of the signature and re-encode -- exit 1, not 3. */
static void test_flip_payload_and_sig(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = gen_key();
    struct json_t *st = statement_of("snapshot.json");
    char *text = envelope_text(st, k), *t;
    struct json_t *env = j_loads(text, strlen(text), "env", &err);
    struct json_t *s0 = j_at(j_get(env, "signatures"), 0);
    const char *keyid = j_string(j_get(s0, "keyid"));
    unsigned char *body, *sig;
    size_t nbody, nsig, i;

    (void)state;
    body = base64_decode(j_string(j_get(env, "payload")), &nbody);
    sig = base64_decode(j_string(j_get(s0, "sig")), &nsig);
    assert_int_equal(nsig, 64);
    t = envelope_raw(body, nbody, sig, keyid);
    assert_int_equal(verify(t, strlen(t), k, &err), 1);
    free(t);
    for (i = 0; i < nbody; i++) {
        body[i] ^= 0x01;
        t = envelope_raw(body, nbody, sig, keyid);
        assert_int_equal(verify(t, strlen(t), k, &err), 0);
        assert_int_equal(err.status, ASSAY_EKEY);
        free(t);
        body[i] ^= 0x01;
    }
    for (i = 0; i < nsig; i++) {
        sig[i] ^= 0x01;
        t = envelope_raw(body, nbody, sig, keyid);
        assert_int_equal(verify(t, strlen(t), k, &err), 0);
        free(t);
        sig[i] ^= 0x01;
    }
    free(body);
    free(sig);
    j_free(env);
    j_free(st);
    free(text);
    sign_key_free(k);
}

static void test_wrong_key(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = gen_key(), *other = gen_key();
    struct json_t *st = statement_of("snapshot.json");
    char *text = envelope_text(st, k), *t, *p;
    char kid[65];

    (void)state;
    /* The keyid names k: "not signed by this key". */
    assert_int_equal(verify(text, strlen(text), other, &err), 0);
    assert_non_null(strstr(err.msg, "is not signed by this key"));
    /* Without a keyid the signature is tried, and fails. */
    sign_key_id(k, kid);
    p = strstr(text, kid);
    assert_non_null(p);
    t = xasprintf("%.*s%s", (int)(p - text), text, p + 64);
    assert_int_equal(verify(t, strlen(t), k, &err), 1);
    assert_int_equal(verify(t, strlen(t), other, &err), 0);
    assert_non_null(strstr(err.msg, "does not verify with this key"));
    free(t);
    j_free(st);
    free(text);
    sign_key_free(k);
    sign_key_free(other);
}

static void test_corrupt_envelopes(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct sign_key *k = gen_key();
    struct json_t *bogus = j_obj(), *env;
    char *text, *good_sig, sig64[89];
    const char *s;
    size_t i;

    (void)state;
    /* A signed payload that is not a statement: signature fine, exit 3. */
    j_set(bogus, "_type", j_str("https://in-toto.io/Statement/v1"));
    text = envelope_text(bogus, k);
    assert_int_equal(verify(text, strlen(text), k, &err), -1);
    assert_non_null(strstr(err.msg, "the signed payload is not an in-toto "
                           "Statement v1"));
    env = j_loads(text, strlen(text), "env", &err);
    good_sig = xstrdup(j_string(j_get(j_at(j_get(env, "signatures"), 0),
                                      "sig")));
    j_free(env);
    free(text);
    memset(sig64, 'A', 43);
    memcpy(sig64 + 43, "=", 2);         /* 32 bytes: too short */
    {
        const char *docs[] = {
            "", "not json", "[]", "{}", "null",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"signatures\":[]}",
            "{\"payloadType\":\"text/plain\",\"payload\":\"e30=\","
            "\"signatures\":[{\"keyid\":\"\",\"sig\":\"GOOD\"}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30\",\"signatures\":[{\"keyid\":\"\","
            "\"sig\":\"GOOD\"}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e31=\",\"signatures\":[{\"keyid\":\"\","
            "\"sig\":\"GOOD\"}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"\","
            "\"sig\":\"SHORT\"}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"signatures\":[{\"keyid\":7,"
            "\"sig\":\"GOOD\"}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"\","
            "\"sig\":\"GOOD\",\"x\":1}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"\","
            "\"sig\":\"GOOD\"}],\"extra\":1}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"payload\":\"e30=\",\"signatures\":"
            "[{\"keyid\":\"\",\"sig\":\"GOOD\"}]}",
            "{\"payloadType\":\"application/vnd.in-toto+json\","
            "\"payload\":\"e30=\",\"signatures\":[\"GOOD\"]}",
        };

        for (i = 0; i < ARRAY_SIZE(docs); i++) {
            struct buf b = BUF_INIT;

            for (s = docs[i]; *s != '\0'; s++) {
                if (strncmp(s, "GOOD", 4) == 0) {
                    buf_adds(&b, good_sig);
                    s += 3;
                } else if (strncmp(s, "SHORT", 5) == 0) {
                    buf_adds(&b, sig64);
                    s += 4;
                } else {
                    buf_addc(&b, *s);
                }
            }
            err.status = ASSAY_OK;
            if (verify(buf_cstr(&b), b.len, k, &err) != -1)
                print_error("case %zu: %s\n", i, err.msg);
            assert_int_equal(verify(buf_cstr(&b), b.len, k, &err), -1);
            assert_int_equal(err.status, ASSAY_ECORRUPT);
            assert_non_null(strstr(err.msg, "corrupt envelope 'env.json'"));
            buf_release(&b);
        }
    }
    free(good_sig);
    j_free(bogus);
    sign_key_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pae),
        cmocka_unit_test(test_ed25519_rfc8032),
        cmocka_unit_test(test_base64_canonical),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_key_pem_round_trip),
        cmocka_unit_test(test_statement_run),
        cmocka_unit_test(test_statement_snapshot),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_unreadable_results),
        cmocka_unit_test(test_statement_bad_evidence),
        cmocka_unit_test(test_check_statement),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_flip_any_byte),
        cmocka_unit_test(test_flip_payload_and_sig),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_corrupt_envelopes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
