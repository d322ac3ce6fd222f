import Foundation
import Synchronization

/// Runs the seed's pipeline as one recorded run: detect-changes -> quality-gates -> migrate (for
/// components with a database: expand before deploy) -> deploy-apps -> validate-deploy. Each
/// component's test, migrations, deploy, health check and rollback is a job of the pipeline run,
/// so the fleet and the locks stay as a plain deploy keeps them.
///
/// Pipeline/ is above Targets/, a peer of Release/, Gates/, Health/, Data/ and Secrets/ (Support <- Workspace
/// <- Store <- Targets <- Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine).
public struct PipelineRunner: Sendable {
    public struct Options: Sendable {
        /// Nil on a branch that deploys nowhere: tests and gates only.
        public var environment: EnvironmentSettings?
        public var base: String
        public var baseSource: String
        public var head = "HEAD"
        public var jobs = 4
        /// False for `deploy-all --changed`: deploy without tests and gates.
        public var runsGates = true
        public var includeUncommitted = false

        public init(environment: EnvironmentSettings?, base: String, baseSource: String) {
            self.environment = environment
            self.base = base
            self.baseSource = baseSource
        }
    }

    /// How each planned component ended.
    public struct Outcome: Sendable, Equatable {
        public var runID: String
        public var result: RunResult
        /// Component name to how it ended: `deployed V`, `already live: V`, `gated` (tests and gates
        /// only), `skipped: why`, `failed: why`, `rolled back to V`.
        public var jobs: [String: String]
    }

    public var engine: Engine
    public var gate: any GateEvaluating

    public init(engine: Engine, gate: any GateEvaluating) {
        self.engine = engine
        self.gate = gate
    }

    /// The change set and the plan, without running anything.
    public func plan(_ options: Options) async throws(SlipwayError) -> PipelinePlan {
        // The plan orders what the working tree can deploy: its own components' graph.
        let graph = try DependencyGraph(workspace: engine.workspace)
        let changes = try await ChangeDetector(workspace: engine.workspace, graph: graph).detect(
            base: options.base, head: options.head, baseSource: options.baseSource,
            includeUncommitted: options.includeUncommitted)
        return PipelinePlan(
            changes: changes, graph: graph, environment: options.environment?.name,
            runsGates: options.runsGates, deploys: options.environment != nil)
    }

    public func run(_ options: Options, cancellation: CancellationFlag = CancellationFlag()) async throws(SlipwayError) -> Outcome {
        if let environment = options.environment {
            try engine.authorize(.pipeline, environment: environment.name)
            try engine.refuseBypassingApprovals(
                "a pipeline deploying to \(environment.name)", environment: environment.name,
                instead: "run it with --no-deploy, then deploy or promote each component through a request an approver approves")
        }
        let plan = try await plan(options)
        let journal = PipelineJournal()
        var run = RunPlan(kind: .pipeline, component: nil, environment: options.environment?.name)
        run.commit = plan.head
        let runID = run.id
        let engine = try await self.engine.withSecrets(for: options.environment?.name)
        let gate = self.gate
        let jobs = max(1, options.jobs)

        run.stages.append(RunPlan.Stage(
            name: "detect-changes", description: "changes \(plan.base.prefix(12))...\(plan.head.prefix(12)) (\(options.baseSource))"
        ) { log throws(SlipwayError) in
            for line in plan.lines(dryRun: false).dropFirst() { log(line) }
            for entry in plan.entries {
                try engine.store.append(Self.jobEvent(
                    .jobFinished, entry.name, runID: runID, stage: "detect-changes", outcome: "changed",
                    reason: "\(entry.reason.rawValue): \(entry.files.prefix(3).joined(separator: ", "))"
                        + (entry.files.count > 3 ? " and \(entry.files.count - 3) more" : "")))
            }
        })
        if options.runsGates {
            var stage = RunPlan.Stage(name: "quality-gates", description: "tests and gates of \(plan.entries.count) components, \(jobs) at a time") { log throws(SlipwayError) in
                let failed = await Self.concurrently(plan.entries.map(\.name), limit: jobs) { name in
                    await Self.gateJob(name, engine: engine, gate: gate, plan: plan, environment: options.environment,
                                       runID: runID, journal: journal, log: log)
                }
                if failed > 0 { throw SlipwayError(.release(.componentsFailed(failed, of: plan.entries.count, .tests))) }
            }
            stage.continuesAfterFailure = true
            run.stages.append(stage)
        }
        if let environment = options.environment {
            let migrating = plan.entries.map(\.name).filter { (try? engine.workspace.component(named: $0))?.settings.database != nil }
            if !migrating.isEmpty {
                var migrate = RunPlan.Stage(name: "migrate", description: "migrations of \(migrating.count) components into \(environment.name)") { log throws(SlipwayError) in
                    var failed = 0
                    // One at a time: each database's apply holds its lock, and their output stays readable.
                    for name in migrating where !options.runsGates || journal.gatePassed(name) == true {
                        if await Self.migrateJob(name, engine: engine, environment: environment, runID: runID, journal: journal, log: log) {
                            failed += 1
                        }
                    }
                    if failed > 0 { throw SlipwayError(.release(.componentsFailed(failed, of: migrating.count, .migrations))) }
                }
                migrate.continuesAfterFailure = true
                run.stages.append(migrate)
            }
            var deploy = RunPlan.Stage(name: "deploy-apps", description: "deploy to \(environment.name) in dependency order, \(jobs) at a time") { log throws(SlipwayError) in
                try await DeployWaves(engine: engine, plan: plan, environment: environment, runID: runID, journal: journal, log: log)
                    .run(limit: jobs, gated: options.runsGates, cancellation: cancellation)
            }
            deploy.continuesAfterFailure = true
            run.stages.append(deploy)
            run.stages.append(RunPlan.Stage(name: "validate-deploy", description: "health checks of what this run deployed") { log throws(SlipwayError) in
                try await Validation(engine: engine, environment: environment, runID: runID, journal: journal, log: log)
                    .run(cancellation: cancellation)
            })
        }
        let result = try await engine.executor.execute(run, origin: engine.origin, cancellation: cancellation)
        return Outcome(runID: runID, result: result, jobs: journal.summary)
    }

