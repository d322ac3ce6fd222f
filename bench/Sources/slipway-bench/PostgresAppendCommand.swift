import ArgumentParser
import Foundation
import SlipwayCore

/// `pg-append`: events through `PostgresEventStore.append` against `psql`'s `\copy` of the same
/// rows into the same table (a fresh database each, on the server `--server` names).
struct PostgresAppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-append", abstract: "Time PostgresEventStore.append against psql \\copy of the same rows.")

    @Option(help: "libpq keywords of a server the benchmark may create and drop databases on (e.g. 'host=/tmp/pg user=postgres').")
    var server: String
    @Option(help: "How many events a repetition appends.") var events = Count(100_000)
    @Option(help: "How many events an append call holds (1: one transaction per event).") var batch = Count(1000)
    @Option(help: "How many repetitions of each.") var reps = Count(3)

    func run() async throws {
        let server = try BenchServer(server)
        let psql = server.psql
        let rows = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-bench-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: rows) }
        try writeCSV(count: events.value, to: rows)
        var storeTimes: [Double] = []
        var copyTimes: [Double] = []
        for rep in 0..<reps.value {
            let storeDatabase = "slipway_bench_store_\(rep)"
            try server.recreate(storeDatabase)
            let store = try await PostgresEventStore.open(try StoreURL(server.url(of: storeDatabase), name: "--server"))
            // Made before the clock starts, as `\copy`'s file is and as `append` (SQLite) makes its batches.
            let batches = stride(from: 0, to: events.value, by: batch.value).map { index in
                EventFactory.events(index..<min(index + batch.value, events.value))
            }
            let start = now()
            for events in batches { try await store.append(events) }
            storeTimes.append(seconds(since: start))
            guard try await store.latestEventID() == Int64(events.value) else { throw BenchError("the store holds too few events") }

            let copyDatabase = "slipway_bench_copy_\(rep)"
            try server.recreate(copyDatabase)
            _ = try await PostgresEventStore.open(try StoreURL(server.url(of: copyDatabase), name: "--server"))
            let (elapsed, _) = try runProcess(psql, [
                "-X", "-q", "-v", "ON_ERROR_STOP=1", "\(server.keywords) dbname=\(copyDatabase)", "-c",
                "\\copy slipway.events (time, actor, kind, schema_version, component, environment, run_id, payload) FROM '\(rows.path)' WITH (FORMAT csv)",
            ])
            copyTimes.append(elapsed)
            for database in [storeDatabase, copyDatabase] { try server.drop(database) }
        }
        let store = median(storeTimes)
        let copy = median(copyTimes)
        print("pg-append: \(grouped(events.value)) events, \(batch.value) per append, \(reps.value) reps (median)")
        print("  PostgresEventStore.append  \(fixed(store, 3)) s  \(grouped(Int(Double(events.value) / store))) events/s")
        print("  psql \\copy (whole process) \(fixed(copy, 3)) s  \(grouped(Int(Double(events.value) / copy))) events/s")
        print("  append / copy: \(fixed(store / copy, 2))x  (aim: within 3x)")
    }

    /// The rows `append` stores for events 0..<count, as CSV for `\copy`.
    func writeCSV(count: Int, to url: URL) throws {
        func field(_ text: String?) -> String {
            guard let text else { return "" }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let writer = try BufferedWriter(url)
        for index in 0..<count {
            let event = EventFactory.event(index)
            let payload = String(decoding: try EventFactory.encoder.encode(event.details), as: UTF8.self)
            let milliseconds = Int64(((event.time ?? Date()).timeIntervalSince1970 * 1000).rounded())
            try writer.write([
                String(milliseconds), field(benchActor), field(event.kind.rawValue), "1", field(event.component),
                field(event.environment), field(event.runID), field(payload),
            ].joined(separator: ",") + "\n")
        }
        try writer.close()
    }
}
