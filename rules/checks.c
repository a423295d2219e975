/* checks.c -- what each check kind does per value or record, and how its
 * result reads (observed value, limit, message).
 *
 * The eval functions run in the scan's hot path, once per non-null value
 * that parses (column checks) or per record (dataset checks): no
 * allocation, no strlen, no division; samples are copied only while a
 * check still wants them.  The report functions run once per check after
 * the scan.  The table that ties kinds to these is rule_table.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"
#include "json.h"

/* Pattern checks stop after this many match-limit hits per worker: the
 * check already reports an error, and a catastrophic pattern should not
 * cost a match limit's work for every remaining value. */
enum { RX_GIVE_UP = 16 };

static inline void fail_value(struct wcheck *wc, const struct worker *w)
{
    wc->failures++;
    if (wc->samples.n < wc->samples.max)
        sample_add(&wc->samples, w->row->line, w->row->record, w->cell->p,
                   w->cell->n);
}

/* ---- evaluation ---- */

void eval_range(const struct check *c, struct wcheck *wc, struct worker *w)
{
    const struct colval *cv = w->cell;

    wc->checked++;
    if (cv->v.type == VT_NUMBER) {
        double d = cv->v.d;

        if (!wc->have_obs) {
            wc->dmin = wc->dmax = d;
            wc->have_obs = 1;
        } else if (d < wc->dmin) {
            wc->dmin = d;
        } else if (d > wc->dmax) {
            wc->dmax = d;
        }
        if (d < c->dlo || d > c->dhi)
            fail_value(wc, w);
        return;
    }
    if (!wc->have_obs) {
        wc->imin = wc->imax = cv->v.i;
        wc->have_obs = 1;
    } else if (cv->v.i < wc->imin) {
        wc->imin = cv->v.i;
    } else if (cv->v.i > wc->imax) {
        wc->imax = cv->v.i;
    }
    if (cv->v.i < c->lo.i || cv->v.i > c->hi.i)
        fail_value(wc, w);
}

static int has_key(const struct check *c, int64_t k)
{
    size_t a = 0, b = c->nkeys;

    while (a < b) {
        size_t mid = a + (b - a) / 2;

        if (c->keys[mid] == k)
            return 1;
        if (c->keys[mid] < k)
            a = mid + 1;
        else
            b = mid;
    }
    return 0;
}

void eval_allowed(const struct check *c, struct wcheck *wc, struct worker *w)
{
    const struct colval *cv = w->cell;
    int ok;

    wc->checked++;
    if (c->set != NULL)
        ok = strset_has(c->set, cv->p, cv->n);
    else
        ok = has_key(c, value_key(cv->v.type, &cv->v));
    if (!ok)
        fail_value(wc, w);
}

void eval_pattern(const struct check *c, struct wcheck *wc, struct worker *w)
{
    struct rx_scratch *s = w->rxs[wc - w->wc];
    int r;

    if (wc->gave_up)
        return;
    wc->checked++;
    r = s != NULL ? rx_match(c->rx, s, w->cell->p, w->cell->n) : -1;
    if (r > 0)
        return;
    if (r == 0) {
        fail_value(wc, w);
        return;
    }
    if (++wc->errors >= RX_GIVE_UP)
        wc->gave_up = 1;
}

void eval_length(const struct check *c, struct wcheck *wc, struct worker *w)
{
    int64_t n = (int64_t)utf8_chars(w->cell->p, w->cell->n);

    wc->checked++;
    if (!wc->have_obs) {
        wc->imin = wc->imax = n;
        wc->have_obs = 1;
    } else if (n < wc->imin) {
        wc->imin = n;
    } else if (n > wc->imax) {
        wc->imax = n;
    }
    if (n < c->lo.i || n > c->hi.i)
        fail_value(wc, w);
}

void eval_unique(const struct check *c, struct wcheck *wc, struct worker *w)
{
    wc->checked++;
    dedup_part_add(&wc->part, w->cell->p, w->cell->n);
}

