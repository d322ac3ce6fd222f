import Foundation

/// One request to the agent, as a line of JSON on its socket.
public struct AgentRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable {
        case ping, status, stop
        /// Start (or restart) a release in one colour's slot; answers its port.
        case startSlot = "start_slot"
        case stopSlot = "stop_slot"
        /// Make sure the component's router listener exists; answers its port.
        case ensureRoute = "ensure_route"
        /// Send traffic to `color` (or split it by `green_weight`).
        case switchTraffic = "switch"
        case metrics
        /// Execute the recorded run request `request_id`, with `variables` as the requester's
        /// environment (secrets included: they live only in the agent's memory for that run).
        case execute
        /// Answer every route, slot and router record the agent holds, then exit leaving the slots
        /// and the router running: what `store rebuild --from-agent` writes into a new store.
        case handOver = "hand_over"
    }

    public var operation: Operation
    public var component: String?
    public var environment: String?
    public var color: String?
    public var version: String?
    /// The command that runs the release, as arguments (never through a shell of Slipway's).
    public var command: [String]?
    public var directory: String?
    public var variables: [String: String]?
    public var port: Int?
    public var greenWeight: Int?
    /// Seconds the colour that loses its traffic in a switch keeps running.
    public var keepWarm: Double?
    /// The address a new route listens on.
    public var host: String?
    /// The recorded request to execute.
    public var requestID: String?

    public init(
        _ operation: Operation, component: String? = nil, environment: String? = nil, color: String? = nil,
        version: String? = nil, command: [String]? = nil, directory: String? = nil, variables: [String: String]? = nil,
        port: Int? = nil, greenWeight: Int? = nil, keepWarm: Double? = nil, host: String? = nil, requestID: String? = nil
    ) {
        self.operation = operation
        self.component = component
        self.environment = environment
        self.color = color
        self.version = version
        self.command = command
        self.directory = directory
        self.variables = variables
        self.port = port
        self.greenWeight = greenWeight
        self.keepWarm = keepWarm
        self.host = host
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case operation = "op", component, environment, color, version, command, directory, variables, port
        case greenWeight = "green_weight", keepWarm = "keep_warm", host, requestID = "request_id"
    }
}

/// The agent's answer.
public struct AgentResponse: Codable, Sendable, Equatable {
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

    public var ok: Bool
    public var error: String?
    public var pid: Int32?
    public var socket: String?
    public var port: Int?
    public var slots: [Slot]?
    public var routes: [Route]?
    public var routerPID: Int32?
    /// Where the agent serves `/metrics` in the Prometheus text format.
    public var metricsURL: String?
    /// The file (mode 0600) holding the bearer token `/metrics` asks for.
    public var metricsTokenFile: String?
    /// Why the agent no longer writes to its store (its file was removed or replaced).
    public var storeProblem: String?
    /// The records a `hand_over` answers.
    public var records: AgentRecords?

    public init(ok: Bool, error: String? = nil) {
        self.ok = ok
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case ok, error, pid, socket, port, slots, routes, routerPID = "router_pid"
        case metricsURL = "metrics_url", metricsTokenFile = "metrics_token_file", storeProblem = "store_problem", records
    }
}
