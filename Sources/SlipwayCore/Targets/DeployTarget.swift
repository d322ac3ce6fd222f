import Foundation

/// How a target moves live traffic from one release to another.
public enum TrafficControl: Sendable, Equatable {
    /// It cannot: a deploy replaces what runs (a Makefile target without `switch-traffic`).
    case none
    /// All at once between two colours.
    case switchColors
    /// By weight between two colours, so a canary can take a share.
    case weighted
}

/// A platform a component's releases run on, as the deployer, health checks, canaries and
/// rollbacks see it: what it can do, and the stages that do it. Nothing outside `Targets/`
/// asks which kind a component is; `Engine.target(for:environment:)` picks the implementation.
///
/// Targets/ is above Support/, Workspace/ and Store/ (Support <- Workspace <- Store <- Targets <- Release,
/// Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine), and holds the `Engine` it is handed.
public protocol DeployTarget: Sendable {
    var component: Component { get }
    var environment: String { get }
    var traffic: TrafficControl { get }
    /// Whether a healthy release waits in its colour for a switch by hand (`auto_promote: false`).
    var waitsForSwitch: Bool { get }

    /// The stages that take `version` live (or ready) in `color` (nil: no blue/green), built
    /// from `source`, away from `live`.
    func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage]

    /// What a switch by hand to `color` does; throws when the target cannot switch or the colour
    /// is not there to switch to.
    func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove

    /// The colour other than `live` still running `version`, for a rollback without a redeploy.
    func warmColor(running version: String, live: SlotColor?) async -> SlotColor?

    /// A check of what users reach now, for `health-check-all`; nil when the target has none.
    func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage?

    /// Whether `version` is built and kept, so a rollback to it needs no rebuild from git.
    func keepsRelease(_ version: String) -> Bool

    /// Removes built releases beyond `keep_releases`, never one still needed; says what it removed.
    func pruneReleases(output: (String) -> Void)

    /// The colour the platform itself sends the traffic to, read back from it (a cloud
    /// listener's weights); nil when the store is the only record (the local router's switches
    /// are confirmed into the store as they happen).
    func platformLiveColor() async throws(SlipwayError) -> SlotColor?

    /// The version the platform itself serves, read back from it where the platform names
    /// versions (a Pages production deployment's commit hash, a Worker's version tag); nil elsewhere.
    func platformLiveVersion() async throws(SlipwayError) -> String?

    /// Where the platform's own figures of the live traffic come from, as the console labels
    /// them (`CloudWatch`); nil when the target has none (the local router counts its own).
    var metricsSource: String? { get }

    /// The split, the versions and each colour's (or version's) requests, failures and p95 from
    /// `start` to `end`, read from the platform; nil when the target has no such figures.
    func liveMetrics(from start: Date, to end: Date) async throws(SlipwayError) -> PlatformMetrics?

    /// Whether another agent can make this run's remaining stages again from its checkpoint.
    var resumesFromCheckpoint: Bool { get }

    /// The stages that give every request back to `lastGood`'s live release, for a run of this
    /// target that died after it began moving traffic and cannot go on from a checkpoint.
    func restoreStages(lastGood: DeploymentState, runID: String) async throws(SlipwayError) -> [RunPlan.Stage]
}

extension DeployTarget {
    public func platformLiveColor() async throws(SlipwayError) -> SlotColor? { nil }
    public func platformLiveVersion() async throws(SlipwayError) -> String? { nil }
    public var resumesFromCheckpoint: Bool { false }
    public var metricsSource: String? { nil }
    public func liveMetrics(from start: Date, to end: Date) async throws(SlipwayError) -> PlatformMetrics? { nil }

    /// A switch back to the colour the last good release is live in.
    public func restoreStages(lastGood: DeploymentState, runID: String) async throws(SlipwayError) -> [RunPlan.Stage] {
        guard let color = lastGood.liveColor.flatMap(SlotColor.init(rawValue:)) else {
            throw SlipwayError(.target(.noGoodRelease(component: component.name, environment: environment)))
        }
        return try await trafficMove(to: color, state: lastGood, runID: runID).stages
    }
}

/// A switch by hand, as the target plans it.
public struct TrafficMove: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Traffic moves to a release already running in that colour.
        case switchTo(version: String?)
        /// A release that waited for this switch goes live, watched and tagged as a deploy is.
        case promotion(DeploymentState.ReadyRelease)
    }

    public var kind: Kind
    public var stages: [RunPlan.Stage]
    /// The target records the move itself (the local router confirms each switch); otherwise the
    /// run's success records it.
    public var confirmedByTarget: Bool

    public init(kind: Kind, stages: [RunPlan.Stage], confirmedByTarget: Bool) {
        self.kind = kind
        self.stages = stages
        self.confirmedByTarget = confirmedByTarget
    }
}

