import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The two-person rule (`approvals:` in production's `roles:` block): a request into production
/// awaits an approver other than its requester before the agent runs it; `slipway approvals`
/// lists, approves and denies; unapproved it expires; paths around requests are refused.
@Suite struct ApprovalCommandTests {
    /// Everyone deploys; alice and bob approve in production, where one approval is needed.
    static func config(timeout: String = "10m") -> String {
        """
        roles:
          all:
            everyone: deployer
          production:
            approver: [alice, bob]
            approvals: 1
            approval_timeout: \(timeout)

        """
    }

    func start(timeout: String = "10m", function: String = #function) throws -> (SlipwayProcess, TemporaryWorkspace) {
        let workspace = try FakeCloudWorkspace.create(function: function)
        try workspace.write(["slipway.yml": Self.config(timeout: timeout)])
        try workspace.commitAll("two-person rule")
        return (SlipwayProcess(workspace), workspace)
    }

    func awaiting(_ slipway: SlipwayProcess) throws -> [[String: Any]] {
        try #require(try slipway.json("approvals") as? [[String: Any]])
    }

    func events(_ slipway: SlipwayProcess, _ kind: String) throws -> [Substring] {
        try slipway("events", "--json").stdout.split(separator: "\n").filter { $0.contains(#""kind":"\#(kind)""#) }
    }

    func lines(_ text: String) -> Int { text.split(separator: "\n").count }

    @Test func aProductionDeployAwaitsAnotherApproverAndTheAgentRunsItOnlyOnceApproved() throws {
        let (slipway, workspace) = try start()
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let log = workspace.root.appendingPathComponent("deploy.log")
        let deploy = try slipway.start(["deploy-service", "accounts", "--env", "production"], log: log)
        defer { if deploy.isRunning { deploy.terminate() } }

        var request: [String: Any] = [:]
        #expect(try eventually { request = try awaiting(slipway).first ?? [:]; return !request.isEmpty })
        let id = try #require(request["id"] as? String)
        #expect(request["what"] as? String == "deploy accounts to production")
        #expect(request["component"] as? String == "accounts" && request["environment"] as? String == "production")
        #expect(request["requester"] as? String == "tester")
        #expect(request["approvals"] as? Int == 0 && request["approvals_needed"] as? Int == 1)
        #expect((request["expires_in_seconds"] as? Int).map { $0 > 0 && $0 <= 600 } == true, "\(request)")
        #expect(request["may_decide"] as? Bool == false, "the requester may not decide")
        #expect(try eventually { try String(contentsOf: log, encoding: .utf8).contains("awaits approval by an approver other than tester") })

        let table = try slipway("approvals", environment: ["SLIPWAY_ACTOR": "alice"]).stdout
        #expect(table.contains("ID") && table.contains("EXPIRES IN") && table.contains(id), "\(table)")
        #expect(table.contains("deploy accounts to production") && table.contains("tester") && table.contains("0/1"), "\(table)")

        // A running agent scans for requests nobody hands over (every 2 s, after 3 s): it must leave this one.
        #expect(try slipway("agent", "start").status == 0)
        sleep(6)
        #expect(try awaiting(slipway).count == 1, "still awaiting")
        #expect(try slipway("runs", "--json").stdout.contains("production") == false, "nothing ran before approval")

        let approved = try slipway("approvals", "approve", id, environment: ["SLIPWAY_ACTOR": "alice"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("approved request \(id) (deploy accounts to production): 1 of 1 approvals; it runs now"), "\(approved.stdout)")
        #expect(eventually(60) { !deploy.isRunning })
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(deploy.terminationStatus == 0, "\(output)")
        #expect(output.contains("approved by alice"), "\(output)")
        #expect(output.contains("deploying accounts"), "\(output)")
        #expect(try slipway("approvals").stdout.contains("no request awaits approval"))
        let audit = try events(slipway, "request.approved")
        #expect(audit.count == 1 && audit[0].contains(#""actor":"alice""#) && audit[0].contains(id), "\(audit)")
    }

    @Test func theRequesterAndADeployerAreRefusedAndADenialEndsTheRequesterWithItsReason() throws {
        let (slipway, workspace) = try start()
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let log = workspace.root.appendingPathComponent("deploy.log")
        let deploy = try slipway.start(
            ["deploy-service", "accounts", "--env", "production"], environment: ["SLIPWAY_ACTOR": "alice"], log: log)
        defer { if deploy.isRunning { deploy.terminate() } }
        var id = ""
        #expect(try eventually { id = try awaiting(slipway).first?["id"] as? String ?? ""; return !id.isEmpty })

        let own = try slipway("approvals", "approve", id, environment: ["SLIPWAY_ACTOR": "alice"])
        #expect(own.status == 1 && lines(own.stderr) == 1, "\(own.stderr)")
        #expect(own.stderr.contains("refused: alice asked for request \(id) (deploy accounts to production) and may not approve it"), "\(own.stderr)")
        let deployer = try slipway("approvals", "approve", id, environment: ["SLIPWAY_ACTOR": "carol"])
        #expect(deployer.status == 1 && lines(deployer.stderr) == 1, "\(deployer.stderr)")
        #expect(deployer.stderr.contains("refused: approve of accounts needs the approver role in production; carol"), "\(deployer.stderr)")
        #expect(deployer.stderr.contains("is a deployer in production"), "\(deployer.stderr)")
        let denyByDeployer = try slipway("approvals", "deny", id, "--reason", "no", environment: ["SLIPWAY_ACTOR": "carol"])
        #expect(denyByDeployer.status == 1 && denyByDeployer.stderr.contains("needs the approver role"), "\(denyByDeployer.stderr)")
        let noReason = try slipway("approvals", "deny", id, environment: ["SLIPWAY_ACTOR": "bob"])
        #expect(noReason.status == 2 && noReason.stderr.contains("--reason"), "\(noReason.stderr)")
        #expect(try awaiting(slipway).count == 1, "refusals leave it awaiting")

        let denied = try slipway("approvals", "deny", id, "--reason", "change freeze until friday", environment: ["SLIPWAY_ACTOR": "bob"])
        #expect(denied.status == 0, "\(denied.stderr)")
        #expect(eventually(30) { !deploy.isRunning })
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(deploy.terminationStatus == 1, "\(output)")
        #expect(output.contains("deploy accounts to production was denied by bob: change freeze until friday"), "\(output)")
        #expect(try slipway("runs", "--json").stdout.contains("production") == false, "nothing ran")
        let audit = try events(slipway, "request.denied")
        #expect(audit.count == 1 && audit[0].contains(#""actor":"bob""#) && audit[0].contains("change freeze until friday"), "\(audit)")
        #expect(try events(slipway, "access.refused").count == 3, "self-approval and the deployer's two refusals")
        let late = try slipway("approvals", "approve", id, environment: ["SLIPWAY_ACTOR": "bob"])
        #expect(late.status == 1 && late.stderr.contains("is not awaiting approval: it is denied"), "\(late.stderr)")
    }

    /// A deployer who asked can take the request back with `slipway cancel ID` (no approver role
    /// needed for their own); another deployer cannot.
    @Test func theRequesterWithdrawsARequestAwaitingApprovalWithCancel() throws {
        let (slipway, workspace) = try start()
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let log = workspace.root.appendingPathComponent("deploy.log")
        let deploy = try slipway.start(
            ["deploy-service", "accounts", "--env", "production"], environment: ["SLIPWAY_ACTOR": "carol"], log: log)
        defer { if deploy.isRunning { deploy.terminate() } }
        var id = ""
        #expect(try eventually { id = try awaiting(slipway).first?["id"] as? String ?? ""; return !id.isEmpty })

        let other = try slipway("cancel", id, environment: ["SLIPWAY_ACTOR": "dave"])
        #expect(other.status == 1 && other.stderr.contains("needs the approver role"), "\(other.stderr)")
        #expect(try awaiting(slipway).count == 1)

        let withdrawn = try slipway("cancel", id, environment: ["SLIPWAY_ACTOR": "carol"])
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        #expect(withdrawn.stdout.contains("request \(id) (deploy accounts to production) ended before it was approved"), "\(withdrawn.stdout)")
        #expect(eventually(30) { !deploy.isRunning })
        #expect(deploy.terminationStatus == 1)
        #expect(try awaiting(slipway).isEmpty)
        let audit = try events(slipway, "request.denied")
        #expect(audit.count == 1 && audit[0].contains(#""actor":"carol""#) && audit[0].contains("withdrawn by its requester"), "\(audit)")
        #expect(try slipway("runs", "--json").stdout.contains("production") == false, "nothing ran")
    }

    @Test func anUnapprovedRequestExpiresAfterItsTimeout() throws {
        let (slipway, _) = try start(timeout: "2s")
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let deploy = try slipway("deploy-service", "accounts", "--env", "production")
        #expect(deploy.status == 1, "\(deploy.stderr)")
        #expect(deploy.stdout.contains("awaits approval"), "\(deploy.stdout)")
        #expect(deploy.stderr.contains("deploy accounts to production expired: not approved within 2s (0 of 1 approvals)"), "\(deploy.stderr)")
        let audit = try events(slipway, "request.expired")
        #expect(audit.count == 1 && audit[0].contains("not approved within 2s"), "\(audit)")
        #expect(try awaiting(slipway).isEmpty)
        let id = try #require(audit[0].firstMatch(of: /"run_id":"([^"]+)"/)?.1)
        let late = try slipway("approvals", "approve", String(id), environment: ["SLIPWAY_ACTOR": "bob"])
        #expect(late.status == 1 && late.stderr.contains("is not awaiting approval: it is expired"), "\(late.stderr)")
    }

    @Test func pathsThatSkipRequestsAreRefusedUnderTheRuleSayingWhy() throws {
        let (slipway, _) = try start()
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        #expect(try slipway("deploy-service", "accounts", "--env", "staging", "--local").status == 0, "no rule in staging")
        let commands: [[String]] = [
            ["deploy-service", "accounts", "--env", "production", "--local"],
            ["switch", "accounts", "--env", "production", "--local"],
            ["rollback", "accounts", "--env", "production", "--local"],
            ["deploy-all", "--env", "production"],
            ["pipeline", "--env", "production"],
        ]
        for command in commands {
            let refused = try slipway.run(command, environment: ["SLIPWAY_ACTOR": "alice"])
            #expect(refused.status == 1 && lines(refused.stderr) == 1, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("bypasses the two-person rule in production (approvals: 1, roles: in slipway.yml)"),
                    "\(command): \(refused.stderr)")
        }
        let local = try slipway("deploy-service", "accounts", "--env", "production", "--local")
        #expect(local.stderr.contains("leave out --local so that the request waits for an approver"), "\(local.stderr)")
        #expect(try slipway("runs", "--json").stdout.contains("production") == false, "nothing ran in production")
    }

    @Test func aMistakeInTheRuleIsAConfigErrorAtItsPlace() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        try workspace.write(["slipway.yml": "roles:\n  production:\n    approvals: 1\n    approval_timeout: soon\n"])
        let check = try slipway("config", "check")
        #expect(check.status == 2, "\(check.stderr)")
        #expect(check.stderr.contains("slipway.yml:4:23: roles.production.approval_timeout must be a duration"), "\(check.stderr)")
    }
}
