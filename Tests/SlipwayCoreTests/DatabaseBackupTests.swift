import Foundation
import Logging
import PostgresNIO
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Component-database backups on a real PostgreSQL: each test starts a cluster of its own, since
/// archiving is a setting of the whole server (and needs a restart), and stops every server it
/// started, restored ones included.
@Suite(.timeLimit(.minutes(5)))
struct DatabaseBackupTests {
    final class Fixture: @unchecked Sendable {
        let cluster: PostgresCluster
        let workspace: TemporaryWorkspace
        let url: String
        var restored: [URL] = []

        init(cluster: PostgresCluster, url: String, retention: String = "") throws {
            self.cluster = cluster
            self.url = url
            workspace = try TemporaryWorkspace(files: [
                "slipway.yml": """
                    databases:
                      main: {url_env: MAIN_DB_URL}
                    environments:
                      staging: {database: main}
                    """,
                "services/accounts/slipway.yml": "database:\n  migrations: migrations/\n\(retention)",
            ])
        }

        func engine() async throws -> Engine {
            try await Engine.open(workspace: workspace.root, state: workspace.statePath, environment: ["MAIN_DB_URL": url], output: { _ in })
        }

        func target(_ engine: Engine) throws -> DatabaseBackupTarget {
            try engine.databaseBackupTarget(of: engine.workspace.component(named: "accounts"), environment: "staging")
        }

        var database: String { PostgresCluster.databaseName(of: url) }

        /// Archiving set up and in force (the restart archive_mode needs).
        func archiving(_ engine: Engine) async throws {
            let setup = try await engine.setUpArchiving(target(engine))
            #expect(setup.restartNeeded)
            try await cluster.restart()
        }

        /// Ends the current WAL segment and returns once the archive holds it.
        func switchAndArchive(_ engine: Engine) async throws {
            let name = try #require(try await cluster.strings("SELECT pg_walfile_name(pg_switch_wal())", database: database).first ?? nil)
            let folder = try target(engine).folder
            for _ in 0..<600 where !(try folder.segments().contains { $0.name == name }) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try folder.segments().contains { $0.name == name }, "segment \(name) archived")
        }

        func serverTime() async throws -> Date {
            let epoch = try #require(try await cluster.strings("SELECT EXTRACT(EPOCH FROM clock_timestamp())::text", database: database).first ?? nil)
            return Date(timeIntervalSince1970: try #require(Double(epoch)))
        }
    }

    /// Runs `body` with a fresh cluster and workspace, then stops every server it started.
    static func withFixture(retention: String = "", _ body: (Fixture) async throws -> Void) async throws {
        let cluster = try await PostgresCluster.start()
        let fixture: Fixture
        do {
            fixture = try Fixture(cluster: cluster, url: try await cluster.createDatabase(), retention: retention)
        } catch {
            await cluster.stop()
            throw error
        }
        var failure: (any Error)?
        do {
            try await body(fixture)
        } catch {
            failure = error
        }
        // Also any a failed restore left running under the default restores folder.
        let restores = (try? FileManager.default.contentsOfDirectory(
            at: fixture.workspace.root.appendingPathComponent(".slipway/backups/accounts/staging/restores"), includingPropertiesForKeys: nil)) ?? []
        for folder in fixture.restored + restores.map({ $0.appendingPathComponent("data") }) {
            await cluster.stopServer(dataFolder: folder)
        }
        await cluster.stop()
        if let failure { throw failure }
    }

