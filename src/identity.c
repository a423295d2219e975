/* identity.c -- row digest, schema hash and duplicate records
 * (identity.h).  A scan sink: each worker encodes every record
 * canonically and appends its 96-bit key to a dedup part; the merged keys
 * are sorted once at the end.  Samples of duplicate records need record
 * numbers, which are not stored: they come from one second look at the
 * file, only when duplicates were found. */
#include <stdlib.h>
#include <string.h>
#include "crypto.h"
#include "dedup.h"
#include "hash.h"
#include "identity.h"
#include "json.h"
#include "types.h"
#include "util.h"

struct identity_ws {
    size_t ncols;
    unsigned *mask;             /* inferred types (identity_want_types) */
    uint32_t *active;           /* columns whose mask is not 0 yet */
    size_t nactive;
    struct dedup_part good;     /* records with the header's field count */
    struct dedup_part bad;      /* the others: in the digest only */
    struct buf enc;
};

struct identity {
    size_t ncols;
    unsigned nworkers, nmerged;
    int types;                  /* infer column types */
    unsigned *mask;
    struct dedup d;
    struct dedup_part bad;
    struct scan_sink sink;
    char digest[65];
    struct sample_list samples;
};

/* Canonical encoding: field count, then each field as a 4-byte LE length
 * and its bytes.  Quoting and line endings do not matter; text does.
 * Written in one go into a buffer sized once per record. */
static inline unsigned char *put_le32(unsigned char *o, uint32_t v)
{
    o[0] = (unsigned char)v;
    o[1] = (unsigned char)(v >> 8);
    o[2] = (unsigned char)(v >> 16);
    o[3] = (unsigned char)(v >> 24);
    return o + 4;
}

static void encode(struct buf *b, const struct row *row)
{
    size_t i, need = 4 + 4 * row->nfields;
    unsigned char *o;

    for (i = 0; i < row->nfields; i++)
        need += row->len[i];
    buf_reset(b);
    grow(&b->data, &b->cap, need + 1, 1);
    o = put_le32((unsigned char *)b->data, (uint32_t)row->nfields);
    for (i = 0; i < row->nfields; i++) {
        o = put_le32(o, row->len[i]);
        copy_short(o, row->field[i], row->len[i]);
        o += row->len[i];
    }
    b->len = need;
}

/* Narrow each still-typed column's mask by this record's value (the
 * empty field is the only null); a column that becomes string leaves the
 * active list. */
static void infer(struct identity_ws *ws, const struct row *row)
{
    size_t k = 0;
    int64_t iv;
    double dv;

    while (k < ws->nactive) {
        uint32_t c = ws->active[k];

        if (row->len[c] > 0) {
            ws->mask[c] = vtype_narrow(ws->mask[c], row->field[c],
                                       row->len[c], &iv, &dv);
            if (ws->mask[c] == 0) {
                ws->active[k] = ws->active[--ws->nactive];
                continue;
            }
        }
        k++;
    }
}

static void *id_worker_new(void *self, unsigned worker)
{
    struct identity *id = self;
    struct identity_ws *ws = xcalloc_padded(1, sizeof(*ws));

    (void)worker;
    id->nworkers++;
    ws->ncols = id->ncols;
    if (id->types) {
        size_t i;

        ws->mask = xcalloc(id->ncols + 1, sizeof(*ws->mask));
        ws->active = xcalloc(id->ncols + 1, sizeof(*ws->active));
        for (i = 0; i < id->ncols; i++) {
            ws->mask[i] = VT_M_ALL;
            ws->active[ws->nactive++] = (uint32_t)i;
        }
    }
    dedup_part_init(&ws->good, 1);
    dedup_part_init(&ws->bad, 1);
    return ws;
}

static int id_row(void *wsp, const struct row *row, struct assay_err *err)
{
    struct identity_ws *ws = wsp;

    (void)err;
    if (ws->nactive > 0 && row->nfields == ws->ncols)
        infer(ws, row);
    encode(&ws->enc, row);
    dedup_part_add(row->nfields == ws->ncols ? &ws->good : &ws->bad,
                   ws->enc.data, ws->enc.len);
    return 0;
}

/* On the worker's thread, after its last record: sort its keys there. */
static void id_done(void *wsp)
{
    struct identity_ws *ws = wsp;

    dedup_part_seal(&ws->good);
    dedup_part_seal(&ws->bad);
}

static void id_merge(void *self, void *wsp, uint64_t rec_off,
                     uint64_t line_off)
{
    struct identity *id = self;
    struct identity_ws *ws = wsp;

    (void)rec_off;
    (void)line_off;
    dedup_merge(&id->d, &ws->good);
    dedup_part_join(&id->bad, &ws->bad);
    if (id->types) {
        size_t i;

        for (i = 0; i < id->ncols; i++)
            id->mask[i] &= ws->mask[i];
    }
    free(ws->mask);
    free(ws->active);
    /* every part is in: merge the keys on a thread of their own while
     * the scan merges the other sinks (identity_finish() joins it) */
    if (++id->nmerged == id->nworkers)
        dedup_finish_async(&id->d, &id->bad, id->digest);
    buf_release(&ws->enc);
    free_padded(ws);
}

