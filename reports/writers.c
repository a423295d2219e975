/* writers.c -- the table of output formats and report_write().
 * Part of reports/: every writer renders the whole output into a buffer
 * from the shared view (model.c); this file then writes the buffer to
 * the caller's FILE* and turns a failed write into ASSAY_EIO, so no
 * writer has to check every fputs(). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report_int.h"

/* To add a format:
 *  1. write reports/NAME.c with `int NAME_write(struct buf *out,
 *     const struct report_ctx *ctx, struct assay_err *err)` (declared in
 *     report_int.h) that appends the whole output to out;
 *  2. add a row below: the name users type after --format / --report,
 *     the usual file extension, the function;
 *  3. add cases to tests/unit/test_reports.c and a validator run to a
 *     tests/cli/07NN-reports-*.t script, and name it in DESIGN.md. */
static const struct report_writer {
    const char *name;
    const char *ext;
    int (*write)(struct buf *out, const struct report_ctx *ctx,
                 struct assay_err *err);
} writers[] = {
    { "text",        ".txt",   text_write },
    { "json",        ".json",  json_write },
    { "junit",       ".xml",   junit_write },
    { "sarif",       ".sarif", sarif_write },
    { "github",      ".txt",   github_write },
    { "markdown",    ".md",    markdown_write },
    { "codequality", ".json",  codequality_write },
    { "html",        ".html",  html_write },
};

static const struct report_writer *find(const char *fmt)
{
    size_t i;

    for (i = 0; fmt != NULL && i < ARRAY_SIZE(writers); i++)
        if (strcmp(writers[i].name, fmt) == 0)
            return &writers[i];
    return NULL;
}

int report_known(const char *fmt)
{
    return find(fmt) != NULL;
}

const char *report_extension(const char *fmt)
{
    const struct report_writer *w = find(fmt);

    return w != NULL ? w->ext : NULL;
}

const char *report_format_list(void)
{
    static char list[256];
    size_t i, n = 0;

    if (list[0] != '\0')
        return list;
    for (i = 0; i < ARRAY_SIZE(writers); i++) {
        int k = snprintf(list + n, sizeof list - n, "%s%s",
                         i > 0 ? ", " : "", writers[i].name);

        if (k < 0 || (size_t)k >= sizeof list - n)
            break;
        n += (size_t)k;
    }
    return list;
}

int report_write(const char *fmt, const struct json_t *doc, FILE *fp,
                 const struct report_opts *o, struct assay_err *err)
{
    const struct report_writer *w = find(fmt);
    struct report_ctx ctx;
    struct buf out = BUF_INIT;
    int wrc, rc = -1;

    if (w == NULL)
        return seterr(err, ASSAY_EUSAGE, "unknown format '%s' (one of: %s)",
                      fmt != NULL ? fmt : "", report_format_list());
    ctx_init(&ctx, doc, o);
    /* What a writer produced is written even when it then failed (the
     * github writer's step summary file): stdout stays complete. */
    wrc = w->write(&out, &ctx, err);
    errno = 0;
    if ((out.len > 0 && fwrite(out.data, 1, out.len, fp) != out.len) ||
        fflush(fp) != 0 || ferror(fp)) {
        seterr(err, ASSAY_EIO, "cannot write %s output: %s", w->name,
               errno != 0 ? strerror(errno) : "write error");
        goto out;
    }
    if (wrc < 0)
        goto out;
    rc = 0;
out:
    buf_release(&out);
    ctx_release(&ctx);
    return rc;
}
