/* codequality.c -- the "codequality" format: GitLab Code Quality JSON
 * (artifacts:reports:codequality) for the merge request widget.  Part
 * of reports/; built with src/json.h, so there is never a BOM.
 * One issue per check or bias finding that did not pass: description,
 * check_name "assay/KIND", a fingerprint of (check id, data path,
 * column) -- never of observed values, so the same problem keeps its
 * fingerprint across runs -- severity (error: critical, fail: major,
 * warn: minor, info: info) and location.path (repository-relative) +
 * location.lines.begin (first sample's line, else 1).  Valid against
 * ../shared/gitlab-codequality/codequality-report.schema.json. */
#include <stdlib.h>
#include "json.h"
#include "report_int.h"

#define CQ_DESCRIPTION_CAP 1024

static const char *const cq_severity[IC_COUNT] = {
    [IC_ERROR] = "critical", [IC_FAIL] = "major", [IC_WARN] = "minor",
    [IC_INFO] = "info", [IC_PASS] = "info",
};

static struct json_t *issue(const struct report_ctx *ctx, const char *path,
                            const struct ritem *it)
{
    struct json_t *o = j_obj(), *loc = j_obj(), *lines = j_obj();
    struct buf d = BUF_INIT, t = BUF_INIT;
    char hex[65], *name;
    const struct json_t *s0 = j_at(j_get(it->obj, "samples"), 0);

    /* "age.range: 12 values out of range (12 of 999 failed; line 1042:
     * "212")" -- one line, the display form of every value. */
    esc_display(&d, it->id, ESC_ALL);
    buf_adds(&d, ": ");
    if (it->message != NULL)
        esc_display(&d, it->message, CQ_DESCRIPTION_CAP);
    else
        buf_adds(&d, rule_short(it->rule));
    fmt_counts(&t, it);
    if (t.len > 0)
        buf_printf(&d, " (%s)", buf_cstr(&t));
    if (j_string(j_get(s0, "value")) != NULL) {
        buf_printf(&d, "; line %lld: \"", j_integer(j_get(s0, "line")));
        esc_display(&d, j_string(j_get(s0, "value")), VALUE_CAP);
        buf_addc(&d, '"');
    }
    name = xasprintf("assay/%s", it->rule);
    item_fingerprint(ctx, it, hex);
    j_set(o, "description", j_str(buf_cstr(&d)));
    j_set(o, "check_name", j_str(name));
    j_set(o, "fingerprint", j_str(hex));
    j_set(o, "severity", j_str(cq_severity[it->cls]));
    j_set(o, "type", j_str("issue"));
    j_set(loc, "path", j_str(path));
    j_set(lines, "begin", j_int(it->line > 0 ? (long long)it->line : 1));
    j_set(loc, "lines", lines);
    j_set(o, "location", loc);
    free(name);
    buf_release(&d);
    buf_release(&t);
    return o;
}

int codequality_write(struct buf *out, const struct report_ctx *ctx,
                      struct assay_err *err)
{
    struct json_t *arr = j_arr();
    char *path = relative_path(ctx->data_path, 0);
    char *s;
    size_t i;

    (void)err;
    for (i = 0; i < ctx->nitems; i++)
        if (ctx->items[i].cls != IC_PASS)
            j_push(arr, issue(ctx, path, &ctx->items[i]));
    s = j_dump(arr, J_PRETTY);
    buf_adds(out, s);
    buf_addc(out, '\n');
    free(s);
    free(path);
    j_free(arr);
    return 0;
}