void eval_unique_tuple(const struct check *c, struct wcheck *wc,
                       struct worker *w)
{
    const int *slot = w->ck->tuple[wc - w->wc];
    size_t i;

    for (i = 0; i < c->ncols; i++)
        if (w->cache[slot[i]].state == CV_NULL)
            return;                     /* a tuple with a null: skipped */
    buf_reset(&w->key);
    for (i = 0; i < c->ncols; i++) {
        const struct colval *cv = &w->cache[slot[i]];
        unsigned char len[4];

        len[0] = (unsigned char)cv->n;
        len[1] = (unsigned char)(cv->n >> 8);
        len[2] = (unsigned char)(cv->n >> 16);
        len[3] = (unsigned char)(cv->n >> 24);
        buf_add(&w->key, len, 4);
        buf_add(&w->key, cv->p, cv->n);
    }
    wc->checked++;
    dedup_part_add(&wc->part, w->key.data, w->key.len);
}

/* "a=1, b=2020-01-01" for the columns an expression names. */
static void expr_sample(const struct check *c, struct wcheck *wc,
                        struct worker *w)
{
    const struct rules *r = w->ck->r;
    const int *cols;
    size_t n = expr_columns(c->expr, &cols), i;

    buf_reset(&w->key);
    for (i = 0; i < n; i++) {
        const struct colval *cv = &w->cache[cols[i]];

        if (i > 0)
            buf_add(&w->key, ", ", 2);
        buf_adds(&w->key, r->col[cols[i]].name);
        buf_addc(&w->key, '=');
        if (cv->state == CV_NULL)
            buf_adds(&w->key, "null");
        else
            buf_add(&w->key, cv->p, cv->n);
    }
    sample_add(&wc->samples, w->row->line, w->row->record,
               buf_cstr(&w->key), w->key.len);
}

void eval_expression(const struct check *c, struct wcheck *wc,
                     struct worker *w)
{
    int r = expr_eval(c->expr, w->cache);

    wc->checked++;
    if (r < 0) {
        wc->nulls++;
    } else if (r == 0) {
        wc->failures++;
        if (wc->samples.n < wc->samples.max)
            expr_sample(c, wc, w);
    }
}

/* ---- result text ---- */

void fmt_count(uint64_t v, char *out, size_t n)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
    int i, j = 0;

    for (i = 0; i < len && (size_t)j + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && (size_t)j + 2 < n)
            out[j++] = ',';
        out[j++] = tmp[i];
    }
    out[j] = '\0';
}

/* Date (YYYY-MM-DD) or timestamp (ISO 8601 UTC) of usec since 1970. */
static void fmt_time(int64_t us, int date_only, char *out, size_t n)
{
    int64_t days = us / 86400000000LL, rem = us % 86400000000LL;
    int64_t z, era, doe, yoe, y, doy, mp, d, m;
    size_t k;

    if (rem < 0) {
        rem += 86400000000LL;
        days--;
    }
    /* civil_from_days (H. Hinnant, "chrono-Compatible Low-Level Date
     * Algorithms"). */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (date_only) {
        snprintf(out, n, "%04lld-%02lld-%02lld", (long long)y, (long long)m,
                 (long long)d);
        return;
    }
    snprintf(out, n, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld",
             (long long)y, (long long)m, (long long)d,
             (long long)(rem / 3600000000LL),
             (long long)(rem / 60000000LL % 60),
             (long long)(rem / 1000000 % 60));
    if (rem % 1000000 != 0) {
        k = strlen(out);
        snprintf(out + k, n - k, ".%06lld", (long long)(rem % 1000000));
    }
    k = strlen(out);
    snprintf(out + k, n - k, "Z");
}

static const struct check *chk(const struct checker *ck, size_t i)
{
    return &ck->r->check[i];
}

static int col_type(const struct checker *ck, const struct check *c)
{
    return c->col >= 0 ? ck->r->col[c->col].type : -1;
}

/* The tolerance into the limit object, and as text for messages. */
/* The tolerance under the name the rules file gives it: not_null's
 * max_missing and duplicate_rows' max are max_failures by another name. */
