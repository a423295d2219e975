/* test_compliance.c -- unit tests for the compliance report
 * (reports/compliance*.c): every fixture of tests/data/compliance/ in
 * every format (sections, values, escaping of hostile strings), the
 * verdict and gaps, the graph layout, sizes at scale (200 columns, 50
 * failing checks), determinism, bad input and write errors.
 *
 * It is also a test-only driver, so the report can be rendered from an
 * evidence file without a lineage database:
 *     test_compliance render FORMAT EVIDENCE.json > OUT
 * (bench/report_scale.sh and scripts/screenshots.sh fall back to it). */
#include "testutil.h"
#include <unistd.h>
#include "json.h"
#include "util.h"
#include "reports/report.h"
#include "reports/compliance_int.h"

#define FIX TEST_DATA "/compliance/"

/* ---- helpers ---- */

static struct json_t *load(const char *name)
{
    return load_json(FIX, name);
}

/* Render doc in fmt; returns a new string, caller frees. */
static char *render_doc(const char *fmt, const struct json_t *doc,
                        size_t *len)
{
    struct compliance_opts o = COMPLIANCE_OPTS_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    char *s = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&s, &n);

    o.tool_version = "9.9.9-test";
    assert_non_null(fp);
    if (report_compliance(doc, fmt, &o, fp, &err) < 0)
        print_error("%s\n", err.msg);
    assert_int_equal(err.status, ASSAY_OK);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(s);
    if (len != NULL)
        *len = n;
    return s;
}

static char *render(const char *fmt, const char *fixture)
{
    struct json_t *doc = load(fixture);
    char *s = render_doc(fmt, doc, NULL);

    j_free(doc);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);

    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += k;
    }
    return n;
}

#define assert_has(s, sub) do {                                           \
        if (strstr((s), (sub)) == NULL) {                                   \
            print_error("missing: %s\n", (sub));                            \
            fail();                                                         \
        }                                                                   \
    } while (0)
#define assert_lacks(s, sub) do {                                         \
        if (strstr((s), (sub)) != NULL) {                                   \
            print_error("unexpected: %s\n", (sub));                         \
            fail();                                                         \
        }                                                                   \
    } while (0)

/* No byte of s is a C0 control other than TAB and LF, nor invalid
 * UTF-8 (checked loosely: no 0xFE/0xFF/0xC0/0xC1 bytes). */
static void assert_clean_bytes(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    for (; *p != '\0'; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F ||
            *p == 0xFE || *p == 0xFF || *p == 0xC0 || *p == 0xC1) {
            print_error("bad byte 0x%02x at %td\n", *p,
                        (const char *)p - s);
            fail();
        }
    }
}

/* No event handler attribute: " on" + letters + "=". */
static void assert_no_handlers(const char *s)
{
    const char *p = s;

    while ((p = strstr(p, " on")) != NULL) {
        const char *q = p + 3;

        while (*q >= 'a' && *q <= 'z')
            q++;
        if (q > p + 3 && *q == '=') {
            print_error("handler at %td: %.40s\n", p - s, p);
            fail();
        }
        p += 3;
    }
}

/* Markdown: every '<' is escaped, except the <br> the writer puts in
 * table cells. */
static void assert_md_no_raw_lt(const char *s)
{
    const char *p = s;

    while ((p = strchr(p, '<')) != NULL) {
        if (!(p > s && p[-1] == '\\') && strncmp(p, "<br>", 4) != 0) {
            print_error("raw '<' at %td: %.40s\n", p - s, p);
            fail();
        }
        p++;
    }
}

/* ---- HTML ---- */

