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
        let (root, state) = (engine.workspace.root, engine.store.path)
        // The agent's accept loop blocks its thread for good: a thread of its own, not one of the
        // few the agent's probes, alert deliveries and runs share. It comes back only with an error.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try Agent.run(workspace: root, state: state)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
