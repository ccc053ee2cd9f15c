# Sourced by the tracker bench scripts: a scratch folder ($work) and the one server process the
# script runs at a time ($pid, set by the caller), both removed on exit however the script ends.
#
#   . "$here/scratch.sh"; bench_scratch ithaca-NAME
bench_scratch() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pid=
  trap bench_cleanup EXIT
}
bench_cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
