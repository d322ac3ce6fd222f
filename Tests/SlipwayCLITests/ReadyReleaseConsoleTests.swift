import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A release deployed with `auto_promote: false` waits in the idle colour; the console shows it
/// and promotes it with the switch action, under tmux on a real local blue/green service.
@Suite(.serialized) struct ReadyReleaseConsoleTests {
    @Test func theConsoleShowsAWaitingReleaseAndTheSwitchPromotesIt() throws {
        let workspace = try LocalServiceWorkspace.create(settings: "auto_promote: false")
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let first = try FakeCloudWorkspace.version(workspace, "services/api")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        #expect(try slipway("switch", "api", "--env", "staging", "--to", "blue").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        let second = try FakeCloudWorkspace.version(workspace, "services/api")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)

        let console = try TmuxConsole(
            "env SLIPWAY_ACTOR=tester LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color '\(SlipwayProcess.binary.path)' console",
            directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor("1 ⇡ waiting for switch"), "\(console.screen())")
        #expect(console.line(containing: "api")?.contains("\(first) blue  ●⇡") == true, "\(console.screen())")
        try console.press("Enter", "j")
        #expect(console.waitFor("green \(second) ready, waiting for switch"), "\(console.screen())")
        #expect(console.screen().contains("running, idle, waiting for switch"))

        try console.press("s")
        #expect(console.waitFor("promote api \(second) in staging: switch traffic to green?"), "\(console.screen())")
        try console.press("y")
        #expect(console.waitFor("asked: switch"))
        // Promoted: green is live with the second version, nothing waits any more.
        #expect(console.waitFor(60) { screen in
            screen.split(separator: "\n").contains { $0.hasPrefix("staging") && $0.contains("green") && $0.contains("healthy") }
                && !screen.contains("waiting for switch")
        }, "\(console.screen())")
        let live = try #require(try slipway.json("status", "--env", "staging") as? [[String: Any]]).first
        #expect(live?["live_version"] as? String == second)
        try console.press("q")
        #expect(console.waitFor("EXIT=0"))
    }
}
