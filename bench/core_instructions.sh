#!/usr/bin/env bash
# Instructions per operation of the core (callgrind), independent of machine load:
#   bash bench/core_instructions.sh [build/native]
# Prints floor / evaluate per evaluation, decide / brief (no explanation details) per decision,
# context per read of the decision's context JSON, codes (the brief decision as numbers) and
# packed (unpacking the SDK's packed context, then codes) per decision (docs/performance.md, "Core").
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/native}/bin/core_instructions"
count() {  # mode runs → instructions
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    awk '/refs:/ { gsub(",", "", $4); print $4 }'
}
for mode in floor evaluate decide brief context codes packed; do
  runs=100000
  case "$mode" in decide|brief|context|codes|packed) runs=10000 ;; esac
  base=$(count "$mode" 1)
  total=$(count "$mode" $((runs + 1)))
  echo "$mode: $(((total - base) / runs)) instructions"
done
