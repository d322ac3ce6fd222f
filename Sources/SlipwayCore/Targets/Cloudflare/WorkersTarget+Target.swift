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

    public var metricsSource: String? { "Workers analytics" }

    /// The current deployment's split between versions (named by their Slipway tags), and each
    /// version's requests, errors and wall time from `workersInvocationsAdaptive`.
    public func liveMetrics(from start: Date, to end: Date) async throws(SlipwayError) -> PlatformMetrics? {
        guard let deployment = try await currentDeployment(log: nil) else { return PlatformMetrics(shares: [], minutes: [:]) }
        let split = deployment.versions.sorted { $0.percentage > $1.percentage }
        let byID = try await WorkersAnalytics(api: api, script: script, since: start)
            .countsByMinute(versions: split.map(\.versionID), now: end.addingTimeInterval(-1), log: nil)
        var shares: [PlatformShare] = []
        var minutes: [String: [Int: AgentResponse.ColorCounts]] = [:]
        for share in split {
            let tag = try? await api.call("GET", try scriptPath() + "/versions/\(share.versionID)", as: CloudflareAnswer.WorkerVersion.self).tag
            let name = tag ?? String(share.versionID.prefix(8))
            minutes[name] = byID[share.versionID]
            shares.append(PlatformMetrics.share(name, version: tag, percent: share.percentage, minutes: byID[share.versionID]))
        }
        return PlatformMetrics(
            shares: shares, minutes: minutes, note: "p95 is the wall time p99: Cloudflare publishes no p95")
    }
}
