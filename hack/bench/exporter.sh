#!/usr/bin/env bash
# Exporter benchmark: exports N generated interactions to csv.gz, jsonl.gz and csv.zst on local
# disk, csv.gz again partitioned over 2 and 4 export processes (spec.output.parallelism, one
# snapshot shared as the pods of an Indexed Job share it) and, side by side, the same rows with `psql \copy ...` to /dev/null (the read ceiling: one
# backend's single ordered COPY), `| gzip` and `| zstd -3`. Measures wall time, records/s, MB/s
# written, CPU and peak RSS (GNU time). Appends the results to docs/benchmarks.md.
#
#   hack/bench/exporter.sh [--rows N]... [--encrypt] [--java-opts "OPTIONS"] [--layout random|time]
#                                       default: --rows 1000000 --rows 10000000 --layout random
#
# --layout: how the interactions lie on disk. random (the default): as the generator writes them,
# in random order of started_at, so that every read in started_at order (the exporter's and psql's
# alike) fetches a heap page per row once the table outgrows shared_buffers. time: stored in
# started_at order (CLUSTER), as a table that interactions are appended to as they happen is.
# --java-opts replaces the exporter JVM's options (default: -Xmx256m -XX:+UseSerialGC, as an export
# pod's JVM runs under a memory limit below 1792 MiB). Every exporter JVM starts, as in the image,
# from a class data sharing archive of its start (hack/class-list.sh, docs/image.md).
# --encrypt writes every file encrypted to a throw-away RSA 2048 certificate (CMS, .p7m), and checks
# that the first part decrypts with openssl into gzip (or zstd) that reads to the end.
#
# Last line: exporter: rows=N csv.gz ratio_vs_psql_gzip=X.XX jsonl.gz records_per_s=N peak_rss_mib=N
#   csv_zst_ratio_vs_read=X.XX parallel_ratio_vs_psql_gzip=X.XX
# (parallel_ratio_vs_psql_gzip: csv.gz with parallelism 2; peak_rss_mib: of any one process.)
set -euo pipefail
cd "$(dirname "$0")/../.."

