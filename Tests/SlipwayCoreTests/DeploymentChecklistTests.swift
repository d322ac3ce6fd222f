import Foundation
import SlipwayCore
import Testing

/// The production checklist's eleven items, each passed, failed or not applicable for the right
/// reason, judged on what the gating pipeline run recorded and what the workspace declares.
@Suite struct DeploymentChecklistTests {
    static let allPassed: [GateCheckRecord] = [
        .init(name: "tests", status: .passed, detail: "run r1"),
        .init(name: "new_coverage", status: .passed, detail: "86.0%: at least 80.0%"),
        .init(name: "sast_blocking_findings", status: .passed, detail: "0: none blocking"),
        .init(name: "dependency_blocking_vulns", status: .passed, detail: "0: none blocking"),
        .init(name: "bench", status: .passed, detail: "make bench succeeded (run r2)"),
    ]

    static func healthyStaging(_ version: String) -> DeploymentState {
        var state = DeploymentState(component: "api", environment: "staging")
        state.liveVersion = version
        state.lastHealth = .init(healthy: true, time: Date(), detail: nil)
        return state
    }

    static func checklist(_ facts: DeploymentChecklist.Facts) -> [String: DeploymentChecklist.Item] {
        Dictionary(uniqueKeysWithValues: DeploymentChecklist(component: "api", version: "v2", facts: facts).items.map { ($0.name, $0) })
    }

    @Test func aGatedHealthyReleaseWithAPlanPassesAllElevenItemsInTheSeedsOrder() {
        let facts = DeploymentChecklist.Facts(
            gateChecks: Self.allPassed, gatePassed: true, staging: Self.healthyStaging("v2"), hasBench: true,
            objectives: ["availability"], alertSinks: ["pager"],
            rollback: .init(name: "rollback plan", status: .passed, detail: "back to v1, kept"))
        let checklist = DeploymentChecklist(component: "api", version: "v2", facts: facts)
        #expect(checklist.items.map(\.name) == [
            "gates passed", "tests passed", "coverage", "security scans (SAST)", "dependency scans", "migrations validated",
            "projection rebuilds completed", "performance benchmarks met", "health checks passing in staging", "monitoring",
            "rollback plan",
        ])
        #expect(checklist.passed, "\(checklist.lines)")
        #expect(checklist.items.filter { $0.status == .notApplicable }.map(\.name) == ["migrations validated", "projection rebuilds completed"])
        #expect(checklist.lines.contains("  [x] coverage: passed (86.0%: at least 80.0%)"))
        #expect(checklist.lines.contains("  [x] monitoring: passed (objectives availability; alerts to pager)"))
    }

    @Test func aVersionNoPipelineGatedFailsEveryItemThePipelineChecks() {
        let items = Self.checklist(.init(gateChecks: nil, gatePassed: nil, staging: Self.healthyStaging("v2"), hasBench: true, objectives: ["availability"]))
        for name in ["gates passed", "tests passed", "coverage", "security scans (SAST)", "dependency scans", "performance benchmarks met"] {
            #expect(items[name]?.status == .failed, "\(name)")
        }
        #expect(items["coverage"]?.detail == "no pipeline ran them for v2")
        #expect(items["health checks passing in staging"]?.status == .passed)
    }

    @Test func aFailedConditionFailsItsItemWithTheMeasuredValue() {
        var checks = Self.allPassed
        checks[1] = .init(name: "new_coverage", status: .failed, detail: "62.0%: below 80.0%")
        let items = Self.checklist(.init(gateChecks: checks, gatePassed: false, staging: Self.healthyStaging("v2"), objectives: ["availability"]))
        #expect(items["coverage"] == .init(name: "coverage", status: .failed, detail: "62.0%: below 80.0%"))
        #expect(items["gates passed"]?.status == .failed)
        #expect(items["security scans (SAST)"]?.status == .passed)
    }

    @Test func aGateTheConfigTurnedOffIsNotApplicableWithItsReasonButAMissingCheckFails() {
        let off = GateCheckRecord(name: "new_coverage", status: .skipped, detail: "gate skipped: quality_gates.sonarqube is off")
        let items = Self.checklist(.init(
            gateChecks: [Self.allPassed[0], off], gatePassed: true, staging: Self.healthyStaging("v2"), objectives: ["availability"]))
        #expect(items["coverage"] == .init(name: "coverage", status: .notApplicable, detail: "gate skipped: quality_gates.sonarqube is off"))
        // The gate passed but recorded nothing about dependencies (a run from before the checks were kept): not a pass.
        #expect(items["dependency scans"]?.status == .failed)
        #expect(items["dependency scans"]?.detail == "the pipeline run that gated v2 did not check it")
    }

    @Test func benchmarksApplyOnlyWithABenchGoalAndTheirFailureFails() {
        let none = Self.checklist(.init(gateChecks: Self.allPassed, gatePassed: true, staging: Self.healthyStaging("v2"), hasBench: false, objectives: ["a"]))
        #expect(none["performance benchmarks met"] == .init(name: "performance benchmarks met", status: .notApplicable, detail: "no 'bench' goal"))
        var checks = Self.allPassed
        checks[4] = .init(name: "bench", status: .failed, detail: "make bench failed (run r2)")
        let failed = Self.checklist(.init(gateChecks: checks, gatePassed: false, staging: Self.healthyStaging("v2"), hasBench: true, objectives: ["a"]))
        #expect(failed["performance benchmarks met"]?.status == .failed)
        let unran = Self.checklist(.init(
            gateChecks: Array(Self.allPassed.prefix(4)), gatePassed: true, staging: Self.healthyStaging("v2"), hasBench: true, objectives: ["a"]))
        #expect(unran["performance benchmarks met"]?.status == .failed, "a bench goal that never ran is not a pass")
    }

    @Test func monitoringNeedsObjectivesAndNamesWhereAlertsGo() {
        let none = Self.checklist(.init(gateChecks: Self.allPassed, gatePassed: true, staging: Self.healthyStaging("v2")))
        #expect(none["monitoring"]?.status == .failed)
        let console = Self.checklist(.init(gateChecks: Self.allPassed, gatePassed: true, staging: Self.healthyStaging("v2"), objectives: ["availability", "latency-2s"]))
        #expect(console["monitoring"]?.detail == "objectives availability, latency-2s; alerts to the console only")
    }

    @Test func theFirstReleaseHasNoRollbackPlanToCheck() {
        let items = Self.checklist(.init(gateChecks: Self.allPassed, gatePassed: true, staging: Self.healthyStaging("v2"), objectives: ["a"]))
        #expect(items["rollback plan"]?.status == .notApplicable)
        let failing = DeploymentChecklist(component: "api", version: "v2", facts: .init(
            gateChecks: Self.allPassed, gatePassed: true, staging: Self.healthyStaging("v2"), objectives: ["a"],
            rollback: .init(name: "rollback plan", status: .failed, detail: "cannot roll back api to v1 in production")))
        #expect(!failing.passed)
        #expect(failing.failures == ["rollback plan: cannot roll back api to v1 in production"])
    }
}
