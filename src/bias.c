/* bias.c -- SageMaker-Clarify bias metrics (a scan sink, pipeline stage
 * after profile and rules).  One pass fills a contingency table
 * {facet value} x {label value} x {prediction} x {group} per worker; the
 * states merge in part order; every metric is then computed from the
 * table (bias_compute()), except FlipTest, which keeps a bounded copy of
 * the numeric feature rows.  Owns the spec copy, the tables and the
 * results; statistics come from stats.c.  Definitions: BIAS-METRICS.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bias_int.h"
#include "json.h"
#include "stats.h"
#include "types.h"
#include "util.h"

#define ID_MISSING UINT32_MAX
/* FlipTest keeps feature rows in memory: at most this many values (8
 * bytes each), else FT reports an error instead of growing further. */
#define FT_MAX_VALUES ((size_t)1 << 24)
#define CONF 0.95
/* The multi-class confusion matrix goes into the JSON only up to this
 * many distinct label/prediction values (it has n^2 cells). */
#define CONFUSION_MAX 64

/* ---- interning: field text -> small ids, first appearance first ----
 * Keys are canonical so that the matching rule of BIAS-METRICS.md holds
 * by plain key equality: a field that parses as a number becomes 'N' and
 * its 8 bytes (so "1" == "1.0"); anything else 'S', a length and the
 * bytes (exact text, no trimming).  A tuple (intersectional facet) is the
 * concatenation of its components' keys. */
struct dent {
    char *key;
    uint32_t klen;
    uint64_t hash;
    char *text;                 /* first-seen text; tuples joined by ',' */
    int numeric;                /* one numeric component: num is valid */
    double num;
    unsigned char hit;          /* equals one of the spec's values */
    uint64_t first;             /* in a worker's column dict: the record
                                   it was first seen in */
};

struct dict {
    struct dent *e;
    size_t n, cap;
    uint32_t *slot;             /* 0: empty, else index + 1 */
    size_t nslot;
};

static uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static uint32_t dict_find(const struct dict *d, const char *key,
                          uint32_t klen, uint64_t h)
{
    size_t i;
    uint32_t s;

    if (d->nslot == 0)
        return ID_MISSING;
    for (i = h & (d->nslot - 1);; i = (i + 1) & (d->nslot - 1)) {
        s = d->slot[i];
        if (s == 0)
            return ID_MISSING;
        if (d->e[s - 1].hash == h && d->e[s - 1].klen == klen &&
            memcmp(d->e[s - 1].key, key, klen) == 0)
            return s - 1;
    }
}

static void dict_rehash(struct dict *d)
{
    size_t i, j;

    free(d->slot);
    d->nslot = d->nslot ? d->nslot * 2 : 64;
    d->slot = xcalloc(d->nslot, sizeof(uint32_t));
    for (i = 0; i < d->n; i++) {
        for (j = d->e[i].hash & (d->nslot - 1); d->slot[j];
             j = (j + 1) & (d->nslot - 1))
            ;
        d->slot[j] = (uint32_t)i + 1;
    }
}

/* Add a new entry (the caller checked it is absent); returns its id. */
static uint32_t dict_add(struct dict *d, const struct dent *src)
{
    struct dent *e;
    size_t j;

    if (2 * (d->n + 1) > d->nslot)
        dict_rehash(d);
    grow(&d->e, &d->cap, d->n + 1, sizeof(*d->e));
    e = &d->e[d->n];
    *e = *src;
    e->key = xmalloc(src->klen + 1);
    memcpy(e->key, src->key, src->klen);
    e->text = xstrdup(src->text);
    for (j = e->hash & (d->nslot - 1); d->slot[j];
         j = (j + 1) & (d->nslot - 1))
        ;
    d->slot[j] = (uint32_t)d->n + 1;
    return (uint32_t)d->n++;
}

static void dict_release(struct dict *d)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        free(d->e[i].key);
        free(d->e[i].text);
    }
    free(d->e);
    free(d->slot);
    memset(d, 0, sizeof(*d));
}

/* Append the canonical key of one field; returns 1 if it is numeric. */
static int canon_add(struct buf *k, const char *p, size_t n, double *num)
{
    double x;
    uint32_t len = (uint32_t)n;

    if (parse_number(p, n, &x)) {
        if (x == 0)
            x = 0.0;            /* -0 and 0 are one value */
        buf_addc(k, 'N');
        buf_add(k, &x, sizeof(x));
        *num = x;
        return 1;
    }
    buf_addc(k, 'S');
    buf_add(k, &len, sizeof(len));
    buf_add(k, p, n);
    return 0;
}

/* A set of canonical keys (the spec's facet or label values). */
struct keyset {
    char **key;
    uint32_t *klen;
    char **text;
    size_t n;
};

static int keyset_has(const struct keyset *ks, const char *key,
                      uint32_t klen)
{
    size_t i;

    for (i = 0; i < ks->n; i++)
        if (ks->klen[i] == klen && memcmp(ks->key[i], key, klen) == 0)
            return 1;
    return 0;
}

static void keyset_release(struct keyset *ks)
{
    size_t i;

    for (i = 0; i < ks->n; i++) {
        free(ks->key[i]);
        free(ks->text[i]);
    }
    free(ks->key);
    free(ks->klen);
    free(ks->text);
}

/* ---- cells: (facet, label, prediction, group) ids -> count ---- */
struct cell {
    uint32_t f, l, p, g;
    uint64_t n;
};

struct cellmap {
    struct cell *c;
    size_t n, cap;
    uint32_t *slot;
    size_t nslot;
    size_t last;                /* index + 1 of the last cell hit */
};

static uint64_t cell_hash(uint32_t f, uint32_t l, uint32_t p, uint32_t g)
{
    uint64_t h = ((uint64_t)f * 0x9E3779B97F4A7C15ULL) ^
        ((uint64_t)l * 0xC2B2AE3D27D4EB4FULL) ^
        ((uint64_t)p * 0x165667B19E3779F9ULL) ^
        ((uint64_t)g * 0x27D4EB2F165667C5ULL);

    return h ^ (h >> 31);
}

static void cell_add(struct cellmap *m, uint32_t f, uint32_t l, uint32_t p,
                     uint32_t g, uint64_t n)
{
    struct cell *c;
    size_t i, j;
    uint32_t s;

    if (m->last) {
        c = &m->c[m->last - 1];
        if (c->f == f && c->l == l && c->p == p && c->g == g) {
            c->n += n;
            return;
        }
    }
    if (m->nslot) {
        for (i = cell_hash(f, l, p, g) & (m->nslot - 1);;
             i = (i + 1) & (m->nslot - 1)) {
            s = m->slot[i];
            if (s == 0)
                break;
            c = &m->c[s - 1];
            if (c->f == f && c->l == l && c->p == p && c->g == g) {
                c->n += n;
                m->last = s;
                return;
            }
        }
    }
    if (2 * (m->n + 1) > m->nslot) {
        free(m->slot);
        m->nslot = m->nslot ? m->nslot * 2 : 64;
        m->slot = xcalloc(m->nslot, sizeof(uint32_t));
        for (i = 0; i < m->n; i++) {
            c = &m->c[i];
            for (j = cell_hash(c->f, c->l, c->p, c->g) & (m->nslot - 1);
                 m->slot[j]; j = (j + 1) & (m->nslot - 1))
                ;
            m->slot[j] = (uint32_t)i + 1;
        }
    }
    grow(&m->c, &m->cap, m->n + 1, sizeof(*m->c));
    c = &m->c[m->n];
    c->f = f;
    c->l = l;
    c->p = p;
    c->g = g;
    c->n = n;
    for (j = cell_hash(f, l, p, g) & (m->nslot - 1); m->slot[j];
         j = (j + 1) & (m->nslot - 1))
        ;
    m->slot[j] = (uint32_t)++m->n;
    m->last = m->n;
}

/* ---- raw-text cache ----
 * Most columns repeat a few short values: remember raw text -> id for
 * short fields (direct-mapped), which skips number parsing and key
 * building on the hot path.  Purely an accelerator: a miss interns. */
#define RC_SLOTS 256             /* rc_slot() takes the top 8 bits */
_Static_assert(RC_SLOTS <= 256, "rc_slot() indexes with 8 hash bits");
#define RC_MAXLEN 30

struct rawcache {
    struct rcent {
        uint32_t id;
        unsigned char len;      /* 0: empty slot (fields are non-empty) */
        uint64_t word;          /* rc_word() of the text */
        char text[RC_MAXLEN];
    } e[RC_SLOTS];
};

/* Fields of up to 8 bytes as one word, from two overlapping loads
 * (never past the field): with the length, the word determines the
 * bytes. */
static inline uint64_t rc_word(const char *p, size_t n)
{
    uint32_t a, b;
    uint16_t c, d;

    if (n >= 4) {
        memcpy(&a, p, 4);
        memcpy(&b, p + (n > 8 ? 4 : n - 4), 4);
        return a | (uint64_t)b << 32;
    }
    if (n >= 2) {
        memcpy(&c, p, 2);
        memcpy(&d, p + n - 2, 2);
        return c | (uint64_t)d << 16;
    }
    return n == 1 ? (unsigned char)p[0] : 0;
}

/* Short fields (most): the slot from the word itself, no byte loop. */
static inline struct rcent *rc_slot(struct rawcache *rc, const char *p,
                                    size_t n, uint64_t *word)
{
    uint64_t h;

    *word = rc_word(p, n);
    h = n <= 8 ? (*word ^ n) * 0x9E3779B97F4A7C15ULL : hash_bytes(p, n);
    return &rc->e[(h ^ (h >> 17)) >> 56 & (RC_SLOTS - 1)];
}

static int rc_get(struct rawcache *rc, const char *p, size_t n,
                  uint32_t *id)
{
    struct rcent *e;
    uint64_t w;

    if (n == 0 || n > RC_MAXLEN)
        return 0;
    e = rc_slot(rc, p, n, &w);
    if (e->len != n || e->word != w ||
        (n > 8 && memcmp(e->text, p, n) != 0))
        return 0;
    *id = e->id;
    return 1;
}

static void rc_put(struct rawcache *rc, const char *p, size_t n, uint32_t id)
{
    struct rcent *e;
    uint64_t w;

    if (n == 0 || n > RC_MAXLEN)
        return;
    e = rc_slot(rc, p, n, &w);
    e->len = (unsigned char)n;
    e->word = w;
    memcpy(e->text, p, n);
    e->id = id;
}

/* ---- state ---- */

/* Feature column kinds seen (pandas dtype inference, for FT). */
enum { FK_NUM = 1, FK_BOOL = 2, FK_OTHER = 4, FK_MISSING = 8 };

/* Dense counters for the common case of few ids: each of f, l, p, g in
 * 0..DENSE_ID-1, or missing (slot 0); anything else goes to the
 * cellmap.  One increment per record instead of a hash probe; folded
 * into the cellmap before the merge. */
#define DENSE_ID 7
#define DENSE_W (DENSE_ID + 1)
#define DENSE_N (DENSE_W * DENSE_W * DENSE_W * DENSE_W)

/* Per-worker state of one spec; the merged state uses the same struct.
 * In a worker, the ids of single-column facets, labels, predictions and
 * groups are those of the worker's column dicts (struct colres); only
 * tuple facets are interned here.  The merged state's dicts hold every
 * kind, with the spec's own hits. */
