/* profile.c -- per-column accumulators of the one pass (pipeline stage 2).
 * A scan sink: every worker keeps one state per column, fed borrowed
 * rows, and the states merge in part order.  A column starts exact (a
 * value -> count map: distinct, top values, quantiles, moments and type
 * all come from it at the end, so a repeated value costs one hash and one
 * probe) and past PROFILE_EXACT_MAX distinct values switches to sketches
 * (sketch.c).  profile_col()/profile_json() turn the merged state into
 * numbers once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "json.h"
#include "profile.h"
#include "sketch.h"
#include "util.h"

#define TEXT_CAP ((size_t)1 << 20)  /* bytes of distinct text kept exactly */
#define MG_K 1024                   /* Misra-Gries counters */
#define BLK 1024                    /* numeric values folded at a time */
#define KLL_SEED 0x6173736179ULL    /* fixed: same input, same sketch */

const double profile_q[PROFILE_NQ] = {
    0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99
};
const char *const profile_qname[PROFILE_NQ] = {
    "p1", "p5", "p25", "p50", "p75", "p95", "p99"
};

/* Types a column may still be (types.h): a value that fails one clears
 * its bit. */
enum {
    T_INT = VT_M_INT, T_NUM = VT_M_NUM, T_BOOL = VT_M_BOOL,
    T_DATE = VT_M_DATE, T_TS = VT_M_TS, T_ALL = VT_M_ALL
};

/* ---- state ---- */

/* Mean and variance: Chan et al.'s parallel update of (n, mean, m2), and
 * the sum in a Neumaier-compensated pair for the reported mean (so that
 * {1e16, 1, -1e16} averages to 1/3, not 0). */
struct moments {
    uint64_t n;
    double mean, m2;
    double sum, comp;
};

/* A column past its exact phase. */
struct psketch {
    struct hll hll;
    struct mg mg;               /* aux[0]: int64 value, aux[1]: double */
    struct kll kll;
    struct moments mom;
    unsigned nb;
    double blk[BLK];            /* numeric values not yet folded */
    /* Over distinct values (a value already in mg cannot move these). */
    int has_num, has_t, has_s;
    double dmin, dmax;
    int64_t imin, imax, tmin, tmax;
    size_t minlen, maxlen;
    int bad_utf8;               /* a value is not well-formed UTF-8 */
    char *smin, *smax;
    size_t sminlen, smaxlen, smincap, smaxcap;
    uint64_t kmin, kmax;        /* prefix keys of smin, smax */
};

struct pcol {
    struct psketch *sk;         /* NULL: exact phase, map holds all */
    unsigned mask;              /* types every non-null value parses as */
    uint64_t nulls;
    unsigned char *tokseen;     /* per null token: seen in this column */
    struct vmap map;
};

struct pstate {
    const struct profile *p;
    size_t ncols;
    uint64_t rows, skipped;
    struct pcol *cols;
    uint64_t *hash;             /* per column: this row's value hash */
    unsigned char *null;        /* per column: this row's value is null */
};

/* The finished numbers of one column, and the storage they point to. */
struct colfin {
    struct col_stats st;
    char *min_text, *max_text;
    size_t min_tlen, max_tlen;
    char **values;
    size_t *vlens;
    uint64_t *vcounts;
    char **top;
    size_t *tlens;
    uint64_t *tcounts;
    unsigned char *tcut;
    double edges[PROFILE_BINS + 1];
    uint64_t hcounts[PROFILE_BINS];
};

struct nulltok {
    char *s;
    size_t len;
};

struct profile {
    struct scan_sink sink;
    char **names;
    size_t ncols;
    struct nulltok *tok;
    size_t ntok;
    uint64_t lenmask;           /* bit n: a token of n bytes (n < 64) */
    int longtok;                /* a token of 64 bytes or more */
    size_t top_k;
    struct pstate *acc;         /* merged worker states */
    struct colfin *fin;         /* NULL until asked */
};

/* ---- small numeric helpers ---- */

static inline void nsum(double *s, double *c, double x)
{
    double t = *s + x;

    if (fabs(*s) >= fabs(x))
        *c += (*s - t) + x;
    else
        *c += (x - t) + *s;
    *s = t;
}

static void mom_merge(struct moments *a, const struct moments *b)
{
    double n, delta;

    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    n = (double)a->n + (double)b->n;
    delta = b->mean - a->mean;
    a->mean += delta * ((double)b->n / n);
    a->m2 += b->m2 + delta * delta * ((double)a->n * ((double)b->n / n));
    a->n += b->n;
    nsum(&a->sum, &a->comp, b->sum);
    nsum(&a->sum, &a->comp, b->comp);
}

static double mom_mean(const struct moments *m)
{
    return m->n ? (m->sum + m->comp) / (double)m->n : NAN;
}

static double mom_stddev(const struct moments *m)
{
    return m->n > 1 ? sqrt(m->m2 / (double)(m->n - 1)) : NAN;
}

/* UTF-8 characters: ASCII text is its length; else types.h decides
 * (and *bad is set when the bytes are not well-formed UTF-8). */
static size_t text_chars(const char *p, size_t n, int *bad)
{
    size_t i;
    unsigned char acc = 0;

    for (i = 0; i < n; i++)
        acc |= (unsigned char)p[i];
    if (acc < 0x80)
        return n;
    if (!utf8_valid(p, n))
        *bad = 1;
    return utf8_chars(p, n);
}

/* Bytewise order, a prefix first. */
static int text_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);

    return c != 0 ? c : (na > nb) - (na < nb);
}

/* ---- type inference (types.c) ---- */

static inline unsigned type_check(unsigned mask, const char *p, size_t n,
                                  int64_t *iv, double *dv)
{
    return vtype_narrow(mask, p, n, iv, dv);
}

