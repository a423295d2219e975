/* crypto.h -- OpenSSL libcrypto wrapper (crypto.c is the only file that
 * includes OpenSSL headers): SHA-256 through EVP, Ed25519 signatures,
 * base64. */
#ifndef ASSAY_CRYPTO_H
#define ASSAY_CRYPTO_H

#include <stddef.h>
#include "status.h"

struct sha256;

/* Streaming SHA-256.  Returns a new context; never NULL. */
struct sha256 *sha256_new(void);
void sha256_update(struct sha256 *h, const void *p, size_t n);
/* Writes 32 bytes and frees the context. */
void sha256_final(struct sha256 *h, unsigned char out[32]);
/* One shot, hex (65 bytes). */
void sha256_hex(const void *p, size_t n, char out[65]);
/* Hash a whole file; 0 or -1 with err.  *bytes gets the size. */
int sha256_file(const char *path, char out[65], unsigned long long *bytes,
                struct assay_err *err);

/* ---- Ed25519 (for attestations) ----
 * Keys are PEM files: PKCS#8 "PRIVATE KEY" for signing, "PUBLIC KEY"
 * (SubjectPublicKeyInfo) or a private key file for verifying.  The
 * signature is pure Ed25519 (RFC 8032, no prehash) over the message. */
struct sign_key;
/* Load a PEM private key (sign) or public key (verify; a private key
 * file also serves).  Returns a new key; NULL with err (ASSAY_EKEY,
 * exit 3) when the file is unreadable, not a PEM key, encrypted, a
 * public key given for signing, or of another type ("'k.pem' is an RSA
 * key; ...").  Never prompts for a passphrase. */
struct sign_key *sign_key_load_private(const char *path, struct assay_err *err);
struct sign_key *sign_key_load_public(const char *path, struct assay_err *err);
/* A fresh random Ed25519 key (tests, examples); NULL with err
 * (ASSAY_EINTERNAL) if libcrypto fails. */
struct sign_key *sign_key_generate(struct assay_err *err);
/* The key as PEM: private (PKCS#8, unencrypted) or public (SPKI).
 * Returns a new string; caller frees.  NULL when the key has no private
 * half. */
char *sign_key_pem(struct sign_key *k, int private);
void sign_key_free(struct sign_key *k);
/* Signature into sig (64 bytes).  0 or -1 with err. */
int sign_ed25519(struct sign_key *k, const void *msg, size_t n,
                 unsigned char sig[64], struct assay_err *err);
/* 1 valid, 0 invalid. */
int verify_ed25519(struct sign_key *k, const void *msg, size_t n,
                   const unsigned char *sig, size_t siglen);
/* The key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo
 * (what `openssl pkey -pubin -in pub.pem -outform DER | sha256sum`
 * prints). */
void sign_key_id(struct sign_key *k, char out[65]);

/* Base64 (RFC 4648 standard alphabet, padded).  Returns a new string;
 * caller frees.  decode accepts only the canonical encoding (no
 * whitespace, zero pad bits, so one changed character never decodes to
 * the same bytes); it returns a new buffer (caller frees, NUL-terminated
 * for convenience) or NULL on bad input; *n gets the length. */
char *base64_encode(const void *p, size_t n);
unsigned char *base64_decode(const char *s, size_t *n);

#endif
