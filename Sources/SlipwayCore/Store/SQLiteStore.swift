import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The embedded event store: an append-only log of every action, the fleet projection folded
/// from it, and the runs, locks and output that operations share across processes.
///
/// SQLite in WAL mode, so any number of consoles and CLI processes read while one writes.
///
/// Store/ is above Support/ and Workspace/ only (Support <- Workspace <- Store <- Targets <- Release,
/// Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine): its records hold no Health, Release or
/// Targets type; those folders extend the records instead (`CanaryRecord+Progress`).
public final class SQLiteStore: EventStore {
    public let path: URL
    /// Who acts through this store: the embedded store takes the name it is opened with.
    public let identity: ActorIdentity
    let pool: DatabasePool
    private let maskerState: Mutex<SecretMasker>
    /// What every payload and output line is masked with before it is stored.
    var masker: SecretMasker { maskerState.withLock { $0 } }

    /// Masks `values` too from now on: secrets a provider handed over after the store was opened.
    public func alsoMask(_ values: [String]) {
        maskerState.withLock { $0 = $0.adding(values) }
    }
    let fileGuard: StoreFileGuard
    private let projectionReadCount = Atomic<Int>(0)
    /// How many projections this store object has read or folded (stored, past or from scratch):
    /// the read model promises one per query, and this is how that promise is checked.
    public var projectionReads: Int { projectionReadCount.load(ordering: .relaxed) }
    private let decodedStateCount = Atomic<Int>(0)
    public var statesDecoded: Int { decodedStateCount.load(ordering: .relaxed) }
    /// Bytes the -wal file is cut back to after a checkpoint has emptied it (SQLite's default
    /// keeps it at its largest); the last connection to close cuts it to nothing.
    static let journalSizeLimit = 8 << 20

    /// Events between two checkpoints of the projection: a past moment folds at most this many.
    let checkpointInterval: Int64
    /// The states this process last stored by an append, so the next append folds into them
    /// without reading and decoding them again; nil when unknown or possibly stale.
    private let foldedStates = Mutex<FoldedStates?>(nil)
    /// Moved on by every write of the stored projection other than an append's (a rebuild), so
    /// states an append kept from before it are not trusted after it.
    private let projectionEpoch = Atomic<Int>(0)

    private struct FoldedStates {
        /// The store's `PRAGMA data_version` on the writer connection when they were stored: it
        /// changes only when another connection (another process) commits.
        var dataVersion: Int64
        /// The newest event folded into them.
        var lastEventID: Int64
        var epoch: Int
        var states: [Projection.Key: DeploymentState]
    }

