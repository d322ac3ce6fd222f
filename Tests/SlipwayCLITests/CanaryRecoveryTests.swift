import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// FIELD-NOTES failure scenario 5 for canaries: what drives a canary dies (an in-process deploy,
/// or the agent executing it), and the agent, not a person, sends every request back to the
/// stable colour.
@Suite(.serialized) struct CanaryRecoveryTests {
    /// A canary of three steps judged every second on any traffic at all.
    func canaryWorkspace(function: String = #function) throws -> (TemporaryWorkspace, SlipwayProcess) {
        let workspace = try CanaryServiceWorkspace.create(canary: """
              steps: [25, 50, 100]
              interval: 1s
              min_requests: 1
            """, monitoringPeriod: "1h", function: function)
        return (workspace, SlipwayProcess(workspace))
    }

    func expectNothingLeft(_ slipway: SlipwayProcess) {
        let leftovers = slipway.stopAgentAndListLeftovers()
        #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
    }

    @Test func aCanaryWhoseDeployIsKilledIsAbortedByTheAgent() throws {
        let (workspace, slipway) = try canaryWorkspace()
        defer { expectNothingLeft(slipway) }
        let first = try slipway("deploy-service", "api", "--env", "staging")
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        func route() throws -> [String: Any]? {
            ((try slipway.json("agent", "status") as? [String: Any])?["routes"] as? [[String: Any]])?.first
        }
        func canary() -> [String: Any]? {
            try? slipway.json("canary", "status", "api", "--env", "staging") as? [String: Any]
        }
        func greenSlotState() throws -> String? {
            ((try slipway.json("agent", "status") as? [String: Any])?["slots"] as? [[String: Any]])?
                .first { $0["color"] as? String == "green" }?["state"] as? String
        }

        try CanaryServiceWorkspace.newVersion(workspace, files: [:], note: "orphaned")
        let log = workspace.root.appendingPathComponent("deploy.log")
        // In process (--local): the deploy itself drives the canary, as on a CI machine without an agent.
        let deploy = try slipway.start(["deploy-service", "api", "--env", "staging", "--local"], log: log)
        let atFirstStep = eventually(60) {
            canary()?["phase"] as? String == "running"
                && ((try? route())??["weights"] as? [String: Int]) == ["blue": 75, "green": 25]
        }
        try #require(atFirstStep, "the canary reached its first step: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        kill(deploy.processIdentifier, SIGKILL)
        deploy.waitUntilExit()
        #expect(deploy.terminationReason == .uncaughtSignal, "the deploy was killed, not finished")

        #expect(eventually(30) { ((try? route())??["weights"] as? [String: Int]) == ["blue": 100, "green": 0] },
                "stable is back at 100%")
        #expect(eventually(30) { (try? greenSlotState()) == "stopped" }, "the canary's slot was stopped")
        let status = try #require(canary())
        #expect(status["phase"] as? String == "rolled_back")
        #expect((status["reason"] as? String)?.contains("aborted by the agent") == true, "\(status)")
        let events = try slipway("events", "--limit", "500").stdout.split(separator: "\n")
        #expect(events.contains { $0.contains("  agent  canary.changed  api/staging") && $0.contains("aborted by the agent") },
                "the agent recorded the abort: \(events.suffix(10))")
        let url = try #require(try route()?["url"] as? String)
        let port = try #require(url.split(separator: ":").last.flatMap { Int($0) })
        #expect(httpGet(port)?.body.hasSuffix(" blue\n") == true, "stable answers")
    }

    @Test func aCanaryWhoseAgentDiesEndsOnTheStableColour() throws {
        let (workspace, slipway) = try canaryWorkspace()
        defer { expectNothingLeft(slipway) }
        try #require(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        func agentStatus() throws -> [String: Any]? { try slipway.json("agent", "status") as? [String: Any] }
        func weights() -> [String: Int]? { ((try? agentStatus())??["routes"] as? [[String: Any]])?.first?["weights"] as? [String: Int] }

        try CanaryServiceWorkspace.newVersion(workspace, files: [:], note: "agent dies")
        let log = workspace.root.appendingPathComponent("deploy.log")
        let deploy = try slipway.start(["deploy-service", "api", "--env", "staging"], log: log)
        try #require(eventually(60) { weights() == ["blue": 75, "green": 25] }, "the canary reached its first step")
        let agent = try #require(try agentStatus()?["pid"] as? Int)
        kill(Int32(agent), SIGKILL)

        // The deploy's command starts a new agent, which ends the canary nobody judged, safely.
        deploy.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(deploy.terminationStatus == 1, "\(output)")
        #expect(output.contains("the agent running the canary died; traffic is back on blue"), "\(output)")
        #expect(weights() == ["blue": 100, "green": 0])
        let slots = try #require(try agentStatus()?["slots"] as? [[String: Any]])
        #expect(slots.first { $0["color"] as? String == "green" }?["state"] as? String == "stopped")
    }
}
