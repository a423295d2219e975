/* test_sketch.c -- HyperLogLog, distinct sets, the exact value map,
 * Misra-Gries and KLL (src/sketch.c): stated error bounds on large and
 * adversarial inputs, exactness while small, merges. */
#include "testutil.h"
#include "hash.h"
#include "sketch.h"
#include "util.h"

static uint64_t key(uint64_t i)
{
    return hash64(&i, sizeof(i));
}

/* ---- HyperLogLog ---- */

static void test_hll_error(void **state)
{
    /* Within 3 standard errors (2.44% at p = 14) at every size, and
     * much closer in the small range. */
    static const struct { uint64_t n; double tol; } cases[] = {
        { 1, 0.0 }, { 10, 0.0 }, { 100, 0.01 }, { 1000, 0.01 },
        { 10000, 0.0244 }, { 40000, 0.0244 }, { 100000, 0.0244 },
        { 1000000, 0.0244 },
    };
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_SIZE(cases); c++) {
        struct hll h;
        uint64_t i;
        double est;

        hll_init(&h, HLL_P);
        for (i = 0; i < cases[c].n; i++)
            hll_add(&h, key(i));
        for (i = 0; i < cases[c].n; i += 7)   /* repeats change nothing */
            hll_add(&h, key(i));
        est = hll_estimate(&h);
        if (cases[c].tol == 0)
            assert_close(est, (double)cases[c].n, 0.5);
        else
            assert_close(est / (double)cases[c].n, 1.0, cases[c].tol);
        hll_release(&h);
    }
    assert_close(hll_stderr(14), 0.008125, 1e-12);
}

static void test_hll_empty_merge_serialize(void **state)
{
    struct hll a, b, one, back, p12;
    struct buf sb = BUF_INIT;
    uint64_t i;

    (void)state;
    hll_init(&a, HLL_P);
    hll_init(&b, HLL_P);
    hll_init(&one, HLL_P);
    hll_init(&p12, 12);
    assert_close(hll_estimate(&a), 0, 0);
    for (i = 0; i < 300000; i++) {
        hll_add(i < 200000 ? &a : &b, key(i));
        hll_add(&one, key(i));
    }
    assert_int_equal(hll_merge(&a, &b), 0);
    /* merge is lossless: the registers of the union, bit for bit */
    assert_memory_equal(a.reg, one.reg, (size_t)1 << HLL_P);
    assert_int_equal(hll_merge(&a, &p12), -1);
    hll_serialize(&a, &sb);
    assert_int_equal(sb.len, ((size_t)1 << HLL_P) + 1);
    assert_int_equal(hll_deserialize(&back, sb.data, sb.len), 0);
    assert_memory_equal(back.reg, a.reg, (size_t)1 << HLL_P);
    hll_release(&back);
    assert_int_equal(hll_deserialize(&back, sb.data, sb.len - 1), -1);
    sb.data[1] = 60;            /* a register out of range */
    assert_int_equal(hll_deserialize(&back, sb.data, sb.len), -1);
    buf_release(&sb);
    hll_release(&a);
    hll_release(&b);
    hll_release(&one);
    hll_release(&p12);
}

/* ---- distinct set ---- */

static void test_dset(void **state)
{
    struct dset a, b;
    uint64_t i;

    (void)state;
    dset_init(&a, 4096);
    dset_init(&b, 4096);
    dset_add(&a, 0);            /* hash 0 is a value like any other */
    for (i = 1; i < 3000; i++) {
        dset_add(&a, key(i));
        dset_add(&a, key(i));
    }
    assert_true(a.exact);
    assert_int_equal(dset_count(&a), 3000);
    for (i = 2000; i < 4000; i++)
        dset_add(&b, key(i));
    dset_merge(&a, &b);         /* 3000 + 1000 new = 4000: still exact */
    assert_true(a.exact);
    assert_int_equal(dset_count(&a), 4000);
    for (i = 4000; i < 100000; i++)
        dset_add(&a, key(i));
    assert_false(a.exact);
    assert_close(dset_count(&a) / 100000.0, 1.0, 0.0244);
    dset_release(&a);
    dset_release(&b);
}

