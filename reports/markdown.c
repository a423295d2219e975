/* markdown.c -- the "markdown" format: GitHub-flavoured Markdown for
 * pull request comments and the GitHub job summary.  Part of reports/.
 * The verdict, a table of problems, <details> with samples, passing
 * checks, bias findings and metrics, a profile table.  Every value goes
 * through esc_md() (all ASCII punctuation backslash-escaped, controls
 * shown as \n ...) or esc_html() inside HTML blocks, so data cannot
 * break a table or inject markup.  markdown_render() has levels of
 * detail so github.c can keep the job summary under 1 MiB.  Renders
 * with `cmark-gfm -e table` (tests/cli/0703-reports-markdown.t). */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report_int.h"

#define MD_SAMPLES 5
#define MD_BRIEF_ROWS 20        /* detail 0: problems listed */
#define MD_COLLAPSE 20          /* more rows than this go in <details> */

static const char *const icons[IC_COUNT] = {
    [IC_ERROR] = "\xF0\x9F\x92\xA5 ERROR",        /* collision */
    [IC_FAIL] = "\xE2\x9D\x8C FAIL",              /* cross mark */
    [IC_WARN] = "\xE2\x9A\xA0\xEF\xB8\x8F WARN",  /* warning sign */
    [IC_INFO] = "\xE2\x84\xB9\xEF\xB8\x8F INFO",  /* information */
    [IC_PASS] = "\xE2\x9C\x85 PASS",              /* check mark */
};

static enum item_class verdict_class(const char *v)
{
    if (strcmp(v, "fail") == 0)
        return IC_FAIL;
    return strcmp(v, "warn") == 0 ? IC_WARN : IC_PASS;
}

/* A JSON value as a Markdown table cell. */
static void md_value(struct buf *b, const struct json_t *v)
{
    struct buf t = BUF_INIT;

    if (v == NULL)
        return;
    fmt_value(&t, v);
    esc_md(b, buf_cstr(&t), VALUE_CAP);
    buf_release(&t);
}

static void head(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *ds = j_get(ctx->doc, "dataset");
    const char *sha = j_string(j_get(ds, "sha256"));

    buf_printf(b, "### assay: %s \xE2\x80\x94 ",
               icons[verdict_class(ctx->verdict)]);
    esc_md(b, ctx->name, VALUE_CAP);
    buf_printf(b, "\n\n**Verdict: %s** \xC2\xB7 %zu failed \xC2\xB7 %zu "
               "error%s \xC2\xB7 %zu warning%s \xC2\xB7 %zu info \xC2\xB7 "
               "%zu passed\n\n", verdict_word(ctx->verdict),
               ctx->count[IC_FAIL], ctx->count[IC_ERROR],
               ctx->count[IC_ERROR] == 1 ? "" : "s", ctx->count[IC_WARN],
               ctx->count[IC_WARN] == 1 ? "" : "s", ctx->count[IC_INFO],
               ctx->count[IC_PASS]);
    buf_adds(b, "Dataset: ");
    esc_md(b, ctx->data_path, VALUE_CAP);
    if (j_is_number(j_get(ds, "rows")))
        buf_printf(b, " \xC2\xB7 %lld rows \xC2\xB7 %lld columns",
                   j_integer(j_get(ds, "rows")),
                   j_integer(j_get(ds, "columns")));
    if (sha != NULL) {
        buf_adds(b, " \xC2\xB7 sha256 ");
        esc_md(b, sha, 64);
    }
    if (j_string(j_get(j_get(ctx->doc, "rules"), "path")) != NULL) {
        buf_adds(b, " \xC2\xB7 rules ");
        esc_md(b, j_string(j_get(j_get(ctx->doc, "rules"), "path")),
               VALUE_CAP);
    }
    buf_adds(b, "\n\n");
}

static void problem_row(struct buf *b, const struct ritem *it)
{
    struct buf t = BUF_INIT;

    buf_printf(b, "| %s | ", icons[it->cls]);
    esc_md(b, it->id, VALUE_CAP);
    buf_adds(b, " | ");
    esc_md(b, it->kind, VALUE_CAP);
    buf_adds(b, " | ");
    if (it->column != NULL)
        esc_md(b, it->column, VALUE_CAP);
    buf_adds(b, " | ");
    fmt_counts(&t, it);
    esc_md(b, buf_cstr(&t), ESC_ALL);
    buf_adds(b, " | ");
    if (it->message != NULL)
        esc_md(b, it->message, 2 * VALUE_CAP);
    buf_adds(b, " |\n");
    buf_release(&t);
}

