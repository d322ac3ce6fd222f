import Foundation

/// The agent's answer to one ``AgentRequest``: a JSON object on one line, keyed by the kind of answer.
///
///     {"pong":{"pid":4242,"socket":"/run/user/1000/slipway/agent-x.sock"}}
///     {"done":{}}
///     {"route":{"port":8080}}
///     {"slot_started":{"port":41234,"pid":4300}}
///     {"status":{"status":{"ok":true,"pid":4242,"socket":"...","slots":[...],"routes":[...]}}}
///     {"stopping":{}}
///     {"handed_over":{"records":{"routes":[...],"slots":[...],"router":{...}}}}
///     {"refused":{"reason":"no running green slot of web in staging to switch to"}}
public enum AgentResponse: Codable, Sendable, Equatable {
    /// The agent's pid and socket: the answer to `ping`.
    case pong(pid: Int32, socket: String)
    /// The operation is done (or, for `execute`, taken on).
    case done
    /// The port a route listens on.
    case route(port: Int)
    case slotStarted(port: Int, pid: Int32)
    /// The answer to `status` and `metrics`.
    case status(Status)
    /// The answer to `stop`: the agent exits after sending it.
    case stopping
    /// The answer to `hand_over`: the agent exits after sending it.
    case handedOver(records: AgentRecords)
    /// The operation failed or the request made no sense; the reason is one line for a person.
    case refused(reason: String)

    enum CodingKeys: String, CodingKey {
        case pong, done, route, slotStarted = "slot_started", status, stopping, handedOver = "handed_over", refused
    }

    enum PongCodingKeys: CodingKey { case pid, socket }
    enum RouteCodingKeys: CodingKey { case port }
    enum SlotStartedCodingKeys: CodingKey { case port, pid }
    enum StatusCodingKeys: String, CodingKey { case _0 = "status" }
    enum HandedOverCodingKeys: CodingKey { case records }
    enum RefusedCodingKeys: CodingKey { case reason }

    /// The agent, its slots and routes, as `agent status --json` prints them (with `"ok": true`,
    /// as that output always had).
    public struct Status: Codable, Sendable, Equatable {
        public var pid: Int32
        public var socket: String
        public var routerPID: Int32?
        public var slots: [Slot]
        public var routes: [Route]
        /// Where the agent serves `/metrics` in the Prometheus text format.
        public var metricsURL: String?
        /// The file (mode 0600) holding the bearer token `/metrics` asks for.
        public var metricsTokenFile: String?
        /// Why the agent no longer writes to its store (its file was removed or replaced).
        public var storeProblem: String?

        public init(
            pid: Int32, socket: String, routerPID: Int32?, slots: [Slot], routes: [Route], metricsURL: String? = nil,
            metricsTokenFile: String? = nil, storeProblem: String? = nil
        ) {
            self.pid = pid
            self.socket = socket
            self.routerPID = routerPID
            self.slots = slots
            self.routes = routes
            self.metricsURL = metricsURL
            self.metricsTokenFile = metricsTokenFile
            self.storeProblem = storeProblem
        }

        enum CodingKeys: String, CodingKey {
            case ok, pid, socket, routerPID = "router_pid", slots, routes
            case metricsURL = "metrics_url", metricsTokenFile = "metrics_token_file", storeProblem = "store_problem"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            pid = try container.decode(Int32.self, forKey: .pid)
            socket = try container.decode(String.self, forKey: .socket)
            routerPID = try container.decodeIfPresent(Int32.self, forKey: .routerPID)
            slots = try container.decode([Slot].self, forKey: .slots)
            routes = try container.decode([Route].self, forKey: .routes)
            metricsURL = try container.decodeIfPresent(String.self, forKey: .metricsURL)
            metricsTokenFile = try container.decodeIfPresent(String.self, forKey: .metricsTokenFile)
            storeProblem = try container.decodeIfPresent(String.self, forKey: .storeProblem)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(true, forKey: .ok)
            try container.encode(pid, forKey: .pid)
            try container.encode(socket, forKey: .socket)
            try container.encodeIfPresent(routerPID, forKey: .routerPID)
            try container.encode(slots, forKey: .slots)
            try container.encode(routes, forKey: .routes)
            try container.encodeIfPresent(metricsURL, forKey: .metricsURL)
            try container.encodeIfPresent(metricsTokenFile, forKey: .metricsTokenFile)
            try container.encodeIfPresent(storeProblem, forKey: .storeProblem)
        }
    }

    public struct Slot: Codable, Sendable, Equatable {
        public var component: String
        public var environment: String
        public var color: String
        public var version: String
        public var port: Int
        public var pid: Int32
        public var state: SlotState
        public var restarts: Int
        public var logPath: String
        /// When this colour, which has lost its traffic, is stopped.
        public var warmUntil: Date?

        public init(
            component: String, environment: String, color: String, version: String, port: Int, pid: Int32,
            state: SlotState, restarts: Int, logPath: String, warmUntil: Date? = nil
        ) {
            self.component = component
            self.environment = environment
            self.color = color
            self.version = version
            self.port = port
            self.pid = pid
            self.state = state
            self.restarts = restarts
            self.logPath = logPath
            self.warmUntil = warmUntil
        }

        enum CodingKeys: String, CodingKey {
            case component, environment, color, version, port, pid, state, restarts, logPath = "log_path"
            case warmUntil = "warm_until"
        }
    }

    public struct Route: Codable, Sendable, Equatable {
        public var component: String
        public var environment: String
        public var url: String
        public var liveColor: String?
        public var weights: [String: Int]
        public var counts: [String: ColorCounts]?

        public init(
            component: String, environment: String, url: String, liveColor: String?, weights: [String: Int],
            counts: [String: ColorCounts]?
        ) {
            self.component = component
            self.environment = environment
            self.url = url
            self.liveColor = liveColor
            self.weights = weights
            self.counts = counts
        }

        enum CodingKeys: String, CodingKey {
            case component, environment, url, liveColor = "live_color", weights, counts
        }
    }

    /// What the router counted for one colour since it started.
    public struct ColorCounts: Codable, Sendable, Equatable {
        public var requests: Int
        public var errors5xx: Int
        public var connectionErrors: Int
        public var p95Milliseconds: Double?
        /// Requests answered 5xx or whose connection failed, each once; nil from an older agent.
        public var failures: Int?
        /// The latency histogram as `[microseconds, count]` buckets, only in answers to `metrics`.
        public var latencyBuckets: [[UInt64]]?

        public init(
            requests: Int, errors5xx: Int, connectionErrors: Int, p95Milliseconds: Double?, failures: Int? = nil,
            latencyBuckets: [[UInt64]]? = nil
        ) {
            self.requests = requests
            self.errors5xx = errors5xx
            self.connectionErrors = connectionErrors
            self.p95Milliseconds = p95Milliseconds
            self.failures = failures
            self.latencyBuckets = latencyBuckets
        }

        enum CodingKeys: String, CodingKey {
            case requests, errors5xx = "errors_5xx", connectionErrors = "connection_errors", p95Milliseconds = "p95_ms"
            case failures, latencyBuckets = "latency_buckets"
        }
    }
}
