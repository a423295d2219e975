/* crypto.c -- the only file that includes OpenSSL headers (libcrypto):
 * SHA-256 through EVP for file identity and the ledger chain, Ed25519
 * for signed attestations, base64 for DSSE envelopes. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include "crypto.h"
#include "util.h"

struct sha256 {
    EVP_MD_CTX *ctx;
};

static void die_crypto(void)
{
    die("libcrypto failure in SHA-256");
}

struct sha256 *sha256_new(void)
{
    struct sha256 *h = xmalloc(sizeof(*h));

    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        die_crypto();
    return h;
}

void sha256_update(struct sha256 *h, const void *p, size_t n)
{
    if (n > 0 && EVP_DigestUpdate(h->ctx, p, n) != 1)
        die_crypto();
}

void sha256_final(struct sha256 *h, unsigned char out[32])
{
    unsigned int len = 32;

    if (EVP_DigestFinal_ex(h->ctx, out, &len) != 1)
        die_crypto();
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[32];
    struct sha256 *h = sha256_new();

    sha256_update(h, p, n);
    sha256_final(h, md);
    hex_encode(md, 32, out);
}

int sha256_file(const char *path, char out[65], unsigned long long *bytes,
                struct assay_err *err)
{
    enum { CHUNK = 1 << 20 };
    FILE *fp = fopen(path, "rb");
    unsigned char md[32], *buf = NULL;
    struct sha256 *h = NULL;
    unsigned long long total = 0;
    size_t n;
    int rc = -1;

    if (fp == NULL)
        return seterr(err, ASSAY_EOPEN, "cannot open '%s': %s", path,
                      strerror(errno));
    {
        struct stat st;

        if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
            fclose(fp);
            return seterr(err, ASSAY_EOPEN, "cannot read '%s': %s", path,
                          strerror(EISDIR));
        }
    }
    buf = xmalloc(CHUNK);
    h = sha256_new();
    while ((n = fread(buf, 1, CHUNK, fp)) > 0) {
        sha256_update(h, buf, n);
        total += n;
    }
    if (ferror(fp)) {
        seterr(err, ASSAY_EIO, "cannot read '%s': %s", path,
               strerror(errno));
        goto out;
    }
    sha256_final(h, md);
    h = NULL;
    hex_encode(md, 32, out);
    if (bytes != NULL)
        *bytes = total;
    rc = 0;
out:
    if (h != NULL)
        sha256_final(h, md);
    free(buf);
    fclose(fp);
    return rc;
}

/* ---- Ed25519 ---- */

struct sign_key {
    EVP_PKEY *pkey;
};

enum { KEY_FILE_MAX = 64 * 1024 };     /* a PEM key is a few hundred bytes */

/* What a key of another type is called in "'k.pem' is an RSA key".
 * To name one more type, add a row. */
static const struct {
    int id;
    const char *name;
} key_types[] = {
    { EVP_PKEY_RSA,     "an RSA" },
    { EVP_PKEY_RSA_PSS, "an RSA-PSS" },
    { EVP_PKEY_DSA,     "a DSA" },
    { EVP_PKEY_DH,      "a DH" },
    { EVP_PKEY_EC,      "an EC" },
    { EVP_PKEY_ED448,   "an Ed448" },
    { EVP_PKEY_X25519,  "an X25519" },
    { EVP_PKEY_X448,    "an X448" },
};

static const char *key_type_name(int id)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(key_types); i++)
        if (key_types[i].id == id)
            return key_types[i].name;
    return "a non-Ed25519";
}

/* The passphrase callback: never prompt (assay runs in CI), only note
 * that the key is encrypted. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    *(int *)u = 1;
    return -1;
}

/* Read a whole key file (at most KEY_FILE_MAX bytes).  Returns a new
 * buffer (caller frees) or NULL with err. */
static char *read_key_file(const char *path, size_t *n, struct assay_err *err)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    size_t k;

    if (fp == NULL) {
        seterr(err, ASSAY_EKEY, "cannot open key '%s': %s", path,
               strerror(errno));
        return NULL;
    }
    buf = xmalloc(KEY_FILE_MAX + 1);
    k = fread(buf, 1, KEY_FILE_MAX + 1, fp);
    if (ferror(fp)) {
        seterr(err, ASSAY_EKEY, "cannot read key '%s': %s", path,
               strerror(errno));
        goto fail;
    }
    if (k > KEY_FILE_MAX) {
        seterr(err, ASSAY_EKEY, "'%s' is not a PEM key: over %d KiB", path,
               KEY_FILE_MAX / 1024);
        goto fail;
    }
    fclose(fp);
    buf[k] = '\0';
    *n = k;
    return buf;
fail:
    fclose(fp);
    free(buf);
    return NULL;
}

static EVP_PKEY *pem_private(const char *pem, size_t n, int *encrypted)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)n);
    EVP_PKEY *pk = NULL;

    if (bio != NULL)
        pk = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, encrypted);
    BIO_free(bio);
    ERR_clear_error();
    return pk;
}

static EVP_PKEY *pem_public(const char *pem, size_t n)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)n);
    EVP_PKEY *pk = NULL;

    if (bio != NULL)
        pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    ERR_clear_error();
    return pk;
}

