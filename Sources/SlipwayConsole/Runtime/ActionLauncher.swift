import Foundation
import SlipwayCore

/// Starts the console's actions as `slipway` processes of their own (the same binary), in a
/// session of their own, so they keep going when the console quits; their progress comes
/// back through the store like any other process's.
struct ActionLauncher: Sendable {
    let engine: Engine
    var executable = DetachedProcess.currentExecutable
    var environment = ProcessInfo.processInfo.environment

    /// The full command line for `slipway ARGUMENTS` on this workspace and store.
    func commandLine(_ arguments: [String]) -> [String] {
        [executable] + arguments + ["--workspace", engine.workspace.root.path, "--state", engine.store.path.path]
    }

    /// Starts it, says so in one line (or why it could not start), then waits for it and says
    /// how it ended: a refusal (already live, no slot to switch to, ...) shows on screen, not
    /// only in its log. Blocks until the action ends: call it off the terminal thread.
    func launch(_ arguments: [String], report: (String) -> Void) {
        let logs = engine.workspace.stateDirectory.appendingPathComponent("logs/console-actions")
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let log = logs.appendingPathComponent("\(stamp)-\(UUID().uuidString.prefix(6)).log").path
        var environment = environment
        environment["SLIPWAY_ORIGIN"] = "console"
        let title = "slipway \(arguments.joined(separator: " "))"
        let pid: Int32
        do {
            pid = try DetachedProcess.spawn(commandLine(arguments), environment: environment, logPath: log)
        } catch {
            report("cannot start \(title): \(error.message)")
            return
        }
        report("started: \(title) (pid \(pid))")
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { return }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        if exitCode == 0 {
            report("done: \(title)")
        } else {
            report("failed: \(title): \(Self.lastProblem(inLog: log) ?? "exit \(exitCode), see \(log)")")
        }
    }

    /// The line of a failed action's output that says why: its last `slipway:` line.
    static func lastProblem(inLog path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        let problem = lines.last { $0.hasPrefix("slipway: ") } ?? lines.last
        return problem.map { $0.replacingOccurrences(of: "slipway: error: ", with: "").replacingOccurrences(of: "slipway: ", with: "") }
    }
}
