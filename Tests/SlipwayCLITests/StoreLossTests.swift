import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The store removed while the agent runs: the agent stops writing and says so, commands refuse
/// to start an empty history, and `store rebuild --from-agent` gives back what the agent and its
/// router know, while the router serves on.
@Suite(.serialized) struct StoreLossTests {
    @Test func aRemovedStoreIsNoticedRefusedAndRecoveredFromTheAgent() async throws {
        let workspace = try LocalServiceWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let before = try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
        let agentBefore = try #require(try slipway.json("agent", "status") as? [String: Any])
        let route = try #require((agentBefore["routes"] as? [[String: Any]])?.first)
        let port = try #require(Int((route["url"] as? String)?.split(separator: ":").last ?? ""))
        let traffic = SteadyTraffic(port: port, clients: 2)

        let state = workspace.root.appendingPathComponent(".slipway/state.db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: state.path + suffix) }

        let agent = AgentClient(workspace: workspace.root, statePath: state)
        var problem: String?
        let deadline = Date().addingTimeInterval(10)
        while problem == nil, Date() < deadline {
            problem = try? await agent.status().storeProblem
            if problem == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(problem != nil, "the agent noticed")
        #expect(problem?.contains("state.db was removed after this process opened it") == true, "\(problem ?? "")")

        let refused = try slipway("status")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("there is no store at \(state.path), but the agent of this workspace runs")
            && refused.stderr.contains("'slipway store rebuild --from-agent'") && refused.stderr.contains("--new-store"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: state.path), "no empty store was made")

        let recovered = try slipway("store", "rebuild", "--from-agent")
        #expect(recovered.status == 0, "\(recovered.stderr)")
        #expect(recovered.stdout.contains("recovered 1 routes (1 live)"), "\(recovered.stdout)")

        let after = try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
        #expect(after["live_color"] as? String == before["live_color"] as? String)
        #expect(after["live_version"] as? String == before["live_version"] as? String)
        #expect(after["url"] as? String == before["url"] as? String)
        let answer = httpGet(port)
        #expect(answer?.body == "api \(before["live_version"] as? String ?? "?") \(before["live_color"] as? String ?? "?")\n", "\(answer?.body ?? "no answer")")
        let agentAfter = try #require(try slipway.json("agent", "status") as? [String: Any])
        #expect(agentAfter["pid"] as? Int != agentBefore["pid"] as? Int, "a new agent supervises the fleet")
        #expect(agentAfter["store_problem"] == nil)
        #expect(try eventually(10) {
            (try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first?["health"] as? String == "healthy"
        }, "the new agent probes the recovered live slot")
        #expect(try slipway("events").stdout.contains("recovered from the agent (pid \(agentBefore["pid"] as? Int ?? 0))"))
        #expect(try slipway("switch", "api", "--env", "staging").status == 0, "the recovered fleet switches")
        let answers = traffic.stop()
        #expect(answers.keys.allSatisfy { $0 == 200 }, "the router served throughout: \(answers)")
    }
}
