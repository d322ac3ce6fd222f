import Foundation

/// `slipway alerts silence`: alerts it matches are recorded but not delivered until `endsAt`.
/// A field left nil matches anything.
public struct AlertSilence: Sendable, Equatable {
    public var id: String
    public var severity: AlertSeverity?
    public var component: String?
    public var environment: String?
    public var startsAt: Date
    public var endsAt: Date
    public var reason: String
    public var actor: String

    public init(
        id: String = "s" + UUID().uuidString.lowercased().prefix(8), severity: AlertSeverity?, component: String?,
        environment: String?, startsAt: Date, endsAt: Date, reason: String, actor: String
    ) {
        self.id = id
        self.severity = severity
        self.component = component
        self.environment = environment
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.reason = reason
        self.actor = actor
    }

    public func matches(component: String, environment: String, severity: AlertSeverity) -> Bool {
        (self.severity == nil || self.severity == severity) && (self.component == nil || self.component == component)
            && (self.environment == nil || self.environment == environment)
    }

    /// `page alerts of accounts in production`.
    public var scope: String {
        "\(severity?.rawValue ?? "all") alerts of \(component ?? "every component") in \(environment ?? "every environment")"
    }
}
