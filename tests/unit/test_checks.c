/* test_checks.c -- every check kind on hand-built records, through the
 * checker's scan sink (rules/checker.c, checks.c): exact failures,
 * checked, observed values and samples; tolerances; and two workers
 * merged giving the same results as one. */
#include "testutil.h"
#include "rules/rules_int.h"
#include "json.h"

/* ---- hand-built records ---- */

enum { MAXF = 16, MAXR = 64 };

struct trow {
    struct row row;
    char *field[MAXF];
    uint32_t len[MAXF];
    unsigned char quoted[MAXF];
    char *text;
};

struct data {
    const char *const *header;
    size_t ncols;
    struct trow rows[MAXR];
    size_t n;
};

/* Records are comma-separated (no quoting); line numbers are physical
 * lines (header on line 1), record numbers 1-based. */
static void data_init(struct data *d, const char *const *header,
                      size_t ncols, const char *const *lines, size_t n)
{
    size_t i;

    memset(d, 0, sizeof(*d));
    d->header = header;
    d->ncols = ncols;
    for (i = 0; i < n; i++) {
        struct trow *t = &d->rows[i];
        char *p;
        size_t k = 0;

        t->text = xstrdup(lines[i]);
        p = xstrdup(lines[i]);
        for (;;) {
            char *comma = strchr(p, ',');

            t->field[k] = p;
            t->len[k] = (uint32_t)(comma ? (size_t)(comma - p) : strlen(p));
            k++;
            if (comma == NULL)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        t->row.nfields = k;
        t->row.field = (const char *const *)t->field;
        t->row.len = t->len;
        t->row.quoted = t->quoted;
        t->row.line = i + 2;
        t->row.record = i + 1;
        t->row.raw = t->text;
        t->row.raw_len = strlen(t->text);
    }
    d->n = n;
}

static void data_release(struct data *d)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        free(d->rows[i].field[0]);
        free(d->rows[i].text);
    }
}

/* Feed records [from, to) to a new worker state, renumbered relative to
 * the part as the scan does (lines stay absolute). */
static void *feed(struct checker *ck, struct data *d, unsigned worker,
                  size_t from, size_t to)
{
    const struct scan_sink *s = checker_sink(ck);
    void *w = s->worker_new(s->self, worker);
    struct assay_err err = ASSAY_ERR_INIT;
    size_t i;

    for (i = from; i < to; i++) {
        struct row r = d->rows[i].row;

        r.record = i - from + 1;
        assert_int_equal(s->row(w, &r, &err), 0);
    }
    return w;
}

static int rescan_rows(void *src, int (*fn)(void *ctx, const struct row *r),
                       void *ctx, struct assay_err *err)
{
    struct data *d = src;
    size_t i;

    (void)err;
    for (i = 0; i < d->n; i++)
        if (fn(ctx, &d->rows[i].row) != 0)
            break;
    return 0;
}

/* Run the rules over the data with `split` records in worker 0 and the
 * rest in worker 1 (split == n: one worker).  Returns the results. */
static struct json_t *run(const struct rules *r, struct data *d,
                          size_t split, unsigned nsamples)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct checker *ck;
    const struct scan_sink *s;
    struct json_t *res;
    void *w0, *w1 = NULL;

    ck = checker_bind(r, d->header, d->ncols, "t.csv", NULL, nsamples,
                      &err);
    if (ck == NULL)
        fail_msg("%s", err.msg);
    s = checker_sink(ck);
    w0 = feed(ck, d, 0, 0, split);
    if (split < d->n)
        w1 = feed(ck, d, 1, split, d->n);
    s->merge(s->self, w0, 0, 0);
    if (w1 != NULL)
        s->merge(s->self, w1, split, 0);
    assert_int_equal(checker_finish_with(ck, rescan_rows, d, &err), 0);
    res = checker_results(ck);
    checker_free(ck);
    return res;
}

static struct rules *rules_of(const char *text)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = rules_parse(text, strlen(text), "r.yml", &err);

    if (r == NULL)
        fail_msg("%s", err.msg);
    return r;
}

static struct json_t *result(struct json_t *res, const char *id)
{
    size_t i;

