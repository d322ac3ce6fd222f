import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A backup being made: the hidden folder `.<id>.partial` beside the finished ones, renamed to
/// `<id>` once complete, so a backup cut short (the CLI killed mid-way) is never listed. Its
/// maker holds an exclusive lock on `.<id>.partial.lock` meanwhile; the kernel releases it when
/// the maker dies, which is how a prune tells a stale partial from one still being made.
public struct PartialBackup: Sendable {
    public let id: String
    /// Where the backup's files go until it is complete.
    public let folder: URL
    let destination: URL
    let lock: URL
    private let descriptor: Int32

    static func suffix(_ id: String) -> String { ".\(id).partial" }

    /// Creates the hidden folder under `root` (and `root` when missing), private to this user.
    static func begin(_ id: String, in root: URL) throws(SlipwayError) -> PartialBackup {
        let folder = root.appendingPathComponent(suffix(id))
        let lock = root.appendingPathComponent(suffix(id) + ".lock")
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw SlipwayError(.fileAccess(.create, path: root.path, what: "the backups folder", problem: error.localizedDescription))
        }
        let descriptor = open(lock.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw SlipwayError(.fileAccess(.lock, path: lock.path, problem: reason))
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            unlink(lock.path)
            close(descriptor)
            throw SlipwayError(.fileAccess(.create, path: folder.path, problem: error.localizedDescription))
        }
        return PartialBackup(id: id, folder: folder, destination: root.appendingPathComponent(id), lock: lock, descriptor: descriptor)
    }

    /// Writes `manifest` into the folder and renames it to the backup's own name: from now on
    /// it is listed. On failure the caller abandons it (once: the lock is closed either way).
    func complete<Manifest: BackupManifest>(_ manifest: Manifest) throws(SlipwayError) {
        do {
            try Manifest.timeFormat.encoder().encode(manifest)
                .write(to: folder.appendingPathComponent(BackupFolder<Manifest>.manifestName), options: .atomic)
            try FileManager.default.moveItem(at: folder, to: destination)
        } catch {
            throw .failure("cannot keep the backup in \(destination.path): \(error.localizedDescription)")
        }
        release()
    }

    /// Removes what was made so far.
    func abandon() {
        try? FileManager.default.removeItem(at: folder)
        release()
    }

    private func release() {
        unlink(lock.path)
        close(descriptor)
    }
}
