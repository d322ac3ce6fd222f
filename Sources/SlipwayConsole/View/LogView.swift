import Foundation
import SlipwayCore

/// The log pane: a run's output or a slot's log, following the end unless scrolled. A running
/// build that counts its steps gets a bar on the pane's last row.
struct LogView {
    let log: LogPane
    let symbols: SymbolSet
    var build: WorkProgress?
    var now = Date()

    func draw(into frame: inout Frame, top: Int, height: Int) {
        var height = height
        if let build, height > 1 {
            height -= 1
            frame.put(build.line(label: "build", width: frame.columns, at: now, unicode: symbols == .unicode),
                      row: top + height, column: 0, style: .colored(.inProgress, .bold))
        }
        let on = { (flag: Bool) in flag ? "on" : "off" }
        let flags = "follow \(on(log.follow))  wrap \(on(log.wrap))  timestamps \(on(log.timestamps))"
            + (log.search.isEmpty ? "" : "  search '\(log.search)'")
        let x = frame.put(log.source.title, row: top - 1, column: 0, style: .bold)
        frame.put(flags, row: top - 1, column: x + 2, style: .dim)
        guard !log.lines.isEmpty else {
            frame.put("no output yet", row: top, column: 0, style: .dim)
            return
        }
        let rows = screenRows(width: frame.columns)
        let first = firstRow(of: rows, height: height)
        for (offset, line) in rows[first..<min(rows.count, first + height)].enumerated() {
            let matches = !log.search.isEmpty && log.lines[line.index].text.localizedCaseInsensitiveContains(log.search)
            frame.put(line.text, row: top + offset, column: 0, style: matches ? .colored(.inProgress, .bold) : .plain)
        }
    }

    /// Each log line as the rows it takes: one, or several when wrapping.
    private func screenRows(width: Int) -> [(index: Int, text: String)] {
        log.lines.enumerated().flatMap { index, line -> [(index: Int, text: String)] in
            let text = (log.timestamps ? line.time.map { TimeText.stamp($0) + "  " } ?? "" : "") + line.text
            guard log.wrap, width > 0, text.count > width else { return [(index, text)] }
            return stride(from: 0, to: text.count, by: width).map { start in
                (index, String(text.dropFirst(start).prefix(width)))
            }
        }
    }

    private func firstRow(of rows: [(index: Int, text: String)], height: Int) -> Int {
        let last = max(0, rows.count - height)
        guard !log.follow else { return last }
        return min(last, rows.firstIndex { $0.index >= log.top } ?? last)
    }
}