static void tol_json(const struct check *c, struct json_t *limit)
{
    const char *key = "max_failures";
    char buf[64];

    if (strcmp(c->kind->name, "not_null") == 0)
        key = "max_missing";
    else if (strcmp(c->kind->name, "duplicate_rows") == 0)
        key = "max";
    switch (c->tol.kind) {
    case TOL_COUNT:
        j_set(limit, key, j_int((long long)c->tol.v));
        break;
    case TOL_PERCENT:
        snprintf(buf, sizeof(buf), "%.15g%%", c->tol.v);
        j_set(limit, key, j_str(buf));
        break;
    case TOL_MOSTLY:
        j_set(limit, "mostly", j_num(c->tol.v));
        break;
    default:
        j_set(limit, key, j_int(0));
        break;
    }
}

static void tol_text(const struct check *c, char *out, size_t n)
{
    char num[32];

    switch (c->tol.kind) {
    case TOL_COUNT:
        fmt_count((uint64_t)c->tol.v, num, sizeof(num));
        snprintf(out, n, " (tolerance: %s)", num);
        break;
    case TOL_PERCENT:
        snprintf(out, n, " (tolerance: %.15g%%)", c->tol.v);
        break;
    case TOL_MOSTLY:
        snprintf(out, n, " (tolerance: mostly %.15g)", c->tol.v);
        break;
    default:
        out[0] = '\0';
        break;
    }
}

/* "12 of 31,000 values outside [18, 120] (tolerance: 1%)" */
static void message(struct json_t *res, const struct check *c,
                    uint64_t failures, uint64_t checked, const char *unit,
                    const char *what)
{
    char f[32], n[32], tol[64];
    char *s;

    fmt_count(failures, f, sizeof(f));
    fmt_count(checked, n, sizeof(n));
    tol_text(c, tol, sizeof(tol));
    s = xasprintf("%s of %s %s %s%s", f, n, unit, what,
                  failures > 0 ? tol : "");
    j_set(res, "message", j_str(s));
    free(s);
}

static struct json_t *bound_json(const struct bound *b, int type)
{
    if (type == VT_DATE || type == VT_TIMESTAMP)
        return j_str(b->text);
    if (b->is_int)
        return j_int((long long)b->i);
    return j_num(b->d);
}

void report_field_count(const struct checker *ck, size_t i,
                        struct json_t *res)
{
    const struct wcheck *t = &ck->tot[i];
    struct json_t *obs = j_obj(), *lim = j_obj();
    char what[64];

    /* min/max are tracked over the bad records only (the hot path never
     * looks at good ones); good records have exactly nfields. */
    if (ck->rows > 0) {
        long long lo = (long long)ck->nfields, hi = (long long)ck->nfields;

        if (ck->min_fields >= 0) {
            if (ck->ok_rows == 0) {
                lo = ck->min_fields;
                hi = ck->max_fields;
            } else {
                lo = MIN(lo, (long long)ck->min_fields);
                hi = MAX(hi, (long long)ck->max_fields);
            }
        }
        j_set(obs, "min_fields", j_int(lo));
        j_set(obs, "max_fields", j_int(hi));
    }
    j_set(res, "observed", obs);
    j_set(lim, "fields", j_int((long long)ck->nfields));
    tol_json(chk(ck, i), lim);
    j_set(res, "limit", lim);
    snprintf(what, sizeof(what), "have a field count other than %zu",
             ck->nfields);
    message(res, chk(ck, i), t->failures, t->checked, "records", what);
}

static double frac(uint64_t a, uint64_t b)
{
    return b > 0 ? (double)a / (double)b : 0.0;
}

void report_type(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj();
    char what[64];

    j_set(res, "observed", j_num(frac(t->failures, t->checked)));
    j_set(lim, "type", j_str(vtype_name(col_type(ck, c))));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    if (col_type(ck, c) == VT_STRING)
        snprintf(what, sizeof(what), "are not valid UTF-8 text");
    else
        snprintf(what, sizeof(what), "are not a valid %s",
                 vtype_name(col_type(ck, c)));
    message(res, c, t->failures, t->checked, "non-null values", what);
}

