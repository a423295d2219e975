-- schema.sql -- the lineage database, as a list of forward migrations.
--
-- Compiled into the binary (build/gen/schema_sql.h).  Each section
-- "-- migration N: what" brings a database from PRAGMA user_version N-1
-- to N; lineage/store.c lists the sections in migrations[] and runs the
-- missing ones in one transaction.  Never edit a section that has
-- shipped: append a new one (and a row to migrations[]).
--
-- Every table except the ledger is append-only and covered by it: each
-- row carries the seq of the ledger entry that created it, and that
-- entry's canonical JSON body holds the row, so `assay lineage verify`
-- can compare the two.  Hashes are lowercase hex; times are RFC 3339 UTC.

-- migration 1: base schema

CREATE TABLE ledger (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,  -- 1, 2, 3 ... no gaps
    ts      TEXT NOT NULL,
    kind    TEXT NOT NULL,          -- 'snapshot.add', 'derive', 'run.start' ...
    body    TEXT NOT NULL,          -- canonical JSON: {"rows": {table: [...]}}
    prev    TEXT NOT NULL,          -- hash of entry seq-1; 64 zeros for seq 1
    hash    TEXT NOT NULL           -- SHA-256, see lineage/ledger.c
) STRICT;

CREATE TABLE datasets (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- One exact content: the SHA-256 of the bytes is its identity.
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

-- Path history: what each path held, and when.  The latest row of a path
-- is what `verify` expects to find there.
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

-- snapshot(s) -> transform -> snapshot
CREATE TABLE derivations (
    id          INTEGER PRIMARY KEY,
    output_id   INTEGER NOT NULL REFERENCES snapshots(id),
    transform   TEXT,
    code_rev    TEXT,
    created     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE derivation_inputs (
    id            INTEGER PRIMARY KEY,
    derivation_id INTEGER NOT NULL REFERENCES derivations(id),
    snapshot_id   INTEGER NOT NULL REFERENCES snapshots(id),
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (derivation_id, snapshot_id)
) STRICT;

-- Training runs.  A run's outcome is the run_finishes row (none: running).
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,   -- UUIDv7; the OpenLineage runId
    name        TEXT NOT NULL,
    params      TEXT NOT NULL,          -- canonical JSON object
    code_rev    TEXT,
    started     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE run_inputs (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    role        TEXT NOT NULL,          -- train, validation, test, input ...
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (run_id, snapshot_id, role)
) STRICT;

CREATE TABLE run_finishes (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL UNIQUE REFERENCES runs(id),
    status      TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
    finished    TEXT NOT NULL,
    metrics     TEXT NOT NULL,          -- canonical JSON object
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- Model artifacts, identified by the SHA-256 of their bytes.
CREATE TABLE models (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    bytes       INTEGER NOT NULL,
    mtime_ns    INTEGER,
    path        TEXT NOT NULL,          -- absolute, where recorded
    created     TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE run_models (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    model_id    INTEGER NOT NULL REFERENCES models(id),
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (run_id, model_id)
) STRICT;

-- A model in an environment from a time; the live one of an environment
-- is its latest row.
CREATE TABLE deployments (
    id          INTEGER PRIMARY KEY,
    model_id    INTEGER NOT NULL REFERENCES models(id),
    env         TEXT NOT NULL,
    deployed    TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES ledger(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- `assay check` results for a snapshot.
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

-- Accident protection only: anyone holding the file can drop a trigger.
-- Evidence of tampering comes from the ledger chain (lineage verify).
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

-- migration 2: indexes and views for the audit queries

-- upstream / downstream / impact walk these edges in both directions;
-- each lookup must be an index search, never a scan (bench/lineage_graph.sh).
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

-- Conveniences for auditors at the sqlite3 prompt (assay does not use
-- them): runs with their outcome, and the model live in each environment.
CREATE VIEW run_status AS
    SELECT r.id, r.uuid, r.name, r.params, r.code_rev, r.started,
           coalesce(f.status, 'running') AS status, f.finished, f.metrics
    FROM runs r LEFT JOIN run_finishes f ON f.run_id = r.id;
CREATE VIEW live_deployments AS
    SELECT d.env, m.sha256 AS model_sha256, m.path AS model_path, d.deployed
    FROM deployments d JOIN models m ON m.id = d.model_id
    WHERE d.id = (SELECT max(e.id) FROM deployments e WHERE e.env = d.env);

-- migration 3: the profile of each check

-- The profile of the `assay check` document ({"columns": [...]}) as
-- canonical JSON; NULL for checks recorded before this migration.  Like
-- results and bias it holds values from the data, so the ledger holds
-- it by digest (lineage/ledger.c, by_digest).
ALTER TABLE checks ADD COLUMN profile TEXT;
