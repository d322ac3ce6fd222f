/// The workspace's `alerts:` block: where alerts are delivered. Deliveries go through the
/// store's outbox, drained by the agent, so a sink that is down never holds up a deploy.
public struct AlertSettings: Sendable, Equatable {
    /// A URL that receives each alert as a JSON POST.
    public var webhook: String?
    /// A shell command that receives each alert as JSON on its standard input (for Slack or PagerDuty CLIs).
    public var command: String?
    /// Seconds one delivery may take before it counts as failed and is retried later.
    public var timeout: Double = 10

    public init() {}

    /// The sinks configured, as the outbox names them.
    public var sinks: [String] {
        (webhook == nil ? [] : ["webhook"]) + (command == nil ? [] : ["command"])
    }

    func overlaid(with node: ConfigNode) throws(SlipwayError) -> AlertSettings {
        let entries = try node.mapping(allowing: ["webhook", "command", "timeout"], context: "alerts")
        var settings = self
        if let value = entries["webhook"] {
            let url = try value.string("alerts.webhook")
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw value.location.error("alerts.webhook must be an http:// or https:// URL, found '\(url)'")
            }
            settings.webhook = url
        }
        if let value = entries["command"] { settings.command = try value.command("alerts.command") }
        if let value = entries["timeout"] { settings.timeout = try value.duration("alerts.timeout") }
        return settings
    }
}
