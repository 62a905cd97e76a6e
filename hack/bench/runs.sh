#!/usr/bin/env bash
# Concurrent runs benchmark: N one-time ExportJobs running at once on a real control plane
# (etcd, kube-apiserver, kube-controller-manager on loopback), the operator from the built jar as
# its own process, each export pod a small JVM reporting progress through the exporter's real
# ProgressReporter (no database). Over a window with every run in progress, measures the status
# writes reaching the API server (target: at most 1 per run per 5 s) and the operator's CPU; then
# ends the runs and checks every one is recorded. Appends the results to docs/benchmarks.md.
#
#   hack/bench/runs.sh [--runs N] [--window-seconds S]   default: --runs 200 --window-seconds 60
#
# Last line: runs: runs=N status_writes_per_s=X per_run_per_5s=X operator_cpu_cores=X recorded=N
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=200
window=60
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --window-seconds) window=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--window-seconds S]" >&2; exit 2 ;;
  esac
done

BINARIES=$(bash hack/k8s-tools.sh | tail -1)
CP=$(bash hack/bench/benchmark-classpath.sh | tail -1)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
work=$(mktemp -d /var/tmp/cdds-runs.XXXXXX)
echo "[bench] $runs concurrent runs, window ${window} s" >&2
out=$(java -cp "$CP" dev.cdds.operator.bench.RunsBenchmark "$work" "$BINARIES" operator/target/cdds-operator.jar "$runs" "$window")
rm -rf "$work"
detail=$(grep '^runs-detail: ' <<<"$out" | tail -1)
line=$(grep '^runs: ' <<<"$out" | tail -1)
echo "$detail" >&2
{
  echo
  echo "### Concurrent runs, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)"
  echo
  echo "Command: \`hack/bench/runs.sh --runs $runs --window-seconds $window\`; machine: $machine; operator JVM -Xmx256m; control plane and the $runs export processes on the same machine."
  echo
  echo "| runs | status writes / s | per run per 5 s | operator CPU (cores) | runs recorded | requests / s by kind |"
  echo "| --- | --- | --- | --- | --- | --- |"
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = substr($i, length(kv[1]) + 2) } printf "| %s | %s | %s | %s | %s | %s |\n", v["runs"], v["status_writes_per_s"], v["per_run_per_5s"], v["operator_cpu_cores"], v["recorded"], v["requests_per_s"] }' <<<"$detail $line"
} >>docs/benchmarks.md
echo "$line"
