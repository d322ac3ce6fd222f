import Foundation

/// The backups of one component's database in one environment, under
/// `.slipway/backups/<component>/<environment>/` (or the component's `backup_folder`):
/// `wal/` (the archive `archive_command` copies into), one folder per backup with its
/// `backup.json` (`data/` for a base backup, `dump.pgdump` for a logical one), and `restores/`.
public struct DatabaseBackupFolder: Sendable {
    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    public var wal: URL { root.appendingPathComponent("wal") }
    public var restores: URL { root.appendingPathComponent("restores") }

    static let metadataName = "backup.json"
    static let dumpName = "dump.pgdump"

    public func folder(of backup: DatabaseBackup) -> URL { root.appendingPathComponent(backup.id) }
    public func data(of backup: DatabaseBackup) -> URL { folder(of: backup).appendingPathComponent("data") }
    public func dump(of backup: DatabaseBackup) -> URL { folder(of: backup).appendingPathComponent(Self.dumpName) }

    /// Every backup, oldest first; folders without a readable `backup.json` are not backups.
    public func list() throws(SlipwayError) -> [DatabaseBackup] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else { return [] }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: root.path)
        } catch {
            throw .failure("cannot read the backups folder \(root.path): \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .formatted(Self.timeFormatter())
        return names.filter { !$0.hasPrefix(".") }.compactMap { name in
            let metadata = root.appendingPathComponent(name).appendingPathComponent(Self.metadataName)
            guard let data = try? Data(contentsOf: metadata), let backup = try? decoder.decode(DatabaseBackup.self, from: data),
                  backup.id == name
            else { return nil }
            return backup
        }.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

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
            throw .failure("cannot read the WAL archive \(wal.path): \(error.localizedDescription)")
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
                throw .failure("cannot remove \(path.path): \(error.localizedDescription)")
            }
        }
    }

    /// A new id such as `base-20261204T171500.123Z`, unused in the folder.
    func freshID(_ kind: DatabaseBackup.Kind, now: Date) -> String {
        let stem = "\(kind.rawValue)-\(Self.compactTime(now))"
        var id = stem
        var suffix = 1
        while FileManager.default.fileExists(atPath: root.appendingPathComponent(id).path)
            || FileManager.default.fileExists(atPath: root.appendingPathComponent(".\(id).partial").path) {
            suffix += 1
            id = "\(stem)-\(suffix)"
        }
        return id
    }

    /// A new folder under `restores/` for a restored cluster's data, named for `now`.
    func freshRestoreFolder(now: Date) -> URL {
        let stem = Self.compactTime(now)
        var candidate = restores.appendingPathComponent(stem)
        var suffix = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            suffix += 1
            candidate = restores.appendingPathComponent("\(stem)-\(suffix)")
        }
        return candidate.appendingPathComponent("data")
    }

    /// `20261204T171500.123Z`.
    static func compactTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
    }

    func write(_ backup: DatabaseBackup, in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .formatted(Self.timeFormatter())
        try encoder.encode(backup).write(to: folder.appendingPathComponent(Self.metadataName), options: .atomic)
    }

    /// RFC 3339 with milliseconds: a backup's end decides which restores it serves, so whole
    /// seconds are too coarse.
    static func timeFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter
    }

    /// The bytes of every file under `url`.
    static func size(of url: URL) -> Int64 {
        var total: Int64 = 0
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else {
            return 0
        }
        for case let file as URL in walker {
            let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values?.isRegularFile == true { total += Int64(values?.fileSize ?? 0) }
        }
        return total
    }
}
