import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The agent killed at named steps (`SLIPWAY_CRASH_AT`, honoured only when set, once per store):
/// a new agent takes the run over to its end, exactly one colour is live, it is healthy, and the
/// router and the record agree.
@Suite(.serialized) struct CrashPointTests {
    @Test(arguments: [
        "switch-before-upstream", "switch-before-weights", "switch-before-record", "start-slot-before-launch",
        "start-slot-before-record", "start-slot-after-record",
    ])
    func anAgentKilledMidwayLeavesOneHealthyLiveColour(step: String) throws {
        let workspace = try LocalServiceWorkspace.create(settings: "")
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let before = try #require(try slipway.json("agent", "status") as? [String: Any])
        let agentPID = try #require(before["pid"] as? Int)
        // Only an agent started with the variable crashes: stop this one so the next is started with it.
        kill(Int32(agentPID), SIGKILL)

        let crashing: SlipwayProcess.Result
        if step.hasPrefix("switch") {
            crashing = try slipway("switch", "api", "--env", "staging", "--to", "blue", environment: ["SLIPWAY_CRASH_AT": step])
        } else {
            try LocalServiceWorkspace.newVersion(workspace, note: "three")
            crashing = try slipway("deploy-service", "api", "--env", "staging", environment: ["SLIPWAY_CRASH_AT": step])
        }
        // The command following the run starts a new agent, which takes the run over to its end.
        #expect(crashing.status == 0, "the run went on in a new agent: \(crashing.stdout)\(crashing.stderr)")
        #expect(crashing.stdout.contains("resumed by agent"), "\(crashing.stdout)")

        #expect(try slipway("agent", "start").status == 0)
        let after = try #require(try slipway.json("agent", "status") as? [String: Any])
        #expect(after["pid"] as? Int != agentPID)
        let route = try #require((after["routes"] as? [[String: Any]])?.first)
        let weights = try #require(route["weights"] as? [String: Int])
        #expect(weights["blue"] == 100 || weights["green"] == 100, "one colour takes all traffic: \(weights)")
        let live = try #require(route["live_color"] as? String)
        #expect(weights[live] == 100, "the record and the router agree")
        let port = try #require(Int((route["url"] as? String)?.split(separator: ":").last ?? ""))
        let answer = httpGet(port)
        #expect(answer?.status == 200)
        #expect(answer?.body.hasSuffix(" \(live)\n") == true, "the live colour answers: \(answer?.body ?? "nothing")")
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.allSatisfy { $0["state"] as? String != "running" }, "no run is left running")
        try expectOnlyRecordedSlotsRun(after, workspace: workspace)
    }

    /// A slot killed while the agent stops it (the unhealthy release of a refused deploy) stays
    /// stopped: the stop is recorded before the process goes, and the next agent ends the process.
    @Test func anAgentKilledWhileStoppingARefusedSlotLeavesItStopped() throws {
        let workspace = try LocalServiceWorkspace.create(settings: "")
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let before = try #require(try slipway.json("agent", "status") as? [String: Any])
        kill(Int32(try #require(before["pid"] as? Int)), SIGKILL)
        try LocalServiceWorkspace.newVersion(workspace, markers: ["UNHEALTHY"], note: "sick")
        let refused = try slipway("deploy-service", "api", "--env", "staging", environment: ["SLIPWAY_CRASH_AT": "stop-slot-after-record"])
        #expect(refused.status == 1)

        #expect(try slipway("agent", "start").status == 0)
        let after = try #require(try slipway.json("agent", "status") as? [String: Any])
        let slots = try #require(after["slots"] as? [[String: Any]])
        #expect(slots.first { $0["color"] as? String == "green" }?["state"] as? String == "stopped")
        try expectOnlyRecordedSlotsRun(after, workspace: workspace)
    }

    /// Every slot process of the workspace is one the agent's record says is running.
    func expectOnlyRecordedSlotsRun(_ status: [String: Any], workspace: TemporaryWorkspace) throws {
        let recorded = Set(try #require(status["slots"] as? [[String: Any]]).compactMap { slot -> Int32? in
            slot["state"] as? String == "running" ? (slot["pid"] as? Int).map(Int32.init) : nil
        })
        let running = Set(SlotProcess.processes(loggingUnder: workspace.root.appendingPathComponent(".slipway/logs").path).map(\.pid))
        #expect(running == recorded, "slot processes \(running), recorded as running \(recorded)")
    }
}
