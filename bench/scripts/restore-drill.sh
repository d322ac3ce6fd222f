#!/usr/bin/env bash
# A restore drill of a database of SIZE_MB (default 1024): `slipway backup verify --restore`
# (restore the newest base backup plus archived WAL into a throwaway cluster, replay, check row
# counts, remove it) against the same by hand (copy the base backup, restore_command and
# recovery.signal, pg_ctl start, wait for promotion, count rows, stop).
#
#   bench/scripts/restore-drill.sh [SIZE_MB]       SLIPWAY=path/to/slipway (default .build/debug/slipway)
set -euo pipefail
size=${1:-1024}
here=$(cd "$(dirname "$0")/../.." && pwd)
slipway=${SLIPWAY:-$here/.build/debug/slipway}
bin=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/slipway-drillbench-XXXXXX)
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for data in "$work/manual" "$work/data"; do as_server "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
as_server "$bin/initdb" -D "$work/data" --auth=trust --username=postgres --no-sync --encoding=UTF8 --locale=C >/dev/null
server_options="-k $work -c listen_addresses= -c max_wal_size=4GB"
as_server "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "$server_options" start >/dev/null
psql_() { "$bin/psql" -h "$work" -U postgres -qtA "$@"; }

ws=$work/ws
mkdir -p "$ws/services/db"
printf 'databases:\n  main: {url_env: BENCH_DB_URL}\nenvironments:\n  staging: {database: main}\n' > "$ws/slipway.yml"
printf 'database:\n  migrations: migrations/\n' > "$ws/services/db/slipway.yml"
printf 'deploy:\n\t@true\n' > "$ws/services/db/Makefile"
(cd "$ws" && git init -q && printf '.slipway/\n' > .gitignore && git add -A && git -c user.email=b@b -c user.name=bench commit -qm bench)
# The server writes the archive, so the workspace's backup folder must be the server user's to write.
[ "$(id -u)" = 0 ] && chmod 755 "$work" && mkdir -p "$ws/.slipway/backups" && chown -R postgres:postgres "$ws/.slipway/backups"
export BENCH_DB_URL="postgres://postgres@/postgres?host=$work" SLIPWAY_NO_AGENT=1
"$slipway" --workspace "$ws" backup setup db --env staging
as_server "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "$server_options" restart >/dev/null

rows=$((size * 1024 * 1024 / 180))
t0=$(date +%s.%N)
psql_ -c "CREATE TABLE big AS SELECT g AS id, md5(g::text) || repeat('x', 100) AS body FROM generate_series(1, $rows) g" postgres
echo "made: $(psql_ -c "SELECT pg_size_pretty(pg_database_size('postgres'))" postgres), $rows rows in $(python3 -c "print(round($(date +%s.%N) - $t0))") s"
"$slipway" --workspace "$ws" backup create db --env staging | tail -1
psql_ -c "INSERT INTO big VALUES (0, 'after the base backup')" -c "SELECT pg_switch_wal()" postgres >/dev/null
sleep 2

t1=$(date +%s.%N)
"$slipway" --workspace "$ws" backup verify db --env staging --restore | tail -2
t2=$(date +%s.%N)

base=$(ls -d "$ws"/.slipway/backups/db/staging/base-* | sort | tail -1)
wal=$ws/.slipway/backups/db/staging/wal
cp -a "$base/data" "$work/manual" 2>/dev/null || cp -a "$base" "$work/manual"
rm -f "$work/manual/backup.json"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$work/manual"
chmod 700 "$work/manual"
printf "restore_command = 'cp %s/%%f %%p'\nrecovery_target_action = 'promote'\narchive_mode = off\n" "$wal" >> "$work/manual/postgresql.auto.conf"
touch "$work/manual/recovery.signal"
as_server "$bin/pg_ctl" -D "$work/manual" -l "$work/manual.log" -w -t 3600 -o "-k $work -p 5499 -c listen_addresses=" start >/dev/null
until [ "$("$bin/psql" -h "$work" -p 5499 -U postgres -qtAc 'SELECT pg_is_in_recovery()' postgres)" = f ]; do sleep 0.2; done
"$bin/psql" -h "$work" -p 5499 -U postgres -qtAc 'SELECT count(*) FROM big' postgres >/dev/null
as_server "$bin/pg_ctl" -D "$work/manual" -m fast -w stop >/dev/null
t3=$(date +%s.%N)
python3 -c "print(f'slipway backup verify --restore: {$t2-$t1:.1f} s; by hand (copy, recover, count, stop): {$t3-$t2:.1f} s; ratio {($t2-$t1)/($t3-$t2):.2f}')"
