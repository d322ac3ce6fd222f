/// Where a database's backups and point-in-time restores come from: a PostgreSQL server Slipway
/// archives itself (`pg_basebackup` and WAL), or a Neon branch, whose history Neon keeps and
/// whose restores go through Neon's HTTP API.
public enum DatabaseProvider: Sendable, Equatable {
    case postgresql
    /// The Neon project and the branch that is this database (its name or `br-` ID).
    case neon(projectID: String, branch: String)

    public static let names = ["postgresql", "neon"]
    /// The variable holding the Neon API key, as neonctl reads it; a secret, masked everywhere.
    public static let neonKeyVariable = "NEON_API_KEY"

    public var name: String {
        switch self {
        case .postgresql: "postgresql"
        case .neon: "neon"
        }
    }
}
