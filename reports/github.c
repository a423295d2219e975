/* github.c -- the "github" format: GitHub Actions workflow commands.
 * Part of reports/.  Writes ::error / ::warning / ::notice annotation
 * lines for the checks that did not pass (escaped as actions/toolkit
 * does: data % CR LF; properties also : and ,), then the text report
 * inside ::stop-commands::TOKEN ... ::TOKEN:: so that dataset text such
 * as "::error::" is never read as a command, and appends a Markdown job
 * summary (under 1 MiB, GitHub's limit) to opts.step_summary.
 * The token is derived from a hash of the whole document, so data
 * cannot contain it (it would have to contain its own hash) and the
 * output stays reproducible. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypto.h"
#include "json.h"
#include "report_int.h"

#define GH_MAX_ANNOTATIONS 50   /* GitHub shows 10 of each kind a step */
#define GH_SAMPLES 3
#define GH_SUMMARY_MAX (1024 * 1024 - 4096)    /* 1 MiB, with a margin */

static const char *const gh_command[IC_COUNT] = {
    [IC_ERROR] = "error", [IC_FAIL] = "error", [IC_WARN] = "warning",
    [IC_INFO] = "notice", [IC_PASS] = "notice",
};

static void annotation(struct buf *b, const char *path,
                       const struct ritem *it)
{
    struct buf msg = BUF_INIT, title = BUF_INIT;

    buf_printf(&title, "assay %s: %s", class_word(it->cls), it->id);
    item_detail(&msg, it, GH_SAMPLES, "");
    buf_printf(b, "::%s file=", gh_command[it->cls]);
    esc_gh_prop(b, path, ESC_ALL);
    buf_printf(b, ",line=%llu,title=", it->line > 0 ? it->line : 1);
    esc_gh_prop(b, buf_cstr(&title), 2 * VALUE_CAP);
    buf_adds(b, "::");
    esc_gh_data(b, buf_cstr(&msg), ESC_ALL);
    buf_addc(b, '\n');
    buf_release(&msg);
    buf_release(&title);
}

static void stop_token(const struct report_ctx *ctx, char out[65])
{
    char *s = j_dump(ctx->doc, J_CANON);
    struct buf b = BUF_INIT;

    buf_printf(&b, "assay-stop\n%s\n%s", ctx->timestamp, s);
    sha256_hex(b.data, b.len, out);
    out[32] = '\0';
    buf_release(&b);
    free(s);
}

/* Append the job summary; the file is opened for appending, never
 * truncated (other steps write to it too). */
static int step_summary(const struct report_ctx *ctx, const char *path,
                        struct assay_err *err)
{
    struct buf md = BUF_INIT;
    FILE *fp = NULL;
    int detail, rc = -1;

    for (detail = 2; detail >= 0; detail--) {
        buf_reset(&md);
        markdown_render(&md, ctx, detail);
        if (md.len <= GH_SUMMARY_MAX)
            break;
    }
    fp = fopen(path, "a");
    if (fp == NULL) {
        seterr(err, ASSAY_EIO, "cannot open step summary '%s': %s", path,
               strerror(errno));
        goto out;
    }
    if (fwrite(md.data, 1, md.len, fp) != md.len || fflush(fp) != 0) {
        seterr(err, ASSAY_EIO, "cannot write step summary '%s': %s", path,
               strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fp != NULL && fclose(fp) != 0 && rc == 0)
        rc = seterr(err, ASSAY_EIO, "cannot write step summary '%s': %s",
                    path, strerror(errno));
    buf_release(&md);
    return rc;
}

int github_write(struct buf *out, const struct report_ctx *ctx,
                 struct assay_err *err)
{
    struct report_opts plain = *ctx->opts;
    struct report_ctx tctx = *ctx;
    size_t *ord = ctx_order(ctx);
    size_t i, nprob = ctx->nitems - ctx->count[IC_PASS];
    char *path = relative_path(ctx->data_path, 0);
    char token[65];
    int rc = -1;

    for (i = 0; i < nprob && i < GH_MAX_ANNOTATIONS; i++)
        annotation(out, path, &ctx->items[ord[i]]);
    if (nprob > GH_MAX_ANNOTATIONS)
        buf_printf(out, "::notice title=assay::%zu more findings are not "
                   "annotated (see the report below)\n",
                   nprob - GH_MAX_ANNOTATIONS);

    /* The human report, with commands off while it is echoed. */
    stop_token(ctx, token);
    buf_printf(out, "::group::assay report: %s\n::stop-commands::%s\n",
               verdict_word(ctx->verdict), token);
    plain.color = 0;
    tctx.opts = &plain;
    if (text_write(out, &tctx, err) < 0)
        goto out;
    buf_printf(out, "::%s::\n::endgroup::\n", token);

    if (ctx->opts->step_summary != NULL && *ctx->opts->step_summary != '\0'
        && step_summary(ctx, ctx->opts->step_summary, err) < 0)
        goto out;
    rc = 0;
out:
    free(path);
    free(ord);
    return rc;
}
