import Foundation

/// The `aws-ecs` target as the deployer sees it: the listener's weights move traffic, so a
/// canary can walk its steps; the previous release stays in the other colour's service for an
/// instant rollback.
extension ECSTarget: DeployTarget {
    public var traffic: TrafficControl { .weighted }
    public var waitsForSwitch: Bool { false }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        let color = color ?? SlotColor.idle(whenLive: live)
        return [deployStage(version: version, color: color, source: source), healthStage(color),
                trafficStage(version: version, color: color, live: live)]
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        TrafficMove(kind: .switchTo(version: try await version(in: color)), stages: [healthStage(color), switchStage(to: color)],
                    confirmedByTarget: true)
    }

    /// The colour the listener does not favour, when its service still runs `version`.
    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? {
        guard let weights = try? await weights(), let live = weights.live else { return nil }
        let idle = SlotColor.idle(whenLive: live)
        guard (try? await self.version(in: idle)) == version else { return nil }
        return idle
    }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? {
        RunPlan.Stage(name: "health-check", description: "target health of the colour the listener favours") { log throws(SlipwayError) in
            guard let live = try await weights().live else { throw SlipwayError(.ecs(.listenerFavoursNeither)) }
            try await waitHealthy(live, log: log)
        }
    }

    /// ECS keeps every revision, but the task definition of an older release is registered again
    /// from its own commit's file: a rollback that is not warm rebuilds from git.
    public func keepsRelease(_ version: String) -> Bool { false }

    public func pruneReleases(output: (String) -> Void) {}

    public func platformLiveColor() async throws(SlipwayError) -> SlotColor? {
        try await weights().live
    }

    public var metricsSource: String? { "CloudWatch" }

    /// The listener's split, the version each colour's service runs, and each target group's
    /// `RequestCount`, `HTTPCode_Target_5XX_Count` and `TargetResponseTime` p95.
    public func liveMetrics(from start: Date, to end: Date) async throws(SlipwayError) -> PlatformMetrics? {
        let weights = try await weights()
        // CloudWatchCounts asks up to a second past `now`: the window ends at `end`.
        let minutes = try await CloudWatchCounts(aws: aws, since: start).countsByMinute(cloudWatchSources, now: end.addingTimeInterval(-1))
        let total = Double(max(1, weights.blue + weights.green))
        var shares: [PlatformShare] = []
        for color in [SlotColor.blue, .green] {
            // A service Slipway cannot name the version of still has its figures.
            let version = try? await version(in: color)
            shares.append(PlatformMetrics.share(
                color.rawValue, version: version, percent: Double(weights[color]) * 100 / total, minutes: minutes[color.rawValue]))
        }
        return PlatformMetrics(shares: shares, minutes: minutes)
    }
}
