import Yams

/// The workspace's `alerts:` block: where alerts are delivered. Deliveries go through the
/// store's outbox, drained by the agent, so a sink that is down never holds up a deploy.
///
/// `webhook` and `command` receive every alert, as before routes existed; `sinks` are named,
/// and `routes` send each alert to the sinks of the routes it matches (by severity, component,
/// environment), as the seed asks: critical pages, warning goes to chat, info to a dashboard.
public struct AlertSettings: Sendable, Equatable {
    /// A URL that receives each alert as a JSON POST.
    public var webhook: String?
    /// A shell command that receives each alert as JSON on its standard input (for Slack or PagerDuty CLIs).
    public var command: String?
    /// Seconds one delivery may take before it counts as failed and is retried later.
    public var timeout: Double = 10
    /// Named sinks, in file order.
    public var namedSinks: [AlertSinkSettings] = []
    public var routes: [AlertRoute] = []

    public init() {}

    /// The sinks an alert of `severity` about `component` in `environment` goes to, as the outbox
    /// names them: `webhook` and `command` for every alert, then each sink of every route it matches, once.
    public func sinks(severity: AlertSeverity, component: String, environment: String) -> [String] {
        var names = (webhook == nil ? [] : ["webhook"]) + (command == nil ? [] : ["command"])
        for route in routes where route.matches(severity: severity, component: component, environment: environment) {
            for sink in route.sinks where !names.contains(sink) { names.append(sink) }
        }
        return names
    }

    /// The sink an outbox row names.
    public func sink(named name: String) -> AlertSinkSettings? {
        if name == "webhook", let webhook { return AlertSinkSettings(name: name, kind: .webhook, url: webhook) }
        if name == "command", let command { return AlertSinkSettings(name: name, kind: .command, command: command) }
        return namedSinks.first { $0.name == name }
    }

    func overlaid(with node: ConfigNode, environments: [String]) throws(SlipwayError) -> AlertSettings {
        let entries = try node.mapping(allowing: ["webhook", "command", "timeout", "sinks", "routes"], context: "alerts")
        var settings = self
        if let value = entries["webhook"] { settings.webhook = try Self.url(value, "alerts.webhook") }
        if let value = entries["command"] { settings.command = try value.command("alerts.command") }
        if let value = entries["timeout"] { settings.timeout = try value.duration("alerts.timeout") }
        if let value = entries["sinks"] {
            settings.namedSinks = []
            for (name, sink, keyNode) in try value.entries(context: "alerts.sinks") {
                // `webhook` and `command` already name the sinks of the keys above.
                guard Workspace.isValidName(name), name != "webhook", name != "command" else {
                    throw keyNode.location.error("sink name '\(name)' must match [a-z0-9][a-z0-9._-]* and not be webhook or command")
                }
                settings.namedSinks.append(try AlertSinkSettings.parse(name: name, node: sink))
            }
        }
        if let value = entries["routes"] {
            let sinks = settings.namedSinks.map(\.name) + (settings.webhook == nil ? [] : ["webhook"])
                + (settings.command == nil ? [] : ["command"])
            settings.routes = try value.elements("alerts.routes").enumerated().map { entry throws(SlipwayError) in
                try AlertRoute.parse(entry.element, index: entry.offset, sinks: sinks, environments: environments)
            }
        }
        return settings
    }

    static func url(_ node: ConfigNode, _ what: String) throws(SlipwayError) -> String {
        let url = try node.string(what)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw node.location.error("\(what) must be an http:// or https:// URL, found '\(url)'")
        }
        return url
    }
}

private extension ConfigNode {
    /// The entries of a list.
    func elements(_ what: String) throws(SlipwayError) -> [ConfigNode] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw location.error("\(what) must be a list, found \(kindName)") }
        return sequence.map { ConfigNode(node: $0, file: file) }
    }
}
