#!/usr/bin/env python3
"""The side-by-side table and chart of scripts/bench (issue 8).

Reads the measurements scripts/bench gathered (a JSON list of rows, one per
tool, runtime and workload) and prints, per workload, a Markdown table of
files/s, MB/s, elements/s, peak memory and the ratio of our inspection to
each peer; writes the CT series as a bar chart (SVG, no dependency).

    bench_report.py ROWS.json CHART.svg

A row: {"workload", "tool", "runtime", "group" (native, python, node,
chromium), "ours": bool, "reference": bool, "files", "mb", "elements",
"seconds", "peak_mb" (null when not measured)}. A peer's ratio is our
reference row of its group (python: native) divided by it.
"""
import datetime
import json
import math
import os
import platform
import sys
from xml.sax.saxutils import escape

WORKLOADS = {
    "series": "CT series: 300 files of 512×512 16-bit, about 250 elements each",
    "corpus": "../shared/corpus: the mixed real-world set",
    "multiframe": "one 1,000-frame 512×512 CT",
    "cine": "one 100-frame 640×480 ultrasound RGB cine",
}


def rate(n, seconds):
    return n / seconds if seconds > 0 else float("inf")


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(rows, workload):
    rows = [r for r in rows if r["workload"] == workload]
    if not rows:
        return ""
    # Each peer against our tool in the same runtime: Node and Chromium peers
    # against our WASM there, dcmdump and pydicom against the CLI on one thread.
    refs = {r["group"]: r for r in rows if r.get("reference")}
    refs.setdefault("python", refs.get("native"))
    first = rows[0]
    out = [f"**{WORKLOADS.get(workload, workload)}** ({first['files']} files, {first['mb']:.0f} MB, {first['elements']:,} elements)", ""]
    out.append("| tool | runtime | files/s | MB/s | elements/s | peak memory | ours ÷ this (same runtime) |")
    out.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        fps = rate(r["files"], r["seconds"])
        mbs = rate(r["mb"], r["seconds"])
        eps = rate(r["elements"], r["seconds"])
        peak = f"{r['peak_mb']:.0f} MB" if r.get("peak_mb") is not None else "–"
        name = f"**{r['tool']}**" if r.get("ours") else r["tool"]
        ref = refs.get(r["group"])
        ratio = "" if r.get("ours") or not ref else f"{rate(ref['files'], ref['seconds']) / fps:.2f}×"
        out.append(f"| {name} | {r['runtime']} | {fmt(fps)} | {fmt(mbs)} | {fmt(eps / 1e6)} M | {peak} | {ratio} |")
    return "\n".join(out) + "\n"


def chart(rows, path, workload="series"):
    rows = [r for r in rows if r["workload"] == workload]
    rows.sort(key=lambda r: -rate(r["files"], r["seconds"]))
    bar_h, gap, left, width = 22, 8, 430, 420
    top = 50
    height = top + len(rows) * (bar_h + gap) + 30
    values = [rate(r["files"], r["seconds"]) for r in rows]
    # Log scale from the power of ten below the slowest tool to the fastest.
    lo, hi = math.floor(math.log10(min(values))), math.log10(max(values))
    hi = max(hi, lo + 1)

    def scale(v):
        return width * (math.log10(v) - lo) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 110}" height="{height}" font-family="sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(WORKLOADS[workload])}: files per second (log scale)</text>',
        f'<text x="10" y="40" fill="#555">{escape(datetime.date.today().isoformat())}, {escape(platform.machine())}, {os.cpu_count()} cores; ours in blue</text>',
    ]
    bottom = top + len(rows) * (bar_h + gap)
    for k in range(lo, math.floor(hi) + 1):
        x = left + scale(10**k)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#555">{10**k:,}</text>')
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        v = rate(r["files"], r["seconds"])
        colour = "#1f5fbf" if r.get("ours") else "#9a9a9a"
        label = f"{r['tool']} ({r['runtime'].split(' ')[0]})"
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{max(scale(v), 1):.1f}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{left + max(scale(v), 1) + 6:.1f}" y="{y + 15}">{fmt(v)}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    rows = json.load(open(sys.argv[1]))
    print(f"Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores. "
          "Elements are those our inspection counts in the same bytes; peak memory is the process's "
          "peak resident size (for Node, above the workload's bytes it holds; – where a page shares its process).\n")
    for workload in WORKLOADS:
        text = table(rows, workload)
        if text:
            print(text)
    if any(r["workload"] == "series" for r in rows):
        chart(rows, sys.argv[2])


if __name__ == "__main__":
    main()
