import ArgumentParser
import Foundation
import SlipwayCore

struct MigrateRepair: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Remove the history entries of failed migrations (as Flyway's repair does), after the file has been fixed.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MigrateOptions

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let count = try await engine.repairMigrations(options.target(engine))
        if options.json { return try JSONOutput.print(["removed": count]) }
        print("removed \(count) failed entr\(count == 1 ? "y" : "ies") from flyway_schema_history")
    }
}