    /// Tests one component, then asks the gate. Answers whether it failed.
    private static func gateJob(
        _ name: String, engine: Engine, gate: any GateEvaluating, plan: PipelinePlan, environment: EnvironmentSettings?,
        runID: String, journal: PipelineJournal, log: StageLog
    ) async -> Bool {
        let stage = "quality-gates"
        do {
            let component = try engine.workspace.component(named: name)
            // The version tested is recorded, so a promotion can tell whether that release passed.
            let version = try? await engine.version(of: component, requested: nil).version
            try engine.store.append(jobEvent(.jobStarted, name, runID: runID, stage: stage, runKind: .test, version: version))
            var testRun: String?
            var testSummary = "no 'test' goal"
            var checks = [GateCheckRecord(name: "tests", status: .skipped, detail: "no 'test' goal")]
            var executor = engine.executor
            executor.output = { line in log("\(name) | \(line)") }
            if let testPlan = try? TestSuite(engine: engine).plan(for: component) {
                let result = try await executor.execute(testPlan, origin: engine.origin, cancellation: log.cancellation)
                testRun = result.runID
                guard result.succeeded else {
                    journal.record(name, gate: false, note: "failed: tests \(result.state.rawValue)")
                    try engine.store.append(jobEvent(
                        .jobFinished, name, runID: runID, stage: stage, outcome: "failed",
                        reason: "tests \(result.state.rawValue)", runKind: .test, version: version, jobRun: testRun,
                        checks: [GateCheckRecord(name: "tests", status: .failed, detail: "tests \(result.state.rawValue) (run \(result.runID))")]))
                    log("\(name): tests \(result.state.rawValue)")
                    return true
                }
                testSummary = "tests passed"
                checks = [GateCheckRecord(name: "tests", status: .passed, detail: "run \(result.runID)")]
            }
            let verdict = try await gate.evaluate(component: component, environment: environment, base: plan.base)
            checks += verdict.checks
            var passed = verdict.passed
            var summary = "\(testSummary); \(verdict.summary)"
            var failure = verdict.summary
            // The performance benchmarks of a release that passed its gate: the `bench` goal's exit status.
            if passed, let bench = ReportGoals.benchPlan(for: component, in: engine.workspace) {
                let result = try await executor.execute(bench, origin: engine.origin, cancellation: log.cancellation)
                passed = result.succeeded
                checks.append(GateCheckRecord(
                    name: "bench", status: passed ? .passed : .failed, detail: "make bench \(result.state.rawValue) (run \(result.runID))"))
                failure = "benchmarks not met (make bench \(result.state.rawValue))"
                summary += passed ? "; benchmarks met" : "; \(failure)"
            }
            journal.record(name, gate: passed, note: passed ? "gated" : "failed: \(failure)")
            try engine.store.append(jobEvent(
                .jobFinished, name, runID: runID, stage: stage, outcome: passed ? "succeeded" : "failed",
                reason: summary, runKind: .test, version: version, jobRun: testRun, checks: checks))
            log("\(name): \(summary)\(passed ? "" : " (failed)")")
            return !passed
        } catch {
            journal.record(name, gate: false, note: "failed: \(error.message)")
            _ = try? engine.store.append(jobEvent(.jobFinished, name, runID: runID, stage: stage, outcome: "failed", reason: error.message))
            log("\(name): \(error.message)")
            return true
        }
    }