static void test_html_pass(void **state)
{
    char *s = render("html", "pass.json");
    size_t i;

    (void)state;
    assert_has(s, "<!DOCTYPE html>\n<html lang=\"en\">");
    assert_has(s, "<meta http-equiv=\"Content-Security-Policy\" content=\""
               "default-src 'none'; style-src 'unsafe-inline'; "
               "img-src data:\">");
    assert_has(s, "<title>Compliance report: churn_clean (PASS)</title>");
    assert_has(s, "@media print { section { break-inside: avoid } }");
    for (i = 0; i < ncsections; i++) {
        char *id = xasprintf("<section id=\"%s\"", csections[i].id);

        assert_has(s, id);
        free(id);
    }
    assert_has(s, "Verdict: <span class=\"badge c-pass\">PASS</span>");
    assert_has(s, "2026-01-15T09:30:00Z");
    assert_has(s, "assay 9.9.9-test");
    assert_has(s, "Datasheets for Datasets");
    assert_has(s, "10(2)(f)");
    /* identification values and the evidence index */
    assert_has(s, "churn_clean");
    assert_has(s, "/data/churn/clean.csv");
    assert_has(s, "file sha256");
    assert_has(s, "row digest");
    assert_has(s, "schema hash");
    assert_has(s, "rules sha256");
    assert_has(s, "ledger head");
    /* a histogram and a bias interval chart, titled with numbers */
    assert_has(s, "<title>Histogram of age from ");
    assert_has(s, "<title>DPL = ");
    assert_has(s, "95% interval");
    /* sign-off fields */
    assert_has(s, "<th scope=\"row\">Approver</th><td class=\"fill\">");
    /* nothing active, nothing external */
    assert_lacks(s, "<script");
    assert_lacks(s, "http://");
    assert_lacks(s, "https://");
    assert_no_handlers(s);
    assert_clean_bytes(s);
    free(s);
}