extension Engine {
    /// The target `component` deploys to in `environment`.
    public func target(for component: Component, environment: String) throws(SlipwayError) -> any DeployTarget {
        if let placement = HostFleetDeployment.placement(of: component, in: environment) {
            return HostFleetDeployment(engine: self, component: component, environment: environment, placement: placement)
        }
        if LocalDeployment.applies(to: component) {
            return LocalDeployment(engine: self, component: component, environment: environment)
        }
        // A Makefile's own deploy goal wins, as the seed's Makefile interface (deploy/aws.mk) expects.
        if !component.hasGoal("deploy") {
            switch component.target {
            case "aws-ecs": return try ECSTarget(engine: self, component: component, environment: environment)
            case "aws-lambda": return try LambdaTarget(engine: self, component: component, environment: environment)
            default: break
            }
            if WorkersTarget.applies(to: component) {
                return try WorkersTarget(engine: self, component: component, environment: environment)
            }
            if PagesTarget.applies(to: component) {
                return try PagesTarget(engine: self, component: component, environment: environment)
            }
        }
        return try MakeTarget(engine: self, component: component, environment: environment, method: try DeployMethod.resolve(for: component, in: workspace))
    }

    /// Targets Slipway deploys itself when the component's Makefile has no `deploy` goal.
    static let nativeCloudTargets = ["aws-ecs", "aws-lambda", "cloudflare-workers", "cloudflare-pages"]

    /// Throws what stands in the way of deploying `component` (what `config check` warns about).
    public func checkDeployable(_ component: Component) throws(SlipwayError) {
        if Self.nativeCloudTargets.contains(component.target) || WorkersTarget.applies(to: component), !component.hasGoal("deploy") {
            _ = try target(for: component, environment: workspace.config.environmentNames.first ?? "development")
            return
        }
        _ = try DeployMethod.resolve(for: component, in: workspace)
    }

    /// What moves a component's traffic when its target does it itself rather than by DNS; nil for a
    /// Makefile target, whose two origins a DNS record can choose between.
    static func selfRoutedTarget(of component: Component) -> String? {
        if LocalDeployment.applies(to: component) { return "Slipway's router" }
        guard !component.hasGoal("deploy") else { return nil }
        if WorkersTarget.applies(to: component) { return "Worker deployments by percentage" }
        if PagesTarget.applies(to: component) { return "the Pages project's production deployment" }
        switch component.target {
        case "aws-ecs": return "the load balancer's listener weights"
        case "aws-lambda": return "the alias's version weights"
        default: return nil
        }
    }

    /// Sets aside components whose settings their target cannot honour: a canary needs traffic by
    /// weight (which Pages has not), an AWS target its `aws:` block, a Worker, a Pages project or a
    /// DNS cutover its `cloudflare:` block.
    static func setAsideUnsupportedStrategies(in workspace: inout Workspace) {
        for component in workspace.components where !component.hasGoal("deploy")
            && (component.settings.aws != nil || !component.settings.environmentAWS.isEmpty) {
            do throws(SlipwayError) {
                for environment in workspace.config.environmentNames where component.settings.aws(in: environment) != nil {
                    switch component.target {
                    case "aws-ecs": _ = try ECSTarget.settings(of: component, in: environment)
                    case "aws-lambda": _ = try LambdaTarget.settings(of: component, in: environment)
                    default: break
                    }
                }
            } catch {
                workspace.setAside(component, because: error)
            }
        }
        for component in workspace.components
        where component.settings.switchesByDNS || WorkersTarget.applies(to: component) || PagesTarget.applies(to: component) {
            do throws(SlipwayError) {
                if component.settings.switchesByDNS, let mover = selfRoutedTarget(of: component) {
                    let message = "switch: dns needs a target whose blue and green are two origins behind a Makefile; "
                        + "\(component.path) deploys to '\(component.target)', which moves its own traffic (\(mover))"
                    throw component.settings.switchLocation?.error(message) ?? .usage(message)
                }
                for environment in workspace.config.environmentNames {
                    if component.settings.switchesByDNS {
                        _ = try DNSCutover.settings(of: component, in: environment)
                    } else if PagesTarget.applies(to: component) {
                        _ = try PagesTarget.settings(of: component, in: environment)
                    } else {
                        _ = try WorkersTarget.settings(of: component, in: environment)
                    }
                }
            } catch {
                workspace.setAside(component, because: error)
            }
        }
        for component in workspace.components {
            guard let (environment, placement) = component.settings.placements.min(by: { $0.key < $1.key }) else { continue }
            let problem: String? = if !LocalDeployment.applies(to: component) {
                "hosts: places the slots of a component Slipway runs itself (target local with run:); \(component.path) deploys to "
                    + "'\(component.target)'"
            } else if component.settings.deployment.strategy == .canary {
                "strategy canary is not supported on several hosts yet (hosts: in \(environment)); deploy blue/green"
            } else if !component.settings.autoPromote {
                "auto_promote: false is not supported on several hosts yet (hosts: in \(environment))"
            } else {
                nil
            }
            if let problem { workspace.setAside(component, because: placement.location?.error(problem) ?? .usage(problem)) }
        }
        for component in workspace.components where component.settings.deployment.strategy == .canary {
            if PagesTarget.applies(to: component) {
                workspace.setAside(component, because: PagesTarget.refuseCanary(component))
                continue
            }
            let weighted = (nativeCloudTargets.contains(component.target) || WorkersTarget.applies(to: component)) && !component.hasGoal("deploy")
            guard !LocalDeployment.applies(to: component), !weighted else { continue }
            let message = "strategy canary needs a target that moves traffic by weight; \(component.path) deploys to "
                + "'\(component.target)' through its Makefile, which can only switch (run it natively with target local and run:)"
            workspace.setAside(component, because: component.settings.deployment.strategyLocation?.error(message) ?? .usage(message))
        }
    }
}
