/* test_types.c -- the one definition of "parses as" (types.c). */
#include "testutil.h"
#include "types.h"

static void test_int64(void **state)
{
    static const struct { const char *s; int ok; int64_t v; } cases[] = {
        { "0", 1, 0 }, { "42", 1, 42 }, { "-7", 1, -7 }, { "+7", 1, 7 },
        { "007", 1, 7 }, { "9223372036854775807", 1, INT64_MAX },
        { "-9223372036854775808", 1, INT64_MIN },
        { "9223372036854775808", 0, 0 }, { "", 0, 0 }, { "-", 0, 0 },
        { "1.0", 0, 0 }, { " 1", 0, 0 }, { "1 ", 0, 0 }, { "1e3", 0, 0 },
        { "two", 0, 0 }, { "7OO", 0, 0 }, { "CUST-0001", 0, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = 0;
        int ok = parse_int64(cases[i].s, strlen(cases[i].s), &v);

        assert_int_equal(ok, cases[i].ok);
        if (ok)
            assert_true(v == cases[i].v);
    }
}

static void test_number(void **state)
{
    static const struct { const char *s; int ok; double v; } cases[] = {
        { "0", 1, 0 }, { "1.5", 1, 1.5 }, { "-2.25", 1, -2.25 },
        { ".5", 1, 0.5 }, { "5.", 1, 5.0 }, { "1e3", 1, 1000 },
        { "1E-2", 1, 0.01 }, { "52341.17", 1, 52341.17 },
        { "0.1", 1, 0.1 }, { "123456789012345678901234", 1,
          123456789012345678901234.0 }, { "1e400", 0, 0 },
        { "2.2250738585072014e-308", 1, 2.2250738585072014e-308 },
        { "inf", 0, 0 }, { "nan", 0, 0 }, { "0x10", 0, 0 }, { "", 0, 0 },
        { ".", 0, 0 }, { "1.2.3", 0, 0 }, { "12k", 0, 0 }, { "e5", 0, 0 },
        { "1e", 0, 0 }, { " 1", 0, 0 }, { "$52,000", 0, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v = -1;
        int ok = parse_number(cases[i].s, strlen(cases[i].s), &v);

        assert_int_equal(ok, cases[i].ok);
        if (ok)
            assert_close(v, cases[i].v, 0);     /* bit-exact vs compiler */
    }
}

static void test_dates(void **state)
{
    static const struct { const char *s; int ok; int64_t days; } d[] = {
        { "1970-01-01", 1, 0 }, { "2000-02-29", 1, 11016 },
        { "2019-02-29", 0, 0 }, { "2019-02-30", 0, 0 },
        { "2021-13-45", 0, 0 }, { "2021/03/04", 0, 0 },
        { "03/04/2021", 0, 0 }, { "20210304", 0, 0 }, { "2021-3-4", 0, 0 },
        { "0000-00-00", 0, 0 }, { "not a date", 0, 0 },
        { "1969-12-31", 1, -1 },
    };
    static const struct { const char *s; int ok; int64_t sec; } ts[] = {
        { "1970-01-01T00:00:00", 1, 0 }, { "1970-01-01 00:00:01", 1, 1 },
        { "1970-01-01T01:00:00+01:00", 1, 0 },
        { "1970-01-01T00:00:00-01:30", 1, 5400 },
        { "1970-01-01T00:00:00Z", 1, 0 }, { "2021-03-04 25:61:00", 0, 0 },
        { "2021-03-04T12:00", 0, 0 }, { "yesterday", 0, 0 },
        { "2021-02-30T10:00:00", 0, 0 }, { "1614855600", 0, 0 },
        { "2021-03-04T10:00:00+25:00", 0, 0 }, { "2021-03-04", 0, 0 },
        { "2021-03-04T10:00:00.", 0, 0 },
    };
    size_t i;
    int64_t us;

    (void)state;
    for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
        int ok = parse_date(d[i].s, strlen(d[i].s), &us);

        assert_int_equal(ok, d[i].ok);
        if (ok)
            assert_true(us == d[i].days * 86400000000LL);
    }
    for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
        int ok = parse_timestamp(ts[i].s, strlen(ts[i].s), &us);

        assert_int_equal(ok, ts[i].ok);
        if (ok)
            assert_true(us == ts[i].sec * 1000000LL);
    }
    assert_true(parse_timestamp("1970-01-01T00:00:00.25Z", 23, &us));
    assert_true(us == 250000);
}

