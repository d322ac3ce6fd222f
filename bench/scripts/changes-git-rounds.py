#!/usr/bin/env python3
# python3 bench/scripts/changes-git-rounds.py DIR [COMPONENTS 1000] [COMMITS 5000] [RANGES 60]
# The git work of `slipway changes --base A --head B` before the tenth session (merge-base, diff -M
# and ls-tree at once, then cat-file --batch by path) and after it (merge-base, diff -M and one
# cat-file of head's objects at once), against `git diff --name-only A...B`, each as plain
# processes, interleaved over the same ranges, in the repository `slipway-pipeline-bench changes`
# generates (ported to Python; made here in DIR, which must not exist). Git's side only: no Slipway process runs.
import os, subprocess, sys, time, random, statistics
M=(1<<64)-1
class R:
    def __init__(s,st): s.s=st
    def next(s):
        s.s=(s.s+0x9E3779B97F4A7C15)&M; z=s.s
        z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
        z=((z^(z>>27))*0x94D049BB133111EB)&M
        return z^(z>>31)
    def below(s,b): return s.next()%b

def stream(components, commits):
    """The fast-import stream of `slipway-pipeline-bench changes` (same seed, same repository)."""
    r = R(42); out = []
    def path(i): return f"apps/c{i}" if i % 2 == 0 else f"services/c{i}"
    def file(n, t): out.append(f"M 100644 inline {n}\ndata {len(t.encode())}\n{t}\n")
    def header(m, msg):
        out.append(f"commit refs/heads/main\nmark :{m}\ncommitter Bench <bench@slipway.local> {1700000000+m} +0000\ndata {len(msg)}\n{msg}\n")
        if m > 1: out.append(f"from :{m-1}\n")
    header(1, "components")
    file("slipway.yml", "parallelism: 4\n"); file("deploy/base.yaml", "replicas: 1\n"); file(".gitignore", ".slipway/\n")
    for l in range(20): file(f"packages/lib{l}/index.js", f"module.exports = {l}\n")
    for i in range(components):
        file(f"{path(i)}/Makefile", "test:\n\t@true\n"); file(f"{path(i)}/src/main.txt", "0\n")
        if i % 10 == 5: file(f"{path(i)}/slipway.yml", f"depends_on: [c{i-5}]\n")
        if i % 10 == 7: file(f"{path(i)}/slipway.yml", f'paths: ["packages/lib{i%20}/**", "!**/*.md"]\n')
    for c in range(commits):
        header(c + 2, f"change {c}")
        for _ in range(1 + r.below(4)):
            roll = r.below(400)
            if roll == 0: file("deploy/base.yaml", f"replicas: {c}\n")
            elif roll < 30: file(f"packages/lib{r.below(20)}/index.js", f"module.exports = {c}\n")
            else: file(f"{path(r.below(components))}/src/main.txt", f"{c}\n")
    return "".join(out).encode()
args = sys.argv[1:] + [None] * 4
repo = args[0]; components = int(args[1] or 1000); commits = int(args[2] or 5000); n = int(args[3] or 60)
os.makedirs(repo)
subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=stream(components, commits), check=True)
subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
git = lambda *a, **k: subprocess.run(["git", *a], cwd=repo, capture_output=True, **k)
shas = git("rev-list", "--reverse", "main").stdout.decode().split()
rnd = random.Random(7)
ranges = []
for _ in range(n):
    head = 101 + rnd.randrange(len(shas) - 101); span = 1 + rnd.randrange(100)
    ranges.append((shas[head - span], shas[head]))
def start(args, data=None):
    p = subprocess.Popen(["git", *args], cwd=repo, stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p, data
def finish(pd):
    p, data = pd; out, _ = p.communicate(data); return out
def diffplain(a, b): finish(start(["diff", "--name-only", f"{a}...{b}"]))
def before(a, b):
    # round 1: merge-base, diff -M, ls-tree of the roots at once; round 2: cat-file --batch by path
    procs = [start(["merge-base", a, b]), start(["diff", "--name-status", "-M", "-z", "--relative", f"{a}...{b}"]),
             start(["ls-tree", "-z", f"{b}^{{commit}}", "--", "slipway.yml", "apps/", "services/", "packages/"])]
    outs = [finish(p) for p in procs]
    req = [f"{b}^{{commit}}"]
    for e in outs[2].split(b"\0"):
        if b"\t" not in e: continue
        f = e.split(b"\t")[0].split(b" ")
        req += [f"{f[2].decode()}:slipway.yml", f"{f[2].decode()}:package.json"] if f[1] == b"tree" else [f[2].decode()]
    finish(start(["cat-file", "--batch"], "".join(r + "\n" for r in req).encode()))
def after_requests(b):
    req = [f"{b}^{{commit}}"] + [f"{b}^{{tree}}:{x}" for x in ["slipway.yml", "apps", "services", "packages"]]
    for e in git("ls-tree", "-r", "-t", "-z", b, "--", "apps", "services", "packages").stdout.split(b"\0"):
        if b"\t" not in e: continue
        meta, path = e.split(b"\t"); f = meta.split(b" "); depth = path.count(b"/") + 1
        if f[1] == b"tree" and depth == 2: req.append(f[2].decode())
        if f[1] == b"blob" and depth == 3 and (path.endswith(b"/slipway.yml") or path.endswith(b"/package.json")): req.append(f[2].decode())
    return "".join(r + "\n" for r in req).encode()
def after(a, b, data):
    procs = [start(["merge-base", a, b]), start(["diff", "--name-status", "-M", "-z", "--relative", f"{a}...{b}"]), start(["cat-file", "--batch"], data)]
    for p in procs: finish(p)
t = {"diff": [], "before": [], "after": []}
for a, b in ranges:
    data = after_requests(b)
    for name, f in [("diff", lambda: diffplain(a, b)), ("before", lambda: before(a, b)), ("after", lambda: after(a, b, data))]:
        s = time.perf_counter(); f(); t[name].append(time.perf_counter() - s)
for name, v in t.items():
    print(f"{name}: median {statistics.median(v)*1000:.1f} ms, total {sum(v):.2f} s, {sum(v)/sum(t['diff']):.2f}x")
