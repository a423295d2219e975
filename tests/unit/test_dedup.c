/* test_dedup.c -- repeats by sorting, and the order-independent digest
 * (dedup.c). */
#include "testutil.h"
#include "dedup.h"

static void add_all(struct dedup *d, const char *const *v, size_t n,
                    int wide, size_t split)
{
    struct dedup_part a, b;
    size_t i;

    dedup_part_init(&a, wide);
    dedup_part_init(&b, wide);
    for (i = 0; i < n; i++)
        dedup_part_add(i < split ? &a : &b, v[i], strlen(v[i]));
    dedup_merge(d, &a);
    dedup_merge(d, &b);
}

static void test_repeats(void **state)
{
    static const char *const v[] = { "a", "b", "a", "c", "b", "a" };
    struct dedup d;
    char dig[65];

    (void)state;
    dedup_init(&d, 1);
    add_all(&d, v, 6, 1, 3);
    dedup_finish(&d, dig);
    assert_int_equal(d.count, 6);
    assert_int_equal(d.repeats, 3);     /* a twice more, b once more */
    assert_int_equal(d.nrep, 2);
    assert_true(dedup_is_repeated(&d, "a", 1));
    assert_true(dedup_is_repeated(&d, "b", 1));
    assert_false(dedup_is_repeated(&d, "c", 1));
    assert_false(dedup_is_repeated(&d, "zz", 2));
    assert_int_equal(strlen(dig), 64);
    dedup_release(&d);
}

static void test_digest_order_independent(void **state)
{
    static const char *const v1[] = { "x", "y", "z", "y" };
    static const char *const v2[] = { "y", "z", "y", "x" };
    static const char *const v3[] = { "y", "z", "y", "X" };
    struct dedup d;
    char a[65], b[65], c[65];

    (void)state;
    dedup_init(&d, 1);
    add_all(&d, v1, 4, 1, 2);
    dedup_finish(&d, a);
    dedup_release(&d);
    dedup_init(&d, 1);
    add_all(&d, v2, 4, 1, 1);
    dedup_finish(&d, b);
    dedup_release(&d);
    dedup_init(&d, 1);
    add_all(&d, v3, 4, 1, 4);
    dedup_finish(&d, c);
    dedup_release(&d);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

/* Many keys: the radix path, in both widths; every 7th value repeats. */
static void test_many(void **state)
{
    enum { N = 200000 };
    int wide;

    (void)state;
    for (wide = 0; wide <= 1; wide++) {
        struct dedup d;
        struct dedup_part p;
        char s[32];
        size_t i, expect = 0;

        dedup_init(&d, wide);
        dedup_part_init(&p, wide);
        for (i = 0; i < N; i++) {
            size_t v = (i % 7 == 0 && i > 0) ? i - 1 : i;
            int n = snprintf(s, sizeof(s), "v%zu", v);

            if (v != i)
                expect++;
            dedup_part_add(&p, s, (size_t)n);
        }
        dedup_merge(&d, &p);
        dedup_finish(&d, NULL);
        assert_int_equal(d.repeats, expect);
        assert_true(dedup_is_repeated(&d, "v6", 2));
        assert_false(dedup_is_repeated(&d, "v1", 2));
        dedup_release(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeats),
        cmocka_unit_test(test_digest_order_independent),
        cmocka_unit_test(test_many),
    };

    return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
