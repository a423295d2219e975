#!/bin/sh
# Every file in ../shared/datasets is read correctly: record count,
# column names in order (COMPAS: CRLF, quoted commas, a repeated header
# name), and profile values -- count, nulls, min, max, mean, exact
# distinct counts and the most frequent value -- against an independent
# reading with Python's csv module.  Skipped without ../shared.
. "$(dirname "$0")/lib.sh"
if [ -z "$SHARED" ] || [ ! -d "$SHARED/datasets" ]; then
    skip_all "../shared/datasets not present (a user's clone)"
fi
for f in $(cd "$SHARED/datasets" && find . -name '*.csv' | sort); do
    f=${f#./}
    run profile "$SHARED/datasets/$f" --format json
    is "$rc" 0 "$f: profile exits 0"
    printf '%s\n' "$out" > "$T/p.json"
    python3 - "$SHARED/datasets/$f" "$T/p.json" > "$T/tap" <<'PY'
import csv, json, math, re, sys
from collections import Counter
path, prof = sys.argv[1:3]
p = json.load(open(prof))
with open(path, newline="", encoding="utf-8-sig") as fh:
    rd = csv.reader(fh)
    hdr = next(rd)
    rows = [r for r in rd if r != []]
k = 0
def check(cond, desc):
    global k; k += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (k, desc))
cols = p["columns"]
check([c["name"] for c in cols] == hdr, "column names in order (%d)" % len(hdr))
check(p["dataset"]["rows"] == len(rows), "rows %s == %d" % (p["dataset"]["rows"], len(rows)))
INT = re.compile(r"[+-]?[0-9]+\Z")
for i, c in enumerate(cols):
    vals = [r[i] for r in rows if len(r) == len(hdr)]
    nn = [v for v in vals if v != ""]
    ok = c["count"] == len(vals) and c["nulls"] == len(vals) - len(nn)
    check(ok, "%s: count %s nulls %s" % (c["name"], c["count"], c["nulls"]))
    if c["type"] == "integer":
        xs = [int(v) for v in nn]
        check(all(INT.match(v) for v in nn), "%s: every value an integer" % c["name"])
        check(c["min"] == min(xs) and c["max"] == max(xs),
              "%s: min %s max %s" % (c["name"], c["min"], c["max"]))
        m = sum(xs) / len(xs)
        check(abs(c["mean"] - m) <= 1e-9 * max(1, abs(m)), "%s: mean %s ~ %s" % (c["name"], c["mean"], m))
        if len(xs) > 1:
            sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
            check(abs(c["stddev"] - sd) <= 1e-6 * max(1, sd), "%s: stddev %s ~ %s" % (c["name"], c["stddev"], sd))
    if c.get("distinct_exact"):
        check(c["distinct"] == len(set(nn)), "%s: distinct %s == %d" % (c["name"], c["distinct"], len(set(nn))))
    if c.get("top") and c.get("top_exact"):
        top = Counter(nn).most_common(1)[0]
        check(c["top"][0]["count"] == top[1], "%s: top count %s == %d" % (c["name"], c["top"][0]["count"], top[1]))
PY
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok 0 "$f: ${line#ok * - }" ;;
        "not ok "*) ok 1 "$f: ${line#not ok * - }" ;;
        esac
    done < "$T/tap"
done

# COMPAS: a repeated header name -- the first wins in rules and bias.
C="$SHARED/datasets/compas/compas-scores-two-years.csv"
is "$(head -1 "$C" | tr ',' '\n' | grep -c '^decile_score')" 2 \
    "COMPAS repeats decile_score (premise)"
is "$(head -5 "$C" | grep -c "$(printf '\r')\$")" 5 \
    "COMPAS has CRLF line ends (premise)"
printf 'version: 1\ncolumns:\n  - name: decile_score\n    type: integer\n    checks:\n      - range: {min: 1, max: 10}\n' > "$T/c.yml"
run check "$C" --rules "$T/c.yml" --no-record --format json
is "$rc" 0 "COMPAS: range on the first decile_score passes"
printf '%s\n' "$out" > "$T/c.json"
is "$(jget "$T/c.json" '[r["checked"] for r in d["results"] if r["id"]=="decile_score.range"][0]')" \
    "$(python3 -c 'import csv,sys; r=csv.reader(open(sys.argv[1],newline="")); next(r); print(sum(1 for x in r if x))' "$C")" \
    "COMPAS: every record checked"
done_testing
