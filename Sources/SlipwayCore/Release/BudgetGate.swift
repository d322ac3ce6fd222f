import Foundation

/// Refuses a deploy (never a rollback) to production while one of the component's objectives
/// has spent its error budget, when the component asks for it (`slo.refuse_deploys_when_spent`).
/// The refusal is raised as an alert too.
public struct BudgetGate: Sendable {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    public func check(_ component: Component, environment: String, now: Date = Date()) throws(SlipwayError) {
        guard environment == "production", component.settings.slo.refuseDeploysWhenSpent else { return }
        let minute = SLIMinute.number(of: now)
        for objective in component.settings.slo.objectives {
            let sums = try engine.store.sliSums(
                component: component.name, environment: environment, objective: objective.name,
                lengths: [objective.windowMinutes, 60], before: minute)
            let status = SLOStatus(objective: objective, window: sums[0], lastHour: sums[1])
            guard status.current != nil, status.budgetRemaining <= 0 else { continue }
            let message = "deploy of \(component.name) to \(environment) refused: the error budget of \(objective.name) is spent "
                + "(\(Int((status.budgetRemaining * 100).rounded()))% left); roll back instead, or set slo.refuse_deploys_when_spent: false"
            try engine.store.raise(
                Alert(severity: .info, change: "deploy_blocked", component: component.name, environment: environment,
                      objective: objective.name, message: message, time: now),
                routing: engine.workspace.config.alerts)
            throw .failure(message)
        }
    }
}
