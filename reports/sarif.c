/* sarif.c -- the "sarif" format: SARIF 2.1.0 for GitHub code scanning
 * and SARIF viewers.  Part of reports/; built with src/json.h (never
 * hand-escaped JSON).  Rules are check kinds and bias metrics ("range",
 * "bias.CI"), each with short and full descriptions; one result per
 * check or finding that did not pass, located in the data file at the
 * first sample's line (or line 1) with the column as a logical
 * location, and a partial fingerprint of (check id, path, column) that
 * stays the same across runs.  Valid against
 * ../shared/sarif-schema/sarif-schema-2.1.0.json. */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report_int.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/" \
    "errata01/os/schemas/sarif-schema-2.1.0.json"
#define SARIF_SAMPLES 10
#define SARIF_TEXT_CAP 4096

static const char *level_of(const struct ritem *it)
{
    if (it->cls == IC_ERROR || it->cls == IC_FAIL)
        return "error";
    return it->cls == IC_WARN ? "warning" : "note";
}

static struct json_t *text_obj(const char *s)
{
    struct json_t *o = j_obj();

    j_set(o, "text", j_str(s));
    return o;
}

/* Rules in order of first appearance; *index gets each item's rule. */
static struct json_t *rules_array(const struct report_ctx *ctx,
                                  size_t *index)
{
    struct json_t *rules = j_arr();
    struct json_t *r, *props, *tags;
    size_t i, k, n = 0;

    for (i = 0; i < ctx->nitems; i++) {
        for (k = 0; k < i; k++)
            if (strcmp(ctx->items[k].rule, ctx->items[i].rule) == 0)
                break;
        if (k < i) {
            index[i] = index[k];
            continue;
        }
        index[i] = n++;
        r = j_obj();
        j_set(r, "id", j_str(ctx->items[i].rule));
        j_set(r, "shortDescription", text_obj(rule_short(ctx->items[i].rule)));
        j_set(r, "fullDescription", text_obj(rule_full(ctx->items[i].rule)));
        props = j_obj();
        tags = j_arr();
        j_push(tags, j_str(ctx->items[i].bias != NULL ? "bias" :
                           "data-quality"));
        j_set(props, "tags", tags);
        j_set(r, "properties", props);
        j_push(rules, r);
    }
    return rules;
}

static struct json_t *region_at(unsigned long long line)
{
    struct json_t *region = j_obj();

    j_set(region, "startLine", j_int(line > 0 ? (long long)line : 1));
    return region;
}

static struct json_t *location(const struct report_ctx *ctx,
                               const char *uri, const struct ritem *it)
{
    struct json_t *loc = j_obj(), *phys = j_obj(), *art = j_obj();
    struct json_t *logical, *ll;
    char *fq;

    j_set(art, "uri", j_str(uri));
    j_set(art, "index", j_int(0));
    j_set(phys, "artifactLocation", art);
    j_set(phys, "region", region_at(it->line));
    j_set(loc, "physicalLocation", phys);
    if (it->column != NULL) {
        logical = j_arr();
        ll = j_obj();
        fq = xasprintf("%s/%s", ctx->name, it->column);
        j_set(ll, "name", j_str(it->column));
        j_set(ll, "fullyQualifiedName", j_str(fq));
        j_set(ll, "kind", j_str("member"));
        j_push(logical, ll);
        j_set(loc, "logicalLocations", logical);
        free(fq);
    }
    return loc;
}

/* Further samples as related locations, each with its value. */
static struct json_t *related(const char *uri, const struct ritem *it)
{
    const struct json_t *samples = j_get(it->obj, "samples");
    struct json_t *arr = j_arr(), *rl, *phys, *art;
    const struct json_t *s;
    struct buf t = BUF_INIT;
    size_t i;

    for (i = 1; i < j_len(samples) && i < SARIF_SAMPLES; i++) {
        s = j_at(samples, i);
        rl = j_obj();
        phys = j_obj();
        art = j_obj();
        j_set(rl, "id", j_int((long long)i));
        j_set(art, "uri", j_str(uri));
        j_set(art, "index", j_int(0));
        j_set(phys, "artifactLocation", art);
        j_set(phys, "region", region_at(
                  (unsigned long long)j_integer(j_get(s, "line"))));
        j_set(rl, "physicalLocation", phys);
        buf_reset(&t);
        buf_printf(&t, "record %lld", j_integer(j_get(s, "record")));
        if (j_string(j_get(s, "value")) != NULL) {
            buf_adds(&t, ": \"");
            esc_display(&t, j_string(j_get(s, "value")), VALUE_CAP);
            buf_addc(&t, '"');
        }
        j_set(rl, "message", text_obj(buf_cstr(&t)));
        j_push(arr, rl);
    }
    buf_release(&t);
    return arr;
}

