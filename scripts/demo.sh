#!/usr/bin/env bash
# Starts the tracker with its defaults — the demo site and the SDK at /, the `demo` rule set,
# SQLite under ./data, 127.0.0.1:8080 — and prints the URL. Builds nothing (`make demo` builds
# first). Extra arguments go to ithaca-tracker. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/native/bin/ithaca-tracker
if [ ! -x "$bin" ]; then
  echo "demo: $bin is missing; run 'make demo' (or 'make build') first" >&2
  exit 1
fi
host=${ITHACA_HOST:-127.0.0.1}
port=${ITHACA_PORT:-8080}
data=${ITHACA_DATA:-data}

# The dashboard's chart library comes from npm (installed by `make deps`); copy it into the site.
node demo_site/tools/vendor.mjs

"$bin" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" || true; exit 0' INT TERM

for _ in $(seq 1 100); do
  if curl -fsS "http://$host:$port/healthz" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    exit $?
  fi
  sleep 0.1
done

# First run: fill the dashboard with realistic generated traffic (skipped when data exists).
node demo_site/tools/seed.mjs --if-empty --url "http://$host:$port" --data "$data" ||
  echo "demo: seeding the dashboard failed; the demo still runs" >&2

echo
echo "Ithaca demo: http://$host:$port/"
if [ -z "${ITHACA_ADMIN_TOKEN:-}" ] && [ -r "$data/admin-token" ]; then
  echo "Admin token (playground publishing, dashboard): $(cat "$data/admin-token")"
fi
echo "Stop with Ctrl-C."
wait "$pid"
