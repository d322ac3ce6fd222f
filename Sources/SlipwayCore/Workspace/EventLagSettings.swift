/// `slo.event_lag`: the component exposes its event-processing lag as a gauge on a Prometheus
/// text endpoint of its own; the agent reads it and holds it to the seed's objective (95% of
/// events processed within 1 min) and its SLI alarm (lag over 5 min).
public struct EventLagSettings: Sendable, Equatable {
    /// The endpoint's path on the component's live slot.
    public var path = "/metrics"
    /// The gauge, in seconds.
    public var metric = "slipway_event_lag_seconds"
    /// Lag at or below this many seconds counts as processed in time.
    public var within: Double = 60
    /// Percent of lag samples that must be within `within`.
    public var target: Double = 95
    /// Lag above this many seconds raises the alarm.
    public var alarm: Double = 300

    public init() {}

    /// The objective, named for its bound: `event-lag-1m` by default.
    public var objective: ServiceLevelObjective {
        ServiceLevelObjective(
            name: "event-lag-\(DurationText.format(within))", indicator: .lag, target: target, thresholdSeconds: within)
    }

    /// `event_lag: true` takes every default; a mapping overrides some.
    func overlaid(with node: ConfigNode) throws(SlipwayError) -> EventLagSettings? {
        if case .scalar = node.node {
            return try node.bool("slo.event_lag") ? self : nil
        }
        let entries = try node.mapping(allowing: ["path", "metric", "within", "target", "alarm"], context: "slo.event_lag")
        var settings = self
        if let value = entries["path"] {
            settings.path = try value.string("slo.event_lag.path")
            guard settings.path.hasPrefix("/") else {
                throw value.location.error("slo.event_lag.path must start with /, found '\(settings.path)'")
            }
        }
        if let value = entries["metric"] {
            settings.metric = try value.string("slo.event_lag.metric")
            guard settings.metric.wholeMatch(of: /[a-zA-Z_:][a-zA-Z0-9_:]*/) != nil else {
                throw value.location.error("slo.event_lag.metric must be a Prometheus metric name, found '\(settings.metric)'")
            }
        }
        if let value = entries["within"] { settings.within = try value.duration("slo.event_lag.within") }
        if let value = entries["target"] { settings.target = try value.percent("slo.event_lag.target") }
        if let value = entries["alarm"] { settings.alarm = try value.duration("slo.event_lag.alarm") }
        return settings
    }
}
