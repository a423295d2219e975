/* dedup.h -- exact repeat detection by sorting, not probing (dedup.c).
 *
 * Used by duplicate_rows (whole records: 96-bit keys, which also give the
 * order-independent row digest) and unique (a column or tuple: 64-bit
 * keys).  During the scan each worker appends one key per value to flat
 * arrays, in record order: no hash-table probe per record, 8 or 12 bytes
 * a value.  At the end the parts are joined and sorted in place once (MSD
 * radix); a value is a repeat when its key equals an earlier one's.  Keys
 * come from XXH3-128 of the canonical bytes (hash.c).  Two different
 * values get the same 64-bit key with probability about n^2 / 2^65 (1e-6
 * at 8M values), 96-bit about n^2 / 2^97: callers that need exact counts
 * confirm the few repeated keys against the real bytes on a second look
 * (scan_rescan).  Record numbers are not stored, which would double the
 * memory. */
#ifndef ASSAY_DEDUP_H
#define ASSAY_DEDUP_H

#include <stddef.h>
#include <stdint.h>

/* One worker's keys, in record order. */
struct dedup_part {
    uint64_t *hi;
    uint32_t *lo;               /* NULL unless wide */
    size_t n, cap;
    int wide;                   /* 1: 96-bit keys, 0: 64-bit */
};

void dedup_part_init(struct dedup_part *p, int wide);
void dedup_part_add(struct dedup_part *p, const void *bytes, size_t n);
void dedup_part_release(struct dedup_part *p);

struct dedup {
    struct dedup_part all;      /* joined keys; freed by dedup_finish() */
    uint64_t count;             /* keys seen */
    uint64_t repeats;           /* keys equal to an earlier key */
    uint64_t *rep_hi;           /* distinct keys that repeat, sorted */
    uint32_t *rep_lo;
    size_t nrep;
};

void dedup_init(struct dedup *d, int wide);
/* Append a worker's keys (call in part order); empties the part. */
void dedup_merge(struct dedup *d, struct dedup_part *p);
/* Sort, count repeats, keep the repeated keys, free the rest.  With
 * digest_hex (65 bytes) != NULL, also the row digest (identity.h):
 * SHA-256("assay-rows-v1\0" || count as 8 bytes LE || each sorted key as
 * hi 8 bytes LE then lo 4 bytes LE). */
void dedup_finish(struct dedup *d, char *digest_hex);
/* The same, with extra keys that count in the digest but are not
 * compared for repeats (records left out of duplicate_rows).  extra is
 * sorted and released. */
void dedup_finish_with(struct dedup *d, struct dedup_part *extra,
                       char *digest_hex);
/* 1 if the key of these bytes is one that repeats. */
int dedup_is_repeated(const struct dedup *d, const void *bytes, size_t n);
void dedup_release(struct dedup *d);

#endif
