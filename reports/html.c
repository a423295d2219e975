/* html.c -- the "html" format: one self-contained audit report.
 * Part of reports/.  Inline CSS and inline SVG only: no JavaScript, no
 * external fetch (the CSP meta forbids both), every data value
 * HTML-escaped (esc_html).  Landmarks, one h1, tables with captions and
 * scoped headers; each chart has a title, a description and a data
 * table with the same numbers.  Sections: summary, checks (problems
 * with samples, passing checks), bias (metrics with limits and interval
 * bars), profile (per-column statistics and histograms).  Bounded at
 * scale: samples, top values and histogram bins are capped and long
 * lists collapse into <details>, so 200 columns and 50 failing checks
 * stay well under 5 MB.  @media print opens everything for PDF. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report_int.h"

#define HTML_SAMPLES 5
#define HTML_TOP 10
#define HTML_BINS 40            /* more bins are merged down to this */
#define HTML_OPEN_PROBLEMS 10   /* sample lists open when this few */
#define HTML_OPEN_COLUMNS 12    /* column details open when this few */

static const char css[] =
    ":root{--fail:#b00020;--warn:#8a5300;--info:#0b5394;--pass:#1b7f3b;"
    "--error:#6a1b9a;--line:#c8c8c8;font-family:system-ui,-apple-system,"
    "'Segoe UI',sans-serif;color:#1a1a1a;background:#fff}\n"
    "body{margin:0 auto;max-width:80rem;padding:1rem 2rem;"
    "line-height:1.45}\n"
    "h1{font-size:1.6rem;margin:.5rem 0}h2{border-bottom:2px solid "
    "var(--line);padding-bottom:.2rem;margin-top:2rem}\n"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem}\n"
    "caption{text-align:left;font-weight:600;padding:.3rem 0;"
    "white-space:nowrap}\n"
    "th,td{border:1px solid var(--line);padding:.2rem .5rem;"
    "text-align:left;vertical-align:top}\n"
    "thead th{background:#f2f2f2}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".v{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;"
    "white-space:pre-wrap;overflow-wrap:anywhere}th.v{overflow-wrap:"
    "break-word}.dim{color:#666}\n"
    ".badge{display:inline-block;padding:0 .45rem;border-radius:.25rem;"
    "color:#fff;font-weight:600;font-size:.85em}\n"
    ".c-fail{background:var(--fail)}.c-warn{background:var(--warn)}"
    ".c-info{background:var(--info)}.c-pass{background:var(--pass)}"
    ".c-error{background:var(--error)}\n"
    ".verdict{font-size:1.3rem}dl.meta{display:grid;grid-template-columns:"
    "max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dl.meta dt{font-weight:"
    "600}dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
    "nav ul{display:flex;gap:1.5rem;list-style:none;padding:0}\n"
    "details{margin:.3rem 0}summary{cursor:pointer;font-weight:600}\n"
    "svg{display:block;overflow:visible}.bar{fill:#4a78b5}"
    ".band{fill:#d8efd9}.axis{stroke:#888;stroke-width:1}"
    ".ci{stroke:#1a1a1a;stroke-width:2}.dot{fill:#1a1a1a}"
    "svg text{font-size:10px;fill:#444}\n"
    ".cols{columns:2 24rem}.col{break-inside:avoid}\n"
    "footer{margin-top:2rem;color:#555;font-size:.85rem}\n"
    "@media print{body{max-width:none;padding:0}nav{display:none}"
    "section,table,.col{break-inside:avoid-page}"
    "summary{list-style:none}.badge{border:1px solid #000;color:#000;"
    "background:none}}\n"
    "@media print{details::details-content{content-visibility:visible;"
    "display:contents}}\n";

static const char *const cls_css[IC_COUNT] = {
    [IC_ERROR] = "c-error", [IC_FAIL] = "c-fail", [IC_WARN] = "c-warn",
    [IC_INFO] = "c-info", [IC_PASS] = "c-pass",
};

/* ---- small helpers ---- */

void html_text(struct buf *b, const char *s, size_t max)
{
    if (s != NULL)
        esc_html(b, s, max);
}

/* A JSON value as HTML text (display form for strings: a value with a
 * line break shows "\n"). */
void html_value(struct buf *b, const struct json_t *v, size_t max)
{
    struct buf t = BUF_INIT, d = BUF_INIT;

    if (v == NULL || j_is_null(v))
        return;
    fmt_value(&t, v);
    esc_display(&d, buf_cstr(&t), max);
    esc_html(b, buf_cstr(&d), ESC_ALL);
    buf_release(&t);
    buf_release(&d);
}

static void td_value(struct buf *b, const struct json_t *v)
{
    buf_adds(b, j_is_number(v) ? "<td class=\"n\">" : "<td>");
    if (v != NULL && !j_is_null(v))
        html_value(b, v, VALUE_CAP);
    buf_adds(b, "</td>");
}

static void td_limit(struct buf *b, const struct json_t *lim)
{
    struct buf t = BUF_INIT;

    buf_adds(b, "<td>");
    if (lim != NULL && !j_is_null(lim)) {
        fmt_limit(&t, lim);
        esc_html(b, buf_cstr(&t), VALUE_CAP);
    }
    buf_adds(b, "</td>");
    buf_release(&t);
}

/* A sample value: the display form, "(empty)" for "". */
static void td_sample(struct buf *b, const struct json_t *v)
{
    buf_adds(b, "<td class=\"v\">");
    if (j_string(v) != NULL && *j_string(v) == '\0')
        buf_adds(b, "<span class=\"dim\">(empty)</span>");
    else if (j_string(v) != NULL)
        html_value(b, v, VALUE_CAP);
    buf_adds(b, "</td>");
}

static void badge(struct buf *b, enum item_class c)
{
    buf_printf(b, "<span class=\"badge %s\">%s</span>", cls_css[c],
               class_word(c));
}

void html_num(struct buf *b, double v)
{
    struct json_t *j = j_num(v);

    html_value(b, j, 32);
    j_free(j);
}

/* ---- header ---- */

static void meta_row(struct buf *b, const char *name, const struct json_t *v)
{
    if (v == NULL || j_is_null(v))
        return;
    buf_printf(b, "<dt>%s</dt><dd class=\"v\">", name);
    html_value(b, v, 4 * VALUE_CAP);
    buf_adds(b, "</dd>\n");
}

static enum item_class verdict_class(const char *v)
{
    if (strcmp(v, "fail") == 0)
        return IC_FAIL;
    return strcmp(v, "warn") == 0 ? IC_WARN : IC_PASS;
}

static void header(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *ds = j_get(ctx->doc, "dataset");
    const struct json_t *rules = j_get(ctx->doc, "rules");
    static const char *const keys[] = {
        "path", "name", "sha256", "bytes", "rows", "columns", "row_digest",
        "schema_hash",
    };
    char label[64];
    size_t i;

    buf_adds(b, "<header>\n<h1>Training data audit: ");
    html_text(b, ctx->name, VALUE_CAP);
    buf_adds(b, "</h1>\n<p class=\"verdict\">Verdict: ");
    badge(b, verdict_class(ctx->verdict));
    buf_printf(b, " &#8212; %zu failed, %zu error%s, %zu warning%s, %zu "
               "info, %zu passed</p>\n<dl class=\"meta\">\n",
               ctx->count[IC_FAIL], ctx->count[IC_ERROR],
               ctx->count[IC_ERROR] == 1 ? "" : "s", ctx->count[IC_WARN],
               ctx->count[IC_WARN] == 1 ? "" : "s", ctx->count[IC_INFO],
               ctx->count[IC_PASS]);
    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        snprintf(label, sizeof label, "Dataset %s", keys[i]);
        meta_row(b, label, j_get(ds, keys[i]));
    }
    meta_row(b, "Rules file", j_get(rules, "path"));
    meta_row(b, "Rules sha256", j_get(rules, "sha256"));
    buf_adds(b, "<dt>Generated</dt><dd>");
    html_text(b, ctx->timestamp, 64);
    buf_adds(b, "</dd>\n</dl>\n</header>\n");
}