    for (i = 0; i < j_len(res); i++)
        if (strcmp(j_string(j_get(j_at(res, i), "id")), id) == 0)
            return j_at(res, i);
    fail_msg("no result '%s'", id);
    return NULL;
}

/* Status, failures and checked of one result. */
static void expect(struct json_t *res, const char *id, const char *status,
                   long long failures, long long checked)
{
    struct json_t *o = result(res, id);

    if (strcmp(j_string(j_get(o, "status")), status) != 0 ||
        j_integer(j_get(o, "failures")) != failures ||
        j_integer(j_get(o, "checked")) != checked)
        fail_msg("%s: got %s %lld/%lld, want %s %lld/%lld (%s)", id,
                 j_string(j_get(o, "status")),
                 j_integer(j_get(o, "failures")),
                 j_integer(j_get(o, "checked")), status, failures, checked,
                 j_string(j_get(o, "message")));
}

/* Samples as "line:record:value;..." */
static void expect_samples(struct json_t *res, const char *id,
                           const char *want)
{
    struct json_t *a = j_get(result(res, id), "samples");
    struct buf b = BUF_INIT;
    size_t i;

    for (i = 0; i < j_len(a); i++) {
        struct json_t *s = j_at(a, i);
        const char *v = j_string(j_get(s, "value"));

        buf_printf(&b, "%s%lld:%lld:%s", i ? ";" : "",
                   j_integer(j_get(s, "line")),
                   j_integer(j_get(s, "record")), v != NULL ? v : "null");
    }
    if (strcmp(buf_cstr(&b), want) != 0)
        fail_msg("%s samples:\n got %s\nwant %s", id, buf_cstr(&b), want);
    buf_release(&b);
}

static void expect_message(struct json_t *res, const char *id,
                           const char *want)
{
    assert_string_equal(j_string(j_get(result(res, id), "message")), want);
}

/* ---- null, type, range, field_count ---- */

static const char *const h2[] = { "id", "age" };

