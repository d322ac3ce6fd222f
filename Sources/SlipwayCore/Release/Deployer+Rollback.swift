import Foundation

/// A rollback: to a colour still warm (a switch, instant), to a release kept on disk (a
/// redeploy), or to one rebuilt from its recorded commit in a temporary worktree.
extension Deployer {
    /// Rolls back to `target` (default: the version live before the current one). Over a
    /// migration old code may not run on, only `force` with a `reason` goes on, and says so in the audit.
    public func rollback(
        _ reference: String, environment environmentName: String, to target: String?, force: Bool, reason: String? = nil,
        overrideGates: GateOverride? = nil, cancellation: CancellationFlag = CancellationFlag()
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
            throw SlipwayError(.release(.noEarlierRelease(component: component.name, environment: environment.name)))
        }
        guard let release = releases.first(where: { $0.version == version }) else {
            throw SlipwayError(.release(.unknownRelease(version, component: component.name, environment: environment.name, known: releases.map(\.version))))
        }
        try refuseRedeploy(component: component, state: state, version: version, force: force)
        // A version that passed its gates before rolls back in one step; one that never did needs an
        // override, recorded only once the schema check let the rollback through too.
        let gate = ProductionGate(engine: engine)
        if overrideGates == nil {
            try gate.check(component, environment: environment.name, version: version, override: nil, route: "rollback")
        }
        try checkSchema(component: component, environment: environment.name, release: release, force: force, reason: reason)
        if let overrideGates {
            try gate.check(component, environment: environment.name, version: version, override: overrideGates, route: "rollback")
        }

        let target = try engine.target(for: component, environment: environment.name)
        if let warm = await target.warmColor(running: version, live: try await liveColor(of: target, state: state)) {
            engine.output("\(version) is still warm in the \(warm) slot: switching to it")
            return try await switchTraffic(
                component.name, environment: environment.name, to: warm, kind: .rollback, cancellation: cancellation)
        }
        if target.keepsRelease(version) {
            let plan = try await plan(
                .rollback, component: component, environment: environment, version: version, commit: release.commit,
                forced: force, schema: release.schema)
            return try await execute(plan, cancellation: cancellation)
        }
        guard !ReleaseVersion.isDirty(version) else {
            throw SlipwayError(.release(.cannotRebuild(version: version, dirty: true)))
        }
        guard let git = engine.git, let commit = release.commit else {
            throw SlipwayError(.release(.cannotRebuild(version: version, dirty: false)))
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
            let plan = try await plan(
                .rollback, component: rebuilt, environment: environment, version: version, commit: commit, forced: force,
                schema: release.schema)
            let result = try await execute(plan, cancellation: cancellation)
            await git.removeWorktree(at: worktree)
            return result
        } catch {
            await git.removeWorktree(at: worktree)
            throw error
        }
    }

    /// Refuses a rollback to a release older than a non-additive migration applied since,
    /// unless forced with a reason, which is recorded before the rollback runs.
    private func checkSchema(
        component: Component, environment: String, release: ReleaseTag, force: Bool, reason: String?
    ) throws(SlipwayError) {
        guard let check = try engine.schemaRollback(of: component, environment: environment, to: release),
              let refusal = check.refusal(component: component.name, version: release.version, environment: environment)
        else { return }
        guard force else { throw .failure(refusal) }
        guard let reason = reason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else {
            throw SlipwayError(.reasonRequired(
                what: "--force over \(check.blocker?.path ?? "a migration")", why: "why old code may run on this schema"))
        }
        try engine.store.append(NewEvent(
            .checkOverridden, component: component.name, environment: environment, runID: runID,
            details: EventDetails(
                version: release.version, stage: "migration-aware rollback", outcome: refusal, reason: reason, forced: true,
                origin: engine.origin)))
        engine.output("rolling back over \(check.blocker?.path ?? "a non-additive migration") (forced: \(reason))")
    }
}
