#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md in one command: bash bench/run.sh [SCALE]   (default 100)
# Builds release binaries, starts the service on a private local PostgreSQL (bench/.data, fresh each
# run), writes scaled fictional data (bench/scale.sql), runs the benchmarks, prints one RESULT line
# each and writes bench/results/<date>-scale<SCALE>.json. Installs wrk (Debian) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-100}
DURATION=${BENCH_SECONDS:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
CONFIGURATION=${BENCH_CONFIGURATION:-release}   # `debug` only to try the script itself
[ -n "${BENCH_SKIP_BUILD:-}" ] || swift build -c "$CONFIGURATION" --product dubbelslot >/dev/null
[ -n "${BENCH_SKIP_BUILD:-}" ] || swift build -c "$CONFIGURATION" --product dubbelslot-report >/dev/null
BIN=.build/$CONFIGURATION/dubbelslot
REPORT=.build/$CONFIGURATION/dubbelslot-report
PORT=8390
rm -rf bench/.data bench/.ids
mkdir -p bench/results
LOG=$(mktemp)
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() { # port → milliseconds until /health/ready answers 200
  local start=$(date +%s%N)
  until curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null; do sleep 0.01; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

"$BIN" serve --config bench/dubbelslot-bench.yaml >"$LOG" 2>&1 &
SERVER=$!
until grep -q "DUBBELSLOT_DATABASE_URL" "$LOG"; do sleep 0.5; kill -0 $SERVER || { cat "$LOG"; exit 1; }; done
wait_ready $PORT >/dev/null
DBURL=$(grep "DUBBELSLOT_DATABASE_URL" "$LOG" | sed "s/.*='\(.*\)'/\1/")
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -U postgres "$DBURL")
ANALYST=$(grep "export ANALYST=" "$LOG" | sed 's/.*=//')
SIGNALLER=$(grep "export SIGNALLER=" "$LOG" | sed 's/.*=//')

t0=$(date +%s%N)
"${PSQL[@]}" -v scale="$SCALE" -f bench/scale.sql
GENERATE_S=$(echo "scale=1; ($(date +%s%N) - $t0) / 1000000000" | bc | sed "s/^\./0./")
COUNTS=$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM schools) || ' ' || (SELECT count(*) FROM fraud_signals) || ' ' || (SELECT count(*) FROM supervision_visits) || ' ' || (SELECT count(*) FROM quality_mark_decisions)")
echo "RESULT generate scale=$SCALE seconds=$GENERATE_S schools/signals/visits/decisions=$COUNTS"
"${PSQL[@]}" -c "SELECT id FROM schools WHERE kvk_number LIKE '0009%'" > bench/.ids
# The same schools numbered for pgbench (bench/overview.pgbench picks one by number).
"${PSQL[@]}" -c "CREATE TABLE bench_school_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM schools WHERE kvk_number LIKE '0009%';
                 CREATE UNIQUE INDEX ON bench_school_ids (n)"
NSCHOOLS=$(wc -l < bench/.ids)
RSS_REST=$(rss_mb $SERVER)

# startup: a second process on the running database, start to /health/ready.
STARTS=()
for i in 1 2 3; do
  "$BIN" serve --config bench/dubbelslot-bench.yaml --database-url "$DBURL" --port 8391 >/dev/null 2>&1 &
  OTHER=$!
  STARTS+=("$(wait_ready 8391)")
  kill $OTHER; wait $OTHER 2>/dev/null || true
done
STARTUP_MS=$(printf '%s\n' "${STARTS[@]}" | sort -n | sed -n 2p)
echo "RESULT startup median_ms=$STARTUP_MS runs=${STARTS[*]}"

# overview-first: the first overview of every benchmark school, 8 at a time. Nothing is kept yet, so
# each one reads and assesses all of the school's evidence; the runs after it find the overviews
# kept, as they are between two changes of a school's evidence (docs/decisions/0022).
t0=$(date +%s%N)
xargs -P 8 -I{} curl -sf -o /dev/null -H "Authorization: Bearer $ANALYST" "http://127.0.0.1:$PORT/v1/schools/{}/overview" < bench/.ids
FIRST_S=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc | sed "s/^\./0./")
FIRST_RPS=$(echo "scale=1; $NSCHOOLS / $FIRST_S" | bc)
echo "RESULT overview-first schools=$NSCHOOLS seconds=$FIRST_S requests_per_s=$FIRST_RPS"

