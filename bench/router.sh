#!/usr/bin/env bash
# The router benchmark: Slipway's router against nginx, side by side, on loopback. See bench/README.md
# ("Router").
#
#   bash bench/router.sh                 # 10 s per wrk run, 2 rounds, 100 switches (about 2 minutes)
#   bash bench/router.sh --quick         # 3 s per wrk run, 1 round, 20 switches
#   bash bench/router.sh --duration 10 --rounds 2 --switches 100
#   bash bench/router.sh --dynamic       # the router linked to the shared Swift runtime
#
# The router is built as `make release` ships it, with the Swift runtime linked in
# (`--static-swift-stdlib`, scratch path .build-bench-static); `--dynamic` measures the build that
# loads libswiftCore.so (.build-bench), as the figures before the eighteenth session were.
#
# CPU 0: wrk (and the switch-latency driver). CPU 1: the proxy under test (nginx's proxy worker or
# the router process) and the backend nginx. Both proxies are started once and stay up for the
# whole run; only the one under load does anything.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=10
ROUNDS=2
SWITCHES=100
WARMUP=2
LINK=(--static-swift-stdlib --scratch-path .build-bench-static)
while (($#)); do
    case "$1" in
        --quick) DURATION=3; ROUNDS=1; SWITCHES=20; shift ;;
        --duration) DURATION="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --switches) SWITCHES="$2"; shift 2 ;;
        --dynamic) LINK=(--scratch-path .build-bench); shift ;;
        *) echo "usage: $0 [--quick] [--duration S] [--rounds N] [--switches N] [--dynamic]" >&2; exit 2 ;;
    esac
done

NGINX=$(command -v nginx || true)
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]] || ! command -v wrk >/dev/null; then
    echo "== installing nginx and wrk"
    apt-get update
    apt-get install -y nginx wrk
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

swift build -c release "${LINK[@]}" --product slipway-router-bench
BIN="$(swift build -c release "${LINK[@]}" --show-bin-path)/slipway-router-bench"

