// slipway-bench: the foundation issue's acceptance figures.
//
//   slipway-bench [all] [--work DIR] [--quick] [--settle S]   every benchmark below, then a table of results
//   slipway-bench discovery [--components N] [--runs N] [--work DIR]
//   slipway-bench append [--events N] [--batch N] [--reps N] [--work DIR]
//   slipway-bench grow DB --to N [--batch N] [--via store|sqlite3]
//   slipway-bench rebuild DB [--fold]            one rebuild, in a process of its own (for VmHWM)
//   slipway-bench past DB [--samples N]          the console's past view: moments spread over the log
//
// `all` runs `rebuild` as a child process of this binary so that the peak resident memory
// (VmHWM) it reports belongs to the rebuild alone. Every file lives in a temporary folder
// under /tmp (or --work), removed at the end. Before each timed phase `all` waits (at most
// --settle seconds, default 60; 0 skips) for the machine to be quiet, and it prints how busy the
// machine was (all processes, this one included) during each phase.

import Foundation
import SlipwayCore

// MARK: - Small helpers

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func now() -> ContinuousClock.Instant { ContinuousClock.now }

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// `1234567` as `1,234,567`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return (value < 0 ? "-" : "") + out
}

func fixed(_ value: Double, _ places: Int = 2) -> String { String(format: "%.\(places)f", value) }

/// A `kB` field of /proc/self/status, such as `VmHWM` (peak resident set) or `VmRSS`.
func procStatusKB(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let number = line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
        return number.flatMap { Int($0) } ?? -1
    }
    return -1
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

func mib(kB: Int) -> String { fixed(Double(kB) / 1024, 1) }

/// The machine's CPU time so far, from the `cpu` line of /proc/stat: (busy, total) in ticks.
func cpuTicks() -> (busy: Double, total: Double) {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return (0, 0) }
    let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard values.count >= 5 else { return (0, 0) }
    let total = values.prefix(8).reduce(0, +)
    return (total - values[3] - values[4], total)
}

/// How many cores the whole machine kept busy (this process included) between two readings.
func busyCores(from start: (busy: Double, total: Double), to end: (busy: Double, total: Double)) -> Double {
    let total = end.total - start.total
    guard total > 0 else { return .nan }
    return (end.busy - start.busy) / total * Double(ProcessInfo.processInfo.activeProcessorCount)
}

/// Waits (at most `limit` seconds) until the machine has been nearly idle for 3 s running, so
/// that other people's builds do not land in the figures. Answers the seconds waited and
/// whether it got quiet.
func waitForQuiet(limit: Int) -> (seconds: Double, quiet: Bool) {
    guard limit > 0 else { return (0, true) }
    let start = now()
    var quiet = 0
    while seconds(since: start) < Double(limit) {
        let before = cpuTicks()
        Thread.sleep(forTimeInterval: 1)
        quiet = busyCores(from: before, to: cpuTicks()) < 0.25 ? quiet + 1 : 0
        if quiet >= 3 { return (seconds(since: start), true) }
    }
    return (seconds(since: start), false)
}

/// Runs `body` and reports the machine's busy cores meanwhile.
func metered<T>(_ body: () throws -> T) rethrows -> (value: T, busy: Double) {
    let before = cpuTicks()
    let value = try body()
    return (value, busyCores(from: before, to: cpuTicks()))
}

/// `--name value` options and positional arguments.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        let valueless: Set<String> = ["--quick", "--fold", "--help", "-h"]
        while let argument = iterator.next() {
            if argument.hasPrefix("-") {
                if valueless.contains(argument) {
                    flags.insert(argument)
                } else {
                    options[argument] = iterator.next() ?? ""
                }
            } else {
                positional.append(argument)
            }
        }
    }

    func int(_ name: String, _ fallback: Int) throws -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value > 0 else {
            throw BenchError("\(name) wants a positive whole number, not '\(text)'")
        }
        return value
    }
}

let sqlite3Path = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `executable` with `arguments`, stdin from `input` (a file), stdout captured; returns
/// the wall time of the whole process and its stdout.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: URL? = nil) throws -> (seconds: Double, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let input {
        guard let handle = FileHandle(forReadingAtPath: input.path) else { throw BenchError("cannot read \(input.path)") }
        process.standardInput = handle
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    let start = now()
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let elapsed = seconds(since: start)
    guard process.terminationStatus == 0 else {
        throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return (elapsed, String(decoding: data, as: UTF8.self))
}

/// Writes text to a file through a 1 MiB buffer.
final class BufferedWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else { throw BenchError("cannot write \(url.path)") }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

/// A fresh folder under /tmp, or the one given with --work.
func workFolder(_ arguments: Arguments) throws -> (url: URL, owned: Bool) {
    if let path = arguments.options["--work"] {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (url, false)
    }
    var template = Array("/tmp/slipway-bench.XXXXXX".utf8CString)
    guard let pointer = mkdtemp(&template) else { throw BenchError("mkdtemp failed") }
    return (URL(fileURLWithPath: String(cString: pointer)), true)
}

// MARK: - 1. Discovery of a generated workspace

