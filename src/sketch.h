/* sketch.h -- small mergeable summaries for the profile (sketch.c).
 *
 * Every summary is fed 64-bit hashes (hash.h) or doubles, merges with
 * another of the same parameters, and states its error:
 *
 *   hll    HyperLogLog, 2^p one-byte registers (p = 14: 16 KiB).  Merge
 *          is a register-wise max and lossless.  Relative standard error
 *          1.04 / sqrt(2^p) (0.81% at p = 14); Ertl's improved estimator
 *          (arXiv:1702.01284, 2017) covers the small range without a
 *          switch to linear counting and without empirical tables.
 *   dset   distinct hashes: an exact set up to a cap, then an hll.
 *   vmap   exact value -> count map (hash -> count + the value's text),
 *          in order of first appearance; the profile's exact phase.
 *   mg     Misra-Gries heavy hitters with 2k items (each keeping at most
 *          MG_TEXT_MAX bytes of its value's text): a purge subtracts
 *          the (k+1)-th largest count, so every count is low by at most
 *          mg.decr <= n / (k + 1) (also after merges: Agarwal et al.,
 *          "Mergeable Summaries", PODS 2012).  Any value more frequent
 *          than n / (k + 1) is present.
 *   kll    KLL quantiles of doubles (Karnin, Lang, Liberty 2016), k per
 *          level, c = 2/3, levels of at least 8; exact while nothing was
 *          compacted.  Compaction coins come from a fixed-seed
 *          splitmix64, so one input order (and merge order) always gives
 *          the same sketch.  Normalised rank error, single-sided, at 99%
 *          confidence: 2.296 / k^0.9723 (1.33% at k = 200), the
 *          Apache DataSketches fit for this algorithm.  As in the KLL
 *          paper, the bottom levels become a sampler once n is large:
 *          of each w consecutive values one, picked by the same PRNG,
 *          enters level log2(w) with weight w (no sorting for the rest).
 *          w is the largest power of two (<= 64) that keeps the
 *          sampler's Hoeffding bound at 99%, sqrt(ln(200)/2 S) / n with
 *          S the sum of w^2 over sampled groups, within a third of the
 *          compaction error; kll_rank_error() adds both.
 *
 * The structures are plain: *_init() allocates, *_release() frees the
 * contents (never the struct).  All hot paths (adds, lookups) are
 * inline below so that the per-value cost stays a few nanoseconds. */
#ifndef ASSAY_SKETCH_H
#define ASSAY_SKETCH_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* ---- HyperLogLog ---- */

#define HLL_P 14

struct hll {
    unsigned p;                 /* 4..18 */
    uint8_t *reg;               /* 2^p registers, each 0..65-p */
};

void hll_init(struct hll *h, unsigned p);
void hll_release(struct hll *h);
/* dst |= src.  Returns 0, or -1 when p differs (dst unchanged). */
int hll_merge(struct hll *dst, const struct hll *src);
double hll_estimate(const struct hll *h);
/* Relative standard error of the estimate: 1.04 / sqrt(2^p). */
double hll_stderr(unsigned p);
/* Serialized form: 1 byte p, then 2^p registers.  Appends to out. */
void hll_serialize(const struct hll *h, struct buf *out);
/* Returns 0, or -1 on a malformed input (h is then unset). */
int hll_deserialize(struct hll *h, const void *p, size_t n);

static inline void hll_add(struct hll *h, uint64_t hash)
{
    /* Top p bits pick the register; the rank is the position of the
     * first 1 in the rest (a sentinel bit bounds it at 65 - p). */
    uint64_t w = (hash << h->p) | ((uint64_t)1 << (h->p - 1));
    uint8_t r = (uint8_t)(__builtin_clzll(w) + 1);
    uint8_t *m = &h->reg[hash >> (64 - h->p)];

    if (r > *m)
        *m = r;
}

/* ---- distinct hashes: exact up to a cap, then HyperLogLog ---- */

struct dset {
    uint64_t *slot;             /* open addressing; 0 is "empty" */
    size_t mask, n, cap;
    int has_zero;               /* hash 0 was added */
    int exact;                  /* 1: slot[] holds every hash */
    struct hll hll;             /* valid when !exact */
};

void dset_init(struct dset *d, size_t cap);
void dset_release(struct dset *d);
void dset_add(struct dset *d, uint64_t hash);
void dset_merge(struct dset *dst, const struct dset *src);
/* Exact count while exact, else the HLL estimate rounded. */
uint64_t dset_count(const struct dset *d);

