-- A lineage database at schema version 2 (before migration 3 added
-- checks.profile), written by assay at commit f703761:
-- raw.csv -> train.csv, test.csv -> run r -> model.bin -> production,
-- and `assay check raw.csv` (recorded without its profile).  Made with
-- `sqlite3 lineage.db .dump` plus the two PRAGMAs at the end; load it
-- with `sqlite3 NEW.db < v2.sql`.  Never edit: ledger hashes cover it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE ledger (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,  -- 1, 2, 3 ... no gaps
    ts      TEXT NOT NULL,
    kind    TEXT NOT NULL,          -- 'snapshot.add', 'derive', 'run.start' ...
    body    TEXT NOT NULL,          -- canonical JSON: {"rows": {table: [...]}}
    prev    TEXT NOT NULL,          -- hash of entry seq-1; 64 zeros for seq 1
    hash    TEXT NOT NULL           -- SHA-256, see lineage/ledger.c
) STRICT;
INSERT INTO ledger VALUES(1,'2026-12-07T14:34:36Z','snapshot.add','{"rows":{"datasets":[{"created":"2026-12-07T14:34:36Z","id":1,"name":"raw.csv"}],"snapshot_paths":[{"bytes":113,"id":1,"mtime_ns":1796654076710320968,"overwrite":0,"path":"/tmp/assay-v2-fixture/raw.csv","seen":"2026-12-07T14:34:36Z","snapshot_id":1}],"snapshots":[{"bytes":113,"columns":4,"created":"2026-12-07T14:34:36Z","dataset_id":1,"id":1,"mtime_ns":1796654076710320968,"path":"/tmp/assay-v2-fixture/raw.csv","row_digest":"37ad442f2a20251d92ba7610d56f2bcb1f8eb5313878e97ca9507ed9593acae1","rows":6,"schema_hash":"5910a8e611a1cac362b1f2b3b588dcfc4c88329d61c78daf620afcb36a80f5b3","sha256":"53459ee72655178a6283c1d5bada8bdca578d05579e635ed474aebda4c8ea3e4"}]}}','0000000000000000000000000000000000000000000000000000000000000000','b8e9fe8aaf292ab6c87d12586b3aab1385c42d45d6c8e98dfc7b881ec0374249');
INSERT INTO ledger VALUES(2,'2026-12-07T14:34:36Z','derive','{"rows":{"datasets":[{"created":"2026-12-07T14:34:36Z","id":2,"name":"train.csv"}],"derivation_inputs":[{"derivation_id":1,"id":1,"snapshot_id":1}],"derivations":[{"created":"2026-12-07T14:34:36Z","id":1,"output_id":2}],"snapshot_paths":[{"bytes":85,"id":2,"mtime_ns":1796654076711161517,"overwrite":0,"path":"/tmp/assay-v2-fixture/train.csv","seen":"2026-12-07T14:34:36Z","snapshot_id":2}],"snapshots":[{"bytes":85,"columns":4,"created":"2026-12-07T14:34:36Z","dataset_id":2,"id":2,"mtime_ns":1796654076711161517,"path":"/tmp/assay-v2-fixture/train.csv","row_digest":"96e46cfe737f807fedf219f8deed48a72092dc11c4d7cfe573108ecaf5cdcd24","rows":4,"schema_hash":"5910a8e611a1cac362b1f2b3b588dcfc4c88329d61c78daf620afcb36a80f5b3","sha256":"106efaf1486c7493a6495f658a014e559002991625d620abcf9118d2a18791ab"}]}}','b8e9fe8aaf292ab6c87d12586b3aab1385c42d45d6c8e98dfc7b881ec0374249','d291f025076c6b954d9ed0c2cf6334aefd30b2c7ccbcae78ea74707b0c061210');
INSERT INTO ledger VALUES(3,'2026-12-07T14:34:36Z','derive','{"rows":{"datasets":[{"created":"2026-12-07T14:34:36Z","id":3,"name":"test.csv"}],"derivation_inputs":[{"derivation_id":2,"id":2,"snapshot_id":1}],"derivations":[{"created":"2026-12-07T14:34:36Z","id":2,"output_id":3}],"snapshot_paths":[{"bytes":57,"id":3,"mtime_ns":1796654076723161517,"overwrite":0,"path":"/tmp/assay-v2-fixture/test.csv","seen":"2026-12-07T14:34:36Z","snapshot_id":3}],"snapshots":[{"bytes":57,"columns":4,"created":"2026-12-07T14:34:36Z","dataset_id":3,"id":3,"mtime_ns":1796654076723161517,"path":"/tmp/assay-v2-fixture/test.csv","row_digest":"36022bfb54f1493ae8b427de76d892854da8fbdadc23a6fd780ddfa2db23e97e","rows":2,"schema_hash":"5910a8e611a1cac362b1f2b3b588dcfc4c88329d61c78daf620afcb36a80f5b3","sha256":"8270b54c3ad6c4b817817ef141a4cb0905f8ea9c23385f924687fe1182072a43"}]}}','d291f025076c6b954d9ed0c2cf6334aefd30b2c7ccbcae78ea74707b0c061210','eca91747e96e821b799b2e66078a6d15d73731a757c4e0d20fc2128cf9068f88');
INSERT INTO ledger VALUES(4,'2026-12-07T14:34:36Z','run.start','{"rows":{"run_inputs":[{"id":1,"role":"train","run_id":1,"snapshot_id":2},{"id":2,"role":"test","run_id":1,"snapshot_id":3}],"runs":[{"id":1,"name":"r","params":"{}","started":"2026-12-07T14:34:36Z","uuid":"01a250ed-9386-756b-bd79-5b5f8b32052e"}]}}','eca91747e96e821b799b2e66078a6d15d73731a757c4e0d20fc2128cf9068f88','8054ccd1a0b5c83a6933a6c1212fc52a76e343420c7a7c07782f4ccba9150902');
INSERT INTO ledger VALUES(5,'2026-12-07T14:34:36Z','run.finish','{"rows":{"models":[{"bytes":8,"created":"2026-12-07T14:34:36Z","id":1,"mtime_ns":1796654076723161517,"path":"/tmp/assay-v2-fixture/model.bin","sha256":"1b465fa6b6bcbc06a3199e3d2d8aec35d37494a712f888b6d5536684dd89d0f0"}],"run_finishes":[{"finished":"2026-12-07T14:34:36Z","id":1,"metrics":"{}","run_id":1,"status":"succeeded"}],"run_models":[{"id":1,"model_id":1,"run_id":1}]}}','8054ccd1a0b5c83a6933a6c1212fc52a76e343420c7a7c07782f4ccba9150902','4ea3dabd2216d38863389294acff4edf81683a04028a539aea0689641a87b19a');
INSERT INTO ledger VALUES(6,'2026-12-07T14:34:36Z','deploy','{"rows":{"deployments":[{"deployed":"2026-12-07T14:34:36Z","env":"production","id":1,"model_id":1}]}}','4ea3dabd2216d38863389294acff4edf81683a04028a539aea0689641a87b19a','36ee0a71d2658a44a941169e02a503deac97e3fdca4d2a824b7aec5eb93fdb0d');
INSERT INTO ledger VALUES(7,'2026-12-07T14:34:36Z','check','{"rows":{"checks":[{"bias":"sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","checked":"2026-12-07T14:34:36Z","id":1,"results":"sha256:b2b160ae1937515d93977ee10702660a1d133470314477e906cf812cea39bf5e","rules_path":"rules.yml","rules_sha256":"b6207447ffb2c519d8b81546934800f8ea56d7a3e1d189d68e276bd601fcb4b2","snapshot_id":1,"tool_version":"0.1.0","verdict":"pass"}]}}','36ee0a71d2658a44a941169e02a503deac97e3fdca4d2a824b7aec5eb93fdb0d','37cd09a3e0aa6118b97af20a1f53b4563a6689ebca18ce5dfabc84b5734c50ee');
CREATE TABLE datasets (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO datasets VALUES(1,'raw.csv','2026-12-07T14:34:36Z',1);
INSERT INTO datasets VALUES(2,'train.csv','2026-12-07T14:34:36Z',2);
INSERT INTO datasets VALUES(3,'test.csv','2026-12-07T14:34:36Z',3);
CREATE TABLE snapshots (
    id          INTEGER PRIMARY KEY,
    dataset_id  INTEGER NOT NULL REFERENCES datasets(id),
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    bytes       INTEGER NOT NULL,
    mtime_ns    INTEGER,                -- when first seen
    path        TEXT,                   -- where first seen (NULL: stdin)
    row_digest  TEXT,                   -- tabular files only
    schema_hash TEXT,
    rows        INTEGER,
    columns     INTEGER,
    created     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO snapshots VALUES(1,1,'53459ee72655178a6283c1d5bada8bdca578d05579e635ed474aebda4c8ea3e4',113,1796654076710320968,'/tmp/assay-v2-fixture/raw.csv','37ad442f2a20251d92ba7610d56f2bcb1f8eb5313878e97ca9507ed9593acae1','5910a8e611a1cac362b1f2b3b588dcfc4c88329d61c78daf620afcb36a80f5b3',6,4,'2026-12-07T14:34:36Z',1);
INSERT INTO snapshots VALUES(2,2,'106efaf1486c7493a6495f658a014e559002991625d620abcf9118d2a18791ab',85,1796654076711161517,'/tmp/assay-v2-fixture/train.csv','96e46cfe737f807fedf219f8deed48a72092dc11c4d7cfe573108ecaf5cdcd24','5910a8e611a1cac362b1f2b3b588dcfc4c88329d61c78daf620afcb36a80f5b3',4,4,'2026-12-07T14:34:36Z',2);
INSERT INTO snapshots VALUES(3,3,'8270b54c3ad6c4b817817ef141a4cb0905f8ea9c23385f924687fe1182072a43',57,1796654076723161517,'/tmp/assay-v2-fixture/test.csv','36022bfb54f1493ae8b427de76d892854da8fbdadc23a6fd780ddfa2db23e97e','5910a8e611a1cac362b1f2b3b588dcfc4c88329d61c78daf620afcb36a80f5b3',2,4,'2026-12-07T14:34:36Z',3);
CREATE TABLE snapshot_paths (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,          -- absolute
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    bytes       INTEGER NOT NULL,
    mtime_ns    INTEGER,                -- NULL: unknown (always re-hash)
    seen        TEXT NOT NULL,
    previous_id INTEGER REFERENCES snapshots(id),  -- what the path held before
    overwrite   INTEGER NOT NULL DEFAULT 0 CHECK (overwrite IN (0, 1)),
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO snapshot_paths VALUES(1,'/tmp/assay-v2-fixture/raw.csv',1,113,1796654076710320968,'2026-12-07T14:34:36Z',NULL,0,1);
INSERT INTO snapshot_paths VALUES(2,'/tmp/assay-v2-fixture/train.csv',2,85,1796654076711161517,'2026-12-07T14:34:36Z',NULL,0,2);
INSERT INTO snapshot_paths VALUES(3,'/tmp/assay-v2-fixture/test.csv',3,57,1796654076723161517,'2026-12-07T14:34:36Z',NULL,0,3);
CREATE TABLE derivations (
    id          INTEGER PRIMARY KEY,
    output_id   INTEGER NOT NULL REFERENCES snapshots(id),
    transform   TEXT,
    code_rev    TEXT,
    created     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO derivations VALUES(1,2,NULL,NULL,'2026-12-07T14:34:36Z',2);
INSERT INTO derivations VALUES(2,3,NULL,NULL,'2026-12-07T14:34:36Z',3);
CREATE TABLE derivation_inputs (
    id            INTEGER PRIMARY KEY,
    derivation_id INTEGER NOT NULL REFERENCES derivations(id),
    snapshot_id   INTEGER NOT NULL REFERENCES snapshots(id),
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (derivation_id, snapshot_id)
) STRICT;
INSERT INTO derivation_inputs VALUES(1,1,1,2);
INSERT INTO derivation_inputs VALUES(2,2,1,3);
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,   -- UUIDv7; the OpenLineage runId
    name        TEXT NOT NULL,
    params      TEXT NOT NULL,          -- canonical JSON object
    code_rev    TEXT,
    started     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO runs VALUES(1,'01a250ed-9386-756b-bd79-5b5f8b32052e','r','{}',NULL,'2026-12-07T14:34:36Z',4);
CREATE TABLE run_inputs (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    role        TEXT NOT NULL,          -- train, validation, test, input ...
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (run_id, snapshot_id, role)
) STRICT;
INSERT INTO run_inputs VALUES(1,1,2,'train',4);
INSERT INTO run_inputs VALUES(2,1,3,'test',4);
CREATE TABLE run_finishes (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL UNIQUE REFERENCES runs(id),
    status      TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
    finished    TEXT NOT NULL,
    metrics     TEXT NOT NULL,          -- canonical JSON object
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO run_finishes VALUES(1,1,'succeeded','2026-12-07T14:34:36Z','{}',5);
CREATE TABLE models (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    bytes       INTEGER NOT NULL,
    mtime_ns    INTEGER,
    path        TEXT NOT NULL,          -- absolute, where recorded
    created     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO models VALUES(1,'1b465fa6b6bcbc06a3199e3d2d8aec35d37494a712f888b6d5536684dd89d0f0',8,1796654076723161517,'/tmp/assay-v2-fixture/model.bin','2026-12-07T14:34:36Z',5);
CREATE TABLE run_models (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    model_id    INTEGER NOT NULL REFERENCES models(id),
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (run_id, model_id)
) STRICT;
INSERT INTO run_models VALUES(1,1,1,5);
CREATE TABLE deployments (
    id          INTEGER PRIMARY KEY,
    model_id    INTEGER NOT NULL REFERENCES models(id),
    env         TEXT NOT NULL,
    deployed    TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO deployments VALUES(1,1,'production','2026-12-07T14:34:36Z',6);
CREATE TABLE checks (
    id           INTEGER PRIMARY KEY,
    snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id),
    verdict      TEXT NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail')),
    results      TEXT NOT NULL,         -- canonical JSON array
    bias         TEXT,                  -- canonical JSON array, if any
    rules_path   TEXT,
    rules_sha256 TEXT,
    tool_version TEXT,
    checked      TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO checks VALUES(1,1,'pass','[{"checked":6,"column":null,"failures":0,"id":"field_count","kind":"field_count","limit":{"fields":4,"max_failures":0},"message":"0 of 6 records have a field count other than 4","observed":{"max_fields":0,"min_fields":-1},"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"customer_id","failures":0,"id":"customer_id.type","kind":"type","limit":{"max_failures":0,"type":"integer"},"message":"0 of 6 non-null values are not a valid integer","observed":0.0,"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"customer_id","failures":0,"id":"customer_id.unique","kind":"unique","limit":{"max_failures":0},"message":"0 of 6 values repeat an earlier value","observed":0,"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"age","failures":0,"id":"age.type","kind":"type","limit":{"max_failures":0,"type":"integer"},"message":"0 of 6 non-null values are not a valid integer","observed":0.0,"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"age","failures":0,"id":"age.range","kind":"range","limit":{"max":120,"max_failures":0,"min":18},"message":"0 of 6 values outside [18, 120]","observed":{"max":62,"min":23},"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"plan","failures":0,"id":"plan.type","kind":"type","limit":{"max_failures":0,"type":"string"},"message":"0 of 6 non-null values are not a valid string","observed":0.0,"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"plan","failures":0,"id":"plan.allowed","kind":"allowed","limit":{"max_failures":0,"values":["basic","premium"]},"message":"0 of 6 values are not in the allowed set (basic, premium)","observed":0.0,"samples":[],"severity":"fail","status":"pass"},{"checked":6,"column":"churned","failures":0,"id":"churned.type","kind":"type","limit":{"max_failures":0,"type":"integer"},"message":"0 of 6 non-null values are not a valid integer","observed":0.0,"samples":[],"severity":"fail","status":"pass"}]','[]','rules.yml','b6207447ffb2c519d8b81546934800f8ea56d7a3e1d189d68e276bd601fcb4b2','0.1.0','2026-12-07T14:34:36Z',7);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('ledger',7);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER datasets_no_update BEFORE UPDATE ON datasets
BEGIN SELECT RAISE(ABORT, 'datasets is append-only'); END;
CREATE TRIGGER datasets_no_delete BEFORE DELETE ON datasets
BEGIN SELECT RAISE(ABORT, 'datasets is append-only'); END;
CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots is append-only'); END;
CREATE TRIGGER snapshots_no_delete BEFORE DELETE ON snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots is append-only'); END;
CREATE TRIGGER snapshot_paths_no_update BEFORE UPDATE ON snapshot_paths
BEGIN SELECT RAISE(ABORT, 'snapshot_paths is append-only'); END;
CREATE TRIGGER snapshot_paths_no_delete BEFORE DELETE ON snapshot_paths
BEGIN SELECT RAISE(ABORT, 'snapshot_paths is append-only'); END;
CREATE TRIGGER derivations_no_update BEFORE UPDATE ON derivations
BEGIN SELECT RAISE(ABORT, 'derivations is append-only'); END;
CREATE TRIGGER derivations_no_delete BEFORE DELETE ON derivations
BEGIN SELECT RAISE(ABORT, 'derivations is append-only'); END;
CREATE TRIGGER derivation_inputs_no_update BEFORE UPDATE ON derivation_inputs
BEGIN SELECT RAISE(ABORT, 'derivation_inputs is append-only'); END;
CREATE TRIGGER derivation_inputs_no_delete BEFORE DELETE ON derivation_inputs
BEGIN SELECT RAISE(ABORT, 'derivation_inputs is append-only'); END;
CREATE TRIGGER runs_no_update BEFORE UPDATE ON runs
BEGIN SELECT RAISE(ABORT, 'runs is append-only'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'runs is append-only'); END;
CREATE TRIGGER run_inputs_no_update BEFORE UPDATE ON run_inputs
BEGIN SELECT RAISE(ABORT, 'run_inputs is append-only'); END;
CREATE TRIGGER run_inputs_no_delete BEFORE DELETE ON run_inputs
BEGIN SELECT RAISE(ABORT, 'run_inputs is append-only'); END;
CREATE TRIGGER run_finishes_no_update BEFORE UPDATE ON run_finishes
BEGIN SELECT RAISE(ABORT, 'run_finishes is append-only'); END;
CREATE TRIGGER run_finishes_no_delete BEFORE DELETE ON run_finishes
BEGIN SELECT RAISE(ABORT, 'run_finishes is append-only'); END;
CREATE TRIGGER models_no_update BEFORE UPDATE ON models
BEGIN SELECT RAISE(ABORT, 'models is append-only'); END;
CREATE TRIGGER models_no_delete BEFORE DELETE ON models
BEGIN SELECT RAISE(ABORT, 'models is append-only'); END;
CREATE TRIGGER run_models_no_update BEFORE UPDATE ON run_models
BEGIN SELECT RAISE(ABORT, 'run_models is append-only'); END;
CREATE TRIGGER run_models_no_delete BEFORE DELETE ON run_models
BEGIN SELECT RAISE(ABORT, 'run_models is append-only'); END;
CREATE TRIGGER deployments_no_update BEFORE UPDATE ON deployments
BEGIN SELECT RAISE(ABORT, 'deployments is append-only'); END;
CREATE TRIGGER deployments_no_delete BEFORE DELETE ON deployments
BEGIN SELECT RAISE(ABORT, 'deployments is append-only'); END;
CREATE TRIGGER checks_no_update BEFORE UPDATE ON checks
BEGIN SELECT RAISE(ABORT, 'checks is append-only'); END;
CREATE TRIGGER checks_no_delete BEFORE DELETE ON checks
BEGIN SELECT RAISE(ABORT, 'checks is append-only'); END;
CREATE INDEX snapshot_paths_by_path ON snapshot_paths(path, id);
CREATE INDEX snapshot_paths_by_snapshot ON snapshot_paths(snapshot_id, id);
CREATE INDEX snapshots_by_dataset ON snapshots(dataset_id);
CREATE INDEX derivations_by_output ON derivations(output_id);
CREATE INDEX derivation_inputs_by_snapshot
    ON derivation_inputs(snapshot_id, derivation_id);
CREATE INDEX runs_by_name ON runs(name);
CREATE INDEX run_inputs_by_snapshot ON run_inputs(snapshot_id, run_id);
CREATE INDEX run_models_by_model ON run_models(model_id, run_id);
CREATE INDEX models_by_path ON models(path, id);
CREATE INDEX deployments_by_env ON deployments(env, id);
CREATE INDEX deployments_by_model ON deployments(model_id, id);
CREATE INDEX checks_by_snapshot ON checks(snapshot_id, id);
CREATE VIEW run_status AS
    SELECT r.id, r.uuid, r.name, r.params, r.code_rev, r.started,
           coalesce(f.status, 'running') AS status, f.finished, f.metrics
    FROM runs r LEFT JOIN run_finishes f ON f.run_id = r.id;
CREATE VIEW live_deployments AS
    SELECT d.env, m.sha256 AS model_sha256, m.path AS model_path, d.deployed
    FROM deployments d JOIN models m ON m.id = d.model_id
    WHERE d.id = (SELECT max(e.id) FROM deployments e WHERE e.env = d.env);
COMMIT;
PRAGMA application_id = 1095979865;
PRAGMA user_version = 2;
