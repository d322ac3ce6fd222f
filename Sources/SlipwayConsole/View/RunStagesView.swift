import Foundation
import SlipwayCore

/// The selected run's stages under the runs list: each stage with a mark, its state and how
/// long it took (or has been running), and a pipeline's jobs under their stage.
struct RunStagesView {
    static let nameWidth = 18
    static let stateWidth = 11
    static let durationWidth = 9

    let run: RunRecord
    /// Nil until the watcher read the run's events.
    let stages: RunStages?
    let now: Date
    let symbols: SymbolSet

    /// Draws the heading on `top` and the lines below it, at most `height` rows in all. When they
    /// do not fit, the newest lines stay, since that is where a live run moves.
    func draw(into frame: inout Frame, top: Int, height: Int) {
        guard height > 0 else { return }
        let about = [run.kind.rawValue, run.component, run.version, run.environment.map { "-> \($0)" }]
            .compactMap(\.self).joined(separator: " ")
        frame.put("STAGES of \(run.id): \(about), \(run.state.rawValue)", row: top, column: 0, style: .bold)
        let room = height - 1
        guard room > 0 else { return }
        guard let stages, stages.runID == run.id else {
            frame.put("loading" + symbols.ellipsis, row: top + 1, column: 0, style: .dim)
            return
        }
        var lines = stages.stages.flatMap { stage in
            [Line(stage: stage, now: now)] + stage.jobs.map { Line(job: $0, now: now) }
        }
        if lines.isEmpty {
            frame.put(run.state == .running ? "no stage started yet" : "no stages recorded", row: top + 1, column: 0, style: .dim)
            return
        }
        var row = top + 1
        if lines.count > room {
            let hidden = lines.count - room + 1
            lines = Array(lines.suffix(room - 1))
            frame.put("\(symbols.ellipsis) \(hidden) earlier lines", row: row, column: 0, style: .dim)
            row += 1
        }
        for line in lines {
            draw(line, into: &frame, row: row)
            row += 1
        }
    }

    private struct Line {
        var indent: Int
        var name: String
        var progress: RunStages.Progress
        var seconds: Double
        var reason: String?

        init(stage: RunStages.Stage, now: Date) {
            indent = 0
            name = stage.name
            progress = stage.progress
            seconds = stage.seconds ?? now.timeIntervalSince(stage.started)
            reason = nil
        }

        init(job: RunStages.Job, now: Date) {
            indent = 4
            name = job.component
            progress = job.progress
            seconds = job.seconds ?? (job.progress == .running ? now.timeIntervalSince(job.started) : 0)
            reason = job.reason
        }
    }

    private func draw(_ line: Line, into frame: inout Frame, row: Int) {
        let style = Self.style(of: line.progress)
        var x = frame.put(mark(of: line.progress), row: row, column: 2 + line.indent, width: 2, style: style)
        let name = TextLayout.truncate(line.name, to: Self.nameWidth - line.indent, ellipsis: symbols.ellipsis)
        x = frame.put(name, row: row, column: x, width: Self.nameWidth - line.indent + 1)
        x = frame.put(line.progress.text, row: row, column: x, width: Self.stateWidth, style: style)
        x = frame.put(line.seconds > 0 ? Self.duration(line.seconds) : "", row: row, column: x, width: Self.durationWidth)
        if let reason = line.reason {
            frame.put(TextLayout.truncate(reason, to: max(0, frame.columns - x), ellipsis: symbols.ellipsis),
                      row: row, column: x, style: .dim)
        }
    }

    private func mark(of progress: RunStages.Progress) -> String {
        switch progress {
        case .running: symbols.inProgress
        case .finished("succeeded"), .finished("changed"): symbols.done
        case .finished("failed"): symbols.unhealthy
        case .finished: "-"
        }
    }

    private static func style(of progress: RunStages.Progress) -> CellStyle {
        switch progress {
        case .running: .colored(.inProgress, .bold)
        case .finished("succeeded"), .finished("changed"): .colored(.healthy)
        case .finished("failed"): .colored(.unhealthy, .bold)
        case .finished: .dim
        }
    }

    /// `0.4s`, `12.0s`, `3m05s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds >= 60 else { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded(.down))
        let rest = whole % 60
        return "\(whole / 60)m\(rest < 10 ? "0" : "")\(rest)s"
    }
}
