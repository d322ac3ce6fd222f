import Foundation

/// The SonarQube-style quality gate of FIELD-NOTES, evaluated from the reports a component's
/// `make test` (or `make coverage`, `make scan`) left at its configured paths.
///
/// It reads reports and git; it runs nothing, so the pipeline can evaluate it after its own
/// test stage and `slipway gate` after running the goals.
///
/// Gates/ is above Targets/, a peer of Release/, Pipeline/, Health/, Data/ and Secrets/ (Support <- Workspace
/// <- Store <- Targets <- Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine).
public struct QualityGate: Sendable {
    public var workspace: Workspace

    /// Minutes to fix one code smell when computing the maintainability debt ratio (our choice:
    /// SonarQube's most common rule remediation cost).
    static let minutesPerCodeSmell = 5.0

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The settings in force for `component` in `environment`: the component's, then the
    /// environment's `quality_gates`, then the component's own for that environment.
    public func settings(for component: Component, environment: String) throws(SlipwayError) -> QualityGateSettings {
        let settings = component.settings.deployment.qualityGates.applying(
            try workspace.environment(named: environment).qualityGates)
        return component.settings.environmentQualityGates[environment].map(settings.applying) ?? settings
    }

    /// Why no condition applies to `component` in `environment`, or nil when some do; callers
    /// skip producing reports nobody will read.
    public func skipReason(component: Component, environment: String) throws(SlipwayError) -> String? {
        let settings = try settings(for: component, environment: environment)
        if !(try workspace.environment(named: environment).sonarqube) {
            return "environment '\(environment)' has sonarqube: disabled"
        }
        if !settings.sonarqube && !settings.securityScan { return "quality_gates has sonarqube and security_scan off" }
        return nil
    }

    public func evaluate(component: Component, environment: String, base: String?) async throws(SlipwayError) -> GateEvaluation {
        let settings = try settings(for: component, environment: environment)
        let conditions = GateCondition.conditions(for: settings)
        if let reason = try skipReason(component: component, environment: environment) {
            return skipped(conditions, component, environment, why: reason)
        }
        let base = try await resolveBase(base, environment: environment)
        let newCode = try await NewCode.read(workspace: workspace.root, path: component.path, base: base)
        let measurement = Measurement(gate: self, component: component, settings: settings, newCode: newCode)
        let results = conditions.map { condition in
            measurement.result(for: condition)
        }
        return GateEvaluation(
            component: component.name, environment: environment, base: base, newLines: newCode.lineCount,
            conditions: results)
    }

    private func skipped(
        _ conditions: [GateCondition], _ component: Component, _ environment: String, why: String
    ) -> GateEvaluation {
        GateEvaluation(
            component: component.name, environment: environment, base: nil, newLines: 0,
            conditions: conditions.map { GateConditionResult(condition: $0, value: nil, status: .skipped, why: why) })
    }

    /// The base given, else the branch that deploys to `environment` (or its `origin/` copy).
    public func resolveBase(_ base: String?, environment: String) async throws(SlipwayError) -> String {
        try await NewCode.requireRepository(workspace.root)
        if let base { return base }
        let branches = workspace.config.branches.filter { $0.value == environment }.keys.sorted()
        for branch in branches {
            for candidate in [branch, "origin/\(branch)"] {
                let check = try await NewCode.git(["rev-parse", "--verify", "--quiet", "\(candidate)^{commit}"], in: workspace.root)
                if check.status == 0 { return candidate }
            }
        }
        let which = branches.isEmpty
            ? "no branch deploys to '\(environment)'" : "branch \(branches.joined(separator: ", ")) does not exist"
        throw .usage("no base to measure new code against: pass --base REF (\(which))")
    }

    /// The report at `path` (relative to the component), named relative to the workspace.
    func report(_ path: String, of component: Component) -> Result<Report, SlipwayError> {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : component.directory.appendingPathComponent(path)
        let name = path.hasPrefix("/") ? path : "\(component.path)/\(path)"
        guard FileManager.default.fileExists(atPath: url.path) else {
            return .failure(SlipwayError(.report(file: name, .missing)))
        }
        do {
            return .success(try Report.load(url, name: name))
        } catch {
            return .failure(error)
        }
    }
}

