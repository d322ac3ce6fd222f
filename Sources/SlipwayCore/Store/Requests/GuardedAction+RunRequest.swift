extension GuardedAction {
    /// The action a run request asks for.
    public init(_ request: RunRequest) {
        switch request {
        case .deploy: self = .deploy
        case .switchTraffic: self = .switchTraffic
        case .rollback: self = .rollback
        case .promote: self = .promote
        case .migrate: self = .applyMigrations
        }
    }
}
