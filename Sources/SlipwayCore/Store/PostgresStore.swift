import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The engine's store on a team's shared PostgreSQL database: the event log of
/// `PostgresEventStore` and, beside it in the `slipway` schema, the runs, locks, requests, output,
/// local slots and health records every console, CLI, CI job and agent of the team shares.
///
/// Every write is one transaction holding the append lock (`PostgresEventStore.appendLockKey`)
/// from its start, so writes are serialised as on the embedded store, whose writer is one at a
/// time too: a lock taken, a request claimed or an alert queued and the events saying so commit
/// together or not at all, in id order. The actor is the database login, which the server
/// vouches for; `SLIPWAY_ACTOR` names no one here.
public final class PostgresStore: EventStore {
    public let log: PostgresEventStore
    public let identity: ActorIdentity
    private let executor = BlockingExecutor()
    private let maskerState: Mutex<SecretMasker>
    private let projectionReadCount = Atomic<Int>(0)

    var masker: SecretMasker { maskerState.withLock { $0 } }
    var logger: Logger { log.logger }

    public var location: String { log.location }
    public var fileProblem: String? { nil }
    public var projectionReads: Int { projectionReadCount.load(ordering: .relaxed) }
    private let decodedStateCount = Atomic<Int>(0)
    public var statesDecoded: Int { decodedStateCount.load(ordering: .relaxed) }
    private let fetchedStateCount = Atomic<Int>(0)
    /// How many stored states' texts `storedProjection(since:)` has fetched from the server.
    public var statesFetched: Int { fetchedStateCount.load(ordering: .relaxed) }
    public var eventLog: any ProjectedEventLog { log }

    private init(log: PostgresEventStore, identity: ActorIdentity) {
        self.log = log
        self.identity = identity
        self.maskerState = Mutex(log.masker)
    }

    /// Opens the store at `url` (creating or upgrading its schema) as the login the URL names,
    /// whose roles in the database `roles:` in slipway.yml may name (`db:NAME`).
    public static func open(
        _ url: StoreURL, masker: SecretMasker = SecretMasker(values: []), notice: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(SlipwayError) -> PostgresStore {
        let log = try await PostgresEventStore.open(url, masker: masker, notice: notice)
        let (login, roles) = try await log.withConnection(doing: "cannot read who this login is", repeatable: true) { connection in
            let login = try await connection.query("SELECT current_user::text", logger: log.logger)
                .decode(String.self).first { _ in true } ?? ""
            var roles: [String] = []
            let rows = try await connection.query(
                "SELECT rolname::text FROM pg_roles WHERE pg_has_role(current_user, oid, 'member') AND rolname <> current_user ORDER BY rolname",
                logger: log.logger
            ).decode(String.self)
            for try await role in rows { roles.append(role) }
            return (login, roles)
        }
        return PostgresStore(log: log, identity: ActorIdentity(name: login, source: .databaseLogin, osUser: login, databaseRoles: roles))
    }

    public func alsoMask(_ values: [String]) {
        maskerState.withLock { $0 = $0.adding(values) }
    }

    func countProjectionRead() {
        projectionReadCount.add(1, ordering: .relaxed)
    }

    // MARK: Running statements

    /// `body`'s answer on a kept connection, for a caller that waits: reads that may run again
    /// on a new connection when a kept one turns out closed.
    func reading<Result: Sendable>(
        _ doing: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) throws(SlipwayError) -> Result {
        let log = log
        return try executor.run { () async throws(SlipwayError) -> Result in
            try await log.withConnection(doing: doing, repeatable: true) { connection in try await body(connection, log.logger) }
        }
    }

    /// `body` in one transaction that holds the append lock from its start: the shared store's
    /// writes are one at a time, as the embedded store's are.
    func writing<Result: Sendable>(
        _ doing: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) throws(SlipwayError) -> Result {
        let log = log
        return try executor.run { () async throws(SlipwayError) -> Result in
            try await log.withConnection(doing: doing) { connection in
                try await connection.withTransaction(logger: log.logger) { connection in
                    _ = try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresEventStore.appendLockKey))", logger: log.logger)
                    return try await body(connection, log.logger)
                }
            }
        }
    }

    /// `body` in one transaction without the append lock, for writes that append no event and keep
    /// apart from concurrent ones by row locks of their own (the alert outbox's claims, with SKIP
    /// LOCKED): agents draining the outbox wait neither on each other nor on the store's other writes.
    func writingWithoutAppendLock<Result: Sendable>(
        _ doing: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) throws(SlipwayError) -> Result {
        let log = log
        return try executor.run { () async throws(SlipwayError) -> Result in
            try await log.withConnection(doing: doing) { connection in
                try await connection.withTransaction(logger: log.logger) { connection in try await body(connection, log.logger) }
            }
        }
    }

    /// Appends `events` inside a `writing` transaction: they commit (and followers hear of them) with it.
    func append(_ events: [NewEvent], on connection: PostgresConnection, logger: Logger) async throws -> [Event] {
        let rows = try log.pendingRows(of: events, masker: masker)
        return PostgresEventStore.events(of: rows, recorded: try await PostgresEventStore.insert(rows, on: connection, logger: logger))
    }

    // MARK: Events and the projection

    @discardableResult
    public func append(_ events: [NewEvent]) throws(SlipwayError) -> [Event] {
        guard !events.isEmpty else { return [] }
        return try writing("cannot append to the store") { connection, logger in
            try await self.append(events, on: connection, logger: logger)
        }
    }

    public func events(after id: Int64, limit: Int, component: String?) throws(SlipwayError) -> [Event] {
        try reading("cannot read the store's events") { connection, logger in
            try await PostgresEventStore.events(after: id, limit: limit, component: component, on: connection, logger: logger)
        }
    }

    public func latestEventID() throws(SlipwayError) -> Int64 {
        let log = log
        return try executor.run { () async throws(SlipwayError) -> Int64 in try await log.latestEventID() }
    }

    /// Changes as the log's listener hears of them, on a connection of its own.
    public func changes(every interval: Double, clock: any EngineClock) -> StoreChanges {
        let log = log
        return StoreChanges(clock: clock) { signal in await log.listenForChanges(signal: signal, pollEvery: interval, clock: clock) }
    }

    public func projection() throws(SlipwayError) -> Projection {
        countProjectionRead()
        let log = log
        return try executor.run { () async throws(SlipwayError) -> Projection in try await log.projection() }
    }

    public func storedProjection(since previous: StoredProjectionRead?) throws(SlipwayError) -> StoredProjectionRead {
        countProjectionRead()
        let log = log
        let result = try executor.run { () async throws(SlipwayError) -> (read: StoredProjectionRead, decoded: Int, fetched: Int) in
            try await log.storedProjection(since: previous)
        }
        decodedStateCount.add(result.decoded, ordering: .relaxed)
        fetchedStateCount.add(result.fetched, ordering: .relaxed)
        return result.read
    }
}
