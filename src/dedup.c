/* dedup.c -- exact repeats by one in-place sort (dedup.h).
 *
 * The sort is an in-place MSD radix sort (American flag sort: 8-bit
 * digits, cycle-leader permutation, insertion sort below 32 keys), so
 * sorting 8M keys needs no second array: peak memory stays at the keys
 * themselves, 12 bytes a record. */
#include <stdlib.h>
#include <string.h>
#include "dedup.h"
#include "crypto.h"
#include "hash.h"
#include "util.h"

void dedup_part_init(struct dedup_part *p, int wide)
{
    memset(p, 0, sizeof(*p));
    p->wide = wide;
}

void dedup_part_add(struct dedup_part *p, const void *bytes, size_t n)
{
    uint64_t h[2];

    if (p->n == p->cap) {
        size_t cap = p->cap;

        grow(&p->hi, &cap, p->n + 1, sizeof(*p->hi));
        if (p->wide)
            p->lo = xrealloc(p->lo, cap * sizeof(*p->lo));
        p->cap = cap;
    }
    hash128(bytes, n, h);
    p->hi[p->n] = h[1];
    if (p->wide)
        p->lo[p->n] = (uint32_t)h[0];
    p->n++;
}

void dedup_part_release(struct dedup_part *p)
{
    free(p->hi);
    free(p->lo);
    p->hi = NULL;
    p->lo = NULL;
    p->n = p->cap = 0;
}

void dedup_init(struct dedup *d, int wide)
{
    memset(d, 0, sizeof(*d));
    dedup_part_init(&d->all, wide);
}

void dedup_merge(struct dedup *d, struct dedup_part *p)
{
    struct dedup_part *a = &d->all;

    if (a->hi == NULL) {
        *a = *p;
        dedup_part_init(p, a->wide);
        return;
    }
    if (a->n + p->n > a->cap) {
        a->cap = a->n + p->n;
        a->hi = xrealloc(a->hi, a->cap * sizeof(*a->hi));
        if (a->wide)
            a->lo = xrealloc(a->lo, a->cap * sizeof(*a->lo));
    }
    if (p->n > 0) {
        memcpy(a->hi + a->n, p->hi, p->n * sizeof(*p->hi));
        if (a->wide)
            memcpy(a->lo + a->n, p->lo, p->n * sizeof(*p->lo));
    }
    a->n += p->n;
    dedup_part_release(p);
}

/* ---- in-place MSD radix sort of (hi, lo) pairs ---- */

static int less(const uint64_t *hi, const uint32_t *lo, size_t i, size_t j)
{
    if (hi[i] != hi[j])
        return hi[i] < hi[j];
    return lo != NULL && lo[i] < lo[j];
}

static void swap(uint64_t *hi, uint32_t *lo, size_t i, size_t j)
{
    uint64_t t = hi[i];

    hi[i] = hi[j];
    hi[j] = t;
    if (lo != NULL) {
        uint32_t u = lo[i];

        lo[i] = lo[j];
        lo[j] = u;
    }
}

static void insertion(uint64_t *hi, uint32_t *lo, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++)
        for (j = i; j > 0 && less(hi, lo, j, j - 1); j--)
            swap(hi, lo, j, j - 1);
}

/* Digit at byte position pos: 0..7 from hi (most significant first),
 * 8..11 from lo. */
static unsigned digit(const uint64_t *hi, const uint32_t *lo, size_t i,
                      int pos)
{
    if (pos < 8)
        return (unsigned)(hi[i] >> (56 - 8 * pos)) & 0xFF;
    return (unsigned)(lo[i] >> (24 - 8 * (pos - 8))) & 0xFF;
}

static void msd_sort(uint64_t *hi, uint32_t *lo, size_t n, int pos,
                     int maxpos)
{
    size_t count[256], start[256], next[256], i;
    unsigned b;

    if (n < 32 || pos >= maxpos) {
        insertion(hi, lo, n);
        return;
    }
    memset(count, 0, sizeof(count));
    for (i = 0; i < n; i++)
        count[digit(hi, lo, i, pos)]++;
    for (i = 0, b = 0; b < 256; b++) {
        start[b] = i;
        next[b] = i;
        i += count[b];
    }
    for (b = 0; b < 256; b++) {
        size_t end = start[b] + count[b];

        while (next[b] < end) {
            unsigned d = digit(hi, lo, next[b], pos);

            if (d == b)
                next[b]++;
            else
                swap(hi, lo, next[b], next[d]++);
        }
    }
    for (b = 0; b < 256; b++)
        if (count[b] > 1)
            msd_sort(hi + start[b], lo ? lo + start[b] : NULL, count[b],
                     pos + 1, maxpos);
}

