import Foundation
import SlipwayCore

/// The events of deploy runs of 50 components x 3 environments, round robin: each run is
/// `run.started`, `deploy.succeeded`, `run.finished`, with the details `RunExecutor` and
/// `Deployer` write. Event `index` is always the same event.
enum EventFactory {
    static let components = (0..<50).map { String(format: "svc-%02d", $0) }
    static let environments = ["development", "staging", "production"]
    /// 2026-01-01T00:00:00Z; event `index` happens `index` seconds later.
    static let baseMilliseconds: Int64 = 1_767_225_600_000

    static func event(_ index: Int) -> NewEvent {
        let run = index / 3
        let key = run % (components.count * environments.count)
        let component = components[key % components.count]
        let environment = environments[key / components.count]
        let release = run / (components.count * environments.count) + 1
        let version = "v\(release)"
        let commit = String(format: "%07x", (UInt64(run) &* 2_654_435_761) & 0xfff_ffff)
        // Shaped like RunRecord.newID(): `r` + 14 digits + `-` + 4 hex digits.
        let runID = "r\(20_260_101_000_000 + run)-" + String(format: "%04x", run & 0xffff)
        let time = Date(timeIntervalSince1970: Double(baseMilliseconds + Int64(index) * 1000) / 1000)
        switch index % 3 {
        case 0:
            return NewEvent(.runStarted, component: component, environment: environment, runID: runID, details: EventDetails(
                runKind: .deploy, version: version, commit: commit, origin: "cli", pid: 40_000 + run % 20_000), time: time)
        case 1:
            return NewEvent(.deploySucceeded, component: component, environment: environment, runID: runID, details: EventDetails(
                runKind: .deploy, version: version, commit: commit, color: release % 2 == 0 ? "green" : "blue",
                previousVersion: release > 1 ? "v\(release - 1)" : nil), time: time)
        default:
            return NewEvent(.runFinished, component: component, environment: environment, runID: runID, details: EventDetails(
                runKind: .deploy, version: version, outcome: "succeeded"), time: time)
        }
    }

    static func events(_ range: Range<Int>) -> [NewEvent] { range.map(event) }

    /// The payload exactly as `EventStore.append` stores it (sorted keys, no masking needed).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func sqlLiteral(_ text: String?) -> String {
        guard let text else { return "NULL" }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// One INSERT of event `index` into the store's `events` table.
    static func insertStatement(_ index: Int, actor: String) throws -> String {
        let event = event(index)
        let payload = String(decoding: try encoder.encode(event.details), as: UTF8.self)
        let milliseconds = Int64(((event.time ?? Date()).timeIntervalSince1970 * 1000).rounded())
        return "INSERT INTO events (time, actor, kind, schema_version, component, environment, run_id, payload) VALUES ("
            + "\(milliseconds), \(sqlLiteral(actor)), \(sqlLiteral(event.kind.rawValue)), 1, \(sqlLiteral(event.component)), "
            + "\(sqlLiteral(event.environment)), \(sqlLiteral(event.runID)), \(sqlLiteral(payload)));\n"
    }

    /// A SQL script inserting events `range` in transactions of `batch` rows, with the
    /// connection set up as GRDB sets up a DatabasePool's (WAL, synchronous NORMAL).
    static func writeSQL(_ range: Range<Int>, batch: Int, actor: String, to url: URL) throws {
        let writer = try BufferedWriter(url)
        try writer.write("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n")
        var index = range.lowerBound
        while index < range.upperBound {
            let end = min(index + batch, range.upperBound)
            try writer.write("BEGIN;\n")
            for row in index..<end { try writer.write(try insertStatement(row, actor: actor)) }
            try writer.write("COMMIT;\n")
            index = end
        }
        try writer.close()
    }
}

let benchActor = "bench"