/* Parse a value that passed type_check() under mask. */
static void parse_val(unsigned mask, const char *p, size_t n, int64_t *iv,
                      double *dv)
{
    *iv = 0;
    *dv = 0;
    if (mask & T_INT) {
        if (parse_int64(p, n, iv))
            *dv = (double)*iv;
    } else if (mask & T_NUM) {
        parse_number(p, n, dv);
    } else if (mask & T_DATE) {
        parse_date(p, n, iv);
    } else if (mask & T_TS) {
        parse_timestamp(p, n, iv);
    }
}

static enum vtype mask_type(unsigned mask)
{
    return vtype_of_mask(mask);
}

/* ---- exact phase: numbers of a value map ---- */

struct wnum {
    double d;
    int64_t i;
    uint64_t c;
};

static int cmp_wnum_d(const void *a, const void *b)
{
    double x = ((const struct wnum *)a)->d, y = ((const struct wnum *)b)->d;

    return (x > y) - (x < y);
}

static int cmp_wnum_i(const void *a, const void *b)
{
    int64_t x = ((const struct wnum *)a)->i, y = ((const struct wnum *)b)->i;

    return (x > y) - (x < y);
}

/* The map's values parsed under mask, sorted when asked; caller
 * frees. */
static struct wnum *map_numbers(const struct vmap *m, unsigned mask,
                                int sorted)
{
    struct wnum *a = xmalloc(((size_t)m->n + 1) * sizeof(*a));
    uint32_t k;

    for (k = 0; k < m->n; k++) {
        parse_val(mask, vmap_text(m, k), m->e[k].len, &a[k].i, &a[k].d);
        a[k].c = vmap_count(m, k);
    }
    if (sorted)
        qsort(a, m->n, sizeof(*a),
              (mask & T_INT) ? cmp_wnum_i : cmp_wnum_d);
    return a;
}

/* Exact weighted moments: the sum of v*c with its rounding error (fma)
 * compensated, then m2 in a second pass about the mean. */
static void wnum_moments(const struct wnum *a, size_t n, struct moments *m)
{
    size_t k;
    double mean, d;

    memset(m, 0, sizeof(*m));
    for (k = 0; k < n; k++) {
        double c = (double)a[k].c, p = a[k].d * c;

        nsum(&m->sum, &m->comp, p);
        m->comp += fma(a[k].d, c, -p);
        m->n += a[k].c;
    }
    if (m->n == 0)
        return;
    mean = (m->sum + m->comp) / (double)m->n;
    m->mean = mean;
    for (k = 0; k < n; k++) {
        d = a[k].d - mean;
        m->m2 += (double)a[k].c * d * d;
    }
}

/* ---- sketch phase ---- */

static void text_keep(char **dst, size_t *dlen, size_t *dcap,
                      const char *p, size_t n)
{
    if (n + 1 > *dcap)
        grow(dst, dcap, n + 1, 1);
    memcpy(*dst, p, n);
    (*dst)[n] = '\0';
    *dlen = n;
}

static void sk_len(struct psketch *sk, size_t ch)
{
    if (ch < sk->minlen)
        sk->minlen = ch;
    if (ch > sk->maxlen)
        sk->maxlen = ch;
}

/* The first 8 bytes, big-endian, zero-padded: keys compare as the text
 * does, except that a tie says nothing. */
static inline uint64_t prefix_key(const char *p, size_t n)
{
    uint64_t k = 0;
    size_t i;

    if (n >= 8) {
        memcpy(&k, p, 8);
        return __builtin_bswap64(k);
    }
    for (i = 0; i < n; i++)
        k |= (uint64_t)(unsigned char)p[i] << (56 - 8 * i);
    return k;
}

/* Text min/max of a value seen for the first time.  A prefix key
 * strictly between those of min and max settles it: most values. */
static void sk_text(struct psketch *sk, const char *p, size_t n)
{
    uint64_t key = prefix_key(p, n);

    if (sk->has_s && key > sk->kmin && key < sk->kmax)
        return;
    if (!sk->has_s) {
        text_keep(&sk->smin, &sk->sminlen, &sk->smincap, p, n);
        text_keep(&sk->smax, &sk->smaxlen, &sk->smaxcap, p, n);
        sk->kmin = sk->kmax = key;
        sk->has_s = 1;
        return;
    }
    if (text_cmp(p, n, sk->smin, sk->sminlen) < 0) {
        text_keep(&sk->smin, &sk->sminlen, &sk->smincap, p, n);
        sk->kmin = key;
    } else if (text_cmp(p, n, sk->smax, sk->smaxlen) > 0) {
        text_keep(&sk->smax, &sk->smaxlen, &sk->smaxcap, p, n);
        sk->kmax = key;
    }
}

/* Numeric or time min/max of a value seen for the first time. */
static void sk_minmax(struct psketch *sk, unsigned mask, int64_t iv,
                      double dv)
{
    if (mask & (T_INT | T_NUM)) {
        if (!sk->has_num) {
            sk->dmin = sk->dmax = dv;
            sk->imin = sk->imax = iv;
            sk->has_num = 1;
            return;
        }
        sk->dmin = dv < sk->dmin ? dv : sk->dmin;
        sk->dmax = dv > sk->dmax ? dv : sk->dmax;
        if (mask & T_INT) {
            sk->imin = iv < sk->imin ? iv : sk->imin;
            sk->imax = iv > sk->imax ? iv : sk->imax;
        }
    } else if (mask & (T_DATE | T_TS)) {
        if (!sk->has_t) {
            sk->tmin = sk->tmax = iv;
            sk->has_t = 1;
            return;
        }
        sk->tmin = iv < sk->tmin ? iv : sk->tmin;
        sk->tmax = iv > sk->tmax ? iv : sk->tmax;
    }
}

