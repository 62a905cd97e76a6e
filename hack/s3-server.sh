#!/usr/bin/env bash
# Builds the S3-compatible server the tests and the sandbox use: the Versity S3 Gateway
# (github.com/versity/versitygw, Apache-2.0) with its posix backend, from its Go module at a pinned
# version. Idempotent: a built binary is kept under ~/.cache and not rebuilt.
#
#   hack/s3-server.sh               build if missing; print the binary's path on the last line
#   hack/s3-server.sh --print-path  print that path without building
set -euo pipefail

VERSITYGW_VERSION=v1.8.0
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/cdds"
BIN="$CACHE/bin/versitygw-$VERSITYGW_VERSION"

log() { printf '[s3-server] %s\n' "$*" >&2; }

if [[ "${1:-}" == "--print-path" || -x "$BIN" ]]; then
  [[ "${1:-}" == "--print-path" ]] || log "cached: $BIN"
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed: run hack/prerequisites.sh"; exit 1; }
mkdir -p "$CACHE/bin" "$CACHE/build/versitygw"
log "building versitygw $VERSITYGW_VERSION from Go modules (about 1-2 minutes, once) ..."
start=$SECONDS
GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$CACHE/build/versitygw" \
  go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
mv "$CACHE/build/versitygw/versitygw" "$BIN"
log "built in $((SECONDS - start)) s: $BIN"
echo "$BIN"
