import Foundation
import SlipwayCore

/// The alerts screen: every firing alert, most severe first, with the figures of its objective.
enum AlertsTable {
    static func make(
        _ alerts: [FiringAlert], objective: @escaping (FiringAlert) -> SLOLine?, now: Date, symbols: SymbolSet, width: Int
    ) -> ColumnTable<FiringAlert> {
        typealias Column = ColumnTable<FiringAlert>.Column
        let severityStyle: (FiringAlert) -> CellStyle = { $0.isPaging ? .colored(.unhealthy, .bold) : .colored(.inProgress) }
        return ColumnTable(
            items: alerts,
            columns: [
                Column(heading: "SEVERITY", limit: 8, value: { "\(symbols.alarm) \($0.severity.rawValue)" }, style: severityStyle),
                Column(heading: "COMPONENT", limit: 20, value: \.component, cuttable: true),
                Column(heading: "ENV", limit: 12, value: \.environment),
                Column(heading: "OBJECTIVE", limit: 14, value: \.objective),
                Column(heading: "SINCE", limit: 8, value: { TimeText.age(of: $0.since, now: now) }),
                Column(heading: "BUDGET", limit: 6, value: { objective($0)?.budgetText ?? "-" }),
                Column(heading: "BURN", limit: 7, value: { objective($0).map { String(format: "%.2f", $0.status.burnRate) } ?? "-" }),
                Column(heading: "RULE", limit: 8, value: \.rule),
                Column(heading: "WHAT", limit: 80, value: { alert in
                    let silenced = alert.silencedUntil.map { "silenced until \(TimeText.dateTime($0)): " } ?? ""
                    return silenced + (alert.message.isEmpty ? "-" : alert.message)
                }, cuttable: true),
            ],
            symbols: symbols, emptyMessage: "no alert is firing", width: width)
    }
}
