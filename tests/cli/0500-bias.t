#!/bin/sh
# assay bias: the JSON contract, text output, one-vs-rest, thresholds,
# intersections, strict mode, and clear errors for bad input.
. "$(dirname "$0")/lib.sh"
D="$DATA/bias"
SM="$D/small_mixed.csv"

run bias "$SM" --facet gender --facet-value F --label outcome \
    --label-value yes --group region --predicted pred --format json
is "$rc" 0 "bias exits 0 without limits"
printf '%s\n' "$out" > "$T/r.json"
is "$(jget "$T/r.json" 'd["mode"]')" clarify "mode defaults to clarify"
is "$(jget "$T/r.json" 'd["facet"]')" "{'column': 'gender', 'values': ['F']}" \
   "facet object"
is "$(jget "$T/r.json" 'd["label"]["values"]')" "['yes']" "label values"
is "$(jget "$T/r.json" 'd["group"]')" region "group column"
is "$(jget "$T/r.json" 'd["predicted"]')" pred "predicted column"
is "$(jget "$T/r.json" '(d["counts"]["n"], d["counts"]["n_d"], d["counts"]["n_a"])')" \
   "(14, 5, 9)" "counts n, n_d, n_a"
is "$(jget "$T/r.json" 'd["pretraining"]["CI"]["value"]')" 0.2857142857142857 \
   "CI as the reference"
is "$(jget "$T/r.json" 'd["pretraining"]["DPL"]["value"]')" 0.15555555555555556 \
   "DPL as the reference"
is "$(jget "$T/r.json" 'd["pretraining"]["CDDL"]["value"]')" 0.14285714285714285 \
   "CDDL as the reference"
is "$(jget "$T/r.json" 'd["pretraining"]["DPL"]["ci_method"]')" newcombe-wilson \
   "DPL interval method"
is "$(jget "$T/r.json" 'len(d["pretraining"]["DPL"]["ci95"])')" 2 "DPL ci95"
is "$(jget "$T/r.json" '0 < d["pretraining"]["DPL"]["p_value"] <= 1')" True \
   "DPL p-value"
is "$(jget "$T/r.json" 'd["posttraining"]["DI"]["value"]')" 0.6000000000000001 \
   "DI as the reference"
is "$(jget "$T/r.json" 'd["posttraining"]["FT"]["error"]')" \
   "FlipTest does not support non-numeric columns" "FT error as the reference"
is "$(jget "$T/r.json" 'list(d["pretraining"])')" \
   "['CI', 'DPL', 'KL', 'JS', 'LP', 'TVD', 'KS', 'CDDL']" "pre-training metrics"
is "$(jget "$T/r.json" 'list(d["posttraining"])')" \
   "['DPPL', 'DI', 'DCA', 'DCR', 'RD', 'SD', 'DAR', 'DRR', 'AD', 'TE', 'CDDPL', 'FT', 'GE']" \
   "post-training metrics"

run bias "$SM" --facet gender --facet-value F --label outcome --label-value yes
is "$rc" 0 "text output exits 0"
like "$out" "mode: clarify" "text names the mode"
like "$out" "CI +0.285714" "text shows CI"
like "$out" "CDDL +error +Group variable is empty or not provided" \
   "text shows a metric's error"

# Infinity as a string; no posttraining without --predicted.
run bias "$D/posttrain_edges.csv" --facet grp --facet-value d --label label \
    --label-value 1 --predicted pred --group g2 --format json
printf '%s\n' "$out" > "$T/e.json"
is "$(jget "$T/e.json" 'd["posttraining"]["DCA"]["value"]')" -Infinity "-Infinity"
is "$(jget "$T/e.json" 'd["posttraining"]["TE"]["value"]')" Infinity "Infinity"
is "$(jget "$T/e.json" 'd["posttraining"]["FT"]["value"]')" -0.5 "FT with k=1"
run bias "$SM" --facet gender --facet-value F --label outcome --label-value yes \
    --format json
printf '%s\n' "$out" > "$T/n.json"
is "$(jget "$T/n.json" '"posttraining" in d')" False "no posttraining without --predicted"

