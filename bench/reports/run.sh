#!/usr/bin/env bash
# Reports and ClickHouse at scale, beside SQLite (docs/performance.md, "Reports and ClickHouse"):
#   1. ingestion over HTTP: ithaca-gen posts realistic collect requests to a tracker on SQLite,
#      then to one on ClickHouse (events per second, acknowledged);
#   2. 10M+ events bulk-loaded into both stores (ithaca-gen --load), then every report timed
#      through the tracker's HTTP API (SQLite: roll-ups, after timing their catch-up);
#   3. SQLite only: every report under one filter on each dimension (its commonest value), one
#      run each, to find any over a second.
# Everything runs on loopback in a temporary folder; ClickHouse is started as an ordinary
# process on free ports. Takes 20-60 minutes at 10M events: not part of `make test`.
#
#   bash bench/reports/run.sh [--events 10000000] [--http-events 300000] [--days 30]
#                             [--build build/native] [--runs 5] [--keep] [--write-docs]
#                             [--work DIR]   (reuse a kept folder: its loaded stores are not loaded again)
#                             [--phases http,load,sqlite,clickhouse]   (default: all; results of earlier
#                              phases in the same --work folder are kept in results.sh and reported)
#                             [--keep-rollups]   (SQLite: measure on the roll-ups already in --work)
set -euo pipefail
cd "$(dirname "$0")/../.."

EVENTS=10000000
HTTP_EVENTS=300000
DAYS=30
BUILD=build/native
RUNS=5
KEEP=0
WRITE_DOCS=0
WORK=""
PHASES=http,load,sqlite,clickhouse
KEEP_ROLLUPS=0
while (($#)); do
  case "$1" in
    --events) EVENTS=$2; shift 2 ;;
    --http-events) HTTP_EVENTS=$2; shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --write-docs) WRITE_DOCS=1; shift ;;
    --work) WORK=$2; KEEP=1; shift 2 ;;
    --phases) PHASES=$2; shift 2 ;;
    --keep-rollups) KEEP_ROLLUPS=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
BIN=$BUILD/bin
for b in ithaca-tracker ithaca-gen; do
  [ -x "$BIN/$b" ] || { echo "build $BIN/$b first (make native)" >&2; exit 1; }
done
CH_SERVER=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
[ -x "$CH_SERVER" ] || { echo "clickhouse-server is not installed (make deps)" >&2; exit 1; }

[ -n "$WORK" ] || WORK=$(mktemp -d /tmp/ithaca-bench-reports.XXXXXX)
mkdir -p "$WORK"
LOADED=0
[ -f "$WORK/loaded" ] && LOADED=1
has_phase() { [[ ",$PHASES," == *",$1,"* ]]; }
# Results survive between runs on one --work folder, so phases can be run one at a time.
declare -A RESULT
[ -f "$WORK/results.sh" ] && source "$WORK/results.sh"
save() {  # variables; RESULT is saved key by key, so phases run side by side do not overwrite each other
  for v in "$@"; do
    if [ "$v" = RESULT ]; then
      for k in "${!RESULT[@]}"; do printf 'RESULT[%q]=%q\n' "$k" "${RESULT[$k]}"; done >> "$WORK/results.sh"
    else
      declare -p "$v" | sed 's/^declare -a /declare -ga /; s/^declare -- /declare -g /' >> "$WORK/results.sh"
    fi
  done
}
TOKEN=bench-admin-token-0123456789
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if ((KEEP)); then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
log() { echo "[$(date +%T)] $*" >&2; }
# A field of a phase's JSON result line; n/a when that phase did not run (no line, or not an object).
json_field() {
  python3 -c "import json,sys
try: print(json.loads(sys.argv[1]).get(sys.argv[2], 'n/a'))
except (ValueError, AttributeError): print('n/a')" "$1" "$2"
}

# --- ClickHouse on loopback --------------------------------------------------------------------
if [ -f "$WORK/ch/ports" ]; then read -r CH_HTTP CH_TCP CH_INTER < "$WORK/ch/ports"; else
  CH_HTTP=$(free_port); CH_TCP=$(free_port); CH_INTER=$(free_port)
