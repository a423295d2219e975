#!/bin/sh
# assay suggest: a rules file that `assay check` passes on the same data;
# YAML quoting of odd names and values; null tokens; what is suggested.
. "$(dirname "$0")/lib.sh"
D="$DATA/profile"

# suggest then check: exit 0 on the same data, for every data file here
for f in mixed ids names; do
    run suggest "$D/$f.csv"
    is "$rc" 0 "$f: suggest exits 0"
    printf '%s\n' "$out" > "$T/$f.yml"
    run check "$D/$f.csv" --rules "$T/$f.yml" --no-record
    is "$rc" 0 "$f: check passes with the suggested rules"
done

y=$(cat "$T/mixed.yml")
like "$y" '^version: 1$' "version 1"
like "$y" '^dataset: "mixed"$' "dataset name from the file name"
like "$y" 'not_null: \{max_missing: 22\.0%\}' "not_null allowance above 20%"
like "$y" 'range: \{min: -3, max: 100\}' "number range"
like "$y" 'allowed: \["02134", "10001", "60601", "94105"\]' "zip codes allowed"
like "$y" '"said \\"hi\\"", "two\\nlines"' "YAML escapes quotes and newlines"
like "$y" 'duplicate_rows: \{max: 0\}' "no duplicates: duplicate_rows"
like "$y" 'row_count: \{min: 5\}' "row_count"
unlike "$y" 'unique' "5 values prove nothing unique"
y=$(cat "$T/ids.yml")
like "$y" 'unique: \{\}' "ids: unique"
like "$y" 'length: \{min: 6, max: 6\}' "ids: fixed length"
y=$(cat "$T/names.yml")
like "$y" 'name: "say \\"hi\\""' "names: quoted header"
like "$y" 'column 5: repeated name, left out' "names: repeated name"

# Null tokens go into the rules too
run suggest "$D/na.csv" --null-value NA --null-value n/a
printf '%s\n' "$out" > "$T/na.yml"
like "$out" '^null_values: \["NA", "n/a"\]$' "null_values"
like "$out" 'type: integer' "val is an integer once NA is null"
run check "$D/na.csv" --rules "$T/na.yml" --no-record
is "$rc" 0 "na: check passes"

# A value YAML cannot hold plainly: U+2028, a tab, a backslash
printf 'v\n"a\342\200\250b"\nc\\d\n"e\tf"\n' > "$T/odd.csv"
run suggest "$T/odd.csv"
printf '%s\n' "$out" > "$T/odd.yml"
like "$out" '\\u2028' "U+2028 escaped"
run check "$T/odd.csv" --rules "$T/odd.yml" --no-record
is "$rc" 0 "odd values: check passes"

# Wrong field counts: said in a comment
run suggest "$D/ragged.csv"
like "$out" '2 records have a wrong field count' "ragged: noted"

# A generated table: high-cardinality columns (sketches, exact unique by
# a second look), nulls, dates, timestamps, free text
if python3 "$SHARED/bench/gen_dataset.py" --rows 30000 --seed 5 \
       -o "$T/gen.csv" 2>/dev/null; then
    run suggest "$T/gen.csv"
    is "$rc" 0 "generated: suggest"
    printf '%s\n' "$out" > "$T/gen.yml"
    like "$out" 'customer_id"
    type: integer
    checks:
      - not_null: \{\}
      - range: \{min: [0-9]+, max: [0-9]+\}
      - unique: \{\}' "generated: customer_id unique"
    like "$out" 'zip_code"
    type: string
    checks:
      - not_null: \{\}
      - length: \{min: 5, max: 5\}' "generated: zip length"
    run check "$T/gen.csv" --rules "$T/gen.yml" --no-record
    is "$rc" 0 "generated: check passes"
else
    for i in 1 2 3 4; do skip "../shared/bench not present"; done
fi

# Real data
if [ -n "$SHARED" ]; then
    for f in adult/adult.csv german_credit/german_credit.csv \
             bank_marketing/bank-full.csv \
             compas/compas-scores-two-years.csv; do
        run suggest "$SHARED/datasets/$f"
        printf '%s\n' "$out" > "$T/real.yml"
        run check "$SHARED/datasets/$f" --rules "$T/real.yml" --no-record
        is "$rc" 0 "$f: check passes with the suggested rules"
    done
else
    for i in 1 2 3 4; do skip "../shared not present"; done
fi

# Errors
run suggest
is "$rc" 2 "no file: usage error"
run suggest "$D/na.csv" --null-value ""
is "$rc" 2 "empty null token: usage error"
run suggest "$T/nope.csv"
is "$rc" 3 "missing file: exit 3"
done_testing
