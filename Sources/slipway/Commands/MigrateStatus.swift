import ArgumentParser
import Foundation
import SlipwayCore

struct MigrateStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each migration's state in the environment's database.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MigrateOptions

    struct Report: Encodable {
        var version: MigrationVersion?
        var migrations: [MigrationPlan.Row]
        var problems: [String]
    }

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let plan = try await engine.migrationPlan(options.target(engine))
        if options.json {
            return try JSONOutput.print(Report(version: plan.current, migrations: plan.rows, problems: plan.problems))
        }
        Table(
            headers: ["VERSION", "DESCRIPTION", "STATE", "INSTALLED ON", "SCRIPT"],
            rows: plan.rows.map {
                [$0.version.text, $0.description, $0.state.rawValue, $0.installedOn.map(TimeText.rfc3339) ?? "-", $0.script]
            }
        ).print()
        print("schema version: \(plan.current?.text ?? "none"); \(plan.pending.count) pending")
        for problem in plan.problems { print("problem: \(problem)") }
    }
}
