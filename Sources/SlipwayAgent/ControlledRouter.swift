import Dispatch
import SlipwayCore
import SlipwayRouter

/// The router process, driven through its control socket. The agent works on one serial queue,
/// so each call waits for the router's answer.
struct ControlledRouter: RouterLink {
    let client: RouterControlClient

    init(socketPath: String) {
        client = RouterControlClient(socketPath: socketPath, timeout: .seconds(10))
    }

    /// Runs an async router call to its end from the agent's queue.
    private func wait<Value: Sendable>(_ call: @escaping @Sendable () async throws -> Value) throws -> Value {
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox<Value>()
        Task {
            do {
                box.result = .success(try await call())
            } catch {
                box.result = .failure(error)
            }
            semaphore.signal()
        }
        semaphore.wait()
        return try box.result!.get()
    }

    func ping() -> Bool {
        (try? wait { try await client.ping() }) != nil
    }

    func ensureRoute(_ name: String, host: String, port: Int) throws -> Int {
        let client = self.client
        return try wait {
            if let existing = try await client.routes().first(where: { $0.name == name }) { return existing.port }
            return try await client.addRoute(name: name, host: host, port: port)
        }
    }

    func removeRoute(_ name: String) throws {
        let client = self.client
        try wait { try await client.removeRoute(name) }
    }

    func setUpstream(_ name: String, color: String, port: Int?) throws {
        guard let slotColor = SlipwayRouter.SlotColor(rawValue: color) else { throw SlipwayError.usage("unknown colour \(color)") }
        let client = self.client
        try wait {
            if let port {
                try await client.setUpstream(route: name, color: slotColor, host: "127.0.0.1", port: port)
            } else {
                try await client.clearUpstream(route: name, color: slotColor)
            }
        }
    }

    func setWeights(_ name: String, green: Int) throws {
        let client = self.client
        try wait { try await client.setWeights(route: name, TrafficWeights(green: green)) }
    }

    func counts(_ name: String) throws -> [String: AgentResponse.ColorCounts] {
        let client = self.client
        let metrics = try wait { try await client.metrics(route: name) }
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

    func inFlight(_ name: String, color: String) throws -> Int {
        guard let slotColor = SlipwayRouter.SlotColor(rawValue: color) else { throw SlipwayError.usage("unknown colour \(color)") }
        let client = self.client
        let route = try wait { try await client.routes().first { $0.name == name } }
        return route?.inFlight(for: slotColor) ?? 0
    }

    func shutdown() {
        let client = self.client
        _ = try? wait { try await client.shutdown() }
    }
}

/// Carries a result out of the task that produced it; written once before the semaphore signals.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}
