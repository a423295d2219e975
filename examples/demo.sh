#!/bin/sh
# demo.sh -- the main job on examples/: the gate, the lineage graph, the
# compliance report.  Run by `make demo`; uses a demo database under
# examples/out/ (the embedded SQLite default, no server).
set -u
ASSAY=${1:-./assay}
EX=$(dirname "$0")
OUT="$EX/out"
mkdir -p "$OUT"
export ASSAY_DB="$OUT/lineage.db"
rm -f "$ASSAY_DB" "$ASSAY_DB-wal" "$ASSAY_DB-shm"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step assay check examples/churn/train.csv --rules examples/churn/rules.yml
"$ASSAY" check "$EX/churn/train.csv" --rules "$EX/churn/rules.yml" \
    --report junit="$OUT/junit.xml" --report html="$OUT/report-fail.html" \
    --report json="$OUT/result.json"
echo "exit code: $? (1: the gate failed, as it should on this data)"

step assay check examples/churn/clean.csv --rules examples/churn/rules.yml
"$ASSAY" check "$EX/churn/clean.csv" --rules "$EX/churn/rules.yml" \
    --report html="$OUT/report-pass.html"
echo "exit code: $? (0: the gate passed)"

step assay bias examples/churn/clean.csv --facet gender --facet-value female \
    --label churned --label-value 1 --predicted predicted
"$ASSAY" bias "$EX/churn/clean.csv" --facet gender --facet-value female \
    --label churned --label-value 1 --predicted predicted

step assay hash examples/churn/clean.csv
"$ASSAY" hash "$EX/churn/clean.csv"

step assay lineage derive examples/churn/clean.csv --from examples/churn/train.csv \
    --transform "fix types, drop duplicates and malformed rows"
"$ASSAY" lineage derive "$EX/churn/clean.csv" --from "$EX/churn/train.csv" \
    --transform "fix types, drop duplicates and malformed rows"

step 'RUN=$(assay lineage run start --name churn-v1 --input examples/churn/clean.csv:train)'
printf 'model weights\n' > "$OUT/model.bin"
RUN=$("$ASSAY" lineage run start --name churn-v1 \
    --input "$EX/churn/clean.csv:train" --param max_depth=6)
echo "$RUN"
"$ASSAY" lineage run finish "$RUN" --model "$OUT/model.bin" --metric auc=0.91
"$ASSAY" lineage deploy "$OUT/model.bin" --env production

step assay lineage upstream env:production
"$ASSAY" lineage upstream env:production

step assay report env:production -o examples/out/compliance.html
"$ASSAY" report env:production -o "$OUT/compliance.html"

if command -v openssl >/dev/null 2>&1; then
    step assay attest env:production --key key.pem -o examples/out/production.att.json
    openssl genpkey -algorithm ed25519 -out "$OUT/key.pem" 2>/dev/null
    openssl pkey -in "$OUT/key.pem" -pubout -out "$OUT/pub.pem"
    "$ASSAY" attest env:production --key "$OUT/key.pem" \
        --output "$OUT/production.att.json"
    step assay attest --verify examples/out/production.att.json --key pub.pem
    "$ASSAY" attest --verify "$OUT/production.att.json" --key "$OUT/pub.pem"
fi

step assay lineage verify
"$ASSAY" lineage verify

step assay lineage log
"$ASSAY" lineage log
echo
echo "Written to $OUT/: junit.xml, result.json, report-*.html (check runs),"
echo "compliance.html (the audit report), production.att.json (signed)."
exit 0