static void nav(struct buf *b, const struct report_ctx *ctx)
{
    buf_adds(b, "<nav aria-label=\"Contents\"><ul>"
             "<li><a href=\"#summary\">Summary</a></li>"
             "<li><a href=\"#checks\">Checks</a></li>");
    if (doc_nbias(ctx->doc) > 0)
        buf_adds(b, "<li><a href=\"#bias\">Bias</a></li>");
    if (j_len(j_get(j_get(ctx->doc, "profile"), "columns")) > 0)
        buf_adds(b, "<li><a href=\"#profile\">Profile</a></li>");
    buf_adds(b, "</ul></nav>\n");
}

/* ---- summary ---- */

static void summary(struct buf *b, const struct report_ctx *ctx)
{
    int c;

    buf_adds(b, "<section id=\"summary\" aria-labelledby=\"h-summary\">\n"
             "<h2 id=\"h-summary\">Summary</h2>\n<table>\n"
             "<caption>Checks and bias findings by outcome</caption>\n"
             "<thead><tr><th scope=\"col\">Outcome</th>"
             "<th scope=\"col\">Count</th></tr></thead>\n<tbody>\n");
    for (c = 0; c < IC_COUNT; c++) {
        buf_adds(b, "<tr><th scope=\"row\">");
        badge(b, (enum item_class)c);
        buf_printf(b, "</th><td class=\"n\">%zu</td></tr>\n",
                   ctx->count[c]);
    }
    buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

/* ---- checks ---- */

static void problem_row(struct buf *b, const struct ritem *it)
{
    buf_adds(b, "<tr><td>");
    badge(b, it->cls);
    buf_adds(b, "</td><th scope=\"row\" class=\"v\">");
    html_text(b, it->id, VALUE_CAP);
    buf_adds(b, "</th><td>");
    html_text(b, it->kind, VALUE_CAP);
    buf_adds(b, "</td><td class=\"v\">");
    html_text(b, it->column, VALUE_CAP);
    buf_adds(b, "</td>");
    td_value(b, j_get(it->obj, "failures"));
    td_value(b, j_get(it->obj, "checked"));
    td_value(b, j_get(it->obj, "observed") != NULL ?
             j_get(it->obj, "observed") : j_get(it->obj, "value"));
    td_limit(b, j_get(it->obj, "limit"));
    buf_adds(b, "<td>");
    html_text(b, it->message, 4 * VALUE_CAP);
    buf_adds(b, "</td></tr>\n");
}

static void samples(struct buf *b, const struct ritem *it, int open)
{
    const struct json_t *ss = j_get(it->obj, "samples");
    const struct json_t *s;
    size_t i, n = j_len(ss);

    if (n == 0)
        return;
    buf_printf(b, "<details%s><summary>Samples of ", open ? " open" : "");
    html_text(b, it->id, VALUE_CAP);
    buf_printf(b, " (%zu of %zu)</summary>\n<table>\n<caption>First "
               "failing records of ", MIN(n, (size_t)HTML_SAMPLES), n);
    html_text(b, it->id, VALUE_CAP);
    buf_adds(b, "</caption>\n<thead><tr><th scope=\"col\">Line</th>"
             "<th scope=\"col\">Record</th><th scope=\"col\">Value</th>"
             "</tr></thead>\n<tbody>\n");
    for (i = 0; i < n && i < HTML_SAMPLES; i++) {
        s = j_at(ss, i);
        buf_adds(b, "<tr>");
        td_value(b, j_get(s, "line"));
        td_value(b, j_get(s, "record"));
        td_sample(b, j_get(s, "value"));
        buf_adds(b, "</tr>\n");
    }
    buf_adds(b, "</tbody>\n</table>\n</details>\n");
}

static const char problem_head[] =
    "<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">Check</th>"
    "<th scope=\"col\">Kind</th><th scope=\"col\">Column</th>"
    "<th scope=\"col\">Failures</th><th scope=\"col\">Checked</th>"
    "<th scope=\"col\">Observed</th><th scope=\"col\">Limit</th>"
    "<th scope=\"col\">Message</th></tr></thead>\n";

static void checks(struct buf *b, const struct report_ctx *ctx,
                   const size_t *ord)
{
    size_t i, nprob = ctx->nitems - ctx->count[IC_PASS];

    buf_adds(b, "<section id=\"checks\" aria-labelledby=\"h-checks\">\n"
             "<h2 id=\"h-checks\">Checks</h2>\n");
    if (ctx->nitems == 0)
        buf_adds(b, "<p>No checks were run.</p>\n");
    if (nprob > 0) {
        buf_printf(b, "<table>\n<caption>Checks and findings that did "
                   "not pass (%zu), worst first</caption>\n%s<tbody>\n",
                   nprob, problem_head);
        for (i = 0; i < nprob; i++)
            problem_row(b, &ctx->items[ord[i]]);
        buf_adds(b, "</tbody>\n</table>\n");
        for (i = 0; i < nprob; i++)
            samples(b, &ctx->items[ord[i]], nprob <= HTML_OPEN_PROBLEMS);
    }
    if (ctx->count[IC_PASS] > 0) {
        buf_printf(b, "<details%s><summary>Passing checks (%zu)</summary>\n"
                   "<table>\n<caption>Checks and findings that passed"
                   "</caption>\n%s<tbody>\n",
                   nprob == 0 ? " open" : "", ctx->count[IC_PASS],
                   problem_head);
        for (i = nprob; i < ctx->nitems; i++)
            problem_row(b, &ctx->items[ord[i]]);
        buf_adds(b, "</tbody>\n</table>\n</details>\n");
    }
    buf_adds(b, "</section>\n");
}

/* ---- bias: metrics with limits and interval bars ---- */

int limit_band(const struct json_t *lim, double *lo, double *hi)
{
    int any = 0;

    *lo = -INFINITY;
    *hi = INFINITY;
    if (j_is_number(j_get(lim, "max_abs"))) {
        *hi = fabs(j_number(j_get(lim, "max_abs")));
        *lo = -*hi;
        any = 1;
    }
    if (j_is_number(j_get(lim, "min"))) {
        *lo = j_number(j_get(lim, "min"));
        any = 1;
    }
    if (j_is_number(j_get(lim, "max"))) {
        *hi = j_number(j_get(lim, "max"));
        any = 1;
    }
    return any;
}

void band_widen(double *lo, double *hi, double v)
{
    if (isfinite(v)) {
        *lo = fmin(*lo, v);
        *hi = fmax(*hi, v);
    }
}

/* x of a value on a 200-wide bar over [lo, hi], clamped. */
static double xpos(double v, double lo, double hi)
{
    return 4.0 + 192.0 * ((fmin(fmax(v, lo), hi) - lo) / (hi - lo));
}

/* A 200x22 bar: the allowed band (green), zero, the 95% interval and the
 * value.  Decorative: the row it sits in has the same numbers. */
static void interval_bar(struct buf *b, const struct json_t *m,
                         const struct json_t *lim)
{
    const struct json_t *v = j_get(m, "value"), *ci = j_get(m, "ci95");
    double lo = 0, hi = 0, blo, bhi, x0, x1, pad;
    int band = limit_band(lim, &blo, &bhi);

    /* Without a limit or an interval there is nothing to picture. */
    if (!j_is_number(v) || (!band && j_len(ci) != 2))
        return;
    band_widen(&lo, &hi, j_number(v));
    if (j_len(ci) == 2) {
        band_widen(&lo, &hi, j_number(j_at(ci, 0)));
        band_widen(&lo, &hi, j_number(j_at(ci, 1)));
    }
    if (band) {
        band_widen(&lo, &hi, blo);
        band_widen(&lo, &hi, bhi);
    }
    if (hi - lo < 1e-12) {
        lo -= 1;
        hi += 1;
    }
    pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    buf_adds(b, "<svg width=\"200\" height=\"22\" viewBox=\"0 0 200 22\" "
             "aria-hidden=\"true\" focusable=\"false\">");
    x0 = xpos(blo, lo, hi);
    x1 = xpos(bhi, lo, hi);
    if (band && x1 > x0) {
        buf_printf(b, "<rect class=\"band\" x=\"%.1f\" y=\"3\" "
                   "width=\"%.1f\" height=\"16\"/>", x0, x1 - x0);
    }
    buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" "
               "y2=\"20\"/>", xpos(0.0, lo, hi), xpos(0.0, lo, hi));
    if (j_len(ci) == 2 && j_is_number(j_at(ci, 0)) &&
        j_is_number(j_at(ci, 1)))
        buf_printf(b, "<line class=\"ci\" x1=\"%.1f\" y1=\"11\" "
                   "x2=\"%.1f\" y2=\"11\"/>",
                   xpos(j_number(j_at(ci, 0)), lo, hi),
                   xpos(j_number(j_at(ci, 1)), lo, hi));
    buf_printf(b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"11\" r=\"4\"/>",
               xpos(j_number(v), lo, hi));
    buf_adds(b, "</svg>");
}

