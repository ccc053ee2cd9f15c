#!/usr/bin/env bash
# Load test for ithaca-tracker with wrk, on loopback only, side by side in one run with a
# trivial cpp-httplib server (same HTTP settings, a handler that does nothing) as the ceiling.
# Builds nothing: needs BUILD/bin/ithaca-tracker and BUILD/bin/tracker_trivial_server.
#
#   bench/tracker/run.sh [BUILD]            (BUILD defaults to build/native)
#
# Environment: DURATION seconds per run (10), ROUNDS of interleaved trivial/tracker single-event
# runs whose medians are compared (3), CONNECTIONS (64), WRK_THREADS (1), THREADS server workers
# (96; each keep-alive connection holds one), BATCH events per batched request (50), SOAK seconds
# of sustained load for the memory check (30), SYNC full|normal (full: every 202 waits for an
# fsync'd commit). Also probes the disk's own fdatasync latency before and after (python3), the
# floor under every durable acknowledgement.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/native}
tracker_bin=$build/bin/ithaca-tracker
trivial_bin=$build/bin/tracker_trivial_server
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
THREADS=${THREADS:-96}
BATCH=${BATCH:-50}
SOAK=${SOAK:-30}
SYNC=${SYNC:-full}

for bin in "$tracker_bin" "$trivial_bin" "$(command -v wrk || true)"; do
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "missing: ${bin:-wrk} (build with: cmake --build $build --target ithaca-tracker tracker_trivial_server; apt-get install wrk)" >&2
    exit 1
  fi
done

work=$(mktemp -d /tmp/ithaca-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # file regex → first capture group
  for _ in $(seq 1 500); do
    if grep -qE "$2" "$1" 2>/dev/null; then
      grep -oE "$2" "$1" | head -n1 | grep -oE '[0-9]+$'
      return
    fi
    sleep 0.02
  done
  echo "timed out waiting for $2 in $1" >&2
  cat "$1" >&2
  exit 1
}

echo '{"sites":[{"id":"bench","origins":["*"]}]}' > "$work/sites.json"
"$tracker_bin" --port 0 --data "$work/data" --config "$work/sites.json" --rate-limit 0 \
  --threads "$THREADS" --sync "$SYNC" 2>"$work/tracker.log" &
tracker_pid=$!
pids+=("$tracker_pid")
"$trivial_bin" "$THREADS" >"$work/trivial.log" 2>&1 &
pids+=("$!")
tracker_port=$(wait_for "$work/tracker.log" 'msg=listening .*port=[0-9]+')
trivial_port=$(wait_for "$work/trivial.log" 'port=[0-9]+')
tracker_url=http://127.0.0.1:$tracker_port
trivial_url=http://127.0.0.1:$trivial_port

