import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `roles:` on the command line: every changing command asks for the actor's role in the
/// environment it changes; a refusal is one line naming the role and the environment, exit 1,
/// and is recorded in the audit. No `roles:` block, no refusal.
@Suite struct RoleCommandTests {
    /// Everyone deploys outside production; in production only alice deploys; boss is an admin.
    static let config = """
        roles:
          all:
            everyone: deployer
            admin: [boss]
          production:
            everyone: viewer
            deployer: [alice]

        """

    func lines(_ text: String) -> Int { text.split(separator: "\n").count }

    @Test func eachChangingCommandIsRefusedToAViewerNamingTheRoleAndTheEnvironment() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": Self.config])
        try workspace.commitAll("roles")
        let slipway = SlipwayProcess(workspace)
        defer { _ = try? slipway("agent", "stop") }

        #expect(try slipway("deploy-app", "web", "--env", "staging", "--local").status == 0, "everyone deploys to staging")
        let needs = "needs the deployer role in production; tester (SLIPWAY_ACTOR, os user "
        let commands: [[String]] = [
            ["deploy-service", "accounts", "--env", "production", "--local"],
            ["deploy-service", "accounts", "--env", "production"],
            ["switch", "accounts", "--env", "production", "--local"],
            ["rollback", "accounts", "--env", "production", "--local"],
            ["promote", "web", "--local"],
            ["deploy-all", "--env", "production"],
            ["pipeline", "--env", "production"],
            ["canary", "abort", "accounts", "--env", "production"],
        ]
        for command in commands {
            let refused = try slipway.run(command)
            #expect(refused.status == 1, "\(command): \(refused.stderr)")
            #expect(lines(refused.stderr) == 1, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains(needs) && refused.stderr.contains("is a viewer in production (roles: in slipway.yml)"),
                    "\(command): \(refused.stderr)")
        }
        let audit = try slipway("events", "--json").stdout.split(separator: "\n").filter { $0.contains("access.refused") }
        #expect(audit.count == commands.count, "\(audit)")
        #expect(audit.allSatisfy { $0.contains(#""actor":"tester""#) && $0.contains(#""outcome":"deployer""#) }, "\(audit)")
        #expect(try slipway("runs", "--json").stdout.contains("production") == false, "nothing ran in production")
    }

    @Test func aNamedDeployerDeploysButOnlyAnAdminGoesPastGatesCancelsOthersOrRestores() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": Self.config])
        try workspace.commitAll("roles")
        let slipway = SlipwayProcess(workspace)
        let alice = ["SLIPWAY_ACTOR": "alice"]
        let boss = ["SLIPWAY_ACTOR": "boss"]

        let deployed = try slipway("deploy-service", "accounts", "--env", "production", "--local", environment: alice)
        #expect(deployed.status == 0, "\(deployed.stderr)")
        let override = try slipway(
            "deploy-service", "accounts", "--env", "production", "--force", "--override-gates", "--reason", "hotfix", "--local",
            environment: alice)
        #expect(override.status == 1 && lines(override.stderr) == 1, "\(override.stderr)")
        #expect(override.stderr.contains("refused: --override-gates of accounts needs the admin role in production; alice"), "\(override.stderr)")

        let runs = try slipway("runs", "--json").stdout
        let run = try #require(runs.firstMatch(of: /"id"\s*:\s*"(r[^"]+)"/)?.1, "\(runs)")
        let cancel = try slipway("cancel", String(run))
        #expect(cancel.status == 1 && cancel.stderr.contains("refused: cancel of accounts needs the deployer role in production"),
                "\(cancel.stderr)")

        let backup = try slipway("backup", "create", "--store", "--json")
        let id = try #require(backup.stdout.firstMatch(of: /"id"\s*:\s*"([^"]+)"/)?.1, "\(backup.stdout)")
        let restore = try slipway("backup", "restore", "--store", String(id), environment: alice)
        #expect(restore.status == 1 && lines(restore.stderr) == 1, "\(restore.stderr)")
        #expect(restore.stderr.contains("refused: backup restore needs the admin role in every environment; alice"), "\(restore.stderr)")
        #expect(try slipway("backup", "restore", "--store", String(id), environment: boss).status == 0)
    }

    @Test func aUnixGroupGrantsTheOSUserItsRole() throws {
        let group = try #require(getgrgid(getgid())).pointee.gr_name.map { String(cString: $0) } ?? "root"
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": "roles:\n  production:\n    deployer: [unix:\(group)]\n"])
        try workspace.commitAll("roles")
        var slipway = SlipwayProcess(workspace)
        slipway.environment = [:]
        let deployed = try slipway("deploy-service", "accounts", "--env", "production", "--local", environment: ["SLIPWAY_ACTOR": ""])
        #expect(deployed.status == 0, "\(deployed.stderr)")
        let named = try slipway("deploy-service", "accounts", "--env", "production", "--force", "--local", environment: ["SLIPWAY_ACTOR": "nobody-here"])
        #expect(named.status == 1 && named.stderr.contains("nobody-here (SLIPWAY_ACTOR"), "\(named.stderr)")
    }

    @Test func withoutRolesEveryoneMayDoEverythingAndAMistakeIsAConfigError() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-service", "accounts", "--env", "production", "--local").status == 0)
        try workspace.write(["slipway.yml": "roles:\n  production:\n    deployers: [alice]\n"])
        let check = try slipway("config", "check")
        #expect(check.status == 2, "\(check.stderr)")
        #expect(check.stderr.contains("slipway.yml:3:5: unknown role 'deployers' in roles.production; did you mean 'deployer'?"), "\(check.stderr)")
    }
}
