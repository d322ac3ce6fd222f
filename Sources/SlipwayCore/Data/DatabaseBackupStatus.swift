import Foundation

/// One component database's newest recoverable point, against the seed's RPO of one hour.
public struct DatabaseBackupStatus: Codable, Sendable, Equatable {
    public static let recoveryPointObjective: Double = 3600

    public var component: String
    public var environment: String
    public var database: String
    /// The newest archived WAL segment's time, or the newest base backup's when that is newer.
    public var newestRecoverable: Date?
    /// `wal` or `base backup`.
    public var source: String?
    public var ageSeconds: Double?
    public var rpoSeconds = Self.recoveryPointObjective
    public var withinRPO: Bool
    public var baseBackups: Int
    public var logicalBackups: Int
    public var walSegments: Int

    enum CodingKeys: String, CodingKey {
        case component, environment, database, source
        case newestRecoverable = "newest_recoverable"
        case ageSeconds = "age_seconds"
        case rpoSeconds = "rpo_seconds"
        case withinRPO = "within_rpo"
        case baseBackups = "base_backups"
        case logicalBackups = "logical_backups"
        case walSegments = "wal_segments"
    }

    init(target: DatabaseBackupTarget, backups: [DatabaseBackup], segments: [WALSegment], now: Date) {
        component = target.component.name
        environment = target.environment
        database = target.databaseName
        let bases = backups.filter { $0.kind == .base }
        baseBackups = bases.count
        logicalBackups = backups.count - bases.count
        walSegments = segments.filter(\.isSegment).count
        let newestWAL = segments.filter(\.isSegment).map(\.archived).max()
        let newestBase = bases.map(\.time).max()
        // WAL with no base backup to replay it onto restores nothing.
        if let newestBase {
            if let newestWAL, newestWAL > newestBase {
                (newestRecoverable, source) = (newestWAL, "wal")
            } else {
                (newestRecoverable, source) = (newestBase, "base backup")
            }
        } else {
            (newestRecoverable, source) = (nil, nil)
        }
        ageSeconds = newestRecoverable.map { max(0, now.timeIntervalSince($0)) }
        withinRPO = ageSeconds.map { $0 <= Self.recoveryPointObjective } ?? false
    }
}
