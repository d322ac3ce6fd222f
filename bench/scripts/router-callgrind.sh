#!/usr/bin/env bash
# The router's instructions per request at 64 connections, under callgrind: a figure that repeats
# run to run on a shared machine, where wall-clock throughput does not. See bench/README.md
# ("Router instructions per request, callgrind, sixth session").
#
#   bash bench/scripts/router-callgrind.sh                 # 64 connections; 640 and 2,560 requests
#   bash bench/scripts/router-callgrind.sh --small 640 --large 2560 --connections 64 --keep DIR
#   bash bench/scripts/router-callgrind.sh --peer          # nginx's proxy worker measured the same way too
#   bash bench/scripts/router-callgrind.sh --dynamic       # the router linked to the shared Swift runtime
#
# The router is built as `make release` ships it, with the Swift runtime linked in
# (`--static-swift-stdlib`, scratch path .build-bench-static); `--dynamic` measures the build that
# loads libswiftCore.so (.build-bench), as the figures before the eighteenth session were.
#
# The router (`slipway-router-bench router`, the body of `slipway router`, release build) runs under
# `valgrind --tool=callgrind`, pinned to CPU 1 so it runs one event loop as in bench/router.sh, with
# one route to a backend nginx (`return 200 "ok";`). A client opens N keep-alive connections and
# sends GET / on each, back to back, the same number on each, so the total is exact. Two runs, each
# a fresh router: a small and a large total. Instructions per request = (Ir(large) - Ir(small)) /
# (large - small), so start-up, route set-up, accepting the connections and opening the upstream
# pool cancel out. The large run's callgrind output is kept for `callgrind_annotate --inclusive=yes`.
#
# Two workarounds for Debian 12's valgrind 3.19: it cannot read the DWARF 5 that swiftc writes, so
# the router runs from a copy with the debug sections stripped (the symbols stay, so functions keep
# their names); and it writes into the signal mask that `sigsuspend` is given, which libdispatch's
# `dispatch_main` (the async main's) keeps in read-only memory, so a preloaded `sigsuspend` hands
# the kernel a copy.
set -euo pipefail
cd "$(dirname "$0")/../.."

SMALL=640
LARGE=2560
CONNECTIONS=64
KEEP=""
PEER=0
LINK=(--static-swift-stdlib --scratch-path .build-bench-static)
while (($#)); do
    case "$1" in
        --small) SMALL="$2"; shift 2 ;;
        --large) LARGE="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        --peer) PEER=1; shift ;;
        --dynamic) LINK=(--scratch-path .build-bench); shift ;;
        *) echo "usage: $0 [--small N] [--large N] [--connections C] [--keep DIR] [--peer] [--dynamic]" >&2; exit 2 ;;
    esac
done
if ((SMALL % CONNECTIONS != 0 || LARGE % CONNECTIONS != 0 || LARGE <= SMALL)); then
    echo "$0: --small and --large must be multiples of --connections, large > small" >&2
    exit 2
fi

NGINX=$(command -v nginx || true)
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]] || ! command -v valgrind >/dev/null; then
    echo "== installing nginx and valgrind"
    apt-get update
    apt-get install -y nginx valgrind
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

nice swift build -c release "${LINK[@]}" --product slipway-router-bench >&2
BIN="$(swift build -c release "${LINK[@]}" --show-bin-path)/slipway-router-bench"

WORK=$(mktemp -d /tmp/slipway-router-callgrind.XXXXXX)
chmod 755 "$WORK"
objcopy --strip-debug "$BIN" "$WORK/slipway-router-bench"
cat >"$WORK/sigsuspend.c" <<'EOF'
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
EOF
cc -O2 -shared -fPIC -o "$WORK/sigsuspend.so" "$WORK/sigsuspend.c"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_port() {
    for _ in $(seq 400); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on $1" >&2
    exit 1
}

P_OK=$("$BIN" ports 1)
source bench/scripts/nginx-conf.sh
nginx_conf "$WORK/backend" "    server { listen 127.0.0.1:$P_OK; location / { return 200 \"ok\"; } }"
"$NGINX" -p "$WORK/backend/" -c "$WORK/backend/nginx.conf" -e "$WORK/backend/error.log" &
PIDS+=("$!")
wait_port "$P_OK"

