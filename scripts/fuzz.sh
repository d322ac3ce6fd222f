#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (one instrumented binary, the target picked by
# SLIPWAY_FUZZ_TARGET), replays fuzz/regressions/<target>/ and fuzzes each target from its seeds in
# fuzz/corpus/<target>/. Fails on a crash, a leak, an out-of-memory or a hang (-timeout).
#
#   scripts/fuzz.sh --ci            each target 20 s on a throwaway copy of its seeds (make test)
#   scripts/fuzz.sh [--seconds N]   each target N s (default 300), growing .build-fuzz/corpus/<target>
#   scripts/fuzz.sh ... TARGET...   only these targets
#
# A finding is written to .build-fuzz/artifacts/<target>/; once fixed, keep it in
# fuzz/regressions/<target>/ so that every later run replays it.
set -euo pipefail

cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SCRATCH=.build-fuzz
seconds=300
ci=false
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --ci) ci=true; seconds=20 ;;
        --seconds) seconds=$2; shift ;;
        -*) echo "usage: scripts/fuzz.sh [--ci] [--seconds N] [TARGET...]" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
[ ${#targets[@]} -gt 0 ] || targets=(config workspace-config component-settings report jscpd path-glob makefile router upstream-response)

flags=(--package-path fuzz --scratch-path "$SCRATCH" --product slipway-fuzz
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    -Xcc -fsanitize=fuzzer-no-link,address)
start=$(date +%s)
# ld.gold warns "Cannot export local symbol '__asan_...'" for every module: harmless, filtered.
if ! "$SWIFT" build "${flags[@]}" 2>&1 | { grep -v "Cannot export local symbol '__asan" || true; }; then
    echo "fuzz: build failed" >&2
    exit 1
fi
fuzzer="$("$SWIFT" build "${flags[@]}" --show-bin-path)/slipway-fuzz"
echo "fuzz: built in $(( $(date +%s) - start )) s"

# Swift's own crash backtracer trips AddressSanitizer and hides the report; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for target in "${targets[@]}"; do
    [ -d "fuzz/corpus/$target" ] || { echo "fuzz: no seeds in fuzz/corpus/$target" >&2; exit 2; }
    artifacts="$SCRATCH/artifacts/$target"
    mkdir -p "$artifacts"
    export SLIPWAY_FUZZ_TARGET=$target
    if [ -d "fuzz/regressions/$target" ] && [ -n "$(ls -A "fuzz/regressions/$target")" ]; then
        if ! "$fuzzer" -timeout=10 -rss_limit_mb=2048 "fuzz/regressions/$target"/* >"$work/$target.replay.log" 2>&1; then
            tail -n 40 "$work/$target.replay.log"
            echo "fuzz: $target: a kept regression input fails again" >&2
            failed+=("$target (regression)")
            continue
        fi
    fi
    if $ci; then
        corpus="$work/corpus-$target"
    else
        corpus="$SCRATCH/corpus/$target"
    fi
    mkdir -p "$corpus"
    log="$SCRATCH/artifacts/$target.log"
    if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz: $target: nothing found in $runs runs (${seconds}s, corpus $(ls "$corpus" | wc -l) inputs)"
    else
        # The log and the input live in this clone's .build-fuzz/, which may be gone by the time
        # anyone reads a CI log: what is needed to replay the finding goes to the output too.
        grep -E "ERROR|SUMMARY|Fatal error|Precondition failed|Assertion failed|runtime failure|^ +#[0-9]+ |artifact_prefix|Test unit written" "$log" | head -n 60 || tail -n 40 "$log"
        for input in "$artifacts"/*; do
            [ -f "$input" ] || continue
            echo "fuzz: $target: $(basename "$input") in hex (replay: python3 -c 'import sys; open(\"FILE\", \"wb\").write(bytes.fromhex(sys.argv[1]))' HEX; SLIPWAY_FUZZ_TARGET=$target $fuzzer FILE):"
            od -An -tx1 -v "$input" | tr -d ' \n' | head -c 16384
            echo
        done
        echo "fuzz: $target: FOUND a crash, leak, out-of-memory or timeout (log $log, input in $artifacts/)" >&2
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets clean in $(( $(date +%s) - start )) s"