struct bias_ws {
    struct bias *b;
    struct dict facets, vals, groups;
    struct cellmap cells;
    uint64_t *dense;            /* DENSE_N counters (workers only) */
    struct buf key;
    unsigned char *phit;        /* per prediction id: 0 unknown, 1 no,
                                   2 a positive label value (FT) */
    size_t nphit;
    uint64_t n, bad_fields, label_nonnum, pred_nonnum, facet_nonnum;
    /* FlipTest rows: fx[fn * nfeat], facet id, predicted positive */
    double *fx;
    uint32_t *ff;
    unsigned char *fy;
    size_t fn, fcap;
    unsigned char *fkind;       /* per feature column: FK_*; [nfeat]: 1
                                   when FT cannot run (non-numeric) */
    double *frow;               /* one row's features */
    int ft_full;                /* over FT_MAX_VALUES: rows dropped */
};

struct rep {
    uint32_t fid;               /* one-vs-rest: the facet value's id */
    struct bias_counts c;
    struct bias_result r;
};

struct bias {
    /* spec, copied */
    char **fcols;
    size_t nfcols;
    char *fcol_joined;
    long *fidx;
    int fthr, lthr;
    double ft, lt;
    struct keyset fvals, lvals;
    char *lcol, *gcol, *pcol;
    long lidx, gidx, pidx;
    enum bias_mode mode;
    struct bias_limit *limits;
    size_t nlimits;
    char **nulls;
    size_t *nulll;              /* their lengths */
    size_t nnulls;
    uint64_t nulllen;           /* bit n: a token of length n < 64 */
    int nulllong;               /* a token of 64 bytes or more */
    size_t ncols;
    size_t *feat;               /* FT feature columns */
    size_t nfeat;
    int want_ft;
    int ovr;                    /* one report per facet value */
    struct bias_set *set;       /* its scan sink, maybe shared */
    struct bias_ws *g;          /* merged */
    int finished;
    struct rep *rep;
    size_t nrep;
    char **warn;                /* NULL-terminated */
    size_t nwarn;
};

static inline int is_null(const struct bias *b, const char *p, size_t n)
{
    size_t i;

    if (n == 0)
        return 1;
    if (n < 64 ? !((b->nulllen >> n) & 1) : !b->nulllong)
        return 0;
    for (i = 0; i < b->nnulls; i++)
        if (b->nulll[i] == n && memcmp(b->nulls[i], p, n) == 0)
            return 1;
    return 0;
}

static struct bias_ws *ws_new(struct bias *b, int worker)
{
    struct bias_ws *w = xcalloc_padded(1, sizeof(*w));

    w->b = b;
    if (worker)
        w->dense = xcalloc_padded(DENSE_N, sizeof(uint64_t));
    if (b->want_ft) {
        w->fkind = xcalloc(b->nfeat + 1, 1);
        w->frow = xcalloc(b->nfeat + 1, sizeof(double));
    }
    return w;
}

static void ft_drop(struct bias_ws *w)
{
    free(w->fx);
    free(w->ff);
    free(w->fy);
    w->fx = NULL;
    w->ff = NULL;
    w->fy = NULL;
    w->fn = w->fcap = 0;
}

static void ws_free(struct bias_ws *w)
{
    if (w == NULL)
        return;
    dict_release(&w->facets);
    dict_release(&w->vals);
    dict_release(&w->groups);
    free(w->cells.c);
    free(w->cells.slot);
    free_padded(w->dense);
    buf_release(&w->key);
    free(w->phit);
    ft_drop(w);
    free(w->fkind);
    free(w->frow);
    free_padded(w);
}

/* Intern the key in key (text built from the given fields).  Hits are
 * set when a worker dict merges into a spec's (dict_merge). */
static uint32_t intern(const struct buf *key, struct dict *d,
                       const struct row *row, const long *idx, size_t nidx,
                       int numeric, double num, uint64_t seq)
{
    struct dent e;
    struct buf text = BUF_INIT;
    uint32_t id, klen = (uint32_t)key->len;
    uint64_t h = hash_bytes(key->data, klen);
    size_t i;

    id = dict_find(d, key->data, klen, h);
    if (id != ID_MISSING)
        return id;
    for (i = 0; i < nidx; i++) {
        if (i > 0)
            buf_addc(&text, ',');
        buf_add(&text, row->field[idx[i]], row->len[idx[i]]);
    }
    memset(&e, 0, sizeof(e));
    e.key = key->data;
    e.klen = klen;
    e.hash = h;
    e.text = (char *)buf_cstr(&text);
    e.numeric = numeric && nidx == 1;
    e.num = num;
    e.first = seq;
    id = dict_add(d, &e);
    buf_release(&text);
    return id;
}

/* A field as a number: what an earlier sink of this record parsed
 * (scan.h: typed_get), else parse_number(). */
static int field_number(const struct row *row, long col, const char *p,
                        size_t n, double *x)
{
    struct value v;

    if (typed_get(row, (size_t)col, VT_INTEGER, &v) ||
        typed_get(row, (size_t)col, VT_NUMBER, &v)) {
        *x = v.d;
        return 1;
    }
    return parse_number(p, n, x);
}

/* ---- columns resolved once per record for every spec ----
 * One scan sink (struct bias_set) serves one or more specs that share
 * their null values: `assay check` has one per rules file.  Each worker
 * interns a single column's values in one dict per column, whatever the
 * role (facet, label, prediction, group) and however many specs read
 * it, and remembers the id for the record: a column three specs read
 * costs one lookup, not three. */
struct colres {
    uint64_t seq;               /* records seen by this worker */
    struct colmemo {
        uint64_t seq;           /* the record id is for */
        uint32_t id;
    } *memo;                    /* per column */
    struct dict *dict;          /* per column */
    struct rawcache **rc;       /* per column, on first use */
    struct buf key;
    size_t ncols;
};

struct bias_set {
    struct bias **b;
    size_t n;
    size_t ncols;
    unsigned refs;              /* specs using it (bias_free) */
    struct scan_sink sink;
};

struct set_ws {
    const struct bias_set *set;
    struct colres cr;
    struct bias_ws *ws[];       /* one per spec */
};

static void colres_init(struct colres *cr, size_t ncols)
{
    memset(cr, 0, sizeof(*cr));
    cr->ncols = ncols;
    cr->memo = xcalloc_padded(ncols + 1, sizeof(*cr->memo));
    cr->dict = xcalloc(ncols + 1, sizeof(*cr->dict));
    cr->rc = xcalloc(ncols + 1, sizeof(*cr->rc));
}

static void colres_release(struct colres *cr)
{
    size_t i;

    for (i = 0; i < cr->ncols; i++) {
        dict_release(&cr->dict[i]);
        free(cr->rc[i]);
    }
    free_padded(cr->memo);
    free(cr->dict);
    free(cr->rc);
    buf_release(&cr->key);
}

/* The id of column col's value (ID_MISSING: null), looked up. */
static __attribute__((noinline)) uint32_t col_lookup(struct colres *cr,
                                                     const struct bias *b,
                                                     const struct row *row,
                                                     long col)
{
    const char *p = row->field[col];
    size_t n = row->len[col];
    double x = 0;
    int numeric;
    uint32_t id;

    if (is_null(b, p, n))
        return ID_MISSING;
    if (cr->rc[col] == NULL)
        cr->rc[col] = xcalloc(1, sizeof(struct rawcache));
    else if (rc_get(cr->rc[col], p, n, &id))
        return id;
    buf_reset(&cr->key);
    numeric = canon_add(&cr->key, p, n, &x);
    id = intern(&cr->key, &cr->dict[col], row, &col, 1, numeric, x,
                cr->seq);
    rc_put(cr->rc[col], p, n, id);
    return id;
}

/* The id of column col's value in this record: the first spec to ask
 * looks it up, the others find it in the memo. */
static inline uint32_t col_id(struct colres *cr, const struct bias *b,
                              const struct row *row, long col)
{
    struct colmemo *m = &cr->memo[col];

    if (m->seq != cr->seq) {
        m->seq = cr->seq;
        m->id = col_lookup(cr, b, row, col);
    }
    return m->id;
}

/* A label or prediction cell: threshold labels give 0/1, value lists
 * the column's id; missing gives ID_MISSING. */
static inline uint32_t label_id(struct colres *cr, const struct bias *b,
                                const struct row *row, long col,
                                uint64_t *nonnum)
{
    double x = 0;

    if (!b->lthr)
        return col_id(cr, b, row, col);
    if (is_null(b, row->field[col], row->len[col]))
        return ID_MISSING;
    if (!field_number(row, col, row->field[col], row->len[col], &x)) {
        (*nonnum)++;
        return 0;
    }
    return x > b->lt;
}

/* In a merged state: is the label or prediction id a positive value? */
static int is_pos(const struct bias *b, const struct dict *vals,
                  uint32_t id)
{
    if (id == ID_MISSING)
        return 0;
    return b->lthr ? id == 1 : vals->e[id].hit;
}

/* In a worker: is prediction id p (of the worker's column dict) one of
 * the spec's positive label values?  Remembered per id. */
static int pred_pos(struct bias_ws *w, const struct colres *cr, uint32_t p)
{
    const struct bias *b = w->b;
    const struct dent *e;

    if (p == ID_MISSING || b->lthr)
        return p == 1;
    if (p >= w->nphit) {
        size_t n = w->nphit;

        grow(&w->phit, &n, (size_t)p + 1, 1);
        memset(w->phit + w->nphit, 0, n - w->nphit);
        w->nphit = n;
    }
    if (w->phit[p] == 0) {
        e = &cr->dict[b->pidx].e[p];
        w->phit[p] = keyset_has(&b->lvals, e->key, e->klen) ? 2 : 1;
    }
    return w->phit[p] == 2;
}

/* The facet cell: threshold facets give 1 (d) or 0 (a); values give the
 * column's id, or for a tuple the id interned here; a missing component
 * gives ID_MISSING. */
static uint32_t facet_id(struct bias_ws *w, struct colres *cr,
                         const struct row *row)
{
    const struct bias *b = w->b;
    size_t i;
    double x = 0;
    int numeric = 0;

    if (b->fthr) {
        const char *p = row->field[b->fidx[0]];
        size_t n = row->len[b->fidx[0]];

        if (is_null(b, p, n))
            return 0;
        if (!field_number(row, b->fidx[0], p, n, &x)) {
            w->facet_nonnum++;
            return 0;
        }
        return x > b->ft;
    }
    if (b->nfcols == 1)
        return col_id(cr, b, row, b->fidx[0]);
    buf_reset(&w->key);
    for (i = 0; i < b->nfcols; i++) {
        const char *p = row->field[b->fidx[i]];
        size_t n = row->len[b->fidx[i]];

        if (is_null(b, p, n))
            return ID_MISSING;
        numeric = canon_add(&w->key, p, n, &x);
    }
    return intern(&w->key, &w->facets, row, b->fidx, b->nfcols, numeric, x,
                  0);
}

static int pandas_bool(const char *p, size_t n, double *v)
{
    static const char *const t[] = { "True", "TRUE", "true" };
    static const char *const f[] = { "False", "FALSE", "false" };
    size_t i;

    for (i = 0; i < 3; i++) {
        if (strlen(t[i]) == n && memcmp(t[i], p, n) == 0) {
            *v = 1;
            return 1;
        }
        if (strlen(f[i]) == n && memcmp(f[i], p, n) == 0) {
            *v = 0;
            return 1;
        }
    }
    return 0;
}

