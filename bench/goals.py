#!/usr/bin/env python3
"""Check Flows benchmark results against the performance goals.

    python3 bench/goals.py bench/out/flows.jsonl [bench/out/dask.jsonl ...]

When a combination (shape, scheduler, workers) appears several times (repeated runs), the
median of the rows' wall_s is used and the range is shown. Dask rows (lib "dask"), when given,
are shown next to the ClusterExecutor goals (issue 5) as the Dask distributed figure of the same run.
"""
import json
import statistics
import sys
from collections import defaultdict


def load(paths):
    rows = defaultdict(list)
    failed = defaultdict(list)
    for p in paths:
        with open(p) as fh:
            for line in fh:
                if not line.strip().startswith("{"):
                    continue
                r = json.loads(line)
                w = str(r["workers"])
                key = (r.get("lib"), r["shape"], r["scheduler"], int(w) if w.isdigit() else w)
                if r.get("status") != "ok":
                    failed[key].append(r)
                    continue
                rows[key].append(r)
    return rows, failed


def main(paths):
    rows, failed = load(paths)

    def get(shape, sched, w, lib="flows"):
        rs = rows.get((lib, shape, sched, w), [])
        if not rs:
            return None
        walls = sorted(r["wall_s"] for r in rs)
        med = statistics.median(walls)
        ov = [r["overhead_us_per_task"] for r in rs]
        return dict(wall=med, lo=walls[0], hi=walls[-1], k=len(rs), tasks=rs[0]["tasks"],
                    overhead=statistics.median(ov), speedup=statistics.median([r["speedup"] or 0 for r in rs]),
                    peak=max((r.get("peak_mb") or 0) for r in rs),
                    bytes_moved=statistics.median([r["bytes_moved"] for r in rs]) if all(
                        r.get("bytes_moved") is not None for r in rs) else None)

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

    if out:
        print("| goal | target | measured | verdict | notes |")
        print("|---|---|---:|---|---|")
        print("\n".join(out))
        print()

    cluster_goals(rows, failed, get)


def cluster_goals(rows, failed, get):
    """Issue 5: ClusterExecutor (local cluster, 2 workers) against Dask distributed (LocalCluster, 2 workers)."""
    out = []

    def failure(shape, sched, w, lib="flows"):
        rs = failed.get((lib, shape, sched, w))
        return "%s: %s" % (rs[-1]["status"], rs[-1].get("notes", "")) if rs else None

    def dask_fig(shape, fmt, field):
        d = get(shape, "distributed", 2, lib="dask")
        if d:
            return fmt % d[field]
        return failure(shape, "distributed", 2, lib="dask") or "-"

    def row(goal, target, measured, verdict, dask, note=""):
        out.append("| %s | %s | %s | %s | %s | %s |" % (goal, target, measured, verdict, dask, note))

    def missing(goal, target, shape, dask):
        why = failure(shape, "cluster", 2)
        if why:
            row(goal, target, "-", "**%s**" % why.split(":")[0], dask, why)

    for shape, target in (("fanout", 30.0), ("chain", 250.0), ("diamond", 40.0), ("tree", 30.0)):
        goal = "%s, ClusterExecutor(2), per task" % shape
        dask = dask_fig(shape, "%.1f µs", "overhead")
        g = get(shape, "cluster", 2)
        if not g:
            missing(goal, "≤ %.0f µs" % target, shape, dask)
            continue
        ok = g["overhead"] <= target
        note = "%.0f%% of the goal" % (100 * g["overhead"] / target)
        if not ok:
            note += "; missed by %.1f µs (%.1f×)" % (g["overhead"] - target, g["overhead"] / target)
        note += "; %d tasks, wall %.4f s" % (g["tasks"], g["wall"])
        row(goal, "≤ %.0f µs" % target, "%.2f µs" % g["overhead"], "met" if ok else "**missed**", dask, note)

    g = get("cpu", "cluster", 2)
    dask = dask_fig("cpu", "%.2fx", "speedup")
    if g:
        ok = g["speedup"] >= 1.9
        note = "wall %.3f s" % g["wall"]
        if not ok:
            note += "; short by %.2f" % (1.9 - g["speedup"])
        row("cpu speedup, ClusterExecutor(2)", "≥ 1.9", "%.2fx" % g["speedup"], "met" if ok else "**missed**", dask, note)
    else:
        missing("cpu speedup, ClusterExecutor(2)", "≥ 1.9", "cpu", dask)

    g = get("data", "cluster", 2)
    dask = dask_fig("data", "%.3f s", "wall")
    if g:
        ok = g["wall"] <= 0.08
        moved = g["bytes_moved"]
        note = "bytes moved (last timed run) %s" % ("-" if moved is None else "%d = %.1f MiB" % (moved, moved / 1048576.0))
        if not ok:
            note += "; missed by %.3f s (%.1f×)" % (g["wall"] - 0.08, g["wall"] / 0.08)
        row("data 10 × 8 MiB, ClusterExecutor(2)", "≤ 0.08 s", "%.3f s" % g["wall"], "met" if ok else "**missed**", dask, note)
    else:
        missing("data 10 × 8 MiB, ClusterExecutor(2)", "≤ 0.08 s", "data", dask)

    def starts(lib, sched, w):
        xs = sorted(r["start_s"] for (l, _, s, ww), rs in rows.items() if l == lib and s == sched and ww == w
                    for r in rs if r.get("start_s") is not None)
        return xs

    for w, ref in ((2, 0.5), (4, 0.85)):
        f, d = starts("flows", "cluster", w), starts("dask", "distributed", w)
        if not f and not d:
            continue

        def fmt(xs):
            if not xs:
                return "-"
            s = "%.2f s" % statistics.median(xs)
            return s if len(xs) == 1 else s + " (median of %d, %.2f–%.2f)" % (len(xs), xs[0], xs[-1])

        note = ""
        if f and d:
            note = "%.1f× Dask's start in this run" % (statistics.median(f) / statistics.median(d))
        row("cluster start, %d workers" % w, "reported (Dask ref. %.2f s)" % ref, fmt(f), "reported", fmt(d), note)

    if out:
        print("Issue 5: ClusterExecutor (local cluster) vs Dask distributed (LocalCluster), same run")
        print()
        print("| goal | target | measured | verdict | Dask distributed | notes |")
        print("|---|---|---:|---|---:|---|")
        print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
