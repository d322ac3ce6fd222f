// slipway-slo-bench: SLO computation over 30 days of per-minute data for 100 components x 3
// environments (the SLO issue's benchmark; issue 15, aim 5: one alert evaluation pass under 100 ms).
//
//   slipway-slo-bench [--components 100] [--environments 3] [--days 30] [--runs 5]
//                     [--store DIR [--reuse] [--fill sql|store]] [--check 10]
//
// Pure phase: for each component and environment, three objectives (availability, latency 2 s,
// latency 5 s) of `days` x 1440 minutes are generated (not timed), then SLOSeries + SLOStatus +
// SLOAlerting.evaluate are timed. Store phase (with --store): the availability minutes of every
// subject go into a fresh EventStore (untimed; `--fill sql` writes the same rows and running sums
// with one INSERT ... SELECT a subject, minutes instead of `add`'s ten), then, interleaved `--runs`
// times: the agent's alert evaluation pass (`SLOEvaluation`), the bare SQLite look-ups that pass
// makes (C API, one read transaction, no Swift objects), the bare look-ups the pass made before
// issue 15 (the subjects listed as before, then two per window, 16 per objective), and `SLOReport`
// (`slipway slo`, `/metrics`). Then the pass's answers are checked against the evaluation that
// reads every minute of the first `--check` subjects into an `SLOSeries` (the first SLO peer).
// VmHWM is read from /proc/self/status.

import Foundation
import GRDBSQLite
import SlipwayCore

func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return fallback }
    return Int(CommandLine.arguments[index + 1]) ?? fallback
}

func peakKB() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

