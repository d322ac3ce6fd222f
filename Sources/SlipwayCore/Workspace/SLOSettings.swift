/// The `slo:` block: a component's objectives, the seed's by default
/// (99.5% available over 30 days, 95% of requests under 2 s, 99% under 5 s).
public struct SLOSettings: Sendable, Equatable {
    /// Percent of requests not answered 5xx.
    public var availability: Double = 99.5
    /// Latency objectives: `target` percent of requests within `seconds`.
    public var latency: [(seconds: Double, target: Double)] = [(2, 95), (5, 99)]
    /// Whether deploys (not rollbacks) to production are refused while an objective's budget is spent.
    public var refuseDeploysWhenSpent = false
    /// The event-processing lag, for components that declare `event_lag:`.
    public var eventLag: EventLagSettings?

    public init() {}

    public static func == (lhs: SLOSettings, rhs: SLOSettings) -> Bool {
        lhs.availability == rhs.availability && lhs.refuseDeploysWhenSpent == rhs.refuseDeploysWhenSpent && lhs.latency.map(\.seconds) == rhs.latency.map(\.seconds)
            && lhs.latency.map(\.target) == rhs.latency.map(\.target) && lhs.eventLag == rhs.eventLag
    }

    /// The objectives, named for the CLI, the store and `/metrics`.
    public var objectives: [ServiceLevelObjective] {
        [ServiceLevelObjective(name: "availability", indicator: .availability, target: availability)]
            + latency.map { bound in
                ServiceLevelObjective(
                    name: "latency-\(DurationText.format(bound.seconds))", indicator: .latency, target: bound.target,
                    thresholdSeconds: bound.seconds)
            }
            + (eventLag.map { [$0.objective] } ?? [])
    }

    func overlaid(with node: ConfigNode) throws(SlipwayError) -> SLOSettings {
        let entries = try node.mapping(
            allowing: ["availability", "latency", "refuse_deploys_when_spent", "event_lag"], context: "slo")
        var settings = self
        if let value = entries["event_lag"] { settings.eventLag = try EventLagSettings().overlaid(with: value) }
        if let value = entries["refuse_deploys_when_spent"] {
            settings.refuseDeploysWhenSpent = try value.bool("slo.refuse_deploys_when_spent")
        }
        if let value = entries["availability"] { settings.availability = try value.percent("slo.availability") }
        if let value = entries["latency"] {
            guard case .sequence(let sequence) = value.node else {
                throw value.location.error("slo.latency must be a list such as [{under: 2s, target: 95}], found \(value.kindName)")
            }
            settings.latency = []
            for element in sequence {
                let child = ConfigNode(node: element, file: value.file)
                let fields = try child.mapping(allowing: ["under", "target"], context: "each of slo.latency")
                guard let under = fields["under"], let target = fields["target"] else {
                    throw child.location.error("each of slo.latency needs both under (a duration) and target (a percentage)")
                }
                settings.latency.append((try under.duration("slo.latency.under"), try target.percent("slo.latency.target")))
            }
        }
        return settings
    }
}
