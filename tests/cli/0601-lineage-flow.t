#!/bin/sh
# assay lineage: raw snapshot -> derived train/test -> run -> model ->
# deployment, and the audit questions asked of it (upstream, downstream,
# impact, show, REF resolution).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
P=$(pwd -P)
cp "$DATA/lineage/raw.csv" raw.csv
head -n 5 raw.csv > train.csv
{ head -n 1 raw.csv; tail -n 2 raw.csv; } > test.csv
printf 'weights v1\n' > model.bin
h() { sha256sum "$1" | cut -c1-64; }
RAW=$(h raw.csv) TRAIN=$(h train.csv) TEST=$(h test.csv) MODEL=$(h model.bin)

# ---- recording ----
run lineage add raw.csv
is "$rc" 0 "add raw.csv"
like "$out" "recorded +snapshot +$RAW +$P/raw.csv" "add names the sha256 and path"
test -f "$ASSAY_DB"; ok $? "the database is created"
run lineage add raw.csv
like "$out" "^known " "adding it again records nothing new"
run lineage derive train.csv --from raw.csv --transform "first 4 rows" \
    --code 1a2b3c
is "$rc" 0 "derive train.csv"
run lineage derive test.csv --from raw.csv --transform "last 2 rows"
is "$rc" 0 "derive test.csv"
run lineage run start --name churn --input train.csv:train \
    --input test.csv:test --param lr=0.1 --param depth=3 --code 1a2b3c
is "$rc" 0 "run start"
RUN=$out
like "$RUN" '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' \
    "run start prints the run id (a UUIDv7) alone"
run lineage run finish "$RUN" --model model.bin --metric auc=0.91
is "$rc" 0 "run finish with a model"
like "$out" "model +$MODEL" "the model is hashed"
run lineage deploy model.bin --env production
is "$rc" 0 "deploy"
like "$out" "deployed model $MODEL" "deploy names the model"

# ---- upstream env:production: exactly the three snapshots and the model
run lineage upstream env:production --format json
is "$rc" 0 "upstream env:production"
printf '%s\n' "$out" > up.json
is "$(jget up.json 'sorted(s["sha256"] for s in d["snapshots"])')" \
   "$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$RAW" "$TRAIN" "$TEST")" \
   "upstream names exactly raw, train and test"
is "$(jget up.json '[m["sha256"] for m in d["models"]]')" "['$MODEL']" \
   "upstream names the live model"
is "$(jget up.json '{s["dataset"]: s["roles"] for s in d["snapshots"]}')" \
   "{'train.csv': ['train'], 'test.csv': ['test'], 'raw.csv': []}" \
   "roles of each snapshot"
is "$(jget up.json '[s["via"] for s in d["snapshots"]]')" \
   "['input', 'input', 'derivation']" "direct inputs first, then ancestors"
is "$(jget up.json '[r["id"] for r in d["runs"]]')" "['$RUN']" "the run"
is "$(jget up.json 'd["deployments"][0]["env"]')" production "the deployment"
run lineage upstream env:production
like "$out" "snapshots \(3\)" "text: three snapshots"
like "$out" "$TRAIN +train.csv +train " "text: train.csv as train"
like "$out" "$RAW +raw.csv +\(derivation\)" "text: raw.csv via derivation"

# ---- evidence env:production: the document report and attest are built on
run lineage evidence env:production
is "$rc" 0 "evidence env:production"
printf '%s\n' "$out" > ev.json
is "$(jget ev.json 'd["target"]["kind"], d["target"]["id"]')" \
   "('deployment', '$MODEL')" "evidence: the target is the deployment of the model"
is "$(jget ev.json 'sorted(s["sha256"] for s in d["snapshots"])')" \
   "$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$RAW" "$TRAIN" "$TEST")" \
   "evidence: the same three snapshots as upstream"
is "$(jget ev.json 'len(d["ledger"]["head"])')" 64 "evidence: the ledger head"

# ---- downstream raw.csv
run lineage downstream raw.csv --format json
is "$rc" 0 "downstream raw.csv"
printf '%s\n' "$out" > down.json
is "$(jget down.json 'sorted(s["dataset"] for s in d["snapshots"])')" \
   "['test.csv', 'train.csv']" "derived snapshots"
is "$(jget down.json '[r["id"] for r in d["runs"]]')" "['$RUN']" "runs"
is "$(jget down.json '[m["sha256"] for m in d["models"]]')" "['$MODEL']" \
   "models"
