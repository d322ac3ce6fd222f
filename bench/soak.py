#!/usr/bin/env python3
"""The soak test (issue 11): the live demo under continuous mixed load for a while (default 10
minutes) with a switch or a deploy every 10 s and the agent killed every minute.

    python3 bench/soak.py [--minutes 10] [--slipway .build/debug/slipway]

Load on every live route: keep-alive clients, a new connection per request, slow clients (headers
sent a byte every 0.2 s), and oversized requests (a body above the router's limit, answered 413).
A failure is a well-formed request answered 5xx by the router itself (its answers say
"slipway router:") or not answered at all; a 5xx the release itself answers is counted apart
(the demo's qis-data-management degrades after start by design, and its post-promotion watch
switches it back). Every 10 s it samples the router's
RSS and open files. At the end it stops the agent and lists any slot process left behind.
Figures go in bench/README.md ("Soak").
"""
import argparse, http.client, json, os, signal, socket, subprocess, sys, tempfile, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("--minutes", type=float, default=10)
parser.add_argument("--slipway", default=os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "slipway"))
arguments = parser.parse_args()
SLIPWAY = os.path.abspath(arguments.slipway)
folder = tempfile.mkdtemp(prefix="slipway-soak-")
demo = os.path.join(folder, "demo")


def slipway(*words, check=False):
    result = subprocess.run([SLIPWAY, *words], cwd=demo, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        sys.exit(f"slipway {' '.join(words)} failed: {result.stderr.strip()}")
    return result


print(f"== demo in {demo}", flush=True)
subprocess.run([SLIPWAY, "demo", "--dir", demo, "--reset", "--no-console"], check=True, capture_output=True, timeout=900)
status = json.loads(slipway("agent", "status", "--json", check=True).stdout)
routes = [(r["component"], r["environment"], int(r["url"].rsplit(":", 1)[1])) for r in status["routes"] if r.get("live_color")]
print(f"== {len(routes)} live routes: {', '.join(f'{c}/{e}' for c, e, _ in routes)}", flush=True)

lock = threading.Lock()
counts = {"ok": 0, "failed": 0, "release_5xx": 0, "oversized_413": 0, "oversized_other": 0, "slow_ok": 0}
failures = []
stop = threading.Event()


def count(key, detail=None):
    with lock:
        counts[key] += 1
        if detail and len(failures) < 20:
            failures.append(detail)


def judge(status_code, body, where, ok="ok"):
    if 0 < status_code < 500:
        count(ok)
    elif status_code >= 500 and not body.startswith(b"slipway router:"):
        count("release_5xx")
    else:
        count("failed", f"{where}: {status_code} {body[:80]!r}")


def keep_alive(port):
    connection = None
    while not stop.is_set():
        try:
            connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/")
            response = connection.getresponse()
            judge(response.status, response.read(), f"keep-alive {port}")
        except Exception as error:
            count("failed", f"keep-alive {port}: {error!r}")
            connection = None


def fresh(port):
    while not stop.is_set():
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/", headers={"Connection": "close"})
            response = connection.getresponse()
            judge(response.status, response.read(), f"fresh {port}")
            connection.close()
        except Exception as error:
            count("failed", f"fresh {port}: {error!r}")


def slow(port):
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=15) as client:
                for byte in b"GET / HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n":
                    client.send(bytes([byte]))
                    if byte == 10:
                        time.sleep(0.2)
                answer = b""
                while chunk := client.recv(65536):
                    answer += chunk
            status_code = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
            judge(status_code, answer.split(b"\r\n\r\n", 1)[-1], f"slow {port}", ok="slow_ok")
        except Exception as error:
            count("failed", f"slow {port}: {error!r}")


def oversized(port):
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=15) as client:
                client.sendall(b"POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: 104857600\r\n\r\n" + b"x" * 65536)
                answer = client.recv(65536)
            count("oversized_413" if answer.startswith(b"HTTP/1.1 413") else "oversized_other")
        except Exception:
            count("oversized_other")
        time.sleep(0.5)


threads = []
for _, _, port in routes:
    for worker in (keep_alive, fresh, slow, oversized):
        threads.append(threading.Thread(target=worker, args=(port,), daemon=True))
for thread in threads:
    thread.start()


def router_sample(pid):
    try:
        rss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None, None


router_pid = status.get("router_pid")
samples, operations, kills = [], [], 0
started = time.time()
deadline = started + arguments.minutes * 60
tick = 0
while time.time() < deadline:
    time.sleep(10)
    tick += 1
    component, environment, _ = routes[tick % len(routes)]
    words = ["switch", component, "--env", environment] if tick % 2 else ["deploy-app" if component in ("landing-page", "qis-data-management") else "deploy-service", component, "--env", environment, "--force"]
    result = slipway(*words)
    operations.append((" ".join(words), result.returncode))
    if tick % 6 == 0:
        try:
            agent = json.loads(slipway("agent", "status", "--json").stdout)
            if agent.get("pid"):
                os.kill(agent["pid"], signal.SIGKILL)
                kills += 1
        except (ValueError, OSError):
            pass
    try:
        router_pid = json.loads(slipway("agent", "status", "--json").stdout).get("router_pid") or router_pid
    except ValueError:
        pass
    rss, files = router_sample(router_pid)
    with lock:
        snapshot = dict(counts)
    samples.append((round(time.time() - started), rss, files, snapshot["ok"] + snapshot["slow_ok"], snapshot["failed"]))
    print(f"t={samples[-1][0]:>4}s router rss {rss} kB, open files {files}; requests {samples[-1][3]}, failed {samples[-1][4]}, "
          f"release 5xx {snapshot['release_5xx']}; "
          f"last: {' '.join(words)} -> {result.returncode}", flush=True)

stop.set()
for thread in threads:
    thread.join(timeout=20)
slipway("agent", "stop")
time.sleep(2)
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        if demo in open(f"/proc/{pid}/cmdline").read().replace("\0", " ") or os.readlink(f"/proc/{pid}/cwd").startswith(demo):
            left.append(pid)
    except OSError:
        pass
print(json.dumps({
    "minutes": arguments.minutes, "routes": len(routes), "counts": counts, "agent_kills": kills,
    "operations": len(operations), "operations_failed": [o for o in operations if o[1] != 0],
    "router_rss_kb_first_last": [samples[0][1], samples[-1][1]] if samples else None,
    "router_open_files_first_last": [samples[0][2], samples[-1][2]] if samples else None,
    "processes_left": left, "failures": failures,
}, indent=1))
