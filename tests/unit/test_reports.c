/* test_reports.c -- unit tests for reports/: escaping per output syntax
 * (tables of cases), each writer on the fixtures in tests/data/reports/
 * (made by tests/tools/gen-report-fixtures.py), bias-only and minimal
 * documents, scale limits, the GitHub step summary, write errors.
 *
 * It is also the test-only driver the CLI tests use to validate the
 * writers with the real tools, since `assay check` is not ours to
 * extend with hidden commands:
 *     test_reports render FORMAT DOC.json > OUT
 * renders DOC.json with report_write() (SOURCE_DATE_EPOCH fixes the
 * time; GITHUB_STEP_SUMMARY is passed on as cmd_check would).
 * tests/cli/07*-reports-*.t run it and then xmllint, jsonschema and
 * cmark-gfm on the output. */
#include "testutil.h"
#include <sys/stat.h>
#include <unistd.h>
#include "json.h"
#include "util.h"
#include "reports/report.h"
#include "reports/report_int.h"

#define FIX TEST_DATA "/reports/"

/* ---- helpers ---- */

static struct json_t *load(const char *name)
{
    return load_json(FIX, name);
}

/* Render doc in fmt; returns a new string, caller frees. */
static char *render_doc(const char *fmt, const struct json_t *doc,
                        const struct report_opts *o, size_t *len)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *s = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&s, &n);

    assert_non_null(fp);
    if (report_write(fmt, doc, fp, o, &err) < 0)
        print_error("%s\n", err.msg);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(s);
    if (len != NULL)
        *len = n;
    return s;
}

static char *render(const char *fmt, const char *fixture)
{
    struct report_opts o = REPORT_OPTS_INIT;
    struct json_t *doc = load(fixture);
    char *s;

    o.timestamp = "2026-11-22T07:15:35Z";
    s = render_doc(fmt, doc, &o, NULL);
    j_free(doc);
    return s;
}

#define assert_has(hay, needle) do {                                       \
        if (strstr((hay), (needle)) == NULL) {                              \
            print_error("missing: %s\n", (needle));                         \
            fail();                                                         \
        }                                                                   \
    } while (0)
#define assert_lacks(hay, needle) do {                                     \
        if (strstr((hay), (needle)) != NULL) {                              \
            print_error("unexpected: %s\n", (needle));                      \
            fail();                                                         \
        }                                                                   \
    } while (0)

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* Make doc's first result fail (returns doc). */
static struct json_t *load_failing_into(struct json_t *doc)
{
    j_set(j_at(j_get(doc, "results"), 0), "status", j_str("fail"));
    return doc;
}

/* ---- escaping: tables of cases ---- */

struct esc_case {
    const char *in;
    size_t max;
    const char *want;
};

static void run_cases(void (*fn)(struct buf *, const char *, size_t),
                      const struct esc_case *c, size_t n)
{
    struct buf b = BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++) {
        buf_reset(&b);
        fn(&b, c[i].in, c[i].max);
        if (strcmp(buf_cstr(&b), c[i].want) != 0) {
            print_error("case %zu: '%s' gave '%s', want '%s'\n", i, c[i].in,
                        buf_cstr(&b), c[i].want);
            fail();
        }
    }
    buf_release(&b);
}

static void xml_text(struct buf *b, const char *s, size_t max)
{
    esc_xml(b, s, max, 0);
}

static void xml_attr(struct buf *b, const char *s, size_t max)
{
    esc_xml(b, s, max, 1);
}

