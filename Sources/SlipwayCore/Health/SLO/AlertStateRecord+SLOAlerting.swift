import Foundation

/// An objective's alerting kept as the store's record, and taken up again from it.
extension AlertStateRecord {
    public init(component: String, environment: String, alerting: SLOAlerting, evaluatedAt: Date) {
        self.init(
            component: component, environment: environment, objective: alerting.objective.name, firing: alerting.firing,
            budgetRemaining: alerting.lastBudgetRemaining, evaluatedAt: evaluatedAt)
    }

    /// `objective`'s alerting as stored, with the rules of today's settings.
    public func alerting(objective: ServiceLevelObjective, rules: [BurnRateRule] = BurnRateRule.standard) -> SLOAlerting {
        SLOAlerting(objective: objective, rules: rules, firing: firingRules, lastBudgetRemaining: budgetRemaining)
    }
}
