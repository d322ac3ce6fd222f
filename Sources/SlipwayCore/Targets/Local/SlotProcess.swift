import Foundation

/// The process that holds one slot: it runs the release as its child (in a process group of
/// its own), writes the child's output to the slot's rotating log, stops the child's whole
/// group on SIGTERM, and exits with the child's status. The agent supervises this process, not
/// the release, so the log keeps being written even while the agent is down.
public enum SlotProcess {
    /// Where a slot writes the pid of the release it runs, so that if the slot itself is killed
    /// outright, whoever restarts it can stop the release it left behind.
    public static func childPIDPath(log: String) -> String { log + ".pid" }

    /// Stops the release a dead slot left running (its whole process group), if any.
    public static func stopOrphanedRelease(log: String) {
        let path = childPIDPath(log: log)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return }
        DetachedProcess.stop(pid: pid, grace: 2)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The slot processes on this machine whose log is under `folder`, with their log, found by
    /// their command line (`slipway slot --log LOG ...`): how a restarted agent finds a slot it
    /// started but did not get to record.
    public static func processes(loggingUnder folder: String) -> [(pid: Int32, log: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let slot = arguments.firstIndex(of: "slot"), slot + 2 < arguments.count, arguments[slot + 1] == "--log",
                  arguments[slot + 2].hasPrefix(folder + "/") else { return nil }
            return (pid, arguments[slot + 2])
        }
    }

    public static func run(
        command: [String], directory: URL, variables: [String: String], log: RotatingLog
    ) async -> Int32 {
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        guard let executable = command.first else {
            log.write("slipway: the slot has no command")
            return 2
        }
        log.write("slipway: starting \(command.joined(separator: " ")) in \(directory.path)")
        var environment: [String: String?] = [:]
        for (key, value) in variables { environment[key] = value }
        do {
            let status = try await ChildProcess.run(
                StageCommand(executable: executable, arguments: Array(command.dropFirst()), directory: directory,
                             environment: environment),
                cancellation: cancellation,
                onStart: { pid in try? String(pid).write(toFile: childPIDPath(log: log.url.path), atomically: true, encoding: .utf8) }
            ) { line in log.write(line) }
            try? FileManager.default.removeItem(atPath: childPIDPath(log: log.url.path))
            log.write("slipway: the release exited with status \(status)")
            return status
        } catch {
            log.write("slipway: \(error.message)")
            return 127
        }
    }
}
