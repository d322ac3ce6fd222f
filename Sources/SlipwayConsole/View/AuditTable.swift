import SlipwayCore

/// The audit screen: every recorded action, newest first.
enum AuditTable {
    static func make(_ entries: [AuditEntry], symbols: SymbolSet, width: Int) -> ColumnTable<AuditEntry> {
        typealias Column = ColumnTable<AuditEntry>.Column
        return ColumnTable(
            items: entries,
            columns: [
                Column(heading: "TIME", limit: 14, value: { TimeText.stamp($0.time) }),
                Column(heading: "ACTOR", limit: 12, value: \.actor),
                Column(heading: "ACTION", limit: 12, value: \.action),
                Column(heading: "COMPONENT", limit: 20, value: \.component, cuttable: true),
                Column(heading: "ENV", limit: 12, value: \.environment),
                Column(heading: "OUTCOME", limit: 60, value: \.outcome, style: { entry in
                    if entry.outcome.hasPrefix("failed") || entry.outcome.hasPrefix("refused") || entry.outcome.hasPrefix("page") {
                        return .colored(.unhealthy)
                    }
                    return entry.outcome.hasPrefix("succeeded") ? .colored(.healthy) : .plain
                }, cuttable: true),
            ],
            symbols: symbols, emptyMessage: "no actions recorded yet", width: width)
    }
}
