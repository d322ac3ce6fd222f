import Foundation
import GRDB

/// Refuses every commit once the store's file is no longer the one this process opened (removed,
/// or replaced by another file): writing on into a deleted file would lose it all silently.
final class StoreFileGuard: TransactionObserver, Sendable {
    struct Identity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64

        /// The identity of the file at `path` now, or nil when there is none.
        static func of(_ path: String) -> Identity? {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        }
    }

    /// Thrown from a commit into a store whose file was removed or replaced; rolls it back.
    struct FileReplaced: Error {
        var path: String
        var removed: Bool

        var message: String {
            "the store file \(path) was \(removed ? "removed" : "replaced by another file") after this process opened it, so nothing "
                + "more is written to it; recover what the agent knows with 'slipway store rebuild --from-agent'"
        }
    }

    let path: String
    let opened: Identity?

    init(path: String) {
        self.path = path
        opened = Identity.of(path)
    }

    /// Nil while the file is the one opened; else why not.
    var fault: FileReplaced? {
        let now = Identity.of(path)
        return now == opened ? nil : FileReplaced(path: path, removed: now == nil)
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws {
        if let fault { throw fault }
    }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}
