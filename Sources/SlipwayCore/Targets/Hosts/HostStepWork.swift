import Foundation

/// What a host's agent does for one of its steps, with its own checkout, agent and router: the
/// host's half of a deploy to several hosts (the run's half is `HostFleetDeployment`).
public struct HostStepWork: Sendable {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    /// Does `step` and returns it finished, done or failed with the reason in one line.
    public func perform(_ step: HostStep, log: StageLog) async -> HostStep {
        do throws(SlipwayError) {
            let component = try engine.workspace.component(named: step.component)
            let local = LocalDeployment(engine: engine, component: component, environment: step.environment)
            switch step.kind {
            case .prepare:
                let (color, port) = try await prepare(step, component: component, local: local, log: log)
                return step.finished(.done, detail: "\(step.version) healthy in the \(color) slot on port \(port)", color: color)
            case .switch:
                try await switchTraffic(step, component: component, local: local, log: log)
                return step.finished(.done, detail: "traffic on \(step.color)")
            case .abort:
                _ = try await local.call(.stopSlot(component: component.name, environment: step.environment, color: step.color))
                return step.finished(.done, detail: "stopped the \(step.color) slot: this host keeps its traffic where it was")
            case .check:
                try await local.checkLive(log: log)
                return step.finished(.done, detail: "healthy through the router")
            case .revert:
                let port = try await local.slotPort(color: step.color)
                try await local.probeUntilHealthy(port: port, color: step.color, log: log)
                try await local.switchTraffic(to: step.color, log: log)
                return step.finished(.done, detail: "traffic back on \(step.color)")
            }
        } catch {
            return step.finished(.failed, detail: error.message)
        }
    }

    /// Health-gates the colour, gives it this host's traffic and watches it for the component's
    /// `post_promotion` window, as a deploy to one host does; failing checks switch this host back.
    private func switchTraffic(
        _ step: HostStep, component: Component, local: LocalDeployment, log: StageLog
    ) async throws(SlipwayError) {
        let previous = try await local.status().routes
            .first { $0.component == component.name && $0.environment == step.environment }?.liveColor
            .flatMap(SlotColor.init(rawValue:))
        let port = try await local.slotPort(color: step.color)
        try await local.probeUntilHealthy(port: port, color: step.color, log: log)
        try await local.switchTraffic(to: step.color, log: log)
        let window = component.settings.postPromotion
        try await local.watchAfterSwitch(
            until: engine.clock.now().addingTimeInterval(window), window: window,
            switchBackTo: previous == step.color ? nil : previous, log: log)
    }

    /// Builds the release (from this host's checkout when it gives the deploy's version, else
    /// from the deploy's commit, fetched when this host's repository lacks it) and starts and
    /// health-gates it in the asked colour, or in the other one when the asked colour serves
    /// this host's traffic (a host that missed a deploy).
    private func prepare(
        _ step: HostStep, component: Component, local: LocalDeployment, log: StageLog
    ) async throws(SlipwayError) -> (SlotColor, Int) {
        let version = step.version
        let release = engine.releaseDirectory(of: component, version: version)
        try await build(step, component: component, into: release, local: local, log: log)
        let live = try await local.status().routes
            .first { $0.component == component.name && $0.environment == step.environment }?.liveColor
            .flatMap(SlotColor.init(rawValue:))
        let color = live == step.color ? step.color.other : step.color
        if color != step.color { log("\(step.color) serves this host's traffic: preparing in \(color)") }
        let port = try await local.startSlot(version: version, color: color, release: release, log: log)
        do throws(SlipwayError) {
            try await local.probeUntilHealthy(port: port, color: color, log: log)
        } catch {
            log("stopping the \(color) slot: no traffic moved")
            _ = try? await local.call(.stopSlot(component: component.name, environment: step.environment, color: color))
            throw error
        }
        return (color, port)
    }

    /// Builds `step`'s release into `release` unless it was built before. A host's checkout may
    /// lag behind the asking host's: then the release is built from the deploy's commit in a
    /// temporary worktree (the version names the last commit touching the component), and the
    /// checkout itself is left as it is.
    private func build(
        _ step: HostStep, component: Component, into release: URL, local: LocalDeployment, log: StageLog
    ) async throws(SlipwayError) {
        if FileManager.default.fileExists(atPath: release.appendingPathComponent(".slipway-release").path) {
            return try local.buildRelease(from: component.directory, into: release, log: log)
        }
        let (checkout, _) = try await engine.version(of: component, requested: nil)
        if checkout == step.version {
            return try local.buildRelease(from: component.directory, into: release, log: log)
        }
        let gone = SlipwayError(.release(.notOnThisHost(
            component: component.name, version: step.version, checkout: checkout, dirty: ReleaseVersion.isDirty(step.version))))
        guard !ReleaseVersion.isDirty(step.version), let git = engine.git else { throw gone }
        var commit = try await git.commit(named: step.version)
        if commit == nil {
            log("this host's repository has no commit \(step.version): fetching")
            try await git.fetch()
            commit = try await git.commit(named: step.version)
        }
        guard let commit else { throw gone }
        let worktree = FileManager.default.temporaryDirectory
            .appendingPathComponent("slipway-host-\(component.name)-\(UUID().uuidString.prefix(8))")
        log("this host's checkout gives \(checkout): building \(step.version) from commit \(commit.prefix(12)) in a temporary worktree")
        try await git.addWorktree(at: worktree, commit: commit)
        do throws(SlipwayError) {
            try local.buildRelease(from: worktree.appendingPathComponent(engine.repositoryPath(of: component)), into: release, log: log)
        } catch {
            await git.removeWorktree(at: worktree)
            throw error
        }
        await git.removeWorktree(at: worktree)
    }
}
