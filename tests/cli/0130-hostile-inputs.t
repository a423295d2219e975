#!/bin/sh
# Hostile inputs (tests/data/csv, tests/data/check): each gives one clear
# message naming the file (and line:column where there is one) and the
# documented exit code -- or, where the file is valid CSV, the right
# counts.  Never a crash, never a silent pass of a broken record.
. "$(dirname "$0")/lib.sh"
C="$DATA/csv"
printf 'version: 1\ncolumns: []\n' > "$T/min.yml"

bad() {  # bad FILE RC REGEX DESC: check and profile both refuse it
    run check "$C/$1" --rules "$T/min.yml" --no-record
    is "$rc" "$2" "check $1: exit $2 ($4)"
    like "$err" "$3" "check $1: message"
    is "$(printf '%s\n' "$err" | grep -c .)" 1 "check $1: one message"
    run profile "$C/$1"
    is "$rc" "$2" "profile $1: exit $2"
}
bad unterminated_quote.csv 3 "unterminated_quote.csv:4:1: unterminated quoted field \(opened at line 2, column 3\)" "unterminated quote"
bad unterminated_after_newlines.csv 3 "unterminated_after_newlines.csv:4:1: unterminated quoted field" "unterminated after newlines"
bad nul_byte.csv 3 "nul_byte.csv:2:4: NUL byte" "NUL byte"
bad junk_after_quote.csv 3 "junk_after_quote.csv:2:6: unexpected '2' after a closing quote" "junk after quote"
bad quote_in_unquoted.csv 3 "quote_in_unquoted.csv:2:4: quote inside an unquoted field" "stray quote"
bad space_after_quote.csv 3 "space_after_quote.csv:2:4: unexpected byte 0x20" "space after quote"
bad empty.csv 3 "'.*empty.csv' is empty: no header row" "empty file"
bad bom_only.csv 3 "'.*bom_only.csv' is empty: no header row" "BOM only"

rows() {  # rows FILE N COLS DESC: valid CSV, counted right
    run check "$C/$1" --rules "$T/min.yml" --no-record --format json
    printf '%s\n' "$out" > "$T/r.json"
    is "$(jget "$T/r.json" 'd["dataset"]["rows"], d["dataset"]["columns"]')" \
        "($2, $3)" "$1: $2 rows, $3 columns ($4)"
}
rows header_only.csv 0 3 "header only"
rows bom.csv 1 2 "BOM dropped"
rows crlf.csv 3 3 "CRLF"
rows embedded_newlines.csv 4 2 "newlines inside quotes"
rows lone_cr.csv 3 2 "old Mac line ends"
rows tabs.tsv 2 3 "TSV by extension"
rows invalid_utf8.csv 2 2 "bytes kept"
is "$(jget "$T/r.json" '[c["name"] for c in d["profile"]["columns"]]')" \
    "['id', 'name']" "invalid UTF-8: header read"
printf 'version: 1\ncolumns:\n  - name: name\n    type: string\n' > "$T/s.yml"
run check "$C/invalid_utf8.csv" --rules "$T/s.yml" --no-record --format json
is "$rc" 1 "invalid UTF-8 in a declared string column fails its type check"
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" '[(r["failures"], r["message"]) for r in d["results"] if r["id"]=="name.type"][0]')" \
    "(2, '2 of 2 non-null values are not valid UTF-8 text')" \
    "invalid UTF-8: counted and said"
run profile "$C/invalid_utf8.csv" --format json
printf '%s\n' "$out" > "$T/p.json"
is "$(jget "$T/p.json" '[c.get("valid_utf8") for c in d["columns"]]')" \
    "[None, False]" "profile: valid_utf8 false on the column that is not text"
# Late in a high-cardinality column (the profile is then in sketch mode).
python3 -c "import sys; o = sys.stdout.buffer; o.write(b'id,name\n')
for i in range(200000): o.write(b'%d,name%d\n' % (i, i))
o.write(b'200000,bad\xff\n')" > "$T/u8.csv"
run profile "$T/u8.csv" --format json
printf '%s\n' "$out" > "$T/p.json"
is "$(jget "$T/p.json" 'd["columns"][1]["valid_utf8"]')" False \
    "profile: one bad value among 200,001 distinct ones is seen"
