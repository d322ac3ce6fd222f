import Foundation
import GRDB

/// Reads of the store as it was at a past event, for `status --at` and the console's past view.
extension SQLiteStore {
    /// The last event recorded at or before `moment`; nil when the log starts later.
    public func lastEvent(atOrBefore moment: Date) throws(SlipwayError) -> EventMark? {
        try mark(
            sql: "SELECT id, time FROM events WHERE time <= ? ORDER BY time DESC, id DESC LIMIT 1",
            [Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))])
    }

    /// The event `steps` events after `id` (before it when negative), stopping at the first and
    /// the newest event; nil only for an empty log.
    public func event(steps: Int, from id: Int64) throws(SlipwayError) -> EventMark? {
        let (comparison, order, edge) = steps < 0 ? ("<", "DESC", "ASC") : (">", "ASC", "DESC")
        let found: EventMark?
        if steps == 0 {
            found = try mark(sql: "SELECT id, time FROM events WHERE id <= ? ORDER BY id DESC LIMIT 1", [id])
        } else {
            found = try mark(
                sql: "SELECT id, time FROM events WHERE id \(comparison) ? ORDER BY id \(order) LIMIT 1 OFFSET ?",
                [id, abs(steps) - 1])
        }
        if let found { return found }
        return try mark(sql: "SELECT id, time FROM events ORDER BY id \(edge) LIMIT 1", [])
    }

    /// The newest event.
    public func latestEvent() throws(SlipwayError) -> EventMark? {
        try mark(sql: "SELECT id, time FROM events ORDER BY id DESC LIMIT 1", [])
    }

    private func mark(sql: String, _ arguments: StatementArguments) throws(SlipwayError) -> EventMark? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: sql, arguments: arguments).map { row in
                    EventMark(id: row[0], time: Date(milliseconds: row[1]))
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// The newest events up to and including `id`, newest first.
    public func latestEvents(limit: Int, through id: Int64) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM events WHERE id <= ? ORDER BY id DESC LIMIT ?", arguments: [id, limit])
                    .map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }

    /// The newest events of `kind` up to and including `id`, newest first.
    public func latestEvents(kind: EventKind, limit: Int, through id: Int64) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM events WHERE kind = ? AND id <= ? ORDER BY id DESC LIMIT ?",
                    arguments: [kind.rawValue, id, limit])
                    .map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }

    /// The runs started by `moment`, newest first, as they stood then: one that finished later
    /// was still running.
    public func runs(asOf moment: Date, limit: Int) throws(SlipwayError) -> [RunRecord] {
        let started: [RunRecord]
        do {
            started = try pool.read { db in
                try RunRecord.filter(Column("started_at") <= StoredMoment(moment))
                    .order(Column("started_at").desc, Column("id").desc).limit(limit).fetchAll(db)
            }
        } catch {
            throw failure(error)
        }
        return started.map { $0.asItStood(at: moment) }
    }
}
