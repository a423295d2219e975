#!/bin/sh
# assay bias on the shared datasets (COMPAS: CRLF, quoted commas,
# duplicate header names), checked against counts Python's csv module
# makes here: n_d, n_d_pos and CI/DPL to the last bit (both are single
# divisions and a subtraction of counts).  Skipped without ../shared.
. "$(dirname "$0")/lib.sh"

# check FILE FACET VALUE|gt:T LABEL LABELVALUE|gt:T DESC
check() {
    f=$1 facet=$2 fv=$3 label=$4 lv=$5 desc=$6
    fo=--facet-value lo=--label-value fa=$fv la=$lv
    case $fv in gt:*) fo=--facet-threshold fa=${fv#gt:} ;; esac
    case $lv in gt:*) lo=--label-threshold la=${lv#gt:} ;; esac
    run bias "$SHARED/datasets/$f" --facet "$facet" "$fo" "$fa" \
        --label "$label" "$lo" "$la" --format json
    is "$rc" 0 "$desc: exit 0"
    printf '%s\n' "$out" > "$T/b.json"
    got=$(jget "$T/b.json" '(d["counts"]["n_d"], d["counts"]["n_d_pos"], d["pretraining"]["CI"]["value"], d["pretraining"]["DPL"]["value"])')
    want=$(python3 - "$SHARED/datasets/$f" "$facet" "$fv" "$label" "$lv" <<'PY'
import csv, sys
path, facet, fv, label, lv = sys.argv[1:]
rows = list(csv.reader(open(path, newline="")))
hdr, rows = rows[0], rows[1:]
fi, li = hdr.index(facet), hdr.index(label)   # first of duplicate names
def num(s):
    try:
        return float(s)
    except ValueError:
        return None
def sel(s, spec):
    if spec.startswith("gt:"):
        x = num(s)
        return x is not None and x > float(spec[3:])
    return s == spec or (num(s) is not None and num(s) == num(spec))
n = [0, 0]
pos = [0, 0]
for r in rows:
    d = 1 if sel(r[fi], fv) else 0
    n[d] += 1
    pos[d] += 1 if r[li] != "" and sel(r[li], lv) else 0
print((n[1], pos[1], (n[0] - n[1]) / (n[0] + n[1]),
       pos[0] / n[0] - pos[1] / n[1]))
PY
)
    is "$got" "$want" "$desc: n_d, n_d_pos, CI, DPL"
}

if [ -z "$SHARED" ] || [ ! -d "$SHARED/datasets" ]; then
    skip_all "../shared/datasets not present (a user's clone)"
fi
check adult/adult.csv sex Female income ">50K" "adult sex"
check adult/adult.csv age gt:40 income ">50K" "adult age > 40"
check adult/adult.csv workclass "?" income ">50K" "adult workclass ?"
check compas/compas-scores-two-years.csv race African-American \
    two_year_recid 1 "compas race"
check compas/compas-scores-two-years.csv priors_count gt:3 \
    two_year_recid 1 "compas priors_count (first of two)"
check compas/compas-scores-two-years.csv c_charge_desc \
    "Poss 3,4 MDMA (Ecstasy)" is_recid 1 "compas quoted comma value"
check compas/compas-scores-two-years.csv sex Female decile_score gt:5 \
    "compas label threshold"
check german_credit/german_credit.csv personal_status_sex A92 credit_risk 1 \
    "german A92"
check german_credit/german_credit.csv age gt:25 credit_risk 1 "german age"
check bank_marketing/bank-full.csv marital married y yes "bank marital"
check bank_marketing/bank-full.csv balance gt:1000 y yes "bank balance"

# One-vs-rest on COMPAS race: one report per value, first appearance.
run bias "$SHARED/datasets/compas/compas-scores-two-years.csv" --facet race \
    --label two_year_recid --label-value 1 --group age_cat --format json
printf '%s\n' "$out" > "$T/o.json"
is "$(jget "$T/o.json" '[x["facet"]["values"][0] for x in d]')" \
   "$(python3 -c 'import csv,sys
r=list(csv.reader(open(sys.argv[1],newline="")))
i=r[0].index("race"); s=[]
[s.append(x[i]) for x in r[1:] if x[i] not in s]
print(s)' "$SHARED/datasets/compas/compas-scores-two-years.csv")" \
   "compas one-vs-rest order"

# Post-training with numeric features: FT computed (kNN on 7 columns).
run bias "$SHARED/datasets/compas/compas_two_year_pred.csv" --facet race \
    --facet-value African-American --label two_year_recid --label-value 1 \
    --predicted pred_recid --format json
printf '%s\n' "$out" > "$T/p.json"
is "$(jget "$T/p.json" 'type(d["posttraining"]["FT"]["value"]).__name__')" \
   float "compas FT is a number"
done_testing
