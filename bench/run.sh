#!/usr/bin/env bash
# Builds slipway-bench (release, its own scratch path) and runs every benchmark:
# workspace discovery, appends against the sqlite3 CLI, and the projection rebuild.
#
#   bash bench/run.sh                 the full run (about 2-3 minutes on 2 cores)
#   bash bench/run.sh --quick         a smaller run, to check that everything works
#   bash bench/run.sh --settle 0      do not wait for the machine to go quiet first
#   bash bench/run.sh --all [--quick] every benchmark of bench/, bounded, then one table against
#                                     the aims with met / missed (see bench/all.sh)
#
# Any other argument is passed to `slipway-bench all` (see `slipway-bench --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--all" ]; then
    shift
    exec bash bench/all.sh "$@"
fi

if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "bench/run.sh: the sqlite3 command-line tool is needed (apt-get install -y sqlite3)" >&2
    exit 1
fi

echo "==> swift build -c release --scratch-path .build-bench --product slipway-bench"
swift build -c release --scratch-path .build-bench --product slipway-bench
bin="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway-bench"

work="$(mktemp -d /tmp/slipway-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "==> $(nproc) cores, Linux $(uname -r), $(sqlite3 --version | cut -d' ' -f1-2)"
"$bin" all --work "$work" "$@"
