/// What has been told about one objective so far, so each evaluation reports only changes.
public struct SLOAlerting: Sendable, Equatable, Codable {
    public var objective: ServiceLevelObjective
    public var rules: [BurnRateRule]
    /// Names of the rules firing now.
    public private(set) var firing: Set<String> = []
    /// The budget remaining at the previous evaluation.
    public private(set) var lastBudgetRemaining: Double = 1

    public static let budgetThresholds: [Double] = [0.5, 0.25, 0]

    public init(objective: ServiceLevelObjective, rules: [BurnRateRule] = BurnRateRule.standard) {
        self.objective = objective
        self.rules = rules
    }

    /// Evaluates at minute `end` (over the complete minutes before it) and returns what changed.
    public mutating func evaluate(_ series: SLOSeries, at end: Int) -> [SLOAlert] {
        var alerts: [SLOAlert] = []
        for rule in rules {
            let long = SLOStatus.burnRate(series, objective: objective, minutes: rule.longMinutes, before: end)
            let short = SLOStatus.burnRate(series, objective: objective, minutes: rule.shortMinutes, before: end)
            if firing.contains(rule.name) {
                guard short < rule.factor else { continue }
                firing.remove(rule.name)
                alerts.append(SLOAlert(
                    change: .cleared, severity: rule.severity, objective: objective.name, rule: rule.name, minute: end,
                    message: "\(objective.name): burn rate over \(BurnRateRule.window(rule.shortMinutes)) is \(Self.format(short)), "
                        + "below \(Self.format(rule.factor))"))
            } else if long > rule.factor, short > rule.factor {
                firing.insert(rule.name)
                alerts.append(SLOAlert(
                    change: .fired, severity: rule.severity, objective: objective.name, rule: rule.name, minute: end,
                    message: "\(objective.name): burning the error budget \(Self.format(long))x over "
                        + "\(BurnRateRule.window(rule.longMinutes)) and \(Self.format(short))x over "
                        + "\(BurnRateRule.window(rule.shortMinutes)) (limit \(Self.format(rule.factor))x)"))
            }
        }
        let remaining = SLOStatus(objective: objective, series: series, at: end).budgetRemaining
        for threshold in Self.budgetThresholds where lastBudgetRemaining > threshold && remaining <= threshold {
            let percent = Int(threshold * 100)
            alerts.append(SLOAlert(
                change: .budgetCrossed, severity: .info, objective: objective.name, rule: "\(percent)%", minute: end,
                message: percent == 0
                    ? "\(objective.name): the error budget is spent"
                    : "\(objective.name): \(percent)% of the error budget remains"))
        }
        lastBudgetRemaining = remaining
        return alerts
    }

    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
    }
}
