import Foundation

/// Deploys and rolls back components: plans the stages (build, deploy to the idle colour,
/// health check, switch traffic), refuses what must not happen, and executes the run.
public struct Deployer: Sendable {
    public var engine: Engine
    /// The id the next run takes: a request's, so whoever asked follows the run by it.
    public var runID: String?

    public init(engine: Engine, runID: String? = nil) {
        self.engine = engine
        self.runID = runID
    }

    /// Executes a recorded request in this process (the agent does; so does `--local`).
    public func perform(_ request: RunRequest, cancellation: CancellationFlag = CancellationFlag()) async throws(SlipwayError) -> RunResult {
        switch request {
        case .deploy(let deploy):
            return try await self.deploy(
                deploy.component, kind: deploy.kind, environment: deploy.environment, version: deploy.version,
                force: deploy.force, cancellation: cancellation)
        case .switchTraffic(let request):
            return try await switchTraffic(
                request.component, environment: request.environment, to: request.color, cancellation: cancellation)
        case .rollback(let rollback):
            return try await self.rollback(
                rollback.component, environment: rollback.environment, to: rollback.version, force: rollback.force,
                cancellation: cancellation)
        }
    }

    func newPlan(_ kind: RunKind, component: String, environment: String) -> RunPlan {
        RunPlan(id: runID ?? RunRecord.newID(), kind: kind, component: component, environment: environment)
    }

    static func liveColor(_ state: DeploymentState?) -> SlotColor? { state?.liveColor.flatMap(SlotColor.init(rawValue:)) }

    /// Plans a deploy (or a rollback) of `version`, run from `directory` (the component's own
    /// folder, or a worktree of an older commit).
    public func plan(
        _ kind: RunKind, component: Component, environment: EnvironmentSettings, version: String, commit: String?,
        forced: Bool, directory: URL? = nil
    ) throws(SlipwayError) -> RunPlan {
        let state = try engine.store.projection().states[.init(component: component.name, environment: environment.name)]
        var plan = newPlan(kind, component: component.name, environment: environment.name)
        plan.version = version
        plan.commit = commit
        plan.forced = forced
        plan.takesLock = true
        let live = Self.liveColor(state)
        let color: SlotColor?
        if LocalDeployment.applies(to: component) {
            color = SlotColor.idle(whenLive: live)
            plan.stages = LocalDeployment(engine: engine, component: component, environment: environment.name).stages(
                version: version, color: SlotColor.idle(whenLive: live), liveColor: live, source: directory ?? component.directory)
        } else {
            let method = try DeployMethod.resolve(for: component, in: engine.workspace)
            color = method.provides("switch-traffic", for: component) ? SlotColor.idle(whenLive: live) : nil
            var variables = [("ENV", environment.name), ("VERSION", version)]
            if let color { variables.append(("COLOR", color.rawValue)) }
            var goals = ["build", "deploy"]
            if component.settings.deployment.qualityGates.healthChecks { goals.append("health-check") }
            if color != nil { goals.append("switch-traffic") }
            plan.stages = goals.filter { $0 == "deploy" || method.provides($0, for: component) }.map { goal in
                RunPlan.Stage(name: goal, command: method.command(
                    goal: goal, component: component, directory: directory ?? component.directory,
                    workspace: engine.workspace, variables: variables, runID: plan.id))
            }
        }
        let tag = ReleaseTag(
            component: component.name, environment: environment.name, version: version, commit: commit,
            actor: engine.store.actor, time: Date(), runID: plan.id)
        let local = LocalDeployment.applies(to: component)
        if local, !component.settings.autoPromote, let color {
            // Healthy and waiting in the idle colour: the switch by hand tags it and makes it live.
            plan.successEvents = [
                NewEvent(.releaseReady, component: component.name, environment: environment.name, details: EventDetails(
                    runKind: kind, version: version, commit: commit, color: color.rawValue)),
                NewEvent(.healthChecked, component: component.name, environment: environment.name,
                         details: EventDetails(version: version, healthy: true)),
            ]
            plan.checkpoint = RunCheckpoint(
                shape: .deploy, version: version, commit: commit, color: color, previousColor: live,
                source: (directory ?? component.directory).path, successEvents: plan.successEvents)
            return plan
        }
        plan.successEvents = [
            NewEvent(.deploySucceeded, component: component.name, environment: environment.name, details: EventDetails(
                runKind: kind, version: version, commit: commit, color: color?.rawValue, forced: forced ? true : nil,
                previousVersion: state?.liveVersion)),
            NewEvent(.releaseTagged, component: component.name, environment: environment.name, details: EventDetails(
                version: version, commit: commit, tag: tag.name)),
        ]
        if plan.stages.contains(where: { $0.name == "health-check" }) {
            plan.successEvents.append(NewEvent(
                .healthChecked, component: component.name, environment: environment.name,
                details: EventDetails(version: version, healthy: true)))
        }
        if local, let color {
            plan.checkpoint = RunCheckpoint(
                shape: .deploy, version: version, commit: commit, color: color, previousColor: live,
                source: (directory ?? component.directory).path, successEvents: plan.successEvents)
        }
        return plan
    }

