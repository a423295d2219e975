/* dedup.h -- exact repeat detection by sorting, not probing (dedup.c).
 *
 * Used by duplicate_rows (whole records: 96-bit keys, which also give the
 * order-independent row digest) and unique (a column or tuple: 64-bit
 * keys).  During the scan each worker appends one key per value to flat
 * runs of at most DEDUP_RUN keys, in record order: no hash-table probe
 * per record, 8 or 12 bytes a value.  A full run is sorted in place at
 * once (MSD radix), on the worker's own thread, so sorting runs in
 * parallel with the scan; at the end the sorted runs of every part are
 * merged in one streaming walk (no second array): a value is a repeat
 * when its key equals the one before it.  Keys come from XXH3-128 of the
 * canonical bytes (hash.c).  Two different values get the same 64-bit
 * key with probability about n^2 / 2^65 (1e-6 at 8M values), 96-bit
 * about n^2 / 2^97: callers that need exact counts confirm the few
 * repeated keys against the real bytes on a second look (scan_rescan).
 * Record numbers are not stored, which would double the memory. */
#ifndef ASSAY_DEDUP_H
#define ASSAY_DEDUP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define DEDUP_RUN ((size_t)1 << 20)     /* keys per run (at most) */

/* Keys of one run: key i is hi at k + i*w (8 bytes, native order), then
 * for wide keys lo (4 bytes); w = 12 or 8. */
struct dedup_run {
    unsigned char *k;
    size_t n, cap;
    int sorted;
};

/* One worker's keys, in runs. */
struct dedup_part {
    struct dedup_run *run;
    size_t nrun, runcap;
    size_t n;                   /* keys in all runs */
    int wide;                   /* 1: 96-bit keys, 0: 64-bit */
};

void dedup_part_init(struct dedup_part *p, int wide);
void dedup_part_add(struct dedup_part *p, const void *bytes, size_t n);
/* Sort the open run now (call on the thread that filled the part, when
 * it is done: the sort then runs in parallel with other workers). */
void dedup_part_seal(struct dedup_part *p);
/* Move src's runs to the end of dst (no copy); empties src. */
void dedup_part_join(struct dedup_part *dst, struct dedup_part *src);
void dedup_part_release(struct dedup_part *p);

struct dedup {
    struct dedup_part all;      /* runs of every merged part */
    uint64_t count;             /* keys seen */
    uint64_t repeats;           /* keys equal to an earlier key */
    uint64_t *rep_hi;           /* distinct keys that repeat, sorted */
    uint32_t *rep_lo;
    size_t nrep;
    /* dedup_finish_async(): the thread and what it was asked for */
    int state;                  /* 0, 1 running, 2 finished */
    pthread_t th;
    struct dedup_part *extra;
    char *digest_hex;
};

void dedup_init(struct dedup *d, int wide);
/* Append a worker's keys (call in part order); empties the part. */
void dedup_merge(struct dedup *d, struct dedup_part *p);
/* Merge the runs, count repeats, keep the repeated keys, free the rest.
 * With digest_hex (65 bytes) != NULL, also the row digest (identity.h):
 * SHA-256("assay-rows-v1\0" || count as 8 bytes LE || each sorted key as
 * hi 8 bytes LE then lo 4 bytes LE). */
void dedup_finish(struct dedup *d, char *digest_hex);
/* The same, with extra keys that count in the digest but are not
 * compared for repeats (records left out of duplicate_rows).  extra is
 * released. */
void dedup_finish_with(struct dedup *d, struct dedup_part *extra,
                       char *digest_hex);
/* dedup_finish_with() on a thread of its own (the caller goes on with
 * other work); extra and digest_hex must stay valid until it is joined.
 * A later dedup_finish*() call or dedup_release() joins it; nothing
 * else may touch d meanwhile.  Runs in the caller if no thread can be
 * started.  Calling dedup_finish*() again after a finish does nothing. */
void dedup_finish_async(struct dedup *d, struct dedup_part *extra,
                        char *digest_hex);
/* 1 if the key of these bytes is one that repeats. */
int dedup_is_repeated(const struct dedup *d, const void *bytes, size_t n);
void dedup_release(struct dedup *d);

#endif
