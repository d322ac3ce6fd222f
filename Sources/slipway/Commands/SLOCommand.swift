import ArgumentParser
import Foundation
import SlipwayCore

struct SLOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slo",
        abstract: "Show each component's objectives: current value, error budget left, burn rate, time to exhaustion.",
        discussion: "Windows are the last N complete minutes; the burn rate is over the last hour.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this environment.") var env: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        if let env { _ = try engine.workspace.environment(named: env) }
        let report = try engine.sloReport(environment: env)
        if json { return try JSONOutput.print(report.entries) }
        if report.entries.isEmpty { return print("no SLI data yet: the agent records it while components serve traffic") }
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "OBJECTIVE", "TARGET", "CURRENT", "BUDGET LEFT", "BURN (1H)", "EXHAUSTED IN"],
            rows: report.entries.map { entry in
                let status = entry.status
                return [
                    entry.component, entry.environment, status.objective.name, String(format: "%.2f%%", status.objective.target),
                    status.current.map { String(format: "%.3f%%", $0) } ?? "-",
                    status.isBudgetSpent ? "spent" : String(format: "%.1f%%", status.budgetRemaining * 100),
                    String(format: "%.2f", status.burnRate),
                    status.isBudgetSpent ? "spent" : status.daysToExhaustion.map { String(format: "%.1fd", $0) } ?? "never",
                ]
            }
        ).print()
    }
}