static const struct ritem *finding_for(const struct report_ctx *ctx,
                                       const struct json_t *bo,
                                       const char *metric)
{
    size_t i;

    for (i = 0; i < ctx->nitems; i++)
        if (ctx->items[i].bias == bo &&
            strcmp(ctx->items[i].metric, metric) == 0)
            return &ctx->items[i];
    return NULL;
}

static void bias_stage(struct buf *b, const struct report_ctx *ctx,
                       const struct json_t *bo, const char *stage,
                       const char *title)
{
    struct json_t *o = j_get(bo, stage);
    const struct json_t *m, *ci, *lim;
    const struct ritem *f;
    void *it;

    for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
        m = j_iter_value(it);
        ci = j_get(m, "ci95");
        f = finding_for(ctx, bo, j_iter_key(it));
        lim = f != NULL ? j_get(f->obj, "limit") : NULL;
        buf_adds(b, "<tr><th scope=\"row\">");
        html_text(b, j_iter_key(it), 32);
        buf_printf(b, "</th><td>%s</td>", title);
        if (j_get(m, "value") != NULL && !j_is_null(j_get(m, "value"))) {
            td_value(b, j_get(m, "value"));
        } else {
            buf_adds(b, "<td>error: ");
            html_text(b, j_string(j_get(m, "error")), 2 * VALUE_CAP);
            buf_adds(b, "</td>");
        }
        buf_adds(b, "<td class=\"n\">");
        if (j_len(ci) == 2) {
            html_value(b, j_at(ci, 0), 32);
            buf_adds(b, " &#8211; ");
            html_value(b, j_at(ci, 1), 32);
        }
        buf_adds(b, "</td>");
        td_limit(b, lim);
        buf_adds(b, "<td>");
        if (f != NULL)
            badge(b, f->cls);
        buf_adds(b, "</td><td>");
        interval_bar(b, m, lim);
        buf_adds(b, "</td></tr>\n");
    }
}

