/* test_bias.c -- unit tests for bias.c.
 *
 *  1. Every value of tests/data/bias/expected.json (the reference
 *     implementation's results, copied from ../shared/bias-examples):
 *     counts, pre- and post-training metrics, report-level errors, the
 *     full-distribution variants, basic stats and model performance.
 *     Count ratios are compared bit for bit (the hex patterns), KL, JS,
 *     LP and GE (logarithms, square roots, order-dependent sums) to 1e-12.
 *     The documented deviations (DESIGN decision 4: a missing string
 *     group is excluded instead of raising TypeError; strict/full
 *     distributions treat a missing label as its own category) are
 *     checked against values computed independently here.
 *  2. The shared datasets, against metrics computed in this file from
 *     counts made by its own CSV reader (skipped without ../shared).
 *  3. strict mode, limits and findings, bad input, worker merging. */
#include "testutil.h"
#include <float.h>
#include "bias_int.h"
#include "json.h"
#include "scan.h"
#include "util.h"

/* ---- a tiny independent CSV reader (RFC 4180 quotes, CRLF) ---- */

struct tcsv {
    size_t nrows, ncols;
    char **hdr;
    char ***cell;               /* cell[r][c] */
    size_t *nf;                 /* fields in row r */
};

static void push_field(char ***row, size_t *n, const char *p, size_t len)
{
    char *s = malloc(len + 1);

    memcpy(s, p, len);
    s[len] = '\0';
    *row = realloc(*row, (*n + 1) * sizeof(char *));
    (*row)[(*n)++] = s;
}

static struct tcsv *tcsv_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct tcsv *t;
    char *buf, *fld;
    long size;
    size_t i = 0, fl = 0, n = 0, cap = 0;
    char **row = NULL;
    int inq = 0, any = 0;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    fld = malloc((size_t)size + 1);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size)
        size = 0;
    fclose(f);
    t = calloc(1, sizeof(*t));
    while (i <= (size_t)size) {
        char c = i < (size_t)size ? buf[i] : '\n';

        if (inq) {
            if (c == '"' && i + 1 < (size_t)size && buf[i + 1] == '"') {
                fld[fl++] = '"';
                i += 2;
                continue;
            }
            if (c == '"')
                inq = 0;
            else
                fld[fl++] = c;
            i++;
            continue;
        }
        if (c == '"') {
            inq = 1;
            any = 1;
        } else if (c == ',') {
            push_field(&row, &n, fld, fl);
            fl = 0;
            any = 1;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < (size_t)size && buf[i + 1] == '\n')
                i++;
            if (any || fl > 0) {
                push_field(&row, &n, fld, fl);
                if (t->hdr == NULL) {
                    t->hdr = row;
                    t->ncols = n;
                } else {
                    if (t->nrows == cap) {
                        cap = cap ? 2 * cap : 1024;
                        t->cell = realloc(t->cell, cap * sizeof(char **));
                        t->nf = realloc(t->nf, cap * sizeof(size_t));
                    }
                    t->cell[t->nrows] = row;
                    t->nf[t->nrows++] = n;
                }
                row = NULL;
                n = 0;
            }
            fl = 0;
            any = 0;
        } else {
            fld[fl++] = c;
            any = 1;
        }
        i++;
    }
    free(buf);
    free(fld);
    return t;
}

static void tcsv_free(struct tcsv *t)
{
    size_t r, c;

    if (t == NULL)
        return;
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->nf[r]; c++)
            free(t->cell[r][c]);
        free(t->cell[r]);
    }
    for (c = 0; c < t->ncols; c++)
        free(t->hdr[c]);
    free(t->hdr);
    free(t->cell);
    free(t->nf);
    free(t);
}

static long tcol(const struct tcsv *t, const char *name)
{
    size_t c;

    for (c = 0; c < t->ncols; c++)
        if (strcmp(t->hdr[c], name) == 0)
            return (long)c;
    return -1;
}

/* ---- running bias.c ---- */

/* Feed the rows through a sink with nw workers (at most 4) over
 * contiguous parts, merged in part order (as scan.c does). */
static void feed_rows(const struct scan_sink *sk, const struct tcsv *t,
                      unsigned nw)
{
    struct assay_err err = ASSAY_ERR_INIT;
    void *ws[4];
    uint32_t *len = calloc(t->ncols + 64, sizeof(uint32_t));
    unsigned char *quoted = calloc(t->ncols + 64, 1);
    size_t r, c;
    unsigned w;

    assert_true(nw >= 1 && nw <= 4);
    for (w = 0; w < nw; w++)
        ws[w] = sk->worker_new(sk->self, w);
    for (r = 0; r < t->nrows; r++) {
        struct row row;

        for (c = 0; c < t->nf[r]; c++)
            len[c] = (uint32_t)strlen(t->cell[r][c]);
        memset(&row, 0, sizeof(row));
        row.nfields = t->nf[r];
        row.field = (const char *const *)t->cell[r];
        row.len = len;
        row.quoted = quoted;
        row.record = r + 1;
        row.line = r + 2;
        assert_int_equal(sk->row(ws[r * nw / t->nrows], &row, &err), 0);
    }
    for (w = 0; w < nw; w++)
        sk->merge(sk->self, ws[w], 0, 0);
    free(len);
    free(quoted);
}

static struct bias *run_rows(const struct bias_spec *spec,
                             const struct tcsv *t, unsigned nw)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct bias *b = bias_new_header(spec, t->ncols,
                                     (const char *const *)t->hdr, &err);

    if (b == NULL)
        print_error("bias_new_header: %s\n", err.msg);
    assert_non_null(b);
    feed_rows(bias_sink(b), t, nw);
    return b;
}

/* The real path: scan_open() + scan_run(). */
static struct bias *run_scan(const struct bias_spec *spec, const char *path)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct scan_opts so = SCAN_OPTS_INIT;
    struct scan *s = scan_open(path, &so, &err);
    struct bias *b;

    if (s == NULL)
        print_error("scan_open: %s\n", err.msg);
    assert_non_null(s);
    b = bias_new(spec, s, &err);
    if (b == NULL)
        print_error("bias_new: %s\n", err.msg);
    assert_non_null(b);
    scan_add_sink(s, bias_sink(b));
    assert_int_equal(scan_run(s, &err), 0);
    scan_free(s);
    return b;
}

/* Two runs must agree bit for bit (values) and in every error text. */
static void same_value(const struct bias_value *a, const struct bias_value *b)
{
    assert_int_equal(a->ok, b->ok);
    if (a->ok)
        assert_memory_equal(&a->v, &b->v, sizeof(double));
    else
        assert_string_equal(a->err, b->err);
}

static void same_results(const struct bias_result *a,
                         const struct bias_result *b)
{
    size_t i;

    for (i = 0; i < BIAS_NPRE; i++)
        same_value(&a->pre[i], &b->pre[i]);
    assert_int_equal(a->post_ok, b->post_ok);
    for (i = 0; i < BIAS_NPOST; i++)
        same_value(&a->post[i], &b->post[i]);
}

/* ---- reading expected.json ---- */

static const char *const pre_names[BIAS_NPRE] = {
    "CI", "DPL", "KL", "JS", "LP", "TVD", "KS", "CDDL",
};
static const char *const post_names[BIAS_NPOST] = {
    "DPPL", "DI", "DCA", "DCR", "RD", "SD", "DAR", "DRR", "AD", "TE",
    "CDDPL", "FT", "GE",
};
static const char *const dist_names[BIAS_NDIST] = {
    "KL", "JS", "LP", "TVD", "KS",
};
static const char *const perf_keys[BIAS_NPERF] = {
    "Accuracy", "Proportion of Positive Predictions in Labels",
    "Proportion of Negative Predictions in Labels",
    "True Positive Rate / Recall", "True Negative Rate / Specificity",
    "Acceptance Rate / Precision", "Rejection Rate",
    "Conditional Acceptance", "Conditional Rejection", "F1 Score",
};

/* Not count ratios: logarithms, a BLAS dot product and a row-order-
 * dependent numpy sum.  Compared to 1e-12; everything else bit-exact. */
static int inexact(const char *name)
{
    return strcmp(name, "KL") == 0 || strcmp(name, "JS") == 0 ||
        strcmp(name, "LP") == 0 || strcmp(name, "GE") == 0;
}

static int checked, exact_checked;

/* want: {"value": number, "hex": ...} | {"value": "Infinity"} |
 *       {"value": null, "error": "..."} */
