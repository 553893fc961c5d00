#!/usr/bin/env bash
# Checks the Flows.Templates package as a new user meets it, outside the repository:
#   dotnet new install <the package>; dotnet new flows-app -n MyPipeline; dotnet build; dotnet run; dotnet test;
#   dotnet new uninstall Flows.Templates
# with restore taking Flows* only from FEED_DIR (packageSourceMapping) and everything else from the machine's
# `nuget.org` source.
#
# Usage: templates/check-template.sh FEED_DIR VERSION
#   FEED_DIR  a folder holding Flows.Templates.VERSION.nupkg and Flows*.VERSION.nupkg (dotnet pack -o FEED_DIR)
#   VERSION   the full package version, e.g. 0.1.0-ci.42. Pack with a unique VersionSuffix every time: the
#             global packages folder keeps the first package it saw under a version (this script fails if the
#             copy there is not the one in FEED_DIR).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 FEED_DIR VERSION" >&2
  exit 2
fi
feed=$(cd "$1" && pwd)
version=$2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

. "$(dirname "$0")/../.ci/feed.sh"
template_package="$feed/Flows.Templates.$version.nupkg"
require_packages "$feed" "$version" Flows.Templates Flows Flows.Runtime Flows.Abstractions
require_fresh_cache "$feed" "$version"

work=$(mktemp -d "${TMPDIR:-/tmp}/flows-template-check.XXXXXX")
installed=false
cleanup() {
  local status=$?
  if [ "$installed" = true ]; then
    dotnet new uninstall Flows.Templates >/dev/null 2>&1 || echo "check-template: dotnet new uninstall Flows.Templates failed" >&2
  fi
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then echo "check-template: FAILED" >&2; fi
  exit "$status"
}
trap cleanup EXIT

require_clean_ancestors "$work"
write_nuget_config "$work" "$feed"

cd "$work"
set -x
dotnet new install "$template_package" --force
installed=true
dotnet new flows-app -n MyPipeline
{ set +x; } 2>/dev/null

cd MyPipeline
# -n renamed everything, and the app references the Flows version the template was packed with.
if grep -rl FlowsApp . ; then
  echo "check-template: the files above still say FlowsApp: sourceName did not rename them" >&2
  exit 1
fi
for f in MyPipeline.slnx src/MyPipeline/MyPipeline.csproj tests/MyPipeline.Tests/MyPipeline.Tests.csproj; do
  [ -f "$f" ] || { echo "check-template: $f was not generated" >&2; exit 1; }
done
grep -q "<PackageReference Include=\"Flows\" Version=\"$version\" />" src/MyPipeline/MyPipeline.csproj || {
  echo "check-template: src/MyPipeline/MyPipeline.csproj does not reference Flows $version:" >&2
  grep -n PackageReference src/MyPipeline/MyPipeline.csproj >&2
  exit 1
}

# The solution and the test project point at files that exist.
check_paths() { # folder
  local ref project
  for ref in $(sed -n 's/.*Project Path="\([^"]*\)".*/\1/p' "$1"/*.slnx); do
    [ -f "$1/$ref" ] || { echo "check-template: $1's solution names $ref, which was not generated" >&2; exit 1; }
  done
  for project in "$1"/tests/*/*.csproj; do
    for ref in $(sed -n 's/.*ProjectReference Include="\([^"]*\)".*/\1/p' "$project" | tr '\\' /); do
      [ -f "$(dirname "$project")/$ref" ] || { echo "check-template: $project references $ref, which was not generated" >&2; exit 1; }
    done
  done
}
check_paths .
# A name that is not a valid namespace: paths keep it, namespaces get its safe form (generated only, not built).
(cd "$work" && dotnet new flows-app -n my-pipeline.v2 -o odd-name >/dev/null)
check_paths "$work/odd-name"
grep -q '^namespace my_pipeline.v2;' "$work/odd-name/src/my-pipeline.v2/WordCount.cs" || {
  echo "check-template: -n my-pipeline.v2 did not give the namespace my_pipeline.v2" >&2
  exit 1
}

set -x
dotnet build
dotnet run --no-build --project src/MyPipeline
dotnet test --no-build
{ set +x; } 2>/dev/null

cd "$work"
set -x
dotnet new uninstall Flows.Templates
{ set +x; } 2>/dev/null
installed=false
echo "check-template: Flows.Templates $version: installed, generated, built, ran, tests passed, uninstalled"
