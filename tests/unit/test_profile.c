/* test_profile.c -- the per-column profile (src/profile.c): exact numbers
 * for tables of small columns, adversarial numbers with tolerances, the
 * switch to sketches, two-worker merges against one pass, and (with
 * ../shared) values of real datasets read through the scan. */
#include "testutil.h"
#include "json.h"
#include "profile.h"
#include "scan.h"
#include "util.h"

/* ---- feeding rows by hand ---- */

/* One record from a line: fields split at commas (no quoting here). */
static void feed_line(const struct scan_sink *sk, void *ws, const char *line)
{
    char *buf = xstrdup(line), *p = buf;
    const char *field[64];
    uint32_t len[64];
    struct row row;
    size_t n = 0;

    for (;;) {
        char *c = strchr(p, ',');

        field[n] = p;
        len[n] = (uint32_t)(c != NULL ? (size_t)(c - p) : strlen(p));
        n++;
        if (c == NULL)
            break;
        *c = '\0';
        p = c + 1;
    }
    memset(&row, 0, sizeof(row));
    row.nfields = n;
    row.field = field;
    row.len = len;
    sk->row(ws, &row, NULL);
    free(buf);
}

/* A one-column profile of vals (NULL-terminated), fed to one worker. */
static struct profile *one_col(const char *const *vals,
                               const struct profile_opts *po)
{
    const char *name = "c";
    struct profile *p = profile_new_cols(&name, 1, po);
    const struct scan_sink *sk = profile_sink(p);
    void *ws = sk->worker_new(sk->self, 0);
    size_t i;

    for (i = 0; vals[i] != NULL; i++)
        feed_line(sk, ws, vals[i]);
    sk->merge(sk->self, ws, 0, 0);
    return p;
}

/* ---- exact columns ---- */

#define NONUM NAN

static const struct {
    const char *vals[8];
    enum vtype type;
    uint64_t count, nulls, distinct;
    const char *min, *max;      /* min_text, max_text; NULL: none */
    double mean, stddev;        /* NAN: not numeric / undefined */
    size_t min_len, max_len;
} cases[] = {
    { { "1", "2", "3", "4" }, VT_INTEGER, 4, 0, 4, "1", "4",
      2.5, 1.2909944487358056, 1, 1 },
    { { "1.5", "2", "", "2" }, VT_NUMBER, 4, 1, 2, "1.5", "2",
      1.8333333333333333, 0.28867513459481287, 1, 3 },
    { { "true", "FALSE", "True" }, VT_BOOLEAN, 3, 0, 3, "FALSE", "true",
      NONUM, NONUM, 4, 5 },
    { { "0", "1", "1" }, VT_INTEGER, 3, 0, 2, "0", "1",
      0.6666666666666666, 0.5773502691896257, 1, 1 },
    { { "2020-01-01", "2019-12-31", "2020-02-29" }, VT_DATE, 3, 0, 3,
      "2019-12-31", "2020-02-29", NONUM, NONUM, 10, 10 },
    { { "2020-01-01T10:00:00+02:00", "2020-01-01 09:00:00.5Z" },
      VT_TIMESTAMP, 2, 0, 2, "2020-01-01T08:00:00Z",
      "2020-01-01T09:00:00.500000Z", NONUM, NONUM, 22, 25 },
    { { "2020-01-01", "2020-01-01T00:00:00" }, VT_STRING, 2, 0, 2,
      "2020-01-01", "2020-01-01T00:00:00", NONUM, NONUM, 10, 19 },
    { { "007", "123" }, VT_STRING, 2, 0, 2, "007", "123", NONUM, NONUM,
      3, 3 },
    { { "abc", "b", "h\xc3\xa9llo", "b" }, VT_STRING, 4, 0, 3, "abc",
      "h\xc3\xa9llo", NONUM, NONUM, 1, 5 },
    { { "", "" }, VT_STRING, 2, 2, 0, NULL, NULL, NONUM, NONUM, 0, 0 },
    { { "-5", "+3", "10" }, VT_INTEGER, 3, 0, 3, "-5", "10",
      2.6666666666666665, 7.505553499465135, 2, 2 },
    { { "1e3", "2.5", "-.5" }, VT_NUMBER, 3, 0, 3, "-0.5", "1000",
      334.0, 576.7748694248043, 3, 3 },
    { { "99999999999999999999", "1" }, VT_NUMBER, 2, 0, 2, "1", "1e+20",
      5e19, 7.0710678118654755e19, 1, 20 },
    { { "9007199254740993", "1" }, VT_INTEGER, 2, 0, 2, "1",
      "9007199254740993", 4503599627370497.0, 6369051672525773.0, 1, 16 },
    { { "x", "1" }, VT_STRING, 2, 0, 2, "1", "x", NONUM, NONUM, 1, 1 },
};