static void bias(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *bo, *counts;
    struct buf f = BUF_INIT, l = BUF_INIT;
    size_t i;
    void *it;

    if (doc_nbias(ctx->doc) == 0)
        return;
    buf_adds(b, "<section id=\"bias\" aria-labelledby=\"h-bias\">\n"
             "<h2 id=\"h-bias\">Bias examination</h2>\n<p>Facet d is the "
             "selected group, a the rest; metrics as SageMaker Clarify "
             "computes them. Bars show the allowed band (green), zero, "
             "the 95% interval and the value.</p>\n");
    for (i = 0; i < doc_nbias(ctx->doc); i++) {
        bo = doc_bias(ctx->doc, i);
        buf_reset(&f);
        buf_reset(&l);
        fmt_facet(&f, j_get(bo, "facet"));
        fmt_facet(&l, j_get(bo, "label"));
        buf_printf(b, "<h3 id=\"bias-%zu\">Facet ", i + 1);
        html_text(b, buf_cstr(&f), VALUE_CAP);
        buf_adds(b, ", label ");
        html_text(b, buf_cstr(&l), VALUE_CAP);
        if (j_string(j_get(bo, "mode")) != NULL) {
            buf_adds(b, " (");
            html_text(b, j_string(j_get(bo, "mode")), 16);
            buf_adds(b, " mode)");
        }
        buf_adds(b, "</h3>\n");
        counts = j_get(bo, "counts");
        if (j_iter((struct json_t *)counts) != NULL) {
            buf_printf(b, "<table>\n<caption>Counts, facet %zu</caption>\n"
                       "<tbody>\n", i + 1);
            for (it = j_iter((struct json_t *)counts); it != NULL;
                 it = j_iter_next((struct json_t *)counts, it)) {
                buf_adds(b, "<tr><th scope=\"row\">");
                html_text(b, j_iter_key(it), 32);
                buf_adds(b, "</th>");
                td_value(b, j_iter_value(it));
                buf_adds(b, "</tr>\n");
            }
            buf_adds(b, "</tbody>\n</table>\n");
        }
        buf_printf(b, "<table>\n<caption>Bias metrics, facet %zu</caption>\n"
                   "<thead><tr><th scope=\"col\">Metric</th>"
                   "<th scope=\"col\">Stage</th><th scope=\"col\">Value</th>"
                   "<th scope=\"col\">95%% interval</th>"
                   "<th scope=\"col\">Limit</th><th scope=\"col\">Outcome"
                   "</th><th scope=\"col\">Chart</th></tr></thead>\n"
                   "<tbody>\n", i + 1);
        bias_stage(b, ctx, bo, "pretraining", "pre-training");
        bias_stage(b, ctx, bo, "posttraining", "post-training");
        buf_adds(b, "</tbody>\n</table>\n");
    }
    buf_adds(b, "</section>\n");
    buf_release(&f);
    buf_release(&l);
}

