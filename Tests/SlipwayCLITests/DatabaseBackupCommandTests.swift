import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway backup setup|create|list|status` and `slipway restore` as a user runs them, against
/// a cluster of the test's own (archiving needs a restart of the whole server).
@Suite(.timeLimit(.minutes(5)))
struct DatabaseBackupCommandTests {
    static let config = "databases:\n  main:\n    url_env: MAIN_DB_URL\nenvironments:\n  staging:\n    database: main\n"

    func workspace() throws -> TemporaryWorkspace {
        try TemporaryWorkspace(files: ["slipway.yml": Self.config, "services/accounts/slipway.yml": "database: {migrations: migrations/}\n"])
    }

    @Test func setupOfAServerItCannotReachFailsWithOneLine() throws {
        let workspace = try workspace()
        let nowhere = workspace.root.appendingPathComponent("no-server").path
        let result = try SlipwayProcess(workspace)(
            "backup", "setup", "accounts", "--env", "staging", environment: ["MAIN_DB_URL": "postgres://postgres@/app?host=\(nowhere)"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("cannot reach database 'main' of environment staging: "), "\(result.stderr)")
    }

    @Test func setupBackUpListStatusAndRestoreAsAUserRunsThem() async throws {
        let cluster = try await PostgresCluster.start()
        let workspace = try workspace()
        var restoredFolder: URL?
        var failure: (any Error)?
        do {
            let url = try await cluster.createDatabase()
            let database = PostgresCluster.databaseName(of: url)
            let slipway = SlipwayProcess(workspace)
            let env = ["MAIN_DB_URL": url]

            let setup = try slipway("backup", "setup", "accounts", "--env", "staging", environment: env)
            #expect(setup.status == 0, "\(setup.stderr)")
            #expect(setup.stdout.contains("set archive_mode = 'on' (was 'off')"))
            #expect(setup.stdout.contains("restart needed: "))
            try await cluster.restart()

            try await cluster.execute("CREATE TABLE notes (body text)", database: database)
            try await cluster.execute("INSERT INTO notes VALUES ('kept')", database: database)
            let created = try slipway("backup", "create", "accounts", "--env", "staging", environment: env)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.hasPrefix("backup base-"))
            let logical = try slipway("backup", "create", "accounts", "--env", "staging", "--logical", environment: env)
            #expect(logical.status == 0, "\(logical.stderr)")
            try await cluster.execute("INSERT INTO notes VALUES ('later')", database: database)
            try await Task.sleep(for: .milliseconds(100))
            let epoch = try #require(try await cluster.strings("SELECT EXTRACT(EPOCH FROM clock_timestamp())::text", database: database).first ?? nil)
            let moment = Date(timeIntervalSince1970: try #require(Double(epoch)))
            let segment = try #require(try await cluster.strings("SELECT pg_walfile_name(pg_switch_wal())", database: database).first ?? nil)
            let archived = workspace.root.appendingPathComponent(".slipway/backups/accounts/staging/wal/\(segment)")
            for _ in 0..<600 where !FileManager.default.fileExists(atPath: archived.path) {
                try await Task.sleep(for: .milliseconds(100))
            }

            let listed = try #require(try slipway.json("backup", "list", "accounts", "--env", "staging") as? [[String: Any]])
            #expect(listed.map { $0["kind"] as? String } == ["base", "logical"])
            #expect(listed.first?["start_lsn"] as? String != nil)
            #expect(FileManager.default.fileExists(
                atPath: workspace.root.appendingPathComponent(".slipway/backups/accounts/staging/\(listed[1]["id"] as? String ?? "")/dump.pgdump").path))
            let both = try slipway("backup", "list")
            #expect(both.stdout.contains("no store backups") && both.stdout.contains("database 'main' of accounts in staging: 2 backups"))

            let statuses = try #require(try slipway.json("backup", "status") as? [[String: Any]])
            #expect(statuses.first?["within_rpo"] as? Bool == true)
            #expect(statuses.first?["component"] as? String == "accounts")

            let early = try slipway("restore", "accounts", "--env", "staging", "--to", "2000-01-01T00:00:00Z", environment: env)
            #expect(early.status == 2)
            #expect(early.stderr.contains("is before the oldest base backup"), "\(early.stderr)")

            // Nothing committed after the moment: the whole archive is replayed, and said so.
            let into = workspace.root.appendingPathComponent("restored")
            restoredFolder = into
            let restored = try slipway(
                "restore", "accounts", "--env", "staging", "--to", moment.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
                "--into", into.path, environment: env)
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(restored.stdout.contains("the archive ends before that moment"))
            #expect(restored.stdout.contains("data folder \(into.path); listening on postgres://postgres@127.0.0.1:"))
        } catch {
            failure = error
        }
        if let restoredFolder { await cluster.stopServer(dataFolder: restoredFolder) }
        await cluster.stop()
        if let failure { throw failure }
    }
}