/// What the gate measured for one component, condition by condition.
private struct Measurement {
    let gate: QualityGate
    let component: Component
    let settings: QualityGateSettings
    let newCode: NewCode
    let paths: SourcePath
    let smallChangeSet: Bool

    init(gate: QualityGate, component: Component, settings: QualityGateSettings, newCode: NewCode) {
        self.gate = gate
        self.component = component
        self.settings = settings
        self.newCode = newCode
        paths = SourcePath(root: gate.workspace.root, component: component)
        smallChangeSet = newCode.lineCount < settings.minimumNewLines
    }

    enum Outcome {
        case measured(Double, String)
        case unmeasurable(String)
    }

    func result(for condition: GateCondition) -> GateConditionResult {
        let metric = condition.metric
        if metric.isSonarQube && !settings.sonarqube {
            return GateConditionResult(condition: condition, value: nil, status: .skipped, why: "quality_gates.sonarqube is off")
        }
        if !metric.isSonarQube && !settings.securityScan {
            return GateConditionResult(condition: condition, value: nil, status: .skipped, why: "quality_gates.security_scan is off")
        }
        switch measure(metric) {
        case .unmeasurable(let why):
            return GateConditionResult(condition: condition, value: nil, status: .error, why: why)
        case .measured(let value, let detail):
            let comparison = condition.op == .lessThan ? "is below" : "is above"
            guard condition.fails(value) else {
                return GateConditionResult(condition: condition, value: value, status: .ok, why: detail)
            }
            let failure = "\(condition.text(value)) \(comparison) \(condition.text(condition.threshold)): \(detail)"
            if smallChangeSet && metric.isIgnoredOnSmallChanges {
                return GateConditionResult(
                    condition: condition, value: value, status: .ok,
                    why: "ignored on a small change set (\(newCode.lineCount) new lines, fewer than "
                        + "\(settings.minimumNewLines)); \(failure)")
            }
            return GateConditionResult(condition: condition, value: value, status: .error, why: failure)
        }
    }

    func measure(_ metric: GateCondition.Metric) -> Outcome {
        switch metric {
        case .newCoverage: return coverage()
        case .newDuplicatedLinesDensity: return duplication()
        case .newReliabilityRating: return rating(.reliability)
        case .newSecurityRating: return rating(.security)
        case .newMaintainabilityRating: return maintainability()
        case .sastBlockingFindings: return blocking(settings.reports.sast, what: "SAST")
        case .dependencyBlockingVulns: return blocking(settings.reports.dependencies, what: "dependency")
        }
    }

    func coverage() -> Outcome {
        guard !settings.reports.coverage.isEmpty else { return .unmeasurable("no coverage report configured") }
        var summary = CoverageSummary()
        for path in settings.reports.coverage {
            switch gate.report(path, of: component) {
            case .failure(let error): return .unmeasurable(error.message)
            case .success(let report):
                guard let coverage = report.coverage else {
                    return .unmeasurable("\(component.path)/\(path) is a \(report.format.rawValue) report, not coverage")
                }
                guard !coverage.files.isEmpty else {
                    return .unmeasurable("\(component.path)/\(path) lists no files")
                }
                summary.merge(coverage)
            }
        }
        let result = NewCodeCoverage(newCode: newCode, coverage: summary, paths: paths)
        var detail = result.coverable == 0
            ? "no coverable new lines" : "\(result.covered) of \(result.coverable) coverable new lines covered"
        if !result.unmeasuredFiles.isEmpty {
            detail += "; not in the report: \(result.unmeasuredFiles.prefix(3).joined(separator: ", "))"
                + (result.unmeasuredFiles.count > 3 ? " and \(result.unmeasuredFiles.count - 3) more" : "")
        }
        return .measured(result.percent, detail)
    }

