import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The shared store's fleet projection, in `slipway.deployment_state`: one row per component and
/// environment holding its `DeploymentState` as the embedded store's JSON. Every append folds its
/// events into the rows it touches in its own transaction, under the append lock, so the rows
/// always match the events committed.
extension PostgresEventStore: ProjectedEventLog {
    public func projection() async throws(SlipwayError) -> Projection {
        try await withConnection(doing: "cannot read the store's projection") { connection in
            try await Self.storedProjection(on: connection, logger: logger)
        }
    }

    /// The projection as stored, fetching and decoding only the states whose stored text changed
    /// since `previous`, with how many states it decoded and how many texts it fetched. The server fingerprints
    /// the texts (`md5`), so a heartbeat's read of an unchanged fleet moves a digest per row
    /// rather than every state's text.
    func storedProjection(
        since previous: StoredProjectionRead?
    ) async throws(SlipwayError) -> (read: StoredProjectionRead, decoded: Int, fetched: Int) {
        try await withConnection(doing: "cannot read the store's projection", repeatable: true) { connection in
            try await connection.withTransaction(logger: logger) { connection in
                // Both statements see one snapshot: an append between them cannot pair a digest with another text.
                _ = try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                var builder = StoredProjectionRead.Builder(against: previous)
                var changed: [Projection.Key: Int] = [:]
                var fetched = 0
                let digests = try await connection.query(
                    "SELECT component, environment, md5(state) FROM slipway.deployment_state", logger: logger)
                for try await (component, environment, digest) in digests.decode((String, String, String).self) {
                    let key = Projection.Key(component: component, environment: environment)
                    let fingerprint = digest.hashValue
                    if !builder.reuse(key, fingerprint: fingerprint) {
                        changed[key] = fingerprint
                    }
                }
                if !changed.isEmpty {
                    let rows = try await Self.storedRows(of: Array(changed.keys), on: connection, logger: logger)
                    for try await (component, environment, text) in rows.decode((String, String, String).self) {
                        let key = Projection.Key(component: component, environment: environment)
                        guard let fingerprint = changed[key] else { continue }
                        fetched += 1
                        var text = text
                        try text.withUTF8 { bytes in
                            try builder.add(key, fingerprint: fingerprint, text: UnsafeRawBufferPointer(bytes))
                        }
                    }
                }
                return (builder.finish(), builder.decoded, fetched)
            }
        }
    }