static void ft_row(struct bias_ws *w, const struct row *row, uint32_t f,
                   int yh)
{
    const struct bias *b = w->b;
    size_t j, nf = b->nfeat;
    double *v = w->frow;

    if (nf == 0 || w->fkind[nf])
        return;                 /* no features, or FT already impossible */
    for (j = 0; j < nf; j++) {
        const char *p = row->field[b->feat[j]];
        size_t n = row->len[b->feat[j]];

        if (is_null(b, p, n)) {
            w->fkind[j] |= FK_MISSING;
            v[j] = NAN;
        } else if (field_number(row, b->feat[j], p, n, &v[j])) {
            w->fkind[j] |= FK_NUM;
        } else if (pandas_bool(p, n, &v[j])) {
            w->fkind[j] |= FK_BOOL;
        } else {
            w->fkind[j] |= FK_OTHER;
            w->fkind[nf] = 1;       /* FT cannot run: stop keeping rows */
            ft_drop(w);
            return;
        }
    }
    if (w->ft_full)
        return;
    if ((w->fn + 1) * nf > FT_MAX_VALUES) {
        w->ft_full = 1;
        ft_drop(w);
        return;
    }
    if (w->fn == w->fcap) {
        w->fcap = w->fcap ? 2 * w->fcap : 1024;
        w->fx = xrealloc(w->fx, w->fcap * nf * sizeof(double));
        w->ff = xrealloc(w->ff, w->fcap * sizeof(uint32_t));
        w->fy = xrealloc(w->fy, w->fcap);
    }
    memcpy(w->fx + w->fn * nf, v, nf * sizeof(double));
    w->ff[w->fn] = f;
    w->fy[w->fn] = (unsigned char)yh;
    w->fn++;
}

/* ---- the scan sink ---- */


/* id + 1: missing (UINT32_MAX) wraps to slot 0, ids 0..DENSE_ID-1 take
 * slots 1..DENSE_ID; one test of the four slots or-ed finds a larger
 * id. */
static inline uint32_t dense_slot(uint32_t id)
{
    return id + 1;
}

static inline void cell_count(struct bias_ws *w, uint32_t f, uint32_t l,
                              uint32_t p, uint32_t g)
{
    uint32_t a = dense_slot(f), b = dense_slot(l), c = dense_slot(p),
             d = dense_slot(g);

    _Static_assert((DENSE_W & (DENSE_W - 1)) == 0, "DENSE_W: a power of 2");
    if ((a | b | c | d) >= DENSE_W)
        cell_add(&w->cells, f, l, p, g, 1);
    else
        w->dense[((a * DENSE_W + b) * DENSE_W + c) * DENSE_W + d]++;
}

static uint32_t dense_id(uint32_t k)
{
    return k - 1;               /* slot 0: ID_MISSING */
}

/* Move the dense counters into the cellmap. */
static void dense_fold(struct bias_ws *w)
{
    uint32_t k;

    if (w->dense == NULL)
        return;
    for (k = 0; k < DENSE_N; k++) {
        if (w->dense[k] == 0)
            continue;
        cell_add(&w->cells, dense_id(k / (DENSE_W * DENSE_W * DENSE_W)),
                 dense_id(k / (DENSE_W * DENSE_W) % DENSE_W),
                 dense_id(k / DENSE_W % DENSE_W), dense_id(k % DENSE_W),
                 w->dense[k]);
        w->dense[k] = 0;
    }
}

/* One record for one spec. */
static void spec_row(struct bias_ws *w, struct colres *cr,
                     const struct row *row)
{
    const struct bias *b = w->b;
    uint32_t f, l, p = ID_MISSING, g = ID_MISSING;

    if (row->nfields != b->ncols) {
        w->bad_fields++;
        return;
    }
    w->n++;
    f = facet_id(w, cr, row);
    l = label_id(cr, b, row, b->lidx, &w->label_nonnum);
    if (b->pidx >= 0)
        p = label_id(cr, b, row, b->pidx, &w->pred_nonnum);
    if (b->gidx >= 0)
        g = col_id(cr, b, row, b->gidx);
    cell_count(w, f, l, p, g);
    if (b->want_ft && !w->fkind[b->nfeat])
        ft_row(w, row, f, pred_pos(w, cr, p));
}

static void *set_worker_new(void *self, unsigned worker)
{
    struct bias_set *set = self;
    struct set_ws *sw = xcalloc_padded(1, sizeof(*sw) +
                                       (set->n + 1) * sizeof(sw->ws[0]));
    size_t k;

    (void)worker;
    sw->set = set;
    colres_init(&sw->cr, set->ncols);
    for (k = 0; k < set->n; k++)
        sw->ws[k] = ws_new(set->b[k], 1);
    return sw;
}

static int set_row(void *wsp, const struct row *row, struct assay_err *err)
{
    struct set_ws *sw = wsp;
    size_t k, n = sw->set->n;

    (void)err;
    sw->cr.seq++;               /* a new record: no memo is valid */
    for (k = 0; k < n; k++)
        spec_row(sw->ws[k], &sw->cr, row);
    return 0;
}

/* Map every entry of a worker dict to the merged dict's id; a new entry
 * is a hit when hits (the spec's values) has its key. */
static uint32_t *dict_merge(struct dict *to, const struct dict *from,
                            const struct keyset *hits)
{
    uint32_t *map = xmalloc((from->n + 1) * sizeof(uint32_t));
    size_t i;
    uint32_t id;

    for (i = 0; i < from->n; i++) {
        const struct dent *e = &from->e[i];

        id = dict_find(to, e->key, e->klen, e->hash);
        if (id == ID_MISSING) {
            struct dent d = *e;

            d.hit = hits != NULL && keyset_has(hits, e->key, e->klen);
            id = dict_add(to, &d);
        }
        map[i] = id;
    }
    return map;
}

/* The label and prediction columns' worker dicts into one merged dict,
 * in the order the values first appeared in the records (the label's
 * first within a record), as if interned together: a value spelt two
 * ways ("1", "1.0") keeps the spelling seen first.  *lm, *pm: the maps
 * (pm NULL without predictions, or when both are one column). */
static void dict_merge_vals(struct dict *to, const struct dict *l,
                            const struct dict *p, const struct keyset *hits,
                            uint32_t **lm, uint32_t **pm)
{
    size_t i = 0, j = 0;

    *lm = xmalloc((l->n + 1) * sizeof(uint32_t));
    *pm = p != NULL ? xmalloc((p->n + 1) * sizeof(uint32_t)) : NULL;
    while (i < l->n || (p != NULL && j < p->n)) {
        int from_p = p != NULL && j < p->n &&
                     (i == l->n || p->e[j].first < l->e[i].first);
        const struct dent *e = from_p ? &p->e[j] : &l->e[i];
        uint32_t id = dict_find(to, e->key, e->klen, e->hash);

        if (id == ID_MISSING) {
            struct dent d = *e;

            d.hit = keyset_has(hits, e->key, e->klen);
            id = dict_add(to, &d);
        }
        if (from_p)
            (*pm)[j++] = id;
        else
            (*lm)[i++] = id;
    }
}

static uint32_t remap(const uint32_t *map, uint32_t id)
{
    return id == ID_MISSING || map == NULL ? id : map[id];
}

/* Fold one spec's worker state into the spec (merged state g). */
static void spec_merge(struct bias *b, struct bias_ws *w,
                       const struct colres *cr)
{
    struct bias_ws *g = b->g;
    uint32_t *fm = NULL, *lm = NULL, *pm = NULL, *gm = NULL;
    size_t i, nf = b->nfeat;

    if (!b->fthr)
        fm = dict_merge(&g->facets, b->nfcols == 1 ?
                        &cr->dict[b->fidx[0]] : &w->facets, &b->fvals);
    if (!b->lthr) {
        dict_merge_vals(&g->vals, &cr->dict[b->lidx],
                        b->pidx >= 0 && b->pidx != b->lidx ?
                        &cr->dict[b->pidx] : NULL, &b->lvals, &lm, &pm);
        if (b->pidx == b->lidx)
            pm = lm;
    }
    if (b->gidx >= 0)
        gm = dict_merge(&g->groups, &cr->dict[b->gidx], NULL);
    dense_fold(w);
    for (i = 0; i < w->cells.n; i++) {
        const struct cell *c = &w->cells.c[i];

        cell_add(&g->cells, remap(fm, c->f), remap(lm, c->l),
                 remap(pm, c->p), remap(gm, c->g), c->n);
    }
    g->n += w->n;
    g->bad_fields += w->bad_fields;
    g->label_nonnum += w->label_nonnum;
    g->pred_nonnum += w->pred_nonnum;
    g->facet_nonnum += w->facet_nonnum;
    if (b->want_ft) {
        for (i = 0; i <= nf; i++)
            g->fkind[i] |= w->fkind[i];
        g->ft_full |= w->ft_full;
        if (!g->fkind[nf] && !g->ft_full &&
            (g->fn + w->fn) * nf > FT_MAX_VALUES)
            g->ft_full = 1;
        if (g->fkind[nf] || g->ft_full) {
            ft_drop(g);
        } else if (w->fn > 0) {
            size_t n = g->fn + w->fn;

            g->fx = xrealloc(g->fx, n * nf * sizeof(double));
            g->ff = xrealloc(g->ff, n * sizeof(uint32_t));
            g->fy = xrealloc(g->fy, n);
            memcpy(g->fx + g->fn * nf, w->fx, w->fn * nf * sizeof(double));
            for (i = 0; i < w->fn; i++)
                g->ff[g->fn + i] = remap(fm, w->ff[i]);
            memcpy(g->fy + g->fn, w->fy, w->fn);
            g->fn = g->fcap = n;
        }
    }
    free(fm);
    free(lm);
    if (pm != lm)
        free(pm);
    free(gm);
}

static void set_merge(void *self, void *wsp, uint64_t rec_off,
                      uint64_t line_off)
{
    struct bias_set *set = self;
    struct set_ws *sw = wsp;
    size_t k;

    (void)rec_off;
    (void)line_off;
    for (k = 0; k < set->n; k++) {
        spec_merge(set->b[k], sw->ws[k], &sw->cr);
        ws_free(sw->ws[k]);
    }
    colres_release(&sw->cr);
    free_padded(sw);
}

static int same_nulls(const struct bias *a, const struct bias *b)
{
    size_t i;

    if (a->nnulls != b->nnulls)
        return 0;
    for (i = 0; i < a->nnulls; i++)
        if (strcmp(a->nulls[i], b->nulls[i]) != 0)
            return 0;
    return 1;
}

static struct bias_set *set_new(struct bias *const *b, size_t n)
{
    struct bias_set *set = xcalloc(1, sizeof(*set));
    size_t k;

    set->b = xcalloc(n + 1, sizeof(*set->b));
    memcpy(set->b, b, n * sizeof(*b));
    set->n = n;
    set->ncols = b[0]->ncols;
    set->sink.name = "bias";
    set->sink.self = set;
    set->sink.worker_new = set_worker_new;
    set->sink.row = set_row;
    set->sink.merge = set_merge;
    set->refs = (unsigned)n;
    for (k = 0; k < n; k++)
        b[k]->set = set;
    return set;
}

/* A spec lets go of its set; the last one frees it. */
static void set_drop(struct bias_set *set)
{
    if (set == NULL || --set->refs > 0)
        return;
    free(set->b);
    free(set);
}

const struct scan_sink *bias_sink(struct bias *b)
{
    return &b->set->sink;
}

int bias_share(struct bias *const *b, size_t n)
{
    size_t k;

    if (n == 0)
        return 0;
    for (k = 0; k < n; k++)
        if (b[k]->set->n != 1 || b[k]->ncols != b[0]->ncols ||
            !same_nulls(b[k], b[0]))
            return -1;
    for (k = 0; k < n; k++)
        set_drop(b[k]->set);
    set_new(b, n);
    return 0;
}

/* ---- construction ---- */

