import ArgumentParser
import Foundation
import SlipwayCore

struct MigrateApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Validate, lint and apply the pending migrations in version order, each file in a transaction, under the database's lock.",
        discussion: """
            The outcome, with every allow comment the applied files used, is recorded in the audit log. \
            It runs in this process, except into an environment with the two-person rule (approvals: in its \
            roles: block): there it is a request that waits for an approver other than you, and the agent applies it.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MigrateOptions
    @OptionGroup var run: RunOptions

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let target = try options.target(engine)
        if engine.approvalRule(in: target.environment) != nil {
            guard !options.json else {
                throw SlipwayError.usage(
                    "migrate apply --json: into \(target.environment) the apply waits for an approver and the agent runs it; "
                        + "leave out --json and read the run with 'slipway runs show ID --json'")
            }
            try engine.authorize(.applyMigrations, environment: target.environment, component: target.component.name)
            return try await run.perform(.migrate(.init(component: target.component.name, environment: target.environment)), engine: engine)
        }
        let result = try await engine.applyMigrations(target)
        if options.json { return try JSONOutput.print(result) }
        for allowance in result.allowances { print(allowance) }
        print("schema version: \(result.version?.text ?? "none"); \(result.applied.count) applied")
    }
}
