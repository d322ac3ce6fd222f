import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Synchronization
import Testing

/// What a console or an agent waits on instead of reading the store on a timer: the newest event
/// id moving, told by either store (the shared one by LISTEN, through a killed connection too).
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct StoreChangesTests {
    static func tag(_ version: String) -> NewEvent {
        NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: version))
    }

    /// A source the test drives by hand.
    final class HandSource: Sendable {
        let signal = Mutex<StoreChanges.Signal?>(nil)
        func send(_ id: Int64) { signal.withLock { $0 }?(id) }
    }

    static func changes(clock: any EngineClock = SystemClock()) async -> (StoreChanges, HandSource) {
        let source = HandSource()
        let changes = StoreChanges(clock: clock) { signal in
            source.signal.withLock { $0 = signal }
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
        }
        while source.signal.withLock({ $0 }) == nil { await Task.yield() }
        return (changes, source)
    }

    // MARK: The signal

    @Test func aChangeSignalledWhileNoOneWaitedEndsTheNextWaitAtOnce() async {
        let (changes, source) = await Self.changes()
        source.send(5)
        #expect(await changes.wait(after: 3, atMost: 600) == 5)
        // An older id told late (a poll that started before a notification) moves nothing back.
        source.send(4)
        #expect(changes.latest == 5)
    }

    @Test func aWaitEndsWhenTheChangeComesOrItsTimePasses() async {
        let (changes, source) = await Self.changes()
        let waiting = Task { await changes.wait(after: 0, atMost: 600) }
        source.send(7)
        #expect(await waiting.value == 7)
        // On a clock whose waits end at once: the wait returns what it saw, with no change.
        let (quiet, _) = await Self.changes(clock: VirtualClock())
        #expect(await quiet.wait(after: 2, atMost: 30) == 2)
    }

    @Test func aNudgeEndsTheWaitUnderWayOrTheNextOne() async {
        let (changes, source) = await Self.changes()
        source.send(1)
        changes.nudge()
        #expect(await changes.wait(after: 1, atMost: 600) == 1)
        let waiting = Task { await changes.wait(after: 1, atMost: 600) }
        changes.nudge()
        #expect(await waiting.value == 1)
    }

    // MARK: Both stores

    @Test(arguments: StoreKind.allCases)
    func anAppendThroughAnotherHandleIsSignalled(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.append(Self.tag("v1"))
        let changes = store.changes(every: 0.05, clock: SystemClock())
        #expect(await changes.wait(after: 0, atMost: 60) == 1)
        let appended = try other.append(Self.tag("v2"))
        #expect(await changes.wait(after: 1, atMost: 60) == appended.id)
    }

    // MARK: PostgreSQL's listener

    /// A clock that holds every pause of `held` seconds (the listener's polling) until the test
    /// lets one through, and waits others out as the system's does.
    final class HeldClock: EngineClock {
        let held: Double
        private struct State {
            var started = 0
            var permits = 0
            var waiting: [CheckedContinuation<Void, Never>] = []
        }
        private let state = Mutex(State())

        init(holding held: Double) { self.held = held }

        func now() -> Date { Date() }

        /// How many held pauses began.
        var heldPauses: Int { state.withLock { $0.started } }

        /// Ends one held pause (now, or the next to begin).
        func letOneThrough() {
            let waiter = state.withLock { state in
                guard !state.waiting.isEmpty else {
                    state.permits += 1
                    return CheckedContinuation<Void, Never>?.none
                }
                return state.waiting.removeFirst()
            }
            waiter?.resume()
        }

        func sleep(seconds: Double) async throws {
            guard seconds == held else { return try await SystemClock().sleep(seconds: seconds) }
            await withCheckedContinuation { continuation in
                let through = state.withLock { state in
                    state.started += 1
                    guard state.permits == 0 else {
                        state.permits -= 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if through { continuation.resume() }
            }
        }
    }

    /// Reads `condition` until it holds, for up to `seconds`.
    static func eventually(within seconds: Int = 60, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 10) {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func anAppendIsHeardWithoutReadingOnATimer() async throws {
        let url = try StoreURL(try await PostgresCluster.shared().createDatabase(), name: "test")
        let store = try await PostgresStore.open(url)
        let other = try await PostgresStore.open(url)
        // Every pause of the listener's is held: only a notification can tell of the append.
        let clock = HeldClock(holding: 0.2)
        let changes = store.changes(every: 0.2, clock: clock)
        #expect(await changes.wait(after: -1, atMost: 60) == 0)
        let appended = try other.append(Self.tag("v1"))
        #expect(await changes.wait(after: 0, atMost: 60) == appended.id)
        #expect(clock.heldPauses == 0)
    }

    /// What an agent waits on: a request recorded through another handle commits with its event,
    /// so it notifies as an append does.
    @Test func aRecordedRequestIsHeardWithoutReadingOnATimer() async throws {
        let url = try StoreURL(try await PostgresCluster.shared().createDatabase(), name: "test")
        let agent = try await PostgresStore.open(url)
        let requester = try await PostgresStore.open(url)
        let clock = HeldClock(holding: 0.2)
        let changes = agent.changes(every: 0.2, clock: clock)
        #expect(await changes.wait(after: -1, atMost: 60) == 0)
        let deploy = RunRequest.deploy(.init(component: "accounts", kind: .service, environment: "production", version: nil, force: false))
        try requester.record(deploy, origin: "cli")
        let recorded = try requester.latestEventID()
        #expect(recorded > 0)
        #expect(await changes.wait(after: 0, atMost: 60) == recorded)
        #expect(clock.heldPauses == 0)
    }

    @Test func aChangeMadeWhileTheListenerWasKilledIsSignalledAndItListensAgain() async throws {
        let cluster = try PostgresCluster.shared()
        let base = try await cluster.createDatabase()
        let application = "changes_\(PostgresCluster.databaseName(of: base).suffix(8))"
        let notices = NoticeLog()
        let store = try await PostgresStore.open(StoreURL(base + "&application_name=\(application)", name: "test"), notice: { notices.add($0) })
        let other = try await PostgresStore.open(StoreURL(base, name: "test"))
        let clock = HeldClock(holding: 0.2)
        let changes = store.changes(every: 0.2, clock: clock)
        #expect(await changes.wait(after: -1, atMost: 60) == 0)
        func listeners() async throws -> [String?] {
            try await cluster.strings(
                "SELECT pid::text FROM pg_stat_activity WHERE application_name = '\(application)' AND query ILIKE 'listen%'",
                database: "postgres")
        }
        let killed = try #require(try await listeners().first ?? nil)
        try await cluster.execute("SELECT pg_terminate_backend(\(killed))")

        // Down: the listener has read the store once and pauses (held) before listening again.
        #expect(try await Self.eventually { clock.heldPauses == 1 })
        let whileDown = try other.append(Self.tag("v1"))
        #expect(changes.latest == 0, "nothing can have told of it yet")
        clock.letOneThrough()
        #expect(await changes.wait(after: 0, atMost: 60) == whileDown.id)

        // Listening again on a new connection: the next append is heard, every pause still held.
        #expect(try await Self.eventually { try await listeners().contains { $0 != nil && $0 != killed } })
        let after = try other.append(Self.tag("v2"))
        #expect(await changes.wait(after: whileDown.id, atMost: 60) == after.id)
        #expect(clock.heldPauses == 1)
        #expect(notices.lines.contains { $0.contains("lost the store's listening connection") }, "\(notices.lines)")
        #expect(notices.lines.contains { $0.contains("listening to the store at") && $0.contains("again") }, "\(notices.lines)")
    }
}
