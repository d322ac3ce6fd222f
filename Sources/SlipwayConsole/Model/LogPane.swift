import Foundation
import SlipwayCore

/// Where a log pane's lines come from.
enum LogSource: Hashable, Sendable {
    /// A run's output, as the store keeps it.
    case run(String)
    /// A slot's own log file.
    case slot(component: String, environment: String, color: String, path: String)

    var title: String {
        switch self {
        case .run(let id): "output of run \(id)"
        case .slot(let component, let environment, let color, _): "log of \(component) \(environment) \(color)"
        }
    }
}

/// One line of a log pane.
struct LogLine: Equatable, Sendable {
    var time: Date?
    var text: String

    init(time: Date?, text: String) {
        self.time = time
        self.text = text
    }

    /// A slot log's line, which the slot stamps `2026-11-29T09:30:12.345Z text`: the stamp
    /// becomes the line's time, so `t` shows or hides it like a run's; an unstamped line is kept whole.
    init(stamped line: String) {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        // Foundation's ISO8601DateFormatter would load ICU's data into the console for this.
        if parts.count == 2, let time = try? Date(String(parts[0]), strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            self.init(time: time, text: String(parts[1]))
        } else {
            self.init(time: nil, text: line)
        }
    }
}

/// The log pane: its lines, whether it follows new ones, and how it shows them.
struct LogPane: Equatable, Sendable {
    /// Older lines are dropped past this, so a chatty run cannot grow the console without end.
    static let lineLimit = 5000

    var source: LogSource
    var lines: [LogLine] = []
    var follow = true
    var wrap = false
    var timestamps = false
    /// The first line on screen when not following.
    var top = 0
    var search = ""
    /// The newest build step count in the output (`[12/40]`, `Step 3/10`), read as lines arrive
    /// so that drawing a frame does not parse the log.
    private(set) var buildSteps: BuildSteps?

    init(source: LogSource) {
        self.source = source
    }

    mutating func receive(_ new: [LogLine], replacing: Bool) {
        if replacing { lines = new } else { lines += new }
        if let newest = BuildSteps.latest(in: new.lazy.map(\.text)) {
            buildSteps = newest
        } else if replacing {
            buildSteps = nil
        }
        if lines.count > Self.lineLimit {
            let dropped = lines.count - Self.lineLimit
            lines.removeFirst(dropped)
            top = max(0, top - dropped)
        }
    }

    /// The index of the first line after `top` containing `search` (wrapping around).
    func nextMatch() -> Int? {
        guard !search.isEmpty, !lines.isEmpty else { return nil }
        let order = Array((top + 1)..<lines.count) + Array(0...min(top, lines.count - 1))
        return order.first { lines[$0].text.localizedCaseInsensitiveContains(search) }
    }
}