static void check_close_or_nan(double got, double want)
{
    if (isnan(want)) {
        assert_true(isnan(got));
        return;
    }
    assert_close(got, want, fabs(want) * 1e-14 + 1e-300);
}

static void test_exact_columns(void **state)
{
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_SIZE(cases); c++) {
        struct profile *p = one_col(cases[c].vals, NULL);
        const struct col_stats *st = profile_col(p, 0);

        print_message("case %zu\n", c);
        assert_int_equal(st->type, cases[c].type);
        assert_int_equal(st->count, cases[c].count);
        assert_int_equal(st->nulls, cases[c].nulls);
        assert_int_equal(st->distinct, cases[c].distinct);
        assert_true(st->distinct_exact);
        if (cases[c].min == NULL) {
            assert_null(st->min_text);
        } else {
            assert_string_equal(st->min_text, cases[c].min);
            assert_string_equal(st->max_text, cases[c].max);
        }
        check_close_or_nan(st->has_num ? st->mean : NAN, cases[c].mean);
        check_close_or_nan(st->has_num ? st->stddev : NAN, cases[c].stddev);
        if (cases[c].count > cases[c].nulls) {
            assert_int_equal(st->min_len, cases[c].min_len);
            assert_int_equal(st->max_len, cases[c].max_len);
        }
        profile_free(p);
    }
}

static void test_null_tokens_and_field_count(void **state)
{
    static const char *const nv[] = { "NA", "null", "a-very-long-null-token-"
                                      "of-more-than-sixty-four-bytes-just-to-"
                                      "see-it-work" };
    static const char *const vals[] = {
        "NA,x", "5,y", "7,\"\"", "null,z", "5", "1,2,3",
        "a-very-long-null-token-of-more-than-sixty-four-bytes-just-to-see-"
        "it-work,w", "NAN,v", NULL
    };
    const char *names[2] = { "a", "b" };
    struct profile_opts po = { nv, 3, 0 };
    struct profile *p = profile_new_cols(names, 2, &po);
    const struct scan_sink *sk = profile_sink(p);
    void *ws = sk->worker_new(sk->self, 0);
    const struct col_stats *a, *b;
    size_t i;

    (void)state;
    for (i = 0; vals[i] != NULL; i++)
        feed_line(sk, ws, vals[i]);
    sk->merge(sk->self, ws, 0, 0);
    assert_int_equal(profile_rows(p), 6);
    assert_int_equal(profile_skipped(p), 2);
    a = profile_col(p, 0);
    b = profile_col(p, 1);
    assert_int_equal(a->count, 6);
    assert_int_equal(a->nulls, 3);
    assert_int_equal(a->type, VT_STRING);     /* "NAN" is a string */
    assert_int_equal(a->distinct, 3);
    assert_int_equal(b->nulls, 0);            /* "\"\"" here is 2 bytes */
    profile_free(p);
}