    /// Opens (creating when absent) the store at `path`, mode 0600. A write that finds another
    /// process holding the store's write lock waits up to `lockTimeout` seconds, and after a
    /// second says who holds it through `lockNotice`.
    public init(
        path: URL, actor: String = Actor.current(), identity: ActorIdentity? = nil, masker: SecretMasker = SecretMasker(values: []),
        lockTimeout: TimeInterval = 15, lockNotice: @escaping @Sendable (String) -> Void = { _ in },
        checkpointInterval: Int64 = 25_000
    ) throws(SlipwayError) {
        self.path = path
        self.checkpointInterval = checkpointInterval
        let identity = identity ?? ActorIdentity(name: actor, unixGroups: ActorIdentity.unixGroups(of: actor))
        self.identity = identity
        self.maskerState = Mutex(masker)
        let manager = FileManager.default
        do {
            try manager.createDirectory(
                at: path.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            // O_EXCL, never FileManager.createFile: that writes a new file and renames it over the
            // path, so a process opening a new store at the same time could replace the store
            // another had just created (the file guard below caught exactly that).
            let created = open(path.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if created >= 0 {
                close(created)
            } else if errno != EEXIST {
                throw SlipwayError(.fileAccess(.create, path: path.path, what: "the store at", problem: String(cString: strerror(errno))))
            }
            // Opening a new store switches it to WAL and creates its tables; neither waits on
            // SQLite's busy handler, so processes opening one store at once take turns here.
            let lock = open(path.path + ".migrate-lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard lock >= 0 else {
                throw SlipwayError(.fileAccess(.create, path: "\(path.path).migrate-lock", problem: String(cString: strerror(errno))))
            }
            defer { close(lock) }
            flock(lock, LOCK_EX)
            var configuration = Configuration()
            let wait = StoreLockWait(path: path, timeout: lockTimeout, notice: lockNotice)
            configuration.busyMode = .callback { tries in wait.shouldRetry(tries: tries) }
            // Persistent WAL: the -wal file stays when the last connection closes, and a reader
            // never waits on another process' write lock.
            //
            // With a journal size limit, the last connection to close empties that file once it
            // has copied the frames into the database. Without one the frames stayed valid, and
            // every later process alone on the store read them all back when it opened and wrote
            // them into the database again (with syncs) when it closed: 4.6 MB each way for a
            // `list-services` on the console bench. The price is GRDB's one small write when it
            // opens a pool on an empty WAL; the first to open pays it (openers take turns below),
            // and a store someone has open never has an empty WAL.
            configuration.prepareDatabase { db in
                var persist: CInt = 1
                let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
                guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
                try db.execute(sql: "PRAGMA journal_size_limit = \(Self.journalSizeLimit)")
            }
            configuration.label = "slipway"
            // The file as it is now, created above when absent: commits are refused once it changes.
            fileGuard = StoreFileGuard(path: path.path)
            pool = try DatabasePool(path: path.path, configuration: configuration)
            pool.add(transactionObserver: fileGuard, extent: .databaseLifetime)
            try migrate()
        } catch let error as SlipwayError {
            throw error
        } catch {
            throw StoreFault.error(error, path: path, doing: "cannot open the store")
        }
    }

    private func migrate() throws(SlipwayError) {
        let migrator = StoreSchema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                let unknown = try unknownMigrations(known: Set(migrator.migrations))
                throw SlipwayError.failure(
                    "the store at \(path.path) was written by a newer Slipway (migrations unknown here: \(unknown.joined(separator: ", "))); "
                        + "this slipway knows up to \(migrator.migrations.last ?? "?"): upgrade slipway or use --state")
            }
            // Migrating takes the write lock even when there is nothing to do: a reader of an
            // up-to-date store must not wait on a writer.
            if try !pool.read({ db in try migrator.hasCompletedMigrations(db) }) {
                try migrator.migrate(pool)
            }
        } catch let error as SlipwayError {
            throw error
        } catch {
            throw StoreFault.error(error, path: path, doing: "cannot migrate the store")
        }
    }

