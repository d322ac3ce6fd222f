#!/usr/bin/env bash
# The console benchmark (issue 4): slipway's console on 500 components x 3 environments with
# 100,000 events, side by side with tig on a repository of 100,000 commits and htop idle.
#
#   bash bench/console.sh                  release build, 5 launches, 20 keys, 60 s idle
#   bash bench/console.sh --idle 10        shorter idle window (other options: --runs N, --keys N)
#   SLIPWAY_BIN=.build/debug/slipway bash bench/console.sh   a given binary, no build
#   (SLIPWAY_BENCH_BIN likewise for slipway-bench, which times the past view on 1,000,000 events;
#   SLIPWAY_BENCH_PAST_EVENTS=100000 bash bench/console.sh makes that store smaller)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tmux tig htop sqlite3 python3 git; do
    command -v "$tool" >/dev/null || { echo "bench/console.sh: $tool is needed (apt-get install -y $tool)" >&2; exit 1; }
done
if [ -z "${SLIPWAY_BIN:-}" ]; then
    swift build -c release --scratch-path .build-bench --product slipway
    SLIPWAY_BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway"
fi
work="$(mktemp -d /tmp/slipway-console-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "==> $(nproc) cores, $(tmux -V), $(tig --version | head -1), $(htop --version | head -1)"
echo "==> generating 500 components x 3 environments, 100,000 events and a 100,000-commit repository"
python3 bench/console/generate.py "$work" "$SLIPWAY_BIN"
python3 bench/console/measure.py "$work" "$SLIPWAY_BIN" "$@"
# The past view's query (issue 16) on a store ten times larger: any moment of 1,000,000 events.
if [ -z "${SLIPWAY_BENCH_BIN:-}" ]; then
    swift build -c release --scratch-path .build-bench --product slipway-bench
    SLIPWAY_BENCH_BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway-bench"
fi
# SLIPWAY_BENCH_PAST_EVENTS makes that store smaller (bench/run.sh --all --quick: its generation
# alone takes minutes on a busy machine).
past_events="${SLIPWAY_BENCH_PAST_EVENTS:-1000000}"
echo "==> generating 500 components x 3 environments and $past_events events (store only)"
python3 bench/console/generate.py "$work/million" "$SLIPWAY_BIN" --events "$past_events" --store-only yes
"$SLIPWAY_BENCH_BIN" past "$work/million/workspace/.slipway/state.db" --samples 40
