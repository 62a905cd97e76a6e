#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine: a JDK 17, Maven, PostgreSQL,
# a container runtime with its image tools (podman, runc, mmdebstrap: hack/image.sh and the process
# node), Chromium with its driver (the dashboard's tests) and a Go toolchain new enough to build the control plane (hack/k8s-tools.sh). Safe to run
# again.
# Prints, as its last line, the PATH to use (with the fetched Go first when one was needed).
set -euo pipefail

GO_MIN_MINOR=24
GO_FALLBACK=1.24.13
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/cdds"
log() { printf '[prerequisites] %s\n' "$*" >&2; }

missing=()
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v curl >/dev/null || missing+=(curl)
command -v unzip >/dev/null || missing+=(unzip)
# The export tests run a real PostgreSQL server (Debian's), started by the tests themselves.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# Pods run as containers of the real image (docs/ci.md): podman on runc, base images from Debian's
# packages by mmdebstrap, no registry.
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
# gzip by libdeflate, as the image has it (GzipMembers; the JDK's zlib is only the fallback).
/sbin/ldconfig -p | grep -q 'libdeflate\.so\.0 ' || missing+=(libdeflate0)
# The dashboard's tests drive a real headless browser through its driver (DashboardIT).
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

go_ok() {
  command -v go >/dev/null || return 1
  local minor
  minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
  ((minor >= GO_MIN_MINOR))
}

if ! go_ok; then
  # The go command's own toolchains are published on the Go module proxy as golang.org/toolchain.
  dir="$CACHE/go-$GO_FALLBACK"
  if [[ ! -x "$dir/bin/go" ]]; then
    log "no Go >= 1.$GO_MIN_MINOR on PATH: fetching golang.org/toolchain go$GO_FALLBACK from the module proxy"
    proxy="${GOPROXY:-https://proxy.golang.org}"
    proxy="${proxy%%,*}"
    tmp=$(mktemp -d)
    curl -fsSL -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/v0.0.1-go$GO_FALLBACK.linux-amd64.zip"
    unzip -q "$tmp/go.zip" -d "$tmp"
    mkdir -p "$(dirname "$dir")"
    mv "$tmp/golang.org/toolchain@v0.0.1-go$GO_FALLBACK.linux-amd64" "$dir"
    chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/*
    rm -rf "$tmp"
  fi
  PATH="$dir/bin:$PATH"
  log "using $("$dir/bin/go" version)"
fi
echo "$PATH"
