#!/usr/bin/env bash
# Apply N migrations (default 200) with `slipway migrate apply` against `psql -f` of the same
# files in a loop (one psql process a file, ON_ERROR_STOP), each into a fresh database of a
# throwaway PostgreSQL cluster on a unix socket (initdb as the postgres user when run as root).
#
#   bench/scripts/migrate-apply.sh [N] [RUNS]     SLIPWAY=path/to/slipway (default .build/debug/slipway)
set -euo pipefail
count=${1:-200}
runs=${2:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
slipway=${SLIPWAY:-$here/.build/debug/slipway}
bin=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/slipway-applybench-XXXXXX)
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_server "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
as_server "$bin/initdb" -D "$work/data" --auth=trust --username=postgres --no-sync --encoding=UTF8 --locale=C >/dev/null
as_server "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-k $work -c listen_addresses= -c fsync=off" start >/dev/null

# The workspace: one service whose migrations create a table, then add columns and indexes to it.
ws=$work/ws
mkdir -p "$ws/services/db/migrations"
printf 'databases:\n  main: {url_env: BENCH_DB_URL}\nenvironments:\n  staging: {database: main}\n' > "$ws/slipway.yml"
printf 'database: {migrations: migrations/}\n' > "$ws/services/db/slipway.yml"
printf 'deploy:\n\t@true\n' > "$ws/services/db/Makefile"
printf 'CREATE TABLE items (id bigint PRIMARY KEY);\n' > "$ws/services/db/migrations/V1__create_items.sql"
for i in $(seq 2 "$count"); do
  if [ $((i % 4)) = 0 ]; then
    printf 'CREATE INDEX items_c%d ON items (c%d);\n' $((i - 1)) $((i - 1))
  else
    printf 'ALTER TABLE items ADD COLUMN c%d text;\n' "$i"
  fi > "$ws/services/db/migrations/V${i}__step_$i.sql"
done
(cd "$ws" && git init -q && git add -A && git -c user.email=b@b -c user.name=bench commit -qm bench)

seconds() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }
for run in $(seq 1 "$runs"); do
  as_server "$bin/psql" -h "$work" -U postgres -qc "CREATE DATABASE s$run" -c "CREATE DATABASE p$run" postgres
  start=$(seconds)
  BENCH_DB_URL="postgres://postgres@/s$run?host=$work" SLIPWAY_NO_AGENT=1 "$slipway" --workspace "$ws" migrate apply db --env staging >/dev/null
  mid=$(seconds)
  for f in $(ls "$ws/services/db/migrations" | sort -t_ -k1.2 -n); do
    "$bin/psql" -h "$work" -U postgres -d "p$run" -q -v ON_ERROR_STOP=1 -f "$ws/services/db/migrations/$f" >/dev/null
  done
  end=$(seconds)
  applied=$("$bin/psql" -h "$work" -U postgres -d "s$run" -tAc "SELECT count(*) FROM flyway_schema_history WHERE success")
  python3 -c "print(f'run $run: slipway migrate apply {($mid-$start):.2f} s ($applied applied, history written), psql -f loop {($end-$mid):.2f} s, ratio {($mid-$start)/($end-$mid):.2f}')"
done
