import ArgumentParser
import Foundation
import SlipwayCore

struct BackupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the store's backups and the component databases' backups, oldest first; COMPONENT --env ENV lists one database's.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this component's database backups.") var component: String?
    @Option(help: "The environment, with COMPONENT.") var env: String?
    @Flag(help: "Print JSON: the store's backups, or with COMPONENT --env that database's.") var json = false

    func run() async throws {
        if let component {
            guard let env else { throw SlipwayError(.environmentRequired(command: "backup list \(component)")) }
            let engine = try await global.openEngine(json: json)
            let target = try engine.databaseBackupTarget(of: engine.workspace.component(named: component), environment: env, connecting: false)
            if case .neon = target.provider {
                let snapshots = try await engine.neonSnapshots(target)
                if json { return try JSONOutput.print(snapshots) }
                print("\(target.description) is a Neon branch: \(snapshots.count) snapshot branches (backup status shows Neon's history window)")
                guard !snapshots.isEmpty else { return }
                return Table(
                    headers: ["BRANCH", "ID", "FROM", "PROJECT"],
                    rows: snapshots.map { [$0.name, $0.branchID, TimeText.rfc3339Milliseconds($0.time), $0.project] }
                ).print()
            }
            let backups = try target.folder.list()
            if json { return try JSONOutput.print(backups) }
            return show(target, backups, segments: try target.folder.segments())
        }
        // Not through the engine: the backups are wanted most when the store does not open.
        try global.refuseSharedStore()
        let folder = StoreBackupFolder(statePath: global.statePath(in: try global.workspaceRoot()))
        let backups = try folder.list()
        if json { return try JSONOutput.print(backups) }
        if backups.isEmpty {
            print("no store backups in \(folder.root.path)")
        } else {
            Table(
                headers: ["ID", "CREATED", "EVENTS", "BYTES", "NOTE"],
                rows: backups.map { [$0.id, TimeText.rfc3339($0.created), String($0.events), String($0.bytes), $0.note ?? ""] }
            ).print()
        }
        guard let engine = try? await global.openEngine(json: json) else { return }
        // A Neon database's snapshots are listed with COMPONENT --env ENV (an API call each).
        for target in engine.databaseBackupTargets() where target.provider == .postgresql {
            let backups = try target.folder.list()
            let segments = try target.folder.segments()
            if !backups.isEmpty || !segments.isEmpty {
                print("")
                show(target, backups, segments: segments)
            }
        }
    }

    private func show(_ target: DatabaseBackupTarget, _ backups: [DatabaseBackup], segments: [WALSegment]) {
        let wal = segments.filter(\.isSegment)
        print("\(target.description): \(backups.count) backups, \(wal.count) archived WAL segments in \(target.folder.root.path)")
        guard !backups.isEmpty else { return }
        Table(
            headers: ["ID", "KIND", "RESTORABLE FROM", "START LSN", "DATABASE", "BYTES"],
            rows: backups.map {
                [$0.id, $0.kind.rawValue, TimeText.rfc3339Milliseconds($0.time), $0.startLSN ?? "-", $0.database, String($0.bytes)]
            }
        ).print()
        if let window = RecoveryWindow(backups: backups, segments: segments) {
            print("point-in-time window: \(TimeText.rfc3339Milliseconds(window.earliest)) to \(TimeText.rfc3339Milliseconds(window.latest))")
        }
    }
}
