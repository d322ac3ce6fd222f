import Foundation

/// One component database against its recovery objectives: the newest recoverable point's
/// age against the RPO, and the last restore drill's time against the RTO.
public struct DatabaseBackupStatus: Codable, Sendable, Equatable {
    public var component: String
    public var environment: String
    public var database: String
    /// `postgresql` or `neon`; absent in what earlier versions wrote, which were all `postgresql`.
    public var provider: String? = DatabaseProvider.postgresql.name
    /// The newest archived WAL segment's time, or the newest base backup's when that is newer.
    public var newestRecoverable: Date?
    /// `wal` or `base backup`.
    public var source: String?
    public var ageSeconds: Double?
    public var rpoSeconds: Double
    /// Breached also when nothing is recoverable at all.
    public var rpo: ObjectiveState
    public var withinRPO: Bool
    public var rtoSeconds: Double
    /// Unknown until a drill ran; breached when the last drill failed or took longer.
    public var rto: ObjectiveState
    public var lastDrill: RestoreDrill?
    public var baseBackups: Int
    public var logicalBackups: Int
    public var walSegments: Int
    /// With Neon: how far back the project's history reaches, read from its API.
    public var historyRetentionSeconds: Double?
    /// With Neon: the oldest moment a restore can reach.
    public var earliestRecoverable: Date?

    enum CodingKeys: String, CodingKey {
        case component, environment, database, source, rpo, rto
        case newestRecoverable = "newest_recoverable"
        case ageSeconds = "age_seconds"
        case rpoSeconds = "rpo_seconds"
        case withinRPO = "within_rpo"
        case rtoSeconds = "rto_seconds"
        case lastDrill = "last_drill"
        case baseBackups = "base_backups"
        case logicalBackups = "logical_backups"
        case walSegments = "wal_segments"
        case provider
        case historyRetentionSeconds = "history_retention_seconds"
        case earliestRecoverable = "earliest_recoverable"
    }

    init(target: DatabaseBackupTarget, backups: [DatabaseBackup], segments: [WALSegment], lastDrill: RestoreDrill?, now: Date) {
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
        rpoSeconds = target.objectives.point
        withinRPO = ageSeconds.map { $0 <= target.objectives.point } ?? false
        rpo = withinRPO ? .ok : .breached
        rtoSeconds = target.objectives.time
        self.lastDrill = lastDrill
        rto = switch lastDrill {
        case nil: .unknown
        case let drill? where drill.ok && drill.seconds <= target.objectives.time: .ok
        case _?: .breached
        }
    }

    /// A Neon database before its API was asked: unknown, as Neon keeps the history.
    init(neon target: DatabaseBackupTarget) {
        component = target.component.name
        environment = target.environment
        database = target.databaseName
        provider = target.provider.name
        rpoSeconds = target.objectives.point
        rpo = .unknown
        withinRPO = false
        rtoSeconds = target.objectives.time
        rto = .unknown
        baseBackups = 0
        logicalBackups = 0
        walSegments = 0
    }

    /// Neon's history as its API reported it at `now`: every commit up to now is recoverable,
    /// back to `earliest`.
    mutating func read(neonHistory retention: Double, earliest: Date, now: Date) {
        historyRetentionSeconds = retention
        earliestRecoverable = earliest
        newestRecoverable = now
        source = "neon history"
        ageSeconds = 0
        withinRPO = true
        rpo = .ok
    }
}
