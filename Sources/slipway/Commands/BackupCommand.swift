import ArgumentParser
import SlipwayCore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up Slipway's own store, and component databases with WAL archiving for point-in-time restore.",
        discussion: """
            Store: a backup is SQLite's online backup of the store, consistent while the agent and other commands write; \
            slipway.yml's `backups: {retention: 30d}` (days) or `{retention: 10}` (a count) says which are kept, and each \
            create prunes the rest. Component databases: `backup setup COMPONENT --env ENV` turns on WAL archiving into \
            .slipway/backups/<component>/<env>/wal (or the component's database.backup_folder), `backup create COMPONENT --env ENV` \
            takes a base backup (pg_basebackup) or with --logical a pg_dump, `backup prune` applies database.retention \
            (default {backups: 30d, pitr: 7d}), and `slipway restore` restores to a moment into a new cluster. \
            `backup verify COMPONENT --env ENV --restore` drills a restore into a throwaway cluster and measures its time; \
            `backup status` shows the newest recoverable point against database.rpo (1h) and that time against database.rto (4h).
            """,
        subcommands: [
            BackupSetup.self, BackupCreate.self, BackupList.self, BackupVerify.self, BackupRestore.self, BackupPrune.self,
            BackupStatus.self,
        ])
}
