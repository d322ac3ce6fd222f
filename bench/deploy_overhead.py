#!/usr/bin/env python3
"""Deploy overhead (issue 15, aim 7): what Slipway adds to a deploy on this machine.

    python3 bench/deploy_overhead.py --slipway .build-bench/release/slipway [--rounds 10] [--work DIR]

Two components in a fresh git workspace, each deployed --rounds times to development (a new
version label each time), interleaved with its peer:

- native: `target: local`, no Makefile deploy goal; `run:` starts a Python service that sleeps
  so that it answers about 50 ms after its exec, with the default health settings (interval 1s).
  Timed from the command's spawn to the line saying the traffic now goes to the new slot. The peer is the
  service itself: spawn, then poll its port every 5 ms until /health answers 200 (its start-up
  time alone). Aim: under 1.5 s.
- make: a Makefile whose `build` and `deploy` goals do nothing (Slipway runs them as two stages).
  The peer is `make build` then `make deploy` in that folder with the same variables, two
  processes as Slipway runs them. Aim: within 100 ms of the peer.

Both through the agent (the default path; the agent is started before the timed rounds) and
with `--local` (in the command's own process). Prints best, median and p90 per form.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

SERVER = """import http.server, os, time
time.sleep(float(os.environ.get("BENCH_START_DELAY", "0.03")))

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
"""


def run(argv, cwd, env=None, until=None):
    """Seconds from spawning argv to its exit, or to the first line of its output containing
    `until` (the process is still waited for)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if until and seen is None and until in line:
            seen = time.perf_counter() - start
    code = process.wait()
    elapsed = time.perf_counter() - start
    if code != 0 or (until and seen is None):
        raise SystemExit(f"{' '.join(argv)} exited {code}:\n{''.join(lines)[-2000:]}")
    return seen if until else elapsed


# What the run says once the router sends the traffic to the new slot.
SWITCHED = "now goes to"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def service_start(folder, delay):
    """Seconds from spawning the service to its first 200 on /health, polling every 5 ms."""
    port = free_port()
    env = dict(os.environ, PORT=str(port), BENCH_START_DELAY=str(delay))
    start = time.perf_counter()
    process = subprocess.Popen(["python3", "server.py"], cwd=folder, env=env)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.005)
    finally:
        process.terminate()
        process.wait()


def workspace(root, delay):
    files = {
        "slipway.yml": "# the deploy overhead benchmark's workspace: defaults only\n",
        ".gitignore": ".slipway/\n",
        # The window after the switch is not part of the aim (command to traffic switched); a
        # zero window lets each round end at the switch instead of a minute later.
        "services/native/slipway.yml": "target: local\nrun: exec python3 server.py\npost_promotion: 0s\n",
        "services/native/server.py": SERVER,
        "services/make/Makefile": ".PHONY: build deploy\nbuild:\n\t@:\ndeploy:\n\t@:\n",
        "services/make/slipway.yml": "# goals that do nothing: what Slipway adds around make\n",
    }
    for path, text in files.items():
        target = os.path.join(root, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as handle:
            handle.write(text)
    git = ["git", "-c", "user.email=bench@slipway.local", "-c", "user.name=bench"]
    subprocess.run(git + ["init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(git + ["add", "-A"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "bench"], cwd=root, check=True)
    os.environ["BENCH_START_DELAY"] = str(delay)


def summary(label, times):
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"| {label} | {ordered[0] * 1000:.0f} | {statistics.median(ordered) * 1000:.0f} | {p90 * 1000:.0f} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--slipway", required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.03,
                        help="seconds the service sleeps before it listens (python3's own start comes on top)")
    parser.add_argument("--work", help="folder for the workspace (default: a temporary one, removed after)")
    arguments = parser.parse_args()
    slipway = os.path.abspath(arguments.slipway)
    root = arguments.work or tempfile.mkdtemp(prefix="slipway-deploy-bench-")
    if os.path.exists(root) and os.listdir(root):
        raise SystemExit(f"{root} is not empty")
    os.makedirs(root, exist_ok=True)
    workspace(root, arguments.delay)
    env = dict(os.environ, SLIPWAY_ACTOR="bench")
    times = {key: [] for key in ["service", "native agent", "native local", "make peer", "make agent", "make local"]}
    try:
        # Untimed: the agent's start and each component's first deploy.
        run([slipway, "agent", "start"], root, env)
        run([slipway, "deploy-service", "native", "--env", "development", "--version", "v0"], root, env)
        run([slipway, "deploy-service", "make", "--env", "development", "--version", "v0"], root, env)
        make_folder = os.path.join(root, "services/make")
        for round_ in range(1, arguments.rounds + 1):
            times["service"].append(service_start(os.path.join(root, "services/native"), arguments.delay))
            times["native agent"].append(run(
                [slipway, "deploy-service", "native", "--env", "development", "--version", f"a{round_}"], root, env, SWITCHED))
            times["native local"].append(run(
                [slipway, "deploy-service", "native", "--env", "development", "--version", f"l{round_}", "--local"], root, env,
                SWITCHED))
            variables = ["ENV=development", f"VERSION=m{round_}"]
            times["make peer"].append(
                run(["make", "--no-print-directory", "build"] + variables, make_folder, env)
                + run(["make", "--no-print-directory", "deploy"] + variables, make_folder, env))
            times["make agent"].append(run(
                [slipway, "deploy-service", "make", "--env", "development", "--version", f"a{round_}"], root, env))
            times["make local"].append(run(
                [slipway, "deploy-service", "make", "--env", "development", "--version", f"l{round_}", "--local"], root, env))
    finally:
        subprocess.run([slipway, "agent", "stop"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not arguments.work:
            shutil.rmtree(root, ignore_errors=True)

    print(f"{arguments.rounds} rounds, load {open('/proc/loadavg').read().split()[0]}")
    print("| what | best ms | median ms | p90 ms |")
    print("|---|---:|---:|---:|")
    for label, measured in times.items():
        print(summary(label, measured))
    native = statistics.median(times["native agent"])
    make_gap = statistics.median(times["make agent"]) - statistics.median(times["make peer"])
    make_local_gap = statistics.median(times["make local"]) - statistics.median(times["make peer"])
    print(f"native deploy (agent), median: {native * 1000:.0f} ms (aim under 1500 ms: {'met' if native < 1.5 else 'missed'})")
    print(f"make deploy over make (agent), median: {make_gap * 1000:.0f} ms (aim within 100 ms: {'met' if make_gap <= 0.1 else 'missed'})")
    print(f"make deploy over make (--local), median: {make_local_gap * 1000:.0f} ms")


if __name__ == "__main__":
    main()
