import ArgumentParser
import Foundation
import SlipwayCore
import Synchronization

struct StoreRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Fold the projection again from every event; or, with --from-agent, recover a removed store from what the agent knows.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Write the routes, slots and live colours the running agent knows into a new store (after the store file was removed), and start a new agent on it.")
    var fromAgent = false

    func run() async throws {
        if fromAgent {
            try global.refuseSharedStore()
            return try await recoverFromAgent()
        }
        let store = try await global.openEventLog(json: false)
        // The store may report from another thread than this one's.
        let bar = Mutex(TerminalProgress("rebuild", measure: .items("events"), json: false))
        let rebuild = try await store.rebuildProjection { reached, last in
            bar.withLock { $0?.update(done: Double(reached), total: Double(last)) }
        }
        bar.withLock { $0?.finish() }
        print(rebuild.summary)
    }

    private func recoverFromAgent() async throws {
        let root = try global.workspaceRoot().standardizedFileURL
        let path = global.statePath(in: root)
        if FileManager.default.fileExists(atPath: path.path) {
            let events = try SQLiteStore(path: path).latestEventID()
            guard events == 0 else {
                throw SlipwayError.usage("the store at \(path.path) holds \(events) events: move it aside to recover into a new one")
            }
        }
        let agent = AgentClient(workspace: root, statePath: path)
        guard await agent.answers() else {
            throw SlipwayError(.agent(.notRunning(socket: agent.socketPath)))
        }
        let oldPID = try await agent.pid()
        let answer = try await agent.send(.handOver)
        guard case .handedOver(let records) = answer else { throw agent.unexpected(answer, to: .handOver) }
        // The old agent exits after answering; the new one must not find it on the socket.
        for _ in 0..<100 where await agent.answers() { try await Task.sleep(for: .milliseconds(100)) }
        let store = try SQLiteStore(path: path)
        let recovered = try store.recover(records, reason: "recovered from the agent (pid \(oldPID)) after the store was lost")
        try await agent.start()
        let live = records.routes.filter { $0.liveColor != nil }.count
        print("recovered \(records.routes.count) routes (\(live) live), \(records.slots.count) slots and "
            + "\(records.router == nil ? "no router" : "the router") into \(path.path) as \(recovered.count) events; "
            + "the history before the loss is gone (restore a backup for it)")
    }
}
