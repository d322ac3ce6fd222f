/// How a component is released: the seed's `DeploymentConfig`, in snake_case, with the
/// seed's camelCase names accepted as written.
public struct DeploymentSettings: Sendable, Equatable {
    public enum Strategy: String, Sendable, CaseIterable {
        case blueGreen = "blue-green"
        case canary
    }

    public var strategy: Strategy = .blueGreen
    /// Where `strategy` was set, for errors about it that only the target can tell.
    public var strategyLocation: ConfigLocation?
    /// Percent of traffic the canary gets first.
    public var canaryPercentage: Double = 5
    /// Seconds each canary step is watched.
    public var monitoringPeriod: Double = 30 * 60
    /// Percent of failed requests that rolls a canary back.
    public var rollbackErrorRate: Double = 1
    /// Percent of p95 latency above the stable colour that rolls a canary back.
    public var rollbackLatencyIncrease: Double = 10
    public var qualityGates = QualityGateSettings()
    public var canary = CanarySettings()

    public init() {}

    static let keys = ["strategy", "canary_percentage", "monitoring_period", "rollback_thresholds", "quality_gates", "canary"]
    static let aliases = [
        "canaryPercentage": "canary_percentage",
        "monitoringPeriod": "monitoring_period",
        "rollbackThresholds": "rollback_thresholds",
        "qualityGates": "quality_gates",
    ]

    /// These settings with the keys present in `entries` applied on top.
    func overlaid(with entries: [String: ConfigNode]) throws(SlipwayError) -> DeploymentSettings {
        var settings = self
        if let node = entries["strategy"] {
            let text = try node.string("strategy")
            guard let strategy = Strategy(rawValue: text) else {
                throw node.location.error("unknown strategy '\(text)' (known: blue-green, canary)")
            }
            settings.strategy = strategy
            settings.strategyLocation = node.location
        }
        if let node = entries["canary_percentage"] { settings.canaryPercentage = try node.percent("canary_percentage") }
        if let node = entries["monitoring_period"] { settings.monitoringPeriod = try node.duration("monitoring_period") }
        if let node = entries["rollback_thresholds"] {
            let thresholds = try node.mapping(
                allowing: ["error_rate", "latency_increase"],
                aliases: ["errorRate": "error_rate", "latencyIncrease": "latency_increase"],
                context: "rollback_thresholds")
            if let rate = thresholds["error_rate"] { settings.rollbackErrorRate = try rate.percent("error_rate") }
            if let increase = thresholds["latency_increase"] {
                settings.rollbackLatencyIncrease = try increase.percent("latency_increase")
            }
        }
        if let node = entries["quality_gates"] {
            settings.qualityGates = try settings.qualityGates.overlaid(with: node)
        }
        if let node = entries["canary"] { settings.canary = try settings.canary.overlaid(with: node) }
        return settings
    }
}
