/* sketch.c -- mergeable summaries: HyperLogLog, exact-then-HLL distinct
 * sets, an exact value map, Misra-Gries heavy hitters and KLL quantiles
 * (sketch.h states each one's error).
 * Pure data structures: no I/O, no printing; memory from util.h.  Merges
 * are deterministic given the merge order (KLL's coins are seeded). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sketch.h"
#include "util.h"

/* ---- little-endian serialization helpers ---- */

static void put_u64(struct buf *b, uint64_t v)
{
    unsigned char c[8];
    int i;

    for (i = 0; i < 8; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    buf_add(b, c, 8);
}

static void put_f64(struct buf *b, double d)
{
    uint64_t v;

    memcpy(&v, &d, 8);
    put_u64(b, v);
}

static int get_u64(const unsigned char **p, const unsigned char *end,
                   uint64_t *v)
{
    int i;

    if (end - *p < 8)
        return -1;
    *v = 0;
    for (i = 0; i < 8; i++)
        *v |= (uint64_t)(*p)[i] << (8 * i);
    *p += 8;
    return 0;
}

static int get_f64(const unsigned char **p, const unsigned char *end,
                   double *d)
{
    uint64_t v;

    if (get_u64(p, end, &v) < 0)
        return -1;
    memcpy(d, &v, 8);
    return 0;
}

/* ---- HyperLogLog ---- */

void hll_init(struct hll *h, unsigned p)
{
    h->p = p;
    h->reg = xcalloc((size_t)1 << p, 1);
}

void hll_release(struct hll *h)
{
    free(h->reg);
    h->reg = NULL;
}

int hll_merge(struct hll *dst, const struct hll *src)
{
    size_t i, m = (size_t)1 << dst->p;

    if (dst->p != src->p)
        return -1;
    for (i = 0; i < m; i++)
        if (src->reg[i] > dst->reg[i])
            dst->reg[i] = src->reg[i];
    return 0;
}

/* Ertl's sigma and tau series (arXiv:1702.01284, section 4). */
static double hll_sigma(double x)
{
    double y = 1, z = x, zp;

    if (x == 1)
        return INFINITY;
    do {
        x *= x;
        zp = z;
        z += x * y;
        y += y;
    } while (zp != z);
    return z;
}

static double hll_tau(double x)
{
    double y = 1, z = 1 - x, zp;

    if (x == 0 || x == 1)
        return 0;
    do {
        x = sqrt(x);
        zp = z;
        y *= 0.5;
        z -= (1 - x) * (1 - x) * y;
    } while (zp != z);
    return z / 3;
}

/* The improved raw estimator: from the register histogram C[0..q+1],
 * z = m tau(1 - C[q+1]/m); z = (z + C[k]) / 2 for k = q..1;
 * z += m sigma(C[0]/m); estimate = m^2 / (2 ln 2 z). */
double hll_estimate(const struct hll *h)
{
    uint64_t hist[66] = { 0 };
    unsigned q = 64 - h->p;
    size_t i, m = (size_t)1 << h->p;
    double z, dm = (double)m;
    int k;

    for (i = 0; i < m; i++)
        hist[h->reg[i]]++;
    z = dm * hll_tau(1.0 - (double)hist[q + 1] / dm);
    for (k = (int)q; k >= 1; k--)
        z = 0.5 * (z + (double)hist[k]);
    z += dm * hll_sigma((double)hist[0] / dm);
    return dm * dm / (2 * log(2.0) * z);
}

double hll_stderr(unsigned p)
{
    return 1.04 / sqrt((double)((size_t)1 << p));
}

void hll_serialize(const struct hll *h, struct buf *out)
{
    unsigned char p = (unsigned char)h->p;

    buf_add(out, &p, 1);
    buf_add(out, h->reg, (size_t)1 << h->p);
}

int hll_deserialize(struct hll *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i, m;

    h->reg = NULL;
    if (n < 1 || p[0] < 4 || p[0] > 18)
        return -1;
    m = (size_t)1 << p[0];
    if (n != m + 1)
        return -1;
    for (i = 0; i < m; i++)
        if (p[1 + i] > 65 - p[0])
            return -1;
    hll_init(h, p[0]);
    memcpy(h->reg, p + 1, m);
    return 0;
}

/* ---- distinct hashes ---- */

void dset_init(struct dset *d, size_t cap)
{
    memset(d, 0, sizeof(*d));
    d->cap = cap;
    d->mask = 15;
    d->slot = xcalloc(16, sizeof(uint64_t));
    d->exact = 1;
}

void dset_release(struct dset *d)
{
    free(d->slot);
    d->slot = NULL;
    if (!d->exact)
        hll_release(&d->hll);
}

static void dset_put(uint64_t *slot, size_t mask, uint64_t h)
{
    size_t i = h & mask;

    while (slot[i] != 0 && slot[i] != h)
        i = (i + 1) & mask;
    slot[i] = h;
}

static void dset_to_hll(struct dset *d)
{
    size_t i;

    hll_init(&d->hll, HLL_P);
    if (d->has_zero)
        hll_add(&d->hll, 0);
    for (i = 0; i <= d->mask; i++)
        if (d->slot[i] != 0)
            hll_add(&d->hll, d->slot[i]);
    free(d->slot);
    d->slot = NULL;
    d->exact = 0;
}

void dset_add(struct dset *d, uint64_t h)
{
    size_t i;

    if (!d->exact) {
        hll_add(&d->hll, h);
        return;
    }
    if (h == 0) {
        d->n += !d->has_zero;
        d->has_zero = 1;
    } else {
        i = h & d->mask;
        while (d->slot[i] != 0 && d->slot[i] != h)
            i = (i + 1) & d->mask;
        if (d->slot[i] == h)
            return;
        d->slot[i] = h;
        d->n++;
    }
    if (d->n > d->cap) {
        dset_to_hll(d);
        return;
    }
    if (d->n * 2 > d->mask) {
        size_t nm = d->mask * 2 + 1;
        uint64_t *ns = xcalloc(nm + 1, sizeof(uint64_t));

        for (i = 0; i <= d->mask; i++)
            if (d->slot[i] != 0)
                dset_put(ns, nm, d->slot[i]);
        free(d->slot);
        d->slot = ns;
        d->mask = nm;
    }
}

void dset_merge(struct dset *dst, const struct dset *src)
{
    size_t i;

    if (src->exact) {
        if (src->has_zero)
            dset_add(dst, 0);
        for (i = 0; i <= src->mask; i++)
            if (src->slot[i] != 0)
                dset_add(dst, src->slot[i]);
        return;
    }
    if (dst->exact)
        dset_to_hll(dst);
    hll_merge(&dst->hll, &src->hll);
}

uint64_t dset_count(const struct dset *d)
{
    return d->exact ? d->n : (uint64_t)llround(hll_estimate(&d->hll));
}

/* ---- exact value map ---- */

void vmap_init(struct vmap *m)
{
    memset(m, 0, sizeof(*m));
    m->mask = 15;
    m->slot = xcalloc(16, sizeof(*m->slot));
    m->aux = xcalloc(16, sizeof(*m->aux));
}

void vmap_release(struct vmap *m)
{
    free(m->e);
    free(m->slot);
    free(m->aux);
    free(m->text);
    memset(m, 0, sizeof(*m));
}

static void vmap_rehash(struct vmap *m, uint32_t mask)
{
    struct vmap_slot *ns = xcalloc((size_t)mask + 1, sizeof(*ns));
    struct vmap_aux *na = xcalloc((size_t)mask + 1, sizeof(*na));
    uint32_t i, j;

    for (i = 0; i < m->n; i++) {
        j = (uint32_t)m->e[i].hash & mask;
        while (ns[j].count != 0)
            j = (j + 1) & mask;
        ns[j] = m->slot[m->e[i].slot];
        na[j] = m->aux[m->e[i].slot];
        m->e[i].slot = j;
    }
    free(m->slot);
    free(m->aux);
    m->slot = ns;
    m->aux = na;
    m->mask = mask;
}

uint32_t vmap_insert(struct vmap *m, uint64_t hash, const char *p,
                     size_t len, uint64_t count)
{
    struct vmap_ent *e;
    size_t ecap = m->ecap;
    uint32_t j;

    if (m->n == m->ecap) {
        grow(&m->e, &ecap, (size_t)m->n + 1, sizeof(*m->e));
        m->ecap = (uint32_t)ecap;
    }
    if (m->tlen + len + 1 > m->tcap)
        grow(&m->text, &m->tcap, m->tlen + len + 1, 1);
    j = (uint32_t)hash & m->mask;
    while (m->slot[j].count != 0)
        j = (j + 1) & m->mask;
    m->slot[j].hash = hash;
    m->slot[j].count = count > 0 ? count : 1;
    e = &m->e[m->n];
    e->hash = hash;
    e->off = (uint32_t)m->tlen;
    e->len = (uint32_t)len;
    e->slot = j;
    if (len > 0)
        memcpy(m->text + m->tlen, p, len);
    m->text[m->tlen + len] = '\0';
    m->tlen += len + 1;
    m->n++;
    if ((size_t)m->n * 2 > m->mask)
        vmap_rehash(m, m->mask * 2 + 1);
    return m->n - 1;
}

void vmap_merge(struct vmap *dst, const struct vmap *src)
{
    struct vmap_slot *s;
    uint32_t i;

    for (i = 0; i < src->n; i++) {
        s = vmap_find(dst, src->e[i].hash);
        if (s != NULL)
            s->count += vmap_count(src, i);
        else
            vmap_insert(dst, src->e[i].hash, vmap_text(src, i),
                        src->e[i].len, vmap_count(src, i));
    }
}

/* ---- Misra-Gries ---- */

void mg_init(struct mg *m, uint32_t k)
{
    uint32_t slots = 16;

    memset(m, 0, sizeof(*m));
    m->k = k;
    while (slots < 8 * k)
        slots *= 2;
    m->mask = slots - 1;
    m->slot = xcalloc(slots, sizeof(uint64_t));
    m->it = xcalloc(2 * (size_t)k, sizeof(*m->it));
    m->scratch = xcalloc(2 * (size_t)k, sizeof(uint64_t));
}

void mg_release(struct mg *m)
{
    free(m->it);
    free(m->slot);
    free(m->text);
    free(m->spare);
    free(m->scratch);
    memset(m, 0, sizeof(*m));
}

static void mg_index(struct mg *m)
{
    uint32_t i, j;

    memset(m->slot, 0, ((size_t)m->mask + 1) * sizeof(uint64_t));
    for (i = 0; i < m->n; i++) {
        j = (uint32_t)m->it[i].hash & m->mask;
        while (m->slot[j] != 0)
            j = (j + 1) & m->mask;
        m->slot[j] = SLOT_MAKE(m->it[i].hash, i);
    }
}

/* The r-th largest (0-based) of a[0..n), by quickselect; a is permuted. */
static uint64_t select_desc(uint64_t *a, size_t n, size_t r)
{
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {
        uint64_t pivot = a[lo + (hi - lo) / 2], t;
        size_t i = lo, j = hi;

        while (i <= j) {
            while (a[i] > pivot)
                i++;
            while (a[j] < pivot)
                j--;
            if (i <= j) {
                t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (r <= j)
            hi = j;
        else if (r >= i)
            lo = i;
        else
            return a[r];
    }
    return a[r];
}

/* Subtract the (k+1)-th largest count from every counter and drop the
 * ones that reach zero: at least k+1 counters lose c each, so the total
 * of all purges times (k+1) never exceeds the weight added. */
static void mg_purge(struct mg *m)
{
    uint64_t c;
    uint32_t i, w = 0;
    size_t tl = 0;

    /* Counts are >= 1: when at most k exceed 1, the (k+1)-th largest
     * is 1 without a selection (every value of a column of distinct
     * values, ids and timestamps, takes this path). */
    for (i = 0, w = 0; i < m->n; i++)
        w += m->it[i].count > 1;
    if (w <= m->k) {
        c = 1;
    } else {
        for (i = 0; i < m->n; i++)
            m->scratch[i] = m->it[i].count;
        c = select_desc(m->scratch, m->n, m->k);
    }
    w = 0;
    if (m->scap < m->tlen)
        grow(&m->spare, &m->scap, m->tlen, 1);
    for (i = 0; i < m->n; i++) {
        struct mg_item *it = &m->it[i];

        if (it->count <= c)
            continue;
        m->it[w] = *it;
        m->it[w].count -= c;
        memcpy(m->spare + tl, m->text + it->off, it->len);
        m->it[w].off = (uint32_t)tl;
        tl += it->len;
        w++;
    }
    {
        char *t = m->text;
        size_t cap = m->tcap;

        m->text = m->spare;
        m->tcap = m->scap;
        m->spare = t;
        m->scap = cap;
    }
    m->tlen = tl;
    m->n = w;
    m->decr += c;
    mg_index(m);
}

struct mg_item *mg_insert(struct mg *m, uint32_t slot, uint64_t hash,
                          const char *p, size_t len, uint64_t w)
{
    struct mg_item *it;
    uint32_t cut = len > MG_TEXT_MAX;

    if (m->n == 2 * m->k) {
        mg_purge(m);
        mg_lookup(m, hash, &slot);  /* the index was rebuilt */
    }
    if (cut)
        len = MG_TEXT_MAX;
    if (m->tlen + len > m->tcap)
        grow(&m->text, &m->tcap, m->tlen + len, 1);
    it = &m->it[m->n];
    it->hash = hash;
    it->count = w;
    it->off = (uint32_t)m->tlen;
    it->len = (uint32_t)len;
    it->cut = cut;
    it->aux[0] = it->aux[1] = 0;
    copy_short(m->text + m->tlen, p, len);
    m->tlen += len;
    m->n++;
    m->total += w;
    m->slot[slot] = SLOT_MAKE(hash, m->n - 1);
    return it;
}

struct mg_item *mg_add_new(struct mg *m, uint64_t hash, const char *p,
                           size_t len, uint64_t w)
{
    uint32_t slot = 0;
    struct mg_item *it = mg_lookup(m, hash, &slot);

    if (it != NULL) {           /* not new after all */
        it->count += w;
        m->total += w;
        return it;
    }
    return mg_insert(m, slot, hash, p, len, w);
}

void mg_merge(struct mg *dst, const struct mg *src)
{
    uint64_t total = dst->total + src->total;
    uint32_t i;
    int isnew;

    for (i = 0; i < src->n; i++) {
        const struct mg_item *s = &src->it[i];
        struct mg_item *d = mg_add(dst, s->hash, src->text + s->off, s->len,
                                   s->count, &isnew);

        if (isnew) {
            d->aux[0] = s->aux[0];
            d->aux[1] = s->aux[1];
            d->cut = s->cut;
        }
    }
    dst->total = total;
    dst->decr += src->decr;
}

size_t mg_top(const struct mg *m, size_t want, uint32_t *out)
{
    size_t n = 0, j;
    uint32_t i;

    for (i = 0; i < m->n; i++) {
        uint64_t c = m->it[i].count;

        if (n == want && c <= m->it[out[n - 1]].count)
            continue;
        j = n < want ? n++ : n - 1;
        while (j > 0 && m->it[out[j - 1]].count < c) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = i;
    }
    return n;
}

double mg_bound(const struct mg *m)
{
    return (double)m->total / ((double)m->k + 1);
}

void mg_serialize(const struct mg *m, struct buf *out)
{
    uint32_t i;

    put_u64(out, m->k);
    put_u64(out, m->n);
    put_u64(out, m->total);
    put_u64(out, m->decr);
    for (i = 0; i < m->n; i++) {
        const struct mg_item *it = &m->it[i];

        put_u64(out, it->hash);
        put_u64(out, it->count);
        put_u64(out, it->aux[0]);
        put_u64(out, it->aux[1]);
        put_u64(out, it->cut);
        put_u64(out, it->len);
        buf_add(out, m->text + it->off, it->len);
    }
}

int mg_deserialize(struct mg *m, const void *data, size_t n)
{
    const unsigned char *p = data, *end = p + n;
    uint64_t k, cnt, total, decr, h, c, a0, a1, cut, len;
    struct mg_item *it;
    uint64_t i;

    memset(m, 0, sizeof(*m));
    if (get_u64(&p, end, &k) < 0 || get_u64(&p, end, &cnt) < 0 ||
        get_u64(&p, end, &total) < 0 || get_u64(&p, end, &decr) < 0 ||
        k < 1 || k > (1u << 24) || cnt > 2 * k)
        return -1;
    mg_init(m, (uint32_t)k);
    for (i = 0; i < cnt; i++) {
        if (get_u64(&p, end, &h) < 0 || get_u64(&p, end, &c) < 0 ||
            get_u64(&p, end, &a0) < 0 || get_u64(&p, end, &a1) < 0 ||
            get_u64(&p, end, &cut) < 0 || get_u64(&p, end, &len) < 0 ||
            len > (uint64_t)(end - p) || len > MG_TEXT_MAX || cut > 1 ||
            c == 0 || mg_find(m, h) != NULL)
            goto bad;
        it = mg_add_new(m, h, (const char *)p, (size_t)len, c);
        it->aux[0] = a0;
        it->aux[1] = a1;
        it->cut = (uint32_t)cut;
        p += len;
    }
    if (p != end || m->decr != 0)
        goto bad;
    m->total = total;
    m->decr = decr;
    return 0;
bad:
    mg_release(m);
    return -1;
}

/* ---- sorting doubles (KLL level 0, small arrays) ---- */

static void insertion_sort(double *a, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        double v = a[i];

        for (j = i; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Quicksort, median of three, Hoare partition (fine with many equal
 * values); recursion on the smaller part only. */
static void quick_sort(double *a, size_t n)
{
    while (n > 24) {
        double x = a[0], y = a[n / 2], z = a[n - 1], pivot, t;
        size_t i = 0, j = n - 1;

        pivot = x < y ? (y < z ? y : (x < z ? z : x))
                      : (x < z ? x : (y < z ? z : y));
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* a[0..j] <= pivot <= a[j+1..n) */
        if (j + 1 < n - j - 1) {
            quick_sort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            quick_sort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion_sort(a, n);
}

/* Order-preserving map of doubles to unsigned keys: flip all bits of
 * negatives, the sign bit of the rest. */
static inline uint64_t dkey(double d)
{
    uint64_t u;

    memcpy(&u, &d, 8);
    return u >> 63 ? ~u : u | 0x8000000000000000ULL;
}

static inline double dval(uint64_t u)
{
    double d;

    u = u >> 63 ? u & 0x7FFFFFFFFFFFFFFFULL : ~u;
    memcpy(&d, &u, 8);
    return d;
}

/* LSD radix sort on the top 32 bits of the keys (8-bit digits, all
 * histograms in one pass; a digit every key shares costs nothing), then
 * an insertion pass that orders keys agreeing in those bits (values
 * within a few parts in a million of each other).  No data-dependent
 * branches in the passes: several times faster than a quicksort on the
 * KLL's blocks of random values.  If the insertion pass has real work
 * (many near-equal values), a quicksort finishes the job. */
static void radix_sort(double *a, size_t n)
{
    uint64_t *k = xmalloc(n * sizeof(uint64_t) * 2), *t = k + n, *sw;
    uint32_t (*hist)[256] = xcalloc(4, sizeof(*hist));
    size_t i, j, d, sum, c, moves = 0;

    for (i = 0; i < n; i++) {
        uint64_t u = dkey(a[i]);

        k[i] = u;
        for (d = 0; d < 4; d++)
            hist[d][(u >> (32 + 8 * d)) & 255]++;
    }
    for (d = 0; d < 4; d++) {
        uint32_t *h = hist[d];
        unsigned sh = 32 + 8 * (unsigned)d;

        if (h[(k[0] >> sh) & 255] == n)
            continue;           /* every key has this digit */
        for (sum = 0, c = 0; c < 256; c++) {
            size_t x = h[c];

            h[c] = (uint32_t)sum;
            sum += x;
        }
        for (i = 0; i < n; i++)
            t[h[(k[i] >> sh) & 255]++] = k[i];
        sw = k;
        k = t;
        t = sw;
    }
    for (i = 1; i < n && moves <= 4 * n; i++) {
        uint64_t v = k[i];

        for (j = i; j > 0 && k[j - 1] > v; j--, moves++)
            k[j] = k[j - 1];
        k[j] = v;
    }
    for (i = 0; i < n; i++)
        a[i] = dval(k[i]);
    if (moves > 4 * n)
        quick_sort(a, n);
    free(k < t ? k : t);
    free(hist);
}

void sort_doubles(double *a, size_t n)
{
    if (n < 256)
        quick_sort(a, n);
    else
        radix_sort(a, n);
}

/* ---- KLL ---- */

#define KLL_MINCAP 8

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Level capacities: k (2/3)^depth, rounded, at least 8; the top level
 * (depth 0) holds k. */
static void kll_caps(struct kll *s)
{
    uint32_t h;
    double f = 1.0;

    s->capacity = 0;
    for (h = s->nlevels; h-- > 0;) {
        size_t c = (size_t)(s->k * f + 0.5);

        s->lcap[h] = c < KLL_MINCAP ? KLL_MINCAP : c;
        s->capacity += s->lcap[h];
        f *= 2.0 / 3.0;
    }
}

void kll_init(struct kll *s, uint32_t k, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    s->k = k < KLL_MINCAP ? KLL_MINCAP : k;
    s->rng = seed;
    s->sw = 1;
    s->nlevels = 1;
    s->min = INFINITY;
    s->max = -INFINITY;
    kll_caps(s);
}

void kll_release(struct kll *s)
{
    uint32_t h;

    for (h = 0; h < KLL_MAXLEVELS; h++)
        free(s->lv[h]);
    free(s->tmp);
    memset(s, 0, sizeof(*s));
}

static void kll_add_level(struct kll *s)
{
    if (s->nlevels < KLL_MAXLEVELS) {
        s->nlevels++;
        kll_caps(s);
    }
}


static void level_reserve(struct kll *s, uint32_t h, size_t need)
{
    if (need > s->alloc[h])
        grow(&s->lv[h], &s->alloc[h], need, sizeof(double));
}

/* Merge the sorted run b[0..nb) into sorted level h (from the back, in
 * place). */
static void level_merge(struct kll *s, uint32_t h, const double *b,
                        size_t nb)
{
    size_t i = s->len[h], j = nb, o = s->len[h] + nb;
    double *a;

    level_reserve(s, h, o);
    a = s->lv[h];
    /* Branch-free while both runs last: random data would mispredict. */
    while (i > 0 && j > 0) {
        double x = a[i - 1], y = b[j - 1];
        int take_a = x > y;

        a[--o] = take_a ? x : y;
        i -= (size_t)take_a;
        j -= (size_t)!take_a;
    }
    while (j > 0)
        a[--o] = b[--j];
    s->len[h] += nb;
}

/* Halve level h: sort it (level 0), keep the smallest item back when the
 * count is odd, and promote every other item (odd or even ones, by a
 * coin) to level h+1, where each weighs twice as much. */
static void kll_compact(struct kll *s, uint32_t h)
{
    double *a = s->lv[h];
    size_t n = s->len[h], keep = n & 1, half = (n - keep) / 2, i;
    size_t off = keep + (splitmix64(&s->rng) & 1);

    if (h + 1 >= s->nlevels)
        kll_add_level(s);
    if (h == 0)
        sort_doubles(a, n);
    /* The promoted items a[off], a[off+2], ... are sorted: pack them in
     * place after the kept one, then merge into the level above. */
    for (i = 0; i < half; i++)
        a[keep + i] = a[off + 2 * i];
    level_merge(s, h + 1, a + keep, half);
    s->len[h] = keep;
    s->retained -= n - keep - half;
    s->compacted = 1;
}

static void kll_compress(struct kll *s)
{
    uint32_t h;

    while (s->retained >= s->capacity) {
        for (h = 0; h < s->nlevels; h++)
            if (s->len[h] >= s->lcap[h])
                break;
        if (h == s->nlevels)
            break;              /* cannot happen: sum len >= sum cap */
        if (h == KLL_MAXLEVELS - 1)
            break;
        kll_compact(s, h);
    }
}

/* Sampler weight for a sketch that has seen n values: the largest power
 * of two w <= 64 with sqrt(ln(200)/2 w / n) <= eps/3, i.e.
 * w <= n eps^2 / (9 ln(200) / 2). */
static uint32_t kll_sample_weight(const struct kll *s)
{
    double eps = kll_rank_error_k(s->k);
    double lim = (double)s->n * eps * eps / (4.5 * log(200.0));
    uint32_t w = 1;

    while (w < 64 && 2.0 * w <= lim)
        w *= 2;
    return w;
}

static void kll_add_all(struct kll *s, const double *v, size_t n)
{
    size_t i;

    level_reserve(s, 0, s->len[0] + n);
    for (i = 0; i < n; i++) {
        double x = v[i];

        s->lv[0][s->len[0] + i] = x;
        s->min = x < s->min ? x : s->min;
        s->max = x > s->max ? x : s->max;
    }
    s->len[0] += n;
    s->retained += n;
    s->n += n;
}

/* Values go to the open group at the end of level 0; a full group
 * leaves one value, picked at random, for level log2(w). */
static void kll_add_sampled(struct kll *s, const double *v, size_t n)
{
    uint32_t w = s->sw, h = 0, ns = 0;
    size_t i;
    double *l0;

    while (((uint32_t)1 << h) < w)
        h++;
    while (s->nlevels <= h)
        kll_add_level(s);
    level_reserve(s, 0, s->len[0] + n);
    if (n / w + 1 > s->tmpcap)
        grow(&s->tmp, &s->tmpcap, n / w + 1, sizeof(double));
    l0 = s->lv[0];
    for (i = 0; i < n; i++) {
        double x = v[i];

        s->min = x < s->min ? x : s->min;
        s->max = x > s->max ? x : s->max;
        l0[s->len[0]++] = x;
        if (++s->pend == w) {
            uint32_t r = (uint32_t)(splitmix64(&s->rng) & (w - 1));

            s->tmp[ns++] = l0[s->len[0] - w + r];
            s->len[0] -= w;
            s->pend = 0;
        }
    }
    s->n += n;
    s->retained += n - (size_t)ns * w + ns;
    s->svar += (double)ns * w * w;
    if (ns > 0) {
        sort_doubles(s->tmp, ns);
        level_merge(s, h, s->tmp, ns);
        s->compacted = 1;
    }
}

void kll_add_many(struct kll *s, const double *v, size_t n)
{
    size_t chunk;

    while (n > 0) {
        uint32_t w = kll_sample_weight(s);

        chunk = n < 4096 ? n : 4096;
        if (w != s->sw) {
            s->sw = w;          /* the open group's values stay, weight 1 */
            s->pend = 0;
        }
        if (w == 1)
            kll_add_all(s, v, chunk);
        else
            kll_add_sampled(s, v, chunk);
        if (s->retained >= s->capacity) {
            kll_compress(s);
            s->pend = 0;        /* level 0 may have been compacted */
        }
        v += chunk;
        n -= chunk;
    }
}

void kll_add_weighted(struct kll *s, double v, uint64_t w)
{
    uint32_t h;

    if (w == 0)
        return;
    s->pend = 0;
    s->min = v < s->min ? v : s->min;
    s->max = v > s->max ? v : s->max;
    s->n += w;
    for (h = 0; w != 0 && h < KLL_MAXLEVELS; h++, w >>= 1) {
        if ((w & 1) == 0)
            continue;
        while (h >= s->nlevels)
            kll_add_level(s);
        if (h == 0) {
            level_reserve(s, 0, s->len[0] + 1);
            s->lv[0][s->len[0]++] = v;
        } else {
            level_merge(s, h, &v, 1);
        }
        s->retained++;
    }
    if (s->retained >= s->capacity)
        kll_compress(s);
}

void kll_merge(struct kll *dst, const struct kll *src)
{
    uint32_t h;

    while (dst->nlevels < src->nlevels)
        kll_add_level(dst);
    for (h = 0; h < src->nlevels; h++) {
        if (src->len[h] == 0)
            continue;
        if (h == 0) {
            level_reserve(dst, 0, dst->len[0] + src->len[0]);
            memcpy(dst->lv[0] + dst->len[0], src->lv[0],
                   src->len[0] * sizeof(double));
            dst->len[0] += src->len[0];
        } else {
            level_merge(dst, h, src->lv[h], src->len[h]);
        }
    }
    dst->retained += src->retained;
    dst->n += src->n;
    dst->compacted |= src->compacted;
    dst->svar += src->svar;
    dst->pend = 0;
    dst->min = src->min < dst->min ? src->min : dst->min;
    dst->max = src->max > dst->max ? src->max : dst->max;
    kll_compress(dst);
}

struct wval {
    double v;
    uint64_t w;
};

static int cmp_wval(const void *a, const void *b)
{
    double x = ((const struct wval *)a)->v, y = ((const struct wval *)b)->v;

    return (x > y) - (x < y);
}

/* Every retained item with its weight, sorted by value; caller frees. */
static struct wval *kll_sorted(const struct kll *s, size_t *np)
{
    struct wval *a = xmalloc((s->retained + 1) * sizeof(*a));
    size_t n = 0, i;
    uint32_t h;

    for (h = 0; h < s->nlevels; h++)
        for (i = 0; i < s->len[h]; i++) {
            a[n].v = s->lv[h][i];
            a[n].w = (uint64_t)1 << h;
            n++;
        }
    qsort(a, n, sizeof(*a), cmp_wval);
    *np = n;
    return a;
}

uint64_t quantile_rank(double q, uint64_t n)
{
    double t = q * (double)n, r = nearbyint(t);
    uint64_t k;

    if (fabs(t - r) <= 1e-9 * (t > 1 ? t : 1))
        t = r;
    k = (uint64_t)ceil(t);
    return k < 1 ? 1 : k > n ? n : k;
}

void kll_quantiles(const struct kll *s, const double *q, size_t nq,
                   double *out)
{
    struct wval *a;
    size_t n, i, j;
    uint64_t cum;

    if (s->n == 0) {
        for (i = 0; i < nq; i++)
            out[i] = NAN;
        return;
    }
    a = kll_sorted(s, &n);
    for (i = 0; i < nq; i++) {
        uint64_t want = quantile_rank(q[i], s->n);

        if (q[i] <= 0) {
            out[i] = s->min;
            continue;
        }
        if (q[i] >= 1) {
            out[i] = s->max;
            continue;
        }
        /* Compaction keeps the total weight: the retained weights add
         * up to n. */
        cum = 0;
        for (j = 0; j < n; j++) {
            cum += a[j].w;
            if (cum >= want)
                break;
        }
        out[i] = j < n ? a[j].v : s->max;
    }
    free(a);
}

void kll_ranks(const struct kll *s, const double *x, size_t nx,
               int inclusive, double *out)
{
    struct wval *a;
    size_t n, i, j;
    uint64_t cum;

    a = kll_sorted(s, &n);
    for (i = 0; i < nx; i++) {
        cum = 0;
        for (j = 0; j < n && (a[j].v < x[i] ||
                              (inclusive && a[j].v == x[i])); j++)
            cum += a[j].w;
        out[i] = (double)cum;
    }
    free(a);
}

double kll_rank_error_k(uint32_t k)
{
    return 2.296 / pow((double)k, 0.9723);
}

double kll_rank_error(const struct kll *s)
{
    if (!s->compacted)
        return 0.0;
    return kll_rank_error_k(s->k) +
           sqrt(log(200.0) / 2 * s->svar) / (double)s->n;
}

void kll_serialize(const struct kll *s, struct buf *out)
{
    uint32_t h;
    size_t i;

    put_u64(out, s->k);
    put_u64(out, s->nlevels);
    put_u64(out, s->n);
    put_u64(out, s->rng);
    put_u64(out, (uint64_t)s->compacted);
    put_u64(out, s->sw);
    put_u64(out, s->pend);
    put_f64(out, s->svar);
    put_f64(out, s->min);
    put_f64(out, s->max);
    for (h = 0; h < s->nlevels; h++)
        put_u64(out, s->len[h]);
    for (h = 0; h < s->nlevels; h++)
        for (i = 0; i < s->len[h]; i++)
            put_f64(out, s->lv[h][i]);
}

int kll_deserialize(struct kll *s, const void *data, size_t n)
{
    const unsigned char *p = data, *end = p + n;
    uint64_t k, nl, cnt, rng, comp, len, w = 0, sw, pend;
    uint32_t h;
    size_t i;

    memset(s, 0, sizeof(*s));
    if (get_u64(&p, end, &k) < 0 || get_u64(&p, end, &nl) < 0 ||
        get_u64(&p, end, &cnt) < 0 || get_u64(&p, end, &rng) < 0 ||
        get_u64(&p, end, &comp) < 0 || get_u64(&p, end, &sw) < 0 ||
        get_u64(&p, end, &pend) < 0 || k < KLL_MINCAP || k > 65536 ||
        nl < 1 || nl > KLL_MAXLEVELS || sw < 1 || sw > 64 ||
        (sw & (sw - 1)) != 0 || pend >= sw)
        return -1;
    kll_init(s, (uint32_t)k, rng);
    s->n = cnt;
    s->compacted = comp != 0;
    s->sw = (uint32_t)sw;
    s->pend = (uint32_t)pend;
    if (get_f64(&p, end, &s->svar) < 0 || !(s->svar >= 0))
        goto bad;
    while (s->nlevels < nl)
        kll_add_level(s);
    if (get_f64(&p, end, &s->min) < 0 || get_f64(&p, end, &s->max) < 0)
        goto bad;
    for (h = 0; h < nl; h++) {
        if (get_u64(&p, end, &len) < 0 || len > (uint64_t)(end - p) / 8)
            goto bad;
        s->len[h] = len;
    }
    for (h = 0; h < nl; h++) {
        level_reserve(s, h, s->len[h] + 1);
        for (i = 0; i < s->len[h]; i++) {
            if (get_f64(&p, end, &s->lv[h][i]) < 0 ||
                s->lv[h][i] != s->lv[h][i])
                goto bad;
            if (h > 0 && i > 0 && s->lv[h][i] < s->lv[h][i - 1])
                goto bad;       /* levels above 0 are sorted */
            w += (uint64_t)1 << h;
        }
        s->retained += s->len[h];
    }
    if (p != end || w != s->n)
        goto bad;
    return 0;
bad:
    kll_release(s);
    return -1;
}
