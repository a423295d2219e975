#!/usr/bin/env python3
"""measure.py LABEL BYTES CMD... -- run CMD, print wall time, MB/s and
peak RSS (from the kernel's rusage of the child, no extra tools).
BENCH_RUNS=N (default 1): run N times and report the fastest run (on a
machine shared with other jobs the fastest is the least disturbed); the
peak RSS is the largest of the runs.
With BENCH_LOG=FILE, also append "LABEL<tab>SECONDS<tab>MAXRSS_KB"."""
import os, resource, subprocess, sys, time

label, nbytes, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
runs = max(1, int(os.environ.get("BENCH_RUNS", "1")))
best = None
for _ in range(runs):
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.monotonic() - t0
    best = dt if best is None or dt < best else best
    if p.returncode not in (0, 1):
        break
# ru_maxrss is the largest child so far: run one command per process.
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%-44s %8.2f s %9.1f MB/s %8.1f MB peak  (exit %d)"
      % (label, best, nbytes / best / 1e6, ru.ru_maxrss / 1024.0,
         p.returncode))
if os.environ.get("BENCH_LOG"):
    with open(os.environ["BENCH_LOG"], "a") as f:
        f.write("%s\t%.6f\t%d\n" % (label, best, ru.ru_maxrss))
if p.returncode not in (0, 1):
    sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
