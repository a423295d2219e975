#!/usr/bin/env python3
"""lineage_graph.py -- fill an assay lineage database with a synthetic graph
for bench/lineage_graph.sh: 100,000 nodes (snapshots, runs, models) and
1,000,000 edges (derivation inputs, run inputs, run outputs, deployments).

Shape: PIPELINES independent pipelines, each with ROOTS raw snapshots and
DERIVED snapshots derived from FANIN earlier snapshots of the same pipeline
(plus one raw snapshot of the previous pipeline, so pipelines chain), and
RUNS training runs reading RUN_INPUTS snapshots and producing one model.
Each pipeline's last model is deployed to one of 100 environments, and
pipeline 0's to "production".  Deterministic (seeded).

The database must already exist with assay's schema (the shell script
records one file first).  Rows are inserted directly under one bulk
ledger entry: good for timing queries, not for `lineage verify`.
"""
import argparse
import hashlib
import random
import sqlite3
import sys

PIPELINES = 1000
ROOTS, DERIVED = 10, 80            # 90 snapshots a pipeline
FANIN = 10                         # 800 derivation edges a pipeline
RUNS, RUN_INPUTS = 5, 39           # 195 run-input edges, 5 models
TS = "2026-01-01T00:00:00Z"


def sha(kind, n):
    return hashlib.sha256(f"{kind}:{n}".encode()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    con = sqlite3.connect(a.db)
    con.execute("PRAGMA synchronous = OFF")
    cur = con.cursor()
    cur.execute("BEGIN")
    seq = cur.execute("SELECT coalesce(max(seq), 0) + 1 FROM ledger").fetchone()[0]
    prev = cur.execute("SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    cur.execute("INSERT INTO ledger(seq, ts, kind, body, prev, hash) "
                "VALUES (?, ?, 'bench.bulk', '{\"rows\":{}}', ?, ?)",
                (seq, TS, prev[0] if prev else "0" * 64, sha("ledger", seq)))
    base = lambda table: cur.execute(
        f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
    ds0, s0, d0, r0, m0, dep0 = (base("datasets"), base("snapshots"),
                                 base("derivations"), base("runs"),
                                 base("models"), base("deployments"))
    datasets, snaps, derivs, dinputs = [], [], [], []
    runs, rinputs, models, rmodels, deps = [], [], [], [], []
    edges = 0
    did = d0
    for p in range(PIPELINES):
        dsid = ds0 + p + 1
        datasets.append((dsid, f"bench-{p}", TS, seq))
        first = s0 + p * (ROOTS + DERIVED) + 1
        ids = list(range(first, first + ROOTS + DERIVED))
        for k, sid in enumerate(ids):
            snaps.append((sid, dsid, sha("snap", sid), 1000 + k,
                          f"/bench/p{p}/s{k}.csv", TS, seq))
        for k in range(ROOTS, ROOTS + DERIVED):
            did += 1
            derivs.append((did, ids[k], f"step {k}", TS, seq))
            pool = ids[:k]
            chosen = set(rnd.sample(pool, min(FANIN, len(pool))))
            if p > 0 and k == ROOTS:      # chain to the previous pipeline
                chosen.discard(next(iter(chosen)))
                chosen.add(first - ROOTS - DERIVED + rnd.randrange(ROOTS))
            for sid in sorted(chosen):
                dinputs.append((did, sid, seq))
            edges += len(chosen)
        for r in range(RUNS):
            rid = r0 + p * RUNS + r + 1
            mid = m0 + p * RUNS + r + 1
            runs.append((rid, f"{rid:08x}-0000-7000-8000-{p:012x}",
                         f"train-{p}-{r}", "{}", TS, seq))
            for sid in rnd.sample(ids, RUN_INPUTS):
                rinputs.append((rid, sid, rnd.choice(
                    ["train", "validation", "test"]), seq))
            models.append((mid, sha("model", mid), 5000,
                           f"/bench/p{p}/model{r}.bin", TS, seq))
            rmodels.append((rid, mid, seq))
            edges += RUN_INPUTS + 1
        env = "production" if p == 0 else f"env-{p % 100}"
        deps.append((dep0 + p + 1, m0 + p * RUNS + RUNS, env, TS, seq))
        edges += 1
    cur.executemany("INSERT INTO datasets(id, name, created, seq) "
                    "VALUES (?, ?, ?, ?)", datasets)
    cur.executemany("INSERT INTO snapshots(id, dataset_id, sha256, bytes, "
                    "path, created, seq) VALUES (?, ?, ?, ?, ?, ?, ?)", snaps)
    cur.executemany("INSERT INTO snapshot_paths(path, snapshot_id, bytes, "
                    "seen, seq) VALUES (?, ?, ?, ?, ?)",
                    [(s[4], s[0], s[3], TS, seq) for s in snaps])
    cur.executemany("INSERT INTO derivations(id, output_id, transform, "
                    "created, seq) VALUES (?, ?, ?, ?, ?)", derivs)
    cur.executemany("INSERT INTO derivation_inputs(derivation_id, "
                    "snapshot_id, seq) VALUES (?, ?, ?)", dinputs)
    cur.executemany("INSERT INTO runs(id, uuid, name, params, started, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?)", runs)
    cur.executemany("INSERT INTO run_finishes(run_id, status, finished, "
                    "metrics, seq) VALUES (?, 'succeeded', ?, '{}', ?)",
                    [(r[0], TS, seq) for r in runs])
    cur.executemany("INSERT INTO run_inputs(run_id, snapshot_id, role, seq) "
                    "VALUES (?, ?, ?, ?)", rinputs)
    cur.executemany("INSERT INTO models(id, sha256, bytes, path, created, "
                    "seq) VALUES (?, ?, ?, ?, ?, ?)", models)
    cur.executemany("INSERT INTO run_models(run_id, model_id, seq) "
                    "VALUES (?, ?, ?)", rmodels)
    cur.executemany("INSERT INTO deployments(id, model_id, env, deployed, "
                    "seq) VALUES (?, ?, ?, ?, ?)", deps)
    con.commit()      # no ANALYZE: plans must be good without statistics
    nodes = len(snaps) + len(runs) + len(models)
    print(f"nodes {nodes} (snapshots {len(snaps)}, runs {len(runs)}, "
          f"models {len(models)}), edges {edges} (derivation inputs "
          f"{len(dinputs)}, run inputs {len(rinputs)}, run outputs "
          f"{len(rmodels)}, deployments {len(deps)})")
    # targets for the timings: a raw snapshot of pipeline 0 (its
    # downstream reaches into pipeline 1), a mid-pipeline model
    print("root", sha("snap", s0 + 1))
    print("model", sha("model", m0 + 500 * RUNS + 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
