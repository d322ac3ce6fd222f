import Foundation

/// A canary as the CLI and the console show it: step, weights, the last judgement of both
/// colours, checks passed and failed, time left in the step.
public struct CanaryStatus: Sendable, Equatable, Codable {
    public var component: String
    public var environment: String
    public var version: String
    public var canaryColor: String
    public var stableColor: String
    public var phase: CanaryProgress.Phase
    /// 1-based step number.
    public var step: Int
    public var steps: [Int]
    /// Percent of traffic per colour.
    public var weights: [String: Int]
    public var passed: Int
    public var failed: Int
    public var threshold: Int
    public var secondsLeftInStep: Double?
    public var reason: String?
    public var lastCheck: CanaryAnalysis.Check?
    public var updatedAt: Date

    /// The status of `record` at `now`; nil when its progress cannot be read.
    public init?(_ record: CanaryRecord, at now: Date = Date()) {
        guard let progress = record.decodedProgress else { return nil }
        component = record.component
        environment = record.environment
        version = record.version
        canaryColor = record.canaryColor
        stableColor = record.stableColor
        phase = progress.phase
        step = progress.stepIndex + 1
        steps = progress.policy.steps
        weights = [record.canaryColor: progress.weight, record.stableColor: 100 - progress.weight]
        passed = progress.passed
        failed = progress.failed
        threshold = progress.policy.threshold
        secondsLeftInStep = progress.phase == .running ? progress.timeLeftInStep(at: now) : nil
        reason = progress.reason
        lastCheck = progress.checks.last
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, version, canaryColor = "canary_color", stableColor = "stable_color", phase, step
        case steps, weights, passed, failed, threshold, secondsLeftInStep = "seconds_left_in_step", reason
        case lastCheck = "last_check", updatedAt = "updated_at"
    }
}
