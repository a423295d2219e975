#!/usr/bin/env python3
# gen-report-fixtures.py -- writes the `assay check` documents in
# tests/data/reports/ that the report writers are developed and tested
# against (tests/unit/test_reports.c, tests/cli/07*-reports-*.t).
# The output is committed; rerun after changing this script:
#     python3 tests/tools/gen-report-fixtures.py tests/data/reports
import json
import os
import sys

TOOL = {"name": "assay", "version": "0.1.0"}


def dataset(path, name, rows, cols):
    return {"path": path, "name": name,
            "sha256": "9f86d081884c7d659a2feaa0c55ad015"
                      "a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "bytes": 48213, "rows": rows, "columns": cols,
            "row_digest": "4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99",
            "schema_hash": "c0ffee00c0ffee00c0ffee00c0ffee00"}


def check(id_, kind, column, status, failures, checked, severity="fail",
          observed=None, limit=None, message=None, samples=()):
    return {"id": id_, "kind": kind, "column": column, "severity": severity,
            "status": status, "failures": failures, "checked": checked,
            "observed": observed, "limit": limit,
            "message": message or ("ok" if status == "pass" else
                                   "%d values failed" % failures),
            "samples": [{"line": l, "record": r, "value": v}
                        for (l, r, v) in samples]}


def column(name, type_, count, nulls, distinct, lo, hi, mean, sd,
           top=(), hist=None):
    c = {"name": name, "type": type_, "count": count, "nulls": nulls,
         "distinct": distinct, "min": lo, "max": hi, "mean": mean,
         "stddev": sd,
         "quantiles": {"p01": lo, "p25": mean - sd, "p50": mean,
                       "p75": mean + sd, "p99": hi} if mean is not None
         else {},
         "top": [{"value": v, "count": n} for (v, n) in top]}
    if hist is not None:
        c["histogram"] = hist
    return c


def hist(lo, hi, counts):
    w = (hi - lo) / len(counts)
    return {"edges": [lo + i * w for i in range(len(counts) + 1)],
            "counts": counts}


def bias_obj(findings, facet=None, ci=True, post=True):
    pre = {"CDDL": {"value": None, "error": "Group variable is empty or "
                    "not provided"},
           "CI": {"value": 0.33841, "ci95": [0.3279, 0.3489]},
           "DPL": {"value": 0.19627, "ci95": [0.1866, 0.2059]},
           "JS": {"value": 0.02187}, "KL": {"value": 0.1434},
           "KS": {"value": 0.19627}, "LP": {"value": 0.27757},
           "TVD": {"value": 0.19627}}
    if not ci:
        for m in pre.values():
            m.pop("ci95", None)
    b = {"facet": facet or {"column": "sex", "values": ["Female"]},
         "label": {"column": "income", "values": [">50K"]},
         "group": None, "predicted": "pred" if post else None,
         "mode": "clarify",
         "counts": {"n": 32561, "n_d": 10771, "n_a": 21790,
                    "n_d_pos": 1179, "n_a_pos": 6662},
         "pretraining": pre, "findings": findings}
    if post:
        b["posttraining"] = {"DI": {"value": 0.35}, "DPPL": {"value": 0.2},
                             "TE": {"value": "Infinity"},
                             "FT": {"value": None,
                                    "error": "FlipTest does not support "
                                             "non-numeric columns"}}
    return b


def finding(metric, value, limit, status, severity="fail", message=None):
    return {"metric": metric, "value": value, "limit": limit,
            "status": status, "severity": severity,
            "message": message or "%s %s (limit %s)" % (metric, value,
                                                         json.dumps(limit))}


def passing():
    results = [
        check("field_count", "field_count", None, "pass", 0, 1000),
        check("row_count", "row_count", None, "pass", 0, 1,
              observed=1000, limit={"min": 100}),
        check("customer_id.unique", "unique", "customer_id", "pass", 0, 1000),
        check("age.type", "type", "age", "pass", 0, 1000),
        check("age.range", "range", "age", "pass", 0, 998,
              limit={"min": 18, "max": 120}),
        check("gender.allowed", "allowed", "gender", "pass", 0, 1000,
              limit=["female", "male", "nonbinary"]),
    ]
    profile = {"columns": [
        column("customer_id", "integer", 1000, 0, 1000, 1, 1000, 500.5,
               288.8, hist=hist(1, 1000, [100] * 10)),
        column("age", "integer", 1000, 2, 70, 18, 90, 41.2, 13.1,
               hist=hist(18, 90, [40, 120, 210, 230, 180, 120, 60, 25, 10,
                                  3])),
        column("gender", "string", 1000, 0, 3, None, None, None, None,
               top=[("female", 510), ("male", 470), ("nonbinary", 20)]),
    ]}
    return {"tool": TOOL, "dataset": dataset("data/train.csv", "churn_train",
                                             1000, 3),
            "rules": {"path": "rules/churn.yml", "sha256": "ab" * 32},
            "verdict": "pass", "results": results, "profile": profile}


