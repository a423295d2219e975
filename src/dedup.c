/* dedup.c -- exact repeats by sorting (dedup.h).
 *
 * Keys live in runs of at most DEDUP_RUN keys (8 or 12 bytes each, one
 * array per run, so a run grows without copying the others and memory
 * stays at the keys themselves).  A run is sorted in place when it is
 * full or sealed (MSD radix, American flag: 8-bit digits, cycle-leader
 * permutation, insertion sort below 32 keys), on the thread that filled
 * it; dedup_finish() merges all sorted runs with a small heap in one
 * streaming walk that counts repeats and feeds the digest. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "dedup.h"
#include "crypto.h"
#include "hash.h"
#include "util.h"

#define RUN_FIRST ((size_t)1024)        /* first capacity of a run */
#define HUGE_PAGE ((size_t)2 << 20)

static inline size_t kwidth(int wide)
{
    return wide ? 12 : 8;
}

/* Run memory is mapped, not malloc'd (util.h: xmap): the parts of a
 * parallel scan grow, fill and free runs of megabytes, and glibc's
 * malloc, whose mmap threshold rises with each large free, would carve
 * later runs from its heap and keep the holes.  A full-size run asks
 * for huge pages (a fault per 2 MiB instead of per 4 KiB: on a VM page
 * faults cost more than the sort).  A run maps cap keys; run_free()
 * unmaps them, and a sealed run keeps only the pages its keys use. */
