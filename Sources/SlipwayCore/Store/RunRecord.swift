import Synchronization
import Foundation
import GRDB

/// A deploy, rollback, test or health-check run: its identity, its process and its heartbeat.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "runs"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var id: String
    public var kind: RunKind
    public var component: String?
    public var environment: String?
    public var version: String?
    public var state: RunState
    public var actor: String
    public var origin: String
    public var host: String
    public var pid: Int32
    public var pidStartTime: String
    public var startedAt: Date
    public var heartbeatAt: Date
    public var finishedAt: Date?
    public var cancelRequested: Bool
    public var reason: String?

    public init(
        id: String, kind: RunKind, component: String?, environment: String?, version: String?, state: RunState,
        actor: String, origin: String, host: String, pid: Int32, pidStartTime: String, startedAt: Date,
        heartbeatAt: Date, finishedAt: Date? = nil, cancelRequested: Bool = false, reason: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.component = component
        self.environment = environment
        self.version = version
        self.state = state
        self.actor = actor
        self.origin = origin
        self.host = host
        self.pid = pid
        self.pidStartTime = pidStartTime
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.finishedAt = finishedAt
        self.cancelRequested = cancelRequested
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, component, environment, version, state, actor, origin, host, pid
        case pidStartTime = "pid_start_time", startedAt = "started_at", heartbeatAt = "heartbeat_at"
        case finishedAt = "finished_at", cancelRequested = "cancel_requested", reason
    }

    public var process: ProcessIdentity { ProcessIdentity(host: host, pid: pid, startTime: pidStartTime) }

    /// Why the reaper ends it, as its host's process died or its host went quiet.
    var interruptionReason: String {
        host == ProcessIdentity.hostName
            ? "the process running it (pid \(pid) on \(host)) is gone"
            : "its host \(host) stopped answering (no heartbeat for \(Int(ProcessIdentity.heartbeatLease)) s)"
    }

    /// A short, unique, sortable id such as `r20261129093012-3fa9`.
    private static let nextSuffix = Atomic<UInt16>(UInt16.random(in: 0...UInt16.max))

    public static func newID(now: Date = Date()) -> String {
        // A pipeline starts dozens of runs a second from one process: a counter from a random
        // start keeps those apart (random suffixes alone collided once in CI).
        let suffix = String(nextSuffix.wrappingAdd(1, ordering: .relaxed).oldValue, radix: 16)
        return "r\(CivilTime(roundingAsFormatters: now).text(.compact))-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }
}

/// The deploy lock of one component in one environment.
public struct DeployLock: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "locks"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var component: String
    public var environment: String
    public var runID: String
    public var actor: String
    public var acquiredAt: Date

    enum CodingKeys: String, CodingKey {
        case component, environment, runID = "run_id", actor, acquiredAt = "acquired_at"
    }
}

/// A released version of a component in an environment: `<component>/<env>/<version>`.
public struct ReleaseTag: Sendable, Equatable, Codable {
    public var component: String
    public var environment: String
    public var version: String
    public var commit: String?
    public var actor: String
    public var time: Date
    public var runID: String?
    /// The highest migration version in the release's commit (nil: no migrations, or not recorded).
    public var schema: String? = nil

    public var name: String { "\(component)/\(environment)/\(version)" }
}

/// One line of a run's output, secrets already masked.
public struct OutputLine: Sendable, Equatable, Codable {
    public var sequence: Int
    public var time: Date
    public var text: String
}

extension RunRecord {
    /// The run as it stood at `moment`, which is after its start: one that finished later was still running.
    func asItStood(at moment: Date) -> RunRecord {
        guard let finished = finishedAt, finished > moment else { return self }
        var then = self
        then.state = .running
        then.finishedAt = nil
        then.reason = nil
        return then
    }
}
