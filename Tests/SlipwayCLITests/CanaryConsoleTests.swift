import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A real canary (python3 releases behind the real router, weights moved by the agent) watched
/// and steered from the console under tmux: pause, resume and abort by keys.
@Suite(.serialized) struct CanaryConsoleTests {
    @Test func anOperatorWatchesPausesResumesAndAbortsACanaryFromTheConsole() throws {
        let workspace = try CanaryServiceWorkspace.create(canary: """
              steps: [10, 50, 100]
              interval: 1s
              min_requests: 1
            """, monitoringPeriod: "1h")
        let slipway = SlipwayProcess(workspace)
        defer {
            var leftovers = slipway.stopAgentAndListLeftovers()
            _ = eventually(5) {
                leftovers = slipway.stopAgentAndListLeftovers()
                return leftovers.isEmpty
            }
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let first = try slipway("deploy-service", "api", "--env", "staging")
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        let url = try #require((status["routes"] as? [[String: Any]])?.first?["url"] as? String)
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        try CanaryServiceWorkspace.newVersion(workspace, files: [:], note: "watched")
        let version = try FakeCloudWorkspace.version(workspace, "services/api")

        let console = try TmuxConsole(
            "env SLIPWAY_ACTOR=tester LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color '\(SlipwayProcess.binary.path)' console",
            directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor("1 components"))
        try console.press("Enter", "j")
        #expect(console.waitFor("SLOTS"))

        let traffic = SteadyTraffic(port: port, clients: 2)
        defer { _ = traffic.stop() }
        let log = workspace.root.appendingPathComponent("deploy.log")
        let deploy = try slipway.start(["deploy-service", "api", "--env", "staging"], log: log)
        defer {
            if deploy.isRunning { deploy.interrupt() }
            deploy.waitUntilExit()
        }
        #expect(console.waitFor(60) { $0.contains("CANARY staging: \(version) in green, running, step 1 of 3 (10/50/100%)") },
                "\(console.screen())")
        #expect(console.waitFor("blue 90% green 10%"), "\(console.screen())")
        #expect(console.waitFor(60) { screen in screen.split(separator: "\n").contains { $0.contains("#1") && $0.contains("pass") } },
                "an interval judged, with both colours' figures: \(console.screen())")
        #expect(console.screen().contains("P promote  p pause  u resume  A abort"))

        try console.press("p")
        #expect(console.waitFor("pause the canary of api in staging at 10%? y/enter confirms"), "\(console.screen())")
        try console.press("y")
        #expect(console.waitFor(30) { $0.contains("in green, paused, step 1 of 3") && $0.contains("paused by tester") },
                "\(console.screen())")

        try console.press("u")
        #expect(console.waitFor("resume the canary of api in staging?"))
        try console.press("y")
        #expect(console.waitFor(30) { $0.contains("in green, running, step 1 of 3") }, "\(console.screen())")

        try console.press("A")
        #expect(console.waitFor("abort the canary of api in staging: all traffic back to blue?"))
        try console.press("y")
        #expect(console.waitFor(60) { $0.contains("in green, rolled_back") && $0.contains("blue 100% green 0%") }, "\(console.screen())")
        #expect(!console.screen().contains("P promote"), "no keys for a canary that is over")
        #expect(eventually(60) { !deploy.isRunning })
        #expect(deploy.terminationStatus == 1)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(output.contains("tester asked to pause the canary") && output.contains("rolled back: aborted by tester"), "\(output)")

        try console.press("q")
        #expect(console.waitFor("EXIT=0"))
    }
}
