import Foundation
import SlipwayTestSupport
import Testing

/// Runs with no checkpoint to go on from (a Makefile's goals, a cloud platform's calls) whose
/// process died after they began moving traffic: whoever takes over puts every request back on
/// the last good release, and the run fails saying so, instead of leaving the traffic wherever it was.
@Suite struct TrafficRestorationTests {
    /// A Makefile service whose `switch-traffic` writes the colour it was given to `live-color`.
    func makefileService(function: String = #function) throws -> (TemporaryWorkspace, SlipwayProcess) {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/Makefile": """
                deploy:
                \techo "$(VERSION)" > deployed-$(COLOR)
                switch-traffic:
                \techo "$(COLOR)" > live-color

                """,
            ".gitignore": ".slipway/\nservices/api/deployed-*\nservices/api/live-color\n",
        ], function: function)
        try workspace.commitAll("api")
        return (workspace, SlipwayProcess(workspace))
    }

    @Test func aMakefileDeployWhoseAgentDiedAfterTheSwitchPutsTrafficBackOnTheLastGoodColour() throws {
        let (workspace, slipway) = try makefileService()
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let first = try slipway("deploy-service", "api", "--env", "staging", "--version", "v1")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try workspace.read("services/api/live-color") == "blue\n")
        // Only an agent started with the variable crashes: stop this one so the next is started with it.
        let agent = try #require((try slipway.json("agent", "status") as? [String: Any])?["pid"] as? Int)
        kill(Int32(agent), SIGKILL)

        let second = try slipway(
            "deploy-service", "api", "--env", "staging", "--version", "v2",
            environment: ["SLIPWAY_CRASH_AT": "after-stage-switch-traffic"])
        #expect(second.status == 1, "\(second.stdout)\(second.stderr)")
        #expect(try workspace.read("services/api/deployed-green") == "v2\n", "v2 went out in green")
        #expect(try workspace.read("services/api/live-color") == "blue\n", "the traffic is back on v1's colour")
        #expect(second.stdout.contains("died during switch-traffic; every request is back on v1 (blue)"), "\(second.stdout)")

        let status = try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
        #expect(status["live_version"] as? String == "v1", "\(status)")
        #expect(status["live_color"] as? String == "blue", "\(status)")
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.first?["state"] as? String == "failed", "\(runs)")
        let reason = runs.first?["reason"] as? String ?? ""
        #expect(reason.contains("every request is back on v1"), "\(runs)")
    }

    @Test func aMakefileDeployWhoseAgentDiedBeforeMovingTrafficIsRecordedInterrupted() throws {
        let (workspace, slipway) = try makefileService()
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging", "--version", "v1").status == 0)
        let agent = try #require((try slipway.json("agent", "status") as? [String: Any])?["pid"] as? Int)
        kill(Int32(agent), SIGKILL)

        let second = try slipway(
            "deploy-service", "api", "--env", "staging", "--version", "v2", environment: ["SLIPWAY_CRASH_AT": "after-stage-deploy"])
        #expect(second.status == 1, "\(second.stdout)\(second.stderr)")
        #expect(try workspace.read("services/api/live-color") == "blue\n", "no switch was made")
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.first?["state"] as? String == "interrupted", "\(runs)")
        #expect(!second.stdout.contains("every request is back"), "\(second.stdout)")
    }
}
