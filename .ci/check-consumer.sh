#!/usr/bin/env bash
# Uses the Flows packages as a new user does, outside the repository, from a folder feed:
#   1. a console app: `dotnet add package Flows.Cluster` (which brings Flows) and Flows.Console, one flow run eagerly
#      and on all four executors (local, threads, worker processes, a local cluster; the threads run with the progress
#      display), with server GC chosen by the app and
#      workstation GC expected in the workers; `dotnet run`, then framework-dependent, RID-specific and
#      self-contained publishes, each run from its folder (the self-contained one with no dotnet on PATH), and the
#      cluster worker command from the publish folder;
#      the flows tool installed from the feed as a local tool, `dotnet flows list` and `dotnet flows run` on that app;
#   2. a loop in a flow body fails the build with FLOW005; a single-file publish fails with FLOWS1001;
#   3. two references away: an xunit project referencing a class library that references Flows runs a
#      ProcessExecutor flow in `dotnet test`;
#   4. a generic host with `dotnet add package Flows.Hosting` alone: AddFlows (worker processes), a run through
#      FlowHost, a cron schedule, the health check; a constant cron expression that does not parse fails with FLOW056.
# Restore takes Flows* only from FEED_DIR (packageSourceMapping), everything else from the machine's sources.
#
# Usage: .ci/check-consumer.sh FEED_DIR VERSION   (pack with a unique VersionSuffix: see feed.sh)
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 FEED_DIR VERSION" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
feed=$(cd "$1" && pwd)
version=$2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
. "$here/feed.sh"
require_packages "$feed" "$version" Flows Flows.Runtime Flows.Abstractions Flows.Cluster Flows.Console Flows.Cli Flows.Hosting
require_fresh_cache "$feed" "$version"

work=$(mktemp -d "${TMPDIR:-/tmp}/flows-consumer-check.XXXXXX")
cleanup() {
  local status=$?
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then echo "check-consumer: FAILED" >&2; fi
  exit "$status"
}
trap cleanup EXIT
require_clean_ancestors "$work"
write_nuget_config "$work" "$feed"
fail() { echo "check-consumer: $*" >&2; exit 1; }
step() { echo; echo "check-consumer: $*"; }

# 1. The console app.
cd "$work"
step "a console app with dotnet add package Flows.Cluster"
dotnet new console -n Consumer -o Consumer >/dev/null
cd Consumer
dotnet add package Flows.Cluster --version "$version" >/dev/null
dotnet add package Flows.Console --version "$version" >/dev/null
cp "$here/consumer/Program.cs.txt" Program.cs
# The app's own choice, which the workers must not inherit.
sed -i 's#<OutputType>Exe</OutputType>#<OutputType>Exe</OutputType>\n    <ServerGarbageCollection>true</ServerGarbageCollection>#' Consumer.csproj
dotnet run | tee run.log
grep -q "all four executors agree: True; workers run their own GC settings: True; durable runs resume: True" run.log || fail "dotnet run did not agree"
# The threads run is watched by the progress display (Flows.Console) in plain lines: its start, a node's end, its table.
grep -q "^WordCount.Count: run [0-9a-f]* started (" run.log && grep -q "^WordCount.Count: Total succeeded (1 attempt, " run.log \
  && grep -qE "^Total +succeeded +1 " run.log && grep -q "^WordCount.Count succeeded in .* task runs" run.log || fail "the progress display did not show the threads run"

for mode in "framework-dependent" "linux-x64" "self-contained"; do
  case $mode in
    framework-dependent) args=() ;;
    linux-x64) args=(-r linux-x64 --self-contained false) ;;
    self-contained) args=(-r linux-x64 --self-contained) ;;
  esac
  step "dotnet publish ($mode)"
  out="$work/publish-$mode"
  dotnet publish "${args[@]}" -o "$out" -v quiet -nologo
  for f in Flows.Worker.dll Flows.Worker.runtimeconfig.json Flows.Worker.deps.json Flows.Cluster.dll Flows.Cluster.runtimeconfig.json Flows.Cluster.deps.json; do
    [ -f "$out/$f" ] || fail "$mode publish has no $f"
  done
  if ls "$out" | grep -E '^(Microsoft\.CodeAnalysis|KubernetesClient)' ; then fail "$mode publish carries build-time or Kubernetes assemblies (above)"; fi
  echo "publish size ($mode): $(du -sh "$out" | cut -f1)"
  if [ "$mode" = self-contained ]; then
    [ -x "$out/Flows.Worker" ] && [ -x "$out/Flows.Cluster" ] || fail "the self-contained publish has no worker launchers"
    # As where no .NET is installed: no dotnet on PATH (an empty folder) nor DOTNET_ROOT; only the app's folder.
    mkdir -p "$work/no-dotnet"
    (cd /tmp && env -i HOME="$HOME" PATH="$work/no-dotnet" "$out/Consumer") | tee "$out.log"
  else
    (cd /tmp && dotnet "$out/Consumer.dll") | tee "$out.log"
  fi
  grep -q "all four executors agree: True; workers run their own GC settings: True; durable runs resume: True" "$out.log" || fail "the $mode publish did not agree"
done

step "the cluster worker command from the publish folder"
dotnet "$work/publish-framework-dependent/Flows.Cluster.dll" worker --help 2>&1 | grep -q -- "--assembly" || fail "dotnet Flows.Cluster.dll worker --help printed no usage"
status=0
dotnet "$work/publish-framework-dependent/Flows.Cluster.dll" worker --assembly "$work/publish-framework-dependent/Consumer.dll" --kubernetes --redis 127.0.0.1:1 2> kube.log || status=$?
[ "$status" -eq 2 ] && grep -q "dotnet add package Flows.Cluster.Kubernetes" kube.log || { cat kube.log >&2; fail "--kubernetes without its package was not refused with the package to add"; }

