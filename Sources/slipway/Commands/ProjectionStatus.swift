import ArgumentParser
import Foundation
import SlipwayCore

struct ProjectionStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Each projection of the component: its live version and its newest rebuild's progress or outcome.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Option(help: "The environment.") var env: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let component = try engine.workspace.component(named: component)
        _ = try engine.workspace.config.environment(named: env)
        let rebuilds = try engine.projectionRebuilds(of: component, environment: env)
        if json { return try JSONOutput.print(rebuilds) }
        guard !rebuilds.isEmpty else { return print("\(component.name) declares no projections") }
        Table(
            headers: ["PROJECTION", "TABLE", "LIVE", "REBUILD", "STATE", "PROGRESS"],
            rows: rebuilds.map { rebuild in
                [
                    rebuild.projection, rebuild.table, "v\(rebuild.liveVersion)",
                    rebuild.attempt.map { "v\($0.version) \($0.table)" } ?? "-",
                    rebuild.attempt.map { $0.phase.rawValue + ($0.failedStep.map { " (\($0))" } ?? "") } ?? "never rebuilt",
                    rebuild.progressText ?? "-",
                ]
            }
        ).print()
        for rebuild in rebuilds {
            for difference in rebuild.attempt?.differences ?? [] where rebuild.attempt?.phase == .differs {
                print("\(rebuild.projection) difference: \(difference)")
            }
            if let attempt = rebuild.attempt, attempt.phase == .failed, let reason = attempt.reason {
                print("\(rebuild.projection) \(attempt.failedStep ?? "rebuild") failed: \(reason)")
            }
        }
    }
}