    /// Applies one component's pending migrations to `environment`'s database (production takes
    /// only what staging applied). Answers whether it failed; a failure keeps its code from deploying.
    private static func migrateJob(
        _ name: String, engine: Engine, environment: EnvironmentSettings, runID: String, journal: PipelineJournal, log: StageLog
    ) async -> Bool {
        let stage = "migrate"
        var engine = engine
        engine.output = { line in log("\(name) | \(line)") }
        do {
            let component = try engine.workspace.component(named: name)
            try engine.store.append(jobEvent(.jobStarted, name, runID: runID, stage: stage))
            let result = try await engine.applyMigrations(try engine.migrationTarget(of: component, environment: environment.name))
            let schema = result.version.map { "schema at version \($0)" } ?? "no migrations"
            let summary = result.applied.isEmpty ? "up to date, \(schema)" : "applied \(result.applied.count), \(schema)"
            try engine.store.append(jobEvent(.jobFinished, name, runID: runID, stage: stage, outcome: "succeeded", reason: summary))
            log("\(name): migrations \(summary)")
            return false
        } catch {
            journal.recordMigrationFailure(name, note: "failed: migrations: \(error.message)")
            _ = try? engine.store.append(jobEvent(.jobFinished, name, runID: runID, stage: stage, outcome: "failed", reason: error.message))
            log("\(name): migrations failed: \(error.message)")
            return true
        }
    }

    static func jobEvent(
        _ kind: EventKind, _ component: String, runID: String, stage: String, outcome: String? = nil, reason: String? = nil,
        runKind: RunKind? = nil, version: String? = nil, jobRun: String? = nil, checks: [GateCheckRecord]? = nil
    ) -> NewEvent {
        // No environment on job events: the component's fleet state changes only through its own runs.
        NewEvent(kind, component: component, environment: nil, runID: runID, details: EventDetails(
            runKind: runKind, version: version, stage: stage, outcome: outcome, reason: reason, jobRun: jobRun, checks: checks))
    }

    /// Runs `work` over `names`, at most `limit` at a time; answers how many answered true (failed).
    static func concurrently(
        _ names: [String], limit: Int, _ work: @escaping @Sendable (String) async -> Bool
    ) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            var next = 0
            var failed = 0
            while next < min(limit, names.count) {
                let name = names[next]
                group.addTask { await work(name) }
                next += 1
            }
            for await didFail in group {
                if didFail { failed += 1 }
                if next < names.count {
                    let name = names[next]
                    group.addTask { await work(name) }
                    next += 1
                }
            }
            return failed
        }
    }
}

/// What the stages of one pipeline run learn about each component, shared between them.
final class PipelineJournal: Sendable {
    struct Deployed: Sendable {
        var name: String
        var version: String
        var previousVersion: String?
    }

    private struct Contents {
        var gatePassed: [String: Bool] = [:]
        var migrationFailed: Set<String> = []
        var notes: [String: String] = [:]
        var deployed: [Deployed] = []
    }

    private let contents = Mutex(Contents())

    func record(_ name: String, gate passed: Bool? = nil, note: String) {
        contents.withLock {
            if let passed { $0.gatePassed[name] = passed }
            $0.notes[name] = note
        }
    }

    func gatePassed(_ name: String) -> Bool? { contents.withLock { $0.gatePassed[name] } }

    func recordMigrationFailure(_ name: String, note: String) {
        contents.withLock {
            $0.migrationFailed.insert(name)
            $0.notes[name] = note
        }
    }

    func migrationFailed(_ name: String) -> Bool { contents.withLock { $0.migrationFailed.contains(name) } }

    func recordDeployed(_ deployed: Deployed) {
        contents.withLock {
            $0.deployed.append(deployed)
            $0.notes[deployed.name] = "deployed \(deployed.version)"
        }
    }

    /// What this run deployed, in the order the deploys finished.
    var deployed: [Deployed] { contents.withLock { $0.deployed } }

    var summary: [String: String] { contents.withLock { $0.notes } }
}
