/// The seed's `qualityGates`: which checks must pass before a deploy, their thresholds and
/// where the reports they read are (paths relative to the component's folder).
public struct QualityGateSettings: Sendable, Equatable {
    /// The SonarQube-style conditions: coverage and duplication on new code, ratings.
    public var sonarqube = true
    /// Minimum percent of new code covered by tests.
    public var testCoverage: Double = 80
    /// SAST and dependency scans must be clean.
    public var securityScan = true
    public var healthChecks = true
    /// Maximum percent of new lines that duplicate code elsewhere in the component.
    public var duplication: Double = 3
    /// Worst rating allowed, 1 (A) to 5 (E).
    public var reliabilityRating = 1
    public var securityRating = 1
    public var maintainabilityRating = 1
    /// Below this many new lines, failing coverage and duplication conditions are ignored.
    public var minimumNewLines = 20
    public var reports = Reports()

    public struct Reports: Sendable, Equatable {
        public var coverage = ["coverage/lcov.info"]
        public var sast = ["reports/sast.sarif"]
        public var dependencies = ["reports/dependencies.json"]
        /// A jscpd JSON report; when absent, the built-in detector measures duplication.
        public var duplication: String?
    }

    public init() {}

    /// Overrides as written under `quality_gates`, kept apart so that an environment's can apply
    /// on top of whatever the component says.
    public struct Overrides: Sendable, Equatable {
        var changes: [Change] = []

        enum Change: Sendable, Equatable {
            case sonarqube(Bool), testCoverage(Double), securityScan(Bool), healthChecks(Bool), duplication(Double)
            case reliabilityRating(Int), securityRating(Int), maintainabilityRating(Int), minimumNewLines(Int)
            case coverageReports([String]), sastReports([String]), dependencyReports([String]), duplicationReport(String?)
        }

        public var isEmpty: Bool { changes.isEmpty }
    }

    public func applying(_ overrides: Overrides) -> QualityGateSettings {
        var settings = self
        for change in overrides.changes {
            switch change {
            case .sonarqube(let value): settings.sonarqube = value
            case .testCoverage(let value): settings.testCoverage = value
            case .securityScan(let value): settings.securityScan = value
            case .healthChecks(let value): settings.healthChecks = value
            case .duplication(let value): settings.duplication = value
            case .reliabilityRating(let value): settings.reliabilityRating = value
            case .securityRating(let value): settings.securityRating = value
            case .maintainabilityRating(let value): settings.maintainabilityRating = value
            case .minimumNewLines(let value): settings.minimumNewLines = value
            case .coverageReports(let paths): settings.reports.coverage = paths
            case .sastReports(let paths): settings.reports.sast = paths
            case .dependencyReports(let paths): settings.reports.dependencies = paths
            case .duplicationReport(let path): settings.reports.duplication = path
            }
        }
        return settings
    }

    func overlaid(with node: ConfigNode) throws(SlipwayError) -> QualityGateSettings {
        applying(try Self.overrides(node))
    }

    static func overrides(_ node: ConfigNode) throws(SlipwayError) -> Overrides {
        let entries = try node.mapping(
            allowing: [
                "sonarqube", "test_coverage", "security_scan", "health_checks", "duplication", "reliability_rating",
                "security_rating", "maintainability_rating", "minimum_new_lines", "reports",
            ],
            aliases: [
                "sonarQube": "sonarqube", "testCoverage": "test_coverage",
                "securityScan": "security_scan", "healthChecks": "health_checks",
            ],
            context: "quality_gates")
        var overrides = Overrides()
        if let value = entries["sonarqube"] { overrides.changes.append(.sonarqube(try value.bool("sonarqube"))) }
        if let value = entries["test_coverage"] { overrides.changes.append(.testCoverage(try value.percent("test_coverage"))) }
        if let value = entries["security_scan"] { overrides.changes.append(.securityScan(try value.bool("security_scan"))) }
        if let value = entries["health_checks"] { overrides.changes.append(.healthChecks(try value.bool("health_checks"))) }
        if let value = entries["duplication"] { overrides.changes.append(.duplication(try value.percent("duplication"))) }
        if let value = entries["reliability_rating"] {
            overrides.changes.append(.reliabilityRating(try rating(value, "reliability_rating")))
        }
        if let value = entries["security_rating"] {
            overrides.changes.append(.securityRating(try rating(value, "security_rating")))
        }
        if let value = entries["maintainability_rating"] {
            overrides.changes.append(.maintainabilityRating(try rating(value, "maintainability_rating")))
        }
        if let value = entries["minimum_new_lines"] {
            overrides.changes.append(.minimumNewLines(try value.int("minimum_new_lines", in: 0...1_000_000)))
        }
        if let value = entries["reports"] {
            let reports = try value.mapping(
                allowing: ["coverage", "sast", "dependencies", "duplication"], context: "quality_gates.reports")
            if let paths = reports["coverage"] { overrides.changes.append(.coverageReports(try paths.stringList("coverage"))) }
            if let paths = reports["sast"] { overrides.changes.append(.sastReports(try paths.stringList("sast"))) }
            if let paths = reports["dependencies"] {
                overrides.changes.append(.dependencyReports(try paths.stringList("dependencies")))
            }
            if let path = reports["duplication"] {
                overrides.changes.append(.duplicationReport(path.isNull ? nil : try path.string("duplication")))
            }
        }
        return overrides
    }

    /// A letter A..E (or 1..5), as SonarQube writes ratings.
    private static func rating(_ node: ConfigNode, _ what: String) throws(SlipwayError) -> Int {
        let text = try node.string(what).uppercased()
        if let index = ["A", "B", "C", "D", "E"].firstIndex(of: text) { return index + 1 }
        if let value = Int(text), (1...5).contains(value) { return value }
        throw node.location.error("\(what) must be a rating A to E, found '\(text)'")
    }
}
