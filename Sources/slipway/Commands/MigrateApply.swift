import ArgumentParser
import Foundation
import SlipwayCore

struct MigrateApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Validate, lint and apply the pending migrations in version order, each file in a transaction, under the database's lock.",
        discussion: "The outcome, with every allow comment the applied files used, is recorded in the audit log.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MigrateOptions

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let result = try await engine.applyMigrations(options.target(engine))
        if options.json { return try JSONOutput.print(result) }
        for allowance in result.allowances { print(allowance) }
        print("schema version: \(result.version?.text ?? "none"); \(result.applied.count) applied")
    }
}