# $1: connections, $2: requests on each. Exits non-zero unless every response is a 200 "ok".
load() {
    python3 - "$P_ROUTER" "$1" "$2" <<'EOF'
import asyncio, sys

port, connections, each = (int(a) for a in sys.argv[1:4])
request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()

async def client():
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(each):
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        length = next(int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:"))
        body = await reader.readexactly(length)
        if not lines[0].startswith("HTTP/1.1 200") or body != b"ok":
            raise SystemExit(f"unexpected response: {lines[0]!r} {body!r}")
    writer.close()
    await writer.wait_closed()

async def main():
    await asyncio.gather(*(client() for _ in range(connections)))

asyncio.run(main())
EOF
}

# $1: total requests. Prints the run's total Ir; leaves $WORK/callgrind.<total>.out.
measure() {
    local total=$1 sock="$WORK/ctl.$1.sock" out="$WORK/callgrind.$1.out"
    LD_PRELOAD="$WORK/sigsuspend.so" taskset -c 1 valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$WORK/slipway-router-bench" router --control "$sock" \
        2>"$WORK/valgrind.$total.log" &
    local router=$!
    PIDS+=("$router")
    for _ in $(seq 600); do [[ -S "$sock" ]] && break; sleep 0.1; done
    P_ROUTER=$("$BIN" setup --control "$sock" --route web --blue "$P_OK")
    wait_port "$P_ROUTER"
    # A failed load must not pass for a figure: this runs in $(...), where set -e does not reach.
    if ((total > 0)) && ! load "$CONNECTIONS" $((total / CONNECTIONS)); then
        "$BIN" stop --control "$sock"
        wait "$router" || true
        echo "$0: the load got an unexpected answer; no figure" >&2
        exit 1
    fi
    "$BIN" stop --control "$sock"
    wait "$router"
    awk '/^totals:/ { print $2 }' "$out"
}

# nginx as the proxy, configured as in bench/router.sh, one process (no master) under callgrind.
# $1: total requests. Prints the run's total Ir.
measure_nginx() {
    local total=$1 dir="$WORK/proxy.$1"
    P_ROUTER=$("$BIN" ports 1)
    nginx_conf "$dir" "
    upstream backend { server 127.0.0.1:$P_OK; keepalive 64; keepalive_requests 1000000; }
    server {
        listen 127.0.0.1:$P_ROUTER;
        location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
    }" "master_process off;"
    taskset -c 1 valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
        "$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" 2>"$dir/valgrind.log" &
    local proxy=$!
    PIDS+=("$proxy")
    wait_port "$P_ROUTER"
    if ((total > 0)) && ! load "$CONNECTIONS" $((total / CONNECTIONS)); then
        kill -QUIT "$proxy"
        wait "$proxy" || true
        echo "$0: the load through nginx got an unexpected answer; no figure" >&2
        exit 1
    fi
    # SIGQUIT: nginx's graceful shutdown, so callgrind writes its totals.
    kill -QUIT "$proxy"
    wait "$proxy" || true
    awk '/^totals:/ { print $2 }' "$dir/callgrind.out"
}

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(valgrind --version), load1 $(cut -d' ' -f1 /proc/loadavg)" >&2
IR_SMALL=$(measure "$SMALL")
IR_LARGE=$(measure "$LARGE")
printf '%-12s %16s\n' requests Ir
printf '%-12s %16s\n' "$SMALL" "$IR_SMALL" "$LARGE" "$IR_LARGE"
awk -v s="$SMALL" -v l="$LARGE" -v a="$IR_SMALL" -v b="$IR_LARGE" -v c="$CONNECTIONS" \
    'BEGIN { printf "instructions per request at %d connections: %.0f\n", c, (b - a) / (l - s) }'
if ((PEER)); then
    NGINX_SMALL=$(measure_nginx "$SMALL")
    NGINX_LARGE=$(measure_nginx "$LARGE")
    printf '%-12s %16s\n' "nginx $SMALL" "$NGINX_SMALL" "nginx $LARGE" "$NGINX_LARGE"
    awk -v s="$SMALL" -v l="$LARGE" -v a="$NGINX_SMALL" -v b="$NGINX_LARGE" -v ra="$IR_SMALL" -v rb="$IR_LARGE" -v c="$CONNECTIONS" \
        'BEGIN { n = (b - a) / (l - s); r = (rb - ra) / (l - s)
                 printf "nginx instructions per request at %d connections: %.0f (router / nginx: %.2fx)\n", c, n, r / n }'
fi
if [[ -n "$KEEP" ]]; then
    mkdir -p "$KEEP"
    cp "$WORK/callgrind.$LARGE.out" "$WORK/callgrind.$SMALL.out" "$KEEP/"
    echo "callgrind outputs in $KEEP (callgrind_annotate --inclusive=yes $KEEP/callgrind.$LARGE.out)"
fi
