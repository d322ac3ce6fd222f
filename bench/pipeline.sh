#!/usr/bin/env bash
# Builds slipway and slipway-pipeline-bench (release, scratch path .build-bench) and runs the
# pipeline benchmarks: change detection against git diff, and parallel deploys against the ideal.
#
#   bash bench/pipeline.sh            1,000 components x 5,000 commits, 200 ranges; 16 deploys of 1 s at --jobs 4
#   bash bench/pipeline.sh --quick    100 components x 500 commits, 20 ranges; one deploy repetition
#   SLIPWAY_BENCH_SLIPWAY=PATH        time that slipway instead (bench/run.sh --all passes the static build)
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --scratch-path .build-bench --product slipway
swift build -c release --scratch-path .build-bench --product slipway-pipeline-bench
bin="$(swift build -c release --scratch-path .build-bench --show-bin-path)"
slipway="${SLIPWAY_BENCH_SLIPWAY:-$bin/slipway}"

work="$(mktemp -d /tmp/slipway-pipeline-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "==> $(nproc) cores, Linux $(uname -r), $(git --version)"
if [ "${1:-}" = "--quick" ]; then
    "$bin/slipway-pipeline-bench" changes --slipway "$slipway" --components 100 --commits 500 --ranges 20 --work "$work"
    "$bin/slipway-pipeline-bench" deploy --slipway "$slipway" --reps 1 --work "$work"
else
    "$bin/slipway-pipeline-bench" changes --slipway "$slipway" --work "$work"
    "$bin/slipway-pipeline-bench" deploy --slipway "$slipway" --work "$work"
fi