static void test_esc_xml(void **state)
{
    static const struct esc_case text[] = {
        { "plain", ESC_ALL, "plain" },
        { "a<b>&c", ESC_ALL, "a&lt;b&gt;&amp;c" },
        { "\"q\" 'a'", ESC_ALL, "\"q\" 'a'" },
        { "]]>", ESC_ALL, "]]&gt;" },
        { "l1\nl2\tx", ESC_ALL, "l1\nl2\tx" },
        { "cr\r", ESC_ALL, "cr&#13;" },
        { "\x01\x08\x0b\x0c\x1f", ESC_ALL,
          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
        { "\xEF\xBF\xBE|\xEF\xBF\xBF", ESC_ALL,
          "\xEF\xBF\xBD|\xEF\xBF\xBD" },                /* U+FFFE U+FFFF */
        { "bad\xff\xc3(", ESC_ALL, "bad\xEF\xBF\xBD\xEF\xBF\xBD(" },
        { "\xC3\xA9t\xC3\xA9", ESC_ALL, "\xC3\xA9t\xC3\xA9" },
        { "\xF0\x9F\x98\x80", ESC_ALL, "\xF0\x9F\x98\x80" },
        { "\x7f\xC2\x85", ESC_ALL, "\x7f\xC2\x85" },   /* legal in 1.0 */
        { "abcdef", 3, "abc..." },
        { "\xC3\xA9\xC3\xA9", 3, "\xC3\xA9..." },      /* whole chars */
        { "", ESC_ALL, "" },
    };
    static const struct esc_case attr[] = {
        { "a\"b", ESC_ALL, "a&#34;b" },
        { "it's", ESC_ALL, "it&#39;s" },
        { "t\tn\nr\r", ESC_ALL, "t&#9;n&#10;r&#13;" },
        { "<&>", ESC_ALL, "&lt;&amp;&gt;" },
        { "\x1b[31m", ESC_ALL, "\xEF\xBF\xBD[31m" },
    };

    (void)state;
    run_cases(xml_text, text, ARRAY_SIZE(text));
    run_cases(xml_attr, attr, ARRAY_SIZE(attr));
}

static void test_esc_html(void **state)
{
    static const struct esc_case c[] = {
        { "<script>alert(1)</script>", ESC_ALL,
          "&lt;script&gt;alert(1)&lt;/script&gt;" },
        { "a&b \"c\" 'd'", ESC_ALL, "a&amp;b &quot;c&quot; &#39;d&#39;" },
        { "&amp;", ESC_ALL, "&amp;amp;" },
        { "x\ny\tz", ESC_ALL, "x\ny\tz" },
        { "\x01\r\x7f\xC2\x85", ESC_ALL,
          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
        { "\xEF\xB7\x90", ESC_ALL, "\xEF\xBF\xBD" },   /* U+FDD0 */
        { "\xC3\xA9", ESC_ALL, "\xC3\xA9" },
        { "<<<<", 2, "&lt;&lt;..." },
    };

    (void)state;
    run_cases(esc_html, c, ARRAY_SIZE(c));
}

static void test_esc_github(void **state)
{
    /* actions/toolkit command.ts: escapeData / escapeProperty */
    static const struct esc_case data[] = {
        { "100%", ESC_ALL, "100%25" },
        { "a\r\nb", ESC_ALL, "a%0D%0Ab" },
        { "::error::x", ESC_ALL, "::error::x" },
        { "a:b,c", ESC_ALL, "a:b,c" },
        { "%0A", ESC_ALL, "%250A" },
        { "", ESC_ALL, "" },
    };
    static const struct esc_case prop[] = {
        { "a:b,c", ESC_ALL, "a%3Ab%2Cc" },
        { "data/we,ird:na%me.csv", ESC_ALL, "data/we%2Cird%3Ana%25me.csv" },
        { "t\r\n", ESC_ALL, "t%0D%0A" },
        { "::", ESC_ALL, "%3A%3A" },
    };

    (void)state;
    run_cases(esc_gh_data, data, ARRAY_SIZE(data));
    run_cases(esc_gh_prop, prop, ARRAY_SIZE(prop));
}

static void test_esc_md(void **state)
{
    static const struct esc_case c[] = {
        { "plain text 42", ESC_ALL, "plain text 42" },
        { "a|b", ESC_ALL, "a\\|b" },
        { "*em* _u_ `c`", ESC_ALL, "\\*em\\* \\_u\\_ \\`c\\`" },
        { "<b>&amp;", ESC_ALL, "\\<b\\>\\&amp;" },
        { "[l](javascript:x)", ESC_ALL, "\\[l\\](javascript:x)" },
        { "# h", ESC_ALL, "\\# h" },
        { "1. x, a/b (c) 50% {d}", ESC_ALL, "1. x, a/b (c) 50% {d}" },
        { "$x$ @me ~s~ !i", ESC_ALL, "\\$x\\$ \\@me \\~s\\~ \\!i" },
        { "l1\nl2\r", ESC_ALL, "l1\\\\nl2\\\\r" },
        { "back\\slash", ESC_ALL, "back\\\\\\\\slash" },
        { "\x1b", ESC_ALL, "\\\\x1b" },
        { "\xC3\xA9", ESC_ALL, "\xC3\xA9" },
        { "\xEF\xBF\xBE\xEF\xB7\x90", ESC_ALL,
          "\xEF\xBF\xBD\xEF\xBF\xBD" },          /* noncharacters */
        { "abc|", 3, "abc..." },
    };

    (void)state;
    run_cases(esc_md, c, ARRAY_SIZE(c));
}

static void test_esc_display(void **state)
{
    static const struct esc_case c[] = {
        { "ok", ESC_ALL, "ok" },
        { "a\nb\rc\td", ESC_ALL, "a\\nb\\rc\\td" },
        { "\x1b[31mred", ESC_ALL, "\\x1b[31mred" },
        { "\x7f", ESC_ALL, "\\x7f" },
        { "\xC2\x85", ESC_ALL, "\\x85" },
        { "\\n", ESC_ALL, "\\\\n" },
        { "\xff", ESC_ALL, "\xEF\xBF\xBD" },
        { "<&>", ESC_ALL, "<&>" },
        { "0123456789", 4, "0123..." },
    };

    (void)state;
    run_cases(esc_display, c, ARRAY_SIZE(c));
}

static void test_esc_uri(void **state)
{
    static const struct {
        const char *in, *want;
    } c[] = {
        { "data/train.csv", "data/train.csv" },
        { "a b,c:d%e", "a%20b%2Cc%3Ad%25e" },
        { "<x>#?", "%3Cx%3E%23%3F" },
        { "\xC3\xA9", "%C3%A9" },
    };
    struct buf b = BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(c); i++) {
        buf_reset(&b);
        esc_uri_path(&b, c[i].in);
        assert_string_equal(buf_cstr(&b), c[i].want);
    }
    buf_release(&b);
}

static void test_relative_path(void **state)
{
    static const struct {
        const char *in;
        int keep_abs;
        const char *want;
    } c[] = {
        { "data/x.csv", 0, "data/x.csv" },
        { "./data/x.csv", 0, "data/x.csv" },
        { "/abs/x.csv", 0, "abs/x.csv" },
        { "/abs/x.csv", 1, "/abs/x.csv" },
        { "././x", 1, "x" },
        { "/", 0, "dataset" },
    };
    char cwd[4096], *p;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(c); i++) {
        p = relative_path(c[i].in, c[i].keep_abs);
        assert_string_equal(p, c[i].want);
        free(p);
    }
    assert_non_null(getcwd(cwd, sizeof cwd));
    p = xasprintf("%s/sub/x.csv", cwd);
    {
        char *r = relative_path(p, 1);

        assert_string_equal(r, "sub/x.csv");
        free(r);
    }
    free(p);
}

