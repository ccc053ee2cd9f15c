#!/usr/bin/env bash
# Instructions the roll-up builder spends per ingested event, counted by callgrind (immune to
# the machine's load): rollup_builder_bench writes generated events in batches of BATCH (as the
# group-commit writer would) and waits for the builder after each; only the builder thread's
# instructions are collected (--toggle-collect on its run loop) and divided by the events.
#
#   bench/reports/rollup_instructions.sh [BUILD]     (BUILD defaults to build/native)
#
# Environment: EVENTS (20000), BATCH (20), DAYS the stream spans (0.5), FLUSH events per roll-up
# write (5000; the tracker writes once a second), KEEP_OUT=FILE keeps the profile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/native}
EVENTS=${EVENTS:-20000}
BATCH=${BATCH:-20}
DAYS=${DAYS:-0.5}
FLUSH=${FLUSH:-5000}
bin=$build/bin/rollup_builder_bench
[ -x "$bin" ] || { echo "build $bin first" >&2; exit 1; }
out=$(mktemp /tmp/rollup-callgrind.XXXXXX)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" \
  --toggle-collect='ithaca::tracker::RollupBuilder::Impl::run()' \
  "$bin" --events "$EVENTS" --batch "$BATCH" --days "$DAYS" --flush-events "$FLUSH" >/dev/null 2>"$out.log" || { cat "$out.log" >&2; exit 1; }
rm -f "$out.log"
annotated=$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null)
total=$(awk '/PROGRAM TOTALS/ && !t {gsub(",", "", $1); t = $1} END {print t}' <<< "$annotated")
echo "builder instructions: $total for $EVENTS events in batches of $BATCH, roll-ups written every $FLUSH"
echo "per event: $((total / EVENTS))"
grep -E '^ *[0-9,]+ ' <<< "$annotated" | sed -n 2,26p
[ -z "${KEEP_OUT:-}" ] || cp "$out" "$KEEP_OUT"
