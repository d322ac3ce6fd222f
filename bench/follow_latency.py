#!/usr/bin/env python3
"""Event-to-follower latency with many followers, on PostgreSQL and on SQLite in the same run.

Starts FOLLOWERS `slipway events --follow --json` processes on one store, appends EVENTS events one
at a time at a steady pace from another process (`slipway-bench paced-append`, which prints when
each append started), and takes the time each follower printed each event: latency = printed -
append started, over every (follower, event) pair. Then the same with FOLLOWERS `slipway console`
processes (each in a window of one tmux server), which log each frame drawn from a state holding a
newer event (the bench hook SLIPWAY_BENCH_CONSOLE_DRAWN): an event's latency there is the first
frame holding it or a newer one. Prints p50/p99/max per store and follower kind against the aim
(issue 14: p99 under 1 s with 20 consoles following).

PostgreSQL is a throwaway cluster on a unix socket (initdb as the postgres user when run as root;
fsync on, as a team's server would run); SQLite is the workspace's embedded store. Every process
started is stopped at the end and the folder removed.

    python3 bench/follow_latency.py [--followers 20] [--events 200] [--interval-ms 50]
                                    [--stores postgres,sqlite] [--kinds follow,console] [--bin DIR]
"""
import argparse
import glob
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AIM_P99 = 1.0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def release_bin(given):
    if given:
        return os.path.abspath(given)
    for product in ("slipway", "slipway-bench"):
        print(f"==> swift build -c release --scratch-path .build-bench --product {product}", flush=True)
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-bench", "--product", product],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-bench", "--show-bin-path"],
                          cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