/* ---- plain-text formatting of document values ---- */

static void test_fmt(void **state)
{
    static const struct {
        void (*fn)(struct buf *, const struct json_t *);
        const char *json, *want;
    } c[] = {
        { fmt_limit, "{\"min\": 18, \"max\": 120}", ">= 18, <= 120" },
        { fmt_limit, "{\"max_abs\": 0.2}", "|v| <= 0.2" },
        { fmt_limit, "{\"min_exclusive\": 0}", "> 0" },
        { fmt_limit, "{\"min\": 1, \"mostly\": 0.9}", ">= 1, mostly 0.9" },
        { fmt_limit, "{\"type\": \"date\", \"max_failures\": 0}",
          "type date, max_failures 0" },
        { fmt_limit, "[\"a\", \"b\"]", "[a, b]" },
        { fmt_limit, "0.001", "0.001" },
        { fmt_value, "1e300", "1e+300" },
        { fmt_value, "-3", "-3" },
        { fmt_value, "0.1", "0.1" },
        { fmt_value, "null", "null" },
        { fmt_value, "true", "true" },
        { fmt_value, "\"Infinity\"", "Infinity" },
        { fmt_metric, "{\"value\": 0.5, \"ci95\": [0.4, 0.6]}",
          "0.5 [0.4, 0.6]" },
        { fmt_metric, "{\"value\": null, \"error\": \"no group\"}",
          "error: no group" },
        { fmt_facet, "{\"column\": \"sex\", \"values\": [\"F\", \"X\"]}",
          "sex = F | X" },
        { fmt_facet, "{\"column\": \"age\", \"threshold\": 40}",
          "age > 40" },
        { fmt_facet, "{\"columns\": [\"sex\", \"race\"], "
          "\"values\": [\"F,B\"]}", "sex,race = F,B" },
    };
    struct assay_err err = ASSAY_ERR_INIT;
    struct buf b = BUF_INIT;
    struct json_t *v;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(c); i++) {
        v = j_loads(c[i].json, strlen(c[i].json), "case", &err);
        assert_non_null(v);
        buf_reset(&b);
        c[i].fn(&b, v);
        if (strcmp(buf_cstr(&b), c[i].want) != 0) {
            print_error("case %zu: %s gave '%s', want '%s'\n", i,
                        c[i].json, buf_cstr(&b), c[i].want);
            fail();
        }
        j_free(v);
    }
    buf_release(&b);
}

/* ---- the table ---- */

static void test_table(void **state)
{
    static const char *const names[] = {
        "text", "json", "junit", "sarif", "github", "markdown",
        "codequality", "html",
    };
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc = load("minimal.json");
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(names); i++) {
        assert_true(report_known(names[i]));
        assert_non_null(report_extension(names[i]));
        assert_has(report_format_list(), names[i]);
    }
    assert_false(report_known("xml"));
    assert_false(report_known(NULL));
    assert_null(report_extension("pdf"));
    assert_string_equal(report_extension("junit"), ".xml");
    assert_int_equal(report_write("pdf", doc, stdout, NULL, &err), -1);
    assert_int_equal(err.status, ASSAY_EUSAGE);
    assert_has(err.msg, "unknown format 'pdf'");
    j_free(doc);
}

/* ---- the model ---- */

static void test_model(void **state)
{
    struct json_t *doc = load("fail.json");
    struct report_ctx ctx;
    size_t *ord;

    (void)state;
    ctx_init(&ctx, doc, NULL);
    assert_int_equal(ctx.nitems, 10);
    assert_int_equal(ctx.count[IC_FAIL], 5);
    assert_int_equal(ctx.count[IC_WARN], 1);
    assert_int_equal(ctx.count[IC_INFO], 1);
    assert_int_equal(ctx.count[IC_ERROR], 1);
    assert_int_equal(ctx.count[IC_PASS], 2);
    assert_string_equal(ctx.verdict, "fail");
    assert_string_equal(ctx.data_path, "data/train.csv");
    assert_string_equal(ctx.name, "churn_train");
    ord = ctx_order(&ctx);
    assert_string_equal(ctx.items[ord[0]].id, "notes.length");
    assert_int_equal(ctx.items[ord[0]].cls, IC_ERROR);
    assert_int_equal(ctx.items[ord[9]].cls, IC_PASS);
    free(ord);
    ctx_release(&ctx);
    j_free(doc);

    doc = load("bias.json");
    ctx_init(&ctx, doc, NULL);
    assert_int_equal(ctx.nitems, 5);
    assert_string_equal(ctx.items[0].id, "bias.sex=Female.CI");
    assert_string_equal(ctx.items[0].rule, "bias.CI");
    assert_string_equal(ctx.items[0].column, "sex");
    assert_int_equal(ctx.items[1].cls, IC_WARN);
    assert_string_equal(ctx.items[4].id, "bias.age>40.CI");
    ctx_release(&ctx);
    j_free(doc);

    /* No verdict: computed from the items. */
    doc = j_obj();
    ctx_init(&ctx, doc, NULL);
    assert_string_equal(ctx.verdict, "pass");
    assert_string_equal(ctx.data_path, "dataset");
    ctx_release(&ctx);
    j_free(doc);
}

