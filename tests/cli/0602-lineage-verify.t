#!/bin/sh
# assay lineage verify: changed and missing files (fast path and --full),
# and tampering with the database behind assay's back (sqlite3 shell).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
cp "$DATA/lineage/raw.csv" raw.csv
head -n 5 raw.csv > train.csv
{ head -n 1 raw.csv; tail -n 2 raw.csv; } > test.csv
printf 'weights\n' > model.bin
"$ASSAY" lineage add raw.csv >/dev/null
"$ASSAY" lineage derive train.csv --from raw.csv >/dev/null
"$ASSAY" lineage derive test.csv --from raw.csv >/dev/null
RUN=$("$ASSAY" lineage run start --name r --input train.csv:train \
      --input test.csv:test)
"$ASSAY" lineage run finish "$RUN" --model model.bin >/dev/null
"$ASSAY" lineage deploy model.bin --env production >/dev/null
cp -p train.csv orig.csv        # the bytes and mtime that were recorded

run lineage verify
is "$rc" 0 "verify: all is well"
like "$out" "^ok: 6 ledger entries" "six entries"
run lineage verify --full
is "$rc" 0 "verify --full: all is well"
like "$out" "4 paths checked \(full re-hash\)" "four paths re-hashed"

# ---- files
cp train.csv train.keep
printf 'x' >> train.csv
run lineage verify --full
is "$rc" 1 "one byte appended: verify --full exits 1"
like "$out" "changed +$(pwd -P)/train.csv" "and names train.csv"
run lineage verify
is "$rc" 1 "the fast path sees the size change too"
run lineage verify --format json
printf '%s\n' "$out" > v.json
is "$(jget v.json '[c["path"].rsplit("/", 1)[1] for c in d["paths"]["changed"]]')" \
   "['train.csv']" "json: changed paths"
is "$(jget v.json 'd["ledger"]["ok"]')" True "the ledger itself is fine"
cp train.keep train.csv
run lineage verify
is "$rc" 0 "same bytes back (new mtime): fast path re-hashes, passes"
# same size, same mtime, other bytes: only --full can see it
sed 's/basic/BASIC/' orig.csv > train.csv
touch -r orig.csv train.csv
run lineage verify
is "$rc" 0 "same size and mtime: the fast path trusts them"
run lineage verify --full
is "$rc" 1 "--full re-hashes and finds the edit"
cp -p orig.csv train.csv
rm model.bin
run lineage verify
is "$rc" 1 "a missing model exits 1"
like "$out" "missing +.*model.bin" "and is named"
printf 'weights\n' > model.bin

# ---- tampering with the database directly
if ! command -v sqlite3 >/dev/null 2>&1; then
    for i in $(seq 1 21); do skip "sqlite3 shell not installed"; done
    done_testing
fi
sqlite3 "$ASSAY_DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp "$ASSAY_DB" clean.db
tamper() {  # tamper SQL: restore the clean database, then run SQL on it
    rm -f "$ASSAY_DB-wal" "$ASSAY_DB-shm"
    cp clean.db "$ASSAY_DB"
    sqlite3 "$ASSAY_DB" "$1" 2>/dev/null
}
run lineage verify
is "$rc" 0 "clean copy verifies"
tamper "UPDATE snapshots SET rows = 99 WHERE id = 2"
run lineage verify
is "$rc" 0 "the triggers refuse an UPDATE (accident protection)"
tamper "DROP TRIGGER snapshots_no_update;
        UPDATE snapshots SET rows = 99 WHERE id = 2;"
run lineage verify
is "$rc" 1 "an edited row: verify exits 1"
like "$out" "row 2 does not match ledger entry 2 \(derive\): rows is 99, recorded 4" \
    "and names the entry and the field"
tamper "DROP TRIGGER run_inputs_no_delete; DELETE FROM run_inputs WHERE id = 2;"
run lineage verify
is "$rc" 1 "a deleted row: verify exits 1"
like "$out" "ledger entry 4 \(run.start\) recorded table 'run_inputs' row 2, which is missing" \
    "and names the entry"
tamper "DROP TRIGGER ledger_no_update;
        UPDATE ledger SET seq = 100 WHERE seq = 2;
        UPDATE ledger SET seq = 2 WHERE seq = 3;
        UPDATE ledger SET seq = 3 WHERE seq = 100;"
run lineage verify
is "$rc" 1 "reordered ledger entries: verify exits 1"
like "$out" "ledger entry 2 \(derive\) does not link to entry 1" \
    "and names the first entry out of place"
tamper "DROP TRIGGER ledger_no_update;
        UPDATE ledger SET body = replace(body, '\"train\"', '\"test\"')
        WHERE seq = 4;"
run lineage verify
is "$rc" 1 "an edited ledger body: verify exits 1"
like "$out" "ledger entry 4 \(run.start\) was altered" "named"
tamper "DROP TRIGGER ledger_no_delete; DROP TRIGGER deployments_no_delete;
        DELETE FROM deployments; DELETE FROM ledger WHERE seq = 6;"
run lineage verify
is "$rc" 1 "the last entry and its rows cut off: verify exits 1"
like "$out" "entries removed from the end" "named"
tamper "PRAGMA foreign_keys = OFF;
        INSERT INTO deployments(model_id, env, deployed, seq)
        VALUES (1, 'production', '2020-01-01T00:00:00Z', 6);"
run lineage verify
is "$rc" 1 "a row slipped into a table: verify exits 1"
like "$out" "row 2 is not in ledger entry 6" "named"
tamper "DROP TRIGGER run_inputs_no_update;
        UPDATE run_inputs SET id = 100 WHERE id = 1;
        UPDATE run_inputs SET id = 1 WHERE id = 2;
        UPDATE run_inputs SET id = 2 WHERE id = 100;"
is "$(sqlite3 "$ASSAY_DB" 'SELECT group_concat(role) FROM
    (SELECT role FROM run_inputs ORDER BY id)')" "test,train" \
   "(two rows of a table swapped)"
run lineage verify
is "$rc" 1 "reordered table rows: verify exits 1"
like "$out" "table 'run_inputs' row 1 does not match ledger entry 4 \(run.start\): snapshot_id is 3, recorded 2" \
    "and names the row, the entry and the field"
tamper "DROP TRIGGER snapshots_no_update;
        UPDATE snapshots SET id = 100 WHERE id = 2;
        UPDATE snapshots SET id = 2 WHERE id = 3;
        UPDATE snapshots SET id = 3 WHERE id = 100;"
run lineage verify
is "$rc" 1 "two snapshots renumbered: verify exits 1"
like "$out" "ledger entry 2 \(derive\) recorded table 'snapshots' row 2, which is missing" \
    "named"
tamper "DROP TRIGGER ledger_no_delete;
        DELETE FROM ledger WHERE seq = 1;"
run lineage verify
is "$rc" 1 "the first entry deleted: verify exits 1"
like "$out" "ledger entry 2 follows entry 0" "named"
done_testing