static void test_values_top_quantiles_histogram(void **state)
{
    static const char *const v1[] = { "b", "a", "b", "c", "a", "b", "d", NULL };
    const char *v2[101];
    char nums[100][8];
    static const char *const v3[] = { "1", "2", "2", "3", "3", "3", NULL };
    struct profile_opts po = { NULL, 0, 2 };
    struct profile *p;
    const struct col_stats *st;
    size_t i;

    (void)state;
    p = one_col(v1, &po);
    st = profile_col(p, 0);
    assert_int_equal(st->nvalues, 4);         /* first appearance order */
    assert_string_equal(st->values[0], "b");
    assert_int_equal(st->value_counts[0], 3);
    assert_string_equal(st->values[3], "d");
    assert_int_equal(st->ntop, 2);            /* top_k = 2 */
    assert_string_equal(st->top_values[0], "b");
    assert_int_equal(st->top_counts[0], 3);
    assert_string_equal(st->top_values[1], "a");   /* tie: a before c */
    assert_true(st->top_exact);
    assert_int_equal(st->top_error, 0);
    assert_false(st->has_quantiles);
    assert_int_equal(st->nbins, 0);
    profile_free(p);

    for (i = 0; i < 100; i++) {             /* 100 down to 1 */
        snprintf(nums[i], sizeof(nums[i]), "%zu", 100 - i);
        v2[i] = nums[i];
    }
    v2[100] = NULL;
    p = one_col(v2, NULL);
    st = profile_col(p, 0);
    assert_true(st->has_quantiles);
    assert_true(st->quantiles_exact);
    {
        static const double want[PROFILE_NQ] = { 1, 5, 25, 50, 75, 95, 99 };

        for (i = 0; i < PROFILE_NQ; i++)
            assert_close(st->quantiles[i], want[i], 0);
    }
    assert_int_equal(st->nbins, PROFILE_BINS);
    assert_close(st->hist_edges[0], 1, 0);
    assert_close(st->hist_edges[PROFILE_BINS], 100, 0);
    {
        uint64_t sum = 0;

        for (i = 0; i < st->nbins; i++)
            sum += st->hist_counts[i];
        assert_int_equal(sum, 100);
        assert_int_equal(st->hist_counts[0], 5);   /* 1..5 < 5.95 */
        assert_int_equal(st->hist_counts[PROFILE_BINS - 1], 5);
    }
    assert_null(st->values);                  /* more than 64 distinct */
    profile_free(p);

    p = one_col(v3, NULL);                    /* one bin per integer */
    st = profile_col(p, 0);
    assert_int_equal(st->nbins, 3);
    assert_int_equal(st->hist_counts[0], 1);
    assert_int_equal(st->hist_counts[1], 2);
    assert_int_equal(st->hist_counts[2], 3);
    assert_close(st->hist_edges[3], 4, 0);
    assert_close(st->quantiles[3], 2, 0);    /* p50: ceil(3) -> 2 */
    profile_free(p);
}

/* ---- adversarial numbers ---- */

/* Values generated by index; n values; expected mean and stddev with
 * an absolute tolerance. */
static double gen_value(int kind, size_t i)
{
    static const double three[] = { 1e16, 1, -1e16 };

    switch (kind) {
    case 0: return three[i];
    case 1: return 1e9 + 1 + (double)i;
    case 2: return 0.1;
    case 3: return 1e9 + 0.5 * (double)i;           /* distinct: sketches */
    case 4: return (i % 2 ? 1e12 : -1e12) + (double)(i % 7);
    default: return (double)i * 1e-150;             /* tiny (squares of
                                                       values below 1e-154
                                                       underflow) */
    }
}

static void test_adversarial_numbers(void **state)
{
    static const struct {
        int kind;
        size_t n;
        double mean, stddev, tol;
    } nc[] = {
        { 0, 3, 1.0 / 3, 1e16, 1e-15 },
        { 1, 3, 1e9 + 2, 1, 1e-7 },
        { 2, 1000, 0.1, 0, 1e-15 },
        { 3, 100000, 1e9 + 24999.75, 14433.82889834387, 1e-5 },
        { 4, 50000, 2.99994, 1000010000150.0026, 1e-3 },
        { 5, 20000, 9.9995e-147, 5.77364702765938e-147, 1e-158 },
    };
    size_t c, i;

    (void)state;
    for (c = 0; c < ARRAY_SIZE(nc); c++) {
        const char *name = "x";
        struct profile *p = profile_new_cols(&name, 1, NULL);
        const struct scan_sink *sk = profile_sink(p);
        void *ws = sk->worker_new(sk->self, 0);
        const struct col_stats *st;
        char buf[64];

        for (i = 0; i < nc[c].n; i++) {
            snprintf(buf, sizeof(buf), "%.17g", gen_value(nc[c].kind, i));
            feed_line(sk, ws, buf);
        }
        sk->merge(sk->self, ws, 0, 0);
        st = profile_col(p, 0);
        print_message("numeric case %zu\n", c);
        assert_true(st->has_num);
        assert_close(st->mean, nc[c].mean, nc[c].tol);
        assert_close(st->stddev, nc[c].stddev,
                     nc[c].kind == 0 ? 1e3 : nc[c].tol);
        if (nc[c].kind == 3) {
            assert_false(st->distinct_exact);
            assert_close(st->min, 1e9, 0);
            assert_close(st->max, 1e9 + 49999.5, 0);
        }
        profile_free(p);
    }
}