/* Slots of the mg index: 0 is empty, else the high 32 bits of the hash
 * (a tag) over the item index + 1, so that a probe passing other values,
 * or missing, never touches the items. */
#define SLOT_TAG(h) ((h) & 0xFFFFFFFF00000000ULL)
#define SLOT_MAKE(h, i) (SLOT_TAG(h) | ((uint64_t)(i) + 1))
#define SLOT_INDEX(s) ((uint32_t)(s) - 1)

/* ---- exact value -> count map, in order of first appearance ---- */

/* The counts live in the index slots, so that counting a value seen
 * before touches one slot (which a caller can prefetch) and nothing
 * else; the entries keep the values in order of first appearance. */
struct vmap_slot {
    uint64_t hash;
    uint64_t count;             /* 0: empty slot */
};

/* The caller's, per value (beside its slot: index slot - m->slot), zero
 * when inserted, moved along on a rehash; not merged. */
struct vmap_aux {
    int64_t i;
    double d;
};

struct vmap_ent {
    uint64_t hash;
    uint32_t off, len;          /* the value's text in vmap.text */
    uint32_t slot;              /* its slot in vmap.slot */
};

struct vmap {
    struct vmap_ent *e;         /* n entries, first appearance order */
    uint32_t n, ecap;
    struct vmap_slot *slot;     /* open addressing, load <= 1/2 */
    struct vmap_aux *aux;       /* one per slot */
    uint32_t mask;
    char *text;                 /* every value's bytes, back to back */
    size_t tlen, tcap;
};

void vmap_init(struct vmap *m);
void vmap_release(struct vmap *m);
/* Insert a value known to be absent with count >= 1; returns its entry
 * index. */
uint32_t vmap_insert(struct vmap *m, uint64_t hash, const char *p,
                     size_t len, uint64_t count);
/* Add every entry of src (counts added, new values appended). */
void vmap_merge(struct vmap *dst, const struct vmap *src);
static inline const char *vmap_text(const struct vmap *m, uint32_t i)
{
    return m->text + m->e[i].off;
}

static inline struct vmap_aux *vmap_aux_of(const struct vmap *m,
                                           const struct vmap_slot *s)
{
    return &m->aux[s - m->slot];
}

static inline uint64_t vmap_count(const struct vmap *m, uint32_t i)
{
    return m->slot[m->e[i].slot].count;
}

/* The slot of hash (count it with ->count++), or NULL. */
static inline struct vmap_slot *vmap_find(const struct vmap *m, uint64_t h)
{
    uint32_t i = (uint32_t)h & m->mask;

    while (m->slot[i].count != 0) {
        if (m->slot[i].hash == h)
            return &m->slot[i];
        i = (i + 1) & m->mask;
    }
    return NULL;
}

/* ---- Misra-Gries heavy hitters ---- */

#define MG_TEXT_MAX 1024        /* bytes of a value's text kept */

struct mg_item {
    uint64_t hash;
    uint64_t count;             /* lower bound; true count <= count+decr */
    uint32_t off, len;          /* text in mg.text (at most MG_TEXT_MAX) */
    uint32_t cut;               /* 1: the value was longer than len */
    uint64_t aux[2];            /* the caller's, copied along (merge too) */
};

struct mg {
    uint32_t k;                 /* counters guaranteed; 2k slots */
    uint32_t n;
    struct mg_item *it;         /* n items, in insertion order */
    uint64_t *slot;             /* SLOT_MAKE(hash, item index) */
    uint32_t mask;
    char *text, *spare;         /* texts; spare: for compaction */
    size_t tlen, tcap, scap;
    uint64_t total;             /* weight added */
    uint64_t decr;              /* sum of purges: max undercount */
    uint64_t *scratch;          /* 2k counts, for the selection */
};

void mg_init(struct mg *m, uint32_t k);
void mg_release(struct mg *m);
/* Add w to a value, normally absent (purging first when all 2k slots
 * are taken).  Returns its item, valid until the next mg call; its aux
 * is zero, for the caller to fill. */
struct mg_item *mg_add_new(struct mg *m, uint64_t hash, const char *p,
                           size_t len, uint64_t w);
void mg_merge(struct mg *dst, const struct mg *src);
/* Up to want items by count, descending (ties: insertion order).
 * Writes indexes into out; returns how many. */
size_t mg_top(const struct mg *m, size_t want, uint32_t *out);
/* The guaranteed bound n / (k + 1) on any count's error. */
double mg_bound(const struct mg *m);
/* Serialized: k, n, total, decr, then per item hash, count, aux[0],
 * aux[1], cut, length and the text (little-endian).  Appends to out. */
