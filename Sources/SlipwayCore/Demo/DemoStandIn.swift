import Foundation

/// A platform stand-in the cloud demo runs in the background (moto, the Cloudflare stand-in):
/// started detached in a session of its own, recorded in the store under a stand-in role so the
/// agent stops it with the fleet (`agent stop`), its port read from the `port N` line it logs.
struct DemoStandIn: Sendable {
    var name: String
    var pid: Int32
    var port: Int

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `arguments` and waits (up to a generous minute: the machine may be busy) for its port.
    static func start(
        _ name: String, arguments: [String], environment: [String: String], log: URL, store: EventStore
    ) async throws(SlipwayError) -> DemoStandIn {
        try? FileManager.default.removeItem(at: log)
        let pid = try DetachedProcess.spawn(arguments, environment: environment, logPath: log.path)
        let identity = ProcessIdentity(host: ProcessIdentity.hostName, pid: pid, startTime: ProcessIdentity.startTime(of: pid) ?? "")
        // Recorded before it answers: whatever happens next, `agent stop` finds it.
        try store.save(ProcessRecord(role: ProcessRecord.standInRole(name), identity: identity, socket: ""))
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("port ") }), let port = Int(line.dropFirst(5)) {
                try store.save(ProcessRecord(role: ProcessRecord.standInRole(name), identity: identity, socket: "http://127.0.0.1:\(port)"))
                return DemoStandIn(name: name, pid: pid, port: port)
            }
            guard DetachedProcess.isRunning(pid) else { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        _ = try? await BlockingWork.run { DetachedProcess.stop(pid: pid, grace: 2) }
        try? store.deleteProcess(role: ProcessRecord.standInRole(name))
        let said = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3).joined(separator: " | ")
        throw .failure("\(name) did not start (\(log.path)): \(said.isEmpty ? "no output" : said)")
    }
}
