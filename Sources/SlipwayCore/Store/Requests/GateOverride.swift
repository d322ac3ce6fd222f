/// `--override-gates --reason TEXT`: a person lets a version past the production gates, with a
/// reason recorded in the audit. A value of the request, so the store knows no gate.
public struct GateOverride: Sendable, Equatable, Codable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
