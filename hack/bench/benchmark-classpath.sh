#!/usr/bin/env bash
# Builds what the Java benchmarks run (the jar, the operator's test classes, the localcluster
# module) and prints their classpath as its last line.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f operator/target/cdds-operator.jar || ! -d operator/target/test-classes ]]; then
  mvn -B -q -DskipTests package >&2
fi
# Each module writes its test classpath (the local cluster's classes included) to target/classpath.
mvn -B -q -DskipTests -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath >/dev/null
echo "$PWD/operator/target/test-classes:$PWD/operator/target/classes:$(cat operator/target/classpath)"