/* ---- exact value map ---- */

static void test_vmap(void **state)
{
    static const char *const words[] = { "b", "a", "b", "", "c", "a", "b" };
    struct vmap a, b;
    struct vmap_slot *e;
    size_t i;

    (void)state;
    vmap_init(&a);
    vmap_init(&b);
    for (i = 0; i < ARRAY_SIZE(words); i++) {
        uint64_t h = hash64(words[i], strlen(words[i]));

        e = vmap_find(&a, h);
        if (e != NULL)
            e->count++;
        else
            vmap_insert(&a, h, words[i], strlen(words[i]), 1);
    }
    assert_int_equal(a.n, 4);   /* b a "" c, first-appearance order */
    assert_string_equal(vmap_text(&a, 0), "b");
    assert_int_equal(vmap_count(&a, 0), 3);
    assert_string_equal(vmap_text(&a, 2), "");
    assert_int_equal(vmap_count(&a, 3), 1);
    for (i = 0; i < 1000; i++) {
        char s[16];
        int n = snprintf(s, sizeof(s), "v%zu", i);

        vmap_insert(&b, hash64(s, (size_t)n), s, (size_t)n, i + 1);
    }
    vmap_insert(&b, hash64("a", 1), "a", 1, 5);
    vmap_merge(&a, &b);
    assert_int_equal(a.n, 1004);
    assert_int_equal(vmap_find(&a, hash64("a", 1))->count, 7);
    assert_string_equal(vmap_text(&a, 4), "v0");
    assert_int_equal(vmap_find(&a, hash64("v999", 4))->count, 1000);
    vmap_release(&a);
    vmap_release(&b);
}

/* ---- Misra-Gries ---- */

/* Feed a skewed stream: value v appears about n / (v + 1)^1.2 times, in
 * a scrambled order, plus a long tail of singletons. */
static uint64_t *mg_stream(size_t n)
{
    uint64_t *s = xmalloc(n * sizeof(uint64_t));
    size_t i;

    for (i = 0; i < n; i++) {
        uint64_t r = key(i) >> 11;
        double u = (double)r / (double)(1ULL << 53);

        /* inverse of a Pareto-like tail: small values are frequent */
        s[i] = (uint64_t)(pow(u, -1.0 / 0.8)) - 1;
        if (s[i] > 1000000)
            s[i] = 1000000 + i;  /* singletons */
    }
    return s;
}

static void mg_check(const struct mg *m, const uint64_t *s, size_t from,
                     size_t to)
{
    /* Count exactly the values below 5000 and compare. */
    uint64_t *truth = xcalloc(5000, sizeof(uint64_t));
    double bound = (double)(to - from) / (m->k + 1.0);
    size_t i;

    for (i = from; i < to; i++)
        if (s[i] < 5000)
            truth[s[i]]++;
    assert_true((double)m->decr <= bound);
    for (i = 0; i < 5000; i++) {
        const struct mg_item *it = mg_find(m, key(i));
        uint64_t est = it != NULL ? it->count : 0;

        assert_true(est <= truth[i]);
        assert_true(truth[i] - est <= m->decr);
        if ((double)truth[i] > bound)
            assert_non_null(it);
    }
    free(truth);
}

static void test_mg_guarantee(void **state)
{
    size_t n = 400000, i;
    uint64_t *s = mg_stream(n);
    struct mg one, a, b;
    uint32_t top[10];
    int isnew;

    (void)state;
    mg_init(&one, 256);
    mg_init(&a, 256);
    mg_init(&b, 256);
    for (i = 0; i < n; i++) {
        uint64_t h = key(s[i]);

        mg_add(&one, h, "x", 1, 1, &isnew);
        mg_add(i < n / 3 ? &a : &b, h, "x", 1, 1, &isnew);
    }
    assert_int_equal(one.total, n);
    assert_true(one.decr > 0);
    mg_check(&one, s, 0, n);
    mg_merge(&a, &b);
    assert_int_equal(a.total, n);
    mg_check(&a, s, 0, n);
    /* the heaviest value is value 0, then 1 */
    assert_int_equal(mg_top(&one, 10, top), 10);
    assert_true(one.it[top[0]].hash == key(0));
    assert_true(one.it[top[1]].hash == key(1));
    assert_true(one.it[top[0]].count >= one.it[top[9]].count);
    assert_close(mg_bound(&one), n / 257.0, 1e-9);
    mg_release(&one);
    mg_release(&a);
    mg_release(&b);
    free(s);
}