# No predicted positive: the whole post-training report is refused.
run bias "$D/posttrain_no_pred_pos.csv" --facet grp --facet-value d \
    --label label --label-value 1 --predicted pred --format json
printf '%s\n' "$out" > "$T/p.json"
is "$(jget "$T/p.json" 'd["posttraining"]')" None "posttraining null"
like "$(jget "$T/p.json" 'd["posttraining_error"]')" "No Label values are present" \
   "posttraining_error"

# One-vs-rest, in order of first appearance.
run bias "$SM" --facet gender --label outcome --label-value yes --format json
printf '%s\n' "$out" > "$T/o.json"
is "$(jget "$T/o.json" '[x["facet"]["values"][0] for x in d]')" "['F', 'M', 'N']" \
   "one report per facet value"
is "$(jget "$T/o.json" '[x["counts"]["n_d"] for x in d]')" "[5, 7, 2]" "n_d each"

# Threshold: d = age > 40 (40 itself is in a).
run bias "$SM" --facet age --facet-threshold 40 --label outcome \
    --label-value yes --format json
printf '%s\n' "$out" > "$T/t.json"
is "$(jget "$T/t.json" 'd["facet"]')" "{'column': 'age', 'threshold': 40}" \
   "threshold facet object"
is "$(jget "$T/t.json" 'd["counts"]["n_d"]')" 6 "age > 40: 6 rows"
is "$(jget "$T/t.json" 'd["pretraining"]["DPL"]["value"]')" 0.2916666666666667 \
   "DPL for the threshold facet"

# Intersectional facet: gender F and region north.
run bias "$SM" --facet gender,region --facet-value F,north --label outcome \
    --label-value yes --format json
printf '%s\n' "$out" > "$T/i.json"
is "$(jget "$T/i.json" 'd["counts"]["n_d"]')" 2 "F and north: 2 rows"
is "$(jget "$T/i.json" 'd["facet"]["columns"]')" "['gender', 'region']" \
   "intersection columns"

# Label threshold and the null-value token.
printf 'g,score,grp\na,0.9,x\na,NA,y\nb,0.2,x\nb,0.7,y\nb,NA,x\n' > "$T/n.csv"
run bias "$T/n.csv" --facet g --facet-value a --label score \
    --label-threshold 0.5 --null-value NA --format json
printf '%s\n' "$out" > "$T/l.json"
is "$(jget "$T/l.json" '(d["counts"]["n_d_pos"], d["counts"]["n_a_pos"])')" \
   "(1, 1)" "label > 0.5, NA missing = negative"
is "$err" "" "no warning: NA is a null token"

# A group column whose values are all missing: CDDL as the reference
# (no subgroups, divide(0, 0) = 0), not a crash.
printf 'g,y,grp\na,1,\nb,0,\na,0,\nb,1,\n' > "$T/g.csv"
run bias "$T/g.csv" --facet g --facet-value a --label y --label-value 1 \
    --group grp --format json
printf '%s\n' "$out" > "$T/g.json"
is "$rc" 0 "empty group column: exit 0"
is "$(jget "$T/g.json" 'd["pretraining"]["CDDL"]["value"]')" 0.0 "CDDL 0.0"
is "$(jget "$T/g.json" 'd["counts"]["n_group_missing"]')" 4 "n_group_missing"
run bias "$SM" --facet gender --facet-value X --label outcome --label-value yes \
    --format json
printf '%s\n' "$out" > "$T/x.json"
is "$(jget "$T/x.json" 'd["pretraining"]["CI"]["error"]')" \
   "CI: facet set is empty. Check that x[facet] has non-zero length." \
   "empty d: CI error as the reference"
like "$err" "facet value 'X' never occurs in column 'gender'" "empty d: warning"

# Strict mode: full support, raw label categories.
run bias "$D/d_pure_multicat.csv" --facet grp --facet-value d --label band \
    --label-value high --mode strict --format json
printf '%s\n' "$out" > "$T/s.json"
is "$(jget "$T/s.json" 'd["mode"]')" strict "strict is named"
is "$(jget "$T/s.json" 'd["pretraining"]["KL"]["value"]')" Infinity \
   "strict KL = Infinity when P_d = 0 < P_a"
is "$(jget "$T/s.json" 'd["label_categories"]')" "['high', 'low', 'mid']" \
   "strict label categories"