/* ---- profile: statistics and histograms ---- */

struct bin {
    double lo, hi, count;
};

/* Histogram shapes accepted: {"edges": [n+1], "counts": [n]};
 * {"min", "max", "counts": [n]} (equal widths); {"bins": [{"lo"|"low"|
 * "min", "hi"|"high"|"max", "count"}]} or that array alone.  More than
 * HTML_BINS bins are merged in runs.  Returns the number of bins in
 * *out (caller frees), 0 when there is no histogram. */
static size_t histogram(const struct json_t *h, struct bin **out)
{
    const struct json_t *edges = j_get(h, "edges"), *counts = j_get(h,
                                                                   "counts");
    const struct json_t *bins = j_is_array(h) ? h : j_get(h, "bins");
    const struct json_t *e;
    struct bin *v = NULL;
    size_t i, j, n = 0, k, group;
    double lo, hi;

    *out = NULL;
    if (j_len(counts) > 0 && j_len(edges) == j_len(counts) + 1) {
        n = j_len(counts);
        v = xcalloc(n, sizeof *v);
        for (i = 0; i < n; i++) {
            v[i].lo = j_number(j_at(edges, i));
            v[i].hi = j_number(j_at(edges, i + 1));
            v[i].count = j_number(j_at(counts, i));
        }
    } else if (j_len(counts) > 0 && j_is_number(j_get(h, "min")) &&
               j_is_number(j_get(h, "max"))) {
        n = j_len(counts);
        lo = j_number(j_get(h, "min"));
        hi = j_number(j_get(h, "max"));
        v = xcalloc(n, sizeof *v);
        for (i = 0; i < n; i++) {
            v[i].lo = lo + (hi - lo) * (double)i / (double)n;
            v[i].hi = lo + (hi - lo) * (double)(i + 1) / (double)n;
            v[i].count = j_number(j_at(counts, i));
        }
    } else if (j_len(bins) > 0) {
        n = j_len(bins);
        v = xcalloc(n, sizeof *v);
        for (i = 0; i < n; i++) {
            e = j_at(bins, i);
            v[i].lo = j_number(j_get(e, "lo") ? j_get(e, "lo") :
                               j_get(e, "low") ? j_get(e, "low") :
                               j_get(e, "min"));
            v[i].hi = j_number(j_get(e, "hi") ? j_get(e, "hi") :
                               j_get(e, "high") ? j_get(e, "high") :
                               j_get(e, "max"));
            v[i].count = j_number(j_get(e, "count"));
        }
    }
    if (n > HTML_BINS) {
        group = (n + HTML_BINS - 1) / HTML_BINS;
        for (i = 0, k = 0; i < n; i += group, k++) {
            struct bin m = v[i];

            for (j = i + 1; j < n && j < i + group; j++) {
                m.count += v[j].count;
                m.hi = v[j].hi;
            }
            v[k] = m;       /* k <= i: never overwrites an unread bin */
        }
        n = k;
    }
    *out = v;
    return n;
}