/// The checkout's shared make files (bench/Sources/slipway-bench/main.swift -> ../../../deploy).
func deployTemplates() -> [String: String] {
    let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy")
    var files: [String: String] = [:]
    for name in ["shared.mk", "local.mk", "cloudflare.mk", "aws.mk"] {
        files[name] = (try? String(contentsOf: deploy.appendingPathComponent(name), encoding: .utf8))
            ?? """
            # \(name) (stand-in: the checkout's deploy/\(name) was not found)
            ENV ?= development
            APP_NAME ?= $(notdir $(CURDIR))
            .PHONY: info
            info:
            \t@echo "name=$(APP_NAME)"

            """
    }
    return files
}

/// Writes a workspace of `count` components (half under apps/, half under services/). Even
/// components have a Makefile in the shape of deploy/app-template.mk (APP_NAME, APP_TYPE,
/// DEPLOYMENT_TARGET, `include ../../deploy/shared.mk` and the target's .mk); odd ones only
/// have files the platform is inferred from.
func generateWorkspace(at root: URL, count: Int) throws {
    let manager = FileManager.default
    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }
    for (name, text) in deployTemplates() { try write("deploy/\(name)", text) }
    try write("slipway.yml", """
        # generated by slipway-bench
        environments:
          development:
            database: "neon-dev-branch"
            workers_env: "dev"
            monitoring: "basic"
            sonarqube: "disabled"
          staging:
            database: "neon-staging-branch"
            workers_env: "staging"
            monitoring: "full"
            sonarqube: "enabled"
          production:
            database: "neon-main"
            workers_env: "production"
            monitoring: "full"
            sonarqube: "enabled"
        branches:
          develop: staging
          main: production

        """)
    let made: [(technology: String, target: String, include: String, deploy: String)] = [
        ("nodejs", "cloudflare-pages", "cloudflare.mk", "deploy-pages"),
        ("python", "aws-ecs", "aws.mk", "ecs-deploy"),
        ("nodejs", "cloudflare-worker", "cloudflare.mk", "deploy-worker"),
        ("docker", "local", "local.mk", "local-deploy"),
    ]
    for index in 0..<count {
        let folder = index < count / 2 ? "apps" : "services"
        let name = folder == "apps" ? String(format: "app-%04d", index) : String(format: "svc-%04d", index)
        let path = "\(folder)/\(name)"
        if index % 2 == 0 {
            let flavour = made[(index / 2) % made.count]
            try write("\(path)/Makefile", """
                # \(name): generated by slipway-bench from deploy/app-template.mk
                APP_NAME := \(name)
                APP_TYPE := \(flavour.technology)
                DEPLOYMENT_TARGET := \(flavour.target)
                BUILD_DIR ?= dist

                include ../../deploy/shared.mk
                include ../../deploy/\(flavour.include)

                .PHONY: test build deploy health-check

                test:
                \t$(call log,testing $(VERSION))
                \t@true

                build:
                \t$(call log,building $(VERSION) for $(ENV))
                \t@mkdir -p $(BUILD_DIR)

                deploy: \(flavour.deploy)

                health-check:
                \t$(call log,checking $(ENV))

                """)
            try write("\(path)/README.md", "# \(name)\n")
        } else {
            switch (index / 2) % 5 {
            case 0:
                try write("\(path)/package.json", "{ \"name\": \"\(name)\", \"version\": \"1.0.0\", \"scripts\": { \"build\": \"vite build\" } }\n")
                try write("\(path)/wrangler.toml", "name = \"\(name)\"\npages_build_output_dir = \"dist\"\n")
            case 1:
                try write("\(path)/requirements.txt", "fastapi==0.115.0\nuvicorn==0.30.0\n")
                try write("\(path)/deploy/ecs-task-definition.json", "{ \"family\": \"\(name)\" }\n")
            case 2:
                try write("\(path)/package.json", "{ \"name\": \"\(name)\", \"main\": \"src/index.js\" }\n")
                try write("\(path)/wrangler.toml", "name = \"\(name)\"\nmain = \"src/index.js\"\n")
            case 3:
                try write("\(path)/pyproject.toml", "[project]\nname = \"\(name)\"\n")
            default:
                try write("\(path)/index.html", "<!doctype html><title>\(name)</title>\n")
            }
            try write("\(path)/README.md", "# \(name)\n")
        }
    }
}

struct DiscoveryResult {
    var components: Int
    var fromMakefile: Int
    var unknownTechnology: Int
    var unknownTarget: Int
    var times: [Double]
    var generation: Double
    /// Best of 3: `MakefileMetadata.load` of every Makefile (with its includes), and
    /// `PlatformInference` of every component without one, outside `Workspace.load`.
    var makefileSeconds: Double
    var makefiles: Int
    var inferenceSeconds: Double
    var busy: Double = .nan
}

