#!/usr/bin/env bash
# Parsing a 50 MB LCOV tracefile: Slipway's parser against `lcov --summary` (Debian package lcov)
# on the same generated file, in the same run.
#
#   bash bench/lcov.sh                     50 MB, 5 runs of each
#   bash bench/lcov.sh --megabytes 10 --runs 3
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v lcov >/dev/null 2>&1; then
    echo "bench/lcov.sh: lcov is needed (apt-get install -y lcov)" >&2
    exit 1
fi

echo "==> swift build -c release --scratch-path .build-bench --product slipway-gates-bench"
swift build -c release --scratch-path .build-bench --product slipway-gates-bench
bin="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway-gates-bench"

work="$(mktemp -d /tmp/slipway-gates-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "==> $(nproc) cores, Linux $(uname -r), $(lcov --version)"
"$bin" --work "$work" "$@"
