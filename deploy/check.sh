#!/usr/bin/env bash
# Lint and validate everything under deploy/, offline: no Kubernetes cluster is needed or contacted.
#
#   1. yamllint: the kustomize manifests, Chart.yaml, values.yaml and ci/*-values.yaml.
#   2. kustomize (kubectl's built-in): render deploy/kubernetes and its overlays tls, external-redis.
#   3. The Helm chart, with its default values and each ci/*-values.yaml:
#        helm on PATH: `helm lint --strict` and `helm template`;
#        otherwise:    validate/helm-render (a stand-in built from Go's text/template and Sprig,
#                      NOT helm; see its header) and an ajv check of the values against
#                      values.schema.json, which helm would do itself.
#   4. yamllint on the rendered chart (template whitespace mistakes).
#   5. validate/validate.mjs on every rendered stream: Kubernetes schemas bundled in npm packages
#      (kubernetes-models, @kubernetes/client-node), unknown fields, and cross-object checks
#      (selectors, service accounts, RBAC, probes' ports, what Orleans' Kubernetes hosting needs).
#
# Exit code: 0 when every step passed, 1 otherwise. Missing tools are errors, except helm.
# Tools (Debian 12): apt-get install -y yamllint golang-go golang-github-masterminds-sprig-dev \
#   golang-k8s-sigs-yaml-dev   (the Go packages only where helm is absent); kubectl (with its
#   built-in kustomize), Node.js >= 20 and npm; `npm ci` in validate/ is run here when needed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
chart="$here/helm/flows-cluster"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
have() { command -v "$1" >/dev/null 2>&1; }

# ---- tools --------------------------------------------------------------------------------------
step "tools"
missing=0
for tool in yamllint kubectl node npm; do
  if ! have "$tool"; then
    fail "$tool not found"
    missing=1
  fi
done
use_helm=0
if have helm; then
  use_helm=1
elif ! have go; then
  fail "neither helm nor go found: the chart cannot be rendered (apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev)"
  missing=1
fi
if [ "$missing" -ne 0 ]; then
  echo "check.sh: missing tools; nothing validated" >&2
  exit 1
fi
echo "yamllint: $(yamllint --version 2>&1)"
echo "kubectl:  $(kubectl version --client 2>/dev/null | tr '\n' ' ')"
echo "node:     $(node --version), npm $(npm --version)"
if [ "$use_helm" -eq 1 ]; then
  echo "helm:     $(helm version --short 2>&1)"
else
  echo "helm:     not found: the chart is rendered by validate/helm-render (a stand-in, not helm) with $(go version)"
fi

# ---- 1. YAML lint of the sources -----------------------------------------------------------------
step "yamllint (sources)"
if yamllint --strict -c "$here/.yamllint.yaml" "$here/kubernetes" \
  "$chart/Chart.yaml" "$chart/values.yaml" "$chart/ci"; then
  echo "ok"
else
  fail "yamllint on the sources"
fi

# ---- npm packages (installed once from package-lock.json; offline afterwards) -------------------
step "validator packages"
if [ ! -d "$here/validate/node_modules" ] ||
  ! cmp -s "$here/validate/package-lock.json" "$here/validate/node_modules/.package-lock.json.copy" 2>/dev/null; then
  if (cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error); then
    cp "$here/validate/package-lock.json" "$here/validate/node_modules/.package-lock.json.copy"
  else
    fail "npm ci in deploy/validate"
  fi
