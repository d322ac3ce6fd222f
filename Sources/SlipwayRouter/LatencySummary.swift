/// Latency percentiles of one colour, in microseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var count: UInt64
    public var p50: UInt64
    public var p95: UInt64
    public var p99: UInt64
    public var max: UInt64

    public init(count: UInt64, p50: UInt64, p95: UInt64, p99: UInt64, max: UInt64) {
        self.count = count
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}
