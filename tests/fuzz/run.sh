#!/usr/bin/env bash
# Runs every libFuzzer target in a directory for a bounded time and fails on any crash.
#   tests/fuzz/run.sh DIR_WITH_BINARIES          (make test-fuzz passes build/fuzz/bin)
# Each `*_fuzz` binary runs for $FUZZ_SECONDS seconds (default 20) on a *copy* of its committed
# seed corpus tests/fuzz/corpus/<target>/ (an empty one if there is none), with
# tests/fuzz/<target>.dict when present; the committed corpus is never grown here. A crash,
# a sanitizer report, a broken invariant, an input slower than $FUZZ_TIMEOUT seconds (default 10)
# or a blow-up past $FUZZ_RSS_MB (default 2048) fails the run; the offending input is kept in
# DIR_WITH_BINARIES/../fuzz-artifacts/<target>/ with the command that reproduces it.
set -uo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR_WITH_FUZZ_BINARIES" >&2
  exit 2
fi
BIN_DIR=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-20}
TIMEOUT=${FUZZ_TIMEOUT:-10}
RSS_MB=${FUZZ_RSS_MB:-2048}
ARTIFACTS=$(cd "$BIN_DIR/.." && pwd)/fuzz-artifacts
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ithaca-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Sanitizer settings: report and stop at the first problem, with symbolized stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

shopt -s nullglob
targets=()
for bin in "$BIN_DIR"/*_fuzz; do
  [ -x "$bin" ] && [ -f "$bin" ] && targets+=("$bin")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no *_fuzz binaries in $BIN_DIR (configure with CXX=clang++ -DITHACA_FUZZ=ON)" >&2
  exit 2
fi

# "stat::number_of_executed_units: 12345" → 12345
stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

summary=()
failed=0
for bin in "${targets[@]}"; do
  name=$(basename "$bin")
  corpus="$WORK/$name/corpus"
  mkdir -p "$corpus" "$WORK/$name/artifacts"
  seeds=0
  if [ -d "$HERE/corpus/$name" ]; then
    cp -R "$HERE/corpus/$name/." "$corpus/"
    seeds=$(find "$corpus" -type f | wc -l)
  fi
  args=(-max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB"
        -max_len=8192 -print_final_stats=1 -artifact_prefix="$WORK/$name/artifacts/")
  [ -f "$HERE/$name.dict" ] && args+=(-dict="$HERE/$name.dict")
  log="$WORK/$name/log"

  echo "fuzz: $name for ${SECONDS_EACH}s on $seeds seed inputs"
  "$bin" "${args[@]}" "$corpus" >"$log" 2>&1
  status=$?

  runs=$(stat_of "$log" number_of_executed_units)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  final=$(find "$corpus" -type f | wc -l)
  if [ $status -eq 0 ]; then
    summary+=("$(printf '%-12s ok     %10s runs  cov %-6s corpus %s -> %s' "$name" "${runs:-?}" "${cov:-?}" "$seeds" "$final")")
    continue
  fi

  failed=1
  kind=$(grep -m1 -o 'fuzz invariant broken: .*' "$log" || grep -m1 '^SUMMARY: ' "$log" | cut -c10-120)
  mkdir -p "$ARTIFACTS/$name"
  saved=()
  for a in "$WORK/$name/artifacts/"*; do
    cp "$a" "$ARTIFACTS/$name/"
    saved+=("$ARTIFACTS/$name/$(basename "$a")")
  done
  cp "$log" "$ARTIFACTS/$name/log.txt"
  summary+=("$(printf '%-12s FAILED %10s runs  %s' "$name" "${runs:-?}" "${kind:-exit status $status}")")
  echo "---- $name failed (exit $status): last lines of its log ----"
  grep -v '^#[0-9]' "$log" | tail -40
  for s in "${saved[@]}"; do
    echo "input: $s ($(wc -c <"$s") bytes)"
    if [ -z "$(head -c 300 "$s" | LC_ALL=C tr -d '\t\n\040-\176')" ]; then
      head -c 300 "$s"; echo       # printable: show it as text
    else
      head -c 300 "$s" | od -An -c | head -8
    fi
    echo "reproduce: $bin $s"
  done
  echo "full log: $ARTIFACTS/$name/log.txt"
done

echo
echo "fuzz summary (${SECONDS_EACH}s per target):"
printf '  %s\n' "${summary[@]}"
exit $failed
