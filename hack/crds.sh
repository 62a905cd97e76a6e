#!/usr/bin/env bash
# Regenerates crds/ from the Java model in operator/src/main/java/dev/cdds/operator/api.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl operator test -Dtest=CommittedCrdTest -Dsurefire.failIfNoSpecifiedTests=false -Dcdds.writeCrds=true -Dspotless.check.skip=true
echo "regenerated crds/exportjobs.cdds.dev-v1.yml"
