import Foundation
import SlipwayTestSupport
import Testing

/// The past view on the real binary under tmux: `:at` a moment between two deploys shows the
/// first, `[` steps back one event, changing actions are refused, `esc` returns to now.
@Suite struct PastViewConsoleTests {
    @Test func atAMomentBetweenTwoDeploysShowsTheFirstAndEscReturnsToNow() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--version", "v1", "--local").status == 0)
        // Moments are written to the second: leave a second on both sides of the one asked about.
        Thread.sleep(forTimeInterval: 1.1)
        let between = Date()
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--version", "v2", "--local").status == 0)

        let variables = "SLIPWAY_ACTOR=tester LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME='\(workspace.root.path)'"
        let console = try TmuxConsole(
            "env \(variables) '\(SlipwayProcess.binary.path)' --workspace '\(workspace.root.path)' console",
            directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor { $0.contains("web") && $0.contains("v2") })

        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        try console.press(":")
        try console.type("at \(formatter.string(from: between))")
        try console.press("Enter")
        #expect(console.waitFor { $0.contains("◷ PAST 20") && $0.contains("v1") },
                "\(console.screen())")
        #expect(!(console.line(containing: "web") ?? "").contains("v2"))
        let header = console.screen().split(separator: "\n").first.map(String.init) ?? ""
        let event = Int(header.components(separatedBy: "event #").last?.prefix { $0.isNumber } ?? "") ?? 0
        #expect(event > 1, "\(header)")

        try console.press("[")
        #expect(console.waitFor { $0.contains("event #\(event - 1) ") }, "\(console.screen())")

        try console.press(":")
        try console.type("deploy web staging")
        try console.press("Enter")
        #expect(console.waitFor("past view: deploy is not allowed at a past moment (esc returns to now)"))

        try console.press("Escape")
        #expect(console.waitFor { !$0.contains("PAST") && ($0.split(separator: "\n").first { $0.contains("web") } ?? "").contains("v2") },
                "\(console.screen())")
        try console.press("q")
        #expect(console.waitFor("EXIT=0"))
    }
}