    /// The migrations recorded in the file that this Slipway does not have, oldest first: GRDB's
    /// own look-ups name only the migrations it knows.
    private func unknownMigrations(known: Set<String>) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").filter { !known.contains($0) }
        }
    }

    func failure(_ error: any Error) -> SlipwayError {
        StoreFault.error(error, path: path)
    }

    /// Why this store's file is no longer the one opened (removed or replaced), or nil.
    public var fileProblem: String? { fileGuard.fault?.message }

    // MARK: Events

    /// Appends `events` in one transaction and folds them into the projection.
    @discardableResult
    public func append(_ events: [NewEvent]) throws(SlipwayError) -> [Event] {
        do {
            let (appended, folded) = try pool.write { db in try self.appendFolding(events, in: db) }
            // Kept only once the transaction committed: a rolled-back append leaves nothing to trust.
            foldedStates.withLock { $0 = folded }
            return appended
        } catch {
            throw failure(error)
        }
    }

    /// Appends inside a transaction of the caller's, which may still roll back: the states it
    /// folds are not kept.
    func append(_ events: [NewEvent], in db: Database) throws -> [Event] {
        try appendFolding(events, in: db).events
    }

    /// Appends and folds, answering the states as stored afterwards, for the next append to start from.
    private func appendFolding(_ events: [NewEvent], in db: Database) throws -> (events: [Event], folded: FoldedStates?) {
        // Taken, not read: until this transaction commits, no other append may start from them.
        let kept = foldedStates.withLock { kept in
            defer { kept = nil }
            return kept
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (time, actor, kind, schema_version, component, environment, run_id, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let now = Date()
        var appended: [Event] = []
        appended.reserveCapacity(events.count)
        var keys = Set<Projection.Key>()
        // The details each appended event is folded with: its own when masking left its payload
        // as encoded (the fold then needs no decoding), else nil and the stored payload is decoded.
        var unmaskedDetails: [EventDetails?] = []
        unmaskedDetails.reserveCapacity(events.count)
        for event in events {
            let milliseconds = Int64(((event.time ?? now).timeIntervalSince1970 * 1000).rounded())
            let encoded = String(decoding: try encoder.encode(event.details), as: UTF8.self)
            let payload = masker.mask(encoded)
            unmaskedDetails.append(payload == encoded ? event.details : nil)
            try insert.execute(arguments: [
                milliseconds, actor, event.kind.rawValue, StoreSchema.eventSchemaVersion, event.component,
                event.environment, event.runID, payload,
            ])
            appended.append(Event(
                id: db.lastInsertedRowID, time: Date(milliseconds: milliseconds), actor: actor, kind: event.kind.rawValue,
                schemaVersion: StoreSchema.eventSchemaVersion, component: event.component,
                environment: event.environment, runID: event.runID, payload: payload))
            if let component = event.component, let environment = event.environment {
                keys.insert(.init(component: component, environment: environment))
            }
        }
        let dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? -1
        let epoch = projectionEpoch.load(ordering: .relaxed)
        var known: [Projection.Key: DeploymentState] = [:]
        if let kept, kept.dataVersion == dataVersion, kept.epoch == epoch, let first = appended.first,
           kept.lastEventID == first.id - 1 {
            known = kept.states
        }
        if !keys.isEmpty {
            var projection = Projection(states: try loadStates(keys.subtracting(known.keys), in: db))
            for key in keys { if let state = known[key] { projection.states[key] = state } }
            for (event, details) in zip(appended, unmaskedDetails) {
                if let details, let kind = event.knownKind {
                    projection.apply(
                        id: event.id, time: event.time, kind: kind, component: event.component, environment: event.environment,
                        runID: event.runID, details: details)
                } else {
                    projection.apply(event)
                }
            }
            let changed = projection.states.filter { keys.contains($0.key) }
            try save(Array(changed.values), in: db)
            known.merge(changed) { _, new in new }
        }
        if let first = appended.first?.id, let last = appended.last?.id,
           last / checkpointInterval > (first - 1) / checkpointInterval {
            try db.execute(sql: """
                INSERT OR REPLACE INTO projection_checkpoints (event_id, component, environment, state)
                SELECT ?, component, environment, state FROM deployment_state
                """, arguments: [last])
        }
        guard let last = appended.last else { return (appended, nil) }
        return (appended, FoldedStates(dataVersion: dataVersion, lastEventID: last.id, epoch: epoch, states: known))
    }

    /// Events with an id above `id`, oldest first.
    public func events(after id: Int64, limit: Int, component: String?) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                var sql = "SELECT * FROM events WHERE id > ?"
                var arguments: StatementArguments = [id]
                if let component {
                    sql += " AND component = ?"
                    arguments += [component]
                }
                sql += " ORDER BY id LIMIT ?"
                arguments += [limit]
                return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }

    /// The newest events, newest first.
    public func latestEvents(limit: Int) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM events ORDER BY id DESC LIMIT ?"), arguments: [limit])
                    .map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }

    public func events(forRun runID: String) throws(SlipwayError) -> [Event] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM events WHERE run_id = ? ORDER BY id", arguments: [runID])
                    .map(Self.event(from:))
            }
        } catch {
            throw failure(error)
        }
    }

    /// The id of the newest event: a cheap way for a watcher to notice another process's writes.
    public func latestEventID() throws(SlipwayError) -> Int64 {
        do {
            return try pool.read { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM events")) ?? 0 }
        } catch {
            throw failure(error)
        }
    }

    static func event(from row: Row) -> Event {
        Event(
            id: row["id"], time: Date(milliseconds: row["time"]), actor: row["actor"], kind: row["kind"],
            schemaVersion: row["schema_version"], component: row["component"], environment: row["environment"],
            runID: row["run_id"], payload: row["payload"])
    }

    // MARK: Projection

    private func loadStates(_ keys: Set<Projection.Key>, in db: Database) throws -> [Projection.Key: DeploymentState] {
        var states: [Projection.Key: DeploymentState] = [:]
        let select = try db.cachedStatement(sql: "SELECT state FROM deployment_state WHERE component = ? AND environment = ?")
        for key in keys {
            if let text = try String.fetchOne(select, arguments: [key.component, key.environment]) {
                states[key] = try DeploymentState(stored: text, of: key)
            }
        }
        return states
    }

    private func save(_ states: [DeploymentState], in db: Database) throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO deployment_state (component, environment, state) VALUES (?, ?, ?)
            ON CONFLICT (component, environment) DO UPDATE SET state = excluded.state
            """)
        for state in states {
            let text = String(decoding: try DeploymentState.storedEncoder.encode(state), as: UTF8.self)
            try upsert.execute(arguments: [state.component, state.environment, text])
        }
    }

    private func saveCheckpoint(_ projection: Projection, at id: Int64, in db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO projection_checkpoints (event_id, component, environment, state) VALUES (?, ?, ?, ?)
            """)
        for state in projection.states.values {
            let text = String(decoding: try DeploymentState.storedEncoder.encode(state), as: UTF8.self)
            try insert.execute(arguments: [id, state.component, state.environment, text])
        }
    }

    /// The projection as kept up to date by every append.
    public func projection() throws(SlipwayError) -> Projection {
        projectionReadCount.add(1, ordering: .relaxed)
        do {
            return try pool.read { db in try Self.storedProjection(in: db) }
        } catch {
            throw failure(error)
        }
    }

    /// The projection as stored, decoding only the states whose stored text changed since `previous`.
    public func storedProjection(since previous: StoredProjectionRead?) throws(SlipwayError) -> StoredProjectionRead {
        projectionReadCount.add(1, ordering: .relaxed)
        do {
            return try pool.read { db in
                var builder = StoredProjectionRead.Builder(against: previous)
                let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT component, environment, state FROM deployment_state"))
                while let row = try rows.next() {
                    let key = Projection.Key(component: row[0], environment: row[1])
                    try row.withUnsafeData(atIndex: 2) { text in
                        try (text ?? Data()).withUnsafeBytes { bytes in try builder.add(key, text: bytes) }
                    }
                }
                decodedStateCount.add(builder.decoded, ordering: .relaxed)
                return builder.finish()
            }
        } catch {
            throw failure(error)
        }
    }

    static func storedProjection(in db: Database) throws -> Projection {
        var projection = Projection()
        for row in try Row.fetchAll(db, sql: "SELECT component, environment, state FROM deployment_state") {
            let key = Projection.Key(component: row["component"], environment: row["environment"])
            projection.states[key] = try DeploymentState(stored: row["state"], of: key)
        }
        return projection
    }

    /// The projection folded from scratch over every event, without touching the stored one.
    ///
    /// Only the fields the fold reads are taken out of each payload, by SQLite's `json_extract`,
    /// so a million events fold in seconds.
    public func foldedProjection() throws(SlipwayError) -> Projection {
        projectionReadCount.add(1, ordering: .relaxed)
        do {
            return try pool.read { db in try Self.fold(in: db) }
        } catch {
            throw failure(error)
        }
    }

    /// The projection as it was at `moment`: every event recorded by then folded, none after.
    /// The store keeps every event, so the fleet of any past moment can be looked at.
    public func projection(at moment: Date) throws(SlipwayError) -> Projection {
        guard let event = try lastEvent(atOrBefore: moment) else { return Projection() }
        return try projection(through: event.id)
    }

    /// The projection right after event `id`: the nearest checkpoint at or before it, and the
    /// events after the checkpoint folded in.
    public func projection(through id: Int64) throws(SlipwayError) -> Projection {
        projectionReadCount.add(1, ordering: .relaxed)
        do {
            return try pool.read { db in
                var start = Projection()
                let checkpoint = try Int64.fetchOne(
                    db, sql: "SELECT MAX(event_id) FROM projection_checkpoints WHERE event_id <= ?", arguments: [id])
                if let checkpoint {
                    for row in try Row.fetchAll(
                        db, sql: "SELECT component, environment, state FROM projection_checkpoints WHERE event_id = ?",
                        arguments: [checkpoint]) {
                        let key = Projection.Key(component: row["component"], environment: row["environment"])
                        start.states[key] = try DeploymentState(stored: row["state"], of: key)
                    }
                }
                return try Self.fold(in: db, from: start, after: checkpoint ?? 0, through: id)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Folds the events after `after` up to `through` onto `start`, calling `checkpoint` after
    /// the first event past each `interval`, and `progress` with the event id reached every
    /// thousand events. Static, so a backup's copy can be folded too.
    static func fold(
        in db: Database, from start: Projection = Projection(), after: Int64 = 0, through: Int64 = Int64.max,
        every interval: Int64 = 25_000, checkpoint: ((Int64, Projection) throws -> Void)? = nil,
        progress: ((Int64) -> Void)? = nil
    ) throws -> Projection {
        var projection = start
        var lastCheckpoint = after / interval
        var lastReport = after / 1_000
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT id, time, kind, component, environment, run_id,
                   json_extract(payload, '$.run_kind'), json_extract(payload, '$.version'),
                   json_extract(payload, '$.commit'), json_extract(payload, '$.color'),
                   json_extract(payload, '$.outcome'), json_extract(payload, '$.healthy'),
                   json_extract(payload, '$.reason')
            FROM events
            WHERE component IS NOT NULL AND environment IS NOT NULL AND id > ? AND id <= ?
            ORDER BY id
            """, arguments: [after, through])
        while let row = try cursor.next() {
            guard let kind = EventKind(rawValue: row[2]) else { continue }
            var details = EventDetails()
            if Projection.kindsReadingDetails.contains(kind) {
                details.runKind = (row[6] as String?).flatMap(RunKind.init(rawValue:))
                details.version = row[7]
                details.commit = row[8]
                details.color = row[9]
                details.outcome = row[10]
                details.healthy = (row[11] as Int?).map { $0 != 0 }
                details.reason = row[12]
            }
            let id: Int64 = row[0]
            projection.apply(
                id: id, time: Date(milliseconds: row[1]), kind: kind, component: row[3], environment: row[4],
                runID: row[5], details: details)
            if let checkpoint, id / interval > lastCheckpoint {
                lastCheckpoint = id / interval
                try checkpoint(id, projection)
            }
            if let progress, id / 1_000 > lastReport {
                lastReport = id / 1_000
                progress(id)
            }
        }
        return projection
    }

    /// Throws the stored projection and its checkpoints away and folds them again from every
    /// event, telling `progress` the event id reached and the last id as it goes.
    @discardableResult
    public func rebuildProjection(progress: ((_ reached: Int64, _ last: Int64) -> Void)? = nil) throws(SlipwayError) -> Projection {
        try rebuild(progress: progress).projection
    }

    /// The rebuild, with whether the stored projection it replaced differed: compared in the same
    /// write transaction, so no append comes between.
    func rebuild(progress: ((_ reached: Int64, _ last: Int64) -> Void)?) throws(SlipwayError) -> StoredProjectionRebuild {
        do {
            return try pool.write { db in
                self.projectionEpoch.add(1, ordering: .relaxed)
                // A stored state that cannot be read is damage the rebuild is there to replace: it differs.
                let stored = try? Self.storedProjection(in: db)
                try db.execute(sql: "DELETE FROM projection_checkpoints")
                let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0
                let projection = try Self.fold(in: db, every: self.checkpointInterval, checkpoint: { id, projection in
                    try self.saveCheckpoint(projection, at: id, in: db)
                }, progress: progress.map { report in { id in report(id, last) } })
                try db.execute(sql: "DELETE FROM deployment_state")
                try self.save(Array(projection.states.values), in: db)
                return StoredProjectionRebuild(projection: projection, lastEventID: last, storedDiffered: stored != projection)
            }
        } catch {
            throw failure(error)
        }
    }

    // MARK: Releases

    /// The release tags of `component` in `environment`, newest first, one per version.
    public func releases(component: String, environment: String) throws(SlipwayError) -> [ReleaseTag] {
        do {
            return try pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM events WHERE component = ? AND environment = ? AND kind = ? ORDER BY id DESC
                    """, arguments: [component, environment, EventKind.releaseTagged.rawValue])
                var seen = Set<String>()
                return rows.map(Self.event(from:)).compactMap { event in
                    guard let details = event.details, let version = details.version, seen.insert(version).inserted else {
                        return nil
                    }
                    return ReleaseTag(
                        component: component, environment: environment, version: version, commit: details.commit,
                        actor: event.actor, time: event.time, runID: event.runID, schema: details.schema)
                }
            }
        } catch {
            throw failure(error)
        }
    }
}

extension Date {
    init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
