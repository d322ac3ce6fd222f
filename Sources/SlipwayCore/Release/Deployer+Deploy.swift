import Foundation

/// A deploy (or a rollback that redeploys): the release built and started in the idle colour,
/// gated, and given the traffic, or left waiting for a switch by hand.
extension Deployer {
    /// Deploys `reference` to `environmentName`. Redeploying the live version needs `force`; a
    /// version no pipeline gated goes to production only with `overrideGates` when they are required.
    public func deploy(
        _ reference: String, kind: ComponentKind? = nil, environment environmentName: String?, version requested: String?,
        force: Bool, overrideGates: GateOverride? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: reference, kind: kind)
        let environment = try await engine.environment(named: environmentName)
        let (version, commit) = try await engine.version(of: component, requested: requested)
        try refuseRedeploy(component: component, state: try state(of: component, in: environment.name), version: version, force: force)
        try BudgetGate(engine: engine).check(component, environment: environment.name)
        try ProductionGate(engine: engine).check(
            component, environment: environment.name, version: version, override: overrideGates, route: "deploy")
        let plan = try await plan(.deploy, component: component, environment: environment, version: version, commit: commit, forced: force)
        return try await execute(plan, cancellation: cancellation)
    }

    /// Plans a deploy (or a rollback) of `version`, run from `directory` (the component's own
    /// folder, or a worktree of an older commit). A deploy's release records the highest migration
    /// in its source; a rollback's carries `schema`, the one its release recorded when first deployed.
    public func plan(
        _ kind: RunKind, component: Component, environment: EnvironmentSettings, version: String, commit: String?,
        forced: Bool, directory: URL? = nil, schema: String? = nil
    ) async throws(SlipwayError) -> RunPlan {
        let state = try state(of: component, in: environment.name)
        let target = try engine.target(for: component, environment: environment.name)
        var plan = newPlan(kind, component: component.name, environment: environment.name)
        plan.version = version
        plan.commit = commit
        plan.forced = forced
        plan.takesLock = true
        let live = try await liveColor(of: target, state: state)
        let color = target.traffic == .none ? nil : SlotColor.idle(whenLive: live)
        let source = directory ?? component.directory
        plan.stages = target.releaseStages(version: version, color: color, live: live, source: source, runID: plan.id)
        let release = PlannedRelease(
            kind: kind, component: component.name, environment: environment.name, version: version, commit: commit, color: color,
            forced: forced, previousVersion: state?.liveVersion, actor: engine.store.actor, runID: plan.id,
            schema: kind == .rollback ? schema : engine.highestMigration(of: component, in: source)?.text)
        plan.successEvents = release.successEvents(
            waitsForSwitch: target.waitsForSwitch && color != nil,
            healthChecked: plan.stages.contains { $0.name == "health-check" })
        if target.traffic == .weighted, target.resumesFromCheckpoint, let color {
            plan.checkpoint = RunCheckpoint(
                shape: .deploy, version: version, commit: commit, color: color, previousColor: live, source: source.path,
                successEvents: plan.successEvents)
        }
        return plan
    }
}

/// A release about to go live, and what its success records: a pure function of the plan.
struct PlannedRelease: Sendable, Equatable {
    var kind: RunKind
    var component: String
    var environment: String
    var version: String
    var commit: String?
    var color: SlotColor?
    var forced: Bool
    var previousVersion: String?
    var actor: String
    var runID: String
    var schema: String? = nil

    /// A release that waits for a switch is ready, not live, and not yet tagged; one that went
    /// live is recorded as deployed and tagged, and as healthy when a health check gated it.
    func successEvents(waitsForSwitch: Bool, healthChecked: Bool, time: Date = Date()) -> [NewEvent] {
        let healthy = NewEvent(.healthChecked, component: component, environment: environment,
                               details: EventDetails(version: version, healthy: true))
        if waitsForSwitch {
            return [
                NewEvent(.releaseReady, component: component, environment: environment, details: EventDetails(
                    runKind: kind, version: version, commit: commit, color: color?.rawValue)),
                healthy,
            ]
        }
        let tag = ReleaseTag(
            component: component, environment: environment, version: version, commit: commit, actor: actor, time: time, runID: runID)
        return [
            NewEvent(.deploySucceeded, component: component, environment: environment, details: EventDetails(
                runKind: kind, version: version, commit: commit, color: color?.rawValue, forced: forced ? true : nil,
                previousVersion: previousVersion)),
            NewEvent(.releaseTagged, component: component, environment: environment, details: EventDetails(
                version: version, commit: commit, tag: tag.name, schema: schema)),
        ] + (healthChecked ? [healthy] : [])
    }
}
