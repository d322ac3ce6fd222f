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

    /// Takes up where an earlier evaluation left off (as stored by the agent): rules no longer
    /// in `rules` are dropped.
    public init(
        objective: ServiceLevelObjective, rules: [BurnRateRule] = BurnRateRule.standard, firing: Set<String>,
        lastBudgetRemaining: Double
    ) {
        self.init(objective: objective, rules: rules)
        self.firing = firing.intersection(rules.map(\.name))
        self.lastBudgetRemaining = lastBudgetRemaining
    }

    /// The window lengths ``evaluate(_:)`` reads.
    public var windowLengths: [Int] { SLOWindows.lengths(for: objective, rules: rules) }

    /// Evaluates at minute `end` (over the complete minutes before it) and returns what changed.
    public mutating func evaluate(_ series: SLOSeries, at end: Int) -> [SLOAlert] {
        evaluate(SLOWindows(series, lengths: windowLengths, before: end))
    }

    /// Evaluates over the windows' counts (which must hold ``windowLengths``) and returns what changed.
    public mutating func evaluate(_ windows: SLOWindows) -> [SLOAlert] {
        let end = windows.end
        var alerts: [SLOAlert] = []
        for rule in rules {
            let long = windows.burnRate(last: rule.longMinutes, objective: objective)
            let short = windows.burnRate(last: rule.shortMinutes, objective: objective)
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
        let window = windows.counts(last: objective.windowMinutes)
        let hour = windows.counts(last: 60)
        let remaining = SLOStatus(
            objective: objective, window: (window.total, window.bad), lastHour: (hour.total, hour.bad)).budgetRemaining
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