static void check_value(const char *cid, const char *name,
                        struct json_t *want, const struct bias_value *got)
{
    struct json_t *v = j_get(want, "value");
    const char *s = j_string(v), *hex = j_string(j_get(want, "hex"));

    checked++;
    if (j_is_null(v)) {
        if (got->ok)
            print_error("%s %s: want error '%s', got %.17g\n", cid, name,
                        j_string(j_get(want, "error")), got->v);
        assert_false(got->ok);
        if (strcmp(got->err, j_string(j_get(want, "error"))) != 0)
            print_error("%s %s: error text\n", cid, name);
        assert_string_equal(got->err, j_string(j_get(want, "error")));
        return;
    }
    if (!got->ok)
        print_error("%s %s: unexpected error '%s'\n", cid, name, got->err);
    assert_true(got->ok);
    if (s != NULL) {
        assert_close(got->v, strcmp(s, "Infinity") == 0 ? INFINITY :
                     -INFINITY, 0);
        return;
    }
    if (hex != NULL && !inexact(name)) {
        double w = strtod(hex, NULL);

        exact_checked++;
        if (memcmp(&w, &got->v, sizeof(double)) != 0)
            print_error("%s %s: %a != %s\n", cid, name, got->v, hex);
        assert_memory_equal(&w, &got->v, sizeof(double));
        return;
    }
    if (fabs(got->v - j_number(v)) > 1e-12)
        print_error("%s %s: %.17g != %.17g\n", cid, name, got->v,
                    j_number(v));
    assert_close(got->v, j_number(v), 1e-12);
}

static char *value_text(struct json_t *v)
{
    char buf[64];

    if (j_string(v) != NULL)
        return xstrdup(j_string(v));
    if (j_number(v) == floor(j_number(v)) && fabs(j_number(v)) < 1e15)
        snprintf(buf, sizeof(buf), "%lld", (long long)j_number(v));
    else
        snprintf(buf, sizeof(buf), "%.17g", j_number(v));
    return xstrdup(buf);
}

/* A spec from a case's facet/label/group/predicted entries; the strings
 * live in *keep (freed by spec_release). */
struct tspec {
    struct bias_spec s;
    const char *fcols[4];
    char *fvals[16], *lvals[16];
    size_t nf, nl;
};

static void spec_from_case(struct tspec *t, struct json_t *cs)
{
    struct json_t *f = j_get(cs, "facet"), *l = j_get(cs, "label"), *v;
    size_t i;

    memset(t, 0, sizeof(*t));
    t->fcols[0] = j_string(j_get(f, "column"));
    t->s.facet_cols = t->fcols;
    t->s.nfacet_cols = 1;
    v = j_get(f, "values");
    for (i = 0; i < j_len(v); i++)
        t->fvals[t->nf++] = value_text(j_at(v, i));
    if (j_get(f, "threshold") != NULL) {
        t->s.facet_has_threshold = 1;
        t->s.facet_threshold = j_number(j_get(f, "threshold"));
    }
    t->s.facet_values = (const char *const *)t->fvals;
    t->s.nfacet_values = t->nf;
    t->s.label_col = j_string(j_get(l, "column"));
    v = j_get(l, "values");
    for (i = 0; i < j_len(v); i++)
        t->lvals[t->nl++] = value_text(j_at(v, i));
    if (j_get(l, "threshold") != NULL) {
        t->s.label_has_threshold = 1;
        t->s.label_threshold = j_number(j_get(l, "threshold"));
    }
    t->s.label_values = (const char *const *)t->lvals;
    t->s.nlabel_values = t->nl;
    t->s.group_col = j_string(j_get(cs, "group_column"));
    t->s.predicted_col = j_string(j_get(cs, "predicted_column"));
}

static void spec_release(struct tspec *t)
{
    size_t i;

    for (i = 0; i < t->nf; i++)
        free(t->fvals[i]);
    for (i = 0; i < t->nl; i++)
        free(t->lvals[i]);
}

static char *case_path(struct json_t *cs)
{
    const char *ds = j_string(j_get(cs, "dataset"));
    const char *sh = shared_dir();

    if (strncmp(ds, "bias-examples/", 14) == 0)
        return xasprintf("%s/bias/%s", TEST_DATA, ds + 14);
    return sh ? xasprintf("%s/%s", sh, ds) : NULL;
}

/* ---- an independent reference, row by row, from the text ---- */

static int num_eq(const char *a, const char *b)
{
    char *e1, *e2;
    double x, y;

    if (strcmp(a, b) == 0)
        return 1;
    if (*a == '\0' || *b == '\0')
        return 0;
    x = strtod(a, &e1);
    y = strtod(b, &e2);
    return *e1 == '\0' && *e2 == '\0' && x == y;
}

static int gt(const char *s, double t)
{
    char *e;
    double x;

    if (*s == '\0')
        return 0;
    x = strtod(s, &e);
    return *e == '\0' && x > t;
}

struct rspec {
    const char *fcol[3];        /* intersection: all must match */
    const char *fval[3][4];     /* [column][alternatives] */
    int nfc;
    int fthr;
    double ft;
    const char *lcol, *lval[4];
    int lthr;
    double lt;
    const char *gcol, *pcol;
};

struct rrow {
    int d, y, yh;
    const char *g;              /* NULL: missing */
    const char *label;          /* raw text, "" missing */
};

static int ref_match(const char *s, const char *const *vals)
{
    size_t i;

    for (i = 0; i < 4 && vals[i] != NULL; i++)
        if (num_eq(s, vals[i]))
            return 1;
    return 0;
}

static struct rrow *ref_rows(const struct tcsv *t, const struct rspec *r)
{
    struct rrow *out = calloc(t->nrows + 1, sizeof(*out));
    long fc[3], lc = tcol(t, r->lcol), gc = r->gcol ? tcol(t, r->gcol) : -1;
    long pc = r->pcol ? tcol(t, r->pcol) : -1;
    size_t i;
    int k;

    for (k = 0; k < r->nfc; k++)
        fc[k] = tcol(t, r->fcol[k]);
    for (i = 0; i < t->nrows; i++) {
        char **row = t->cell[i];

        if (r->fthr) {
            out[i].d = gt(row[fc[0]], r->ft);
        } else {
            out[i].d = 1;
            for (k = 0; k < r->nfc; k++)
                out[i].d &= ref_match(row[fc[k]], r->fval[k]);
        }
        out[i].label = row[lc];
        out[i].y = r->lthr ? gt(row[lc], r->lt) :
            ref_match(row[lc], r->lval);
        if (pc >= 0)
            out[i].yh = r->lthr ? gt(row[pc], r->lt) :
                ref_match(row[pc], r->lval);
        out[i].g = gc >= 0 && row[gc][0] != '\0' ? row[gc] : NULL;
    }
    return out;
}

struct refm {
    double n[2], pos[2], neg[2], phat[2], tp[2], fp[2], fn[2], tn[2];
    double ci, dpl, kl, js, lp, tvd, ks, cddl, cddpl;
    double dppl, di, dca, dcr, rd, sd, dar, drr, ad, te, ge;
};

static double rdiv(double a, double b)
{
    if (a == 0 && b == 0)
        return 0;
    if (b == 0)
        return a > 0 ? INFINITY : -INFINITY;
    return a / b;
}

static double rdiff(double a, double b)
{
    return isinf(a) && isinf(b) && a > 0 && b > 0 ? 0 : a - b;
}

/* CDD from a plain list of the distinct group texts (missing excluded). */
static double ref_cdd(const struct rrow *rw, size_t n, int pred)
{
    const char *gname[256];
    double k[256][2][2], cnt[256], num = 0, den = 0, a, dd;
    size_t i, j, ng = 0;

    memset(k, 0, sizeof(k));
    memset(cnt, 0, sizeof(cnt));
    for (i = 0; i < n; i++) {
        if (rw[i].g == NULL)
            continue;
        for (j = 0; j < ng && !num_eq(gname[j], rw[i].g); j++)
            ;
        if (j == ng)
            gname[ng++] = rw[i].g;
        assert_true(ng < 256);
        k[j][pred ? rw[i].yh : rw[i].y][rw[i].d] += 1;
        cnt[j] += 1;
    }
    for (j = 0; j < ng; j++) {
        a = k[j][1][0] + k[j][1][1] > 0 ?
            k[j][1][1] / (k[j][1][0] + k[j][1][1]) : 0;
        dd = k[j][0][0] + k[j][0][1] > 0 ?
            k[j][0][1] / (k[j][0][0] + k[j][0][1]) : 0;
        num += cnt[j] * (dd - a);
        den += cnt[j];
    }
    return rdiv(num, den);
}

