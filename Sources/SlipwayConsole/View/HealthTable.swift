import Foundation
import SlipwayCore

/// The health screen: per component and environment, the last probe, and what the router
/// counted per colour. A figure the store or the agent does not have shows as `-`.
enum HealthTable {
    static func make(_ rows: [FleetRow], snapshot: ConsoleSnapshot, symbols: SymbolSet) -> ColumnTable<FleetRow> {
        typealias Column = ColumnTable<FleetRow>.Column
        func counts(_ row: FleetRow) -> [String: AgentResponse.ColorCounts] {
            snapshot.metrics(row.component, row.environment)?.counts ?? [:]
        }
        let columns: [Column] = [
            Column(heading: "COMPONENT", limit: 24, value: \.component),
            Column(heading: "ENV", limit: 12, value: \.environment),
            Column(heading: "HEALTH", limit: 9, value: { "\(symbols.health($0.health)) \($0.health.rawValue)" }, style: { row in
                switch row.health {
                case .healthy: .colored(.healthy)
                case .unhealthy: .colored(.unhealthy, .bold)
                case .unknown, .stale: .dim
                }
            }),
            Column(heading: "PROBED", limit: 8, value: { row in row.healthCheckedAt.map(TimeText.clock) ?? "-" }),
            Column(heading: "P95", limit: 9, value: { row in
                guard let color = row.liveColor, let p95 = counts(row)[color]?.p95Milliseconds else { return "-" }
                return String(format: "%.1fms", p95)
            }),
            Column(heading: "ERRORS", limit: 7, value: { row in
                let all = counts(row).values
                let requests = all.reduce(0) { $0 + $1.requests }
                guard requests > 0 else { return "-" }
                let errors = all.reduce(0) { $0 + $1.errors5xx + $1.connectionErrors }
                return String(format: "%.1f%%", Double(errors) * 100 / Double(requests))
            }),
            // Requests/errors per colour, `b` blue and `g` green, kept short for 80 columns.
            Column(heading: "REQ/ERR", limit: 24, value: { row in
                let counts = counts(row)
                guard !counts.isEmpty else { return "-" }
                return ["blue", "green"].compactMap { color in
                    counts[color].map { "\(color.prefix(1)) \($0.requests)/\($0.errors5xx + $0.connectionErrors)" }
                }.joined(separator: " ")
            }),
        ]
        return ColumnTable(
            items: rows, columns: columns, symbols: symbols, emptyMessage: "no components to check")
    }
}
