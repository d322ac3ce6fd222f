#!/usr/bin/env python3
"""A chatty build's output stored while it streams (issue 15, aim 6, second half).

    python3 bench/chatty_output.py --slipway .build-bench/release/slipway [--lines 100000] [--rounds 5] [--work DIR]

One app in a fresh git workspace whose Makefile prints --lines lines (`CC src/module_N.o ...`),
written the way a build writes them: one write a line (`awk` with `fflush()`, as each compiler
process says its own line), or in blocks (`seq`, as one buffered writer does). Each round, for
each way of writing:

- peer: `make test` alone, its standard output into a file;
- `slipway test-app chatty`: the same goal as a recorded run in the command's own process
  (standard output into a file, each line stored in the run's output);
- `slipway deploy-app chatty --env development`: the `build` goal prints the lines, run by the
  agent; the command shows them by following the store, so they reach its file only once stored.

Timed from spawn to exit. After each Slipway round the benchmark checks that the file and the
run's stored output (`slipway runs show ID --json`) hold every line once and in order. Lines/s
is --lines over the command's whole time (start-up included). Aim: 100,000 lines/s or more.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

MAKEFILE = """.PHONY: build deploy test
LINES ?= 100000
# One write a line, as compilers each saying their line do; or blocks, as one buffered writer does.
ifeq ($(CHATTY_WRITES),blocks)
say = seq -f 'CC src/module_%.0f.o -c -O2 -Wall' 1 $(LINES)
else
say = awk -v n=$(LINES) 'BEGIN { for (i = 1; i <= n; i++) { printf "CC src/module_%d.o -c -O2 -Wall\\n", i; fflush() } }'
endif
build:
\t@$(say)
deploy:
\t@:
test:
\t@$(say)
"""


def expected(lines):
    return [f"CC src/module_{i}.o -c -O2 -Wall" for i in range(1, lines + 1)]


def timed(argv, cwd, env, sink):
    """Seconds from spawning argv to its exit, its standard output into the file `sink`."""
    with open(sink, "w") as out:
        start = time.perf_counter()
        code = subprocess.run(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
        elapsed = time.perf_counter() - start
    if code != 0:
        with open(sink) as text:
            raise SystemExit(f"{' '.join(argv)} exited {code}:\n{text.read()[-2000:]}")
    return elapsed


def check(label, got, want):
    """Every wanted line once, in order, in `got` (other lines, such as the stage headers, may come between)."""
    build = [line for line in got if line.startswith("CC src/module_")]
    if build != want:
        missing = len(set(want) - set(build))
        raise SystemExit(f"{label}: {len(build)} build lines of {len(want)}, {missing} missing, "
                         f"{len(build) - len(set(build))} twice, first difference at line "
                         f"{next((i for i, (a, b) in enumerate(zip(build, want)) if a != b), min(len(build), len(want)))}")


def run_id(sink):
    with open(sink) as text:
        for line in text:
            if line.startswith("run ") and ":" in line:
                return line.split()[1].rstrip(":")
    raise SystemExit(f"no run id in {sink}")


def workspace(root):
    files = {
        "slipway.yml": "# the chatty output benchmark's workspace: defaults only\n",
        ".gitignore": ".slipway/\n",
        "apps/chatty/Makefile": MAKEFILE,
        "apps/chatty/slipway.yml": "# a build that says a line for every file it compiles\n",
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--slipway", required=True)
    parser.add_argument("--lines", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", help="folder for the workspace (default: a temporary one, removed after)")
    arguments = parser.parse_args()
    slipway = os.path.abspath(arguments.slipway)
    root = arguments.work or tempfile.mkdtemp(prefix="slipway-chatty-bench-")
    if os.path.exists(root) and os.listdir(root):
        raise SystemExit(f"{root} is not empty")
    os.makedirs(root, exist_ok=True)
    workspace(root)
    app = os.path.join(root, "apps/chatty")
    sink = os.path.join(root, "out.txt")
    want = expected(arguments.lines)
    forms = ["make", "test-app", "deploy-app (agent)"]
    times = {(writes, form): [] for writes in ["lines", "blocks"] for form in forms}
    try:
        env = dict(os.environ, SLIPWAY_ACTOR="bench", LINES=str(arguments.lines))
        subprocess.run([slipway, "agent", "start"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        for round_ in range(1, arguments.rounds + 1):
            for writes in ["lines", "blocks"]:
                env["CHATTY_WRITES"] = writes
                times[(writes, "make")].append(timed(["make", "--no-print-directory", "test"], app, env, sink))
                with open(sink) as text:
                    check("make", text.read().splitlines(), want)
                commands = {
                    "test-app": [slipway, "test-app", "chatty"],
                    "deploy-app (agent)": [slipway, "deploy-app", "chatty", "--env", "development", "--version", f"{writes}{round_}"],
                }
                for form, argv in commands.items():
                    times[(writes, form)].append(timed(argv, root, env, sink))
                    with open(sink) as text:
                        check(f"{form}, its standard output", text.read().splitlines(), want)
                    shown = subprocess.run([slipway, "runs", "show", run_id(sink), "--json"], cwd=root, env=env,
                                           check=True, capture_output=True, text=True).stdout
                    check(f"{form}, the stored output", json.loads(shown)["output"], want)
    finally:
        subprocess.run([slipway, "agent", "stop"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not arguments.work:
            shutil.rmtree(root, ignore_errors=True)

    lines = arguments.lines
    print(f"{lines} lines, {arguments.rounds} rounds, load {open('/proc/loadavg').read().split()[0]}; "
          "every line found once and in order, in the command's output and in the store")
    print("| writes | what | best s | median s | lines/s, best | lines/s, median |")
    print("|---|---|---:|---:|---:|---:|")
    for (writes, form), measured in times.items():
        best, median = min(measured), statistics.median(measured)
        print(f"| {writes} | {form} | {best:.3f} | {median:.3f} | {lines / best:,.0f} | {lines / median:,.0f} |")
    for (writes, form), measured in times.items():
        if form == "make":
            continue
        median = statistics.median(measured)
        peer = statistics.median(times[(writes, "make")])
        rate = lines / median
        print(f"| aim: {form}, one write a {'line' if writes == 'lines' else 'block'}: stored at >= 100,000 lines/s (median) "
              f"| {rate:,.0f} lines/s ({median:.3f} s) | make alone {peer:.3f} s | {'met' if rate >= 100000 else 'missed'} |")

if __name__ == "__main__":
    main()
