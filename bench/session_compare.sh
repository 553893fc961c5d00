#!/bin/bash
# Side-by-side bench of two builds of bench/Flows.Bench, interleaved run by run (runs J and K of bench/RESULTS.md).
#   BEFORE=/tmp/bench-before AFTER=/tmp/bench-now OUT=/tmp/session-bench.jsonl ROUNDS=2 \
#   SHAPES="fanout chain diamond" EXECS="threads processes cluster" bash bench/session_compare.sh
# Each build: dotnet build bench/Flows.Bench/Flows.Bench.csproj -c Release -o DIR (at the commit to compare).
before=${BEFORE:-/tmp/bench-before}; after=${AFTER:-/tmp/bench-now}
out=${OUT:-/tmp/session-bench.jsonl}; : > "$out"
for round in $(seq 1 "${ROUNDS:-2}"); do
 for exec in ${EXECS:-threads processes cluster}; do
  for shape in ${SHAPES:-fanout chain diamond}; do
   for variant in before after; do
     dll=$before/Flows.Bench.dll
     [ $variant = after ] && dll=$after/Flows.Bench.dll
     line=$(dotnet "$dll" "$shape" "$exec" --workers 2 --warmup 2 --repeat 5 --json 2>/dev/null | tail -1)
     echo "{\"round\":$round,\"variant\":\"$variant\",\"exec\":\"$exec\",\"shape\":\"$shape\",\"r\":$line}" >> "$out"
   done
  done
 done
done
echo finished > "$out.done"