static void ref_metrics(const struct rrow *rw, size_t n, struct refm *m)
{
    double pa[2], pd[2], x0, x1, b = 0, s = 0;
    size_t i;
    int d;

    memset(m, 0, sizeof(*m));
    for (i = 0; i < n; i++) {
        d = rw[i].d;
        m->n[d]++;
        if (rw[i].y)
            m->pos[d]++;
        else
            m->neg[d]++;
        m->phat[d] += rw[i].yh;
        m->tp[d] += rw[i].y && rw[i].yh;
        m->fp[d] += !rw[i].y && rw[i].yh;
        m->fn[d] += rw[i].y && !rw[i].yh;
        m->tn[d] += !rw[i].y && !rw[i].yh;
        b += rw[i].yh - rw[i].y + 1;
    }
    m->ci = (m->n[0] - m->n[1]) / (m->n[0] + m->n[1]);
    m->dpl = m->pos[0] / m->n[0] - m->pos[1] / m->n[1];
    pa[0] = m->neg[0] / m->n[0];
    pa[1] = m->pos[0] / m->n[0];
    pd[0] = m->neg[1] / m->n[1];
    pd[1] = m->pos[1] / m->n[1];
    m->kl = pa[0] * log(pa[0] / pd[0]) + pa[1] * log(pa[1] / pd[1]);
    m->js = 0.5 * (pa[0] * log(2 * pa[0] / (pa[0] + pd[0])) +
                   pa[1] * log(2 * pa[1] / (pa[1] + pd[1])) +
                   pd[0] * log(2 * pd[0] / (pa[0] + pd[0])) +
                   pd[1] * log(2 * pd[1] / (pa[1] + pd[1])));
    x0 = pa[0] - pd[0];
    x1 = pa[1] - pd[1];
    m->lp = hypot(x0, x1);
    m->tvd = 0.5 * (fabs(x0) + fabs(x1));
    m->ks = fmax(fabs(x0), fabs(x1));
    m->cddl = ref_cdd(rw, n, 0);
    m->cddpl = ref_cdd(rw, n, 1);
    m->dppl = m->phat[0] / m->n[0] - m->phat[1] / m->n[1];
    m->di = rdiv(m->phat[1] / m->n[1], m->phat[0] / m->n[0]);
    m->dca = rdiff(rdiv(m->pos[0], m->phat[0]), rdiv(m->pos[1], m->phat[1]));
    m->dcr = rdiff(rdiv(m->neg[1], m->n[1] - m->phat[1]),
                   rdiv(m->neg[0], m->n[0] - m->phat[0]));
    m->rd = rdiv(m->tp[0], m->tp[0] + m->fn[0]) -
        rdiv(m->tp[1], m->tp[1] + m->fn[1]);
    m->sd = rdiv(m->tn[1], m->tn[1] + m->fp[1]) -
        rdiv(m->tn[0], m->tn[0] + m->fp[0]);
    m->dar = rdiv(m->tp[0], m->phat[0]) - rdiv(m->tp[1], m->phat[1]);
    m->drr = rdiv(m->tn[1], m->n[1] - m->phat[1]) -
        rdiv(m->tn[0], m->n[0] - m->phat[0]);
    m->ad = (m->tp[0] + m->tn[0]) / m->n[0] -
        (m->tp[1] + m->tn[1]) / m->n[1];
    m->te = rdiff(rdiv(m->fn[1], m->fp[1]), rdiv(m->fn[0], m->fp[0]));
    for (i = 0; i < n; i++) {
        double r = (rw[i].yh - rw[i].y + 1) / (b / (double)n);

        s += r * r - 1;
    }
    m->ge = s / (2.0 * (double)n);
}

/* ---- 1. expected.json ---- */

static struct json_t *expected;

static int setup(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;

    (void)state;
    expected = j_load_file(TEST_DATA "/bias/expected.json", &err);
    if (expected == NULL)
        print_error("%s\n", err.msg);
    return expected == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    j_free(expected);
    return 0;
}

static void check_counts(const char *cid, struct json_t *want,
                         struct json_t *got)
{
    void *it;

    for (it = j_iter(want); it != NULL; it = j_iter_next(want, it)) {
        struct json_t *g = j_get(got, j_iter_key(it));

        if (g == NULL || j_integer(g) != j_integer(j_iter_value(it)))
            print_error("%s counts.%s: %lld != %lld\n", cid,
                        j_iter_key(it), g ? j_integer(g) : -1LL,
                        j_integer(j_iter_value(it)));
        assert_non_null(g);
        assert_int_equal(j_integer(g), j_integer(j_iter_value(it)));
        checked++;
    }
}

/* A reference TypeError that assay deliberately does not raise. */
static int is_typeerror(struct json_t *m)
{
    const char *e = j_string(j_get(m, "error"));

    return e != NULL && strstr(e, "not supported between instances") !=
        NULL;
}

/* Independent multi-category distances with missing labels as their
 * own category and the reference's common-support truncation. */
static void ref_full(const struct rrow *rw, size_t n, double out[5])
{
    const char *cat[64];
    double ca[64] = { 0 }, cd[64] = { 0 }, na = 0, nd = 0, pa, pd, x;
    size_t i, k, nc = 0;

    for (i = 0; i < n; i++) {
        for (k = 0; k < nc && strcmp(cat[k], rw[i].label) != 0; k++)
            ;
        if (k == nc)
            cat[nc++] = rw[i].label;
        *(rw[i].d ? &cd[k] : &ca[k]) += 1;
        *(rw[i].d ? &nd : &na) += 1;
    }
    memset(out, 0, 5 * sizeof(double));
    for (k = 0; k < nc; k++) {
        if (ca[k] == 0 || cd[k] == 0)
            continue;
        pa = ca[k] / na;
        pd = cd[k] / nd;
        x = fabs(pa - pd);
        out[0] += pa * log(pa / pd);
        out[1] += 0.5 * (pa * log(2 * pa / (pa + pd)) +
                         pd * log(2 * pd / (pa + pd)));
        out[2] += x * x;
        out[3] += 0.5 * x;
        out[4] = fmax(out[4], x);
    }
    out[2] = sqrt(out[2]);
}

static size_t name_index(const char **names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (num_eq(names[i], s))
            return i;
    fail_msg("no confusion-matrix entry '%s'", s);
    return 0;
}

/* {label: {prediction: rows}}; where the reference raises TypeError
 * (a missing label), count the rows with both values present here. */
static void check_confusion(struct bias *b, const struct tcsv *t,
                            const struct rspec *rs, struct json_t *want)
{
    const char **names;
    uint64_t *m;
    size_t n, i, k;
    void *it, *jt;

    assert_int_equal(bias_confusion(b, &n, &names, &m), 0);
    if (j_get(want, "error") != NULL) {
        long lc = tcol(t, rs->lcol), pc = tcol(t, rs->pcol);
        uint64_t *mine = calloc(n * n + 1, sizeof(uint64_t));

        for (i = 0; i < t->nrows; i++)
            if (t->cell[i][lc][0] != '\0' && t->cell[i][pc][0] != '\0')
                mine[name_index(names, n, t->cell[i][lc]) * n +
                     name_index(names, n, t->cell[i][pc])]++;
        assert_memory_equal(mine, m, n * n * sizeof(uint64_t));
        checked++;
        free(mine);
    } else {
        k = 0;
        for (it = j_iter(want); it; it = j_iter_next(want, it))
            k++;
        assert_int_equal(k, n);
        for (it = j_iter(want); it; it = j_iter_next(want, it)) {
            struct json_t *row = j_iter_value(it);

            i = name_index(names, n, j_iter_key(it));
            for (jt = j_iter(row); jt; jt = j_iter_next(row, jt)) {
                k = name_index(names, n, j_iter_key(jt));
                assert_close((double)m[i * n + k],
                             j_number(j_iter_value(jt)), 0);
                checked++;
            }
        }
    }
    free(names);
    free(m);
}