# run NAME URL SCRIPT [extra wrk args]: prints wrk's report, leaves it in $work/NAME.txt
run() {
  local name=$1 url=$2 script=$3
  shift 3
  echo "== $name: wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s --latency -s $script $* $url" >&2
  RUN_TAG=$name SCRIPT_DIR=$here BATCH=$BATCH \
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$here/$script" "$@" "$url" \
    | tee "$work/$name.txt" >&2
}
rps() { awk '/^Requests\/sec:/ {print $2}' "$work/$1.txt"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p99() { awk '$1 == "99%" {print $2}' "$work/$1.txt"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$work/$1.txt"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$tracker_pid/status"; }

# The disk's own fdatasync latency next to the data folder, before and after the runs: with
# --sync full every 202 waits for at least one, so it is the floor under the tracker's latency
# (and, at a fixed number of connections, the ceiling over its single-event rate).
fsync_probe() {
  command -v python3 >/dev/null || { echo "? (no python3)"; return; }
  python3 - "$work/fsync-probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
block = b"\1" * 16384
for i in range(64): os.write(fd, block)
os.fdatasync(fd)
d = []
for i in range(200):
    os.pwrite(fd, block, (i % 64) * 16384)
    t = time.perf_counter(); os.fdatasync(fd); d.append(1000 * (time.perf_counter() - t))
    time.sleep(0.002)
os.close(fd); os.unlink(sys.argv[1])
d.sort()
print("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms" % (d[100], d[180], d[198], d[199]))
PY
}
fsync_before=$(fsync_probe)

# Warm-up (page cache, SQLite file growth, thread pools).
DURATION=3 run warmup "$tracker_url" collect_batch.lua >/dev/null 2>&1 || true
DURATION=2 run warmup-trivial "$trivial_url" collect_single.lua >/dev/null 2>&1 || true

# The machine is shared: interleave the single-event runs and compare medians.
for round in $(seq 1 "$ROUNDS"); do
  run "trivial-single-$round" "$trivial_url" collect_single.lua
  run "tracker-single-$round" "$tracker_url" collect_single.lua
done
best_of() {  # NAME-PREFIX → the run whose requests/s is the median
  local prefix=$1 target
  target=$(for r in $(seq 1 "$ROUNDS"); do rps "$prefix-$r"; done | median)
  for r in $(seq 1 "$ROUNDS"); do
    if [ "$(rps "$prefix-$r")" = "$target" ]; then cp "$work/$prefix-$r.txt" "$work/$prefix.txt"; return; fi
  done
  # An even number of rounds averages two runs: keep the first run's latencies, the median rate.
  sed "s|^Requests/sec:.*|Requests/sec: $target|" "$work/$prefix-1.txt" > "$work/$prefix.txt"
}
best_of trivial-single
best_of tracker-single
ratios=$(for r in $(seq 1 "$ROUNDS"); do
  awk -v a="$(rps "tracker-single-$r")" -v b="$(rps "trivial-single-$r")" 'BEGIN { printf "%.0f%%\n", 100 * a / b }'
done | tr '\n' ' ')
run tracker-batch "$tracker_url" collect_batch.lua

batch_rps=$(rps tracker-batch)
half=$(awk -v r="$batch_rps" 'BEGIN { printf "%d", r / 2 }')
# Where a half-peak batch's time goes, from the tracker's own histograms before and after a run.
snapshot() { curl -fsS "$tracker_url/metrics" > "$work/$1.metrics" 2>/dev/null || : > "$work/$1.metrics"; }
bucket_quantile() {  # BEFORE AFTER METRIC Q → the bucket bound (ms) under which a Q share of the run's values fell
  awk -v m="$3" -v q="$4" '
    FNR == 1 { f++ }
    index($1, m "_bucket{le=\"") == 1 { le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le); v[f, le] = $2; if (f == 2) order[++n] = le }
    END {
      total = v[2, "+Inf"] - v[1, "+Inf"]
      if (total <= 0) { print "?"; exit }
      for (i = 1; i <= n; i++) if (v[2, order[i]] - v[1, order[i]] >= q * total) { print (order[i] == "+Inf") ? ">5000" : 1000 * order[i]; exit }
    }' "$work/$1.metrics" "$work/$2.metrics"
}
counter_delta() { awk -v m="$3" '$1 == m { v[FILENAME] = $2; last = FILENAME } END { print v[last] - v[ARGV[1]] }' "$work/$1.metrics" "$work/$2.metrics"; }
breakdown() {  # BEFORE AFTER → one line
  local commits events
  commits=$(counter_delta "$1" "$2" ithaca_commits_total)
  events=$(counter_delta "$1" "$2" ithaca_commit_events_total)
  echo "waited for the commit before it: p50 <= $(bucket_quantile "$1" "$2" ithaca_commit_wait_seconds 0.5) ms, p99 <= $(bucket_quantile "$1" "$2" ithaca_commit_wait_seconds 0.99) ms; commits: p50 <= $(bucket_quantile "$1" "$2" ithaca_commit_duration_seconds 0.5) ms, p99 <= $(bucket_quantile "$1" "$2" ithaca_commit_duration_seconds 0.99) ms, $(awk -v e="$events" -v c="$commits" 'BEGIN { if (c > 0) printf "%.0f", e / c; else print "?" }') events each"
}
snapshot fixed-before
# First with fixed pauses, in the slot and by the method of every run before 2026-11-23 08:15 UTC:
# the connections phase-lock (throttle.lua says how), so it shows the answer to clumps of batches.
TARGET_RPS=$half CONNECTIONS=$CONNECTIONS SCRIPT=collect_batch.lua THROTTLE=fixed \
  run tracker-batch-half-fixed "$tracker_url" throttle.lua
snapshot fixed-after
# Then with exponential pauses: independent clients.
TARGET_RPS=$half CONNECTIONS=$CONNECTIONS SCRIPT=collect_batch.lua \
  run tracker-batch-half "$tracker_url" throttle.lua
snapshot half-after
single_rps=$(rps tracker-single)
half_single=$(awk -v r="$single_rps" 'BEGIN { printf "%d", r / 2 }')
TARGET_RPS=$half_single CONNECTIONS=$CONNECTIONS SCRIPT=collect_single.lua \
  run tracker-single-half "$tracker_url" throttle.lua
# Single events with random (v4) client ids, as a client using crypto.randomUUID() sends them:
# each takes a page of its own in the unique index of event ids (the runs above send
# time-ordered UUIDv7s, as the browser SDK does; bench/tracker/event_ids.lua).
IDS=v4 run tracker-single-v4 "$tracker_url" collect_single.lua

# Memory under sustained batched load: resident size sampled every second.
rss_start=$(rss_kb)
: > "$work/rss.txt"
( while kill -0 "$tracker_pid" 2>/dev/null; do rss_kb >> "$work/rss.txt"; sleep 1; done ) &
sampler=$!
DURATION=$SOAK run tracker-soak "$tracker_url" collect_batch.lua
kill "$sampler" 2>/dev/null || true
rss_end=$(rss_kb)
rss_third=$(awk 'NR == int(n / 3) + 1 {print}' n="$(wc -l < "$work/rss.txt")" "$work/rss.txt")
rss_max=$(sort -n "$work/rss.txt" | tail -n1)

