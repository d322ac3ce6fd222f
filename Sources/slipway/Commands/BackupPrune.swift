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
        let plan = try await engine.pruneDatabaseBackups(target)
        if options.json {
            struct Report: Encodable {
                var backups: [String]
                var walFiles: [String]
                var keptFrom: String?
                var partials: [String]
                var leftoverDrills: [String]
                enum CodingKeys: String, CodingKey {
                    case backups, partials
                    case walFiles = "wal_files"
                    case keptFrom = "wal_kept_from"
                    case leftoverDrills = "leftover_drills"
                }
            }
            return try JSONOutput.print(Report(backups: plan.backups.map(\.id), walFiles: plan.segments.map(\.name), keptFrom: plan.keptFrom, partials: plan.stalePartials,
                leftoverDrills: plan.leftoverDrills))
        }
        for backup in plan.backups { print("pruned \(backup.id) (older than \(target.retention.backupDays) days)") }
        for line in plan.leftoverDrills { print(line) }
        for id in plan.stalePartials { print("removed the partial backup \(id) (its backup create was interrupted)") }
        print("pruned \(plan.backups.count) backups, \(plan.segments.count) WAL files and \(plan.stalePartials.count) partial backups of \(target.description)"
            + (plan.keptFrom.map { "; WAL kept from \($0) (a \(target.retention.recoveryDays)-day point-in-time window)" } ?? ""))
    }
}
