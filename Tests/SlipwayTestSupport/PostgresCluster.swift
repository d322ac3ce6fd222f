import Foundation
import Logging
import PostgresNIO
import Testing

/// A throwaway PostgreSQL cluster for one test suite's run: `initdb` and `pg_ctl` in a folder of
/// its own, listening only on a unix socket in that folder (no TCP port to collide on), with
/// trust authentication. Tests run as root and initdb refuses root, so the server runs as the
/// `postgres` OS user (Debian's package creates it), which owns the folder.
///
/// Attach `.postgresCluster` to a suite: the cluster starts before its first test and is stopped
/// (`pg_ctl stop -m immediate`) and removed after its last; each test takes a database of its own
/// with `createDatabase()`.
public final class PostgresCluster: Sendable {
    @TaskLocal public static var current: PostgresCluster?

    public let directory: URL
    let binaries: URL
    let user: String?

    /// The cluster the enclosing suite started.
    public static func shared() throws -> PostgresCluster {
        guard let current else { throw ExternalTool.Missing(description: "no PostgreSQL cluster: attach .postgresCluster to the suite") }
        return current
    }

    /// The folder of initdb, pg_ctl and postgres: `pg_config --bindir`, else the newest
    /// /usr/lib/postgresql/*/bin.
    static func binaryFolder() async throws -> URL {
        if let pgConfig = ExternalTool.path("pg_config"), let output = try? await runProgram(pgConfig, ["--bindir"]), output.status == 0 {
            let folder = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if FileManager.default.isExecutableFile(atPath: folder + "/initdb") { return URL(fileURLWithPath: folder) }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return URL(fileURLWithPath: "\(root)/\(version)/bin")
        }
        throw ExternalTool.Missing(description: "PostgreSQL's initdb was not found (pg_config --bindir, /usr/lib/postgresql/*/bin): run make test, which installs Debian's postgresql")
    }

    public static func start() async throws -> PostgresCluster {
        let binaries = try await binaryFolder()
        // A short path: the socket's path must fit in 107 bytes.
        var template = Array("/tmp/slipway-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ExternalTool.Missing(description: "cannot make a temporary folder") }
        let directory = URL(fileURLWithPath: String(cString: made))
        let user: String? = geteuid() == 0 ? "postgres" : nil
        let cluster = PostgresCluster(directory: directory, binaries: binaries, user: user)
        do {
            if let user {
                let chown = try await runProgram("/bin/chown", ["\(user):\(user)", directory.path])
                guard chown.status == 0 else { throw ExternalTool.Missing(description: "chown \(user) failed: \(chown.text)") }
            }
            let data = directory.appendingPathComponent("data").path
            try await cluster.runServerTool("initdb", [
                "-D", data, "--auth=trust", "--username=postgres", "--no-sync", "--encoding=UTF8", "--locale=C",
            ])
            try await cluster.runServerTool("pg_ctl", [
                "-D", data, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "120",
                "-o", "-k \(directory.path) -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=50",
                "start",
            ])
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    init(directory: URL, binaries: URL, user: String?) {
        self.directory = directory
        self.binaries = binaries
        self.user = user
    }

    /// Stops the server at once and removes its folder.
    public func stop() async {
        let data = directory.appendingPathComponent("data")
        if FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) {
            _ = try? await runServerTool("pg_ctl", ["-D", data.path, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The cluster's data folder.
    public var dataFolder: URL { directory.appendingPathComponent("data") }

    /// Restarts the server with the options it started with, for settings that need a restart
    /// (`archive_mode`, `wal_level`).
    public func restart() async throws {
        try await runServerTool("pg_ctl", [
            "-D", dataFolder.path, "-l", directory.appendingPathComponent("server.log").path, "-m", "fast", "-w", "-t", "120", "restart",
        ])
    }

    /// Stops at once a server some test started on another data folder (a restored cluster).
    public func stopServer(dataFolder other: URL) async {
        if FileManager.default.fileExists(atPath: other.appendingPathComponent("postmaster.pid").path) {
            _ = try? await runServerTool("pg_ctl", ["-D", other.path, "-m", "immediate", "-w", "stop"])
        }
    }

    /// A connection string for `database`, through the cluster's socket.
    public func url(database: String = "postgres") -> String {
        "postgres://postgres@/\(database)?host=\(directory.path)"
    }

    /// Creates a new empty database and returns its connection string.
    public func createDatabase() async throws -> String {
        let name = "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try await execute("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Runs `sql` (one statement) in `database` as the superuser.
    public func execute(_ sql: String, database: String = "postgres") async throws {
        try await withConnection(database: database) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
        }
    }

    /// The first column of every row `sql` returns, as text.
    public func strings(_ sql: String, database: String) async throws -> [String?] {
        try await withConnection(database: database) { connection in
            var values: [String?] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger).decode(String?.self) {
                values.append(value)
            }
            return values
        }
    }

    /// The database name of a connection string `createDatabase()` returned.
    /// A new login of `database`'s that may read the event log and nothing more; answers its name.
    public func createEventReader(of database: String) async throws -> String {
        let role = "viewer_\(database.suffix(6))"
        try await execute("CREATE ROLE \(role) LOGIN")
        for grant in [
            "GRANT USAGE ON SCHEMA slipway TO \(role)", "GRANT SELECT ON slipway.events TO \(role)",
            "GRANT SELECT ON slipway.schema_versions TO \(role)",
        ] {
            try await execute(grant, database: database)
        }
        return role
    }

    public static func databaseName(of url: String) -> String {
        URLComponents(string: url).map { String($0.path.dropFirst()) } ?? url
    }

    /// A superuser connection to `database`; the caller closes it.
    public func connect(database: String) async throws -> PostgresConnection {
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: directory.appendingPathComponent(".s.PGSQL.5432").path, username: "postgres", password: nil,
            database: database)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
    }

    func withConnection<Result>(database: String, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await connect(database: database)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    public static let logger = Logger(label: "slipway.test.postgres")

    /// Runs a server program as the cluster's OS user.
    @discardableResult
    func runServerTool(_ name: String, _ arguments: [String]) async throws -> String {
        let program = binaries.appendingPathComponent(name).path
        let output = if let user {
            try await Self.runProgram("/usr/sbin/runuser", ["-u", user, "--", program] + arguments)
        } else {
            try await Self.runProgram(program, arguments)
        }
        guard output.status == 0 else {
            throw ExternalTool.Missing(description: "\(name) failed (\(output.status)): \(output.text.suffix(600))")
        }
        return output.text
    }

    /// Runs a program to its end, its output and errors together (see `ChildProgram`).
    static func runProgram(_ path: String, _ arguments: [String]) async throws -> (status: Int32, text: String) {
        let result = try ChildProgram.run(path, arguments)
        return (result.status, result.output)
    }
}

/// Starts a `PostgresCluster` around a whole suite (once, not per test).
public struct PostgresClusterTrait: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try await PostgresCluster.start()
        do {
            try await PostgresCluster.$current.withValue(cluster) { try await function() }
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}

extension Trait where Self == PostgresClusterTrait {
    /// A throwaway PostgreSQL cluster for the suite (see `PostgresCluster`).
    public static var postgresCluster: Self { PostgresClusterTrait() }
}