rows=()
encrypt=false
java_opts="-Xmx256m -XX:+UseSerialGC"
custom_opts=false
layout=random
while (($#)); do
  case "$1" in
    --rows) rows+=("$2"); shift 2 ;;
    --encrypt) encrypt=true; shift ;;
    --java-opts) java_opts=$2; custom_opts=true; shift 2 ;;
    --layout) layout=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N]... [--encrypt] [--java-opts \"OPTIONS\"] [--layout random|time]" >&2; exit 2 ;;
  esac
done
((${#rows[@]})) || rows=(1000000 10000000)
[[ $layout == random || $layout == time ]] || { echo "--layout is random or time, not $layout" >&2; exit 2; }

JAR=operator/target/cdds-operator.jar
[[ -f "$JAR" && -d localcluster/target/classes ]] || mvn -B -q -DskipTests package
# The sample data comes from the local cluster's module, not from the product.
mvn -B -q -pl localcluster dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=target/classpath >/dev/null
SAMPLE_CP=localcluster/target/classes:$(cat localcluster/target/classpath)
# As an export pod's JVM runs: with the default 512Mi limit (under 1792 MiB) the JVM picks the serial
# collector by itself; on this larger machine it would pick G1, which costs CPU and memory here.
read -r -a JAVA_OPTS <<<"$java_opts"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /var/tmp/cdds-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export PGPASSWORD=bench
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
bash hack/class-list.sh "$JAR" "$WORK/classes.lst"
java -Xshare:dump -XX:SharedClassListFile="$WORK/classes.lst" -XX:SharedArchiveFile="$WORK/cdds.jsa" \
  -cp "$JAR" >/dev/null 2>&1
java -Xshare:on -XX:SharedArchiveFile="$WORK/cdds.jsa" -cp "$JAR" -version >/dev/null 2>&1 \
  || { echo "the class data sharing archive does not fit $JAR" >&2; exit 1; }
JAVA_OPTS+=(-XX:SharedArchiveFile="$WORK/cdds.jsa")

[[ $(id -u) == 0 ]] && chown postgres "$WORK"
echo "$PGPASSWORD" >"$WORK/pw"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U bench --pwfile="$WORK/pw" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c shared_buffers=256MB" start >/dev/null
URL="jdbc:postgresql://127.0.0.1:$PORT/postgres"
encryption=""
if $encrypt; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 1 -subj /CN=bench 2>/dev/null
  encryption=',"encryption":{"certificateSecretRef":{"name":"bench"}}'
  export CDDS_ENCRYPTION_CERTIFICATE
  CDDS_ENCRYPTION_CERTIFICATE=$(cat "$WORK/cert.pem")
fi
COLUMNS="id, contact_id, media_type, direction, status, subject, queue, agent_id, started_at, ended_at, tenant_id, attributes"

# Runs a command under GNU time; prints "wall user sys maxrss_kib".
measure() { /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null; cat "$WORK/time"; }

export_run() { # format [compression] -> "wall user sys rss bytes"
  local format=$1 compression=${2:-gzip} out="$WORK/out-$1-${2:-gzip}"
  rm -rf "$out"; mkdir -p "$out"
  # Interactions only, as the psql side exports them: attachments are a file set of their own.
  local spec="{\"source\":{\"system\":\"ContactHistory\",\"type\":\"Interaction\",\"includeAttachments\":false},\"schedule\":{\"run\":\"Once\"},\"timeframe\":{\"type\":\"All\"},\"output\":{\"format\":\"$format\",\"compression\":\"$compression\"$encryption}}"
  local t
  t=$(CDDS_SPEC="$spec" CDDS_RUN_ID=bench-29924000 CDDS_NAMESPACE=bench CDDS_EXPORTJOB=bench \
    CDDS_SOURCE_URL="$URL" CDDS_SOURCE_USER=bench CDDS_SOURCE_PASSWORD="$PGPASSWORD" \
    CDDS_OUTPUT_DIR="$out" CDDS_TERMINATION_LOG="$WORK/termination-$format-$compression" \
    measure java "${JAVA_OPTS[@]}" -jar "$JAR" export --progress=log)
  grep -q '"result":"Succeeded"' "$WORK/termination-$format-$compression" || { cat "$WORK/termination-$format-$compression" >&2; exit 1; }
  if $encrypt; then
    openssl cms -decrypt -inform DER -in "$(ls "$out"/bench/bench/*/part-00000.*)" -recip "$WORK/cert.pem" -inkey "$WORK/key.pem" | "$compression" -t \
      || { echo "[bench] $format: the first part does not decrypt to valid $compression" >&2; exit 1; }
  fi
  echo "$t $(du -cb "$out"/bench/bench/*/part-* | tail -1 | cut -f1)"
}

export_parallel() { # pods -> "wall rss bytes": csv.gz read by that many processes at once
  local pods=$1 out="$WORK/out-csv-p$1"
  rm -rf "$out"; mkdir -p "$out"
  local spec="{\"source\":{\"system\":\"ContactHistory\",\"type\":\"Interaction\",\"includeAttachments\":false},\"schedule\":{\"run\":\"Once\"},\"timeframe\":{\"type\":\"All\"},\"output\":{\"format\":\"csv\",\"compression\":\"gzip\",\"parallelism\":$pods$encryption}}"
  local start i
  start=$(date +%s.%N)
  for ((i = 0; i < pods; i++)); do
    JOB_COMPLETION_INDEX=$i CDDS_SPEC="$spec" CDDS_RUN_ID=bench-29924000 CDDS_NAMESPACE=bench CDDS_EXPORTJOB=bench \
      CDDS_SOURCE_URL="$URL" CDDS_SOURCE_USER=bench CDDS_SOURCE_PASSWORD="$PGPASSWORD" \
      CDDS_OUTPUT_DIR="$out" CDDS_TERMINATION_LOG="$WORK/termination-p$pods-$i" \
      /usr/bin/time -f '%M' -o "$WORK/rss-p$pods-$i" java "${JAVA_OPTS[@]}" -jar "$JAR" export --progress=log >/dev/null 2>&1 &
  done
  wait
  local wall
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  for ((i = 0; i < pods; i++)); do
    grep -q '"result":"Succeeded"' "$WORK/termination-p$pods-$i" || { cat "$WORK/termination-p$pods-$i" >&2; exit 1; }
  done
  grep -q "\"records\":$n," "$WORK/termination-p$pods-0" || { echo "[bench] parallelism $pods: not $n records" >&2; cat "$WORK/termination-p$pods-0" >&2; exit 1; }
  echo "$wall $(cat "$WORK"/rss-p"$pods"-* | sort -n | tail -1) $(du -cb "$out"/bench/bench/*/part-* | tail -1 | cut -f1)"
}

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')"
results=()
for n in "${rows[@]}"; do
  echo "[bench] loading $n interactions" >&2
  java -cp "$SAMPLE_CP" dev.cdds.localcluster.GenerateSample --url "$URL" --user bench --rows "$n" --seed 1 >&2
  if [[ $layout == time ]]; then
    psql -q -h 127.0.0.1 -p "$PORT" -U bench -d postgres -c "CLUSTER interactions USING interactions_started_at" >&2
  fi
  # Every path below reads the table in the same state: the first read after a bulk load would
  # otherwise set the hint bits of every row and write each page again, and whichever path runs
  # first (the exporter's csv.gz) would pay for it alone.
  psql -q -h 127.0.0.1 -p "$PORT" -U bench -d postgres -c "VACUUM (FREEZE, ANALYZE)" -c "CHECKPOINT" >&2
  read -r csv_wall csv_user csv_sys csv_rss csv_bytes <<<"$(export_run csv)"
  read -r json_wall json_user json_sys json_rss json_bytes <<<"$(export_run jsonl)"
  read -r zst_wall zst_user zst_sys zst_rss zst_bytes <<<"$(export_run csv zstd)"
  read -r p2_wall p2_rss p2_bytes <<<"$(export_parallel 2)"
  read -r p4_wall p4_rss _ <<<"$(export_parallel 4)"
  copy="psql -h 127.0.0.1 -p $PORT -U bench -d postgres -c \"\\copy (SELECT $COLUMNS FROM interactions ORDER BY started_at, id) TO STDOUT WITH CSV HEADER\""
  read -r read_wall _ <<<"$(measure bash -c "$copy >/dev/null")"
  read -r psql_wall psql_user psql_sys psql_rss <<<"$(measure bash -c "$copy | gzip >'$WORK/psql.csv.gz'")"
  psql_bytes=$(stat -c %s "$WORK/psql.csv.gz")
  read -r pzst_wall _ <<<"$(measure bash -c "$copy | zstd -q -3 >'$WORK/psql.csv.zst'")"
  line=$(awk -v n="$n" -v cw="$csv_wall" -v pw="$psql_wall" -v jw="$json_wall" -v cr="$csv_rss" -v jr="$json_rss" -v zr="$zst_rss" -v zw="$zst_wall" -v rw="$read_wall" \
    -v p2w="$p2_wall" -v p2r="$p2_rss" -v p4r="$p4_rss" \
    'BEGIN { rss = (cr > jr ? cr : jr); rss = (rss > zr ? rss : zr); rss = (rss > p2r ? rss : p2r); rss = (rss > p4r ? rss : p4r) / 1024; printf "exporter: rows=%d csv.gz ratio_vs_psql_gzip=%.2f jsonl.gz records_per_s=%d peak_rss_mib=%d csv_zst_ratio_vs_read=%.2f parallel_ratio_vs_psql_gzip=%.2f", n, pw / cw, n / jw, rss, rw / zw, pw / p2w }')
  row=$(awk -v n="$n" -v cw="$csv_wall" -v cu="$csv_user" -v cs="$csv_sys" -v cr="$csv_rss" -v cb="$csv_bytes" \
    -v jw="$json_wall" -v ju="$json_user" -v js="$json_sys" -v jr="$json_rss" -v jb="$json_bytes" \
    -v pw="$psql_wall" -v pb="$psql_bytes" \
    -v zw="$zst_wall" -v zu="$zst_user" -v zs="$zst_sys" -v zr="$zst_rss" -v zb="$zst_bytes" -v rw="$read_wall" -v qw="$pzst_wall" \
    -v p2w="$p2_wall" -v p2r="$p2_rss" -v p2b="$p2_bytes" -v p4w="$p4_wall" -v p4r="$p4_rss" \
    'BEGIN { printf "| %d | csv.gz %.1f s, %d rec/s, %.1f MB/s, CPU %.1f s, RSS %d MiB | jsonl.gz %.1f s, %d rec/s, %.1f MB/s, CPU %.1f s, RSS %d MiB | csv.zst %.1f s, %d rec/s, %.1f MB, CPU %.1f s, RSS %d MiB | csv.gz ×2 %.1f s, %.1f MB/s, RSS %d MiB each at most | csv.gz ×4 %.1f s, RSS %d MiB | %.1f s | psql+gzip %.1f s, %.1f MB/s | %.1f s | %.2f | %.2f | %.2f |", n, cw, n/cw, cb/cw/1e6, cu+cs, cr/1024, jw, n/jw, jb/jw/1e6, ju+js, jr/1024, zw, n/zw, zb/1e6, zu+zs, zr/1024, p2w, p2b/p2w/1e6, p2r/1024, p4w, p4r/1024, rw, pw, pb/pw/1e6, qw, pw/cw, rw/zw, pw/p2w }')
  results+=("$row")
  echo "$line"
done

{
  echo
  echo "### Exporter, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)"
  echo
  echo "Command: \`hack/bench/exporter.sh$(printf ' --rows %s' "${rows[@]}")$($encrypt && echo ' --encrypt')$($custom_opts && echo " --java-opts \"$java_opts\"")$([[ $layout == time ]] && echo " --layout time")\`; machine: $machine; exporter JVM $java_opts, with the class data sharing archive of its start."
  if [[ $layout == time ]]; then
    echo "Interactions stored in started_at order (CLUSTER), as an append-only table holds them: an ordered read is sequential."
  else
    echo "Interactions stored in random order of started_at, as the generator writes them: an ordered read fetches a heap page per row once the table outgrows shared_buffers (256 MB)."
  fi
  $encrypt && echo "Files encrypted to an RSA 2048 certificate (CMS enveloped-data, AES-256-CBC); the psql side is not."
  echo "MB/s is compressed output written (csv.zst: its total size); read ceiling is \`psql \\copy\` of the same rows to /dev/null. ×2, ×4: parallelism 2 and 4, that many export processes at once reading one shared snapshot, wall time from the first start to the last exit. Ratios: psql+gzip wall time over csv.gz's, the read ceiling's over csv.zst's, psql+gzip's over csv.gz ×2's (≥ 1 means faster)."
  echo
  echo "| rows | csv.gz | jsonl.gz | csv.zst | csv.gz, parallelism 2 | csv.gz, parallelism 4 | read ceiling | psql \\copy \\| gzip | psql \\copy \\| zstd -3 | csv.gz vs psql+gzip | csv.zst vs read | ×2 vs psql+gzip |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${results[@]}"
} >>docs/benchmarks.md
echo "$line"
