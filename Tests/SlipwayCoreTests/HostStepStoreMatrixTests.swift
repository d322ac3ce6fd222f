import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// Hosts' steps of a deploy to several hosts, on both stores: a run records them, each host's
/// agent claims its own (each step once), touches what it holds and records how each ended.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct HostStepStoreMatrixTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    static func step(_ host: String, _ kind: HostStep.Kind = .prepare, run: String = "r1", at time: Date = start) -> HostStep {
        HostStep(runID: run, host: host, kind: kind, component: "api", environment: "production", version: "v7", color: .green,
                 requestedAt: time)
    }

    @Test(arguments: StoreKind.allCases)
    func eachHostClaimsOnlyItsOwnPendingStepsAndEachOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.add([Self.step("web-1"), Self.step("web-2"), Self.step("web-1", run: "r2", at: Self.start + 1)])

        let first = try other.claimHostSteps(of: "web-1")
        #expect(first.map(\.runID) == ["r1", "r2"])
        #expect(first.allSatisfy { $0.state == .working && $0.host == "web-1" })
        #expect(try store.claimHostSteps(of: "web-1").isEmpty, "a claimed step is not claimed again")
        #expect(try store.hostSteps(ofRun: "r1").map(\.state) == [.working, .pending], "web-2's step waits for web-2")
    }

    @Test(arguments: StoreKind.allCases)
    func twoAgentsClaimingAtOnceGetEachStepOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.add((1...40).map { Self.step("web-1", run: "r\($0)") })
        async let mine = Task.detached { try (1...20).flatMap { _ in try store.claimHostSteps(of: "web-1") } }.value
        async let theirs = Task.detached { try (1...20).flatMap { _ in try other.claimHostSteps(of: "web-1") } }.value
        let claimed = try await mine + theirs
        #expect(claimed.count == 40)
        #expect(Set(claimed.map(\.runID)).count == 40)
    }

    @Test(arguments: StoreKind.allCases)
    func aFinishedStepIsRecordedWithItsEventAndTouchingMovesOnlyWorkingSteps(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.add([Self.step("web-1"), Self.step("web-2")])
        let claimed = try #require(try other.claimHostSteps(of: "web-1").first)
        try other.touchHostSteps(of: "web-1")
        try other.touchHostSteps(of: "web-2")
        let touched = try store.hostSteps(ofRun: "r1")
        #expect(touched[0].updatedAt > Self.start + 60, "web-1's working step was touched")
        #expect(touched[1].updatedAt == Self.start, "web-2's pending step was not")

        try other.finish(claimed.finished(.done, detail: "v7 healthy in the blue slot on port 9100", color: .blue))
        let ended = try store.hostSteps(ofRun: "r1")[0]
        #expect(ended.state == .done && ended.color == .blue && ended.detail == "v7 healthy in the blue slot on port 9100")
        let event = try #require(try store.events(after: 0, limit: 10, component: "api").last)
        #expect(event.knownKind == .hostStepFinished && event.runID == "r1")
        #expect(event.details?.origin == "web-1" && event.details?.stage == "prepare" && event.details?.outcome == "done")
        #expect(event.details?.color == "blue" && event.details?.version == "v7")
    }

    /// A host's agent waits on the store's changes, not a timer: asking for steps must be a change
    /// it hears of (on PostgreSQL a NOTIFY, on SQLite a newer event id).
    @Test(arguments: StoreKind.allCases)
    func askingForStepsIsRecordedAndWakesAnAgentWaitingOnChanges(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let changes = other.changes(every: 0.1, clock: SystemClock())
        let before = await changes.wait(after: -1, atMost: 10)
        let woken = Task { await changes.wait(after: before, atMost: 30) }
        try store.add([Self.step("web-1"), Self.step("web-2")])
        let after = await woken.value
        #expect(after > before, "the waiter was woken by the request, not by its 30 s timeout")

        let events = try other.events(after: before, limit: 10, component: "api")
        #expect(events.map(\.knownKind) == [.hostStepRequested, .hostStepRequested])
        #expect(events.map { $0.details?.origin } == ["web-1", "web-2"])
        #expect(events.allSatisfy { $0.runID == "r1" && $0.details?.stage == "prepare" && $0.details?.version == "v7" })
    }

    /// A host whose agent comes back after its run ended (the coordinator's host died, or the run
    /// gave up on it) must not act on what that run asked: a late `switch` would move its traffic
    /// for a run nobody follows. Its steps are refused, failed with their event; a running run's are taken.
    @Test(arguments: StoreKind.allCases)
    func aStepOfARunThatEndedIsRefusedNotTaken(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        for id in ["r-ended", "r-live"] {
            let process = ProcessIdentity.current
            try store.begin(
                RunRecord(
                    id: id, kind: .deploy, component: "api-\(id)", environment: "production", version: "v7", state: .running,
                    actor: "alice", origin: "test", host: process.host, pid: process.pid, pidStartTime: process.startTime,
                    startedAt: Self.start, heartbeatAt: Self.start),
                lock: false, details: EventDetails(runKind: .deploy, version: "v7"))
        }
        try store.finish(runID: "r-ended", state: .interrupted, reason: "its coordinator's host went down", events: [])
        try store.add([Self.step("web-3", .switch, run: "r-ended"), Self.step("web-3", run: "r-live", at: Self.start + 1)])

        let claimed = try other.claimHostSteps(of: "web-3")
        #expect(claimed.map(\.runID) == ["r-live"], "only the running run's step is taken")
        let refused = try #require(try store.hostSteps(ofRun: "r-ended").first)
        #expect(refused.state == .failed)
        #expect(refused.detail == "not taken: its run ended (interrupted) before this host's agent took the step")
        #expect(try store.claimHostSteps(of: "web-3").isEmpty, "a refused step is not offered again")
        let event = try #require(try store.events(after: 0, limit: 100, component: "api").last)
        #expect(event.knownKind == .hostStepFinished && event.runID == "r-ended")
        #expect(event.details?.stage == "switch" && event.details?.outcome == "failed" && event.details?.origin == "web-3")
    }

    /// A run reaped because its coordinator's host went quiet ends the steps nobody else would:
    /// one still pending, and one whose host's agent took it and went silent (often the same dead
    /// host). A step a live agent still touches is left to that agent.
    @Test(arguments: StoreKind.allCases)
    func aReapedRunEndsItsPendingStepsAndThoseItsHostsAbandoned(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let now = Date()
        try store.begin(
            RunRecord(
                id: "r-quiet", kind: .deploy, component: "api", environment: "production", version: "v7", state: .running,
                actor: "alice", origin: "test", host: "\(ProcessIdentity.hostName)-gone", pid: 4_000_000, pidStartTime: "1",
                startedAt: now - 120, heartbeatAt: now - 60),
            lock: true, details: EventDetails(runKind: .deploy, version: "v7"))
        func working(_ host: String, touched: Date) -> HostStep {
            var step = Self.step(host, .switch, run: "r-quiet", at: now - 90)
            step.state = .working
            step.updatedAt = touched
            return step
        }
        try store.add([
            working("web-1", touched: now - 60), working("web-2", touched: now), Self.step("web-3", .switch, run: "r-quiet", at: now - 90),
        ])

        #expect(try other.reapInterruptedRuns().map(\.id) == ["r-quiet"])
        let steps = Dictionary(uniqueKeysWithValues: try store.hostSteps(ofRun: "r-quiet").map { ($0.host, $0) })
        #expect(steps["web-1"]?.state == .failed)
        #expect(steps["web-1"]?.detail == "abandoned: its run ended (interrupted) while this host's agent was silent")
        #expect(steps["web-2"]?.state == .working, "a step its agent still touches ends by that agent")
        #expect(steps["web-3"]?.state == .failed)
        #expect(steps["web-3"]?.detail == "not taken: its run ended (interrupted) before this host's agent took the step")
        let finished = try store.events(after: 0, limit: 100, component: "api").filter { $0.knownKind == .hostStepFinished }
        #expect(finished.compactMap(\.details?.origin).sorted() == ["web-1", "web-3"], "each ended step is in the audit trail")
    }

    @Test func aHostLooksDownWhenItsStepIsUnclaimedOrUntouchedTooLong() {
        let pending = Self.step("web-3")
        #expect(!pending.hostLooksDown(at: Self.start + HostStep.claimWithin))
        #expect(pending.hostLooksDown(at: Self.start + HostStep.claimWithin + 1))
        var working = pending
        working.state = .working
        working.updatedAt = Self.start + 30
        #expect(!working.hostLooksDown(at: Self.start + 30 + HostStep.staleAfter))
        #expect(working.hostLooksDown(at: Self.start + 31 + HostStep.staleAfter))
        #expect(!working.finished(.failed, detail: "x").hostLooksDown(at: .distantFuture))
    }
}
