/// An objective's figures at one minute, as `slipway slo` shows them.
public struct SLOStatus: Sendable, Equatable, Codable {
    public var objective: ServiceLevelObjective
    /// Percent of good events over the objective's window; nil without events.
    public var current: Double?
    /// 1 - bad ratio over the window / budget: 1 untouched, 0 spent, negative overspent.
    public var budgetRemaining: Double
    /// Bad ratio over the last hour / budget: 1 spends the budget exactly over the window.
    public var burnRate: Double
    /// Days of the window until the budget is spent at the current burn rate; nil when nothing burns.
    public var daysToExhaustion: Double?

    public init(objective: ServiceLevelObjective, series: SLOSeries, at end: Int) {
        self.init(
            objective: objective, window: series.counts(last: objective.windowMinutes, before: end),
            lastHour: series.counts(last: 60, before: end))
    }

    /// From the counts of the objective's window and of the last hour, as the store sums them.
    public init(objective: ServiceLevelObjective, window: (total: Int, bad: Int), lastHour: (total: Int, bad: Int)) {
        self.objective = objective
        let ratio = window.total == 0 ? nil : Double(window.bad) / Double(window.total)
        current = ratio.map { (1 - $0) * 100 }
        budgetRemaining = objective.budget > 0 ? 1 - (ratio ?? 0) / objective.budget : 1
        burnRate = objective.budget > 0 && lastHour.total > 0 ? Double(lastHour.bad) / Double(lastHour.total) / objective.budget : 0
        if budgetRemaining <= 0 {
            daysToExhaustion = 0
        } else if burnRate > 0 {
            daysToExhaustion = budgetRemaining * Double(objective.windowMinutes) / 1440 / burnRate
        } else {
            daysToExhaustion = nil
        }
    }

    /// The window's bad events used the whole budget (or more): shown as "spent", never as a
    /// negative figure like `-5900%`.
    public var isBudgetSpent: Bool { budgetRemaining <= 0 }

    enum CodingKeys: String, CodingKey {
        case objective, current, budgetRemaining = "budget_remaining", burnRate = "burn_rate"
        case daysToExhaustion = "days_to_exhaustion"
    }
}
