import Foundation

/// Where a canary stands, as a value: the step machine fed with judgements and operator commands
/// at times given by the caller, so tests drive it with their own clock.
public struct CanaryProgress: Sendable, Equatable, Codable {
    public enum Phase: String, Sendable, Equatable, Codable {
        /// Being judged interval by interval.
        case running
        /// Waiting for a person: an inconclusive interval, or `canary pause`.
        case paused
        /// At 100%: the canary is the stable colour now.
        case promoted
        /// Sent back: every request goes to the stable colour and the canary slot stops.
        case rolledBack = "rolled_back"
    }

    /// What the caller must do after a change.
    public enum Action: Sendable, Equatable {
        /// Give the canary this percent of traffic.
        case setWeight(Int)
        case promote
        case rollBack(reason: String)
        case pause(reason: String)
        case none
    }

    public var policy: CanaryPolicy
    public private(set) var phase: Phase = .running
    public private(set) var stepIndex = 0
    public private(set) var stepStartedAt: Date
    public private(set) var passed = 0
    public private(set) var failed = 0
    /// Judgements in order, newest last (bounded to the last 100).
    public private(set) var checks: [CanaryAnalysis.Check] = []
    /// Why it paused or was rolled back.
    public private(set) var reason: String?

    public init(policy: CanaryPolicy, startedAt: Date) {
        self.policy = policy
        stepStartedAt = startedAt
    }

    /// The canary's current share of traffic, in percent.
    public var weight: Int {
        switch phase {
        case .promoted: return 100
        case .rolledBack: return 0
        case .running, .paused: return policy.steps[stepIndex]
        }
    }

    public var isFinished: Bool { phase == .promoted || phase == .rolledBack }

    /// Seconds left in the current step at `now`.
    public func timeLeftInStep(at now: Date) -> Double {
        max(0, policy.monitoringPeriod - now.timeIntervalSince(stepStartedAt))
    }

    /// The whole rollout as a timed wait: every step before the last (100%) is watched for the
    /// monitoring period, so its length is known from the start; a pause holds it where it is.
    public func rollout(at now: Date) -> WorkProgress {
        let period = policy.monitoringPeriod
        let total = Double(max(0, policy.steps.count - 1)) * period
        let done = isFinished ? total : min(total, Double(stepIndex) * period + (period - timeLeftInStep(at: now)))
        return WorkProgress(done: done, total: total, measure: .time, startedAt: now.addingTimeInterval(-done))
    }

    /// Takes in one interval's judgement at `now`.
    public mutating func record(_ check: CanaryAnalysis.Check, at now: Date) -> Action {
        guard phase == .running else { return .none }
        checks.append(check)
        if checks.count > 100 { checks.removeFirst(checks.count - 100) }
        switch check.verdict {
        case .inconclusive:
            phase = .paused
            reason = check.reasons.joined(separator: "; ")
            return .pause(reason: reason ?? "inconclusive")
        case .fail:
            failed += 1
            guard failed >= policy.threshold else { return .none }
            return rollBack(reason: "\(failed) failed checks (threshold \(policy.threshold)): "
                + check.reasons.joined(separator: "; "))
        case .pass:
            passed += 1
            guard now.timeIntervalSince(stepStartedAt) >= policy.monitoringPeriod else { return .none }
            return advance(at: now)
        }
    }

    /// `canary pause`: stop judging until resumed.
    public mutating func pause(reason: String) -> Action {
        guard phase == .running else { return .none }
        phase = .paused
        self.reason = reason
        return .pause(reason: reason)
    }

    /// `canary resume`: judge again; the step's clock restarts, since the paused time was not watched.
    public mutating func resume(at now: Date) -> Action {
        guard phase == .paused else { return .none }
        phase = .running
        reason = nil
        stepStartedAt = now
        return .none
    }

    /// `canary promote`: skip the remaining steps.
    public mutating func promote() -> Action {
        guard !isFinished else { return .none }
        phase = .promoted
        stepIndex = policy.steps.count - 1
        reason = nil
        return .promote
    }

    /// `canary abort`, or a failure seen elsewhere: back to stable.
    public mutating func rollBack(reason: String) -> Action {
        guard !isFinished else { return .none }
        phase = .rolledBack
        self.reason = reason
        return .rollBack(reason: reason)
    }

    private mutating func advance(at now: Date) -> Action {
        stepIndex += 1
        stepStartedAt = now
        if stepIndex >= policy.steps.count - 1 {
            stepIndex = policy.steps.count - 1
            phase = .promoted
            return .promote
        }
        return .setWeight(policy.steps[stepIndex])
    }
}