/* Fold the buffered values: block moments by the corrected two-pass
 * formula, merged with Chan's update; the values go to the KLL. */
static void sk_fold(struct psketch *sk)
{
    struct moments b;
    unsigned k, n = sk->nb;
    double d, d1 = 0, d2 = 0;

    if (n == 0)
        return;
    memset(&b, 0, sizeof(b));
    for (k = 0; k < n; k++)
        nsum(&b.sum, &b.comp, sk->blk[k]);
    b.n = n;
    b.mean = (b.sum + b.comp) / n;
    for (k = 0; k < n; k++) {
        d = sk->blk[k] - b.mean;
        d1 += d;
        d2 += d * d;
    }
    b.m2 = d2 - d1 * d1 / n;
    if (b.m2 < 0)
        b.m2 = 0;
    mom_merge(&sk->mom, &b);
    kll_add_many(&sk->kll, sk->blk, n);
    sk->nb = 0;
}

static void sk_free(struct psketch *sk)
{
    if (sk == NULL)
        return;
    hll_release(&sk->hll);
    mg_release(&sk->mg);
    kll_release(&sk->kll);
    free(sk->smin);
    free(sk->smax);
    free(sk);
}

static struct psketch *sk_new(void)
{
    struct psketch *sk = xcalloc(1, sizeof(*sk));

    hll_init(&sk->hll, HLL_P);
    mg_init(&sk->mg, MG_K);
    kll_init(&sk->kll, KLL_K, KLL_SEED);
    sk->minlen = SIZE_MAX;
    return sk;
}

static void put_aux(struct mg_item *it, int64_t iv, double dv)
{
    it->aux[0] = (uint64_t)iv;
    memcpy(&it->aux[1], &dv, sizeof(dv));
}

/* Leave the exact phase: everything the map knows goes to sketches. */
static void to_sketch(struct pcol *c)
{
    struct psketch *sk = sk_new();
    struct vmap *m = &c->map;
    struct wnum *num = NULL;
    struct mg_item *it;
    unsigned mask = c->mask == T_ALL ? 0 : c->mask;
    uint32_t k;
    int64_t iv;
    double dv;

    if (mask & (T_INT | T_NUM)) {
        double *ones = xmalloc(((size_t)m->n + 1) * sizeof(double));
        size_t nones = 0;

        num = map_numbers(m, mask, 0);
        wnum_moments(num, m->n, &sk->mom);
        /* Values seen once go to the KLL in one batch; the others with
         * their weights. */
        for (k = 0; k < m->n; k++) {
            if (num[k].c == 1)
                ones[nones++] = num[k].d;
            else
                kll_add_weighted(&sk->kll, num[k].d, num[k].c);
        }
        kll_add_many(&sk->kll, ones, nones);
        free(ones);
        free(num);
    }
    for (k = 0; k < m->n; k++) {
        const char *t = vmap_text(m, k);

        hll_add(&sk->hll, m->e[k].hash);
        sk_len(sk, text_chars(t, m->e[k].len, &sk->bad_utf8));
        sk_text(sk, t, m->e[k].len);
        parse_val(mask, t, m->e[k].len, &iv, &dv);
        sk_minmax(sk, mask, iv, dv);
        it = mg_add_new(&sk->mg, m->e[k].hash, t, m->e[k].len,
                        vmap_count(m, k));
        put_aux(it, iv, dv);
    }
    vmap_release(m);
    c->sk = sk;
}

static void sk_merge(struct psketch *a, struct psketch *b)
{
    sk_fold(a);
    sk_fold(b);
    hll_merge(&a->hll, &b->hll);
    mg_merge(&a->mg, &b->mg);
    kll_merge(&a->kll, &b->kll);
    mom_merge(&a->mom, &b->mom);
    a->bad_utf8 |= b->bad_utf8;
    if (b->has_num) {
        sk_minmax(a, T_INT, b->imin, b->dmin);
        sk_minmax(a, T_INT, b->imax, b->dmax);
    }
    if (b->has_t) {
        sk_minmax(a, T_DATE, b->tmin, 0);
        sk_minmax(a, T_DATE, b->tmax, 0);
    }
    if (b->has_s) {
        sk_text(a, b->smin, b->sminlen);
        sk_text(a, b->smax, b->smaxlen);
        sk_len(a, b->minlen);
        sk_len(a, b->maxlen);
    }
}

/* ---- per value ---- */

/* Share the value just parsed with the record's later sinks (scan.h):
 * the type the narrowed mask m kept is one that parsed in this call. */
static inline void publish(const struct row *row, size_t i, unsigned m,
                           int64_t iv, double dv)
{
    struct typed_row *tr = row->typed;
    struct typed_cell *c;

    if (tr == NULL || i >= tr->n || !(m & (T_INT | T_NUM | T_DATE | T_TS)))
        return;
    c = &tr->cell[i];
    c->seq = tr->seq;
    if (m & T_INT) {
        c->v.type = VT_INTEGER;
        c->v.i = iv;
        c->v.d = (double)iv;
    } else if (m & T_NUM) {
        c->v.type = VT_NUMBER;
        c->v.i = 0;
        c->v.d = dv;
    } else {
        c->v.type = (m & T_DATE) ? VT_DATE : VT_TIMESTAMP;
        c->v.i = iv;
        c->v.d = (double)iv;
    }
}

/* A value seen before was parsed when it was first seen, under the
 * column's mask then; the mask has only narrowed since, and every type
 * left in it is one that value parsed as, so publish() picks a type
 * whose parse is the one kept: an integer's double is the one
 * parse_number gives, and a date (timestamp) column's values were
 * parsed as dates (timestamps) since a date is never a timestamp. */

