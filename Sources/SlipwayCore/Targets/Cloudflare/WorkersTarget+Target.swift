import Foundation

/// The `cloudflare-workers` target as the deployer sees it. Its colours are only the deployer's
/// names for the version going live and the one it replaces: the deployment's percentages are
/// the traffic, and a rollback deploys a version Cloudflare keeps, with no rebuild.
extension WorkersTarget: DeployTarget {
    public var traffic: TrafficControl { .weighted }
    public var waitsForSwitch: Bool { false }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        let color = color ?? SlotColor.idle(whenLive: live)
        return [uploadStage(version: version, source: source, runID: runID), trafficStage(version: version, color: color, live: live)]
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        throw SlipwayError(.target(.noColors(component: component.path, object: .worker(script: script), name: component.name, environment: environment)))
    }

    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? { nil }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? { nil }

    /// Every uploaded version stays in Cloudflare: a rollback deploys it again, with no rebuild.
    public func keepsRelease(_ version: String) -> Bool { true }

    public func platformLiveVersion() async throws(SlipwayError) -> String? {
        guard let id = try await liveVersionID(log: nil) else { return nil }
        return try await api.call("GET", try scriptPath() + "/versions/\(id)", as: CloudflareAnswer.WorkerVersion.self).tag
    }

    /// The last good version deployed again at 100%: Cloudflare keeps it.
    public func restoreStages(lastGood: DeploymentState, runID: String) async throws(SlipwayError) -> [RunPlan.Stage] {
        guard let version = lastGood.liveVersion else { throw SlipwayError(.target(.noGoodRelease(component: component.name, environment: environment))) }
        return [switchStage(version: version)]
    }

    public func pruneReleases(output: (String) -> Void) {}
}
