import Foundation

/// Who and where a run executes: enough to tell later whether that process is still alive.
public struct ProcessIdentity: Sendable, Equatable {
    public var host: String
    public var pid: Int32
    /// The kernel's start time of `pid` (clock ticks since boot), which tells a reused pid apart.
    public var startTime: String

    public init(host: String, pid: Int32, startTime: String) {
        self.host = host
        self.pid = pid
        self.startTime = startTime
    }

    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(host: hostName, pid: pid, startTime: startTime(of: pid) ?? "")
    }

    /// The name this process's host goes by in the store: `SLIPWAY_HOST` when set (several
    /// hosts of one fleet may share a machine's name, as network namespaces on one machine do),
    /// else the machine's. A process's children inherit it, so a slot's process names the same host.
    public static let hostName: String = {
        if let named = ProcessInfo.processInfo.environment[hostVariable], !named.isEmpty { return named }
        return ProcessInfo.processInfo.hostName
    }()

    public static let hostVariable = "SLIPWAY_HOST"

    /// Field 22 of `/proc/PID/stat`, read after the command name (which may hold spaces).
    public static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")" come fields 3...; field 22 is at offset 19.
        guard fields.count > 19 else { return nil }
        return String(fields[19])
    }

    /// How long a process on another host counts as alive after its last heartbeat: the lease of
    /// what it holds (a run, its deploy lock).
    public static let heartbeatLease: TimeInterval = 15

    /// Whether the process is still running, as far as this machine can tell: for a process on
    /// this host, by pid and start time; for one elsewhere, by a heartbeat newer than `staleAfter`.
    public func isAlive(lastHeartbeat: Date, now: Date = Date(), staleAfter: TimeInterval = heartbeatLease) -> Bool {
        if host == Self.hostName {
            // A zombie (an agent this process started and nobody reaped yet) is gone too.
            guard DetachedProcess.isRunning(pid), let current = Self.startTime(of: pid) else { return false }
            return startTime.isEmpty || current == startTime
        }
        return now.timeIntervalSince(lastHeartbeat) < staleAfter
    }
}
