import Foundation

/// Something a person should hear about: a burn-rate rule firing or clearing, the error budget
/// crossing 50%, 25% or 0%, or a deploy blocked by a gate. Sinks receive it as this JSON.
public struct Alert: Sendable, Equatable, Codable {
    /// Unique, so a sink can drop a repeat after a delivery whose answer was lost.
    public var id: String
    public var severity: AlertSeverity
    /// `fired`, `cleared`, `budget_crossed` or `deploy_blocked`.
    public var change: String
    public var component: String
    public var environment: String
    public var objective: String?
    public var rule: String?
    public var message: String
    public var time: Date

    public init(
        id: String = UUID().uuidString.lowercased(), severity: AlertSeverity, change: String, component: String,
        environment: String, objective: String? = nil, rule: String? = nil, message: String, time: Date = Date()
    ) {
        self.id = id
        self.severity = severity
        self.change = change
        self.component = component
        self.environment = environment
        self.objective = objective
        self.rule = rule
        self.message = message
        self.time = time
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension AlertSettings {
    /// The sinks `alert` goes to (see ``sinks(severity:component:environment:)``).
    public func sinks(for alert: Alert) -> [String] {
        sinks(severity: alert.severity, component: alert.component, environment: alert.environment)
    }
}