static void check_case(struct json_t *cs)
{
    const char *cid = j_string(j_get(cs, "id"));
    char *path = case_path(cs);
    struct tspec ts;
    struct tcsv *t;
    struct bias *b, *b2;
    const struct bias_result *r;
    struct json_t *js, *sec, *mp, *bs;
    struct rspec rs;
    struct rrow *rw;
    size_t i;
    int worst;

    if (path == NULL)
        return;
    t = tcsv_read(path);
    if (t == NULL) {
        free(path);
        return;                 /* a shared dataset that is absent */
    }
    spec_from_case(&ts, cs);
    b = run_scan(&ts.s, path);
    b2 = run_rows(&ts.s, t, 2);
    assert_int_equal(bias_nreports(b), 1);
    r = bias_report_result(b, 0);
    same_results(r, bias_report_result(b2, 0));
    js = bias_json(b, &worst);
    assert_int_equal(worst, 0);
    assert_string_equal(j_string(j_get(js, "mode")), "clarify");
    check_counts(cid, j_get(cs, "counts"), j_get(js, "counts"));

    /* the independent row-by-row view, for the deviations */
    memset(&rs, 0, sizeof(rs));
    rs.fcol[0] = ts.s.facet_cols[0];
    rs.nfc = 1;
    for (i = 0; i < ts.nf; i++)
        rs.fval[0][i] = ts.fvals[i];
    rs.fthr = ts.s.facet_has_threshold;
    rs.ft = ts.s.facet_threshold;
    rs.lcol = ts.s.label_col;
    for (i = 0; i < ts.nl; i++)
        rs.lval[i] = ts.lvals[i];
    rs.lthr = ts.s.label_has_threshold;
    rs.lt = ts.s.label_threshold;
    rs.gcol = ts.s.group_col;
    rs.pcol = ts.s.predicted_col;
    rw = ref_rows(t, &rs);

    sec = j_get(cs, "pretraining");
    for (i = 0; i < BIAS_NPRE; i++) {
        struct json_t *m = j_get(sec, pre_names[i]);

        assert_non_null(m);
        if (is_typeerror(m)) {
            /* DESIGN decision 4: missing group values drop out */
            assert_true(r->pre[i].ok);
            assert_close(r->pre[i].v, ref_cdd(rw, t->nrows, 0), 1e-12);
            checked++;
            continue;
        }
        check_value(cid, pre_names[i], m, &r->pre[i]);
    }
    if (j_string(j_get(cs, "posttraining_report_error")) != NULL) {
        assert_false(r->post_ok);
        assert_string_equal(r->post_err,
                            j_string(j_get(cs, "posttraining_report_error")));
        assert_true(j_is_null(j_get(js, "posttraining")));
        assert_string_equal(j_string(j_get(js, "posttraining_error")),
                            r->post_err);
        checked++;
    }
    sec = j_get(cs, "posttraining");
    for (i = 0; j_is_object(sec) && i < BIAS_NPOST; i++) {
        struct json_t *m = j_get(sec, post_names[i]);

        assert_non_null(m);
        if (is_typeerror(m)) {
            assert_true(r->post[i].ok);
            assert_close(r->post[i].v, ref_cdd(rw, t->nrows, 1), 1e-12);
            checked++;
            continue;
        }
        check_value(cid, post_names[i], m, &r->post[i]);
    }
    sec = j_get(cs, "label_distribution_full");
    for (i = 0; j_is_object(sec) && i < BIAS_NDIST; i++) {
        struct json_t *m = j_get(sec, dist_names[i]);
        double want[5];

        if (is_typeerror(m)) {
            /* missing labels are a category of their own in assay */
            ref_full(rw, t->nrows, want);
            assert_true(r->full[i].ok);
            assert_close(r->full[i].v, want[i], 1e-12);
            checked++;
            continue;
        }
        if (j_is_null(j_get(m, "value"))) {
            /* the reference's direct calls prefix the exception type */
            const char *e = j_string(j_get(m, "error"));

            assert_false(r->full[i].ok);
            assert_string_equal(strncmp(e, "ValueError: ", 12) == 0 ?
                                e + 12 : e, r->full[i].err);
            checked++;
            continue;
        }
        check_value(cid, dist_names[i], m, &r->full[i]);
    }
    bs = j_get(cs, "basic_stats");
    assert_close(r->proportion, j_number(j_get(bs, "proportion")), 0);
    assert_close(r->old[0], j_number(j_at(j_get(bs,
                 "observed_label_distribution"), 0)), 0);
    assert_close(r->old[1], j_number(j_at(j_get(bs,
                 "observed_label_distribution"), 1)), 0);
    checked += 3;
    for (i = 0; i < j_len(j_get(bs, "confusion_matrix")); i++, checked++)
        assert_close(r->conf_d[i], j_number(j_at(j_get(bs,
                     "confusion_matrix"), i)), 0);
    mp = j_get(cs, "model_performance");
    if (j_is_object(j_get(mp, "metrics"))) {
        struct json_t *bc = j_get(mp, "binary_confusion_matrix_"
                                  "TP_FP_FN_TN_fractions");

        for (i = 0; i < BIAS_NPERF; i++) {
            struct bias_value v;

            memset(&v, 0, sizeof(v));
            v.ok = 1;
            v.v = r->perf[i];
            check_value(cid, perf_keys[i], j_get(j_get(mp, "metrics"),
                                                 perf_keys[i]), &v);
        }
        for (i = 0; i < 4; i++, checked++)
            assert_close(r->conf[i], j_number(j_at(bc, i)), 0);
        check_confusion(b, t, &rs, j_get(mp, "confusion_matrix"));
    }
    free(rw);
    j_free(js);
    bias_free(b);
    bias_free(b2);
    spec_release(&ts);
    tcsv_free(t);
    free(path);
}

static int is_local(struct json_t *cs)
{
    return strncmp(j_string(j_get(cs, "dataset")), "bias-examples/", 14) ==
        0;
}

/* Every case on the copies in tests/data/bias. */
static void test_expected_json(void **state)
{
    struct json_t *cases = j_get(expected, "cases");
    size_t i;

    (void)state;
    assert_int_equal(j_len(cases), 24);
    for (i = 0; i < j_len(cases); i++)
        if (is_local(j_at(cases, i)))
            check_case(j_at(cases, i));
    print_message("expected.json: %d values checked, %d bit-exact\n",
                  checked, exact_checked);
}

/* The worked Adult case: needs ../shared/datasets/adult/adult.csv. */
static void test_expected_adult(void **state)
{
    struct json_t *cases = j_get(expected, "cases");
    size_t i, n = 0;
    char *p;
    FILE *f;

    (void)state;
    if (shared_dir() == NULL)
        skip();
    p = xasprintf("%s/datasets/adult/adult.csv", shared_dir());
    f = fopen(p, "r");
    free(p);
    if (f == NULL)
        skip();
    fclose(f);
    for (i = 0; i < j_len(cases); i++)
        if (!is_local(j_at(cases, i))) {
            check_case(j_at(cases, i));
            n++;
        }
    assert_int_equal(n, 1);
}

/* A spec of one facet column with nfv values and one positive label
 * value (the arrays must outlive it). */
static void spec_simple(struct bias_spec *s, const char *const *fc,
                        const char *const *fv, size_t nfv,
                        const char *label, const char *const *lv)
{
    memset(s, 0, sizeof(*s));
    s->facet_cols = fc;
    s->nfacet_cols = 1;
    s->facet_values = fv;
    s->nfacet_values = nfv;
    s->label_col = label;
    s->label_values = lv;
    s->nlabel_values = 1;
}

/* posttrain_edges: FT = -0.5 with k = 1 and no distance ties; computed
 * from the numeric columns x1, x2 and the group column g2. */
static void test_ft_exact(void **state)
{
    static const char *const fc[] = { "grp" }, *const fv[] = { "d" };
    static const char *const lv[] = { "1" };
    struct bias_spec s;
    struct bias *b;

    (void)state;
    spec_simple(&s, fc, fv, 1, "label", lv);
    s.predicted_col = "pred";
    b = run_scan(&s, TEST_DATA "/bias/posttrain_edges.csv");
    assert_true(bias_report_result(b, 0)->post[BQ_FT].ok);
    assert_close(bias_report_result(b, 0)->post[BQ_FT].v, -0.5, 0);
    bias_free(b);
}

/* ---- 2. the shared datasets against the independent reference ---- */

/* fvals: '|' separates alternatives (OR), ',' the components of an
 * intersectional facet (one per column of fcol). */