/* The profile's own fast integer and decimal parsers must give exactly
 * what types.c gives (rules use types.c). */
static void test_parsers_agree_with_types(void **state)
{
    const char *name = "x";
    struct profile *p = profile_new_cols(&name, 1, NULL);
    const struct scan_sink *sk = profile_sink(p);
    void *ws = sk->worker_new(sk->self, 0);
    const struct col_stats *st;
    double lo = INFINITY, hi = -INFINITY, v;
    size_t i;
    char buf[64];

    (void)state;
    srand(7);
    for (i = 0; i < 5000; i++) {
        int n = snprintf(buf, sizeof(buf), "%s%d.%0*d", rand() % 2 ? "-" : "",
                         rand() % 1000000, rand() % 9 + 1, rand() % 1000000);

        assert_true(parse_number(buf, (size_t)n, &v));
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        feed_line(sk, ws, buf);
    }
    sk->merge(sk->self, ws, 0, 0);
    st = profile_col(p, 0);
    assert_int_equal(st->type, VT_NUMBER);
    assert_close(st->min, lo, 0);               /* bit for bit */
    assert_close(st->max, hi, 0);
    profile_free(p);
    {
        static const char *const odd[] = {
            "123456789012345678", "-1234567890123456.7", "0.1", "5.",
            ".25", "+7", NULL
        };

        p = one_col(odd, NULL);
        st = profile_col(p, 0);
        assert_int_equal(st->type, VT_NUMBER);
        assert_close(st->min, -1234567890123456.7, 0);
        assert_close(st->max, 123456789012345678.0, 0);
        assert_close(st->quantiles[3], 0.25, 0);  /* p50 of 6: 3rd */
        profile_free(p);
    }
}

/* ---- the sketch phase ---- */

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static void test_sketch_phase(void **state)
{
    const char *names[3] = { "id", "cat", "ts" };
    struct profile *p = profile_new_cols(names, 3, NULL);
    const struct scan_sink *sk = profile_sink(p);
    void *ws = sk->worker_new(sk->self, 0);
    const struct col_stats *id, *cat, *ts;
    size_t n = 200000, i, k;
    char line[128];

    (void)state;
    for (i = 0; i < n; i++) {
        /* id: a permutation of 1..n; cat: "a" 30%, "b" 20%, else unique;
         * ts: distinct timestamps */
        uint64_t r = mix(i) % 10, id_v = (i * 7919) % n + 1;
        char cat_v[32];

        if (r < 3)
            snprintf(cat_v, sizeof(cat_v), "a");
        else if (r < 5)
            snprintf(cat_v, sizeof(cat_v), "b");
        else
            snprintf(cat_v, sizeof(cat_v), "u%zu", i);
        snprintf(line, sizeof(line), "%llu,%s,2020-01-%02uT%02u:%02u:%02u",
                 (unsigned long long)id_v, cat_v, (unsigned)(i % 28) + 1,
                 (unsigned)(i / 3600) % 24, (unsigned)(i / 60) % 60,
                 (unsigned)i % 60);
        feed_line(sk, ws, line);
    }
    sk->merge(sk->self, ws, 0, 0);
    id = profile_col(p, 0);
    cat = profile_col(p, 1);
    ts = profile_col(p, 2);

    assert_int_equal(id->type, VT_INTEGER);
    assert_false(id->distinct_exact);
    assert_close(id->distinct_error, 0.008125, 1e-12);
    assert_close((double)id->distinct / n, 1, 3 * 0.008125);
    assert_int_equal(id->imin, 1);
    assert_int_equal(id->imax, (int64_t)n);
    assert_close(id->mean, (n + 1) / 2.0, 1e-9);
    assert_close(id->stddev, sqrt((double)n * (n + 1) / 12.0), 1e-6);
    assert_true(id->quantile_rank_error > 0);
    for (k = 0; k < PROFILE_NQ; k++) {
        /* the value's rank is itself: within the stated rank error */
        double rank = id->quantiles[k] / n;

        assert_close(rank, profile_q[k], id->quantile_rank_error);
    }
    assert_false(id->hist_exact);
    {
        uint64_t sum = 0;

        for (k = 0; k < id->nbins; k++) {
            sum += id->hist_counts[k];
            assert_close((double)id->hist_counts[k], n / 20.0,
                         id->quantile_rank_error * n * 2);
        }
        assert_close((double)sum, (double)n, 0);
    }

    assert_int_equal(cat->type, VT_STRING);
    assert_false(cat->top_exact);
    assert_string_equal(cat->top_values[0], "a");
    assert_string_equal(cat->top_values[1], "b");
    {
        uint64_t a = 0;

        for (i = 0; i < n; i++)
            a += mix(i) % 10 < 3;
        assert_true(cat->top_counts[0] <= a);
        assert_true(a - cat->top_counts[0] <= cat->top_error);
        assert_true((double)cat->top_error <= n / 1025.0);
    }
    assert_string_equal(cat->min_text, "a");
    assert_int_equal(cat->min_len, 1);
    assert_int_equal(cat->max_len, 7);        /* "u199999" */

    assert_int_equal(ts->type, VT_TIMESTAMP);
    assert_string_equal(ts->min_text, "2020-01-01T00:00:00Z");
    assert_int_equal(ts->min_len, 19);
    profile_free(p);
}