# overview: the service under wrk beside pgbench running the endpoint's statements.
TOKENHASH=$(printf %s "$ANALYST" | sha256sum | cut -d' ' -f1)
declare -A RPS P50 P99 TPS
for c in 1 8 32; do
  threads=$(( c < 2 ? 1 : 2 ))
  line=$(BENCH_TOKEN=$ANALYST wrk -t$threads -c$c -d${DURATION}s -s bench/overview.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
  RPS[$c]=$(sed 's/.*requests_per_s=\([0-9.]*\).*/\1/' <<<"$line"); P50[$c]=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<<"$line")
  P99[$c]=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line")
  TPS[$c]=$(pgbench -n -M extended -c $c -j $threads -T "$DURATION" -f bench/overview.pgbench -D nschools="$NSCHOOLS" -D tokenhash="$TOKENHASH" \
            -U postgres "$DBURL" 2>/dev/null | awk '/^tps/ {print $3}')
  echo "RESULT overview connections=$c requests_per_s=${RPS[$c]} p50_ms=${P50[$c]} p99_ms=${P99[$c]} pgbench_tps=${TPS[$c]} ratio=$(echo "scale=2; ${RPS[$c]} / ${TPS[$c]}" | bc)"
done
RSS_LOAD=$(rss_mb $SERVER)
echo "RESULT rss rest_mb=$RSS_REST after_overview_mb=$RSS_LOAD"

# overview-list: the largest municipality (Amsterdam, GM0363), 8 connections.
cat > bench/.list.lua <<LUA
request = function() return wrk.format("GET", "/v1/overview?municipality=GM0363", { ["Authorization"] = "Bearer $ANALYST" }) end
done = function(s, l, r) io.write(string.format("RESULT requests_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n", s.requests / (s.duration / 1e6), l:percentile(50) / 1000, l:percentile(99) / 1000)) end
LUA
LIST=$(wrk -t2 -c8 -d${DURATION}s -s bench/.list.lua "http://127.0.0.1:$PORT" | grep '^RESULT' | sed 's/RESULT //')
echo "RESULT overview-list municipality=GM0363 $LIST"

# report: every section over the whole history, wall time and peak memory of client and server.
RSS_BEFORE=$(rss_mb $SERVER)
REPORT_OUT=$( { /usr/bin/time -f "%e %M" env DUBBELSLOT_URL="http://127.0.0.1:$PORT" DUBBELSLOT_TOKEN="$ANALYST" \
  "$REPORT" --from 2016-01-01 --to 2027-01-01 --format json --output /dev/null; } 2>&1 | tail -1)
REPORT_S=$(cut -d' ' -f1 <<<"$REPORT_OUT"); REPORT_KB=$(cut -d' ' -f2 <<<"$REPORT_OUT")
echo "RESULT report wall_s=$REPORT_S client_peak_mb=$(echo "scale=1; $REPORT_KB / 1024" | bc) server_rss_mb=$(rss_mb $SERVER) server_rss_before_mb=$RSS_BEFORE"

# intake: POST /v1/signals with audit. "one": 8 connections from one municipality (Amsterdam); 8 and 32:
# connections spread over 8 municipalities. Then every acknowledged signal exactly once, the chain
# verified, and the longest any entry waited to be sequenced.
TOKENS="GM0363=$SIGNALLER"
for code in GM0344 GM0599 GM0518 GM0014 GM0193 GM0202 GM0772; do
  TOKENS="$TOKENS,$code=$("$BIN" token create --role signaller --municipality $code --label bench --database-url "$DBURL")"
