#!/bin/sh
# assay attest: a signed in-toto Statement (DSSE, Ed25519) for a snapshot
# and for a training run, checked three ways: `assay attest --verify`,
# ../shared/attestation-spec/validate_attestation.py (shape) and
# `openssl pkeyutl` (the signature, independently).  One changed byte
# fails; bad input exits 3 with one clear message.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
P=$(pwd -P)
export SOURCE_DATE_EPOCH=1768469400         # 2026-01-15T09:30:00Z
h() { sha256sum "$1" | cut -c1-64; }
b64d() { printf '%s' "$1" | base64 -d; }
# jget and the helpers below need only the standard library: the system
# python starts much faster than a version manager's shim.
[ -x /usr/bin/python3 ] && PATH=/usr/bin:$PATH
TYPE=application/vnd.in-toto+json

cp "$DATA/lineage/raw.csv" data.csv
cp "$DATA/lineage/rules.yml" rules.yml
head -n 5 data.csv > train.csv
{ head -n 1 data.csv; tail -n 2 data.csv; } > test.csv
{ cat data.csv; printf '7,212,gold,1\n'; } > bad.csv
printf 'weights v1\n' > model.bin
DATA_SHA=$(h data.csv) TRAIN=$(h train.csv) TEST=$(h test.csv)
BAD=$(h bad.csv) MODEL=$(h model.bin) RULES=$(h rules.yml)

openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null &&
    openssl pkey -in key.pem -pubout -out pub.pem 2>/dev/null
ok $? "openssl makes an Ed25519 key pair"
openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null &&
    openssl pkey -in other.pem -pubout -out other.pub.pem 2>/dev/null
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:1024 -out rsa.pem \
    2>/dev/null
KEYID=$(openssl pkey -pubin -in pub.pem -outform DER | sha256sum | cut -c1-64)

run check data.csv --rules rules.yml
is "$rc" 0 "check data.csv (recorded)"
run check bad.csv --rules rules.yml
is "$rc" 1 "check bad.csv fails (recorded)"
run check train.csv --rules rules.yml
is "$rc" 0 "check train.csv (recorded)"
run lineage derive test.csv --from data.csv --transform "last 2 rows"
is "$rc" 0 "test.csv derived, never checked"
run lineage run start --name churn --input train.csv:train \
    --input test.csv:test
is "$rc" 0 "run start"
RUN=$out
run lineage run finish "$RUN" --model model.bin
is "$rc" 0 "run finish with a model"

# ---- a snapshot
run attest data.csv --key key.pem --output snap.json
is "$rc" 0 "attest a snapshot to a file"
is "$out" "" "nothing on stdout with --output"
like "$err" "attested 1 subject of snapshot 'data.csv' \(verdict pass\)" \
    "stderr says what was attested"
is "$(ls -A | grep -c tmp)" 0 "no temporary file left behind"
is "$(jget snap.json 'd["payloadType"]')" "$TYPE" "payloadType"
is "$(jget snap.json '[s["keyid"] for s in d["signatures"]]')" "['$KEYID']" \
    "keyid = sha256 of the DER public key, as openssl computes it"
b64d "$(jget snap.json 'd["payload"]')" > snap.body
is "$(jget snap.body 'd["_type"]')" "https://in-toto.io/Statement/v1" "_type"
is "$(jget snap.body 'd["predicateType"]')" \
    "https://assay.dev/attestation/data-check/v1" "predicateType"
is "$(jget snap.body '[(s["name"], s["digest"]["sha256"]) for s in d["subject"]]')" \
    "[('$P/data.csv', '$DATA_SHA')]" "subject: the snapshot's path and sha256"
is "$(jget snap.body 'd["predicate"]["verdict"]')" pass "verdict pass"
is "$(jget snap.body 'd["predicate"]["generated"]')" 2026-01-15T09:30:00Z \
    "generated from SOURCE_DATE_EPOCH"
is "$(jget snap.body 'd["predicate"]["snapshots"][0]["check"]["rules"]["sha256"]')" \
    "$RULES" "the rules file's sha256"
is "$(jget snap.body '{r["id"]: r["status"] for r in d["predicate"]["snapshots"][0]["check"]["results"]}["age.range"]')" \
    pass "check results are in the predicate"
is "$(jget snap.body 'any("samples" in r for r in d["predicate"]["snapshots"][0]["check"]["results"])')" \
    False "without samples"
is "$(jget snap.body 'len(d["predicate"]["ledger"]["head"])')" 64 \
    "the ledger head"