/* ---- two workers merged == one pass ---- */

static void make_line(size_t i, char *line, size_t cap)
{
    static const char *const cats[] = { "red", "green", "", "blue" };
    uint64_t r = mix(i);

    snprintf(line, cap, "%zu,%s,%.2f,%s,2021-%02u-%02u,%llu,%s",
             i * 13 % 50021, cats[r % 4], (double)(r % 100000) / 100.0 - 3,
             r % 97 == 0 ? "" : (r % 5 ? "x" : "yy"),
             (unsigned)(r >> 8) % 12 + 1, (unsigned)(r >> 16) % 28 + 1,
             (unsigned long long)(r >> 20) % 1000,
             i % 1000 == 999 ? "oops" : "1");
}

static void compare_stats(const struct col_stats *a, const struct col_stats *b)
{
    size_t k;

    assert_int_equal(a->type, b->type);
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->nulls, b->nulls);
    assert_int_equal(a->distinct, b->distinct);   /* HLL merge lossless */
    assert_int_equal(a->distinct_exact, b->distinct_exact);
    assert_int_equal(a->min_len, b->min_len);
    assert_int_equal(a->max_len, b->max_len);
    if (a->min_text != NULL) {
        assert_string_equal(a->min_text, b->min_text);
        assert_string_equal(a->max_text, b->max_text);
    }
    assert_int_equal(a->has_num, b->has_num);
    if (a->has_num) {
        assert_close(a->min, b->min, 0);
        assert_close(a->max, b->max, 0);
        assert_close(a->mean, b->mean, fabs(a->mean) * 1e-12);
        assert_close(a->stddev, b->stddev, fabs(a->stddev) * 1e-12);
        if (a->quantiles_exact && b->quantiles_exact)
            for (k = 0; k < PROFILE_NQ; k++)
                assert_close(a->quantiles[k], b->quantiles[k], 0);
    }
    if (a->top_exact && b->top_exact) {
        assert_int_equal(a->ntop, b->ntop);
        for (k = 0; k < a->ntop; k++) {
            assert_string_equal(a->top_values[k], b->top_values[k]);
            assert_int_equal(a->top_counts[k], b->top_counts[k]);
        }
    }
    assert_int_equal(a->nvalues, b->nvalues);
    for (k = 0; k < a->nvalues; k++) {
        assert_string_equal(a->values[k], b->values[k]);
        assert_int_equal(a->value_counts[k], b->value_counts[k]);
    }
}

