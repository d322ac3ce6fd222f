import Foundation

/// One increment of an objective's counts in a minute.
public struct SLIIncrement: Sendable, Equatable {
    public var component: String
    public var environment: String
    public var objective: String
    public var minute: SLIMinute

    public init(component: String, environment: String, objective: String, minute: SLIMinute) {
        self.component = component
        self.environment = environment
        self.objective = objective
        self.minute = minute
    }
}
