import ArgumentParser
import Foundation
import SlipwayCore

/// `all` (the default): every benchmark, then the table of results against the goals.
struct AllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all", abstract: "Every benchmark (discovery, append, grow, rebuild), then a table of results.")

    @Flag(help: "A smaller run, to check that everything works.") var quick = false
    @Option(help: "Seconds to wait at most for the machine to go quiet before each phase; 0 skips.") var settle = 60
    @Option(help: "How the store grows for the rebuild: store or sqlite3.") var via = "store"
    @Option(help: "How many components discovery generates.") var components = Count(1000)
    @Option(help: "How many timed discovery loads (default: 9, --quick 3).") var runs: Count?
    @Option(help: "How many events an append repetition writes (default: 100000, --quick 20000).") var events: Count?
    @Option(help: "How many events an append call holds.") var batch = Count(1000)
    @Option(help: "How many append repetitions (default: 5, --quick 1).") var reps: Count?
    @Option(help: "How many events the store holds for the rebuild (default: 1000000, --quick 200000).") var rebuildEvents: Count?
    @Option(help: "How many rebuilds, each in a child process (default: 3, --quick 1).") var rebuildRuns: Count?
    @Option(help: "How many events an append call holds while growing the store.") var growBatch = Count(10_000)
    @OptionGroup var folder: WorkFolder

    func validate() throws {
        guard settle >= 0 else { throw ValidationError("--settle wants 0 or a positive whole number, not '\(settle)'") }
    }

    func run() throws {
        try folder.using(measure)
    }

    private func measure(in work: URL) throws {
        let components = self.components.value
        let discoveryRuns = runs?.value ?? (quick ? 3 : 9)
        let events = self.events?.value ?? (quick ? 20_000 : 100_000)
        let batch = self.batch.value
        let reps = self.reps?.value ?? (quick ? 1 : 5)
        let target = rebuildEvents?.value ?? (quick ? 200_000 : 1_000_000)
        let rebuildRuns = self.rebuildRuns?.value ?? (quick ? 1 : 3)
        let growBatch = self.growBatch.value

        var info = utsname()
        uname(&info)
        let kernel = withUnsafeBytes(of: &info.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let date = ISO8601DateFormatter().string(from: Date())
        print("slipway-bench  \(date)  \(ProcessInfo.processInfo.activeProcessorCount) cores  Linux \(kernel)  "
            + "sqlite3 \(try runProcess(sqlite3Path ?? "/usr/bin/sqlite3", ["--version"]).output.split(separator: " ").first ?? "?")")
        print("work folder: \(work.path); load average \(loadAverage())\n")
        func settleDown(limit: Int? = nil, silently: Bool = false) {
            let limit = limit ?? settle
            guard limit > 0 else { return }
            let (waited, quiet) = waitForQuiet(limit: limit)
            if silently { return }
            if !quiet {
                print("  (the machine is still busy after \(limit) s, load average \(loadAverage()): measuring anyway)")
            } else if waited > 3.5 {
                print("  (waited \(fixed(waited, 0)) s for the machine to go quiet)")
            }
        }

        settleDown()
        var (discovery, discoveryBusy) = try metered { try benchDiscovery(work: work, count: components, runs: discoveryRuns) }
        discovery.busy = discoveryBusy
        printDiscovery(discovery)

        let db = work.appendingPathComponent("rebuild.db")
        settleDown()
        let append = try benchAppend(
            work: work, events: events, batch: batch, reps: reps, keep: db, settle: { settleDown(limit: min(settle, 20), silently: true) })
        printAppend(append)

        let grown = try grow(db: db, to: target, batch: growBatch, via: via)
        print("grow: \(grouped(grown.added)) events added via \(via) in batches of \(grouped(growBatch)) in \(fixed(grown.seconds))s "
            + "(\(grouped(Int(Double(grown.added) / max(grown.seconds, 1e-9)))) events/s)")
        let dbBytes = (try? FileManager.default.attributesOfItem(atPath: db.path)[.size] as? Int) ?? 0

        var rebuilds: [RebuildResult] = []
        for index in 0..<rebuildRuns {
            settleDown()
            let (child, busy) = try metered { try runProcess(ownExecutable(), ["rebuild", db.path] + (index == 0 ? ["--fold"] : [])) }
            guard let result = RebuildResult(line: child.output) else { throw BenchError("rebuild child said: \(child.output)") }
            print("  rebuild (child process \(index + 1)): \(fixed(result.seconds, 3)) s, VmHWM \(mib(kB: result.hwmBeforeKB)) -> "
                + "\(mib(kB: result.hwmAfterKB)) MiB, \(result.states) states"
                + (result.foldSeconds.map { ", foldedProjection \(fixed($0, 3)) s" } ?? "")
                + (result.matchesIncremental.map { $0 ? ", equals the incremental projection" : ", DIFFERS from the incremental projection" } ?? "")
                + " (machine busy: \(fixed(busy, 1)) cores)")
            rebuilds.append(result)
        }
        let floor = try sqliteFoldFloor(db: db)
        print("  sqlite3 CLI, the fold's SELECT alone: \(fixed(floor.withJSON, 3)) s with the 7 json_extract, "
            + "\(fixed(floor.withoutJSON, 3)) s without")

        // The table.
        let discoveryBest = discovery.times.min() ?? .nan
        let discoveryMedian = median(discovery.times)
        let storeBest = append.storeTimes.min() ?? .nan
        let sqliteBest = append.sqliteTimes.min() ?? .nan
        let ratioBest = storeBest / sqliteBest
        let ratioMedian = median(append.storeTimes) / median(append.sqliteTimes)
        let rate = { (count: Int, time: Double) in grouped(Int((Double(count) / time).rounded())) }
        let rebuildTimes = rebuilds.map(\.seconds)
        let rebuildBest = rebuildTimes.min() ?? .nan
        let rebuildMedian = median(rebuildTimes)
        let peakKB = rebuilds.map(\.hwmAfterKB).max() ?? -1
        let rebuiltEvents = rebuilds.first?.events ?? 0
        let yes = { (met: Bool) in met ? "yes" : "NO" }

        var rows: [(String, String, String, String)] = [("measure", "result", "goal", "met")]
        rows.append((
            "discovery, \(grouped(discovery.components)) components",
            "best \(fixed(discoveryBest * 1000, 1)) ms, median \(fixed(discoveryMedian * 1000, 1)) ms (\(discovery.times.count) runs)",
            "-", "-"))
        rows.append((
            "append, EventStore (\(grouped(events)) ev, batch \(batch))",
            "\(rate(events, storeBest)) ev/s best, \(rate(events, median(append.storeTimes))) median", "", ""))
        rows.append((
            "append, sqlite3 CLI floor (same rows)",
            "\(rate(events, sqliteBest)) ev/s best, \(rate(events, median(append.sqliteTimes))) median", "", ""))
        rows.append((
            "append time, EventStore / sqlite3",
            "\(fixed(ratioBest))x best, \(fixed(ratioMedian))x median", "<= 2x", yes(ratioBest <= 2)))
        rows.append((
            "rebuild, \(grouped(rebuiltEvents)) events",
            "best \(fixed(rebuildBest, 2)) s, median \(fixed(rebuildMedian, 2)) s (\(rate(rebuiltEvents, rebuildBest)) ev/s best)",
            "<= 5 s", yes(rebuildBest <= 5)))
        rows.append((
            "rebuild peak memory (VmHWM)",
            "\(mib(kB: peakKB)) MiB (at start \(mib(kB: rebuilds.map(\.hwmBeforeKB).max() ?? -1)) MiB)",
            "<= 200 MB", yes(peakKB * 1024 <= 200_000_000)))
        let widths = (0..<3).map { column in
            rows.map { row in [row.0, row.1, row.2][column].count }.max() ?? 0
        }
        print("")
        for (index, row) in rows.enumerated() {
            let cells = [row.0, row.1, row.2]
            let padded = cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            print("| " + padded.joined(separator: " | ") + " | " + row.3.padding(toLength: 3, withPad: " ", startingAt: 0) + " |")
            if index == 0 {
                print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|-----|")
            }
        }
        print("\nstore for the rebuild: \(grouped(dbBytes)) bytes; goals are judged on the best runs (others' work only adds time); "
            + "load average at the end \(loadAverage())")
    }
}
