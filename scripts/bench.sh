#!/usr/bin/env bash
# `make bench`: every benchmark, each beside its floor or its peers in the same run (ratios, not
# absolute times: these machines are shared). Results go to build/bench/ and the terminal;
# docs/performance.md records them with the commands.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"

echo "== core: expression evaluation beside a hand-written floor; decide on a realistic rule set"
build/native/bin/core_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/core.json" --benchmark_out_format=json
echo "== core: instructions per operation (callgrind; independent of machine load)"
bash bench/core_instructions.sh | tee "$out/core_instructions.txt"

if [ -f bench/sdk/peer_bench.mjs ]; then
  echo "== browser SDK: wasm engine beside GrowthBook, json-logic-js and @bufbuild/cel (one Node process)"
  node bench/sdk/peer_bench.mjs | tee "$out/sdk.txt"
  echo "== browser SDK: what watching for slots inserted after start costs a page that changes its DOM"
  node bench/sdk/slot_observer.mjs | tee "$out/sdk_slot_observer.txt"
fi
if [ -x bench/tracker/run.sh ]; then
  echo "== tracker: wrk on loopback, beside a trivial cpp-httplib handler"
  bash bench/tracker/run.sh | tee "$out/tracker.txt"
fi
if [ -x bench/reports/run.sh ]; then
  echo "== reports: SQLite and ClickHouse at 10M+ events"
  bash bench/reports/run.sh | tee "$out/reports.txt"
fi