func benchDiscovery(work: URL, count: Int, runs: Int) throws -> DiscoveryResult {
    let root = work.appendingPathComponent("workspace")
    try? FileManager.default.removeItem(at: root)
    let generationStart = now()
    try generateWorkspace(at: root, count: count)
    let generation = seconds(since: generationStart)
    var times: [Double] = []
    var last: Workspace?
    for _ in 0..<runs {
        let start = now()
        let workspace = try Workspace.load(at: root)
        times.append(seconds(since: start))
        last = workspace
    }
    guard let workspace = last else { throw BenchError("no discovery run") }
    guard workspace.components.count == count else {
        throw BenchError("discovered \(workspace.components.count) components, expected \(count)")
    }
    let withMakefile = workspace.components.filter { $0.makefile != nil }.map(\.directory)
    let withoutMakefile = workspace.components.filter { $0.makefile == nil }.map(\.directory)
    var makefileTimes: [Double] = []
    var inferenceTimes: [Double] = []
    for _ in 0..<3 {
        var start = now()
        for directory in withMakefile {
            guard MakefileMetadata.load(from: directory.appendingPathComponent("Makefile"), directory: directory) != nil else {
                throw BenchError("cannot read \(directory.path)/Makefile")
            }
        }
        makefileTimes.append(seconds(since: start))
        start = now()
        var unknown = 0
        for directory in withoutMakefile {
            if PlatformInference.technology(in: directory) == "unknown" { unknown += 1 }
            if PlatformInference.target(in: directory) == "unknown" { unknown += 1 }
        }
        inferenceTimes.append(seconds(since: start))
        if unknown > withoutMakefile.count * 2 { throw BenchError("inference found nothing") }
    }
    let result = DiscoveryResult(
        components: workspace.components.count,
        fromMakefile: workspace.components.filter { $0.makefile?.appName != nil }.count,
        unknownTechnology: workspace.components.filter { $0.technology == "unknown" }.count,
        unknownTarget: workspace.components.filter { $0.target == "unknown" }.count,
        times: times, generation: generation, makefileSeconds: makefileTimes.min() ?? .nan, makefiles: withMakefile.count,
        inferenceSeconds: inferenceTimes.min() ?? .nan)
    try FileManager.default.removeItem(at: root)
    return result
}

// MARK: - Events as the engine writes them

/// The events of deploy runs of 50 components x 3 environments, round robin: each run is
/// `run.started`, `deploy.succeeded`, `run.finished`, with the details `RunExecutor` and
/// `Deployer` write. Event `index` is always the same event.
enum EventFactory {
    static let components = (0..<50).map { String(format: "svc-%02d", $0) }
    static let environments = ["development", "staging", "production"]
    /// 2026-01-01T00:00:00Z; event `index` happens `index` seconds later.
    static let baseMilliseconds: Int64 = 1_767_225_600_000

    static func event(_ index: Int) -> NewEvent {
        let run = index / 3
        let key = run % (components.count * environments.count)
        let component = components[key % components.count]
        let environment = environments[key / components.count]
        let release = run / (components.count * environments.count) + 1
        let version = "v\(release)"
        let commit = String(format: "%07x", (UInt64(run) &* 2_654_435_761) & 0xfff_ffff)
        // Shaped like RunRecord.newID(): `r` + 14 digits + `-` + 4 hex digits.
        let runID = "r\(20_260_101_000_000 + run)-" + String(format: "%04x", run & 0xffff)
        let time = Date(timeIntervalSince1970: Double(baseMilliseconds + Int64(index) * 1000) / 1000)
        switch index % 3 {
        case 0:
            return NewEvent(.runStarted, component: component, environment: environment, runID: runID, details: EventDetails(
                runKind: .deploy, version: version, commit: commit, origin: "cli", pid: 40_000 + run % 20_000), time: time)
        case 1:
            return NewEvent(.deploySucceeded, component: component, environment: environment, runID: runID, details: EventDetails(
                runKind: .deploy, version: version, commit: commit, color: release % 2 == 0 ? "green" : "blue",
                previousVersion: release > 1 ? "v\(release - 1)" : nil), time: time)
        default:
            return NewEvent(.runFinished, component: component, environment: environment, runID: runID, details: EventDetails(
                runKind: .deploy, version: version, outcome: "succeeded"), time: time)
        }
    }

    static func events(_ range: Range<Int>) -> [NewEvent] { range.map(event) }

    /// The payload exactly as `EventStore.append` stores it (sorted keys, no masking needed).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func sqlLiteral(_ text: String?) -> String {
        guard let text else { return "NULL" }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// One INSERT of event `index` into the store's `events` table.
    static func insertStatement(_ index: Int, actor: String) throws -> String {
        let event = event(index)
        let payload = String(decoding: try encoder.encode(event.details), as: UTF8.self)
        let milliseconds = Int64(((event.time ?? Date()).timeIntervalSince1970 * 1000).rounded())
        return "INSERT INTO events (time, actor, kind, schema_version, component, environment, run_id, payload) VALUES ("
            + "\(milliseconds), \(sqlLiteral(actor)), \(sqlLiteral(event.kind.rawValue)), 1, \(sqlLiteral(event.component)), "
            + "\(sqlLiteral(event.environment)), \(sqlLiteral(event.runID)), \(sqlLiteral(payload)));\n"
    }

    /// A SQL script inserting events `range` in transactions of `batch` rows, with the
    /// connection set up as GRDB sets up a DatabasePool's (WAL, synchronous NORMAL).
    static func writeSQL(_ range: Range<Int>, batch: Int, actor: String, to url: URL) throws {
        let writer = try BufferedWriter(url)
        try writer.write("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n")
        var index = range.lowerBound
        while index < range.upperBound {
            let end = min(index + batch, range.upperBound)
            try writer.write("BEGIN;\n")
            for row in index..<end { try writer.write(try insertStatement(row, actor: actor)) }
            try writer.write("COMMIT;\n")
            index = end
        }
        try writer.close()
    }
}

let benchActor = "bench"

