import ArgumentParser
import Foundation
import SlipwayCore

/// `append`: events through `EventStore.append` against the same rows through the sqlite3 CLI.
struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append", abstract: "Time EventStore.append against the sqlite3 CLI inserting the same rows.")

    @Option(help: "How many events a repetition appends.") var events = Count(100_000)
    @Option(help: "How many events an append call (and a sqlite3 transaction) holds.") var batch = Count(1000)
    @Option(help: "How many repetitions of each.") var reps = Count(3)
    @OptionGroup var folder: WorkFolder

    func run() throws {
        printAppend(try folder.using {
            try benchAppend(work: $0, events: events.value, batch: batch.value, reps: reps.value, keep: nil)
        })
    }
}

struct AppendResult {
    var events: Int
    var batch: Int
    var storeTimes: [Double]
    var sqliteTimes: [Double]
    /// The machine's busy cores during each timed rep (this process, or sqlite3, is about 1).
    var storeBusy: [Double]
    var sqliteBusy: [Double]
    var sqlBytes: Int
    var json: JSONCosts?
}

/// `reps` times, alternately: 100,000 events through a fresh EventStore, then the same rows
/// through the sqlite3 CLI into a fresh database. `settle` runs before each timed part.
func benchAppend(work: URL, events: Int, batch: Int, reps: Int, keep: URL?, settle: () -> Void = {}) throws -> AppendResult {
    guard let sqlite3Path else { throw BenchError("sqlite3 not found: apt-get install -y sqlite3") }
    let sql = work.appendingPathComponent("append.sql")
    try EventFactory.writeSQL(0..<events, batch: batch, actor: benchActor, to: sql)
    let sqlBytes = (try? FileManager.default.attributesOfItem(atPath: sql.path)[.size] as? Int) ?? 0
    var storeTimes: [Double] = []
    var sqliteTimes: [Double] = []
    var storeBusy: [Double] = []
    var sqliteBusy: [Double] = []
    var states: [DeploymentState] = []
    for rep in 0..<reps {
        // EventStore, fresh store each time.
        let storeURL = work.appendingPathComponent("append-store.db")
        removeDatabase(storeURL)
        do {
            let store = try SQLiteStore(path: storeURL, actor: benchActor)
            settle()
            let (elapsed, busy) = try appendThroughStore(store, 0..<events, batch: batch)
            storeTimes.append(elapsed)
            storeBusy.append(busy)
            let latest = try store.latestEventID()
            guard latest == Int64(events) else { throw BenchError("store holds \(latest) events, expected \(events)") }
            states = Array(try store.projection().states.values)
        }
        if rep == reps - 1, let keep {
            removeDatabase(keep)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: storeURL.path + suffix) {
                try FileManager.default.moveItem(atPath: storeURL.path + suffix, toPath: keep.path + suffix)
            }
        } else {
            removeDatabase(storeURL)
        }

        // sqlite3 CLI, same schema (made by the store's migrations), same rows, same batches.
        let floorURL = work.appendingPathComponent("append-sqlite3.db")
        removeDatabase(floorURL)
        try createEmptyStore(at: floorURL)
        settle()
        let ((elapsed, _), busy) = try metered { try runProcess(sqlite3Path, [floorURL.path], input: sql) }
        sqliteTimes.append(elapsed)
        sqliteBusy.append(busy)
        let count = try runProcess(sqlite3Path, [floorURL.path, "SELECT count(*) FROM events"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard count == String(events) else { throw BenchError("sqlite3 inserted \(count) rows, expected \(events)") }
        removeDatabase(floorURL)
    }
    try FileManager.default.removeItem(at: sql)
    return AppendResult(
        events: events, batch: batch, storeTimes: storeTimes, sqliteTimes: sqliteTimes, storeBusy: storeBusy,
        sqliteBusy: sqliteBusy, sqlBytes: sqlBytes,
        json: try JSONCosts.measure(events: events, batch: batch, states: states))
}

func printAppend(_ result: AppendResult) {
    print("append: \(grouped(result.events)) events in batches of \(grouped(result.batch)), \(result.storeTimes.count) rep(s); "
        + "SQL script \(grouped(result.sqlBytes)) bytes")
    func times(_ values: [Double], _ busy: [Double]) -> String {
        zip(values, busy).map { "\(fixed($0.0, 3)) s (busy \(fixed($0.1, 1)))" }.joined(separator: ", ")
    }
    print("  EventStore.append: " + times(result.storeTimes, result.storeBusy))
    print("  sqlite3 CLI:       " + times(result.sqliteTimes, result.sqliteBusy))
    if let json = result.json {
        print("  apart, JSON work timed alone: payload encode \(fixed(json.payloadEncode, 3)) s (every append), payload re-decode "
            + "\(fixed(json.payloadDecode, 3)) s and \(json.stateCount) states decoded+encoded x\(json.batches) batches "
            + "\(fixed(json.states, 3)) s (an append by the only writer skips the re-decode and the decoding); total \(fixed(json.total, 3)) s "
            + "(\(fixed(100 * json.total / median(result.storeTimes), 0))% of the median EventStore time)")
    }
}
