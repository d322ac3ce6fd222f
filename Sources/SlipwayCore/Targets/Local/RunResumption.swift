import Foundation

/// Makes a run's remaining stages again from its checkpoint, for the agent that takes over a
/// run whose agent died (SIGKILL, a reboot): the stages that succeeded are not run again, the
/// one it died in runs again (each is safe to repeat), a post-promotion watch goes on until its
/// original deadline, and a canary step, which nobody judged, ends safe on the stable colour.
public struct RunResumption: Sendable {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    /// The plan and the index of the stage to go on from; nil when the run cannot be resumed
    /// (no checkpoint: a Makefile target's goals are not known to be safe to repeat).
    public func plan(for request: RequestRecord, run: RunRecord) throws(SlipwayError) -> (plan: RunPlan, from: Int)? {
        guard let checkpoint = request.checkpoint else { return nil }
        let component = try engine.workspace.component(named: request.request.component)
        let environment = request.request.environment
        let local = LocalDeployment(engine: engine, component: component, environment: environment)
        var stages: [RunPlan.Stage]
        switch checkpoint.shape {
        case .deploy:
            stages = local.stages(
                version: checkpoint.version, color: checkpoint.color, liveColor: checkpoint.previousColor,
                source: checkpoint.source.map { URL(fileURLWithPath: $0) } ?? component.directory)
        case .promotion:
            stages = [local.healthGate(color: checkpoint.color)]
                + local.promotionStages(version: checkpoint.version, color: checkpoint.color, switchBackTo: checkpoint.previousColor)
        case .switchTraffic:
            stages = [local.healthGate(color: checkpoint.color), local.switchStage(to: checkpoint.color)]
        }
        let succeeded = try engine.store.succeededStages(runID: run.id)
        let index = stages.firstIndex { !succeeded.contains($0.name) } ?? stages.count
        if index < stages.count {
            switch stages[index].name {
            case "post-promotion":
                let started = try engine.store.startOfStage("post-promotion", runID: run.id)
                stages[index] = local.postPromotionStage(
                    switchBackTo: checkpoint.previousColor,
                    deadline: started.map { $0.addingTimeInterval(component.settings.postPromotion) })
            case "canary":
                if let stable = checkpoint.previousColor {
                    stages[index] = local.abandonedCanaryStage(canary: checkpoint.color, stable: stable)
                }
            default:
                break
            }
        }
        var plan = RunPlan(id: run.id, kind: run.kind, component: component.name, environment: environment)
        plan.version = checkpoint.version
        plan.commit = checkpoint.commit
        plan.stages = stages
        plan.successEvents = checkpoint.successEvents
        plan.failureEvents = checkpoint.failureEvents
        plan.checkpoint = checkpoint
        return (plan, index)
    }
}
