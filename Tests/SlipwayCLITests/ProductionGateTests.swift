import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `production_gates: required`: every route into production takes only a version a recorded
/// pipeline run tested and gated, unless `--override-gates --reason` says why (audited, alerted).
@Suite struct ProductionGateTests {
    static let config = "production_gates: required\n" + PipelineWorkspace.gatesOff

    func lines(_ text: String) -> Int { text.split(separator: "\n").count }

    @Test func anUngatedVersionIsRefusedOnEveryRouteUnlessOverriddenWithAReason() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": Self.config])
        try workspace.commitAll("gates required")
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty, "deploy-all goes through the agent: none is left behind") }
        let v1 = try FakeCloudWorkspace.version(workspace, "services/accounts")

        let refused = try slipway("deploy-service", "accounts", "--env", "production", "--local")
        #expect(refused.status == 1)
        #expect(lines(refused.stderr) == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("deploy of accounts \(v1) to production refused: no recorded pipeline run tested and gated "
            + "accounts \(v1) (production_gates: required); run the pipeline for it, or --override-gates --reason TEXT"), "\(refused.stderr)")
        #expect(try slipway("deploy-service", "accounts", "--env", "staging", "--local").status == 0, "staging takes any version")

        let noReason = try slipway("deploy-service", "accounts", "--env", "production", "--override-gates", "--local")
        #expect(noReason.status == 2 && lines(noReason.stderr) == 1, "\(noReason.stderr)")
        #expect(noReason.stderr.contains("--override-gates needs --reason TEXT"))

        let overridden = try slipway(
            "deploy-service", "accounts", "--env", "production", "--override-gates", "--reason", "hotfix for the login outage", "--local")
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let events = try slipway("events", "--json").stdout.split(separator: "\n")
        let audit = try #require(events.first { $0.contains("check.overridden") }, "\(events)")
        #expect(audit.contains("production gates") && audit.contains("hotfix for the login outage") && audit.contains(v1), "\(audit)")
        let alert = try #require(events.first { $0.contains("alert.raised") }, "\(events)")
        #expect(alert.contains("gates_overridden") && alert.contains(#""info""#) && alert.contains("hotfix for the login outage"), "\(alert)")

        // deploy-all refuses the component no pipeline gated, naming it.
        let all = try slipway("deploy-all", "--env", "production")
        #expect(all.status == 1)
        let web = try FakeCloudWorkspace.version(workspace, "apps/web")
        #expect(all.stdout.contains("web: slipway: deploy-all of web \(web) to production refused: no recorded pipeline run"), "\(all.stdout)")

        // promote runs its checklist; an override lets it through and is recorded.
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--local").status == 0)
        let promote = try slipway("promote", "web", "--local")
        #expect(promote.status == 1 && promote.stderr.contains("the production checklist failed (gates passed, tests passed, coverage, security scans (SAST), dependency scans)"), "\(promote.stderr)")
        // Through the agent too, the refusal comes after the checklist, item by item.
        let asked = try slipway("promote", "web")
        #expect(asked.status == 1, "\(asked.stdout)\(asked.stderr)")
        #expect(asked.stdout.contains("production checklist for web:") && asked.stdout.contains("[ ] gates passed: failed (no pipeline ran them for"),
                "\(asked.stdout)")
        let promoted = try slipway("promote", "web", "--override-gates", "--reason", "docs-only change", "--local")
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(try slipway("events", "--json").stdout.contains("checklist failed: gates passed"))
    }

    @Test func aVersionThePipelineGatedGoesStraightInAndRollsBackInOneStep() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": Self.config])
        try workspace.commitAll("gates required")
        let slipway = SlipwayProcess(workspace)
        let v1 = try FakeCloudWorkspace.version(workspace, "services/accounts")
        #expect(try slipway("deploy-service", "accounts", "--env", "production", "--override-gates", "--reason", "first", "--local").status == 0)

        try workspace.write(["services/accounts/app.txt": "accounts-2"])
        try workspace.commitAll("accounts two")
        let v2 = try FakeCloudWorkspace.version(workspace, "services/accounts")
        let pipeline = try slipway("pipeline", "--env", "staging", "--base", "HEAD~1")
        #expect(pipeline.status == 0, "\(pipeline.stdout)\(pipeline.stderr)")
        let deployed = try slipway("deploy-service", "accounts", "--env", "production", "--local")
        #expect(deployed.status == 0, "the pipeline gated \(v2): \(deployed.stderr)")

        // v1 went in by override only: rolling back to it needs one again.
        let back = try slipway("rollback", "accounts", "--env", "production", "--to", v1, "--local")
        #expect(back.status == 1 && back.stderr.contains("rollback of accounts \(v1) to production refused"), "\(back.stderr)")
        #expect(try slipway(
            "rollback", "accounts", "--env", "production", "--to", v1, "--override-gates", "--reason", "v2 breaks exports", "--local"
        ).status == 0)
        let forward = try slipway("rollback", "accounts", "--env", "production", "--to", v2, "--local")
        #expect(forward.status == 0, "a version that passed before goes back in one step: \(forward.stderr)")
    }

    @Test func gatesAreOffUnlessTheWorkspaceRequiresThem() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-service", "accounts", "--env", "production", "--local").status == 0)
        try workspace.write(["slipway.yml": "production_gates: always\n"])
        let bad = try slipway("status")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("slipway.yml:1:19: production_gates must be required or off, found 'always'"), "\(bad.stderr)")
    }
}
