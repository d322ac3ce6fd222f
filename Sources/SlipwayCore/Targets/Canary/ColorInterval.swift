/// What the router counted for one colour within one analysis interval.
public struct ColorInterval: Sendable, Equatable, Codable {
    public var requests: Int
    /// Requests answered 5xx or whose upstream connection failed, each counted once.
    public var failures: Int
    /// p95 latency in milliseconds, nil when there were no requests.
    public var p95Milliseconds: Double?

    public init(requests: Int, failures: Int, p95Milliseconds: Double?) {
        self.requests = requests
        self.failures = failures
        self.p95Milliseconds = p95Milliseconds
    }

    /// Failed requests in percent, nil without requests.
    public var errorRate: Double? {
        requests == 0 ? nil : Double(failures) * 100 / Double(requests)
    }

    enum CodingKeys: String, CodingKey {
        case requests, failures, p95Milliseconds = "p95_ms"
    }
}

extension ColorInterval {
    /// What one colour did between two of the router's cumulative snapshots. A snapshot older
    /// than `earlier` (the router restarted) counts whole.
    public init(from earlier: AgentResponse.ColorCounts?, to later: AgentResponse.ColorCounts) {
        let restarted = earlier.map { $0.requests > later.requests } ?? true
        let base = restarted ? nil : earlier
        let failures = (later.failures ?? later.errors5xx) - (base.map { $0.failures ?? $0.errors5xx } ?? 0)
        let buckets = LatencyBuckets(later.latencyBuckets ?? [])
            .since(LatencyBuckets(base?.latencyBuckets ?? []))
        self.init(
            requests: later.requests - (base?.requests ?? 0), failures: max(0, failures),
            p95Milliseconds: buckets.value(atPercentile: 95).map { Double($0) / 1000 })
    }
}
