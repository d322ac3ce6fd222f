import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Deploys, switches and rollbacks from several processes at once, with the agent killed in the
/// middle: after each burst the record (`status --json`) says what the router serves.
@Suite(.serialized) struct TrafficBurstTests {
    /// A small seeded generator, so a failing burst can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
    }

    @Test func theRecordEqualsWhatTheRouterServesAfterEveryBurst() throws {
        let workspace = try LocalServiceWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)

        var random = SeededGenerator(state: 20_261_203)
        let operations: [[String]] = [
            ["switch", "api", "--env", "staging"],
            ["rollback", "api", "--env", "staging"],
            ["deploy-service", "api", "--env", "staging", "--force"],
        ]
        for burst in 0..<3 {
            var processes: [Process] = []
            for worker in 0..<3 {
                // Each worker runs its operations one after another, in a shell of its own.
                let script = (0..<4).map { _ in
                    (operations.randomElement(using: &random) ?? operations[0]).joined(separator: " ")
                }.map { "'\(SlipwayProcess.binary.path)' \($0) || true" }.joined(separator: "; ")
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", script]
                process.currentDirectoryURL = workspace.root
                var environment = ProcessInfo.processInfo.environment
                environment["SLIPWAY_ACTOR"] = "worker-\(burst)-\(worker)"
                environment.removeValue(forKey: "CI")
                process.environment = environment
                let log = try FileHandle(forWritingTo: {
                    let url = workspace.root.appendingPathComponent("burst-\(burst)-\(worker).log")
                    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                    return url
                }())
                process.standardOutput = log
                process.standardError = log
                try process.run()
                processes.append(process)
            }
            // The agent dies once in the middle of every burst.
            Thread.sleep(forTimeInterval: 2)
            if let pid = (try? slipway.json("agent", "status") as? [String: Any])?["pid"] as? Int {
                kill(Int32(pid), SIGKILL)
            }
            for process in processes { process.waitUntilExit() }
            let logs = try (0..<3).map { try workspace.read("burst-\(burst)-\($0).log") }.joined()
            let moved = logs.components(separatedBy: ": succeeded").count - 1
            #expect(moved >= 3, "burst \(burst) moved traffic \(moved) times: \(logs.suffix(2000))")
            let settled = try eventually(60) {
                ((try slipway.json("runs") as? [[String: Any]]) ?? []).allSatisfy { $0["state"] as? String != "running" }
            }
            #expect(settled, "every run of burst \(burst) ended")

            #expect(try slipway("agent", "start").status == 0)
            let status = try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
            let agent = try #require(try slipway.json("agent", "status") as? [String: Any])
            let route = try #require((agent["routes"] as? [[String: Any]])?.first)
            let weights = try #require(route["weights"] as? [String: Int])
            let live = try #require(status["live_color"] as? String)
            #expect(weights[live] == 100, "burst \(burst): status says \(live), the router's weights are \(weights)")
            let port = try #require(Int((route["url"] as? String)?.split(separator: ":").last ?? ""))
            let answer = httpGet(port)
            #expect(answer?.status == 200)
            #expect(answer?.body.hasSuffix(" \(live)\n") == true, "burst \(burst): \(live) is recorded, \(answer?.body ?? "nothing") answered")
            #expect(status["live_version"] as? String == answer?.body.split(separator: " ").dropFirst().first.map(String.init),
                    "burst \(burst): the recorded version answers")
        }
    }
}
