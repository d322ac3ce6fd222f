/// One indicator's minutes, dense from the first to the last, with prefix sums so any window's
/// bad ratio costs two subtractions (30 days x 100 components x 3 environments stays cheap).
public struct SLOSeries: Sendable, Equatable {
    public let firstMinute: Int
    /// Prefix sums: `totals[i]` is the total of the minutes before `firstMinute + i`.
    private var totals: [Int] = [0]
    private var bads: [Int] = [0]

    /// Minutes may come in any order, with gaps (no events) and repeats (added up).
    public init(_ minutes: [SLIMinute]) {
        let first = minutes.map(\.minute).min() ?? 0
        let last = minutes.map(\.minute).max() ?? first - 1
        firstMinute = first
        var total = [Int](repeating: 0, count: max(0, last - first + 1))
        var bad = total
        for point in minutes {
            total[point.minute - first] += point.total
            bad[point.minute - first] += point.bad
        }
        totals.reserveCapacity(total.count + 1)
        bads.reserveCapacity(total.count + 1)
        for index in total.indices {
            totals.append(totals[index] + total[index])
            bads.append(bads[index] + bad[index])
        }
    }

    /// The minute after the last one stored.
    public var endMinute: Int { firstMinute + totals.count - 1 }

    /// Total and bad events in the `length` complete minutes before `end` (minutes `end - length ..< end`).
    public func counts(last length: Int, before end: Int) -> (total: Int, bad: Int) {
        let upper = min(max(end - firstMinute, 0), totals.count - 1)
        let lower = min(max(end - length - firstMinute, 0), totals.count - 1)
        return (totals[upper] - totals[lower], bads[upper] - bads[lower])
    }

    /// The bad ratio of that window; nil when it holds no events.
    public func badRatio(last length: Int, before end: Int) -> Double? {
        let (total, bad) = counts(last: length, before: end)
        return total == 0 ? nil : Double(bad) / Double(total)
    }
}
