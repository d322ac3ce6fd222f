/// One colour's (or one version's) part of a cloud component's traffic, as its platform reports
/// it: its share of the split and what it served in the reading's window. A figure the platform
/// does not give is nil, never zero.
public struct PlatformShare: Codable, Sendable, Equatable {
    /// `blue`/`green`, or the version's tag where the platform splits by version (a Worker).
    public var name: String
    /// The Slipway version it serves, when the platform names it.
    public var version: String?
    /// Its share of the traffic in percent.
    public var percent: Double?
    public var requests: Int?
    /// Requests answered 5xx (or failed invocations).
    public var failures: Int?
    public var p95Milliseconds: Double?

    public init(
        name: String, version: String? = nil, percent: Double? = nil, requests: Int? = nil, failures: Int? = nil,
        p95Milliseconds: Double? = nil
    ) {
        self.name = name
        self.version = version
        self.percent = percent
        self.requests = requests
        self.failures = failures
        self.p95Milliseconds = p95Milliseconds
    }

    /// Failed requests in percent, nil without requests.
    public var errorRate: Double? {
        guard let requests, requests > 0 else { return nil }
        return Double(failures ?? 0) * 100 / Double(requests)
    }

    enum CodingKeys: String, CodingKey {
        case name, version, percent, requests, failures, p95Milliseconds = "p95_ms"
    }
}
