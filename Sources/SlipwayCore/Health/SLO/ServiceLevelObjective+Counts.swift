extension ServiceLevelObjective {
    /// This objective's events between two of the router's cumulative snapshots of one colour:
    /// availability counts failures as bad, latency the requests slower than the threshold.
    /// Lag is read from a gauge elsewhere and counts nothing here.
    public func counts(from earlier: AgentResponse.ColorCounts?, to later: AgentResponse.ColorCounts) -> (total: Int, bad: Int) {
        let restarted = earlier.map { $0.requests > later.requests } ?? true
        let base = restarted ? nil : earlier
        let requests = later.requests - (base?.requests ?? 0)
        switch indicator {
        case .availability:
            let failures = (later.failures ?? later.errors5xx) - (base.map { $0.failures ?? $0.errors5xx } ?? 0)
            return (requests, max(0, failures))
        case .latency:
            let buckets = LatencyBuckets(later.latencyBuckets ?? []).since(LatencyBuckets(base?.latencyBuckets ?? []))
            let bound = UInt64((thresholdSeconds ?? 0) * 1_000_000)
            let total = Int(buckets.total)
            return (total, total - Int(buckets.count(atOrBelow: bound)))
        case .lag:
            return (0, 0)
        }
    }
}
