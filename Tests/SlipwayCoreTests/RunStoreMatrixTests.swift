import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Runs, deploy locks, output, requests and the pipeline's reads behave alike on SQLite and on
/// PostgreSQL, through the engine's store and a second handle as another process has it.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct RunStoreMatrixTests {
    /// Whole seconds: both stores keep times to the millisecond or finer.
    static let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    static let deploy = RunRequest.deploy(.init(component: "accounts", kind: .service, environment: "staging", version: nil, force: false))
    /// A process no machine runs: the pid is above any pid_max.
    static let gone = ProcessIdentity(host: ProcessIdentity.hostName, pid: 2_000_000_000, startTime: "1")

    static func run(
        _ id: String, kind: RunKind = .deploy, component: String? = "accounts", environment: String? = "staging",
        process: ProcessIdentity = .current, at time: Date = start, heartbeat: Date? = nil
    ) -> RunRecord {
        RunRecord(
            id: id, kind: kind, component: component, environment: environment, version: "v1", state: .running,
            actor: "alice", origin: "test", host: process.host, pid: process.pid, pidStartTime: process.startTime,
            startedAt: time, heartbeatAt: heartbeat ?? time)
    }

    static func begin(_ run: RunRecord, in store: any EventStore, commit: String? = nil) throws {
        try store.begin(run, lock: run.kind == .deploy, details: EventDetails(runKind: run.kind, version: run.version, commit: commit))
    }

    /// The store's events of `kind`, oldest first.
    static func events(_ kind: EventKind, in store: any EventStore) throws -> [Event] {
        try store.events(after: 0, limit: 1000, component: nil).filter { $0.kind == kind.rawValue }
    }

    // MARK: Runs and locks

    @Test(arguments: StoreKind.allCases)
    func aLockHeldByALiveRunRefusesAndTheRefusalIsInTheAudit(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        #expect(throws: SlipwayError(.unknownRun("nope"))) { try store.run(id: "nope") }
        #expect(throws: SlipwayError(.unknownRun("nope"))) { try store.requestCancel(runID: "nope") }
        #expect(throws: SlipwayError(.unknownRequest("nope"))) { try store.request(id: "nope") }
        #expect(try store.runIfBegun(id: "nope") == nil)

        let first = Self.run("r1")
        try Self.begin(first, in: store)
        #expect(try other.run(id: "r1") == first, "the run reads back as begun, from another handle")
        let lock = try #require(try other.lock(component: "accounts", environment: "staging"))
        #expect(lock.runID == "r1" && lock.actor == "alice" && lock.acquiredAt == Self.start)
        #expect(try other.lock(component: "accounts", environment: "production") == nil)

        let refused = #expect(throws: SlipwayError.self) { try Self.begin(Self.run("r2", at: Self.start + 1), in: other) }
        guard case .lockHeld(let holder)? = refused?.reason else {
            Issue.record("expected a held lock, got \(String(describing: refused))")
            return
        }
        let me = ProcessIdentity.current
        #expect(holder.component == "accounts" && holder.environment == "staging" && holder.runID == "r1" && holder.actor == "alice")
        #expect(holder.pid == me.pid && holder.host == me.host && holder.since == Self.start)
        #expect(try other.runIfBegun(id: "r2") == nil, "a refused run does not begin")
        let refusal = try #require(try Self.events(.deployRefused, in: store).first)
        #expect(refusal.runID == "r2" && refusal.details?.reason == refused?.message)
        #expect(try Self.events(.runStarted, in: store).map(\.runID) == ["r1"])
    }

    @Test(arguments: StoreKind.allCases)
    func aRunOfAnotherHostWhoseHeartbeatIsStaleIsReapedAndItsLockFreed(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let elsewhere = ProcessIdentity(host: "build-7.elsewhere.example", pid: ProcessIdentity.current.pid, startTime: "1")
        let now = Date()
        try Self.begin(Self.run("r1", process: elsewhere, at: now - 120, heartbeat: now - 60), in: store)

        try Self.begin(Self.run("r2", at: now), in: other)
        let reaped = try store.run(id: "r1")
        #expect(reaped.state == .interrupted && reaped.finishedAt != nil)
        #expect(reaped.reason == "its host build-7.elsewhere.example stopped answering (no heartbeat for 15 s)")
        #expect(try store.lock(component: "accounts", environment: "staging")?.runID == "r2")
        let finished = try #require(try Self.events(.runFinished, in: store).first)
        #expect(finished.runID == "r1" && finished.details?.outcome == "interrupted")
        #expect(try store.reapInterruptedRuns().isEmpty, "nothing is left to reap")
    }

    @Test(arguments: StoreKind.allCases)
    func aRunOfAnotherHostWhoseHeartbeatIsFreshKeepsItsLock(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let elsewhere = ProcessIdentity(host: "build-7.elsewhere.example", pid: ProcessIdentity.current.pid, startTime: "1")
        let now = Date()
        try Self.begin(Self.run("r1", process: elsewhere, at: now - 120, heartbeat: now), in: store)

        let refused = #expect(throws: SlipwayError.self) { try Self.begin(Self.run("r2", at: now), in: other) }
        guard case .lockHeld(let holder)? = refused?.reason else {
            Issue.record("expected a held lock, got \(String(describing: refused))")
            return
        }
        #expect(holder.runID == "r1" && holder.host == "build-7.elsewhere.example")
        #expect(try other.reapInterruptedRuns().isEmpty)
        #expect(try store.run(id: "r1").state == .running)
    }

    @Test(arguments: StoreKind.allCases)
    func aRunOfThisHostWhoseProcessIsGoneIsReaped(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try Self.begin(Self.run("r2", component: "billing"), in: store)
        try Self.begin(Self.run("r1", process: Self.gone), in: store)

        #expect(try other.reapInterruptedRuns().map(\.id) == ["r1"], "a live process's run stays, whatever its heartbeat")
        #expect(try store.run(id: "r1").state == .interrupted && store.run(id: "r2").state == .running)
        #expect(try store.lock(component: "accounts", environment: "staging") == nil)
        #expect(try store.lock(component: "billing", environment: "staging")?.runID == "r2")
    }

    @Test(arguments: StoreKind.allCases)
    func finishingARunFreesItsLockAndRecordsItsMaskedReason(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder, masker: SecretMasker(values: ["hunter2-token"]))
        try Self.begin(Self.run("r1"), in: store)
        try Self.begin(Self.run("r2", kind: .test, component: nil, environment: nil, at: Self.start + 1), in: store)
        try store.finish(runID: "r1", state: .failed, reason: "build failed (token hunter2-token)", events: [NewEvent(
            .runFinished, component: "accounts", environment: "staging", runID: "r1",
            details: EventDetails(runKind: .deploy, outcome: "failed"))])

        let finished = try other.run(id: "r1")
        #expect(finished.state == .failed && finished.finishedAt != nil)
        #expect(finished.reason == "build failed (token \(SecretMasker.mask))")
        #expect(try other.lock(component: "accounts", environment: "staging") == nil)
        #expect(try Self.events(.runFinished, in: other).map(\.runID) == ["r1"])
        try store.finish(runID: "r1", state: .succeeded, reason: nil, events: [])
        #expect(try other.run(id: "r1").state == .failed, "a finished run stays as it finished")
        #expect(try other.runs(limit: 10).map(\.id) == ["r2", "r1"], "newest first")
        #expect(try other.runs(limit: 1).map(\.id) == ["r2"])
    }

    @Test(arguments: StoreKind.allCases)
    func aHeartbeatAnswersWhetherSomeoneAskedToCancel(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try Self.begin(Self.run("r1"), in: store)
        #expect(try store.heartbeat(runID: "r1") == false)
        #expect(try store.run(id: "r1").heartbeatAt > Self.start)

        let cancelled = try other.requestCancel(runID: "r1")
        #expect(cancelled.id == "r1")
        #expect(try store.heartbeat(runID: "r1") == true)
        #expect(try Self.events(.cancelRequested, in: store).map(\.runID) == ["r1"])
        #expect(try store.heartbeat(runID: "nope") == false)

        try store.finish(runID: "r1", state: .cancelled, reason: nil, events: [])
        #expect(throws: SlipwayError(.runNotRunning(id: "r1", state: .cancelled))) { try other.requestCancel(runID: "r1") }
    }

    // MARK: Output

    @Test(arguments: StoreKind.allCases)
    func outputIsStoredMaskedAndReadAfterALine(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder, masker: SecretMasker(values: ["hunter2-token"]))
        #expect(try other.lastOutputSequence(runID: "r1") == -1)
        try store.appendOutput(runID: "r1", firstSequence: 0, lines: ["building", "token hunter2-token"], time: Self.start)
        try store.appendOutput(runID: "r1", firstSequence: 2, lines: ["built"], time: Self.start + 2)
        try store.appendOutput(runID: "r1", firstSequence: 3, lines: [], time: Self.start + 3)
        try store.appendOutput(runID: "r2", firstSequence: 0, lines: ["other run"], time: Self.start)

        #expect(try other.lastOutputSequence(runID: "r1") == 2)
        let lines = try other.output(runID: "r1")
        #expect(lines.map(\.text) == ["building", "token \(SecretMasker.mask)", "built"])
        #expect(lines.map(\.sequence) == [0, 1, 2] && lines.map(\.time) == [Self.start, Self.start, Self.start + 2])
        #expect(try other.output(runID: "r1", after: 1).map(\.text) == ["built"])
        #expect(try other.output(runID: "r3").isEmpty)
    }

    // MARK: Requests

    @Test(arguments: StoreKind.allCases)
    func twoAgentsClaimingTheSameRequestsAtOnceTakeEachOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let ids = try (0..<12).map { _ in try store.record(Self.deploy, origin: "cli").id }
        #expect(Set(try other.orphanedRequests().map(\.id)) == Set(ids))

        var won: [String: Int] = [:]
        for id in ids {
            async let first = Self.onThread { try store.claim(requestID: id, by: .current) }
            async let second = Self.onThread { try other.claim(requestID: id, by: .current) }
            for claimed in try await [first, second] {
                guard let claimed else { continue }
                #expect(claimed.state == .claimed && claimed.executorPID == ProcessIdentity.current.pid)
                won[claimed.id, default: 0] += 1
            }
        }
        #expect(won == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }), "each request is taken exactly once")
        #expect(try store.orphanedRequests().isEmpty, "a live agent executes each")
        #expect(try store.claim(requestID: "nope", by: .current) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aRequestRemembersTheHostItWasAskedOnAndOnlyThatHostTakesItOver(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let recorded = try store.record(Self.deploy, origin: "cli")
        let read = try other.request(id: recorded.id)
        #expect(read.requesterHost == ProcessIdentity.hostName)
        #expect(read.isThisHosts)
        var elsewhere = read
        elsewhere.requesterHost = "\(ProcessIdentity.hostName)-other"
        #expect(!elsewhere.isThisHosts, "an agent of another host leaves it to the host it was asked on")
        elsewhere.requesterHost = nil
        #expect(elsewhere.isThisHosts, "a request recorded before hosts were is anyone's, as before")
    }

    /// `body` on a thread of its own: two store calls that block run at once.
    static func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRequestWhoseAgentDiedIsTakenOverWithItsRunAndCheckpoint(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let request = try store.record(Self.deploy, origin: "console", noWait: true)
        #expect(try store.claim(requestID: request.id, by: Self.gone)?.executorPID == Self.gone.pid)
        let checkpoint = RunCheckpoint(
            shape: .deploy, version: "v2", commit: "abc123", color: .green, previousColor: .blue,
            successEvents: [NewEvent(.deploySucceeded, component: "accounts", environment: "staging", runID: request.id,
                                     details: EventDetails(version: "v2", color: "green"))])
        try store.saveCheckpoint(checkpoint, requestID: request.id)
        try Self.begin(Self.run(request.id, process: Self.gone), in: store)
        #expect(try other.reapInterruptedRuns().isEmpty, "an agent's run waits for the next agent")

        let orphaned = try other.orphanedRequests()
        #expect(orphaned.map(\.id) == [request.id] && orphaned.first?.checkpoint == checkpoint && orphaned.first?.noWait == true)
        let taken = try #require(try other.claim(requestID: request.id, by: .current))
        #expect(taken.executorPID == ProcessIdentity.current.pid && taken.checkpoint == checkpoint)
        try other.adopt(runID: request.id, by: .current, stage: "deploy")
        let adopted = try store.run(id: request.id)
        #expect(adopted.pid == ProcessIdentity.current.pid && adopted.host == ProcessIdentity.hostName && adopted.state == .running)
        let resumed = try #require(try Self.events(.runResumed, in: store).first)
        #expect(resumed.runID == request.id && resumed.details?.stage == "deploy" && resumed.details?.pid == Int(ProcessIdentity.current.pid))
        #expect(try other.cancelBeforeRun(requestID: request.id) == false, "its run began: cancel the run instead")

        try other.finish(requestID: request.id)
        #expect(try store.request(id: request.id).state == .done)
        #expect(try store.orphanedRequests().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aRequestAnAgentOfAnotherHostClaimedIsNeverTakenFromIt(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let request = try store.record(Self.deploy, origin: "console")
        // A pid that is no process here: on this host it would count as gone.
        let elsewhere = ProcessIdentity(host: "\(ProcessIdentity.hostName)-other", pid: Self.gone.pid, startTime: Self.gone.startTime)
        #expect(try store.claim(requestID: request.id, by: elsewhere)?.executorHost == elsewhere.host)
        #expect(try other.request(id: request.id).executorHost == elsewhere.host)
        #expect(try other.orphanedRequests().isEmpty, "its agent's process cannot be looked at from here")
        #expect(try other.claim(requestID: request.id, by: .current) == nil)
        #expect(try other.request(id: request.id).executorPID == Self.gone.pid)
    }

    /// The issue's lease: a run an agent of another host executes holds its deploy lock only while
    /// that host's heartbeats come. Once they stop, it is reaped like any run of that host and its
    /// request ended, so an agent of that host coming back later does not resume it over what
    /// others deployed meanwhile; while they come, nothing is taken from it.
    @Test(arguments: StoreKind.allCases)
    func aRunAnAgentOfAHostThatWentQuietExecutesIsReapedAndItsLockFreed(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let elsewhere = ProcessIdentity(host: "\(ProcessIdentity.hostName)-other", pid: Self.gone.pid, startTime: Self.gone.startTime)
        let now = Date()
        let billing = RunRequest.deploy(.init(component: "billing", kind: .service, environment: "staging", version: nil, force: false))
        let alive = try store.record(billing, origin: "console")
        _ = try store.claim(requestID: alive.id, by: elsewhere)
        try Self.begin(Self.run(alive.id, component: "billing", process: elsewhere, at: now - 120, heartbeat: now), in: store)
        // Begun last: beginning a run reaps first.
        let quiet = try store.record(Self.deploy, origin: "console")
        _ = try store.claim(requestID: quiet.id, by: elsewhere)
        try Self.begin(Self.run(quiet.id, process: elsewhere, at: now - 120, heartbeat: now - 60), in: store)

        #expect(try other.reapInterruptedRuns().map(\.id) == [quiet.id], "the run whose host still beats stays")
        let reaped = try store.run(id: quiet.id)
        #expect(reaped.state == .interrupted)
        #expect(reaped.reason == "its host \(elsewhere.host) stopped answering (no heartbeat for 15 s)")
        #expect(try store.lock(component: "accounts", environment: "staging") == nil, "its lock is freed")
        #expect(try store.request(id: quiet.id).state == .done, "its request ended: nobody resumes it")
        #expect(try store.orphanedRequests().isEmpty)
        #expect(try store.run(id: alive.id).state == .running)
        #expect(try store.lock(component: "billing", environment: "staging")?.runID == alive.id)
        #expect(try store.request(id: alive.id).state == .claimed)
        try Self.begin(Self.run("r-next", at: now), in: other)
        #expect(try store.lock(component: "accounts", environment: "staging")?.runID == "r-next", "another host may deploy now")
    }

    @Test(arguments: StoreKind.allCases)
    func aRequestIsCancelledOnlyBeforeItsRunBegins(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let pending = try store.record(Self.deploy, origin: "cli")
        #expect(try other.cancelBeforeRun(requestID: pending.id) == true)
        #expect(try store.request(id: pending.id).state == .cancelled)
        #expect(try other.cancelBeforeRun(requestID: pending.id) == false, "it has ended")
        #expect(try store.claim(requestID: pending.id, by: .current) == nil)
        #expect(try other.cancelBeforeRun(requestID: "nope") == false)
    }

    // MARK: A run's stages and the pipeline

    @Test(arguments: StoreKind.allCases)
    func aRunsStagesReadAsTheyFinished(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        func stage(_ kind: EventKind, _ name: String, outcome: String? = nil, at seconds: TimeInterval, run: String = "r1") -> NewEvent {
            NewEvent(kind, component: "accounts", environment: "staging", runID: run,
                     details: EventDetails(stage: name, outcome: outcome), time: Self.start + seconds)
        }
        try store.append([
            stage(.stageStarted, "build", at: 0), stage(.stageFinished, "build", outcome: "succeeded", at: 5),
            stage(.stageStarted, "deploy", at: 6), stage(.stageFinished, "deploy", outcome: "failed", at: 9),
            stage(.stageStarted, "deploy", at: 20), stage(.stageFinished, "test", outcome: "succeeded", at: 21, run: "r2"),
        ])
        #expect(try other.succeededStages(runID: "r1") == ["build"])
        #expect(try other.startOfStage("deploy", runID: "r1") == Self.start + 20, "the last start")
        #expect(try other.startOfStage("build", runID: "r1") == Self.start)
        #expect(try other.startOfStage("health-check", runID: "r1") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func thePipelineReadsItsLastGoodCommitAndItsGates(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        #expect(try other.lastSuccessfulPipelineCommit(environment: "staging") == nil)
        for (id, commit, state, offset) in [("p1", "aaa111", RunState.succeeded, 0.0), ("p2", "bbb222", .succeeded, 10), ("p3", "ccc333", .failed, 20)] {
            try Self.begin(Self.run(id, kind: .pipeline, component: nil, at: Self.start + offset), in: store, commit: commit)
            try store.finish(runID: id, state: state, reason: nil, events: [])
        }
        let last = try #require(try other.lastSuccessfulPipelineCommit(environment: "staging"))
        #expect(last.runID == "p2" && last.commit == "bbb222", "a failed run leaves its changes counted as changed")
        #expect(try other.lastSuccessfulPipelineCommit(environment: "production") == nil)

        func gates(_ version: String, _ outcome: String, checks: [GateCheckRecord]) -> NewEvent {
            NewEvent(.jobFinished, component: "accounts", environment: "staging", runID: "p2",
                     details: EventDetails(version: version, stage: "quality-gates", outcome: outcome, checks: checks))
        }
        let coverage = GateCheckRecord(name: "new_coverage", status: .passed, detail: "82.0% (fails below 80.0%)")
        try store.append([
            gates("1.0.0", "failed", checks: [GateCheckRecord(name: "tests", status: .failed, detail: "2 failed")]),
            gates("1.0.0", "succeeded", checks: [coverage]),
            gates("1.1.0", "failed", checks: []),
            NewEvent(.jobFinished, component: "accounts", environment: "staging", runID: "p2",
                     details: EventDetails(version: "1.2.0", stage: "build", outcome: "succeeded")),
        ])
        #expect(try other.gatesPassed(component: "accounts", version: "1.0.0") == true, "the newest job counts")
        #expect(try other.gateChecks(component: "accounts", version: "1.0.0") == [coverage])
        #expect(try other.gatesPassed(component: "accounts", version: "1.1.0") == false)
        #expect(try other.gateChecks(component: "accounts", version: "1.1.0") == [])
        #expect(try other.gatesPassed(component: "accounts", version: "1.2.0") == nil, "no quality-gates job tested it")
        #expect(try other.gateChecks(component: "accounts", version: "1.2.0") == nil)
        #expect(try other.gatesPassed(component: "billing", version: "1.0.0") == nil)
    }

    // MARK: Recovery

    @Test(arguments: StoreKind.allCases)
    func anAgentsRecordsAreRecoveredWithTheEventsThatGiveTheProjectionItsLiveReleases(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        func slot(_ color: String, _ version: String, _ state: SlotState) -> SlotRecord {
            SlotRecord(
                component: "accounts", environment: "staging", color: color, version: version, port: 9100, pid: 4242,
                pidStartTime: "77", host: ProcessIdentity.hostName, directory: "/srv/accounts", command: #"["./run"]"#,
                variables: "{}", logPath: "/srv/accounts.log", state: state, restarts: 1, startedAt: Self.start)
        }
        let records = AgentRecords(
            routes: [RouteRecord(component: "accounts", environment: "staging", host: "127.0.0.1", port: 9000, liveColor: "green", greenWeight: 100)],
            slots: [slot("blue", "v1", .stopped), slot("green", "v2", .running)],
            router: ProcessRecord(role: "router", identity: ProcessIdentity(host: ProcessIdentity.hostName, pid: 4343, startTime: "78"), socket: "/tmp/r.sock"))
        let events = try store.recover(records, reason: "recovered from the agent")
        #expect(events.map(\.kind) == [EventKind.slotStarted.rawValue, EventKind.trafficSwitched.rawValue])
        #expect(events.map(\.details?.version) == ["v2", "v2"] && events.map(\.details?.reason) == ["recovered from the agent", "recovered from the agent"])
        #expect(try other.projection().states[.init(component: "accounts", environment: "staging")]?.liveVersion == "v2")
        // Recovering twice writes the same rows over themselves.
        _ = try store.recover(records, reason: "again")

        let stored = try await Self.storedLocalRows(kind: kind, store: other)
        #expect(stored == ["blue v1 stopped", "green v2 running", "route 127.0.0.1:9000 green 100", "router 4343 /tmp/r.sock"])
    }

    /// The slots, route and router rows as text; read beside the store on PostgreSQL, whose reads
    /// of them are another part's.
    static func storedLocalRows(kind: StoreKind, store: any EventStore) async throws -> [String] {
        switch kind {
        case .sqlite:
            let slots = try store.slots().map { "\($0.color) \($0.version) \($0.state.rawValue)" }
            let routes = try store.routes().map { "route \($0.host):\($0.port) \($0.liveColor ?? "-") \($0.greenWeight)" }
            let router = try store.process(role: "router").map { ["router \($0.pid) \($0.socket)"] } ?? []
            return slots + routes + router
        case .postgres:
            let cluster = try PostgresCluster.shared()
            let database = PostgresCluster.databaseName(of: store.location)
            let slots = try await cluster.strings(
                "SELECT color || ' ' || version || ' ' || state FROM slipway.slots ORDER BY color", database: database)
            let routes = try await cluster.strings(
                "SELECT 'route ' || host || ':' || port || ' ' || COALESCE(live_color, '-') || ' ' || green_weight FROM slipway.routes",
                database: database)
            let router = try await cluster.strings(
                "SELECT 'router ' || pid || ' ' || socket FROM slipway.processes WHERE role = 'router'", database: database)
            return (slots + routes + router).compactMap { $0 }
        }
    }
}
