import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A Neon database (`provider: neon`) behind `backup create|status` and `restore`, through the
/// real binary against the Neon API stand-in (not Neon: its API cannot be reached from tests).
/// Every result is read back from the stand-in's own state, not from what Slipway printed.
@Suite(.timeLimit(.minutes(5)))
struct NeonProviderTests {
    static let config = """
        databases:
          neon-main:
            provider: neon
            project_id: shy-sun-123456
            branch: main
        environments:
          production:
            database: neon-main

        """

    func workspace() throws -> TemporaryWorkspace {
        try TemporaryWorkspace(files: [
            "slipway.yml": Self.config,
            "services/accounts/slipway.yml": "database:\n  migrations: migrations/\n  projections:\n    - {name: orders_view, rebuild: sh rebuild.sh}\n",
        ])
    }

    /// `2026-12-05T01:02:03Z`: a moment to the second, as the stand-in writes timestamps back.
    func moment(secondsAgo: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - secondsAgo).rounded(.down)))
    }

    func posts(_ neon: NeonStandin) throws -> [[String: Any]] {
        try neon.log().filter { $0["method"] as? String == "POST" }
    }

    @Test func aBackupIsAChildBranchAndStatusShowsNeonsHistoryWindow() throws {
        let neon = try NeonStandin(retention: 7 * 86400)
        defer { neon.stop() }
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)

        let created = try slipway("backup", "create", "accounts", "--env", "production", environment: neon.environment)
        #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
        #expect(created.stdout.hasPrefix("backup slipway-backup-main-"), "\(created.stdout)")
        let snapshots = try neon.branches().filter { ($0["name"] as? String)?.hasPrefix("slipway-backup-main-") == true }
        #expect(snapshots.count == 1)
        #expect(snapshots.first?["parent_id"] as? String == "br-main-1")
        let listed = try slipway("backup", "list", "accounts", "--env", "production", "--json", environment: neon.environment)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
        #expect(rows.map { $0["branch_id"] as? String } == [snapshots.first?["id"] as? String])

        let status = try slipway("backup", "status", "--json", environment: neon.environment)
        #expect(status.status == 0, "\(status.stderr)")
        let statuses = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        let row = try #require(statuses.first)
        #expect(row["provider"] as? String == "neon")
        #expect(row["history_retention_seconds"] as? Double == 604_800)
        #expect(row["rpo"] as? String == "ok")
        let earliest = try #require((row["earliest_recoverable"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(abs(earliest.timeIntervalSinceNow + 604_800) < 120, "\(earliest)")
        let table = try slipway("backup", "status", environment: neon.environment)
        #expect(table.stdout.contains("accounts in production is a Neon branch: Neon keeps 168h of history"), "\(table.stdout)")

        let setup = try slipway("backup", "setup", "accounts", "--env", "production", environment: neon.environment)
        #expect(setup.status == 2)
        #expect(setup.stderr.contains("backup setup is for a PostgreSQL server Slipway archives; database 'neon-main' of accounts in production is a Neon branch"), "\(setup.stderr)")
    }

    @Test func aRestoreGoesIntoANewBranchFromTheMomentAndLeavesTheLiveOneAlone() throws {
        let neon = try NeonStandin()
        defer { neon.stop() }
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)
        let moment = moment(secondsAgo: 7200)

        let restored = try slipway("restore", "accounts", "--env", "production", "--to", moment, environment: neon.environment)
        #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
        #expect(restored.stdout.contains("the live branch is untouched"), "\(restored.stdout)")
        #expect(restored.stdout.contains("next, in recovery order (event store -> projections -> services):"))
        #expect(restored.stdout.contains("2. projection orders_view: slipway projection rebuild accounts orders_view --env production"))
        #expect(restored.stdout.contains("3. services: point accounts at the restored database"))

        let branches = try neon.branches()
        let new = try #require(branches.first { ($0["name"] as? String)?.hasPrefix("main-restore-") == true })
        #expect(new["parent_id"] as? String == "br-main-1")
        #expect(new["parent_timestamp"] as? String == moment)
        let main = try #require(branches.first { $0["id"] as? String == "br-main-1" })
        #expect(main["restored_from"] == nil && main["last_reset_at"] == nil, "the live branch was not restored: \(main)")
        #expect(try posts(neon).map { $0["path"] as? String } == ["/api/v2/projects/shy-sun-123456/branches"])
        let events = try slipway("events", "--json").stdout
        #expect(events.contains("database.restored") && events.contains("into the new Neon branch main-restore-"), "\(events)")
    }

    @Test func inPlaceNeedsTheTypedConfirmationAndKeepsTheStateBefore() throws {
        let neon = try NeonStandin()
        defer { neon.stop() }
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)
        let moment = moment(secondsAgo: 600)

        let unconfirmed = try slipway("restore", "accounts", "--env", "production", "--to", moment, "--in-place", environment: neon.environment)
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.stderr.split(separator: "\n").count == 1)
        #expect(unconfirmed.stderr.contains("restore --in-place replaces the live database; type --confirm neon-main to restore over it"), "\(unconfirmed.stderr)")
        let mistyped = try slipway(
            "restore", "accounts", "--env", "production", "--to", moment, "--in-place", "--confirm", "neon-mian", environment: neon.environment)
        #expect(mistyped.status == 2)
        #expect(mistyped.stderr.contains("--confirm 'neon-mian' does not name the database restored over"), "\(mistyped.stderr)")
        #expect(try posts(neon).isEmpty, "nothing was asked of Neon")

        let confirmed = try slipway(
            "restore", "accounts", "--env", "production", "--to", moment, "--in-place", "--confirm", "neon-main", environment: neon.environment)
        #expect(confirmed.status == 0, "\(confirmed.stdout)\(confirmed.stderr)")
        let branches = try neon.branches()
        let main = try #require(branches.first { $0["id"] as? String == "br-main-1" })
        let from = try #require(main["restored_from"] as? [String: Any])
        #expect(from["source_branch_id"] as? String == "br-main-1")
        #expect(from["source_timestamp"] as? String == moment)
        let kept = try #require(branches.first { ($0["name"] as? String)?.hasPrefix("main-before-restore-") == true })
        #expect(kept["id"] as? String != "br-main-1")
        #expect(confirmed.stdout.contains("its state before is kept as branch \(kept["name"] as? String ?? "?")"), "\(confirmed.stdout)")
        let restore = try #require(try posts(neon).first)
        #expect(restore["path"] as? String == "/api/v2/projects/shy-sun-123456/branches/br-main-1/restore")
        let body = try #require(restore["body"] as? [String: Any])
        #expect(body["preserve_under_name"] as? String == kept["name"] as? String)
    }

    @Test func aMomentOutsideTheHistoryWindowIsRefusedBeforeNeonIsAsked() throws {
        let neon = try NeonStandin(retention: 86400)
        defer { neon.stop() }
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)

        let old = try slipway("restore", "accounts", "--env", "production", "--to=-2d", environment: neon.environment)
        #expect(old.status == 2)
        let lines = old.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("refused: it is outside the history Neon keeps of database 'neon-main' of accounts in production; the window is "),
                "\(old.stderr)")
        #expect(try posts(neon).isEmpty)
        #expect(try neon.branches().count == 1)
    }

    @Test func aRefusedKeyStopsWithOneLineAndChangesNothing() throws {
        let neon = try NeonStandin()
        defer { neon.stop() }
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)
        var wrong = neon.environment
        wrong["NEON_API_KEY"] = "neon-wrong-key-\(UUID().uuidString.prefix(6))"

        for arguments in [["restore", "accounts", "--env", "production", "--to=-1h"], ["backup", "create", "accounts", "--env", "production"]] {
            let refused = try slipway.run(arguments, environment: wrong)
            #expect(refused.status == 1)
            let lines = refused.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains("Neon refused NEON_API_KEY (401: authentication required)")
                && lines[0].contains("no branch was changed"), "\(refused.stderr)")
            #expect(!refused.stderr.contains(wrong["NEON_API_KEY"] ?? "?"))
        }
        #expect(try posts(neon).isEmpty)
        #expect(try neon.branches().count == 1)
        let status = try slipway("backup", "status", environment: wrong)
        #expect(status.status == 1)
        #expect(status.stderr.contains("slipway: error: accounts in production: Neon refused NEON_API_KEY (401"), "\(status.stderr)")
        #expect(status.stdout.contains("unknown (1h)"), "the row stays, unknown: \(status.stdout)")
        var unset = neon.environment
        unset["NEON_API_KEY"] = ""
        let missing = try slipway("restore", "accounts", "--env", "production", "--to=-1h", environment: unset)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("NEON_API_KEY is not set, so Slipway cannot call Neon"), "\(missing.stderr)")
    }

    @Test func serverErrorsAreRetriedWithoutMakingTwoBranches() throws {
        let neon = try NeonStandin()
        defer { neon.stop() }
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)
        try neon.fault(status: 503, count: 2)

        let restored = try slipway("restore", "accounts", "--env", "production", "--to=-30m", environment: neon.environment)
        #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
        #expect(restored.stdout.contains("503 Service Unavailable (a fault the test asked for); retrying in"), "\(restored.stdout)")
        #expect(try neon.branches().filter { ($0["name"] as? String)?.hasPrefix("main-restore-") == true }.count == 1)

        // The create's answer lost after Neon made the branch: the retry finds it by name and sends nothing again.
        try neon.fault(status: 503, count: 1, method: "POST", lost: true)
        let again = try slipway("backup", "create", "accounts", "--env", "production", environment: neon.environment)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("Neon already has what POST /projects/shy-sun-123456/branches asked for: not sending it again"), "\(again.stdout)")
        #expect(try neon.branches().filter { ($0["name"] as? String)?.hasPrefix("slipway-backup-main-") == true }.count == 1)
        #expect(try posts(neon).count == 2, "one create for the restore, one for the backup")
    }

    @Test func inPlaceIsRefusedForALocalServer() throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": "databases:\n  main:\n    url_env: MAIN_DB_URL\nenvironments:\n  staging:\n    database: main\n",
            "services/accounts/slipway.yml": "database: {migrations: migrations/}\n",
        ])
        let result = try SlipwayProcess(workspace)("restore", "accounts", "--env", "staging", "--to=-1h", "--in-place", "--confirm", "main")
        #expect(result.status == 2)
        #expect(result.stderr.contains("restore --in-place is refused for database 'main' of accounts in staging: Slipway does not own its server"),
                "\(result.stderr)")
    }
}
