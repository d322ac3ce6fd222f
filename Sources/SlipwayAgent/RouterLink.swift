import SlipwayCore

/// What the agent needs from the router process: routes by name (`component/environment`),
/// one upstream port per colour, the split between colours, and the counters.
protocol RouterLink: Sendable {
    func ping() async -> Bool
    /// Makes sure the route listens on `host:port` (0 = any free port); returns the bound port.
    func ensureRoute(_ name: String, host: String, port: Int) async throws -> Int
    /// Removes the route; requests in flight finish within the drain timeout.
    func removeRoute(_ name: String) async throws
    func setUpstream(_ name: String, color: SlotColor, port: Int?) async throws
    func setWeights(_ name: String, green: Int) async throws
    func counts(_ name: String) async throws -> [String: AgentResponse.ColorCounts]
    /// Requests of `color` the router is still waiting on an answer for.
    func inFlight(_ name: String, color: SlotColor) async throws -> Int
    func shutdown() async
}
