#!/usr/bin/env python3
"""report_scale.py -- data for bench/report_scale.sh: a CSV with 200
columns and a rules file under which exactly 50 checks fail.

Columns: sex (female/male), label (0/1), then c002..c199 numbers in
[0, 100].  Every numeric column has a range check [0, 100] and a
not_null check; in c002..c051 about 1% of the values are out of range,
so their 50 range checks fail (each with samples).  A bias block on sex
gives the bias section real content.  Deterministic (seeded).

Usage: report_scale.py OUT_DIR [ROWS]   writes OUT_DIR/wide.csv, wide.yml
"""
import os
import random
import sys

NCOLS, NFAIL = 200, 50


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    rnd = random.Random(42)
    names = ["sex", "label"] + ["c%03d" % i for i in range(2, NCOLS)]
    with open(os.path.join(out, "wide.csv"), "w") as f:
        f.write(",".join(names) + "\n")
        for _ in range(rows):
            sex = rnd.choice(("female", "male"))
            p = 0.3 if sex == "female" else 0.4
            vals = [sex, "1" if rnd.random() < p else "0"]
            for i in range(2, NCOLS):
                v = rnd.uniform(0, 100)
                if i < 2 + NFAIL and rnd.random() < 0.01:
                    v = 100 + rnd.uniform(1, 50)
                vals.append("%.2f" % v)
            f.write(",".join(vals) + "\n")
    with open(os.path.join(out, "wide.yml"), "w") as f:
        f.write("version: 1\ndataset: wide\ncolumns:\n"
                "  - name: sex\n    type: string\n    checks:\n"
                "      - allowed: [female, male]\n"
                "  - name: label\n    type: integer\n")
        for n in names[2:]:
            f.write("  - name: %s\n    type: number\n    checks:\n"
                    "      - not_null: {}\n"
                    "      - range: {min: 0, max: 100}\n" % n)
        f.write("label: {column: label, values: [\"1\"]}\n"
                "bias:\n  - facet: sex\n    values: [female]\n"
                "    limits: {CI: {max_abs: 0.2}, DPL: {max_abs: 0.2}}\n")


main()