static struct json_t *result(const struct report_ctx *ctx, const char *uri,
                             const struct ritem *it, size_t rule_index)
{
    static const char *const copy[] = {
        "failures", "checked", "observed", "limit", "value",
    };
    struct json_t *res = j_obj(), *locs = j_arr(), *fp = j_obj();
    struct json_t *props = j_obj(), *rel;
    struct buf msg = BUF_INIT;
    char hex[65];
    size_t i;

    item_detail(&msg, it, SARIF_SAMPLES, "");
    j_set(res, "ruleId", j_str(it->rule));
    j_set(res, "ruleIndex", j_int((long long)rule_index));
    j_set(res, "level", j_str(level_of(it)));
    if (msg.len > SARIF_TEXT_CAP) {
        buf_reset(&msg);
        item_detail(&msg, it, 1, "");
    }
    j_set(res, "message", text_obj(buf_cstr(&msg)));
    j_push(locs, location(ctx, uri, it));
    j_set(res, "locations", locs);
    rel = related(uri, it);
    if (j_len(rel) > 0)
        j_set(res, "relatedLocations", rel);
    else
        j_free(rel);
    item_fingerprint(ctx, it, hex);
    j_set(fp, "assay/v1", j_str(hex));
    j_set(res, "partialFingerprints", fp);
    j_set(props, "id", j_str(it->id));
    j_set(props, "severity", j_str(it->severity));
    j_set(props, "status", j_str(it->status));
    for (i = 0; i < ARRAY_SIZE(copy); i++)
        if (j_get(it->obj, copy[i]) != NULL)
            j_set(props, copy[i], j_copy(j_get(it->obj, copy[i])));
    j_set(res, "properties", props);
    buf_release(&msg);
    return res;
}

static struct json_t *artifacts(const struct report_ctx *ctx,
                                const char *uri)
{
    const struct json_t *ds = j_get(ctx->doc, "dataset");
    struct json_t *arr = j_arr(), *a = j_obj(), *loc = j_obj(), *h;

    j_set(loc, "uri", j_str(uri));
    j_set(a, "location", loc);
    if (j_is_number(j_get(ds, "bytes")) && j_integer(j_get(ds, "bytes")) >= 0)
        j_set(a, "length", j_int(j_integer(j_get(ds, "bytes"))));
    if (j_string(j_get(ds, "sha256")) != NULL) {
        h = j_obj();
        j_set(h, "sha-256", j_str(j_string(j_get(ds, "sha256"))));
        j_set(a, "hashes", h);
    }
    j_push(arr, a);
    return arr;
}

int sarif_write(struct buf *out, const struct report_ctx *ctx,
                struct assay_err *err)
{
    const struct json_t *tool = j_get(ctx->doc, "tool");
    struct json_t *doc = j_obj(), *runs = j_arr(), *run = j_obj();
    struct json_t *t = j_obj(), *driver = j_obj(), *results = j_arr();
    struct json_t *inv = j_arr(), *iv = j_obj(), *props = j_obj();
    size_t *index = xcalloc(ctx->nitems + 1, sizeof *index);
    struct buf uri = BUF_INIT;
    char *s, *path;
    size_t i;

    (void)err;
    /* Repository-relative, as GitHub wants; else a file: URI. */
    path = relative_path(ctx->data_path, 1);
    if (path[0] == '/')
        buf_adds(&uri, "file://");
    esc_uri_path(&uri, path);
    j_set(doc, "$schema", j_str(SARIF_SCHEMA));
    j_set(doc, "version", j_str("2.1.0"));
    j_set(driver, "name", j_str("assay"));
    if (j_string(j_get(tool, "version")) != NULL)
        j_set(driver, "version", j_str(j_string(j_get(tool, "version"))));
    j_set(driver, "rules", rules_array(ctx, index));
    j_set(t, "driver", driver);
    j_set(run, "tool", t);
    j_set(iv, "executionSuccessful", j_bool(1));
    j_set(iv, "endTimeUtc", j_str(ctx->timestamp));
    j_push(inv, iv);
    j_set(run, "invocations", inv);
    j_set(run, "artifacts", artifacts(ctx, buf_cstr(&uri)));
    for (i = 0; i < ctx->nitems; i++)
        if (ctx->items[i].cls != IC_PASS)
            j_push(results, result(ctx, buf_cstr(&uri), &ctx->items[i],
                                   index[i]));
    j_set(run, "results", results);
    j_set(run, "columnKind", j_str("unicodeCodePoints"));
    j_set(props, "verdict", j_str(ctx->verdict));
    j_set(props, "dataset", j_str(ctx->name));
    j_set(run, "properties", props);
    j_push(runs, run);
    j_set(doc, "runs", runs);
    s = j_dump(doc, J_PRETTY);
    buf_adds(out, s);
    buf_addc(out, '\n');
    free(s);
    free(index);
    free(path);
    buf_release(&uri);
    j_free(doc);
    return 0;
}
