import Foundation
import SlipwayCore

/// The health screen's objectives: the figures of `slipway slo` per component, environment and
/// objective, and the last hour's bad ratio per minute as a sparkline.
struct SLOTable {
    /// Where a sparkline on a line of its own starts.
    static let underIndent = 16

    let lines: [SLOLine]
    let symbols: SymbolSet

    static let title = "SERVICE LEVEL OBJECTIVES (budget left, burn rate over 1h, time to exhaustion)"

    /// The figures that say what is wrong (budget, burn, time left) outrank the target and the
    /// current ratio: when one of them does not fit, those two go first.
    private func makeTable(width: Int) -> ColumnTable<SLOLine> {
        let table = makeTable(width: width, without: [])
        guard table.hidden.contains(where: ["BUDGET", "BURN", "EMPTY IN"].contains) else { return table }
        return makeTable(width: width, without: ["TARGET", "CURRENT"])
    }

    private func makeTable(width: Int, without: Set<String>) -> ColumnTable<SLOLine> {
        typealias Column = ColumnTable<SLOLine>.Column
        let columns: [Column] = [
            Column(heading: "COMPONENT", limit: 18, value: \.component),
            Column(heading: "ENV", limit: 11, value: \.environment),
            Column(heading: "OBJECTIVE", limit: 14, value: \.status.objective.name),
            Column(heading: "TARGET", limit: 7, value: { String(format: "%.1f%%", $0.status.objective.target) }),
            Column(heading: "CURRENT", limit: 8, value: { $0.status.current.map { String(format: "%.2f%%", $0) } ?? "-" }),
            Column(heading: "BUDGET", limit: 7, value: \.budgetText, style: { line in
                line.status.budgetRemaining <= 0 ? .colored(.unhealthy, .bold)
                    : line.status.budgetRemaining < 0.25 ? .colored(.inProgress) : .plain
            }),
            Column(heading: "BURN", limit: 6, value: { String(format: "%.2f", $0.status.burnRate) }, style: { line in
                line.status.burnRate > 1 ? .colored(.unhealthy, .bold) : .plain
            }),
            Column(heading: "EMPTY IN", limit: 8, value: \.exhaustionText),
        ]
        return ColumnTable(
            items: lines, columns: columns.filter { !without.contains($0.heading) }, symbols: symbols,
            emptyMessage: "no SLI data yet: the agent records it while components serve traffic", width: width,
            leftOut: columns.map(\.heading).filter(without.contains))
    }

    /// Draws the title on `top` and the table below it, within `height` rows. The table scrolls
    /// to the objectives of `following` (the deployment selected above it), so every objective
    /// can be reached however many there are; the title says which of them show.
    func draw(into frame: inout Frame, top: Int, height: Int, following: (component: String, environment: String)? = nil) {
        guard height > 0 else { return }
        let table = makeTable(width: frame.columns)
        guard height > 1 else {
            frame.put(Self.title, row: top, column: 0, style: .bold)
            return
        }
        guard !lines.isEmpty else {
            frame.put(Self.title, row: top, column: 0, style: .bold)
            frame.put(table.emptyMessage, row: top + 1, column: 0, style: .dim)
            return
        }
        table.drawHeading(into: &frame, row: top + 1)
        // The sparkline follows the figures when at least a third of the hour fits beside them,
        // else it takes a line of its own under them (80 columns).
        let besideColumn = table.width + ColumnTable<SLOLine>.gap
        let beside = frame.columns - besideColumn >= SLOLine.sparklineMinutes / 3
        let column = beside ? besideColumn : Self.underIndent
        let room = max(0, min(SLOLine.sparklineMinutes, frame.columns - column))
        if beside { frame.put("LAST \(room) MIN", row: top + 1, column: column, width: room, style: .bold) }
        let capacity = max(1, (height - 2) / (beside ? 1 : 2))
        let focus = following.flatMap { following in
            lines.firstIndex { $0.component == following.component && $0.environment == following.environment }
        } ?? 0
        let first = max(0, min(focus, lines.count - capacity))
        let last = min(lines.count, first + capacity)
        // When they do not all fit, which show matters more than the legend, and what columns
        // were left out more than both.
        let range = lines.count > capacity ? " \(first + 1)-\(last) of \(lines.count)" : ""
        let title = !table.hidden.isEmpty ? "OBJECTIVES\(range); hidden: \(table.hidden.joined(separator: ", "))"
            : range.isEmpty ? Self.title : "SERVICE LEVEL OBJECTIVES\(range), following the selection"
        frame.put(TextLayout.truncate(title, to: frame.columns, ellipsis: symbols.ellipsis), row: top, column: 0, style: .bold)
        var row = top + 2
        for index in first..<last {
            let line = lines[index]
            table.drawItem(at: index, into: &frame, row: row)
            if !beside {
                row += 1
                frame.put("last \(room) min", row: row, column: 0, width: column, style: .dim)
            }
            let ceiling = max(line.badRatios.compactMap(\.self).max() ?? 0, line.status.objective.budget)
            let recent = Array(line.badRatios.suffix(room))
            frame.put(Sparkline.text(recent, ceiling: ceiling, symbols: symbols), row: row, column: column,
                      style: line.status.burnRate > 1 ? .colored(.unhealthy) : .colored(.healthy))
            row += 1
        }
    }
}