static void test_fingerprint_stable(void **state)
{
    struct json_t *a = load("fail.json"), *b = load("fail.json");
    struct json_t *r = j_at(j_get(b, "results"), 4);
    struct report_ctx ca, cb;
    char fa[65], fb[65], fc[65];

    (void)state;
    /* Other observed values, failures and samples: same fingerprint. */
    j_set(r, "observed", j_int(999));
    j_set(r, "failures", j_int(77));
    j_set(r, "samples", j_arr());
    ctx_init(&ca, a, NULL);
    ctx_init(&cb, b, NULL);
    item_fingerprint(&ca, &ca.items[4], fa);
    item_fingerprint(&cb, &cb.items[4], fb);
    assert_string_equal(fa, fb);
    item_fingerprint(&ca, &ca.items[3], fc);
    assert_string_not_equal(fa, fc);
    assert_int_equal(strlen(fa), 64);
    ctx_release(&ca);
    ctx_release(&cb);
    j_free(a);
    j_free(b);
}

/* ---- each writer on the fixtures ---- */

static void test_text(void **state)
{
    char *s = render("text", "fail.json");
    struct report_opts o = REPORT_OPTS_INIT;
    struct json_t *doc;

    (void)state;
    assert_true(strncmp(s, "assay: FAIL  churn_train (data/train.csv)",
                        41) == 0);
    assert_has(s, "ERROR  notes.length (length, column notes): could not be "
               "evaluated\n       column 'notes' is missing\n");
    assert_has(s, "FAIL   age.range (range, column age): 12 of 999 failed\n"
               "       12 values out of range [18, 120]\n"
               "       observed: min -3, max 212\n"
               "       limit: >= 18, <= 120\n");
    assert_has(s, "line 1042 (record 1040): \"212\"");
    assert_has(s, "line 1200 (record 1198): \"150\"");
    assert_lacks(s, "\"999\"");             /* only 3 samples */
    assert_has(s, "(2 more samples)");
    assert_has(s, "WARN   age.not_null");
    assert_has(s, "INFO   zip.pattern");
    assert_has(s, "  ok  row_count       0 of 1 failed\n"
               "  ok  gender.allowed  0 of 1000 failed\n");
    assert_has(s, "FAIL: 5 failed, 1 error, 1 warning, 1 info, 2 passed");
    /* the error comes before the failures */
    assert_true(strstr(s, "notes.length") < strstr(s, "age.range"));
    assert_lacks(s, "\033[");
    free(s);

    doc = load("fail.json");
    o.color = 1;
    s = render_doc("text", doc, &o, NULL);
    assert_has(s, "\033[1;31mFAIL\033[0m");
    free(s);
    j_free(doc);

    s = render("text", "hostile.json");
    assert_lacks(s, "\033");
    assert_lacks(s, "\r");
    assert_has(s, "\\x1b[31mred");
    assert_has(s, "\\r\\n::warning");
    free(s);
}

static void test_json(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *s = render("json", "fail.json");
    struct json_t *back = j_loads(s, strlen(s), "out", &err);
    struct json_t *orig = load("fail.json");
    char *a = j_dump(back, J_CANON), *b = j_dump(orig, J_CANON);

    (void)state;
    assert_non_null(back);
    assert_string_equal(a, b);
    assert_has(s, "\n  \"verdict\": \"fail\"");
    free(a);
    free(b);
    free(s);
    j_free(back);
    j_free(orig);
}

static void test_junit(void **state)
{
    char *s = render("junit", "fail.json");

    (void)state;
    assert_true(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<testsuites>\n  <testsuite name=\"churn_train\" "
                        "package=\"assay\" id=\"0\" "
                        "timestamp=\"2026-11-22T07:15:35\"", 120) == 0);
    assert_has(s, "tests=\"10\" failures=\"6\" errors=\"1\" skipped=\"0\" "
               "time=\"0\">");
    assert_has(s, "<property name=\"dataset.sha256\" value=\"9f86d0");
    assert_has(s, "<testcase name=\"age.range\" classname=\"assay.range\" "
               "time=\"0\">\n      <failure type=\"fail\" "
               "message=\"12 values out of range [18, 120]\">");
    assert_has(s, "message=\"12 values out of range [18, 120]\">age.range "
               "(range, column age): 12 of 999 failed\n12 values out of "
               "range [18, 120]\nobserved: min -3, max 212\n"
               "limit: &gt;= 18, &lt;= 120\nline 1042 (record 1040): "
               "\"212\"\n");
    assert_has(s, "line 1400 (record 1398): \"130\"</failure>");
    assert_has(s, "<failure type=\"warn\"");
    assert_has(s, "<error type=\"error\" message=\"column &#39;notes&#39; "
               "is missing\">");
    assert_has(s, "<testcase name=\"zip.pattern\" classname=\"assay.pattern\""
               " time=\"0\"/>");
    /* properties first, system-out and system-err last */
    assert_true(strstr(s, "<properties>") < strstr(s, "<testcase"));
    assert_has(s, "</system-out>\n    <system-err></system-err>\n"
               "  </testsuite>\n</testsuites>\n");
    assert_lacks(s, " file=");
    free(s);

    s = render("junit", "hostile.json");
    assert_lacks(s, "\x01");
    assert_lacks(s, "\x1b");
    assert_lacks(s, "\xEF\xBF\xBE");
    assert_lacks(s, "<script");
    assert_has(s, "name=\"col&lt;1&gt;.range\"");
    assert_has(s, "name=\"train &amp; &lt;test&gt; &#34;set&#34;\"");
    free(s);
}

