/* dedup.h -- exact repeat detection by sorting, not probing (dedup.c).
 *
 * Used by duplicate_rows (whole records) and unique (a column or tuple).
 * During the scan each worker appends one 96-bit key per value (8 bytes
 * of it for unique keys, 12 for records) to a flat array: no hash-table
 * probe per record, 12 bytes a row.  At the end the arrays are merged and
 * sorted once; a value is a repeat when its key equals an earlier one's.
 * Keys are XXH3-128 of the canonical bytes (hash.c), so two different
 * values collide with probability about n^2 / 2^97: negligible, and
 * the samples are confirmed against the real bytes on the second look.
 *
 * Record numbers are not stored (that would double the memory); when a
 * check finds repeats, dedup_locate() re-reads the file once to find the
 * first N repeated records for the samples. */
#ifndef ASSAY_DEDUP_H
#define ASSAY_DEDUP_H

#include <stddef.h>
#include <stdint.h>

struct dedup_key {
    uint64_t hi;
    uint32_t lo;
} __attribute__((packed));

/* One worker's keys, in record order. */
struct dedup_part {
    struct dedup_key *keys;
    size_t n, cap;
};
#define DEDUP_PART_INIT { NULL, 0, 0 }

void dedup_part_add(struct dedup_part *p, const void *bytes, size_t n);
void dedup_part_release(struct dedup_part *p);

struct dedup {
    struct dedup_key *keys;     /* all keys; sorted by dedup_finish() */
    size_t n, cap;
    uint64_t repeats;           /* values equal to an earlier value */
    struct dedup_key *rep;      /* distinct keys that repeat, sorted */
    size_t nrep;
};
#define DEDUP_INIT { NULL, 0, 0, 0, NULL, 0 }

/* Append a worker's keys (in part order); frees the part's array. */
void dedup_merge(struct dedup *d, struct dedup_part *p);
/* Sort, count repeats, remember which keys repeat.  Also returns the
 * SHA-256 (hex, 65 bytes) of the sorted key list when digest_hex != NULL:
 * the order-independent row digest (identity.c). */
void dedup_finish(struct dedup *d, char *digest_hex);
/* 1 if the key of these bytes is one that repeats. */
int dedup_is_repeated(const struct dedup *d, const void *bytes, size_t n);
void dedup_key_of(const void *bytes, size_t n, struct dedup_key *k);
void dedup_release(struct dedup *d);

#endif