    @Test func aPointInTimeRestoreHoldsTheCommitBeforeTheMomentAndNotTheOneAfter() async throws {
        try await Self.withFixture { fixture in
            let engine = try await fixture.engine()
            try await fixture.archiving(engine)
            let again = try await engine.setUpArchiving(fixture.target(engine))
            #expect(again.changes.isEmpty && !again.restartNeeded, "set up already: \(again.changes)")

            try await fixture.cluster.execute("CREATE TABLE notes (body text NOT NULL)", database: fixture.database)
            let backup = try await engine.createDatabaseBackup(fixture.target(engine), logical: false)
            #expect(backup.kind == .base && backup.startLSN != nil && backup.startWAL != nil && backup.bytes > 0)
            #expect(backup.database == fixture.database)

            try await fixture.cluster.execute("INSERT INTO notes VALUES ('first')", database: fixture.database)
            try await Task.sleep(for: .milliseconds(300))
            let moment = try await fixture.serverTime()
            try await Task.sleep(for: .milliseconds(300))
            try await fixture.cluster.execute("INSERT INTO notes VALUES ('second')", database: fixture.database)
            try await fixture.switchAndArchive(engine)

            let status = try #require(try engine.databaseBackupStatus().first)
            #expect(status.source == "wal" && status.withinRPO && status.baseBackups == 1)

            let restore = try await engine.restoreDatabase(fixture.target(engine), to: moment)
            fixture.restored.append(URL(fileURLWithPath: restore.dataFolder))
            #expect(restore.backup == backup.id && !restore.reachedArchiveEnd)
            #expect(!restore.dataFolder.hasPrefix(fixture.cluster.dataFolder.path))

            let rows = try await Self.strings(
                "SELECT string_agg(body, ',' ORDER BY body) FROM notes", port: restore.port, database: fixture.database)
            #expect(rows == ["first"])
            let live = try await fixture.cluster.strings("SELECT string_agg(body, ',' ORDER BY body) FROM notes", database: fixture.database)
            #expect(live == ["first,second"])
        }
    }

