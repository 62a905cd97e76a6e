#!/usr/bin/env bash
# Operator scale benchmark: N ExportJobs (hourly, daily, weekly, monthly; none due during the run)
# applied at once to a real control plane (etcd, kube-apiserver, kube-controller-manager on
# loopback), reconciled by the operator running from the built jar as its own process. Measures
# the time until every job is Ready with its CronJob, the operator's peak heap and RSS, the API
# server's requests per job, and writes to our objects over a quiet period (default 5 minutes);
# then two restarts of the operator over those jobs, with paged lists and with --watch-list
# (time to reconcile each once, heap, writes).
# Appends the results to docs/benchmarks.md.
#
#   hack/bench/scale.sh [--jobs N]... [--quiet-seconds S] [--heap SIZE] [--jar PATH]
#   default: --jobs 500 --jobs 2000 --jobs 5000 --quiet-seconds 300 --heap 256m (the operator's -Xmx)
#   --jar: another build of the operator (an older commit's, to compare in one sitting); default
#   the one built here, operator/target/cdds-operator.jar
#
# Last line: scale: jobs=N reconciled_s=X.X heap_mib=N rss_mib=N steady_writes_per_min=N
set -euo pipefail
cd "$(dirname "$0")/../.."

jobs=()
quiet=300
heap=256m
built=operator/target/cdds-operator.jar
jar=$built
while (($#)); do
  case "$1" in
    --jobs) jobs+=("$2"); shift 2 ;;
    --quiet-seconds) quiet=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    *) echo "usage: $0 [--jobs N]... [--quiet-seconds S] [--heap SIZE] [--jar PATH]" >&2; exit 2 ;;
  esac
done
((${#jobs[@]})) || jobs=(500 2000 5000)

BINARIES=$(bash hack/k8s-tools.sh | tail -1)
CP=$(bash hack/bench/benchmark-classpath.sh | tail -1)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
rows=()
for n in "${jobs[@]}"; do
  work=$(mktemp -d /var/tmp/cdds-scale.XXXXXX)
  echo "[bench] $n ExportJobs, quiet period ${quiet} s" >&2
  out=$(java -cp "$CP" dev.cdds.operator.bench.ScaleBenchmark "$work" "$BINARIES" "$jar" "$n" "$quiet" "$heap")
  rm -rf "$work"
  detail=$(grep '^scale-detail: ' <<<"$out" | tail -1)
  line=$(grep '^scale: ' <<<"$out" | tail -1)
  echo "$detail" >&2
  echo "$line"
  rows+=("$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = substr($i, length(kv[1]) + 2) } printf "| %s | %s | %s | %s | %s | %s | %s | %s s, peak heap %s MiB, live %s MiB, %s writes | %s s, peak heap %s MiB, live %s MiB, %s writes | %s | %s | %s |", v["jobs"], v["reconciled_s"], v["requests_per_job"], v["heap_mib"], v["live_heap_mib"], v["rss_mib"], v["steady_writes_per_min"], v["restart_s"], v["restart_heap_mib"], v["restart_live_heap_mib"], v["restart_writes"], v["watchlist_restart_s"], v["watchlist_restart_heap_mib"], v["watchlist_restart_live_heap_mib"], v["watchlist_restart_writes"], v["requests"], v["cpu_s"], v["reconciliations_per_job"] }' <<<"$detail $line")")
done
{
  echo
  commit=$(git rev-parse --short HEAD)
  if [[ $jar == "$built" ]]; then
    echo "### Operator scale, $(date -u +%Y-%m-%d), commit $commit"
    jar_option=""
  else
    echo "### Operator scale, $(date -u +%Y-%m-%d), operator $jar (benchmark of commit $commit)"
    jar_option=" --jar $jar"
  fi
  echo
  echo "Command: \`hack/bench/scale.sh$(printf ' --jobs %s' "${jobs[@]}") --quiet-seconds $quiet$jar_option\`; machine: $machine; operator JVM -Xmx$heap, control plane on the same machine."
  echo "Requests per job count every request the API server answered during reconciliation (the operator's and kube-controller-manager's); writes are changes to ExportJobs, CronJobs, ServiceAccounts, Roles and RoleBindings during the quiet period. CPU seconds: of each process from the first create until all are Ready (the benchmark: its creates and the watches that see them Ready); all share the machine's cores."
  echo
  echo "Live heap is the heap in use right after a full collection (jcmd GC.run) once all jobs are reconciled. Restart: a new operator process over the jobs in place, the time until it has reconciled each once (from its start), its peak and live heap, and the writes it made (10 s more are watched); once with its caches filled by lists in pages of 500, once with \`--watch-list\`."
  echo
  echo "| jobs | all Ready (s) | API requests per job | operator peak heap (MiB) | live heap (MiB) | operator peak RSS (MiB) | writes per minute, quiet | restart, lists in pages | restart, --watch-list | requests per job by kind | CPU seconds until all Ready, by process | reconciliations per job |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
} >>docs/benchmarks.md
echo "$line"
