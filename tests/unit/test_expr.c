/* test_expr.c -- the expression language (rules/expr.c): tables of
 * expressions over one record with their expected value (true, false or
 * SQL null), and compile errors with their offsets. */
#include "testutil.h"
#include "rules/rules_int.h"

enum { T = 1, F = 0, N = -1 };

/* The columns: name, declared type (-1: none), and the record's text
 * (NULL: a null field). */
static const struct {
    const char *name;
    int type;
    const char *text;
} cols[] = {
    { "i", VT_INTEGER, "5" },
    { "j", VT_INTEGER, "-3" },
    { "x", VT_NUMBER, "2.5" },
    { "s", VT_STRING, "abc" },
    { "t", VT_STRING, "abd" },
    { "b", VT_BOOLEAN, "TRUE" },
    { "d", VT_DATE, "2020-01-15" },
    { "ts", VT_TIMESTAMP, "2020-01-15T12:00:00+02:00" },
    { "first name", VT_STRING, "Ann" },
    { "date", VT_STRING, "2021-05-01" },
    { "n", VT_INTEGER, NULL },          /* null */
    { "bx", VT_NUMBER, "abc" },         /* does not parse */
    { "u", -1, "x" },                   /* untyped */
    { "big", VT_INTEGER, "9007199254740993" },
    { "e", VT_STRING, "" },
};

static const char *names[ARRAY_SIZE(cols)];
static int types[ARRAY_SIZE(cols)];
static struct colval row[ARRAY_SIZE(cols)];

static int setup(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cols); i++) {
        struct colval *cv = &row[i];

        names[i] = cols[i].name;
        types[i] = cols[i].type;
        memset(cv, 0, sizeof(*cv));
        if (cols[i].text == NULL || cols[i].text[0] == '\0') {
            cv->state = CV_NULL;
            cv->p = "";
            continue;
        }
        cv->p = cols[i].text;
        cv->n = (uint32_t)strlen(cols[i].text);
        cv->state = parse_as(cols[i].type < 0 ? VT_STRING : cols[i].type,
                             cv->p, cv->n, &cv->v) ? CV_OK : CV_BAD;
    }
    return 0;
}

static struct expr *compile(const char *text, struct expr_error *e)
{
    return expr_compile(text, strlen(text), names, types, ARRAY_SIZE(cols),
                        e);
}

static const struct {
    const char *text;
    int want;
} cases[] = {
    /* comparisons */
    { "i = 5", T }, { "i == 5", T }, { "i != 5", F }, { "i <> 4", T },
    { "i < 6", T }, { "i <= 5", T }, { "i > 5", F }, { "i >= 5", T },
    { "i = 5.0", T }, { "i = '5'", T }, { "5 = i", T },
    /* arithmetic */
    { "i + j = 2", T }, { "i - j = 8", T }, { "i * j = -15", T },
    { "i / 2 = 2.5", T }, { "i % 3 = 2", T }, { "j % 2 = -1", T },
    { "-i = -5", T }, { "- - i = 5", T }, { "+i = 5", T },
    { "1 + 2 * 3 = 7", T }, { "(1 + 2) * 3 = 9", T }, { "7 - 2 - 1 = 4", T },
    { "x * 2 = i", T }, { "x > 2", T }, { "x % 1 = 0.5", T },
    { "i / 0 = 1", N }, { "i % 0 = 1", N }, { "x / 0 > 0", N },
    { "9223372036854775807 + 1 > 0", T },
    { "big > 9007199254740992", T }, { "big = 9007199254740992", F },
    { "abs(j) = 3", T }, { "abs(-2.5) = 2.5", T }, { "length(s) = 3", T },
    { "length(first name) = 3", -2 },   /* a compile error, see below */
    /* strings */
    { "s = 'abc'", T }, { "s < t", T }, { "s = 'ab'", F }, { "s > 'ab'", T },
    { "s = 'it''s'", F }, { "'it''s' = 'it''s'", T }, { "s <> t", T },
    { "\"first name\" = 'Ann'", T }, { "`first name` = 'Ann'", T },
    { "s = i", N },                     /* 'abc' is not a number */
    { "e = ''", N }, { "e is null", T },
    /* booleans and logic */
    { "b", T }, { "not b", F }, { "!b", F }, { "b = true", T },
    { "b = 'true'", T }, { "b and i > 1", T }, { "b && i = 5", T },
    { "!b || i = 5", T }, { "not i = 4", T }, { "false or false", F },
    { "i IS NOT NULL AND b", T }, { "TRUE", T },
    /* dates and timestamps: chronological, a date is midnight UTC */
    { "d = date '2020-01-15'", T }, { "d < '2020-02-01'", T },
    { "d = '2020-01-15T00:00:00Z'", T }, { "ts > d", T }, { "d >= ts", F },
    { "ts = timestamp '2020-01-15T10:00:00Z'", T },
    { "ts = '2020-01-15 10:00:00'", T },
    { "ts < timestamp '2020-01-15T11:00:00+00:30'", T },
    { "date < '2022-01-01'", T },       /* string column named date */
    { "date > d", T },                  /* string parsed as a date */
    /* three-valued logic */
    { "n > 1", N }, { "n > 1 or i = 5", T }, { "i = 5 or n > 1", T },
    { "n > 1 and i = 5", N }, { "n > 1 and i = 4", F },
    { "i = 4 and n > 1", F }, { "not (n > 1)", N }, { "n is null", T },
    { "n is not null", F }, { "n = null", N }, { "null is null", T },
    { "n + 1 > 0", N }, { "bx > 0", N }, { "bx is null", T },
    { "n in (1, 2)", N }, { "i in (1, n)", N }, { "i in (5, n)", T },
    /* in / between */
    { "i in (1, 5, 7)", T }, { "i not in (1, 2)", T }, { "i in (1)", F },
    { "s in ('x', 'abc')", T }, { "i between 1 and 5", T },
    { "i between 6 and 9", F }, { "i not between 1 and 4", T },
    { "d between '2020-01-01' and '2020-12-31'", T },
};

