/* checker.c -- rules bound to a dataset: the scan sink that runs every
 * check in the one pass, the sort-based checks after it, the results.
 *
 * checker_new() resolves each declared column to a field index once and
 * builds per-column plans: per record a column's field is tested for
 * null, parsed once as its declared type, and the parsed value is shared
 * by all that column's checks and the expressions.  Each scan worker has
 * its own counters, samples and dedup keys; merge() folds them in worker
 * order so "first N samples" stay the first N.  Absent optional columns
 * (required: false): their checks are reported with status "pass",
 * checked 0 and the message "column absent (required: false)". */
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"
#include "identity.h"
#include "hash.h"
#include "json.h"

/* ---- binding ---- */

static int find_field(const struct checker *ck, const char *name)
{
    return nidx_get(&ck->fields, name);
}

static int missing_column(const struct rules *r, const char *const *names,
                          size_t n, const char *data, const char *col,
                          unsigned line, unsigned pos, struct assay_err *err)
{
    char hint[160];
    struct buf b = BUF_INIT;
    size_t i;
    int rc;

    rules_did_you_mean(hint, sizeof(hint), col, names, n);
    for (i = 0; i < n && b.len < 600; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (i < n)
        buf_printf(&b, ", ... (%zu columns)", n);
    rc = seterr_at(err, ASSAY_ECOLUMN, r->path, line, pos,
                   "column '%s' not found in '%s'%s; its columns are: %s",
                   col, data, hint, buf_cstr(&b));
    buf_release(&b);
    return rc;
}

static void push(size_t **v, size_t *n, size_t *cap, size_t x)
{
    grow(v, cap, *n + 1, sizeof(**v));
    (*v)[(*n)++] = x;
}

static void push_step(struct step **v, size_t *n, size_t *cap,
                      const struct check *c, size_t i)
{
    grow(v, cap, *n + 1, sizeof(**v));
    (*v)[*n].eval = c->kind->eval;
    (*v)[*n].c = c;
    (*v)[*n].wi = i;
    (*n)++;
}

static struct plan *plan_for(struct checker *ck, int slot)
{
    struct plan *p;

    if (ck->slot_plan[slot] >= 0)
        return &ck->plan[ck->slot_plan[slot]];
    grow(&ck->plan, &ck->plan_cap, ck->nplan + 1, sizeof(*ck->plan));
    ck->slot_plan[slot] = (int)ck->nplan;
    p = &ck->plan[ck->nplan++];
    memset(p, 0, sizeof(*p));
    p->slot = slot;
    p->field = (uint32_t)ck->slot_field[slot];
    p->type = VT_STRING;
    if ((size_t)slot < ck->r->ncol && ck->r->col[slot].type >= 0)
        p->type = ck->r->col[slot].type;
    p->type_check = -1;
    return p;
}

/* Slots of a dataset unique check's columns: declared columns are their
 * own slots, others get extra slots.  -1 with err on an unknown one. */
static int bind_tuple(struct checker *ck, size_t i, const char *const *names,
                      size_t n, const char *data, struct assay_err *err)
{
    const struct rules *r = ck->r;
    const struct check *c = &r->check[i];
    size_t k;

    ck->tuple[i] = xcalloc(c->ncols, sizeof(int));
    for (k = 0; k < c->ncols; k++) {
        int slot = -1, f = -1;
        size_t j;

        slot = nidx_get(&r->colidx, c->cols[k]);
        if (slot < 0) {
            f = find_field(ck, c->cols[k]);
            if (f < 0)
                return missing_column(r, names, n, data, c->cols[k],
                                      c->cols_line[k], c->cols_col[k], err);
            for (j = r->ncol; j < ck->nslot; j++)
                if (ck->slot_field[j] == f)
                    slot = (int)j;      /* in an earlier tuple too */
        }
        if (slot < 0) {
            slot = (int)ck->nslot++;
            ck->slot_field = xrealloc(ck->slot_field,
                                      ck->nslot * sizeof(int));
            ck->slot_field[slot] = f;
        }
        if (ck->slot_field[slot] < 0)
            ck->absent[i] = 1;
        ck->tuple[i][k] = slot;
    }
    return 0;
}

static void bind_check(struct checker *ck, size_t i)
{
    const struct check *c = &ck->r->check[i];
    struct plan *p;

    if (c->col >= 0) {
        if (ck->slot_field[c->col] < 0) {
            ck->absent[i] = 1;
            return;
        }
        p = plan_for(ck, c->col);
        if (c->kind == kind_type)
            p->type_check = (int)i;
        else if (strcmp(c->kind->name, "not_null") == 0)
            push(&p->nn, &p->nnn, &p->nn_cap, i);
        else if (c->kind->eval != NULL)
            push_step(&p->vc, &p->nvc, &p->vc_cap, c, i);
        return;
    }
    if (c->expr != NULL) {
        const int *cols;
        size_t n = expr_columns(c->expr, &cols), k;

        for (k = 0; k < n; k++) {
            if (ck->slot_field[cols[k]] < 0)
                ck->absent[i] = 1;
            else
                plan_for(ck, cols[k]);
        }
    }
    if (ck->tuple[i] != NULL && !ck->absent[i]) {
        size_t k;

        for (k = 0; k < c->ncols; k++)
            plan_for(ck, ck->tuple[i][k]);
    }
    if (c->kind->eval != NULL && !ck->absent[i])
        push_step(&ck->rowc, &ck->nrowc, &ck->rowc_cap, c, i);
}

static void sink_init(struct checker *ck);

struct checker *checker_bind(const struct rules *r, const char *const *names,
                             size_t n, const char *data_name,
                             struct identity *id, unsigned nsamples,
                             struct assay_err *err)
{
    struct checker *ck = xcalloc(1, sizeof(*ck));
    size_t i;

    ck->r = r;
    ck->nfields = n;
    ck->id = id;
    ck->nsamples = nsamples;
    ck->header = xcalloc(n + 1, sizeof(*ck->header));
    for (i = 0; i < n; i++) {
        ck->header[i] = xstrdup(names[i]);
        nidx_put(&ck->fields, ck->header[i], (int)i);   /* first wins */
    }
    ck->nslot = r->ncol;
    ck->slot_field = xcalloc(r->ncol + 1, sizeof(int));
    ck->tuple = xcalloc(r->ncheck, sizeof(*ck->tuple));
    ck->absent = xcalloc(r->ncheck, sizeof(*ck->absent));
    for (i = 0; i < r->ncol; i++) {
        ck->slot_field[i] = find_field(ck, r->col[i].name);
        if (ck->slot_field[i] < 0 && r->col[i].required) {
            missing_column(r, names, n, data_name, r->col[i].name,
                           r->col[i].line, r->col[i].col, err);
            goto fail;
        }
    }
    for (i = 0; i < r->ncheck; i++)
        if (r->check[i].cols != NULL &&
            bind_tuple(ck, i, names, n, data_name, err) < 0)
            goto fail;
    ck->slot_plan = xmalloc((ck->nslot + 1) * sizeof(int));
    for (i = 0; i < ck->nslot; i++)
        ck->slot_plan[i] = -1;
    for (i = 0; i < r->ncheck; i++)
        bind_check(ck, i);
    ck->nullv = (const char *const *)r->null_values;
    ck->nnull = r->nnull;
    ck->nulll = xcalloc(r->nnull + 1, sizeof(*ck->nulll));
    ck->nmin = UINT32_MAX;
    for (i = 0; i < r->nnull; i++) {
        ck->nulll[i] = (uint32_t)strlen(r->null_values[i]);
        ck->nmin = MIN(ck->nmin, ck->nulll[i]);
        ck->nmax = MAX(ck->nmax, ck->nulll[i]);
    }
    ck->tot = xcalloc(r->ncheck, sizeof(*ck->tot));
    ck->dd = xcalloc(r->ncheck, sizeof(*ck->dd));
    for (i = 0; i < r->ncheck; i++) {
        ck->tot[i].samples.max = nsamples;
        dedup_init(&ck->dd[i], 0);
    }
    ck->min_fields = -1;
    sink_init(ck);
    return ck;
fail:
    checker_free(ck);
    return NULL;
}

struct checker *checker_new(const struct rules *r, struct scan *s,
                            struct identity *id, unsigned nsamples,
                            struct assay_err *err)
{
    size_t n = scan_ncols(s), i;
    const char **names = xcalloc(n + 1, sizeof(*names));
    struct checker *ck;

    for (i = 0; i < n; i++)
        names[i] = scan_colname(s, i);
    ck = checker_bind(r, names, n, scan_path(s), id, nsamples, err);
    free(names);
    return ck;
}

void checker_free(struct checker *ck)
{
    size_t i;

    if (ck == NULL)
        return;
    for (i = 0; i < ck->nfields; i++)
        free(ck->header[i]);
    free(ck->header);
    for (i = 0; i < ck->nplan; i++) {
        free(ck->plan[i].nn);
        free(ck->plan[i].vc);
    }
    free(ck->plan);
    free(ck->slot_field);
    free(ck->slot_plan);
    nidx_release(&ck->fields);
    free(ck->rowc);
    if (ck->tuple != NULL)
        for (i = 0; i < ck->r->ncheck; i++)
            free(ck->tuple[i]);
    free(ck->tuple);
    free(ck->absent);
    free(ck->nulll);
    if (ck->tot != NULL)
        for (i = 0; i < ck->r->ncheck; i++) {
            sample_release(&ck->tot[i].samples);
            dedup_part_release(&ck->tot[i].part);
            dedup_release(&ck->dd[i]);
        }
    free(ck->tot);
    free(ck->dd);
    free(ck);
}

/* ---- the scan sink ---- */

static int is_unique(const struct check *c)
{
    return c->kind->eval == eval_unique || c->kind->eval == eval_unique_tuple;
}

/* What a worker writes for every record (struct worker, the value cache,
 * the counters) sits in padded blocks (util.h: xcalloc_padded), so that
 * two workers never write to the same cache line (false sharing). */

static void resolve_steps(struct worker *w, const struct step *src,
                          size_t n, struct wstep **dst)
{
    size_t k;

    *dst = xcalloc(n + 1, sizeof(**dst));
    for (k = 0; k < n; k++) {
        (*dst)[k].eval = src[k].eval;
        (*dst)[k].c = src[k].c;
        (*dst)[k].wc = &w->wc[src[k].wi];
    }
}

/* The plans with pointers into this worker's state. */
static void resolve(const struct checker *ck, struct worker *w)
{
    size_t i, k;

    w->nplan = ck->nplan;
    w->plan = xcalloc(ck->nplan + 1, sizeof(*w->plan));
    for (i = 0; i < ck->nplan; i++) {
        const struct plan *p = &ck->plan[i];
        struct wplan *q = &w->plan[i];

        q->field = p->field;
        q->type = p->type;
        q->cv = &w->cache[p->slot];
        /* parse_as() sets v.type of typed values; strings keep this */
        q->cv->v.type = (enum vtype)p->type;
        q->type_wc = p->type_check >= 0 ? &w->wc[p->type_check] : NULL;
        q->nnn = p->nnn;
        q->nn = xcalloc(p->nnn + 1, sizeof(*q->nn));
        for (k = 0; k < p->nnn; k++)
            q->nn[k] = &w->wc[p->nn[k]];
        q->nvc = p->nvc;
        resolve_steps(w, p->vc, p->nvc, &q->vc);
    }
    w->nrowc = ck->nrowc;
    resolve_steps(w, ck->rowc, ck->nrowc, &w->rowc);
}

static void *sink_worker_new(void *self, unsigned worker)
{
    struct checker *ck = self;
    const struct rules *r = ck->r;
    struct worker *w = xcalloc_padded(1, sizeof(*w));
    size_t i;

    w->ck = ck;
    ck->nworkers++;
    w->cache = xcalloc_padded(ck->nslot + 1, sizeof(*w->cache));
    w->wc = xcalloc_padded(r->ncheck, sizeof(*w->wc));
    w->rxs = xcalloc(r->ncheck, sizeof(*w->rxs));
    w->min_fields = -1;
    for (i = 0; i < r->ncheck; i++) {
        w->wc[i].samples.max = ck->nsamples;
        dedup_part_init(&w->wc[i].part, 0);
        if (r->check[i].rx != NULL && !ck->absent[i])
            w->rxs[i] = rx_scratch_new(r->check[i].rx);
    }
    resolve(ck, w);
    return w;
}

static void worker_free(struct checker *ck, struct worker *w)
{
    size_t i;

    for (i = 0; i < ck->r->ncheck; i++) {
        sample_release(&w->wc[i].samples);
        dedup_part_release(&w->wc[i].part);
        rx_scratch_free(w->rxs[i]);
    }
    for (i = 0; i < w->nplan; i++) {
        free(w->plan[i].nn);
        free(w->plan[i].vc);
    }
    free(w->plan);
    free(w->rowc);
    free_padded(w->wc);
    free(w->rxs);
    free_padded(w->cache);
    buf_release(&w->key);
    free_padded(w);
}

static inline int is_null(const struct checker *ck, const char *p,
                          uint32_t n)
{
    size_t i;

    if (n == 0)
        return 1;
    if (n < ck->nmin || n > ck->nmax)
        return 0;
    for (i = 0; i < ck->nnull; i++)
        if (ck->nulll[i] == n && memcmp(ck->nullv[i], p, n) == 0)
            return 1;
    return 0;
}

static void bad_field_count(struct worker *w, const struct row *row)
{
    struct wcheck *fc = &w->wc[0];
    int nf = (int)MIN(row->nfields, (size_t)INT32_MAX);

    fc->failures++;
    if (fc->samples.n < fc->samples.max)
        sample_add(&fc->samples, row->line, row->record, row->raw,
                   row->raw_len);
    if (w->min_fields < 0 || nf < w->min_fields)
        w->min_fields = nf;
    if (nf > w->max_fields)
        w->max_fields = nf;
}

static void add_sample(struct wcheck *wc, const struct row *row,
                       const char *p, uint32_t n)
{
    if (wc->samples.n < wc->samples.max)
        sample_add(&wc->samples, row->line, row->record, p, n);
}

/* One column of one record: null test, one parse, then its checks. */
static inline void do_column(struct worker *w, const struct wplan *p,
                             const struct row *row)
{
    const struct checker *ck = w->ck;
    struct colval *cv = p->cv;
    size_t k;

    cv->p = row->field[p->field];
    cv->n = row->len[p->field];
    if (is_null(ck, cv->p, cv->n)) {
        cv->state = CV_NULL;
        for (k = 0; k < p->nnn; k++) {
            p->nn[k]->failures++;
            add_sample(p->nn[k], row, cv->p, cv->n);
        }
        return;
    }
    /* A declared string must be text: well-formed UTF-8. */
    if (p->type == VT_STRING ? p->type_wc != NULL &&
                               !utf8_ok(cv->p, cv->n) :
        !typed_get(row, p->field, (enum vtype)p->type, &cv->v) &&
        !parse_as((enum vtype)p->type, cv->p, cv->n, &cv->v)) {
        cv->state = CV_BAD;
        if (p->type_wc != NULL) {
            p->type_wc->failures++;
            p->type_wc->checked++;
            add_sample(p->type_wc, row, cv->p, cv->n);
        }
        return;
    }
    cv->state = CV_OK;
    if (p->type_wc != NULL)
        p->type_wc->checked++;
    w->cell = cv;
    for (k = 0; k < p->nvc; k++)
        p->vc[k].eval(p->vc[k].c, p->vc[k].wc, w);
}

static int sink_row(void *ws, const struct row *row, struct assay_err *err)
{
    struct worker *w = ws;
    size_t i;

    w->rows++;
    w->row = row;
    if (row->nfields != w->ck->nfields) {
        bad_field_count(w, row);
        return 0;
    }
    w->ok_rows++;
    for (i = 0; i < w->nplan; i++)
        do_column(w, &w->plan[i], row);
    for (i = 0; i < w->nrowc; i++)
        w->rowc[i].eval(w->rowc[i].c, w->rowc[i].wc, w);
    return 0;
}

/* Every part is in: merge the keys of (at most ASYNC_MAX) unique checks
 * on threads of their own while the scan merges the other sinks;
 * checker_finish() joins them. */
enum { ASYNC_MAX = 4 };

static void finish_async(struct checker *ck)
{
    size_t i, n = 0;

    for (i = 0; i < ck->r->ncheck && n < ASYNC_MAX; i++)
        if (is_unique(&ck->r->check[i]) && !ck->absent[i]) {
            dedup_finish_async(&ck->dd[i], NULL, NULL);
            n++;
        }
}

static void sink_merge(void *self, void *ws, uint64_t rec_off,
                       uint64_t line_off)
{
    struct checker *ck = self;
    struct worker *w = ws;
    size_t i;

    for (i = 0; i < ck->r->ncheck; i++) {
        struct wcheck *t = &ck->tot[i], *s = &w->wc[i];

        t->failures += s->failures;
        t->checked += s->checked;
        t->errors += s->errors;
        t->nulls += s->nulls;
        t->gave_up |= s->gave_up;
        if (s->have_obs && !t->have_obs) {
            t->have_obs = 1;
            t->imin = s->imin;
            t->imax = s->imax;
            t->dmin = s->dmin;
            t->dmax = s->dmax;
        } else if (s->have_obs) {
            t->imin = MIN(t->imin, s->imin);
            t->imax = MAX(t->imax, s->imax);
            t->dmin = MIN(t->dmin, s->dmin);
            t->dmax = MAX(t->dmax, s->dmax);
        }
        sample_merge(&t->samples, &s->samples, rec_off, line_off);
        if (is_unique(&ck->r->check[i]))
            dedup_merge(&ck->dd[i], &s->part);
    }
    ck->rows += w->rows;
    ck->ok_rows += w->ok_rows;
    if (w->min_fields >= 0 &&
        (ck->min_fields < 0 || w->min_fields < ck->min_fields))
        ck->min_fields = w->min_fields;
    ck->max_fields = MAX(ck->max_fields, w->max_fields);
    worker_free(ck, w);
    if (++ck->nmerged == ck->nworkers)
        finish_async(ck);
}

/* On the worker's thread after its last record: sort unique keys. */
static void sink_done(void *ws)
{
    struct worker *w = ws;
    size_t i;

    for (i = 0; i < w->ck->r->ncheck; i++)
        dedup_part_seal(&w->wc[i].part);
}

static void sink_init(struct checker *ck)
{
    ck->sink.name = "rules";
    ck->sink.self = ck;
    ck->sink.worker_new = sink_worker_new;
    ck->sink.row = sink_row;
    ck->sink.merge = sink_merge;
    ck->sink.done = sink_done;
}

const struct scan_sink *checker_sink(struct checker *ck)
{
    return &ck->sink;
}

/* ---- after the scan: unique ---- */

/* Exact set of byte strings (the repeated values met on the second
 * look), so a sample is a value really seen before, not a key
 * collision. */
struct byteset {
    uint64_t *hash;
    char **val;
    size_t *len;
    size_t n, mask;
};

static int byteset_add(struct byteset *s, const void *p, size_t n)
{
    uint64_t h = hash64(p, n);
    size_t slot, i;

    if (s->mask == 0 || 2 * (s->n + 1) > s->mask + 1) {
        struct byteset g = { NULL, NULL, NULL, 0, s->mask ? 2 * s->mask + 1
                                                          : 15 };

        g.hash = xcalloc(g.mask + 1, sizeof(*g.hash));
        g.val = xcalloc(g.mask + 1, sizeof(*g.val));
        g.len = xcalloc(g.mask + 1, sizeof(*g.len));
        for (i = 0; s->mask != 0 && i <= s->mask; i++) {
            if (s->val[i] == NULL)
                continue;
            slot = s->hash[i] & g.mask;
            while (g.val[slot] != NULL)
                slot = (slot + 1) & g.mask;
            g.hash[slot] = s->hash[i];
            g.val[slot] = s->val[i];
            g.len[slot] = s->len[i];
        }
        g.n = s->n;
        free(s->hash);
        free(s->val);
        free(s->len);
        *s = g;
    }
    for (slot = h & s->mask; s->val[slot] != NULL;
         slot = (slot + 1) & s->mask)
        if (s->hash[slot] == h && s->len[slot] == n &&
            memcmp(s->val[slot], p, n) == 0)
            return 0;                   /* seen before */
    s->hash[slot] = h;
    s->val[slot] = xmalloc(n + 1);
    memcpy(s->val[slot], p, n);
    s->len[slot] = n;
    s->n++;
    return 1;
}

static void byteset_release(struct byteset *s)
{
    size_t i;

    for (i = 0; s->mask != 0 && i <= s->mask; i++)
        free(s->val[i]);
    free(s->hash);
    free(s->val);
    free(s->len);
    memset(s, 0, sizeof(*s));
}

struct relook {
    struct checker *ck;
    size_t *idx, n;             /* unique checks that want samples */
    struct byteset *seen;
    struct colval *cache;
    struct buf key;
    size_t done;                /* checks with all their samples */
};

/* The canonical bytes of check c's value in this record, as during the
 * scan; 0 when the record has no value for it. */
static int relook_key(struct relook *rl, const struct check *c, size_t i,
                      const struct row *row, const char **p, size_t *n)
{
    struct checker *ck = rl->ck;
    struct value v;
    size_t k;

    if (c->col >= 0) {
        int f = ck->slot_field[c->col];
        int t = ck->r->col[c->col].type;

        *p = row->field[f];
        *n = row->len[f];
        if (is_null(ck, *p, (uint32_t)*n))
            return 0;
        return t < 0 || t == VT_STRING || parse_as((enum vtype)t, *p, *n, &v);
    }
    buf_reset(&rl->key);
    for (k = 0; k < c->ncols; k++) {
        int f = ck->slot_field[ck->tuple[i][k]];
        uint32_t len = row->len[f];
        unsigned char lb[4];

        if (is_null(ck, row->field[f], len))
            return 0;
        lb[0] = (unsigned char)len;
        lb[1] = (unsigned char)(len >> 8);
        lb[2] = (unsigned char)(len >> 16);
        lb[3] = (unsigned char)(len >> 24);
        buf_add(&rl->key, lb, 4);
        buf_add(&rl->key, row->field[f], len);
    }
    *p = rl->key.data;
    *n = rl->key.len;
    return 1;
}

static int relook_row(void *ctx, const struct row *row)
{
    struct relook *rl = ctx;
    struct checker *ck = rl->ck;
    size_t j;

    if (rl->done == rl->n)
        return 1;                       /* all samples found: stop */
    if (row->nfields != ck->nfields)
        return 0;
    for (j = 0; j < rl->n; j++) {
        size_t i = rl->idx[j];
        const struct check *c = &ck->r->check[i];
        struct sample_list *sl = &ck->tot[i].samples;
        const char *p;
        size_t n;

        if (sl->n >= sl->max || !relook_key(rl, c, i, row, &p, &n))
            continue;
        if (!dedup_is_repeated(&ck->dd[i], p, n))
            continue;
        if (byteset_add(&rl->seen[j], p, n))
            continue;                   /* first time: not a repeat */
        if (c->col >= 0)
            sample_add(sl, row->line, row->record, p, n);
        else
            sample_add(sl, row->line, row->record, row->raw, row->raw_len);
        if (sl->n >= sl->max)
            rl->done++;
    }
    return rl->done == rl->n;
}

int checker_finish_with(struct checker *ck, rescan_fn rescan, void *src,
                        struct assay_err *err)
{
    struct relook rl;
    size_t i, idx_cap = 0;
    int rc = 0, r;

    if (ck->finished)
        return 0;
    ck->finished = 1;
    memset(&rl, 0, sizeof(rl));
    rl.ck = ck;
    for (i = 0; i < ck->r->ncheck; i++) {
        const struct check *c = &ck->r->check[i];

        if (!is_unique(c) || ck->absent[i])
            continue;
        dedup_finish(&ck->dd[i], NULL);
        ck->tot[i].failures = ck->dd[i].repeats;
        if (ck->dd[i].repeats > 0 && ck->nsamples > 0)
            push(&rl.idx, &rl.n, &idx_cap, i);
    }
    if (rl.n == 0)
        goto out;
    if (rescan == NULL) {
        ck->rescan_failed = 1;
        goto out;
    }
    rl.seen = xcalloc(rl.n, sizeof(*rl.seen));
    r = rescan(src, relook_row, &rl, err);
    if (r < 0)
        rc = -1;
    else if (r > 0)
        ck->rescan_failed = 1;
    for (i = 0; i < rl.n; i++)
        byteset_release(&rl.seen[i]);
out:
    free(rl.seen);
    free(rl.idx);
    buf_release(&rl.key);
    return rc;
}

static int rescan_scan(void *src, int (*fn)(void *ctx, const struct row *row),
                       void *ctx, struct assay_err *err)
{
    return scan_rescan(src, fn, ctx, err);
}

int checker_finish(struct checker *ck, struct scan *s, struct assay_err *err)
{
    return checker_finish_with(ck, s != NULL ? rescan_scan : NULL, s, err);
}

/* ---- results ---- */

int check_within(const struct check *c, uint64_t failures, uint64_t checked)
{
    double f = (double)failures, n = (double)checked;

    switch (c->tol.kind) {
    case TOL_COUNT:
        return f <= c->tol.v;
    case TOL_PERCENT:
        return f * 100.0 <= c->tol.v * n;
    case TOL_MOSTLY:
        /* passing share >= mostly; the epsilon absorbs 0.999 * 1000
         * landing a hair above 999 in binary. */
        return checked == 0 || (n - f) + 1e-9 * n >= c->tol.v * n;
    default:
        return failures == 0;
    }
}

static const char *const sev_name[] = { "", "info", "warn", "fail" };

/* Totals that come from elsewhere than the sink. */
static void late_totals(struct checker *ck, size_t i)
{
    const struct check *c = &ck->r->check[i];
    struct wcheck *t = &ck->tot[i];

    if (c->kind == kind_field_count) {
        t->checked = ck->rows;
    } else if (strcmp(c->kind->name, "not_null") == 0) {
        t->checked = ck->absent[i] ? 0 : ck->ok_rows;
    } else if (strcmp(c->kind->name, "row_count") == 0) {
        t->checked = ck->rows;
        t->failures = (int64_t)ck->rows < c->lo.i ||
                      (int64_t)ck->rows > c->hi.i;
    } else if (strcmp(c->kind->name, "duplicate_rows") == 0 &&
               ck->id != NULL && t->samples.n == 0 && t->checked == 0) {
        const struct sample_list *sl = identity_dup_samples(ck->id);
        size_t k;

        t->failures = identity_duplicates(ck->id);
        t->checked = identity_checked(ck->id);
        for (k = 0; sl != NULL && k < sl->n; k++)
            sample_add(&t->samples, sl->s[k].line, sl->s[k].record,
                       sl->s[k].value, sl->s[k].value != NULL ?
                       strlen(sl->s[k].value) : 0);
    }
}

static struct json_t *samples_json(const struct sample_list *l)
{
    struct json_t *a = j_arr();
    size_t k;

    for (k = 0; k < l->n; k++) {
        struct json_t *o = j_obj();

        j_set(o, "line", j_int((long long)l->s[k].line));
        j_set(o, "record", j_int((long long)l->s[k].record));
        j_set(o, "value", j_str(l->s[k].value));
        j_push(a, o);
    }
    return a;
}

static struct json_t *result_json(struct checker *ck, size_t i)
{
    const struct check *c = &ck->r->check[i];
    struct wcheck *t = &ck->tot[i];
    struct json_t *res = j_obj();
    const char *status;
    int no_identity = strcmp(c->kind->name, "duplicate_rows") == 0 &&
                      ck->id == NULL;

    late_totals(ck, i);
    if (ck->absent[i] || no_identity)
        status = no_identity ? "error" : "pass";
    else if (t->errors > 0)
        status = "error";
    else
        status = check_within(c, t->failures, t->checked) ? "pass" : "fail";
    j_set(res, "id", j_str(c->id));
    j_set(res, "kind", j_str(c->kind->name));
    j_set(res, "column", c->col >= 0 ? j_str(ck->r->col[c->col].name)
                                     : j_null());
    j_set(res, "severity", j_str(sev_name[c->sev]));
    j_set(res, "status", j_str(status));
    j_set(res, "failures", j_int((long long)t->failures));
    j_set(res, "checked", j_int((long long)t->checked));
    c->kind->report(ck, i, res);
    if (ck->absent[i])
        j_set(res, "message", j_str("column absent (required: false)"));
    if (no_identity)
        j_set(res, "message", j_str("duplicate_rows needs the record "
                                    "identity pass, which did not run"));
    j_set(res, "samples", samples_json(&t->samples));
    return res;
}

struct json_t *checker_results(struct checker *ck)
{
    struct json_t *a = j_arr();
    size_t i;

    for (i = 0; i < ck->r->ncheck; i++)
        j_push(a, result_json(ck, i));
    return a;
}
