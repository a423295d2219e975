/* fuzz_rules.c -- libFuzzer target: arbitrary bytes as a rules file
 * (rules/yaml.c, parse.c, parse_bias.c, kinds.c), bound to a fixed
 * header (rules/checker.c) and run over a few fixed records.
 *
 * Invariants (abort() on a breach, besides ASan/UBSan/LSan): a file that
 * does not load fills err with a non-empty message that starts with the
 * file name ("fuzz.yml:LINE:COL: " when located, with LINE and COL >= 1)
 * and a rules status; one that loads binds to the header or fails the
 * same way, and its results and rules free cleanly.  Built and run by
 * tests/fuzz/run-all.sh; with -DFUZZ_MAIN it replays files. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/rules_int.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.yml"

/* The data's header: names the seeds and the dictionary use. */
static const char *const header[] = {
    "customer_id", "age", "gender", "zip_code", "notes", "signup_date",
    "last_login", "churned", "score", "income", "sex", "race", "predicted",
    "a", "b", "x",
};
enum { NH = sizeof(header) / sizeof(header[0]) };

/* Records: typical values, nulls, NA, huge numbers, bad dates, non-UTF-8
 * and a short record (a field_count failure). */
static const char *const records[][NH] = {
    { "1", "34", "female", "12345", "", "2020-01-01", "2021-01-01", "1",
      "0.5", ">50K", "Female", "White", "1", "a", "1", "x" },
    { "2", "", "male", "1234", "NA", "2020-02-30", "2020-01-01T00:00:00Z",
      "0", "1e308", "<=50K", "Male", "Black", "0", "", "", "" },
    { "2", "-9223372036854775808", "nonbinary", "aaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaab", "\xff\xfe", "9999-12-31",
      "2020-13-01 25:61:61+24:00", "true", "nan", "NA", "", "Asian", "x",
      "\xc3\xa9", "99999999999999999999", "-0" },
    { "1", "34", "female", "12345", "", "2020-01-01", "2021-01-01", "1",
      "0.5", ">50K", "Female", "White", "1", "a", "1", "x" },
};
enum { NR = sizeof(records) / sizeof(records[0]) };

struct rec {
    struct row row;
    const char *field[NH];
    uint32_t len[NH];
    unsigned char quoted[NH];
};

static struct rec recs[NR + 1];

static void recs_init(void)
{
    static int done;
    size_t i, k;

    if (done)
        return;
    done = 1;
    for (i = 0; i <= NR; i++) {
        struct rec *t = &recs[i];

        for (k = 0; k < NH; k++) {
            t->field[k] = i < NR ? records[i][k] : "short";
            t->len[k] = (uint32_t)strlen(t->field[k]);
            t->quoted[k] = (unsigned char)(k & 1);
        }
        t->row.nfields = i < NR ? NH : 3;       /* the last is short */
        t->row.field = t->field;
        t->row.len = t->len;
        t->row.quoted = t->quoted;
        t->row.line = i + 2;
        t->row.record = i + 1;
        t->row.raw = "raw";
        t->row.raw_len = 3;
    }
}

static int rescan(void *src, int (*fn)(void *ctx, const struct row *r),
                  void *ctx, struct assay_err *err)
{
    size_t i;

    (void)src;
    (void)err;
    for (i = 0; i <= NR; i++)
        if (fn(ctx, &recs[i].row) != 0)
            break;
    return 0;
}

/* err after a failure: non-empty, "fuzz.yml:L:C: msg" or "fuzz.yml...",
 * or a column error naming the data. */
static void check_err(const struct assay_err *err, const char *stage,
                      const uint8_t *data, size_t size)
{
    unsigned long line = 0, col = 0;
    int at = 0;
    const char *why = NULL;

    if (err->msg[0] == '\0')
        why = "empty message";
    else if (err->status == ASSAY_OK)
        why = "status not set";
    else if (err->status != ASSAY_ERULES && err->status != ASSAY_EREGEX &&
             err->status != ASSAY_ECOLUMN && err->status != ASSAY_ENOMEM)
        why = "unexpected status";
    else if (strncmp(err->msg, NAME, strlen(NAME)) != 0)
        why = "message does not start with the file name";
    else if (err->located &&
             (sscanf(err->msg, NAME ":%lu:%lu: %n", &line, &col, &at) < 2 ||
              at == 0 || line == 0 || col == 0 || err->msg[at] == '\0'))
        why = "located message without LINE:COL: text";
    else if (err->located && line > size + 1)
        why = "line past the end of the input";
    if (why == NULL)
        return;
    fprintf(stderr, "fuzz_rules: %s: %s (status %d, located %d): '%s'\n",
            stage, why, (int)err->status, err->located, err->msg);
    fprintf(stderr, "input (%zu bytes):\n", size);
    fwrite(data, 1, size, stderr);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r;
    struct checker *ck;
    const struct scan_sink *s;
    struct json_t *res;
    void *w;
    size_t i;

    recs_init();
    r = rules_parse((const char *)data, size, NAME, &err);
    if (r == NULL) {
        check_err(&err, "rules_parse", data, size);
        return 0;
    }
    /* What a loaded file promises its users. */
    if (strcmp(rules_path(r), NAME) != 0)
        abort();
    (void)rules_dataset(r);
    (void)rules_null_values(r, &i);
    for (i = 0; i < rules_nbias(r); i++)
        if (rules_bias(r, i) == NULL)
            abort();
    for (i = 0; i < NH; i++)
        (void)rules_column_type(r, header[i]);

    ck = checker_bind(r, header, NH, "data.csv", NULL, 3, &err);
    if (ck == NULL) {
        if (err.msg[0] == '\0' || err.status == ASSAY_OK) {
            fprintf(stderr, "fuzz_rules: checker_bind failed silently\n");
            abort();
        }
        if (strncmp(err.msg, NAME, strlen(NAME)) != 0 &&
            strstr(err.msg, "data.csv") == NULL) {
            fprintf(stderr, "fuzz_rules: checker_bind: '%s'\n", err.msg);
            abort();
        }
        rules_free(r);
        return 0;
    }
    s = checker_sink(ck);
    w = s->worker_new(s->self, 0);
    for (i = 0; i <= NR; i++)
        if (s->row(w, &recs[i].row, &err) != 0)
            break;
    s->merge(s->self, w, 0, 0);
    if (checker_finish_with(ck, rescan, NULL, &err) == 0) {
        res = checker_results(ck);
        if (res == NULL)
            abort();
        j_free(res);
    }
    checker_free(ck);
    rules_free(r);
    return 0;
}

#include "fuzz_main.h"