step "SIGTERM ends a flow process that runs on a local cluster, and its workers, at once"
app="$work/publish-framework-dependent"
(cd /tmp && exec dotnet "$app/Consumer.dll" hold-on-cluster) > hold.log 2>&1 &
holder=$!
timeout 60 bash -c "until grep -q running hold.log; do sleep 0.2; done" || { cat hold.log >&2; fail "the holding run did not start"; }
started=$(date +%s%N)
kill -TERM "$holder"
status=0
timeout 20 tail --pid="$holder" -f /dev/null || fail "the flow process was still running 20 s after SIGTERM"
wait "$holder" || status=$?
echo "exited $(( ($(date +%s%N) - started) / 1000000 )) ms after SIGTERM, code $status"
[ "$status" -ne 0 ] || fail "the interrupted flow process exited with 0"
# ([F] keeps the pattern from matching this very loop's command line.)
timeout 10 bash -c "while pgrep -f \"$app/[F]lows.Cluster.dll worker\" >/dev/null; do sleep 0.2; done" || { pgrep -af "[F]lows.Cluster.dll worker" >&2; fail "cluster workers outlived their flow process by 10 s"; }

step "the flows tool, installed from the feed as a local tool: dotnet flows list and run on the console app"
cd "$work/Consumer"
dotnet new tool-manifest >/dev/null
dotnet tool install Flows.Cli --version "$version" >/dev/null  # from the feed: the nuget.config above maps Flows.* to it
dotnet flows list | tee flows-list.log
grep -qE "Count +[^ ]+ WordCount +[^ ]+ string\[\] lines +[^ ]+ int" flows-list.log || fail "dotnet flows list did not list WordCount.Count with its parameter and result"
grep -qE "Hold .*CancellationToken ct \(bound\)" flows-list.log || fail "dotnet flows list did not mark Hold's cancellation token as bound"
status=0
dotnet flows run Count --no-build --executor processes:2 --param "lines=a b,c d e,f" > flows-run.log 2>&1 || status=$?
cat flows-run.log
[ "$status" -eq 0 ] && grep -qzE "Result:.6" flows-run.log || fail "dotnet flows run Count did not succeed with 6 (exit code $status)"
status=0
dotnet flows run Hold --no-build --param seconds=soon > flows-bad.log 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "parameter 'seconds' (int) cannot be 'soon'" flows-bad.log || { cat flows-bad.log >&2; fail "a bad --param was not refused with exit code 2 (got $status)"; }

# 2. What must fail, fails with its reason.
step "a single-file publish is refused with FLOWS1001"
if dotnet publish -r linux-x64 --self-contained -p:PublishSingleFile=true -o "$work/single" -nologo > single.log 2>&1; then fail "a single-file publish succeeded"; fi
grep -q "FLOWS1001" single.log || { cat single.log >&2; fail "the single-file publish failed without FLOWS1001"; }

step "a loop in a flow body fails the build with FLOW005"
cp "$here/consumer/BrokenFlow.cs.txt" Broken.cs
if dotnet build -nologo > broken.log 2>&1; then fail "a flow with a loop built"; fi
grep -q "Broken.cs(.*error FLOW005" broken.log || { cat broken.log >&2; fail "the loop did not fail with FLOW005 at Broken.cs"; }
rm Broken.cs

# 3. Two references away.
step "an xunit project -> a class library -> Flows, ProcessExecutor in dotnet test"
cd "$work"
dotnet new classlib -n Pipelines -o Pipelines >/dev/null
rm Pipelines/Class1.cs
cp "$here/consumer/Squares.cs.txt" Pipelines/Squares.cs
(cd Pipelines && dotnet add package Flows --version "$version" >/dev/null)
mkdir Pipelines.Tests
cat > Pipelines.Tests/Pipelines.Tests.csproj <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <IsPackable>false</IsPackable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
    <PackageReference Include="xunit" Version="2.9.3" />
    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
  </ItemGroup>
  <ItemGroup>
    <ProjectReference Include="../Pipelines/Pipelines.csproj" />
  </ItemGroup>
</Project>
XML
cp "$here/consumer/PipelineTests.cs.txt" Pipelines.Tests/PipelineTests.cs
dotnet test Pipelines.Tests 2>&1 | tee test.log
grep -qE "Passed! +- +Failed: +0, Passed: +1," test.log || fail "the test two references away did not pass"

# 4. A generic host.
step "a generic host with dotnet add package Flows.Hosting: AddFlows, FlowHost.RunAsync, a schedule, the health check"
cd "$work"
dotnet new console -n Hosted -o Hosted >/dev/null
cd Hosted
dotnet add package Flows.Hosting --version "$version" >/dev/null
cp "$here/consumer/HostedProgram.cs.txt" Program.cs
dotnet run | tee hosted.log
grep -q "hosted: direct 36, scheduled 49, eager 36, health Healthy" hosted.log || fail "the hosted app did not run its flows through the host"

step "a constant cron expression that does not parse fails the build with FLOW056"
cp "$here/consumer/BrokenSchedule.cs.txt" BrokenSchedule.cs
if dotnet build -nologo > broken-schedule.log 2>&1; then fail "a schedule with cron \"0 25 * * *\" built"; fi
grep -q "BrokenSchedule.cs(.*error FLOW056" broken-schedule.log || { cat broken-schedule.log >&2; fail "the bad cron expression did not fail with FLOW056 at BrokenSchedule.cs"; }
rm BrokenSchedule.cs

echo
echo "check-consumer: Flows $version from $feed: console app on four executors (one with the progress display), three publishes, worker command, the flows tool, FLOW005 and FLOWS1001 refusals, a test two references away, a generic host with Flows.Hosting and FLOW056"
