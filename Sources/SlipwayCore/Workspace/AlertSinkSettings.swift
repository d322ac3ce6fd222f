/// One named sink of `alerts.sinks`: where and in which shape an alert is delivered.
///
/// ```yaml
/// alerts:
///   sinks:
///     pager: {type: pagerduty, url: https://events.pagerduty.com/v2/enqueue, routing_key_env: PAGERDUTY_ROUTING_KEY}
///     chat: {type: slack, url: https://hooks.slack.com/services/...}
///     board: {type: webhook, url: http://dashboard.internal/alerts}
///     script: {type: command, command: ./notify.sh}
/// ```
public struct AlertSinkSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The alert's own JSON, POSTed.
        case webhook
        /// A Slack incoming webhook's `{"text": ...}`, POSTed.
        case slack
        /// A PagerDuty Events API v2 event (`trigger`, or `resolve` when the alert clears), POSTed.
        case pagerduty
        /// The alert's JSON on the command's standard input.
        case command
    }

    public var name: String
    public var kind: Kind
    public var url: String?
    public var command: String?
    /// The environment variable (of the agent) holding PagerDuty's routing key: a secret, so
    /// never written in the file.
    public var routingKeyEnv: String?

    public init(name: String, kind: Kind, url: String? = nil, command: String? = nil, routingKeyEnv: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.command = command
        self.routingKeyEnv = routingKeyEnv
    }

    static func parse(name: String, node: ConfigNode) throws(SlipwayError) -> AlertSinkSettings {
        let context = "alerts.sinks.\(name)"
        let entries = try node.mapping(allowing: ["type", "url", "command", "routing_key_env"], context: context)
        guard let typeNode = entries["type"] else {
            throw node.location.error("\(context) needs a type: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let text = try typeNode.string("\(context).type")
        guard let kind = Kind(rawValue: text) else {
            throw typeNode.location.error(
                "unknown sink type '\(text)' (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var sink = AlertSinkSettings(name: name, kind: kind)
        if kind == .command {
            guard let command = entries["command"] else { throw node.location.error("\(context) needs a command") }
            sink.command = try command.command("\(context).command")
        } else {
            guard let url = entries["url"] else { throw node.location.error("\(context) needs a url") }
            sink.url = try AlertSettings.url(url, "\(context).url")
        }
        if let key = entries["routing_key_env"] { sink.routingKeyEnv = try key.string("\(context).routing_key_env") }
        if kind == .pagerduty, sink.routingKeyEnv == nil {
            throw node.location.error("\(context) needs routing_key_env: the variable holding PagerDuty's routing key")
        }
        return sink
    }
}