// MARK: - 2. Appends: EventStore against the sqlite3 CLI

struct AppendResult {
    var events: Int
    var batch: Int
    var storeTimes: [Double]
    var sqliteTimes: [Double]
    /// The machine's busy cores during each timed rep (this process, or sqlite3, is about 1).
    var storeBusy: [Double]
    var sqliteBusy: [Double]
    var sqlBytes: Int
    var json: JSONCosts?
}

/// The Foundation JSON work one `append` of the whole run does, measured apart (best of 3):
/// encoding each payload, decoding it again (`Projection.apply(Event)` reads `Event.details`,
/// which decodes the payload just encoded, with a new JSONDecoder each time), and decoding and
/// encoding every touched `DeploymentState` once per batch (`loadStates` and `save`).
struct JSONCosts {
    var payloadEncode: Double
    var payloadDecode: Double
    var states: Double
    var stateCount: Int
    var batches: Int

    var total: Double { payloadEncode + payloadDecode + states }

    static func measure(events: Int, batch: Int, states: [DeploymentState]) throws -> JSONCosts {
        let details = (0..<events).map { EventFactory.event($0).details }
        let payloads = try details.map { try EventFactory.encoder.encode($0) }
        let batches = (events + batch - 1) / batch
        let stateEncoder = JSONEncoder()
        stateEncoder.dateEncodingStrategy = .millisecondsSince1970
        stateEncoder.outputFormatting = .sortedKeys
        let stateDecoder = JSONDecoder()
        stateDecoder.dateDecodingStrategy = .millisecondsSince1970
        let stateTexts = try states.map { String(decoding: try stateEncoder.encode($0), as: UTF8.self) }
        var encode: [Double] = []
        var decode: [Double] = []
        var state: [Double] = []
        for _ in 0..<3 {
            var start = now()
            for detail in details {
                // As EventStore.append: a String of the encoded Data, then masked (no secrets here).
                _ = String(decoding: try EventFactory.encoder.encode(detail), as: UTF8.self)
            }
            encode.append(seconds(since: start))
            start = now()
            for payload in payloads {
                guard (try? JSONDecoder().decode(EventDetails.self, from: payload)) != nil else { throw BenchError("decode") }
            }
            decode.append(seconds(since: start))
            start = now()
            for _ in 0..<batches {
                for text in stateTexts {
                    let decoded = try stateDecoder.decode(DeploymentState.self, from: Data(text.utf8))
                    _ = String(decoding: try stateEncoder.encode(decoded), as: UTF8.self)
                }
            }
            state.append(seconds(since: start))
        }
        return JSONCosts(
            payloadEncode: encode.min() ?? .nan, payloadDecode: decode.min() ?? .nan, states: state.min() ?? .nan,
            stateCount: states.count, batches: batches)
    }
}

/// Creates an empty store (the engine's schema, by its own migrations) and lets it close.
func createEmptyStore(at url: URL) throws {
    _ = try EventStore(path: url, actor: benchActor)
}

func removeDatabase(_ url: URL) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
}

/// Appends events `range` through `EventStore.append` in calls of `batch` events; the
/// events are made before the clock starts.
func appendThroughStore(_ store: EventStore, _ range: Range<Int>, batch: Int) throws -> (seconds: Double, busy: Double) {
    var batches: [[NewEvent]] = []
    var index = range.lowerBound
    while index < range.upperBound {
        let end = min(index + batch, range.upperBound)
        batches.append(EventFactory.events(index..<end))
        index = end
    }
    let ticks = cpuTicks()
    let start = now()
    for events in batches { try store.append(events) }
    let elapsed = seconds(since: start)
    return (elapsed, busyCores(from: ticks, to: cpuTicks()))
}

