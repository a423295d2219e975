/* rule_table.c -- the check kinds: one row per kind.
 *
 * parse.c finds a check's kind here by name and level; the checker calls
 * the row's eval per value (column checks) or per record (dataset
 * checks), and its report to write the result's observed value, limit
 * and message. */
#include <string.h>
#include "rules_int.h"

/* How to add a check kind:
 *  1. a row below: name (as written in rules files), level (CK_COLUMN:
 *     under a column's checks:, CK_DATASET: under the top-level checks:;
 *     a name may have one row per level, like unique), parse, eval,
 *     report, flags (KF_TOLERANCE: accepts max_failures/mostly);
 *  2. parse in kinds.c: read the kind's argument into struct check
 *     (add fields to it in rules_int.h), with located errors;
 *  3. eval in checks.c: count failures/checked in struct wcheck and add
 *     samples.  Column checks see only non-null values that parse
 *     (w->cell); dataset checks see records with the right field count.
 *     NULL eval: counted by checker.c (type, not_null, field_count) or
 *     after the scan (row_count, duplicate_rows, unique);
 *  4. report in checks.c: observed, limit, message;
 *  5. tests in tests/unit/test_rules_parse.c and test_checks.c, and the
 *     kind in DESIGN.md "Rules file". */
const struct check_kind check_kinds[] = {
    { "field_count", CK_DATASET, kind_parse_none, NULL,
      report_field_count, KF_TOLERANCE | KF_IMPLIED },
    { "type", CK_COLUMN, kind_parse_none, NULL,
      report_type, KF_TOLERANCE | KF_IMPLIED },
    { "not_null", CK_COLUMN, kind_parse_not_null, NULL,
      report_not_null, KF_TOLERANCE },
    { "range", CK_COLUMN, kind_parse_range, eval_range,
      report_range, KF_TOLERANCE | KF_TYPED },
    { "allowed", CK_COLUMN, kind_parse_allowed, eval_allowed,
      report_allowed, KF_TOLERANCE },
    { "pattern", CK_COLUMN, kind_parse_pattern, eval_pattern,
      report_pattern, KF_TOLERANCE },
    { "length", CK_COLUMN, kind_parse_length, eval_length,
      report_length, KF_TOLERANCE },
    { "unique", CK_COLUMN, kind_parse_none, eval_unique,
      report_unique, KF_TOLERANCE },
    { "unique", CK_DATASET, kind_parse_unique_cols, eval_unique_tuple,
      report_unique, KF_TOLERANCE },
    { "duplicate_rows", CK_DATASET, kind_parse_duplicate_rows, NULL,
      report_duplicate_rows, KF_TOLERANCE },
    { "row_count", CK_DATASET, kind_parse_row_count, NULL,
      report_row_count, 0 },
    { "expression", CK_DATASET, kind_parse_expression, eval_expression,
      report_expression, KF_TOLERANCE },
};
const size_t ncheck_kinds = sizeof(check_kinds) / sizeof(check_kinds[0]);

const struct check_kind *const kind_field_count = &check_kinds[0];
const struct check_kind *const kind_type = &check_kinds[1];

const struct check_kind *check_kind_find(const char *name, unsigned level)
{
    size_t i;

    for (i = 0; i < ncheck_kinds; i++)
        if ((check_kinds[i].level & level) &&
            strcmp(check_kinds[i].name, name) == 0)
            return &check_kinds[i];
    return NULL;
}
