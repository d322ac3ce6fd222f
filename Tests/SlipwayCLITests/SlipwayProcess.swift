import Foundation
import SlipwayCore
import SlipwayTestSupport

/// The built `slipway` binary, run against a test's own workspace.
struct SlipwayProcess {
    /// `$SLIPWAY_BIN`, else the `slipway` built beside this test bundle.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SLIPWAY_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("slipway")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/slipway")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let workspace: TemporaryWorkspace
    var environment: [String: String] = ["SLIPWAY_ACTOR": "tester"]

    init(_ workspace: TemporaryWorkspace) {
        self.workspace = workspace
    }

    private func process(_ arguments: [String], extra: [String: String]) -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = workspace.root
        var environment = ProcessInfo.processInfo.environment.merging(self.environment) { _, new in new }
        environment.removeValue(forKey: "CI")
        process.environment = environment.merging(extra) { _, new in new }
        return process
    }

    /// Runs `slipway ARGUMENTS` to its end.
    @discardableResult
    func callAsFunction(_ arguments: String..., environment extra: [String: String] = [:]) throws -> Result {
        try run(arguments, environment: extra)
    }

    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = process(arguments, extra: extra)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    /// Starts `slipway ARGUMENTS` in the background, its output going to `log`.
    func start(_ arguments: [String], environment extra: [String: String] = [:], log: URL) throws -> Process {
        let process = process(arguments, extra: extra)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops the workspace's agent, its router and slots, and answers what is still running with
    /// the workspace in its command line or working folder (empty when nothing was left behind).
    func stopAgentAndListLeftovers(workspace folder: String? = nil) -> String {
        // Runs started by the console go on after it quits, and a run that still needs the agent
        // starts one again: let them end before stopping it.
        let state = (folder.map { workspace.root.appendingPathComponent($0) } ?? workspace.root)
            .appendingPathComponent(".slipway/state.db")
        if FileManager.default.fileExists(atPath: state.path), let store = try? SQLiteStore(path: state) {
            _ = eventually(60) { ((try? store.runs()) ?? []).allSatisfy { $0.state != .running } }
        }
        _ = try? run(["agent", "stop"] + (folder.map { ["--workspace", $0] } ?? []))
        let root = workspace.root.path
        let agentSocket = AgentClient.socketPath(
            for: folder.map { workspace.root.appendingPathComponent($0) } ?? workspace.root,
            environment: ProcessInfo.processInfo.environment)
        let socketStem = agentSocket.replacingOccurrences(of: ".sock", with: "")
        // The router's command line names only its socket, and a release's names only its script:
        // look at command lines and working folders alike.
        // A process still exiting (its command line already gone) is given a few seconds.
        var leftovers = ""
        _ = eventually(5) {
            leftovers = Self.processes(under: root, socketStem: socketStem)
            return leftovers.isEmpty
        }
        return leftovers
    }

    private static func processes(under root: String, socketStem: String) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard DetachedProcess.isRunning(pid) else { return false }
            let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?
                .replacingOccurrences(of: "\0", with: " ") ?? ""
            let folder = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
            return commandLine.contains(root) || commandLine.contains(socketStem) || folder.hasPrefix(root)
        }.map { pid in
            "\(pid): " + ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "")
                .replacingOccurrences(of: "\0", with: " ")
        }.joined(separator: "\n")
    }

    /// Whether an agent answers on the workspace's socket.
    var agentIsRunning: Bool {
        AgentClient(workspace: workspace.root, statePath: workspace.root.appendingPathComponent(".slipway/state.db")).isRunning
    }

    /// Runs `slipway ARGUMENTS --json` and decodes its output.
    func json(_ arguments: String...) throws -> Any {
        try json(arguments)
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments + ["--json"])
        guard result.status == 0 else {
            throw SlipwayError.failure("slipway \(arguments.joined(separator: " ")) --json exited \(result.status): \(result.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}

extension Process {
    /// Waits up to `seconds` for the process to end. One still running then has its threads'
    /// stacks taken with gdb and is killed and reaped, so a hung child fails its test saying where
    /// it hung instead of hanging the suite. Answers nil when it ended in time, else the stacks.
    func waitUntilExit(within seconds: Double) -> String? {
        if eventually(seconds, { !isRunning }) {
            waitUntilExit()
            return nil
        }
        let gdb = Process()
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gdb.arguments = ["gdb", "-p", "\(processIdentifier)", "-batch", "-ex", "thread apply all bt"]
        let out = Pipe()
        gdb.standardOutput = out
        gdb.standardError = out
        gdb.standardInput = FileHandle.nullDevice
        var stacks = "(gdb could not be run)"
        if (try? gdb.run()) != nil {
            stacks = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            gdb.waitUntilExit()
        }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
        return stacks
    }
}

/// Waits up to `seconds` for `condition`, polling; generous by design (behaviour, not timing).
func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
