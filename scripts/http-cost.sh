#!/usr/bin/env bash
# What one case read and one submission cost the server on PostgreSQL, independent of the machine's
# load: the statements per request (from PostgreSQL's own statement log for the database) and the
# server's CPU per request (perf stat task-clock over a wrk run, divided by the requests), and the
# whole machine's (server, PostgreSQL and wrk: the busy time in /proc/stat, divided the same way).
#
#   bash scripts/http-cost.sh statements target/release/minzheng mz_http_cost
#   bash scripts/http-cost.sh cpu        target/release/minzheng mz_http_cost 10
#
# `statements` (re)creates the database: the fixture of `bench http` (a one-second run), an added
# clerk, then 50 sequential reads and 50 submissions with the bench's body, counted in the log.
# `cpu` uses a database `statements` made. Needs wrk, perf, curl, python3, psql; PGLOG is the
# server's log file (log_line_prefix with %d, as Debian's default).
set -euo pipefail
MODE=$1; BIN=$2; DB=$3; SECONDS_RUN=${4:-10}; N=${N:-50}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
PGLOG=${PGLOG:-/var/log/postgresql/postgresql-15-main.log}
PORT=${PORT:-18931}
export MINZHENG_DATA_KEY=${MINZHENG_DATA_KEY:-0101010101010101010101010101010101010101010101010101010101010101}
WORK=$(mktemp -d)
if [ "$MODE" = statements ]; then
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  "$BIN" bench http --db "$PG/$DB" --duration 1 --connections 2 --threads 1 >/dev/null 2>&1 || true
  printf 'count-pass-2026\n' | "$BIN" user add --db "$PG/$DB" --checkpoint-file "$WORK/checkpoint.json" \
    --name countclerk --role clerk --division 511700 --password-stdin >/dev/null 2>&1
  psql -q "$PG/postgres" -c "ALTER DATABASE $DB SET log_statement = 'all'"
fi
"$BIN" serve --db "$PG/$DB" --addr "127.0.0.1:$PORT" --checkpoint-file "$WORK/checkpoint.json" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"username":"countclerk","password":"count-pass-2026"}' "http://127.0.0.1:$PORT/api/v1/auth/token" |
  python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
APPLICANT=$(psql -At "$PG/$DB" -c "SELECT min(id) FROM persons")
CASE=$(psql -At "$PG/$DB" -c "SELECT min(id) FROM cases")
python3 - "$TOKEN" "$APPLICANT" "$CASE" "$WORK" <<'PY'
import json, sys
token, applicant, case, work = sys.argv[1:]
body = json.dumps({
    "item": "social-group-change-registration", "channel": "window",
    "applicant": {"person_id": int(applicant)}, "accepting_division": "511700",
    "situation": "change_name_scope",
    "materials": ["application", "sponsor_approval", "meeting_resolution", "certificate"],
    "data": {"premises_division": "511700"},
    "facts": {"organization": {"name": "达州市青年志愿者协会", "credit_code": "515117025041234500",
                               "division": "511702"},
              "change_before": "名称：达州市青年志愿者协会", "change_after": "名称：达州市志愿服务协会"}})
quote = lambda s: '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'
auth = f'wrk.headers["Authorization"]="Bearer {token}"\n'
open(f"{work}/read.lua", "w").write(f'wrk.method="GET"\nwrk.path="/api/v1/cases/{case}"\n' + auth)
open(f"{work}/submit.lua", "w").write(
    f'wrk.method="POST"\nwrk.path="/api/v1/cases"\nwrk.body={quote(body)}\n'
    'wrk.headers["Content-Type"]="application/json"\n' + auth)
open(f"{work}/body.json", "w").write(body)
PY
if [ "$MODE" = statements ]; then
  for _ in 1 2 3; do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/cases/$CASE"; done
  statements() { tail -n +$(($1 + 1)) "$PGLOG" | grep "@$DB " | grep -E "LOG:  (execute|statement)" || true; }
  for route in read submit; do
    from=$(wc -l <"$PGLOG")
    for _ in $(seq 1 "$N"); do
      if [ $route = read ]; then
        curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/cases/$CASE"
      else
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
          -H "Authorization: Bearer $TOKEN" --data-binary "@$WORK/body.json" "http://127.0.0.1:$PORT/api/v1/cases"
      fi
    done | sort | uniq -c | tr '\n' ' '
    sleep 0.5
    echo "$route: $(statements "$from" | wc -l) statements / $N requests"
    statements "$from" | sed -E 's/.*LOG:  (execute [^:]*|statement): //' | cut -c1-90 | sort | uniq -c | sort -rn
  done
  psql -q "$PG/postgres" -c "ALTER DATABASE $DB RESET log_statement"
else
  # The whole machine's busy time so far (every CPU, all but idle and iowait), in ms.
  busy_ms() { awk '/^cpu / {print ($2 + $3 + $4 + $7 + $8 + $9) * 1000 / '"$(getconf CLK_TCK)"'}' /proc/stat | cut -d. -f1; }
  for route in read submit; do
    perf stat -e task-clock -x, -o "$WORK/perf.txt" -p "$SERVER" -- sleep $((SECONDS_RUN + 1)) &
    PERF=$!
    BUSY_BEFORE=$(busy_ms)
    OUT=$(wrk -t2 -c64 -d"${SECONDS_RUN}s" --timeout 10s --latency -s "$WORK/$route.lua" "http://127.0.0.1:$PORT")
    BUSY=$(($(busy_ms) - BUSY_BEFORE))
    wait $PERF
    REQUESTS=$(echo "$OUT" | grep -oE "^ +[0-9]+ requests" | grep -oE "[0-9]+")
    CLOCK=$(grep task-clock "$WORK/perf.txt" | cut -d, -f1)
    echo "$route requests=$REQUESTS per_s=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')" \
      "p50=$(echo "$OUT" | awk '$1 == "50%" {print $2}') p99=$(echo "$OUT" | awk '$1 == "99%" {print $2}')" \
      "server_task_clock_ms=$CLOCK server_us_per_request=$(python3 -c "print(round($CLOCK * 1000 / $REQUESTS))")" \
      "machine_busy_ms=$BUSY machine_us_per_request=$(python3 -c "print(round($BUSY * 1000 / $REQUESTS))")" \
      "load=$(cut -d' ' -f1-3 /proc/loadavg) $(echo "$OUT" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ')"
  done
fi
