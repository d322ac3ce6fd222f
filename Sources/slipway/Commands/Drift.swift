import ArgumentParser
import Foundation
import SlipwayCore

struct Drift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "How far each environment is behind the one before it, per component, and what no environment runs yet.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let report = try await engine.drift()
        if json { return try JSONOutput.print(report) }
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "VERSION", "AGE", "BEHIND"],
            rows: report.components.flatMap { component in
                component.environments.map { row in
                    [component.component, row.environment, row.version ?? "-", Self.age(row), Self.behind(row)]
                }
            }
        ).print()
        for component in report.components {
            if !component.unreleased.isEmpty {
                let count = component.unreleased.count
                print("\(component.component): \(count) commit\(count == 1 ? "" : "s") on \(report.branch) in no environment")
            }
            for row in component.notInGit {
                print("\(component.component): \(row.version ?? "") live in \(row.environment) is not in git any more")
            }
        }
    }

    static func age(_ row: DriftReport.Environment) -> String {
        guard row.version != nil else { return "-" }
        guard let days = row.ageDays else { return "not in git" }
        return String(format: "%.1fd", days)
    }

    static func behind(_ row: DriftReport.Environment) -> String {
        guard let other = row.comparedWith, let behind = row.behind else { return "-" }
        let ahead = (row.ahead ?? 0) > 0 ? ", \(row.ahead ?? 0) ahead" : ""
        return "\(behind) behind \(other)\(ahead)"
    }
}