void mg_serialize(const struct mg *m, struct buf *out);
/* Returns 0, or -1 on a malformed input (m is then unset). */
int mg_deserialize(struct mg *m, const void *p, size_t n);

/* The item of hash, or NULL with *slot set to where it would go. */
static inline struct mg_item *mg_lookup(const struct mg *m, uint64_t h,
                                        uint32_t *slot)
{
    uint32_t i = (uint32_t)h & m->mask;
    uint64_t k;

    while ((k = m->slot[i]) != 0) {
        if (SLOT_TAG(k) == SLOT_TAG(h) && m->it[SLOT_INDEX(k)].hash == h)
            return &m->it[SLOT_INDEX(k)];
        i = (i + 1) & m->mask;
    }
    *slot = i;
    return NULL;
}

static inline struct mg_item *mg_find(const struct mg *m, uint64_t h)
{
    uint32_t slot;

    return mg_lookup(m, h, &slot);
}

/* Insert a value that mg_lookup() did not find, at the slot it gave
 * (purging first when all 2k items are taken).  Returns the new item,
 * valid until the next mg call; its aux is zero. */
struct mg_item *mg_insert(struct mg *m, uint32_t slot, uint64_t hash,
                          const char *p, size_t len, uint64_t w);

/* Add w to the value; *isnew = 1 when it was not present. */
static inline struct mg_item *mg_add(struct mg *m, uint64_t hash,
                                     const char *p, size_t len, uint64_t w,
                                     int *isnew)
{
    uint32_t slot;
    struct mg_item *it = mg_lookup(m, hash, &slot);

    if (it != NULL) {
        it->count += w;
        m->total += w;
        *isnew = 0;
        return it;
    }
    *isnew = 1;
    return mg_insert(m, slot, hash, p, len, w);
}

/* ---- KLL quantiles ---- */

#define KLL_K 200
#define KLL_MAXLEVELS 60

struct kll {
    uint32_t k;
    uint32_t nlevels;
    uint64_t n;                 /* values added (total weight) */
    uint64_t rng;               /* splitmix64 state: compaction coins */
    size_t retained, capacity;  /* items held; sum of level capacities */
    int compacted;              /* 0: still exact */
    double min, max;
    uint32_t sw;                /* sampler weight; 1: every value kept */
    uint32_t pend;              /* values of the open group (end of
                                   level 0) */
    double svar;                /* sum of w^2 over sampled groups */
    double *tmp;                /* sampled values, before sorting */
    size_t tmpcap;
    double *lv[KLL_MAXLEVELS];  /* level h: items of weight 2^h; level 0
                                   unsorted, the others sorted */
    size_t len[KLL_MAXLEVELS];  /* items held per level */
    size_t lcap[KLL_MAXLEVELS]; /* the level's KLL capacity */
    size_t alloc[KLL_MAXLEVELS];/* allocated items per level */
};

void kll_init(struct kll *s, uint32_t k, uint64_t seed);
void kll_release(struct kll *s);
void kll_add_many(struct kll *s, const double *v, size_t n);
/* Add v with weight w (the binary digits of w go to their levels). */
void kll_add_weighted(struct kll *s, double v, uint64_t w);
void kll_merge(struct kll *dst, const struct kll *src);
/* The q-quantiles (0 <= q <= 1) by nearest rank: the smallest retained
 * value whose cumulative weight reaches ceil(q n) (at least 1).  out[i]
 * is NaN when the sketch is empty. */
void kll_quantiles(const struct kll *s, const double *q, size_t nq,
                   double *out);
/* Estimated number of values <= x[i] (inclusive) or < x[i], each i. */
void kll_ranks(const struct kll *s, const double *x, size_t nx,
               int inclusive, double *out);
/* 0 when exact, else the normalised rank error stated above. */
double kll_rank_error(const struct kll *s);
double kll_rank_error_k(uint32_t k);
/* Serialized: k, nlevels, n, rng, compacted, sw, pend, svar, min, max,
 * level lengths, items
 * (little-endian).  Appends to out. */
void kll_serialize(const struct kll *s, struct buf *out);
int kll_deserialize(struct kll *s, const void *p, size_t n);

static inline void kll_add(struct kll *s, double v)
{
    kll_add_many(s, &v, 1);
}

/* The nearest rank of quantile q among n values: ceil(q n), clamped to
 * 1..n; q n within 1e-9 of an integer counts as that integer (0.07 *
 * 100 is 7.000000000000001 in binary). */
uint64_t quantile_rank(double q, uint64_t n);

/* Sort n doubles ascending (no NaN). */
void sort_doubles(double *a, size_t n);

#endif
