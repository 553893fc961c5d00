#!/bin/bash
# Run J of bench/RESULTS.md: a build before this session (/tmp/bench-before) against HEAD (/tmp/bench-now), interleaved.
out=/tmp/session-bench.jsonl; : > $out
for round in 1 2; do
 for exec in threads processes cluster; do
  for shape in fanout chain diamond; do
   for variant in before after; do
     dll=/tmp/bench-$variant/Flows.Bench.dll
     [ $variant = after ] && dll=/tmp/bench-now/Flows.Bench.dll
     line=$(dotnet $dll $shape $exec --workers 2 --warmup 2 --repeat 5 --json 2>/dev/null | tail -1)
     echo "{\"round\":$round,\"variant\":\"$variant\",\"exec\":\"$exec\",\"shape\":\"$shape\",\"r\":$line}" >> $out
   done
  done
 done
done
echo finished > /tmp/session-bench.done
