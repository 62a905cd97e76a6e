#!/usr/bin/env bash
# How fast `kubectl cdds` answers: list, describe and history through the installed launcher, next
# to `kubectl get ej`, against a loopback control plane with 20 ExportJobs (median of 10 runs after
# a warm-up). Appends the result to docs/benchmarks.md; the last line is
#   plugin: list_s=X.XX get_ej_s=X.XX ratio=X.X
set -euo pipefail
cd "$(dirname "$0")/../.."
BINARIES=$(bash hack/k8s-tools.sh | tail -1)
CP=$(bash hack/bench/benchmark-classpath.sh | tail -1)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
# A Java of 25 or later, if the machine has one: the floor of a JVM command with an ahead-of-time
# cache (the plugin itself runs on the java on PATH).
aot_java=()
for java in /usr/lib/jvm/*/bin/java; do
  version=$("$java" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ {print $3}')
  if [[ "$version" =~ ^[0-9]+$ ]] && ((version >= 25)); then
    aot_java=("$java")
    aot_version=$("$java" -version 2>&1 | head -1)
  fi
done
work=$(mktemp -d /var/tmp/cdds-plugin.XXXXXX)
echo "[bench] kubectl cdds against 20 ExportJobs" >&2
out=$(java -cp "$CP" dev.cdds.operator.bench.PluginBenchmark "$work" "$BINARIES" operator/target/kubectl-cdds "${aot_java[@]}")
rm -rf "$work"
detail=$(grep '^plugin-detail: ' <<<"$out" | tail -1)
line=$(grep '^plugin: ' <<<"$out" | tail -1)
echo "$detail" >&2
{
  echo
  echo "### kubectl cdds start-up, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)"
  echo
  echo "Command: \`hack/bench/plugin.sh\`; machine: $machine; 20 ExportJobs on a loopback kube-apiserver; median of 10 runs after a warm-up, whole process, \`/usr/bin/time\`."
  echo
  echo "The floor: \`TlsRequestFloor\`, the same request with the JDK alone (no kubeconfig, client or JSON), with the launcher's JVM options and a class archive; with an ahead-of-time cache on ${aot_version:-no Java 25 or later found}."
  echo
  echo "| list s | describe s | history s | kubectl get ej s | list / get ej | list RSS MiB | describe RSS MiB | history RSS MiB | floor s | floor with AOT cache s |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", v["list_s"], v["describe_s"], v["history_s"], v["get_ej_s"], v["ratio"], v["list_rss_mib"], v["describe_rss_mib"], v["history_rss_mib"], v["floor_s"], v["floor_aot_s"] }' <<<"$detail $line"
} >>docs/benchmarks.md
echo "$line"
