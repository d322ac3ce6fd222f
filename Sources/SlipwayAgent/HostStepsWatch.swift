import Foundation
import Synchronization
import SlipwayCore

/// Takes this host's steps of deploys to several hosts from the store and does each with this
/// host's checkout, router and slots, touching the ones in hand so the waiting run knows the
/// host is alive. The host is `ProcessIdentity.hostName` (`SLIPWAY_HOST`).
final class HostStepsWatch: Sendable {
    let root: URL
    let statePath: URL
    let store: EventStore
    let host: String
    /// Steps in hand, so the watch touches them only while there are some.
    private let inHand = Atomic<Int>(0)
    /// Seconds between two touches of the steps in hand: well within `HostStep.staleAfter`.
    static let touchInterval = 2.0
    /// Test hook: when set, this host's agent fails each `switch` step it takes with this
    /// message, as a switch whose health gate failed would, so a test sees a deploy whose prepare
    /// went well on every host stand or be reverted on the hosts that did switch.
    static let switchFailureHook = "SLIPWAY_TEST_HOST_SWITCH_FAILS"
    /// What `switchFailureHook` says; nil (always, outside tests) does every switch.
    private let switchFailure: String?

    init(
        root: URL, statePath: URL, store: EventStore, host: String = ProcessIdentity.hostName,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.root = root
        self.statePath = statePath
        self.store = store
        self.host = host
        switchFailure = environment[Self.switchFailureHook]
    }

    /// A look for new steps each time the store changes (a step's request is an event), and at
    /// least every `pause` seconds of `clock`, while `running` says so.
    func watch(on changes: StoreChanges, clock: any EngineClock, pause: Double, while running: @escaping @Sendable () -> Bool) async {
        var lastTouch = clock.now()
        var seen: Int64 = 0
        while running() {
            do {
                for step in try store.claimHostSteps(of: host) { start(step) }
                if inHand.load(ordering: .relaxed) > 0, clock.now().timeIntervalSince(lastTouch) >= Self.touchInterval {
                    lastTouch = clock.now()
                    try store.touchHostSteps(of: host)
                }
            } catch {
                AgentLog.logger.error("cannot take this host's steps from the store: \(error.message)")
            }
            seen = await changes.wait(after: seen, atMost: pause)
            if Task.isCancelled { return }
        }
    }

    private func start(_ step: HostStep) {
        inHand.add(1, ordering: .relaxed)
        Task { [root, statePath, store, switchFailure] in
            defer { inHand.subtract(1, ordering: .relaxed) }
            let label = "\(step.component)/\(step.environment) \(step.kind.rawValue) of run \(step.runID)"
            let log = StageLog(cancellation: CancellationFlag()) { line in AgentLog.logger.notice("\(label): \(line)") }
            let finished: HostStep
            if step.kind == .switch, let switchFailure {
                log("failing the switch (\(Self.switchFailureHook)): \(switchFailure)")
                finished = step.finished(.failed, detail: switchFailure)
            } else {
                finished = await Self.perform(step, root: root, statePath: statePath, log: log)
            }
            do throws(SlipwayError) {
                try store.finish(finished)
            } catch {
                AgentLog.logger.error("cannot record the end of \(label): \(error.message)")
            }
        }
    }

    /// Does `step` with an engine of this host's checkout; returns it finished.
    private static func perform(_ step: HostStep, root: URL, statePath: URL, log: StageLog) async -> HostStep {
        do throws(SlipwayError) {
            let engine = try await Engine.open(workspace: root, state: statePath, origin: "agent", output: { line in log(line) })
            return await HostStepWork(engine: engine).perform(step, log: log)
        } catch {
            return step.finished(.failed, detail: error.message)
        }
    }
}
