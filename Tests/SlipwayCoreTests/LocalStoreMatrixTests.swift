import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The local target's slots, routes and processes, live probes, platform readings and canaries
/// with their commands, on both stores: what one handle saves another reads back as saved.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct LocalStoreMatrixTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    static func slot(
        _ component: String, _ color: String, version: String = "v1", pid: Int32 = 4242, state: SlotState = .running,
        restarts: Int = 0, retireAt: Date? = nil
    ) -> SlotRecord {
        SlotRecord(
            component: component, environment: "staging", color: color, version: version, port: 9100, pid: pid,
            pidStartTime: "12345", host: "build-1", directory: "/srv/\(component)", command: #"["./serve","--port","9100"]"#,
            variables: #"{"MODE":"staging"}"#, logPath: "/srv/\(component)/\(color).log", state: state, restarts: restarts,
            startedAt: start, retireAt: retireAt)
    }

    static func canary(_ component: String, runID: String = "r1", progress: CanaryProgress? = nil, at time: Date = start) -> CanaryRecord {
        CanaryRecord(
            component: component, environment: "staging", runID: runID, version: "v2", canaryColor: "green", stableColor: "blue",
            progress: progress ?? CanaryProgress(policy: CanaryPolicy(monitoringPeriod: 180, interval: 60), startedAt: start),
            updatedAt: time)
    }

    // MARK: Slots, routes and processes

    @Test(arguments: StoreKind.allCases)
    func slotsReadBackInKeyOrderAndASaveReplacesItsColoursSlot(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let web = Self.slot("web", "blue")
        let apiGreen = Self.slot("api", "green", retireAt: Self.start + 300)
        let apiBlue = Self.slot("api", "blue")
        for slot in [web, apiGreen, apiBlue] { try store.save(slot) }
        #expect(try other.slots() == [apiBlue, apiGreen, web])

        let restarted = Self.slot("api", "green", version: "v2", pid: 5151, state: .crashed, restarts: 3)
        try other.save(restarted)
        #expect(try store.slots() == [apiBlue, restarted, web], "the green slot of api replaced, its retirement cleared")
    }

    @Test(arguments: StoreKind.allCases)
    func routesReadBackInKeyOrderAndASaveReplacesTheComponentsRoute(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let web = RouteRecord(component: "web", environment: "staging", host: "127.0.0.1", port: 8080, liveColor: nil, greenWeight: 0)
        let api = RouteRecord(component: "api", environment: "staging", host: "127.0.0.1", port: 8081, liveColor: "blue", greenWeight: 0)
        try store.save(web)
        try store.save(api)
        #expect(try other.routes() == [api, web])

        let switched = RouteRecord(component: "web", environment: "staging", host: "0.0.0.0", port: 8090, liveColor: "green", greenWeight: 25)
        try other.save(switched)
        #expect(try store.routes() == [api, switched])
    }

    @Test(arguments: StoreKind.allCases)
    func processesAreKeptByRoleReplacedAndDeleted(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let router = ProcessRecord(role: "router", identity: ProcessIdentity(host: "build-1", pid: 300, startTime: "3"), socket: "/tmp/r.sock")
        let agent = ProcessRecord(role: "agent", identity: ProcessIdentity(host: "build-1", pid: 200, startTime: "2"), socket: "/tmp/a.sock")
        let moto = ProcessRecord(role: ProcessRecord.standInRole("moto"), identity: ProcessIdentity(host: "build-1", pid: 400, startTime: "4"), socket: "")
        for process in [router, agent, moto] { try store.save(process) }
        #expect(try other.processes() == [agent, router, moto])
        #expect(try other.process(role: "agent", on: "build-1") == agent)
        #expect(try other.process(role: "nobody", on: "build-1") == nil)

        // Keyed by host and role: an agent of another host would be a row of its own (HostStoreMatrixTests).
        let restarted = ProcessRecord(role: "agent", identity: ProcessIdentity(host: "build-1", pid: 201, startTime: "9"), socket: "/tmp/b.sock")
        try other.save(restarted)
        #expect(try store.process(role: "agent", on: "build-1") == restarted)
        try store.deleteProcess(role: "router", on: "build-1")
        try store.deleteProcess(role: "nobody", on: "build-1")
        #expect(try other.processes() == [restarted, moto])
    }

    // MARK: Live health and platform readings

    @Test(arguments: StoreKind.allCases)
    func aLiveProbeReplacesTheOneBefore(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let web = LiveProbe(component: "web", environment: "staging", checkedAt: Self.start, healthy: true)
        let api = LiveProbe(component: "api", environment: "staging", checkedAt: Self.start, healthy: true)
        try store.save(web)
        try store.save(api)
        let sick = LiveProbe(component: "web", environment: "staging", checkedAt: Self.start + 15.5, healthy: false)
        try other.save(sick)
        // The embedded store lists probes in no promised order.
        #expect(try store.liveProbes().sorted { $0.component < $1.component } == [api, sick])
    }

    @Test(arguments: StoreKind.allCases)
    func aPlatformReadingRoundTripsAndReplacesTheOneBefore(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let reading = PlatformReading(
            component: "edge", environment: "production", readAt: Self.start, source: "CloudWatch", windowStart: Self.start - 300,
            windowEnd: Self.start,
            shares: [
                PlatformShare(name: "blue", version: "v1", percent: 90, requests: 1000, failures: 2, p95Milliseconds: 120.5),
                PlatformShare(name: "green", percent: 10),
            ],
            note: "per colour")
        try store.save(reading)
        #expect(try other.platformReadings() == [reading])

        let refused = PlatformReading(
            component: "edge", environment: "production", readAt: Self.start + 60, source: "CloudWatch",
            windowStart: Self.start - 240, windowEnd: Self.start + 60, shares: [], problem: "credentials refused")
        try other.save(refused)
        #expect(try store.platformReadings() == [refused])
    }

    /// The shares column holds the same text on both stores (GRDB's JSON, keys sorted), so a
    /// store's readings can be copied from one to the other.
    @Test(arguments: StoreKind.allCases)
    func aReadingsSharesAreStoredAsTheEmbeddedStoresJSON(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, _) = try await kind.open(in: folder)
        try store.save(PlatformReading(
            component: "edge", environment: "production", readAt: Self.start, source: "Workers analytics",
            windowStart: Self.start - 300, windowEnd: Self.start,
            shares: [PlatformShare(name: "v7", version: "v1.2.0", percent: 100, requests: 5, p95Milliseconds: 31.25)]))
        let stored = try await Self.texts("SELECT shares FROM slipway.platform_readings", kind: kind, store: store, folder: folder)
        #expect(stored == [#"[{"name":"v7","p95_ms":31.25,"percent":100,"requests":5,"version":"v1.2.0"}]"#])
    }

    // MARK: Canaries

    @Test(arguments: StoreKind.allCases)
    func canariesReadBackByKeyAndASaveReplacesTheComponentsCanary(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let web = Self.canary("web")
        let api = Self.canary("api")
        try store.save(web)
        try store.save(api)
        #expect(try other.canaries() == [api, web])
        #expect(try other.canary(component: "web", environment: "staging") == web)
        #expect(try other.canary(component: "web", environment: "production") == nil)

        var progress = try #require(web.decodedProgress)
        _ = progress.promote()
        let promoted = Self.canary("web", runID: "r2", progress: progress, at: Self.start + 120)
        try other.save(promoted)
        #expect(try store.canaries() == [api, promoted])
    }

    @Test(arguments: StoreKind.allCases)
    func savesWithAnEventAppendItMaskedAndSavesWithoutAppendNothing(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder, masker: SecretMasker(values: ["hunter2-secret"]))
        let said = EventDetails(reason: "token hunter2-secret")
        try store.save(Self.slot("api", "blue"), event: NewEvent(.slotStarted, component: "api", environment: "staging", details: said))
        try store.save(
            RouteRecord(component: "api", environment: "staging", host: "127.0.0.1", port: 8081, liveColor: "blue", greenWeight: 0),
            event: NewEvent(.trafficSwitched, component: "api", environment: "staging", details: said))
        try store.save(Self.canary("api"), event: NewEvent(.canaryChanged, component: "api", environment: "staging", details: said))
        try store.save(Self.slot("api", "green"))
        try store.save(RouteRecord(component: "web", environment: "staging", host: "127.0.0.1", port: 8082, liveColor: nil, greenWeight: 0))
        try store.save(Self.canary("web"))

        let events = try other.events(after: 0, limit: 100, component: nil)
        #expect(events.map(\.kind) == ["slot.started", "traffic.switched", "canary.changed"])
        #expect(events.allSatisfy { !$0.payload.contains("hunter2-secret") && $0.payload.contains(SecretMasker.mask) })
        #expect(try other.slots().count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func aCanaryCommandIsRefusedUnlessItsCanaryIsInProgress(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, _) = try await kind.open(in: folder)
        let refusal = SlipwayError(.noCanaryInProgress(component: "api", environment: "staging"))
        #expect(throws: refusal, "no canary") { try store.request(.pause, component: "api", environment: "staging") }

        try store.save(Self.canary("api", runID: "gone"))
        #expect(throws: refusal, "its run is not in the store") { try store.request(.pause, component: "api", environment: "staging") }

        try await Self.recordRun("done", state: .succeeded, kind: kind, store: store, folder: folder)
        try store.save(Self.canary("api", runID: "done"))
        #expect(throws: refusal, "its run finished") { try store.request(.pause, component: "api", environment: "staging") }

        try await Self.recordRun("live", state: .running, kind: kind, store: store, folder: folder)
        var progress = try #require(Self.canary("api").decodedProgress)
        _ = progress.promote()
        try store.save(Self.canary("api", runID: "live", progress: progress))
        #expect(throws: refusal, "its progress finished") { try store.request(.pause, component: "api", environment: "staging") }

        try store.save(Self.canary("api", runID: "live"))
        try store.request(.pause, component: "api", environment: "staging")
        #expect(try store.takeCanaryCommands(component: "api", environment: "staging").map(\.command) == [.pause])
    }

    @Test(arguments: StoreKind.allCases)
    func queuedCommandsAreTakenOnceOldestFirstWithWhoAskedAndOnlyTheCanarysOwn(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try await Self.recordRun("live", state: .running, kind: kind, store: store, folder: folder)
        try store.save(Self.canary("api", runID: "live"))
        try store.save(Self.canary("web", runID: "live"))
        for command in [CanaryCommand.Kind.pause, .resume, .promote] {
            try store.request(command, component: "api", environment: "staging")
        }
        try store.request(.abort, component: "web", environment: "staging")

        let taken = try other.takeCanaryCommands(component: "api", environment: "staging")
        #expect(taken.map(\.command) == [.pause, .resume, .promote])
        #expect(taken.allSatisfy { $0.actor == store.actor && $0.component == "api" && $0.id != nil })
        #expect(taken.map(\.requestedAt) == taken.map(\.requestedAt).sorted())
        #expect(try store.takeCanaryCommands(component: "api", environment: "staging").isEmpty)
        #expect(try store.takeCanaryCommands(component: "web", environment: "staging").map(\.command) == [.abort])
    }

    /// Two agents (two handles) taking while commands are queued: each command is taken by one of them.
    @Test(arguments: StoreKind.allCases)
    func twoHandlesTakingAtOnceEachTakeACommandOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try await Self.recordRun("live", state: .running, kind: kind, store: store, folder: folder)
        try store.save(Self.canary("api", runID: "live"))
        // Signalled once for each taker when every command is queued.
        let queued = DispatchSemaphore(value: 0)
        async let first = Self.takeUntilQueued(store, queued: queued)
        async let second = Self.takeUntilQueued(other, queued: queued)
        let count = 40
        for index in 0..<count {
            try store.request(CanaryCommand.Kind.allCases[index % 4], component: "api", environment: "staging")
        }
        queued.signal()
        queued.signal()
        let (one, two) = try await (first, second)

        let ids = (one + two).compactMap(\.id)
        #expect(ids.count == count)
        #expect(Set(ids).count == count, "no command taken twice")
        #expect(one.compactMap(\.id) == one.compactMap(\.id).sorted() && two.compactMap(\.id) == two.compactMap(\.id).sorted(), "each took them oldest first")
        #expect((one + two).sorted { ($0.id ?? 0) < ($1.id ?? 0) }.map(\.command) == (0..<count).map { CanaryCommand.Kind.allCases[$0 % 4] })
    }

    /// A value a newer Slipway wrote (a slot state, a command this one does not know) fails the
    /// read in one line naming the store, and takes nothing.
    @Test(arguments: StoreKind.allCases)
    func aValueANewerSlipwayWroteFailsTheReadInOneLine(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.save(Self.slot("api", "blue"))
        try await Self.execute("UPDATE slipway.slots SET state = 'hibernating'", kind: kind, store: store, folder: folder)
        try await Self.execute("""
            INSERT INTO slipway.canary_commands (component, environment, command, actor, requested_at)
            VALUES ('api', 'staging', 'rewind', 'tester', '2025-06-15 15:06:40.000')
            """, kind: kind, store: store, folder: folder)

        for read in [{ _ = try other.slots() }, { _ = try other.takeCanaryCommands(component: "api", environment: "staging") }] {
            let error = try #require(throws: SlipwayError.self) { try read() }
            guard case .store(let path, .failed, _) = error.reason else {
                Issue.record("not a store failure: \(error)")
                continue
            }
            #expect(path == store.location)
            #expect(!error.message.contains("\n"))
        }
        let left = try await Self.texts("SELECT command FROM slipway.canary_commands", kind: kind, store: store, folder: folder)
        #expect(left == ["rewind"], "the failed take took nothing")
    }

    // MARK: Helpers

    /// Takes `store`'s commands for api in staging on a thread of its own (the calls block) until
    /// `queued` says every command is in, then once more.
    static func takeUntilQueued(_ store: any EventStore, queued: DispatchSemaphore) async throws -> [CanaryCommand] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var taken: [CanaryCommand] = []
                do {
                    while true {
                        let last = queued.wait(timeout: .now()) == .success
                        taken += try store.takeCanaryCommands(component: "api", environment: "staging")
                        if last { break }
                    }
                    continuation.resume(returning: taken)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Records a run straight in the store's database, as `begin` would: this suite shows the
    /// canaries' part, not how runs begin.
    static func recordRun(_ id: String, state: RunState, kind: StoreKind, store: any EventStore, folder: TemporaryWorkspace) async throws {
        try await execute("""
            INSERT INTO slipway.runs (id, kind, component, environment, version, state, actor, origin, host, pid, pid_start_time, started_at, heartbeat_at)
            VALUES ('\(id)', 'deploy', 'api', 'staging', 'v2', '\(state.rawValue)', 'tester', 'test', 'build-1', 1, '1',
                    '2025-06-15 15:06:40.000', '2025-06-15 15:06:40.000')
            """, kind: kind, store: store, folder: folder)
    }

    /// Runs `sql` (its tables named in the `slipway.` schema) on the store's database as another program would.
    static func execute(_ sql: String, kind: StoreKind, store: any EventStore, folder: TemporaryWorkspace) async throws {
        _ = try await texts(sql, kind: kind, store: store, folder: folder, returning: false)
    }

    /// The first column of what `sql` returns, read from the store's database as another program would.
    static func texts(
        _ sql: String, kind: StoreKind, store: any EventStore, folder: TemporaryWorkspace, returning: Bool = true
    ) async throws -> [String?] {
        switch kind {
        case .sqlite:
            let script = """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                rows = db.execute(sys.argv[2]).fetchall()
                db.commit()
                for row in rows: print(row[0])
                """
            let sql = sql.replacingOccurrences(of: "slipway.", with: "")
            let result = try folder.run("/usr/bin/env", ["python3", "-c", script, folder.statePath.path, sql])
            try #require(result.status == 0, "\(result.output)")
            return result.output.split(separator: "\n").map { String($0) }
        case .postgres:
            let cluster = try PostgresCluster.shared()
            let database = PostgresCluster.databaseName(of: try #require(store as? PostgresStore).log.url.text)
            if returning { return try await cluster.strings(sql, database: database) }
            try await cluster.execute(sql, database: database)
            return []
        }
    }
}
