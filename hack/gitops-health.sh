#!/usr/bin/env bash
# Builds hack/health (kstatus and Argo CD's Lua interpreter, at the versions in its go.mod) from Go
# modules like the other Go tools, then runs it: for each ExportJob of a namespace, one JSON line
# with what Flux/kubectl-wait (kstatus) and Argo CD (docs/gitops/health.lua) say of it.
#
#   hack/gitops-health.sh -kubeconfig FILE -namespace NS [-lua docs/gitops/health.lua]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/cdds"
sum=$(cat hack/health/go.mod hack/health/go.sum hack/health/*.go | sha256sum | cut -c1-16)
binary="$CACHE/bin/cdds-health-$sum"
if [[ ! -x "$binary" ]]; then
  command -v go >/dev/null || { echo "gitops-health: go is not installed" >&2; exit 1; }
  mkdir -p "$CACHE/bin"
  (cd hack/health && go build -trimpath -ldflags "-s -w" -o "$binary.tmp" .)
  mv "$binary.tmp" "$binary"
fi
exec "$binary" "$@"
