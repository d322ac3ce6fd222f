import Foundation
import GRDB

/// The backups of Slipway's own store, one folder each under `.slipway/backups/`: the copy
/// (`store.db`, a self-contained SQLite file) and `backup.json`.
public typealias StoreBackupFolder = BackupFolder<StoreBackup>

extension StoreBackup: BackupManifest {
    public var listedTime: Date { created }
    public static var timeFormat: BackupTimeFormat { .seconds }
}

extension BackupFolder where Manifest == StoreBackup {
    /// The folder beside the store at `statePath` (`<workspace>/.slipway/backups`).
    public init(statePath: URL) {
        self.init(root: statePath.deletingLastPathComponent().appendingPathComponent("backups"))
    }

    static var copyName: String { "store.db" }

    public func copy(of backup: StoreBackup) -> URL {
        folder(of: backup).appendingPathComponent(Self.copyName)
    }

    /// Copies `store` with SQLite's online backup: the copy is one read transaction's snapshot,
    /// so writers (the agent, other commands) go on meanwhile and none of their transactions
    /// is split.
    /// `progress` hears the pages copied and the pages in all, about every megabyte.
    public func create(
        from store: SQLiteStore, now: Date = Date(), note: String? = nil,
        progress: ((_ copied: Int, _ total: Int) -> Void)? = nil
    ) throws(SlipwayError) -> StoreBackup {
        let id = freshID("store", now: now)
        let manager = FileManager.default
        // Built under a partial name and renamed at the end: a half-made backup is never listed.
        let partial = try begin(id)
        do {
            let copyPath = partial.folder.appendingPathComponent(Self.copyName)
            let destination = try DatabaseQueue(path: copyPath.path)
            // In steps of a megabyte, to report progress; GRDB holds one read transaction around
            // all of them, so the copy is still one snapshot (StoreBackupTests copy under writes).
            try store.pool.backup(to: destination, pagesPerStep: 256) { step in
                progress?(step.completedPageCount, step.totalPageCount)
            }
            // The copy inherits WAL mode; a rollback journal keeps it one file that opens read-only.
            let events = try destination.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                return try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0
            }
            try destination.close()
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copyPath.path)
            let size = (try manager.attributesOfItem(atPath: copyPath.path)[.size] as? NSNumber)?.int64Value ?? 0
            let backup = StoreBackup(
                id: id, created: now, events: events, bytes: size, source: store.path.path,
                slipwayVersion: SlipwayVersion.current, note: note)
            try partial.complete(backup)
            return backup
        } catch {
            partial.abandon()
            throw StoreFault.error(error, path: store.path, doing: "cannot back up the store")
        }
    }

    public func backup(id: String) throws(SlipwayError) -> StoreBackup {
        let all = try list()
        guard let backup = all.first(where: { $0.id == id }) else {
            let known = all.isEmpty ? "there are none in \(root.path)" : "known: \(all.suffix(5).map(\.id).joined(separator: ", "))"
            throw .usage(ConfigText.escaped("no store backup '\(id)' (\(known))"))
        }
        return backup
    }

    /// Opens the copy read-only: SQLite's integrity check, event ids without a gap, the events
    /// the metadata promises, and the stored projection equal to its events folded again.
    public func verify(_ backup: StoreBackup) -> StoreCheck {
        let path = copy(of: backup)
        var check = StoreCheck(path: path)
        guard FileManager.default.fileExists(atPath: path.path) else {
            check.problems.append("the copy \(path.path) is missing")
            return check
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path.path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let findings = try String.fetchAll(db, sql: "PRAGMA integrity_check(\(StoreCheck.findingLimit))")
                guard findings == ["ok"] else {
                    check.problems += findings.map { "integrity: \(StoreFault.escaped($0))" }
                    return
                }
                let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(MIN(id), 1), COALESCE(MAX(id), 0) FROM events")
                let (count, first, last): (Int64, Int64, Int64) = (row?[0] ?? 0, row?[1] ?? 1, row?[2] ?? 0)
                check.events = last
                if first != 1 || count != last {
                    check.problems.append("the events are not contiguous: \(count) events with ids \(first) to \(last)")
                }
                if last != backup.events {
                    check.problems.append("the copy holds events up to \(last), its metadata says \(backup.events)")
                }
                if try SQLiteStore.fold(in: db) != SQLiteStore.storedProjection(in: db) {
                    check.problems.append("the stored projection differs from the events folded again")
                }
            }
        } catch {
            check.problems.append(StoreFault.error(error, path: path).message)
        }
        return check
    }

    /// Puts `backup` in the place of the store at `statePath`, keeping the store it replaces as
    /// a backup of its own (moved, not copied: a damaged store is kept as it was), then records
    /// `store.restored` in the restored store. Whoever calls this has made sure no agent runs.
    public func restore(_ backup: StoreBackup, to statePath: URL, now: Date = Date()) throws(SlipwayError) -> (restored: EventStore, keptAside: StoreBackup?) {
        let check = verify(backup)
        guard check.isSound else {
            throw SlipwayError(.backup(.doesNotVerify(backupID: backup.id, problem: check.problems[0])))
        }
        let manager = FileManager.default
        var keptAside: StoreBackup?
        do {
            if manager.fileExists(atPath: statePath.path) {
                keptAside = try keepAside(statePath, replacedBy: backup, now: now)
            }
            let incoming = statePath.appendingPathExtension("restoring")
            try? manager.removeItem(at: incoming)
            try manager.copyItem(at: copy(of: backup), to: incoming)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: incoming.path)
            for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: statePath.path + suffix) }
            try manager.moveItem(at: incoming, to: statePath)
        } catch let error as SlipwayError {
            throw error
        } catch {
            throw SlipwayError(.backup(.cannotRestore(backupID: backup.id, to: statePath.path, problem: error.localizedDescription)))
        }
        let store = try SQLiteStore(path: statePath)
        let aside = keptAside.map { "the store it replaced is backup \($0.id)" } ?? "there was no store before"
        try store.append(NewEvent(.storeRestored, details: EventDetails(
            reason: "restored backup \(backup.id) of \(TimeText.rfc3339(backup.created)) (events up to \(backup.events)); \(aside)",
            tag: backup.id)))
        return (store, keptAside)
    }

    /// Moves the store's files (main, WAL and shared memory together, so nothing committed is
    /// lost) into a backup folder of their own, folded into one file when SQLite can. Made in
    /// place, not as a partial: cut short, it holds the only copy of that store, which a prune of
    /// stale partials would delete.
    private func keepAside(_ statePath: URL, replacedBy backup: StoreBackup, now: Date) throws -> StoreBackup {
        let manager = FileManager.default
        let id = freshID("store", now: now)
        let folder = root.appendingPathComponent(id)
        try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let copyPath = folder.appendingPathComponent(Self.copyName)
        for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: statePath.path + suffix) {
            try manager.moveItem(atPath: statePath.path + suffix, toPath: copyPath.path + suffix)
        }
        var events: Int64 = 0
        if let queue = try? DatabaseQueue(path: copyPath.path) {
            events = (try? queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") }) ?? 0
            // Another process still reading the old file keeps it in WAL mode: its -wal stays beside it.
            try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try? queue.close()
        }
        let size = (try? manager.attributesOfItem(atPath: copyPath.path)[.size] as? NSNumber)?.int64Value ?? 0
        let aside = StoreBackup(
            id: id, created: now, events: events, bytes: size, source: statePath.path, slipwayVersion: SlipwayVersion.current,
            note: "the store replaced by restoring \(backup.id)")
        try write(aside, in: folder)
        return aside
    }

    /// Removes the backups `retention` no longer keeps, oldest first, never `keeping`.
    public func prune(_ retention: BackupSettings.Retention, now: Date = Date(), keeping kept: String? = nil) throws(SlipwayError) -> [StoreBackup] {
        let all = try list()
        let expired: [StoreBackup]
        switch retention {
        case .count(let count):
            expired = Array(all.dropLast(count))
        case .days(let days):
            let limit = now.addingTimeInterval(-Double(days) * 86_400)
            expired = all.filter { $0.created < limit }
        }
        var removed: [StoreBackup] = []
        for backup in expired where backup.id != kept {
            do {
                try FileManager.default.removeItem(at: root.appendingPathComponent(backup.id))
            } catch {
                throw SlipwayError(.fileAccess(
                    .remove, path: root.appendingPathComponent(backup.id).path, what: "the expired backup", problem: error.localizedDescription))
            }
            removed.append(backup)
        }
        return removed
    }
}
