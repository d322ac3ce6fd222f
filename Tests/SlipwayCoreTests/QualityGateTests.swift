import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A git workspace with one app, `apps/web`: a base commit on `develop` (the branch that deploys
/// to staging) and new code committed on top; reports are written after, untracked, as a test
/// run would leave them.
final class GateWorkspace {
    let folder: TemporaryWorkspace
    static let emptySARIF = #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "semgrep", "rules": []}}, "results": []}]}"#
    static let cleanAudit = #"{"auditReportVersion": 2, "vulnerabilities": {}, "metadata": {}}"#

    init(config: String = "", component: String = "", function: String = #function) throws {
        folder = try TemporaryWorkspace(function: function)
        var files = [
            "apps/web/src/old.c": (1...30).map { "int old_\($0)(int a) { return a * \($0) + \($0 * 3); }" }.joined(separator: "\n") + "\n",
        ]
        if !config.isEmpty { files["slipway.yml"] = config }
        if !component.isEmpty { files["apps/web/slipway.yml"] = component }
        try folder.write(files)
        try folder.commitAll("base")
        try folder.git("branch", "develop")
    }

    /// Commits `count` new, distinct lines in `apps/web/src/new.c` (or `text` as given).
    func addNewCode(lines count: Int, text: String? = nil) throws {
        let body = text ?? (1...count).map { "long fresh_\($0)(long b) { return b - \($0 * 7) + \($0 * $0); }" }
            .joined(separator: "\n") + "\n"
        try folder.write(["apps/web/src/new.c": body])
        try folder.commitAll("new code")
    }

    /// An LCOV report of `apps/web/src/new.c` with the given lines covered, and old.c all covered.
    func writeCoverage(newLines: Int, covered: Int) throws {
        var text = "TN:\nSF:\(folder.root.path)/apps/web/src/new.c\n"
        for line in 1...max(newLines, 1) { text += "DA:\(line),\(line <= covered ? 2 : 0)\n" }
        text += "end_of_record\nSF:src/old.c\n" + (1...30).map { "DA:\($0),1\n" }.joined() + "end_of_record\n"
        try folder.write(["apps/web/coverage/lcov.info": text])
    }

    func writeCleanScans() throws {
        try folder.write([
            "apps/web/reports/sast.sarif": Self.emptySARIF, "apps/web/reports/dependencies.json": Self.cleanAudit,
        ])
    }

    /// A SARIF report of semgrep's shape with the given results (rule, level, line, security score).
    func writeSARIF(_ results: [(rule: String, level: String, file: String, line: Int, score: String?, suppressed: Bool)]) throws {
        let rules = results.map { result in
            let properties = result.score.map { #", "properties": {"security-severity": "\#($0)", "tags": ["security"]}"# } ?? ""
            return #"{"id": "\#(result.rule)", "defaultConfiguration": {"level": "\#(result.level)"}\#(properties)}"#
        }
        let entries = results.enumerated().map { index, result in
            let suppression = result.suppressed ? #", "suppressions": [{"kind": "inSource"}]"# : ""
            return #"{"ruleId": "\#(result.rule)", "ruleIndex": \#(index), "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "\#(result.file)"}, "region": {"startLine": \#(result.line)}}}]\#(suppression)}"#
        }
        try folder.write(["apps/web/reports/sast.sarif": #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "semgrep", "rules": [\#(rules.joined(separator: ","))]}}, "results": [\#(entries.joined(separator: ","))]}]}"#])
    }

    func evaluate(_ environment: String = "staging", base: String? = nil) async throws -> GateEvaluation {
        let workspace = try Workspace.load(at: folder.root)
        return try await QualityGate(workspace: workspace).evaluate(
            component: try workspace.component(named: "web"), environment: environment, base: base)
    }
}

extension GateEvaluation {
    func result(_ metric: GateCondition.Metric) -> GateConditionResult? {
        conditions.first { $0.metric == metric }
    }
}

@Suite struct QualityGateTests {
    @Test func coverageOnNewCodePassesAndFails() async throws {
        let gate = try GateWorkspace()
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 25)
        let passing = try await gate.evaluate()
        #expect(passing.passed, "\(passing.summary)")
        #expect(passing.base == "develop", "the branch that deploys to staging")
        #expect(passing.newLines == 30)
        let coverage = try #require(passing.result(.newCoverage))
        #expect(coverage.status == .ok)
        #expect(abs((coverage.value ?? 0) - 25.0 / 30 * 100) < 0.01)
        #expect(coverage.why == "25 of 30 coverable new lines covered")
        #expect(passing.conditions.map(\.status) == Array(repeating: .ok, count: 7))

        try gate.writeCoverage(newLines: 30, covered: 12)
        let failing = try await gate.evaluate()
        #expect(!failing.passed)
        let low = try #require(failing.result(.newCoverage))
        #expect(low.status == .error)
        #expect(low.value == 40)
        #expect(low.condition.threshold == 80)
        #expect(low.why == "40.0% is below 80.0%: 12 of 30 coverable new lines covered")
        #expect(failing.summary.hasPrefix("quality gate failed for web in staging: new_coverage (40.0% is below 80.0%"))
    }

    @Test func aSmallChangeSetIgnoresCoverageAndDuplication() async throws {
        let gate = try GateWorkspace()
        let copied = try gate.folder.read("apps/web/src/old.c").split(separator: "\n").prefix(8).joined(separator: "\n") + "\n"
        try gate.addNewCode(lines: 0, text: copied)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 8, covered: 0)
        let evaluation = try await gate.evaluate()
        #expect(evaluation.newLines == 8)
        #expect(evaluation.passed, "\(evaluation.summary)")
        for metric in [GateCondition.Metric.newCoverage, .newDuplicatedLinesDensity] {
            let result = try #require(evaluation.result(metric))
            #expect(result.status == .ok)
            #expect(result.why.hasPrefix("ignored on a small change set (8 new lines, fewer than 20)"), "\(result.why)")
        }
        #expect(evaluation.result(.newCoverage)?.value == 0)
        #expect(evaluation.result(.newDuplicatedLinesDensity)?.value == 100)
    }

    @Test func duplicatedNewCodeFailsAndDistinctCodePasses() async throws {
        let gate = try GateWorkspace()
        // 25 new lines copied verbatim from old.c, 25 written fresh.
        let copied = try gate.folder.read("apps/web/src/old.c").split(separator: "\n").prefix(25).joined(separator: "\n")
        let distinct = (1...25).map { "long fresh_\($0)(long b) { return b - \($0 * 7) + \($0 * $0); }" }.joined(separator: "\n")
        try gate.addNewCode(lines: 0, text: distinct + "\n" + copied + "\n")
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 50, covered: 50)
        let evaluation = try await gate.evaluate()
        let duplication = try #require(evaluation.result(.newDuplicatedLinesDensity))
        #expect(duplication.status == .error)
        #expect(duplication.value == 50)
        #expect(duplication.why.hasSuffix("25 of 50 new lines duplicated"), "\(duplication.why)")
        #expect(!evaluation.passed)

        let clean = try GateWorkspace()
        try clean.addNewCode(lines: 50)
        try clean.writeCleanScans()
        try clean.writeCoverage(newLines: 50, covered: 50)
        let result = try #require(try await clean.evaluate().result(.newDuplicatedLinesDensity))
        #expect(result.status == .ok)
        #expect(result.value == 0)
    }

    @Test func aJscpdReportReplacesTheBuiltInDetector() async throws {
        // A stand-in for jscpd's JSON output (the tool is not installed here), in its documented shape.
        let gate = try GateWorkspace(component: "quality_gates:\n  reports:\n    duplication: reports/jscpd.json\n")
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 30)
        try gate.folder.write(["apps/web/reports/jscpd.json": """
            {"duplicates": [{"format": "c", "lines": 6, "tokens": 60,
              "firstFile": {"name": "src/new.c", "start": 1, "end": 6},
              "secondFile": {"name": "src/old.c", "start": 10, "end": 15}}], "statistics": {}}
            """])
        let result = try #require(try await gate.evaluate().result(.newDuplicatedLinesDensity))
        #expect(result.value == 20)
        #expect(result.status == .error)
    }

    /// Each line of a clone is marked, so a damaged report's span of two billion lines hung the gate.
    @Test(.timeLimit(.minutes(1))) func aJscpdCloneLongerThanAnySourceFileIsRefused() async throws {
        let gate = try GateWorkspace(component: "quality_gates:\n  reports:\n    duplication: reports/jscpd.json\n")
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 30)
        try gate.folder.write(["apps/web/reports/jscpd.json": """
            {"duplicates": [{"firstFile": {"name": "src/new.c", "start": 1, "end": 2000000000},
              "secondFile": {"name": "src/old.c", "start": 10, "end": 15}}]}
            """])
        let result = try #require(try await gate.evaluate().result(.newDuplicatedLinesDensity))
        #expect(result.status == .error)
        #expect(result.why.hasSuffix("duplicates[0].firstFile: lines 1 to 2000000000 are not a clone in a source file"), "\(result.why)")
    }

    @Test func ratingsAndSASTFindingsPassAndFail() async throws {
        let gate = try GateWorkspace()
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 30)

        // A critical security finding on a new line: security rating E, and a blocking finding.
        try gate.writeSARIF([("c/injection", "error", "src/new.c", 4, "9.8", false)])
        var evaluation = try await gate.evaluate()
        #expect(evaluation.result(.newSecurityRating)?.status == .error)
        #expect(evaluation.result(.newSecurityRating)?.value == 5)
        #expect(evaluation.result(.newSecurityRating)?.why.hasPrefix("E is above A: 1 open security finding(s) on new lines, worst critical c/injection at src/new.c:4") == true)
        #expect(evaluation.result(.sastBlockingFindings)?.status == .error)
        #expect(evaluation.result(.newReliabilityRating)?.status == .ok)

        // The same finding on an old line: not new code, so rating A; the scan is still not clean.
        try gate.writeSARIF([("c/injection", "error", "src/old.c", 4, "9.8", false)])
        evaluation = try await gate.evaluate()
        #expect(evaluation.result(.newSecurityRating)?.status == .ok)
        #expect(evaluation.result(.newSecurityRating)?.value == 1)
        #expect(evaluation.result(.sastBlockingFindings)?.value == 1)
        #expect(evaluation.result(.sastBlockingFindings)?.status == .error)

        // Suppressed: clean.
        try gate.writeSARIF([("c/injection", "error", "src/new.c", 4, "9.8", true)])
        evaluation = try await gate.evaluate()
        #expect(evaluation.passed, "\(evaluation.summary)")

        // A warning that is not about security, on a new line: reliability C; not blocking.
        try gate.writeSARIF([("c/null-deref", "warning", "src/new.c", 7, nil, false)])
        evaluation = try await gate.evaluate()
        #expect(evaluation.result(.newReliabilityRating)?.value == 3)
        #expect(evaluation.result(.newReliabilityRating)?.status == .error)
        #expect(evaluation.result(.sastBlockingFindings)?.status == .ok)

        // Code smells (notes): 20 on 30 new lines is 100 minutes of debt over 900, 11.1%: C.
        try gate.writeSARIF((1...20).map { ("c/style", "note", "src/new.c", $0, nil, false) })
        evaluation = try await gate.evaluate()
        #expect(evaluation.result(.newMaintainabilityRating)?.value == 3)
        #expect(evaluation.result(.newMaintainabilityRating)?.why.hasPrefix("C is above A: debt ratio 11.1%") == true)
        // Two smells: 10 minutes over 900, 1.1%: A.
        try gate.writeSARIF((1...2).map { ("c/style", "note", "src/new.c", $0, nil, false) })
        #expect(try await gate.evaluate().result(.newMaintainabilityRating)?.status == .ok)
    }

    @Test func dependencyVulnerabilitiesBlockOnlyWhenHighOrWorse() async throws {
        let gate = try GateWorkspace()
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 30)
        try gate.folder.write(["apps/web/reports/dependencies.json": """
            {"auditReportVersion": 2, "metadata": {}, "vulnerabilities": {
              "left-pad": {"name": "left-pad", "severity": "low", "via": ["x"], "nodes": ["node_modules/left-pad"]}}}
            """])
        #expect(try await gate.evaluate().result(.dependencyBlockingVulns)?.status == .ok)
        try gate.folder.write(["apps/web/reports/dependencies.json": """
            {"dependencies": [{"name": "jinja2", "version": "2.11.2", "vulns": [{"id": "PYSEC-2021-66", "fix_versions": ["2.11.3"]}]}]}
            """])
        let result = try #require(try await gate.evaluate().result(.dependencyBlockingVulns))
        #expect(result.status == .error)
        #expect(result.why.contains("PYSEC-2021-66 (high) at jinja2"), "\(result.why)")
    }

    @Test func missingReportsFailClosedNamingTheFile() async throws {
        let gate = try GateWorkspace()
        try gate.addNewCode(lines: 30)
        let evaluation = try await gate.evaluate()
        #expect(!evaluation.passed)
        #expect(evaluation.result(.newCoverage)?.status == .error)
        #expect(evaluation.result(.newCoverage)?.value == nil)
        #expect(evaluation.result(.newCoverage)?.why == "missing report apps/web/coverage/lcov.info")
        #expect(evaluation.result(.sastBlockingFindings)?.why == "missing report apps/web/reports/sast.sarif")
        #expect(evaluation.result(.newSecurityRating)?.why == "missing report apps/web/reports/sast.sarif")
        #expect(evaluation.result(.dependencyBlockingVulns)?.why == "missing report apps/web/reports/dependencies.json")
        #expect(evaluation.summary.contains("missing report apps/web/coverage/lcov.info"))

        // Even on a small change set, a missing report is not ignored.
        let small = try GateWorkspace()
        try small.addNewCode(lines: 3)
        try small.writeCleanScans()
        #expect(try await small.evaluate().result(.newCoverage)?.status == .error)
    }

    @Test func aTruncatedReportFailsTheGateNamingFileAndLine() async throws {
        let gate = try GateWorkspace()
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.folder.write(["apps/web/coverage/lcov.info": "TN:\nSF:src/new.c\nDA:1,1\nDA:2,1\n"])
        let result = try #require(try await gate.evaluate().result(.newCoverage))
        #expect(result.status == .error)
        #expect(result.why.hasPrefix("apps/web/coverage/lcov.info:4: SF:src/new.c (opened on line 2) has no end_of_record"), "\(result.why)")
    }

    @Test func environmentsOverrideThresholdsAndCanDisableTheGate() async throws {
        let gate = try GateWorkspace(
            config: """
                environments:
                  development:
                    sonarqube: disabled
                  staging:
                    quality_gates:
                      test_coverage: 30
                  production:
                    sonarqube: enabled
                """,
            component: """
                environments:
                  production:
                    quality_gates:
                      testCoverage: 90
                """)
        try gate.addNewCode(lines: 30)
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 12)

        let staging = try await gate.evaluate("staging")
        #expect(staging.passed, "\(staging.summary)")
        #expect(staging.result(.newCoverage)?.condition.threshold == 30)

        let production = try await gate.evaluate("production", base: "develop")
        #expect(!production.passed)
        #expect(production.result(.newCoverage)?.condition.threshold == 90)

        let development = try await gate.evaluate("development")
        #expect(development.passed)
        #expect(development.conditions.allSatisfy { $0.status == .skipped })
        #expect(development.summary == "quality gate skipped for web in development: environment 'development' has sonarqube: disabled")
    }

    @Test func componentSettingsTurnConditionGroupsOffAndMoveReports() async throws {
        let gate = try GateWorkspace(component: """
            quality_gates:
              security_scan: false
              test_coverage: 60
              duplication: 60
              reports:
                coverage: [build/unit.info, build/integration.info]
            """)
        let copied = try gate.folder.read("apps/web/src/old.c").split(separator: "\n").prefix(25).joined(separator: "\n")
        let distinct = (1...25).map { "long fresh_\($0)(long b) { return b - \($0 * 7) + \($0 * $0); }" }.joined(separator: "\n")
        try gate.addNewCode(lines: 0, text: distinct + "\n" + copied + "\n")
        try gate.folder.write([
            "apps/web/reports/sast.sarif": GateWorkspace.emptySARIF,
            "apps/web/build/unit.info": "SF:src/new.c\n" + (1...50).map { "DA:\($0),\($0 <= 20 ? 1 : 0)\n" }.joined() + "end_of_record\n",
            "apps/web/build/integration.info": "SF:src/new.c\n" + (21...50).map { "DA:\($0),\($0 <= 30 ? 1 : 0)\n" }.joined() + "end_of_record\n",
        ])
        let evaluation = try await gate.evaluate()
        #expect(evaluation.result(.sastBlockingFindings)?.status == .skipped)
        #expect(evaluation.result(.dependencyBlockingVulns)?.status == .skipped)
        #expect(evaluation.result(.newCoverage)?.value == 60, "the two reports merged: 30 of 50 lines ran")
        #expect(evaluation.result(.newDuplicatedLinesDensity)?.status == .ok, "50% duplication under a 60% threshold")
        #expect(evaluation.summary == "quality gate passed for web in staging: 5 of 7 conditions OK, 2 skipped")
    }

    @Test func theBaseMustExist() async throws {
        let gate = try GateWorkspace(config: "branches:\n  main: production\n")
        try gate.addNewCode(lines: 30)
        await #expect(throws: SlipwayError(.git(.unknownBase("nope", root: gate.folder.root.path)))) {
            try await gate.evaluate(base: "nope")
        }
        await #expect(throws: SlipwayError.usage("no base to measure new code against: pass --base REF (no branch deploys to 'staging')")) {
            try await gate.evaluate("staging")
        }
        try gate.writeCleanScans()
        try gate.writeCoverage(newLines: 30, covered: 30)
        let evaluation = try await gate.evaluate("staging", base: "HEAD~1")
        #expect(evaluation.newLines == 30)
        #expect(evaluation.passed)
    }

    @Test func aWorkspaceOutsideGitIsAUsageError() async throws {
        let folder = try TemporaryWorkspace(files: ["apps/web/src/a.c": "int a;\n"])
        let workspace = try Workspace.load(at: folder.root)
        await #expect(throws: SlipwayError(.git(.noCommits(root: folder.root.path)))) {
            try await QualityGate(workspace: workspace).evaluate(
                component: try workspace.component(named: "web"), environment: "staging", base: "main")
        }
    }

    @Test func badQualityGateSettingsNameFileLineAndColumn() throws {
        let folder = try TemporaryWorkspace(files: [
            "apps/web/.keep": "",
            "slipway.yml": "environments:\n  staging:\n    quality_gates:\n      coverage_goal: 3\n",
        ])
        #expect(throws: SlipwayError(.configuration(
            ConfigLocation(file: "slipway.yml", line: 4, column: 7),
            problem: "unknown key 'coverage_goal' in quality_gates (known: sonarqube, test_coverage, security_scan, "
                + "health_checks, duplication, reliability_rating, security_rating, maintainability_rating, minimum_new_lines, reports)")))
        {
            try Workspace.load(at: folder.root).checked()
        }
        try folder.write(["slipway.yml": "quality_gates:\n  security_rating: F\n"])
        #expect(throws: SlipwayError(.configuration(
            ConfigLocation(file: "slipway.yml", line: 2, column: 20), problem: "security_rating must be a rating A to E, found 'F'"))) {
            try Workspace.load(at: folder.root).checked()
        }
        try folder.write(["slipway.yml": "quality_gates:\n  reports:\n    coverage: {a: 1}\n"])
        #expect(throws: SlipwayError(.configuration(
            ConfigLocation(file: "slipway.yml", line: 3, column: 15), problem: "coverage must be a list of strings, found a mapping"))) {
            try Workspace.load(at: folder.root).checked()
        }
    }
}
