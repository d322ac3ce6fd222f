import Foundation
import GRDB

/// `slipway store check`: whether the store file is sound (SQLite's own integrity check) and its
/// projection equals the events folded again. Reads only; a damaged store is never written.
public struct StoreCheck: Sendable {
    public var path: URL
    public var events: Int64 = 0
    /// One line each; empty when the store is sound.
    public var problems: [String] = []

    public var isSound: Bool { problems.isEmpty }

    /// At most this many of SQLite's integrity findings are kept: a badly damaged file has thousands.
    static let findingLimit = 20

    public static func run(path: URL) -> StoreCheck {
        var check = StoreCheck(path: path)
        guard FileManager.default.fileExists(atPath: path.path) else {
            check.problems.append("there is no store at \(path.path)")
            return check
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path.path, configuration: configuration)
            let findings = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(\(findingLimit))") }
            if findings != ["ok"] {
                check.problems += findings.map { "integrity: \(StoreFault.escaped($0))" }
                return check
            }
        } catch {
            check.problems.append(StoreFault.error(error, path: path).message)
            return check
        }
        do {
            let store = try SQLiteStore(path: path)
            check.events = try store.latestEventID()
            if try store.foldedProjection() != store.projection() {
                check.problems.append("the stored projection differs from the events folded again: run 'slipway store rebuild'")
            }
        } catch {
            check.problems.append(error.message)
        }
        return check
    }
}
