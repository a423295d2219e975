#!/bin/sh
# Input forms: gzip (.csv.gz, also concatenated members), stdin ('-'),
# TSV.  The same records give the same results and row digest; the file
# hash is always of the bytes as given (the compressed bytes for .gz).
. "$(dirname "$0")/lib.sh"
SRC="$TOP/examples/churn/train.csv"
RULES="$TOP/examples/churn/rules.yml"
summary() {  # summary JSON-FILE: one line per result, and the row digest
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(d["dataset"]["row_digest"], d["dataset"]["rows"], d["verdict"])
for r in d["results"]: print(r["id"], r["status"], r["failures"], r["checked"])' "$1"
}

run check "$SRC" --rules "$RULES" --format json --no-record
is "$rc" 1 "plain: the example fails the gate"
printf '%s\n' "$out" > "$T/plain.json"
summary "$T/plain.json" > "$T/plain.sum"

gzip -c "$SRC" > "$T/train.csv.gz"
run check "$T/train.csv.gz" --rules "$RULES" --format json --no-record
is "$rc" 1 "gzip: same verdict"
printf '%s\n' "$out" > "$T/gz.json"
summary "$T/gz.json" > "$T/gz.sum"
is "$(cmp "$T/plain.sum" "$T/gz.sum" && echo same)" same \
    "gzip: same results and row digest"
is "$(jget "$T/gz.json" 'd["dataset"]["sha256"]')" \
    "$(sha256sum "$T/train.csv.gz" | cut -c1-64)" \
    "gzip: sha256 is of the compressed bytes (equals sha256sum)"

# Two gzip members, split inside a record: still one stream.
head -c 500000 "$SRC" | gzip -c > "$T/two.csv.gz"
tail -c +500001 "$SRC" | gzip -c >> "$T/two.csv.gz"
run check "$T/two.csv.gz" --rules "$RULES" --format json --no-record
printf '%s\n' "$out" > "$T/two.json"
summary "$T/two.json" > "$T/two.sum"
is "$(cmp "$T/plain.sum" "$T/two.sum" && echo same)" same \
    "concatenated gzip members: same results"

"$ASSAY" check - --rules "$RULES" --format json --no-record < "$SRC" \
    > "$T/stdin.json" 2>/dev/null
is "$?" 1 "stdin: same verdict"
summary "$T/stdin.json" > "$T/stdin.sum"
is "$(cmp "$T/plain.sum" "$T/stdin.sum" && echo same)" same \
    "stdin: same results and row digest"

gzip -c "$SRC" | head -c 300000 > "$T/cut.csv.gz"
run check "$T/cut.csv.gz" --rules "$RULES" --no-record
is "$rc" 3 "truncated gzip: bad input"
like "$err" "cut.csv.gz" "names the file"

printf 'not gzip at all\n' > "$T/fake.csv.gz"
run check "$T/fake.csv.gz" --rules "$RULES" --no-record
is "$rc" 3 "not gzip data: bad input"
like "$err" "fake.csv.gz.*gzip" "says it is not valid gzip"

run hash "$T/train.csv.gz" --format json
is "$rc" 0 "hash on gzip"
printf '%s\n' "$out" > "$T/h.json"
is "$(jget "$T/h.json" 'd[0]["row_digest"], d[0]["sha256"]')" \
    "('$(jget "$T/plain.json" 'd["dataset"]["row_digest"]')', '$(sha256sum "$T/train.csv.gz" | cut -c1-64)')" \
    "hash on gzip: the plain file's row digest, the compressed bytes' sha256"

# --format sha256sum: the file hash alone, in coreutils' format.
run hash --format sha256sum "$SRC" "$T/train.csv.gz" "$T/fake.csv.gz"
is "$rc" 0 "hash --format sha256sum"
is "$out" "$(sha256sum "$SRC" "$T/train.csv.gz" "$T/fake.csv.gz")" \
    "hash --format sha256sum equals sha256sum, even on bytes that do not parse"
run hash --format sha256sum "$T"
is "$rc" 3 "hash of a directory: exit 3"
like "$err" "cannot read '$T': Is a directory" "says it is a directory"
done_testing