static void samples(struct buf *b, const struct ritem *it)
{
    const struct json_t *ss = j_get(it->obj, "samples");
    const struct json_t *s;
    size_t i, n = j_len(ss);

    if (n == 0)
        return;
    buf_adds(b, "<details><summary>Samples: ");
    esc_html(b, it->id, VALUE_CAP);
    buf_printf(b, " (%zu of %zu shown)</summary>\n\n",
               n < MD_SAMPLES ? n : MD_SAMPLES, n);
    buf_adds(b, "| Line | Record | Value |\n| ---: | ---: | --- |\n");
    for (i = 0; i < n && i < MD_SAMPLES; i++) {
        s = j_at(ss, i);
        buf_printf(b, "| %lld | %lld | ", j_integer(j_get(s, "line")),
                   j_integer(j_get(s, "record")));
        if (j_string(j_get(s, "value")) != NULL)
            esc_md(b, j_string(j_get(s, "value")), VALUE_CAP);
        buf_adds(b, " |\n");
    }
    buf_adds(b, "\n</details>\n\n");
}

static void problems(struct buf *b, const struct report_ctx *ctx,
                     const size_t *ord, int detail)
{
    size_t i, nprob = ctx->nitems - ctx->count[IC_PASS];
    size_t shown = detail > 0 ? nprob : MIN(nprob, MD_BRIEF_ROWS);

    if (nprob == 0)
        return;
    buf_adds(b, "| Status | Check | Kind | Column | Failures | Message |\n"
             "| --- | --- | --- | --- | ---: | --- |\n");
    for (i = 0; i < shown; i++)
        problem_row(b, &ctx->items[ord[i]]);
    buf_addc(b, '\n');
    if (shown < nprob)
        buf_printf(b, "%zu more problems not shown.\n\n", nprob - shown);
    if (detail < 2)
        return;
    for (i = 0; i < nprob; i++)
        samples(b, &ctx->items[ord[i]]);
}

static void passes(struct buf *b, const struct report_ctx *ctx,
                   const size_t *ord)
{
    const struct ritem *it;
    size_t i;

    if (ctx->count[IC_PASS] == 0)
        return;
    buf_printf(b, "<details><summary>Passing checks (%zu)</summary>\n\n"
               "| Check | Kind | Column | Checked |\n"
               "| --- | --- | --- | ---: |\n", ctx->count[IC_PASS]);
    for (i = ctx->nitems - ctx->count[IC_PASS]; i < ctx->nitems; i++) {
        it = &ctx->items[ord[i]];
        buf_adds(b, "| ");
        esc_md(b, it->id, VALUE_CAP);
        buf_adds(b, " | ");
        esc_md(b, it->kind, VALUE_CAP);
        buf_adds(b, " | ");
        if (it->column != NULL)
            esc_md(b, it->column, VALUE_CAP);
        buf_adds(b, " | ");
        md_value(b, j_get(it->obj, "checked"));
        buf_adds(b, " |\n");
    }
    buf_adds(b, "\n</details>\n\n");
}

static void bias_stage(struct buf *b, const struct json_t *bo,
                       const char *stage, const char *facet,
                       const char *label)
{
    struct json_t *o = j_get(bo, stage);
    struct buf t = BUF_INIT;
    void *it;

    for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
        buf_adds(b, "| ");
        esc_md(b, facet, VALUE_CAP);
        buf_adds(b, " | ");
        esc_md(b, label, VALUE_CAP);
        buf_adds(b, " | ");
        esc_md(b, j_iter_key(it), 32);
        buf_adds(b, " | ");
        buf_reset(&t);
        fmt_metric(&t, j_iter_value(it));
        esc_md(b, buf_cstr(&t), VALUE_CAP);
        buf_adds(b, " |\n");
    }
    buf_release(&t);
}