static void test_basic(void **state)
{
    static const char *const lines[] = {
        "1,30", "2,", "3,abc", "4,150", "5,NA", "6,17", "7,18", "8",
        "9,1,2", "10,+20",
    };
    struct rules *r = rules_of(
        "null_values: [NA]\n"
        "columns:\n"
        "  - name: age\n"
        "    type: integer\n"
        "    checks:\n"
        "      - not_null: {}\n"
        "      - range: {min: 18, max: 120}\n");
    struct data d;
    struct json_t *res, *o;

    (void)state;
    data_init(&d, h2, 2, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    assert_int_equal(j_len(res), 4);
    assert_string_equal(j_string(j_get(j_at(res, 0), "id")), "field_count");
    expect(res, "field_count", "fail", 2, 10);
    expect_samples(res, "field_count", "9:8:8;10:9:9,1,2");
    o = j_get(result(res, "field_count"), "observed");
    assert_int_equal(j_integer(j_get(o, "min_fields")), 1);
    assert_int_equal(j_integer(j_get(o, "max_fields")), 3);
    expect_message(res, "field_count",
                   "2 of 10 records have a field count other than 2");
    assert_true(j_is_null(j_get(result(res, "field_count"), "column")));

    expect(res, "age.type", "fail", 1, 6);
    expect_samples(res, "age.type", "4:3:abc");
    expect_message(res, "age.type",
                   "1 of 6 non-null values are not a valid integer");
    expect(res, "age.not_null", "fail", 2, 8);
    expect_samples(res, "age.not_null", "3:2:;6:5:NA");
    assert_close(j_number(j_get(result(res, "age.not_null"), "observed")),
                 0.25, 0);
    assert_int_equal(j_integer(j_get(j_get(result(res, "age.not_null"),
                                           "limit"), "max_missing")), 0);
    expect(res, "age.range", "fail", 2, 5);
    expect_samples(res, "age.range", "5:4:150;7:6:17");
    o = j_get(result(res, "age.range"), "observed");
    assert_int_equal(j_integer(j_get(o, "min")), 17);
    assert_int_equal(j_integer(j_get(o, "max")), 150);
    o = j_get(result(res, "age.range"), "limit");
    assert_int_equal(j_integer(j_get(o, "min")), 18);
    assert_int_equal(j_integer(j_get(o, "max")), 120);
    assert_int_equal(j_integer(j_get(o, "max_failures")), 0);
    expect_message(res, "age.range", "2 of 5 values outside [18, 120]");
    assert_string_equal(j_string(j_get(result(res, "age.range"), "column")),
                        "age");
    assert_string_equal(j_string(j_get(result(res, "age.range"), "kind")),
                        "range");
    assert_string_equal(j_string(j_get(result(res, "age.range"),
                                       "severity")), "fail");
    j_free(res);

    /* Samples: only the first N. */
    res = run(r, &d, d.n, 1);
    expect_samples(res, "age.not_null", "3:2:");
    expect_samples(res, "field_count", "9:8:8");
    j_free(res);
    res = run(r, &d, d.n, 0);
    expect_samples(res, "age.range", "");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* ---- number, date and timestamp ranges; exclusive bounds ---- */

static void test_ranges(void **state)
{
    static const char *const hdr[] = { "x", "d", "ts" };
    static const char *const lines[] = {
        "0,2020-01-01,2020-01-01T00:00:00Z",
        "0.5,2019-12-31,2019-12-31T23:59:59Z",
        "1,2020-12-31,2020-01-01T01:00:00+02:00",
        "1e3,2021-01-01,2020-06-01 12:00:00.5",
        "-0.0,2020-02-29,2020-12-31T23:59:59.999999-01:00",
    };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: x\n"
        "    type: number\n"
        "    checks:\n"
        "      - range: {min_exclusive: 0, max: 1}\n"
        "  - name: d\n"
        "    type: date\n"
        "    checks:\n"
        "      - range: {min: 2020-01-01, max: 2020-12-31}\n"
        "  - name: ts\n"
        "    type: timestamp\n"
        "    checks:\n"
        "      - range: {min: '2020-01-01T00:00:00Z', max: 2020-12-31,\n"
        "                max_exclusive: true}\n");
    struct data d;
    struct json_t *res, *o;

    (void)state;
    data_init(&d, hdr, 3, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    expect(res, "x.range", "fail", 3, 5);
    expect_samples(res, "x.range", "2:1:0;5:4:1e3;6:5:-0.0");
    o = j_get(result(res, "x.range"), "observed");
    assert_close(j_number(j_get(o, "min")), 0, 0);
    assert_close(j_number(j_get(o, "max")), 1000, 0);
    expect_message(res, "x.range", "3 of 5 values outside (0, 1]");
    o = j_get(result(res, "x.range"), "limit");
    assert_int_equal(j_integer(j_get(o, "min_exclusive")), 0);

    expect(res, "d.range", "fail", 2, 5);
    expect_samples(res, "d.range", "3:2:2019-12-31;5:4:2021-01-01");
    o = j_get(result(res, "d.range"), "observed");
    assert_string_equal(j_string(j_get(o, "min")), "2019-12-31");
    assert_string_equal(j_string(j_get(o, "max")), "2021-01-01");
    o = j_get(result(res, "d.range"), "limit");
    assert_string_equal(j_string(j_get(o, "min")), "2020-01-01");

    /* 01:00+02:00 is 2019-12-31T23:00Z: before the minimum; the last is
     * 2021-01-01T00:59:59.999999Z: past the exclusive maximum. */
    expect(res, "ts.range", "fail", 3, 5);
    expect_samples(res, "ts.range",
                   "3:2:2019-12-31T23:59:59Z;4:3:2020-01-01T01:00:00+02:00;"
                   "6:5:2020-12-31T23:59:59.999999-01:00");
    o = j_get(result(res, "ts.range"), "observed");
    assert_string_equal(j_string(j_get(o, "min")), "2019-12-31T23:00:00Z");
    assert_string_equal(j_string(j_get(o, "max")),
                        "2021-01-01T00:59:59.999999Z");
    expect_message(res, "ts.range", "3 of 5 values outside "
                   "[2020-01-01T00:00:00Z, 2020-12-31)");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* ---- allowed, pattern, length ---- */

static void test_values(void **state)
{
    static const char *const hdr[] = { "g", "n", "zip", "name", "b" };
    static const char *const lines[] = {
        "female,1,12345,Zoë,true",
        "male,2,1234,Ann,FALSE",
        "Male,01,123456,Élodie-Marie,yes",
        "other,3,abcde,Al,1",
        ",4,\xff\xfe" "123,Bo,0",
        "nonbinary,+2,00000,\xc3,False",
    };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: g\n"
        "    checks:\n"
        "      - allowed: [female, male, nonbinary]\n"
        "  - name: n\n"
        "    type: integer\n"
        "    checks:\n"
        "      - allowed: [1, 2]\n"
        "  - name: zip\n"
        "    type: string\n"
        "    checks:\n"
        "      - pattern: '^[0-9]{5}$'\n"
        "  - name: name\n"
        "    checks:\n"
        "      - length: {min: 3, max: 5}\n"
        "  - name: b\n"
        "    type: boolean\n"
        "    checks:\n"
        "      - allowed: ['true']\n");
    struct data d;
    struct json_t *res, *o;

    (void)state;
    data_init(&d, hdr, 5, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    expect(res, "g.allowed", "fail", 2, 5);
    expect_samples(res, "g.allowed", "4:3:Male;5:4:other");
    expect_message(res, "g.allowed", "2 of 5 values are not in the allowed set "
                   "(female, male, nonbinary)");
    /* integers compare as numbers: 01 and +2 are allowed */
    expect(res, "n.allowed", "fail", 2, 6);
    expect_samples(res, "n.allowed", "5:4:3;6:5:4");
    /* a declared string must be UTF-8 text: the bad bytes fail zip.type
     * (counted once, there), not the pattern */
    expect(res, "zip.pattern", "fail", 3, 5);
    expect_samples(res, "zip.pattern", "3:2:1234;4:3:123456;5:4:abcde");
    expect(res, "zip.type", "fail", 1, 6);
    /* JSON strings are UTF-8: bad bytes are written as U+FFFD */
    expect_samples(res, "zip.type", "6:5:\xef\xbf\xbd\xef\xbf\xbd" "123");
    expect_message(res, "zip.type", "1 of 6 non-null values are not valid "
                   "UTF-8 text");
    /* characters, not bytes: Zoë is 3, Élodie-Marie 12, \xc3 alone 1 */
    expect(res, "name.length", "fail", 4, 6);
    expect_samples(res, "name.length",
                   "4:3:Élodie-Marie;5:4:Al;6:5:Bo;7:6:\xef\xbf\xbd");
    o = j_get(result(res, "name.length"), "observed");
    assert_int_equal(j_integer(j_get(o, "min")), 1);
    assert_int_equal(j_integer(j_get(o, "max")), 12);
    expect(res, "b.type", "fail", 1, 6);
    expect(res, "b.allowed", "fail", 3, 5);
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* A catastrophic pattern hits the match limit: an error result, fast. */
static void test_pattern_limit(void **state)
{
    static const char *const hdr[] = { "s" };
    static const char *const lines[] = {
        "aaaa",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
        "b",
    };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: s\n"
        "    checks:\n"
        "      - pattern: '^(a|aa)+$'\n"
        "      - pattern: '^(?:a+)+(?:a+)+(?:a+)+(?:a+)+$'\n");
    struct data d;
    struct json_t *res, *o;

    (void)state;
    data_init(&d, hdr, 1, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    o = result(res, "s.pattern#2");
    assert_string_equal(j_string(j_get(o, "status")), "error");
    assert_non_null(strstr(j_string(j_get(o, "message")),
                           "hit the regex match limit"));
    o = result(res, "s.pattern");
    assert_string_equal(j_string(j_get(o, "status")), "error");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* The regex fast path gives exactly PCRE2's answers: every pattern over
 * every string of up to 4 characters from a small hostile alphabet
 * (UTF-8, an invalid byte, newline, NUL, regex metacharacters). */
static void test_regex_fast(void **state)
{
    static const struct {
        const char *pat;
        int fast;
    } pats[] = {
        { "^[0-9]{5}$", 1 }, { "^[0-9]{2,3}$", 1 }, { "^\\d+$", 1 },
        { "^[a-z]*$", 1 }, { "^[A-Z][a-z]*$", 1 }, { "^\\w+$", 1 },
        { "^\\s*$", 1 }, { "^[a-z]+-[0-9]+$", 1 }, { "^a{2}5?$", 1 },
        { "^[-a]+$", 1 }, { "^[a-]+$", 1 }, { "^[]a]+$", 1 },
        { "^\\.$", 1 }, { "^[.]$", 1 }, { "^\\$$", 1 }, { "^a\\$", 0 },
        { "^$", 1 },
        { "^\\d{1,3}\\s\\d$", 1 }, { "^Z?$", 1 }, { "^[a-z]{0}$", 1 },
        { "^[a-z_ ]{1,2}[0-9]{2}$", 1 }, { "^[A-Za-z0-9]{2}$", 1 },
        { "^a+[$.]$", 1 },
        /* not for the fast path: PCRE2 answers */
        { "^[a-z]+[0-9]?$", 0 }, { "^[a-z]+[a-z0-9]$", 0 },
        { "^[0-9]{5}(?:-[0-9]{4})?$", 0 }, { "^[^a]$", 0 }, { "^.$", 0 },
        { "^a|b$", 0 }, { "^(ab)+$", 0 }, { "^[[:digit:]]+$", 0 },
        { "^x*y*$", 0 }, { "[0-9]", 0 }, { "^[0-9]", 0 }, { "^a+?$", 0 },
        { "^a++$", 0 }, { "^\xc3\xa9$", 0 }, { "^\\x41$", 0 },
        { "^\\bab$", 0 }, { "^a{2,1}$", -1 }, { "^[z-a]$", -1 },
    };
    static const char *const alpha[] = {
        "a", "Z", "0", "5", "_", "-", " ", "\n", ".", "\xc3\xa9", "\xff",
        "$", "]", "b",
    };
    size_t na = ARRAY_SIZE(alpha), i, total = 1, k;
    char msg[256];
    size_t off;

    (void)state;
    for (k = 0; k < 4; k++)
        total = total * na + 1;
    for (i = 0; i < ARRAY_SIZE(pats); i++) {
        const char *p = pats[i].pat;
        struct rx *fast = rx_compile(p, strlen(p), 0, msg, sizeof(msg),
                                     &off);
        struct rx *slow = rx_compile(p, strlen(p), RX_NO_FAST, msg,
                                     sizeof(msg), &off);
        struct rx_scratch *sf, *ss;
        size_t m;

        if (pats[i].fast < 0) {
            assert_null(fast);
            assert_null(slow);
            continue;
        }
        assert_non_null(fast);
        assert_non_null(slow);
        if (rx_fast(fast) != pats[i].fast)
            fail_msg("'%s': fast path %d, want %d", p, rx_fast(fast),
                     pats[i].fast);
        assert_false(rx_fast(slow));
        sf = rx_scratch_new(fast);
        ss = rx_scratch_new(slow);
        /* every string of 0..4 symbols, numbered in base na + 1 */
        for (m = 0; m < total; m++) {
            char subj[32];
            size_t len = 0, x = m;

            while (x > 0) {
                const char *a = alpha[(x - 1) % na];

                memcpy(subj + len, a, strlen(a));
                len += strlen(a);
                x = (x - 1) / na;
            }
            if (rx_match(fast, sf, subj, len) != rx_match(slow, ss, subj,
                                                          len))
                fail_msg("'%s' on '%.*s': fast %d, pcre2 %d", p, (int)len,
                         subj, rx_match(fast, sf, subj, len),
                         rx_match(slow, ss, subj, len));
        }
        /* NUL bytes inside values */
        assert_int_equal(rx_match(fast, sf, "1\0003", 3),
                         rx_match(slow, ss, "1\0003", 3));
        rx_scratch_free(sf);
        rx_scratch_free(ss);
        rx_free(fast);
        rx_free(slow);
    }
}

/* ---- unique (column and tuple), with samples from a second look ---- */

static void test_unique(void **state)
{
    static const char *const hdr[] = { "k", "a", "b" };
    static const char *const lines[] = {
        "1,x,p", "2,y,p", "1,x,q", "3,,p", "2,x,p", "1,,p", "bad,x,p",
        "3,y,NA", "4,y,p", "5,x,q",
    };
    struct rules *r = rules_of(
        "null_values: [NA]\n"
        "columns:\n"
        "  - name: k\n"
        "    type: integer\n"
        "    checks:\n"
        "      - unique: {}\n"
        "  - name: a\n"
        "    checks:\n"
        "      - unique: {}\n"
        "        max_failures: 50%\n"
        "checks:\n"
        "  - unique: {columns: [a, b]}\n"
        "  - unique: {columns: [b, k]}\n"
        "    id: bk\n");
    struct data d;
    struct json_t *res;

    (void)state;
    data_init(&d, hdr, 3, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    /* b is not declared: it shares one slot between both tuples; k's bad
     * value is compared as text */
    expect(res, "bk", "fail", 2, 9);
    expect_samples(res, "bk", "6:5:2,x,p;7:6:1,,p");
    /* k: 1 2 1 3 2 1 (bad skipped) 3 4 5: repeats at records 3 5 6 8 */
    expect(res, "k.unique", "fail", 4, 9);
    expect_samples(res, "k.unique", "4:3:1;6:5:2;7:6:1;9:8:3");
    assert_int_equal(j_integer(j_get(result(res, "k.unique"), "observed")),
                     4);
    /* a: x y x x x y y x (8 non-null): 6 repeats, within 50%? no: 75% */
    expect(res, "a.unique", "fail", 6, 8);
    /* (a, b): (x,p) (y,p) (x,q) (x,p) (x,p) (y,p) (x,q): 4 repeats; the
     * tuples with a null are skipped */
    expect(res, "unique", "fail", 4, 7);
    expect_samples(res, "unique", "6:5:2,x,p;8:7:bad,x,p;10:9:4,y,p;"
                   "11:10:5,x,q");
    expect_message(res, "unique",
                   "4 of 7 (a, b) tuples repeat an earlier tuple");
    j_free(res);

    /* two samples wanted: the second look stops early */
    res = run(r, &d, 4, 2);
    expect(res, "k.unique", "fail", 4, 9);
    expect_samples(res, "k.unique", "4:3:1;6:5:2");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* ---- expression, row_count, duplicate_rows without identity ---- */

static void test_dataset(void **state)
{
    static const char *const hdr[] = { "start", "end", "n" };
    static const char *const lines[] = {
        "2020-01-01,2020-01-02T00:00:00Z,1",
        "2020-01-05,2020-01-02T00:00:00Z,2",
        "2020-01-05,,3",
        "2020-01-05,bad,4",
        "2020-01-02,2020-01-02T00:00:00Z,x",
        "2021-01-01,2020-12-31T23:00:00-02:00,5",
        "2020-01-01",
    };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: start\n"
        "    type: date\n"
        "  - name: end\n"
        "    type: timestamp\n"
        "  - name: n\n"
        "    type: integer\n"
        "checks:\n"
        "  - expression: {name: ordered, expr: \"end >= start\"}\n"
        "  - expression: {expr: \"n < 4 or end > start\"}\n"
        "  - row_count: {min: 8}\n"
        "  - row_count: {min: 1, max: 7}\n"
        "    id: rows_ok\n"
        "  - duplicate_rows: {}\n");
    struct data d;
    struct json_t *res, *o;

    (void)state;
    data_init(&d, hdr, 3, lines, ARRAY_SIZE(lines));
    res = run(r, &d, 3, 5);
    expect(res, "field_count", "fail", 1, 7);
    expect(res, "ordered", "fail", 1, 6);
    expect_samples(res, "ordered",
                   "3:2:end=2020-01-02T00:00:00Z, start=2020-01-05");
    o = j_get(result(res, "ordered"), "observed");
    assert_int_equal(j_integer(j_get(o, "true")), 3);
    assert_int_equal(j_integer(j_get(o, "false")), 1);
    assert_int_equal(j_integer(j_get(o, "null")), 2);
    expect_message(res, "ordered", "1 of 6 records violate 'end >= start'; "
                   "2 null results pass");
    expect(res, "expression", "pass", 0, 6);
    expect(res, "end.type", "fail", 1, 5);
    expect(res, "n.type", "fail", 1, 6);
    expect(res, "row_count", "fail", 1, 7);
    assert_int_equal(j_integer(j_get(result(res, "row_count"), "observed")),
                     7);
    expect_message(res, "row_count", "7 records, expected at least 8");
    expect(res, "rows_ok", "pass", 0, 7);
    expect_message(res, "rows_ok", "7 records, expected between 1 and 7");
    o = result(res, "duplicate_rows");
    assert_string_equal(j_string(j_get(o, "status")), "error");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* ---- tolerance: count, percentage, mostly ---- */

static void test_tolerance(void **state)
{
    static const char *const hdr[] = { "v" };
    static const char *const lines[] = {
        "1", "0", "2", "0", "0", "3", "0", "0", "0", "0",
    };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: v\n"
        "    type: integer\n"
        "    checks:\n"
        "      - range: {max: 0}\n"
        "        id: c3\n"
        "        max_failures: 3\n"
        "      - range: {max: 0}\n"
        "        id: c2\n"
        "        max_failures: 2\n"
        "      - range: {max: 0}\n"
        "        id: p30\n"
        "        max_failures: 30%\n"
        "      - range: {max: 0}\n"
        "        id: p29\n"
        "        max_failures: 29.9%\n"
        "      - range: {max: 0}\n"
        "        id: m70\n"
        "        mostly: 0.7\n"
        "      - range: {max: 0}\n"
        "        id: m71\n"
        "        mostly: 0.71\n"
        "      - range: {max: 0}\n"
        "        id: warn\n"
        "        severity: warn\n");
    struct data d;
    struct json_t *res, *o;

    (void)state;
    data_init(&d, hdr, 1, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    expect(res, "c3", "pass", 3, 10);
    expect(res, "c2", "fail", 3, 10);
    expect(res, "p30", "pass", 3, 10);
    expect(res, "p29", "fail", 3, 10);
    expect(res, "m70", "pass", 3, 10);
    expect(res, "m71", "fail", 3, 10);
    expect(res, "warn", "fail", 3, 10);
    assert_string_equal(j_string(j_get(result(res, "warn"), "severity")),
                        "warn");
    o = j_get(result(res, "p30"), "limit");
    assert_string_equal(j_string(j_get(o, "max_failures")), "30%");
    o = j_get(result(res, "m70"), "limit");
    assert_close(j_number(j_get(o, "mostly")), 0.7, 0);
    expect_message(res, "p29", "3 of 10 values outside (-inf, 0] "
                   "(tolerance: 29.9%)");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

/* mostly on big counts: 0.999 of 1000 is 999, which passes. */
static void test_within(void **state)
{
    struct check c;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.tol.kind = TOL_MOSTLY;
    c.tol.v = 0.999;
    assert_true(check_within(&c, 1, 1000));
    assert_false(check_within(&c, 2, 1000));
    assert_true(check_within(&c, 0, 0));
    c.tol.kind = TOL_PERCENT;
    c.tol.v = 1;
    assert_true(check_within(&c, 310, 31000));
    assert_false(check_within(&c, 311, 31000));
    assert_true(check_within(&c, 0, 0));
    c.tol.kind = TOL_COUNT;
    c.tol.v = 0;
    assert_true(check_within(&c, 0, 5));
    assert_false(check_within(&c, 1, 5));
    c.tol.kind = TOL_NONE;
    assert_false(check_within(&c, 1, 5));
}

/* ---- two workers merged == one worker ---- */

static void test_merge(void **state)
{
    static const char *const hdr[] = { "k", "a", "b" };
    static const char *const lines[] = {
        "1,x,p", "2,y,p", "1,x,q", "3,,p", "2,x,p", "1,,p", "bad,x,p",
        "3,y,NA", "4,y,p", "5,x,q", "6", "7,zz,p", "8,x,q,extra",
        "-1,w,w", "9,x,p",
    };
    struct rules *r = rules_of(
        "null_values: [NA]\n"
        "columns:\n"
        "  - name: k\n"
        "    type: integer\n"
        "    checks:\n"
        "      - unique: {}\n"
        "      - range: {min: 0, max: 5}\n"
        "      - not_null\n"
        "  - name: a\n"
        "    type: string\n"
        "    checks:\n"
        "      - allowed: [x, y]\n"
        "      - pattern: '^[a-z]$'\n"
        "      - length: {max: 1}\n"
        "      - not_null: {max_missing: 10%}\n"
        "  - name: b\n"
        "checks:\n"
        "  - unique: {columns: [a, b]}\n"
        "  - unique: {columns: [b, a]}\n"
        "  - expression: {expr: \"k > 1 or a = 'x'\"}\n"
        "  - row_count: {max: 10}\n");
    struct data d;
    struct json_t *one, *two;
    char *s1, *s2;
    size_t split;

    (void)state;
    data_init(&d, hdr, 3, lines, ARRAY_SIZE(lines));
    one = run(r, &d, d.n, 3);
    s1 = j_dump(one, J_CANON);
    for (split = 0; split <= d.n; split++) {
        two = run(r, &d, split, 3);
        s2 = j_dump(two, J_CANON);
        if (strcmp(s1, s2) != 0)
            fail_msg("split %zu:\n%s\n%s", split, s1, s2);
        free(s2);
        j_free(two);
    }
    expect(one, "k.range", "fail", 3, 12);
    expect_samples(one, "k.range", "13:12:7;15:14:-1;16:15:9");
    free(s1);
    j_free(one);
    data_release(&d);
    rules_free(r);
}

/* ---- binding: absent and missing columns ---- */

static void test_absent(void **state)
{
    static const char *const lines[] = { "1,30", "2,40" };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: age\n"
        "    type: integer\n"
        "  - name: notes\n"
        "    type: string\n"
        "    required: false\n"
        "    checks:\n"
        "      - not_null\n"
        "checks:\n"
        "  - expression: {expr: \"notes = 'x' or age > 0\"}\n"
        "  - unique: {columns: [id, notes]}\n");
    struct data d;
    struct json_t *res;

    (void)state;
    data_init(&d, h2, 2, lines, ARRAY_SIZE(lines));
    res = run(r, &d, d.n, 5);
    assert_int_equal(j_len(res), 6);
    expect(res, "age.type", "pass", 0, 2);
    expect(res, "notes.type", "pass", 0, 0);
    expect_message(res, "notes.type", "column absent (required: false)");
    expect(res, "notes.not_null", "pass", 0, 0);
    expect_message(res, "notes.not_null", "column absent (required: false)");
    expect(res, "expression", "pass", 0, 0);
    expect(res, "unique", "pass", 0, 0);
    expect_message(res, "unique", "column absent (required: false)");
    j_free(res);
    data_release(&d);
    rules_free(r);
}

static void test_missing(void **state)
{
    static const struct {
        const char *rules;
        const char *msg;
    } cases[] = {
        { "columns:\n  - name: id\n  - name: agee\n    type: integer\n",
          "r.yml:3:11: column 'agee' not found in 't.csv' (did you mean "
          "'age'?); its columns are: id, age" },
        { "columns:\n  - name: zzz\n",
          "r.yml:2:11: column 'zzz' not found in 't.csv'; its columns are: "
          "id, age" },
        { "checks:\n  - unique: {columns: [id, ag]}\n",
          "r.yml:2:28: column 'ag' not found in 't.csv' (did you mean "
          "'age'?); its columns are: id, age" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        struct rules *r = rules_of(cases[i].rules);
        struct checker *ck = checker_bind(r, h2, 2, "t.csv", NULL, 5, &err);

        assert_null(ck);
        assert_int_equal(err.status, ASSAY_ECOLUMN);
        assert_true(err.located);
        assert_string_equal(err.msg, cases[i].msg);
        rules_free(r);
    }
}

/* The sink with no rows at all. */
static void test_empty(void **state)
{
    static const char *const lines[] = { "x" };
    struct rules *r = rules_of(
        "columns:\n"
        "  - name: age\n"
        "    type: integer\n"
        "    checks:\n"
        "      - range: {min: 0}\n"
        "      - length: {min: 1}\n"
        "      - unique\n"
        "checks:\n"
        "  - row_count: {min: 1}\n");
    struct data d;
    struct json_t *res;

    (void)state;
    data_init(&d, h2, 2, lines, 0);
    res = run(r, &d, 0, 5);
    expect(res, "field_count", "pass", 0, 0);
    expect(res, "age.range", "pass", 0, 0);
    assert_true(j_is_null(j_get(result(res, "age.range"), "observed")));
    expect(res, "age.length", "pass", 0, 0);
    expect(res, "age.unique", "pass", 0, 0);
    expect(res, "row_count", "fail", 1, 0);
    j_free(res);
    rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_pattern_limit),
        cmocka_unit_test(test_regex_fast),
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_dataset),
        cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_within),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_absent),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_empty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
