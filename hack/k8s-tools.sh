#!/usr/bin/env bash
# Builds a real Kubernetes control plane (kube-apiserver, kube-controller-manager, kubectl), etcd and
# helm from Go modules at pinned versions, and places them where io.fabric8:kube-api-test finds them
# offline. Idempotent: a finished build is recorded by a stamp and not repeated.
#
#   hack/k8s-tools.sh            build what is missing, print the binaries' directory on the last line
#   hack/k8s-tools.sh --print-dir   print that directory without building
set -euo pipefail

K8S_VERSION=1.34.4
ETCD_VERSION=3.6.4
HELM_VERSION=3.19.5
# The staging modules k8s.io/kubernetes v1.34 maps to ./staging (the `=> ./staging/src/...` lines of its go.mod).
STAGING_MODULES="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client
csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator
kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils
pod-security-admission sample-apiserver sample-cli-plugin sample-controller"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/cdds"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN_DIR="$KUBE_API_TEST_DIR/k8s/${K8S_VERSION}-linux-amd64"
STAMP="$BIN_DIR/.built-k8s${K8S_VERSION}-etcd${ETCD_VERSION}-helm${HELM_VERSION}"

if [[ "${1:-}" == "--print-dir" ]]; then
  echo "$BIN_DIR"
  exit 0
fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false

log() { printf '[k8s-tools] %s\n' "$*" >&2; }
timed() {
  local what=$1 start=$SECONDS
  shift
  log "$what ..."
  "$@"
  log "$what done in $((SECONDS - start)) s"
}

if [[ -f "$STAMP" ]]; then
  log "cached: $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed"; exit 1; }
mkdir -p "$CACHE/build" "$BIN_DIR"

build_kubernetes() {
  local dir="$CACHE/build/kubernetes-$K8S_VERSION" minor
  minor=$(cut -d. -f2 <<<"$K8S_VERSION")
  local staging="v0.${K8S_VERSION#1.}"
  mkdir -p "$dir"
  (
    cd "$dir"
    [[ -f go.mod ]] || go mod init cdds.dev/hack/kubebins >/dev/null 2>&1
    for m in $STAGING_MODULES; do go mod edit "-replace=k8s.io/$m=k8s.io/$m@$staging"; done
    cat >tools.go <<GO
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
    go get "k8s.io/kubernetes@v$K8S_VERSION" >/dev/null
    go mod tidy -e >/dev/null 2>&1 || true
    local date ld="" pkg
    date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      ld+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit=module-v$K8S_VERSION -X $pkg.buildDate=$date"
    done
    go build -trimpath -tags selinux,notest -ldflags "-s -w $ld" -o "$BIN_DIR/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kubectl
  )
}

build_etcd() {
  local dir="$CACHE/build/etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  (
    cd "$dir"
    [[ -f go.mod ]] || go mod init cdds.dev/hack/etcdbin >/dev/null 2>&1
    cat >tools.go <<GO
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
    go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null
    go mod tidy -e >/dev/null 2>&1 || true
    go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3
  )
}

build_helm() {
  GOBIN="$BIN_DIR" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
}

total=$SECONDS
[[ -x "$BIN_DIR/etcd" ]] || timed "etcd v$ETCD_VERSION from go.etcd.io/etcd/server/v3" build_etcd
[[ -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/kube-controller-manager" && -x "$BIN_DIR/kubectl" ]] ||
  timed "kube-apiserver, kube-controller-manager, kubectl v$K8S_VERSION from k8s.io/kubernetes" build_kubernetes
[[ -x "$BIN_DIR/helm" ]] || timed "helm v$HELM_VERSION from helm.sh/helm/v3" build_helm
"$BIN_DIR/kubectl" version --client >&2
"$BIN_DIR/helm" version --short >&2
touch "$STAMP"
log "all binaries in $BIN_DIR after $((SECONDS - total)) s"
echo "$BIN_DIR"
