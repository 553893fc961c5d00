#!/bin/bash
# Run I of bench/RESULTS.md: the local cluster with TLS (a build before the secret handshake), with the
# secret handshake, and without authentication, interleaved per round on 2 workers.
#   bench/auth_compare.sh BEFORE_DIR AFTER_DIR OUT.jsonl [ROUNDS] [SHAPES...]
# BEFORE_DIR/AFTER_DIR hold Flows.Bench.dll (dotnet build bench/Flows.Bench -c Release -o DIR at each commit).
set -euo pipefail
before=$1 after=$2 out=$3 rounds=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
shapes=${*:-fanout chain data}
: > "$out"
for round in $(seq "$rounds"); do
  for shape in $shapes; do
    for variant in tls secret none; do
      case $variant in
        tls) dll=$before/Flows.Bench.dll auth=1 ;;
        secret) dll=$after/Flows.Bench.dll auth=1 ;;
        none) dll=$after/Flows.Bench.dll auth=0 ;;
      esac
      line=$(FLOWS_BENCH_CLUSTER_AUTH=$auth dotnet "$dll" "$shape" cluster --workers 2 --warmup 3 --repeat 5 --json 2>/dev/null | tail -1)
      echo "{\"round\":$round,\"variant\":\"$variant\",\"shape\":\"$shape\",\"r\":$line}" >> "$out"
    done
  done
done
# Medians per shape and variant:
python3 - "$out" <<'PY'
import json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for shape in dict.fromkeys(d["shape"] for d in rows):
    med = {v: st.median([x for d in rows if d["shape"] == shape and d["variant"] == v for x in d["r"]["runs_s"]]) for v in ("tls", "secret", "none")}
    print(f"{shape}: tls {med['tls']:.3f} s, secret {med['secret']:.3f} s, none {med['none']:.3f} s; secret/none {med['secret']/med['none']:.2f}, tls/none {med['tls']/med['none']:.2f}")
PY