/* Well-formed UTF-8 (RFC 3629), including after the 8-byte ASCII run. */
static void test_utf8_valid(void **state)
{
    static const struct { const char *s; size_t n; int ok; } t[] = {
        { "", 0, 1 }, { "abc", 3, 1 }, { "\xC3\xA9", 2, 1 },
        { "\xE2\x82\xAC", 3, 1 }, { "\xF0\x9D\x84\x9E", 4, 1 },
        { "abcdefghijklmnop\xC3\xA9xyz", 21, 1 },
        { "\xEF\xBF\xBF", 3, 1 }, { "\xF4\x8F\xBF\xBF", 4, 1 },
        { "\xC0\xAF", 2, 0 },                 /* overlong '/' */
        { "\xC1\xBF", 2, 0 },                 /* overlong */
        { "\xE0\x80\xAF", 3, 0 },             /* overlong */
        { "\xF0\x80\x80\xAF", 4, 0 },         /* overlong */
        { "\xED\xA0\x80", 3, 0 },             /* surrogate */
        { "\xF4\x90\x80\x80", 4, 0 },         /* above U+10FFFF */
        { "\xF5\x80\x80\x80", 4, 0 },
        { "\xC3", 1, 0 }, { "\xE2\x82", 2, 0 }, /* truncated */
        { "\x80", 1, 0 }, { "\xFF", 1, 0 },      /* stray bytes */
        { "abcdefgh\xFF", 9, 0 }, { "abcdefghijklmnop\xC3(", 18, 0 },
        { "\xC3\xA9\xA9", 3, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (utf8_valid(t[i].s, t[i].n) != t[i].ok)
            fail_msg("utf8_valid case %zu: want %d", i, t[i].ok);
}

static void test_bool_utf8(void **state)
{
    int b;

    (void)state;
    assert_true(parse_bool("TRUE", 4, &b) && b == 1);
    assert_true(parse_bool("0", 1, &b) && b == 0);
    assert_false(parse_bool("Y", 1, &b));
    assert_false(parse_bool("maybe", 5, &b));
    assert_int_equal(utf8_chars("caf\xc3\xa9", 5), 4);
    assert_int_equal(utf8_chars("\xe2\x80\x94", 3), 1);
    assert_int_equal(utf8_chars("\xff\xfe", 2), 2);
    assert_int_equal(vtype_from_name("timestamp"), VT_TIMESTAMP);
    assert_int_equal(vtype_from_name("int"), -1);
}

/* parse_number must give strtod's double bit for bit: random literals
 * around the fast path's edges (15-20 significant digits, mantissas near
 * 2^53, exponents near +-22). */
static void test_number_vs_strtod(void **state)
{
    static const char *const fixed[] = {
        "9007199254740992", "9007199254740993", "9007199254740993e-5",
        "1234567890123456789", "12345678901234567890", "0.1e23",
        "123456789012345678e-22", "9999999999999999999e22", "1e-22",
        "4.9406564584124654e-324", "-0.0", "0e500", "1.7976931348623157e308",
    };
    char buf[64];
    size_t i;
    double a, b;

    (void)state;
    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        assert_true(parse_number(fixed[i], strlen(fixed[i]), &a));
        b = strtod(fixed[i], NULL);
        assert_memory_equal(&a, &b, sizeof(a));
    }
    srand(11);
    for (i = 0; i < 200000; i++) {
        int nd = rand() % 20 + 1, dot = rand() % (nd + 1), e = rand() % 60 - 30;
        int k, n = 0;

        if (rand() % 2)
            buf[n++] = '-';
        for (k = 0; k < nd; k++) {
            if (k == dot && k > 0)
                buf[n++] = '.';
            buf[n++] = (char)('0' + (k == 0 ? rand() % 9 + 1 : rand() % 10));
        }
        if (rand() % 3 == 0)
            n += snprintf(buf + n, sizeof(buf) - (size_t)n, "e%d", e);
        buf[n] = '\0';
        assert_true(parse_number(buf, (size_t)n, &a));
        b = strtod(buf, NULL);
        if (memcmp(&a, &b, sizeof(a)) != 0)
            fail_msg("'%s': %.17g, strtod %.17g", buf, a, b);
    }
}

/* Type inference: the mask is the intersection of what each value parses
 * as; leading zeros make identifiers. */
static void test_narrow(void **state)
{
    static const struct { const char *v; unsigned mask; } c[] = {
        { "1", VT_M_INT | VT_M_NUM | VT_M_BOOL }, { "42", VT_M_INT | VT_M_NUM },
        { "-3.5", VT_M_NUM }, { "007", 0 }, { "true", VT_M_BOOL },
        { "2021-01-02", VT_M_DATE }, { "2021-01-02T03:04:05Z", VT_M_TS },
        { "NA", 0 }, { "1e3", VT_M_NUM }, { "0.5", VT_M_NUM },
    };
    size_t i;
    int64_t iv;
    double dv;

    (void)state;
    for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
        assert_int_equal(vtype_narrow(VT_M_ALL, c[i].v, strlen(c[i].v), &iv,
                                      &dv), c[i].mask);
    assert_int_equal(vtype_narrow(VT_M_INT | VT_M_NUM, "2.5", 3, &iv, &dv),
                     VT_M_NUM);
    /* an integer's double is the one parse_number() gives, -0 too (the
     * profile shares it as the value's number) */
    assert_int_equal(vtype_narrow(VT_M_INT | VT_M_NUM, "-0", 2, &iv, &dv),
                     VT_M_INT | VT_M_NUM);
    assert_int_equal(iv, 0);
    assert_true(dv == 0 && signbit(dv));
    assert_int_equal(vtype_narrow(VT_M_INT | VT_M_NUM, "0", 1, &iv, &dv),
                     VT_M_INT | VT_M_NUM);
    assert_true(dv == 0 && !signbit(dv));
    assert_int_equal(vtype_of_mask(VT_M_ALL), VT_STRING);
    assert_int_equal(vtype_of_mask(0), VT_STRING);
    assert_int_equal(vtype_of_mask(VT_M_INT | VT_M_NUM), VT_INTEGER);
    assert_int_equal(vtype_of_mask(VT_M_NUM | VT_M_BOOL), VT_NUMBER);
    assert_int_equal(vtype_of_mask(VT_M_DATE), VT_DATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int64),
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_bool_utf8),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_number_vs_strtod),
        cmocka_unit_test(test_narrow),
    };

    return cmocka_run_group_tests_name("types", tests, NULL, NULL);
}
