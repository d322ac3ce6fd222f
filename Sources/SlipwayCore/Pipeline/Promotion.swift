import Foundation

/// Moves the release live and healthy in one environment to the next, exactly that release:
/// same version, built from its recorded commit.
public struct Promotion: Sendable {
    public struct Outcome: Sendable {
        public var version: String
        public var checklist: DeploymentChecklist?
        public var result: RunResult?
    }

    public var engine: Engine
    /// The id its deploy run takes: a request's, so whoever asked follows the run by it.
    public var runID: String?

    public init(engine: Engine, runID: String? = nil) {
        self.engine = engine
        self.runID = runID
    }

    public func promote(
        _ reference: String, from source: String, to destination: String, overrideGates: GateOverride? = nil,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> Outcome {
        let component = try engine.workspace.component(named: reference)
        let from = try engine.workspace.environment(named: source)
        let to = try engine.workspace.environment(named: destination)
        guard from.name != to.name else { throw SlipwayError(.promotionToItself(environment: from.name)) }
        let states = try engine.store.projection().states
        let staged = states[.init(component: component.name, environment: from.name)]
        guard let version = staged?.liveVersion else {
            throw SlipwayError(.release(.nothingToPromote(component: component.name, environment: from.name)))
        }
        if let last = staged?.lastDeploy, last.outcome != "succeeded", last.version == version {
            throw SlipwayError(.release(.failedIn(component: component.name, version: version, environment: from.name, runID: last.runID)))
        }
        guard let health = staged?.lastHealth, health.healthy else {
            throw SlipwayError(.release(.notHealthyIn(
                component: component.name, version: version, environment: from.name, checked: staged?.lastHealth != nil)))
        }
        if states[.init(component: component.name, environment: to.name)]?.liveVersion == version {
            throw SlipwayError(.release(.alreadyLive(component: component.name, version: version, environment: to.name, forceHint: false)))
        }
        var checklist: DeploymentChecklist?
        if DeploymentChecklist.applies(to: to.name) {
            let list = try await engine.checklist(for: component, version: version, states: states)
            for line in list.lines { engine.output(line) }
            checklist = list
            if !list.passed {
                guard let overrideGates else { return Outcome(version: version, checklist: list, result: nil) }
                let failed = list.items.filter { $0.status == .failed }.map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
                try ProductionGate(engine: engine).record(
                    overrideGates, component: component, environment: to.name, version: version,
                    missing: "checklist failed: \(failed)", route: "promote")
            }
        }
        let result = try await deploy(component, version: version, commit: staged?.liveCommit, to: to, cancellation: cancellation)
        return Outcome(version: version, checklist: checklist, result: result)
    }

    /// Deploys `version` from the working tree when that is what it holds, else from a temporary
    /// worktree of the release's commit, so the destination gets exactly what the source runs.
    private func deploy(
        _ component: Component, version: String, commit: String?, to environment: EnvironmentSettings,
        cancellation: CancellationFlag
    ) async throws(SlipwayError) -> RunResult {
        let deployer = Deployer(engine: engine, runID: runID)
        let current = try? await engine.version(of: component, requested: nil).version
        let kept = FileManager.default.fileExists(atPath: engine.releaseDirectory(of: component, version: version).path)
        if current == version || kept {
            let plan = try await deployer.plan(
                .deploy, component: component, environment: environment, version: version, commit: commit, forced: false)
            return try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
        }
        guard let git = engine.git, let commit else {
            throw SlipwayError(.release(.noCommitToPromote(version: version)))
        }
        let worktree = FileManager.default.temporaryDirectory
            .appendingPathComponent("slipway-promote-\(component.name)-\(UUID().uuidString.prefix(8))")
        try await git.addWorktree(at: worktree, commit: commit)
        defer { try? FileManager.default.removeItem(at: worktree) }
        let directory = worktree.appendingPathComponent(engine.repositoryPath(of: component))
        var release = component
        release.directory = directory
        release.makefile = MakefileMetadata.load(from: directory.appendingPathComponent("Makefile"), directory: directory)
            ?? component.makefile
        engine.output("building \(version) from commit \(commit.prefix(12)) in a temporary worktree")
        let result: RunResult
        do {
            let plan = try await deployer.plan(
                .deploy, component: release, environment: environment, version: version, commit: commit, forced: false,
                directory: directory)
            result = try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
        } catch {
            await git.removeWorktree(at: worktree)
            throw error
        }
        await git.removeWorktree(at: worktree)
        return result
    }
}
