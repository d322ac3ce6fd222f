import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Issue 16 item 15: `store rebuild` and `backup create` draw a progress bar with rate and time
/// left on a terminal, and nothing of it when their output goes to a pipe or is JSON.
@Suite struct TerminalProgressTests {
    /// A workspace whose store holds `events` health events, enough for several progress reports.
    static func workspace(events: Int) throws -> (TemporaryWorkspace, SlipwayProcess) {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("list-apps").status == 0)
        let store = try SQLiteStore(path: workspace.statePath)
        let batch = (0..<events).map { index in
            NewEvent(.healthChecked, component: "web", environment: "staging",
                     details: EventDetails(healthy: index % 7 != 0))
        }
        _ = try store.append(batch)
        return (workspace, slipway)
    }

    /// Runs slipway under `script`, so its standard error is a terminal; answers what it wrote.
    static func onATerminal(_ slipway: SlipwayProcess, _ arguments: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "COLUMNS=100 '\(SlipwayProcess.binary.path)' \(arguments)", "/dev/null"]
        process.currentDirectoryURL = slipway.workspace.root
        var environment = ProcessInfo.processInfo.environment.merging(slipway.environment) { _, new in new }
        environment["SLIPWAY_PROGRESS_DELAY"] = "0"
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "CI")
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aRebuildOnATerminalShowsItsBarAndWipesIt() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) from util-linux")
        let (_, slipway) = try Self.workspace(events: 6_000)
        let (status, output) = try Self.onATerminal(slipway, "store rebuild")
        #expect(status == 0, "\(output)")
        let draws = output.components(separatedBy: "\r\u{1B}[K").dropFirst()
        let bars = draws.filter { $0.hasPrefix("rebuild ▕") }
        #expect(bars.count >= 2, "a bar drawn as the fold goes: \(output.debugDescription)")
        #expect(bars.contains { $0.contains("/6,0") && $0.contains(" events") && $0.contains("%") }, "\(output.debugDescription)")
        #expect(output.contains("\r\u{1B}[Krebuilt "), "the bar is wiped before the summary: \(output.debugDescription)")

        let piped = try slipway("store", "rebuild", environment: ["SLIPWAY_PROGRESS_DELAY": "0"])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("\r") && !piped.stdout.contains("\r"), "no bar into a pipe: \(piped.stderr.debugDescription)")
    }

    @Test func aBackupOnATerminalCountsPagesButItsJSONStaysClean() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) from util-linux")
        let (_, slipway) = try Self.workspace(events: 20_000)
        let (status, output) = try Self.onATerminal(slipway, "backup create --store")
        #expect(status == 0, "\(output)")
        #expect(output.contains("\r\u{1B}[Kbackup ▕") && output.contains(" pages"), "\(output.debugDescription)")
        #expect(output.contains("\r\u{1B}[Kbackup "), "\(output.debugDescription)")

        let (jsonStatus, json) = try Self.onATerminal(slipway, "backup create --store --json")
        #expect(jsonStatus == 0, "\(json)")
        #expect(!json.contains("▕") && !json.contains("\u{1B}"), "JSON gets no bar: \(json.debugDescription)")
    }

    /// A deploy's build that counts its steps gets a bar under its lines on a terminal, wiped
    /// before each line and gone once the count is done; piped, the lines come as they are.
    @Test func aDeployOnATerminalShowsTheBuildsStepsUnderItsLines() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) from util-linux")
        let workspace = try TemporaryWorkspace(files: [
            "services/site/Makefile": """
                build:
                \t@for i in 1 2 3 4; do echo "[$$i/4] Compiling part $$i"; done
                \t@echo built
                deploy:
                \t@echo deployed
                health-check:
                \t@echo healthy

                """,
            ".gitignore": ".slipway/\n",
        ])
        try workspace.commitAll("site")
        let slipway = SlipwayProcess(workspace)
        let (status, output) = try Self.onATerminal(slipway, "deploy-service site --env staging --local")
        #expect(status == 0, "\(output)")
        let bars = output.components(separatedBy: "\r\u{1B}[K").filter { $0.hasPrefix("build ▕") }
        // Drawn anew at most ten times a second: the four lines come faster, so the first count's bar
        // is drawn again under each of them.
        #expect(bars.count == 4 && bars.first?.contains("25%  1/4 steps") == true, "\(output.debugDescription)")
        #expect(output.contains("\r\u{1B}[K[2/4] Compiling part 2"), "each line takes the bar's place: \(output.debugDescription)")
        #expect(output.contains("\r\u{1B}[Kbuilt"), "the bar is gone once the count is done: \(output.debugDescription)")

        let piped = try slipway("deploy-service", "site", "--env", "development", "--local", environment: ["SLIPWAY_PROGRESS_DELAY": "0"])
        #expect(piped.status == 0)
        #expect(piped.stdout.contains("[4/4] Compiling part 4") && !(piped.stdout + piped.stderr).contains("\u{1B}"),
                "\(piped.stdout.debugDescription)")
    }
}
