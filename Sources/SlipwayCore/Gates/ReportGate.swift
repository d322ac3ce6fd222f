/// The pipeline's quality gate: after a component's tests passed, runs the goals that write its
/// other reports (`coverage`, `scan`, when its Makefile has them) and evaluates the
/// SonarQube-style conditions on what they wrote, failing closed on a missing report.
public struct ReportGate: GateEvaluating {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    public func evaluate(
        component: Component, environment: EnvironmentSettings?, base: String
    ) async throws(SlipwayError) -> GateVerdict {
        let workspace = engine.workspace
        // A branch that deploys nowhere is held to the first environment the gate applies in.
        guard let name = environment?.name ?? workspace.config.environments.first(where: \.sonarqube)?.name else {
            return Self.skipped(because: "no environment has sonarqube enabled")
        }
        let gate = QualityGate(workspace: workspace)
        if let reason = try gate.skipReason(component: component, environment: name) {
            return Self.skipped(because: reason)
        }
        if var plan = ReportGoals.plan(for: component, in: workspace) {
            // The pipeline's own test stage has just run `make test`.
            plan.stages.removeAll { $0.name == "test" }
            if !plan.stages.isEmpty {
                let result = try await engine.executor.execute(plan, origin: engine.origin, cancellation: CancellationFlag())
                guard result.succeeded else {
                    return GateVerdict(passed: false, summary: "make \(result.failedStage ?? "goal") failed (run \(result.runID))")
                }
            }
        }
        let evaluation = try await gate.evaluate(component: component, environment: name, base: base)
        return GateVerdict(passed: evaluation.passed, summary: evaluation.summary, checks: evaluation.conditions.map(Self.check))
    }

    /// A gate skipped as a whole: each of its checks skipped, for `reason`.
    static func skipped(because reason: String) -> GateVerdict {
        GateVerdict(
            passed: true, summary: "gate skipped: \(reason)",
            checks: GateCondition.Metric.allCases.map { GateCheckRecord(name: $0.rawValue, status: .skipped, detail: "gate skipped: \(reason)") })
    }

    /// A condition's result as the checklist keeps it: `82.0%: ...` with why.
    static func check(_ result: GateConditionResult) -> GateCheckRecord {
        let value = result.value.map { "\(result.condition.text($0)): " } ?? ""
        switch result.status {
        case .ok: return GateCheckRecord(name: result.metric.rawValue, status: .passed, detail: value + result.why)
        case .error: return GateCheckRecord(name: result.metric.rawValue, status: .failed, detail: value + result.why)
        case .skipped: return GateCheckRecord(name: result.metric.rawValue, status: .skipped, detail: result.why)
        }
    }
}
