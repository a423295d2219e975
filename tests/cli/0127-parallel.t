#!/bin/sh
# 0127-parallel.t -- a file large enough for the parallel pass (64 MB or
# more) gives on two threads what it gives on one: verdict, every check's
# counts and samples (record and line numbers), bias values, the three
# hashes, and every exact profile number.  Only sketched profile numbers
# (quantiles, histograms, top values past the exact cap) may differ; they
# are compared within their stated error.  The data has quoted fields
# with newlines, commas and quotes, so a cut must find a real record
# boundary, and defects late in the file, so line numbers must be right
# in every part.
. "$(dirname "$0")/lib.sh"

python3 - "$T/big.csv" <<'PY'
import random, sys
random.seed(11)
rows = 700000
with open(sys.argv[1], "w", newline="") as f:
    f.write("id,grp,amount,when,note,label\n")
    for i in range(1, rows + 1):
        grp = "abcde"[i % 5]
        amount = "%.2f" % (random.random() * 1000)
        when = "2024-%02d-%02d" % (i % 12 + 1, i % 28 + 1)
        if i % 9 == 0:
            note = '"line one\nline ""two"", with, commas"'
        else:
            note = ("plain note %d, padded so that the file is over 64 MiB"
                    " and is read in parallel" % (i * 7919 % 100003))
            note = note.replace(",", "")
        label = "1" if random.random() < (0.3 if grp == "a" else 0.5) else "0"
        line = "%d,%s,%s,%s,%s,%s\n" % (i, grp, amount, when, note, label)
        if i == 600001:
            line = "600001,b,not-a-number,2024-01-01,x,0\n"
        if i == 610003:
            line = "610003,c,-5.00,2024-01-01,x,1\n"
        if i == 615000:
            line = "615000,d,1.00,2024-01-01\n"
        f.write(line)
        if i == 612345:
            f.write(line)            # an exact duplicate record
PY
size=$(wc -c < "$T/big.csv")
ok "$([ "$size" -ge 67108864 ] && echo 0 || echo 1)" \
   "the data is large enough for the parallel pass ($size bytes)"

R="$DATA/check/gate.yml"

run check "$T/big.csv" --rules "$R" --no-record --format json \
    --threads 1
is "$rc" 1 "one thread: the defects fail the gate"
cp "$T/.out" "$T/one.json"
run check "$T/big.csv" --rules "$R" --no-record --format json \
    --threads 2
is "$rc" 1 "two threads: the same verdict"
cp "$T/.out" "$T/two.json"

python3 - "$T/one.json" "$T/two.json" > "$T/cmp.txt" 2>&1 <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
bad = []
# sketched numbers of a column past the exact cap: compared apart
SKETCH = {"quantiles", "histogram", "top", "quantile_rank_error",
          "top_error", "mean", "stddev"}
def walk(x, y, path):
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            bad.append(path + " keys")
        for k in x:
            if k in y and k != "time":
                if "/profile/" in path + "/" and k in SKETCH:
                    continue
                walk(x[k], y[k], path + "/" + k)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            bad.append(path + " length")
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, "%s[%d]" % (path, i))
    elif x != y:
        bad.append("%s: %r != %r" % (path, x, y))
walk(a, b, "")
# sketched numbers within their stated error
for ca, cb in zip(a["profile"]["columns"], b["profile"]["columns"]):
    for k in ("mean", "stddev"):
        if k in ca and ca[k] is not None:
            if abs(ca[k] - cb[k]) > 1e-9 * max(1.0, abs(ca[k])):
                bad.append("%s %s: %r != %r" % (ca["name"], k, ca[k], cb[k]))
print("\n".join(bad) if bad else "same")
PY
is "$(cat "$T/cmp.txt")" "same" "every exact number agrees"

# The values themselves, from the two-thread run.
res() {   # res CHECK-ID FIELD
    jget "$T/two.json" "[r for r in d['results'] if r['id'] == '$1'][0]$2"
}
is "$(jget "$T/two.json" "d['dataset']['rows']")" 700001 \
   "records counted (one duplicated)"
is "$(res amount.type "['failures']")" 1 "one bad number"
is "$(res amount.type "['samples'][0]['line']")" \
   "$(grep -n '^600001,' "$T/big.csv" | cut -d: -f1)" \
   "the bad number's physical line, in the second half of the file"
is "$(res amount.range "['failures']")" 1 "one negative amount"
is "$(res id.unique "['failures']")" 1 "the duplicated id"
is "$(res duplicate_rows "['failures']")" 1 "one duplicate record"
is "$(res field_count "['failures']")" 1 "one short record"
is "$(res field_count "['samples'][0]['line']")" \
   "$(grep -n '^615000,' "$T/big.csv" | cut -d: -f1)" \
   "the short record's physical line"
is "$(jget "$T/two.json" "d['dataset']['sha256']")" \
   "$(sha256sum "$T/big.csv" | cut -d' ' -f1)" "sha256 as sha256sum"
done_testing
