#!/usr/bin/env python3
"""Check Flows benchmark results against the performance goals.

    python3 bench/goals.py bench/out/flows.jsonl [more-flows.jsonl ...]

When a combination (shape, scheduler, workers) appears several times (repeated runs), the
median of the rows' wall_s is used and the range is shown.
"""
import json
import statistics
import sys
from collections import defaultdict


def load(paths):
    rows = defaultdict(list)
    for p in paths:
        with open(p) as fh:
            for line in fh:
                if not line.strip().startswith("{"):
                    continue
                r = json.loads(line)
                if r.get("lib") != "flows" or r.get("status") != "ok":
                    continue
                rows[(r["shape"], r["scheduler"], int(r["workers"]))].append(r)
    return rows


def main(paths):
    rows = load(paths)

    def get(shape, sched, w):
        rs = rows.get((shape, sched, w), [])
        if not rs:
            return None
        walls = sorted(r["wall_s"] for r in rs)
        med = statistics.median(walls)
        ov = [r["overhead_us_per_task"] for r in rs]
        return dict(wall=med, lo=walls[0], hi=walls[-1], k=len(rs), tasks=rs[0]["tasks"],
                    overhead=statistics.median(ov), speedup=statistics.median([r["speedup"] or 0 for r in rs]),
                    peak=max((r.get("peak_mb") or 0) for r in rs))

    out = []

    def row(goal, target, value, ok, note=""):
        out.append("| %s | %s | %s | %s | %s |" % (goal, target, value, "met" if ok else "**missed**", note))

    for shape, target in (("fanout", 0.7), ("chain", 2.0), ("diamond", 1.0), ("tree", 1.0)):
        g = get(shape, "threads", 2)
        if g:
            spread = "" if g["k"] == 1 else " (%d runs, wall %.4f–%.4f s)" % (g["k"], g["lo"], g["hi"])
            row("%s, ThreadExecutor(2), per task" % shape, "≤ %.1f µs" % target, "%.2f µs" % g["overhead"],
                g["overhead"] <= target, "%.1f%% of the goal%s" % (100 * g["overhead"] / target, spread))
    g = get("cpu", "threads", 2)
    if g:
        row("cpu speedup, ThreadExecutor(2)", "≥ 1.95", "%.2fx" % g["speedup"], g["speedup"] >= 1.95,
            "wall %.3f s" % g["wall"])
    g = get("io", "threads", 16)
    if g:
        row("io 200 × 20 ms, ThreadExecutor(16), blocking", "≤ 0.27 s", "%.4f s" % g["wall"], g["wall"] <= 0.27, "")
    g = get("io", "threads-async", 16)
    if g:
        row("io 200 × 20 ms, ThreadExecutor(16), async", "far below 0.27 s", "%.4f s" % g["wall"], g["wall"] <= 0.05,
            "ideal 0.020 s (all in flight)")
    for shape, w in (("fanout", 2), ("fanout-map", 2), ("chain", 2), ("diamond", 2), ("tree", 2), ("cpu", 2),
                     ("io", 4), ("io", 16), ("data", 2), ("map", 2)):
        f, t = get(shape, "threads", w), get(shape, "tpl", w)
        if f and t:
            ratio = f["wall"] / t["wall"]
            row("%s W=%d vs plain-TPL floor" % (shape, w), "≤ 1.5×", "%.2f×" % ratio, ratio <= 1.5,
                "flows %.4f s, tpl %.4f s" % (f["wall"], t["wall"]))
    f, t = get("io", "threads-async", 16), get("io", "tpl-async", 16)
    if f and t:
        ratio = f["wall"] / t["wall"]
        row("io async W=16 vs plain-TPL floor", "≤ 1.5×", "%.2f×" % ratio, ratio <= 1.5,
            "flows %.4f s, tpl %.4f s" % (f["wall"], t["wall"]))
    g = get("map", "threads", 2)
    if g:
        row("map 1M trivial tasks, ThreadExecutor(2): wall", "≤ 2 s", "%.3f s" % g["wall"], g["wall"] <= 2.0, "")
        row("map 1M trivial tasks, ThreadExecutor(2): peak RSS", "≤ 300 MB", "%.0f MB" % g["peak"], g["peak"] <= 300,
            "process peak RSS during the timed runs")

    # Issue 3: ProcessExecutor(2).
    for shape, target in (("fanout", 5.0), ("chain", 25.0), ("diamond", 6.0), ("tree", 6.0)):
        g = get(shape, "processes", 2)
        if g:
            row("%s, ProcessExecutor(2), per task" % shape, "≤ %.0f µs" % target, "%.2f µs" % g["overhead"],
                g["overhead"] <= target, "%.0f%% of the goal" % (100 * g["overhead"] / target))
    g = get("cpu", "processes", 2)
    if g:
        row("cpu speedup, ProcessExecutor(2)", "≥ 1.95", "%.2fx" % g["speedup"], g["speedup"] >= 1.95,
            "wall %.3f s" % g["wall"])
    g = get("data", "processes", 2)
    if g:
        row("data 10 × 8 MiB, ProcessExecutor(2)", "≤ 0.10 s", "%.3f s" % g["wall"], g["wall"] <= 0.10, "")

    print("| goal | target | measured | verdict | notes |")
    print("|---|---|---:|---|---|")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
