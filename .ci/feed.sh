# Shell functions shared by the checks that use Flows as a new user does, from a folder feed of packages.
# Source it: . "$(dirname "$0")/feed.sh"

# require_packages FEED VERSION ID... : every ID.VERSION.nupkg is in FEED.
require_packages() {
  local feed=$1 version=$2 id
  shift 2
  for id in "$@"; do
    if [ ! -f "$feed/$id.$version.nupkg" ]; then
      echo "$feed/$id.$version.nupkg is missing (pack Flows.sln with the same VersionSuffix into $feed)" >&2
      return 1
    fi
  done
}

# require_fresh_cache FEED VERSION : a package already in the global packages folder under VERSION is used
# instead of the feed's, so it must be the very same package (a re-run), not an older pack of that version.
require_fresh_cache() {
  local feed=$1 version=$2 nupkg id cached
  local packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  for nupkg in "$feed"/Flows*."$version".nupkg; do
    id=$(basename "$nupkg" ".$version.nupkg")
    # `dotnet tool install` keeps a tool package in the global folder with a hash of its own making, not the
    # .nupkg's: an earlier check of this same run installed it, so it cannot be compared.
    [ "$id" = Flows.Cli ] && continue
    cached="$packages/${id,,}/${version,,}/${id,,}.${version,,}.nupkg.sha512"
    if [ -f "$cached" ] && [ "$(openssl dgst -sha512 -binary "$nupkg" | base64 -w0)" != "$(cat "$cached")" ]; then
      echo "$packages/${id,,}/${version,,} holds another package than $nupkg: pack with a unique VersionSuffix" >&2
      return 1
    fi
  done
}

# require_clean_ancestors DIR : no Directory.Build.*, Directory.Packages.props or global.json above DIR
# (a user's folder is not inside somebody else's build).
require_clean_ancestors() {
  local dir=$1 f
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    for f in Directory.Build.props Directory.Build.targets Directory.Packages.props global.json; do
      if [ -e "$dir/$f" ]; then
        echo "$dir/$f would apply to the projects made in $1; set TMPDIR to a clean folder" >&2
        return 1
      fi
    done
  done
}

# write_nuget_config DIR FEED : the machine's sources stay (its `nuget.org` key may be a mirror); Flows* come
# only from FEED.
write_nuget_config() {
  cat > "$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="flows-check-feed" value="$2" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="flows-check-feed">
      <package pattern="Flows" />
      <package pattern="Flows.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
}
