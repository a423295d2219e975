#!/bin/sh
# scripts/screenshots.sh -- regenerate the example compliance reports and
# their screenshots in examples/reports/ (shown in the README):
#   report-pass.html/.png  clean.csv, derived from train.csv; checks pass
#   report-fail.html/.png  train.csv; checks fail
# The lineage database is built in a fixed scratch directory with a
# fixed SOURCE_DATE_EPOCH, so the HTML is the same on every run.  Needs
# Debian's chromium for the PNGs (the HTML is written without it).
#   sh scripts/screenshots.sh          # ASSAY=path/to/assay to override
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
ASSAY=${ASSAY:-$TOP/assay}
OUT=$TOP/examples/reports
W=${SCREENSHOT_DIR:-/tmp/assay-screenshots}
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
export SOURCE_DATE_EPOCH=1767225600         # 2026-01-01T00:00:00Z
export ASSAY_DB="$W/lineage.db"

rm -rf "$W"
mkdir -p "$W" "$OUT"
cp "$TOP/examples/churn/rules.yml" "$TOP/examples/churn/train.csv" \
   "$TOP/examples/churn/clean.csv" "$W/"
touch -d @"$SOURCE_DATE_EPOCH" "$W"/*.csv
cd "$W"
"$ASSAY" check train.csv --rules rules.yml >/dev/null 2>&1 || true
"$ASSAY" lineage derive clean.csv --from train.csv \
    --transform 'fix types, drop duplicates and malformed rows' \
    --code 9f1c2ab --dataset churn_train >/dev/null
"$ASSAY" check clean.csv --rules rules.yml >/dev/null
"$ASSAY" report clean.csv -o "$OUT/report-pass.html"
"$ASSAY" report train.csv -o "$OUT/report-fail.html"
echo "wrote $OUT/report-pass.html $OUT/report-fail.html"

if [ -z "$CHROMIUM" ]; then
    echo "chromium not found: PNGs not regenerated" >&2
    exit 0
fi
for v in pass fail; do
    p=$(mktemp -d)
    "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$p" \
        --hide-scrollbars --window-size=1280,1800 \
        --screenshot="$OUT/report-$v.png" \
        "file://$OUT/report-$v.html" >/dev/null 2>&1
    rm -rf "$p"
    echo "wrote $OUT/report-$v.png"
done
