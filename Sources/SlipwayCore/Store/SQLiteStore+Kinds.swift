import Foundation
import GRDB

extension SQLiteStore {
    /// The newest events of `kind`, newest first: what the console reads alerts from, without
    /// decoding the rest of the log.
    public func latestEvents(kind: EventKind, limit: Int) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM events WHERE kind = ? ORDER BY id DESC LIMIT ?", arguments: [kind.rawValue, limit])
                    .map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }
}

extension SQLiteStore {
    /// Every event of `kind` about `component` in `environment`, oldest first.
    public func events(kind: EventKind, component: String, environment: String) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM events WHERE component = ? AND environment = ? AND kind = ? ORDER BY id",
                    arguments: [component, environment, kind.rawValue]
                ).map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }
}

extension SQLiteStore {
    /// Every event of one of `kinds` about `component` in `environment`, oldest first.
    public func events(kinds: [EventKind], component: String, environment: String) throws(SlipwayError) -> [Event] {
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM events WHERE component = ? AND environment = ? AND kind IN (\(marks)) ORDER BY id",
                    arguments: StatementArguments([component, environment] + kinds.map(\.rawValue))
                ).map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }
}