WORK=$(mktemp -d /tmp/slipway-router-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

mapfile -t PORTS < <("$BIN" ports 5)
P_OK=${PORTS[0]} P_BLUE=${PORTS[1]} P_GREEN=${PORTS[2]} P_NGINX=${PORTS[3]}

source bench/scripts/nginx-conf.sh
nginx_conf "$WORK/backend" "
    server { listen 127.0.0.1:$P_OK; location / { return 200 \"ok\"; } }
    server { listen 127.0.0.1:$P_BLUE; location / { return 200 \"blue\"; } }
    server { listen 127.0.0.1:$P_GREEN; location / { return 200 \"green\"; } }"
nginx_conf "$WORK/proxy" "
    upstream backend { server 127.0.0.1:$P_OK; keepalive 64; keepalive_requests 1000000; }
    server {
        listen 127.0.0.1:$P_NGINX;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }"

wait_port() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on $1" >&2
    exit 1
}

taskset -c 1 "$NGINX" -p "$WORK/backend/" -c "$WORK/backend/nginx.conf" -e "$WORK/backend/error.log" &
BACKEND=$!
PIDS+=("$BACKEND")
taskset -c 1 "$NGINX" -p "$WORK/proxy/" -c "$WORK/proxy/nginx.conf" -e "$WORK/proxy/error.log" &
PROXY=$!
PIDS+=("$PROXY")
SOCK="$WORK/ctl.sock"
taskset -c 1 "$BIN" router --control "$SOCK" &
ROUTER=$!
PIDS+=("$ROUTER")
wait_port "$P_OK"; wait_port "$P_GREEN"; wait_port "$P_NGINX"
for _ in $(seq 100); do [[ -S "$SOCK" ]] && break; sleep 0.05; done
P_ROUTER=$("$BIN" setup --control "$SOCK" --route web --blue "$P_OK")
"$BIN" setup --control "$SOCK" --route flip --blue "$P_BLUE" --green "$P_GREEN" >/dev/null
wait_port "$P_ROUTER"

worker_of() { # the worker process of an nginx master
    local pid
    for _ in $(seq 50); do
        pid=$(pgrep -P "$1" | head -1 || true)
        [[ -n "$pid" ]] && { echo "$pid"; return; }
        sleep 0.05
    done
    echo "nginx $1 has no worker" >&2
    exit 1
}
BACKEND_WORKER=$(worker_of "$BACKEND")
PROXY_WORKER=$(worker_of "$PROXY")
TICKS=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of a process (all its threads)
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), router built with ${LINK[*]}, nproc $(nproc), $(uname -r), $("$NGINX" -v 2>&1), $(wrk -v 2>&1 | head -1)"
echo "backend nginx 127.0.0.1:$P_OK (blue :$P_BLUE, green :$P_GREEN), pid $BACKEND worker $BACKEND_WORKER, CPU 1"
echo "nginx proxy 127.0.0.1:$P_NGINX, pid $PROXY worker $PROXY_WORKER, CPU 1"
echo "router 127.0.0.1:$P_ROUTER, pid $ROUTER ($(ls /proc/$ROUTER/task | wc -l) threads), CPU 1"
echo "wrk: CPU 0, one thread"
echo "duration ${DURATION}s per run after a ${WARMUP}s warm-up, $ROUNDS round(s)"

# $1 label, $2 port, $3 connections, $4 the proxy's pid
RESULTS=()
measure() {
    local label=$1 port=$2 conns=$3 pid=$4
    taskset -c 0 wrk -t1 -c"$conns" -d"${WARMUP}s" "http://127.0.0.1:$port/" >/dev/null
    local load before_p before_b after_p after_b out
    load=$(cut -d' ' -f1 /proc/loadavg)
    before_p=$(cpu_ticks "$pid"); before_b=$(cpu_ticks "$BACKEND_WORKER")
    out=$(taskset -c 0 wrk -t1 -c"$conns" -d"${DURATION}s" --latency "http://127.0.0.1:$port/")
    after_p=$(cpu_ticks "$pid"); after_b=$(cpu_ticks "$BACKEND_WORKER")
    local rps p50 p99 errors proxy_cpu backend_cpu
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | paste -sd';' || true)
    proxy_cpu=$(awk -v a="$before_p" -v b="$after_p" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')
    backend_cpu=$(awk -v a="$before_b" -v b="$after_b" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')
    local us_per_req
    us_per_req=$(awk -v c="$proxy_cpu" -v r="$rps" -v d="$DURATION" 'BEGIN { printf "%.1f", c * 1e6 / (r * d) }')
    printf '%-6s %5s %12s %9s %9s %10s %12s %12s %6s %s\n' \
        "$label" "$conns" "$rps" "$p50" "$p99" "$proxy_cpu" "$us_per_req" "$backend_cpu" "$load" "$errors"
    RESULTS+=("$label $conns $rps $p50 $p99")
}

echo
printf '%-6s %5s %12s %9s %9s %10s %12s %12s %6s %s\n' \
    proxy conns "req/s" p50 p99 "proxy CPU s" "proxy µs/req" "backend CPU s" load1 errors
for round in $(seq "$ROUNDS"); do
    for conns in 1 64; do
        measure nginx "$P_NGINX" "$conns" "$PROXY_WORKER"
        measure router "$P_ROUTER" "$conns" "$ROUTER"
    done
done

# Latencies as wrk prints them (us/ms/s) to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; print n }'; }

echo
echo "== against the aims (best round of each; throughput >= 0.8x nginx, p99 <= 1.5x nginx)"
for conns in 1 64; do
    best() { # $1 proxy: the round with the most req/s
        printf '%s\n' "${RESULTS[@]}" | awk -v p="$1" -v c="$conns" '$1 == p && $2 == c' | sort -k3 -g | tail -1
    }
    n=$(best nginx); r=$(best router)
    read -r _ _ n_rps _ n_p99 <<<"$n"
    read -r _ _ r_rps _ r_p99 <<<"$r"
    n_p99_ms=$(to_ms "$n_p99"); r_p99_ms=$(to_ms "$r_p99")
    awk -v c="$conns" -v nr="$n_rps" -v rr="$r_rps" -v np="$n_p99_ms" -v rp="$r_p99_ms" 'BEGIN {
        t = rr / nr; l = rp / np
        printf "%2d connections: throughput %.2fx nginx (%s), p99 %.2fx nginx (%s)\n", c, t,
            (t >= 0.8 ? "met" : "MISSED"), l, (l <= 1.5 ? "met" : "MISSED")
    }'
done

echo
echo "== switch latency (route flip: blue 127.0.0.1:$P_BLUE, green 127.0.0.1:$P_GREEN; driver on CPU 0)"
taskset -c 0 "$BIN" switch --control "$SOCK" --route flip --switches "$SWITCHES"
echo "router: $(ls /proc/$ROUTER/task | wc -l) threads, VmHWM $(awk '/VmHWM/ { print $2, $3 }' /proc/$ROUTER/status)"

"$BIN" stop --control "$SOCK"
wait "$ROUTER"
