import SlipwayCore

/// The runs screen's table, newest first as the store returns them.
enum RunsTable {
    static func make(_ runs: [RunRecord], symbols: SymbolSet, width: Int) -> ColumnTable<RunRecord> {
        typealias Column = ColumnTable<RunRecord>.Column
        return ColumnTable(
            items: runs,
            columns: [
                Column(heading: "ID", limit: 22, value: \.id),
                Column(heading: "KIND", limit: 12, value: \.kind.rawValue),
                Column(heading: "COMPONENT", limit: 20, value: { $0.component ?? "-" }, cuttable: true),
                Column(heading: "ENV", limit: 12, value: { $0.environment ?? "-" }),
                Column(heading: "VERSION", limit: 12, value: { $0.version ?? "-" }),
                Column(heading: "STATE", limit: 11, value: \.state.rawValue, style: { style(of: $0.state) }),
                Column(heading: "ACTOR", limit: 12, value: \.actor),
                Column(heading: "STARTED", limit: 14, value: { TimeText.stamp($0.startedAt) }),
            ],
            symbols: symbols, emptyMessage: "no runs yet: deploys, rollbacks, tests and health checks appear here",
            width: width)
    }

    private static func style(of state: RunState) -> CellStyle {
        switch state {
        case .running: .colored(.inProgress, .bold)
        case .succeeded: .colored(.healthy)
        case .failed: .colored(.unhealthy, .bold)
        case .cancelled, .interrupted: .dim
        }
    }
}
