/// One thing the agent's backup schedule does to a component database in an environment.
public struct BackupDuty: Sendable, Hashable, CustomStringConvertible {
    public enum Action: String, Sendable, Hashable {
        case baseBackup = "base backup"
        case prune
        case drill = "restore drill"
    }

    public var component: String
    public var environment: String
    public var action: Action

    public init(component: String, environment: String, action: Action) {
        self.component = component
        self.environment = environment
        self.action = action
    }

    public var description: String { "\(action.rawValue) of \(component) in \(environment)" }
}
