#!/usr/bin/env python3
"""Issue 8's side-by-side run (called by scripts/bench): every tool on the
same bytes of every workload, in the same run.

    bench_peers.py ROOT ROWS.json name=DIR... [--chromium PEERS.json]

- ours natively: the dicom-inspect CLI on one thread and on all threads,
  headers only and with the pixel scan (batch identity off: one pass);
- DCMTK dcmdump and pydicom (every value as text), as processes;
- in Node, one process per tool (tests/e2e/peers.mjs --tool): our WASM core
  (headers, every rule, the report object built), cornerstone's
  dicom-parser (every element, every text value) and dcmjs, in three
  rounds of the tools in turn, each keeping its best;
- in Chromium, the same three in one page (tests/e2e/peers-browser.mjs,
  its JSON given with --chromium).

Each process is timed best of several runs after a warm-up, with its peak
resident memory (scripts/bench_run.py), in three rounds of the tools in
turn, each keeping its best. Writes the rows for scripts/bench_report.py.
"""
import json
import os
import subprocess
import sys

ROOT = sys.argv[1]
OUT = sys.argv[2]
args = sys.argv[3:]
chromium = None
if "--chromium" in args:
    i = args.index("--chromium")
    chromium = args[i + 1]
    del args[i : i + 2]
workloads = [a.split("=", 1) for a in args]
CLI = os.path.join(ROOT, "target/release/dicom-inspect")
RUN = [sys.executable, os.path.join(ROOT, "scripts/bench_run.py")]
# Rounds of the tools in turn (each keeps its best): a busy minute on this
# shared machine then does not fall on one tool's measurement only.
ROUNDS = 3


def files_of(folder):
    out = []
    for root, _, names in os.walk(folder):
        for n in names:
            if not n.endswith((".tsv", ".md", ".json")):
                out.append(os.path.join(root, n))
    return sorted(out)


def measure(runs, command):
    return json.loads(subprocess.run(RUN + [str(runs)] + command, capture_output=True, text=True, check=True).stdout)


rows = []
for name, folder in workloads:
    paths = files_of(folder)
    mb = sum(os.path.getsize(p) for p in paths) / 1e6
    report = json.loads(subprocess.run([CLI, "scan", folder, "--format", "json", "--no-pixel-scan", "--no-batch-identity", "--fail-on", "never"], capture_output=True, check=True).stdout)
    elements = sum(f["element_count"] for f in report["files"])
    big = mb > 300
    runs = 3 if big else 7
    base = {"workload": name, "files": len(paths), "mb": mb, "elements": elements}

    def add(tool, group, result, ours=False, reference=False, note=None):
        rows.append({**base, "tool": tool, "runtime": group, "group": group, "ours": ours, "reference": reference, "note": note, **result})
        print(f"  {name}: {tool} ({group}) {len(paths) / result['seconds']:.0f} files/s", file=sys.stderr)

    common = ["--no-batch-identity", "--format", "json", "--fail-on", "never", "-o", "/dev/null"]
    processes = [
        ("dicom-inspect, 1 thread, headers", "native", runs, [CLI, "scan", folder, "--jobs", "1", "--no-pixel-scan"] + common, True, True),
        ("dicom-inspect, all threads, headers", "native", runs, [CLI, "scan", folder, "--no-pixel-scan"] + common, True, False),
        ("dicom-inspect, 1 thread, pixel scan", "native", runs, [CLI, "scan", folder, "--jobs", "1"] + common, True, False),
        ("dicom-inspect, all threads, pixel scan", "native", runs, [CLI, "scan", folder] + common, True, False),
        # dcmdump stops at nothing: a file it cannot read costs its time.
        ("DCMTK dcmdump", "native", runs, ["sh", "-c", 'dcmdump -q "$@" > /dev/null 2>&1; true', "dcmdump"] + paths, False, False),
        ("pydicom, every value as text", "python", max(1, runs // 3), [sys.executable, os.path.join(ROOT, "scripts/pydicom_read.py"), folder], False, False),
    ]
    # In rounds, the processes in turn, each keeping its best time and its
    # highest peak (as the Node tools below).
    kept = {}
    for _ in range(ROUNDS):
        for tool, _, n, command, _, _ in processes:
            r = measure(n, command)
            k = kept.get(tool)
            kept[tool] = r if k is None else {"seconds": min(r["seconds"], k["seconds"]), "peak_mb": max(r["peak_mb"], k["peak_mb"])}
    for tool, group, _, _, ours, reference in processes:
        add(tool, group, kept[tool], ours=ours, reference=reference)

# Node: one process per tool and workload, so that each peak is that tool's
# on that workload alone; in rounds, the tools in turn, each keeping its
# best time (and its highest peak).
best, peaks = {}, {}
for _ in range(ROUNDS):
    for tool, ours in [("dicom-inspector", True), ("dicom-parser", False), ("dcmjs", False)]:
        for name, folder in workloads:
            out = subprocess.run(["node", "peers.mjs", "--tool", tool, f"{name}={folder}"], cwd=os.path.join(ROOT, "tests/e2e"), capture_output=True, text=True, check=True).stdout
            for r in json.loads(out):
                key = (r["workload"], tool)
                peaks[key] = max(peaks.get(key, 0), r["peak_mb"])
                if key not in best or r["ms"] < best[key][1]["ms"]:
                    best[key] = (ours, r)
for key, (ours, r) in best.items():
    w = next(x for x in rows if x["workload"] == r["workload"])
    label = "dicom-inspector WASM, headers" if ours else r["tool"]
    rows.append({"workload": r["workload"], "files": w["files"], "mb": w["mb"], "elements": w["elements"], "tool": label, "runtime": "node", "group": "node",
                 "ours": ours, "reference": ours, "note": None, "seconds": r["ms"] / 1000, "peak_mb": peaks[key]})
    print(f"  {r['workload']}: {label} (node) {r['files_per_s']:.0f} files/s (best of {ROUNDS} rounds), {peaks[key]:.0f} MB", file=sys.stderr)

if chromium:
    for r in json.loads(open(chromium).read()):
        w = next(x for x in rows if x["workload"] == r["workload"])
        ours = r["tool"].startswith("dicom-inspector")
        label = "dicom-inspector WASM, headers" if ours else r["tool"]
        rows.append({"workload": r["workload"], "files": w["files"], "mb": w["mb"], "elements": w["elements"], "tool": label, "runtime": "chromium (one page)", "group": "chromium",
                     "ours": ours, "reference": ours, "note": None, "seconds": r["ms"] / 1000, "peak_mb": None})

json.dump(rows, open(OUT, "w"), indent=1)
