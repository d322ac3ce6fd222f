import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Synchronization
import Testing

/// A clock whose time moves only when someone waits on it: a 30-minute canary runs in
/// milliseconds of test time.
final class VirtualClock: EngineClock {
    private let current: Mutex<Date>

    init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date { current.withLock { $0 } }

    func sleep(seconds: Double) async throws {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
        await Task.yield()
    }
}

/// A stand-in for the router's weights and counters: each read adds 100 requests per colour,
/// the canary failing at `canaryFailureRate`.
final class StandInTraffic: WeightedTraffic {
    struct State {
        var weights: [Int] = []
        var requests = 0
        var rolledBackTo: SlotColor?
    }

    let canaryFailureRate: Double
    let state = Mutex(State())

    init(canaryFailureRate: Double) {
        self.canaryFailureRate = canaryFailureRate
    }

    func setWeight(_ percent: Int, to canary: SlotColor) async throws(SlipwayError) {
        state.withLock { $0.weights.append(percent) }
    }

    func counters() async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        let requests = state.withLock { state in
            state.requests += 100
            return state.requests
        }
        let failures = Int(Double(requests) * canaryFailureRate)
        return [
            "green": .init(requests: requests, errors5xx: failures, connectionErrors: 0, p95Milliseconds: nil, failures: failures),
            "blue": .init(requests: requests, errors5xx: 0, connectionErrors: 0, p95Milliseconds: nil, failures: 0),
        ]
    }

    func rollBack(to stable: SlotColor, stopping canary: SlotColor, log: StageLog) async throws(SlipwayError) {
        state.withLock { $0.rolledBackTo = stable }
    }
}

@Suite struct CanaryVirtualTimeTests {
    /// The seed's canary: 5% first, then 25, 50, 100, each held for 10 minutes.
    let policy = CanaryPolicy(steps: [5, 25, 50, 100], monitoringPeriod: 1800, interval: 600, threshold: 2, minRequests: 50)

    func rollout(_ traffic: StandInTraffic, clock: VirtualClock) throws -> (CanaryRollout, TemporaryWorkspace) {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        var rollout = CanaryRollout(
            traffic: traffic, store: store, clock: clock, component: "api", environment: "production", version: "v2",
            canaryColor: .green, stableColor: .blue, policy: policy)
        // Commands are looked for every 30 s of virtual time: 20 looks per interval.
        rollout.pollInterval = 30
        return (rollout, workspace)
    }

    /// What the store's last canary event says: reading it also keeps the workspace, and so the
    /// store's folder, alive until the rollout is done.
    func lastCanaryReason(in workspace: TemporaryWorkspace) throws -> String? {
        try SQLiteStore(path: workspace.statePath).events(component: "api")
            .last { $0.kind == EventKind.canaryChanged.rawValue }?.details?.reason
    }

    @Test func aHealthyThirtyMinuteCanaryIsPromotedInVirtualTime() async throws {
        let clock = VirtualClock()
        let start = clock.now()
        let traffic = StandInTraffic(canaryFailureRate: 0)
        let (rollout, workspace) = try rollout(traffic, clock: clock)
        try await rollout.run(log: StageLog(cancellation: CancellationFlag()) { _ in })
        #expect(traffic.state.withLock { $0.weights } == [5, 25, 50, 100])
        #expect(traffic.state.withLock { $0.rolledBackTo } == nil)
        #expect(clock.now().timeIntervalSince(start) >= 1800, "three 10-minute intervals passed on the clock")
        #expect(try lastCanaryReason(in: workspace)?.hasPrefix("promoted") == true)
    }

    @Test func aCheckWhoseP95sWereNotComparedSaysSo() throws {
        let (rollout, _) = try rollout(StandInTraffic(canaryFailureRate: 0), clock: VirtualClock())
        let few = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 11, failures: 0, p95Milliseconds: 48),
            stable: ColorInterval(requests: 10, failures: 0, p95Milliseconds: 44), policy: CanaryPolicy(minRequests: 1))
        #expect(rollout.describe(few, weight: 50) == "check at 50%: canary 11 requests, 0% failed, p95 48ms; "
            + "stable 10 requests, 0% failed, p95 44ms -> pass (p95s not compared: fewer than 20 requests on a side)")
        let many = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 20, failures: 0, p95Milliseconds: 50),
            stable: ColorInterval(requests: 20, failures: 0, p95Milliseconds: 40), policy: CanaryPolicy(minRequests: 1))
        #expect(rollout.describe(many, weight: 50).hasSuffix("-> fail: p95 50ms is 25% above the stable 40ms, more than 10%"))
    }

    @Test func aFailingCanaryIsRolledBackToTheStableColour() async throws {
        let clock = VirtualClock()
        let traffic = StandInTraffic(canaryFailureRate: 0.05)
        let (rollout, workspace) = try rollout(traffic, clock: clock)
        await #expect(throws: SlipwayError.self) {
            try await rollout.run(log: StageLog(cancellation: CancellationFlag()) { _ in })
        }
        #expect(traffic.state.withLock { $0.rolledBackTo } == .blue)
        #expect(!traffic.state.withLock { $0.weights }.contains(100), "the canary never got every request")
        #expect(try lastCanaryReason(in: workspace)?.hasPrefix("rolled back") == true)
    }
}