static const struct dcase {
    const char *file;
    const char *fcol, *fvals;
    int fthr;
    double ft;
    const char *lcol, *lval;
    int lthr;
    double lt;
    const char *gcol, *pcol;
} dcases[] = {
    { "adult/adult.csv", "sex", "Female", 0, 0, "income", ">50K", 0, 0,
      "education", NULL },
    { "adult/adult.csv", "race", "Black|Amer-Indian-Eskimo", 0, 0,
      "income", ">50K", 0, 0, "relationship", NULL },
    { "adult/adult.csv", "age", NULL, 1, 40, "income", ">50K", 0, 0,
      "sex", NULL },
    { "adult/adult.csv", "sex,race", "Female,Black", 0, 0, "income",
      ">50K", 0, 0, "education", NULL },
    { "adult/adult.csv", "native_country", "?", 0, 0, "income", "<=50K",
      0, 0, "workclass", NULL },
    { "adult/adult_with_pred.csv", "sex", "Female", 0, 0, "income", ">50K",
      0, 0, "race", "pred_income" },
    { "adult/adult_with_pred.csv", "age", NULL, 1, 50, "income", ">50K",
      0, 0, "marital_status", "pred_income" },
    { "compas/compas-scores-two-years.csv", "race", "African-American", 0,
      0, "two_year_recid", "1", 0, 0, "age_cat", NULL },
    { "compas/compas-scores-two-years.csv", "sex", "Female", 0, 0,
      "two_year_recid", "1", 0, 0, "c_charge_degree", NULL },
    { "compas/compas-scores-two-years.csv", "priors_count", NULL, 1, 3,
      "is_recid", "1", 0, 0, "race", NULL },
    { "compas/compas-scores-two-years.csv", "race", "Caucasian|Asian", 0,
      0, "decile_score", NULL, 1, 5, "sex", NULL },
    { "compas/compas_two_year_pred.csv", "race", "African-American", 0, 0,
      "two_year_recid", "1", 0, 0, "female", "pred_recid" },
    { "german_credit/german_credit.csv", "personal_status_sex", "A92|A95",
      0, 0, "credit_risk", "1", 0, 0, "housing", NULL },
    { "german_credit/german_credit.csv", "age", NULL, 1, 25,
      "credit_risk", "1", 0, 0, "purpose", NULL },
    { "german_credit/german_credit.csv", "foreign_worker", "A202", 0, 0,
      "credit_amount", NULL, 1, 5000, "job", NULL },
    { "bank_marketing/bank-full.csv", "marital", "married", 0, 0, "y",
      "yes", 0, 0, "education", NULL },
    { "bank_marketing/bank-full.csv", "job", "retired|student", 0, 0, "y",
      "yes", 0, 0, "marital", NULL },
    { "bank_marketing/bank-full.csv", "age", NULL, 1, 60, "duration", NULL,
      1, 300, "month", NULL },
};

/* Split s at sep into at most max parts (copies into buf). */
static size_t split(const char *s, char sep, char *buf, const char **part,
                    size_t max)
{
    size_t n = 0;
    char *p;

    strcpy(buf, s);
    part[n++] = buf;
    for (p = buf; *p != '\0' && n < max; p++)
        if (*p == sep) {
            *p = '\0';
            part[n++] = p + 1;
        }
    return n;
}

/* FlipTest by brute force: k nearest a rows by (distance, row index). */
static double ref_ft(const struct tcsv *t, const struct rrow *rw,
                     const long *feat, size_t nfeat)
{
    size_t i, j, f, na = 0, nd = 0, *best = malloc(5 * sizeof(size_t));
    double *bd = malloc(5 * sizeof(double)), d2, x;
    long flips = 0;
    unsigned k, m, pos;

    for (i = 0; i < t->nrows; i++)
        *(rw[i].d ? &nd : &na) += 1;
    k = na > 9 ? 5 : 1;
    for (i = 0; i < t->nrows; i++) {
        if (!rw[i].d)
            continue;
        m = 0;
        for (j = 0; j < t->nrows; j++) {
            unsigned q;

            if (rw[j].d)
                continue;
            d2 = 0;
            for (f = 0; f < nfeat; f++) {
                x = strtod(t->cell[i][feat[f]], NULL) -
                    strtod(t->cell[j][feat[f]], NULL);
                d2 += x * x;
            }
            /* insertion into the sorted best list; equal distances keep
             * the earlier row first */
            if (m == k && !(d2 < bd[k - 1]))
                continue;
            q = m < k ? m++ : k - 1;
            while (q > 0 && d2 < bd[q - 1]) {
                bd[q] = bd[q - 1];
                best[q] = best[q - 1];
                q--;
            }
            bd[q] = d2;
            best[q] = j;
        }
        for (pos = 0, m = 0; m < k; m++)
            pos += (unsigned)rw[best[m]].yh;
        flips += (long)(rw[i].yh && 2 * pos <= k) -
            (long)(!rw[i].yh && 2 * pos > k);
    }
    free(best);
    free(bd);
    return (double)flips / (double)nd;
}

static void check_ref(const char *what, const struct bias_value *v,
                      double want)
{
    if (!v->ok || fabs(v->v - want) > 1e-12)
        print_error("%s: got %s%.17g, want %.17g\n", what,
                    v->ok ? "" : v->err, v->v, want);
    assert_true(v->ok);
    if (isinf(want))
        assert_close(v->v, want, 0);
    else
        assert_close(v->v, want, 1e-12);
}

static void check_against_ref(const char *name, const struct bias_result *r,
                              const struct bias_counts *c,
                              const struct refm *m, int post)
{
    const double pre[BIAS_NPRE] = {
        m->ci, m->dpl, m->kl, m->js, m->lp, m->tvd, m->ks, m->cddl,
    };
    const double pst[BIAS_NPOST] = {
        m->dppl, m->di, m->dca, m->dcr, m->rd, m->sd, m->dar, m->drr, m->ad,
        m->te, m->cddpl, 0, m->ge,
    };
    char what[200];
    size_t i;

    assert_int_equal(c->c[1][1][0] + c->c[1][1][1], (uint64_t)m->pos[1]);
    assert_int_equal(c->c[0][1][0] + c->c[0][1][1], (uint64_t)m->pos[0]);
    assert_int_equal(c->c[1][0][0] + c->c[1][0][1], (uint64_t)m->neg[1]);
    assert_int_equal(c->c[0][0][0] + c->c[0][0][1], (uint64_t)m->neg[0]);
    for (i = 0; i < BIAS_NPRE; i++) {
        snprintf(what, sizeof(what), "%s %s", name, pre_names[i]);
        check_ref(what, &r->pre[i], pre[i]);
    }
    /* the four count ratios agree to the bit */
    assert_close(r->pre[BP_CI].v, m->ci, 0);
    assert_close(r->pre[BP_DPL].v, m->dpl, 0);
    for (i = 0; post && i < BIAS_NPOST; i++) {
        if (i == BQ_FT)
            continue;
        snprintf(what, sizeof(what), "%s %s", name, post_names[i]);
        check_ref(what, &r->post[i], pst[i]);
    }
    if (post) {
        assert_close(r->post[BQ_DPPL].v, m->dppl, 0);
        assert_close(r->post[BQ_DI].v, m->di, 0);
    }
}

static void test_datasets(void **state)
{
    const char *sh = shared_dir();
    size_t c, i, nfound = 0;

    (void)state;
    if (sh == NULL)
        skip();
    for (c = 0; c < ARRAY_SIZE(dcases); c++) {
        const struct dcase *dc = &dcases[c];
        char *path = xasprintf("%s/datasets/%s", sh, dc->file);
        struct tcsv *t = tcsv_read(path);
        char fbuf[200], vbuf[200], abuf[4][200], lbuf[200];
        const char *fcols[4], *comps[4], *alts[4], *lv[4];
        struct bias_spec s;
        struct rspec rs;
        struct rrow *rw;
        struct refm m;
        struct bias *b;
        size_t nfc, nalt, k, nl = 0;

        if (t == NULL) {
            free(path);
            continue;
        }
        nfound++;
        memset(&s, 0, sizeof(s));
        memset(&rs, 0, sizeof(rs));
        nfc = split(dc->fcol, ',', fbuf, fcols, 4);
        s.facet_cols = fcols;
        s.nfacet_cols = nfc;
        rs.nfc = (int)nfc;
        for (k = 0; k < nfc; k++)
            rs.fcol[k] = fcols[k];
        if (dc->fthr) {
            s.facet_has_threshold = rs.fthr = 1;
            s.facet_threshold = rs.ft = dc->ft;
        } else {
            /* bias takes "v1,v2" tuples: alternatives x components */
            nalt = split(dc->fvals, '|', vbuf, alts, 4);
            s.facet_values = alts;
            s.nfacet_values = nalt;
            for (i = 0; i < nalt; i++) {
                const char *cp[4];
                size_t ncp = split(alts[i], ',', abuf[i], cp, 4);

                assert_int_equal(ncp, nfc);
                for (k = 0; k < ncp; k++)
                    rs.fval[k][i] = cp[k];
            }
        }
        s.label_col = rs.lcol = dc->lcol;
        if (dc->lthr) {
            s.label_has_threshold = rs.lthr = 1;
            s.label_threshold = rs.lt = dc->lt;
        } else {
            nl = split(dc->lval, '|', lbuf, lv, 4);
            for (k = 0; k < nl; k++)
                rs.lval[k] = lv[k];
            s.label_values = lv;
            s.nlabel_values = nl;
        }
        s.group_col = rs.gcol = dc->gcol;
        s.predicted_col = rs.pcol = dc->pcol;
        (void)comps;
        b = run_scan(&s, path);
        rw = ref_rows(t, &rs);
        ref_metrics(rw, t->nrows, &m);
        check_against_ref(dc->file, bias_report_result(b, 0),
                          bias_report_counts(b, 0), &m, dc->pcol != NULL);
        if (dc->pcol != NULL && strstr(dc->file, "compas") != NULL) {
            /* numeric features: FT against brute force */
            long feat[64];
            size_t nfeat = 0;

            for (k = 0; k < t->ncols; k++)
                if (strcmp(t->hdr[k], "race") != 0 &&
                    strcmp(t->hdr[k], dc->lcol) != 0 &&
                    strcmp(t->hdr[k], dc->pcol) != 0)
                    feat[nfeat++] = (long)k;
            check_ref("compas FT", &bias_report_result(b, 0)->post[BQ_FT],
                      ref_ft(t, rw, feat, nfeat));
        } else if (dc->pcol != NULL) {
            assert_string_equal(bias_report_result(b, 0)->post[BQ_FT].err,
                                "FlipTest does not support non-numeric "
                                "columns");
        }
        free(rw);
        bias_free(b);
        tcsv_free(t);
        free(path);
    }
    if (nfound == 0)
        skip();
}

