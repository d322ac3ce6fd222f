/// An objective's total and bad events over the windows that its evaluation needs, all ending at
/// one minute: read from an ``SLOSeries`` in memory or summed by the store, so the agent's alert
/// evaluation never ships every minute of 30 days out of SQLite.
public struct SLOWindows: Sendable, Equatable {
    /// The minute the windows end before.
    public var end: Int
    /// Counts by window length in minutes.
    public var counts: [Int: SLICounts]

    public init(end: Int, counts: [Int: SLICounts]) {
        self.end = end
        self.counts = counts
    }

    /// The lengths `objective` needs with `rules`: each rule's two windows, the objective's own
    /// window (budget remaining) and the last hour (burn rate).
    public static func lengths(for objective: ServiceLevelObjective, rules: [BurnRateRule]) -> [Int] {
        Array(Set(rules.flatMap { [$0.longMinutes, $0.shortMinutes] } + [objective.windowMinutes, 60])).sorted()
    }

    /// Every one of `lengths` from `series`.
    public init(_ series: SLOSeries, lengths: [Int], before end: Int) {
        self.end = end
        counts = Dictionary(uniqueKeysWithValues: lengths.map { length in
            let (total, bad) = series.counts(last: length, before: end)
            return (length, SLICounts(total: total, bad: bad))
        })
    }

    /// The counts of the `length` minutes before `end`; none when that window was not read.
    public func counts(last length: Int) -> SLICounts { counts[length] ?? SLICounts(total: 0, bad: 0) }

    /// Bad events over `length` minutes as a share of `objective`'s budget; 0 without events.
    public func burnRate(last length: Int, objective: ServiceLevelObjective) -> Double {
        let window = counts(last: length)
        guard objective.budget > 0, window.total > 0 else { return 0 }
        return Double(window.bad) / Double(window.total) / objective.budget
    }
}

/// Total and bad events of a window.
public struct SLICounts: Sendable, Equatable {
    public var total: Int
    public var bad: Int

    public init(total: Int, bad: Int) {
        self.total = total
        self.bad = bad
    }
}
