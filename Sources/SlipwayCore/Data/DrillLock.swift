import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The lock a restore drill holds on `restores/.drill-<time>.lock` while its throwaway cluster
/// `restores/drill-<time>/` exists. The kernel releases it when the drill dies (kill -9
/// included), which is how the next drill or prune tells a leftover cluster from a running one.
struct DrillLock: Sendable {
    let path: URL
    private let descriptor: Int32

    private init(path: URL, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    static func path(of cluster: URL) -> URL {
        cluster.deletingLastPathComponent().appendingPathComponent("." + cluster.lastPathComponent + ".lock")
    }

    /// The lock of the drill cluster folder `cluster`; nil while another process holds it.
    static func take(for cluster: URL) throws(SlipwayError) -> DrillLock? {
        let file = path(of: cluster)
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw SlipwayError(.fileAccess(.create, path: file.deletingLastPathComponent().path, problem: error.localizedDescription))
        }
        let descriptor = open(file.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SlipwayError(.fileAccess(.open, path: file.path, problem: String(cString: strerror(errno)))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return DrillLock(path: file, descriptor: descriptor)
    }

    /// Once the cluster folder is gone: the lock file goes too.
    func release() {
        unlink(path.path)
        close(descriptor)
    }
}
