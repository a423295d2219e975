#!/bin/sh
# bench/lineage_graph.sh -- the audit queries on a synthetic lineage graph
# of 100,000 nodes and 1,000,000 edges (bench/lineage_graph.py).  Each
# query is one `assay lineage ...` process (open, migrate check, query,
# print JSON); best and median of RUNS runs, against the 200 ms goal.
# Not a test: numbers only.
#   sh bench/lineage_graph.sh            # ASSAY=path/to/assay to override
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
ASSAY=${ASSAY:-$TOP/assay}
OUT=${BENCH_DIR:-/tmp/assay-bench}/lineage
RUNS=${RUNS:-7}
DB=$OUT/graph.db
rm -rf "$OUT"
mkdir -p "$OUT"
printf 'seed\n1\n' > "$OUT/seed.csv"
"$ASSAY" --db "$DB" lineage add "$OUT/seed.csv" >/dev/null
t0=$(date +%s%N)
python3 "$TOP/bench/lineage_graph.py" "$DB" > "$OUT/gen.txt"
t1=$(date +%s%N)
head -n 1 "$OUT/gen.txt"
echo "generated in $(( (t1 - t0) / 1000000 )) ms; database $(du -h "$DB" | cut -f1)"
ROOT=$(sed -n 's/^root //p' "$OUT/gen.txt")
MODEL=$(sed -n 's/^model //p' "$OUT/gen.txt")
MID=$(printf '%s' "$ROOT" | cut -c1-12)

# time_query ARGS...: best and median wall time in ms over RUNS runs
time_query() {
    : > "$OUT/t"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        a=$(date +%s%N)
        "$ASSAY" --db "$DB" lineage "$@" --format json > "$OUT/q.json"
        b=$(date +%s%N)
        echo $(( (b - a) / 1000 )) >> "$OUT/t"
        i=$((i + 1))
    done
    sort -n "$OUT/t" > "$OUT/ts"
    best=$(head -n 1 "$OUT/ts")
    med=$(sed -n "$(( (RUNS + 1) / 2 ))p" "$OUT/ts")
    size=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
d = d.get("downstream", d)
print(", ".join("%d %s" % (len(v), k) for k, v in d.items()
                if isinstance(v, list) and k != "checks"))' "$OUT/q.json")
    verdict=ok
    [ "$med" -lt 200000 ] || verdict=SLOW
    label=$(printf '%s' "$*" | cut -c1-30)
    printf '%-30s best %4d.%d ms  median %4d.%d ms  %-4s  (%s)\n' "$label" \
        $((best / 1000)) $((best % 1000 / 100)) $((med / 1000)) \
        $((med % 1000 / 100)) "$verdict" "$size"
}

a=$(date +%s%N)
"$ASSAY" --version > /dev/null
b=$(date +%s%N)
echo "process start-up alone (assay --version): $(( (b - a) / 1000000 )) ms"
echo
time_query upstream env:production
time_query upstream "$MODEL"
time_query downstream "$ROOT"
time_query impact "$ROOT"
time_query impact "$MID"
time_query show "$ROOT"
a=$(date +%s%N)
"$ASSAY" --db "$DB" lineage log > /dev/null
b=$(date +%s%N)
echo "log (1 bulk entry)              $(( (b - a) / 1000000 )) ms"
