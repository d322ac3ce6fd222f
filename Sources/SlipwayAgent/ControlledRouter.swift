import SlipwayCore
import SlipwayRouter

/// The router process, driven through its control socket.
struct ControlledRouter: RouterLink {
    let client: RouterControlClient

    init(socketPath: String) {
        client = RouterControlClient(socketPath: socketPath, timeout: .seconds(10))
    }

    func ping() async -> Bool {
        (try? await client.ping()) != nil
    }

    func ensureRoute(_ name: String, host: String, port: Int) async throws -> Int {
        if let existing = try await client.routes().first(where: { $0.name == name }) { return existing.port }
        return try await client.addRoute(name: name, host: host, port: port)
    }

    func removeRoute(_ name: String) async throws {
        try await client.removeRoute(name)
    }

    func setUpstream(_ name: String, color: SlipwayCore.SlotColor, port: Int?) async throws {
        if let port {
            try await client.setUpstream(route: name, color: Self.routerColor(color), host: "127.0.0.1", port: port)
        } else {
            try await client.clearUpstream(route: name, color: Self.routerColor(color))
        }
    }

    func setWeights(_ name: String, green: Int) async throws {
        try await client.setWeights(route: name, TrafficWeights(green: green))
    }

    func counts(_ name: String) async throws -> [String: AgentResponse.ColorCounts] {
        let metrics = try await client.metrics(route: name)
        var counts: [String: AgentResponse.ColorCounts] = [:]
        for color in [SlipwayRouter.SlotColor.blue, .green] {
            let colorMetrics = metrics[color]
            let summary = colorMetrics.latencySummary
            counts[color.rawValue] = AgentResponse.ColorCounts(
                requests: Int(colorMetrics.requests), errors5xx: Int(colorMetrics.serverErrors),
                connectionErrors: Int(colorMetrics.connectionErrors),
                p95Milliseconds: summary.count == 0 ? nil : Double(summary.p95) / 1000,
                failures: Int(colorMetrics.failedRequests),
                latencyBuckets: colorMetrics.latency.recordedValues().map { [$0.value, $0.count] })
        }
        return counts
    }

    func inFlight(_ name: String, color: SlipwayCore.SlotColor) async throws -> Int {
        let route = try await client.routes().first { $0.name == name }
        return route?.inFlight(for: Self.routerColor(color)) ?? 0
    }

    func shutdown() async {
        _ = try? await client.shutdown()
    }

    /// The router has its own colour type, as it knows nothing of the engine.
    private static func routerColor(_ color: SlipwayCore.SlotColor) -> SlipwayRouter.SlotColor {
        color == .blue ? .blue : .green
    }
}
