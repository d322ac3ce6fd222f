#!/usr/bin/env python3
"""Times the slipway console against tig and htop under tmux, each in a tmux server of its own.

    measure.py WORK SLIPWAY [--runs 5] [--keys 20] [--idle 60]

Prints one table: launch to first complete frame, keypress to frame, idle CPU, an appended
event to its frame (the bench hook SLIPWAY_BENCH_CONSOLE_DRAWN), peak memory.
"""
import json
import atexit
import os
import random
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Session:
    """One tool in a detached tmux server of its own, 200x50; closed at exit whatever happens."""

    def __init__(self, command, directory, environment=""):
        self.server = f"bench-{uuid.uuid4().hex[:8]}"
        atexit.register(self.close)
        # Not captured: the server tmux starts would hold the pipe open for as long as it runs.
        subprocess.run(["tmux", "-L", self.server, "new-session", "-d", "-s", "main", "-x", "200", "-y", "50",
                        "-c", directory, f"exec {environment} {command}"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        self.pid = int(self.tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip())

    def tmux(self, *arguments):
        return subprocess.run(["tmux", "-L", self.server, *arguments], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-e", "-t", "main")

    def wait(self, condition, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if condition(text):
                return text
            time.sleep(0.002)
        raise SystemExit(f"timed out waiting for the screen; last:\n{self.screen()}")

    def cpu_seconds(self):
        fields = open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_memory_mb(self):
        for line in open(f"/proc/{self.pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        self.tmux("kill-server")


def first_frame(command, directory, ready, environment="", runs=5):
    times = []
    for _ in range(runs):
        start = time.monotonic()
        session = Session(command, directory, environment)
        session.wait(ready)
        times.append(time.monotonic() - start)
        session.close()
        time.sleep(0.5)
    return times


def keypress(session, ready, keys):
    """Presses j `keys` times; each time, how long until the tool has written the whole frame it
    answers with: the arrival of the last byte of the first burst of output after the key (bytes
    less than 20 ms apart), from `tmux pipe-pane`, a copy of all the tool writes to its terminal.
    The burst ends before a later, unrelated write (the console's clock) could join it. Polling
    `capture-pane` for a changed screen, as before, timed at the grain of a tmux client's start."""
    session.wait(ready)
    time.sleep(1)
    folder = tempfile.mkdtemp(prefix="slipway-keys-")
    fifo = os.path.join(folder, "pane")
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    # Held open so the reader sees no end of file before tmux's copy starts or after it stops.
    holder = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    arrivals = []

    def read_pane():
        while True:
            select.select([reader], [], [])
            data = os.read(reader, 65536)
            if not data:
                return
            arrivals.append(time.monotonic())

    thread = threading.Thread(target=read_pane, daemon=True)
    thread.start()
    session.tmux("pipe-pane", "-t", "main", "-o", f"cat > '{fifo}'")
    times = []
    try:
        for _ in range(keys):
            time.sleep(0.2)
            arrivals.clear()
            start = time.monotonic()
            session.tmux("send-keys", "-t", "main", "j")
            deadline = start + 10
            burst = []
            while time.monotonic() < deadline and (not burst or time.monotonic() - burst[-1] < 0.1):
                time.sleep(0.005)
                burst = [arrival for arrival in arrivals if arrival >= start]
            if not burst:
                raise SystemExit("no output after a key within 10 s")
            end = burst[0]
            for arrival in burst[1:]:
                if arrival - end > 0.02:
                    break
                end = arrival
            times.append(end - start)
    finally:
        session.tmux("pipe-pane", "-t", "main")
        os.close(holder)
        thread.join(timeout=10)
        os.close(reader)
        shutil.rmtree(folder)
    return times


def past_steps(session, keys):
    """Enters the past view with t (how long until the header shows a moment), then presses [
    `keys` times; each time, how long until the header shows the event before."""
    start = time.monotonic()
    session.tmux("send-keys", "-t", "main", "t")
    session.wait(lambda text: "PAST 2" in text and "event #" in text, timeout=30)
    enter = time.monotonic() - start
    times = []
    for _ in range(keys):
        before = session.screen().split("\n")[0]
        start = time.monotonic()
        session.tmux("send-keys", "-t", "main", "[")
        session.wait(lambda text: text.split("\n")[0] != before and "loading" not in text.split("\n")[0], timeout=30)
        times.append(time.monotonic() - start)
        time.sleep(0.1)
    session.tmux("send-keys", "-t", "main", "Escape")
    return enter, times


def idle(session, ready, seconds, store=None):
    """CPU seconds used over `seconds` once ready; with `store`, a health event is appended about
    every second (0.75 to 1.25 s apart, so its delay is not locked to one phase of the watcher's
    0.5 s poll of an SQLite store). Answers the CPU share and each appended event's (id, unix time)."""
    session.wait(ready)
    time.sleep(2)
    before = session.cpu_seconds()
    end = time.monotonic() + seconds
    tick = 0
    appended = []
    while time.monotonic() < end:
        if store:
            tick += 1
            started = time.time()
            result = subprocess.run(["sqlite3", store,
                                     "INSERT INTO events (time, actor, kind, schema_version, component, environment, payload) "
                                     f"VALUES ({int(time.time() * 1000)}, 'bench', 'health.checked', 1, 'svc-{tick % 500:04d}', "
                                     "'production', '{\"healthy\":true}'); SELECT last_insert_rowid();"],
                                    check=True, capture_output=True, text=True)
            appended.append((int(result.stdout.split()[-1]), started))
            time.sleep(0.75 + random.random() / 2)
        else:
            time.sleep(1)
    return (session.cpu_seconds() - before) / seconds * 100, appended


def event_delays(appended, drawn_path):
    """For each appended event, seconds from the start of its append to the first frame drawn
    holding it or a newer one (the console's log of frames, SLIPWAY_BENCH_CONSOLE_DRAWN)."""
    frames = [json.loads(line) for line in open(drawn_path) if line.strip()]
    delays = []
    for event, started in appended:
        drawn = [frame["drawn"] for frame in frames if frame["id"] >= event and frame["drawn"] >= started]
        if drawn:
            delays.append(min(drawn) - started)
    return delays


def main():
    work, slipway = sys.argv[1], sys.argv[2]
    args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    runs, keys, seconds = int(args.get("--runs", 5)), int(args.get("--keys", 20)), int(args.get("--idle", 60))
    workspace, repository = os.path.join(work, "workspace"), os.path.join(work, "repository")
    environment = "env LANG=C.UTF-8 SLIPWAY_ACTOR=bench"
    console = f"'{slipway}' --workspace '{workspace}' console --read-only"
    console_ready = lambda text: "500 components" in text and "svc-0000" in text
    tig_ready = lambda text: "commit 99999" in text

    console_first = first_frame(console, workspace, console_ready, environment, runs)
    tig_first = first_frame("tig", repository, tig_ready, "env LANG=C.UTF-8", runs)

    drawn_path = os.path.join(work, f"drawn-{uuid.uuid4().hex[:8]}.jsonl")
    atexit.register(lambda: os.path.exists(drawn_path) and os.remove(drawn_path))
    session = Session(console, workspace, f"{environment} SLIPWAY_BENCH_CONSOLE_DRAWN='{drawn_path}'")
    console_keys = keypress(session, console_ready, keys)
    past_enter, past_keys = past_steps(session, keys)
    console_idle, appended = idle(session, console_ready, seconds, os.path.join(workspace, ".slipway/state.db"))
    console_memory = session.peak_memory_mb()
    session.close()
    delays = event_delays(appended, drawn_path)

    session = Session("tig", repository, "env LANG=C.UTF-8")
    tig_keys = keypress(session, tig_ready, keys)
    time.sleep(3)  # tig reads the rest of the history in the background
    tig_memory = session.peak_memory_mb()
    session.close()

    session = Session("htop -d 5", work, "env LANG=C.UTF-8")
    htop_idle, _ = idle(session, lambda text: "Load average" in text, seconds)
    htop_memory = session.peak_memory_mb()
    session.close()

    ms = lambda values, digits=0: (f"median {statistics.median(values) * 1000:.{digits}f} ms, "
                                   f"best {min(values) * 1000:.{digits}f} ms")
    print(f"{'':32} {'slipway console':34} peer")
    print(f"{'launch to first frame':32} {ms(console_first):34} tig: {ms(tig_first)}")
    print(f"{'keypress (j) to frame':32} {ms(console_keys, 1):34} tig: {ms(tig_keys, 1)}")
    print(f"{'past view: t to moment shown':32} {past_enter * 1000:.0f} ms")
    print(f"{'past view: [ to event before':32} {ms(past_keys)}")
    print(f"{'idle CPU over ' + str(seconds) + ' s':32} {console_idle:.2f}% (health event each 1 s)   htop -d 5: {htop_idle:.2f}%")
    print(f"{'appended event to its frame':32} {ms(delays) if delays else 'no frame logged'}, "
          f"max {max(delays, default=0) * 1000:.0f} ms ({len(delays)} of {len(appended)} events)")
    print(f"{'peak memory (VmHWM)':32} {console_memory:.1f} MB{'':26} tig: {tig_memory:.1f} MB, htop: {htop_memory:.1f} MB")


if __name__ == "__main__":
    main()