static void test_mg_exact_and_text(void **state)
{
    struct mg m, m2;
    struct mg_item *it;
    uint32_t top[3];
    char s[32];
    int i, n, isnew;

    (void)state;
    mg_init(&m, 16);
    mg_init(&m2, 16);
    /* 32 distinct values fit in the 2k slots: counts are exact */
    for (i = 0; i < 3200; i++) {
        n = snprintf(s, sizeof(s), "value-%d", i % 32);
        it = mg_add(&m, hash64(s, (size_t)n), s, (size_t)n, 1, &isnew);
        if (isnew)
            it->aux[0] = (uint64_t)(i % 32);
    }
    assert_int_equal(m.decr, 0);
    assert_int_equal(m.n, 32);
    it = mg_find(&m, hash64("value-7", 7));
    assert_non_null(it);
    assert_int_equal(it->count, 100);
    assert_int_equal(it->aux[0], 7);
    assert_memory_equal(m.text + it->off, "value-7", 7);
    /* one more distinct value forces a purge: texts stay with items */
    it = mg_add(&m, hash64("late", 4), "late", 4, 500, &isnew);
    assert_int_equal(isnew, 1);
    assert_int_equal(m.decr, 100);
    assert_int_equal(mg_top(&m, 3, top), 1);
    assert_memory_equal(m.text + m.it[top[0]].off, "late", 4);
    assert_int_equal(m.it[top[0]].count, 500);
    /* merge carries texts and aux */
    mg_add(&m2, hash64("late", 4), "late", 4, 1, &isnew);
    mg_merge(&m2, &m);
    assert_int_equal(mg_find(&m2, hash64("late", 4))->count, 501);
    assert_int_equal(m2.decr, 100);
    assert_int_equal(m2.total, m.total + 1);
    /* serialization round trip, and a truncated input refused */
    {
        struct buf b1 = BUF_INIT, b2 = BUF_INIT;
        struct mg back;

        mg_serialize(&m2, &b1);
        assert_int_equal(mg_deserialize(&back, b1.data, b1.len), 0);
        assert_int_equal(back.n, m2.n);
        assert_int_equal(back.total, m2.total);
        assert_int_equal(back.decr, m2.decr);
        assert_int_equal(mg_find(&back, hash64("late", 4))->count, 501);
        mg_serialize(&back, &b2);
        assert_int_equal(b1.len, b2.len);
        assert_memory_equal(b1.data, b2.data, b1.len);
        mg_release(&back);
        assert_int_equal(mg_deserialize(&back, b1.data, b1.len - 1), -1);
        buf_release(&b1);
        buf_release(&b2);
    }
    mg_release(&m);
    mg_release(&m2);
}

/* ---- sorting ---- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static void test_sort_doubles(void **state)
{
    size_t sizes[] = { 0, 1, 2, 3, 24, 25, 100, 1000, 5000 };
    size_t s, i, n;
    int kind;

    (void)state;
    for (s = 0; s < ARRAY_SIZE(sizes); s++) {
        for (kind = 0; kind < 6; kind++) {
            double *a, *b;

            n = sizes[s];
            a = xmalloc((n + 1) * sizeof(double));
            b = xmalloc((n + 1) * sizeof(double));
            for (i = 0; i < n; i++) {
                switch (kind) {
                case 0: a[i] = (double)(key(i) % 1000); break;
                case 1: a[i] = (double)i; break;
                case 2: a[i] = -(double)i; break;
                case 3: a[i] = 4.0; break;
                case 4: a[i] = 1.0 + (double)(key(i) % 1000) * 2.2e-16;
                    break;          /* near-equal: the radix fallback */
                default: a[i] = (double)(key(i) % 3) - 1.5; break;
                }
                b[i] = a[i];
            }
            sort_doubles(a, n);
            qsort(b, n, sizeof(double), cmp_d);
            if (n > 0)
                assert_memory_equal(a, b, n * sizeof(double));
            free(a);
            free(b);
        }
    }
}

