/* test_dedup.c -- repeats by sorting, and the order-independent digest
 * (dedup.c). */
#include "testutil.h"
#include "crypto.h"
#include "dedup.h"
#include "hash.h"

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

/* ---- the digest and the repeats computed the plain way ---- */

struct tkey {
    uint64_t hi;
    uint32_t lo;
};

static int tkey_cmp(const void *a, const void *b)
{
    const struct tkey *x = a, *y = b;

    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Value i of a data set: n distinct values, or (heavy) mostly one. */
static int tvalue(char *s, size_t cap, size_t i, int heavy)
{
    if (heavy && i % 10 != 0)
        return snprintf(s, cap, "the same");
    return snprintf(s, cap, "v%zu", i % 7 == 3 ? i - 1 : i);
}

/* n values over three parts (and a part of extra keys: in the digest,
 * not compared) through dedup, against sorting the keys here. */
static void check_against_plain(size_t n, size_t nextra, int heavy,
                                int wide)
{
    struct dedup d;
    struct dedup_part part[3], extra;
    struct tkey *k = calloc(n + nextra + 1, sizeof(*k));
    struct sha256 *sha = sha256_new();
    unsigned char md[32], le[12];
    char s[32], want[65], got[65];
    size_t i, j, repeats = 0;
    uint64_t total = n + nextra;

    assert_non_null(k);
    dedup_init(&d, wide);
    for (j = 0; j < 3; j++)
        dedup_part_init(&part[j], wide);
    dedup_part_init(&extra, wide);
    for (i = 0; i < n + nextra; i++) {
        int len = i < n ? tvalue(s, sizeof(s), i, heavy)
                        : snprintf(s, sizeof(s), "extra%zu", i % 5);
        uint64_t h[2];

        dedup_part_add(i < n ? &part[i % 3] : &extra, s, (size_t)len);
        hash128(s, (size_t)len, h);
        k[i].hi = h[1];
        k[i].lo = wide ? (uint32_t)h[0] : 0;
    }
    for (j = 0; j < 3; j++)
        dedup_merge(&d, &part[j]);
    dedup_finish_with(&d, &extra, got);
    /* plain: sort every key; repeats among the non-extra ones */
    qsort(k, n, sizeof(*k), tkey_cmp);
    for (i = 1; i < n; i++)
        repeats += tkey_cmp(&k[i], &k[i - 1]) == 0;
    qsort(k, n + nextra, sizeof(*k), tkey_cmp);
    sha256_update(sha, "assay-rows-v1", 14);
    for (i = 0; i < 8; i++)
        le[i] = (unsigned char)(total >> (8 * i));
    sha256_update(sha, le, 8);
    for (i = 0; i < n + nextra; i++) {
        for (j = 0; j < 8; j++)
            le[j] = (unsigned char)(k[i].hi >> (8 * j));
        for (j = 0; j < 4; j++)
            le[8 + j] = (unsigned char)(k[i].lo >> (8 * j));
        sha256_update(sha, le, wide ? 12 : 8);
    }
    sha256_final(sha, md);
    hex_encode(md, 32, want);
    assert_string_equal(got, want);
    assert_int_equal(d.count, n);
    assert_int_equal(d.repeats, repeats);
    dedup_release(&d);
    free(k);
}

/* Spread keys, a heavy repeat, extra keys, tiny and empty sets: the
 * merge gives the plain digest and counts. */
static void test_merges_agree(void **state)
{
    int wide;

    (void)state;
    for (wide = 0; wide <= 1; wide++) {
        check_against_plain(300000, 0, 0, wide);
        check_against_plain(300000, 1234, 0, wide);
        check_against_plain(200000, 77, 1, wide);
        check_against_plain(10, 3, 0, wide);
        check_against_plain(0, 0, 0, wide);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeats),
        cmocka_unit_test(test_digest_order_independent),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_merges_agree),
    };

    return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
