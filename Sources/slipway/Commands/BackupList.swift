import ArgumentParser
import Foundation
import SlipwayCore

struct BackupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the store's backups, oldest first.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        // Not through the engine: the backups are wanted most when the store does not open.
        let folder = StoreBackupFolder(statePath: global.statePath(in: try global.workspaceRoot()))
        let backups = try folder.list()
        if json { return try JSONOutput.print(backups) }
        guard !backups.isEmpty else { return print("no store backups in \(folder.root.path)") }
        Table(
            headers: ["ID", "CREATED", "EVENTS", "BYTES", "NOTE"],
            rows: backups.map { [$0.id, TimeText.rfc3339($0.created), String($0.events), String($0.bytes), $0.note ?? ""] }
        ).print()
    }
}
