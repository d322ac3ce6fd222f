/// A latency histogram as the router exports it: `(value in microseconds, count)` per non-empty
/// bucket, cumulative since the route started. Two snapshots diff into one interval's histogram.
public struct LatencyBuckets: Sendable, Equatable {
    /// Count per bucket value, in microseconds.
    public private(set) var counts: [UInt64: UInt64]

    public init(_ pairs: [[UInt64]]) {
        var counts: [UInt64: UInt64] = [:]
        for pair in pairs where pair.count == 2 { counts[pair[0], default: 0] += pair[1] }
        self.counts = counts
    }

    public var total: UInt64 { counts.values.reduce(0, +) }

    /// The buckets filled between `earlier` and this snapshot; this snapshot whole when `earlier`
    /// is not older (the router restarted in between).
    public func since(_ earlier: LatencyBuckets) -> LatencyBuckets {
        guard earlier.counts.allSatisfy({ (counts[$0.key] ?? 0) >= $0.value }) else { return self }
        var interval = LatencyBuckets([])
        for (value, count) in counts where count > (earlier.counts[value] ?? 0) {
            interval.counts[value] = count - (earlier.counts[value] ?? 0)
        }
        return interval
    }

    /// The value at `percentile` (0...100) in microseconds, as HdrHistogram reports it: the
    /// smallest bucket whose cumulative count reaches the rank; nil when empty.
    public func value(atPercentile percentile: Double) -> UInt64? {
        let total = self.total
        guard total > 0 else { return nil }
        let rank = max(1, UInt64((percentile / 100 * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for value in counts.keys.sorted() {
            seen += counts[value] ?? 0
            if seen >= rank { return value }
        }
        return counts.keys.max()
    }

    /// Requests at or below `microseconds`.
    public func count(atOrBelow microseconds: UInt64) -> UInt64 {
        counts.filter { $0.key <= microseconds }.values.reduce(0, +)
    }
}
