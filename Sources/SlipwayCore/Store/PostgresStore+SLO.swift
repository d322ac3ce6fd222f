import Foundation
import Logging
import PostgresNIO

/// Per-minute SLI aggregates on the shared store, as on the embedded one (SQLiteStore+SLO): one
/// row per component, environment, objective and minute with the running sums through it, kept
/// for `SLIMinute.retention`.
extension PostgresStore {
    /// Adds `increments` to their minutes, keeps the running sums of the minutes at and after
    /// each one right, and drops minutes older than the retention. Under the append lock: two
    /// adds to one objective at once would each start from running sums the other changes.
    public func add(_ increments: [SLIIncrement], now: Date) throws(SlipwayError) {
        let oldestKept = Int64(SLIMinute.number(of: now) - SLIMinute.retention)
        try writing("cannot add SLI minutes to the store") { connection, logger in
            if !increments.isEmpty { _ = try await connection.query(Self.addition(of: increments), logger: logger) }
            _ = try await connection.query("DELETE FROM slipway.sli_minutes WHERE minute < \(oldestKept)", logger: logger)
        }
    }

    /// `increments` in one statement that writes each minute it touches once: from each
    /// objective's earliest added minute on, every minute's counts (stored plus added) and running
    /// sums from those before that minute (the stored minute before's or, when it is the first one
    /// kept, those the next stored minute started from, so both stores keep the same numbers;
    /// window sums, being differences, would not tell). PostgreSQL writes a new version of a row
    /// on every update, so adding to the later minutes once per increment, as the embedded store
    /// does, piles up versions when minutes come in out of order.
    private static func addition(of increments: [SLIIncrement]) -> PostgresQuery {
        let components = increments.map(\.component)
        let environments = increments.map(\.environment)
        let objectives = increments.map(\.objective)
        let minutes = increments.map { Int64($0.minute.minute) }
        let totals = increments.map { Int64($0.minute.total) }
        let bads = increments.map { Int64($0.minute.bad) }
        return """
            WITH added AS (
                SELECT component, environment, objective, minute, sum(total)::bigint AS total, sum(bad)::bigint AS bad
                FROM unnest(\(components)::text[], \(environments)::text[], \(objectives)::text[], \(minutes)::bigint[],
                    \(totals)::bigint[], \(bads)::bigint[]) AS increment(component, environment, objective, minute, total, bad)
                GROUP BY component, environment, objective, minute
            ),
            start AS (
                SELECT earliest.component, earliest.environment, earliest.objective, earliest.minute,
                    COALESCE(prior_minute.total, next_minute.total, 0) AS total, COALESCE(prior_minute.bad, next_minute.bad, 0) AS bad
                FROM (SELECT component, environment, objective, min(minute) AS minute FROM added GROUP BY component, environment, objective)
                    AS earliest
                LEFT JOIN LATERAL (
                    SELECT m.total_through AS total, m.bad_through AS bad FROM slipway.sli_minutes AS m
                    WHERE m.component = earliest.component AND m.environment = earliest.environment
                        AND m.objective = earliest.objective AND m.minute < earliest.minute
                    ORDER BY m.minute DESC LIMIT 1
                ) AS prior_minute ON true
                LEFT JOIN LATERAL (
                    SELECT m.total_through - m.total AS total, m.bad_through - m.bad AS bad FROM slipway.sli_minutes AS m
                    WHERE m.component = earliest.component AND m.environment = earliest.environment
                        AND m.objective = earliest.objective AND m.minute >= earliest.minute
                    ORDER BY m.minute LIMIT 1
                ) AS next_minute ON true
            ),
            counts AS (
                SELECT component, environment, objective, minute, sum(total)::bigint AS total, sum(bad)::bigint AS bad
                FROM (
                    SELECT component, environment, objective, minute, total, bad FROM added
                    UNION ALL
                    SELECT m.component, m.environment, m.objective, m.minute, m.total, m.bad
                    FROM start JOIN slipway.sli_minutes AS m
                        ON m.component = start.component AND m.environment = start.environment
                            AND m.objective = start.objective AND m.minute >= start.minute
                ) AS stored_and_added
                GROUP BY component, environment, objective, minute
            )
            INSERT INTO slipway.sli_minutes (component, environment, objective, minute, total, bad, total_through, bad_through)
            SELECT counts.component, counts.environment, counts.objective, counts.minute, counts.total, counts.bad,
                start.total + (sum(counts.total) OVER running)::bigint, start.bad + (sum(counts.bad) OVER running)::bigint
            FROM counts JOIN start USING (component, environment, objective)
            WINDOW running AS (PARTITION BY counts.component, counts.environment, counts.objective ORDER BY counts.minute)
            ON CONFLICT (component, environment, objective, minute) DO UPDATE SET total = excluded.total, bad = excluded.bad,
                total_through = excluded.total_through, bad_through = excluded.bad_through
            """
    }

