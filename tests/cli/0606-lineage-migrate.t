#!/bin/sh
# Schema migrations and the stored profile: a database written at schema
# version 2 (tests/data/lineage/v2.sql, before checks kept the profile)
# is brought forward and still verifies; `assay check` now stores its
# profile, the ledger binds it by digest, and editing it with the
# sqlite3 shell makes `assay lineage verify` exit 1.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
if ! command -v sqlite3 >/dev/null 2>&1; then
    skip "sqlite3 shell not installed"
    done_testing
fi
cp "$DATA/lineage/raw.csv" data.csv
cp "$DATA/lineage/rules.yml" rules.yml
q() { sqlite3 "$ASSAY_DB" "$1"; }

# ---- an old database is migrated forward
export ASSAY_DB="$T/old.db"
sqlite3 "$ASSAY_DB" < "$DATA/lineage/v2.sql"
is "$(q 'PRAGMA user_version')" 2 "the fixture is at schema version 2"
is "$(q "SELECT count(*) FROM pragma_table_info('checks')
         WHERE name = 'profile'")" 0 "without checks.profile"
run lineage log --format json
is "$rc" 0 "a reader opens it"
is "$(q 'PRAGMA user_version')" 3 "and brings it to version 3"
is "$(q "SELECT count(*) FROM pragma_table_info('checks')
         WHERE name = 'profile'")" 1 "checks.profile added"
is "$(q 'SELECT count(*) FROM checks WHERE profile IS NULL')" 1 \
   "the old check has no profile"
run lineage verify --format json
printf '%s\n' "$out" > v.json
is "$(jget v.json '(d["ledger"]["ok"], d["ledger"]["entries"], d["database"])')" \
   "(True, 7, 'ok')" "the migrated ledger verifies (7 entries)"
run check data.csv --rules rules.yml --format json
is "$rc" 0 "a new check on the migrated database"
printf '%s\n' "$out" > c.json
q 'SELECT profile FROM checks ORDER BY id DESC LIMIT 1' > p.json
is "$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["profile"]; b=json.load(open(sys.argv[2])); print(a == b and len(b["columns"]))' c.json p.json)" \
   4 "its profile is stored as the check printed it (4 columns)"
run lineage verify --format json
printf '%s\n' "$out" > v.json
is "$(jget v.json '(d["ledger"]["ok"], d["ledger"]["entries"])')" \
   "(True, 8)" "old and new entries verify together"
run lineage show data.csv --format json
printf '%s\n' "$out" > s.json
is "$(jget s.json '[c["profile"] and c["profile"]["columns"][2]["name"] for c in d["checks"]]')" \
   "[None, 'plan']" "show: the old check (same bytes) without, the new with profile"

# ---- a fresh database: the profile is covered by the ledger
export ASSAY_DB="$T/new.db"
run check data.csv --rules rules.yml
is "$rc" 0 "check records"
run lineage verify
is "$rc" 0 "verify: all is well"
like "$(q "SELECT body FROM ledger WHERE kind = 'check'")" \
    '"profile":"sha256:[0-9a-f]{64}"' "the ledger holds the profile by digest"
unlike "$(q "SELECT body FROM ledger WHERE kind = 'check'")" \
    'premium' "and not its values"
q 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp "$ASSAY_DB" clean.db
tamper() {
    rm -f "$ASSAY_DB-wal" "$ASSAY_DB-shm"
    cp clean.db "$ASSAY_DB"
    sqlite3 "$ASSAY_DB" "$1" 2>/dev/null
}
tamper "UPDATE checks SET profile = replace(profile, 'premium', 'gold')"
is "$(q "SELECT count(*) FROM checks WHERE profile LIKE '%gold%'")" 0 \
   "the trigger refuses an UPDATE"
tamper "DROP TRIGGER checks_no_update;
        UPDATE checks SET profile = replace(profile, 'premium', 'gold');"
is "$(q "SELECT count(*) FROM checks WHERE profile LIKE '%gold%'")" 1 \
   "profile edited behind assay's back"
run lineage verify
is "$rc" 1 "an edited profile: verify exits 1"
like "$out" "table 'checks' row 1 does not match ledger entry 1 \(check\): profile is" \
    "and names the check row and the profile"
tamper "DROP TRIGGER checks_no_update; UPDATE checks SET profile = NULL;"
run lineage verify
is "$rc" 1 "a removed profile: verify exits 1"
like "$out" "profile is missing" "named"
tamper "DROP TRIGGER checks_no_update;
        UPDATE checks SET profile = '{\"columns\":[]}';"
run lineage verify
is "$rc" 1 "a replaced profile: verify exits 1"
done_testing