static void test_sarif(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *s = render("sarif", "fail.json");
    struct json_t *d = j_loads(s, strlen(s), "sarif", &err);
    struct json_t *run = j_at(j_get(d, "runs"), 0);
    struct json_t *rules = j_get(j_get(j_get(run, "tool"), "driver"),
                                 "rules");
    struct json_t *res = j_get(run, "results"), *r = NULL;
    struct json_t *loc;
    size_t i;

    (void)state;
    assert_non_null(d);
    assert_string_equal(j_string(j_get(d, "version")), "2.1.0");
    assert_int_equal(j_len(res), 8);        /* all but the 2 passes */
    for (i = 0; i < j_len(res); i++)
        if (strcmp(j_string(j_get(j_get(j_at(res, i), "properties"), "id")),
                   "age.range") == 0)
            r = j_at(res, i);
    assert_non_null(r);
    assert_string_equal(j_string(j_get(r, "ruleId")), "range");
    assert_string_equal(j_string(j_get(r, "level")), "error");
    assert_string_equal(j_string(j_get(j_at(rules, j_integer(j_get(r,
                        "ruleIndex"))), "id")), "range");
    loc = j_at(j_get(r, "locations"), 0);
    assert_string_equal(j_string(j_get(j_get(j_get(loc, "physicalLocation"),
                        "artifactLocation"), "uri")), "data/train.csv");
    assert_int_equal(j_integer(j_get(j_get(j_get(loc, "physicalLocation"),
                     "region"), "startLine")), 1042);
    assert_string_equal(j_string(j_get(j_at(j_get(loc, "logicalLocations"),
                        0), "name")), "age");
    assert_int_equal(strlen(j_string(j_get(j_get(r, "partialFingerprints"),
                     "assay/v1"))), 64);
    assert_int_equal(j_len(j_get(r, "relatedLocations")), 4);
    for (i = 0; i < j_len(rules); i++) {
        assert_non_null(j_string(j_get(j_get(j_at(rules, i),
                                             "fullDescription"), "text")));
        assert_true(strlen(j_string(j_get(j_get(j_at(rules, i),
                                   "fullDescription"), "text"))) <= 1024);
    }
    free(s);
    j_free(d);

    /* An absolute path outside the working directory: a file: URI. */
    {
        struct report_opts o = REPORT_OPTS_INIT;
        struct json_t *doc = load("pass.json");
        char *t;

        o.data_path = "/nonexistent dir/x.csv";
        t = render_doc("sarif", doc, &o, NULL);
        assert_has(t, "\"uri\": \"file:///nonexistent%20dir/x.csv\"");
        free(t);
        t = render_doc("codequality", load_failing_into(doc), &o, NULL);
        assert_has(t, "\"path\": \"nonexistent dir/x.csv\"");
        free(t);
        j_free(doc);
    }

    /* A path that needs percent-encoding. */
    s = render("sarif", "hostile.json");
    assert_has(s, "\"uri\": \"data/we%2Cird%3Ana%25me%20%3Cx%3E.csv\"");
    free(s);
}

static void test_github(void **state)
{
    char *s = render("github", "fail.json");
    const char *p, *q;
    char token[80];
    size_t n;

    (void)state;
    assert_has(s, "::error file=data/train.csv,line=1042,title=assay FAIL%3A "
               "age.range::age.range (range, column age): 12 of 999 failed%0A"
               "12 values out of range [18, 120]%0A");
    assert_has(s, "::warning file=data/train.csv,line=8,title=assay WARN%3A "
               "age.not_null::");
    assert_has(s, "::notice file=data/train.csv,line=33,");
    assert_has(s, "::error file=data/train.csv,line=1,title=assay ERROR%3A "
               "notes.length::");
    assert_lacks(s, "gender.allowed::");
    /* the echoed report is fenced by a stop token */
    p = strstr(s, "::stop-commands::");
    assert_non_null(p);
    p += strlen("::stop-commands::");
    n = strcspn(p, "\n");
    assert_int_equal(n, 32);
    snprintf(token, sizeof token, "\n::%.*s::\n::endgroup::\n", (int)n, p);
    q = strstr(p, token);
    assert_non_null(q);
    assert_true(strstr(p, "assay: FAIL") < q);
    free(s);

    /* Hostile data: every line that starts with :: is ours. */
    s = render("github", "hostile.json");
    p = strstr(s, "::stop-commands::");
    assert_non_null(p);
    for (q = s; q < p; q = strchr(q, '\n') + 1)
        assert_true(strncmp(q, "::error ", 8) == 0 ||
                    strncmp(q, "::warning ", 10) == 0 ||
                    strncmp(q, "::notice ", 9) == 0);
    assert_has(s, "::warning file=data/we%2Cird%3Ana%25me <x>.csv,line=5,"
               "title=assay WARN%3A %3A%3Aerror%3A%3Ainject::");
    assert_has(s, "msg\\nsecond line\\r\\nthird %2525");
    assert_lacks(s, "\r");
    free(s);
}

