import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console's runs screen, in a tmux server of the test's own, while a pipeline runs.
@Suite struct PipelineConsoleTests {
    func tmux(_ server: String, _ arguments: [String], in workspace: TemporaryWorkspace) throws -> String {
        try workspace.run("/usr/bin/env", ["tmux", "-L", server] + arguments).output
    }

    /// docs fails its tests, so the run has a failed gate and a skipped deploy to show.
    @Test func theRunsScreenShowsThePipelineAndItsJobsLive() throws {
        try ExternalTool.require("tmux")
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let state = workspace.root.appendingPathComponent("state")
        try PipelineWorkspace.fault(workspace, "hold-web")
        try PipelineWorkspace.fault(workspace, "fail-test-docs")
        let server = "slipway-pipeline-\(UUID().uuidString.prefix(8))"
        defer {
            // Quit as an operator does; the server's going away would end it too (ConsoleHangupTests).
            _ = try? tmux(server, ["send-keys", "q"], in: workspace)
            _ = eventually(10) { (try? workspace.run("/usr/bin/env", ["tmux", "-L", server, "has-session"]).status) != 0 }
            _ = try? tmux(server, ["kill-server"], in: workspace)
        }
        func screen() -> String { (try? tmux(server, ["capture-pane", "-p"], in: workspace)) ?? "" }
        try workspace.write(["state/console.sh": """
            cd '\(workspace.root.path)' && STATE_DIR='\(state.path)' SLIPWAY_ACTOR=tester exec '\(SlipwayProcess.binary.path)' console
            """])
        // The tmux server outlives the call: it must not keep any pipe of this process open, or
        // reading the call's output would never end. bash closes every inherited descriptor first.
        let started = try workspace.run("/bin/bash", ["-c", """
            for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
            exec tmux -L \(server) new-session -d -x 180 -y 45 'sh state/console.sh' </dev/null >/dev/null 2>&1
            """])
        #expect(started.status == 0)
        #expect(eventually(30) { screen().contains("1 fleet") }, "the console is up")
        let pipeline = try slipway.start(
            ["pipeline", "--env", "staging", "--base", root, "--jobs", "2"], environment: PipelineWorkspace.environment(workspace),
            log: workspace.root.appendingPathComponent("pipeline.log"))
        defer {
            try? FileManager.default.removeItem(at: state.appendingPathComponent("hold-web"))
            _ = pipeline.waitUntilExit(within: 120)
        }
        func row(_ words: String...) -> (String) -> Bool {
            { text in text.split(separator: "\n").contains { line in words.allSatisfy { line.contains($0) } } }
        }

        _ = try tmux(server, ["send-keys", "2"], in: workspace)
        // Held in web's deploy: the pipeline runs, web's deploy runs, its dependencies are done.
        #expect(eventually(30) { row("pipeline", "staging", "running")(screen()) }, "\(screen())")
        #expect(eventually(30) { row("deploy", "web", "running")(screen()) }, "\(screen())")
        #expect(row("deploy", "billing", "succeeded")(screen()), "\(screen())")
        #expect(row("test", "web", "succeeded")(screen()), "\(screen())")

        // The pipeline's own stages, and its jobs under them, while web's deploy is held.
        _ = try tmux(server, ["send-keys", "/"], in: workspace)
        _ = try tmux(server, ["send-keys", "-l", "pipeline"], in: workspace)
        _ = try tmux(server, ["send-keys", "Enter"], in: workspace)
        #expect(eventually(30) { row("STAGES of", "pipeline", "running")(screen()) }, "\(screen())")
        #expect(eventually(30) { row("deploy-apps", "running")(screen()) }, "\(screen())")
        let live = screen()
        #expect(row("detect-changes", "succeeded")(live), "\(live)")
        #expect(row("quality-gates", "failed")(live), "\(live)")
        #expect(row("docs", "failed", "tests failed")(live), "\(live)")
        #expect(row("docs", "skipped")(live), "\(live)")
        #expect(row("web", "running")(live), "\(live)")
        #expect(row("billing", "succeeded")(live), "\(live)")
        let order = ["detect-changes", "quality-gates", "deploy-apps"].compactMap { live.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted(), "\(live)")
        #expect(!live.contains("validate-deploy"), "validation waits for the deploys")

        try FileManager.default.removeItem(at: state.appendingPathComponent("hold-web"))
        #expect(eventually(60) { row("validate-deploy", "succeeded")(screen()) }, "\(screen())")
        #expect(eventually(30) { row("pipeline", "staging", "failed")(screen()) }, "\(screen())")
        #expect(row("web", "succeeded")(screen()), "\(screen())")
        _ = try tmux(server, ["send-keys", "Escape"], in: workspace)
        #expect(eventually(30) { row("health-check", "web", "succeeded")(screen()) }, "\(screen())")
        let hung = pipeline.waitUntilExit(within: 180)
        try #require(hung == nil, "the pipeline did not end within 180 s:\n\((try? workspace.read("pipeline.log")) ?? "")\n\(hung ?? "")")
        #expect(pipeline.terminationStatus == 1, "docs failed its tests: \((try? workspace.read("pipeline.log")) ?? "")")
    }
}
