import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The pipeline's migrate stage, between quality gates and deploy-apps: staging applies,
/// production refuses a migration staging has not applied (and its code does not deploy), then
/// takes it once staging has.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct PipelineMigrateTests {
    @Test func productionMigratesOnlyWhatStagingAppliedAndItsCodeWaitsForIt() async throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": MigratingServiceWorkspace.databases + PipelineWorkspace.gatesOff])
        try workspace.commitAll("empty")
        let root = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.write(MigratingServiceWorkspace.service)
        try workspace.commitAll("accounts")
        var slipway = SlipwayProcess(workspace)
        try await MigratingServiceWorkspace.connect(&slipway)

        let first = try slipway("pipeline", "--env", "staging", "--base", root)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let store = try SQLiteStore(path: workspace.statePath)
        let run = try #require(try store.runs().first { $0.kind == .pipeline })
        let stages = try #require(try slipway.json("runs", "show", run.id) as? [String: Any])["stages"] as? [[String: Any]]
        #expect(stages?.compactMap { $0["name"] as? String } == ["detect-changes", "quality-gates", "migrate", "deploy-apps", "validate-deploy"])
        #expect(try await PostgresCluster.shared().strings(
            "SELECT script FROM flyway_schema_history ORDER BY installed_rank", database: PostgresCluster.databaseName(of: try #require(slipway.environment["MAIN_DB_URL"])))
            == ["V1__create_accounts.sql"])

        try workspace.write(["services/accounts/migrations/V2__add_email.sql": "ALTER TABLE accounts ADD COLUMN email text;\n"])
        try workspace.commitAll("accounts: email")
        let version = try FakeCloudWorkspace.version(workspace, "services/accounts")
        let refused = try slipway("pipeline", "--env", "production", "--base", root)
        #expect(refused.status == 1)
        let migrate = try #require(try newestJob(store, stage: "migrate"))
        #expect(migrate.outcome == "failed"
            && migrate.reason?.contains("V2__add_email.sql (version 2) has not been applied successfully in staging") == true, "\(migrate)")
        let skipped = try #require(try newestJob(store, stage: "deploy-apps"))
        #expect(skipped.outcome == "skipped" && skipped.reason == "its migrations failed", "\(skipped)")
        #expect(try store.projection().states[.init(component: "accounts", environment: "production")]?.liveVersion == nil,
                "the code that needs V2 did not deploy")

        #expect(try slipway("pipeline", "--env", "staging", "--base", "HEAD~1").status == 0)
        let accepted = try slipway("pipeline", "--env", "production", "--base", root)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(try newestJob(store, stage: "migrate")?.reason == "applied 2, schema at version 2")
        #expect(try store.projection().states[.init(component: "accounts", environment: "production")]?.liveVersion == version)
    }

    /// The newest finished job of `stage`, of any pipeline run.
    func newestJob(_ store: EventStore, stage: String) throws -> EventDetails? {
        try store.latestEvents(kind: .jobFinished, limit: 1000).compactMap(\.details).first { $0.stage == stage }
    }
}
