import ArgumentParser
import SlipwayCore

struct BackupPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete a component database's backups past database.retention and the WAL no kept backup needs.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: DatabaseBackupOptions

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let target = try options.target(engine, connecting: false)
        let plan = try engine.pruneDatabaseBackups(target)
        if options.json {
            struct Report: Encodable {
                var backups: [String]
                var walFiles: [String]
                var keptFrom: String?
                enum CodingKeys: String, CodingKey {
                    case backups
                    case walFiles = "wal_files"
                    case keptFrom = "wal_kept_from"
                }
            }
            return try JSONOutput.print(Report(backups: plan.backups.map(\.id), walFiles: plan.segments.map(\.name), keptFrom: plan.keptFrom))
        }
        for backup in plan.backups { print("pruned \(backup.id) (older than \(target.retention.backupDays) days)") }
        print("pruned \(plan.backups.count) backups and \(plan.segments.count) WAL files of \(target.description)"
            + (plan.keptFrom.map { "; WAL kept from \($0) (a \(target.retention.recoveryDays)-day point-in-time window)" } ?? ""))
    }
}
