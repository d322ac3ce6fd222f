import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console's runs screen, in a tmux server of the test's own, while a pipeline runs.
@Suite struct PipelineConsoleTests {
    func tmux(_ server: String, _ arguments: [String], in workspace: TemporaryWorkspace) throws -> String {
        try workspace.run("/usr/bin/env", ["tmux", "-L", server] + arguments).output
    }

    @Test func theRunsScreenShowsThePipelineAndItsJobsLive() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let state = workspace.root.appendingPathComponent("state")
        try PipelineWorkspace.fault(workspace, "hold-web")
        let server = "slipway-pipeline-\(UUID().uuidString.prefix(8))"
        defer {
            // The console quits on q; tmux's SIGHUP alone does not end it.
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
            pipeline.waitUntilExit()
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

        try FileManager.default.removeItem(at: state.appendingPathComponent("hold-web"))
        #expect(eventually(60) { row("pipeline", "staging", "succeeded")(screen()) }, "\(screen())")
        #expect(eventually(30) { row("health-check", "web", "succeeded")(screen()) }, "\(screen())")
        pipeline.waitUntilExit()
        #expect(pipeline.terminationStatus == 0, "\((try? workspace.read("pipeline.log")) ?? "")")
    }
}
