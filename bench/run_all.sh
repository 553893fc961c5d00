#!/usr/bin/env bash
# Run the Flows peer-benchmark matrix and, when a Python with dask + distributed is present, the
# Dask matrix (sync, threads, processes, distributed) in the same go, shape by shape, on the same
# machine; then print the merged table with dask_peer.py --table.
#
#   bench/run_all.sh [OUT_DIR]            # default: bench/out (not committed)
#
# Writes OUT_DIR/flows.jsonl and OUT_DIR/dask.jsonl (both truncated first) and OUT_DIR/table.md.
#
# Environment:
#   PYTHON      interpreter with dask + distributed (default: the first non-pyenv python3)
#   DASK_PEER   path to dask_peer.py (default: /work/shared/bench/peers/dask_peer.py)
#   WORKERS     workers for every shape except io (default: 2)
#   IO_WORKERS  workers for io (default: 4,16)
#   SHAPES      default: fanout fanout-map chain diamond tree cpu io data map
#   FLOWS_EXECS default: local threads processes tpl cluster
#               (io adds threads-async, tpl-async and cluster-async)
#   DASK_SCHEDS default: sync threads processes distributed
#               (FLOWS_EXECS="" or DASK_SCHEDS="" runs none of that side)
#   START_WORKERS  extra worker counts (e.g. "4") for start-time rows: after the matrix, START_SHAPE
#               is run once more per count on the executors/schedulers that start workers
#               (flows processes, cluster; dask processes, distributed). Default: none.
#   START_SHAPE default: fanout
#   WAIT_IDLE   wait up to this many seconds before each combination for the host to go idle
#               (default: 15; 0 disables)
#   LIMIT_S     hard limit per combination (default: 300)
#   SKIP_DASK=1 run Flows only
#   FLOWS_BENCH_CLUSTER_AUTH=0  the cluster executor without mutual TLS (LocalClusterOptions.Authenticate
#               = false), to measure what TLS costs; unsafe on a shared machine. Rows carry cluster_auth.
#
# Only the cluster rows (flows ClusterExecutor vs Dask distributed), with a W=4 start-time row:
#   FLOWS_EXECS=cluster DASK_SCHEDS=distributed START_WORKERS=4 WAIT_IDLE=5 bench/run_all.sh
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=$(realpath -m -- "${1:-$HERE/out}")
PY=${PYTHON:-$(which -a python3 | grep -v pyenv | head -n1)}
DASK_PEER=${DASK_PEER:-/work/shared/bench/peers/dask_peer.py}
WORKERS=${WORKERS:-2}
IO_WORKERS=${IO_WORKERS:-4,16}
SHAPES=${SHAPES:-fanout fanout-map chain diamond tree cpu io data map}
FLOWS_EXECS=${FLOWS_EXECS-local threads processes tpl cluster}
# Extra arguments for both runners alike, e.g. BENCH_ARGS="--warmup 5 --repeat 5".
BENCH_ARGS=${BENCH_ARGS-}
DASK_SCHEDS=${DASK_SCHEDS-sync threads processes distributed}
START_WORKERS=${START_WORKERS:-}
START_SHAPE=${START_SHAPE:-fanout}
WAIT_IDLE=${WAIT_IDLE:-15}
LIMIT_S=${LIMIT_S:-300}
BUDGET=$(( LIMIT_S * 4 / 5 ))

mkdir -p "$OUT"
FLOWS_OUT=$OUT/flows.jsonl
DASK_OUT=$OUT/dask.jsonl
: > "$FLOWS_OUT"

echo "# building Flows.Bench (Release)" >&2
dotnet build -c Release "$ROOT/bench/Flows.Bench/Flows.Bench.csproj" -nologo -v q >&2 || exit 1
BENCH_DLL=$ROOT/bench/Flows.Bench/bin/Release/net10.0/Flows.Bench.dll

DASK=1
if [ "${SKIP_DASK:-0}" = 1 ]; then
  DASK=0
elif ! "$PY" -c 'import dask, distributed' 2>/dev/null; then
  echo "# note: '$PY' cannot import dask + distributed; running Flows only" \
       "(apt-get install -y python3-dask python3-distributed)" >&2
  DASK=0
