#!/bin/sh
# The gate on generated data with injected defects (../shared/bench):
# every defect type is reported, with counts equal to an independent
# oracle (Python's csv module) and to the generator's manifest; the clean
# file passes.
. "$(dirname "$0")/lib.sh"
GEN="$SHARED/bench/gen_dataset.py"
if [ -z "$SHARED" ] || [ ! -f "$GEN" ]; then
    skip_all "../shared/bench/gen_dataset.py not present (a user's clone)"
fi
RULES="$TOP/examples/churn/rules.yml"
python3 "$GEN" --rows 200000 --seed 7 --defects --manifest "$T/m.json" \
    -o "$T/d.csv"
python3 "$GEN" --rows 200000 --seed 7 -o "$T/c.csv"

run check "$T/d.csv" --rules "$RULES" --format json --no-record
is "$rc" 1 "defects fail the gate"
printf '%s\n' "$out" > "$T/r.json"

# The oracle: recount every check from the CSV with Python's csv module.
python3 - "$T/d.csv" "$T/r.json" "$T/m.json" > "$T/oracle.tap" <<'PY'
import csv, json, re, sys
data, res, man = sys.argv[1:4]
r = {x["id"]: x for x in json.load(open(res))["results"]}
m = json.load(open(man))["injected_defects"]
INT = re.compile(r"[+-]?[0-9]+\Z")
NUM = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
TS = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))?\Z")
import calendar
def okdate(y, mo, d):
    y, mo, d = int(y), int(mo), int(d)
    return 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1] if y > 0 else False
def isdate(v):
    g = DATE.match(v); return bool(g) and okdate(*g.groups())
def ists(v):
    g = TS.match(v)
    if not g or not okdate(g[1], g[2], g[3]): return False
    if int(g[4]) > 23 or int(g[5]) > 59 or int(g[6]) > 59: return False
    return g[9] is None or (int(g[9]) <= 23 and int(g[10]) <= 59)
types = {"customer_id": INT.match, "age": INT.match, "income": NUM.match,
         "credit_score": INT.match, "signup_date": isdate, "last_login": ists,
         "tenure_months": INT.match, "balance": NUM.match,
         "num_products": INT.match, "churned": INT.match,
         "predicted": INT.match,
         "is_active": lambda v: v.lower() in ("true", "false", "0", "1")}
f = open(data, newline="")
rd = csv.reader(f)
hdr = next(rd)
ix = {c: i for i, c in enumerate(hdr)}
cnt = {}
def add(k): cnt[k] = cnt.get(k, 0) + 1
seen = set(); ids = set(); n = 0
for row in rd:
    n += 1
    if len(row) != len(hdr):
        add("field_count"); continue
    t = tuple(row)
    if t in seen: add("duplicate_rows")
    seen.add(t)
    for c, fn in types.items():
        v = row[ix[c]]
        if v != "" and not fn(v): add(c + ".type")
    for c in ("customer_id", "credit_score", "race", "marital_status",
              "zip_code", "signup_date", "churned", "predicted", "age",
              "income", "gender"):
        if row[ix[c]] == "": add(c + ".not_null")
    a = row[ix["age"]]
    if INT.match(a) and not 18 <= int(a) <= 120: add("age.range")
    z = row[ix["zip_code"]]
    if z != "" and not re.match(r"[0-9]{5}\Z", z): add("zip_code.pattern")
    cid = row[ix["customer_id"]]
    # DESIGN.md: column checks other than type see only values that parse
    # ("CUST-0001" repeated is counted once per record, by customer_id.type).
    if INT.match(cid):
        if cid in ids: add("customer_id.unique")
        ids.add(cid)
    for c, allowed in (("race", {"white", "hispanic", "black", "asian", "other"}),
                       ("marital_status", {"married", "single", "divorced", "widowed"}),
                       ("gender", {"female", "male", "nonbinary"})):
        v = row[ix[c]]
        if v != "" and v not in allowed: add(c + ".allowed")
    for c in ("churned", "predicted"):
        v = row[ix[c]]
        if INT.match(v) and v not in ("0", "1"): add(c + ".allowed")
k = 0
def check(cond, desc):
    global k; k += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (k, desc))
for cid in sorted(set(cnt) | {i for i in r if i.endswith((".type", ".not_null", ".range", ".allowed", ".pattern", ".unique"))}):
    if cid not in r:
        continue
    check(r[cid]["failures"] == cnt.get(cid, 0),
          "%s failures %s == oracle %s" % (cid, r[cid]["failures"], cnt.get(cid, 0)))
check(r["duplicate_rows"]["failures"] == cnt["duplicate_rows"], "duplicate_rows == oracle")
# The manifest: what the generator injected.
check(r["age.range"]["failures"] == m["age_out_of_range"], "age_out_of_range == manifest")
check(r["duplicate_rows"]["failures"] == m["duplicate_row"], "duplicate_row == manifest")
check(r["field_count"]["failures"] == m["wrong_field_count"], "wrong_field_count == manifest")
check(r["signup_date.type"]["failures"] + r["last_login.type"]["failures"] >= m["malformed_date"], "malformed_date reported")
nn = sum(r[i]["failures"] for i in r if i.endswith(".not_null"))
check(nn > 0 and cnt.get("customer_id.not_null", 0) > 0, "empty_string reported")
ty = sum(r[i]["failures"] for i in r if i.endswith(".type"))
check(ty >= m["wrong_type"], "wrong_type reported (%d >= %d)" % (ty, m["wrong_type"]))
for cid in ("age.range", "duplicate_rows", "field_count", "customer_id.type"):
    check(r[cid]["status"] == "fail" and len(r[cid]["samples"]) > 0, cid + " fails with samples")
print("# %d records" % n)
PY
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok 0 "${line#ok * - }" ;;
    "not ok "*) ok 1 "${line#not ok * - }" ;;
    *) echo "$line" ;;
    esac
done < "$T/oracle.tap"

run check "$T/c.csv" --rules "$RULES" --format json --no-record
is "$rc" 0 "the clean file passes"
like "$out" '"verdict": "pass"' "verdict pass"
done_testing
