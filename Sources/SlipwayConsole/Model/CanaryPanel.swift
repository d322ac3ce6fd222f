import Foundation
import SlipwayCore

/// One component's canary in one environment as the component screen shows it: where it stands
/// and its recent judgements. The time left in the step is worked out at drawing time from the
/// step's start, so it counts down between reads.
struct CanaryPanel: Equatable, Sendable {
    /// Judgements shown, newest first.
    static let checkLimit = 8

    var component: String
    var environment: String
    var version: String
    var canaryColor: String
    var stableColor: String
    var progress: CanaryProgress
    /// Whether the deploy driving it still runs: only then do commands reach it.
    var isLive: Bool

    /// Nil when the record's progress was written by an incompatible Slipway.
    init?(_ record: CanaryRecord, runState: RunState?) {
        guard let progress = record.decodedProgress else { return nil }
        component = record.component
        environment = record.environment
        version = record.version
        canaryColor = record.canaryColor
        stableColor = record.stableColor
        self.progress = progress
        isLive = !progress.isFinished && runState == .running
    }

    var weights: [(color: String, percent: Int)] {
        [(stableColor, 100 - progress.weight), (canaryColor, progress.weight)]
    }

    /// Newest first.
    var recentChecks: [CanaryAnalysis.Check] { Array(progress.checks.suffix(Self.checkLimit).reversed()) }

    func secondsLeft(at now: Date) -> Double? {
        progress.phase == .running ? progress.timeLeftInStep(at: now) : nil
    }
}
