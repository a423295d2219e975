/* cmd_out.c -- output files for the commands: `--report FORMAT=PATH`
 * validation and writing, and atomic file output (a temporary file in the
 * same directory, renamed into place, so a reader never sees half a
 * report and a failed run never leaves one behind).
 * Used by cmd_check.c and cmd_bias.c; links only into the binary. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cmd.h"
#include "util.h"
#include "reports/report.h"

int cmd_report_specs_ok(const struct command *self, const struct optset *os)
{
    size_t i;

    for (i = 0; i < opt_count(os, "report"); i++) {
        const char *spec = opt_nth(os, "report", i), *eq = strchr(spec, '=');
        char *f;
        int known;

        if (eq == NULL || eq == spec || eq[1] == '\0')
            return usage_error(self, "--report takes FORMAT=PATH, not '%s'",
                               spec);
        f = xstrndup(spec, (size_t)(eq - spec));
        known = report_known(f);
        free(f);
        if (!known)
            return usage_error(self, "unknown report format in '%s' (%s)",
                               spec, report_format_list());
    }
    return 0;
}

int cmd_write_file(const char *path, cmd_writer_fn fn, void *ctx,
                   struct assay_err *err)
{
    char *tmp = NULL;
    FILE *fp = NULL;
    int fd, rc = -1;

    if (strcmp(path, "-") == 0) {
        if (fn(stdout, ctx, err) < 0)
            return -1;
        if (fflush(stdout) != 0)
            return seterr(err, ASSAY_EIO, "cannot write to stdout: %s",
                          strerror(errno));
        return 0;
    }
    tmp = xasprintf("%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        seterr(err, ASSAY_EIO, "cannot write '%s': %s", path,
               strerror(errno));
        free(tmp);
        return -1;
    }
    fp = fdopen(fd, "w");
    if (fp == NULL) {
        seterr(err, ASSAY_EIO, "cannot write '%s': %s", path,
               strerror(errno));
        close(fd);
        goto out;
    }
    if (fn(fp, ctx, err) < 0)
        goto out;
    if (fflush(fp) != 0 || ferror(fp)) {
        seterr(err, ASSAY_EIO, "cannot write '%s': %s", path,
               strerror(errno));
        goto out;
    }
    /* mkstemp() creates 0600; a report is an ordinary file. */
    {
        mode_t um = umask(0);

        umask(um);
        (void)fchmod(fileno(fp), 0666 & ~um);
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        seterr(err, ASSAY_EIO, "cannot write '%s': %s", path,
               strerror(errno));
        goto out;
    }
    fp = NULL;
    if (rename(tmp, path) != 0) {
        seterr(err, ASSAY_EIO, "cannot write '%s': %s", path,
               strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fp != NULL)
        fclose(fp);
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int cmd_write_stdout(const char *fmt, const struct json_t *doc,
                     const char *data_path, struct assay_err *err)
{
    struct report_opts ro = REPORT_OPTS_INIT;

    ro.color = strcmp(fmt, "text") == 0 && use_color(STDOUT_FILENO);
    ro.data_path = data_path;
    if (strcmp(fmt, "github") == 0)
        ro.step_summary = getenv("GITHUB_STEP_SUMMARY");
    return report_write(fmt, doc, stdout, &ro, err);
}

struct report_ctx {
    const char *fmt;
    const struct json_t *doc;
    const struct report_opts *ro;
};

static int write_report(FILE *fp, void *ctx, struct assay_err *err)
{
    struct report_ctx *c = ctx;

    return report_write(c->fmt, c->doc, fp, c->ro, err);
}

int cmd_write_reports(const struct optset *os, const struct json_t *doc,
                      const char *data_path, cmd_report_hook hook,
                      void *hook_ctx)
{
    size_t i, n = opt_count(os, "report");

    for (i = 0; i < n; i++) {
        const char *spec = opt_nth(os, "report", i);
        const char *eq = strchr(spec, '=');
        struct assay_err err = ASSAY_ERR_INIT;
        struct report_opts ro = REPORT_OPTS_INIT;
        struct report_ctx c;
        char *fmt = xstrndup(spec, (size_t)(eq - spec));
        cmd_writer_fn own = hook != NULL ? hook(fmt) : NULL;
        int rc;

        ro.data_path = data_path;
        c.fmt = fmt;
        c.doc = doc;
        c.ro = &ro;
        if (own != NULL)
            rc = cmd_write_file(eq + 1, own, hook_ctx, &err);
        else
            rc = cmd_write_file(eq + 1, write_report, &c, &err);
        free(fmt);
        if (rc < 0)
            return report_error(&err);
    }
    return 0;
}