static void *run_alloc(size_t bytes)
{
    void *p = xmap(bytes);

#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_PAGE)
        madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

static void run_free(struct dedup_run *r, int wide)
{
    xunmap(r->k, r->cap * kwidth(wide));
    r->k = NULL;
}

static void run_trim(struct dedup_run *r, int wide)
{
    size_t w = kwidth(wide);

    if (r->n < r->cap && r->n > 0) {
        r->k = xremap(r->k, r->cap * w, r->n * w);
        r->cap = r->n;
    }
}

/* ---- keys ---- */


static inline uint64_t get_hi(const unsigned char *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t get_lo(const unsigned char *p, int wide)
{
    uint32_t v = 0;

    if (wide)
        memcpy(&v, p + 8, 4);
    return v;
}

static inline int kless(const unsigned char *a, const unsigned char *b,
                        int wide)
{
    uint64_t x = get_hi(a), y = get_hi(b);

    if (x != y)
        return x < y;
    return get_lo(a, wide) < get_lo(b, wide);
}

static inline void kswap(unsigned char *a, unsigned char *b, int wide)
{
    unsigned char t[12];

    if (wide) {
        memcpy(t, a, 12);
        memcpy(a, b, 12);
        memcpy(b, t, 12);
    } else {
        memcpy(t, a, 8);
        memcpy(a, b, 8);
        memcpy(b, t, 8);
    }
}

/* Digit at byte position pos: 0..7 from hi (most significant first),
 * 8..11 from lo. */
static inline unsigned digit(const unsigned char *p, int pos, int wide)
{
    if (pos < 8)
        return (unsigned)(get_hi(p) >> (56 - 8 * pos)) & 0xFF;
    return (unsigned)(get_lo(p, wide) >> (24 - 8 * (pos - 8))) & 0xFF;
}

/* ---- in-place MSD radix sort of a run ---- */

static void insertion(unsigned char *a, size_t n, int wide)
{
    size_t w = kwidth(wide), i, j;
    unsigned char t[12];

    for (i = 1; i < n; i++) {
        if (!kless(a + i * w, a + (i - 1) * w, wide))
            continue;
        memcpy(t, a + i * w, w);
        for (j = i; j > 0 && kless(t, a + (j - 1) * w, wide); j--)
            memcpy(a + j * w, a + (j - 1) * w, w);
        memcpy(a + j * w, t, w);
    }
}

static void msd_sort(unsigned char *a, size_t n, int pos, int wide)
{
    size_t w = kwidth(wide), count[256], next[256], end[256], i;
    int maxpos = wide ? 12 : 8;
    unsigned b;

    for (;;) {
        if (n < 32 || pos >= maxpos) {
            insertion(a, n, wide);
            return;
        }
        memset(count, 0, sizeof(count));
        for (i = 0; i < n; i++)
            count[digit(a + i * w, pos, wide)]++;
        if (count[digit(a, pos, wide)] == n) {
            pos++;                      /* one bucket: next digit */
            continue;
        }
        break;
    }
    for (i = 0, b = 0; b < 256; b++) {
        next[b] = i;
        i += count[b];
        end[b] = i;
    }
    for (b = 0; b < 256; b++) {
        while (next[b] < end[b]) {
            unsigned char *x = a + next[b] * w;
            unsigned d = digit(x, pos, wide);

            if (d == b)
                next[b]++;
            else
                kswap(x, a + next[d]++ * w, wide);
        }
    }
    for (i = 0, b = 0; b < 256; b++) {
        if (count[b] > 1)
            msd_sort(a + i * w, count[b], pos + 1, wide);
        i += count[b];
    }
}

static void run_sort(struct dedup_run *r, int wide)
{
    if (!r->sorted)
        msd_sort(r->k, r->n, 0, wide);
    r->sorted = 1;
}

/* ---- parts ---- */

void dedup_part_init(struct dedup_part *p, int wide)
{
    memset(p, 0, sizeof(*p));
    p->wide = wide;
}

/* The run to append to, with room for one key. */
static struct dedup_run *run_room(struct dedup_part *p)
{
    size_t w = kwidth(p->wide);
    struct dedup_run *r = p->nrun ? &p->run[p->nrun - 1] : NULL;

    if (r != NULL && r->n < r->cap)
        return r;
    if (r != NULL && r->cap < DEDUP_RUN) {
        r->cap = MIN(2 * r->cap, DEDUP_RUN);
        if (r->cap == DEDUP_RUN) {
            unsigned char *k = run_alloc(r->cap * w);

            memcpy(k, r->k, r->n * w);
            xunmap(r->k, r->n * w);     /* it was full: n keys mapped */
            r->k = k;
        } else {
            r->k = xremap(r->k, r->n * w, r->cap * w);
        }
        return r;
    }
    if (r != NULL)
        run_sort(r, p->wide);           /* full: sort it now */
    grow(&p->run, &p->runcap, p->nrun + 1, sizeof(*p->run));
    r = &p->run[p->nrun++];
    memset(r, 0, sizeof(*r));
    /* after a full run, the next one starts full size */
    r->cap = p->nrun > 1 ? DEDUP_RUN : RUN_FIRST;
    r->k = run_alloc(r->cap * w);
    return r;
}

void dedup_part_add(struct dedup_part *p, const void *bytes, size_t n)
{
    struct dedup_run *r = p->nrun ? &p->run[p->nrun - 1] : NULL;
    uint64_t h[2];
    unsigned char *k;

    if (r == NULL || r->n == r->cap)
        r = run_room(p);
    hash128(bytes, n, h);
    k = r->k + r->n * kwidth(p->wide);
    memcpy(k, &h[1], 8);
    if (p->wide) {
        uint32_t lo = (uint32_t)h[0];

        memcpy(k + 8, &lo, 4);
    }
    r->n++;
    p->n++;
}

void dedup_part_seal(struct dedup_part *p)
{
    size_t i;

    for (i = 0; i < p->nrun; i++) {
        run_sort(&p->run[i], p->wide);
        run_trim(&p->run[i], p->wide);
    }
}

void dedup_part_join(struct dedup_part *dst, struct dedup_part *src)
{
    size_t i;

    for (i = 0; i < src->nrun; i++) {
        if (src->run[i].n == 0) {
            run_free(&src->run[i], src->wide);
            continue;
        }
        grow(&dst->run, &dst->runcap, dst->nrun + 1, sizeof(*dst->run));
        dst->run[dst->nrun++] = src->run[i];
    }
    dst->n += src->n;
    free(src->run);
    dedup_part_init(src, src->wide);
}

void dedup_part_release(struct dedup_part *p)
{
    size_t i;

    for (i = 0; i < p->nrun; i++)
        run_free(&p->run[i], p->wide);
    free(p->run);
    dedup_part_init(p, p->wide);
}

void dedup_init(struct dedup *d, int wide)
{
    memset(d, 0, sizeof(*d));
    dedup_part_init(&d->all, wide);
}

void dedup_merge(struct dedup *d, struct dedup_part *p)
{
    dedup_part_join(&d->all, p);
}

/* ---- the merge walk ----
 * A binary heap of run numbers (ints, not structs) ordered by each run's
 * current key, held in flat arrays: a step moves ints and compares two
 * 64-bit words in most cases. */

struct heads {
    const unsigned char **p, **end;
    uint64_t *hi;
    uint32_t *lo;
    unsigned char *extra;       /* from the digest-only keys */
    unsigned char *wide;
    int *heap;
    size_t n;
};

static inline int hless(const struct heads *h, int a, int b)
{
    if (h->hi[a] != h->hi[b])
        return h->hi[a] < h->hi[b];
    return h->lo[a] < h->lo[b];
}

static inline void head_load(struct heads *h, int r)
{
    h->hi[r] = get_hi(h->p[r]);
    h->lo[r] = get_lo(h->p[r], h->wide[r]);
}

static void sift_down(struct heads *h, size_t i)
{
    int t = h->heap[i];
    size_t n = h->n;

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= n)
            break;
        if (c + 1 < n && hless(h, h->heap[c + 1], h->heap[c]))
            c++;
        if (!hless(h, h->heap[c], t))
            break;
        h->heap[i] = h->heap[c];
        i = c;
    }
    h->heap[i] = t;
}

