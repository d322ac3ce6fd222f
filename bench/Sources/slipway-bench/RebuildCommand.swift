import ArgumentParser
import Foundation
import SlipwayCore

/// `rebuild`: one projection rebuild, in a process of its own so that its VmHWM is the rebuild's.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "One rebuildProjection() of the store DB; prints a RESULT line.")

    @Argument(help: "The store's database file.") var db: String
    @Flag(help: "Time foldedProjection() too.") var fold = false

    func run() throws {
        print(try rebuildOnce(db: URL(fileURLWithPath: db), fold: fold).line)
    }
}

struct RebuildResult {
    var events: Int
    var seconds: Double
    var foldSeconds: Double?
    var hwmBeforeKB: Int
    var hwmAfterKB: Int
    var rssAfterKB: Int
    var states: Int
    var matchesIncremental: Bool?

    var line: String {
        var fields = [
            "events=\(events)", "seconds=\(seconds)", "hwm_before_kb=\(hwmBeforeKB)", "hwm_after_kb=\(hwmAfterKB)",
            "rss_after_kb=\(rssAfterKB)", "states=\(states)",
        ]
        if let foldSeconds { fields.append("fold_seconds=\(foldSeconds)") }
        if let matchesIncremental { fields.append("matches_incremental=\(matchesIncremental)") }
        return "RESULT " + fields.joined(separator: " ")
    }

    init(events: Int, seconds: Double, foldSeconds: Double?, hwmBeforeKB: Int, hwmAfterKB: Int, rssAfterKB: Int,
         states: Int, matchesIncremental: Bool?) {
        self.events = events
        self.seconds = seconds
        self.foldSeconds = foldSeconds
        self.hwmBeforeKB = hwmBeforeKB
        self.hwmAfterKB = hwmAfterKB
        self.rssAfterKB = rssAfterKB
        self.states = states
        self.matchesIncremental = matchesIncremental
    }

    init?(line: String) {
        guard let result = line.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else { return nil }
        var fields: [String: String] = [:]
        for field in result.dropFirst(7).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let events = fields["events"].flatMap({ Int($0) }), let seconds = fields["seconds"].flatMap({ Double($0) }),
              let before = fields["hwm_before_kb"].flatMap({ Int($0) }), let after = fields["hwm_after_kb"].flatMap({ Int($0) }),
              let rss = fields["rss_after_kb"].flatMap({ Int($0) }), let states = fields["states"].flatMap({ Int($0) })
        else { return nil }
        self.init(
            events: events, seconds: seconds, foldSeconds: fields["fold_seconds"].flatMap { Double($0) },
            hwmBeforeKB: before, hwmAfterKB: after, rssAfterKB: rss, states: states,
            matchesIncremental: fields["matches_incremental"].map { $0 == "true" })
    }
}

/// One `rebuildProjection()` of the store at `db`, timed, with the process's peak memory before
/// (store opened, stored projection read) and after.
func rebuildOnce(db: URL, fold: Bool) throws -> RebuildResult {
    let store = try SQLiteStore(path: db, actor: benchActor)
    let events = Int(try store.latestEventID())
    let stored = try store.projection()
    let hwmBefore = procStatusKB("VmHWM")
    let start = now()
    let rebuilt = try store.rebuildProjection()
    let elapsed = seconds(since: start)
    let hwmAfter = procStatusKB("VmHWM")
    let rss = procStatusKB("VmRSS")
    var foldSeconds: Double?
    if fold {
        let foldStart = now()
        _ = try store.foldedProjection()
        foldSeconds = seconds(since: foldStart)
    }
    return RebuildResult(
        events: events, seconds: elapsed, foldSeconds: foldSeconds, hwmBeforeKB: hwmBefore, hwmAfterKB: hwmAfter,
        rssAfterKB: rss, states: rebuilt.states.count,
        matchesIncremental: stored.states.isEmpty ? nil : stored == rebuilt)
}

/// What SQLite alone spends on the fold's query, through the sqlite3 CLI: the scan with the
/// seven `json_extract`s, and the same scan without them.
func sqliteFoldFloor(db: URL) throws -> (withJSON: Double, withoutJSON: Double) {
    guard let sqlite3Path else { throw BenchError("sqlite3 not found") }
    let withJSON = """
        SELECT count(*), sum(length(id || time || kind || component || environment || ifnull(run_id, '')
            || ifnull(json_extract(payload, '$.run_kind'), '') || ifnull(json_extract(payload, '$.version'), '')
            || ifnull(json_extract(payload, '$.commit'), '') || ifnull(json_extract(payload, '$.color'), '')
            || ifnull(json_extract(payload, '$.outcome'), '') || ifnull(json_extract(payload, '$.healthy'), '')
            || ifnull(json_extract(payload, '$.reason'), '')))
        FROM events WHERE component IS NOT NULL AND environment IS NOT NULL ORDER BY id;
        """
    let withoutJSON = """
        SELECT count(*), sum(length(id || time || kind || component || environment || ifnull(run_id, '') || payload))
        FROM events WHERE component IS NOT NULL AND environment IS NOT NULL ORDER BY id;
        """
    var a: [Double] = []
    var b: [Double] = []
    for _ in 0..<3 {
        a.append(try runProcess(sqlite3Path, [db.path, withJSON]).seconds)
        b.append(try runProcess(sqlite3Path, [db.path, withoutJSON]).seconds)
    }
    return (a.min() ?? .nan, b.min() ?? .nan)
}

/// The console's past-view query (`PastLoader`) at `samples` moments spread evenly over the log:
/// the last event by then, the projection through it (checkpoint and fold), the runs started by
/// then and the 300 events up to it. Also the fold of every event, which a past moment cost
