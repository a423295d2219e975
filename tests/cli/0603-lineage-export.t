#!/bin/sh
# assay lineage export: OpenLineage RunEvents valid under the shared
# validator, PROV-JSON that python3-prov reads, DOT that Graphviz renders,
# a Mermaid flowchart.  Validators that are missing are skipped.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
cp "$DATA/lineage/raw.csv" raw.csv
cp "$DATA/lineage/rules.yml" rules.yml
head -n 5 raw.csv > train.csv
{ head -n 1 raw.csv; tail -n 2 raw.csv; } > test.csv
printf 'weights\n' > model.bin
h() { sha256sum "$1" | cut -c1-64; }
"$ASSAY" lineage add raw.csv >/dev/null
"$ASSAY" lineage derive train.csv --from raw.csv --transform 'split "80%"' \
    >/dev/null
"$ASSAY" lineage derive test.csv --from raw.csv --transform 'split <20%>' \
    >/dev/null
"$ASSAY" check train.csv --rules rules.yml >/dev/null 2>&1
RUN=$("$ASSAY" lineage run start --name 'churn "v1"' --input train.csv:train \
      --input test.csv:test --param lr=0.1)
"$ASSAY" lineage run finish "$RUN" --model model.bin --metric auc=0.9 \
    >/dev/null
RUN2=$("$ASSAY" lineage run start --name failed-run --input train.csv:train)
"$ASSAY" lineage run finish "$RUN2" --status failed >/dev/null
"$ASSAY" lineage run start --name still-running --input test.csv >/dev/null
"$ASSAY" lineage deploy model.bin --env production >/dev/null

# ---- OpenLineage
run lineage export --format openlineage
is "$rc" 0 "export openlineage"
printf '%s\n' "$out" > ol.jsonl
is "$(grep -c . ol.jsonl)" 13 "START + end for 2 derivations, 2 finished \
runs, 1 check, 1 deployment; START only for the running run"
like "$out" "\"datasetVersion\":\"sha256:$(h train.csv)\"" \
    "snapshot hashes in the version facet"
like "$out" "\"datasetVersion\":\"sha256:$(h model.bin)\"" "model hash too"
like "$out" '"dataQualityAssertions":\{[^}]*"assertions":\[\{' \
    "check results as dataQualityAssertions"
like "$out" '"assertion":"range","column":"age",[^}]*"success":true' \
    "one assertion per check result"
like "$out" '"eventType":"FAIL"' "a failed run ends with FAIL"
"$ASSAY" lineage show train.csv --format json > train.json
# ol EXPR: EXPR (Python) over the events `ev` of ol.jsonl
ol() {
    python3 -c 'import json,sys
ev = [json.loads(l) for l in open("ol.jsonl") if l.strip()]
ds = [d for e in ev for d in e.get("inputs", []) + e.get("outputs", [])]
print(eval(sys.argv[1]))' "$1"
}
is "$(ol 'sorted(set(d["facets"]["version"]["datasetVersion"] for d in ds))')" \
   "$(python3 -c 'import sys; print(sorted(set("sha256:" + a for a in sys.argv[1:])))' \
      "$(h raw.csv)" "$(h train.csv)" "$(h test.csv)" "$(h model.bin)")" \
   "every dataset carries its sha256 as version: raw, train, test, model"
is "$(ol 'sorted(set(d["facets"]["version"]["datasetVersion"] for d in ds if "dataQualityAssertions" in d.get("inputFacets", {})))')" \
   "['sha256:$(h train.csv)']" "assertions only on the checked snapshot"
is "$(ol '[[(a["assertion"], a.get("column"), a["success"]) for a in d["inputFacets"]["dataQualityAssertions"]["assertions"]] for e in ev if e["job"]["name"].startswith("check:") for d in e["inputs"]][0]')" \
   "$(jget train.json '[(r["kind"], r["column"], r["status"] == "pass") for r in d["checks"][-1]["results"]]')" \
   "one assertion per recorded result: kind, column, success"
OLV=""
if [ -n "$SHARED" ] && [ -f "$SHARED/openlineage-spec/validate_openlineage.py" ]; then
    for py in python3 /usr/bin/python3; do
        if "$py" -c 'import jsonschema' 2>/dev/null; then OLV=$py; break; fi
    done
fi
if [ -n "$OLV" ]; then
    (cd "$SHARED/openlineage-spec" &&
     "$OLV" validate_openlineage.py --quiet "$T/ol.jsonl") >olv.txt 2>&1
    ok $? "every event is valid under validate_openlineage.py"
    [ -s olv.txt ] && sed 's/^/# /' olv.txt | head -20
else
    skip "OpenLineage validator or python3 jsonschema not available"
fi

# ---- PROV-JSON
run lineage export --format prov
is "$rc" 0 "export prov"
printf '%s\n' "$out" > lineage.provjson
is "$(jget lineage.provjson 'd["entity"]["snap:'"$(h raw.csv)"'"]["assay:contentHash"]')" \
   "sha256:$(h raw.csv)" "snapshot entity named by its hash"
if /usr/bin/python3 -c 'import prov' 2>/dev/null; then
    /usr/bin/python3 - lineage.provjson >prov.txt 2>&1 <<'EOF'
import sys
from prov.model import ProvDocument
doc = ProvDocument.deserialize(source=sys.argv[1], format="json")
again = ProvDocument.deserialize(content=doc.serialize(format="json"),
                                 format="json")
assert again == doc, "round trip"
assert len(doc.get_records()) > 20, len(doc.get_records())
doc.get_provn()
EOF
    ok $? "python3-prov reads it, round-trips it, writes PROV-N"
    sed 's/^/# /' prov.txt | head -5
else
    skip "python3-prov not installed"
fi

# ---- DOT
run lineage export --format dot
is "$rc" 0 "export dot"
printf '%s\n' "$out" > g.dot
like "$out" '^digraph lineage \{' "a digraph"
like "$out" 'label="split \\"80%\\""' "quotes in labels are escaped"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg g.dot -o g.svg 2>dot.txt
    ok $? "dot -Tsvg renders it"
    grep -q '<svg' g.svg; ok $? "an SVG came out"
else
    skip "graphviz not installed"; skip "graphviz not installed"
fi

# ---- Mermaid
run lineage export --format mermaid
is "$rc" 0 "export mermaid"
like "$out" '^flowchart LR' "a flowchart"
like "$out" 's[0-9]+ -->\|"train"\| r[0-9]+' "role on the input edge"
like "$out" '#quot;80%#quot;' "quotes as entity codes"
like "$out" '#lt;20%#gt;' "angle brackets as entity codes"
unlike "$(printf '%s\n' "$out" | sed 's/"[^"]*"//g; s/-\.*->//g')" '[<>"]' \
    "no bare angle brackets or quotes outside labels"

run lineage export --format yaml
is "$rc" 2 "an unknown format is a usage error"
done_testing