fi
mkdir -p "$WORK/ch/data/tmp" "$WORK/ch/data/user_files" "$WORK/ch/data/format_schemas"
cp /etc/clickhouse-server/users.xml "$WORK/ch/users.xml"
echo "$CH_HTTP $CH_TCP $CH_INTER" > "$WORK/ch/ports"
cat > "$WORK/ch/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$WORK/ch/server.log</log><errorlog>$WORK/ch/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>$CH_HTTP</http_port><tcp_port>$CH_TCP</tcp_port><interserver_http_port>$CH_INTER</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$WORK/ch/data/</path><tmp_path>$WORK/ch/data/tmp/</tmp_path>
  <user_files_path>$WORK/ch/data/user_files/</user_files_path><format_schema_path>$WORK/ch/data/format_schemas/</format_schema_path>
  <users_config>$WORK/ch/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>1073741824</mark_cache_size><max_concurrent_queries>50</max_concurrent_queries>
  <timezone>UTC</timezone>
</yandex>
EOF
"$CH_SERVER" --config-file="$WORK/ch/config.xml" > "$WORK/ch/stdout.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$CH_HTTP/?query=SELECT%201" > /dev/null && break
  sleep 0.2
done
CH_VERSION=$(curl -s "http://127.0.0.1:$CH_HTTP/?query=SELECT%20version()")
log "ClickHouse $CH_VERSION on 127.0.0.1:$CH_HTTP"

cat > "$WORK/sites.json" <<EOF
{"sites": [{"id": "demo", "origins": ["*"], "retention_days": 0, "rules": "$PWD/demo_site/rules/demo.json",
            "timezone": "Europe/Berlin"}]}
EOF

TRACKER_PID=""
start_tracker() {  # data-dir [store]
  local port; port=$(free_port)
  local store=()
  [ -n "${2:-}" ] && store=(--store "$2")
  "$BIN/ithaca-tracker" --port "$port" --data "$1" --config "$WORK/sites.json" --admin-token "$TOKEN" \
    --trust-proxy --rate-limit 0 "${store[@]}" > "$1.log" 2>&1 &
  TRACKER_PID=$!
  PIDS+=("$TRACKER_PID")
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break
    sleep 0.2
  done
  PORT=$port
}
stop_tracker() { kill "$TRACKER_PID"; wait "$TRACKER_PID" 2>/dev/null || true; }

# --- 1. ingestion over HTTP ----------------------------------------------------------------------
if has_phase http; then
rm -rf "$WORK/http-sqlite" "$WORK/http-clickhouse"
curl -s "http://127.0.0.1:$CH_HTTP/" --data-binary "DROP DATABASE IF EXISTS http_ingest" > /dev/null
mkdir -p "$WORK/http-sqlite" "$WORK/http-clickhouse"
start_tracker "$WORK/http-sqlite"
log "HTTP ingestion, SQLite: $HTTP_EVENTS events"
HTTP_SQLITE=$("$BIN/ithaca-gen" --events "$HTTP_EVENTS" --seed 7 --post "http://127.0.0.1:$PORT" --concurrency 32 --quiet)
stop_tracker
start_tracker "$WORK/http-clickhouse" "clickhouse://127.0.0.1:$CH_HTTP/http_ingest"
log "HTTP ingestion, ClickHouse: $HTTP_EVENTS events"
HTTP_CH=$("$BIN/ithaca-gen" --events "$HTTP_EVENTS" --seed 7 --post "http://127.0.0.1:$PORT" --concurrency 32 --quiet)
stop_tracker
HTTP_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
save HTTP_SQLITE HTTP_CH HTTP_LOAD
fi

# --- 2. bulk load ----------------------------------------------------------------------------------
if ! has_phase load; then
  :
elif ((LOADED)); then
  log "reusing the stores loaded in $WORK"
  LOAD_SQLITE=$(cat "$WORK/load-sqlite.json"); LOAD_CH=$(cat "$WORK/load-clickhouse.json")
else
  log "bulk load, SQLite: $EVENTS events over $DAYS days"
  LOAD_SQLITE=$("$BIN/ithaca-gen" --events "$EVENTS" --days "$DAYS" --seed 11 --load "sqlite:$WORK/sqlite" --quiet)
  log "bulk load, ClickHouse: $EVENTS events over $DAYS days"
  LOAD_CH=$("$BIN/ithaca-gen" --events "$EVENTS" --days "$DAYS" --seed 11 --load "clickhouse://127.0.0.1:$CH_HTTP/bench" --quiet)
  echo "$LOAD_SQLITE" > "$WORK/load-sqlite.json"; echo "$LOAD_CH" > "$WORK/load-clickhouse.json"
  touch "$WORK/loaded"
fi

