#!/usr/bin/env bash
# Instructions per single-event request, counted by callgrind (immune to the machine's load):
# the tracker and the trivial cpp-httplib server each run under valgrind while wrk sends
# REQUESTS-ish single-event requests over 4 connections; the totals are divided by the number
# of requests wrk completed. Also prints the inclusive cost of the tracker's own parts.
#
#   bench/tracker/callgrind.sh [BUILD]      (BUILD defaults to build/native)
#
# Environment: DURATION seconds of load per server (20), SYNC full|normal (full).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/native}
DURATION=${DURATION:-20}
SYNC=${SYNC:-full}
for bin in "$build/bin/ithaca-tracker" "$build/bin/tracker_trivial_server" "$(command -v wrk || true)" \
           "$(command -v valgrind || true)"; do
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then echo "missing: ${bin:-wrk or valgrind}" >&2; exit 1; fi
done

. "$here/scratch.sh"
bench_scratch ithaca-callgrind

port_from() {  # file regex
  for _ in $(seq 1 1500); do
    if grep -qE "$2" "$1" 2>/dev/null; then grep -oE "$2" "$1" | head -n1 | grep -oE '[0-9]+$'; return; fi
    sleep 0.02
  done
  echo "timed out waiting for $2 in $1" >&2; cat "$1" >&2; exit 1
}

# measure NAME REGEX COMMAND…: runs COMMAND under callgrind, loads it, prints instructions/request.
measure() {
  local name=$1 regex=$2
  shift 2
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.out" "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  local port
  port=$(port_from "$work/$name.log" "$regex")
  RUN_TAG=$name SCRIPT_DIR=$here wrk -t1 -c4 -d"${DURATION}s" --timeout 10s -s "$here/collect_single.lua" \
    "http://127.0.0.1:$port" >"$work/$name.wrk"
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
  local requests total
  requests=$(awk '/requests in/ {print $1}' "$work/$name.wrk")
  total=$(awk '/^summary:|^totals:/ {print $2}' "$work/$name.out" | tail -n1)
  echo "$name: $requests requests, $total instructions, $((total / requests)) per request"
  if [ "$name" = tracker ]; then
    # By thread: the request path (httplib workers), the group-commit writer, the WAL
    # checkpointer and the roll-up builder — the ingest path judged apart from the builder.
    callgrind_annotate --inclusive=yes "$work/$name.out" 2>/dev/null |
      awk -v n="$requests" '
        /Server::process_request\(/ { t["request threads (httplib + handler)"] = $1 }
        /GroupCommitWriter::run\(\)/ { t["group-commit writer (SQLite insert + commit)"] = $1 }
        /WalCheckpointer::run\(\)/ { t["WAL checkpointer"] = $1 }
        /RollupBuilder::Impl::run\(\)/ { t["roll-up builder"] = $1 }
        END { for (k in t) { v = t[k]; gsub(",", "", v); printf "  %9d per request  thread: %s\n", v / n, k } }' | sort -k5
    callgrind_annotate --inclusive=yes "$work/$name.out" 2>/dev/null |
      grep -E 'Tracker::handle\(|handle_collect|decode_collect|enrich_events|HttpServer::HttpServer.*lambda|convert\(|write_back|SqliteEventStore::write\(|GroupCommitWriter::commit|sqlite3_step|Server::process_request' |
      awk -v n="$requests" '{ gsub(",", "", $1); printf "  %9d per request  %s\n", $1 / n, substr($0, index($0, $2)) }' |
      cut -c1-160 | head -n 20
  fi
}

echo '{"sites":[{"id":"bench","origins":["*"]}]}' >"$work/sites.json"
measure trivial 'port=[0-9]+' "$build/bin/tracker_trivial_server" 8
measure tracker 'msg=listening .*port=[0-9]+' "$build/bin/ithaca-tracker" --port 0 --data "$work/data" \
  --config "$work/sites.json" --rate-limit 0 --threads 8 --sync "$SYNC"