static void test_merge_equals_one_pass(void **state)
{
    static const char *const names[] = { "id", "cat", "amount", "flag",
                                         "day", "small", "maybe_int" };
    const size_t ncols = ARRAY_SIZE(names);
    const size_t sizes[] = { 1000, 60000 };
    size_t s, i, c, split;
    char line[256];

    (void)state;
    for (s = 0; s < ARRAY_SIZE(sizes); s++) {
        size_t n = sizes[s];
        size_t splits[] = { 0, 1, n / 3, n / 2, n - 1, n };
        struct profile *one = profile_new_cols(names, ncols, NULL);
        const struct scan_sink *sk = profile_sink(one);
        void *ws = sk->worker_new(sk->self, 0);

        for (i = 0; i < n; i++) {
            make_line(i, line, sizeof(line));
            feed_line(sk, ws, line);
        }
        sk->merge(sk->self, ws, 0, 0);
        for (split = 0; split < ARRAY_SIZE(splits); split++) {
            struct profile *two = profile_new_cols(names, ncols, NULL);
            const struct scan_sink *s2 = profile_sink(two);
            void *w0 = s2->worker_new(s2->self, 0);
            void *w1 = s2->worker_new(s2->self, 1);

            for (i = 0; i < n; i++) {
                make_line(i, line, sizeof(line));
                feed_line(s2, i < splits[split] ? w0 : w1, line);
            }
            s2->merge(s2->self, w0, 0, 0);
            s2->merge(s2->self, w1, splits[split], 0);
            for (c = 0; c < ncols; c++)
                compare_stats(profile_col(one, c), profile_col(two, c));
            profile_free(two);
        }
        if (n == 60000) {                       /* some columns sketched */
            assert_false(profile_col(one, 0)->distinct_exact);
            assert_int_equal(profile_col(one, 6)->type, VT_STRING);
            assert_int_equal(profile_col(one, 2)->type, VT_NUMBER);
        }
        profile_free(one);
    }
}

/* Past the exact phase, top values keep at most 1 KiB of text each. */
static void test_long_values(void **state)
{
    const char *name = "t";
    struct profile *p = profile_new_cols(&name, 1, NULL);
    const struct scan_sink *sk = profile_sink(p);
    void *ws = sk->worker_new(sk->self, 0);
    const struct col_stats *st;
    char *v = xmalloc(5001);
    size_t i;

    (void)state;
    memset(v, 'x', 5000);
    v[5000] = '\0';
    for (i = 0; i < 400; i++) {          /* 400 x 5000 bytes > 1 MiB */
        snprintf(v, 5000, "%04zu", i % 300);
        v[4] = 'x';
        feed_line(sk, ws, v);
    }
    sk->merge(sk->self, ws, 0, 0);
    st = profile_col(p, 0);
    assert_false(st->distinct_exact);       /* the text cap was hit */
    assert_int_equal(st->min_len, 5000);
    assert_int_equal(st->max_len, 5000);
    assert_true(st->ntop > 0);
    assert_int_equal(st->top_counts[0], 2);
    assert_int_equal(st->top_lens[0], 1024);
    assert_true(st->top_cut[0]);
    assert_int_equal(strlen(st->min_text), 5000);
    free(v);
    profile_free(p);
}

static void test_json_shape(void **state)
{
    static const char *const vals[] = { "3", "1", "", "2", NULL };
    struct profile *p = one_col(vals, NULL);
    struct json_t *j = profile_json(p), *cols, *c, *q;

    (void)state;
    cols = j_get(j, "columns");
    assert_int_equal(j_len(cols), 1);
    c = j_at(cols, 0);
    assert_string_equal(j_string(j_get(c, "name")), "c");
    assert_string_equal(j_string(j_get(c, "type")), "integer");
    assert_int_equal(j_integer(j_get(c, "count")), 4);
    assert_int_equal(j_integer(j_get(c, "nulls")), 1);
    assert_int_equal(j_integer(j_get(c, "distinct")), 3);
    assert_int_equal(j_integer(j_get(c, "min")), 1);
    assert_int_equal(j_integer(j_get(c, "max")), 3);
    assert_close(j_number(j_get(c, "mean")), 2, 0);
    assert_close(j_number(j_get(c, "stddev")), 1, 0);
    q = j_get(c, "quantiles");
    assert_int_equal(j_integer(j_get(q, "p50")), 2);
    assert_true(j_is_true(j_get(c, "distinct_exact")));
    assert_true(j_is_array(j_get(c, "top")));
    assert_int_equal(j_len(j_get(c, "top")), 3);
    assert_true(j_is_object(j_get(c, "histogram")));
    j_free(j);
    profile_free(p);
}

/* ---- real data through the scan (needs ../shared) ---- */

