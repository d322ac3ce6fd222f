/// The quality gate a pipeline asks after a component's tests passed: the seam where the
/// SonarQube-style gate evaluation plugs in.
public protocol GateEvaluating: Sendable {
    /// `environment` is nil on a branch that deploys nowhere; `base` is the commit changes are measured from.
    func evaluate(component: Component, environment: EnvironmentSettings?, base: String) async throws(SlipwayError) -> GateVerdict
}

/// A gate's answer: whether the component may go on, and one line saying why.
public struct GateVerdict: Sendable, Equatable {
    public var passed: Bool
    public var summary: String
    /// Each condition as it came out, kept for the production checklist.
    public var checks: [GateCheckRecord]

    public init(passed: Bool, summary: String, checks: [GateCheckRecord] = []) {
        self.passed = passed
        self.summary = summary
        self.checks = checks
    }
}