static void add_heads(struct heads *h, size_t *nr, struct dedup_part *p,
                      int extra)
{
    size_t i;

    dedup_part_seal(p);
    for (i = 0; i < p->nrun; i++) {
        size_t r = *nr;

        if (p->run[i].n == 0)
            continue;
        h->wide[r] = (unsigned char)p->wide;
        h->p[r] = p->run[i].k;
        h->end[r] = p->run[i].k + p->run[i].n * kwidth(p->wide);
        h->extra[r] = (unsigned char)extra;
        head_load(h, (int)r);
        h->heap[h->n++] = (int)r;
        (*nr)++;
    }
}

/* A key as the digest has it: hi 8 bytes LE, then lo 4 bytes LE. */
static inline void put_key(unsigned char *kb, size_t *fill, uint64_t hi,
                           uint32_t lo, int wide)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(kb + *fill, &hi, 8);
    *fill += 8;
    if (wide) {
        memcpy(kb + *fill, &lo, 4);
        *fill += 4;
    }
#else
    size_t j;

    for (j = 0; j < 8; j++)
        kb[(*fill)++] = (unsigned char)(hi >> (8 * j));
    if (wide)
        for (j = 0; j < 4; j++)
            kb[(*fill)++] = (unsigned char)(lo >> (8 * j));
#endif
}

void dedup_finish(struct dedup *d, char *digest_hex)
{
    dedup_finish_with(d, NULL, digest_hex);
}

static void finish_now(struct dedup *d, struct dedup_part *extra,
                       char *digest_hex);

static void *finish_main(void *arg)
{
    struct dedup *d = arg;

    finish_now(d, d->extra, d->digest_hex);
    return NULL;
}

void dedup_finish_async(struct dedup *d, struct dedup_part *extra,
                        char *digest_hex)
{
    if (d->state != 0)
        return;
    d->extra = extra;
    d->digest_hex = digest_hex;
    if (pthread_create(&d->th, NULL, finish_main, d) == 0) {
        d->state = 1;
        return;
    }
    finish_now(d, extra, digest_hex);
    d->state = 2;
}

/* Wait for an async finish; 1 if d is finished (either way). */
static int join(struct dedup *d)
{
    if (d->state == 1) {
        pthread_join(d->th, NULL);
        d->state = 2;
    }
    return d->state == 2;
}

void dedup_finish_with(struct dedup *d, struct dedup_part *extra,
                       char *digest_hex)
{
    if (join(d))
        return;
    finish_now(d, extra, digest_hex);
    d->state = 2;
}

