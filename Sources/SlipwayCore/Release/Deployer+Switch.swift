import Foundation

/// A switch by hand: traffic to the other colour after its health check, or, for a release that
/// waited for this switch, its promotion, watched and tagged as a deploy is.
extension Deployer {
    /// Moves traffic by hand to `color` (default: the idle one), after checking that slot is healthy.
    public func switchTraffic(
        _ reference: String, environment environmentName: String, to requested: SlotColor?, kind: RunKind = .switchTraffic,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: reference)
        let environment = try engine.workspace.environment(named: environmentName)
        let state = try state(of: component, in: environment.name)
        let target = try engine.target(for: component, environment: environment.name)
        let live = try await liveColor(of: target, state: state)
        let color = requested ?? SlotColor.idle(whenLive: live)
        var plan = newPlan(kind, component: component.name, environment: environment.name)
        // A switch moves traffic as a deploy does: it holds the same lock, so it never lands in
        // the middle of another run's watch.
        plan.takesLock = true
        let move = try await target.trafficMove(to: color, state: state, runID: plan.id)
        plan.stages = move.stages
        switch move.kind {
        case .promotion(let ready):
            plan.version = ready.version
            plan.commit = ready.commit
            let release = PlannedRelease(
                kind: kind, component: component.name, environment: environment.name, version: ready.version, commit: ready.commit,
                color: color, forced: false, previousVersion: state?.liveVersion, actor: engine.store.actor, runID: plan.id,
                schema: engine.highestMigration(of: component, in: component.directory)?.text)
            plan.successEvents = release.successEvents(waitsForSwitch: false, healthChecked: true)
            plan.checkpoint = RunCheckpoint(
                shape: .promotion, version: ready.version, commit: ready.commit, color: color, previousColor: live,
                successEvents: plan.successEvents)
        case .switchTo(let version):
            plan.version = version
            plan.successEvents = Self.switchEvents(
                kind: kind, component: component.name, environment: environment.name, version: version, color: color,
                previousVersion: state?.liveVersion, confirmedByTarget: move.confirmedByTarget)
            if move.confirmedByTarget, target.resumesFromCheckpoint, let version {
                plan.checkpoint = RunCheckpoint(
                    shape: .switchTraffic, version: version, commit: nil, color: color, previousColor: live,
                    successEvents: plan.successEvents)
            }
        }
        return try await execute(plan, cancellation: cancellation)
    }

    /// What a switch records when it succeeds. A target that confirms its own switches (the
    /// router) has recorded the move already; its release is recorded as live and healthy (the
    /// switch health-checked it). Otherwise the switch itself is recorded.
    static func switchEvents(
        kind: RunKind, component: String, environment: String, version: String?, color: SlotColor, previousVersion: String?,
        confirmedByTarget: Bool
    ) -> [NewEvent] {
        guard confirmedByTarget else {
            return [NewEvent(.trafficSwitched, component: component, environment: environment,
                             details: EventDetails(color: color.rawValue))]
        }
        return [
            NewEvent(.deploySucceeded, component: component, environment: environment,
                     details: EventDetails(runKind: kind, version: version, color: color.rawValue, previousVersion: previousVersion)),
            NewEvent(.healthChecked, component: component, environment: environment,
                     details: EventDetails(version: version, healthy: true)),
        ]
    }
}
