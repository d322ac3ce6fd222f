import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console ends, restoring the terminal, when its terminal hangs up: on SIGHUP, and when
/// the tmux server holding its terminal goes away.
@Suite(.serialized) struct ConsoleHangupTests {
    private static func command(_ arguments: String) -> String {
        "env SLIPWAY_ACTOR=tester LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color '\(SlipwayProcess.binary.path)' \(arguments)"
    }

    /// The console's pid: the child of the pane's shell.
    private static func consolePID(_ console: TmuxConsole) throws -> Int32 {
        let shell = try #require(console.panePID)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try #require(children.split(separator: " ").first.flatMap { Int32($0) })
    }

    @Test func sighupRestoresTheTerminalAndExits() throws {
        let workspace = try TemporaryWorkspace(files: ["apps/web/Makefile": "test:\n\ttrue\n"])
        let console = try TmuxConsole(Self.command("console"), directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor("web"))
        kill(try Self.consolePID(console), SIGHUP)
        #expect(console.waitFor("EXIT=129"))
        #expect(console.waitFor("icanon"))
        #expect(try #require(console.line(containing: "icanon")).split(separator: " ").sorted() == ["echo", "icanon"])
    }

    /// Started with SIGHUP ignored, as under `nohup` or a parent that ignores it: the kernel's
    /// SIGHUP then never arrives, and the console must notice the hung-up terminal itself.
    @Test func theConsoleEndsWhenItsTmuxServerGoesAwayEvenIgnoringSIGHUP() throws {
        let workspace = try TemporaryWorkspace(files: ["apps/web/Makefile": "test:\n\ttrue\n"])
        let ignoring = "sh -c \"trap '' HUP; exec \(Self.command("console").replacingOccurrences(of: "'", with: ""))\""
        let console = try TmuxConsole(ignoring, directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor("web"))
        let pid = try Self.consolePID(console)
        #expect(DetachedProcess.isRunning(pid))
        console.stop()
        #expect(eventually(10) { !DetachedProcess.isRunning(pid) }, "the console (pid \(pid)) still runs without its terminal")
        if DetachedProcess.isRunning(pid) { kill(pid, SIGKILL) }
    }
}
