#!/usr/bin/env bash
# Every performance target of BENCHMARKS.md's first section, measured on one build, twice, in
# alternating order of the backends. Each summary line names its run and the load average at its
# start, so that a busy machine shows; each run's whole output is kept in OUT_DIR.
#
#   bash scripts/bench-targets.sh BINARY OUT_DIR
#
# lifecycle: 1 and 16 clients over 300 cases, 64 over 640 (SQLite), and 16 clients over 3,000;
# http: the routes at 64 connections for 10 s; stats: a year over 1,000,000 cases (generated once
# per backend, then measured three times).
#
# Needs `createdb`/`dropdb` reaching PostgreSQL at 127.0.0.1:5432 as `postgres`, and wrk.
set -euo pipefail
exe=$1
out=$2
mkdir -p "$out"
cd /tmp
pg=postgres://postgres@127.0.0.1:5432
fresh_db() {
  local db="mz_targets_$1_$RANDOM"
  createdb -h 127.0.0.1 -U postgres "$db"
  echo "$db"
}
# One run of `minzheng bench …` on a fresh database of the backend: its output kept, its figures
# printed on one line.
run() {
  local name=$1 backend=$2
  shift 2
  local db="" args=()
  if [ "$backend" = postgres ]; then
    db=$(fresh_db "$name")
    args=(--db "$pg/$db")
  fi
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  "$exe" bench "$@" "${args[@]}" >"$out/$name.txt" 2>&1
  local figures
  figures=$(grep -o 'transitions_per_s=[0-9]* raw_txn_per_s=[0-9]* ratio=[0-9.]*\|^[a-z_]* .*p99_ms=[0-9.]*\|raw_txn_per_s=[0-9]* ratio_to_raw_txn=[0-9.]*' \
    "$out/$name.txt" | sed 's/ requests=[0-9]*//' | tr '\n' ' ')
  echo "$name load=$load $figures" | tee -a "$out/summary.txt"
  if [ -n "$db" ]; then dropdb -h 127.0.0.1 -U postgres "$db"; fi
}
for round in 1 2; do
  order="sqlite postgres"
  [ "$round" = 2 ] && order="postgres sqlite"
  for backend in $order; do
    run "lifecycle_${backend}_1_r$round" "$backend" lifecycle --cases 300 --concurrency 1
    run "lifecycle_${backend}_16_r$round" "$backend" lifecycle --cases 300 --concurrency 16
    # 64 clients on SQLite only: the PostgreSQL probe's 64 connections and the store's pools
    # together pass the server's max_connections (100).
    if [ "$backend" = sqlite ]; then
      run "lifecycle_${backend}_64_r$round" "$backend" lifecycle --cases 640 --concurrency 64
    fi
    run "lifecycle_${backend}_16x3000_r$round" "$backend" lifecycle --cases 3000 --concurrency 16
    run "http_${backend}_r$round" "$backend" http --duration 10
  done
done
key=$(openssl rand -hex 32)
for backend in sqlite postgres; do
  if [ "$backend" = postgres ]; then
    db=$(fresh_db stats)
    url="$pg/$db"
  else
    rm -rf /tmp/mz_targets_stats && mkdir -p /tmp/mz_targets_stats
    url=sqlite:///tmp/mz_targets_stats/s.db
  fi
  MINZHENG_DATA_KEY=$key "$exe" bench stats --cases 1000000 --copies-of 10000 --db "$url" >"$out/stats_$backend.txt" 2>&1
  figures=$(grep -o 'period=year service_stats_ms=[0-9.]*\|annual_report_indicators_ms=[0-9.]*\|same_figures=[a-z]*\|aggregate_drift=[0-9]*' \
    "$out/stats_$backend.txt" | tr '\n' ' ')
  echo "stats_$backend load=$(cut -d' ' -f1 /proc/loadavg) $figures" | tee -a "$out/summary.txt"
  if [ "$backend" = postgres ]; then dropdb -h 127.0.0.1 -U postgres "$db"; else rm -rf /tmp/mz_targets_stats; fi
done
