import Foundation
import SlipwayCore

/// The health screen: per component and environment, the last probe, and what the router (or,
/// for a cloud component, its platform's metrics) counted per colour. A figure the store or the
/// agent does not have shows as `-`.
enum HealthTable {
    static func make(
        _ rows: [FleetRow], snapshot: ConsoleSnapshot, now: Date, symbols: SymbolSet, width: Int
    ) -> ColumnTable<FleetRow> {
        typealias Column = ColumnTable<FleetRow>.Column
        func figures(_ row: FleetRow) -> HealthFigures? { HealthFigures.of(row, in: snapshot) }
        func alerts(_ row: FleetRow) -> [FiringAlert] {
            snapshot.alerts.filter { $0.component == row.component && $0.environment == row.environment }
        }
        let columns: [Column] = [
            Column(heading: "COMPONENT", limit: 24, value: \.component, cuttable: true),
            Column(heading: "ENV", limit: 12, value: \.environment),
            // The worst alert firing on it beside the probe's word: a passing probe does not make
            // a burning budget healthy.
            Column(heading: "HEALTH", limit: 19, value: { row in
                guard let alert = alerts(row).first else { return "\(symbols.health(row.health)) \(row.health.rawValue)" }
                return "\(symbols.alarm) \(row.health.rawValue), \(alert.severity.rawValue)"
            }, style: { row in
                if let alert = alerts(row).first { return alert.isPaging ? .colored(.unhealthy, .bold) : .colored(.inProgress, .bold) }
                return switch row.health {
                case .healthy: .colored(.healthy)
                case .unhealthy: .colored(.unhealthy, .bold)
                case .unknown, .stale: .dim
                }
            }),
            Column(heading: "PROBED", limit: 8, value: { row in row.healthCheckedAt.map { TimeText.age(of: $0, now: now) } ?? "-" }),
            Column(heading: "P95", limit: 9, value: { row in
                guard let p95 = figures(row)?.liveShare?.p95Milliseconds else { return "-" }
                return String(format: "%.1fms", p95)
            }),
            Column(heading: "ERRORS", limit: 7, value: { row in
                figures(row)?.errorRate.map { String(format: "%.1f%%", $0) } ?? "-"
            }),
            // Requests/errors per colour, `b` blue and `g` green (per version on a Worker), kept short for 80 columns.
            Column(heading: "REQ/ERR", limit: 24, value: { row in figures(row)?.requestsAndErrors ?? "-" }),
            // Whose figures they are: the router's, or the platform's own metrics.
            Column(heading: "SOURCE", limit: 20, value: { row in figures(row)?.sourceLabel ?? "-" }, style: { row in
                figures(row)?.problem == nil ? .dim : .colored(.unhealthy)
            }),
        ]
        return ColumnTable(
            items: rows, columns: columns, symbols: symbols, emptyMessage: "no components to check", width: width)
    }
}
