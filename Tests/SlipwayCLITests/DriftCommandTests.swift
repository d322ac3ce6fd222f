import Foundation
import SlipwayTestSupport
import Testing

/// `slipway drift` on a temporary git workspace: environments behind, a version git lost, and
/// commits in no environment.
@Suite struct DriftCommandTests {
    @Test func driftShowsBehindLostAndUnreleased() throws {
        let (workspace, live) = try ReleaseDiffCommandTests.workspaceWithChanges()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-service", "accounts", "--env", "development").status == 0)
        let head = try FakeCloudWorkspace.version(workspace, "services/accounts")
        try workspace.write(["services/accounts/app.txt": "accounts-doomed"])
        try workspace.commitAll("accounts: doomed")
        let doomed = try FakeCloudWorkspace.version(workspace, "services/accounts")
        #expect(try slipway("deploy-service", "accounts", "--env", "production").status == 0)
        _ = try workspace.git("reset", "-q", "--hard", "HEAD~1")
        _ = try workspace.git("reflog", "expire", "--expire=now", "--all")
        _ = try workspace.git("gc", "-q", "--prune=now")

        let report = try #require(try slipway.json("drift") as? [String: Any])
        #expect(report["branch"] as? String == "main")
        let components = try #require(report["components"] as? [[String: Any]])
        let accounts = try #require(components.first { $0["component"] as? String == "accounts" })
        let rows = try #require(accounts["environments"] as? [[String: Any]])
        #expect(rows.map { $0["version"] as? String } == [head, live, doomed])
        #expect(rows[1]["compared_with"] as? String == "development")
        #expect(rows[1]["behind"] as? Int == 2, "\(rows[1])")
        #expect(rows[2]["in_git"] as? Bool == false)
        #expect(accounts["not_in_git"] as? [String] == ["production"])
        #expect((accounts["unreleased"] as? [Any])?.isEmpty == true)
        let web = try #require(components.first { $0["component"] as? String == "web" })
        #expect((web["unreleased"] as? [[String: Any]])?.map { $0["subject"] as? String } == ["web: only web", "first"])

        let text = try slipway("drift")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("2 behind development"), "\(text.stdout)")
        #expect(text.stdout.contains("accounts: \(doomed) live in production is not in git any more"))
        #expect(text.stdout.contains("web: 2 commits on main in no environment"))
    }
}