/* Bar chart of n counts; span (may be NULL) labels the x axis with the
 * first bin's start and the last bin's end. */
static void bar_chart(struct buf *b, size_t id, const char *title,
                      const double *counts, size_t n,
                      const struct bin *span)
{
    double max = 0, w, h;
    size_t i;

    for (i = 0; i < n; i++)
        max = fmax(max, counts[i]);
    w = 300.0 / (double)(n > 0 ? n : 1);
    buf_printf(b, "<svg width=\"320\" height=\"110\" viewBox=\"0 0 320 110\""
               " role=\"img\" aria-labelledby=\"g%zut g%zud\">"
               "<title id=\"g%zut\">", id, id, id);
    html_text(b, title, VALUE_CAP);
    buf_printf(b, "</title><desc id=\"g%zud\">%zu bars; a table gives "
               "the same counts.</desc>", id, n);
    for (i = 0; i < n; i++) {
        h = max > 0 ? 90.0 * counts[i] / max : 0;
        buf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
                   "width=\"%.1f\" height=\"%.1f\"/>", 10 + w * (double)i,
                   95 - h, w > 2 ? w - 1 : w, h);
    }
    buf_printf(b, "<line class=\"axis\" x1=\"10\" y1=\"95.5\" x2=\"310\" "
               "y2=\"95.5\"/>");
    if (span != NULL) {
        buf_adds(b, "<text x=\"10\" y=\"108\">");
        html_num(b, span->lo);
        buf_adds(b, "</text><text x=\"310\" y=\"108\" "
                 "text-anchor=\"end\">");
        html_num(b, span->hi);
        buf_adds(b, "</text>");
    }
    buf_printf(b, "<text x=\"310\" y=\"8\" text-anchor=\"end\">max "
               "%.0f</text></svg>\n", max);
}

