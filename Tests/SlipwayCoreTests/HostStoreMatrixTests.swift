import Foundation
import GRDB
import PostgresNIO
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// Agents of several hosts on one store: each host's slots, routes, processes and live probes
/// are its own (the same component, environment and colour on two hosts are two rows), and the
/// registry says which hosts are up. On both stores, and both stores' upgrades keep each row's host.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct HostStoreMatrixTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    static func slot(_ host: String, _ color: String = "blue", pid: Int32 = 4242, port: Int = 9100) -> SlotRecord {
        SlotRecord(
            component: "web", environment: "staging", color: color, version: "v1", port: port, pid: pid, pidStartTime: "1",
            host: host, directory: "/srv/web", command: #"["./serve"]"#, variables: "{}", logPath: "/srv/web/\(color).log",
            state: .running, restarts: 0, startedAt: start)
    }

    static func route(_ host: String, port: Int, live: String? = "blue") -> RouteRecord {
        RouteRecord(component: "web", environment: "staging", host: "127.0.0.1", port: port, liveColor: live, greenWeight: 0, hostName: host)
    }

    // MARK: Local records per host

    @Test(arguments: StoreKind.allCases)
    func twoHostsSlotsOfOneColourCoexistAndEachHostReadsItsOwn(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let onA = Self.slot("a", pid: 100, port: 9100)
        let onB = Self.slot("b", pid: 200, port: 9200)
        try store.save(onA)
        try other.save(onB)
        #expect(try store.slots(on: .host("a")) == [onA])
        #expect(try store.slots(on: .host("b")) == [onB])
        #expect(try other.slots() == [onA, onB], "every host's, for status")

        var stopped = onB
        stopped.state = .stopped
        try store.save(stopped)
        #expect(try other.slots(on: .host("a")) == [onA], "host b's save left host a's slot alone")
        #expect(try other.slots(on: .host("b")) == [stopped])
    }

    @Test(arguments: StoreKind.allCases)
    func twoHostsRoutesOfOneComponentCoexist(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.save(Self.route("a", port: 8080))
        try store.save(Self.route("b", port: 8090))
        try other.save(Self.route("b", port: 8091, live: "green"))
        #expect(try store.routes(on: .host("a")) == [Self.route("a", port: 8080)])
        #expect(try store.routes(on: .host("b")) == [Self.route("b", port: 8091, live: "green")])
        #expect(try store.routes().map(\.hostName) == ["a", "b"])
    }

    @Test(arguments: StoreKind.allCases)
    func eachHostHasItsOwnAgentAndRouterAndDeletesOnlyItsOwn(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        func process(_ role: String, _ host: String, _ pid: Int32) -> ProcessRecord {
            ProcessRecord(role: role, identity: ProcessIdentity(host: host, pid: pid, startTime: "1"), socket: "/tmp/\(host).sock")
        }
        for record in [process("agent", "a", 10), process("router", "a", 11), process("agent", "b", 20), process("router", "b", 21)] {
            try store.save(record)
        }
        #expect(try other.process(role: "router", on: "a") == process("router", "a", 11))
        #expect(try other.process(role: "router", on: "b") == process("router", "b", 21))
        #expect(try other.processes(on: .host("b")) == [process("agent", "b", 20), process("router", "b", 21)])
        #expect(try other.processes().count == 4)

        try other.deleteProcess(role: "router", on: "b")
        #expect(try store.process(role: "router", on: "b") == nil)
        #expect(try store.process(role: "router", on: "a") == process("router", "a", 11), "host a's router stays")
    }

    @Test(arguments: StoreKind.allCases)
    func eachHostKeepsItsOwnLatestProbe(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let onA = LiveProbe(component: "web", environment: "staging", checkedAt: Self.start, healthy: true, host: "a")
        let onB = LiveProbe(component: "web", environment: "staging", checkedAt: Self.start + 1, healthy: false, host: "b")
        try store.save(onA)
        try other.save(onB)
        #expect(try store.liveProbes(on: .host("a")) == [onA])
        #expect(try store.liveProbes() == [onA, onB])
    }

    @Test(arguments: StoreKind.allCases)
    func recoveringAnAgentsRecordsKeepsTheirHost(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.save(Self.slot("a", pid: 100))
        let router = ProcessRecord(role: "router", identity: ProcessIdentity(host: "b", pid: 21, startTime: "1"), socket: "/tmp/b.sock")
        _ = try store.recover(
            AgentRecords(routes: [Self.route("b", port: 8090)], slots: [Self.slot("b", pid: 200)], router: router), reason: "handed over")
        #expect(try other.slots().map(\.host) == ["a", "b"])
        #expect(try other.routes(on: .host("b")) == [Self.route("b", port: 8090)])
        #expect(try other.process(role: "router", on: "b") == router)
    }

    // MARK: The registry

    @Test(arguments: StoreKind.allCases)
    func aHostIsUpWhileItsHeartbeatIsFreshAndUntilItStops(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let a = HostRecord(host: "a", pid: 10, pidStartTime: "1", version: "0.1.0", startedAt: Self.start, lastSeen: Self.start)
        let b = HostRecord(host: "b", pid: 20, pidStartTime: "2", version: "0.1.0", startedAt: Self.start, lastSeen: Self.start)
        try store.recordHeartbeat(of: b)
        try store.recordHeartbeat(of: a)
        try other.recordHeartbeat(of: a.seen(at: Self.start + 10))
        #expect(try store.hosts() == [a.seen(at: Self.start + 10), b])

        let now = Self.start + 20
        #expect(try store.hosts().map { $0.isUp(at: now) } == [true, false], "b was last seen 20 s ago, past 15 s")
        #expect(b.isUp(at: Self.start + 14.9))

        try other.recordHeartbeat(of: a.stopped(at: Self.start + 12))
        let stopped = try #require(try store.hosts().first)
        #expect(stopped.stoppedAt == Self.start + 12 && !stopped.isUp(at: Self.start + 12))
        let summaries = HostSummary.summaries(
            hosts: try store.hosts(), routes: [Self.route("c", port: 8080)], slots: [Self.slot("b")], now: Self.start + 13)
        #expect(summaries.map(\.host) == ["a", "b", "c"])
        #expect(summaries.map(\.state) == [.stopped, .up, .down], "c only named by a route: never seen")
        #expect(summaries.map(\.slots.count) == [0, 1, 0])
    }

    // MARK: Upgrades

    /// A v11 store (one host's rows, keyed without host) is upgraded with every row kept: slots
    /// and processes already named their host, and a route and a probe take the router's.
    @Test func theEmbeddedStoresUpgradeKeepsEveryRowWithItsHost() throws {
        let folder = try TemporaryWorkspace()
        try FileManager.default.createDirectory(at: folder.statePath.deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder.statePath.path)
        try StoreSchema.migrator.migrate(queue, upTo: "v11-request-executor-host")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO slots (component, environment, color, version, port, pid, pid_start_time, host, directory, command,
                                   variables, log_path, state, restarts, started_at)
                VALUES ('web', 'staging', 'blue', 'v1', 9100, 4242, '1', 'build-1', '/srv', '[]', '{}', '/srv/b.log', 'running', 0,
                        '2025-06-15 15:06:40.000');
                INSERT INTO routes (component, environment, host, port, live_color, green_weight)
                VALUES ('web', 'staging', '127.0.0.1', 8080, 'blue', 0);
                INSERT INTO processes (role, pid, pid_start_time, host, socket) VALUES ('router', 11, '1', 'build-1', '/tmp/r.sock');
                INSERT INTO processes (role, pid, pid_start_time, host, socket) VALUES ('agent', 10, '1', 'build-1', '/tmp/a.sock');
                INSERT INTO live_health (component, environment, checked_at, healthy) VALUES ('web', 'staging', '2025-06-15 15:06:40.000', 1);
                """)
        }
        try queue.close()

        let store = try SQLiteStore(path: folder.statePath)
        #expect(try store.slots(on: .host("build-1")).map(\.color) == ["blue"])
        #expect(try store.routes(on: .host("build-1")).map(\.port) == [8080])
        #expect(try store.processes(on: .host("build-1")).map(\.role) == ["agent", "router"])
        #expect(try store.liveProbes(on: .host("build-1")).map(\.healthy) == [true])
        #expect(try store.hosts().isEmpty)
        try store.save(Self.slot("build-2"))
        #expect(try store.slots().map(\.host) == ["build-1", "build-2"], "keyed by host from now on")
    }

    @Test func theSharedStoresUpgradeKeepsEveryRowWithItsHost() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let connection = try await cluster.connect(database: database)
        do {
            #expect(try await PostgresStoreSchema.migrate(connection, logger: PostgresCluster.logger, upTo: 3) == 3)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        for row in [
            """
            INSERT INTO slipway.slots (component, environment, color, version, port, pid, pid_start_time, host, directory, command,
                                       variables, log_path, state, restarts, started_at)
            VALUES ('web', 'staging', 'blue', 'v1', 9100, 4242, '1', 'build-1', '/srv', '[]', '{}', '/srv/b.log', 'running', 0, now())
            """,
            "INSERT INTO slipway.routes (component, environment, host, port, live_color, green_weight) VALUES ('web', 'staging', '127.0.0.1', 8080, 'blue', 0)",
            "INSERT INTO slipway.processes (role, pid, pid_start_time, host, socket) VALUES ('router', 11, '1', 'build-1', '/tmp/r.sock')",
            "INSERT INTO slipway.live_health (component, environment, checked_at, healthy) VALUES ('web', 'staging', now(), true)",
        ] {
            try await cluster.execute(row, database: database)
        }

        let store = try await PostgresStore.open(StoreURL(url, name: "test"))
        #expect(try await cluster.strings("SELECT max(version)::text FROM slipway.schema_versions", database: database) == ["\(PostgresStoreSchema.latest)"])
        #expect(try store.slots(on: .host("build-1")).map(\.color) == ["blue"])
        #expect(try store.routes(on: .host("build-1")).map(\.port) == [8080])
        #expect(try store.process(role: "router", on: "build-1")?.pid == 11)
        #expect(try store.liveProbes(on: .host("build-1")).map(\.healthy) == [true])
        try store.save(Self.slot("build-2"))
        try store.save(Self.route("build-2", port: 8090))
        #expect(try store.slots().map(\.host) == ["build-1", "build-2"], "keyed by host from now on")
        #expect(try store.routes().map(\.hostName) == ["build-1", "build-2"])
    }
}