static long find_col(size_t ncols, const char *const *names,
                     const char *name)
{
    size_t i;

    for (i = 0; i < ncols; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

static int unknown_col(struct assay_err *err, const char *what,
                       const char *name, size_t ncols,
                       const char *const *names)
{
    struct buf b = BUF_INIT;
    size_t i;

    for (i = 0; i < ncols; i++) {
        if (i > 0)
            buf_adds(&b, ", ");
        buf_adds(&b, names[i]);
    }
    seterr(err, ASSAY_ECOLUMN, "unknown %s column '%s' (columns: %s)", what,
           name, buf_cstr(&b));
    buf_release(&b);
    return -1;
}

/* Canonical keys of the spec's values; a facet value names one tuple
 * "v1,v2" over the facet columns. */
static int keyset_build(struct keyset *ks, const char *const *vals,
                        size_t n, size_t ncomp, const char *cols,
                        struct assay_err *err)
{
    struct buf k = BUF_INIT;
    size_t i, c;
    double x;

    ks->key = xcalloc(n + 1, sizeof(char *));
    ks->klen = xcalloc(n + 1, sizeof(uint32_t));
    ks->text = xcalloc(n + 1, sizeof(char *));
    ks->n = n;
    for (i = 0; i < n; i++) {
        const char *p = vals[i], *comma;

        buf_reset(&k);
        for (c = 0; c < ncomp; c++) {
            comma = c + 1 < ncomp ? strchr(p, ',') : NULL;
            if (c + 1 < ncomp && comma == NULL)
                break;
            canon_add(&k, p, comma ? (size_t)(comma - p) : strlen(p), &x);
            p = comma ? comma + 1 : p + strlen(p);
        }
        if (c < ncomp) {
            buf_release(&k);
            return seterr(err, ASSAY_EUSAGE, "facet value '%s' does not "
                          "name one value for each of the columns %s",
                          vals[i], cols);
        }
        ks->klen[i] = (uint32_t)k.len;
        ks->key[i] = xmalloc(k.len + 1);
        memcpy(ks->key[i], k.data, k.len);
        ks->text[i] = xstrdup(vals[i]);
    }
    buf_release(&k);
    return 0;
}

static int metric_index(const char *name, int *post);

/* Resolve every named column; unknown ones are ASSAY_ECOLUMN. */
static int resolve_columns(struct bias *b, const struct bias_spec *spec,
                           size_t ncols, const char *const *names,
                           struct assay_err *err)
{
    struct buf j = BUF_INIT;
    size_t i;

    b->fcols = xcalloc(b->nfcols, sizeof(char *));
    b->fidx = xcalloc(b->nfcols, sizeof(long));
    for (i = 0; i < b->nfcols; i++) {
        b->fcols[i] = xstrdup(spec->facet_cols[i]);
        b->fidx[i] = find_col(ncols, names, b->fcols[i]);
        if (i > 0)
            buf_addc(&j, ',');
        buf_adds(&j, b->fcols[i]);
        if (b->fidx[i] < 0) {
            buf_release(&j);
            return unknown_col(err, "facet", b->fcols[i], ncols, names);
        }
    }
    b->fcol_joined = buf_detach(&j);
    b->lcol = xstrdup(spec->label_col ? spec->label_col : "");
    b->lidx = find_col(ncols, names, b->lcol);
    if (b->lidx < 0)
        return unknown_col(err, "label", b->lcol, ncols, names);
    b->gidx = b->pidx = -1;
    if (spec->group_col != NULL) {
        b->gcol = xstrdup(spec->group_col);
        b->gidx = find_col(ncols, names, b->gcol);
        if (b->gidx < 0)
            return unknown_col(err, "group", b->gcol, ncols, names);
    }
    if (spec->predicted_col != NULL) {
        b->pcol = xstrdup(spec->predicted_col);
        b->pidx = find_col(ncols, names, b->pcol);
        if (b->pidx < 0)
            return unknown_col(err, "prediction", b->pcol, ncols, names);
    }
    return 0;
}

static int check_spec(const struct bias_spec *spec, size_t nfcols,
                      struct assay_err *err)
{
    if (spec->facet_has_threshold && spec->nfacet_values > 0)
        return seterr(err, ASSAY_EUSAGE, "give facet values or a facet "
                      "threshold, not both");
    if (spec->facet_has_threshold && nfcols > 1)
        return seterr(err, ASSAY_EUSAGE, "a facet threshold needs exactly "
                      "one facet column");
    if (spec->label_has_threshold && spec->nlabel_values > 0)
        return seterr(err, ASSAY_EUSAGE, "give label values or a label "
                      "threshold, not both");
    if (!spec->label_has_threshold && spec->nlabel_values == 0)
        return seterr(err, ASSAY_EUSAGE, "no positive label values or "
                      "label threshold given");
    return 0;
}

static int copy_limits(struct bias *b, const struct bias_spec *spec,
                       struct assay_err *err)
{
    size_t i;
    int post;

    b->limits = xcalloc(spec->nlimits + 1, sizeof(*b->limits));
    for (i = 0; i < spec->nlimits; i++) {
        const char *m = spec->limits[i].metric;

        if (m == NULL || metric_index(m, &post) < 0)
            return seterr(err, ASSAY_EINPUT, "unknown bias metric '%s' in "
                          "limits", m ? m : "");
        b->limits[i] = spec->limits[i];
        b->limits[i].metric = xstrdup(m);
        b->limits[i].severity = xstrdup(spec->limits[i].severity ?
                                        spec->limits[i].severity : "fail");
        b->nlimits = i + 1;
    }
    return 0;
}

/* FT features: every column but the facet, label and prediction
 * columns (the group column stays), as the reference drops them. */
static void pick_features(struct bias *b, size_t ncols)
{
    size_t i, k;

    b->want_ft = 1;
    b->feat = xcalloc(ncols + 1, sizeof(size_t));
    for (i = 0; i < ncols; i++) {
        int drop = (long)i == b->lidx || (long)i == b->pidx;

        for (k = 0; k < b->nfcols; k++)
            drop |= (long)i == b->fidx[k];
        if (!drop)
            b->feat[b->nfeat++] = i;
    }
}

struct bias *bias_new_header(const struct bias_spec *spec, size_t ncols,
                             const char *const *names,
                             struct assay_err *err)
{
    struct bias *b = xcalloc(1, sizeof(*b));
    size_t i;

    b->ncols = ncols;
    b->mode = spec->mode;
    b->nfcols = spec->nfacet_cols;
    if (b->nfcols == 0) {
        seterr(err, ASSAY_EUSAGE, "no facet column given");
        goto fail;
    }
    if (resolve_columns(b, spec, ncols, names, err) < 0 ||
        check_spec(spec, b->nfcols, err) < 0)
        goto fail;
    b->fthr = spec->facet_has_threshold;
    b->ft = spec->facet_threshold;
    b->lthr = spec->label_has_threshold;
    b->lt = spec->label_threshold;
    b->ovr = !b->fthr && spec->nfacet_values == 0;
    if (keyset_build(&b->fvals, spec->facet_values, spec->nfacet_values,
                     b->nfcols, b->fcol_joined, err) < 0 ||
        keyset_build(&b->lvals, spec->label_values, spec->nlabel_values, 1,
                     b->lcol, err) < 0 ||
        copy_limits(b, spec, err) < 0)
        goto fail;
    b->nnulls = spec->nnull_values;
    b->nulls = xcalloc(b->nnulls + 1, sizeof(char *));
    b->nulll = xcalloc(b->nnulls + 1, sizeof(size_t));
    for (i = 0; i < b->nnulls; i++) {
        b->nulls[i] = xstrdup(spec->null_values[i]);
        b->nulll[i] = strlen(b->nulls[i]);
        if (b->nulll[i] < 64)
            b->nulllen |= (uint64_t)1 << b->nulll[i];
        else
            b->nulllong = 1;
    }
    if (b->pidx >= 0)
        pick_features(b, ncols);
    b->g = ws_new(b, 0);
    set_new(&b, 1);
    return b;
fail:
    bias_free(b);
    return NULL;
}

struct bias *bias_new(const struct bias_spec *spec, const struct scan *s,
                      struct assay_err *err)
{
    size_t i, n = scan_ncols(s);
    const char **names = xcalloc(n + 1, sizeof(char *));
    struct bias *b;

    for (i = 0; i < n; i++)
        names[i] = scan_colname(s, i);
    b = bias_new_header(spec, n, names, err);
    free(names);
    return b;
}

void bias_free(struct bias *b)
{
    size_t i;

    if (b == NULL)
        return;
    for (i = 0; i < b->nfcols; i++)
        free(b->fcols[i]);
    free(b->fcols);
    free(b->fidx);
    free(b->fcol_joined);
    keyset_release(&b->fvals);
    keyset_release(&b->lvals);
    free(b->lcol);
    free(b->gcol);
    free(b->pcol);
    for (i = 0; i < b->nlimits; i++) {
        free((char *)b->limits[i].metric);
        free((char *)b->limits[i].severity);
    }
    free(b->limits);
    for (i = 0; i < b->nnulls; i++)
        free(b->nulls[i]);
    free(b->nulls);
    free(b->nulll);
    free(b->feat);
    ws_free(b->g);
    for (i = 0; i < b->nrep; i++) {
        free(b->rep[i].c.g);
        free(b->rep[i].c.cat);
    }
    free(b->rep);
    for (i = 0; i < b->nwarn; i++)
        free(b->warn[i]);
    free(b->warn);
    set_drop(b->set);
    free(b);
}

/* ---- metrics ----
 * Every function reproduces smclarify's order of operations (commit
 * 024329d1, BIAS-METRICS.md sections 2-3), so that count ratios come out
 * bit for bit: Python's int / int is one correctly rounded division,
 * which (double)a / (double)b is too for counts below 2^53. */

struct mctx {
    const struct bias_counts *c;
    enum bias_mode mode;
    const struct bias_ft *ft;
    uint64_t n[2];              /* [d] */
    uint64_t pos[2], neg[2];    /* observed labels */
    uint64_t phat[2], nhat[2];  /* predictions */
    uint64_t tp[2], fp[2], fn[2], tn[2];
    int dist_done, dist_rc;
    double dist[BIAS_NDIST];
    char dist_err[BIAS_ERRLEN];
};

/* smclarify common.divide: 0/0 = 0, x/0 = +-inf. */
static double divide(double a, double b)
{
    if (b == 0 && a == 0)
        return 0.0;
    if (b == 0)
        return a < 0 ? -INFINITY : INFINITY;
    return a / b;
}

static void vset(struct bias_value *v, double x)
{
    v->ok = 1;
    v->v = x;
}

static void verr(struct bias_value *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void verr(struct bias_value *v, const char *fmt, ...)
{
    va_list ap;

    v->ok = 0;
    v->v = 0;
    va_start(ap, fmt);
    vsnprintf(v->err, sizeof(v->err), fmt, ap);
    va_end(ap);
}

/* CI = (n_a - n_d) / n.  Interval: Wilson on p = n_d / n, mapped
 * through CI = 1 - 2p. */
static void m_ci(struct mctx *x, struct bias_value *v)
{
    uint64_t na = x->n[0], nd = x->n[1];
    double lo, hi;

    if (na == 0) {
        verr(v, "CI: negated facet set is empty. Check that "
             "x[~facet] has non-zero length.");
        return;
    }
    if (nd == 0) {
        verr(v, "CI: facet set is empty. Check that x[facet] has "
             "non-zero length.");
        return;
    }
    vset(v, (double)((int64_t)na - (int64_t)nd) / (double)(na + nd));
    if (stats_wilson(nd, na + nd, CONF, &lo, &hi) == 0) {
        v->has_ci = 1;
        v->lo = 1.0 - 2.0 * hi;
        v->hi = 1.0 - 2.0 * lo;
    }
    v->ci_method = "wilson";
}

/* common.DPL: q_a - q_d; Newcombe interval, pooled z-test p-value. */
static void dpl(struct mctx *x, const uint64_t *pos, struct bias_value *v)
{
    uint64_t na = x->n[0], nd = x->n[1];
    double lo, hi;

    if (na == 0) {
        verr(v, "Negative facet set is empty.");
        return;
    }
    if (nd == 0) {
        verr(v, "Facet set is empty.");
        return;
    }
    vset(v, (double)pos[0] / (double)na - (double)pos[1] / (double)nd);
    if (stats_newcombe(pos[0], na, pos[1], nd, CONF, &lo, &hi) == 0) {
        v->has_ci = 1;
        v->lo = lo;
        v->hi = hi;
    }
    v->ci_method = "newcombe-wilson";
    v->has_p = 1;
    v->p = stats_two_prop_p(pos[0], na, pos[1], nd);
}

static void m_dpl(struct mctx *x, struct bias_value *v)
{
    dpl(x, x->pos, v);
}

/* Distances over the binary positive index (clarify) or, in strict mode,
 * the raw label categories when there are any, on full support. */
static void distances(struct mctx *x)
{
    uint64_t na[2], nd[2];

    if (x->dist_done)
        return;
    x->dist_done = 1;
    if (x->mode == BIAS_STRICT && x->c->ncat > 0) {
        uint64_t *a = xcalloc(x->c->ncat + 1, sizeof(uint64_t));
        uint64_t *d = xcalloc(x->c->ncat + 1, sizeof(uint64_t));
        size_t k;

        for (k = 0; k < x->c->ncat; k++) {
            a[k] = x->c->cat[k][0];
            d[k] = x->c->cat[k][1];
        }
        x->dist_rc = bias_distances(a, d, x->c->ncat, 0, x->dist,
                                    x->dist_err, sizeof(x->dist_err));
        free(a);
        free(d);
        return;
    }
    /* sorted keys of the boolean index: False, True */
    na[0] = x->neg[0];
    na[1] = x->pos[0];
    nd[0] = x->neg[1];
    nd[1] = x->pos[1];
    x->dist_rc = bias_distances(na, nd, 2, x->mode == BIAS_CLARIFY,
                                x->dist, x->dist_err, sizeof(x->dist_err));
}

static void dist_metric(struct mctx *x, struct bias_value *v, int which)
{
    distances(x);
    if (x->dist_rc < 0) {
        verr(v, "%s", x->dist_err);
        return;
    }
    vset(v, x->dist[which]);
}

static void m_kl(struct mctx *x, struct bias_value *v)
{
    dist_metric(x, v, BD_KL);
}

static void m_js(struct mctx *x, struct bias_value *v)
{
    dist_metric(x, v, BD_JS);
}

static void m_lp(struct mctx *x, struct bias_value *v)
{
    dist_metric(x, v, BD_LP);
}

static void m_tvd(struct mctx *x, struct bias_value *v)
{
    dist_metric(x, v, BD_TVD);
}

static void m_ks(struct mctx *x, struct bias_value *v)
{
    dist_metric(x, v, BD_KS);
}

/* common.CDD (observed labels: pred = 0; predictions: pred = 1):
 *   A_g = [y & d & g] / [y & g] (0 if no positives in g),
 *   D_g = [~y & d & g] / [~y & g] (0 if no negatives in g),
 *   CDD = divide(np.sum(n_g * (D_g - A_g)), np.sum(n_g)),
 * groups in np.unique order; rows with a missing group drop out of both
 * sums (assay's rule in both modes) but count in the global checks. */
static void cdd(struct mctx *x, int pred, struct bias_value *v)
{
    const struct bias_counts *c = x->c;
    uint64_t totpos, totneg, k[2][2];   /* [y][d] in the group */
    double *cnt, *prod;
    size_t g;
    int d, y, yh;

    if (!c->has_group || c->n == 0) {
        verr(v, "Group variable is empty or not provided");
        return;
    }
    totpos = pred ? x->phat[0] + x->phat[1] : x->pos[0] + x->pos[1];
    totneg = pred ? x->nhat[0] + x->nhat[1] : x->neg[0] + x->neg[1];
    if (totpos == 0) {
        verr(v, "No positive labels in set");
        return;
    }
    if (totneg == 0) {
        verr(v, "No negative labels in set");
        return;
    }
    cnt = xcalloc(c->ngroups + 1, sizeof(double));
    prod = xcalloc(c->ngroups + 1, sizeof(double));
    for (g = 0; g < c->ngroups; g++) {
        double a, dd;

        memset(k, 0, sizeof(k));
        for (d = 0; d < 2; d++)
            for (y = 0; y < 2; y++)
                for (yh = 0; yh < 2; yh++)
                    k[pred ? yh : y][d] += c->g[g][d][y][yh];
        cnt[g] = (double)(k[0][0] + k[0][1] + k[1][0] + k[1][1]);
        a = k[1][0] + k[1][1] ? (double)k[1][1] / (double)(k[1][0] +
                                                           k[1][1]) : 0;
        dd = k[0][0] + k[0][1] ? (double)k[0][1] / (double)(k[0][0] +
                                                            k[0][1]) : 0;
        prod[g] = cnt[g] * (dd - a);
    }
    vset(v, divide(stats_sum(prod, c->ngroups), stats_sum(cnt, c->ngroups)));
    free(cnt);
    free(prod);
}

static void m_cddl(struct mctx *x, struct bias_value *v)
{
    cdd(x, 0, v);
}

static void m_cddpl(struct mctx *x, struct bias_value *v)
{
    cdd(x, 1, v);
}

static void m_dppl(struct mctx *x, struct bias_value *v)
{
    dpl(x, x->phat, v);
}

/* DI = divide(q^_d, q^_a); Katz log interval on the ratio. */
static void m_di(struct mctx *x, struct bias_value *v)
{
    uint64_t na = x->n[0], nd = x->n[1];
    double lo, hi;

    if (na == 0) {
        verr(v, "Negated facet set is empty");
        return;
    }
    if (nd == 0) {
        verr(v, "Facet set is empty");
        return;
    }
    vset(v, divide((double)x->phat[1] / (double)nd,
                   (double)x->phat[0] / (double)na));
    if (stats_katz(x->phat[1], nd, x->phat[0], na, CONF, &lo, &hi) == 0) {
        v->has_ci = 1;
        v->lo = lo;
        v->hi = hi;
    }
    v->ci_method = "katz-log";
}

/* The facet checks of common.DCO/DLA/DLR (d first) and of AD/TE/FT. */
static int facet_check(struct mctx *x, struct bias_value *v,
                       const char *prefix)
{
    if (x->n[1] == 0) {
        verr(v, "%sFacet set is empty", prefix);
        return -1;
    }
    if (x->n[0] == 0) {
        verr(v, "%sNegated Facet set is empty", prefix);
        return -1;
    }
    return 0;
}

/* a - b, except that +inf - +inf (both infinite) is defined as 0. */
static double diff_inf(double a, double b)
{
    return a == b && a == INFINITY ? 0.0 : a - b;
}

/* DCA = c_a - c_d, c = divide(n^(1), n^^(1)) (common.DCO). */
static void m_dca(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "DCO: ") == 0)
        vset(v, diff_inf(divide((double)x->pos[0], (double)x->phat[0]),
                         divide((double)x->pos[1], (double)x->phat[1])));
}

/* DCR = r_d - r_a, r = divide(n^(0), n^^(0)). */
static void m_dcr(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "DCO: ") == 0)
        vset(v, diff_inf(divide((double)x->neg[1], (double)x->nhat[1]),
                         divide((double)x->neg[0], (double)x->nhat[0])));
}

