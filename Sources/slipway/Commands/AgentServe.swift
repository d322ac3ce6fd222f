import ArgumentParser
import Foundation
import SlipwayAgent
import SlipwayCore

struct AgentServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the agent in this process (started on demand).", shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        // `agent stop` ends the process from inside the agent; this comes back only with an error.
        try await Agent.run(workspace: engine.workspace.root, state: engine.statePath, shared: engine.store as? PostgresStore)
    }
}