static void test_values(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct expr_error e;
        struct expr *x = compile(cases[i].text, &e);
        int got;

        if (cases[i].want == -2) {
            assert_null(x);
            continue;
        }
        if (x == NULL)
            fail_msg("'%s': %s at %zu", cases[i].text, e.msg, e.off);
        got = expr_eval(x, row);
        if (got != cases[i].want)
            fail_msg("'%s': got %d, want %d", cases[i].text, got,
                     cases[i].want);
        expr_free(x);
    }
}

static const struct {
    const char *text;
    size_t off;
    const char *msg;
} errors[] = {
    { "", 0, "empty expression" },
    { "   ", 0, "empty expression" },
    { "i >", 3, "expected an operand, found the end of the expression" },
    { "i > > 1", 4, "expected an operand, found '>'" },
    { "i = 'abc", 4, "unterminated string" },
    { "\"first name = 1", 0, "unterminated quoted name" },
    { "zz > 1", 0, "unknown column 'zz' in expression" },
    { "i > 1 and ii > 1", 10,
      "unknown column 'ii' in expression (did you mean 'i'?)" },
    { "u > 1", 0, "column 'u' has no type: expressions may name only "
      "columns declared with a type" },
    { "s + 1 > 0", 2, "'+' needs numbers, not a string and a number" },
    { "i and b", 0, "'and' needs true/false operands, not a number" },
    { "b or s", 5, "'or' needs true/false operands, not a string" },
    { "not i", 4, "'not' needs true/false operands, not a number" },
    { "-s = 1", 0, "unary '-' needs a number, not a string" },
    { "i > 1 1", 6, "unexpected '1' after the expression" },
    { "d > 'xyz'", 4, "'xyz' is not a valid date or timestamp" },
    { "i = 'x'", 4, "'x' is not a number" },
    { "b = 'maybe'", 4, "'maybe' is not true or false" },
    { "d = i", 2, "cannot compare a date/time with a number" },
    { "b < 1", 2, "cannot compare a boolean with a number" },
    { "i + 1", 0, "the expression is a number; a check needs a condition "
      "(true or false)" },
    { "s", 0, "the expression is a string; a check needs a condition "
      "(true or false)" },
    { "i @ 1", 2, "unexpected character '@'" },
    { "date 'x' = d", 5, "'x' is not a valid date (YYYY-MM-DD)" },
    { "(i > 1", 6, "expected ')' to close the '(' at offset 1" },
    { "i is 1", 5, "expected 'null' after 'is'" },
    { "i not like 1", 6, "expected 'in' or 'between' after 'not'" },
    { "i in 1", 5, "expected '(' after 'in'" },
    { "i in (1 2)", 8, "expected ',' or ')' in the 'in' list" },
    { "i between 1 or 2", 12, "expected 'and' in 'between'" },
    { "12ab > 1", 0, "bad number '12a'" },
    { "abs(s) > 1", 4, "abs() needs a number, not a string" },
    { "length(i) > 1", 7, "length() needs a string, not a number" },
    { "length(first name) > 1", 7,
      "unknown column 'first' in expression (did you mean 'first name'?)" },
    { "length(\"first name\" > 1", 23, "expected ')'" },
};

static void test_errors(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(errors); i++) {
        struct expr_error e;
        struct expr *x = compile(errors[i].text, &e);

        if (x != NULL)
            fail_msg("'%s' compiled", errors[i].text);
        if (strcmp(e.msg, errors[i].msg) != 0 || e.off != errors[i].off)
            fail_msg("'%s':\n got %zu: %s\nwant %zu: %s", errors[i].text,
                     e.off, e.msg, errors[i].off, errors[i].msg);
    }
}