void report_not_null(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj();

    j_set(res, "observed", j_num(frac(t->failures, t->checked)));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    message(res, c, t->failures, t->checked, "values", "are null");
}

/* "[18, 120]", "(0, inf)", "[2020-01-01, inf)". */
static void interval(const struct check *c, char *out, size_t n)
{
    snprintf(out, n, "%s%s, %s%s", c->lo.set && !c->lo.excl ? "[" : "(",
             c->lo.set ? c->lo.text : "-inf", c->hi.set ? c->hi.text : "inf",
             c->hi.set && !c->hi.excl ? "]" : ")");
}

void report_range(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    int type = col_type(ck, c);
    struct json_t *obs = j_obj(), *lim = j_obj();
    char what[300], a[64], b[64];

    if (t->have_obs && type == VT_NUMBER) {
        j_set(obs, "min", j_num(t->dmin));
        j_set(obs, "max", j_num(t->dmax));
    } else if (t->have_obs && type == VT_INTEGER) {
        j_set(obs, "min", j_int((long long)t->imin));
        j_set(obs, "max", j_int((long long)t->imax));
    } else if (t->have_obs) {
        fmt_time(t->imin, type == VT_DATE, a, sizeof(a));
        fmt_time(t->imax, type == VT_DATE, b, sizeof(b));
        j_set(obs, "min", j_str(a));
        j_set(obs, "max", j_str(b));
    } else {
        j_free(obs);
        obs = j_null();
    }
    j_set(res, "observed", obs);
    if (c->lo.set)
        j_set(lim, c->lo.excl ? "min_exclusive" : "min",
              bound_json(&c->lo, type));
    if (c->hi.set)
        j_set(lim, c->hi.excl ? "max_exclusive" : "max",
              bound_json(&c->hi, type));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    snprintf(what, sizeof(what), "outside ");
    interval(c, what + strlen(what), sizeof(what) - strlen(what));
    message(res, c, t->failures, t->checked, "values", what);
}

void report_allowed(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj(), *vals = j_arr();
    struct buf b = BUF_INIT;
    size_t k;

    j_set(res, "observed", j_num(frac(t->failures, t->checked)));
    for (k = 0; k < c->nvals; k++)
        j_push(vals, j_str(c->vals[k]));
    j_set(lim, "values", vals);
    tol_json(c, lim);
    j_set(res, "limit", lim);
    buf_adds(&b, "are not in the allowed set (");
    for (k = 0; k < c->nvals && k < 5; k++)
        buf_printf(&b, "%s%.40s", k ? ", " : "", c->vals[k]);
    if (c->nvals > 5)
        buf_printf(&b, ", ... %zu values", c->nvals);
    buf_addc(&b, ')');
    message(res, c, t->failures, t->checked, "values", buf_cstr(&b));
    buf_release(&b);
}

void report_pattern(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj();
    char *what;

    j_set(res, "observed", j_num(frac(t->failures, t->checked)));
    j_set(lim, "pattern", j_str(c->text));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    what = xasprintf("do not match '%.200s'", c->text);
    message(res, c, t->failures, t->checked, "values", what);
    free(what);
    if (t->errors > 0) {
        char e[32], n[32];

        fmt_count(t->errors, e, sizeof(e));
        fmt_count(t->checked, n, sizeof(n));
        what = xasprintf("%s of %s values hit the regex match limit%s; "
                         "simplify the pattern", e, n,
                         t->gave_up ? " and matching stopped" : "");
        j_set(res, "message", j_str(what));
        free(what);
    }
}

void report_length(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *obs = j_obj(), *lim = j_obj();
    char what[96], hi[32];

    if (t->have_obs) {
        j_set(obs, "min", j_int((long long)t->imin));
        j_set(obs, "max", j_int((long long)t->imax));
    } else {
        j_free(obs);
        obs = j_null();
    }
    j_set(res, "observed", obs);
    if (c->lo.set)
        j_set(lim, "min", j_int((long long)c->lo.i));
    if (c->hi.set)
        j_set(lim, "max", j_int((long long)c->hi.i));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    snprintf(hi, sizeof(hi), "%lld", (long long)c->hi.i);
    snprintf(what, sizeof(what), "have a length outside [%lld, %s%s "
             "characters", (long long)c->lo.i, c->hi.set ? hi : "inf",
             c->hi.set ? "]" : ")");
    message(res, c, t->failures, t->checked, "values", what);
}