is "$(jget down.json '[(x["env"], x["live"]) for x in d["deployments"]]')" \
   "[('production', True)]" "deployments"

# ---- impact
run lineage impact "$RAW" --format json
is "$rc" 0 "impact by full hash"
printf '%s\n' "$out" > imp.json
is "$(jget imp.json '[x["env"] for x in d["live"]]')" "['production']" \
   "production rests on raw.csv"
is "$(jget imp.json 'd["checks_passed"]')" None "never checked: null"
run lineage impact raw.csv
like "$out" "live deployments resting on it \(1\)" "impact text"
like "$out" "never checked" "impact says it was never checked"

# ---- a second model replaces the first in production
printf 'weights v2\n' > model2.bin
RUN2=$("$ASSAY" lineage run start --name churn2 --input train.csv:train)
"$ASSAY" lineage run finish "$RUN2" --model model2.bin >/dev/null
run lineage deploy model2.bin --env production
is "$rc" 0 "deploy another model"
run lineage upstream env:production --format json
printf '%s\n' "$out" > up2.json
is "$(jget up2.json '[m["sha256"] for m in d["models"]]')" \
   "['$(h model2.bin)']" "env:production is the newest deployment"
is "$(jget up2.json 'len(d["snapshots"])')" 2 "train.csv and raw.csv"
run lineage impact test.csv --format json
printf '%s\n' "$out" > imp2.json
is "$(jget imp2.json 'd["live"]')" "[]" \
   "no live deployment rests on test.csv any more"
is "$(jget imp2.json 'd["downstream"]["deployments"][0]["live"]')" False \
   "the old deployment is history"
run lineage deploy model.bin --env staging
is "$rc" 0 "an old model can go to another env"
run lineage show model.bin --format json
printf '%s\n' "$out" > m.json
is "$(jget m.json '[(x["env"], x["live"]) for x in d["deployments"]]')" \
   "[('production', False), ('staging', True)]" "show model: deployments"

# ---- show and REF resolution
run lineage show "$(printf %.8s "$RAW")" --format json
is "$rc" 0 "an 8-digit prefix resolves"
printf '%s\n' "$out" > s.json
is "$(jget s.json 'd["dataset"]')" raw.csv "show by prefix"
is "$(jget s.json 'len(d["used_by"]["derivations"])')" 2 "used by 2 derivations"
run lineage show "sha256:$TRAIN"
like "$out" "dataset +train.csv" "sha256: prefix accepted"
run lineage show churn --format json
printf '%s\n' "$out" > r.json
is "$(jget r.json 'd["id"]')" "$RUN" "a run by name"
is "$(jget r.json 'd["params"]')" "{'depth': '3', 'lr': '0.1'}" "run params"
is "$(jget r.json 'd["metrics"]["auc"]')" 0.91 "run metrics"
run lineage show "$RUN"
like "$out" "status +succeeded" "a run by id"
run lineage show "$P/train.csv" --format json
printf '%s\n' "$out" > t.json
is "$(jget t.json 'd["sha256"]')" "$TRAIN" "a snapshot by absolute path"
run lineage show deadbeefcafe
is "$rc" 3 "unknown REF exits 3"
like "$err" "unknown reference 'deadbeefcafe'" "and says so"
run lineage show abc
is "$rc" 3 "a too-short prefix exits 3"
like "$err" "at least 8 hex digits" "and says why"
run lineage upstream env:nowhere
is "$rc" 3 "an env with no deployment exits 3"
"$ASSAY" lineage run start --name churn --input test.csv:test >/dev/null
run lineage show churn
is "$rc" 3 "a run name used twice is ambiguous"
like "$err" "ambiguous reference 'churn' matches run $RUN" \
    "the message lists what matched"
run lineage impact "$RUN"
is "$rc" 3 "impact takes a snapshot"

# ---- log
run lineage log --format json
printf '%s\n' "$out" > log.json
is "$(jget log.json '[e["kind"] for e in d][:7]')" \
   "['snapshot.add', 'derive', 'derive', 'run.start', 'run.finish', 'deploy', 'run.start']" \
   "one ledger entry per recording command"
is "$(jget log.json 'all(d[i]["prev"] == d[i-1]["hash"] for i in range(1, len(d)))')" \
   True "entries are chained"
run lineage verify
is "$rc" 0 "verify passes on an untouched graph"
done_testing
