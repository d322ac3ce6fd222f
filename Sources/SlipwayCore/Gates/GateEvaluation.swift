/// The quality gate's verdict for one component in one environment.
public struct GateEvaluation: Sendable, Equatable, Encodable {
    public var component: String
    public var environment: String
    /// The commit new code is measured against; nil when the gate was skipped.
    public var base: String?
    /// Added non-blank lines in `base...HEAD` under the component.
    public var newLines: Int
    public var passed: Bool
    public var conditions: [GateConditionResult]
    /// One line: the verdict and, when it failed, the conditions that failed it.
    public var summary: String

    public init(
        component: String, environment: String, base: String?, newLines: Int, conditions: [GateConditionResult]
    ) {
        self.component = component
        self.environment = environment
        self.base = base
        self.newLines = newLines
        self.conditions = conditions
        passed = !conditions.contains { $0.status == .error }
        let failed = conditions.filter { $0.status == .error }
        let evaluated = conditions.filter { $0.status != .skipped }.count
        if !passed {
            let reasons = failed.map { "\($0.metric.rawValue) (\($0.why))" }.joined(separator: "; ")
            summary = "quality gate failed for \(component) in \(environment): \(reasons)"
        } else if evaluated == 0 {
            let reason = conditions.first?.why ?? "no conditions"
            summary = "quality gate skipped for \(component) in \(environment): \(reason)"
        } else {
            summary = "quality gate passed for \(component) in \(environment): \(evaluated) of \(conditions.count) conditions OK"
                + (evaluated < conditions.count ? ", \(conditions.count - evaluated) skipped" : "")
        }
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, base, passed, conditions, summary
        case newLines = "new_lines"
    }
}
