#!/usr/bin/env bash
# Every benchmark of bench/, one after another, each bounded by a timeout, then one table of the
# figures against the aims (issue 15's, and the earlier issues' goals the benchmarks check) with
# met / missed. Started by `bash bench/run.sh --all [options]`.
#
#   bash bench/run.sh --all                  full runs (an hour or more on the shared 2 cores)
#   bash bench/run.sh --all --quick          shorter runs of each (smaller data, fewer rounds)
#   bash bench/run.sh --all --timeout 600    seconds each benchmark may take (default 1800, quick 600)
#   bash bench/run.sh --all --only slo,startup   some of: store output slo startup changes router metrics console lcov migrate deploy follow
#
# The logs of every benchmark stay in the folder printed at the start. A benchmark that fails,
# times out or lacks its tools shows "not run" and why; its aims are not judged.
set -uo pipefail
cd "$(dirname "$0")/.."
QUICK=0
TIMEOUT=""
ONLY="store,output,slo,startup,changes,router,metrics,console,lcov,migrate,deploy,follow"
while (($#)); do
    case "$1" in
        --quick) QUICK=1; shift ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --only) ONLY="$2"; shift 2 ;;
        *) echo "usage: bench/run.sh --all [--quick] [--timeout S] [--only store,slo,...]" >&2; exit 2 ;;
    esac
done
[ -n "$TIMEOUT" ] || TIMEOUT=$((QUICK ? 600 : 1800))
quick() { [ "$QUICK" = 1 ] && echo "$1" || echo "$2"; }
chosen() { [[ ",$ONLY," == *",$1,"* ]]; }

# Only the programs the chosen benchmarks run (their own scripts build theirs too; a no-op then).
declare -A NEEDS=([store]=slipway-bench [output]=slipway [slo]=slipway-slo-bench [startup]=slipway [changes]="slipway slipway-pipeline-bench"
    [router]=slipway-router-bench [metrics]=slipway-router-bench [console]="slipway slipway-bench" [lcov]=slipway-gates-bench
    [migrate]=slipway-migrate-bench [deploy]=slipway [follow]="slipway slipway-bench")
for name in ${ONLY//,/ }; do
    for product in ${NEEDS[$name]:-}; do
        echo "==> swift build -c release --scratch-path .build-bench --product $product"
        swift build -c release --scratch-path .build-bench --product "$product" >/dev/null || { echo "cannot build $product" >&2; exit 1; }
    done
done
BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)"
# Start-up, change detection and the console are timed on the binary users install (`make
# release`: the Swift libraries linked in, a fixed address), whose start and memory differ most
# from the bench build's.
SHIPPED="$BIN/slipway"
if chosen startup || chosen changes || chosen console; then
    echo "==> swift build -c release --static-swift-stdlib --product slipway (make release)"
    swift build -c release --static-swift-stdlib --product slipway >/dev/null ||
        { echo "cannot build the static slipway" >&2; exit 1; }
    SHIPPED="$(swift build -c release --static-swift-stdlib --show-bin-path)/slipway"
fi
LOGS="$(mktemp -d /tmp/slipway-bench-all.XXXXXX)"
WORK="$(mktemp -d /tmp/slipway-bench-all-work.XXXXXX)"
trap '"$BIN/slipway" agent stop --workspace "$WORK/demo" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
echo "==> $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), Linux $(uname -r); logs in $LOGS; each benchmark at most $TIMEOUT s"

declare -A STATUS
run() { # name command...: runs one benchmark under the timeout, its output in $LOGS/name.log
    local name="$1"; shift
    chosen "$name" || return 0
    echo "==> $name: $*"
    local start=$SECONDS
    timeout --kill-after=30 "$TIMEOUT" "$@" >"$LOGS/$name.log" 2>&1
    local code=$?
    case $code in
        0) STATUS[$name]="ran in $((SECONDS - start)) s" ;;
        124|137) STATUS[$name]="not run: timed out after $TIMEOUT s" ;;
        *) STATUS[$name]="not run: exit $code ($(tail -1 "$LOGS/$name.log" | cut -c1-80))" ;;
    esac
    echo "    ${STATUS[$name]}"
}

