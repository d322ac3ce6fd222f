import ArgumentParser
import Foundation
import SlipwayCore

/// `grow`: adds events to a store, for `rebuild` and `past` to work on.
struct GrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grow", abstract: "Grow the store DB to a number of events.")

    @Argument(help: "The store's database file.") var db: String
    @Option(help: "How many events the store holds afterwards.") var to = Count(1_000_000)
    @Option(help: "How many events an append call (or a sqlite3 transaction) holds.") var batch = Count(10_000)
    @Option(help: "store (EventStore.append, projection kept) or sqlite3 (the CLI, events only).") var via = "store"

    func run() throws {
        let url = URL(fileURLWithPath: db)
        let grown = try grow(db: url, to: to.value, batch: batch.value, via: via)
        print("grew \(url.path) by \(grouped(grown.added)) events in \(fixed(grown.seconds))s")
    }
}

/// Grows the store at `db` to `target` events: through `EventStore.append` (the projection kept
/// up to date as the engine keeps it) or, faster, through the sqlite3 CLI (events only).
func grow(db: URL, to target: Int, batch: Int, via: String) throws -> (added: Int, seconds: Double) {
    let existing: Int
    do {
        let store = try SQLiteStore(path: db, actor: benchActor)
        existing = Int(try store.latestEventID())
    }
    guard existing < target else { return (0, 0) }
    switch via {
    case "store":
        let store = try SQLiteStore(path: db, actor: benchActor)
        var elapsed = 0.0
        var index = existing
        while index < target {
            let end = min(index + 100_000, target)
            elapsed += try appendThroughStore(store, index..<end, batch: batch).seconds
            index = end
        }
        return (target - existing, elapsed)
    case "sqlite3":
        guard let sqlite3Path else { throw BenchError("sqlite3 not found") }
        let sql = db.deletingLastPathComponent().appendingPathComponent("grow.sql")
        try EventFactory.writeSQL(existing..<target, batch: batch, actor: benchActor, to: sql)
        defer { try? FileManager.default.removeItem(at: sql) }
        let (elapsed, _) = try runProcess(sqlite3Path, [db.path], input: sql)
        return (target - existing, elapsed)
    default:
        throw BenchError("--via wants store or sqlite3, not '\(via)'")
    }
}