fsync_after=$(fsync_probe)
curl -fsS "$tracker_url/metrics" > "$work/metrics.txt" 2>/dev/null || true
# CPU seconds by thread over the whole run (the tracker names its threads; ithaca-rollup is the
# roll-up builder), so the ingest path can be judged apart from the builder.
thread_cpu=$(for t in /proc/"$tracker_pid"/task/*; do
  echo "$(cat "$t/comm") $(awk '{print $14 + $15}' "$t/stat")"
done | awk -v hz="$(getconf CLK_TCK)" '
  { name = ($1 ~ /^ithaca-(http|writer|ckpt|maint|spool|rollup)$/) ? $1 : "other (retention, main)"; c[name] += $2 }
  END { for (k in c) if (c[k] > 0) printf "%s %.1f s, ", k, c[k] / hz }' | sed 's/, $//')
metric() { awk -v m="$1" '$1 == m {print $2}' "$work/metrics.txt"; }
commit_ms=$(awk -v s="$(metric ithaca_commit_duration_seconds_sum)" -v c="$(metric ithaca_commit_duration_seconds_count)" \
  'BEGIN { if (c > 0) printf "%.2f", 1000 * s / c; else print "?" }')
group=$(awk -v e="$(metric ithaca_commit_events_total)" -v c="$(metric ithaca_commits_total)" \
  'BEGIN { if (c > 0) printf "%.0f", e / c; else print "?" }')
kill -TERM "$tracker_pid"
wait "$tracker_pid" || true
stored=$(sqlite3 "$work/data/ithaca.db" 'SELECT count(*) FROM events' 2>/dev/null || echo "?")

trivial_rps=$(rps trivial-single)
cat <<REPORT

## Results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), wrk -t$WRK_THREADS -c$CONNECTIONS, ${DURATION}s runs, sync=$SYNC)

| run | requests/s | events/s | p99 latency | errors |
|---|---|---|---|---|
| trivial cpp-httplib handler, 1 event/request (median of $ROUNDS) | $trivial_rps | $trivial_rps | $(p99 trivial-single) | $(errors trivial-single | tr '\n' ' ') |
| tracker, 1 event/request (median of $ROUNDS) | $single_rps | $single_rps | $(p99 tracker-single) | $(errors tracker-single | tr '\n' ' ') |
| tracker, $BATCH events/request | $batch_rps | $(awk -v r="$batch_rps" -v b="$BATCH" 'BEGIN { printf "%d", r * b }') | $(p99 tracker-batch) | $(errors tracker-batch | tr '\n' ' ') |
| tracker, batched at ~half of peak, fixed pauses as before (phase-locked clumps; target $half req/s) | $(rps tracker-batch-half-fixed) | $(awk -v r="$(rps tracker-batch-half-fixed)" -v b="$BATCH" 'BEGIN { printf "%d", r * b }') | $(p99 tracker-batch-half-fixed) | $(errors tracker-batch-half-fixed | tr '\n' ' ') |
| tracker, batched at ~half of peak, exponential pauses | $(rps tracker-batch-half) | $(awk -v r="$(rps tracker-batch-half)" -v b="$BATCH" 'BEGIN { printf "%d", r * b }') | $(p99 tracker-batch-half) | $(errors tracker-batch-half | tr '\n' ' ') |
| tracker, 1 event/request, random (v4) client ids | $(rps tracker-single-v4) | $(rps tracker-single-v4) | $(p99 tracker-single-v4) | $(errors tracker-single-v4 | tr '\n' ' ') |
| tracker, single at ~half of peak (target $half_single req/s) | $(rps tracker-single-half) | $(rps tracker-single-half) | $(p99 tracker-single-half) | $(errors tracker-single-half | tr '\n' ' ') |
| tracker, ${SOAK}s sustained batched load | $(rps tracker-soak) | $(awk -v r="$(rps tracker-soak)" -v b="$BATCH" 'BEGIN { printf "%d", r * b }') | $(p99 tracker-soak) | $(errors tracker-soak | tr '\n' ' ') |

single-event rate vs trivial handler: $(awk -v a="$single_rps" -v b="$trivial_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }') of the medians (each round: $ratios)
batched at half of peak (/metrics histogram buckets), fixed pauses: $(breakdown fixed-before fixed-after)
  exponential pauses: $(breakdown fixed-after half-after)
tracker resident memory during the soak: start ${rss_start} kB, after a third ${rss_third} kB, end ${rss_end} kB, max ${rss_max} kB
tracker CPU by thread over the whole run: ${thread_cpu}
group commits over the whole run: ${commit_ms} ms each on average (inserts + fsync), ${group} events per commit
events stored after SIGTERM: $stored
disk fdatasync of 16 KiB next to the data folder (200 calls): before the runs $fsync_before; after the soak $fsync_after
REPORT
