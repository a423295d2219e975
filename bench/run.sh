#!/bin/sh
# bench/run.sh -- `make bench`: assay against the baselines on the same
# 1 GB file (gen_dataset.py --rows 8000000 --seed 1), best of
# BENCH_RUNS runs each, side by side: time, throughput, peak memory.  Not a test: numbers only.
#   BENCH_ROWS=800000 make bench     # a quicker 100 MB run
#   BENCH_RUNS=1 make bench          # one run each (default: best of 3,
#                                    # the machine is shared)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${BENCH_ROWS:-8000000}
OUT=${BENCH_DIR:-/tmp/assay-bench}
GEN="$TOP/../shared/bench/gen_dataset.py"
F="$OUT/bench-$ROWS.csv"
M="python3 $TOP/bench/measure.py"
BENCH_RUNS=${BENCH_RUNS:-3}
export BENCH_RUNS
BENCH_LOG="$OUT/results.tsv"
export BENCH_LOG
mkdir -p "$OUT"
: > "$BENCH_LOG"
if [ ! -f "$F" ]; then
    [ -f "$GEN" ] || { echo "bench: $GEN not found"; exit 1; }
    echo "generating $F ($ROWS rows) ..."
    python3 "$GEN" --rows "$ROWS" --seed 1 -o "$F.tmp" && mv "$F.tmp" "$F"
fi
B=$(stat -c %s "$F")
cat "$F" > /dev/null                     # warm the page cache
echo "file: $F ($B bytes), $(nproc) cores, best of $BENCH_RUNS runs;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
$M "openssl dgst -sha256" "$B" openssl dgst -sha256 "$F"
CP="$OUT/csvparse"
if cc -O2 -o "$CP" "$TOP/bench/csvparse.c" -I"$TOP/src" \
      "$TOP/src/read_csv.c" "$TOP/src/status.c" "$TOP/src/util.c" -lcsv \
      2>/dev/null; then
    $M "libcsv parse-only (byte-exact)" "$B" "$CP" --libcsv "$F"
    $M "assay reader parse-only (fast path)" "$B" "$CP" "$F"
fi
$M "assay hash --format sha256sum (file hash)" "$B" "$TOP/assay" hash \
    --format sha256sum "$F"
$M "assay hash (sha256+row digest+schema)" "$B" "$TOP/assay" hash "$F"
$M "assay profile" "$B" "$TOP/assay" profile "$F" --format json
$M "assay check (example rules, 1 thread)" "$B" "$TOP/assay" check "$F" \
    --rules "$TOP/examples/churn/rules.yml" --no-record --threads 1
$M "assay check (example rules)" "$B" "$TOP/assay" check "$F" \
    --rules "$TOP/examples/churn/rules.yml" --no-record
$M "assay check (example rules + 3 bias facets)" "$B" "$TOP/assay" check \
    "$F" --rules "$TOP/bench/rules-bias3.yml" --no-record
# Ratios the targets are stated in.
python3 - "$BENCH_LOG" <<'PY'
import sys
t = {}
for line in open(sys.argv[1]):
    label, sec, rss = line.rstrip("\n").split("\t")
    t[label] = float(sec)
def ratio(a, b, what):
    if a in t and b in t:
        print("%-44s %8.2f" % (what, t[b] / t[a]))
print()
ratio("assay hash --format sha256sum (file hash)", "openssl dgst -sha256",
      "file hash throughput / openssl's (>= 0.90)")
ratio("openssl dgst -sha256", "assay hash (sha256+row digest+schema)",
      "full identity time / openssl time")
ratio("assay check (example rules)",
      "assay check (example rules + 3 bias facets)",
      "check + 3 facets time / check time")
PY
echo
[ -f "$TOP/bench/bias.sh" ] && sh "$TOP/bench/bias.sh"
[ -f "$TOP/bench/lineage_graph.sh" ] && sh "$TOP/bench/lineage_graph.sh"
[ -f "$TOP/bench/report_scale.sh" ] && sh "$TOP/bench/report_scale.sh"
exit 0
