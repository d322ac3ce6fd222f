import Foundation

/// A component deployed by its own Makefile goals (`build`, `deploy`, `health-check`,
/// `switch-traffic`), or by the workspace's `deploy/local.mk`, as the seed's apps are: Slipway
/// runs each goal as a stage with the seed's variables (`ENV`, `VERSION`, `COLOR`). With
/// `switch: dns` the Cloudflare DNS record moves the traffic instead of `switch-traffic`.
public struct MakeTarget: DeployTarget {
    public var engine: Engine
    public var component: Component
    public var environment: String
    public var method: DeployMethod
    public var cutover: DNSCutover?

    public init(engine: Engine, component: Component, environment: String, method: DeployMethod) throws(SlipwayError) {
        self.engine = engine
        self.component = component
        self.environment = environment
        self.method = method
        cutover = component.settings.switchesByDNS ? try DNSCutover(component: component, environment: environment, engine: engine) : nil
    }

    public var traffic: TrafficControl {
        cutover != nil || method.provides("switch-traffic", for: component) ? .switchColors : .none
    }
    public var waitsForSwitch: Bool { false }

    func stage(_ goal: String, variables: [(String, String)], directory: URL, runID: String) -> RunPlan.Stage {
        RunPlan.Stage(name: goal, command: method.command(
            goal: goal, component: component, directory: directory, workspace: engine.workspace, variables: variables, runID: runID))
    }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        var variables = [("ENV", environment), ("VERSION", version)]
        if let color { variables.append(("COLOR", color.rawValue)) }
        var goals = ["build", "deploy"]
        if component.settings.deployment.qualityGates.healthChecks { goals.append("health-check") }
        if color != nil, cutover == nil { goals.append("switch-traffic") }
        let stages = goals.filter { $0 == "deploy" || method.provides($0, for: component) }.map { goal in
            stage(goal, variables: variables, directory: source, runID: runID)
        }
        guard let cutover, let color else { return stages }
        return stages + [cutover.stage(to: color)]
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        guard traffic != .none else {
            throw SlipwayError(.target(.noTrafficSwitch(component: component.path)))
        }
        let move = cutover?.stage(to: color)
            ?? stage("switch-traffic", variables: [("ENV", environment), ("COLOR", color.rawValue)], directory: component.directory, runID: runID)
        return TrafficMove(kind: .switchTo(version: state?.liveVersion), stages: [move], confirmedByTarget: false)
    }

    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? { nil }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? {
        guard method.provides("health-check", for: component), let version = state?.liveVersion else { return nil }
        var variables = [("ENV", environment), ("VERSION", version)]
        if let color = state?.liveColor { variables.append(("COLOR", color)) }
        return stage("health-check", variables: variables, directory: component.directory, runID: runID)
    }

    /// The Makefile builds every time: nothing is kept by Slipway.
    public func keepsRelease(_ version: String) -> Bool { false }

    public func pruneReleases(output: (String) -> Void) {}

    /// The colour the DNS record points at, with `switch: dns`.
    public func platformLiveColor() async throws(SlipwayError) -> SlotColor? {
        try await cutover?.liveColor()
    }
}
