import ArgumentParser
import Foundation
import SlipwayAgent
import SlipwayCore

struct AgentStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start the agent (it adopts the router and slots already running).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.statePath)
        try await client.start()
        let pid = try await client.pid()
        print("agent: pid \(pid), socket \(client.socketPath)")
    }
}