static void column_histogram(struct buf *b, const struct json_t *c,
                             size_t idx)
{
    struct bin *bins = NULL;
    size_t i, n = histogram(j_get(c, "histogram"), &bins);
    const struct json_t *top = j_get(c, "top");
    double *counts = NULL;
    struct buf title = BUF_INIT;
    struct bin span;

    if (n > 0) {
        counts = xcalloc(n, sizeof *counts);
        for (i = 0; i < n; i++)
            counts[i] = bins[i].count;
        buf_adds(&title, "Histogram of ");
        buf_adds(&title, j_string(j_get(c, "name")) ? j_string(j_get(c,
                 "name")) : "column");
        span.lo = bins[0].lo;
        span.hi = bins[n - 1].hi;
        bar_chart(b, idx, buf_cstr(&title), counts, n, &span);
        buf_printf(b, "<details><summary>Histogram data (%zu bins)"
                   "</summary>\n<table>\n<caption>", n);
        html_text(b, buf_cstr(&title), VALUE_CAP);
        buf_adds(b, "</caption>\n<thead><tr><th scope=\"col\">From</th>"
                 "<th scope=\"col\">To</th><th scope=\"col\">Count</th>"
                 "</tr></thead>\n<tbody>\n");
        for (i = 0; i < n; i++) {
            buf_adds(b, "<tr><td class=\"n\">");
            html_num(b, bins[i].lo);
            buf_adds(b, "</td><td class=\"n\">");
            html_num(b, bins[i].hi);
            buf_adds(b, "</td><td class=\"n\">");
            html_num(b, bins[i].count);
            buf_adds(b, "</td></tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n</details>\n");
    } else if (j_len(top) > 0) {
        n = MIN(j_len(top), (size_t)HTML_TOP);
        counts = xcalloc(n, sizeof *counts);
        for (i = 0; i < n; i++)
            counts[i] = j_number(j_get(j_at(top, i), "count"));
        buf_adds(&title, "Most frequent values of ");
        buf_adds(&title, j_string(j_get(c, "name")) ? j_string(j_get(c,
                 "name")) : "column");
        bar_chart(b, idx, buf_cstr(&title), counts, n, NULL);
    }
    free(counts);
    free(bins);
    buf_release(&title);
}

static void column_detail(struct buf *b, const struct json_t *c, size_t idx,
                          int open)
{
    struct json_t *q = j_get(c, "quantiles");
    const struct json_t *top = j_get(c, "top");
    size_t i;
    void *it;

    buf_printf(b, "<div class=\"col\"><details%s><summary>",
               open ? " open" : "");
    html_text(b, j_string(j_get(c, "name")), VALUE_CAP);
    buf_adds(b, "</summary>\n");
    if (j_iter(q) != NULL) {
        buf_adds(b, "<table>\n<caption>Quantiles of ");
        html_text(b, j_string(j_get(c, "name")), VALUE_CAP);
        buf_adds(b, "</caption>\n<tbody>\n");
        for (it = j_iter(q); it != NULL; it = j_iter_next(q, it)) {
            buf_adds(b, "<tr><th scope=\"row\">");
            html_text(b, j_iter_key(it), 16);
            buf_adds(b, "</th>");
            td_value(b, j_iter_value(it));
            buf_adds(b, "</tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    if (j_len(top) > 0) {
        buf_adds(b, "<table>\n<caption>Most frequent values of ");
        html_text(b, j_string(j_get(c, "name")), VALUE_CAP);
        buf_adds(b, "</caption>\n<thead><tr><th scope=\"col\">Value</th>"
                 "<th scope=\"col\">Count</th></tr></thead>\n<tbody>\n");
        for (i = 0; i < j_len(top) && i < HTML_TOP; i++) {
            buf_adds(b, "<tr>");
            td_sample(b, j_get(j_at(top, i), "value"));
            td_value(b, j_get(j_at(top, i), "count"));
            buf_adds(b, "</tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    column_histogram(b, c, idx);
    buf_adds(b, "</details></div>\n");
}

static void profile(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *cols = j_get(j_get(ctx->doc, "profile"), "columns");
    static const char *const keys[] = {
        "type", "count", "nulls", "distinct", "min", "max", "mean", "stddev",
    };
    const struct json_t *c;
    size_t i, k, n = j_len(cols);

    if (n == 0)
        return;
    buf_printf(b, "<section id=\"profile\" aria-labelledby=\"h-profile\">\n"
               "<h2 id=\"h-profile\">Profile</h2>\n<table>\n<caption>"
               "Columns (%zu)</caption>\n<thead><tr><th scope=\"col\">"
               "Column</th>", n);
    for (k = 0; k < ARRAY_SIZE(keys); k++)
        buf_printf(b, "<th scope=\"col\">%s</th>", keys[k]);
    buf_adds(b, "</tr></thead>\n<tbody>\n");
    for (i = 0; i < n; i++) {
        c = j_at(cols, i);
        buf_adds(b, "<tr><th scope=\"row\" class=\"v\">");
        html_text(b, j_string(j_get(c, "name")), VALUE_CAP);
        buf_adds(b, "</th>");
        for (k = 0; k < ARRAY_SIZE(keys); k++)
            td_value(b, j_get(c, keys[k]));
        buf_adds(b, "</tr>\n");
    }
    buf_adds(b, "</tbody>\n</table>\n<h3>Columns in detail</h3>\n"
             "<div class=\"cols\">\n");
    for (i = 0; i < n; i++)
        column_detail(b, j_at(cols, i), i + 1, n <= HTML_OPEN_COLUMNS);
    buf_adds(b, "</div>\n</section>\n");
}

int html_write(struct buf *out, const struct report_ctx *ctx,
               struct assay_err *err)
{
    const char *version = j_string(j_get(j_get(ctx->doc, "tool"),
                                         "version"));
    size_t *ord = ctx_order(ctx);

    (void)err;
    buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
             "<meta charset=\"utf-8\">\n"
             "<meta http-equiv=\"Content-Security-Policy\" content=\""
             "default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, "
             "initial-scale=1\">\n<title>assay audit: ");
    html_text(out, ctx->name, VALUE_CAP);
    buf_printf(out, " (%s)</title>\n<style>\n%s</style>\n</head>\n<body>\n",
               verdict_word(ctx->verdict), css);
    header(out, ctx);
    nav(out, ctx);
    buf_adds(out, "<main>\n");
    summary(out, ctx);
    checks(out, ctx, ord);
    bias(out, ctx);
    profile(out, ctx);
    buf_adds(out, "</main>\n<footer><p>Generated by assay ");
    html_text(out, version, 64);
    buf_adds(out, " at ");
    html_text(out, ctx->timestamp, 64);
    buf_adds(out, ". Self-contained: no scripts, no external resources."
             "</p></footer>\n</body>\n</html>\n");
    free(ord);
    return 0;
}
