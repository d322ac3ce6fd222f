import ArgumentParser
import Foundation
import SlipwayCore

struct BackupRestore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a verified backup in the store's place; the store it replaces is kept as a backup of its own.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Restore Slipway's own store (the only kind of restore so far).") var store = false
    @Argument(help: "The backup's id (see 'slipway backup list').") var id: String

    func run() async throws {
        guard store else {
            throw SlipwayError.usage("backup restore: say what to restore: --store ID (component database restores are not built yet)")
        }
        let root = try global.workspaceRoot().standardizedFileURL
        let path = global.statePath(in: root)
        // Asked of the store being replaced: the refusal stays in its audit.
        try await global.openEngine().authorize(.restoreStore, environment: nil)
        let folder = StoreBackupFolder(statePath: path)
        let backup = try folder.backup(id: id)
        // The agent would go on writing into the store it opened, which is no longer the store.
        let agent = AgentClient(workspace: root, statePath: path)
        if await agent.answers() || agent.isLocked {
            throw SlipwayError.failure(
                "the agent of this workspace runs (socket \(agent.socketPath)): stop it first with 'slipway agent stop', then restore")
        }
        let (restored, aside) = try folder.restore(backup, to: path)
        print("restored \(backup.id) (\(backup.events) events) into \(path.path)"
            + (aside.map { "; the store it replaced is kept as backup \($0.id) (\($0.events) events)" } ?? ""))
        print("the next event is \(try restored.latestEventID()): store.restored")
    }
}
