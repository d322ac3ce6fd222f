import Foundation
import GRDB

/// Per-minute SLI aggregates: one row per component, environment, objective and minute, kept
/// for the 30-day window (plus a day), so the table's size is bounded by the fleet, not by time.
extension SQLiteStore {
    /// Adds `increments` to their minutes, keeps the running sums of the minutes at and after
    /// each one right, and drops minutes older than the retention.
    public func add(_ increments: [SLIIncrement], now: Date) throws(SlipwayError) {
        do {
            try pool.write { db in
                // A new minute starts from the running sums before it: those of the minute before, or,
                // when it is the first one kept, those the next minute started from.
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO sli_minutes (component, environment, objective, minute, total, bad, total_through, bad_through)
                    SELECT ?1, ?2, ?3, ?4, ?5, ?6, COALESCE(prior_minute.total, next_minute.total, 0) + ?5, COALESCE(prior_minute.bad, next_minute.bad, 0) + ?6
                    FROM (SELECT 1)
                    LEFT JOIN (
                        SELECT total_through AS total, bad_through AS bad FROM sli_minutes
                        WHERE component = ?1 AND environment = ?2 AND objective = ?3 AND minute < ?4 ORDER BY minute DESC LIMIT 1
                    ) AS prior_minute
                    LEFT JOIN (
                        SELECT total_through - total AS total, bad_through - bad AS bad FROM sli_minutes
                        WHERE component = ?1 AND environment = ?2 AND objective = ?3 AND minute > ?4 ORDER BY minute LIMIT 1
                    ) AS next_minute
                    WHERE true
                    ON CONFLICT (component, environment, objective, minute)
                    DO UPDATE SET total = total + excluded.total, bad = bad + excluded.bad,
                        total_through = total_through + excluded.total, bad_through = bad_through + excluded.bad
                    """)
                let later = try db.cachedStatement(sql: """
                    UPDATE sli_minutes SET total_through = total_through + ?5, bad_through = bad_through + ?6
                    WHERE component = ?1 AND environment = ?2 AND objective = ?3 AND minute > ?4
                    """)
                for increment in increments {
                    let arguments: StatementArguments = [
                        increment.component, increment.environment, increment.objective, increment.minute.minute,
                        increment.minute.total, increment.minute.bad,
                    ]
                    try insert.execute(arguments: arguments)
                    try later.execute(arguments: arguments)
                }
                try db.execute(
                    sql: "DELETE FROM sli_minutes WHERE minute < ?",
                    arguments: [SLIMinute.number(of: now) - SLIMinute.retention])
            }
        } catch {
            throw failure(error)
        }
    }

    /// The stored minutes of one objective from `since` on, oldest first.
    public func sliMinutes(component: String, environment: String, objective: String, since: Int) throws(SlipwayError) -> [SLIMinute] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT minute, total, bad FROM sli_minutes
                    WHERE component = ? AND environment = ? AND objective = ? AND minute >= ? ORDER BY minute
                    """, arguments: [component, environment, objective, since]
                ).map { SLIMinute(minute: $0["minute"], total: $0["total"], bad: $0["bad"]) }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Total and bad events of each of `requests`' windows in the complete minutes before `end`,
    /// in one read transaction, so a whole evaluation sees one moment of the store. A window's
    /// counts are the running sums of the objective's last minute before `end` less those its
    /// first minute in the window started from: one index look-up for the objective, then one per
    /// window that reaches back to a stored minute (none for an objective without minutes).
    public func sliSums(_ requests: [SLIWindows], before end: Int) throws(SlipwayError) -> [[(total: Int, bad: Int)]] {
        do {
            return try pool.read { db in
                let last = try db.cachedStatement(sql: """
                    SELECT minute, total_through, bad_through FROM sli_minutes
                    WHERE component = ? AND environment = ? AND objective = ? AND minute < ?
                    ORDER BY minute DESC LIMIT 1
                    """)
                let first = try db.cachedStatement(sql: """
                    SELECT total_through - total, bad_through - bad FROM sli_minutes
                    WHERE component = ? AND environment = ? AND objective = ? AND minute >= ?
                    ORDER BY minute LIMIT 1
                    """)
                return try requests.map { request in
                    let empty = request.lengths.map { _ in (total: 0, bad: 0) }
                    guard let upper = try Row.fetchOne(
                        last, arguments: [request.component, request.environment, request.objective, end]) else { return empty }
                    let lastMinute: Int = upper[0]
                    let total: Int = upper[1]
                    let bad: Int = upper[2]
                    return try request.lengths.map { length in
                        // No minute stored from the window's start on, before `end`.
                        guard lastMinute >= end - length,
                              let lower = try Row.fetchOne(
                                first, arguments: [request.component, request.environment, request.objective, end - length])
                        else { return (0, 0) }
                        return (total - (lower[0] as Int), bad - (lower[1] as Int))
                    }
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// The (component, environment) pairs with stored minutes: one or two index seeks per pair (a
    /// skip scan), not a pass over every minute stored. The seeks bound one column at a time:
    /// SQLite seeks `(component, environment) > (?, ?)` to the component alone and then steps
    /// over every minute of the pair, which made this listing most of an evaluation pass.
    public func sliSubjects() throws(SlipwayError) -> [(component: String, environment: String)] {
        do {
            return try pool.read { db in
                let nextEnvironment = try db.cachedStatement(sql: """
                    SELECT component, environment FROM sli_minutes WHERE component = ? AND environment > ?
                    ORDER BY environment LIMIT 1
                    """)
                let nextComponent = try db.cachedStatement(sql: """
                    SELECT component, environment FROM sli_minutes WHERE component > ?
                    ORDER BY component, environment LIMIT 1
                    """)
                var subjects: [(component: String, environment: String)] = []
                var row = try Row.fetchOne(
                    db, sql: "SELECT component, environment FROM sli_minutes ORDER BY component, environment LIMIT 1")
                while let found = row {
                    let subject: (component: String, environment: String) = (found["component"], found["environment"])
                    subjects.append(subject)
                    row = try Row.fetchOne(nextEnvironment, arguments: [subject.component, subject.environment])
                        ?? Row.fetchOne(nextComponent, arguments: [subject.component])
                }
                return subjects
            }
        } catch {
            throw failure(error)
        }
    }
}