/* RD = recall_a - recall_d, recall = divide(TP, TP + FN) (common.DLA). */
static void m_rd(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "DLA: ") == 0)
        vset(v, diff_inf(divide((double)x->tp[0],
                                (double)(x->tp[0] + x->fn[0])),
                         divide((double)x->tp[1],
                                (double)(x->tp[1] + x->fn[1]))));
}

/* SD = spec_d - spec_a, spec = divide(TN, TN + FP). */
static void m_sd(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "DLA: ") == 0)
        vset(v, diff_inf(divide((double)x->tn[1],
                                (double)(x->tn[1] + x->fp[1])),
                         divide((double)x->tn[0],
                                (double)(x->tn[0] + x->fp[0]))));
}

/* DAR = prec_a - prec_d, prec = divide(TP, n^^(1)) (common.DLR). */
static void m_dar(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "DLR: ") == 0)
        vset(v, diff_inf(divide((double)x->tp[0], (double)x->phat[0]),
                         divide((double)x->tp[1], (double)x->phat[1])));
}

/* DRR = npv_d - npv_a, npv = divide(TN, n^^(0)). */
static void m_drr(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "DLR: ") == 0)
        vset(v, diff_inf(divide((double)x->tn[1], (double)x->nhat[1]),
                         divide((double)x->tn[0], (double)x->nhat[0])));
}

/* AD = acc_a - acc_d, acc = divide(TP + TN, n_g). */
static void m_ad(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "") == 0)
        vset(v, diff_inf(divide((double)(x->tp[0] + x->tn[0]),
                                (double)x->n[0]),
                         divide((double)(x->tp[1] + x->tn[1]),
                                (double)x->n[1])));
}

/* TE = tau_d - tau_a, tau = divide(FN, FP). */
static void m_te(struct mctx *x, struct bias_value *v)
{
    if (facet_check(x, v, "") == 0)
        vset(v, diff_inf(divide((double)x->fn[1], (double)x->fp[1]),
                         divide((double)x->fn[0], (double)x->fp[0])));
}

/* FT (FlipTest): kNN (k = 5, or 1 when n_a <= 9) trained on a's feature
 * rows with the model's predictions as targets, applied to d:
 *   FT = divide(#{d: yh = 1, knn = 0} - #{d: yh = 0, knn = 1}, n_d),
 * the reference's sign (opposite to the AWS docs).  Ties in distance go
 * to the a row that comes first in the file (stats_knn()). */
static void m_ft(struct mctx *x, struct bias_value *v)
{
    const struct bias_ft *ft = x->ft;
    size_t i, na = 0, nd = 0, j;
    double *ta, *qd;
    unsigned char *ya, *yd, *out;
    long flips = 0;

    if (facet_check(x, v, "") < 0)
        return;
    if (ft == NULL || ft->nfeat == 0) {
        verr(v, "Found array with 0 feature(s) (shape=(%llu, 0)) "
             "while a minimum of 1 is required by "
             "KNeighborsClassifier.", (unsigned long long)x->n[0]);
        return;
    }
    if (ft->err != NULL) {
        verr(v, "%s", ft->err);
        return;
    }
    for (i = 0; i < ft->nrows; i++)
        nd += ft->d[i] != 0;
    na = ft->nrows - nd;
    ta = xmalloc((na + 1) * ft->nfeat * sizeof(double));
    qd = xmalloc((nd + 1) * ft->nfeat * sizeof(double));
    ya = xmalloc(na + 1);
    yd = xmalloc(nd + 1);
    out = xmalloc(nd + 1);
    for (i = 0, na = nd = 0; i < ft->nrows; i++) {
        const double *r = ft->x + i * ft->nfeat;

        if (ft->d[i]) {
            memcpy(qd + nd * ft->nfeat, r, ft->nfeat * sizeof(double));
            yd[nd++] = ft->yh[i];
        } else {
            memcpy(ta + na * ft->nfeat, r, ft->nfeat * sizeof(double));
            ya[na++] = ft->yh[i];
        }
    }
    stats_knn(ta, ya, na, ft->nfeat, qd, nd, na > 9 ? 5 : 1, out);
    for (j = 0; j < nd; j++)
        flips += (long)(yd[j] > out[j]) - (long)(yd[j] < out[j]);
    vset(v, divide((double)flips, (double)nd));
    free(ta);
    free(qd);
    free(ya);
    free(yd);
    free(out);
}

