#!/bin/sh
# assay profile: the table, the JSON profile (DESIGN.md keys), null tokens,
# records with a wrong field count, stdin, usage and input errors.
. "$(dirname "$0")/lib.sh"
D="$DATA/profile"

run profile "$D/mixed.csv"
is "$rc" 0 "text: exit 0"
like "$out" '^.*mixed\.csv: 5 rows, 9 columns' "text: header line"
like "$out" '^score +number +1 +4 ' "text: a table row"
like "$out" 'top Boston \(2\)' "text: top values"

run profile "$D/mixed.csv" --format json
is "$rc" 0 "json: exit 0"
printf '%s\n' "$out" > "$T/p.json"
c() { jget "$T/p.json" "{c['name']: c for c in d['columns']}$1"; }
is "$(jget "$T/p.json" 'd["dataset"]["rows"]')" 5 "json: dataset rows"
is "$(jget "$T/p.json" 'len(d["columns"])')" 9 "json: one object per column"
keys='{"name","type","count","nulls","distinct","min","max","mean","stddev",
       "quantiles","top"}'
is "$(jget "$T/p.json" "set(d['columns'][0]) >= $keys")" \
   True "json: the DESIGN.md keys"
is "$(c '["id"]["type"]')" integer "id: integer"
is "$(c '["age"]["nulls"]')" 1 "age: one empty field is null"
is "$(c '["age"]["mean"]')" 40.25 "age: mean"
is "$(c '["age"]["min"]')" 29 "age: min is a number"
is "$(c '["score"]["type"]')" number "score: 1e2 and -3 make a number"
is "$(c '["score"]["max"]')" 100.0 "score: max"
is "$(c '["active"]["type"]')" boolean "true/FALSE/... is boolean"
is "$(c '["day"]["min"]')" 2020-02-29 "date min as ISO text"
is "$(c '["seen"]["type"]')" timestamp "timestamp"
is "$(c '["seen"]["min"]')" 2021-01-05T10:00:00Z "timestamp min in UTC"
is "$(c '["seen"]["max"]')" 2022-01-01T00:00:00Z "timestamp max in UTC"
is "$(c '["zip"]["type"]')" string "leading zeros keep zip codes strings"
is "$(c '["zip"]["min_length"]')" 5 "zip: length"
is "$(c '["zip"]["top"][0]')" "{'value': '02134', 'count': 2}" "zip: top value"
is "$(c '["note"]["distinct"]')" 4 "note: quoted newline and quotes"
is "$(c '["note"]["max_length"]')" 9 "note: lengths in characters"
is "$(c '["city"]["distinct_exact"]')" True "distinct exact"
is "$(c '["id"]["quantiles"]["p50"]')" 3 "quantiles: p50"

# Null tokens
run profile "$D/na.csv" --format json
printf '%s\n' "$out" > "$T/na.json"
is "$(jget "$T/na.json" 'd["columns"][1]["type"]')" string "NA is text by default"
run profile "$D/na.csv" --format json --null-value NA --null-value n/a
printf '%s\n' "$out" > "$T/na.json"
is "$(jget "$T/na.json" 'd["columns"][1]["type"]')" integer "--null-value NA n/a"
is "$(jget "$T/na.json" 'd["columns"][1]["nulls"]')" 2 "tokens counted as nulls"

# Records with a wrong field count are left out of the profile.
run profile "$D/ragged.csv" --format json
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" 'd["dataset"]["rows"]')" 4 "rows counts every record"
is "$(jget "$T/r.json" 'd["dataset"]["profiled"]')" 2 "two records profiled"
is "$(jget "$T/r.json" 'd["columns"][0]["count"]')" 2 "count leaves them out"
run profile "$D/ragged.csv"
like "$out" '2 rows with a wrong field count left out' "text says so"

# stdin, TSV
"$ASSAY" profile - --format json < "$D/mixed.csv" > "$T/s.json" 2>/dev/null
is "$?" 0 "stdin: exit 0"
is "$(jget "$T/s.json" 'd["columns"][2]["mean"]')" 24.6875 "stdin: same numbers"
printf 'a\tb\n1\tx y\n2\tz\n' > "$T/t.tsv"
run profile "$T/t.tsv" --format json
printf '%s\n' "$out" > "$T/t.json"
is "$(jget "$T/t.json" 'd["columns"][1]["top"][0]["value"]')" "x y" "TSV by extension"

# Errors
run profile
is "$rc" 2 "no file: usage error"
run profile "$D/mixed.csv" --format xml
is "$rc" 2 "unknown format: usage error"
like "$err" "unknown format 'xml'" "unknown format: message"
run profile "$D/mixed.csv" --top 0
is "$rc" 2 "--top 0: usage error"
run profile "$T/nope.csv"
is "$rc" 3 "missing file: exit 3"
like "$err" "^assay: error: cannot open '.*nope\.csv'" "missing file: message"

# Real data (../shared)
if [ -n "$SHARED" ]; then
    run profile "$SHARED/datasets/adult/adult.csv" --format json
    printf '%s\n' "$out" > "$T/a.json"
    a() { jget "$T/a.json" "{c['name']: c for c in d['columns']}$1"; }
    is "$(a '["age"]["min"]')" 17 "adult: age min 17"
    is "$(a '["age"]["max"]')" 90 "adult: age max 90"
    is "$(a '["sex"]["distinct"]')" 2 "adult: sex distinct 2"
    is "$(a '["sex"]["top"]')" \
       "[{'value': 'Male', 'count': 21790}, {'value': 'Female', 'count': 10771}]" \
       "adult: Male 21,790 / Female 10,771"
    is "$(a '["fnlwgt"]["distinct_exact"]')" False "adult: fnlwgt estimated"
    run profile "$SHARED/datasets/german_credit/german_credit.csv" --format json
    printf '%s\n' "$out" > "$T/g.json"
    is "$(jget "$T/g.json" 'd["dataset"]["rows"]')" 1000 "german_credit: 1000 rows"
else
    for i in 1 2 3 4 5 6; do skip "../shared not present"; done
fi
done_testing