run store bash bench/run.sh $(quick "--quick --settle 5" "")
run output python3 bench/chatty_output.py --slipway "$BIN/slipway" --rounds "$(quick 2 5)"
run slo "$BIN/slipway-slo-bench" --store "$WORK/slo" --runs "$(quick 3 5)" $(quick "--days 3" "")
# Memory is measured on the binaries' pages as a machine that installed them reads them, not as
# the linker left them in the page cache: here a freshly linked file is mapped 0.4-0.9 MB at a
# fault, which put about 8 MB on `version`'s peak RSS and 14 MB on the console's (bench/README.md,
# nineteenth session). Dropping the files' cached pages first makes them read from disk as after
# an install.
drop_page_cache() {
    python3 -c 'import os, sys
for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$@"
}
chosen startup && drop_page_cache "$SHIPPED" "$BIN/slipway"
# shellcheck disable=SC2016 # expanded by the inner bash
run startup bash -c '"$0/slipway" demo --dir "$1/demo" --no-console >/dev/null &&
    python3 bench/startup.py --slipway "$3" --demo "$1/demo" --runs "$2" --also bench-build="$0/slipway"' \
    "$BIN" "$WORK" "$(quick 30 200)" "$SHIPPED"
run changes env SLIPWAY_BENCH_SLIPWAY="$SHIPPED" bash bench/pipeline.sh $(quick --quick "")
run router bash bench/router.sh $(quick --quick "")
run metrics bash bench/router-metrics.sh $(quick "--duration 3 --rounds 1" "")
chosen console && drop_page_cache "$SHIPPED"
run console env SLIPWAY_BIN="$SHIPPED" SLIPWAY_BENCH_PAST_EVENTS="$(quick 100000 1000000)" bash bench/console.sh $(quick "--idle 10 --runs 2 --keys 5" "")
run lcov bash bench/lcov.sh $(quick "--megabytes 10 --runs 3" "")
run migrate "$BIN/slipway-migrate-bench" --statements "$(quick 1000 10000)" --runs "$(quick 3 9)"
run deploy python3 bench/deploy_overhead.py --slipway "$BIN/slipway" --rounds "$(quick 3 10)"
run follow python3 bench/follow_latency.py --bin "$BIN" --events "$(quick 50 200)"

log() { [ -f "$LOGS/$1.log" ] && [[ "${STATUS[$1]:-}" == ran* ]] && cat "$LOGS/$1.log"; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }
verdict() { [ "$1" = 1 ] && echo met || echo missed; }
notrun() { echo "${STATUS[$1]:-not run: not selected}"; }

echo
echo "| aim | benchmark | figure | peer, same run | met |"
echo "|---|---|---|---|---|"

# Issue 15, aim 1: the router at 64 connections.
if line=$(log router | grep -m1 '^64 connections:'); then
    read -r t l < <(echo "$line" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+x$/) printf "%s ", substr($i, 1, length($i) - 1) }')
    row "router, 64 connections: >= 0.9x nginx throughput, p99 <= 1.3x" router "throughput ${t}x, p99 ${l}x" "nginx (1 worker)" \
        "$(verdict "$(awk -v t="$t" -v l="$l" 'BEGIN { print (t >= 0.9 && l <= 1.3) }')")"
else row "router, 64 connections" router "$(notrun router)" nginx "-"; fi

# Aim 2: start-up (startup.py prints its own verdict rows).
if out=$(log startup | grep '^| aim:'); then
    echo "$out" | sed 's/^| aim: //; s/ *|$//' | while IFS='|' read -r aim figure peer met; do row "$aim" startup "$figure" "$peer" "$met"; done
else row "CLI start-up" startup "$(notrun startup)" "git --version" "-"; fi