func elapsed(_ start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let components = option("--components", 100)
let environments = option("--environments", 3)
let minutes = option("--days", 30) * 1440
let end = SLIMinute.number(of: Date())
let objectives = SLOSettings().objectives

/// A subject's minutes: 1000 requests each, a few bad in a pattern that differs per subject.
func series(subject: Int, objective: Int) -> [SLIMinute] {
    ((end - minutes)..<end).map { minute in
        SLIMinute(minute: minute, total: 1000, bad: (minute &* 31 &+ subject &* 7 &+ objective) % 997 == 0 ? 50 : (minute % 11 == 0 ? 1 : 0))
    }
}

print("subjects: \(components) components x \(environments) environments, \(objectives.count) objectives, \(minutes) minutes each")
var computeSeconds = 0.0
var checksum = 0.0
for subject in 0..<(components * environments) {
    for (index, objective) in objectives.enumerated() {
        let data = series(subject: subject, objective: index)
        let start = ContinuousClock.now
        let built = SLOSeries(data)
        let status = SLOStatus(objective: objective, series: built, at: end)
        var alerting = SLOAlerting(objective: objective)
        let alerts = alerting.evaluate(built, at: end)
        computeSeconds += elapsed(start)
        checksum += status.budgetRemaining + Double(alerts.count)
    }
}
let evaluations = components * environments * objectives.count
print(String(format: "pure: %d evaluations (series + status + alerts) in %.3f s, %.3f ms each; VmHWM %d MB (checksum %.3f)",
             evaluations, computeSeconds, computeSeconds * 1000 / Double(evaluations), peakKB() / 1024, checksum))

/// A bare SQLite connection (the C API, no GRDB): the floor the store's reads are measured against.
final class SQLiteConnection {
    let handle: OpaquePointer

    init(path: String) {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            fatalError("cannot open \(path)")
        }
        handle = connection
        sqlite3_busy_timeout(handle, 60_000)
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            fatalError("\(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
    }

    func prepare(_ sql: String) -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement else { fatalError("\(String(cString: sqlite3_errmsg(handle))) in \(sql)") }
        return statement
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound text.
func transient() -> sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

/// Binds `texts` then `integers` in order and steps once; the row's integer columns, if any.
func lookUp(_ statement: OpaquePointer, _ texts: [String], _ integers: [Int], columns: Int) -> [Int]? {
    sqlite3_reset(statement)
    for (offset, text) in texts.enumerated() { sqlite3_bind_text(statement, Int32(offset + 1), text, -1, transient()) }
    for (offset, integer) in integers.enumerated() {
        sqlite3_bind_int64(statement, Int32(texts.count + offset + 1), Int64(integer))
    }
    guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
    return (0..<columns).map { Int(sqlite3_column_int64(statement, Int32($0))) }
}

/// Binds `texts` and steps once; whether a row came (read it from the statement).
func lookUpText(_ statement: OpaquePointer, _ texts: [String]) -> Void? {
    sqlite3_reset(statement)
    for (offset, text) in texts.enumerated() { sqlite3_bind_text(statement, Int32(offset + 1), text, -1, transient()) }
    return sqlite3_step(statement) == SQLITE_ROW ? () : nil
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(String.init) ?? "?"
}

func stringOption(_ name: String, _ fallback: String) -> String {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return fallback }
    return CommandLine.arguments[index + 1]
}

if let index = CommandLine.arguments.firstIndex(of: "--store"), index + 1 < CommandLine.arguments.count {
    let folder = URL(fileURLWithPath: CommandLine.arguments[index + 1])
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("state.db")
    let store = try SQLiteStore(path: path, actor: "bench")
    let bare = SQLiteConnection(path: path.path)
    // --reuse: a store filled by an earlier run with the same sizes is timed again without refilling.
    let reuse = try CommandLine.arguments.contains("--reuse") && !store.sliSubjects().isEmpty
    let viaStore = stringOption("--fill", "sql") == "store"
    let fill = ContinuousClock.now
    for subject in 0..<(components * environments) where !reuse && viaStore {
        try store.add(series(subject: subject, objective: 0).map {
            SLIIncrement(
                component: "component-\(subject / environments)", environment: "env-\(subject % environments)",
                objective: "availability", minute: $0)
        })
    }
    if !reuse && !viaStore {
        // The rows `add` writes for `series(subject:objective: 0)`, running sums included; the
        // minute index is built once at the end instead of row by row.
        bare.execute("BEGIN; DROP INDEX sli_minutes_by_minute;")
        for subject in 0..<(components * environments) {
            bare.execute("""
                WITH RECURSIVE minute(m) AS (SELECT \(end - minutes) UNION ALL SELECT m + 1 FROM minute WHERE m + 1 < \(end)),
                raw AS (SELECT m, CASE WHEN (m * 31 + \(subject) * 7) % 997 = 0 THEN 50 WHEN m % 11 = 0 THEN 1 ELSE 0 END AS bad FROM minute)
                INSERT INTO sli_minutes (component, environment, objective, minute, total, bad, total_through, bad_through)
                SELECT 'component-\(subject / environments)', 'env-\(subject % environments)', 'availability', m, 1000, bad,
                    SUM(1000) OVER running, SUM(bad) OVER running
                FROM raw WINDOW running AS (ORDER BY m);
                """)
        }
        bare.execute("CREATE INDEX sli_minutes_by_minute ON sli_minutes (minute); COMMIT; PRAGMA wal_checkpoint(TRUNCATE);")
    }
    print(reuse
        ? "store: reused the rows of an earlier run (not refilled)"
        : String(format: "store: %d availability rows written %@ in %.1f s (not part of the figure)",
                 components * environments * minutes, viaStore ? "through EventStore.add" : "by one INSERT ... SELECT a subject",
                 elapsed(fill)))
    let workspaceFolder = folder.appendingPathComponent("workspace")
    try FileManager.default.createDirectory(at: workspaceFolder, withIntermediateDirectories: true)
    let workspace = try Workspace.load(at: workspaceFolder)
    let lengths = objectives.map { SLOWindows.lengths(for: $0, rules: BurnRateRule.standard) }

    let firstSubject = bare.prepare("SELECT component, environment FROM sli_minutes ORDER BY component, environment LIMIT 1")
    let nextEnvironment = bare.prepare("""
        SELECT component, environment FROM sli_minutes WHERE component = ? AND environment > ? ORDER BY environment LIMIT 1
        """)
    let nextComponent = bare.prepare("""
        SELECT component, environment FROM sli_minutes WHERE component > ? ORDER BY component, environment LIMIT 1
        """)
    // The listing of before: one row-value seek per pair, which SQLite runs over every minute of the pair.
    let nextPair = bare.prepare("""
        SELECT component, environment FROM sli_minutes WHERE (component, environment) > (?, ?)
        ORDER BY component, environment LIMIT 1
        """)
    /// The subjects, by the skip scan the store makes (or made, `old`).
    func bareSubjects(old: Bool = false) -> [(String, String)] {
        var subjects: [(String, String)] = []
        let text = { (statement: OpaquePointer) in
            (String(cString: sqlite3_column_text(statement, 0)), String(cString: sqlite3_column_text(statement, 1)))
        }
        var next = lookUpText(firstSubject, []).map { _ in text(firstSubject) }
        while let subject = next {
            subjects.append(subject)
            if old {
                next = lookUpText(nextPair, [subject.0, subject.1]).map { _ in text(nextPair) }
            } else {
                next = lookUpText(nextEnvironment, [subject.0, subject.1]).map { _ in text(nextEnvironment) }
                    ?? lookUpText(nextComponent, [subject.0]).map { _ in text(nextComponent) }
            }
        }
        return subjects
    }
    // The pass's look-ups: the objective's last minute before the end, then the first minute of
    // each window that reaches back to it.
    let lastBefore = bare.prepare("""
        SELECT minute, total_through, bad_through FROM sli_minutes
        WHERE component = ? AND environment = ? AND objective = ? AND minute < ? ORDER BY minute DESC LIMIT 1
        """)
    let firstFrom = bare.prepare("""
        SELECT total_through - total, bad_through - bad FROM sli_minutes
        WHERE component = ? AND environment = ? AND objective = ? AND minute >= ? ORDER BY minute LIMIT 1
        """)
    func bareLookUps(at minute: Int) -> (lookUps: Int, bad: Int) {
        bare.execute("BEGIN")
        defer { bare.execute("COMMIT") }
        var count = 0
        var bad = 0
        for (component, environment) in bareSubjects() {
            for (objective, windows) in zip(objectives, lengths) {
                let key = [component, environment, objective.name]
                count += 1
                guard let upper = lookUp(lastBefore, key, [minute], columns: 3) else { continue }
                for length in windows where upper[0] >= minute - length {
                    count += 1
                    bad += upper[2] - (lookUp(firstFrom, key, [minute - length], columns: 2)?[1] ?? 0)
                }
            }
        }
        return (count, bad)
    }
    // The look-ups the pass made before issue 15: two per window, each bounded on both sides.
    let oldLast = bare.prepare("""
        SELECT total_through, bad_through FROM sli_minutes
        WHERE component = ? AND environment = ? AND objective = ? AND minute >= ? AND minute < ?
        ORDER BY minute DESC LIMIT 1
        """)
    let oldFirst = bare.prepare("""
        SELECT total_through - total, bad_through - bad FROM sli_minutes
        WHERE component = ? AND environment = ? AND objective = ? AND minute >= ? AND minute < ?
        ORDER BY minute LIMIT 1
        """)
    func oldBareLookUps(at minute: Int) -> (lookUps: Int, bad: Int) {
        bare.execute("BEGIN")
        defer { bare.execute("COMMIT") }
        var count = 0
        var bad = 0
        for (component, environment) in bareSubjects(old: true) {
            for (objective, windows) in zip(objectives, lengths) {
                for length in windows {
                    let key = [component, environment, objective.name]
                    count += 2
                    if let upper = lookUp(oldLast, key, [minute - length, minute], columns: 2),
                       let lower = lookUp(oldFirst, key, [minute - length, minute], columns: 2) {
                        bad += upper[1] - lower[1]
                    }
                }
            }
        }
        return (count, bad)
    }

    let runs = option("--runs", 5)
    var passes: [Double] = []
    var bares: [Double] = []
    var oldBares: [Double] = []
    var reports: [Double] = []
    var evaluation: SLOEvaluation?
    let minute = SLIMinute.number(of: Date())
    let now = Date(timeIntervalSince1970: Double(minute) * 60)
    for run in 1...runs {
        var start = ContinuousClock.now
        let pass = try SLOEvaluation(store: store, workspace: workspace, earlier: [:], now: now)
        passes.append(elapsed(start))
        evaluation = pass
        start = ContinuousClock.now
        let floor = bareLookUps(at: minute)
        bares.append(elapsed(start))
        start = ContinuousClock.now
        let oldFloor = oldBareLookUps(at: minute)
        oldBares.append(elapsed(start))
        start = ContinuousClock.now
        let report = try SLOReport(store: store, workspace: workspace, environment: nil, now: now)
        reports.append(elapsed(start))
        print(String(
            format: "run %d (load %@): SLOEvaluation %.1f ms (%d objectives, %d alerts) | bare SQLite, the same %d look-ups %.1f ms | bare SQLite, the %d look-ups of before %.1f ms | SLOReport %.1f ms (%d entries); VmHWM %d MB",
            run, loadAverage(), passes.last! * 1000, pass.states.count, pass.alerts.count, floor.lookUps, bares.last! * 1000,
            oldFloor.lookUps, oldBares.last! * 1000, reports.last! * 1000, report.entries.count, peakKB() / 1024))
    }

    // The answers, against every minute of the first subjects read into an SLOSeries.
    let checked = option("--check", 10)
    var compared = 0
    var differing: [String] = []
    let start = ContinuousClock.now
    for subject in try store.sliSubjects().prefix(checked) {
        for objective in objectives {
            let read = try store.sliMinutes(
                component: subject.component, environment: subject.environment, objective: objective.name,
                since: minute - objective.windowMinutes)
            var alerting = SLOAlerting(objective: objective)
            _ = alerting.evaluate(SLOSeries(read), at: minute)
            let key = "\(subject.component)/\(subject.environment)/\(objective.name)"
            compared += 1
            if evaluation?.states[key] != alerting { differing.append(key) }
        }
    }
    let perSubject = elapsed(start) / Double(max(1, min(checked, components * environments)))
    print(String(format: "answers: %d objectives of %d subjects against every minute read into SLOSeries: %@ (that peer: %.1f ms a subject, about %.1f s a pass)",
                 compared, min(checked, components * environments), differing.isEmpty ? "the same" : "DIFFERENT for \(differing)",
                 perSubject * 1000, perSubject * Double(components * environments)))

    func best(_ values: [Double]) -> Double { values.min()! * 1000 }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] * 1000 }
    print("")
    print("| measure (\(components) x \(environments) subjects, \(runs) runs) | best ms | median ms | aim | met |")
    print("|---|---:|---:|---|---|")
    print(String(format: "| alert evaluation pass (SLOEvaluation) | %.1f | %.1f | < 100 ms | %@ |",
                 best(passes), median(passes), best(passes) < 100 && differing.isEmpty ? "met" : "missed"))
    print(String(format: "| bare SQLite, the pass's look-ups | %.1f | %.1f | peer | |", best(bares), median(bares)))
    print(String(format: "| bare SQLite, the look-ups of before | %.1f | %.1f | peer | |", best(oldBares), median(oldBares)))
    print(String(format: "| SLOReport (slipway slo, /metrics) | %.1f | %.1f | - | |", best(reports), median(reports)))
    print(String(format: "| pass / bare look-ups | %.2fx | %.2fx | - | |", best(passes) / best(bares), median(passes) / median(bares)))
}
