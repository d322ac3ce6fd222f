import Foundation

/// Deploys, switches and rolls back components over their `DeployTarget`: each operation (one
/// file each) refuses what must not happen, plans its run (stages from the target, events from
/// a pure function of the state) and executes it. The agent calls `perform` for a request;
/// `--local` does the same in process.
///
/// Release/ is above Targets/, a peer of Pipeline/, Gates/, Health/, Data/ and Secrets/ (Support <- Workspace
/// <- Store <- Targets <- Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine).
public struct Deployer: Sendable {
    public var engine: Engine
    /// The id the next run takes: a request's, so whoever asked follows the run by it.
    public var runID: String?

    public init(engine: Engine, runID: String? = nil) {
        self.engine = engine
        self.runID = runID
    }

    /// Executes a recorded request in this process.
    public func perform(_ request: RunRequest, cancellation: CancellationFlag = CancellationFlag()) async throws(SlipwayError) -> RunResult {
        switch request {
        case .deploy(let deploy):
            return try await self.deploy(
                deploy.component, kind: deploy.kind, environment: deploy.environment, version: deploy.version,
                force: deploy.force, overrideGates: deploy.overrideGates, cancellation: cancellation)
        case .switchTraffic(let request):
            return try await switchTraffic(
                request.component, environment: request.environment, to: request.color, cancellation: cancellation)
        case .rollback(let rollback):
            return try await self.rollback(
                rollback.component, environment: rollback.environment, to: rollback.version, force: rollback.force,
                reason: rollback.reason, overrideGates: rollback.overrideGates, cancellation: cancellation)
        case .promote, .migrate:
            return try await engine.perform(request, runID: runID, cancellation: cancellation)
        }
    }

    func newPlan(_ kind: RunKind, component: String, environment: String) -> RunPlan {
        RunPlan(id: runID ?? RunRecord.newID(), kind: kind, component: component, environment: environment)
    }

    func state(of component: Component, in environment: String) throws(SlipwayError) -> DeploymentState? {
        try engine.store.projection().states[.init(component: component.name, environment: environment)]
    }

    static func liveColor(_ state: DeploymentState?) -> SlotColor? { state?.liveColor.flatMap(SlotColor.init(rawValue:)) }

    /// The live colour as the platform has it when the target can read it back (a switch
    /// interrupted after the platform changed but before the store recorded it is not guessed
    /// at), else as the store has it.
    func liveColor(of target: any DeployTarget, state: DeploymentState?) async throws(SlipwayError) -> SlotColor? {
        let recorded = Self.liveColor(state)
        guard let platform = try await target.platformLiveColor() else { return recorded }
        if let recorded, recorded != platform {
            engine.output("\(target.component.name) in \(target.environment): the platform sends the traffic to \(platform), "
                + "the store says \(recorded); going by the platform")
        }
        return platform
    }

    func refuseRedeploy(component: Component, state: DeploymentState?, version: String, force: Bool) throws(SlipwayError) {
        if state?.liveVersion == version && !force {
            throw SlipwayError(.release(.alreadyLive(
                component: component.name, version: version, environment: state?.environment ?? "?", forceHint: true)))
        }
    }

    func execute(_ plan: RunPlan, cancellation: CancellationFlag) async throws(SlipwayError) -> RunResult {
        let result = try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
        if result.succeeded, engine.workspace.config.tags == .git, let git = engine.git,
           plan.successEvents.contains(where: { $0.kind == .releaseTagged }),
           let commit = plan.commit, let component = plan.component, let environment = plan.environment, let version = plan.version {
            try await git.tag("\(component)/\(environment)/\(version)", commit: commit)
        }
        if result.succeeded, plan.kind == .deploy || plan.kind == .rollback, let name = plan.component, let environment = plan.environment,
           let component = try? engine.workspace.component(named: name) {
            try? engine.target(for: component, environment: environment).pruneReleases(output: engine.output)
        }
        return result
    }
}
