import Foundation

/// One backup of a component's database, as `backup.json` beside it describes it: a base
/// backup of the whole cluster (`pg_basebackup`, the start of every point-in-time restore) or a
/// logical dump of the one database (`pg_dump -Fc`).
public struct DatabaseBackup: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case base, logical
    }

    public var id: String
    public var kind: Kind
    public var component: String
    public var environment: String
    /// The database's name on the server (what `pg_dump` dumped; a base backup holds them all).
    public var database: String
    /// The server's clock when the backup began.
    public var started: Date
    /// The server's clock once the backup had ended: the earliest moment it restores to.
    public var time: Date
    /// Where the base backup's WAL begins (`0/2000028`) and that WAL's segment file, from which on
    /// the archive must be kept for restores from it.
    public var startLSN: String?
    public var startWAL: String?
    public var bytes: Int64
    /// The server's major version; only that version's programs restore the backup.
    public var serverVersion: Int
    /// `plain` (a data folder) or `custom` (pg_dump's format, for pg_restore).
    public var format: String

    public init(
        id: String, kind: Kind, component: String, environment: String, database: String, started: Date, time: Date,
        startLSN: String?, startWAL: String?, bytes: Int64, serverVersion: Int, format: String
    ) {
        self.id = id
        self.kind = kind
        self.component = component
        self.environment = environment
        self.database = database
        self.started = started
        self.time = time
        self.startLSN = startLSN
        self.startWAL = startWAL
        self.bytes = bytes
        self.serverVersion = serverVersion
        self.format = format
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, component, environment, database, started, time, bytes, format
        case startLSN = "start_lsn"
        case startWAL = "start_wal"
        case serverVersion = "server_version"
    }
}