# --- 3. reports ------------------------------------------------------------------------------------
TODAY=$(TZ=Europe/Berlin date +%F)
FROM=$(TZ=Europe/Berlin date -d "$DAYS days ago" +%F)
WEEK=$(TZ=Europe/Berlin date -d "6 days ago" +%F)
REPORTS=(
  "timeseries?from=$FROM"
  "timeseries?interval=hour&from=$WEEK"
  "timeseries?country=DE&from=$FROM"
  "pages?from=$FROM"
  "referrers?from=$FROM"
  "campaigns?from=$FROM"
  "countries?from=$FROM"
  "pages?device=mobile&from=$FROM"
  "referrers?country=DE&from=$FROM"
  "funnel?from=$FROM"
  "paths?from=$FROM"
  "paths?kind=stages&from=$FROM"
  "attribution?from=$FROM"
  "experiments?from=$FROM"
  "personalization?from=$FROM"
  "journey?from=$FROM"
  "funnel?device=mobile&from=$FROM"
  "paths?referrer_category=search&from=$FROM"
  "attribution?country=DE&from=$FROM"
  "experiments?visit=repeat&from=$FROM"
  "personalization?browser=Chrome&from=$FROM"
)
# Several filters, and journey reports under a page, landing-page or event filter: no aggregate
# table holds them; SQLite reads the visitor_events roll-up (per visitor-day), 30 days, 3 runs each.
RAW_REPORTS=(
  "timeseries?country=DE&device=mobile&from=$FROM"
  "timeseries?interval=hour&country=DE&device=mobile&from=$WEEK"
  "referrers?page=/cart&device=mobile&from=$FROM"
  "pages?country=DE&device=mobile&visit=repeat&from=$FROM"
  "funnel?device=mobile&country=DE&from=$FROM"
  "paths?landing_page=/&from=$FROM"
  "paths?page=/cart&from=$FROM"
  "attribution?event=purchase&from=$FROM"
  "experiments?device=mobile&visit=repeat&from=$FROM"
  "personalization?country=DE&browser=Chrome&from=$FROM"
  "journey?landing_page=/&from=$FROM"
)
RAW_RUNS=3
SWEEP_REPORTS=(timeseries "timeseries?interval=hour" pages landing-pages referrers sources utm-sources utm-mediums
  campaigns devices os browsers countries languages visits events types funnel paths "paths?kind=stages" attribution
  experiments personalization journey)
SWEEP_DIMS=(referrer_category referrer_source utm_source utm_medium utm_campaign device os browser country language
  visit type)
time_report() {  # path runs → "median max"
  local times=()
  for _ in $(seq 1 "$2"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/$1")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f %.3f\n", a[int((NR+1)/2)], a[NR]}'
}
measure_reports() {  # label
  for r in "${REPORTS[@]}"; do RESULT["$1|$r"]=$(time_report "$r" "$RUNS"); done
  for r in "${RAW_REPORTS[@]}"; do RESULT["$1|$r"]=$(time_report "$r" "$RAW_RUNS"); done
}

if has_phase sqlite; then
((KEEP_ROLLUPS)) || rm -f "$WORK"/sqlite/rollups.db*  # built from scratch, and timed
start_tracker "$WORK/sqlite"
log "SQLite: rolling up $EVENTS events"
START=$(date +%s.%N)
ROLLUP_RSS_MAX=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/types")" = 200 ]; do
  rss=$(ps -o rss= -p "$TRACKER_PID" || echo 0); ((rss > ROLLUP_RSS_MAX)) && ROLLUP_RSS_MAX=$rss
  sleep 2
done
ROLLUP_SECONDS=$(echo "$(date +%s.%N) - $START" | bc)
# CPU time is the fairer measure on a shared machine (and when the load is still running).
ROLLUP_CPU=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) / hz}' "/proc/$TRACKER_PID/stat")
log "SQLite reports"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
measure_reports sqlite
SQLITE_RSS=$(ps -o rss= -p "$TRACKER_PID")
log "SQLite: every report under one filter per dimension"
SWEEP_TIMES=()
SWEEP_SLOW=()
sweep_one() {  # report-with-query filter
  local sep='?'; [[ $1 == *\?* ]] && sep='&'
  local t; t=$(time_report "$1$sep$2&from=$FROM" 1 | cut -d' ' -f1)
  SWEEP_TIMES+=("$t")
  if awk -v t="$t" 'BEGIN {exit !(t >= 1)}'; then SWEEP_SLOW+=("$1 $2 ${t}s"); fi
}
for d in "${SWEEP_DIMS[@]}"; do
  v=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/breakdown?dimension=$d&limit=1&from=$FROM" |
      python3 -c 'import json,sys,urllib.parse; r=json.load(sys.stdin)["rows"]; print(urllib.parse.quote(r[0]["value"] if r else ""))')
  for r in "${SWEEP_REPORTS[@]}"; do sweep_one "$r" "$d=$v"; done
