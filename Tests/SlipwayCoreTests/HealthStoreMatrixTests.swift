import Dispatch
import Foundation
import SlipwayCore
import SlipwayTestSupport
import Synchronization
import Testing

/// The store's health records on both stores: SLI minutes and their window sums, alert states,
/// silences, raised alerts and the alert outbox with its claims.
@Suite(.postgresCluster, .timeLimit(.minutes(10)))
struct HealthStoreMatrixTests {
    /// Every alert to `webhook`; critical ones to a pager and chat too, warnings to chat.
    static func routing() throws -> AlertSettings {
        let config = """
            alerts:
              webhook: http://127.0.0.1:9/all
              sinks:
                pager: {type: pagerduty, url: http://127.0.0.1:9/pd, routing_key_env: PD_KEY}
                chat: {type: slack, url: http://127.0.0.1:9/slack}
              routes:
                - {severity: critical, sinks: [pager, chat]}
                - {severity: warning, sinks: [chat]}

            """
        return try WorkspaceConfig.parse(config, file: "slipway.yml").alerts
    }

    /// A moment with whole milliseconds, which both stores keep exactly.
    static let noon = Date(timeIntervalSince1970: 1_800_000_000)

    static func alert(_ severity: AlertSeverity, _ component: String = "web", _ environment: String = "production",
                      message: String = "burning", time: Date = noon) -> Alert {
        Alert(severity: severity, change: "fired", component: component, environment: environment, objective: "availability",
              rule: "1h/5m", message: message, time: time)
    }

    // MARK: SLI minutes

