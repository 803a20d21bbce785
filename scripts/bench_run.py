#!/usr/bin/env python3
"""Times a command for scripts/bench: the best wall time of RUNS runs (after
one warm-up run, so every tool reads the files from the page cache) and the
peak resident memory of its processes (the largest of any run; for a shell
running many processes, of the largest one).

    bench_run.py RUNS CMD [ARG...]   ->   {"seconds": 0.0123, "peak_mb": 9.1}
"""
import json
import resource
import subprocess
import sys
import time

runs = int(sys.argv[1])
command = sys.argv[2:]
subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
best = float("inf")
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = min(best, time.perf_counter() - t0)
# Linux reports ru_maxrss in KiB: the largest of the children waited for.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e6
print(json.dumps({"seconds": best, "peak_mb": peak}))
