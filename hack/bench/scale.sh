#!/usr/bin/env bash
# Operator scale benchmark: N ExportJobs (hourly, daily, weekly, monthly; none due during the run)
# applied at once to a real control plane (etcd, kube-apiserver, kube-controller-manager on
# loopback), reconciled by the operator running from the built jar as its own process. Measures
# the time until every job is Ready with its CronJob, the operator's peak heap and RSS, the API
# server's requests per job, and writes to our objects over a quiet period (default 5 minutes).
# Appends the results to docs/benchmarks.md.
#
#   hack/bench/scale.sh [--jobs N]... [--quiet-seconds S]   default: --jobs 500 --jobs 2000 --jobs 5000
#
# Last line: scale: jobs=N reconciled_s=X.X heap_mib=N rss_mib=N steady_writes_per_min=N
set -euo pipefail
cd "$(dirname "$0")/../.."

jobs=()
quiet=300
while (($#)); do
  case "$1" in
    --jobs) jobs+=("$2"); shift 2 ;;
    --quiet-seconds) quiet=$2; shift 2 ;;
    *) echo "usage: $0 [--jobs N]... [--quiet-seconds S]" >&2; exit 2 ;;
  esac
done
((${#jobs[@]})) || jobs=(500 2000 5000)

BINARIES=$(bash hack/k8s-tools.sh | tail -1)
if [[ ! -f operator/target/cdds-operator.jar || ! -d operator/target/test-classes ]]; then
  mvn -B -q -DskipTests package
fi
CLASSPATH_FILE=$(mktemp)
mvn -B -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
CP=operator/target/test-classes:operator/target/classes:$(cat "$CLASSPATH_FILE")
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
rows=()
for n in "${jobs[@]}"; do
  work=$(mktemp -d /var/tmp/cdds-scale.XXXXXX)
  echo "[bench] $n ExportJobs, quiet period ${quiet} s" >&2
  line=$(java -cp "$CP" dev.cdds.operator.bench.ScaleBenchmark "$work" "$BINARIES" operator/target/cdds-operator.jar "$n" "$quiet" | tail -1)
  rm -rf "$work"
  echo "$line"
  rows+=("$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "| %s | %s | %s | %s | %s | %s |", v["jobs"], v["reconciled_s"], v["requests_per_job"], v["heap_mib"], v["rss_mib"], v["steady_writes_per_min"] }' <<<"$line")")
done
{
  echo
  echo "### Operator scale, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)"
  echo
  echo "Command: \`hack/bench/scale.sh$(printf ' --jobs %s' "${jobs[@]}") --quiet-seconds $quiet\`; machine: $machine; operator JVM -Xmx512m, control plane on the same machine."
  echo "Requests per job count every request the API server answered during reconciliation (the operator's and kube-controller-manager's); writes are changes to ExportJobs, CronJobs, ServiceAccounts, Roles and RoleBindings during the quiet period."
  echo
  echo "| jobs | all Ready (s) | API requests per job | operator peak heap (MiB) | operator peak RSS (MiB) | writes per minute, quiet |"
  echo "| --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
} >>docs/benchmarks.md
echo "$line"
