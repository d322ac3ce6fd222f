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

    /// Starts it and says so in one line (or why it could not start).
    func launch(_ arguments: [String]) -> String {
        let logs = engine.workspace.stateDirectory.appendingPathComponent("logs")
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let log = logs.appendingPathComponent("console-actions.log").path
        var environment = environment
        environment["SLIPWAY_ORIGIN"] = "console"
        do {
            let pid = try DetachedProcess.spawn(commandLine(arguments), environment: environment, logPath: log)
            return "started (pid \(pid)): slipway \(arguments.joined(separator: " ")); output in \(log)"
        } catch {
            return "cannot start slipway \(arguments.joined(separator: " ")): \(error.message)"
        }
    }
}
