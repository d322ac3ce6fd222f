import Foundation

/// What a cloud target reads of its live traffic over one window: each colour's (or version's)
/// share of the split with its figures, and the same figures as counters for the SLIs, keyed by
/// share name, so an objective counts them as it counts the router's.
public struct PlatformMetrics: Sendable {
    public var shares: [PlatformShare]
    public var counts: [String: AgentResponse.ColorCounts]
    /// What the operator should know about the figures, one line.
    public var note: String?

    public init(shares: [PlatformShare], counts: [String: AgentResponse.ColorCounts], note: String? = nil) {
        self.shares = shares
        self.counts = counts
        self.note = note
    }

    /// `name`'s share of the split, with the figures `counts` hold for it (none: no figures).
    static func share(
        _ name: String, version: String?, percent: Double?, counts: AgentResponse.ColorCounts?
    ) -> PlatformShare {
        let interval = counts.map { ColorInterval(from: nil, to: $0) }
        return PlatformShare(
            name: name, version: version, percent: percent, requests: interval?.requests, failures: interval?.failures,
            p95Milliseconds: interval?.p95Milliseconds)
    }
}
