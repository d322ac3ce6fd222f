import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A folder of backups, one subfolder each named by its id with a `backup.json` manifest
/// (`StoreBackupFolder` for Slipway's own store, `DatabaseBackupFolder` for a component's
/// database). Backups are made under a hidden partial name and renamed when complete.
public struct BackupFolder<Manifest: BackupManifest>: Sendable {
    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    static var manifestName: String { "backup.json" }

    public func folder(of backup: Manifest) -> URL { root.appendingPathComponent(backup.id) }

    /// Every backup, oldest first; folders without a readable manifest naming them (partial
    /// ones, `wal/`, `restores/`) are not backups.
    public func list() throws(SlipwayError) -> [Manifest] {
        let decoder = Manifest.timeFormat.decoder()
        return try names().compactMap { name in
            let path = root.appendingPathComponent(name).appendingPathComponent(Self.manifestName)
            guard let data = try? Data(contentsOf: path), let backup = try? decoder.decode(Manifest.self, from: data), backup.id == name
            else { return nil }
            return backup
        }.sorted { ($0.listedTime, $0.id) < ($1.listedTime, $1.id) }
    }

    /// `<prefix>-20261204T171500.123Z`, with a suffix when two are made within one millisecond.
    func freshID(_ prefix: String, now: Date) -> String {
        let stem = "\(prefix)-\(Self.compactTime(now))"
        var id = stem
        var suffix = 1
        while FileManager.default.fileExists(atPath: root.appendingPathComponent(id).path)
            || FileManager.default.fileExists(atPath: root.appendingPathComponent(PartialBackup.suffix(id)).path) {
            suffix += 1
            id = "\(stem)-\(suffix)"
        }
        return id
    }

    /// Starts the backup `id` in a partial folder of its own.
    func begin(_ id: String) throws(SlipwayError) -> PartialBackup {
        try PartialBackup.begin(id, in: root)
    }

    /// Writes `backup`'s manifest into `folder` (a backup made in place, not through a partial).
    func write(_ backup: Manifest, in folder: URL) throws {
        try Manifest.timeFormat.encoder().encode(backup).write(to: folder.appendingPathComponent(Self.manifestName), options: .atomic)
    }

    /// The partial folders whose maker is gone (nobody holds their lock), removed; their ids.
    /// One still being made is left alone.
    public func removeStalePartials() throws(SlipwayError) -> [String] {
        var removed: [String] = []
        for name in try names(hidden: true) where name.hasPrefix(".") && name.hasSuffix(".partial") {
            let id = String(name.dropFirst().dropLast(".partial".count))
            let lock = root.appendingPathComponent(name + ".lock")
            let descriptor = open(lock.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw SlipwayError(.fileAccess(.open, path: lock.path, problem: String(cString: strerror(errno)))) }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            let folder = root.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: folder.path) {
                do {
                    try FileManager.default.removeItem(at: folder)
                } catch {
                    throw SlipwayError(.fileAccess(.remove, path: folder.path, what: "the partial backup", problem: error.localizedDescription))
                }
                removed.append(id)
            }
            unlink(lock.path)
        }
        return removed.sorted()
    }

    private func names(hidden: Bool = false) throws(SlipwayError) -> [String] {
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: root.path).filter { hidden || !$0.hasPrefix(".") }
        } catch {
            throw SlipwayError(.fileAccess(.read, path: root.path, what: "the backups folder", problem: error.localizedDescription))
        }
    }

    /// `20261204T171500.123Z`.
    static func compactTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
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