is "$(python3 -c 'import json,sys; b=open(sys.argv[1],"rb").read(); print(b == json.dumps(json.loads(b), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())' snap.body)" \
    True "the payload is canonical JSON (sorted keys, compact)"
run attest data.csv --key key.pem
printf '%s\n' "$out" > snap2.json
cmp -s snap.json snap2.json
ok $? "deterministic: stdout has the same bytes as the first run"

run attest --verify snap.json --key pub.pem
is "$rc" 0 "--verify with the public key"
like "$out" "^verified: 'snap.json' is signed by 'pub.pem' \(keyid $KEYID\)" \
    "says what verified"
like "$out" "^verdict: pass" "prints the verdict"
like "$out" "sha256:$DATA_SHA  $P/data.csv" "prints the subject"
run attest --verify snap.json --key key.pem --format json
is "$rc" 0 "--verify with the private key, --format json"
printf '%s\n' "$out" > v.json
is "$(jget v.json 'd["predicate"]["verdict"]')" pass "json: the statement"

# ---- a failing snapshot is attested too (exit 0; the verdict says fail)
run attest bad.csv --key key.pem --output bad.att.json
is "$rc" 0 "attest a failing snapshot"
b64d "$(jget bad.att.json 'd["payload"]')" > bad.body
is "$(jget bad.body 'd["predicate"]["verdict"]')" fail "verdict fail"
is "$(jget bad.body 'd["subject"][0]["digest"]["sha256"]')" "$BAD" \
    "subject: bad.csv"

# ---- a run: the model and every input snapshot
run attest "$RUN" --key key.pem --output run.json
is "$rc" 0 "attest a run"
b64d "$(jget run.json 'd["payload"]')" > run.body
is "$(jget run.body 'sorted(s["digest"]["sha256"] for s in d["subject"])')" \
    "$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$MODEL" "$TRAIN" "$TEST")" \
    "subjects: the model, train.csv and test.csv"
is "$(jget run.body "[(s['via'], s['verdict']) for s in d['predicate']['snapshots'] if s['sha256'] == '$DATA_SHA']")" \
    "[('derivation', 'pass')]" \
    "data.csv, which test.csv derives from, is context in the predicate"
is "$(jget run.body 'd["subject"][0]["annotations"]["kind"]')" model \
    "the model comes first"
is "$(jget run.body 'd["predicate"]["verdict"]')" unchecked \
    "test.csv was never checked: verdict unchecked"
is "$(jget run.body "{s['sha256']: s['verdict'] for s in d['predicate']['snapshots']}['$TRAIN']")" \
    pass "train.csv: pass"
is "$(jget run.body 'd["predicate"]["target"]["kind"]')" run "target: the run"
run attest model.bin --key key.pem --output model.att.json
is "$rc" 0 "attest by model path"
b64d "$(jget model.att.json 'd["payload"]')" > model.body
is "$(jget model.body 'd["subject"][0]["digest"]["sha256"]')" "$MODEL" \
    "subject: the model"

# ---- the shape, by the project's validator
if [ -n "$SHARED" ] && [ -f "$SHARED/attestation-spec/validate_attestation.py" ]
then
    V=$(/usr/bin/python3 "$SHARED/attestation-spec/validate_attestation.py" \
        snap.json bad.att.json run.json model.att.json 2>&1)
    ok $? "validate_attestation.py: every envelope is VALID"
    is "$(printf '%s\n' "$V" | grep -c '^VALID')" 4 "four VALID lines"
else
    skip "../shared/attestation-spec is absent: no validate_attestation.py"
    skip "../shared/attestation-spec is absent: no validate_attestation.py"
fi

# ---- the signature, by openssl: PAE rebuilt with printf
pae() {  # pae BODY > PAE
    printf 'DSSEv1 %d %s %d ' "${#TYPE}" "$TYPE" "$(wc -c < "$1")"
    cat "$1"
}
b64d "$(jget run.json 'd["signatures"][0]["sig"]')" > run.sig
pae run.body > run.pae
V=$(openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in run.pae \
    -sigfile run.sig 2>&1)
ok $? "openssl pkeyutl verifies the DSSE signature"
like "$V" "Signature Verified Successfully" "openssl says so"
openssl pkeyutl -verify -pubin -inkey other.pub.pem -rawin -in run.pae \
    -sigfile run.sig >/dev/null 2>&1
is "$?" 1 "openssl: another key does not verify it"

# ---- one changed byte fails
python3 - <<'EOF'
import base64, json
env = json.load(open("run.json"))
body = base64.b64decode(env["payload"])
env["payload"] = base64.b64encode(
    body.replace(b'"verdict":"unchecked"', b'"verdict":"pass"')).decode()
