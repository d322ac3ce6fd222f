import Foundation

/// The windows of one objective to sum, all ending at the same minute.
public struct SLIWindows: Sendable, Equatable {
    public var component: String
    public var environment: String
    public var objective: String
    /// Window lengths in minutes.
    public var lengths: [Int]

    public init(component: String, environment: String, objective: String, lengths: [Int]) {
        self.component = component
        self.environment = environment
        self.objective = objective
        self.lengths = lengths
    }
}
