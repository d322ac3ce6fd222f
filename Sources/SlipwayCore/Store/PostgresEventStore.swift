import Foundation
import Logging
import PostgresNIO

/// The event log on a team's shared PostgreSQL database (`store: postgres://...` or
/// `SLIPWAY_STORE_URL`), in tables of its own in the `slipway` schema.
///
/// Appends hold a transaction-level advisory lock from before their ids are drawn until they
/// commit, so ids commit in order and a reader of "the events after N" never misses a lower id
/// committed late; each append notifies `channel` in the same transaction, which is what lets a
/// follower wait instead of poll. The actor of an append is the database login (`current_user`).
///
/// Operations reuse the connections the store keeps (`PostgresConnections`); a follower listens
/// on a connection of its own, which `LISTEN` ties to its session.
public struct PostgresEventStore: EventLog {
    /// The channel every append notifies, the newest id as payload.
    public static let channel = "slipway_events"
    /// The lock every append holds for its transaction ("slipevt" in ASCII).
    static let appendLockKey: Int64 = 0x73_6C_69_70_65_76_74

    public let url: StoreURL
    let masker: SecretMasker
    /// How long a follower waits between reads while it has no listening connection.
    let pollInterval: Duration
    /// Told (on one line) when a follower loses its listening connection and when it has one again.
    let notice: @Sendable (String) -> Void
    let logger: Logger
    let connections: PostgresConnections

    public var location: String { url.masked }

