#!/usr/bin/env bash
# Two builds side by side on one machine, alternating A and B, twice. Each line starts with the
# load average, so that a busy machine shows.
#
#   bash scripts/bench-ab.sh A_BINARY B_BINARY OUT_DIR [lifecycle|http]
#
# lifecycle (the default): `bench lifecycle` at 1 and 16 clients, on SQLite (a fresh file in /tmp)
# and PostgreSQL (a fresh database each run). http: `bench http` on PostgreSQL (a fresh database
# each run), its case read and submission lines; each run's whole output is kept in OUT_DIR.
#
# Needs `createdb`/`dropdb` reaching PostgreSQL at 127.0.0.1:5432 as `postgres`.
set -euo pipefail
a=$1
b=$2
out=$3
bench=${4:-lifecycle}
mkdir -p "$out"
cd /tmp
fresh_db() {
  local db="mz_ab_$1_$RANDOM"
  createdb -h 127.0.0.1 -U postgres "$db"
  echo "$db"
}
for round in 1 2; do
  if [ "$bench" = http ]; then
    for which in A B; do
      exe=$a
      [ "$which" = B ] && exe=$b
      db=$(fresh_db "http_${which}_${round}")
      load=$(cut -d' ' -f1 /proc/loadavg)
      "$exe" bench http --duration 10 --db "postgres://postgres@127.0.0.1:5432/$db" >"$out/http_${which}_${round}.txt" 2>&1
      figures=$(grep -o 'case_read.*p99_ms=[0-9.]*\|case_submit.*p99_ms=[0-9.]*\|raw_txn_per_s=[0-9]* ratio_to_raw_txn=[0-9.]*' \
        "$out/http_${which}_${round}.txt" | sed 's/ requests=[0-9]*//' | tr '\n' ' ')
      echo "round=$round build=$which load=$load $figures" | tee -a "$out/http.txt"
      dropdb -h 127.0.0.1 -U postgres "$db"
    done
    continue
  fi
  for clients in 1 16; do
    for backend in sqlite postgres; do
      for which in A B; do
        exe=$a
        [ "$which" = B ] && exe=$b
        args=()
        db=""
        if [ "$backend" = postgres ]; then
          db=$(fresh_db "${which}_${round}_${clients}")
          args=(--db "postgres://postgres@127.0.0.1:5432/$db")
        fi
        load=$(cut -d' ' -f1 /proc/loadavg)
        figures=$("$exe" bench lifecycle --cases 300 --concurrency "$clients" "${args[@]}" 2>&1 |
          grep -o "transitions_per_s=[0-9]* raw_txn_per_s=[0-9]* ratio=[0-9.]*\|submissions per transaction [0-9.]*" | tr '\n' ' ')
        echo "round=$round clients=$clients backend=$backend build=$which load=$load $figures" | tee -a "$out/lifecycle.txt"
        if [ -n "$db" ]; then dropdb -h 127.0.0.1 -U postgres "$db"; fi
      done
    done
  done
done
