/// One condition of the quality gate: SonarQube's `{metric, op, threshold}`; it fails when the
/// measured value is on the wrong side of the threshold.
public struct GateCondition: Sendable, Equatable {
    public enum Metric: String, Sendable, Encodable, CaseIterable {
        case newCoverage = "new_coverage"
        case newDuplicatedLinesDensity = "new_duplicated_lines_density"
        case newReliabilityRating = "new_reliability_rating"
        case newSecurityRating = "new_security_rating"
        case newMaintainabilityRating = "new_maintainability_rating"
        case sastBlockingFindings = "sast_blocking_findings"
        case dependencyBlockingVulns = "dependency_blocking_vulns"

        /// Whether `quality_gates.sonarqube` governs it (else `security_scan` does).
        public var isSonarQube: Bool { ![.sastBlockingFindings, .dependencyBlockingVulns].contains(self) }
        public var isRating: Bool { [.newReliabilityRating, .newSecurityRating, .newMaintainabilityRating].contains(self) }
        /// Whether a small change set turns its failure into OK.
        public var isIgnoredOnSmallChanges: Bool { [.newCoverage, .newDuplicatedLinesDensity].contains(self) }
    }

    public enum Operator: String, Sendable, Encodable {
        /// Fails when the value is less than the threshold.
        case lessThan = "LT"
        /// Fails when the value is greater than the threshold.
        case greaterThan = "GT"
    }

    public var metric: Metric
    public var op: Operator
    public var threshold: Double

    public init(metric: Metric, op: Operator, threshold: Double) {
        self.metric = metric
        self.op = op
        self.threshold = threshold
    }

    public func fails(_ value: Double) -> Bool {
        op == .lessThan ? value < threshold : value > threshold
    }

    /// The seed's gate ("Sonar way (legacy)" plus clean scans), with `settings`' thresholds.
    public static func conditions(for settings: QualityGateSettings) -> [GateCondition] {
        [
            GateCondition(metric: .newCoverage, op: .lessThan, threshold: settings.testCoverage),
            GateCondition(metric: .newDuplicatedLinesDensity, op: .greaterThan, threshold: settings.duplication),
            GateCondition(metric: .newReliabilityRating, op: .greaterThan, threshold: Double(settings.reliabilityRating)),
            GateCondition(metric: .newSecurityRating, op: .greaterThan, threshold: Double(settings.securityRating)),
            GateCondition(
                metric: .newMaintainabilityRating, op: .greaterThan, threshold: Double(settings.maintainabilityRating)),
            GateCondition(metric: .sastBlockingFindings, op: .greaterThan, threshold: 0),
            GateCondition(metric: .dependencyBlockingVulns, op: .greaterThan, threshold: 0),
        ]
    }

    /// How a value reads: `82.5%`, `B`, `3`.
    public func text(_ value: Double) -> String {
        if metric.isRating { return Self.letter(value) }
        if [.newCoverage, .newDuplicatedLinesDensity].contains(metric) {
            return String(format: "%.1f%%", value)
        }
        return String(Int(value))
    }

    static func letter(_ rating: Double) -> String {
        let letters = ["A", "B", "C", "D", "E"]
        return letters[min(max(Int(rating) - 1, 0), 4)]
    }
}
