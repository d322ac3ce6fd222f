import ArgumentParser
import Foundation
import SlipwayCore

struct BackupStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per component database, the newest recoverable point and its age against the 1 h RPO.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let now = Date()
        let statuses = try engine.databaseBackupStatus(now: now)
        if json { return try JSONOutput.print(statuses) }
        guard !statuses.isEmpty else { return print("no component declares a database in an environment that names one") }
        Table(
            headers: ["COMPONENT", "ENV", "DATABASE", "NEWEST RECOVERABLE", "FROM", "AGE", "RPO 1h"],
            rows: statuses.map { status in
                [
                    status.component, status.environment, status.database,
                    status.newestRecoverable.map(TimeText.rfc3339) ?? "none", status.source ?? "-",
                    status.newestRecoverable.map { TimeText.age(of: $0, now: now) } ?? "-",
                    status.withinRPO ? "ok" : "missed",
                ]
            }
        ).print()
    }
}
