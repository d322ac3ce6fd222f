import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Restore drills (`backup verify COMPONENT --env ENV --restore`), `backup status` against the
/// RPO and RTO, and backups cut short, as a user runs them, each test on a cluster of its own.
@Suite(.timeLimit(.minutes(5)))
struct RestoreDrillTests {
    static let config = "databases:\n  main:\n    url_env: MAIN_DB_URL\nenvironments:\n  staging:\n    database: main\n"
    static let folder = ".slipway/backups/accounts/staging"

    /// A workspace whose accounts database has archiving in force, a table `notes` holding
    /// `kept` in a base backup and `later` only in the archive, and that archived.
    struct Fixture {
        let cluster: PostgresCluster
        let workspace: TemporaryWorkspace
        let slipway: SlipwayProcess
        let database: String
        let env: [String: String]

        /// Ends the current WAL segment and waits until the archive holds it.
        func switchAndArchive() async throws -> String {
            let segment = try #require(try await cluster.strings("SELECT pg_walfile_name(pg_switch_wal())", database: database).first ?? nil)
            let archived = workspace.root.appendingPathComponent("\(RestoreDrillTests.folder)/wal/\(segment)")
            for _ in 0..<600 where !FileManager.default.fileExists(atPath: archived.path) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(FileManager.default.fileExists(atPath: archived.path), "segment \(segment) archived")
            return segment
        }

        func drilledEvents() throws -> [Event] {
            try SQLiteStore(path: workspace.statePath).latestEvents(kind: .backupDrilled, limit: 10)
        }

        func status() throws -> [String: Any] {
            let statuses = try #require(try slipway.json("backup", "status", "accounts", "--env", "staging") as? [[String: Any]])
            #expect(statuses.count == 1)
            return try #require(statuses.first)
        }

