import ArgumentParser
import Foundation
import SlipwayCore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a component's database as it was at a moment into a new cluster (base backup + archived WAL), or with Neon into a new branch.",
        discussion: """
            The newest base backup that ended before --to is copied into a new data folder (--into, which must not exist \
            or be empty; by default a new folder under the backup folder's restores/), replays the WAL archive up to the \
            moment, is promoted, and is left running on a loopback port: it prints where. The live cluster is never touched. \
            Stop the restored server with pg_ctl stop -D DATA_FOLDER. --in-place is refused for a local server.

            A Neon database (provider: neon) is restored through Neon's API into a new branch made from its branch at the \
            moment, with a read-write compute; the live branch is not touched. --in-place --confirm DATABASE restores the \
            branch itself (Neon's branch restore) and keeps its state before as BRANCH-before-restore-TIME.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: DatabaseBackupOptions
    @Option(help: "The moment: 2026-12-04T17:30:00.250Z, '2026-12-04 17:30:00' (UTC), or --to=-2h.") var to: String
    @Option(help: "A new data folder for the restored cluster.") var into: String?
    @Option(help: "The loopback port it listens on (default: a free one).") var port: Int?
    @Flag(help: "Neon only: restore the live branch itself, keeping its state before under another name.") var inPlace = false
    @Option(help: "With --in-place: the database's name (its entry in databases:), as typed confirmation.") var confirm: String?

    func run() async throws {
        guard let moment = MomentText.parse(to) else {
            throw SlipwayError.usage("restore: --to '\(to)' is not a moment (2026-12-04T17:30:00Z, '2026-12-04 17:30:00' in UTC, or --to=-2h)")
        }
        if let into, into.contains("://") {
            throw SlipwayError.usage("restore: --into takes a new data folder; restoring into a running server is not supported")
        }
        let engine = try await global.openEngine(json: options.json)
        let target = try options.target(engine, connecting: false)
        if case .neon = target.provider {
            guard into == nil, port == nil else {
                throw SlipwayError.usage("restore: --into and --port are for a local server; \(target.description) restores into a Neon branch")
            }
            let restore = try await engine.restoreNeonDatabase(target, to: moment, inPlace: inPlace, confirmation: confirm)
            if options.json { return try JSONOutput.print(restore) }
            if restore.mode == .inPlace {
                print("restored Neon branch \(restore.branchName) (\(restore.branchID)) in place to \(TimeText.rfc3339Milliseconds(moment)); "
                    + "its state before is kept as branch \(restore.preservedName ?? "?") (\(restore.preservedID ?? "?"))")
            } else {
                print("restored \(target.description) to \(TimeText.rfc3339Milliseconds(moment)) into the new Neon branch "
                    + "\(restore.branchName) (\(restore.branchID))" + (restore.host.map { ", compute at \($0)" } ?? "")
                    + "; the live branch is untouched")
            }
            return printOrder(target)
        }
        let restore = try await engine.restoreDatabase(
            target, to: moment, into: into.map { URL(fileURLWithPath: $0) }, port: port, inPlace: inPlace)
        if options.json { return try JSONOutput.print(restore) }
        print("restored \(target.description) to \(TimeText.rfc3339Milliseconds(moment)) from base backup \(restore.backup)"
            + (restore.reachedArchiveEnd ? " (the archive ends before that moment: restored all of it)" : ""))
        print("data folder \(restore.dataFolder); listening on \(restore.url)"
            + (restore.socketFolder.map { " and the socket in \($0)" } ?? "") + "; log \(restore.log)")
        printOrder(target)
    }

    /// The seed's recovery order after the event store is back: projections, then services.
    private func printOrder(_ target: DatabaseBackupTarget) {
        let component = target.component.name
        print("next, in recovery order (event store -> projections -> services):")
        print("  1. event store: restored above; check it before anything reads it")
        let projections = target.component.settings.database?.projections ?? []
        if projections.isEmpty {
            print("  2. projections: none declared")
        } else {
            for projection in projections {
                print("  2. projection \(projection.name): slipway projection rebuild \(component) \(projection.name) --env \(target.environment)")
            }
        }
        print("  3. services: point \(component) at the restored database and deploy it (slipway deploy-\(target.component.kind == .app ? "app" : "service") \(component) --env \(target.environment))")
    }
}
