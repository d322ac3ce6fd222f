import ArgumentParser
import Foundation
import SlipwayCore

struct RunsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many runs.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let runs = try await global.openEngine(json: json).runs(limit: limit)
        if json { return try JSONOutput.print(runs.map(RunSummary.init)) }
        Table(
            headers: ["RUN", "KIND", "COMPONENT", "ENV", "VERSION", "STATE", "ACTOR", "ORIGIN", "STARTED"],
            rows: runs.map {
                [$0.id, $0.kind.rawValue, $0.component ?? "-", $0.environment ?? "-", $0.version ?? "-",
                 $0.state.rawValue, $0.actor, $0.origin, TimeText.rfc3339($0.startedAt)]
            }
        ).print()
    }
}
