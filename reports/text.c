/* text.c -- the "text" format: a human summary for a terminal or a log.
 * Part of reports/: the verdict first, then problems worst first with
 * their counts, messages and up to three samples, bias metrics, and one
 * line per passing check.  Every value from the document goes through
 * the display form (escape.c), so data can neither break lines nor send
 * terminal escapes; ANSI colour only when opts.color. */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report_int.h"

#define TEXT_SAMPLES 3
#define PASS_WIDTH 40           /* ids longer than this are not aligned */
#define INDENT "       "

static const char *const colors[IC_COUNT] = {
    [IC_ERROR] = "\033[1;31m", [IC_FAIL] = "\033[1;31m",
    [IC_WARN] = "\033[1;33m", [IC_INFO] = "\033[36m",
    [IC_PASS] = "\033[32m",
};
#define RESET "\033[0m"
#define DIM "\033[2m"

static void paint(struct buf *b, const struct report_ctx *ctx,
                  const char *color, const char *s)
{
    if (ctx->opts->color)
        buf_printf(b, "%s%s%s", color, s, RESET);
    else
        buf_adds(b, s);
}

static enum item_class verdict_class(const char *verdict)
{
    if (strcmp(verdict, "fail") == 0)
        return IC_FAIL;
    return strcmp(verdict, "warn") == 0 ? IC_WARN : IC_PASS;
}

static void header(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *ds = j_get(ctx->doc, "dataset");
    const struct json_t *rules = j_get(ctx->doc, "rules");
    const char *sha = j_string(j_get(ds, "sha256"));

    buf_adds(b, "assay: ");
    paint(b, ctx, colors[verdict_class(ctx->verdict)],
          verdict_word(ctx->verdict));
    buf_adds(b, "  ");
    esc_display(b, ctx->name, VALUE_CAP);
    if (strcmp(ctx->name, ctx->data_path) != 0) {
        buf_adds(b, " (");
        esc_display(b, ctx->data_path, VALUE_CAP);
        buf_addc(b, ')');
    }
    buf_addc(b, '\n');
    if (j_is_number(j_get(ds, "rows")) || sha != NULL) {
        buf_adds(b, "  ");
        if (j_is_number(j_get(ds, "rows")))
            buf_printf(b, "%lld rows, %lld columns",
                       j_integer(j_get(ds, "rows")),
                       j_integer(j_get(ds, "columns")));
        if (sha != NULL) {
            buf_adds(b, j_is_number(j_get(ds, "rows")) ? ", sha256 " :
                     "sha256 ");
            esc_display(b, sha, 16);
        }
        buf_addc(b, '\n');
    }
    if (j_string(j_get(rules, "path")) != NULL) {
        buf_adds(b, "  rules: ");
        esc_display(b, j_string(j_get(rules, "path")), VALUE_CAP);
        buf_addc(b, '\n');
    }
}

static void problems(struct buf *b, const struct report_ctx *ctx,
                     const size_t *ord)
{
    const struct ritem *it;
    size_t i;
    char word[8];

    for (i = 0; i < ctx->nitems; i++) {
        it = &ctx->items[ord[i]];
        if (it->cls == IC_PASS)
            break;
        if (i == 0)
            buf_addc(b, '\n');
        snprintf(word, sizeof word, "%-6s", class_word(it->cls));
        paint(b, ctx, colors[it->cls], word);
        buf_addc(b, ' ');
        item_detail(b, it, TEXT_SAMPLES, INDENT);
        buf_addc(b, '\n');
    }
}

static void bias_metrics(struct buf *b, const struct json_t *stage,
                         const char *title)
{
    struct json_t *o = (struct json_t *)stage;
    struct buf t = BUF_INIT;
    void *it;

    if (!j_is_object(stage) || j_iter(o) == NULL)
        return;
    buf_printf(b, "  %s:\n", title);
    for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
        buf_reset(&t);
        fmt_metric(&t, j_iter_value(it));
        buf_adds(b, "    ");
        esc_display(b, j_iter_key(it), 16);
        buf_addc(b, ' ');
        if (strlen(j_iter_key(it)) < 6)
            buf_printf(b, "%*s", (int)(6 - strlen(j_iter_key(it))), "");
        esc_display(b, buf_cstr(&t), VALUE_CAP);
        buf_addc(b, '\n');
    }
    buf_release(&t);
}

