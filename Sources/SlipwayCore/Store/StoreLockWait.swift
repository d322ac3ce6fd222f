import Foundation

/// SQLite's busy handler for the store: retries while another process holds the write lock, says
/// once (after a second) who holds it, and gives up after the lock timeout.
final class StoreLockWait: @unchecked Sendable {
    private let path: URL
    private let timeout: TimeInterval
    private let notice: @Sendable (String) -> Void
    private let lock = NSLock()
    private var started: Date?
    private var said = false

    /// How long a wait lasts before it is said, and the pause between two tries.
    static let quietPeriod: TimeInterval = 1
    static let retryPause: useconds_t = 20_000

    init(path: URL, timeout: TimeInterval, notice: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.timeout = timeout
        self.notice = notice
    }

    /// Whether SQLite should try again; `tries` is 0 on the first call of one wait.
    func shouldRetry(tries: Int) -> Bool {
        let now = Date()
        let (waited, sayNow): (TimeInterval, Bool) = lock.withLock {
            if tries == 0 || started == nil { started = now; said = false }
            let waited = now.timeIntervalSince(started ?? now)
            let sayNow = !said && waited >= Self.quietPeriod
            if sayNow { said = true }
            return (waited, sayNow)
        }
        guard waited < timeout else { return false }
        if sayNow {
            let holders = FileLockHolder.holders(of: [path.path, path.path + "-shm", path.path + "-wal"])
            let who = holders.isEmpty ? "another process" : holders.map(\.description).joined(separator: ", ")
            notice("waiting for the store \(path.path): \(who) holds its write lock; giving up after \(DurationText.format(timeout)) (--lock-timeout)")
        }
        // Synchronous on purpose: SQLite calls its busy handler inside sqlite3_step, on the thread
        // doing the write, and tries again when it returns; there is nothing to await there (its own
        // sqlite3_busy_timeout sleeps the same way).
        usleep(Self.retryPause)
        return true
    }
}