static void test_quantile_rank(void **state)
{
    static const struct { double q; uint64_t n, want; } cases[] = {
        { 0.5, 7, 4 }, { 0.5, 8, 4 }, { 0.07, 100, 7 }, { 0.29, 100, 29 },
        { 0.01, 5, 1 }, { 0, 5, 1 }, { 1, 5, 5 }, { 0.99, 1, 1 },
        { 0.25, 4, 1 }, { 0.75, 4, 3 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++)
        assert_int_equal(quantile_rank(cases[i].q, cases[i].n),
                         cases[i].want);
}

/* ---- KLL ---- */

static const double qs[] = { 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95,
                             0.99 };

/* Data orders for the rank-error test; value(i) of n. */
static double order_value(int kind, size_t i, size_t n)
{
    switch (kind) {
    case 0: return (double)i;                        /* sorted */
    case 1: return (double)(n - i);                  /* reversed */
    case 2: return 42.0;                             /* all equal */
    case 3: return (double)(key(i) % 1000003);       /* random */
    case 4: return (double)(i % 2 ? i : n - i);      /* zig-zag */
    default: return (double)(key(i) % 7);            /* few values */
    }
}

/* For each quantile, the returned value's true rank interval
 * [#values < v, #values <= v] must come within eps n of q n. */
static void kll_check(const struct kll *s, const double *sorted, size_t n,
                      double eps)
{
    double out[ARRAY_SIZE(qs)];
    size_t i;

    kll_quantiles(s, qs, ARRAY_SIZE(qs), out);
    for (i = 0; i < ARRAY_SIZE(qs); i++) {
        const double *lo = sorted, *hi = sorted;
        size_t a = 0, b = n, m;
        double want = qs[i] * (double)n, rlo, rhi;

        while (a < b) {             /* first index with value >= out */
            m = (a + b) / 2;
            if (lo[m] < out[i]) a = m + 1; else b = m;
        }
        rlo = (double)a;
        a = 0;
        b = n;
        while (a < b) {             /* first index with value > out */
            m = (a + b) / 2;
            if (hi[m] <= out[i]) a = m + 1; else b = m;
        }
        rhi = (double)a;
        if (!(want >= rlo - eps * n && want <= rhi + eps * n)) {
            print_error("q=%g value %g rank [%g, %g] want %g eps %g\n",
                        qs[i], out[i], rlo, rhi, want, eps);
            fail();
        }
    }
}

static void test_kll_rank_error(void **state)
{
    size_t n = 1000000, i;
    double eps = kll_rank_error_k(KLL_K);
    int kind;

    (void)state;
    assert_close(eps, 0.0133, 0.0002);
    for (kind = 0; kind < 6; kind++) {
        struct kll s, a, b;
        double *v = xmalloc(n * sizeof(double));

        kll_init(&s, KLL_K, 1);
        kll_init(&a, KLL_K, 2);
        kll_init(&b, KLL_K, 3);
        for (i = 0; i < n; i++) {
            v[i] = order_value(kind, i, n);
            kll_add(&s, v[i]);
            kll_add(i % 3 ? &a : &b, v[i]);   /* interleaved halves */
        }
        assert_int_equal(s.n, n);
        assert_true(s.compacted);
        assert_true(s.retained < 2000);       /* memory is bounded */
        assert_true(s.sw > 1);                /* the sampler is on */
        /* the stated error: compaction plus sampler, the latter within
         * a third of the former */
        assert_true(kll_rank_error(&s) > eps);
        assert_true(kll_rank_error(&s) <= eps * 4 / 3);
        sort_doubles(v, n);
        kll_check(&s, v, n, kll_rank_error(&s));
        kll_merge(&a, &b);
        assert_int_equal(a.n, n);
        kll_check(&a, v, n, kll_rank_error(&a));
        assert_close(s.min, v[0], 0);
        assert_close(s.max, v[n - 1], 0);
        kll_release(&s);
        kll_release(&a);
        kll_release(&b);
        free(v);
    }
}

static void test_kll_exact_small(void **state)
{
    static const double v[] = { 5, 1, 4, 1, 3, 9, 2, 6 };
    double out[ARRAY_SIZE(qs)], r[3], x[3] = { 1, 4, 100 };
    struct kll s;
    size_t i;

    (void)state;
    kll_init(&s, KLL_K, 7);
    kll_quantiles(&s, qs, 1, out);
    assert_true(isnan(out[0]));
    kll_add_many(&s, v, ARRAY_SIZE(v));
    assert_false(s.compacted);
    assert_close(kll_rank_error(&s), 0, 0);
    kll_quantiles(&s, qs, ARRAY_SIZE(qs), out);
    /* sorted: 1 1 2 3 4 5 6 9; nearest rank ceil(q 8) */
    {
        static const double want[] = { 1, 1, 1, 1, 3, 5, 9, 9, 9 };

        for (i = 0; i < ARRAY_SIZE(qs); i++)
            assert_close(out[i], want[i], 0);
    }
    kll_ranks(&s, x, 3, 1, r);
    assert_close(r[0], 2, 0);
    assert_close(r[1], 5, 0);
    assert_close(r[2], 8, 0);
    kll_ranks(&s, x, 3, 0, r);
    assert_close(r[0], 0, 0);
    assert_close(r[1], 4, 0);
    kll_release(&s);
}

static void test_kll_weighted_and_serialize(void **state)
{
    struct kll s, t, back;
    struct buf b1 = BUF_INIT, b2 = BUF_INIT;
    double out[ARRAY_SIZE(qs)];
    size_t i;

    (void)state;
    /* weights are exact: 1 x 1000000, 2 x 3, 3 x 1 */
    kll_init(&s, KLL_K, 9);
    kll_add_weighted(&s, 1, 1000000);
    kll_add_weighted(&s, 2, 3);
    kll_add_weighted(&s, 3, 1);
    assert_int_equal(s.n, 1000004);
    assert_false(s.compacted);
    kll_quantiles(&s, qs, ARRAY_SIZE(qs), out);
    for (i = 0; i < ARRAY_SIZE(qs); i++)
        assert_close(out[i], 1, 0);
    /* determinism: the same input twice gives the same bytes */
    kll_init(&t, KLL_K, 9);
    kll_release(&s);
    kll_init(&s, KLL_K, 9);
    for (i = 0; i < 100000; i++) {
        kll_add(&s, (double)(key(i) % 1000));
        kll_add(&t, (double)(key(i) % 1000));
    }
    kll_serialize(&s, &b1);
    kll_serialize(&t, &b2);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);
    assert_int_equal(kll_deserialize(&back, b1.data, b1.len), 0);
    assert_int_equal(back.n, s.n);
    assert_int_equal(back.retained, s.retained);
    buf_reset(&b2);
    kll_serialize(&back, &b2);
    assert_memory_equal(b1.data, b2.data, b1.len);
    kll_release(&back);
    assert_int_equal(kll_deserialize(&back, b1.data, b1.len - 8), -1);
    kll_release(&s);
    kll_release(&t);
    buf_release(&b1);
    buf_release(&b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hll_error),
        cmocka_unit_test(test_hll_empty_merge_serialize),
        cmocka_unit_test(test_dset),
        cmocka_unit_test(test_vmap),
        cmocka_unit_test(test_mg_guarantee),
        cmocka_unit_test(test_mg_exact_and_text),
        cmocka_unit_test(test_sort_doubles),
        cmocka_unit_test(test_quantile_rank),
        cmocka_unit_test(test_kll_rank_error),
        cmocka_unit_test(test_kll_exact_small),
        cmocka_unit_test(test_kll_weighted_and_serialize),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
