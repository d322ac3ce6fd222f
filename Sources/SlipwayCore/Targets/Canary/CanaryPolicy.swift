/// Everything that decides a canary's course, in one value: the `canary:` block together with
/// the seed's `canaryPercentage`, `monitoringPeriod` and `rollbackThresholds`.
public struct CanaryPolicy: Sendable, Equatable, Codable {
    /// Traffic weights in order; the last is 100.
    public var steps: [Int]
    /// Seconds each step below 100 is held.
    public var monitoringPeriod: Double
    /// Seconds between judgements.
    public var interval: Double
    public var threshold: Int
    public var minRequests: Int
    /// Percent of canary requests that may fail in an interval (failing needs at least this much).
    public var maxErrorRate: Double
    /// Percent by which the canary's p95 may exceed the stable colour's, compared once each has
    /// `CanaryAnalysis.requestsForLatency` requests in the interval.
    public var maxLatencyIncrease: Double

    public init(
        steps: [Int] = [5, 25, 50, 100], monitoringPeriod: Double = 1800, interval: Double = 60, threshold: Int = 2,
        minRequests: Int = 50, maxErrorRate: Double = 1, maxLatencyIncrease: Double = 10
    ) {
        self.steps = steps
        self.monitoringPeriod = monitoringPeriod
        self.interval = interval
        self.threshold = threshold
        self.minRequests = minRequests
        self.maxErrorRate = maxErrorRate
        self.maxLatencyIncrease = maxLatencyIncrease
    }

    enum CodingKeys: String, CodingKey {
        case steps, monitoringPeriod = "monitoring_period", interval, threshold, minRequests = "min_requests"
        case maxErrorRate = "error_rate", maxLatencyIncrease = "latency_increase"
    }
}

extension DeploymentSettings {
    /// The canary policy these settings describe. Without explicit steps the first is the seed's
    /// `canaryPercentage` and the default steps above it follow.
    public var canaryPolicy: CanaryPolicy {
        let first = max(1, min(100, Int(canaryPercentage.rounded())))
        let steps = canary.steps ?? ([first] + [25, 50, 100].filter { $0 > first })
        return CanaryPolicy(
            steps: steps, monitoringPeriod: monitoringPeriod, interval: canary.interval, threshold: canary.threshold,
            minRequests: canary.minRequests, maxErrorRate: rollbackErrorRate, maxLatencyIncrease: rollbackLatencyIncrease)
    }
}
