/* test_rules_parse.c -- rules files: valid documents, and every class of
 * error with its exact FILE:LINE:COL message (rules/parse.c, yaml.c,
 * kinds.c, parse_bias.c). */
#include "testutil.h"
#include "rules/rules_int.h"

static struct rules *parse(const char *text, struct assay_err *err)
{
    return rules_parse(text, strlen(text), "r.yml", err);
}

static const struct check *find(const struct rules *r, const char *id)
{
    size_t i;

    for (i = 0; i < r->ncheck; i++)
        if (strcmp(r->check[i].id, id) == 0)
            return &r->check[i];
    return NULL;
}

/* ---- valid documents ---- */

static void test_design_example(void **state)
{
    static const char *const ids[] = {
        "field_count", "customer_id.type", "customer_id.unique", "age.type",
        "age.not_null", "age.range", "gender.type", "gender.allowed",
        "zip_code.type", "zip_code.pattern", "zip_code.length", "notes.type",
        "signup_date.type", "last_login.type", "row_count",
        "duplicate_rows", "unique", "login_after_signup",
    };
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = rules_load(TEST_DATA "/rules/valid.yml", &err);
    const struct check *c;
    const struct bias_spec *b;
    size_t i, n;
    const char *const *nv;

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(r->ncheck, ARRAY_SIZE(ids));
    for (i = 0; i < ARRAY_SIZE(ids); i++)
        assert_string_equal(r->check[i].id, ids[i]);
    assert_string_equal(rules_dataset(r), "churn_train");
    nv = rules_null_values(r, &n);
    assert_int_equal(n, 2);
    assert_string_equal(nv[0], "");
    assert_string_equal(nv[1], "NA");
    assert_int_equal(rules_column_type(r, "age"), VT_INTEGER);
    assert_int_equal(rules_column_type(r, "churned"), -1);
    assert_int_equal(rules_column_type(r, "nope"), -1);

    c = find(r, "age.not_null");
    assert_int_equal(c->tol.kind, TOL_PERCENT);
    assert_close(c->tol.v, 1, 0);
    c = find(r, "age.range");
    assert_int_equal(c->sev, SEV_WARN);
    assert_int_equal(c->tol.kind, TOL_PERCENT);
    assert_close(c->tol.v, 0.1, 0);
    assert_int_equal(c->lo.i, 18);
    assert_int_equal(c->hi.i, 120);
    assert_int_equal(c->line, 14);
    assert_int_equal(c->pos, 9);
    c = find(r, "duplicate_rows");
    assert_int_equal(c->tol.kind, TOL_COUNT);
    assert_close(c->tol.v, 0, 0);
    c = find(r, "unique");
    assert_int_equal(c->ncols, 2);
    assert_string_equal(c->cols[1], "signup_date");
    assert_int_equal(find(r, "notes.type")->col, 4);
    assert_int_equal(r->col[4].required, 0);

    assert_int_equal(rules_nbias(r), 1);
    b = rules_bias(r, 0);
    assert_int_equal(b->nfacet_cols, 1);
    assert_string_equal(b->facet_cols[0], "gender");
    assert_int_equal(b->nfacet_values, 1);
    assert_string_equal(b->facet_values[0], "female");
    assert_string_equal(b->label_col, "churned");
    assert_int_equal(b->nlabel_values, 1);
    assert_string_equal(b->label_values[0], "1");
    assert_string_equal(b->group_col, "marital_status");
    assert_string_equal(b->predicted_col, "predicted");
    assert_int_equal(b->nlimits, 3);
    assert_string_equal(b->limits[0].metric, "CI");
    assert_true(b->limits[0].has_max_abs);
    assert_close(b->limits[0].max_abs, 0.5, 0);
    assert_string_equal(b->limits[2].metric, "KL");
    assert_true(b->limits[2].has_max);
    assert_string_equal(b->limits[2].severity, "fail");
    assert_int_equal(b->nnull_values, 2);
    assert_int_equal(b->mode, BIAS_CLARIFY);
    assert_null(rules_bias(r, 1));
    rules_free(r);
}

/* JSON is YAML flow: the same model loads. */
static void test_json(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = rules_load(TEST_DATA "/rules/valid.json", &err);
    const struct check *c;

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    c = find(r, "age.range");
    assert_non_null(c);
    assert_int_equal(c->sev, SEV_WARN);
    assert_int_equal(c->tol.kind, TOL_PERCENT);
    c = find(r, "age.not_null");
    assert_int_equal(c->tol.kind, TOL_PERCENT);
    assert_close(c->tol.v, 1, 0);
    assert_non_null(find(r, "login_after_signup"));
    assert_non_null(find(r, "row_count"));
    rules_free(r);
}

