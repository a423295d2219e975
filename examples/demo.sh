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

step assay lineage log
"$ASSAY" lineage log
echo
echo "Reports written to $OUT/ (junit.xml, result.json, report-*.html)."
exit 0
