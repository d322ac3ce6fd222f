#!/usr/bin/env python3
"""Writes the console benchmark's inputs into WORK: a workspace of 500 components x 3
environments whose store holds 100,000 events (deploy runs, round robin), and a git
repository with as many commits, for tig.

    generate.py WORK SLIPWAY [--components 500] [--events 100000] [--store-only yes]
"""
import json
import os
import subprocess
import sys
import time


def main():
    work, slipway = sys.argv[1], sys.argv[2]
    args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    components = int(args.get("--components", 500))
    events = int(args.get("--events", 100000))
    workspace = os.path.join(work, "workspace")
    os.makedirs(workspace, exist_ok=True)
    with open(os.path.join(workspace, "slipway.yml"), "w") as f:
        f.write("environments:\n  development: {}\n  staging: {}\n  production: {}\n")
    names = [f"svc-{i:04d}" for i in range(components)]
    for name in names:
        folder = os.path.join(workspace, "services", name)
        os.makedirs(folder, exist_ok=True)
        open(os.path.join(folder, "requirements.txt"), "w").write("flask\n")
    # The store's own migrations make the schema; the events then go in through sqlite3 and
    # `slipway store rebuild` folds the projection, as the store would have.
    # (`status` opens the store; the listing commands no longer do.)
    subprocess.run([slipway, "--workspace", workspace, "status"], check=True, stdout=subprocess.DEVNULL)
    environments = ["development", "staging", "production"]
    now = int(time.time() * 1000) - events * 10
    rows = []
    run = 0
    kinds = ["run.started", "deploy.succeeded", "run.finished"]
    for i in range(events):
        step = i % 3
        if step == 0:
            run += 1
        target = run % (components * 3)
        component, environment = names[target // 3], environments[target % 3]
        version = f"{run:012x}"
        details = {"run_kind": "deploy", "version": version}
        if step == 1:
            details.update({"commit": version, "color": "blue" if run % 2 else "green"})
        if step == 2:
            details["outcome"] = "succeeded"
        payload = json.dumps(details, sort_keys=True, separators=(",", ":")).replace("'", "''")
        rows.append(f"INSERT INTO events (time, actor, kind, schema_version, component, environment, run_id, payload) "
                    f"VALUES ({now + i * 10}, 'bench', '{kinds[step]}', 1, '{component}', '{environment}', 'r{run}', '{payload}');")
    sql = "BEGIN;\n" + "\n".join(rows) + "\nCOMMIT;\n"
    subprocess.run(["sqlite3", os.path.join(workspace, ".slipway/state.db")], input=sql.encode(), check=True)
    subprocess.run([slipway, "--workspace", workspace, "store", "rebuild"], check=True, stdout=subprocess.DEVNULL)
    if args.get("--store-only") == "yes":
        return

    # tig's peer: a repository with the same number of commits, written by fast-import.
    repository = os.path.join(work, "repository")
    subprocess.run(["git", "init", "-q", repository], check=True)
    stream = []
    for i in range(events):
        message = f"commit {i}\n".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@slipway.local> {1700000000 + i} +0000\n".encode())
        stream.append(f"data {len(message)}\n".encode() + message)
        stream.append(b"\n")
    subprocess.run(["git", "-C", repository, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", repository, "checkout", "-q", "main"], check=True)


if __name__ == "__main__":
    main()
