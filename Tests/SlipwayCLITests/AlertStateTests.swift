import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// What the agent has told stays told: its alert state is in the store, not only in memory.
/// And the budget gate guards `deploy-all` as it guards a single deploy.
@Suite(.serialized) struct AlertStateTests {
    @Test func aRestartedAgentRaisesNoAlertAgain() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/server.py": "",
            "services/api/slipway.yml": "target: local\nrun: exec python3 server.py\n",
        ])
        try workspace.commitAll("first")
        try AlertTests.seedBurningHour(workspace, environment: "production")
        var slipway = SlipwayProcess(workspace)
        slipway.environment["SLIPWAY_SLI_INTERVAL"] = "0.5"
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        func raised() -> Int { ((try? store.events(limit: 1000)) ?? []).filter { $0.kind == "alert.raised" }.count }

        #expect(try slipway("agent", "start").status == 0)
        // 4 burn-rate rules fire and the budget crosses 50%, 25% and 0%.
        #expect(eventually(30) { raised() == 7 }, "the first agent raised \(raised()) alerts")
        let firing = try #require(try store.alertStates().first { $0.objective == "availability" })
        #expect(firing.alerting(objective: ServiceLevelObjective.seedDefaults[0]).firing == Set(BurnRateRule.standard.map(\.name)),
                "every rule is stored as firing: \(firing.firing)")

        #expect(try slipway("agent", "stop").status == 0)
        let restarted = Date()
        #expect(try slipway("agent", "start").status == 0)
        #expect(eventually(30) {
            let states = (try? store.alertStates()) ?? []
            return !states.isEmpty && states.allSatisfy { $0.evaluatedAt >= restarted }
        }, "the new agent evaluated every objective")
        #expect(raised() == 7, "nothing raised again after the restart")
    }

    @Test func deployAllRefusesAComponentWhoseBudgetIsSpent() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["apps/web/slipway.yml": "slo:\n  refuse_deploys_when_spent: true\n"])
        try workspace.commitAll("guard web")
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let now = SLIMinute.number(of: Date())
        try store.add(((now - 60)..<now).flatMap { minute in
            ["web", "accounts"].map {
                .init(component: $0, environment: "production", objective: "availability",
                      minute: SLIMinute(minute: minute, total: 1000, bad: 100))
            }
        })

        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty, "deploy-all goes through the agent: none is left behind") }
        let result = try slipway("deploy-all", "--env", "production")
        #expect(result.status == 1)
        #expect(result.stdout.contains("deploy-all: 1 deployed, 1 not (web)"), "\(result.stdout)")
        #expect(result.stdout.contains(
            "web: slipway: deploy of web to production refused: the error budget of availability is spent"), "\(result.stdout)")
        #expect(result.stdout.contains("accounts | deploying accounts"), "accounts asks for no gate and is deployed")
        #expect(!result.stdout.contains("web | deploying web"), "web was never started")
        let blocked = try store.events(limit: 1000).filter { $0.kind == "alert.raised" && $0.component == "web" }
        #expect(blocked.count == 1, "the refusal is raised as an alert")
    }
}
