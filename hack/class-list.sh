#!/usr/bin/env bash
# Lists the classes an export pod loads up to its first query, for the JVM's class data sharing
# archive (docs/image.md): starts the export entry point of JAR against a database that is not
# there (port 9 refuses at once) and writes the classes it loaded to LIST. The start is meant to
# fail, and only in that way. Used by the Dockerfile's build stage and hack/bench/exporter.sh.
#
#   hack/class-list.sh JAR LIST
set -euo pipefail
jar=$1
list=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only what a pod of a one-time job would be given: nothing of this machine's environment.
env -i PATH="$PATH" \
  CDDS_SPEC='{"source":{"system":"ContactHistory","type":"Interaction"},"schedule":{"run":"Once"},"timeframe":{"type":"All"}}' \
  CDDS_NAMESPACE=cds CDDS_EXPORTJOB=cds CDDS_RUN_ID=cds-29000000 CDDS_OUTPUT_DIR="$work" \
  CDDS_SOURCE_URL=jdbc:postgresql://127.0.0.1:9/cds CDDS_SOURCE_USER=cds CDDS_SOURCE_PASSWORD=cds \
  CDDS_TERMINATION_LOG="$work/termination-log" \
  java -XX:DumpLoadedClassList="$list" -jar "$jar" export >"$work/log" 2>&1 || true
if ! grep -q 'Connection to 127.0.0.1:9 refused' "$work/termination-log" 2>/dev/null; then
  echo "class-list: the export entry point did not get as far as the database:" >&2
  cat "$work/log" >&2
  exit 1
fi