# Aim 3: change detection against git diff, as processes.
if line=$(log changes | grep -m1 '^| `slipway changes'); then
    ratio=$(echo "$line" | awk -F'|' '{ gsub(/[ x]/, "", $5); print $5 }')
    row "slipway changes within 2x of git diff (total over the ranges)" changes "${ratio}x" "git diff --name-only A...B" \
        "$(verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 2) }')")"
else row "slipway changes within 2x of git diff" changes "$(notrun changes)" "git diff" "-"; fi

# Aim 4: the console against tig and htop.
if out=$(log console); then
    first=$(echo "$out" | awk '/^launch to first frame/ { for (i = 1; i <= NF; i++) if ($i == "best") { print $(i + 1); exit } }')
    tig=$(echo "$out" | awk '/^launch to first frame/ { n = 0; for (i = 1; i <= NF; i++) if ($i == "best") { n++; if (n == 2) { print $(i + 1); exit } } }')
    row "console first frame <= 100 ms (best)" console "${first} ms" "tig ${tig} ms" "$(verdict "$(awk -v f="$first" 'BEGIN { print (f <= 100) }')")"
    read -r keys tigkeys < <(echo "$out" | awk '/^keypress/ { n = 0; for (i = 1; i <= NF; i++) if ($i == "median") { v[n++] = $(i + 1) } } END { print v[0], v[1] }')
    row "console keypress to frame within tig's (medians)" console "${keys} ms" "tig ${tigkeys} ms" "$(verdict "$(awk -v a="$keys" -v b="$tigkeys" 'BEGIN { print (a <= b) }')")"
    read -r mine htop < <(echo "$out" | awk '/^idle CPU/ { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /%$/) { v[n++] = $i + 0 } } END { print v[0], v[1] }')
    row "console idle CPU <= htop's" console "${mine}%" "htop ${htop}%" "$(verdict "$(awk -v a="$mine" -v b="$htop" 'BEGIN { print (a <= b) }')")"
    memory=$(echo "$out" | awk '/^peak memory/ { print $4; exit }')
    row "console peak memory < 30 MB" console "${memory} MB" "$(echo "$out" | awk '/^peak memory/ { sub(/.*MB +/, ""); print; exit }')" \
        "$(verdict "$(awk -v m="$memory" 'BEGIN { print (m < 30) }')")"
else row "console" console "$(notrun console)" "tig, htop" "-"; fi

# Aim 5: one alert evaluation pass (the benchmark judges it, and checks the answers).
if line=$(log slo | grep -m1 '^| alert evaluation pass'); then
    echo "$line" | awk -F'|' -v floor="$(log slo | grep -m1 '^| bare SQLite, the pass' | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')" \
        -v days="$(quick ", 3 days" ", 30 days")" \
        '{ gsub(/^ +| +$/, "", $5); printf "| alert evaluation pass < 100 ms (100 x 3%s) | slo | best %s ms, median %s ms | bare SQLite look-ups: %s ms | %s |\n", days, $3 + 0, $4 + 0, floor, $6 ~ /met/ && $6 !~ /missed/ ? "met" : "missed" }'
else row "alert evaluation pass < 100 ms" slo "$(notrun slo)" "bare SQLite" "-"; fi

# Aim 6: appends within 1.5x of the sqlite3 CLI in every run, and the earlier store goals.
if out=$(log store); then
    ratios=$(echo "$out" | awk '/EventStore.append:/ { n = 0; for (i = 1; i <= NF; i++) if ($(i + 1) == "s") s[n++] = $i }
        /sqlite3 CLI: / { m = 0; for (i = 1; i <= NF; i++) if ($(i + 1) == "s") q[m++] = $i }
        END { for (i = 0; i < n; i++) printf "%.2f ", s[i] / q[i] }')
    worst=$(echo "$ratios" | tr ' ' '\n' | sort -g | tail -1)
    row "appends within 1.5x of sqlite3 in every run" store "${ratios% }x" "sqlite3 CLI, same rows" \
        "$(verdict "$(awk -v w="$worst" 'BEGIN { print (w != "" && w <= 1.5) }')")"
    echo "$out" | grep -E '^\| .*\| (yes|NO) +\|$' | awk -F'|' '{ for (i = 2; i <= 5; i++) gsub(/^ +| +$/, "", $i);
        printf "| %s %s | store | %s | - | %s |\n", $2, $4, $3, $5 == "yes" ? "met" : "missed" }'
