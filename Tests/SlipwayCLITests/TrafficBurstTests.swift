import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A thousand random deploys, switches, rollbacks and canary steps from several processes at once,
/// on two components in two environments, with the agent killed in the middle of every burst:
/// after each burst the record (`status --json`: colour, version, health) says what each router serves.
@Suite(.serialized) struct TrafficBurstTests {
    static let bursts = 10
    static let workers = 4
    static let operationsPerWorker = 25
    static let lanes = [("api", "staging"), ("api", "production"), ("web", "staging"), ("web", "production")]

    /// `api` switches blue/green; `web` walks a short canary judged on the steady traffic the test
    /// sends it, so canary keys have a canary to steer.
    static func workspace(function: String = #function) throws -> TemporaryWorkspace {
        let health = """
            health:
              interval: 100ms
              timeout: 1s
              attempts: 50
            """
        let workspace = try TemporaryWorkspace(files: [
            "services/api/server.py": LocalServiceWorkspace.server,
            "services/api/slipway.yml": "target: local\nrun: exec python3 server.py\npost_promotion: 1s\n\(health)\n",
            "services/web/server.py": CanaryServiceWorkspace.server,
            "services/web/slipway.yml": """
                target: local
                run: exec python3 server.py
                post_promotion: 1s
                strategy: canary
                monitoring_period: 1s
                \(health)
                canary:
                  steps: [20, 50, 100]
                  interval: 300ms
                  min_requests: 1

                """,
        ], function: function)
        try workspace.commitAll("first")
        return workspace
    }

    /// One operation as a shell command line; bounded, so an operation that hangs ends the
    /// worker's wait, not the test run. A pause is always followed by a resume: a canary held
    /// by nobody would hold its lane for good.
    static func randomOperation(using random: inout SeededGenerator) -> String {
        let slipway = "timeout 120 '\(SlipwayProcess.binary.path)'"
        let (component, environment) = lanes.randomElement(using: &random) ?? lanes[0]
        let kind = [
            "switch", "switch", "switch", "rollback", "rollback", "deploy-service",
            "canary promote", "canary abort", "canary pause", "canary resume",
        ].randomElement(using: &random) ?? "switch"
        if kind == "canary pause" {
            return "\(slipway) canary pause web --env \(environment); \(slipway) canary resume web --env \(environment)"
        }
        if kind.hasPrefix("canary") { return "\(slipway) \(kind) web --env \(environment)" }
        return "\(slipway) \(kind) \(component) --env \(environment)" + (kind == "deploy-service" ? " --force" : "")
    }

