import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `migrate apply` under the two-person rule: into production it is a request that waits for an
/// approver other than its requester, and the agent applies it; a path around it is refused.
/// Staging, without the rule, applies in the command's own process as before.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct MigrateApprovalTests {
    @Test func aProductionMigrationWaitsForAnotherApproverAndTheAgentAppliesIt() async throws {
        let workspace = try TemporaryWorkspace(files: MigratingServiceWorkspace.service.merging([
            "slipway.yml": MigratingServiceWorkspace.databases + """
                roles:
                  all:
                    everyone: deployer
                  production:
                    approver: [alice]
                    approvals: 1

                """,
        ]) { $1 })
        try workspace.commitAll("accounts with a migration")
        var slipway = SlipwayProcess(workspace)
        try await MigratingServiceWorkspace.connect(&slipway)
        let productionURL = try #require(slipway.environment["PROD_DB_URL"])
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }

        let staging = try slipway("migrate", "apply", "accounts", "--env", "staging")
        #expect(staging.status == 0, "\(staging.stderr)")
        #expect(staging.stdout.contains("schema version: 1; 1 applied"), "staging has no rule: applied at once")

        let local = try slipway("migrate", "apply", "accounts", "--env", "production", "--local")
        #expect(local.status == 1 && local.stderr.split(separator: "\n").count == 1, "\(local.stderr)")
        #expect(local.stderr.contains("leave out --local"), "\(local.stderr)")
        let json = try slipway("migrate", "apply", "accounts", "--env", "production", "--json")
        #expect(json.status == 2 && json.stderr.contains("waits for an approver"), "\(json.stderr)")

        let log = workspace.root.appendingPathComponent("migrate.log")
        let apply = try slipway.start(["migrate", "apply", "accounts", "--env", "production"], log: log)
        defer { if apply.isRunning { apply.terminate() } }
        var request: [String: Any] = [:]
        #expect(try eventually(30) { request = (try slipway.json("approvals") as? [[String: Any]])?.first ?? [:]; return !request.isEmpty })
        let id = try #require(request["id"] as? String)
        #expect(request["what"] as? String == "migrate accounts in production", "\(request)")
        #expect(try eventually { try String(contentsOf: log, encoding: .utf8).contains("awaits approval by an approver other than tester") })
        let pending = try slipway("migrate", "status", "accounts", "--env", "production", "--json")
        #expect(pending.stdout.contains(#""state" : "pending""#) && !pending.stdout.contains(#""state" : "applied""#), "nothing applied before approval: \(pending.stdout)")

        let own = try slipway("approvals", "approve", id)
        #expect(own.status == 1 && own.stderr.contains("needs the approver role in production"), "\(own.stderr)")
        let approved = try slipway("approvals", "approve", id, environment: ["SLIPWAY_ACTOR": "alice"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(eventually(60) { !apply.isRunning })
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(apply.terminationStatus == 0, "\(output)")
        #expect(output.contains("approved by alice") && output.contains("schema version: 1; 1 applied"), "\(output)")
        #expect(!output.contains(productionURL), "the connection string is a secret")

        let applied = try slipway("migrate", "status", "accounts", "--env", "production", "--json")
        #expect(applied.stdout.contains(#""state" : "applied""#) && !applied.stdout.contains(#""state" : "pending""#), "\(applied.stdout)")
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.contains { $0["id"] as? String == id && $0["kind"] as? String == "migrate" && $0["state"] as? String == "succeeded" }, "\(runs)")
        let events = try slipway("events", "--json").stdout.split(separator: "\n")
        #expect(events.contains { $0.contains(#""kind":"migration.applied""#) && $0.contains(#""environment":"production""#) && $0.contains(#""actor":"tester""#) }, "the requester applied it, through the agent")
    }
}