    func duplication() -> Outcome {
        let duplicated: [String: Set<Int>]
        if let path = settings.reports.duplication {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : component.directory.appendingPathComponent(path)
            do {
                let lines = try JSCPDReport.duplicatedLines(url, name: "\(component.path)/\(path)")
                let known = Set(newCode.files.keys)
                duplicated = lines.reduce(into: [:]) { result, entry in
                    if let match = paths.match(entry.key, in: known) { result[match, default: []].formUnion(entry.value) }
                }
            } catch {
                return .unmeasurable(error.message)
            }
        } else {
            duplicated = DuplicationDetector().duplicatedLines(in: component.directory, root: gate.workspace.root)
        }
        var count = 0
        for (path, lines) in newCode.sourceLines {
            let marked = duplicated[path] ?? []
            count += lines.keys.filter(marked.contains).count
        }
        let total = newCode.lineCount
        let density = total == 0 ? 0 : Double(count) * 100 / Double(total)
        return .measured(density, "\(count) of \(total) new lines duplicated")
    }

    /// Open SAST findings on new lines, or the reason they cannot be read.
    func newFindings() -> Result<[Finding], SlipwayError> {
        var findings: [Finding] = []
        let known = Set(newCode.files.keys)
        for path in settings.reports.sast {
            switch gate.report(path, of: component) {
            case .failure(let error): return .failure(error)
            case .success(let report):
                for finding in report.findings ?? [] where !finding.suppressed {
                    guard let line = finding.line, let file = paths.match(finding.path, in: known),
                          newCode.files[file]?[line] != nil
                    else { continue }
                    findings.append(finding)
                }
            }
        }
        return .success(findings)
    }

    func rating(_ category: Finding.Category) -> Outcome {
        switch newFindings() {
        case .failure(let error): return .unmeasurable(error.message)
        case .success(let findings):
            let relevant = findings.filter { $0.category == category }
            guard let worst = relevant.max(by: { $0.severity < $1.severity }) else {
                return .measured(1, "no open \(category.rawValue) findings on new lines")
            }
            let location = "\(worst.path):\(worst.line.map(String.init) ?? "-")"
            return .measured(
                Double(worst.severity.rating),
                "\(relevant.count) open \(category.rawValue) finding(s) on new lines, worst \(worst.severity.rawValue) "
                    + "\(worst.rule) at \(location)")
        }
    }

    func maintainability() -> Outcome {
        switch newFindings() {
        case .failure(let error): return .unmeasurable(error.message)
        case .success(let findings):
            let smells = findings.filter { $0.category == .maintainability }.count
            let lines = max(newCode.lineCount, 1)
            let ratio = Double(smells) * QualityGate.minutesPerCodeSmell / (30 * Double(lines))
            let rating: Double = ratio <= 0.05 ? 1 : ratio <= 0.1 ? 2 : ratio <= 0.2 ? 3 : ratio <= 0.5 ? 4 : 5
            return .measured(
                rating, String(format: "debt ratio %.1f%% (%d code smell(s) on %d new lines)", ratio * 100, smells, lines))
        }
    }

    func blocking(_ reports: [String], what: String) -> Outcome {
        guard !reports.isEmpty else { return .unmeasurable("no \(what) report configured") }
        var blocking: [Finding] = []
        for path in reports {
            switch gate.report(path, of: component) {
            case .failure(let error): return .unmeasurable(error.message)
            case .success(let report):
                guard let findings = report.findings else {
                    return .unmeasurable("\(component.path)/\(path) is a \(report.format.rawValue) report, not a scan")
                }
                blocking += findings.filter(\.isBlocking)
            }
        }
        guard !blocking.isEmpty else { return .measured(0, "no blocking \(what) findings") }
        let named = blocking.prefix(3).map { "\($0.rule) (\($0.severity.rawValue)) at \($0.path)\($0.line.map { ":\($0)" } ?? "")" }
        return .measured(
            Double(blocking.count),
            "\(blocking.count) blocking \(what) finding(s): \(named.joined(separator: ", "))"
                + (blocking.count > 3 ? ", ..." : ""))
    }
}