/* private: 1 for a signing key.  A public key may also be read from a
 * private key file (the public half is derived from it). */
static struct sign_key *load_key(const char *path, int private,
                                 struct assay_err *err)
{
    struct sign_key *k = NULL;
    EVP_PKEY *pk = NULL, *other = NULL;
    int encrypted = 0;
    size_t n = 0;
    char *pem = read_key_file(path, &n, err);

    if (pem == NULL)
        return NULL;
    if (private) {
        pk = pem_private(pem, n, &encrypted);
        if (pk == NULL && !encrypted)
            other = pem_public(pem, n);
    } else {
        pk = pem_public(pem, n);
        if (pk == NULL)
            pk = pem_private(pem, n, &encrypted);
    }
    if (pk == NULL) {
        if (encrypted)
            seterr(err, ASSAY_EKEY, "'%s' is an encrypted private key; "
                   "decrypt it first (openssl pkey -in '%s' -out KEY.pem)",
                   path, path);
        else if (other != NULL)
            seterr(err, ASSAY_EKEY, "'%s' is a public key; signing needs "
                   "the private key", path);
        else
            seterr(err, ASSAY_EKEY, "'%s' is not a PEM %s key", path,
                   private ? "private" : "public or private");
        goto out;
    }
    if (EVP_PKEY_get_id(pk) != EVP_PKEY_ED25519) {
        seterr(err, ASSAY_EKEY, "'%s' is %s key; attestations need an "
               "Ed25519 key (openssl genpkey -algorithm ed25519)", path,
               key_type_name(EVP_PKEY_get_id(pk)));
        goto out;
    }
    k = xmalloc(sizeof(*k));
    k->pkey = pk;
    pk = NULL;
out:
    EVP_PKEY_free(pk);
    EVP_PKEY_free(other);
    free(pem);
    return k;
}

struct sign_key *sign_key_load_private(const char *path, struct assay_err *err)
{
    return load_key(path, 1, err);
}

struct sign_key *sign_key_load_public(const char *path, struct assay_err *err)
{
    return load_key(path, 0, err);
}

struct sign_key *sign_key_generate(struct assay_err *err)
{
    EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    struct sign_key *k;

    if (pk == NULL) {
        seterr(err, ASSAY_EINTERNAL, "libcrypto failed to make an Ed25519 "
               "key");
        return NULL;
    }
    k = xmalloc(sizeof(*k));
    k->pkey = pk;
    return k;
}

char *sign_key_pem(struct sign_key *k, int private)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *p = NULL, *out;
    long n;
    int ok;

    if (bio == NULL)
        return NULL;
    ok = private ? PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0,
                                            NULL, NULL)
                 : PEM_write_bio_PUBKEY(bio, k->pkey);
    n = BIO_get_mem_data(bio, &p);
    out = ok == 1 && n > 0 ? xstrndup(p, (size_t)n) : NULL;
    BIO_free(bio);
    ERR_clear_error();
    return out;
}

void sign_key_free(struct sign_key *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

int sign_ed25519(struct sign_key *k, const void *msg, size_t n,
                 unsigned char sig[64], struct assay_err *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t siglen = 64;
    int ok;

    ok = ctx != NULL &&
         EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
         EVP_DigestSign(ctx, sig, &siglen, msg, n) == 1 && siglen == 64;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    if (!ok)
        return seterr(err, ASSAY_EKEY, "cannot sign: the key is not a "
                      "private Ed25519 key");
    return 0;
}

int verify_ed25519(struct sign_key *k, const void *msg, size_t n,
                   const unsigned char *sig, size_t siglen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    ok = ctx != NULL &&
         EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
         EVP_DigestVerify(ctx, sig, siglen, msg, n) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

void sign_key_id(struct sign_key *k, char out[65])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k->pkey, &der);

    if (n <= 0) {
        out[0] = '\0';
        return;
    }
    sha256_hex(der, (size_t)n, out);
    OPENSSL_free(der);
}

/* ---- base64 ---- */

char *base64_encode(const void *p, size_t n)
{
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);

    EVP_EncodeBlock((unsigned char *)out, p, (int)n);
    return out;
}

unsigned char *base64_decode(const char *s, size_t *n)
{
    size_t len = strlen(s), pad = 0, i;
    unsigned char *out;
    char *check;
    int k, same;

    if (len % 4 != 0)
        return NULL;
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '/' ||
              (c == '=' && i >= len - 2)))
            return NULL;
    }
    if (len >= 1 && s[len - 1] == '=')
        pad++;
    if (len >= 2 && s[len - 2] == '=')
        pad++;
    out = xmalloc(len / 4 * 3 + 1);
    k = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
    if (k < 0) {
        free(out);
        return NULL;
    }
    *n = (size_t)k - pad;
    out[*n] = '\0';
    /* Canonical only: other pad bits would decode to the same bytes. */
    check = base64_encode(out, *n);
    same = strcmp(check, s) == 0;
    free(check);
    if (!same) {
        free(out);
        return NULL;
    }
    return out;
}
