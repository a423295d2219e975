#!/bin/sh
# assay report: a compliance report from the lineage database, end to end.
# A lineage graph is built with assay check (records by default), lineage
# derive, add and run start/finish; then a snapshot, a failing snapshot
# and a run are reported in html, markdown and json.  Bad input: an
# unknown REF exits 3 with one message; usage errors exit 2.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
EX="$TOP/examples/churn"
cp "$EX/rules.yml" rules.yml
cp "$EX/train.csv" raw.csv
cp "$EX/clean.csv" clean.csv
head -n 1500 "$EX/clean.csv" > valid.csv
export SOURCE_DATE_EPOCH=1767225600         # 2026-01-01T00:00:00Z

# ---- the lineage graph
run check raw.csv --rules rules.yml --format json
is "$rc" 1 "the raw file fails its checks (and is recorded)"
run lineage derive clean.csv --from raw.csv --transform 'fix types, drop duplicates'
is "$rc" 0 "clean.csv derived from raw.csv"
run check clean.csv --rules rules.yml --format json
is "$rc" 0 "clean.csv passes"
run lineage add valid.csv --dataset churn_valid
is "$rc" 0 "valid.csv recorded, never checked"
run lineage run start --name churn-xgb --input clean.csv:train \
    --input valid.csv:validation --code 9f1c2ab --param max_depth=6
is "$rc" 0 "run started"
RUN=$out
printf 'weights\n' > model.bin
run lineage run finish churn-xgb --model model.bin --metric auc=0.91
is "$rc" 0 "run finished"

# ---- a passing snapshot, html (default format), to a file
run report clean.csv --output pass.html
is "$rc" 0 "report on a snapshot: exit 0"
is "$out" "" "nothing on stdout with --output"
ok "$([ -s pass.html ]; echo $?)" "the file is written"
ok "$(ls | grep -c '\.tmp' | grep -qx 0; echo $?)" "no temporary file left behind"
H=$(cat pass.html)
like "$H" '^<!DOCTYPE html>' "html document"
like "$H" "<title>Compliance report: [^<]*\(PASS\)</title>" "verdict PASS in the title"
like "$H" "default-src 'none'; style-src 'unsafe-inline'; img-src data:" \
    "a CSP forbids external loads"
for s in identification provenance quality profile bias gaps signoff evidence mapping; do
    like "$H" "<section id=\"$s\"" "section $s"
done
like "$H" "$(sha256sum clean.csv | cut -c1-64)" "the file's sha256 is in the evidence index"
like "$H" "$(sha256sum rules.yml | cut -c1-64)" "and the rules file's"
like "$H" "fix types, drop duplicates" "the derivation is shown"
like "$H" "2026-01-01T00:00:00Z" "generated time from SOURCE_DATE_EPOCH"
like "$H" "assay $("$ASSAY" --version | cut -d' ' -f2)" "tool version"
unlike "$H" "<script" "no script"

# ---- a failing snapshot, markdown, to stdout
run report raw.csv --format markdown
is "$rc" 0 "report on a failing snapshot: still exit 0 (the report was written)"
like "$out" '^# Training data compliance report' "markdown heading"
like "$out" '\*\*Verdict:\*\* \*\*FAIL\*\*' "verdict FAIL"
like "$out" '^## 6 Gaps and mitigations' "gaps section"
like "$out" 'customer\\_id\.unique' "a failing check, escaped for Markdown"
like "$out" 'line [0-9]+ \(record [0-9]+\)' "samples with line numbers"
like "$out" '\| Approver \|  \|  \|  \|' "blank sign-off fields"

# ---- a run, json, format from the extension
run report churn-xgb -o run.json
is "$rc" 0 "report on a run"
is "$(jget run.json 'd["evidence"]["target"]["kind"]')" run "target is the run"
is "$(jget run.json 'd["verdict"]')" warn \
   "an unchecked input warns; the failing raw file upstream is context"
is "$(jget run.json '[g["kind"] for g in d["gaps"] if g["severity"] == "info" and g["kind"] == "upstream"]')" \
   "['upstream']" "the failing upstream file is listed as context"
is "$(jget run.json 'len(d["evidence"]["snapshots"])')" 3 \
   "the run's inputs and what they were derived from"
is "$(jget run.json 'sorted(g["kind"] for g in d["gaps"] if g["kind"] in ("unchecked",))')" \
   "['unchecked']" "the never-checked input is a gap"
is "$(jget run.json 'len(d["mapping"]["sections"])')" 8 "the mapping table"
is "$(jget run.json 'd["mapping"]["eu_ai_act_article_10"][0]["item"]')" "10(2)(a)" \
   "EU AI Act items"
run report "$RUN" --format html
is "$rc" 0 "by run id, html on stdout"
like "$out" '<svg [^>]*aria-labelledby="pg-t pg-d"' "the provenance graph is drawn"
like "$out" '<g class="node k-run">' "with the run node"

# ---- reproducible
run report churn-xgb --format json
A=$out
run report churn-xgb --format json
is "$out" "$A" "the same database gives the same bytes"

# ---- hostile names and values
printf 'id,"<script>alert(1)</script>"\n1,"<img src=x onerror=alert(2)>"\n2,"a""b"\n' > evil.csv
printf 'version: 1\ndataset: "evil<b>"\ncolumns:\n  - name: id\n    type: integer\n' > evil.yml
run check evil.csv --rules evil.yml
run report evil.csv --format html
is "$rc" 0 "report on hostile data"
unlike "$out" "<script|<img|<b>" "markup from the data is escaped"
like "$out" "&lt;script&gt;alert\(1\)&lt;/script&gt;" "the column name, escaped"
run report evil.csv --format markdown
unlike "$(printf '%s\n' "$out" | sed 's/<br>//g' | grep -v '^```' )" '[^\\]<script' \
    "markdown escapes it too"

# ---- bad input and usage
run report deadbeefdeadbeef
is "$rc" 3 "unknown REF: exit 3"
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "one message"
like "$err" "^assay: error: .*deadbeefdeadbeef" "naming the REF"
is "$out" "" "nothing on stdout"
run report nope.csv -o nope.html
is "$rc" 3 "unknown path: exit 3"
ok "$([ ! -e nope.html ]; echo $?)" "no report file is left"
run report
is "$rc" 2 "no REF: usage error"
run report clean.csv --format pdf
is "$rc" 2 "unknown format: usage error"
like "$err" "unknown format 'pdf'" "named"
run report clean.csv raw.csv
is "$rc" 2 "two REFs: usage error"
run --db "$T/none/lineage.db" report clean.csv
is "$rc" 3 "no database: exit 3"
run report --help
is "$rc" 0 "--help"
like "$out" "Examples:" "help teaches with examples"
done_testing