        /// No drill left its throwaway cluster behind.
        func restoresLeft() -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: workspace.root.appendingPathComponent("\(RestoreDrillTests.folder)/restores").path)) ?? []
        }
    }

    /// Runs `body` on a fresh cluster and workspace (`database:` block extended by `settings`),
    /// archiving set up; stops every server it started, throwaway ones included.
    static func withFixture(settings: String = "", backUp: Bool = true, _ body: (Fixture) async throws -> Void) async throws {
        let cluster = try await PostgresCluster.start()
        let workspace: TemporaryWorkspace
        do {
            workspace = try TemporaryWorkspace(files: [
                "slipway.yml": config, "services/accounts/slipway.yml": "database:\n  migrations: migrations/\n\(settings)",
            ])
        } catch {
            await cluster.stop()
            throw error
        }
        var failure: (any Error)?
        do {
            let url = try await cluster.createDatabase()
            let fixture = Fixture(
                cluster: cluster, workspace: workspace, slipway: SlipwayProcess(workspace), database: PostgresCluster.databaseName(of: url),
                env: ["MAIN_DB_URL": url])
            let setup = try fixture.slipway("backup", "setup", "accounts", "--env", "staging", environment: fixture.env)
            #expect(setup.status == 0, "\(setup.stderr)")
            try await cluster.restart()
            try await cluster.execute("CREATE TABLE notes (body text)", database: fixture.database)
            try await cluster.execute("INSERT INTO notes VALUES ('kept')", database: fixture.database)
            if backUp {
                let created = try fixture.slipway("backup", "create", "accounts", "--env", "staging", environment: fixture.env)
                #expect(created.status == 0, "\(created.stderr)")
                try await cluster.execute("INSERT INTO notes VALUES ('later')", database: fixture.database)
                _ = try await fixture.switchAndArchive()
            }
            try await body(fixture)
        } catch {
            failure = error
        }
        let restores = workspace.root.appendingPathComponent("\(folder)/restores")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: restores.path)) ?? [] {
            await cluster.stopServer(dataFolder: restores.appendingPathComponent(name).appendingPathComponent("data"))
        }
        await cluster.stop()
        if let failure { throw failure }
    }

    @Test func aDrillRestoresTheArchiveRecordsItsRestoreTimeAndStatusShowsIt() async throws {
        try await Self.withFixture { fixture in
            let never = try fixture.status()
            #expect(never["rto"] as? String == "unknown" && never["last_drill"] == nil, "never drilled is unknown: \(never)")

            // Not given the connection string: a drill does not contact the live server.
            let drilled = try fixture.slipway("backup", "verify", "accounts", "--env", "staging", "--restore")
            #expect(drilled.status == 0, "\(drilled.stderr)")
            #expect(drilled.stdout.hasPrefix("restore drill ok: database 'main' of accounts in staging restored from base-"), "\(drilled.stdout)")
            #expect(drilled.stdout.contains("within the RTO of 4h") && drilled.stdout.contains("1 user table, 2 rows"), "\(drilled.stdout)")
            #expect(fixture.restoresLeft().isEmpty, "the throwaway cluster is removed: \(fixture.restoresLeft())")

            let event = try #require(try fixture.drilledEvents().first)
            #expect(event.component == "accounts" && event.environment == "staging")
            #expect(event.details?.outcome == "ok" && event.details?.tag?.hasPrefix("base-") == true)
            #expect((event.details?.seconds ?? 0) > 0 && event.details?.recoveredTo != nil)

            let status = try fixture.status()
            #expect(status["rto"] as? String == "ok" && status["rpo"] as? String == "ok", "\(status)")
            #expect(status["rto_seconds"] as? Double == 14_400 && status["rpo_seconds"] as? Double == 3600)
            let drill = try #require(status["last_drill"] as? [String: Any])
            // Read back from JSON: a whole number of seconds comes as an integer, and the last digits may round.
            let seconds = (drill["seconds"] as? NSNumber)?.doubleValue
            #expect(drill["ok"] as? Bool == true && seconds.map { abs($0 - (event.details?.seconds ?? -1)) < 0.01 } == true, "\(drill)")
            let table = try fixture.slipway("backup", "status", "accounts", "--env", "staging")
            #expect(table.stdout.contains("ok (1h)") && table.stdout.contains("ok (4h)"), "\(table.stdout)")

            // verify_query instead of counting: it sees the commit only the archive held.
            try fixture.workspace.write([
                "services/accounts/slipway.yml":
                    "database:\n  migrations: migrations/\n  verify_query: SELECT string_agg(body, ',' ORDER BY body) FROM notes\n",
            ])
            let queried = try fixture.slipway("backup", "verify", "accounts", "--env", "staging", "--restore")
            #expect(queried.status == 0, "\(queried.stderr)")
            #expect(queried.stdout.contains("verify_query returned 'kept,later'"), "\(queried.stdout)")
            #expect(try fixture.drilledEvents().count == 2)
        }
    }

    @Test func aDrillOfAnArchiveMissingASegmentFailsIsRecordedAndBreachesTheRTO() async throws {
        try await Self.withFixture { fixture in
            try await fixture.cluster.execute("INSERT INTO notes VALUES ('after the gap')", database: fixture.database)
            let newest = try await fixture.switchAndArchive()
            let wal = fixture.workspace.root.appendingPathComponent("\(Self.folder)/wal")
            let segments = try FileManager.default.contentsOfDirectory(atPath: wal.path).filter { $0.count == 24 }.sorted()
            let gap = try #require(segments.dropLast().last)
            #expect(segments.last == newest)
            try FileManager.default.removeItem(at: wal.appendingPathComponent(gap))

            let drilled = try fixture.slipway("backup", "verify", "accounts", "--env", "staging", "--restore")
            #expect(drilled.status == 1)
            let lines = drilled.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains("restore drill of database 'main' of accounts in staging failed after "), "\(drilled.stderr)")
            #expect(drilled.stderr.contains("short of the archive's newest segment \(newest)"), "\(drilled.stderr)")
            #expect(fixture.restoresLeft().isEmpty, "the throwaway cluster is removed: \(fixture.restoresLeft())")

            let event = try #require(try fixture.drilledEvents().first)
            #expect(event.details?.outcome == "failed" && event.details?.reason?.contains("replay stopped") == true)

            let status = try fixture.status()
            #expect(status["rto"] as? String == "breached", "\(status)")
            #expect((status["last_drill"] as? [String: Any])?["ok"] as? Bool == false)
            let table = try fixture.slipway("backup", "status", "accounts", "--env", "staging")
            #expect(table.stdout.contains("failed") && table.stdout.contains("breached (4h)"), "\(table.stdout)")
            #expect(table.stdout.contains("last drill of accounts in staging failed: replay stopped"), "\(table.stdout)")
        }
    }

    @Test func theRPOIsBreachedWhenTheNewestRecoverablePointIsOlderThanConfigured() async throws {
        try await Self.withFixture(settings: "  rpo: 1ms\n  rto: 2h\n") { fixture in
            let status = try fixture.status()
            #expect(status["rpo"] as? String == "breached" && status["within_rpo"] as? Bool == false, "\(status)")
            #expect(status["rpo_seconds"] as? Double == 0.001 && status["rto_seconds"] as? Double == 7200)
            #expect(status["rto"] as? String == "unknown")
            let table = try fixture.slipway("backup", "status")
            #expect(table.stdout.contains("breached (1ms)") && table.stdout.contains("unknown (2h)") && table.stdout.contains("never"), "\(table.stdout)")
        }
    }

    @Test func aBackupCutShortIsNotListedAndPruneRemovesIt() async throws {
        try await Self.withFixture(backUp: false) { fixture in
            let killed = try fixture.slipway(
                "backup", "create", "accounts", "--env", "staging", environment: fixture.env.merging(["SLIPWAY_CRASH_AT": "backup-before-rename"]) { $1 })
            #expect(killed.status != 0)
            let root = fixture.workspace.root.appendingPathComponent(Self.folder)
            let partials = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".partial") }
            #expect(partials.count == 1 && partials.first?.hasPrefix(".base-") == true, "\(partials)")
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("\(partials.first ?? "")/data/PG_VERSION").path))

            let listed = try #require(try fixture.slipway.json("backup", "list", "accounts", "--env", "staging") as? [Any])
            #expect(listed.isEmpty)
            #expect(try fixture.status()["base_backups"] as? Int == 0)
            let drilled = try fixture.slipway("backup", "verify", "accounts", "--env", "staging", "--restore")
            #expect(drilled.status == 1 && drilled.stderr.contains("has no base backup to restore"), "\(drilled.stderr)")

            let pruned = try fixture.slipway("backup", "prune", "accounts", "--env", "staging")
            #expect(pruned.status == 0, "\(pruned.stderr)")
            let id = String((partials.first ?? "").dropFirst().dropLast(".partial".count))
            #expect(pruned.stdout.contains("removed the partial backup \(id) (its backup create was interrupted)"), "\(pruned.stdout)")
            #expect(pruned.stdout.contains("1 partial backups"))
            let left = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
            #expect(left.isEmpty, "\(left)")
        }
    }
}
