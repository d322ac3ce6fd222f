import Foundation

/// Where one projection's rebuilds stand in one environment, folded from its `projection.*`
/// events: the live version, and the newest rebuild with its progress and outcome.
public struct ProjectionRebuild: Sendable, Equatable, Encodable {
    public enum Phase: String, Sendable, Encodable {
        /// The rebuild command runs, or stopped and resumes from its last checkpoint.
        case rebuilding
        /// The rebuild finished; the comparison has not run (or not to its end).
        case built
        /// The comparison found both versions equal; the switch has not happened.
        case agreed
        /// The comparison found differences nobody accepted.
        case differs
        /// A step failed: `failedStep` names it.
        case failed
        case switched
        /// Given up by `--restart`; the next rebuild starts a new version.
        case abandoned
    }

    /// The step a `projection rebuild` takes next.
    public enum NextStep: Sendable, Equatable {
        case start
        case rebuild(resumingFrom: Int64?)
        case compare
    }

    public struct Attempt: Sendable, Equatable, Encodable {
        public var version: Int
        public var table: String
        public var started: Date
        public var phase: Phase
        public var position: Int64?
        public var total: Int64?
        public var checkpointTime: Date?
        /// Positions per second over the checkpoints since the rebuild last (re)started.
        public var rate: Double?
        public var failedStep: String?
        public var reason: String?
        public var differences: [String] = []
        public var finished: Date?

        /// Seconds until `total` at `rate`, when both are known.
        public var secondsLeft: Double? {
            guard phase == .rebuilding, let rate, rate > 0, let position, let total, total >= position else { return nil }
            return Double(total - position) / rate
        }

        /// The share of `total` reached, 0...1.
        public var fraction: Double? {
            guard let position, let total, total > 0 else { return nil }
            return min(1, max(0, Double(position) / Double(total)))
        }

        enum CodingKeys: String, CodingKey {
            case version, table, started, phase, position, total, rate, reason, differences, finished
            case checkpointTime = "checkpoint_time", failedStep = "failed_step", secondsLeft = "seconds_left"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(table, forKey: .table)
            try container.encode(TimeText.rfc3339(started), forKey: .started)
            try container.encode(phase, forKey: .phase)
            try container.encodeIfPresent(position, forKey: .position)
            try container.encodeIfPresent(total, forKey: .total)
            try container.encodeIfPresent(checkpointTime.map(TimeText.rfc3339), forKey: .checkpointTime)
            try container.encodeIfPresent(rate, forKey: .rate)
            try container.encodeIfPresent(secondsLeft, forKey: .secondsLeft)
            try container.encodeIfPresent(failedStep, forKey: .failedStep)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encode(differences, forKey: .differences)
            try container.encodeIfPresent(finished.map(TimeText.rfc3339), forKey: .finished)
        }
    }

    public var component: String
    public var environment: String
    public var projection: String
    public var table: String
    /// The version readers use: 1 until a rebuild switched.
    public var liveVersion = 1
    /// The newest rebuild; nil when none ever started.
    public var attempt: Attempt?

    enum CodingKeys: String, CodingKey {
        case component, environment, projection, table, attempt
        case liveVersion = "live_version"
    }

    /// The kinds the fold reads.
    public static let kinds: [EventKind] = [
        .projectionStarted, .projectionCheckpoint, .projectionBuilt, .projectionCompared, .projectionSwitched, .projectionFailed,
    ]