/* Scalars are never type-guessed: no, on, 1e3, 012 stay text. */
static void test_no_norway(void **state)
{
    const char *text =
        "null_values: [null, NA, ~]\n"
        "columns:\n"
        "  - name: country\n"
        "    checks:\n"
        "      - allowed: [no, NO, on, yes, 012, 1e3, true]\n";
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = parse(text, &err);
    const struct check *c;

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_string_equal(r->null_values[0], "null");
    assert_string_equal(r->null_values[2], "~");
    c = find(r, "country.allowed");
    assert_int_equal(c->nvals, 7);
    assert_string_equal(c->vals[0], "no");
    assert_string_equal(c->vals[4], "012");
    assert_string_equal(c->vals[5], "1e3");
    assert_true(strset_has(c->set, "NO", 2));
    assert_true(strset_has(c->set, "012", 3));
    assert_false(strset_has(c->set, "12", 2));
    assert_false(strset_has(c->set, "No", 2));
    rules_free(r);
}

/* A byte-order mark and CRLF line ends (files from Windows editors). */
static void test_bom_crlf(void **state)
{
    const char *text = "\xef\xbb\xbfversion: 1\r\ncolumns:\r\n"
                       "  - name: a\r\n    checks:\r\n"
                       "      - pattern: \"(x\"\r\n";
    const char *ok = "\xef\xbb\xbfversion: 1\r\ncolumns:\r\n"
                     "  - name: a\r\n    type: integer\r\n";
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = parse(text, &err);

    (void)state;
    assert_null(r);
    assert_string_equal(err.msg, "r.yml:5:21: bad regular expression '(x': "
                        "missing closing parenthesis (at offset 2)");
    r = parse(ok, &err);
    assert_non_null(r);
    assert_int_equal(rules_column_type(r, "a"), VT_INTEGER);
    rules_free(r);
}

/* Empty sections are empty lists. */
static void test_empty_sections(void **state)
{
    const char *text = "version: 1\ncolumns:\nchecks:\nbias:\n";
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = parse(text, &err);

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(r->ncheck, 1);         /* field_count */
    assert_int_equal(r->ncol, 0);
    assert_int_equal(rules_nbias(r), 0);
    assert_null(rules_dataset(r));
    rules_free(r);
}

static void test_ids(void **state)
{
    const char *text =
        "columns:\n"
        "  - name: a\n"
        "    type: number\n"
        "    checks:\n"
        "      - range: {min: 0}\n"
        "      - range: {max: 10}\n"
        "      - range: {max: 20}\n"
        "      - range: {max: 30}\n"
        "        id: a_small\n"
        "checks:\n"
        "  - expression: {expr: \"a > 1\"}\n"
        "  - expression: {name: positive, expr: \"a > 0\"}\n"
        "  - expression: {name: positive, expr: \"a >= 0\"}\n"
        "  - row_count: {min: 1}\n";
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = parse(text, &err);
    static const char *const ids[] = {
        "field_count", "a.type", "a.range", "a.range#2", "a.range#3",
        "a_small", "expression", "positive", "positive#2", "row_count"
    };
    size_t i;

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(r->ncheck, ARRAY_SIZE(ids));
    for (i = 0; i < ARRAY_SIZE(ids); i++)
        assert_string_equal(r->check[i].id, ids[i]);
    rules_free(r);
}

/* Bare kinds, configuring the implied type and field_count checks,
 * exclusive bounds, tolerances. */
static void test_forms(void **state)
{
    const char *text =
        "version: 1\n"
        "columns:\n"
        "  - name: n\n"
        "    type: integer\n"
        "    checks:\n"
        "      - not_null\n"
        "      - unique\n"
        "      - type: {}\n"
        "        severity: warn\n"
        "        mostly: 0.99\n"
        "      - range: {min: 0, min_exclusive: true, max_exclusive: 10}\n"
        "      - range: {min: 0.5, max: 9.5}\n"
        "  - name: x\n"
        "    type: number\n"
        "    checks:\n"
        "      - range: {min_exclusive: 0, max: 1}\n"
        "  - name: d\n"
        "    type: date\n"
        "    checks:\n"
        "      - range: {min: 2020-01-01, max: '2020-12-31'}\n"
        "checks:\n"
        "  - field_count:\n"
        "    severity: info\n"
        "    max_failures: 3\n";
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = parse(text, &err);
    const struct check *c;

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    c = find(r, "n.type");
    assert_ptr_equal(c, &r->check[1]);
    assert_int_equal(c->sev, SEV_WARN);
    assert_int_equal(c->tol.kind, TOL_MOSTLY);
    assert_close(c->tol.v, 0.99, 0);
    assert_non_null(find(r, "n.not_null"));
    assert_non_null(find(r, "n.unique"));
    c = find(r, "n.range");
    assert_int_equal(c->lo.i, 1);           /* > 0 */
    assert_int_equal(c->hi.i, 9);           /* < 10 */
    c = find(r, "n.range#2");
    assert_int_equal(c->lo.i, 1);           /* >= 0.5 */
    assert_int_equal(c->hi.i, 9);           /* <= 9.5 */
    c = find(r, "x.range");
    assert_true(c->dlo > 0);
    assert_close(c->dhi, 1, 0);
    c = find(r, "d.range");
    assert_int_equal(c->lo.i, 1577836800000000LL);
    assert_int_equal(c->hi.i, 1609372800000000LL);
    c = find(r, "field_count");
    assert_int_equal(c->sev, SEV_INFO);
    assert_int_equal(c->tol.kind, TOL_COUNT);
    assert_close(c->tol.v, 3, 0);
    rules_free(r);
}

