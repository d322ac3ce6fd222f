import SlipwayCore

/// What a confirmed console action asks of the engine: a run (executed by the agent, so it goes
/// on after the console quits), a command to a canary in progress, or a decision on a request
/// awaiting approval.
enum ConsoleRequest: Equatable, Sendable {
    case run(RunRequest)
    case canary(CanaryCommand.Kind, component: String, environment: String)
    case approve(requestID: String, what: String)
    case deny(requestID: String, what: String, reason: String)

    /// One line for the status bar: `switch accounts in staging`.
    var title: String {
        switch self {
        case .run(let request): request.title
        case .canary(let command, let component, let environment): "canary \(command.rawValue) \(component) in \(environment)"
        case .approve(let id, let what): "approve request \(id) (\(what))"
        case .deny(let id, let what, _): "deny request \(id) (\(what))"
        }
    }
}