/* GE (alpha = 2): b = yh - y + 1, mu = mean(b),
 *   GE = sum((b / mu)^2 - 1) / (2 N)   (common.GE).
 * b takes three values, so the sum is c0 t0 + c1 t1 + c2 t2 with each
 * t_b rounded as numpy rounds it, accumulated in long double (numpy's
 * pairwise sum depends on row order; the two agree to ~1e-16). */
static void m_ge(struct mctx *x, struct bias_value *v)
{
    uint64_t c0 = x->fn[0] + x->fn[1], c2 = x->fp[0] + x->fp[1];
    uint64_t c1 = x->tp[0] + x->tp[1] + x->tn[0] + x->tn[1];
    uint64_t n = c0 + c1 + c2;
    double mu, t1, t2;
    long double s;

    if (n == 0) {
        verr(v, "dataset must be non-empty");
        return;
    }
    mu = (double)(c1 + 2 * c2) / (double)n;
    if (mu == 0) {
        verr(v, "All predicted labels are false negatives. There "
             "should be at least one prediction that is not false "
             "negative.");
        return;
    }
    t1 = (1.0 / mu) * (1.0 / mu) - 1.0;
    t2 = (2.0 / mu) * (2.0 / mu) - 1.0;
    s = -(long double)c0 + (long double)c1 * t1 + (long double)c2 * t2;
    vset(v, (double)s / (double)(2 * n));
}

/* How to add a metric: write m_NAME() above (cite the formula and its
 * source), add its index to enum bias_pre or bias_post in bias_int.h,
 * and add a row here; JSON, text output and limits pick it up. */
static const struct metric_def {
    const char *name;
    int post;
    int idx;
    void (*fn)(struct mctx *x, struct bias_value *v);
    const char *description;
    const char *meaning;
} metrics[] = {
    { "CI", 0, BP_CI, m_ci, "Class imbalance",
      "(n_a - n_d) / n; > 0: d is under-represented" },
    { "DPL", 0, BP_DPL, m_dpl, "Difference in positive proportions in "
      "labels", "q_a - q_d; > 0: d gets fewer positive labels" },
    { "KL", 0, BP_KL, m_kl, "Kullback-Leibler divergence",
      "label distribution of a against d; 0: the same" },
    { "JS", 0, BP_JS, m_js, "Jensen-Shannon divergence",
      "symmetric KL to the mixture; 0: the same, at most ln 2" },
    { "LP", 0, BP_LP, m_lp, "L2 norm",
      "Euclidean distance of the label distributions; 0: the same" },
    { "TVD", 0, BP_TVD, m_tvd, "Total variation distance",
      "half the L1 distance of the label distributions" },
    { "KS", 0, BP_KS, m_ks, "Kolmogorov-Smirnov distance",
      "largest difference of a label's probability (not a CDF test)" },
    { "CDDL", 0, BP_CDDL, m_cddl, "Conditional demographic disparity in "
      "labels", "> 0: within groups, d has more of the rejections than "
      "of the acceptances" },
    { "DPPL", 1, BQ_DPPL, m_dppl, "Difference in positive proportions in "
      "predicted labels", "q^_a - q^_d; > 0: d is predicted positive "
      "less often" },
    { "DI", 1, BQ_DI, m_di, "Disparate impact",
      "q^_d / q^_a; 1: parity, < 0.8 fails the four-fifths rule" },
    { "DCA", 1, BQ_DCA, m_dca, "Difference in conditional acceptance",
      "c_a - c_d, c = observed / predicted positives" },
    { "DCR", 1, BQ_DCR, m_dcr, "Difference in conditional rejection",
      "r_d - r_a, r = observed / predicted negatives" },
    { "RD", 1, BQ_RD, m_rd, "Recall difference",
      "recall_a - recall_d; > 0: d's positives are found less often" },
    { "SD", 1, BQ_SD, m_sd, "Specificity difference",
      "specificity_d - specificity_a" },
    { "DAR", 1, BQ_DAR, m_dar, "Difference in acceptance rates",
      "precision_a - precision_d" },
    { "DRR", 1, BQ_DRR, m_drr, "Difference in rejection rates",
      "npv_d - npv_a, npv = TN / predicted negatives" },
    { "AD", 1, BQ_AD, m_ad, "Accuracy difference",
      "accuracy_a - accuracy_d; > 0: the model is worse on d" },
    { "TE", 1, BQ_TE, m_te, "Treatment equality",
      "FN/FP of d minus FN/FP of a" },
    { "CDDPL", 1, BQ_CDDPL, m_cddpl, "Conditional demographic disparity "
      "in predicted labels", "as CDDL, with the predictions" },
    { "FT", 1, BQ_FT, m_ft, "Flip test",
      "(d predicted +, a-neighbours -) minus (d -, neighbours +), per d "
      "row; reference sign" },
    { "GE", 1, BQ_GE, m_ge, "Generalized entropy (alpha = 2)",
      "inequality of benefits yhat - y + 1; 0: equal, unbounded" },
};

static int metric_index(const char *name, int *post)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(metrics); i++)
        if (strcmp(metrics[i].name, name) == 0) {
            *post = metrics[i].post;
            return (int)i;
        }
    return -1;
}

int bias_metric_known(const char *name)
{
    int post;

    return name != NULL && metric_index(name, &post) >= 0;
}

int bias_metric_info(const char *name, const char **description,
                     const char **meaning)
{
    int post, i = name ? metric_index(name, &post) : -1;

    if (i < 0)
        return -1;
    if (description != NULL)
        *description = metrics[i].description;
    if (meaning != NULL)
        *meaning = metrics[i].meaning;
    return 0;
}

int bias_distances(const uint64_t *na, const uint64_t *nd, size_t k,
                   int truncate, double out[BIAS_NDIST], char *err,
                   size_t errlen)
{
    uint64_t ta = 0, td = 0;
    double *pa = xcalloc(k + 1, sizeof(double));
    double *pd = xcalloc(k + 1, sizeof(double));
    double *t1 = xcalloc(k + 1, sizeof(double));
    double *t2 = xcalloc(k + 1, sizeof(double));
    double m, lp = 0, ks = 0;
    size_t i, s = 0;
    int rc = -1;

    for (i = 0; i < k; i++) {
        ta += na[i];
        td += nd[i];
    }
    /* pdfs_aligned_nonzero: p = count / total over the sorted keys; with
     * truncation only the keys present in both groups, else all keys
     * present in either. */
    for (i = 0; i < k; i++) {
        if (truncate ? (na[i] == 0 || nd[i] == 0) : na[i] + nd[i] == 0)
            continue;
        pa[s] = ta ? (double)na[i] / (double)ta : 0;
        pd[s] = td ? (double)nd[i] / (double)td : 0;
        s++;
    }
    if (truncate && s == 0) {
        snprintf(err, errlen, "No instance of common facet found, dataset "
                 "may be too small");
        goto out;
    }
    if (!truncate && ta == 0) {
        snprintf(err, errlen, "Negated facet set is empty.");
        goto out;
    }
    if (!truncate && td == 0) {
        snprintf(err, errlen, "Facet set is empty.");
        goto out;
    }
    /* KL = np.sum(Pa * np.log(Pa / Pd)); strict: 0 log 0 = 0 and
     * x log(x / 0) = +inf */
    for (i = 0; i < s; i++)
        t1[i] = pa[i] == 0 ? 0 : pd[i] == 0 ? INFINITY :
            pa[i] * log(pa[i] / pd[i]);
    out[BD_KL] = stats_sum(t1, s);
    /* JS = 0.5 (np.sum(Pa log(Pa / M)) + np.sum(Pd log(Pd / M))),
     * M = 1/2 (Pa + Pd) */
    for (i = 0; i < s; i++) {
        m = 0.5 * (pa[i] + pd[i]);
        t1[i] = pa[i] == 0 ? 0 : pa[i] * log(pa[i] / m);
        t2[i] = pd[i] == 0 ? 0 : pd[i] * log(pd[i] / m);
    }
    out[BD_JS] = 0.5 * (stats_sum(t1, s) + stats_sum(t2, s));
    /* LP = np.linalg.norm(Pa - Pd, 2) = sqrt(dot); TVD = 0.5 L1;
     * KS = max |Pa - Pd| */
    for (i = 0; i < s; i++) {
        m = pa[i] - pd[i];
        lp += m * m;
        t1[i] = fabs(m);
        ks = t1[i] > ks ? t1[i] : ks;
    }
    out[BD_LP] = sqrt(lp);
    out[BD_TVD] = 0.5 * stats_sum(t1, s);
    out[BD_KS] = ks;
    rc = 0;
out:
    free(pa);
    free(pd);
    free(t1);
    free(t2);
    return rc;
}

static void perf(const struct mctx *x, struct bias_result *r)
{
    double tp = (double)(x->tp[0] + x->tp[1]), fp = (double)(x->fp[0] +
                                                             x->fp[1]);
    double fn = (double)(x->fn[0] + x->fn[1]), tn = (double)(x->tn[0] +
                                                             x->tn[1]);
    double all = tp + fp + fn + tn, nd = (double)x->n[1], p, rc;

    /* smclarify basic_stats: every ratio through divide() */
    r->perf[BM_ACC] = divide(tn + tp, all);
    r->perf[BM_PPL] = divide(tp + fp, all);
    r->perf[BM_PNL] = divide(tn + fn, all);
    r->perf[BM_RECALL] = rc = divide(tp, tp + fn);
    r->perf[BM_SPEC] = divide(tn, tn + fp);
    r->perf[BM_PREC] = p = divide(tp, fp + tp);
    r->perf[BM_REJ] = divide(tn, tn + fn);
    r->perf[BM_CACC] = divide(fn + tp, fp + tp);
    r->perf[BM_CREJ] = divide(tn + fp, tn + fn);
    r->perf[BM_F1] = 2 * divide(p * rc, p + rc);
    r->conf[0] = divide(tp, all);
    r->conf[1] = divide(fp, all);
    r->conf[2] = divide(fn, all);
    r->conf[3] = divide(tn, all);
    r->conf_d[0] = divide((double)x->tp[1], nd);
    r->conf_d[1] = divide((double)x->fp[1], nd);
    r->conf_d[2] = divide((double)x->fn[1], nd);
    r->conf_d[3] = divide((double)x->tn[1], nd);
}

void bias_compute(const struct bias_counts *c, enum bias_mode mode,
                  const struct bias_ft *ft, struct bias_result *r)
{
    struct mctx x;
    size_t i;
    int d, y, yh;

    memset(&x, 0, sizeof(x));
    memset(r, 0, sizeof(*r));
    x.c = c;
    x.mode = mode;
    x.ft = ft;
    for (d = 0; d < 2; d++)
        for (y = 0; y < 2; y++)
            for (yh = 0; yh < 2; yh++) {
                uint64_t k = c->c[d][y][yh];

                x.n[d] += k;
                *(y ? &x.pos[d] : &x.neg[d]) += k;
                *(yh ? &x.phat[d] : &x.nhat[d]) += k;
                if (y && yh)
                    x.tp[d] += k;
                else if (!y && yh)
                    x.fp[d] += k;
                else if (y)
                    x.fn[d] += k;
                else
                    x.tn[d] += k;
            }
    for (i = 0; i < ARRAY_SIZE(metrics); i++)
        if (!metrics[i].post)
            metrics[i].fn(&x, &r->pre[metrics[i].idx]);
    /* The reference refuses the whole post-training report when nothing
     * is predicted positive (a report-level validation). */
    r->post_ok = c->has_pred && x.phat[0] + x.phat[1] > 0;
    if (c->has_pred && !r->post_ok)
        snprintf(r->post_err, sizeof(r->post_err), "ValueError: No Label "
                 "values are present in the predicted Label Column,"
                 "Positive Predicted Index Series contains all False "
                 "values");
    for (i = 0; i < ARRAY_SIZE(metrics); i++) {
        struct bias_value *v = &r->post[metrics[i].idx];

        if (!metrics[i].post)
            continue;
        if (r->post_ok)
            metrics[i].fn(&x, v);
        else
            verr(v, "%s", c->has_pred ? r->post_err :
                 "no prediction column given");
    }
    /* direct calls with the raw label column (common support) */
    if (c->ncat > 0) {
        uint64_t *a = xcalloc(c->ncat, sizeof(uint64_t));
        uint64_t *dd = xcalloc(c->ncat, sizeof(uint64_t));
        double out[BIAS_NDIST];
        char err[BIAS_ERRLEN];
        int k;

        for (i = 0; i < c->ncat; i++) {
            a[i] = c->cat[i][0];
            dd[i] = c->cat[i][1];
        }
        if (bias_distances(a, dd, c->ncat, 1, out, err, sizeof(err)) == 0)
            for (k = 0; k < BIAS_NDIST; k++)
                vset(&r->full[k], out[k]);
        else
            for (k = 0; k < BIAS_NDIST; k++)
                verr(&r->full[k], "%s", err);
        free(a);
        free(dd);
    }
    /* basic_stats: proportion = sum(index) / len(index),
     * observed_label_distribution = [q_d, 1 - q_d] */
    r->proportion = c->n ? (double)x.n[1] / (double)c->n : 0;
    r->old[0] = divide((double)x.pos[1], (double)x.n[1]);
    r->old[1] = 1 - r->old[0];
    if (r->post_ok)
        perf(&x, r);
}

