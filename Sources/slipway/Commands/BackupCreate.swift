import ArgumentParser
import Foundation
import SlipwayCore

struct BackupCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Copy the store (--store), or back up a component's database (COMPONENT --env ENV): a base backup, or --logical a pg_dump.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Back up Slipway's own store.") var store = false
    @Argument(help: "The component whose database to back up.") var component: String?
    @Option(help: "The environment whose database is meant.") var env: String?
    @Flag(help: "A logical dump of the one database (pg_dump -Fc) instead of a base backup of the cluster.") var logical = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        if let component {
            guard !store, let env else {
                throw SlipwayError.usage("backup create: give either --store, or COMPONENT --env ENV")
            }
            return try await backUp(component, env: env)
        }
        guard store else {
            throw SlipwayError.usage("backup create: say what to back up: --store, or COMPONENT --env ENV")
        }
        let engine = try await global.openEngine(json: json)
        guard let embedded = engine.store as? SQLiteStore else {
            throw SlipwayError.usage(
                "backup create --store copies the embedded store; the shared store \(engine.store.location) is backed up with PostgreSQL's own tools (pg_dump, pg_basebackup)")
        }
        let folder = StoreBackupFolder(statePath: engine.statePath)
        let started = Date()
        let bar = TerminalProgress("backup", measure: .items("pages"), json: json)
        let backup = try folder.create(from: embedded) { copied, total in bar?.update(done: Double(copied), total: Double(total)) }
        bar?.finish()
        let pruned = try folder.prune(engine.workspace.config.backups.retention, keeping: backup.id)
        let stale = try folder.removeStalePartials()
        try engine.store.append(NewEvent(.backupCreated, details: EventDetails(
            reason: "\(backup.events) events, \(backup.bytes) bytes"
                + (pruned.isEmpty ? "" : "; pruned \(pruned.map(\.id).joined(separator: ", "))"),
            tag: backup.id, seconds: Date().timeIntervalSince(started))))
        if json { return try JSONOutput.print(backup) }
        print("backup \(backup.id): \(backup.events) events, \(backup.bytes) bytes in \(folder.copy(of: backup).path)")
        for old in pruned {
            print("pruned \(old.id) (past the retention of \(engine.workspace.config.backups.retention))")
        }
        for id in stale { print("removed the partial backup \(id) (its backup create was interrupted)") }
    }

    private func backUp(_ component: String, env: String) async throws {
        let engine = try await global.openEngine(json: json)
        let target = try engine.databaseBackupTarget(of: engine.workspace.component(named: component), environment: env)
        if case .neon = target.provider {
            guard !logical else {
                throw SlipwayError.usage("backup create --logical is a pg_dump of a local server; \(target.description) is a Neon branch: drop --logical")
            }
            let snapshot = try await engine.createNeonSnapshot(target)
            if json { return try JSONOutput.print(snapshot) }
            return print("backup \(snapshot.name): Neon branch \(snapshot.branchID) of \(target.description), "
                + "a child of \(snapshot.parentID) at \(TimeText.rfc3339Milliseconds(snapshot.time)) in project \(snapshot.project)")
        }
        let backup = try await engine.createDatabaseBackup(target, logical: logical)
        if json { return try JSONOutput.print(backup) }
        let start = backup.startLSN.map { ", WAL from \($0)" } ?? ""
        print("backup \(backup.id): \(backup.kind.rawValue) of \(target.description), \(backup.bytes) bytes\(start), "
            + "restorable from \(TimeText.rfc3339Milliseconds(backup.time)), in \(target.folder.folder(of: backup).path)")
    }
}
