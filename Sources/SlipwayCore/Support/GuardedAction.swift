/// A change that needs a role in the environment it changes (`roles:` in `slipway.yml`).
public enum GuardedAction: String, Sendable, Equatable, CaseIterable {
    case deploy
    case switchTraffic = "switch"
    case rollback
    case promote
    case steerCanary = "canary steering"
    case cancel
    case pipeline
    case applyMigrations = "migrate apply"
    case silenceAlerts = "alerts silence"
    case approve
    case deny
    case overrideGates = "--override-gates"
    case repairMigrations = "migrate repair"
    case restoreStore = "backup restore"
    case setUpBackups = "backup setup"
    case restoreDatabase = "restore"
    case rebuildProjection = "projection rebuild"

    /// The least role that may do it.
    public var role: Role {
        switch self {
        case .deploy, .switchTraffic, .rollback, .promote, .steerCanary, .cancel, .pipeline, .applyMigrations, .silenceAlerts,
             .rebuildProjection:
            .deployer
        case .approve, .deny:
            .approver
        case .overrideGates, .repairMigrations, .restoreStore, .setUpBackups, .restoreDatabase:
            .admin
        }
    }
}
