#!/usr/bin/env python3
"""make-fixtures.py -- regenerate the evidence fixtures of tests/data/compliance.

Evidence documents in the shape lineage_evidence() returns (the contract in
lineage/lineage.h), built from real `assay check` output on examples/churn so
the check, bias and profile members follow the check JSON contract:

  pass.json   one snapshot whose checks and bias limits pass
  fail.json   one snapshot failing checks and a bias limit, with hostile
              strings (markup, quotes, control characters) in names/values
  run.json    a training run with 3 input snapshots (train derived from raw,
              validation checked, test never checked and overwritten in place),
              a model and a deployment

Usage (from the repository root): python3 tests/data/compliance/make-fixtures.py [ASSAY]
"""
import copy, json, os, subprocess, sys

ASSAY = sys.argv[1] if len(sys.argv) > 1 else "./assay"
OUT = os.path.dirname(os.path.abspath(__file__))
GEN = "2026-01-15T09:30:00Z"


def check(path):
    p = subprocess.run([ASSAY, "check", path, "--rules", "examples/churn/rules.yml",
                        "--format", "json", "--no-record"],
                       capture_output=True, text=True)
    return json.loads(p.stdout)


def recorded_check(doc, when):
    return {"verdict": doc["verdict"], "checked": when,
            "tool_version": doc["tool"]["version"], "rules": doc["rules"],
            "results": doc["results"], "bias": doc["bias"],
            "profile": doc["profile"]}


def snapshot(doc, path, when, roles=(), overwrite=False, checked=True,
             dataset=None):
    ds = doc["dataset"]
    return {"sha256": ds["sha256"], "dataset": dataset or ds["name"],
            "path": path, "paths": [path], "bytes": ds["bytes"],
            "rows": ds["rows"], "columns": ds["columns"],
            "row_digest": ds["row_digest"], "schema_hash": ds["schema_hash"],
            "mtime_ns": 1768469400000000000, "recorded": when,
            "roles": list(roles), "overwrite": overwrite,
            "check": recorded_check(doc, when) if checked else None}


def fake_hash(c):
    return (c * 64)[:64]


def evidence(kind, ref, ident, name, snaps, graph, derivations=(), runs=(),
             models=(), deployments=(), entries=3):
    return {"target": {"kind": kind, "ref": ref, "id": ident, "name": name},
            "generated": GEN, "snapshots": snaps,
            "derivations": list(derivations), "runs": list(runs),
            "models": list(models), "deployments": list(deployments),
            "graph": graph,
            "ledger": {"entries": entries, "head": fake_hash("ab")}}


def snap_graph(snaps, edges=()):
    return {"nodes": [{"id": "snapshot:" + s["sha256"], "kind": "snapshot",
                       "label": s["dataset"] + " " + s["sha256"][:12]}
                      for s in snaps], "edges": list(edges)}


def main():
    good = check("examples/churn/clean.csv")
    bad = check("examples/churn/train.csv")

    # ---- pass
    s = snapshot(good, "/data/churn/clean.csv", "2026-01-15T09:00:00Z")
    doc = evidence("snapshot", "/data/churn/clean.csv", s["sha256"],
                   "churn_clean", [s], snap_graph([s]), entries=2)
    dump("pass.json", doc)

    # ---- fail, with a failing bias limit and hostile strings
    b = copy.deepcopy(bad)
    for bias in b["bias"]:
        for f in bias["findings"]:
            if f["metric"] == "DI":
                f["limit"] = {"min": 0.8}
                f["status"] = "fail"
                f["message"] = "DI = 0.699114 is below the limit 0.8"
    cols = b["profile"]["columns"]
    cols[2]["name"] = '<script>alert("x")</script> & \'income\''
    res = [r for r in b["results"] if r["status"] == "fail"]
    res[0]["samples"].append({"line": 77, "record": 76,
                              "value": "<img src=x onerror=alert(1)>\u0001\u001b[31m\"q\"\n" + "x" * 500})
    res[1]["id"] = "customer_id.type<b>"
    s = snapshot(b, "/data/churn/train.csv", "2026-01-15T09:10:00Z",
                 dataset="churn <train> & \"co\"")
    doc = evidence("snapshot", "train.csv", s["sha256"], "churn_train",
                   [s], snap_graph([s]))
    dump("fail.json", doc)

    # ---- run with 3 inputs
    train = snapshot(bad, "/data/churn/train.csv", "2026-01-15T09:10:00Z",
                     roles=["train"])
    raw = snapshot(bad, "/data/churn/raw.csv", "2026-01-15T08:00:00Z",
                   checked=False, dataset="churn_raw")
    raw["sha256"] = fake_hash("1f")
    raw["row_digest"] = fake_hash("2e")
    val = snapshot(good, "/data/churn/valid.csv", "2026-01-15T09:12:00Z",
                   roles=["validation"], dataset="churn_valid")
    test = snapshot(good, "/data/churn/test.csv", "2026-01-15T09:14:00Z",
                    roles=["test"], overwrite=True, checked=False,
                    dataset="churn_test")
    test["sha256"] = fake_hash("3d")
    run_id = "019bc2a4-5e00-7000-8000-00000000abcd"
    model = fake_hash("4c")
    snaps = [raw, train, val, test]
    g = snap_graph(snaps, [
        {"from": "snapshot:" + raw["sha256"], "to": "snapshot:" + train["sha256"],
         "label": "dedupe + fix types"},
        {"from": "snapshot:" + train["sha256"], "to": "run:" + run_id, "label": "train"},
        {"from": "snapshot:" + val["sha256"], "to": "run:" + run_id, "label": "validation"},
        {"from": "snapshot:" + test["sha256"], "to": "run:" + run_id, "label": "test"},
        {"from": "run:" + run_id, "to": "model:" + model, "label": "produced"},
        {"from": "model:" + model, "to": "env:prod", "label": "deployed"},
    ])
    g["nodes"] += [{"id": "run:" + run_id, "kind": "run", "label": "churn-xgb-7"},
                   {"id": "model:" + model, "kind": "model", "label": "model.bin"},
                   {"id": "env:prod", "kind": "deployment", "label": "prod"}]
    doc = evidence(
        "run", "churn-xgb-7", run_id, "churn-xgb-7", snaps, g,
        derivations=[{"output": train["sha256"], "inputs": [raw["sha256"]],
                      "transform": "dedupe + fix types", "code_rev": "9f1c2ab",
                      "recorded": "2026-01-15T08:30:00Z"}],
        runs=[{"id": run_id, "name": "churn-xgb-7", "status": "succeeded",
               "code_rev": "9f1c2ab", "params": {"max_depth": 6, "eta": 0.3},
               "metrics": {"auc": 0.91}, "started": "2026-01-15T09:20:00Z",
               "finished": "2026-01-15T09:25:00Z",
               "inputs": [{"sha256": train["sha256"], "role": "train"},
                          {"sha256": val["sha256"], "role": "validation"},
                          {"sha256": test["sha256"], "role": "test"}],
               "models": [model]}],
        models=[{"sha256": model, "path": "/models/model.bin", "bytes": 48213,
                 "run": run_id}],
        deployments=[{"env": "prod", "model": model,
                      "deployed": "2026-01-15T10:00:00Z", "live": True}],
        entries=9)
    dump("run.json", doc)


def dump(name, doc):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


main()
