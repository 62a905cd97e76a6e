#!/usr/bin/env bash
# Regenerates what is generated from the Java model in operator/src/main/java/dev/cdds/operator/api:
# the CRD in crds/ and the reference docs/api.md. The build fails while they are out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl operator -am test -Dtest=GeneratedFilesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcdds.writeGenerated=true -Dspotless.check.skip=true
echo "regenerated crds/, the Helm chart's copies and docs/api.md"
