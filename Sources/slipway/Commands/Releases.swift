import ArgumentParser
import Foundation
import SlipwayCore

struct Releases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases",
        abstract: "List the release tags of a component in an environment, newest first.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String
    @Flag(help: "Print JSON.") var json = false

    struct Entry: Encodable {
        var tag: String
        var version: String
        var commit: String?
        var actor: String
        var time: Date
        var runID: String?
        var live: Bool

        enum CodingKeys: String, CodingKey {
            case tag, version, commit, actor, time, runID = "run_id", live
        }
    }

    func run() async throws {
        let engine = try await global.openEngine(json: json, naming: component)
        let resolved = try engine.workspace.component(named: component)
        let environment = try engine.workspace.environment(named: env)
        let history = try engine.releaseHistory(of: resolved.name, in: environment.name)
        let entries = history.tags.map {
            Entry(tag: $0.name, version: $0.version, commit: $0.commit, actor: $0.actor, time: $0.time, runID: $0.runID,
                  live: history.isLive($0))
        }
        if json { return try JSONOutput.print(entries) }
        Table(
            headers: ["VERSION", "COMMIT", "WHO", "WHEN", "LIVE"],
            rows: entries.map {
                [$0.version, String(($0.commit ?? "-").prefix(12)), $0.actor, TimeText.rfc3339($0.time), $0.live ? "live" : ""]
            }
        ).print()
    }
}
