#!/bin/sh
# bench/run.sh -- `make bench`: assay against the baselines on the same
# 1 GB file (gen_dataset.py --rows 8000000 --seed 1), best of
# BENCH_RUNS runs each, side by side: time, throughput, peak memory.  Not a test: numbers only.
#   BENCH_ROWS=800000 make bench     # a quicker 100 MB run
#   BENCH_RUNS=1 make bench          # one run each (default: best of 3,
#                                    # the machine is shared)
#   BENCH_PAIRS=9 make bench         # paired runs for the facet cost
#                                    # (default 5)
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
# The facet cost again, as paired runs: best-of blocks measured minutes
# apart drift with the machine's load, so run the two commands back to
# back, alternating which goes first, and take the median of the pairs'
# ratios.
python3 - "$TOP/assay" "$F" "$TOP/examples/churn/rules.yml" \
    "$TOP/bench/rules-bias3.yml" "${BENCH_PAIRS:-5}" <<'PY'
import subprocess, sys, time
assay, data, base, bias3, pairs = sys.argv[1:6]
def run(rules):
    t0 = time.monotonic()
    subprocess.run([assay, "check", data, "--rules", rules, "--no-record"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0
ratios = []
for i in range(int(pairs)):
    if i % 2 == 0:
        a = run(base); b = run(bias3)
    else:
        b = run(bias3); a = run(base)
    ratios.append(b / a)
ratios.sort()
print("%-44s %8.2f  (pairs: %s)" % ("check + 3 facets / check, paired median",
      ratios[len(ratios) // 2], " ".join("%.2f" % r for r in ratios)))
PY
echo
[ -f "$TOP/bench/bias.sh" ] && sh "$TOP/bench/bias.sh"
[ -f "$TOP/bench/lineage_graph.sh" ] && sh "$TOP/bench/lineage_graph.sh"
[ -f "$TOP/bench/report_scale.sh" ] && sh "$TOP/bench/report_scale.sh"
exit 0
