/* hash.c -- the only file that includes <xxhash.h> (libxxhash-dev).
 * xxhash is a well-kept, fast (~10 ns per record here) hash we would not
 * write better ourselves.  Compiled inline (XXH_INLINE_ALL: the header's
 * own code, the same hashes as the library) so that a short value costs
 * no call through the shared library's generic entry. */
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "hash.h"

uint64_t hash64(const void *p, size_t n)
{
    return XXH3_64bits(p, n);
}

uint64_t hash64_seed(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}

void hash128(const void *p, size_t n, uint64_t out[2])
{
    XXH128_hash_t h = XXH3_128bits(p, n);

    out[0] = h.low64;
    out[1] = h.high64;
}
