#!/usr/bin/env python3
"""Dask distributed on the two memory shapes of issue 16, for the side-by-side tables in RESULTS.md.

Usage:
    python3 dask_memory.py mempressure [--workers 2] [--memory-limit 512MiB] [--n 40] [--mb 50] [--repeat 3] [--json]
    python3 dask_memory.py mapchain    [--workers 2] [--memory-limit auto]   [--n 2000] [--mb 8] [--repeat 1] [--json]

mempressure  N producers of an MB-sized float64 array, each read by one consumer that returns a number,
             then one sum of the numbers (2N + 1 tasks). Flows' shape: bench/Flows.Bench `mempressure`.
mapchain     a three-stage chain of client.map calls over N elements: make an MB-sized array, add one to
             it (a new array of the same size), sum it; then one sum (3N + 1 tasks). Flows' shape: `mapchain`.

Per timed run it reports the wall time and the result (checked), and over the whole combination each
worker's peak resident memory (VmHWM of the worker processes, read from /proc after the runs), what the
workers spilled to disk and read back (SpillBuffer counters), and what the nannies and workers logged
about memory: pauses, "no data to spill", restarts at the terminate fraction. Output: one JSON object a
line (with --json) using dask_peer.py's fields (lib, shape, scheduler, workers, n, tasks, wall_s,
runs_s, start_s, notes) plus peak_rss_mib, spilled_mib, read_back_mib, pauses, restarts.

Dask's defaults decide when it acts (distributed.worker.memory: target 0.60, spill 0.70, pause 0.80,
terminate 0.95); nothing here changes them.
"""
import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time