static void bias(struct buf *b, const struct report_ctx *ctx, int detail)
{
    const struct ritem *it;
    const struct json_t *bo;
    struct buf f = BUF_INIT, l = BUF_INIT;
    size_t i, nf = 0;

    for (i = 0; i < ctx->nitems; i++)
        nf += ctx->items[i].bias != NULL;
    if (doc_nbias(ctx->doc) == 0)
        return;
    buf_adds(b, "#### Bias\n\n");
    if (nf > 0) {
        buf_adds(b, "| Status | Finding | Metric | Value | Limit |\n"
                 "| --- | --- | --- | ---: | --- |\n");
        for (i = 0; i < ctx->nitems; i++) {
            it = &ctx->items[i];
            if (it->bias == NULL)
                continue;
            buf_printf(b, "| %s | ", icons[it->cls]);
            esc_md(b, it->id, VALUE_CAP);
            buf_adds(b, " | ");
            esc_md(b, it->metric, 32);
            buf_adds(b, " | ");
            md_value(b, j_get(it->obj, "value"));
            buf_adds(b, " | ");
            buf_reset(&f);
            fmt_limit(&f, j_get(it->obj, "limit"));
            esc_md(b, buf_cstr(&f), VALUE_CAP);
            buf_adds(b, " |\n");
        }
        buf_addc(b, '\n');
    }
    if (detail < 2)
        goto out;
    buf_adds(b, "<details><summary>Bias metrics</summary>\n\n"
             "| Facet | Label | Metric | Value [95% CI] |\n"
             "| --- | --- | --- | --- |\n");
    for (i = 0; i < doc_nbias(ctx->doc); i++) {
        bo = doc_bias(ctx->doc, i);
        buf_reset(&f);
        buf_reset(&l);
        fmt_facet(&f, j_get(bo, "facet"));
        fmt_facet(&l, j_get(bo, "label"));
        bias_stage(b, bo, "pretraining", buf_cstr(&f), buf_cstr(&l));
        bias_stage(b, bo, "posttraining", buf_cstr(&f), buf_cstr(&l));
    }
    buf_adds(b, "\n</details>\n\n");
out:
    buf_release(&f);
    buf_release(&l);
}

static void profile(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *cols = j_get(j_get(ctx->doc, "profile"), "columns");
    const struct json_t *c;
    static const char *const keys[] = {
        "type", "count", "nulls", "distinct", "min", "max", "mean",
    };
    size_t i, k;

    if (j_len(cols) == 0)
        return;
    buf_printf(b, "<details><summary>Profile (%zu columns)</summary>\n\n"
               "| Column | Type | Count | Nulls | Distinct | Min | Max | "
               "Mean |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | "
               "---: |\n", j_len(cols));
    for (i = 0; i < j_len(cols); i++) {
        c = j_at(cols, i);
        buf_adds(b, "| ");
        if (j_string(j_get(c, "name")) != NULL)
            esc_md(b, j_string(j_get(c, "name")), VALUE_CAP);
        for (k = 0; k < ARRAY_SIZE(keys); k++) {
            buf_adds(b, " | ");
            if (j_get(c, keys[k]) != NULL && !j_is_null(j_get(c, keys[k])))
                md_value(b, j_get(c, keys[k]));
        }
        buf_adds(b, " |\n");
    }
    buf_adds(b, "\n</details>\n\n");
}

void markdown_render(struct buf *out, const struct report_ctx *ctx,
                     int detail)
{
    size_t *ord = ctx_order(ctx);

    head(out, ctx);
    problems(out, ctx, ord, detail);
    if (detail > 0)
        passes(out, ctx, ord);
    bias(out, ctx, detail);
    if (detail > 1)
        profile(out, ctx);
    buf_adds(out, "<sub>assay ");
    esc_md(out, j_string(j_get(j_get(ctx->doc, "tool"), "version")), 64);
    buf_adds(out, " \xC2\xB7 ");
    esc_md(out, ctx->timestamp, 64);
    buf_adds(out, "</sub>\n");
    free(ord);
}

int markdown_write(struct buf *out, const struct report_ctx *ctx,
                   struct assay_err *err)
{
    (void)err;
    markdown_render(out, ctx, 2);
    return 0;
}
