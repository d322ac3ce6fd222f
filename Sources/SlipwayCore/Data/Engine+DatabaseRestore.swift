import Foundation
import Logging
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// Restores the target's database as it was at `time` into a new cluster: the newest base
    /// backup that ended before `time` is copied into a new data folder (never an existing
    /// one), set to replay the WAL archive up to `time` and promote, started on a loopback port
    /// and followed until recovery is done. The live cluster is not touched: `inPlace` is
    /// refused, as Slipway does not own the live server it would have to stop and replace.
    public func restoreDatabase(
        _ target: DatabaseBackupTarget, to time: Date, into requested: URL? = nil, port requestedPort: Int? = nil,
        inPlace: Bool = false, timeout: Duration = .seconds(3600)
    ) async throws(SlipwayError) -> DatabaseRestore {
        try authorize(.restoreDatabase, environment: target.environment, component: target.component.name)
        if inPlace { throw SlipwayError(.backup(.inPlaceOnLocalServer(of: target.description))) }
        let folder = target.folder
        let backup = try RecoveryWindow.baseBackup(
            for: time, backups: try folder.list(), segments: try folder.segments(), named: target.description)
        let programs = try await PostgresPrograms.locate(major: backup.serverVersion)
        let user = try restoringUser(target)
        let data = try newDataFolder(requested, folder: folder)
        let port: Int
        if let requestedPort { port = requestedPort } else { port = try Self.freeLoopbackPort() }
        let (socketFolder, log, reachedEnd) = try await recover(
            target, from: backup, to: time, into: data, port: port, programs: programs, user: user,
            note: "slipway restore of \(target.description) from \(backup.id)", timeout: timeout)
        let database = target.url?.database ?? "postgres"
        let userName = target.url?.user ?? "postgres"
        let restore = DatabaseRestore(
            backup: backup.id, target: time, reachedArchiveEnd: reachedEnd, dataFolder: data.path, port: port,
            socketFolder: socketFolder, url: "postgres://\(userName)@127.0.0.1:\(port)/\(database)", log: log.path)
        try store.append(NewEvent(
            .databaseRestored, component: target.component.name, environment: target.environment,
            details: EventDetails(
                reason: "restored \(target.description) to \(TimeText.rfc3339Milliseconds(time)) into \(data.path), listening on \(restore.url)",
                tag: backup.id)))
        return restore
    }

    /// Copies `backup` into the new data folder `data`, sets it to replay the WAL archive up to
    /// `time` (all of it when nil) and promote, starts it on `port` and waits until it has left
    /// recovery. Returns the folder of its socket (when the path fits), its log, and whether the
    /// archive ended before `time`.
    func recover(
        _ target: DatabaseBackupTarget, from backup: DatabaseBackup, to time: Date?, into data: URL, port: Int,
        programs: PostgresPrograms, user: ServerUser?, note: String, timeout: Duration
    ) async throws(SlipwayError) -> (socketFolder: String?, log: URL, reachedArchiveEnd: Bool) {
        let folder = target.folder
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: data.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.copyItem(at: folder.data(of: backup), to: data)
        } catch {
            throw SlipwayError(.backup(.cannotCopy(backupID: backup.id, into: data.path, problem: error.localizedDescription)))
        }
        if let user {
            try user.take(data)
            _ = try user.reach(data.deletingLastPathComponent(), openingWithin: stateFolder)
        } else {
            chmod(data.path, 0o700)
        }
        // The socket beside the data when its path fits a socket address (107 bytes).
        let socketFolder = (data.path + "/.s.PGSQL.\(port)").utf8.count < 100 ? data.path : nil
        let log = data.appendingPathComponent("slipway-restore.log")
        let settings = RestoreSettings(wal: folder.wal.path, target: time, port: port, socketFolder: socketFolder, note: note)
        try settings.write(into: data, as: user)

        var reachedEnd = false
        do {
            try await startRecovery(data: data, log: log, programs: programs, user: user, target: target, port: port, timeout: timeout)
        } catch where time != nil && Self.logSays("recovery ended before configured recovery target was reached", log) {
            // Nothing was committed after `time` in the archive: all of it is the database at `time`.
            var untargeted = settings
            untargeted.target = nil
            try untargeted.write(into: data, as: user)
            reachedEnd = true
            try await startRecovery(data: data, log: log, programs: programs, user: user, target: target, port: port, timeout: timeout)
        }
        return (socketFolder, log, reachedEnd)
    }

    /// The user the restored server runs as: when Slipway runs as root, the owner of the WAL
    /// archive (the source server's user) or else `postgres`; otherwise this process's user.
    func restoringUser(_ target: DatabaseBackupTarget) throws(SlipwayError) -> ServerUser? {
        guard getuid() == 0 else { return nil }
        if let owner = ServerUser.owner(of: target.folder.wal.path), owner.uid != 0 { return owner }
        if let postgres = ServerUser.user(named: "postgres") { return postgres }
        throw SlipwayError(.backup(.noServerUser))
    }

    /// `requested`, which must not exist or be an empty folder, or a new folder under the
    /// target's `restores/`.
    private func newDataFolder(_ requested: URL?, folder: DatabaseBackupFolder) throws(SlipwayError) -> URL {
        let manager = FileManager.default
        guard let requested else { return folder.freshRestoreFolder(now: Date()) }
        let data = requested.standardizedFileURL
        if manager.fileExists(atPath: data.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: data.path)) ?? ["?"]
            guard contents.isEmpty else {
                throw SlipwayError(.backup(.dataFolderNotEmpty(data.path)))
            }
            try? manager.removeItem(at: data)
        }
        return data
    }

    /// Starts the server and waits until it has left recovery (promoted). A server that stops
    /// on the way is reported with its log's last fatal line.
    private func startRecovery(
        data: URL, log: URL, programs: PostgresPrograms, user: ServerUser?, target: DatabaseBackupTarget, port: Int, timeout: Duration
    ) async throws(SlipwayError) {
        let seconds = Int(timeout.components.seconds)
        let started = try await programs.run(
            "pg_ctl", ["-D", data.path, "-l", log.path, "-w", "-t", String(seconds), "start"], as: user)
        guard started.status == 0 else {
            try await stopServer(data: data, programs: programs, user: user)
            throw SlipwayError(.backup(.serverDidNotStart(data: data.path, said: Self.lastProblem(in: log) ?? started.output)))
        }
        let fallback = try DatabaseURL("postgres://postgres@127.0.0.1/postgres", name: "the restored server")
        var url = target.url ?? fallback
        url.endpoint = .tcp(host: "127.0.0.1", port: port)
        url.tls = .disable
        let configuration = try url.configuration()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if try await Self.hasLeftRecovery(configuration) { return }
            guard FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) else {
                throw SlipwayError(.backup(.serverStoppedInRecovery(data: data.path, said: Self.lastProblem(in: log) ?? "see \(log.path)")))
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        try await stopServer(data: data, programs: programs, user: user)
        throw SlipwayError(.backup(.stillRecovering(data: data.path, seconds: seconds, log: log.path)))
    }

    /// Whether the server answers and is out of recovery; false while it starts or replays.
    private static func hasLeftRecovery(_ configuration: PostgresConnection.Configuration) async throws(SlipwayError) -> Bool {
        let logger = Logger(label: "slipway.restore")
        guard let connection = try? await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger) else {
            return false
        }
        var left = false
        if let rows = try? await connection.query("SELECT pg_is_in_recovery()", logger: logger) {
            do {
                for try await inRecovery in rows.decode(Bool.self) { left = !inRecovery }
            } catch {
                left = false
            }
        }
        try? await connection.close()
        return left
    }

    func stopServer(data: URL, programs: PostgresPrograms, user: ServerUser?) async throws(SlipwayError) {
        guard FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) else { return }
        _ = try await programs.run("pg_ctl", ["-D", data.path, "-m", "immediate", "-w", "stop"], as: user)
    }

    private static func logSays(_ text: String, _ log: URL) -> Bool {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains(text)
    }

    /// The last FATAL or PANIC line of the server's log.
    static func lastProblem(in log: URL) -> String? {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").last { $0.contains("FATAL:") || $0.contains("PANIC:") }
            .map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// A loopback port nobody listens on now (the kernel's pick for port 0).
    static func freeLoopbackPort() throws(SlipwayError) -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SlipwayError(.backup(.noFreePort(bound: false, problem: String(cString: strerror(errno))))) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw SlipwayError(.backup(.noFreePort(bound: true, problem: String(cString: strerror(errno))))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