static void test_github_step_summary(void **state)
{
    struct report_opts o = REPORT_OPTS_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc = load("fail.json");
    char path[] = "/tmp/assay-summary-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp;
    char *s, *sum = NULL;
    size_t n = 0;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "earlier step\n", 13), 13);
    close(fd);
    o.step_summary = path;
    s = render_doc("github", doc, &o, NULL);
    free(s);
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_true(getdelim(&sum, &n, '\0', fp) > 0);
    fclose(fp);
    assert_true(strncmp(sum, "earlier step\n### assay: ", 24) == 0);
    assert_has(sum, "| Status | Check |");
    free(sum);

    /* An unwritable summary: stdout output still complete, then -1. */
    o.step_summary = "/nonexistent-dir/summary.md";
    fp = open_memstream(&sum, &n);
    assert_int_equal(report_write("github", doc, fp, &o, &err), -1);
    fclose(fp);
    assert_int_equal(err.status, ASSAY_EIO);
    assert_has(err.msg, "step summary '/nonexistent-dir/summary.md'");
    assert_has(sum, "::endgroup::");
    free(sum);
    unlink(path);
    j_free(doc);
}

/* Every '<' in Markdown output is escaped or opens one of our own tags;
 * every table row has as many unescaped pipes as its header. */
static void assert_md_safe(const char *s)
{
    static const char *const ours[] = {
        "<details>", "</details>", "<summary>", "</summary>", "<sub>",
        "</sub>",
    };
    const char *p, *line;
    size_t i, pipes, want = 0;
    int ok;

    for (p = strchr(s, '<'); p != NULL; p = strchr(p + 1, '<')) {
        ok = p > s && p[-1] == '\\';
        for (i = 0; !ok && i < ARRAY_SIZE(ours); i++)
            ok = strncmp(p, ours[i], strlen(ours[i])) == 0;
        if (!ok)
            print_error("raw '<' at: %.40s\n", p);
        assert_true(ok);
    }
    for (line = s; *line != '\0'; line = p + 1) {
        p = strchr(line, '\n');
        if (p == NULL)
            break;
        if (*line != '|') {
            want = 0;
            continue;
        }
        for (pipes = 0, i = 0; line + i < p; i++)
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
                pipes++;
        if (want == 0)
            want = pipes;
        if (pipes != want)
            print_error("row: %.*s\n", (int)(p - line), line);
        assert_int_equal(pipes, want);
    }
}

static void test_markdown(void **state)
{
    char *s = render("markdown", "fail.json");

    (void)state;
    assert_true(strncmp(s, "### assay: ", 11) == 0);
    assert_has(s, "**Verdict: FAIL**");
    assert_has(s, "| Status | Check | Kind | Column | Failures | Message |\n"
               "| --- | --- | --- | --- | ---: | --- |\n");
    assert_has(s, "| age.range | range | age | 12 of 999 failed | 12 "
               "values out of range \\[18, 120\\] |");
    assert_has(s, "<details><summary>Samples: age.range (5 of 5 shown)"
               "</summary>\n\n| Line | Record | Value |");
    assert_has(s, "| 1042 | 1040 | 212 |");
    assert_has(s, "<details><summary>Passing checks (2)</summary>");
    assert_has(s, "<details><summary>Profile (3 columns)</summary>");
    free(s);

    s = render("markdown", "hostile.json");
    assert_md_safe(s);
    assert_lacks(s, "\r");
    assert_has(s, "col\\<1\\>\\|\"x\"");
    assert_has(s, "\\<script\\>alert(1)\\</script\\>");
    free(s);
}

static void test_codequality(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *s = render("codequality", "fail.json");
    struct json_t *d = j_loads(s, strlen(s), "cq", &err), *e;
    size_t i;

    (void)state;
    assert_non_null(d);
    assert_true(s[0] == '[');               /* no BOM */
    assert_int_equal(j_len(d), 8);
    for (i = 0; i < j_len(d); i++) {
        e = j_at(d, i);
        if (strcmp(j_string(j_get(e, "check_name")), "assay/range") != 0)
            continue;
        assert_string_equal(j_string(j_get(e, "severity")), "major");
        assert_string_equal(j_string(j_get(j_get(e, "location"), "path")),
                            "data/train.csv");
        assert_int_equal(j_integer(j_get(j_get(j_get(e, "location"),
                                               "lines"), "begin")), 1042);
        assert_has(j_string(j_get(e, "description")), "age.range: 12 values");
    }
    assert_has(s, "\"severity\": \"critical\"");     /* the error */
    assert_has(s, "\"severity\": \"minor\"");        /* the warning */
    assert_has(s, "\"severity\": \"info\"");
    free(s);
    j_free(d);

    s = render("codequality", "pass.json");
    assert_string_equal(s, "[]\n");
    free(s);
}