def produce(i, nbytes):
    import numpy as np

    return np.full(nbytes // 8, float(i), dtype=np.float64)


def consume(a):
    return float(a[0]) + float(a[-1]) + a.nbytes


def add_one(a):
    return a + 1.0


def total(a):
    return float(a.sum())


def sum_list(xs):
    return float(sum(xs))


def parse_bytes(text):
    from dask.utils import parse_bytes as dask_parse

    return dask_parse(text)


def worker_pids(client):
    return client.run(os.getpid)


def read_hwm_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def spilled(dask_worker):
    """Bytes this worker wrote to disk and read back since it started (0 when nothing spilled)."""
    data = dask_worker.data
    out = {"spilled": 0, "read_back": 0, "disk_now": 0}
    try:
        m = data.get_metrics()  # SpillBuffer (distributed 2022.x): cumulative since the worker started
        out["spilled"] = int(m.get("disk_write_bytes_total", 0))
        out["read_back"] = int(m.get("disk_read_bytes_total", 0))
        out["disk_now"] = int(m.get("disk_bytes", 0))
    except AttributeError:  # a plain dict: spilling is off
        pass
    return out


def count_memory_logs(client):
    """What the workers and nannies logged about memory, counted by kind."""
    kinds = {"pauses": "Pausing worker", "unpauses": "Resuming worker",
             "no_data_to_spill": "no data to store to disk",
             "restarts": "Restarting"}
    counts = {k: 0 for k in kinds}
    try:
        logs = list(client.get_worker_logs(n=1000).values())
        logs += list(client.get_worker_logs(n=1000, nanny=True).values())
    except Exception:  # an old or a restarted worker: report what we have
        return counts
    for lines in logs:
        for _, text in lines:
            for key, needle in kinds.items():
                if needle in text:
                    counts[key] += 1
    return counts


def graph_mempressure(n, nbytes, tag):
    dsk = {}
    for i in range(n):
        dsk["p-%s-%d" % (tag, i)] = (produce, i, nbytes)
        dsk["c-%s-%d" % (tag, i)] = (consume, "p-%s-%d" % (tag, i))
    dsk["sum-" + tag] = (sum_list, ["c-%s-%d" % (tag, i) for i in range(n)])
    expected = float(sum(2 * i + nbytes for i in range(n)))
    return dsk, "sum-" + tag, expected


def run_mapchain(client, n, nbytes):
    a = client.map(produce, range(n), nbytes=nbytes, pure=False)
    b = client.map(add_one, a, pure=False)
    c = client.map(total, b, pure=False)
    s = client.submit(sum_list, c, pure=False)
    return s.result()


def expected_mapchain(n, nbytes):
    return float(sum((i + 1.0) * (nbytes // 8) for i in range(n)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shape", choices=["mempressure", "mapchain"])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory-limit", default=None, help="per worker, e.g. 512MiB; 'auto' is Dask's default (the machine's memory / workers)")
    p.add_argument("--n", type=int, default=None)
    p.add_argument("--mb", type=float, default=None, help="MiB per array for mapchain, MB (10^6) for mempressure")
    p.add_argument("--repeat", type=int, default=None)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    if args.shape == "mempressure":
        n = args.n or 40
        nbytes = int((args.mb or 50) * 1_000_000)
        limit = args.memory_limit or "512MiB"
        repeat = args.repeat or 3
        tasks = 2 * n + 1
    else:
        n = args.n or 2000
        nbytes = int((args.mb or 8) * 1024 * 1024)
        limit = args.memory_limit or "auto"
        repeat = args.repeat or 1
        tasks = 3 * n + 1

    import dask
    import distributed
    from distributed import Client, LocalCluster

    rec = {"lib": "dask", "lib_version": dask.__version__, "distributed_version": distributed.__version__,
           "runtime": "%s %s" % (platform.python_implementation(), platform.python_version()),
           "host_cores": os.cpu_count(), "shape": args.shape, "scheduler": "distributed",
           "workers": args.workers, "n": n, "tasks": tasks, "status": "ok", "memory_limit": limit,
           "loadavg_1m": os.getloadavg()[0], "notes": ""}
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           memory_limit=limit)
    client = Client(cluster)
    client.wait_for_workers(args.workers)
    rec["start_s"] = time.perf_counter() - t0
    limits = [w["memory_limit"] for w in client.scheduler_info()["workers"].values()]
    rec["memory_limit_bytes"] = limits
    pids_before = sorted(worker_pids(client).values())
    walls = []
    wrong = None
    try:
        for i in range(args.warmup + repeat):
            t = time.perf_counter()
            if args.shape == "mempressure":
                dsk, key, expected = graph_mempressure(n, nbytes, "r%d" % i)
                got = client.get(dsk, key)
            else:
                expected = expected_mapchain(n, nbytes)
                got = run_mapchain(client, n, nbytes)
            wall = time.perf_counter() - t
            if abs(got - expected) > 1e-6 * abs(expected):
                wrong = "run %d: got %r, expected %r" % (i, got, expected)
            if i >= args.warmup:
                walls.append(wall)
        # Peaks are read from the processes that run now; a worker restarted on the way has its own,
        # smaller peak, and the restart is counted from the logs and the pid change.
        pids_after = sorted(worker_pids(client).values())
        rec["peak_rss_mib"] = [read_hwm_mib(pid) for pid in pids_after]
        spill = list(client.run(spilled).values())
        rec["spilled_mib"] = sum(s["spilled"] for s in spill) / 2**20
        rec["read_back_mib"] = sum(s["read_back"] for s in spill) / 2**20
        rec["on_disk_at_end_mib"] = sum(s["disk_now"] for s in spill) / 2**20
        rec.update(count_memory_logs(client))
        rec["workers_replaced"] = len(set(pids_after) - set(pids_before))
    except Exception as e:  # report what Dask did rather than stop the table
        rec.update(status="error", notes="%s: %s" % (type(e).__name__, e))
    finally:
        client.close()
        cluster.close()

    if wrong:
        rec.update(status="wrong", notes=wrong)
    if walls:
        rec["runs_s"] = walls
        rec["wall_s"] = statistics.median(walls)
    if args.json:
        print(json.dumps(rec, sort_keys=True))
    else:
        for k in sorted(rec):
            print("%-20s %s" % (k, rec[k]))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