/* One-vs-rest: one report per facet value in order of first appearance,
 * each equal to the explicit single-value run. */
static void test_one_vs_rest(void **state)
{
    static const char *const fc[] = { "race" }, *const lv[] = { ">50K" };
    const char *sh = shared_dir(), *seen[16];
    char *path;
    struct tcsv *t;
    struct bias_spec s;
    struct bias *b;
    size_t i, j, nseen = 0;
    long rc;

    (void)state;
    if (sh == NULL)
        skip();
    path = xasprintf("%s/datasets/adult/adult.csv", sh);
    t = tcsv_read(path);
    if (t == NULL) {
        free(path);
        skip();
    }
    rc = tcol(t, "race");
    for (i = 0; i < t->nrows; i++) {
        for (j = 0; j < nseen && strcmp(seen[j], t->cell[i][rc]); j++)
            ;
        if (j == nseen)
            seen[nseen++] = t->cell[i][rc];
    }
    memset(&s, 0, sizeof(s));
    s.facet_cols = fc;
    s.nfacet_cols = 1;
    s.label_col = "income";
    s.label_values = lv;
    s.nlabel_values = 1;
    s.group_col = "sex";
    b = run_scan(&s, path);
    assert_int_equal(bias_nreports(b), nseen);
    for (i = 0; i < nseen; i++) {
        struct bias_spec one = s;
        struct bias *b1;
        const char *v[1];

        v[0] = seen[i];
        one.facet_values = v;
        one.nfacet_values = 1;
        b1 = run_rows(&one, t, 1);
        assert_string_equal(bias_report_value(b, i), seen[i]);
        same_results(bias_report_result(b, i), bias_report_result(b1, 0));
        bias_free(b1);
    }
    {
        struct json_t *js = bias_json(b, NULL);

        assert_true(j_is_array(js));
        assert_int_equal(j_len(js), nseen);
        assert_string_equal(j_string(j_at(j_get(j_get(j_at(js, 0), "facet"),
                                                "values"), 0)), seen[0]);
        j_free(js);
    }
    bias_free(b);
    tcsv_free(t);
    free(path);
}

/* The 95% intervals and p-value on Adult sex (values from scipy). */
static void test_intervals(void **state)
{
    static const char *const fc[] = { "sex" }, *const fv[] = { "Female" };
    static const char *const lv[] = { ">50K" };
    struct bias_spec s;
    struct bias *b;
    const struct bias_result *r;
    char *path;
    FILE *f;

    (void)state;
    if (shared_dir() == NULL)
        skip();
    path = xasprintf("%s/datasets/adult/adult.csv", shared_dir());
    f = fopen(path, "r");
    if (f == NULL) {
        free(path);
        skip();
    }
    fclose(f);
    memset(&s, 0, sizeof(s));
    s.facet_cols = fc;
    s.nfacet_cols = 1;
    s.facet_values = fv;
    s.nfacet_values = 1;
    s.label_col = "income";
    s.label_values = lv;
    s.nlabel_values = 1;
    b = run_scan(&s, path);
    r = bias_report_result(b, 0);
    assert_true(r->pre[BP_DPL].has_ci);
    assert_close(r->pre[BP_DPL].lo, 0.1877067621539862, 1e-13);
    assert_close(r->pre[BP_DPL].hi, 0.2047012607214161, 1e-13);
    assert_true(r->pre[BP_DPL].has_p);
    assert_true(r->pre[BP_DPL].p < 1e-300);
    /* CI = 1 - 2p, Wilson on p = 10771 / 32561 */
    assert_true(r->pre[BP_CI].has_ci);
    assert_true(r->pre[BP_CI].lo < r->pre[BP_CI].v &&
                r->pre[BP_CI].v < r->pre[BP_CI].hi);
    bias_free(b);
    free(path);
}

/* ---- 3. strict mode ---- */

static struct bias *run_example(const char *file, const char *fcol,
                                const char *fval, const char *lcol,
                                const char *lval, const char *gcol,
                                const char *pcol, enum bias_mode mode)
{
    const char *fc[1], *fv[1], *lv[1];
    struct bias_spec s;
    struct bias *b;
    char *path = xasprintf("%s/bias/%s", TEST_DATA, file);

    fc[0] = fcol;
    fv[0] = fval;
    lv[0] = lval;
    memset(&s, 0, sizeof(s));
    s.facet_cols = fc;
    s.nfacet_cols = 1;
    s.facet_values = fv;
    s.nfacet_values = 1;
    s.label_col = lcol;
    s.label_values = lv;
    s.nlabel_values = 1;
    s.group_col = gcol;
    s.predicted_col = pcol;
    s.mode = mode;
    b = run_scan(&s, path);
    free(path);
    return b;
}

/* Strict differs only in KL/JS/LP/TVD/KS (BIAS-METRICS.md section 7);
 * every other metric is the same bit for bit. */
static void same_but_distances(struct bias *c, struct bias *s)
{
    const struct bias_result *a = bias_report_result(c, 0);
    const struct bias_result *b = bias_report_result(s, 0);
    size_t i;

    same_value(&a->pre[BP_CI], &b->pre[BP_CI]);
    same_value(&a->pre[BP_DPL], &b->pre[BP_DPL]);
    same_value(&a->pre[BP_CDDL], &b->pre[BP_CDDL]);
    assert_int_equal(a->post_ok, b->post_ok);
    for (i = 0; i < BIAS_NPOST; i++)
        same_value(&a->post[i], &b->post[i]);
}

/* 1. full support: d all positive, a mixed.  clarify truncates to the
 * common support (KL = -0.3579...); strict keeps every category of the
 * raw label (high/low/mid): KL = +inf, LP, TVD, KS over all three. */
static void test_strict_full_support(void **state)
{
    struct bias *c, *s;
    const struct bias_result *r;
    double pa[3] = { 2.0 / 7, 3.0 / 7, 2.0 / 7 }, pd[3] = { 1, 0, 0 };
    double lp = 0, tvd = 0, js = 0, m;
    size_t k;
    struct json_t *j;

    (void)state;
    c = run_example("d_pure_multicat.csv", "grp", "d", "band", "high",
                    "region", NULL, BIAS_CLARIFY);
    s = run_example("d_pure_multicat.csv", "grp", "d", "band", "high",
                    "region", NULL, BIAS_STRICT);
    assert_close(bias_report_result(c, 0)->pre[BP_KL].v,
                 -0.3579322767129623, 1e-12);
    r = bias_report_result(s, 0);
    for (k = 0; k < 3; k++) {
        m = 0.5 * (pa[k] + pd[k]);
        lp += (pa[k] - pd[k]) * (pa[k] - pd[k]);
        tvd += 0.5 * fabs(pa[k] - pd[k]);
        js += 0.5 * ((pa[k] > 0 ? pa[k] * log(pa[k] / m) : 0) +
                     (pd[k] > 0 ? pd[k] * log(pd[k] / m) : 0));
    }
    assert_true(r->pre[BP_KL].ok && isinf(r->pre[BP_KL].v) &&
                r->pre[BP_KL].v > 0);
    assert_close(r->pre[BP_LP].v, sqrt(lp), 1e-15);
    assert_close(r->pre[BP_TVD].v, tvd, 1e-15);
    assert_close(r->pre[BP_KS].v, 5.0 / 7, 1e-15);
    assert_close(r->pre[BP_JS].v, js, 1e-15);
    same_but_distances(c, s);
    j = bias_json(s, NULL);
    assert_string_equal(j_string(j_get(j, "mode")), "strict");
    assert_string_equal(j_string(j_get(j_get(j_get(j, "pretraining"), "KL"),
                                       "value")), "Infinity");
    assert_int_equal(j_len(j_get(j, "label_categories")), 3);
    j_free(j);
    bias_free(c);
    bias_free(s);
}

