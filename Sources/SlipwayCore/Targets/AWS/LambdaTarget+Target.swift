import Foundation

/// The `aws-lambda` target as the deployer sees it. Its colours are only the deployer's names for
/// the release going live and the one it replaces: the alias' routing is the traffic, and a
/// rollback moves the alias back to a version Lambda keeps.
extension LambdaTarget: DeployTarget {
    public var traffic: TrafficControl { .weighted }
    public var waitsForSwitch: Bool { false }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        let color = color ?? SlotColor.idle(whenLive: live)
        return [buildStage(version: version, source: source, runID: runID), publishStage(version: version, source: source),
                trafficStage(version: version, color: color, live: live)].compactMap { $0 }
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        throw SlipwayError(.target(.noColors(
            component: component.path, object: .lambdaAlias(alias, function: function), name: component.name, environment: environment)))
    }

    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? { nil }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? { nil }

    /// Every published version stays in Lambda: a rollback moves the alias, with no rebuild.
    public func keepsRelease(_ version: String) -> Bool { true }

    /// The alias back on the last good published version, with no weights.
    public func restoreStages(lastGood: DeploymentState, runID: String) async throws(SlipwayError) -> [RunPlan.Stage] {
        guard let version = lastGood.liveVersion else { throw SlipwayError(.target(.noGoodRelease(component: component.name, environment: environment))) }
        return [switchStage(version: version)]
    }

    public func pruneReleases(output: (String) -> Void) {}

    /// The Slipway version the alias sends its requests to (a canary's share aside), read from
    /// the published version's description; a version published by someone else is named by its
    /// number.
    public func platformLiveVersion() async throws(SlipwayError) -> String? {
        guard let alias = try await currentAlias() else { return nil }
        let published = try await aws.call(
            "lambda", "get-function-configuration", ["--function-name", function, "--qualifier", alias.functionVersion],
            as: AWSAnswer.FunctionVersions.Version.self)
        guard let description = published.description, !description.isEmpty else { return "version \(alias.functionVersion)" }
        return description
    }
}
