/* hash.h -- fast non-cryptographic hashing (hash.c wraps libxxhash).
 * XXH3: used for distinct counts (HyperLogLog), top values and the
 * per-record keys of dedup.c.  Not for anything an adversary may target:
 * that is crypto.h's SHA-256. */
#ifndef ASSAY_HASH_H
#define ASSAY_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash64(const void *p, size_t n);
uint64_t hash64_seed(const void *p, size_t n, uint64_t seed);
/* 128-bit: out[0] low, out[1] high. */
void hash128(const void *p, size_t n, uint64_t out[2]);

#endif
