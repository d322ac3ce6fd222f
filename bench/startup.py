#!/usr/bin/env python3
"""CLI start-up (issue 15, aim 2): `slipway version` and `slipway status` against `git --version`.

    python3 bench/startup.py --slipway .build-bench/release/slipway --demo /tmp/demo [--runs 200]
        [--also static=.build-static/release/slipway]

Each command runs --runs times as a process, interleaved (one of each in turn, so the machine's
load falls on all alike), its output read fully. Wall time is measured around the spawn and the
wait; CPU time (user + system, from the child's rusage) is steadier than wall time on a loaded
machine. Peak RSS is the median of 10 runs under /usr/bin/time (see peak_rss_mb). Prints best,
median and p90 of the times, the median CPU time, the peak RSS, and each slipway median against
git's.
"""
import argparse
import os
import statistics
import subprocess
import time


def measure(argv, cwd):
    read_end, write_end = os.pipe()
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, write_end, 1), (os.POSIX_SPAWN_DUP2, devnull, 2),
               (os.POSIX_SPAWN_CLOSE, read_end)]
    start = time.perf_counter()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    finally:
        os.chdir(here)
    os.close(write_end)
    os.close(devnull)
    while os.read(read_end, 65536):
        pass
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return elapsed, usage.ru_utime + usage.ru_stime


def peak_rss_mb(argv, cwd, runs=10):
    """Median peak RSS from GNU time: a child of Python inherits Python's own peak (about 14 MB)
    through the exec, so ru_maxrss is read from a child of the small `time` program instead."""
    peaks = []
    for _ in range(runs):
        result = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, check=True)
        peaks.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(peaks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--slipway", required=True)
    parser.add_argument("--demo", required=True, help="a workspace made by `slipway demo --dir DIR`")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--also", action="append", default=[], metavar="LABEL=PATH",
                        help="another build of slipway measured in the same rounds (e.g. static=.build-static/release/slipway)")
    args = parser.parse_args()
    slipway = os.path.abspath(args.slipway)
    commands = {
        "git --version": (["git", "--version"], args.demo),
        "slipway version": ([slipway, "version"], args.demo),
        "slipway status (demo)": ([slipway, "status"], args.demo),
    }
    for also in args.also:
        label, _, path = also.partition("=")
        if not path:
            raise SystemExit(f"--also {also}: expected LABEL=PATH")
        other = os.path.abspath(path)
        commands[f"slipway version ({label})"] = ([other, "version"], args.demo)
        commands[f"slipway status (demo, {label})"] = ([other, "status"], args.demo)
    for argv, cwd in commands.values():
        measure(argv, cwd)
    figures = {name: [] for name in commands}
    cpu = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (argv, cwd) in commands.items():
            elapsed, used = measure(argv, cwd)
            figures[name].append(elapsed * 1000)
            cpu[name].append(used * 1000)
    rss = {name: peak_rss_mb(argv, cwd) for name, (argv, cwd) in commands.items()}
    load = os.getloadavg()[0]
    print(f"{args.runs} runs each, interleaved; load average {load:.1f} at the end ({os.cpu_count()} cores)")
    print("| command | best ms | median ms | p90 ms | CPU median ms | peak RSS MB (median) | median vs git |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    git_median = statistics.median(figures["git --version"])
    for name, times in figures.items():
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(f"| `{name}` | {times[0]:.1f} | {statistics.median(times):.1f} | {p90:.1f} | "
              f"{statistics.median(cpu[name]):.1f} | {rss[name]:.1f} | {statistics.median(times) / git_median:.1f}x |")
    # Issue 15's aims, on the medians; bench/run.sh --all collects these rows.
    version = statistics.median(figures["slipway version"])
    status = statistics.median(figures["slipway status (demo)"])
    verdict = lambda met: "met" if met else "missed"
    print(f"| aim: `slipway version` within 3x of `git --version` (medians) | {version / git_median:.1f}x "
          f"({version:.1f} ms) | git {git_median:.1f} ms | {verdict(version <= 3 * git_median)} |")
    print(f"| aim: `slipway version` peak RSS < 15 MB | {rss['slipway version']:.1f} MB | "
          f"git {rss['git --version']:.1f} MB | {verdict(rss['slipway version'] < 15)} |")
    print(f"| aim: `slipway status` on the demo < 25 ms (median) | {status:.1f} ms | - | {verdict(status < 25)} |")


if __name__ == "__main__":
    main()
