import ArgumentParser
import Foundation
import SlipwayCore

/// `pg-rebuild`: grows a PostgreSQL store through `PostgresEventStore.append` (the stored
/// projection kept as the engine keeps it), then rebuilds its projection in child processes, so
/// each one's VmHWM is the rebuild's; then the same on the embedded store, for comparison.
struct PostgresRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-rebuild", abstract: "Time a projection rebuild of a PostgreSQL store and of an embedded one of as many events.")

    @Option(help: "libpq keywords of a server the benchmark may create and drop databases on (e.g. 'host=/tmp/pg user=postgres').")
    var server: String
    @Option(help: "How many events the stores hold.") var events = Count(1_000_000)
    @Option(help: "How many events an append call holds while the stores grow.") var batch = Count(1000)
    @Option(help: "How many rebuilds of each store, each in a child process.") var runs = Count(3)
    @Flag(help: "Leave the embedded store out.") var noSqlite = false
    @OptionGroup var work: WorkFolder

    func run() async throws {
        let server = try BenchServer(server)
        let database = "slipway_bench_rebuild"
        try server.recreate(database)
        defer { try? server.drop(database) }
        let url = server.url(of: database)
        let store = try await PostgresEventStore.open(try StoreURL(url, name: "--server"))
        let start = now()
        var index = 0
        while index < events.value {
            let end = min(index + batch.value, events.value)
            try await store.append(EventFactory.events(index..<end))
            index = end
        }
        let grew = seconds(since: start)
        print("pg-rebuild: \(grouped(events.value)) events appended through PostgresEventStore.append, \(grouped(batch.value)) an append, "
            + "in \(fixed(grew)) s (\(grouped(Int(Double(events.value) / grew))) events/s); load \(loadAverage())")

        var times: [Double] = []
        for run in 0..<runs.value {
            let (child, busy) = try metered { try runProcess(ownExecutable(), ["pg-rebuild-once", url]) }
            guard let result = RebuildResult(line: child.output) else { throw BenchError("pg-rebuild-once said: \(child.output)") }
            print("  PostgreSQL rebuild (child process \(run + 1)): \(fixed(result.seconds, 3)) s, VmHWM \(mib(kB: result.hwmBeforeKB)) -> "
                + "\(mib(kB: result.hwmAfterKB)) MiB, \(result.states) states"
                + (result.matchesIncremental == true ? ", equals the stored projection" : ", DIFFERS from the stored projection")
                + " (machine busy: \(fixed(busy, 1)) cores)")
            guard result.matchesIncremental == true else { throw BenchError("the rebuild differs from the stored projection") }
            times.append(result.seconds)
        }
        // What the server alone spends on the fold's query, the rows going nowhere.
        let serverOnly = try server.run("""
            SELECT count(*), sum(length(id::text || time::text || kind || component || environment || coalesce(run_id, '')
                || coalesce(d ->> 'run_kind', '') || coalesce(d ->> 'version', '') || coalesce(d ->> 'commit', '')
                || coalesce(d ->> 'color', '') || coalesce(d ->> 'outcome', '') || coalesce(d ->> 'healthy', '') || coalesce(d ->> 'reason', '')))
            FROM (SELECT *, CASE WHEN kind IN ('run.started', 'run.finished', 'deploy.succeeded', 'health.checked', 'traffic.switched',
                                               'release.ready', 'slot.started', 'slot.stopped') THEN payload::jsonb END AS d
                  FROM slipway.events WHERE component IS NOT NULL AND environment IS NOT NULL) AS folded
            """, in: database).seconds
        print("  psql, the fold's SELECT alone on the server: \(fixed(serverOnly, 3)) s")
        let best = times.min() ?? .nan
        print("  PostgreSQL rebuild: best \(fixed(best, 2)) s, median \(fixed(median(times), 2)) s for \(grouped(events.value)) events "
            + "(aim: within 10 s: \(best <= 10 ? "met" : "missed"))")

        guard !noSqlite else { return }
        try work.using { work in
            let db = work.appendingPathComponent("rebuild.db")
            let grown = try grow(db: db, to: events.value, batch: batch.value, via: "store")
            print("embedded: \(grouped(grown.added)) events appended through EventStore.append, \(grouped(batch.value)) an append, "
                + "in \(fixed(grown.seconds)) s")
            var times: [Double] = []
            for run in 0..<runs.value {
                let (child, busy) = try metered { try runProcess(ownExecutable(), ["rebuild", db.path]) }
                guard let result = RebuildResult(line: child.output) else { throw BenchError("rebuild said: \(child.output)") }
                print("  SQLite rebuild (child process \(run + 1)): \(fixed(result.seconds, 3)) s, VmHWM \(mib(kB: result.hwmBeforeKB)) -> "
                    + "\(mib(kB: result.hwmAfterKB)) MiB, \(result.states) states"
                    + (result.matchesIncremental == true ? ", equals the stored projection" : ", DIFFERS from the stored projection")
                    + " (machine busy: \(fixed(busy, 1)) cores)")
                times.append(result.seconds)
            }
            print("  SQLite rebuild: best \(fixed(times.min() ?? .nan, 2)) s, median \(fixed(median(times), 2)) s")
        }
    }
}
