import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The zero-downtime proof: a bounded load loop through the router while traffic is switched,
/// releases are deployed and the agent is killed.
@Suite(.serialized) struct ZeroDowntimeTests {
    @Test func switchesDeploysAndAKilledAgentDropNoRequest() throws {
        let workspace = try LocalServiceWorkspace.create(settings: "")
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "green")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        let url = try #require((status["routes"] as? [[String: Any]])?.first?["url"] as? String)
        let port = try #require(Int(url.split(separator: ":").last ?? ""))

        let load = LoadLoop()
        load.start(port: port)
        // Windows in which every request sent must be answered by one colour: from a switch's return
        // to the start of the next change.
        var windows: [(from: Date, to: Date, color: String)] = []
        var color = "green"
        for round in 0..<50 {
            color = color == "green" ? "blue" : "green"
            let switched = try slipway("switch", "api", "--env", "staging", "--to", color)
            #expect(switched.status == 0, "switch \(round): \(switched.stdout)\(switched.stderr)")
            let returned = Date()
            if round == 25 {
                let agent = try #require(try slipway.json("agent", "status") as? [String: Any])
                kill(Int32(try #require(agent["pid"] as? Int)), SIGKILL)
            }
            if round % 5 == 4 {
                windows.append((returned, Date(), color))
                try LocalServiceWorkspace.newVersion(workspace, note: "release \(round)")
                let deployed = try slipway("deploy-service", "api", "--env", "staging")
                #expect(deployed.status == 0, "deploy after switch \(round): \(deployed.stdout)\(deployed.stderr)")
                color = color == "green" ? "blue" : "green"
            } else {
                usleep(50_000)
                windows.append((returned, Date(), color))
            }
        }
        let answers = load.stop()

        #expect(answers.count > 100, "the load loop ran (\(answers.count) requests)")
        let failed = answers.filter { $0.status != 200 }
        #expect(failed.isEmpty, "\(failed.count) of \(answers.count) requests failed: \(failed.prefix(5).map { "\($0.status.map(String.init) ?? "no answer")" })")
        for window in windows {
            let wrong = answers.filter { $0.sentAt > window.from && $0.sentAt < window.to && $0.color != window.color }
            #expect(wrong.isEmpty, "\(wrong.count) requests after a switch to \(window.color) were answered by the other colour")
        }
    }

    /// A deploy whose command or agent dies at each step still ends properly, and the router
    /// answers every request meanwhile: the command killed right after the switch, the agent
    /// killed in the health gate, and the agent killed in the post-promotion window.
    @Test func processesKilledDuringDeploysDropNoRequest() throws {
        let workspace = try LocalServiceWorkspace.create()
        try workspace.write(["services/api/slipway.yml": try workspace.read("services/api/slipway.yml")
            .replacingOccurrences(of: "post_promotion: 1s", with: "post_promotion: 3s")])
        try workspace.commitAll("watch for 3s")
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        func agentStatus() throws -> [String: Any] { try #require(try slipway.json("agent", "status") as? [String: Any]) }
        func started(_ stage: String, _ runID: String) throws -> Bool {
            try slipway("events", "--json", "--limit", "200").stdout.split(separator: "\n").contains {
                $0.contains(#""kind":"stage.started""#) && $0.contains(#""stage":"\#(stage)""#) && $0.contains(runID)
            }
        }
        let url = try #require((try agentStatus()["routes"] as? [[String: Any]])?.first?["url"] as? String)
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        let load = LoadLoop()
        load.start(port: port)

        for (round, (stage, victim)) in [("post-promotion", "command"), ("health-check", "agent"), ("post-promotion", "agent")].enumerated() {
            try LocalServiceWorkspace.newVersion(workspace, note: "round \(round)")
            let deploy = try slipway.start(
                ["deploy-service", "api", "--env", "staging"], log: workspace.root.appendingPathComponent("round-\(round).log"))
            var runID = ""
            #expect(try eventually(60) {
                runID = ((try slipway.json("runs") as? [[String: Any]])?.first { $0["state"] as? String == "running" }?["id"] as? String) ?? ""
                return try !runID.isEmpty && started(stage, runID)
            }, "round \(round) reached \(stage)")
            if victim == "command" {
                kill(deploy.processIdentifier, SIGKILL)
            } else {
                kill(Int32(try #require(try agentStatus()["pid"] as? Int)), SIGKILL)
            }
            deploy.waitUntilExit()
            if victim == "command" { #expect(try slipway("agent", "start").status == 0) }
            #expect(try eventually(60) {
                ((try slipway.json("runs", "show", runID) as? [String: Any])?["state"] as? String) == "succeeded"
            }, "round \(round): the run ended properly: \((try? workspace.read("round-\(round).log")) ?? "")")
            let status = try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
            let route = try #require((try agentStatus()["routes"] as? [[String: Any]])?.first)
            let live = try #require(status["live_color"] as? String)
            #expect((route["weights"] as? [String: Int])?[live] == 100, "round \(round): status and router agree")
        }
        let answers = load.stop()
        #expect(answers.count > 100, "the load loop ran (\(answers.count) requests)")
        let failed = answers.filter { $0.status != 200 }
        #expect(failed.isEmpty, "\(failed.count) of \(answers.count) requests failed")
    }

    @Test func twoSwitchesAtOnceAreSerializedAndTheLastOneWins() throws {
        let workspace = try LocalServiceWorkspace.create(settings: "")
        let slipway = SlipwayProcess(workspace)
        defer { _ = try? slipway("agent", "stop") }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "green")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let first = try slipway.start(["switch", "api", "--env", "staging", "--to", "blue"],
                                      log: workspace.root.appendingPathComponent("first.log"))
        let second = try slipway("switch", "api", "--env", "staging", "--to", "green")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.status == 0, "\(second.stderr)")
        let events = try slipway("events", "--json").stdout.split(separator: "\n").filter { $0.contains("traffic.switched") }
        let last = try #require(events.last)
        let route = try #require((try slipway.json("agent", "status") as? [String: Any])?["routes"] as? [[String: Any]])
        #expect(route.first?["live_color"] as? String == (last.contains(#""color":"green""#) ? "green" : "blue"),
                "the router and the record agree on the last switch")
    }
}
