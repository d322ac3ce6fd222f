#!/usr/bin/env bash
# Memory of the agent and the router with 20 components x 3 environments live (issue 3's
# benchmark). Builds slipway in release mode, generates a workspace of 20 local services (small
# python3 HTTP servers), deploys every one to development, staging and production, then reads
# the resident set (VmRSS) and its peak (VmHWM) of the agent and the router from /proc.
#
#   bash bench/agent-memory.sh [--components N]
set -euo pipefail
cd "$(dirname "$0")/.."
COMPONENTS=20
while (($#)); do
    case "$1" in
        --components) COMPONENTS="$2"; shift 2 ;;
        *) echo "usage: $0 [--components N]" >&2; exit 2 ;;
    esac
done

swift build -c release --scratch-path .build-bench --product slipway >/dev/null
SLIPWAY="$(swift build -c release --scratch-path .build-bench --show-bin-path)/slipway"
WORK=$(mktemp -d /tmp/slipway-memory-XXXXXX)
trap '"$SLIPWAY" agent stop --workspace "$WORK" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

cat > "$WORK/server.py" <<'PY'
import http.server, os
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = ("%s %s\n" % (os.environ["SLIPWAY_VERSION"], os.environ["SLIPWAY_COLOR"])).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
PY
printf 'post_promotion: 0s\nparallelism: 8\nhealth:\n  interval: 100ms\n' > "$WORK/slipway.yml"
for i in $(seq -w 1 "$COMPONENTS"); do
    mkdir -p "$WORK/services/svc$i"
    cp "$WORK/server.py" "$WORK/services/svc$i/server.py"
    printf 'target: local\nrun: exec python3 server.py\n' > "$WORK/services/svc$i/slipway.yml"
done
rm "$WORK/server.py"
git -C "$WORK" init -q -b main && git -C "$WORK" add -A && git -C "$WORK" -c user.name=bench -c user.email=bench@localhost commit -qm bench

for env in development staging production; do
    start=$(date +%s.%N)
    # One deploy-service each: deploy-all refuses a `local` service run by the agent (it asks every
    # component for a Makefile or deploy/local.mk first), while deploy-service runs it.
    for i in $(seq -w 1 "$COMPONENTS"); do
        "$SLIPWAY" deploy-service "svc$i" --env "$env" --workspace "$WORK" >/dev/null
    done
    echo "deploy $env ($COMPONENTS services, one after another): $(echo "$(date +%s.%N) - $start" | bc) s"
done
status=$("$SLIPWAY" agent status --json --workspace "$WORK")
agent=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <<<"$status")
router=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["router_pid"])' <<<"$status")
routes=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["routes"]))' <<<"$status")
slots=$(python3 -c 'import json,sys; print(sum(s["state"] == "running" for s in json.load(sys.stdin)["slots"]))' <<<"$status")
echo "routes live: $routes, slots running: $slots"
# Some traffic through every route, so the router's pools and histograms are in use.
python3 - "$status" <<'PY'
import json, sys, urllib.request
for route in json.loads(sys.argv[1])["routes"]:
    for _ in range(50):
        urllib.request.urlopen(route["url"] + "/").read()
PY
for role in agent router; do
    pid=${!role}
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    printf '%s (pid %s): RSS %.1f MiB, peak %.1f MiB\n' "$role" "$pid" "$(echo "$rss/1024" | bc -l)" "$(echo "$hwm/1024" | bc -l)"
done
