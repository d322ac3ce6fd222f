/// A changing action asked of the engine, recorded in the store as `run.requested` and executed
/// by the agent (or in process with `--local`). Its JSON form, what the store keeps, is one flat
/// object: `{"action": "deploy" | "switch" | "rollback" | "promote" | "migrate", "component": ...,
/// "environment": ..., "version"?, "force"?, "reason"?, "override_gates"?, "kind"?, "color"?, "from"?, "group"?}` (a
/// promotion's environment is where it goes).
public enum RunRequest: Codable, Sendable, Equatable {
    case deploy(Deploy)
    case switchTraffic(Switch)
    case rollback(Rollback)
    /// The release live and healthy in `from`, deployed exactly to `to`.
    case promote(Promote)
    /// The component's pending migrations applied to the environment's database.
    case migrate(Migrate)

    public struct Deploy: Codable, Sendable, Equatable {
        public var component: String
        public var kind: ComponentKind?
        /// Resolved by the requester (from its git branch when it gave none).
        public var environment: String
        public var version: String?
        public var force: Bool
        public var overrideGates: GateOverride?
        /// The `deploy-all` it is one of: the agent runs at most the workspace's `parallelism` of
        /// one group at once, whether or not its requester is still there.
        public var group: String?

        public init(
            component: String, kind: ComponentKind?, environment: String, version: String?, force: Bool,
            overrideGates: GateOverride? = nil, group: String? = nil
        ) {
            self.component = component
            self.kind = kind
            self.environment = environment
            self.version = version
            self.force = force
            self.overrideGates = overrideGates
            self.group = group
        }
    }

    public struct Switch: Codable, Sendable, Equatable {
        public var component: String
        public var environment: String
        public var color: SlotColor?

        public init(component: String, environment: String, color: SlotColor?) {
            self.component = component
            self.environment = environment
            self.color = color
        }
    }

    public struct Rollback: Codable, Sendable, Equatable {
        public var component: String
        public var environment: String
        public var version: String?
        public var force: Bool
        /// Why a forced rollback goes over a migration old code cannot run on: recorded in the audit.
        public var reason: String?
        public var overrideGates: GateOverride?

        public init(
            component: String, environment: String, version: String?, force: Bool, reason: String? = nil,
            overrideGates: GateOverride? = nil
        ) {
            self.component = component
            self.environment = environment
            self.version = version
            self.force = force
            self.reason = reason
            self.overrideGates = overrideGates
        }
    }

    public struct Promote: Codable, Sendable, Equatable {
        public var component: String
        public var from: String
        public var to: String
        public var overrideGates: GateOverride?

        public init(component: String, from: String, to: String, overrideGates: GateOverride? = nil) {
            self.component = component
            self.from = from
            self.to = to
            self.overrideGates = overrideGates
        }
    }

    public struct Migrate: Codable, Sendable, Equatable {
        public var component: String
        public var environment: String

        public init(component: String, environment: String) {
            self.component = component
            self.environment = environment
        }
    }

    /// The component as the requester named it.
    public var component: String {
        switch self {
        case .deploy(let deploy): deploy.component
        case .switchTraffic(let request): request.component
        case .rollback(let rollback): rollback.component
        case .promote(let promote): promote.component
        case .migrate(let migrate): migrate.component
        }
    }

    /// The environment whose traffic the request changes.
    public var environment: String {
        switch self {
        case .deploy(let deploy): deploy.environment
        case .switchTraffic(let request): request.environment
        case .rollback(let rollback): rollback.environment
        case .promote(let promote): promote.to
        case .migrate(let migrate): migrate.environment
        }
    }

    /// The `deploy-all` the request is one of, if any.
    public var group: String? {
        if case .deploy(let deploy) = self { deploy.group } else { nil }
    }

    public var runKind: RunKind {
        switch self {
        case .deploy: .deploy
        case .switchTraffic: .switchTraffic
        case .rollback: .rollback
        case .promote: .deploy
        case .migrate: .migrate
        }
    }

    /// One line for people: `deploy accounts to staging`.
    public var title: String {
        switch self {
        case .deploy(let deploy):
            "deploy \(deploy.component)\(deploy.version.map { " \($0)" } ?? "") to \(deploy.environment)"
        case .switchTraffic(let request):
            "switch \(request.component) in \(request.environment)\(request.color.map { " to \($0)" } ?? "")"
        case .rollback(let rollback):
            "rollback \(rollback.component) in \(rollback.environment)\(rollback.version.map { " to \($0)" } ?? "")"
        case .promote(let promote):
            "promote \(promote.component) from \(promote.from) to \(promote.to)"
        case .migrate(let migrate):
            "migrate \(migrate.component) in \(migrate.environment)"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case action, component, environment, version, force, kind, color, from, reason, group
        case overrideGates = "override_gates"
    }

    private enum Action: String, Codable {
        case deploy
        case switchTraffic = "switch"
        case rollback
        case promote
        case migrate
    }

    private var action: Action {
        switch self {
        case .deploy: .deploy
        case .switchTraffic: .switchTraffic
        case .rollback: .rollback
        case .promote: .promote
        case .migrate: .migrate
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let component = try container.decode(String.self, forKey: .component)
        let environment = try container.decode(String.self, forKey: .environment)
        let version = try container.decodeIfPresent(String.self, forKey: .version)
        let force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
        let overrideGates = try container.decodeIfPresent(String.self, forKey: .overrideGates).map(GateOverride.init(reason:))
        switch try container.decode(Action.self, forKey: .action) {
        case .deploy:
            self = .deploy(.init(
                component: component, kind: try container.decodeIfPresent(ComponentKind.self, forKey: .kind),
                environment: environment, version: version, force: force, overrideGates: overrideGates,
                group: try container.decodeIfPresent(String.self, forKey: .group)))
        case .switchTraffic:
            self = .switchTraffic(.init(
                component: component, environment: environment, color: try container.decodeIfPresent(SlotColor.self, forKey: .color)))
        case .rollback:
            self = .rollback(.init(
                component: component, environment: environment, version: version, force: force,
                reason: try container.decodeIfPresent(String.self, forKey: .reason), overrideGates: overrideGates))
        case .promote:
            self = .promote(.init(
                component: component, from: try container.decode(String.self, forKey: .from), to: environment, overrideGates: overrideGates))
        case .migrate:
            self = .migrate(.init(component: component, environment: environment))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(action, forKey: .action)
        try container.encode(component, forKey: .component)
        try container.encode(environment, forKey: .environment)
        switch self {
        case .deploy(let deploy):
            try container.encodeIfPresent(deploy.kind, forKey: .kind)
            try container.encodeIfPresent(deploy.version, forKey: .version)
            try container.encode(deploy.force, forKey: .force)
            try container.encodeIfPresent(deploy.overrideGates?.reason, forKey: .overrideGates)
            try container.encodeIfPresent(deploy.group, forKey: .group)
        case .switchTraffic(let request):
            try container.encodeIfPresent(request.color, forKey: .color)
        case .rollback(let rollback):
            try container.encodeIfPresent(rollback.version, forKey: .version)
            try container.encode(rollback.force, forKey: .force)
            try container.encodeIfPresent(rollback.reason, forKey: .reason)
            try container.encodeIfPresent(rollback.overrideGates?.reason, forKey: .overrideGates)
        case .promote(let promote):
            try container.encode(promote.from, forKey: .from)
            try container.encodeIfPresent(promote.overrideGates?.reason, forKey: .overrideGates)
        case .migrate:
            break
        }
    }
}
