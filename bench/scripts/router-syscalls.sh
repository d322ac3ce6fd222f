#!/usr/bin/env bash
# System calls per proxied request, the router's against nginx's, at 64 connections: the kernel
# half of the router's CPU, which callgrind does not see. See bench/README.md ("Router: its own
# response parser (tenth session)").
#
#   bash bench/scripts/router-syscalls.sh                      # 64 connections, 5 s of load each
#   bash bench/scripts/router-syscalls.sh --connections 64 --duration 5
#
# As bench/router.sh: a backend nginx (`return 200 "ok";`) and the proxy under test on CPU 1, wrk
# on CPU 0. `perf stat` counts the proxy process's system calls by their tracepoints
# (`syscalls:sys_enter_*`, cheap enough not to change how requests batch, unlike strace) over one
# bounded wrk run, after a warm-up; each count is divided by the requests wrk completed. The user
# and system CPU the process used over the same run are given per request too: the total from
# /proc/PID/task/*/schedstat (nanoseconds), the split from /proc/PID/stat (clock ticks, so rougher).
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNECTIONS=64
DURATION=5
while (($#)); do
    case "$1" in
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        *) echo "usage: $0 [--connections C] [--duration S]" >&2; exit 2 ;;
    esac
done

NGINX=$(command -v nginx || true)
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]] || ! command -v wrk >/dev/null || ! command -v perf >/dev/null; then
    echo "== installing nginx, wrk and perf"
    apt-get update
    apt-get install -y nginx wrk linux-perf
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

nice swift build -c release --scratch-path .build-bench --product slipway-router-bench >&2
BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway-router-bench"

WORK=$(mktemp -d /tmp/slipway-router-syscalls.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

mapfile -t PORTS < <("$BIN" ports 2)
P_OK=${PORTS[0]} P_NGINX=${PORTS[1]}

source bench/scripts/nginx-conf.sh
nginx_conf "$WORK/backend" "    server { listen 127.0.0.1:$P_OK; location / { return 200 \"ok\"; } }"
nginx_conf "$WORK/proxy" "
    upstream backend { server 127.0.0.1:$P_OK; keepalive 64; keepalive_requests 1000000; }
    server {
        listen 127.0.0.1:$P_NGINX;
        location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
    }"

wait_port() {
    for _ in $(seq 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on $1" >&2
    exit 1
}

taskset -c 1 "$NGINX" -p "$WORK/backend/" -c "$WORK/backend/nginx.conf" -e "$WORK/backend/error.log" &
PIDS+=("$!")
taskset -c 1 "$NGINX" -p "$WORK/proxy/" -c "$WORK/proxy/nginx.conf" -e "$WORK/proxy/error.log" &
PROXY=$!
PIDS+=("$PROXY")
SOCK="$WORK/ctl.sock"
taskset -c 1 "$BIN" router --control "$SOCK" &
ROUTER=$!
PIDS+=("$ROUTER")
wait_port "$P_OK"; wait_port "$P_NGINX"
for _ in $(seq 100); do [[ -S "$SOCK" ]] && break; sleep 0.05; done
P_ROUTER=$("$BIN" setup --control "$SOCK" --route web --blue "$P_OK")
wait_port "$P_ROUTER"
PROXY_WORKER=""
for _ in $(seq 50); do
    PROXY_WORKER=$(pgrep -P "$PROXY" | head -1 || true)
    [[ -n "$PROXY_WORKER" ]] && break
    sleep 0.05
done

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), load1 $(cut -d' ' -f1 /proc/loadavg), $CONNECTIONS connections, ${DURATION}s"
# $1 label, $2 port, $3 pid. Prints the system calls per request, most first.
count() {
    local label=$1 port=$2 pid=$3
    taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$port/" >/dev/null
    perf stat -x, -e 'syscalls:sys_enter_*' -p "$pid" -o "$WORK/$label.perf" &
    local perf=$!
    sleep 0.5
    local out requests before after
    before="$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12, $13 }') $(cat "/proc/$pid"/task/*/schedstat | awk '{ s += $1 } END { print s }')"
    out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$port/")
    after="$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12, $13 }') $(cat "/proc/$pid"/task/*/schedstat | awk '{ s += $1 } END { print s }')"
    kill -INT "$perf"
    wait "$perf" || true
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        echo "$0: $label: wrk saw errors; no figure" >&2
        grep -E 'Non-2xx|Socket errors' <<<"$out" >&2
        exit 1
    fi
    echo
    awk -v l="$label" -v r="$requests" -v b="$before" -v a="$after" -v t="$(getconf CLK_TCK)" 'BEGIN {
        split(b, x, " "); split(a, y, " ")
        printf "%s: %d requests, CPU per request %.1f us (user %.1f us, system %.1f us by ticks)\n", l, r,
            (y[3] - x[3]) / 1e3 / r, (y[1] - x[1]) / t * 1e6 / r, (y[2] - x[2]) / t * 1e6 / r
    }'
    awk -F, -v r="$requests" -v l="$label" '
        $3 ~ /^syscalls:sys_enter_/ && $1 + 0 > 0 {
            name = $3; sub(/^syscalls:sys_enter_/, "", name)
            total += $1; printf "%-8s %-20s %8.3f\n", l, name, $1 / r
        }
        END { printf "%-8s %-20s %8.3f\n", l, "(all)", total / r }' "$WORK/$label.perf" | sort -k3 -gr
}
count nginx "$P_NGINX" "$PROXY_WORKER"
count router "$P_ROUTER" "$ROUTER"
