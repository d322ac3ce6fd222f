#!/usr/bin/env python3
"""The console benchmark (issue 4), side by side in one run.

    python3 bench/console.py [--quick]

Generates a workspace of 500 components x 3 environments whose store holds 100,000 events, and a
git repository with as many commits, then measures, under tmux (a server of its own, 200x60):

- launch to first complete frame: `slipway console` until the first fleet row and the footer are
  on screen, against `tig` until its main view shows the newest commit and its status line;
- keypress-to-frame latency while scrolling: `j` until the screen (with attributes) changes, for
  both;
- CPU used over 60 s idle while health events arrive in the store once a second, against `htop -d 5`
  (the console's 0.5 s refresh), and the console's peak memory.

The screens are read by polling `tmux capture-pane`, which costs a few milliseconds a poll; both
sides pay the same. Needs tmux, tig, htop and sqlite3 (installed with apt-get when missing).
"""
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

QUICK = "--quick" in sys.argv
COMPONENTS = 500
EVENTS = 20_000 if QUICK else 100_000
RUNS = 3 if QUICK else 7
KEYS = 20 if QUICK else 50
IDLE = 15 if QUICK else 60
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = f"slipway-bench-console-{os.getpid()}"


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def ensure_tools():
    missing = [tool for tool in ("tmux", "tig", "htop", "sqlite3") if not shutil.which(tool)]
    if missing:
        print("== installing " + " ".join(missing))
        subprocess.run(["apt-get", "update"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", *missing], check=True, capture_output=True)


def build():
    scratch = os.path.join(ROOT, ".build-bench")
    for product in ("slipway", "slipway-bench"):
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--product", product],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_path = sh("swift", "build", "-c", "release", "--scratch-path", scratch, "--show-bin-path", cwd=ROOT).strip()
    return os.path.join(bin_path, "slipway"), os.path.join(bin_path, "slipway-bench")


def git(repo, *args, **kwargs):
    return subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args],
                          check=True, capture_output=True, **kwargs)


def generate_workspace(work, bench):
    """500 components (svc-00 .. svc-49 as in slipway-bench's event factory, then svc-050 ..) and
    a store grown to EVENTS events by slipway-bench."""
    workspace = os.path.join(work, "workspace")
    names = [f"svc-{i:02d}" for i in range(50)] + [f"svc-{i:03d}" for i in range(50, COMPONENTS)]
    for name in names:
        folder = os.path.join(workspace, "services", name)
        os.makedirs(folder)
        with open(os.path.join(folder, "Makefile"), "w") as makefile:
            makefile.write(f"APP_NAME := {name}\nAPP_TYPE := nodejs\nDEPLOYMENT_TARGET := local\n"
                           "deploy:\n\t@true\nhealth-check:\n\t@true\n")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "bench workspace")
    store = os.path.join(workspace, ".slipway", "state.db")
    os.makedirs(os.path.dirname(store))
    subprocess.run([bench, "grow", store, "--to", str(EVENTS), "--via", "store"], check=True, stdout=subprocess.DEVNULL)
    return workspace, store


def generate_repository(work):
    """A git repository with EVENTS commits, written with git fast-import."""
    repo = os.path.join(work, "repo")
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    lines = []
    for i in range(EVENTS):
        message = f"commit {i}\n".encode()
        blob = f"{i}\n".encode()
        lines.append(b"commit refs/heads/main\n")
        lines.append(f"committer bench <bench@localhost> {1_767_225_600 + i} +0000\n".encode())
        lines.append(b"data %d\n%s" % (len(message), message))
        lines.append(b"M 644 inline file.txt\ndata %d\n%s\n" % (len(blob), blob))
    git(repo, "fast-import", "--quiet", input=b"".join(lines))
    git(repo, "reset", "-q", "--hard", "main")
    return repo


def tmux(*args):
    return subprocess.run(["tmux", "-L", SERVER, *args], capture_output=True, text=True).stdout


def capture(attributes=False):
    return tmux("capture-pane", "-p", *(["-e"] if attributes else []), "-t", "bench")