static void test_bias_forms(void **state)
{
    const char *text =
        "label: {column: income, threshold: 50000}\n"
        "bias:\n"
        "  - facet: [sex, race]\n"
        "    values: ['Female,Black']\n"
        "    mode: strict\n"
        "  - facet: age\n"
        "    threshold: 40\n"
        "    predicted: pred\n"
        "    limits:\n"
        "      DI: {min: 0.8, significance: 0.05, severity: warn}\n"
        "  - facet: sex\n";
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r = parse(text, &err);
    const struct bias_spec *b;

    (void)state;
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(rules_nbias(r), 3);
    b = rules_bias(r, 0);
    assert_int_equal(b->nfacet_cols, 2);
    assert_string_equal(b->facet_cols[1], "race");
    assert_string_equal(b->facet_values[0], "Female,Black");
    assert_int_equal(b->mode, BIAS_STRICT);
    assert_true(b->label_has_threshold);
    assert_close(b->label_threshold, 50000, 0);
    b = rules_bias(r, 1);
    assert_true(b->facet_has_threshold);
    assert_close(b->facet_threshold, 40, 0);
    assert_int_equal(b->nlimits, 1);
    assert_string_equal(b->limits[0].metric, "DI");
    assert_true(b->limits[0].has_min);
    assert_close(b->limits[0].significance, 0.05, 0);
    assert_string_equal(b->limits[0].severity, "warn");
    b = rules_bias(r, 2);
    assert_int_equal(b->nfacet_values, 0);
    assert_false(b->facet_has_threshold);
    assert_null(b->group_col);
    rules_free(r);
}

/* ---- errors: exact messages ---- */

