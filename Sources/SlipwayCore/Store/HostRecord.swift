import Foundation
import GRDB

/// A host of the fleet as its agent last said: one agent per host, each with its own router and
/// slots, all sharing one store. The agent records it on start and on every heartbeat, and marks
/// it stopped at `agent stop`; a host whose agent died just stops being seen.
public struct HostRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "hosts"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }
    /// A host not seen for this long is down: the same age that makes a run's executor dead.
    public static let staleAfter: TimeInterval = 15

    /// `ProcessIdentity.hostName` of the agent's host.
    public var host: String
    public var pid: Int32
    public var pidStartTime: String
    /// The agent's Slipway version.
    public var version: String
    public var startedAt: Date
    public var lastSeen: Date
    /// When the agent was stopped; nil while it runs (or after it died without saying so).
    public var stoppedAt: Date?

    public init(
        host: String, pid: Int32, pidStartTime: String, version: String, startedAt: Date, lastSeen: Date, stoppedAt: Date? = nil
    ) {
        self.host = host
        self.pid = pid
        self.pidStartTime = pidStartTime
        self.version = version
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.stoppedAt = stoppedAt
    }

    /// The record of this process, as the agent of this host, started at `now`.
    public static func agent(startedAt now: Date) -> HostRecord {
        let identity = ProcessIdentity.current
        return HostRecord(
            host: identity.host, pid: identity.pid, pidStartTime: identity.startTime, version: SlipwayVersion.current,
            startedAt: now, lastSeen: now)
    }

    enum CodingKeys: String, CodingKey {
        case host, pid, pidStartTime = "pid_start_time", version, startedAt = "started_at", lastSeen = "last_seen"
        case stoppedAt = "stopped_at"
    }

    /// Whether the host's agent is up at `now`: not stopped, and seen within `staleAfter`.
    public func isUp(at now: Date) -> Bool {
        stoppedAt == nil && now.timeIntervalSince(lastSeen) < Self.staleAfter
    }

    /// The record seen again at `now`.
    public func seen(at now: Date) -> HostRecord {
        var seen = self
        seen.lastSeen = now
        return seen
    }

    /// The record of the agent stopped at `now`.
    public func stopped(at now: Date) -> HostRecord {
        var stopped = seen(at: now)
        stopped.stoppedAt = now
        return stopped
    }
}
