import Foundation

/// How far a piece of work of known size has come, as a value: the fraction, the rate and the
/// time left follow from the amounts and two times given by the caller, so the console and the
/// terminal draw the same bar and tests bring their own clock.
public struct WorkProgress: Sendable, Equatable {
    /// What is counted.
    public enum Measure: Sendable, Equatable {
        /// Items such as events or pages, named in the plural (`events`): a rate is shown.
        case items(String)
        /// Seconds of a wait whose length is known (a canary's steps): what is left is exact.
        case time
    }

    public var done: Double
    public var total: Double
    public var measure: Measure
    public var startedAt: Date

    public init(done: Double, total: Double, measure: Measure, startedAt: Date) {
        self.done = done
        self.total = total
        self.measure = measure
        self.startedAt = startedAt
    }

    public var fraction: Double {
        guard total > 0 else { return 1 }
        return min(1, max(0, done / total))
    }

    /// Items per second so far; nil for a timed wait, or before there is enough to go on.
    public func rate(at now: Date) -> Double? {
        guard case .items = measure else { return nil }
        let elapsed = now.timeIntervalSince(startedAt)
        guard elapsed >= 0.2, done > 0 else { return nil }
        return done / elapsed
    }

    /// Seconds left: exact for a timed wait, from the rate so far for items.
    public func secondsLeft(at now: Date) -> Double? {
        switch measure {
        case .time: return max(0, total - done)
        case .items: return rate(at: now).map { max(0, total - done) / $0 }
        }
    }

    /// `████████░░░░░░░░` in `width` cells, with eighth blocks at the edge; `#####-----` in ASCII.
    public func bar(width: Int, unicode: Bool = true) -> String {
        guard width > 0 else { return "" }
        if !unicode {
            let filled = Int((fraction * Double(width)).rounded(.down))
            return String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        }
        let eighths = Int((fraction * Double(width * 8)).rounded(.down))
        let whole = eighths / 8
        let partial = eighths % 8
        let edge = partial > 0 ? [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][partial] : ""
        return String(repeating: "█", count: whole) + edge
            + String(repeating: "░", count: width - whole - (partial > 0 ? 1 : 0))
    }

    /// `52%  13,000/25,000 events  8,120/s  2s left`: the figures after the bar.
    public func figures(at now: Date) -> String {
        var parts = ["\(Int((fraction * 100).rounded(.down)))%"]
        switch measure {
        case .items(let noun):
            parts.append("\(Self.grouped(done))/\(Self.grouped(total)) \(noun)")
            if let rate = rate(at: now) { parts.append("\(Self.grouped(rate))/s") }
        case .time:
            // Done rounds down and left rounds up, so the two add up to the whole.
            parts.append("\(Self.duration(done.rounded(.down))) of \(Self.duration(total))")
        }
        if fraction < 1, let left = secondsLeft(at: now) { parts.append("\(Self.duration(left)) left") }
        return parts.joined(separator: "  ")
    }

    /// `label ▕██████░░░░▏ 52%  13,000/25,000 events  8,120/s  2s left` in at most `width`
    /// columns: the bar shrinks first, then the figures after the percentage go.
    public func line(label: String, width: Int, at now: Date, unicode: Bool = true) -> String {
        let (open, close) = unicode ? ("▕", "▏") : ("[", "]")
        var figures = self.figures(at: now)
        let fixed = label.count + 2 + open.count + close.count
        var barWidth = min(30, width - fixed - figures.count)
        if barWidth < 8 {
            figures = "\(Int((fraction * 100).rounded(.down)))%"
            barWidth = min(30, width - fixed - figures.count)
        }
        guard barWidth >= 4 else { return String("\(label) \(figures)".prefix(max(0, width))) }
        return "\(label) \(open)\(bar(width: barWidth, unicode: unicode))\(close) \(figures)"
    }

    /// `12,345`; rates under ten keep one decimal.
    static func grouped(_ value: Double) -> String {
        if value < 10, value != value.rounded() { return String(format: "%.1f", value) }
        let digits = String(Int(value.rounded()))
        var out = ""
        for (index, digit) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return String(out.reversed())
    }

    /// `40s`, `12m05s`, `1h02m`.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        switch whole {
        case ..<60: return "\(whole)s"
        case ..<3600:
            let rest = whole % 60
            return "\(whole / 60)m\(rest < 10 ? "0" : "")\(rest)s"
        default:
            let minutes = (whole % 3600) / 60
            return "\(whole / 3600)h\(minutes < 10 ? "0" : "")\(minutes)m"
        }
    }
}
