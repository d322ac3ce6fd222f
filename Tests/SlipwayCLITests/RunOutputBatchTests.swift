import Foundation
import SlipwayTestSupport
import Testing

/// A chatty build's output is stored in batches while it streams: whole, in order, and seen
/// by followers while the run still goes on.
@Suite struct RunOutputBatchTests {
    static let makefile = """
        .PHONY: build deploy test
        # One write a line, as compilers each saying their line do.
        build test:
        \t@awk -v n=$(LINES) 'BEGIN { for (i = 1; i <= n; i++) { printf "CC src/module_%d.o\\n", i; fflush() } }'
        \t@if [ -n "$$HOLD_FILE" ]; then while [ -e "$$HOLD_FILE" ]; do sleep 0.05; done; fi
        deploy:
        \t@:

        """

    func workspace(function: String = #function) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(files: ["apps/chatty/Makefile": Self.makefile], function: function)
        try workspace.commitAll("first")
        return workspace
    }

    func buildLines(_ text: [String]) -> [String] { text.filter { $0.hasPrefix("CC src/module_") } }

    func expected(_ count: Int) -> [String] { (1...count).map { "CC src/module_\($0).o" } }

    /// The run's stored output (`runs show --json`).
    func storedOutput(_ slipway: SlipwayProcess, runID: String) throws -> [String] {
        let shown = try #require(try slipway.json("runs", "show", runID) as? [String: Any])
        return shown["output"] as? [String] ?? []
    }

    @Test func aTwentyThousandLineBuildIsStoredWholeAndInOrder() throws {
        let workspace = try workspace()
        let slipway = SlipwayProcess(workspace)
        let tested = try slipway("test-app", "chatty", environment: ["LINES": "20000"])
        #expect(tested.status == 0, "\(tested.stderr)")
        let printed = tested.stdout.split(separator: "\n").map(String.init)
        #expect(buildLines(printed) == expected(20_000), "every line printed once, in order")
        let runID = try #require(printed.first?.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let stored = try storedOutput(slipway, runID: runID)
        #expect(buildLines(stored) == expected(20_000), "every line stored once, in order")
        #expect(stored.last == "run \(runID): succeeded", "the run's last line is stored too")
    }

    /// Through the agent, the requester sees lines only once they are stored: they must not wait for the run's end.
    @Test func outputIsSeenWhileTheRunGoesOn() throws {
        let workspace = try workspace()
        var slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let hold = workspace.root.appendingPathComponent("hold")
        _ = FileManager.default.createFile(atPath: hold.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: hold) }
        slipway.environment["LINES"] = "5"
        let log = workspace.root.appendingPathComponent("deploy.log")
        let deploy = try slipway.start(
            ["deploy-app", "chatty", "--env", "development"], environment: ["HOLD_FILE": hold.path], log: log)
        defer { deploy.waitUntilExit() }

        var runID = ""
        let stored = try eventually(60) {
            let runs = try slipway.json("runs") as? [[String: Any]] ?? []
            guard let running = runs.first(where: { $0["state"] as? String == "running" }) else { return false }
            runID = running["id"] as? String ?? ""
            return buildLines(try storedOutput(slipway, runID: runID)) == expected(5)
        }
        #expect(stored, "the lines are in the store while the build still runs")
        #expect(eventually(60) { buildLines(((try? workspace.read("deploy.log")) ?? "").components(separatedBy: "\n")) == expected(5) },
                "the requester printed them while the build still runs: \((try? workspace.read("deploy.log")) ?? "")")
        let runs = try slipway.json("runs") as? [[String: Any]] ?? []
        #expect(runs.first { $0["id"] as? String == runID }?["state"] as? String == "running", "the run had not ended")

        try FileManager.default.removeItem(at: hold)
        deploy.waitUntilExit()
        #expect(deploy.terminationStatus == 0, "\((try? workspace.read("deploy.log")) ?? "")")
    }
}
