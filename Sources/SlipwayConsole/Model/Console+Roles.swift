import SlipwayCore

/// Roles in the console: a changing key the actor may not use where it would act is left out
/// of the footer and help, and refused in one line naming the role and the environment. The
/// engine checks again when the request arrives, so this only spares the operator a refusal.
extension ConsoleState {
    /// The environment a changing key would act on from the current screen, when known yet.
    var actionEnvironment: String? {
        switch screen {
        case .component: componentRows.indices.contains(selection) ? componentRows[selection].environment : nil
        case .fleet: environment
        case .runs: selectedRun?.environment
        case .releases: releasesEnvironment
        case .approvals: selectedApproval?.request.environment
        default: nil
        }
    }

    /// Why the actor may not do `action` in `environment` (the one it would act on when nil), or
    /// nil when it may: with no environment known yet, a role allowing it anywhere is enough.
    func roleRefusal(_ action: ConsoleAction, in environment: String? = nil) -> String? {
        if action == .approve, screen == .approvals, let request = selectedApproval, request.actor == header.actor {
            return "refused: \(header.actor) asked for request \(request.id) and may not approve it: "
                + "the two-person rule needs an approver other than the requester"
        }
        guard let roles = header.roles, let guarded = action.guardedAction else { return nil }
        let needed = guarded.role
        guard let environment = environment ?? actionEnvironment else {
            guard !roles.values.contains(where: { $0 >= needed }) else { return nil }
            return "refused: \(guarded.rawValue) needs the \(needed.rawValue) role; \(header.actor) has it in no environment"
        }
        let role = roles[environment] ?? .viewer
        guard role < needed else { return nil }
        return "refused: \(guarded.rawValue) in \(environment) needs the \(needed.rawValue) role; "
            + "\(header.actor) is \(role.withArticle) there"
    }

    /// The footer's hints: without what is read-only now or the actor's role does not allow here.
    var hintedBindings: [Binding] {
        bindings.available(in: context, on: screen, readOnly: isReadOnlyNow).filter { roleRefusal($0.action) == nil }
    }
}

extension ConsoleAction {
    /// What a changing action asks of the engine, for its role.
    var guardedAction: GuardedAction? {
        switch self {
        case .deploy, .retry: .deploy
        case .switchTraffic: .switchTraffic
        case .rollback: .rollback
        case .canaryPromote, .canaryPause, .canaryResume, .canaryAbort: .steerCanary
        case .approve: .approve
        case .deny: .deny
        default: nil
        }
    }
}

extension ConsoleCommandLine.Command {
    /// The changing action a `:` command asks for and where, nil for the others.
    var changing: (action: ConsoleAction, environment: String)? {
        switch self {
        case .deploy(_, let environment, _): (.deploy, environment)
        case .switchTraffic(_, let environment): (.switchTraffic, environment)
        case .rollback(_, let environment, _): (.rollback, environment)
        case .environment, .travel, .quit: nil
        }
    }
}
