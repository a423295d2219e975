/* test_stats.c -- unit tests for stats.c: intervals, the two-proportion
 * test and numpy-exact summation.  Expected values were computed with
 * numpy 1.24 / scipy 1.10 (norm.ppf, norm.sf) from the same formulas. */
#include "testutil.h"
#include "stats.h"

static void test_normal(void **state)
{
    (void)state;
    assert_close(stats_z_crit(0.95), 1.959963984540054, 1e-14);
    assert_close(stats_normal_quantile(0.5), 0.0, 1e-15);
    assert_close(stats_normal_q(0.0), 0.5, 1e-15);
    assert_close(stats_normal_q(1.959963984540054), 0.025, 1e-15);
}

static void test_wilson(void **state)
{
    static const struct {
        uint64_t k, n;
        double lo, hi;
    } cases[] = {
        { 1, 10, 0.017876213095072868, 0.4041500267952385 },
        { 0, 10, 0.0, 0.2775327998628892 },
        { 10, 10, 0.7224672001371107, 1.0 },
        { 7841, 32561, 0.23619609998138033, 0.24548416487284755 },
        { 6662, 21790, 0.2996540241112505, 0.31188761181390545 },
        { 1179, 10771, 0.10370298604510676, 0.11549666230676768 },
    };
    size_t i;
    double lo, hi;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(stats_wilson(cases[i].k, cases[i].n, 0.95, &lo,
                                      &hi), 0);
        assert_close(lo, cases[i].lo, 1e-13);
        assert_close(hi, cases[i].hi, 1e-13);
        assert_true(lo <= (double)cases[i].k / (double)cases[i].n);
        assert_true(hi >= (double)cases[i].k / (double)cases[i].n);
    }
    assert_int_equal(stats_wilson(0, 0, 0.95, &lo, &hi), -1);
    assert_int_equal(stats_wilson(3, 2, 0.95, &lo, &hi), -1);
}

static void test_newcombe_katz(void **state)
{
    double lo, hi;

    (void)state;
    assert_int_equal(stats_newcombe(6662, 21790, 1179, 10771, 0.95, &lo,
                                    &hi), 0);
    assert_close(lo, 0.1877067621539862, 1e-13);
    assert_close(hi, 0.2047012607214161, 1e-13);
    assert_int_equal(stats_newcombe(5, 9, 2, 5, 0.95, &lo, &hi), 0);
    assert_close(lo, -0.3133050090855608, 1e-13);
    assert_close(hi, 0.5364795525756052, 1e-13);
    assert_int_equal(stats_newcombe(1, 0, 2, 5, 0.95, &lo, &hi), -1);

    assert_int_equal(stats_katz(2, 5, 5, 9, 0.95, &lo, &hi), 0);
    assert_close(lo, 0.21208749997458762, 1e-13);
    assert_close(hi, 2.444274179582082, 1e-12);
    assert_int_equal(stats_katz(1179, 10771, 6662, 21790, 0.95, &lo, &hi),
                     0);
    assert_close(lo, 0.3380296744270178, 1e-13);
    assert_close(hi, 0.3791979100580718, 1e-13);
    assert_int_equal(stats_katz(0, 5, 5, 9, 0.95, &lo, &hi), -1);
    assert_int_equal(stats_katz(2, 5, 0, 9, 0.95, &lo, &hi), -1);
}

static void test_two_prop(void **state)
{
    (void)state;
    assert_close(stats_two_prop_p(5, 9, 2, 5), 0.5769991622487407, 1e-13);
    assert_close(stats_two_prop_p(30, 100, 45, 100), 0.02845973691631055,
                 1e-14);
    assert_true(stats_two_prop_p(6662, 21790, 1179, 10771) < 1e-300);
    assert_close(stats_two_prop_p(0, 10, 0, 20), 1.0, 0);
    assert_close(stats_two_prop_p(10, 10, 20, 20), 1.0, 0);
    assert_close(stats_two_prop_p(1, 0, 2, 5), -1.0, 0);
}

