import Foundation

/// `deploy-all`: every component whose version is not live yet, a bounded number at a time.
extension Deployer {
    /// Deploys every component to `environment`, `parallelism` at a time. Components whose
    /// version is already live are skipped unless `force`.
    public func deployAll(
        environment environmentName: String?, force: Bool, overrideGates: ProductionGate.Override? = nil,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> [String: RunResult] {
        let environment = try await engine.environment(named: environmentName)
        try engine.authorize(.deploy, environment: environment.name)
        if overrideGates != nil { try engine.authorize(.overrideGates, environment: environment.name) }
        try engine.refuseBypassingApprovals(
            "deploy-all into \(environment.name)", environment: environment.name,
            instead: "deploy each component there with deploy-app or deploy-service, whose requests an approver approves")
        let deployer = Deployer(engine: try await engine.withSecrets(for: environment.name), runID: runID)
        return try await deployer.deployEach(to: environment, force: force, overrideGates: overrideGates, cancellation: cancellation)
    }

    private func deployEach(
        to environment: EnvironmentSettings, force: Bool, overrideGates: ProductionGate.Override?, cancellation: CancellationFlag
    ) async throws(SlipwayError) -> [String: RunResult] {
        let workspace = engine.workspace
        // Every component's target is known before anything starts.
        for component in workspace.components { _ = try engine.target(for: component, environment: environment.name) }
        var pending: [(Component, String, String?)] = []
        // Components a spent error budget or missing gates refuse: not started, counted as failed.
        var refused: [String: RunResult] = [:]
        let states = try engine.store.projection().states
        for component in workspace.components {
            let (version, commit) = try await engine.version(of: component, requested: nil)
            if !force, states[.init(component: component.name, environment: environment.name)]?.liveVersion == version {
                engine.output("\(component.name): \(version) is already live in \(environment.name)")
                continue
            }
            do {
                try BudgetGate(engine: engine).check(component, environment: environment.name)
                try ProductionGate(engine: engine).check(
                    component, environment: environment.name, version: version, override: overrideGates, route: "deploy-all")
            } catch {
                engine.output("\(component.name): slipway: \(error.message)")
                refused[component.name] = RunResult(runID: "-", state: .failed, failedStage: nil, reason: error.message)
                continue
            }
            pending.append((component, version, commit))
        }
        var plans: [RunPlan] = []
        for (component, version, commit) in pending {
            plans.append(try await plan(.deploy, component: component, environment: environment, version: version, commit: commit, forced: force))
        }
        let limit = workspace.config.parallelism
        let engine = self.engine
        return await withTaskGroup(of: (String, RunResult).self) { group in
            var results = refused
            var next = 0
            func startNext() {
                guard next < plans.count else { return }
                let plan = plans[next]
                next += 1
                let name = plan.component ?? "?"
                var executor = engine.executor
                executor.output = { line in engine.output("\(name) | \(line)") }
                group.addTask {
                    do {
                        return (name, try await executor.execute(plan, origin: engine.origin, cancellation: cancellation))
                    } catch {
                        let message = (error as? SlipwayError)?.message ?? "\(error)"
                        engine.output("\(name) | slipway: \(message)")
                        return (name, RunResult(runID: plan.id, state: .failed, failedStage: nil, reason: message))
                    }
                }
            }
            for _ in 0..<limit { startNext() }
            for await (name, result) in group {
                results[name] = result
                startNext()
            }
            return results
        }
    }
}