/* 2. complete separation: clarify errors, strict gives the maxima. */
static void test_strict_separation(void **state)
{
    struct bias *c, *s;
    const struct bias_result *r;

    (void)state;
    c = run_example("separated.csv", "grp", "d", "label", "yes", "grp2",
                    NULL, BIAS_CLARIFY);
    s = run_example("separated.csv", "grp", "d", "label", "yes", "grp2",
                    NULL, BIAS_STRICT);
    assert_false(bias_report_result(c, 0)->pre[BP_KL].ok);
    r = bias_report_result(s, 0);
    assert_close(r->pre[BP_KL].v, INFINITY, 0);
    assert_close(r->pre[BP_JS].v, log(2.0), 1e-15);
    assert_close(r->pre[BP_LP].v, sqrt(2.0), 1e-15);
    assert_close(r->pre[BP_TVD].v, 1.0, 0);
    assert_close(r->pre[BP_KS].v, 1.0, 0);
    same_but_distances(c, s);
    bias_free(c);
    bias_free(s);
}

/* 3. multi-category labels: strict uses the raw label values (the
 * reference's direct-call variant), clarify the binary positive index. */
static void test_strict_multicategory(void **state)
{
    struct bias *c, *s;
    size_t i;

    (void)state;
    c = run_example("small_mixed.csv", "gender", "M", "band", "high",
                    "region", NULL, BIAS_CLARIFY);
    s = run_example("small_mixed.csv", "gender", "M", "band", "high",
                    "region", NULL, BIAS_STRICT);
    /* expected.json small_band_multicat: label_distribution_full (every
     * category occurs in both groups, so no truncation either way) */
    assert_close(bias_report_result(s, 0)->pre[BP_KL].v,
                 0.19059690856869665, 1e-12);
    assert_close(bias_report_result(s, 0)->pre[BP_TVD].v,
                 0.2857142857142857, 1e-12);
    assert_close(bias_report_result(c, 0)->pre[BP_KL].v,
                 0.046260159866807676, 1e-12);
    for (i = BP_KL; i <= BP_KS; i++)
        assert_close(bias_report_result(s, 0)->pre[i].v,
                     bias_report_result(c, 0)->full[i - BP_KL].v, 1e-15);
    same_but_distances(c, s);
    bias_free(c);
    bias_free(s);
}

/* 4. a missing value in a string group is excluded from CDD in both
 * modes (the reference raises TypeError in clarify); same value. */
static void test_strict_string_group(void **state)
{
    struct bias *c, *s;

    (void)state;
    c = run_example("missing_values.csv", "gender", "F", "label", "yes",
                    "grp", "pred", BIAS_CLARIFY);
    s = run_example("missing_values.csv", "gender", "F", "label", "yes",
                    "grp", "pred", BIAS_STRICT);
    assert_true(bias_report_result(c, 0)->pre[BP_CDDL].ok);
    assert_true(bias_report_result(c, 0)->post[BQ_CDDPL].ok);
    assert_int_equal(bias_report_counts(c, 0)->n_group_missing, 2);
    same_but_distances(c, s);
    bias_free(c);
    bias_free(s);
}

/* ---- limits, findings, bad input, edge cases ---- */

static void test_limits(void **state)
{
    static const char *const fc[] = { "gender" }, *const fv[] = { "F" };
    static const char *const lv[] = { "yes" };
    struct bias_limit lim[4];
    struct bias_spec s;
    struct bias *b;
    struct json_t *j, *f;
    int worst = -1;

    (void)state;
    memset(lim, 0, sizeof(lim));
    lim[0].metric = "DPL";              /* 0.1556 > 0.1: fails */
    lim[0].has_max_abs = 1;
    lim[0].max_abs = 0.1;
    lim[0].severity = "warn";
    lim[1].metric = "DPL";              /* ... but p = 0.58: not signif. */
    lim[1].has_max_abs = 1;
    lim[1].max_abs = 0.1;
    lim[1].significance = 0.05;
    lim[2].metric = "CI";               /* 0.2857 within [-0.5, 0.5] */
    lim[2].has_max = lim[2].has_min = 1;
    lim[2].max = 0.5;
    lim[2].min = -0.5;
    lim[3].metric = "DPPL";             /* no prediction column: error */
    lim[3].has_max_abs = 1;
    lim[3].max_abs = 1;
    lim[3].severity = "info";
    memset(&s, 0, sizeof(s));
    s.facet_cols = fc;
    s.nfacet_cols = 1;
    s.facet_values = fv;
    s.nfacet_values = 1;
    s.label_col = "outcome";
    s.label_values = lv;
    s.nlabel_values = 1;
    s.limits = lim;
    s.nlimits = 4;
    b = run_scan(&s, TEST_DATA "/bias/small_mixed.csv");
    j = bias_json(b, &worst);
    f = j_get(j, "findings");
    assert_int_equal(j_len(f), 4);
    assert_string_equal(j_string(j_get(j_at(f, 0), "status")), "fail");
    assert_string_equal(j_string(j_get(j_at(f, 0), "severity")), "warn");
    assert_close(j_number(j_get(j_get(j_at(f, 0), "limit"), "max_abs")),
                 0.1, 0);
    assert_string_equal(j_string(j_get(j_at(f, 1), "status")), "pass");
    assert_non_null(strstr(j_string(j_get(j_at(f, 1), "message")),
                           "not significant"));
    assert_string_equal(j_string(j_get(j_at(f, 2), "status")), "pass");
    assert_string_equal(j_string(j_get(j_at(f, 3), "status")), "error");
    assert_int_equal(worst, 2);
    j_free(j);
    bias_free(b);

    lim[0].severity = NULL;             /* default severity: fail */
    s.nlimits = 1;
    b = run_scan(&s, TEST_DATA "/bias/small_mixed.csv");
    j = bias_json(b, &worst);
    assert_int_equal(worst, 3);
    assert_string_equal(j_string(j_get(j_at(j_get(j, "findings"), 0),
                                       "severity")), "fail");
    j_free(j);
    bias_free(b);
    assert_true(bias_metric_known("CDDPL"));
    assert_false(bias_metric_known("XYZ"));
}

static void test_bad_input(void **state)
{
    static const char *const names[] = { "sex", "y", "g", "p" };
    static const char *const lv[] = { "1" };
    static const char *const bad[] = { "sexx" }, *const good[] = { "sex" };
    static const char *const what[] = {
        "unknown facet column 'sexx'", "unknown label column 'yy'",
        "unknown group column 'gg'", "unknown prediction column 'pp'",
    };
    struct assay_err err = ASSAY_ERR_INIT;
    struct bias_spec s;
    struct bias_limit lim;
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++) {
        memset(&s, 0, sizeof(s));
        s.facet_cols = i == 0 ? bad : good;
        s.nfacet_cols = 1;
        s.label_col = i == 1 ? "yy" : "y";
        s.label_values = lv;
        s.nlabel_values = 1;
        s.group_col = i == 2 ? "gg" : NULL;
        s.predicted_col = i == 3 ? "pp" : NULL;
        assert_null(bias_new_header(&s, 4, names, &err));
        assert_int_equal(err.status, ASSAY_ECOLUMN);
        assert_non_null(strstr(err.msg, what[i]));
        assert_non_null(strstr(err.msg, "(columns: sex, y, g, p)"));
    }
    s.predicted_col = NULL;
    s.label_values = NULL;
    s.nlabel_values = 0;
    assert_null(bias_new_header(&s, 4, names, &err));
    assert_int_equal(err.status, ASSAY_EUSAGE);
    memset(&lim, 0, sizeof(lim));
    lim.metric = "NOPE";
    s.label_values = lv;
    s.nlabel_values = 1;
    s.limits = &lim;
    s.nlimits = 1;
    assert_null(bias_new_header(&s, 4, names, &err));
    assert_non_null(strstr(err.msg, "unknown bias metric 'NOPE'"));
    /* a facet tuple must name every column */
    s.nlimits = 0;
    {
        static const char *const two[] = { "sex", "g" };
        static const char *const fv[] = { "F" };

        s.facet_cols = two;
        s.nfacet_cols = 2;
        s.facet_values = fv;
        s.nfacet_values = 1;
        assert_null(bias_new_header(&s, 4, names, &err));
        assert_int_equal(err.status, ASSAY_EUSAGE);
    }
}

