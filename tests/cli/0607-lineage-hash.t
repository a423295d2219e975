#!/bin/sh
# The identities lineage rests on: `assay hash` equals sha256sum on every
# shared dataset file; the row digest ignores record order and sees one
# edited cell; the schema hash sees a renamed, reordered or retyped
# column; and what `lineage add` records is what `assay hash` prints.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
cp "$DATA/lineage/raw.csv" raw.csv
# hj FILE EXPR: EXPR (Python, on `h`) over `assay hash --format json FILE`
hj() {
    "$ASSAY" hash --format json "$1" > .h.json || return 1
    python3 -c 'import json,sys; h=json.load(open(".h.json"))[0]; print(eval(sys.argv[1]))' "$2"
}

# ---- sha256 equals sha256sum on every file of ../shared/datasets
if [ -n "$SHARED" ] && [ -d "$SHARED/datasets" ]; then
    find "$SHARED/datasets" -type f | LC_ALL=C sort > files
    n=$(grep -c . files)
    while IFS= read -r f; do
        sha256sum "$f"
    done < files > want.txt
    tr '\n' '\0' < files | xargs -0 "$ASSAY" hash --format sha256sum \
        > got.txt 2> err.txt
    is "$?" 0 "assay hash reads all $n files"
    is "$(cat got.txt)" "$(cat want.txt)" \
       "sha256 equals sha256sum on every file in ../shared/datasets"
    test "$n" -ge 8; ok $? "($n files, csv and the rest)"
    sha256sum -c --quiet got.txt >/dev/null 2>&1
    ok $? "sha256sum -c accepts assay's output"
else
    for i in 1 2 3 4; do skip "../shared is absent (set ASSAY_SHARED)"; done
fi

# ---- the row digest: record order does not matter, one cell does
{ head -n 1 raw.csv; tail -n +2 raw.csv | sort -r; } > shuffled.csv
{ head -n 1 raw.csv; tail -n +2 raw.csv | sed -n '4p;1p;6p;2p;5p;3p'; } \
    > shuffled2.csv
sed 's/^3,23,/3,24,/' raw.csv > edited.csv
RD=$(hj raw.csv 'h["row_digest"]')
like "$RD" '^[0-9a-f]{64}$' "raw.csv has a row digest"
test "$(sha256sum < shuffled.csv)" != "$(sha256sum < raw.csv)"
ok $? "the shuffled file has other bytes"
is "$(hj shuffled.csv 'h["row_digest"]')" "$RD" \
   "reversed records: same row digest"
is "$(hj shuffled2.csv 'h["row_digest"]')" "$RD" \
   "shuffled records: same row digest"
is "$(hj shuffled.csv '(h["rows"], h["columns"])')" "(6, 4)" \
   "same rows and columns"
test "$(hj edited.csv 'h["row_digest"]')" != "$RD"
ok $? "one edited cell: another row digest"
is "$(hj edited.csv 'h["rows"]')" 6 "(the same number of rows)"

# ---- the schema hash: names, order and types
SH=$(hj raw.csv 'h["schema_hash"]')
like "$SH" '^[0-9a-f]{64}$' "raw.csv has a schema hash"
is "$(hj shuffled.csv 'h["schema_hash"]')" "$SH" \
   "shuffled records: same schema hash"
is "$(hj edited.csv 'h["schema_hash"]')" "$SH" \
   "an edited value of the same type: same schema hash"
sed '1s/^customer_id,/client_id,/' raw.csv > renamed.csv
awk -F, -v OFS=, '{ print $2, $1, $3, $4 }' raw.csv > reordered.csv
sed '2,$s/,\([0-9]*\)$/,x\1/' raw.csv > retyped.csv
is "$(sed -n 2p retyped.csv)" "1,34,basic,x0" "(retyped: churned is now text)"
for f in renamed reordered retyped; do
    test "$(hj $f.csv 'h["schema_hash"]')" != "$SH"
    ok $? "a $f column: another schema hash"
done

# ---- lineage records exactly these identities
run lineage add raw.csv shuffled.csv
is "$rc" 0 "lineage add"
run lineage show shuffled.csv --format json
printf '%s\n' "$out" > s.json
is "$(jget s.json '(d["sha256"], d["row_digest"], d["schema_hash"])')" \
   "$(hj shuffled.csv '(h["sha256"], h["row_digest"], h["schema_hash"])')" \
   "show gives the sha256, row digest and schema hash assay hash prints"
done_testing