static const struct {
    const char *text;
    enum assay_status st;
    const char *msg;
} bad[] = {
    /* YAML level */
    { "a: [1, 2\n", ASSAY_ERULES,
      "r.yml:2:1: did not find expected ',' or ']' (while parsing a flow "
      "sequence at 1:4)" },
    { "a: 'x\n", ASSAY_ERULES,
      "r.yml:2:1: found unexpected end of stream (while scanning a quoted "
      "scalar at 1:4)" },
    { "a: &x 1\nb: *x\n", ASSAY_ERULES,
      "r.yml:1:4: anchors and aliases are not supported in rules files" },
    { "a: !!str 1\n", ASSAY_ERULES,
      "r.yml:1:4: tags are not supported ('tag:yaml.org,2002:str')" },
    { "a:\n  <<: {b: 1}\n", ASSAY_ERULES,
      "r.yml:2:3: merge keys ('<<') are not supported" },
    { "version: 1\ncolumns: []\nversion: 1\n", ASSAY_ERULES,
      "r.yml:3:1: duplicate key 'version' (first at 1:1)" },
    { "? [a]\n: 1\n", ASSAY_ERULES,
      "r.yml:1:3: mapping keys must be plain strings" },
    { "", ASSAY_ERULES, "r.yml:1:1: empty rules file" },
    { "# only a comment\n", ASSAY_ERULES, "r.yml:1:1: empty rules file" },
    { "a: 1\n---\nb: 2\n", ASSAY_ERULES,
      "r.yml:2:1: more than one YAML document in a rules file" },
    { "a: \"\\xff\"\n", ASSAY_ERULES, NULL },
    /* document */
    { "- a\n", ASSAY_ERULES,
      "r.yml:1:1: a rules file is a mapping (version:, columns:, checks: "
      "...), not a list" },
    { "verson: 1\n", ASSAY_ERULES,
      "r.yml:1:1: unknown key 'verson' in the rules file (did you mean "
      "'version'?)" },
    { "frobnicate: 1\n", ASSAY_ERULES,
      "r.yml:1:1: unknown key 'frobnicate' in the rules file (expected "
      "version, dataset, null_values, columns, checks, label, bias, "
      "description)" },
    { "dataset: ''\n", ASSAY_ERULES,
      "r.yml:1:10: dataset needs a name (or leave it out)" },
    { "version: 2\n", ASSAY_ERULES,
      "r.yml:1:10: unsupported rules version '2' (expected 1)" },
    { "null_values: NA\n", ASSAY_ERULES,
      "r.yml:1:14: expected a list of values like [a, b], not a plain "
      "value" },
    { "columns: {name: a}\n", ASSAY_ERULES,
      "r.yml:1:10: columns must be a list ('- name: age'), not a mapping" },
    { "columns:\n  - type: integer\n", ASSAY_ERULES,
      "r.yml:2:5: a column needs a name: ('- name: age')" },
    { "columns:\n  - name: a\n    requird: false\n", ASSAY_ERULES,
      "r.yml:3:5: unknown key 'requird' in a column (did you mean "
      "'required'?)" },
    { "columns:\n  - name: a\n    required: yes\n", ASSAY_ERULES,
      "r.yml:3:15: expected true or false, not 'yes'" },
    { "columns:\n  - name: a\n    type: intger\n", ASSAY_ERULES,
      "r.yml:3:11: unknown type 'intger' (did you mean 'integer'?)" },
    { "columns:\n  - name: a\n    type: float\n", ASSAY_ERULES,
      "r.yml:3:11: unknown type 'float' (expected integer, number, "
      "string, boolean, date or timestamp)" },
    { "columns:\n  - name: a\n  - name: a\n", ASSAY_ERULES,
      "r.yml:3:11: column 'a' is declared twice (first at 2:11)" },
    /* check items */
    { "columns:\n  - name: a\n    checks:\n      - not_nul: {}\n",
      ASSAY_ERULES,
      "r.yml:4:9: unknown check kind 'not_nul' (did you mean "
      "'not_null'?)" },
    { "columns:\n  - name: a\n    checks:\n      - rnage: {min: 1}\n",
      ASSAY_ERULES,
      "r.yml:4:9: unknown check kind 'rnage' (did you mean 'range'?)" },
    { "columns:\n  - name: a\n    checks:\n      - bogus\n", ASSAY_ERULES,
      "r.yml:4:9: unknown check kind 'bogus'" },
    { "columns:\n  - name: a\n    checks:\n      - not_null: {}\n"
      "        severty: warn\n", ASSAY_ERULES,
      "r.yml:5:9: unknown key 'severty' in check (did you mean "
      "'severity'?)" },
    { "columns:\n  - name: a\n    checks:\n      - not_null: {}\n"
      "        severity: warning\n", ASSAY_ERULES,
      "r.yml:5:19: unknown severity 'warning' (did you mean 'warn'?)" },
    { "columns:\n  - name: a\n    checks:\n      - not_null: {}\n"
      "        allowed: [x]\n", ASSAY_ERULES,
      "r.yml:5:9: one kind per check: 'not_null' and 'allowed' are two "
      "checks (start another with '- ')" },
    { "columns:\n  - name: a\n    checks:\n      - severity: warn\n",
      ASSAY_ERULES,
      "r.yml:4:9: check has no kind (such as not_null, range, allowed, "
      "...)" },
    { "columns:\n  - name: a\n    checks:\n      - row_count: {min: 1}\n",
      ASSAY_ERULES,
      "r.yml:4:9: 'row_count' is a dataset-level check: put it under the "
      "top-level checks:" },
    { "checks:\n  - range: {min: 1}\n", ASSAY_ERULES,
      "r.yml:2:5: 'range' is a column check: put it under a column's "
      "checks:" },
    { "columns:\n  - name: a\n    checks: {not_null: {}}\n", ASSAY_ERULES,
      "r.yml:3:13: checks must be a list ('- not_null: {}' ...), not a "
      "mapping" },
    { "columns:\n  - name: a\n    checks:\n      - [not_null]\n",
      ASSAY_ERULES,
      "r.yml:4:9: a check must be a mapping like '- range: {min: 0}', not "
      "a list" },
    /* tolerance */
    { "columns:\n  - name: a\n    checks:\n      - unique: {}\n"
      "        max_failures: 1\n        mostly: 0.5\n", ASSAY_ERULES,
      "r.yml:6:17: give max_failures or mostly, not both" },
    { "columns:\n  - name: a\n    checks:\n      - unique: {}\n"
      "        mostly: 1.5\n", ASSAY_ERULES,
      "r.yml:5:17: mostly is a fraction between 0 and 1, not '1.5'" },
    { "columns:\n  - name: a\n    checks:\n      - unique: {}\n"
      "        max_failures: 0.5\n", ASSAY_ERULES,
      "r.yml:5:23: expected a count (3) or a percentage ('1%'), not "
      "'0.5'" },
    { "columns:\n  - name: a\n    checks:\n      - unique: {}\n"
      "        max_failures: 101%\n", ASSAY_ERULES,
      "r.yml:5:23: expected a percentage between 0% and 100%, not "
      "'101%'" },
    { "columns:\n  - name: a\n    checks:\n"
      "      - not_null: {max_missing: 2}\n        max_failures: 1\n",
      ASSAY_ERULES,
      "r.yml:4:33: give max_missing or max_failures/mostly, not both" },
    { "checks:\n  - row_count: {min: 1}\n    max_failures: 1\n",
      ASSAY_ERULES,
      "r.yml:3:19: 'row_count' takes no max_failures or mostly" },
    { "columns:\n  - name: a\n    checks:\n      - not_null: {max: 1}\n",
      ASSAY_ERULES,
      "r.yml:4:20: unknown key 'max' in not_null (did you mean "
      "'max_missing'?)" },
    { "columns:\n  - name: a\n    checks:\n"
      "      - length: {max: 3, severity: warn}\n", ASSAY_ERULES,
      "r.yml:4:26: 'severity' belongs to the check, not to length: write "
      "it on its own line, under the check's kind" },
    { "columns:\n  - name: a\n    id: x\n", ASSAY_ERULES,
      "r.yml:3:5: unknown key 'id' in a column (expected name, type, "
      "required, checks, description)" },
    /* kinds */
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {min: eighteen}\n", ASSAY_ERULES,
      "r.yml:5:22: expected a number, not 'eighteen'" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {min: \"18\"}\n", ASSAY_ERULES,
      "r.yml:5:22: expected a number, not a quoted string ('18')" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {mni: 1}\n", ASSAY_ERULES,
      "r.yml:5:17: unknown key 'mni' in range (did you mean 'min'?)" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {min: 5, max: 1}\n", ASSAY_ERULES,
      "r.yml:5:16: range min 5 is above max 1" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {}\n", ASSAY_ERULES,
      "r.yml:5:16: range needs min, max or both" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {min_exclusive: true}\n", ASSAY_ERULES,
      "r.yml:5:32: min_exclusive: true needs a min: bound" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - range: {min: 1, min_exclusive: 2}\n", ASSAY_ERULES,
      "r.yml:5:40: give min or min_exclusive, not both" },
    { "columns:\n  - name: a\n    type: string\n    checks:\n"
      "      - range: {min: 1}\n", ASSAY_ERULES,
      "r.yml:5:9: range needs a column of type integer, number, date or "
      "timestamp; 'a' is string (use length or allowed)" },
    { "columns:\n  - name: a\n    checks:\n      - range: {min: 1}\n",
      ASSAY_ERULES,
      "r.yml:4:9: range needs a column of type integer, number, date or "
      "timestamp; 'a' is untyped (use length or allowed)" },
    { "columns:\n  - name: d\n    type: date\n    checks:\n"
      "      - range: {min: 2020-02-30}\n", ASSAY_ERULES,
      "r.yml:5:22: expected a date like '2020-01-31', not '2020-02-30'" },
    { "columns:\n  - name: a\n    type: integer\n    checks:\n"
      "      - allowed: [1, 2, x]\n", ASSAY_ERULES,
      "r.yml:5:25: 'x' is not a valid integer (column 'a' has type "
      "integer)" },
    { "columns:\n  - name: a\n    checks:\n      - allowed: []\n",
      ASSAY_ERULES, "r.yml:4:18: allowed needs at least one value" },
    { "columns:\n  - name: a\n    checks:\n      - allowed: x\n",
      ASSAY_ERULES,
      "r.yml:4:9: allowed needs a list of values like [a, b]" },
    { "columns:\n  - name: a\n    checks:\n      - pattern: '^[0-9{5}$'\n",
      ASSAY_EREGEX,
      "r.yml:4:28: bad regular expression '^[0-9{5}$': missing "
      "terminating ] for character class (at offset 9)" },
    { "columns:\n  - name: a\n    checks:\n      - pattern: '(a'\n",
      ASSAY_EREGEX,
      "r.yml:4:21: bad regular expression '(a': missing closing "
      "parenthesis (at offset 2)" },
    { "columns:\n  - name: a\n    checks:\n      - length: {min: -1}\n",
      ASSAY_ERULES,
      "r.yml:4:23: expected a count (an integer >= 0), not '-1'" },
    { "columns:\n  - name: a\n    checks:\n      - unique: {columns: [a]}\n",
      ASSAY_ERULES,
      "r.yml:4:18: unknown key 'columns': 'unique' takes no arguments "
      "(write 'unique: {}')" },
    { "columns:\n  - name: a\n    checks:\n      - not_null: 1\n",
      ASSAY_ERULES,
      "r.yml:4:19: 'not_null' takes no arguments (write 'not_null: {}'), "
      "not a plain value" },
    { "columns:\n  - name: a\n    checks:\n      - type: {}\n", ASSAY_ERULES,
      "r.yml:4:9: 'type' checks come from the column's type: (add one, "
      "e.g. 'type: integer')" },
    { "columns:\n  - name: a\n    type: string\n    checks:\n"
      "      - type: {}\n      - type: {}\n", ASSAY_ERULES,
      "r.yml:6:9: 'type' is listed twice" },
    { "checks:\n  - unique: {columns: [a, a]}\n", ASSAY_ERULES,
      "r.yml:2:27: column 'a' is listed twice" },
    { "checks:\n  - unique: {}\n", ASSAY_ERULES,
      "r.yml:2:13: unique needs columns: [a, b]" },
    { "checks:\n  - row_count: {min: 10, max: 1}\n", ASSAY_ERULES,
      "r.yml:2:16: row_count min 10 is above max 1" },
    { "checks:\n  - duplicate_rows: {max: x}\n", ASSAY_ERULES,
      "r.yml:2:27: expected a count (3) or a percentage ('1%'), not 'x'" },
    /* ids */
    { "columns:\n  - name: a\n    checks:\n      - unique: {}\n"
      "        id: k\n      - not_null: {}\n        id: k\n", ASSAY_ERULES,
      "r.yml:6:9: duplicate check id 'k' (also at 4:9)" },
    /* expressions */
    { "columns:\n  - name: a\n    type: integer\n  - name: b\n"
      "    type: integer\nchecks:\n  - expression: {expr: \"a < bb + 1\"}\n",
      ASSAY_ERULES,
      "r.yml:7:29: unknown column 'bb' in expression (did you mean "
      "'b'?)" },
    { "columns:\n  - name: a\n    type: integer\n  - name: b\n"
      "checks:\n  - expression: {expr: \"a < b\"}\n", ASSAY_ERULES,
      "r.yml:6:29: column 'b' has no type: expressions may name only "
      "columns declared with a type" },
    { "columns:\n  - name: a\n    type: integer\n"
      "checks:\n  - expression: {expr: \"a + 1\"}\n", ASSAY_ERULES,
      "r.yml:5:25: the expression is a number; a check needs a condition "
      "(true or false)" },
    { "columns:\n  - name: a\n    type: integer\n  - name: s\n"
      "    type: string\nchecks:\n  - expression: {expr: 'a < (s'}\n",
      ASSAY_ERULES,
      "r.yml:7:31: expected ')' to close the '(' at offset 5" },
    { "columns:\n  - name: d\n    type: date\n"
      "checks:\n  - expression: {expr: \"d > '2020-13-01'\"}\n",
      ASSAY_ERULES,
      "r.yml:5:29: '2020-13-01' is not a valid date or timestamp" },
    { "checks:\n  - expression: {name: x}\n", ASSAY_ERULES,
      "r.yml:2:17: expression needs expr: (a condition such as \"end >= "
      "start\")" },
    { "checks:\n  - expression: {expr: \"\"}\n", ASSAY_ERULES,
      "r.yml:2:25: empty expression" },
    /* bias */
    { "bias:\n  - facet: sex\n", ASSAY_ERULES,
      "r.yml:2:3: bias needs a label: section ({column: y, values: "
      "[\"1\"]})" },
    { "label: {column: y}\n", ASSAY_ERULES,
      "r.yml:1:8: label needs values: [...] or threshold: N" },
    { "label: {column: y, values: [1]}\nbias:\n  - facet: sex\n"
      "    limits: {CII: {max: 1}}\n", ASSAY_ERULES,
      "r.yml:4:14: unknown bias metric 'CII' (did you mean 'CI'?)" },
    { "label: {column: y, values: [1]}\nbias:\n  - facet: sex\n"
      "    limits: {DI: {min: 0.8}}\n", ASSAY_ERULES,
      "r.yml:4:14: a limit on DI (a post-training metric) needs "
      "predicted: (the prediction column)" },
    { "label: {column: y, values: [1]}\nbias:\n  - facet: sex\n"
      "    limits: {CI: {maxabs: 0.8}}\n", ASSAY_ERULES,
      "r.yml:4:19: unknown key 'maxabs' in a bias limit (did you mean "
      "'max_abs'?)" },
    { "label: {column: y, values: [1]}\nbias:\n  - facet: sex\n"
      "    threshold: 40\n    values: [a]\n", ASSAY_ERULES,
      "r.yml:4:16: facet: give values or threshold, not both" },
    { "label: {column: y, values: [1]}\nbias:\n  - facet: [a, b]\n"
      "    threshold: 40\n", ASSAY_ERULES,
      "r.yml:4:16: a threshold needs a single facet column" },
    { "label: {column: y, values: [1]}\nbias:\n  - facet: a\n"
      "    mode: lax\n", ASSAY_ERULES,
      "r.yml:4:11: mode is clarify or strict" },
};