/// `reps` times, alternately: 100,000 events through a fresh EventStore, then the same rows
/// through the sqlite3 CLI into a fresh database. `settle` runs before each timed part.
func benchAppend(work: URL, events: Int, batch: Int, reps: Int, keep: URL?, settle: () -> Void = {}) throws -> AppendResult {
    guard let sqlite3Path else { throw BenchError("sqlite3 not found: apt-get install -y sqlite3") }
    let sql = work.appendingPathComponent("append.sql")
    try EventFactory.writeSQL(0..<events, batch: batch, actor: benchActor, to: sql)
    let sqlBytes = (try? FileManager.default.attributesOfItem(atPath: sql.path)[.size] as? Int) ?? 0
    var storeTimes: [Double] = []
    var sqliteTimes: [Double] = []
    var storeBusy: [Double] = []
    var sqliteBusy: [Double] = []
    var states: [DeploymentState] = []
    for rep in 0..<reps {
        // EventStore, fresh store each time.
        let storeURL = work.appendingPathComponent("append-store.db")
        removeDatabase(storeURL)
        do {
            let store = try EventStore(path: storeURL, actor: benchActor)
            settle()
            let (elapsed, busy) = try appendThroughStore(store, 0..<events, batch: batch)
            storeTimes.append(elapsed)
            storeBusy.append(busy)
            let latest = try store.latestEventID()
            guard latest == Int64(events) else { throw BenchError("store holds \(latest) events, expected \(events)") }
            states = Array(try store.projection().states.values)
        }
        if rep == reps - 1, let keep {
            removeDatabase(keep)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: storeURL.path + suffix) {
                try FileManager.default.moveItem(atPath: storeURL.path + suffix, toPath: keep.path + suffix)
            }
        } else {
            removeDatabase(storeURL)
        }

        // sqlite3 CLI, same schema (made by the store's migrations), same rows, same batches.
        let floorURL = work.appendingPathComponent("append-sqlite3.db")
        removeDatabase(floorURL)
        try createEmptyStore(at: floorURL)
        settle()
        let ((elapsed, _), busy) = try metered { try run(sqlite3Path, [floorURL.path], input: sql) }
        sqliteTimes.append(elapsed)
        sqliteBusy.append(busy)
        let count = try run(sqlite3Path, [floorURL.path, "SELECT count(*) FROM events"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard count == String(events) else { throw BenchError("sqlite3 inserted \(count) rows, expected \(events)") }
        removeDatabase(floorURL)
    }
    try FileManager.default.removeItem(at: sql)
    return AppendResult(
        events: events, batch: batch, storeTimes: storeTimes, sqliteTimes: sqliteTimes, storeBusy: storeBusy,
        sqliteBusy: sqliteBusy, sqlBytes: sqlBytes,
        json: try JSONCosts.measure(events: events, batch: batch, states: states))
}

// MARK: - 3. Growing a store, and rebuilding its projection

/// Grows the store at `db` to `target` events: through `EventStore.append` (the projection kept
/// up to date as the engine keeps it) or, faster, through the sqlite3 CLI (events only).
func grow(db: URL, to target: Int, batch: Int, via: String) throws -> (added: Int, seconds: Double) {
    let existing: Int
    do {
        let store = try EventStore(path: db, actor: benchActor)
        existing = Int(try store.latestEventID())
    }
    guard existing < target else { return (0, 0) }
    switch via {
    case "store":
        let store = try EventStore(path: db, actor: benchActor)
        var elapsed = 0.0
        var index = existing
        while index < target {
            let end = min(index + 100_000, target)
            elapsed += try appendThroughStore(store, index..<end, batch: batch).seconds
            index = end
        }
        return (target - existing, elapsed)
    case "sqlite3":
        guard let sqlite3Path else { throw BenchError("sqlite3 not found") }
        let sql = db.deletingLastPathComponent().appendingPathComponent("grow.sql")
        try EventFactory.writeSQL(existing..<target, batch: batch, actor: benchActor, to: sql)
        defer { try? FileManager.default.removeItem(at: sql) }
        let (elapsed, _) = try run(sqlite3Path, [db.path], input: sql)
        return (target - existing, elapsed)
    default:
        throw BenchError("--via wants store or sqlite3, not '\(via)'")
    }
}

struct RebuildResult {
    var events: Int
    var seconds: Double
    var foldSeconds: Double?
    var hwmBeforeKB: Int
    var hwmAfterKB: Int
    var rssAfterKB: Int
    var states: Int
    var matchesIncremental: Bool?

    var line: String {
        var fields = [
            "events=\(events)", "seconds=\(seconds)", "hwm_before_kb=\(hwmBeforeKB)", "hwm_after_kb=\(hwmAfterKB)",
            "rss_after_kb=\(rssAfterKB)", "states=\(states)",
        ]
        if let foldSeconds { fields.append("fold_seconds=\(foldSeconds)") }
        if let matchesIncremental { fields.append("matches_incremental=\(matchesIncremental)") }
        return "RESULT " + fields.joined(separator: " ")
    }

    init(events: Int, seconds: Double, foldSeconds: Double?, hwmBeforeKB: Int, hwmAfterKB: Int, rssAfterKB: Int,
         states: Int, matchesIncremental: Bool?) {
        self.events = events
        self.seconds = seconds
        self.foldSeconds = foldSeconds
        self.hwmBeforeKB = hwmBeforeKB
        self.hwmAfterKB = hwmAfterKB
        self.rssAfterKB = rssAfterKB
        self.states = states
        self.matchesIncremental = matchesIncremental
    }

    init?(line: String) {
        guard let result = line.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else { return nil }
        var fields: [String: String] = [:]
        for field in result.dropFirst(7).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let events = fields["events"].flatMap({ Int($0) }), let seconds = fields["seconds"].flatMap({ Double($0) }),
              let before = fields["hwm_before_kb"].flatMap({ Int($0) }), let after = fields["hwm_after_kb"].flatMap({ Int($0) }),
              let rss = fields["rss_after_kb"].flatMap({ Int($0) }), let states = fields["states"].flatMap({ Int($0) })
        else { return nil }
        self.init(
            events: events, seconds: seconds, foldSeconds: fields["fold_seconds"].flatMap { Double($0) },
            hwmBeforeKB: before, hwmAfterKB: after, rssAfterKB: rss, states: states,
            matchesIncremental: fields["matches_incremental"].map { $0 == "true" })
    }
}

/// One `rebuildProjection()` of the store at `db`, timed, with the process's peak memory before
/// (store opened, stored projection read) and after.
func rebuildOnce(db: URL, fold: Bool) throws -> RebuildResult {
    let store = try EventStore(path: db, actor: benchActor)
    let events = Int(try store.latestEventID())
    let stored = try store.projection()
    let hwmBefore = procStatusKB("VmHWM")
    let start = now()
    let rebuilt = try store.rebuildProjection()
    let elapsed = seconds(since: start)
    let hwmAfter = procStatusKB("VmHWM")
    let rss = procStatusKB("VmRSS")
    var foldSeconds: Double?
    if fold {
        let foldStart = now()
        _ = try store.foldedProjection()
        foldSeconds = seconds(since: foldStart)
    }
    return RebuildResult(
        events: events, seconds: elapsed, foldSeconds: foldSeconds, hwmBeforeKB: hwmBefore, hwmAfterKB: hwmAfter,
        rssAfterKB: rss, states: rebuilt.states.count,
        matchesIncremental: stored.states.isEmpty ? nil : stored == rebuilt)
}

/// What SQLite alone spends on the fold's query, through the sqlite3 CLI: the scan with the
/// seven `json_extract`s, and the same scan without them.
func sqliteFoldFloor(db: URL) throws -> (withJSON: Double, withoutJSON: Double) {
    guard let sqlite3Path else { throw BenchError("sqlite3 not found") }
    let withJSON = """
        SELECT count(*), sum(length(id || time || kind || component || environment || ifnull(run_id, '')
            || ifnull(json_extract(payload, '$.run_kind'), '') || ifnull(json_extract(payload, '$.version'), '')
            || ifnull(json_extract(payload, '$.commit'), '') || ifnull(json_extract(payload, '$.color'), '')
            || ifnull(json_extract(payload, '$.outcome'), '') || ifnull(json_extract(payload, '$.healthy'), '')
            || ifnull(json_extract(payload, '$.reason'), '')))
        FROM events WHERE component IS NOT NULL AND environment IS NOT NULL ORDER BY id;
        """
    let withoutJSON = """
        SELECT count(*), sum(length(id || time || kind || component || environment || ifnull(run_id, '') || payload))
        FROM events WHERE component IS NOT NULL AND environment IS NOT NULL ORDER BY id;
        """
    var a: [Double] = []
    var b: [Double] = []
    for _ in 0..<3 {
        a.append(try run(sqlite3Path, [db.path, withJSON]).seconds)
        b.append(try run(sqlite3Path, [db.path, withoutJSON]).seconds)
    }
    return (a.min() ?? .nan, b.min() ?? .nan)
}

/// The console's past-view query (`PastLoader`) at `samples` moments spread evenly over the log:
/// the last event by then, the projection through it (checkpoint and fold), the runs started by
/// then and the 300 events up to it. Also the fold of every event, which a past moment cost
/// before checkpoints.
func pastMoments(db: URL, samples: Int) throws -> String {
    let store = try EventStore(path: db, actor: benchActor)
    guard let first = try store.event(steps: 0, from: 1), let last = try store.latestEvent() else {
        throw BenchError("\(db.path) holds no events")
    }
    var projection: [Double] = []
    var whole: [Double] = []
    var states = 0
    for index in 0..<samples {
        let fraction = Double(index) / Double(max(1, samples - 1))
        let moment = first.time + last.time.timeIntervalSince(first.time) * fraction
        let start = now()
        guard let mark = try store.lastEvent(atOrBefore: moment) else { continue }
        let folded = try store.projection(through: mark.id)
        projection.append(seconds(since: start))
        _ = try store.runs(asOf: mark.time, limit: 200)
        _ = try store.latestEvents(limit: 300, through: mark.id)
        whole.append(seconds(since: start))
        states = folded.states.count
    }
    let foldStart = now()
    _ = try store.foldedProjection()
    let fold = seconds(since: foldStart)
    func ms(_ values: [Double]) -> String {
        let sorted = values.sorted()
        let p95 = sorted.isEmpty ? Double.nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
        return "median \(fixed(median(values) * 1000, 1)) ms, p95 \(fixed(p95 * 1000, 1)) ms, max \(fixed((sorted.last ?? .nan) * 1000, 1)) ms"
    }
    return """
        past view over \(grouped(Int(last.id))) events, \(states) deployments, \(projection.count) moments:
          moment -> projection:                 \(ms(projection))
          with runs and 300 events (the view):  \(ms(whole))
          fold of every event (no checkpoint):  \(fixed(fold * 1000, 0)) ms
        """
}

func ownExecutable() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

// MARK: - Commands

func usage() -> String {
    """
    usage: slipway-bench [all] [--work DIR] [--quick] [--settle 60] [--via store|sqlite3]
           slipway-bench discovery [--components 1000] [--runs 9] [--work DIR]
           slipway-bench append [--events 100000] [--batch 1000] [--reps 3] [--work DIR]
           slipway-bench grow DB --to 1000000 [--batch 10000] [--via store|sqlite3]
           slipway-bench rebuild DB [--fold]
           slipway-bench past DB [--samples 40]
    """
}

func printDiscovery(_ result: DiscoveryResult) {
    print("discovery: \(result.components) components (\(result.fromMakefile) with a Makefile; unknown technology "
        + "\(result.unknownTechnology), unknown target \(result.unknownTarget)); generated in \(fixed(result.generation))s")
    print("  Workspace.load(at:) x\(result.times.count): "
        + result.times.map { fixed($0 * 1000, 1) }.joined(separator: " ") + " ms"
        + (result.busy.isNaN ? "" : "  (machine busy: \(fixed(result.busy, 1)) cores)"))
    print("  apart: MakefileMetadata.load x\(result.makefiles) \(fixed(result.makefileSeconds * 1000, 1)) ms, "
        + "PlatformInference x\(result.components - result.makefiles) \(fixed(result.inferenceSeconds * 1000, 1)) ms")
}

func printAppend(_ result: AppendResult) {
    print("append: \(grouped(result.events)) events in batches of \(grouped(result.batch)), \(result.storeTimes.count) rep(s); "
        + "SQL script \(grouped(result.sqlBytes)) bytes")
    func times(_ values: [Double], _ busy: [Double]) -> String {
        zip(values, busy).map { "\(fixed($0.0, 3)) s (busy \(fixed($0.1, 1)))" }.joined(separator: ", ")
    }
    print("  EventStore.append: " + times(result.storeTimes, result.storeBusy))
    print("  sqlite3 CLI:       " + times(result.sqliteTimes, result.sqliteBusy))
    if let json = result.json {
        print("  apart, the JSON one run does: payload encode \(fixed(json.payloadEncode, 3)) s, payload re-decode "
            + "\(fixed(json.payloadDecode, 3)) s, \(json.stateCount) states decoded+encoded x\(json.batches) batches "
            + "\(fixed(json.states, 3)) s; total \(fixed(json.total, 3)) s "
            + "(\(fixed(100 * json.total / median(result.storeTimes), 0))% of the median EventStore time)")
    }
}

func runAll(_ arguments: Arguments) throws {
    let quick = arguments.flags.contains("--quick")
    let components = try arguments.int("--components", 1000)
    let discoveryRuns = try arguments.int("--runs", quick ? 3 : 9)
    let events = try arguments.int("--events", quick ? 20_000 : 100_000)
    let batch = try arguments.int("--batch", 1000)
    let reps = try arguments.int("--reps", quick ? 1 : 5)
    let target = try arguments.int("--rebuild-events", quick ? 200_000 : 1_000_000)
    let rebuildRuns = try arguments.int("--rebuild-runs", quick ? 1 : 3)
    let via = arguments.options["--via"] ?? "store"
    let settle = try arguments.options["--settle"] == "0" ? 0 : arguments.int("--settle", 60)
    let (work, owned) = try workFolder(arguments)
    defer { if owned { try? FileManager.default.removeItem(at: work) } }

    var info = utsname()
    uname(&info)
    let kernel = withUnsafeBytes(of: &info.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    let date = ISO8601DateFormatter().string(from: Date())
    print("slipway-bench  \(date)  \(ProcessInfo.processInfo.activeProcessorCount) cores  Linux \(kernel)  "
        + "sqlite3 \(try run(sqlite3Path ?? "/usr/bin/sqlite3", ["--version"]).output.split(separator: " ").first ?? "?")")
    print("work folder: \(work.path); load average \(loadAverage())\n")
    func settleDown(limit: Int? = nil, silently: Bool = false) {
        let limit = limit ?? settle
        guard limit > 0 else { return }
        let (waited, quiet) = waitForQuiet(limit: limit)
        if silently { return }
        if !quiet {
            print("  (the machine is still busy after \(limit) s, load average \(loadAverage()): measuring anyway)")
        } else if waited > 3.5 {
            print("  (waited \(fixed(waited, 0)) s for the machine to go quiet)")
        }
    }

    settleDown()
    var (discovery, discoveryBusy) = try metered { try benchDiscovery(work: work, count: components, runs: discoveryRuns) }
    discovery.busy = discoveryBusy
    printDiscovery(discovery)

    let db = work.appendingPathComponent("rebuild.db")
    settleDown()
    let append = try benchAppend(
        work: work, events: events, batch: batch, reps: reps, keep: db, settle: { settleDown(limit: min(settle, 20), silently: true) })
    printAppend(append)

    let growBatch = try arguments.int("--grow-batch", 10_000)
    let grown = try grow(db: db, to: target, batch: growBatch, via: via)
    print("grow: \(grouped(grown.added)) events added via \(via) in batches of \(grouped(growBatch)) in \(fixed(grown.seconds))s "
        + "(\(grouped(Int(Double(grown.added) / max(grown.seconds, 1e-9)))) events/s)")
    let dbBytes = (try? FileManager.default.attributesOfItem(atPath: db.path)[.size] as? Int) ?? 0

    var rebuilds: [RebuildResult] = []
    for index in 0..<rebuildRuns {
        settleDown()
        let (child, busy) = try metered { try run(ownExecutable(), ["rebuild", db.path] + (index == 0 ? ["--fold"] : [])) }
        guard let result = RebuildResult(line: child.output) else { throw BenchError("rebuild child said: \(child.output)") }
        print("  rebuild (child process \(index + 1)): \(fixed(result.seconds, 3)) s, VmHWM \(mib(kB: result.hwmBeforeKB)) -> "
            + "\(mib(kB: result.hwmAfterKB)) MiB, \(result.states) states"
            + (result.foldSeconds.map { ", foldedProjection \(fixed($0, 3)) s" } ?? "")
            + (result.matchesIncremental.map { $0 ? ", equals the incremental projection" : ", DIFFERS from the incremental projection" } ?? "")
            + " (machine busy: \(fixed(busy, 1)) cores)")
        rebuilds.append(result)
    }
    let floor = try sqliteFoldFloor(db: db)
    print("  sqlite3 CLI, the fold's SELECT alone: \(fixed(floor.withJSON, 3)) s with the 7 json_extract, "
        + "\(fixed(floor.withoutJSON, 3)) s without")

    // The table.
    let discoveryBest = discovery.times.min() ?? .nan
    let discoveryMedian = median(discovery.times)
    let storeBest = append.storeTimes.min() ?? .nan
    let sqliteBest = append.sqliteTimes.min() ?? .nan
    let ratioBest = storeBest / sqliteBest
    let ratioMedian = median(append.storeTimes) / median(append.sqliteTimes)
    let rate = { (count: Int, time: Double) in grouped(Int((Double(count) / time).rounded())) }
    let rebuildTimes = rebuilds.map(\.seconds)
    let rebuildBest = rebuildTimes.min() ?? .nan
    let rebuildMedian = median(rebuildTimes)
    let peakKB = rebuilds.map(\.hwmAfterKB).max() ?? -1
    let rebuiltEvents = rebuilds.first?.events ?? 0
    let yes = { (met: Bool) in met ? "yes" : "NO" }

    var rows: [(String, String, String, String)] = [("measure", "result", "goal", "met")]
    rows.append((
        "discovery, \(grouped(discovery.components)) components",
        "best \(fixed(discoveryBest * 1000, 1)) ms, median \(fixed(discoveryMedian * 1000, 1)) ms (\(discovery.times.count) runs)",
        "-", "-"))
    rows.append((
        "append, EventStore (\(grouped(events)) ev, batch \(batch))",
        "\(rate(events, storeBest)) ev/s best, \(rate(events, median(append.storeTimes))) median", "", ""))
    rows.append((
        "append, sqlite3 CLI floor (same rows)",
        "\(rate(events, sqliteBest)) ev/s best, \(rate(events, median(append.sqliteTimes))) median", "", ""))
    rows.append((
        "append time, EventStore / sqlite3",
        "\(fixed(ratioBest))x best, \(fixed(ratioMedian))x median", "<= 2x", yes(ratioBest <= 2)))
    rows.append((
        "rebuild, \(grouped(rebuiltEvents)) events",
        "best \(fixed(rebuildBest, 2)) s, median \(fixed(rebuildMedian, 2)) s (\(rate(rebuiltEvents, rebuildBest)) ev/s best)",
        "<= 5 s", yes(rebuildBest <= 5)))
    rows.append((
        "rebuild peak memory (VmHWM)",
        "\(mib(kB: peakKB)) MiB (at start \(mib(kB: rebuilds.map(\.hwmBeforeKB).max() ?? -1)) MiB)",
        "<= 200 MB", yes(peakKB * 1024 <= 200_000_000)))
    let widths = (0..<3).map { column in
        rows.map { row in [row.0, row.1, row.2][column].count }.max() ?? 0
    }
    print("")
    for (index, row) in rows.enumerated() {
        let cells = [row.0, row.1, row.2]
        let padded = cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
        print("| " + padded.joined(separator: " | ") + " | " + row.3.padding(toLength: 3, withPad: " ", startingAt: 0) + " |")
        if index == 0 {
            print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|-----|")
        }
    }
    print("\nstore for the rebuild: \(grouped(dbBytes)) bytes; goals are judged on the best runs (others' work only adds time); "
        + "load average at the end \(loadAverage())")
}

func main() -> Int32 {
    let arguments = Arguments(CommandLine.arguments.dropFirst())
    if arguments.flags.contains("--help") || arguments.flags.contains("-h") {
        print(usage())
        return 0
    }
    do {
        switch arguments.positional.first ?? "all" {
        case "all":
            try runAll(arguments)
        case "discovery":
            let (work, owned) = try workFolder(arguments)
            defer { if owned { try? FileManager.default.removeItem(at: work) } }
            printDiscovery(try benchDiscovery(
                work: work, count: try arguments.int("--components", 1000), runs: try arguments.int("--runs", 9)))
        case "append":
            let (work, owned) = try workFolder(arguments)
            defer { if owned { try? FileManager.default.removeItem(at: work) } }
            printAppend(try benchAppend(
                work: work, events: try arguments.int("--events", 100_000), batch: try arguments.int("--batch", 1000),
                reps: try arguments.int("--reps", 3), keep: nil))
        case "grow":
            guard arguments.positional.count == 2 else { throw BenchError(usage()) }
            let db = URL(fileURLWithPath: arguments.positional[1])
            let grown = try grow(
                db: db, to: try arguments.int("--to", 1_000_000), batch: try arguments.int("--batch", 10_000),
                via: arguments.options["--via"] ?? "store")
            print("grew \(db.path) by \(grouped(grown.added)) events in \(fixed(grown.seconds))s")
        case "rebuild":
            guard arguments.positional.count == 2 else { throw BenchError(usage()) }
            let result = try rebuildOnce(db: URL(fileURLWithPath: arguments.positional[1]), fold: arguments.flags.contains("--fold"))
            print(result.line)
        case "past":
            guard arguments.positional.count == 2 else { throw BenchError(usage()) }
            print(try pastMoments(db: URL(fileURLWithPath: arguments.positional[1]), samples: try arguments.int("--samples", 40)))
        default:
            throw BenchError(usage())
        }
        return 0
    } catch {
        FileHandle.standardError.write(Data("slipway-bench: \(error)\n".utf8))
        return 1
    }
}

exit(main())