run suggest "$T/u8.csv"
printf '%s\n' "$out" > "$T/sg.yml"
like "$out" "# type: string left out: some values are not valid UTF-8" \
    "suggest does not declare such a column a string"
run check "$T/u8.csv" --rules "$T/sg.yml" --no-record
is "$rc" 0 "... so check passes on the data suggest saw"

run check "$C/bom.csv" --rules "$T/min.yml" --no-record --format json
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" 'd["profile"]["columns"][0]["name"]')" \
    "$(sed '1s/^\xef\xbb\xbf//;1q' "$C/bom.csv" | cut -d, -f1)" \
    "BOM is not part of the first column name"

run check "$C/ragged.csv" --rules "$T/min.yml" --no-record --format json
is "$rc" 1 "ragged records fail the gate"
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" '[r for r in d["results"] if r["id"]=="field_count"][0]["failures"]')" \
    4 "ragged: field_count counts every bad record"
is "$(jget "$T/r.json" '[r for r in d["results"] if r["id"]=="field_count"][0]["samples"][0]["line"]')" \
    2 "ragged: the first sample is line 2"
is "$(jget "$T/r.json" '[r for r in d["results"] if r["id"]=="field_count"][0]["observed"]')" \
    "{'min_fields': 1, 'max_fields': 4}" "ragged: observed field counts"
run check "$C/crlf.csv" --rules "$T/min.yml" --no-record --format json
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" '[r for r in d["results"] if r["id"]=="field_count"][0]["observed"]')" \
    "{'min_fields': 3, 'max_fields': 3}" "good records: observed = the header's count"

# A 10 MB field: over the default cap, a clear error; raised cap reads it.
python3 -c "import sys; sys.stdout.write('a,b\n1,' + 'x' * (10 << 20) + '\n')" > "$T/big.csv"
run check "$T/big.csv" --rules "$T/min.yml" --no-record
is "$rc" 3 "10 MB field: bad input"
like "$err" "big.csv:2:3: field 2 is longer than 1048576 bytes \(--max-field-size" \
    "10 MB field: located, says how to raise the cap"
run check "$T/big.csv" --rules "$T/min.yml" --no-record --max-field-size 20000000 --format json
is "$rc" 0 "10 MB field: accepted with --max-field-size"
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" 'd["dataset"]["rows"], d["profile"]["columns"][1]["max_length"]')" \
    "(1, 10485760)" "10 MB field: one record, the field read whole"

# Data that is not there or not readable.
run check "$T/nope.csv" --rules "$T/min.yml" --no-record
is "$rc" 3 "missing file: exit 3"
like "$err" "cannot open '.*nope.csv': No such file" "missing file named"
run check "$T" --rules "$T/min.yml" --no-record
is "$rc" 3 "a directory: exit 3"
like "$err" "'$T'" "the directory is named"
if [ "$(id -u)" != 0 ]; then
    printf 'a\n1\n' > "$T/noread.csv"; chmod 000 "$T/noread.csv"
    run check "$T/noread.csv" --rules "$T/min.yml" --no-record
    is "$rc" 3 "unreadable file: exit 3"
else
    skip "running as root: cannot make a file unreadable"
fi

# Broken rules files.
for y in "version: 1\ncolumns: [" "version: 1\ncolumns:\n  - name: a\n    type: integr\n" \
         "version: 2\n" "\t- x\n" "version: 1\ncolumns:\n  - name: a\n    checks:\n      - range: {min: ten}\n"; do
    printf "$y" > "$T/bad.yml"
    run check "$C/crlf.csv" --rules "$T/bad.yml" --no-record
    is "$rc" 3 "broken rules file: exit 3"
    like "$err" "bad.yml:[0-9]+:[0-9]+: " "broken rules file: FILE:LINE:COL"
done
run check "$C/crlf.csv" --rules "$T/none.yml" --no-record
is "$rc" 3 "missing rules file: exit 3"
like "$err" "none.yml" "missing rules file named"
done_testing
