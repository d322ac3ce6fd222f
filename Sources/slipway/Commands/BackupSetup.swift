import ArgumentParser
import SlipwayCore

struct BackupSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Turn on WAL archiving into the component's backup folder (ALTER SYSTEM) on a server on this machine.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: DatabaseBackupOptions

    func run() async throws {
        let engine = try await global.openEngine(json: options.json)
        let setup = try await engine.setUpArchiving(options.target(engine))
        if options.json { return try JSONOutput.print(setup) }
        for folder in setup.opened { print("gave others search permission (o+x) on \(folder), so \(setup.serverUser) reaches the archive") }
        for change in setup.changes {
            print("set \(change.setting) = '\(change.to)' (was '\(change.from)')")
        }
        print("archiving into \(setup.walFolder), written by the server's user \(setup.serverUser)"
            + (setup.changes.isEmpty ? ": already set up" : ""))
        if setup.restartNeeded {
            print("restart needed: wal_level and archive_mode take effect only when the server restarts (pg_ctl restart -D DATA, or systemctl restart postgresql)")
        }
    }
}
