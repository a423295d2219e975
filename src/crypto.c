/* crypto.c -- the only file that includes OpenSSL headers (libcrypto):
 * SHA-256 through EVP for file identity and the ledger chain, Ed25519
 * for signed attestations, base64 for DSSE envelopes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    fputs("assay: error: libcrypto failure in SHA-256\n", stderr);
    exit(4);
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

static struct sign_key *load_key(const char *path, int private,
                                 struct assay_err *err)
{
    FILE *fp = fopen(path, "rb");
    EVP_PKEY *pk;
    struct sign_key *k;

    if (fp == NULL) {
        seterr(err, ASSAY_EKEY, "cannot open key '%s': %s", path,
               strerror(errno));
        return NULL;
    }
    pk = private ? PEM_read_PrivateKey(fp, NULL, NULL, NULL)
                 : PEM_read_PUBKEY(fp, NULL, NULL, NULL);
    if (pk == NULL && !private) {
        /* A private key file also holds the public key. */
        rewind(fp);
        pk = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
    }
    fclose(fp);
    ERR_clear_error();
    if (pk == NULL) {
        seterr(err, ASSAY_EKEY, "cannot read %s key '%s': not a PEM %s key",
               private ? "private" : "public", path,
               private ? "private" : "public");
        return NULL;
    }
    if (EVP_PKEY_get_id(pk) != EVP_PKEY_ED25519) {
        seterr(err, ASSAY_EKEY, "key '%s' is %s, not Ed25519", path,
               OBJ_nid2sn(EVP_PKEY_get_id(pk)));
        EVP_PKEY_free(pk);
        return NULL;
    }
    k = xmalloc(sizeof(*k));
    k->pkey = pk;
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
    int k;

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
    return out;
}
