import Foundation

/// The backups of one component's database in one environment, under
/// `.slipway/backups/<component>/<environment>/` (or the component's `backup_folder`):
/// `wal/` (the archive `archive_command` copies into), one folder per backup with its
/// `backup.json` (`data/` for a base backup, `dump.pgdump` for a logical one), and `restores/`.
public typealias DatabaseBackupFolder = BackupFolder<DatabaseBackup>

extension DatabaseBackup: BackupManifest {
    public var listedTime: Date { time }
    public static var timeFormat: BackupTimeFormat { .milliseconds }
}

extension BackupFolder where Manifest == DatabaseBackup {
    public var wal: URL { root.appendingPathComponent("wal") }
    public var restores: URL { root.appendingPathComponent("restores") }

    static var dumpName: String { "dump.pgdump" }

    public func data(of backup: DatabaseBackup) -> URL { folder(of: backup).appendingPathComponent("data") }
    public func dump(of backup: DatabaseBackup) -> URL { folder(of: backup).appendingPathComponent(Self.dumpName) }

    /// The archive's files by name (so segments in WAL order); copies still in progress
    /// (hidden names) are left out.
    public func segments() throws(SlipwayError) -> [WALSegment] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: wal.path) else { return [] }
        do {
            return try manager.contentsOfDirectory(atPath: wal.path).filter { !$0.hasPrefix(".") }.sorted().map { name in
                let attributes = try manager.attributesOfItem(atPath: wal.appendingPathComponent(name).path)
                return WALSegment(
                    name: name, archived: attributes[.modificationDate] as? Date ?? .distantPast,
                    bytes: (attributes[.size] as? NSNumber)?.int64Value ?? 0)
            }
        } catch {
            throw SlipwayError(.fileAccess(.read, path: wal.path, what: "the WAL archive", problem: error.localizedDescription))
        }
    }

    /// Removes what `plan` names: backups first, then WAL no kept backup needs.
    public func remove(_ plan: BackupPrunePlan) throws(SlipwayError) {
        let manager = FileManager.default
        let paths = plan.backups.map { folder(of: $0) } + plan.segments.map { wal.appendingPathComponent($0.name) }
        for path in paths {
            do {
                try manager.removeItem(at: path)
            } catch {
                throw SlipwayError(.fileAccess(.remove, path: path.path, problem: error.localizedDescription))
            }
        }
    }

    /// A new id such as `base-20261204T171500.123Z`, unused in the folder.
    func freshID(_ kind: DatabaseBackup.Kind, now: Date) -> String {
        freshID(kind.rawValue, now: now)
    }

    /// A new folder under `restores/` for a restored cluster's data, named for `now` (and
    /// `drill-` before it for a restore drill's throwaway cluster).
    func freshRestoreFolder(now: Date, drill: Bool = false) -> URL {
        let stem = (drill ? "drill-" : "") + Self.compactTime(now)
        var candidate = restores.appendingPathComponent(stem)
        var suffix = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            suffix += 1
            candidate = restores.appendingPathComponent("\(stem)-\(suffix)")
        }
        return candidate.appendingPathComponent("data")
    }
}
