/// Roles: every changing action asks here first. A refusal is one line naming the role needed
/// and the environment, and is recorded in the audit.
extension Engine {
    /// Who acts, as the store vouches for it.
    public var identity: ActorIdentity { store.identity }

    /// The actor's role in `environment`: admin everywhere without a `roles:` block.
    public func role(in environment: String) -> Role {
        workspace.config.roles?.role(of: identity, in: environment) ?? .admin
    }

    /// Throws (exit 1) unless the actor may do `action` in `environment`; nil means the whole
    /// workspace (a store restore), which needs the role in every environment.
    public func authorize(_ action: GuardedAction, environment: String?, component: String? = nil) throws(SlipwayError) {
        guard workspace.config.roles != nil else { return }
        for name in environment.map({ [$0] }) ?? workspace.config.environmentNames {
            let role = self.role(in: name)
            guard role < action.role else { continue }
            let refusal = SlipwayError(.accessRefused(
                action, component: component, environment: environment, actor: identity.name,
                osUser: identity.source == .declared ? identity.osUser : nil, role: role, roleEnvironment: name))
            try store.append(NewEvent(
                .accessRefused, component: component, environment: environment,
                details: EventDetails(stage: action.rawValue, outcome: action.role.rawValue, reason: refusal.message, origin: origin)))
            throw refusal
        }
    }

    /// The check for a run request, including `--override-gates`, which needs an admin.
    public func authorize(_ request: RunRequest) throws(SlipwayError) {
        try authorize(GuardedAction(request), environment: request.environment, component: request.component)
        if request.overrideGates != nil {
            try authorize(.overrideGates, environment: request.environment, component: request.component)
        }
    }
}

private extension RunRequest {
    var overrideGates: GateOverride? {
        switch self {
        case .deploy(let deploy): deploy.overrideGates
        case .rollback(let rollback): rollback.overrideGates
        case .promote(let promote): promote.overrideGates
        case .switchTraffic, .migrate: nil
        }
    }
}

extension Engine {
    /// The actor's role in each environment; nil without a `roles:` block (everyone may do everything).
    public var rolesByEnvironment: [String: Role]? {
        guard workspace.config.roles != nil else { return nil }
        return Dictionary(uniqueKeysWithValues: workspace.config.environmentNames.map { ($0, role(in: $0)) })
    }
}
