/// One request of the control protocol: a JSON object on one line, named by its `command` field.
///
///     {"command":"ping"}
///     {"command":"add_route","route":"web","host":"127.0.0.1","port":0}
///     {"command":"add_route","route":"web","client_header_timeout":10,"client_idle_timeout":30,
///      "client_body_timeout":10,"maximum_client_connections":500}
///     {"command":"remove_route","route":"web"}
///     {"command":"set_upstream","route":"web","color":"green","host":"127.0.0.1","port":9002}
///     {"command":"clear_upstream","route":"web","color":"green"}
///     {"command":"set_weights","route":"web","green_percent":20}
///     {"command":"metrics","route":"web"}
///     {"command":"routes"}
///     {"command":"shutdown"}
///
/// `host` defaults to 127.0.0.1 and `port` to 0 (a free port) in `add_route`. Its client timeouts
/// (seconds, fractions allowed) and connection cap are each optional, the router's when left out
/// (see ``RouteLimits``).
public enum RouterControlRequest: Sendable, Equatable {
    case ping
    case addRoute(name: String, host: String, port: Int, limits: RouteLimits = RouteLimits())
    case removeRoute(name: String)
    case setUpstream(route: String, color: SlotColor, host: String, port: Int)
    case clearUpstream(route: String, color: SlotColor)
    case setWeights(route: String, weights: TrafficWeights)
    case metrics(route: String)
    case routes
    case shutdown
}

extension RouterControlRequest: Codable {
    private enum CodingKeys: String, CodingKey {
        case command, route, color, host, port
        case greenPercent = "green_percent"
        case clientHeaderTimeout = "client_header_timeout"
        case clientIdleTimeout = "client_idle_timeout"
        case clientBodyTimeout = "client_body_timeout"
        case maximumClientConnections = "maximum_client_connections"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let command = try container.decode(String.self, forKey: .command)
        switch command {
        case "ping":
            self = .ping
        case "add_route":
            self = .addRoute(
                name: try container.decode(String.self, forKey: .route),
                host: try container.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1",
                port: try container.decodeIfPresent(Int.self, forKey: .port) ?? 0,
                limits: try Self.decodeLimits(from: container))
        case "remove_route":
            self = .removeRoute(name: try container.decode(String.self, forKey: .route))
        case "set_upstream":
            self = .setUpstream(
                route: try container.decode(String.self, forKey: .route),
                color: try container.decode(SlotColor.self, forKey: .color),
                host: try container.decode(String.self, forKey: .host),
                port: try container.decode(Int.self, forKey: .port))
        case "clear_upstream":
            self = .clearUpstream(
                route: try container.decode(String.self, forKey: .route),
                color: try container.decode(SlotColor.self, forKey: .color))
        case "set_weights":
            let percent = try container.decode(Int.self, forKey: .greenPercent)
            // Clamping a typo such as 200 would silently send everything to green.
            guard (0...100).contains(percent) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .greenPercent, in: container, debugDescription: "green_percent must be 0...100, got \(percent)")
            }
            self = .setWeights(route: try container.decode(String.self, forKey: .route), weights: TrafficWeights(green: percent))
        case "metrics":
            self = .metrics(route: try container.decode(String.self, forKey: .route))
        case "routes":
            self = .routes
        case "shutdown":
            self = .shutdown
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: container, debugDescription: "unknown command \"\(command)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ping:
            try container.encode("ping", forKey: .command)
        case .addRoute(let name, let host, let port, let limits):
            try container.encode("add_route", forKey: .command)
            try container.encode(name, forKey: .route)
            try container.encode(host, forKey: .host)
            try container.encode(port, forKey: .port)
            try container.encodeIfPresent(limits.clientHeaderTimeout.map(\.inSeconds), forKey: .clientHeaderTimeout)
            try container.encodeIfPresent(limits.clientIdleTimeout.map(\.inSeconds), forKey: .clientIdleTimeout)
            try container.encodeIfPresent(limits.clientBodyTimeout.map(\.inSeconds), forKey: .clientBodyTimeout)
            try container.encodeIfPresent(limits.maximumClientConnections, forKey: .maximumClientConnections)
        case .removeRoute(let name):
            try container.encode("remove_route", forKey: .command)
            try container.encode(name, forKey: .route)
        case .setUpstream(let route, let color, let host, let port):
            try container.encode("set_upstream", forKey: .command)
            try container.encode(route, forKey: .route)
            try container.encode(color, forKey: .color)
            try container.encode(host, forKey: .host)
            try container.encode(port, forKey: .port)
        case .clearUpstream(let route, let color):
            try container.encode("clear_upstream", forKey: .command)
            try container.encode(route, forKey: .route)
            try container.encode(color, forKey: .color)
        case .setWeights(let route, let weights):
            try container.encode("set_weights", forKey: .command)
            try container.encode(route, forKey: .route)
            try container.encode(weights.green, forKey: .greenPercent)
        case .metrics(let route):
            try container.encode("metrics", forKey: .command)
            try container.encode(route, forKey: .route)
        case .routes:
            try container.encode("routes", forKey: .command)
        case .shutdown:
            try container.encode("shutdown", forKey: .command)
        }
    }
}

extension RouterControlRequest {
    private static func decodeLimits(from container: KeyedDecodingContainer<CodingKeys>) throws -> RouteLimits {
        RouteLimits(
            clientHeaderTimeout: try decodeTimeout(.clientHeaderTimeout, from: container),
            clientIdleTimeout: try decodeTimeout(.clientIdleTimeout, from: container),
            clientBodyTimeout: try decodeTimeout(.clientBodyTimeout, from: container),
            maximumClientConnections: try decodeMaximum(.maximumClientConnections, from: container))
    }

    /// A timeout in seconds; zero or less would close every connection at once.
    private static func decodeTimeout(
        _ key: CodingKeys, from container: KeyedDecodingContainer<CodingKeys>
    ) throws -> Duration? {
        guard let seconds = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "must be seconds between 0 and 86400, got \(seconds)")
        }
        return .seconds(seconds)
    }

    private static func decodeMaximum(_ key: CodingKeys, from container: KeyedDecodingContainer<CodingKeys>) throws -> Int? {
        guard let maximum = try container.decodeIfPresent(Int.self, forKey: key) else { return nil }
        guard maximum >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "must be at least 1, got \(maximum)")
        }
        return maximum
    }
}

extension Duration {
    /// In seconds, as the control protocol writes durations.
    fileprivate var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
