/// The validate-deploy stage: health-checks every component this run deployed; when one is
/// unhealthy, rolls back what this run deployed, last deployed first.
struct Validation: Sendable {
    var engine: Engine
    var environment: EnvironmentSettings
    var runID: String
    var journal: PipelineJournal
    var log: StageLog

    private static let stage = "validate-deploy"

    func run(cancellation: CancellationFlag) async throws(SlipwayError) {
        let deployed = journal.deployed
        guard !deployed.isEmpty else {
            log("nothing deployed: nothing to validate")
            return
        }
        var unhealthy: [String] = []
        let states = try engine.store.projection().states
        for release in deployed {
            let component = try engine.workspace.component(named: release.name)
            try engine.store.append(PipelineRunner.jobEvent(
                .jobStarted, release.name, runID: runID, stage: Self.stage, runKind: .healthCheck, version: release.version))
            let outcome = try await HealthCheck(engine: engine).check(
                component, environment: environment,
                state: states[.init(component: release.name, environment: environment.name)], cancellation: cancellation)
            let healthy = outcome.health != "unhealthy"
            try engine.store.append(PipelineRunner.jobEvent(
                .jobFinished, release.name, runID: runID, stage: Self.stage, outcome: healthy ? "succeeded" : "failed",
                reason: "\(outcome.health)\(outcome.reason.map { ": \($0)" } ?? "")", runKind: .healthCheck,
                version: release.version, jobRun: outcome.runID))
            log("\(release.name) \(release.version): \(outcome.health)\(outcome.reason.map { " (\($0))" } ?? "")")
            if !healthy { unhealthy.append(release.name) }
        }
        guard !unhealthy.isEmpty else { return }
        log("unhealthy: \(unhealthy.joined(separator: ", ")); rolling back what this run deployed, last first")
        var notRolledBack: [String] = []
        for release in deployed.reversed() {
            try engine.store.append(PipelineRunner.jobEvent(
                .jobStarted, release.name, runID: runID, stage: Self.stage, runKind: .rollback,
                version: release.previousVersion))
            guard let previous = release.previousVersion else {
                notRolledBack.append(release.name)
                try engine.store.append(PipelineRunner.jobEvent(
                    .jobFinished, release.name, runID: runID, stage: Self.stage, outcome: "failed",
                    reason: "no earlier release to roll back to", runKind: .rollback))
                log("\(release.name): no earlier release in \(environment.name) to roll back to")
                continue
            }
            var reason: String?
            var jobRun: String?
            do {
                let result = try await Deployer(engine: engine).rollback(
                    release.name, environment: environment.name, to: previous, force: false, cancellation: cancellation)
                jobRun = result.runID
                reason = result.succeeded ? nil : result.reason ?? "rollback failed"
            } catch {
                reason = error.message
            }
            if reason != nil { notRolledBack.append(release.name) }
            journal.record(release.name, note: reason == nil ? "rolled back to \(previous)" : "failed: rollback: \(reason!)")
            try engine.store.append(PipelineRunner.jobEvent(
                .jobFinished, release.name, runID: runID, stage: Self.stage, outcome: reason == nil ? "rolled-back" : "failed",
                reason: reason ?? "rolled back to \(previous)", runKind: .rollback, version: previous, jobRun: jobRun))
            log("\(release.name): \(reason.map { "rollback failed: \($0)" } ?? "rolled back to \(previous)")")
        }
        throw SlipwayError(.release(.unhealthyAfterDeploy(unhealthy, notRolledBack: notRolledBack)))
    }
}
