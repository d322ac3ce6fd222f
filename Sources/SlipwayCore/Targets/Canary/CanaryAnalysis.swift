/// The judgement of one interval: the canary's error rate against the threshold, and its p95
/// against the stable colour's in the same interval (Flagger's request-success-rate and
/// request-duration checks, with the seed's thresholds).
public enum CanaryAnalysis {
    public enum Verdict: String, Sendable, Equatable, Codable {
        case pass, fail, inconclusive
    }

    public struct Check: Sendable, Equatable, Codable {
        public var verdict: Verdict
        public var canary: ColorInterval
        public var stable: ColorInterval
        /// Why it failed or was inconclusive; empty on a pass.
        public var reasons: [String]

        public init(verdict: Verdict, canary: ColorInterval, stable: ColorInterval, reasons: [String]) {
            self.verdict = verdict
            self.canary = canary
            self.stable = stable
            self.reasons = reasons
        }
    }

    public static func judge(canary: ColorInterval, stable: ColorInterval, policy: CanaryPolicy) -> Check {
        guard canary.requests >= policy.minRequests else {
            // No data is not good data (FIELD-NOTES failure scenario 10): a person decides.
            return Check(verdict: .inconclusive, canary: canary, stable: stable, reasons: [
                "only \(canary.requests) canary requests in the interval, fewer than min_requests \(policy.minRequests)",
            ])
        }
        var reasons: [String] = []
        if let rate = canary.errorRate, canary.failures > 0, rate >= policy.maxErrorRate {
            reasons.append("error rate \(percent(rate)) is not below \(percent(policy.maxErrorRate))")
        }
        if comparesLatency(canary: canary, stable: stable), let canaryP95 = canary.p95Milliseconds,
            let stableP95 = stable.p95Milliseconds, stableP95 > 0 {
            let increase = (canaryP95 / stableP95 - 1) * 100
            if increase > policy.maxLatencyIncrease {
                reasons.append("p95 \(milliseconds(canaryP95)) is \(percent(increase)) above the stable \(milliseconds(stableP95)), "
                    + "more than \(percent(policy.maxLatencyIncrease))")
            }
        }
        return Check(verdict: reasons.isEmpty ? .pass : .fail, canary: canary, stable: stable, reasons: reasons)
    }

    /// Requests each colour needs in an interval before their p95s are compared. Of fewer, the
    /// p95 is the slowest request, and one slow request (a delayed ACK, a pause of the machine)
    /// would decide the release: the error rate alone judges such an interval.
    public static let requestsForLatency = 20

    public static func comparesLatency(canary: ColorInterval, stable: ColorInterval) -> Bool {
        canary.requests >= requestsForLatency && stable.requests >= requestsForLatency
    }

    /// One decimal at most: `20%`, `4.5%`.
    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))%" : "\(tenths / 10)%"
    }

    static func milliseconds(_ value: Double) -> String { "\(Int(value.rounded()))ms" }
}
