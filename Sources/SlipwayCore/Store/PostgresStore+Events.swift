import Foundation
import Logging
import PostgresNIO

/// The event log's reads the engine makes beyond the log's own, and the past view.
///
/// The past projection is folded from the first event on each read: the shared store keeps no
/// checkpoints of it yet (the embedded store does, every `checkpointInterval` events), so a past
/// moment of a long history takes as long as `store rebuild`'s fold.
extension PostgresStore {
    public func latestEvents(limit: Int) throws(SlipwayError) -> [Event] {
        let limit = Int64(limit)
        return try events("SELECT \(unescaped: Self.eventColumns) FROM slipway.events ORDER BY id DESC LIMIT \(limit)")
    }

    public func latestEvents(kind: EventKind, limit: Int) throws(SlipwayError) -> [Event] {
        let (kind, limit) = (kind.rawValue, Int64(limit))
        return try events("SELECT \(unescaped: Self.eventColumns) FROM slipway.events WHERE kind = \(kind) ORDER BY id DESC LIMIT \(limit)")
    }

    public func events(forRun runID: String) throws(SlipwayError) -> [Event] {
        try events("SELECT \(unescaped: Self.eventColumns) FROM slipway.events WHERE run_id = \(runID) ORDER BY id")
    }

    public func events(kind: EventKind, component: String, environment: String) throws(SlipwayError) -> [Event] {
        try events(kinds: [kind], component: component, environment: environment)
    }

    public func events(kinds: [EventKind], component: String, environment: String) throws(SlipwayError) -> [Event] {
        let kinds = kinds.map(\.rawValue)
        return try events("""
            SELECT \(unescaped: Self.eventColumns) FROM slipway.events
            WHERE component = \(component) AND environment = \(environment) AND kind = ANY(\(kinds)::text[]) ORDER BY id
            """)
    }

    public func releases(component: String, environment: String) throws(SlipwayError) -> [ReleaseTag] {
        var seen = Set<String>()
        return try events(kinds: [.releaseTagged], component: component, environment: environment).reversed().compactMap { event in
            guard let details = event.details, let version = details.version, seen.insert(version).inserted else { return nil }
            return ReleaseTag(
                component: component, environment: environment, version: version, commit: details.commit,
                actor: event.actor, time: event.time, runID: event.runID, schema: details.schema)
        }
    }

    // MARK: The past

    public func projection(at moment: Date) throws(SlipwayError) -> Projection {
        guard let event = try lastEvent(atOrBefore: moment) else { return Projection() }
        return try projection(through: event.id)
    }

    public func projection(through id: Int64) throws(SlipwayError) -> Projection {
        countProjectionRead()
        return try reading("cannot read the store's past projection") { connection, logger in
            try await PostgresEventStore.fold(on: connection, logger: logger, through: id).0
        }
    }

    public func lastEvent(atOrBefore moment: Date) throws(SlipwayError) -> EventMark? {
        let milliseconds = Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
        return try mark("SELECT id, time FROM slipway.events WHERE time <= \(milliseconds) ORDER BY time DESC, id DESC LIMIT 1")
    }

    public func event(steps: Int, from id: Int64) throws(SlipwayError) -> EventMark? {
        let found: EventMark? = if steps == 0 {
            try mark("SELECT id, time FROM slipway.events WHERE id <= \(id) ORDER BY id DESC LIMIT 1")
        } else if steps < 0 {
            try mark("SELECT id, time FROM slipway.events WHERE id < \(id) ORDER BY id DESC LIMIT 1 OFFSET \(Int64(-steps - 1))")
        } else {
            try mark("SELECT id, time FROM slipway.events WHERE id > \(id) ORDER BY id LIMIT 1 OFFSET \(Int64(steps - 1))")
        }
        if let found { return found }
        return try steps < 0
            ? mark("SELECT id, time FROM slipway.events ORDER BY id LIMIT 1")
            : mark("SELECT id, time FROM slipway.events ORDER BY id DESC LIMIT 1")
    }

    public func latestEvent() throws(SlipwayError) -> EventMark? {
        try mark("SELECT id, time FROM slipway.events ORDER BY id DESC LIMIT 1")
    }

    public func latestEvents(limit: Int, through id: Int64) throws(SlipwayError) -> [Event] {
        let limit = Int64(limit)
        return try events("SELECT \(unescaped: Self.eventColumns) FROM slipway.events WHERE id <= \(id) ORDER BY id DESC LIMIT \(limit)")
    }

    public func latestEvents(kind: EventKind, limit: Int, through id: Int64) throws(SlipwayError) -> [Event] {
        let (kind, limit) = (kind.rawValue, Int64(limit))
        return try events("""
            SELECT \(unescaped: Self.eventColumns) FROM slipway.events WHERE kind = \(kind) AND id <= \(id) ORDER BY id DESC LIMIT \(limit)
            """)
    }

    /// The runs started by `moment`, newest first, as they stood then: one that finished later
    /// was still running.
    public func runs(asOf moment: Date, limit: Int) throws(SlipwayError) -> [RunRecord] {
        let limit = Int64(limit)
        let started = try reading("cannot read the store's runs") { connection, logger in
            try await Self.runRecords(from: connection.query("""
                SELECT \(unescaped: Self.runColumns) FROM slipway.runs WHERE started_at <= \(moment)
                ORDER BY started_at DESC, id DESC LIMIT \(limit)
                """, logger: logger))
        }
        return started.map { $0.asItStood(at: moment) }
    }

    // MARK: Reading rows

    private static let eventColumns = PostgresEventStore.eventColumns

    private func events(_ query: PostgresQuery) throws(SlipwayError) -> [Event] {
        try reading("cannot read the store's events") { connection, logger in
            try await PostgresEventStore.events(query, on: connection, logger: logger)
        }
    }

    private func mark(_ query: PostgresQuery) throws(SlipwayError) -> EventMark? {
        try reading("cannot read the store's events") { connection, logger in
            try await connection.query(query, logger: logger).decode((Int64, Int64).self).first { _ in true }
                .map { EventMark(id: $0.0, time: Date(milliseconds: $0.1)) }
        }
    }
}
