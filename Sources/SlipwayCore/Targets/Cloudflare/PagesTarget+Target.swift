import Foundation

/// The `cloudflare-pages` target as the deployer sees it. As for Workers, its colours are only the
/// deployer's names for the deployment going to production and the one it replaces: the project's
/// production deployment is the traffic, and a rollback makes an earlier one production again.
extension PagesTarget: DeployTarget {
    public var traffic: TrafficControl { .switchColors }
    public var waitsForSwitch: Bool { false }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        [uploadStage(version: version, source: source, runID: runID), releaseHealthStage(version: version),
         productionStage(version: version, source: source)]
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        throw SlipwayError(.target(.noColors(component: component.path, object: .pagesProject(project), name: component.name, environment: environment)))
    }

    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? { nil }

    /// What users reach: the environment's URL (else the project's `*.pages.dev`), probed at `health.path`.
    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? {
        RunPlan.Stage(name: "health-check", description: "the production URL of Pages project \(project) answers") { log throws(SlipwayError) in
            try await waitHealthy(at: try await environmentURL(log: log), log: log)
        }
    }

    /// Every deployment stays in the project: a rollback makes it production again, with no rebuild.
    public func keepsRelease(_ version: String) -> Bool { true }

    public func platformLiveVersion() async throws(SlipwayError) -> String? {
        try await currentProject(log: nil).canonicalDeployment?.trigger?.metadata?.commitHash
    }

    /// The last good version's production deployment made production again, with no upload.
    public func restoreStages(lastGood: DeploymentState, runID: String) async throws(SlipwayError) -> [RunPlan.Stage] {
        guard let version = lastGood.liveVersion else { throw SlipwayError(.target(.noGoodRelease(component: component.name, environment: environment))) }
        return [productionStage(version: version, source: component.directory)]
    }

    public func pruneReleases(output: (String) -> Void) {}

    public var metricsSource: String? { "Pages" }

    /// Only the production deployment's version: Pages serves one deployment and counts nothing
    /// per deployment, so there are no per-colour figures to show.
    public func liveMetrics(from start: Date, to end: Date) async throws(SlipwayError) -> PlatformMetrics? {
        PlatformMetrics(
            shares: [PlatformShare(name: "production", version: try await platformLiveVersion(), percent: 100)], minutes: [:],
            note: "Pages has no per-colour metrics (one production deployment)")
    }
}