    /// Opens the store at `url`, creating its schema in a new database and adding the versions an
    /// older Slipway left out; a database a newer Slipway wrote is refused. `masker` masks what
    /// appends store; the URL's password is masked in every message.
    public static func open(
        _ url: StoreURL, masker: SecretMasker = SecretMasker(values: []), pollInterval: Duration = .milliseconds(500),
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(SlipwayError) -> PostgresEventStore {
        let logger = Logger(label: "slipway.store")
        let store = PostgresEventStore(
            url: url, masker: masker.adding([url.password, url.text].compactMap { $0 }), pollInterval: pollInterval,
            notice: notice, logger: logger, connections: PostgresConnections(database: url.database, logger: logger))
        let version = try await store.withConnection(doing: "cannot open the store") { connection in
            try await PostgresStoreSchema.migrate(connection, logger: store.logger)
        }
        guard version <= PostgresStoreSchema.latest else {
            throw SlipwayError.failure(
                "the store at \(url.masked) was written by a newer Slipway (schema \(version)); "
                    + "this slipway knows up to \(PostgresStoreSchema.latest): upgrade slipway")
        }
        return store
    }

    // MARK: Connections

    /// A connection of its own, for a follower's listening session.
    func connect() async throws -> PostgresConnection {
        try await PostgresConnections.connect(url.database, logger: logger)
    }

    /// Runs `body` on a kept connection (or a new one); any failure becomes one line naming the
    /// store (masked) and what was being done. A kept connection the server has closed since its
    /// last use (a restart, a killed backend) is found out only by using it: when it failed before
    /// anything took effect (`repeatable` bodies, which only read, or a transaction whose BEGIN
    /// failed), `body` runs once more on a new connection.
    func withConnection<Result: Sendable>(
        doing: String, repeatable: Bool = false, _ body: (PostgresConnection) async throws -> Result
    ) async throws(SlipwayError) -> Result {
        var fresh = false
        while true {
            let lease: (connection: PostgresConnection, reused: Bool)
            do {
                lease = try await connections.lease(fresh: fresh)
            } catch {
                throw failure(error, doing: doing, connecting: true)
            }
            do {
                let result = try await body(lease.connection)
                await connections.giveBack(lease.connection)
                return result
            } catch {
                await connections.discard(lease.connection)
                if lease.reused, !fresh, repeatable || Self.failedToBegin(error), Self.isClosedConnection(error) {
                    fresh = true
                    continue
                }
                throw failure(error, doing: doing, connecting: false)
            }
        }
    }

    /// Whether `error` is a transaction that failed at its BEGIN, so nothing of it happened.
    static func failedToBegin(_ error: any Error) -> Bool {
        guard let error = error as? PostgresTransactionError else { return false }
        return error.beginError != nil && error.closureError == nil
    }

    /// Whether `error` says the connection was closed, by the server or under the client.
    static func isClosedConnection(_ error: any Error) -> Bool {
        if let error = error as? PostgresTransactionError, let inner = error.beginError ?? error.closureError {
            return isClosedConnection(inner)
        }
        guard let error = error as? PSQLError else { return false }
        return [.serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code)
            || error.serverInfo?[.sqlState]?.hasPrefix("57P") == true
    }

    func failure(_ error: any Error, doing: String, connecting: Bool) -> SlipwayError {
        if let error = error as? SlipwayError { return error }
        if let error = error as? PostgresTransactionError, let inner = error.closureError as? SlipwayError { return inner }
        let said = masker.mask(Self.describe(error))
        return SlipwayError(.store(path: location, .failed(connecting ? "cannot connect: \(said)" : said), doing: doing))
    }

    /// What the server or driver said about `error`, on one line.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return describe(inner) }
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            // NIO's own text of a failed connect is a dump of its types; said as the platforms' is.
            return error.underlying.map { ConnectionProblem.text($0, host: "the store's server", waited: 10, connectWithin: 10) }
                ?? "\(error.code)"
        }
        return ConnectionProblem.oneLine("\(error)")
    }

    // MARK: Appending

    /// Appends `events` in one transaction under the append lock, notifying followers as it commits.
    @discardableResult
    public func append(_ events: [NewEvent]) async throws(SlipwayError) -> [Event] {
        guard !events.isEmpty else { return [] }
        let rows = try pendingRows(of: events)
        // A few events (what a run's stage appends) take one INSERT round trip; many take COPY's
        // stream, about half again as fast a row but three round trips more.
        let recorded = rows.count > Self.copyThreshold ? try await copy(rows) : try await insert(rows)
        return Self.events(of: rows, recorded: recorded)
    }

    /// `events` as rows to store: their times in milliseconds, their payloads encoded and masked.
    func pendingRows(of events: [NewEvent], masker: SecretMasker? = nil) throws(SlipwayError) -> [PendingRow] {
        let masker = masker ?? self.masker
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let now = Date()
        var rows: [PendingRow] = []
        do {
            for event in events {
                let milliseconds = Int64(((event.time ?? now).timeIntervalSince1970 * 1000).rounded())
                let encoded = String(decoding: try encoder.encode(event.details), as: UTF8.self)
                let masked = masker.mask(encoded)
                rows.append((milliseconds, event, masked, masked == encoded))
            }
        } catch {
            throw SlipwayError.failure("cannot encode an event for the store at \(location): \(error)")
        }
        return rows
    }

    static func events(of rows: [PendingRow], recorded: [(id: Int64, actor: String)]) -> [Event] {
        zip(rows, recorded).map { row, recorded in
            Event(
                id: recorded.id, time: Date(milliseconds: row.time), actor: recorded.actor, kind: row.event.kind.rawValue,
                schemaVersion: StoreSchema.eventSchemaVersion, component: row.event.component,
                environment: row.event.environment, runID: row.event.runID, payload: row.payload)
        }
    }

    /// `stored` says the payload is the event's details as they are (nothing masked), so the fold
    /// may take them without decoding what was just encoded.
    typealias PendingRow = (time: Int64, event: NewEvent, payload: String, stored: Bool)

    /// Appends of more events than this go in by COPY.
    static let copyThreshold = 32

    /// `rows` in one INSERT, its ids and actors returned.
    private func insert(_ rows: [PendingRow]) async throws(SlipwayError) -> [(id: Int64, actor: String)] {
        let logger = logger
        return try await withConnection(doing: "cannot append to the store") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await Self.insert(rows, on: connection, logger: logger)
            }
        }
    }

    /// `rows` in one INSERT inside the caller's transaction, which this takes the append lock for
    /// (held to its end), with the stored projection folded and followers notified as it commits.
    static func insert(_ rows: [PendingRow], on connection: PostgresConnection, logger: Logger) async throws -> [(id: Int64, actor: String)] {
        guard !rows.isEmpty else { return [] }
        var bindings = PostgresBindings(capacity: rows.count * 7)
        var values: [String] = []
        for (index, row) in rows.enumerated() {
            let base = index * 7
            values.append("(" + (1...7).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
            bindings.append(row.time)
            bindings.append(row.event.kind.rawValue)
            bindings.append(Int32(StoreSchema.eventSchemaVersion))
            bindings.append(row.event.component)
            bindings.append(row.event.environment)
            bindings.append(row.event.runID)
            bindings.append(row.payload)
        }
        let insert = PostgresQuery(unsafeSQL: """
            INSERT INTO slipway.events (time, kind, schema_version, component, environment, run_id, payload)
            VALUES \(values.joined(separator: ", "))
            RETURNING id, actor
            """, binds: bindings)
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLockKey))", logger: logger)
        var recorded: [(id: Int64, actor: String)] = []
        for try await row in try await connection.query(insert, logger: logger).decode((Int64, String).self) {
            recorded.append(row)
        }
        // One INSERT draws its ids in the order of its rows.
        recorded.sort { $0.id < $1.id }
        try await foldIntoStoredProjection(
            rows, ids: recorded.map(\.id), keys: keys(of: rows), newest: recorded.last?.id ?? 0, on: connection, logger: logger)
        return recorded
    }

    /// `rows` by COPY, its ids and actors returned.
    private func copy(_ rows: [PendingRow]) async throws(SlipwayError) -> [(id: Int64, actor: String)] {
        let count = Int64(rows.count)
        let logger = logger
        let keys = Self.keys(of: rows)
        return try await withConnection(doing: "cannot append to the store") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLockKey))", logger: logger)
                // The ids are drawn before the rows go in (COPY returns none), with nextval alone
                // (what a login allowed to append may call): under the lock no other append draws
                // between, so they run on without a gap, which is checked.
                let drawn = try await connection.query("""
                    SELECT min(id), max(id), current_user::text
                    FROM (SELECT nextval('slipway.events_id_seq') AS id FROM generate_series(1, \(count))) AS drawn
                    """, logger: logger).decode((Int64, Int64, String).self).first { _ in true }
                guard let (first, last, login) = drawn, last - first + 1 == count else {
                    throw SlipwayError.failure("the store at \(location) drew \(count) ids that do not run on: another writer draws them outside the append lock")
                }
                // copyFrom quotes the table's name whole, so the schema comes from the search path
                // (for this transaction only). Every column but the actor, which defaults to the login.
                _ = try await connection.query("SET LOCAL search_path TO slipway", logger: logger)
                try await connection.copyFrom(
                    table: "events", columns: ["id", "time", "kind", "schema_version", "component", "environment", "run_id", "payload"],
                    logger: logger
                ) { writer in
                    var data = ByteBuffer()
                    for (index, row) in rows.enumerated() {
                        Self.appendCopyLine(
                            [String(first + Int64(index)), String(row.time), row.event.kind.rawValue, String(StoreSchema.eventSchemaVersion),
                             row.event.component, row.event.environment, row.event.runID, row.payload],
                            to: &data)
                    }
                    try await writer.write(data)
                }
                let ids = (0..<count).map { first + $0 }
                try await Self.foldIntoStoredProjection(rows, ids: ids, keys: keys, newest: first + count - 1, on: connection, logger: logger)
                return ids.map { (id: $0, actor: login) }
            }
        }
    }

    /// Folds the appended `rows` into the stored states of `keys` (what they touch) and notifies
    /// followers of `newest`, inside the append's transaction: the projection commits with the events.
    private static func foldIntoStoredProjection(
        _ rows: [PendingRow], ids: [Int64], keys: [Projection.Key], newest: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws {
        var projection = keys.isEmpty ? Projection() : try await storedStates(of: keys, on: connection, logger: logger)
        fold(rows, ids: ids, into: &projection)
        try await save(projection.sortedStates, notifying: newest, on: connection, logger: logger)
    }

    /// One line of `COPY`'s text format: fields by tabs, `\N` for none, and the backslash, tab,
    /// newline and carriage return inside a field escaped.
    static func appendCopyLine(_ fields: [String?], to buffer: inout ByteBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.writeStaticString("\\N")
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    @discardableResult
    public func append(_ event: NewEvent) async throws(SlipwayError) -> Event {
        try await append([event])[0]
    }

    // MARK: Reading

    public func events(after id: Int64 = 0, limit: Int = 1000, component: String? = nil) async throws(SlipwayError) -> [Event] {
        try await withConnection(doing: "cannot read the store's events", repeatable: true) { connection in
            try await Self.events(after: id, limit: limit, component: component, on: connection, logger: logger)
        }
    }

    static func events(
        after id: Int64, limit: Int, component: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> [Event] {
        let limit = Int64(limit)
        let query: PostgresQuery = if let component {
            """
            SELECT \(unescaped: eventColumns)
            FROM slipway.events WHERE id > \(id) AND component = \(component) ORDER BY id LIMIT \(limit)
            """
        } else {
            "SELECT \(unescaped: eventColumns) FROM slipway.events WHERE id > \(id) ORDER BY id LIMIT \(limit)"
        }
        return try await events(query, on: connection, logger: logger)
    }

    /// The columns `events(_:on:logger:)` reads, in its order.
    static let eventColumns = "id, time, actor, kind, schema_version, component, environment, run_id, payload"

    /// The events a query selecting `eventColumns` answers, in its order.
    static func events(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Event] {
        var events: [Event] = []
        let rows = try await connection.query(query, logger: logger)
            .decode((Int64, Int64, String, String, Int32, String?, String?, String?, String).self)
        for try await (id, time, actor, kind, version, component, environment, runID, payload) in rows {
            events.append(Event(
                id: id, time: Date(milliseconds: time), actor: actor, kind: kind, schemaVersion: Int(version),
                component: component, environment: environment, runID: runID, payload: payload))
        }
        return events
    }

    public func latestEventID() async throws(SlipwayError) -> Int64 {
        try await withConnection(doing: "cannot read the store's events", repeatable: true) { connection in
            try await connection.query("SELECT COALESCE(MAX(id), 0)::bigint FROM slipway.events", logger: logger)
                .decode(Int64.self).first { _ in true } ?? 0
        }
    }

    // MARK: Following

    /// Reads the events after the last one seen each time the store's changes (`listenForChanges`:
    /// LISTEN on a connection of its own, polling every `pollInterval` while it cannot listen)
    /// tell of a newer one, resuming from the last id seen, so no event is lost or repeated.
    /// An answer that retrying will not change (`lastingFailure`: the login may no longer read
    /// the events, or their schema or database is gone) ends the stream with that error.
    public func follow(after id: Int64, component: String?) -> AsyncThrowingStream<Event, any Error> {
        AsyncThrowingStream { continuation in
            let follower = Task {
                let clock = SystemClock()
                let interval = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) / 1e18
                let changes = StoreChanges(clock: clock) { signal in
                    await self.listenForChanges(signal: signal, pollEvery: interval, clock: clock)
                }
                var last = id
                // The newest id read up to: the last event delivered may be older when following one component.
                var caughtUp = id
                var lastRead = clock.now()
                while !Task.isCancelled {
                    let newest = await changes.wait(after: caughtUp, atMost: interval)
                    guard !Task.isCancelled else { break }
                    // A read now and then even when nothing is told: a refusal that lasts (rights
                    // revoked) stops the listener from reading the newest id, and only a read
                    // of the events themselves ends the follower with it.
                    guard newest > caughtUp || clock.now().timeIntervalSince(lastRead) >= Self.quietRead else { continue }
                    lastRead = clock.now()
                    do {
                        try await deliver(after: &last, component: component, to: continuation)
                        caughtUp = max(newest, last)
                    } catch {
                        if let lasting = lastingFailure(error) { return continuation.finish(throwing: lasting) }
                        // Tried again after a pause: the changes still say there is more to read.
                        guard (try? await clock.sleep(seconds: interval)) != nil else { break }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in follower.cancel() }
        }
    }

    /// Seconds a follower goes without reading the events when no change is told.
    static let quietRead = 5.0

    /// SQLSTATE classes of answers that the same request will get again however often it is
    /// retried: invalid authorization (28: the login or its password refused), invalid catalog
    /// name (3D: the database is gone), invalid schema name (3F), and syntax error or access rule
    /// violation (42: privilege revoked, table or schema dropped). A dropped connection, a server
    /// shutting down or starting (08, 57) and too many connections (53) heal by themselves.
    static let lastingStateClasses: Set<Substring> = ["28", "3D", "3F", "42"]

    /// The error that ends a follower when `error` is an answer retrying will not change, else nil.
    func lastingFailure(_ error: any Error) -> SlipwayError? {
        guard let state = Self.sqlState(of: error), Self.lastingStateClasses.contains(state.prefix(2)) else { return nil }
        return failure(error, doing: "stopped following the store", connecting: false)
    }

    /// The SQLSTATE the server answered `error` with, if it did.
    static func sqlState(of error: any Error) -> String? {
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.beginError ?? error.commitError {
            return sqlState(of: inner)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    struct ListenerEnded: Error, CustomStringConvertible {
        var description: String { "the server ended the notifications" }
    }

    /// Yields every event after `last`, moving `last` on with each, so a page that fails after
    /// others were yielded repeats none of them. Reads on a kept connection; one that failed is
    /// dropped, and the error is the server's own, for `lastingFailure` to judge.
    private func deliver(
        after last: inout Int64, component: String?, to continuation: AsyncThrowingStream<Event, any Error>.Continuation
    ) async throws {
        let lease = try await connections.lease(fresh: false)
        do {
            while true {
                let events = try await Self.events(after: last, limit: 1000, component: component, on: lease.connection, logger: logger)
                for event in events {
                    continuation.yield(event)
                    last = event.id
                }
                if events.count < 1000 { break }
            }
        } catch {
            await connections.discard(lease.connection)
            throw error
        }
        await connections.giveBack(lease.connection)
    }

    // MARK: Migrating

    /// Copies every event of `source` as it is (id, time, actor, kind, payload) and stores the
    /// projection folded from them, in one transaction, so a failure leaves nothing behind;
    /// refuses when this store holds events.
    /// Returns how many were copied.
    @discardableResult
    public func copy(from source: any EventLog) async throws(SlipwayError) -> Int {
        let logger = logger
        let location = location
        return try await withConnection(doing: "cannot migrate into the store") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                // Held to the end: no append can slip in between the check and the copy.
                _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLockKey))", logger: logger)
                let held = try await connection.query("SELECT COUNT(*)::bigint FROM slipway.events", logger: logger)
                    .decode(Int64.self).first { _ in true } ?? 0
                guard held == 0 else {
                    throw SlipwayError.usage(
                        "the store at \(location) already holds \(held) events: migrate only into a store with none")
                }
                var last: Int64 = 0
                var copied = 0
                while true {
                    let page = try await source.events(after: last, limit: 1000, component: nil)
                    guard let newest = page.last else { break }
                    _ = try await connection.query(Self.insertion(of: page), logger: logger)
                    copied += page.count
                    last = newest.id
                }
                if last > 0 {
                    _ = try await connection.query("SELECT setval('slipway.events_id_seq', \(last))", logger: logger)
                    try await Self.fillStoredProjection(on: connection, logger: logger)
                    _ = try await connection.query("SELECT pg_notify(\(Self.channel), \(String(last)))", logger: logger)
                }
                return copied
            }
        }
    }

    /// One INSERT of `events` with every column as recorded.
    static func insertion(of events: [Event]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: events.count * 9)
        var values: [String] = []
        for (index, event) in events.enumerated() {
            let base = index * 9
            values.append("(" + (1...9).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
            bindings.append(event.id)
            bindings.append(Int64((event.time.timeIntervalSince1970 * 1000).rounded()))
            bindings.append(event.actor)
            bindings.append(event.kind)
            bindings.append(Int32(event.schemaVersion))
            bindings.append(event.component)
            bindings.append(event.environment)
            bindings.append(event.runID)
            bindings.append(event.payload)
        }
        return PostgresQuery(unsafeSQL: """
            INSERT INTO slipway.events (id, time, actor, kind, schema_version, component, environment, run_id, payload)
            VALUES \(values.joined(separator: ", "))
            """, binds: bindings)
    }
}