/* A value the map has not seen. */
static void exact_new(struct pcol *c, const char *v, size_t n, uint64_t h,
                      const struct row *row, size_t i)
{
    int64_t iv = 0;
    double dv = 0;
    struct vmap_aux *a;
    uint32_t k;

    if (c->mask != 0) {
        c->mask = type_check(c->mask, v, n, &iv, &dv);
        publish(row, i, c->mask, iv, dv);
    }
    k = vmap_insert(&c->map, h, v, n, 1);
    a = vmap_aux_of(&c->map, &c->map.slot[c->map.e[k].slot]);
    a->i = iv;
    a->d = dv;
    if (c->map.n > PROFILE_EXACT_MAX || c->map.tlen > TEXT_CAP)
        to_sketch(c);
}

/* A value of a column in its sketch phase: only values new to the
 * Misra-Gries table are parsed, measured and compared; every value
 * feeds the moments and the quantile sketch.  A repeat shares the
 * parse its item kept (see publish_again). */
static void sketch_value(struct pcol *c, const char *v, size_t n,
                         uint64_t h, const struct row *row, size_t i)
{
    struct psketch *sk = c->sk;
    uint32_t slot;
    struct mg_item *it = mg_lookup(&sk->mg, h, &slot);
    int64_t iv = 0;
    double dv = 0;

    if (it != NULL) {
        it->count++;
        sk->mg.total++;
        memcpy(&dv, &it->aux[1], sizeof(dv));
        publish(row, i, c->mask, (int64_t)it->aux[0], dv);
        if (!(c->mask & (T_INT | T_NUM)))
            return;
    } else {
        hll_add(&sk->hll, h);
        if (c->mask != 0) {
            c->mask = type_check(c->mask, v, n, &iv, &dv);
            publish(row, i, c->mask, iv, dv);
        }
        if (c->mask != 0) {
            sk_len(sk, n);      /* a typed value is ASCII */
            sk_minmax(sk, c->mask, iv, dv);
        } else {
            sk_len(sk, text_chars(v, n, &sk->bad_utf8));
        }
        sk_text(sk, v, n);
        put_aux(mg_insert(&sk->mg, slot, h, v, n, 1), iv, dv);
        if (!(c->mask & (T_INT | T_NUM)))
            return;
    }
    sk->blk[sk->nb++] = dv;
    if (sk->nb == BLK)
        sk_fold(sk);
}

/* 0: not null; 1: the empty field; 2 + k: null token k. */
static inline int null_kind(const struct profile *p, const char *v, size_t n)
{
    size_t k;

    if (n == 0)
        return 1;
    if (p->ntok == 0 || (n < 64 ? !((p->lenmask >> n) & 1) : !p->longtok))
        return 0;
    for (k = 0; k < p->ntok; k++)
        if (p->tok[k].len == n && memcmp(p->tok[k].s, v, n) == 0)
            return 2 + (int)k;
    return 0;
}

/* Two passes over the row: hash every value and prefetch the slot its
 * probe starts at, then probe.  The probes' cache misses (a map or a
 * Misra-Gries index per column) then overlap instead of queueing. */
static int sink_row(void *ws, const struct row *row, struct assay_err *err)
{
    struct pstate *st = ws;
    const struct profile *p = st->p;
    size_t i;

    (void)err;
    if (row->nfields != st->ncols) {
        st->skipped++;
        return 0;
    }
    st->rows++;
    for (i = 0; i < st->ncols; i++) {
        const struct pcol *c = &st->cols[i];
        size_t n = row->len[i];
        uint64_t h;
        int nk = null_kind(p, row->field[i], n);

        st->null[i] = nk != 0;
        if (nk > 1)
            c->tokseen[nk - 2] = 1;
        if (nk != 0)
            continue;
        h = hash64(row->field[i], n);
        st->hash[i] = h;
        if (c->sk != NULL) {
            __builtin_prefetch(&c->sk->mg.slot[(uint32_t)h & c->sk->mg.mask]);
            __builtin_prefetch(&c->sk->hll.reg[h >> (64 - HLL_P)]);
        } else {
            __builtin_prefetch(&c->map.slot[(uint32_t)h & c->map.mask]);
        }
    }
    for (i = 0; i < st->ncols; i++) {
        struct pcol *c = &st->cols[i];
        struct vmap_slot *e;
        uint64_t h = st->hash[i];

        if (st->null[i]) {
            c->nulls++;
            continue;
        }
        if (c->sk != NULL) {
            sketch_value(c, row->field[i], row->len[i], h, row, i);
            continue;
        }
        e = vmap_find(&c->map, h);
        if (e != NULL) {
            const struct vmap_aux *a = vmap_aux_of(&c->map, e);

            e->count++;
            publish(row, i, c->mask, a->i, a->d);
        } else
            exact_new(c, row->field[i], row->len[i], h, row, i);
    }
    return 0;
}

/* ---- worker states ---- */

static struct pstate *state_new(const struct profile *p)
{
    struct pstate *st = xcalloc_padded(1, sizeof(*st));
    size_t i;

    /* written for every record: padded against false sharing */
    st->p = p;
    st->ncols = p->ncols;
    st->cols = xcalloc_padded(p->ncols + 1, sizeof(*st->cols));
    st->hash = xcalloc_padded(p->ncols + 1, sizeof(uint64_t));
    st->null = xcalloc_padded(p->ncols + 1, 1);
    for (i = 0; i < p->ncols; i++) {
        st->cols[i].mask = T_ALL;
        st->cols[i].tokseen = xcalloc(p->ntok + 1, 1);
        vmap_init(&st->cols[i].map);
    }
    return st;
}

