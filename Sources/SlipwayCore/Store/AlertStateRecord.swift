import Foundation
import GRDB

/// What the agent has told about one objective of a component and environment: the burn-rate
/// rules firing and the budget remaining at its last evaluation, so a restarted agent raises
/// only what changed since, not every alert that is still true.
public struct AlertStateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert_states"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var component: String
    public var environment: String
    public var objective: String
    /// Names of the firing rules, as a sorted JSON array.
    public var firing: String
    public var budgetRemaining: Double
    public var evaluatedAt: Date

    /// The state of a rule set kept under the name `objective` (an objective, or an alarm).
    public init(
        component: String, environment: String, objective: String, firing: Set<String>, budgetRemaining: Double = 1,
        evaluatedAt: Date
    ) {
        self.component = component
        self.environment = environment
        self.objective = objective
        self.firing = (try? JSONEncoder().encode(firing.sorted())).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        self.budgetRemaining = budgetRemaining
        self.evaluatedAt = evaluatedAt
    }

    /// The names of the rules firing.
    public var firingRules: Set<String> {
        Set((try? JSONDecoder().decode([String].self, from: Data(firing.utf8))) ?? [])
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, objective, firing, budgetRemaining = "budget_remaining", evaluatedAt = "evaluated_at"
    }
}
