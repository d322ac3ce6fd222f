import ArgumentParser
import Foundation
import SlipwayCore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a component's database as it was at a moment into a new cluster (base backup + archived WAL).",
        discussion: """
            The newest base backup that ended before --to is copied into a new data folder (--into, which must not exist \
            or be empty; by default a new folder under the backup folder's restores/), replays the WAL archive up to the \
            moment, is promoted, and is left running on a loopback port: it prints where. The live cluster is never touched. \
            Stop the restored server with pg_ctl stop -D DATA_FOLDER.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: DatabaseBackupOptions
    @Option(help: "The moment: 2026-12-04T17:30:00.250Z, '2026-12-04 17:30:00' (UTC), or --to=-2h.") var to: String
    @Option(help: "A new data folder for the restored cluster.") var into: String?
    @Option(help: "The loopback port it listens on (default: a free one).") var port: Int?

    func run() async throws {
        guard let moment = MomentText.parse(to) else {
            throw SlipwayError.usage("restore: --to '\(to)' is not a moment (2026-12-04T17:30:00Z, '2026-12-04 17:30:00' in UTC, or --to=-2h)")
        }
        if let into, into.contains("://") {
            throw SlipwayError.usage("restore: --into takes a new data folder; restoring into a running server is not supported")
        }
        let engine = try await global.openEngine(json: options.json)
        let target = try options.target(engine, connecting: false)
        let restore = try await engine.restoreDatabase(
            target, to: moment, into: into.map { URL(fileURLWithPath: $0) }, port: port)
        if options.json { return try JSONOutput.print(restore) }
        print("restored \(target.description) to \(TimeText.rfc3339Milliseconds(moment)) from base backup \(restore.backup)"
            + (restore.reachedArchiveEnd ? " (the archive ends before that moment: restored all of it)" : ""))
        print("data folder \(restore.dataFolder); listening on \(restore.url)"
            + (restore.socketFolder.map { " and the socket in \($0)" } ?? "") + "; log \(restore.log)")
    }
}