    /// The same increments (random minutes out of order, repeats, other objectives, and "now"s
    /// that move the retention past the oldest minutes) leave the same minutes, subjects and
    /// window sums on both stores.
    @Test func bothStoresKeepTheSameMinutesAndSumsForTheSameIncrements() async throws {
        let folder = try TemporaryWorkspace()
        let sqlite = try await StoreKind.sqlite.open(in: folder).store
        let postgres = try await StoreKind.postgres.open(in: folder).store
        var random = SeededGenerator(seed: 14)
        let subjects = [("api", "production"), ("api", "staging"), ("web", "production")]
        let objectives = ["availability", "latency-2s"]
        let first = 10_000
        for batch in 0..<6 {
            // Every tenth minute of 3000, so later batches add to stored minutes; the batch's first
            // increment twice, so one batch adds to one minute twice.
            var increments = (0..<60).map { _ in
                let (component, environment) = subjects.randomElement(using: &random)!
                let total = Int.random(in: 1...500, using: &random)
                return SLIIncrement(
                    component: component, environment: environment, objective: objectives.randomElement(using: &random)!,
                    minute: SLIMinute(minute: first + 10 * Int.random(in: 0..<300, using: &random), total: total,
                                      bad: Int.random(in: 0...total, using: &random)))
            }
            increments.append(increments[0])
            // From the fourth batch on, the retention drops the minutes before first + 400 * batch.
            let now = Date(timeIntervalSince1970: 60 * Double(first + SLIMinute.retention + (batch < 3 ? 0 : 400 * batch)))
            try sqlite.add(increments, now: now)
            try postgres.add(increments, now: now)
        }

        #expect(try postgres.sliSubjects().map { "\($0.component)/\($0.environment)" }
            == sqlite.sliSubjects().map { "\($0.component)/\($0.environment)" })
        var requests: [SLIWindows] = []
        for (component, environment) in subjects + [("missing", "production")] {
            for objective in objectives {
                #expect(try postgres.sliMinutes(component: component, environment: environment, objective: objective, since: 0)
                    == sqlite.sliMinutes(component: component, environment: environment, objective: objective, since: 0))
                requests.append(SLIWindows(
                    component: component, environment: environment, objective: objective, lengths: [1, 5, 60, 700, 1440, 43_200]))
            }
        }
        requests.append(SLIWindows(component: "api", environment: "production", objective: "availability", lengths: []))
        for end in [first, first + 1, first + 1500, first + 1505, first + 2991, first + 3000, first + 5000] {
            let expected = try sqlite.sliSums(requests, before: end)
            let sums = try postgres.sliSums(requests, before: end)
            #expect(sums.map { $0.map { "\($0.total)/\($0.bad)" } } == expected.map { $0.map { "\($0.total)/\($0.bad)" } }, "before \(end)")
        }
        #expect(try postgres.sliSums([], before: first).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func subjectsAreEachComponentAndEnvironmentWithMinutesOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        #expect(try other.sliSubjects().isEmpty)
        let minutes = (0..<5).map { SLIMinute(minute: 1000 + $0, total: 10, bad: 1) }
        var increments: [SLIIncrement] = []
        for (component, environment) in [("web", "staging"), ("api", "production"), ("web", "production"), ("api", "production")] {
            for objective in ["availability", "latency-2s"] {
                increments += minutes.map { .init(component: component, environment: environment, objective: objective, minute: $0) }
            }
        }
        try store.add(increments, now: Date(timeIntervalSince1970: 60 * 1005))
        #expect(try other.sliSubjects().map { "\($0.component)/\($0.environment)" } == ["api/production", "web/production", "web/staging"])
        #expect(try other.sliMinutes(component: "api", environment: "production", objective: "latency-2s", since: 1003)
            == [SLIMinute(minute: 1003, total: 20, bad: 2), SLIMinute(minute: 1004, total: 20, bad: 2)], "added twice, summed")
    }

    // MARK: Alert states and raising

    @Test(arguments: StoreKind.allCases)
    func savedStatesReadBackAndTheirAlertsAreRaisedWithThem(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let routing = try Self.routing()
        let first = AlertStateRecord(
            component: "web", environment: "production", objective: "availability", firing: ["1h/5m", "6h/30m"],
            budgetRemaining: 0.42, evaluatedAt: Self.noon)
        let second = AlertStateRecord(
            component: "api", environment: "staging", objective: "latency-2s", firing: [], evaluatedAt: Self.noon)
        try store.save([first, second], raising: [Self.alert(.page, message: "web burning")], routing: routing)
        #expect(try other.alertStates().sorted { $0.component < $1.component } == [second, first])
        #expect(try other.alertStates().first { $0.component == "web" }?.firingRules == ["1h/5m", "6h/30m"])

        // A later evaluation replaces the state it names and keeps the others.
        var cleared = first
        cleared.firing = "[]"
        cleared.budgetRemaining = 0.4
        cleared.evaluatedAt = Self.noon + 60
        try store.save([cleared], raising: [], routing: routing)
        #expect(try other.alertStates().sorted { $0.component < $1.component } == [second, cleared])

        let raised = try other.events().filter { $0.kind == EventKind.alertRaised.rawValue }
        #expect(raised.count == 1)
        let details = try #require(raised.first?.details)
        #expect(raised.first?.component == "web" && raised.first?.environment == "production")
        #expect(details.reason == "web burning" && details.outcome == "page" && details.stage == "1h/5m" && details.tag == nil)
        #expect(details.change == "fired" && details.objective == "availability")
        #expect(try other.outboxCounts() == (delivered: 0, pending: 3), "webhook, pager and chat")
    }

    @Test(arguments: StoreKind.allCases)
    func anAlertIsQueuedOncePerSinkItsRoutesNameInThatOrder(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let routing = try Self.routing()
        let page = Self.alert(.page)
        let ticket = Self.alert(.ticket)
        let info = Self.alert(.info)
        for alert in [page, ticket, info] { try store.raise(alert, routing: routing) }
        let queued = try other.claimDeliveries(by: "agent", lease: 60, excluding: [], at: Self.noon, limit: 100)
        #expect(queued.map(\.sink) == ["webhook", "pager", "chat", "webhook", "chat", "webhook"])
        #expect(queued.map(\.payload) == [page.json, page.json, page.json, ticket.json, ticket.json, info.json])
        #expect(queued.allSatisfy { $0.attempts == 0 })
        #expect(try other.events().filter { $0.kind == EventKind.alertRaised.rawValue }.count == 3)
    }

    // MARK: Silences

    @Test(arguments: StoreKind.allCases)
    func aSilencedAlertIsRecordedWithTheSilenceAndQueuedForNoSink(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let routing = try Self.routing()
        let start = Self.noon
        let pages = AlertSilence(
            id: "s-pages", severity: .page, component: nil, environment: "production", startsAt: start, endsAt: start + 3600,
            reason: "maintenance window", actor: "someone")
        let web = AlertSilence(
            id: "s-web", severity: nil, component: "web", environment: nil, startsAt: start + 10, endsAt: start + 7200,
            reason: "web rebuild", actor: "someone")
        try store.silence(pages)
        try store.silence(web)

        #expect(try other.silences(at: start - 1).isEmpty)
        #expect(try other.silences(at: start + 5).map(\.id) == ["s-pages"])
        let both = try other.silences(at: start + 60)
        #expect(both.map(\.id) == ["s-web", "s-pages"], "the latest ending first")
        #expect(both.last?.severity == .page && both.last?.environment == "production" && both.last?.component == nil)
        #expect(both.last?.startsAt == start && both.last?.endsAt == start + 3600 && both.last?.reason == "maintenance window")
        #expect(both.allSatisfy { $0.actor == store.actor }, "recorded as whoever the store acts for, not as the silence says")
        #expect(try other.silences(at: start + 3600).map(\.id) == ["s-web"], "a silence ends at its end")

        try store.raise(Self.alert(.page, "api", message: "silenced", time: start + 1), routing: routing)
        try store.raise(Self.alert(.page, "api", "staging", message: "staging", time: start + 1), routing: routing)
        try store.raise(Self.alert(.info, "web", "staging", message: "web", time: start + 20), routing: routing)
        try store.raise(Self.alert(.page, "api", message: "after", time: start + 3600), routing: routing)

        let queued = try other.claimDeliveries(by: "agent", lease: 60, excluding: [], at: start + 3600, limit: 100)
        let messages = queued.compactMap { delivery in
            (try? JSONSerialization.jsonObject(with: Data(delivery.payload.utf8)) as? [String: Any])?["message"] as? String
        }
        #expect(Set(messages) == ["staging", "after"], "\(messages)")
        let events = try other.events()
        let silenced = events.filter { $0.kind == EventKind.alertSilenced.rawValue }
        #expect(silenced.map { $0.details?.tag } == ["s-pages", "s-web"])
        #expect(silenced.first?.details?.stage == "page" && silenced.last?.details?.stage == "any")
        #expect(silenced.first?.details?.seconds == 3600 && silenced.first?.details?.reason == "maintenance window")
        #expect(silenced.first?.time == start && silenced.first?.environment == "production" && silenced.first?.component == nil)
        let raised = events.filter { $0.kind == EventKind.alertRaised.rawValue }
        #expect(raised.map { $0.details?.reason ?? "" } == ["silenced", "staging", "web", "after"], "a silenced alert is still recorded")
        #expect(raised.map { $0.details?.tag } == ["s-pages", nil, "s-web", nil])
    }

    @Test(arguments: StoreKind.allCases)
    func aSilenceIdIsRecordedOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, _) = try await kind.open(in: folder)
        let silence = AlertSilence(
            id: "s-once", severity: nil, component: nil, environment: nil, startsAt: Self.noon, endsAt: Self.noon + 60,
            reason: "first", actor: "someone")
        try store.silence(silence)
        #expect(throws: SlipwayError.self) { try store.silence(silence) }
        #expect(try store.events().filter { $0.kind == EventKind.alertSilenced.rawValue }.count == 1, "the refused one left no event")
    }

    // MARK: The outbox

    @Test(arguments: StoreKind.allCases)
    func claimsAreOldestFirstLeaseTheirRowsAndLeaveRestingSinksOut(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let routing = try Self.routing()
        for index in 0..<3 { try store.raise(Self.alert(.page, message: "m\(index)"), routing: routing) }
        let now = Self.noon

        let first = try store.claimDeliveries(by: "a", lease: 30, excluding: ["pager"], at: now, limit: 4)
        #expect(first.map(\.sink) == ["webhook", "chat", "webhook", "chat"])
        #expect(first.map(\.id) == first.map(\.id).sorted())
        let second = try other.claimDeliveries(by: "b", lease: 30, excluding: [], at: now, limit: 100)
        #expect(Set(second.map(\.id)).isDisjoint(with: first.map(\.id)), "a claimed row is not claimed again during its lease")
        #expect(second.count == 5)
        #expect(try other.claimDeliveries(by: "b", lease: 30, excluding: [], at: now + 29, limit: 100).isEmpty)
        let expired = try other.claimDeliveries(by: "b", lease: 30, excluding: [], at: now + 30, limit: 100)
        #expect(expired.map(\.id) == (first + second).map(\.id).sorted(), "claimed again once the lease ran out")
        #expect(try store.outboxCounts() == (delivered: 0, pending: 9))
    }

    @Test(arguments: StoreKind.allCases)
    func attemptsAreRecordedAndFailuresWaitForTheirNextTry(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let routing = try Self.routing()
        try store.raise(Self.alert(.page), routing: routing)
        let now = Self.noon
        let claimed = try store.claimDeliveries(by: "a", lease: 30, excluding: [], at: now, limit: 3)
        try #require(claimed.count == 3)
        try store.recordAttempt(claimed[0].id, error: nil, nextAttempt: now, at: now)
        try store.recordAttempt(claimed[1].id, error: "POST http://127.0.0.1:9/pd: refused", nextAttempt: now + 10, at: now)
        try store.releaseClaim(claimed[2].id)
        #expect(try other.outboxCounts() == (delivered: 1, pending: 2))

        let released = try other.claimDeliveries(by: "b", lease: 30, excluding: [], at: now + 1, limit: 10)
        #expect(released.map(\.id) == [claimed[2].id] && released.first?.attempts == 0, "a released row is due at once, untried")
        let retried = try other.claimDeliveries(by: "b", lease: 30, excluding: [], at: now + 10, limit: 10)
        #expect(retried.map(\.id) == [claimed[1].id] && retried.first?.attempts == 1, "a failed row waits for its next try")
        try other.recordAttempt(claimed[1].id, error: nil, nextAttempt: now + 10, at: now + 10)
        #expect(try store.outboxCounts() == (delivered: 2, pending: 1))
        #expect(try store.claimDeliveries(by: "a", lease: 30, excluding: [], at: now + 100, limit: 10).map(\.id) == [claimed[2].id],
                "delivered rows are never claimed again")
    }

    /// Issue 14 item 5: two agents (two store handles) claim from many threads at once and every
    /// row is claimed, and delivered, exactly once.
    @Test(arguments: StoreKind.allCases)
    func agentsClaimingAtOnceDeliverEveryRowExactlyOnce(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        let routing = try Self.routing()
        for index in 0..<100 { try store.raise(Self.alert(.page, message: "m\(index)"), routing: routing) }
        let now = Self.noon
        let ledger = ClaimLedger()
        await Self.onThreads(8) { thread in
            let agent = thread.isMultiple(of: 2) ? store : other
            do {
                while true {
                    let claimed = try agent.claimDeliveries(by: "agent-\(thread)", lease: 600, excluding: [], at: now, limit: 3)
                    if claimed.isEmpty { return }
                    ledger.add(claimed.map(\.id), by: thread)
                    for delivery in claimed { try agent.recordAttempt(delivery.id, error: nil, nextAttempt: now, at: now) }
                }
            } catch {
                ledger.fail("\(error)")
            }
        }
        let (ids, threads, failures) = ledger.contents
        #expect(failures.isEmpty, "\(failures)")
        #expect(ids.count == 300 && Set(ids).count == 300, "\(ids.count) claims of \(Set(ids).count) rows by threads \(threads)")
        #expect(try store.outboxCounts() == (delivered: 300, pending: 0))
    }

    /// Runs `body` on `count` threads of their own at once (store calls block their thread), and
    /// returns when every one has.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for thread in 0..<count {
                group.enter()
                Thread.detachNewThread {
                    body(thread)
                    group.leave()
                }
            }
            group.notify(queue: .global()) { done.resume() }
        }
    }
}

/// What the claiming threads took, and any failure.
private final class ClaimLedger: Sendable {
    private let state = Mutex<(ids: [Int64], threads: [Int: Int], failures: [String])>(([], [:], []))

    func add(_ ids: [Int64], by thread: Int) {
        state.withLock {
            $0.ids += ids
            $0.threads[thread, default: 0] += ids.count
        }
    }

    func fail(_ failure: String) { state.withLock { $0.failures.append(failure) } }

    /// Every id claimed, how many each thread claimed, and the failures.
    var contents: (ids: [Int64], threads: [Int: Int], failures: [String]) { state.withLock { $0 } }
}