void report_unique(const struct checker *ck, size_t i, struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj();
    struct buf b = BUF_INIT;
    size_t k;

    j_set(res, "observed", j_int((long long)t->failures));
    if (c->col < 0) {
        struct json_t *cols = j_arr();

        for (k = 0; k < c->ncols; k++)
            j_push(cols, j_str(c->cols[k]));
        j_set(lim, "columns", cols);
    }
    tol_json(c, lim);
    j_set(res, "limit", lim);
    if (c->col >= 0) {
        message(res, c, t->failures, t->checked, "values",
                "repeat an earlier value");
    } else {
        buf_adds(&b, "(");
        for (k = 0; k < c->ncols; k++)
            buf_printf(&b, "%s%s", k ? ", " : "", c->cols[k]);
        buf_adds(&b, ") tuples");
        message(res, c, t->failures, t->checked, buf_cstr(&b),
                "repeat an earlier tuple");
        buf_release(&b);
    }
    if (t->failures > 0 && ck->rescan_failed) {
        const char *m = j_string(j_get(res, "message"));
        char *s = xasprintf("%s; no samples: the input cannot be re-read",
                            m != NULL ? m : "");

        j_set(res, "message", j_str(s));
        free(s);
    }
}

void report_duplicate_rows(const struct checker *ck, size_t i,
                           struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj();

    j_set(res, "observed", j_int((long long)t->failures));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    message(res, c, t->failures, t->checked, "records",
            "duplicate an earlier record");
}

void report_row_count(const struct checker *ck, size_t i,
                      struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *lim = j_obj();
    char n[32], lo[32], hi[32], want[96];
    char *s;

    j_set(res, "observed", j_int((long long)t->checked));
    if (c->lo.set)
        j_set(lim, "min", j_int((long long)c->lo.i));
    if (c->hi.set)
        j_set(lim, "max", j_int((long long)c->hi.i));
    j_set(res, "limit", lim);
    fmt_count(t->checked, n, sizeof(n));
    fmt_count((uint64_t)c->lo.i, lo, sizeof(lo));
    fmt_count((uint64_t)c->hi.i, hi, sizeof(hi));
    if (c->lo.set && c->hi.set)
        snprintf(want, sizeof(want), "between %s and %s", lo, hi);
    else if (c->lo.set)
        snprintf(want, sizeof(want), "at least %s", lo);
    else
        snprintf(want, sizeof(want), "at most %s", hi);
    s = xasprintf("%s records, expected %s", n, want);
    j_set(res, "message", j_str(s));
    free(s);
}

void report_expression(const struct checker *ck, size_t i,
                       struct json_t *res)
{
    const struct check *c = chk(ck, i);
    const struct wcheck *t = &ck->tot[i];
    struct json_t *obs = j_obj(), *lim = j_obj();
    char *what;

    j_set(obs, "true", j_int((long long)(t->checked - t->failures -
                                         t->nulls)));
    j_set(obs, "false", j_int((long long)t->failures));
    j_set(obs, "null", j_int((long long)t->nulls));
    j_set(res, "observed", obs);
    j_set(lim, "expr", j_str(c->text));
    tol_json(c, lim);
    j_set(res, "limit", lim);
    what = xasprintf("violate '%.200s'", c->text);
    message(res, c, t->failures, t->checked, "records", what);
    free(what);
    if (t->nulls > 0) {
        const char *m = j_string(j_get(res, "message"));
        char nn[32];
        char *s;

        fmt_count(t->nulls, nn, sizeof(nn));
        s = xasprintf("%s; %s null results pass", m != NULL ? m : "", nn);
        j_set(res, "message", j_str(s));
        free(s);
    }
}
