/// An objective over a rolling window: `target` percent of events good (the seed's 99.5%
/// availability over 30 days, 95% of requests under 2 s, 99% under 5 s, 95% of events within 1 min).
public struct ServiceLevelObjective: Sendable, Equatable, Codable {
    public enum Indicator: String, Sendable, Equatable, Codable {
        /// Requests not answered 5xx.
        case availability
        /// Requests answered within `thresholdSeconds`.
        case latency
        /// Lag samples at or below `thresholdSeconds`.
        case lag
    }

    public var name: String
    public var indicator: Indicator
    /// Percent of events that must be good.
    public var target: Double
    /// The latency or lag bound, in seconds.
    public var thresholdSeconds: Double?
    public var windowMinutes: Int

    public init(name: String, indicator: Indicator, target: Double, thresholdSeconds: Double? = nil, windowMinutes: Int = 30 * 1440) {
        self.name = name
        self.indicator = indicator
        self.target = target
        self.thresholdSeconds = thresholdSeconds
        self.windowMinutes = windowMinutes
    }

    /// The share of events that may be bad: 0.005 for 99.5%.
    public var budget: Double { (100 - target) / 100 }

    /// The seed's objectives for a request-serving component.
    public static let seedDefaults = [
        ServiceLevelObjective(name: "availability", indicator: .availability, target: 99.5),
        ServiceLevelObjective(name: "latency-2s", indicator: .latency, target: 95, thresholdSeconds: 2),
        ServiceLevelObjective(name: "latency-5s", indicator: .latency, target: 99, thresholdSeconds: 5),
    ]

    /// The seed's objective for a component that reports its event-processing lag.
    public static let seedLag = ServiceLevelObjective(name: "event-lag-1m", indicator: .lag, target: 95, thresholdSeconds: 60)
}
