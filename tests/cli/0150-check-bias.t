#!/bin/sh
# The rules file's label: and bias: sections gate `assay check`: a metric
# outside its limit fails the verdict (exit 1) with a finding in the JSON
# bias array, the text summary and the report formats; a limit that
# requires significance does not fail on noise in a small group; the
# values equal `assay bias` on the same data.
. "$(dirname "$0")/lib.sh"
SM="$DATA/bias/small_mixed.csv"
cat > "$T/b1.yml" <<'Y'
version: 1
label: {column: outcome, values: ["yes"]}
bias:
  - facet: gender
    values: [F]
    limits: {DPL: {max_abs: 0.1}, CI: {max_abs: 0.9}}
Y
sed 's/DPL: {max_abs: 0.1}/DPL: {max_abs: 0.1, significance: 0.05}/' \
    "$T/b1.yml" > "$T/b2.yml"

run check "$SM" --rules "$T/b1.yml" --no-record --format json
is "$rc" 1 "DPL over its limit fails the gate"
printf '%s\n' "$out" > "$T/r1.json"
is "$(jget "$T/r1.json" 'd["verdict"]')" fail "verdict fail"
is "$(jget "$T/r1.json" '[(f["metric"], f["status"]) for f in d["bias"][0]["findings"]]')" \
    "[('DPL', 'fail'), ('CI', 'pass')]" "one finding per limit, DPL fails"
is "$(jget "$T/r1.json" 'd["bias"][0]["findings"][0]["value"]')" \
    0.15555555555555556 "the finding carries the value"

run bias "$SM" --facet gender --facet-value F --label outcome --label-value yes --format json
printf '%s\n' "$out" > "$T/b.json"
is "$(jget "$T/b.json" 'd["pretraining"]')" \
    "$(jget "$T/r1.json" 'd["bias"][0]["pretraining"]')" \
    "check's bias metrics equal assay bias's"

run check "$SM" --rules "$T/b1.yml" --no-record
like "$out" "FAIL +bias.gender=F.DPL" "text names the failing metric"
like "$out" "\|DPL\| > max_abs 0.1" "text says why"

run check "$SM" --rules "$T/b1.yml" --no-record --format junit
like "$out" 'failures="1"' "junit counts the bias failure"
like "$out" 'bias.gender=F.DPL' "junit testcase for the metric"

run check "$SM" --rules "$T/b2.yml" --no-record --format json
is "$rc" 0 "significance: 0.05 -- not significant in 14 rows, passes"
printf '%s\n' "$out" > "$T/r2.json"
like "$(jget "$T/r2.json" 'd["bias"][0]["findings"][0]["message"]')" \
    "not significant \(p = 0.577" "message gives the p-value"

cat > "$T/b3.yml" <<'Y'
version: 1
label: {column: outcome, values: ["yes"]}
bias:
  - facet: sex
    values: [F]
Y
run check "$SM" --rules "$T/b3.yml" --no-record
is "$rc" 3 "unknown facet column in the rules file: exit 3"
like "$err" "sex" "names the column"
done_testing
