import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway migrate` as a user runs it, against a throwaway PostgreSQL cluster.
@Suite(.postgresCluster, .timeLimit(.minutes(3)))
struct MigrateCommandTests {
    static let config = "databases:\n  main:\n    url_env: MAIN_DB_URL\nenvironments:\n  staging:\n    database: main\n"

    func workspace(_ migrations: [String: String]) throws -> TemporaryWorkspace {
        var files = ["slipway.yml": Self.config, "services/accounts/slipway.yml": "database: {migrations: migrations/}\n"]
        for (name, text) in migrations { files["services/accounts/migrations/\(name)"] = text }
        return try TemporaryWorkspace(files: files)
    }

    @Test func lintExitsOneOnAFindingAndZeroOnceAllowed() throws {
        let workspace = try workspace([
            "V1__a.sql": "CREATE TABLE a (id int, legacy text);\n",
            "V2__b.sql": "ALTER TABLE a\n  RENAME COLUMN legacy TO old;\n",
        ])
        let slipway = SlipwayProcess(workspace)
        let refused = try slipway("migrate", "lint", "accounts")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("services/accounts/migrations/V2__b.sql:2:3: rename-column: ALTER TABLE a RENAME COLUMN legacy TO old: "))
        #expect(refused.stdout.contains("2 migration files: 1 finding, 0 allowed by comment"))

        try workspace.write(["services/accounts/migrations/V2__b.sql": "ALTER TABLE a\n  RENAME COLUMN legacy TO old; -- slipway:allow rename-column: only the admin job reads it, updated first\n"])
        let allowed = try slipway("migrate", "lint", "accounts", "--json")
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains(#""allowed_because" : "only the admin job reads it, updated first""#))
    }

    @Test func applyStatusAndTheAuditAsAUserSeesThem() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let workspace = try workspace([
            "V1__create_accounts.sql": "CREATE TABLE accounts (id bigint PRIMARY KEY);\n",
            "V2__index.sql": "CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);\n",
        ])
        let slipway = SlipwayProcess(workspace)
        let environment = ["MAIN_DB_URL": url]
        let plan = try slipway("migrate", "plan", "accounts", "--env", "staging", environment: environment)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("apply services/accounts/migrations/V2__index.sql (outside a transaction, alone)"))

        let apply = try slipway("migrate", "apply", "accounts", "--env", "staging", environment: environment)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("schema version: 2; 2 applied"))
        // The connection string is a secret: never printed, never stored.
        #expect(!apply.stdout.contains(url) && !apply.stderr.contains(url))

        let status = try slipway("migrate", "status", "accounts", "--env", "staging", "--json", environment: environment)
        #expect(status.status == 0)
        #expect(status.stdout.contains(#""state" : "applied""#))
        #expect(!status.stdout.contains(#""state" : "pending""#))

        let events = try slipway("events", "--json")
        #expect(events.stdout.contains("migration.applied"))
        #expect(!events.stdout.contains(url))

        try workspace.write(["services/accounts/migrations/V1__create_accounts.sql": "CREATE TABLE accounts (id bigint);\n"])
        let changed = try slipway("migrate", "apply", "accounts", "--env", "staging", environment: environment)
        #expect(changed.status == 1)
        #expect(changed.stderr.hasPrefix("slipway: error: services/accounts/migrations/V1__create_accounts.sql changed after it was applied"))
        #expect(changed.stderr.split(separator: "\n").count == 1)
    }

    @Test func usageErrorsExitTwo() throws {
        let workspace = try workspace(["V1__a.sql": "SELECT 1;\n", "R__views.sql": "SELECT 1;\n"])
        let slipway = SlipwayProcess(workspace)
        let unset = try slipway("migrate", "status", "accounts", "--env", "staging", environment: ["MAIN_DB_URL": ""])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("repeatable migrations (R__) are refused"))

        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("services/accounts/migrations/R__views.sql"))
        let noURL = try slipway("migrate", "status", "accounts", "--env", "staging", environment: ["MAIN_DB_URL": ""])
        #expect(noURL.status == 2)
        #expect(noURL.stderr == "slipway: error: MAIN_DB_URL is not set: it holds the connection string of database 'main' (environment staging)\n")

        try workspace.write(["slipway.yml": Self.config.replacingOccurrences(of: "database: main", with: "database: mian")])
        let badConfig = try slipway("migrate", "lint", "accounts")
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr == "slipway: error: slipway.yml:6:15: unknown database 'mian' (known: main)\n")
    }
}
