import Foundation

/// A canary on `aws-ecs`: the listener's weights carry the split, CloudWatch's per-target-group
/// metrics (`RequestCount`, `HTTPCode_Target_5XX_Count`, `TargetResponseTime` p95) the figures,
/// counted from the canary's start.
struct ECSCanaryTraffic: WeightedTraffic {
    var target: ECSTarget
    var since: Date

    func setWeight(_ percent: Int, to canary: SlotColor) async throws(SlipwayError) {
        try await target.write(ListenerWeights(percent, to: canary))
    }

    func counters() async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        try await CloudWatchCounts(aws: target.aws, since: since).counts(target.cloudWatchSources, now: target.engine.clock.now())
    }

    /// Every request to `stable`; the canary's service keeps running its release, as a warm colour does.
    func rollBack(to stable: SlotColor, stopping canary: SlotColor, log: StageLog) async throws(SlipwayError) {
        try await target.write(ListenerWeights(100, to: stable))
        log("traffic of \(target.component.name) in \(target.environment) is back on \(stable); \(target.services[canary]) keeps its tasks")
    }

    /// CloudWatch's dimension value of an ARN: `targetgroup/name/id` of a target group's, and
    /// `app/name/id` (the load balancer) of a listener's.
    static func dimension(of arn: String, after marker: String, droppingLast: Bool = false) -> String {
        guard let range = arn.range(of: marker) else { return arn }
        var value = String(arn[(marker == "targetgroup/" ? range.lowerBound : range.upperBound)...])
        if droppingLast, let slash = value.lastIndex(of: "/") { value = String(value[..<slash]) }
        return value
    }
}
