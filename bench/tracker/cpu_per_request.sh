#!/usr/bin/env bash
# CPU time (user + system, kernel included) the tracker process spends per request, by thread,
# under wrk -c64: on a shared host this moves far less with the load than requests/s does, and
# it counts the system calls and wake-ups that callgrind (user space only) does not, and the
# sleeps (voluntary context switches) per request by thread, and wrk's p99 latency. Alternates
# the given binaries round by round, so two builds can be compared side by side.
#
#   bench/tracker/cpu_per_request.sh [-b] [-r RATE] BINARY...
#     -b: batches of BATCH events (default single events)
#     -r: offer RATE requests/s in all, with exponential pauses (throttle.lua), instead of as many
#         as 64 connections can send: e.g. half of peak, where connections idle between requests.
#
# Environment: ROUNDS (3), DURATION seconds measured per round (6, after 2 s of warm-up),
# BATCH (50), SYNC full|normal (full).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=collect_single.lua
rate_limit=
while [ $# -gt 0 ]; do
  case $1 in
    -b) script=collect_batch.lua; shift ;;
    -r) rate_limit=$2; shift 2 ;;
    *) break ;;
  esac
done
# wrk's script: the payload script itself, or throttle.lua wrapping it.
load=(env SCRIPT_DIR="$here" BATCH="${BATCH:-50}")
wrk_script=$here/$script
if [ -n "$rate_limit" ]; then
  load+=(SCRIPT="$script" TARGET_RPS="$rate_limit" CONNECTIONS=64)
  wrk_script=$here/throttle.lua
fi
[ $# -ge 1 ] || { echo "usage: $0 [-b] [-r RATE] BINARY..." >&2; exit 1; }
command -v wrk >/dev/null || { echo "missing: wrk" >&2; exit 1; }
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-6}
SYNC=${SYNC:-full}
hz=$(getconf CLK_TCK)
. "$here/scratch.sh"
bench_scratch ithaca-cpu
echo '{"sites":[{"id":"bench","origins":["*"]}]}' > "$work/sites.json"

cpu_by_thread() {  # → "comm ticks voluntary-switches" lines, summed by thread name
  for t in /proc/"$pid"/task/*; do
    echo "$(cat "$t/comm") $(awk '{print $14 + $15}' "$t/stat") $(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"
  done | awk '{ c[$1] += $2; v[$1] += $3 } END { for (k in c) print k, c[k], v[k] }' | sort
}

for round in $(seq 1 "$ROUNDS"); do
  for bin in "$@"; do
    rm -rf "$work/data"
    "$bin" --port 0 --data "$work/data" --config "$work/sites.json" --rate-limit 0 --threads 96 \
      --sync "$SYNC" 2>"$work/log" &
    pid=$!
    for _ in $(seq 1 200); do grep -q 'msg=listening' "$work/log" && break; sleep 0.05; done
    port=$(grep -oE 'msg=listening .*port=[0-9]+' "$work/log" | grep -oE '[0-9]+$')
    url=http://127.0.0.1:$port
    "${load[@]}" RUN_TAG=warm$round wrk -t1 -c64 -d2s -s "$wrk_script" "$url" >/dev/null
    cpu_by_thread > "$work/before"
    "${load[@]}" RUN_TAG=run$round wrk -t1 -c64 -d"${DURATION}s" --latency -s "$wrk_script" "$url" > "$work/wrk"
    cpu_by_thread > "$work/after"
    n=$(awk '/requests in/ {print $1}' "$work/wrk")
    rate=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
    # Sleeps (voluntary context switches) per request too: on this virtual machine a switch
    # costs more than the handler's own code, so they explain most of the CPU.
    by_thread=$(join "$work/before" "$work/after" | awk -v n="$n" -v hz="$hz" '
      { d = ($4 - $2) / hz * 1e6 / n; s = ($5 - $3) / n; total += d; sleeps += s
        if (d >= 0.5) parts = parts sprintf(", %s %.1f (%.2f sleeps)", $1, d, s) }
      END { printf "%.1f us/request, %.2f sleeps/request%s", total, sleeps, parts }')
    echo "round $round $(basename "$bin") ($bin): $rate req/s, p99 $p99, $by_thread; load $(cut -d' ' -f1 /proc/loadavg)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  done
done
