import SlipwayCore

/// Steering a canary from the component screen: each action becomes a command to the canary in
/// progress, confirmed like any other change.
extension Console {
    static func proposeCanary(_ action: ConsoleAction, in state: inout ConsoleState) {
        guard let command = action.canaryCommand else { return }
        guard let (component, environment) = target(in: state) else {
            state.statusMessage = "nothing selected"
            return
        }
        guard let canary = state.snapshot.canary(component, environment), canary.isLive else {
            state.statusMessage = "no canary of \(component) is in progress in \(environment)"
            return
        }
        let summary = switch command {
        case .promote: "promote the canary of \(component) in \(environment): all traffic to \(canary.canaryColor) \(canary.version)"
        case .pause: "pause the canary of \(component) in \(environment) at \(canary.progress.weight)%"
        case .resume: "resume the canary of \(component) in \(environment)"
        case .abort: "abort the canary of \(component) in \(environment): all traffic back to \(canary.stableColor)"
        }
        state.pending = PendingAction(
            summary: summary, request: .canary(command, component: component, environment: environment),
            environment: environment)
        state.statusMessage = nil
    }
}