else row "appends within 1.5x of sqlite3" store "$(notrun store)" "sqlite3 CLI" "-"; fi

# Aim 6, second half: a chatty build's 100,000 lines stored while streaming (the benchmark judges
# each form on its median; the lines were checked in the output and in the store).
if out=$(log output | grep '^| aim:'); then
    echo "$out" | sed 's/^| aim: //; s/ *|$//' | while IFS='|' read -r aim figure peer met; do row "$aim" output "$figure" "$peer" "$met"; done
else row "chatty build output stored >= 100,000 lines/s" output "$(notrun output)" "make alone" "-"; fi

# Aim 7: deploy overhead (deploy_overhead.py judges both, medians through the agent).
if out=$(log deploy); then
    service=$(echo "$out" | awk -F'|' '/^\| service / { gsub(/ /, "", $4); print $4 }')
    peer=$(echo "$out" | awk -F'|' '/^\| make peer / { gsub(/ /, "", $4); print $4 }')
    echo "$out" | awk -v service="$service" -v peer="$peer" '
        /^native deploy \(agent\)/ { printf "| native local deploy, command to traffic switched < 1.5 s | deploy | %s ms | the service alone starts in %s ms | %s |\n", $5, service, $NF ~ /^met/ ? "met" : "missed" }
        /^make deploy over make \(agent\)/ { printf "| Makefile deploy of no-op goals within 100 ms of make | deploy | +%s ms | make build, make deploy: %s ms | %s |\n", $7, peer, $NF ~ /^met/ ? "met" : "missed" }' | tr -d ')'
else row "deploy overhead" deploy "$(notrun deploy)" "the service alone; make" "-"; fi

# Issue 14: event-to-follower latency, 20 followers on PostgreSQL and on SQLite (the script judges p99).
if out=$(log follow | grep '^| aim:'); then
    echo "$out" | sed 's/^| aim: //; s/ *|$//' | while IFS='|' read -r aim figure peer met; do row "$aim" follow "$figure" "$peer" "$met"; done
else row "event-to-follower p99 < 1 s, 20 followers" follow "$(notrun follow)" "SQLite, same run" "-"; fi

# Earlier issues' aims that the remaining benchmarks check.
if line=$(log metrics | grep -m1 'counting costs'); then
    cost=$(echo "$line" | awk '{ print $NF }' | tr -d '%')
    row "router per-request metrics cost < 5%" metrics "${cost}%" "the same router, metrics off" "$(verdict "$(awk -v c="$cost" 'BEGIN { print (c < 5) }')")"
else row "router per-request metrics cost < 5%" metrics "$(notrun metrics)" "metrics off" "-"; fi
if line=$(log lcov | grep -m1 '^ratio:'); then
    ratio=$(echo "$line" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /x$/) { print substr($i, 1, length($i) - 1); exit } }')
    row "LCOV parsing at least 10x lcov --summary" lcov "${ratio}x faster" "lcov --summary" "$(verdict "$(awk -v r="$ratio" 'BEGIN { print (r >= 10) }')")"
else row "LCOV parsing at least 10x lcov" lcov "$(notrun lcov)" "lcov --summary" "-"; fi
if line=$(log migrate | grep -m1 -i 'best'); then
    row "migration lint (no aim)" migrate "$(echo "$line" | cut -c1-90)" "-" "-"
else row "migration lint (no aim)" migrate "$(notrun migrate)" "-" "-"; fi
echo
echo "Not part of this run: bench/agent-memory.sh (no aim) and bench/soak.py (10-minute soak, run it on its own)."
