import Foundation
import PostgresNIO
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The event log's behaviour on both stores: every matrix test runs on the embedded SQLite store
/// and on a PostgreSQL store (one cluster for the suite, a database for each test).
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct EventLogTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// A log of `kind` of the test's own; `masker` masks what it stores.
    struct Fixture {
        let log: any ProjectedEventLog
        /// A second handle on the same log, as another process would open it.
        let other: any ProjectedEventLog
        let folder: TemporaryWorkspace
        let url: String?
    }

    static func open(_ kind: Kind, masker: SecretMasker = SecretMasker(values: []), function: String = #function) async throws -> Fixture {
        let folder = try TemporaryWorkspace(function: function)
        switch kind {
        case .sqlite:
            let log = try SQLiteStore(path: folder.statePath, actor: "tester", masker: masker)
            return Fixture(log: log, other: try SQLiteStore(path: folder.statePath, actor: "other"), folder: folder, url: nil)
        case .postgres:
            let url = try await PostgresCluster.shared().createDatabase()
            let log = try await PostgresEventStore.open(StoreURL(url, name: "test"), masker: masker)
            let other = try await PostgresEventStore.open(StoreURL(url, name: "test"))
            return Fixture(log: log, other: other, folder: folder, url: url)
        }
    }

    static func deploy(_ component: String, _ version: String, run: String = "r1") -> [NewEvent] {
        [
            NewEvent(.runStarted, component: component, environment: "staging", runID: run, details: EventDetails(runKind: .deploy, version: version)),
            NewEvent(.deploySucceeded, component: component, environment: "staging", runID: run, details: EventDetails(version: version, color: "blue")),
            NewEvent(.runFinished, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
        ]
    }

    /// Reads `count` events from `events`, failing after `seconds` (generous: behaviour, not timing).
    static func take(_ count: Int, from events: AsyncThrowingStream<Event, any Error>, within seconds: Int = 60) async throws -> [Event] {
        try await withThrowingTaskGroup(of: [Event]?.self) { group in
            group.addTask {
                var seen: [Event] = []
                for try await event in events {
                    seen.append(event)
                    if seen.count == count { break }
                }
                return seen
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "fewer than \(count) events within \(seconds) s")
        }
    }

    // MARK: Both stores

    @Test(arguments: Kind.allCases)
    func appendsGetIncreasingIdsAndReadBackInOrder(kind: Kind) async throws {
        let fixture = try await Self.open(kind)
        let log = fixture.log
        #expect(try await log.latestEventID() == 0)
        let first = try await log.append(Self.deploy("api", "v1"))
        let second = try await fixture.other.append([NewEvent(.releaseTagged, component: "web", environment: "staging", details: EventDetails(version: "v2"))])
        let all = first + second
        #expect(all.map(\.id) == [1, 2, 3, 4])
        #expect(try await log.latestEventID() == 4)
        let read = try await log.events(after: 0, limit: 100, component: nil)
        #expect(read == all)
        #expect(try await log.events(after: 1, limit: 2, component: nil).map(\.id) == [2, 3])
        #expect(try await log.events(after: 0, limit: 100, component: "web").map(\.id) == [4])
        #expect(read.allSatisfy { $0.schemaVersion == 1 && $0.kind == $0.knownKind?.rawValue })
    }

    /// What an append sends is read back byte for byte: tabs, line breaks and backslashes in a
    /// payload, a run id with a tab, events with no component or environment, one of 2,500 in one append.
    @Test(arguments: Kind.allCases)
    func awkwardTextAndManyRowsReadBackAsAppended(kind: Kind) async throws {
        let fixture = try await Self.open(kind)
        let awkward = "tab\there\nnew line\r\nback\\slash \\N not null \u{1F680} é"
        let appended = try await fixture.log.append(
            [NewEvent(.deployRefused, component: "api", environment: "staging", runID: "r\t1", details: EventDetails(reason: awkward)),
             NewEvent(.releaseTagged, component: nil, environment: nil, details: EventDetails(version: "v1"))]
                + (0..<2_500).map { NewEvent(.releaseTagged, component: "web", environment: "staging", details: EventDetails(version: "v\($0)")) })
        #expect(appended.map(\.id) == Array(1...2_502))
        let read = try await fixture.other.events(after: 0, limit: 3_000, component: nil)
        #expect(read == appended)
        #expect(read.first?.details?.reason == awkward && read.first?.runID == "r\t1")
        #expect(read[1].component == nil && read[1].environment == nil)
        let next = try await fixture.other.append([NewEvent(.releaseTagged, component: "web", environment: "staging")])
        #expect(next.map(\.id) == [2_503], "ids go on after a large append")
    }

    @Test(arguments: Kind.allCases)
    func payloadsAreMaskedBeforeTheyAreStored(kind: Kind) async throws {
        let fixture = try await Self.open(kind, masker: SecretMasker(values: ["hunter2-token"]))
        try await fixture.log.append([NewEvent(.deployRefused, component: "api", environment: "staging", details: EventDetails(reason: "token hunter2-token refused"))])
        let stored = try await fixture.other.events(after: 0, limit: 10, component: nil)
        #expect(stored.count == 1)
        #expect(!stored[0].payload.contains("hunter2-token"))
        #expect(stored[0].details?.reason == "token **** refused")
    }

    @Test(arguments: Kind.allCases)
    func foldingTheLogGivesTheFleet(kind: Kind) async throws {
        let fixture = try await Self.open(kind)
        try await fixture.log.append(Self.deploy("api", "v1", run: "r1"))
        try await fixture.log.append(Self.deploy("api", "v2", run: "r2"))
        let fleet = try await fixture.log.foldEvents(pageSize: 2)
        let api = try #require(fleet.states[.init(component: "api", environment: "staging")])
        #expect(api.liveVersion == "v2")
        #expect(api.previousVersions == ["v1"])
        #expect(api.lastEventID == 6)
    }

    @Test(arguments: Kind.allCases)
    func aFollowerSeesEachLaterEventOnceInOrder(kind: Kind) async throws {
        let fixture = try await Self.open(kind)
        try await fixture.log.append(Self.deploy("api", "v1"))
        let events = fixture.log.follow(after: 1, component: nil)
        let appender = Task {
            for index in 0..<20 {
                try await fixture.other.append([NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "v\(index)"))])
            }
        }
        let seen = try await Self.take(22, from: events)
        try await appender.value
        #expect(seen.map(\.id) == Array(2...23))
    }

    @Test(arguments: Kind.allCases)
    func aFollowerOfOneComponentSeesOnlyItsEvents(kind: Kind) async throws {
        let fixture = try await Self.open(kind)
        let events = fixture.log.follow(after: 0, component: "web")
        try await fixture.other.append(Self.deploy("api", "v1") + Self.deploy("web", "v1", run: "r2"))
        let seen = try await Self.take(3, from: events)
        #expect(seen.map(\.id) == [4, 5, 6])
        #expect(seen.allSatisfy { $0.component == "web" })
    }

    /// Events of every kind the fleet reads, over three components and two environments, with
    /// runs left in progress, ready releases, events of no component: the fold's awkward cases.
    static func mixed(_ round: Int) -> [NewEvent] {
        let components = ["api", "web", "worker"]
        let component = components[round % components.count]
        let environment = round % 2 == 0 ? "staging" : "production"
        let version = "v\(round)"
        let color = round % 2 == 0 ? "blue" : "green"
        let run = "run-\(round)"
        var events = [
            NewEvent(.runStarted, component: component, environment: environment, runID: run, details: EventDetails(runKind: .deploy, version: version)),
            NewEvent(.slotStarted, component: component, environment: environment, details: EventDetails(version: version, color: color)),
            NewEvent(.healthChecked, component: component, environment: environment, details: EventDetails(reason: "HTTP \(200 + round % 3)", healthy: round % 3 == 0)),
            NewEvent(.releaseReady, component: component, environment: environment, details: EventDetails(version: version, commit: "c\(round)", color: color)),
            NewEvent(.releaseTagged, component: nil, environment: nil, details: EventDetails(version: version)),
        ]
        if round % 4 != 3 {
            events += [
                NewEvent(.trafficSwitched, component: component, environment: environment, details: EventDetails(version: version, color: color)),
                NewEvent(.deploySucceeded, component: component, environment: environment, runID: run, details: EventDetails(version: version, commit: "c\(round)", color: color)),
                NewEvent(.runFinished, component: component, environment: environment, runID: run,
                         details: EventDetails(runKind: .deploy, version: version, outcome: round % 5 == 0 ? "failed" : "succeeded")),
            ]
        }
        if round % 6 == 5 {
            events.append(NewEvent(.slotStopped, component: component, environment: environment, details: EventDetails(color: color)))
        }
        return events
    }

    /// Appends of a few events (PostgreSQL: one INSERT) and of many (COPY), from two handles,
    /// keep the stored projection equal to every event folded again, and a rebuild finds nothing to mend.
    @Test(arguments: Kind.allCases)
    func theStoredProjectionEqualsTheFoldAfterSmallAndLargeAppends(kind: Kind) async throws {
        let fixture = try await Self.open(kind)
        for round in 0..<8 {
            try await (round % 2 == 0 ? fixture.log : fixture.other).append(Self.mixed(round))
        }
        let large = (8..<40).flatMap(Self.mixed)
        #expect(large.count > PostgresEventStore.copyThreshold)
        try await fixture.other.append(large)
        try await fixture.log.append(Self.mixed(40))
        try await fixture.other.append((41..<60).flatMap(Self.mixed))

        let stored = try await fixture.log.projection()
        let folded = try await fixture.other.foldEvents(pageSize: 97)
        #expect(stored == folded)
        #expect(stored.states.count == 6)
        #expect(stored.states.values.contains { !$0.runsInProgress.isEmpty })
        #expect(stored.states.values.contains { $0.ready != nil }, "a release left ready survives in the stored projection")

        let latest = try await fixture.log.latestEventID()
        let rebuild = try await fixture.other.rebuildProjection(reporting: nil)
        #expect(rebuild == StoredProjectionRebuild(projection: folded, lastEventID: latest, storedDiffered: false))
        #expect(try await fixture.log.projection() == folded)
    }

    // MARK: PostgreSQL

    /// A database a Slipway of schema 1 left (events, no stored projection) gets schema 2 and the
    /// projection folded from its events as it is opened; appends keep it from there.
    @Test func aVersionOneDatabaseIsUpgradedWithItsProjectionFilled() async throws {
        let folder = try TemporaryWorkspace()
        let embedded = try SQLiteStore(path: folder.statePath, actor: "carol")
        for round in 0..<30 { try embedded.append(Self.mixed(round)) }
        let events = try embedded.events(after: 0, limit: 10_000)
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let connection = try await cluster.connect(database: database)
        do {
            #expect(try await PostgresStoreSchema.migrate(connection, logger: PostgresCluster.logger, upTo: 1) == 1)
            _ = try await connection.query(PostgresEventStore.insertion(of: events), logger: PostgresCluster.logger)
            _ = try await connection.query("SELECT setval('slipway.events_id_seq', \(events.count))", logger: PostgresCluster.logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        #expect(try await cluster.strings("SELECT to_regclass('slipway.deployment_state')::text", database: database) == [nil])

        let store = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        #expect(try await cluster.strings("SELECT max(version)::text FROM slipway.schema_versions", database: database) == ["\(PostgresStoreSchema.latest)"])
        let upgraded = try await store.projection()
        #expect(upgraded == (try embedded.projection()))
        #expect(upgraded.states.count == 6)
        try await store.append(Self.mixed(30))
        #expect(try await store.projection() == (try await store.foldEvents()))
    }

    /// The stored projection changed behind Slipway's back (the test writes the table as the
    /// superuser) is found by a rebuild, said so, and replaced by the fold.
    @Test func aRebuildFindsAndReplacesACorruptedStoredProjection() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let store = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        try await store.append((0..<12).flatMap(Self.mixed))
        let folded = try await store.foldEvents()
        #expect(try await store.projection() == folded)

        try await cluster.execute(
            "UPDATE slipway.deployment_state SET state = replace(state, '\"liveVersion\":\"v9\"', '\"liveVersion\":\"v999\"') WHERE component = 'api'",
            database: database)
        try await cluster.execute("DELETE FROM slipway.deployment_state WHERE component = 'web' AND environment = 'staging'", database: database)
        let corrupted = try await store.projection()
        #expect(corrupted != folded)
        #expect(corrupted.states[.init(component: "api", environment: "production")]?.liveVersion == "v999")

        let rebuild = try await store.rebuildProjection(reporting: nil)
        #expect(rebuild.storedDiffered)
        #expect(rebuild.projection == folded)
        #expect(rebuild.summary == "rebuilt 6 component states from 89 events; the incremental projection differed and was replaced")
        #expect(try await store.projection() == folded)
        #expect(try await store.rebuildProjection(reporting: nil).storedDiffered == false)
    }


    @Test func aDatabaseANewerSlipwayWroteIsRefused() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        _ = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        try await cluster.execute(
            "INSERT INTO slipway.schema_versions (version, description) VALUES (99, 'from the future')",
            database: PostgresCluster.databaseName(of: url))
        let error = await #expect(throws: SlipwayError.self) { try await PostgresEventStore.open(StoreURL(url, name: "test")) }
        #expect(error?.message.contains("was written by a newer Slipway (schema 99); this slipway knows up to \(PostgresStoreSchema.latest): upgrade slipway") == true)
        #expect(error?.message.contains("\n") == false)
        #expect(error?.exitCode == 1)
    }

    @Test func theActorIsTheDatabaseLoginWhateverSlipwayActorSays() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        _ = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        let role = "alice_\(database.suffix(6))"
        try await cluster.execute("CREATE ROLE \(role) LOGIN")
        for grant in [
            "GRANT USAGE ON SCHEMA slipway TO \(role)", "GRANT SELECT, INSERT ON slipway.events TO \(role)",
            "GRANT SELECT ON slipway.schema_versions TO \(role)", "GRANT USAGE ON SEQUENCE slipway.events_id_seq TO \(role)",
            "GRANT SELECT, INSERT, UPDATE ON slipway.deployment_state TO \(role)",
        ] {
            try await cluster.execute(grant, database: database)
        }
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let aliceURL = url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(role)@")
        let log = try #require(try await Engine.openSharedEventLog(
            workspace: workspace.root, environment: [StoreURL.variable: aliceURL, "SLIPWAY_ACTOR": "mallory"]))
        let appended = try await log.append([NewEvent(.releaseTagged, component: "api", environment: "staging")])
        #expect(appended.map(\.actor) == [role])
        let stored = try await cluster.strings("SELECT actor FROM slipway.events", database: database)
        #expect(stored == [role])
    }

    @Test func theStoreURLsPasswordNeverShows() async throws {
        let cluster = try PostgresCluster.shared()
        let password = "pw-s3cret-value"
        let missing = "postgres://postgres:\(password)@/no_such_database?host=\(cluster.directory.path)"
        let error = await #expect(throws: SlipwayError.self) { try await PostgresEventStore.open(StoreURL(missing, name: "test")) }
        let message = try #require(error?.message)
        #expect(!message.contains(password))
        #expect(message.contains("postgres://postgres:****@/no_such_database"))
        #expect(message.contains("no_such_database\" does not exist"))

        // A server nobody answers at: the reason in plain words, not NIO's dump of its types.
        let refused = await #expect(throws: SlipwayError.self) {
            try await PostgresEventStore.open(StoreURL("postgres://team:\(password)@127.0.0.1:1/slipway", name: "test"))
        }
        #expect(refused?.message.hasSuffix("cannot connect: Connection refused") == true, "\(refused?.message ?? "")")
        #expect(refused?.message.contains(password) == false)

        // The engine opens the shared store it is pointed at, and says in one line, the password
        // masked, when it cannot reach it: never a quiet fallback to the embedded file.
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "store: \"postgres://team:\(password)@127.0.0.1:1/slipway\"\n"])
        let unreachable = await #expect(throws: SlipwayError.self) { try await Engine.open(workspace: workspace.root, state: nil) }
        #expect(unreachable?.exitCode == 1)
        #expect(unreachable?.message.hasSuffix("cannot connect: Connection refused") == true, "\(unreachable?.message ?? "")")
        #expect(unreachable?.message.contains("postgres://team:****@127.0.0.1:1/slipway") == true)
        #expect(unreachable?.message.contains(password) == false)
        #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent(".slipway/state.db").path))
        let named = await #expect(throws: SlipwayError.self) {
            try await Engine.open(workspace: workspace.root, state: workspace.root.appendingPathComponent("other.db"))
        }
        #expect(named?.exitCode == 2)
        #expect(named?.message.contains("names an embedded store, and the shared store postgres://team:****@127.0.0.1:1/slipway is chosen") == true)

        // A store: that is no PostgreSQL URL is a config error at its place, not repeating the text.
        let config = #expect(throws: SlipwayError.self) {
            try WorkspaceConfig.parse("environments:\n  staging: {}\nstore: mysql://team:\(password)@db/slipway\n", file: "slipway.yml")
        }
        #expect(config?.message == "slipway.yml:3:8: the connection string of store is not a postgres:// URL")
        #expect(config?.exitCode == 2)
    }

    @Test func migratingCopiesTheEmbeddedHistoryExactly() async throws {
        let folder = try TemporaryWorkspace()
        let source = try SQLiteStore(path: folder.statePath, actor: "carol")
        try source.append(Self.deploy("api", "v1", run: "r1"))
        try source.append(Self.deploy("web", "w1", run: "r2"))
        try source.append([NewEvent(.healthChecked, component: "api", environment: "staging", details: EventDetails(reason: "200 OK", healthy: true),
                                    time: Date(timeIntervalSince1970: 1_700_000_000.123))])
        try source.append(Self.deploy("api", "v2", run: "r3"))
        let other = try SQLiteStore(path: folder.statePath, actor: "dave")
        try other.append([NewEvent(.releaseTagged, component: "api", environment: "production", details: EventDetails(version: "v2"))])
        let url = try await PostgresCluster.shared().createDatabase()
        let target = try await PostgresEventStore.open(StoreURL(url, name: "test"))

        #expect(try await target.copy(from: source) == 11)

        let copied = try await target.events(after: 0, limit: 1000, component: nil)
        #expect(copied == (try source.events(after: 0, limit: 1000)))
        #expect(Set(copied.map(\.actor)) == ["carol", "dave"])
        let folded = try await target.foldEvents()
        #expect(folded == (try source.projection()))
        #expect(folded.states.count == 3)
        #expect(try await target.projection() == folded, "the copy stores the projection folded from it")
        // The next append goes on after the copied ids.
        #expect(try await target.append(NewEvent(.releaseTagged, component: "web", environment: "staging")).id == 12)

        let again = await #expect(throws: SlipwayError.self) { try await target.copy(from: source) }
        #expect(again?.message.contains("already holds 12 events: migrate only into a store with none") == true)
        #expect(again?.exitCode == 2)
        #expect(try await target.latestEventID() == 12)
    }

    /// A source that gives one page of events and then fails, as a store that breaks mid-copy.
    struct BreakingLog: EventLog {
        let events: [Event]
        var location: String { "breaking" }
        func append(_ events: [NewEvent]) async throws(SlipwayError) -> [Event] { [] }
        func events(after id: Int64, limit: Int, component: String?) async throws(SlipwayError) -> [Event] {
            guard id == 0 else { throw SlipwayError.failure("the source broke") }
            return events
        }
        func latestEventID() async throws(SlipwayError) -> Int64 { events.last?.id ?? 0 }
        func follow(after id: Int64, component: String?) -> AsyncThrowingStream<Event, any Error> { AsyncThrowingStream { $0.finish() } }
    }

    @Test func aMigrationThatFailsHalfwayLeavesNothing() async throws {
        let folder = try TemporaryWorkspace()
        let source = try SQLiteStore(path: folder.statePath, actor: "carol")
        for index in 0..<400 { try source.append(Self.deploy("api", "v\(index)", run: "r\(index)")) }
        let page = try source.events(after: 0, limit: 1000)
        let url = try await PostgresCluster.shared().createDatabase()
        let target = try await PostgresEventStore.open(StoreURL(url, name: "test"))

        let error = await #expect(throws: SlipwayError.self) { try await target.copy(from: BreakingLog(events: page)) }
        #expect(error?.message == "the source broke")
        #expect(try await target.latestEventID() == 0)
        #expect(try await target.copy(from: source) == 1200)
    }

    @Test func aFollowerWhoseConnectionIsKilledMissesAndRepeatsNothing() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let application = "follower_\(PostgresCluster.databaseName(of: url).suffix(8))"
        let notices = NoticeLog()
        let follower = try await PostgresEventStore.open(
            StoreURL(url + "&application_name=\(application)", name: "test"), pollInterval: .milliseconds(200),
            notice: { notices.add($0) })
        let appender = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        let events = follower.follow(after: 0, component: nil)
        let writes = Task {
            for index in 0..<60 {
                try await appender.append([NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "v\(index)"))])
                if index == 20 || index == 40 {
                    try await Self.terminateBackends(of: application, in: cluster)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let seen = try await Self.take(60, from: events)
        try await writes.value
        #expect(seen.map(\.id) == Array(1...60))
        #expect(notices.lines.contains { $0.contains("lost the store's listening connection") })
        #expect(notices.lines.contains { $0.contains("listening to the store at") && $0.contains("again") })
    }

    @Test func aStoreKeepsItsConnectionAndReplacesOneTheServerClosed() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let application = "kept_\(PostgresCluster.databaseName(of: url).suffix(8))"
        let store = try await PostgresEventStore.open(StoreURL(url + "&application_name=\(application)", name: "test"))
        func backends() async throws -> Int {
            try await cluster.strings("SELECT pid::text FROM pg_stat_activity WHERE application_name = '\(application)'", database: "postgres").count
        }
        for index in 0..<5 {
            try await store.append(NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "v\(index)")))
        }
        #expect(try await store.latestEventID() == 5)
        #expect(try await backends() == 1)

        // Killed while idle: the next append and the next read each go on, on a new connection.
        try await Self.terminateBackends(of: application, in: cluster)
        let appended = try await store.append(NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "v5")))
        #expect(appended.id == 6)
        try await Self.terminateBackends(of: application, in: cluster)
        #expect(try await store.events(after: 0, limit: 100, component: nil).map(\.id) == Array(1...6))
        #expect(try await backends() == 1)
    }

    enum LastingRefusal: String, CaseIterable, Sendable { case revokedRead, droppedSchema }

    @Test(arguments: LastingRefusal.allCases)
    func aFollowerEndsOnARefusalThatLasts(refusal: LastingRefusal) async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let appender = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        let role = try await cluster.createEventReader(of: database)
        let notices = NoticeLog()
        let viewer = try await PostgresEventStore.open(
            StoreURL(url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(role)@"), name: "test"),
            pollInterval: .milliseconds(100), notice: { notices.add($0) })
        let events = viewer.follow(after: 0, component: nil)
        try await appender.append(Self.deploy("api", "v1"))
        let seen = NoticeLog()
        let ended = Task {
            do {
                for try await event in events { seen.add(String(event.id)) }
                return nil as SlipwayError?
            } catch {
                return error as? SlipwayError
            }
        }
        // Its rights go once it has read the first three.
        let deadline = Date().addingTimeInterval(60)
        while seen.lines.count < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(seen.lines == ["1", "2", "3"])
        switch refusal {
        case .revokedRead:
            try await cluster.execute("REVOKE SELECT ON slipway.events FROM \(role)", database: database)
            try await appender.append(Self.deploy("api", "v2"))
        case .droppedSchema:
            try await cluster.execute("DROP SCHEMA slipway CASCADE", database: database)
            try await cluster.execute("NOTIFY \(PostgresEventStore.channel), '4'", database: database)
        }
        let outcome = try await Self.end(of: ended)
        #expect(seen.lines == ["1", "2", "3"])
        let error = try #require(outcome, "the follower ended without an error")
        #expect(error.exitCode == 1)
        #expect(!error.message.contains("\n"))
        #expect(error.message.hasPrefix("stopped following the store: store postgres://\(role)@/"), "\(error.message)")
        switch refusal {
        case .revokedRead: #expect(error.message.contains("permission denied for table events (SQLSTATE 42501)"), "\(error.message)")
        case .droppedSchema: #expect(error.message.contains("(SQLSTATE 42P01)"), "\(error.message)")
        }
        #expect(!notices.lines.contains { $0.contains("lost the store's listening connection") }, "\(notices.lines)")
    }

    /// The refusal came before the follower listened: its listener cannot read the newest id,
    /// so no change is ever told, and the follower's own quiet-time read ends it (it waited
    /// forever before).
    @Test func aFollowerRefusedBeforeItListensEndsToo() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let appender = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        try await appender.append(Self.deploy("api", "v1"))
        let role = try await cluster.createEventReader(of: database)
        let viewer = try await PostgresEventStore.open(
            StoreURL(url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(role)@"), name: "test"),
            pollInterval: .milliseconds(100))
        try await cluster.execute("REVOKE SELECT ON slipway.events FROM \(role)", database: database)
        let events = viewer.follow(after: 3, component: nil)
        let ended = Task {
            do {
                for try await _ in events {}
                return nil as SlipwayError?
            } catch {
                return error as? SlipwayError
            }
        }
        let outcome = try await Self.end(of: ended)
        let error = try #require(outcome, "the follower ended without an error")
        #expect(error.message.contains("permission denied for table events (SQLSTATE 42501)"), "\(error.message)")
    }

    /// How the follower of `ended` ended (nil: without an error), waiting at most 60 s for it.
    static func end(of ended: Task<SlipwayError?, Never>) async throws -> SlipwayError? {
        try await withThrowingTaskGroup(of: SlipwayError??.self) { group in
            group.addTask { await ended.value }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            ended.cancel()
            return try #require(first, "the follower did not end within 60 s")
        }
    }

    /// Ends every backend of `application` (waiting until one is there to end).
    static func terminateBackends(of application: String, in cluster: PostgresCluster) async throws {
        for _ in 0..<100 {
            let ended = try await cluster.strings(
                "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '\(application)'",
                database: "postgres")
            if !ended.isEmpty { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no backend of \(application) to terminate")
    }
}

final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
