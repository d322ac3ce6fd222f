import Foundation
import SlipwayCore

/// A canary on the component screen: step and weights, checks passed and failed, time left in
/// the step, and the recent intervals' error rate and p95 of both colours, newest first.
struct CanaryView {
    let canary: CanaryPanel
    let now: Date
    let symbols: SymbolSet
    /// The canary keys' hint, or nil when they do not apply (read-only, or the canary is over).
    let keyHint: String?

    /// Draws from `row` while rows stay above `bottom`; answers the row after the last drawn.
    func draw(into frame: inout Frame, row start: Int, bottom: Int) -> Int {
        var row = start
        let progress = canary.progress
        func line(_ draw: (inout Frame, Int) -> Void) {
            guard row < bottom else { return }
            draw(&frame, row)
            row += 1
        }
        let steps = progress.policy.steps.map(String.init).joined(separator: "/")
        line { frame, row in
            var x = frame.put("CANARY \(canary.environment)", row: row, column: 0, style: .bold)
            x = frame.put(": \(canary.version) in ", row: row, column: x)
            x = frame.put(canary.canaryColor, row: row, column: x, style: ComponentView.style(ofColor: canary.canaryColor))
            x = frame.put(", ", row: row, column: x)
            x = frame.put(progress.phase.rawValue, row: row, column: x, style: Self.style(of: progress.phase))
            frame.put(", step \(progress.stepIndex + 1) of \(progress.policy.steps.count) (\(steps)%)", row: row, column: x)
        }
        line { frame, row in
            var x = 1
            for (color, percent) in canary.weights {
                x = frame.put(" \(color) \(percent)%", row: row, column: x, style: ComponentView.style(ofColor: color))
            }
            var checks = "  checks: \(progress.passed) passed, \(progress.failed) failed (rollback at \(progress.policy.threshold))"
            if let left = canary.secondsLeft(at: now) { checks += "  \(WorkProgress.duration(left)) left" }
            frame.put(checks, row: row, column: x)
        }
        // Only while judged: a paused rollout does not move, so a time left would mislead.
        if progress.phase == .running {
            line { frame, row in
                let rollout = progress.rollout(at: now)
                    .line(label: "  rollout", width: frame.columns, at: now, unicode: symbols == .unicode)
                frame.put(rollout, row: row, column: 0, style: .colored(.inProgress))
            }
        }
        if let reason = progress.reason {
            line { frame, row in
                frame.put("  " + TextLayout.truncate(reason, to: frame.columns - 2, ellipsis: symbols.ellipsis),
                          row: row, column: 0, style: Self.style(of: progress.phase))
            }
        }
        if let keyHint {
            line { frame, row in frame.put("  " + keyHint, row: row, column: 0, style: .dim) }
        }
        guard !progress.checks.isEmpty else {
            line { frame, row in frame.put("  no interval judged yet", row: row, column: 0, style: .dim) }
            return row
        }
        line { frame, row in
            var x = frame.put("  CHECK", row: row, column: 0, width: 8, style: .bold)
            x = frame.put("VERDICT", row: row, column: x, width: 14, style: .bold)
            x = frame.put("CANARY \(canary.canaryColor)", row: row, column: x, width: Self.intervalWidth, style: .bold)
            frame.put("STABLE \(canary.stableColor)", row: row, column: x, width: Self.intervalWidth, style: .bold)
        }
        let total = progress.checks.count
        for (offset, check) in canary.recentChecks.enumerated() {
            line { frame, row in
                var x = frame.put("  #\(total - offset)", row: row, column: 0, width: 8)
                x = frame.put(check.verdict.rawValue, row: row, column: x, width: 14, style: Self.style(of: check.verdict))
                x = frame.put(Self.interval(check.canary), row: row, column: x, width: Self.intervalWidth)
                frame.put(Self.interval(check.stable), row: row, column: x, width: Self.intervalWidth)
            }
        }
        return row
    }

    static let intervalWidth = 27

    /// `120 req  0.8%  p95 45ms`
    static func interval(_ interval: ColorInterval) -> String {
        let rate = interval.errorRate.map { String(format: "%.1f%%", $0) } ?? "-"
        let p95 = interval.p95Milliseconds.map { String(format: "%.0fms", $0) } ?? "-"
        return "\(interval.requests) req  \(rate)  p95 \(p95)"
    }

    private static func style(of phase: CanaryProgress.Phase) -> CellStyle {
        switch phase {
        case .running: .colored(.inProgress, .bold)
        case .paused: .colored(.inProgress)
        case .promoted: .colored(.healthy)
        case .rolledBack: .colored(.unhealthy, .bold)
        }
    }

    private static func style(of verdict: CanaryAnalysis.Verdict) -> CellStyle {
        switch verdict {
        case .pass: .colored(.healthy)
        case .fail: .colored(.unhealthy, .bold)
        case .inconclusive: .colored(.inProgress)
        }
    }
}
