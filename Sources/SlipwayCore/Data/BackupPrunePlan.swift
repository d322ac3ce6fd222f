import Foundation

/// What a prune removes under a component database's retention: backups older than
/// `backupDays` (never the newest of each kind), and WAL older than the start of the base
/// backup the point-in-time window begins from (the newest base backup at or before the
/// window's start, else the oldest kept). Timelines' `.history` files are always kept.
public struct BackupPrunePlan: Sendable, Equatable {
    public var backups: [DatabaseBackup]
    public var segments: [WALSegment]
    /// The segment the archive is kept from; nil when no base backup anchors it (all WAL kept).
    public var keptFrom: String?
    /// Backups cut short (their `backup create` killed), left as partial folders: the prune
    /// removes them too and fills this in.
    public var stalePartials: [String] = []
    /// One line per restore drill cluster left behind by a killed drill, stopped and removed.
    public var leftoverDrills: [String] = []

    public init(backups all: [DatabaseBackup], segments archive: [WALSegment], retention: DatabaseRetention, now: Date) {
        let limit = now.addingTimeInterval(-Double(retention.backupDays) * 86_400)
        var expired: [DatabaseBackup] = []
        for kind in [DatabaseBackup.Kind.base, .logical] {
            let ofKind = all.filter { $0.kind == kind }.sorted { $0.time < $1.time }
            expired += ofKind.dropLast().filter { $0.time < limit }
        }
        backups = expired
        let expiredIDs = Set(expired.map(\.id))
        let kept = all.filter { $0.kind == .base && !expiredIDs.contains($0.id) }.sorted { $0.time < $1.time }
        let windowStart = now.addingTimeInterval(-Double(retention.recoveryDays) * 86_400)
        let anchor = kept.last { $0.time <= windowStart } ?? kept.first
        guard let name = anchor?.startWAL, let start = WALSegment(name: name, archived: now, bytes: 0).position else {
            segments = []
            keptFrom = nil
            return
        }
        keptFrom = name
        segments = archive.filter { segment in segment.position.map { $0 < start } ?? false }
    }
}
