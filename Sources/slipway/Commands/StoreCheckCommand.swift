import ArgumentParser
import Foundation
import SlipwayCore

struct StoreCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store file with SQLite's integrity check and its projection against the events (a PostgreSQL store: its schema and that every event folds into the stored projection); exit 1 on any problem.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        if let shared = try await Engine.openSharedEventLog(workspace: global.workspaceRoot()) {
            // Opening it checked the schema; folding reads and decodes every event.
            let events = try await shared.latestEventID()
            let folded = try await shared.foldEvents()
            guard folded == (try await shared.projection()) else {
                throw SlipwayError.failure(
                    "the stored projection of \(shared.location) differs from its \(events) events folded again: run 'slipway store rebuild'")
            }
            print("store ok: \(shared.location), \(events) events, schema current, \(folded.states.count) component states folded from them "
                + "equal the stored projection")
            return
        }
        // Not through the engine: a store too damaged to open is what this command is for.
        let path = try global.state.map { URL(fileURLWithPath: $0) }
            ?? global.loadWorkspace().stateDirectory.appendingPathComponent("state.db")
        let check = StoreCheck.run(path: path)
        for problem in check.problems { print("problem: \(problem)") }
        guard check.isSound else {
            throw SlipwayError(.backup(.problemsFound(subject: path.path, count: check.problems.count, store: true)))
        }
        print("store ok: \(path.path), \(check.events) events, integrity ok, projection equals the events folded again")
    }
}
