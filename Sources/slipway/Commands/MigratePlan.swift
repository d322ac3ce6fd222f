import ArgumentParser
import Foundation
import SlipwayCore

struct MigratePlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate the folder against the database's history and list what apply would run; exit 1 when it would refuse.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MigrateOptions

    struct Report: Encodable {
        var version: MigrationVersion?
        var pending: [MigrationPlan.Row]
        var findings: [MigrationLintFinding]
        var problems: [String]
    }

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let target = try options.target(engine)
        let plan = try await engine.migrationPlan(target)
        let findings = target.catalog.lint(plan.pending)
        let refused = findings.filter { !$0.isAllowed }
        let pending = plan.rows.filter { $0.state == .pending }
        if options.json {
            try JSONOutput.print(Report(version: plan.current, pending: pending, findings: findings, problems: plan.problems))
        } else {
            for problem in plan.problems { print("problem: \(problem)") }
            for row in pending {
                print("apply \(target.catalog.folder)/\(row.script)\(row.transactional == false ? " (outside a transaction, alone)" : "")")
            }
            for finding in findings { print(finding) }
            print("schema version: \(plan.current?.text ?? "none"); \(pending.count) to apply"
                + (plan.problems.isEmpty && refused.isEmpty ? "" : "; apply would refuse"))
        }
        if !plan.problems.isEmpty || !refused.isEmpty { throw ExitCode(1) }
    }
}
