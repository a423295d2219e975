#!/bin/sh
# assay check: verdicts, exit codes, the JSON contract, clear errors.
. "$(dirname "$0")/lib.sh"
D="$DATA/check"

run check "$D/people.csv" --rules "$D/people.yml" --format json --no-record
is "$rc" 1 "failing checks exit 1"
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" 'd["verdict"]')" fail "verdict fail"
is "$(jget "$T/r.json" 'd["dataset"]["rows"]')" 5 "rows counts data records"
is "$(jget "$T/r.json" 'd["dataset"]["columns"]')" 6 "columns"
is "$(jget "$T/r.json" 'd["dataset"]["name"]')" people "dataset name from rules"
is "$(jget "$T/r.json" 'len(d["dataset"]["sha256"])')" 64 "sha256 hex"
is "$(jget "$T/r.json" 'd["dataset"]["sha256"]')" \
   "$(sha256sum "$D/people.csv" | cut -d' ' -f1)" "sha256 equals sha256sum"
q() { python3 -c 'import json,sys;d=json.load(open(sys.argv[1]));r={x["id"]:x for x in d["results"]};print(eval(sys.argv[2]))' "$T/r.json" "$1"; }
is "$(q 'r["age.range"]["failures"]')" 2 "age.range: 17 and 212"
is "$(q 'r["age.not_null"]["failures"]')" 1 "age.not_null: one empty"
is "$(q 'r["age.range"]["checked"]')" 4 "range checks the 4 non-null ages"
is "$(q 'r["signup.type"]["failures"]')" 1 "2021-02-30 is not a date"
is "$(q 'r["score.type"]["failures"]')" 1 "x is not a number"
is "$(q 'r["score.range"]["failures"]')" 1 "1.5 outside [0,1]"
is "$(q 'r["score.range"]["severity"]')" warn "severity kept"
is "$(q 'r["email.pattern"]["failures"]')" 1 "cid@example fails the pattern"
is "$(q 'r["id.unique"]["failures"]')" 1 "id 4 repeats"
is "$(q 'r["id.unique"]["samples"][0]["record"]')" 5 "repeat sample record"
is "$(q 'r["id.unique"]["samples"][0]["line"]')" 6 "repeat sample line"
is "$(q 'r["age.range"]["samples"][0]["value"]')" 17 "sample value"
is "$(q 'r["age.range"]["samples"][0]["line"]')" 3 "sample line"
is "$(q 'r["field_count"]["failures"]')" 0 "field_count always reported"
is "$(q 'r["row_count"]["status"]')" pass "row_count passes"
is "$(q 'r["age.range"]["status"]')" fail "age.range fails"

# Text output names the failing checks; exit code stays the verdict.
run check "$D/people.csv" --rules "$D/people.yml" --no-record
is "$rc" 1 "text: exit 1"
like "$out" "age.range" "text names age.range"

# Usage errors: exit 2 with a pointer to --help.
run check "$D/people.csv" --no-record
is "$rc" 2 "missing --rules is a usage error"
like "$err" "rules" "message mentions --rules"
run check "$D/people.csv" --rules "$D/people.yml" --format yaml
is "$rc" 2 "unknown format"
run check --bogus
is "$rc" 2 "unknown option"

# Bad input: exit 3, one clear message.
run check "$D/nope.csv" --rules "$D/people.yml" --no-record
is "$rc" 3 "missing data file"
like "$err" "cannot open '.*nope.csv'" "names the file"
run check "$D/people.csv" --rules "$D/typo.yml" --no-record
is "$rc" 3 "typo in a check kind"
like "$err" "typo.yml:6:[0-9]+: .*not_nul" "FILE:LINE:COL and the word"
run check "$D/people.csv" --rules "$D/unknown-column.yml" --no-record
is "$rc" 3 "a required column missing from the data"
like "$err" "agee" "names the column"
run check "$D/people.csv" --rules "$D/bad-regex.yml" --no-record
is "$rc" 3 "bad regex"
like "$err" "bad-regex.yml:6" "bad regex located"

# Help teaches.
run check --help
is "$rc" 0 "--help exits 0"
like "$out" "Examples" "help has examples"
done_testing