    /// Folds `events` (oldest first, of any projection) into `projection`'s rebuilds.
    public static func fold(
        _ events: [Event], projection: ProjectionSettings, component: String, environment: String
    ) -> ProjectionRebuild {
        var result = ProjectionRebuild(component: component, environment: environment, projection: projection.name, table: projection.table)
        // The first checkpoint since the rebuild last (re)started: what the rate is measured from.
        var origin: (time: Date, position: Int64)?
        for event in events {
            guard let kind = event.knownKind, let details = event.details, details.stage == projection.name else { continue }
            switch kind {
            case .projectionStarted:
                result.attempt = Attempt(
                    version: Int(details.version ?? "") ?? result.liveVersion + 1,
                    table: details.tag ?? "\(projection.table)_v\(result.liveVersion + 1)", started: event.time, phase: .rebuilding)
                origin = nil
            case .projectionCheckpoint:
                guard var attempt = result.attempt, let position = details.position else { continue }
                attempt.position = position
                attempt.total = details.total ?? attempt.total
                attempt.checkpointTime = event.time
                attempt.phase = .rebuilding
                attempt.failedStep = nil
                attempt.reason = nil
                if let start = origin, position >= start.position {
                    if event.time > start.time {
                        attempt.rate = Double(position - start.position) / event.time.timeIntervalSince(start.time)
                    }
                } else {
                    origin = (event.time, position)
                    attempt.rate = nil
                }
                result.attempt = attempt
            case .projectionBuilt:
                result.attempt?.phase = .built
                result.attempt?.failedStep = nil
                result.attempt?.reason = nil
                if let total = details.total { result.attempt?.position = total }
            case .projectionCompared:
                result.attempt?.phase = details.outcome == "agree" ? .agreed : .differs
                result.attempt?.differences = details.differences ?? []
                result.attempt?.failedStep = nil
            case .projectionSwitched:
                if let version = details.version.flatMap({ Int($0) }) { result.liveVersion = version }
                result.attempt?.phase = .switched
                result.attempt?.reason = details.reason
                result.attempt?.finished = event.time
            case .projectionFailed:
                let step = details.outcome ?? "rebuild"
                result.attempt?.phase = step == "restart" ? .abandoned : .failed
                result.attempt?.failedStep = step
                result.attempt?.reason = details.reason
                result.attempt?.finished = step == "restart" ? event.time : nil
                origin = nil
            default:
                continue
            }
        }
        return result
    }

    /// What a `projection rebuild` does next: start a new version, continue the rebuild from its
    /// last checkpoint, or (the rebuild done) compare and switch.
    public var nextStep: NextStep {
        guard let attempt else { return .start }
        switch attempt.phase {
        case .switched, .abandoned: return .start
        case .rebuilding: return .rebuild(resumingFrom: attempt.position)
        case .failed where attempt.failedStep == "rebuild": return .rebuild(resumingFrom: attempt.position)
        case .built, .agreed, .differs, .failed: return .compare
        }
    }

    /// Whether nothing is pending: no rebuild ever started, or the newest one switched (or was given up).
    public var isSettled: Bool { nextStep == .start }

    /// One line for `projection status` and the checklist.
    public var summary: String {
        guard let attempt else { return "v\(liveVersion) live, never rebuilt" }
        let live = "v\(liveVersion) live"
        switch attempt.phase {
        case .switched:
            return "\(live), switched \(TimeText.rfc3339(attempt.finished ?? attempt.started))"
                + (attempt.reason.map { " accepting differences: \($0)" } ?? "")
        case .abandoned: return "\(live), v\(attempt.version) given up"
        case .rebuilding:
            return "\(live), v\(attempt.version) rebuilding in \(attempt.table)" + (progressText.map { ": \($0)" } ?? "")
        case .built: return "\(live), v\(attempt.version) built in \(attempt.table), not compared"
        case .agreed: return "\(live), v\(attempt.version) agrees, not switched"
        case .differs: return "\(live), v\(attempt.version) differs (\(attempt.differences.count) differences), not switched"
        case .failed:
            return "\(live), v\(attempt.version) \(attempt.failedStep ?? "rebuild") failed"
                + (attempt.reason.map { ": \($0)" } ?? "")
        }
    }

    /// `300/1000 (30%), 150/s, 5s left`; nil before the first checkpoint.
    public var progressText: String? {
        guard let attempt, let position = attempt.position else { return nil }
        var text = attempt.total.map { "\(position)/\($0)" } ?? "\(position)"
        if let fraction = attempt.fraction { text += " (\(Int((fraction * 100).rounded(.down)))%)" }
        if let rate = attempt.rate { text += ", " + Self.rateText(rate) }
        if let left = attempt.secondsLeft { text += ", \(DurationText.format(left)) left" }
        return text
    }

    /// `checkpoint 300/1000`.
    public static func positionText(_ checkpoint: CheckpointLine) -> String {
        "checkpoint \(checkpoint.position)" + (checkpoint.total.map { "/\($0)" } ?? "")
    }

    /// `150/s`, `2.5/s`.
    public static func rateText(_ rate: Double) -> String {
        rate >= 10 ? "\(Int(rate.rounded()))/s" : String(format: "%.1f/s", rate)
    }
}