run bias "$D/d_pure_multicat.csv" --facet grp --facet-value d --label band \
    --label-value high --format json
printf '%s\n' "$out" > "$T/c.json"
is "$(jget "$T/c.json" 'd["pretraining"]["KL"]["value"]')" -0.3579322767129623 \
   "clarify KL as the reference (negative)"
is "$(jget "$T/c.json" 'd["pretraining"]["CI"]')" \
   "$(jget "$T/s.json" 'd["pretraining"]["CI"]')" "CI is the same in both modes"

# Bad input: unknown columns exit 3 and list the columns.
run bias "$SM" --facet sex --facet-value F --label outcome --label-value yes
is "$rc" 3 "unknown facet column: exit 3"
like "$err" "unknown facet column 'sex' \(columns: id, gender, age, region, outcome, band, pred\)" \
   "names the column and lists the columns"
run bias "$SM" --facet gender --facet-value F --label result --label-value yes
is "$rc" 3 "unknown label column: exit 3"
like "$err" "unknown label column 'result'" "label column named"
run bias "$SM" --facet gender --facet-value F --label outcome --label-value yes \
    --group dept
is "$rc" 3 "unknown group column: exit 3"
like "$err" "unknown group column 'dept' \(columns: " "group column listed"
run bias "$SM" --facet gender --facet-value F --label outcome --label-value yes \
    --predicted yhat
is "$rc" 3 "unknown prediction column: exit 3"
like "$err" "unknown prediction column 'yhat'" "prediction column named"
run bias "$SM" --facet gender --facet-value F --label outcome --label-value YES
is "$rc" 0 "a label value that never occurs is not an error"
like "$err" "warning: label value 'YES' never occurs in column 'outcome'" \
   "... but a warning"
run bias "$T/missing.csv" --facet g --facet-value a --label y --label-value 1
is "$rc" 3 "missing file: exit 3"

# Usage errors exit 2.
run bias "$SM" --facet gender --facet-value F
is "$rc" 2 "no --label: exit 2"
run bias "$SM" --facet gender --facet-value F --facet-threshold 3 \
    --label outcome --label-value yes
is "$rc" 2 "values and threshold: exit 2"
run bias "$SM" --facet age --facet-threshold forty --label outcome \
    --label-value yes
is "$rc" 2 "non-numeric threshold: exit 2"
run bias "$SM" --facet gender --facet-value F --label outcome \
    --label-value yes --mode exact
is "$rc" 2 "unknown mode: exit 2"
run bias "$SM" --facet gender --facet-value F --label outcome \
    --label-value yes --format yaml
is "$rc" 2 "bias --format: an unknown format is a usage error"
run bias --help
is "$rc" 0 "--help exits 0"
like "$out" "facet-threshold" "--help lists the options"

# The worked Adult case of expected.json.
if [ -n "$SHARED" ] && [ -f "$SHARED/datasets/adult/adult.csv" ]; then
    run bias "$SHARED/datasets/adult/adult.csv" --facet sex --facet-value Female \
        --label income --label-value '>50K' --group education --format json
    printf '%s\n' "$out" > "$T/a.json"
    is "$(jget "$T/a.json" 'd["pretraining"]["CDDL"]["value"]')" \
       0.25028171620204814 "Adult CDDL as the reference"
    is "$(jget "$T/a.json" 'd["pretraining"]["KS"]["value"]')" \
       0.19627598779361355 "Adult KS as the reference"
else
    skip "../shared not present"
    skip "../shared not present"
fi
# A label value spelt two ways ("1.0" in the prediction column first, "1"
# in the label column later) is one value named by its first spelling,
# in record order across both columns.
printf 'f,l,p\nx,0,1.0\ny,1,1\nx,1,0\ny,0,1\n' > "$T/spell.csv"
run bias "$T/spell.csv" --facet f --facet-value x --label l \
    --label-value 1 --predicted p --format json
printf '%s' "$out" > "$T/spell.json"
is "$(jget "$T/spell.json" "sorted(d['model_performance']['confusion_matrix'])")" \
   "['0', '1.0']" "a value keeps the spelling first seen, label or prediction"
done_testing
