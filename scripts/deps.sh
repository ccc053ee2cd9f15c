#!/usr/bin/env bash
# Installs everything Ithaca needs on a fresh Debian 12 machine. Idempotent: packages already
# present are not reinstalled, and `apt-get update` runs only when something is missing.
# This is the one place the package list lives; `make deps` (and so `make demo`/`make test`) runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  clang lld libclang-rt-14-dev            # libFuzzer + sanitizers
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libsqlite3-dev sqlite3
  patch                                   # cpp-httplib is built from Debian's source, patched (cmake/IthacaHttplib.cmake)
  libmaxminddb-dev mmdb-bin libmaxmind-db-writer-perl
  emscripten                              # node 20 and npm come with the base image
  clickhouse-server clickhouse-client
  chromium chromium-driver
  wrk hyperfine curl valgrind               # valgrind: instruction counts in `make bench`
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: Debian packages present"
fi

# Node >= 20 and npm are not in Debian 12's archive (its nodejs is 18, without npm): the machines
# this project targets have them in the base image. Say so plainly rather than fail in npm.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null; then
  echo "deps: Node >= 20 and npm are needed (found node major '$node_major'$(command -v npm >/dev/null || echo ', no npm'));" \
       "Debian 12's nodejs package is 18: install Node 20 with npm first" >&2
  exit 1
fi

# npm packages (test runners, peers for benchmarks, chart library) are pinned in package-lock.json.
if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    echo "deps: npm packages present"
  fi
fi
