import Foundation
import GRDB

/// Per-minute SLI aggregates: one row per component, environment, objective and minute, kept
/// for the 30-day window (plus a day), so the table's size is bounded by the fleet, not by time.
extension EventStore {
    /// Minutes kept: 31 days.
    public static let sliRetentionMinutes = 31 * 1440

    /// One increment of an objective's counts in a minute.
    public struct SLIIncrement: Sendable, Equatable {
        public var component: String
        public var environment: String
        public var objective: String
        public var minute: SLIMinute

        public init(component: String, environment: String, objective: String, minute: SLIMinute) {
            self.component = component
            self.environment = environment
            self.objective = objective
            self.minute = minute
        }
    }

    /// Adds `increments` to their minutes and drops minutes older than the retention.
    public func add(_ increments: [SLIIncrement], now: Date = Date()) throws(SlipwayError) {
        do {
            try pool.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO sli_minutes (component, environment, objective, minute, total, bad) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (component, environment, objective, minute)
                    DO UPDATE SET total = total + excluded.total, bad = bad + excluded.bad
                    """)
                for increment in increments {
                    try statement.execute(arguments: [
                        increment.component, increment.environment, increment.objective, increment.minute.minute,
                        increment.minute.total, increment.minute.bad,
                    ])
                }
                try db.execute(
                    sql: "DELETE FROM sli_minutes WHERE minute < ?",
                    arguments: [Self.minute(of: now) - Self.sliRetentionMinutes])
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

    /// Total and bad events of one objective in the `length` complete minutes before `end`, for
    /// each length, summed by SQLite in one pass instead of shipping every minute out.
    public func sliSums(
        component: String, environment: String, objective: String, lengths: [Int], before end: Int
    ) throws(SlipwayError) -> [(total: Int, bad: Int)] {
        guard let longest = lengths.max() else { return [] }
        let columns = lengths.map { _ in
            "COALESCE(SUM(CASE WHEN minute >= ? THEN total END), 0), COALESCE(SUM(CASE WHEN minute >= ? THEN bad END), 0)"
        }.joined(separator: ", ")
        var arguments: [any DatabaseValueConvertible] = lengths.flatMap { [end - $0, end - $0] }
        arguments += [component, environment, objective, end - longest, end]
        let sql = "SELECT \(columns) FROM sli_minutes "
            + "WHERE component = ? AND environment = ? AND objective = ? AND minute >= ? AND minute < ?"
        do {
            return try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) else {
                    return lengths.map { _ in (0, 0) }
                }
                return lengths.indices.map { index in (row[index * 2] as Int, row[index * 2 + 1] as Int) }
            }
        } catch {
            throw failure(error)
        }
    }

    /// The (component, environment) pairs with stored minutes.
    public func sliSubjects() throws(SlipwayError) -> [(component: String, environment: String)] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT DISTINCT component, environment FROM sli_minutes ORDER BY component, environment")
                    .map { ($0["component"], $0["environment"]) }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Minutes since 1970 of `date`.
    public static func minute(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }
}
