import SlipwayCore

/// Under the health screen's list, one line per deployment whose platform figures need a word:
/// why the last reading failed (`orders in staging: CloudWatch: ...`), or what they lack (Pages
/// has none per colour), so a failure is seen without opening anything and never as zeros.
struct PlatformRemarks {
    struct Remark {
        var text: String
        var isProblem: Bool
    }

    let remarks: [Remark]
    let symbols: SymbolSet

    init(rows: [FleetRow], snapshot: ConsoleSnapshot, symbols: SymbolSet) {
        remarks = rows.compactMap { row in
            guard let figures = HealthFigures.of(row, in: snapshot), let remark = figures.remark else { return nil }
            return Remark(text: "\(row.component) in \(row.environment): \(remark)", isProblem: figures.problem != nil)
        }
        self.symbols = symbols
    }

    /// Draws at most `height` lines from `top`; answers the rows used, a blank one after included.
    func draw(into frame: inout Frame, top: Int, height: Int) -> Int {
        guard !remarks.isEmpty, height > 1 else { return 0 }
        let shown = remarks.prefix(height - 1)
        for (offset, remark) in shown.enumerated() {
            var text = remark.text
            if offset == shown.count - 1, remarks.count > shown.count { text = "(\(remarks.count - offset) more) " + text }
            frame.put(
                TextLayout.truncate(text, to: frame.columns, ellipsis: symbols.ellipsis), row: top + offset, column: 0,
                style: remark.isProblem ? .colored(.unhealthy) : .dim)
        }
        return shown.count + 1
    }
}
