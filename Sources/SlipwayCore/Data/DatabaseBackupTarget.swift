/// A component's database in one environment, as its backups see it: where the server is
/// (when the command needs it), where the backups go, and how long they are kept.
public struct DatabaseBackupTarget: Sendable {
    public var component: Component
    public var environment: String
    /// The database's name in the workspace's `databases:`.
    public var databaseName: String
    /// A local PostgreSQL server Slipway archives, or a Neon branch.
    public var provider: DatabaseProvider = .postgresql
    /// Nil when the connection string's variable is unset and the command did not need it.
    public var url: DatabaseURL?
    public var folder: DatabaseBackupFolder
    public var retention: DatabaseRetention
    public var objectives: RecoveryObjectives
    /// What a restore drill runs on the restored database (`verify_query`), if anything.
    public var verifyQuery: String?

    /// How messages name it: `database 'main' of accounts in staging`.
    public var description: String { "database '\(databaseName)' of \(component.name) in \(environment)" }
}
