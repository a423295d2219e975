#!/bin/sh
# SARIF 2.1.0 and GitLab Code Quality from every fixture validate with
# Debian's /usr/bin/jsonschema against the schemas in ../shared; Code
# Quality has no BOM; fingerprints do not depend on observed values.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tools/reports-lib.sh"

JS=/usr/bin/jsonschema      # Debian's, not the pyenv python3 on PATH
SARIF_SCHEMA="$SHARED/sarif-schema/sarif-schema-2.1.0.json"
CQ_SCHEMA="$SHARED/gitlab-codequality/codequality-report.schema.json"
can=0
[ -n "$SHARED" ] && [ -x "$JS" ] && can=1

for f in $FIXTURES; do
    render sarif "$f"
    is "$rc" 0 "sarif renders $f"
    render codequality "$f"
    is "$rc" 0 "codequality renders $f"
    if [ "$can" -eq 0 ]; then
        skip "/usr/bin/jsonschema or ../shared absent"
        skip "/usr/bin/jsonschema or ../shared absent"
    else
        check "$f: SARIF valid against sarif-schema-2.1.0.json" \
            "$JS" -i "$T/$f.sarif" "$SARIF_SCHEMA"
        check "$f: Code Quality valid against codequality-report.schema.json" \
            "$JS" -i "$T/$f.codequality" "$CQ_SCHEMA"
    fi
    head -c3 "$T/$f.codequality" | od -An -tx1 | grep -q 'ef bb bf'
    is "$?" 1 "$f: Code Quality has no UTF-8 BOM"
done

# The validators really validate: the shared invalid examples fail.
if [ "$can" -eq 1 ]; then
    "$JS" -i "$SHARED/sarif-schema/examples/invalid-missing-driver-name.sarif" \
        "$SARIF_SCHEMA" >/dev/null 2>&1
    is "$?" 1 "jsonschema rejects an invalid SARIF file (validator sanity)"
    "$JS" -i "$SHARED/gitlab-codequality/examples/invalid.json" \
        "$CQ_SCHEMA" >/dev/null 2>&1
    is "$?" 1 "jsonschema rejects an invalid Code Quality file"
else
    skip "/usr/bin/jsonschema or ../shared absent"
    skip "/usr/bin/jsonschema or ../shared absent"
fi

S="$T/fail.sarif"
is "$(jget "$S" 'd["version"]')" 2.1.0 "SARIF version"
is "$(jget "$S" 'len(d["runs"][0]["results"])')" 8 \
    "one result per check that did not pass"
q='[r for r in d["runs"][0]["results"] if r["properties"]["id"]=="age.range"][0]'
is "$(jget "$S" "$q[\"locations\"][0][\"physicalLocation\"][\"region\"][\"startLine\"]")" \
    1042 "region.startLine is the first sample's line"
is "$(jget "$S" "$q[\"locations\"][0][\"physicalLocation\"][\"artifactLocation\"][\"uri\"]")" \
    data/train.csv "artifactLocation.uri is the data path"
is "$(jget "$S" "$q[\"locations\"][0][\"logicalLocations\"][0][\"name\"]")" \
    age "logical location is the column"
is "$(jget "$S" 'all(r["fullDescription"]["text"] and r["shortDescription"]["text"] for r in d["runs"][0]["tool"]["driver"]["rules"])')" \
    True "every rule has short and full descriptions"
is "$(jget "$S" 'all(d["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in d["runs"][0]["results"])')" \
    True "every result's ruleIndex names its ruleId"

# Fingerprints: stable when observed values change, distinct per check.
"$PY" - "$FIX/fail.json" "$T/changed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    r["observed"] = 12345
    r["failures"] = r.get("failures", 0) + 7
    r["samples"] = r["samples"][1:]
json.dump(d, open(sys.argv[2], "w"))
PY
"$RENDER" render codequality "$T/changed.json" >"$T/changed.cq" 2>/dev/null
fp='sorted(e["fingerprint"] for e in d)'
is "$(jget "$T/changed.cq" "$fp")" "$(jget "$T/fail.codequality" "$fp")" \
    "Code Quality fingerprints ignore observed values"
is "$(jget "$T/fail.codequality" 'len(set(e["fingerprint"] for e in d)) == len(d)')" \
    True "fingerprints are unique"
is "$(jget "$T/fail.codequality" 'sorted(set(e["severity"] for e in d))')" \
    "['critical', 'info', 'major', 'minor']" "severity mapping"
is "$(jget "$T/bias.codequality" 'len(d)')" 3 "bias-only: one issue per failed finding"
is "$(jget "$T/pass.codequality" 'd')" "[]" "passing data: empty array"
done_testing
