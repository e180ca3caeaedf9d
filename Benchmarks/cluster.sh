#!/usr/bin/env bash
# Shared harvests on PostgreSQL (#12), on this machine, release build. Starts its own
# PostgreSQL (initdb in a temp dir, Unix socket only; as the postgres user when run as root).
#  1. lease+complete round trips per second with 1, 4 and 16 members on one queue;
#  2. a generated site of RELEASES (default 20000) served on 127.0.0.1, harvested embedded and
#     by 1 and 3 processes sharing it: wall time and releases per second;
#  3. a site of RELEASES/4 harvested by 1, 4 and 16 processes: the writer's records per second
#     (records / the writer's busy time) and the harvest's releases per second.
# Usage: Benchmarks/cluster.sh [RELEASES]
set -euo pipefail
cd "$(dirname "$0")/.."
releases=${1:-20000}
small=$((releases / 4))
# TRAWL_BIN: a release binary built beforehand (e.g. to keep working while this runs).
if [ -n "${TRAWL_BIN:-}" ]; then bin=$TRAWL_BIN; else
  swift build -c release --product trawl >/dev/null
  bin=$(swift build -c release --show-bin-path)/trawl
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/trawl-cluster-bench-XXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
as_pg "$pgbin/initdb" -D "$work/data" -U postgres -A trust --no-sync >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/data" -o "-k $work -c listen_addresses='' -c max_connections=300 -c shared_buffers=256MB" -l "$work/pg.log" -w start >/dev/null
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
db() { as_pg "$pgbin/createdb" -h "$work" -U postgres "$1"; echo "postgres://postgres@/$1?host=$work"; }

echo "== 1. the work queue: lease + complete round trips (4 KiB outcomes)"
"$bin" bench queue --coordinator "$(db queue)" --members 1 4 16 --items 4000

config() {  # config OUTPUT URL
  cat > "$work/$1.json" <<JSON
{ "output": "$work/$1", "workers": { "pages": 4, "attachments": 4 },
  "sources": [ { "name": "generated", "type": "http", "base_url": "$2", "seeds": ["/list?page=1"],
    "listing": { "releases": "//td[@class='subject']/a", "next": "//div[@class='paging']/a[@class='next']", "max_pages": 100000 },
    "release": { "title": "//h3[@class='title']", "body": "//div[@class='view_cont']" },
    "http": { "delay_ms": 0, "concurrency_per_host": 16, "user_agent": "TrawlBench/1.0" } } ] }
JSON
  echo "$work/$1.json"
}

harvest() {  # harvest NAME SITE PROCESSES  (0 processes: embedded)
  local name=$1 site=$2 n=$3 cfg url start end
  cfg=$(config "$name" "$site")
  start=$(date +%s.%N)
  if [ "$n" -eq 0 ]; then
    "$bin" run "$cfg" -q >/dev/null
  else
    url=$(db "$name")
    local pids=()
    for _ in $(seq "$n"); do "$bin" run "$cfg" -q --coordinator "$url" >/dev/null & pids+=($!); done
    wait "${pids[@]}"  # not the site server, also a child of this shell
  fi
  end=$(date +%s.%N)
  python3 - "$work/$name" "$start" "$end" "$n" <<'PY'
import json, os, sys, glob
out, start, end, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
runs = sorted(glob.glob(os.path.join(out, "runs", "*.json")))
s = json.load(open(runs[-1]))
records = len(os.listdir(os.path.join(out, "records")))
wall = end - start
write = s["timings"].get("write", 0.0)
who = "embedded" if n == 0 else f"{n} process{'es' if n > 1 else ''}"
print(f"  {who:>12}: {records} records in {wall:.1f} s = {records / wall:.0f} releases/s; "
      f"writer busy {write:.1f} s = {records / write if write else 0:.0f} records/s")
PY
}

site_for() {  # site_for RELEASES: serves a generated site; sets $site and $serve_pid
  rm -f "$work/serve.url"
  "$bin" bench serve --releases "$1" > "$work/serve.url" &
  serve_pid=$!
  for _ in $(seq 100); do [ -s "$work/serve.url" ] && break; sleep 0.1; done
  site=$(head -1 "$work/serve.url")
}

echo "== 2. a $releases-release site: embedded, 1 and 3 processes sharing it"
site_for "$releases"
harvest embedded "$site" 0
harvest one "$site" 1
harvest three "$site" 3
kill "$serve_pid"; serve_pid=""
cmp -s <(cd "$work/embedded/records" && cat $(ls | sort) | sha256sum) <(cd "$work/three/records" && cat $(ls | sort) | sha256sum) \
  && echo "  records of 3 processes == embedded records (byte for byte)" || echo "  RECORDS DIFFER between embedded and 3 processes"

echo "== 3. a $small-release site: the writer at 1, 4 and 16 processes"
site_for "$small"
harvest w1 "$site" 1
harvest w4 "$site" 4
harvest w16 "$site" 16
echo "== the ledger in PostgreSQL after the 3-process harvest"
as_pg "$pgbin/psql" -h "$work" -U postgres -d three -At -c "SELECT count(*) || ' documents, ' || pg_size_pretty(pg_total_relation_size('trawl_documents') + pg_total_relation_size('trawl_lsh_bands')) || ' with their band rows, ' || pg_size_pretty(pg_total_relation_size('trawl_work')) || ' of queue' FROM trawl_documents"
