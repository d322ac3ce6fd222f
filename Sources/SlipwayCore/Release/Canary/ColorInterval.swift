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
