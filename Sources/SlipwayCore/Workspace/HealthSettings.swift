/// How a deployed component is probed (kamal-proxy's defaults: `GET /health`, every second).
public struct HealthSettings: Sendable, Equatable {
    public var path = "/health"
    /// Seconds between probes.
    public var interval: Double = 1
    /// Seconds one probe may take.
    public var timeout: Double = 2
    public var attempts = 30

    public init() {}

    func overlaid(with node: ConfigNode) throws(SlipwayError) -> HealthSettings {
        let entries = try node.mapping(allowing: ["path", "interval", "timeout", "attempts"], context: "health")
        var settings = self
        if let value = entries["path"] {
            settings.path = try value.string("health.path")
            guard settings.path.hasPrefix("/") else { throw value.location.error("health.path must start with '/'") }
        }
        if let value = entries["interval"] { settings.interval = try value.duration("health.interval") }
        if let value = entries["timeout"] { settings.timeout = try value.duration("health.timeout") }
        if let value = entries["attempts"] { settings.attempts = try value.int("health.attempts", in: 1...10_000) }
        return settings
    }
}