static void test_html_fail_escapes(void **state)
{
    char *s = render("html", "fail.json");

    (void)state;
    assert_has(s, "<title>Compliance report: churn_train (FAIL)</title>");
    assert_has(s, "Verdict: <span class=\"badge c-fail\">FAIL</span>");
    /* hostile column name, dataset name, check id, sample */
    assert_has(s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
               "&amp; &#39;income&#39;");
    assert_has(s, "churn &lt;train&gt; &amp; &quot;co&quot;");
    assert_has(s, "customer_id.type&lt;b&gt;");
    assert_has(s, "&lt;img src=x onerror=alert(1)&gt;\\x01\\x1b[31m"
               "&quot;q&quot;\\n");
    assert_lacks(s, "<script");
    assert_lacks(s, "<img");
    assert_lacks(s, "<b>");
    /* a long sample is cut with a marker */
    assert_lacks(s, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    assert_has(s, "xxx...");
    assert_clean_bytes(s);
    /* the failing bias limit: in section 5 and as a gap */
    assert_has(s, "DI = 0.699114 is below the limit 0.8");
    assert_has(s, "bias.gender=female.DI");
    assert_has(s, "&gt;= 0.8");
    /* samples with line numbers */
    assert_has(s, "<li>line 1394 (record 1387): <code>");
    /* the FT metric could not be computed: said, and a gap */
    assert_has(s, "not computed: FlipTest does not support");
    free(s);
}

static void test_html_run(void **state)
{
    char *s = render("html", "run.json");

    (void)state;
    assert_has(s, "(FAIL)</title>");
    assert_has(s, "Training runs (1)");
    assert_has(s, "churn-xgb-7");
    assert_has(s, "Snapshots in scope (4)");
    assert_has(s, "<span class=\"badge c-none\">UNCHECKED</span>");
    assert_has(s, "never checked: no quality, profile or bias evidence");
    assert_has(s, "overwritten in place");
    assert_has(s, "dedupe + fix types");
    /* the graph: 7 nodes, 6 edges with arrows, coloured by checks */
    assert_int_equal(count(s, "<g class=\"node k-"), 7);
    assert_int_equal(count(s, "marker-end=\"url(#arrow)\""), 6);
    assert_has(s, "<rect x=\"10.0\"");
    assert_has(s, "class=\"s-fail\"");
    assert_has(s, "class=\"s-unchecked\"");
    assert_has(s, "role=\"img\" aria-labelledby=\"pg-t pg-d\"");
    assert_has(s, "model.bin");
    assert_has(s, "<th scope=\"row\">prod</th>");
    /* per-snapshot subsections */
    assert_has(s, "<h3 id=\"quality-4\">3.4 churn_test");
    assert_has(s, "<h3 id=\"profile-3\">4.3 churn_valid");
    assert_clean_bytes(s);
    free(s);
}

/* ---- Markdown ---- */

static void test_markdown(void **state)
{
    char *s = render("markdown", "fail.json"), *r;
    size_t i;

    (void)state;
    assert_has(s, "# Training data compliance report: churn\\_train\n");
    assert_has(s, "**Verdict:** **FAIL**");
    for (i = 0; i < ncsections; i++) {
        char *h = xasprintf("\n## %zu %s\n", i + 1, csections[i].title);

        assert_has(s, h);
        free(h);
    }
    assert_has(s, "[3 Data quality](#3-data-quality)");
    assert_has(s, "\\<script\\>alert(\"x\")\\</script\\> \\& 'income'");
    assert_has(s, "customer\\_id.type\\<b\\>");
    assert_md_no_raw_lt(s);
    assert_has(s, "| Approver |  |  |  |");
    assert_has(s, "```mermaid\nflowchart LR\n");
    assert_has(s, "line 1394 (record 1387)");
    /* every table row keeps its cell count: no raw '|' or newline in
     * data (checked on the check table's header width) */
    assert_clean_bytes(s);
    free(s);
    r = render("markdown", "run.json");
    assert_has(r, "n0 -->|\"dedupe + fix types\"| n1");
    assert_has(r, "**UNCHECKED**");
    assert_has(r, "| Art. 10(4) |");
    free(r);
}

/* ---- JSON ---- */

static void test_json(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *s = render("json", "run.json");
    struct json_t *doc = j_loads(s, strlen(s), "report", &err);
    const struct json_t *g;
    size_t i, unchecked = 0, bias = 0, upstream = 0;

    (void)state;
    assert_non_null(doc);
    assert_string_equal(j_string(j_get(doc, "verdict")), "fail");
    assert_int_equal(j_integer(j_get(doc, "schema_version")), 1);
    assert_string_equal(j_string(j_get(j_get(doc, "tool"), "version")),
                        "9.9.9-test");
    assert_string_equal(j_string(j_get(doc, "generated")),
                        "2026-01-15T09:30:00Z");
    assert_string_equal(j_string(j_get(j_get(j_get(doc, "evidence"),
                                             "target"), "kind")), "run");
    assert_int_equal(j_len(j_get(j_get(doc, "mapping"), "sections")), 8);
    assert_int_equal(j_len(j_get(j_get(doc, "mapping"),
                                 "eu_ai_act_article_10")), ncclauses);
    assert_int_equal(j_integer(j_get(j_get(doc, "summary"), "snapshots")),
                     4);
    assert_int_equal(j_integer(j_get(j_get(doc, "summary"), "checked")), 2);
    assert_true(j_len(j_get(doc, "gaps")) > 10);
    for (i = 0; i < j_len(j_get(doc, "gaps")); i++) {
        g = j_at(j_get(doc, "gaps"), i);
        assert_true(j_is_null(j_get(g, "mitigation")));
        if (strcmp(j_string(j_get(g, "kind")), "unchecked") == 0)
            unchecked++;
        if (strcmp(j_string(j_get(g, "kind")), "overwrite") == 0)
            assert_string_equal(j_string(j_get(g, "snapshot")),
                                "3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d"
                                "3d3d3d3d3d3d3d3d3d3d3d3d");
        if (strcmp(j_string(j_get(g, "kind")), "bias") == 0)
            bias++;
        if (strcmp(j_string(j_get(g, "kind")), "upstream") == 0) {
            upstream++;
            assert_string_equal(j_string(j_get(g, "severity")), "info");
        }
    }
    assert_int_equal(unchecked, 1);     /* test; raw is upstream */
    assert_int_equal(upstream, 1);
    assert_int_equal(bias, 0);          /* run.json's limits pass */
    /* gaps come worst first */
    assert_string_equal(j_string(j_get(j_at(j_get(doc, "gaps"), 0),
                                       "severity")), "fail");
    j_free(doc);
    free(s);
}

/* ---- the model ---- */

static void test_verdicts(void **state)
{
    struct json_t *p = load("pass.json"), *f = load("fail.json");
    struct json_t *r = load("run.json"), *e = j_obj(), *t = j_obj(), *u;

    (void)state;
    assert_string_equal(compliance_verdict(p), "pass");
    assert_string_equal(compliance_verdict(f), "fail");
    assert_string_equal(compliance_verdict(r), "fail");
    /* nothing in scope is not a pass */
    j_set(t, "kind", j_str("snapshot"));
    j_set(e, "target", t);
    assert_string_equal(compliance_verdict(e), "warn");
    /* a failing upstream snapshot is context, not the verdict ... */
    u = j_copy(p);
    j_push(j_get(u, "snapshots"), j_copy(j_at(j_get(f, "snapshots"), 0)));
    assert_string_equal(compliance_verdict(u), "pass");
    /* ... unless it is the target */
    j_set(j_get(u, "target"), "id", j_str(j_string(j_get(j_at(j_get(f,
          "snapshots"), 0), "sha256"))));
    assert_string_equal(compliance_verdict(u), "fail");
    j_free(u);
    /* an overwrite alone warns */
    j_set(j_at(j_get(p, "snapshots"), 0), "overwrite", j_bool(1));
    assert_string_equal(compliance_verdict(p), "warn");
    j_free(p);
    j_free(f);
    j_free(r);
    j_free(e);
}

static void test_fail_gaps(void **state)
{
    struct json_t *f = load("fail.json");
    struct cmodel m;
    struct assay_err err = ASSAY_ERR_INIT;
    size_t i, di = 0, ft = 0;

    (void)state;
    assert_int_equal(cmodel_init(&m, f, NULL, &err), 0);
    assert_string_equal(m.tool_version, "unknown");
    assert_int_equal(m.nsnaps, 1);
    assert_true(m.gap_count[GAP_FAIL] > 5);
    for (i = 0; i < m.ngaps; i++) {
        if (strstr(m.gaps[i].subject, ".DI") != NULL) {
            di++;
            assert_int_equal(m.gaps[i].sev, GAP_FAIL);
            assert_string_equal(m.gaps[i].kind, "bias");
        }
        if (strncmp(m.gaps[i].subject, "FT", 2) == 0) {
            ft++;
            assert_int_equal(m.gaps[i].sev, GAP_INFO);
        }
        if (i > 0)
            assert_true(m.gaps[i - 1].sev <= m.gaps[i].sev);
    }
    assert_int_equal(di, 1);
    assert_int_equal(ft, 1);
    cmodel_release(&m);
    j_free(f);
}

static void test_layout(void **state)
{
    struct json_t *r = load("run.json"), *g, *cyc, *n, *e;
    struct glayout l;
    size_t i;

    (void)state;
    g_layout(&l, j_get(r, "graph"));
    assert_int_equal(l.n, 7);
    assert_int_equal(l.nedges, 6);
    /* raw -> train -> run <- valid, test; run -> model -> env */
    assert_int_equal(l.nodes[0].rank, 0);       /* raw */
    assert_int_equal(l.nodes[1].rank, 1);       /* train */
    assert_int_equal(l.nodes[2].rank, 0);       /* valid */
    assert_int_equal(l.nodes[3].rank, 0);       /* test */
    assert_int_equal(l.nodes[4].rank, 2);       /* run */
    assert_int_equal(l.nodes[5].rank, 3);       /* model */
    assert_int_equal(l.nodes[6].rank, 4);       /* env */
    for (i = 0; i < l.n; i++) {
        assert_true(l.nodes[i].x + GNODE_W <= l.width);
        assert_true(l.nodes[i].y + GNODE_H <= l.height + 0.01);
    }
    g_release(&l);
    /* a cycle ends; an edge to an unknown node is dropped */
    cyc = j_obj();
    n = j_arr();
    e = j_arr();
    for (i = 0; i < 3; i++) {
        struct json_t *o = j_obj();
        char id[8];

        snprintf(id, sizeof id, "n%zu", i);
        j_set(o, "id", j_str(id));
        j_push(n, o);
    }
    g = j_obj();
    j_set(g, "from", j_str("n0"));
    j_set(g, "to", j_str("n1"));
    j_push(e, g);
    g = j_obj();
    j_set(g, "from", j_str("n1"));
    j_set(g, "to", j_str("n0"));
    j_push(e, g);
    g = j_obj();
    j_set(g, "from", j_str("n1"));
    j_set(g, "to", j_str("nowhere"));
    j_push(e, g);
    j_set(cyc, "nodes", n);
    j_set(cyc, "edges", e);
    g_layout(&l, cyc);
    assert_int_equal(l.nedges, 2);
    assert_true(l.width > 0);
    g_release(&l);
    j_free(cyc);
    j_free(r);
}

/* ---- scale: 200 columns, 50 failing checks with long samples ---- */

static struct json_t *big_evidence(size_t ncols, size_t nfail)
{
    struct json_t *ev = j_obj(), *t = j_obj(), *snaps = j_arr();
    struct json_t *s = j_obj(), *chk = j_obj(), *res = j_arr();
    struct json_t *cols = j_arr(), *prof = j_obj();
    char name[64], *longv = xmalloc(5001);
    size_t i, k;

    memset(longv, 'v', 5000);
    longv[5000] = '\0';
    j_set(t, "kind", j_str("snapshot"));
    j_set(t, "ref", j_str("big.csv"));
    j_set(t, "id", j_str("ab12"));
    j_set(ev, "target", t);
    j_set(ev, "generated", j_str("2026-01-01T00:00:00Z"));
    for (i = 0; i < ncols; i++) {
        struct json_t *c = j_obj(), *h = j_obj(), *ed = j_arr();
        struct json_t *cn = j_arr(), *top = j_arr(), *q = j_obj();

        snprintf(name, sizeof name, "column_%03zu_with_a_longish_name", i);
        j_set(c, "name", j_str(name));
        j_set(c, "type", j_str("number"));
        j_set(c, "count", j_int(1000000));
        j_set(c, "nulls", j_int((long long)i));
        j_set(c, "distinct", j_int(12345));
        j_set(c, "min", j_num(-1.5));
        j_set(c, "max", j_num(1234.25));
        j_set(c, "mean", j_num(17.123456789));
        j_set(c, "stddev", j_num(3.3333333));
        j_set(q, "p5", j_num(1));
        j_set(q, "p50", j_num(2));
        j_set(q, "p95", j_num(3));
        j_set(c, "quantiles", q);
        for (k = 0; k <= 64; k++)
            j_push(ed, j_num((double)k));
        for (k = 0; k < 64; k++)
            j_push(cn, j_int((long long)(k * 37 % 101)));
        j_set(h, "edges", ed);
        j_set(h, "counts", cn);
        j_set(c, "histogram", h);
        for (k = 0; k < 10; k++) {
            struct json_t *tv = j_obj();

            j_set(tv, "value", j_str(longv));
            j_set(tv, "count", j_int(10));
            j_push(top, tv);
        }
        j_set(c, "top", top);
        j_push(cols, c);
    }
    for (i = 0; i < ncols * 3; i++) {
        struct json_t *r = j_obj(), *ss = j_arr(), *lim = j_obj();
        int failing = i < nfail;

        snprintf(name, sizeof name, "column_%03zu.check%zu", i % ncols, i);
        j_set(r, "id", j_str(name));
        j_set(r, "kind", j_str("range"));
        j_set(r, "column", j_str(name));
        j_set(r, "severity", j_str("fail"));
        j_set(r, "status", j_str(failing ? "fail" : "pass"));
        j_set(r, "failures", j_int(failing ? 1000 : 0));
        j_set(r, "checked", j_int(1000000));
        j_set(r, "observed", j_num(0.001));
        j_set(lim, "min", j_int(0));
        j_set(r, "limit", lim);
        j_set(r, "message", j_str(longv));
        for (k = 0; failing && k < 100; k++) {
            struct json_t *sm = j_obj();

            j_set(sm, "line", j_int((long long)k + 2));
            j_set(sm, "record", j_int((long long)k + 1));
            j_set(sm, "value", j_str(longv));
            j_push(ss, sm);
        }
        j_set(r, "samples", ss);
        j_push(res, r);
    }
    j_set(prof, "columns", cols);
    j_set(chk, "verdict", j_str("fail"));
    j_set(chk, "results", res);
    j_set(chk, "profile", prof);
    j_set(s, "sha256", j_str("ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab"
                             "12ab12ab12ab12ab12"));
    j_set(s, "dataset", j_str("big"));
    j_set(s, "check", chk);
    j_push(snaps, s);
    j_set(ev, "snapshots", snaps);
    free(longv);
    return ev;
}

static void test_scale(void **state)
{
    struct json_t *ev = big_evidence(200, 50);
    size_t n;
    char *s;

    (void)state;
    s = render_doc("html", ev, &n);
    assert_true(n < 5u * 1024 * 1024);
    /* samples and values capped */
    assert_int_equal(count(s, "<li>line "), 50 * CR_SAMPLES);
    assert_int_equal(count(s, "95 more samples"), 50);
    assert_int_equal(count(s, "<title>Histogram of column_"), 200);
    assert_lacks(s, "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
                 "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
                 "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
                 "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv");
    free(s);
    s = render_doc("markdown", ev, &n);
    assert_true(n < 5u * 1024 * 1024);
    free(s);
    j_free(ev);
}

/* ---- hostile bytes, determinism, errors ---- */

static void test_invalid_utf8(void **state)
{
    struct json_t *f = load("fail.json");
    struct json_t *cols = j_get(j_get(j_get(j_at(j_get(f, "snapshots"), 0),
                                            "check"), "profile"), "columns");
    char *s;

    (void)state;
    /* j_strn replaces invalid bytes; the escapers would too */
    j_set(j_at(cols, 0), "name", j_strn("bad\xff\xfe<x>\x01", 9));
    s = render_doc("html", f, NULL);
    assert_has(s, "bad\xEF\xBF\xBD\xEF\xBF\xBD&lt;x&gt;");
    assert_clean_bytes(s);
    free(s);
    s = render_doc("markdown", f, NULL);
    assert_clean_bytes(s);
    free(s);
    j_free(f);
}

static void test_deterministic(void **state)
{
    struct json_t *r = load("run.json");
    char *a, *b;

    (void)state;
    a = render_doc("html", r, NULL);
    b = render_doc("html", r, NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* no "generated": SOURCE_DATE_EPOCH */
    j_set(r, "generated", j_null());
    setenv("SOURCE_DATE_EPOCH", "0", 1);
    a = render_doc("markdown", r, NULL);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_has(a, "| Generated | 1970-01-01T00:00:00Z |");
    free(a);
    j_free(r);
}

static void test_errors(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *p = load("pass.json"), *bad = j_arr();
    FILE *fp = fopen("/dev/null", "w"), *full;

    (void)state;
    assert_non_null(fp);
    assert_int_equal(report_compliance(p, "pdf", NULL, fp, &err), -1);
    assert_int_equal(err.status, ASSAY_EUSAGE);
    assert_has(err.msg, "unknown report format 'pdf'");
    err = (struct assay_err)ASSAY_ERR_INIT;
    assert_int_equal(report_compliance(bad, "html", NULL, fp, &err), -1);
    assert_int_equal(err.status, ASSAY_EINPUT);
    fclose(fp);
    full = fopen("/dev/full", "w");
    if (full != NULL) {
        err = (struct assay_err)ASSAY_ERR_INIT;
        assert_int_equal(report_compliance(p, "json", NULL, full, &err),
                         -1);
        assert_int_equal(err.status, ASSAY_EIO);
        fclose(full);
    }
    assert_true(compliance_known("html"));
    assert_true(compliance_known("markdown"));
    assert_true(compliance_known("json"));
    assert_false(compliance_known("text"));
    assert_string_equal(compliance_format_for("r.html"), "html");
    assert_string_equal(compliance_format_for("r.htm"), "html");
    assert_string_equal(compliance_format_for("dir/r.md"), "markdown");
    assert_string_equal(compliance_format_for("r.json"), "json");
    assert_null(compliance_format_for("r.pdf"));
    assert_null(compliance_format_for(".md"));
    j_free(p);
    j_free(bad);
}

/* ---- the driver ---- */

static int driver(int argc, char **argv)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct compliance_opts o = COMPLIANCE_OPTS_INIT;
    struct json_t *doc;
    int rc;

    if (argc != 4) {
        fprintf(stderr, "usage: test_compliance render FORMAT FILE\n");
        return 2;
    }
    doc = j_load_file(argv[3], &err);
    if (doc == NULL) {
        fprintf(stderr, "%s\n", err.msg);
        return 3;
    }
    o.tool_version = getenv("ASSAY_TOOL_VERSION");
    rc = report_compliance(doc, argv[2], &o, stdout, &err);
    if (rc < 0)
        fprintf(stderr, "%s\n", err.msg);
    j_free(doc);
    return rc < 0 ? assay_exit_code(err.status) : 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_pass),
        cmocka_unit_test(test_html_fail_escapes),
        cmocka_unit_test(test_html_run),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_fail_gaps),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_errors),
    };

    if (argc > 1 && strcmp(argv[1], "render") == 0)
        return driver(argc, argv);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
