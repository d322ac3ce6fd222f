import ArgumentParser
import SlipwayCore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up, verify and restore Slipway's own store (kept in .slipway/backups/).",
        discussion: """
            A backup is SQLite's online backup of the store: consistent while the agent and other commands write. \
            slipway.yml's `backups: {retention: 30d}` (days) or `{retention: 10}` (a count) says which are kept; \
            each create prunes the rest. Component database backups are not built yet.
            """,
        subcommands: [BackupCreate.self, BackupList.self, BackupVerify.self, BackupRestore.self])
}
