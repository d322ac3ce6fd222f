import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Canaries for real: python3 releases behind the real router, weights moved by the agent,
/// every interval judged from the router's counters. Deterministic traffic comes from the
/// router's smooth weighted round-robin; intervals are short through configuration.
@Suite(.serialized) struct CanaryTests {
    struct Live {
        var slipway: SlipwayProcess
        var workspace: TemporaryWorkspace

        func agentStatus() throws -> [String: Any] {
            try #require(try slipway.json("agent", "status") as? [String: Any])
        }

        func route() throws -> [String: Any] {
            try #require((try agentStatus()["routes"] as? [[String: Any]])?.first)
        }

        func routePort() throws -> Int {
            let url = try #require(try route()["url"] as? String)
            return try #require(Int(url.split(separator: ":").last ?? ""))
        }

        func slot(_ color: String) throws -> [String: Any]? {
            (try agentStatus()["slots"] as? [[String: Any]])?.first { $0["color"] as? String == color }
        }

        func canaryStatus() throws -> [String: Any] {
            try #require(try slipway.json("canary", "status", "api", "--env", "staging") as? [String: Any])
        }

        /// Runs the deploy of the committed version in the background, up to `seconds`;
        /// a deploy still running then is interrupted (which rolls its canary back) and reported.
        func deploy(within seconds: Double = 120, while during: () throws -> Void = {}) throws -> (status: Int32, output: String) {
            let log = workspace.root.appendingPathComponent("deploy.log")
            let process = try slipway.start(["deploy-service", "api", "--env", "staging"], log: log)
            try during()
            let finished = eventually(seconds) { !process.isRunning }
            if !finished {
                process.interrupt()
                process.waitUntilExit()
            }
            process.waitUntilExit()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(finished, "the deploy did not finish within \(seconds)s:\n\(output)")
            return (process.terminationStatus, output)
        }

        /// Stops everything; a process caught in the middle of exiting (empty command line) is
        /// given a few seconds to go before it counts as left behind.
        func stopAll() {
            var leftovers = slipway.stopAgentAndListLeftovers()
            _ = eventually(5) {
                leftovers = slipway.stopAgentAndListLeftovers()
                return leftovers.isEmpty
            }
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
    }

    /// A canary of three 1 s steps, the first version live in blue and a healthy one committed.
    func startWithAHealthyNewVersion(function: String = #function) throws -> Live {
        let live = try start(canary: """
              steps: [10, 50, 100]
              interval: 1s
              min_requests: 3
            """, monitoringPeriod: "2s", function: function)
        try CanaryServiceWorkspace.newVersion(live.workspace, files: [:], note: "healthy")
        return live
    }

    /// A workspace whose first version is live in blue, deployed without a canary (nothing to compare with yet).
    func start(
        canary: String, monitoringPeriod: String, files: [String: String] = [:], function: String = #function
    ) throws -> Live {
        let workspace = try CanaryServiceWorkspace.create(
            canary: canary, monitoringPeriod: monitoringPeriod, files: files, function: function)
        let live = Live(slipway: SlipwayProcess(workspace), workspace: workspace)
        let first = try live.slipway("deploy-service", "api", "--env", "staging")
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        return live
    }

    @Test func aCanaryFailingOneRequestInTwentyIsRolledBackAfterThresholdIntervals() throws {
        let live = try start(canary: """
              steps: [5, 25, 50, 100]
              interval: 1s
              threshold: 2
              min_requests: 3
            """, monitoringPeriod: "3s")
        defer { live.stopAll() }
        let port = try live.routePort()
        try CanaryServiceWorkspace.newVersion(live.workspace, files: ["FAIL_EVERY": "20"], note: "flaky")
        let traffic = SteadyTraffic(port: port, clients: 4)
        let result = try live.deploy()
        traffic.stop()

        #expect(result.status == 1)
        #expect(result.output.contains("rolled back: 2 failed checks (threshold 2): error rate"), "\(result.output)")
        #expect(try live.route()["weights"] as? [String: Int] == ["blue": 100, "green": 0], "stable has every request")
        #expect(try live.slot("green")?["state"] as? String == "stopped", "the canary's slot was stopped")
        let status = try live.canaryStatus()
        #expect(status["phase"] as? String == "rolled_back")
        #expect(status["failed"] as? Int == 2)
        #expect(httpGet(port)?.body.hasSuffix(" blue\n") == true)
    }

    @Test func aHealthyCanaryIsPromotedThroughEveryStep() throws {
        let live = try startWithAHealthyNewVersion()
        defer { live.stopAll() }
        let port = try live.routePort()
        let traffic = SteadyTraffic(port: port, clients: 4)
        let result = try live.deploy()
        let answers = traffic.stop()

        #expect(result.status == 0, "\(result.output)")
        #expect(Self.canaryWeights(in: result.output) == [10, 50, 100], "\(result.output)")
        #expect(try live.route()["weights"] as? [String: Int] == ["blue": 0, "green": 100])
        #expect(try live.canaryStatus()["phase"] as? String == "promoted")
        #expect(answers.keys.allSatisfy { $0 == 200 }, "no request failed during the canary: \(answers)")
        #expect(httpGet(port)?.body.hasSuffix(" green\n") == true)
    }

