import ArgumentParser
import Foundation
import SlipwayCore

struct BackupCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Copy the store with SQLite's online backup, then prune backups past their retention.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Back up Slipway's own store (the only kind of backup so far).") var store = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        guard store else {
            throw SlipwayError.usage("backup create: say what to back up: --store (component database backups are not built yet)")
        }
        let engine = try await global.openEngine(json: json)
        let folder = StoreBackupFolder(statePath: engine.store.path)
        let started = Date()
        let bar = TerminalProgress("backup", measure: .items("pages"), json: json)
        let backup = try folder.create(from: engine.store) { copied, total in bar?.update(done: Double(copied), total: Double(total)) }
        bar?.finish()
        let pruned = try folder.prune(engine.workspace.config.backups.retention, keeping: backup.id)
        try engine.store.append(NewEvent(.backupCreated, details: EventDetails(
            reason: "\(backup.events) events, \(backup.bytes) bytes"
                + (pruned.isEmpty ? "" : "; pruned \(pruned.map(\.id).joined(separator: ", "))"),
            tag: backup.id, seconds: Date().timeIntervalSince(started))))
        if json { return try JSONOutput.print(backup) }
        print("backup \(backup.id): \(backup.events) events, \(backup.bytes) bytes in \(folder.copy(of: backup).path)")
        for old in pruned {
            print("pruned \(old.id) (past the retention of \(engine.workspace.config.backups.retention))")
        }
    }
}