static void state_free(struct pstate *st)
{
    size_t i;

    if (st == NULL)
        return;
    for (i = 0; i < st->ncols; i++) {
        vmap_release(&st->cols[i].map);
        sk_free(st->cols[i].sk);
        free(st->cols[i].tokseen);
    }
    free_padded(st->cols);
    free_padded(st->hash);
    free_padded(st->null);
    free_padded(st);
}

static void col_merge(const struct profile *p, struct pcol *a, struct pcol *b)
{
    size_t k;

    a->nulls += b->nulls;
    for (k = 0; k < p->ntok; k++)
        a->tokseen[k] |= b->tokseen[k];
    if (a->sk == NULL && b->sk == NULL) {
        vmap_merge(&a->map, &b->map);
        a->mask &= b->mask;
        if (a->map.n > PROFILE_EXACT_MAX || a->map.tlen > TEXT_CAP)
            to_sketch(a);
        return;
    }
    /* Each side parses its own values under its own mask first. */
    if (a->sk == NULL)
        to_sketch(a);
    if (b->sk == NULL)
        to_sketch(b);
    a->mask &= b->mask;
    sk_merge(a->sk, b->sk);
}

static void state_merge(struct pstate *a, struct pstate *b)
{
    size_t i;

    a->rows += b->rows;
    a->skipped += b->skipped;
    for (i = 0; i < a->ncols; i++)
        col_merge(a->p, &a->cols[i], &b->cols[i]);
}

static void *sink_worker_new(void *self, unsigned worker)
{
    (void)worker;
    return state_new(self);
}

static void fin_free(struct profile *p);

static void sink_merge(void *self, void *ws, uint64_t rec_off,
                       uint64_t line_off)
{
    struct profile *p = self;

    (void)rec_off;
    (void)line_off;
    fin_free(p);
    if (p->acc == NULL) {
        p->acc = ws;
        return;
    }
    state_merge(p->acc, ws);
    state_free(ws);
}

/* ---- finishing: state -> numbers ---- */