static void test_nesting(void **state)
{
    struct buf b = BUF_INIT;
    struct expr_error e;
    struct expr *x;
    int i;

    (void)state;
    for (i = 0; i < 100; i++)
        buf_addc(&b, '(');
    buf_adds(&b, "i = 5");
    for (i = 0; i < 100; i++)
        buf_addc(&b, ')');
    x = compile(buf_cstr(&b), &e);
    assert_non_null(x);
    assert_int_equal(expr_eval(x, row), 1);
    expr_free(x);
    buf_reset(&b);
    for (i = 0; i < 5000; i++)
        buf_addc(&b, '(');
    x = compile(buf_cstr(&b), &e);
    assert_null(x);
    assert_string_equal(e.msg, "expression is nested too deeply");
    /* long and/or chains and in-lists are balanced trees: fine */
    buf_reset(&b);
    buf_adds(&b, "i in (");
    for (i = 0; i < 20000; i++)
        buf_printf(&b, "%d, ", i + 100);
    buf_adds(&b, "5)");
    x = compile(buf_cstr(&b), &e);
    assert_non_null(x);
    assert_int_equal(expr_eval(x, row), 1);
    expr_free(x);
    buf_reset(&b);
    for (i = 0; i < 20000; i++)
        buf_printf(&b, "i = %d or ", i + 100);
    buf_adds(&b, "n > 0");
    x = compile(buf_cstr(&b), &e);
    assert_non_null(x);
    assert_int_equal(expr_eval(x, row), -1);
    expr_free(x);
    buf_reset(&b);
    for (i = 0; i < 20000; i++)
        buf_printf(&b, "i > %d and ", i - 100000);
    buf_adds(&b, "b");
    x = compile(buf_cstr(&b), &e);
    assert_non_null(x);
    assert_int_equal(expr_eval(x, row), 1);
    expr_free(x);
    /* a long sum is a deep tree: refused, not a stack overflow later */
    buf_reset(&b);
    buf_adds(&b, "i");
    for (i = 0; i < 2000; i++)
        buf_adds(&b, " + 1");
    buf_adds(&b, " > 0");
    x = compile(buf_cstr(&b), &e);
    assert_null(x);
    assert_string_equal(e.msg, "expression is nested too deeply");
    buf_reset(&b);
    for (i = 0; i < 5000; i++)
        buf_adds(&b, "not ");
    buf_adds(&b, "b");
    x = compile(buf_cstr(&b), &e);
    assert_null(x);
    assert_string_equal(e.msg, "expression is nested too deeply");
    buf_release(&b);
}

/* Hostile nesting, 100k deep, in every form the grammar recurses on:
 * refused with a message, never a stack overflow (the fuzzer's inputs
 * are too short to reach these). */
static void test_nesting_100k(void **state)
{
    static const struct {
        const char *open, *mid, *close;
    } forms[] = {
        { "(", "i > 0", ")" },
        { "not ", "b", "" },
        { "!", "b", "" },
        { "- ", "i > 0", "" },
        { "+", "i > 0", "" },
        { "abs(", "i) > 0", ")" },
        { "length(", "s) > 0", ")" },
        { "i in (", "1", ")" },
        { "(i = 1 or ", "b", ")" },
        { "i between (", "1", ") and 2" },
    };
    struct buf b = BUF_INIT;
    struct expr_error e;
    struct expr *x;
    size_t f;
    int i;

    (void)state;
    for (f = 0; f < ARRAY_SIZE(forms); f++) {
        buf_reset(&b);
        for (i = 0; i < 100000; i++)
            buf_adds(&b, forms[f].open);
        buf_adds(&b, forms[f].mid);
        for (i = 0; i < 100000; i++)
            buf_adds(&b, forms[f].close);
        x = compile(buf_cstr(&b), &e);
        if (x != NULL)
            fail_msg("form %zu compiled", f);
        if (e.msg[0] == '\0' || e.off > b.len)
            fail_msg("form %zu: no message or a bad offset", f);
    }
    buf_release(&b);
}

/* The columns an expression names, in order of first mention. */
static void test_columns(void **state)
{
    struct expr_error e;
    struct expr *x = compile("ts > d and i > 0 and d < '2021-01-01'", &e);
    const int *c;
    size_t n;

    (void)state;
    assert_non_null(x);
    n = expr_columns(x, &c);
    assert_int_equal(n, 3);
    assert_int_equal(c[0], 7);
    assert_int_equal(c[1], 6);
    assert_int_equal(c[2], 0);
    expr_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_nesting_100k),
        cmocka_unit_test(test_columns),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
