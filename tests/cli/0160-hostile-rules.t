#!/bin/sh
# Hostile rules files (tests/data/rules/hostile, and big or binary ones
# made here): each is refused with exit 3 and one message naming the file
# (and LINE:COL where there is one), never a crash, a hang or a silent
# pass.  A pattern with catastrophic backtracking is an error of its
# check (PCRE2 match limits), not a hang.
. "$(dirname "$0")/lib.sh"
H="$DATA/rules/hostile"
P="$DATA/check/people.csv"

bad() {  # bad RULES REGEX DESC
    run check "$P" --rules "$1" --no-record
    is "$rc" 3 "$3: exit 3"
    like "$err" "$2" "$3: message"
    is "$(printf '%s\n' "$err" | grep -c .)" 1 "$3: one message"
}

bad "$H/tab-indent.yml" \
    "tab-indent.yml:4:1: a tab character where YAML expects spaces" \
    "tab-indented"
bad "$H/alias-bomb.yml" \
    "alias-bomb.yml:2:4: anchors and aliases are not supported" \
    "billion laughs"
bad "$H/alias-only.yml" \
    "alias-only.yml:3:10: anchors and aliases are not supported" \
    "alias without anchor"
bad "$H/tag.yml" "tag.yml:1:10: tags are not supported" "tag"
bad "$H/empty.yml" "empty.yml:1:1: empty rules file" "empty file"
bad "$H/duplicate-keys.yml" \
    "duplicate-keys.yml:7:34: duplicate key 'min' \(first at 7:17\)" \
    "duplicate keys"
bad "$H/nul-in-name.yml" \
    "nul-in-name.yml:3:11: a NUL character is not allowed here" "NUL"
bad "$H" "cannot read '.*hostile': Is a directory" "a directory"
bad "$T/nope.yml" "cannot open '.*nope.yml': No such file" "missing file"

# 50 MB of valid-looking YAML: refused by size before parsing.
python3 -c '
import sys
w = sys.stdout.write
w("version: 1\ncolumns:\n")
for i in range(1500000):
    w("  - name: c%d\n    type: string\n" % i)
' > "$T/big.yml"
bad "$T/big.yml" "big.yml: rules file is larger than 1048576 bytes" \
    "50 MB rules file"

# Binary: every byte value.
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)' \
    > "$T/bin.yml"
bad "$T/bin.yml" "bin.yml:1:1: control characters are not allowed" "binary"
# Invalid UTF-8 in a quoted string.
printf 'version: 1\ndataset: "a\377b"\n' > "$T/utf8.yml"
bad "$T/utf8.yml" "utf8.yml:2:12: invalid leading UTF-8 octet" \
    "invalid UTF-8"
# Deep flow nesting (libyaml recurses per level; capped at 64).
python3 -c 'import sys; sys.stdout.write("a: " + "[" * 100000 + "]" * 100000 + "\n")' \
    > "$T/deep.yml"
bad "$T/deep.yml" "deep.yml:1:[0-9]+: nesting is too deep" "100k brackets"
# An expression nested 100k deep.
python3 -c '
import sys
sys.stdout.write("version: 1\ncolumns: [{name: age, type: integer}]\n"
                 "checks:\n  - expression: {expr: \"" + "(" * 100000 +
                 "age > 0" + ")" * 100000 + "\"}\n")' > "$T/deepexpr.yml"
bad "$T/deepexpr.yml" "deepexpr.yml:4:[0-9]+: .*nested too deeply" \
    "expression nested 100k deep"

# Catastrophic backtracking: '(a+)+$' on 'aaaa...ab' hits the match limit
# and the check reports an error; short values are still checked.
python3 -c '
import sys
sys.stdout.write("id,name\n1," + "a" * 5000 + "b\n2," + "a" * 40 +
                 "b\n3,aaa\n4,xyz\n")' > "$T/aaa.csv"
run check "$T/aaa.csv" --rules "$H/catastrophic-regex.yml" --no-record \
    --format json
is "$rc" 1 "catastrophic regex: the gate fails (an error), no hang"
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" '[(r["status"], r["failures"]) for r in d["results"] if r["id"]=="name.pattern"][0]')" \
    "('error', 1)" "catastrophic regex: status error; 'xyz' still fails"
like "$(jget "$T/r.json" '[r["message"] for r in d["results"] if r["id"]=="name.pattern"][0]')" \
    "2 of 4 values hit the regex match limit" \
    "catastrophic regex: the message counts the values"
done_testing
