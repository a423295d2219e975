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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int64),
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_bool_utf8),
    };

    return cmocka_run_group_tests_name("types", tests, NULL, NULL);
}
