import Foundation
import SlipwayCore

/// The drift screen: per component, each environment's live version with its age and how many
/// commits it is behind the environment before it, and the commits no environment runs.
enum DriftTable {
    static func make(
        _ components: [DriftReport.Component], environments: [String], symbols: SymbolSet, emptyMessage: String,
        width: Int = .max
    ) -> ColumnTable<DriftReport.Component> {
        typealias Column = ColumnTable<DriftReport.Component>.Column
        let columns = environments.map { environment in
            Column(
                heading: environment.uppercased(), limit: 34,
                value: { component in
                    component.environments.first { $0.environment == environment }.map(cell) ?? "-"
                },
                style: { component in
                    let row = component.environments.first { $0.environment == environment }
                    if row?.inGit == false { return .colored(.unhealthy) }
                    return (row?.behind ?? 0) > 0 ? .colored(.inProgress) : .plain
                })
        }
        return ColumnTable(
            items: components,
            columns: [Column(heading: "COMPONENT", limit: 24, value: \.component, cuttable: true)] + columns + [
                Column(heading: "NOT LIVE ANYWHERE", limit: 60, value: { component in
                    guard let newest = component.unreleased.first else { return "-" }
                    let count = component.unreleased.count
                    return "\(count) commit\(count == 1 ? "" : "s"), newest \(newest.hash) \(newest.subject)"
                }, style: { $0.unreleased.isEmpty ? .plain : .colored(.inProgress) }, cuttable: true),
            ],
            symbols: symbols, emptyMessage: emptyMessage, width: width)
    }

    /// `3f9a2c1b7d4e 2.5d 3 behind` or `0c1d2e3f4a5b not in git`.
    static func cell(_ row: DriftReport.Environment) -> String {
        guard let version = row.version else { return "-" }
        guard row.inGit, let days = row.ageDays else { return "\(version) not in git" }
        let behind = row.behind.map { $0 > 0 ? " \($0) behind" : "" } ?? ""
        return "\(version) \(String(format: "%.1f", days))d\(behind)"
    }
}