done
for d in page landing_page event; do  # the time series takes any dimension
  v=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/breakdown?dimension=$d&limit=1&from=$FROM" |
      python3 -c 'import json,sys,urllib.parse; r=json.load(sys.stdin)["rows"]; print(urllib.parse.quote(r[0]["value"] if r else ""))')
  for r in timeseries "timeseries?interval=hour"; do sweep_one "$r" "$d=$v"; done
done
SEGMENT_SWEEP=${#SWEEP_TIMES[@]}
# Every report under two filters (the commonest device and country), a page filter and a landing
# page with the visit kind: visitor_events.
top_value() {
  curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/breakdown?dimension=$1&limit=1&from=$FROM" |
    python3 -c 'import json,sys,urllib.parse; r=json.load(sys.stdin)["rows"]; print(urllib.parse.quote(r[0]["value"] if r else ""))'
}
for f in "device=$(top_value device)&country=$(top_value country)" "page=$(top_value page)" \
         "landing_page=$(top_value landing_page)&visit=first"; do
  for r in "${SWEEP_REPORTS[@]}"; do sweep_one "$r" "$f"; done
done
MULTI_SWEEP_STATS=$(printf '%s\n' "${SWEEP_TIMES[@]:$SEGMENT_SWEEP}" | sort -n | awk '{a[NR]=$1} END {printf "%d %.3f %.3f %.3f\n", NR, a[int((NR+1)/2)], a[int(NR*0.99+0.999)], a[NR]}')
SWEEP_TIMES=("${SWEEP_TIMES[@]:0:$SEGMENT_SWEEP}")
SWEEP_STATS=$(printf '%s\n' "${SWEEP_TIMES[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d %.3f %.3f %.3f\n", NR, a[int((NR+1)/2)], a[int(NR*0.99+0.999)], a[NR]}')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ROLLUP_BYTES=$(( $(stat -c %s "$WORK/sqlite/rollups.db") + $(stat -c %s "$WORK/sqlite/rollups.db-wal" 2>/dev/null || echo 0) ))
stop_tracker
save RESULT ROLLUP_SECONDS ROLLUP_CPU ROLLUP_BYTES ROLLUP_RSS_MAX SQLITE_RSS LOAD_BEFORE LOAD_AFTER SWEEP_STATS SWEEP_SLOW \
  MULTI_SWEEP_STATS
fi
if has_phase clickhouse; then
start_tracker "$WORK/clickhouse" "clickhouse://127.0.0.1:$CH_HTTP/bench"
log "ClickHouse reports"
CH_LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
measure_reports clickhouse
stop_tracker
save RESULT CH_LOAD_BEFORE
fi

# --- results ---------------------------------------------------------------------------------------
DB_BYTES=$(stat -c %s "$WORK/sqlite/ithaca.db" 2>/dev/null || echo 0)
LOAD_SQLITE=$(cat "$WORK/load-sqlite.json" 2>/dev/null || true); LOAD_CH=$(cat "$WORK/load-clickhouse.json" 2>/dev/null || true)
for v in HTTP_SQLITE HTTP_CH HTTP_LOAD ROLLUP_SECONDS ROLLUP_CPU ROLLUP_BYTES ROLLUP_RSS_MAX SQLITE_RSS LOAD_BEFORE LOAD_AFTER CH_LOAD_BEFORE; do
  [ -n "${!v:-}" ] || declare "$v=0"
done
[ -n "${SWEEP_STATS:-}" ] || SWEEP_STATS="0 0 0 0"
[ -n "${MULTI_SWEEP_STATS:-}" ] || MULTI_SWEEP_STATS="0 0 0 0"
[ -n "${SWEEP_SLOW+x}" ] || SWEEP_SLOW=()
CH_BYTES=$(curl -s "http://127.0.0.1:$CH_HTTP/" --data-binary "SELECT sum(bytes_on_disk) FROM system.parts WHERE database = 'bench' AND active")
[[ "$CH_BYTES" =~ ^[0-9]+$ ]] || CH_BYTES=0  # no ClickHouse phase in this run
{
  echo "## Reports and ClickHouse"
  echo
  echo "Measured by \`bash bench/reports/run.sh --events $EVENTS --http-events $HTTP_EVENTS --days $DAYS\` on $(date -u +%F)"
  echo "($(nproc) cores shared with other work, ClickHouse $CH_VERSION, SQLite $(sqlite3 --version | cut -d' ' -f1)); \`--write-docs\` rewrites this section."
  echo "The stream is \`ithaca-gen\`'s (docs/reports.md): about 6 events per visit, 30% consented visitors, site time zone Europe/Berlin."
  echo
  echo "### Ingestion over HTTP (acknowledged events per second)"
  echo
  echo "\`ithaca-gen --post\` with 32 connections, SDK-sized requests (a visit's events, up to 20 per request), default tracker"
  echo "settings (\`--sync full\`: every acknowledgement is on disk, or in ClickHouse or its spool). Load average"
  echo "(1, 5, 15 min) at the end: $HTTP_LOAD."
  echo
  echo "| store | events | seconds | events/s |"
  echo "|---|---:|---:|---:|"
  echo "| SQLite | $(json_field "$HTTP_SQLITE" events) | $(json_field "$HTTP_SQLITE" seconds) | $(json_field "$HTTP_SQLITE" events_per_second) |"
  echo "| ClickHouse | $(json_field "$HTTP_CH" events) | $(json_field "$HTTP_CH" seconds) | $(json_field "$HTTP_CH" events_per_second) |"
  echo
  echo "### Reports at $EVENTS events"
  echo
  echo "Bulk load (\`ithaca-gen --load\`, $DAYS days): SQLite $(json_field "$LOAD_SQLITE" events_per_second) events/s"
  echo "($((DB_BYTES / 1048576)) MiB), ClickHouse $(json_field "$LOAD_CH" events_per_second) events/s ($((CH_BYTES / 1048576)) MiB on disk)."
  echo "SQLite roll-ups: built from scratch in ${ROLLUP_SECONDS%.*} s (${ROLLUP_CPU} s of CPU) when the tracker started on the loaded database"
  echo "($((ROLLUP_BYTES / 1048576)) MiB; tracker RSS at most $((ROLLUP_RSS_MAX / 1024)) MiB while building, $((SQLITE_RSS / 1024)) MiB after the reports)."
  echo
  echo "Seconds per report through HTTP (\`curl\` total time), median and worst of $RUNS runs; the last"
  echo "${#RAW_REPORTS[@]} rows (several filters, journey reports under a page, landing-page or event filter; $RAW_RUNS runs)"
  echo "come from SQLite's visitor_events roll-up."
  echo "Load average (1, 5, 15 min) when the SQLite reports started: $LOAD_BEFORE; after its sweep: $LOAD_AFTER;"
  echo "when the ClickHouse reports started: $CH_LOAD_BEFORE."
  echo
  echo "| report | SQLite median | SQLite max | ClickHouse median | ClickHouse max |"
  echo "|---|---:|---:|---:|---:|"
  for r in "${REPORTS[@]}" "${RAW_REPORTS[@]}"; do
    read -r sm sx <<< "${RESULT["sqlite|$r"]:-- -}"
    read -r cm cx <<< "${RESULT["clickhouse|$r"]:-- -}"
    echo "| \`${r//&from=*/}\` | $sm | $sx | $cm | $cx |" | sed "s/?from=[0-9-]*//"
  done
  echo
  read -r sn smed sp99 smax <<< "$SWEEP_STATS"
  echo "Every report under one filter on each segment dimension (its commonest value; ${#SWEEP_REPORTS[@]} reports ×"
  echo "${#SWEEP_DIMS[@]} dimensions, plus the time series under a page, landing-page and event filter), SQLite, one run"
  echo "each: $sn requests, median $smed s, 99th percentile $sp99 s, worst $smax s."
  read -r mn mmed mp99 mmax <<< "$MULTI_SWEEP_STATS"
  echo "The same ${#SWEEP_REPORTS[@]} reports under two filters (commonest device and country), a page filter, and a"
  echo "landing page with \`visit=first\`: $mn requests, median $mmed s, 99th percentile $mp99 s, worst $mmax s."
  echo "Over one second, both sweeps: ${#SWEEP_SLOW[@]}."
  for x in "${SWEEP_SLOW[@]}"; do echo "- \`$x\`"; done
} > "$WORK/section.md"
cat "$WORK/section.md"

if ((WRITE_DOCS)); then
  python3 - "$WORK/section.md" docs/performance.md <<'EOF'
import re, sys
section = open(sys.argv[1]).read().rstrip() + "\n"
path = sys.argv[2]
doc = open(path).read()
start = doc.find("## Reports and ClickHouse")
if start < 0:
    doc = doc.rstrip() + "\n\n" + section
else:
    nxt = re.search(r"^## ", doc[start + 3:], re.M)
    end = start + 3 + nxt.start() if nxt else len(doc)
    doc = doc[:start] + section + ("\n" if nxt else "") + doc[end:]
open(path, "w").write(doc)
EOF
  log "wrote docs/performance.md"
fi
