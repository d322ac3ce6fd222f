import Foundation
import SlipwayTestSupport
import Testing

/// `slipway diff`: the commits, files and migrations between the live release and another version,
/// on a temporary git workspace.
@Suite struct ReleaseDiffCommandTests {
    /// accounts declares its migrations and is live in staging; then two commits touch it (one
    /// adding a migration) and one touches only web.
    static func workspaceWithChanges(function: String = #function) throws -> (TemporaryWorkspace, live: String) {
        let workspace = try FakeCloudWorkspace.create(function: function)
        try workspace.write([
            "services/accounts/slipway.yml": "database: {migrations: db/migrations}\n",
            "services/accounts/db/migrations/V1__start.sql": "CREATE TABLE a (id int);\n",
        ])
        try workspace.commitAll("accounts: declare migrations")
        let live = try FakeCloudWorkspace.version(workspace, "services/accounts")
        let deployed = try SlipwayProcess(workspace)("deploy-service", "accounts", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        try workspace.write([
            "services/accounts/app.txt": "accounts-2",
            "services/accounts/db/migrations/V2__add_email.sql": "ALTER TABLE a ADD COLUMN email text;\n",
        ])
        try workspace.commitAll("accounts: email column")
        try workspace.write(["services/accounts/README.md": "accounts\n"])
        try workspace.commitAll("accounts: readme")
        try workspace.write(["apps/web/app.txt": "web-2"])
        try workspace.commitAll("web: only web")
        return (workspace, live)
    }

    @Test func diffToHeadListsCommitsFilesAndAddedMigrations() throws {
        let (workspace, live) = try Self.workspaceWithChanges()
        let slipway = SlipwayProcess(workspace)
        let head = try FakeCloudWorkspace.version(workspace, "services/accounts")
        let text = try slipway("diff", "accounts", "--env", "staging")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("accounts in staging: \(live) -> \(head): 2 commits, 3 files, 1 migration\n"), "\(text.stdout)")
        #expect(text.stdout.contains("accounts: email column  (Slipway Test)"))
        #expect(text.stdout.contains("accounts: readme"))
        #expect(!text.stdout.contains("web: only web"))
        #expect(text.stdout.contains("migrations added:\n  services/accounts/db/migrations/V2__add_email.sql"))

        let json = try #require(try slipway.json("diff", "accounts", "--env", "staging") as? [String: Any])
        #expect((json["commits"] as? [[String: Any]])?.map { $0["subject"] as? String } == ["accounts: readme", "accounts: email column"])
        #expect((json["files"] as? [String])?.sorted() == [
            "services/accounts/README.md", "services/accounts/app.txt", "services/accounts/db/migrations/V2__add_email.sql",
        ])
        #expect(json["migrations"] as? [String] == ["services/accounts/db/migrations/V2__add_email.sql"])
        #expect(json["from_version"] as? String == live)
        #expect(json["is_rollback"] as? Bool == false)
    }

    @Test func diffToTheLiveOrAnOlderVersionSaysNoChangeOrGoingBack() throws {
        let (workspace, live) = try Self.workspaceWithChanges()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("diff", "accounts", "--env", "staging", "--to", live).stdout.contains("no change: \(live) is the live version"))
        #expect(try slipway("deploy-service", "accounts", "--env", "staging").status == 0)
        let back = try slipway("diff", "accounts", "--env", "staging", "--to", live)
        #expect(back.stdout.contains("-> \(live): back 2 commits, 3 files\n"), "\(back.stdout)")
        #expect(back.stdout.contains("commits going away:"))
    }

    @Test func badInputIsOneLineAndExitTwo() throws {
        let (workspace, _) = try Self.workspaceWithChanges()
        let slipway = SlipwayProcess(workspace)
        let typo = try slipway("diff", "acounts", "--env", "staging")
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'accounts'"), "\(typo.stderr)")
        let version = try slipway("diff", "accounts", "--env", "staging", "--to", "nosuchversion")
        #expect(version.status == 2)
        #expect(version.stderr.contains("version 'nosuchversion' of accounts is neither a release nor a commit in git"))
        #expect(version.stderr.split(separator: "\n").count == 1, "\(version.stderr)")
        #expect(try slipway("diff", "accounts", "--env", "prod").status == 2)
    }
}
