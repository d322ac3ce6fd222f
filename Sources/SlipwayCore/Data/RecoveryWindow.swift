import Foundation

/// The moments a component database can be restored to: from the oldest base backup's end to
/// the newest WAL segment in the archive (or the newest base backup, when it is newer).
public struct RecoveryWindow: Sendable, Equatable {
    public var earliest: Date
    public var latest: Date

    /// Nil when there is no base backup yet.
    public init?(backups: [DatabaseBackup], segments: [WALSegment]) {
        let bases = backups.filter { $0.kind == .base }
        guard let oldest = bases.map(\.time).min(), let newest = bases.map(\.time).max() else { return nil }
        earliest = oldest
        latest = max(newest, segments.filter(\.isSegment).map(\.archived).max() ?? newest)
    }

    /// The base backup a restore to `time` starts from: the newest that ended at or before it,
    /// provided the archive holds the WAL from its start on when `time` is past its end.
    public static func baseBackup(
        for time: Date, backups: [DatabaseBackup], segments: [WALSegment], named what: String
    ) throws(SlipwayError) -> DatabaseBackup {
        guard let window = RecoveryWindow(backups: backups, segments: segments) else {
            throw SlipwayError(.backup(.noBaseBackup(of: what, forRestore: false)))
        }
        let bases = backups.filter { $0.kind == .base }.sorted { $0.time < $1.time }
        guard time >= window.earliest, let chosen = bases.last(where: { $0.time <= time }) else {
            throw SlipwayError(.backup(.beforeOldest(time, of: what, earliest: window.earliest, latest: window.latest)))
        }
        guard time <= window.latest else {
            throw SlipwayError(.backup(.afterNewest(time, of: what, earliest: window.earliest, latest: window.latest)))
        }
        let oldest = segments.compactMap(\.position).min()
        let start = chosen.startWAL.flatMap { WALSegment(name: $0, archived: chosen.time, bytes: 0).position }
        if time > chosen.time, let start, oldest.map({ $0 > start }) ?? true {
            let replayable = bases.first { base in
                guard let position = base.startWAL.flatMap({ WALSegment(name: $0, archived: base.time, bytes: 0).position }) else { return false }
                return oldest.map { position >= $0 } ?? false
            }
            throw .usage(
                "restore to \(TimeText.rfc3339Milliseconds(time)) refused: the WAL archive of \(what) no longer holds what follows base backup \(chosen.id); "
                    + (replayable.map { "restores past a backup's end are possible from \(TimeText.rfc3339Milliseconds($0.time))" } ?? "restore to a backup's own end instead"))
        }
        return chosen
    }
}
