import Foundation

extension Alert {
    /// The alert for an SLO change of `component` in `environment`.
    public init(_ alert: SLOAlert, component: String, environment: String, time: Date = Date()) {
        self.init(
            severity: alert.severity, change: alert.change.rawValue, component: component, environment: environment,
            objective: alert.objective, rule: alert.rule, message: "\(component) in \(environment): \(alert.message)", time: time)
    }
}
