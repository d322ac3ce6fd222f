import ArgumentParser
import Foundation
import SlipwayAgent
import SlipwayCore

struct AgentStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the agent, its slots and the router.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.statePath)
        let hasProcesses = try engine.hasLocalProcesses()
        guard await client.answers() || hasProcesses else { return print("agent: not running") }
        // An agent that was killed left its router and slots behind: a new one adopts them, then stops them.
        try await client.start()
        let pid = try await client.pid()
        _ = try await client.send(.stop)
        let deadline = Date().addingTimeInterval(15)
        // The socket goes quiet before the process is gone: "stopped" waits for both.
        while await client.answers() || DetachedProcess.isRunning(pid), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        print("agent: stopped")
    }
}