static void bias(struct buf *b, const struct report_ctx *ctx)
{
    const struct json_t *bo;
    struct buf t = BUF_INIT;
    size_t i;

    for (i = 0; i < doc_nbias(ctx->doc); i++) {
        bo = doc_bias(ctx->doc, i);
        buf_reset(&t);
        fmt_facet(&t, j_get(bo, "facet"));
        buf_adds(b, "\nbias: facet ");
        esc_display(b, buf_cstr(&t), VALUE_CAP);
        if (j_get(bo, "label") != NULL) {
            buf_reset(&t);
            fmt_facet(&t, j_get(bo, "label"));
            buf_adds(b, ", label ");
            esc_display(b, buf_cstr(&t), VALUE_CAP);
        }
        if (j_string(j_get(bo, "mode")) != NULL) {
            buf_adds(b, " (");
            esc_display(b, j_string(j_get(bo, "mode")), 16);
            buf_addc(b, ')');
        }
        buf_addc(b, '\n');
        if (j_is_number(j_get(j_get(bo, "counts"), "n")))
            buf_printf(b, "  n %lld, n_d %lld, n_a %lld\n",
                       j_integer(j_get(j_get(bo, "counts"), "n")),
                       j_integer(j_get(j_get(bo, "counts"), "n_d")),
                       j_integer(j_get(j_get(bo, "counts"), "n_a")));
        bias_metrics(b, j_get(bo, "pretraining"), "pre-training");
        bias_metrics(b, j_get(bo, "posttraining"), "post-training");
    }
    buf_release(&t);
}

static void passes(struct buf *b, const struct report_ctx *ctx,
                   const size_t *ord)
{
    const struct ritem *it;
    struct buf t = BUF_INIT, d = BUF_INIT;
    size_t i, n, start, width = 0;

    if (ctx->count[IC_PASS] == 0)
        return;
    /* One line each, ids padded to a column (up to PASS_WIDTH). */
    for (i = ctx->nitems - ctx->count[IC_PASS]; i < ctx->nitems; i++) {
        n = strlen(ctx->items[ord[i]].id);
        if (n > width && n <= PASS_WIDTH)
            width = n;
    }
    buf_printf(b, "\npassed (%zu):\n", ctx->count[IC_PASS]);
    for (i = ctx->nitems - ctx->count[IC_PASS]; i < ctx->nitems; i++) {
        it = &ctx->items[ord[i]];
        buf_adds(b, "  ");
        paint(b, ctx, colors[IC_PASS], "ok");
        buf_adds(b, "  ");
        start = b->len;
        esc_display(b, it->id, VALUE_CAP);
        buf_reset(&t);
        fmt_counts(&t, it);
        if (t.len == 0 && it->bias != NULL) {
            buf_adds(&t, "value ");
            fmt_value(&t, j_get(it->obj, "value"));
            buf_adds(&t, ", limit ");
            fmt_limit(&t, j_get(it->obj, "limit"));
        }
        if (t.len > 0) {
            for (n = b->len - start; n < width + 2; n++)
                buf_addc(b, ' ');
            buf_reset(&d);
            esc_display(&d, buf_cstr(&t), VALUE_CAP);
            paint(b, ctx, DIM, buf_cstr(&d));
        }
        buf_addc(b, '\n');
    }
    buf_release(&t);
    buf_release(&d);
}

int text_write(struct buf *out, const struct report_ctx *ctx,
               struct assay_err *err)
{
    size_t *ord = ctx_order(ctx);

    (void)err;
    header(out, ctx);
    problems(out, ctx, ord);
    bias(out, ctx);
    passes(out, ctx, ord);
    buf_printf(out, "\n%s: %zu failed, %zu error%s, %zu warning%s, "
               "%zu info, %zu passed\n", verdict_word(ctx->verdict),
               ctx->count[IC_FAIL], ctx->count[IC_ERROR],
               ctx->count[IC_ERROR] == 1 ? "" : "s", ctx->count[IC_WARN],
               ctx->count[IC_WARN] == 1 ? "" : "s", ctx->count[IC_INFO],
               ctx->count[IC_PASS]);
    free(ord);
    return 0;
}