static int key_cmp(uint64_t ahi, uint32_t alo, uint64_t bhi, uint32_t blo)
{
    if (ahi != bhi)
        return ahi < bhi ? -1 : 1;
    if (alo != blo)
        return alo < blo ? -1 : 1;
    return 0;
}

static void put_key(unsigned char *kb, size_t *fill, uint64_t hi,
                    uint32_t lo, int wide)
{
    size_t j;

    for (j = 0; j < 8; j++)
        kb[(*fill)++] = (unsigned char)(hi >> (8 * j));
    if (wide)
        for (j = 0; j < 4; j++)
            kb[(*fill)++] = (unsigned char)(lo >> (8 * j));
}

/* SHA-256 over the merge of two sorted key lists. */
static void write_digest(const struct dedup_part *a,
                         const struct dedup_part *b, char *digest_hex)
{
    struct sha256 *h = sha256_new();
    unsigned char cnt[8], md[32], kb[12 * 256];
    uint64_t n = a->n + (b ? b->n : 0);
    size_t i = 0, j = 0, fill = 0, bn = b ? b->n : 0, k;

    for (k = 0; k < 8; k++)
        cnt[k] = (unsigned char)(n >> (8 * k));
    sha256_update(h, "assay-rows-v1", 14);
    sha256_update(h, cnt, 8);
    while (i < a->n || j < bn) {
        int take_a;

        if (j >= bn)
            take_a = 1;
        else if (i >= a->n)
            take_a = 0;
        else
            take_a = key_cmp(a->hi[i], a->wide ? a->lo[i] : 0, b->hi[j],
                             b->wide ? b->lo[j] : 0) <= 0;
        if (take_a) {
            put_key(kb, &fill, a->hi[i], a->wide ? a->lo[i] : 0, a->wide);
            i++;
        } else {
            put_key(kb, &fill, b->hi[j], b->wide ? b->lo[j] : 0, b->wide);
            j++;
        }
        if (fill + 12 > sizeof(kb)) {
            sha256_update(h, kb, fill);
            fill = 0;
        }
    }
    sha256_update(h, kb, fill);
    sha256_final(h, md);
    hex_encode(md, 32, digest_hex);
}

void dedup_finish(struct dedup *d, char *digest_hex)
{
    dedup_finish_with(d, NULL, digest_hex);
}

void dedup_finish_with(struct dedup *d, struct dedup_part *extra,
                       char *digest_hex)
{
    struct dedup_part *a = &d->all;
    size_t i, k;

    msd_sort(a->hi, a->lo, a->n, 0, a->wide ? 12 : 8);
    if (extra != NULL)
        msd_sort(extra->hi, extra->lo, extra->n, 0, extra->wide ? 12 : 8);
    d->count = a->n;
    d->repeats = 0;
    d->nrep = 0;
    for (i = 1; i < a->n; i++)
        if (a->hi[i] == a->hi[i - 1] && (!a->wide || a->lo[i] == a->lo[i - 1]))
            d->repeats++;
    if (d->repeats > 0) {
        d->rep_hi = xmalloc(d->repeats * sizeof(*d->rep_hi));
        d->rep_lo = xmalloc(d->repeats * sizeof(*d->rep_lo));
        for (i = 1, k = 0; i < a->n; i++) {
            uint32_t l0 = a->wide ? a->lo[i - 1] : 0;
            uint32_t l1 = a->wide ? a->lo[i] : 0;

            if (a->hi[i] != a->hi[i - 1] || l0 != l1)
                continue;
            if (k > 0 && d->rep_hi[k - 1] == a->hi[i] && d->rep_lo[k - 1] == l1)
                continue;
            d->rep_hi[k] = a->hi[i];
            d->rep_lo[k] = l1;
            k++;
        }
        d->nrep = k;
    }
    if (digest_hex != NULL)
        write_digest(a, extra, digest_hex);
    dedup_part_release(a);
    if (extra != NULL)
        dedup_part_release(extra);
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

    dedup_part_release(&d->all);
    free(d->rep_hi);
    free(d->rep_lo);
    memset(d, 0, sizeof(*d));
    d->all.wide = wide;
}
