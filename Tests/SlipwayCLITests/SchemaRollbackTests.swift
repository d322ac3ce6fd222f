import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Migration-aware rollback: each release records its highest migration; a rollback to an older
/// release goes over additive migrations applied since, is refused over a non-additive one (named,
/// with its compensating script), and `--force --reason` goes anyway, recorded in the audit.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct SchemaRollbackTests {
    @Test func rollbackGoesOverAdditiveMigrationsAndStopsAtAnotherUnlessForcedWithAReason() async throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": MigratingServiceWorkspace.databases].merging(MigratingServiceWorkspace.service) { $1 })
        var slipway = SlipwayProcess(workspace)
        try await MigratingServiceWorkspace.connect(&slipway)
        func release(_ message: String, _ files: [String: String]) throws -> String {
            try workspace.write(files)
            try workspace.commitAll(message)
            for environment in ["staging", "production"] {
                let applied = try slipway("migrate", "apply", "accounts", "--env", environment)
                #expect(applied.status == 0, "\(message) in \(environment): \(applied.stderr)")
            }
            let deployed = try slipway("deploy-service", "accounts", "--env", "production", "--local")
            #expect(deployed.status == 0, "\(message): \(deployed.stderr)")
            return try FakeCloudWorkspace.version(workspace, "services/accounts")
        }

        let v1 = try release("v1", [:])
        let v2 = try release("v2", ["services/accounts/migrations/V2__add_email.sql": "ALTER TABLE accounts ADD COLUMN email text;\n"])
        let releases = try #require(try slipway.json("releases", "accounts", "--env", "production") as? [[String: Any]])
        #expect(releases.map { $0["version"] as? String } == [v2, v1])

        let additive = try slipway("rollback", "accounts", "--env", "production", "--to", v1, "--local")
        #expect(additive.status == 0, "over an additive migration: \(additive.stderr)")

        let v3 = try release("v3", [
            "services/accounts/migrations/V3__drop_email.sql":
                "ALTER TABLE accounts DROP COLUMN email; -- slipway:allow drop-column: the mail job moved to its own table\n",
            "services/accounts/migrations/U3__drop_email.sql": "ALTER TABLE accounts ADD COLUMN email text;\n",
        ])
        let refused = try slipway("rollback", "accounts", "--env", "production", "--to", v2, "--local")
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("cannot roll back accounts to \(v2) in production: its schema is at version 2, and "
            + "services/accounts/migrations/V3__drop_email.sql applied since services/accounts/migrations/V3__drop_email.sql:1:"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("drop-column (allowed by comment: the mail job moved to its own table) is not additive"), "\(refused.stderr)")
        #expect(refused.stderr.contains("its compensating script is services/accounts/migrations/U3__drop_email.sql"), "\(refused.stderr)")
        let older = try slipway("rollback", "accounts", "--env", "production", "--to", v1, "--local")
        #expect(older.status == 1 && older.stderr.contains("V3__drop_email.sql"), "older still: \(older.stderr)")
        let live = try #require((try slipway.json("status", "--env", "production") as? [[String: Any]])?.first)
        #expect(live["live_version"] as? String == v3, "nothing rolled back")

        let noReason = try slipway("rollback", "accounts", "--env", "production", "--to", v2, "--force", "--local")
        #expect(noReason.status == 2 && noReason.stderr.contains("needs --reason TEXT"), "\(noReason.stderr)")

        let forced = try slipway(
            "rollback", "accounts", "--env", "production", "--to", v2, "--force", "--reason", "v2 never reads email", "--local")
        #expect(forced.status == 0, "\(forced.stderr)")
        let after = try #require((try slipway.json("status", "--env", "production") as? [[String: Any]])?.first)
        #expect(after["live_version"] as? String == v2)
        let events = try slipway("events", "--json")
        let overridden = try #require(events.stdout.split(separator: "\n").first { $0.contains("check.overridden") }, "\(events.stdout)")
        #expect(overridden.contains("v2 never reads email") && overridden.contains("migration-aware rollback")
            && overridden.contains("tester"), "\(overridden)")
    }
}
