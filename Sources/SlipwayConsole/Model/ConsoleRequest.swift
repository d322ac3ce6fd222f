import SlipwayCore

/// What a confirmed console action asks of the engine: a run (executed by the agent, so it goes
/// on after the console quits) or a command to a canary in progress.
enum ConsoleRequest: Equatable, Sendable {
    case run(RunRequest)
    case canary(CanaryCommand.Kind, component: String, environment: String)

    /// One line for the status bar: `switch accounts in staging`.
    var title: String {
        switch self {
        case .run(let request): request.title
        case .canary(let command, let component, let environment): "canary \(command.rawValue) \(component) in \(environment)"
        }
    }
}