fi
(cd "$here/validate" && node -e '
  for (const p of ["kubernetes-models", "@kubernetes/client-node", "yaml", "ajv"])
    console.log(`${p} ${JSON.parse(require("fs").readFileSync(`node_modules/${p}/package.json`)).version}`);
') || fail "validator packages are not installed"

streams=()

# ---- 2. kustomize -------------------------------------------------------------------------------
step "kustomize build"
for dir in kubernetes kubernetes/overlays/tls kubernetes/overlays/external-redis; do
  out="$work/kustomize-$(echo "$dir" | tr '/' '_').yaml"
  if kubectl kustomize "$here/$dir" >"$out"; then
    echo "$dir: $(grep -c '^kind:' "$out") objects"
    streams+=("$out")
  else
    fail "kubectl kustomize $dir"
  fi
done

# ---- 3. Helm chart ------------------------------------------------------------------------------
step "helm chart"
value_sets=("")
for f in "$chart"/ci/*-values.yaml; do value_sets+=("$f"); done

if [ "$use_helm" -eq 0 ]; then
  # Go's GOPATH mode with Debian's Go sources; Sprig v3 and SemVer v3 are installed without their
  # /v3 directory, so a private GOPATH links them under that name. No module download happens.
  gopath="$work/gopath"
  mkdir -p "$gopath/src/helmrender" "$gopath/src/github.com/Masterminds/sprig" "$gopath/src/github.com/Masterminds/semver"
  ln -s /usr/share/gocode/src/github.com/Masterminds/sprig "$gopath/src/github.com/Masterminds/sprig/v3"
  ln -s /usr/share/gocode/src/github.com/Masterminds/semver "$gopath/src/github.com/Masterminds/semver/v3"
  cp "$here/validate/helm-render/main.go" "$gopath/src/helmrender/"
  if ! (cd "$gopath/src/helmrender" &&
    GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOFLAGS= go build -o "$work/helm-render" .); then
    fail "building validate/helm-render"
  fi
fi

for values in "${value_sets[@]}"; do
  name=$(basename "${values:-default}" .yaml)
  out="$work/chart-$name.yaml"
  args=()
  [ -n "$values" ] && args=(-f "$values")
  if [ "$use_helm" -eq 1 ]; then
    if helm lint --strict "$chart" "${args[@]}" >"$work/lint.log" 2>&1; then
      echo "helm lint ($name): ok"
    else
      cat "$work/lint.log"
      fail "helm lint ($name)"
    fi
    if helm template flows "$chart" --namespace flows "${args[@]}" >"$out"; then
      echo "helm template ($name): $(grep -c '^kind:' "$out") objects"
      streams+=("$out")
    else
      fail "helm template ($name)"
    fi
  elif [ -x "$work/helm-render" ]; then
    if "$work/helm-render" --release flows --namespace flows --values-out "$work/values-$name.json" \
      "${args[@]}" "$chart" >"$out"; then
      echo "helm-render ($name): $(grep -c '^kind:' "$out") objects"
      streams+=("$out")
    else
      fail "helm-render ($name)"
    fi
    if [ -f "$work/values-$name.json" ]; then
      (cd "$here/validate" && node validate.mjs values "$chart/values.schema.json" "$work/values-$name.json") ||
        fail "values ($name) do not match values.schema.json"
    fi
  fi
done

# ---- 4. YAML lint of the rendered chart ---------------------------------------------------------
step "yamllint (rendered chart)"
rendered=("$work"/chart-*.yaml)
if [ -e "${rendered[0]}" ]; then
  if yamllint --strict -d '{extends: default, rules: {line-length: {max: 140}, document-start: disable,
      comments: {min-spaces-from-content: 1}, indentation: {spaces: 2, indent-sequences: consistent}}}' \
    "${rendered[@]}"; then
    echo "ok"
  else
    fail "yamllint on the rendered chart"
  fi
fi

# ---- 5. Schemas and cross-object checks ---------------------------------------------------------
step "schemas and cross-object checks"
if [ "${#streams[@]}" -gt 0 ]; then
  (cd "$here/validate" && node validate.mjs manifests "${streams[@]}") || fail "validate.mjs"
else
  fail "nothing was rendered"
fi

echo
if [ "$failures" -ne 0 ]; then
  echo "check.sh: $failures step(s) failed"
  exit 1
fi
echo "check.sh: all checks passed (${#streams[@]} rendered streams; no cluster was contacted)"
