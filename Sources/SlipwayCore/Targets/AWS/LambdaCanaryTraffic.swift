import Foundation

/// A canary on `aws-lambda`: the alias' weighted routing carries the split (the stable version
/// is the alias' own, the canary an additional version weight), CloudWatch's per-version
/// metrics (`Invocations`, `Errors`, `Duration` p95) the figures, counted from the canary's start.
struct LambdaCanaryTraffic: WeightedTraffic {
    var target: LambdaTarget
    /// Published version numbers, and the deployer's colour for each.
    var stable: String
    var canary: String
    var stableColor: SlotColor
    var canaryColor: SlotColor
    var since: Date

    func setWeight(_ percent: Int, to color: SlotColor) async throws(SlipwayError) {
        if percent >= 100 {
            try await target.route(to: canary, weights: [:])
        } else {
            try await target.route(to: stable, weights: percent > 0 ? [canary: Double(percent) / 100] : [:])
        }
    }

    func counters() async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        func source(_ version: String) -> CloudWatchCounts.Source {
            CloudWatchCounts.Source(
                namespace: "AWS/Lambda",
                dimensions: ["FunctionName": target.function, "Resource": "\(target.function):\(target.alias)", "ExecutedVersion": version],
                requests: "Invocations", errors: "Errors", latency: "Duration", latencyUnit: 1)
        }
        return try await CloudWatchCounts(aws: target.aws, since: since)
            .counts([canaryColor: source(canary), stableColor: source(stable)], now: target.engine.clock.now())
    }

    func rollBack(to stable: SlotColor, stopping canary: SlotColor, log: StageLog) async throws(SlipwayError) {
        try await target.route(to: self.stable, weights: [:])
        log("alias \(target.alias) of \(target.function) is back on version \(self.stable) only")
    }
}
