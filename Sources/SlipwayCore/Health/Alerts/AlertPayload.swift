import Foundation

/// What a sink receives for an alert, in the shape its kind expects: the alert's own JSON, a
/// Slack incoming webhook message, or a PagerDuty Events API v2 event.
public enum AlertPayload {
    /// The body for `kind`; `routingKey` is PagerDuty's (from the sink's `routing_key_env`).
    public static func body(_ alert: Alert, for kind: AlertSinkSettings.Kind, routingKey: String? = nil) -> String {
        switch kind {
        case .webhook, .command:
            return alert.json
        case .slack:
            return encode(["text": "[\(label(alert.severity))] \(alert.change): \(alert.message)"])
        case .pagerduty:
            // One incident per component, environment, objective and rule: the clearing alert resolves it.
            let key = [alert.component, alert.environment, alert.objective ?? "", alert.rule ?? alert.change].joined(separator: "/")
            var details: [String: String] = ["alert_id": alert.id, "change": alert.change]
            details["objective"] = alert.objective
            details["rule"] = alert.rule
            return encode(PagerDutyEvent(
                routingKey: routingKey ?? "", eventAction: alert.change == "cleared" ? "resolve" : "trigger", dedupKey: key,
                payload: .init(
                    summary: String(alert.message.prefix(1024)), source: "slipway \(alert.component) \(alert.environment)",
                    severity: pagerDutySeverity(alert.severity), timestamp: TimeText.rfc3339(alert.time),
                    component: alert.component, group: alert.environment, customDetails: details)))
        }
    }

    /// The seed's names: a page is critical, a ticket a warning.
    static func label(_ severity: AlertSeverity) -> String {
        switch severity {
        case .page: "CRITICAL"
        case .ticket: "WARNING"
        case .info: "INFO"
        }
    }

    static func pagerDutySeverity(_ severity: AlertSeverity) -> String {
        switch severity {
        case .page: "critical"
        case .ticket: "warning"
        case .info: "info"
        }
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// PagerDuty Events API v2 (`POST /v2/enqueue`).
    struct PagerDutyEvent: Encodable {
        struct Payload: Encodable {
            var summary: String
            var source: String
            var severity: String
            var timestamp: String
            var component: String
            var group: String
            var customDetails: [String: String]

            enum CodingKeys: String, CodingKey {
                case summary, source, severity, timestamp, component, group, customDetails = "custom_details"
            }
        }

        var routingKey: String
        var eventAction: String
        var dedupKey: String
        var payload: Payload

        enum CodingKeys: String, CodingKey {
            case routingKey = "routing_key", eventAction = "event_action", dedupKey = "dedup_key", payload
        }
    }
}