/* Warnings, an all-missing group column, an empty file, wrong field
 * counts: per-metric errors as the reference gives them, no crash. */
static void test_edges(void **state)
{
    static const char *const names[] = { "f", "y", "g", "p" };
    static const char *const fc[] = { "f" }, *const fv[] = { "A", "Z" };
    static const char *const lv[] = { "1", "7" };
    static const char *const rows[][4] = {
        { "A", "1", "", "1" }, { "B", "0", "", "0" }, { "A", "0", "", "0" },
        { "B", "1", "", "1" },
    };
    struct tcsv t;
    char **cells[5];
    size_t nf[5], i;
    struct bias_spec s;
    struct bias *b;
    const char *const *w;
    const struct bias_result *r;
    int n7 = 0, nz = 0;

    (void)state;
    memset(&t, 0, sizeof(t));
    t.ncols = 4;
    t.hdr = (char **)names;
    t.cell = cells;
    t.nf = nf;
    for (i = 0; i < 4; i++) {
        cells[i] = (char **)rows[i];
        nf[i] = 4;
    }
    cells[4] = (char **)rows[0];
    nf[4] = 3;                          /* a short record: skipped */
    t.nrows = 5;
    memset(&s, 0, sizeof(s));
    s.facet_cols = fc;
    s.nfacet_cols = 1;
    s.facet_values = fv;
    s.nfacet_values = 2;
    s.label_col = "y";
    s.label_values = lv;
    s.nlabel_values = 2;
    s.group_col = "g";
    s.predicted_col = "p";
    b = run_rows(&s, &t, 2);
    for (w = bias_warnings(b); *w != NULL; w++) {
        n7 += strstr(*w, "label value '7' never occurs") != NULL;
        nz += strstr(*w, "facet value 'Z' never occurs") != NULL;
    }
    assert_int_equal(n7, 1);
    assert_int_equal(nz, 1);
    r = bias_report_result(b, 0);
    assert_int_equal(bias_report_counts(b, 0)->n, 4);
    /* every group value missing: no subgroups, CDD = divide(0, 0) = 0 */
    assert_true(r->pre[BP_CDDL].ok);
    assert_close(r->pre[BP_CDDL].v, 0.0, 0);
    assert_int_equal(bias_report_counts(b, 0)->n_group_missing, 4);
    /* FT: features are the group column only, all missing */
    assert_string_equal(r->post[BQ_FT].err, "Input X contains NaN.");
    bias_free(b);

    t.nrows = 0;                        /* no data at all */
    b = run_rows(&s, &t, 2);
    r = bias_report_result(b, 0);
    assert_string_equal(r->pre[BP_CI].err, "CI: negated facet set is "
                        "empty. Check that x[~facet] has non-zero length.");
    assert_string_equal(r->pre[BP_DPL].err, "Negative facet set is empty.");
    assert_string_equal(r->pre[BP_KL].err, "No instance of common facet "
                        "found, dataset may be too small");
    assert_string_equal(r->pre[BP_CDDL].err,
                        "Group variable is empty or not provided");
    assert_false(r->post_ok);
    bias_free(b);
}

/* Merging: any split of the rows over workers gives the same result. */
static void test_merge_order(void **state)
{
    struct json_t *cases = j_get(expected, "cases");
    size_t i;
    unsigned nw;

    (void)state;
    for (i = 0; i < j_len(cases); i++) {
        struct tspec ts;
        char *path = case_path(j_at(cases, i));
        struct tcsv *t = path ? tcsv_read(path) : NULL;
        struct bias *b1, *bn;

        if (t == NULL || t->nrows > 1000) {
            tcsv_free(t);
            free(path);
            continue;
        }
        spec_from_case(&ts, j_at(cases, i));
        b1 = run_rows(&ts.s, t, 1);
        for (nw = 2; nw <= 4; nw++) {
            bn = run_rows(&ts.s, t, nw);
            same_results(bias_report_result(b1, 0),
                         bias_report_result(bn, 0));
            bias_free(bn);
        }
        bias_free(b1);
        spec_release(&ts);
        tcsv_free(t);
        free(path);
    }
}

/* Specs that share one sink (bias_share, as `assay check` does) give
 * what each gives alone: per case, the case's spec twice and its
 * one-vs-rest form, in one pass with 1 to 3 workers. */
static void test_shared_specs(void **state)
{
    struct json_t *cases = j_get(expected, "cases");
    struct assay_err err = ASSAY_ERR_INIT;
    size_t i, k, r;
    unsigned nw;

    (void)state;
    for (i = 0; i < j_len(cases); i++) {
        struct tspec ts, ovr;
        char *path = case_path(j_at(cases, i));
        struct tcsv *t = path ? tcsv_read(path) : NULL;
        struct bias *alone[3], *b[3];

        if (t == NULL || t->nrows > 1000) {
            tcsv_free(t);
            free(path);
            continue;
        }
        spec_from_case(&ts, j_at(cases, i));
        ovr = ts;
        ovr.s.nfacet_values = 0;    /* one report per facet value */
        alone[0] = run_rows(&ts.s, t, 1);
        alone[1] = alone[0];
        alone[2] = ts.s.facet_has_threshold ? alone[0] :
            run_rows(&ovr.s, t, 1);
        for (nw = 1; nw <= 3; nw++) {
            for (k = 0; k < 3; k++) {
                b[k] = bias_new_header(k == 2 && !ts.s.facet_has_threshold ?
                                       &ovr.s : &ts.s, t->ncols,
                                       (const char *const *)t->hdr, &err);
                assert_non_null(b[k]);
            }
            assert_int_equal(bias_share(b, 3), 0);
            assert_ptr_equal(bias_sink(b[0]), bias_sink(b[2]));
            feed_rows(bias_sink(b[0]), t, nw);
            for (k = 0; k < 3; k++) {
                size_t n = bias_nreports(alone[k]);

                assert_int_equal(bias_nreports(b[k]), n);
                for (r = 0; r < n; r++)
                    same_results(bias_report_result(alone[k], r),
                                 bias_report_result(b[k], r));
            }
            for (k = 0; k < 3; k++)
                bias_free(b[k]);
        }
        if (alone[2] != alone[0])
            bias_free(alone[2]);
        bias_free(alone[0]);
        spec_release(&ts);
        tcsv_free(t);
        free(path);
    }
}

/* Specs with different null values cannot share: nothing changes. */
static void test_share_refused(void **state)
{
    const char *names[] = { "f", "l" };
    const char *fv[] = { "a" }, *lv[] = { "1" }, *na[] = { "NA" };
    struct bias_spec s;
    struct assay_err err = ASSAY_ERR_INIT;
    struct bias *b[2];

    (void)state;
    spec_simple(&s, names, fv, 1, "l", lv);
    b[0] = bias_new_header(&s, 2, names, &err);
    s.null_values = na;
    s.nnull_values = 1;
    b[1] = bias_new_header(&s, 2, names, &err);
    assert_non_null(b[0]);
    assert_non_null(b[1]);
    assert_int_equal(bias_share(b, 2), -1);
    assert_ptr_not_equal(bias_sink(b[0]), bias_sink(b[1]));
    bias_free(b[0]);
    bias_free(b[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expected_json),
        cmocka_unit_test(test_expected_adult),
        cmocka_unit_test(test_ft_exact),
        cmocka_unit_test(test_datasets),
        cmocka_unit_test(test_one_vs_rest),
        cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_strict_full_support),
        cmocka_unit_test(test_strict_separation),
        cmocka_unit_test(test_strict_multicategory),
        cmocka_unit_test(test_strict_string_group),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_merge_order),
        cmocka_unit_test(test_shared_specs),
        cmocka_unit_test(test_share_refused),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