fi
if [ $DASK = 1 ]; then
  : > "$DASK_OUT"
  "$PY" -c 'import sys, dask, distributed; print("# python %s, dask %s, distributed %s" % (sys.version.split()[0], dask.__version__, distributed.__version__))' >&2
  SCRATCH=$(mktemp -d -t dask-peer.XXXXXX)
  trap 'rm -rf "$SCRATCH"' EXIT
fi
echo "# dotnet $(dotnet --version), $(nproc) cores, $(date -u +%FT%TZ)" >&2

record_failure() { # lib file shape sched workers rc
  if [ "$6" -eq 124 ] || [ "$6" -eq 137 ]; then
    printf '{"lib": "%s", "shape": "%s", "scheduler": "%s", "workers": "%s", "status": "skipped", "notes": "killed after %ss limit"}\n' \
      "$1" "$3" "$4" "$5" "$LIMIT_S" | tee -a "$2"
  elif [ "$6" -ne 0 ]; then
    printf '{"lib": "%s", "shape": "%s", "scheduler": "%s", "workers": "%s", "status": "error", "notes": "exit code %s"}\n' \
      "$1" "$3" "$4" "$5" "$6" | tee -a "$2"
  fi
}

run_flows() { # shape executor workers
  echo "# flows $1 / $2 (workers $3)" >&2
  timeout -k 20 "$LIMIT_S" dotnet "$BENCH_DLL" "$1" "$2" --workers "$3" \
    --budget "$BUDGET" --wait-idle "$WAIT_IDLE" --json $BENCH_ARGS | tee -a "$FLOWS_OUT"
  record_failure flows "$FLOWS_OUT" "$1" "$2" "$3" "${PIPESTATUS[0]}"
}

run_dask() { # shape scheduler workers
  echo "# dask $1 / $2 (workers $3)" >&2
  (cd "$SCRATCH" && TMPDIR="$SCRATCH" PYTHONDONTWRITEBYTECODE=1 timeout -k 20 "$LIMIT_S" \
    "$PY" "$DASK_PEER" "$1" "$2" --workers "$3" --budget "$BUDGET" --wait-idle "$WAIT_IDLE" --json $BENCH_ARGS) \
    | tee -a "$DASK_OUT"
  record_failure dask "$DASK_OUT" "$1" "$2" "$3" "${PIPESTATUS[0]}"
}

for shape in $SHAPES; do
  if [ "$shape" = io ]; then w=$IO_WORKERS; else w=$WORKERS; fi

  execs=$FLOWS_EXECS
  if [ "$shape" = io ]; then
    for e in $FLOWS_EXECS; do
      case $e in threads|tpl|cluster) execs="$execs $e-async" ;; esac
    done
  fi
  for ex in $execs; do
    run_flows "$shape" "$ex" "$w"
  done

  # Dask has no map/fanout-map shape (its fanout is already N separate keys).
  if [ $DASK = 1 ] && [ "$shape" != map ] && [ "$shape" != fanout-map ]; then
    for sched in $DASK_SCHEDS; do
      run_dask "$shape" "$sched" "$w"
    done
  fi
done

# Start-time rows: START_SHAPE once more per START_WORKERS count, where there are workers to start.
for w in $START_WORKERS; do
  for ex in $FLOWS_EXECS; do
    case $ex in processes|cluster) run_flows "$START_SHAPE" "$ex" "$w" ;; esac
  done
  if [ $DASK = 1 ]; then
    for sched in $DASK_SCHEDS; do
      case $sched in processes|distributed) run_dask "$START_SHAPE" "$sched" "$w" ;; esac
    done
  fi
done

echo
TABLE_PY=$PY
if ! "$TABLE_PY" -c 'import json' 2>/dev/null; then TABLE_PY=python3; fi
if [ $DASK = 1 ]; then
  "$TABLE_PY" "$DASK_PEER" --table "$DASK_OUT" "$FLOWS_OUT" | tee "$OUT/table.md"
else
  "$TABLE_PY" "$DASK_PEER" --table "$FLOWS_OUT" | tee "$OUT/table.md"
fi