done
declare -A INTAKE INTAKE99 INTAKE_OK
for run in one 8 32; do
  c=${run/one/8}; tokens=$TOKENS; [ "$run" = one ] && tokens="GM0363=$SIGNALLER"
  before=$("${PSQL[@]}" -c "SELECT count(*) FROM fraud_signals WHERE summary LIKE 'Benchmarkmelding run$run-%'")
  line=$(BENCH_TOKENS=$tokens BENCH_RUN="run$run" wrk -t2 -c$c -d${DURATION}s -s bench/intake.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
  requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line"); non2xx=$(sed 's/.*non2xx=\([0-9]*\).*/\1/' <<<"$line")
  INTAKE[$run]=$(sed 's/.*per_s=\([0-9.]*\).*/\1/' <<<"$line"); INTAKE99[$run]=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line")
  stored=$("${PSQL[@]}" -c "SELECT count(*) || ' ' || count(DISTINCT summary) FROM fraud_signals WHERE summary LIKE 'Benchmarkmelding run$run-%'")
  INTAKE_OK[$run]="acknowledged=$((requests - non2xx)) stored=${stored% *} distinct=${stored#* }"
  echo "RESULT intake run=$run connections=$c accepted_per_s=${INTAKE[$run]} p99_ms=${INTAKE99[$run]} ${INTAKE_OK[$run]}"
done
# wrk stops mid-request at the deadline: a request cut off may be stored without being acknowledged.
sleep 1
CHAIN=$("$BIN" audit verify --database-url "$DBURL" 2>&1 || true)
WAIT=$("${PSQL[@]}" -c "SELECT round(max(extract(epoch FROM sequenced_at - appended_at))::numeric, 3) FROM audit_log")
echo "RESULT audit $CHAIN; longest wait before sequencing ${WAIT} s"

# import: a schools register CSV (default 99,999 rows: the whole fictional KvK range 00000001-00099999).
ROWS=${BENCH_IMPORT_ROWS:-99999}
CSV=$(mktemp --suffix=.csv)
{ echo "kvkNumber,name,municipalityCode,routes"; seq 1 "$ROWS" | awk '{printf "%08d,Importtest Voorbeeld %d B.V.,GM0363,b1Route|zRoute\n", $1, $1}'; } > "$CSV"
t0=$(date +%s%N)
"$BIN" import schools "$CSV" --database-url "$DBURL" >/dev/null
IMPORT_S=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
IMPORT_RPS=$(echo "$ROWS / $IMPORT_S" | bc)
# The ceiling: PostgreSQL's own COPY (psql \copy) of the same rows into an empty copy of `schools`
# with the same indexes and checks (no foreign keys, no name keys, no audit entry, no validation).
CEILING_CSV=$(mktemp --suffix=.csv)
seq 1 "$ROWS" | awk '{printf "%08d,Importtest Voorbeeld %d B.V.,GM0363,\"{b1Route,zRoute}\",bench\n", $1, $1}' > "$CEILING_CSV"
"${PSQL[@]}" -c "CREATE TABLE bench_schools_ceiling (LIKE schools INCLUDING ALL)"
t0=$(date +%s%N)
"${PSQL[@]}" -c "\\copy bench_schools_ceiling (kvk_number, name, municipality_code, routes, recorded_by) FROM '$CEILING_CSV' WITH (FORMAT csv)"
CEILING_S=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
CEILING_RPS=$(echo "$ROWS / $CEILING_S" | bc)
"${PSQL[@]}" -c "DROP TABLE bench_schools_ceiling"
echo "RESULT import rows=$ROWS seconds=$IMPORT_S rows_per_s=$IMPORT_RPS ceiling_seconds=$CEILING_S ceiling_rows_per_s=$CEILING_RPS ratio=$(echo "scale=2; $IMPORT_RPS / $CEILING_RPS" | bc)"
rm -f "$CSV" "$CEILING_CSV"

RESULT=bench/results/$(date -u +%Y-%m-%d)-scale$SCALE.json
cat > "$RESULT" <<JSON
{
  "date": "$(date -u +%FT%TZ)", "scale": $SCALE, "cores": $(nproc), "memoryMiB": $(free -m | awk '/Mem:/ {print $2}'),
  "data": "$COUNTS", "generateSeconds": $GENERATE_S, "startupMs": $STARTUP_MS,
  "overview": {"1": {"rps": ${RPS[1]}, "p50": ${P50[1]}, "p99": ${P99[1]}, "pgbenchTps": ${TPS[1]}},
               "8": {"rps": ${RPS[8]}, "p50": ${P50[8]}, "p99": ${P99[8]}, "pgbenchTps": ${TPS[8]}},
               "32": {"rps": ${RPS[32]}, "p50": ${P50[32]}, "p99": ${P99[32]}, "pgbenchTps": ${TPS[32]}}},
  "overviewFirst": {"seconds": $FIRST_S, "rps": $FIRST_RPS},
  "overviewList": "$LIST", "rssRestMiB": $RSS_REST, "rssAfterOverviewMiB": $RSS_LOAD,
  "report": {"wallSeconds": $REPORT_S, "clientPeakKiB": $REPORT_KB},
  "intake": {"oneMunicipality8": {"perSecond": ${INTAKE[one]}, "p99": ${INTAKE99[one]}, "check": "${INTAKE_OK[one]}"},
             "8": {"perSecond": ${INTAKE[8]}, "p99": ${INTAKE99[8]}, "check": "${INTAKE_OK[8]}"},
             "32": {"perSecond": ${INTAKE[32]}, "p99": ${INTAKE99[32]}, "check": "${INTAKE_OK[32]}"},
             "audit": "$CHAIN", "longestWaitSeconds": ${WAIT:-null}},
  "import": {"rows": $ROWS, "seconds": $IMPORT_S, "rowsPerSecond": $IMPORT_RPS,
             "ceilingSeconds": $CEILING_S, "ceilingRowsPerSecond": $CEILING_RPS}
}
JSON
echo "wrote $RESULT"
