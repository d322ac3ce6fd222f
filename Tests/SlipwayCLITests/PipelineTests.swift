import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway pipeline` over six components with dependencies, through the real binary, make and git.
@Suite struct PipelineTests {
    func jobs(_ store: EventStore, run: String) throws -> [(stage: String, component: String, outcome: String, reason: String)] {
        try store.events(forRun: run).filter { $0.kind == EventKind.jobFinished.rawValue }.map { event in
            (event.details?.stage ?? "", event.component ?? "", event.details?.outcome ?? "", event.details?.reason ?? "")
        }
    }

    func outcome(_ jobs: [(stage: String, component: String, outcome: String, reason: String)], _ stage: String, _ component: String) -> String? {
        jobs.last { $0.stage == stage && $0.component == component }?.outcome
    }

    func pipelineRuns(_ store: EventStore) throws -> [RunRecord] {
        try store.runs().filter { $0.kind == .pipeline }
    }

    /// The pipeline asks the report-based quality gate: components that wrote no coverage report
    /// fail closed, naming the file, and nothing deploys.
    @Test func theQualityGateFailsClosedOnAMissingCoverageReport() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        try workspace.write(["slipway.yml": "branches:\n  develop: staging\n  main: production\nquality_gates:\n  security_scan: false\n"])
        try workspace.commitAll("gates on")
        let slipway = SlipwayProcess(workspace)
        let result = try slipway.run(["pipeline", "--env", "staging", "--base", root], environment: PipelineWorkspace.environment(workspace))
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let store = try SQLiteStore(path: workspace.statePath)
        let run = try #require(try pipelineRuns(store).first)
        let gates = try jobs(store, run: run.id).filter { $0.stage == "quality-gates" }
        #expect(gates.count == 6 && gates.allSatisfy { $0.outcome == "failed" }, "\(gates)")
        #expect(gates.allSatisfy { $0.reason.contains("tests passed") && $0.reason.contains("coverage/lcov.info") }, "\(gates.map(\.reason))")
        #expect(try store.projection().states.values.allSatisfy { $0.liveVersion == nil }, "nothing deployed")
    }

    @Test func aGateFailureSkipsItsDependentsAndUnrelatedComponentsDeploy() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let environment = PipelineWorkspace.environment(workspace)
        try PipelineWorkspace.fault(workspace, "fail-test-billing")

        let dryRun = try slipway.run(["pipeline", "--env", "staging", "--base", root, "--dry-run"], environment: environment)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("would test, gate and deploy, in this order:"))
        let planned = dryRun.stdout.split(separator: "\n").filter { $0.hasPrefix("  wave") }.map { String($0) }
        #expect(planned == [
            "  wave 1  accounts (service): files, 2 files", "  wave 1  docs (app): files, 2 files",
            "  wave 1  search (service): files, 2 files", "  wave 2  admin (app): files, 3 files; after accounts",
            "  wave 2  billing (service): files, 3 files; after accounts",
            "  wave 3  web (app): files, 3 files; after accounts, billing",
        ])
        #expect(try SQLiteStore(path: workspace.statePath).runs().isEmpty, "a dry run changes nothing")

        let result = try slipway.run(["pipeline", "--env", "staging", "--base", root, "--jobs", "3"], environment: environment)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let store = try SQLiteStore(path: workspace.statePath)
        let run = try #require(try pipelineRuns(store).first)
        #expect(run.state == .failed)
        #expect(run.environment == "staging")

        let states = try store.projection().states
        for name in ["accounts", "admin", "search", "docs"] {
            #expect(states[.init(component: name, environment: "staging")]?.liveVersion != nil, "\(name) deployed")
        }
        for name in ["billing", "web"] {
            #expect(states[.init(component: name, environment: "staging")]?.liveVersion == nil, "\(name) not deployed")
        }

        // The events tell the story, stage by stage and job by job.
        let events = try store.events(forRun: run.id)
        let stages = events.filter { $0.kind == EventKind.stageFinished.rawValue }.map { ($0.details?.stage ?? "", $0.details?.outcome ?? "") }
        #expect(stages.map(\.0) == ["detect-changes", "quality-gates", "deploy-apps", "validate-deploy"])
        #expect(stages.map(\.1) == ["succeeded", "failed", "succeeded", "succeeded"])
        let jobs = try jobs(store, run: run.id)
        #expect(jobs.filter { $0.stage == "detect-changes" }.count == 6)
        #expect(outcome(jobs, "quality-gates", "billing") == "failed")
        #expect(outcome(jobs, "quality-gates", "web") == "succeeded")
        #expect(jobs.contains { $0.stage == "deploy-apps" && $0.component == "billing" && $0.outcome == "skipped"
            && $0.reason == "did not pass its tests and gates" })
        #expect(jobs.contains { $0.stage == "deploy-apps" && $0.component == "web" && $0.outcome == "skipped"
            && $0.reason == "billing did not deploy" })
        for name in ["accounts", "admin", "search", "docs"] {
            #expect(outcome(jobs, "deploy-apps", name) == "succeeded")
            #expect(outcome(jobs, "validate-deploy", name) == "succeeded")
        }
        // Each job's own run is recorded and named by the job.
        let deployRuns = try store.runs().filter { $0.kind == .deploy }
        #expect(deployRuns.count == 4)
        #expect(try store.runs().filter { $0.kind == .test }.count == 6)

        // accounts deploys before admin, which depends on it.
        let deploys = try workspace.read("state/deploys.log").split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(try #require(deploys.firstIndex(of: "accounts")) < (try #require(deploys.firstIndex(of: "admin"))))

        let listed = try slipway("runs")
        #expect(listed.stdout.contains(run.id) && listed.stdout.contains("pipeline"))
    }

    @Test func validateRollsBackWhatThisRunDeployedInReverseOrder() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let environment = PipelineWorkspace.environment(workspace)
        let first = try slipway.run(["pipeline", "--env", "staging", "--base", root, "--jobs", "4"], environment: environment)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let searchV1 = try PipelineWorkspace.version(workspace, "services/search")
        let docsV1 = try PipelineWorkspace.version(workspace, "apps/docs")

        try workspace.write(["services/search/app.txt": "search-2", "apps/docs/app.txt": "docs-2"])
        try workspace.commitAll("search and docs")
        let searchV2 = try PipelineWorkspace.version(workspace, "services/search")
        try PipelineWorkspace.fault(workspace, "unhealthy-search", searchV2)

        // No --base: the last successful run's commit, so only search and docs are in.
        let second = try slipway.run(["pipeline", "--env", "staging", "--jobs", "1"], environment: environment)
        #expect(second.status == 1, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("last successful pipeline run"))
        let store = try SQLiteStore(path: workspace.statePath)
        let run = try #require(try store.runs().first { $0.kind == .pipeline })
        #expect(run.state == .failed)
        #expect(run.reason?.hasPrefix("validate-deploy: unhealthy after deploy: search") == true, "\(run.reason ?? "")")
        let jobs = try jobs(store, run: run.id)
        #expect(Set(jobs.filter { $0.stage == "deploy-apps" }.map(\.component)) == ["search", "docs"])
        #expect(outcome(jobs, "validate-deploy", "search") == "rolled-back")
        #expect(outcome(jobs, "validate-deploy", "docs") == "rolled-back")
        let deployOrder = jobs.filter { $0.stage == "deploy-apps" && $0.outcome == "succeeded" }.map(\.component)
        let rollbackOrder = jobs.filter { $0.stage == "validate-deploy" && $0.outcome == "rolled-back" }.map(\.component)
        #expect(rollbackOrder == deployOrder.reversed())

        let states = try store.projection().states
        #expect(states[.init(component: "search", environment: "staging")]?.liveVersion == searchV1)
        #expect(states[.init(component: "docs", environment: "staging")]?.liveVersion == docsV1)
        #expect(try store.runs().filter { $0.kind == .rollback && $0.state == .succeeded }.count == 2)

        // The failed run left the base where it was: search and docs are still changed.
        let plan = try slipway.run(["pipeline", "--env", "staging", "--dry-run"], environment: environment)
        #expect(plan.stdout.contains("search (service): files") && plan.stdout.contains("docs (app): files"))
        #expect(!plan.stdout.contains("accounts"))
    }

    @Test func aBranchOutsideTheMapTestsAndGatesOnly() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let environment = PipelineWorkspace.environment(workspace)
        let result = try slipway.run(["pipeline", "--branch", "feature/x", "--base", root], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("branch 'feature/x' deploys nowhere: tests and gates only"))
        let store = try SQLiteStore(path: workspace.statePath)
        let run = try #require(try store.runs().first { $0.kind == .pipeline })
        #expect(run.environment == nil)
        let stages = try store.events(forRun: run.id).filter { $0.kind == EventKind.stageStarted.rawValue }.compactMap { $0.details?.stage }
        #expect(stages == ["detect-changes", "quality-gates"])
        #expect(try store.runs().filter { $0.kind == .deploy }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent("state/deploys.log").path))

        // Pull requests run with --no-deploy: tests and gates only, whatever the branch.
        let pullRequest = try slipway.run(["pipeline", "--no-deploy", "--base", root, "--dry-run"], environment: environment)
        #expect(pullRequest.stdout.contains("(no environment: tests and gates only)"))
        #expect(pullRequest.stdout.contains("would test and gate, in this order:"))
        #expect(try slipway.run(["pipeline", "--no-deploy", "--env", "staging", "--base", root]).status == 2)

        let develop = try slipway.run(["pipeline", "--branch", "develop", "--base", root, "--dry-run"], environment: environment)
        #expect(develop.stdout.contains("branch 'develop' deploys to staging"))
        #expect(develop.stdout.contains("pipeline to staging"))
    }

    @Test func deployAllChangedDeploysWithoutGates() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        try PipelineWorkspace.fault(workspace, "fail-test-billing")
        let result = try slipway.run(
            ["deploy-all", "--env", "staging", "--changed", "--base", root], environment: PipelineWorkspace.environment(workspace))
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let store = try SQLiteStore(path: workspace.statePath)
        #expect(try store.runs().filter { $0.kind == .test }.isEmpty)
        #expect(try store.runs().filter { $0.kind == .deploy && $0.state == .succeeded }.count == 6)
    }

    @Test func promotionDeploysExactlyTheHealthyStagingReleaseAndRefusesAnUnhealthyOne() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let environment = PipelineWorkspace.environment(workspace)
        let staged = try slipway.run(["pipeline", "--env", "staging", "--base", root], environment: environment)
        #expect(staged.status == 0, "\(staged.stdout)\n\(staged.stderr)")
        let adminV1 = try PipelineWorkspace.version(workspace, "apps/admin")

        // A newer admin is committed but not in staging: promotion still takes staging's release.
        try workspace.write(["apps/admin/app.txt": "admin-2"])
        try workspace.commitAll("admin 2")
        let promoted = try slipway.run(["promote", "admin", "--from", "staging", "--to", "production"], environment: environment)
        #expect(promoted.status == 0, "\(promoted.stdout)\n\(promoted.stderr)")
        #expect(promoted.stdout.contains("production checklist for admin:"))
        #expect(promoted.stdout.contains("[x] gates passed: passed"))
        #expect(promoted.stdout.contains("[x] tests passed: passed"))
        #expect(promoted.stdout.contains("[-] migrations validated: not applicable"))
        #expect(promoted.stdout.contains("[-] projection rebuilds completed: not applicable (no projections declared)"))
        #expect(promoted.stdout.contains("[x] health checks passing in staging: passed"))
        let store = try SQLiteStore(path: workspace.statePath)
        #expect(try store.projection().states[.init(component: "admin", environment: "production")]?.liveVersion == adminV1)
        #expect(try workspace.read("state/deploys.log").contains("admin \(adminV1) production"))

        // search turns unhealthy in staging: it is not promoted.
        try PipelineWorkspace.fault(workspace, "unhealthy-search", try PipelineWorkspace.version(workspace, "services/search"))
        #expect(try slipway.run(["health-check-all", "--env", "staging"], environment: environment).status == 1)
        let refused = try slipway.run(["promote", "search", "--from", "staging", "--to", "production"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is unhealthy in staging: not promoting it"), "\(refused.stderr)")
        #expect(try store.projection().states[.init(component: "search", environment: "production")]?.liveVersion == nil)

        // A plain deploy-app does not run the checklist.
        let plain = try slipway.run(["deploy-app", "docs", "--env", "production"], environment: environment)
        #expect(plain.status == 0 && !plain.stdout.contains("production checklist"))
    }

    /// The checklist's benchmarks come from the `bench` goal the quality-gates job runs, and its
    /// rollback plan from the release live in production.
    @Test func theChecklistReadsTheBenchGoalAndTheRollbackPlan() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let environment = PipelineWorkspace.environment(workspace)
        let makefile = try workspace.read("apps/admin/Makefile")
        try workspace.write(["apps/admin/Makefile": makefile
            + "bench:\n\t@echo \"benchmarking $(APP_NAME)\"\n\t@test ! -e \"$$STATE_DIR/slow-$(APP_NAME)\"\n"])
        try workspace.commitAll("admin benchmarks")
        try PipelineWorkspace.fault(workspace, "slow-admin")
        let slow = try slipway.run(["pipeline", "--env", "staging", "--base", root], environment: environment)
        #expect(slow.status == 1, "\(slow.stdout)")
        #expect(slow.stdout.contains("benchmarks not met (make bench failed)"), "\(slow.stdout)")

        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("state/slow-admin"))
        let staged = try slipway.run(["pipeline", "--env", "staging", "--base", root], environment: environment)
        #expect(staged.status == 0, "\(staged.stdout)")
        let v1 = try PipelineWorkspace.version(workspace, "apps/admin")
        let first = try slipway.run(["promote", "admin"], environment: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("[x] performance benchmarks met: passed (make bench succeeded"), "\(first.stdout)")
        #expect(first.stdout.contains("[-] coverage: not applicable (gate skipped: "), "\(first.stdout)")
        #expect(first.stdout.contains("[x] monitoring: passed (objectives availability, latency-2s, latency-5s; alerts to the console only)"))
        #expect(first.stdout.contains("[-] rollback plan: not applicable (nothing is live in production yet"), "\(first.stdout)")

        try workspace.write(["apps/admin/app.txt": "admin-2"])
        try workspace.commitAll("admin 2")
        #expect(try slipway.run(["pipeline", "--env", "staging", "--base", root], environment: environment).status == 0)
        let second = try slipway.run(["promote", "admin"], environment: environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("[x] rollback plan: passed (back to \(v1), rebuilt from commit"), "\(second.stdout)")
    }

    @Test func aPipelineIntoProductionRunsTheChecklist() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let environment = PipelineWorkspace.environment(workspace)
        #expect(try slipway.run(["pipeline", "--env", "staging", "--base", root], environment: environment).status == 0)
        // docs changes after staging: its new version was never healthy in staging.
        try workspace.write(["apps/docs/app.txt": "docs-2"])
        try workspace.commitAll("docs 2")
        let result = try slipway.run(["pipeline", "--env", "production", "--base", root], environment: environment)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("production checklist for accounts:"))
        #expect(result.stdout.contains("[x] health checks passing in staging: passed"))
        #expect(result.stdout.contains("[ ] health checks passing in staging: failed (staging runs"))
        let states = try SQLiteStore(path: workspace.statePath).projection().states
        #expect(states[.init(component: "accounts", environment: "production")]?.liveVersion != nil)
        #expect(states[.init(component: "docs", environment: "production")]?.liveVersion == nil)
    }
}