static void test_html(void **state)
{
    char *s = render("html", "fail.json");

    (void)state;
    assert_true(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    assert_has(s, "<meta http-equiv=\"Content-Security-Policy\" content=\""
               "default-src 'none'; style-src 'unsafe-inline'; "
               "img-src data:\">");
    assert_int_equal(count_of(s, "<h1"), 1);
    assert_has(s, "<main>");
    assert_has(s, "<footer>");
    assert_has(s, "@media print");
    assert_lacks(s, "<script");
    assert_lacks(s, "http://");
    assert_lacks(s, "https://");
    assert_has(s, "<caption>Checks and findings that did not pass (8)");
    assert_has(s, "<svg width=\"320\" height=\"110\"");
    assert_has(s, "<caption>Histogram of age</caption>");
    assert_int_equal(count_of(s, "<table>"), count_of(s, "<caption>"));
    free(s);

    s = render("html", "hostile.json");
    assert_lacks(s, "<script");
    assert_lacks(s, "<img");
    assert_lacks(s, "<b>");
    assert_lacks(s, "\x01");
    assert_lacks(s, "\x1b");
    assert_has(s, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_has(s, "&lt;img src=x onerror=alert(1)&gt;");
    free(s);

    s = render("html", "bias.json");
    assert_has(s, "<h2 id=\"h-bias\">");
    assert_has(s, "class=\"band\"");
    assert_has(s, "class=\"ci\"");
    assert_has(s, "<caption>Bias metrics, facet 2</caption>");
    free(s);
}

/* ---- every writer on every fixture, and on bias-only documents ---- */

static void test_all_formats_all_fixtures(void **state)
{
    static const char *const fixtures[] = {
        "pass.json", "fail.json", "bias.json", "hostile.json",
        "minimal.json",
    };
    static const char *const fmts[] = {
        "text", "json", "junit", "sarif", "github", "markdown",
        "codequality", "html",
    };
    size_t i, k;
    char *s;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(fixtures); i++)
        for (k = 0; k < ARRAY_SIZE(fmts); k++) {
            s = render(fmts[k], fixtures[i]);
            assert_true(strlen(s) > 0);
            free(s);
        }
}

static void test_bias_only(void **state)
{
    char *s;

    (void)state;
    s = render("junit", "bias.json");
    assert_has(s, "tests=\"5\" failures=\"3\" errors=\"0\"");
    assert_has(s, "<testcase name=\"bias.sex=Female.CI\" "
               "classname=\"assay.bias\" time=\"0\">");
    assert_has(s, "<testcase name=\"bias.age&gt;40.CI\" "
               "classname=\"assay.bias\" time=\"0\"/>");
    free(s);
    s = render("sarif", "bias.json");
    assert_has(s, "\"ruleId\": \"bias.CI\"");
    assert_has(s, "\"id\": \"bias.DI\"");
    free(s);
    s = render("text", "bias.json");
    assert_has(s, "bias: facet sex = Female, label income = >50K (clarify)");
    assert_has(s, "CI     0.33841 [0.3279, 0.3489]");
    assert_has(s, "TE     Infinity");
    assert_has(s, "CDDL   error: Group variable is empty");
    free(s);
    s = render("markdown", "bias.json");
    assert_has(s, "#### Bias");
    assert_has(s, "| bias.sex=Female.CI | CI | 0.33841 |");
    free(s);
}

/* ---- scale: 200 columns, 50 failing checks ---- */

static struct json_t *big_doc(void)
{
    struct json_t *doc = load("fail.json");
    struct json_t *results = j_arr(), *cols = j_arr();
    struct json_t *r, *c, *ss, *s, *h, *edges, *counts, *top, *t;
    char *long_value = xmalloc(100001);
    char name[64];
    size_t i, k;

    memset(long_value, '<', 100000);
    long_value[100000] = '\0';
    for (i = 0; i < 60; i++) {
        r = j_obj();
        snprintf(name, sizeof name, "col%zu.range", i);
        j_set(r, "id", j_str(name));
        j_set(r, "kind", j_str("range"));
        j_set(r, "column", j_str(name));
        j_set(r, "severity", j_str("fail"));
        j_set(r, "status", j_str(i < 50 ? "fail" : "pass"));
        j_set(r, "failures", j_int(i < 50 ? 100000 : 0));
        j_set(r, "checked", j_int(1000000));
        j_set(r, "message", j_str(long_value));
        ss = j_arr();
        for (k = 0; i < 50 && k < 100; k++) {
            s = j_obj();
            j_set(s, "line", j_int((long long)k + 2));
            j_set(s, "record", j_int((long long)k + 1));
            j_set(s, "value", j_str(long_value));
            j_push(ss, s);
        }
        j_set(r, "samples", ss);
        j_push(results, r);
    }
    for (i = 0; i < 200; i++) {
        c = j_obj();
        snprintf(name, sizeof name, "column_%zu", i);
        j_set(c, "name", j_str(name));
        j_set(c, "type", j_str("number"));
        j_set(c, "count", j_int(1000000));
        j_set(c, "nulls", j_int(3));
        j_set(c, "mean", j_num(0.123456789));
        h = j_obj();
        edges = j_arr();
        counts = j_arr();
        for (k = 0; k <= 256; k++)
            j_push(edges, j_num((double)k / 7.0));
        for (k = 0; k < 256; k++)
            j_push(counts, j_int((long long)(k * 37 % 1000)));
        j_set(h, "edges", edges);
        j_set(h, "counts", counts);
        j_set(c, "histogram", h);
        top = j_arr();
        for (k = 0; k < 100; k++) {
            t = j_obj();
            j_set(t, "value", j_str(long_value));
            j_set(t, "count", j_int(100 - (long long)k));
            j_push(top, t);
        }
        j_set(c, "top", top);
        j_push(cols, c);
    }
    j_set(doc, "results", results);
    c = j_obj();
    j_set(c, "columns", cols);
    j_set(doc, "profile", c);
    free(long_value);
    return doc;
}

static void test_scale(void **state)
{
    struct json_t *doc = big_doc();
    struct report_opts o = REPORT_OPTS_INIT;
    struct report_ctx ctx;
    struct buf md = BUF_INIT;
    size_t n;
    char *s;

    (void)state;
    s = render_doc("html", doc, &o, &n);
    print_message("html: %zu bytes\n", n);
    assert_true(n < 5 * 1024 * 1024);
    assert_has(s, "col49.range");
    free(s);
    s = render_doc("markdown", doc, &o, &n);
    print_message("markdown: %zu bytes\n", n);
    free(s);
    s = render_doc("junit", doc, &o, &n);
    print_message("junit: %zu bytes\n", n);
    free(s);
    s = render_doc("text", doc, &o, &n);
    assert_true(n < 1024 * 1024);
    free(s);
    /* the step summary's fallback levels stay under 1 MiB */
    ctx_init(&ctx, doc, &o);
    markdown_render(&md, &ctx, 0);
    assert_true(md.len < 64 * 1024);
    buf_release(&md);
    ctx_release(&ctx);
    j_free(doc);
}

/* The job summary never passes GitHub's 1 MiB, however many checks. */
static void test_step_summary_cap(void **state)
{
    struct json_t *doc = load("fail.json"), *results = j_arr(), *r;
    struct report_opts o = REPORT_OPTS_INIT;
    char path[] = "/tmp/assay-summary-XXXXXX";
    char id[32], msg[400];
    struct stat st;
    size_t i;
    int fd = mkstemp(path);
    char *s;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    memset(msg, '|', sizeof msg - 1);
    msg[sizeof msg - 1] = '\0';
    for (i = 0; i < 5000; i++) {
        r = j_obj();
        snprintf(id, sizeof id, "c%zu.pattern", i);
        j_set(r, "id", j_str(id));
        j_set(r, "kind", j_str("pattern"));
        j_set(r, "status", j_str("fail"));
        j_set(r, "failures", j_int(1));
        j_set(r, "message", j_str(msg));
        j_push(results, r);
    }
    j_set(doc, "results", results);
    o.step_summary = path;
    s = render_doc("github", doc, &o, NULL);
    assert_has(s, "::notice title=assay::4950 more findings are not "
               "annotated");
    free(s);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 0 && st.st_size < 1024 * 1024);
    unlink(path);
    j_free(doc);
}

