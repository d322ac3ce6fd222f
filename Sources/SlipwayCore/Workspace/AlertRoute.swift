/// One entry of `alerts.routes`: alerts of these severities (and, when given, components and
/// environments) go to these sinks. An alert goes to every route it matches.
///
/// ```yaml
/// alerts:
///   routes:
///     - {severity: critical, sinks: [pager]}      # critical is a page
///     - {severity: warning, sinks: [chat], environments: [production]}   # warning is a ticket
///     - {severity: info, sinks: [board]}
/// ```
public struct AlertRoute: Sendable, Equatable {
    public var severities: [AlertSeverity]
    /// Empty: every component.
    public var components: [String] = []
    /// Empty: every environment.
    public var environments: [String] = []
    public var sinks: [String]

    public init(severities: [AlertSeverity], components: [String] = [], environments: [String] = [], sinks: [String]) {
        self.severities = severities
        self.components = components
        self.environments = environments
        self.sinks = sinks
    }

    public func matches(severity: AlertSeverity, component: String, environment: String) -> Bool {
        severities.contains(severity)
            && (components.isEmpty || components.contains(component))
            && (environments.isEmpty || environments.contains(environment))
    }

    /// A severity by the seed's name (critical, warning, info) or Slipway's (page, ticket).
    public static func severity(named name: String) -> AlertSeverity? { severityNames[name] }

    static let severityNames: [String: AlertSeverity] = [
        "critical": .page, "page": .page, "warning": .ticket, "ticket": .ticket, "info": .info,
    ]

    static func parse(
        _ node: ConfigNode, index: Int, sinks: [String], environments: [String]
    ) throws(SlipwayError) -> AlertRoute {
        let context = "alerts.routes[\(index)]"
        let entries = try node.mapping(allowing: ["severity", "components", "environments", "sinks"], context: context)
        guard let severityNode = entries["severity"], let sinkNode = entries["sinks"] else {
            throw node.location.error("\(context) needs a severity and sinks")
        }
        var severities: [AlertSeverity] = []
        for (name, entry) in try severityNode.stringEntries("\(context).severity") {
            guard let severity = severityNames[name] else {
                throw entry.location.error(
                    "unknown severity '\(name)' (known: critical, warning, info; or page, ticket)")
            }
            severities.append(severity)
        }
        let sinkEntries = try sinkNode.stringEntries("\(context).sinks")
        var route = AlertRoute(severities: severities, sinks: sinkEntries.map(\.value))
        for (sink, entry) in sinkEntries where !sinks.contains(sink) {
            throw entry.location.error("unknown sink '\(sink)' in \(context) (known: \(sinks.joined(separator: ", ")))")
        }
        if let node = entries["components"] { route.components = try node.stringList("\(context).components") }
        if let node = entries["environments"] {
            let environmentEntries = try node.stringEntries("\(context).environments")
            route.environments = environmentEntries.map(\.value)
            for (environment, entry) in environmentEntries where !environments.contains(environment) {
                throw entry.location.error(
                    "unknown environment '\(environment)' in \(context) (known: \(environments.joined(separator: ", ")))")
            }
        }
        return route
    }
}
