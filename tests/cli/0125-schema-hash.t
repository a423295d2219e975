#!/bin/sh
# 0125-schema-hash.t -- one schema hash per snapshot: `assay hash` (and
# lineage) and `assay check` agree whatever null_values the rules file
# declares, because the schema's types are inferred with only the empty
# field as null (identity.h).
. "$(dirname "$0")/lib.sh"

cat > "$T/d.csv" <<'CSV'
id,age,score,name,when
1,34,1.5,ann,2021-01-02
2,NA,2.5,bob,2021-01-03
3,51,?,cy,
4,,3.25,NA,2021-01-05
CSV
cat > "$T/r.yml" <<'YML'
version: 1
null_values: ["", "NA", "?"]
columns:
  - name: id
    type: integer
  - name: age
    type: integer
  - name: score
    type: number
  - name: when
    type: date
YML
cat > "$T/plain.yml" <<'YML'
version: 1
columns:
  - name: id
    type: integer
YML

field() {   # field JSON-TEXT PYTHON-EXPR-ON-d
    printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"
}

run hash "$T/d.csv" --format json
is "$rc" 0 "hash runs"
h=$(field "$out" 'd[0]["schema_hash"]')
run check "$T/d.csv" --rules "$T/r.yml" --format json --no-record
is "$rc" 0 "check with NA and ? as nulls passes"
c=$(field "$out" 'd["dataset"]["schema_hash"]')
is "$c" "$h" "check (null_values NA, ?) has the schema hash of assay hash"
is "$(field "$out" '[c["type"] for c in d["profile"]["columns"]]')" \
   "['integer', 'integer', 'number', 'string', 'date']" \
   "the profile still reads NA and ? as nulls"
run check "$T/d.csv" --rules "$T/plain.yml" --format json --no-record
is "$(field "$out" 'd["dataset"]["schema_hash"]')" "$h" \
   "check with default null_values: the same schema hash"
# The definition: SHA-256 of the canonical JSON of names and types, the
# types inferred with only "" as null (NA and ? are then text).
want=$(python3 -c '
import hashlib, json
cols = [("id", "integer"), ("age", "string"), ("score", "string"),
        ("name", "string"), ("when", "date")]
s = json.dumps([{"name": n, "type": t} for n, t in cols],
               sort_keys=True, separators=(",", ":"))
print(hashlib.sha256(s.encode()).hexdigest())')
is "$h" "$want" "schema hash = sha256 of the canonical {name, type} list"
run lineage add "$T/d.csv" --dataset d
is "$rc" 0 "lineage add"
run lineage show "$T/d.csv" --format json
like "$out" "\"schema_hash\": \"$h\"" "lineage records the same schema hash"
done_testing
