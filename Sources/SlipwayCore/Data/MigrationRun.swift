/// `migrate apply` as a run of its own: what an agent executes for a `migrate` request (the way
/// into an environment under the two-person rule), with its output stored and followed like a deploy's.
struct MigrationRun: Sendable {
    let engine: Engine
    let runID: String?

    func perform(_ request: RunRequest.Migrate, cancellation: CancellationFlag) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: request.component)
        let target = try engine.migrationTarget(of: component, environment: request.environment)
        var plan = RunPlan(id: runID ?? RunRecord.newID(), kind: .migrate, component: component.name, environment: request.environment)
        // A deploy of the component waits for its schema, and the schema for the deploy.
        plan.takesLock = true
        let engine = self.engine
        plan.stages = [
            RunPlan.Stage(name: "migrate", description: "apply the pending migrations of \(component.name) to database '\(target.databaseName)'") { log throws(SlipwayError) in
                var engine = engine
                engine.output = { line in log(line) }
                let result = try await engine.applyMigrations(target)
                for allowance in result.allowances { log("\(allowance)") }
                log("schema version: \(result.version?.text ?? "none"); \(result.applied.count) applied")
            },
        ]
        return try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
    }
}
