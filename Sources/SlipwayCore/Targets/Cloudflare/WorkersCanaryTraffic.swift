import Foundation

/// A canary on `cloudflare-workers`: percentage deployments carry the split (the stable version
/// keeps the rest), the Workers analytics per script version the figures, counted from the
/// canary's start.
struct WorkersCanaryTraffic: WeightedTraffic {
    var target: WorkersTarget
    /// Version ids, and the deployer's colour for each.
    var stable: String
    var canary: String
    var stableColor: SlotColor
    var canaryColor: SlotColor
    var since: Date
    var log: StageLog?

    func setWeight(_ percent: Int, to color: SlotColor) async throws(SlipwayError) {
        if percent >= 100 {
            try await target.deploy([.init(versionID: canary, percentage: 100)], log: log)
        } else if percent <= 0 {
            try await target.deploy([.init(versionID: stable, percentage: 100)], log: log)
        } else {
            try await target.deploy(
                [.init(versionID: canary, percentage: Double(percent)), .init(versionID: stable, percentage: Double(100 - percent))], log: log)
        }
    }

    /// The analytics unreachable past the retry deadline give no figures: the check is
    /// inconclusive and the canary pauses for a person (FIELD-NOTES: no data is not good data),
    /// rather than failing the run with the split left unwatched.
    func counters() async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        let counts: [String: AgentResponse.ColorCounts]
        do {
            counts = try await WorkersAnalytics(api: target.api, script: target.script, since: since)
                .counts(versions: [canary, stable], now: target.engine.clock.now(), log: log)
        } catch {
            log?("no figures from the Workers analytics (\(error.message)); the check counts no requests")
            return [:]
        }
        return [canaryColor.rawValue: counts[canary] ?? CanaryRollout.empty, stableColor.rawValue: counts[stable] ?? CanaryRollout.empty]
    }

    func rollBack(to stable: SlotColor, stopping canary: SlotColor, log: StageLog) async throws(SlipwayError) {
        try await target.deploy([.init(versionID: self.stable, percentage: 100)], log: log)
        log("\(target.script) is back on version \(self.stable) at 100%")
    }
}
