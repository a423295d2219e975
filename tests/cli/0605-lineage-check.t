#!/bin/sh
# assay check records its snapshot and results in the lineage database;
# a path overwritten in place (new bytes, no derivation recorded) is
# flagged, a derived file is not.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
P=$(pwd -P)
cp "$DATA/lineage/raw.csv" data.csv
cp "$DATA/lineage/rules.yml" rules.yml
h() { sha256sum "$1" | cut -c1-64; }
OLD=$(h data.csv)

run check data.csv --rules rules.yml
is "$rc" 0 "check passes"
unlike "$err" "overwritten" "first sight: no warning"
run lineage show data.csv --format json
is "$rc" 0 "the checked file is a snapshot"
printf '%s\n' "$out" > s1.json
is "$(jget s1.json 'd["sha256"]')" "$OLD" "its sha256"
is "$(jget s1.json 'd["dataset"]')" churn "dataset name from the rules file"
is "$(jget s1.json '[c["verdict"] for c in d["checks"]]')" "['pass']" \
   "the check result"
is "$(jget s1.json 'd["checks"][0]["rules_sha256"]')" "$(h rules.yml)" \
   "the rules file's sha256"
is "$(jget s1.json 'd["checks"][0]["tool_version"]')" \
   "$("$ASSAY" --version | cut -d' ' -f2)" "the tool version"
is "$(jget s1.json '{r["id"]: r["status"] for r in d["checks"][0]["results"]}["age.range"]')" \
   pass "results are kept"

run check data.csv --rules rules.yml --no-record
run lineage log --format json
printf '%s\n' "$out" > l.json
is "$(jget l.json 'len(d)')" 1 "--no-record records nothing"

# ---- overwritten in place
printf '7,17,gold,1\n' >> data.csv
NEW=$(h data.csv)
run check data.csv --rules rules.yml
is "$rc" 1 "the new content fails its checks"
like "$err" "warning: '$P/data.csv' was overwritten in place: it held $OLD and now holds $NEW" \
    "the overwrite is named: path, old and new hash"
run lineage show data.csv --format json
printf '%s\n' "$out" > s2.json
is "$(jget s2.json 'd["sha256"]')" "$NEW" "the path now resolves to the new snapshot"
is "$(jget s2.json '[(p["overwrite"], p["previous"]) for p in d["paths"]]')" \
   "[(True, '$OLD')]" "recorded as an overwrite of the old snapshot"
run lineage impact data.csv --format json
printf '%s\n' "$out" > i.json
is "$(jget i.json 'd["checks_passed"]')" False "impact: its checks failed"
run lineage impact "$OLD" --format json
printf '%s\n' "$out" > i0.json
is "$(jget i0.json 'd["checks_passed"]')" True "the old snapshot passed"
run lineage verify
is "$rc" 0 "the database agrees with the files again"

# ---- a derived file is not an overwrite
cp data.csv clean.csv
head -n 7 data.csv > clean.csv
run check clean.csv --rules rules.yml
is "$rc" 0 "check clean.csv"
head -n 6 data.csv > clean.csv
run lineage derive clean.csv --from data.csv --transform 'drop the bad row'
is "$rc" 0 "derive the new clean.csv"
unlike "$err" "overwritten" "a recorded derivation is not an overwrite"
run check clean.csv --rules rules.yml
unlike "$err" "overwritten" "nor when it is checked afterwards"
run lineage show clean.csv --format json
printf '%s\n' "$out" > c.json
is "$(jget c.json '[p["overwrite"] for p in d["paths"]]')" "[False]" \
   "not flagged"
done_testing
