/// A change worth telling someone about: a burn-rate rule fired or cleared, or the budget
/// remaining crossed one of 50%, 25%, 0%.
public struct SLOAlert: Sendable, Equatable, Codable {
    public enum Change: String, Sendable, Equatable, Codable {
        case fired, cleared
        case budgetCrossed = "budget_crossed"
    }

    public var change: Change
    public var severity: AlertSeverity
    public var objective: String
    /// The rule's name (`1h/5m`) or the budget threshold (`50%`).
    public var rule: String
    /// The minute it was seen, in minutes since 1970.
    public var minute: Int
    public var message: String

    public init(change: Change, severity: AlertSeverity, objective: String, rule: String, minute: Int, message: String) {
        self.change = change
        self.severity = severity
        self.objective = objective
        self.rule = rule
        self.minute = minute
        self.message = message
    }
}