struct identity *identity_new(const struct scan *s)
{
    struct identity *id = xcalloc(1, sizeof(*id));

    id->ncols = scan_ncols(s);
    dedup_init(&id->d, 1);
    dedup_part_init(&id->bad, 1);
    id->sink.name = "identity";
    id->sink.self = id;
    id->sink.worker_new = id_worker_new;
    id->sink.row = id_row;
    id->sink.merge = id_merge;
    id->sink.done = id_done;
    return id;
}

void identity_free(struct identity *id)
{
    if (id == NULL)
        return;
    dedup_release(&id->d);
    dedup_part_release(&id->bad);
    free(id->mask);
    sample_release(&id->samples);
    free(id);
}

const struct scan_sink *identity_sink(struct identity *id)
{
    return &id->sink;
}

void identity_want_types(struct identity *id)
{
    size_t i;

    if (id->types)
        return;
    id->types = 1;
    id->mask = xcalloc(id->ncols + 1, sizeof(*id->mask));
    for (i = 0; i < id->ncols; i++)
        id->mask[i] = VT_M_ALL;
}

enum vtype identity_col_type(const struct identity *id, size_t i)
{
    if (!id->types || i >= id->ncols)
        return VT_STRING;
    return vtype_of_mask(id->mask[i]);
}

/* ---- the second look for duplicate samples ---- */

/* Exact set of canonical encodings seen (only records whose key repeats
 * are put here, so it stays small). */
struct seen {
    struct buf *items;
    uint64_t *hashes;
    size_t n, cap;
};

static int seen_add(struct seen *s, const struct buf *enc)
{
    uint64_t h = hash64(enc->data, enc->len);
    size_t i;

    for (i = 0; i < s->n; i++)
        if (s->hashes[i] == h && s->items[i].len == enc->len &&
            memcmp(s->items[i].data, enc->data, enc->len) == 0)
            return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap;

        grow(&s->hashes, &cap, s->n + 1, sizeof(*s->hashes));
        s->items = xrealloc(s->items, cap * sizeof(*s->items));
        s->cap = cap;
    }
    s->hashes[s->n] = h;
    memset(&s->items[s->n], 0, sizeof(s->items[s->n]));
    buf_add(&s->items[s->n], enc->data, enc->len);
    s->n++;
    return 1;
}

static void seen_release(struct seen *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        buf_release(&s->items[i]);
    free(s->items);
    free(s->hashes);
}

struct dup_look {
    struct identity *id;
    struct seen seen;
    struct buf enc;
};

static int dup_row(void *ctx, const struct row *row)
{
    struct dup_look *dl = ctx;
    struct identity *id = dl->id;

    if (row->nfields != id->ncols)
        return 0;
    encode(&dl->enc, row);
    if (!dedup_is_repeated(&id->d, dl->enc.data, dl->enc.len))
        return 0;
    if (!seen_add(&dl->seen, &dl->enc))
        sample_add(&id->samples, row->line, row->record, row->raw,
                   row->raw_len);
    return id->samples.n >= id->samples.max;    /* stop when enough */
}

int identity_finish(struct identity *id, struct scan *s, unsigned nsamples,
                    struct assay_err *err)
{
    dedup_finish_with(&id->d, &id->bad, id->digest);
    id->samples.max = nsamples;
    if (id->d.repeats > 0 && nsamples > 0) {
        struct dup_look dl;
        int rc;

        memset(&dl, 0, sizeof(dl));
        dl.id = id;
        rc = scan_rescan(s, dup_row, &dl, err);
        seen_release(&dl.seen);
        buf_release(&dl.enc);
        if (rc < 0)
            return -1;
    }
    return 0;
}

const char *identity_row_digest(const struct identity *id)
{
    return id->digest;
}

uint64_t identity_duplicates(const struct identity *id)
{
    return id->d.repeats;
}

uint64_t identity_checked(const struct identity *id)
{
    return id->d.count;
}

const struct sample_list *identity_dup_samples(const struct identity *id)
{
    return &id->samples;
}

void identity_schema_hash(const char *const *names, const char *const *types,
                          size_t n, char out[65])
{
    struct json_t *a = j_arr();
    char *s;
    size_t i;

    for (i = 0; i < n; i++) {
        struct json_t *o = j_obj();

        j_set(o, "name", j_str(names[i]));
        j_set(o, "type", j_str(types[i]));
        j_push(a, o);
    }
    s = j_dump(a, J_CANON);
    sha256_hex(s, strlen(s), out);
    free(s);
    j_free(a);
}