/* a[i] is exact in both C and numpy: an int ratio scaled by 2^k. */
static void test_sum_numpy(void **state)
{
    static const struct {
        size_t n;
        double want;            /* float(np.sum(a)), bit-exact */
        double naive;           /* Python's sum(a): plain left-to-right */
    } cases[] = {
        { 0, 0x0.0p+0, 0.0 },
        { 1, -0x1.f400000000000p-12, -0.000476837158203125 },
        { 7, -0x1.0c6d6c54e0d0ep-12, -0.00025599234987101836 },
        { 8, -0x1.38e160d51b132p-11, -0.0005967719722668517 },
        { 9, -0x1.48a88b2e0b35cp-10, -0.001253732199539579 },
        { 15, 0x1.239f7014f0708p-2, 0.2847878945141109 },
        { 16, 0x1.988bbed9dcbf4p-2, 0.3989705868218032 },
        { 17, 0x1.7622efb6772fdp+0, 1.4614705868218032 },
        { 100, 0x1.7c4fc49fbe111p+23, 12462050.311996968 },
        { 128, -0x1.1c1243abc2bfep+22, -4654224.917735099 },
        { 129, -0x1.1c1243ab63d40p+22, -4654224.9173730025 },
        { 200, -0x1.ca75cf2b4a9b8p+22, -7511411.792276795 },
        { 1037, -0x1.17cc68267fd85p+28, -293389954.40621185 },
        { 5000, -0x1.5f59123e7b2a4p+28, -368415011.9050692 },
    };
    double *a = malloc(5000 * sizeof(double));
    size_t c, i;

    (void)state;
    assert_non_null(a);
    for (i = 0; i < 5000; i++)
        a[i] = ldexp((double)((long)((i * 7919) % 1000) - 500) /
                     (double)(1 + (i * 31) % 97), (int)(i % 40) - 20);
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
        assert_close(stats_sum(a, cases[c].n), cases[c].want, 0);
    free(a);
}

/* The k-d tree must agree with brute force, ties (integer coordinates on
 * a small grid: many equal distances) going to the lower index. */
static unsigned long lcg_state = 12345;

static unsigned lcg(unsigned m)
{
    lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((lcg_state >> 33) % m);
}

static unsigned char brute(const double *t, const unsigned char *y,
                           size_t nt, size_t dim, const double *q,
                           unsigned k)
{
    unsigned char *used = calloc(nt, 1);
    unsigned j, pos = 0;
    size_t i, d, best;
    double bd, d2, diff;

    for (j = 0; j < k; j++) {
        best = nt;
        bd = 0;
        for (i = 0; i < nt; i++) {
            if (used[i])
                continue;
            d2 = 0;
            for (d = 0; d < dim; d++) {
                diff = q[d] - t[i * dim + d];
                d2 += diff * diff;
            }
            if (best == nt || d2 < bd) {
                best = i;
                bd = d2;
            }
        }
        used[best] = 1;
        pos += y[best];
    }
    free(used);
    return 2 * pos > k;
}

static void test_knn(void **state)
{
    static const struct {
        size_t nt, nq, dim;
        unsigned k, grid;
    } cases[] = {
        { 5, 4, 2, 1, 1000 }, { 9, 30, 3, 1, 4 }, { 10, 50, 1, 5, 3 },
        { 200, 300, 2, 5, 5 }, { 1000, 500, 3, 5, 4 },
        { 3000, 200, 4, 5, 1000 }, { 500, 100, 2, 5, 1 },
    };
    size_t c, i;

    (void)state;
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t nt = cases[c].nt, nq = cases[c].nq, dim = cases[c].dim;
        double *t = malloc(nt * dim * sizeof(double));
        double *q = malloc(nq * dim * sizeof(double));
        unsigned char *y = malloc(nt), *out = malloc(nq);

        for (i = 0; i < nt * dim; i++)
            t[i] = (double)lcg(cases[c].grid);
        for (i = 0; i < nt; i++)
            y[i] = (unsigned char)lcg(2);
        for (i = 0; i < nq * dim; i++)
            q[i] = (double)lcg(cases[c].grid) + 0.5 * (double)lcg(2);
        stats_knn(t, y, nt, dim, q, nq, cases[c].k, out);
        for (i = 0; i < nq; i++)
            assert_int_equal(out[i], brute(t, y, nt, dim, q + i * dim,
                                           cases[c].k));
        free(t);
        free(q);
        free(y);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_newcombe_katz),
        cmocka_unit_test(test_two_prop),
        cmocka_unit_test(test_sum_numpy),
        cmocka_unit_test(test_knn),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
