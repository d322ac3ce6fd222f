import Foundation

/// The workspace's processes that outlive the command that started them: the agent, the router
/// and the running slots, each in a session of its own with whatever it started.
public struct BackgroundProcesses: Equatable, Sendable {
    public var agent: Bool
    public var router: Bool
    public var slots: Int
    /// The platform stand-ins of the cloud demo (moto, the Cloudflare stand-in) that run.
    public var standIns: [String]
    /// Every process in those sessions (a slot runs its release as a child, which may start more).
    public var processes: Int

    public init(agent: Bool, router: Bool, slots: Int, standIns: [String] = [], processes: Int) {
        self.agent = agent
        self.router = router
        self.slots = slots
        self.standIns = standIns
        self.processes = processes
    }

    /// What `store` records as running on this host and is alive.
    public static func running(in store: EventStore) throws(SlipwayError) -> BackgroundProcesses {
        let agent = try store.process(role: "agent").flatMap { $0.identity.isAlive(lastHeartbeat: .distantPast) ? $0 : nil }
        let router = try store.process(role: "router").flatMap { $0.identity.isAlive(lastHeartbeat: .distantPast) ? $0 : nil }
        let slots = try store.slots(on: .thisHost).filter { $0.state == .running && DetachedProcess.isRunning($0.pid) }
        let standIns = try store.processes(on: .thisHost).filter { $0.isStandIn && $0.identity.isAlive(lastHeartbeat: .distantPast) }
        let leaders = Set([agent?.pid, router?.pid].compactMap(\.self) + slots.map(\.pid) + standIns.map(\.pid))
        return BackgroundProcesses(
            agent: agent != nil, router: router != nil, slots: slots.count, standIns: standIns.compactMap(\.standInName),
            processes: sessionMembers(of: leaders))
    }

    /// What a command that is done says about them, and how to stop them; nil when none runs.
    public func farewell(stopCommand: String) -> String? {
        guard processes > 0 else { return nil }
        let parts = (agent ? ["the agent"] : []) + (router ? ["the router"] : [])
            + (slots > 0 ? ["\(slots) slot\(slots == 1 ? "" : "s")"] : [])
            + (standIns.isEmpty ? [] : ["the platform stand-in\(standIns.count == 1 ? "" : "s") (\(standIns.joined(separator: ", ")))"])
        let named = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "") : parts.joined()
        let count = processes == 1 ? "1 process keeps" : "\(processes) processes keep"
        return "\(count) running in the background (\(named)): stop them with '\(stopCommand)'"
    }

    /// How many live processes belong to the sessions `leaders` lead (each was started with `setsid`).
    private static func sessionMembers(of leaders: Set<Int32>) -> Int {
        guard !leaders.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        return names.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            // After the command's name: state, parent, group, session.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, fields[0] != "Z", let session = Int32(fields[3]) else { return false }
            return leaders.contains(session)
        }.count
    }
}
