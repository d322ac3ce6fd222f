// slipway-pipeline-bench: the pipeline issue's benchmark figures.
//
//   slipway-pipeline-bench changes --slipway BIN [--components 1000] [--commits 5000] [--ranges 200] [--work DIR]
//   slipway-pipeline-bench deploy [--slipway BIN] [--components 16] [--jobs 4] [--seconds 1] [--reps 3] [--work DIR]
//   slipway-pipeline-bench spawn                  one git process through swift-subprocess and through Foundation
//
// `changes` generates a monorepo with `git fast-import` (deterministic: a fixed seed) and, for the
// same commit ranges, times `slipway changes --base A --head B --json` against plain
// `git diff --name-only A...B`, each as a process per range, interleaved; it also times the
// engine's ChangeDetector in this process. `deploy` times a pipeline deploying independent
// components whose deploy sleeps, against the ideal ceil(components / jobs) x seconds.

import Foundation
import SlipwayCore

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func fixed(_ value: Double, _ places: Int = 2) -> String { String(format: "%.\(places)f", value) }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// A small deterministic generator (SplitMix64), so every run builds the same repository.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Runs a program to its end, reading its output fully; answers its status and output.
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: URL, input: Data? = nil,
         environment: [String: String] = [:]) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    let inPipe = Pipe()
    if input != nil { process.standardInput = inPipe } else { process.standardInput = FileHandle.nullDevice }
    try process.run()
    if let input {
        let writer = Thread {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}

@discardableResult
func git(_ arguments: [String], in directory: URL, input: Data? = nil) throws -> String {
    let result = try run("/usr/bin/git", arguments, in: directory, input: input)
    guard result.status == 0 else { throw BenchError("git \(arguments.joined(separator: " ")) exited \(result.status)") }
    return String(decoding: result.output, as: UTF8.self)
}

func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

// MARK: - Change detection

/// A fast-import stream: one commit with `components` components (half apps, half services,
/// a tenth depending on an earlier one, a tenth with `paths` on a shared package), then
/// `commits` commits each changing one to four files (a global file about once in 400 commits).
func monorepoStream(components: Int, commits: Int, seed: UInt64) -> Data {
    var random = SplitMix64(state: seed)
    var stream = ""
    stream.reserveCapacity(commits * 300)
    func path(_ index: Int) -> String { index % 2 == 0 ? "apps/c\(index)" : "services/c\(index)" }
    func file(_ name: String, _ text: String) {
        stream += "M 100644 inline \(name)\ndata \(text.utf8.count)\n\(text)\n"
    }
    func header(_ mark: Int, _ message: String) {
        stream += "commit refs/heads/main\nmark :\(mark)\ncommitter Bench <bench@slipway.local> \(1_700_000_000 + mark) +0000\n"
        stream += "data \(message.utf8.count)\n\(message)\n"
        if mark > 1 { stream += "from :\(mark - 1)\n" }
    }
    header(1, "components")
    file("slipway.yml", "parallelism: 4\n")
    file("deploy/base.yaml", "replicas: 1\n")
    file(".gitignore", ".slipway/\n")
    for library in 0..<20 { file("packages/lib\(library)/index.js", "module.exports = \(library)\n") }
    for index in 0..<components {
        file("\(path(index))/Makefile", "test:\n\t@true\n")
        file("\(path(index))/src/main.txt", "0\n")
        if index % 10 == 5 { file("\(path(index))/slipway.yml", "depends_on: [c\(index - 5)]\n") }
        if index % 10 == 7 { file("\(path(index))/slipway.yml", "paths: [\"packages/lib\(index % 20)/**\", \"!**/*.md\"]\n") }
    }
    for commit in 0..<commits {
        header(commit + 2, "change \(commit)")
        for _ in 0..<(1 + random.below(4)) {
            let roll = random.below(400)
            if roll == 0 {
                file("deploy/base.yaml", "replicas: \(commit)\n")
            } else if roll < 30 {
                file("packages/lib\(random.below(20))/index.js", "module.exports = \(commit)\n")
            } else {
                file("\(path(random.below(components)))/src/main.txt", "\(commit)\n")
            }
        }
    }
    return Data(stream.utf8)
}

func benchChanges(_ arguments: [String]) async throws {
    guard let slipway = option("--slipway", in: arguments) else { throw BenchError("changes needs --slipway BIN") }
    let components = Int(option("--components", in: arguments) ?? "1000") ?? 1000
    let commits = Int(option("--commits", in: arguments) ?? "5000") ?? 5000
    let rangeCount = Int(option("--ranges", in: arguments) ?? "200") ?? 200
    let work = URL(fileURLWithPath: option("--work", in: arguments) ?? NSTemporaryDirectory())
        .appendingPathComponent("pipeline-bench-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }

    var start = ContinuousClock.now
    try git(["init", "-q", "-b", "main"], in: work)
    try git(["fast-import", "--quiet"], in: work, input: monorepoStream(components: components, commits: commits, seed: 42))
    try git(["checkout", "-q", "-f", "main"], in: work)
    let shas = try git(["rev-list", "--reverse", "main"], in: work).split(separator: "\n").map(String.init)
    print("generated \(components) components, \(shas.count) commits with git fast-import in \(fixed(seconds(since: start))) s")

    var random = SplitMix64(state: 7)
    let ranges: [(String, String)] = (0..<rangeCount).map { _ in
        let head = 101 + random.below(shas.count - 101)
        let span = 1 + random.below(100)
        return (shas[head - span], shas[head])
    }
    // Warm both once (page cache, the store's creation) before timing.
    try run("/usr/bin/git", ["diff", "--name-only", "\(ranges[0].0)...\(ranges[0].1)"], in: work)
    try run(slipway, ["changes", "--base", ranges[0].0, "--head", ranges[0].1, "--json"], in: work)

    var gitTimes: [Double] = []
    var slipwayTimes: [Double] = []
    var coldTimes: [Double] = []
    let cache = work.appendingPathComponent(".slipway/cache")
    var changedComponents = 0
    var changedFiles = 0
    for (base, head) in ranges {
        start = ContinuousClock.now
        let plain = try run("/usr/bin/git", ["diff", "--name-only", "\(base)...\(head)"], in: work)
        gitTimes.append(seconds(since: start))
        start = ContinuousClock.now
        let changes = try run(slipway, ["changes", "--base", base, "--head", head, "--json"], in: work)
        slipwayTimes.append(seconds(since: start))
        // The same with no discovery cache: every component's settings parsed.
        try? FileManager.default.removeItem(at: cache)
        start = ContinuousClock.now
        let cold = try run(slipway, ["changes", "--base", base, "--head", head, "--json"], in: work)
        coldTimes.append(seconds(since: start))
        guard plain.status == 0, changes.status == 0, cold.status == 0 else { throw BenchError("a diff failed for \(base)...\(head)") }
        guard cold.output == changes.output else { throw BenchError("cached and cold answers differ for \(base)...\(head)") }
        let decoded = try JSONDecoder().decode(ChangeSet.self, from: changes.output)
        changedComponents += decoded.components.count
        changedFiles += decoded.files.count
        let plainFiles = String(decoding: plain.output, as: UTF8.self).split(separator: "\n").count
        guard plainFiles <= decoded.files.count else { throw BenchError("slipway saw fewer files than git for \(base)...\(head)") }
    }

    let workspace = try Workspace.load(at: work)
    let graph = try DependencyGraph(workspace: workspace)
    let detector = ChangeDetector(workspace: workspace, graph: graph)
    var engineTimes: [Double] = []
    var classifyTimes: [Double] = []
    for (base, head) in ranges {
        start = ContinuousClock.now
        let changes = try await detector.detect(base: base, head: head, baseSource: "given")
        engineTimes.append(seconds(since: start))
        let files = changes.files.map { ChangedFile(path: $0, change: .modified) }
        start = ContinuousClock.now
        _ = ChangeDetector.classify(files, components: workspace.components, graph: graph, globalPaths: workspace.config.globalPaths)
        classifyTimes.append(seconds(since: start))
    }
    // The git work the detector asks for, as plain processes, to tell it from the engine's own:
    // `merge-base`, `diff -M` and one `cat-file` given (untimed, from `ls-tree -r`) every object the
    // detector's session asks for with no discovery cache: the commit, the roots, the component
    // folders' trees and their `slipway.yml` blobs.
    var gitWorkTimes: [Double] = []
    var gitAtOnceTimes: [Double] = []
    for (base, head) in ranges {
        var requests = ["\(head)^{commit}"] + ["slipway.yml", "apps", "services", "packages"].map { "\(head)^{tree}:\($0)" }
        let listing = try git(["ls-tree", "-r", "-t", "-z", head, "--", "apps", "services", "packages"], in: work)
        for entry in listing.split(separator: "\0") {
            guard let tab = entry.firstIndex(of: "\t") else { continue }
            let fields = entry[..<tab].split(separator: " ")
            let depth = entry[entry.index(after: tab)...].split(separator: "/").count
            if fields[1] == "tree", depth == 2 { requests.append(String(fields[2])) }
            if fields[1] == "blob", depth == 3, entry.hasSuffix("/slipway.yml") || entry.hasSuffix("/package.json") {
                requests.append(String(fields[2]))
            }
        }
        let input = Data(requests.map { $0 + "\n" }.joined().utf8)
        let commands: [(arguments: [String], input: Data?)] = [
            (["merge-base", base, head], nil),
            (["diff", "--name-status", "-M", "-z", "--relative", "\(base)...\(head)"], nil),
            (["cat-file", "--batch"], input),
        ]
        start = ContinuousClock.now
        for command in commands { try run("/usr/bin/git", command.arguments, in: work, input: command.input) }
        gitWorkTimes.append(seconds(since: start))
        start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: commands.count) { index in
            _ = try? run("/usr/bin/git", commands[index].arguments, in: work, input: commands[index].input)
        }
        gitAtOnceTimes.append(seconds(since: start))
    }
    start = ContinuousClock.now
    _ = try Workspace.load(at: work)
    let loadTime = seconds(since: start)

    let gitTotal = gitTimes.reduce(0, +)
    let slipwayTotal = slipwayTimes.reduce(0, +)
    let engineTotal = engineTimes.reduce(0, +)
    print("\(rangeCount) ranges of 1-100 commits: \(changedFiles / rangeCount) files and \(changedComponents / rangeCount) components changed per range on average")
    print("| what | total (s) | median per range (ms) | vs git |")
    print("|---|---:|---:|---:|")
    print("| `git diff --name-only A...B` (process) | \(fixed(gitTotal)) | \(fixed(median(gitTimes) * 1000, 1)) | 1.00x |")
    print("| `slipway changes --base A --head B --json` (process) | \(fixed(slipwayTotal)) | \(fixed(median(slipwayTimes) * 1000, 1)) | \(fixed(slipwayTotal / gitTotal))x |")
    let coldTotal = coldTimes.reduce(0, +)
    print("| the same with no discovery cache (removed before each run) | \(fixed(coldTotal)) | \(fixed(median(coldTimes) * 1000, 1)) | \(fixed(coldTotal / gitTotal))x |")
    print("| ChangeDetector.detect in-process (head's components read from git per range) | \(fixed(engineTotal)) | \(fixed(median(engineTimes) * 1000, 1)) | \(fixed(engineTotal / gitTotal))x |")
    let gitWorkTotal = gitWorkTimes.reduce(0, +)
    print("| its git commands alone (merge-base, diff -M, cat-file of head's objects; processes one after another) | \(fixed(gitWorkTotal)) | \(fixed(median(gitWorkTimes) * 1000, 1)) | \(fixed(gitWorkTotal / gitTotal))x |")
    let gitAtOnceTotal = gitAtOnceTimes.reduce(0, +)
    print("| the same three processes started at once | \(fixed(gitAtOnceTotal)) | \(fixed(median(gitAtOnceTimes) * 1000, 1)) | \(fixed(gitAtOnceTotal / gitTotal))x |")
    print("of which classifying the files (globs, dependencies, global paths): median \(fixed(median(classifyTimes) * 1000, 1)) ms per range")
    print("loading the \(components)-component workspace once: \(fixed(loadTime * 1000, 1)) ms")
}

// MARK: - Parallel deploy

func benchDeploy(_ arguments: [String]) async throws {
    let components = Int(option("--components", in: arguments) ?? "16") ?? 16
    let jobs = Int(option("--jobs", in: arguments) ?? "4") ?? 4
    let sleep = Double(option("--seconds", in: arguments) ?? "1") ?? 1
    let reps = Int(option("--reps", in: arguments) ?? "3") ?? 3
    let slipway = option("--slipway", in: arguments)
    let base = URL(fileURLWithPath: option("--work", in: arguments) ?? NSTemporaryDirectory())
    let ideal = Double((components + jobs - 1) / jobs) * sleep

    func workspace() throws -> (URL, String) {
        let root = base.appendingPathComponent("deploy-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: root)
        try ".slipway/\n".write(to: root.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        // The deploys are what is measured: the components have no reports for the default gates
        // (which `slipway pipeline` runs, as CI does), so the workspace turns the gates off.
        try "quality_gates:\n  sonarqube: false\n  security_scan: false\n"
            .write(to: root.appendingPathComponent("slipway.yml"), atomically: true, encoding: .utf8)
        try git(["add", "-A"], in: root)
        try git(["-c", "user.name=Bench", "-c", "user.email=bench@slipway.local", "commit", "-q", "-m", "empty"], in: root)
        let empty = try git(["rev-parse", "HEAD"], in: root).trimmingCharacters(in: .whitespacesAndNewlines)
        for index in 0..<components {
            let folder = root.appendingPathComponent("services/s\(index)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let makefile = "APP_NAME := s\(index)\nAPP_TYPE := nodejs\nDEPLOYMENT_TARGET := fake-cloud\n\ndeploy:\n\t@sleep \(sleep)\n"
            try makefile.write(to: folder.appendingPathComponent("Makefile"), atomically: true, encoding: .utf8)
        }
        try git(["add", "-A"], in: root)
        try git(["-c", "user.name=Bench", "-c", "user.email=bench@slipway.local", "commit", "-q", "-m", "components"], in: root)
        return (root, empty)
    }

    var inProcess: [Double] = []
    for _ in 0..<reps {
        let (root, empty) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let engine = try await Engine.open(workspace: root, state: nil, output: { _ in })
        var options = PipelineRunner.Options(
            environment: try engine.workspace.environment(named: "staging"), base: empty, baseSource: "given")
        options.jobs = jobs
        options.runsGates = false
        let start = ContinuousClock.now
        let outcome = try await PipelineRunner(engine: engine, gate: ReportGate(engine: engine)).run(options)
        inProcess.append(seconds(since: start))
        guard outcome.result.succeeded, outcome.jobs.values.filter({ $0.hasPrefix("deployed") }).count == components else {
            throw BenchError("the pipeline did not deploy all \(components): \(outcome.result.reason ?? "")")
        }
    }
    var cli: [Double] = []
    if let slipway {
        for _ in 0..<reps {
            let (root, empty) = try workspace()
            defer { try? FileManager.default.removeItem(at: root) }
            let start = ContinuousClock.now
            let result = try run(slipway, ["pipeline", "--env", "staging", "--base", empty, "--jobs", "\(jobs)"], in: root)
            cli.append(seconds(since: start))
            guard result.status == 0 else { throw BenchError("slipway pipeline exited \(result.status)") }
        }
    }
    print("\(components) independent components, deploy = sleep \(fixed(sleep, 1)) s, --jobs \(jobs): ideal \(fixed(ideal, 1)) s")
    print("| what | median of \(reps) (s) | min (s) | vs ideal |")
    print("|---|---:|---:|---:|")
    print("| ideal: ceil(\(components)/\(jobs)) x \(fixed(sleep, 1)) s | \(fixed(ideal)) | \(fixed(ideal)) | 1.00x |")
    print("| PipelineRunner in-process, no gates (deploy-all --changed) | \(fixed(median(inProcess))) | \(fixed(inProcess.min() ?? .nan)) | \(fixed(median(inProcess) / ideal))x |")
    if !cli.isEmpty {
        print("| `slipway pipeline --jobs \(jobs)` (process, tests and gates too) | \(fixed(median(cli))) | \(fixed(cli.min() ?? .nan)) | \(fixed(median(cli) / ideal))x |")
    }
}

/// How long one git process takes to run through the engine's spawner and through Foundation's.
func benchSpawn(_ arguments: [String]) async throws {
    let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let count = 20
    var start = ContinuousClock.now
    for _ in 0..<count { _ = await GitRepository.containing(directory) }
    let engine = seconds(since: start) / Double(count)
    start = ContinuousClock.now
    for _ in 0..<count { try run("/usr/bin/git", ["rev-parse", "--show-toplevel"], in: directory) }
    let foundation = seconds(since: start) / Double(count)
    print("git rev-parse --show-toplevel, mean of \(count): engine (swift-subprocess) \(fixed(engine * 1000, 1)) ms, Foundation.Process \(fixed(foundation * 1000, 1)) ms")
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "changes": try await benchChanges(Array(arguments.dropFirst()))
    case "deploy": try await benchDeploy(Array(arguments.dropFirst()))
    case "spawn": try await benchSpawn(Array(arguments.dropFirst()))
    default:
        print("usage: slipway-pipeline-bench changes --slipway BIN [...] | deploy [--slipway BIN] [...]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("slipway-pipeline-bench: \(error)\n".utf8))
    exit(1)
}
