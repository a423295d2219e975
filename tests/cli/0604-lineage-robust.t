#!/bin/sh
# assay lineage: corrupt and foreign databases (exit 3, never a crash),
# where the database lives, eight writers at once, usage errors.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
printf 'a,b\n1,2\n' > one.csv

# ---- bad database files
printf 'this is not a database at all, just text long enough\n%.0s' \
    1 2 3 4 5 6 7 8 > junk.db
ASSAY_DB=$T/junk.db run lineage log
is "$rc" 3 "a file that is not SQLite exits 3"
like "$err" "not an assay lineage database" "with a clear message"
ASSAY_DB=$T/junk.db run lineage add one.csv
is "$rc" 3 "writers refuse it too"
is "$(cksum < junk.db)" "$(printf 'this is not a database at all, just text long enough\n%.0s' \
    1 2 3 4 5 6 7 8 | cksum)" "the file is left alone"
if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 foreign.db 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
    ASSAY_DB=$T/foreign.db run lineage add one.csv
    is "$rc" 3 "another application's SQLite database exits 3"
    like "$err" "not an assay lineage database \(an SQLite database with application_id 0\)" \
        "and says why"
else
    skip "sqlite3 shell not installed"; skip "sqlite3 shell not installed"
fi
"$ASSAY" --db "$T/good.db" lineage add one.csv >/dev/null
run --db "$T/good.db" lineage log
is "$rc" 0 "--db names the database"
head -c 2000 /dev/zero | tr '\0' 'x' |
    dd of=good.db bs=1 seek=100 conv=notrunc 2>/dev/null
rm -f good.db-wal good.db-shm
run --db "$T/good.db" lineage verify
is "$rc" 3 "garbage over the schema page: exit 3, no crash"
like "$err" "is corrupt" "says the database is corrupt"
dd if=/dev/zero of=empty.db bs=1 count=0 2>/dev/null
ASSAY_DB=$T/empty.db run lineage add one.csv
is "$rc" 0 "an empty file becomes a new database"
ASSAY_DB=$T/none/lineage.db run lineage log
is "$rc" 3 "a missing database: exit 3"
like "$err" "no lineage database at" "says so"
test ! -e "$T/none"; ok $? "and does not create it"

# ---- the default location: ./.assay/lineage.db, directory created
mkdir work && cp one.csv work/
(cd work && unset ASSAY_DB && "$ASSAY" lineage add one.csv >/dev/null)
test -f work/.assay/lineage.db; ok $? "default database in ./.assay/"

# ---- eight writers at once lose nothing
for i in 1 2 3 4 5 6 7 8; do printf 'n\n%s\n' "$i" > "p$i.csv"; done
for i in 1 2 3 4 5 6 7 8; do
    "$ASSAY" --db "$T/conc.db" lineage add "p$i.csv" >/dev/null 2>"e$i" &
done
wait
cat e1 e2 e3 e4 e5 e6 e7 e8 > errs
is "$(cat errs)" "" "no writer failed"
"$ASSAY" --db "$T/conc.db" lineage log --format json > log.json
is "$(jget log.json 'len(d)')" 8 "eight ledger entries"
is "$(jget log.json 'sorted(e["body"]["rows"]["snapshots"][0]["path"].rsplit("/", 1)[1] for e in d)')" \
   "['p1.csv', 'p2.csv', 'p3.csv', 'p4.csv', 'p5.csv', 'p6.csv', 'p7.csv', 'p8.csv']" \
   "one snapshot per file"
run --db "$T/conc.db" lineage verify
is "$rc" 0 "and the chain verifies"
# eight check-style writers on one path at once: same snapshot, no loss
for i in 1 2 3 4 5 6 7 8; do
    "$ASSAY" --db "$T/conc.db" lineage derive "p$i.csv" --from one.csv \
        >/dev/null 2>>errs2 &
done
wait
is "$(cat errs2)" "" "eight derivations at once"
"$ASSAY" --db "$T/conc.db" lineage downstream one.csv --format json > d.json
is "$(jget d.json 'len(d["snapshots"])')" 8 "all eight recorded"
# eight `assay check` processes recording at once: eight check rows
cp "$DATA/lineage/raw.csv" c0.csv
cp "$DATA/lineage/rules.yml" rules.yml
for i in 1 2 3 4 5 6 7 8; do
    { cat c0.csv; printf '%s,30,basic,0\n' "$((100 + i))"; } > "c$i.csv"
done
for i in 1 2 3 4 5 6 7 8; do
    "$ASSAY" --db "$T/conc.db" check "c$i.csv" --rules rules.yml \
        --format json >"k$i.json" 2>>errs3 &
done
wait
is "$(cat errs3)" "" "eight checks at once"
if command -v sqlite3 >/dev/null 2>&1; then
    is "$(sqlite3 "$T/conc.db" "SELECT count(*), count(DISTINCT snapshot_id),
         count(profile) FROM checks")" "8|8|8" \
       "eight check rows, one per file, each with its profile"
else
    skip "sqlite3 shell not installed"
fi
good=0
for i in 1 2 3 4 5 6 7 8; do
    "$ASSAY" --db "$T/conc.db" lineage show "c$i.csv" --format json \
        > "s$i.json" 2>/dev/null
    [ "$(jget "s$i.json" '(d["sha256"], [c["verdict"] for c in d["checks"]])')" = \
      "$(jget "k$i.json" '(d["dataset"]["sha256"], [d["verdict"]])')" ] &&
        good=$((good + 1))
done
is "$good" 8 "each file's snapshot holds its own check result"
run --db "$T/conc.db" lineage verify
is "$rc" 0 "and the chain still verifies"

# ---- usage errors (exit 2) and bad references (exit 3)
run lineage
is "$rc" 2 "no subcommand: usage"
run lineage frobnicate
is "$rc" 2 "unknown subcommand: usage"
run lineage add
is "$rc" 2 "add without a path"
run lineage add one.csv --format xml
is "$rc" 2 "unknown --format"
run lineage derive one.csv
is "$rc" 2 "derive without --from"
run lineage run start --input one.csv
is "$rc" 2 "run start without --name"
run lineage run finish
is "$rc" 2 "run finish without a run"
run lineage deploy model.bin
is "$rc" 2 "deploy without --env"
run lineage run finish 0190ffff-0000-7000-8000-000000000000
is "$rc" 3 "finishing an unknown run"
run lineage add missing.csv
is "$rc" 3 "adding a missing file"
like "$err" "missing.csv" "names it"
printf 'unrecorded\n' > model.bin
run lineage deploy model.bin --env production
is "$rc" 3 "deploying a model no run produced"
like "$err" "is not a recorded model" "says so"
RUN=$("$ASSAY" lineage run start --name r --input one.csv:train)
run lineage run finish "$RUN" --model model.bin
is "$rc" 0 "finish"
run lineage run finish "$RUN"
is "$rc" 3 "finishing twice"
printf 'changed\n' > model.bin
run lineage deploy model.bin --env production
is "$rc" 3 "deploying a model file that changed since it was recorded"
like "$err" "has changed since it was recorded" "says so"
run lineage derive one.csv --from one.csv
is "$rc" 3 "a file cannot derive from itself"
run lineage run start --name x --param novalue
is "$rc" 2 "--param wants K=V"
run lineage run finish "$RUN" --status done
is "$rc" 2 "unknown status"
run lineage add --help
is "$rc" 0 "subcommand help"
like "$out" "usage: assay lineage add" "shows its usage"
run help lineage
like "$out" "upstream" "assay help lineage lists the subcommands"
done_testing
