import Foundation

/// `deploy-all`: every component whose version is not live yet, a bounded number at a time,
/// executed by the agent (or, with `--local`, in this process).
extension Deployer {
    /// What one `deploy-all` deploys, and what it refused before starting anything.
    private struct Selection {
        var pending: [(component: Component, version: String, commit: String?)] = []
        /// Components a spent error budget or missing gates refuse: not started, counted as failed.
        var refused: [String: RunResult] = [:]
    }

    /// Deploys every component to `environment` in this process, `parallelism` at a time.
    /// Components whose version is already live are skipped unless `force`.
    public func deployAll(
        environment environmentName: String?, force: Bool, overrideGates: GateOverride? = nil,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> [String: RunResult] {
        let environment = try await checkedEnvironment(environmentName, overrideGates: overrideGates)
        let deployer = Deployer(engine: try await engine.withSecrets(for: environment.name), runID: runID)
        let selection = try await deployer.select(in: environment, force: force, overrideGates: overrideGates)
        var plans: [RunPlan] = []
        for (component, version, commit) in selection.pending {
            plans.append(try await deployer.plan(.deploy, component: component, environment: environment, version: version, commit: commit, forced: force))
        }
        return await deployer.executeInProcess(plans, refused: selection.refused, cancellation: cancellation)
    }

    /// Deploys every component to `environment` through the agent: one deploy request per
    /// component whose version is not live yet (unless `force`), of one group the agent runs
    /// `parallelism` at a time, followed together, each line prefixed `name | `. Killing this
    /// process stops none of them; `cancellation` (Ctrl-C) cancels them all.
    public func requestDeployAll(
        environment environmentName: String?, force: Bool, overrideGates: GateOverride? = nil, noWait: Bool = false,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> [String: RunResult] {
        let environment = try await checkedEnvironment(environmentName, overrideGates: overrideGates)
        let selection = try await select(in: environment, force: force, overrideGates: overrideGates)
        let group = "deploy-all-" + RunRecord.newID()
        var results = selection.refused
        var runs: [(name: String, run: RequestedRun)] = []
        for (component, _, _) in selection.pending {
            // Ctrl-C while asking: what is asked is followed (and cancelled), the rest never asked.
            if cancellation.isSet {
                results[component.name] = RunResult(runID: "-", state: .cancelled, failedStage: nil, reason: "cancelled before it was asked")
                continue
            }
            let request = RunRequest.deploy(.init(
                component: component.name, kind: component.kind, environment: environment.name, version: nil, force: force,
                overrideGates: overrideGates, group: group))
            do {
                runs.append((component.name, try await engine.request(request, noWait: noWait)))
            } catch {
                engine.output("\(component.name) | slipway: \(error.message)")
                results[component.name] = RunResult(runID: "-", state: .failed, failedStage: nil, reason: error.message)
            }
        }
        CrashPoint(environment: engine.environment).reach("deploy-all-handed-over")
        let engine = self.engine
        return await withTaskGroup(of: (String, RunResult).self) { followers in
            for (name, run) in runs {
                var prefixed = engine
                prefixed.output = { line in engine.output("\(name) | \(line)") }
                let run = RequestedRun(id: run.id, engine: prefixed)
                followers.addTask {
                    do {
                        return (name, try await run.follow(cancellation: cancellation))
                    } catch {
                        let message = (error as? SlipwayError)?.message ?? "\(error)"
                        prefixed.output("slipway: \(message)")
                        return (name, RunResult(runID: run.id, state: .failed, failedStage: nil, reason: message))
                    }
                }
            }
            for await (name, result) in followers { results[name] = result }
            return results
        }
    }

    /// The environment a deploy-all goes to, once the actor may deploy there (and override its
    /// gates when asked) and no two-person rule would be bypassed.
    private func checkedEnvironment(
        _ name: String?, overrideGates: GateOverride?
    ) async throws(SlipwayError) -> EnvironmentSettings {
        let environment = try await engine.environment(named: name)
        try engine.authorize(.deploy, environment: environment.name)
        if overrideGates != nil { try engine.authorize(.overrideGates, environment: environment.name) }
        try engine.refuseBypassingApprovals(
            "deploy-all into \(environment.name)", environment: environment.name,
            instead: "deploy each component there with deploy-app or deploy-service, whose requests an approver approves")
        return environment
    }

    /// The components to deploy: those whose version is not live yet (all with `force`) that the
    /// budget and production gates let through; each skip and refusal is said as it is decided.
    private func select(
        in environment: EnvironmentSettings, force: Bool, overrideGates: GateOverride?
    ) async throws(SlipwayError) -> Selection {
        let workspace = engine.workspace
        // Every component's target is known before anything starts.
        for component in workspace.components { _ = try engine.target(for: component, environment: environment.name) }
        var selection = Selection()
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
                selection.refused[component.name] = RunResult(runID: "-", state: .failed, failedStage: nil, reason: error.message)
                continue
            }
            selection.pending.append((component, version, commit))
        }
        return selection
    }

    /// Executes `plans` in this process, `parallelism` at a time, each line prefixed `name | `.
    private func executeInProcess(_ plans: [RunPlan], refused: [String: RunResult], cancellation: CancellationFlag) async -> [String: RunResult] {
        let limit = engine.workspace.config.parallelism
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
