import Foundation

/// What a cloud target reads of its live traffic over one window: each colour's (or version's)
/// share of the split with its figures, and the same figures minute by minute as counters for
/// the SLIs, keyed by share name, so an objective counts them as it counts the router's.
public struct PlatformMetrics: Sendable {
    public var shares: [PlatformShare]
    /// Each share's figures per minute (minutes since 1970), as the platform counts them per
    /// period (CloudWatch's 60 s datapoints, the Workers analytics' minutes): a window of several
    /// minutes adds each minute's figures to that minute's SLIs.
    public var minutes: [String: [Int: AgentResponse.ColorCounts]]
    /// What the operator should know about the figures, one line.
    public var note: String?

    public init(shares: [PlatformShare], minutes: [String: [Int: AgentResponse.ColorCounts]], note: String? = nil) {
        self.shares = shares
        self.minutes = minutes
        self.note = note
    }

    /// `name`'s share of the split, with the figures `minutes` hold for it (none: no figures).
    static func share(
        _ name: String, version: String?, percent: Double?, minutes: [Int: AgentResponse.ColorCounts]?
    ) -> PlatformShare {
        let interval = minutes.map { ColorInterval(from: nil, to: total(of: $0)) }
        return PlatformShare(
            name: name, version: version, percent: percent, requests: interval?.requests, failures: interval?.failures,
            p95Milliseconds: interval?.p95Milliseconds)
    }

    /// The figures of all of `minutes` as one set of counters: requests and failures summed, and
    /// each minute's latency bucket kept.
    static func total(of minutes: [Int: AgentResponse.ColorCounts]) -> AgentResponse.ColorCounts {
        let ordered = minutes.sorted { $0.key < $1.key }.map(\.value)
        let failures = ordered.reduce(0) { $0 + ($1.failures ?? $1.errors5xx) }
        return AgentResponse.ColorCounts(
            requests: ordered.reduce(0) { $0 + $1.requests }, errors5xx: ordered.reduce(0) { $0 + $1.errors5xx },
            connectionErrors: ordered.reduce(0) { $0 + $1.connectionErrors }, p95Milliseconds: nil, failures: failures,
            latencyBuckets: ordered.flatMap { $0.latencyBuckets ?? [] })
    }
}
