/* junit.c -- the "junit" format: JUnit XML for Jenkins, GitLab and the
 * GitHub test-report actions.  Part of reports/.
 * One <testsuite> per dataset, one <testcase> per check (name = check
 * id, classname = "assay.KIND") and per bias finding ("assay.bias").
 * The shape validates against both the Ant XSD and Jenkins xUnit's
 * junit-10.xsd (../shared/junit-xsd/, notes/conventions.md 1.1):
 * <testsuites> without attributes, every required testsuite attribute,
 * <properties> first, <system-out>/<system-err> last, no testcase@file,
 * timestamp without a zone.  GitLab shows only element bodies, so the
 * full text (with samples) is in the body as well as in @message. */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report_int.h"

#define JUNIT_SAMPLES 10
#define MESSAGE_CAP 1024

/* xs:token with minLength 1: something other than whitespace. */
static int has_token(const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 1;
    return 0;
}

/* ISO 8601 without a zone, as the Ant XSD wants: the first 19
 * characters of the RFC 3339 timestamp when they have that shape. */
static void junit_time(const char *ts, char out[20])
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    char now[40];
    size_t i;

    for (i = 0; i < 19; i++)
        if (ts[i] == '\0' || (shape[i] == 'd' ? ts[i] < '0' || ts[i] > '9'
                              : ts[i] != shape[i]))
            break;
    if (i < 19) {
        now_rfc3339(now, sizeof now);
        ts = now;
    }
    memcpy(out, ts, 19);
    out[19] = '\0';
}

static void attr(struct buf *b, const char *name, const char *value,
                 size_t max)
{
    buf_printf(b, " %s=\"", name);
    esc_xml(b, value != NULL ? value : "", max, 1);
    buf_addc(b, '"');
}

static void property(struct buf *b, const char *name, const struct json_t *v)
{
    struct buf t = BUF_INIT;

    if (v == NULL || j_is_null(v))
        return;
    fmt_value(&t, v);
    buf_adds(b, "      <property");
    attr(b, "name", name, ESC_ALL);
    attr(b, "value", buf_cstr(&t), ESC_ALL);
    buf_adds(b, "/>\n");
    buf_release(&t);
}

static void properties(struct buf *b, const struct report_ctx *ctx)
{
    static const char *const ds_keys[] = {
        "path", "name", "sha256", "bytes", "rows", "columns", "row_digest",
        "schema_hash",
    };
    const struct json_t *ds = j_get(ctx->doc, "dataset");
    const struct json_t *rules = j_get(ctx->doc, "rules");
    const struct json_t *tool = j_get(ctx->doc, "tool");
    char name[64];
    size_t i;

    buf_adds(b, "    <properties>\n");
    for (i = 0; i < ARRAY_SIZE(ds_keys); i++) {
        snprintf(name, sizeof name, "dataset.%s", ds_keys[i]);
        property(b, name, j_get(ds, ds_keys[i]));
    }
    property(b, "rules.path", j_get(rules, "path"));
    property(b, "rules.sha256", j_get(rules, "sha256"));
    property(b, "verdict", j_get(ctx->doc, "verdict"));
    property(b, "assay.version", j_get(tool, "version"));
    buf_adds(b, "    </properties>\n");
}

static void testcase(struct buf *b, const struct ritem *it)
{
    struct buf body = BUF_INIT;
    const char *elem = it->cls == IC_ERROR ? "error" : "failure";

    buf_adds(b, "    <testcase");
    attr(b, "name", it->id, ESC_ALL);
    buf_adds(b, " classname=\"assay.");
    esc_xml(b, it->kind, ESC_ALL, 1);
    buf_adds(b, "\" time=\"0\"");
    /* Info findings pass: they are listed in <system-out>. */
    if (it->cls == IC_PASS || it->cls == IC_INFO) {
        buf_adds(b, "/>\n");
        return;
    }
    buf_printf(b, ">\n      <%s", elem);
    attr(b, "type", it->cls == IC_ERROR ? "error" : it->severity, ESC_ALL);
    attr(b, "message", it->message != NULL ? it->message :
         rule_short(it->rule), MESSAGE_CAP);
    buf_adds(b, ">");
    item_detail(&body, it, JUNIT_SAMPLES, "");
    esc_xml(b, buf_cstr(&body), ESC_ALL, 0);
    buf_printf(b, "</%s>\n    </testcase>\n", elem);
    buf_release(&body);
}

int junit_write(struct buf *out, const struct report_ctx *ctx,
                struct assay_err *err)
{
    struct report_opts plain = *ctx->opts;
    struct report_ctx tctx = *ctx;
    struct buf text = BUF_INIT;
    char ts[20];
    size_t i;

    junit_time(ctx->timestamp, ts);
    buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<testsuites>\n  <testsuite");
    attr(out, "name", has_token(ctx->name) ? ctx->name : "dataset",
         ESC_ALL);
    buf_printf(out, " package=\"assay\" id=\"0\" timestamp=\"%s\"", ts);
    attr(out, "hostname", has_token(ctx->opts->hostname) ?
         ctx->opts->hostname : "localhost", ESC_ALL);
    buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\""
               " skipped=\"0\" time=\"0\">\n", ctx->nitems,
               ctx->count[IC_FAIL] + ctx->count[IC_WARN],
               ctx->count[IC_ERROR]);
    properties(out, ctx);
    for (i = 0; i < ctx->nitems; i++)
        testcase(out, &ctx->items[i]);

    /* The text summary (no colour) as the suite's output. */
    plain.color = 0;
    tctx.opts = &plain;
    if (text_write(&text, &tctx, err) < 0) {
        buf_release(&text);
        return -1;
    }
    buf_adds(out, "    <system-out>");
    esc_xml(out, buf_cstr(&text), ESC_ALL, 0);
    buf_adds(out, "</system-out>\n    <system-err></system-err>\n"
             "  </testsuite>\n</testsuites>\n");
    buf_release(&text);
    return 0;
}
