import Foundation
import SlipwayCore

/// One alert or audit entry with every field whole, for the detail screen: a table line cuts
/// what does not fit, so lines that differ only at the end look alike there.
struct DetailPane: Equatable, Sendable {
    struct Field: Equatable, Sendable {
        var label: String
        var value: String
    }

    var title: String
    var fields: [Field]

    init(title: String, fields: [Field]) {
        self.title = title
        self.fields = fields
    }

    init(_ alert: FiringAlert, objective: SLOLine?, now: Date) {
        var fields = [
            Field(label: "severity", value: alert.severity.rawValue),
            Field(label: "component", value: alert.component),
            Field(label: "environment", value: alert.environment),
            Field(label: "objective", value: alert.objective),
            Field(label: "rule", value: "\(alert.rule) (burn-rate windows)"),
            Field(label: "firing since", value: "\(TimeText.rfc3339(alert.since)) (\(TimeText.age(of: alert.since, now: now)))"),
            Field(label: "message", value: alert.message.isEmpty ? "-" : alert.message),
        ]
        if let objective {
            let status = objective.status
            fields += [
                Field(label: "target", value: String(format: "%.2f%% good", status.objective.target)),
                Field(label: "current", value: status.current.map { String(format: "%.2f%% good", $0) } ?? "no traffic yet"),
                Field(label: "budget left", value: objective.budgetText),
                Field(label: "burn rate (1h)", value: String(format: "%.2f", status.burnRate)),
                Field(label: "empty in", value: objective.exhaustionText),
            ]
        } else {
            fields.append(Field(label: "figures", value: "none recorded for this objective in the last window"))
        }
        self.init(title: "alert: \(alert.component) in \(alert.environment), \(alert.objective)", fields: fields)
    }

    init(_ entry: AuditEntry) {
        self.init(title: "\(entry.action) by \(entry.actor) at \(TimeText.rfc3339(entry.time))", fields: [
            Field(label: "time", value: TimeText.rfc3339(entry.time)),
            Field(label: "actor", value: entry.actor),
            Field(label: "action", value: entry.action),
            Field(label: "component", value: entry.component),
            Field(label: "environment", value: entry.environment),
            Field(label: "outcome", value: entry.outcome),
        ])
    }
}
