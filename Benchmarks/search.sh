#!/usr/bin/env bash
# Search sinks (#16), release build: N generated records (default 100,000) with Korean and
# English text indexed into the embedded index and, when PostgreSQL is installed, into a table
# of a server this script starts (initdb in a temp dir, Unix socket only; as the postgres user
# when run as root): documents per second, bytes on disk per document, query latency
# (median, p99) over a mix of Korean words, parts of words, English words and pairs; then, when
# the server has the rum extension, PostgreSQL again with the RUM text index.
# Usage: Benchmarks/search.sh [N] [nopg]     TRAWL_BIN: a release binary built beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
if [ -n "${TRAWL_BIN:-}" ]; then bin=$TRAWL_BIN; else
  swift build -c release --product trawl >/dev/null
  bin=$(swift build -c release --show-bin-path)/trawl
fi
work=$(mktemp -d /tmp/trawl-search-bench-XXXX)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
started=""
cleanup() {
  [ -n "$started" ] && as_pg "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
args=(bench search --documents "$n" --path "$work/search.sqlite")
if [ -n "$pgbin" ] && [ "${2:-}" != "nopg" ]; then
  [ "$(id -u)" -eq 0 ] && chown postgres "$work"
  as_pg "$pgbin/initdb" -D "$work/data" -U postgres -A trust --no-sync >/dev/null
  as_pg "$pgbin/pg_ctl" -D "$work/data" -o "-k $work -c listen_addresses='' -c shared_buffers=256MB" -l "$work/pg.log" -w start >/dev/null
  started=1
  as_pg "$pgbin/createdb" -h "$work" -U postgres bench
  args+=(--postgres "postgres://postgres@/bench?host=$work")
fi
/usr/bin/time -f "process: %e s wall, %M KiB max resident" "$bin" "${args[@]}" 2> >(grep -v '^indexed [0-9]*$' >&2)
# The same records into PostgreSQL with the RUM text index, where the server has the extension.
if [ -n "$started" ] && [ "$(as_pg "$pgbin/psql" -h "$work" -U postgres -d bench -Atc "SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")" = 1 ]; then
  "$bin" bench search --documents "$n" --no-embedded --postgres "postgres://postgres@/bench?host=$work" --postgres-text-index rum 2> >(grep -v '^indexed [0-9]*$' >&2)
fi
