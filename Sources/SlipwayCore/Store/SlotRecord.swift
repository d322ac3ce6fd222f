import Foundation
import GRDB

/// A release running (or meant to run) in one colour's slot of a component in an environment.
public struct SlotRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "slots"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var component: String
    public var environment: String
    public var color: String
    public var version: String
    public var port: Int
    /// The slot's own process (which runs the release as its child and writes its log).
    public var pid: Int32
    public var pidStartTime: String
    public var host: String
    public var directory: String
    /// JSON array of the command's arguments.
    public var command: String
    /// JSON object of the variables the release is started with.
    public var variables: String
    public var logPath: String
    /// `running` (supervised and restarted when it dies) or `stopped`.
    public var state: SlotState
    public var restarts: Int
    public var startedAt: Date
    /// When a colour that lost its traffic is stopped (after `keep_warm`); nil while it serves.
    public var retireAt: Date?

    public init(
        component: String, environment: String, color: String, version: String, port: Int, pid: Int32,
        pidStartTime: String, host: String, directory: String, command: String, variables: String, logPath: String,
        state: SlotState, restarts: Int, startedAt: Date, retireAt: Date? = nil
    ) {
        self.component = component
        self.environment = environment
        self.color = color
        self.version = version
        self.port = port
        self.pid = pid
        self.pidStartTime = pidStartTime
        self.host = host
        self.directory = directory
        self.command = command
        self.variables = variables
        self.logPath = logPath
        self.state = state
        self.restarts = restarts
        self.startedAt = startedAt
        self.retireAt = retireAt
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, color, version, port, pid, pidStartTime = "pid_start_time", host, directory
        case command, variables, logPath = "log_path", state, restarts, startedAt = "started_at", retireAt = "retire_at"
    }

    public var process: ProcessIdentity { ProcessIdentity(host: host, pid: pid, startTime: pidStartTime) }
}

/// A component's stable address in one environment on one host, and where its traffic goes.
public struct RouteRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "routes"

    public var component: String
    public var environment: String
    /// The address the route listens on (`127.0.0.1`, `0.0.0.0`).
    public var host: String
    public var port: Int
    public var liveColor: String?
    public var greenWeight: Int
    /// The host whose agent and router keep the route (`ProcessIdentity.hostName`).
    public var hostName: String

    public init(
        component: String, environment: String, host: String, port: Int, liveColor: String?, greenWeight: Int,
        hostName: String = ProcessIdentity.hostName
    ) {
        self.component = component
        self.environment = environment
        self.host = host
        self.port = port
        self.liveColor = liveColor
        self.greenWeight = greenWeight
        self.hostName = hostName
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, host, port, liveColor = "live_color", greenWeight = "green_weight", hostName = "host_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        component = try container.decode(String.self, forKey: .component)
        environment = try container.decode(String.self, forKey: .environment)
        host = try container.decode(String.self, forKey: .host)
        port = try container.decode(Int.self, forKey: .port)
        liveColor = try container.decodeIfPresent(String.self, forKey: .liveColor)
        greenWeight = try container.decode(Int.self, forKey: .greenWeight)
        // An agent of an older Slipway hands its records over without it: they are its own host's.
        hostName = try container.decodeIfPresent(String.self, forKey: .hostName) ?? ProcessIdentity.hostName
    }
}

/// A long-lived process of the workspace (`agent` or `router`), so a restarted agent adopts it.
public struct ProcessRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "processes"

    public var role: String
    public var pid: Int32
    public var pidStartTime: String
    public var host: String
    public var socket: String

    public init(role: String, identity: ProcessIdentity, socket: String) {
        self.role = role
        pid = identity.pid
        pidStartTime = identity.startTime
        host = identity.host
        self.socket = socket
    }

    enum CodingKeys: String, CodingKey {
        case role, pid, pidStartTime = "pid_start_time", host, socket
    }

    public var identity: ProcessIdentity { ProcessIdentity(host: host, pid: pid, startTime: pidStartTime) }

    /// The role of a platform stand-in the cloud demo started (`standin:moto`): it serves the
    /// fleet's cloud components, so the agent stops it with the fleet.
    public static func standInRole(_ name: String) -> String { standInPrefix + name }
    static let standInPrefix = "standin:"
    public var isStandIn: Bool { role.hasPrefix(Self.standInPrefix) }
    /// The stand-in's name (`moto`), nil for the agent and the router.
    public var standInName: String? { isStandIn ? String(role.dropFirst(Self.standInPrefix.count)) : nil }
}