    /// Issue 16 item 15: a deploy on a terminal shows the canary's rollout as a bar with the time
    /// left under its lines (the agent runs the canary; the command reads its record).
    @Test func aDeployOnATerminalShowsTheRolloutUnderItsLines() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) from util-linux")
        let live = try startWithAHealthyNewVersion()
        defer { live.stopAll() }
        let port = try live.routePort()
        let traffic = SteadyTraffic(port: port, clients: 4)
        let (status, output) = try TerminalProgressTests.onATerminal(live.slipway, "deploy-service api --env staging")
        _ = traffic.stop()
        #expect(status == 0, "\(output)")
        let bars = output.components(separatedBy: "\r\u{1B}[K").filter { $0.hasPrefix("canary ▕") }
        #expect(bars.count >= 2 && bars.contains { $0.contains(" of 4s") && $0.contains(" left") }, "\(output.debugDescription)")
        let after = try #require(output.components(separatedBy: "==> post-promotion").last, "\(output)")
        #expect(!after.contains("canary ▕") && after.contains("succeeded"), "no bar once the canary is done: \(after.debugDescription)")
    }

    @Test func aPersonCanPauseResumeAndPromoteFromTheCommandLine() throws {
        let live = try start(canary: """
              steps: [10, 50, 100]
              interval: 1s
              min_requests: 1
            """, monitoringPeriod: "1h")
        defer { live.stopAll() }
        let port = try live.routePort()
        try CanaryServiceWorkspace.newVersion(live.workspace, files: [:], note: "steered")
        let traffic = SteadyTraffic(port: port, clients: 2)
        let result = try live.deploy { () throws in
            #expect(eventually(60) { ((try? live.canaryStatus())?["passed"] as? Int ?? 0) >= 1 }, "judged at least once")
            #expect(try live.slipway("canary", "pause", "api", "--env", "staging").status == 0)
            #expect(eventually(30) { (try? live.canaryStatus()["phase"] as? String) == "paused" })
            #expect(try live.canaryStatus()["reason"] as? String == "paused by tester")
            #expect(try live.slipway("canary", "resume", "api", "--env", "staging").status == 0)
            #expect(eventually(30) { (try? live.canaryStatus()["phase"] as? String) == "running" })
            #expect(try live.canaryStatus()["weights"] as? [String: Int] == ["blue": 90, "green": 10], "still the first step")
            #expect(try live.slipway("canary", "promote", "api", "--env", "staging").status == 0)
        }
        traffic.stop()
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("tester asked to promote the canary"))
        #expect(Self.canaryWeights(in: result.output) == [10, 100], "promoted straight from the first step")
        #expect(try live.route()["weights"] as? [String: Int] == ["blue": 0, "green": 100])
        let text = try live.slipway("canary", "status", "api", "--env", "staging")
        #expect(text.stdout.contains("canary"), "\(text.stdout)")
        #expect(text.stdout.contains("promoted"))
    }

    /// The weights the canary was given, in order, from lines `N% of api in staging now goes to green`.
    static func canaryWeights(in output: String) -> [Int] {
        let pattern = /(\d+)% of api in staging now goes to green/
        return output.split(separator: "\n").compactMap { line in
            (try? pattern.firstMatch(in: String(line))).flatMap { $0.map { Int($0.output.1) } } ?? nil
        }
    }

    @Test func tooLittleTrafficPausesTheCanaryForAPerson() throws {
        let live = try start(canary: """
              interval: 1s
              min_requests: 50
            """, monitoringPeriod: "5s")
        defer { live.stopAll() }
        try CanaryServiceWorkspace.newVersion(live.workspace, files: [:], note: "quiet")
        let result = try live.deploy {
            #expect(eventually(60) { (try? live.canaryStatus()["phase"] as? String) == "paused" }, "no traffic pauses it")
            let status = try live.canaryStatus()
            #expect((status["reason"] as? String)?.hasPrefix("only 0 canary requests in the interval") == true)
            #expect(status["weights"] as? [String: Int] == ["blue": 95, "green": 5], "paused where it was")
            #expect(try live.slipway("canary", "abort", "api", "--env", "staging").status == 0)
        }
        #expect(result.status == 1)
        #expect(result.output.contains("rolled back: aborted by tester"), "\(result.output)")
        #expect(try live.route()["weights"] as? [String: Int] == ["blue": 100, "green": 0])
        let refused = try live.slipway("canary", "resume", "api", "--env", "staging")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no canary of api is in progress in staging"))
    }

    /// Stable waits 200 ms a request; a canary 20% slower fails, one 5% slower passes. (200 ms
    /// rather than 100: the debug router on a shared machine adds some 50 ms to every request,
    /// which would shrink a 20 ms difference to near the 10% limit.)
    @Test(arguments: [(240, false), (210, true)])
    func latencyAgainstTheStableColourDecides(canaryDelay: Int, promoted: Bool) throws {
        let live = try start(canary: """
              steps: [50, 100]
              interval: 2s
              threshold: 2
              min_requests: 10
            """, monitoringPeriod: "4s", files: ["DELAY_MS": "200"], function: "latency\(canaryDelay)")
        defer { live.stopAll() }
        let port = try live.routePort()
        try CanaryServiceWorkspace.newVersion(live.workspace, files: ["DELAY_MS": String(canaryDelay)], note: "delay")
        let traffic = SteadyTraffic(port: port, clients: 12)
        let result = try live.deploy()
        traffic.stop()

        #expect(result.status == (promoted ? 0 : 1), "\(result.output)")
        let phase = try live.canaryStatus()["phase"] as? String
        #expect(phase == (promoted ? "promoted" : "rolled_back"))
        if !promoted {
            #expect(result.output.contains("% above the stable"), "\(result.output)")
            #expect(try live.route()["weights"] as? [String: Int] == ["blue": 100, "green": 0])
        }
    }
}