static char *dup_text(const char *p, size_t n)
{
    char *s = xmalloc(n + 1);

    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void fin_set_text(struct colfin *f, const char *lo, size_t nlo,
                         const char *hi, size_t nhi)
{
    f->min_text = dup_text(lo, nlo);
    f->min_tlen = nlo;
    f->max_text = dup_text(hi, nhi);
    f->max_tlen = nhi;
}

static void fin_top_alloc(struct colfin *f, size_t n)
{
    f->top = xcalloc(n + 1, sizeof(char *));
    f->tlens = xcalloc(n + 1, sizeof(size_t));
    f->tcounts = xcalloc(n + 1, sizeof(uint64_t));
    f->tcut = xcalloc(n + 1, 1);
}

/* Histogram edges over [min, max]: one bin per value for integers that
 * span at most PROFILE_BINS values, else PROFILE_BINS equal widths. */
static size_t hist_edges(struct colfin *f, int integer)
{
    const struct col_stats *st = &f->st;
    size_t nb, k;
    double w;

    if (integer && st->imax - st->imin < PROFILE_BINS) {
        nb = (size_t)(st->imax - st->imin) + 1;
        for (k = 0; k <= nb; k++)
            f->edges[k] = (double)(st->imin + (int64_t)k);
        return nb;
    }
    if (st->min == st->max) {
        f->edges[0] = f->edges[1] = st->min;
        return 1;
    }
    nb = PROFILE_BINS;
    w = (st->max - st->min) / (double)nb;
    for (k = 0; k < nb; k++)
        f->edges[k] = st->min + w * (double)k;
    f->edges[nb] = st->max;
    return nb;
}

static size_t hist_bin(const struct colfin *f, size_t nb, double v)
{
    size_t lo = 0, hi = nb;

    /* The last bin is closed; otherwise [edge[k], edge[k+1]). */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;

        if (v >= f->edges[mid])
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void fin_numbers_exact(struct colfin *f, const struct vmap *m,
                              unsigned mask)
{
    struct col_stats *st = &f->st;
    struct wnum *a = map_numbers(m, mask, 1);
    struct moments mo;
    size_t n = m->n, k, j = 0, nb;
    uint64_t cum = 0;

    wnum_moments(a, n, &mo);
    st->has_num = 1;
    st->min = a[0].d;
    st->max = a[n - 1].d;
    st->imin = a[0].i;
    st->imax = a[n - 1].i;
    st->mean = mom_mean(&mo);
    st->stddev = mom_stddev(&mo);
    st->has_quantiles = 1;
    st->quantiles_exact = 1;
    for (k = 0; k < PROFILE_NQ; k++) {
        uint64_t want = quantile_rank(profile_q[k], mo.n);

        while (cum + a[j].c < want) {
            cum += a[j].c;
            j++;
        }
        st->quantiles[k] = a[j].d;
    }
    nb = hist_edges(f, (mask & T_INT) != 0);
    for (k = 0; k < n; k++)
        f->hcounts[hist_bin(f, nb, a[k].d)] += a[k].c;
    st->nbins = nb;
    st->hist_exact = 1;
    free(a);
}

/* Top values of the map: by count, ties in first-appearance order. */
static void fin_top_exact(struct colfin *f, const struct vmap *m, size_t want)
{
    uint32_t *idx = xmalloc((want + 1) * sizeof(uint32_t));
    size_t n = 0, j, k;
    uint32_t i;

    for (i = 0; i < m->n; i++) {
        uint64_t c = vmap_count(m, i);

        if (n == want && (want == 0 || c <= vmap_count(m, idx[n - 1])))
            continue;
        j = n < want ? n++ : n - 1;
        while (j > 0 && vmap_count(m, idx[j - 1]) < c) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    fin_top_alloc(f, n);
    for (k = 0; k < n; k++) {
        f->top[k] = dup_text(vmap_text(m, idx[k]), m->e[idx[k]].len);
        f->tlens[k] = m->e[idx[k]].len;
        f->tcounts[k] = vmap_count(m, idx[k]);
    }
    f->st.ntop = n;
    f->st.top_exact = 1;
    free(idx);
}

static void fin_exact(const struct profile *p, struct colfin *f,
                      const struct pcol *c)
{
    struct col_stats *st = &f->st;
    const struct vmap *m = &c->map;
    size_t lo = SIZE_MAX, hi = 0, ch;
    uint32_t k, kmin = 0, kmax = 0;
    int bad = 0;

    st->distinct = m->n;
    st->distinct_exact = 1;
    st->top_exact = 1;
    for (k = 0; k < m->n; k++) {
        const char *t = vmap_text(m, k);
        uint32_t len = m->e[k].len;

        ch = text_chars(t, len, &bad);
        lo = ch < lo ? ch : lo;
        hi = ch > hi ? ch : hi;
        if (text_cmp(t, len, vmap_text(m, kmin), m->e[kmin].len) < 0)
            kmin = k;
        if (text_cmp(t, len, vmap_text(m, kmax), m->e[kmax].len) > 0)
            kmax = k;
    }
    st->invalid_utf8 = bad;
    if (m->n == 0)
        return;
    st->min_len = lo;
    st->max_len = hi;
    if (st->type == VT_INTEGER || st->type == VT_NUMBER) {
        fin_numbers_exact(f, m, c->mask);
    } else if (st->type == VT_DATE || st->type == VT_TIMESTAMP) {
        int64_t iv;
        double dv;

        st->tmin = INT64_MAX;
        st->tmax = INT64_MIN;
        for (k = 0; k < m->n; k++) {
            parse_val(c->mask, vmap_text(m, k), m->e[k].len, &iv, &dv);
            st->tmin = iv < st->tmin ? iv : st->tmin;
            st->tmax = iv > st->tmax ? iv : st->tmax;
        }
    } else {
        fin_set_text(f, vmap_text(m, kmin), m->e[kmin].len,
                     vmap_text(m, kmax), m->e[kmax].len);
    }
    if (m->n <= PROFILE_VALUES_MAX) {
        f->values = xcalloc((size_t)m->n + 1, sizeof(char *));
        f->vlens = xcalloc((size_t)m->n + 1, sizeof(size_t));
        f->vcounts = xcalloc((size_t)m->n + 1, sizeof(uint64_t));
        for (k = 0; k < m->n; k++) {
            f->values[k] = dup_text(vmap_text(m, k), m->e[k].len);
            f->vlens[k] = m->e[k].len;
            f->vcounts[k] = vmap_count(m, k);
        }
        st->nvalues = m->n;
    }
    fin_top_exact(f, m, p->top_k);
}

static void fin_numbers_sketch(struct colfin *f, struct psketch *sk,
                               int integer)
{
    struct col_stats *st = &f->st;
    double x[PROFILE_BINS], r[PROFILE_BINS];
    size_t nb, k;

    st->has_num = 1;
    st->min = sk->dmin;
    st->max = sk->dmax;
    st->imin = sk->imin;
    st->imax = sk->imax;
    st->mean = mom_mean(&sk->mom);
    st->stddev = mom_stddev(&sk->mom);
    st->has_quantiles = 1;
    kll_quantiles(&sk->kll, profile_q, PROFILE_NQ, st->quantiles);
    st->quantile_rank_error = kll_rank_error(&sk->kll);
    st->quantiles_exact = st->quantile_rank_error == 0;
    nb = hist_edges(f, integer);
    /* bin k = values < edge[k+1] minus values < edge[k]; last closed */
    for (k = 1; k < nb; k++)
        x[k - 1] = f->edges[k];
    kll_ranks(&sk->kll, x, nb - 1, 0, r);
    for (k = 0; k < nb; k++) {
        double below = k == 0 ? 0 : r[k - 1];
        double upto = k + 1 < nb ? r[k] : (double)sk->kll.n;

        f->hcounts[k] = (uint64_t)(upto - below);
    }
    st->nbins = nb;
    st->hist_exact = st->quantiles_exact;
}

static void fin_sketch(const struct profile *p, struct colfin *f,
                       struct pcol *c)
{
    struct col_stats *st = &f->st;
    struct psketch *sk = c->sk;
    uint32_t *idx = xmalloc((p->top_k + 1) * sizeof(uint32_t));
    uint64_t nonnull = st->count - st->nulls;
    double est;
    size_t n, k;

    sk_fold(sk);
    est = hll_estimate(&sk->hll);
    st->distinct = (uint64_t)llround(est);
    if (st->distinct > nonnull)
        st->distinct = nonnull;
    st->distinct_exact = 0;
    st->distinct_error = hll_stderr(HLL_P);
    st->invalid_utf8 = sk->bad_utf8;
    if (sk->has_s) {
        st->min_len = sk->minlen;
        st->max_len = sk->maxlen;
    }
    if ((st->type == VT_INTEGER || st->type == VT_NUMBER) && sk->has_num) {
        fin_numbers_sketch(f, sk, st->type == VT_INTEGER);
    } else if ((st->type == VT_DATE || st->type == VT_TIMESTAMP) &&
               sk->has_t) {
        st->tmin = sk->tmin;
        st->tmax = sk->tmax;
    } else if (sk->has_s) {
        fin_set_text(f, sk->smin, sk->sminlen, sk->smax, sk->smaxlen);
    }
    n = mg_top(&sk->mg, p->top_k, idx);
    fin_top_alloc(f, n);
    for (k = 0; k < n; k++) {
        const struct mg_item *it = &sk->mg.it[idx[k]];

        f->top[k] = dup_text(sk->mg.text + it->off, it->len);
        f->tlens[k] = it->len;
        f->tcounts[k] = it->count;
        f->tcut[k] = (unsigned char)it->cut;
    }
    st->ntop = n;
    st->top_exact = sk->mg.decr == 0;
    st->top_error = sk->mg.decr;
    free(idx);
}

static void fin_text_minmax(struct colfin *f)
{
    struct col_stats *st = &f->st;
    char lo[48], hi[48];
    int date = st->type == VT_DATE;

    if (f->min_text != NULL)
        return;
    if (st->type == VT_INTEGER && st->has_num) {
        snprintf(lo, sizeof(lo), "%lld", (long long)st->imin);
        snprintf(hi, sizeof(hi), "%lld", (long long)st->imax);
    } else if (st->type == VT_NUMBER && st->has_num) {
        fmt_double(st->min, lo, sizeof(lo));
        fmt_double(st->max, hi, sizeof(hi));
    } else if ((st->type == VT_DATE || st->type == VT_TIMESTAMP) &&
               st->count > st->nulls) {
        profile_fmt_time(st->tmin, date, lo, sizeof(lo));
        profile_fmt_time(st->tmax, date, hi, sizeof(hi));
    } else {
        return;
    }
    fin_set_text(f, lo, strlen(lo), hi, strlen(hi));
}

static void fin_col(struct profile *p, struct colfin *f, struct pcol *c,
                    size_t i)
{
    struct col_stats *st = &f->st;

    memset(f, 0, sizeof(*f));
    st->name = p->names[i];
    st->count = p->acc->rows;
    st->nulls = c->nulls;
    st->type = mask_type(c->mask);
    st->mean = st->stddev = NAN;
    st->min = st->max = NAN;
    for (i = 0; i < PROFILE_NQ; i++)
        st->quantiles[i] = NAN;
    if (c->sk == NULL)
        fin_exact(p, f, c);
    else
        fin_sketch(p, f, c);
    fin_text_minmax(f);
    st->min_text = f->min_text;
    st->max_text = f->max_text;
    st->values = (const char *const *)f->values;
    st->value_lens = f->vlens;
    st->value_counts = f->vcounts;
    st->top_values = (const char *const *)f->top;
    st->top_lens = f->tlens;
    st->top_counts = f->tcounts;
    st->top_cut = f->tcut;
    st->hist_edges = st->nbins ? f->edges : NULL;
    st->hist_counts = st->nbins ? f->hcounts : NULL;
}

static void fin_free(struct profile *p)
{
    size_t i, k;

    if (p->fin == NULL)
        return;
    for (i = 0; i < p->ncols; i++) {
        struct colfin *f = &p->fin[i];

        free(f->min_text);
        free(f->max_text);
        for (k = 0; k < f->st.nvalues; k++)
            free(f->values[k]);
        free(f->values);
        free(f->vlens);
        free(f->vcounts);
        for (k = 0; k < f->st.ntop; k++)
            free(f->top[k]);
        free(f->top);
        free(f->tlens);
        free(f->tcounts);
        free(f->tcut);
    }
    free(p->fin);
    p->fin = NULL;
}

static void finish(struct profile *p)
{
    size_t i;

    if (p->fin != NULL)
        return;
    if (p->acc == NULL)
        p->acc = state_new(p);
    p->fin = xcalloc(p->ncols + 1, sizeof(*p->fin));
    for (i = 0; i < p->ncols; i++)
        fin_col(p, &p->fin[i], &p->acc->cols[i], i);
}

/* ---- public ---- */

enum vtype profile_schema_type(struct profile *p, size_t i)
{
    const struct pcol *c;
    unsigned mask;
    size_t k;
    int64_t iv;
    double dv;

    if (i >= p->ncols)
        return VT_STRING;
    finish(p);
    c = &p->acc->cols[i];
    mask = c->mask;
    /* the null tokens met were values under the fixed policy */
    for (k = 0; k < p->ntok && mask != 0; k++)
        if (c->tokseen[k])
            mask = vtype_narrow(mask, p->tok[k].s, p->tok[k].len, &iv, &dv);
    return vtype_of_mask(mask);
}

struct profile *profile_new_cols(const char *const *names, size_t ncols,
                                 const struct profile_opts *opts)
{
    struct profile *p = xcalloc(1, sizeof(*p));
    size_t i;

    p->ncols = ncols;
    p->names = xcalloc(ncols + 1, sizeof(char *));
    for (i = 0; i < ncols; i++)
        p->names[i] = xstrdup(names[i]);
    p->top_k = opts != NULL && opts->top_k > 0 ? opts->top_k : 10;
    if (opts != NULL && opts->nnull_values > 0) {
        p->tok = xcalloc(opts->nnull_values, sizeof(*p->tok));
        for (i = 0; i < opts->nnull_values; i++) {
            size_t n = strlen(opts->null_values[i]);

            p->tok[p->ntok].s = xstrdup(opts->null_values[i]);
            p->tok[p->ntok].len = n;
            p->ntok++;
            if (n < 64)
                p->lenmask |= (uint64_t)1 << n;
            else
                p->longtok = 1;
        }
    }
    p->sink.name = "profile";
    p->sink.self = p;
    p->sink.worker_new = sink_worker_new;
    p->sink.row = sink_row;
    p->sink.merge = sink_merge;
    return p;
}

struct profile *profile_new(const struct scan *s,
                            const struct profile_opts *opts)
{
    size_t i, n = scan_ncols(s);
    const char **names = xcalloc(n + 1, sizeof(char *));
    struct profile *p;

    for (i = 0; i < n; i++)
        names[i] = scan_colname(s, i);
    p = profile_new_cols(names, n, opts);
    free(names);
    return p;
}

void profile_free(struct profile *p)
{
    size_t i;

    if (p == NULL)
        return;
    fin_free(p);
    state_free(p->acc);
    for (i = 0; i < p->ncols; i++)
        free(p->names[i]);
    free(p->names);
    for (i = 0; i < p->ntok; i++)
        free(p->tok[i].s);
    free(p->tok);
    free(p);
}

const struct scan_sink *profile_sink(struct profile *p)
{
    return &p->sink;
}

size_t profile_ncols(const struct profile *p)
{
    return p->ncols;
}

uint64_t profile_rows(const struct profile *p)
{
    return p->acc != NULL ? p->acc->rows : 0;
}

uint64_t profile_skipped(const struct profile *p)
{
    return p->acc != NULL ? p->acc->skipped : 0;
}

const struct col_stats *profile_col(struct profile *p, size_t i)
{
    if (i >= p->ncols)
        return NULL;
    finish(p);
    return &p->fin[i].st;
}

/* ---- JSON ---- */

static struct json_t *num_json(enum vtype t, double v)
{
    if (t == VT_INTEGER && v == v && fabs(v) < 9.2e18)
        return j_int((long long)v);
    return j_num(v);
}

static struct json_t *minmax_json(const struct colfin *f, int max)
{
    const struct col_stats *st = &f->st;

    if (st->type == VT_INTEGER && st->has_num)
        return j_int((long long)(max ? st->imax : st->imin));
    if (st->type == VT_NUMBER && st->has_num)
        return j_num(max ? st->max : st->min);
    if (f->min_text == NULL)
        return j_null();
    return max ? j_strn(f->max_text, f->max_tlen)
               : j_strn(f->min_text, f->min_tlen);
}

static struct json_t *hist_json(const struct col_stats *st)
{
    struct json_t *h = j_obj(), *e = j_arr(), *c = j_arr();
    size_t k;

    for (k = 0; k <= st->nbins; k++)
        j_push(e, j_num(st->hist_edges[k]));
    for (k = 0; k < st->nbins; k++)
        j_push(c, j_int((long long)st->hist_counts[k]));
    j_set(h, "edges", e);
    j_set(h, "counts", c);
    j_set(h, "exact", j_bool(st->hist_exact));
    return h;
}

static struct json_t *col_json(const struct colfin *f)
{
    const struct col_stats *st = &f->st;
    struct json_t *o = j_obj(), *q, *top;
    int any = st->count > st->nulls;
    size_t k;

    j_set(o, "name", j_str(st->name));
    j_set(o, "type", j_str(vtype_name(st->type)));
    j_set(o, "count", j_int((long long)st->count));
    j_set(o, "nulls", j_int((long long)st->nulls));
    j_set(o, "distinct", j_int((long long)st->distinct));
    j_set(o, "distinct_exact", j_bool(st->distinct_exact));
    j_set(o, "distinct_error", j_num(st->distinct_error));
    j_set(o, "min", minmax_json(f, 0));
    j_set(o, "max", minmax_json(f, 1));
    j_set(o, "mean", st->has_num ? j_num(st->mean) : j_null());
    j_set(o, "stddev", st->has_num ? j_num(st->stddev) : j_null());
    if (st->has_quantiles) {
        q = j_obj();
        for (k = 0; k < PROFILE_NQ; k++)
            j_set(q, profile_qname[k], num_json(st->type, st->quantiles[k]));
        j_set(o, "quantiles", q);
        j_set(o, "quantiles_exact", j_bool(st->quantiles_exact));
        j_set(o, "quantile_rank_error", j_num(st->quantile_rank_error));
    } else {
        j_set(o, "quantiles", j_null());
    }
    top = j_arr();
    for (k = 0; k < st->ntop; k++) {
        struct json_t *t = j_obj();

        j_set(t, "value", j_strn(st->top_values[k], st->top_lens[k]));
        j_set(t, "count", j_int((long long)st->top_counts[k]));
        if (st->top_cut[k])
            j_set(t, "truncated", j_bool(1));
        j_push(top, t);
    }
    j_set(o, "top", top);
    j_set(o, "top_exact", j_bool(st->top_exact));
    j_set(o, "top_error", j_int((long long)st->top_error));
    j_set(o, "histogram", st->nbins ? hist_json(st) : j_null());
    j_set(o, "min_length", any ? j_int((long long)st->min_len) : j_null());
    if (st->type == VT_STRING)
        j_set(o, "valid_utf8", j_bool(!st->invalid_utf8));
    j_set(o, "max_length", any ? j_int((long long)st->max_len) : j_null());
    return o;
}

struct json_t *profile_json(struct profile *p)
{
    struct json_t *o = j_obj(), *cols = j_arr();
    size_t i;

    finish(p);
    for (i = 0; i < p->ncols; i++)
        j_push(cols, col_json(&p->fin[i]));
    j_set(o, "columns", cols);
    return o;
}

/* ---- time text ---- */

/* H. Hinnant's civil_from_days. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void profile_fmt_time(int64_t usec, int date_only, char *out, size_t n)
{
    const int64_t day = 86400000000LL;
    int64_t days = usec / day, rem = usec % day, secs;
    int y, m, d;

    if (rem < 0) {
        rem += day;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (date_only) {
        snprintf(out, n, "%04d-%02d-%02d", y, m, d);
        return;
    }
    secs = rem / 1000000;
    if (rem % 1000000 != 0)
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, m, d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                 (int)(rem % 1000000));
    else
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}