/* ---- after the scan: order, reports, warnings ---- */

struct sortent {
    uint32_t id;
    int numeric;                /* compare num, else text (bytes) */
    double num;
    const char *text;
};

static int sortent_cmp(const void *pa, const void *pb)
{
    const struct sortent *a = pa, *b = pb;

    if (a->numeric && b->numeric)
        return a->num < b->num ? -1 : a->num > b->num;
    return strcmp(a->text, b->text);
}

/* rank[id] of the selected dict entries in np.unique order: numeric
 * when every selected value is a number, else by text (code points);
 * unselected entries get ID_MISSING.  Returns the number ranked. */
static size_t dict_rank(const struct dict *d, const unsigned char *sel,
                        uint32_t *rank)
{
    struct sortent *s = xcalloc(d->n + 1, sizeof(*s));
    size_t i, n = 0;
    int numeric = 1;

    for (i = 0; i < d->n; i++) {
        rank[i] = ID_MISSING;
        if (sel != NULL && !sel[i])
            continue;
        s[n].id = (uint32_t)i;
        s[n].num = d->e[i].num;
        s[n].text = d->e[i].text;
        numeric &= d->e[i].numeric;
        n++;
    }
    for (i = 0; i < n; i++)
        s[i].numeric = numeric;
    qsort(s, n, sizeof(*s), sortent_cmp);
    for (i = 0; i < n; i++)
        rank[s[i].id] = (uint32_t)i;
    free(s);
    return n;
}

static int is_d(const struct bias *b, uint32_t fid, uint32_t f)
{
    if (b->fthr)
        return f == 1;
    if (f == ID_MISSING)
        return 0;
    return b->ovr ? f == fid : b->g->facets.e[f].hit;
}

