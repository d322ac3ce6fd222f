import Foundation

/// How a run that died after it began moving traffic ends safe when no checkpoint lets another
/// process go on with it (a Makefile's goals, a cloud platform's calls): every request back on
/// the last good release, the one the projection has live (only a success or a confirmed switch
/// records one), and the run failed saying so. A canary the run left open is recorded rolled back.
public struct TrafficRestoration: Sendable {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    /// The stages whose start means traffic may have moved.
    static let movingStages = ["switch-traffic", "canary"]

    /// The plan that restores the traffic `run` moved, ending in a stage that fails the run with
    /// why; nil when the run never began moving traffic, or no release is known good to go back to.
    public func plan(after run: RunRecord) async throws(SlipwayError) -> RunPlan? {
        guard let name = run.component, let environment = run.environment,
              let moving = try movingStage(of: run),
              let lastGood = try engine.store.projection().states[.init(component: name, environment: environment)],
              let version = lastGood.liveVersion
        else { return nil }
        // The platform's token may come from the environment's secrets provider.
        let engine = try await self.engine.withSecrets(for: environment)
        let target = try engine.target(for: try engine.workspace.component(named: name), environment: environment)
        let reason = "the process executing it (pid \(run.pid)) died during \(moving); every request is back on \(version)"
            + (lastGood.liveColor.map { " (\($0))" } ?? "")
        var plan = RunPlan(id: run.id, kind: run.kind, component: name, environment: environment)
        plan.version = run.version
        plan.stages = try await target.restoreStages(lastGood: lastGood, runID: run.id) + [
            RunPlan.Stage(name: "interrupted", description: "record why the run did not go on") { _ throws(SlipwayError) in
                try Self.closeCanary(runID: run.id, component: name, environment: environment, reason: reason, store: engine.store, now: engine.clock.now())
                throw .failure(reason)
            },
        ]
        return plan
    }

    /// The stages of a non-local target that send every request of an open canary back to its
    /// stable release; nil when the local router does that (the agent's own switch).
    public func canaryRestoreStages(of canary: CanaryRecord) async throws(SlipwayError) -> [RunPlan.Stage]? {
        let component = try engine.workspace.component(named: canary.component)
        guard !(try engine.target(for: component, environment: canary.environment) is LocalDeployment) else { return nil }
        let engine = try await self.engine.withSecrets(for: canary.environment)
        let target = try engine.target(for: component, environment: canary.environment)
        guard let lastGood = try engine.store.projection().states[.init(component: canary.component, environment: canary.environment)]
        else { throw SlipwayError(.target(.noGoodRelease(component: canary.component, environment: canary.environment))) }
        return try await target.restoreStages(lastGood: lastGood, runID: canary.runID)
    }

    private func movingStage(of run: RunRecord) throws(SlipwayError) -> String? {
        for stage in Self.movingStages where try engine.store.startOfStage(stage, runID: run.id) != nil { return stage }
        return nil
    }

    /// Records the canary `runID` left open as rolled back, for `reason`.
    public static func closeCanary(
        runID: String, component: String, environment: String, reason: String, store: EventStore, now: Date
    ) throws(SlipwayError) {
        guard let canary = try store.canary(component: component, environment: environment), canary.runID == runID,
              var progress = canary.decodedProgress, !progress.isFinished else { return }
        _ = progress.rollBack(reason: reason)
        try store.save(
            CanaryRecord(
                component: component, environment: environment, runID: runID, version: canary.version,
                canaryColor: canary.canaryColor, stableColor: canary.stableColor, progress: progress, updatedAt: now),
            event: NewEvent(
                .canaryChanged, component: component, environment: environment, runID: runID,
                details: EventDetails(version: canary.version, color: canary.stableColor, reason: "rolled back: \(reason)")))
    }
}
