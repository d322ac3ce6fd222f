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

    /// Builds the release from this host's checkout, which must give the deploy's version, and
    /// starts and health-gates it in the asked colour, or in the other one when the asked colour
    /// serves this host's traffic (a host that missed a deploy).
    private func prepare(
        _ step: HostStep, component: Component, local: LocalDeployment, log: StageLog
    ) async throws(SlipwayError) -> (SlotColor, Int) {
        let (version, _) = try await engine.version(of: component, requested: nil)
        guard version == step.version else {
            throw .failure("this host's checkout gives \(component.name) version \(version), the deploy is \(step.version): "
                + "bring the checkout to the deploy's commit")
        }
        let live = try await local.status().routes
            .first { $0.component == component.name && $0.environment == step.environment }?.liveColor
            .flatMap(SlotColor.init(rawValue:))
        let color = live == step.color ? step.color.other : step.color
        if color != step.color { log("\(step.color) serves this host's traffic: preparing in \(color)") }
        let release = engine.releaseDirectory(of: component, version: version)
        try local.buildRelease(from: component.directory, into: release, log: log)
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
}
