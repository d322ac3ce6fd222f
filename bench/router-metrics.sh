#!/usr/bin/env bash
# Router throughput with per-request metrics on against off, under wrk (the SLO issue's benchmark).
# Two router processes, identical but for counting (slipway-router-bench router --metrics off),
# in front of one backend nginx; wrk loads them in turn, alternating, so machine noise falls on both.
#
#   bash bench/router-metrics.sh                      # 10 s per run, 3 rounds
#   bash bench/router-metrics.sh --duration 5 --rounds 2
#
# CPU 0: wrk. CPU 1: the router under load and the backend nginx.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=10
ROUNDS=3
while (($#)); do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        *) echo "usage: $0 [--duration S] [--rounds N]" >&2; exit 2 ;;
    esac
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$NGINX" ]] && command -v wrk >/dev/null || { echo "needs nginx and wrk (apt-get install -y nginx wrk)" >&2; exit 1; }

swift build -c release --scratch-path .build-bench --product slipway-router-bench
BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway-router-bench"

WORK=$(mktemp -d /tmp/slipway-router-metrics.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

P_BACKEND=$("$BIN" ports 1)
source bench/scripts/nginx-conf.sh
nginx_conf "$WORK" "    server { listen 127.0.0.1:$P_BACKEND; location / { return 200 \"ok\"; } }"
taskset -c 1 "$NGINX" -p "$WORK/" -c "$WORK/nginx.conf" -e "$WORK/error.log" &
PIDS+=("$!")

declare -A PORT
for mode in on off; do
    taskset -c 1 "$BIN" router --control "$WORK/$mode.sock" --metrics "$mode" &
    PIDS+=("$!")
    for _ in $(seq 100); do [[ -S "$WORK/$mode.sock" ]] && break; sleep 0.05; done
    PORT[$mode]=$("$BIN" setup --control "$WORK/$mode.sock" --route web --blue "$P_BACKEND")
done
sleep 0.5

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc $(nproc), $(uname -r), $(wrk -v 2>&1 | head -1)"
declare -A TOTAL=([on]=0 [off]=0)
for round in $(seq "$ROUNDS"); do
    for mode in on off; do
        taskset -c 0 wrk -t1 -c64 -d2s "http://127.0.0.1:${PORT[$mode]}/" >/dev/null
        rate=$(taskset -c 0 wrk -t1 -c64 -d"${DURATION}s" "http://127.0.0.1:${PORT[$mode]}/" | awk '/Requests\/sec/ { print $2 }')
        echo "round $round, metrics $mode: $rate requests/s"
        TOTAL[$mode]=$(awk -v a="${TOTAL[$mode]}" -v b="$rate" 'BEGIN { print a + b }')
    done
done
awk -v on="${TOTAL[on]}" -v off="${TOTAL[off]}" -v n="$ROUNDS" 'BEGIN {
    printf "mean: metrics on %.0f requests/s, off %.0f requests/s: counting costs %.1f%%\n", on / n, off / n, (off - on) / off * 100 }'
