import Foundation
import SlipwayTestSupport
import Testing

@Suite struct RollbackTests {
    @Test func rollsBackToTheRecordedVersionRebuiltFromItsCommit() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let first = try FakeCloudWorkspace.version(workspace, "apps/web")
        #expect(try slipway("deploy-app", "web", "--env", "production").status == 0)
        try workspace.write(["apps/web/app.txt": "web-2"])
        try workspace.commitAll("second")
        let second = try FakeCloudWorkspace.version(workspace, "apps/web")
        #expect(try slipway("deploy-app", "web", "--env", "production").status == 0)

        let releases = try #require(try slipway.json("releases", "web", "--env", "production") as? [[String: Any]])
        #expect(releases.map { $0["version"] as? String } == [second, first])
        #expect(releases.first?["tag"] as? String == "web/production/\(second)")

        let rollback = try slipway("rollback", "web", "--env", "production")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(rollback.stdout.contains("rebuilding \(first) from commit"))
        #expect(rollback.stdout.contains("deploying web \(first) to production content=web-1"))
        let status = try #require(try slipway.json("status", "--env", "production") as? [[String: Any]])
        #expect(status.first { $0["component"] as? String == "web" }?["live_version"] as? String == first)
        #expect(try workspace.git("worktree", "list").split(separator: "\n").count == 1, "the temporary worktree is gone")
        #expect(try slipway("rollback", "web", "--env", "production", "--to", second).status == 0)
    }

    @Test func rollingBackToAMissingReleaseListsThoseThatExist() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let version = try FakeCloudWorkspace.version(workspace, "apps/web")
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        let result = try slipway("rollback", "web", "--env", "staging", "--to", "0123456789ab")
        #expect(result.status == 2)
        #expect(result.stderr.contains("no release '0123456789ab' of web in staging (releases: \(version))"))
        let nothingEarlier = try slipway("rollback", "web", "--env", "staging")
        #expect(nothingEarlier.status == 1)
        #expect(nothingEarlier.stderr.contains("no earlier release"))
    }

    @Test func aDirtyVersionCannotBeRebuilt() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        try workspace.write(["apps/web/app.txt": "web-uncommitted"])
        let dirty = try FakeCloudWorkspace.version(workspace, "apps/web") + "-dirty"
        let deployed = try slipway("deploy-app", "web", "--env", "staging")
        #expect(deployed.stdout.contains("deploying web \(dirty) to staging"))
        try workspace.commitAll("commit it")
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        let result = try slipway("rollback", "web", "--env", "staging", "--to", dirty)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot roll back to \(dirty): it was built from uncommitted changes"))
    }
}