class Cluster:
    """A throwaway PostgreSQL cluster in a folder of its own (the server's user must reach it), on
    a unix socket there."""

    def __init__(self):
        folder = tempfile.mkdtemp(prefix="slipway-follow-pg-")
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not found:
            raise SystemExit("PostgreSQL server binaries not found: apt-get install -y postgresql")
        self.bin = found[-1]
        self.folder = folder
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(folder, "postgres", "postgres")
        self.server(["initdb", "-D", f"{folder}/data", "--auth=trust", "--username=postgres", "--no-sync",
                     "--encoding=UTF8", "--locale=C"])
        self.server(["pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/server.log", "-w",
                     "-o", f"-k {folder} -c listen_addresses=", "start"])
        self.server(["psql", "-h", folder, "-U", "postgres", "-qc", "CREATE DATABASE follow", "postgres"])
        self.url = f"postgres://postgres@/follow?host={folder}"

    def server(self, command):
        command = [f"{self.bin}/{command[0]}"] + command[1:]
        if self.root:
            command = ["runuser", "-u", "postgres", "--"] + command
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stdout.strip()[-300:]}")

    def stop(self):
        try:
            self.server(["pg_ctl", "-D", f"{self.folder}/data", "-m", "immediate", "-w", "stop"])
        except (SystemExit, subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Follower:
    """One `slipway events --follow --json` process and the time each id arrived on its stdout."""

    def __init__(self, command, env, cwd, log):
        self.arrived = {}
        self.lock = threading.Lock()
        self.process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=log,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.process.stdout:
            now = time.time()
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                self.arrived.setdefault(event["id"], now)

    def has(self, event_id):
        with self.lock:
            return event_id in self.arrived

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.reader.join(timeout=5)


class Consoles:
    """COUNT `slipway console` processes, each in a window of one tmux server of its own, each
    logging the frames that first held a newer event; `arrived` maps an id to the time the first
    frame holding it (or a newer one) was drawn."""

    def __init__(self, count, slipway, env, cwd, logs, name):
        self.server = f"follow-{uuid.uuid4().hex[:8]}"
        self.files = [os.path.join(logs, f"{name}-console-{index}.jsonl") for index in range(count)]
        store = env.get("SLIPWAY_STORE_URL")
        for index, path in enumerate(self.files):
            variables = {"SLIPWAY_BENCH_CONSOLE_DRAWN": path, **({"SLIPWAY_STORE_URL": store} if store else {})}
            exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in variables.items())
            command = (f"exec env {exports} {shlex.quote(slipway)} console "
                       f"2>>{shlex.quote(os.path.join(logs, f'{name}-consoles.log'))}")
            start = (["new-session", "-d", "-s", "main", "-x", "160", "-y", "45"] if index == 0
                     else ["new-window", "-t", "main"])
            subprocess.run(["tmux", "-L", self.server, *start, "-c", cwd, command], check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def drawn(self, path):
        frames = []
        try:
            with open(path) as log:
                for line in log:
                    try:
                        frame = json.loads(line)
                    except ValueError:
                        continue  # a line being written
                    frames.append((frame["id"], frame["drawn"]))
        except FileNotFoundError:
            pass
        return frames

    def all_have(self, event_id):
        return all(any(drawn_id >= event_id for drawn_id, _ in self.drawn(path)) for path in self.files)

    def arrivals(self):
        """Per console, a function from an event id to when a frame first held it, or None."""
        def first_frame(frames):
            return lambda event_id: next((time for drawn_id, time in frames if drawn_id >= event_id), None)
        return [first_frame(self.drawn(path)) for path in self.files]

    def stop(self):
        # The consoles exit on the hangup their terminals give them.
        subprocess.run(["tmux", "-L", self.server, "kill-server"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until(seconds, condition):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def measure(name, kind, store, env, workspace, bin_dir, options, logs):
    """Latencies of `options.events` paced appends into `store` as seen by every follower of `kind`."""
    append = [f"{bin_dir}/slipway-bench", "paced-append", "--store", store]
    # One event first: the schema (PostgreSQL) or file (SQLite) exists before the followers open it,
    # and each follower printing (or drawing) it says it is up.
    opening = subprocess.run(append + ["--events", "1"], check=True, capture_output=True, text=True, timeout=120)
    first = json.loads(opening.stdout.split()[0])["id"]
    with open(os.path.join(logs, f"{name}-{kind}-followers.log"), "w") as log:
        if kind == "follow":
            follow = [f"{bin_dir}/slipway", "events", "--follow", "--json", "--limit", "1"]
            followers = [Follower(follow, env, workspace, log) for _ in range(options.followers)]
            ready = lambda event_id: all(f.has(event_id) for f in followers)
        else:
            consoles = Consoles(options.followers, f"{bin_dir}/slipway", env, workspace, logs, name)
            followers = [consoles]
            ready = consoles.all_have
        try:
            if not wait_until(120, lambda: ready(first)):
                raise SystemExit(f"{name}: not every {kind} follower had the first event within 120 s (see {logs})")
            time.sleep(1)  # past each follower's switch from its first read to following
            paced = subprocess.run(append + ["--events", str(options.events), "--interval-ms", str(options.interval_ms)],
                                   check=True, capture_output=True, text=True,
                                   timeout=120 + options.events * options.interval_ms / 1000 * 3)
            sent = {event["id"]: event["sent"] for event in map(json.loads, paced.stdout.split())}
            newest = max(sent)
            wait_until(60, lambda: ready(newest))
        finally:
            for follower in followers:
                follower.stop()
    if kind == "follow":
        arrivals = [follower.arrived.get for follower in followers]
    else:
        arrivals = consoles.arrivals()
    latencies = []
    missing = 0
    for arrived in arrivals:
        for event_id, started in sent.items():
            at = arrived(event_id)
            if at is not None:
                latencies.append(at - started)
            else:
                missing += 1
    return latencies, missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=20)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--interval-ms", type=int, default=50)
    parser.add_argument("--stores", default="postgres,sqlite")
    parser.add_argument("--kinds", default="follow,console", help="events --follow processes, consoles, or both")
    parser.add_argument("--bin", help="folder of release slipway and slipway-bench (default: build them)")
    options = parser.parse_args()
    bin_dir = release_bin(options.bin)
    work = tempfile.mkdtemp(prefix="slipway-follow-")
    logs = tempfile.mkdtemp(prefix="slipway-follow-logs-")
    cluster = None
    results = {}
    try:
        print(f"==> {os.cpu_count()} cores, load {' '.join(open('/proc/loadavg').read().split()[:3])}, "
              f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}; {options.followers} followers, {options.events} "
              f"events one every {options.interval_ms} ms; logs in {logs}", flush=True)
        for name in options.stores.split(","):
            workspace = os.path.join(work, name)
            os.makedirs(workspace)
            with open(os.path.join(workspace, "slipway.yml"), "w") as config:
                config.write("environments:\n  staging: {}\n")
            env = dict(os.environ)
            env.pop("SLIPWAY_STORE_URL", None)
            if name == "postgres":
                cluster = Cluster()
                store = env["SLIPWAY_STORE_URL"] = cluster.url
            elif name == "sqlite":
                os.makedirs(os.path.join(workspace, ".slipway"))
                store = os.path.join(workspace, ".slipway", "state.db")
            else:
                raise SystemExit(f"unknown store {name}: postgres or sqlite")
            for kind in options.kinds.split(","):
                if kind not in ("follow", "console"):
                    raise SystemExit(f"unknown follower kind {kind}: follow or console")
                print(f"==> {name}, {kind}", flush=True)
                results[f"{name} {kind}"] = measure(name, kind, store, env, workspace, bin_dir, options, logs)
            if cluster:
                cluster.stop()
                cluster = None
            print(f"==> load {' '.join(open('/proc/loadavg').read().split()[:3])}", flush=True)
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"follow latency: {options.followers} followers, {options.events} events one every {options.interval_ms} ms "
          "(append started -> printed by each follower)")
    print(f"  {'store':<16} {'p50':>9} {'p99':>9} {'max':>9}  missing  aim p99 < {AIM_P99:g} s")
    failed = False
    rows = []
    for name, (latencies, missing) in results.items():
        if not latencies:
            print(f"  {name:<16} no event arrived")
            failed = True
            continue
        p50, p99, worst = (percentile(latencies, 0.5), percentile(latencies, 0.99), max(latencies))
        verdict = "met" if p99 < AIM_P99 and missing == 0 else "missed"
        failed |= missing > 0
        print(f"  {name:<16} {p50 * 1000:7.1f}ms {p99 * 1000:7.1f}ms {worst * 1000:7.1f}ms  {missing:7d}  {verdict}")
        rows.append(f"| aim: event-to-follower p99 < 1 s, {options.followers} followers, {name} "
                    f"| p99 {p99 * 1000:.0f} ms (p50 {p50 * 1000:.0f}, max {worst * 1000:.0f}, {missing} missing) "
                    f"| {'the other store, same run' if len(results) > 1 else '-'} | {verdict} |")
    for line in rows:
        print(line)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