    @Test func theRecordEqualsWhatEveryRouterServesAfterEachBurst() throws {
        let workspace = try Self.workspace()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        func deployEverywhere() throws {
            for (component, environment) in Self.lanes {
                let deploy = try slipway("deploy-service", component, "--env", environment)
                #expect(deploy.status == 0, "\(component) in \(environment): \(deploy.stderr)\(deploy.stdout.suffix(1500))")
            }
        }
        func row(_ component: String, _ environment: String) throws -> [String: Any]? {
            ((try slipway.json("status", "--env", environment) as? [[String: Any]]) ?? []).first { $0["component"] as? String == component }
        }
        try deployEverywhere()
        let startedAgent = try #require(try slipway.json("agent", "status") as? [String: Any])
        let canaryPorts = ((startedAgent["routes"] as? [[String: Any]]) ?? []).filter { $0["component"] as? String == "web" }
            .compactMap { ($0["url"] as? String)?.split(separator: ":").last.flatMap { Int($0) } }
        #expect(canaryPorts.count == 2)
        // A canary judges requests: without traffic it would wait for a person.
        let warmUp = canaryPorts.map { SteadyTraffic(port: $0, clients: 1) }
        try workspace.write(["services/api/NOTE": "two", "services/web/NOTE": "two"])
        try workspace.commitAll("two")
        try deployEverywhere()
        for answers in warmUp.map({ $0.stop() }) { #expect(answers.keys.allSatisfy { $0 == 200 }, "\(answers)") }

        var random = SeededGenerator(seed: 20_261_203)
        var operations = 0
        var performed: [String] = []
        for burst in 0..<Self.bursts {
            let traffic = canaryPorts.map { SteadyTraffic(port: $0, clients: 1) }
            var processes: [Process] = []
            for worker in 0..<Self.workers {
                // Each worker runs its operations one after another, in a shell of its own.
                let lines = (0..<Self.operationsPerWorker).map { _ in Self.randomOperation(using: &random) }
                performed += lines
                let script = lines.map { "{ \($0); } || true" }.joined(separator: "; ")
                operations += Self.operationsPerWorker
                let logURL = workspace.root.appendingPathComponent("burst-\(burst)-\(worker).log")
                _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
                let log = try FileHandle(forWritingTo: logURL)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", script]
                process.currentDirectoryURL = workspace.root
                var environment = ProcessInfo.processInfo.environment
                environment["SLIPWAY_ACTOR"] = "worker-\(burst)-\(worker)"
                environment.removeValue(forKey: "CI")
                process.environment = environment
                process.standardOutput = log
                process.standardError = log
                try process.run()
                processes.append(process)
            }
            // The agent dies once in the middle of every burst, at a point that moves from burst to burst.
            Thread.sleep(forTimeInterval: Double(1 + burst % 3))
            if let pid = (try? slipway.json("agent", "status") as? [String: Any])?["pid"] as? Int {
                kill(Int32(pid), SIGKILL)
            }
            for process in processes { process.waitUntilExit() }
            let logs = try (0..<Self.workers).map { try workspace.read("burst-\(burst)-\($0).log") }.joined()
            let moved = logs.components(separatedBy: ": succeeded").count - 1
            #expect(moved >= Self.workers, "burst \(burst) finished only \(moved) runs: \(logs.suffix(2000))")
            let settled = try eventually(120) {
                ((try slipway.json("runs", "--limit", "1000") as? [[String: Any]]) ?? []).allSatisfy { $0["state"] as? String != "running" }
            }
            #expect(settled, "every run of burst \(burst) ended")
            for answers in traffic.map({ $0.stop() }) {
                #expect(answers.keys.allSatisfy { $0 == 200 }, "burst \(burst): the canary's router answered \(answers)")
            }

            #expect(try slipway("agent", "start").status == 0)
            let agent = try #require(try slipway.json("agent", "status") as? [String: Any])
            let routes = (agent["routes"] as? [[String: Any]]) ?? []
            for (component, environment) in Self.lanes {
                let where_ = "burst \(burst), \(component) in \(environment)"
                let status = try #require(try row(component, environment), "\(where_): no row in status")
                let route = try #require(routes.first { $0["component"] as? String == component && $0["environment"] as? String == environment },
                                         "\(where_): no route in \(routes)")
                let weights = try #require(route["weights"] as? [String: Int])
                let live = try #require(status["live_color"] as? String, "\(where_): \(status)")
                #expect(weights[live] == 100, "\(where_): status says \(live), the router's weights are \(weights)")
                let port = try #require(Int((route["url"] as? String)?.split(separator: ":").last ?? ""))
                let answer = httpGet(port)
                #expect(answer?.status == 200, "\(where_): \(answer.map { "\($0.status)" } ?? "no answer")")
                #expect(answer?.body.hasSuffix(" \(live)\n") == true, "\(where_): \(live) is recorded, \(answer?.body ?? "nothing") answered")
                #expect(status["live_version"] as? String == answer?.body.split(separator: " ").dropFirst().first.map(String.init),
                        "\(where_): the recorded version answers")
                let healthy = try eventually(10) {
                    try row(component, environment)?["health"] as? String == "healthy"
                }
                #expect(healthy, "\(where_): the live release is recorded healthy")
            }
        }
        #expect(operations == 1_000)
        // Each operation's words after the binary: 3 kinds on the four lanes, 4 canary steps on the canary's two.
        let distinct = Set(performed.map { $0.components(separatedBy: "' ")[1].split(separator: ";")[0] })
        #expect(distinct.count == 20, "every kind of operation on every lane: \(distinct.sorted())")
        // The bursts did what they say: traffic moved often, canaries were steered, and runs the
        // killed agents left were taken over by the next one.
        let store = try SQLiteStore(path: workspace.root.appendingPathComponent(".slipway/state.db"))
        var kinds: [EventKind: Int] = [:]
        var after: Int64 = 0
        while case let page = try store.events(after: after, limit: 5_000), let last = page.last {
            for event in page { if let kind = event.knownKind { kinds[kind, default: 0] += 1 } }
            after = last.id
        }
        #expect(kinds[.trafficSwitched, default: 0] >= 200, "\(kinds)")
        #expect(kinds[.canaryChanged, default: 0] >= 20, "\(kinds)")
        #expect(kinds[.runResumed, default: 0] + kinds[.runFinished, default: 0] >= 500, "\(kinds)")
    }
}
