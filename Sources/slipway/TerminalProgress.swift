import Foundation
import SlipwayCore

/// A progress bar on standard error for work of known size: drawn only when standard error is
/// a terminal and the output is not JSON, only once the work has taken longer than `delay`
/// (work shorter than that needs no bar), at most ten times a second, and wiped at the end so
/// the command's own output follows on a clean line.
final class TerminalProgress {
    private let label: String
    private let measure: WorkProgress.Measure
    private let started = Date()
    private let delay: Double
    private let unicode: Bool
    private var lastDrawn: Date?
    private var drawn = false
    private var lastLine: String?

    /// Nil when nobody would see a bar. `SLIPWAY_PROGRESS_DELAY` (seconds) changes the one-second
    /// wait, for tests that draw short work.
    init?(_ label: String, measure: WorkProgress.Measure, json: Bool) {
        guard !json, isatty(STDERR_FILENO) == 1 else { return nil }
        let environment = ProcessInfo.processInfo.environment
        self.label = label
        self.measure = measure
        delay = environment["SLIPWAY_PROGRESS_DELAY"].flatMap(Double.init) ?? 1
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]].compactMap(\.self).first { !$0.isEmpty }
        unicode = locale.map { $0.uppercased().contains("UTF-8") || $0.uppercased().contains("UTF8") } ?? false
    }

    func update(done: Double, total: Double) {
        let now = Date()
        guard now.timeIntervalSince(started) >= delay else { return }
        if let lastDrawn, now.timeIntervalSince(lastDrawn) < 0.1, done < total {
            // Too soon to draw anew: the bar as last drawn comes back (a line may just have wiped it).
            resume()
            return
        }
        lastDrawn = now
        let progress = WorkProgress(done: done, total: total, measure: measure, startedAt: started)
        let line = progress.line(label: label, width: Self.columns() - 1, at: now, unicode: unicode)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        lastLine = line
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// Wipes the bar so a line of output can take its place; `resume` draws it again below.
    func suspend() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    func resume() {
        guard drawn, let lastLine else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(lastLine)".utf8))
    }

    private static func columns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
