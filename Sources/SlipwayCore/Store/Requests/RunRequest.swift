/// A changing action asked of the engine, recorded in the store as `run.requested` and executed
/// by the agent (or in process with `--local`). Its JSON form is what the store keeps.
public enum RunRequest: Codable, Sendable, Equatable {
    case deploy(Deploy)
    case switchTraffic(Switch)
    case rollback(Rollback)

    public struct Deploy: Codable, Sendable, Equatable {
        public var component: String
        public var kind: Component.Kind?
        /// Resolved by the requester (from its git branch when it gave none).
        public var environment: String
        public var version: String?
        public var force: Bool

        public init(component: String, kind: Component.Kind?, environment: String, version: String?, force: Bool) {
            self.component = component
            self.kind = kind
            self.environment = environment
            self.version = version
            self.force = force
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

        public init(component: String, environment: String, version: String?, force: Bool) {
            self.component = component
            self.environment = environment
            self.version = version
            self.force = force
        }
    }

    /// The component as the requester named it.
    public var component: String {
        switch self {
        case .deploy(let deploy): deploy.component
        case .switchTraffic(let request): request.component
        case .rollback(let rollback): rollback.component
        }
    }

    public var environment: String {
        switch self {
        case .deploy(let deploy): deploy.environment
        case .switchTraffic(let request): request.environment
        case .rollback(let rollback): rollback.environment
        }
    }

    public var runKind: RunKind {
        switch self {
        case .deploy: .deploy
        case .switchTraffic: .switchTraffic
        case .rollback: .rollback
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
        }
    }
}