static void finish_now(struct dedup *d, struct dedup_part *extra,
                       char *digest_hex)
{
    struct dedup_part *a = &d->all;
    size_t nmax = a->nrun + (extra ? extra->nrun : 0) + 1, nr = 0, i;
    size_t repcap = 0, fill = 0;
    struct heads h;
    struct sha256 *sha = NULL;
    unsigned char kb[12 * 1024], cnt[8], md[32];
    uint64_t phi = 0, total = a->n + (extra ? extra->n : 0);
    uint32_t plo = 0;
    int have_prev = 0, prev_rep = 0;

    memset(&h, 0, sizeof(h));
    h.p = xcalloc(nmax, sizeof(*h.p));
    h.end = xcalloc(nmax, sizeof(*h.end));
    h.hi = xcalloc(nmax, sizeof(*h.hi));
    h.lo = xcalloc(nmax, sizeof(*h.lo));
    h.extra = xcalloc(nmax, 1);
    h.wide = xcalloc(nmax, 1);
    h.heap = xcalloc(nmax, sizeof(*h.heap));
    add_heads(&h, &nr, a, 0);
    if (extra != NULL)
        add_heads(&h, &nr, extra, 1);
    for (i = h.n; i-- > 0;)
        sift_down(&h, i);
    d->count = a->n;
    d->repeats = 0;
    d->nrep = 0;
    if (digest_hex != NULL) {
        sha = sha256_new();
        for (i = 0; i < 8; i++)
            cnt[i] = (unsigned char)(total >> (8 * i));
        sha256_update(sha, "assay-rows-v1", 14);
        sha256_update(sha, cnt, 8);
    }
    while (h.n > 0) {
        int r = h.heap[0];
        uint64_t hi = h.hi[r];
        uint32_t lo = h.lo[r];

        if (sha != NULL) {
            put_key(kb, &fill, hi, lo, h.wide[r]);
            if (fill + 12 > sizeof(kb)) {
                sha256_update(sha, kb, fill);
                fill = 0;
            }
        }
        if (!h.extra[r]) {
            if (have_prev && hi == phi && lo == plo) {
                d->repeats++;
                if (!prev_rep) {
                    grow(&d->rep_hi, &repcap, d->nrep + 1,
                         sizeof(*d->rep_hi));
                    d->rep_lo = xrealloc(d->rep_lo,
                                         repcap * sizeof(*d->rep_lo));
                    d->rep_hi[d->nrep] = hi;
                    d->rep_lo[d->nrep] = lo;
                    d->nrep++;
                }
                prev_rep = 1;
            } else {
                prev_rep = 0;
            }
            phi = hi;
            plo = lo;
            have_prev = 1;
        }
        h.p[r] += kwidth(h.wide[r]);
        if (h.p[r] < h.end[r]) {
            head_load(&h, r);
            sift_down(&h, 0);
        } else {
            h.heap[0] = h.heap[--h.n];
            if (h.n > 0)
                sift_down(&h, 0);
        }
    }
    if (sha != NULL) {
        sha256_update(sha, kb, fill);
        sha256_final(sha, md);
        hex_encode(md, 32, digest_hex);
    }
    free(h.p);
    free(h.end);
    free(h.hi);
    free(h.lo);
    free(h.extra);
    free(h.wide);
    free(h.heap);
    dedup_part_release(a);
    if (extra != NULL)
        dedup_part_release(extra);
}

static int key_cmp(uint64_t ahi, uint32_t alo, uint64_t bhi, uint32_t blo)
{
    if (ahi != bhi)
        return ahi < bhi ? -1 : 1;
    if (alo != blo)
        return alo < blo ? -1 : 1;
    return 0;
}

int dedup_is_repeated(const struct dedup *d, const void *bytes, size_t n)
{
    uint64_t h[2];
    uint32_t lo;
    size_t a = 0, b = d->nrep;

    if (d->nrep == 0)
        return 0;
    hash128(bytes, n, h);
    lo = d->all.wide ? (uint32_t)h[0] : 0;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        int c = key_cmp(d->rep_hi[mid], d->rep_lo[mid], h[1], lo);

        if (c == 0)
            return 1;
        if (c < 0)
            a = mid + 1;
        else
            b = mid;
    }
    return 0;
}

void dedup_release(struct dedup *d)
{
    int wide = d->all.wide;

    join(d);
    dedup_part_release(&d->all);
    free(d->rep_hi);
    free(d->rep_lo);
    memset(d, 0, sizeof(*d));
    d->all.wide = wide;
}