json.dump(env, open("forged.json", "w"))
one = bytearray(base64.b64decode(json.load(open("run.json"))["payload"]))
one[len(one) // 2] ^= 1
env["payload"] = base64.b64encode(bytes(one)).decode()
open("flip-payload.body", "wb").write(bytes(one))
json.dump(env, open("flip-payload.json", "w"))
text = bytearray(open("run.json", "rb").read())
k = text.index(b'"sig":"') + len('"sig":"') + 10
text[k] = ord("A") if text[k] != ord("A") else ord("B")
open("flip-sig.json", "wb").write(bytes(text))
EOF
for f in forged flip-payload flip-sig; do
    run attest --verify $f.json --key pub.pem
    is "$rc" 1 "$f: verification fails (exit 1)"
    like "$err" "^assay: verification failed: the signature in '$f.json' does not verify with this key" \
        "$f: says the signature does not verify"
done
pae flip-payload.body > flip.pae
openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in flip.pae \
    -sigfile run.sig >/dev/null 2>&1
is "$?" 1 "openssl agrees: the changed payload does not verify"
run attest --verify run.json --key other.pub.pem
is "$rc" 1 "another key: verification fails"
like "$err" "is not signed by this key" "another key: said so"

# ---- bad input: exit 3, one clear message
run attest deadbeefdeadbeef --key key.pem
is "$rc" 3 "unknown REF: exit 3"
like "$err" "^assay: error: .*deadbeefdeadbeef" "unknown REF: named"
is "$(printf '%s\n' "$err" | wc -l)" 1 "unknown REF: one line"
run attest data.csv --key missing.pem
is "$rc" 3 "missing key: exit 3"
is "$err" "assay: error: cannot open key 'missing.pem': No such file or directory" \
    "missing key: the message"
mkdir keydir
run attest data.csv --key keydir
is "$rc" 3 "a directory as key: exit 3"
is "$err" "assay: error: cannot read key 'keydir': Is a directory" \
    "a directory as key: the message"
run attest data.csv --key rsa.pem
is "$rc" 3 "RSA key: exit 3"
like "$err" "^assay: error: 'rsa.pem' is an RSA key; attestations need an Ed25519 key" \
    "RSA key: the message"
run attest --verify run.json --key rsa.pem
is "$rc" 3 "RSA key for --verify: exit 3"
run attest data.csv --key pub.pem
is "$rc" 3 "a public key for signing: exit 3"
is "$err" "assay: error: 'pub.pem' is a public key; signing needs the private key" \
    "a public key for signing: the message"
run attest data.csv --key rules.yml
is "$rc" 3 "not a key: exit 3"
is "$err" "assay: error: 'rules.yml' is not a PEM private key" \
    "not a key: the message"
head -c 100 run.json > truncated.json
run attest --verify truncated.json --key pub.pem
is "$rc" 3 "truncated envelope: exit 3"
like "$err" "^assay: error: corrupt envelope 'truncated.json': not JSON" \
    "truncated envelope: the message"
python3 -c 'import json; e=json.load(open("run.json")); e["payload"]="!"+e["payload"][1:]; json.dump(e, open("badb64.json","w"))'
run attest --verify badb64.json --key pub.pem
is "$rc" 3 "payload not base64: exit 3"
is "$err" "assay: error: corrupt envelope 'badb64.json': payload is not canonical base64" \
    "payload not base64: the message"
python3 -c 'import json; e=json.load(open("run.json")); e["payloadType"]="text/plain"; json.dump(e, open("type.json","w"))'
run attest --verify type.json --key pub.pem
is "$rc" 3 "wrong payloadType: exit 3"
run attest --verify nothere.json --key pub.pem
is "$rc" 3 "missing envelope: exit 3"
is "$err" "assay: error: cannot open 'nothere.json': No such file or directory" \
    "missing envelope: the message"

# ---- usage and output errors
run attest data.csv
is "$rc" 2 "no --key: usage error"
run attest --key key.pem
is "$rc" 2 "no REF: usage error"
run attest data.csv --verify run.json --key pub.pem
is "$rc" 2 "REF with --verify: usage error"
run attest data.csv --key key.pem --output nodir/att.json
is "$rc" 4 "unwritable output: exit 4"
test ! -e nodir
ok $? "nothing created"
cp snap.json keep.json
run attest bad.csv --key rsa.pem --output keep.json
cmp -s snap.json keep.json
ok $? "a failed run leaves an existing output alone"
done_testing