static void warn(struct bias *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn(struct bias *b, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    b->warn = xrealloc(b->warn, (b->nwarn + 2) * sizeof(char *));
    b->warn[b->nwarn++] = xstrdup(msg);
    b->warn[b->nwarn] = NULL;
}

static void finish_warnings(struct bias *b, const unsigned char *lseen)
{
    const struct bias_ws *g = b->g;
    size_t i;
    uint32_t id;

    if (g->bad_fields)
        warn(b, "%llu record%s with a wrong number of fields skipped",
             (unsigned long long)g->bad_fields, g->bad_fields > 1 ? "s" : "");
    for (i = 0; i < b->fvals.n; i++)
        if (dict_find(&g->facets, b->fvals.key[i], b->fvals.klen[i],
                      hash_bytes(b->fvals.key[i], b->fvals.klen[i])) ==
            ID_MISSING)
            warn(b, "facet value '%s' never occurs in column '%s'",
                 b->fvals.text[i], b->fcol_joined);
    for (i = 0; i < b->lvals.n; i++) {
        id = dict_find(&g->vals, b->lvals.key[i], b->lvals.klen[i],
                       hash_bytes(b->lvals.key[i], b->lvals.klen[i]));
        if (id == ID_MISSING || !lseen[id])
            warn(b, "label value '%s' never occurs in column '%s'",
                 b->lvals.text[i], b->lcol);
    }
    if (b->ovr && g->facets.n == 0)
        warn(b, "facet column '%s' has no values", b->fcol_joined);
    if (g->facet_nonnum)
        warn(b, "%llu values of facet column '%s' are not numbers; "
             "they are in a", (unsigned long long)g->facet_nonnum,
             b->fcol_joined);
    if (g->label_nonnum)
        warn(b, "%llu values of label column '%s' are not numbers; "
             "they count as negative", (unsigned long long)g->label_nonnum,
             b->lcol);
    if (g->pred_nonnum)
        warn(b, "%llu values of prediction column '%s' are not numbers; "
             "they count as negative", (unsigned long long)g->pred_nonnum,
             b->pcol);
}

/* Why FT cannot run on the kept rows, or NULL. */
static const char *ft_error(const struct bias *b, char *buf, size_t n)
{
    const struct bias_ws *g = b->g;
    size_t j;
    int nan = 0;

    if (g->fkind[b->nfeat])
        return "FlipTest does not support non-numeric columns";
    for (j = 0; j < b->nfeat; j++) {
        if ((g->fkind[j] & FK_OTHER) ||
            ((g->fkind[j] & FK_NUM) && (g->fkind[j] & FK_BOOL)))
            return "FlipTest does not support non-numeric columns";
        nan |= (g->fkind[j] & FK_MISSING) != 0;
    }
    if (g->ft_full) {
        snprintf(buf, n, "FT: more than %zu feature values; not computed "
                 "(assay keeps FlipTest's rows in bounded memory)",
                 (size_t)FT_MAX_VALUES);
        return buf;
    }
    if (nan)
        return "Input X contains NaN.";
    return NULL;
}

static void finish_report(struct bias *b, struct rep *rp,
                          const uint32_t *grank, const uint32_t *crank,
                          size_t ncat, int cat_missing)
{
    const struct bias_ws *g = b->g;
    struct bias_counts *c = &rp->c;
    struct bias_ft ft;
    unsigned char *dv = NULL;
    char ftbuf[BIAS_ERRLEN];
    size_t i;

    c->n = g->n;
    c->has_pred = b->pidx >= 0;
    c->has_group = b->gidx >= 0;
    c->ngroups = c->has_group ? g->groups.n : 0;
    c->g = xcalloc(c->ngroups + 1, sizeof(*c->g));
    c->ncat = ncat + (cat_missing != 0);
    c->cat = xcalloc(c->ncat + 1, sizeof(*c->cat));
    for (i = 0; i < g->cells.n; i++) {
        const struct cell *e = &g->cells.c[i];
        int d = is_d(b, rp->fid, e->f), y = is_pos(b, &g->vals, e->l);
        int yh = c->has_pred && is_pos(b, &g->vals, e->p);

        c->c[d][y][yh] += e->n;
        if (c->has_group && e->g == ID_MISSING)
            c->n_group_missing += e->n;
        else if (c->has_group)
            c->g[grank[e->g]][d][y][yh] += e->n;
        if (c->ncat > 0)
            c->cat[e->l == ID_MISSING ? ncat : crank[e->l]][d] += e->n;
    }
    memset(&ft, 0, sizeof(ft));
    if (b->want_ft) {
        ft.nfeat = b->nfeat;
        ft.err = ft_error(b, ftbuf, sizeof(ftbuf));
        if (ft.err == NULL) {
            dv = xmalloc(g->fn + 1);
            for (i = 0; i < g->fn; i++)
                dv[i] = (unsigned char)is_d(b, rp->fid, g->ff[i]);
            ft.nrows = g->fn;
            ft.x = g->fx;
            ft.d = dv;
            ft.yh = g->fy;
        }
    }
    bias_compute(c, b->mode, b->want_ft ? &ft : NULL, &rp->r);
    free(dv);
}

static void finish(struct bias *b)
{
    struct bias_ws *g = b->g;
    uint32_t *grank = xcalloc(g->groups.n + 1, sizeof(uint32_t));
    uint32_t *crank = xcalloc(g->vals.n + 1, sizeof(uint32_t));
    unsigned char *lseen = xcalloc(g->vals.n + 1, 1);
    size_t i, ncat = 0;
    int cat_missing = 0;

    if (b->finished)
        goto out;
    b->finished = 1;
    dict_rank(&g->groups, NULL, grank);
    /* label categories: the values seen in the label column (value
     * lists only; a threshold label has no categories), missing last */
    for (i = 0; i < g->cells.n; i++) {
        if (g->cells.c[i].l == ID_MISSING)
            cat_missing = 1;
        else if (!b->lthr)
            lseen[g->cells.c[i].l] = 1;
    }
    if (!b->lthr)
        ncat = dict_rank(&g->vals, lseen, crank);
    else
        cat_missing = 0;
    b->nrep = b->ovr ? g->facets.n : 1;
    b->rep = xcalloc(b->nrep + 1, sizeof(*b->rep));
    for (i = 0; i < b->nrep; i++) {
        b->rep[i].fid = (uint32_t)i;
        finish_report(b, &b->rep[i], grank, crank, ncat, cat_missing);
    }
    finish_warnings(b, lseen);
out:
    free(grank);
    free(crank);
    free(lseen);
}

size_t bias_nreports(struct bias *b)
{
    finish(b);
    return b->nrep;
}

const struct bias_counts *bias_report_counts(struct bias *b, size_t i)
{
    finish(b);
    return i < b->nrep ? &b->rep[i].c : NULL;
}

const struct bias_result *bias_report_result(struct bias *b, size_t i)
{
    finish(b);
    return i < b->nrep ? &b->rep[i].r : NULL;
}

const char *bias_report_value(struct bias *b, size_t i)
{
    finish(b);
    return b->ovr && i < b->nrep ? b->g->facets.e[b->rep[i].fid].text :
        NULL;
}

const char *const *bias_warnings(struct bias *b)
{
    static const char *const none[] = { NULL };

    finish(b);
    return b->warn ? (const char *const *)b->warn : none;
}

int bias_confusion(struct bias *b, size_t *n, const char ***names,
                   uint64_t **m)
{
    const struct bias_ws *g;
    uint32_t *rank;
    unsigned char *sel;
    size_t i, k;

    finish(b);
    g = b->g;
    if (b->lthr || b->pidx < 0)
        return -1;
    rank = xcalloc(g->vals.n + 1, sizeof(uint32_t));
    sel = xcalloc(g->vals.n + 1, 1);
    for (i = 0; i < g->cells.n; i++) {
        if (g->cells.c[i].l != ID_MISSING)
            sel[g->cells.c[i].l] = 1;
        if (g->cells.c[i].p != ID_MISSING)
            sel[g->cells.c[i].p] = 1;
    }
    *n = dict_rank(&g->vals, sel, rank);
    *names = xcalloc(*n + 1, sizeof(char *));
    for (k = 0; k < g->vals.n; k++)
        if (rank[k] != ID_MISSING)
            (*names)[rank[k]] = g->vals.e[k].text;
    *m = xcalloc(*n * *n + 1, sizeof(uint64_t));
    for (i = 0; i < g->cells.n; i++) {
        const struct cell *e = &g->cells.c[i];

        if (e->l != ID_MISSING && e->p != ID_MISSING)
            (*m)[rank[e->l] * *n + rank[e->p]] += e->n;
    }
    free(rank);
    free(sel);
    return 0;
}

/* ---- JSON (DESIGN.md contract) ---- */

static struct json_t *value_json(const struct bias_value *v)
{
    struct json_t *o = j_obj(), *a;

    if (!v->ok) {
        j_set(o, "value", j_null());
        j_set(o, "error", j_str(v->err));
        return o;
    }
    j_set(o, "value", j_num(v->v));
    if (v->ci_method != NULL) {
        if (v->has_ci) {
            a = j_arr();
            j_push(a, j_num(v->lo));
            j_push(a, j_num(v->hi));
            j_set(o, "ci95", a);
        } else {
            j_set(o, "ci95", j_null());
        }
        j_set(o, "ci_method", j_str(v->ci_method));
    }
    if (v->has_p)
        j_set(o, "p_value", v->p >= 0 ? j_num(v->p) : j_null());
    return o;
}

/* A threshold as the user wrote it: 40, not 40.0. */
static struct json_t *thr_json(double t)
{
    if (t == floor(t) && fabs(t) < 1e15)
        return j_int((long long)t);
    return j_num(t);
}

static struct json_t *strs_json(char *const *s, size_t n)
{
    struct json_t *a = j_arr();
    size_t i;

    for (i = 0; i < n; i++)
        j_push(a, j_str(s[i]));
    return a;
}

static struct json_t *facet_json(const struct bias *b, const struct rep *rp)
{
    struct json_t *o = j_obj(), *a;

    j_set(o, "column", j_str(b->fcol_joined));
    if (b->nfcols > 1)
        j_set(o, "columns", strs_json(b->fcols, b->nfcols));
    if (b->fthr) {
        j_set(o, "threshold", thr_json(b->ft));
    } else if (b->ovr) {
        a = j_arr();
        j_push(a, j_str(b->g->facets.e[rp->fid].text));
        j_set(o, "values", a);
    } else {
        j_set(o, "values", strs_json(b->fvals.text, b->fvals.n));
    }
    return o;
}

static void count(struct json_t *o, const char *k, uint64_t v)
{
    j_set(o, k, j_int((long long)v));
}

static struct json_t *counts_json(const struct bias_counts *c)
{
    struct json_t *o = j_obj();
    uint64_t k[2][2][2] = { { { 0 } } };   /* [d][y][yh] */
    int d, y, yh;

    for (d = 0; d < 2; d++)
        for (y = 0; y < 2; y++)
            for (yh = 0; yh < 2; yh++)
                k[d][y][yh] = c->c[d][y][yh];
    count(o, "n", c->n);
    count(o, "n_d", k[1][0][0] + k[1][0][1] + k[1][1][0] + k[1][1][1]);
    count(o, "n_a", k[0][0][0] + k[0][0][1] + k[0][1][0] + k[0][1][1]);
    count(o, "n_d_pos", k[1][1][0] + k[1][1][1]);
    count(o, "n_a_pos", k[0][1][0] + k[0][1][1]);
    count(o, "n_pos", k[0][1][0] + k[0][1][1] + k[1][1][0] + k[1][1][1]);
    count(o, "n_neg", k[0][0][0] + k[0][0][1] + k[1][0][0] + k[1][0][1]);
    if (c->has_pred) {
        count(o, "TP_a", k[0][1][1]);
        count(o, "FP_a", k[0][0][1]);
        count(o, "FN_a", k[0][1][0]);
        count(o, "TN_a", k[0][0][0]);
        count(o, "TP_d", k[1][1][1]);
        count(o, "FP_d", k[1][0][1]);
        count(o, "FN_d", k[1][1][0]);
        count(o, "TN_d", k[1][0][0]);
    }
    if (c->has_group) {
        count(o, "n_groups_non_missing", c->ngroups);
        count(o, "n_group_missing", c->n_group_missing);
    }
    return o;
}

static const char *const perf_names[BIAS_NPERF] = {
    "accuracy", "proportion_predicted_positive",
    "proportion_predicted_negative", "recall", "specificity", "precision",
    "rejection_rate", "conditional_acceptance", "conditional_rejection",
    "f1",
};

static struct json_t *perf_json(struct bias *b, const struct bias_result *r)
{
    struct json_t *o = j_obj(), *a = j_arr(), *cm, *row;
    const char **names = NULL;
    uint64_t *m = NULL;
    size_t i, k, n = 0;

    for (i = 0; i < BIAS_NPERF; i++)
        j_set(o, perf_names[i], j_num(r->perf[i]));
    for (i = 0; i < 4; i++)
        j_push(a, j_num(r->conf[i]));
    j_set(o, "confusion_TP_FP_FN_TN", a);
    if (bias_confusion(b, &n, &names, &m) == 0 && n > CONFUSION_MAX) {
        free(names);
        free(m);
    } else if (m != NULL) {
        /* {label: {prediction: rows}} */
        cm = j_obj();
        for (i = 0; i < n; i++) {
            row = j_obj();
            for (k = 0; k < n; k++)
                j_set(row, names[k], j_int((long long)m[i * n + k]));
            j_set(cm, names[i], row);
        }
        j_set(o, "confusion_matrix", cm);
        free(names);
        free(m);
    }
    return o;
}

static int sev_rank(const char *s)
{
    if (strcmp(s, "info") == 0)
        return 1;
    if (strcmp(s, "warn") == 0)
        return 2;
    return 3;
}

static struct json_t *limit_json(const struct bias_limit *l)
{
    struct json_t *o = j_obj();

    if (l->has_max_abs)
        j_set(o, "max_abs", j_num(l->max_abs));
    if (l->has_max)
        j_set(o, "max", j_num(l->max));
    if (l->has_min)
        j_set(o, "min", j_num(l->min));
    if (l->significance > 0)
        j_set(o, "significance", j_num(l->significance));
    return o;
}

/* One finding per limit.  A metric that cannot be computed is an
 * "error" finding and counts at the limit's severity: a gate must not
 * pass on a number it never saw.  significance applies to metrics with a
 * p-value (DPL, DPPL): a breach with p >= significance passes. */
static struct json_t *finding_json(const struct bias *b, const struct rep *rp,
                                   const struct bias_limit *l, int *worst)
{
    struct json_t *o = j_obj();
    const struct bias_value *v;
    char msg[600], why[300] = "";
    int post = 0, i = metric_index(l->metric, &post), fail = 0;
    const char *status;

    v = post ? &rp->r.post[metrics[i].idx] : &rp->r.pre[metrics[i].idx];
    j_set(o, "metric", j_str(l->metric));
    j_set(o, "value", v->ok ? j_num(v->v) : j_null());
    j_set(o, "limit", limit_json(l));
    if (!v->ok) {
        status = "error";
        snprintf(msg, sizeof(msg), "%s cannot be computed: %s", l->metric,
                 post && !rp->c.has_pred ? "no prediction column given" :
                 v->err);
    } else {
        if (l->has_max_abs && !(fabs(v->v) <= l->max_abs))
            fail = snprintf(why, sizeof(why), "|%s| > max_abs %.6g",
                            l->metric, l->max_abs);
        else if (l->has_max && !(v->v <= l->max))
            fail = snprintf(why, sizeof(why), "above max %.6g", l->max);
        else if (l->has_min && !(v->v >= l->min))
            fail = snprintf(why, sizeof(why), "below min %.6g", l->min);
        if (fail && l->significance > 0 && v->has_p &&
            !(v->p >= 0 && v->p < l->significance)) {
            status = "pass";
            snprintf(msg, sizeof(msg), "%s = %.6g: %s, but not significant "
                     "(p = %.3g >= %g)", l->metric, v->v, why, v->p,
                     l->significance);
        } else if (fail) {
            status = "fail";
            if (v->has_p && l->significance > 0)
                snprintf(msg, sizeof(msg), "%s = %.6g: %s (p = %.3g)",
                         l->metric, v->v, why, v->p);
            else
                snprintf(msg, sizeof(msg), "%s = %.6g: %s", l->metric,
                         v->v, why);
        } else {
            status = "pass";
            snprintf(msg, sizeof(msg), "%s = %.6g is within limits",
                     l->metric, v->v);
        }
        if (v->has_p)
            j_set(o, "p_value", j_num(v->p));
    }
    if (strcmp(status, "pass") != 0 && sev_rank(l->severity) > *worst)
        *worst = sev_rank(l->severity);
    j_set(o, "status", j_str(status));
    j_set(o, "severity", j_str(l->severity));
    j_set(o, "message", j_str(msg));
    return o;
}

static struct json_t *report_json(struct bias *b, const struct rep *rp,
                                  int *worst)
{
    struct json_t *o = j_obj(), *l = j_obj(), *pre = j_obj(), *post, *f;
    const struct bias_result *r = &rp->r;
    size_t i;

    j_set(o, "facet", facet_json(b, rp));
    j_set(l, "column", j_str(b->lcol));
    if (b->lthr)
        j_set(l, "threshold", thr_json(b->lt));
    else
        j_set(l, "values", strs_json(b->lvals.text, b->lvals.n));
    j_set(o, "label", l);
    j_set(o, "group", j_str(b->gcol));
    j_set(o, "predicted", j_str(b->pcol));
    j_set(o, "mode", j_str(b->mode == BIAS_STRICT ? "strict" : "clarify"));
    j_set(o, "counts", counts_json(&rp->c));
    for (i = 0; i < ARRAY_SIZE(metrics); i++)
        if (!metrics[i].post)
            j_set(pre, metrics[i].name, value_json(&r->pre[metrics[i].idx]));
    j_set(o, "pretraining", pre);
    if (b->mode == BIAS_STRICT && rp->c.ncat > 0) {
        struct json_t *a = j_arr();
        const struct bias_ws *g = b->g;
        uint32_t *rank = xcalloc(g->vals.n + 1, sizeof(uint32_t));
        unsigned char *sel = xcalloc(g->vals.n + 1, 1);
        size_t k, n;

        for (k = 0; k < g->cells.n; k++)
            if (g->cells.c[k].l != ID_MISSING)
                sel[g->cells.c[k].l] = 1;
        n = dict_rank(&g->vals, sel, rank);
        for (i = 0; i < n; i++)
            for (k = 0; k < g->vals.n; k++)
                if (rank[k] == i)
                    j_push(a, j_str(g->vals.e[k].text));
        if (rp->c.ncat > n)
            j_push(a, j_null());        /* missing labels */
        j_set(o, "label_categories", a);
        free(rank);
        free(sel);
    }
    if (rp->c.has_pred && r->post_ok) {
        post = j_obj();
        for (i = 0; i < ARRAY_SIZE(metrics); i++)
            if (metrics[i].post)
                j_set(post, metrics[i].name,
                      value_json(&r->post[metrics[i].idx]));
        j_set(o, "posttraining", post);
        j_set(o, "model_performance", perf_json(b, r));
    } else if (rp->c.has_pred) {
        j_set(o, "posttraining", j_null());
        j_set(o, "posttraining_error", j_str(r->post_err));
    }
    if (b->nlimits > 0) {
        f = j_arr();
        for (i = 0; i < b->nlimits; i++)
            j_push(f, finding_json(b, rp, &b->limits[i], worst));
        j_set(o, "findings", f);
    }
    return o;
}

struct json_t *bias_json(struct bias *b, int *worst)
{
    struct json_t *a;
    int w = 0;
    size_t i;

    finish(b);
    if (!b->ovr) {
        a = report_json(b, &b->rep[0], &w);
    } else {
        a = j_arr();
        for (i = 0; i < b->nrep; i++)
            j_push(a, report_json(b, &b->rep[i], &w));
    }
    if (worst != NULL)
        *worst = w;
    return a;
}