/* ---- time and errors ---- */

static void test_source_date_epoch(void **state)
{
    struct json_t *doc = load("pass.json");
    char *s;

    (void)state;
    /* The document's own "time" wins over the clock. */
    j_set(doc, "time", j_str("2030-01-02T03:04:05Z"));
    s = render_doc("junit", doc, NULL, NULL);
    assert_has(s, "timestamp=\"2030-01-02T03:04:05\"");
    free(s);
    j_set(doc, "time", j_null());
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    s = render_doc("junit", doc, NULL, NULL);
    assert_has(s, "timestamp=\"1970-01-02T00:00:00\"");
    free(s);
    s = render_doc("html", doc, NULL, NULL);
    assert_has(s, "1970-01-02T00:00:00Z");
    free(s);
    unsetenv("SOURCE_DATE_EPOCH");
    j_free(doc);
}

static void test_write_error(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *doc = load("fail.json");
    FILE *fp = fopen("/dev/full", "w");

    (void)state;
    if (fp == NULL)
        skip();
    assert_int_equal(report_write("html", doc, fp, NULL, &err), -1);
    assert_int_equal(err.status, ASSAY_EIO);
    assert_has(err.msg, "cannot write html output");
    fclose(fp);
    j_free(doc);
}

/* ---- the render driver (see the header comment) ---- */

static int render_main(int argc, char **argv)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct report_opts o = REPORT_OPTS_INIT;
    struct json_t *doc;
    int rc;

    if (argc != 4) {
        fputs("usage: test_reports render FORMAT DOC.json\n", stderr);
        return 2;
    }
    doc = j_load_file(argv[3], &err);
    if (doc == NULL) {
        fprintf(stderr, "test_reports: %s\n", err.msg);
        return 3;
    }
    o.step_summary = getenv("GITHUB_STEP_SUMMARY");
    rc = report_write(argv[2], doc, stdout, &o, &err);
    if (rc < 0)
        fprintf(stderr, "test_reports: %s\n", err.msg);
    j_free(doc);
    return rc < 0 ? 4 : 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_esc_xml),
        cmocka_unit_test(test_esc_html),
        cmocka_unit_test(test_esc_github),
        cmocka_unit_test(test_esc_md),
        cmocka_unit_test(test_esc_display),
        cmocka_unit_test(test_esc_uri),
        cmocka_unit_test(test_relative_path),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_fingerprint_stable),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_github),
        cmocka_unit_test(test_github_step_summary),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_codequality),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_all_formats_all_fixtures),
        cmocka_unit_test(test_bias_only),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_step_summary_cap),
        cmocka_unit_test(test_source_date_epoch),
        cmocka_unit_test(test_write_error),
    };

    if (argc > 1 && strcmp(argv[1], "render") == 0)
        return render_main(argc, argv);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
