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
        /// The store's slots as the agent sees them: `crashed` when the process is gone, and
        /// `retireAt` only while the colour runs. The answer carries the fields of ``SlotCodingKeys``;
        /// a slot read from it has no host, directory, command or variables, and `startedAt` is
        /// `distantPast`.
        public var slots: [SlotRecord]
        public var routes: [Route]
        /// Where the agent serves `/metrics` in the Prometheus text format.
        public var metricsURL: String?
        /// The file (mode 0600) holding the bearer token `/metrics` asks for.
        public var metricsTokenFile: String?
        /// Why the agent no longer writes to its store (its file was removed or replaced).
        public var storeProblem: String?

        public init(
            pid: Int32, socket: String, routerPID: Int32?, slots: [SlotRecord], routes: [Route], metricsURL: String? = nil,
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

        /// The keys of one slot, as `agent status --json` has always printed them.
        enum SlotCodingKeys: String, CodingKey {
            case component, environment, color, version, port, pid, state, restarts, logPath = "log_path"
            case warmUntil = "warm_until"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            pid = try container.decode(Int32.self, forKey: .pid)
            socket = try container.decode(String.self, forKey: .socket)
            routerPID = try container.decodeIfPresent(Int32.self, forKey: .routerPID)
            var slotList = try container.nestedUnkeyedContainer(forKey: .slots)
            slots = []
            while !slotList.isAtEnd {
                let slot = try slotList.nestedContainer(keyedBy: SlotCodingKeys.self)
                slots.append(SlotRecord(
                    component: try slot.decode(String.self, forKey: .component),
                    environment: try slot.decode(String.self, forKey: .environment),
                    color: try slot.decode(String.self, forKey: .color), version: try slot.decode(String.self, forKey: .version),
                    port: try slot.decode(Int.self, forKey: .port), pid: try slot.decode(Int32.self, forKey: .pid),
                    pidStartTime: "", host: "", directory: "", command: "[]", variables: "{}",
                    logPath: try slot.decode(String.self, forKey: .logPath), state: try slot.decode(SlotState.self, forKey: .state),
                    restarts: try slot.decode(Int.self, forKey: .restarts), startedAt: .distantPast,
                    retireAt: try slot.decodeIfPresent(Date.self, forKey: .warmUntil)))
            }
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
            var slotList = container.nestedUnkeyedContainer(forKey: .slots)
            for record in slots {
                var slot = slotList.nestedContainer(keyedBy: SlotCodingKeys.self)
                try slot.encode(record.component, forKey: .component)
                try slot.encode(record.environment, forKey: .environment)
                try slot.encode(record.color, forKey: .color)
                try slot.encode(record.version, forKey: .version)
                try slot.encode(record.port, forKey: .port)
                try slot.encode(record.pid, forKey: .pid)
                try slot.encode(record.state, forKey: .state)
                try slot.encode(record.restarts, forKey: .restarts)
                try slot.encode(record.logPath, forKey: .logPath)
                try slot.encodeIfPresent(record.retireAt, forKey: .warmUntil)
            }
            try container.encode(routes, forKey: .routes)
            try container.encodeIfPresent(metricsURL, forKey: .metricsURL)
            try container.encodeIfPresent(metricsTokenFile, forKey: .metricsTokenFile)
            try container.encodeIfPresent(storeProblem, forKey: .storeProblem)
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
