import Foundation
import GRDB

/// What the agent has told about one objective of a component and environment: the burn-rate
/// rules firing and the budget remaining at its last evaluation, so a restarted agent raises
/// only what changed since, not every alert that is still true.
public struct AlertStateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert_states"

    public var component: String
    public var environment: String
    public var objective: String
    /// Names of the firing rules, as a sorted JSON array.
    public var firing: String
    public var budgetRemaining: Double
    public var evaluatedAt: Date

    public init(component: String, environment: String, alerting: SLOAlerting, evaluatedAt: Date) {
        self.component = component
        self.environment = environment
        objective = alerting.objective.name
        firing = (try? JSONEncoder().encode(alerting.firing.sorted())).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        budgetRemaining = alerting.lastBudgetRemaining
        self.evaluatedAt = evaluatedAt
    }

    /// `objective`'s alerting as stored, with the rules of today's settings.
    public func alerting(objective: ServiceLevelObjective, rules: [BurnRateRule] = BurnRateRule.standard) -> SLOAlerting {
        let names = (try? JSONDecoder().decode([String].self, from: Data(firing.utf8))) ?? []
        return SLOAlerting(objective: objective, rules: rules, firing: Set(names), lastBudgetRemaining: budgetRemaining)
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, objective, firing, budgetRemaining = "budget_remaining", evaluatedAt = "evaluated_at"
    }
}
