#!/bin/sh
# bench/report_scale.sh -- the compliance report at scale: a dataset of
# 200 columns with 50 failing checks (bench/report_scale.py), checked and
# recorded, then `assay report` (best and median of RUNS), the size of
# each format, and headless Chromium opening (--dump-dom, which returns
# after load; an iframe harness also times load + layout inside the page,
# without the process start) and rendering (--screenshot, PDF) the HTML.
# Goals: HTML under 5 MB, open in Chromium under 5 s.  Not a test.
#   sh bench/report_scale.sh        # ASSAY=path/to/assay ROWS=20000 RUNS=5
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
ASSAY=${ASSAY:-$TOP/assay}
OUT=${BENCH_DIR:-/tmp/assay-bench}/report
RUNS=${RUNS:-5}
ROWS=${ROWS:-20000}
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
export ASSAY_DB="$OUT/lineage.db" SOURCE_DATE_EPOCH=1767225600
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"

ms() { echo $(( ($2 - $1) / 1000000 )); }

python3 "$TOP/bench/report_scale.py" "$OUT" "$ROWS"
t0=$(date +%s%N)
"$ASSAY" check wide.csv --rules wide.yml --format json > check.json || true
t1=$(date +%s%N)
nfail=$(python3 -c 'import json; d=json.load(open("check.json")); print(sum(r["status"] == "fail" for r in d["results"]))')
ncols=$(python3 -c 'import json; d=json.load(open("check.json")); print(len(d["profile"]["columns"]))')
echo "data: $ROWS rows, $ncols columns, $nfail failing checks; check + record $(ms "$t0" "$t1") ms"

# best and median of RUNS runs of `assay report` in one format
: > t
i=0
while [ "$i" -lt "$RUNS" ]; do
    a=$(date +%s%N)
    "$ASSAY" report wide.csv -o wide.html
    b=$(date +%s%N)
    ms "$a" "$b" >> t
    i=$((i + 1))
done
sort -n t > ts
echo "assay report (html): best $(head -n 1 ts) ms, median $(sed -n "$(( (RUNS + 1) / 2 ))p" ts) ms"
for f in html markdown json; do
    "$ASSAY" report wide.csv --format "$f" > "wide.$f"
    printf '  %-8s %10d bytes\n' "$f" "$(wc -c < "wide.$f")"
done
size=$(wc -c < wide.html)
[ "$size" -lt 5242880 ] && echo "  html under 5 MB: yes" || echo "  html under 5 MB: NO"

if [ -z "$CHROMIUM" ]; then
    echo "chromium not found: browser timings skipped"
    exit 0
fi
chrome_out() {  # headless, offline, a fresh profile; stdout kept
    p=$(mktemp -d)
    "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$p" "$@" 2>/dev/null
    rm -rf "$p"
}
chrome() { chrome_out "$@" >/dev/null; }
# In-page time: a harness page (scripts allowed there, not in the report)
# loads the report in an iframe and forces layout; --dump-dom prints it.
cat > harness.html <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title>
</head><body><p id="t">pending</p><script>
var t0 = performance.now();
function done(f) {
  var h = f.contentDocument.documentElement.scrollHeight;
  document.getElementById('t').textContent =
    'inpage ' + Math.round(performance.now() - t0) + ' height ' + h;
}
</script><iframe src="wide.html" style="width:1280px;height:2000px"
onload="done(this)"></iframe></body></html>
HTML
echo '<!DOCTYPE html><title>empty</title><p>empty' > empty.html
a=$(date +%s%N); chrome --dump-dom "file://$OUT/empty.html"; b=$(date +%s%N)
base_ms=$(ms "$a" "$b")
a=$(date +%s%N); chrome --dump-dom "file://$OUT/wide.html"; b=$(date +%s%N)
open_ms=$(ms "$a" "$b")
inpage=$(chrome_out --allow-file-access-from-files --dump-dom \
    "file://$OUT/harness.html" | sed -n 's/.*<p id="t">inpage \([0-9]*\) height \([0-9]*\).*/\1 \2/p')
in_ms=${inpage% *}
a=$(date +%s%N); chrome --screenshot="$OUT/wide.png" --window-size=1280,2000 \
    "file://$OUT/wide.html"; b=$(date +%s%N)
shot_ms=$(ms "$a" "$b")
a=$(date +%s%N); chrome --no-pdf-header-footer --print-to-pdf="$OUT/wide.pdf" \
    "file://$OUT/wide.html"; b=$(date +%s%N)
pdf_ms=$(ms "$a" "$b")
pages=$(pdfinfo wide.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
echo "chromium, wall time per process: empty page $base_ms ms; report: open $open_ms ms, screenshot $shot_ms ms, PDF $pdf_ms ms (${pages:-?} pages)"
echo "chromium, in the page: load + layout ${in_ms:-?} ms (page height ${inpage#* } px)"
[ "${in_ms:-99999}" -lt 5000 ] && echo "  opens under 5 s (in the page): yes" || echo "  opens under 5 s (in the page): NO"
[ "$open_ms" -lt 5000 ] && echo "  opens under 5 s (whole process): yes" || echo "  opens under 5 s (whole process): NO (process start alone is $base_ms ms here)"