    /// Deploys `reference` to `environmentName`. Redeploying the live version needs `force`.
    public func deploy(
        _ reference: String, kind: Component.Kind? = nil, environment environmentName: String?, version requested: String?,
        force: Bool, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: reference, kind: kind)
        let environment = try await engine.environment(named: environmentName)
        let (version, commit) = try await engine.version(of: component, requested: requested)
        try refuseRedeploy(component: component, environment: environment.name, version: version, force: force)
        try BudgetGate(engine: engine).check(component, environment: environment.name)
        let plan = try plan(.deploy, component: component, environment: environment, version: version, commit: commit, forced: force)
        return try await execute(plan, cancellation: cancellation)
    }

    /// Moves traffic by hand to `color` (default: the idle one), after checking that slot is healthy.
    public func switchTraffic(
        _ reference: String, environment environmentName: String, to requested: SlotColor?, kind: RunKind = .switchTraffic,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: reference)
        let environment = try engine.workspace.environment(named: environmentName)
        let state = try engine.store.projection().states[.init(component: component.name, environment: environment.name)]
        let live = Self.liveColor(state)
        let color = requested ?? SlotColor.idle(whenLive: live)
        var plan = newPlan(kind, component: component.name, environment: environment.name)
        // A switch moves traffic as a deploy does: it holds the same lock, so it never lands in
        // the middle of another run's watch.
        plan.takesLock = true
        guard LocalDeployment.applies(to: component) else {
            let method = try DeployMethod.resolve(for: component, in: engine.workspace)
            guard method.provides("switch-traffic", for: component) else {
                throw .usage("\(component.path) does not switch traffic: give it a 'switch-traffic' goal or target local with run:")
            }
            plan.version = state?.liveVersion
            plan.stages = [RunPlan.Stage(name: "switch-traffic", command: method.command(
                goal: "switch-traffic", component: component, directory: component.directory, workspace: engine.workspace,
                variables: [("ENV", environment.name), ("COLOR", color.rawValue)], runID: plan.id))]
            plan.successEvents = [NewEvent(
                .trafficSwitched, component: component.name, environment: environment.name, details: EventDetails(color: color.rawValue))]
            return try await execute(plan, cancellation: cancellation)
        }
        let local = LocalDeployment(engine: engine, component: component, environment: environment.name)
        guard let slot = try await local.runningSlot(color: color) else {
            throw .failure("no running \(color) slot of \(component.name) in \(environment.name) to switch to")
        }
        plan.version = slot.version
        if let ready = state?.ready, ready.color == color.rawValue, ready.version == slot.version {
            // Promoting a release that waited for this switch: it is watched and tagged as a deploy is.
            plan.commit = ready.commit
            plan.stages = [local.healthGate(color: color)] + local.promotionStages(version: ready.version, color: color, switchBackTo: live)
            let tag = ReleaseTag(
                component: component.name, environment: environment.name, version: ready.version, commit: ready.commit,
                actor: engine.store.actor, time: Date(), runID: plan.id)
            plan.successEvents = [
                NewEvent(.deploySucceeded, component: component.name, environment: environment.name, details: EventDetails(
                    runKind: kind, version: ready.version, commit: ready.commit, color: color.rawValue,
                    previousVersion: state?.liveVersion)),
                NewEvent(.releaseTagged, component: component.name, environment: environment.name, details: EventDetails(
                    version: ready.version, commit: ready.commit, tag: tag.name)),
                NewEvent(.healthChecked, component: component.name, environment: environment.name,
                         details: EventDetails(version: ready.version, healthy: true)),
            ]
            plan.checkpoint = RunCheckpoint(
                shape: .promotion, version: ready.version, commit: ready.commit, color: color, previousColor: live,
                successEvents: plan.successEvents)
            return try await execute(plan, cancellation: cancellation)
        }
        plan.stages = [local.healthGate(color: color), local.switchStage(to: color)]
        plan.successEvents = [
            NewEvent(.deploySucceeded, component: component.name, environment: environment.name,
                     details: EventDetails(runKind: kind, version: slot.version, color: color.rawValue, previousVersion: state?.liveVersion)),
            // The switch health-checked the colour it moved traffic to.
            NewEvent(.healthChecked, component: component.name, environment: environment.name,
                     details: EventDetails(version: slot.version, healthy: true)),
        ]
        plan.checkpoint = RunCheckpoint(
            shape: .switchTraffic, version: slot.version, commit: nil, color: color, previousColor: live,
            successEvents: plan.successEvents)
        return try await execute(plan, cancellation: cancellation)
    }

    /// Rolls back to `target` (default: the version live before the current one).
    public func rollback(
        _ reference: String, environment environmentName: String, to target: String?, force: Bool,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: reference)
        let environment = try engine.workspace.environment(named: environmentName)
        let releases = try engine.store.releases(component: component.name, environment: environment.name)
        let state = try engine.store.projection().states[.init(component: component.name, environment: environment.name)]
        let version: String
        if let target {
            version = target
        } else if let previous = state?.previousVersions.first {
            version = previous
        } else {
            throw .failure("\(component.name) has no earlier release in \(environment.name) to roll back to")
        }
        guard let release = releases.first(where: { $0.version == version }) else {
            let known = releases.map(\.version)
            throw .usage("no release '\(version)' of \(component.name) in \(environment.name) "
                + "(releases: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        try refuseRedeploy(component: component, environment: environment.name, version: version, force: force)

        if LocalDeployment.applies(to: component) {
            let local = LocalDeployment(engine: engine, component: component, environment: environment.name)
            let idle = SlotColor.idle(whenLive: Self.liveColor(state))
            if local.agent.isRunning, let warm = try await local.runningSlot(color: idle), warm.version == version {
                engine.output("\(version) is still warm in the \(idle) slot: switching to it")
                return try await switchTraffic(
                    component.name, environment: environment.name, to: idle, kind: .rollback, cancellation: cancellation)
            }
        }
        let kept = FileManager.default.fileExists(atPath: engine.releaseDirectory(of: component, version: version).path)
        if kept {
            let plan = try plan(
                .rollback, component: component, environment: environment, version: version, commit: release.commit,
                forced: force)
            return try await execute(plan, cancellation: cancellation)
        }
        guard !ReleaseVersion.isDirty(version) else {
            throw .failure("cannot roll back to \(version): it was built from uncommitted changes and no kept release "
                + "of it exists, so it cannot be rebuilt")
        }
        guard let git = engine.git, let commit = release.commit else {
            throw .failure("cannot roll back to \(version): no kept release and no recorded commit to rebuild it from")
        }
        let worktree = FileManager.default.temporaryDirectory
            .appendingPathComponent("slipway-rollback-\(component.name)-\(UUID().uuidString.prefix(8))")
        try await git.addWorktree(at: worktree, commit: commit)
        let relative = engine.repositoryPath(of: component)
        let rebuilt = Component(
            name: component.name, kind: component.kind, path: component.path,
            directory: worktree.appendingPathComponent(relative), technology: component.technology,
            target: component.target,
            makefile: MakefileMetadata.load(
                from: worktree.appendingPathComponent(relative).appendingPathComponent("Makefile"),
                directory: worktree.appendingPathComponent(relative)) ?? component.makefile,
            settings: component.settings)
        engine.output("rebuilding \(version) from commit \(commit.prefix(12)) in a temporary worktree")
        do {
            let plan = try plan(
                .rollback, component: rebuilt, environment: environment, version: version, commit: commit, forced: force)
            let result = try await execute(plan, cancellation: cancellation)
            await git.removeWorktree(at: worktree)
            return result
        } catch {
            await git.removeWorktree(at: worktree)
            throw error
        }
    }

    /// Deploys every component to `environment`, `parallelism` at a time. Components whose
    /// version is already live are skipped unless `force`.
    public func deployAll(
        environment environmentName: String?, force: Bool, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> [String: RunResult] {
        let environment = try await engine.environment(named: environmentName)
        let workspace = engine.workspace
        for component in workspace.components where !LocalDeployment.applies(to: component) {
            _ = try DeployMethod.resolve(for: component, in: workspace)
        }
        var pending: [(Component, String, String?)] = []
        // Components whose spent error budget refuses the deploy: not started, counted as failed.
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
            } catch {
                engine.output("\(component.name): slipway: \(error.message)")
                refused[component.name] = RunResult(runID: "-", state: .failed, failedStage: nil, reason: error.message)
                continue
            }
            pending.append((component, version, commit))
        }
        let plans = try pending.map { component, version, commit throws(SlipwayError) in
            try plan(.deploy, component: component, environment: environment, version: version, commit: commit, forced: force)
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

    private func refuseRedeploy(component: Component, environment: String, version: String, force: Bool) throws(SlipwayError) {
        let live = try engine.store.projection().states[.init(component: component.name, environment: environment)]?.liveVersion
        if live == version && !force {
            throw .usage("\(component.name) \(version) is already live in \(environment); use --force to redeploy it")
        }
    }

    private func execute(_ plan: RunPlan, cancellation: CancellationFlag) async throws(SlipwayError) -> RunResult {
        let result = try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
        if result.succeeded, engine.workspace.config.tags == .git, let git = engine.git,
           plan.successEvents.contains(where: { $0.kind == .releaseTagged }),
           let commit = plan.commit, let component = plan.component, let environment = plan.environment, let version = plan.version {
            try await git.tag("\(component)/\(environment)/\(version)", commit: commit)
        }
        if result.succeeded, plan.kind == .deploy || plan.kind == .rollback, let name = plan.component,
           let component = try? engine.workspace.component(named: name), LocalDeployment.applies(to: component) {
            removeOldReleases(of: component)
        }
        return result
    }

    /// Removes built releases of `component` beyond its `keep_releases`, never one still needed.
    func removeOldReleases(of component: Component) {
        let manager = FileManager.default
        let directory = engine.workspace.stateDirectory.appendingPathComponent("releases/\(component.name)")
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path),
              let states = try? engine.store.projection().states.values, let slots = try? engine.store.slots() else { return }
        let built = names.filter { !$0.hasPrefix(".") }.compactMap { name -> ReleaseRetention.BuiltRelease? in
            let marker = directory.appendingPathComponent(name).appendingPathComponent(".slipway-release").path
            guard let date = (try? manager.attributesOfItem(atPath: marker))?[.modificationDate] as? Date else { return nil }
            return ReleaseRetention.BuiltRelease(version: name, builtAt: date)
        }
        let protected = ReleaseRetention.protectedVersions(of: component.name, states: Array(states), slots: slots)
        let retention = ReleaseRetention(keep: component.settings.keepReleases)
        for version in retention.versionsToRemove(of: built, protecting: protected) {
            do {
                try manager.removeItem(at: directory.appendingPathComponent(version))
                engine.output("removed release \(version) of \(component.name) (keep_releases: \(retention.keep))")
            } catch {
                engine.output("could not remove release \(version) of \(component.name): \(error.localizedDescription)")
            }
        }
    }
}