def failing():
    d = passing()
    d["verdict"] = "fail"
    d["results"] = [
        check("field_count", "field_count", None, "fail", 2, 1002,
              message="2 records have the wrong number of fields",
              samples=[(17, 16, None), (230, 229, None)]),
        check("row_count", "row_count", None, "pass", 0, 1,
              observed=1002, limit={"min": 100}),
        check("customer_id.unique", "unique", "customer_id", "fail", 3, 1000,
              message="3 values repeat an earlier one",
              samples=[(101, 100, "1042"), (102, 101, "1042"),
                       (777, 776, "9")]),
        check("age.type", "type", "age", "fail", 1, 1000,
              message="1 value is not an integer",
              samples=[(55, 54, "forty")]),
        check("age.range", "range", "age", "fail", 12, 999,
              observed={"min": -3, "max": 212},
              limit={"min": 18, "max": 120},
              message="12 values out of range [18, 120]",
              samples=[(1042, 1040, "212"), (1043, 1041, "-3"),
                       (1200, 1198, "150"), (1300, 1298, "999"),
                       (1400, 1398, "130")]),
        check("age.not_null", "not_null", "age", "fail", 2, 1000,
              severity="warn", observed=0.002, limit=0.001,
              message="0.2% nulls, more than 0.1%",
              samples=[(8, 7, ""), (9, 8, "")]),
        check("zip.pattern", "pattern", "zip", "fail", 1, 1000,
              severity="info", message="1 value does not match ^[0-9]{5}$",
              samples=[(33, 32, "1234")]),
        check("notes.length", "length", "notes", "error", 0, 0,
              message="column 'notes' is missing"),
        check("gender.allowed", "allowed", "gender", "pass", 0, 1000),
        check("login_after_signup", "expression", None, "fail", 4, 1000,
              message="4 records where last_login >= signup_date is false",
              samples=[(12, 11, None)]),
    ]
    return d


def bias_only():
    fs = [finding("CI", 0.33841, {"max_abs": 0.2}, "fail"),
          finding("DPL", 0.19627, {"max_abs": 0.1}, "fail", "warn"),
          finding("KL", 0.1434, {"max": 0.2}, "pass"),
          finding("DI", 0.35, {"min": 0.8}, "fail")]
    b2 = bias_obj([finding("CI", -0.12, {"max_abs": 0.2}, "pass")],
                  facet={"column": "age", "threshold": 40}, ci=False,
                  post=False)
    return {"tool": TOOL, "dataset": dataset("datasets/adult/adult.csv",
                                             "adult", 32561, 15),
            "verdict": "fail", "results": [],
            "bias": [bias_obj(fs), b2]}


LONG = "x" * 5000 + "<end>"


def hostile():
    nasty = ("<script>alert(1)</script> & \"q\" 'a' ]]> ::error::boom "
             "100% \r\n::warning file=x::y %0A, a:b | *md* `c` [l](u) "
             "\x01\x07\x1b[31mred\x1b[0m \x7f \u0085 \ufffe \uffff")
    d = failing()
    d["dataset"] = dataset("data/we,ird:na%me <x>.csv",
                           "train & <test> \"set\"", 10, 2)
    d["rules"] = {"path": "rules/r&d.yml", "sha256": "cd" * 32}
    d["results"] = [
        check("col<1>.range", "range", "col<1>|\"x\"", "fail", 3, 10,
              observed=nasty, limit={"min": 0, "max": "1e3 & <more>"},
              message="bad: " + nasty,
              samples=[(2, 1, nasty), (3, 2, LONG),
                       (4, 3, "tab\tnul\u2028sep")]),
        check("::error::inject", "pattern", "a,b:c", "fail", 1, 10,
              severity="warn", message="msg\nsecond line\r\nthird %25",
              samples=[(5, 4, "::stop-commands::x\n::error::pwned")]),
        check("</td><td>", "allowed", "]]>", "error", 0, 0,
              message="\u0003ctl"),
        check("ok & fine", "type", "<b>", "pass", 0, 10),
    ]
    d["profile"] = {"columns": [
        column("<img src=x onerror=alert(1)>", "string", 10, 0, 2, None,
               None, None, None, top=[(nasty, 7), (LONG, 3)]),
        column("n|um", "number", 10, 1, 9, -1e300, 1e300, 0.5, 1e299,
               hist=hist(-1.0, 1.0, [1, 0, 3, 5])),
    ]}
    d["bias"] = bias_obj([finding("CI", "Infinity", {"max_abs": 0.2}, "fail",
                                  message="CI is <inf> & " + nasty)],
                         facet={"column": "s<e>x", "values": ["F&M", "]]>"]})
    return d


def minimal():
    return {"verdict": "pass"}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    docs = {"pass.json": passing(), "fail.json": failing(),
            "bias.json": bias_only(), "hostile.json": hostile(),
            "minimal.json": minimal()}
    for name, doc in docs.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")


main()