static struct profile *scan_profile(const char *rel, struct scan **sp)
{
    char path[4096];
    const char *dir = shared_dir();
    struct scan_opts so = SCAN_OPTS_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct scan *s;
    struct profile *p;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    s = scan_open(path, &so, &err);
    if (s == NULL)
        fail_msg("%s", err.msg);
    p = profile_new(s, NULL);
    scan_add_sink(s, profile_sink(p));
    if (scan_run(s, &err) < 0)
        fail_msg("%s", err.msg);
    *sp = s;
    return p;
}

static const struct col_stats *col_named(struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < profile_ncols(p); i++)
        if (strcmp(profile_col(p, i)->name, name) == 0)
            return profile_col(p, i);
    fail_msg("no column %s", name);
    return NULL;
}

static void test_adult(void **state)
{
    struct scan *s;
    struct profile *p;
    const struct col_stats *age, *sex, *fnl, *inc;
    size_t i;

    (void)state;
    if (shared_dir() == NULL)
        skip();
    p = scan_profile("datasets/adult/adult.csv", &s);
    assert_int_equal(profile_rows(p), 32561);
    age = col_named(p, "age");
    assert_int_equal(age->type, VT_INTEGER);
    assert_int_equal(age->imin, 17);
    assert_int_equal(age->imax, 90);
    assert_int_equal(age->distinct, 73);
    assert_close(age->mean, 38.58164675532078, 1e-12);
    assert_close(age->stddev, 13.640432553581341, 1e-12);
    {
        static const double want[PROFILE_NQ] = { 17, 19, 28, 37, 48, 63, 74 };

        for (i = 0; i < PROFILE_NQ; i++)
            assert_close(age->quantiles[i], want[i], 0);
    }
    sex = col_named(p, "sex");
    assert_int_equal(sex->type, VT_STRING);
    assert_int_equal(sex->distinct, 2);
    assert_true(sex->distinct_exact);
    assert_string_equal(sex->top_values[0], "Male");
    assert_int_equal(sex->top_counts[0], 21790);
    assert_string_equal(sex->top_values[1], "Female");
    assert_int_equal(sex->top_counts[1], 10771);
    /* fnlwgt has 21,648 distinct values: past the exact cap */
    fnl = col_named(p, "fnlwgt");
    assert_false(fnl->distinct_exact);
    assert_close(fnl->distinct / 21648.0, 1, 3 * 0.008125);
    assert_int_equal(fnl->imin, 12285);
    assert_int_equal(fnl->imax, 1484705);
    assert_close(fnl->mean, 189778.36651208502, 1e-6);
    assert_close(fnl->stddev, 105549.97769702224, 1e-6);
    inc = col_named(p, "income");
    assert_int_equal(inc->nvalues, 2);
    profile_free(p);
    scan_free(s);
}

static void test_german_credit(void **state)
{
    struct scan *s;
    struct profile *p;

    (void)state;
    if (shared_dir() == NULL)
        skip();
    p = scan_profile("datasets/german_credit/german_credit.csv", &s);
    assert_int_equal(profile_rows(p), 1000);
    assert_int_equal(profile_ncols(p), 21);
    assert_int_equal(col_named(p, "duration")->type, VT_INTEGER);
    assert_int_equal(col_named(p, "checking_status")->distinct, 4);
    assert_int_equal(col_named(p, "credit_risk")->nulls, 0);
    profile_free(p);
    scan_free(s);
}

static void test_fmt_time(void **state)
{
    char out[48];

    (void)state;
    profile_fmt_time(0, 1, out, sizeof(out));
    assert_string_equal(out, "1970-01-01");
    profile_fmt_time(-1, 0, out, sizeof(out));
    assert_string_equal(out, "1969-12-31T23:59:59.999999Z");
    profile_fmt_time(951782400000000LL, 1, out, sizeof(out));
    assert_string_equal(out, "2000-02-29");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_columns),
        cmocka_unit_test(test_null_tokens_and_field_count),
        cmocka_unit_test(test_values_top_quantiles_histogram),
        cmocka_unit_test(test_adversarial_numbers),
        cmocka_unit_test(test_parsers_agree_with_types),
        cmocka_unit_test(test_sketch_phase),
        cmocka_unit_test(test_merge_equals_one_pass),
        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_fmt_time),
        cmocka_unit_test(test_adult),
        cmocka_unit_test(test_german_credit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