def start(command, cwd):
    tmux("kill-session", "-t", "bench")
    tmux("new-session", "-d", "-s", "bench", "-x", "200", "-y", "60", "-c", cwd, command)


def pane_pid():
    return int(tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())


def wait_for(predicate, limit=30):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        screen = capture()
        if predicate(screen):
            return True
        time.sleep(0.002)
    raise RuntimeError("the screen never showed what was expected:\n" + capture())


def first_frame(command, cwd, ready):
    times = []
    for _ in range(RUNS):
        start_time = time.monotonic()
        start(command, cwd)
        wait_for(ready)
        times.append(time.monotonic() - start_time)
        tmux("kill-session", "-t", "bench")
        time.sleep(0.3)
    return times


def key_latency(command, cwd, ready):
    start(command, cwd)
    wait_for(ready)
    time.sleep(1)
    times = []
    for _ in range(KEYS):
        before = capture(attributes=True)
        start_time = time.monotonic()
        tmux("send-keys", "-t", "bench", "j")
        deadline = start_time + 5
        while capture(attributes=True) == before and time.monotonic() < deadline:
            time.sleep(0.001)
        times.append(time.monotonic() - start_time)
    tmux("kill-session", "-t", "bench")
    return times


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def idle_cpu(command, cwd, ready, store=None):
    start(command, cwd)
    wait_for(ready)
    pid = pane_pid()
    time.sleep(1)
    before = cpu_seconds(pid)
    database = sqlite3.connect(store) if store else None
    began = time.monotonic()
    tick = 0
    while time.monotonic() - began < IDLE:
        tick += 1
        if database:
            # A health reading as `slipway health-check-all` records it, once a second.
            database.execute(
                "INSERT INTO events (time, actor, kind, schema_version, component, environment, run_id, payload) "
                "VALUES (?, 'bench', 'health.checked', 1, 'svc-00', 'production', NULL, ?)",
                (int(time.time() * 1000), '{"healthy":true}'))
            database.commit()
        time.sleep(1)
    used = cpu_seconds(pid) - before
    peak = peak_kib(pid)
    tmux("kill-session", "-t", "bench")
    return used / (time.monotonic() - began) * 100, peak


def summary(values, unit="ms", scale=1000):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (f"median {statistics.median(values) * scale:.1f} {unit}, best {values[0] * scale:.1f}, "
            f"p95 {p95 * scale:.1f} (n={len(values)})")


def main():
    ensure_tools()
    slipway, bench = build()
    work = tempfile.mkdtemp(prefix="slipway-console-bench-")
    try:
        print(f"== generating {COMPONENTS} components x 3 environments, {EVENTS:,} events, {EVENTS:,} commits")
        workspace, store = generate_workspace(work, bench)
        repo = generate_repository(work)
        env_prefix = "env SLIPWAY_ACTOR=bench TERM=xterm-256color LANG=C.UTF-8 "
        console = env_prefix + f"{slipway} console --workspace {workspace}"
        tig = "env TERM=xterm-256color LANG=C.UTF-8 tig"
        console_ready = lambda screen: "svc-00" in screen and "help" in screen
        tig_ready = lambda screen: f"commit {EVENTS - 1}" in screen and "[main]" in screen

        print("launch to first complete frame")
        print("  slipway console: " + summary(first_frame(console, workspace, console_ready)))
        print("  tig:             " + summary(first_frame(tig, repo, tig_ready)))
        print("keypress (j) to frame while scrolling")
        print("  slipway console: " + summary(key_latency(console, workspace, console_ready)))
        print("  tig:             " + summary(key_latency(tig, repo, tig_ready)))
        print(f"idle CPU over {IDLE} s")
        percent, peak = idle_cpu(console, workspace, console_ready, store=store)
        print(f"  slipway console (a health event a second): {percent:.2f}% of a core, peak memory {peak / 1024:.1f} MiB")
        htop_percent, htop_peak = idle_cpu("env TERM=xterm-256color htop -d 5", work, lambda screen: "Load average" in screen)
        print(f"  htop -d 5:                                 {htop_percent:.2f}% of a core, peak memory {htop_peak / 1024:.1f} MiB")
    finally:
        tmux("kill-server")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
