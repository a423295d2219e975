/* fuzz_expr.c -- libFuzzer target: arbitrary text as an `expression`
 * check (rules/expr_compile.c), compiled against typed columns and, when
 * it compiles, evaluated (rules/expr.c) on fixed records: typical values,
 * nulls, values that do not parse, huge and extreme numbers, bad and
 * extreme dates.
 *
 * Invariants (abort() on a breach, besides ASan/UBSan/LSan): a failed
 * compile leaves a non-empty message and an offset within the text; a
 * compiled expression names only known typed columns and evaluates to
 * true, false or null on every record; nothing nests deep enough to
 * overflow the stack (the parser's depth and the tree's height are
 * capped).  Built and run by tests/fuzz/run-all.sh; with -DFUZZ_MAIN it
 * replays files. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/expr.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
    "i", "j", "x", "s", "b", "d", "ts", "first name", "date", "u", "big",
    "y", "length",
};
static const int types[] = {
    VT_INTEGER, VT_INTEGER, VT_NUMBER, VT_STRING, VT_BOOLEAN, VT_DATE,
    VT_TIMESTAMP, VT_STRING, VT_STRING, -1, VT_INTEGER, VT_NUMBER,
    VT_STRING,
};
enum { NC = sizeof(names) / sizeof(names[0]) };

/* NULL: a null field. */
static const char *const texts[][NC] = {
    { "5", "-3", "2.5", "abc", "TRUE", "2020-01-15",
      "2020-01-15T12:00:00+02:00", "Ann", "2021-05-01", "x", "7", "0",
      "abc" },
    { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      NULL, NULL },
    { "9223372036854775807", "-9223372036854775808", "1.7976931348623157e308",
      "\xff\xfe\xc3", "false", "9999-12-31", "0001-01-01T00:00:00-23:59",
      "", "2020-02-30", "", "-1", "-1.7976931348623157e308", "2021-05-01" },
    { "abc", "1e3", "nan", "2020-01-01", "maybe", "2020-02-30",
      "2020-13-01T00:00:00", "x", "not a date", "u", "99999999999999999999",
      "inf", "12" },
    { "0", "0", "0", "0", "0", "0000-01-01", "1970-01-01T00:00:00Z", "0",
      "0", "0", "0", "-0", "0" },
};
enum { NREC = sizeof(texts) / sizeof(texts[0]) };

static struct colval rows[NREC][NC];

static void rows_init(void)
{
    static int done;
    size_t r, i;

    if (done)
        return;
    done = 1;
    for (r = 0; r < NREC; r++) {
        for (i = 0; i < NC; i++) {
            struct colval *cv = &rows[r][i];
            const char *t = texts[r][i];

            memset(cv, 0, sizeof(*cv));
            if (t == NULL || t[0] == '\0') {
                cv->state = CV_NULL;
                cv->p = "";
                continue;
            }
            cv->p = t;
            cv->n = (uint32_t)strlen(t);
            cv->state = parse_as(types[i] < 0 ? VT_STRING
                                 : (enum vtype)types[i], cv->p, cv->n,
                                 &cv->v) ? CV_OK : CV_BAD;
        }
    }
}

static void fail(const char *why, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_expr: %s\ninput (%zu bytes):\n", why, size);
    fwrite(data, 1, size, stderr);
    fputc('\n', stderr);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct expr_error e;
    struct expr *x;
    const int *cols;
    size_t n, i, r;

    rows_init();
    memset(&e, 0x55, sizeof(e));
    x = expr_compile((const char *)data, size, names, types, NC, &e);
    if (x == NULL) {
        if (memchr(e.msg, '\0', sizeof(e.msg)) == NULL || e.msg[0] == '\0')
            fail("compile failed without a message", data, size);
        if (e.off > size)
            fail("error offset past the end of the text", data, size);
        return 0;
    }
    n = expr_columns(x, &cols);
    for (i = 0; i < n; i++)
        if (cols[i] < 0 || (size_t)cols[i] >= NC || types[cols[i]] < 0)
            fail("names an unknown or untyped column", data, size);
    for (r = 0; r < NREC; r++) {
        int v = expr_eval(x, rows[r]);

        if (v != 0 && v != 1 && v != -1)
            fail("evaluated to something other than true/false/null",
                 data, size);
    }
    expr_free(x);
    return 0;
}

#include "fuzz_main.h"