    public func rebuildProjection(
        reporting progress: (@Sendable (_ reached: Int64, _ last: Int64) -> Void)?
    ) async throws(SlipwayError) -> StoredProjectionRebuild {
        let logger = logger
        return try await withConnection(doing: "cannot rebuild the store's projection") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLockKey))", logger: logger)
                // A stored state that cannot be read is damage the rebuild is there to replace: it differs.
                let stored = try? await Self.storedProjection(on: connection, logger: logger)
                let (folded, last) = try await Self.fold(on: connection, logger: logger, progress: progress)
                try await Self.replaceStoredProjection(with: folded, on: connection, logger: logger)
                return StoredProjectionRebuild(projection: folded, lastEventID: last, storedDiffered: stored != folded)
            }
        }
    }

    // MARK: Reading and writing the rows

    static func storedProjection(on connection: PostgresConnection, logger: Logger) async throws -> Projection {
        try await states(
            from: connection.query("SELECT component, environment, state FROM slipway.deployment_state", logger: logger))
    }

    /// The stored states of `keys` (those that have one).
    static func storedStates(of keys: [Projection.Key], on connection: PostgresConnection, logger: Logger) async throws -> Projection {
        try await states(from: storedRows(of: keys, on: connection, logger: logger))
    }

    /// The rows (component, environment, state's text) of `keys`, those that have one.
    static func storedRows(of keys: [Projection.Key], on connection: PostgresConnection, logger: Logger) async throws -> PostgresRowSequence {
        let components = keys.map(\.component)
        let environments = keys.map(\.environment)
        return try await connection.query("""
            SELECT component, environment, state FROM slipway.deployment_state
            WHERE (component, environment) IN (SELECT * FROM unnest(\(components)::text[], \(environments)::text[]))
            """, logger: logger)
    }

    private static func states(from rows: PostgresRowSequence) async throws -> Projection {
        var projection = Projection()
        for try await (component, environment, text) in rows.decode((String, String, String).self) {
            let key = Projection.Key(component: component, environment: environment)
            projection.states[key] = try DeploymentState(stored: text, of: key)
        }
        return projection
    }

    /// Writes `states` over their rows and notifies followers of `newest`, in one round trip.
    static func save(_ states: [DeploymentState], notifying newest: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        let components = states.map(\.component)
        let environments = states.map(\.environment)
        let texts = try states.map { String(decoding: try DeploymentState.storedEncoder.encode($0), as: UTF8.self) }
        let newest = String(newest)
        // A data-modifying WITH runs whether or not the SELECT reads it.
        _ = try await connection.query("""
            WITH saved AS (
                INSERT INTO slipway.deployment_state (component, environment, state)
                SELECT * FROM unnest(\(components)::text[], \(environments)::text[], \(texts)::text[])
                ON CONFLICT (component, environment) DO UPDATE SET state = excluded.state
            )
            SELECT pg_notify(\(channel), \(newest))
            """, logger: logger)
    }

    /// Replaces every stored state by `projection`'s.
    static func replaceStoredProjection(with projection: Projection, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("DELETE FROM slipway.deployment_state", logger: logger)
        let states = projection.sortedStates
        let components = states.map(\.component)
        let environments = states.map(\.environment)
        let texts = try states.map { String(decoding: try DeploymentState.storedEncoder.encode($0), as: UTF8.self) }
        _ = try await connection.query("""
            INSERT INTO slipway.deployment_state (component, environment, state)
            SELECT * FROM unnest(\(components)::text[], \(environments)::text[], \(texts)::text[])
            """, logger: logger)
    }

    // MARK: Folding

    /// The components and environments `rows` touch: the stored states an append reads and writes.
    static func keys(of rows: [PendingRow]) -> [Projection.Key] {
        Set(rows.compactMap { row in
            row.event.component.flatMap { component in row.event.environment.map { .init(component: component, environment: $0) } }
        }).sorted()
    }

    /// Folds appended `rows`, recorded with `ids`, into `projection`: from the payloads as stored
    /// (masked), as a fold from scratch reads them, and only of the kinds whose payload counts.
    static func fold(_ rows: [PendingRow], ids: [Int64], into projection: inout Projection) {
        let decoder = JSONDecoder()
        for (row, id) in zip(rows, ids) {
            let kind = row.event.kind
            var details = EventDetails()
            if Projection.kindsReadingDetails.contains(kind) {
                if row.stored {
                    details = row.event.details
                } else {
                    guard let decoded = try? decoder.decode(EventDetails.self, from: Data(row.payload.utf8)) else { continue }
                    details = decoded
                }
            }
            projection.apply(
                id: id, time: Date(milliseconds: row.time), kind: kind, component: row.event.component,
                environment: row.event.environment, runID: row.event.runID, details: details)
        }
    }

    /// Every event folded from scratch on `connection`, in one query: the server takes the few
    /// fields the fold reads out of the payloads that count, so the rest never travel. Returns the
    /// projection and the newest event id folded; `through` stops at that event (the past view).
    ///
    /// The rows are folded as they arrive, on the connection's event loop: the async row sequence
    /// hands rows over in batches with a thread hop each and reads on only when asked, which on a
    /// busy machine left the server waiting seconds on a million rows.
    static func fold(
        on connection: PostgresConnection, logger: Logger, through: Int64? = nil,
        progress: (@Sendable (_ reached: Int64, _ last: Int64) -> Void)? = nil
    ) async throws -> (Projection, Int64) {
        let newest = try await connection.query("SELECT COALESCE(MAX(id), 0)::bigint FROM slipway.events", logger: logger)
            .decode(Int64.self).first { _ in true } ?? 0
        let last = min(newest, through ?? newest)
        let detailed = Projection.kindsReadingDetails.map(\.rawValue).sorted()
        let query: PostgresQuery = """
            SELECT id, time, kind, component, environment, run_id,
                   d ->> 'run_kind', d ->> 'version', d ->> 'commit', d ->> 'color', d ->> 'outcome',
                   (d ->> 'healthy')::boolean, d ->> 'reason'
            FROM (SELECT id, time, kind, component, environment, run_id,
                         CASE WHEN kind = ANY(\(detailed)::text[]) THEN payload::jsonb END AS d
                  FROM slipway.events
                  WHERE component IS NOT NULL AND environment IS NOT NULL AND id <= \(last)) AS folded
            ORDER BY id
            """
        let folding = Mutex((projection: Projection(), lastReport: Int64(0)))
        _ = try await connection.query(query, logger: logger) { row in
            let (id, time, kindText, component, environment, runID, runKind, version, commit, color, outcome, healthy, reason) =
                try row.decode((Int64, Int64, String, String, String, String?, String?, String?, String?, String?, String?, Bool?, String?).self)
            guard let kind = EventKind(rawValue: kindText) else { return }
            var details = EventDetails()
            details.runKind = runKind.flatMap(RunKind.init(rawValue:))
            details.version = version
            details.commit = commit
            details.color = color
            details.outcome = outcome
            details.healthy = healthy
            details.reason = reason
            let report = folding.withLock { folding -> Bool in
                folding.projection.apply(
                    id: id, time: Date(milliseconds: time), kind: kind, component: component, environment: environment, runID: runID,
                    details: details)
                guard id / 1_000 > folding.lastReport else { return false }
                folding.lastReport = id / 1_000
                return true
            }
            if report { progress?(id, last) }
        }.get()
        return (folding.withLock { $0.projection }, last)
    }

    /// Folds every event and stores the result: what a store's first projection starts from
    /// (after `store migrate`, or a database a Slipway without one wrote).
    static func fillStoredProjection(on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(appendLockKey))", logger: logger)
        let (projection, _) = try await fold(on: connection, logger: logger)
        try await replaceStoredProjection(with: projection, on: connection, logger: logger)
    }
}