    /// The stored minutes of one objective from `since` on, oldest first.
    public func sliMinutes(component: String, environment: String, objective: String, since: Int) throws(SlipwayError) -> [SLIMinute] {
        let since = Int64(since)
        return try reading("cannot read SLI minutes from the store") { connection, logger in
            var minutes: [SLIMinute] = []
            let rows = try await connection.query("""
                SELECT minute, total, bad FROM slipway.sli_minutes
                WHERE component = \(component) AND environment = \(environment) AND objective = \(objective) AND minute >= \(since)
                ORDER BY minute
                """, logger: logger).decode((Int64, Int64, Int64).self)
            for try await (minute, total, bad) in rows {
                minutes.append(SLIMinute(minute: Int(minute), total: Int(total), bad: Int(bad)))
            }
            return minutes
        }
    }

    /// Total and bad events of each of `requests`' windows in the complete minutes before `end`,
    /// in one statement, so a whole evaluation sees one moment of the store and costs one round
    /// trip. As on the embedded store, a window's counts are the running sums of the objective's
    /// last minute before `end` less those its first minute in the window started from: one index
    /// look-up per objective (kept apart by MATERIALIZED, else the planner may repeat it for
    /// every window) and one per window. A window without minutes needs no guard: the first
    /// minute found is after `end` and starts from the last one's sums, a difference of none.
    public func sliSums(_ requests: [SLIWindows], before end: Int) throws(SlipwayError) -> [[(total: Int, bad: Int)]] {
        guard !requests.isEmpty else { return [] }
        let end = Int64(end)
        let components = requests.map(\.component)
        let environments = requests.map(\.environment)
        let objectives = requests.map(\.objective)
        // The windows flattened, each with the (1-based) ordinal of its objective.
        let owners = requests.enumerated().flatMap { index, request in request.lengths.map { _ in Int64(index + 1) } }
        let lengths = requests.flatMap { $0.lengths.map(Int64.init) }
        let sums = try reading("cannot sum SLI windows in the store") { connection, logger in
            var sums: [(total: Int, bad: Int)] = []
            let rows = try await connection.query("""
                WITH latest AS MATERIALIZED (
                    SELECT o.ordinal, o.component, o.environment, o.objective, last_minute.minute, last_minute.total, last_minute.bad
                    FROM unnest(\(components)::text[], \(environments)::text[], \(objectives)::text[])
                        WITH ORDINALITY AS o(component, environment, objective, ordinal)
                    LEFT JOIN LATERAL (
                        SELECT m.minute, m.total_through AS total, m.bad_through AS bad FROM slipway.sli_minutes AS m
                        WHERE m.component = o.component AND m.environment = o.environment AND m.objective = o.objective
                            AND m.minute < \(end)
                        ORDER BY m.minute DESC LIMIT 1
                    ) AS last_minute ON true
                )
                SELECT COALESCE(o.total - first_minute.total, 0), COALESCE(o.bad - first_minute.bad, 0)
                FROM unnest(\(owners)::bigint[], \(lengths)::bigint[]) WITH ORDINALITY AS w(objective_ordinal, length, ordinal)
                JOIN latest AS o ON o.ordinal = w.objective_ordinal
                LEFT JOIN LATERAL (
                    SELECT m.total_through - m.total AS total, m.bad_through - m.bad AS bad FROM slipway.sli_minutes AS m
                    WHERE m.component = o.component AND m.environment = o.environment AND m.objective = o.objective
                        AND m.minute >= \(end) - w.length
                    ORDER BY m.minute LIMIT 1
                ) AS first_minute ON true
                ORDER BY w.ordinal
                """, logger: logger).decode((Int64, Int64).self)
            for try await (total, bad) in rows { sums.append((Int(total), Int(bad))) }
            return sums
        }
        guard sums.count == lengths.count else {
            throw SlipwayError.failure("the store at \(location) summed \(sums.count) SLI windows of \(lengths.count) asked for")
        }
        var remaining = sums[...]
        return requests.map { request in
            defer { remaining = remaining.dropFirst(request.lengths.count) }
            return Array(remaining.prefix(request.lengths.count))
        }
    }

    /// The (component, environment) pairs with stored minutes, in one statement that seeks the
    /// primary key once per pair (a loose index scan), not a pass over every minute stored.
    public func sliSubjects() throws(SlipwayError) -> [(component: String, environment: String)] {
        try reading("cannot read the SLI subjects from the store") { connection, logger in
            var subjects: [(component: String, environment: String)] = []
            let rows = try await connection.query("""
                WITH RECURSIVE subjects (component, environment) AS (
                    (SELECT component, environment FROM slipway.sli_minutes ORDER BY component, environment LIMIT 1)
                    UNION ALL
                    SELECT following.component, following.environment FROM subjects AS found
                    CROSS JOIN LATERAL (
                        SELECT m.component, m.environment FROM slipway.sli_minutes AS m
                        WHERE (m.component, m.environment) > (found.component, found.environment)
                        ORDER BY m.component, m.environment LIMIT 1
                    ) AS following
                )
                SELECT component, environment FROM subjects ORDER BY component, environment
                """, logger: logger).decode((String, String).self)
            for try await subject in rows { subjects.append(subject) }
            return subjects
        }
    }
}