static void test_errors(void **state)
{
    size_t i;
    int failed = 0;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        struct rules *r = parse(bad[i].text, &err);

        if (r != NULL) {
            print_error("case %zu parsed: %s\n", i, bad[i].text);
            rules_free(r);
            failed = 1;
            continue;
        }
        if (err.status != bad[i].st || !err.located ||
            (bad[i].msg != NULL && strcmp(err.msg, bad[i].msg) != 0)) {
            print_error("case %zu (status %d, want %d):\n got: %s\n"
                        "want: %s\n", i, err.status, bad[i].st, err.msg,
                        bad[i].msg != NULL ? bad[i].msg : "(any)");
            failed = 1;
        }
    }
    assert_false(failed);
}

/* Hostile files in tests/data/rules, through rules_load(). */
static void test_hostile_files(void **state)
{
    static const struct {
        const char *file;
        enum assay_status st;
        const char *msg;
    } files[] = {
        { "typo_key.yml", ASSAY_ERULES,
          "typo_key.yml:5:5: unknown key 'requird' in a column (did you "
          "mean 'required'?)" },
        { "unknown_kind.yml", ASSAY_ERULES,
          "unknown_kind.yml:6:9: unknown check kind 'not_nul' (did you "
          "mean 'not_null'?)" },
        { "bad_regex.yml", ASSAY_EREGEX,
          "bad_regex.yml:6:28: bad regular expression '^[0-9{5}$': missing "
          "terminating ] for character class (at offset 9)" },
        { "wrong_type.yml", ASSAY_ERULES,
          "wrong_type.yml:6:22: expected a number, not 'eighteen'" },
        { "syntax_error.yml", ASSAY_ERULES,
          "syntax_error.yml:5:4: did not find expected '-' indicator "
          "(while parsing a block collection at 3:3)" },
        { "alias_bomb.yml", ASSAY_ERULES,
          "alias_bomb.yml:2:4: anchors and aliases are not supported in "
          "rules files" },
        { "expr_unknown_column.yml", ASSAY_ERULES,
          "expr_unknown_column.yml:8:65: unknown column 'signup_dat' in "
          "expression (did you mean 'signup_date'?)" },
        { "expr_untyped_column.yml", ASSAY_ERULES,
          "expr_untyped_column.yml:9:13: column 'end' has no type: "
          "expressions may name only columns declared with a type" },
        { "range_on_string.yml", ASSAY_ERULES,
          "range_on_string.yml:6:9: range needs a column of type integer, "
          "number, date or timestamp; 'zip_code' is string (use length or "
          "allowed)" },
        { "merge_key.yml", ASSAY_ERULES,
          "merge_key.yml:4:5: merge keys ('<<') are not supported" },
        { "duplicate_key.yml", ASSAY_ERULES,
          "duplicate_key.yml:5:5: duplicate key 'type' (first at 4:5)" },
        { "deep_nesting.yml", ASSAY_ERULES,
          "deep_nesting.yml:1:73: nesting is too deep" },
        /* tests/data/rules/hostile: also run through the CLI by
         * tests/cli/0160-hostile-rules.t */
        { "hostile/tab-indent.yml", ASSAY_ERULES,
          "hostile/tab-indent.yml:4:1: a tab character where YAML expects "
          "spaces (indent with spaces, not tabs)" },
        { "hostile/alias-bomb.yml", ASSAY_ERULES,
          "hostile/alias-bomb.yml:2:4: anchors and aliases are not "
          "supported in rules files" },
        { "hostile/alias-only.yml", ASSAY_ERULES,
          "hostile/alias-only.yml:3:10: anchors and aliases are not "
          "supported in rules files" },
        { "hostile/tag.yml", ASSAY_ERULES,
          "hostile/tag.yml:1:10: tags are not supported "
          "('tag:yaml.org,2002:int')" },
        { "hostile/empty.yml", ASSAY_ERULES,
          "hostile/empty.yml:1:1: empty rules file" },
        { "hostile/duplicate-keys.yml", ASSAY_ERULES,
          "hostile/duplicate-keys.yml:7:34: duplicate key 'min' (first at "
          "7:17)" },
        { "hostile/nul-in-name.yml", ASSAY_ERULES,
          "hostile/nul-in-name.yml:3:11: a NUL character is not allowed "
          "here" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(files); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        char path[256], want[600];
        struct rules *r;

        snprintf(path, sizeof(path), TEST_DATA "/rules/%s", files[i].file);
        snprintf(want, sizeof(want), TEST_DATA "/rules/%s", files[i].msg);
        r = rules_load(path, &err);
        if (r != NULL)
            fail_msg("%s parsed", files[i].file);
        assert_int_equal(err.status, files[i].st);
        assert_string_equal(err.msg, want);
    }
}

static void test_limits(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    size_t n = YDOC_MAX_BYTES + 10, i;
    char *big = xmalloc(n + 1);
    struct rules *r;

    (void)state;
    for (i = 0; i < n; i++)
        big[i] = i % 20 == 19 ? '\n' : '#';
    big[n] = '\0';
    r = rules_parse(big, n, "big.yml", &err);
    assert_null(r);
    assert_int_equal(err.status, ASSAY_ERULES);
    assert_string_equal(err.msg, "big.yml: rules file is larger than "
                        "1048576 bytes");
    free(big);

    r = rules_load(TEST_DATA "/rules/no-such-file.yml", &err);
    assert_null(r);
    assert_int_equal(err.status, ASSAY_EOPEN);

    /* A directory is bad input (exit 3), not an I/O error. */
    r = rules_load(TEST_DATA "/rules/hostile", &err);
    assert_null(r);
    assert_int_equal(err.status, ASSAY_EOPEN);
    assert_string_equal(err.msg, "cannot read '" TEST_DATA "/rules/hostile"
                        "': Is a directory");
}

/* Tabs: libyaml's "cannot start any token" says why when it is a tab. */
static void test_tabs(void **state)
{
    static const struct {
        const char *text;
        const char *msg;        /* NULL: parses */
    } cases[] = {
        { "version: 1\ncolumns:\n\t- name: a\n",
          "t.yml:3:1: a tab character where YAML expects spaces (indent "
          "with spaces, not tabs)" },
        { "columns:\n  - name: a\n    checks:\n  \t- unique\n",
          "t.yml:4:3: a tab character where YAML expects spaces (indent "
          "with spaces, not tabs)" },
        { "version:\t1\n", NULL },
        { "columns: [{name: \"a\tb\"}]\n", NULL },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct assay_err err = ASSAY_ERR_INIT;
        struct rules *r = rules_parse(cases[i].text, strlen(cases[i].text),
                                      "t.yml", &err);

        if (cases[i].msg == NULL) {
            if (r == NULL)
                fail_msg("case %zu: %s", i, err.msg);
            rules_free(r);
            continue;
        }
        assert_null(r);
        assert_int_equal(err.status, ASSAY_ERULES);
        assert_string_equal(err.msg, cases[i].msg);
    }
}

/* The byte-loop fast path of rules/regex.c must answer as PCRE2 does
 * (tests/fuzz/fuzz_regex.c checks this on random patterns; its finds
 * are kept here).  fast: whether the fast path takes the pattern. */
static void test_regex_fast_path(void **state)
{
    static const struct {
        const char *pat, *subj;
        int want, fast;
    } cases[] = {
        { "^[0-9]{5}$", "12345", 1, 1 },
        { "^[0-9]{5}$", "1234", 0, 1 },
        { "^[a-z]+[0-9]{2}$", "abc12", 1, 1 },
        { "^[\\]a-]+$", "a]-", 1, 1 },
        { "^[a-c-e]+$", "-e", 1, 1 },
        /* fuzz_regex: an escaped character starts a range in PCRE2
         * ('\\-z' is 0x5c-0x7a); the fast path took it for three
         * characters and missed 'b' */
        { "^[\\\\-z]*$", "ab", 1, 0 },
        { "^[a\\.-z]$", "b", 1, 0 },
        { "^[\\]-a]$", "_", 1, 0 },
        { "^[\\]-]$", "-", 1, 1 },
        /* (*NO_JIT): every value was a "match limit" error */
        { "(*NO_JIT)(a+)+$", "aaa", 1, 0 },
        { "(*NO_JIT)^a+$", "aab", 0, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        char msg[256];
        size_t off;
        struct rx *slow = rx_compile(cases[i].pat, strlen(cases[i].pat),
                                     RX_NO_FAST, msg, sizeof(msg), &off);
        struct rx *fast = rx_compile(cases[i].pat, strlen(cases[i].pat), 0,
                                     msg, sizeof(msg), &off);
        struct rx_scratch *ss, *fs;

        if (slow == NULL || fast == NULL)
            fail_msg("'%s': %s", cases[i].pat, msg);
        ss = rx_scratch_new(slow);
        fs = rx_scratch_new(fast);
        if (rx_fast(fast) != cases[i].fast ||
            rx_match(slow, ss, cases[i].subj, strlen(cases[i].subj)) !=
            cases[i].want ||
            rx_match(fast, fs, cases[i].subj, strlen(cases[i].subj)) !=
            cases[i].want)
            fail_msg("case %zu: '%s' on '%s' (fast path %d)", i,
                     cases[i].pat, cases[i].subj, rx_fast(fast));
        rx_scratch_free(ss);
        rx_scratch_free(fs);
        rx_free(slow);
        rx_free(fast);
    }
}

/* Big documents near the size cap parse in linear time: a 900 KB flow
 * list on one line (positions are found by walking on from the last
 * one) and thousands of columns and checks (ids and names are hashed).
 * Quadratic code here took minutes. */
static void test_big(void **state)
{
    struct buf b = BUF_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct rules *r;
    int i;

    (void)state;
    buf_adds(&b, "columns: [{name: a, checks: [{allowed: [");
    for (i = 0; i < 150000; i++)
        buf_printf(&b, "%sv%d", i ? "," : "", i % 1000);
    buf_adds(&b, "]}]}]\n");
    r = rules_parse(b.data, b.len, "big.yml", &err);
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(r->check[1].nvals, 150000);
    assert_true(strset_has(r->check[1].set, "v999", 4));
    assert_false(strset_has(r->check[1].set, "v1000", 5));
    rules_free(r);

    buf_reset(&b);
    buf_adds(&b, "columns:\n");
    for (i = 0; i < 8000; i++)
        buf_printf(&b, "  - name: c%d\n    type: integer\n"
                   "    checks: [not_null, unique, {range: {min: 0}}]\n", i);
    r = rules_parse(b.data, b.len, "big.yml", &err);
    if (r == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(r->ncheck, 1 + 8000 * 4);
    assert_string_equal(r->check[r->ncheck - 1].id, "c7999.range");
    assert_int_equal(rules_column_type(r, "c4321"), VT_INTEGER);
    rules_free(r);
    buf_release(&b);
}

/* Suggestions: close typos only. */
static void test_suggest(void **state)
{
    static const char *const words[] = {
        "not_null", "range", "allowed", "pattern", "length", "unique"
    };
    static const struct {
        const char *typo;
        const char *want;
    } cases[] = {
        { "not_nul", "not_null" }, { "notnull", "not_null" },
        { "NOT_NULL", "not_null" }, { "rnage", "range" },
        { "alowed", "allowed" }, { "patern", "pattern" },
        { "uniq", "unique" }, { "lenght", "length" },
        { "x", NULL }, { "frobnicate", NULL }, { "min", NULL },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *s = rules_suggest(cases[i].typo, words,
                                      ARRAY_SIZE(words));

        if (cases[i].want == NULL)
            assert_null(s);
        else
            assert_string_equal(s, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_example),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_no_norway),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_empty_sections),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_bias_forms),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_hostile_files),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_tabs),
        cmocka_unit_test(test_regex_fast_path),
        cmocka_unit_test(test_big),
        cmocka_unit_test(test_suggest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