    @Test func aMomentOutsideTheWindowIsRefused() async throws {
        try await Self.withFixture { fixture in
            let engine = try await fixture.engine()
            let target = try fixture.target(engine)
            await #expect { try await engine.restoreDatabase(target, to: Date()) } throws: { error in
                (error as? SlipwayError)?.message.contains("has no base backup yet") == true
            }
            let backup = try await engine.createDatabaseBackup(target, logical: false)
            await #expect { try await engine.restoreDatabase(target, to: backup.time.addingTimeInterval(-60)) } throws: { error in
                let error = error as? SlipwayError
                return error?.category == .usage && error?.message.contains("is before the oldest base backup") == true
            }
            await #expect { try await engine.restoreDatabase(target, to: backup.time.addingTimeInterval(3600)) } throws: { error in
                let error = error as? SlipwayError
                return error?.category == .usage && error?.message.contains("is after the newest archived WAL") == true
            }
            #expect(!FileManager.default.fileExists(atPath: target.folder.restores.path), "nothing restored")
        }
    }

    @Test func setupRefusesAServerItCannotReach() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": "databases:\n  main: {url_env: MAIN_DB_URL}\nenvironments:\n  staging: {database: main}\n",
            "services/accounts/slipway.yml": "database: {migrations: migrations/}\n",
        ])
        let nowhere = workspace.root.appendingPathComponent("no-server").path
        let engine = try await Engine.open(
            workspace: workspace.root, state: workspace.statePath,
            environment: ["MAIN_DB_URL": "postgres://postgres@/app?host=\(nowhere)"], output: { _ in })
        let target = try engine.databaseBackupTarget(of: engine.workspace.component(named: "accounts"), environment: "staging")
        await #expect { try await engine.setUpArchiving(target) } throws: { error in
            let error = error as? SlipwayError
            return error?.category == .failure && error?.message.hasPrefix("cannot reach database 'main' of environment staging: ") == true
                && error?.message.contains("\n") == false
        }
    }

    @Test func pruningRemovesExpiredBackupsAndTheWALNoKeptBackupNeeds() async throws {
        try await Self.withFixture(retention: "  retention: {backups: 2d, pitr: 1d}\n") { fixture in
            let engine = try await fixture.engine()
            try await fixture.archiving(engine)
            try await fixture.cluster.execute("CREATE TABLE notes (body text)", database: fixture.database)
            let old = try await engine.createDatabaseBackup(fixture.target(engine), logical: false)
            for _ in 0..<2 {
                try await fixture.cluster.execute("INSERT INTO notes VALUES ('x')", database: fixture.database)
                try await fixture.switchAndArchive(engine)
            }
            let kept = try await engine.createDatabaseBackup(fixture.target(engine), logical: false)
            let dump = try await engine.createDatabaseBackup(fixture.target(engine), logical: true)
            try await fixture.switchAndArchive(engine)
            let target = try fixture.target(engine)
            let keptStart = try #require(kept.startWAL)
            #expect(try target.folder.segments().contains { $0.isSegment && $0.name < keptStart }, "WAL from before the newer backup")

            // Today: every backup is kept, and only WAL from before the oldest one (which nothing replays onto) goes.
            let today = try await engine.pruneDatabaseBackups(target)
            let oldStart = try #require(old.startWAL)
            #expect(today.backups.isEmpty && today.keptFrom == oldStart)
            #expect(today.segments.allSatisfy { $0.name.prefix(24).dropFirst(8) < oldStart.dropFirst(8) })
            #expect(try target.folder.list().count == 3)

            let plan = try await engine.pruneDatabaseBackups(target, now: kept.time.addingTimeInterval(3 * 86_400))
            #expect(plan.backups.map(\.id) == [old.id])
            #expect(plan.keptFrom == keptStart)
            #expect(try target.folder.list().map(\.id) == [kept.id, dump.id])
            let left = try target.folder.segments().filter(\.isSegment)
            #expect(!left.isEmpty && left.allSatisfy { $0.name.dropFirst(8) >= keptStart.dropFirst(8) })
            #expect(!plan.segments.isEmpty)
        }
    }

    @Test func thePruneAnchorIsTheNewestBaseBackupBeforeTheWindowStarts() {
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        func base(_ id: String, daysAgo: Double, wal: String) -> DatabaseBackup {
            DatabaseBackup(
                id: id, kind: .base, component: "accounts", environment: "staging", database: "app",
                started: now.addingTimeInterval(-daysAgo * 86_400), time: now.addingTimeInterval(-daysAgo * 86_400),
                startLSN: nil, startWAL: wal, bytes: 1, serverVersion: 15, format: "plain")
        }
        let backups = [
            base("a", daysAgo: 40, wal: "000000010000000000000002"), base("b", daysAgo: 20, wal: "000000010000000000000005"),
            base("c", daysAgo: 10, wal: "000000010000000000000008"), base("d", daysAgo: 1, wal: "00000002000000000000000A"),
        ]
        let segments = (1...12).map { WALSegment(name: String(format: "%08X%016X", $0 < 10 ? 1 : 2, $0), archived: now, bytes: 1) }
            + [WALSegment(name: "00000002.history", archived: now, bytes: 1)]
        let plan = BackupPrunePlan(backups: backups, segments: segments, retention: DatabaseRetention(), now: now)
        #expect(plan.backups.map(\.id) == ["a"])
        // c is the newest backup at or before the window's start (7 days ago): WAL from its start on stays.
        #expect(plan.keptFrom == "000000010000000000000008")
        #expect(plan.segments.map(\.name) == (1...7).map { String(format: "00000001%016X", $0) })
    }

    @Test func aRestorePastABackupWhoseWALWasPrunedIsRefusedNamingWhereTheWindowStarts() throws {
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        func base(_ id: String, hoursAgo: Double, wal: String) -> DatabaseBackup {
            let time = now.addingTimeInterval(-hoursAgo * 3600)
            return DatabaseBackup(
                id: id, kind: .base, component: "accounts", environment: "staging", database: "app", started: time, time: time,
                startLSN: nil, startWAL: wal, bytes: 1, serverVersion: 15, format: "plain")
        }
        let backups = [base("a", hoursAgo: 10, wal: "000000010000000000000002"), base("b", hoursAgo: 5, wal: "000000010000000000000005")]
        let segments = (5...8).map { WALSegment(name: String(format: "00000001%016X", $0), archived: now, bytes: 1) }
        let chosen = try RecoveryWindow.baseBackup(for: now.addingTimeInterval(-3600), backups: backups, segments: segments, named: "db")
        #expect(chosen.id == "b")
        #expect(try RecoveryWindow.baseBackup(for: backups[0].time, backups: backups, segments: segments, named: "db").id == "a")
        #expect {
            try RecoveryWindow.baseBackup(for: now.addingTimeInterval(-7 * 3600), backups: backups, segments: segments, named: "db")
        } throws: { error in
            let message = (error as? SlipwayError)?.message ?? ""
            return message.contains("no longer holds what follows base backup a")
                && message.contains("possible from \(TimeText.rfc3339Milliseconds(backups[1].time))")
        }
    }

    /// The first column of `sql`'s rows on the restored server, over loopback TCP.
    static func strings(_ sql: String, port: Int, database: String) async throws -> [String?] {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: PostgresCluster.logger)
        var values: [String?] = []
        do {
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresCluster.logger).decode(String?.self) {
                values.append(value)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return values
    }
}
